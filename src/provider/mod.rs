//! An OpenID provider's signing keys, for AgentOS (`jwks sync`, `doctor --issuer`) and
//! for a verifier of the provider's tokens (the token service's exchange). No
//! command-line types, no printing.
//!
//! - [`agentos_config`]: the AgentOS configuration for a provider's tokens (pure);
//! - [`discovery`]: the `/.well-known/openid-configuration` document (pure);
//! - [`signing_keys`]: the keys of a JWKS usable with one algorithm, and why the others
//!   are left out (pure);
//! - [`fetch`]: the HTTP client for a provider, finding its JWKS, fetching its keys;
//! - [`key_cache`]: keys by kid with bounded refresh on an unknown kid;
//! - [`sync`]: merging a provider's keys into a JWKS file with keys of other sources.
//!
//! A verifier of the provider's tokens (e.g. a token exchange) holds one [`KeyCache`]:
//!
//! ```no_run
//! use agentos_auth::provider::{fetch, Bounds, JwksEndpoint, KeyCache};
//! use agentos_auth::keys::Alg;
//! # fn main() -> agentos_auth::error::Result<()> {
//! let http = fetch::client(fetch::DEFAULT_TIMEOUT, None, "--issuer")?;
//! let discovery = fetch::fetch_discovery(&http, "https://idp.example.com/")?;
//! let keys = KeyCache::new(
//!     JwksEndpoint { http, jwks_url: discovery.jwks_uri.clone(), alg: Alg::RS256 },
//!     Bounds::default(),
//! );
//! // Per token: the key of its kid (fetched again, at most every 30 s, when unknown).
//! if let Some(key) = keys.key("kid-from-the-token-header")? {
//!     let _verifies = key.verifier()?.verify(b"header.payload", b"signature");
//! }
//! # Ok(()) }
//! ```

pub mod agentos_config;
pub mod discovery;
pub mod fetch;
pub mod key_cache;
pub mod signing_keys;
pub mod sync;

pub use discovery::Discovery;
pub use fetch::{fetch_keys, ProviderKeys, Source};
pub use key_cache::{Bounds, Fetched, JwksEndpoint, KeyCache, KeySource};
pub use signing_keys::{Dropped, Selection};
pub use sync::{sync_file, SyncReport};
