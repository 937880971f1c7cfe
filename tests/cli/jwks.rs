//! `agentos-auth jwks list|add|remove|rotate|prune` and `mint --key-dir/--jwks`,
//! driven through the real binary.

use crate::common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;

use agentos_auth::token;
use common::{bin, bin_at, stderr, stdout, write};
use serde_json::{json, Value};

const PRIVATE_MEMBERS: [&str; 7] = ["d", "p", "q", "dp", "dq", "qi", "k"];

fn ok(cmd: &mut assert_cmd::Command) -> Output {
    let o = cmd.output().unwrap();
    assert!(
        o.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

fn json_out(cmd: &mut assert_cmd::Command) -> Value {
    serde_json::from_slice(&ok(cmd).stdout).unwrap()
}

/// A failure: exactly one line on stderr, nothing on stdout, the given exit code.
fn fails(cmd: &mut assert_cmd::Command, code: i32, needle: &str) -> String {
    let o = cmd.output().unwrap();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(code), "stderr: {err}");
    assert!(o.stdout.is_empty(), "stdout: {}", stdout(&o));
    assert!(!err.contains("panicked"), "{err}");
    if code != 2 {
        assert_eq!(err.lines().count(), 1, "not one line: {err:?}");
    }
    assert!(err.contains(needle), "expected {needle:?} in {err:?}");
    err
}

fn read_json(p: &Path) -> Value {
    serde_json::from_slice(&fs::read(p).unwrap()).unwrap()
}

fn kids(jwks: &Value) -> Vec<String> {
    jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap().to_string())
        .collect()
}

fn assert_public_only(jwks: &Value) {
    for k in jwks["keys"].as_array().unwrap() {
        for m in PRIVATE_MEMBERS {
            assert!(k.get(m).is_none(), "private member {m} in {k}");
        }
    }
}

fn keygen(h: &Path, alg: &str) -> String {
    let v = json_out(bin_at(h).args(["keygen", "--alg", alg, "--aud", "test-os", "--json"]));
    v["kid"].as_str().unwrap().to_string()
}

fn rotate(h: &Path, extra: &[&str]) -> Value {
    json_out(bin_at(h).args(["jwks", "rotate", "--json"]).args(extra))
}

fn mint_kid(cmd: &mut assert_cmd::Command) -> String {
    let t = stdout(&ok(cmd.args(["--scopes", "agents:read"])));
    let d = token::decode(t.trim()).unwrap();
    d.header["kid"].as_str().unwrap().to_string()
}

/// A key pair in `dir` made by `keygen --out-dir`: (private, public) paths.
fn key_files(dir: &Path, alg: &str, name: &str) -> (PathBuf, PathBuf) {
    ok(bin()
        .args(["keygen", "--alg", alg, "--name", name, "--out-dir"])
        .arg(dir));
    (
        dir.join(format!("{name}.key.pem")),
        dir.join(format!("{name}.pub.pem")),
    )
}

