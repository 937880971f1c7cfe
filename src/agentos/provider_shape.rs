//! Identity providers' token shapes, and what AgentOS makes of them.
//!
//! AgentOS reads a token's scopes from ONE top-level claim (`scopes`, or the manual
//! `JWTMiddleware(scopes_claim=...)`), as a list: a string counts as one scope and is
//! never split, anything else as no scope (`JWTValidator.extract_claims`,
//! `AuthMiddleware._dispatch`); managed roles come from one top-level claim too
//! (`normalize_roles_claim`, agno 3.1 `Authorization(roles_claim=...)`). Providers put
//! scopes elsewhere: a space-separated `scope`/`scp`, `permissions`, an `scp` list,
//! `roles`, `realm_access.roles`, `cognito:groups`, `role`. This module recognises those
//! shapes in a token's claims (and header) and says, as data, what AgentOS sees and the
//! setting that fixes it. No I/O: claims in, findings out.
//!
//! How to call it (e.g. `doctor --issuer` with a sample token's claims):
//!
//! ```
//! use agentos_auth::agentos::provider_shape::{recognise, Reading};
//! let claims = serde_json::json!({"iss": "https://t.eu.auth0.com/", "sub": "auth0|1",
//!     "scope": "openid agents:read", "permissions": ["agents:read"]});
//! let findings = recognise(None, claims.as_object().unwrap(), &Reading::default());
//! assert_eq!(findings[0].claim, "permissions");
//! assert_eq!(findings[0].setting.as_deref(), Some("scopes_claim=\"permissions\""));
//! ```
//!
//! [`Reading`] says what the server reads (its claim names and algorithm); each
//! [`Finding`] names the claim, the provider shape, what AgentOS makes of it, the fix in
//! words and, when one setting fixes it, that setting as Python (`setting`).

use serde::Serialize;

use crate::token::{claim_strings, json_kind};
use serde_json::{Map, Value};

use super::profiles::{Profile, LATEST};
use super::scopes::validate_scope;

/// The identity providers whose documented token shapes are recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Provider {
    Auth0,
    Okta,
    EntraId,
    Keycloak,
    Cognito,
    WorkOS,
    /// Any other OpenID provider (panva oidc-provider, Authlib, Zitadel, ...).
    GenericOidc,
}

impl Provider {
    /// The provider's name, as its docs spell it.
    pub fn name(self) -> &'static str {
        match self {
            Provider::Auth0 => "Auth0",
            Provider::Okta => "Okta",
            Provider::EntraId => "Microsoft Entra ID",
            Provider::Keycloak => "Keycloak",
            Provider::Cognito => "Amazon Cognito",
            Provider::WorkOS => "WorkOS",
            Provider::GenericOidc => "an OpenID provider",
        }
    }

    /// The page of docs/providers/ about it.
    pub fn doc_page(self) -> &'static str {
        match self {
            Provider::Auth0 => "docs/providers/auth0.md",
            Provider::Okta => "docs/providers/okta.md",
            Provider::EntraId => "docs/providers/entra-id.md",
            Provider::Keycloak => "docs/providers/keycloak.md",
            Provider::Cognito => "docs/providers/cognito.md",
            Provider::WorkOS => "docs/providers/workos.md",
            Provider::GenericOidc => "docs/providers/generic-oidc.md",
        }
    }
}

/// What the server reads from a token: the manual `JWTMiddleware`'s `scopes_claim` and
/// `user_id_claim`, agno 3.1 `Authorization`'s `roles_claim`, and whether it checks
/// scopes at all. `Reading::default()` is `AgentOS(authorization=True)`'s.
#[derive(Debug, Clone)]
pub struct Reading<'a> {
    pub scopes_claim: &'a str,
    pub user_id_claim: &'a str,
    /// `Authorization(roles_claim=...)`: roles from the token decide, not its scopes.
    pub roles_claim: Option<&'a str>,
    /// `verify_audience=True`: the expected audiences (`None`: `aud` is not checked).
    pub audience: Option<&'a [String]>,
    /// The release whose scope grammar applies.
    pub profile: &'static Profile,
}

