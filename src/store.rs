//! The key store: a directory (like `step`'s `~/.step`) holding the key ring
//! (`keys/`, private keys 0600, directory 0700), the public `jwks.json` AgentOS can
//! read, `settings.json` with defaults for `mint` (audience, subject, lifetime, issuer,
//! roles claim) and for `verify`/`doctor` (the server's algorithm) and optionally `roles.json`, the server's roles. Located by `--home`,
//! else `AGENTOS_AUTH_HOME`, else the XDG config dir.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::fsio::{self, Overwrite, PUBLIC_MODE};
use crate::keys::Alg;

pub const SETTINGS_FILE: &str = "settings.json";
pub const JWKS_FILE: &str = "jwks.json";
pub const KEY_DIR: &str = "keys";
/// The server's roles (a roles file, docs/roles.md), for verify, doctor and scopes.
pub const ROLES_FILE: &str = "roles.json";

/// Defaults for `mint`, `verify` and `doctor`. Flags and environment variables
/// override each of them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// The algorithm AgentOS is set to, as `keygen` told the user to configure it
    /// (`Authorization(algorithm=...)`): `verify`'s and `doctor`'s default `--alg`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alg: Option<Alg>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aud: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_in: Option<String>,
    /// The claim `mint --roles` writes (the server's `roles_claim`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles_claim: Option<String>,
    /// The agno release the server runs (`--agno` overrides it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agno_version: Option<String>,
    /// Path of the server's custom scope mappings JSON (`--scope-mappings` overrides it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope_mappings: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Store {
    pub root: PathBuf,
}

impl Store {
    /// `home` is `--home` or `AGENTOS_AUTH_HOME` (clap reads the variable).
    pub fn locate(home: Option<&Path>) -> Result<Store> {
        let store = Store::find(home)?;
        // As ssh with ~/.ssh: a store someone else can write to is not ours to trust.
        fsio::check_trusted_dir(&store.root)?;
        fsio::check_trusted_dir(&store.key_dir())?;
        Ok(store)
    }

    fn find(home: Option<&Path>) -> Result<Store> {
        if let Some(h) = home.filter(|h| !h.as_os_str().is_empty()) {
            return Ok(Store {
                root: h.to_path_buf(),
            });
        }
        let base = match std::env::var_os("XDG_CONFIG_HOME").filter(|v| !v.is_empty()) {
            Some(x) => PathBuf::from(x),
            None => match std::env::var_os("HOME").filter(|v| !v.is_empty()) {
                Some(h) => PathBuf::from(h).join(".config"),
                None => {
                    return Err(Error::input("cannot find a home for the key store")
                        .hint("pass --home DIR or set AGENTOS_AUTH_HOME"))
                }
            },
        };
        Ok(Store {
            root: base.join("agentos-auth"),
        })
    }

    pub fn key_dir(&self) -> PathBuf {
        self.root.join(KEY_DIR)
    }

    pub fn jwks_path(&self) -> PathBuf {
        self.root.join(JWKS_FILE)
    }

    pub fn roles_path(&self) -> PathBuf {
        self.root.join(ROLES_FILE)
    }

    /// The clients of `serve` (secrets hashed, 0600).
    pub fn clients_path(&self) -> PathBuf {
        crate::clients::Clients::path(&self.root)
    }

    pub fn settings_path(&self) -> PathBuf {
        self.root.join(SETTINGS_FILE)
    }

    /// Creates the store (0700) and, inside a git work tree, a `.gitignore` that keeps
    /// private keys out of commits.
    pub fn create(&self) -> Result<()> {
        fsio::create_private_dir(&self.root)?;
        fsio::create_private_dir(&self.key_dir())?;
        let ignore = self.root.join(".gitignore");
        if inside_git_work_tree(&self.root) && !ignore.exists() {
            fsio::write_atomic(
                &ignore,
                b"# Private keys and secrets never go into git.\n*.key.pem\n*.secret\n*.lock\n",
                PUBLIC_MODE,
                Overwrite::Never,
            )?;
        }
        Ok(())
    }

    /// Settings, or defaults when the store has none yet.
    pub fn settings(&self) -> Result<Settings> {
        let path = self.settings_path();
        if !path.exists() {
            return Ok(Settings::default());
        }
        fsio::check_trusted_file(&path)?;
        let bytes = fsio::read_file(&path)?;
        serde_json::from_slice(&bytes).map_err(|e| {
            Error::input(format!("{}: invalid settings: {e}", path.display()))
                .hint("fix the JSON or delete the file to start from defaults")
        })
    }

    pub fn save_settings(&self, settings: &Settings) -> Result<()> {
        let mut json = serde_json::to_string_pretty(settings)
            .map_err(|e| Error::input(format!("cannot encode settings: {e}")))?;
        json.push('\n');
        fsio::write_atomic(
            &self.settings_path(),
            json.as_bytes(),
            PUBLIC_MODE,
            Overwrite::Replace,
        )
    }
}

impl Store {
    /// The stored roles file's text, if the store has one.
    pub fn roles_text(&self) -> Result<Option<String>> {
        let path = self.roles_path();
        if !path.exists() {
            return Ok(None);
        }
        let bytes = fsio::read_file(&path)?;
        String::from_utf8(bytes.to_vec())
            .map(Some)
            .map_err(|_| Error::input(format!("{}: not UTF-8 text", path.display())))
    }

    /// Stores a (checked) roles file, atomically.
    pub fn save_roles(&self, text: &str) -> Result<()> {
        self.create()?;
        fsio::write_atomic(
            &self.roles_path(),
            text.as_bytes(),
            PUBLIC_MODE,
            Overwrite::Replace,
        )
    }
}

fn inside_git_work_tree(dir: &Path) -> bool {
    let start = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    start.ancestors().any(|d| d.join(".git").exists())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_home_wins() {
        let s = Store::locate(Some(Path::new("/tmp/x"))).unwrap();
        assert_eq!(s.jwks_path(), Path::new("/tmp/x/jwks.json"));
    }

    #[test]
    fn gitignore_only_inside_git() {
        let dir = tempfile::tempdir().unwrap();
        let plain = Store {
            root: dir.path().join("a"),
        };
        plain.create().unwrap();
        assert!(!plain.root.join(".gitignore").exists());
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        let in_git = Store {
            root: dir.path().join("b"),
        };
        in_git.create().unwrap();
        let text = std::fs::read_to_string(in_git.root.join(".gitignore")).unwrap();
        assert!(text.contains("*.key.pem"));
    }

    #[test]
    fn settings_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store {
            root: dir.path().to_path_buf(),
        };
        assert_eq!(s.settings().unwrap(), Settings::default());
        let set = Settings {
            aud: Some("os".into()),
            ..Default::default()
        };
        s.save_settings(&set).unwrap();
        assert_eq!(s.settings().unwrap(), set);
    }
}
