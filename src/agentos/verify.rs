//! The verification engine: what AgentOS 3.x answers to a token, and why.
//!
//! Mirrors, step for step, agno 3.1.10's `JWTValidator.validate_token` and
//! `AuthMiddleware._dispatch` (`agno/os/middleware/jwt.py`) over PyJWT 2.x's
//! `jwt.decode(token, key, algorithms=[alg], leeway=10)` (`api_jws.py`, `api_jwt.py`,
//! `algorithms.py`). Order matters because the first failing check names the 401:
//!
//! 1. PyJWS `_load`: three segments, base64url (canonical), header a JSON object;
//!    `kid` must be a string. With a JWKS this happens first (`get_unverified_header`).
//! 2. Key choice: JWKS by `kid`, else the kid-less default key; then each static key.
//!    `ExpiredSignatureError` ends the search; any other `InvalidTokenError` moves on
//!    (or is raised when there are no static keys); a non-PyJWT error (an unusable
//!    key) ends everything with `Error decoding token: ...`.
//! 3. Per key: `alg` must be the ONE configured algorithm, the key is prepared as
//!    PyJWT would from the raw text AgentOS was given, the signature is checked,
//!    then the payload must be a JSON object, then `iat`, `nbf`, `exp` (10 s leeway),
//!    `sub` and `jti` must be strings.
//! 4. agno: audience (string or list, any match), issuer, reserved subjects, and the
//!    route's scopes ([`super::check_access`]).
//!
//! Everything is data in, data out: no files, no environment, no clock.

use serde::Serialize;
use serde_json::Value;

use super::pyjwt::{exact_secret, jwks_map, load, validate, Cause, Class, PyErr};
use super::server::MountedPath;
use super::{self as agentos, Access, BodyCheck, Server};
use crate::claims;
use crate::error::{Error, Result};
use crate::jwk::InspectedKey;
use crate::keys::Alg;

pub use super::pyjwt::{agno_jwk_key, has_literal_newlines, static_key_problem};

/// PyJWT leeway AgentOS passes (`JWTValidator(leeway=10)`).
pub const LEEWAY: f64 = 10.0;

/// A static verification key exactly as AgentOS receives it (`verification_keys`
/// items, then `JWT_VERIFICATION_KEY`): the raw text, no repair.
#[derive(Debug, Clone)]
pub struct StaticKey {
    /// Where it came from, for messages: "JWT_VERIFICATION_KEY", "key.pem".
    pub label: String,
    pub text: String,
}

/// A JWKS as AgentOS loads it (`jwks_file` / `JWT_JWKS_FILE`).
#[derive(Debug)]
pub struct JwksSource {
    /// "jwks.json", "JWT_JWKS_FILE=/etc/jwks.json".
    pub label: String,
    pub keys: Vec<InspectedKey>,
}

/// What the AgentOS under test is configured with.
#[derive(Debug)]
pub struct Config {
    /// `algorithm=` (default RS256): the only `alg` accepted.
    pub alg: Alg,
    pub static_keys: Vec<StaticKey>,
    pub jwks: Option<JwksSource>,
    /// Expected audience when `verify_audience=True` (the configured `audience`, else
    /// the AgentOS id); `None` when the audience is not verified.
    pub audience: Option<Vec<String>>,
    /// `Authorization(issuer=...)`.
    pub issuer: Option<String>,
    /// The server's clock, unix seconds.
    pub now: f64,
    /// The server's managed roles (`--roles-file`); `None`: scopes alone decide.
    pub roles: Option<super::roles::Policy>,
    /// Which AgentOS: release profile, authorization on/off, mounted routes, mappings.
    pub server: agentos::Server,
}

/// "METHOD /path".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    pub path: String,
    /// The JSON body (`--body`), for the routes whose handler checks it.
    pub body: Option<Value>,
}

impl Request {
    /// Parses "GET /agents" (method case-insensitive; the path must start with '/').
    pub fn parse(s: &str) -> Result<Request> {
        let mut words = s.split_whitespace();
        let (Some(method), Some(path), None) = (words.next(), words.next(), words.next()) else {
            return Err(Error::input(format!("invalid --request {s:?}"))
                .hint("write METHOD /path, e.g. --request \"POST /agents/my-agent/runs\""));
        };
        if !method.chars().all(|c| c.is_ascii_alphabetic()) {
            return Err(
                Error::input(format!("invalid HTTP method {method:?} in --request"))
                    .hint("e.g. GET, POST, PATCH, DELETE"),
            );
        }
        if !path.starts_with('/') {
            return Err(Error::input(format!(
                "invalid path {path:?} in --request: must start with '/'"
            ))
            .hint("e.g. --request \"GET /agents\""));
        }
        Ok(Request {
            method: method.to_ascii_uppercase(),
            path: path.to_string(),
            body: None,
        })
    }
}

