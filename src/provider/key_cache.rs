//! A verifier's view of a provider's keys: the keys by kid, kept for the JWKS answer's
//! `max-age` (within [`Bounds`]), fetched again when a token names an unknown kid (the
//! provider rotated), but at most once per [`Bounds::min_refresh`] so that tokens with
//! made-up kids cannot make this server hammer the provider.
//!
//! The fetch is a [`KeySource`] ([`JwksEndpoint`] over HTTP); the timing takes `now`
//! as an argument so that it is tested without sleeping.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::error::Result;
use crate::http;
use crate::keys::{Alg, Jwk, Key};

use super::fetch;

/// How long fetched keys are trusted, and how often an unknown kid may cause a fetch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    /// Keys are kept at least this long whatever max-age says (a `max-age=0` provider
    /// would otherwise be asked on every token).
    pub min_age: Duration,
    /// ... and at most this long (a `max-age` of a year would miss a rotation).
    pub max_age: Duration,
    /// Used when the answer has no `max-age`.
    pub default_age: Duration,
    /// Fewest seconds between two fetches caused by unknown kids.
    pub min_refresh: Duration,
}

impl Default for Bounds {
    fn default() -> Self {
        Bounds {
            min_age: Duration::from_secs(60),
            max_age: Duration::from_secs(24 * 3600),
            default_age: Duration::from_secs(300),
            min_refresh: Duration::from_secs(30),
        }
    }
}

impl Bounds {
    /// How long an answer with this `max-age` is kept.
    pub fn keep_for(&self, max_age: Option<Duration>) -> Duration {
        max_age
            .unwrap_or(self.default_age)
            .clamp(self.min_age, self.max_age.max(self.min_age))
    }
}

/// A fetch's result: the provider's usable signing keys and the answer's max-age.
pub type Fetched = (Vec<Jwk>, Option<Duration>);

/// Where keys come from.
pub trait KeySource {
    fn fetch(&self) -> Result<Fetched>;
}

/// A JWKS URL over HTTP, filtered to the keys usable with `alg`.
pub struct JwksEndpoint {
    pub http: http::Client,
    pub jwks_url: String,
    pub alg: Alg,
}

impl KeySource for JwksEndpoint {
    fn fetch(&self) -> Result<Fetched> {
        let (selection, max_age) = fetch::fetch_jwks(&self.http, &self.jwks_url, self.alg)?;
        Ok((selection.kept, max_age))
    }
}

struct State {
    keys: HashMap<String, Arc<Key>>,
    /// When the keys were fetched (`None`: never).
    fetched_at: Option<Instant>,
    /// When a fetch was last tried, successful or not.
    tried_at: Option<Instant>,
    keep_for: Duration,
}

/// The keys of one provider by kid. `Sync`: one cache serves all request threads (a
/// fetch holds the lock, so concurrent unknown kids cause one fetch, not many).
pub struct KeyCache<S> {
    source: S,
    bounds: Bounds,
    state: Mutex<State>,
}

impl<S: KeySource> KeyCache<S> {
    /// An empty cache; the first lookup fetches.
    pub fn new(source: S, bounds: Bounds) -> Self {
        KeyCache {
            source,
            bounds,
            state: Mutex::new(State {
                keys: HashMap::new(),
                fetched_at: None,
                tried_at: None,
                keep_for: Duration::ZERO,
            }),
        }
    }

    /// The key of `kid` now. See [`Self::key_at`].
    pub fn key(&self, kid: &str) -> Result<Option<Arc<Key>>> {
        self.key_at(kid, Instant::now())
    }

    /// The key of `kid` at `now`: from the cache while fresh; fetched again when the
    /// keys are stale or the kid is unknown, at most once per `min_refresh`. `Ok(None)`:
    /// the provider has no such key (the token is to be refused). An error only when no
    /// keys were ever fetched; a failed refresh keeps serving the keys it has.
    pub fn key_at(&self, kid: &str, now: Instant) -> Result<Option<Arc<Key>>> {
        let mut st = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let stale = st
            .fetched_at
            .is_none_or(|t| now.saturating_duration_since(t) >= st.keep_for);
        let known = st.keys.contains_key(kid);
        let may_fetch = st
            .tried_at
            .is_none_or(|t| now.saturating_duration_since(t) >= self.bounds.min_refresh);
        if (stale || !known) && (may_fetch || st.fetched_at.is_none()) {
            st.tried_at = Some(now);
            match self.source.fetch() {
                Ok((jwks, max_age)) => {
                    let mut keys = HashMap::new();
                    for jwk in jwks {
                        if let (Some(kid), Ok(key)) = (jwk.kid.clone(), jwk.to_key()) {
                            keys.insert(kid, Arc::new(key));
                        }
                    }
                    st.keys = keys;
                    st.fetched_at = Some(now);
                    st.keep_for = self.bounds.keep_for(max_age);
                }
                Err(e) if st.fetched_at.is_none() => return Err(e),
                Err(_) => {}
            }
        }
        Ok(st.keys.get(kid).cloned())
    }

