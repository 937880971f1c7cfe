//! JWK (RFC 7517): the JSON form of one key, and its import as a [`Key`]. The key
//! set (JWKS) that AgentOS reads lives in `crate::jwk_set`, which builds on this.

use std::fmt;

use aws_lc_rs::digest;
use aws_lc_rs::{rsa, signature};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use zeroize::{Zeroize, Zeroizing};

use super::alg::Alg;
use super::formats::*;
use super::key::{
    ec_coordinates, ec_from_keypair, ec_public, rsa_from_keypair, rsa_public, Inner, Key,
};
use crate::error::{Error, Result};

/// One JSON Web Key. Serialized member order: kty, use, alg, kid, then n, e | crv, x,
/// y | k, then the private members, then unknown members; absent members are skipped.
/// `Debug` never prints private members.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Jwk {
    pub kty: String,
    #[serde(rename = "use", default, skip_serializing_if = "Option::is_none")]
    pub use_: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alg: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub e: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crv: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub y: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub k: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub d: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub p: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dp: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dq: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qi: Option<String>,
    /// Members this type does not name, kept in their order.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// Members that hold secrets (`k` is the whole key of an `oct` JWK).
pub const PRIVATE_MEMBERS: [&str; 7] = ["d", "p", "q", "dp", "dq", "qi", "k"];

/// Members that must be strings when present.
const STRING_MEMBERS: [&str; 16] = [
    "kty", "use", "alg", "kid", "n", "e", "crv", "x", "y", "k", "d", "p", "q", "dp", "dq", "qi",
];

