//! The HTTP(S) server: tokio + hyper (HTTP/1.1) + rustls, routing, limits (body,
//! headers, time-outs, connections, concurrency), one log line per request, graceful
//! shutdown on SIGTERM/SIGINT.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::json;
use tokio::sync::{watch, Semaphore};

use super::grant::{self, Answer, OAuthError};
use super::metrics::Metrics;
use super::rate::RateLimit;
use super::state::{Live, Reload};
use crate::error::{Error, Result};

/// A token request's form is a few hundred bytes; anything near this is not one.
pub const MAX_BODY: usize = 8 * 1024;
/// Request head (line + headers) buffer; hyper's minimum is 8 KiB.
const MAX_HEAD: usize = 16 * 1024;
const MAX_HEADERS: usize = 64;
/// Open connections at once (each idle one costs a task and a file descriptor).
const MAX_CONNECTIONS: usize = 1024;
/// How long in-flight requests get to finish after SIGTERM.
const DRAIN: Duration = Duration::from_secs(10);

/// Where each request's JSON log line (and the service's events) go.
pub type Log = Arc<dyn Fn(String) + Send + Sync>;

pub struct Service {
    pub live: Live,
    pub server: Arc<crate::agentos::Server>,
    /// `--exchange`: the trusted identity providers.
    pub exchange: Option<super::exchange::Exchange>,
    pub metrics: Metrics,
    pub rate: RateLimit,
    pub inflight: Arc<Semaphore>,
    pub log: Log,
    /// Where the endpoints are, for RFC 8414 metadata.
    pub base_url: String,
    pub timeout: Duration,
}

type Body = Full<Bytes>;

pub async fn serve(
    svc: Arc<Service>,
    listener: tokio::net::TcpListener,
    tls: Option<tokio_rustls::TlsAcceptor>,
) -> Result<()> {
    let (stop_tx, stop_rx) = watch::channel(false);
    let connections = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let mut tasks = tokio::task::JoinSet::new();
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .map_err(|e| Error::io(format!("cannot watch for SIGTERM: {e}")))?;
    loop {
        let permit = tokio::select! {
            p = connections.clone().acquire_owned() => match p { Ok(p) => p, Err(_) => break },
            _ = term.recv() => break,
            _ = tokio::signal::ctrl_c() => break,
        };
        let (tcp, peer) = tokio::select! {
            r = listener.accept() => match r {
                Ok(c) => c,
                Err(e) => {
                    // EMFILE and friends: back off instead of spinning.
                    (svc.log)(json!({"event": "accept_failed", "error": e.to_string()}).to_string());
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            _ = term.recv() => break,
            _ = tokio::signal::ctrl_c() => break,
        };
        let _ = tcp.set_nodelay(true);
        let svc = svc.clone();
        let tls = tls.clone();
        let stop = stop_rx.clone();
        tasks.spawn(async move {
            let _permit = permit;
            match tls {
                Some(acceptor) => {
                    // A handshake that does not finish in time is a slow (or hostile) client.
                    let shake = tokio::time::timeout(svc.timeout, acceptor.accept(tcp)).await;
                    if let Ok(Ok(stream)) = shake {
                        connection(svc, TokioIo::new(stream), peer, stop).await;
                    }
                }
                None => connection(svc, TokioIo::new(tcp), peer, stop).await,
            }
        });
        // Reap finished connections so the set does not grow.
        while tasks.try_join_next().is_some() {}
    }
    drop(listener);
    let _ = stop_tx.send(true);
    let _ = tokio::time::timeout(DRAIN, async { while tasks.join_next().await.is_some() {} }).await;
    (svc.log)(json!({"event": "stopped"}).to_string());
    Ok(())
}

async fn connection<I>(
    svc: Arc<Service>,
    io: TokioIo<I>,
    peer: SocketAddr,
    mut stop: watch::Receiver<bool>,
) where
    I: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        // Slowloris: the whole head must arrive in time.
        .header_read_timeout(svc.timeout)
        .max_buf_size(MAX_HEAD)
        .max_headers(MAX_HEADERS);
    let service = hyper::service::service_fn(move |req| {
        let svc = svc.clone();
        async move { Ok::<_, Infallible>(handle(svc, req, peer).await) }
    });
    let conn = builder.serve_connection(io, service);
    tokio::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => {}
        _ = stop.changed() => {
            conn.as_mut().graceful_shutdown();
            let _ = conn.await;
        }
    }
}