/// AgentOS's answer and why. `status` 200 means authentication and the scope check
/// passed (the route itself may still answer something else, e.g. 404 or 422).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub status: u16,
    /// What happened, in words.
    pub reason: String,
    /// The `detail` AgentOS sends (null for 200).
    pub detail: Option<String>,
    /// What to change (null for 200).
    pub fix: Option<String>,
    /// Extra observations that do not change the status, relevant to this token.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Background true of every such setup (aud not checked, cryptography needed on the
    /// server): `verify` prints it with --verbose only.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub context: Vec<String>,
    /// For listings (GET /agents, /teams, /workflows): the ids the token will see,
    /// when narrowed. Absent when everything is visible.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub visible_ids: Option<Vec<String>>,
    /// The `error.code` of a public surface's own refusal (`{"error": {"code": ...}}`,
    /// no `detail`): `not_found`, `invalid_handle`, ...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// For listings narrowed by a role's deny entries: the ids left out of an otherwise
    /// full listing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hidden_ids: Option<Vec<String>>,
}

impl Verdict {
    /// 200: let through, for `reason`.
    pub(crate) fn through(reason: String, notes: Vec<String>) -> Verdict {
        Verdict {
            status: 200,
            reason,
            detail: None,
            fix: None,
            notes,
            context: Vec::new(),
            visible_ids: None,
            hidden_ids: None,
            error_code: None,
        }
    }

    fn deny(status: u16, detail: String, reason: String, fix: String) -> Verdict {
        Verdict {
            status,
            reason,
            detail: Some(detail),
            fix: Some(fix),
            notes: Vec::new(),
            context: Vec::new(),
            visible_ids: None,
            hidden_ids: None,
            error_code: None,
        }
    }

    /// The exit code `verify` uses: 0, 10 (401), 11 (403, or a refusal inside a 200: an
    /// MCP tool's), 12 (404).
    pub fn exit_code(&self) -> i32 {
        match self.status {
            200 if self.detail.is_some() => 11,
            401 => 10,
            403 => 11,
            404 => 12,
            s if s >= 400 => 1,
            // Undecided offline (a service-account token against a server with a database).
            0 => 1,
            _ => 0,
        }
    }
}

impl Verdict {
    /// 404: the token passes, but the server has no such route (and, without its
    /// routes, which default app that is and what would mount the route).
    /// A path outside the mount prefix never reaches AgentOS: the parent app answers
    /// (a bare FastAPI parent: 404 "Not Found", no token read).
    fn outside_mount(srv: &Server, r: &Request) -> Verdict {
        let p = &srv.mount_prefix;
        Verdict {
            status: 404,
            reason: format!(
                "{} {} is outside {p}, where AgentOS is mounted: the parent app answers it, AgentOS never sees it",
                r.method, r.path
            ),
            detail: Some("Not Found".into()),
            fix: Some(format!("send it under the prefix: {p}{}", r.path)),
            notes: vec![format!(
                "a parent app with routes of its own outside {p} answers those itself, with its own auth"
            )],
            context: Vec::new(),
            visible_ids: None,
            hidden_ids: None,
            error_code: None,
        }
    }

    pub(crate) fn not_found(srv: &Server, r: &Request, mut notes: Vec<String>) -> Verdict {
        let what = format!("{} {}", r.method, r.path);
        let bare_path = r
            .path
            .split(['?', '#'])
            .next()
            .unwrap_or_default()
            .trim_end_matches('/');
        if srv.routes.is_none() {
            notes.push(format!(
                "the server's routes are not known, so this is agno {}'s default app (AgentOS(agents, teams, workflows, db), no optional router or interface): --routes FILE (the server's GET /openapi.json) or --url URL gives the real server's routes",
                srv.profile.version
            ));
        }
        if let Some(owner) = agentos::routes::optional_owner(srv, bare_path) {
            notes.push(format!("{bare_path} belongs to {owner}"));
        }
        if srv.mcp && srv.profile.mcp.host_guard_when_open {
            notes.push(agentos::mcp::host_guard_note());
        }
        if !srv.mcp && (bare_path == "/mcp" || bare_path.starts_with("/mcp/")) {
            notes.push(format!(
                "{bare_path} is served by AgentOS's MCP server, which is not in GET /openapi.json: pass --mcp if the server runs AgentOS(mcp=True) (enable_mcp_server=True before agno 3.0)"
            ));
        }
        Verdict {
            status: 404,
            reason: format!("the token passes, but this AgentOS has no route {what}"),
            detail: Some("Not Found".into()),
            fix: Some(
                "compare the method and path with the paths of the server's GET /openapi.json"
                    .into(),
            ),
            notes,
            context: Vec::new(),
            visible_ids: None,
            hidden_ids: None,
            error_code: None,
        }
    }
}

/// Why a path under a mounted interface is public, and what answers there instead.
fn interface_note(srv: &Server, path: &str) -> Option<String> {
    let bare = path.split(['?', '#']).next().unwrap_or_default();
    let (pattern, iface) = srv
        .excluded_interfaces
        .iter()
        .find(|(p, _)| agentos::routes::fnmatch(bare, p))?;
    Some(if iface.authenticates_own_requests {
        format!(
            "{pattern} is the {} interface's: agno {} takes it out of JWT auth and the interface checks its own requests (its platform's signature or secret; a WhatsApp webhook answers an unsigned request 403 \"Invalid signature\"): a bearer token plays no part there",
            iface.name, srv.profile.version
        )
    } else {
        format!(
            "{pattern} is the {} interface's: agno {} takes every mounted interface's prefix out of JWT auth, so anyone can call it without a token (fixed in 2.7.0: upgrade agno to keep it behind the scope check)",
            iface.name, srv.profile.version
        )
    })
}

