//! `agentos-auth verify`: what AgentOS would answer to a token, and what to change.

use std::path::Path;

use super::env_file::AgentosEnv;
use super::inspect::read_token;
use super::Ui;
use crate::agentos::{self, Config, JwksSource, Request, StaticKey, Verdict};
use crate::cli::{GlobalArgs, VerifyArgs};
use crate::error::{Error, Kind, Result};
use crate::fsio;
use crate::jwk_set;
use crate::keyring::Keyring;
use crate::keys::Alg;
use crate::store::Store;
use crate::time;

pub fn run(g: &GlobalArgs, a: &VerifyArgs) -> Result<()> {
    let ui = Ui::new(g);
    let token = if a.no_token {
        String::new()
    } else {
        read_token(
            a.token.as_deref(),
            "agentos-auth verify --key pub.pem (or --jwks jwks.json)",
        )?
    };
    let mut request = match (&a.request, &a.url) {
        (Some(r), _) => Some(Request::parse(r)?),
        // The server is asked something: by default, what `GET /agents` answers.
        (None, Some(_)) => Some(Request::parse("GET /agents")?),
        (None, None) => None,
    };
    if let (Some(r), Some(body)) = (request.as_mut(), &a.body) {
        r.body = Some(read_body(body)?);
    }
    if let (Some(r), Some(_)) = (&request, &a.url) {
        super::live::check_method(r, a.send)?;
    }
    let now = match &a.at {
        Some(t) => time::parse_time(t, time::now()).map_err(|e| e.context("--at"))? as f64,
        None => precise_now(),
    };
    let env = AgentosEnv::load(a.env_file.as_deref())?;
    for remark in env.remarks(&["JWT_VERIFICATION_KEY", "JWT_JWKS_FILE"]) {
        ui.warn(remark);
    }
    let (alg, alg_from) = resolve_alg(g, a, &env);
    let mut server = super::deployment_flags::server(g, &a.server, &ui)?;
    server.middleware =
        super::deployment_flags::middleware(&a.server.middleware, a.sent_in.as_deref())?;
    super::deployment_flags::check_middleware(&server, a.roles_file.is_some(), a.url.is_some())?;
    // A JWTMiddleware added by hand: the key store's roles are not the server's.
    let manual = server.middleware.is_manual();
    let roles = if a.no_roles || manual {
        None
    } else {
        super::load_roles(g, a.roles_file.as_deref())?
    };
    if let Some(r) = roles.as_ref().filter(|_| a.roles_file.is_none()) {
        ui.note(format!(
            "note: deciding with the roles in {} (--no-roles to ignore them)",
            r.label
        ));
    }
    let roles = roles.map(|r| r.policy);
    let Some(url) = &a.url else {
        let (static_keys, jwks) = key_sources(g, a, alg, &env)?;
        check_startable(&static_keys, jwks.as_ref())?;
        let mut cfg = config(a, alg, static_keys, jwks, now, roles, server.clone());
        let mut verdict = agentos::verify(&token, &cfg, request.as_ref());
        if let Some((aud, whose)) = intended_audience(g, a, None) {
            agentos::warn_unchecked_audience(
                &mut verdict,
                &token,
                &mut cfg,
                request.as_ref(),
                (&aud, whose),
            );
        }
        return report(&ui, &verdict, a.json);
    };
    let token = (!a.no_token).then_some(token);
    let connected = super::live::connect(
        url,
        a.server.mount_prefix.as_deref(),
        a.timeout,
        token.as_deref(),
    )?;
    let server = super::live::server_model(g, &a.server, &connected, &ui)?;
    let roles = match &a.authz_token {
        Some(admin) => {
            let subject = token
                .as_deref()
                .and_then(|t| crate::token::decode(t).ok())
                .and_then(|d| {
                    d.claims
                        .get("sub")
                        .and_then(|s| s.as_str().map(str::to_string))
                });
            let base = roles.unwrap_or_default();
            let policy =
                crate::live::authz::read_roles(&connected.server, admin, subject.as_deref(), base)?;
            ui.note(format!(
                "note: deciding with the {} role(s) {} serves at /authz",
                policy.roles.len(),
                connected.server.url()
            ));
            Some(policy)
        }
        None => roles,
    };
    let request = request.unwrap_or_else(|| Request {
        method: "GET".into(),
        path: "/agents".into(),
        body: None,
    });
    let answer = super::live::send(&connected, &request, token.as_deref())?;
    let intended_aud = intended_audience(g, a, connected.info.os_id.as_deref());
    let token_text = token.as_deref().unwrap_or_default();
    // Without any key the server is still asked; there is just nothing to compare with.
    let predict = |alg: Alg| -> Result<Option<(Verdict, Config)>> {
        let (static_keys, jwks) = match key_sources(g, a, alg, &env) {
            Ok(sources) => sources,
            Err(e) if e.msg == "no verification key" => return Ok(None),
            Err(e) => return Err(e),
        };
        check_startable(&static_keys, jwks.as_ref())?;
        let mut cfg = config(
            a,
            alg,
            static_keys,
            jwks,
            now,
            roles.clone(),
            server.clone(),
        );
        let mut v = agentos::verify(token_text, &cfg, Some(&request));
        if let Some((aud, whose)) = &intended_aud {
            agentos::warn_unchecked_audience(
                &mut v,
                token_text,
                &mut cfg,
                Some(&request),
                (aud, whose),
            );
        }
        Ok(Some((v, cfg)))
    };
    let mut predicted = predict(alg)?;
    // A server that verified the token settles which algorithm it is set to, unless
    // --alg says which one to check.
    if alg_from != AlgFrom::Flag {
        let settled = predicted
            .as_ref()
            .and_then(|(_, cfg)| super::live::verified_alg(token_text, &answer, cfg, &request))
            .filter(|&h| h != alg);
        if let Some(h) = settled {
            ui.note(format!(
                "note: {} verified the token, signed {h}: AgentOS there is set to {h}, so the prediction checks {h} (--alg to check another)",
                connected.server.url()
            ));
            predicted = predict(h)?;
        }
    }
    let cfg = predicted.as_ref().map(|(_, cfg)| cfg);
    let mut facts = super::live::facts(token_text, cfg, &server);
    facts.scope_mappings = a.server.agentos.scope_mappings.is_some();
    let asked = super::live::compared(
        &connected,
        &request,
        answer,
        predicted.as_ref().map(|(v, _)| v),
        &facts,
    );
    super::live::finish(&ui, &asked, a.json)
}

