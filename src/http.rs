//! The one HTTP client setup of the tool (`verify/doctor/mint --url`, `jwks sync`,
//! `doctor --issuer`, and whoever else fetches over HTTP): a `ureq` agent with rustls on
//! aws-lc-rs, a time limit per request, a cap on answer sizes, the trust roots, the
//! scheme and redirect policy, and every transport failure mapped to one [`Error`] of
//! kind [`Kind::Server`] (exit 4) that says what happened and what to check.
//!
//! Trust: the system's roots (rustls-native-certs, honouring `SSL_CERT_FILE` /
//! `SSL_CERT_DIR`, as curl and Python's ssl do), or, with a CA file (`--ca-file PEM`),
//! the certificates of that file **only**: a private CA is pinned, not added to the
//! hundred public ones (a provider behind a private CA is not meant to be impersonated
//! by any public CA either).
//!
//! Redirects: with [`Options::redirects`] 0 a 3xx is an answer like any other (what
//! `--url` compares). Otherwise up to that many are followed, but only to the same host
//! and never from https to http; anything else is an error naming both hosts.

use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use ureq::http::{Method, Request, Uri};
use ureq::tls::{Certificate, PemItem, RootCerts, TlsConfig, TlsProvider};

use crate::error::{Error, Kind, Result};

/// Which URLs may be plain `http://`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlainHttp {
    /// Any host (an AgentOS inside a private network, `--url http://agentos:7777`).
    Anywhere,
    /// Only a loopback address (127.0.0.0/8, ::1, `localhost`); HTTPS elsewhere. What a
    /// fetch of keys needs: keys over plain HTTP from another host can be swapped on the way.
    LoopbackOnly,
}

/// Who is asked, for the messages: `what` names the server ("AgentOS", "the identity
/// provider"), `flag` the option its URL came from, `start_hint` what to do when
/// nothing listens there, `ca_file_flag` where a private CA goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Peer {
    pub what: &'static str,
    pub flag: &'static str,
    pub start_hint: &'static str,
    /// The option that takes a CA file, when the command has one (`--ca-file`).
    pub ca_file_flag: Option<&'static str>,
}

/// How a [`Client`] behaves.
#[derive(Debug, Clone)]
pub struct Options {
    /// The whole exchange (connect, TLS, answer) of each request.
    pub timeout: Duration,
    /// A PEM file of CA certificates to trust instead of the system's roots.
    pub ca_file: Option<PathBuf>,
    /// Largest answer body read, in bytes; more is an error.
    pub body_limit: u64,
    pub plain_http: PlainHttp,
    /// Same-host redirects followed; 0: a 3xx is returned as the answer.
    pub redirects: u32,
    pub peer: Peer,
}

/// One answer: the status, the headers that matter here, the body, and the URL that
/// gave it (after redirects).
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub url: String,
    pub content_type: Option<String>,
    pub cache_control: Option<String>,
    pub body: Vec<u8>,
}

impl Response {
    /// The body as text (invalid UTF-8 replaced).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// `Cache-Control: max-age=N` (RFC 9111 §5.2.2.1); `no-store`/`no-cache` count as 0.
    pub fn max_age(&self) -> Option<Duration> {
        max_age(self.cache_control.as_deref()?)
    }
}

/// A failed request: the one-line error, and whether it was the time limit (a caller
/// may go on without an answer that is merely slow).
#[derive(Debug, Clone)]
pub struct Failure {
    pub timed_out: bool,
    pub error: Error,
}

impl From<Failure> for Error {
    fn from(f: Failure) -> Error {
        f.error
    }
}

/// The HTTP client. Cheap to clone (the agent's connection pool is shared).
#[derive(Clone)]
pub struct Client {
    agent: ureq::Agent,
    opts: Options,
    /// Some CA to trust: false on a system without roots (fine for plain http).
    has_roots: bool,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client").field("opts", &self.opts).finish()
    }
}

