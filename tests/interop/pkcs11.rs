//! Keys in a PKCS#11 token: SoftHSM2 (Debian `softhsm2`) with OpenSC's `pkcs11-tool`
//! and `pkcs11-spy`, installed by `.ci/setup-softhsm`. Every test initialises its own
//! token in a temp dir (`SOFTHSM2_CONF`). Tokens signed inside the token are checked
//! by the real AgentOS (interop venv). Without SoftHSM2 these tests fail, never skip.

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{assert_one_line_error, bin, harness, ok_stdout, statuses, write};
use serde_json::{json, Value};

const MODULE: &str = "/usr/lib/softhsm/libsofthsm2.so";
const SPY: &str = "/usr/lib/x86_64-linux-gnu/pkcs11-spy.so";
const OS_ID: &str = "hsm-os";
const PIN: &str = "1234";

/// A fresh SoftHSM2 token "agentos" (user PIN 1234) in a temp dir, and a key store.
struct Hsm {
    dir: tempfile::TempDir,
}

impl Hsm {
    fn new() -> Hsm {
        assert!(
            Path::new(MODULE).exists(),
            "SoftHSM2 missing: run .ci/setup-softhsm (looked for {MODULE})"
        );
        let dir = tempfile::tempdir().unwrap();
        let tokens = dir.path().join("tokens");
        fs::create_dir(&tokens).unwrap();
        write(
            dir.path(),
            "softhsm2.conf",
            &format!(
                "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\n",
                tokens.display()
            ),
        );
        write(dir.path(), "pin", &format!("{PIN}\n"));
        write(dir.path(), "wrong-pin", "9999\n");
        let hsm = Hsm { dir };
        hsm.tool(
            "softhsm2-util",
            &[
                "--init-token",
                "--free",
                "--label",
                "agentos",
                "--pin",
                PIN,
                "--so-pin",
                "5678",
            ],
        );
        hsm
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn conf(&self) -> PathBuf {
        self.path().join("softhsm2.conf")
    }

    fn home(&self) -> PathBuf {
        self.path().join("home")
    }

    /// A URI for `object` in our token, with the PIN file (module from the env).
    fn uri(&self, object: &str) -> String {
        format!(
            "pkcs11:token=agentos;object={object}?pin-source=file:{}",
            self.path().join("pin").display()
        )
    }

    /// The token itself (where keygen/rotate create keys).
    fn token_uri(&self) -> String {
        format!(
            "pkcs11:token=agentos?pin-source=file:{}",
            self.path().join("pin").display()
        )
    }

    /// Our binary, with this token's config, the module default and the store.
    fn cmd(&self) -> assert_cmd::Command {
        let mut c = bin();
        c.env("SOFTHSM2_CONF", self.conf())
            .env("AGENTOS_AUTH_PKCS11_MODULE", MODULE)
            .arg("--home")
            .arg(self.home());
        c
    }

    fn tool(&self, name: &str, args: &[&str]) -> String {
        let o = Command::new(name)
            .args(args)
            .env("SOFTHSM2_CONF", self.conf())
            .output()
            .unwrap_or_else(|e| panic!("{name} missing: run .ci/setup-softhsm ({e})"));
        assert!(
            o.status.success(),
            "{name} {args:?}: {}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    fn pkcs11_tool(&self, args: &[&str]) -> String {
        let mut all = vec![
            "--module",
            MODULE,
            "--token-label",
            "agentos",
            "--login",
            "--pin",
            PIN,
        ];
        all.extend_from_slice(args);
        self.tool("pkcs11-tool", &all)
    }
}

/// Mints one token and three by `--batch` with the key `key` (None: the store's).
fn mint_all(hsm: &Hsm, key: Option<&str>) -> Vec<String> {
    let key_args: Vec<String> = key
        .map(|k| vec!["--key".into(), k.into()])
        .unwrap_or_default();
    let single = ok_stdout(
        hsm.cmd()
            .args([
                "mint",
                "--aud",
                OS_ID,
                "--scopes",
                "agents:read",
                "--sub",
                "alice",
            ])
            .args(&key_args),
    );
    let lines = write(
        hsm.path(),
        "lines.jsonl",
        "{\"sub\":\"u1\"}\n{\"sub\":\"u2\"}\n{\"sub\":\"u3\",\"scopes\":[\"sessions:read\"]}\n",
    );
    let batch = ok_stdout(
        hsm.cmd()
            .args(["mint", "--aud", OS_ID, "--scopes", "agents:read", "--batch"])
            .arg(&lines)
            .args(&key_args),
    );
    let mut all = vec![single.trim().to_string()];
    all.extend(batch.lines().map(str::to_string));
    assert_eq!(all.len(), 4);
    all
}

/// Requests to AgentOS with each token: GET /agents (needs agents:read).
fn agentos_docs(config: Value, tokens: &[String]) -> Value {
    let requests: Vec<Value> = tokens
        .iter()
        .map(|t| json!({"method": "GET", "path": "/agents", "token": t}))
        .collect();
    json!({"mode": "agentos", "config": config, "requests": requests})
}

/// The private objects' access flags as pkcs11-tool prints them, by label.
fn access_of(listing: &str, label: &str) -> String {
    let mut current_private = false;
    let mut current_label = String::new();
    for line in listing.lines() {
        if line.starts_with("Private Key Object") {
            current_private = true;
            current_label.clear();
        } else if !line.starts_with(' ') {
            current_private = false;
        }
        if let Some(l) = line.trim().strip_prefix("label:") {
            current_label = l.trim().to_string();
        }
        if let Some(a) = line.trim().strip_prefix("Access:") {
            if current_private && current_label == label {
                return a.trim().to_string();
            }
        }
    }
    panic!("no private key {label} in:\n{listing}")
}

#[test]
fn keys_made_in_the_token_by_keygen_and_rotate_sign_tokens_agentos_accepts() {
    let hsm = Hsm::new();
    let mut docs = Vec::new();
    let mut expected = Vec::new();
    // ES256 by keygen into the key store.
    ok_stdout(
        hsm.cmd()
            .args([
                "keygen", "--alg", "ES256", "--kid", "es-1", "--aud", OS_ID, "--token",
            ])
            .arg(hsm.token_uri()),
    );
    let ring: Value =
        serde_json::from_slice(&fs::read(hsm.home().join("keys/keyring.json")).unwrap()).unwrap();
    let recorded = ring["keys"][0]["private_key"].as_str().unwrap();
    assert!(
        recorded.starts_with("pkcs11:token=agentos;object=es-1;id=%"),
        "{recorded}"
    );
    assert!(!recorded.contains(PIN));
    assert!(
        !hsm.home().join("keys/es-1.key.pem").exists(),
        "a private key file was written"
    );
    let es_tokens = mint_all(&hsm, None);
    let es_env = ok_stdout(hsm.cmd().args(["export", "--format", "env"]));
    let es_pem = es_env
        .strip_prefix("export JWT_VERIFICATION_KEY='")
        .and_then(|s| s.strip_suffix("'\n"))
        .unwrap()
        .to_string();
    let jwks = hsm.home().join("jwks.json");
    docs.push(agentos_docs(
        json!({"algorithm": "ES256", "os_id": OS_ID, "verify_audience": true, "env": {"JWT_VERIFICATION_KEY": es_pem}}),
        &es_tokens,
    ));
    expected.push(vec![200, 200, 200, 403]);
    docs.push(agentos_docs(
        json!({"algorithm": "ES256", "os_id": OS_ID, "verify_audience": true, "jwks_file": jwks}),
        &es_tokens,
    ));
    expected.push(vec![200, 200, 200, 403]);

    // RS256 by rotate: a ring kept in the token stays there (no --token needed).
    ok_stdout(
        hsm.cmd()
            .args(["jwks", "rotate", "--alg", "RS256", "--kid", "rs-2"]),
    );
    let ring: Value =
        serde_json::from_slice(&fs::read(hsm.home().join("keys/keyring.json")).unwrap()).unwrap();
    assert_eq!(ring["signing_kid"], "rs-2");
    assert!(ring["keys"][1]["private_key"]
        .as_str()
        .unwrap()
        .starts_with("pkcs11:token=agentos;object=rs-2;"));
    let rs_tokens = mint_all(&hsm, None);
    let rs_pem = ok_stdout(hsm.cmd().args(["export", "--format", "pem"]));
    docs.push(agentos_docs(
        json!({"algorithm": "RS256", "os_id": OS_ID, "verify_audience": true, "env": {"JWT_VERIFICATION_KEY": rs_pem}}),
        &rs_tokens,
    ));
    expected.push(vec![200, 200, 200, 403]);
    docs.push(agentos_docs(
        json!({"algorithm": "RS256", "os_id": OS_ID, "verify_audience": true, "env": {"JWT_JWKS_FILE": jwks}}),
        &rs_tokens,
    ));
    expected.push(vec![200, 200, 200, 403]);

    let out = harness(&Value::Array(docs));
    let got: Vec<Vec<i64>> = out.as_array().unwrap().iter().map(statuses).collect();
    assert_eq!(got, expected);

    // The private objects were made inside the token and can never leave it.
    let listing = hsm.pkcs11_tool(&["--list-objects"]);
    for label in ["es-1", "rs-2"] {
        let access = access_of(&listing, label);
        assert!(
            access.contains("sensitive")
                && access.contains("always sensitive")
                && access.contains("never extractable")
                && access.contains("local"),
            "{label}: {access}"
        );
    }
}

#[test]
fn keys_imported_or_made_by_other_tools_sign_and_publish() {
    let hsm = Hsm::new();
    // An RSA key of ours imported with softhsm2-util, an EC key made by pkcs11-tool.
    ok_stdout(
        hsm.cmd()
            .args(["keygen", "--alg", "RS256", "--out-dir"])
            .arg(hsm.path())
            .args(["--name", "imp"]),
    );
    hsm.tool(
        "softhsm2-util",
        &[
            "--import",
            &hsm.path().join("imp.key.pem").display().to_string(),
            "--token",
            "agentos",
            "--label",
            "imported",
            "--id",
            "0a01",
            "--pin",
            PIN,
        ],
    );
    hsm.pkcs11_tool(&[
        "--keypairgen",
        "--key-type",
        "EC:prime256v1",
        "--label",
        "made",
        "--id",
        "0b02",
    ]);
    let imported = hsm.uri("imported");
    let made = hsm.uri("made");

    // The imported key's public half, read from the token, is the file's.
    let from_file = ok_stdout(
        hsm.cmd()
            .args(["export", "--format", "jwk", "--key"])
            .arg(hsm.path().join("imp.key.pem")),
    );
    let from_token = ok_stdout(
        hsm.cmd()
            .args(["export", "--format", "jwk", "--key", &imported]),
    );
    assert_eq!(from_file, from_token);
    let rs_tokens = mint_all(&hsm, Some(&imported));
    let rs_pem = ok_stdout(hsm.cmd().args(["export", "--key", &imported]));

    // pkcs11-tool's key: published with jwks add (kid = RFC 7638 thumbprint).
    let jwks = hsm.path().join("published.json");
    ok_stdout(
        hsm.cmd()
            .args(["jwks", "add", "--jwks"])
            .arg(&jwks)
            .args(["--key", &made]),
    );
    let set: Value = serde_json::from_slice(&fs::read(&jwks).unwrap()).unwrap();
    let jwk: Value = serde_json::from_str(&ok_stdout(
        hsm.cmd()
            .args(["export", "--format", "jwk", "--key", &made]),
    ))
    .unwrap();
    assert_eq!(set["keys"][0]["kid"], jwk["kid"]);
    assert_eq!(set["keys"][0]["x"], jwk["x"]);
    assert_eq!(jwk["kid"].as_str().unwrap().len(), 43, "{jwk}");
    let es_tokens = mint_all(&hsm, Some(&made));

    let out = harness(&json!([
        agentos_docs(
            json!({"algorithm": "RS256", "os_id": OS_ID, "verify_audience": true, "env": {"JWT_VERIFICATION_KEY": rs_pem}}),
            &rs_tokens
        ),
        agentos_docs(
            json!({"algorithm": "ES256", "os_id": OS_ID, "verify_audience": true, "jwks_file": jwks}),
            &es_tokens
        ),
    ]));
    let got: Vec<Vec<i64>> = out.as_array().unwrap().iter().map(statuses).collect();
    assert_eq!(got, [vec![200, 200, 200, 403], vec![200, 200, 200, 403]]);
}

#[test]
fn every_token_error_is_one_line_with_the_fix() {
    let hsm = Hsm::new();
    hsm.pkcs11_tool(&[
        "--keypairgen",
        "--key-type",
        "rsa:2048",
        "--label",
        "rsa",
        "--id",
        "01",
    ]);
    hsm.pkcs11_tool(&[
        "--keypairgen",
        "--key-type",
        "EC:prime256v1",
        "--label",
        "twin",
        "--id",
        "02",
    ]);
    hsm.pkcs11_tool(&[
        "--keypairgen",
        "--key-type",
        "EC:prime256v1",
        "--label",
        "twin",
        "--id",
        "03",
    ]);
    let pin = hsm.path().join("pin");
    let wrong = hsm.path().join("wrong-pin");
    let mint = |uri: &str, extra: &[&str]| {
        hsm.cmd()
            .args([
                "mint",
                "--aud",
                OS_ID,
                "--scopes",
                "agents:read",
                "--key",
                uri,
            ])
            .args(extra)
            .output()
            .unwrap()
    };
    let cases: Vec<(String, Vec<&str>, &str)> = vec![
        (
            "pkcs11:token=agentos;object=rsa?module-path=/nonexistent/libvendor.so".into(),
            vec![],
            "PKCS#11 module /nonexistent/libvendor.so not found",
        ),
        (
            "pkcs11:token=agentos;object=rsa?module-path=/etc/hostname".into(),
            vec![],
            "cannot load PKCS#11 module /etc/hostname",
        ),
        (
            format!(
                "pkcs11:token=elsewhere;object=rsa?pin-source=file:{}",
                pin.display()
            ),
            vec![],
            "no such token is present (tokens present: agentos)",
        ),
        (
            format!(
                "pkcs11:token=agentos;object=rsa?pin-source=file:{}",
                wrong.display()
            ),
            vec![],
            "wrong PIN",
        ),
        (
            hsm.uri("missing"),
            vec![],
            "no private key object with this label/id",
        ),
        (hsm.uri("twin"), vec![], "2 public key objects match"),
        (
            hsm.uri("rsa"),
            vec!["--alg", "ES256"],
            "the token's key is RSA but --alg ES256 needs EC P-256",
        ),
        (
            hsm.uri("rsa"),
            vec!["--alg", "HS256"],
            "HS256 keys are not kept in a token",
        ),
        ("pkcs11:token=agentos".into(), vec![], "names no key"),
        (
            "pkcs11:object=rsa;color=blue".into(),
            vec![],
            "unknown attribute \"color\"",
        ),
    ];
    for (uri, extra, needle) in &cases {
        let o = mint(uri, extra);
        assert_one_line_error(&o, 1, needle);
        assert!(!String::from_utf8_lossy(&o.stderr).contains(PIN));
    }
    // No module named anywhere.
    let o = bin()
        .env("SOFTHSM2_CONF", hsm.conf())
        .args(["export", "--key", &hsm.uri("rsa")])
        .output()
        .unwrap();
    assert_one_line_error(&o, 1, "no PKCS#11 module named");
    // No PIN anywhere, and no terminal to ask at (the private object needs a login).
    let o = mint("pkcs11:token=agentos;object=rsa", &[]);
    assert_one_line_error(&o, 1, "needs a PIN and none was given");
    // keygen: HS256 refused with the reason, before anything is created.
    let o = hsm
        .cmd()
        .args(["keygen", "--alg", "HS256", "--token"])
        .arg(hsm.token_uri())
        .output()
        .unwrap();
    assert_one_line_error(&o, 1, "AgentOS verifies HS256 with the secret itself");
    assert!(!hsm.home().join("keys").exists());
    // keygen into a label already taken.
    let o = hsm
        .cmd()
        .args(["keygen", "--alg", "ES256", "--kid", "rsa", "--token"])
        .arg(hsm.token_uri())
        .output()
        .unwrap();
    assert_one_line_error(&o, 3, "the token already holds a key with this label");
    // pin-value works, with a warning that it is visible.
    let o = mint(
        &format!("pkcs11:token=agentos;object=rsa?pin-value={PIN}"),
        &[],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("warning: pin-value= puts the token PIN in the command line"),
        "{err}"
    );
}

/// pkcs11-spy (OpenSC) logs every call to the module it wraps: count C_Login.
#[test]
fn one_login_per_run_and_none_retried() {
    assert!(
        Path::new(SPY).exists(),
        "pkcs11-spy missing: run .ci/setup-softhsm ({SPY})"
    );
    let hsm = Hsm::new();
    hsm.pkcs11_tool(&[
        "--keypairgen",
        "--key-type",
        "EC:prime256v1",
        "--label",
        "k",
        "--id",
        "01",
    ]);
    let lines: String = (0..600)
        .map(|i| format!("{{\"sub\":\"u{i}\"}}\n"))
        .collect();
    let batch = write(hsm.path(), "many.jsonl", &lines);
    let count = |pin_file: &str, log: &str, batch_run: bool| -> (std::process::Output, usize) {
        let log = hsm.path().join(log);
        let uri = format!(
            "pkcs11:token=agentos;object=k?module-path={SPY}&pin-source=file:{}",
            hsm.path().join(pin_file).display()
        );
        let mut c = hsm.cmd();
        c.env("PKCS11SPY", MODULE)
            .env("PKCS11SPY_OUTPUT", &log)
            .args([
                "mint",
                "--aud",
                OS_ID,
                "--scopes",
                "agents:read",
                "--key",
                &uri,
            ]);
        if batch_run {
            c.arg("--batch").arg(&batch);
        }
        let o = c.output().unwrap();
        let text = fs::read_to_string(&log).unwrap_or_default();
        let logins = text.lines().filter(|l| l.contains("C_Login")).count();
        (o, logins)
    };
    let (o, logins) = count("wrong-pin", "wrong.log", false);
    assert_one_line_error(&o, 1, "wrong PIN");
    assert_eq!(logins, 1, "a wrong PIN must be tried once");
    let (o, logins) = count("pin", "batch.log", true);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let tokens: Vec<String> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(tokens.len(), 600);
    assert_eq!(logins, 1, "one login for a whole parallel batch");
    // Tokens signed by every thread of the batch verify: a sample across the chunk.
    let jwks = hsm.path().join("jwks.json");
    ok_stdout(
        hsm.cmd()
            .args(["jwks", "add", "--jwks"])
            .arg(&jwks)
            .args(["--key", &hsm.uri("k")]),
    );
    let sample: Vec<String> = tokens.iter().step_by(37).cloned().collect();
    let out = harness(&agentos_docs(
        json!({"algorithm": "ES256", "os_id": OS_ID, "verify_audience": true, "jwks_file": jwks}),
        &sample,
    ));
    assert_eq!(statuses(&out), vec![200; sample.len()]);
}

/// `serve` signs inside the token: a client-credentials token from a key store whose
/// signing key is a SoftHSM2 key verifies against the store's JWKS.
#[test]
fn serve_signs_with_a_key_in_the_token() {
    use crate::serve_support::{basic, Serve};
    let hsm = Hsm::new();
    ok_stdout(
        hsm.cmd()
            .args([
                "keygen", "--alg", "ES256", "--kid", "es-1", "--aud", OS_ID, "--token",
            ])
            .arg(hsm.token_uri()),
    );
    let out =
        ok_stdout(
            hsm.cmd()
                .args(["clients", "add", "ci", "--scopes", "agents:read", "--json"]),
        );
    let secret = serde_json::from_str::<Value>(&out).unwrap()["client_secret"]
        .as_str()
        .unwrap()
        .to_string();
    let conf = hsm.conf();
    let srv = Serve::start_with(
        &hsm.home(),
        &["--rate-limit", "0"],
        &[
            ("SOFTHSM2_CONF", &conf),
            ("AGENTOS_AUTH_PKCS11_MODULE", Path::new(MODULE)),
        ],
    );
    for _ in 0..3 {
        let a = srv.token(&[&basic("ci", &secret)], "grant_type=client_credentials");
        assert_eq!(a.status, 200, "{a:?}; log:\n{}", srv.log());
        let token = a.json()["access_token"].as_str().unwrap().to_string();
        let o = hsm
            .cmd()
            .args(["verify", &token, "--request", "GET /agents"])
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}