/// The audience the user's tokens are for, when `verify` does not check one: a live
/// server's `os_id` (its audience unless the code sets another), else the key store's
/// `aud`; a token for another one gets a warning. `--no-verify-aud` says the server
/// does not check it either way: nothing to warn about.
fn intended_audience(
    g: &GlobalArgs,
    a: &VerifyArgs,
    os_id: Option<&str>,
) -> Option<(String, &'static str)> {
    if !a.aud.is_empty() || a.no_verify_aud {
        return None;
    }
    audience_meant(g, os_id)
}

/// A live server's `os_id`, else the key store's `aud`, with whose it is.
pub fn audience_meant(g: &GlobalArgs, os_id: Option<&str>) -> Option<(String, &'static str)> {
    match os_id.filter(|id| !id.is_empty()) {
        Some(id) => Some((id.to_string(), "the server's os_id, its default audience")),
        None => store_aud(g).map(|aud| (aud, "the key store's aud")),
    }
}

/// The key store's `aud` setting, read leniently as the other settings are.
fn store_aud(g: &GlobalArgs) -> Option<String> {
    Store::locate(g.home.as_deref())
        .ok()
        .and_then(|s| s.settings().ok())
        .and_then(|s| s.aud)
        .filter(|a| !a.is_empty())
}