    /// The kids held now (for diagnostics).
    pub fn kids(&self) -> Vec<String> {
        let st = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let mut kids: Vec<String> = st.keys.keys().cloned().collect();
        kids.sort();
        kids
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Error, Kind};
    use std::cell::RefCell;

    /// Hands out prepared answers and counts fetches.
    struct Script {
        answers: RefCell<Vec<Result<Fetched>>>,
        fetches: RefCell<usize>,
    }

    impl KeySource for Script {
        fn fetch(&self) -> Result<Fetched> {
            *self.fetches.borrow_mut() += 1;
            self.answers.borrow_mut().remove(0)
        }
    }

    fn jwk(kid: &str) -> Jwk {
        Key::generate(Alg::ES256, 0)
            .unwrap()
            .public_jwk(Some(kid))
            .unwrap()
    }

    fn secs(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    #[test]
    fn unknown_kids_refresh_at_most_once_per_min_refresh() {
        let script = Script {
            answers: RefCell::new(vec![
                Ok((vec![jwk("a")], Some(secs(3600)))),
                Ok((vec![jwk("a"), jwk("b")], Some(secs(3600)))),
            ]),
            fetches: RefCell::new(0),
        };
        let cache = KeyCache::new(script, Bounds::default());
        let t0 = Instant::now();
        assert!(cache.key_at("a", t0).unwrap().is_some());
        assert!(cache.key_at("a", t0 + secs(10)).unwrap().is_some());
        assert_eq!(
            *cache.source.fetches.borrow(),
            1,
            "a fresh known kid fetches nothing"
        );
        // "b" unknown within min_refresh of the first fetch: no fetch, refused.
        assert!(cache.key_at("b", t0 + secs(10)).unwrap().is_none());
        assert_eq!(*cache.source.fetches.borrow(), 1);
        // After min_refresh: one fetch finds the rotated key.
        assert!(cache.key_at("b", t0 + secs(31)).unwrap().is_some());
        assert_eq!(*cache.source.fetches.borrow(), 2);
        assert_eq!(cache.kids(), ["a", "b"]);
    }

    #[test]
    fn a_failed_refresh_keeps_the_keys_a_failed_first_fetch_is_an_error() {
        let script = Script {
            answers: RefCell::new(vec![
                Err(Error::new(Kind::Server, "down")),
                Ok((vec![jwk("a")], Some(secs(0)))),
                Err(Error::new(Kind::Server, "down")),
            ]),
            fetches: RefCell::new(0),
        };
        let cache = KeyCache::new(script, Bounds::default());
        let t0 = Instant::now();
        assert!(cache.key_at("a", t0).is_err());
        // Never fetched: the next lookup tries again at once.
        assert!(cache.key_at("a", t0).unwrap().is_some());
        // max-age 0 is kept min_age (60 s); then stale, the refresh fails, "a" stays.
        assert!(cache.key_at("a", t0 + secs(61)).unwrap().is_some());
        assert_eq!(*cache.source.fetches.borrow(), 3);
    }

    #[test]
    fn one_cache_serves_all_request_threads() {
        fn shared<T: Send + Sync>() {}
        shared::<KeyCache<JwksEndpoint>>();
    }

    #[test]
    fn max_age_is_bounded() {
        let b = Bounds::default();
        assert_eq!(b.keep_for(Some(secs(0))), secs(60));
        assert_eq!(b.keep_for(Some(secs(600))), secs(600));
        assert_eq!(b.keep_for(Some(secs(365 * 86400))), secs(86400));
        assert_eq!(b.keep_for(None), secs(300));
    }
}
