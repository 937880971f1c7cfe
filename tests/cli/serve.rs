//! `agentos-auth serve` against the real binary on 127.0.0.1: the client-credentials
//! grant and its RFC 6749 §5.1/§5.2 answers, hostile requests (malformed forms, oversized
//! bodies and heads, wrong secrets, slow clients), changes picked up without a restart,
//! the rate limit, SIGTERM, `serve --check`.

use std::io::{Read, Write};
use std::path::Path;

use serde_json::Value;

use super::serve_support::{basic, Serve};
use crate::common::{assert_one_line_error, bin_at, ok_stdout};

fn add_client(home: &Path, id: &str, scopes: &str) -> String {
    let out = ok_stdout(bin_at(home).args(["clients", "add", id, "--scopes", scopes, "--json"]));
    let v: Value = serde_json::from_str(&out).unwrap();
    v["client_secret"].as_str().unwrap().to_string()
}

fn store() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("s");
    ok_stdout(bin_at(&home).args(["keygen", "--aud", "my-os"]));
    (dir, home)
}

/// `verify TOKEN --request REQ`: the exit code (0 = 200, 11 = 403).
fn verify(home: &Path, token: &str, request: &str) -> i32 {
    let o = bin_at(home)
        .args(["verify", token, "--request", request])
        .output()
        .unwrap();
    o.status.code().unwrap()
}

