//! `agentos-auth keygen`: a new key pair or HS256 secret, into the key store (where it
//! becomes the signing key) or into `--out-dir`.

use std::path::{Path, PathBuf};

use serde_json::json;

use super::progress::Progress;
use super::{prompt, Ui};
use crate::cli::{GlobalArgs, KeygenArgs};
use crate::error::{Error, Result};
use crate::fsio::{self, Overwrite, PRIVATE_MODE, PUBLIC_MODE};
use crate::keyring;
use crate::keys::{Alg, Key};
use crate::store::Store;
use crate::time;

pub fn run(g: &GlobalArgs, a: &KeygenArgs) -> Result<()> {
    let ui = Ui::new(g);
    if let Some(kid) = &a.kid {
        keyring::check_kid(kid)?;
    }
    // `--out-dir 'pkcs11:token=...'` would create a directory named after the URI and
    // write a plain key file there: the user meant a key inside the token. The URI is
    // not echoed: it may carry a pin-value.
    if a.out_dir
        .as_deref()
        .is_some_and(|d| crate::keys::pkcs11::is_uri(&d.to_string_lossy()))
    {
        return Err(Error::input(
            "--out-dir takes a directory, and this is a PKCS#11 URI: no key was written",
        )
        .hint("to create the key pair inside the token, pass the URI as --token instead"));
    }
    if a.out_dir.is_some() && (a.aud.is_some() || a.sub.is_some()) {
        return Err(Error::input(
            "--aud and --sub set key store defaults; they do nothing with --out-dir",
        )
        .hint("drop them, or pass --aud to mint"));
    }
    // Asked only after the checks above, so no answer is wasted on a refused command.
    let alg = match a.alg {
        Some(alg) => alg,
        None => prompt::ask_alg(g)?.unwrap_or(Alg::RS256),
    };
    if alg == Alg::HS256 && a.encrypt {
        return Err(Error::input(
            "--encrypt applies to RS256/ES256 private keys; an HS256 secret file stays plain text (AgentOS needs the secret itself)",
        )
        .hint("drop --encrypt, and keep the .secret file at mode 0600"));
    }
    if let (Some(uri), Alg::HS256) = (&a.token, alg) {
        // The token refuses it with the reason; the URI is checked first.
        return crate::keys::pkcs11::generate(uri, alg, a.bits, "").map(|_| ());
    }
    let password = if a.encrypt {
        Some(prompt::new_password(g)?)
    } else {
        None
    };
    // At a terminal, existing files are replaced after a yes; elsewhere only with --force.
    let force = a.force
        || (prompt::interactive(g) && prompt::confirm_replace(g, &existing_targets(g, a, alg))?);
    let spinner = (alg == Alg::RS256 && a.bits >= 4096)
        .then(|| Progress::spinner(g, format!("generating an RSA {}-bit key", a.bits)));
    if spinner.as_ref().is_some_and(|s| !s.is_visible()) {
        ui.note(format!(
            "generating an RSA {}-bit key (this can take a few seconds)...",
            a.bits
        ));
    }
    let key = match &a.token {
        Some(uri) => {
            let label = a
                .kid
                .clone()
                .unwrap_or_else(|| format!("agentos-auth-{}", time::now()));
            crate::keys::pkcs11::generate(uri, alg, a.bits, &label)?
        }
        None => Key::generate(alg, a.bits)?,
    };
    let key = match password {
        Some(pw) => key.encrypted_when_written(pw),
        None => key,
    };
    drop(spinner);
    let kid = a.kid.clone().unwrap_or_else(|| key.thumbprint());
    // A failure below leaves no directory it created.
    let new_dirs = match &a.out_dir {
        Some(dir) => fsio::NewDirs::watch(&[dir]),
        None => {
            let store = Store::locate(g.home.as_deref())?;
            fsio::NewDirs::watch(&[&store.root, &store.key_dir()])
        }
    };

    let (private_path, public_path, jwks_path) = match &a.out_dir {
        Some(dir) => {
            let (private, public) = write_to_dir(dir, &a.name, &key, force)?;
            (private, public, None)
        }
        None => {
            let store = Store::locate(g.home.as_deref())?;
            // Settings are read and checked before anything is written, so that a bad
            // settings file or --sub fails without leaving a half-installed key. The
            // algorithm the wiring hint below tells AgentOS to use is remembered, so
            // that verify and doctor check that one without --alg.
            let mut settings = store.settings()?;
            settings.alg = Some(alg);
            if let Some(aud) = &a.aud {
                settings.aud = Some(aud.clone());
            }
            if let Some(sub) = &a.sub {
                crate::agentos::check_subject(crate::agentos::LATEST, sub)?;
                settings.sub = Some(sub.clone());
            }
            if !force {
                check_no_signing_key(&store, a.kid.as_deref(), g)?;
            }
            store.create()?;
            let inst = keyring::install(
                &store.key_dir(),
                &store.jwks_path(),
                &key,
                &kid,
                true,
                force,
                time::now(),
            )?;
            store.save_settings(&settings)?;
            let jwks = (alg != Alg::HS256).then(|| store.jwks_path());
            (inst.private_path, inst.public_path, jwks)
        }
    };

    new_dirs.keep();
    if a.json {
        let out = json!({
            "alg": alg.as_str(),
            "kid": kid,
            "private_key": private_path.display().to_string(),
            "public_key": public_path.as_ref().map(|p| p.display().to_string()),
        });
        super::print_line(&out)?;
    }
    let what = if alg == Alg::HS256 {
        "secret"
    } else if a.encrypt {
        "encrypted private key"
    } else {
        "private key"
    };
    match key.token_uri() {
        Some(uri) => ui.note(format!(
            "created the key pair in the token (private key: sensitive, not extractable): {uri}"
        )),
        None => ui.note(format!(
            "wrote {what} {} (mode 0600)",
            private_path.display()
        )),
    }
    if let Some(p) = &public_path {
        ui.note(format!("wrote public key {}", p.display()));
    }
    if let Some(j) = &jwks_path {
        ui.note(format!("published kid {kid} in {}", j.display()));
    }
    if a.out_dir.is_none() {
        ui.note(format!(
            "{kid} ({alg}) is now the signing key for agentos-auth mint"
        ));
    }
    ui.note(wiring_hint(
        alg,
        a.out_dir.as_deref().map(|_| private_path.as_path()),
        jwks_path.as_deref(),
    ));
    Ok(())
}

