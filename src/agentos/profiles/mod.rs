//! What changes from one agno release to the next. The rules in the parent module read a
//! [`Profile`]; the profiles themselves are data: build.rs generates [`PROFILES`] from
//! data/agno/releases.toml (one row per release, with what changed there) and the route
//! tables scripts/agno-release.py writes off each release. A new release is a data change.

use crate::error::{Error, Result};

/// A resource family of the default route map and the actions AgentOS checks for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resource {
    pub name: &'static str,
    pub actions: &'static [&'static str],
    /// Per-id scopes (`agents:<id>:run`) only mean something here (`get_resource_context_from_path`).
    pub has_ids: bool,
}

/// One entry of the route map: `"METHOD /pattern": [scopes]`. `*` spans slashes
/// (Python `fnmatch`), and the first matching entry wins, so order matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    pub method: &'static str,
    pub pattern: &'static str,
    pub scopes: &'static [&'static str],
}

/// A router-level `require_resource_access(family, action, "<id param>")` dependency: it
/// runs after the route gate and answers 403 `Access denied to {action} this {agent}`.
/// Paths are FastAPI templates (`{x}` = one segment); the family is the first segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResourceGate {
    pub method: &'static str,
    pub path: &'static str,
    pub action: &'static str,
}

/// One agno release's AgentOS, as the rules need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Profile {
    /// The agno release this was read off, and the matrix runs on ("3.1.10").
    pub version: &'static str,
    /// The first release that answers like it (where `release_fingerprint.py` saw the
    /// change; the matrix runs there too): releases from `since` up to the next profile's
    /// `since` resolve to this profile. Usually `version`.
    pub since: &'static str,
    /// `LEGACY_RESOURCE_ALIASES`: old resource names still honoured.
    pub legacy_aliases: &'static [(&'static str, &'static str)],
    /// The resources and actions of the default scope mappings.
    pub resources: &'static [Resource],
    /// Resources that only exist with `AgentOS(company=...)`.
    pub company_resources: &'static [&'static str],
    /// Routes of the map the default app does not serve (404 for every token).
    pub unserved_routes: &'static [(&'static str, &'static str)],
    /// The auth middleware's default excluded routes.
    pub public_paths: &'static [&'static str],
    /// The optional routers this release can mount (company, user directory, job queue).
    pub routers: &'static [OptionalRouter],
    /// The routes its default app (`AgentOS(agents, teams, workflows, db)`) mounts, one
    /// `METHOD /template` a line: data/agno/<V>/default_app.txt, written by
    /// scripts/agno-release.py off the release itself.
    pub default_app: &'static str,
    /// `(METHOD, /template)` of the routes (default app and optional routers) whose last
    /// parameter is declared `{name:path}`: Starlette's `PathConvertor` matches several
    /// segments there (`/company/wiki/docs/a.md`), though `GET /openapi.json` shows it as
    /// `{name}` (FastAPI's `path_format`). data/agno/<V>/path_routes.txt, read off the
    /// app's own routes (`route.param_convertors`) by scripts/agno-release.py.
    pub path_routes: &'static [(&'static str, &'static str)],
    /// Reserved subject prefixes and names (401 "Invalid token subject").
    pub reserved_sub_prefixes: &'static [(&'static str, &'static str)],
    pub reserved_subs: &'static [(&'static str, &'static str)],
    /// The default scope mappings, in agno's order.
    pub routes: &'static [Route],
    /// Router-level `require_resource_access` dependencies, in agno's file order (no two
    /// match one request: build.rs checks).
    pub resource_gates: &'static [ResourceGate],
    /// GET listings filtered by readable ids.
    pub listings: &'static [&'static str],
    /// Filesystem browser routes that ask for a visible agent.
    pub filesystem_paths: &'static [&'static str],
    /// Of those, the ones that need `namespace=` or `agent_id=` (else 400 before the check).
    pub filesystem_addressed_paths: &'static [&'static str],
    /// Interfaces whose scope mappings AgentOS merges when they are mounted (2.7.0).
    pub interfaces: &'static [Interface],
    /// Handlers that check their JSON body against the token.
    pub body_gates: &'static [BodyGate],
    pub behaviour: Behaviour,
    /// The interfaces this release can mount, to find their prefixes in `--routes`.
    pub interface_mounts: &'static [InterfaceMount],
    /// `excluded_route_paths` app.py passes, instead of `public_paths`, when it excludes
    /// an interface prefix (2.5.13 left `/info` out).
    pub interface_excluded_paths: &'static [&'static str],
    /// What `AgentOS(mcp=True)` (`enable_mcp_server=True` before 3.0) mounts.
    pub mcp: McpSurface,
    /// `AgentOS(public=PublicSurface(...))` (3.0.9 on); `None`: the release has none.
    pub public: Option<PublicRules>,
}

