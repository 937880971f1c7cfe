//! agno 3.1.2: 3.1.0 with the session-compact route's run gate
//! (`POST /agents/{agent_id}/sessions/{session_id}/compact`). It answers for 3.1.2-3.1.4
//! (3.1.4 adds `AgentOS(company=...)`, not modelled before 3.1.5).
//! Read off that release's `agno/os/scopes.py` (`get_default_scope_mappings`),
//! `agno/os/middleware/jwt.py`, `agno/os/app.py` and `agno/os/routers/`
//! (tests/interop/profile_source.py, tests/interop/release_fingerprint.py).

use super::g;
use super::{Behaviour, BodyGate, Gate, Profile, ResourceGate};

// Unchanged since agno 3.1.0.
use super::v3_1_0::RESOURCES;
// Unchanged since agno 3.1.0.
use super::v3_1_0::ROUTES;

const RESOURCE_GATES: &[ResourceGate] = &[
    g("POST", "/agents/{agent_id}/runs", "run"),
    g("POST", "/agents/{agent_id}/runs/{run_id}/cancel", "run"),
    g("POST", "/agents/{agent_id}/runs/{run_id}/continue", "run"),
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
    g("GET", "/agents/{agent_id}", "read"),
    g("GET", "/agents/{agent_id}/runs/{run_id}", "run"),
    g("GET", "/agents/{agent_id}/runs/{run_id}/checkpoints", "run"),
    g(
        "GET",
        "/agents/{agent_id}/runs/{run_id}/checkpoints/{message_index}",
        "run",
    ),
    g("POST", "/agents/{agent_id}/runs/{run_id}/resume", "run"),
    g("GET", "/agents/{agent_id}/runs", "run"),
    g("POST", "/teams/{team_id}/runs", "run"),
    g("POST", "/teams/{team_id}/runs/{run_id}/cancel", "run"),
    g("POST", "/teams/{team_id}/runs/{run_id}/resume", "run"),
    g("POST", "/teams/{team_id}/runs/{run_id}/continue", "run"),
    g("POST", "/teams/{team_id}/sessions/{session_id}/fork", "run"),
    g("GET", "/teams/{team_id}", "read"),
    g("GET", "/teams/{team_id}/runs/{run_id}", "run"),
    g("GET", "/teams/{team_id}/runs/{run_id}/checkpoints", "run"),
    g(
        "GET",
        "/teams/{team_id}/runs/{run_id}/checkpoints/{message_index}",
        "run",
    ),
    g("GET", "/teams/{team_id}/runs", "run"),
    g("GET", "/workflows/{workflow_id}", "read"),
    g("POST", "/workflows/{workflow_id}/runs", "run"),
    g(
        "POST",
        "/workflows/{workflow_id}/runs/{run_id}/continue",
        "run",
    ),
    g(
        "POST",
        "/workflows/{workflow_id}/runs/{run_id}/cancel",
        "run",
    ),
    g(
        "POST",
        "/workflows/{workflow_id}/runs/{run_id}/resume",
        "run",
    ),
    g("GET", "/workflows/{workflow_id}/runs/{run_id}", "run"),
    g("GET", "/workflows/{workflow_id}/runs", "run"),
];

pub const PROFILE: Profile = Profile {
    version: "3.1.2",
    since: "3.1.2",
    legacy_aliases: &[("system", "config")],
    resources: RESOURCES,
    company_resources: &[],
    unserved_routes: &[],
    public_paths: &[
        "/",
        "/health",
        "/info",
        "/docs",
        "/redoc",
        "/openapi.json",
        "/docs/oauth2-redirect",
    ],
    routers: &[super::JOB_QUEUE, super::USER_DIRECTORY],
    default_app: include_str!("default_apps/3.1.2.routes"),
    // `is_reserved_principal`: RESERVED_PRINCIPAL_PREFIXES and INTERNAL_SCHEDULER_USER_ID.
    reserved_sub_prefixes: &[
        ("sa:", "service accounts"),
        ("__oauth__:", "MCP OAuth clients"),
    ],
    reserved_subs: &[("__scheduler__", "the internal scheduler")],
    routes: ROUTES,
    resource_gates: RESOURCE_GATES,
    listings: &["/agents", "/teams", "/workflows"],
    filesystem_paths: &[
        "/filesystem/files",
        "/filesystem/entries",
        "/filesystem/content",
        "/filesystem/search",
    ],
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