/// A second `keygen` into the store would switch the signing key without a word, and
/// every server holding the old public key would answer 401 to the new tokens. So it
/// is refused (asked at a terminal) unless `--force`; `jwks rotate` is the way to a new
/// key that keeps the old one published.
fn check_no_signing_key(store: &Store, kid: Option<&str>, g: &GlobalArgs) -> Result<()> {
    let ring = keyring::Keyring::load(&store.key_dir())?;
    let Some(current) = ring.signing() else {
        return Ok(());
    };
    if kid.is_some_and(|k| ring.find(k).is_some()) {
        // install refuses a kid that is taken, with its own message.
        return Ok(());
    }
    let question = format!(
        "The key store already has a signing key, {} ({}). Make the new key the signing key? Servers holding only {}'s key then answer 401 to new tokens",
        current.kid, current.alg, current.kid
    );
    if prompt::confirm(g, &question)? {
        return Ok(());
    }
    let fix = if current.alg == Alg::HS256 {
        // An HS256 secret is never in a JWKS: rotation there means a new key pair.
        "to move to a key pair that is published beside the old key use agentos-auth jwks rotate --alg RS256; to replace the secret anyway pass --force (AgentOS then needs the new one)".to_string()
    } else {
        format!(
            "for a new key use agentos-auth jwks rotate, which keeps {} published in jwks.json; to replace the signing key anyway pass --force; for separate files use --out-dir DIR",
            current.kid
        )
    };
    Err(Error::io(format!(
        "the key store {} already has a signing key, {} ({}): a new one would make servers holding {} answer 401 to every new token",
        store.root.display(),
        current.kid,
        current.alg,
        current.kid
    ))
    .hint(fix))
}