impl fmt::Debug for Jwk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redact = |m: &Option<String>| m.as_ref().map(|_| "<redacted>");
        f.debug_struct("Jwk")
            .field("kty", &self.kty)
            .field("use", &self.use_)
            .field("alg", &self.alg)
            .field("kid", &self.kid)
            .field("n", &self.n)
            .field("e", &self.e)
            .field("crv", &self.crv)
            .field("x", &self.x)
            .field("y", &self.y)
            .field("k", &redact(&self.k))
            .field("d", &redact(&self.d))
            .field("p", &redact(&self.p))
            .field("q", &redact(&self.q))
            .field("dp", &redact(&self.dp))
            .field("dq", &redact(&self.dq))
            .field("qi", &redact(&self.qi))
            .field("other", &self.other.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// Private members are wiped when a JWK is dropped (they are whole keys or parts).
impl Drop for Jwk {
    fn drop(&mut self) {
        use zeroize::Zeroize as _;
        for m in [
            &mut self.d,
            &mut self.p,
            &mut self.q,
            &mut self.dp,
            &mut self.dq,
            &mut self.qi,
            &mut self.k,
        ] {
            m.zeroize();
        }
        wipe_strings(&mut self.other);
    }
}

/// Zeroizes every string inside `map` (e.g. RSA "oth" prime infos).
fn wipe_strings(map: &mut Map<String, Value>) {
    use zeroize::Zeroize as _;
    fn wipe(v: &mut Value) {
        match v {
            Value::String(s) => s.zeroize(),
            Value::Array(a) => a.iter_mut().for_each(wipe),
            Value::Object(o) => o.values_mut().for_each(wipe),
            _ => {}
        }
    }
    map.values_mut().for_each(wipe);
}

/// Zeroizes every string of a JSON document that may have held a private JWK.
pub fn wipe_json(v: &mut Value) {
    if let Value::Object(map) = v {
        wipe_strings(map);
    } else if let Value::Array(items) = v {
        items.iter_mut().for_each(wipe_json);
    }
}

impl Jwk {
    /// An empty JWK of type `kty`.
    pub fn new(kty: &str) -> Jwk {
        Jwk {
            kty: kty.to_string(),
            use_: None,
            alg: None,
            kid: None,
            n: None,
            e: None,
            crv: None,
            x: None,
            y: None,
            k: None,
            d: None,
            p: None,
            q: None,
            dp: None,
            dq: None,
            qi: None,
            other: Map::new(),
        }
    }

    /// A JWK from a JSON value, with member types checked first so that errors say
    /// which member is wrong ("kid must be a string, got number"). No source prefix.
    pub fn from_value(v: &Value) -> Result<Jwk> {
        let obj = v.as_object().ok_or_else(|| {
            Error::input(format!("not a JSON object (got {})", type_name(v)))
                .hint("a JWK is a JSON object like {\"kty\": \"EC\", ...}")
        })?;
        if !obj.contains_key("kty") {
            return Err(Error::input("missing \"kty\" member")
                .hint("a JWK needs kty \"RSA\", \"EC\" or \"oct\""));
        }
        for name in STRING_MEMBERS {
            if let Some(val) = obj.get(name) {
                if !val.is_string() {
                    return Err(Error::input(format!(
                        "{name} must be a string, got {}",
                        type_name(val)
                    ))
                    .hint(format!("write \"{name}\" as a JSON string")));
                }
            }
        }
        serde_json::from_value(v.clone()).map_err(|e| {
            Error::input(format!("not a valid JWK ({e})")).hint("export the key again as a JWK")
        })
    }

    /// True when any private member (d, p, q, dp, dq, qi, k, or RSA "oth") is present.
    pub fn has_private_members(&self) -> bool {
        [
            &self.d, &self.p, &self.q, &self.dp, &self.dq, &self.qi, &self.k,
        ]
        .iter()
        .any(|m| m.is_some())
            || self.other.contains_key("oth")
    }

    /// The same JWK without its private members; an error for `oct` (a secret has
    /// no public form).
    pub fn to_public(&self) -> Result<Jwk> {
        if self.kty == "oct" {
            return Err(
                Error::input("an oct (HS256) key is a secret and has no public form").hint(
                    "keep HS256 secrets out of a published JWKS; use RS256 or ES256 keys there",
                ),
            );
        }
        let mut j = self.clone();
        j.d = None;
        j.p = None;
        j.q = None;
        j.dp = None;
        j.dq = None;
        j.qi = None;
        j.k = None;
        j.other.remove("oth");
        Ok(j)
    }

    /// The key this JWK describes (RSA/EC public or private, or an `oct` HS256
    /// secret); errors carry no source prefix.
    pub fn to_key(&self) -> Result<Key> {
        Key::from_jwk(self)
    }

    /// RFC 7638 thumbprint of the required members, as written in this JWK.
    pub fn thumbprint(&self) -> Result<String> {
        let need = |m: &Option<String>, name: &str| -> Result<String> {
            m.clone().ok_or_else(|| {
                Error::input(format!(
                    "cannot compute the thumbprint: the {} key has no \"{name}\" member",
                    self.kty
                ))
                .hint("export the key again as a complete JWK")
            })
        };
        match self.kty.as_str() {
            "RSA" => {
                let (e, n) = (need(&self.e, "e")?, need(&self.n, "n")?);
                Ok(thumbprint_of(&[("e", &e), ("kty", "RSA"), ("n", &n)]))
            }
            "EC" => {
                let (crv, x, y) = (
                    need(&self.crv, "crv")?,
                    need(&self.x, "x")?,
                    need(&self.y, "y")?,
                );
                Ok(thumbprint_of(&[
                    ("crv", &crv),
                    ("kty", "EC"),
                    ("x", &x),
                    ("y", &y),
                ]))
            }
            "oct" => {
                let k = zeroize::Zeroizing::new(need(&self.k, "k")?);
                Ok(thumbprint_of(&[("k", &k), ("kty", "oct")]))
            }
            other => Err(Error::input(format!(
                "cannot compute the thumbprint of a \"{other}\" key"
            ))
            .hint("a JWK needs kty \"RSA\", \"EC\" or \"oct\"")),
        }
    }

    /// The algorithm: from `alg` when it is RS256/ES256/HS256, else (no `alg`) from
    /// kty/crv (RSA → RS256, EC P-256 → ES256, oct → HS256).
    pub fn alg(&self) -> Option<Alg> {
        if let Some(a) = &self.alg {
            return Alg::from_jose(a);
        }
        match (self.kty.as_str(), self.crv.as_deref()) {
            ("RSA", _) => Some(Alg::RS256),
            ("EC", Some("P-256")) => Some(Alg::ES256),
            ("oct", _) => Some(Alg::HS256),
            _ => None,
        }
    }

    /// "RSA 2048-bit", "EC P-256", "oct" (or the kty as written).
    pub fn summary(&self) -> String {
        match self.kty.as_str() {
            "RSA" => {
                let bits = self
                    .n
                    .as_deref()
                    .and_then(|n| URL_SAFE_NO_PAD.decode(n.trim_end_matches('=')).ok())
                    .map(|n| bit_len(&n))
                    .filter(|&b| b > 0);
                match bits {
                    Some(b) => format!("RSA {b}-bit"),
                    None => "RSA".to_string(),
                }
            }
            "EC" => match &self.crv {
                Some(c) => format!("EC {c}"),
                None => "EC".to_string(),
            },
            other => other.to_string(),
        }
    }
}

/// RFC 7638: SHA-256 over the members sorted by name, as compact JSON, base64url.
pub fn thumbprint_of(members: &[(&str, &str)]) -> String {
    let mut sorted = members.to_vec();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    let mut json = zeroize::Zeroizing::new(String::from("{"));
    for (i, (name, value)) in sorted.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        json.push_str(&Value::from(*name).to_string());
        json.push(':');
        json.push_str(&Value::from(*value).to_string());
    }
    json.push('}');
    URL_SAFE_NO_PAD.encode(digest::digest(&digest::SHA256, json.as_bytes()))
}

