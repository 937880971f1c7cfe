//! The AgentOS a verdict is about: which release (its [`Profile`]), whether scopes are
//! checked, which routes it mounts and its scope mappings (the defaults merged with
//! `scope_mappings=` exactly as agno merges them: `dict.update`).

use serde_json::Value;

use super::middleware::Middleware;
use super::path_pattern::{braces_to_star, fnmatch, same_template};
use super::profiles::{InterfaceExclusion, InterfaceMount, OptionalRouter, Profile, LATEST};
use crate::error::{Error, Result};

/// One `"METHOD /pattern": [scopes]` entry of the merged map, in agno's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    pub method: String,
    pub pattern: String,
    pub scopes: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Server {
    pub profile: &'static Profile,
    /// `authorization=True` (scopes checked). False: a key is configured, tokens are
    /// validated, no scope is checked (`--no-authorization`).
    pub authorization: bool,
    /// The routes the server mounts, as `(METHOD, /template)` from its OpenAPI document
    /// (`--routes`). `None`: not known, every route of the map is taken as served.
    pub routes: Option<Vec<(String, String)>>,
    /// The route map: the profile's defaults updated with the custom mappings.
    pub mappings: Vec<Mapping>,
    /// Scopes named by custom mappings (known to `mint`).
    pub custom_scopes: Vec<String>,
    /// The routes served without a token: the profile's defaults, or what app.py passes
    /// instead when it excludes a mounted interface's prefix (see [`Server::with_routes`]).
    pub public_paths: Vec<String>,
    /// Of those, the `{prefix}/*` of each mounted interface taken out of JWT auth.
    pub excluded_interfaces: Vec<(String, &'static InterfaceMount)>,
    /// The `METHOD /pattern` keys of custom mappings: routes the app has added.
    pub custom_routes: Vec<(String, String)>,
    /// The optional routers among `routes` (company, user directory, job queue).
    pub optional_routers: Vec<&'static OptionalRouter>,
    /// The path the AgentOS app is mounted under in a larger app
    /// (`parent.mount("/api", agent_os.get_app())`, `--mount-prefix`); empty: it is the app.
    pub mount_prefix: String,
    /// `AgentOS(mcp=True)` (`--mcp`): the MCP server's routes are served too.
    pub mcp: bool,
    /// `AgentOS(public=PublicSurface(...))` (`--public-agent`, `--public-team`,
    /// `--public-mcp`; agno 3.0.9 on).
    pub public: Option<PublicSelection>,
    /// The manual `JWTMiddleware`'s switches (claims, token source); AgentOS's own by
    /// default.
    pub middleware: Middleware,
}

/// What a `PublicSurface` selects: the ids of its agents and teams, and `mcp=True`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PublicSelection {
    pub agents: Vec<String>,
    pub teams: Vec<String>,
    pub mcp: bool,
}

impl PublicSelection {
    /// The selected ids of a family (`agents`, `teams`; nothing else can be selected here).
    pub fn ids(&self, family: &str) -> &[String] {
        match family {
            "agents" => &self.agents,
            "teams" => &self.teams,
            _ => &[],
        }
    }
}

/// Where a request lands on a server mounted under a prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MountedPath<'a> {
    /// Outside the prefix: the parent app answers, AgentOS never sees it.
    Outside,
    /// Under it: `route` is the path the AgentOS app routes (the prefix taken off),
    /// `matched` the one its auth middleware matches (the route path from 3.0.9, the
    /// whole URL path before).
    Inside { route: String, matched: &'a str },
}

impl Default for Server {
    fn default() -> Server {
        Server::new(LATEST)
    }
}

