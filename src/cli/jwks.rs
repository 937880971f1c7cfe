//! clap types for `agentos-auth jwks ...` (issue: JWKS keyring).

use clap::{Args, Subcommand};

/// Manage a JWKS file by kid: add, rotate, remove, list.
#[derive(Debug, Args)]
pub struct JwksArgs {
    #[command(subcommand)]
    pub command: JwksCommand,
}

#[derive(Debug, Subcommand)]
pub enum JwksCommand {
    /// List the keys of a JWKS (stub)
    List,
}