impl Default for Reading<'_> {
    fn default() -> Self {
        Reading {
            scopes_claim: "scopes",
            user_id_claim: "sub",
            roles_claim: None,
            audience: None,
            profile: LATEST,
        }
    }
}

/// What a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Aspect {
    /// Where the scopes (or roles) sit.
    Scopes,
    Audience,
    /// The user id claim.
    Subject,
    Expiry,
    Algorithm,
}

/// One recognised shape: the claim, whose shape it is, what AgentOS makes of it, and
/// the fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub aspect: Aspect,
    /// The claim (dotted for a nested one: `realm_access.roles`), or `alg` for the header.
    pub claim: String,
    /// The provider shape recognised, in words: "Auth0 RBAC permissions (a list)".
    pub shape: String,
    /// What AgentOS makes of it.
    pub seen: String,
    /// What to change, in words.
    pub fix: String,
    /// The one AgentOS setting that fixes it, as Python (`scopes_claim="permissions"`),
    /// when there is one.
    pub setting: Option<String>,
}

impl Finding {
    /// The finding as one sentence for a verdict: shape, what AgentOS sees, fix.
    pub fn sentence(&self) -> String {
        format!("{}: {}; {}", self.shape, self.seen, self.fix)
    }
}

/// The provider that issued a token, from its `iss` and the claims only that provider
/// emits.
pub fn provider_of(claims: &Map<String, Value>) -> Provider {
    let iss = claims
        .get("iss")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let has = |k: &str| claims.contains_key(k);
    if iss.contains(".auth0.com") {
        Provider::Auth0
    } else if iss.contains(".okta.com") || iss.contains(".oktapreview.com") {
        Provider::Okta
    } else if iss.contains("login.microsoftonline.com")
        || iss.contains("sts.windows.net")
        || (has("tid") && has("oid"))
    {
        Provider::EntraId
    } else if iss.contains("/realms/") || has("realm_access") || has("resource_access") {
        Provider::Keycloak
    } else if iss.contains("cognito-idp.") || has("cognito:groups") || has("token_use") {
        Provider::Cognito
    } else if iss.contains("workos") {
        Provider::WorkOS
    } else if has("cid") && matches!(claims.get("scp"), Some(Value::Array(_))) {
        Provider::Okta
    } else {
        Provider::GenericOidc
    }
}

/// Every shape of `claims` (and `header`, when given) that AgentOS, reading as `reading`
/// says, does not take as the provider meant it. Scope findings first, most useful fix
/// first; empty when the token already has AgentOS's shape.
pub fn recognise(
    header: Option<&Map<String, Value>>,
    claims: &Map<String, Value>,
    reading: &Reading,
) -> Vec<Finding> {
    let provider = provider_of(claims);
    let mut out = scope_findings(claims, reading, provider);
    out.extend(audience_finding(claims, reading, provider));
    out.extend(subject_finding(claims, reading, provider));
    let iss = claims
        .get("iss")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let from_provider = provider != Provider::GenericOidc || iss.starts_with("https://");
    if from_provider && !claims.contains_key("exp") {
        out.push(Finding {
            aspect: Aspect::Expiry,
            claim: "exp".into(),
            shape: format!("a token from {} without exp", provider.name()),
            seen: "AgentOS accepts it forever (exp is optional to PyJWT)".into(),
            fix: "configure the provider to issue expiring access tokens (every provider named here sets exp by default: check that this is an access token, not a custom one)".into(),
            setting: None,
        });
    }
    if let Some(f) = header.and_then(|h| algorithm_finding(h, provider)) {
        out.push(f);
    }
    out
}

/// What AgentOS sees in `claim`: the list it takes as scopes (`extract_claims`).
fn seen_as_scopes(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a.iter().map(|x| x.as_str().unwrap_or("?").into()).collect(),
        _ => Vec::new(),
    }
}

/// `normalize_roles_claim`: roles only from a string or a non-empty list.
fn roles_of(claims: &Map<String, Value>, claim: &str) -> Option<Vec<String>> {
    match claims.get(claim)? {
        Value::String(s) => Some(vec![s.clone()]),
        Value::Array(a) if !a.is_empty() => Some(claim_strings(&Value::Array(a.clone()))),
        _ => None,
    }
}