async fn handle(svc: Arc<Service>, req: Request<Incoming>, peer: SocketAddr) -> Response<Body> {
    let started = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let (resp, fields) = match svc.inflight.clone().try_acquire_owned() {
        Ok(_permit) => route(&svc, req).await,
        Err(_) => {
            let mut r = json_response(
                StatusCode::SERVICE_UNAVAILABLE,
                &json!({"error": "temporarily_unavailable", "error_description": "too many requests at once"}),
            );
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            (r, Fields::default())
        }
    };
    let latency = started.elapsed().as_secs_f64();
    svc.metrics.latency(latency);
    let mut line = json!({
        "time": crate::time::rfc3339(crate::time::now()),
        "peer": peer.ip().to_string(),
        "method": method.as_str(),
        "path": truncated(&path),
        "status": resp.status().as_u16(),
        "latency_ms": (latency * 1e6).round() / 1e3,
    });
    if let Some(c) = fields.client {
        line["client"] = c.into();
    }
    if let Some(g) = fields.grant {
        line["grant"] = g.into();
    }
    if let Some(o) = fields.outcome {
        line["outcome"] = o.into();
    }
    (svc.log)(line.to_string());
    resp
}

/// What the log line adds for a token request.
#[derive(Default)]
struct Fields {
    client: Option<String>,
    grant: Option<String>,
    outcome: Option<&'static str>,
}

async fn route(svc: &Arc<Service>, req: Request<Incoming>) -> (Response<Body>, Fields) {
    let path = req.uri().path();
    let get = matches!(*req.method(), Method::GET | Method::HEAD);
    match path {
        "/token" if req.method() == Method::POST => token(svc, req).await,
        "/token" => (not_allowed("POST"), Fields::default()),
        "/.well-known/jwks.json"
        | "/.well-known/oauth-authorization-server"
        | "/healthz"
        | "/metrics"
            if !get =>
        {
            (not_allowed("GET, HEAD"), Fields::default())
        }
        "/.well-known/jwks.json" => {
            let snap = current(svc).await;
            let mut r = Response::new(Full::new(Bytes::from(snap.jwks_body.clone())));
            let h = r.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            // Short: a rotation publishes the next key ahead of use, so a minute is safe.
            h.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=60"),
            );
            (r, Fields::default())
        }
        "/.well-known/oauth-authorization-server" => {
            let snap = current(svc).await;
            let doc = json!({
                "issuer": snap.issuer,
                "token_endpoint": format!("{}/token", svc.base_url),
                "jwks_uri": format!("{}/.well-known/jwks.json", svc.base_url),
                "grant_types_supported": if svc.exchange.is_some() {
                    json!([grant::CLIENT_CREDENTIALS, super::exchange::GRANT])
                } else {
                    json!([grant::CLIENT_CREDENTIALS])
                },
                "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
                "response_types_supported": [],
                "scopes_supported": scopes_supported(&snap),
            });
            (json_response(StatusCode::OK, &doc), Fields::default())
        }
        "/healthz" => {
            // Ready: a signing key is loaded (startup refuses to run without one, and a
            // broken reload keeps the previous key).
            let snap = current(svc).await;
            let doc = json!({"status": "ok", "kid": snap.kid, "alg": snap.signer.alg().as_str()});
            (json_response(StatusCode::OK, &doc), Fields::default())
        }
        "/metrics" => {
            let mut r = Response::new(Full::new(Bytes::from(svc.metrics.encode())));
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(
                    "application/openmetrics-text; version=1.0.0; charset=utf-8",
                ),
            );
            (r, Fields::default())
        }
        _ => (
            json_response(StatusCode::NOT_FOUND, &json!({"error": "not_found"})),
            Fields::default(),
        ),
    }
}

fn scopes_supported(snap: &super::state::Snapshot) -> Vec<String> {
    let mut all: Vec<String> = Vec::new();
    for c in &snap.clients.clients {
        for s in &c.scopes {
            if !all.contains(s) {
                all.push(s.clone());
            }
        }
    }
    all.sort();
    all
}

/// The snapshot; when the store changed, reloaded off the reactor (file reads, maybe a
/// PKCS#11 login).
async fn current(svc: &Arc<Service>) -> Arc<super::state::Snapshot> {
    if let Some(snap) = svc.live.unchanged() {
        return snap;
    }
    let s = svc.clone();
    let (snap, reload) = tokio::task::spawn_blocking(move || s.live.current())
        .await
        .unwrap_or_else(|_| svc.live.current());
    log_reload(svc, reload, &snap);
    snap
}

