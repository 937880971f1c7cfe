//! The server's managed roles, read through its `/authz` admin API (mounted when its
//! `Authorization` has roles): `GET /authz/roles` (every page) for the roles, their
//! scopes and the default flag; `GET /authz/subjects/{sub}/roles` for the subject's
//! stored role; `GET /users/{sub}` for whether it is a directory user. What `/authz`
//! does not tell (`roles_claim`, `trust_token_scopes`, `admin_scope`,
//! `excluded_route_paths`, `user_directory`) comes from the roles file given with it.

use serde_json::Value;

use super::client::Client;
use crate::agentos::roles::Policy;
use crate::error::{Error, Kind, Result};

/// Roles per page: the most `GET /authz/roles` serves.
const PAGE: usize = 100;

/// `base` with its roles, and `subject`'s assignment and directory membership, replaced
/// by what the server says. `admin_token` must be one the server lets administer roles.
pub fn read_roles(
    server: &Client,
    admin_token: &str,
    subject: Option<&str>,
    mut base: Policy,
) -> Result<Policy> {
    let mut items: Vec<Value> = Vec::new();
    for page in 1..=100 {
        let path = format!("/authz/roles?limit={PAGE}&page={page}");
        let (status, body) = server.get_json(&path, Some(admin_token))?;
        check(server, status, body.as_ref(), "GET /authz/roles")?;
        let data = body
            .as_ref()
            .and_then(|b| b.get("data"))
            .and_then(Value::as_array)
            .ok_or_else(|| {
                Error::new(
                    Kind::Server,
                    format!("{}: GET /authz/roles answered no role list", server.url()),
                )
                .hint("is it agno 3.1.x with Authorization(...) roles?")
            })?;
        items.extend(data.iter().cloned());
        if data.len() < PAGE {
            break;
        }
    }
    base.set_server_roles(&items)?;
    if let Some(sub) = subject {
        let path = format!("/authz/subjects/{}/roles", encode(sub));
        let (status, body) = server.get_json(&path, Some(admin_token))?;
        check(
            server,
            status,
            body.as_ref(),
            "GET /authz/subjects/{sub}/roles",
        )?;
        base.set_server_assignment(sub, &body.unwrap_or(Value::Null));
        let (status, _) = server.get_json(&format!("/users/{}", encode(sub)), Some(admin_token))?;
        if status == 200 {
            base.users.insert(sub.to_string());
        } else {
            base.users.remove(sub);
        }
    }
    Ok(base)
}

/// One line for an `/authz` answer that is not the data.
fn check(server: &Client, status: u16, body: Option<&Value>, what: &str) -> Result<()> {
    let detail = body
        .and_then(|b| b.get("detail"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    let url = server.url();
    match status {
        200 => Ok(()),
        404 if detail == "Not Found" || detail.is_empty() => Err(Error::new(
            Kind::Server,
            format!("{url} serves no /authz: it runs without managed roles"),
        )
        .hint("drop --authz-token: AgentOS decides on token scopes there (or give --roles-file)")),
        401 | 403 => Err(Error::new(
            Kind::Server,
            format!("{url} refused {what} to the --authz-token: {status} {detail:?}"),
        )
        .hint("give a token of a subject whose role grants agent_os:admin (e.g. one seed(admin=...) made)")),
        _ => Err(Error::new(
            Kind::Server,
            format!("{url}: {what} answered {status} {detail:?}"),
        )
        .hint("check the server's log")),
    }
}

/// Percent-encodes a path segment.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'@' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
