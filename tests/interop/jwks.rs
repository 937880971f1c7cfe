//! JWKS rotation against the real AgentOS (agno under Starlette's TestClient): key
//! choice by kid from a JWKS file. Needs the venv from `.ci/setup-venv`: without it
//! these tests fail, they never skip.

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};

use agentos_auth::token;
use common::{bin, bin_at, harness};
use serde_json::{json, Value};

const OS_ID: &str = "test-os";
const NO_KEY: &str = "Invalid token: No verification keys configured";
const WRONG_ALG: &str = "Invalid token: The specified alg value is not allowed";

fn run_ok(cmd: &mut assert_cmd::Command) -> String {
    let o = cmd.output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

/// A token for GET /agents, and its header kid (always present when signing from a
/// ring). `cmd` already holds `mint` and its key flags.
fn mint(cmd: &mut assert_cmd::Command) -> (String, String) {
    let t = run_ok(cmd.args(["--aud", OS_ID, "--scopes", "agents:read"]))
        .trim()
        .to_string();
    let kid = token::decode(&t).unwrap().header["kid"]
        .as_str()
        .expect("minted token carries a kid")
        .to_string();
    (t, kid)
}

/// A frozen copy of the JWKS as it is now (the harness caches apps per config, so
/// each state gets its own path).
fn snapshot(jwks: &Path, name: &str) -> PathBuf {
    let to = jwks.with_file_name(name);
    fs::copy(jwks, &to).unwrap();
    to
}

/// One AgentOS per (config, tokens): GET /agents with each token; (status, detail).
fn case(alg: &str, jwks_file: &Path, tokens: &[&str]) -> Value {
    json!({
        "mode": "agentos",
        "config": {"algorithm": alg, "jwks_file": jwks_file, "verify_audience": true, "os_id": OS_ID},
        "requests": tokens.iter().map(|t| json!({"method": "GET", "path": "/agents", "token": t})).collect::<Vec<_>>(),
    })
}

fn outcomes(answer: &Value) -> Vec<(i64, String)> {
    assert_eq!(answer["startup_error"], Value::Null, "{answer}");
    answer["responses"]
        .as_array()
        .unwrap_or_else(|| panic!("harness answered {answer}"))
        .iter()
        .map(|r| {
            (
                r["status"].as_i64().unwrap(),
                r["detail"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn ok200() -> (i64, String) {
    (200, String::new())
}

fn e401(detail: &str) -> (i64, String) {
    (401, detail.to_string())
}

#[test]
fn rotation_never_locks_anyone_out_and_remove_revokes() {
    let t = tempfile::tempdir().unwrap();
    let h = t.path();
    run_ok(bin_at(h).args(["keygen", "--alg", "RS256", "--aud", OS_ID]));
    let jwks = h.join("jwks.json");

    // Before the rotation: key A signs.
    let (tok_a, kid_a) = mint(bin_at(h).arg("mint"));
    let before = snapshot(&jwks, "s0-before.json");

    // Rotate: B signs now, A stays published.
    run_ok(bin_at(h).args(["jwks", "rotate"]));
    let (tok_b, kid_b) = mint(bin_at(h).arg("mint"));
    assert_ne!(kid_a, kid_b);
    let rotated = snapshot(&jwks, "s1-rotated.json");

    // An ES256 key in this RS256 set (what `jwks add`/`list` warn about).
    let out = tempfile::tempdir().unwrap();
    run_ok(
        bin()
            .args(["keygen", "--alg", "ES256", "--name", "ec", "--out-dir"])
            .arg(out.path()),
    );
    let ec = out.path().join("ec.key.pem");
    let o = bin_at(h)
        .args(["jwks", "add", "--kid", "ec-1", "--key"])
        .arg(&ec)
        .output()
        .unwrap();
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("mixes algorithms"));
    let (tok_ec, _) = mint(bin().args(["mint", "--kid", "ec-1", "--key"]).arg(&ec));
    let mixed = snapshot(&jwks, "s2-mixed.json");
    run_ok(bin_at(h).args(["jwks", "remove", "--kid", "ec-1"]));

    // Remove A: its tokens get 401, B's keep working.
    run_ok(bin_at(h).args(["jwks", "remove", "--kid", &kid_a]));
    let removed = snapshot(&jwks, "s3-removed.json");

    // Rotate to C with --keep 1: B is dropped (it signed a moment ago, so only when
    // told to ignore the token lifetime).
    run_ok(bin_at(h).args(["jwks", "rotate", "--keep", "1", "--ignore-token-lifetime"]));
    let (tok_c, kid_c) = mint(bin_at(h).arg("mint"));
    assert_ne!(kid_c, kid_b);
    let kept = snapshot(&jwks, "s4-keep1.json");

    let answers = harness(&json!([
        case("RS256", &before, &[&tok_a, &tok_b]),
        case("RS256", &rotated, &[&tok_a, &tok_b]),
        case("RS256", &mixed, &[&tok_b, &tok_ec]),
        case("RS256", &removed, &[&tok_a, &tok_b]),
        case("RS256", &kept, &[&tok_a, &tok_b, &tok_c]),
        {"mode": "jwks", "path": kept},
    ]));
    let a = answers.as_array().unwrap();
    // Before rotation, B is unknown to the server (no key with its kid, no default).
    assert_eq!(outcomes(&a[0]), [ok200(), e401(NO_KEY)], "before");
    // After rotation both verify: the old token still, the new one by its kid.
    assert_eq!(outcomes(&a[1]), [ok200(), ok200()], "rotated");
    // One algorithm per AgentOS: the ES256 token is refused by an RS256 server.
    assert_eq!(outcomes(&a[2]), [ok200(), e401(WRONG_ALG)], "mixed");
    // After remove, A's tokens get 401.
    assert_eq!(outcomes(&a[3]), [e401(NO_KEY), ok200()], "removed");
    assert_eq!(
        outcomes(&a[4]),
        [e401(NO_KEY), e401(NO_KEY), ok200()],
        "keep 1"
    );
    let parsed = a[5]["keys"].as_array().unwrap();
    assert_eq!(parsed.len(), 1);
    assert_eq!(parsed[0]["kid"], kid_c.as_str());
    assert_eq!(parsed[0]["ok"], true, "{}", a[5]);
}

/// `jwks rotate --jwks FILE --key-dir DIR` and `mint --key-dir DIR --jwks FILE`,
/// ES256, the JWKS given through JWT_JWKS_FILE as well.
#[test]
fn explicit_keyring_files_work_with_agentos() {
    let t = tempfile::tempdir().unwrap();
    let jwks = t.path().join("jwks.json");
    let dir = t.path().join("keys");
    let ring = |c: &mut assert_cmd::Command| {
        c.arg("--jwks").arg(&jwks).arg("--key-dir").arg(&dir);
    };
    let mut c = bin();
    c.args(["jwks", "rotate", "--alg", "ES256"]);
    ring(&mut c);
    run_ok(&mut c);
    let mut c = bin();
    c.arg("mint");
    ring(&mut c);
    let (tok1, kid1) = mint(&mut c);
    let first = snapshot(&jwks, "e0.json");

    let mut c = bin();
    c.args(["jwks", "rotate"]);
    ring(&mut c);
    run_ok(&mut c);
    let mut c = bin();
    c.arg("mint");
    ring(&mut c);
    let (tok2, kid2) = mint(&mut c);
    assert_ne!(kid1, kid2);
    let second = snapshot(&jwks, "e1.json");

    // Staged rotation: publish C, AgentOS restarts (reads the JWKS), then switch.
    let mut c = bin();
    c.args(["jwks", "rotate", "--stage"]);
    ring(&mut c);
    run_ok(&mut c);
    let staged = snapshot(&jwks, "e2-staged.json");
    let mut c = bin();
    c.arg("mint");
    ring(&mut c);
    let (tok_still_b, kid_still_b) = mint(&mut c);
    assert_eq!(kid_still_b, kid2, "staging does not switch the signing key");
    let kid3 = {
        let v: Value =
            serde_json::from_str(&fs::read_to_string(dir.join("keyring.json")).unwrap()).unwrap();
        v["keys"][2]["kid"].as_str().unwrap().to_string()
    };
    let mut c = bin();
    c.args(["jwks", "use", "--kid", &kid3]);
    ring(&mut c);
    run_ok(&mut c);
    let mut c = bin();
    c.arg("mint");
    ring(&mut c);
    let (tok3, kid3_minted) = mint(&mut c);
    assert_eq!(kid3_minted, kid3);

    let answers = harness(&json!([
        case("ES256", &first, &[&tok1, &tok2]),
        case("ES256", &second, &[&tok1, &tok2]),
        case("ES256", &staged, &[&tok1, &tok_still_b, &tok3]),
        {
            "mode": "agentos",
            "config": {"algorithm": "ES256", "verify_audience": true, "os_id": OS_ID,
                       "env": {"JWT_JWKS_FILE": second}},
            "requests": [{"method": "GET", "path": "/agents", "token": tok1},
                         {"method": "GET", "path": "/agents", "token": tok2}],
        },
        {"mode": "jwks", "path": second},
    ]));
    let a = answers.as_array().unwrap();
    assert_eq!(outcomes(&a[0]), [ok200(), e401(NO_KEY)]);
    assert_eq!(outcomes(&a[1]), [ok200(), ok200()]);
    // A server that loaded the staged JWKS accepts tokens from before and after `use`.
    assert_eq!(outcomes(&a[2]), [ok200(), ok200(), ok200()], "staged");
    assert_eq!(outcomes(&a[3]), [ok200(), ok200()], "JWT_JWKS_FILE");
    let parsed = a[4]["keys"].as_array().unwrap();
    assert_eq!(parsed.len(), 2);
    assert!(parsed
        .iter()
        .all(|k| k["ok"] == true && k["algorithm"] == "ES256"));
}
