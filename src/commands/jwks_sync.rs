//! `agentos-auth jwks sync`: a provider's signing keys into the JWKS file AgentOS reads,
//! once or as a sidecar (`--watch`), restarting AgentOS through `--on-change`. The
//! fetching and merging live in `provider`; this module prints, runs the command, and
//! waits.

use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::json;

use super::Ui;
use crate::cli::{GlobalArgs, JwksSyncArgs};
use crate::error::{Error, Kind, Result};
use crate::http;
use crate::provider::{self, fetch, sync::next_sync_in, SyncReport};

pub fn run(g: &GlobalArgs, a: &JwksSyncArgs) -> Result<()> {
    let ui = Ui::new(g);
    let client = fetch::client(a.timeout, a.ca_file.clone(), "--from")?;
    client.check_url(&a.from)?;
    match a.watch {
        None => {
            let (report, _) = sync_once(&ui, &client, a)?;
            if report.changed {
                after_change(&ui, a, &report)?;
            }
            Ok(())
        }
        Some(every) => watch(&ui, &client, a, every),
    }
}

/// One sync: fetch, merge, write, report. Returns the report and the JWKS's max-age.
fn sync_once(
    ui: &Ui,
    client: &http::Client,
    a: &JwksSyncArgs,
) -> Result<(SyncReport, Option<Duration>)> {
    let keys = provider::fetch_keys(client, &a.from, a.alg)?;
    let report = provider::sync_file(&a.jwks, &keys.source.jwks_url, &keys.selection)?;
    let file = a.jwks.display();
    for d in &report.dropped {
        ui.note(format!(
            "dropped kid {}: {}",
            d.kid.as_deref().unwrap_or("(none)"),
            d.reason
        ));
    }
    if report.changed {
        let list = |kids: &[String]| kids.join(", ");
        let mut parts = Vec::new();
        if !report.added.is_empty() {
            parts.push(format!("added kid {}", list(&report.added)));
        }
        if !report.removed.is_empty() {
            parts.push(format!("removed kid {}", list(&report.removed)));
        }
        if !report.replaced.is_empty() {
            parts.push(format!("(new key under kid {})", list(&report.replaced)));
        }
        ui.note(format!(
            "{file}: {} from {}",
            parts.join("; "),
            keys.source.jwks_url
        ));
    } else {
        ui.note(format!(
            "{file}: no change ({} {} key(s) of {})",
            report.provider_kids.len(),
            a.alg,
            keys.source.jwks_url
        ));
    }
    if a.json {
        super::print_line(json!({
            "changed": report.changed,
            "added": report.added,
            "removed": report.removed,
            "dropped": report.dropped,
            "jwks": file.to_string(),
            "jwks_uri": keys.source.jwks_url,
        }))?;
    }
    Ok((report, keys.max_age))
}

/// After a change: `--on-change`, or the reminder that AgentOS must restart.
fn after_change(ui: &Ui, a: &JwksSyncArgs, report: &SyncReport) -> Result<()> {
    match &a.on_change {
        Some(cmd) => run_on_change(cmd, a, report),
        None => {
            ui.note("AgentOS reads the JWKS when it starts: restart it (or pass --on-change CMD)");
            Ok(())
        }
    }
}

/// `sh -c CMD`, with no stdin, its output on our stderr (stdout is the product), and the
/// file and kids in its environment.
fn run_on_change(cmd: &str, a: &JwksSyncArgs, report: &SyncReport) -> Result<()> {
    let status = Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .stdin(Stdio::null())
        .stdout(Stdio::from(std::io::stderr()))
        .env("AGENTOS_AUTH_JWKS", &a.jwks)
        .env("AGENTOS_AUTH_ADDED", report.added.join(" "))
        .env("AGENTOS_AUTH_REMOVED", report.removed.join(" "))
        .status()
        .map_err(|e| {
            Error::new(
                Kind::Command,
                format!("cannot run --on-change with sh: {e}"),
            )
            .hint("install a POSIX sh, or run the command yourself after a sync")
        })?;
    if status.success() {
        return Ok(());
    }
    let how = match status.code() {
        Some(c) => format!("exited with status {c}"),
        None => "was killed by a signal".to_string(),
    };
    Err(Error::new(
        Kind::Command,
        format!("--on-change {how}; {} was updated", a.jwks.display()),
    )
    .hint("fix the command and run it yourself (AgentOS reads the JWKS when it starts)"))
}

/// `--watch`: sync, wait, again, until SIGTERM or Ctrl-C (then exit 0). A sync that
/// fails because of the provider (exit-4 kind) is reported and retried; bad input or a
/// file that cannot be written stops the watch (a sidecar should fail loudly). A failed
/// `--on-change` is run again after the next sync, changed or not.
fn watch(ui: &Ui, client: &http::Client, a: &JwksSyncArgs, every: Duration) -> Result<()> {
    let (tx, rx) = mpsc::channel::<()>();
    ctrlc::set_handler(move || {
        let _ = tx.send(());
    })
    .map_err(|e| Error::new(Kind::Command, format!("cannot catch SIGTERM/SIGINT: {e}")))?;
    let retry = every.min(Duration::from_secs(60));
    let mut hook_pending: Option<SyncReport> = None;
    loop {
        let wait = match sync_once(ui, client, a) {
            Ok((report, max_age)) => {
                let due = if report.changed {
                    Some(report)
                } else {
                    hook_pending.take()
                };
                if let Some(r) = due {
                    if let Err(e) = after_change(ui, a, &r) {
                        ui.warn(format!("{e}; trying it again after the next sync"));
                        hook_pending = Some(r);
                    }
                }
                next_sync_in(every, max_age)
            }
            Err(e) if e.kind == Kind::Server => {
                ui.warn(format!(
                    "{e}; {} unchanged, trying again in {}",
                    a.jwks.display(),
                    crate::time::format_duration(retry.as_secs() as i64)
                ));
                retry
            }
            Err(e) => return Err(e),
        };
        match rx.recv_timeout(wait) {
            Err(mpsc::RecvTimeoutError::Timeout) => continue,
            Ok(()) | Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    ui.note("jwks sync --watch: stopped");
    Ok(())
}
