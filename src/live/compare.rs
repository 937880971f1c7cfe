//! The server's real answer next to the prediction: do they agree, and when they do
//! not, the likely cause and what to do. Pure data in, data out.

use serde::Serialize;

use super::client::{Answer, Info};
use super::refusal::{refusal, Refusal};
use crate::agentos::Verdict;
use crate::keys::Alg;

/// What an answer means for the token, whatever the route then does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Authentication and the scope check passed (the route may still answer 404 for an
    /// unknown id, or 422 for a bad body: that is the route's own answer).
    Through,
    Unauthorized,
    Forbidden,
    /// No such route on this server (Starlette's own 404 "Not Found").
    NoRoute,
    /// Anything else (a 5xx).
    Failed,
}

impl Outcome {
    /// The server's answer as an outcome.
    pub fn of_answer(a: &Answer) -> Outcome {
        match a.status {
            401 => Outcome::Unauthorized,
            403 => Outcome::Forbidden,
            404 if a.detail.as_deref() == Some("Not Found") => Outcome::NoRoute,
            s if s >= 500 => Outcome::Failed,
            _ => Outcome::Through,
        }
    }

    /// The prediction as an outcome.
    pub fn of_verdict(v: &Verdict) -> Outcome {
        match v.status {
            401 => Outcome::Unauthorized,
            403 => Outcome::Forbidden,
            404 => Outcome::NoRoute,
            s if s >= 500 => Outcome::Failed,
            _ => Outcome::Through,
        }
    }
}

/// What was known locally when the prediction was made.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// The token header's `kid`.
    pub kid: Option<String>,
    /// The algorithm the prediction assumed (`--alg`).
    pub alg: Option<Alg>,
    /// The JWKS given locally (`--jwks`, `JWT_JWKS_FILE`, the key store) and whether it
    /// publishes the token's kid.
    pub jwks_label: Option<String>,
    pub jwks_has_kid: bool,
    /// The prediction checked `aud` (`--aud`).
    pub audience_checked: bool,
    /// The agno release the prediction modelled.
    pub modelled_version: String,
    /// `--scope-mappings` was given.
    pub scope_mappings: bool,
    /// The model serves AgentOS's MCP server (`--mcp`, or the server's Server Card).
    pub mcp_modelled: bool,
    /// The path the request was sent to.
    pub request_path: String,
}

impl Facts {
    /// The request is on the MCP server's path, which the model did not serve.
    fn unmodelled_mcp_path(&self) -> bool {
        let bare = self
            .request_path
            .split(['?', '#'])
            .next()
            .unwrap_or_default();
        !self.mcp_modelled && (bare.ends_with("/mcp") || bare.contains("/mcp/"))
    }
}

/// The verdict on the prediction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comparison {
    /// Same outcome (and, for 401/403, the same detail).
    pub agree: bool,
    /// Why they differ, in words (null when they agree).
    pub cause: Option<String>,
    /// What to do about it.
    pub fix: Option<String>,
}

