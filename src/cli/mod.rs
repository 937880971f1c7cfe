//! Command-line types (clap derive). No logic here: `commands::*` does the work.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::keys::Alg;
use parsers::{lock_timeout, rsa_bits, timeout_secs};

mod diagnose;
mod jwks;
mod parsers;
mod serve;
mod tools;

pub use diagnose::{
    AgentosArgs, DoctorArgs, InspectArgs, MiddlewareArgs, ScopesArgs, ServerArgs, VerifyArgs,
};
pub use jwks::{
    JwksAddArgs, JwksArgs, JwksCommand, JwksListArgs, JwksLocation, JwksPruneArgs, JwksRemoveArgs,
    JwksRotateArgs, JwksSyncArgs, JwksUseArgs, RingLocation,
};
pub use serve::{
    ClientsAddArgs, ClientsArgs, ClientsCommand, ClientsListArgs, ClientsRemoveArgs,
    ClientsRotateArgs, ServeArgs,
};
pub use tools::{CompletionsArgs, Shell};

#[derive(Debug, Parser)]
#[command(
    name = "agentos-auth",
    version,
    about = "Keys and tokens for AgentOS (agno): keygen, export, mint, JWKS rotation, verify",
    long_about = None,
    after_help = "Quick start:\n  agentos-auth keygen --aud my-agent-os      # once: key pair + settings\n  agentos-auth mint --scopes agents:read     # any time: a token\n\nExit codes: 0 ok, 1 bad input, 2 usage, 3 file error, 4 server not reached (--url), 10/11/12 AgentOS answers 401/403/404."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

// Their own heading: in each command's --help they would otherwise stand between its
// own options.
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Key store directory [default: $XDG_CONFIG_HOME/agentos-auth]
    // hide_env_values: help shows [env: NAME], never an empty "NAME=" or a value from
    // this shell (help and the generated man pages stay the same everywhere).
    #[arg(
        long,
        global = true,
        env = "AGENTOS_AUTH_HOME",
        hide_env_values = true,
        value_name = "DIR"
    )]
    pub home: Option<PathBuf>,
    /// Print no messages on stderr (errors still print)
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Never prompt for a missing value; fail instead
    #[arg(long, global = true)]
    pub no_input: bool,
    /// Give up waiting for a lock after DUR [default: 30s]
    #[arg(long, global = true, value_name = "DUR", value_parser = lock_timeout)]
    pub lock_timeout: Option<std::time::Duration>,
    /// Password of encrypted keys: the file's first line [env: AGENTOS_AUTH_PASSWORD_FILE]
    #[arg(
        long,
        global = true,
        env = "AGENTOS_AUTH_PASSWORD_FILE",
        hide_env = true,
        value_name = "FILE"
    )]
    pub password_file: Option<PathBuf>,
    /// Also print notes that do not change the answer
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Keygen(KeygenArgs),
    Export(ExportArgs),
    Mint(Box<MintArgs>),
    Jwks(JwksArgs),
    Inspect(InspectArgs),
    Verify(VerifyArgs),
    Doctor(DoctorArgs),
    Scopes(ScopesArgs),
    Serve(ServeArgs),
    Clients(ClientsArgs),
    Completions(CompletionsArgs),
}

