//! `doctor`: findings about the environment AgentOS reads, each with its fix; exit
//! codes; and (interop) its `--token` verdict against the real AgentOS under the
//! same environment.

use crate::common;

use std::path::Path;

use agentos_auth::keys::{Alg, Key};
use agentos_auth::token;
#[cfg(feature = "interop")]
use common::harness;
use common::{bin, write};
use serde_json::{json, Value};

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn doctor(env: &[(&str, &str)], args: &[&str]) -> Out {
    let mut c = bin();
    c.arg("doctor").args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    let o = c.output().unwrap();
    Out {
        code: o.status.code().unwrap(),
        stdout: String::from_utf8(o.stdout).unwrap(),
        stderr: String::from_utf8(o.stderr).unwrap(),
    }
}

/// The finding lines of `level` about `subject`.
fn lines<'a>(o: &'a Out, level: &str, subject: &str) -> Vec<&'a str> {
    o.stdout
        .lines()
        .filter(|l| l.starts_with(level) && l[8..].starts_with(subject))
        .collect()
}

fn jwt(key: &Key, kid: Option<&str>, claims: Value) -> String {
    let Value::Object(c) = claims else { panic!() };
    let h = token::header(&key.signer().unwrap(), kid);
    token::encode(&h, &c, &key.signer().unwrap()).unwrap()
}

fn claims() -> Value {
    let now = agentos_auth::time::now();
    json!({"sub": "alice", "aud": "test-os", "iat": now, "exp": now + 3600, "scopes": ["agents:read"]})
}

#[test]
fn empty_environment_breaks_auth() {
    let o = doctor(&[], &[]);
    assert_eq!(o.code, 1);
    assert_eq!(lines(&o, "error", "JWT").len(), 1, "{}", o.stdout);
    assert!(o.stdout.contains("refuses to start"));
    assert!(o.stdout.contains("Fix: set JWT_VERIFICATION_KEY"));
    assert_eq!(o.stderr.lines().count(), 1, "{}", o.stderr);
}

#[test]
fn pem_with_literal_newlines() {
    let key = Key::generate(Alg::RS256, 2048).unwrap();
    let mangled = key.public_key_pem().unwrap().replace('\n', "\\n");
    let o = doctor(&[("JWT_VERIFICATION_KEY", &mangled)], &[]);
    assert_eq!(o.code, 1);
    let e = lines(&o, "error", "JWT_VERIFICATION_KEY");
    assert_eq!(e.len(), 1, "{}", o.stdout);
    assert!(e[0].contains("two characters \\n"), "{}", e[0]);
    assert!(e[0].contains("Could not parse the provided public key."));
    assert!(e[0].contains("Fix: give AgentOS the PEM with real newlines"));
    // With --token the verdict decides the exit code: 401 → 10.
    let t = jwt(&key, None, claims());
    let o = doctor(&[("JWT_VERIFICATION_KEY", &mangled)], &["--token", &t]);
    assert_eq!(o.code, 10, "{}", o.stderr);
    // The same PEM with real newlines is fine.
    let o = doctor(
        &[("JWT_VERIFICATION_KEY", &key.public_key_pem().unwrap())],
        &["--token", &t],
    );
    assert_eq!(o.code, 0, "{}\n{}", o.stdout, o.stderr);
    assert_eq!(lines(&o, "ok", "JWT_VERIFICATION_KEY").len(), 1);
    assert!(o.stdout.contains("200: "));
}

#[test]
fn key_type_private_key_and_algorithm() {
    let rsa = Key::generate(Alg::RS256, 2048).unwrap();
    let ec = Key::generate(Alg::ES256, 0).unwrap();
    let rsa_private = rsa.private_key_pem().unwrap();
    let o = doctor(&[("JWT_VERIFICATION_KEY", &rsa_private)], &[]);
    assert_eq!(o.code, 1);
    assert!(lines(&o, "error", "JWT_VERIFICATION_KEY")[0].contains("PRIVATE key"));
    // An EC private key still verifies, but does not belong there.
    let o = doctor(
        &[("JWT_VERIFICATION_KEY", &ec.private_key_pem().unwrap())],
        &["--alg", "ES256"],
    );
    assert_eq!(o.code, 0, "{}", o.stdout);
    assert!(lines(&o, "warning", "JWT_VERIFICATION_KEY")[0].contains("private key"));
    assert!(o.stdout.contains("no env var sets the algorithm"));
    // An EC key on a default (RS256) AgentOS.
    let o = doctor(
        &[("JWT_VERIFICATION_KEY", &ec.public_key_pem().unwrap())],
        &[],
    );
    assert_eq!(o.code, 1);
    let e = lines(&o, "error", "JWT_VERIFICATION_KEY");
    assert!(e[0].contains("but AgentOS is set to RS256"), "{}", e[0]);
    assert!(
        e[0].contains("Authorization(algorithm=\"ES256\")"),
        "{}",
        e[0]
    );
    // A PEM on an HS256 AgentOS.
    let o = doctor(
        &[("JWT_VERIFICATION_KEY", &rsa.public_key_pem().unwrap())],
        &["--alg", "HS256"],
    );
    assert_eq!(o.code, 1);
    assert!(lines(&o, "error", "JWT_VERIFICATION_KEY")[0]
        .contains("should not be used as an HMAC secret"));
}