/// Compares the prediction with the server's answer. `predicted` is `None` when no
/// key was given to predict with.
pub fn compare(
    predicted: Option<&Verdict>,
    server: &Answer,
    info: &Info,
    facts: &Facts,
) -> Comparison {
    let got = Outcome::of_answer(server);
    if info.auth_mode.as_deref() == Some("none") && got == Outcome::Through {
        return differ(
            "the server runs without authentication (GET /info: auth_mode \"none\"): it reads no token",
            "start AgentOS with authorization=True and a verification key (JWT_VERIFICATION_KEY or JWT_JWKS_FILE)",
        )
        .agreeing_if(predicted.is_some_and(|v| Outcome::of_verdict(v) == Outcome::Through));
    }
    let Some(v) = predicted else {
        return Comparison {
            agree: true,
            cause: None,
            fix: None,
        };
    };
    let want = Outcome::of_verdict(v);
    let detail = server.detail.as_deref().unwrap_or_default();
    if want == got {
        let same_detail = !matches!(got, Outcome::Unauthorized | Outcome::Forbidden)
            || v.detail.as_deref() == server.detail.as_deref();
        if same_detail {
            return Comparison {
                agree: true,
                cause: None,
                fix: None,
            };
        }
        let mut c = version_or_config(
            info,
            facts,
            &format!(
                "same status, but the server's detail is {detail:?} where {:?} was predicted",
                v.detail.as_deref().unwrap_or_default()
            ),
        );
        // The status, and so the exit code, is right; only the words differ.
        c.agree = false;
        return c;
    }
    match (want, got) {
        (Outcome::NoRoute, Outcome::Through | Outcome::Unauthorized | Outcome::Forbidden)
            if facts.unmodelled_mcp_path() =>
        {
            differ(
                "the server serves this path: AgentOS's MCP server (AgentOS(mcp=True)), whose routes GET /openapi.json does not list",
                "pass --mcp to model the MCP server",
            )
        }
        (Outcome::Through, Outcome::Unauthorized) => unauthorized_cause(detail, info, facts),
        (Outcome::Through | Outcome::Forbidden, Outcome::NoRoute) => differ(
            "the server has no such route (404 Not Found)",
            "check METHOD and path against the server's /docs; the route may come from a router this server does not mount",
        ),
        (Outcome::Through, Outcome::Forbidden) => {
            let what = if facts.scope_mappings {
                "the server maps this route to other scopes than the --scope-mappings given"
            } else {
                "the server asks other scopes for this route: custom scope_mappings= on the server (not given here)"
            };
            with_version(
                differ(
                    what,
                    "pass the server's mappings with --scope-mappings FILE, or mint the scope its 403 names",
                ),
                info,
                facts,
            )
        }
        (Outcome::Forbidden, Outcome::Through) => with_version(
            differ(
                "the server lets through what the default scope mappings forbid: custom scope_mappings= (a route opened with [] or given other scopes), or authorization=False with a key (tokens checked, scopes not)",
                "pass the server's mappings with --scope-mappings FILE (or --no-authorization for authorization=False)",
            ),
            info,
            facts,
        ),
        (Outcome::Unauthorized, Outcome::Through) => {
            let pd = v.detail.as_deref().unwrap_or_default();
            if refusal(pd) == Refusal::Audience && facts.audience_checked {
                differ(
                    "the server does not check aud (verify_audience=False) but --aud was given",
                    "drop --aud to model this server",
                )
            } else {
                differ(
                    &format!("the server accepts the token where the keys given predict 401 {pd:?}: it holds other keys or settings than those given"),
                    "give verify the server's own keys and settings (--key/--jwks, --alg, --aud, --iss as the server has them)",
                )
            }
        }
        (Outcome::Unauthorized, Outcome::Forbidden) => differ(
            &format!(
                "the server accepts the token (its 403 is about scopes) where the keys given predict 401 {:?}",
                v.detail.as_deref().unwrap_or_default()
            ),
            "give verify the server's own keys and settings (--key/--jwks, --alg, --aud, --iss)",
        ),
        (Outcome::Forbidden, Outcome::Unauthorized) => unauthorized_cause(detail, info, facts),
        (_, Outcome::Failed) => differ(
            &format!("the server failed ({} {detail:?})", server.status),
            "look at the server's log",
        ),
        _ => with_version(
            differ(
                &format!(
                    "the server answers {} where {} was predicted",
                    server.status, v.status
                ),
                "check that the keys and settings given are the server's",
            ),
            info,
            facts,
        ),
    }
}

