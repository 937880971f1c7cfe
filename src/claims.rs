//! A token's claims, built for `mint` and batch mint: registered claims in a fixed
//! order, expiry, `nbf`, `jti`, and the checks against the AgentOS the token is for
//! (reserved subjects, known scopes, the roles claim).

use crate::error::{Error, Result};
use crate::time::{parse_duration, parse_time, rfc3339};

/// Lifetime of a minted token when nothing says otherwise: short, as AgentOS accepts
/// a token until `exp` and there is no revocation.
pub const DEFAULT_LIFETIME: i64 = 3600;

/// When the token expires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expiry {
    /// Seconds after `iat`.
    In(i64),
    /// An absolute time (unix seconds).
    At(i64),
    /// Whatever `exp` the extra claims carry.
    FromClaims,
    /// No `exp` at all: AgentOS accepts such a token forever.
    Never,
}

/// Everything a token needs except the time it is minted at.
#[derive(Debug, Clone)]
pub struct TokenSpec {
    /// Claims already resolved (sub, aud, iss, scopes, session_id, extras).
    pub claims: serde_json::Map<String, serde_json::Value>,
    pub expiry: Expiry,
    /// `--nbf`: a duration from now or a time; resolved at build time.
    pub nbf: Option<String>,
    /// `--jti`: `Some("")` asks for a random id.
    pub jti: Option<String>,
    pub iat: bool,
    pub allow_unknown_scopes: bool,
    /// The claim that carries roles (`mint --roles`), checked like `scopes`.
    pub roles_claim: Option<String>,
    /// The AgentOS the token is for: its release's scope names, reserved subjects and
    /// custom mappings decide what is "unknown". Shared: `mint --batch` makes a spec per
    /// line, and copying the release's route tables each time was most of a token's cost.
    pub server: std::sync::Arc<crate::agentos::Server>,
}

/// Claims `mint --roles-claim` may not name: the token needs them for what they are.
pub const RESERVED_ROLE_CLAIMS: [&str; 9] = CLAIM_ORDER;

/// Registered claims first, in a fixed order, then the rest as given.
const CLAIM_ORDER: [&str; 9] = [
    "sub",
    "aud",
    "iat",
    "nbf",
    "exp",
    "iss",
    "jti",
    "session_id",
    "scopes",
];

impl TokenSpec {
    /// The claims of a token minted at `now`, checked against AgentOS's rules.
    pub fn build(&self, now: i64) -> Result<serde_json::Map<String, serde_json::Value>> {
        use serde_json::Value;
        let mut c = self.claims.clone();
        if self.iat {
            c.insert("iat".into(), Value::from(now));
        }
        if let Some(nbf) = &self.nbf {
            let t = match parse_duration(nbf) {
                Ok(d) => now + d,
                Err(_) => parse_time(nbf, now).map_err(|e| e.context("--nbf"))?,
            };
            c.insert("nbf".into(), Value::from(t));
        }
        match self.expiry {
            Expiry::In(secs) => {
                if secs <= 0 {
                    return Err(Error::input("the token lifetime must be positive")
                        .hint("e.g. --expires-in 15m"));
                }
                c.insert("exp".into(), Value::from(now + secs));
            }
            Expiry::At(t) => {
                if t <= now {
                    return Err(Error::input(format!(
                        "--exp {} is not in the future: the token would be born expired",
                        rfc3339(t)
                    ))
                    .hint("give a later time, or a lifetime with --expires-in"));
                }
                c.insert("exp".into(), Value::from(t));
            }
            Expiry::FromClaims => {}
            Expiry::Never => {
                c.remove("exp");
            }
        }
        match &self.jti {
            Some(id) if id.is_empty() => {
                c.insert("jti".into(), Value::from(random_id()?));
            }
            Some(id) => {
                c.insert("jti".into(), Value::from(id.as_str()));
            }
            None => {}
        }
        let has_roles = match &self.roles_claim {
            Some(name) => {
                check_roles_claim(name, c.get(name))?;
                c.contains_key(name)
            }
            None => false,
        };
        check_claims(&c, now, self.allow_unknown_scopes, has_roles, &self.server)?;
        let mut ordered = serde_json::Map::with_capacity(c.len());
        for name in CLAIM_ORDER {
            if let Some(v) = c.remove(name) {
                ordered.insert(name.to_string(), v);
            }
        }
        ordered.extend(c);
        Ok(ordered)
    }
}