fn log_reload(svc: &Service, reload: Reload, snap: &super::state::Snapshot) {
    match reload {
        Reload::None => {}
        Reload::Reloaded => (svc.log)(
            json!({"event": "reloaded", "kid": snap.kid, "clients": snap.clients.clients.len()})
                .to_string(),
        ),
        Reload::Failed(e) => (svc.log)(
            json!({"event": "reload_failed", "error": crate::redact::scrub(&e.to_string()).0,
                   "kid": snap.kid})
            .to_string(),
        ),
    }
}

async fn token(svc: &Arc<Service>, req: Request<Incoming>) -> (Response<Body>, Fields) {
    let answer = token_answer(svc, req).await;
    svc.metrics.token(
        answer.client.as_deref(),
        answer.grant.as_deref(),
        answer.outcome,
    );
    let fields = Fields {
        client: answer.client.clone(),
        grant: answer.grant.clone(),
        outcome: Some(answer.outcome),
    };
    (oauth_response(&answer), fields)
}

async fn token_answer(svc: &Arc<Service>, req: Request<Incoming>) -> Answer {
    let (parts, body) = req.into_parts();
    let too_big = || grant::error(OAuthError::InvalidRequest, "the request body is too large");
    if parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .is_some_and(|n| n > MAX_BODY as u64)
    {
        return with_status(too_big(), 413);
    }
    let body = match tokio::time::timeout(svc.timeout, Limited::new(body, MAX_BODY).collect()).await
    {
        Ok(Ok(b)) => b.to_bytes(),
        Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => {
            return with_status(too_big(), 413)
        }
        Ok(Err(_)) => {
            return grant::error(
                OAuthError::InvalidRequest,
                "the request body could not be read",
            )
        }
        Err(_) => {
            return grant::error(
                OAuthError::InvalidRequest,
                "the request body did not arrive in time",
            )
        }
    };
    let header_text = |name| {
        parts
            .headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
            .map(str::to_string)
    };
    let content_type = header_text(header::CONTENT_TYPE);
    let authorization = header_text(header::AUTHORIZATION);
    let snap = current(svc).await;
    let req = grant::Request {
        content_type: content_type.as_deref(),
        authorization: authorization.as_deref(),
        body: &body,
    };
    // Parsing and client authentication (a SHA-256 and a compare) run here.
    let g = match grant::check(&req, &snap, svc.exchange.is_some()) {
        Err(a) => return *a,
        Ok(g) => g,
    };
    if let Err(wait) = svc.rate.take(&g.client, Instant::now()) {
        let mut a = grant::error(
            OAuthError::TemporarilyUnavailable,
            "this client's rate limit is reached",
        );
        a.retry_after = Some(wait);
        a.client = Some(g.client.clone());
        a.grant = Some(grant::label(g.exchange.is_some()).into());
        return a;
    }
    // A key in memory signs in well under a millisecond of pure CPU (RSA ~0.3 ms): on
    // this worker, since a hop to the blocking pool and back cost 8% of RS256
    // throughput (two thread wake-ups a request). What may wait — a PKCS#11 module,
    // a token exchange's key fetch — runs on the blocking pool, sized to the cores.
    if snap.signer.signs_in_memory() && g.exchange.is_none() {
        return grant::issue(&g, &snap, &svc.server, None, crate::time::now());
    }
    let s = svc.clone();
    tokio::task::spawn_blocking(move || {
        grant::issue(
            &g,
            &snap,
            &s.server,
            s.exchange.as_ref(),
            crate::time::now(),
        )
    })
    .await
    .unwrap_or_else(|_| grant::error(OAuthError::ServerError, "the request failed"))
}

fn with_status(mut a: Answer, status: u16) -> Answer {
    a.status = status;
    a
}

/// §5.1/§5.2: JSON, `Cache-Control: no-store`, `Pragma: no-cache`; `WWW-Authenticate`
/// with 401.
fn oauth_response(a: &Answer) -> Response<Body> {
    let status = StatusCode::from_u16(a.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut r = json_response(status, &a.body);
    let h = r.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    if a.challenge {
        h.insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"agentos-auth\", charset=\"UTF-8\""),
        );
    }
    if let Some(s) = a.retry_after {
        h.insert(header::RETRY_AFTER, HeaderValue::from(s));
    }
    r
}

fn json_response(status: StatusCode, v: &serde_json::Value) -> Response<Body> {
    let mut r = Response::new(Full::new(Bytes::from(v.to_string())));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

fn not_allowed(allow: &'static str) -> Response<Body> {
    let mut r = json_response(
        StatusCode::METHOD_NOT_ALLOWED,
        &json!({"error": "method_not_allowed"}),
    );
    r.headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static(allow));
    r
}

fn truncated(path: &str) -> String {
    path.chars().take(200).collect()
}