/// The note for a body-gated route asked about without `--body`.
pub(crate) fn body_note(what: &str, target: &str) -> String {
    format!("{what} checks its body: {target}; pass --body JSON (or @FILE) to check it")
}

/// What AgentOS answers to `token` (as sent after `Bearer `; empty = no token) for
/// `request`.
pub fn verify(token: &str, cfg: &Config, request: Option<&Request>) -> Verdict {
    match request {
        Some(r) if cfg.server.public.is_some() => super::public::verify(token, cfg, r, verify_on),
        _ => verify_on(token, cfg, &cfg.server, request),
    }
}

/// [`verify`] without a public surface, on `srv` (the server of `cfg`, or that server with
/// some excluded routes guarded again).
fn verify_on(token: &str, cfg: &Config, srv: &Server, request: Option<&Request>) -> Verdict {
    let token = token.trim();
    // Under a mount prefix: `matched` is what the auth middleware matches, `routed` the
    // request as the AgentOS app routes it (see MountedPath).
    let mut matched = String::new();
    let routed = match request.map(|r| (r, srv.mounted_path(&r.path))) {
        None => None,
        Some((r, MountedPath::Outside)) => return Verdict::outside_mount(srv, r),
        Some((r, MountedPath::Inside { route, matched: m })) => {
            matched = m.to_string();
            Some(Request {
                path: route,
                ..r.clone()
            })
        }
    };
    if let (Some(r), Some(routed)) = (request, &routed) {
        let excluded = cfg
            .roles
            .as_ref()
            .is_some_and(|p| p.is_excluded(srv, &matched));
        let public = agentos::check_access_mounted(srv, None, &r.method, &matched, &routed.path)
            == Access::Public;
        if excluded || public {
            return Verdict::through(
                format!(
                    "{} {} is a public route: AgentOS reads no token there",
                    r.method, r.path
                ),
                interface_note(srv, &matched).into_iter().collect(),
            );
        }
    }
    if token.is_empty() {
        return Verdict::deny(
            401,
            "Authorization header missing".into(),
            "the request carries no token".into(),
            "send Authorization: Bearer <token>; mint one with agentos-auth mint".into(),
        );
    }
    if token.starts_with("agno_pat_") {
        if cfg.roles.is_some() {
            return super::roles::service_account_verdict(token);
        }
        return Verdict::deny(
            401,
            "Service accounts are not enabled on this AgentOS instance".into(),
            "this is a service-account token (agno_pat_...), not a JWT".into(),
            "service-account tokens need an AgentOS with a database; use a JWT from agentos-auth mint".into(),
        );
    }
    let acc = match validate(token, cfg) {
        Ok(a) => a,
        Err(e) => return rejection(&e, token, cfg),
    };
    let payload = &acc.payload;
    let mut notes = Vec::new();
    let mut context = Vec::new();

    if let Some(Value::String(sub)) = payload.get("sub") {
        if let Err(e) = agentos::check_subject(srv.profile, sub) {
            if !sub.is_empty() {
                return Verdict::deny(
                    401,
                    "Invalid token subject".into(),
                    format!("the token's subject {sub:?} is reserved for AgentOS's own principals"),
                    format!("mint with another --sub: {}", e.hint.unwrap_or_default()),
                );
            }
        }
    }
    if cfg.audience.is_none() && payload.contains_key("aud") {
        context.push("aud not checked: AgentOS checks it only with verify_audience=True (pass --aud OS_ID to check it)".into());
    }
    if !payload.contains_key("exp") {
        notes.push("the token has no exp: AgentOS accepts it forever".into());
    }
    let behaviour = &srv.profile.behaviour;
    if cfg.issuer.as_deref().is_some_and(|i| !i.is_empty()) && !behaviour.issuer_pin {
        notes.push(format!(
            "agno {} cannot pin an issuer (Authorization(issuer=...) is agno 3.1.0 on): iss is not checked",
            srv.profile.version
        ));
    }
    if !srv.authorization && !behaviour.env_key_installs_auth {
        notes.push(format!(
            "agno {}: AgentOS(authorization=False) installs no JWT check, even with JWT_VERIFICATION_KEY set (every request passes, token or not; 2.7.0 on it validates); this verdict is for JWTMiddleware(authorization=False) added to the app by hand",
            srv.profile.version
        ));
    }
    let scopes = payload.get("scopes");
    if let Some(Value::String(s)) = scopes {
        notes.push(format!(
            "scopes is a string: AgentOS reads {s:?} as ONE scope; mint a JSON list (agentos-auth mint --scopes a,b)"
        ));
    }
    if cfg.alg != Alg::HS256 {
        context.push(format!("{} needs the cryptography package on the server: without it AgentOS answers 401 \"Invalid token: Algorithm not supported\"", cfg.alg));
    }

    let Some(r) = request else {
        return Verdict {
            context,
            ..Verdict::through(
                format!(
                    "AgentOS accepts the token (verified with {}); pass --request \"METHOD /path\" to check its scopes for a route",
                    acc.by
                ),
                notes,
            )
        };
    };
    let what = format!("{} {}", r.method, r.path);
    let full = r;
    let r = routed.as_ref().unwrap_or(r);
    if !srv.mount_prefix.is_empty() && !srv.profile.behaviour.matches_route_path {
        notes.push(format!(
            "agno {} matches the whole URL path ({}), prefix and all, against its route map and exclusions (3.0.9 on: the path under the mount)",
            srv.profile.version, full.path
        ));
    }
    let bare_path = r
        .path
        .split(['?', '#'])
        .next()
        .unwrap_or_default()
        .trim_end_matches('/');
    if srv.routes.is_none()
        && srv
            .profile
            .unserved_routes
            .contains(&(r.method.as_str(), bare_path))
    {
        notes.push(format!(
            "agno {} serves no {} {bare_path}: expect 404 once auth passes",
            srv.profile.version, r.method
        ));
    }
    if let Some(policy) = &cfg.roles {
        let mut v = policy.verdict(srv, payload, r, notes);
        v.context = context;
        return v;
    }
    let mut access = if srv.authorization {
        agentos::check_access_mounted(srv, scopes, &r.method, &matched, &r.path)
    } else {
        agentos::decide::router_gate(srv, scopes, &r.path)
    };
    if srv.authorization && access == Access::Allowed {
        match agentos::check_body(srv, scopes, &r.method, &r.path, r.body.as_ref()) {
            BodyCheck::Unchecked { target } => notes.push(body_note(&what, target)),
            BodyCheck::Forbidden { detail, required } => {
                access = Access::Forbidden { detail, required }
            }
            BodyCheck::None | BodyCheck::Allowed => {}
        }
    }
    if matches!(access, Access::Allowed) && !agentos::routes::is_mounted(srv, &r.method, &r.path) {
        let mut v = Verdict::not_found(srv, r, notes);
        v.context = context;
        return v;
    }
    if matches!(access, Access::Allowed) {
        notes.extend(agentos::mcp::route_note(srv, r));
        if let Some(v) = agentos::mcp::tool_verdict(srv, scopes, r, &what, &mut notes) {
            return Verdict { context, ..v };
        }
    }
    match access {
        Access::Public | Access::Allowed => {
            let ids = if srv.authorization {
                agentos::listing_filter(srv, scopes, &r.method, &matched, &r.path)
            } else {
                None
            };
            let reason = match &ids {
                Some(ids) if ids.is_empty() => format!(
                    "AgentOS lets {what} through but lists nothing: no scope names a readable id"
                ),
                Some(ids) => format!(
                    "AgentOS lets {what} through, listing only: {}",
                    ids.join(", ")
                ),
                None => format!("AgentOS lets {what} through (verified with {})", acc.by),
            };
            Verdict {
                context,
                visible_ids: ids,
                ..Verdict::through(reason, notes)
            }
        }
        Access::Forbidden { detail, required } => {
            let have = scope_list(scopes);
            let fix = scope_fix(srv, &r.path, &required);
            let mut v = Verdict::deny(
                403,
                detail,
                format!("the token's scopes ({have}) do not grant {what}"),
                fix,
            );
            v.notes = notes;
            v.context = context;
            v
        }
        Access::ServerError { detail } => Verdict {
            status: 500,
            reason: format!("agno fails on {what}: the scopes list holds a non-string item"),
            detail: Some(detail),
            fix: Some("make every scope a string".into()),
            notes,
            context,
            visible_ids: None,
            hidden_ids: None,
            error_code: None,
        },
    }
}