#[test]
fn rotate_makes_a_new_signing_key_and_mint_follows_it() {
    let t = tempfile::tempdir().unwrap();
    let h = t.path();
    let first = keygen(h, "RS256");
    assert_eq!(mint_kid(bin_at(h).arg("mint")), first);

    let r = rotate(h, &[]);
    let second = r["kid"].as_str().unwrap().to_string();
    assert_ne!(second, first);
    assert_eq!(r["alg"], "RS256", "default: the signing key's algorithm");
    assert_eq!(r["previous_kid"], first.as_str());
    assert_eq!(r["signing_kid"], second.as_str());
    assert_eq!(r["staged"], false);
    assert_eq!(mint_kid(bin_at(h).arg("mint")), second);

    let private = PathBuf::from(r["private_key"].as_str().unwrap());
    assert_eq!(
        fs::metadata(&private).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let jwks = read_json(&h.join("jwks.json"));
    assert_eq!(kids(&jwks), [first.clone(), second.clone()]);
    assert_public_only(&jwks);

    // list: table marks the signing key; --json has kid, alg, signing.
    let o = ok(bin_at(h).args(["jwks", "list"]));
    let table = stdout(&o);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 3, "{table}");
    assert!(
        lines[0].contains("KID") && lines[0].contains("ALG"),
        "{table}"
    );
    assert!(
        lines[2].starts_with('*') && lines[2].contains(&second),
        "{table}"
    );
    assert!(
        !lines[1].starts_with('*') && lines[1].contains(&first),
        "{table}"
    );
    assert!(lines[1].contains("RSA 2048-bit"), "{table}");
    let v = json_out(bin_at(h).args(["jwks", "list", "--json"]));
    let keys = v["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 2);
    assert_eq!(keys[0]["kid"], first.as_str());
    assert_eq!(keys[0]["signing"], false);
    assert_eq!(keys[1]["kid"], second.as_str());
    assert_eq!(keys[1]["signing"], true);
    assert_eq!(keys[1]["alg"], "RS256");
    assert_eq!(keys[1]["key"], "RSA 2048-bit");
    assert_eq!(v["signing_kid"], second.as_str());
    assert_eq!(v["warnings"], json!([]));

    // ES256 rotation: explicit --alg; the set now mixes algorithms, which is said.
    let o = ok(bin_at(h).args(["jwks", "rotate", "--alg", "ES256", "--kid", "ec-1"]));
    assert!(
        stderr(&o).contains("mixes algorithms") && stderr(&o).contains("ONE algorithm"),
        "{}",
        stderr(&o)
    );
    let o = ok(bin_at(h).args(["jwks", "list"]));
    assert!(stderr(&o).contains("warning: ") && stderr(&o).contains("mixes algorithms"));
    // The same name for the setting as everywhere else: Authorization(...), not the
    // deprecated AuthorizationConfig(...).
    assert!(
        stderr(&o).contains("Authorization(algorithm=...)")
            && !stderr(&o).contains("AuthorizationConfig"),
        "{}",
        stderr(&o)
    );
    // The next rotation keeps ES256, the signing key's algorithm.
    assert_eq!(rotate(h, &[])["alg"], "ES256");
}

#[test]
fn rotate_on_explicit_files_and_mint_with_key_dir() {
    let t = tempfile::tempdir().unwrap();
    let jwks = t.path().join("pub/jwks.json");
    let dir = t.path().join("secret/keys");
    fs::create_dir_all(jwks.parent().unwrap()).unwrap();
    let r = json_out(
        bin()
            .args(["jwks", "rotate", "--alg", "ES256", "--json", "--jwks"])
            .arg(&jwks)
            .arg("--key-dir")
            .arg(&dir),
    );
    let kid = r["kid"].as_str().unwrap();
    assert_eq!(r["previous_kid"], Value::Null);
    assert_eq!(
        fs::metadata(&dir).unwrap().permissions().mode() & 0o777,
        0o700
    );
    // Keyring signing: the token always carries the ring's kid.
    let mut c = bin();
    c.arg("mint")
        .arg("--key-dir")
        .arg(&dir)
        .args(["--aud", "os"]);
    let o = ok(c.args(["--scopes", "agents:read"]));
    let d = token::decode(stdout(&o).trim()).unwrap();
    assert_eq!(d.header["kid"], kid);
    assert_eq!(d.header["alg"], "ES256");
    let mut c = bin();
    c.arg("mint")
        .arg("--key-dir")
        .arg(&dir)
        .arg("--jwks")
        .arg(&jwks)
        .args(["--aud", "os"]);
    assert_eq!(mint_kid(&mut c), kid);

    // --kid other than the ring's, and a key the JWKS does not publish: refused.
    let mut c = bin();
    c.args([
        "mint",
        "--aud",
        "os",
        "--scopes",
        "agents:read",
        "--kid",
        "x",
    ])
    .arg("--key-dir")
    .arg(&dir);
    fails(&mut c, 1, "is not the kid of the signing key");
    let other = t.path().join("other.json");
    write(t.path(), "other.json", "{\"keys\": []}\n");
    let mut c = bin();
    c.args(["mint", "--aud", "os", "--scopes", "agents:read"])
        .arg("--key-dir")
        .arg(&dir)
        .arg("--jwks")
        .arg(&other);
    fails(&mut c, 1, "AgentOS would answer 401");
    let mut c = bin();
    c.args([
        "mint",
        "--aud",
        "os",
        "--scopes",
        "agents:read",
        "--alg",
        "RS256",
    ])
    .arg("--key-dir")
    .arg(&dir);
    fails(&mut c, 1, "--alg RS256 does not match");
    let mut c = bin();
    c.args(["mint", "--aud", "os"])
        .arg("--key-dir")
        .arg(t.path().join("nope"));
    fails(&mut c, 3, "is not a key directory");

    // The flag --key-dir beats AGENTOS_AUTH_KEY_FILE; with the flag --key it is ambiguous.
    let (other_key, _) = key_files(t.path(), "ES256", "other");
    let mut c = bin();
    c.env("AGENTOS_AUTH_KEY_FILE", &other_key)
        .arg("mint")
        .arg("--key-dir")
        .arg(&dir)
        .args(["--aud", "os"]);
    assert_eq!(mint_kid(&mut c), kid);
    let mut c = bin();
    c.args(["mint", "--aud", "os", "--scopes", "agents:read", "--key"])
        .arg(&other_key)
        .arg("--key-dir")
        .arg(&dir);
    fails(&mut c, 1, "both name the signing key");

    // The pair comes together: --jwks alone or --key-dir alone is a usage error.
    let mut c = bin();
    c.args(["jwks", "rotate", "--jwks"]).arg(&jwks);
    fails(&mut c, 2, "--key-dir");
    let mut c = bin();
    c.args(["jwks", "rotate", "--key-dir"]).arg(&dir);
    fails(&mut c, 2, "--jwks");
    let mut c = bin();
    c.args(["mint", "--aud", "os", "--jwks"]).arg(&jwks);
    fails(&mut c, 2, "--key-dir");
}

#[test]
fn add_publishes_only_the_public_part_and_is_idempotent() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path();
    let jwks = dir.join("jwks.json");
    let (rsa_private, rsa_public) = key_files(dir, "RS256", "rsa");
    let (_, rsa2_public) = key_files(dir, "RS256", "rsa2");
    let add = |key: &Path, extra: &[&str]| {
        let mut c = bin();
        c.args(["jwks", "add", "--json", "--jwks"])
            .arg(&jwks)
            .arg("--key")
            .arg(key)
            .args(extra);
        c
    };

    // From a private PEM: the file is created, with the public part only.
    let v = json_out(&mut add(&rsa_private, &["--kid", "rsa-1"]));
    assert_eq!(
        v,
        json!({"kid": "rsa-1", "added": true, "jwks": jwks.display().to_string()})
    );
    let set = read_json(&jwks);
    assert_public_only(&set);
    assert_eq!(set["keys"][0]["kty"], "RSA");
    assert_eq!(set["keys"][0]["alg"], "RS256");
    let before = fs::read(&jwks).unwrap();

    // The same key again (public PEM, same kid; or no kid at all): no-op, file untouched.
    let v = json_out(&mut add(&rsa_public, &["--kid", "rsa-1"]));
    assert_eq!(v["added"], false);
    let o = ok(&mut add(&rsa_public, &[]));
    assert!(stderr(&o).contains("already in"), "{}", stderr(&o));
    assert_eq!(fs::read(&jwks).unwrap(), before);

    // Same kid, other material: refused, file untouched.
    fails(
        &mut add(&rsa2_public, &["--kid", "rsa-1"]),
        1,
        "kid rsa-1 is already in",
    );
    // Same material under a second explicit kid: refused.
    fails(
        &mut add(&rsa_public, &["--kid", "rsa-again"]),
        1,
        "already in",
    );
    assert_eq!(fs::read(&jwks).unwrap(), before);

    // A JWK brings its own kid; default kid for a PEM is the thumbprint.
    let jwk = stdout(&ok(bin()
        .args(["export", "--format", "jwk", "--kid", "from-jwk", "--key"])
        .arg(&rsa2_public)));
    let jwk_path = write(dir, "k.jwk", &jwk);
    assert_eq!(json_out(&mut add(&jwk_path, &[]))["kid"], "from-jwk");
    let (ec_private, _) = key_files(dir, "ES256", "ec");
    let o = ok(&mut add(&ec_private, &[]));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["kid"].as_str().unwrap().len(), 43, "thumbprint kid");
    // An ES256 key in an RS256 set: warned about.
    assert!(stderr(&o).contains("mixes algorithms"), "{}", stderr(&o));
    let set = read_json(&jwks);
    assert_eq!(set["keys"].as_array().unwrap().len(), 3);
    assert_public_only(&set);
    // stdin works too.
    let o = ok(bin()
        .args(["jwks", "add", "--key", "-", "--jwks"])
        .arg(&jwks)
        .write_stdin(fs::read(&ec_private).unwrap()));
    assert!(stderr(&o).contains("already in"));

    // A kid that starts with '-' (thumbprints can) is a value, not a flag.
    assert_eq!(
        json_out(&mut add(
            &key_files(dir, "RS256", "dash").1,
            &["--kid", "-dash"]
        ))["kid"],
        "-dash"
    );
    ok(bin()
        .args(["jwks", "remove", "--kid", "-dash", "--jwks"])
        .arg(&jwks));

    // HS256: never in a JWKS.
    let secret = write(
        dir,
        "hs.jwk",
        r#"{"kty":"oct","k":"c2VjcmV0LXNlY3JldA","kid":"h"}"#,
    );
    fails(&mut add(&secret, &[]), 1, "HS256 secret has no public form");
    // Garbage key file.
    let junk = write(dir, "junk.pem", "not a key");
    let o = add(&junk, &[]).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stderr(&o).lines().count(), 1);
    assert_eq!(read_json(&jwks), set);
}

