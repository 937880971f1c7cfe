//! clap types for `inspect`, `verify`, `doctor`, `scopes` (say what AgentOS will do).

use std::path::PathBuf;

use clap::Args;

use crate::agentos::profiles;
use crate::keys::Alg;

/// Which AgentOS a verdict or a scope is about (shared by verify, doctor, scopes, mint).
#[derive(Debug, Clone, Default, Args)]
pub struct AgentosArgs {
    /// The agno release the server runs (e.g. 2.7.0; default: the key store's agno_version, else the newest modelled)
    #[arg(long = "agno", value_name = "VERSION")]
    pub agno: Option<String>,
    /// The server's custom scope_mappings: a JSON object {"METHOD /path": [scopes]}, [] = public (default: the key store's scope_mappings)
    #[arg(long, value_name = "FILE")]
    pub scope_mappings: Option<PathBuf>,
}

/// The server's routes and mode (verify, doctor).
#[derive(Debug, Clone, Default, Args)]
pub struct ServerArgs {
    #[command(flatten)]
    pub agentos: AgentosArgs,
    /// The server's OpenAPI document (curl HOST/openapi.json > routes.json): a route it lacks gets 404
    #[arg(long, value_name = "FILE")]
    pub routes: Option<PathBuf>,
    /// The server runs with a key but authorization=False: tokens are validated, no scope is checked
    #[arg(long)]
    pub no_authorization: bool,
    /// AgentOS is mounted under this path of a larger app (app.mount("/api", agent_os.get_app())): --request paths are then whole, e.g. "GET /api/agents"
    #[arg(long, value_name = "PATH")]
    pub mount_prefix: Option<String>,
    /// The server runs AgentOS's MCP server (AgentOS(mcp=True); enable_mcp_server=True before agno 3.0): /mcp and its routes are served, though GET /openapi.json does not list them
    #[arg(long)]
    pub mcp: bool,
    /// The server has AgentOS(public=PublicSurface(...)) (agno 3.0.9 on): anonymous GET /agents, /teams, /info; implied by the --public-* flags
    #[arg(long)]
    pub public: bool,
    /// PublicSurface(agents=[...]) selects this agent: anyone may run and cancel it without a token; repeatable
    #[arg(long, value_name = "ID")]
    pub public_agent: Vec<String>,
    /// PublicSurface(teams=[...]) selects this team: anyone may run and cancel it without a token; repeatable
    #[arg(long, value_name = "ID")]
    pub public_team: Vec<String>,
    /// PublicSurface(mcp=True): anyone may use the MCP server at /mcp (implies --mcp)
    #[arg(long)]
    pub public_mcp: bool,
    #[command(flatten)]
    pub middleware: MiddlewareArgs,
}

/// The manual JWTMiddleware's switches (app.add_middleware(JWTMiddleware, ...)); docs/providers/.
#[derive(Debug, Clone, Default, Args)]
pub struct MiddlewareArgs {
    /// JWTMiddleware(scopes_claim=NAME): the top-level claim holding the scopes, e.g. permissions (Auth0 RBAC, WorkOS) or scp (Okta) [default: scopes]
    #[arg(long, value_name = "NAME", value_parser = super::parsers::claim_name)]
    pub scopes_claim: Option<String>,
    /// JWTMiddleware(user_id_claim=NAME): the claim holding the user id, e.g. oid (Entra ID) [default: sub]
    #[arg(long, value_name = "NAME", value_parser = super::parsers::claim_name)]
    pub user_id_claim: Option<String>,
    /// JWTMiddleware(token_source=...): where the server reads the token: header, cookie, or both (header first) [default: header]
    #[arg(long, value_name = "SOURCE", value_parser = ["header", "cookie", "both"])]
    pub token_source: Option<String>,
    /// JWTMiddleware(cookie_name=NAME): the cookie read with --token-source cookie or both [default: access_token]
    #[arg(long, value_name = "NAME", value_parser = super::parsers::claim_name)]
    pub cookie_name: Option<String>,
}

/// Decode a token without verifying it: header, claims, times.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  agentos-auth inspect \"$TOKEN\"\n  agentos-auth mint --scopes agents:read | agentos-auth inspect\n  agentos-auth inspect \"$TOKEN\" --json | jq .claims.scopes\n\nNothing is verified: use `agentos-auth verify` for what AgentOS would answer."
)]
pub struct InspectArgs {
    /// The token (a leading "Bearer " is ignored); - or nothing reads stdin
    #[arg(value_name = "TOKEN|-")]
    pub token: Option<String>,
    /// Print {"header","claims","times","scopes"} as JSON
    #[arg(long)]
    pub json: bool,
}

