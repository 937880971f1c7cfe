//! JWK Sets (RFC 7517 §5): the JSON documents of keys that AgentOS reads from
//! `jwks_file` / `JWT_JWKS_FILE`. One key as a JWK is `keys::Jwk`.
//!
//! Two readers: [`parse_jwks`] is strict (files this tool manages: any flaw is an
//! error naming the key), [`inspect_jwks`] is lenient (diagnosis: every key gets its
//! own verdict, the way AgentOS — `PyJWK.from_dict` per key — skips the bad ones).
//! Converting a JWK to a key is done by [`Jwk::to_key`] (implemented in `keys`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Error, Result};
use crate::keys::{type_name, Key};

use crate::keys::{Jwk, PRIVATE_MEMBERS};

/// A JWK Set: `{"keys": [...]}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Jwks {
    pub keys: Vec<Jwk>,
}

impl Jwks {
    /// The first key whose kid is `kid`.
    pub fn find(&self, kid: &str) -> Option<&Jwk> {
        self.keys.iter().find(|k| k.kid.as_deref() == Some(kid))
    }

    /// Pretty JSON (2-space indent) with a trailing newline.
    pub fn to_json_pretty(&self) -> String {
        let mut s = serde_json::to_string_pretty(self)
            .unwrap_or_else(|_| "{\n  \"keys\": []\n}".to_string());
        s.push('\n');
        s
    }
}

/// "key #2 (kid "k2")", "key #2 (no kid)"; `number` is 1-based.
fn key_label(number: usize, raw: &Value) -> String {
    match raw.get("kid") {
        Some(Value::String(s)) => format!("key #{number} (kid {})", Value::from(s.as_str())),
        Some(other) => format!("key #{number} (kid {other})"),
        None => format!("key #{number} (no kid)"),
    }
}

/// The entries of a JWKS document's "keys" array; errors name the source.
fn jwks_entries(bytes: &[u8], source: &str) -> Result<Vec<Value>> {
    const SHAPE: &str = "a JWKS is a JSON object {\"keys\": [ ... ]}";
    let doc: Value = serde_json::from_slice(bytes)
        .map_err(|e| Error::input(format!("{source}: not valid JSON ({e})")).hint(SHAPE))?;
    let Some(obj) = doc.as_object() else {
        return Err(Error::input(format!(
            "{source}: a JWKS must be a JSON object, got {}",
            type_name(&doc)
        ))
        .hint(SHAPE));
    };
    match obj.get("keys") {
        Some(Value::Array(keys)) => Ok(keys.clone()),
        Some(other) => Err(Error::input(format!(
            "{source}: \"keys\" must be an array, got {}",
            type_name(other)
        ))
        .hint(SHAPE)),
        None if obj.contains_key("kty") => Err(Error::input(format!(
            "{source} is a single JWK, not a JWKS"
        ))
        .hint("wrap it as {\"keys\": [ THE_JWK ]}")),
        None => Err(Error::input(format!("{source}: no \"keys\" array")).hint(SHAPE)),
    }
}

/// Strict parse for files we manage. Every key must be a valid RSA, EC P-256 or oct
/// JWK (see [`Jwk::to_key`]) and kids must be unique; errors name the source, the
/// key (1-based) and the reason, e.g.
/// `jwks.json: key #2 (kid "k2"): EC x must be 32 bytes, got 31 (regenerate this key)`.
/// Private members are allowed here (the writer refuses them).
pub fn parse_jwks(bytes: &[u8], source: &str) -> Result<Jwks> {
    let entries = jwks_entries(bytes, source)?;
    let mut keys: Vec<Jwk> = Vec::with_capacity(entries.len());
    // kid -> 1-based number of its first key: a linear scan per key made 100k keys
    // take minutes.
    let mut seen: std::collections::HashMap<String, usize> = Default::default();
    for (i, raw) in entries.iter().enumerate() {
        let number = i + 1;
        let ctx = || format!("{source}: {}", key_label(number, raw));
        let jwk = Jwk::from_value(raw).map_err(|e| e.context(ctx()))?;
        jwk.to_key().map_err(|e| e.context(ctx()))?;
        if let Some(kid) = &jwk.kid {
            if let Some(first) = seen.get(kid) {
                return Err(Error::input(format!(
                    "{}: duplicate kid, also used by key #{first}",
                    ctx()
                ))
                .hint("give every key its own kid"));
            }
            seen.insert(kid.clone(), number);
        }
        keys.push(jwk);
    }
    Ok(Jwks { keys })
}