/// Generate a key pair (RS256, ES256) or an HS256 secret.
#[derive(Debug, Clone, Args)]
#[command(
    after_help = "Examples:\n  agentos-auth keygen --aud my-agent-os            # RS256 key into the key store, default for mint\n  agentos-auth keygen --alg ES256 --out-dir ./keys  # ./keys/agentos.key.pem + agentos.pub.pem\n  agentos-auth keygen --alg HS256 --out-dir ./secrets --json  # JSON: alg, kid, paths\n\nInto the key store only once: a new signing key later is agentos-auth jwks rotate (or --force)."
)]
pub struct KeygenArgs {
    /// Algorithm the key is for [default: RS256, AgentOS's default; asked at a terminal]
    #[arg(long, ignore_case = true)]
    pub alg: Option<Alg>,
    /// RSA key size in bits
    #[arg(long, default_value_t = 2048, value_parser = rsa_bits())]
    pub bits: u32,
    /// Key id [default: the RFC 7638 thumbprint of the public key]
    #[arg(long, allow_hyphen_values = true)]
    pub kid: Option<String>,
    /// AgentOS id to use as the default audience of minted tokens (store only)
    #[arg(long, value_name = "OS_ID")]
    pub aud: Option<String>,
    /// Default subject of minted tokens (store only)
    #[arg(long)]
    pub sub: Option<String>,
    /// Write the files into this directory instead of the key store (a key inside a
    /// PKCS#11 token: --token)
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// File name stem with --out-dir: NAME.key.pem, NAME.pub.pem, NAME.secret
    #[arg(long, default_value = "agentos", requires = "out_dir")]
    pub name: String,
    /// Replace existing key files
    #[arg(long)]
    pub force: bool,
    /// Write the private key encrypted: PKCS#8 with PBKDF2-HMAC-SHA256 (600,000
    /// iterations) and AES-256-CBC; the password comes from --password-file or is asked
    #[arg(long)]
    pub encrypt: bool,
    /// Create the key pair inside the PKCS#11 token this URI names (RS256/ES256; object=
    /// labels it, default the kid) and record it in the key store
    #[arg(long, value_name = "PKCS11_URI", conflicts_with_all = ["out_dir", "encrypt"])]
    pub token: Option<String>,
    /// Print {"alg","kid","private_key","public_key"} on stdout
    #[arg(long)]
    pub json: bool,
}

/// How `mint --bad` breaks a token (what AgentOS answers to each: docs/pytest.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BadToken {
    /// exp an hour ago
    Expired,
    /// nbf an hour ahead
    NotYetValid,
    /// aud another id (refused by a server with verify_audience=True only)
    WrongAudience,
    /// signed by another, fresh key of the same algorithm, same kid
    WrongKey,
    /// a kid the JWKS lacks (refused with JWT_JWKS_FILE only: a static key ignores kid)
    UnknownKid,
    /// another algorithm: HS256 keyed with the public key PEM (RS256/ES256 keys), ES256 (HS256)
    WrongAlg,
    /// alg "none" and no signature
    AlgNone,
    /// scopes as one space-separated string, which AgentOS reads as ONE scope
    ScopeString,
    /// sub "sa:<sub>", reserved for service accounts
    ReservedSubject,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// SPKI public key PEM
    Pem,
    /// One public JWK (JSON)
    Jwk,
    /// A JWKS {"keys":[...]} for JWT_JWKS_FILE
    Jwks,
    /// A POSIX shell line: eval "$(agentos-auth export --format env)"
    Env,
    /// A .env line (python-dotenv, docker compose)
    Dotenv,
}

/// Print a public key as PEM, JWK, JWKS or env/.env lines.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  agentos-auth export                              # public PEM of the store's signing key\n  eval \"$(agentos-auth export --format env)\"        # sets JWT_VERIFICATION_KEY with real newlines\n  agentos-auth export --format dotenv >> .env      # one line python-dotenv reads back exactly\n  agentos-auth export --key key.pem --format jwks > jwks.json\n  agentos-auth export --key hs.secret --format env --include-secret   # *.secret: HS256"
)]
pub struct ExportArgs {
    /// Key file (private or public PEM, JWK, or HS256 secret), - for stdin [default: the store's signing key]
    #[arg(long, value_name = "FILE")]
    pub key: Option<PathBuf>,
    /// Output format
    #[arg(long, short, value_enum, default_value_t = ExportFormat::Pem)]
    pub format: ExportFormat,
    /// kid for jwk/jwks output [default: the store's kid, else the thumbprint]
    #[arg(long, allow_hyphen_values = true)]
    pub kid: Option<String>,
    /// Algorithm of the key file (needed to read a raw HS256 secret not named *.secret)
    #[arg(long, ignore_case = true)]
    pub alg: Option<Alg>,
    /// Allow printing an HS256 secret (env, dotenv, jwk)
    #[arg(long)]
    pub include_secret: bool,
    /// Variable name for env/dotenv
    #[arg(long, default_value = "JWT_VERIFICATION_KEY", value_name = "NAME")]
    pub var: String,
}

