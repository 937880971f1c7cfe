//! A key directory that records which key signs now, plus the public JWKS file that
//! AgentOS reads. Private keys stay in the directory (0600); `keyring.json` beside them
//! names the signing key, so copying the directory and the JWKS elsewhere keeps the
//! choice, and the JWKS never needs (or gets) anything private.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::fsio::{self, FileLock, Overwrite, PRIVATE_MODE, PUBLIC_MODE};
use crate::jwk_set::{self, Jwks};
use crate::keys::{Alg, Jwk, Key, ParseOptions};
use crate::notice;

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
    /// Unix seconds when it stopped being the signing key: `prune --older-than`
    /// counts from here, since tokens it signed live on after that.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retired: Option<i64>,
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
        fsio::check_trusted_dir(dir)?;
        fsio::check_trusted_file(&path)?;
        let bytes = fsio::read_file(&path)?;
        let ring: Keyring = serde_json::from_slice(&bytes).map_err(|e| {
            Error::input(format!("{}: not a valid keyring file: {e}", path.display()))
                .hint("restore it from a backup, or move it aside and re-add keys")
        })?;
        for e in &ring.keys {
            for (member, name) in std::iter::once(("private_key", &e.private_key))
                .chain(e.public_key.as_ref().map(|p| ("public_key", p)))
            {
                // A key kept in a PKCS#11 token is recorded by its URI (the store's
                // owner and mode checks above guard the module path it names).
                let token_uri = member == "private_key" && e.in_token();
                if !token_uri && !is_plain_file_name(name) {
                    return Err(Error::input(format!(
                        "{}: key {}: {member} {name:?} is not a file name inside the key directory",
                        path.display(),
                        e.kid
                    ))
                    .hint("keyring.json names files relative to its own directory (e.g. KID.key.pem); an absolute path or .. is refused, so fix or restore the file"));
                }
            }
        }
        Ok(ring)
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

    /// The key ring of the key store at `root` (keys in `dir`), which must name a signing
    /// key; else an error whose hint, `how`, says how to get one.
    pub fn load_for_signing(dir: &Path, root: &Path, how: &str) -> Result<Keyring> {
        let ring = Keyring::load(dir)?;
        if ring.signing().is_none() {
            return Err(Error::input(format!(
                "no signing key in the key store {}",
                root.display()
            ))
            .hint(how));
        }
        Ok(ring)
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
    /// The private key file, or the token URI as it is for a key in a token.
    pub fn private_path(&self, dir: &Path) -> PathBuf {
        if self.in_token() {
            return PathBuf::from(&self.private_key);
        }
        dir.join(&self.private_key)
    }

    /// True when the private key lives in a PKCS#11 token (`private_key` is its URI).
    pub fn in_token(&self) -> bool {
        crate::keys::pkcs11::is_uri(&self.private_key)
    }

    pub fn load(&self, dir: &Path) -> Result<Key> {
        if self.in_token() {
            return crate::keys::read_key(Path::new(&self.private_key), Some(self.alg));
        }
        let path = self.private_path(dir);
        fsio::check_trusted_file(&path)?;
        if let Some(w) = fsio::loose_permissions_warning(&path) {
            notice::warn(w);
        }
        let bytes = fsio::read_file(&path)?;
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

/// A name the ring may use for a key file: one plain component inside the key
/// directory (no `/`, not `.` or `..`, not empty). Anything else could point outside
/// it, at a file the ring must never read or move.
fn is_plain_file_name(name: &str) -> bool {
    let mut parts = Path::new(name).components();
    matches!(
        (parts.next(), parts.next()),
        (Some(std::path::Component::Normal(n)), None) if n == std::ffi::OsStr::new(name)
    ) && !name.contains('\0')
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

/// A kid must be non-empty printable text (it goes into token headers and file names).
pub fn check_kid(kid: &str) -> Result<()> {
    if kid.is_empty() || kid.chars().any(char::is_control) {
        return Err(Error::input(format!("invalid kid {kid:?}"))
            .hint("use printable characters, e.g. --kid key-2026-01"));
    }
    Ok(())
}

/// Reads a JWKS file; a missing file is an empty set.
pub fn load_jwks(path: &Path) -> Result<Jwks> {
    if !path.exists() {
        return Ok(Jwks::default());
    }
    let bytes = fsio::read_file(path)?;
    jwk_set::parse_jwks(&bytes, &path.display().to_string())
}

/// Writes a JWKS file atomically, refusing any private member: this file goes to AgentOS.
/// A JWKS this tool could not read back (over [`fsio::MAX_INPUT_BYTES`]) is refused
/// before anything is written: every later command, `remove` included, would fail on it.
pub fn save_jwks(path: &Path, jwks: &Jwks) -> Result<()> {
    check_publishable(path, jwks)?;
    let json = jwks.to_json_pretty();
    check_readable_size(path, json.len())?;
    fsio::write_atomic(path, json.as_bytes(), PUBLIC_MODE, Overwrite::Replace)
}

fn check_readable_size(path: &Path, len: usize) -> Result<()> {
    if len as u64 > fsio::MAX_INPUT_BYTES {
        return Err(Error::input(format!(
            "refusing to write {}: it would be {} MiB, more than the {} MiB agentos-auth reads back",
            path.display(),
            len.div_ceil(1 << 20),
            fsio::MAX_INPUT_BYTES >> 20
        ))
        .hint("remove or prune old keys first (agentos-auth jwks prune --older-than DUR), or publish into another JWKS file"));
    }
    Ok(())
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
        .hint("a JWKS for AgentOS holds public keys only; remove that key (agentos-auth jwks remove --kid KID) and add its public part")),
        None => Ok(()),
    }
}

/// What `install` wrote.
#[derive(Debug, Clone)]
pub struct Installed {
    pub entry: Entry,
    pub private_path: PathBuf,
    pub public_path: Option<PathBuf>,
    /// The kid that signed before, when this key took over signing.
    pub previous_signing: Option<String>,
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
    let mut session = Session::open(Some(dir), jwks_path, Open::CreateDir)?;
    let installed = session.install(key, kid, make_signing, force, now)?;
    session.commit()?;
    Ok(installed)
}

/// How [`Session::open`] treats the key directory and the JWKS file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Open<'a> {
    /// Create the key directory (0700) when missing; a missing JWKS is an empty set.
    CreateDir,
    /// A missing key directory is an empty ring; a missing JWKS is an empty set.
    Existing,
    /// As `Existing`, and the JWKS must exist.
    JwksMustExist,
    /// For removing `kid`: a missing JWKS is an empty set, and keys with this kid may be
    /// unparsable (so a broken key can be removed); any other broken key is an error.
    Removing(&'a str),
}

/// A key ring (optional) and a JWKS file, locked for read-modify-write: the keyring
/// lock first, then the JWKS lock (every writer takes them in this order, so two
/// runs never deadlock and never lose each other's keys). Changes are written by
/// [`Session::commit`].
pub struct Session {
    dir: Option<PathBuf>,
    jwks_path: PathBuf,
    pub ring: Keyring,
    pub jwks: Jwks,
    /// The JWK of the key the ring on disk signs with, as loaded.
    signing_jwk_on_disk: Option<Jwk>,
    ring_dirty: bool,
    jwks_dirty: bool,
    /// Key files of dropped keys (from, to), moved aside after the keyring no longer
    /// names them.
    moves: Vec<(PathBuf, PathBuf)>,
    /// Unparsable JWKS entries of the kid being removed, dropped at open.
    broken_dropped: usize,
    /// Key files this session wrote: removed again when it fails before the keyring
    /// that names them is saved (no orphan private keys).
    written: Vec<PathBuf>,
    _ring_lock: Option<FileLock>,
    _jwks_lock: FileLock,
}

/// What [`Session::add_public`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Added {
    Added {
        kid: String,
    },
    /// The same key material is already published, under this kid (or none).
    AlreadyPresent {
        kid: Option<String>,
    },
}

