//! `POST /token`: the client-credentials grant (RFC 6749 §4.4) and its answers, exactly
//! as §5.1 (success) and §5.2 (errors) have them. Pure request-in, answer-out: the
//! server feeds it the headers and body it read, and sends what comes back.

use serde_json::{json, Value};

use super::state::Snapshot;
use crate::agentos::Server;

pub const CLIENT_CREDENTIALS: &str = "client_credentials";

/// An RFC 6749 §5.2 error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OAuthError {
    InvalidRequest,
    InvalidClient,
    InvalidScope,
    /// RFC 6749 §5.2 / RFC 8693 §2.2.2: the subject token is invalid, expired, untrusted.
    InvalidGrant,
    UnsupportedGrantType,
    /// Not a §5.2 code: a token we could not build or sign (500).
    ServerError,
    /// The client's rate limit (429); the closest registered code (RFC 6749 §4.1.2.1).
    TemporarilyUnavailable,
}

impl OAuthError {
    pub fn code(self) -> &'static str {
        match self {
            OAuthError::InvalidRequest => "invalid_request",
            OAuthError::InvalidClient => "invalid_client",
            OAuthError::InvalidScope => "invalid_scope",
            OAuthError::InvalidGrant => "invalid_grant",
            OAuthError::UnsupportedGrantType => "unsupported_grant_type",
            OAuthError::ServerError => "server_error",
            OAuthError::TemporarilyUnavailable => "temporarily_unavailable",
        }
    }

    pub fn status(self) -> u16 {
        match self {
            // §5.2: 401 for a failed client authentication (with WWW-Authenticate).
            OAuthError::InvalidClient => 401,
            OAuthError::ServerError => 500,
            OAuthError::TemporarilyUnavailable => 429,
            _ => 400,
        }
    }
}

/// The answer to a token request, and what the access log and metrics record.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub body: Value,
    /// `WWW-Authenticate: Basic` (invalid_client).
    pub challenge: bool,
    /// Seconds, for 429.
    pub retry_after: Option<u64>,
    /// The authenticated client, if any (never an id nobody proved).
    pub client: Option<String>,
    pub grant: Option<String>,
    /// "issued" or the error code.
    pub outcome: &'static str,
}

pub fn error(e: OAuthError, description: &str) -> Answer {
    Answer {
        status: e.status(),
        body: json!({"error": e.code(), "error_description": description}),
        challenge: e == OAuthError::InvalidClient,
        retry_after: None,
        client: None,
        grant: None,
        outcome: e.code(),
    }
}

/// [`error`], boxed: the refusals of [`check`] (an `Answer` is large for an `Err`).
fn refuse(e: OAuthError, description: &str) -> Box<Answer> {
    Box::new(error(e, description))
}

/// What the request carried, before any check.
pub struct Request<'a> {
    pub content_type: Option<&'a str>,
    pub authorization: Option<&'a str>,
    pub body: &'a [u8],
}

/// Parsed, authenticated, client known: what a token is built from.
pub struct Granted {
    pub client: String,
    /// client_credentials: the scopes to grant. Token exchange: those asked for (none:
    /// all the subject token maps to).
    pub scopes: Vec<String>,
    /// Token exchange: `subject_token` and `subject_token_type`.
    pub exchange: Option<(String, Option<String>)>,
}

/// The grant's name in logs and metrics.
pub fn label(exchange: bool) -> &'static str {
    if exchange {
        "token_exchange"
    } else {
        CLIENT_CREDENTIALS
    }
}

