//! A call of one of the MCP server's built-in tools (`POST /mcp` with a JSON-RPC
//! `tools/call` body): the tool checks the token against the scopes of the REST route it
//! stands for (`_require_tool_scopes` in `agno/os/mcp.py`, 2.7.0 on). The HTTP answer is
//! a 200 either way; a refusal is a JSON-RPC result with `isError` and the text
//! `Error calling tool '<name>': Insufficient permissions. Required scope(s): X`.

use serde_json::Value;

use super::decide::{has_required_scopes, insufficient, token_scopes};
use super::profiles::McpTool;
use super::routes::{lookup, resource_context};
use super::server::Server;

/// The tool a request calls: `POST /mcp` (under the server's MCP routes) whose body is a
/// JSON-RPC `tools/call`.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolCall {
    pub name: String,
    pub arguments: serde_json::Map<String, Value>,
}

impl ToolCall {
    /// The call in `body`, a JSON-RPC request `{"method": "tools/call", "params":
    /// {"name": ..., "arguments": {...}}}`; `None` for any other body.
    pub fn of_body(body: &Value) -> Option<ToolCall> {
        if body.get("method")?.as_str()? != "tools/call" {
            return None;
        }
        let params = body.get("params")?;
        Some(ToolCall {
            name: params.get("name")?.as_str()?.to_string(),
            arguments: params
                .get("arguments")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default(),
        })
    }
}

/// What the tool does with the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ToolCheck {
    /// Not a built-in tool that checks scopes (a custom tool, or a release whose tools
    /// check none): nothing agno checks.
    NotChecked,
    /// The arguments do not name the route: `detail` is the tool's own error where agno
    /// raises it (`{component}` needs exactly one id); a missing argument fails fastmcp's
    /// input schema first (`why`).
    BadArguments { detail: Option<String>, why: String },
    /// The REST route the call stands for, and whether the token may call it.
    Allowed { route: String },
    Refused {
        route: String,
        detail: String,
        required: Vec<String>,
    },
}

/// `_require_tool_scopes(method, path)` for `call` on `srv`.
pub fn check_tool(srv: &Server, scopes_claim: Option<&Value>, call: &ToolCall) -> ToolCheck {
    let Some(tool) = srv.profile.mcp.tools.iter().find(|t| t.name == call.name) else {
        return ToolCheck::NotChecked;
    };
    let path = match tool_path(tool, &call.arguments) {
        Ok(p) => p,
        Err(PathError::Component(error)) => {
            return ToolCheck::BadArguments {
                detail: Some(format!("Error calling tool '{}': {error}", call.name)),
                why: error.into(),
            }
        }
        Err(PathError::Missing(arg)) => {
            return ToolCheck::BadArguments {
                detail: None,
                why: format!(
                    "the call names no {arg}: fastmcp refuses it on the tool's input schema, before any scope check"
                ),
            }
        }
    };
    let route = format!("{} {path}", tool.method);
    // `state.authorization_enabled` is False: the tool checks nothing.
    if !srv.authorization {
        return ToolCheck::Allowed { route };
    }
    // The default mappings, whatever the server merged (`_tool_scope_mappings`).
    let defaults = Server::new(srv.profile);
    let required = lookup(&defaults, tool.method, &path);
    let req: Vec<&str> = required.iter().map(String::as_str).collect();
    let (kind, id) = resource_context(&defaults, &path);
    let scopes = token_scopes(scopes_claim);
    match has_required_scopes(&defaults, &scopes, &req, kind, id) {
        Ok(true) => ToolCheck::Allowed { route },
        // A scopes list agno cannot read raises inside the tool: refused all the same.
        Ok(false) | Err(_) => ToolCheck::Refused {
            route,
            detail: format!(
                "Error calling tool '{}': {}",
                call.name,
                insufficient(&defaults, &req)
            ),
            required,
        },
    }
}

enum PathError {
    /// agno's own error (`_classify_lifecycle_target`).
    Component(&'static str),
    /// An argument the path needs is not given.
    Missing(String),
}

/// The tool's REST path with its arguments filled in.
fn tool_path(
    tool: &McpTool,
    args: &serde_json::Map<String, Value>,
) -> std::result::Result<String, PathError> {
    let text = |k: &str| {
        args.get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    let mut out = String::new();
    for seg in tool.path.split('/').skip(1) {
        out.push('/');
        match seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some("component") => {
                let given: Vec<(&str, &str)> = [
                    ("agents", "agent_id"),
                    ("teams", "team_id"),
                    ("workflows", "workflow_id"),
                ]
                .iter()
                .filter_map(|(kind, key)| text(key).map(|id| (*kind, id)))
                .collect();
                let [(kind, id)] = given.as_slice() else {
                    return Err(PathError::Component(
                        "Provide exactly one of agent_id, team_id, or workflow_id",
                    ));
                };
                out.push_str(kind);
                out.push('/');
                out.push_str(id);
            }
            Some(arg) => match text(arg) {
                Some(v) => out.push_str(v),
                None => return Err(PathError::Missing(arg.to_string())),
            },
            None => out.push_str(seg),
        }
    }
    Ok(out)
}