/// A key taken out of the ring and/or the JWKS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dropped {
    pub kid: String,
    pub alg: Option<Alg>,
    pub was_signing: bool,
    pub from_jwks: bool,
    pub from_ring: bool,
    /// (old path, new path) of each key file moved into `removed/`.
    pub moved: Vec<(PathBuf, PathBuf)>,
}

/// Which keys `prune` drops. Both rules given: a key goes only when both say so.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Prune {
    /// Keep the N newest keys of the ring (the signing key, and keys staged after it,
    /// are always kept and count).
    pub keep: Option<usize>,
    /// Drop keys that stopped signing (or, never having signed, were created) more
    /// than this many seconds ago.
    pub older_than: Option<i64>,
    /// Spare keys that stopped signing less than this many seconds ago (the tokens
    /// they signed may still be live; see [`token_lifetime_guard`]). `None`: spare none.
    pub spare_retired_within: Option<i64>,
}

/// What [`Session::prune`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pruned {
    pub dropped: Vec<Dropped>,
    /// Keys the rules would drop but that stopped signing too recently (kid, retired).
    pub spared: Vec<(String, i64)>,
}

/// How long after a key stops signing its tokens may still be live: the token lifetime
/// `mint` uses by default, plus AgentOS's 10 s leeway on `exp`.
pub fn token_lifetime_guard(lifetime: i64) -> i64 {
    lifetime.max(0) + 10
}

/// The file beside a JWKS that names the key directories publishing into it, so that
/// `jwks remove --jwks FILE` (without `--key-dir`) still finds which key mints sign
/// with. A path list, public like the JWKS; AgentOS never reads it.
pub fn rings_file(jwks_path: &Path) -> PathBuf {
    let mut name = jwks_path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| "jwks".into());
    name.push(".keyrings");
    jwks_path.with_file_name(name)
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct RingsFile {
    #[serde(default)]
    key_dirs: Vec<PathBuf>,
}

fn load_rings_file(jwks_path: &Path) -> Result<RingsFile> {
    let path = rings_file(jwks_path);
    if !path.exists() {
        return Ok(RingsFile::default());
    }
    let bytes = fsio::read_file(&path)?;
    serde_json::from_slice(&bytes).map_err(|e| {
        Error::input(format!("{}: not a valid key ring list: {e}", path.display()))
            .hint("it names the key directories that publish into the JWKS beside it; fix it or delete it (the next rotate writes it again)")
    })
}

/// Directory (inside the key directory) where dropped keys' files are moved.
pub const REMOVED_DIR: &str = "removed";

impl Session {
    pub fn open(dir: Option<&Path>, jwks_path: &Path, how: Open) -> Result<Session> {
        // Checked before locking too, so that a refusal leaves no lock file behind.
        if how == Open::JwksMustExist && !jwks_path.exists() {
            return Err(missing_jwks(jwks_path));
        }
        let ring_lock = match dir {
            Some(d) => {
                if how == Open::CreateDir {
                    fsio::create_private_dir(d)?;
                }
                if d.is_dir() {
                    Some(FileLock::exclusive(&Keyring::path(d))?)
                } else {
                    None
                }
            }
            None => None,
        };
        let jwks_lock = FileLock::exclusive(jwks_path)?;
        let ring = match dir {
            Some(d) => Keyring::load(d)?,
            None => Keyring::default(),
        };
        if how == Open::JwksMustExist && !jwks_path.exists() {
            return Err(missing_jwks(jwks_path));
        }
        let (jwks, broken_dropped) = match how {
            Open::Removing(kid) => load_jwks_without_broken(jwks_path, kid)?,
            _ => (load_jwks(jwks_path)?, 0),
        };
        if let (Some(d), Open::CreateDir) = (dir, how) {
            // Holding the ring lock: whatever no entry names was left by a run that died
            // (SIGKILL, full disk) between writing a key and the keyring.
            clear_leftovers(d, &ring)?;
        }
        let signing_jwk_on_disk = ring
            .signing_kid
            .as_deref()
            .and_then(|k| jwks.find(k))
            .cloned();
        Ok(Session {
            dir: dir.map(Path::to_path_buf),
            jwks_path: jwks_path.to_path_buf(),
            ring,
            jwks,
            signing_jwk_on_disk,
            ring_dirty: false,
            jwks_dirty: broken_dropped > 0,
            moves: Vec::new(),
            broken_dropped,
            written: Vec::new(),
            _ring_lock: ring_lock,
            _jwks_lock: jwks_lock,
        })
    }

    fn dir(&self) -> Result<&Path> {
        self.dir.as_deref().ok_or_else(|| {
            Error::input("this needs a key directory").hint("pass --key-dir DIR (with --jwks FILE)")
        })
    }

    fn jwks_name(&self) -> String {
        self.jwks_path.display().to_string()
    }

