//! `agentos-auth jwks list|add|remove|rotate|use|prune` (`sync`: `jwks_sync.rs`): the JWKS file AgentOS reads, by
//! kid, and the key ring beside it. The logic lives in `keyring`; this module picks
//! the files, prints, and explains.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::Ui;
use crate::claims;
use crate::cli::{
    GlobalArgs, JwksAddArgs, JwksArgs, JwksCommand, JwksListArgs, JwksLocation, JwksPruneArgs,
    JwksRemoveArgs, JwksRotateArgs, JwksUseArgs, RingLocation,
};
use crate::error::{Error, Result};
use crate::fsio;
use crate::keyring::{self, Added, Dropped, Keyring, Listing, Open, Prune, Session};
use crate::keys::{Alg, Key, ParseOptions};
use crate::live::{probe, Client};
use crate::store::Store;
use crate::time;

pub fn run(g: &GlobalArgs, a: &JwksArgs) -> Result<()> {
    let ui = Ui::new(g);
    match &a.command {
        JwksCommand::List(a) => list(g, &ui, a),
        JwksCommand::Add(a) => add(g, &ui, a),
        JwksCommand::Remove(a) => remove(g, &ui, a),
        JwksCommand::Rotate(a) => rotate(g, &ui, a),
        JwksCommand::Use(a) => use_key(g, &ui, a),
        JwksCommand::Prune(a) => prune(g, &ui, a),
        JwksCommand::Sync(a) => super::jwks_sync::run(g, a),
    }
}

/// `--jwks FILE [--key-dir DIR]`, or both from the key store. `--jwks` naming the
/// store's own jwks.json brings the store's key ring along, so that the signing key
/// stays protected (remove) and marked (list).
fn locate(g: &GlobalArgs, at: &JwksLocation) -> Result<(PathBuf, Option<PathBuf>, Option<Store>)> {
    match &at.jwks {
        Some(j) => {
            let dir = at.key_dir.clone().or_else(|| {
                let store = Store::locate(g.home.as_deref()).ok()?;
                let same = std::fs::canonicalize(store.jwks_path()).ok()?
                    == std::fs::canonicalize(j).ok()?;
                same.then(|| store.key_dir())
            });
            Ok((j.clone(), dir, None))
        }
        None => {
            let store = Store::locate(g.home.as_deref())?;
            Ok((store.jwks_path(), Some(store.key_dir()), Some(store)))
        }
    }
}

/// `--jwks FILE --key-dir DIR` (clap makes them come together), or the key store.
fn locate_ring(g: &GlobalArgs, at: &RingLocation) -> Result<(PathBuf, PathBuf, Option<Store>)> {
    match (&at.jwks, &at.key_dir) {
        (Some(j), Some(d)) => Ok((j.clone(), d.clone(), None)),
        _ => {
            let store = Store::locate(g.home.as_deref())?;
            Ok((store.jwks_path(), store.key_dir(), Some(store)))
        }
    }
}

fn list(g: &GlobalArgs, ui: &Ui, a: &JwksListArgs) -> Result<()> {
    let (jwks_path, dir, _) = locate(g, &a.at)?;
    let listing = keyring::list(dir.as_deref(), &jwks_path)?;
    // Keys `jwks sync` copied from an identity provider: shown as such, never as the
    // store's (a broken FILE.sources only loses the marks).
    let synced = crate::provider::sync::synced_kids(&jwks_path).unwrap_or_else(|e| {
        ui.warn(e.to_string());
        Default::default()
    });
    if a.json {
        super::print_line(list_json(&listing, &jwks_path, dir.as_deref(), &synced))?;
    } else {
        // Kids come from the file: no raw terminal controls in the table.
        super::print_text(&super::printable_lines(&list_table(
            &listing,
            dir.as_deref(),
            &synced,
        )))?;
        if listing.keys.is_empty() {
            ui.note(format!("{} holds no keys", jwks_path.display()));
        } else if listing.signing_kid.is_none() && dir.is_none() {
            ui.note("pass --key-dir DIR to see which key signs");
        }
    }
    for w in &listing.warnings {
        ui.warn(w);
    }
    Ok(())
}

