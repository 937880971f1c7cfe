//! clap types for `agentos-auth jwks ...`: a JWKS file by kid, and the key ring beside it.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::keys::Alg;

/// Manage the JWKS file AgentOS reads (JWT_JWKS_FILE).
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  agentos-auth jwks list                         # the key store's jwks.json; SIGNING * = mint's key\n  agentos-auth jwks rotate --keep 3              # new signing key; keep the 3 newest\n  agentos-auth jwks add --jwks jwks.json --key partner.pub.pem\n  agentos-auth jwks remove --kid OLD_KID\n  agentos-auth jwks sync --from https://idp/ --jwks jwks.json   # a provider's keys\n\n--jwks and --key-dir default together to the key store (jwks.json and keys/)."
)]
pub struct JwksArgs {
    #[command(subcommand)]
    pub command: JwksCommand,
}

#[derive(Debug, Subcommand)]
pub enum JwksCommand {
    List(JwksListArgs),
    Add(JwksAddArgs),
    Remove(JwksRemoveArgs),
    Rotate(JwksRotateArgs),
    Use(JwksUseArgs),
    Prune(JwksPruneArgs),
    Sync(JwksSyncArgs),
}

/// A JWKS, optionally with its key ring (which key signs).
#[derive(Debug, Args)]
pub struct JwksLocation {
    /// JWKS file (what AgentOS reads as JWT_JWKS_FILE) [default: the key store's jwks.json]
    #[arg(long, value_name = "FILE")]
    pub jwks: Option<PathBuf>,
    /// Key directory with keyring.json and the private keys [default: the key store's
    /// keys/ when --jwks is not given or is the store's jwks.json; else none]
    #[arg(long, value_name = "DIR", requires = "jwks")]
    pub key_dir: Option<PathBuf>,
}

/// A JWKS and its key ring, both needed (they default together to the key store).
#[derive(Debug, Args)]
pub struct RingLocation {
    /// JWKS file that publishes the ring's public keys [default: the key store's jwks.json]
    #[arg(long, value_name = "FILE", requires = "key_dir")]
    pub jwks: Option<PathBuf>,
    /// Key directory: private keys (0600) and keyring.json [default: the key store's keys/]
    #[arg(long, value_name = "DIR", requires = "jwks")]
    pub key_dir: Option<PathBuf>,
}

/// List the keys of a JWKS: kid, algorithm, size or curve, which one signs now.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  agentos-auth jwks list\n  agentos-auth jwks list --jwks /srv/agentos/jwks.json --json\n  agentos-auth jwks list --jwks jwks.json --key-dir ./keys   # with the signing key marked\n\nBroken keys are listed with the reason AgentOS skips them; warnings go to stderr."
)]
pub struct JwksListArgs {
    #[command(flatten)]
    pub at: JwksLocation,
    /// Print {"keys":[{"kid","alg","signing",...}],...} on stdout
    #[arg(long)]
    pub json: bool,
}

/// Publish the public part of a key (private or public PEM, or a JWK) in a JWKS.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  agentos-auth jwks add --jwks jwks.json --key other-service.pub.pem\n  agentos-auth jwks add --jwks jwks.json --key key.pem --kid prod-2026   # public part only\n  cat key.jwk | agentos-auth jwks add --jwks jwks.json --key -\n\nCreates the file when missing. The same key twice is a no-op; a kid already used by\nanother key is refused. HS256 secrets are refused: they have no public form."
)]
pub struct JwksAddArgs {
    #[command(flatten)]
    pub at: JwksLocation,
    /// Key file: private or public PEM, or a JWK; - for stdin
    #[arg(long, value_name = "FILE")]
    pub key: PathBuf,
    /// kid [default: the JWK's kid, else the RFC 7638 thumbprint]
    // Thumbprint kids may start with '-'.
    #[arg(long, allow_hyphen_values = true)]
    pub kid: Option<String>,
    /// Print {"kid","added","jwks"} on stdout
    #[arg(long)]
    pub json: bool,
}

/// Remove one key by kid from the JWKS and the key ring; its files move to DIR/removed/.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  agentos-auth jwks remove --kid OLD_KID                       # from the key store\n  agentos-auth jwks remove --jwks jwks.json --kid partner-1\n  agentos-auth jwks remove --kid LEAKED_KID --force            # even the signing key\n\nTokens signed by a removed key get 401 from AgentOS once it reloads the JWKS.\nPrivate key files are never deleted: they move to <key-dir>/removed/.\nThe signing key (of this ring, or of any ring that published into the JWKS, as\nrecorded in FILE.keyrings beside it) and the last key are only removed with --force."
)]
pub struct JwksRemoveArgs {
    #[command(flatten)]
    pub at: JwksLocation,
    /// kid of the key to remove
    // Thumbprint kids may start with '-'.
    #[arg(long, allow_hyphen_values = true)]
    pub kid: String,
    /// Remove even the key that signs now, or the last key (mint then has no key until
    /// the next rotate; AgentOS does not start with an empty JWKS)
    #[arg(long)]
    pub force: bool,
    /// Print {"kid","was_signing","from_jwks","from_keyring","moved"} on stdout
    #[arg(long)]
    pub json: bool,
}

