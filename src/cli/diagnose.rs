//! clap types for `inspect`, `verify`, `doctor`, `scopes` (issue: say what AgentOS will do).

use clap::Args;

/// Decode a token without verifying it (stub).
#[derive(Debug, Args)]
pub struct InspectArgs {}

/// Verify a token exactly as AgentOS would (stub).
#[derive(Debug, Args)]
pub struct VerifyArgs {}

/// Check the environment AgentOS reads (stub).
#[derive(Debug, Args)]
pub struct DoctorArgs {}

/// AgentOS scope reference and mint presets (stub).
#[derive(Debug, Args)]
pub struct ScopesArgs {}