#[test]
fn hs256_secret_warnings() {
    let o = doctor(
        &[("JWT_VERIFICATION_KEY", "short-secret\n")],
        &["--alg", "HS256"],
    );
    assert_eq!(o.code, 0, "{}", o.stdout);
    let w = lines(&o, "warning", "JWT_VERIFICATION_KEY");
    assert_eq!(w.len(), 2, "{}", o.stdout);
    assert!(w[0].contains("13 bytes") && w[0].contains("keygen --alg HS256"));
    assert!(w[1].contains("whitespace"));
}

#[test]
fn jwt_jwks_and_security_key() {
    let key = Key::generate(Alg::RS256, 2048).unwrap();
    let jwks = json!({"keys": [key.public_jwk(Some("k1")).unwrap()]}).to_string();
    let o = doctor(&[("JWT_JWKS", &jwks)], &[]);
    assert_eq!(o.code, 1);
    let e = lines(&o, "error", "JWT_JWKS");
    assert!(
        e[0].contains("does not read it") && e[0].contains("JWT_JWKS_FILE"),
        "{}",
        e[0]
    );
    let pem = key.public_key_pem().unwrap();
    let o = doctor(
        &[
            ("JWT_JWKS", &jwks),
            ("JWT_VERIFICATION_KEY", &pem),
            ("OS_SECURITY_KEY", "s3cret"),
        ],
        &[],
    );
    assert_eq!(o.code, 0, "{}", o.stdout);
    assert_eq!(lines(&o, "warning", "JWT_JWKS").len(), 1);
    let w = lines(&o, "warning", "OS_SECURITY_KEY");
    assert!(w[0].contains("Not enough segments"), "{}", w[0]);
}

fn jwks_file(dir: &Path, keys: Vec<Value>) -> String {
    write(dir, "jwks.json", &json!({ "keys": keys }).to_string())
        .display()
        .to_string()
}

#[test]
fn jwks_file_findings() {
    let dir = tempfile::tempdir().unwrap();
    let a = Key::generate(Alg::RS256, 2048).unwrap();
    let b = Key::generate(Alg::RS256, 2048).unwrap();
    let ec = Key::generate(Alg::ES256, 0).unwrap();
    let jwk =
        |k: &Key, kid: Option<&str>| serde_json::to_value(k.public_jwk(kid).unwrap()).unwrap();
    let mut broken = jwk(&ec, Some("bad"));
    broken["x"] = json!("AAAA");
    let path = jwks_file(
        dir.path(),
        vec![
            jwk(&a, Some("k1")),
            jwk(&b, None),
            broken,
            jwk(&ec, Some("e1")),
        ],
    );
    let o = doctor(&[("JWT_JWKS_FILE", &path)], &["--json"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v: Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["ok"], true);
    let f = v["findings"].as_array().unwrap();
    let about = |n: &str| {
        f.iter()
            .find(|x| x["subject"].as_str().unwrap().contains(n))
            .unwrap()
            .clone()
    };
    assert_eq!(about("key #1")["level"], "ok");
    assert_eq!(about("key #2")["level"], "warning");
    assert!(about("key #2")["message"]
        .as_str()
        .unwrap()
        .contains("default key"));
    assert!(about("key #3")["message"]
        .as_str()
        .unwrap()
        .starts_with("AgentOS skips this key"));
    assert!(about("key #4")["message"]
        .as_str()
        .unwrap()
        .contains("ES256 key, but AgentOS is set to RS256"));
    // Missing file: AgentOS would not start.
    let o = doctor(&[("JWT_JWKS_FILE", "/nonexistent/jwks.json")], &[]);
    assert_eq!(o.code, 1);
    assert!(lines(&o, "error", "JWT_JWKS_FILE")[0].contains("refuses to start"));
    // --token: verdict against the JWKS; a kid-less token picks the default key.
    let t = jwt(&b, None, claims());
    let o = doctor(
        &[("JWT_JWKS_FILE", &path)],
        &[
            "--token",
            &t,
            "--os-id",
            "test-os",
            "--request",
            "GET /agents",
        ],
    );
    assert_eq!(o.code, 0, "{}\n{}", o.stdout, o.stderr);
    let t = jwt(&a, Some("k1"), claims());
    let o = doctor(
        &[("JWT_JWKS_FILE", &path)],
        &["--token", &t, "--os-id", "other", "--json"],
    );
    assert_eq!(o.code, 10);
    let v: Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["verdict"]["status"], 401);
    assert_eq!(v["ok"], false);
}

