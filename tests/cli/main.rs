//! Tier 1: the unit-free CLI tests, one module per subcommand (or concern). They run the
//! real binary and need no Python, SoftHSM or PostgreSQL: `cargo test`.
//! The few tests here that also talk to a real AgentOS (through the interop venv) are
//! `#[cfg(feature = "interop")]`, beside their subcommand's other tests; the tests that are
//! interop through and through are the `interop` binary (tests/interop/main.rs).

#[path = "../common/mod.rs"]
mod common;

// Subcommands.
mod clients; // clients add/list/remove/rotate-secret: the clients of serve
mod docs; // completions, man pages, --help
mod doctor;
mod env_file; // doctor/verify --env-file: a dotenv file read as python-dotenv reads it
mod export;
mod help_examples; // every --help example, run as written (trycmd)
mod inspect;
mod jwks;
mod jwks_sync; // jwks sync: a provider's keys into a JWKS file (canned HTTP on 127.0.0.1)
mod jwks_use_probe; // jwks use --url: ask the running AgentOS first; single-key warnings
mod keygen;
mod mint;
mod mint_batch; // mint --batch
mod roles; // mint --roles, scopes --role/--subject, verify/doctor --roles-file
mod serve; // the token service: RFC 6749 answers, hostile requests, reloads
mod serve_exchange; // serve --exchange: RFC 8693 against a provider stub
mod serve_support;
mod verify;
mod verify_agno; // verify --agno/--routes/--scope-mappings/--no-authorization/--body
mod verify_alg; // verify/doctor default to the key store's algorithm
mod verify_audience; // the unchecked-audience warning
mod verify_paths;
mod verify_provider; // providers' token shapes, the JWTMiddleware switches (issue 22) // {name:path} routes, 2.3.x trailing slashes (307)

// Concerns every subcommand shares.
mod architecture; // the layers of src/: no import circle, no printing library
mod crash_safety; // the key store under SIGKILL and concurrent writers
mod encrypted_keys; // --encrypt, --password-file, the password prompt
mod hardening;
mod help_polish; // --help headings and examples, mint's stdin clash, listing wording
mod hostile_inputs;
mod onboarding;
mod prompts_no_terminal;
mod prompts_pty;
mod readme_build; // README says what the first build waits for
mod secrets;
mod stdout;