/// kid → the provider JWKS URL `jwks sync` copied it from.
type Synced = std::collections::HashMap<String, String>;

fn list_json(listing: &Listing, jwks_path: &Path, dir: Option<&Path>, synced: &Synced) -> Value {
    let keys: Vec<Value> = listing
        .keys
        .iter()
        .map(|k| {
            let entry = k.entry.as_ref();
            let mut v = json!({
                "number": k.number,
                "kid": k.kid,
                "alg": k.alg.map(Alg::as_str),
                "kty": k.kty,
                "key": k.summary,
                "signing": k.signing,
                "in_keyring": entry.is_some(),
                "private_key": entry.zip(dir).map(|(e, d)| e.private_path(d).display().to_string()),
                "created": entry.map(|e| time::rfc3339(e.created)),
                "retired": entry.and_then(|e| e.retired).map(time::rfc3339),
                "error": k.error,
            });
            if let Some(url) = k.kid.as_ref().and_then(|kid| synced.get(kid)) {
                v["synced_from"] = url.as_str().into();
            }
            v
        })
        .collect();
    let unpublished: Vec<Value> = listing
        .unpublished
        .iter()
        .map(|e| {
            json!({
                "kid": e.kid,
                "alg": e.alg.as_str(),
                "signing": listing.signing_kid.as_deref() == Some(e.kid.as_str()),
                "created": time::rfc3339(e.created),
            })
        })
        .collect();
    json!({
        "jwks": jwks_path.display().to_string(),
        "key_dir": dir.map(|d| d.display().to_string()),
        "signing_kid": listing.signing_kid,
        "keys": keys,
        "unpublished": unpublished,
        "warnings": listing.warnings,
    })
}