/// `AgentOS(public=PublicSurface(agents=[...], teams=[...], mcp=...))`: anonymous access
/// to chosen agents and teams, read off `agno/os/public/_policy.py`
/// (`PublicRoutePolicy.allows_anonymous`, `is_mcp`), `_middleware.py`
/// (`PublicMiddleware.__call__`, inside the auth middleware) and the `mixed_public`
/// branches of `AuthMiddleware._dispatch` (`agno/os/middleware/jwt.py`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublicRules {
    /// GET/HEAD paths anyone gets and the public middleware hands to the app (`/`, `/health`).
    pub open: &'static [&'static str],
    /// GET listings it answers itself, anonymously, with the selected components only.
    pub listings: &'static [&'static str],
    /// `GET /readyz`: anonymous; answered from the database (`agno_public_limits`).
    pub readyz: &'static str,
    /// `GET /info`: anonymous when `authorization=True`.
    pub info: &'static str,
    /// Families whose selected components may be run (and cancelled) anonymously
    /// (`RUN_ROUTE`, `kind in ("agents", "teams")`; workflows need a verified caller).
    pub run_families: &'static [&'static str],
    /// Excluded routes the auth middleware no longer skips with a public surface and
    /// `authorization=True` (a token is then needed: the OpenAPI docs).
    pub docs: &'static [&'static str],
    /// `PublicSurface(mcp=True)`: the paths anyone may use (`allows_anonymous`).
    pub mcp_paths: &'static [&'static str],
    /// `is_mcp` leaves out the MCP tool runner under this path (3.1.9 on); before, every
    /// `/mcp/...` path counts as MCP.
    pub mcp_private_prefix: Option<&'static str>,
    /// `PublicSurface(enforce_browser_origins=...)` exists (3.1.2 on; off by default).
    pub browser_origins: bool,
    /// Runs the public middleware reads before it admits one: form fields it takes.
    pub run_fields: &'static [&'static str],
}

/// The MCP server AgentOS mounts at `/` (`app.mount("/", mcp_app)`), read off
/// `agno/os/mcp.py` and `app.py`. Its routes are not in `GET /openapi.json`, so a server
/// that runs it is told with `--mcp`. None is in the scope map: the auth middleware lets
/// any valid token through (unmapped route), and the MCP server answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct McpSurface {
    /// `(METHOD, /path)` the MCP app serves: the Streamable HTTP transport, then
    /// `custom_route`s.
    pub routes: &'static [(&'static str, &'static str)],
    /// Of those, the paths app.py takes out of JWT auth (the Server Card, 3.0.9 on). With
    /// one, app.py passes `interface_excluded_paths` plus these as the excluded routes.
    pub public: &'static [&'static str],
    /// The tool-run route (3.1.9 on), where a tool's own refusal is a 200 whose body
    /// carries the error.
    pub tool_run_route: Option<&'static str>,
    /// The built-in tools that check the scopes of the REST route they stand for
    /// (`_require_tool_scopes`, 2.7.0 on, with the DEFAULT mappings: custom
    /// `scope_mappings` do not reach them). Empty before: any valid token can call every
    /// tool.
    pub tools: &'static [McpTool],
    /// `_mcp_server_is_open` (2.7.0 on): when AgentOS itself installs no auth (a
    /// JWTMiddleware added to the app by hand), the MCP app guards against DNS rebinding
    /// and answers a Host other than localhost 400 "Host not allowed." -- every path the
    /// routers do not match reaches it (it is mounted at "/").
    pub host_guard_when_open: bool,
}

/// A built-in MCP tool and the REST route its scope check stands for. `path` names the
/// tool's arguments in braces; `{component}` is `<agents|teams|workflows>/<id>` from
/// exactly one of `agent_id`, `team_id`, `workflow_id` (`_classify_lifecycle_target`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct McpTool {
    pub name: &'static str,
    pub method: &'static str,
    pub path: &'static str,
}

/// An interface (A2A, AG-UI) whose `get_scope_mappings()` AgentOS merges into the map,
/// at its default mount prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interface {
    pub name: &'static str,
    /// A route of the OpenAPI document that shows it is mounted.
    pub marker: (&'static str, &'static str),
    pub routes: &'static [Route],
}

