//! Rotation that cannot lock anyone out (issue 21, item 2), without Python: `jwks
//! rotate` and `jwks use` warn about a single-key environment and about a switch no
//! server was asked about; `jwks use --url` against a canned HTTP answer on 127.0.0.1
//! (what AgentOS sends to a probe token) switches on 403 only, refuses the rest in one
//! line, and `--force` switches anyway. The real AgentOS: tests/interop/jwks_use.rs.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::Output;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::common::{assert_one_line_error, bin, stderr};
use serde_json::Value;

const SINGLE_KEY: &str = "JWT_VERIFICATION_KEY is set without JWT_JWKS_FILE";
const UNASKED: &str = "switched without asking AgentOS";

fn run(home: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut cmd = bin();
    cmd.arg("--home").arg(home).args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.timeout(Duration::from_secs(60)).output().unwrap()
}

fn json_out(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stderr(o)))
}

/// A key store with a signing key and a second key staged: (dir, home, old kid, new kid).
fn staged() -> (tempfile::TempDir, std::path::PathBuf, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let o = run(&home, &[], &["keygen", "--aud", "os-1", "--alg", "ES256"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let old = signing_kid(&home);
    let o = run(&home, &[], &["jwks", "rotate", "--stage", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let new = json_out(&o)["kid"].as_str().unwrap().to_string();
    (dir, home, old, new)
}

fn signing_kid(home: &Path) -> String {
    let o = run(home, &[], &["jwks", "list", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    json_out(&o)["signing_kid"].as_str().unwrap().to_string()
}

fn warnings(o: &Output, needle: &str) -> usize {
    stderr(o)
        .lines()
        .filter(|l| l.starts_with("warning: ") && l.contains(needle))
        .count()
}

#[test]
fn rotate_warns_when_the_environment_has_one_key_and_no_jwks_file() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let o = run(&home, &[], &["keygen"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let pem = "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----";

    let o = run(
        &home,
        &[("JWT_VERIFICATION_KEY", pem)],
        &["--quiet", "jwks", "rotate", "--kid", "k2"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // One line, shown even with --quiet, that names the two steps to a JWKS.
    assert_eq!(warnings(&o, SINGLE_KEY), 1, "{}", stderr(&o));
    let line = stderr(&o);
    let jwks = std::fs::canonicalize(home.join("jwks.json")).unwrap();
    assert!(
        line.contains("tokens of kid k2")
            && line.contains(&format!("export JWT_JWKS_FILE={}", jwks.display()))
            && line.contains("restart AgentOS"),
        "{line}"
    );
    assert!(!line.contains("MIIB"), "the key's text is echoed: {line}");

    // With the JWKS file set too, or with neither, nothing to warn about.
    let jwks = home.join("jwks.json");
    for env in [
        vec![
            ("JWT_VERIFICATION_KEY", pem),
            ("JWT_JWKS_FILE", jwks.to_str().unwrap()),
        ],
        vec![],
    ] {
        let o = run(&home, &env, &["jwks", "rotate"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_eq!(warnings(&o, SINGLE_KEY), 0, "{env:?}: {}", stderr(&o));
    }
}

#[test]
fn use_without_url_reminds_that_the_server_may_not_know_the_key() {
    let (_dir, home, old, new) = staged();
    let o = run(
        &home,
        &[("JWT_VERIFICATION_KEY", "a-secret-value")],
        &["jwks", "use", "--kid", &new],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(warnings(&o, UNASKED), 1, "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!("--kid {new} --url URL")),
        "{}",
        stderr(&o)
    );
    assert_eq!(warnings(&o, SINGLE_KEY), 1, "{}", stderr(&o));
    assert!(!stderr(&o).contains("a-secret-value"), "{}", stderr(&o));
    assert_eq!(signing_kid(&home), new);

    // Back to the key that signed before (no single-key environment): the reminder only.
    let o = run(&home, &[], &["jwks", "use", "--kid", &old]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(warnings(&o, UNASKED), 1, "{}", stderr(&o));
    assert_eq!(warnings(&o, SINGLE_KEY), 0, "{}", stderr(&o));
}

/// The requests a canned server saw: (request line, carried a bearer token).
type Seen = Arc<Mutex<Vec<(String, bool)>>>;

/// Answers each connection on 127.0.0.1 with the next of `answers` (status, JSON body),
/// recording the requests' first lines and whether they carried a token. Bounded: the
/// thread ends after the last answer, and each read times out.
fn canned(answers: Vec<(u16, &'static str)>) -> (String, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    std::thread::spawn(move || {
        for (status, body) in answers {
            let Ok((stream, _)) = listener.accept() else {
                return;
            };
            stream
                .set_read_timeout(Some(Duration::from_secs(10)))
                .unwrap();
            let mut reader = BufReader::new(stream);
            let mut first = String::new();
            let _ = reader.read_line(&mut first);
            let mut bearer = false;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                bearer |= line
                    .to_ascii_lowercase()
                    .starts_with("authorization: bearer ");
            }
            log.lock().unwrap().push((first.trim().to_string(), bearer));
            let mut stream = reader.into_inner();
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.flush();
            let _ = stream.read(&mut [0; 1]);
        }
    });
    (url, seen)
}

#[test]
fn use_url_switches_only_when_the_server_verified_the_signature() {
    let (_dir, home, old, new) = staged();

    // 401 "no key": the server has not read the JWKS since NEW was published.
    let (url, seen) = canned(vec![(
        401,
        r#"{"detail":"Invalid token: No verification keys configured"}"#,
    )]);
    let o = run(&home, &[], &["jwks", "use", "--kid", &new, "--url", &url]);
    assert_one_line_error(&o, 10, "restart AgentOS so it reads the JWKS again");
    assert_eq!(signing_kid(&home), old);
    assert_eq!(
        *seen.lock().unwrap(),
        vec![("GET /agents HTTP/1.1".to_string(), true)]
    );

    // Other 401s, a 5xx, and a closed port: their own errors; nothing switches.
    for (status, body, code, words) in [
        (
            401,
            r#"{"detail":"Invalid token audience"}"#,
            10,
            "checks aud",
        ),
        (
            401,
            r#"{"detail":"Invalid token: The specified alg value is not allowed"}"#,
            10,
            "verifies another algorithm than",
        ),
        (500, r#"{"detail":"boom"}"#, 4, "failed on GET /agents"),
    ] {
        let (url, _) = canned(vec![(status, body)]);
        let o = run(&home, &[], &["jwks", "use", "--kid", &new, "--url", &url]);
        assert_one_line_error(&o, code, words);
        assert!(
            !stderr(&o).contains("restart AgentOS so it reads"),
            "{}",
            stderr(&o)
        );
        assert_eq!(signing_kid(&home), old);
    }
    let closed = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let o = run(
        &home,
        &[],
        &["jwks", "use", "--kid", &new, "--url", &closed],
    );
    assert_one_line_error(&o, 4, "connection refused");

    // A server that answers 200 without any token proves nothing.
    let (url, seen) = canned(vec![(200, "[]"), (200, "[]")]);
    let o = run(&home, &[], &["jwks", "use", "--kid", &new, "--url", &url]);
    assert_one_line_error(&o, 4, "checks no token");
    assert_eq!(
        seen.lock()
            .unwrap()
            .iter()
            .map(|(_, b)| *b)
            .collect::<Vec<_>>(),
        vec![true, false]
    );
    assert_eq!(signing_kid(&home), old);

    // --force: the refusal becomes a warning, and the switch happens.
    let (url, _) = canned(vec![(
        401,
        r#"{"detail":"Invalid token: Signature verification failed"}"#,
    )]);
    let o = run(
        &home,
        &[],
        &[
            "jwks", "use", "--kid", &new, "--url", &url, "--force", "--json",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        warnings(&o, "restart AgentOS so it reads the JWKS again"),
        1
    );
    assert_eq!(json_out(&o)["servers"][0]["verifies"], false);
    assert_eq!(signing_kid(&home), new);

    // 403 from every server (repeated --url): verified, switched, no warning.
    let (a, _) = canned(vec![(403, r#"{"detail":"Insufficient permissions"}"#)]);
    let (b, _) = canned(vec![
        (200, "[]"),
        (401, r#"{"detail":"Authorization header missing"}"#),
    ]);
    let o = run(
        &home,
        &[],
        &[
            "jwks", "use", "--kid", &old, "--url", &a, "--url", &b, "--json",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = json_out(&o);
    assert_eq!(out["servers"][0]["status"], 403, "{out}");
    assert_eq!(out["servers"][1]["status"], 200, "{out}");
    assert!(
        out["servers"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["verifies"] == true),
        "{out}"
    );
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
    assert_eq!(signing_kid(&home), old);
}

#[test]
fn force_and_timeout_need_url() {
    let (_dir, home, _, new) = staged();
    for flag in [&["--force"][..], &["--timeout", "5"][..]] {
        let mut args = vec!["jwks", "use", "--kid", &new];
        args.extend_from_slice(flag);
        let o = run(&home, &[], &args);
        assert_eq!(o.status.code(), Some(2), "{flag:?}: {}", stderr(&o));
    }
}
