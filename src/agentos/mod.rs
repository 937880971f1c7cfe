//! AgentOS's own rules, read off agno's source (`agno/os/scopes.py`,
//! `agno/os/middleware/jwt.py`, `agno/os/auth.py`, the routers): the scope grammar,
//! reserved subjects, the route map and the scope decision exactly as AgentOS makes it,
//! and the verification engine over PyJWT's decoder.
//!
//! - [`profiles`]: each agno release's route map, behaviour switches and texts (data);
//! - [`scopes`]: the scope grammar, suggestions and presets;
//! - [`routes`]: which rule applies to `METHOD /path`;
//! - [`decide`]: the scope decision for a valid token;
//! - [`mcp`]: a call of the MCP server's built-in tools, checked as its REST route;
//! - [`pyjson`]: Python's `json.loads` on a token's bytes, where it differs from strict JSON;
//! - [`roles`]: managed roles (`Authorization`): the roles file and the role engine's decision;
//! - [`pyjwt`]: PyJWT's `jwt.decode` and agno's `JWTValidator`, step for step;
//! - [`public`]: `AgentOS(public=PublicSurface(...))`, anonymous access in front of the auth;
//! - [`verify`]: the verdict (status, detail, reason, fix) for a token and a request.

pub mod decide;
pub mod mcp;
pub mod profiles;
pub(crate) mod public;
pub(crate) mod pyjson;
pub(crate) mod pyjwt;
pub mod roles;
pub mod routes;
pub mod scopes;
pub mod server;
pub mod verify;

#[cfg(test)]
mod tests;

pub use decide::{
    check_access, check_access_mounted, check_body, listing_filter, Access, BodyCheck,
};
pub use profiles::{for_version, Profile, Resource, ResourceGate, Route, LATEST, PROFILES};
pub use routes::{required_scopes, route_table, RouteRule, RouterCheck};
pub use scopes::{
    check_subject, expand_preset, resource, split_scopes, validate_scope, Preset, ADMIN_SCOPE,
    PRESETS,
};
pub use server::{Mapping, Server};

/// The newest profile's resources (for listings and prompts).
pub const RESOURCES: &[Resource] = LATEST.resources;
/// The newest profile's routes without a token.
pub const PUBLIC_PATHS: &[&str] = LATEST.public_paths;
/// The newest profile's map entries the default app does not serve.
pub const UNSERVED_ROUTES: &[(&str, &str)] = LATEST.unserved_routes;
