//! Compact JWS (JWT) encoding and decoding. Encoding signs with a `keys::Signer`
//! prepared once; decoding only splits and parses (verification rules live in
//! `agentos`, which mirrors what AgentOS does with a decoded token).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::keys::Signer;

/// Builds the JOSE header AgentOS expects: `alg`, `typ: JWT`, and `kid` when known.
pub fn header(signer: &Signer, kid: Option<&str>) -> Map<String, Value> {
    let mut h = Map::new();
    h.insert("alg".into(), Value::from(signer.alg().as_str()));
    h.insert("typ".into(), Value::from("JWT"));
    if let Some(kid) = kid {
        h.insert("kid".into(), Value::from(kid));
    }
    h
}

/// Serialises and signs: `b64(header).b64(claims).b64(signature)`.
pub fn encode(
    header: &Map<String, Value>,
    claims: &Map<String, Value>,
    signer: &Signer,
) -> Result<String> {
    let h = serde_json::to_vec(header)
        .map_err(|e| Error::input(format!("cannot encode header: {e}")))?;
    let c = serde_json::to_vec(claims)
        .map_err(|e| Error::input(format!("cannot encode claims: {e}")))?;
    let mut out = String::with_capacity((h.len() + c.len()) * 4 / 3 + 360);
    URL_SAFE_NO_PAD.encode_string(&h, &mut out);
    out.push('.');
    URL_SAFE_NO_PAD.encode_string(&c, &mut out);
    let sig = signer.sign(out.as_bytes())?;
    out.push('.');
    URL_SAFE_NO_PAD.encode_string(&sig, &mut out);
    Ok(out)
}

/// A token split into its parts, not verified.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub header: Map<String, Value>,
    /// The payload as JSON; AgentOS (PyJWT) refuses anything but an object, which
    /// verification reports, so decoding keeps whatever JSON it was.
    pub claims: Value,
    /// `header.payload` exactly as received: what the signature covers.
    pub signing_input: String,
    pub signature: Vec<u8>,
}

impl Decoded {
    pub fn alg(&self) -> Option<&str> {
        self.header.get("alg").and_then(Value::as_str)
    }

    pub fn kid(&self) -> Option<&Value> {
        self.header.get("kid")
    }

    pub fn claims_object(&self) -> Option<&Map<String, Value>> {
        self.claims.as_object()
    }
}

/// Splits and decodes a compact JWT; errors name the broken part.
pub fn decode(token: &str) -> Result<Decoded> {
    let token = strip_bearer(token.trim());
    if token.is_empty() {
        return Err(Error::input("empty token").hint("pass the token as an argument or on stdin"));
    }
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() != 3 {
        return Err(Error::input(format!(
            "not a JWT: expected 3 dot-separated segments, found {}",
            parts.len()
        ))
        .hint("a JWT looks like xxxxx.yyyyy.zzzzz; check it was copied whole"));
    }
    let header_bytes = b64(parts[0], "header")?;
    let header: Value = serde_json::from_slice(&header_bytes).map_err(|e| {
        Error::input(format!("token header is not valid JSON: {e}"))
            .hint("the first segment must be base64url-encoded JSON")
    })?;
    let Value::Object(header) = header else {
        return Err(Error::input("token header is not a JSON object")
            .hint("the first segment must encode a JSON object"));
    };
    let claims_bytes = b64(parts[1], "payload")?;
    let claims: Value = serde_json::from_slice(&claims_bytes).map_err(|e| {
        Error::input(format!("token payload is not valid JSON: {e}"))
            .hint("the second segment must be base64url-encoded JSON")
    })?;
    let signature = b64(parts[2], "signature")?;
    Ok(Decoded {
        header,
        claims,
        signing_input: format!("{}.{}", parts[0], parts[1]),
        signature,
    })
}

fn strip_bearer(t: &str) -> &str {
    for p in ["Bearer ", "bearer ", "BEARER "] {
        if let Some(rest) = t.strip_prefix(p) {
            return rest.trim();
        }
    }
    t
}

fn b64(segment: &str, part: &str) -> Result<Vec<u8>> {
    // PyJWT tolerates '=' padding; accept it too.
    URL_SAFE_NO_PAD
        .decode(segment.trim_end_matches('='))
        .map_err(|e| {
            Error::input(format!("token {part} is not valid base64url: {e}"))
                .hint("check the token was copied whole, without extra characters")
        })
}

/// A JSON value's kind, for messages ("expected a list, found a number").
pub fn json_kind(v: &serde_json::Value) -> &'static str {
    use serde_json::Value;
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a JSON object",
    }
}

/// The strings of a list claim, or the words of a space-separated one, as providers send
/// scopes and roles (`"scope": "a b"`, `"scp": ["a", "b"]`); nothing for other kinds.
pub fn claim_strings(v: &serde_json::Value) -> Vec<String> {
    use serde_json::Value;
    match v {
        Value::String(s) => s.split_whitespace().map(str::to_string).collect(),
        Value::Array(a) => a
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_errors_name_the_part() {
        assert!(decode("a.b").unwrap_err().to_string().contains("found 2"));
        assert!(decode("a.b.c.d")
            .unwrap_err()
            .to_string()
            .contains("found 4"));
        let e = decode("!!!.e30.c2ln").unwrap_err().to_string();
        assert!(e.contains("header is not valid base64url"), "{e}");
        let e = decode("bm90anNvbg.e30.c2ln").unwrap_err().to_string();
        assert!(e.contains("header is not valid JSON"), "{e}");
        let e = decode("W10.e30.c2ln").unwrap_err().to_string();
        assert!(e.contains("header is not a JSON object"), "{e}");
    }

    #[test]
    fn decode_keeps_non_object_payload() {
        let d = decode("Bearer e30.WzFd.c2ln").unwrap();
        assert!(d.claims.is_array());
        assert_eq!(d.signing_input, "e30.WzFd");
        assert_eq!(d.signature, b"sig");
    }
}
