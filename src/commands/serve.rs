//! `agentos-auth serve`: runs the token service (src/serve/), printing its log lines
//! (one JSON object a line) on stderr.

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use crate::cli::{GlobalArgs, ServeArgs};
use crate::error::{Error, Result};
use crate::serve::{self, Checked, Config};
use crate::store::Store;

pub fn run(g: &GlobalArgs, a: &ServeArgs) -> Result<()> {
    let ui = super::Ui::new(g);
    let store = Store::locate(g.home.as_deref())?;
    let server = super::deployment_flags::agentos(g, &a.agentos, &ui)?;
    let timeout = crate::time::parse_duration(&a.timeout)
        .map_err(|e| e.context("--timeout"))
        .and_then(|s| {
            u64::try_from(s)
                .ok()
                .filter(|s| *s > 0)
                .map(Duration::from_secs)
                .ok_or_else(|| {
                    Error::input("--timeout must be positive").hint("e.g. --timeout 10s")
                })
        })?;
    if let Some(issuer) = &a.issuer {
        if !issuer.starts_with("https://") && !issuer.starts_with("http://") {
            return Err(Error::input(format!("--issuer {issuer:?} is not a URL"))
                .hint("RFC 8414 issuers are https URLs, e.g. --issuer https://auth.example.com"));
        }
    }
    let exchange = match &a.exchange {
        Some(path) => {
            let bytes = crate::fsio::read_input(path)?;
            let text = String::from_utf8(bytes.to_vec())
                .map_err(|_| Error::input(format!("{}: not UTF-8 text", path.display())))?;
            Some(serve::Exchange::load(&text, &path.display().to_string())?)
        }
        None => None,
    };
    let config = Config {
        store,
        listen: a.listen,
        tls: a.tls_cert.clone().zip(a.tls_key.clone()),
        issuer: a
            .issuer
            .clone()
            .map(|i| i.trim_end_matches('/').to_string()),
        rate_limit: a.rate_limit,
        max_concurrency: a.max_concurrency,
        server: server.into(),
        timeout,
        exchange,
    };
    let warn_plaintext = |c: &Checked| {
        if c.plaintext_beyond_loopback {
            ui.warn(format!(
                "{} is reachable beyond this machine without TLS: client secrets and tokens cross the network in clear text (fine behind a TLS-terminating proxy; else pass --tls-cert and --tls-key)",
                a.listen
            ));
        }
    };
    if a.check {
        let c = serve::check(&config)?;
        warn_plaintext(&c);
        ui.note(format!(
            "serve: configuration ok: signing key {} ({}), {} client(s), {} exchange issuer(s), issuer {}, would listen on {}",
            c.kid, c.alg, c.clients, c.exchange_issuers, c.issuer, c.base_url
        ));
        return Ok(());
    }
    // Each line in one write(2), newline included (`writeln!` on unbuffered stderr makes
    // two): lines never interleave, not even from replicas appending to one file.
    let log: serve::Log = Arc::new(|mut line: String| {
        line.push('\n');
        let _ = std::io::stderr().lock().write_all(line.as_bytes());
    });
    serve::run(config, log, |c, bound| {
        warn_plaintext(c);
        let scheme = if a.tls_cert.is_some() {
            "https"
        } else {
            "http"
        };
        ui.note(format!(
            "serve: listening on {scheme}://{bound} (signing key {} {}, {} client(s)); SIGTERM stops it",
            c.kid, c.alg, c.clients
        ));
    })
}