/// A router AgentOS mounts only when the app asks for it. With `--routes` (or `--url`) the
/// tool knows it is there from its marker route; the default app has none of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptionalRouter {
    pub name: &'static str,
    /// What mounts it, for notes (`AgentOS(company=CompanyConfig(...))`).
    pub enabled_by: &'static str,
    /// A route of the OpenAPI document that shows it is mounted.
    pub marker: (&'static str, &'static str),
    /// Scope mappings AgentOS adds to the map when it is mounted, in agno's order.
    pub routes: &'static [Route],
    /// The resources those mappings name (known to `scopes` and `mint` when mounted).
    pub resources: &'static [Resource],
    /// A router-level dependency that wants the admin scope on every route of it.
    pub admin_only: Option<AdminOnly>,
}

/// A router dependency answering 403 `detail` unless the token's scopes list the admin
/// scope itself (`_require_queue_admin`, the directory's `require_admin`). It runs behind
/// the auth middleware whether or not scopes are checked there (authorization=False too).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AdminOnly {
    /// Every route at or under this path.
    pub prefix: &'static str,
    pub detail: &'static str,
}

/// A check a handler makes on its request body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyGate {
    /// `POST /eval-runs` (3.1.0, `_require_eval_target_run_access`): the body's
    /// `agent_id` / `team_id` must be one the token may run.
    EvalTarget,
    /// `POST /schedules` (3.0.0, `_require_endpoint_permission`): a POST run endpoint
    /// (`/agents|teams|workflows/<id>/runs`) needs that `<family>:run`; any other
    /// endpoint is admin-only.
    ScheduleEndpoint,
}

impl BodyGate {
    pub fn route(self) -> (&'static str, &'static str) {
        match self {
            BodyGate::EvalTarget => ("POST", "/eval-runs"),
            BodyGate::ScheduleEndpoint => ("POST", "/schedules"),
        }
    }

    /// What the body must say, for the "pass --body" note.
    pub fn target(self) -> &'static str {
        match self {
            BodyGate::EvalTarget => "the agent_id or team_id it names must be one the token may run (agents:<id>:run / teams:<id>:run)",
            BodyGate::ScheduleEndpoint => "the endpoint it schedules needs its own permission: a run endpoint (POST /agents/<id>/runs) needs agents:run for it, any other endpoint agent_os:admin",
        }
    }
}

/// How the auth middleware finds the resource a path is about, and when it lets an
/// id-less request through to be filtered (the "listing escape").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// Before 2.7.0 (`AuthMiddleware.dispatch`): the family is the first of agents,
    /// teams, workflows found anywhere in the path (`"/agents" in path`), and any
    /// request of that family without an id passes, whatever its method.
    Substring,
    /// 2.7.0 on (`check_route_scopes`): the family is the path's first segment
    /// (after an optional `/a2a`), and only a GET whose required scope is of the same
    /// family escapes.
    Anchored,
}

/// The rule switches that changed between releases.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Behaviour {
    /// `TrailingSlashMiddleware` (2.4.0): `/agents/` is matched as `/agents`.
    pub strip_trailing_slash: bool,
    pub gate: Gate,
    /// `get_accessible_resource_ids(action=...)` (2.6.7): the ids a listing shows, and
    /// the ids `require_resource_access` lets through, come from scopes with the route's
    /// own action (before: any read or run scope, whatever the action).
    pub listing_ids_need_route_action: bool,
    /// `build_insufficient_permissions_detail` (2.6.7): the 403 detail names the
    /// required scopes (before: just "Insufficient permissions").
    pub detail_names_scopes: bool,
    /// 3.1.0: `resource:action` becomes `resource:<id>:action` only when the scope's
    /// family is the path's (before: any family).
    pub rewrite_same_family_only: bool,
    /// Which mounted interfaces `AgentOS` takes out of JWT auth (`{prefix}/*` excluded).
    pub interface_exclusion: InterfaceExclusion,
    /// Before 2.4.0 `jwt.decode(audience=...)` checks `aud` itself (PyJWT's rules and
    /// order: after `exp`, before `sub`); 2.4.0 on agno checks it after the decode.
    pub audience_in_decode: bool,
    /// The 401 detail for a wrong audience (`except jwt.InvalidAudienceError`).
    pub audience_detail: &'static str,
    /// `Authorization(issuer=...)` (3.1.0): a pinned issuer is checked; before, no setting
    /// pins one and `iss` is never read.
    pub issuer_pin: bool,
    /// 2.7.0: `JWT_VERIFICATION_KEY` / `JWT_JWKS_FILE` alone installs the auth layer, so
    /// `AgentOS(authorization=False)` with an env key validates tokens (no scope check).
    /// Before, nothing is installed without `authorization=True`: every request passes.
    pub env_key_installs_auth: bool,
    /// 3.0.9: the auth middleware matches the route path (`get_route_path`: the part
    /// under a mount); before, `request.url.path`, so an AgentOS mounted under a prefix
    /// (`parent.mount("/api", app)`) is matched with the prefix, against a map and an
    /// exclusion list that never name it.
    pub matches_route_path: bool,
}

