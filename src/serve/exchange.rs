//! RFC 8693 token exchange (`serve --exchange FILE`): a `subject_token` from a trusted
//! identity provider becomes an AgentOS token. The provider's keys come from its
//! discovery document and JWKS through [`crate::provider`] (the one fetcher, with its
//! bounded refresh on an unknown kid); this file decides what a subject token is worth.
//!
//! FILE: `{"issuers": [{"issuer": URL, "audience": AUD, "scopes_claim": CLAIM,
//! "map": {VALUE: [SCOPES]}, "roles_claim": CLAIM, "roles_map": {VALUE: [ROLES]},
//! "ca_file": PEM}]}`. A token of `issuer` for `audience` is trusted; the values of
//! `scopes_claim` (a list, or a space-separated string; a dotted name such as
//! `realm_access.roles` reaches into objects) become AgentOS scopes through `map`
//! (values it does not name give none), or as they are without `map`; the values of
//! `roles_claim` become agno 3.1 roles (`Authorization`'s roles claim) the same way
//! through `roles_map`. An issuer names one claim or both.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::keys::Alg;
use crate::provider::{self, Bounds, JwksEndpoint, KeyCache};

pub const GRANT: &str = "urn:ietf:params:oauth:grant-type:token-exchange";
pub const ACCESS_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:access_token";
/// Subject token types taken: all are JWTs here.
const SUBJECT_TYPES: [&str; 3] = [
    ACCESS_TOKEN_TYPE,
    "urn:ietf:params:oauth:token-type:jwt",
    "urn:ietf:params:oauth:token-type:id_token",
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    issuers: Vec<IssuerConfig>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct IssuerConfig {
    issuer: String,
    audience: String,
    #[serde(default)]
    scopes_claim: Option<String>,
    #[serde(default)]
    map: Option<BTreeMap<String, Vec<String>>>,
    #[serde(default)]
    roles_claim: Option<String>,
    #[serde(default)]
    roles_map: Option<BTreeMap<String, Vec<String>>>,
    #[serde(default)]
    ca_file: Option<PathBuf>,
}

struct Issuer {
    config: IssuerConfig,
    /// One cache per algorithm a subject token may use.
    rs256: KeyCache<JwksEndpoint>,
    es256: KeyCache<JwksEndpoint>,
}

/// The trusted issuers, their keys cached.
pub struct Exchange {
    issuers: Vec<Issuer>,
}

/// Why a subject token is refused: `invalid_grant` (RFC 8693 §2.2.2) or, for a
/// provider we cannot reach, a server-side failure.
pub enum Refused {
    InvalidGrant(String),
    InvalidRequest(String),
    Unavailable(String),
}

/// What a trusted subject token grants.
pub struct Subject {
    pub sub: String,
    pub scopes: Vec<String>,
    /// agno 3.1 roles, for the store's roles claim.
    pub roles: Vec<String>,
    pub exp: i64,
}

impl Exchange {
    /// Reads FILE's text and asks each issuer for its discovery document (so that a
    /// wrong issuer or CA stops `serve` at start, not at the first exchange).
    pub fn load(text: &str, source: &str) -> Result<Exchange> {
        let file: File = serde_json::from_str(text).map_err(|e| {
            Error::input(format!("{source}: not a token-exchange file: {e}")).hint(
                r#"{"issuers": [{"issuer": URL, "audience": AUD, "scopes_claim": CLAIM, "map": {VALUE: [SCOPES]}}]}"#,
            )
        })?;
        if file.issuers.is_empty() {
            return Err(Error::input(format!("{source}: no issuers"))
                .hint("name at least one trusted issuer"));
        }
        let mut issuers = Vec::new();
        for config in file.issuers {
            let named = |claim: &Option<String>, map: &Option<BTreeMap<_, _>>, what: &str| match (
                claim, map,
            ) {
                (None, Some(_)) => Err(Error::input(format!(
                    "{source}: issuer {}: {what} without the claim it maps",
                    config.issuer
                ))),
                _ => Ok(claim.is_some()),
            };
            let scopes = named(&config.scopes_claim, &config.map, "map")
                .map_err(|e| e.hint("add \"scopes_claim\": CLAIM, or remove \"map\""))?;
            let roles = named(&config.roles_claim, &config.roles_map, "roles_map")
                .map_err(|e| e.hint("add \"roles_claim\": CLAIM, or remove \"roles_map\""))?;
            if !scopes && !roles {
                return Err(Error::input(format!(
                    "{source}: issuer {}: no claim to map",
                    config.issuer
                ))
                .hint("add \"scopes_claim\": CLAIM (AgentOS scopes) or \"roles_claim\": CLAIM (agno 3.1 roles)"));
            }
            let http = provider::fetch::client(
                provider::fetch::DEFAULT_TIMEOUT,
                config.ca_file.clone(),
                "--exchange",
            )?;
            let d = provider::fetch::fetch_discovery(&http, &config.issuer)
                .map_err(|e| e.context(format!("{source}: issuer {}", config.issuer)))?;
            let cache = |alg| {
                KeyCache::new(
                    JwksEndpoint {
                        http: http.clone(),
                        jwks_url: d.jwks_uri.clone(),
                        alg,
                    },
                    Bounds::default(),
                )
            };
            let rs256 = cache(Alg::RS256);
            let es256 = cache(Alg::ES256);
            issuers.push(Issuer {
                config,
                rs256,
                es256,
            });
        }
        Ok(Exchange { issuers })
    }

    pub fn issuer_count(&self) -> usize {
        self.issuers.len()
    }

    /// Verifies `token` as PyJWT would (signature by kid, `exp`, `nbf`, `aud`) against the
    /// issuer its `iss` names, and maps its claim to scopes. Blocking (a key fetch).
    pub fn subject(
        &self,
        token: &str,
        token_type: Option<&str>,
        now: i64,
    ) -> Result<Subject, Refused> {
        use Refused::*;
        match token_type {
            None => return Err(InvalidRequest("subject_token_type is missing".into())),
            Some(t) if !SUBJECT_TYPES.contains(&t) => {
                return Err(InvalidRequest(
                    "subject_token_type must be a JWT access token, JWT or ID token".into(),
                ))
            }
            Some(_) => {}
        }
        let bad = |why: &str| InvalidGrant(format!("subject_token: {why}"));
        let d = crate::token::decode(token).map_err(|_| bad("not a JWT"))?;
        let claims = d
            .claims_object()
            .ok_or_else(|| bad("its claims are not an object"))?;
        let iss = claims
            .get("iss")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("no iss"))?;
        let issuer = self
            .issuers
            .iter()
            .find(|i| i.config.issuer == iss)
            .ok_or_else(|| bad("its issuer is not trusted"))?;
        let cache = match d.alg() {
            Some("RS256") => &issuer.rs256,
            Some("ES256") => &issuer.es256,
            _ => return Err(bad("alg must be RS256 or ES256")),
        };
        let kid = d
            .kid()
            .and_then(Value::as_str)
            .ok_or_else(|| bad("no kid"))?;
        let key = match cache.key(kid) {
            Ok(Some(k)) => k,
            Ok(None) => return Err(bad("its kid is not among the issuer's keys")),
            Err(_) => return Err(Unavailable("the issuer's keys could not be fetched".into())),
        };
        let verifier = key.verifier().map_err(|_| bad("its key cannot verify"))?;
        if !verifier.verify(d.signing_input.as_bytes(), &d.signature) {
            return Err(bad("bad signature"));
        }
        let exp = claims
            .get("exp")
            .and_then(Value::as_f64)
            .ok_or_else(|| bad("no exp"))? as i64;
        if exp <= now {
            return Err(bad("expired"));
        }
        if claims
            .get("nbf")
            .and_then(Value::as_f64)
            .is_some_and(|n| n > now as f64)
        {
            return Err(bad("not valid yet (nbf)"));
        }
        let aud_ok = match claims.get("aud") {
            Some(Value::String(a)) => *a == issuer.config.audience,
            Some(Value::Array(list)) => list
                .iter()
                .any(|a| a.as_str() == Some(&issuer.config.audience)),
            _ => false,
        };
        if !aud_ok {
            return Err(bad("its audience is not the one trusted"));
        }
        let sub = claims
            .get("sub")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| bad("no sub"))?;
        let c = &issuer.config;
        Ok(Subject {
            sub: sub.to_string(),
            scopes: mapped(claims, c.scopes_claim.as_deref(), c.map.as_ref()),
            roles: mapped(claims, c.roles_claim.as_deref(), c.roles_map.as_ref()),
            exp,
        })
    }
}

