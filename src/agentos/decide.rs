//! The scope decision AgentOS makes for a valid token (`agno/os/scopes.py` and the
//! router checks behind the gate).

use std::collections::BTreeSet;

use serde_json::Value;

use super::profiles::{BodyGate, Gate, Profile};
use super::routes::{normalize_path, required_scopes, resource_context, RouteRule, RouterCheck};
use super::scopes::{alias, ADMIN_SCOPE};
use super::server::Server;
/// The outcome AgentOS would give a valid token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// No token needed at all.
    Public,
    /// Served (a listing may be narrowed: see [`listing_filter`]).
    Allowed,
    /// 403 with this exact `detail`; `required` names what would have let it through.
    Forbidden {
        detail: String,
        required: Vec<String>,
    },
    /// agno itself fails (500): a `scopes` list with a non-string item, on a route whose
    /// router re-checks scopes.
    ServerError { detail: String },
}

/// The scope decision AgentOS makes for a valid token whose `scopes` claim is
/// `scopes_claim` (`None` = claim absent). A string is ONE scope; anything but a list or
/// a string counts as no scopes (`extract_claims`).
pub fn check_access(
    srv: &Server,
    scopes_claim: Option<&Value>,
    method: &str,
    path: &str,
) -> Access {
    check_access_mounted(srv, scopes_claim, method, path, path)
}

/// [`check_access`] on an AgentOS mounted under a prefix: the auth middleware matches
/// `matched`, the router behind it serves `route` (see [`super::server::MountedPath`]).
pub fn check_access_mounted(
    srv: &Server,
    scopes_claim: Option<&Value>,
    method: &str,
    matched: &str,
    route: &str,
) -> Access {
    decide(srv, scopes_claim, method, matched, route).0
}

/// For a listing (GET /agents, /teams, /workflows) that AgentOS serves but narrows,
/// the ids the token will see. `None` when nothing is filtered or the request is refused.
pub fn listing_filter(
    srv: &Server,
    scopes_claim: Option<&Value>,
    method: &str,
    matched: &str,
    route: &str,
) -> Option<Vec<String>> {
    match decide(srv, scopes_claim, method, matched, route) {
        (Access::Allowed, Some(ids)) if !ids.contains("*") => Some(ids.into_iter().collect()),
        _ => None,
    }
}