impl Server {
    /// The server mounts `routes` (its OpenAPI document's): a route outside them is 404,
    /// and the interfaces among them add their scope mappings (`get_app`, 2.7.0 on).
    pub fn with_routes(mut self, routes: Vec<(String, String)>) -> Server {
        // The optional routers first: the company mappings are part of the defaults
        // (`get_default_scope_mappings(company=True)`), the interfaces' come after.
        for router in self.profile.routers {
            if has_route(&routes, router.marker) {
                self = self.merge(&as_mappings(router.routes), false);
                self.optional_routers.push(router);
            }
        }
        for iface in self.profile.interfaces {
            // Merged at the prefix it is mounted under (`interface.get_scope_mappings()`
            // keys its routes on its own prefix); without a known mount, at the marker.
            let mount = self
                .profile
                .interface_mounts
                .iter()
                .find(|m| m.name == iface.name);
            let prefixes: Vec<String> = match mount {
                Some(mount) => mounted_prefixes(mount, &routes),
                None if has_route(&routes, iface.marker) => vec![String::new()],
                None => Vec::new(),
            };
            let default_prefix = mount.map_or("", |m| m.default_prefix);
            for prefix in prefixes {
                let extra: Vec<(String, Vec<String>)> = iface
                    .routes
                    .iter()
                    .map(|r| {
                        let tail = r.pattern.strip_prefix(default_prefix).unwrap_or(r.pattern);
                        (
                            format!("{} {prefix}{tail}", r.method),
                            r.scopes.iter().map(|s| s.to_string()).collect(),
                        )
                    })
                    .collect();
                self = self.merge(&extra, false);
            }
        }
        self.excluded_interfaces = excluded_interface_prefixes(self.profile, &routes)
            .into_iter()
            .map(|(p, iface)| (format!("{p}/*"), iface))
            .collect();
        self.refresh_public_paths();
        self.routes = Some(routes);
        self
    }

    /// The server runs AgentOS's MCP server (`AgentOS(mcp=True)`; `enable_mcp_server=True`
    /// before 3.0): its routes are served, and its Server Card (3.0.9 on) is public.
    pub fn with_mcp(mut self) -> Server {
        self.mcp = true;
        self.refresh_public_paths();
        self
    }

    /// The excluded routes: the middleware's defaults, unless app.py passes its own list
    /// (an interface prefix or the MCP Server Card to exclude): then
    /// `interface_excluded_paths` plus those.
    fn refresh_public_paths(&mut self) {
        let mcp_public: &[&str] = if self.mcp {
            self.profile.mcp.public
        } else {
            &[]
        };
        self.public_paths = if self.excluded_interfaces.is_empty() && mcp_public.is_empty() {
            self.profile
                .public_paths
                .iter()
                .map(|p| p.to_string())
                .collect()
        } else {
            self.profile
                .interface_excluded_paths
                .iter()
                .map(|p| p.to_string())
                .chain(self.excluded_interfaces.iter().map(|(p, _)| p.clone()))
                .chain(mcp_public.iter().map(|p| p.to_string()))
                .collect()
        };
    }