    /// Writes a new private key (and public PEM) into the ring, records it, and
    /// publishes its public JWK (RSA/EC). See [`install`].
    pub fn install(
        &mut self,
        key: &Key,
        kid: &str,
        make_signing: bool,
        force: bool,
        now: i64,
    ) -> Result<Installed> {
        let dir = self.dir()?.to_path_buf();
        if !force && self.ring.find(kid).is_some() {
            return Err(
                Error::io(format!("key {kid} is already in {}", dir.display()))
                    .hint("pass --force to replace it, or choose another --kid"),
            );
        }
        let public_jwk = match key.alg() {
            Alg::HS256 => None,
            _ => Some(key.public_jwk(Some(kid))?),
        };
        if let (Some(new), Some(old)) = (&public_jwk, self.jwks.find(kid)) {
            if !force && !same_material(old, new) {
                return Err(Error::input(format!(
                    "kid {kid} is already in {} with different key material",
                    self.jwks_name()
                ))
                .hint("choose another --kid, or pass --force to replace it"));
            }
        }
        if public_jwk.is_some() {
            // Refuse before the first write: failing at commit would orphan the key files.
            check_publishable(&self.jwks_path, &self.jwks)?;
        }
        let overwrite = if force {
            Overwrite::Replace
        } else {
            Overwrite::Never
        };
        let stem = file_stem(kid);
        // A key in a token is recorded by its URI; no private file is written.
        let (private_name, private_path) = match key.token_uri() {
            Some(uri) => (uri.to_string(), PathBuf::from(uri)),
            None => {
                let (name, bytes) = match key.private_key_file()? {
                    Some(pem) => (format!("{stem}.key.pem"), pem.as_bytes().to_vec()),
                    None => match key.secret() {
                        Some(s) => (format!("{stem}.secret"), s.as_bytes().to_vec()),
                        None => {
                            return Err(Error::input(format!("{kid} is a public key")).hint(
                                "a key ring holds private keys; use jwks add for public ones",
                            ))
                        }
                    },
                };
                let bytes = zeroize::Zeroizing::new(bytes);
                let path = dir.join(&name);
                if !force && std::fs::symlink_metadata(&path).is_ok() {
                    // Not in the ring (checked above), yet there: not ours to replace.
                    return Err(Error::io(format!(
                        "{} already exists and no key of the ring names it",
                        path.display()
                    ))
                    .hint("move it away, or choose another --kid"));
                }
                // Journal first: a run killed between the key files and the keyring leaves
                // files the next run can tell from anyone else's (see clear_leftovers).
                let mut pending = vec![name.clone()];
                if key.alg() != Alg::HS256 {
                    pending.push(format!("{stem}.pub.pem"));
                }
                write_pending(&dir, &pending)?;
                let replaces = std::fs::symlink_metadata(&path).is_ok();
                if let Err(e) = fsio::write_atomic(&path, &bytes, PRIVATE_MODE, overwrite) {
                    self.discard_written();
                    return Err(e);
                }
                if !replaces {
                    self.written.push(path.clone());
                }
                (name, path)
            }
        };

        let (public_name, public_path) = if key.alg() == Alg::HS256 {
            (None, None)
        } else {
            let name = format!("{stem}.pub.pem");
            let path = dir.join(&name);
            let replaces = std::fs::symlink_metadata(&path).is_ok();
            let written = key.public_key_pem().and_then(|pem| {
                fsio::write_atomic(&path, pem.as_bytes(), PUBLIC_MODE, Overwrite::Replace)
            });
            if let Err(e) = written {
                self.discard_written();
                return Err(e);
            }
            if !replaces {
                self.written.push(path.clone());
            }
            (Some(name), Some(path))
        };

        let entry = Entry {
            kid: kid.to_string(),
            alg: key.alg(),
            created: now,
            private_key: private_name,
            public_key: public_name,
            retired: None,
        };
        self.ring.keys.retain(|e| e.kid != kid);
        self.ring.keys.push(entry.clone());
        let mut previous_signing = None;
        if make_signing {
            previous_signing = self.set_signing(kid, now);
        }
        self.ring_dirty = true;

        if let Some(jwk) = public_jwk {
            match self
                .jwks
                .keys
                .iter_mut()
                .find(|k| k.kid.as_deref() == Some(kid))
            {
                Some(existing) => *existing = jwk,
                None => self.jwks.keys.push(jwk),
            }
            self.jwks_dirty = true;
        }
        Ok(Installed {
            entry,
            private_path,
            public_path,
            previous_signing,
        })
    }

    /// Makes `kid` the signing key; the one it replaces gets its `retired` time.
    /// Returns the previous signing kid when it changed.
    fn set_signing(&mut self, kid: &str, now: i64) -> Option<String> {
        let previous = self.ring.signing_kid.clone().filter(|p| p != kid);
        if let Some(p) = &previous {
            if let Some(e) = self.ring.keys.iter_mut().find(|e| &e.kid == p) {
                e.retired.get_or_insert(now);
            }
        }
        if let Some(e) = self.ring.keys.iter_mut().find(|e| e.kid == kid) {
            e.retired = None;
        }
        self.ring.signing_kid = Some(kid.to_string());
        self.ring_dirty = true;
        previous
    }

    /// Makes the ring's key `kid` the signing key (`jwks use`). An RSA/EC key must be
    /// published in the JWKS with the same material first: AgentOS would answer 401.
    pub fn use_key(&mut self, kid: &str, now: i64) -> Result<Option<String>> {
        let dir = self.dir()?.to_path_buf();
        let entry = self.ring.find(kid).cloned().ok_or_else(|| {
            Error::input(format!(
                "kid {kid} is not in the key ring {}",
                dir.display()
            ))
            .hint("see the kids with: agentos-auth jwks list")
        })?;
        if entry.alg != Alg::HS256 {
            let ours = entry.public_jwk(&dir)?;
            match self.jwks.find(kid) {
                Some(p) if same_material(p, &ours) => {}
                _ => {
                    return Err(Error::input(format!(
                        "{kid} is not published in {}: AgentOS would answer 401 to its tokens",
                        self.jwks_name()
                    ))
                    .hint(format!(
                        "publish it first: agentos-auth jwks add --jwks {} --key {}",
                        self.jwks_name(),
                        entry.private_path(&dir).display()
                    )))
                }
            }
        }
        Ok(self.set_signing(kid, now))
    }