impl Client {
    /// Builds the agent (reads the CA file, or the system's roots, now); nothing is sent.
    pub fn new(opts: Options) -> Result<Client> {
        if opts.timeout.is_zero() {
            return Err(Error::input("--timeout must be more than 0 seconds"));
        }
        let tls = tls_config(opts.ca_file.as_deref())?;
        let has_roots = tls.is_some();
        let mut config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(opts.timeout))
            // Redirects are followed here, by `run`, so that the policy applies to each hop.
            .max_redirects(0)
            .user_agent(concat!("agentos-auth/", env!("CARGO_PKG_VERSION")));
        if let Some(tls) = tls {
            config = config.tls_config(tls);
        }
        Ok(Client {
            agent: config.build().into(),
            opts,
            has_roots,
        })
    }

    pub fn options(&self) -> &Options {
        &self.opts
    }

    /// `GET url` with these extra headers.
    pub fn get(&self, url: &str, headers: &[(&str, &str)]) -> Result<Response, Failure> {
        self.run("GET", url, headers, None)
    }

    /// `METHOD url` with headers and an optional body; redirects as [`Options::redirects`] says.
    pub fn run(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> Result<Response, Failure> {
        let mut method = Method::from_bytes(method.as_bytes())
            .map_err(|_| plain_failure(Error::input(format!("invalid HTTP method {method:?}"))))?;
        let mut body = body;
        let mut url = url.to_string();
        let mut uri = self.check_url(&url).map_err(plain_failure)?;
        let first_host = host_of(&uri);
        self.check_roots(&uri).map_err(plain_failure)?;
        let mut hops = 0;
        loop {
            let mut req = Request::builder().method(method.clone()).uri(uri.clone());
            for (name, value) in headers {
                req = req.header(*name, *value);
            }
            let req = req
                .body(body.map(<[u8]>::to_vec).unwrap_or_default())
                .map_err(|e| {
                    plain_failure(Error::input(format!("cannot send {method} {url}: {e}")))
                })?;
            let resp = self.agent.run(req).map_err(|e| self.failure(&url, e))?;
            let status = resp.status().as_u16();
            let header = |name: &str| {
                resp.headers()
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string)
            };
            let location = header("location");
            if self.opts.redirects > 0 && is_redirect(status) {
                let Some(location) = location else {
                    return Err(plain_failure(self.server_error(
                        format!("{url} answered {status} without a Location header"),
                        "give the final URL",
                    )));
                };
                if hops == self.opts.redirects {
                    return Err(plain_failure(self.server_error(
                        format!("{url} redirected more than {hops} times"),
                        "give the final URL",
                    )));
                }
                let next = resolve(&uri, &location).ok_or_else(|| {
                    plain_failure(self.server_error(
                        format!("{url} redirected to an unusable Location {location:?}"),
                        "give the final URL",
                    ))
                })?;
                let next_uri = self.redirect_target(&url, &first_host, &uri, &next)?;
                self.check_roots(&next_uri).map_err(plain_failure)?;
                hops += 1;
                // RFC 9110 §15.4: 303 (and, as every client does, 301/302 of a POST)
                // is followed with a GET; 307/308 repeat the request as it was.
                if status == 303 || (matches!(status, 301 | 302) && method == Method::POST) {
                    method = Method::GET;
                    body = None;
                }
                url = next;
                uri = next_uri;
                continue;
            }
            let content_type = header("content-type");
            let cache_control = header("cache-control");
            let body = resp
                .into_body()
                .with_config()
                .limit(self.opts.body_limit)
                .read_to_vec()
                .map_err(|e| self.failure(&url, e))?;
            return Ok(Response {
                status,
                url,
                content_type,
                cache_control,
                body,
            });
        }
    }

    /// The URL's scheme and host, against the policy: http or https, a host, plain
    /// http only where [`Options::plain_http`] allows it.
    pub fn check_url(&self, url: &str) -> Result<Uri> {
        let flag = self.opts.peer.flag;
        let bad = || {
            Error::input(format!("invalid {flag} {url:?}")).hint(format!(
                "give a URL with its scheme, e.g. {flag} https://host/path"
            ))
        };
        let uri: Uri = url.parse().map_err(|_| bad())?;
        let scheme = uri
            .scheme_str()
            .map(str::to_ascii_lowercase)
            .ok_or_else(bad)?;
        let host = uri.host().filter(|h| !h.is_empty()).ok_or_else(bad)?;
        match scheme.as_str() {
            "https" => Ok(uri),
            "http" if self.opts.plain_http == PlainHttp::Anywhere || is_loopback(host) => Ok(uri),
            "http" => Err(Error::input(format!(
                "{flag} {url:?} is plain http to a host that is not this machine"
            ))
            .hint(
                "use https:// (plain http is only allowed to a loopback address such as 127.0.0.1)",
            )),
            _ => Err(bad()),
        }
    }

    /// The policy for one redirect hop: the same host as the first URL, no downgrade to http.
    fn redirect_target(
        &self,
        url: &str,
        first_host: &str,
        from: &Uri,
        next: &str,
    ) -> Result<Uri, Failure> {
        let refuse = |why: String| {
            plain_failure(self.server_error(
                format!("{url} redirected to {next}: {why}; not followed"),
                "give the final URL",
            ))
        };
        let uri = self.check_url(next).map_err(|e| refuse(e.msg))?;
        let host = host_of(&uri);
        if host != first_host {
            return Err(refuse(format!("another host ({host}, not {first_host})")));
        }
        if from
            .scheme_str()
            .is_some_and(|s| s.eq_ignore_ascii_case("https"))
            && uri
                .scheme_str()
                .is_some_and(|s| s.eq_ignore_ascii_case("http"))
        {
            return Err(refuse("a downgrade from https to http".into()));
        }
        Ok(uri)
    }

    fn check_roots(&self, uri: &Uri) -> Result<()> {
        if self.has_roots
            || !uri
                .scheme_str()
                .is_some_and(|s| s.eq_ignore_ascii_case("https"))
        {
            return Ok(());
        }
        Err(Error::new(
            Kind::Server,
            "no trusted CA certificates found on this system for https",
        )
        .hint("install ca-certificates, or set SSL_CERT_FILE=ca.pem (or pass a CA file)"))
    }

    fn server_error(&self, msg: String, hint: &str) -> Error {
        Error::new(Kind::Server, msg).hint(hint)
    }

    /// One line for a transport failure: what happened, then what to check.
    fn failure(&self, url: &str, e: ureq::Error) -> Failure {
        let Peer {
            what,
            flag,
            start_hint,
            ca_file_flag,
        } = self.opts.peer;
        let secs = fmt_secs(self.opts.timeout);
        let err = |msg: String, hint: String| Error::new(Kind::Server, msg).hint(hint);
        let tls_hint = match (&self.opts.ca_file, ca_file_flag) {
            (Some(_), Some(f)) => {
                format!("check that {f} is the CA that signed the server's certificate")
            }
            (_, Some(f)) => format!("for a private CA pass {f} ca.pem"),
            (_, None) => "for a private CA set SSL_CERT_FILE=ca.pem".to_string(),
        };
        let timeout = || {
            err(
                format!("{url} did not answer within {secs} s"),
                format!("check that {what} runs there and is not stuck; give it longer with --timeout SECS"),
            )
        };
        let (timed_out, error) = match e {
            ureq::Error::Timeout(_) => (true, timeout()),
            ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => (true, timeout()),
            ureq::Error::HostNotFound => (
                false,
                err(
                    format!("cannot resolve the host of {url}"),
                    format!("check the host name in {flag}"),
                ),
            ),
            ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => (
                false,
                err(
                    format!("cannot connect to {url}: connection refused"),
                    start_hint.to_string(),
                ),
            ),
            ureq::Error::Rustls(t) => (
                false,
                err(
                    format!("TLS with {url} failed: {t}"),
                    format!("{tls_hint}; for a plain-HTTP server use http://"),
                ),
            ),
            ureq::Error::Tls(t) => (
                false,
                err(
                    format!("TLS with {url} failed: {t}"),
                    format!("{tls_hint}; for a plain-HTTP server use http://"),
                ),
            ),
            ureq::Error::Protocol(p) => (
                false,
                err(
                    format!("{url} did not answer HTTP ({p})"),
                    "check the port; an https:// server needs an https:// URL".into(),
                ),
            ),
            ureq::Error::Io(io) if tls_failure(&io).is_some() => (
                false,
                err(
                    format!(
                        "TLS with {url} failed: {}",
                        tls_failure(&io).unwrap_or_default()
                    ),
                    if bad_certificate(&io) {
                        tls_hint
                    } else {
                        format!("is it a plain-HTTP server? then use http://; {tls_hint}")
                    },
                ),
            ),
            ureq::Error::Io(io) => (
                false,
                err(
                    format!("cannot talk to {url}: {}", plain_io(&io)),
                    format!("check {flag} and that {what} runs there"),
                ),
            ),
            ureq::Error::BadUri(u) => (
                false,
                Error::input(format!("invalid {flag} {u:?}"))
                    .hint(format!("e.g. {flag} https://host/path")),
            ),
            ureq::Error::BodyExceedsLimit(_) => (
                false,
                err(
                    format!(
                        "{url} sent an answer larger than {}",
                        fmt_bytes(self.opts.body_limit)
                    ),
                    format!("check that {flag} points at {what}"),
                ),
            ),
            other => (
                false,
                err(
                    format!("cannot talk to {url}: {other}"),
                    format!("check {flag} and that {what} runs there"),
                ),
            ),
        };
        Failure { timed_out, error }
    }
}