/// Mint a token AgentOS accepts.
#[derive(Debug, Clone, Args)]
#[command(
    after_help = "Examples:\n  agentos-auth mint --scopes agents:read\n  agentos-auth mint --scopes agents:my-agent:run --sub alice --expires-in 15m\n  agentos-auth mint --preset admin --aud my-agent-os --json\n  AGENTOS_AUTH_KEY=\"$KEY\" agentos-auth mint --aud prod-os --scopes agents:read   # CI\n  agentos-auth mint --aud prod-os --scopes agents:read --batch users.jsonl   # a token per JSON line\n  agentos-auth mint --key-dir ./keys --jwks ./jwks.json --scopes agents:read   # keyring: its kid\n  agentos-auth mint --url http://127.0.0.1:7777 --scopes agents:read   # aud = the server's os_id\n  agentos-auth mint --roles runner --sub carol          # managed roles: {\"roles\": [\"runner\"]}\n  agentos-auth mint --roles member --roles-claim role   # WorkOS style: {\"role\": \"member\"}\n\nDurations: 30s, 15m, 24h, 7d, 2w, 1h30m. Times: RFC 3339 (2026-12-01T10:00:00Z), @UNIX, +DURATION.\nEnvironment: AGENTOS_AUTH_KEY (key content), AGENTOS_AUTH_KEY_FILE, AGENTOS_AUTH_KID, AGENTOS_AUTH_AUD, AGENTOS_AUTH_SUB, AGENTOS_AUTH_ISS, AGENTOS_AUTH_EXPIRES_IN, AGENTOS_AUTH_ROLES_CLAIM. Flags beat variables; variables beat the store."
)]
pub struct MintArgs {
    /// Signing key file (PEM, JWK or HS256 secret), - for stdin [default: the store's signing key]
    #[arg(
        long,
        value_name = "FILE",
        env = "AGENTOS_AUTH_KEY_FILE",
        hide_env_values = true
    )]
    pub key: Option<PathBuf>,
    /// Sign with the current key of this key ring (keyring.json), its kid in the header
    #[arg(long, value_name = "DIR")]
    pub key_dir: Option<PathBuf>,
    /// With --key-dir: check that this JWKS publishes the signing key (else AgentOS answers 401)
    #[arg(long, value_name = "FILE", requires = "key_dir")]
    pub jwks: Option<PathBuf>,
    /// Signing key content itself (for CI secrets); --key wins
    #[arg(
        long = "key-content",
        value_name = "PEM",
        env = "AGENTOS_AUTH_KEY",
        hide_env_values = true,
        hide = true,
        allow_hyphen_values = true
    )]
    pub key_content: Option<String>,
    /// Subject (user id) [default: the store's, else the OS user name]
    #[arg(long, env = "AGENTOS_AUTH_SUB", hide_env_values = true)]
    pub sub: Option<String>,
    /// Audience: the AgentOS id (repeat for a list) [default: the store's]
    #[arg(
        long,
        value_name = "OS_ID",
        env = "AGENTOS_AUTH_AUD",
        hide_env_values = true,
        value_delimiter = ','
    )]
    pub aud: Vec<String>,
    /// Scopes, comma-separated and/or repeated, e.g. agents:read,agents:my-agent:run
    #[arg(long, short = 's', value_name = "LIST")]
    pub scopes: Vec<String>,
    /// Scope preset (see `agentos-auth scopes`): admin, read-only, run-agent:<id>, ..., role:<name> (a stored role's scopes)
    #[arg(long, value_name = "NAME")]
    pub preset: Vec<String>,
    /// Mint a token with an empty scopes list on purpose (AgentOS answers 403 to every protected route)
    #[arg(long, conflicts_with_all = ["scopes", "preset"])]
    pub no_scopes: bool,
    /// Accept scopes outside AgentOS's default route map
    #[arg(long)]
    pub allow_unknown_scopes: bool,
    /// Roles for a server with managed roles (Authorization(roles_claim=...)), comma-separated and/or repeated
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub roles: Vec<String>,
    /// Claim --roles goes in: the server's roles_claim; "role" takes one role as a string [default: the store's, else roles]
    #[arg(
        long,
        value_name = "NAME",
        env = "AGENTOS_AUTH_ROLES_CLAIM",
        hide_env_values = true
    )]
    pub roles_claim: Option<String>,
    #[command(flatten)]
    pub agentos: AgentosArgs,
    /// Lifetime [default: 1h, or the store's]
    #[arg(long, short = 'e', value_name = "DUR", env = "AGENTOS_AUTH_EXPIRES_IN", hide_env_values = true, allow_hyphen_values = true, conflicts_with_all = ["exp", "no_exp"])]
    pub expires_in: Option<String>,
    /// Absolute expiry time instead of --expires-in
    #[arg(
        long,
        value_name = "TIME",
        conflicts_with = "no_exp",
        allow_hyphen_values = true
    )]
    pub exp: Option<String>,
    /// Mint a token that never expires (AgentOS accepts it forever)
    #[arg(long)]
    pub no_exp: bool,
    /// Issuer claim
    #[arg(long, env = "AGENTOS_AUTH_ISS", hide_env_values = true)]
    pub iss: Option<String>,
    /// Not-before: a duration from now or a time
    #[arg(long, value_name = "DUR|TIME", allow_hyphen_values = true)]
    pub nbf: Option<String>,
    /// Add a jti claim (random unless given)
    #[arg(long, value_name = "ID", num_args = 0..=1, default_missing_value = "")]
    pub jti: Option<String>,
    /// session_id claim (AgentOS uses it as the session id)
    #[arg(long, value_name = "ID")]
    pub session_id: Option<String>,
    /// Extra claim; VALUE is JSON if it parses, else a string (repeatable)
    #[arg(long, value_name = "KEY=VALUE")]
    pub claim: Vec<String>,
    /// Extra claims as a JSON object, or @FILE
    #[arg(long, value_name = "JSON|@FILE")]
    pub claims: Option<String>,
    /// kid header [default: the store's kid, else the key's thumbprint]
    #[arg(
        long,
        env = "AGENTOS_AUTH_KID",
        hide_env_values = true,
        allow_hyphen_values = true
    )]
    pub kid: Option<String>,
    /// Algorithm; must match the key (needed to read a raw HS256 secret not named *.secret)
    #[arg(long, ignore_case = true)]
    pub alg: Option<Alg>,
    /// Leave out iat
    #[arg(long)]
    pub no_iat: bool,
    /// Print {"token","header","claims","expires_at"} instead of the bare token
    #[arg(long)]
    pub json: bool,
    /// Mint one token per line of FILE (- for stdin): each line a JSON object of
    /// claims overriding the flags' defaults, plus "expires_in"; output in input order
    #[arg(long, value_name = "FILE")]
    pub batch: Option<PathBuf>,
    /// With --batch: answer line by line, each token written and flushed as soon as its
    /// line is read (a program keeps the process and asks for one token at a time)
    #[arg(long, requires = "batch")]
    pub stream: bool,
    /// Mint a token AgentOS refuses, for negative tests (docs/pytest.md): the flags'
    /// token, then broken this one way
    #[arg(long, value_enum, value_name = "KIND", conflicts_with = "batch")]
    pub bad: Option<BadToken>,
    /// Take aud from this running AgentOS (the os_id its GET /info reports) when --aud is not given
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// With --url: seconds to wait for the answer
    #[arg(long, value_name = "SECS", default_value = "10", value_parser = timeout_secs, requires = "url")]
    pub timeout: std::time::Duration,
}