/// Steps 1-3 of a token request: form, client authentication, grant and scope. Cheap
/// (a SHA-256 and a compare); signing happens in [`issue`].
pub fn check(req: &Request, snap: &Snapshot, exchange: bool) -> Result<Granted, Box<Answer>> {
    let media = req.content_type.map(|c| {
        c.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    });
    if media.as_deref() != Some("application/x-www-form-urlencoded") {
        return Err(refuse(
            OAuthError::InvalidRequest,
            "the body must be application/x-www-form-urlencoded",
        ));
    }
    let mut pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(req.body)
        .map_err(|_| refuse(OAuthError::InvalidRequest, "the body is not a valid form"))?;
    // §3.1: "Parameters sent without a value MUST be treated as if they were omitted."
    pairs.retain(|(_, v)| !v.is_empty());
    // §3.2: "Request and response parameters MUST NOT be included more than once."
    for (i, (k, _)) in pairs.iter().enumerate() {
        if pairs[..i].iter().any(|(p, _)| p == k) {
            return Err(refuse(
                OAuthError::InvalidRequest,
                &format!("parameter {} is given more than once", printable_name(k)),
            ));
        }
    }
    let param = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let Some(grant) = param("grant_type") else {
        return Err(refuse(OAuthError::InvalidRequest, "grant_type is missing"));
    };
    let (id, secret) = credentials(
        req.authorization,
        param("client_id"),
        param("client_secret"),
    )?;
    let Some(client) = snap.clients.authenticate(&id, &secret) else {
        return Err(refuse(
            OAuthError::InvalidClient,
            "client authentication failed",
        ));
    };
    let is_exchange = exchange && grant == super::exchange::GRANT;
    if grant != CLIENT_CREDENTIALS && !is_exchange {
        let mut a = refuse(
            OAuthError::UnsupportedGrantType,
            if exchange {
                "this server issues client_credentials and token-exchange grants"
            } else {
                "this server issues client_credentials grants"
            },
        );
        a.client = Some(client.id.clone());
        return Err(a);
    }
    if is_exchange {
        let Some(token) = param("subject_token") else {
            let mut a = refuse(OAuthError::InvalidRequest, "subject_token is missing");
            a.client = Some(client.id.clone());
            a.grant = Some(label(true).into());
            return Err(a);
        };
        let asked = param("scope")
            .map(|s| {
                s.split(' ')
                    .filter(|p| !p.is_empty())
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default();
        return Ok(Granted {
            client: client.id.clone(),
            scopes: asked,
            exchange: Some((
                token.to_string(),
                param("subject_token_type").map(String::from),
            )),
        });
    }
    let scopes = match param("scope") {
        None => client.scopes.clone(),
        Some(s) if s.trim().is_empty() => client.scopes.clone(),
        Some(s) => {
            let mut asked: Vec<String> = Vec::new();
            for one in s.split(' ').filter(|p| !p.is_empty()) {
                if !client.scopes.iter().any(|c| c == one) {
                    let mut a = refuse(
                        OAuthError::InvalidScope,
                        &format!(
                            "scope {} is not allowed for this client",
                            printable_name(one)
                        ),
                    );
                    a.client = Some(client.id.clone());
                    a.grant = Some(CLIENT_CREDENTIALS.into());
                    return Err(a);
                }
                if !asked.iter().any(|a| a == one) {
                    asked.push(one.to_string());
                }
            }
            asked
        }
    };
    Ok(Granted {
        client: client.id.clone(),
        scopes,
        exchange: None,
    })
}

/// Builds and signs the token (the CPU-bound part: run it off the reactor), through
/// the same claim building and signing as `mint`.
pub fn issue(
    g: &Granted,
    snap: &Snapshot,
    server: &std::sync::Arc<Server>,
    exchange: Option<&super::exchange::Exchange>,
    now: i64,
) -> Answer {
    let grant = label(g.exchange.is_some());
    let tag = |mut a: Answer| {
        a.client = Some(g.client.clone());
        a.grant = Some(grant.into());
        a
    };
    let fail = |what: &str| tag(error(OAuthError::ServerError, what));
    // The client may have been removed since `check` (another snapshot): look it up here.
    let Some(client) = snap.clients.find(&g.client) else {
        return fail("the client is gone");
    };
    let (spec, scopes) = match (&g.exchange, exchange) {
        (None, _) => (
            client.token_spec(
                &g.scopes,
                &client.roles,
                Some(&snap.issuer),
                &snap.roles_claim,
                server.clone(),
            ),
            g.scopes.clone(),
        ),
        (Some(_), None) => return fail("token exchange is not configured"),
        (Some((token, token_type)), Some(ex)) => {
            use super::exchange::Refused;
            let subject = match ex.subject(token, token_type.as_deref(), now) {
                Ok(s) => s,
                Err(Refused::InvalidGrant(why)) => {
                    return tag(error(OAuthError::InvalidGrant, &why))
                }
                Err(Refused::InvalidRequest(why)) => {
                    return tag(error(OAuthError::InvalidRequest, &why))
                }
                Err(Refused::Unavailable(why)) => return fail(&why),
            };
            let scopes = if g.scopes.is_empty() {
                subject.scopes.clone()
            } else {
                if let Some(s) = g.scopes.iter().find(|s| !subject.scopes.contains(s)) {
                    return tag(error(
                        OAuthError::InvalidScope,
                        &format!(
                            "scope {} is not granted by the subject token",
                            printable_name(s)
                        ),
                    ));
                }
                g.scopes.clone()
            };
            if scopes.is_empty() && subject.roles.is_empty() {
                return tag(error(
                    OAuthError::InvalidScope,
                    "the subject token maps to no AgentOS scope or role",
                ));
            }
            let ttl = super::exchange::lifetime(client.ttl, subject.exp, now);
            // The subject's roles, never the client's: the gateway acts for the subject.
            let mut spec = client.token_spec(
                &scopes,
                &subject.roles,
                Some(&snap.issuer),
                &snap.roles_claim,
                server.clone(),
            );
            spec.claims.insert("sub".into(), Value::from(subject.sub));
            // RFC 8693 §4.1: who acts for the subject.
            spec.claims.insert("act".into(), json!({"sub": client.id}));
            spec.expiry = crate::claims::Expiry::In(ttl);
            (spec, scopes)
        }
    };
    let claims = match spec.build(now) {
        Ok(c) => c,
        // `clients add` checks a client's tokens, but an exchanged subject (a reserved
        // one) or changed settings could still make one AgentOS refuses: never issue it.
        Err(_) if g.exchange.is_some() => {
            return tag(error(
                OAuthError::InvalidGrant,
                "AgentOS would refuse a token for this subject (a reserved subject or an unknown scope)",
            ))
        }
        Err(_) => return fail("this client's token would not pass AgentOS's checks"),
    };
    let token = match crate::token::encode(&snap.header, &claims, &snap.signer) {
        Ok(t) => t,
        Err(_) => return fail("signing failed"),
    };
    let mut body = json!({
        "access_token": token,
        "token_type": "Bearer",
        "expires_in": claims.get("exp").and_then(Value::as_i64).map_or(client.ttl, |e| e - now),
    });
    if g.exchange.is_some() {
        // RFC 8693 §2.2.1: REQUIRED.
        body["issued_token_type"] = Value::from(super::exchange::ACCESS_TOKEN_TYPE);
    }
    if !scopes.is_empty() {
        body["scope"] = Value::from(scopes.join(" "));
    }
    tag(Answer {
        status: 200,
        body,
        challenge: false,
        retry_after: None,
        client: None,
        grant: None,
        outcome: "issued",
    })
}

/// The client's id and secret: HTTP Basic (`client_secret_basic`, §2.3.1: each part
/// form-urlencoded before base64) or the form (`client_secret_post`); never both
/// (§2.3: "MUST NOT use more than one authentication method in each request").
fn credentials(
    authorization: Option<&str>,
    form_id: Option<&str>,
    form_secret: Option<&str>,
) -> Result<(String, String), Box<Answer>> {
    let basic = authorization.and_then(|h| {
        let (scheme, rest) = h.trim().split_once(' ')?;
        scheme.eq_ignore_ascii_case("basic").then(|| rest.trim())
    });
    match (basic, form_id, form_secret) {
        (Some(_), _, Some(_)) => Err(refuse(
            OAuthError::InvalidRequest,
            "the client authenticates twice (Authorization header and client_secret)",
        )),
        (Some(b64), _, None) => {
            use base64::Engine;
            let bad = || refuse(OAuthError::InvalidClient, "client authentication failed");
            let raw = base64::engine::general_purpose::STANDARD
                .decode(b64)
                .map_err(|_| bad())?;
            let text = String::from_utf8(raw).map_err(|_| bad())?;
            let (id, secret) = text.split_once(':').ok_or_else(bad)?;
            let id = form_decode(id).ok_or_else(bad)?;
            if form_id.is_some_and(|f| f != id) {
                return Err(refuse(
                    OAuthError::InvalidRequest,
                    "client_id differs from the Authorization header's",
                ));
            }
            Ok((id, form_decode(secret).ok_or_else(bad)?))
        }
        (None, Some(id), Some(secret)) => Ok((id.to_string(), secret.to_string())),
        _ => Err(refuse(
            OAuthError::InvalidClient,
            "client authentication failed",
        )),
    }
}

fn form_decode(s: &str) -> Option<String> {
    percent_encoding::percent_decode_str(&s.replace('+', " "))
        .decode_utf8()
        .ok()
        .map(|c| c.into_owned())
}

/// A request value quoted in an error description: JSON-safe anyway, but kept short
/// and free of control characters.
fn printable_name(s: &str) -> String {
    let clean: String = s.chars().filter(|c| !c.is_control()).take(64).collect();
    format!("{clean:?}")
}
