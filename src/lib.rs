//! agentos-auth: keys and tokens for AgentOS (agno).
//!
//! CLI-free modules hold the logic (`keys`, `jwk`, `claims`, `agentos` (the AgentOS
//! model and the verification engine, `agentos::verify`), `token`, `keyring`, `store`,
//! `fsio`, `redact`, `error`); `cli` and `commands` are the command-line layer over them.

pub mod agentos;
pub mod claims;
pub mod cli;
pub mod commands;
pub mod error;
pub mod fsio;
pub mod hardening;
pub mod jwk_set;
pub mod keyring;
pub mod keys;
pub mod live;
pub mod notice;
pub mod redact;
pub mod store;
pub mod time;
pub mod token;