/// A 401 the prediction did not expect: name the likely cause from its detail.
fn unauthorized_cause(detail: &str, info: &Info, facts: &Facts) -> Comparison {
    let kid = facts.kid.as_deref();
    match refusal(detail) {
        Refusal::NoCrypto if facts.alg.is_some_and(|a| a != Alg::HS256) => {
            let alg = facts.alg.map(|a| a.as_str()).unwrap_or("RS256");
            differ(
                &format!(
                    "the server's Python has no cryptography package, so PyJWT cannot verify {alg}"
                ),
                "pip install cryptography where AgentOS runs, then restart it",
            )
        }
        Refusal::NoKey => {
            if let (Some(kid), true) = (kid, facts.jwks_has_kid) {
                let label = facts.jwks_label.as_deref().unwrap_or("the JWKS");
                return differ(
                    &format!("the server has not loaded kid {kid:?}, which {label} publishes: AgentOS reads its JWKS file once, when it starts, and this key was published after that"),
                    "restart AgentOS to load it; to rotate without this window, publish the next key first with agentos-auth jwks rotate --stage, restart, then switch",
                );
            }
            let which = kid.map_or_else(
                || "a token without kid".to_string(),
                |k| format!("kid {k:?}"),
            );
            differ(
                &format!("the server has no key for {which}"),
                "publish the signing key in the server's JWKS (agentos-auth export --format jwks) and restart it, or mint with the kid it has",
            )
        }
        Refusal::BadSignature => differ(
            "the server verifies with another key than the one given",
            "give verify the server's own key (--key/--jwks), or mint with the key the server publishes",
        ),
        Refusal::Audience => {
            let id = info.os_id.as_deref().unwrap_or("OS_ID");
            differ(
                "the server checks aud (verify_audience=True) and the token's aud does not match",
                &format!("mint with --aud {id} (the server's os_id), and verify with --aud {id}"),
            )
        }
        Refusal::AlgNotAllowed => differ(
            "the server is configured with another algorithm than the one given",
            "verify with the server's --alg (Authorization(algorithm=...) in its code) and mint with a key of that algorithm",
        ),
        Refusal::Issuer => differ(
            "the server pins an issuer (Authorization(issuer=...))",
            "verify with --iss ISSUER and mint with the same --iss",
        ),
        // The rest: the server's own words are the cause given.
        Refusal::NoCrypto | Refusal::AudClaim | Refusal::Times | Refusal::Other => with_version(
            differ(
                &format!("the server answers 401 {detail:?}"),
                "give verify the server's own keys and settings (--key/--jwks, --alg, --aud, --iss)",
            ),
            info,
            facts,
        ),
    }
}

/// Same status, other words: another agno version, else another configuration.
fn version_or_config(info: &Info, facts: &Facts, what: &str) -> Comparison {
    with_version(
        differ(
            what,
            "check that the keys and settings given are the server's",
        ),
        info,
        facts,
    )
}

/// Adds "the server runs another agno" when /info says so.
fn with_version(mut c: Comparison, info: &Info, facts: &Facts) -> Comparison {
    if let Some(v) = info.agno_version.as_deref() {
        if v != facts.modelled_version && !facts.modelled_version.is_empty() {
            c.cause = c.cause.map(|cause| {
                format!(
                    "{cause}; also, the server runs agno {v} and agno {} was modelled",
                    facts.modelled_version
                )
            });
            c.fix = c
                .fix
                .map(|f| format!("{f}; model the server's release with --agno {v}"));
        }
    }
    c
}

fn differ(cause: &str, fix: &str) -> Comparison {
    Comparison {
        agree: false,
        cause: Some(cause.to_string()),
        fix: Some(fix.to_string()),
    }
}

