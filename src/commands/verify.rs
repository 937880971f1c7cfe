//! `agentos-auth verify`: what AgentOS would answer to a token, and what to change.

use std::path::Path;

use super::inspect::read_token;
use super::Ui;
use crate::agentos::verify::{self, Config, JwksSource, Request, StaticKey, Verdict};
use crate::claims;
use crate::cli::{GlobalArgs, VerifyArgs};
use crate::error::{Error, Kind, Result};
use crate::fsio;
use crate::jwk;
use crate::keyring::Keyring;
use crate::keys::Alg;
use crate::store::Store;

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
    let request = match (&a.request, &a.url) {
        (Some(r), _) => Some(Request::parse(r)?),
        // The server is asked something: by default, what `GET /agents` answers.
        (None, Some(_)) => Some(Request::parse("GET /agents")?),
        (None, None) => None,
    };
    if let (Some(r), Some(_)) = (&request, &a.url) {
        super::live::check_method(r, a.send)?;
    }
    let now = match &a.at {
        Some(t) => claims::parse_time(t, claims::now()).map_err(|e| e.context("--at"))? as f64,
        None => precise_now(),
    };
    let sources = key_sources(g, a);
    let Some(url) = &a.url else {
        let (static_keys, jwks) = sources?;
        check_startable(&static_keys, jwks.as_ref())?;
        let server = super::server::server(g, &a.server, &ui)?;
        let cfg = config(a, static_keys, jwks, now, server);
        let verdict = verify::verify(&token, &cfg, request.as_ref());
        return report(&ui, &verdict, a.json);
    };
    let token = (!a.no_token).then_some(token);
    let connected = super::live::connect(url, a.timeout, token.as_deref())?;
    let server = super::live::server_model(g, &a.server, &connected, &ui)?;
    // Without any key the server is still asked; there is just nothing to compare with.
    let cfg = match sources {
        Ok((static_keys, jwks)) => {
            check_startable(&static_keys, jwks.as_ref())?;
            Some(config(a, static_keys, jwks, now, server.clone()))
        }
        Err(e) if e.msg == "no verification key" => None,
        Err(e) => return Err(e),
    };
    let request = request.unwrap_or_else(|| Request {
        method: "GET".into(),
        path: "/agents".into(),
    });
    let predicted = cfg
        .as_ref()
        .map(|c| verify::verify(token.as_deref().unwrap_or_default(), c, Some(&request)));
    let mut facts = super::live::facts(token.as_deref().unwrap_or_default(), cfg.as_ref(), &server);
    facts.scope_mappings = a.server.agentos.scope_mappings.is_some();
    super::live::finish(
        &ui,
        &connected,
        &request,
        token.as_deref(),
        predicted.as_ref(),
        &facts,
        a.json,
    )
}

fn config(
    a: &VerifyArgs,
    static_keys: Vec<StaticKey>,
    jwks: Option<JwksSource>,
    now: f64,
    server: crate::agentos::Server,
) -> Config {
    Config {
        alg: a.alg,
        static_keys,
        jwks,
        audience: (!a.aud.is_empty()).then(|| a.aud.clone()),
        issuer: a.iss.clone(),
        now,
        server,
    }
}

/// `--key`/`--jwks`, else the environment AgentOS reads, else the key store.
fn key_sources(g: &GlobalArgs, a: &VerifyArgs) -> Result<(Vec<StaticKey>, Option<JwksSource>)> {
    if a.key.is_empty() && a.jwks.is_none() {
        let (s, j) = env_sources()?;
        if s.is_empty() && j.is_none() {
            return store_sources(g, a.alg);
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
    if json {
        super::print_line(serde_json::to_string(v).unwrap_or_else(|_| "{}".to_string()))?;
    } else if v.status < 400 {
        super::print_line(format!("{}: {}", v.status, v.reason))?;
    }
    // An error is one line: notes only for a let-through, context only with --verbose.
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
    let detail = v.detail.clone().unwrap_or_default();
    let mut e = Error::new(
        kind,
        format!("AgentOS would answer {} {detail:?}: {}", v.status, v.reason),
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
    let text = String::from_utf8(bytes).map_err(|_| {
        Error::input(format!("{} is not text", path.display()))
            .hint("pass a PEM public key or an HS256 secret")
    })?;
    Ok(text.trim_end_matches(['\r', '\n']).to_string())
}

/// A JWKS file, judged key by key as AgentOS loads it.
pub fn jwks_file(path: &Path) -> Result<JwksSource> {
    let label = path.display().to_string();
    let bytes = fsio::read_input(path)?;
    let keys = jwk::inspect_jwks(&bytes, &label)?;
    Ok(JwksSource { label, keys })
}

/// `JWT_VERIFICATION_KEY` and `JWT_JWKS_FILE`, as agno reads them. A non-UTF-8 value
/// is set for AgentOS (`os.getenv`), so it is not skipped here: skipping it fell back
/// to the key store and answered 200 where AgentOS fails.
pub fn env_sources() -> Result<(Vec<StaticKey>, Option<JwksSource>)> {
    let mut keys = Vec::new();
    if let Some(text) = std::env::var_os("JWT_VERIFICATION_KEY")
        .map(|t| t.to_string_lossy().into_owned())
        .filter(|t| !t.is_empty())
    {
        keys.push(StaticKey {
            label: "JWT_VERIFICATION_KEY".into(),
            text,
        });
    }
    let jwks = match std::env::var_os("JWT_JWKS_FILE").filter(|p| !p.is_empty()) {
        Some(p) => Some(jwks_file(Path::new(&p)).map_err(|e| {
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
    let store = Store::locate(g.home.as_deref()).map_err(|_| none())?;
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
                .is_some_and(|j| verify::agno_jwk_key(j).is_ok())
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