fn plain_failure(error: Error) -> Failure {
    Failure {
        timed_out: false,
        error,
    }
}

fn is_redirect(status: u16) -> bool {
    matches!(status, 301 | 302 | 303 | 307 | 308)
}

/// host[:port], lower-case: what "the same host" compares.
fn host_of(uri: &Uri) -> String {
    let host = uri.host().unwrap_or_default().to_ascii_lowercase();
    match uri.port_u16() {
        Some(p) => format!("{host}:{p}"),
        None => host,
    }
}

/// A Location (absolute, or an absolute path) against the URL that sent it.
fn resolve(base: &Uri, location: &str) -> Option<String> {
    if location.contains("://") {
        return Some(location.to_string());
    }
    if location.starts_with("//") {
        return Some(format!("{}:{location}", base.scheme_str()?));
    }
    if location.starts_with('/') {
        return Some(format!(
            "{}://{}{location}",
            base.scheme_str()?,
            base.authority()?.as_str()
        ));
    }
    None
}

/// 127.0.0.0/8, ::1, and `localhost` (which RFC 6761 reserves for loopback).
pub fn is_loopback(host: &str) -> bool {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    h.eq_ignore_ascii_case("localhost") || h.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The value of `max-age` in a Cache-Control header; `no-store` and `no-cache` are 0.
pub fn max_age(cache_control: &str) -> Option<Duration> {
    let mut found = None;
    for directive in cache_control.split(',') {
        let d = directive.trim();
        let (name, value) = d
            .split_once('=')
            .map_or((d, None), |(n, v)| (n.trim(), Some(v.trim())));
        if name.eq_ignore_ascii_case("no-store") || name.eq_ignore_ascii_case("no-cache") {
            return Some(Duration::ZERO);
        }
        if name.eq_ignore_ascii_case("max-age") {
            let v = value?.trim_matches('"');
            found = v.parse::<u64>().ok().map(Duration::from_secs);
        }
    }
    found
}

/// rustls over aws-lc-rs, trusting either the CA file only or the system's roots;
/// `None` when the system has no roots (an error only once https is asked for).
fn tls_config(ca_file: Option<&std::path::Path>) -> Result<Option<TlsConfig>> {
    let roots: Vec<Certificate<'static>> = match ca_file {
        Some(path) => {
            let pem = crate::fsio::read_file(path)?;
            let certs: Vec<Certificate<'static>> = ureq::tls::parse_pem(&pem)
                .filter_map(|item| match item {
                    Ok(PemItem::Certificate(c)) => Some(c),
                    _ => None,
                })
                .collect();
            if certs.is_empty() {
                return Err(Error::input(format!(
                    "--ca-file {}: no PEM certificate in it",
                    path.display()
                ))
                .hint("give the CA certificate as PEM (-----BEGIN CERTIFICATE-----)"));
            }
            certs
        }
        None => rustls_native_certs::load_native_certs()
            .certs
            .into_iter()
            .map(|c| Certificate::from_der(c.as_ref()).to_owned())
            .collect(),
    };
    if roots.is_empty() {
        return Ok(None);
    }
    Ok(Some(
        TlsConfig::builder()
            .provider(TlsProvider::Rustls)
            .root_certs(RootCerts::Specific(Arc::new(roots)))
            .unversioned_rustls_crypto_provider(Arc::new(
                rustls::crypto::aws_lc_rs::default_provider(),
            ))
            .build(),
    ))
}

