//! Issue 21, item 3: a token for another audience than the key store's `aud` passes an
//! AgentOS with `verify_audience=False` (its default), and `verify` / `doctor --token`
//! say so by default: one `warning:` line on stderr (what `verify_audience=True`
//! answers), a `warnings` entry in `--json`. The 401 itself is checked against the real
//! agno app in tests/interop/verify_audience.rs.

use std::path::Path;
use std::process::Output;

use crate::common::{bin_at, stderr, stdout};
use agentos_auth::keys::{Alg, Key};
use agentos_auth::token;
use serde_json::{json, Value};

fn run(cmd: &mut assert_cmd::Command) -> Output {
    cmd.output().expect("run agentos-auth")
}

/// A key store whose `aud` is "os", and tokens minted for `aud`.
fn setup() -> (tempfile::TempDir, std::path::PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let h = t.path().join("home");
    let o = run(bin_at(&h).args(["keygen", "--aud", "os"]));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    (t, h)
}

fn mint(h: &Path, aud: &str) -> String {
    let o = run(bin_at(h).args(["mint", "--scopes", "agents:read", "--aud", aud]));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    stdout(&o).trim().to_string()
}

const WARNING: &str = "warning: aud is not checked (AgentOS's default, verify_audience=False): with verify_audience=True and audience \"os\" (the key store's aud) AgentOS answers 401 \"Invalid token audience - token not valid for this AgentOS instance\": token aud \"other\" but AgentOS expects os";

#[test]
fn verify_warns_of_another_audience_in_one_line() {
    let (_t, h) = setup();
    let other = mint(&h, "other");
    for args in [vec!["verify", &other], vec!["--quiet", "verify", &other]] {
        let o = run(bin_at(&h).args(&args));
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(stdout(&o).starts_with("200: "), "{}", stdout(&o));
        assert_eq!(stderr(&o), format!("{WARNING}\n"), "{args:?}");
    }
    // The same with a route.
    let o = run(bin_at(&h).args(["verify", &other, "--request", "GET /agents"]));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
    assert!(stderr(&o).starts_with(WARNING), "{}", stderr(&o));

    // --json: a warnings entry, nothing on stderr.
    let o = run(bin_at(&h).args(["verify", &other, "--json"]));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["status"], 200);
    assert_eq!(v["warnings"].as_array().map(Vec::len), Some(1), "{v}");
    assert_eq!(
        format!("warning: {}", v["warnings"][0].as_str().unwrap()),
        WARNING
    );
    assert!(
        v["context"].as_array().is_none_or(|c| c
            .iter()
            .all(|n| !n.as_str().unwrap().starts_with("aud not checked"))),
        "the warning replaces the background note: {v}"
    );
}

#[test]
fn no_warning_for_the_store_audience_or_a_checked_one() {
    let (_t, h) = setup();
    let mine = mint(&h, "os");
    let o = run(bin_at(&h).args(["verify", &mine]));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        "",
        "a token for the store's aud passes either way"
    );
    let v: Value =
        serde_json::from_slice(&run(bin_at(&h).args(["verify", &mine, "--json"])).stdout).unwrap();
    assert!(v.get("warnings").is_none(), "{v}");

    let other = mint(&h, "other");
    // --aud: the audience is checked, and the answer is the 401 itself.
    let o = run(bin_at(&h).args(["verify", &other, "--aud", "os"]));
    assert_eq!(o.status.code(), Some(10), "{}", stderr(&o));
    assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
    // --aud other: the token is for the audience checked.
    let o = run(bin_at(&h).args(["verify", &other, "--aud", "other"]));
    assert_eq!((o.status.code(), stderr(&o)), (Some(0), String::new()));
    // --no-verify-aud: the user says the server does not check it.
    let o = run(bin_at(&h).args(["verify", &other, "--no-verify-aud"]));
    assert_eq!((o.status.code(), stderr(&o)), (Some(0), String::new()));
}

#[test]
fn a_token_without_aud_is_warned_of_too() {
    let (t, h) = setup();
    // mint always sets aud: a token without one is made here.
    let key = Key::generate(Alg::ES256, 0).unwrap();
    let public = crate::common::write(t.path(), "ec.pub.pem", &key.public_key_pem().unwrap());
    let (Value::Object(head), Value::Object(claims)) = (
        json!({"alg": "ES256", "typ": "JWT"}),
        json!({"sub": "alice", "exp": 4_000_000_000u64, "scopes": ["agents:read"]}),
    ) else {
        unreachable!()
    };
    let token = token::encode(&head, &claims, &key.signer().unwrap()).unwrap();
    let o = run(bin_at(&h)
        .args(["verify", &token, "--alg", "ES256", "--key"])
        .arg(&public));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let e = stderr(&o);
    assert_eq!(e.lines().count(), 1, "{e}");
    assert!(
        e.starts_with("warning: aud is not checked")
            && e.contains(
                r#"AgentOS answers 401 "Invalid token: Token is missing the \"aud\" claim"#
            ),
        "{e}"
    );
}

#[test]
fn doctor_token_warns_too() {
    let (_t, h) = setup();
    let other = mint(&h, "other");
    let jwks = h.join("jwks.json");
    let o = run(bin_at(&h)
        .env("JWT_JWKS_FILE", &jwks)
        .args(["doctor", "--token", &other]));
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert_eq!(stderr(&o), format!("{WARNING}\n"));

    let o = run(bin_at(&h)
        .env("JWT_JWKS_FILE", &jwks)
        .args(["doctor", "--token", &other, "--json"]));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(
        v["verdict"]["warnings"].as_array().map(Vec::len),
        Some(1),
        "{v}"
    );

    // --os-id checks the audience: the answer is the 401.
    let o = run(bin_at(&h)
        .env("JWT_JWKS_FILE", &jwks)
        .args(["doctor", "--token", &other, "--os-id", "os"]));
    assert_eq!(o.status.code(), Some(10), "{}", stderr(&o));
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
}
