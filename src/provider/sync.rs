//! `jwks sync`'s merge: a provider's current signing keys into a JWKS file that may also
//! hold keys of other sources (the key store's own, another provider's, `jwks add`'s).
//!
//! Which keys of the file are the provider's is recorded beside it, in `FILE.sources`
//! (`{"sources": [{"jwks_url": ..., "kids": [...]}]}`; public, AgentOS never reads it):
//! a later sync removes only kids recorded for the same JWKS URL that the provider no
//! longer publishes. A kid already in the file from elsewhere is left alone: with the
//! same key it is adopted (recorded as the provider's), with another key the provider's
//! key is dropped ("kid clashes"). Losing `FILE.sources` loses nothing but removals:
//! the next sync adopts the provider's keys again, and keys it had removed before stay.
//!
//! The merge is pure ([`merge`]); [`sync_file`] reads and writes under the JWKS's lock.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::fsio::{self, FileLock, Overwrite, PUBLIC_MODE};
use crate::jwk_set::Jwks;
use crate::keyring;

use super::signing_keys::{Dropped, Selection};

/// What a sync did to the file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SyncReport {
    pub changed: bool,
    pub added: Vec<String>,
    pub removed: Vec<String>,
    /// Kids of the provider whose key changed under the same kid (also in `added`).
    pub replaced: Vec<String>,
    pub dropped: Vec<Dropped>,
    /// The provider's kids in the file after the sync.
    pub provider_kids: Vec<String>,
}

/// The merged file and what changed.
#[derive(Debug, Clone)]
pub struct Merged {
    pub jwks: Jwks,
    pub report: SyncReport,
}

/// Merges the provider's `selection` into `file`, of which `owned` are the provider's
/// kids as recorded before.
pub fn merge(file: &Jwks, owned: &[String], selection: &Selection) -> Merged {
    let mut report = SyncReport {
        dropped: selection.dropped.clone(),
        ..SyncReport::default()
    };
    let provider_kid = |kid: &str| selection.kept.iter().any(|k| k.kid.as_deref() == Some(kid));
    let is_owned = |kid: &str| owned.iter().any(|o| o == kid);
    let mut keys = Vec::with_capacity(file.keys.len() + selection.kept.len());
    for key in &file.keys {
        match key.kid.as_deref() {
            Some(kid) if is_owned(kid) && !provider_kid(kid) => report.removed.push(kid.into()),
            _ => keys.push(key.clone()),
        }
    }
    for new in &selection.kept {
        let Some(kid) = new.kid.as_deref() else {
            continue;
        };
        match keys.iter().position(|k| k.kid.as_deref() == Some(kid)) {
            None => {
                keys.push(new.clone());
                report.added.push(kid.into());
                report.provider_kids.push(kid.into());
            }
            Some(i) if keyring::same_material(&keys[i], new) => {
                report.provider_kids.push(kid.into())
            }
            Some(i) if is_owned(kid) => {
                keys[i] = new.clone();
                report.added.push(kid.into());
                report.replaced.push(kid.into());
                report.provider_kids.push(kid.into());
            }
            Some(_) => report.dropped.push(Dropped {
                kid: Some(kid.into()),
                reason: "its kid clashes with another key already in the file (of another source); left as it is"
                    .into(),
            }),
        }
    }
    report.changed = !report.added.is_empty() || !report.removed.is_empty();
    Merged {
        jwks: Jwks { keys },
        report,
    }
}

