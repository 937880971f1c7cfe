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
        read_token(a.token.as_deref())?
    };
    let mut request = a.request.as_deref().map(Request::parse).transpose()?;
    if let (Some(r), Some(body)) = (request.as_mut(), &a.body) {
        r.body = Some(read_body(body)?);
    }
    let now = match &a.at {
        Some(t) => claims::parse_time(t, claims::now()).map_err(|e| e.context("--at"))? as f64,
        None => precise_now(),
    };
    let (static_keys, jwks) = if a.key.is_empty() && a.jwks.is_none() {
        let (s, j) = env_sources()?;
        if s.is_empty() && j.is_none() {
            store_sources(g, a.alg)?
        } else {
            (s, j)
        }
    } else {
        let mut keys = Vec::new();
        for path in &a.key {
            keys.push(StaticKey {
                label: path.display().to_string(),
                text: read_text(path)?,
            });
        }
        let jwks = a.jwks.as_deref().map(jwks_file).transpose()?;
        (keys, jwks)
    };
    check_startable(&static_keys, jwks.as_ref())?;
    let cfg = Config {
        alg: a.alg,
        static_keys,
        jwks,
        audience: (!a.aud.is_empty()).then(|| a.aud.clone()),
        issuer: a.iss.clone(),
        now,
        server: super::server::server(g, &a.server, &ui)?,
    };
    let verdict = verify::verify(&token, &cfg, request.as_ref());
    report(&ui, &verdict, a.json)
}

/// Prints the verdict and turns a rejection into the exit code (10, 11) with one line.
pub fn report(ui: &Ui, v: &Verdict, json: bool) -> Result<()> {
    if json {
        super::print_line(serde_json::to_string(v).unwrap_or_else(|_| "{}".to_string()))?;
    } else if v.status < 400 {
        super::print_line(format!("{}: {}", v.status, v.reason))?;
    }
    if !json {
        for n in &v.notes {
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