pub(crate) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

impl Key {
    /// The public key as a JWK with `use: "sig"` and `alg`; an error for HS256.
    pub fn public_jwk(&self, kid: Option<&str>) -> Result<Jwk> {
        let mut jwk = match &self.inner {
            Inner::Rsa { n, e, .. } => {
                let mut j = Jwk::new("RSA");
                j.n = Some(URL_SAFE_NO_PAD.encode(n));
                j.e = Some(URL_SAFE_NO_PAD.encode(e));
                j
            }
            Inner::Ec { point, .. } => {
                let (x, y) = ec_coordinates(point)?;
                let mut j = Jwk::new("EC");
                j.crv = Some("P-256".to_string());
                j.x = Some(URL_SAFE_NO_PAD.encode(x));
                j.y = Some(URL_SAFE_NO_PAD.encode(y));
                j
            }
            Inner::Hmac { .. } => return Err(no_public_key()),
        };
        jwk.use_ = Some("sig".to_string());
        jwk.alg = Some(self.alg().as_str().to_string());
        jwk.kid = kid.map(str::to_string);
        Ok(jwk)
    }

    /// For an HS256 secret: `{"kty":"oct","use":"sig","alg":"HS256","kid":..,"k":..}`
    /// with `k` the base64url of the secret string's UTF-8 bytes. `None` otherwise.
    pub fn secret_jwk(&self, kid: Option<&str>) -> Option<Jwk> {
        let secret = self.secret()?;
        let mut j = Jwk::new("oct");
        j.use_ = Some("sig".to_string());
        j.alg = Some(Alg::HS256.as_str().to_string());
        j.kid = kid.map(str::to_string);
        j.k = Some(URL_SAFE_NO_PAD.encode(secret.as_bytes()));
        Some(j)
    }

    /// RFC 7638 JWK thumbprint (SHA-256, base64url without padding) of the key's
    /// required public members (for HS256, of `k` and `kty`). A good default `kid`.
    pub fn thumbprint(&self) -> String {
        match &self.inner {
            Inner::Rsa { n, e, .. } => {
                let (n, e) = (URL_SAFE_NO_PAD.encode(n), URL_SAFE_NO_PAD.encode(e));
                thumbprint_of(&[("e", &e), ("kty", "RSA"), ("n", &n)])
            }
            Inner::Ec { point, .. } => {
                let x = URL_SAFE_NO_PAD.encode(point.get(1..33).unwrap_or_default());
                let y = URL_SAFE_NO_PAD.encode(point.get(33..65).unwrap_or_default());
                thumbprint_of(&[("crv", "P-256"), ("kty", "EC"), ("x", &x), ("y", &y)])
            }
            Inner::Hmac { secret } => {
                let k = Zeroizing::new(URL_SAFE_NO_PAD.encode(secret.as_bytes()));
                thumbprint_of(&[("k", &k), ("kty", "oct")])
            }
        }
    }

