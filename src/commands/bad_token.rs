//! `agentos-auth mint --bad KIND`: the token `mint` would make, then broken one way, for
//! the negative tests of an AgentOS app (the pytest plugin's `agentos_bad_token`).
//! The claims are built and checked as for any token first, so only the named fault
//! differs from a token AgentOS accepts.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{Map, Value};

use crate::cli::BadToken;
use crate::error::Result;
use crate::keys::{Alg, Key, Signer};
use crate::token;

/// A minted token: the compact JWS, its header and its claims (what `--json` prints).
pub type Minted = (String, Map<String, Value>, Map<String, Value>);

/// Far beyond PyJWT's `leeway=10` that AgentOS decodes with.
const HOUR: i64 = 3600;

/// The token, its header and its claims, broken as `kind` says.
pub fn mint(
    kind: BadToken,
    mut claims: Map<String, Value>,
    key: &Key,
    signer: &Signer,
    kid: &str,
    now: i64,
) -> Result<Minted> {
    let mut header = token::header(signer, Some(kid));
    let other_signer;
    let mut signer = signer;
    match kind {
        BadToken::Expired => {
            claims.insert("exp".into(), Value::from(now - HOUR));
            if claims.contains_key("iat") {
                claims.insert("iat".into(), Value::from(now - 2 * HOUR));
            }
        }
        BadToken::NotYetValid => {
            claims.insert("nbf".into(), Value::from(now + HOUR));
        }
        BadToken::WrongAudience => {
            let aud = match claims.get("aud") {
                Some(Value::String(a)) => format!("not-{a}"),
                _ => "wrong-audience".to_string(),
            };
            claims.insert("aud".into(), Value::from(aud));
        }
        BadToken::WrongKey => {
            other_signer = Key::generate(key.alg(), 2048)?.signer()?;
            signer = &other_signer;
        }
        BadToken::UnknownKid => {
            header.insert("kid".into(), Value::from(format!("unknown-{kid}")));
        }
        BadToken::WrongAlg => {
            // The classic confusion: a server that took the public key as an HMAC
            // secret would accept it; AgentOS accepts only its one algorithm.
            let other = match key.alg() {
                Alg::HS256 => Key::generate(Alg::ES256, 0)?,
                Alg::RS256 | Alg::ES256 => Key::hmac_secret(&key.public_key_pem()?),
            };
            other_signer = other.signer()?;
            signer = &other_signer;
            header.insert("alg".into(), Value::from(signer.alg().as_str()));
        }
        BadToken::AlgNone => {
            header.insert("alg".into(), Value::from("none"));
            let h = serde_json::to_vec(&header).unwrap_or_default();
            let c = serde_json::to_vec(&claims).unwrap_or_default();
            let jwt = format!(
                "{}.{}.",
                URL_SAFE_NO_PAD.encode(h),
                URL_SAFE_NO_PAD.encode(c)
            );
            return Ok((jwt, header, claims));
        }
        BadToken::ScopeString => {
            let joined = match claims.get("scopes") {
                Some(Value::Array(list)) => list
                    .iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join(" "),
                _ => String::new(),
            };
            claims.insert("scopes".into(), Value::from(joined));
        }
        BadToken::ReservedSubject => {
            let sub = claims.get("sub").and_then(Value::as_str).unwrap_or("test");
            claims.insert("sub".into(), Value::from(format!("sa:{sub}")));
        }
    }
    let jwt = token::encode(&header, &claims, signer)?;
    Ok((jwt, header, claims))
}
