//! `agentos-auth serve`: the OAuth token service. One concern per file: `state` (the
//! key store as served, reloaded on change), `grant` (the token endpoint's rules and
//! answers), `exchange` (RFC 8693: subject tokens of trusted providers), `rate` (per-client limit), `metrics` (Prometheus), `server` (HTTP, TLS,
//! limits, shutdown). This facade prepares a [`Config`] and runs it; it prints
//! nothing: log lines go to the [`Log`] the command layer passes in.

mod exchange;
mod grant;
mod metrics;
mod rate;
mod server;
mod state;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::error::{Error, Result};
use crate::store::Store;

pub use exchange::Exchange;
pub use server::Log;

pub struct Config {
    pub store: Store,
    pub listen: SocketAddr,
    pub tls: Option<(PathBuf, PathBuf)>,
    pub issuer: Option<String>,
    pub rate_limit: u32,
    pub max_concurrency: u32,
    /// Shared by every token (`TokenSpec::server`): a clone is a pointer copy.
    pub server: std::sync::Arc<crate::agentos::Server>,
    /// Head, body and TLS handshake time-out.
    pub timeout: Duration,
    /// `--exchange FILE`, loaded (its issuers' discovery documents fetched).
    pub exchange: Option<Exchange>,
}

/// What a configuration check found.
pub struct Checked {
    pub kid: String,
    pub alg: &'static str,
    pub clients: usize,
    pub base_url: String,
    pub issuer: String,
    /// Trusted issuers of `--exchange`.
    pub exchange_issuers: usize,
    /// Listening beyond loopback without TLS.
    pub plaintext_beyond_loopback: bool,
}

struct Prepared {
    live: state::Live,
    tls: Option<tokio_rustls::TlsAcceptor>,
    base_url: String,
}

fn prepare(c: &Config) -> Result<Prepared> {
    let tls = match &c.tls {
        Some((cert, key)) => Some(tls_acceptor(cert, key)?),
        None => None,
    };
    let scheme = if tls.is_some() { "https" } else { "http" };
    // Where clients reach us: the issuer when given (the public URL, behind a proxy or a
    // load balancer), else the listen address.
    let base_url = c
        .issuer
        .clone()
        .unwrap_or_else(|| format!("{scheme}://{}", c.listen));
    let issuer = match &c.issuer {
        Some(i) => state::IssuerChoice::Given(i.clone()),
        None => state::IssuerChoice::Default(base_url.clone()),
    };
    let live = state::Live::open(c.store.clone(), issuer).map_err(|e| e.context("serve"))?;
    Ok(Prepared {
        live,
        tls,
        base_url,
    })
}

/// Loads everything `run` would (key, JWKS, clients, TLS) and reports it.
pub fn check(c: &Config) -> Result<Checked> {
    Ok(summary(c, &prepare(c)?))
}

fn summary(c: &Config, p: &Prepared) -> Checked {
    let (snap, _) = p.live.current();
    Checked {
        kid: snap.kid.clone(),
        alg: snap.signer.alg().as_str(),
        clients: snap.clients.clients.len(),
        base_url: p.base_url.clone(),
        issuer: snap.issuer.clone(),
        exchange_issuers: c.exchange.as_ref().map_or(0, Exchange::issuer_count),
        plaintext_beyond_loopback: p.tls.is_none() && !c.listen.ip().is_loopback(),
    }
}

/// Runs until SIGTERM or SIGINT, then lets in-flight requests finish.
pub fn run(mut c: Config, log: Log, ready: impl FnOnce(&Checked, SocketAddr)) -> Result<()> {
    let p = prepare(&c)?;
    let checked = summary(&c, &p);
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cores)
        // Signing is CPU-bound: as many signing threads as cores, no more.
        .max_blocking_threads(cores)
        .enable_io()
        .enable_time()
        .build()
        .map_err(|e| Error::io(format!("cannot start the runtime: {e}")))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(c.listen).await.map_err(|e| {
            Error::io(format!("cannot listen on {}: {e}", c.listen))
                .hint("pick another --listen address (is another server running there?)")
        })?;
        let bound = listener.local_addr().unwrap_or(c.listen);
        ready(&checked, bound);
        let svc = Arc::new(server::Service {
            live: p.live,
            server: c.server,
            exchange: c.exchange.take(),
            metrics: metrics::Metrics::new(),
            rate: rate::RateLimit::new(c.rate_limit),
            inflight: Arc::new(tokio::sync::Semaphore::new(c.max_concurrency as usize)),
            log,
            base_url: p
                .base_url
                .replace(&c.listen.to_string(), &bound.to_string()),
            timeout: c.timeout,
        });
        server::serve(svc, listener, p.tls).await
    })
}

fn tls_acceptor(
    cert: &std::path::Path,
    key: &std::path::Path,
) -> Result<tokio_rustls::TlsAcceptor> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .and_then(|i| i.collect::<std::result::Result<_, _>>())
        .map_err(|e| {
            Error::input(format!("--tls-cert {}: {e}", cert.display()))
                .hint("give the certificate chain as PEM (server certificate first)")
        })?;
    if certs.is_empty() {
        return Err(Error::input(format!(
            "--tls-cert {}: no certificate in it",
            cert.display()
        ))
        .hint("give the certificate chain as PEM (server certificate first)"));
    }
    let key_der = PrivateKeyDer::from_pem_file(key).map_err(|_| {
        Error::input(format!("--tls-key {}: no private key in it", key.display()))
            .hint("give the certificate's private key as PEM (PKCS#8, PKCS#1 or SEC1)")
    })?;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::input(format!("TLS: {e}")))?
        .with_no_client_auth()
        .with_single_cert(certs, key_der)
        .map_err(|e| {
            Error::input(format!("--tls-cert/--tls-key: {e}"))
                .hint("the key must be the certificate's")
        })?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(tokio_rustls::TlsAcceptor::from(Arc::new(config)))
}