/// One key of a JWKS as AgentOS would see it (see [`inspect_jwks`]).
#[derive(Debug)]
pub struct InspectedKey {
    /// 1-based position in the "keys" array (as in messages: "key #2").
    pub number: usize,
    /// The entry as written.
    pub raw: Value,
    /// The entry as a JWK; `None` when it is not an object with string members.
    pub jwk: Option<Jwk>,
    /// `Ok`: AgentOS can verify tokens with this key. `Err`: why AgentOS skips it
    /// (or fails with it); the message has no source/key prefix (see [`Self::label`]).
    pub verdict: Result<Key>,
}

impl InspectedKey {
    /// "key #2 (kid "k2")" or "key #2 (no kid)".
    pub fn label(&self) -> String {
        key_label(self.number, &self.raw)
    }
}

/// Lenient parse for diagnosis (doctor/verify): the document must be a JWKS (else an
/// error naming the source), then every entry gets its own verdict, mirroring what
/// AgentOS does with `PyJWK.from_dict` per key (RSA needs kty, n, e; EC needs kty, crv,
/// x, y; a key that fails is skipped with a warning). Beyond parse failures, a key
/// is also judged bad when it holds private members (RSA/EC: AgentOS cannot verify
/// with a private key) or repeats an earlier key's kid.
pub fn inspect_jwks(bytes: &[u8], source: &str) -> Result<Vec<InspectedKey>> {
    let entries = jwks_entries(bytes, source)?;
    let mut out: Vec<InspectedKey> = Vec::with_capacity(entries.len());
    // kid -> number of the first key with it (see parse_jwks).
    let mut first_with_kid: std::collections::HashMap<String, usize> = Default::default();
    for (i, raw) in entries.into_iter().enumerate() {
        let number = i + 1;
        let (jwk, verdict) = match Jwk::from_value(&raw) {
            Err(e) => (None, Err(e)),
            Ok(jwk) => {
                let earlier = jwk
                    .kid
                    .as_ref()
                    .and_then(|k| first_with_kid.get(k).copied());
                if let Some(kid) = &jwk.kid {
                    first_with_kid.entry(kid.clone()).or_insert(number);
                }
                let verdict = judge(&jwk, earlier);
                (Some(jwk), verdict)
            }
        };
        out.push(InspectedKey {
            number,
            raw,
            jwk,
            verdict,
        });
    }
    Ok(out)
}