    /// Publishes the public part of `key` under `kid`. The same material already
    /// published is a no-op; `kid` taken by other material is refused, as is (with an
    /// explicit kid) the same material under another kid. HS256 secrets are refused:
    /// they have no public form.
    pub fn add_public(&mut self, key: &Key, kid: &str, kid_given: bool) -> Result<Added> {
        if key.alg() == Alg::HS256 {
            return Err(hs256_not_in_jwks());
        }
        let jwk = key.public_jwk(Some(kid))?;
        if let Some(existing) = self.jwks.find(kid) {
            if same_material(existing, &jwk) {
                return Ok(Added::AlreadyPresent {
                    kid: Some(kid.to_string()),
                });
            }
            return Err(Error::input(format!(
                "kid {kid} is already in {} with different key material",
                self.jwks_name()
            ))
            .hint(format!(
                "choose another --kid, or remove the old key first: agentos-auth jwks remove --kid {kid}"
            )));
        }
        if let Some(existing) = self.jwks.keys.iter().find(|k| same_material(k, &jwk)) {
            let shown = existing.kid.as_deref().unwrap_or("(no kid)");
            if kid_given {
                return Err(Error::input(format!(
                    "this key is already in {} as kid {shown}",
                    self.jwks_name()
                ))
                .hint(format!(
                    "a second kid for the same key gains nothing; keep {shown}, or remove it first"
                )));
            }
            return Ok(Added::AlreadyPresent {
                kid: existing.kid.clone(),
            });
        }
        self.jwks.keys.push(jwk);
        self.jwks_dirty = true;
        Ok(Added::Added {
            kid: kid.to_string(),
        })
    }

    /// Takes `kid` out of the JWKS and the ring. The signing key only with `force`
    /// (then nothing signs until the next rotate). Its key files are moved into
    /// `<dir>/removed/`, never deleted.
    pub fn remove(&mut self, kid: &str, force: bool) -> Result<Dropped> {
        let in_jwks = self.jwks.find(kid).is_some() || self.broken_dropped > 0;
        let entry = self.ring.find(kid).cloned();
        if !in_jwks && entry.is_none() {
            let place = match &self.dir {
                Some(d) => format!("neither in {} nor in {}", self.jwks_name(), d.display()),
                None => format!("not in {}", self.jwks_name()),
            };
            return Err(Error::input(format!("kid {kid} is {place}"))
                .hint("see the kids with: agentos-auth jwks list"));
        }
        let was_signing = self.ring.signing_kid.as_deref() == Some(kid);
        if was_signing && !force {
            return Err(Error::input(format!(
                "{kid} is the signing key: agentos-auth mint signs with it now"
            ))
            .hint("rotate first (agentos-auth jwks rotate), then remove it; or pass --force (mint then has no key until the next rotate)"));
        }
        if !force {
            // Rings elsewhere that publish into this JWKS (recorded beside it).
            if let Some(other) = self.other_ring_signing_with(kid)? {
                return Err(Error::input(format!(
                    "{kid} is the signing key of the key ring {}: agentos-auth mint signs with it now",
                    other.display()
                ))
                .hint(format!(
                    "rotate that ring first (agentos-auth jwks rotate --jwks {} --key-dir {}), then remove it; or pass --force",
                    self.jwks_name(),
                    other.display()
                )));
            }
            let left = self
                .jwks
                .keys
                .iter()
                .filter(|k| k.kid.as_deref() != Some(kid))
                .count();
            if in_jwks && left == 0 {
                return Err(Error::input(format!(
                    "{kid} is the last key in {}: AgentOS refuses to start with an empty JWKS",
                    self.jwks_name()
                ))
                .hint("publish another key first (agentos-auth jwks rotate or jwks add), or pass --force"));
            }
        }
        let alg = entry
            .as_ref()
            .map(|e| e.alg)
            .or_else(|| self.jwks.find(kid).and_then(Jwk::alg));
        Ok(self.drop_unchecked(kid, alg, was_signing, in_jwks))
    }

    fn drop_unchecked(
        &mut self,
        kid: &str,
        alg: Option<Alg>,
        was_signing: bool,
        in_jwks: bool,
    ) -> Dropped {
        let before = self.jwks.keys.len();
        self.jwks.keys.retain(|k| k.kid.as_deref() != Some(kid));
        if self.jwks.keys.len() != before {
            self.jwks_dirty = true;
        }
        let entry = self.ring.find(kid).cloned();
        let mut moved = Vec::new();
        if let (Some(e), Some(dir)) = (&entry, self.dir.clone()) {
            self.ring.keys.retain(|x| x.kid != kid);
            if was_signing {
                self.ring.signing_kid = None;
            }
            self.ring_dirty = true;
            let files = std::iter::once(e.private_key.clone()).chain(e.public_key.clone());
            for name in files {
                let from = dir.join(&name);
                if from.exists() {
                    let taken: Vec<&PathBuf> = self.moves.iter().map(|(_, t)| t).collect();
                    let to = free_name(&dir.join(REMOVED_DIR), &name, &taken);
                    self.moves.push((from.clone(), to.clone()));
                    moved.push((from, to));
                }
            }
        }
        Dropped {
            kid: kid.to_string(),
            alg,
            was_signing,
            from_jwks: in_jwks,
            from_ring: entry.is_some(),
            moved,
        }
    }

    /// Drops ring keys per `policy`, never the signing key, never the last key of the
    /// JWKS, and (with `spare_retired_within`) never a key that stopped signing so
    /// recently that tokens it signed may still be live. Public keys added with
    /// `jwks add` (not in the ring) are left alone: their age is unknown.
    pub fn prune(&mut self, policy: Prune, now: i64) -> Pruned {
        let signing = self.ring.signing_kid.clone();
        // Newest first: by creation time, then by position (later = newer).
        let mut order: Vec<(usize, Entry)> = self.ring.keys.iter().cloned().enumerate().collect();
        order.sort_by(|(ia, a), (ib, b)| b.created.cmp(&a.created).then(ib.cmp(ia)));
        let mut kept = 0usize;
        if signing
            .as_deref()
            .is_some_and(|s| self.ring.find(s).is_some())
        {
            kept = 1;
        }
        // Keys made after the signing key that never signed are staged for later
        // (`rotate --stage`): kept.
        let staged_after = signing
            .as_deref()
            .and_then(|s| self.ring.find(s))
            .map(|e| e.created);
        let mut victims = Vec::new();
        let mut spared = Vec::new();
        for (_, e) in order {
            if Some(&e.kid) == signing.as_ref() {
                continue;
            }
            if e.retired.is_none() && staged_after.is_some_and(|t| e.created >= t) {
                kept += 1;
                continue;
            }
            let beyond_keep = match policy.keep {
                Some(n) if kept < n => {
                    kept += 1;
                    false
                }
                _ => true,
            };
            let too_old = match policy.older_than {
                Some(age) => e.retired.unwrap_or(e.created) < now - age,
                None => true,
            };
            if beyond_keep && too_old {
                match (e.retired, policy.spare_retired_within) {
                    (Some(t), Some(window)) if now - t < window => spared.push((e.kid, t)),
                    _ => victims.push(e),
                }
            }
        }
        // Report (and drop) oldest first.
        victims.reverse();
        spared.reverse();
        let mut dropped = Vec::new();
        for e in victims {
            let in_jwks = self.jwks.find(&e.kid).is_some();
            let others = self
                .jwks
                .keys
                .iter()
                .filter(|k| k.kid.as_deref() != Some(e.kid.as_str()))
                .count();
            if in_jwks && others == 0 {
                // AgentOS refuses to start with an empty JWKS.
                continue;
            }
            dropped.push(self.drop_unchecked(&e.kid, Some(e.alg), false, in_jwks));
        }
        Pruned { dropped, spared }
    }