/// What this run would replace: key files in --out-dir, or a --kid already in the store.
fn existing_targets(g: &GlobalArgs, a: &KeygenArgs, alg: Alg) -> Vec<String> {
    match (&a.out_dir, &a.kid) {
        (Some(dir), _) => {
            let names: &[&str] = if alg == Alg::HS256 {
                &["secret"]
            } else {
                &["key.pem", "pub.pem"]
            };
            names
                .iter()
                .map(|ext| dir.join(format!("{}.{ext}", a.name)))
                .filter(|p| p.exists())
                .map(|p| p.display().to_string())
                .collect()
        }
        (None, Some(kid)) => Store::locate(g.home.as_deref())
            .ok()
            .and_then(|s| keyring::Keyring::load(&s.key_dir()).ok())
            .filter(|ring| ring.find(kid).is_some())
            .map(|_| vec![format!("key {kid} in the key store")])
            .unwrap_or_default(),
        (None, None) => Vec::new(),
    }
}

/// Writes NAME.key.pem + NAME.pub.pem (or NAME.secret) into `dir`. Every target is
/// checked before the first write, so a refusal leaves nothing half-done.
fn write_to_dir(
    dir: &Path,
    name: &str,
    key: &Key,
    force: bool,
) -> Result<(PathBuf, Option<PathBuf>)> {
    if name.is_empty() || name.contains('/') {
        return Err(
            Error::input(format!("invalid --name {name:?}")).hint("use a plain file name stem")
        );
    }
    fsio::create_private_dir(dir)?;
    let (private_path, private_bytes) = match key.private_key_file()? {
        Some(pem) => (
            dir.join(format!("{name}.key.pem")),
            zeroize::Zeroizing::new(pem.as_bytes().to_vec()),
        ),
        None => {
            let secret = key.secret().unwrap_or_default();
            (
                dir.join(format!("{name}.secret")),
                zeroize::Zeroizing::new(secret.as_bytes().to_vec()),
            )
        }
    };
    let public = if key.alg() == Alg::HS256 {
        None
    } else {
        Some((dir.join(format!("{name}.pub.pem")), key.public_key_pem()?))
    };
    let overwrite = if force {
        Overwrite::Replace
    } else {
        Overwrite::Never
    };
    for p in std::iter::once(&private_path).chain(public.as_ref().map(|(p, _)| p)) {
        if p.is_dir() {
            return Err(
                Error::io(format!("cannot write {}: is a directory", p.display()))
                    .hint("choose another --name or --out-dir"),
            );
        }
        if !force && p.exists() {
            return Err(Error::io(format!("{} already exists", p.display()))
                .hint("pass --force to replace it, or choose another --name or --out-dir"));
        }
    }
    fsio::write_atomic(&private_path, &private_bytes, PRIVATE_MODE, overwrite)?;
    let public_path = match public {
        Some((path, pem)) => {
            fsio::write_atomic(&path, pem.as_bytes(), PUBLIC_MODE, overwrite)?;
            Some(path)
        }
        None => None,
    };
    Ok((private_path, public_path))
}

/// One or two lines on how AgentOS gets this key.
fn wiring_hint(alg: Alg, key_file: Option<&Path>, jwks: Option<&Path>) -> String {
    let key_flag = key_file
        .map(|p| format!(" --key {}", p.display()))
        .unwrap_or_default();
    match alg {
        Alg::RS256 => {
            let mut s = format!(
                "AgentOS: eval \"$(agentos-auth export{key_flag} --format env)\" sets JWT_VERIFICATION_KEY (RS256 is AgentOS's default algorithm)"
            );
            if let Some(j) = jwks {
                s.push_str(&format!(", or set JWT_JWKS_FILE={}", j.display()));
            }
            s
        }
        Alg::ES256 => format!(
            "AgentOS: eval \"$(agentos-auth export{key_flag} --format env)\" sets JWT_VERIFICATION_KEY{}; also pass AgentOS(authorization=Authorization(algorithm=\"ES256\")) in code, Authorization from agno.os.authz (no env var sets the algorithm)",
            jwks.map(|j| format!(" (or JWT_JWKS_FILE={})", j.display())).unwrap_or_default()
        ),
        Alg::HS256 => format!(
            "AgentOS: eval \"$(agentos-auth export{key_flag} --format env --include-secret)\" sets JWT_VERIFICATION_KEY; also pass AgentOS(authorization=Authorization(algorithm=\"HS256\")) in code, Authorization from agno.os.authz (no env var sets the algorithm)"
        ),
    }
}