/// The newest profile: what the tool models when no version is given.
pub const LATEST: &Profile = PROFILES[PROFILES.len() - 1];

// `PROFILES` and the tables it points to (build.rs).
include!(concat!(env!("OUT_DIR"), "/agno_profiles.rs"));

/// `X.Y.Z` as numbers (a pre-release or local suffix after the patch is ignored).
fn parse_version(v: &str) -> Option<(u32, u32, u32)> {
    let mut it = v.trim().trim_start_matches('v').splitn(3, '.');
    let major = it.next()?.parse().ok()?;
    let minor = it.next()?.parse().ok()?;
    let patch_part = it.next().unwrap_or("0");
    let digits: String = patch_part
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let patch = if digits.is_empty() {
        0
    } else {
        digits.parse().ok()?
    };
    Some((major, minor, patch))
}

/// The profile for agno `version`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resolved {
    pub profile: &'static Profile,
    /// `version` is newer than every profile: the newest is used (say so once).
    pub newer_than_modelled: bool,
}

/// The profile that models agno `version`: the newest profile whose `since` is not newer
/// than it (a release between two change points behaves like the older one); a version
/// newer than the newest profile's release gets the newest.
pub fn for_version(version: &str) -> Result<Resolved> {
    let oldest = PROFILES[0].since;
    let Some(want) = parse_version(version) else {
        return Err(
            Error::input(format!("invalid agno version {version:?}")).hint(format!(
                "write it as pip shows it, e.g. --agno 3.1.10 (modelled: {})",
                modelled()
            )),
        );
    };
    let mut found = None;
    for p in PROFILES {
        let since = parse_version(p.since).unwrap_or_default();
        if since <= want {
            found = Some(*p);
        }
    }
    let Some(profile) = found else {
        return Err(Error::input(format!(
            "agno {version} is older than every modelled release (the oldest is {oldest})"
        ))
        .hint(format!(
            "modelled: {}; upgrade agno or use --agno {oldest} at your own risk",
            modelled()
        )));
    };
    let newest = parse_version(LATEST.version).unwrap_or_default();
    Ok(Resolved {
        profile,
        newer_than_modelled: want > newest,
    })
}

/// "2.3.13 to 3.1.10": the oldest release modelled to the newest.
pub fn modelled_range() -> String {
    format!("{} to {}", PROFILES[0].since, LATEST.version)
}

/// "2.3.13, 2.3.22, ..., 2.6.19 (read off 2.6.22), ...": where each profile starts.
pub fn modelled() -> String {
    PROFILES
        .iter()
        .map(|p| {
            if p.since == p.version {
                p.since.to_string()
            } else {
                format!("{} (read off {})", p.since, p.version)
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// What `_add_jwt_middleware` / `_add_auth_middleware` exclude of the mounted interfaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InterfaceExclusion {
    /// Before 2.5.13: none; interface routes go through the auth middleware.
    None,
    /// 2.5.13-2.6.x: every interface with a non-empty prefix (A2A's `/a2a`, an AG-UI
    /// mounted under a prefix, Slack, Telegram, WhatsApp).
    EveryPrefixed,
    /// 2.7.0 on: only interfaces with `authenticates_own_requests` (Slack, Telegram,
    /// WhatsApp verify their webhooks themselves); A2A and AG-UI stay behind auth.
    SelfAuthenticating,
}

/// An interface of `agno/os/interfaces/`, recognised in the OpenAPI document by its own
/// routes under its mount prefix (the prefix is whatever precedes them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InterfaceMount {
    pub name: &'static str,
    /// Its `prefix=` default: where `Interface::routes` are keyed.
    pub default_prefix: &'static str,
    /// Routes below the prefix that the interface always mounts (all must be there).
    pub routes: &'static [(&'static str, &'static str)],
    /// `authenticates_own_requests` (2.7.0 on; the webhook interfaces).
    pub authenticates_own_requests: bool,
}
