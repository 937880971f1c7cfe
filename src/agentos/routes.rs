//! Which rule AgentOS applies to `METHOD /path`: the path normalisation, the excluded
//! (public) routes, the route-map lookup (`get_required_scopes_for_route`) and the
//! router-level checks behind the gate.

use super::profiles::{Profile, LATEST};

const P: &Profile = LATEST;

/// A check a router makes after the route gate has let the request through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouterCheck {
    /// `require_resource_access(kind, action, ...)`: 403 `Access denied to {action} this {agent}`.
    Resource {
        kind: String,
        id: String,
        action: String,
    },
    /// `get_agents`/`get_teams`/`get_workflows`: 200 with the readable ids, 403 when none.
    Listing { kind: String },
    /// Filesystem browser: the caller must see at least one agent (or the `agent_id` asked for).
    AgentFiles { agent_id: Option<String> },
}

/// What a request needs from a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouteRule {
    /// Excluded route (`/health`, `/docs`, ...) or an OPTIONS preflight: no token is read.
    Public,
    /// A route of the map: the token must satisfy all `scopes`. `resource` is the
    /// `(kind, id)` taken from the path, which lets `kind:<id>:action` satisfy `kind:action`.
    Needs {
        scopes: Vec<String>,
        resource: Option<(String, String)>,
        then: Option<RouterCheck>,
    },
    /// Not in the map: AgentOS still wants a valid token, but checks no scope at the gate
    /// (`get_required_scopes_for_route` returns []). The router may still check one.
    Unmapped { then: Option<RouterCheck> },
}

/// The route map as `(method, pattern, scopes)`, for a reference listing.
pub fn route_table() -> Vec<(&'static str, &'static str, &'static [&'static str])> {
    P.routes
        .iter()
        .map(|r| (r.method, r.pattern, r.scopes))
        .collect()
}

/// What `method path` needs, following agno's lookup exactly (after the path
/// normalisation AgentOS applies: query dropped, %-decoding, trailing slashes stripped).
pub fn required_scopes(method: &str, path: &str) -> RouteRule {
    let method = method.trim().to_ascii_uppercase();
    let (path, query) = normalize_path(path);
    if method == "OPTIONS" || is_public(&path) {
        return RouteRule::Public;
    }
    let scopes: Vec<String> = lookup(&method, &path)
        .iter()
        .map(|s| s.to_string())
        .collect();
    let (kind, id) = resource_context(&path);
    let then = router_check(&method, &path, query.as_deref());
    if scopes.is_empty() {
        return RouteRule::Unmapped { then };
    }
    let resource = match (kind, id) {
        (Some(k), Some(i)) => Some((k.to_string(), i.to_string())),
        _ => None,
    };
    RouteRule::Needs {
        scopes,
        resource,
        then,
    }
}

/// The path as the middleware sees it: TrailingSlashMiddleware strips trailing slashes
/// (not from "/"), Starlette %-decodes. Returns the query string separately.
pub(crate) fn normalize_path(raw: &str) -> (String, Option<String>) {
    let raw = raw.trim();
    let raw = raw.split('#').next().unwrap_or_default();
    let (p, q) = match raw.split_once('?') {
        Some((p, q)) => (p, Some(q.to_string())),
        None => (raw, None),
    };
    let mut p = percent_decode(p);
    if !p.starts_with('/') {
        p.insert(0, '/');
    }
    if p != "/" && p.ends_with('/') {
        let stripped = p.trim_end_matches('/');
        if !stripped.is_empty() {
            p = stripped.to_string();
        }
    }
    (p, q)
}

pub(crate) fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(v) = hex {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `_is_route_excluded`: fnmatch against each excluded path, with and without trailing '/'.
pub(crate) fn is_public(path: &str) -> bool {
    P.public_paths
        .iter()
        .any(|p| fnmatch(path, p) || fnmatch(path.trim_end_matches('/'), p))
}

/// `get_required_scopes_for_route`: exact key first, then the first fnmatch in order.
pub(crate) fn lookup(method: &str, path: &str) -> &'static [&'static str] {
    if let Some(r) = P
        .routes
        .iter()
        .find(|r| r.method == method && r.pattern == path)
    {
        return r.scopes;
    }
    P.routes
        .iter()
        .find(|r| r.method == method && fnmatch(path, r.pattern))
        .map_or(&[], |r| r.scopes)
}

/// Python `fnmatch` for patterns whose only special character is `*` (which spans '/').
pub(crate) fn fnmatch(text: &str, pattern: &str) -> bool {
    let t = text.as_bytes();
    let p = pattern.as_bytes();
    let (mut ti, mut pi) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

/// `get_resource_context_from_path`: `(kind, id)` from `/[a2a/](agents|teams|workflows)[/id...]`.
pub(crate) fn resource_context(path: &str) -> (Option<&'static str>, Option<&str>) {
    let Some(rest) = path.strip_prefix('/') else {
        return (None, None);
    };
    for tail in [rest.strip_prefix("a2a/"), Some(rest)]
        .into_iter()
        .flatten()
    {
        for kind in ["agents", "teams", "workflows"] {
            if let Some(after) = tail.strip_prefix(kind) {
                if after.is_empty() {
                    return (Some(kind), None);
                }
                if let Some(after) = after.strip_prefix('/') {
                    let id = after.split('/').next().unwrap_or_default();
                    return (Some(kind), (!id.is_empty()).then_some(id));
                }
            }
        }
    }
    (None, None)
}

/// The router-level check behind `method path`, if the router has one.
pub(crate) fn router_check(method: &str, path: &str, query: Option<&str>) -> Option<RouterCheck> {
    if method == "GET" && P.listings.contains(&path) {
        return Some(RouterCheck::Listing {
            kind: path[1..].to_string(),
        });
    }
    if method == "GET" && P.filesystem_paths.contains(&path) {
        let agent_id = query.and_then(|q| {
            q.split('&')
                .filter_map(|kv| kv.split_once('='))
                .find(|(k, _)| *k == "agent_id")
                .map(|(_, v)| percent_decode(&v.replace('+', " ")))
        });
        return Some(RouterCheck::AgentFiles { agent_id });
    }
    let segs: Vec<&str> = path.split('/').collect();
    P.resource_gates.iter().find_map(|gate| {
        if gate.method != method {
            return None;
        }
        let tsegs: Vec<&str> = gate.path.split('/').collect();
        if tsegs.len() != segs.len() {
            return None;
        }
        let mut id = None;
        for (t, s) in tsegs.iter().zip(&segs) {
            if t.starts_with('{') {
                if s.is_empty() {
                    return None;
                }
                id.get_or_insert(*s);
            } else if t != s {
                return None;
            }
        }
        Some(RouterCheck::Resource {
            kind: tsegs[1].to_string(),
            id: id?.to_string(),
            action: gate.action.to_string(),
        })
    })
}