/// Whether any of `vals` is an AgentOS scope.
fn any_agentos_scope(p: &Profile, vals: &[String]) -> bool {
    vals.iter().any(|s| validate_scope(p, s).is_ok())
}

/// A Python list of `vals` (the first few) for a message.
fn pylist(vals: &[String]) -> String {
    let shown: Vec<String> = vals.iter().take(4).map(|v| format!("{v:?}")).collect();
    let more = if vals.len() > 4 { ", ..." } else { "" };
    format!("[{}{more}]", shown.join(", "))
}

/// How the provider can be told to emit a list claim instead of a space-separated one.
fn list_claim_advice(p: Provider) -> &'static str {
    match p {
        Provider::Auth0 => "in Auth0, turn on RBAC and \"Add Permissions in the Access Token\" for the API: the permissions arrive as a `permissions` list, then set scopes_claim=\"permissions\"",
        Provider::Okta => "Okta's access tokens carry scp as a list: set scopes_claim=\"scp\"",
        Provider::EntraId => "in Entra ID, define app roles whose values are AgentOS scopes and assign them: they arrive as a `roles` list, then set scopes_claim=\"roles\" (or Authorization(roles_claim=\"roles\") with define_role)",
        Provider::Keycloak => "in Keycloak, add a protocol mapper that emits a multivalued claim (e.g. \"User Realm Role\", Token Claim Name `roles`, Multivalued, Add to access token), then set scopes_claim=\"roles\" or Authorization(roles_claim=\"roles\")",
        Provider::Cognito => "in Cognito, put users in groups named after AgentOS scopes or roles: they arrive as the `cognito:groups` list, then set Authorization(roles_claim=\"cognito:groups\") or scopes_claim=\"cognito:groups\" (or add a list claim in a pre token generation Lambda)",
        Provider::WorkOS => "in WorkOS, give roles permissions named after AgentOS scopes: they arrive as the `permissions` list, then set scopes_claim=\"permissions\"",
        Provider::GenericOidc => "have the provider emit the scopes as a JSON list claim (oidc-provider: extraTokenClaims returning {\"scopes\": [...]}), then set scopes_claim to that claim",
    }
}

/// The fix for a list of provider values that are not AgentOS scopes.
fn vocabulary_fix(claim: &str, vals: &[String]) -> String {
    let first = vals
        .first()
        .cloned()
        .unwrap_or_else(|| "read:agents".into());
    format!(
        "name the provider's permissions as AgentOS scopes (agents:read, agents:my-agent:run, ...), or map each route to the provider's names with a scope_mappings entry, e.g. scope_mappings={{\"GET /agents\": [{first:?}]}} (with scopes_claim=\"{claim}\")"
    )
}

