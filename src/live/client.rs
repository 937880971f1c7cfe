//! The HTTP side of `--url`: ask a running AgentOS about itself (`GET /info`,
//! `GET /openapi.json`) and send one request with a token, through `ureq` (rustls on
//! aws-lc-rs, the system's trust roots). Every failure is one [`Error`] of kind
//! [`Kind::Server`] that says what happened and what to check.

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use ureq::tls::{Certificate, RootCerts, TlsConfig, TlsProvider};

use crate::error::{Error, Kind, Result};

/// `--timeout` default: the whole exchange (connect, TLS, answer) for each request.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// More than any `/info` or `detail`; a bigger `/openapi.json` is still read whole
/// (agno 3.1.10's default app serves ~250 KB; with every router ~1 MB).
const BODY_LIMIT: u64 = 32 * 1024 * 1024;

/// What `GET /info` says about the server (agno ≥ 2.5.13 serves it without a token).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Info {
    pub os_id: Option<String>,
    pub agno_version: Option<String>,
    /// `none`, `security_key` or `jwt` (agno ≥ 3.0).
    pub auth_mode: Option<String>,
    /// `/info` itself needed a token (agno before 2.5.13 guards it).
    pub guarded: bool,
}

/// The server's answer to the request under test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    /// The `detail` of an error body (`{"detail": "..."}`); a non-string detail (422's
    /// list) is kept as its JSON text.
    pub detail: Option<String>,
}

/// The HTTP client of a running AgentOS at a base URL.
pub struct Client {
    base: String,
    /// Where AgentOS is mounted under `base` (its `/info` and `/openapi.json` live there).
    mount: String,
    agent: ureq::Agent,
    timeout: Duration,
}

