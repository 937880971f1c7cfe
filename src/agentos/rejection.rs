//! The 401s: PyJWT's or agno's refusal of a token, as the `detail` AgentOS sends, the
//! reason in words and the fix (`JWTValidator.validate_token`'s error handling).

use serde_json::{Map, Value};

use super::provider_shape::{recognise, Aspect, Reading};

use super::config::Config;
use super::pyjwt::{exact_secret, jwks_map, load, Cause, Class, PyErr};
use super::verdict::Verdict;
use crate::keys::Alg;
use crate::time;

fn when(ts: f64, now: f64) -> String {
    let t = ts as i64;
    format!("{} ({})", time::rfc3339(t), time::relative(t, now as i64))
}

pub(crate) fn rejection(e: &PyErr, token: &str, cfg: &Config) -> Verdict {
    let detail = match e.class {
        Class::Expired => "Token has expired".to_string(),
        Class::Audience => cfg.server.profile.behaviour.audience_detail.to_string(),
        Class::Invalid => format!("Invalid token: {}", e.msg),
        Class::Other => format!("Error decoding token: {}", e.msg),
    };
    let loaded = load(token).ok();
    let claims: Map<String, Value> = loaded
        .as_ref()
        .and_then(|t| serde_json::from_slice(&t.payload).ok())
        .unwrap_or_default();
    let header = loaded.map(|t| t.header);
    let kid = header
        .as_ref()
        .and_then(|h| h.get("kid"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let alg = cfg.alg;
    let (reason, fix): (String, String) = match &e.cause {
        Cause::Malformed => (
            format!("the token is not a well-formed JWT ({})", e.msg),
            "send the whole token as minted (three base64url segments separated by dots)".into(),
        ),
        Cause::AlgMissing => (
            "the token header has no alg".into(),
            format!("mint it with agentos-auth mint (header alg {alg})"),
        ),
        Cause::AlgNotAllowed(v) => {
            let tok = v.as_str().map_or_else(|| v.to_string(), str::to_string);
            (
                format!("token alg {tok} but AgentOS is set to {alg}"),
                match tok.parse::<Alg>() {
                    Ok(t) if t.as_str() == tok => format!(
                        "mint with an {alg} key made by agentos-auth keygen --alg {alg}, or configure AgentOS for {tok}: AgentOS(authorization=Authorization(algorithm=\"{tok}\")) from agno.os.authz, no env var sets it; then verify with --alg {tok}"
                    ),
                    _ => format!("mint an {alg} token with agentos-auth mint; AgentOS verifies only RS256, ES256 or HS256"),
                },
            )
        }
        Cause::KidNotString => (
            "the token's kid header is not a string".into(),
            "mint with --kid NAME".into(),
        ),
        Cause::Detached => (
            "the token has b64:false (a detached payload): AgentOS has no way to receive the payload".into(),
            "mint a normal JWT (no b64 header): agentos-auth mint".into(),
        ),
        Cause::Crit => (
            "the token has a crit header PyJWT does not support".into(),
            "mint without crit: agentos-auth mint".into(),
        ),
        Cause::KeyUnusable { why, fix } => (why.clone(), fix.clone()),
        Cause::BadSignature => signature_advice(token, cfg, kid.as_deref()),
        Cause::Payload => (
            format!("the token payload is not a JSON object ({})", e.msg),
            "mint the token with agentos-auth mint".into(),
        ),
        Cause::ClaimType(c) => (
            format!("the token's {c} is not an integer"),
            format!("mint with {c} as unix seconds (a number)"),
        ),
        Cause::Immature(c, t) => {
            let ahead = (*t - cfg.now).round() as i64;
            if *c == "iat" {
                (
                    format!(
                        "token iat is {} in the future, beyond AgentOS's 10 s leeway: the minting clock is ahead of the server's",
                        time::format_duration(ahead)
                    ),
                    "sync the clocks of the minting machine and the server with NTP, or mint with --no-iat".into(),
                )
            } else {
                (
                    format!("token not valid before {}", when(*t, cfg.now)),
                    "wait until then, or mint without --nbf".into(),
                )
            }
        }
        Cause::Expired(t) => (
            format!(
                "token expired {} (exp {}, leeway 10 s)",
                time::relative(*t as i64, cfg.now as i64),
                time::rfc3339(*t as i64)
            ),
            "mint a new token: agentos-auth mint, with a longer --expires-in if needed".into(),
        ),
        Cause::SubNotString => (
            "the token's sub is not a string".into(),
            "mint with --sub USER_ID".into(),
        ),
        Cause::JtiNotString => (
            "the token's jti is not a string".into(),
            "mint with --jti (a string)".into(),
        ),
        Cause::NoKey => no_key_advice(cfg, kid.as_deref(), header.is_some()),
        Cause::AudMissing => (
            "the token has no aud, and AgentOS verifies the audience".into(),
            format!("mint with --aud {}", expected_aud(cfg)),
        ),
        Cause::AudMismatch(got) => (
            format!(
                "token aud {got} but AgentOS expects {}",
                expected_aud(cfg)
            ),
            format!(
                "mint with --aud {}, the AgentOS id that GET /info shows as os_id, or change audience= in AgentOS",
                expected_aud(cfg)
            ),
        ),
        Cause::IssMissing => (
            "the token has no iss, and AgentOS pins the issuer".into(),
            format!("mint with --iss {}", cfg.issuer.clone().unwrap_or_default()),
        ),
        Cause::IssMismatch(got) => (
            format!(
                "token iss {} but AgentOS pins {}",
                got,
                cfg.issuer.clone().unwrap_or_default()
            ),
            format!("mint with --iss {}", cfg.issuer.clone().unwrap_or_default()),
        ),
    };
    let (reason, fix) = provider_advice(&e.cause, header.as_ref(), &claims, cfg, (reason, fix));
    Verdict::deny(401, detail, reason, fix)
}

/// A provider's token (`provider_shape`): its audience shape, its algorithm, or a kid the
/// synced JWKS lacks (the provider rotated its key) names the provider setting or the
/// sync that fixes it.
fn provider_advice(
    cause: &Cause,
    header: Option<&Map<String, Value>>,
    claims: &Map<String, Value>,
    cfg: &Config,
    (reason, fix): (String, String),
) -> (String, String) {
    let reading = Reading {
        audience: cfg.audience.as_deref(),
        profile: cfg.server.profile,
        ..Reading::default()
    };
    let finding = |aspect: Aspect| {
        recognise(header, claims, &reading)
            .into_iter()
            .find(|f| f.aspect == aspect)
    };
    match cause {
        Cause::AudMissing | Cause::AudMismatch(_) => match finding(Aspect::Audience) {
            Some(f) => (format!("{reason} ({})", f.shape), f.fix),
            None => (reason, fix),
        },
        Cause::AlgNotAllowed(v) if v.as_str().and_then(|a| a.parse::<Alg>().ok()).is_none() => {
            match finding(Aspect::Algorithm) {
                Some(f) => (format!("{reason}: {}", f.seen), f.fix),
                None => (reason, fix),
            }
        }
        Cause::NoKey if cfg.jwks.is_some() => {
            // The issuer comes from the token: escaped, as all token text in a message.
            let from_provider = claims
                .get("iss")
                .and_then(Value::as_str)
                .filter(|i| i.starts_with("https://"))
                .map(|i| i.escape_debug().to_string());
            let kid = header.and_then(|h| h.get("kid")).and_then(Value::as_str);
            match (from_provider, kid) {
                (Some(iss), Some(_)) => (
                    format!("{reason}: a token from {iss} whose kid the JWKS file lacks is what a provider's key rotation looks like"),
                    format!("run `agentos-auth jwks sync --from {iss} --jwks FILE` and restart AgentOS (it reads jwks_file only at startup)"),
                ),
                _ => (reason, fix),
            }
        }
        _ => (reason, fix),
    }
}

fn expected_aud(cfg: &Config) -> String {
    cfg.audience
        .as_ref()
        .and_then(|a| a.first().cloned())
        .unwrap_or_else(|| "OS_ID".into())
}

/// Kids of the usable JWKS keys (sorted), and whether a kid-less default exists.
fn jwks_kids(cfg: &Config) -> (Vec<(String, Alg)>, bool) {
    let map = cfg.jwks.as_ref().map(jwks_map).unwrap_or_default();
    let mut kids: Vec<(String, Alg)> = map
        .iter()
        .filter(|(k, _)| k.as_str() != "_default")
        .map(|(k, e)| (k.clone(), e.key.alg()))
        .collect();
    kids.sort_by(|a, b| a.0.cmp(&b.0));
    (kids, map.contains_key("_default"))
}

fn no_key_advice(cfg: &Config, kid: Option<&str>, has_header: bool) -> (String, String) {
    let (kids, _) = jwks_kids(cfg);
    if cfg.jwks.is_none() && cfg.static_keys.is_empty() || !has_header {
        return (
            "AgentOS has no verification key".into(),
            "set JWT_VERIFICATION_KEY or JWT_JWKS_FILE".into(),
        );
    }
    let matching: Vec<&str> = kids
        .iter()
        .filter(|(_, a)| *a == cfg.alg)
        .map(|(k, _)| k.as_str())
        .collect();
    let pick = matching
        .last()
        .copied()
        .or(kids.last().map(|(k, _)| k.as_str()))
        .unwrap_or("KID");
    let n = kids.len();
    let plural = if n == 1 { "key" } else { "keys" };
    // A JWKS can hold thousands of keys: name a few, count the rest (one short line).
    const SHOWN: usize = 5;
    let mut list = kids
        .iter()
        .take(SHOWN)
        .map(|(k, _)| clipped(k))
        .collect::<Vec<_>>()
        .join(", ");
    if n > SHOWN {
        list.push_str(&format!(" and {} more", n - SHOWN));
    }
    match kid {
        None | Some("") => (
            format!("token has no kid; the JWKS has {n} {plural}, all with kid ({list}), and no kid-less default"),
            format!("mint with --kid {pick}"),
        ),
        Some(k) => (
            format!("token kid {:?} is not in the JWKS (kids: {list}) and there is no kid-less default key", clipped(k)),
            format!("mint with --kid {pick} using that key, or add the token's public key to the JWKS under kid {k:?}"),
        ),
    }
}

/// A kid as shown in a message: at most 64 characters (kids may be any length).
fn clipped(kid: &str) -> String {
    match kid.char_indices().nth(64) {
        Some((i, _)) => format!("{}...", &kid[..i]),
        None => kid.to_string(),
    }
}

fn signature_advice(token: &str, cfg: &Config, kid: Option<&str>) -> (String, String) {
    let n = cfg.static_keys.len() + usize::from(cfg.jwks.is_some());
    // HS256: a secret that differs only by whitespace is the classic mistake.
    if cfg.alg == Alg::HS256 {
        if let Ok(t) = load(token) {
            for k in &cfg.static_keys {
                let trimmed = k.text.trim();
                if trimmed != k.text && !trimmed.is_empty() {
                    if let Ok(v) = exact_secret(trimmed) {
                        if v.verify(t.signing_input.as_bytes(), &t.signature) {
                            return (
                                format!("{} has leading/trailing whitespace (e.g. a newline): AgentOS uses the secret byte for byte", k.label),
                                format!("remove the whitespace from {}: the secret is the file's content without trailing newline", k.label),
                            );
                        }
                    }
                }
            }
        }
        return (
            "the HS256 signature does not match the configured secret".into(),
            "mint with the same secret AgentOS has, byte for byte, without trailing newline".into(),
        );
    }
    let via = match kid {
        Some(k) if cfg.jwks.is_some() => {
            format!(" (JWKS key {k:?} and {} static)", cfg.static_keys.len())
        }
        _ => String::new(),
    };
    (
        format!("the signature does not match the {n} configured key source(s){via}: the token was signed by another key"),
        "mint with the private key whose public half AgentOS has, or give AgentOS this key's public half: agentos-auth export --key PRIVATE_KEY".into(),
    )
}
