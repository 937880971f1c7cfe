//! What the service serves from the key store — the signing key, the public JWKS, the
//! clients, the settings — and picking up changes (`jwks rotate`/`use`, `clients
//! add`) without a restart: before each request the store's files are stat()ed (four
//! syscalls, no read) and reloaded when one has changed.

use std::os::unix::fs::MetadataExt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};

use serde_json::{Map, Value};

use crate::clients::Clients;
use crate::error::Result;
use crate::keyring::{self, Keyring};
use crate::keys::{Alg, Signer, PRIVATE_MEMBERS};
use crate::store::Store;

/// One consistent view of the store.
pub struct Snapshot {
    pub signer: Signer,
    pub kid: String,
    pub header: Map<String, Value>,
    /// `{"keys":[...]}`, public members only.
    pub jwks_body: Vec<u8>,
    pub clients: Clients,
    pub roles_claim: String,
    /// `iss` of the tokens: `--issuer`, else the store's `iss`, else the listen URL.
    pub issuer: String,
}

impl Snapshot {
    fn load(store: &Store, issuer: &IssuerChoice) -> Result<Snapshot> {
        let settings = store.settings()?;
        let dir = store.key_dir();
        let ring = Keyring::load_for_signing(
            &dir,
            &store.root,
            "create one with: agentos-auth keygen --aud OS_ID (or jwks rotate)",
        )?;
        // The signing key must be published in the JWKS AgentOS reads, else every
        // token would get 401 (an HS256 secret is never published).
        let hs256 = ring.signing().is_some_and(|e| e.alg == Alg::HS256);
        let jwks_path = store.jwks_path();
        let (key, entry) = if hs256 {
            ring.load_signing_key(&dir)?
        } else {
            keyring::signing_key(&dir, Some(&jwks_path))?
        };
        let signer = key.signer()?;
        let header = crate::token::header(&signer, Some(&entry.kid));
        let jwks = keyring::load_jwks(&jwks_path)?;
        let keys: Vec<Value> = jwks
            .keys
            .iter()
            .filter(|k| k.kty != "oct")
            .filter_map(|k| serde_json::to_value(k).ok())
            .map(|mut v| {
                if let Some(o) = v.as_object_mut() {
                    for m in PRIVATE_MEMBERS {
                        o.remove(m);
                    }
                }
                v
            })
            .collect();
        let jwks_body = serde_json::to_vec(&serde_json::json!({ "keys": keys }))
            .unwrap_or_else(|_| b"{\"keys\":[]}".to_vec());
        Ok(Snapshot {
            signer,
            kid: entry.kid,
            header,
            jwks_body,
            clients: Clients::load(&store.clients_path())?,
            roles_claim: settings.roles_claim.unwrap_or_else(|| "roles".into()),
            issuer: match issuer {
                IssuerChoice::Given(i) => i.clone(),
                IssuerChoice::Default(url) => settings.iss.unwrap_or_else(|| url.clone()),
            },
        })
    }
}

pub enum IssuerChoice {
    Given(String),
    /// The listen URL, used unless the store's settings name an issuer.
    Default(String),
}

/// (device, inode, mtime in ns, size) of each watched file; `None` when absent. Atomic
/// writes replace the inode, so even a same-second change is seen.
type Stamp = Vec<Option<(u64, u64, i64, u64)>>;

/// The current snapshot and how to tell when it is stale.
pub struct Live {
    store: Store,
    issuer: IssuerChoice,
    watched: Vec<PathBuf>,
    stamp: Mutex<Stamp>,
    current: RwLock<Arc<Snapshot>>,
}

/// What [`Live::current`] did besides answering.
pub enum Reload {
    None,
    Reloaded,
    /// The store changed but does not load: the previous snapshot stays in use.
    Failed(crate::error::Error),
}

impl Live {
    pub fn open(store: Store, issuer: IssuerChoice) -> Result<Live> {
        let watched = vec![
            Keyring::path(&store.key_dir()),
            store.jwks_path(),
            store.clients_path(),
            store.settings_path(),
        ];
        let stamp = stamp(&watched);
        let snapshot = Snapshot::load(&store, &issuer)?;
        Ok(Live {
            store,
            issuer,
            watched,
            stamp: Mutex::new(stamp),
            current: RwLock::new(Arc::new(snapshot)),
        })
    }

    /// The snapshot to answer with when no watched file changed (four `stat` calls, a
    /// few microseconds on a local disk); `None` when one did: then [`Live::current`],
    /// off the reactor, reloads.
    pub fn unchanged(&self) -> Option<Arc<Snapshot>> {
        let now = stamp(&self.watched);
        let seen = self.stamp.lock().unwrap_or_else(|p| p.into_inner());
        (*seen == now).then(|| {
            self.current
                .read()
                .unwrap_or_else(|p| p.into_inner())
                .clone()
        })
    }

    /// The snapshot to answer with, reloaded first if a watched file changed. Blocking
    /// (stat, and on change file reads and maybe a PKCS#11 login): call it off the reactor.
    pub fn current(&self) -> (Arc<Snapshot>, Reload) {
        let now = stamp(&self.watched);
        let mut reload = Reload::None;
        {
            let mut seen = self.stamp.lock().unwrap_or_else(|p| p.into_inner());
            if *seen != now {
                // Recorded before loading: a broken store is reported once per change,
                // not retried (and logged) on every request.
                *seen = now;
                reload = match Snapshot::load(&self.store, &self.issuer) {
                    Ok(s) => {
                        *self.current.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(s);
                        Reload::Reloaded
                    }
                    Err(e) => Reload::Failed(e),
                };
            }
        }
        let snap = self
            .current
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        (snap, reload)
    }
}

fn stamp(paths: &[PathBuf]) -> Stamp {
    paths
        .iter()
        .map(|p| {
            std::fs::metadata(p).ok().map(|m| {
                (
                    m.dev(),
                    m.ino(),
                    m.mtime() * 1_000_000_000 + m.mtime_nsec(),
                    m.size(),
                )
            })
        })
        .collect()
}