/// Make a new signing key: private key into the key directory, public JWK into the JWKS.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  agentos-auth jwks rotate                          # the key store: mint signs with the new key\n  agentos-auth jwks rotate --keep 3                 # and drop all but the 3 newest keys\n  agentos-auth jwks rotate --jwks /srv/jwks.json --key-dir /srv/keys --alg ES256\n  agentos-auth jwks rotate --stage                  # publish; restart AgentOS; jwks use --kid NEW\n\nAgentOS reads the JWKS when it starts: a token of the new kid gets 401 until it restarts\n(--stage avoids that window). Older keys stay published so the tokens they signed keep verifying; drop them once\nthose tokens have expired (--keep N, or jwks prune --older-than DUR)."
)]
pub struct JwksRotateArgs {
    #[command(flatten)]
    pub at: RingLocation,
    /// Algorithm of the new key [default: the current signing key's, else RS256]
    #[arg(long, ignore_case = true)]
    pub alg: Option<Alg>,
    /// RSA key size in bits
    #[arg(long, default_value_t = 2048, value_parser = super::parsers::rsa_bits())]
    pub bits: u32,
    /// kid of the new key [default: its RFC 7638 thumbprint]
    // Thumbprint kids may start with '-'.
    #[arg(long, allow_hyphen_values = true)]
    pub kid: Option<String>,
    /// Publish the new key but keep signing with the current one; switch later with
    /// `jwks use --kid KID`, after AgentOS has reloaded the JWKS
    #[arg(long, conflicts_with = "keep")]
    pub stage: bool,
    /// Create the new key pair inside the PKCS#11 token this URI names (object= labels
    /// it, default the kid) [default: the token of the current signing key, if any]
    #[arg(long, value_name = "PKCS11_URI")]
    pub token: Option<String>,
    /// Afterwards keep only the N newest keys of the ring (the new one counts); a key
    /// that stopped signing within the token lifetime is kept anyway
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub keep: Option<u32>,
    /// With --keep: drop keys even when they stopped signing less than a token lifetime
    /// ago (the store's expires_in, else 1h); tokens they signed then get 401
    #[arg(long, requires = "keep")]
    pub ignore_token_lifetime: bool,
    /// Print {"kid","alg","previous_kid","signing_kid","staged","private_key","public_key","jwks","pruned"} on stdout
    #[arg(long)]
    pub json: bool,
}

/// Make a key of the ring the signing key (e.g. one published with rotate --stage).
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  agentos-auth jwks rotate --stage --json          # publish NEW; deploy/restart AgentOS\n  agentos-auth jwks use --kid NEW --url http://127.0.0.1:7777   # switch once AgentOS verifies NEW\n  agentos-auth jwks use --kid NEW --url http://a:7777 --url http://b:7777\n  agentos-auth jwks use --kid OLD                  # roll back to a key still in the ring\n\nThe key must be published in the JWKS (RS256/ES256), else AgentOS would answer 401.\nAgentOS reads the JWKS only when it starts: with --url, each server first gets a\n60-second token of KID without scopes (GET /agents); 403 means it verified the\nsignature, 401 that it has not loaded the key: then nothing switches (exit 10)."
)]
pub struct JwksUseArgs {
    #[command(flatten)]
    pub at: RingLocation,
    /// kid of the key to sign with from now on
    // Thumbprint kids may start with '-'.
    #[arg(long, allow_hyphen_values = true)]
    pub kid: String,
    /// Switch only if the AgentOS at URL verifies the key's tokens (a probe token of
    /// KID, no scopes); repeat for several servers: all must
    #[arg(long, value_name = "URL")]
    pub url: Vec<String>,
    /// Seconds each --url server has to answer
    #[arg(long, value_name = "SECS", default_value = "10", value_parser = super::parsers::timeout_secs, requires = "url")]
    pub timeout: std::time::Duration,
    /// Switch even when a --url server cannot verify the key (its tokens get 401 there
    /// until it restarts)
    #[arg(long, requires = "url")]
    pub force: bool,
    /// Print {"kid","previous_kid"} on stdout; with --url also
    /// "servers":[{"url","status","detail","verifies"}]
    #[arg(long)]
    pub json: bool,
}

