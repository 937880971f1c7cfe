//! The network edge of `provider`: find the provider's JWKS from what the user gave
//! (an issuer, its discovery URL, or the JWKS URL), and fetch its signing keys.
//! Everything goes through the one HTTP client setup ([`crate::http`]).

use std::path::PathBuf;
use std::time::Duration;

use crate::error::{Error, Kind, Result};
use crate::http::{self, Peer, PlainHttp, Response};
use crate::keys::Alg;

use super::discovery::{self, Discovery};
use super::signing_keys::{self, Selection};

/// `--timeout` default for a provider.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// Largest discovery document or JWKS read: a large provider's JWKS is a few KB (a
/// dozen keys with certificate chains stays far below this).
pub const BODY_LIMIT: u64 = 1 << 20;

/// Same-host redirects followed (a provider behind a path rewrite).
const REDIRECTS: u32 = 3;

/// The HTTP client for a provider: HTTPS (plain http only to a loopback address), the
/// CA file pinned when given, same-host redirects only, answers up to [`BODY_LIMIT`].
/// `flag` names the option the URL came from, for messages (e.g. "--from").
pub fn client(
    timeout: Duration,
    ca_file: Option<PathBuf>,
    flag: &'static str,
) -> Result<http::Client> {
    http::Client::new(http::Options {
        timeout,
        ca_file,
        body_limit: BODY_LIMIT,
        plain_http: PlainHttp::LoopbackOnly,
        redirects: REDIRECTS,
        peer: Peer {
            what: "the identity provider",
            flag,
            start_hint: "check the provider's URL and port, and that it runs",
            ca_file_flag: Some("--ca-file"),
        },
    })
}

/// Where a provider's keys are.
#[derive(Debug, Clone)]
pub struct Source {
    /// The URL as given.
    pub from: String,
    /// The discovery document, when `from` was an issuer (or its discovery URL).
    pub discovery: Option<Discovery>,
    pub jwks_url: String,
}

/// A provider's keys usable with one algorithm, as just fetched.
#[derive(Debug, Clone)]
pub struct ProviderKeys {
    pub source: Source,
    pub selection: Selection,
    /// The JWKS answer's `Cache-Control: max-age`.
    pub max_age: Option<Duration>,
}

/// Finds the JWKS of `from`: a discovery URL is read as one; any other URL is asked
/// first, and its answer used when it is a JWKS (`{"keys": [...]}`); else `from` is an
/// issuer and its discovery document names `jwks_uri`. Returns the JWKS answer too when
/// it was already fetched.
pub fn locate(http: &http::Client, from: &str) -> Result<(Source, Option<Response>)> {
    http.check_url(from)?;
    if let Some(issuer) = discovery::issuer_of_discovery_url(from) {
        let d = fetch_discovery(http, issuer)?;
        return Ok((source(from, d), None));
    }
    let first = http.get(from, &[("Accept", "application/json")])?;
    if is_success(first.status) && looks_like_jwks(&first.body) {
        let src = Source {
            from: from.to_string(),
            discovery: None,
            jwks_url: first.url.clone(),
        };
        return Ok((src, Some(first)));
    }
    let d = fetch_discovery(http, from).map_err(|e| {
        // An issuer mismatch stands on its own; anything else: say what both URLs gave.
        if e.kind == Kind::Server {
            Error::new(
                e.kind,
                format!(
                    "{from} is neither a JWKS (it answered {}) nor an OpenID issuer ({})",
                    describe(&first),
                    e.msg
                ),
            )
            .hint("give the provider's issuer URL (the iss of its tokens) or its jwks_uri")
        } else {
            e
        }
    })?;
    Ok((source(from, d), None))
}

fn source(from: &str, d: Discovery) -> Source {
    Source {
        from: from.to_string(),
        jwks_url: d.jwks_uri.clone(),
        discovery: Some(d),
    }
}

/// `GET issuer/.well-known/openid-configuration`, checked against `issuer`.
pub fn fetch_discovery(http: &http::Client, issuer: &str) -> Result<Discovery> {
    let url = discovery::discovery_url(issuer);
    let resp = http.get(&url, &[("Accept", "application/json")])?;
    require_success(&resp)?;
    discovery::parse(&resp.body, &url, issuer)
}

/// The provider's signing keys usable with `alg`. None usable is an error that lists
/// why each key was left out (and which `--alg` would keep some).
pub fn fetch_keys(http: &http::Client, from: &str, alg: Alg) -> Result<ProviderKeys> {
    let (source, fetched) = locate(http, from)?;
    let (selection, max_age) = match fetched {
        Some(resp) => select(&resp, alg)?,
        None => fetch_jwks(http, &source.jwks_url, alg)?,
    };
    Ok(ProviderKeys {
        source,
        selection,
        max_age,
    })
}

/// `GET jwks_url` and its usable keys with the answer's max-age.
pub fn fetch_jwks(
    http: &http::Client,
    jwks_url: &str,
    alg: Alg,
) -> Result<(Selection, Option<Duration>)> {
    let resp = http.get(jwks_url, &[("Accept", "application/json")])?;
    select(&resp, alg)
}

fn select(resp: &Response, alg: Alg) -> Result<(Selection, Option<Duration>)> {
    require_success(resp)?;
    let selection = signing_keys::select(&resp.body, &resp.url, alg)?;
    if selection.kept.is_empty() {
        let why: Vec<String> = selection
            .dropped
            .iter()
            .map(|d| format!("{}: {}", d.kid.as_deref().unwrap_or("(no kid)"), d.reason))
            .collect();
        let other = signing_keys::other_algs(&resp.body, alg);
        let hint = match other.first() {
            Some(a) => {
                format!("its keys fit --alg {a}; AgentOS must then verify with algorithm=\"{a}\"")
            }
            None => "check the provider's signing key configuration".to_string(),
        };
        return Err(Error::input(format!(
            "none of the keys at {} can verify {} tokens ({})",
            resp.url,
            alg.as_str(),
            why.join("; ")
        ))
        .hint(hint));
    }
    Ok((selection, resp.max_age()))
}

fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}

fn looks_like_jwks(body: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .is_some_and(|v| v.get("keys").is_some())
}

fn describe(resp: &Response) -> String {
    if is_success(resp.status) && serde_json::from_slice::<serde_json::Value>(&resp.body).is_err() {
        format!("{}, not JSON", resp.status)
    } else if is_success(resp.status) {
        format!("{} without a \"keys\" array", resp.status)
    } else {
        resp.status.to_string()
    }
}

/// A 2xx, else an error naming the status (exit 4: the provider did not give keys).
fn require_success(resp: &Response) -> Result<()> {
    if is_success(resp.status) {
        return Ok(());
    }
    let hint = match resp.status {
        404 => "check the URL: give the issuer (the iss of its tokens) or the jwks_uri",
        300..=399 => "give the final URL",
        401 | 403 => "the provider refuses to publish its keys to this client; check the URL",
        _ => "try again later; check the provider's status",
    };
    Err(Error::new(
        Kind::Server,
        format!("{} answered {}", resp.url, resp.status),
    )
    .hint(hint))
}