/// The fix for a 403: the narrowest scope first. On a route of one agent, team or
/// workflow (`POST /agents/my-agent/runs`), that is the per-resource scope
/// (`agents:my-agent:run`), then the global one (`agents:run`), then admin.
pub(crate) fn scope_fix(srv: &Server, path: &str, required: &[String]) -> String {
    let global = required.join(",");
    let bare = path.split(['?', '#']).next().unwrap_or_default();
    if let (Some(kind), Some(id)) = agentos::routes::resource_context(srv, bare) {
        let narrow: Vec<String> = required
            .iter()
            .filter_map(|s| {
                let (family, action) = s.split_once(':')?;
                (family == kind && !action.contains(':')).then(|| format!("{kind}:{id}:{action}"))
            })
            .collect();
        if !narrow.is_empty() && narrow.len() == required.len() {
            let one = &kind[..kind.len() - 1];
            return format!(
                "mint with --scopes {} (this {one} only), or {global} (every {one}), or --preset admin",
                narrow.join(",")
            );
        }
    }
    format!("mint with --scopes {global}, or --preset admin")
}

fn scope_list(v: Option<&Value>) -> String {
    match v {
        None => "no scopes claim".into(),
        Some(Value::Array(a)) if a.is_empty() => "none".into(),
        Some(Value::Array(a)) => a
            .iter()
            .map(|s| s.as_str().map_or_else(|| s.to_string(), str::to_string))
            .collect::<Vec<_>>()
            .join(", "),
        Some(other) => other.to_string(),
    }
}

fn when(ts: f64, now: f64) -> String {
    let t = ts as i64;
    format!(
        "{} ({})",
        claims::rfc3339(t),
        claims::relative(t, now as i64)
    )
}

