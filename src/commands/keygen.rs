//! `agentos-auth keygen`: a new key pair or HS256 secret, into the key store (where it
//! becomes the signing key) or into `--out-dir`.

use std::path::{Path, PathBuf};

use serde_json::json;

use super::progress::Progress;
use super::{prompt, Ui};
use crate::claims;
use crate::cli::{GlobalArgs, KeygenArgs};
use crate::error::{Error, Result};
use crate::fsio::{self, Overwrite, PRIVATE_MODE, PUBLIC_MODE};
use crate::keyring;
use crate::keys::{Alg, Key};
use crate::store::Store;

pub fn run(g: &GlobalArgs, a: &KeygenArgs) -> Result<()> {
    let ui = Ui::new(g);
    if let Some(kid) = &a.kid {
        keyring::check_kid(kid)?;
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
    let key = Key::generate(alg, a.bits)?;
    drop(spinner);
    let kid = a.kid.clone().unwrap_or_else(|| key.thumbprint());

    let (private_path, public_path, jwks_path) = match &a.out_dir {
        Some(dir) => {
            let (private, public) = write_to_dir(dir, &a.name, &key, force)?;
            (private, public, None)
        }
        None => {
            let store = Store::locate(g.home.as_deref())?;
            // Settings are read and checked before anything is written, so that a bad
            // settings file or --sub fails without leaving a half-installed key.
            let settings = if a.aud.is_some() || a.sub.is_some() {
                let mut settings = store.settings()?;
                if let Some(aud) = &a.aud {
                    settings.aud = Some(aud.clone());
                }
                if let Some(sub) = &a.sub {
                    crate::agentos::check_subject(crate::agentos::LATEST, sub)?;
                    settings.sub = Some(sub.clone());
                }
                Some(settings)
            } else {
                None
            };
            store.create()?;
            let inst = keyring::install(
                &store.key_dir(),
                &store.jwks_path(),
                &key,
                &kid,
                true,
                force,
                claims::now(),
            )?;
            if let Some(settings) = &settings {
                store.save_settings(settings)?;
            }
            let jwks = (alg != Alg::HS256).then(|| store.jwks_path());
            (inst.private_path, inst.public_path, jwks)
        }
    };

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
    } else {
        "private key"
    };
    ui.note(format!(
        "wrote {what} {} (mode 0600)",
        private_path.display()
    ));
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
    let (private_path, private_bytes) = match key.private_key_pem() {
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
            "AgentOS: eval \"$(agentos-auth export{key_flag} --alg HS256 --format env --include-secret)\" sets JWT_VERIFICATION_KEY; also pass AgentOS(authorization=Authorization(algorithm=\"HS256\")) in code, Authorization from agno.os.authz (no env var sets the algorithm)"
        ),
    }
}