fn scope_findings(
    claims: &Map<String, Value>,
    reading: &Reading,
    provider: Provider,
) -> Vec<Finding> {
    let p = reading.profile;
    let read_claim = reading.scopes_claim;
    let seen = seen_as_scopes(claims.get(read_claim));
    let roles_decide = reading
        .roles_claim
        .is_some_and(|c| roles_of(claims, c).is_some());
    let mut out = Vec::new();
    // The claim AgentOS reads: a space-separated string is one scope.
    if let Some(Value::String(s)) = claims.get(read_claim) {
        if s.split_whitespace().count() > 1 {
            out.push(Finding {
                aspect: Aspect::Scopes,
                claim: read_claim.into(),
                shape: format!(
                    "{read_claim} is a space-separated string ({}'s OAuth scope claim)",
                    provider.name()
                ),
                seen: format!(
                    "AgentOS reads {s:?} as ONE scope and never splits it, so it grants none of {}",
                    pylist(&claim_strings(&Value::String(s.clone())))
                ),
                fix: list_claim_advice(provider).into(),
                setting: None,
            });
        }
    } else if let Some(Value::Array(_)) = claims.get(read_claim) {
        let vals = claim_strings(&claims[read_claim]);
        if !vals.is_empty() && !any_agentos_scope(p, &vals) && !roles_decide {
            out.push(Finding {
                aspect: Aspect::Scopes,
                claim: read_claim.into(),
                shape: format!(
                    "{read_claim} is a list of {}'s own permission names",
                    provider.name()
                ),
                seen: format!(
                    "AgentOS reads {} as scopes, and none is an AgentOS scope",
                    pylist(&vals)
                ),
                fix: vocabulary_fix(read_claim, &vals),
                setting: None,
            });
        }
    }
    if let Some(v) = claims
        .get(read_claim)
        .filter(|v| !v.is_string() && !v.is_array())
    {
        out.push(Finding {
            aspect: Aspect::Scopes,
            claim: read_claim.into(),
            shape: format!("{read_claim} is {}, neither a list nor a string", json_kind(v)),
            seen: "AgentOS takes no scope from it (extract_claims: anything but a list or a string is [])".into(),
            fix: list_claim_advice(provider).into(),
            setting: None,
        });
    }
    // Scopes AgentOS does see (or roles deciding): the other claims do not matter.
    let usable = seen.iter().any(|s| validate_scope(p, s).is_ok());
    if usable || roles_decide {
        return out;
    }
    let nothing = if !claims.contains_key(read_claim) {
        format!("AgentOS reads scopes from {read_claim:?} only, which this token lacks: it sees no scope")
    } else if seen.is_empty() {
        format!("AgentOS reads scopes from {read_claim:?} only, which holds none: it sees no scope")
    } else {
        format!("AgentOS reads scopes from {read_claim:?} only")
    };
    let scopes_in = |vals: &[String]| any_agentos_scope(p, vals);
    // Lists first: a list claim is one setting away; a string never splits.
    let mut found = candidates(claims);
    found.sort_by_key(|(_, v)| v.is_string());
    for (claim, v) in found {
        // A nested claim is never the one read, whatever the setting's name: agno reads
        // top-level claims only.
        let read = claims.contains_key(&claim)
            && (claim == read_claim || reading.roles_claim == Some(claim.as_str()));
        if read {
            continue;
        }
        let vals = claim_strings(&v);
        let as_scopes = format!("scopes_claim=\"{claim}\"");
        let f = |shape: String, fix: String, setting: Option<String>| Finding {
            aspect: Aspect::Scopes,
            claim: claim.clone(),
            shape,
            seen: nothing.clone(),
            fix,
            setting,
        };
        let finding = match (claim.as_str(), &v) {
            ("permissions", Value::Array(_)) => {
                let who = if provider == Provider::WorkOS { "WorkOS permissions (a list)" } else { "Auth0 RBAC / WorkOS permissions (a list)" };
                if scopes_in(&vals) {
                    f(who.into(), format!("read them with JWTMiddleware({as_scopes}, authorization=True) (verify --scopes-claim {claim})"), Some(as_scopes))
                } else {
                    f(who.into(), vocabulary_fix(&claim, &vals), Some(as_scopes))
                }
            }
            ("scp", Value::Array(_)) => {
                let fix = if scopes_in(&vals) {
                    format!("read them with JWTMiddleware({as_scopes}, authorization=True) (verify --scopes-claim scp)")
                } else {
                    vocabulary_fix(&claim, &vals)
                };
                f("Okta scp (a list of granted scopes)".into(), fix, Some(as_scopes))
            }
            ("scope" | "scp", Value::String(s)) => {
                let who = if claim == "scp" {
                    "Entra ID delegated scp (a space-separated string)"
                } else {
                    "OAuth scope (a space-separated string: Auth0, Keycloak, Cognito, oidc-provider)"
                };
                let one = if s.split_whitespace().count() > 1 {
                    format!("; scopes_claim=\"{claim}\" would not help: AgentOS never splits a string, so {s:?} would be ONE scope")
                } else {
                    String::new()
                };
                let setting = (s.split_whitespace().count() == 1 && scopes_in(&vals)).then_some(as_scopes);
                f(who.into(), format!("{}{one}", list_claim_advice(provider)), setting)
            }
            ("roles", Value::Array(_)) => {
                let (fix, setting) = if scopes_in(&vals) {
                    (format!("the role values are AgentOS scopes: read them with JWTMiddleware({as_scopes}, authorization=True) (verify --scopes-claim roles)"), Some(as_scopes))
                } else {
                    (format!("map each role to scopes with agno 3.1's Authorization(roles_claim=\"roles\") and a define_role per value ({}) (verify --roles-file with \"roles_claim\": \"roles\")", pylist(&vals)), Some("roles_claim=\"roles\"".into()))
                };
                f("Entra ID app roles (a roles list)".into(), fix, setting)
            }
            ("cognito:groups", Value::Array(_)) => {
                let (fix, setting) = if scopes_in(&vals) {
                    (format!("the group names are AgentOS scopes: read them with JWTMiddleware({as_scopes}, authorization=True)"), Some(as_scopes))
                } else {
                    (format!("map each group to scopes with agno 3.1's Authorization(roles_claim=\"cognito:groups\") and a define_role per group ({})", pylist(&vals)), Some("roles_claim=\"cognito:groups\"".into()))
                };
                f("Cognito user pool groups (cognito:groups, a list)".into(), fix, setting)
            }
            ("role", Value::String(r)) => f(
                "WorkOS role (a single string)".into(),
                format!("map the role to scopes with agno 3.1's Authorization(roles_claim=\"role\") and define_role({r:?}, ...) (a single string counts as one role), or read WorkOS's permissions list with scopes_claim=\"permissions\""),
                Some("roles_claim=\"role\"".into()),
            ),
            (nested, Value::Array(_)) if nested.contains('.') => f(
                format!("Keycloak {} roles ({nested}, nested)", if nested.starts_with("realm_access") { "realm" } else { "client" }),
                format!("AgentOS reads top-level claims only (payload.get(name)): neither scopes_claim nor roles_claim can reach {nested}; add a Keycloak protocol mapper (\"User Realm Role\" or \"User Client Role\", Token Claim Name `roles`, Multivalued, Add to access token), then Authorization(roles_claim=\"roles\") with a define_role per role ({}), or scopes_claim=\"roles\" if the role names are AgentOS scopes", pylist(&vals)),
                None,
            ),
            _ => continue,
        };
        out.push(finding);
    }
    out
}

