//! A running AgentOS, asked directly (`verify/doctor/mint --url`): what it says about
//! itself, its answer to one request, and how that answer compares with the
//! prediction. No command-line types here.
//!
//! - [`client`]: HTTP (`GET /info`, `GET /openapi.json`, the request under test);
//! - [`compare`]: the server's answer next to the prediction, and the likely cause
//!   when they differ;
//! - [`authz`]: the server's managed roles, read through its `/authz` admin API;
//! - [`probe`]: whether the server verifies a key yet (`jwks use --url`);
//! - [`refusal`]: which refusal a 401's detail is (the one table of AgentOS's texts).

pub mod authz;
pub mod client;
pub mod compare;
pub mod probe;
pub mod refusal;

pub use client::{Answer, Client, Info, DEFAULT_TIMEOUT};
pub use compare::{compare, Comparison, Facts, Outcome};
