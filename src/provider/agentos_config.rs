//! `doctor --issuer`: the AgentOS configuration that accepts a provider's tokens, written
//! as Python and environment lines. Pure: the discovery document, the algorithm, the
//! usable keys and (optionally) a sample token's header and claims in; text out.
//!
//! What is printed follows agno 3.1.10: the manual `JWTMiddleware(jwks_file=...,
//! algorithm=..., issuer=..., audience=..., verify_audience=..., scopes_claim=...,
//! user_id_claim=..., authorization=True)` (`agno.os.middleware.jwt`), or, when the
//! token's scopes are roles, `Authorization(roles_claim=...)` with one `define_role` per
//! role (`agno.os.authz.Authorization`). The claim choices come from
//! [`provider_shape::recognise`], the one place that knows providers' token shapes. Of
//! the environment, agno reads only the key source (`JWT_JWKS_FILE`); the rest is code.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::agentos::provider_shape::{self, Aspect, Finding, Reading};
use crate::keys::Alg;

use super::Discovery;

/// A sample token, decoded (not verified here).
pub struct SampleToken<'a> {
    pub header: &'a Map<String, Value>,
    pub claims: &'a Map<String, Value>,
}

/// The configuration, piece by piece and as text.
#[derive(Debug, Clone, Serialize)]
pub struct AgentosConfig {
    pub issuer: String,
    pub jwks_uri: String,
    pub algorithm: String,
    pub jwks_file: String,
    /// `None`: not known (no sample token) or the tokens carry none.
    pub audience: Option<Vec<String>>,
    pub verify_audience: bool,
    pub scopes_claim: String,
    pub user_id_claim: String,
    /// Managed roles from this claim (agno 3.1 `Authorization(roles_claim=...)`).
    pub roles_claim: Option<String>,
    /// The role values of the sample token: a `define_role` each.
    pub roles: Vec<String>,
    pub sync_command: String,
    /// The Python to paste after `agent_os = AgentOS(...)`.
    pub python: String,
    /// `NAME=value` lines for a .env file.
    pub env: Vec<String>,
    /// What AgentOS, configured so, still does not take as the provider meant it.
    pub findings: Vec<Finding>,
}

/// `issuer_url` is what the user gave (`--from` of the printed sync command).
pub fn build(
    issuer_url: &str,
    discovery: &Discovery,
    alg: Alg,
    jwks_file: &str,
    token: Option<&SampleToken>,
) -> AgentosConfig {
    let findings = token
        .map(|t| provider_shape::recognise(Some(t.header), t.claims, &Reading::default()))
        .unwrap_or_default();
    let setting = |name: &str, aspect: Aspect| {
        findings
            .iter()
            .filter(|f| f.aspect == aspect)
            .filter_map(|f| f.setting.as_deref())
            .find_map(|s| setting_value(s, name))
    };
    let roles_claim = setting("roles_claim", Aspect::Scopes);
    let scopes_claim = match &roles_claim {
        Some(_) => "scopes".to_string(),
        None => setting("scopes_claim", Aspect::Scopes).unwrap_or_else(|| "scopes".into()),
    };
    let user_id_claim = setting("user_id_claim", Aspect::Subject).unwrap_or_else(|| "sub".into());
    let roles: Vec<String> = match (&roles_claim, token) {
        (Some(c), Some(t)) => role_values(t.claims.get(c)),
        _ => Vec::new(),
    };
    let audience = token.and_then(|t| match t.claims.get("aud") {
        Some(Value::String(s)) => Some(vec![s.clone()]),
        Some(Value::Array(a)) => {
            let v: Vec<String> = a
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect();
            (!v.is_empty()).then_some(v)
        }
        _ => None,
    });
    // No sample token: the audience is unknown, and still worth checking.
    let verify_audience = token.is_none() || audience.is_some();
    // What is left once AgentOS reads the token as configured here.
    let findings = match token {
        Some(t) => provider_shape::recognise(
            Some(t.header),
            t.claims,
            &Reading {
                scopes_claim: &scopes_claim,
                user_id_claim: &user_id_claim,
                roles_claim: roles_claim.as_deref(),
                audience: audience.as_deref(),
                ..Reading::default()
            },
        ),
        None => findings,
    };
    let sync_command = format!(
        "agentos-auth jwks sync --from {} --jwks {} --alg {} --watch 15m --on-change 'systemctl restart agentos'",
        shell_word(issuer_url),
        shell_word(jwks_file),
        alg.as_str()
    );
    let mut cfg = AgentosConfig {
        issuer: discovery.issuer.clone(),
        jwks_uri: discovery.jwks_uri.clone(),
        algorithm: alg.as_str().to_string(),
        jwks_file: jwks_file.to_string(),
        audience,
        verify_audience,
        scopes_claim,
        user_id_claim,
        roles_claim,
        roles,
        sync_command,
        python: String::new(),
        env: vec![format!("JWT_JWKS_FILE={jwks_file}")],
        findings,
    };
    cfg.python = python(&cfg, token.is_some());
    cfg
}

/// `name="value"` of a finding's setting (`scopes_claim="permissions"`).
fn setting_value(setting: &str, name: &str) -> Option<String> {
    let rest = setting.strip_prefix(name)?.strip_prefix('=')?;
    serde_json::from_str::<String>(rest).ok()
}