    /// Whether `path` (the route path, query and all) is a route of the MCP server
    /// this server runs.
    pub fn mcp_route(&self, method: &str, path: &str) -> Option<&'static str> {
        if !self.mcp {
            return None;
        }
        let bare = path.split(['?', '#']).next().unwrap_or_default();
        let bare = if bare.len() > 1 {
            bare.trim_end_matches('/')
        } else {
            bare
        };
        self.profile
            .mcp
            .routes
            .iter()
            .find(|(m, p)| *m == method && fnmatch(bare, &braces_to_star(p)))
            .map(|(_, p)| *p)
    }

    /// The default app of `profile`, with authorization on.
    pub fn new(profile: &'static Profile) -> Server {
        Server {
            profile,
            authorization: true,
            routes: None,
            mappings: profile
                .routes
                .iter()
                .map(|r| Mapping {
                    method: r.method.to_string(),
                    pattern: r.pattern.to_string(),
                    scopes: r.scopes.iter().map(|s| s.to_string()).collect(),
                })
                .collect(),
            custom_scopes: Vec::new(),
            public_paths: profile.public_paths.iter().map(|p| p.to_string()).collect(),
            excluded_interfaces: Vec::new(),
            custom_routes: Vec::new(),
            optional_routers: Vec::new(),
            mount_prefix: String::new(),
            mcp: false,
            public: None,
            middleware: Middleware::default(),
        }
    }

    /// The server has `AgentOS(public=PublicSurface(...))` selecting `sel` (agno 3.0.9 on).
    /// `PublicSurface(mcp=True)` needs the MCP server, so it turns `--mcp` on.
    pub fn with_public(mut self, sel: PublicSelection) -> Result<Server> {
        if self.profile.public.is_none() {
            return Err(Error::input(format!(
                "agno {} has no public surface: AgentOS(public=PublicSurface(...)) is agno 3.0.9 on",
                self.profile.version
            ))
            .hint("drop --public-agent/--public-team/--public-mcp, or pass --agno 3.0.9 or newer"));
        }
        // `_bind`: "PublicSurface requires stable component IDs".
        for id in sel.agents.iter().chain(&sel.teams) {
            let ok = !id.is_empty()
                && id.len() <= 128
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
            if !ok {
                return Err(Error::input(format!(
                    "invalid public component id {id:?}: AgentOS refuses it (PublicSurface requires stable component IDs)"
                ))
                .hint("an agent or team id is 1-128 of A-Z a-z 0-9 _ . -, e.g. --public-agent my-agent"));
            }
        }
        if sel.mcp {
            self = self.with_mcp();
        }
        self.public = Some(sel);
        Ok(self)
    }

    /// The server mounted under `prefix` ("/api"; "" or "/" for none). A prefix is a
    /// plain path: it starts with '/', and a trailing '/' is dropped (Starlette's `Mount`
    /// drops it too).
    pub fn with_mount_prefix(mut self, prefix: &str) -> Result<Server> {
        let p = prefix.trim_end_matches('/');
        if !(p.is_empty() || p.starts_with('/')) || p.contains(['?', '#', '{', '}', ' ']) {
            return Err(Error::input(format!(
                "invalid mount prefix {prefix:?}: write the path AgentOS is mounted under"
            ))
            .hint("e.g. --mount-prefix /api, as in app.mount(\"/api\", agent_os.get_app())"));
        }
        self.mount_prefix = p.to_string();
        Ok(self)
    }

    /// Splits a request path (query and all) by the mount prefix.
    pub fn mounted_path<'a>(&self, path: &'a str) -> MountedPath<'a> {
        if self.mount_prefix.is_empty() {
            return MountedPath::Inside {
                route: path.to_string(),
                matched: path,
            };
        }
        let Some(rest) = path.strip_prefix(self.mount_prefix.as_str()) else {
            return MountedPath::Outside;
        };
        // Starlette's Mount matches "{prefix}/{path}": "/api" itself and "/apix" are not in it.
        if !rest.starts_with('/') {
            return MountedPath::Outside;
        }
        let matched = if self.profile.behaviour.matches_route_path {
            rest
        } else {
            path
        };
        MountedPath::Inside {
            route: rest.to_string(),
            matched,
        }
    }

    /// The routes the server mounts: its OpenAPI document's (`--routes`, `--url`), else
    /// the release's default app plus the routes custom mappings name.
    pub fn mounted_routes(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        let known = self
            .routes
            .iter()
            .flatten()
            .map(|(m, p)| (m.as_str(), p.as_str()));
        let default_app = self
            .routes
            .is_none()
            .then(|| {
                self.profile
                    .default_app
                    .lines()
                    .filter_map(|l| l.split_once(' '))
                    .chain(
                        self.custom_routes
                            .iter()
                            .map(|(m, p)| (m.as_str(), p.as_str())),
                    )
            })
            .into_iter()
            .flatten();
        // The MCP app is mounted at "/", past every router: not in the OpenAPI document.
        let mcp = self
            .mcp
            .then_some(self.profile.mcp.routes)
            .into_iter()
            .flatten()
            .copied();
        known.chain(default_app).chain(mcp)
    }

    /// `resource:action` / `resource:<id|*>:action` of a mounted optional router's
    /// resources (`tasks:write` with company mounted).
    pub fn knows_router_scope(&self, scope: &str) -> bool {
        let parts: Vec<&str> = scope.split(':').collect();
        let (res, id, action) = match parts.as_slice() {
            [res, action] => (*res, None, *action),
            [res, id, action] => (*res, Some(*id), *action),
            _ => return false,
        };
        self.router_resource(res).is_some_and(|r| {
            r.actions.contains(&action) && id.is_none_or(|id| id == "*" || r.has_ids)
        })
    }

    /// A scope resource of a mounted optional router (`tasks` with company mounted).
    pub fn router_resource(&self, name: &str) -> Option<&'static super::profiles::Resource> {
        self.optional_routers
            .iter()
            .flat_map(|r| r.resources)
            .find(|r| r.name == name)
    }

    /// `mappings.update(scope_mappings)`: a key already present keeps its place and
    /// takes the new scopes; a new key goes last; `[]` makes a route need no scope.
    pub fn with_scope_mappings(self, custom: &[(String, Vec<String>)]) -> Server {
        self.merge(custom, true)
    }

    fn merge(mut self, custom: &[(String, Vec<String>)], user: bool) -> Server {
        for (key, scopes) in custom {
            let (method, pattern) = key.split_once(' ').unwrap_or(("", key));
            let m = Mapping {
                method: method.to_string(),
                pattern: pattern.to_string(),
                scopes: scopes.clone(),
            };
            match self
                .mappings
                .iter_mut()
                .find(|x| x.method == m.method && x.pattern == m.pattern)
            {
                Some(x) => x.scopes = m.scopes,
                None => self.mappings.push(m),
            }
            if user
                && !self
                    .custom_routes
                    .contains(&(method.to_string(), pattern.to_string()))
            {
                self.custom_routes
                    .push((method.to_string(), pattern.to_string()));
            }
            for s in scopes.iter().filter(|_| user) {
                if !self.custom_scopes.contains(s) {
                    self.custom_scopes.push(s.clone());
                }
            }
        }
        self
    }
}

