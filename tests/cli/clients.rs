//! `agentos-auth clients`: secrets printed once and stored only as a hash, the file
//! kept private, scopes checked against the agno release at `add`.

use std::os::unix::fs::PermissionsExt;

use serde_json::Value;

use crate::common::{assert_one_line_error, bin_at, ok_stdout};

fn store() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    ok_stdout(bin_at(&dir.path().join("s")).args(["keygen", "--aud", "my-os"]));
    dir
}

#[test]
fn add_prints_the_secret_once_and_stores_only_its_hash() {
    let dir = store();
    let home = dir.path().join("s");
    let out = ok_stdout(bin_at(&home).args([
        "clients",
        "add",
        "ci",
        "--scopes",
        "agents:read,agents:run",
        "--json",
    ]));
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["client_id"], "ci");
    let secret = v["client_secret"].as_str().unwrap();
    assert_eq!(secret.len(), 43, "256 bits, base64url");
    let file = home.join("clients.json");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        !text.contains(secret),
        "the secret itself is stored: {text}"
    );
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let stored: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(stored["clients"][0]["aud"], "my-os", "the store's aud");
    assert_eq!(stored["clients"][0]["ttl"], 900);

    // list: never a secret or a hash.
    let listed = ok_stdout(bin_at(&home).args(["clients", "list", "--json"]));
    assert!(
        !listed.contains(secret) && !listed.contains("sha256"),
        "{listed}"
    );
    let l: Value = serde_json::from_str(&listed).unwrap();
    assert_eq!(
        l["clients"][0]["scopes"],
        serde_json::json!(["agents:read", "agents:run"])
    );

    // rotate-secret: a new secret, a new hash.
    let new = ok_stdout(bin_at(&home).args(["clients", "rotate-secret", "ci"]));
    assert_ne!(new.trim(), secret);
    assert_eq!(new.trim().len(), 43);
    let after = std::fs::read_to_string(&file).unwrap();
    assert_ne!(after, text);

    // Adding it again is refused; remove, then it is gone.
    let o = bin_at(&home)
        .args(["clients", "add", "ci", "--scopes", "agents:read"])
        .output()
        .unwrap();
    assert_one_line_error(&o, 1, "exists already");
    ok_stdout(bin_at(&home).args(["clients", "remove", "ci"]));
    let o = bin_at(&home)
        .args(["clients", "remove", "ci"])
        .output()
        .unwrap();
    assert_one_line_error(&o, 1, "no client \"ci\"");
}

#[test]
fn add_refuses_what_agentos_would_refuse() {
    let dir = store();
    let home = dir.path().join("s");
    for (args, needle) in [
        (vec!["ci", "--scopes", "nosuch:scope"], "unknown scope"),
        (vec!["ci"], "no scopes and no roles"),
        (vec!["a:b", "--scopes", "agents:read"], "not a client id"),
        (vec!["__scheduler__", "--scopes", "agents:read"], "reserved"),
        (
            vec!["ci", "--scopes", "agents:read", "--ttl", "0s"],
            "--ttl",
        ),
        (
            vec!["ci", "--scopes", "agents:read", "--ttl", "soon"],
            "--ttl",
        ),
    ] {
        let o = bin_at(&home)
            .args(["clients", "add"])
            .args(&args)
            .output()
            .unwrap();
        assert_one_line_error(&o, 1, needle);
        assert!(!String::from_utf8_lossy(&o.stderr).contains("--allow-unknown-scopes"));
    }
    // Nothing was written by the refusals.
    assert!(!home.join("clients.json").exists());

    // No audience anywhere: refused, naming --aud.
    let bare = dir.path().join("bare");
    ok_stdout(bin_at(&bare).args(["keygen"]));
    let o = bin_at(&bare)
        .args(["clients", "add", "ci", "--scopes", "agents:read"])
        .output()
        .unwrap();
    assert_one_line_error(&o, 1, "--aud");
}