/// The values of `claim` through `map` (values it does not name give nothing), or as
/// they are without one; each once, in order.
fn mapped(
    claims: &serde_json::Map<String, Value>,
    claim: Option<&str>,
    map: Option<&BTreeMap<String, Vec<String>>>,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in claim.map(|c| claim_values(claims, c)).unwrap_or_default() {
        let each = match map {
            Some(map) => map.get(&v).cloned().unwrap_or_default(),
            None => vec![v],
        };
        for s in each {
            if !out.contains(&s) {
                out.push(s);
            }
        }
    }
    out
}

/// The values of `claim` (dotted names reach into objects): a list of strings, or a
/// space-separated string, as providers send them.
fn claim_values(claims: &serde_json::Map<String, Value>, claim: &str) -> Vec<String> {
    let mut parts = claim.split('.');
    let first = parts.next().unwrap_or("");
    let mut v = claims.get(first);
    for p in parts {
        v = v.and_then(|x| x.get(p));
    }
    v.map(crate::token::claim_strings).unwrap_or_default()
}

/// Lifetime of an exchanged token: the client's, never past the subject token's `exp`.
pub fn lifetime(client_ttl: i64, subject_exp: i64, now: i64) -> i64 {
    client_ttl.min(subject_exp - now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claim_values_read_lists_strings_and_paths() {
        let c = serde_json::json!({"scp": "a b  c", "roles": ["x", 1, "y"], "realm_access": {"roles": ["r"]}});
        let c = c.as_object().unwrap();
        assert_eq!(claim_values(c, "scp"), ["a", "b", "c"]);
        assert_eq!(claim_values(c, "roles"), ["x", "y"]);
        assert_eq!(claim_values(c, "realm_access.roles"), ["r"]);
        assert!(claim_values(c, "nope").is_empty());
        let map = BTreeMap::from([
            ("x".to_string(), vec!["a".to_string(), "b".to_string()]),
            ("y".to_string(), vec!["b".to_string()]),
        ]);
        assert_eq!(mapped(c, Some("roles"), Some(&map)), ["a", "b"]);
        assert_eq!(mapped(c, Some("roles"), None), ["x", "y"]);
        assert!(mapped(c, None, Some(&map)).is_empty());
        assert!(mapped(c, Some("scp"), Some(&map)).is_empty());
        assert_eq!(lifetime(900, 1000 + 60, 1000), 60);
        assert_eq!(lifetime(900, 1000 + 6000, 1000), 900);
    }
}
