//! agentos-auth: keys and tokens for AgentOS (agno), and what a real AgentOS of a given
//! agno release answers for a token and a request.
//!
//! The crate is layered; a module uses its own layer and the layers below, never one
//! above, and no two files import each other, directly or round a circle
//! (`tests/cli/architecture.rs` checks all of it on the source):
//!
//! 1. **Foundation**: [`error`] (errors as values, exit codes), [`redact`] (no key
//!    material in a message), [`notice`] (warnings as values for the CLI to print),
//!    [`time`] (durations, timestamps), [`hardening`].
//! 2. **File safety**: [`fsio`] (atomic writes, modes, locks, bounded reads). Below the
//!    keys because keys are read through it.
//! 3. **HTTP client**: [`http`] (the one agent setup: trust roots or `--ca-file`,
//!    timeouts, size caps, the scheme and redirect policy, transport errors as values).
//! 4. **Keys and signing**: [`keys`] (one `Key` from PEM, JWK, OpenSSH, a secret or a
//!    PKCS#11 token; signing and verifying), [`jwk_set`] (JWK Sets), [`token`] (JWS).
//! 5. **The agno model**: [`agentos`]: release profiles, routes, scopes, the one route
//!    decision over two deciders (the scope plane, managed roles), PyJWT's decoder, the
//!    verdict pipeline, the manual `JWTMiddleware`'s switches, identity providers' token
//!    shapes. Data in, data out: no files, network, processes, environment, clock or
//!    terminal.
//! 6. **Token claims**: [`claims`] (what `mint` puts in a token, checked against the
//!    model).
//! 7. **Key store**: [`keyring`] (a key directory and its JWKS), [`store`] (the home
//!    directory and its settings), [`clients`] (the OAuth clients of `serve`).
//! 8. **Identity provider**: [`provider`] (OpenID discovery, JWKS fetch, the signing
//!    keys usable with one algorithm, a verifier-side key cache, `jwks sync`'s merge).
//! 9. **Live-server client**: [`live`] (ask a running AgentOS, compare with the model).
//! 10. **Token service**: [`serve`] (the OAuth token endpoint, JWKS and metadata over
//!     HTTP(S); log lines are handed to the CLI layer, which prints them).
//! 11. **CLI**: [`cli`] (clap types), [`commands`] (one module per subcommand, terminal
//!     output), and `main.rs`. Only this layer prints.
//!
//! Inside a directory, `mod.rs` is the facade for the rest of the crate; the files
//! beside it import each other by path, never through it.

pub mod agentos;
pub mod claims;
pub mod cli;
pub mod clients;
pub mod commands;
pub mod error;
pub mod fsio;
pub mod hardening;
pub mod http;
pub mod jwk_set;
pub mod keyring;
pub mod keys;
pub mod live;
pub mod notice;
pub mod provider;
pub mod redact;
pub mod serve;
pub mod store;
pub mod time;
pub mod token;
