//! agno's scope grammar at work, line for line from `agno/os/scopes.py`: the claim as
//! agno reads it, `parse_scope`, `matches_scope`, `has_required_scopes` and
//! `get_accessible_resource_ids`. Both planes (`scope_plane`, `roles` with
//! `trust_token_scopes`) and the MCP tools match token scopes through these.

use std::collections::BTreeSet;

use serde_json::Value;

use super::deployment::Server;
use super::profiles::Profile;
use super::scopes::{alias, ADMIN_SCOPE};

/// agno's scope code raised (a non-string item in the `scopes` list).
pub(crate) struct Raised;

/// The claim as agno reads it: the string items, and whether any item was not a string
/// (agno's `parse_scope` then raises on `.split`).
pub(crate) struct TokenScopes {
    pub(crate) list: Vec<String>,
    broken: bool,
}

pub(crate) fn token_scopes(claim: Option<&Value>) -> TokenScopes {
    match claim {
        Some(Value::String(s)) => TokenScopes {
            list: vec![s.clone()],
            broken: false,
        },
        Some(Value::Array(items)) => TokenScopes {
            list: items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            broken: items.iter().any(|v| !v.is_string()),
        },
        _ => TokenScopes {
            list: Vec::new(),
            broken: false,
        },
    }
}

impl TokenScopes {
    /// The claim as the scope plane reads it under a custom `admin_scope`: that scope is
    /// the admin scope, and `agent_os:admin` is then an ordinary scope no route requires.
    pub(crate) fn with_admin_scope(claim: Option<&Value>, admin_scope: &str) -> TokenScopes {
        let mut scopes = token_scopes(claim);
        if admin_scope != ADMIN_SCOPE {
            for s in &mut scopes.list {
                if s == ADMIN_SCOPE {
                    // Parses as resource "agent_os", action "admin\0": matches no requirement.
                    s.push('\0');
                } else if s == admin_scope {
                    *s = ADMIN_SCOPE.to_string();
                }
            }
        }
        scopes
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ScopeType {
    Admin,
    Global,
    PerResource,
    Unknown,
}

/// `ParsedScope`; an empty `id` is Python's falsy `resource_id`.
pub(crate) struct Parsed<'a> {
    ty: ScopeType,
    resource: &'a str,
    id: &'a str,
    action: &'a str,
    wildcard: bool,
}

/// `parse_scope`.
pub(crate) fn parse_scope<'a>(p: &'a Profile, s: &'a str) -> Parsed<'a> {
    let none = |ty| Parsed {
        ty,
        resource: "",
        id: "",
        action: "",
        wildcard: false,
    };
    if s == ADMIN_SCOPE {
        return none(ScopeType::Admin);
    }
    let parts: Vec<&str> = s.split(':').collect();
    match parts.as_slice() {
        [res, action] => Parsed {
            ty: ScopeType::Global,
            resource: alias(p, res),
            id: "",
            action,
            wildcard: false,
        },
        [res, id, action] => Parsed {
            ty: ScopeType::PerResource,
            resource: alias(p, res),
            id,
            action,
            wildcard: *id == "*",
        },
        _ => none(ScopeType::Unknown),
    }
}

/// `matches_scope`.
pub(crate) fn matches_scope(user: &Parsed, required: &Parsed, resource_id: Option<&str>) -> bool {
    if user.ty == ScopeType::Admin {
        return true;
    }
    if user.ty == ScopeType::Unknown || required.ty == ScopeType::Unknown {
        return false;
    }
    if user.resource != required.resource || user.action != required.action {
        return false;
    }
    if !required.id.is_empty() {
        if user.wildcard || user.id.is_empty() {
            return true;
        }
        return Some(user.id) == resource_id;
    }
    user.id.is_empty() || user.wildcard
}

/// `has_required_scopes` (the default `ScopeAuthorizationProvider.authorize_route`).
pub(crate) fn has_required_scopes(
    srv: &Server,
    scopes: &TokenScopes,
    required: &[&str],
    kind: Option<&str>,
    id: Option<&str>,
) -> std::result::Result<bool, Raised> {
    if required.is_empty() {
        return Ok(true);
    }
    if scopes.broken {
        return Err(Raised);
    }
    let user: Vec<Parsed> = scopes
        .list
        .iter()
        .map(|s| parse_scope(srv.profile, s))
        .collect();
    if user.iter().any(|u| u.ty == ScopeType::Admin) {
        return Ok(true);
    }
    for req in required {
        let rewritten;
        let req_str = match (req.split(':').collect::<Vec<_>>().as_slice(), kind, id) {
            ([res, action], Some(k), Some(i))
                if !i.is_empty()
                    && (!srv.profile.behaviour.rewrite_same_family_only
                        || alias(srv.profile, res) == k) =>
            {
                rewritten = format!("{k}:<resource-id>:{action}");
                rewritten.as_str()
            }
            _ => req,
        };
        let parsed = parse_scope(srv.profile, req_str);
        if !user.iter().any(|u| matches_scope(u, &parsed, id)) {
            return Ok(false);
        }
    }
    Ok(true)
}

/// `get_accessible_resource_ids`: `{"*"}` for all, else the ids named per resource.
pub(crate) fn accessible_ids(
    srv: &Server,
    scopes: &TokenScopes,
    kind: &str,
    action: Option<&str>,
) -> std::result::Result<BTreeSet<String>, Raised> {
    if scopes.broken {
        return Err(Raised);
    }
    let allowed: &[&str] = match action {
        Some(a) => &[a][..],
        None => &["read", "run"],
    };
    let parsed: Vec<Parsed> = scopes
        .list
        .iter()
        .map(|s| parse_scope(srv.profile, s))
        .collect();
    let all = || Ok(BTreeSet::from(["*".to_string()]));
    for s in &parsed {
        if s.ty == ScopeType::Admin {
            return all();
        }
        if s.ty != ScopeType::Unknown
            && s.resource == kind
            && allowed.contains(&s.action)
            && (s.id.is_empty() || s.wildcard)
        {
            return all();
        }
    }
    Ok(parsed
        .iter()
        .filter(|s| {
            s.ty != ScopeType::Unknown && s.resource == kind && !s.id.is_empty() && !s.wildcard
        })
        .filter(|s| allowed.contains(&s.action))
        .map(|s| s.id.to_string())
        .collect())
}

/// `build_insufficient_permissions_detail`.
pub(crate) fn insufficient(srv: &Server, required: &[&str]) -> String {
    if required.is_empty() || !srv.profile.behaviour.detail_names_scopes {
        "Insufficient permissions".to_string()
    } else {
        format!(
            "Insufficient permissions. Required scope(s): {}",
            required.join(", ")
        )
    }
}

/// `require_resource_access`'s singular for the denial text.
pub(crate) fn singular(kind: &str) -> &str {
    match kind {
        "agents" => "agent",
        "teams" => "team",
        "workflows" => "workflow",
        other => other.strip_suffix('s').unwrap_or(other),
    }
}
