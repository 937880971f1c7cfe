//! Which rule AgentOS applies to `METHOD /path`: the path normalisation, the excluded
//! (public) routes, the route-map lookup (`get_required_scopes_for_route`) and the
//! router-level checks behind the gate.

use super::deployment::Server;
use super::path_pattern::{braces_to_star, fnmatch, percent_decode, same_template};
use super::profiles::AdminOnly;

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
    /// An optional router's admin-only dependency: 403 `detail` without the admin scope.
    AdminOnly { detail: String },
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

/// The route map as `(method, pattern, scopes)` (defaults merged with custom mappings),
/// for a reference listing.
pub fn route_table(srv: &Server) -> Vec<(&str, &str, Vec<&str>)> {
    srv.mappings
        .iter()
        .map(|m| {
            (
                m.method.as_str(),
                m.pattern.as_str(),
                m.scopes.iter().map(String::as_str).collect(),
            )
        })
        .collect()
}

/// What `method path` needs, following agno's lookup exactly (after the path
/// normalisation AgentOS applies: query dropped, %-decoding, trailing slashes stripped).
pub fn required_scopes(srv: &Server, method: &str, path: &str) -> RouteRule {
    let method = method.trim().to_ascii_uppercase();
    let (path, query) = normalize_path(srv, path);
    if method == "OPTIONS" || is_public(srv, &path) {
        return RouteRule::Public;
    }
    let scopes: Vec<String> = lookup(srv, &method, &path)
        .iter()
        .map(|s| s.to_string())
        .collect();
    let (kind, id) = resource_context(srv, &path);
    let then = router_check(srv, &method, &path, query.as_deref());
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

/// The path as the middleware sees it: Starlette %-decodes; TrailingSlashMiddleware
/// (2.4.0 on) strips trailing slashes (not from "/"). Returns the query separately.
pub(crate) fn normalize_path(srv: &Server, raw: &str) -> (String, Option<String>) {
    let raw = raw.trim();
    let raw = raw.split('#').next().unwrap_or_default();
    let (path, q) = match raw.split_once('?') {
        Some((path, q)) => (path, Some(q.to_string())),
        None => (raw, None),
    };
    let mut path = percent_decode(path);
    if !path.starts_with('/') {
        path.insert(0, '/');
    }
    if srv.profile.behaviour.strip_trailing_slash && path != "/" && path.ends_with('/') {
        let stripped = path.trim_end_matches('/');
        if !stripped.is_empty() {
            path = stripped.to_string();
        }
    }
    (path, q)
}

/// `_is_route_excluded`: fnmatch against each excluded path, with and without trailing '/'.
pub(crate) fn is_public(srv: &Server, path: &str) -> bool {
    srv.public_paths
        .iter()
        .any(|p| fnmatch(path, p) || fnmatch(path.trim_end_matches('/'), p))
}

/// `get_required_scopes_for_route`: exact key first, then the first fnmatch in order
/// (a `{param}` in a custom pattern counts as `*`).
pub(crate) fn lookup(srv: &Server, method: &str, path: &str) -> Vec<String> {
    if let Some(m) = srv
        .mappings
        .iter()
        .find(|m| m.method == method && m.pattern == path)
    {
        return m.scopes.clone();
    }
    srv.mappings
        .iter()
        .find(|m| m.method == method && fnmatch(path, &braces_to_star(&m.pattern)))
        .map_or_else(Vec::new, |m| m.scopes.clone())
}

/// `get_resource_context_from_path`: `(kind, id)` from `/[a2a/](agents|teams|workflows)[/id...]`.
pub(crate) fn resource_context<'a>(
    _srv: &Server,
    path: &'a str,
) -> (Option<&'static str>, Option<&'a str>) {
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

/// [`router_check`] for a raw request path (normalized as the middleware does).
pub(crate) fn handler_check(srv: &Server, method: &str, path: &str) -> Option<RouterCheck> {
    let method = method.trim().to_ascii_uppercase();
    let (path, query) = normalize_path(srv, path);
    router_check(srv, &method, &path, query.as_deref())
}

/// The router-level check behind `method path`, if the router has one.
pub(crate) fn router_check(
    srv: &Server,
    method: &str,
    path: &str,
    query: Option<&str>,
) -> Option<RouterCheck> {
    if let Some(gate) = admin_only(srv, path) {
        return Some(RouterCheck::AdminOnly {
            detail: gate.detail.to_string(),
        });
    }
    if method == "GET" && srv.profile.listings.contains(&path) {
        return Some(RouterCheck::Listing {
            kind: path[1..].to_string(),
        });
    }
    if method == "GET" && srv.profile.filesystem_paths.contains(&path) {
        let param = |name: &str| {
            query.and_then(|q| {
                q.split('&')
                    .filter_map(|kv| kv.split_once('='))
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| percent_decode(&v.replace('+', " ")))
            })
        };
        let agent_id = param("agent_id");
        // `_resolve_filesystem`: these answer 400 before any access check when the
        // request names neither a namespace nor an agent.
        if agent_id.is_none()
            && param("namespace").is_none()
            && srv.profile.filesystem_addressed_paths.contains(&path)
        {
            return None;
        }
        return Some(RouterCheck::AgentFiles { agent_id });
    }
    let segs: Vec<&str> = path.split('/').collect();
    srv.profile.resource_gates.iter().find_map(|gate| {
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

/// The admin-only dependency of a mounted optional router covering `path`.
pub(crate) fn admin_only(srv: &Server, path: &str) -> Option<AdminOnly> {
    srv.optional_routers
        .iter()
        .filter_map(|r| r.admin_only)
        .find(|g| {
            path == g.prefix
                || path
                    .strip_prefix(g.prefix)
                    .is_some_and(|rest| rest.starts_with('/'))
        })
}

/// The optional router or interface of the release whose routes `path` is among, when
/// it is not mounted: "the company router, mounted by AgentOS(company=CompanyConfig(...))".
pub(crate) fn optional_owner(srv: &Server, path: &str) -> Option<String> {
    let first = |p: &str| p.split('/').nth(1).map(str::to_string);
    let seg = first(path)?;
    if let Some(r) = srv.profile.routers.iter().find(|r| {
        first(r.marker.1).as_deref() == Some(seg.as_str()) && !srv.optional_routers.contains(r)
    }) {
        return Some(format!(
            "the {} router, mounted by {}",
            r.name, r.enabled_by
        ));
    }
    srv.profile
        .interfaces
        .iter()
        .find(|i| first(i.marker.1).as_deref() == Some(seg.as_str()))
        .filter(|_| srv.routes.is_none())
        .map(|i| format!("the {} interface (AgentOS(interfaces=[...]))", i.name))
}

/// Whether the server mounts `method path` (a route of its OpenAPI document: `{x}` is
/// one segment, `{x:path}` the rest), or redirects it to one ([`slash_redirect`]).
/// Without `--routes`: the release's default app, and the routes custom mappings add.
pub fn is_mounted(srv: &Server, method: &str, path: &str) -> bool {
    serves(srv, srv.mounted_routes(), method, path) || {
        let (path, _) = normalize_path(srv, path);
        slash_redirect(srv, &path).is_some()
    }
}

/// Whether one of `routes` (`(METHOD, /template)`) serves `method path`, as FastAPI
/// routes it on `srv`.
pub(crate) fn serves<'a>(
    srv: &Server,
    routes: impl Iterator<Item = (&'a str, &'a str)>,
    method: &str,
    path: &str,
) -> bool {
    let method = method.trim().to_ascii_uppercase();
    let (path, _) = normalize_path(srv, path);
    if srv.routes.is_none()
        && srv
            .custom_routes
            .iter()
            .any(|(m, p)| *m == method && fnmatch(&path, &braces_to_star(p)))
    {
        return true;
    }
    has_route(srv, routes, Some(&method), &path)
}

/// Starlette's `redirect_slashes` (`Router.app`): a path ending in '/' that no route
/// takes, whatever its method, is answered 307 to the path without the trailing slashes
/// when a route (of any method) takes that. Returns that path (of the normalized `path`).
/// Only before agno 2.4.0 does such a path get there (TrailingSlashMiddleware strips it
/// first). With the MCP app mounted at "/" (`enable_mcp_server=True`), which takes every
/// path the routes do not, it is that app's router that redirects, to its own routes
/// only (`/mcp/` to `/mcp`).
pub(crate) fn slash_redirect(srv: &Server, path: &str) -> Option<String> {
    let bare = path.trim_end_matches('/');
    if bare.is_empty() || bare == path || has_route(srv, srv.mounted_routes(), None, path) {
        return None;
    }
    let redirected = if srv.mcp {
        srv.profile.mcp.routes.iter().any(|(_, t)| takes(t, bare))
    } else {
        has_route(srv, srv.mounted_routes(), None, bare)
    };
    redirected.then(|| bare.to_string())
}

/// One of `routes` of `method` (any method: `None`) takes the normalized `path`.
fn has_route<'a>(
    srv: &Server,
    mut routes: impl Iterator<Item = (&'a str, &'a str)>,
    method: Option<&str>,
    path: &str,
) -> bool {
    routes.any(|(m, template)| {
        method.is_none_or(|method| m == method) && takes(declared(srv, m, template), path)
    })
}

/// Starlette's route regex for `template` matches `path`: `{x}` one non-empty segment,
/// a last `{x:path}` the rest.
fn takes(template: &str, path: &str) -> bool {
    // "/" splits as the root template does (one empty segment), not as ["", ""]; any
    // other trailing '/' is an empty last segment no `{x}` takes.
    let segs: Vec<&str> = if path == "/" {
        vec![""]
    } else {
        path.split('/').collect()
    };
    let tsegs: Vec<&str> = template.trim_end_matches('/').split('/').collect();
    for (i, t) in tsegs.iter().enumerate() {
        if t.starts_with('{') && t.ends_with(":path}") {
            return segs.len() > i;
        }
        let Some(s) = segs.get(i) else { return false };
        if t.starts_with('{') && t.ends_with('}') {
            if s.is_empty() {
                return false;
            }
        } else if t != s {
            return false;
        }
    }
    segs.len() == tsegs.len()
}

/// `template` as the router declares it: `GET /openapi.json` shows a `{name:path}`
/// parameter as `{name}` (FastAPI's `get_openapi` writes `route.path_format`), so a route
/// the release declares path-typed ([`Profile::path_routes`](super::Profile)) gets its
/// `:path` back and matches several segments, as Starlette's `PathConvertor` does.
fn declared<'a>(srv: &Server, method: &str, template: &'a str) -> &'a str {
    srv.profile
        .path_routes
        .iter()
        .find(|(m, t)| *m == method && same_template(t, template))
        .map_or(template, |(_, t)| t)
}
