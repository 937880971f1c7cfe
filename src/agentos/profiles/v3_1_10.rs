//! agno 3.1.10, read off and tested there; its answers start at 3.1.9, where the MCP
//! server gained its tool-run route (3.1.5-3.1.8, which have the same JWT/RBAC
//! fingerprint and company scope mappings, are the 3.1.5 profile: this one without it).
//! `agno/os/scopes.py`, `agno/os/middleware/jwt.py`, the routers.

use super::r;
use super::{Behaviour, BodyGate, Gate, OptionalRouter, Profile, Resource, Route};

// Unchanged since agno 3.1.4.
use super::v3_1_4::RESOURCES;
// Unchanged since agno 3.1.0.
use super::v3_1_0::ROUTES;
// Unchanged since agno 3.1.4.
use super::v3_1_4::RESOURCE_GATES;

const RWD: &[&str] = &["read", "write", "delete"];
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

/// Resources that only exist with `AgentOS(company=...)` (`get_default_scope_mappings(company=True)`).
const COMPANY_RESOURCES: &[&str] = &[
    "wiki",
    "decisions",
    "sources",
    "routines",
    "products",
    "projects",
    "tasks",
];

/// Routes of the map that agno 3.1.10 does not serve: 404 for every token (observed).
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
    r("GET", "/company/sources", &["sources:read"]),
    r("POST", "/company/sources", &["sources:write"]),
    r("DELETE", "/company/sources/*", &["sources:delete"]),
    r("POST", "/company/sources/*/restore", &["sources:delete"]),
    r("GET", "/company/routines", &["routines:read"]),
    r(
        "GET",
        "/company/routines/*/runs",
        &["routines:read", "schedules:read"],
    ),
    r("GET", "/company/routines/*", &["routines:read"]),
    r(
        "POST",
        "/company/routines/*/trigger",
        &["routines:write", "schedules:write"],
    ),
    r(
        "POST",
        "/company/routines",
        &["routines:write", "schedules:write"],
    ),
    r(
        "PATCH",
        "/company/routines/*",
        &["routines:write", "schedules:write"],
    ),
    r(
        "POST",
        "/company/routines/*/pause",
        &["routines:write", "schedules:write"],
    ),
    r(
        "POST",
        "/company/routines/*/resume",
        &["routines:write", "schedules:write"],
    ),
    r("POST", "/company/setup", &["products:write"]),
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
    res("sources", RWD, false),
    res("routines", RW, false),
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
    version: "3.1.10",
    since: "3.1.9",
    legacy_aliases: LEGACY_ALIASES,
    resources: RESOURCES,
    company_resources: COMPANY_RESOURCES,
    unserved_routes: UNSERVED_ROUTES,
    public_paths: PUBLIC_PATHS,
    routers: &[super::JOB_QUEUE, super::USER_DIRECTORY, COMPANY],
    default_app: include_str!("default_apps/3.1.10.routes"),
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
    mcp: super::MCP_3_1_9,
    public: Some(super::PUBLIC_3_1_9),
};
