//! Issue 21, item 1: an ES256 key store needs no `--alg` anywhere. `keygen` remembers
//! the algorithm it told the user to configure (settings.json `alg`); `verify` and
//! `doctor` check that one unless `--alg` says otherwise.

use std::fs;
use std::path::Path;
use std::process::Output;

use crate::common::{bin, bin_at, stderr, stdout};
use serde_json::Value;

fn run(cmd: &mut assert_cmd::Command) -> Output {
    cmd.output().expect("run agentos-auth")
}

/// The JWT_VERIFICATION_KEY that `eval "$(agentos-auth export --format env)"` sets,
/// as bash sets it.
fn exported_key(h: &Path) -> String {
    let o = std::process::Command::new("bash")
        .args([
            "-c",
            r#"eval "$("$0" --home "$1" export --format env)" && printf %s "$JWT_VERIFICATION_KEY""#,
            env!("CARGO_BIN_EXE_agentos-auth"),
        ])
        .arg(h)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    stdout(&o)
}

fn mint(h: &Path) -> String {
    let o = run(bin_at(h).args(["mint", "--scopes", "agents:read"]));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    stdout(&o).trim().to_string()
}

#[test]
fn es256_store_needs_no_alg_in_verify_or_doctor() {
    let t = tempfile::tempdir().unwrap();
    let h = t.path().join("home");
    let o = run(bin_at(&h).args(["keygen", "--alg", "ES256", "--aud", "os"]));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let settings: Value =
        serde_json::from_slice(&fs::read(h.join("settings.json")).unwrap()).unwrap();
    assert_eq!(settings["alg"], "ES256", "{settings}");

    let key = exported_key(&h);
    assert!(key.starts_with("-----BEGIN PUBLIC KEY-----"), "{key}");
    let token = mint(&h);

    // doctor in the environment the README's eval line makes: nothing breaks auth.
    let o = run(bin_at(&h)
        .env("JWT_VERIFICATION_KEY", &key)
        .args(["doctor"]));
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{text}{}", stderr(&o));
    assert!(!text.contains("but AgentOS is set to RS256"), "{text}");
    assert!(
        text.contains("ES256 (the key store's alg, as keygen set it"),
        "{text}"
    );
    assert!(
        text.lines().any(|l| l.starts_with("ok")
            && l.contains("JWT_VERIFICATION_KEY")
            && l.contains("for ES256")),
        "{text}"
    );

    // doctor --token and verify: the token passes, no --alg anywhere.
    let o = run(bin_at(&h)
        .env("JWT_VERIFICATION_KEY", &key)
        .args(["doctor", "--token", &token]));
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let o = run(bin_at(&h)
        .env("JWT_VERIFICATION_KEY", &key)
        .args(["verify", &token]));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("200: "), "{}", stdout(&o));
    // From the store's own JWKS too (no environment).
    let o = run(bin_at(&h).args(["verify", &token, "--request", "GET /agents"]));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    // An explicit --alg still wins.
    let o = run(bin_at(&h)
        .env("JWT_VERIFICATION_KEY", &key)
        .args(["verify", &token, "--alg", "RS256"]));
    assert_eq!(o.status.code(), Some(10), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("AgentOS is set to RS256"),
        "{}",
        stderr(&o)
    );
    let o = run(bin_at(&h)
        .env("JWT_VERIFICATION_KEY", &key)
        .args(["doctor", "--alg", "RS256"]));
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("but AgentOS is set to RS256"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_later_keygen_rewrites_the_remembered_alg_and_out_dir_leaves_it() {
    let t = tempfile::tempdir().unwrap();
    let h = t.path().join("home");
    let o = run(bin_at(&h).args(["keygen", "--alg", "ES256", "--aud", "os"]));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run(bin_at(&h).args([
        "keygen",
        "--alg",
        "RS256",
        "--out-dir",
        t.path().join("elsewhere").to_str().unwrap(),
    ]));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let alg = |h: &Path| -> Value {
        serde_json::from_slice::<Value>(&fs::read(h.join("settings.json")).unwrap()).unwrap()["alg"]
            .clone()
    };
    assert_eq!(alg(&h), "ES256", "--out-dir is not the store's key");
    let o = run(bin_at(&h).args(["keygen", "--alg", "RS256", "--force"]));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(alg(&h), "RS256");
    let token = mint(&h);
    let o = run(bin_at(&h).args(["verify", &token]));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn help_names_the_key_store_default() {
    for cmd in ["verify", "doctor"] {
        let o = run(bin().args([cmd, "--help"]));
        // Wrapped to the terminal's width: compare the words.
        let text = stdout(&o).split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            text.contains("the key store's alg (what keygen told AgentOS to use)"),
            "{cmd}: {text}"
        );
        assert!(!text.contains("[default: RS256]"), "{cmd}: {text}");
    }
}
