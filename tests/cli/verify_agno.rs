//! `--agno`, `--routes`, `--scope-mappings`, `--no-authorization`, `--no-token`,
//! `--body` and the `agno_version` / `scope_mappings` settings, from the outside.
//! (Agreement with every real agno release is `tests/interop/matrix.rs`.)

use crate::common;

use agentos_auth::keys::{Alg, Key};
use agentos_auth::token;
use common::{assert_one_line_error, assert_one_line_stderr, bin, write};
use serde_json::{json, Value};

fn key() -> &'static Key {
    static KEY: std::sync::OnceLock<Key> = std::sync::OnceLock::new();
    KEY.get_or_init(|| Key::generate(Alg::HS256, 0).unwrap())
}

fn hs_token(claims: Value) -> String {
    let key = key();
    let Value::Object(c) = claims else { panic!() };
    let Value::Object(h) = json!({"alg": "HS256", "typ": "JWT"}) else {
        panic!()
    };
    token::encode(&h, &c, &key.signer().unwrap()).unwrap()
}

fn claims(scopes: &[&str]) -> Value {
    let now = agentos_auth::time::now();
    json!({"sub": "alice", "iat": now, "exp": now + 3600, "scopes": scopes})
}

fn verify(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    let key = write(dir, "secret", key().secret().unwrap());
    bin()
        .args(["verify", "--alg", "HS256", "--key"])
        .arg(key)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn agno_versions_pick_their_rules() {
    let dir = tempfile::tempdir().unwrap();
    let t = hs_token(claims(&[]));
    // 2.3.13: any id-less request of a family passes (substring match).
    let o = verify(
        dir.path(),
        &[
            "--agno",
            "2.3.13",
            "--request",
            "DELETE /memories/agents",
            &t,
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = verify(
        dir.path(),
        &["--agno", "2.3.13", "--request", "GET /sessions", &t],
    );
    assert_one_line_error(&o, 11, "\"Insufficient permissions\"");
    let o = verify(dir.path(), &["--request", "GET /sessions", &t]);
    assert_one_line_error(&o, 11, "Required scope(s): sessions:read");
    // Between two profiles: the older; newer than the newest: the newest, said once.
    let o = verify(
        dir.path(),
        &["--agno", "3.9.0", "--request", "GET /health", &t],
    );
    assert_eq!(o.status.code(), Some(0));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(
        err.matches("newer than the newest modelled").count(),
        1,
        "{err}"
    );
    let o = verify(dir.path(), &["--agno", "1.8.0", &t]);
    assert_one_line_error(&o, 1, "older than every modelled release");
    let o = verify(dir.path(), &["--agno", "latest", &t]);
    assert_one_line_error(&o, 1, "invalid agno version");
}

#[test]
fn no_token_routes_and_modes() {
    let dir = tempfile::tempdir().unwrap();
    let o = verify(dir.path(), &["--no-token", "--request", "GET /agents"]);
    assert_one_line_error(&o, 10, "Authorization header missing");
    let o = verify(
        dir.path(),
        &["--no-token", "--request", "GET /health", "--json"],
    );
    assert_eq!(o.status.code(), Some(0));
    let openapi = write(
        dir.path(),
        "openapi.json",
        r#"{"paths": {"/agents": {"get": {}}, "/sessions": {"get": {}}}}"#,
    );
    let t = hs_token(claims(&["agent_os:admin"]));
    let routes = openapi.to_str().unwrap();
    let o = verify(
        dir.path(),
        &["--routes", routes, "--request", "GET /agnets", &t],
    );
    assert_one_line_error(&o, 12, "Not Found");
    let o = verify(
        dir.path(),
        &["--routes", routes, "--request", "GET /agents", &t],
    );
    assert_eq!(o.status.code(), Some(0));
    let bad = write(dir.path(), "bad.json", "[1]");
    let o = verify(dir.path(), &["--routes", bad.to_str().unwrap(), &t]);
    assert_one_line_error(&o, 1, "not an OpenAPI document");
    // authorization=False: validated, no scope check.
    let t = hs_token(claims(&[]));
    let o = verify(
        dir.path(),
        &["--no-authorization", "--request", "GET /sessions", &t],
    );
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn custom_scope_mappings_and_settings() {
    let dir = tempfile::tempdir().unwrap();
    let m = write(
        dir.path(),
        "mappings.json",
        r#"{"POST /custom/run": ["custom:run"], "GET /sessions": []}"#,
    );
    let mp = m.to_str().unwrap();
    let t = hs_token(claims(&["agents:read"]));
    let o = verify(
        dir.path(),
        &["--scope-mappings", mp, "--request", "POST /custom/run", &t],
    );
    assert_one_line_error(&o, 11, "custom:run");
    let o = verify(
        dir.path(),
        &["--scope-mappings", mp, "--request", "GET /sessions", &t],
    );
    assert_eq!(o.status.code(), Some(0));
    let bad = write(dir.path(), "bad-mappings.json", r#"{"custom": ["x"]}"#);
    let o = verify(dir.path(), &["--scope-mappings", bad.to_str().unwrap(), &t]);
    assert_one_line_error(&o, 1, "is not \"METHOD /path\"");

    // mint knows the custom scope only with the mappings (flag or store setting).
    let home = dir.path().join("home");
    let o = bin()
        .args([
            "--home",
            home.to_str().unwrap(),
            "keygen",
            "--alg",
            "HS256",
            "--aud",
            "os",
            "--sub",
            "alice",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mint = |extra: &[&str]| {
        bin()
            .args([
                "--home",
                home.to_str().unwrap(),
                "mint",
                "--scopes",
                "custom:run",
            ])
            .args(extra)
            .output()
            .unwrap()
    };
    assert_one_line_stderr(&mint(&[]), 1, "unknown scope \"custom:run\"");
    assert!(mint(&["--scope-mappings", mp]).status.success());
    let settings = home.join("settings.json");
    let mut s: Value = serde_json::from_str(&std::fs::read_to_string(&settings).unwrap()).unwrap();
    s["scope_mappings"] = json!(mp);
    s["agno_version"] = json!("2.3.13");
    std::fs::write(&settings, s.to_string()).unwrap();
    assert!(mint(&[]).status.success());
    // scopes follows the stored version.
    let o = bin()
        .args(["--home", home.to_str().unwrap(), "scopes", "--json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["agno_version"], "2.3.13");
    assert!(v["routes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["path"] == "/custom/run"));
}

#[test]
fn body_gates() {
    let dir = tempfile::tempdir().unwrap();
    let t = hs_token(claims(&["evals:write", "agents:my-agent:run"]));
    let o = verify(
        dir.path(),
        &[
            "--request",
            "POST /eval-runs",
            "--body",
            r#"{"agent_id": "other"}"#,
            &t,
        ],
    );
    assert_one_line_error(&o, 11, "Access denied to run this agent");
    let o = verify(
        dir.path(),
        &[
            "--request",
            "POST /eval-runs",
            "--body",
            r#"{"agent_id": "my-agent"}"#,
            &t,
        ],
    );
    assert_eq!(o.status.code(), Some(0));
    let o = verify(dir.path(), &["--request", "POST /eval-runs", "--json", &t]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["notes"].to_string().contains("checks its body"), "{v}");
    let o = verify(
        dir.path(),
        &["--request", "POST /eval-runs", "--body", "{nope", &t],
    );
    assert_one_line_error(&o, 1, "--body: not JSON");
    let t = hs_token(claims(&["schedules:write"]));
    let body = write(
        dir.path(),
        "body.json",
        r#"{"endpoint": "/sessions", "method": "GET"}"#,
    );
    let at = format!("@{}", body.display());
    let o = verify(
        dir.path(),
        &["--request", "POST /schedules", "--body", &at, &t],
    );
    assert_one_line_error(&o, 11, "Only admins can schedule");
}
