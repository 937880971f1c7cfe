//! Which keys of a provider's JWKS AgentOS can verify tokens with: the filter
//! "signing keys usable with algorithm X". Pure: a document in, kept and dropped keys out.
//!
//! AgentOS verifies one algorithm per server (`JWTMiddleware(algorithm=...)`) and picks
//! a JWKS key by the token's `kid` (agno's `JWTValidator`, keys from `PyJWK.from_dict`):
//! so a key is kept when it is a signing key (`use` absent or `sig`, `key_ops` absent or
//! with `verify`), of the algorithm's key type (RS256: RSA; ES256: EC P-256), with no
//! other `alg`, with a kid, valid, and public. A key that publishes private members is
//! never copied (the provider leaked it; AgentOS would also fail on it).

use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, Kind, Result};
use crate::keys::{type_name, Alg, Jwk};

/// A key left out, and why (one line, no key material).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dropped {
    pub kid: Option<String>,
    pub reason: String,
}

/// The provider's keys split into those AgentOS can use with one algorithm and the rest.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Public JWKs, in the provider's order, kids unique.
    pub kept: Vec<Jwk>,
    pub dropped: Vec<Dropped>,
}

impl Selection {
    pub fn kids(&self) -> Vec<String> {
        self.kept.iter().filter_map(|k| k.kid.clone()).collect()
    }
}

/// Splits the JWKS document `bytes` (from `source`, for messages). Errors (kind
/// [`Kind::Server`]: the provider's answer is unusable): not JSON, not a JWKS, no keys
/// at all. A JWKS whose keys are all dropped is a [`Selection`] with nothing kept: the
/// caller says which `--alg` would have kept some.
pub fn select(bytes: &[u8], source: &str, alg: Alg) -> Result<Selection> {
    let doc: Value = serde_json::from_slice(bytes).map_err(|_| {
        Error::new(Kind::Server, format!("{source} did not answer JSON"))
            .hint("point it at the provider's JWKS (jwks_uri) or its issuer URL")
    })?;
    let keys = match doc.get("keys") {
        Some(Value::Array(keys)) => keys,
        Some(other) => {
            return Err(Error::new(
                Kind::Server,
                format!("{source}: \"keys\" is {}, not an array", type_name(other)),
            )
            .hint("point it at the provider's JWKS (jwks_uri)"))
        }
        None => {
            return Err(Error::new(
                Kind::Server,
                format!("{source} is not a JWKS (no \"keys\" array)"),
            )
            .hint("point it at the provider's JWKS (jwks_uri) or its issuer URL"))
        }
    };
    if keys.is_empty() {
        return Err(Error::new(Kind::Server, format!("{source} has no keys"))
            .hint("the provider publishes an empty key set; check its signing key configuration"));
    }
    let mut out = Selection::default();
    for raw in keys {
        match judge(raw, alg) {
            Ok(jwk) => {
                let kid = jwk.kid.clone();
                if out.kept.iter().any(|k| k.kid == kid) {
                    out.dropped.push(Dropped {
                        kid,
                        reason: "its kid repeats an earlier key's (AgentOS would pick one of them)"
                            .into(),
                    });
                } else {
                    out.kept.push(jwk);
                }
            }
            Err(reason) => out.dropped.push(Dropped {
                kid: raw.get("kid").and_then(Value::as_str).map(str::to_string),
                reason,
            }),
        }
    }
    Ok(out)
}