/// "10", "1.5": seconds as a user typed them.
pub fn fmt_secs(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{}", s as u64)
    } else {
        format!("{s}")
    }
}

fn fmt_bytes(n: u64) -> String {
    if n >= 1 << 20 && n % (1 << 20) == 0 {
        format!("{} MiB", n >> 20)
    } else if n >= 1 << 10 && n % (1 << 10) == 0 {
        format!("{} KiB", n >> 10)
    } else {
        format!("{n} bytes")
    }
}

/// The rustls error inside an `io::Error` (what a TLS handshake failure arrives as).
fn tls_failure(e: &std::io::Error) -> Option<String> {
    e.get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        .map(ToString::to_string)
}

/// The handshake failed on the server's certificate (not on, say, plain HTTP).
fn bad_certificate(e: &std::io::Error) -> bool {
    e.get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        .is_some_and(|r| matches!(r, rustls::Error::InvalidCertificate(_)))
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

    fn client(plain: PlainHttp) -> Client {
        Client::new(Options {
            timeout: Duration::from_secs(5),
            ca_file: None,
            body_limit: 1 << 20,
            plain_http: plain,
            redirects: 3,
            peer: Peer {
                what: "the identity provider",
                flag: "--from",
                start_hint: "start it",
                ca_file_flag: Some("--ca-file"),
            },
        })
        .unwrap()
    }

    #[test]
    fn plain_http_only_to_loopback_when_asked() {
        let c = client(PlainHttp::LoopbackOnly);
        for ok in [
            "https://idp.example.com/x",
            "http://127.0.0.1:8080/jwks",
            "http://127.1.2.3/",
            "http://[::1]:9/x",
            "http://localhost:3000",
        ] {
            assert!(c.check_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://idp.example.com/jwks",
            "http://10.0.0.1/",
            "ftp://h/",
            "idp.example.com",
            "https://",
        ] {
            let e = c.check_url(bad).unwrap_err();
            assert_eq!(e.kind, Kind::Input, "{bad}: {e}");
        }
        assert!(client(PlainHttp::Anywhere)
            .check_url("http://agentos:7777")
            .is_ok());
    }

    #[test]
    fn max_age_is_read_from_cache_control() {
        assert_eq!(
            max_age("public, max-age=3600"),
            Some(Duration::from_secs(3600))
        );
        assert_eq!(
            max_age("max-age=\"60\", must-revalidate"),
            Some(Duration::from_secs(60))
        );
        assert_eq!(max_age("no-store"), Some(Duration::ZERO));
        assert_eq!(max_age("public"), None);
        assert_eq!(max_age("max-age=soon"), None);
    }

    #[test]
    fn locations_resolve_against_the_url_that_sent_them() {
        let base: Uri = "https://a.example:8443/x/y".parse().unwrap();
        assert_eq!(
            resolve(&base, "/z").as_deref(),
            Some("https://a.example:8443/z")
        );
        assert_eq!(
            resolve(&base, "//b.example/z").as_deref(),
            Some("https://b.example/z")
        );
        assert_eq!(resolve(&base, "http://c/").as_deref(), Some("http://c/"));
        assert_eq!(resolve(&base, "z"), None);
        assert_eq!(host_of(&base), "a.example:8443");
        assert_eq!(fmt_bytes(1 << 20), "1 MiB");
        assert_eq!(fmt_secs(Duration::from_millis(1500)), "1.5");
    }
}
