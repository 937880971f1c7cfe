//! agno 2.3.22, the first release where agno checks the audience itself, after the
//! decode (`Invalid token audience - ...`); otherwise 2.3.13. It answers for 2.3.22-2.3.26.
//! Read off that release's `agno/os/scopes.py` (`get_default_scope_mappings`),
//! `agno/os/middleware/jwt.py`, `agno/os/app.py` and `agno/os/routers/`
//! (tests/interop/profile_source.py, tests/interop/release_fingerprint.py).

use super::{Behaviour, Gate, Profile, Resource, ResourceGate, Route};

const fn r(method: &'static str, pattern: &'static str, scopes: &'static [&'static str]) -> Route {
    Route {
        method,
        pattern,
        scopes,
    }
}

const fn g(method: &'static str, path: &'static str, action: &'static str) -> ResourceGate {
    ResourceGate {
        method,
        path,
        action,
    }
}

const RESOURCES: &[Resource] = &[
    Resource {
        name: "system",
        actions: &["read"],
        has_ids: false,
    },
    Resource {
        name: "agents",
        actions: &["read", "write", "delete", "run"],
        has_ids: true,
    },
    Resource {
        name: "teams",
        actions: &["read", "write", "delete", "run"],
        has_ids: true,
    },
    Resource {
        name: "workflows",
        actions: &["read", "write", "delete", "run"],
        has_ids: true,
    },
    Resource {
        name: "sessions",
        actions: &["read", "write", "delete"],
        has_ids: false,
    },
    Resource {
        name: "memories",
        actions: &["read", "write", "delete"],
        has_ids: false,
    },
    Resource {
        name: "knowledge",
        actions: &["read", "write", "delete"],
        has_ids: false,
    },
    Resource {
        name: "metrics",
        actions: &["read", "write"],
        has_ids: false,
    },
    Resource {
        name: "evals",
        actions: &["read", "write", "delete"],
        has_ids: false,
    },
    Resource {
        name: "traces",
        actions: &["read"],
        has_ids: false,
    },
];

const ROUTES: &[Route] = &[
    r("GET", "/config", &["system:read"]),
    r("GET", "/models", &["system:read"]),
    r("GET", "/agents", &["agents:read"]),
    r("GET", "/agents/*", &["agents:read"]),
    r("POST", "/agents", &["agents:write"]),
    r("PATCH", "/agents/*", &["agents:write"]),
    r("DELETE", "/agents/*", &["agents:delete"]),
    r("POST", "/agents/*/runs", &["agents:run"]),
    r("POST", "/agents/*/runs/*/continue", &["agents:run"]),
    r("POST", "/agents/*/runs/*/cancel", &["agents:run"]),
    r("GET", "/teams", &["teams:read"]),
    r("GET", "/teams/*", &["teams:read"]),
    r("POST", "/teams", &["teams:write"]),
    r("PATCH", "/teams/*", &["teams:write"]),
    r("DELETE", "/teams/*", &["teams:delete"]),
    r("POST", "/teams/*/runs", &["teams:run"]),
    r("POST", "/teams/*/runs/*/continue", &["teams:run"]),
    r("POST", "/teams/*/runs/*/cancel", &["teams:run"]),
    r("GET", "/workflows", &["workflows:read"]),
    r("GET", "/workflows/*", &["workflows:read"]),
    r("POST", "/workflows", &["workflows:write"]),
    r("PATCH", "/workflows/*", &["workflows:write"]),
    r("DELETE", "/workflows/*", &["workflows:delete"]),
    r("POST", "/workflows/*/runs", &["workflows:run"]),
    r("POST", "/workflows/*/runs/*/continue", &["workflows:run"]),
    r("POST", "/workflows/*/runs/*/cancel", &["workflows:run"]),
    r("GET", "/sessions", &["sessions:read"]),
    r("GET", "/sessions/*", &["sessions:read"]),
    r("POST", "/sessions", &["sessions:write"]),
    r("POST", "/sessions/*/rename", &["sessions:write"]),
    r("PATCH", "/sessions/*", &["sessions:write"]),
    r("DELETE", "/sessions", &["sessions:delete"]),
    r("DELETE", "/sessions/*", &["sessions:delete"]),
    r("GET", "/memories", &["memories:read"]),
    r("GET", "/memories/*", &["memories:read"]),
    r("GET", "/memory_topics", &["memories:read"]),
    r("GET", "/user_memory_stats", &["memories:read"]),
    r("POST", "/memories", &["memories:write"]),
    r("PATCH", "/memories/*", &["memories:write"]),
    r("DELETE", "/memories", &["memories:delete"]),
    r("DELETE", "/memories/*", &["memories:delete"]),
    r("POST", "/optimize-memories", &["memories:write"]),
    r("GET", "/knowledge/content", &["knowledge:read"]),
    r("GET", "/knowledge/content/*", &["knowledge:read"]),
    r("GET", "/knowledge/config", &["knowledge:read"]),
    r("POST", "/knowledge/content", &["knowledge:write"]),
    r("PATCH", "/knowledge/content/*", &["knowledge:write"]),
    r("POST", "/knowledge/search", &["knowledge:read"]),
    r("DELETE", "/knowledge/content", &["knowledge:delete"]),
    r("DELETE", "/knowledge/content/*", &["knowledge:delete"]),
    r("GET", "/metrics", &["metrics:read"]),
    r("POST", "/metrics/refresh", &["metrics:write"]),
    r("GET", "/eval-runs", &["evals:read"]),
    r("GET", "/eval-runs/*", &["evals:read"]),
    r("POST", "/eval-runs", &["evals:write"]),
    r("PATCH", "/eval-runs/*", &["evals:write"]),
    r("DELETE", "/eval-runs", &["evals:delete"]),
    r("GET", "/traces", &["traces:read"]),
    r("GET", "/traces/*", &["traces:read"]),
    r("GET", "/trace_session_stats", &["traces:read"]),
];

