//! A key directory that records which key signs now, plus the public JWKS file that
//! AgentOS reads. Private keys stay in the directory (0600); `keyring.json` beside them
//! names the signing key, so copying the directory and the JWKS elsewhere keeps the
//! choice, and the JWKS never needs (or gets) anything private.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::fsio::{self, FileLock, Overwrite, PRIVATE_MODE, PUBLIC_MODE};
use crate::jwk::{self, Jwks};
use crate::keys::{Alg, Key, ParseOptions};

pub const KEYRING_FILE: &str = "keyring.json";

/// One key of the ring. Paths are relative to the key directory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub kid: String,
    pub alg: Alg,
    /// Unix seconds; orders keys for `--keep N` and pruning.
    pub created: i64,
    pub private_key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_key: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Keyring {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signing_kid: Option<String>,
    #[serde(default)]
    pub keys: Vec<Entry>,
}

impl Keyring {
    pub fn path(dir: &Path) -> PathBuf {
        dir.join(KEYRING_FILE)
    }

    /// Loads `dir/keyring.json`; a missing file is an empty ring.
    pub fn load(dir: &Path) -> Result<Keyring> {
        let path = Self::path(dir);
        if !path.exists() {
            return Ok(Keyring::default());
        }
        let bytes = fsio::read_file(&path)?;
        serde_json::from_slice(&bytes).map_err(|e| {
            Error::input(format!("{}: not a valid keyring file: {e}", path.display()))
                .hint("restore it from a backup, or move it aside and re-add keys")
        })
    }

    pub fn save(&self, dir: &Path) -> Result<()> {
        let mut json = serde_json::to_string_pretty(self)
            .map_err(|e| Error::input(format!("cannot encode keyring: {e}")))?;
        json.push('\n');
        fsio::write_atomic(
            &Self::path(dir),
            json.as_bytes(),
            PUBLIC_MODE,
            Overwrite::Replace,
        )
    }

    pub fn find(&self, kid: &str) -> Option<&Entry> {
        self.keys.iter().find(|e| e.kid == kid)
    }

    pub fn signing(&self) -> Option<&Entry> {
        self.signing_kid.as_deref().and_then(|k| self.find(k))
    }

    /// The signing key, loaded, with its kid; a clear error when there is none.
    pub fn load_signing_key(&self, dir: &Path) -> Result<(Key, Entry)> {
        let entry = self.signing().cloned().ok_or_else(|| {
            Error::input(format!("no signing key in {}", dir.display()))
                .hint("create one with: agentos-auth keygen (or jwks rotate), or pass --key FILE")
        })?;
        let key = entry.load(dir)?;
        Ok((key, entry))
    }
}

impl Entry {
    pub fn private_path(&self, dir: &Path) -> PathBuf {
        dir.join(&self.private_key)
    }

    pub fn load(&self, dir: &Path) -> Result<Key> {
        let path = self.private_path(dir);
        if let Some(w) = fsio::loose_permissions_warning(&path) {
            eprintln!("{w}");
        }
        let bytes = Zeroizing::new(fsio::read_file(&path)?);
        let source = path.display().to_string();
        Key::parse(
            &bytes,
            &ParseOptions {
                source: &source,
                alg: Some(self.alg),
            },
        )
    }
}

/// File stem for a kid: the kid itself when it is file-name safe, else its hex.
pub fn file_stem(kid: &str) -> String {
    let safe = !kid.is_empty()
        && kid.len() <= 128
        && !kid.starts_with('.')
        && kid
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if safe {
        kid.to_string()
    } else if kid.len() <= 100 {
        kid.bytes().map(|b| format!("{b:02x}")).collect()
    } else {
        // Hex of a long kid would pass the 255-byte file name limit: use its SHA-256.
        let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, kid.as_bytes());
        let hex: String = digest.as_ref().iter().map(|b| format!("{b:02x}")).collect();
        format!("kid-sha256-{hex}")
    }
}

/// Reads a JWKS file; a missing file is an empty set.
pub fn load_jwks(path: &Path) -> Result<Jwks> {
    if !path.exists() {
        return Ok(Jwks::default());
    }
    let bytes = fsio::read_file(path)?;
    jwk::parse_jwks(&bytes, &path.display().to_string())
}

/// Writes a JWKS file atomically, refusing any private member: this file goes to AgentOS.
pub fn save_jwks(path: &Path, jwks: &Jwks) -> Result<()> {
    check_publishable(path, jwks)?;
    fsio::write_atomic(
        path,
        jwks.to_json_pretty().as_bytes(),
        PUBLIC_MODE,
        Overwrite::Replace,
    )
}

/// Refuses a JWKS with private members: it is about to be written to `path` for AgentOS.
fn check_publishable(path: &Path, jwks: &Jwks) -> Result<()> {
    match jwks
        .keys
        .iter()
        .enumerate()
        .find(|(_, k)| k.has_private_members())
    {
        Some((i, k)) => Err(Error::input(format!(
            "refusing to write {}: key #{} ({}) has private members",
            path.display(),
            i + 1,
            k.kid.as_deref().unwrap_or("no kid")
        ))
        .hint("a JWKS for AgentOS holds public keys only; remove them from the file")),
        None => Ok(()),
    }
}