impl Client {
    /// Checks the URL (http or https, a host) and prepares the client; nothing is sent.
    pub fn new(url: &str, timeout: Duration) -> Result<Client> {
        let base = url.trim().trim_end_matches('/').to_string();
        let (scheme, rest) = base.split_once("://").ok_or_else(|| bad_url(url))?;
        let scheme = scheme.to_ascii_lowercase();
        if !matches!(scheme.as_str(), "http" | "https") || rest.is_empty() || rest.starts_with('/')
        {
            return Err(bad_url(url));
        }
        if base.contains(['?', '#']) {
            return Err(
                Error::input(format!("--url {url:?} has a query or fragment"))
                    .hint("give the AgentOS base URL only, e.g. http://127.0.0.1:7777"),
            );
        }
        if timeout.is_zero() {
            return Err(Error::input("--timeout must be more than 0 seconds"));
        }
        let mut config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(timeout))
            .max_redirects(0)
            .user_agent(concat!("agentos-auth/", env!("CARGO_PKG_VERSION")));
        if scheme == "https" {
            config = config.tls_config(tls_config()?);
        }
        Ok(Client {
            base,
            mount: String::new(),
            agent: config.build().into(),
            timeout,
        })
    }

    /// AgentOS mounted under `prefix` of the app at the base URL.
    pub fn under(mut self, prefix: &str) -> Client {
        self.mount = prefix.trim_end_matches('/').to_string();
        self
    }

    /// Where AgentOS itself is served: the base URL and the mount prefix.
    pub fn url(&self) -> String {
        format!("{}{}", self.base, self.mount)
    }

    /// `GET /info`. An AgentOS that guards `/info` (agno < 2.5.13; its public
    /// `/health` says it is one) is asked again with `token`; anything else that does
    /// not answer as AgentOS does is an error.
    pub fn info(&self, token: Option<&str>) -> Result<Info> {
        let (status, body) = self.get("/info", None)?;
        if matches!(status, 401 | 403) && agentos_error_body(&body) && self.health()? {
            if let Some(t) = token {
                let (status, body) = self.get("/info", Some(t))?;
                if let Some(info) = info_of(status, &body) {
                    return Ok(Info {
                        guarded: true,
                        ..info
                    });
                }
            }
            return Ok(Info {
                guarded: true,
                ..Info::default()
            });
        }
        info_of(status, &body).ok_or_else(|| {
            let what = if status == 200 {
                "its GET /info has no os_id and agno_version".to_string()
            } else {
                format!("GET /info answered {status}")
            };
            Error::new(
                Kind::Server,
                format!("{} is not an AgentOS: {what}", self.base),
            )
            .hint("point --url at the AgentOS base URL, where /info and /agents are served (e.g. http://127.0.0.1:7777)")
        })
    }

    /// `GET /health` answers `{"status": ...}` without a token on every AgentOS.
    fn health(&self) -> Result<bool> {
        let (status, body) = self.get("/health", None)?;
        Ok(status == 200
            && serde_json::from_str::<Value>(&body)
                .ok()
                .is_some_and(|v| v.get("status").is_some()))
    }

    /// `GET /openapi.json`: every route the server mounts, as the document's text.
    /// `None` when the server does not publish it (docs turned off) or it is not an
    /// OpenAPI document.
    pub fn openapi(&self) -> Result<Option<String>> {
        // The first GET /openapi.json builds the schema, the slowest answer a server
        // gives: when it takes too long, go on without the routes (the server is up).
        let (status, body) = match self.get_raw("/openapi.json", None) {
            Ok(r) => r,
            Err(ureq::Error::Timeout(_)) => return Ok(None),
            Err(e) => return Err(self.failure(e)),
        };
        let is_openapi = status == 200
            && serde_json::from_str::<Value>(&body)
                .ok()
                .is_some_and(|v| v.get("paths").is_some_and(Value::is_object));
        Ok(is_openapi.then_some(body))
    }

    /// Whether `GET /mcp/server-card` (public, no token sent) is an MCP Server Card: the
    /// server runs AgentOS's MCP server (3.0.9 on publishes one). Any failure: no.
    pub fn serves_mcp_card(&self) -> bool {
        match self.get_raw("/mcp/server-card", None) {
            Ok((200, body)) => serde_json::from_str::<Value>(&body).ok().is_some_and(|v| {
                v.get("$schema")
                    .and_then(Value::as_str)
                    .is_some_and(|s| s.contains("server-card"))
            }),
            _ => false,
        }
    }

    /// Sends `METHOD path` with `Authorization: Bearer <token>` (no header without a
    /// token) and an optional JSON body, and returns the status and `detail`.
    pub fn send(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&str>,
    ) -> Result<Answer> {
        let url = format!("{}{path}", self.base);
        let m = ureq::http::Method::from_bytes(method.as_bytes())
            .map_err(|_| Error::input(format!("invalid HTTP method {method:?}")))?;
        let mut req = ureq::http::Request::builder().method(m).uri(&url);
        if let Some(t) = token {
            req = req.header("Authorization", format!("Bearer {t}"));
        }
        let req = match body {
            Some(b) => req
                .header("Content-Type", "application/json")
                .body(b.as_bytes().to_vec()),
            None => req.body(Vec::new()),
        }
        .map_err(|e| Error::input(format!("cannot send {method} {path}: {e}")))?;
        let resp = self.agent.run(req).map_err(|e| self.failure(e))?;
        let status = resp.status().as_u16();
        let text = read_body(resp).map_err(|e| self.failure(e))?;
        Ok(Answer {
            status,
            detail: detail_of(&text),
        })
    }

    /// `GET path` (with `token` as bearer): the status and the body as JSON, if it is.
    pub fn get_json(&self, path: &str, token: Option<&str>) -> Result<(u16, Option<Value>)> {
        let (status, text) = self.get(path, token)?;
        Ok((status, serde_json::from_str(&text).ok()))
    }

    fn get(&self, path: &str, token: Option<&str>) -> Result<(u16, String)> {
        self.get_raw(path, token).map_err(|e| self.failure(e))
    }

    fn get_raw(
        &self,
        path: &str,
        token: Option<&str>,
    ) -> std::result::Result<(u16, String), ureq::Error> {
        let mut req = self.agent.get(format!("{}{path}", self.url()));
        if let Some(t) = token {
            req = req.header("Authorization", format!("Bearer {t}"));
        }
        let resp = req.call()?;
        let status = resp.status().as_u16();
        Ok((status, read_body(resp)?))
    }

    /// One line for a transport failure: what happened, then what to check.
    fn failure(&self, e: ureq::Error) -> Error {
        let url = &self.base;
        let err = |msg: String, hint: &str| Error::new(Kind::Server, msg).hint(hint);
        match e {
            ureq::Error::Timeout(_) => err(
                format!("{url} did not answer within {} s", fmt_secs(self.timeout)),
                "check that AgentOS runs there and is not stuck; give it longer with --timeout SECS",
            ),
            ureq::Error::HostNotFound => err(
                format!("cannot resolve the host of {url}"),
                "check the host name in --url",
            ),
            ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => err(
                format!("cannot connect to {url}: connection refused"),
                "start AgentOS there (e.g. uvicorn app:app --port 7777) or fix the port in --url",
            ),
            ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => err(
                format!("{url} did not answer within {} s", fmt_secs(self.timeout)),
                "check that AgentOS runs there and is not stuck; give it longer with --timeout SECS",
            ),
            ureq::Error::Rustls(t) => err(
                format!("TLS with {url} failed: {t}"),
                "for a private CA set SSL_CERT_FILE=ca.pem; for a plain-HTTP server use http://",
            ),
            ureq::Error::Tls(t) => err(
                format!("TLS with {url} failed: {t}"),
                "for a private CA set SSL_CERT_FILE=ca.pem; for a plain-HTTP server use http://",
            ),
            ureq::Error::Protocol(p) => err(
                format!("{url} did not answer HTTP ({p})"),
                "check the port; an https:// server needs an https:// URL",
            ),
            ureq::Error::Io(io) if tls_failure(&io).is_some() => err(
                format!(
                    "TLS with {url} failed: {}",
                    tls_failure(&io).unwrap_or_default()
                ),
                "is it a plain-HTTP server? then use http://; for a private CA set SSL_CERT_FILE=ca.pem",
            ),
            ureq::Error::Io(io) => err(
                format!("cannot talk to {url}: {}", plain_io(&io)),
                "check --url and that AgentOS runs there",
            ),
            ureq::Error::BadUri(u) => Error::input(format!("invalid --url {u:?}"))
                .hint("e.g. --url http://127.0.0.1:7777"),
            ureq::Error::BodyExceedsLimit(_) => err(
                format!("{url} sent an answer larger than {} MB", BODY_LIMIT >> 20),
                "point --url at the AgentOS base URL",
            ),
            other => err(
                format!("cannot talk to {url}: {other}"),
                "check --url and that AgentOS runs there",
            ),
        }
    }
}