    /// The one JWK → Key conversion (used by [`Jwk::to_key`] and [`Key::parse`]).
    /// Errors carry no source prefix; callers add it.
    pub(crate) fn from_jwk(jwk: &Jwk) -> Result<Key> {
        let key = match jwk.kty.as_str() {
            "RSA" => rsa_from_jwk(jwk)?,
            "EC" => ec_from_jwk(jwk)?,
            "oct" => {
                let k = need(&jwk.k, "oct", "k")?;
                let bytes = Zeroizing::new(b64url_member(k, "k")?);
                let secret = String::from_utf8(bytes.to_vec()).map_err(|e| {
                    let mut v = e.into_bytes();
                    v.zeroize();
                    Error::input("oct k is not UTF-8 text, so it is not an AgentOS HS256 secret")
                        .hint("AgentOS uses the secret string's bytes; create a text secret with: agentos-auth keygen --alg HS256")
                })?;
                let secret = Zeroizing::new(secret);
                if secret.is_empty() {
                    return Err(Error::input("oct k is empty")
                        .hint("create a secret with: agentos-auth keygen --alg HS256"));
                }
                Key::from(Inner::Hmac { secret })
            }
            "OKP" => {
                let crv = jwk.crv.as_deref().unwrap_or("OKP");
                return Err(unsupported(&format!("an {crv} (OKP) key")));
            }
            "" => {
                return Err(
                    Error::input("kty is empty").hint("a JWK needs kty \"RSA\", \"EC\" or \"oct\"")
                )
            }
            other => {
                return Err(Error::input(format!("unknown kty \"{other}\""))
                    .hint("a JWK needs kty \"RSA\", \"EC\" or \"oct\""))
            }
        };
        if let Some(a) = &jwk.alg {
            match Alg::from_jose(a) {
                Some(alg) if alg == key.alg() => {}
                Some(_) => {
                    return Err(Error::input(format!(
                        "alg \"{a}\" does not fit kty \"{}\"",
                        jwk.kty
                    ))
                    .hint(format!("set alg to \"{}\" or remove it", key.alg())))
                }
                None => {
                    return Err(
                        Error::input(format!("alg \"{a}\" is not supported; {SUPPORTED}"))
                            .hint(format!("set alg to \"{}\" or remove it", key.alg())),
                    )
                }
            }
        }
        // One key file, one kid: mint, export and jwks add all use the JWK's own.
        Ok(Key {
            own_kid: jwk.kid.clone(),
            ..key
        })
    }
}

pub(super) fn parse_jwk_text(text: &str, src: &str) -> Result<Key> {
    let mut value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        Error::input(format!("{src}: not valid JSON ({e})"))
            .hint("a JWK is a JSON object like {\"kty\": \"EC\", ...}")
    })?;
    if value.get("keys").is_some() {
        return Err(
            Error::input(format!("{src} is a JWKS (a set of keys), not a single key"))
                .hint("pass one key: a PEM file, or one JWK from the \"keys\" array"),
        );
    }
    let jwk = Jwk::from_value(&value);
    // The parsed document holds the private members too: wipe it (the Jwk wipes itself).
    wipe_json(&mut value);
    Key::from_jwk(&jwk.map_err(|e| e.context(src))?).map_err(|e| e.context(src))
}

fn need<'a>(member: &'a Option<String>, kty: &str, name: &str) -> Result<&'a str> {
    member.as_deref().ok_or_else(|| {
        Error::input(format!("{kty} key has no \"{name}\" member"))
            .hint("export the key again as a complete JWK")
    })
}

fn b64url_member(value: &str, name: &str) -> Result<Vec<u8>> {
    B64URL_LENIENT.decode(value.as_bytes()).map_err(|e| {
        Error::input(format!("\"{name}\" is not valid base64url ({e})"))
            .hint("export the key again as a JWK")
    })
}

