//! Issue 22, item 2, against real agno: tokens with each identity provider's documented
//! claims (Auth0, Okta, Entra ID delegated and app, Keycloak, Cognito, WorkOS, a generic
//! OpenID provider), sent to real AgentOS apps with the manual
//! `app.add_middleware(JWTMiddleware, ...)` in each configuration (AgentOS's defaults,
//! `scopes_claim`, `user_id_claim`, `token_source` cookie and both with `cookie_name`),
//! under TestClient, cell by cell against `verify` with the same switches: status and
//! `detail` must agree on every cell. agno 3.1.10 (the interop venv), and, sampled, the
//! configurations where a switch's outcome differs by release on 2.6.22 (no reserved
//! principals on the user id claim before 2.7.0; the switches themselves read the same on
//! every modelled release).

use std::path::Path;

use crate::common::{bin, harness_with, release_python, venv_python, write};
use agentos_auth::agentos::deployment::parse_openapi;
use agentos_auth::keys::{Alg, Key};
use agentos_auth::token;
use serde_json::{json, Value};

/// Provider-shaped claims (each provider's documented access-token claims; `exp` added).
fn tokens() -> Vec<(&'static str, Value)> {
    vec![
        (
            "auth0 rbac",
            json!({"iss": "https://acme.eu.auth0.com/", "sub": "auth0|1", "aud": ["https://api.acme", "https://acme.eu.auth0.com/userinfo"], "azp": "c1", "scope": "openid profile agents:read", "permissions": ["agents:read", "config:read"]}),
        ),
        (
            "okta",
            json!({"iss": "https://acme.okta.com/oauth2/default", "sub": "u@acme.com", "aud": "api://default", "cid": "c1", "uid": "00u1", "scp": ["agents:read"]}),
        ),
        (
            "entra delegated",
            json!({"iss": "https://login.microsoftonline.com/t1/v2.0", "sub": "pairwise", "oid": "o1", "tid": "t1", "aud": "api://agentos", "azp": "c1", "scp": "agents:read config:read"}),
        ),
        (
            "entra app",
            json!({"iss": "https://login.microsoftonline.com/t1/v2.0", "sub": "o2", "oid": "o2", "tid": "t1", "aud": "api://agentos", "azp": "c2", "roles": ["agents:read"]}),
        ),
        (
            "keycloak",
            json!({"iss": "https://kc.acme/realms/acme", "sub": "k1", "aud": "account", "azp": "agentos", "scope": "openid profile", "realm_access": {"roles": ["agents:read"]}, "resource_access": {"agentos": {"roles": ["runner"]}}}),
        ),
        (
            "cognito",
            json!({"iss": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_x", "sub": "g1", "client_id": "app1", "token_use": "access", "scope": "agents/read", "cognito:groups": ["agents:read"], "username": "g1"}),
        ),
        (
            "workos",
            json!({"iss": "https://api.workos.com/user_management/client_1", "sub": "user_1", "sid": "s1", "org_id": "org_1", "role": "member", "permissions": ["agents:read"]}),
        ),
        (
            "cognito groups",
            json!({"iss": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_x", "sub": "g2", "client_id": "app1", "token_use": "access", "scope": "openid", "cognito:groups": ["readers", "staff"]}),
        ),
        (
            "generic single scope",
            json!({"iss": "https://idp.test", "sub": "g", "scope": "agents:read"}),
        ),
        (
            "reserved oid",
            json!({"iss": "https://login.microsoftonline.com/t1/v2.0", "sub": "s", "oid": "sa:robot", "tid": "t1", "roles": ["agents:read"]}),
        ),
        (
            "no sub",
            json!({"iss": "https://idp.test", "client_id": "svc", "permissions": ["agents:read"], "scp": ["agents:read"], "roles": ["agents:read"]}),
        ),
    ]
}

/// A JWTMiddleware configuration: its kwargs, verify's flags, and where the requests put
/// the token (`--sent-in` values).
struct App {
    middleware: Value,
    flags: &'static [&'static str],
    sent_in: &'static [&'static str],
}

fn apps() -> Vec<App> {
    vec![
        App {
            middleware: json!({}),
            flags: &[],
            sent_in: &["header", "cookie:access_token"],
        },
        App {
            middleware: json!({"scopes_claim": "permissions"}),
            flags: &["--scopes-claim", "permissions"],
            sent_in: &["header"],
        },
        App {
            middleware: json!({"scopes_claim": "scp"}),
            flags: &["--scopes-claim", "scp"],
            sent_in: &["header"],
        },
        App {
            middleware: json!({"scopes_claim": "roles", "user_id_claim": "oid"}),
            flags: &["--scopes-claim", "roles", "--user-id-claim", "oid"],
            sent_in: &["header"],
        },
        App {
            middleware: json!({"scopes_claim": "scope", "token_source": "cookie"}),
            flags: &["--scopes-claim", "scope", "--token-source", "cookie"],
            sent_in: &["header", "cookie:access_token", "cookie:session"],
        },
        App {
            middleware: json!({"scopes_claim": "cognito:groups", "token_source": "both", "cookie_name": "session"}),
            flags: &[
                "--scopes-claim",
                "cognito:groups",
                "--token-source",
                "both",
                "--cookie-name",
                "session",
            ],
            sent_in: &["header", "cookie:access_token", "cookie:session"],
        },
    ]
}

/// Sends every token to every app of `python`'s agno, and `verify --agno version` with the
/// same switches; returns (cells, disagreements).
fn compare(
    python: &Path,
    version: &str,
    apps: &[App],
    paths: &[&str],
    dir: &Path,
    seen: &mut std::collections::BTreeSet<String>,
) -> (usize, Vec<String>) {
    let key = Key::generate(Alg::HS256, 0).unwrap();
    let secret = key.secret().unwrap().to_string();
    let secret_file = write(dir, &format!("hs-{version}.secret"), &secret);
    std::fs::set_permissions(
        &secret_file,
        std::os::unix::fs::PermissionsExt::from_mode(0o600),
    )
    .unwrap();
    let exp = agentos_auth::time::now() + 3600;
    let signed: Vec<(&str, String)> = tokens()
        .into_iter()
        .map(|(name, mut c)| {
            c["exp"] = json!(exp);
            let (Value::Object(h), Value::Object(c)) = (json!({"alg": "HS256", "typ": "JWT"}), c)
            else {
                unreachable!()
            };
            (name, token::encode(&h, &c, &key.signer().unwrap()).unwrap())
        })
        .collect();
    // One document per app; the requests in (token, sent_in, path) order.
    let docs: Vec<Value> = apps
        .iter()
        .map(|app| {
            let mut requests = Vec::new();
            for (_, t) in &signed {
                for sent in app.sent_in {
                    for path in paths {
                        let headers = match sent.strip_prefix("cookie:") {
                            Some(name) => json!({"Cookie": format!("{name}={t}")}),
                            None => json!({"Authorization": format!("Bearer {t}")}),
                        };
                        requests.push(json!({"method": "GET", "path": path, "headers": headers}));
                    }
                }
            }
            json!({"mode": "agentos", "config": {"authorization": false, "algorithm": "HS256",
                   "verification_keys": [secret], "middleware": app.middleware}, "requests": requests})
        })
        .collect();
    let answers = harness_with(python, &Value::Array(docs));
    let mut cells = 0;
    let mut wrong = Vec::new();
    for (app, answer) in apps.iter().zip(answers.as_array().unwrap()) {
        assert!(
            answer["startup_error"].is_null(),
            "{version} {}: {answer}",
            app.middleware
        );
        let mut responses = answer["responses"].as_array().unwrap().iter();
        for (name, t) in &signed {
            for sent in app.sent_in {
                for path in paths {
                    let real = responses.next().unwrap();
                    let o = bin()
                        .args(["--home", dir.join("home").to_str().unwrap()])
                        .args(["verify", t, "--json", "--agno", version, "--key"])
                        .arg(&secret_file)
                        .args(["--request", &format!("GET {path}"), "--sent-in", sent])
                        .args(app.flags)
                        .output()
                        .unwrap();
                    let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|_| {
                        panic!(
                            "verify printed no JSON: {}",
                            String::from_utf8_lossy(&o.stderr)
                        )
                    });
                    cells += 1;
                    seen.insert(real["status"].to_string());
                    if v["status"] != real["status"] || v["detail"] != real["detail"] {
                        wrong.push(format!(
                            "agno {version} {} {name} in {sent} GET {path}: real {} {}, verify {} {}",
                            app.middleware, real["status"], real["detail"], v["status"], v["detail"]
                        ));
                    }
                }
            }
        }
    }
    (cells, wrong)
}

#[test]
fn verify_agrees_with_real_jwt_middleware_on_provider_tokens() {
    let t = tempfile::tempdir().unwrap();
    let mut seen = std::collections::BTreeSet::new();
    let (cells, mut wrong) = compare(
        &venv_python(),
        "3.1.10",
        &apps(),
        &["/agents", "/config"],
        t.path(),
        &mut seen,
    );
    // An older release, sampled: the switch whose outcome a release changes (reserved
    // principals on the user id claim, 2.7.0 on), with a cookie configuration.
    let older: Vec<App> = apps()
        .into_iter()
        .filter(|a| a.flags.contains(&"--user-id-claim") || a.flags.contains(&"cognito:groups"))
        .collect();
    let (older_cells, older_wrong) = compare(
        &release_python("2.6.22"),
        "2.6.22",
        &older,
        &["/agents"],
        t.path(),
        &mut seen,
    );
    let total = cells + older_cells;
    wrong.extend(older_wrong);
    eprintln!(
        "provider shapes: {total} cells, {} disagreements",
        wrong.len()
    );
    assert!(total >= 250, "{total} cells");
    // The table is not one answer: the real apps let some cells through and refuse others
    // both ways.
    assert_eq!(seen.into_iter().collect::<Vec<_>>(), ["200", "401", "403"]);
    assert!(
        wrong.is_empty(),
        "{} of {total} cells disagree:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

/// agno 3.1's `Authorization(roles_claim=...)` (a real role store on SQLite, through the
/// roles harness) against `verify --roles-file` with that `roles_claim`: WorkOS's `role`,
/// a single string, mapped by `define_role` (a list claim: tests/interop/roles.rs). One
/// app: a role store's start is the slow part.
#[test]
fn verify_agrees_with_real_roles_claim_on_provider_tokens() {
    let t = tempfile::tempdir().unwrap();
    let key = Key::generate(Alg::HS256, 0).unwrap();
    let secret = key.secret().unwrap().to_string();
    let secret_file = write(t.path(), "hs.secret", &secret);
    std::fs::set_permissions(
        &secret_file,
        std::os::unix::fs::PermissionsExt::from_mode(0o600),
    )
    .unwrap();
    let files = [
        json!({"roles_claim": "role", "roles": {"member": {"scopes": ["agents:read", "config:read"]}}}),
    ];
    let exp = agentos_auth::time::now() + 3600;
    let claims: Vec<(&str, Value)> = tokens()
        .into_iter()
        .map(|(n, mut c)| {
            c["exp"] = json!(exp);
            (n, c)
        })
        .collect();
    let openapi = t.path().join("openapi.json");
    let docs: Vec<Value> = files
        .iter()
        .enumerate()
        .map(|(i, file)| {
            let requests: Vec<Value> = claims
                .iter()
                .flat_map(|(_, c)| {
                    ["/agents", "/config"].map(|p| json!({"method": "GET", "path": p, "claims": c}))
                })
                .collect();
            json!({"mode": "roles", "secret": secret, "roles": file, "requests": requests,
                   "openapi": if i == 0 { Value::from(openapi.to_str().unwrap()) } else { Value::Null }})
        })
        .collect();
    let answers = harness_with(&venv_python(), &Value::Array(docs));
    // The routes the app mounts (--routes, as for a real server): a readable document.
    parse_openapi(&std::fs::read_to_string(&openapi).unwrap(), "openapi").unwrap();
    let (mut cells, mut wrong) = (0, Vec::new());
    let mut seen = std::collections::BTreeSet::new();
    for (i, (file, answer)) in files.iter().zip(answers.as_array().unwrap()).enumerate() {
        assert!(answer["startup_error"].is_null(), "{file}: {answer}");
        let roles_file = write(t.path(), &format!("roles{i}.json"), &file.to_string());
        let mut responses = answer["responses"].as_array().unwrap().iter();
        for (name, _) in &claims {
            for path in ["/agents", "/config"] {
                let real = responses.next().unwrap();
                let token = real["token"].as_str().unwrap();
                let o = bin()
                    .args(["--home", t.path().join("home").to_str().unwrap()])
                    .args(["verify", token, "--json", "--key"])
                    .arg(&secret_file)
                    .arg("--roles-file")
                    .arg(&roles_file)
                    .arg("--routes")
                    .arg(&openapi)
                    .args(["--request", &format!("GET {path}")])
                    .output()
                    .unwrap();
                let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|_| {
                    panic!(
                        "verify printed no JSON: {}",
                        String::from_utf8_lossy(&o.stderr)
                    )
                });
                cells += 1;
                seen.insert(real["status"].to_string());
                if v["status"] != real["status"] || v["detail"] != real["detail"] {
                    wrong.push(format!(
                        "roles_claim {} {name} GET {path}: real {} {}, verify {} {}",
                        file["roles_claim"],
                        real["status"],
                        real["detail"],
                        v["status"],
                        v["detail"]
                    ));
                }
            }
        }
    }
    eprintln!(
        "provider roles_claim: {cells} cells, {} disagreements",
        wrong.len()
    );
    // Roles let some tokens through and refuse the rest.
    assert_eq!(seen.into_iter().collect::<Vec<_>>(), ["200", "403"]);
    assert!(
        wrong.is_empty(),
        "{} of {cells} cells disagree:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
