//! agno 3.1.4, the first release with `AgentOS(company=...)`: 3.1.2's rules and map, and
//! a company map of 32 entries (3.1.5 has 45: sources, routines). It answers for 3.1.4.
//! Read off that release's `agno/os/scopes.py` (`get_default_scope_mappings(company=True)`),
//! `agno/os/middleware/jwt.py`, `agno/os/app.py` and `agno/os/routers/`
//! (tests/interop/profile_source.py, tests/interop/release_fingerprint.py).

use super::{g, r};
use super::{Behaviour, BodyGate, Gate, OptionalRouter, Profile, Resource, ResourceGate, Route};

// Unchanged since agno 3.1.0.
use super::v3_1_0::ROUTES;

const RWD: &[&str] = &["read", "write", "delete"];
const RWDX: &[&str] = &["read", "write", "delete", "run"];
const R: &[&str] = &["read"];
const RW: &[&str] = &["read", "write"];

const fn res(name: &'static str, actions: &'static [&'static str], has_ids: bool) -> Resource {
    Resource {
        name,
        actions,
        has_ids,
    }
}

/// `LEGACY_RESOURCE_ALIASES`: old resource names still honoured (`system:read` = `config:read`).
const LEGACY_ALIASES: &[(&str, &str)] = &[("system", "config")];

/// Exactly the resources and actions of `get_default_scope_mappings()`.
pub(super) const RESOURCES: &[Resource] = &[
    res("config", RW, false),
    res("registry", R, false),
    res("agents", RWDX, true),
    res("teams", RWDX, true),
    res("workflows", RWDX, true),
    res("sessions", RWD, false),
    res("memories", RWD, false),
    res("learnings", RWD, false),
    res("knowledge", RWD, false),
    res("evals", RWD, false),
    res("filesystem", R, false),
    res("metrics", RW, false),
    res("traces", R, false),
    res("service_accounts", RWD, false),
    res("schedules", RWD, false),
    res("approvals", RWD, false),
    res("components", RWD, false),
];

/// Resources that only exist with `AgentOS(company=...)` (`get_default_scope_mappings(company=True)`).
const COMPANY_RESOURCES: &[&str] = &["wiki", "decisions", "products", "projects", "tasks"];

/// Routes of the map that agno 3.1.4 does not serve: 404 for every token (observed).
const UNSERVED_ROUTES: &[(&str, &str)] = &[("GET", "/models"), ("GET", "/evals")];

/// `AuthMiddleware._get_default_excluded_routes`: served without any token.
const PUBLIC_PATHS: &[&str] = &[
    "/",
    "/health",
    "/info",
    "/docs",
    "/redoc",
    "/openapi.json",
    "/docs/oauth2-redirect",
];

/// Reserved subjects (`is_reserved_principal`): AgentOS answers 401 "Invalid token subject".
const RESERVED_SUB_PREFIXES: &[(&str, &str)] = &[
    ("sa:", "service accounts"),
    ("__oauth__:", "MCP OAuth clients"),
];
const RESERVED_SUBS: &[(&str, &str)] = &[("__scheduler__", "the internal scheduler")];

/// Every `require_resource_access` in `routers/{agents,teams,workflows}/router.py`.
pub(super) const RESOURCE_GATES: &[ResourceGate] = &[
    g("GET", "/agents/{agent_id}", "read"),
    g("POST", "/agents/{agent_id}/runs", "run"),
    g("GET", "/agents/{agent_id}/runs", "run"),
    g("GET", "/agents/{agent_id}/runs/{run_id}", "run"),
    g("POST", "/agents/{agent_id}/runs/{run_id}/cancel", "run"),
    g("POST", "/agents/{agent_id}/runs/{run_id}/continue", "run"),
    g("POST", "/agents/{agent_id}/runs/{run_id}/resume", "run"),
    g("GET", "/agents/{agent_id}/runs/{run_id}/checkpoints", "run"),
    g(
        "GET",
        "/agents/{agent_id}/runs/{run_id}/checkpoints/{message_index}",
        "run",
    ),
    g(
        "POST",
        "/agents/{agent_id}/sessions/{session_id}/fork",
        "run",
    ),
    g(
        "POST",
        "/agents/{agent_id}/sessions/{session_id}/compact",
        "run",
    ),
    g("GET", "/teams/{team_id}", "read"),
    g("POST", "/teams/{team_id}/runs", "run"),
    g("GET", "/teams/{team_id}/runs", "run"),
    g("GET", "/teams/{team_id}/runs/{run_id}", "run"),
    g("POST", "/teams/{team_id}/runs/{run_id}/cancel", "run"),
    g("POST", "/teams/{team_id}/runs/{run_id}/continue", "run"),
    g("POST", "/teams/{team_id}/runs/{run_id}/resume", "run"),
    g("GET", "/teams/{team_id}/runs/{run_id}/checkpoints", "run"),
    g(
        "GET",
        "/teams/{team_id}/runs/{run_id}/checkpoints/{message_index}",
        "run",
    ),
    g("POST", "/teams/{team_id}/sessions/{session_id}/fork", "run"),
    g("GET", "/workflows/{workflow_id}", "read"),
    g("POST", "/workflows/{workflow_id}/runs", "run"),
    g("GET", "/workflows/{workflow_id}/runs", "run"),
    g("GET", "/workflows/{workflow_id}/runs/{run_id}", "run"),
    g(
        "POST",
        "/workflows/{workflow_id}/runs/{run_id}/cancel",
        "run",
    ),
    g(
        "POST",
        "/workflows/{workflow_id}/runs/{run_id}/continue",
        "run",
    ),
    g(
        "POST",
        "/workflows/{workflow_id}/runs/{run_id}/resume",
        "run",
    ),
];

/// `get_agents` / `get_teams` / `get_workflows`: GET listings filtered by readable ids.
const LISTINGS: &[&str] = &["/agents", "/teams", "/workflows"];

/// The filesystem browser (`routers/filesystem/router.py`): every GET route also asks
/// `_get_global_filesystem_agent_ids`, i.e. the caller must see some agent.
const FILESYSTEM_PATHS: &[&str] = &[
    "/filesystem/files",
    "/filesystem/entries",
    "/filesystem/content",
    "/filesystem/search",
];

/// `get_default_scope_mappings(company=True)`'s additions, in agno's order (the nested
/// wiki routes stay before `products/*`: first match wins and `*` spans slashes).
const COMPANY_ROUTES: &[Route] = &[
    r("GET", "/company/products/*/wiki", &["wiki:read"]),
    r("GET", "/company/products/*/wiki/*", &["wiki:read"]),
    r("PUT", "/company/products/*/wiki/*", &["wiki:write"]),
    r("GET", "/company/wiki", &["wiki:read"]),
    r("GET", "/company/wiki/*", &["wiki:read"]),
    r("PUT", "/company/wiki/*", &["wiki:write"]),
    r("GET", "/company/decisions", &["decisions:read"]),
    r("POST", "/company/decisions", &["decisions:write"]),
    r("GET", "/company/products", &["products:read"]),
    r("GET", "/company/products/*", &["products:read"]),
    r("POST", "/company/products", &["products:write"]),
    r("PATCH", "/company/products/*", &["products:write"]),
    r("DELETE", "/company/products/*", &["products:delete"]),
    r("POST", "/company/products/*/restore", &["products:delete"]),
    r("GET", "/company/projects", &["projects:read"]),
    r("GET", "/company/projects/*", &["projects:read"]),
    r("POST", "/company/projects", &["projects:write"]),
    r("PATCH", "/company/projects/*", &["projects:write"]),
    r("DELETE", "/company/projects/*", &["projects:delete"]),
    r("POST", "/company/projects/*/restore", &["projects:delete"]),
    r(
        "POST",
        "/company/projects/*/transitions",
        &["projects:write"],
    ),
    r("GET", "/company/tasks", &["tasks:read"]),
    r("GET", "/company/tasks/*", &["tasks:read"]),
    r("POST", "/company/tasks", &["tasks:write"]),
    r("PATCH", "/company/tasks/*", &["tasks:write"]),
    r("DELETE", "/company/tasks/*", &["tasks:delete"]),
    r("POST", "/company/tasks/*/restore", &["tasks:delete"]),
    r("POST", "/company/tasks/*/transitions", &["tasks:write"]),
    r(
        "POST",
        "/company/tasks/*/runs",
        &["tasks:write", "wiki:read"],
    ),
    r("GET", "/company/runs/*", &["tasks:read"]),
    r("POST", "/company/runs/*/cancel", &["tasks:write"]),
    r("GET", "/company/attention", &["tasks:read"]),
];

/// The resources the company mappings name.
const COMPANY_SCOPE_RESOURCES: &[Resource] = &[
    res("wiki", RW, false),
    res("decisions", RW, false),
    res("products", RWD, false),
    res("projects", RWD, false),
    res("tasks", RWD, false),
];

/// `AgentOS(company=CompanyConfig(...))`: the products, heartbeat, projects, tasks,
/// playbook and runs routers under `/company`, and their scope mappings (app.py
/// `get_default_scope_mappings(company=self.company is not None)`).
const COMPANY: OptionalRouter = OptionalRouter {
    name: "company",
    enabled_by: "AgentOS(company=CompanyConfig(...))",
    marker: ("GET", "/company/tasks"),
    routes: COMPANY_ROUTES,
    resources: COMPANY_SCOPE_RESOURCES,
    admin_only: None,
};

pub const PROFILE: Profile = Profile {
    version: "3.1.4",
    since: "3.1.4",
    legacy_aliases: LEGACY_ALIASES,
    resources: RESOURCES,
    company_resources: COMPANY_RESOURCES,
    unserved_routes: UNSERVED_ROUTES,
    public_paths: PUBLIC_PATHS,
    routers: &[super::JOB_QUEUE, super::USER_DIRECTORY, COMPANY],
    default_app: include_str!("default_apps/3.1.4.routes"),
    reserved_sub_prefixes: RESERVED_SUB_PREFIXES,
    reserved_subs: RESERVED_SUBS,
    routes: ROUTES,
    resource_gates: RESOURCE_GATES,
    listings: LISTINGS,
    filesystem_paths: FILESYSTEM_PATHS,
    filesystem_addressed_paths: &[
        "/filesystem/entries",
        "/filesystem/content",
        "/filesystem/search",
    ],
    interfaces: super::INTERFACES,
    body_gates: &[BodyGate::EvalTarget, BodyGate::ScheduleEndpoint],
    behaviour: Behaviour {
        strip_trailing_slash: true,
        gate: Gate::Anchored,
        listing_ids_need_route_action: true,
        detail_names_scopes: true,
        rewrite_same_family_only: true,
        interface_exclusion: super::InterfaceExclusion::SelfAuthenticating,
        audience_in_decode: false,
        audience_detail: "Invalid token audience - token not valid for this AgentOS instance",
        issuer_pin: true,
        env_key_installs_auth: true,
        matches_route_path: true,
    },
    interface_mounts: super::INTERFACE_MOUNTS,
    interface_excluded_paths: super::INTERFACE_EXCLUDED_PATHS,
    mcp: super::MCP_3_0_9,
    public: Some(super::PUBLIC_3_1_2),
};