/// Drop old keys of the ring from the JWKS (never the signing key).
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  agentos-auth jwks prune --older-than 30d          # keys that stopped signing 30+ days ago\n  agentos-auth jwks prune --keep 2                  # all but the 2 newest keys\n  agentos-auth jwks prune --older-than 7d --keep 2  # both rules must agree to drop a key\n\nAge counts from when a key stopped signing: pick DUR longer than your tokens live.\nA key that stopped signing less than a token lifetime ago (the store's expires_in,\nelse 1h) is kept with a warning, unless --ignore-token-lifetime.\nOnly keys of the ring are pruned; keys added with `jwks add` stay until `jwks remove`.\nDropped keys' files move to <key-dir>/removed/."
)]
#[command(group = clap::ArgGroup::new("rule").required(true).multiple(true).args(["older_than", "keep"]))]
pub struct JwksPruneArgs {
    #[command(flatten)]
    pub at: RingLocation,
    /// Drop keys that stopped signing more than DUR ago (30s, 15m, 24h, 7d, 2w)
    #[arg(long, value_name = "DUR")]
    pub older_than: Option<String>,
    /// Keep the N newest keys (the signing key counts)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub keep: Option<u32>,
    /// Drop keys even when they stopped signing less than a token lifetime ago (the
    /// store's expires_in, else 1h); tokens they signed then get 401
    #[arg(long)]
    pub ignore_token_lifetime: bool,
    /// Print {"pruned":[...],"spared":[...]} on stdout
    #[arg(long)]
    pub json: bool,
}

/// Copy an identity provider's signing keys into a JWKS file AgentOS reads (keys of
/// other sources in the file stay).
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  agentos-auth jwks sync --from https://idp.example/ --jwks jwks.json\n  agentos-auth jwks sync --from https://idp/jwks --jwks j.json --alg ES256\n  agentos-auth jwks sync --from https://idp/ --jwks j.json --json\n  agentos-auth jwks sync --from https://idp/ --ca-file ca.pem --jwks j.json\n  agentos-auth jwks sync --from https://idp/ --jwks j.json --on-change ./re.sh\n  agentos-auth jwks sync --from https://idp/ --jwks j.json --watch 10m   # a sidecar\n\n--from is the issuer (its /.well-known/openid-configuration names jwks_uri) or the JWKS URL.\nOnly keys usable with --alg are copied; the others are listed as dropped, with why.\nKeys of the provider that disappeared are removed (the provider's kids are recorded in\nFILE.sources); keys of other sources stay. A failed fetch leaves FILE as it was.\nAgentOS reads the JWKS when it starts: --on-change restarts it (run by sh -c, after a change only)."
)]
pub struct JwksSyncArgs {
    /// The provider's issuer URL (or its discovery URL), or its JWKS URL; https (plain
    /// http only to a loopback address)
    #[arg(long, value_name = "URL")]
    pub from: String,
    /// JWKS file to keep in sync (what AgentOS reads as jwks_file / JWT_JWKS_FILE);
    /// created when missing
    #[arg(long, value_name = "FILE")]
    pub jwks: PathBuf,
    /// The algorithm AgentOS verifies (JWTMiddleware's algorithm), RS256 or ES256: only
    /// keys usable with it are copied
    #[arg(long, ignore_case = true, default_value = "RS256", value_parser = sync_alg)]
    pub alg: Alg,
    /// PEM file of the CA that signed the provider's certificate: trusted instead of the
    /// system's roots
    #[arg(long, value_name = "PEM")]
    pub ca_file: Option<PathBuf>,
    /// Seconds each request to the provider has
    #[arg(long, value_name = "SECS", default_value = "10", value_parser = super::parsers::timeout_secs)]
    pub timeout: std::time::Duration,
    /// Run CMD (with sh -c) after a sync that changed FILE; its failure is exit 5
    #[arg(long, value_name = "CMD")]
    pub on_change: Option<String>,
    /// Keep syncing: every DUR (30s, 15m, 1h), sooner when the provider's Cache-Control
    /// max-age is shorter (never below 60s); stops on SIGTERM or Ctrl-C
    #[arg(long, value_name = "DUR", value_parser = watch_interval)]
    pub watch: Option<std::time::Duration>,
    /// Print {"changed","added","removed","dropped"} on stdout (one line per sync)
    #[arg(long)]
    pub json: bool,
}

/// `--alg` of `jwks sync`: a provider publishes no HS256 secrets.
fn sync_alg(s: &str) -> Result<Alg, String> {
    match s.to_ascii_uppercase().as_str() {
        "RS256" => Ok(Alg::RS256),
        "ES256" => Ok(Alg::ES256),
        "HS256" => {
            Err("a provider publishes no HS256 secrets in its JWKS; use RS256 or ES256".into())
        }
        _ => Err("expected RS256 or ES256".into()),
    }
}

/// `--watch DUR`: a duration as everywhere else, at least 1 second.
fn watch_interval(s: &str) -> Result<std::time::Duration, String> {
    match crate::time::parse_duration(s) {
        Ok(secs) if secs >= 1 => Ok(std::time::Duration::from_secs(secs as u64)),
        Ok(_) => Err("must be at least 1s".to_string()),
        Err(e) => Err(e.to_string()),
    }
}