/// `earlier`: the number of an earlier key with the same kid.
fn judge(jwk: &Jwk, earlier: Option<usize>) -> Result<Key> {
    let key = jwk.to_key()?;
    if jwk.kty != "oct" && jwk.has_private_members() {
        let present: Vec<&str> = PRIVATE_MEMBERS
            .iter()
            .copied()
            .filter(|m| match *m {
                "d" => jwk.d.is_some(),
                "p" => jwk.p.is_some(),
                "q" => jwk.q.is_some(),
                "dp" => jwk.dp.is_some(),
                "dq" => jwk.dq.is_some(),
                "qi" => jwk.qi.is_some(),
                _ => jwk.k.is_some(),
            })
            .collect();
        return Err(Error::input(format!(
            "holds private members ({}); AgentOS cannot verify tokens with a private key",
            present.join(", ")
        ))
        .hint("publish only the public key: agentos-auth export --format jwks"));
    }
    if let Some(first) = earlier {
        return Err(Error::input(format!(
            "duplicate kid, also used by key #{first}; AgentOS keeps only one of them"
        ))
        .hint("give every key its own kid"));
    }
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{thumbprint_of, Alg};
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine as _;

    /// RFC 7638 section 3.1 example key.
    const RFC_N: &str = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
    const RFC_THUMB: &str = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";

    fn rfc_jwk() -> Jwk {
        let mut j = Jwk::new("RSA");
        j.n = Some(RFC_N.to_string());
        j.e = Some("AQAB".to_string());
        j.alg = Some("RS256".to_string());
        j.kid = Some("2011-04-29".to_string());
        j
    }

    fn ec_jwk(kid: &str) -> Value {
        let key = Key::generate(Alg::ES256, 0).unwrap();
        serde_json::to_value(key.public_jwk(Some(kid)).unwrap()).unwrap()
    }

    fn jwks_bytes(keys: Vec<Value>) -> Vec<u8> {
        serde_json::to_vec(&serde_json::json!({ "keys": keys })).unwrap()
    }

    fn strict_err(bytes: &[u8]) -> String {
        let e = parse_jwks(bytes, "jwks.json").unwrap_err();
        assert!(e.hint.is_some(), "no hint: {e}");
        assert!(e.msg.starts_with("jwks.json"), "no source: {e}");
        e.to_string()
    }

    #[test]
    fn serialized_member_order() {
        let mut j = Jwk::new("RSA");
        j.other.insert("x5t".into(), "abc".into());
        j.qi = Some("qi".into());
        j.dq = Some("dq".into());
        j.dp = Some("dp".into());
        j.q = Some("q".into());
        j.p = Some("p".into());
        j.d = Some("d".into());
        j.e = Some("AQAB".into());
        j.n = Some("nn".into());
        j.kid = Some("k".into());
        j.alg = Some("RS256".into());
        j.use_ = Some("sig".into());
        assert_eq!(
            serde_json::to_string(&j).unwrap(),
            r#"{"kty":"RSA","use":"sig","alg":"RS256","kid":"k","n":"nn","e":"AQAB","d":"d","p":"p","q":"q","dp":"dp","dq":"dq","qi":"qi","x5t":"abc"}"#
        );
        let mut ec = Jwk::new("EC");
        ec.y = Some("y".into());
        ec.x = Some("x".into());
        ec.crv = Some("P-256".into());
        assert_eq!(
            serde_json::to_string(&ec).unwrap(),
            r#"{"kty":"EC","crv":"P-256","x":"x","y":"y"}"#
        );
        let mut oct = Jwk::new("oct");
        oct.k = Some("k".into());
        oct.kid = Some("h".into());
        assert_eq!(
            serde_json::to_string(&oct).unwrap(),
            r#"{"kty":"oct","kid":"h","k":"k"}"#
        );
    }

    #[test]
    fn unknown_members_survive_a_round_trip() {
        let text = r#"{"kty":"EC","crv":"P-256","x":"x","y":"y","kid":"a","x5c":["c"],"ext":true,"key_ops":["verify"]}"#;
        let j: Jwk = serde_json::from_str(text).unwrap();
        assert_eq!(
            j.other.keys().collect::<Vec<_>>(),
            ["x5c", "ext", "key_ops"]
        );
        let again: Jwk = serde_json::from_str(&serde_json::to_string(&j).unwrap()).unwrap();
        assert_eq!(again, j);
    }

    #[test]
    fn from_value_checks_member_types() {
        let e = Jwk::from_value(&serde_json::json!({"kty": "EC", "kid": 7})).unwrap_err();
        assert_eq!(e.msg, "kid must be a string, got number");
        let e = Jwk::from_value(&serde_json::json!({"kty": "RSA", "n": null})).unwrap_err();
        assert_eq!(e.msg, "n must be a string, got null");
        let e = Jwk::from_value(&serde_json::json!({"kty": ["RSA"]})).unwrap_err();
        assert_eq!(e.msg, "kty must be a string, got array");
        let e = Jwk::from_value(&serde_json::json!({"n": "AQAB"})).unwrap_err();
        assert!(e.msg.contains("missing \"kty\""), "{e}");
        let e = Jwk::from_value(&serde_json::json!("RSA")).unwrap_err();
        assert!(e.msg.contains("not a JSON object (got string)"), "{e}");
        let j = Jwk::from_value(&serde_json::json!({"kty": "EC", "crv": "P-256", "ext": true}))
            .unwrap();
        assert_eq!(j.crv.as_deref(), Some("P-256"));
    }

    #[test]
    fn private_members_and_to_public() {
        let key = Key::generate(Alg::ES256, 0).unwrap();
        let public = key.public_jwk(Some("k")).unwrap();
        assert!(!public.has_private_members());
        let mut private = public.clone();
        private.d = Some("secret".into());
        assert!(private.has_private_members());
        assert_eq!(private.to_public().unwrap(), public);
        let mut rsa = rfc_jwk();
        rsa.other.insert("oth".into(), serde_json::json!([]));
        assert!(rsa.has_private_members());
        assert!(!rsa.to_public().unwrap().has_private_members());
        let oct = Key::parse(
            b"s",
            &crate::keys::ParseOptions {
                source: "s",
                alg: Some(Alg::HS256),
            },
        )
        .unwrap()
        .secret_jwk(None)
        .unwrap();
        assert!(oct.has_private_members());
        assert!(oct.to_public().is_err());
        assert_eq!(PRIVATE_MEMBERS.len(), 7);
    }

    #[test]
    fn thumbprints() {
        assert_eq!(rfc_jwk().thumbprint().unwrap(), RFC_THUMB);
        assert_eq!(rfc_jwk().to_key().unwrap().thumbprint(), RFC_THUMB);
        // Member order and extra members do not matter.
        let mut j = rfc_jwk();
        j.use_ = Some("sig".into());
        j.other.insert("zzz".into(), 1.into());
        assert_eq!(j.thumbprint().unwrap(), RFC_THUMB);
        let mut missing = rfc_jwk();
        missing.e = None;
        assert!(missing
            .thumbprint()
            .unwrap_err()
            .msg
            .contains("no \"e\" member"));
        assert!(Jwk::new("OKP").thumbprint().is_err());
        // Values are JSON-escaped.
        assert_ne!(
            thumbprint_of(&[("k", "a\"b"), ("kty", "oct")]),
            thumbprint_of(&[("k", "ab"), ("kty", "oct")])
        );
    }

    #[test]
    fn alg_and_summary() {
        assert_eq!(rfc_jwk().alg(), Some(Alg::RS256));
        assert_eq!(rfc_jwk().summary(), "RSA 2048-bit");
        let mut j = rfc_jwk();
        j.alg = None;
        assert_eq!(j.alg(), Some(Alg::RS256));
        j.alg = Some("PS256".into());
        assert_eq!(j.alg(), None);
        let ec: Jwk = serde_json::from_value(ec_jwk("e")).unwrap();
        assert_eq!(ec.alg(), Some(Alg::ES256));
        assert_eq!(ec.summary(), "EC P-256");
        let mut p384 = Jwk::new("EC");
        p384.crv = Some("P-384".into());
        assert_eq!(p384.alg(), None);
        assert_eq!(p384.summary(), "EC P-384");
        assert_eq!(Jwk::new("oct").alg(), Some(Alg::HS256));
        assert_eq!(Jwk::new("oct").summary(), "oct");
        assert_eq!(Jwk::new("RSA").summary(), "RSA");
        assert_eq!(Jwk::new("OKP").alg(), None);
    }

    #[test]
    fn jwks_find_and_pretty_json() {
        let jwks = Jwks {
            keys: vec![rfc_jwk(), serde_json::from_value(ec_jwk("e1")).unwrap()],
        };
        assert_eq!(jwks.find("e1").unwrap().kty, "EC");
        assert_eq!(jwks.find("2011-04-29").unwrap().kty, "RSA");
        assert!(jwks.find("nope").is_none());
        let text = jwks.to_json_pretty();
        assert!(
            text.starts_with("{\n  \"keys\": [\n    {\n      \"kty\": \"RSA\""),
            "{text}"
        );
        assert!(text.ends_with("}\n") && !text.ends_with("\n\n"));
        assert_eq!(parse_jwks(text.as_bytes(), "jwks.json").unwrap(), jwks);
        assert_eq!(Jwks::default().to_json_pretty(), "{\n  \"keys\": []\n}\n");
    }

    #[test]
    fn strict_parse_accepts_good_sets() {
        let oct = serde_json::json!({"kty": "oct", "kid": "h", "k": "czNjcmV0"});
        let bytes = jwks_bytes(vec![
            serde_json::to_value(rfc_jwk()).unwrap(),
            ec_jwk("k2"),
            oct,
        ]);
        let jwks = parse_jwks(&bytes, "jwks.json").unwrap();
        assert_eq!(jwks.keys.len(), 3);
        assert_eq!(jwks.keys[1].kid.as_deref(), Some("k2"));
        assert_eq!(
            parse_jwks(br#"{"keys": []}"#, "jwks.json").unwrap(),
            Jwks::default()
        );
        // Keys without kid are allowed (AgentOS's fallback key).
        let mut no_kid = ec_jwk("x");
        no_kid.as_object_mut().unwrap().remove("kid");
        assert!(parse_jwks(&jwks_bytes(vec![no_kid.clone(), no_kid]), "jwks.json").is_ok());
    }

    #[test]
    fn strict_parse_errors_name_source_key_and_reason() {
        let mut bad = ec_jwk("k2");
        bad["x"] = URL_SAFE_NO_PAD.encode([9u8; 31]).into();
        let e = strict_err(&jwks_bytes(vec![ec_jwk("k1"), bad]));
        assert_eq!(
            e,
            "jwks.json: key #2 (kid \"k2\"): EC x must be 32 bytes, got 31 (regenerate this key)"
        );

        let e = strict_err(b"{\"keys\": [\n  {\"kty\": \"EC\",}\n]}");
        assert!(
            e.contains("not valid JSON") && e.contains("line 2 column"),
            "{e}"
        );
        let e = strict_err(b"");
        assert!(e.contains("not valid JSON"), "{e}");
        let e = strict_err(br#"{"kid": "a"}"#);
        assert!(e.contains("no \"keys\" array"), "{e}");
        let e = strict_err(br#"{"keys": {"kty": "EC"}}"#);
        assert!(e.contains("\"keys\" must be an array, got object"), "{e}");
        let e = strict_err(br#"[{"kty": "EC"}]"#);
        assert!(e.contains("must be a JSON object, got array"), "{e}");
        let e = strict_err(&serde_json::to_vec(&ec_jwk("solo")).unwrap());
        assert!(e.contains("a single JWK, not a JWKS"), "{e}");

        let mut numeric = ec_jwk("k");
        numeric["kid"] = 42.into();
        let e = strict_err(&jwks_bytes(vec![numeric]));
        assert!(
            e.starts_with("jwks.json: key #1 (kid 42): kid must be a string, got number"),
            "{e}"
        );

        let e = strict_err(&jwks_bytes(vec![
            ec_jwk("same"),
            ec_jwk("other"),
            ec_jwk("same"),
        ]));
        assert!(
            e.starts_with("jwks.json: key #3 (kid \"same\"): duplicate kid, also used by key #1"),
            "{e}"
        );

        let p384 =
            serde_json::json!({"kty": "EC", "crv": "P-384", "x": "AA", "y": "AA", "kid": "p"});
        let e = strict_err(&jwks_bytes(vec![p384]));
        assert!(
            e.contains("key #1 (kid \"p\"): this is an EC P-384 key"),
            "{e}"
        );

        let e = strict_err(&jwks_bytes(vec![
            serde_json::json!({"kty": "RSA", "e": "AQAB"}),
        ]));
        assert!(
            e.contains("key #1 (no kid): RSA key has no \"n\" member"),
            "{e}"
        );
        let e = strict_err(&jwks_bytes(vec![
            serde_json::json!({"kty": "RSA", "n": RFC_N}),
        ]));
        assert!(e.contains("RSA key has no \"e\" member"), "{e}");
        let e = strict_err(&jwks_bytes(vec![
            serde_json::json!({"kty": "XYZ", "kid": "u"}),
        ]));
        assert!(e.contains("unknown kty \"XYZ\""), "{e}");
        let e = strict_err(&jwks_bytes(vec![serde_json::json!(17)]));
        assert!(
            e.contains("key #1 (no kid): not a JSON object (got number)"),
            "{e}"
        );
    }

    #[test]
    fn inspect_gives_every_key_its_verdict() {
        let good = ec_jwk("good");
        let mut bad_x = ec_jwk("bad-x");
        bad_x["x"] = URL_SAFE_NO_PAD.encode([1u8; 33]).into();
        // Any private member makes a key unusable for AgentOS (here d is also malformed).
        let mut private = ec_jwk("priv");
        private["d"] = "AA".into();
        let no_kid = {
            let mut j = ec_jwk("x");
            j.as_object_mut().unwrap().remove("kid");
            j
        };
        let bytes = jwks_bytes(vec![
            good.clone(),
            bad_x,
            private,
            serde_json::json!("not a key"),
            good,
            no_kid,
            serde_json::json!({"kty": "oct", "kid": "h", "k": "czNjcmV0"}),
            serde_json::to_value(rfc_jwk()).unwrap(),
        ]);
        let keys = inspect_jwks(&bytes, "jwks.json").unwrap();
        assert_eq!(keys.len(), 8);
        let verdicts: Vec<String> = keys
            .iter()
            .map(|k| match &k.verdict {
                Ok(key) => format!("{}: ok {}", k.label(), key.description()),
                Err(e) => format!("{}: {}", k.label(), e.msg),
            })
            .collect();
        assert_eq!(verdicts[0], "key #1 (kid \"good\"): ok EC P-256 public key");
        assert_eq!(
            verdicts[1],
            "key #2 (kid \"bad-x\"): EC x must be 32 bytes, got 33"
        );
        assert!(
            verdicts[2].starts_with("key #3 (kid \"priv\"): "),
            "{}",
            verdicts[2]
        );
        assert!(keys[2].verdict.is_err());
        assert_eq!(
            verdicts[3],
            "key #4 (no kid): not a JSON object (got string)"
        );
        assert!(keys[3].jwk.is_none());
        assert_eq!(keys[3].raw, serde_json::json!("not a key"));
        assert!(
            verdicts[4].contains("duplicate kid, also used by key #1"),
            "{}",
            verdicts[4]
        );
        assert_eq!(verdicts[5], "key #6 (no kid): ok EC P-256 public key");
        assert_eq!(verdicts[6], "key #7 (kid \"h\"): ok HS256 secret (6 bytes)");
        assert_eq!(
            verdicts[7],
            "key #8 (kid \"2011-04-29\"): ok RSA 2048-bit public key"
        );
        assert_eq!(keys[7].number, 8);

        assert!(inspect_jwks(b"nope", "jwks.json")
            .unwrap_err()
            .msg
            .starts_with("jwks.json: not valid JSON"));
    }

    #[test]
    fn inspect_flags_valid_private_keys() {
        let key = Key::generate(Alg::ES256, 0).unwrap();
        let pem = key.private_key_pem().unwrap();
        // d is the 32-byte scalar after `04 20` (OCTET STRING) inside the PKCS#8.
        let der = base64::engine::general_purpose::STANDARD
            .decode(
                pem.lines()
                    .filter(|l| !l.starts_with("-----"))
                    .collect::<String>(),
            )
            .unwrap();
        let at = der.windows(2).position(|w| w == [0x04, 0x20]).unwrap() + 2;
        let d = URL_SAFE_NO_PAD.encode(&der[at..at + 32]);
        let mut j = serde_json::to_value(key.public_jwk(Some("p")).unwrap()).unwrap();
        j["d"] = d.into();
        // A valid private JWK: a Key on its own...
        let jwk = Jwk::from_value(&j).unwrap();
        assert!(jwk.to_key().unwrap().is_private());
        assert_eq!(jwk.to_key().unwrap().thumbprint(), key.thumbprint());
        // ...but not something AgentOS can verify with.
        let keys = inspect_jwks(&jwks_bytes(vec![j]), "jwks.json").unwrap();
        let e = keys[0].verdict.as_ref().unwrap_err();
        assert!(e.msg.contains("holds private members (d)"), "{e}");
    }

    #[test]
    fn debug_redacts_private_members() {
        let mut j = rfc_jwk();
        j.d = Some("very-secret-d".into());
        let shown = format!("{j:?}");
        assert!(!shown.contains("very-secret-d"), "{shown}");
        assert!(shown.contains("<redacted>"));
    }
}
