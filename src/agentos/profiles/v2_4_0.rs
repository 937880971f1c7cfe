//! agno 2.4.0: read off that release's `agno/os/scopes.py` (`get_default_scope_mappings`),
//! `agno/os/middleware/jwt.py` and `agno/os/routers/` (tests/interop/profile_source.py).

use super::{Behaviour, Gate, Profile};

// Unchanged since agno 2.3.13.
use super::v2_3_13::RESOURCES;
// Unchanged since agno 2.3.13.
use super::v2_3_13::ROUTES;
// Unchanged since agno 2.3.13.
use super::v2_3_13::RESOURCE_GATES;

pub const PROFILE: Profile = Profile {
    version: "2.4.0",
    since: "2.4.0",
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
    default_app: include_str!("default_apps/2.4.0.routes"),
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
        interface_exclusion: super::InterfaceExclusion::None,
        audience_in_decode: false,
        audience_detail: "Invalid token audience - token not valid for this AgentOS instance",
        issuer_pin: false,
        env_key_installs_auth: false,
        matches_route_path: false,
    },
    interface_mounts: &[],
    interface_excluded_paths: &[],
    mcp: super::MCP_2_3,
    public: None,
};