#[test]
fn client_credentials_grant_and_its_errors() {
    let (_dir, home) = store();
    let secret = add_client(&home, "ci", "agents:read,agents:run");
    let srv = Serve::start(&home, &[]);

    // §5.1: Basic auth, a subset of the allowed scopes.
    let a = srv.token(
        &[&basic("ci", &secret)],
        "grant_type=client_credentials&scope=agents%3Aread",
    );
    assert_eq!(a.status, 200, "{a:?}");
    assert_eq!(a.header("cache-control"), Some("no-store"));
    assert_eq!(a.header("pragma"), Some("no-cache"));
    let v = a.json();
    assert_eq!(v["token_type"], "Bearer");
    assert_eq!(v["expires_in"], 900);
    assert_eq!(v["scope"], "agents:read");
    let token = v["access_token"].as_str().unwrap().to_string();
    // AgentOS (as `verify` predicts it, with the store's JWKS) takes it for what it
    // grants and refuses the rest.
    assert_eq!(verify(&home, &token, "GET /agents"), 0);
    assert_eq!(verify(&home, &token, "POST /agents/a/runs"), 11);
    let claims = ok_stdout(bin_at(&home).args(["inspect", &token, "--json"]));
    let c: Value = serde_json::from_str(&claims).unwrap();
    assert_eq!(c["claims"]["sub"], "ci");
    assert_eq!(c["claims"]["aud"], "my-os");
    assert!(c["claims"]["exp"].is_i64());

    // client_secret_post, no scope: all the allowed ones.
    let a = srv.token(
        &[],
        &format!("grant_type=client_credentials&client_id=ci&client_secret={secret}"),
    );
    assert_eq!(a.status, 200, "{a:?}");
    assert_eq!(a.json()["scope"], "agents:read agents:run");

    // An unknown client and a wrong secret: the same answer, byte for byte.
    let wrong = srv.token(
        &[&basic("ci", "not-the-secret")],
        "grant_type=client_credentials",
    );
    let unknown = srv.token(
        &[&basic("nobody", &secret)],
        "grant_type=client_credentials",
    );
    wrong.assert_oauth_error(401, "invalid_client");
    assert!(wrong
        .header("www-authenticate")
        .unwrap()
        .starts_with("Basic"));
    assert_eq!((wrong.status, &wrong.body), (unknown.status, &unknown.body));
    assert_eq!(
        wrong.header("www-authenticate"),
        unknown.header("www-authenticate")
    );
    let post_wrong = srv.token(
        &[],
        "grant_type=client_credentials&client_id=ci&client_secret=x",
    );
    post_wrong.assert_oauth_error(401, "invalid_client");

    let auth = basic("ci", &secret);
    for (headers, body, status, code) in [
        (
            vec![],
            "grant_type=client_credentials",
            401,
            "invalid_client",
        ),
        (
            vec![auth.as_str()],
            "scope=agents%3Aread",
            400,
            "invalid_request",
        ),
        (
            vec![auth.as_str()],
            "grant_type=password&username=a&password=b",
            400,
            "unsupported_grant_type",
        ),
        (
            vec![auth.as_str()],
            "grant_type=client_credentials&scope=teams%3Aread",
            400,
            "invalid_scope",
        ),
        (
            vec![auth.as_str()],
            "grant_type=client_credentials&grant_type=client_credentials",
            400,
            "invalid_request",
        ),
        (
            vec![auth.as_str()],
            &format!("grant_type=client_credentials&client_secret={secret}"),
            400,
            "invalid_request",
        ),
        (
            vec!["Authorization: Basic !!!notbase64"],
            "grant_type=client_credentials",
            401,
            "invalid_client",
        ),
        (
            vec![auth.as_str()],
            "grant_type=client_credentials&scope=%ZZ%00\u{1}",
            400,
            "invalid_scope",
        ),
        (
            vec![auth.as_str()],
            "\u{0}\u{ff}&&==&grant_type",
            400,
            "invalid_request",
        ),
    ] {
        srv.token(&headers, body).assert_oauth_error(status, code);
    }
    // Not a form at all.
    let a = srv.raw(
        format!("POST /token HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{auth}\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{{}}").as_bytes(),
    );
    a.assert_oauth_error(400, "invalid_request");

    // Oversized bodies: announced (refused before reading) and chunked.
    let big = "a".repeat(100_000);
    let a = srv.token(
        &[auth.as_str()],
        &format!("grant_type=client_credentials&x={big}"),
    );
    a.assert_oauth_error(413, "invalid_request");
    let chunked = format!(
        "POST /token HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{big}\r\n0\r\n\r\n",
        big.len()
    );
    srv.raw(chunked.as_bytes())
        .assert_oauth_error(413, "invalid_request");
    // An oversized head: 431, never a panic.
    let head = format!(
        "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\nConnection: close\r\n\r\n",
        "b".repeat(64 * 1024)
    );
    let a = srv.raw(head.as_bytes());
    assert!(a.status == 431 || a.status == 0, "{a:?}");

    // The other endpoints.
    let jwks = srv.get("/.well-known/jwks.json");
    assert_eq!(jwks.status, 200);
    let keys = jwks.json()["keys"].as_array().unwrap().clone();
    assert_eq!(keys.len(), 1);
    for m in ["d", "p", "q", "dp", "dq", "qi", "k"] {
        assert!(keys[0].get(m).is_none(), "private member {m} in the JWKS");
    }
    let meta = srv.get("/.well-known/oauth-authorization-server").json();
    let base = format!("http://127.0.0.1:{}", srv.port);
    assert_eq!(meta["token_endpoint"], format!("{base}/token"));
    assert_eq!(meta["jwks_uri"], format!("{base}/.well-known/jwks.json"));
    assert_eq!(
        meta["grant_types_supported"],
        serde_json::json!(["client_credentials"])
    );
    assert_eq!(srv.get("/healthz").json()["status"], "ok");
    assert_eq!(srv.get("/nope").status, 404);
    let a = srv.get("/token");
    assert_eq!((a.status, a.header("allow")), (405, Some("POST")));
    let metrics = srv.get("/metrics").body;
    assert!(
        metrics.contains(r#"agentos_auth_token_requests_total{client="ci",grant="client_credentials",outcome="issued"} 2"#),
        "{metrics}"
    );
    assert!(metrics.contains("agentos_auth_request_duration_seconds_bucket"));

    // The log: one JSON object a line, never a secret or a token.
    let log = srv.log_with(r#""path":"/metrics""#);
    assert!(!log.contains(&secret), "secret in the log");
    assert!(!log.contains(&token), "token in the log");
    assert!(!log.contains("panicked"), "{log}");
    let lines: Vec<Value> = log
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(lines
        .iter()
        .any(|l| l["client"] == "ci" && l["outcome"] == "issued" && l["status"] == 200));
}

#[test]
fn changes_are_picked_up_without_a_restart_and_sigterm_stops_it() {
    let (_dir, home) = store();
    let secret = add_client(&home, "ci", "agents:read");
    let mut srv = Serve::start(&home, &["--rate-limit", "0"]);
    let kid = |a: &super::serve_support::Answer| {
        let t = a.json()["access_token"].as_str().unwrap().to_string();
        let o = ok_stdout(bin_at(&home).args(["inspect", &t, "--json"]));
        serde_json::from_str::<Value>(&o).unwrap()["header"]["kid"].clone()
    };
    let first = srv.token(&[&basic("ci", &secret)], "grant_type=client_credentials");
    let kid1 = kid(&first);

    // A client added while it runs works at once.
    let cron = add_client(&home, "cron", "sessions:read");
    let a = srv.token(&[&basic("cron", &cron)], "grant_type=client_credentials");
    assert_eq!(a.status, 200, "{a:?}");

    // jwks rotate: the next token is signed with the new key, which the JWKS publishes.
    ok_stdout(bin_at(&home).args(["jwks", "rotate"]));
    let a = srv.token(&[&basic("ci", &secret)], "grant_type=client_credentials");
    let kid2 = kid(&a);
    assert_ne!(kid1, kid2);
    let jwks = srv.get("/.well-known/jwks.json").json();
    assert!(jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .any(|k| k["kid"] == kid2));

    // rotate-secret: the old secret stops working; remove: the client is gone.
    let new = ok_stdout(bin_at(&home).args(["clients", "rotate-secret", "ci"]));
    srv.token(&[&basic("ci", &secret)], "grant_type=client_credentials")
        .assert_oauth_error(401, "invalid_client");
    assert_eq!(
        srv.token(&[&basic("ci", new.trim())], "grant_type=client_credentials")
            .status,
        200
    );
    ok_stdout(bin_at(&home).args(["clients", "remove", "cron"]));
    srv.token(&[&basic("cron", &cron)], "grant_type=client_credentials")
        .assert_oauth_error(401, "invalid_client");

    // A broken clients file does not stop the service: the last good state serves on.
    std::fs::write(home.join("clients.json"), "{not json").unwrap();
    assert_eq!(
        srv.token(&[&basic("ci", new.trim())], "grant_type=client_credentials")
            .status,
        200
    );
    srv.log_with("reload_failed");

    // SIGTERM: exit 0, after saying so.
    let st = srv.terminate();
    assert!(st.success(), "{st:?}; log:\n{}", srv.log());
    srv.log_with(r#""event":"stopped""#);
}

#[test]
fn rate_limit_and_slow_clients() {
    let (_dir, home) = store();
    let secret = add_client(&home, "ci", "agents:read");
    let srv = Serve::start(&home, &["--rate-limit", "1", "--timeout", "1s"]);
    let auth = basic("ci", &secret);
    // A burst of 2 at 1/s: of 8 requests sent back to back, some are refused.
    let answers: Vec<_> = (0..8)
        .map(|_| srv.token(&[&auth], "grant_type=client_credentials"))
        .collect();
    let limited: Vec<_> = answers.iter().filter(|a| a.status == 429).collect();
    assert!(!limited.is_empty(), "{answers:?}");
    assert!(answers[0].status == 200);
    for a in limited {
        a.assert_oauth_error(429, "temporarily_unavailable");
        let wait: u64 = a.header("retry-after").unwrap().parse().unwrap();
        assert!(wait >= 1);
    }

    // A client that sends half a head and stalls, and one that sends nothing, are cut off
    // (the server closes: end of file, not our read time-out); the server serves on.
    let mut slow = srv.connect();
    slow.write_all(b"POST /token HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    let mut buf = Vec::new();
    slow.read_to_end(&mut buf)
        .expect("the server closes a stalled head");
    let text = String::from_utf8_lossy(&buf);
    assert!(!text.contains("200 OK"), "{text}");
    let mut idle = srv.connect();
    let mut buf = Vec::new();
    idle.read_to_end(&mut buf)
        .expect("the server closes an idle connection");
    // A body that never arrives: an answer (400), not a hang.
    let mut slow = srv.connect();
    slow.write_all(b"POST /token HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ngrant").unwrap();
    let mut buf = Vec::new();
    let _ = slow.read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf);
    assert!(text.starts_with("HTTP/1.1 400"), "{text}");
    assert_eq!(srv.get("/healthz").status, 200);
}

#[test]
fn check_validates_and_refuses_in_one_line() {
    let (dir, home) = store();
    add_client(&home, "ci", "agents:read");
    let o = bin_at(&home).args(["serve", "--check"]).output().unwrap();
    assert!(o.status.success(), "{o:?}");
    assert!(String::from_utf8_lossy(&o.stderr).contains("configuration ok"));
    assert!(o.stdout.is_empty());

    // Beyond loopback without TLS: a warning.
    let o = bin_at(&home)
        .args(["serve", "--check", "--listen", "0.0.0.0:8700"])
        .output()
        .unwrap();
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr)
        .contains("warning: 0.0.0.0:8700 is reachable beyond this machine without TLS"));

    // No signing key; TLS files that are not; an issuer that is not a URL.
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    std::fs::set_permissions(&empty, std::os::unix::fs::PermissionsExt::from_mode(0o700)).unwrap();
    let o = bin_at(&empty).args(["serve", "--check"]).output().unwrap();
    assert_one_line_error(&o, 1, "no signing key");
    let junk = crate::common::write(dir.path(), "junk.pem", "not a pem\n");
    let o = bin_at(&home)
        .args(["serve", "--check", "--tls-cert"])
        .arg(&junk)
        .arg("--tls-key")
        .arg(&junk)
        .output()
        .unwrap();
    assert_one_line_error(&o, 1, "--tls-cert");
    // An encrypted signing key: the password from --password-file, never a prompt.
    let enc = dir.path().join("enc");
    let pw = crate::common::write(dir.path(), "pw", "correct horse\n");
    ok_stdout(
        bin_at(&enc)
            .args(["keygen", "--encrypt", "--aud", "my-os", "--password-file"])
            .arg(&pw),
    );
    let o = bin_at(&enc).args(["serve", "--check"]).output().unwrap();
    assert_one_line_error(&o, 1, "--password-file");
    let o = bin_at(&enc)
        .args(["serve", "--check", "--password-file"])
        .arg(&pw)
        .output()
        .unwrap();
    assert!(o.status.success(), "{o:?}");

    let o = bin_at(&home)
        .args(["serve", "--check", "--issuer", "auth.example.com"])
        .output()
        .unwrap();
    assert_one_line_error(&o, 1, "--issuer");
}

#[test]
fn requests_beyond_the_concurrency_cap_get_503() {
    let (_dir, home) = store();
    let srv = Serve::start(&home, &["--max-concurrency", "1", "--timeout", "60s"]);
    // One request holds the only slot: its body never finishes arriving.
    let mut held = srv.connect();
    held.write_all(b"POST /token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ngrant")
        .unwrap();
    // Once the server has taken it, every other request is turned away at once.
    let refused = (0..200)
        .map(|_| {
            std::thread::sleep(std::time::Duration::from_millis(50));
            srv.get("/healthz")
        })
        .find(|a| a.status == 503)
        .expect("no 503 while the only slot was taken");
    assert_eq!(refused.header("retry-after"), Some("1"));
    assert_eq!(refused.json()["error"], "temporarily_unavailable");
    drop(held);
    // The slot comes back when the held request ends.
    let back = (0..200)
        .map(|_| {
            std::thread::sleep(std::time::Duration::from_millis(50));
            srv.get("/healthz")
        })
        .find(|a| a.status == 200);
    assert!(back.is_some(), "the slot never came back");
}