fn rsa_from_jwk(jwk: &Jwk) -> Result<Key> {
    if jwk.other.contains_key("oth") {
        return Err(
            Error::input("multi-prime RSA keys (\"oth\") are not supported").hint(HINT_KEYGEN),
        );
    }
    let n = b64url_member(need(&jwk.n, "RSA", "n")?, "n")?;
    let e = b64url_member(need(&jwk.e, "RSA", "e")?, "e")?;
    let Some(d) = &jwk.d else {
        return rsa_public(&n, &e);
    };
    let crt = [&jwk.p, &jwk.q, &jwk.dp, &jwk.dq, &jwk.qi];
    if crt.iter().any(|m| m.is_none()) {
        return Err(Error::input(
            "RSA private JWK has d but not all of p, q, dp, dq and qi (required here)",
        )
        .hint("export the key with all its members, or pass the PEM private key"));
    }
    let bits = bit_len(&n);
    if bits < RSA_PRIVATE_MIN_BITS {
        return Err(rsa_private_too_small(bits));
    }
    if bits > RSA_MAX_BITS {
        return Err(Error::input(format!(
            "RSA {bits}-bit keys are larger than supported ({RSA_MAX_BITS} bits)"
        ))
        .hint(HINT_KEYGEN));
    }
    let member = |m: &Option<String>, name: &str| -> Result<Zeroizing<Vec<u8>>> {
        b64url_member(m.as_deref().unwrap_or_default(), name).map(Zeroizing::new)
    };
    let d = Zeroizing::new(b64url_member(d, "d")?);
    let (p, q) = (member(&jwk.p, "p")?, member(&jwk.q, "q")?);
    let (dp, dq, qi) = (
        member(&jwk.dp, "dp")?,
        member(&jwk.dq, "dq")?,
        member(&jwk.qi, "qi")?,
    );
    let components = rsa::KeyPairComponents {
        public_key: rsa::PublicKeyComponents {
            n: strip_zeros(&n),
            e: strip_zeros(&e),
        },
        d: d.as_slice(),
        p: p.as_slice(),
        q: q.as_slice(),
        dP: dp.as_slice(),
        dQ: dq.as_slice(),
        qInv: qi.as_slice(),
    };
    let kp = rsa::KeyPair::from_components(&components).map_err(|e| {
        Error::input(format!(
            "the RSA private JWK members do not form a valid key ({})",
            e.description_()
        ))
        .hint("export the key again, or pass the PEM private key")
    })?;
    rsa_from_keypair(&kp)
}

fn ec_from_jwk(jwk: &Jwk) -> Result<Key> {
    let crv = need(&jwk.crv, "EC", "crv")?;
    if crv != "P-256" {
        return Err(unsupported(&format!("an EC {crv} key")));
    }
    let coordinate = |m: &Option<String>, name: &str| -> Result<Vec<u8>> {
        let v = b64url_member(need(m, "EC", name)?, name)?;
        if v.len() != 32 {
            return Err(
                Error::input(format!("EC {name} must be 32 bytes, got {}", v.len()))
                    .hint("regenerate this key"),
            );
        }
        Ok(v)
    };
    let x = coordinate(&jwk.x, "x")?;
    let y = coordinate(&jwk.y, "y")?;
    let mut point = Vec::with_capacity(65);
    point.push(4u8);
    point.extend_from_slice(&x);
    point.extend_from_slice(&y);
    let Some(d) = &jwk.d else {
        return ec_public(&point);
    };
    let d = Zeroizing::new(b64url_member(d, "d")?);
    if d.len() != 32 {
        return Err(
            Error::input(format!("EC d must be 32 bytes, got {}", d.len()))
                .hint("regenerate this key"),
        );
    }
    let kp = signature::EcdsaKeyPair::from_private_key_and_public_key(
        &signature::ECDSA_P256_SHA256_FIXED_SIGNING,
        &d,
        &point,
    )
    .map_err(|e| {
        Error::input(format!(
            "the EC private JWK members do not form a valid key ({})",
            e.description_()
        ))
        .hint("export the key again, or pass the PEM private key")
    })?;
    ec_from_keypair(&kp)
}
