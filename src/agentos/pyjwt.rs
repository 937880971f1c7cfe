//! PyJWT 2.x's `jwt.decode(token, key, algorithms=[alg], leeway=10)` (`api_jws.py`,
//! `api_jwt.py`, `algorithms.py`) and agno's `JWTValidator.validate_token` over it:
//! loading, key preparation from the raw text AgentOS was given, key choice, the
//! registered claims, audience and issuer. Errors carry PyJWT's exact message and
//! what caused it (for the fix). The one decoder of this crate: keep it in this file.

use std::collections::HashMap;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{Map, Value};

use super::config::{Config, JwksSource, StaticKey, LEEWAY};
use super::pyjson;
use crate::error::Result;
use crate::keys::{Alg, Jwk, Key, ParseOptions, Verifier};

/// Which `except` clause of `AuthMiddleware._dispatch` catches the error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    /// `ExpiredSignatureError` → "Token has expired".
    Expired,
    /// `InvalidAudienceError` → the fixed audience text.
    Audience,
    /// Any other `InvalidTokenError` → "Invalid token: {e}".
    Invalid,
    /// Anything else (unusable key) → "Error decoding token: {e}".
    Other,
}

#[derive(Debug, Clone)]
pub(crate) enum Cause {
    Malformed,
    AlgMissing,
    AlgNotAllowed(Value),
    KidNotString,
    Crit,
    /// `b64: false`: a detached payload, which AgentOS cannot take.
    Detached,
    /// A key AgentOS cannot use for this algorithm: `label`, what is wrong, how to fix.
    KeyUnusable {
        why: String,
        fix: String,
    },
    BadSignature,
    Payload,
    ClaimType(&'static str),
    Immature(&'static str, f64),
    Expired(f64),
    SubNotString,
    JtiNotString,
    NoKey,
    AudMissing,
    AudMismatch(Value),
    IssMissing,
    IssMismatch(Value),
}

#[derive(Debug, Clone)]
pub(crate) struct PyErr {
    pub(crate) class: Class,
    pub(crate) msg: String,
    pub(crate) cause: Cause,
}

pub(crate) fn invalid(msg: impl Into<String>, cause: Cause) -> PyErr {
    PyErr {
        class: Class::Invalid,
        msg: msg.into(),
        cause,
    }
}

pub(crate) fn other(msg: impl Into<String>, why: &str, fix: &str) -> PyErr {
    PyErr {
        class: Class::Other,
        msg: msg.into(),
        cause: Cause::KeyUnusable {
            why: why.to_string(),
            fix: fix.to_string(),
        },
    }
}

// ---------------------------------------------------------------------------
// PyJWS `_load` and `_validate_headers`.

pub(crate) struct Loaded<'a> {
    pub(crate) header: Map<String, Value>,
    pub(crate) payload: Vec<u8>,
    pub(crate) signing_input: &'a str,
    pub(crate) signature: Vec<u8>,
}

/// `_decode_base64url_segment`: '=' padding tolerated, otherwise canonical base64url.
pub(crate) fn segment(seg: &str, name: &str) -> std::result::Result<Vec<u8>, PyErr> {
    let bad = || invalid(format!("Invalid {name} padding"), Cause::Malformed);
    let stripped = seg.trim_end_matches('=');
    let padding = seg.len() - stripped.len();
    if padding > 2 || (padding > 0 && seg.len() % 4 != 0) || stripped.len() % 4 == 1 {
        return Err(bad());
    }
    if !stripped
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(bad());
    }
    URL_SAFE_NO_PAD.decode(stripped).map_err(|_| bad())
}

pub(crate) fn load(token: &str) -> std::result::Result<Loaded<'_>, PyErr> {
    let not_enough = || invalid("Not enough segments", Cause::Malformed);
    let (signing_input, crypto) = token.rsplit_once('.').ok_or_else(not_enough)?;
    let (h, p) = signing_input.split_once('.').ok_or_else(not_enough)?;
    let header_bytes = segment(h, "header")?;
    let header: Value = pyjson::loads(&header_bytes)
        .map_err(|e| invalid(format!("Invalid header string: {e}"), Cause::Malformed))?;
    let Value::Object(header) = header else {
        return Err(invalid(
            "Invalid header string: must be a json object",
            Cause::Malformed,
        ));
    };
    // b64=false (RFC 7797): the payload travels outside the token, which AgentOS never
    // passes to PyJWT; the compact segment must then be empty.
    let payload = if b64_false(&header) {
        if !p.is_empty() {
            return Err(invalid(
                "Payload segment must be empty when 'b64' is false.",
                Cause::Detached,
            ));
        }
        Vec::new()
    } else {
        segment(p, "payload")?
    };
    let signature = segment(crypto, "crypto")?;
    Ok(Loaded {
        header,
        payload,
        signing_input,
        signature,
    })
}