/// What `install` wrote.
#[derive(Debug, Clone)]
pub struct Installed {
    pub entry: Entry,
    pub private_path: PathBuf,
    pub public_path: Option<PathBuf>,
}

/// Adds a new key to the ring in `dir`: writes its private file (0600, never over an
/// existing one unless `force`), its public PEM, records it (as the signing key when
/// `make_signing`), and publishes its public JWK in `jwks_path` (RSA/EC only: an HS256
/// secret has no public form). Holds the keyring lock, then the JWKS lock, throughout.
pub fn install(
    dir: &Path,
    jwks_path: &Path,
    key: &Key,
    kid: &str,
    make_signing: bool,
    force: bool,
    now: i64,
) -> Result<Installed> {
    fsio::create_private_dir(dir)?;
    let _ring_lock = FileLock::exclusive(&Keyring::path(dir))?;
    let _jwks_lock = FileLock::exclusive(jwks_path)?;
    let mut ring = Keyring::load(dir)?;
    let mut jwks = load_jwks(jwks_path)?;
    if key.alg() != Alg::HS256 {
        // Refuse before the first write: a failure later would orphan the new key files.
        check_publishable(jwks_path, &jwks)?;
    }

    let overwrite = if force {
        Overwrite::Replace
    } else {
        Overwrite::Never
    };
    if !force && ring.find(kid).is_some() {
        return Err(
            Error::io(format!("key {kid} is already in {}", dir.display()))
                .hint("pass --force to replace it, or choose another --kid"),
        );
    }

    let stem = file_stem(kid);
    let (private_name, private_bytes) = match key.private_key_pem() {
        Some(pem) => (
            format!("{stem}.key.pem"),
            Zeroizing::new(pem.as_bytes().to_vec()),
        ),
        None => match key.secret() {
            Some(s) => (
                format!("{stem}.secret"),
                Zeroizing::new(s.as_bytes().to_vec()),
            ),
            None => {
                return Err(Error::input(format!("{kid} is a public key"))
                    .hint("a key ring holds private keys; use jwks add for public ones"))
            }
        },
    };
    let private_path = dir.join(&private_name);
    fsio::write_atomic(&private_path, &private_bytes, PRIVATE_MODE, overwrite)?;

    let (public_name, public_path) = if key.alg() == Alg::HS256 {
        (None, None)
    } else {
        let name = format!("{stem}.pub.pem");
        let path = dir.join(&name);
        fsio::write_atomic(
            &path,
            key.public_key_pem()?.as_bytes(),
            PUBLIC_MODE,
            Overwrite::Replace,
        )?;
        (Some(name), Some(path))
    };

    let entry = Entry {
        kid: kid.to_string(),
        alg: key.alg(),
        created: now,
        private_key: private_name,
        public_key: public_name,
    };
    ring.keys.retain(|e| e.kid != kid);
    ring.keys.push(entry.clone());
    if make_signing {
        ring.signing_kid = Some(kid.to_string());
    }

    if key.alg() != Alg::HS256 {
        let jwk = key.public_jwk(Some(kid))?;
        match jwks.keys.iter_mut().find(|k| k.kid.as_deref() == Some(kid)) {
            Some(existing) => *existing = jwk,
            None => jwks.keys.push(jwk),
        }
        save_jwks(jwks_path, &jwks)?;
    }
    ring.save(dir)?;
    Ok(Installed {
        entry,
        private_path,
        public_path,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_stem_keeps_safe_kids_and_hexes_others() {
        assert_eq!(file_stem("key-2026_01.a"), "key-2026_01.a");
        assert_eq!(file_stem("a/b"), "612f62");
        assert_eq!(file_stem("..x"), "2e2e78");
        // Any kid fits a file name (255 bytes with ".key.pem" and temp-file affixes).
        for long in ["a".repeat(129), "é".repeat(300), "k".repeat(100_000)] {
            let stem = file_stem(&long);
            assert!(stem.len() <= 200, "{}", stem.len());
        }
    }

    #[test]
    fn install_writes_private_0600_and_public_jwks() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let keys = dir.path().join("keys");
        let jwks_path = dir.path().join("jwks.json");
        let key = Key::generate(Alg::ES256, 2048).unwrap();
        let kid = key.thumbprint();
        let inst = install(&keys, &jwks_path, &key, &kid, true, false, 1).unwrap();
        let mode = std::fs::metadata(&inst.private_path)
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        let ring = Keyring::load(&keys).unwrap();
        assert_eq!(ring.signing_kid.as_deref(), Some(kid.as_str()));
        let jwks = load_jwks(&jwks_path).unwrap();
        assert_eq!(jwks.keys.len(), 1);
        assert!(!jwks.keys[0].has_private_members());
        let err = install(&keys, &jwks_path, &key, &kid, true, false, 2).unwrap_err();
        assert!(err.to_string().contains("already"), "{err}");
        let (loaded, _) = ring.load_signing_key(&keys).unwrap();
        assert_eq!(loaded.thumbprint(), kid);
    }
}
