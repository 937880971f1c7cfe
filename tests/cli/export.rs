//! `export` through the real binary: every format, the secret guard, env lines a shell reads back.

use std::fs;

use crate::common::{assert_one_line_error, bin, write};
use crate::keygen::{keygen_store, stderr};
use serde_json::Value;

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