fn list_table(listing: &Listing, dir: Option<&Path>, synced: &Synced) -> String {
    // The table explains itself (SIGNING column), so no legend goes to stderr: what a
    // pipe or pager shows is the whole answer.
    let mut rows: Vec<[String; 6]> = vec![[
        "SIGNING".into(),
        "KID".into(),
        "ALG".into(),
        "KEY".into(),
        "CREATED".into(),
        "PRIVATE KEY".into(),
    ]];
    for k in &listing.keys {
        let entry = k.entry.as_ref();
        let (key, private) = match &k.error {
            Some(e) => (format!("INVALID: {e}"), String::new()),
            None => (
                k.summary.clone().unwrap_or_default(),
                entry
                    .zip(dir)
                    .map(|(e, d)| e.private_path(d).display().to_string())
                    .or_else(|| {
                        let url = synced.get(k.kid.as_deref()?)?;
                        Some(format!("- (jwks sync from {url})"))
                    })
                    .unwrap_or_else(|| "-".into()),
            ),
        };
        rows.push([
            if k.signing { "*".into() } else { String::new() },
            k.kid
                .clone()
                .unwrap_or_else(|| format!("(key #{}, no kid)", k.number)),
            k.alg.map(|a| a.as_str().to_string()).unwrap_or("?".into()),
            key,
            entry
                .map(|e| time::rfc3339(e.created))
                .unwrap_or_else(|| "-".into()),
            private,
        ]);
    }
    let widths: Vec<usize> = (0..5)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for r in &rows {
        let mut line = String::new();
        for (c, cell) in r.iter().enumerate() {
            if c < 5 {
                line.push_str(&format!("{cell:<w$}  ", w = widths[c]));
            } else {
                line.push_str(cell);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn add(g: &GlobalArgs, ui: &Ui, a: &JwksAddArgs) -> Result<()> {
    if let Some(kid) = &a.kid {
        keyring::check_kid(kid)?;
    }
    let (jwks_path, dir, store) = locate(g, &a.at)?;
    let source = crate::keys::key_source_name(&a.key);
    let key = if a.key.to_str().is_some_and(crate::keys::pkcs11::is_uri) {
        crate::keys::read_key(&a.key, None)?
    } else {
        let bytes = zeroize::Zeroizing::new(fsio::read_input(&a.key)?);
        let parse = |alg| {
            Key::parse(
                &bytes,
                &ParseOptions {
                    source: &source,
                    alg,
                },
            )
        };
        match parse(None) {
            // Text that is no key format reads as an HS256 secret: say why that cannot be
            // published, rather than the parser's "--alg HS256" hint (add has no --alg).
            Err(e) => match parse(Some(Alg::HS256)) {
                Ok(_) => return Err(secret_not_publishable(&a.key, &source, &bytes)),
                Err(_) => return Err(e),
            },
            Ok(key) if key.alg() == Alg::HS256 => {
                return Err(secret_not_publishable(&a.key, &source, &bytes))
            }
            Ok(key) => key,
        }
    };
    // A JWK brings its own kid; a PEM (or a token's key) gets the thumbprint.
    let kid = a
        .kid
        .clone()
        .or(key.own_kid().map(str::to_string))
        .unwrap_or_else(|| key.thumbprint());
    if let Some(s) = &store {
        s.create()?;
    }
    let mut session = Session::open(dir.as_deref(), &jwks_path, Open::Existing)?;
    let outcome = session.add_public(&key, &kid, a.kid.is_some())?;
    let signing_alg = session.ring.signing().map(|e| e.alg);
    let warning = keyring::mixed_algorithms(
        &session.jwks.keys,
        signing_alg,
        &jwks_path.display().to_string(),
    );
    session.commit()?;
    let (kid, added) = match &outcome {
        Added::Added { kid } => {
            ui.note(format!(
                "added kid {kid} ({}) to {}",
                key.alg(),
                jwks_path.display()
            ));
            (Some(kid.clone()), true)
        }
        Added::AlreadyPresent { kid } => {
            ui.note(format!(
                "this key is already in {} (kid {}): nothing to do",
                jwks_path.display(),
                kid.as_deref().unwrap_or("none")
            ));
            (kid.clone(), false)
        }
    };
    if a.json {
        super::print_line(
            json!({"kid": kid, "added": added, "jwks": jwks_path.display().to_string()}),
        )?;
    }
    if added {
        ui.note("AgentOS reads JWT_JWKS_FILE when it starts: restart it to accept the new kid");
    }
    if let Some(w) = warning {
        ui.warn(w);
    }
    Ok(())
}

/// `jwks add` of an HS256 secret (or of text that is no key at all, which is what a
/// secret looks like).
fn secret_not_publishable(path: &Path, source: &str, bytes: &[u8]) -> Error {
    let json = bytes.first() == Some(&b'{');
    let what = if json || crate::keys::is_secret_file(path) {
        format!("{source} is an HS256 secret")
    } else {
        format!("{source} holds no PEM or JWK key; as text it can only be an HS256 secret")
    };
    let alg = if crate::keys::is_secret_file(path) {
        ""
    } else {
        " --alg HS256"
    };
    Error::input(format!(
        "{what}, and an HS256 secret has no public form, so it never goes into a JWKS: a JWKS is public, and whoever reads a secret can mint tokens with it"
    ))
    .hint(format!(
        "give AgentOS the secret itself: eval \"$(agentos-auth export --key {}{alg} --format env --include-secret)\" and Authorization(algorithm=\"HS256\"); jwks add takes RS256/ES256 keys (PEM or JWK)",
        path.display()
    ))
}

fn remove(g: &GlobalArgs, ui: &Ui, a: &JwksRemoveArgs) -> Result<()> {
    let (jwks_path, dir, _) = locate(g, &a.at)?;
    let mut session = Session::open(dir.as_deref(), &jwks_path, Open::Removing(&a.kid))?;
    let dropped = session.remove(&a.kid, a.force)?;
    session.commit()?;
    if a.json {
        super::print_line(dropped_json(&dropped))?;
    }
    report_dropped(ui, &dropped, &jwks_path);
    if dropped.was_signing {
        ui.warn(format!(
            "{} was the signing key: mint has no key in this ring until you run agentos-auth jwks rotate",
            dropped.kid
        ));
    }
    if dropped.from_jwks {
        ui.note(format!(
            "AgentOS answers 401 to tokens with kid {} once it reloads {} (it reads the file when it starts)",
            dropped.kid,
            jwks_path.display()
        ));
    }
    Ok(())
}

fn dropped_json(d: &Dropped) -> Value {
    json!({
        "kid": d.kid,
        "alg": d.alg.map(Alg::as_str),
        "was_signing": d.was_signing,
        "from_jwks": d.from_jwks,
        "from_keyring": d.from_ring,
        "moved": d.moved.iter().map(|(from, to)| json!({
            "from": from.display().to_string(),
            "to": to.display().to_string(),
        })).collect::<Vec<_>>(),
    })
}

fn report_dropped(ui: &Ui, d: &Dropped, jwks_path: &Path) {
    let mut places = Vec::new();
    if d.from_jwks {
        places.push(jwks_path.display().to_string());
    }
    if d.from_ring {
        places.push("the key ring".to_string());
    }
    ui.note(format!(
        "removed kid {} from {}",
        d.kid,
        places.join(" and ")
    ));
    for (from, to) in &d.moved {
        ui.note(format!(
            "moved {} to {} (delete it yourself once no one needs it)",
            from.display(),
            to.display()
        ));
    }
}

fn rotate(g: &GlobalArgs, ui: &Ui, a: &JwksRotateArgs) -> Result<()> {
    if let Some(kid) = &a.kid {
        keyring::check_kid(kid)?;
    }
    let (jwks_path, dir, store) = locate_ring(g, &a.at)?;
    let current = Keyring::load(&dir)?;
    let alg = match (a.alg, current.signing()) {
        (Some(Alg::HS256), _) => {
            return Err(Error::input(
                "jwks rotate makes RS256 or ES256 keys: an HS256 secret has no public form, so it never goes into a JWKS",
            )
            .hint("pass --alg RS256 or --alg ES256; for an HS256 secret use agentos-auth keygen --alg HS256"))
        }
        (Some(alg), _) => alg,
        (None, Some(e)) if e.alg == Alg::HS256 => {
            return Err(Error::input(format!(
                "the signing key {} is HS256, which a JWKS cannot hold",
                e.kid
            ))
            .hint("pass --alg RS256 or --alg ES256 (AgentOS then needs that algorithm too)"))
        }
        (None, Some(e)) => e.alg,
        (None, None) => Alg::RS256,
    };
    if alg == Alg::RS256 && a.bits >= 4096 {
        ui.note(format!(
            "generating an RSA {}-bit key (this can take a few seconds)...",
            a.bits
        ));
    }
    // A ring whose signing key lives in a token keeps its new keys there too.
    let token = match (&a.token, current.signing()) {
        (Some(uri), _) => Some(uri.clone()),
        (None, Some(e)) if e.in_token() => Some(crate::keys::pkcs11::token_of(&e.private_key)?),
        _ => None,
    };
    // Generate before taking the locks: RSA generation is the slow part.
    let key = match &token {
        Some(uri) => {
            let label = a
                .kid
                .clone()
                .unwrap_or_else(|| format!("agentos-auth-{}", time::now()));
            crate::keys::pkcs11::generate(uri, alg, a.bits, &label)?
        }
        None => Key::generate(alg, a.bits)?,
    };
    let kid = a.kid.clone().unwrap_or_else(|| key.thumbprint());
    // A failure below leaves no directory it created.
    let new_dirs = fsio::NewDirs::watch(&[&dir, jwks_path.parent().unwrap_or(Path::new(""))]);
    if let Some(s) = &store {
        s.create()?;
    }
    let mut session = Session::open(Some(&dir), &jwks_path, Open::CreateDir)?;
    // A new key never replaces one (rotate has no --force): say so instead of
    // install's "pass --force" hint.
    if session.ring.find(&kid).is_some() || session.jwks.find(&kid).is_some() {
        return Err(Error::input(format!(
            "kid {kid} is already taken in {} or {}",
            dir.display(),
            jwks_path.display()
        ))
        .hint("choose another --kid, or leave it out for the key's thumbprint"));
    }
    let before = session.ring.signing().cloned();
    let installed = session.install(&key, &kid, !a.stage, false, time::now())?;
    let lifetime = token_lifetime(g);
    let retired = session_retired(&session);
    let pruned = match a.keep {
        Some(n) => session.prune(
            Prune {
                keep: Some(n as usize),
                older_than: None,
                spare_retired_within: (!a.ignore_token_lifetime)
                    .then(|| keyring::token_lifetime_guard(lifetime)),
            },
            time::now(),
        ),
        None => Default::default(),
    };
    let session_signing = session.ring.signing_kid.clone();
    let signing_alg = session.ring.signing().map(|e| e.alg);
    let warning = keyring::mixed_algorithms(
        &session.jwks.keys,
        signing_alg,
        &jwks_path.display().to_string(),
    );
    session.commit()?;
    new_dirs.keep();

    if a.json {
        super::print_line(json!({
            "kid": kid,
            "alg": alg.as_str(),
            // The signing kid before and after this run (the same with --stage).
            "previous_kid": before.as_ref().map(|e| e.kid.as_str()),
            "signing_kid": session_signing,
            "staged": a.stage,
            "private_key": installed.private_path.display().to_string(),
            "public_key": installed.public_path.as_ref().map(|p| p.display().to_string()),
            "jwks": jwks_path.display().to_string(),
            "pruned": pruned.dropped.iter().map(dropped_json).collect::<Vec<_>>(),
            "spared": pruned.spared.iter().map(|(k, _)| k).collect::<Vec<_>>(),
        }))?;
    }
    match key.token_uri() {
        Some(uri) => ui.note(format!(
            "created the key pair in the token (private key: sensitive, not extractable): {uri}"
        )),
        None => ui.note(format!(
            "wrote private key {} (mode 0600)",
            installed.private_path.display()
        )),
    }
    if a.stage {
        ui.note(format!(
            "published kid {kid} ({alg}) in {}; {}. Restart AgentOS, then: agentos-auth jwks use --kid {kid}",
            jwks_path.display(),
            match &session_signing {
                Some(s) => format!("{s} still signs"),
                None => "nothing signs yet".to_string(),
            }
        ));
    } else {
        ui.note(format!(
            "published kid {kid} ({alg}) in {}; it is now the signing key",
            jwks_path.display()
        ));
    }
    if let (Some(prev), Some(old)) = (&installed.previous_signing, &before) {
        if old.alg == Alg::HS256 {
            ui.note(hs256_switch_note(prev, alg));
        } else if !pruned.dropped.iter().any(|d| &d.kid == prev) {
            ui.note(format!(
                "{prev} stays published so the tokens it signed keep verifying where AgentOS reads {} as JWT_JWKS_FILE; drop it once they expire: agentos-auth jwks prune --older-than DUR",
                jwks_path.display()
            ));
        }
    }
    report_pruned(ui, &pruned, &jwks_path, lifetime, &retired);
    if !a.stage {
        ui.note("AgentOS reads JWT_JWKS_FILE when it starts: restart it before using tokens of the new kid (rotate --stage avoids that window)");
    }
    if let Some(w) = warning {
        ui.warn(w);
    }
    if let Some(w) = single_key_warning(&kid, &jwks_path) {
        ui.warn(w);
    }
    Ok(())
}

/// Leaving an HS256 signing key: its secret was never in the JWKS, so "stays
/// published" would be false; its tokens stop verifying when AgentOS switches algorithm.
fn hs256_switch_note(prev: &str, alg: Alg) -> String {
    format!(
        "{prev} is an HS256 secret, never published in a JWKS: AgentOS verifies ONE algorithm, so once it verifies {alg} with the JWKS, tokens {prev} signed get 401; mint new ones"
    )
}

fn use_key(g: &GlobalArgs, ui: &Ui, a: &JwksUseArgs) -> Result<()> {
    let (jwks_path, dir, _) = locate_ring(g, &a.at)?;
    let mut session = Session::open(Some(&dir), &jwks_path, Open::JwksMustExist)?;
    let previous = session.use_key(&a.kid, time::now())?;
    let alg_of = |kid: &str| session.ring.find(kid).map(|e| e.alg);
    let previous_alg = previous.as_deref().and_then(alg_of);
    let alg = alg_of(&a.kid).unwrap_or(Alg::RS256);
    // Ask the servers before anything is written: a refusal leaves the ring as it was.
    let servers = match session.ring.find(&a.kid) {
        Some(entry) if !a.url.is_empty() => ask_servers(g, ui, a, &entry.load(&dir)?, alg)?,
        _ => Vec::new(),
    };
    session.commit()?;
    if a.json {
        let mut out = json!({"kid": a.kid, "previous_kid": previous});
        if !a.url.is_empty() {
            out["servers"] = Value::from(servers.clone());
        }
        super::print_line(out)?;
    }
    match &previous {
        Some(p) if previous_alg == Some(Alg::HS256) => {
            ui.note(format!("{} is now the signing key", a.kid));
            ui.note(hs256_switch_note(p, alg));
        }
        Some(p) => ui.note(format!(
            "{} is now the signing key; {p} stays published so its tokens keep verifying",
            a.kid
        )),
        None => ui.note(format!("{} is the signing key", a.kid)),
    }
    let verified: Vec<&str> = servers
        .iter()
        .filter(|s| s["verifies"] == true)
        .filter_map(|s| s["url"].as_str())
        .collect();
    if !verified.is_empty() {
        ui.note(format!("kid {} verified by {}", a.kid, verified.join(", ")));
    }
    if a.url.is_empty() && previous.as_deref() != Some(a.kid.as_str()) {
        ui.warn(format!(
            "switched without asking AgentOS: if it has not restarted since {} was published, it answers 401 to every new token; check first with agentos-auth jwks use --kid {} --url URL",
            a.kid, a.kid
        ));
    }
    if let Some(w) = single_key_warning(&a.kid, &jwks_path) {
        ui.warn(w);
    }
    Ok(())
}

/// `jwks use --url`: each server gets a probe token of the key; all must verify it.
/// With `--force` a server that does not is a warning, and the switch goes ahead. Only
/// errors and warnings print here, so a refusal stays one line.
fn ask_servers(
    g: &GlobalArgs,
    ui: &Ui,
    a: &JwksUseArgs,
    key: &Key,
    alg: Alg,
) -> Result<Vec<Value>> {
    let settings = Store::locate(g.home.as_deref())
        .ok()
        .and_then(|s| s.settings().ok())
        .unwrap_or_default();
    let token = probe::token(
        key,
        &a.kid,
        settings.aud.as_deref(),
        settings.iss.as_deref(),
        time::now(),
    )?;
    let mut servers = Vec::new();
    for url in &a.url {
        let asked = Client::new(url, a.timeout).and_then(|c| probe::send(&c, &token));
        let judged = asked
            .as_ref()
            .map_err(Clone::clone)
            .and_then(|p| probe::judge(p, &a.kid, alg.as_str()));
        servers.push(json!({
            "url": url,
            "status": asked.as_ref().ok().map(|p| p.status),
            "detail": asked.as_ref().ok().and_then(|p| p.detail.clone()),
            "verifies": judged.is_ok(),
        }));
        match judged {
            Ok(()) => {}
            Err(e) if a.force => ui.warn(format!("--force: switching anyway: {e}")),
            Err(e) => return Err(e),
        }
    }
    Ok(servers)
}

/// An AgentOS started with this environment verifies `JWT_VERIFICATION_KEY` only: it
/// never looks a kid up (agno's `AuthorizationConfig` reads `JWT_JWKS_FILE` for that),
/// so tokens of a rotated key get 401. The warning names the two steps to a JWKS.
fn single_key_warning(kid: &str, jwks_path: &Path) -> Option<String> {
    let set = |name| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    if !set("JWT_VERIFICATION_KEY") || set("JWT_JWKS_FILE") {
        return None;
    }
    let jwks = std::fs::canonicalize(jwks_path).unwrap_or_else(|_| jwks_path.to_path_buf());
    Some(format!(
        "JWT_VERIFICATION_KEY is set without JWT_JWKS_FILE: an AgentOS with this environment verifies that one key and answers 401 to tokens of kid {kid}; to verify by kid: 1) export JWT_JWKS_FILE={} where AgentOS runs (a copy of the file if elsewhere), 2) restart AgentOS",
        jwks.display()
    ))
}

fn prune(g: &GlobalArgs, ui: &Ui, a: &JwksPruneArgs) -> Result<()> {
    let older_than = a
        .older_than
        .as_deref()
        .map(|d| time::parse_duration(d).map_err(|e| e.context("--older-than")))
        .transpose()?;
    let (jwks_path, dir, _) = locate_ring(g, &a.at)?;
    let lifetime = token_lifetime(g);
    let mut session = Session::open(Some(&dir), &jwks_path, Open::JwksMustExist)?;
    let retired = session_retired(&session);
    let pruned = session.prune(
        Prune {
            keep: a.keep.map(|n| n as usize),
            older_than,
            spare_retired_within: (!a.ignore_token_lifetime)
                .then(|| keyring::token_lifetime_guard(lifetime)),
        },
        time::now(),
    );
    session.commit()?;
    if a.json {
        super::print_line(json!({
            "pruned": pruned.dropped.iter().map(dropped_json).collect::<Vec<_>>(),
            "spared": pruned.spared.iter().map(|(k, _)| k).collect::<Vec<_>>(),
        }))?;
    }
    if pruned.dropped.is_empty() && pruned.spared.is_empty() {
        ui.note("no key to prune");
    }
    report_pruned(ui, &pruned, &jwks_path, lifetime, &retired);
    Ok(())
}

/// The token lifetime `mint` uses by default: the store's `expires_in`, else 1h. Keys
/// that stopped signing less than this long ago may have signed live tokens.
fn token_lifetime(g: &GlobalArgs) -> i64 {
    Store::locate(g.home.as_deref())
        .ok()
        .and_then(|s| s.settings().ok())
        .and_then(|s| s.expires_in)
        .and_then(|d| time::parse_duration(&d).ok())
        .unwrap_or(claims::DEFAULT_LIFETIME)
}

/// kid -> when it stopped signing, for the ring keys of a session (before pruning).
fn session_retired(session: &Session) -> Vec<(String, i64)> {
    session
        .ring
        .keys
        .iter()
        .filter_map(|e| e.retired.map(|t| (e.kid.clone(), t)))
        .collect()
}

/// Reports what prune dropped and spared: a key dropped though it stopped signing
/// within a token lifetime (`--ignore-token-lifetime`) gets a warning, as does each
/// spared key (with when it can go).
fn report_pruned(
    ui: &Ui,
    pruned: &keyring::Pruned,
    jwks_path: &Path,
    lifetime: i64,
    retired: &[(String, i64)],
) {
    let now = time::now();
    for d in &pruned.dropped {
        report_dropped(ui, d, jwks_path);
        if let Some((_, t)) = retired.iter().find(|(k, _)| *k == d.kid) {
            if now - t < keyring::token_lifetime_guard(lifetime) {
                ui.warn(format!(
                    "{} stopped signing {} ago; tokens it signed may live up to {} (the token lifetime): AgentOS answers 401 to them once it reloads {}",
                    d.kid,
                    time::format_duration(now - t),
                    time::format_duration(lifetime),
                    jwks_path.display()
                ));
            }
        }
    }
    for (kid, t) in &pruned.spared {
        ui.warn(format!(
            "kept {kid}: it stopped signing {} ago, and tokens it signed may live up to {} (the token lifetime); prune it after {}, or pass --ignore-token-lifetime",
            time::format_duration(now - t),
            time::format_duration(lifetime),
            time::rfc3339(t + keyring::token_lifetime_guard(lifetime))
        ));
    }
}