fn config(
    a: &VerifyArgs,
    alg: Alg,
    static_keys: Vec<StaticKey>,
    jwks: Option<JwksSource>,
    now: f64,
    roles: Option<crate::agentos::roles::Policy>,
    server: crate::agentos::Server,
) -> Config {
    Config {
        alg,
        static_keys,
        jwks,
        audience: (!a.aud.is_empty()).then(|| a.aud.clone()),
        issuer: a.iss.clone(),
        now,
        roles,
        server,
    }
}

/// `--alg`, else [`server_alg`] for the keys this run reads.
fn resolve_alg(g: &GlobalArgs, a: &VerifyArgs, env: &AgentosEnv) -> (Alg, AlgFrom) {
    match a.alg {
        Some(alg) => (alg, AlgFrom::Flag),
        None => server_alg(g, &a.key, a.jwks.is_some(), env),
    }
}

/// Where the algorithm `verify`/`doctor` check came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlgFrom {
    /// `--alg`.
    Flag,
    /// The key store's `alg` (what `keygen` told the user to configure).
    Store,
    /// Guessed from the key (an HS256 secret) or AgentOS's default RS256.
    Default,
}

impl AlgFrom {
    /// "the key store's alg", for "not ES256, the key store's alg".
    pub fn describe(self) -> &'static str {
        match self {
            AlgFrom::Flag => "--alg",
            AlgFrom::Store => "key store's alg",
            AlgFrom::Default => "default",
        }
    }
}

/// The algorithm AgentOS is set to when `--alg` is not given: HS256 for a `--key
/// *.secret`; else the key store's `alg`, the algorithm `keygen` told the user to
/// configure; else HS256 when a store from before `alg` was remembered signs with a
/// secret and neither flags nor the environment name a key; else AgentOS's default
/// RS256 (`Authorization.algorithm`, all an env-only server verifies).
pub fn server_alg(
    g: &GlobalArgs,
    keys: &[std::path::PathBuf],
    jwks: bool,
    env: &AgentosEnv,
) -> (Alg, AlgFrom) {
    if keys.iter().any(|k| crate::keys::is_secret_file(k)) {
        return (Alg::HS256, AlgFrom::Default);
    }
    let store = Store::locate(g.home.as_deref()).ok();
    // Read leniently, as the other settings are (deployment_flags): a store that cannot
    // be read has no say.
    if let Some(alg) = store
        .as_ref()
        .and_then(|s| s.settings().ok())
        .and_then(|s| s.alg)
    {
        return (alg, AlgFrom::Store);
    }
    let env_keys = ["JWT_VERIFICATION_KEY", "JWT_JWKS_FILE"]
        .iter()
        .any(|v| env.var(v).is_some());
    let store_hs256 = store
        .and_then(|s| Keyring::load(&s.key_dir()).ok())
        .is_some_and(|ring| ring.signing().is_some_and(|e| e.alg == Alg::HS256));
    if keys.is_empty() && !jwks && !env_keys && store_hs256 {
        return (Alg::HS256, AlgFrom::Default);
    }
    (Alg::RS256, AlgFrom::Default)
}

/// `--key`/`--jwks`, else the environment AgentOS reads, else the key store.
fn key_sources(
    g: &GlobalArgs,
    a: &VerifyArgs,
    alg: Alg,
    env: &AgentosEnv,
) -> Result<(Vec<StaticKey>, Option<JwksSource>)> {
    if a.key.is_empty() && a.jwks.is_none() {
        let (s, j) = env_sources(env)?;
        if s.is_empty() && j.is_none() {
            // --env-file names the server's settings: the key store is not them.
            if let Some(f) = &env.file {
                return Err(Error::input("no verification key").hint(format!(
                    "{} sets neither JWT_VERIFICATION_KEY nor JWT_JWKS_FILE: add one (agentos-auth export --format dotenv >> {})",
                    f.path.display(),
                    f.path.display()
                )));
            }
            return store_sources(g, alg);
        }
        return Ok((s, j));
    }
    let mut keys = Vec::new();
    for path in &a.key {
        keys.push(StaticKey {
            label: path.display().to_string(),
            text: read_text(path)?,
        });
    }
    let jwks = a.jwks.as_deref().map(jwks_file).transpose()?;
    Ok((keys, jwks))
}