/// The mount prefixes of the interfaces `routes` show that app.py takes out of JWT auth
/// (`f"{interface.prefix}/*"` for each interface with a non-empty prefix; 2.7.0 on only
/// those that authenticate their own requests), in the order found.
fn excluded_interface_prefixes(
    profile: &Profile,
    routes: &[(String, String)],
) -> Vec<(String, &'static InterfaceMount)> {
    let mut out: Vec<(String, &'static InterfaceMount)> = Vec::new();
    for iface in profile.interface_mounts {
        let excluded = match profile.behaviour.interface_exclusion {
            InterfaceExclusion::None => false,
            InterfaceExclusion::EveryPrefixed => true,
            InterfaceExclusion::SelfAuthenticating => iface.authenticates_own_requests,
        };
        if !excluded {
            continue;
        }
        for prefix in mounted_prefixes(iface, routes) {
            if !prefix.is_empty() && !out.iter().any(|(p, _)| *p == prefix) {
                out.push((prefix, iface));
            }
        }
    }
    out
}

/// Every prefix under which `iface` is mounted: its first route found at some prefix,
/// kept when its other routes are there under the same prefix ("" = at the root).
fn mounted_prefixes(iface: &InterfaceMount, routes: &[(String, String)]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let Some(&(first_method, first_tail)) = iface.routes.first() else {
        return out;
    };
    for (_, path) in routes.iter().filter(|(m, _)| m == first_method) {
        let Some(prefix) = strip_template_suffix(path, first_tail) else {
            continue;
        };
        let all = iface.routes.iter().all(|(tm, tail)| {
            routes
                .iter()
                .any(|(rm, rp)| rm == tm && same_template(rp, &format!("{prefix}{tail}")))
        });
        if all && !out.contains(&prefix) {
            out.push(prefix);
        }
    }
    out
}

/// `path` minus a trailing `tail` (templates compared segment by segment, parameter names
/// aside): the prefix it is mounted under.
fn strip_template_suffix(path: &str, tail: &str) -> Option<String> {
    let segs: Vec<&str> = path.split('/').collect();
    let tsegs: Vec<&str> = tail.split('/').skip(1).collect();
    if segs.len() < tsegs.len() + 1 {
        return None;
    }
    let split = segs.len() - tsegs.len();
    let rest = format!("/{}", segs[split..].join("/"));
    same_template(&rest, tail).then(|| segs[..split].join("/"))
}

/// Whether `routes` hold `(METHOD, template)` (parameter names aside).
fn has_route(routes: &[(String, String)], (method, template): (&str, &str)) -> bool {
    routes
        .iter()
        .any(|(m, p)| m == method && same_template(p, template))
}

fn as_mappings(routes: &[super::profiles::Route]) -> Vec<(String, Vec<String>)> {
    routes
        .iter()
        .map(|r| {
            (
                format!("{} {}", r.method, r.pattern),
                r.scopes.iter().map(|s| s.to_string()).collect(),
            )
        })
        .collect()
}

const METHODS: &[&str] = &["get", "post", "put", "patch", "delete"];

/// The `(METHOD, /template)` pairs of an OpenAPI document (`GET /openapi.json`).
pub fn parse_openapi(text: &str, label: &str) -> Result<Vec<(String, String)>> {
    let hint = "give the server's OpenAPI document: curl -s HOST/openapi.json > routes.json";
    let doc: Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .map_err(|e| Error::input(format!("{label}: not JSON ({e})")).hint(hint))?;
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return Err(Error::input(format!(
            "{label}: not an OpenAPI document (no \"paths\" object)"
        ))
        .hint(hint));
    };
    let mut out = Vec::new();
    for (path, ops) in paths {
        let Some(ops) = ops.as_object() else { continue };
        for (m, op) in ops.iter().filter(|(m, _)| METHODS.contains(&m.as_str())) {
            out.push((m.to_ascii_uppercase(), path.clone()));
            // `_get_disabled_feature_router` (a feature switched off, e.g. /queue without a
            // durable queue) also answers 503 under the prefix, on a route the document hides.
            let disabled = op
                .get("operationId")
                .and_then(Value::as_str)
                .is_some_and(|id| id.starts_with("disabled_"));
            if disabled {
                out.push((m.to_ascii_uppercase(), format!("{path}/{{path:path}}")));
            }
        }
    }
    // The auth middleware's own public routes are always there.
    for p in ["/openapi.json", "/docs", "/redoc", "/docs/oauth2-redirect"] {
        out.push(("GET".to_string(), p.to_string()));
    }
    Ok(out)
}

