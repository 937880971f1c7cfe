//! A running AgentOS, asked directly (`verify/doctor/mint --url`): what it says about
//! itself, its answer to one request, and how that answer compares with the
//! prediction. No command-line types here.
//!
//! - [`client`]: HTTP (`GET /info`, `GET /openapi.json`, the request under test);
//! - [`compare`]: the server's answer next to the prediction, and the likely cause
//!   when they differ;
//! - [`authz`]: the server's managed roles, read through its `/authz` admin API.

pub mod authz;
pub mod client;
pub mod compare;

pub use client::{Answer, Info, Server, DEFAULT_TIMEOUT};
pub use compare::{compare, Comparison, Facts, Outcome};

use serde_json::Value;

use crate::agentos::{Profile, LATEST};

/// The profile that models a server, from what it says about itself: its `/info`
/// `agno_version` and its OpenAPI document (the routes it mounts).
///
/// One place to pick it, so the prediction for `--url` follows the version profiles:
/// today every server is modelled by the newest profile (the only one); the version
/// the server reports is compared with it in [`compare`].
pub fn profile_for(_agno_version: Option<&str>, _openapi: Option<&Value>) -> &'static Profile {
    LATEST
}