/// One key: its public JWK when AgentOS can verify `alg` tokens with it, else why not.
fn judge(raw: &Value, alg: Alg) -> std::result::Result<Jwk, String> {
    let jwk = Jwk::from_value(raw).map_err(|e| format!("not a valid JWK: {}", e.msg))?;
    if jwk.has_private_members() {
        return Err(
            "it holds private key members (the provider publishes a private key; never copied)"
                .into(),
        );
    }
    if let Some(u) = jwk.use_.as_deref().filter(|u| *u != "sig") {
        return Err(format!("use \"{u}\": not a signing key"));
    }
    if let Some(ops) = jwk.other.get("key_ops") {
        let verifies = ops
            .as_array()
            .is_some_and(|ops| ops.iter().any(|o| o.as_str() == Some("verify")));
        if !verifies {
            return Err("its key_ops do not include \"verify\"".into());
        }
    }
    let kty_fits = match alg {
        Alg::RS256 => jwk.kty == "RSA",
        Alg::ES256 => jwk.kty == "EC" && jwk.crv.as_deref() == Some("P-256"),
        Alg::HS256 => false,
    };
    if !kty_fits {
        let what = match (jwk.kty.as_str(), jwk.crv.as_deref()) {
            ("EC", Some(crv)) => format!("EC {crv}"),
            (kty, _) => kty.to_string(),
        };
        return Err(format!(
            "{what} key, not {} ({})",
            alg.key_type(),
            alg.as_str()
        ));
    }
    if let Some(a) = jwk.alg.as_deref().filter(|a| *a != alg.as_str()) {
        return Err(format!("alg {a}, not {}", alg.as_str()));
    }
    if jwk.kid.as_deref().is_none_or(str::is_empty) {
        return Err("no kid (AgentOS picks a JWKS key by the token's kid)".into());
    }
    jwk.to_key().map_err(|e| format!("unusable: {}", e.msg))?;
    Ok(jwk)
}

/// For an empty selection: the algorithms the dropped keys would fit, to suggest `--alg`.
pub fn other_algs(bytes: &[u8], alg: Alg) -> Vec<Alg> {
    [Alg::RS256, Alg::ES256]
        .into_iter()
        .filter(|a| *a != alg)
        .filter(|a| select(bytes, "", *a).is_ok_and(|s| !s.kept.is_empty()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::Key;

    fn public(alg: Alg, kid: &str) -> Value {
        let key = Key::generate(alg, 2048).unwrap();
        serde_json::to_value(key.public_jwk(Some(kid)).unwrap()).unwrap()
    }

    #[test]
    fn only_signing_keys_of_the_algorithm_with_a_kid_are_kept() {
        let rsa = public(Alg::RS256, "rsa-1");
        let ec = public(Alg::ES256, "ec-1");
        let mut enc = public(Alg::RS256, "enc-1");
        enc["use"] = "enc".into();
        let mut ps = public(Alg::RS256, "ps-1");
        ps["alg"] = "PS256".into();
        let mut nokid = public(Alg::RS256, "x");
        nokid.as_object_mut().unwrap().remove("kid");
        let mut ops = public(Alg::RS256, "ops-1");
        ops["key_ops"] = serde_json::json!(["encrypt"]);
        let mut private = public(Alg::RS256, "leak");
        private["d"] = "AQAB".into();
        let dup = rsa.clone();
        let doc = serde_json::json!({"keys": [rsa, ec, enc, ps, nokid, ops, private, dup, 7]});
        let s = select(doc.to_string().as_bytes(), "jwks", Alg::RS256).unwrap();
        assert_eq!(s.kids(), ["rsa-1"]);
        let reasons: Vec<_> = s
            .dropped
            .iter()
            .map(|d| (d.kid.clone(), d.reason.clone()))
            .collect();
        let has = |kid: Option<&str>, part: &str| {
            assert!(
                reasons
                    .iter()
                    .any(|(k, r)| k.as_deref() == kid && r.contains(part)),
                "{kid:?} {part}: {reasons:?}"
            )
        };
        has(Some("ec-1"), "EC P-256 key, not RSA");
        has(Some("enc-1"), "use \"enc\"");
        has(Some("ps-1"), "alg PS256");
        has(None, "no kid");
        has(Some("ops-1"), "key_ops");
        has(Some("leak"), "private");
        has(Some("rsa-1"), "repeats");
        has(None, "not a valid JWK");
        let es = select(doc.to_string().as_bytes(), "jwks", Alg::ES256).unwrap();
        assert_eq!(es.kids(), ["ec-1"]);
    }

    #[test]
    fn unusable_documents_are_errors_of_the_server() {
        for bad in ["<html>", "{}", "{\"keys\": {}}", "{\"keys\": []}", "[]"] {
            let e = select(bad.as_bytes(), "https://idp/jwks", Alg::RS256).unwrap_err();
            assert_eq!(e.kind, Kind::Server, "{bad}: {e}");
        }
        let doc = serde_json::json!({"keys": [public(Alg::ES256, "e")]}).to_string();
        assert!(select(doc.as_bytes(), "j", Alg::RS256)
            .unwrap()
            .kept
            .is_empty());
        assert_eq!(other_algs(doc.as_bytes(), Alg::RS256), [Alg::ES256]);
    }
}