/// A `scope_mappings=` JSON object: `{"METHOD /path": ["scope", ...]}`, `[]` = no scope.
pub fn parse_scope_mappings(text: &str, label: &str) -> Result<Vec<(String, Vec<String>)>> {
    let hint =
        r#"write a JSON object like {"POST /custom/run": ["custom:run"], "GET /agents": []}"#;
    let doc: Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .map_err(|e| Error::input(format!("{label}: not JSON ({e})")).hint(hint))?;
    let Some(obj) = doc.as_object() else {
        return Err(
            Error::input(format!("{label}: scope mappings must be a JSON object")).hint(hint),
        );
    };
    let mut out = Vec::new();
    for (key, scopes) in obj {
        let Some((method, path)) = key.split_once(' ') else {
            return Err(
                Error::input(format!("{label}: key {key:?} is not \"METHOD /path\"")).hint(hint),
            );
        };
        if method.is_empty()
            || !method.chars().all(|c| c.is_ascii_uppercase())
            || !path.starts_with('/')
        {
            return Err(Error::input(format!(
                "{label}: key {key:?} is not \"METHOD /path\" (upper-case method, path from /)"
            ))
            .hint(hint));
        }
        let Some(list) = scopes.as_array() else {
            return Err(
                Error::input(format!("{label}: {key:?} must map to a list of scopes")).hint(hint),
            );
        };
        let mut v = Vec::new();
        for s in list {
            let Some(s) = s.as_str() else {
                return Err(
                    Error::input(format!("{label}: {key:?} lists a non-string scope {s}"))
                        .hint(hint),
                );
            };
            v.push(s.to_string());
        }
        out.push((key.clone(), v));
    }
    Ok(out)
}