    /// A key directory, other than this session's, recorded beside the JWKS as
    /// publishing into it, whose signing key is `kid`.
    fn other_ring_signing_with(&self, kid: &str) -> Result<Option<PathBuf>> {
        let own = self
            .dir
            .as_deref()
            .and_then(|d| std::fs::canonicalize(d).ok());
        for d in load_rings_file(&fsio::resolve_symlinks(&self.jwks_path)?)?.key_dirs {
            if own.as_deref() == Some(d.as_path()) || !d.is_dir() {
                continue;
            }
            if Keyring::load(&d)?.signing_kid.as_deref() == Some(kid) {
                return Ok(Some(d));
            }
        }
        Ok(None)
    }

    /// Removes the key files this session wrote (after a failure, before the keyring
    /// names them).
    fn discard_written(&mut self) {
        for p in self.written.drain(..) {
            let _ = std::fs::remove_file(p);
        }
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_file(dir.join(PENDING_FILE));
        }
    }

    /// Records this session's key directory beside the JWKS (see [`rings_file`]).
    fn register_ring(&self) -> Result<()> {
        let Some(dir) = &self.dir else { return Ok(()) };
        let Ok(dir) = std::fs::canonicalize(dir) else {
            return Ok(());
        };
        let jwks_path = fsio::resolve_symlinks(&self.jwks_path)?;
        let mut rings = load_rings_file(&jwks_path)?;
        if rings.key_dirs.contains(&dir) {
            return Ok(());
        }
        rings.key_dirs.push(dir);
        let mut json = serde_json::to_string_pretty(&rings)
            .map_err(|e| Error::input(format!("cannot encode the key ring list: {e}")))?;
        json.push('\n');
        fsio::write_atomic(
            &rings_file(&jwks_path),
            json.as_bytes(),
            PUBLIC_MODE,
            Overwrite::Replace,
        )
    }

    /// Writes what changed: the JWKS, then the keyring, then moves dropped key files
    /// into `removed/`. While the keyring on disk still names its old signing key, the
    /// JWKS on disk keeps publishing it (an interim write when needed), so a crash
    /// between the writes never leaves mint signing with an unpublished key.
    pub fn commit(mut self) -> Result<()> {
        let result = self.write_changes();
        if result.is_err() {
            self.discard_written();
        }
        result
    }

    fn write_changes(&mut self) -> Result<()> {
        // Failures we can see coming are met before the first write: a `removed` that
        // is not a directory would fail the moves after JWKS and keyring changed.
        if let (Some(dir), false) = (&self.dir, self.moves.is_empty()) {
            fsio::create_private_dir(&dir.join(REMOVED_DIR))?;
        }
        let mut interim = None;
        if self.jwks_dirty {
            let mut first = self.jwks.clone();
            if self.ring_dirty {
                if let Some(old) = &self.signing_jwk_on_disk {
                    let kid = old.kid.as_deref().unwrap_or_default();
                    if first.find(kid).is_none() {
                        first.keys.push(old.clone());
                    }
                }
            }
            save_jwks(&self.jwks_path, &first)?;
            interim = Some(first);
        }
        if self.ring_dirty {
            self.ring.save(self.dir()?)?;
            // The keyring names the new key files now: they are no longer orphans.
            self.written.clear();
            let _ = std::fs::remove_file(self.dir()?.join(PENDING_FILE));
        }
        if interim.is_some_and(|i| i != self.jwks) {
            save_jwks(&self.jwks_path, &self.jwks)?;
        }
        for (from, to) in &self.moves {
            move_aside(from, to)?;
        }
        // Last: a refused write above leaves no new file behind. (A ring that publishes
        // nothing, HS256 only, records itself beside no JWKS.)
        if self.dir.is_some() && (self.ring_dirty || self.jwks_dirty) && self.jwks_path.exists() {
            self.register_ring()?;
        }
        Ok(())
    }
}

/// Same public key: equal RFC 7638 thumbprints (kid, use, alg do not matter).
pub fn same_material(a: &Jwk, b: &Jwk) -> bool {
    matches!((a.thumbprint(), b.thumbprint()), (Ok(x), Ok(y)) if x == y)
}

fn missing_jwks(path: &Path) -> Error {
    Error::io(format!("{} does not exist", path.display())).hint(
        "create it with: agentos-auth jwks rotate, or agentos-auth jwks add --jwks FILE --key KEY",
    )
}

/// The one message for "HS256 in a JWKS".
pub fn hs256_not_in_jwks() -> Error {
    Error::input("an HS256 secret has no public form, so it never goes into a JWKS").hint(
        "AgentOS takes an HS256 secret as JWT_VERIFICATION_KEY with algorithm=\"HS256\"; publish RS256 or ES256 keys in a JWKS",
    )
}

/// Strict load, except that unparsable entries with kid `kid` are dropped (so a broken
/// key can be removed); returns how many were dropped. Any other broken entry keeps
/// the strict error (file, key number, reason).
fn load_jwks_without_broken(path: &Path, kid: &str) -> Result<(Jwks, usize)> {
    if !path.exists() {
        return Ok((Jwks::default(), 0));
    }
    let bytes = fsio::read_file(path)?;
    let source = path.display().to_string();
    let strict = match jwk_set::parse_jwks(&bytes, &source) {
        Ok(j) => return Ok((j, 0)),
        Err(e) => e,
    };
    let inspected = jwk_set::inspect_jwks(&bytes, &source)?;
    let is_target =
        |k: &jwk_set::InspectedKey| k.raw.get("kid").and_then(|v| v.as_str()) == Some(kid);
    let broken_target = inspected
        .iter()
        .filter(|k| k.verdict.is_err() && is_target(k))
        .count();
    if broken_target == 0 {
        return Err(strict);
    }
    let rest: Vec<serde_json::Value> = inspected
        .iter()
        .filter(|k| !(k.verdict.is_err() && is_target(k)))
        .map(|k| k.raw.clone())
        .collect();
    let rest = serde_json::to_vec(&serde_json::json!({ "keys": rest }))
        .map_err(|e| Error::input(format!("cannot encode {source}: {e}")))?;
    let jwks = jwk_set::parse_jwks(&rest, &source).map_err(|_| strict)?;
    Ok((jwks, broken_target))
}