fn role_values(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => s.split_whitespace().map(str::to_string).collect(),
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

/// A Python string literal (JSON's escapes are Python's for these).
fn py(s: &str) -> String {
    Value::from(s).to_string()
}

/// A word for sh: as it is when safe, else single-quoted.
fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

fn python(c: &AgentosConfig, have_token: bool) -> String {
    let mut out = String::new();
    let line = |out: &mut String, s: &str| {
        out.push_str(s);
        out.push('\n');
    };
    line(
        &mut out,
        &format!(
            "# AgentOS for the access tokens of {} (agentos-auth doctor --issuer)",
            c.issuer
        ),
    );
    line(
        &mut out,
        &format!(
            "# {} is read when AgentOS starts; keep it fresh (the provider rotates its keys):",
            c.jwks_file
        ),
    );
    line(&mut out, &format!("#   {}", c.sync_command));
    let audience = match (&c.audience, have_token) {
        (Some(a), _) if a.len() == 1 => py(&a[0]),
        (Some(a), _) => format!("[{}]", a.iter().map(|s| py(s)).collect::<Vec<_>>().join(", ")),
        (None, false) => "\"YOUR_API_AUDIENCE\"  # the aud of the provider's access tokens (doctor --token reads it)".into(),
        (None, true) => "None  # the provider's tokens carry no aud".into(),
    };
    let common = |out: &mut String| {
        line(out, &format!("    jwks_file={},", py(&c.jwks_file)));
        line(out, &format!("    algorithm={},", py(&c.algorithm)));
        line(out, &format!("    issuer={},", py(&c.issuer)));
        line(out, &format!("    audience={audience},"));
        line(
            out,
            &format!(
                "    verify_audience={},",
                if c.verify_audience { "True" } else { "False" }
            ),
        );
    };
    match &c.roles_claim {
        None => {
            line(&mut out, "from agno.os.middleware import JWTMiddleware");
            line(&mut out, "");
            line(&mut out, "app = agent_os.get_app()");
            line(&mut out, "app.add_middleware(");
            line(&mut out, "    JWTMiddleware,");
            common(&mut out);
            line(
                &mut out,
                &format!("    scopes_claim={},", py(&c.scopes_claim)),
            );
            if c.user_id_claim != "sub" {
                line(
                    &mut out,
                    &format!("    user_id_claim={},", py(&c.user_id_claim)),
                );
            }
            line(&mut out, "    authorization=True,");
            line(&mut out, ")");
        }
        Some(claim) => {
            line(&mut out, "# Managed roles: pass this as AgentOS(authorization=authorization, db=...); the roles live in AgentOS's database.");
            line(&mut out, "from agno.os.authz import Authorization");
            line(&mut out, "");
            line(&mut out, "authorization = Authorization(");
            common(&mut out);
            line(&mut out, &format!("    roles_claim={},", py(claim)));
            line(&mut out, ")");
            let roles = if c.roles.is_empty() {
                vec!["ROLE".to_string()]
            } else {
                c.roles.clone()
            };
            for r in roles {
                line(
                    &mut out,
                    &format!("authorization.define_role({}, scopes=[\"agents:read\"])  # the AgentOS scopes this role grants", py(&r)),
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn discovery() -> Discovery {
        Discovery {
            issuer: "https://idp.example/".into(),
            jwks_uri: "https://idp.example/jwks".into(),
            token_endpoint: None,
            id_token_signing_alg_values_supported: vec!["RS256".into()],
            scopes_supported: vec![],
            claims_supported: vec![],
            grant_types_supported: vec![],
        }
    }

    #[test]
    fn a_permissions_token_gets_scopes_claim_and_its_audience() {
        let header = json!({"alg": "RS256", "kid": "k"});
        let claims = json!({"iss": "https://idp.example/", "sub": "svc", "aud": "my-os", "exp": 1,
            "scope": "a b", "permissions": ["agents:read"]});
        let t = SampleToken {
            header: header.as_object().unwrap(),
            claims: claims.as_object().unwrap(),
        };
        let c = build(
            "https://idp.example/",
            &discovery(),
            Alg::RS256,
            "/srv/jwks.json",
            Some(&t),
        );
        assert_eq!(c.scopes_claim, "permissions");
        assert_eq!(c.audience.as_deref(), Some(&["my-os".to_string()][..]));
        assert!(
            c.python.contains("    scopes_claim=\"permissions\",\n"),
            "{}",
            c.python
        );
        assert!(
            c.python.contains("    issuer=\"https://idp.example/\",\n"),
            "{}",
            c.python
        );
        assert!(c.python.contains("verify_audience=True"), "{}", c.python);
        assert_eq!(c.env, ["JWT_JWKS_FILE=/srv/jwks.json"]);
        assert!(c
            .sync_command
            .contains("--from https://idp.example/ --jwks /srv/jwks.json --alg RS256"));
    }

    #[test]
    fn a_roles_token_gets_authorization_with_a_define_role_per_role() {
        let header = json!({"alg": "RS256"});
        let claims = json!({"iss": "https://login.microsoftonline.com/t/v2.0", "sub": "s", "exp": 1,
            "aud": ["api://x", "y"], "roles": ["Reader", "Runner"], "tid": "t", "oid": "o"});
        let t = SampleToken {
            header: header.as_object().unwrap(),
            claims: claims.as_object().unwrap(),
        };
        let c = build("https://i", &discovery(), Alg::RS256, "jwks.json", Some(&t));
        assert_eq!(c.roles_claim.as_deref(), Some("roles"));
        assert!(
            c.python.contains("authorization.define_role(\"Reader\""),
            "{}",
            c.python
        );
        assert!(
            c.python.contains("authorization.define_role(\"Runner\""),
            "{}",
            c.python
        );
        assert!(
            c.python.contains("audience=[\"api://x\", \"y\"]"),
            "{}",
            c.python
        );
        // No token: a placeholder audience, still checked.
        let c = build("https://i", &discovery(), Alg::ES256, "j k.json", None);
        assert!(c.python.contains("YOUR_API_AUDIENCE") && c.verify_audience);
        assert!(c.sync_command.contains("--jwks 'j k.json' --alg ES256"));
    }
}
