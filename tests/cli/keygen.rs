//! `keygen` through the real binary: the `--json` contract, file modes, RSA sizes, the kid.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use crate::common::{assert_one_line_error, bin};
use crate::mint::mint;
use agentos_auth::token;
use serde_json::Value;

/// `keygen --alg ALG --aud test-os --json` into the store at `home`: its JSON.
pub(crate) fn keygen_store(home: &Path, alg: &str) -> Value {
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

pub(crate) fn stderr(o: &std::process::Output) -> String {
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
fn keygen_out_dir_refuses_a_pkcs11_uri_and_points_to_token() {
    // Before: a directory named after the URI, holding a plain key file, and exit 0.
    let dir = tempfile::tempdir().unwrap();
    for uri in [
        "pkcs11:token=agentos?pin-value=1234",
        "PKCS11:token=agentos;object=signing",
    ] {
        let o = bin()
            .current_dir(dir.path())
            .args(["keygen", "--alg", "ES256", "--out-dir", uri])
            .output()
            .unwrap();
        assert_one_line_error(&o, 1, "--out-dir takes a directory");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("--token"), "{err}");
        assert!(!err.contains("1234"), "the PIN was echoed: {err}");
    }
    let left: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
    assert!(left.is_empty(), "wrote {left:?}");
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
