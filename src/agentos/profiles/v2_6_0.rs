//! agno 2.6.0: 2.5.14 with `require_resource_access(..., "run")` on the new resume routes,
//! the team and workflow continue routes and the workflow run listing. It answers for
//! 2.6.0-2.6.6.
//! Read off that release's `agno/os/scopes.py` (`get_default_scope_mappings`),
//! `agno/os/middleware/jwt.py`, `agno/os/app.py` and `agno/os/routers/`
//! (tests/interop/profile_source.py, tests/interop/release_fingerprint.py).

use super::g;
use super::{Behaviour, Gate, Profile, ResourceGate};

// Unchanged since agno 2.5.0.
use super::v2_5_0::RESOURCES;
// Unchanged since agno 2.5.6.
use super::v2_5_6::ROUTES;

pub(super) const RESOURCE_GATES: &[ResourceGate] = &[
    g("POST", "/agents/{agent_id}/runs", "run"),
    g("POST", "/agents/{agent_id}/runs/{run_id}/cancel", "run"),
    g("POST", "/agents/{agent_id}/runs/{run_id}/continue", "run"),
    g("GET", "/agents/{agent_id}", "read"),
    g("GET", "/agents/{agent_id}/runs/{run_id}", "run"),
    g("POST", "/agents/{agent_id}/runs/{run_id}/resume", "run"),
    g("GET", "/agents/{agent_id}/runs", "run"),
    g("POST", "/teams/{team_id}/runs", "run"),
    g("POST", "/teams/{team_id}/runs/{run_id}/cancel", "run"),
    g("POST", "/teams/{team_id}/runs/{run_id}/resume", "run"),
    g("POST", "/teams/{team_id}/runs/{run_id}/continue", "run"),
    g("GET", "/teams/{team_id}", "read"),
    g("GET", "/teams/{team_id}/runs/{run_id}", "run"),
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
    version: "2.6.0",
    since: "2.6.0",
    legacy_aliases: &[],
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
    routers: &[],
    default_app: include_str!("default_apps/2.6.0.routes"),
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
        strip_trailing_slash: true,
        gate: Gate::Substring,
        listing_ids_need_route_action: false,
        detail_names_scopes: false,
        rewrite_same_family_only: false,
        interface_exclusion: super::InterfaceExclusion::EveryPrefixed,
        audience_in_decode: false,
        audience_detail: "Invalid token audience - token not valid for this AgentOS instance",
        issuer_pin: false,
        env_key_installs_auth: false,
        matches_route_path: false,
    },
    interface_mounts: super::INTERFACE_MOUNTS,
    // app.py now repeats `/info` in the list that replaces the defaults.
    interface_excluded_paths: super::INTERFACE_EXCLUDED_PATHS,
    mcp: super::MCP_2_3,
    public: None,
};