fn rejection(e: &PyErr, token: &str, cfg: &Config) -> Verdict {
    let detail = match e.class {
        Class::Expired => "Token has expired".to_string(),
        Class::Audience => cfg.server.profile.behaviour.audience_detail.to_string(),
        Class::Invalid => format!("Invalid token: {}", e.msg),
        Class::Other => format!("Error decoding token: {}", e.msg),
    };
    let header = load(token).ok().map(|t| t.header);
    let kid = header
        .as_ref()
        .and_then(|h| h.get("kid"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let alg = cfg.alg;
    let (reason, fix): (String, String) = match &e.cause {
        Cause::Malformed => (
            format!("the token is not a well-formed JWT ({})", e.msg),
            "send the whole token as minted (three base64url segments separated by dots)".into(),
        ),
        Cause::AlgMissing => (
            "the token header has no alg".into(),
            format!("mint it with agentos-auth mint (header alg {alg})"),
        ),
        Cause::AlgNotAllowed(v) => {
            let tok = v.as_str().map_or_else(|| v.to_string(), str::to_string);
            (
                format!("token alg {tok} but AgentOS is set to {alg}"),
                match tok.parse::<Alg>() {
                    Ok(t) if t.as_str() == tok => format!(
                        "mint with an {alg} key made by agentos-auth keygen --alg {alg}, or configure AgentOS for {tok}: AgentOS(authorization=Authorization(algorithm=\"{tok}\")) from agno.os.authz, no env var sets it; then verify with --alg {tok}"
                    ),
                    _ => format!("mint an {alg} token with agentos-auth mint; AgentOS verifies only RS256, ES256 or HS256"),
                },
            )
        }
        Cause::KidNotString => (
            "the token's kid header is not a string".into(),
            "mint with --kid NAME".into(),
        ),
        Cause::Detached => (
            "the token has b64:false (a detached payload): AgentOS has no way to receive the payload".into(),
            "mint a normal JWT (no b64 header): agentos-auth mint".into(),
        ),
        Cause::Crit => (
            "the token has a crit header PyJWT does not support".into(),
            "mint without crit: agentos-auth mint".into(),
        ),
        Cause::KeyUnusable { why, fix } => (why.clone(), fix.clone()),
        Cause::BadSignature => signature_advice(token, cfg, kid.as_deref()),
        Cause::Payload => (
            format!("the token payload is not a JSON object ({})", e.msg),
            "mint the token with agentos-auth mint".into(),
        ),
        Cause::ClaimType(c) => (
            format!("the token's {c} is not an integer"),
            format!("mint with {c} as unix seconds (a number)"),
        ),
        Cause::Immature(c, t) => {
            let ahead = (*t - cfg.now).round() as i64;
            if *c == "iat" {
                (
                    format!(
                        "token iat is {} in the future, beyond AgentOS's 10 s leeway: the minting clock is ahead of the server's",
                        claims::format_duration(ahead)
                    ),
                    "sync the clocks of the minting machine and the server with NTP, or mint with --no-iat".into(),
                )
            } else {
                (
                    format!("token not valid before {}", when(*t, cfg.now)),
                    "wait until then, or mint without --nbf".into(),
                )
            }
        }
        Cause::Expired(t) => (
            format!(
                "token expired {} (exp {}, leeway 10 s)",
                claims::relative(*t as i64, cfg.now as i64),
                claims::rfc3339(*t as i64)
            ),
            "mint a new token: agentos-auth mint, with a longer --expires-in if needed".into(),
        ),
        Cause::SubNotString => (
            "the token's sub is not a string".into(),
            "mint with --sub USER_ID".into(),
        ),
        Cause::JtiNotString => (
            "the token's jti is not a string".into(),
            "mint with --jti (a string)".into(),
        ),
        Cause::NoKey => no_key_advice(cfg, kid.as_deref(), header.is_some()),
        Cause::AudMissing => (
            "the token has no aud, and AgentOS verifies the audience".into(),
            format!("mint with --aud {}", expected_aud(cfg)),
        ),
        Cause::AudMismatch(got) => (
            format!(
                "token aud {got} but AgentOS expects {}",
                expected_aud(cfg)
            ),
            format!(
                "mint with --aud {}, the AgentOS id that GET /info shows as os_id, or change audience= in AgentOS",
                expected_aud(cfg)
            ),
        ),
        Cause::IssMissing => (
            "the token has no iss, and AgentOS pins the issuer".into(),
            format!("mint with --iss {}", cfg.issuer.clone().unwrap_or_default()),
        ),
        Cause::IssMismatch(got) => (
            format!(
                "token iss {} but AgentOS pins {}",
                got,
                cfg.issuer.clone().unwrap_or_default()
            ),
            format!("mint with --iss {}", cfg.issuer.clone().unwrap_or_default()),
        ),
    };
    Verdict::deny(401, detail, reason, fix)
}

fn expected_aud(cfg: &Config) -> String {
    cfg.audience
        .as_ref()
        .and_then(|a| a.first().cloned())
        .unwrap_or_else(|| "OS_ID".into())
}

/// Kids of the usable JWKS keys (sorted), and whether a kid-less default exists.
fn jwks_kids(cfg: &Config) -> (Vec<(String, Alg)>, bool) {
    let map = cfg.jwks.as_ref().map(jwks_map).unwrap_or_default();
    let mut kids: Vec<(String, Alg)> = map
        .iter()
        .filter(|(k, _)| k.as_str() != "_default")
        .map(|(k, e)| (k.clone(), e.key.alg()))
        .collect();
    kids.sort_by(|a, b| a.0.cmp(&b.0));
    (kids, map.contains_key("_default"))
}

fn no_key_advice(cfg: &Config, kid: Option<&str>, has_header: bool) -> (String, String) {
    let (kids, _) = jwks_kids(cfg);
    if cfg.jwks.is_none() && cfg.static_keys.is_empty() || !has_header {
        return (
            "AgentOS has no verification key".into(),
            "set JWT_VERIFICATION_KEY or JWT_JWKS_FILE".into(),
        );
    }
    let matching: Vec<&str> = kids
        .iter()
        .filter(|(_, a)| *a == cfg.alg)
        .map(|(k, _)| k.as_str())
        .collect();
    let pick = matching
        .last()
        .copied()
        .or(kids.last().map(|(k, _)| k.as_str()))
        .unwrap_or("KID");
    let n = kids.len();
    let plural = if n == 1 { "key" } else { "keys" };
    // A JWKS can hold thousands of keys: name a few, count the rest (one short line).
    const SHOWN: usize = 5;
    let mut list = kids
        .iter()
        .take(SHOWN)
        .map(|(k, _)| clipped(k))
        .collect::<Vec<_>>()
        .join(", ");
    if n > SHOWN {
        list.push_str(&format!(" and {} more", n - SHOWN));
    }
    match kid {
        None | Some("") => (
            format!("token has no kid; the JWKS has {n} {plural}, all with kid ({list}), and no kid-less default"),
            format!("mint with --kid {pick}"),
        ),
        Some(k) => (
            format!("token kid {:?} is not in the JWKS (kids: {list}) and there is no kid-less default key", clipped(k)),
            format!("mint with --kid {pick} using that key, or add the token's public key to the JWKS under kid {k:?}"),
        ),
    }
}

/// A kid as shown in a message: at most 64 characters (kids may be any length).
fn clipped(kid: &str) -> String {
    match kid.char_indices().nth(64) {
        Some((i, _)) => format!("{}...", &kid[..i]),
        None => kid.to_string(),
    }
}

fn signature_advice(token: &str, cfg: &Config, kid: Option<&str>) -> (String, String) {
    let n = cfg.static_keys.len() + usize::from(cfg.jwks.is_some());
    // HS256: a secret that differs only by whitespace is the classic mistake.
    if cfg.alg == Alg::HS256 {
        if let Ok(t) = load(token) {
            for k in &cfg.static_keys {
                let trimmed = k.text.trim();
                if trimmed != k.text && !trimmed.is_empty() {
                    if let Ok(v) = exact_secret(trimmed) {
                        if v.verify(t.signing_input.as_bytes(), &t.signature) {
                            return (
                                format!("{} has leading/trailing whitespace (e.g. a newline): AgentOS uses the secret byte for byte", k.label),
                                format!("remove the whitespace from {}: the secret is the file's content without trailing newline", k.label),
                            );
                        }
                    }
                }
            }
        }
        return (
            "the HS256 signature does not match the configured secret".into(),
            "mint with the same secret AgentOS has, byte for byte, without trailing newline".into(),
        );
    }
    let via = match kid {
        Some(k) if cfg.jwks.is_some() => {
            format!(" (JWKS key {k:?} and {} static)", cfg.static_keys.len())
        }
        _ => String::new(),
    };
    (
        format!("the signature does not match the {n} configured key source(s){via}: the token was signed by another key"),
        "mint with the private key whose public half AgentOS has, or give AgentOS this key's public half: agentos-auth export --key PRIVATE_KEY".into(),
    )
}

#[cfg(test)]
mod tests {
    use super::super::pyjwt::*;
    use super::*;
    use crate::keys::Key;
    use crate::token;

    fn mint(key: &Key, header: Value, claims: Value) -> String {
        let signer = key.signer().unwrap();
        let (Value::Object(h), Value::Object(c)) = (header, claims) else {
            panic!("objects")
        };
        token::encode(&h, &c, &signer).unwrap()
    }

    fn cfg(alg: Alg, key: &Key) -> Config {
        let text = match key.secret() {
            Some(s) => s.to_string(),
            None => key.public_key_pem().unwrap(),
        };
        Config {
            alg,
            static_keys: vec![StaticKey {
                label: "JWT_VERIFICATION_KEY".into(),
                text,
            }],
            jwks: None,
            audience: Some(vec!["os".into()]),
            issuer: None,
            now: 1_000_000.0,
            roles: None,
            server: agentos::Server::default(),
        }
    }

    #[test]
    fn order_of_checks() {
        let k = Key::generate(Alg::HS256, 0).unwrap();
        let c = cfg(Alg::HS256, &k);
        let h = serde_json::json!({"alg": "HS256", "typ": "JWT"});
        let get = |claims: Value| verify(&mint(&k, h.clone(), claims), &c, None);
        // iat beats exp; exp beats aud.
        let v = get(serde_json::json!({"iat": 1_000_100, "exp": 1, "aud": "x"}));
        assert_eq!(
            v.detail.unwrap(),
            "Invalid token: The token is not yet valid (iat)"
        );
        let v = get(serde_json::json!({"exp": 1, "aud": "x"}));
        assert_eq!(v.detail.unwrap(), "Token has expired");
        let v = get(serde_json::json!({"exp": 999_990, "aud": "os"}));
        assert_eq!(v.status, 401);
        let v = get(serde_json::json!({"exp": 999_991, "aud": "os", "iat": 1_000_010}));
        assert_eq!(v.status, 200, "{v:?}");
        let v = get(serde_json::json!({"aud": ["a", "os"], "sub": "sa:x"}));
        assert_eq!(v.detail.unwrap(), "Invalid token subject");
        let v = get(serde_json::json!({"aud": 5, "sub": 5}));
        assert_eq!(v.detail.unwrap(), "Invalid token: Subject must be a string");
        let v = get(serde_json::json!({"iat": "12x"}));
        assert_eq!(
            v.detail.unwrap(),
            "Invalid token: Issued At claim (iat) must be an integer."
        );
    }

    #[test]
    fn static_key_preparation() {
        let rsa = Key::generate(Alg::RS256, 2048).unwrap();
        let mut c = cfg(Alg::RS256, &rsa);
        let t = mint(
            &rsa,
            serde_json::json!({"alg": "RS256"}),
            serde_json::json!({"aud": "os"}),
        );
        assert_eq!(verify(&t, &c, None).status, 200);
        c.static_keys[0].text = c.static_keys[0].text.replace('\n', "\\n");
        let v = verify(&t, &c, None);
        assert_eq!(
            v.detail.unwrap(),
            "Error decoding token: Could not parse the provided public key."
        );
        assert!(v.reason.contains("two characters \\n"), "{}", v.reason);
        c.static_keys[0].text = rsa.private_key_pem().unwrap().to_string();
        assert!(verify(&t, &c, None)
            .detail
            .unwrap()
            .contains("has no attribute 'verify'"));
        c.alg = Alg::ES256;
        let v = verify(&t, &c, None);
        assert_eq!(
            v.detail.unwrap(),
            "Invalid token: The specified alg value is not allowed"
        );
        assert!(
            v.reason
                .contains("token alg RS256 but AgentOS is set to ES256"),
            "{}",
            v.reason
        );
    }

    #[test]
    fn jwks_kid_and_default_rule() {
        let k1 = Key::generate(Alg::ES256, 0).unwrap();
        let k2 = Key::generate(Alg::ES256, 0).unwrap();
        let jwks = |keys: Vec<Value>| {
            let bytes = serde_json::to_vec(&serde_json::json!({ "keys": keys })).unwrap();
            Some(JwksSource {
                label: "jwks.json".into(),
                keys: crate::jwk::inspect_jwks(&bytes, "jwks.json").unwrap(),
            })
        };
        let jwk =
            |k: &Key, kid: Option<&str>| serde_json::to_value(k.public_jwk(kid).unwrap()).unwrap();
        let mut c = cfg(Alg::ES256, &k1);
        c.static_keys.clear();
        c.audience = None;
        c.jwks = jwks(vec![jwk(&k1, Some("a")), jwk(&k2, Some("b"))]);
        let claims = serde_json::json!({"sub": "u"});
        let t = |k: &Key, h: Value| mint(k, h, claims.clone());
        let ok = verify(
            &t(&k2, serde_json::json!({"alg": "ES256", "kid": "b"})),
            &c,
            None,
        );
        assert_eq!(ok.status, 200, "{ok:?}");
        let v = verify(&t(&k1, serde_json::json!({"alg": "ES256"})), &c, None);
        assert_eq!(
            v.detail.unwrap(),
            "Invalid token: No verification keys configured"
        );
        assert!(
            v.reason
                .contains("token has no kid; the JWKS has 2 keys, all with kid (a, b)"),
            "{}",
            v.reason
        );
        assert_eq!(v.fix.unwrap(), "mint with --kid b");
        // A kid-less key is the default for missing and unknown kids; a later
        // duplicate kid replaces the earlier key.
        c.jwks = jwks(vec![
            jwk(&k1, Some("a")),
            jwk(&k2, None),
            jwk(&k2, Some("a")),
        ]);
        assert_eq!(
            verify(&t(&k2, serde_json::json!({"alg": "ES256"})), &c, None).status,
            200
        );
        assert_eq!(
            verify(
                &t(&k2, serde_json::json!({"alg": "ES256", "kid": "zz"})),
                &c,
                None
            )
            .status,
            200
        );
        let v = verify(
            &t(&k1, serde_json::json!({"alg": "ES256", "kid": "a"})),
            &c,
            None,
        );
        assert_eq!(
            v.detail.unwrap(),
            "Invalid token: Signature verification failed"
        );
    }

    #[test]
    fn pyjws_loading() {
        let k = Key::generate(Alg::HS256, 0).unwrap();
        let c = cfg(Alg::HS256, &k);
        let good = mint(
            &k,
            serde_json::json!({"alg": "HS256"}),
            serde_json::json!({"aud": "os"}),
        );
        let detail = |t: &str| verify(t, &c, None).detail.unwrap_or_default();
        // '=' padding is tolerated on a segment whose length is then a multiple of 4.
        let parts: Vec<&str> = good.split('.').collect();
        let padded_sig = format!("{}.{}.{}=", parts[0], parts[1], parts[2]);
        assert_eq!(verify(&padded_sig, &c, None).status, 200);
        let overpadded = format!("{padded_sig}=");
        assert_eq!(detail(&overpadded), "Invalid token: Invalid crypto padding");
        assert_eq!(detail("a.b"), "Invalid token: Not enough segments");
        assert_eq!(detail("abc"), "Invalid token: Not enough segments");
        assert_eq!(
            detail("e30.e30.c2ln"),
            "Invalid token: Algorithm not specified"
        );
        assert_eq!(
            detail("WzFd.e30.c2ln"),
            "Invalid token: Invalid header string: must be a json object"
        );
        let crit = mint(
            &k,
            serde_json::json!({"alg": "HS256", "crit": ["exp"]}),
            serde_json::json!({}),
        );
        assert_eq!(
            detail(&crit),
            "Invalid token: Unsupported critical extension: exp"
        );
        let arr = mint(
            &k,
            serde_json::json!({"alg": "HS256"}),
            serde_json::json!({}),
        );
        assert_eq!(verify(&arr, &c, None).detail.unwrap(), "Invalid token: Token is missing the \"aud\" claim. Audience verification requires this claim to be present in the token.");
    }

    #[test]
    fn audience_before_2_4_0_is_pyjwts() {
        let k = Key::generate(Alg::HS256, 0).unwrap();
        let mut c = cfg(Alg::HS256, &k);
        c.server = agentos::Server::new(agentos::for_version("2.3.13").unwrap().profile);
        let h = serde_json::json!({"alg": "HS256", "typ": "JWT"});
        let detail = |c: &Config, claims: Value| {
            verify(&mint(&k, h.clone(), claims), c, None)
                .detail
                .unwrap_or_default()
        };
        assert_eq!(
            detail(&c, serde_json::json!({"aud": ""})),
            "Invalid token: Token is missing the \"aud\" claim"
        );
        assert_eq!(
            detail(&c, serde_json::json!({"aud": [5, "os"]})),
            "Invalid audience - token not valid for this AgentOS instance"
        );
        // PyJWT checks aud before sub; agno 2.4.0 on checks it after the decode.
        assert_eq!(
            detail(&c, serde_json::json!({"aud": "x", "sub": 5})),
            "Invalid audience - token not valid for this AgentOS instance"
        );
        c.server = agentos::Server::default();
        assert_eq!(
            detail(&c, serde_json::json!({"aud": "x", "sub": 5})),
            "Invalid token: Subject must be a string"
        );
        // An issuer only 3.1.0 on can pin: older releases never read iss.
        c.issuer = Some("https://issuer".into());
        assert_eq!(
            detail(&c, serde_json::json!({"aud": "os", "iss": "other"})),
            "Invalid token: Invalid issuer. Expected: https://issuer, got: other"
        );
        c.server = agentos::Server::new(agentos::for_version("3.0.11").unwrap().profile);
        let v = verify(
            &mint(
                &k,
                h.clone(),
                serde_json::json!({"aud": "os", "iss": "other"}),
            ),
            &c,
            None,
        );
        assert_eq!(v.status, 200);
        assert!(
            v.notes.iter().any(|n| n.contains("cannot pin an issuer")),
            "{v:?}"
        );
    }

    #[test]
    fn py_int_rules() {
        assert_eq!(py_int(&serde_json::json!(1.9)), Some(1.0));
        assert_eq!(py_int(&serde_json::json!(" 12 ")), Some(12.0));
        assert_eq!(py_int(&serde_json::json!("1_0")), Some(10.0));
        assert_eq!(py_int(&serde_json::json!(true)), Some(1.0));
        assert_eq!(py_int(&serde_json::json!("1.5")), None);
        assert_eq!(py_int(&serde_json::json!(null)), None);
    }

    #[test]
    fn requests_parse() {
        assert_eq!(
            Request::parse("post /agents/a/runs").unwrap(),
            Request {
                method: "POST".into(),
                path: "/agents/a/runs".into(),
                body: None,
            }
        );
        assert!(Request::parse("GET agents").is_err());
        assert!(Request::parse("/agents").is_err());
    }

    #[test]
    fn an_interface_taken_out_of_jwt_auth_says_so() {
        let routes: Vec<(String, String)> = [
            ("GET", "/agents"),
            ("POST", "/a2a/agents/{id}/v1/message:send"),
            ("GET", "/whatsapp/status"),
            ("POST", "/whatsapp/webhook"),
        ]
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
        let key = Key::generate(Alg::HS256, 0).unwrap();
        let ask = |version: &str, request: &str| {
            let mut c = cfg(Alg::HS256, &key);
            c.server = agentos::Server::new(agentos::for_version(version).unwrap().profile)
                .with_routes(routes.clone());
            verify("", &c, Some(&Request::parse(request).unwrap()))
        };
        // 3.1.10: only the self-authenticating WhatsApp is out of JWT auth.
        let v = ask("3.1.10", "POST /whatsapp/webhook");
        assert_eq!(v.status, 200);
        assert!(
            v.notes
                .iter()
                .any(|n| n.contains("WhatsApp interface")
                    && n.contains("a bearer token plays no part")),
            "{v:?}"
        );
        assert_eq!(
            ask("3.1.10", "POST /a2a/agents/a/v1/message:send").status,
            401
        );
        // 2.6.22: every prefixed interface is, A2A included: anyone can call it.
        let v = ask("2.6.22", "POST /a2a/agents/a/v1/message:send");
        assert_eq!(v.status, 200);
        assert!(
            v.notes
                .iter()
                .any(|n| n.contains("A2A interface")
                    && n.contains("anyone can call it without a token")),
            "{v:?}"
        );
        // An ordinary public route gets no such note.
        assert!(ask("3.1.10", "GET /health").notes.is_empty());
    }
}
