//! What the AgentOS under test is configured with: its algorithm, keys, audience,
//! issuer, clock, managed roles and which deployment it is (release, routes, mappings).

use super::deployment::Server;
use super::roles::Policy;
use crate::jwk_set::InspectedKey;
use crate::keys::Alg;

/// PyJWT leeway AgentOS passes (`JWTValidator(leeway=10)`).
pub const LEEWAY: f64 = 10.0;

/// A static verification key exactly as AgentOS receives it (`verification_keys`
/// items, then `JWT_VERIFICATION_KEY`): the raw text, no repair.
#[derive(Debug, Clone)]
pub struct StaticKey {
    /// Where it came from, for messages: "JWT_VERIFICATION_KEY", "key.pem".
    pub label: String,
    pub text: String,
}

/// A JWKS as AgentOS loads it (`jwks_file` / `JWT_JWKS_FILE`).
#[derive(Debug)]
pub struct JwksSource {
    /// "jwks.json", "JWT_JWKS_FILE=/etc/jwks.json".
    pub label: String,
    pub keys: Vec<InspectedKey>,
}

/// What the AgentOS under test is configured with.
#[derive(Debug)]
pub struct Config {
    /// `algorithm=` (default RS256): the only `alg` accepted.
    pub alg: Alg,
    pub static_keys: Vec<StaticKey>,
    pub jwks: Option<JwksSource>,
    /// Expected audience when `verify_audience=True` (the configured `audience`, else
    /// the AgentOS id); `None` when the audience is not verified.
    pub audience: Option<Vec<String>>,
    /// `Authorization(issuer=...)`.
    pub issuer: Option<String>,
    /// The server's clock, unix seconds.
    pub now: f64,
    /// The server's managed roles (`--roles-file`); `None`: scopes alone decide.
    pub roles: Option<Policy>,
    /// Which AgentOS: release profile, authorization on/off, mounted routes, mappings.
    pub server: Server,
}