#[test]
fn broken_jwks_is_reported_by_file_key_and_reason_never_dropped() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path();
    let (_, public) = key_files(dir, "ES256", "good");
    let (_, other) = key_files(dir, "ES256", "other");
    let jwks = dir.join("jwks.json");
    ok(bin()
        .args(["jwks", "add", "--kid", "good", "--key"])
        .arg(&public)
        .arg("--jwks")
        .arg(&jwks));
    let mut set = read_json(&jwks);
    let mut bad = set["keys"][0].clone();
    bad["kid"] = "bad".into();
    bad["x"] = "AAAA".into();
    set["keys"].as_array_mut().unwrap().push(bad);
    let text = serde_json::to_string_pretty(&set).unwrap();
    fs::write(&jwks, &text).unwrap();

    // Modifying commands refuse, naming file, key number and reason; file unchanged.
    let mut c = bin();
    c.args(["jwks", "add", "--key"])
        .arg(&other)
        .arg("--jwks")
        .arg(&jwks);
    let err = fails(&mut c, 1, "key #2 (kid \"bad\")");
    assert!(err.contains(&jwks.display().to_string()), "{err}");
    assert!(err.contains("EC x must be 32 bytes"), "{err}");
    assert_eq!(fs::read_to_string(&jwks).unwrap(), text);

    // list shows the broken key with its reason, and warns.
    let o = ok(bin().args(["jwks", "list", "--jwks"]).arg(&jwks));
    assert!(stdout(&o).contains("INVALID"), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("key #2 (kid \"bad\")"),
        "{}",
        stderr(&o)
    );
    let v = json_out(bin().args(["jwks", "list", "--json", "--jwks"]).arg(&jwks));
    assert_eq!(v["keys"][0]["error"], Value::Null);
    assert!(v["keys"][1]["error"]
        .as_str()
        .unwrap()
        .contains("x must be 32 bytes"));

    // The broken key can be removed by kid; the good one stays as it was.
    ok(bin()
        .args(["jwks", "remove", "--kid", "bad", "--jwks"])
        .arg(&jwks));
    let after = read_json(&jwks);
    assert_eq!(kids(&after), ["good"]);
    assert_eq!(after["keys"][0], set["keys"][0]);

    // Not a JWKS at all.
    let bad_doc = write(dir, "bad.json", "{\"keys\": {}}");
    let mut c = bin();
    c.args(["jwks", "list", "--jwks"]).arg(&bad_doc);
    fails(&mut c, 1, "\"keys\" must be an array");
    let mut c = bin();
    c.args(["jwks", "list", "--jwks"])
        .arg(dir.join("missing.json"));
    fails(&mut c, 3, "does not exist");
}

