//! The OAuth clients of `agentos-auth serve`: `clients.json` in the key store, kept like
//! the key ring (0600, written atomically, read-modify-write under a lock). Each client
//! has an id, the SHA-256 of its secret (never the secret), and what its tokens carry:
//! allowed scopes, roles, audience and lifetime.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::claims::{Expiry, TokenSpec};
use crate::error::{Error, Result};
use crate::fsio::{self, FileLock, Overwrite, PRIVATE_MODE};

pub const CLIENTS_FILE: &str = "clients.json";

/// Default lifetime of a client's tokens: short, as AgentOS has no revocation.
pub const DEFAULT_TTL: i64 = 15 * 60;

/// One registered client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Client {
    pub id: String,
    /// base64url (no padding) of SHA-256(secret).
    pub secret_sha256: String,
    /// The scopes its tokens may carry; a request asks for a subset.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// The roles claim of its tokens (servers with managed roles).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
    /// The AgentOS id its tokens are for.
    pub aud: String,
    /// Token lifetime in seconds.
    pub ttl: i64,
    /// Unix seconds.
    pub created: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Clients {
    #[serde(default)]
    pub clients: Vec<Client>,
}

/// Characters a client id may use: what fits in a `sub` claim, a log line and an
/// HTTP Basic user name without quoting (`:` would split Basic credentials).
pub fn check_id(id: &str) -> Result<()> {
    let ok = !id.is_empty()
        && id.len() <= 128
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '@'));
    if ok {
        Ok(())
    } else {
        Err(Error::input(format!("{id:?} is not a client id"))
            .hint("use 1 to 128 letters, digits and - _ . @, e.g. ci-deploy"))
    }
}

impl Clients {
    pub fn path(store_root: &Path) -> PathBuf {
        store_root.join(CLIENTS_FILE)
    }

    /// Reads the clients file; a missing file is no clients.
    pub fn load(path: &Path) -> Result<Clients> {
        if !path.exists() {
            return Ok(Clients::default());
        }
        fsio::check_trusted_file(path)?;
        let bytes = fsio::read_file(path)?;
        serde_json::from_slice(&bytes).map_err(|e| {
            Error::input(format!("{}: not a valid clients file: {e}", path.display()))
                .hint("restore it from a backup, or move it aside and add the clients again")
        })
    }

    pub fn find(&self, id: &str) -> Option<&Client> {
        self.clients.iter().find(|c| c.id == id)
    }

    /// The client whose id and secret these are, or `None` — the same `None`, after
    /// the same work, for an unknown id and a wrong secret (RFC 6749 §5.2 has one
    /// `invalid_client` for both, and timing must not tell them apart either).
    pub fn authenticate(&self, id: &str, secret: &str) -> Option<&Client> {
        let presented = hash_secret(secret);
        // An unknown id is compared against a hash no secret has, so both paths hash
        // and compare once.
        let (client, stored) = match self.find(id) {
            Some(c) => (Some(c), c.secret_sha256.as_str()),
            None => (None, UNKNOWN_CLIENT_HASH),
        };
        let same = aws_lc_rs::constant_time::verify_slices_are_equal(
            presented.as_bytes(),
            stored.as_bytes(),
        )
        .is_ok();
        client.filter(|_| same)
    }
}

impl Client {
    /// What a token for this client carries, as `mint` would build it (the same
    /// [`TokenSpec`], so the same checks: reserved subjects, the release's scope
    /// grammar, the roles claim, `exp` always set): `sub` is the client id, `scopes`
    /// those given (a subset of the allowed ones, checked by the caller), the roles claim
    /// `roles` (the client's, or a token exchange's), `jti` random.
    pub fn token_spec(
        &self,
        scopes: &[String],
        roles: &[String],
        issuer: Option<&str>,
        roles_claim: &str,
        server: std::sync::Arc<crate::agentos::Server>,
    ) -> TokenSpec {
        use serde_json::Value;
        let mut claims = serde_json::Map::new();
        claims.insert("sub".into(), Value::from(self.id.as_str()));
        claims.insert("aud".into(), Value::from(self.aud.as_str()));
        if let Some(iss) = issuer {
            claims.insert("iss".into(), Value::from(iss));
        }
        // With roles only (managed roles), the roles decide and scopes stay out.
        if !scopes.is_empty() || roles.is_empty() {
            claims.insert("scopes".into(), Value::from(scopes.to_vec()));
        }
        if !roles.is_empty() {
            let roles = match roles {
                [one] if roles_claim == "role" => Value::from(one.as_str()),
                many => Value::from(many.to_vec()),
            };
            claims.insert(roles_claim.into(), roles);
        }
        TokenSpec {
            claims,
            expiry: Expiry::In(self.ttl),
            nbf: None,
            jti: Some(String::new()),
            iat: true,
            allow_unknown_scopes: false,
            roles_claim: Some(roles_claim.to_string()),
            server,
        }
    }
}