/// Keys of a batch line that are instructions, not claims.
pub const BATCH_LINE_OPTIONS: [&str; 1] = ["expires_in"];

impl TokenSpec {
    /// The spec for one batch line: the line's keys are claims that replace the
    /// defaults (`null` removes one), except `expires_in`, a duration ("2h") that
    /// replaces the lifetime. A line's `exp`, `nbf`, `jti` or `iat` replaces what the
    /// flags would put there. Checking happens in [`TokenSpec::build`], as for one token.
    pub fn with_overrides(
        &self,
        line: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<TokenSpec> {
        use serde_json::Value;
        let mut spec = self.clone();
        let expires_in = match line.get("expires_in") {
            None => None,
            Some(Value::String(d)) => Some(parse_duration(d).map_err(|e| e.context("expires_in"))?),
            Some(v) => {
                return Err(Error::input(format!(
                    "expires_in must be a duration string, found {v}"
                ))
                .hint(r#"e.g. "expires_in": "2h""#))
            }
        };
        for (name, value) in line {
            if BATCH_LINE_OPTIONS.contains(&name.as_str()) {
                continue;
            }
            match name.as_str() {
                "exp" if value.is_null() => {
                    return Err(
                        Error::input("exp: null would mint a token that never expires")
                            .hint("pass --no-exp for the whole batch if that is really wanted"),
                    )
                }
                "exp" => {
                    if expires_in.is_some() {
                        return Err(Error::input("both exp and expires_in are given")
                            .hint("keep one of them"));
                    }
                    spec.expiry = Expiry::FromClaims;
                }
                "nbf" => spec.nbf = None,
                "jti" => spec.jti = None,
                "iat" => spec.iat = false,
                _ => {}
            }
            if value.is_null() {
                spec.claims.remove(name);
            } else {
                spec.claims.insert(name.clone(), value.clone());
            }
        }
        if let Some(secs) = expires_in {
            spec.expiry = Expiry::In(secs);
        }
        Ok(spec)
    }
}

/// The roles claim as agno's `normalize_roles_claim` reads it: a string is one role, a
/// non-empty list is the roles; anything else (an empty list, a number) is ignored and
/// the subject's stored assignments decide instead, which a minted token should never
/// leave to chance.
fn check_roles_claim(name: &str, v: Option<&serde_json::Value>) -> Result<()> {
    use serde_json::Value;
    let bad = |what: String| {
        Error::input(format!("{name}: {what}")).hint(format!(
            r#"give role names, e.g. --roles runner or "{name}": ["runner"]"#
        ))
    };
    let check = |r: &str| -> Result<()> {
        if r.is_empty() || r.chars().any(char::is_whitespace) || r.contains('/') {
            return Err(bad(format!(
                "{r:?} is not a role name AgentOS can hold (empty, spaces or '/')"
            )));
        }
        Ok(())
    };
    match v {
        None => Ok(()),
        Some(Value::String(r)) => check(r),
        Some(Value::Array(list)) if list.is_empty() => Err(bad(
            "an empty list is ignored by AgentOS: the subject's stored roles decide".into(),
        )),
        Some(Value::Array(list)) => list.iter().try_for_each(|r| match r.as_str() {
            Some(r) => check(r),
            None => Err(bad(format!("roles must be strings, found {r}"))),
        }),
        Some(other) => Err(bad(format!(
            "{other} is ignored by AgentOS: it reads a string or a list of strings"
        ))),
    }
}

/// The rules AgentOS (PyJWT + agno) applies to claims, checked before signing so that
/// a token this tool mints is never one AgentOS refuses for its claims.
fn check_claims(
    c: &serde_json::Map<String, serde_json::Value>,
    now: i64,
    allow_unknown_scopes: bool,
    has_roles: bool,
    server: &crate::agentos::Server,
) -> Result<()> {
    use serde_json::Value;
    match c.get("sub") {
        Some(Value::String(s)) => crate::agentos::check_subject(server.profile, s)?,
        Some(_) => return Err(Error::input("sub must be a string").hint("e.g. --sub alice")),
        None => return Err(Error::input("no subject").hint("pass --sub USER_ID")),
    }
    match c.get("aud") {
        Some(Value::String(s)) if !s.is_empty() => {}
        Some(Value::Array(a)) if !a.is_empty() && a.iter().all(|v| v.as_str().is_some_and(|s| !s.is_empty())) => {}
        Some(_) => return Err(Error::input("aud must be a non-empty string or list of strings").hint("e.g. --aud my-agent-os")),
        None => {
            return Err(Error::input("no audience: AgentOS checks aud against its id")
                .hint("pass --aud OS_ID (GET /info shows it as os_id), set AGENTOS_AUTH_AUD, or store it once with agentos-auth keygen --aud OS_ID"))
        }
    }
    match c.get("scopes") {
        Some(Value::Array(list)) => {
            for s in list {
                let Some(s) = s.as_str() else {
                    return Err(Error::input(format!("scopes must be strings, found {s}"))
                        .hint("e.g. --scopes agents:read"));
                };
                if !allow_unknown_scopes
                    && !server.custom_scopes.iter().any(|c| c == s)
                    && !server.knows_router_scope(s)
                {
                    crate::agentos::validate_scope(server.profile, s)?;
                }
            }
        }
        Some(Value::String(_)) => {
            return Err(Error::input(
                "scopes must be a JSON list: AgentOS reads a string as ONE scope",
            )
            .hint(r#"use --scopes a,b or "scopes": ["a", "b"]"#))
        }
        Some(_) => {
            return Err(Error::input("scopes must be a JSON list of strings")
                .hint("e.g. --scopes agents:read"))
        }
        // With managed roles the token's roles decide and scopes may be left out.
        None if has_roles => {}
        None => {
            return Err(Error::input(
                "no scopes given: AgentOS would answer 403 to every protected route",
            )
            .hint(
                "pass --scopes (e.g. --scopes agents:read), --preset (see agentos-auth scopes), or --roles for a server with managed roles",
            ))
        }
    }
    for name in ["exp", "iat", "nbf"] {
        if let Some(v) = c.get(name) {
            if !v.is_i64() && !v.is_u64() && !v.is_f64() {
                return Err(Error::input(format!(
                    "{name} must be a number (unix seconds), found {v}"
                ))
                .hint("use --exp TIME or --nbf TIME"));
            }
        }
    }
    if let Some(iat) = c.get("iat").and_then(Value::as_f64) {
        if iat > now as f64 {
            return Err(Error::input(
                "iat is in the future: AgentOS rejects tokens issued ahead of its clock",
            )
            .hint("drop iat from --claim/--claims: mint sets it to now"));
        }
    }
    for name in ["jti", "iss", "session_id"] {
        if let Some(v) = c.get(name) {
            if !v.is_string() {
                return Err(Error::input(format!("{name} must be a string, found {v}"))
                    .hint(format!("e.g. --{} value", name.replace('_', "-"))));
            }
        }
    }
    Ok(())
}

/// A random UUID v4 string for `jti`.
fn random_id() -> Result<String> {
    let mut b = [0u8; 16];
    aws_lc_rs::rand::fill(&mut b)
        .map_err(|_| Error::input("the system random generator failed"))?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_767_225_600;

    fn batch_defaults() -> TokenSpec {
        let mut claims = serde_json::Map::new();
        claims.insert("sub".into(), "default".into());
        claims.insert("aud".into(), "os".into());
        claims.insert("iss".into(), "ci".into());
        claims.insert("scopes".into(), serde_json::json!(["agents:read"]));
        TokenSpec {
            claims,
            expiry: Expiry::In(3600),
            nbf: Some("5m".into()),
            jti: Some(String::new()),
            iat: true,
            allow_unknown_scopes: false,
            roles_claim: None,
            server: Default::default(),
        }
    }

    fn line(v: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn batch_line_overrides_claims_and_lifetime() {
        use serde_json::json;
        let spec = batch_defaults();
        let c = spec
            .with_overrides(&line(json!({"sub": "u1", "scopes": ["sessions:read"], "expires_in": "2h", "team": "ops"})))
            .unwrap()
            .build(NOW)
            .unwrap();
        assert_eq!(c["sub"], "u1");
        assert_eq!(c["aud"], "os");
        assert_eq!(c["scopes"], json!(["sessions:read"]));
        assert_eq!(c["exp"], NOW + 7200);
        assert_eq!(c["nbf"], NOW + 300);
        assert_eq!(c["team"], "ops");
        assert!(c["jti"].as_str().unwrap().len() == 36);
        assert!(!c.contains_key("expires_in"), "an option, not a claim");
        // The defaults themselves are untouched.
        assert_eq!(spec.claims["sub"], "default");
        assert_eq!(spec.expiry, Expiry::In(3600));
    }

    #[test]
    fn batch_line_null_removes_and_registered_claims_replace_the_flags() {
        use serde_json::json;
        let spec = batch_defaults();
        let c = spec
            .with_overrides(&line(
                json!({"iss": null, "jti": "fixed", "nbf": NOW, "iat": NOW - 5, "exp": NOW + 60}),
            ))
            .unwrap()
            .build(NOW)
            .unwrap();
        assert!(!c.contains_key("iss"));
        assert_eq!(c["jti"], "fixed");
        assert_eq!(c["nbf"], NOW);
        assert_eq!(c["iat"], NOW - 5);
        assert_eq!(c["exp"], NOW + 60);
        let c = spec
            .with_overrides(&line(json!({"iat": null, "nbf": null})))
            .unwrap()
            .build(NOW)
            .unwrap();
        assert!(!c.contains_key("iat") && !c.contains_key("nbf"));
    }

    #[test]
    fn batch_line_errors() {
        use serde_json::json;
        let spec = batch_defaults();
        let err =
            |v: serde_json::Value| match spec.with_overrides(&line(v)).and_then(|s| s.build(NOW)) {
                Ok(c) => panic!("accepted: {c:?}"),
                Err(e) => e.to_string(),
            };
        assert!(err(json!({"expires_in": "1.5h"}))
            .starts_with("expires_in: invalid duration \"1.5h\": fractions"));
        assert!(
            err(json!({"expires_in": 3600})).starts_with("expires_in must be a duration string")
        );
        assert!(err(json!({"expires_in": "0s"})).starts_with("the token lifetime must be positive"));
        assert!(err(json!({"exp": NOW + 60, "expires_in": "1h"}))
            .starts_with("both exp and expires_in"));
        assert!(err(json!({"exp": null})).contains("never expires"));
        assert!(err(json!({"sub": null})).starts_with("no subject"));
        assert!(err(json!({"sub": "sa:robot"})).contains("sa:"));
        assert!(err(json!({"scopes": "agents:read"})).contains("JSON list"));
        assert!(err(json!({"scopes": ["agent:read"]})).contains("agents:read"));
        assert!(err(json!({"iat": NOW + 60})).contains("iat is in the future"));
    }

    #[test]
    fn company_scopes_known_when_mounted() {
        use crate::agentos::deployment::parse_openapi;
        use crate::agentos::Server;
        let claims = |scope: &str| {
            serde_json::json!({"sub": "u", "aud": "os", "scopes": [scope]})
                .as_object()
                .unwrap()
                .clone()
        };
        let plain = Server::default();
        let err = check_claims(&claims("tasks:write"), NOW, false, false, &plain).unwrap_err();
        assert!(err.to_string().contains("company"), "{err}");
        let doc = r#"{"paths": {"/company/tasks": {"get": {}}}}"#;
        let company = Server::default().with_routes(parse_openapi(doc, "t").unwrap());
        check_claims(&claims("tasks:write"), NOW, false, false, &company).unwrap();
        check_claims(&claims("wiki:*:read"), NOW, false, false, &company).unwrap();
        assert!(check_claims(&claims("tasks:run"), NOW, false, false, &company).is_err());
    }
}