#[test]
fn remove_refuses_the_signing_key_and_keeps_private_files() {
    let t = tempfile::tempdir().unwrap();
    let h = t.path();
    let old = keygen(h, "ES256");
    let new = rotate(h, &[])["kid"].as_str().unwrap().to_string();
    let jwks = h.join("jwks.json");
    let before = fs::read(&jwks).unwrap();

    let err = fails(
        bin_at(h).args(["jwks", "remove", "--kid", &new]),
        1,
        "is the signing key",
    );
    assert!(err.contains("--force"), "{err}");
    assert_eq!(fs::read(&jwks).unwrap(), before);
    // Naming the store's jwks.json explicitly still protects the store's signing key.
    fails(
        bin_at(h)
            .args(["jwks", "remove", "--kid", &new, "--jwks"])
            .arg(&jwks),
        1,
        "is the signing key",
    );
    fails(
        bin_at(h).args(["jwks", "remove", "--kid", "nope"]),
        1,
        "kid nope is neither in",
    );

    // An old key: out of the JWKS and the ring; its private key moved, not deleted.
    let old_private = h.join(format!("keys/{old}.key.pem"));
    let old_bytes = fs::read(&old_private).unwrap();
    let v = json_out(bin_at(h).args(["jwks", "remove", "--json", "--kid", &old]));
    assert_eq!(v["was_signing"], false);
    assert_eq!(v["from_jwks"], true);
    assert_eq!(v["from_keyring"], true);
    let moved = h.join(format!("keys/removed/{old}.key.pem"));
    assert_eq!(
        v["moved"][0],
        json!({"from": old_private.display().to_string(), "to": moved.display().to_string()})
    );
    assert!(!old_private.exists());
    assert_eq!(fs::read(&moved).unwrap(), old_bytes);
    assert_eq!(
        fs::metadata(&moved).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert_eq!(kids(&read_json(&jwks)), [new.as_str()]);
    let ring = read_json(&h.join("keys/keyring.json"));
    assert_eq!(ring["keys"].as_array().unwrap().len(), 1);
    assert_eq!(mint_kid(bin_at(h).arg("mint")), new);

    // --force removes even the signing key; mint then says there is none.
    let o = ok(bin_at(h).args(["jwks", "remove", "--force", "--kid", &new]));
    assert!(stderr(&o).contains("was the signing key"), "{}", stderr(&o));
    assert_eq!(kids(&read_json(&jwks)), Vec::<String>::new());
    fails(
        bin_at(h).args(["mint", "--scopes", "agents:read"]),
        1,
        "no signing key",
    );
    assert!(h.join(format!("keys/removed/{new}.key.pem")).exists());
    // A new rotation starts over (ES256 is not remembered: no signing key → RS256).
    assert_eq!(rotate(h, &[])["alg"], "RS256");
}

#[test]
fn keep_and_prune_drop_the_oldest_but_never_the_signing_key() {
    let t = tempfile::tempdir().unwrap();
    let h = t.path();
    let k1 = keygen(h, "ES256");
    let k2 = rotate(h, &[])["kid"].as_str().unwrap().to_string();
    let k3 = rotate(h, &[])["kid"].as_str().unwrap().to_string();
    // Keys that stopped signing a moment ago are spared unless told (their tokens
    // may still be live): this test is about the order of pruning.
    let r = rotate(h, &["--keep", "2", "--ignore-token-lifetime"]);
    let k4 = r["kid"].as_str().unwrap().to_string();
    let pruned: Vec<&str> = r["pruned"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["kid"].as_str().unwrap())
        .collect();
    assert_eq!(pruned, [k1.as_str(), k2.as_str()]);
    assert_eq!(
        kids(&read_json(&h.join("jwks.json"))),
        [k3.clone(), k4.clone()]
    );
    assert!(h.join(format!("keys/removed/{k1}.key.pem")).exists());
    fails(
        bin_at(h).args(["jwks", "rotate", "--keep", "0"]),
        2,
        "--keep",
    );

    // Make the signing key (k4) look like the oldest: --keep 1 still keeps it.
    let ring_path = h.join("keys/keyring.json");
    let mut ring = read_json(&ring_path);
    for e in ring["keys"].as_array_mut().unwrap() {
        if e["kid"] == k4.as_str() {
            e["created"] = 1.into();
        }
    }
    fs::write(&ring_path, serde_json::to_string(&ring).unwrap()).unwrap();
    let v = json_out(bin_at(h).args([
        "jwks",
        "prune",
        "--keep",
        "1",
        "--ignore-token-lifetime",
        "--json",
    ]));
    assert_eq!(v["pruned"][0]["kid"], k3.as_str());
    assert_eq!(kids(&read_json(&h.join("jwks.json"))), [k4.as_str()]);

    // --older-than counts from when a key stopped signing.
    let k5 = rotate(h, &[])["kid"].as_str().unwrap().to_string();
    let k6 = rotate(h, &[])["kid"].as_str().unwrap().to_string();
    let now = chrono_now();
    let mut ring = read_json(&ring_path);
    for e in ring["keys"].as_array_mut().unwrap() {
        let kid = e["kid"].as_str().unwrap().to_string();
        if kid == k4 {
            // Created long ago, retired 10 days ago.
            e["retired"] = (now - 10 * 86400).into();
        } else if kid == k5 {
            // Created 30 days ago, retired a day ago: its tokens may still live.
            e["created"] = (now - 30 * 86400).into();
            e["retired"] = (now - 86400).into();
        }
    }
    fs::write(&ring_path, serde_json::to_string(&ring).unwrap()).unwrap();
    let v = json_out(bin_at(h).args(["jwks", "prune", "--older-than", "7d", "--json"]));
    let pruned: Vec<&str> = v["pruned"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["kid"].as_str().unwrap())
        .collect();
    assert_eq!(pruned, [k4.as_str()]);
    assert_eq!(
        kids(&read_json(&h.join("jwks.json"))),
        [k5.clone(), k6.clone()]
    );
    // Both rules: a key goes only when both agree (k5 is beyond --keep 1 but recent).
    let v = json_out(bin_at(h).args([
        "jwks",
        "prune",
        "--older-than",
        "7d",
        "--keep",
        "1",
        "--json",
    ]));
    assert_eq!(v["pruned"], json!([]));
    fails(bin_at(h).args(["jwks", "prune"]), 2, "required");
    fails(
        bin_at(h).args(["jwks", "prune", "--older-than", "soon"]),
        1,
        "--older-than",
    );
}

fn chrono_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[test]
fn hs256_is_never_in_a_jwks() {
    let t = tempfile::tempdir().unwrap();
    let h = t.path();
    let kid = keygen(h, "HS256");
    fails(
        bin_at(h).args(["jwks", "rotate", "--alg", "HS256"]),
        1,
        "HS256 secret has no public form",
    );
    fails(bin_at(h).args(["jwks", "rotate"]), 1, "is HS256");
    // The store has no jwks.json yet: list says so; after an RS256 key, list warns
    // that the (HS256) signing key cannot be in it.
    fails(bin_at(h).args(["jwks", "list"]), 3, "does not exist");
    ok(bin_at(h).args(["jwks", "rotate", "--alg", "RS256"]));
    let v = json_out(bin_at(h).args(["jwks", "list", "--json"]));
    assert_eq!(v["keys"].as_array().unwrap().len(), 1);
    assert_eq!(v["unpublished"][0]["kid"], kid.as_str());
    assert_eq!(v["unpublished"][0]["alg"], "HS256");
    let mut c = bin();
    c.args(["mint", "--aud", "os", "--alg", "HS256", "--key"])
        .arg(h.join(format!("keys/{kid}.secret")));
    ok(c.args(["--scopes", "agents:read"]));
}

#[test]
fn twenty_concurrent_adds_and_rotations_lose_nothing() {
    let t = tempfile::tempdir().unwrap();
    let h = t.path();
    keygen(h, "ES256");
    let jwks = h.join("jwks.json");
    let mut publics = Vec::new();
    for i in 0..10 {
        publics.push(key_files(h, "ES256", &format!("extra{i}")).1);
    }
    let exe = env!("CARGO_BIN_EXE_agentos-auth");
    let mut children = Vec::new();
    for i in 0..20 {
        let mut c = std::process::Command::new(exe);
        c.arg("--home").arg(h).arg("--quiet").args(["jwks"]);
        if i % 2 == 0 {
            c.args(["add", "--key"]).arg(&publics[i / 2]);
        } else {
            c.args(["rotate", "--json"]);
        }
        c.env("XDG_CONFIG_HOME", common::UNUSABLE_CONFIG_HOME)
            .env_remove("AGENTOS_AUTH_HOME")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        children.push(c.spawn().unwrap());
    }
    let mut rotated = Vec::new();
    for (i, child) in children.into_iter().enumerate() {
        let o = child.wait_with_output().unwrap();
        assert!(o.status.success(), "run {i}: {}", stderr(&o));
        if i % 2 == 1 {
            let v: Value = serde_json::from_slice(&o.stdout).unwrap();
            rotated.push(v["kid"].as_str().unwrap().to_string());
        }
    }
    let set = read_json(&jwks);
    let published = kids(&set);
    assert_eq!(published.len(), 1 + 10 + 10, "{published:?}");
    for k in &rotated {
        assert!(published.contains(k), "rotated {k} lost");
    }
    let ring = read_json(&h.join("keys/keyring.json"));
    assert_eq!(ring["keys"].as_array().unwrap().len(), 11);
    assert!(rotated.contains(&ring["signing_kid"].as_str().unwrap().to_string()));
    // The set is still valid and public-only, and no temp file is left behind.
    assert_public_only(&set);
    ok(bin_at(h).args(["jwks", "list"]));
    let leftovers: Vec<String> = fs::read_dir(h)
        .unwrap()
        .chain(fs::read_dir(h.join("keys")).unwrap())
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn every_jwks_subcommand_has_examples() {
    for sub in ["list", "add", "remove", "rotate", "use", "prune"] {
        let o = ok(bin().args(["jwks", sub, "--help"]));
        assert!(stdout(&o).contains("Examples:"), "jwks {sub} --help");
    }
    let o = ok(bin().args(["jwks", "--help"]));
    assert!(stdout(&o).contains("Examples:"));
    let o = ok(bin().args(["mint", "--help"]));
    assert!(stdout(&o).contains("--key-dir") && stdout(&o).contains("--jwks"));
}

#[test]
fn staged_rotation_publishes_first_and_use_switches() {
    let t = tempfile::tempdir().unwrap();
    let h = t.path();
    let old = keygen(h, "RS256");
    let r = rotate(h, &["--stage"]);
    let new = r["kid"].as_str().unwrap().to_string();
    // Issue 12: previous_kid was null here; now the signing kid before and after.
    assert_eq!(
        r["previous_kid"],
        old.as_str(),
        "the key that signed before"
    );
    assert_eq!(r["signing_kid"], old.as_str(), "nothing switched");
    assert_eq!(r["staged"], true);
    // Published, but the old key still signs; pruning keeps the staged key.
    assert_eq!(
        kids(&read_json(&h.join("jwks.json"))),
        [old.clone(), new.clone()]
    );
    assert_eq!(mint_kid(bin_at(h).arg("mint")), old);
    let v = json_out(bin_at(h).args(["jwks", "prune", "--keep", "1", "--json"]));
    assert_eq!(v["pruned"], json!([]));
    fails(
        bin_at(h).args(["jwks", "rotate", "--stage", "--keep", "1"]),
        2,
        "--keep",
    );

    let v = json_out(bin_at(h).args(["jwks", "use", "--json", "--kid", &new]));
    assert_eq!(v, json!({"kid": new, "previous_kid": old}));
    assert_eq!(mint_kid(bin_at(h).arg("mint")), new);
    let ring = read_json(&h.join("keys/keyring.json"));
    assert_eq!(ring["signing_kid"], new.as_str());
    let old_entry = ring["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kid"] == old.as_str())
        .unwrap();
    assert!(old_entry["retired"].is_i64(), "{ring}");

    // `use` refuses a kid the ring does not hold, and one the JWKS does not publish.
    fails(
        bin_at(h).args(["jwks", "use", "--kid", "nope"]),
        1,
        "not in the key ring",
    );
    let jwks = h.join("jwks.json");
    let mut set = read_json(&jwks);
    set["keys"]
        .as_array_mut()
        .unwrap()
        .retain(|k| k["kid"] != old.as_str());
    fs::write(&jwks, serde_json::to_string(&set).unwrap()).unwrap();
    fails(
        bin_at(h).args(["jwks", "use", "--kid", &old]),
        1,
        "is not published in",
    );
    // list points at the unpublished key.
    let v = json_out(bin_at(h).args(["jwks", "list", "--json"]));
    assert_eq!(v["unpublished"][0]["kid"], old.as_str());
    // mint --jwks checks that the signing key is published (it is).
    let mut c = bin();
    c.args([
        "mint",
        "--aud",
        "os",
        "--scopes",
        "agents:read",
        "--key-dir",
    ])
    .arg(h.join("keys"))
    .arg("--jwks")
    .arg(&jwks);
    assert_eq!(mint_kid(&mut c), new);
}

/// A valid private EC JWK (with `d`) made from a PKCS#8 PEM written by keygen.
fn private_ec_jwk(dir: &Path, kid: &str) -> Value {
    use base64::Engine as _;
    let (private, _) = key_files(dir, "ES256", kid);
    let pem = fs::read_to_string(&private).unwrap();
    let der = base64::engine::general_purpose::STANDARD
        .decode(
            pem.lines()
                .filter(|l| !l.starts_with("-----"))
                .collect::<String>(),
        )
        .unwrap();
    // The 32-byte scalar follows `04 20` (OCTET STRING) inside the PKCS#8.
    let at = der.windows(2).position(|w| w == [0x04, 0x20]).unwrap() + 2;
    let d = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&der[at..at + 32]);
    let public = stdout(&ok(bin()
        .args(["export", "--format", "jwk", "--kid", kid, "--key"])
        .arg(&private)));
    let mut jwk: Value = serde_json::from_str(&public).unwrap();
    jwk["d"] = d.into();
    jwk
}

