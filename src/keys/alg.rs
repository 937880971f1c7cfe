//! The algorithms AgentOS verifies, and this tool makes keys for.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Result};

/// The algorithms AgentOS verifies (and this tool makes keys for).
#[allow(clippy::upper_case_acronyms)]
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, clap::ValueEnum,
)]
pub enum Alg {
    #[value(name = "RS256")]
    RS256,
    #[value(name = "ES256")]
    ES256,
    #[value(name = "HS256")]
    HS256,
}

impl Alg {
    pub fn as_str(self) -> &'static str {
        match self {
            Alg::RS256 => "RS256",
            Alg::ES256 => "ES256",
            Alg::HS256 => "HS256",
        }
    }

    /// The kind of key the algorithm needs: "RSA", "EC P-256", "HMAC secret".
    pub fn key_type(self) -> &'static str {
        match self {
            Alg::RS256 => "RSA",
            Alg::ES256 => "EC P-256",
            Alg::HS256 => "HMAC secret",
        }
    }

    /// "an RSA key", "an EC P-256 key", "an HMAC secret".
    pub(super) fn key_phrase(self) -> &'static str {
        match self {
            Alg::RS256 => "an RSA key",
            Alg::ES256 => "an EC P-256 key",
            Alg::HS256 => "an HMAC secret",
        }
    }

    /// Exact JOSE name (`alg` members are case-sensitive).
    pub(crate) fn from_jose(s: &str) -> Option<Alg> {
        match s {
            "RS256" => Some(Alg::RS256),
            "ES256" => Some(Alg::ES256),
            "HS256" => Some(Alg::HS256),
            _ => None,
        }
    }
}

impl fmt::Display for Alg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Alg {
    type Err = Error;

    /// Case-insensitive: "rs256" is RS256.
    fn from_str(s: &str) -> Result<Alg> {
        match s.to_ascii_uppercase().as_str() {
            "RS256" => Ok(Alg::RS256),
            "ES256" => Ok(Alg::ES256),
            "HS256" => Ok(Alg::HS256),
            _ => Err(Error::input(format!("unknown algorithm \"{s}\""))
                .hint("use RS256, ES256 or HS256")),
        }
    }
}