/// The doctor's `--token` verdict under an environment equals what the real AgentOS
/// answers when started with that same environment.
#[cfg(feature = "interop")]
#[test]
fn doctor_verdict_matches_agentos_env() {
    let rsa = Key::generate(Alg::RS256, 2048).unwrap();
    let pem = rsa.public_key_pem().unwrap();
    let envs: Vec<(&str, Vec<(&str, String)>)> = vec![
        ("good PEM", vec![("JWT_VERIFICATION_KEY", pem.clone())]),
        (
            "PEM with literal \\n",
            vec![("JWT_VERIFICATION_KEY", pem.replace('\n', "\\n"))],
        ),
        (
            "PEM in quotes, CRLF",
            vec![(
                "JWT_VERIFICATION_KEY",
                format!("\"{}\"", pem.replace('\n', "\r\n")),
            )],
        ),
        (
            "private key",
            vec![(
                "JWT_VERIFICATION_KEY",
                rsa.private_key_pem().unwrap().to_string(),
            )],
        ),
        (
            "security key too",
            vec![
                ("JWT_VERIFICATION_KEY", pem.clone()),
                ("OS_SECURITY_KEY", "s".into()),
            ],
        ),
    ];
    let t = jwt(&rsa, None, claims());
    let docs: Vec<Value> = envs
        .iter()
        .map(|(_, env)| {
            let env: serde_json::Map<String, Value> =
                env.iter().map(|(k, v)| (k.to_string(), json!(v))).collect();
            json!({"mode": "agentos", "config": {"os_id": "test-os", "verify_audience": true, "env": env},
                   "requests": [{"method": "GET", "path": "/agents", "token": t}]})
        })
        .collect();
    let answers = harness(&Value::Array(docs));
    for ((name, env), answer) in envs.iter().zip(answers.as_array().unwrap()) {
        let r = &answer["responses"][0];
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let o = doctor(
            &env,
            &[
                "--token",
                &t,
                "--os-id",
                "test-os",
                "--request",
                "GET /agents",
                "--json",
            ],
        );
        let v: Value =
            serde_json::from_str(&o.stdout).unwrap_or_else(|e| panic!("{name}: {e}: {}", o.stderr));
        let real = r["status"].as_i64().unwrap();
        assert_eq!(
            v["verdict"]["status"].as_i64(),
            Some(real),
            "{name}: {v} vs {r}"
        );
        if real != 200 {
            assert_eq!(v["verdict"]["detail"], r["detail"], "{name}");
        }
    }
}

/// An HS256 secret in JWT_VERIFICATION_KEY, doctor at its default RS256: say it looks
/// like an HS256 secret and what to set, not "give AgentOS the RSA public key".
#[test]
fn hs256_secret_under_default_alg() {
    let o = doctor(
        &[(
            "JWT_VERIFICATION_KEY",
            "a-shared-secret-of-32-bytes-or-more!!",
        )],
        &[],
    );
    assert_eq!(o.code, 1, "{}", o.stdout);
    let found = lines(&o, "error", "JWT_VERIFICATION_KEY");
    assert_eq!(found.len(), 1, "{}", o.stdout);
    assert!(
        found[0].contains("looks like an HS256 secret"),
        "{}",
        found[0]
    );
    assert!(
        found[0].contains("agentos-auth doctor --alg HS256"),
        "{}",
        found[0]
    );
    assert!(
        !found[0].contains("give AgentOS the RSA public key"),
        "{}",
        found[0]
    );
    // With the right algorithm the same secret is fine.
    let o = doctor(
        &[(
            "JWT_VERIFICATION_KEY",
            "a-shared-secret-of-32-bytes-or-more!!",
        )],
        &["--alg", "HS256"],
    );
    assert_eq!(o.code, 0, "{}", o.stdout);
}

/// The cryptography hint is given once, even with a --token verdict (and -v).
#[test]
fn cryptography_hint_once() {
    let dir = tempfile::tempdir().unwrap();
    let key = Key::generate(Alg::RS256, 2048).unwrap();
    let t = jwt(&key, None, claims());
    for extra in [&[][..], &["-v"][..]] {
        let mut args = vec!["--token", t.as_str()];
        args.extend_from_slice(extra);
        let o = doctor(
            &[("JWT_VERIFICATION_KEY", &key.public_key_pem().unwrap())],
            &args,
        );
        assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
        let all = format!("{}{}", o.stdout, o.stderr);
        let said = all.lines().filter(|l| l.contains("cryptography")).count();
        assert_eq!(said, 1, "{all}");
    }
    drop(dir);
}