#[test]
fn a_jwks_never_gets_private_members() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path();
    let jwk = private_ec_jwk(dir, "leaky");
    // `add` of a private JWK publishes only its public part.
    let jwks = dir.join("jwks.json");
    let key = write(dir, "leaky.jwk", &jwk.to_string());
    ok(bin()
        .args(["jwks", "add", "--key"])
        .arg(&key)
        .arg("--jwks")
        .arg(&jwks));
    let set = read_json(&jwks);
    assert_eq!(kids(&set), ["leaky"]);
    assert_public_only(&set);

    // A hand-made JWKS holding it: listed as invalid, never rewritten with it.
    let bad = write(dir, "bad.json", &json!({"keys": [jwk]}).to_string());
    let before = fs::read(&bad).unwrap();
    let o = ok(bin().args(["jwks", "list", "--jwks"]).arg(&bad));
    assert!(
        stderr(&o).contains("holds private members (d)"),
        "{}",
        stderr(&o)
    );
    let (_, other) = key_files(dir, "ES256", "other");
    let mut c = bin();
    c.args(["jwks", "add", "--key"])
        .arg(&other)
        .arg("--jwks")
        .arg(&bad);
    fails(&mut c, 1, "key #1 (leaky) has private members");
    assert_eq!(fs::read(&bad).unwrap(), before);
    // The last key: only with --force (AgentOS does not start with an empty JWKS).
    ok(bin()
        .args(["jwks", "remove", "--force", "--kid", "leaky", "--jwks"])
        .arg(&bad));
    assert_eq!(read_json(&bad), json!({"keys": []}));
}