/// `dir/name`, or `dir/name.1`, `.2`, ... : a path no file (and no planned move) has.
fn free_name(dir: &Path, name: &str, taken: &[&PathBuf]) -> PathBuf {
    let mut candidate = dir.join(name);
    let mut n = 1;
    while candidate.exists() || taken.contains(&&candidate) {
        candidate = dir.join(format!("{name}.{n}"));
        n += 1;
    }
    candidate
}

/// Moves a dropped key's file into `removed/` (0700); never replaces a file there.
fn move_aside(from: &Path, to: &Path) -> Result<()> {
    if let Some(parent) = to.parent() {
        fsio::create_private_dir(parent)?;
    }
    // A hard link fails when `to` exists, so nothing there is ever replaced.
    std::fs::hard_link(from, to).map_err(|e| crate::error::io_error("move aside", from, &e))?;
    std::fs::remove_file(from).map_err(|e| crate::error::io_error("remove", from, &e))
}

/// Journal of the key files an install is writing (names inside the key dir), written
/// before them and removed once the keyring names them.
const PENDING_FILE: &str = ".pending-keys";

fn write_pending(dir: &Path, names: &[String]) -> Result<()> {
    let json = serde_json::to_vec(names)
        .map_err(|e| Error::input(format!("cannot encode the key journal: {e}")))?;
    fsio::write_atomic(
        &dir.join(PENDING_FILE),
        &json,
        PRIVATE_MODE,
        Overwrite::Replace,
    )
}

/// What an interrupted keygen/rotate (SIGKILL, full disk) left in `dir`: the key files
/// its journal lists that no entry of `ring` names move to `removed/` (never deleted),
/// and temp files of runs that are gone are deleted. Files the journal does not list
/// are not ours and stay. Called with the ring lock held, so no live run is between
/// its writes.
fn clear_leftovers(dir: &Path, ring: &Keyring) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        if let Some(pid) = temp_file_pid(&name) {
            if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    let journal = dir.join(PENDING_FILE);
    if !journal.exists() {
        return Ok(());
    }
    // An unreadable journal is dropped: it only ever lists files the next step adopts.
    let pending: Vec<String> = fsio::read_file(&journal)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    let named = |n: &str| {
        ring.keys
            .iter()
            .any(|e| e.private_key == n || e.public_key.as_deref() == Some(n))
    };
    for name in pending {
        let from = dir.join(&name);
        if !is_plain_file_name(&name) || named(&name) || !from.is_file() {
            continue;
        }
        let to = free_name(&dir.join(REMOVED_DIR), &name, &[]);
        move_aside(&from, &to)?;
        notice::info(format!(
            "moved {} to {}: an interrupted run wrote it, and no key of the ring names it",
            from.display(),
            to.display()
        ));
    }
    let _ = std::fs::remove_file(&journal);
    Ok(())
}

/// The pid in a temp file name of [`fsio::write_atomic`] (`.NAME.tmp-PID-NONCE`).
fn temp_file_pid(name: &str) -> Option<u32> {
    if !name.starts_with('.') {
        return None;
    }
    let rest = &name[name.rfind(".tmp-")? + 5..];
    let (pid, nonce) = rest.split_once('-')?;
    (nonce.len() == 8 && nonce.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| pid.parse().ok())
        .flatten()
}

/// The ring's signing key, for `mint --key-dir DIR [--jwks FILE]`. With a JWKS, the
/// key must be published there under its kid with the same material: otherwise
/// AgentOS would answer 401 to every token.
pub fn signing_key(dir: &Path, jwks_path: Option<&Path>) -> Result<(Key, Entry)> {
    if !dir.is_dir() {
        return Err(
            Error::io(format!("{} is not a key directory", dir.display()))
                .hint("create one with: agentos-auth jwks rotate --jwks FILE --key-dir DIR"),
        );
    }
    let ring = Keyring::load(dir)?;
    let (key, entry) = ring.load_signing_key(dir)?;
    if let Some(path) = jwks_path {
        if key.alg() == Alg::HS256 {
            return Err(Error::input(format!(
                "the signing key {} in {} is HS256, which is never in a JWKS",
                entry.kid,
                dir.display()
            ))
            .hint("drop --jwks, or rotate to an RS256/ES256 key: agentos-auth jwks rotate --alg RS256"));
        }
        if !path.exists() {
            return Err(missing_jwks(path));
        }
        let jwks = load_jwks(path)?;
        let ours = key.public_jwk(Some(&entry.kid))?;
        match jwks.find(&entry.kid) {
            Some(published) if same_material(published, &ours) => {}
            Some(_) => {
                return Err(Error::input(format!(
                    "{} publishes kid {} with other key material than {}",
                    path.display(),
                    entry.kid,
                    dir.display()
                ))
                .hint("AgentOS would answer 401; check that --jwks and --key-dir belong together"))
            }
            None => {
                return Err(Error::input(format!(
                    "the signing key {} is not in {}: AgentOS would answer 401",
                    entry.kid,
                    path.display()
                ))
                .hint(format!(
                    "publish it: agentos-auth jwks add --jwks {} --key {}",
                    path.display(),
                    entry.private_path(dir).display()
                )))
            }
        }
    }
    Ok((key, entry))
}

/// One key of a JWKS as `jwks list` shows it.
#[derive(Debug, Clone)]
pub struct Listed {
    /// 1-based position in the JWKS.
    pub number: usize,
    pub kid: Option<String>,
    pub alg: Option<Alg>,
    pub kty: Option<String>,
    /// "RSA 2048-bit", "EC P-256".
    pub summary: Option<String>,
    pub signing: bool,
    /// The ring's record of this key (it has a private key in the key directory).
    pub entry: Option<Entry>,
    /// Why AgentOS skips (or fails with) this key; `None` when it is usable.
    pub error: Option<String>,
}

/// What `jwks list` reports.
#[derive(Debug, Clone, Default)]
pub struct Listing {
    pub keys: Vec<Listed>,
    /// Ring keys that are not in the JWKS (HS256 secrets, or unpublished keys).
    pub unpublished: Vec<Entry>,
    pub signing_kid: Option<String>,
    /// Problems worth a warning, one line each, without the "warning: " prefix.
    pub warnings: Vec<String>,
}