/// `FILE.sources`: which kids of the JWKS each synced provider owns.
pub fn sources_file(jwks_path: &Path) -> PathBuf {
    let mut name = jwks_path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| "jwks".into());
    name.push(".sources");
    jwks_path.with_file_name(name)
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct SourcesFile {
    #[serde(default)]
    sources: Vec<SourceEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct SourceEntry {
    jwks_url: String,
    #[serde(default)]
    kids: Vec<String>,
}

fn load_sources(path: &Path) -> Result<SourcesFile> {
    if !path.exists() {
        return Ok(SourcesFile::default());
    }
    let bytes = fsio::read_file(path)?;
    serde_json::from_slice(&bytes).map_err(|e| {
        Error::input(format!("{}: not a valid list of synced sources: {e}", path.display()))
            .hint("it records which kids jwks sync put in the JWKS beside it; delete it and sync again (keys it had recorded are then kept)")
    })
}

/// The kids of `jwks_url` recorded beside `jwks_path`.
pub fn owned_kids(jwks_path: &Path, jwks_url: &str) -> Result<Vec<String>> {
    Ok(load_sources(&sources_file(jwks_path))?
        .sources
        .into_iter()
        .find(|s| s.jwks_url == jwks_url)
        .map(|s| s.kids)
        .unwrap_or_default())
}

/// kid → the JWKS URL it was synced from, for every provider kid recorded beside
/// `jwks_path` (`jwks list` marks them: they are no key of the key store).
pub fn synced_kids(jwks_path: &Path) -> Result<std::collections::HashMap<String, String>> {
    let mut out = std::collections::HashMap::new();
    for s in load_sources(&sources_file(jwks_path))?.sources {
        for kid in s.kids {
            out.insert(kid, s.jwks_url.clone());
        }
    }
    Ok(out)
}

/// Reads `jwks_path` (missing: empty), merges, and writes it atomically when it changed,
/// then records the provider's kids. On any error the file is as it was.
pub fn sync_file(jwks_path: &Path, jwks_url: &str, selection: &Selection) -> Result<SyncReport> {
    let _lock = FileLock::exclusive(jwks_path)?;
    let file = keyring::load_jwks(jwks_path)?;
    let sources_path = sources_file(jwks_path);
    let mut sources = load_sources(&sources_path)?;
    let owned = sources
        .sources
        .iter()
        .find(|s| s.jwks_url == jwks_url)
        .map(|s| s.kids.clone())
        .unwrap_or_default();
    let merged = merge(&file, &owned, selection);
    if merged.report.changed || !jwks_path.exists() {
        keyring::save_jwks(jwks_path, &merged.jwks)?;
    }
    let mut kids = merged.report.provider_kids.clone();
    kids.sort();
    match sources.sources.iter_mut().find(|s| s.jwks_url == jwks_url) {
        Some(entry) if entry.kids == kids => return Ok(merged.report),
        Some(entry) => entry.kids = kids,
        None => sources.sources.push(SourceEntry {
            jwks_url: jwks_url.to_string(),
            kids,
        }),
    }
    let mut json = serde_json::to_string_pretty(&sources)
        .map_err(|e| Error::io(format!("cannot encode {}: {e}", sources_path.display())))?;
    json.push('\n');
    fsio::write_atomic(
        &sources_path,
        json.as_bytes(),
        PUBLIC_MODE,
        Overwrite::Replace,
    )?;
    Ok(merged.report)
}

/// `jwks sync --watch EVERY`: how long to wait before the next sync. EVERY is the
/// longest wait; a provider whose answer is fresh for less (`Cache-Control: max-age`) is
/// asked sooner, but never sooner than 60 s (or EVERY, if shorter), so that `max-age=0`
/// does not turn the sidecar into a busy loop.
pub fn next_sync_in(
    every: std::time::Duration,
    max_age: Option<std::time::Duration>,
) -> std::time::Duration {
    let floor = every.min(std::time::Duration::from_secs(60));
    max_age.map_or(every, |m| m.clamp(floor, every))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{Alg, Jwk, Key};

    fn jwk(kid: &str) -> Jwk {
        Key::generate(Alg::ES256, 0)
            .unwrap()
            .public_jwk(Some(kid))
            .unwrap()
    }

    fn kids(j: &Jwks) -> Vec<&str> {
        j.keys.iter().filter_map(|k| k.kid.as_deref()).collect()
    }

    #[test]
    fn the_watch_interval_follows_max_age_within_bounds() {
        use std::time::Duration as D;
        let h = D::from_secs(3600);
        assert_eq!(next_sync_in(h, None), h);
        assert_eq!(next_sync_in(h, Some(D::from_secs(600))), D::from_secs(600));
        assert_eq!(next_sync_in(h, Some(D::ZERO)), D::from_secs(60));
        assert_eq!(next_sync_in(h, Some(D::from_secs(86400))), h);
        assert_eq!(
            next_sync_in(D::from_secs(5), Some(D::ZERO)),
            D::from_secs(5)
        );
    }

    #[test]
    fn only_the_providers_own_keys_are_removed_and_clashes_are_left_alone() {
        let (store, p1, p2, p3) = (jwk("store"), jwk("p1"), jwk("p2"), jwk("p3"));
        let file = Jwks {
            keys: vec![store.clone(), p1.clone(), p2.clone()],
        };
        let clash = jwk("store");
        let sel = Selection {
            kept: vec![p2.clone(), p3.clone(), clash],
            dropped: vec![],
        };
        let m = merge(&file, &["p1".into(), "p2".into()], &sel);
        assert_eq!(kids(&m.jwks), ["store", "p2", "p3"]);
        assert_eq!(m.report.added, ["p3"]);
        assert_eq!(m.report.removed, ["p1"]);
        assert_eq!(m.report.provider_kids, ["p2", "p3"]);
        assert_eq!(m.report.dropped.len(), 1);
        assert!(m.report.dropped[0].reason.contains("clashes"));
        assert!(m.report.changed);
        // Nothing recorded: the provider's keys already there are adopted, nothing removed.
        let m = merge(
            &file,
            &[],
            &Selection {
                kept: vec![p1.clone()],
                dropped: vec![],
            },
        );
        assert!(!m.report.changed);
        assert_eq!(m.report.provider_kids, ["p1"]);
        assert_eq!(kids(&m.jwks), ["store", "p1", "p2"]);
        // A recorded kid with new material is replaced.
        let p1b = jwk("p1");
        let m = merge(
            &file,
            &["p1".into()],
            &Selection {
                kept: vec![p1b.clone()],
                dropped: vec![],
            },
        );
        assert_eq!(m.report.replaced, ["p1"]);
        assert!(keyring::same_material(&m.jwks.keys[1], &p1b));
    }
}