const RESOURCE_GATES: &[ResourceGate] = &[
    g("POST", "/agents/{agent_id}/runs", "run"),
    g("POST", "/agents/{agent_id}/runs/{run_id}/cancel", "run"),
    g("POST", "/agents/{agent_id}/runs/{run_id}/continue", "run"),
    g("GET", "/agents/{agent_id}", "read"),
    g("POST", "/teams/{team_id}/runs", "run"),
    g("POST", "/teams/{team_id}/runs/{run_id}/cancel", "run"),
    g("GET", "/teams/{team_id}", "read"),
    g("GET", "/workflows/{workflow_id}", "read"),
    g("POST", "/workflows/{workflow_id}/runs", "run"),
    g(
        "POST",
        "/workflows/{workflow_id}/runs/{run_id}/cancel",
        "run",
    ),
];

pub const PROFILE: Profile = Profile {
    version: "2.3.22",
    since: "2.3.22",
    legacy_aliases: &[],
    resources: RESOURCES,
    company_resources: &[],
    unserved_routes: &[],
    public_paths: &[
        "/",
        "/health",
        "/docs",
        "/redoc",
        "/openapi.json",
        "/docs/oauth2-redirect",
    ],
    routers: &[],
    default_app: include_str!("default_apps/2.3.22.routes"),
    reserved_sub_prefixes: &[],
    reserved_subs: &[],
    routes: ROUTES,
    resource_gates: RESOURCE_GATES,
    listings: &["/agents", "/teams", "/workflows"],
    filesystem_paths: &[],
    filesystem_addressed_paths: &[],
    interfaces: &[],
    body_gates: &[],
    behaviour: Behaviour {
        strip_trailing_slash: false,
        gate: Gate::Substring,
        listing_ids_need_route_action: false,
        detail_names_scopes: false,
        rewrite_same_family_only: false,
        interface_exclusion: super::InterfaceExclusion::None,
        audience_in_decode: false,
        audience_detail: "Invalid token audience - token not valid for this AgentOS instance",
        issuer_pin: false,
        env_key_installs_auth: false,
    },
    interface_mounts: &[],
    interface_excluded_paths: &[],
};