/// Reads a JWKS (leniently: every key gets its own verdict, as AgentOS skips bad
/// ones) and, when given, the key ring beside it. No lock: writers replace files
/// atomically, so a reader sees the old or the new file.
pub fn list(dir: Option<&Path>, jwks_path: &Path) -> Result<Listing> {
    if !jwks_path.exists() {
        return Err(missing_jwks(jwks_path));
    }
    let ring = match dir {
        Some(d) => Keyring::load(d)?,
        None => Keyring::default(),
    };
    let source = jwks_path.display().to_string();
    let bytes = fsio::read_file(jwks_path)?;
    let inspected = jwk_set::inspect_jwks(&bytes, &source)?;
    let signing_kid = ring.signing().map(|e| e.kid.clone());
    let mut out = Listing {
        signing_kid: signing_kid.clone(),
        ..Default::default()
    };
    for k in &inspected {
        let kid = k.jwk.as_ref().and_then(|j| j.kid.clone());
        let error = k.verdict.as_ref().err().map(|e| e.to_string());
        if let Some(e) = &error {
            out.warnings.push(format!(
                "{source}: {}: {e}; AgentOS skips this key",
                k.label()
            ));
        }
        let entry = kid.as_deref().and_then(|id| ring.find(id)).cloned();
        out.keys.push(Listed {
            number: k.number,
            alg: k.jwk.as_ref().and_then(Jwk::alg),
            kty: k.jwk.as_ref().map(|j| j.kty.clone()),
            summary: k.jwk.as_ref().map(Jwk::summary),
            signing: kid.is_some() && kid == signing_kid,
            kid,
            entry,
            error,
        });
    }
    // agno files a key without kid (or with an empty one) under "_default", and a
    // later one replaces it: only the LAST kid-less key is ever used.
    let kidless = |j: &Jwk| j.kid.as_deref().is_none_or(str::is_empty);
    let last_kidless = inspected
        .iter()
        .filter(|k| k.verdict.is_ok() && k.jwk.as_ref().is_some_and(kidless))
        .map(|k| k.number)
        .max();
    for k in &inspected {
        let Some(j) = &k.jwk else { continue };
        if k.verdict.is_err() {
            continue;
        }
        if j.kty != "oct" && kidless(j) && Some(k.number) != last_kidless {
            out.warnings.push(format!(
                "{source}: {} has no kid and is never used: AgentOS keeps only the last key without kid (key #{}) as its default",
                k.label(),
                last_kidless.unwrap_or_default()
            ));
        } else if j.kty == "oct" {
            out.warnings.push(format!(
                "{source}: {} is an HS256 secret: anyone who can read this file can mint tokens; remove it (agentos-auth jwks remove --kid KID)",
                k.label()
            ));
        } else if kidless(j) {
            out.warnings.push(format!(
                "{source}: {} has no kid: AgentOS verifies every token whose kid is missing or not in the set with it",
                k.label()
            ));
        }
    }
    for e in &ring.keys {
        if !out
            .keys
            .iter()
            .any(|k| k.kid.as_deref() == Some(e.kid.as_str()))
        {
            out.unpublished.push(e.clone());
        }
    }
    if let Some(s) = ring.signing() {
        let dir_name = dir.map(|d| d.display().to_string()).unwrap_or_default();
        if s.alg == Alg::HS256 {
            out.warnings.push(format!(
                "the signing key {} is HS256: a secret is never in a JWKS; AgentOS needs it as JWT_VERIFICATION_KEY (algorithm=\"HS256\")",
                s.kid
            ));
        } else if out.unpublished.iter().any(|u| u.kid == s.kid) {
            out.warnings.push(format!(
                "the signing key {} ({dir_name}) is not in {source}: AgentOS would answer 401 to tokens mint makes now; publish it with agentos-auth jwks add --key {}",
                s.kid,
                s.private_path(Path::new(&dir_name)).display()
            ));
        } else if let (Some(published), Some(d)) = (
            inspected
                .iter()
                .filter_map(|k| k.jwk.as_ref())
                .find(|j| j.kid.as_deref() == Some(s.kid.as_str())),
            dir,
        ) {
            let ours = s.public_jwk(d);
            if let Ok(ours) = ours {
                if !same_material(published, &ours) {
                    out.warnings.push(format!(
                        "{source} publishes kid {} with other key material than {dir_name}: AgentOS would answer 401 to tokens mint makes now",
                        s.kid
                    ));
                }
            }
        }
    }
    let valid: Vec<Jwk> = inspected
        .iter()
        .filter(|k| k.verdict.is_ok())
        .filter_map(|k| k.jwk.clone())
        .collect();
    let signing_alg = ring.signing().map(|e| e.alg);
    if let Some(w) = mixed_algorithms(&valid, signing_alg, &source) {
        out.warnings.push(w);
    }
    Ok(out)
}

/// A warning when `keys` hold more than one algorithm (compared with the signing
/// key's, else the first key's): AgentOS verifies with ONE configured algorithm, so
/// tokens of the others get 401 "The specified alg value is not allowed".
pub fn mixed_algorithms(keys: &[Jwk], signing_alg: Option<Alg>, source: &str) -> Option<String> {
    let (reference, whose) = match signing_alg.filter(|a| *a != Alg::HS256) {
        Some(a) => (a, "the signing key"),
        None => (keys.iter().find_map(Jwk::alg)?, "the first key"),
    };
    let odd: Vec<String> = keys
        .iter()
        .filter(|k| k.alg() != Some(reference))
        .map(|k| {
            let alg = k.alg().map(|a| a.as_str()).unwrap_or("unknown algorithm");
            format!("{} ({alg})", k.kid.as_deref().unwrap_or("no kid"))
        })
        .collect();
    if odd.is_empty() {
        return None;
    }
    let verb = if odd.len() == 1 { "is" } else { "are" };
    let shown = if odd.len() > 3 {
        format!("{} and {} more", odd[..3].join(", "), odd.len() - 3)
    } else {
        odd.join(", ")
    };
    Some(format!(
        "{source} mixes algorithms: {whose} is {reference}, but {} {verb} not; AgentOS verifies ONE algorithm (Authorization(algorithm=...), RS256 by default), so tokens signed with the others get 401",
        shown
    ))
}