// The about text names the modelled releases (data/agno/releases.toml).
#[derive(Debug, Args)]
#[command(
    about = format!("What AgentOS (agno {}) answers to a token, and why", profiles::modelled_range()),
    after_help = "Examples:\n  agentos-auth verify \"$TOKEN\" --key public.pem --aud my-agent-os\n  agentos-auth verify \"$TOKEN\" --jwks jwks.json --request \"GET /sessions\"\n  agentos-auth verify \"$TOKEN\" --key hs.secret --json            # *.secret: HS256\n  JWT_VERIFICATION_KEY=\"$(cat public.pem)\" agentos-auth verify \"$TOKEN\"\n  agentos-auth verify --no-token --request \"POST /teams/t/runs\" --public-team t\n\nKeys: --jwks first (by kid), then each --key in order, as AgentOS tries jwks_file and verification_keys;\nwithout either, JWT_VERIFICATION_KEY and JWT_JWKS_FILE as AgentOS reads them, else the key store.\nExit codes: 0 AgentOS lets the request through, 10 it answers 401, 11 it answers 403 (or an MCP tool refuses the call), 12 no such route (404), 1 bad input;\nwith --url they follow the server's real answer, and 4 says the server could not be asked."
)]
pub struct VerifyArgs {
    /// The token (a leading "Bearer " is ignored); - or nothing reads stdin
    #[arg(value_name = "TOKEN|-")]
    pub token: Option<String>,
    /// Static verification key file, as AgentOS gets it (PEM public key or HS256 secret); repeatable, tried in order
    #[arg(long, value_name = "FILE")]
    pub key: Vec<PathBuf>,
    /// JWKS file (AgentOS's jwks_file / JWT_JWKS_FILE)
    #[arg(long, value_name = "FILE")]
    pub jwks: Option<PathBuf>,
    /// The algorithm AgentOS is configured with (it accepts only this one) [default: HS256 for a --key *.secret, else the key store's alg (what keygen told AgentOS to use), else RS256 as AgentOS; with --url, the alg of a token the server verified]
    #[arg(long, ignore_case = true)]
    pub alg: Option<Alg>,
    /// Check aud as verify_audience=True does, against this id (repeat for a list)
    #[arg(long, value_name = "OS_ID", conflicts_with = "no_verify_aud")]
    pub aud: Vec<String>,
    /// Do not check aud (AgentOS's default, verify_audience=False)
    #[arg(long)]
    pub no_verify_aud: bool,
    /// Without --key/--jwks: JWT_VERIFICATION_KEY and JWT_JWKS_FILE from this .env file, read as python-dotenv and uvicorn --env-file read it (its values win over this shell's)
    #[arg(long, value_name = "FILE", conflicts_with_all = ["key", "jwks"])]
    pub env_file: Option<PathBuf>,
    /// Issuer AgentOS pins (Authorization(issuer=...))
    #[arg(long, value_name = "ISS")]
    pub iss: Option<String>,
    /// Also check the token's scopes for this route, e.g. "POST /agents/my-agent/runs"
    #[arg(long, value_name = "METHOD /PATH")]
    pub request: Option<String>,
    /// Pretend the server's clock says TIME (RFC 3339, @UNIX, +1h, -5m)
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    pub at: Option<String>,
    /// With --request: the JSON body it sends (or @FILE), for routes whose handler checks it (POST /eval-runs, POST /schedules, an MCP tools/call on POST /mcp with --mcp); sent to the server with --url
    #[arg(long, value_name = "JSON|@FILE", requires = "request")]
    pub body: Option<String>,
    /// Where the request carries the token: header (Authorization: Bearer), cookie (the server's --cookie-name) or cookie:NAME [default: where the server reads it]
    #[arg(long, value_name = "WHERE")]
    pub sent_in: Option<String>,
    /// Ask about a request without any token (what --request gets with no Authorization header)
    #[arg(long, requires = "request", conflicts_with = "token")]
    pub no_token: bool,
    #[command(flatten)]
    pub server: ServerArgs,
    /// The server's managed roles (docs/roles.md) [default: the key store's roles.json, if any]
    #[arg(
        long,
        value_name = "FILE",
        env = "AGENTOS_AUTH_ROLES_FILE",
        hide_env_values = true
    )]
    pub roles_file: Option<PathBuf>,
    /// Decide on scopes alone, ignoring the key store's roles.json
    #[arg(long, conflicts_with = "roles_file")]
    pub no_roles: bool,
    /// Ask the running AgentOS too: send --request (default GET /agents) with the token and print its real answer next to the prediction
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// With --url: seconds to wait for each answer
    #[arg(long, value_name = "SECS", default_value = "10", value_parser = super::parsers::timeout_secs, requires = "url")]
    pub timeout: std::time::Duration,
    /// With --url: really send a request that is not GET (it runs or changes things on the server when it is let through)
    #[arg(long, requires = "url")]
    pub send: bool,
    /// With --url: an admin token to read the server's roles from its /authz API (switches from --roles-file)
    #[arg(
        long,
        value_name = "TOKEN",
        env = "AGENTOS_AUTH_AUTHZ_TOKEN",
        hide_env_values = true,
        requires = "url"
    )]
    pub authz_token: Option<String>,
    /// Print {"status","reason","detail","fix"} as JSON on stdout (with --url: plus "agree", "server", "predicted")
    #[arg(long)]
    pub json: bool,
}