/// Prints the verdict and turns a rejection into the exit code (10, 11) with one line.
pub fn report(ui: &Ui, v: &Verdict, json: bool) -> Result<()> {
    if v.status == 0 {
        // Undecided offline: say so on one line, exit 1.
        return Err(Error::input(v.reason.clone()).hint(v.fix.clone().unwrap_or_default()));
    }
    if json {
        super::print_line(serde_json::to_string(v).unwrap_or_else(|_| "{}".to_string()))?;
    } else if v.status < 400 {
        super::print_line(format!("{}: {}", v.status, super::printable(&v.reason)))?;
    }
    // An error is one line: warnings and notes only for a let-through, context only
    // with --verbose.
    if !json && v.status < 400 {
        for w in &v.warnings {
            ui.warn(w);
        }
    }
    if !json && (v.status < 400 || ui.verbose) {
        for n in &v.notes {
            ui.note(format!("note: {n}"));
        }
    }
    if !json && ui.verbose {
        for n in &v.context {
            ui.note(format!("note: {n}"));
        }
    }
    verdict_result(v)
}

/// `Ok` for 200, else an error whose kind maps to exit 10 (401) or 11 (403).
pub fn verdict_result(v: &Verdict) -> Result<()> {
    let kind = match v.exit_code() {
        0 => return Ok(()),
        10 => Kind::Unauthorized,
        11 => Kind::Forbidden,
        12 => Kind::NotFound,
        _ => Kind::Input,
    };
    // A 307 (redirect_slashes): the refusal is the redirected request's.
    let (status, shown) = match &v.redirect {
        Some(r) => (format!("307, then {}", r.answer.status), &r.answer),
        None => (v.status.to_string(), v),
    };
    let answer = match (&shown.error_code, &shown.detail) {
        // A public surface's own refusal: {"error": {"code": ...}}, no detail.
        (Some(code), None) => format!("error code {code:?}"),
        (_, detail) => format!("{:?}", detail.clone().unwrap_or_default()),
    };
    let mut e = Error::new(
        kind,
        format!("AgentOS would answer {status} {answer}: {}", v.reason),
    );
    if let Some(f) = &v.fix {
        e = e.hint(f.clone());
    }
    Err(e)
}

/// Wall-clock seconds with the fraction PyJWT compares against.
pub fn precise_now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

/// A key file's text as AgentOS would get it; a trailing newline is dropped (the
/// HS256 secret rule: the file's content without trailing newline).
fn read_text(path: &Path) -> Result<String> {
    let bytes = fsio::read_input(path)?;
    let text = std::str::from_utf8(&bytes).map_err(|_| {
        Error::input(format!("{} is not text", path.display()))
            .hint("pass a PEM public key or an HS256 secret")
    })?;
    // A secret (or a private key passed by mistake) readable by others is a leak,
    // whatever it is used for here.
    let public = text.contains("PUBLIC KEY-----") || text.trim_start().starts_with("ssh-");
    if !public && path.as_os_str() != "-" {
        if let Some(w) = fsio::loose_permissions_warning(path) {
            crate::notice::warn(w);
        }
    }
    Ok(text.trim_end_matches('\n').to_string())
}

/// A JWKS file, judged key by key as AgentOS loads it.
pub fn jwks_file(path: &Path) -> Result<JwksSource> {
    let label = path.display().to_string();
    let bytes = fsio::read_input(path)?;
    let keys = jwk_set::inspect_jwks(&bytes, &label)?;
    Ok(JwksSource { label, keys })
}

