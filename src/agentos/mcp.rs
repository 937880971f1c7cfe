//! The MCP server's side of a verdict: what answers on its routes (notes), and a call of
//! one of its built-in tools (`POST /mcp` with a JSON-RPC `tools/call` body): the tool
//! checks the token against the scopes of the REST route it stands for
//! (`_require_tool_scopes` in `agno/os/mcp.py`, 2.7.0 on). The HTTP answer is a 200
//! either way; a refusal is a JSON-RPC result with `isError` and the text
//! `Error calling tool '<name>': Insufficient permissions. Required scope(s): X`.

use serde_json::Value;

use super::deployment::Server;
use super::profiles::McpTool;
use super::request::Request;
use super::routes::{lookup, resource_context};
use super::scope_match::{has_required_scopes, insufficient, token_scopes};
use super::verdict::{scope_fix, Verdict};

/// The tool a request calls: `POST /mcp` (under the server's MCP routes) whose body is a
/// JSON-RPC `tools/call`.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolCall {
    pub name: String,
    pub arguments: serde_json::Map<String, Value>,
}

impl ToolCall {
    /// The call on the tool-run route (3.1.9 on): `POST /mcp/server/tools/<name>/run`
    /// with `{"arguments": {...}}` (no body: no arguments).
    pub fn of_run_route(path: &str, body: Option<&Value>) -> Option<ToolCall> {
        let bare = path.split(['?', '#']).next().unwrap_or_default();
        let name = bare
            .strip_prefix("/mcp/server/tools/")?
            .strip_suffix("/run")?;
        Some(ToolCall {
            name: name.to_string(),
            arguments: body
                .and_then(|b| b.get("arguments"))
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default(),
        })
    }

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

/// `POST /mcp` with a JSON-RPC `tools/call` body: what the built-in tool does with the
/// token (the HTTP answer is a 200 either way). `None`: no tool call to decide.
pub(crate) fn tool_verdict(
    srv: &Server,
    scopes: Option<&Value>,
    r: &Request,
    what: &str,
    notes: &mut Vec<String>,
) -> Option<Verdict> {
    let route = srv.mcp_route(&r.method, &r.path)?;
    let call = if route == "/mcp" && r.method == "POST" {
        r.body.as_ref().and_then(ToolCall::of_body)?
    } else if Some(route) == srv.profile.mcp.tool_run_route {
        ToolCall::of_run_route(&r.path, r.body.as_ref())?
    } else {
        return None;
    };
    let name = &call.name;
    let through = Verdict::through;
    Some(match check_tool(srv, scopes, &call) {
        ToolCheck::NotChecked => {
            notes.push(if srv.profile.mcp.tools.is_empty() {
                format!("agno {}'s MCP tools check no scope: {name} runs for any valid token", srv.profile.version)
            } else {
                format!("{name} is not one of agno {}'s default MCP tools: a component published with MCPConfig(tools=[...]) checks its run route's scopes, a custom tool what it checks itself (not modelled)", srv.profile.version)
            });
            through(format!("AgentOS lets {what} through to the MCP tool {name}"), std::mem::take(notes))
        }
        // Not the token's doing: the reason says it, the exit code stays the 200's.
        ToolCheck::BadArguments { detail, why } => Verdict {
            fix: Some("give the tool the arguments its schema asks for (tools/list shows them)".into()),
            ..through(
                format!(
                    "AgentOS lets {what} through, but the MCP tool {name} fails on its arguments: {}",
                    detail.as_deref().unwrap_or(&why)
                ),
                std::mem::take(notes),
            )
        },
        ToolCheck::Allowed { route } => through(
            format!("AgentOS lets {what} through, and the MCP tool {name} lets this token call it (checked as {route})"),
            std::mem::take(notes),
        ),
        ToolCheck::Refused {
            route,
            detail,
            required,
        } => {
            let path = route.split_once(' ').map_or(route.as_str(), |(_, p)| p);
            Verdict {
                detail: Some(detail),
                fix: Some(scope_fix(srv, path, &required)),
                ..through(
                    format!("AgentOS lets {what} through, but the MCP tool {name} refuses this token (checked as {route}): its answer is a 200 whose result is an error (isError)"),
                    std::mem::take(notes),
                )
            }
        }
    })
}

/// The MCP app's DNS-rebinding guard, on when AgentOS sees no auth of its own.
pub(crate) fn host_guard_note() -> String {
    "with the MCP server mounted at \"/\", a path no router matches reaches it: where AgentOS itself installs no auth (a JWTMiddleware added by hand, as custom scope_mappings need), its DNS-rebinding guard answers a Host other than localhost 400 \"Host not allowed.\" (MCPConfig(allowed_hosts=[...]) lists yours)".into()
}

/// What answers past the auth middleware on a route of the MCP server.
pub(crate) fn route_note(srv: &Server, r: &Request) -> Option<String> {
    let route = srv.mcp_route(&r.method, &r.path)?;
    let mcp = &srv.profile.mcp;
    let head = format!(
        "{} {route} is the MCP server's (AgentOS(mcp=True)): it is in no scope mapping, so any valid token reaches it",
        r.method
    );
    let head = if mcp.host_guard_when_open {
        format!("{head} (where AgentOS itself installs no auth, a JWTMiddleware added by hand, its DNS-rebinding guard answers a Host other than localhost 400 \"Host not allowed.\": MCPConfig(allowed_hosts=[...]))")
    } else {
        head
    };
    Some(if mcp.tools.is_empty() {
        format!(
            "{head}; agno {} checks no scope on a tool call (2.7.0 on it does): this token can call every tool, run_agent included",
            srv.profile.version
        )
    } else if mcp.tool_run_route == Some(route) {
        format!(
            "{head}; the tool is then checked against the scopes of the REST route it stands for (run_agent: POST /agents/{{agent_id}}/runs), and a refusal is a 200 whose body carries the error"
        )
    } else {
        format!(
            "{head}; each tool call is then checked against the scopes of the REST route it stands for (run_agent: POST /agents/{{agent_id}}/runs, get_sessions: GET /sessions), a refusal being an MCP error, not an HTTP 403"
        )
    })
}