/// Claims where providers put scopes or roles, as (claim, value); nested ones dotted.
fn candidates(claims: &Map<String, Value>) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for k in [
        "permissions",
        "scp",
        "scope",
        "scopes",
        "roles",
        "cognito:groups",
        "role",
    ] {
        if let Some(v) = claims.get(k) {
            out.push((k.to_string(), v.clone()));
        }
    }
    if let Some(Value::Array(r)) = claims.get("realm_access").and_then(|r| r.get("roles")) {
        out.push(("realm_access.roles".into(), Value::Array(r.clone())));
    }
    if let Some(Value::Object(clients)) = claims.get("resource_access") {
        for (client, v) in clients {
            if let Some(Value::Array(r)) = v.get("roles") {
                // The client id comes from the token: escaped, as all token text in a message.
                let client = client.escape_debug();
                out.push((
                    format!("resource_access.{client}.roles"),
                    Value::Array(r.clone()),
                ));
            }
        }
    }
    out
}

fn audience_finding(
    claims: &Map<String, Value>,
    reading: &Reading,
    provider: Provider,
) -> Option<Finding> {
    let expected = reading.audience?;
    // A token of this tool (no provider issuer) gets the plain audience advice.
    let iss = claims
        .get("iss")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if provider == Provider::GenericOidc && !iss.starts_with("https://") {
        return None;
    }
    let auds = match claims.get("aud") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => claim_strings(&Value::Array(a.clone())),
        _ => Vec::new(),
    };
    if auds.iter().any(|a| expected.contains(a)) {
        return None;
    }
    let want = expected.first().cloned().unwrap_or_default();
    let azp = claims.get("azp").and_then(Value::as_str);
    let client_id = claims.get("client_id").and_then(Value::as_str);
    let (shape, fix) = if auds.is_empty() && provider == Provider::Cognito {
        (
            "Cognito access token: no aud at all (the app client is in client_id)".to_string(),
            format!("AgentOS cannot check client_id: run with verify_audience=False and pin the issuer (Authorization(issuer=...), agno 3.1), or with the manual middleware JWTMiddleware(audience_claim=\"client_id\", audience={:?}, verify_audience=True)", client_id.unwrap_or("APP_CLIENT_ID")),
        )
    } else if auds.is_empty() {
        match azp.or(client_id) {
            Some(c) => (
                format!("no aud, only the client in {}", if azp.is_some() { "azp" } else { "client_id" }),
                format!("have the provider put {want:?} in aud (an API audience / resource indicator), or set verify_audience=False and pin the issuer; the client {c:?} is not an audience"),
            ),
            None => (
                "no aud".to_string(),
                format!("have the provider put {want:?} in aud (an API audience / resource indicator), or set verify_audience=False"),
            ),
        }
    } else if provider == Provider::Keycloak && auds.iter().any(|a| a == "account") {
        (
            format!("Keycloak's default aud {} (the client is in azp {:?})", pylist(&auds), azp.unwrap_or("?")),
            format!("add an Audience mapper to the client in Keycloak (Included Custom Audience {want:?}), or set audience= to an aud the token carries"),
        )
    } else {
        (
            format!("aud {} (a provider API identifier)", pylist(&auds)),
            format!("set AgentOS's audience= to the provider's API identifier ({:?}) (verify --aud {:?}), or have the provider issue tokens for {want:?}", auds[0], auds[0]),
        )
    };
    Some(Finding {
        aspect: Aspect::Audience,
        claim: "aud".into(),
        shape,
        seen: format!("AgentOS (verify_audience=True) expects {want:?} in aud"),
        fix,
        setting: None,
    })
}