impl Comparison {
    fn agreeing_if(mut self, agree: bool) -> Comparison {
        self.agree = agree;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(status: u16, detail: Option<&str>) -> Verdict {
        Verdict {
            detail: detail.map(str::to_string),
            ..Verdict::new(status, String::new())
        }
    }

    fn answer(status: u16, detail: Option<&str>) -> Answer {
        Answer {
            status,
            detail: detail.map(str::to_string),
        }
    }

    fn info() -> Info {
        Info {
            os_id: Some("live-os".into()),
            agno_version: Some("3.1.10".into()),
            auth_mode: Some("jwt".into()),
            guarded: false,
        }
    }

    fn facts() -> Facts {
        Facts {
            kid: Some("k2".into()),
            alg: Some(Alg::RS256),
            jwks_label: Some("jwks.json".into()),
            jwks_has_kid: true,
            audience_checked: false,
            modelled_version: "3.1.10".into(),
            scope_mappings: false,
            mcp_modelled: false,
            request_path: "/agents".into(),
        }
    }

    #[test]
    fn agreement_is_outcome_and_detail() {
        let c = compare(
            Some(&verdict(200, None)),
            &answer(200, None),
            &info(),
            &facts(),
        );
        assert!(c.agree && c.cause.is_none());
        // A handler's own 404 / 422 comes after authentication: still "through".
        for a in [answer(404, Some("Agent not found")), answer(422, None)] {
            assert!(compare(Some(&verdict(200, None)), &a, &info(), &facts()).agree);
        }
        let c = compare(
            Some(&verdict(401, Some("Token has expired"))),
            &answer(401, Some("Invalid token: Signature verification failed")),
            &info(),
            &facts(),
        );
        assert!(!c.agree);
        assert!(c.cause.unwrap().contains("same status"));
    }

    #[test]
    fn stale_jwks_and_missing_cryptography_are_named() {
        let stale = answer(401, Some("Invalid token: No verification keys configured"));
        let c = compare(Some(&verdict(200, None)), &stale, &info(), &facts());
        assert!(c
            .cause
            .as_deref()
            .unwrap()
            .contains("has not loaded kid \"k2\""));
        assert!(c.fix.as_deref().unwrap().contains("jwks rotate --stage"));
        let f = Facts {
            jwks_has_kid: false,
            ..facts()
        };
        let c = compare(Some(&verdict(200, None)), &stale, &info(), &f);
        assert!(c.cause.unwrap().contains("no key for kid"));

        let nocrypto = answer(401, Some("Invalid token: Algorithm not supported"));
        let c = compare(Some(&verdict(200, None)), &nocrypto, &info(), &facts());
        assert!(c.cause.unwrap().contains("cryptography"));
        assert!(c.fix.unwrap().contains("pip install cryptography"));
    }

    #[test]
    fn scope_differences_name_mappings_and_versions() {
        let mut i = info();
        i.agno_version = Some("3.0.11".into());
        let c = compare(
            Some(&verdict(200, None)),
            &answer(403, Some("Insufficient permissions")),
            &i,
            &facts(),
        );
        let cause = c.cause.unwrap();
        assert!(cause.contains("scope_mappings"), "{cause}");
        assert!(cause.contains("agno 3.0.11"), "{cause}");
        assert!(c.fix.unwrap().contains("--agno 3.0.11"));
        let c = compare(
            Some(&verdict(403, Some("x"))),
            &answer(200, None),
            &info(),
            &facts(),
        );
        assert!(c.cause.unwrap().contains("authorization=False"));
        let c = compare(
            Some(&verdict(200, None)),
            &answer(404, Some("Not Found")),
            &info(),
            &facts(),
        );
        assert!(c.cause.unwrap().contains("no such route"));
        // A 404 predicted on /mcp where the server answers: its MCP server, not modelled.
        let mcp = Facts {
            request_path: "/api/mcp".into(),
            ..facts()
        };
        let (v, a) = (
            verdict(404, Some("Not Found")),
            answer(406, Some("Not Acceptable")),
        );
        let c = compare(Some(&v), &a, &info(), &mcp);
        assert!(c.fix.unwrap().contains("--mcp"));
        let told = Facts {
            mcp_modelled: true,
            ..mcp
        };
        let c = compare(Some(&v), &a, &info(), &told);
        assert!(!c.fix.unwrap_or_default().contains("--mcp"));
    }

    #[test]
    fn an_open_server_is_named() {
        let mut i = info();
        i.auth_mode = Some("none".into());
        let c = compare(
            Some(&verdict(401, Some("x"))),
            &answer(200, None),
            &i,
            &facts(),
        );
        assert!(!c.agree);
        assert!(c.cause.unwrap().contains("without authentication"));
    }
}