/// Reports a command-line parse failure: `--help`/`--version` as clap prints them; a
/// usage error as ONE line on stderr like every other error (clap's own text spans
/// several lines), keeping clap's possible values and tip, exit code 2.
pub fn exit_on_parse_error(e: &clap::Error) -> std::process::ExitCode {
    use clap::error::ErrorKind;
    if !e.use_stderr() || e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        let _ = e.print();
        return std::process::ExitCode::from(e.exit_code() as u8);
    }
    // clap quotes the offending argument: a key pasted in the wrong place must not
    // reach the CI log (`mint --key-content "$(cat k.pem)"`, `--sub "$PEM"`).
    let (text, redacted) = crate::redact::scrub(&e.render().to_string());
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next().unwrap_or("invalid arguments");
    let mut what = first.strip_prefix("error: ").unwrap_or(first).to_string();
    // clap names the subcommand in its Usage line, which value errors lack: then the
    // words of the command line that are subcommands tell it.
    let mut command = subcommand_path(std::env::args_os().skip(1));
    let mut extra: Vec<String> = Vec::new();
    let mut details: Vec<&str> = Vec::new();
    let mut in_usage = false;
    for l in lines {
        if let Some(usage) = l.strip_prefix("Usage: ") {
            in_usage = true;
            // "agentos-auth mint [OPTIONS]" -> "agentos-auth mint"
            let words: Vec<&str> = usage
                .split_whitespace()
                .take_while(|w| !w.starts_with(['[', '<', '-']))
                .collect();
            if !words.is_empty() {
                command = words.join(" ");
            }
        } else if l.starts_with("tip:") && redacted {
            // clap's tip repeats the value ("to pass '…' as a value, use '-- …'").
        } else if l.starts_with("[possible values") || l.starts_with("tip:") {
            extra.push(l.trim_start_matches('[').trim_end_matches(']').to_string());
        } else if !in_usage && !l.starts_with("For more information") {
            // Continuation lines, e.g. the arguments "required arguments were not provided:" lists.
            details.push(l);
        }
    }
    if !details.is_empty() {
        what = format!("{what} {}", details.join(", "));
    }
    if redacted {
        extra.push(crate::redact::HINT.to_string());
    }
    extra.push(format!("see {command} --help"));
    eprintln!("agentos-auth: error: {what} ({})", extra.join("; "));
    std::process::ExitCode::from(e.exit_code() as u8)
}

