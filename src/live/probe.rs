//! `jwks use --url`: does a running AgentOS verify a key yet? A short-lived token
//! signed by the key, with no scopes, goes to a protected route: the server's answer
//! says whether it checked the signature (AgentOS reads its JWKS file only when it
//! starts, so a key published since then is unknown to it).

use serde::Serialize;
use serde_json::{Map, Value};

use super::client::Client;
use super::refusal::{refusal, Refusal};
use crate::error::{Error, Kind, Result};
use crate::keys::Key;
use crate::token;

/// The route asked: protected on every AgentOS (scope `agents:read` on agno 3), read
/// only, and served without a database.
pub const ROUTE: &str = "/agents";

/// How long the probe token lives: long enough for a slow server, too short to be worth
/// stealing (it carries no scope either).
pub const LIFETIME: i64 = 60;

/// The probe token's `sub`: not one of AgentOS's reserved subjects (`sa:`, `__oauth__:`,
/// `__scheduler__`), which it answers 401.
pub const SUBJECT: &str = "agentos-auth-probe";

/// A token signed by `key` under `kid`, without scopes, living [`LIFETIME`] seconds from
/// `now`; `aud`/`iss` as `mint` would put them (the key store's).
pub fn token(
    key: &Key,
    kid: &str,
    aud: Option<&str>,
    iss: Option<&str>,
    now: i64,
) -> Result<String> {
    let signer = key.signer()?;
    let mut claims = Map::new();
    claims.insert("sub".into(), Value::from(SUBJECT));
    if let Some(aud) = aud {
        claims.insert("aud".into(), Value::from(aud));
    }
    claims.insert("iat".into(), Value::from(now));
    claims.insert("exp".into(), Value::from(now + LIFETIME));
    if let Some(iss) = iss {
        claims.insert("iss".into(), Value::from(iss));
    }
    token::encode(&token::header(&signer, Some(kid)), &claims, &signer)
}

/// One server's answers to the probe.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Probed {
    pub url: String,
    /// `GET /agents` with the probe token.
    pub status: u16,
    pub detail: Option<String>,
    /// `GET /agents` without a token, asked only when the probe got through (a server
    /// that checks no token lets anything through).
    #[serde(skip)]
    pub tokenless: Option<u16>,
}

/// Sends the probe token to `client`'s server (and, when it gets through, asks again
/// without a token).
pub fn send(client: &Client, token: &str) -> Result<Probed> {
    let answer = client.send("GET", ROUTE, Some(token), None)?;
    let tokenless = if (200..300).contains(&answer.status) {
        Some(client.send("GET", ROUTE, None, None)?.status)
    } else {
        None
    };
    Ok(Probed {
        url: client.url(),
        status: answer.status,
        detail: answer.detail,
        tokenless,
    })
}

