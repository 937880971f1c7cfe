//! AgentOS's own rules, read off agno's source (`agno/os/scopes.py`,
//! `agno/os/middleware/jwt.py`, `agno/os/auth.py`, the routers): the scope grammar,
//! reserved subjects, the route map and the scope decision exactly as AgentOS makes it,
//! and the verification engine over PyJWT's decoder.
//!
//! - [`profiles`]: each agno release's route map, behaviour switches and texts (data);
//! - [`deployment`]: the AgentOS a verdict is about (release, routes, mappings, mount);
//! - [`scopes`]: the scope grammar, suggestions and presets;
//! - `path_pattern`: `fnmatch` and FastAPI's `{param}` templates;
//! - [`routes`]: which rule applies to `METHOD /path`, and the router check behind it;
//! - [`config`], [`request`], [`verdict`]: what is asked (the server's setup, the
//!   request) and the answer (status, detail, reason, fix);
//! - [`decision`]: the route decision, written once over a `Decider`;
//! - `scope_match`: `agno/os/scopes.py` line for line;
//! - [`scope_plane`]: the decider on token scopes alone;
//! - [`roles`]: managed roles (`Authorization`): the roles file and the planes it composes;
//! - `body`: the handlers' checks on a request body;
//! - [`middleware`]: the manual `JWTMiddleware`'s switches (scopes and user id claims,
//!   token source);
//! - [`mcp`]: a call of the MCP server's built-in tools, checked as its REST route;
//! - `pyjson`: Python's `json.loads` on a token's bytes, where it differs from strict JSON;
//! - `pyjwt`: PyJWT's `jwt.decode` and agno's `JWTValidator`, step for step;
//! - `rejection`: the 401s, in AgentOS's words and ours;
//! - `public`: `AgentOS(public=PublicSurface(...))`, anonymous access in front of the auth;
//! - [`provider_shape`]: identity providers' token shapes (scopes in `scope`, `permissions`,
//!   `roles`, ...) and the AgentOS setting that reads them;
//! - [`pipeline`]: token checks, route, body, decision, verdict.
//!
//! This file is the facade for the rest of the crate: the modules here import each
//! other by path (`super::routes::...`), never through it.

pub(crate) mod body;
pub mod config;
pub mod decision;
pub mod deployment;
pub mod mcp;
pub mod middleware;
pub(crate) mod path_pattern;
pub mod pipeline;
pub mod profiles;
pub mod provider_shape;
pub(crate) mod public;
pub(crate) mod pyjson;
pub(crate) mod pyjwt;
pub(crate) mod rejection;
pub mod request;
pub mod roles;
pub mod routes;
pub(crate) mod scope_match;
pub mod scope_plane;
pub mod scopes;
pub mod verdict;

#[cfg(test)]
mod tests;

pub use body::BodyCheck;
pub use config::{Config, JwksSource, StaticKey, LEEWAY};
pub use decision::{Access, Decision, Visible};
pub use deployment::{Mapping, Server};
pub use pipeline::{verify, warn_unchecked_audience};
pub use profiles::{for_version, Profile, Resource, ResourceGate, Route, LATEST, PROFILES};
pub use pyjwt::{agno_jwk_key, has_literal_newlines, static_key_problem};
pub use request::Request;
pub use routes::{required_scopes, route_table, RouteRule, RouterCheck};
pub use scope_plane::{check_access, check_access_mounted, check_body, listing_filter};
pub use scopes::{
    check_subject, expand_preset, resource, split_scopes, validate_scope, Preset, ADMIN_SCOPE,
    PRESETS,
};
pub use verdict::{Redirect, Verdict};

/// The newest profile's resources (for listings and prompts).
pub const RESOURCES: &[Resource] = LATEST.resources;
/// The newest profile's routes without a token.
pub const PUBLIC_PATHS: &[&str] = LATEST.public_paths;
/// The newest profile's map entries the default app does not serve.
pub const UNSERVED_ROUTES: &[(&str, &str)] = LATEST.unserved_routes;
