//! clap types for `agentos-auth serve` (the OAuth token service) and `agentos-auth
//! clients` (the clients it serves).

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::diagnose::AgentosArgs;

/// Manage the OAuth clients of `serve` (in the key store).
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  agentos-auth clients add ci --scopes agents:read,agents:run --aud my-agent-os\n  agentos-auth clients add cron --scopes sessions:read --ttl 5m --json \n  agentos-auth clients list\n  agentos-auth clients rotate-secret ci\n  agentos-auth clients remove cron\n\nThe secret is printed once; only its SHA-256 is stored. `serve` picks up changes without a restart."
)]
pub struct ClientsArgs {
    #[command(subcommand)]
    pub command: ClientsCommand,
}

#[derive(Debug, Subcommand)]
pub enum ClientsCommand {
    Add(ClientsAddArgs),
    List(ClientsListArgs),
    Remove(ClientsRemoveArgs),
    RotateSecret(ClientsRotateArgs),
}

/// Register a client; its secret (256 random bits) is printed once on stdout.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  agentos-auth clients add ci --scopes agents:read,agents:run --aud my-agent-os\n  agentos-auth clients add cron --scopes sessions:read --ttl 5m --json \n\nScopes are checked against the agno release (--agno, else the key store's agno_version)."
)]
pub struct ClientsAddArgs {
    /// Client id: the `sub` of its tokens (letters, digits, - _ . @)
    pub id: String,
    /// Scopes its tokens may carry, comma- or space-separated (checked against the agno release)
    #[arg(long, value_name = "LIST")]
    pub scopes: Vec<String>,
    /// Roles its tokens carry (servers with managed roles), comma-separated
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub roles: Vec<String>,
    /// The AgentOS id its tokens are for [default: the key store's aud]
    #[arg(long, value_name = "OS_ID")]
    pub aud: Option<String>,
    /// Lifetime of its tokens
    #[arg(long, value_name = "DUR", default_value = "15m")]
    pub ttl: String,
    #[command(flatten)]
    pub agentos: AgentosArgs,
    /// Print {"client_id","client_secret"} on stdout
    #[arg(long)]
    pub json: bool,
}

/// List the clients: id, scopes, roles, audience, lifetime (never a secret).
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  agentos-auth clients list\n  agentos-auth clients list --json"
)]
pub struct ClientsListArgs {
    /// Print {"clients": [{"client_id", "scopes", "roles", "aud", "ttl", "created"}]} on stdout
    #[arg(long)]
    pub json: bool,
}

/// Remove a client: `serve` refuses its secret from the next request on.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  agentos-auth clients remove cron")]
pub struct ClientsRemoveArgs {
    pub id: String,
}

/// Give a client a new secret (printed once); the old one stops working at once.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  agentos-auth clients rotate-secret ci\n  agentos-auth clients rotate-secret ci --json"
)]
pub struct ClientsRotateArgs {
    pub id: String,
    /// Print {"client_id","client_secret"} on stdout
    #[arg(long)]
    pub json: bool,
}

/// Run the OAuth token service: AgentOS tokens for clients.
///
/// Client-credentials grants (RFC 6749 §4.4) signed with the key store's signing key, and
/// the store's JWKS; key rotations and client changes are picked up without a restart.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  agentos-auth serve --check                           # validate the configuration, exit\n\nRun it: agentos-auth serve (http://127.0.0.1:8700), or with TLS beyond this machine:\n  agentos-auth serve --listen 0.0.0.0:8443 --tls-cert cert.pem --tls-key key.pem\nEndpoints: POST /token, GET /.well-known/jwks.json, GET /.well-known/oauth-authorization-server, GET /healthz, GET /metrics.\nOne JSON line per request on stderr; SIGTERM stops it gracefully. See docs/serve.md."
)]
pub struct ServeArgs {
    /// Address to listen on
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8700")]
    pub listen: SocketAddr,
    /// TLS certificate chain (PEM); with --tls-key
    #[arg(long, value_name = "PEM", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// TLS private key (PEM); with --tls-cert
    #[arg(long, value_name = "PEM", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// The issuer URL (iss of tokens, RFC 8414 metadata) [default: the key store's iss, else the listen URL]
    #[arg(long, value_name = "URL")]
    pub issuer: Option<String>,
    /// RFC 8693 token exchange: trusted identity providers, a JSON file
    /// {"issuers": [{"issuer", "audience", "scopes_claim", "map", "roles_claim", "roles_map", "ca_file"}]} (docs/serve.md)
    #[arg(long, value_name = "FILE")]
    pub exchange: Option<PathBuf>,
    /// Token requests a client may make per second (a burst of twice that); 0 = no limit
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub rate_limit: u32,
    /// Requests handled at once; more get 503 with Retry-After
    #[arg(long, value_name = "N", default_value_t = 256, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_concurrency: u32,
    /// Time a client gets for the TLS handshake, the request head and the body (slow clients are cut off)
    #[arg(long, value_name = "DUR", default_value = "10s")]
    pub timeout: String,
    #[command(flatten)]
    pub agentos: AgentosArgs,
    /// Validate the configuration (key, clients, TLS, address) and exit
    #[arg(long)]
    pub check: bool,
}