/// Not the base64url of any SHA-256 (44 characters, one too many).
const UNKNOWN_CLIENT_HASH: &str = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

/// A new client secret: 256 bits from aws-lc-rs's RNG, base64url without padding.
pub fn new_secret() -> Result<Zeroizing<String>> {
    use base64::Engine;
    let mut raw = Zeroizing::new([0u8; 32]);
    aws_lc_rs::rand::fill(raw.as_mut())
        .map_err(|_| Error::input("the system random generator failed"))?;
    Ok(Zeroizing::new(
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw.as_ref()),
    ))
}

/// The stored form of a secret. Plain SHA-256, not a password hash (bcrypt, argon2):
/// a slow KDF protects low-entropy passwords against guessing, but these secrets are
/// 256 random bits, which no number of guesses reaches, and a KDF would only make each
/// token request cost milliseconds of CPU an attacker could make us spend.
pub fn hash_secret(secret: &str) -> String {
    use base64::Engine;
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, secret.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest.as_ref())
}

/// The clients file locked for read-modify-write; [`Session::commit`] writes it.
pub struct Session {
    pub clients: Clients,
    path: PathBuf,
    _lock: FileLock,
}

impl Session {
    pub fn open(path: &Path) -> Result<Session> {
        let lock = FileLock::exclusive(path)?;
        Ok(Session {
            clients: Clients::load(path)?,
            path: path.to_path_buf(),
            _lock: lock,
        })
    }

    pub fn commit(self) -> Result<()> {
        let mut json = serde_json::to_string_pretty(&self.clients)
            .map_err(|e| Error::input(format!("cannot encode the clients: {e}")))?;
        json.push('\n');
        fsio::write_atomic(
            &self.path,
            json.as_bytes(),
            PRIVATE_MODE,
            Overwrite::Replace,
        )
    }

    /// The client `id`, or an error naming the ones there are.
    pub fn get_mut(&mut self, id: &str) -> Result<&mut Client> {
        let known: Vec<String> = self.clients.clients.iter().map(|c| c.id.clone()).collect();
        self.clients
            .clients
            .iter_mut()
            .find(|c| c.id == id)
            .ok_or_else(|| unknown(id, &known))
    }

    pub fn remove(&mut self, id: &str) -> Result<Client> {
        let known: Vec<String> = self.clients.clients.iter().map(|c| c.id.clone()).collect();
        match self.clients.clients.iter().position(|c| c.id == id) {
            Some(i) => Ok(self.clients.clients.remove(i)),
            None => Err(unknown(id, &known)),
        }
    }
}

fn unknown(id: &str, known: &[String]) -> Error {
    let hint = if known.is_empty() {
        "there are no clients yet: agentos-auth clients add ID --scopes LIST".to_string()
    } else {
        format!("clients: {}", known.join(", "))
    };
    Error::input(format!("no client {id:?}")).hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(id: &str, secret: &str) -> Client {
        Client {
            id: id.into(),
            secret_sha256: hash_secret(secret),
            scopes: vec!["agents:read".into()],
            roles: vec![],
            aud: "os".into(),
            ttl: DEFAULT_TTL,
            created: 0,
        }
    }

    #[test]
    fn secrets_are_256_bits_and_differ() {
        let a = new_secret().unwrap();
        let b = new_secret().unwrap();
        assert_eq!(a.len(), 43);
        assert_ne!(*a, *b);
        assert_eq!(hash_secret(&a).len(), 43);
        assert_ne!(UNKNOWN_CLIENT_HASH.len(), 43);
    }

    #[test]
    fn authenticate_needs_id_and_secret() {
        let set = Clients {
            clients: vec![client("ci", "s3cret"), client("cron", "other")],
        };
        assert_eq!(set.authenticate("ci", "s3cret").unwrap().id, "ci");
        assert!(set.authenticate("ci", "other").is_none());
        assert!(set.authenticate("nobody", "s3cret").is_none());
        assert!(set.authenticate("ci", "").is_none());
    }

    #[test]
    fn ids() {
        assert!(check_id("ci-deploy.v2@team").is_ok());
        for bad in ["", "a:b", "a b", "é", &"x".repeat(129)] {
            assert!(check_id(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn session_writes_private_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = Clients::path(dir.path());
        let mut s = Session::open(&path).unwrap();
        s.clients.clients.push(client("ci", "x"));
        s.commit().unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let mut s = Session::open(&path).unwrap();
        assert!(s.remove("nope").is_err());
        assert_eq!(s.remove("ci").unwrap().id, "ci");
    }
}