fn subject_finding(
    claims: &Map<String, Value>,
    reading: &Reading,
    provider: Provider,
) -> Option<Finding> {
    let claim = reading.user_id_claim;
    if claims.get(claim).is_some_and(|v| !v.is_null()) {
        return None;
    }
    let other = ["oid", "sub", "uid", "username", "email", "client_id"]
        .into_iter()
        .find(|c| *c != claim && claims.get(*c).is_some_and(Value::is_string));
    let fix = match other {
        Some(o) => format!("read the user id from {o:?}: JWTMiddleware(user_id_claim=\"{o}\") (verify --user-id-claim {o})"),
        None => format!("have {} put the user id in {claim:?}", provider.name()),
    };
    Some(Finding {
        aspect: Aspect::Subject,
        claim: claim.into(),
        shape: format!("a token from {} without {claim}", provider.name()),
        seen: "AgentOS accepts it with no user id (request.state.user_id is None): sessions, memories and runs are tied to no user".into(),
        fix,
        setting: other.map(|o| format!("user_id_claim=\"{o}\"")),
    })
}

/// Algorithms providers sign with that this tool's model of AgentOS does not verify.
fn algorithm_finding(header: &Map<String, Value>, provider: Provider) -> Option<Finding> {
    let alg = header.get("alg").and_then(Value::as_str)?;
    if matches!(alg, "RS256" | "ES256" | "HS256") {
        return None;
    }
    let alg = alg.escape_debug().to_string();
    let how = match provider {
        Provider::Auth0 => "Auth0: Applications > APIs > your API > Signing Algorithm RS256",
        Provider::Keycloak => "Keycloak: Realm settings > Tokens > Default signature algorithm RS256 (or the client's Access token signature algorithm)",
        Provider::Okta => "Okta signs access tokens with RS256: check the authorization server",
        Provider::EntraId => "Entra ID signs with RS256",
        Provider::Cognito => "Cognito signs with RS256",
        Provider::WorkOS => "WorkOS signs with RS256",
        Provider::GenericOidc => "the provider's signing algorithm for access tokens (oidc-provider: a RS256 key first in its JWKS)",
    };
    Some(Finding {
        aspect: Aspect::Algorithm,
        claim: "alg".into(),
        shape: format!("a token signed with {alg}"),
        seen: format!("AgentOS accepts exactly one algorithm (algorithm=, default RS256); agentos-auth models RS256, ES256 and HS256, not {alg}"),
        fix: format!("have the provider sign access tokens with RS256 ({how}); jwks sync keeps only the keys for AgentOS's algorithm"),
        setting: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn find(claims: Value, reading: &Reading) -> Vec<Finding> {
        recognise(None, claims.as_object().unwrap(), reading)
    }

    #[test]
    fn a_token_in_agentos_shape_has_no_finding() {
        let f = find(
            json!({"sub": "u", "exp": 1, "scopes": ["agents:read"], "scope": "openid profile"}),
            &Reading::default(),
        );
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn each_scope_shape_names_its_fix() {
        let r = Reading::default();
        let cases = [
            (
                json!({"permissions": ["agents:read"]}),
                "permissions",
                Some("scopes_claim=\"permissions\""),
            ),
            (
                json!({"scp": ["agents:read"], "cid": "x"}),
                "scp",
                Some("scopes_claim=\"scp\""),
            ),
            (json!({"scope": "openid agents:read"}), "scope", None),
            (
                json!({"roles": ["Agent.Reader"], "tid": "t", "oid": "o"}),
                "roles",
                Some("roles_claim=\"roles\""),
            ),
            (
                json!({"roles": ["agents:read"]}),
                "roles",
                Some("scopes_claim=\"roles\""),
            ),
            (
                json!({"realm_access": {"roles": ["reader"]}}),
                "realm_access.roles",
                None,
            ),
            (
                json!({"resource_access": {"agentos": {"roles": ["r"]}}}),
                "resource_access.agentos.roles",
                None,
            ),
            (
                json!({"cognito:groups": ["readers"]}),
                "cognito:groups",
                Some("roles_claim=\"cognito:groups\""),
            ),
            (
                json!({"role": "admin", "iss": "https://api.workos.com"}),
                "role",
                Some("roles_claim=\"role\""),
            ),
        ];
        for (claims, claim, setting) in cases {
            let mut c = claims.as_object().unwrap().clone();
            c.insert("sub".into(), json!("u"));
            c.insert("exp".into(), json!(1));
            let f = recognise(None, &c, &r);
            assert_eq!(f.len(), 1, "{claims}: {f:?}");
            assert_eq!(f[0].claim, claim);
            assert_eq!(f[0].setting.as_deref(), setting, "{claims}");
        }
    }

    #[test]
    fn the_read_claim_as_a_string_is_one_scope() {
        let r = Reading {
            scopes_claim: "scope",
            ..Reading::default()
        };
        let f = find(
            json!({"sub": "u", "exp": 1, "scope": "agents:read agents:run"}),
            &r,
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].seen.contains("ONE scope"), "{f:?}");
        // Reading the permissions list: nothing to say.
        let r = Reading {
            scopes_claim: "permissions",
            ..Reading::default()
        };
        assert!(find(
            json!({"sub": "u", "exp": 1, "scope": "openid", "permissions": ["agents:read"]}),
            &r
        )
        .is_empty());
        // Roles deciding: the scopes do not matter.
        let r = Reading {
            roles_claim: Some("roles"),
            ..Reading::default()
        };
        assert!(find(json!({"sub": "u", "exp": 1, "roles": ["x"]}), &r).is_empty());
    }

    #[test]
    fn audience_subject_expiry_and_alg() {
        let aud = vec!["os".to_string()];
        let r = Reading {
            audience: Some(&aud),
            ..Reading::default()
        };
        let f = find(
            json!({"iss": "https://cognito-idp.eu-west-1.amazonaws.com/p", "client_id": "c", "scopes": ["agents:read"], "exp": 1, "sub": "s"}),
            &r,
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].shape.starts_with("Cognito access token"), "{f:?}");
        let f = find(
            json!({"aud": ["account"], "azp": "agentos", "realm_access": {}, "scopes": ["agents:read"], "exp": 1, "sub": "s"}),
            &r,
        );
        assert!(f[0].fix.contains("Audience mapper"), "{f:?}");
        let f = find(
            json!({"scopes": ["agents:read"], "oid": "o", "tid": "t"}),
            &Reading::default(),
        );
        let aspects: Vec<Aspect> = f.iter().map(|f| f.aspect).collect();
        assert_eq!(aspects, [Aspect::Subject, Aspect::Expiry]);
        assert_eq!(f[0].setting.as_deref(), Some("user_id_claim=\"oid\""));
        let h = json!({"alg": "PS256"});
        let f = recognise(
            h.as_object(),
            json!({"sub": "s", "exp": 1, "scopes": ["agents:read"]})
                .as_object()
                .unwrap(),
            &Reading::default(),
        );
        assert_eq!(f[0].aspect, Aspect::Algorithm);
    }
}
