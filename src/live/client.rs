//! The HTTP side of `--url`: ask a running AgentOS about itself (`GET /info`,
//! `GET /openapi.json`) and send one request with a token, through the tool's one HTTP
//! client ([`crate::http`]: the system's trust roots, plain http to any host, a 3xx is
//! an answer). Every failure is one [`Error`] of kind [`Kind::Server`] that says what
//! happened and what to check.

use std::time::Duration;

use serde_json::Value;

use crate::error::{Error, Kind, Result};
use crate::http::{self, Peer, PlainHttp};

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
    http: http::Client,
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
        let http = http::Client::new(http::Options {
            timeout,
            ca_file: None,
            body_limit: BODY_LIMIT,
            plain_http: PlainHttp::Anywhere,
            redirects: 0,
            peer: Peer {
                what: "AgentOS",
                flag: "--url",
                start_hint: "start AgentOS there (e.g. uvicorn app:app --port 7777) or fix the port in --url",
                ca_file_flag: None,
            },
        })?;
        Ok(Client {
            base,
            mount: String::new(),
            http,
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
            Err(f) if f.timed_out => return Ok(None),
            Err(f) => return Err(f.error),
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
        let bearer = token.map(|t| format!("Bearer {t}"));
        let mut headers: Vec<(&str, &str)> = Vec::new();
        if let Some(b) = &bearer {
            headers.push(("Authorization", b));
        }
        if body.is_some() {
            headers.push(("Content-Type", "application/json"));
        }
        let resp = self
            .http
            .run(method, &url, &headers, body.map(str::as_bytes))?;
        Ok(Answer {
            status: resp.status,
            detail: detail_of(&resp.text()),
        })
    }

    /// `GET path` (with `token` as bearer): the status and the body as JSON, if it is.
    pub fn get_json(&self, path: &str, token: Option<&str>) -> Result<(u16, Option<Value>)> {
        let (status, text) = self.get(path, token)?;
        Ok((status, serde_json::from_str(&text).ok()))
    }

    fn get(&self, path: &str, token: Option<&str>) -> Result<(u16, String)> {
        Ok(self.get_raw(path, token)?)
    }

    fn get_raw(&self, path: &str, token: Option<&str>) -> Result<(u16, String), http::Failure> {
        let bearer = token.map(|t| format!("Bearer {t}"));
        let headers: Vec<(&str, &str)> = bearer
            .iter()
            .map(|b| ("Authorization", b.as_str()))
            .collect();
        let resp = self.http.get(&format!("{}{path}", self.url()), &headers)?;
        Ok((resp.status, resp.text()))
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
    }
}