/// `JWT_VERIFICATION_KEY` and `JWT_JWKS_FILE`, as agno reads them. A non-UTF-8 value
/// is set for AgentOS (`os.getenv`), so it is not skipped here: skipping it fell back
/// to the key store and answered 200 where AgentOS fails.
fn env_sources(env: &AgentosEnv) -> Result<(Vec<StaticKey>, Option<JwksSource>)> {
    let mut keys = Vec::new();
    if let Some(text) = env.var("JWT_VERIFICATION_KEY") {
        keys.push(StaticKey {
            label: "JWT_VERIFICATION_KEY".into(),
            text,
        });
    }
    let jwks = match env.path("JWT_JWKS_FILE") {
        Some(p) => Some(jwks_file(&p).map_err(|e| {
            e.context("JWT_JWKS_FILE")
                .hint("AgentOS refuses to start with an unreadable or invalid JWKS file")
        })?),
        None => None,
    };
    Ok((keys, jwks))
}

/// The key store's public JWKS, and its signing secret when that is HS256.
fn store_sources(g: &GlobalArgs, alg: Alg) -> Result<(Vec<StaticKey>, Option<JwksSource>)> {
    let none = || {
        Error::input("no verification key")
            .hint("pass --key FILE or --jwks FILE, or set JWT_VERIFICATION_KEY / JWT_JWKS_FILE as for AgentOS")
    };
    // A store that may not be trusted says why; a store that cannot be found is "none".
    let store = Store::locate(g.home.as_deref()).map_err(|e| {
        if e.msg.starts_with("refusing") {
            e
        } else {
            none()
        }
    })?;
    let mut keys = Vec::new();
    if alg == Alg::HS256 {
        let dir = store.key_dir();
        if let Ok(ring) = Keyring::load(&dir) {
            if let Ok((key, entry)) = ring.load_signing_key(&dir) {
                if let Some(s) = key.secret() {
                    keys.push(StaticKey {
                        label: format!("the key store's secret {}", entry.kid),
                        text: s.to_string(),
                    });
                }
            }
        }
    }
    let jwks_path = store.jwks_path();
    let jwks = if jwks_path.exists() {
        Some(jwks_file(&jwks_path)?)
    } else {
        None
    };
    if keys.is_empty() && jwks.is_none() {
        return Err(none());
    }
    Ok((keys, jwks))
}

/// AgentOS refuses to start without a usable key: say so instead of a verdict.
pub fn check_startable(keys: &[StaticKey], jwks: Option<&JwksSource>) -> Result<()> {
    let usable = jwks.is_some_and(|j| {
        j.keys.iter().any(|k| {
            k.jwk
                .as_ref()
                .is_some_and(|j| agentos::agno_jwk_key(j).is_ok())
        })
    });
    if keys.is_empty() && !usable {
        let what = match jwks {
            Some(j) => format!("{} has no key AgentOS can load", j.label),
            None => "no verification key".to_string(),
        };
        return Err(Error::input(format!(
            "{what}: AgentOS refuses to start (ValueError: At least one JWT verification key or JWKS file is required)"
        ))
        .hint("publish a valid public key: agentos-auth export --format jwks"));
    }
    Ok(())
}

/// `--body JSON` or `--body @FILE` (`@-` reads stdin).
fn read_body(spec: &str) -> Result<serde_json::Value> {
    let (text, label) = match spec.strip_prefix('@') {
        Some(path) => {
            let bytes = crate::fsio::read_input(std::path::Path::new(path))?;
            (
                String::from_utf8_lossy(&bytes).into_owned(),
                path.to_string(),
            )
        }
        None => (spec.to_string(), "--body".to_string()),
    };
    serde_json::from_str(&text).map_err(|e| {
        crate::error::Error::input(format!("{label}: not JSON ({e})"))
            .hint(r#"give the request's JSON body, e.g. --body '{"agent_id": "my-agent"}' or --body @body.json"#)
    })
}