impl Entry {
    /// The public JWK of this entry (from its public PEM, else its private key).
    pub fn public_jwk(&self, dir: &Path) -> Result<Jwk> {
        let key = match &self.public_key {
            Some(name) => {
                let path = dir.join(name);
                let bytes = fsio::read_file(&path)?;
                let source = path.display().to_string();
                Key::parse(
                    &bytes,
                    &ParseOptions {
                        source: &source,
                        alg: Some(self.alg),
                    },
                )?
            }
            None => self.load(dir)?,
        };
        key.public_jwk(Some(&self.kid))
    }
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

    fn ec_jwk(kid: &str) -> Jwk {
        Key::generate(Alg::ES256, 0)
            .unwrap()
            .public_jwk(Some(kid))
            .unwrap()
    }

    #[test]
    fn mixed_algorithms_names_the_odd_keys() {
        let rsa = Key::generate(Alg::RS256, 2048)
            .unwrap()
            .public_jwk(Some("r"))
            .unwrap();
        let keys = vec![ec_jwk("e1"), rsa.clone(), ec_jwk("e2")];
        assert!(mixed_algorithms(&keys[..1], None, "j").is_none());
        let w = mixed_algorithms(&keys, Some(Alg::ES256), "j").unwrap();
        assert!(
            w.starts_with("j mixes algorithms: the signing key is ES256, but r (RS256) is not"),
            "{w}"
        );
        let w = mixed_algorithms(&keys, Some(Alg::RS256), "j").unwrap();
        assert!(w.contains("but e1 (ES256), e2 (ES256) are not"), "{w}");
        // No signing key: compared with the first key.
        let w = mixed_algorithms(&keys, None, "j").unwrap();
        assert!(w.contains("the first key is ES256"), "{w}");
    }

    #[test]
    fn same_material_ignores_kid_and_members() {
        let a = ec_jwk("a");
        let mut b = a.clone();
        b.kid = Some("b".into());
        b.use_ = None;
        assert!(same_material(&a, &b));
        assert!(!same_material(&a, &ec_jwk("a")));
    }

    fn entry(kid: &str, created: i64, retired: Option<i64>) -> Entry {
        Entry {
            kid: kid.into(),
            alg: Alg::ES256,
            created,
            private_key: format!("{kid}.key.pem"),
            public_key: None,
            retired,
        }
    }

    fn session_with(ring: Keyring) -> (tempfile::TempDir, Session) {
        let dir = tempfile::tempdir().unwrap();
        let keys = dir.path().join("keys");
        fsio::create_private_dir(&keys).unwrap();
        ring.save(&keys).unwrap();
        let jwks = Jwks {
            keys: ring.keys.iter().map(|e| ec_jwk(&e.kid)).collect(),
        };
        let path = dir.path().join("jwks.json");
        save_jwks(&path, &jwks).unwrap();
        let s = Session::open(Some(&keys), &path, Open::Existing).unwrap();
        (dir, s)
    }

    fn pruned(s: &mut Session, keep: Option<usize>, older_than: Option<i64>) -> Vec<String> {
        s.prune(
            Prune {
                keep,
                older_than,
                spare_retired_within: None,
            },
            1000,
        )
        .dropped
        .into_iter()
        .map(|d| d.kid)
        .collect()
    }

    #[test]
    fn prune_rules() {
        let ring = Keyring {
            signing_kid: Some("sign".into()),
            keys: vec![
                entry("old", 100, Some(200)),
                entry("mid", 200, Some(900)),
                entry("sign", 300, None),
                entry("staged", 400, None),
            ],
        };
        // --keep 2: the signing and the staged key fill it; old and mid go, oldest first.
        let (_d, mut s) = session_with(ring.clone());
        assert_eq!(pruned(&mut s, Some(2), None), ["old", "mid"]);
        assert_eq!(s.jwks.keys.len(), 2);
        // --older-than counts from retirement: mid retired at 900, now 1000.
        let (_d, mut s) = session_with(ring.clone());
        assert_eq!(pruned(&mut s, None, Some(500)), ["old"]);
        // Both rules: only what both drop.
        let (_d, mut s) = session_with(ring.clone());
        assert_eq!(pruned(&mut s, Some(3), Some(50)), ["old"]);
        // The signing key is never pruned, even when it is the oldest.
        // (A key that signed has a retirement time; one that never did is staged.)
        let mut oldest_signs = ring;
        oldest_signs.signing_kid = Some("old".into());
        oldest_signs.keys[2].retired = Some(950);
        let (_d, mut s) = session_with(oldest_signs);
        assert_eq!(pruned(&mut s, Some(1), None), ["mid", "sign"]);
    }

    #[test]
    fn removing_tolerates_only_the_broken_key_being_removed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("jwks.json");
        let good = serde_json::to_value(ec_jwk("good")).unwrap();
        let mut bad = serde_json::to_value(ec_jwk("bad")).unwrap();
        bad["y"] = "AA".into();
        let doc = serde_json::json!({"keys": [good, bad]});
        std::fs::write(&path, doc.to_string()).unwrap();
        let (jwks, dropped) = load_jwks_without_broken(&path, "bad").unwrap();
        assert_eq!(dropped, 1);
        assert_eq!(jwks.keys.len(), 1);
        let e = load_jwks_without_broken(&path, "good").unwrap_err();
        assert!(e.msg.contains("key #2 (kid \"bad\")"), "{e}");
    }

    #[test]
    fn remove_moves_files_aside_and_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let keys = dir.path().join("keys");
        let jwks_path = dir.path().join("jwks.json");
        let key = Key::generate(Alg::ES256, 0).unwrap();
        install(&keys, &jwks_path, &key, "a", false, false, 1).unwrap();
        let other = Key::generate(Alg::ES256, 0).unwrap();
        install(&keys, &jwks_path, &other, "b", true, false, 2).unwrap();
        std::fs::create_dir(keys.join(REMOVED_DIR)).unwrap();
        std::fs::write(keys.join("removed/a.key.pem"), "earlier").unwrap();
        let mut s = Session::open(Some(&keys), &jwks_path, Open::Removing("a")).unwrap();
        let d = s.remove("a", false).unwrap();
        s.commit().unwrap();
        assert_eq!(d.moved[0].1, keys.join("removed/a.key.pem.1"));
        assert_eq!(
            std::fs::read_to_string(keys.join("removed/a.key.pem")).unwrap(),
            "earlier"
        );
        let moved = std::fs::read(keys.join("removed/a.key.pem.1")).unwrap();
        assert_eq!(moved, key.private_key_pem().unwrap().as_bytes());
        let mut s = Session::open(Some(&keys), &jwks_path, Open::Removing("b")).unwrap();
        assert!(s
            .remove("b", false)
            .unwrap_err()
            .msg
            .contains("signing key"));
    }
}
