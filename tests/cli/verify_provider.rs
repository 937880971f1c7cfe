//! Issue 22, item 2: `verify` on identity providers' tokens. Each provider shape (scopes
//! in `scope`, `scp`, `permissions`, `roles`, `realm_access.roles`, `cognito:groups`,
//! `role`; `aud` missing or Keycloak's `account`; a user id elsewhere; PS256; a kid a
//! synced JWKS lacks) gets the explanation naming the claim, the shape and the fix, with
//! verify's exit code; and each of the manual JWTMiddleware's switches (`--scopes-claim`,
//! `--user-id-claim`, `--token-source`, `--cookie-name`, and where the request carries the
//! token, `--sent-in`) decides as agno's `AuthMiddleware._dispatch` does. The same cells
//! against a real agno app: tests/interop/provider_shapes.rs.

use std::path::PathBuf;
use std::process::Output;

use crate::common::{bin_at, stderr, stdout};
use agentos_auth::keys::{Alg, Key};
use agentos_auth::token;
use serde_json::{json, Value};

struct Setup {
    _t: tempfile::TempDir,
    home: PathBuf,
    secret: PathBuf,
    key: Key,
}

/// An HS256 secret in `hs.secret` (verify takes HS256 for a *.secret) and an empty home.
fn setup() -> Setup {
    let t = tempfile::tempdir().unwrap();
    let key = Key::generate(Alg::HS256, 0).unwrap();
    let secret = t.path().join("hs.secret");
    std::fs::write(&secret, key.secret().unwrap()).unwrap();
    std::os::unix::fs::PermissionsExt::set_mode(
        &mut std::fs::metadata(&secret).unwrap().permissions(),
        0o600,
    );
    std::fs::set_permissions(&secret, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    Setup {
        home: t.path().join("home"),
        _t: t,
        secret,
        key,
    }
}

fn sign(key: &Key, header: Value, claims: Value) -> String {
    let (Value::Object(h), Value::Object(c)) = (header, claims) else {
        panic!("objects")
    };
    token::encode(&h, &c, &key.signer().unwrap()).unwrap()
}

/// `claims` plus `exp` (an hour from now), signed HS256.
fn mint(s: &Setup, claims: Value) -> String {
    let mut c = claims;
    c["exp"] = json!(agentos_auth::time::now() + 3600);
    sign(&s.key, json!({"alg": "HS256", "typ": "JWT"}), c)
}

fn verify(s: &Setup, token: &str, args: &[&str]) -> Output {
    let secret = s.secret.to_str().unwrap();
    let mut all = vec!["verify", token, "--key", secret, "--request", "GET /agents"];
    all.extend_from_slice(args);
    bin_at(&s.home).args(&all).output().unwrap()
}

/// Runs `verify`, checks its exit code and that stderr has every `needles` item.
fn check(s: &Setup, claims: Value, args: &[&str], code: i32, needles: &[&str]) {
    let token = mint(s, claims.clone());
    let o = verify(s, &token, args);
    let err = stderr(&o);
    assert_eq!(
        o.status.code(),
        Some(code),
        "{claims} {args:?}: {err}{}",
        stdout(&o)
    );
    for n in needles {
        assert!(err.contains(n), "{claims} {args:?}: {n:?} not in {err}");
    }
}

#[test]
fn each_scope_shape_names_the_claim_the_provider_and_the_fix() {
    let s = setup();
    let auth0 = "https://tenant.eu.auth0.com/";
    let cases: Vec<(Value, &[&str])> = vec![
        (
            json!({"iss": auth0, "sub": "auth0|1", "scope": "openid agents:read", "permissions": ["agents:read"]}),
            &[
                "Auth0 RBAC / WorkOS permissions (a list) in permissions",
                "scopes_claim=\"permissions\"",
                "--scopes-claim permissions",
            ],
        ),
        (
            json!({"iss": auth0, "sub": "auth0|1", "scope": "openid agents:read"}),
            &[
                "OAuth scope (a space-separated string",
                "in scope",
                "turn on RBAC and \"Add Permissions in the Access Token\"",
                "AgentOS never splits a string",
            ],
        ),
        (
            json!({"iss": "https://dev-1.okta.com/oauth2/default", "sub": "u@x", "scp": ["agents:read"], "cid": "c"}),
            &[
                "Okta scp (a list of granted scopes) in scp",
                "scopes_claim=\"scp\"",
            ],
        ),
        (
            json!({"iss": "https://login.microsoftonline.com/t/v2.0", "sub": "s", "oid": "o", "tid": "t", "scp": "agents:read agents:run"}),
            &[
                "Entra ID delegated scp (a space-separated string)",
                "define app roles whose values are AgentOS scopes",
            ],
        ),
        (
            json!({"iss": "https://login.microsoftonline.com/t/v2.0", "sub": "s", "oid": "o", "tid": "t", "roles": ["Agents.Reader"]}),
            &[
                "Entra ID app roles (a roles list) in roles",
                "Authorization(roles_claim=\"roles\")",
                "define_role per value ([\"Agents.Reader\"])",
            ],
        ),
        (
            json!({"iss": "https://kc.example/realms/acme", "sub": "s", "scope": "openid profile", "realm_access": {"roles": ["reader"]}}),
            &[
                "Keycloak realm roles (realm_access.roles, nested)",
                "top-level claims only",
                "protocol mapper",
            ],
        ),
        (
            json!({"iss": "https://kc.example/realms/acme", "sub": "s", "resource_access": {"agentos": {"roles": ["runner"]}}}),
            &["Keycloak client roles (resource_access.agentos.roles, nested)"],
        ),
        (
            json!({"iss": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_x", "sub": "s", "token_use": "access", "scope": "aws.cognito.signin.user.admin", "cognito:groups": ["readers"]}),
            &[
                "Cognito user pool groups (cognito:groups, a list)",
                "Authorization(roles_claim=\"cognito:groups\")",
            ],
        ),
        (
            json!({"iss": "https://api.workos.com/user_management/client_1", "sub": "user_1", "role": "member"}),
            &[
                "WorkOS role (a single string) in role",
                "Authorization(roles_claim=\"role\")",
                "define_role(\"member\"",
            ],
        ),
    ];
    for (claims, needles) in cases {
        check(&s, claims, &[], 11, needles);
    }
}

#[test]
fn the_right_switch_lets_the_same_tokens_through() {
    let s = setup();
    let cases: Vec<(Value, &str)> = vec![
        (
            json!({"sub": "u", "permissions": ["agents:read"]}),
            "permissions",
        ),
        (json!({"sub": "u", "scp": ["agents:read"]}), "scp"),
        (json!({"sub": "u", "roles": ["agents:read"]}), "roles"),
        (
            json!({"sub": "u", "cognito:groups": ["agents:read"]}),
            "cognito:groups",
        ),
        // A string is ONE scope: one scope alone is enough.
        (json!({"sub": "u", "scope": "agents:read"}), "scope"),
    ];
    for (claims, claim) in cases {
        check(&s, claims.clone(), &["--scopes-claim", claim], 0, &[]);
        check(&s, claims, &[], 11, &[]);
    }
    // Read, and still no AgentOS scope in it: a space-separated string, another
    // vocabulary, a nested claim's dotted name, a claim that is not a list.
    check(
        &s,
        json!({"sub": "u", "scope": "openid agents:read"}),
        &["--scopes-claim", "scope"],
        11,
        &["AgentOS reads \"openid agents:read\" as ONE scope"],
    );
    check(
        &s,
        json!({"sub": "u", "permissions": ["read:agents"]}),
        &["--scopes-claim", "permissions"],
        11,
        &[
            "none is an AgentOS scope",
            "scope_mappings={\"GET /agents\": [\"read:agents\"]}",
        ],
    );
    check(
        &s,
        json!({"sub": "u", "realm_access": {"roles": ["agents:read"]}}),
        &["--scopes-claim", "realm_access.roles"],
        11,
        &["neither scopes_claim nor roles_claim can reach realm_access.roles"],
    );
    check(
        &s,
        json!({"sub": "u", "perms": {"agents": "read"}}),
        &["--scopes-claim", "perms"],
        11,
        &[
            "perms is a JSON object, neither a list nor a string",
            "AgentOS takes no scope from it",
        ],
    );
    // Every modelled release reads the switch the same way (oldest and newest).
    for agno in ["2.3.13", "2.6.22", "3.1.10"] {
        check(
            &s,
            json!({"sub": "u", "permissions": ["agents:read"]}),
            &["--scopes-claim", "permissions", "--agno", agno],
            0,
            &[],
        );
    }
}

#[test]
fn the_user_id_claim_is_the_one_checked_for_reserved_principals() {
    let s = setup();
    // 3.1.10 refuses a reserved principal in the user id claim, whatever its name...
    check(
        &s,
        json!({"sub": "u", "oid": "sa:robot", "scopes": ["agents:read"]}),
        &["--user-id-claim", "oid"],
        10,
        &[
            "\"Invalid token subject\"",
            "user id claim oid \"sa:robot\"",
        ],
    );
    // ... and no longer looks at sub.
    check(
        &s,
        json!({"sub": "sa:robot", "oid": "o", "scopes": ["agents:read"]}),
        &["--user-id-claim", "oid"],
        0,
        &[],
    );
    check(
        &s,
        json!({"sub": "sa:robot", "scopes": ["agents:read"]}),
        &[],
        10,
        &["\"Invalid token subject\""],
    );
    // Before 2.7.0 no subject is reserved.
    check(
        &s,
        json!({"sub": "u", "oid": "sa:robot", "scopes": ["agents:read"]}),
        &["--user-id-claim", "oid", "--agno", "2.6.22"],
        0,
        &[],
    );
    // A missing user id passes, with a note naming the claim that holds one.
    let token = mint(
        &s,
        json!({"oid": "o", "tid": "t", "scopes": ["agents:read"]}),
    );
    let o = verify(&s, &token, &["--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let notes = v["notes"].to_string();
    assert!(
        notes.contains("without sub") && notes.contains("user_id_claim=\\\"oid\\\""),
        "{v}"
    );
}

#[test]
fn token_source_and_cookie_name_read_the_token_where_agno_does() {
    let s = setup();
    let claims = json!({"sub": "u", "scopes": ["agents:read"]});
    let cases: &[(&[&str], i32, &str)] = &[
        (&[], 0, ""),
        (
            &["--sent-in", "cookie"],
            10,
            "\"Authorization header missing\"",
        ),
        (&["--token-source", "cookie"], 0, ""),
        (
            &["--token-source", "cookie", "--sent-in", "header"],
            10,
            "\"JWT cookie 'access_token' missing\"",
        ),
        (
            &["--token-source", "cookie", "--sent-in", "cookie:session"],
            10,
            "reads the cookie access_token",
        ),
        (
            &["--token-source", "cookie", "--cookie-name", "session"],
            0,
            "",
        ),
        (&["--token-source", "both"], 0, ""),
        (&["--token-source", "both", "--sent-in", "cookie"], 0, ""),
        (
            &["--token-source", "both", "--sent-in", "cookie:x"],
            10,
            "\"JWT token missing from both Authorization header and 'access_token' cookie\"",
        ),
    ];
    for (args, code, needle) in cases {
        check(&s, claims.clone(), args, *code, &[needle]);
    }
    // No token at all: the message of the source.
    let secret = s.secret.to_str().unwrap();
    let o = bin_at(&s.home)
        .args([
            "verify",
            "--no-token",
            "--key",
            secret,
            "--request",
            "GET /agents",
        ])
        .args(["--token-source", "cookie", "--cookie-name", "session"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(10));
    assert!(
        stderr(&o).contains("\"JWT cookie 'session' missing\""),
        "{}",
        stderr(&o)
    );
}

#[test]
fn bad_switches_are_one_line_errors() {
    let s = setup();
    let token = mint(&s, json!({"sub": "u"}));
    for (args, code, needle) in [
        (vec!["--sent-in", "body"], 1, "invalid --sent-in \"body\""),
        (vec!["--sent-in", "cookie:"], 1, "invalid --sent-in"),
        (vec!["--scopes-claim", " scope"], 2, "surrounding spaces"),
        (vec!["--token-source", "query"], 2, "invalid value 'query'"),
    ] {
        let o = verify(&s, &token, &args);
        assert_eq!(o.status.code(), Some(code), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(needle), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains(&token), "the token is echoed");
    }
    let roles = s.home.parent().unwrap().join("roles.json");
    std::fs::write(&roles, r#"{"roles_claim": "roles"}"#).unwrap();
    let o = verify(
        &s,
        &token,
        &[
            "--scopes-claim",
            "permissions",
            "--roles-file",
            roles.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("JWTMiddleware added by hand"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn audience_shapes_name_the_provider_fix() {
    let s = setup();
    check(
        &s,
        json!({"iss": "https://cognito-idp.eu-west-1.amazonaws.com/p", "sub": "s", "client_id": "app1", "scopes": ["agents:read"]}),
        &["--aud", "os"],
        10,
        &[
            "Cognito access token: no aud at all",
            "audience_claim=\"client_id\", audience=\"app1\"",
        ],
    );
    check(
        &s,
        json!({"iss": "https://kc.example/realms/acme", "sub": "s", "aud": "account", "azp": "agentos", "scopes": ["agents:read"]}),
        &["--aud", "os"],
        10,
        &["Keycloak's default aud [\"account\"]", "Audience mapper"],
    );
    check(
        &s,
        json!({"iss": "https://idp.example", "sub": "s", "azp": "web", "scopes": ["agents:read"]}),
        &["--aud", "os"],
        10,
        &["no aud, only the client in azp"],
    );
    // A list aud passes on any match.
    check(
        &s,
        json!({"iss": "https://t.auth0.com/", "sub": "s", "aud": ["https://api", "os"], "scopes": ["agents:read"]}),
        &["--aud", "os"],
        0,
        &[],
    );
}

/// A PS256 token, and a token whose kid a JWKS file lacks: the provider setting, the sync.
#[test]
fn algorithm_and_rotated_key() {
    let s = setup();
    let claims =
        json!({"iss": "https://kc.example/realms/acme", "sub": "s", "scopes": ["agents:read"]});
    // The alg is refused before any signature is checked: PS256 in the header is enough.
    let t = sign(&s.key, json!({"alg": "PS256", "kid": "k"}), claims.clone());
    let o = verify(&s, &t, &[]);
    assert_eq!(o.status.code(), Some(10), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("The specified alg value is not allowed"),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("Realm settings > Tokens > Default signature algorithm RS256"),
        "{}",
        stderr(&o)
    );

    let rsa = Key::generate(Alg::RS256, 2048).unwrap();
    let jwks = s.home.parent().unwrap().join("jwks.json");
    let jwk = serde_json::to_value(rsa.public_jwk(Some("old")).unwrap()).unwrap();
    std::fs::write(&jwks, json!({"keys": [jwk]}).to_string()).unwrap();
    let t = sign(&rsa, json!({"alg": "RS256", "kid": "new"}), claims);
    let o = bin_at(&s.home)
        .args([
            "verify",
            &t,
            "--jwks",
            jwks.to_str().unwrap(),
            "--alg",
            "RS256",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(10), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("No verification keys configured"), "{err}");
    assert!(
        err.contains("provider's key rotation")
            && err.contains("agentos-auth jwks sync --from https://kc.example/realms/acme --jwks FILE` and restart AgentOS"),
        "{err}"
    );
}

/// `inspect` names the provider and each shape (text and --json); a token of this tool's
/// own shape gets neither.
#[test]
fn inspect_names_the_provider_and_the_shapes() {
    let s = setup();
    let t = mint(
        &s,
        json!({"iss": "https://dev-1.okta.com/oauth2/default", "sub": "u", "cid": "c", "scp": ["agents:read"]}),
    );
    let o = bin_at(&s.home).args(["inspect", &t]).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("provider: Okta (docs/providers/okta.md)"),
        "{out}"
    );
    assert!(
        out.contains("shapes:\n  scp: Okta scp (a list of granted scopes)"),
        "{out}"
    );
    let o = bin_at(&s.home)
        .args(["inspect", &t, "--json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["provider"], "Okta");
    assert_eq!(v["shapes"][0]["claim"], "scp");
    assert_eq!(v["shapes"][0]["setting"], "scopes_claim=\"scp\"");
    let own = mint(&s, json!({"sub": "u", "scopes": ["agents:read"]}));
    let o = bin_at(&s.home).args(["inspect", &own]).output().unwrap();
    assert!(
        !stdout(&o).contains("provider:") && !stdout(&o).contains("shapes:"),
        "{}",
        stdout(&o)
    );
}

/// `doctor --token` takes the same switches and names the same shape.
#[test]
fn doctor_takes_the_switches() {
    let s = setup();
    let t = mint(
        &s,
        json!({"iss": "https://acme.eu.auth0.com/", "sub": "auth0|1", "permissions": ["agents:read"]}),
    );
    let secret = s.key.secret().unwrap().to_string();
    let doctor = |args: &[&str]| {
        bin_at(&s.home)
            .env("JWT_VERIFICATION_KEY", &secret)
            .args([
                "doctor",
                "--alg",
                "HS256",
                "--token",
                &t,
                "--request",
                "GET /agents",
            ])
            .args(args)
            .output()
            .unwrap()
    };
    let o = doctor(&[]);
    assert_eq!(o.status.code(), Some(11), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("Auth0 RBAC / WorkOS permissions (a list) in permissions"),
        "{}",
        stderr(&o)
    );
    let o = doctor(&["--scopes-claim", "permissions"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = doctor(&["--scopes-claim", "permissions", "--token-source", "cookie"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// Names taken from the token (a Keycloak client id, an issuer, an algorithm) reach the
/// terminal escaped: one line, no control character.
#[test]
fn token_text_in_a_shape_is_escaped() {
    let s = setup();
    let t = mint(
        &s,
        json!({"iss": "https://kc/realms/x", "sub": "u", "resource_access": {"a\nb\u{1b}[2J": {"roles": ["x"]}}}),
    );
    let o = verify(&s, &t, &[]);
    assert_eq!(o.status.code(), Some(11), "{}", stderr(&o));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(!err.contains('\u{1b}'), "{err}");
    assert!(
        err.contains("resource_access.a\\nb\\u{1b}[2J.roles"),
        "{err}"
    );
    let o = bin_at(&s.home).args(["inspect", &t]).output().unwrap();
    assert!(!stdout(&o).contains('\u{1b}'), "{}", stdout(&o));
}