/// The claim as agno reads it: the string items, and whether any item was not a string
/// (agno's `parse_scope` then raises on `.split`).
pub(crate) struct TokenScopes {
    list: Vec<String>,
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

/// Before 2.7.0: the family is the first of agents, teams, workflows found anywhere
/// in the path (`"/agents" in path`); the id is `^/{family}/([^/]+)`.
fn substring_context(path: &str) -> (Option<&'static str>, Option<&str>) {
    let Some(kind) = ["agents", "teams", "workflows"]
        .into_iter()
        .find(|k| path.contains(&format!("/{k}")))
    else {
        return (None, None);
    };
    let id = path
        .strip_prefix(&format!("/{kind}/"))
        .and_then(|rest| rest.split('/').next())
        .filter(|id| !id.is_empty());
    (Some(kind), id)
}

/// Raised: agno's scope code threw (non-string scope item).
pub(crate) struct Raised;

/// `matched`: the path the auth middleware matches; `route`: the one the router serves
/// (the same but for an app mounted under a prefix before agno 3.0.9).
pub(crate) fn decide(
    srv: &Server,
    claim: Option<&Value>,
    method: &str,
    matched: &str,
    route: &str,
) -> (Access, Option<BTreeSet<String>>) {
    let path = matched;
    let scopes = token_scopes(claim);
    let method_up = method.trim().to_ascii_uppercase();
    let (npath, _) = normalize_path(srv, path);
    let gate = srv.profile.behaviour.gate;
    let (kind, id) = match gate {
        Gate::Anchored => resource_context(srv, &npath),
        Gate::Substring => substring_context(&npath),
    };
    let (required, mut then) = match required_scopes(srv, method, path) {
        RouteRule::Public => return (Access::Public, None),
        RouteRule::Needs { scopes, then, .. } => (scopes, then),
        RouteRule::Unmapped { then } => (Vec::new(), then),
    };
    if route != matched {
        // The router's own checks read the route it serves.
        then = super::routes::handler_check(srv, method, route);
    }
    let req: Vec<&str> = required.iter().map(String::as_str).collect();
    let forbidden =
        |detail: String, required: Vec<String>| (Access::Forbidden { detail, required }, None);

    // AuthMiddleware._authorize_route (= check_route_scopes with the default provider).
    let mut cached: Option<BTreeSet<String>> = None;
    if !req.is_empty() {
        let allowed = match has_required_scopes(srv, &scopes, &req, kind, id) {
            Ok(a) => a,
            Err(Raised) => return forbidden(insufficient(srv, &req), required.clone()),
        };
        if !allowed {
            let family = req[0].split_once(':').map(|(f, _)| f);
            let escapes = match gate {
                Gate::Anchored => {
                    method_up == "GET" && id.is_none() && kind.is_some() && family == kind
                }
                Gate::Substring => id.is_none() && kind.is_some(),
            };
            if escapes {
                let action = req[0]
                    .rsplit_once(':')
                    .map(|(_, a)| a)
                    .filter(|_| srv.profile.behaviour.listing_ids_need_route_action);
                match accessible_ids(srv, &scopes, kind.unwrap_or_default(), action) {
                    Ok(ids) => cached = Some(ids),
                    Err(Raised) => return forbidden(insufficient(srv, &req), required.clone()),
                }
            } else {
                return forbidden(insufficient(srv, &req), required.clone());
            }
        }
    }

    // The router behind the gate.
    match then {
        None => (Access::Allowed, cached),
        Some(RouterCheck::Listing { kind }) => {
            let ids = match cached.clone() {
                Some(ids) => ids,
                None => match accessible_ids(srv, &scopes, &kind, None) {
                    Ok(ids) => ids,
                    Err(Raised) => return (server_error(), None),
                },
            };
            if ids.is_empty() {
                return forbidden(insufficient(srv, &req), required.clone());
            }
            (Access::Allowed, Some(ids))
        }
        Some(RouterCheck::Resource { kind, id, action }) => {
            let need = format!("{kind}:{action}");
            // `check_resource_access`: before 2.6.22 any read or run scope of the id
            // will do, whatever the action.
            let granted = if srv.profile.behaviour.listing_ids_need_route_action {
                has_required_scopes(srv, &scopes, &[need.as_str()], Some(&kind), Some(&id))
            } else {
                accessible_ids(srv, &scopes, &kind, None)
                    .map(|ids| ids.contains("*") || ids.contains(&id))
            };
            match granted {
                Ok(true) => (Access::Allowed, cached),
                Ok(false) => forbidden(
                    format!("Access denied to {action} this {}", singular(&kind)),
                    vec![format!("{kind}:{id}:{action}")],
                ),
                Err(Raised) => (server_error(), None),
            }
        }
        Some(RouterCheck::AdminOnly { detail }) => match admin_only_check(&scopes, detail) {
            Access::Allowed => (Access::Allowed, cached),
            denied => (denied, None),
        },
        Some(RouterCheck::AgentFiles { agent_id }) => {
            let ok = match &agent_id {
                Some(a) => {
                    has_required_scopes(srv, &scopes, &["agents:read"], Some("agents"), Some(a))
                }
                None => accessible_ids(srv, &scopes, "agents", None).map(|ids| !ids.is_empty()),
            };
            match ok {
                Ok(true) => (Access::Allowed, cached),
                Ok(false) => forbidden(
                    insufficient(srv, &["agents:read"]),
                    vec!["agents:read".to_string()],
                ),
                Err(Raised) => (server_error(), None),
            }
        }
    }
}

/// `admin_scope in request.state.scopes`: the admin scope itself, no alias or wildcard.
fn admin_only_check(scopes: &TokenScopes, detail: String) -> Access {
    if scopes.list.iter().any(|s| s == ADMIN_SCOPE) {
        Access::Allowed
    } else {
        Access::Forbidden {
            detail,
            required: vec![ADMIN_SCOPE.to_string()],
        }
    }
}

/// The router dependencies that run whether or not the middleware checks scopes
/// (authorization=False): an optional router's admin-only gate.
pub fn router_gate(srv: &Server, scopes_claim: Option<&Value>, path: &str) -> Access {
    let (npath, _) = normalize_path(srv, path);
    match super::routes::admin_only(srv, &npath) {
        Some(gate) => admin_only_check(&token_scopes(scopes_claim), gate.detail.to_string()),
        None => Access::Allowed,
    }
}

pub(crate) fn server_error() -> Access {
    Access::ServerError {
        detail: "Internal server error (AttributeError)".to_string(),
    }
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

// --- agno/os/scopes.py, line for line -------------------------------------

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

/// What a handler's body check makes of a request that passed the gate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyCheck {
    /// The route has no body gate.
    None,
    /// It has one, and no body was given: `target` says what the body must satisfy.
    Unchecked { target: &'static str },
    /// The body passes.
    Allowed,
    /// 403 from the handler.
    Forbidden {
        detail: String,
        required: Vec<String>,
    },
}

/// What a body gate asks of the caller, read off the request body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BodyAsk {
    /// The route has no body gate.
    NoGate,
    /// The handler answers before asking (both or neither of `agent_id`/`team_id`:
    /// 400, or nothing to check).
    Nothing,
    /// A gated route without a body: `target` says what the body must satisfy.
    Unknown { target: &'static str },
    /// `POST /eval-runs`: may the caller run `kind/id`? (`check_resource_access`)
    Run { kind: &'static str, id: String },
    /// `POST /schedules` of a run endpoint: `<kind>:run` for that id.
    ScheduleRun { kind: &'static str, id: String },
    /// `POST /schedules` of any other endpoint: admin only.
    ScheduleOther,
}

/// The body gate of `method path` in the profile (`--body`), and what it asks.
pub(crate) fn body_ask(srv: &Server, method: &str, path: &str, body: Option<&Value>) -> BodyAsk {
    let method = method.trim().to_ascii_uppercase();
    let (path, _) = normalize_path(srv, path);
    let Some(gate) = srv
        .profile
        .body_gates
        .iter()
        .find(|g| g.route() == (method.as_str(), path.as_str()))
    else {
        return BodyAsk::NoGate;
    };
    let Some(body) = body else {
        return BodyAsk::Unknown {
            target: gate.target(),
        };
    };
    let text = |k: &str| {
        body.get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    match gate {
        BodyGate::EvalTarget => match (text("agent_id"), text("team_id")) {
            (Some(_), Some(_)) | (None, None) => BodyAsk::Nothing,
            (Some(a), None) => BodyAsk::Run {
                kind: "agents",
                id: a.to_string(),
            },
            (None, Some(t)) => BodyAsk::Run {
                kind: "teams",
                id: t.to_string(),
            },
        },
        BodyGate::ScheduleEndpoint => {
            let endpoint = text("endpoint").unwrap_or_default();
            let target_method = text("method").unwrap_or("POST").to_ascii_uppercase();
            match (target_method == "POST")
                .then(|| run_endpoint(endpoint))
                .flatten()
            {
                Some((kind, id)) => BodyAsk::ScheduleRun {
                    kind,
                    id: id.to_string(),
                },
                None => BodyAsk::ScheduleOther,
            }
        }
    }
}

/// The 403 a body gate answers when it refuses `ask`; an ask with nothing to refuse
/// (no gate, nothing to check, no body) answers as it stands, so callers deciding only
/// the refusable asks can hand the rest here too.
pub(crate) fn body_denied(srv: &Server, ask: &BodyAsk) -> BodyCheck {
    match ask {
        BodyAsk::Run { kind, id } => BodyCheck::Forbidden {
            detail: format!("Access denied to run this {}", singular(kind)),
            required: vec![format!("{kind}:{id}:run")],
        },
        BodyAsk::ScheduleRun { kind, id } => {
            let need = format!("{kind}:run");
            BodyCheck::Forbidden {
                detail: insufficient(srv, &[need.as_str()]),
                required: vec![need.clone(), format!("{kind}:{id}:run")],
            }
        }
        BodyAsk::ScheduleOther => BodyCheck::Forbidden {
            detail: "Only admins can schedule an endpoint that is not a run endpoint".into(),
            required: vec![ADMIN_SCOPE.to_string()],
        },
        BodyAsk::NoGate => BodyCheck::None,
        BodyAsk::Nothing => BodyCheck::Allowed,
        BodyAsk::Unknown { target } => BodyCheck::Unchecked { target },
    }
}

/// The schedule gate decided on the token's scopes (`_require_endpoint_permission`
/// when the scope plane is authoritative); `admin` is the admin scope in force.
pub(crate) fn schedule_by_scopes(
    srv: &Server,
    scopes: &TokenScopes,
    ask: &BodyAsk,
    admin: &str,
) -> BodyCheck {
    let granted = match ask {
        BodyAsk::ScheduleOther => has_required_scopes(srv, scopes, &[admin], None, None),
        BodyAsk::ScheduleRun { kind, id } => {
            let need = format!("{kind}:run");
            has_required_scopes(srv, scopes, &[need.as_str()], Some(kind), Some(id))
        }
        _ => return BodyCheck::Allowed,
    };
    match granted {
        Ok(true) => BodyCheck::Allowed,
        _ => body_denied(srv, ask),
    }
}

/// The body gates of the profile (`--body`), run after the route gate let `method path`
/// through: `POST /eval-runs` (its target must be runnable) and `POST /schedules` (the
/// scheduled endpoint needs its own permission).
pub fn check_body(
    srv: &Server,
    scopes_claim: Option<&Value>,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> BodyCheck {
    let ask = body_ask(srv, method, path, body);
    let scopes = token_scopes(scopes_claim);
    match &ask {
        BodyAsk::NoGate | BodyAsk::Nothing | BodyAsk::Unknown { .. } => body_denied(srv, &ask),
        // `check_resource_access(request, id, kind, "run")`.
        BodyAsk::Run { kind, id } => match accessible_ids(srv, &scopes, kind, Some("run")) {
            Ok(ids) if ids.contains("*") || ids.contains(id.as_str()) => BodyCheck::Allowed,
            Ok(_) => body_denied(srv, &ask),
            Err(Raised) => BodyCheck::Allowed,
        },
        BodyAsk::ScheduleRun { .. } | BodyAsk::ScheduleOther => {
            schedule_by_scopes(srv, &scopes, &ask, ADMIN_SCOPE)
        }
    }
}

/// `RUN_ENDPOINT_RE`: `^/(agents|teams|workflows)/([^/]+)/runs/?\Z`.
fn run_endpoint(endpoint: &str) -> Option<(&'static str, &str)> {
    let rest = endpoint.strip_prefix('/')?;
    let (family, rest) = rest.split_once('/')?;
    let kind = ["agents", "teams", "workflows"]
        .into_iter()
        .find(|k| *k == family)?;
    let (id, tail) = rest.split_once('/')?;
    (!id.is_empty() && (tail == "runs" || tail == "runs/")).then_some((kind, id))
}