/// True when the long flag `--name` was typed on this process's command line (as
/// `--name VALUE` or `--name=VALUE`), not filled in from its environment variable.
pub fn given_on_command_line(flag: &str) -> bool {
    std::env::args_os()
        .skip(1)
        .take_while(|a| a != "--")
        .any(|a| {
            let a = a.to_string_lossy();
            a == flag
                || a.strip_prefix(flag)
                    .is_some_and(|rest| rest.starts_with('='))
        })
}

/// `--version`: the version, and how aws-lc seeds its RNG in this build. CPU jitter
/// entropy costs ~35 ms per process; builds from this repository and the wheel leave
/// it out (AWS_LC_SYS_NO_JITTER_ENTROPY=1, docs/benchmark.md), a plain `cargo
/// install` of the crate does not. Reading it does not start the RNG.
pub fn long_version() -> &'static str {
    if aws_lc_rs::try_fips_cpu_jitter_entropy().is_ok() {
        concat!(
            env!("CARGO_PKG_VERSION"),
            "\nrng: aws-lc seeded by the OS and CPU jitter entropy (~35 ms per process; build with AWS_LC_SYS_NO_JITTER_ENTROPY=1)"
        )
    } else {
        concat!(
            env!("CARGO_PKG_VERSION"),
            "\nrng: aws-lc seeded by the OS (getrandom; CPU jitter entropy left out)"
        )
    }
}

/// "agentos-auth jwks rotate" for `jwks --json rotate --alg X`: the arguments that
/// name subcommands, each one below the last (other words are skipped).
pub fn subcommand_path(args: impl IntoIterator<Item = std::ffi::OsString>) -> String {
    use clap::CommandFactory;
    let mut cmd = Cli::command();
    let mut path = vec!["agentos-auth".to_string()];
    for arg in args {
        let Some(word) = arg.to_str() else { continue };
        if word == "--" {
            break;
        }
        let next = cmd
            .get_subcommands()
            .find(|c| c.get_name() == word)
            .cloned();
        if let Some(sub) = next {
            path.push(word.to_string());
            cmd = sub;
        }
    }
    path.join(" ")
}
