//! The core commands driven through the real binary: keygen, export, mint.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use agentos_auth::token;
use common::{assert_one_line_error, bin, write};
use serde_json::Value;

fn keygen_store(home: &Path, alg: &str) -> Value {
    let out = bin()
        .args([
            "--home",
            home.to_str().unwrap(),
            "keygen",
            "--alg",
            alg,
            "--aud",
            "test-os",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "keygen failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn mint(home: &Path, args: &[&str]) -> std::process::Output {
    bin()
        .args(["--home", home.to_str().unwrap(), "mint"])
        .args(args)
        .output()
        .unwrap()
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn keygen_json_has_exactly_the_contract_keys_and_safe_modes() {
    for alg in ["RS256", "ES256", "HS256"] {
        let home = tempfile::tempdir().unwrap();
        let v = keygen_store(home.path(), alg);
        let obj = v.as_object().unwrap();
        let mut keys: Vec<_> = obj.keys().cloned().collect();
        keys.sort();
        assert_eq!(keys, ["alg", "kid", "private_key", "public_key"]);
        assert_eq!(v["alg"], alg);
        let private = Path::new(v["private_key"].as_str().unwrap());
        assert_eq!(
            fs::metadata(private).unwrap().permissions().mode() & 0o777,
            0o600,
            "{alg}"
        );
        let keydir = private.parent().unwrap();
        assert_eq!(
            fs::metadata(keydir).unwrap().permissions().mode() & 0o777,
            0o700
        );
        if alg == "HS256" {
            assert!(v["public_key"].is_null());
            let secret = fs::read_to_string(private).unwrap();
            assert!(secret.len() >= 43 && !secret.ends_with('\n'), "{secret:?}");
        } else {
            let public = fs::read_to_string(v["public_key"].as_str().unwrap()).unwrap();
            assert!(public.starts_with("-----BEGIN PUBLIC KEY-----\n"));
            let jwks = fs::read_to_string(home.path().join("jwks.json")).unwrap();
            let jwks: Value = serde_json::from_str(&jwks).unwrap();
            let k = &jwks["keys"][0];
            assert_eq!(k["kid"], v["kid"]);
            for member in ["d", "p", "q", "dp", "dq", "qi", "k"] {
                assert!(k.get(member).is_none(), "{alg} JWKS carries {member}");
            }
        }
    }
}

#[test]
fn keygen_rsa_sizes_and_refusals() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin()
        .args(["keygen", "--alg", "RS256", "--bits", "3072", "--out-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let pem = fs::read(dir.path().join("agentos.key.pem")).unwrap();
    let o = bin()
        .args(["export", "--format", "jwk", "--key"])
        .arg(dir.path().join("agentos.key.pem"))
        .output()
        .unwrap();
    let jwk: Value = serde_json::from_slice(&o.stdout).unwrap();
    // 3072 bits = 384 bytes = 512 base64url chars.
    assert_eq!(jwk["n"].as_str().unwrap().len(), 512);

    let o = bin()
        .args(["keygen", "--bits", "1024", "--out-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));

    // An existing key is never overwritten without --force, and is left byte for byte.
    let o = bin()
        .args(["keygen", "--out-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_one_line_error(&o, 3, "already exists");
    assert_eq!(fs::read(dir.path().join("agentos.key.pem")).unwrap(), pem);
    let o = bin()
        .args(["keygen", "--force", "--out-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(o.status.success());
    assert_ne!(fs::read(dir.path().join("agentos.key.pem")).unwrap(), pem);
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn keygen_kid_defaults_to_rfc7638_thumbprint_and_mint_puts_it_in_the_header() {
    let home = tempfile::tempdir().unwrap();
    let v = keygen_store(home.path(), "ES256");
    let kid = v["kid"].as_str().unwrap();
    assert_eq!(kid.len(), 43, "SHA-256 base64url");
    let o = mint(home.path(), &["--scopes", "agents:read"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let t = token::decode(String::from_utf8_lossy(&o.stdout).trim()).unwrap();
    assert_eq!(t.header["kid"], kid);
    assert_eq!(t.header["alg"], "ES256");
    assert_eq!(t.header["typ"], "JWT");
    assert_eq!(t.signature.len(), 64, "ES256 signatures are raw r||s");
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

#[test]
fn export_formats_and_secret_guard() {
    let home = tempfile::tempdir().unwrap();
    let v = keygen_store(home.path(), "RS256");
    let h = home.path().to_str().unwrap();
    let pem = bin().args(["--home", h, "export"]).output().unwrap();
    assert!(pem.status.success());
    assert_eq!(
        pem.stdout,
        fs::read(v["public_key"].as_str().unwrap()).unwrap()
    );

    let jwk = bin()
        .args(["--home", h, "export", "--format", "jwk"])
        .output()
        .unwrap();
    let jwk: Value = serde_json::from_slice(&jwk.stdout).unwrap();
    assert_eq!(jwk["kty"], "RSA");
    assert_eq!(jwk["use"], "sig");
    assert_eq!(jwk["alg"], "RS256");
    assert_eq!(jwk["kid"], v["kid"]);
    assert!(jwk["n"].is_string() && jwk["e"] == "AQAB" && jwk.get("d").is_none());

    let jwks = bin()
        .args(["--home", h, "export", "--format", "jwks", "--kid", "k1"])
        .output()
        .unwrap();
    let jwks: Value = serde_json::from_slice(&jwks.stdout).unwrap();
    assert_eq!(jwks["keys"][0]["kid"], "k1");

    // Private key files are never printed by export.
    let private = fs::read_to_string(v["private_key"].as_str().unwrap()).unwrap();
    for fmt in ["pem", "jwk", "jwks", "env", "dotenv"] {
        let o = bin()
            .args(["--home", h, "export", "--format", fmt])
            .output()
            .unwrap();
        let all = format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(&o));
        assert!(
            !all.contains("PRIVATE KEY") && !all.contains(private.lines().nth(1).unwrap()),
            "{fmt}"
        );
    }

    let hs = tempfile::tempdir().unwrap();
    let v = keygen_store(hs.path(), "HS256");
    let secret = fs::read_to_string(v["private_key"].as_str().unwrap()).unwrap();
    let hh = hs.path().to_str().unwrap();
    for fmt in ["pem", "jwk", "jwks", "env", "dotenv"] {
        let o = bin()
            .args(["--home", hh, "export", "--format", fmt])
            .output()
            .unwrap();
        assert_one_line_error(&o, 1, "--include-secret");
        assert!(!stderr(&o).contains(&secret));
    }
    let o = bin()
        .args([
            "--home",
            hh,
            "export",
            "--format",
            "jwk",
            "--include-secret",
        ])
        .output()
        .unwrap();
    let jwk: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(jwk["kty"], "oct");
    assert_eq!(jwk["alg"], "HS256");
}

#[test]
fn env_export_round_trips_through_a_posix_shell() {
    for alg in ["RS256", "ES256", "HS256"] {
        let home = tempfile::tempdir().unwrap();
        let v = keygen_store(home.path(), alg);
        let expected = if alg == "HS256" {
            fs::read_to_string(v["private_key"].as_str().unwrap()).unwrap()
        } else {
            fs::read_to_string(v["public_key"].as_str().unwrap()).unwrap()
        };
        let o = bin()
            .args([
                "--home",
                home.path().to_str().unwrap(),
                "export",
                "--format",
                "env",
                "--include-secret",
            ])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        let line = write(home.path(), "env.sh", &String::from_utf8(o.stdout).unwrap());
        let sh = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!(
                ". '{}'; printf %s \"$JWT_VERIFICATION_KEY\"",
                line.display()
            ))
            .output()
            .unwrap();
        assert_eq!(String::from_utf8(sh.stdout).unwrap(), expected, "{alg}");
    }
}

#[test]
fn every_command_reports_a_failed_stdout_write_without_panicking() {
    // All product output goes through one writer (commands::print_line/print_text):
    // a full disk is one error line and exit 3, a closed pipe a quiet exit.
    for args in [
        &["scopes"][..],
        &["scopes", "--json"],
        &["inspect", "e30.e30.c2ln"],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_agentos-auth"))
            .args(args)
            .stdout(full)
            .output()
            .unwrap();
        assert_one_line_error(&o, 3, "cannot write to standard output");
    }
}