/// `header.get("b64", True) is False`.
pub(crate) fn b64_false(h: &Map<String, Value>) -> bool {
    h.get("b64") == Some(&Value::Bool(false))
}

pub(crate) fn validate_headers(h: &Map<String, Value>) -> std::result::Result<(), PyErr> {
    if let Some(kid) = h.get("kid") {
        if !kid.is_string() {
            return Err(invalid(
                "Key ID header parameter must be a string",
                Cause::KidNotString,
            ));
        }
    }
    if let Some(crit) = h.get("crit") {
        let list = match crit {
            Value::Array(l) if !l.is_empty() => l,
            _ => {
                return Err(invalid(
                    "Invalid 'crit' header: must be a non-empty list",
                    Cause::Crit,
                ))
            }
        };
        for ext in list {
            let Some(ext) = ext.as_str() else {
                return Err(invalid(
                    "Invalid 'crit' header: values must be strings",
                    Cause::Crit,
                ));
            };
            if ext != "b64" {
                return Err(invalid(
                    format!("Unsupported critical extension: {ext}"),
                    Cause::Crit,
                ));
            }
            if !h.contains_key(ext) {
                return Err(invalid(
                    format!("Critical extension '{ext}' is missing from headers"),
                    Cause::Crit,
                ));
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Keys as PyJWT prepares them.

/// A key ready for `verify`, or one that fails there.
pub(crate) enum Prepared {
    Ok(Verifier),
    /// An RSA private key: cryptography's RSA private key has no `verify`.
    RsaPrivate,
}

pub(crate) const RSA_PRIVATE_ERROR: &str =
    "'cryptography.hazmat.bindings._rust.openssl.rsa.RSA' object has no attribute 'verify'";
pub(crate) const GENERATOR: &str =
    "Expected one of <generator object Algorithm.check_crypto_key_type.<locals>.<genexpr> at 0x...>";
pub(crate) const PEM_FAQ: &str = "Unable to load PEM file. See https://cryptography.io/en/latest/faq/#why-can-t-i-import-my-pem-file for more details.";

/// Python class names of the cryptography key objects (they appear in messages).
pub(crate) fn class_name(key: &Key) -> &'static str {
    match (key.alg(), key.is_private()) {
        (Alg::RS256, false) => "RSAPublicKey",
        (Alg::RS256, true) => "RSAPrivateKey",
        (Alg::ES256, false) => "ECPublicKey",
        (Alg::ES256, true) => "ECPrivateKey",
        (Alg::HS256, _) => "bytes",
    }
}

pub(crate) fn wrong_type(key: &Key, alg: Alg, label: &str) -> PyErr {
    let algo = match alg {
        Alg::RS256 => "RSAAlgorithm",
        Alg::ES256 => "ECAlgorithm",
        Alg::HS256 => "HMACAlgorithm",
    };
    other(
        format!(
            "{GENERATOR}, got: {}. Invalid Key type for {algo}",
            class_name(key)
        ),
        &format!("{label} is {}, but AgentOS is set to {alg}", key.description()),
        &format!(
            "give AgentOS {} public key, or set its algorithm to {}: Authorization(algorithm=\"{}\")",
            if alg == Alg::ES256 { "an EC P-256" } else { "an RSA" },
            key.alg(),
            key.alg()
        ),
    )
}

/// True when the text holds a PEM whose line breaks became the two characters `\n`:
/// `agentos-auth` repairs that, cryptography (and so AgentOS) does not.
pub fn has_literal_newlines(text: &str) -> bool {
    text.contains("-----BEGIN") && (text.contains("\\n") || text.contains("\\r"))
}

pub(crate) fn looks_like_pem(text: &str) -> bool {
    text.contains("-----BEGIN ") || text.contains("----BEGIN ")
}

/// `prepare_key(raw_text)` for the configured algorithm, as PyJWT does it.
pub(crate) fn prepare_static(k: &StaticKey, alg: Alg) -> std::result::Result<Prepared, PyErr> {
    let label = k.label.as_str();
    let text = k.text.as_str();
    let literal_nl = has_literal_newlines(text);
    let repair = format!(
        "{label} holds a PEM whose newlines are the two characters \\n; AgentOS cannot read it"
    );
    // The loaders differ: python-dotenv (`decode_escapes`), which uvicorn --env-file
    // uses, and docker compose decode `\n` inside double quotes; a shell does not.
    let repair_fix = "give AgentOS the PEM with real newlines: eval \"$(agentos-auth export --format env)\"; a .env file from agentos-auth export --format dotenv holds \\n in double quotes, which python-dotenv, uvicorn --env-file and docker compose decode but `set -a; source .env` and `env $(cat .env | xargs)` do not: load it with one of the former, and check it with agentos-auth doctor --env-file .env";
    let parsed = || {
        Key::parse(
            text.as_bytes(),
            &ParseOptions {
                source: label,
                alg: None,
            },
        )
    };
    match alg {
        Alg::HS256 => {
            let ssh = ["ssh-ed25519", "ssh-rsa", "ssh-dss", "ecdsa-sha2-nistp"];
            if looks_like_pem(text) || ssh.iter().any(|p| text.starts_with(p)) {
                return Err(other(
                    "The specified key is an asymmetric key or x509 certificate and should not be used as an HMAC secret.",
                    &format!("{label} is a public/private key, but AgentOS is set to HS256 and needs the shared secret"),
                    "set the HS256 secret as the verification key, or set AgentOS's algorithm to RS256/ES256 to match the key",
                ));
            }
            let is_jwk = serde_json::from_str::<Value>(text)
                .ok()
                .is_some_and(|v| contains_kty(&v));
            if is_jwk {
                return Err(other(
                    "The specified key looks like a JWK and should not be used directly as an HMAC secret. Load it via PyJWK / HMACAlgorithm.from_jwk first.",
                    &format!("{label} is a JWK, but AgentOS takes the HS256 secret itself"),
                    "give AgentOS the secret string (agentos-auth export --key SECRET --alg HS256 --format env --include-secret)",
                ));
            }
            if text.is_empty() {
                return Err(other(
                    "HMAC key must not be empty.",
                    "the HS256 secret is empty",
                    "set the secret",
                ));
            }
            Ok(Prepared::Ok(exact_secret(text)?))
        }
        Alg::RS256 => {
            let unparsable = |why: String, fix: &str| {
                other("Could not parse the provided public key.", &why, fix)
            };
            if literal_nl {
                return Err(unparsable(repair, repair_fix));
            }
            match parsed() {
                Ok(key) if key.alg() == Alg::RS256 => {
                    if key.is_private() {
                        Ok(Prepared::RsaPrivate)
                    } else {
                        Ok(Prepared::Ok(key.verifier().map_err(|e| {
                            unparsable(format!("{label}: {}", e.msg), "export the public key again")
                        })?))
                    }
                }
                Ok(key) if key.alg() == Alg::ES256 => Err(wrong_type(&key, alg, label)),
                Err(e) if looks_like_pem(text) => Err(unparsable(
                    e.msg.clone(),
                    &e.hint.unwrap_or_else(|| "export the public key again".into()),
                )),
                Ok(_) | Err(_) => Err(unparsable(
                    format!("{label} is not a PEM public key AgentOS can read"),
                    "give AgentOS the RSA public key PEM: eval \"$(agentos-auth export --key KEY --format env)\"",
                )),
            }
        }
        Alg::ES256 => {
            let unparsable = |detail: &str, why: String, fix: &str| {
                other(format!("{PEM_FAQ} {detail}"), &why, fix)
            };
            if literal_nl {
                return Err(unparsable(
                    "InvalidData(Invalid symbol 92, offset 0.)",
                    repair,
                    repair_fix,
                ));
            }
            match parsed() {
                Ok(key) if key.alg() == Alg::ES256 => {
                    // ECAlgorithm.verify uses the public half of a private key.
                    Ok(Prepared::Ok(key.verifier().map_err(|e| {
                        unparsable(
                            "InvalidKey",
                            format!("{label}: {}", e.msg),
                            "export the public key again",
                        )
                    })?))
                }
                Ok(key) if key.alg() == Alg::RS256 => Err(wrong_type(&key, alg, label)),
                Err(e) if looks_like_pem(text) => Err(unparsable(
                    "InvalidData",
                    e.msg.clone(),
                    &e.hint.unwrap_or_else(|| "export the public key again".into()),
                )),
                _ => Err(unparsable(
                    if looks_like_pem(text) { "InvalidData" } else { "MalformedFraming" },
                    format!("{label} is not a PEM key AgentOS can read"),
                    "give AgentOS the EC public key PEM: eval \"$(agentos-auth export --key KEY --format env)\"",
                )),
            }
        }
    }
}

pub(crate) fn contains_kty(v: &Value) -> bool {
    match v {
        Value::Object(m) => m.contains_key("kty") || m.values().any(contains_kty),
        Value::Array(a) => a.iter().any(contains_kty),
        _ => false,
    }
}

/// An HMAC verifier keyed with exactly these bytes (no trimming: AgentOS uses the
/// string as given). Built through the one JWK → Key path.
pub(crate) fn exact_secret(secret: &str) -> std::result::Result<Verifier, PyErr> {
    let mut jwk = Jwk::new("oct");
    jwk.k = Some(URL_SAFE_NO_PAD.encode(secret.as_bytes()));
    jwk.to_key()
        .and_then(|k| k.verifier())
        .map_err(|e| other(e.msg.clone(), &e.msg, "check the secret"))
}

/// A JWKS entry as `PyJWK.from_dict(...).key`.
#[derive(Clone)]
pub(crate) struct JwkEntry {
    pub(crate) label: String,
    pub(crate) key: Key,
}

pub(crate) fn prepare_jwk(e: &JwkEntry, alg: Alg) -> std::result::Result<Prepared, PyErr> {
    let label = e.label.as_str();
    let mismatch = |msg: &str| {
        other(
            msg,
            &format!(
                "{label} is {}, but AgentOS is set to {alg}",
                e.key.description()
            ),
            &format!(
                "sign with a key whose JWKS entry is {}, or set AgentOS's algorithm to {}",
                alg.key_type(),
                e.key.alg()
            ),
        )
    };
    match (alg, e.key.alg()) {
        (Alg::RS256, Alg::RS256) if e.key.is_private() => Ok(Prepared::RsaPrivate),
        (Alg::RS256, Alg::RS256) | (Alg::ES256, Alg::ES256) => e
            .key
            .verifier()
            .map(Prepared::Ok)
            .map_err(|x| mismatch(&x.msg)),
        (Alg::HS256, Alg::HS256) => e
            .key
            .secret()
            .map(exact_secret)
            .unwrap_or_else(|| Err(mismatch("HMAC key must not be empty.")))
            .map(Prepared::Ok),
        // HMACAlgorithm.prepare_key -> force_bytes(an RSA/EC key object): TypeError.
        (Alg::HS256, _) => Err(mismatch("Expected a string or bytes value")),
        (Alg::RS256, Alg::HS256) => Err(mismatch("Could not parse the provided public key.")),
        (Alg::ES256, Alg::HS256) => Err(mismatch(&format!("{PEM_FAQ} MalformedFraming"))),
        (_, _) => Err(mismatch("Expecting a PEM-formatted key.")),
    }
}

/// Why AgentOS cannot verify anything with this static key under `alg`: the 401
/// detail it sends, what is wrong, and the fix. `None` when the key is usable.
pub fn static_key_problem(k: &StaticKey, alg: Alg) -> Option<(String, String, String)> {
    let e = match prepare_static(k, alg) {
        Ok(Prepared::Ok(_)) => return None,
        Ok(Prepared::RsaPrivate) => other(
            RSA_PRIVATE_ERROR,
            &format!("{} is an RSA PRIVATE key; AgentOS verifies with the public key", k.label),
            "give AgentOS the public key only: agentos-auth export --key PRIVATE_KEY; keep the private key off the server",
        ),
        Err(e) => e,
    };
    let (why, fix) = match e.cause {
        Cause::KeyUnusable { why, fix } => (why, fix),
        _ => (e.msg.clone(), "check the key".into()),
    };
    Some((format!("Error decoding token: {}", e.msg), why, fix))
}

pub(crate) enum KeyRef<'a> {
    Static(&'a StaticKey),
    Jwk(&'a JwkEntry),
}

/// The key `PyJWK.from_dict` makes of a JWK. Its `alg` only picks the family whose
/// `from_jwk` reads the key, and agno passes the bare key on: an RSA JWK marked
/// `RS512` still verifies RS256 tokens. An `alg` of another family, or unknown to
/// PyJWT, makes the key unusable (agno skips it).
pub fn agno_jwk_key(jwk: &Jwk) -> Result<Key> {
    const FAMILIES: &[(&str, &[&str])] = &[
        (
            "RSA",
            &["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"],
        ),
        ("EC", &["ES256", "ES256K", "ES384", "ES512"]),
        ("oct", &["HS256", "HS384", "HS512"]),
    ];
    let same_family = jwk.alg.as_deref().is_some_and(|a| {
        FAMILIES
            .iter()
            .any(|(kty, algs)| *kty == jwk.kty && algs.contains(&a))
    });
    if same_family {
        let mut bare = jwk.clone();
        bare.alg = None;
        return bare.to_key();
    }
    jwk.to_key()
}

/// The kid → key map `JWTValidator._parse_jwks_data` builds: keys that fail
/// `PyJWK.from_dict` are skipped; a falsy kid becomes "_default"; later wins.
pub(crate) fn jwks_map(src: &JwksSource) -> HashMap<String, JwkEntry> {
    let mut map = HashMap::new();
    for k in &src.keys {
        let (Some(jwk), Some(obj)) = (&k.jwk, k.raw.as_object()) else {
            continue;
        };
        let Ok(key) = agno_jwk_key(jwk) else { continue };
        let kid = match obj.get("kid") {
            Some(Value::String(s)) if !s.is_empty() => s.clone(),
            _ => "_default".to_string(),
        };
        map.insert(
            kid,
            JwkEntry {
                label: format!("{}: {}", src.label, k.label()),
                key,
            },
        );
    }
    map
}

// ---------------------------------------------------------------------------
// PyJWT `decode` with one key.

/// Python `int(x)` for a JSON value: `None` where Python raises.
pub(crate) fn py_int(v: &Value) -> Option<f64> {
    match v {
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        Value::Number(n) => n.as_f64().filter(|f| f.is_finite()).map(f64::trunc),
        Value::String(s) => {
            let t = s.trim();
            let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
            let ok = !digits.is_empty()
                && !digits.starts_with('_')
                && !digits.ends_with('_')
                && !digits.contains("__")
                && digits.chars().all(|c| c.is_ascii_digit() || c == '_');
            if !ok {
                return None;
            }
            let clean: String = t.chars().filter(|c| *c != '_').collect();
            clean.parse::<f64>().ok()
        }
        _ => None,
    }
}

pub(crate) fn check_alg(header: &Map<String, Value>, alg: Alg) -> std::result::Result<(), PyErr> {
    match header.get("alg") {
        None => Err(invalid("Algorithm not specified", Cause::AlgMissing)),
        Some(v) if v.as_str() == Some(alg.as_str()) => Ok(()),
        Some(v) => Err(invalid(
            "The specified alg value is not allowed",
            Cause::AlgNotAllowed(v.clone()),
        )),
    }
}

pub(crate) fn decode_with(
    t: &Loaded,
    key: &KeyRef,
    cfg: &Config,
) -> std::result::Result<Map<String, Value>, PyErr> {
    // `PyJWS.decode_complete`, before the signature: b64=false needs "b64" in crit,
    // then a detached payload AgentOS never gives.
    if b64_false(&t.header) {
        let listed =
            matches!(t.header.get("crit"), Some(Value::Array(c)) if c.iter().any(|x| x == "b64"));
        if !listed {
            return Err(invalid(
                "The 'b64' header parameter requires 'b64' to be listed in 'crit'.",
                Cause::Detached,
            ));
        }
        return Err(invalid(
            "It is required that you pass in a value for the \"detached_payload\" argument to decode a message having the b64 header set to false.",
            Cause::Detached,
        ));
    }
    check_alg(&t.header, cfg.alg)?;
    let prepared = match key {
        KeyRef::Static(k) => prepare_static(k, cfg.alg)?,
        KeyRef::Jwk(e) => prepare_jwk(e, cfg.alg)?,
    };
    match prepared {
        Prepared::RsaPrivate => {
            let label = match key {
                KeyRef::Static(k) => k.label.clone(),
                KeyRef::Jwk(e) => e.label.clone(),
            };
            return Err(other(
                RSA_PRIVATE_ERROR,
                &format!("{label} is an RSA PRIVATE key; AgentOS verifies with the public key"),
                "give AgentOS the public key only: agentos-auth export --key PRIVATE_KEY; keep the private key off the server",
            ));
        }
        Prepared::Ok(v) => {
            if !v.verify(t.signing_input.as_bytes(), &t.signature) {
                return Err(invalid(
                    "Signature verification failed",
                    Cause::BadSignature,
                ));
            }
        }
    }
    let payload: Value = pyjson::loads(&t.payload)
        .map_err(|e| invalid(format!("Invalid payload string: {e}"), Cause::Payload))?;
    let Value::Object(payload) = payload else {
        return Err(invalid(
            "Invalid payload string: must be a json object",
            Cause::Payload,
        ));
    };
    let now = cfg.now;
    if let Some(v) = payload.get("iat") {
        let iat = py_int(v).ok_or_else(|| {
            invalid(
                "Issued At claim (iat) must be an integer.",
                Cause::ClaimType("iat"),
            )
        })?;
        if iat > now + LEEWAY {
            return Err(invalid(
                "The token is not yet valid (iat)",
                Cause::Immature("iat", iat),
            ));
        }
    }
    if let Some(v) = payload.get("nbf") {
        let nbf = py_int(v).ok_or_else(|| {
            invalid(
                "Not Before claim (nbf) must be an integer.",
                Cause::ClaimType("nbf"),
            )
        })?;
        if nbf > now + LEEWAY {
            return Err(invalid(
                "The token is not yet valid (nbf)",
                Cause::Immature("nbf", nbf),
            ));
        }
    }
    if let Some(v) = payload.get("exp") {
        let exp = py_int(v).ok_or_else(|| {
            invalid(
                "Expiration Time claim (exp) must be an integer.",
                Cause::ClaimType("exp"),
            )
        })?;
        if exp <= now - LEEWAY {
            return Err(PyErr {
                class: Class::Expired,
                msg: "Signature has expired".into(),
                cause: Cause::Expired(exp),
            });
        }
    }
    if cfg.server.profile.behaviour.audience_in_decode {
        pyjwt_audience(&payload, cfg)?;
    }
    if payload.get("sub").is_some_and(|s| !s.is_string()) {
        return Err(invalid("Subject must be a string", Cause::SubNotString));
    }
    if payload.get("jti").is_some_and(|s| !s.is_string()) {
        return Err(invalid("JWT ID must be a string", Cause::JtiNotString));
    }
    Ok(payload)
}

/// What verified the token (for the 200 reason).
pub(crate) struct Accepted {
    pub(crate) payload: Map<String, Value>,
    pub(crate) by: String,
}

/// `JWTValidator.validate_token`.
pub(crate) fn validate(token: &str, cfg: &Config) -> std::result::Result<Accepted, PyErr> {
    let jwks = cfg.jwks.as_ref().map(jwks_map).unwrap_or_default();
    let mut last: Option<PyErr> = None;
    let mut accepted: Option<Accepted> = None;

    if !jwks.is_empty() {
        let attempt = (|| {
            let t = load(token)?;
            validate_headers(&t.header)?;
            let kid = t.header.get("kid").and_then(Value::as_str).unwrap_or("");
            let entry = if !kid.is_empty() && jwks.contains_key(kid) {
                jwks.get(kid)
            } else {
                jwks.get("_default")
            };
            match entry {
                Some(e) => decode_with(&t, &KeyRef::Jwk(e), cfg).map(|p| {
                    Some(Accepted {
                        payload: p,
                        by: e.label.clone(),
                    })
                }),
                None => Ok(None),
            }
        })();
        match attempt {
            Ok(a) => accepted = a,
            Err(e) if e.class == Class::Invalid && !cfg.static_keys.is_empty() => last = Some(e),
            Err(e) => return Err(e),
        }
    }

    if accepted.is_none() {
        for k in &cfg.static_keys {
            let attempt = load(token).and_then(|t| {
                validate_headers(&t.header)?;
                decode_with(&t, &KeyRef::Static(k), cfg)
            });
            match attempt {
                Ok(p) => {
                    accepted = Some(Accepted {
                        payload: p,
                        by: k.label.clone(),
                    });
                    break;
                }
                Err(e) if e.class == Class::Invalid => last = Some(e),
                Err(e) => return Err(e),
            }
        }
    }

    let Some(acc) = accepted else {
        return Err(
            last.unwrap_or_else(|| invalid("No verification keys configured", Cause::NoKey))
        );
    };

    let agno_checks_aud = !cfg.server.profile.behaviour.audience_in_decode;
    if let Some(expected) = cfg
        .audience
        .as_ref()
        .filter(|a| !a.is_empty() && agno_checks_aud)
    {
        let aud = acc.payload.get("aud").filter(|v| !v.is_null());
        let Some(aud) = aud else {
            return Err(invalid(
                "Token is missing the \"aud\" claim. Audience verification requires this claim to be present in the token.",
                Cause::AudMissing,
            ));
        };
        let token_auds: Vec<&Value> = match aud {
            Value::Array(a) => a.iter().collect(),
            v if py_truthy(v) => vec![v],
            _ => vec![],
        };
        let hit = token_auds
            .iter()
            .any(|a| a.as_str().is_some_and(|s| expected.iter().any(|e| e == s)));
        if !hit {
            return Err(PyErr {
                class: Class::Audience,
                msg: "Audience doesn't match".into(),
                cause: Cause::AudMismatch(aud.clone()),
            });
        }
    }

    let pins_issuer = cfg.server.profile.behaviour.issuer_pin;
    if let Some(iss) = cfg
        .issuer
        .as_deref()
        .filter(|i| !i.is_empty() && pins_issuer)
    {
        match acc.payload.get("iss").filter(|v| !v.is_null()) {
            None => {
                return Err(invalid(
                    "Token is missing the \"iss\" claim. Issuer verification requires this claim to be present in the token.",
                    Cause::IssMissing,
                ))
            }
            Some(v) if v.as_str() == Some(iss) => {}
            Some(v) => {
                return Err(invalid(
                    format!("Invalid issuer. Expected: {iss}, got: {}", py_str(v)),
                    Cause::IssMismatch(v.clone()),
                ))
            }
        }
    }
    Ok(acc)
}

/// PyJWT's `_validate_aud` (agno before 2.4.0 passes `audience=` to `jwt.decode`): an
/// absent or falsy `aud` is a missing claim; anything but a string or a list of strings
/// is "Invalid claim format in token"; no match is "Audience doesn't match".
fn pyjwt_audience(payload: &Map<String, Value>, cfg: &Config) -> std::result::Result<(), PyErr> {
    let Some(expected) = cfg.audience.as_ref().filter(|a| !a.is_empty()) else {
        return Ok(());
    };
    let Some(aud) = payload.get("aud").filter(|v| py_truthy(v)) else {
        return Err(invalid(
            "Token is missing the \"aud\" claim",
            Cause::AudMissing,
        ));
    };
    let audience_error = |msg: &str| PyErr {
        class: Class::Audience,
        msg: msg.into(),
        cause: Cause::AudMismatch(aud.clone()),
    };
    let claims: Vec<&str> = match aud {
        Value::String(s) => vec![s.as_str()],
        Value::Array(a) if a.iter().all(Value::is_string) => {
            a.iter().filter_map(Value::as_str).collect()
        }
        _ => return Err(audience_error("Invalid claim format in token")),
    };
    if expected.iter().all(|e| !claims.contains(&e.as_str())) {
        return Err(audience_error("Audience doesn't match"));
    }
    Ok(())
}

pub(crate) fn py_truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64() != Some(0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// Python `str()` of a JSON value (for agno's issuer message).
pub(crate) fn py_str(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Null => "None".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn py_int_rules() {
        assert_eq!(py_int(&serde_json::json!(1.9)), Some(1.0));
        assert_eq!(py_int(&serde_json::json!(" 12 ")), Some(12.0));
        assert_eq!(py_int(&serde_json::json!("1_0")), Some(10.0));
        assert_eq!(py_int(&serde_json::json!(true)), Some(1.0));
        assert_eq!(py_int(&serde_json::json!("1.5")), None);
        assert_eq!(py_int(&serde_json::json!(null)), None);
    }
}
