//! Tier 2 (`cargo test --features interop`): this crate against real agno apps (the venvs of
//! `.ci/setup-venv`, `.ci/setup-live-venv`, `.ci/setup-agno-versions`), uvicorn, SoftHSM2
//! (`.ci/setup-softhsm`) and PostgreSQL (`.ci/setup-postgres`). A missing prerequisite
//! fails the test; nothing here skips. One module per subcommand where it can be.

#[path = "../common/mod.rs"]
mod common;

mod env_file; // --env-file vs python-dotenv and uvicorn --env-file
mod idp; // a real OpenID provider (oidc-provider over TLS): jwks sync, doctor --issuer, AgentOS across a rotation
mod jwks; // JWKS rotation: key choice by kid on a real AgentOS
mod jwks_use; // jwks use --url refused before an AgentOS restart, accepted after
mod live; // verify/doctor/mint --url against AgentOS under uvicorn
mod matrix; // every modelled agno release: verify vs a real app of that release
mod mint; // our keys and tokens accepted (and rejected) by AgentOS and PyJWT
mod pkcs11; // keys in a SoftHSM2 token
mod provider_shapes; // provider-shaped tokens vs real JWTMiddleware switches (issue 22)
mod readme; // README.md's Quick start, run verbatim
mod roles; // verify --roles-file vs real Authorization
mod roles_live; // verify --url --authz-token: roles read from /authz
mod sampling; // how much of a matrix's cross product a release runs (seeded samples)
mod serve; // serve: Authlib tokens at a real AgentOS, two replicas through a rotation
mod serve_k8s; // serve from a store mounted like a Kubernetes Secret (read-only bind, mount namespace)
#[path = "../cli/serve_support.rs"]
mod serve_support;
mod server; // the guard for a server on 127.0.0.1 (uvicorn + tests/live/app.py)
mod verify; // verify vs real AgentOS (agno 3.1.10)
mod verify_alg; // an ES256 store against a real ES256 AgentOS
mod verify_audience; // the audience warning's 401, on the real app