/// What the answers mean for switching to `kid`: `Ok` when the server verified the
/// signature; else the one-line reason. A 401 that says the server has no such key
/// (it verified with none, or with another) is [`Kind::Unauthorized`]: the server
/// would answer 401 to every token of `kid`. Any other answer is its own error.
pub fn judge(p: &Probed, kid: &str, alg: &str) -> Result<()> {
    let url = &p.url;
    let detail = p.detail.as_deref().unwrap_or_default();
    let unauthorized = |msg: String, hint: &str| Error::new(Kind::Unauthorized, msg).hint(hint);
    let server = |msg: String, hint: &str| Error::new(Kind::Server, msg).hint(hint);
    match p.status {
        // 403: the scope check refused a token without scopes, which comes after the
        // signature check (agno's JWTMiddleware.dispatch, then check_route_scopes).
        403 => Ok(()),
        s if (200..300).contains(&s) => match p.tokenless {
            Some(t) if (200..300).contains(&t) => Err(server(
                format!("{url} checks no token: GET {ROUTE} answers {t} without one, so it cannot say whether it verifies kid {kid}"),
                "point --url at an AgentOS started with authorization (JWT_JWKS_FILE set), or switch without asking by leaving out --url",
            )),
            // authorization=False with a JWT middleware: signature checked, scopes not.
            _ => Ok(()),
        },
        // agno's JWTMiddleware: a kid the JWKS lacks falls through to the static keys
        // (JWT_VERIFICATION_KEY: "Signature verification failed"), or to none.
        401 => match refusal(detail) {
            Refusal::NoKey | Refusal::BadSignature => Err(unauthorized(
                format!("{url} cannot verify kid {kid} yet (401 {detail:?}): restart AgentOS so it reads the JWKS again"),
                "it reads JWT_JWKS_FILE only when it starts; with JWT_VERIFICATION_KEY alone it never knows a new kid; --force switches anyway",
            )),
            Refusal::Audience | Refusal::AudClaim => Err(unauthorized(
                format!("{url} checks aud (verify_audience=True) and refuses the key store's aud (401 {detail:?}): tokens mint signs would get 401 too"),
                "mint with --aud set to the server's audience (its os_id by default), or --force to switch anyway",
            )),
            Refusal::AlgNotAllowed => Err(unauthorized(
                format!("{url} verifies another algorithm than kid {kid}'s {alg} (401 {detail:?})"),
                &format!("set Authorization(algorithm=\"{alg}\") in the server's code and restart it, or rotate to a key of the server's algorithm"),
            )),
            Refusal::NoCrypto => Err(unauthorized(
                format!("{url} cannot verify {alg} at all: its Python has no cryptography package (401 {detail:?})"),
                "pip install cryptography where AgentOS runs, then restart it",
            )),
            Refusal::Times => Err(unauthorized(
                format!("{url} refuses the probe token's times (401 {detail:?}): this machine's clock and the server's differ"),
                "synchronise both clocks (NTP); AgentOS allows 10 s of difference",
            )),
            Refusal::Issuer => Err(unauthorized(
                format!("{url} pins an issuer the key store's iss does not match (401 {detail:?})"),
                "mint with the server's --iss, or --force to switch anyway",
            )),
            Refusal::Other => Err(unauthorized(
                format!("{url} answers 401 {detail:?} to a token of kid {kid}"),
                "check the server's log; --force switches anyway",
            )),
        },
        s if s >= 500 => Err(server(
            format!("{url} failed on GET {ROUTE} ({s} {detail:?})"),
            "look at the server's log",
        )),
        s => Err(server(
            format!("{url} answers {s} to GET {ROUTE}, which AgentOS never does for a token without scopes"),
            "point --url at the AgentOS base URL (e.g. http://127.0.0.1:7777)",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn probed(status: u16, detail: Option<&str>, tokenless: Option<u16>) -> Probed {
        Probed {
            url: "http://127.0.0.1:7777".into(),
            status,
            detail: detail.map(str::to_string),
            tokenless,
        }
    }

    #[test]
    fn a_verified_signature_is_a_403_or_a_pass_on_a_server_that_checks_tokens() {
        assert!(judge(
            &probed(403, Some("Insufficient permissions"), None),
            "k",
            "RS256"
        )
        .is_ok());
        assert!(judge(&probed(200, None, Some(401)), "k", "RS256").is_ok());
        let e = judge(&probed(200, None, Some(200)), "k", "RS256").unwrap_err();
        assert_eq!(e.kind, Kind::Server);
        assert!(e.msg.contains("checks no token"), "{e}");
    }

    #[test]
    fn an_unknown_key_says_restart() {
        for d in [
            "Invalid token: No verification keys configured",
            "Invalid token: Signature verification failed",
        ] {
            let e = judge(&probed(401, Some(d), None), "new-kid", "RS256").unwrap_err();
            assert_eq!(e.kind, Kind::Unauthorized);
            assert!(
                e.msg.contains("kid new-kid")
                    && e.msg.contains("restart AgentOS so it reads the JWKS again"),
                "{e}"
            );
        }
    }

    #[test]
    fn other_answers_name_their_own_cause() {
        let cases = [
            (401, "Invalid token audience", "checks aud"),
            (
                401,
                "Invalid token: The specified alg value is not allowed",
                "another algorithm than kid k's ES256",
            ),
            (
                401,
                "Invalid token: Algorithm not supported",
                "cryptography",
            ),
            (401, "Token has expired", "clock"),
            (401, "Invalid token: Invalid issuer", "issuer"),
            (401, "Something else", "answers 401"),
            (500, "Internal Server Error", "failed on GET /agents"),
            (404, "Not Found", "answers 404"),
        ];
        for (status, detail, words) in cases {
            let e = judge(&probed(status, Some(detail), None), "k", "ES256").unwrap_err();
            assert!(e.msg.contains(words), "{status} {detail}: {e}");
            assert!(!e.msg.contains("restart AgentOS so it reads"), "{e}");
            let kind = if status == 401 {
                Kind::Unauthorized
            } else {
                Kind::Server
            };
            assert_eq!(e.kind, kind, "{e}");
        }
    }
}
