//! `mint` through the real binary: the two-command path, durations and times, bad inputs,
//! explicit key files, stdin and the environment. (`mint --batch`: mint_batch.rs.)

use std::fs;
use std::path::Path;

use crate::common::{assert_one_line_error, bin, write};
use crate::keygen::{keygen_store, stderr};
use agentos_auth::token;
use serde_json::Value;

pub(crate) fn mint(home: &Path, args: &[&str]) -> std::process::Output {
    bin()
        .args(["--home", home.to_str().unwrap(), "mint"])
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn two_command_path_mints_a_complete_token() {
    let home = tempfile::tempdir().unwrap();
    keygen_store(home.path(), "RS256");
    let o = bin()
        .env("USER", "alice")
        .args([
            "--home",
            home.path().to_str().unwrap(),
            "mint",
            "--scopes",
            "agents:read,sessions:read",
            "--scopes",
            "agents:my-agent:run",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let stdout = String::from_utf8(o.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1);
    let t = token::decode(stdout.trim()).unwrap();
    let c = t.claims.as_object().unwrap();
    assert_eq!(c["sub"], "alice");
    assert_eq!(c["aud"], "test-os");
    assert_eq!(
        c["scopes"],
        serde_json::json!(["agents:read", "sessions:read", "agents:my-agent:run"])
    );
    let iat = c["iat"].as_i64().unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    assert!(iat <= now && iat > now - 60);
    assert_eq!(c["exp"].as_i64().unwrap() - iat, 3600);
}

#[test]
fn mint_durations_times_and_optional_claims() {
    let home = tempfile::tempdir().unwrap();
    keygen_store(home.path(), "HS256");
    let cases: &[(&[&str], &str, i64)] = &[
        (&["--expires-in", "30s"], "exp", 30),
        (&["--expires-in", "15m"], "exp", 900),
        (&["-e", "7d"], "exp", 7 * 86400),
        (&["--expires-in", "1h30m"], "exp", 5400),
    ];
    for (args, claim, delta) in cases {
        let o = mint(home.path(), &[&["--scopes", "agents:read"], *args].concat());
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        let t = token::decode(String::from_utf8_lossy(&o.stdout).trim()).unwrap();
        assert_eq!(
            t.claims[claim].as_i64().unwrap() - t.claims["iat"].as_i64().unwrap(),
            *delta,
            "{args:?}"
        );
    }
    let o = mint(
        home.path(),
        &[
            "--scopes",
            "agents:read",
            "--exp",
            "2099-01-01T00:00:00Z",
            "--iss",
            "ci",
            "--jti",
            "--session-id",
            "s1",
            "--claim",
            "tier=3",
            "--claim",
            "team=ops",
            "--claims",
            r#"{"org":"acme"}"#,
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let c = &v["claims"];
    assert_eq!(c["exp"], 4070908800i64);
    assert_eq!(v["expires_at"], "2099-01-01T00:00:00Z");
    assert_eq!(c["iss"], "ci");
    assert_eq!(c["session_id"], "s1");
    assert_eq!(c["tier"], 3);
    assert_eq!(c["team"], "ops");
    assert_eq!(c["org"], "acme");
    assert_eq!(c["jti"].as_str().unwrap().len(), 36);
    assert_eq!(v["header"]["alg"], "HS256");
    let t = token::decode(v["token"].as_str().unwrap()).unwrap();
    assert_eq!(&t.claims, c);

    let o = mint(
        home.path(),
        &["--scopes", "agents:read", "--no-exp", "--no-iat"],
    );
    let t = token::decode(String::from_utf8_lossy(&o.stdout).trim()).unwrap();
    assert!(t.claims.get("exp").is_none() && t.claims.get("iat").is_none());
}

#[test]
fn mint_bad_inputs_are_one_line_errors() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    // No key anywhere.
    assert_one_line_error(
        &mint(h, &["--scopes", "agents:read", "--aud", "x"]),
        1,
        "keygen",
    );
    keygen_store(h, "RS256");
    let cases: &[(&[&str], &str)] = &[
        (&["--scopes", "agent:read"], "agents:read"),
        (&["--scopes", "agents:read", "--expires-in", "10x"], "10x"),
        (&["--scopes", "agents:read", "--expires-in", "-1h"], "-1h"),
        (&["--scopes", "agents:read", "--sub", "sa:robot"], "sa:"),
        (
            &["--scopes", "agents:read", "--sub", "__scheduler__"],
            "__scheduler__",
        ),
        (&["--scopes", "agents:read", "--alg", "ES256"], "ES256"),
        (
            &["--scopes", "agents:read", "--claims", "[1]"],
            "JSON object",
        ),
        (
            &["--claims", r#"{"scopes":"agents:read sessions:read"}"#],
            "list",
        ),
        (
            &["--scopes", "agents:read", "--exp", "2001-01-01T00:00:00Z"],
            "future",
        ),
        (&[], "--scopes"),
    ];
    for (args, needle) in cases {
        assert_one_line_error(&mint(h, args), 1, needle);
    }
    // Unknown scopes pass when asked.
    assert!(
        mint(h, &["--scopes", "custom:thing", "--allow-unknown-scopes"])
            .status
            .success()
    );

    // No audience anywhere.
    let bare = tempfile::tempdir().unwrap();
    let o = bin()
        .args([
            "--home",
            bare.path().to_str().unwrap(),
            "keygen",
            "--alg",
            "ES256",
        ])
        .output()
        .unwrap();
    assert!(o.status.success());
    assert_one_line_error(&mint(bare.path(), &["--scopes", "agents:read"]), 1, "--aud");
}

#[test]
fn mint_with_explicit_key_files_stdin_and_env() {
    let dir = tempfile::tempdir().unwrap();
    let o = bin()
        .args(["keygen", "--alg", "ES256", "--out-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(o.status.success());
    let key_path = dir.path().join("agentos.key.pem");
    let pem = fs::read_to_string(&key_path).unwrap();

    let o = bin()
        .args(["mint", "--aud", "os", "--scopes", "agents:read", "--key"])
        .arg(&key_path)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));

    let o = bin()
        .args([
            "mint",
            "--aud",
            "os",
            "--scopes",
            "agents:read",
            "--key",
            "-",
        ])
        .write_stdin(pem.clone())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));

    // CI secret stores mangle newlines: spaces and CRLF must still read.
    for mangled in [pem.replace('\n', " "), pem.replace('\n', "\r\n")] {
        let o = bin()
            .env("AGENTOS_AUTH_KEY", &mangled)
            .args(["mint", "--aud", "os", "--scopes", "agents:read"])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
    }

    // A key of the wrong type for --alg, a garbled PEM, a missing file.
    assert_one_line_error(
        &bin()
            .args([
                "mint",
                "--aud",
                "os",
                "--scopes",
                "agents:read",
                "--alg",
                "RS256",
                "--key",
            ])
            .arg(&key_path)
            .output()
            .unwrap(),
        1,
        "RS256",
    );
    let garbled = write(dir.path(), "garbled.pem", &pem.replace("A", "*"));
    assert_one_line_error(
        &bin()
            .args(["mint", "--aud", "os", "--scopes", "agents:read", "--key"])
            .arg(&garbled)
            .output()
            .unwrap(),
        1,
        "garbled.pem",
    );
    assert_one_line_error(
        &bin()
            .args([
                "mint",
                "--aud",
                "os",
                "--scopes",
                "agents:read",
                "--key",
                "/nonexistent/k.pem",
            ])
            .output()
            .unwrap(),
        3,
        "/nonexistent/k.pem",
    );
    // A public key cannot sign.
    let o = bin()
        .args(["mint", "--aud", "os", "--scopes", "agents:read", "--key"])
        .arg(dir.path().join("agentos.pub.pem"))
        .output()
        .unwrap();
    assert_one_line_error(&o, 1, "public");
}

/// `mint --bad KIND`: each kind is refused by `verify` for its own reason (the same
/// decision a real AgentOS makes: tests/interop/verify.rs), and only that kind differs
/// from the good token: the same flags without --bad give a 200.
#[test]
fn bad_tokens_are_refused_each_for_its_reason() {
    // (kind, store alg, status, words of the detail AgentOS sends)
    let cases: &[(&str, &str, i64, &str)] = &[
        ("expired", "ES256", 401, "Token has expired"),
        ("not-yet-valid", "ES256", 401, "not yet valid (nbf)"),
        ("wrong-audience", "ES256", 401, "Invalid token audience"),
        ("wrong-key", "ES256", 401, "Signature verification failed"),
        ("wrong-key", "HS256", 401, "Signature verification failed"),
        ("unknown-kid", "ES256", 401, "No verification keys"),
        ("wrong-alg", "ES256", 401, "alg value is not allowed"),
        ("wrong-alg", "HS256", 401, "alg value is not allowed"),
        ("alg-none", "ES256", 401, "alg value is not allowed"),
        ("scope-string", "ES256", 403, "Insufficient permissions"),
        ("reserved-subject", "ES256", 401, "Invalid token subject"),
    ];
    let verdict = |home: &Path, alg: &str, jwt: &str| -> Value {
        let jwks = home.join("jwks.json");
        let mut cmd = bin();
        cmd.args(["--home", home.to_str().unwrap(), "verify", jwt, "--json"])
            .args(["--alg", alg, "--aud", "test-os", "--request", "GET /agents"]);
        if alg != "HS256" {
            cmd.arg("--jwks").arg(jwks);
        }
        let o = cmd.output().unwrap();
        serde_json::from_slice(&o.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stderr)))
    };
    let flags = ["--scopes", "agents:read,agents:run", "--sub", "alice"];
    for alg in ["ES256", "HS256"] {
        let dir = tempfile::tempdir().unwrap();
        keygen_store(dir.path(), alg);
        let good = mint(dir.path(), &flags);
        assert!(good.status.success(), "{}", stderr(&good));
        let good = String::from_utf8(good.stdout).unwrap();
        assert_eq!(verdict(dir.path(), alg, good.trim())["status"], 200);
        for (kind, _, status, detail) in cases.iter().filter(|c| c.1 == alg) {
            let o = mint(dir.path(), &[&flags[..], &["--bad", kind]].concat());
            assert!(o.status.success(), "{kind}: {}", stderr(&o));
            let jwt = String::from_utf8(o.stdout).unwrap();
            let v = verdict(dir.path(), alg, jwt.trim());
            assert_eq!(v["status"], *status, "{kind} ({alg}): {v}");
            assert!(
                v["detail"].as_str().unwrap().contains(detail),
                "{kind} ({alg}): {v}"
            );
        }
    }
}

#[test]
fn bad_token_kinds_are_named_on_a_wrong_one() {
    let o = bin()
        .args(["mint", "--scopes", "agents:read", "--bad", "expird"])
        .output()
        .unwrap();
    crate::common::assert_one_line_stderr(&o, 2, "expired");
}
