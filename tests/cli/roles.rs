//! The roles features on the command line: `mint --roles`, `scopes --role/--subject/--save`,
//! `verify`/`doctor --roles-file`, the key store's roles.json, service-account tokens.

use crate::common;

use std::path::Path;

use common::{assert_one_line_error, bin, write};
use serde_json::{json, Value};

const ROLES: &str = r#"{
  "roles": {
    "admin": {"scopes": ["agent_os:admin"]},
    "viewer": {"scopes": ["agents:*:read"], "default": true},
    "runner": {"scopes": ["agents:*:read", "agents:*:run"], "deny": ["agents:secret:run"]}
  },
  "assignments": {"carol": ["runner"]},
  "roles_claim": "role",
  "trust_token_scopes": false,
  "admin_scope": null,
  "excluded_route_paths": []
}"#;

fn store(dir: &Path) -> std::path::PathBuf {
    let home = dir.join("home");
    bin()
        .args(["--home"])
        .arg(&home)
        .args(["keygen", "--alg", "HS256", "--aud", "os1", "-q"])
        .assert()
        .success();
    home
}

fn claims_of(stdout: &[u8]) -> Value {
    let v: Value = serde_json::from_slice(stdout).unwrap();
    v["claims"].clone()
}

#[test]
fn mint_puts_roles_in_the_claim_the_server_reads() {
    let dir = tempfile::tempdir().unwrap();
    let home = store(dir.path());
    let mint = |args: &[&str]| {
        bin()
            .arg("--home")
            .arg(&home)
            .args(["mint", "--sub", "carol", "--json"])
            .args(args)
            .output()
            .unwrap()
    };
    let o = mint(&["--roles", "runner,viewer"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let c = claims_of(&o.stdout);
    assert_eq!(c["roles"], json!(["runner", "viewer"]));
    assert!(c.get("scopes").is_none(), "roles alone need no scopes: {c}");

    let c = claims_of(&mint(&["--roles", "member", "--roles-claim", "role"]).stdout);
    assert_eq!(
        c["role"],
        json!("member"),
        "one role under `role` is a string"
    );
    let c = claims_of(&mint(&["--roles", "a", "--roles", "b", "--roles-claim", "role"]).stdout);
    assert_eq!(c["role"], json!(["a", "b"]));

    assert_one_line_error(&mint(&["--roles", "a b"]), 1, "not a role name");
    assert_one_line_error(
        &mint(&["--roles", "x", "--roles-claim", "exp"]),
        1,
        "registered claim",
    );
    assert_one_line_error(&mint(&["--claim", "roles=[]"]), 1, "empty list is ignored");
    assert_one_line_error(&mint(&[]), 1, "--roles");

    // Batch: a line's roles claim is checked like the flag's.
    let o = bin()
        .arg("--home")
        .arg(&home)
        .args(["mint", "--batch", "-", "--roles", "viewer"])
        .write_stdin("{\"sub\":\"u1\"}\n{\"sub\":\"u2\",\"roles\":[\"runner\"]}\n")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let lines: Vec<&str> = std::str::from_utf8(&o.stdout).unwrap().lines().collect();
    assert_eq!(lines.len(), 2);
    let o = bin()
        .arg("--home")
        .arg(&home)
        .args(["mint", "--batch", "-"])
        .write_stdin("{\"sub\":\"u1\",\"roles\":[5]}\n")
        .output()
        .unwrap();
    assert_one_line_error(&o, 1, "line 1");
}

#[test]
fn scopes_of_a_role_and_a_subject_and_the_stored_file() {
    let dir = tempfile::tempdir().unwrap();
    let home = store(dir.path());
    let file = write(dir.path(), "roles.json", ROLES);
    let scopes = |args: &[&str]| {
        bin()
            .arg("--home")
            .arg(&home)
            .arg("scopes")
            .args(args)
            .output()
            .unwrap()
    };
    let f = file.to_str().unwrap();
    let o = scopes(&["--roles-file", f, "--role", "runner"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("allow: agents:read agents:run"), "{out}");
    assert!(out.contains("deny:  agents:secret:run"), "{out}");
    let o = scopes(&["--roles-file", f, "--subject", "dave", "--json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["effective"]["roles"], json!([]), "{v}");
    assert!(v["effective"]["via"]
        .as_str()
        .unwrap()
        .contains("directory"));
    assert_one_line_error(
        &scopes(&["--roles-file", f, "--role", "nosuch"]),
        1,
        "runner",
    );

    // --save: roles.json in the store, and its roles_claim becomes mint's default.
    assert!(scopes(&["--roles-file", f, "--save"]).status.success());
    assert!(home.join("roles.json").exists());
    let o = scopes(&["--subject", "carol"]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("runner"));
    let o = bin()
        .arg("--home")
        .arg(&home)
        .args(["mint", "--sub", "carol", "--roles", "runner", "--json"])
        .output()
        .unwrap();
    assert_eq!(claims_of(&o.stdout)["role"], json!("runner"));

    // --preset role:NAME: the stored role's allowed scopes; a deny cannot be a scope.
    let preset = |role: &str| {
        bin()
            .arg("--home")
            .arg(&home)
            .args(["mint", "--sub", "u", "--json", "--preset", role])
            .output()
            .unwrap()
    };
    let o = preset("role:viewer");
    assert_eq!(claims_of(&o.stdout)["scopes"], json!(["agents:read"]));
    assert_one_line_error(&preset("role:runner"), 1, "denies agents:secret:run");
    assert_one_line_error(&preset("role:nosuch"), 1, "no such role");
}

#[test]
fn verify_and_doctor_decide_with_the_roles() {
    let dir = tempfile::tempdir().unwrap();
    let home = store(dir.path());
    let file = write(dir.path(), "roles.json", ROLES);
    let secret = std::fs::read_dir(home.join("keys"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with(".secret"))
        .expect("the store's HS256 secret");
    let mint = |args: &[&str]| {
        let o = bin()
            .arg("--home")
            .arg(&home)
            .args(["mint", "--roles-claim", "role"])
            .args(args)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap().trim().to_string()
    };
    let verify = |token: &str, request: &str, extra: &[&str]| {
        bin()
            .arg("--home")
            .arg(&home)
            .args(["verify", token, "--aud", "os1", "--alg", "HS256", "--key"])
            .arg(&secret)
            .args(["--request", request])
            .args(extra)
            .output()
            .unwrap()
    };
    let f = file.to_str().unwrap();
    let carol = mint(&["--sub", "carol", "--scopes", "agents:read"]);
    let o = verify(&carol, "POST /agents/a1/runs", &["--roles-file", f]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("\"runner\""));
    let o = verify(&carol, "POST /agents/secret/runs", &["--roles-file", f]);
    assert_one_line_error(&o, 11, "denies");
    // Without the roles, the token's scopes decide.
    let o = verify(&carol, "POST /agents/a1/runs", &[]);
    assert_one_line_error(&o, 11, "agents:run");

    let token_role = mint(&["--sub", "x", "--roles", "admin"]);
    let o = verify(&token_role, "GET /config", &["--roles-file", f, "--json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["status"], json!(200), "{v}");
    // A server with managed roles mounts their admin API, though the default app's route
    // list (no --routes) has no /authz.
    let o = verify(&token_role, "GET /authz/roles", &["--roles-file", f]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let viewer = mint(&["--sub", "x", "--roles", "viewer"]);
    let o = verify(&viewer, "GET /authz/roles", &["--roles-file", f]);
    assert_one_line_error(&o, 11, "Admin privileges required");

    // The store's roles.json is used by default, --no-roles ignores it.
    std::fs::copy(&file, home.join("roles.json")).unwrap();
    let o = verify(&carol, "POST /agents/a1/runs", &[]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("roles.json"));
    assert_eq!(
        verify(&carol, "POST /agents/a1/runs", &["--no-roles"])
            .status
            .code(),
        Some(11)
    );

    // doctor: remarks on the file; a broken file is an error finding.
    let o = bin()
        .arg("--home")
        .arg(&home)
        .args(["doctor", "--json", "--roles-file", f])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let text = v["findings"].to_string();
    assert!(text.contains("applies only to directory users"), "{text}");
    let bad = write(
        dir.path(),
        "bad.json",
        r#"{"roles": {"r": {"scopes": ["agents:*:*"]}}}"#,
    );
    let o = bin()
        .arg("--home")
        .arg(&home)
        .args(["doctor", "--json", "--roles-file"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("Action wildcard"));
    let o = verify(
        &carol,
        "GET /agents",
        &["--roles-file", bad.to_str().unwrap()],
    );
    assert_one_line_error(&o, 1, "bad.json");
}

#[test]
fn service_account_tokens_are_recognised_and_never_echoed() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "roles.json", ROLES);
    let key = write(dir.path(), "hs.secret", "secret-secret-secret-secret-123");
    let pat = "agno_pat_SECRETSECRETSECRET9z8y";
    let o = bin().args(["inspect", pat]).output().unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success() && out.contains("agno_pat_…9z8y") && out.contains("database"),
        "{out}"
    );
    assert!(!out.contains("SECRETSECRET"));
    let o = bin()
        .args(["verify", pat, "--alg", "HS256", "--key"])
        .arg(&key)
        .arg("--roles-file")
        .arg(&file)
        .args(["--request", "GET /agents"])
        .output()
        .unwrap();
    assert_one_line_error(&o, 1, "own database");
    assert!(!String::from_utf8_lossy(&o.stderr).contains("SECRETSECRET"));
}

#[test]
fn bad_roles_files_are_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let key = write(dir.path(), "hs.secret", "secret-secret-secret-secret-123");
    for (doc, needle) in [
        (
            r#"{"roles": {"a": {"deny": ["agent_os:admin"]}}}"#,
            "deny on agent_os:admin",
        ),
        (
            r#"{"roles": {"a": {"scopes": ["agent_os:admin"], "default": true}}}"#,
            "default",
        ),
        (r#"{"rolez": {}}"#, "unknown field"),
        (r#"not json"#, "not a roles file"),
        (r#"{"excluded_route_paths": ["/a?"]}"#, "wildcards"),
        (r#"{"admin_scope": "agents:read"}"#, "routes require"),
    ] {
        let file = write(dir.path(), "r.json", doc);
        let o = bin()
            .args(["verify", "a.b.c", "--alg", "HS256", "--key"])
            .arg(&key)
            .arg("--roles-file")
            .arg(&file)
            .output()
            .unwrap();
        assert_one_line_error(&o, 1, needle);
    }
}