/// `/info`'s fields, when the answer is AgentOS's.
fn info_of(status: u16, body: &str) -> Option<Info> {
    if status != 200 {
        return None;
    }
    let json: Value = serde_json::from_str(body).ok()?;
    let field = |name: &str| json.get(name).and_then(Value::as_str).map(str::to_string);
    let info = Info {
        os_id: field("os_id"),
        agno_version: field("agno_version"),
        auth_mode: field("auth_mode"),
        guarded: false,
    };
    (info.os_id.is_some() && info.agno_version.is_some()).then_some(info)
}

fn read_body(resp: ureq::http::Response<ureq::Body>) -> std::result::Result<String, ureq::Error> {
    let bytes = resp
        .into_body()
        .with_config()
        .limit(BODY_LIMIT)
        .read_to_vec()?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// rustls over aws-lc-rs with the system's roots (plus SSL_CERT_FILE / SSL_CERT_DIR).
fn tls_config() -> Result<TlsConfig> {
    let found = rustls_native_certs::load_native_certs();
    let roots: Vec<Certificate<'static>> = found
        .certs
        .into_iter()
        .map(|c| Certificate::from_der(c.as_ref()).to_owned())
        .collect();
    if roots.is_empty() {
        return Err(Error::new(
            Kind::Server,
            "no trusted CA certificates found on this system for https",
        )
        .hint("install ca-certificates, or set SSL_CERT_FILE=ca.pem"));
    }
    Ok(TlsConfig::builder()
        .provider(TlsProvider::Rustls)
        .root_certs(RootCerts::Specific(Arc::new(roots)))
        .unversioned_rustls_crypto_provider(Arc::new(rustls::crypto::aws_lc_rs::default_provider()))
        .build())
}

fn bad_url(url: &str) -> Error {
    Error::input(format!("invalid --url {url:?}"))
        .hint("give the AgentOS base URL with its scheme, e.g. --url http://127.0.0.1:7777")
}

/// `{"detail": ...}` as AgentOS and FastAPI send errors.
fn detail_of(body: &str) -> Option<String> {
    // Starlette's own 404 outside FastAPI (a mounted sub-app such as the MCP server's)
    // is plain text.
    if body.trim() == "Not Found" {
        return Some("Not Found".into());
    }
    let v: Value = serde_json::from_str(body).ok()?;
    match v.get("detail")? {
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// A 401/403 body of AgentOS's middleware: `{"detail": "<text>"}`.
fn agentos_error_body(body: &str) -> bool {
    serde_json::from_str::<Value>(body)
        .ok()
        .and_then(|v| v.get("detail").map(Value::is_string))
        .unwrap_or(false)
}

fn fmt_secs(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{}", s as u64)
    } else {
        format!("{s}")
    }
}

/// The rustls error inside an `io::Error` (what a TLS handshake failure arrives as).
fn tls_failure(e: &std::io::Error) -> Option<String> {
    e.get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        .map(ToString::to_string)
}

/// An `io::Error` in words, without Rust's " (os error N)".
fn plain_io(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_checked_before_anything_is_sent() {
        for bad in ["127.0.0.1:7777", "ftp://host", "http://", "http:///x", "  "] {
            let e = Client::new(bad, DEFAULT_TIMEOUT).err().expect(bad);
            assert_eq!(e.kind, Kind::Input, "{bad}: {e}");
        }
        let e = Client::new("http://h/?x=1", DEFAULT_TIMEOUT).err().unwrap();
        assert!(e.to_string().contains("query"), "{e}");
        assert!(Client::new("http://h", Duration::ZERO).is_err());
        let s = Client::new("HTTP://127.0.0.1:7777/", DEFAULT_TIMEOUT).unwrap();
        assert_eq!(s.url(), "HTTP://127.0.0.1:7777");
    }

    #[test]
    fn details_are_read_as_agentos_sends_them() {
        assert_eq!(
            detail_of(r#"{"detail":"Token has expired"}"#).as_deref(),
            Some("Token has expired")
        );
        assert_eq!(
            detail_of(r#"{"detail":[{"loc":["body"]}]}"#).as_deref(),
            Some(r#"[{"loc":["body"]}]"#)
        );
        assert_eq!(detail_of("[]"), None);
        assert_eq!(detail_of("<html>"), None);
        assert!(agentos_error_body(
            r#"{"detail":"Authorization header missing"}"#
        ));
        assert!(!agentos_error_body(r#"{"error":"x"}"#));
        assert_eq!(fmt_secs(Duration::from_millis(1500)), "1.5");
        assert_eq!(fmt_secs(DEFAULT_TIMEOUT), "10");
    }
}