/// Check the key settings AgentOS reads from its environment.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  agentos-auth doctor\n  agentos-auth doctor --alg ES256 --os-id my-agent-os --token \"$TOKEN\"\n  agentos-auth doctor --url http://127.0.0.1:7777 --token \"$TOKEN\"\n  agentos-auth doctor --env-file .env --json      # .env as uvicorn --env-file reads it\n  agentos-auth doctor --issuer https://idp.example/ --token \"$TOKEN\"   # for its tokens\n\nExit codes: 0 nothing breaks auth, 1 a finding breaks auth, 10/11 AgentOS would answer 401/403 to --token\n(with --url: does answer), 4 the server could not be asked."
)]
pub struct DoctorArgs {
    /// The algorithm the AgentOS code configures (env vars cannot set it) [default: the key store's alg (what keygen told AgentOS to use), else RS256 as AgentOS; with --url, the alg of a token the server verified]
    #[arg(long, ignore_case = true)]
    pub alg: Option<Alg>,
    /// The AgentOS id; with it, aud is checked as verify_audience=True does
    #[arg(long, value_name = "ID")]
    pub os_id: Option<String>,
    /// Check the variables of this .env file, read as python-dotenv and uvicorn --env-file read it (its values win over this shell's)
    #[arg(long, value_name = "FILE")]
    pub env_file: Option<PathBuf>,
    /// Also verify this token under this environment (- reads stdin)
    #[arg(long, value_name = "TOKEN")]
    pub token: Option<String>,
    /// With --token: the route to check scopes for, e.g. "GET /agents"
    #[arg(long, value_name = "METHOD /PATH", requires = "token")]
    pub request: Option<String>,
    #[command(flatten)]
    pub server: ServerArgs,
    /// The server's managed roles, checked and used for --token [default: the key store's roles.json, if any]
    #[arg(
        long,
        value_name = "FILE",
        env = "AGENTOS_AUTH_ROLES_FILE",
        hide_env_values = true
    )]
    pub roles_file: Option<PathBuf>,
    /// Ask the running AgentOS too: its /info (agno version, os_id, auth mode) and, with --token, its real answer to --request
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// With --url or --issuer: seconds to wait for each answer
    #[arg(long, value_name = "SECS", default_value = "10", value_parser = super::parsers::timeout_secs)]
    pub timeout: std::time::Duration,
    /// Print the AgentOS configuration that accepts this OpenID provider's tokens (its
    /// discovery document and JWKS are fetched; --token reads audience and claims from a
    /// sample access token)
    #[arg(long, value_name = "URL", conflicts_with_all = ["url", "env_file", "request", "roles_file"])]
    pub issuer: Option<String>,
    /// With --issuer: PEM file of the CA that signed the provider's certificate (trusted
    /// instead of the system's roots)
    #[arg(long, value_name = "PEM", requires = "issuer")]
    pub ca_file: Option<PathBuf>,
    /// With --issuer: the JWKS file AgentOS will read (kept fresh by jwks sync)
    #[arg(
        long,
        value_name = "FILE",
        requires = "issuer",
        default_value = "jwks.json"
    )]
    pub jwks: PathBuf,
    /// With --url: really send a --request that is not GET (it runs or changes things on the server when it is let through)
    #[arg(long, requires = "url")]
    pub send: bool,
    /// Print {"ok","findings":[...],"verdict"} as JSON
    #[arg(long)]
    pub json: bool,
}

/// Scope reference and mint presets; a role's or subject's scopes.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  agentos-auth scopes\n  agentos-auth scopes --json | jq '.presets'\n  agentos-auth mint --preset run-agent:my-agent\n  agentos-auth scopes --roles-file roles.json --role runner     # what the role allows and denies\n  agentos-auth scopes --roles-file roles.json --subject carol   # carol's roles and their scopes\n  agentos-auth scopes --roles-file roles.json --save            # stored for verify and doctor"
)]
pub struct ScopesArgs {
    /// The server's managed roles (docs/roles.md) [default: the key store's roles.json, if any]
    #[arg(
        long,
        value_name = "FILE",
        env = "AGENTOS_AUTH_ROLES_FILE",
        hide_env_values = true
    )]
    pub roles_file: Option<PathBuf>,
    /// Print this role's scopes (allow and deny)
    #[arg(long, value_name = "NAME", conflicts_with = "subject")]
    pub role: Option<String>,
    /// Print what this subject (a token's sub without a roles claim) resolves to
    #[arg(long, value_name = "SUB")]
    pub subject: Option<String>,
    /// Check the roles file and store it in the key store (roles.json, and its roles_claim as mint's default)
    #[arg(long, requires = "roles_file")]
    pub save: bool,
    #[command(flatten)]
    pub agentos: AgentosArgs,
    /// Print {"forms","resources","routes","presets"} as JSON
    #[arg(long)]
    pub json: bool,
}
