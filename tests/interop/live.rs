//! `verify/doctor/mint --url` against a real AgentOS (agno 3.1.10) served by uvicorn on
//! 127.0.0.1 (tests/live/app.py, venvs from .ci/setup-live-venv): the stale-JWKS case
//! (rotate without restart), a server without `cryptography`, and the one-line errors
//! for a refused connection, a timeout, TLS and a URL that is not an AgentOS.
//! A missing venv FAILS these tests.

use crate::common;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use crate::server::{live_python, Server};
use common::{assert_one_line_error, assert_one_line_stderr, bin, manifest_dir, stderr, stdout};
use serde_json::Value;

/// Runs the binary; with `--url` and no `--timeout`, a minute per answer (the server's
/// first GET /openapi.json builds the schema: ~1 s idle, far more on a loaded CI machine).
fn run(home: &Path, args: &[&str]) -> Output {
    let slow = args.contains(&"--url") && !args.contains(&"--timeout");
    bin()
        .arg("--home")
        .arg(home)
        .args(args)
        .args(if slow {
            &["--timeout", "60"][..]
        } else {
            &[][..]
        })
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap()
}

fn mint(home: &Path, args: &[&str]) -> String {
    let mut all = vec!["mint"];
    all.extend_from_slice(args);
    let o = run(home, &all);
    assert_eq!(o.status.code(), Some(0), "mint: {}", stderr(&o));
    stdout(&o).trim().to_string()
}

fn json_out(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\nstderr: {}", stdout(o), stderr(o)))
}

/// A key store with one RS256 key whose default audience is NOT the server's id.
fn store() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let o = run(&home, &["keygen", "--aud", "not-the-server"]);
    assert_eq!(o.status.code(), Some(0), "keygen: {}", stderr(&o));
    (dir, home)
}

#[test]
fn stale_jwks_after_rotate_without_restart() {
    let (_dir, home) = store();
    let jwks = home.join("jwks.json");
    let srv = Server::agentos(
        ".venv-live",
        &[
            ("LIVE_OS_ID", "live-os"),
            ("JWT_JWKS_FILE", jwks.to_str().unwrap()),
        ],
    );
    let url = srv.url.as_str();

    // mint --url: aud is the server's os_id, not the store's default.
    let o = run(
        &home,
        &["mint", "--url", url, "--scopes", "agents:read", "--json"],
    );
    assert_eq!(o.status.code(), Some(0), "{}\n{}", stderr(&o), srv.log());
    assert_eq!(json_out(&o)["claims"]["aud"], "live-os");
    let t1 = json_out(&o)["token"].as_str().unwrap().to_string();

    // The server and the prediction agree: 200, exit 0, no error line, no notes.
    let o = run(&home, &["verify", &t1, "--url", url]);
    assert_eq!(o.status.code(), Some(0), "{}\n{}", stderr(&o), srv.log());
    let out = stdout(&o);
    assert!(
        out.starts_with("server:    200 (GET /agents on http://127.0.0.1:")
            && out.contains("agno 3.1.10, os_id live-os"),
        "{out}"
    );
    assert!(
        out.contains("predicted: 200 AgentOS lets GET /agents through"),
        "{out}"
    );
    assert_eq!(stderr(&o), "", "a 200 that agrees needs no note");

    // The routes come from the server's own /openapi.json: a route it lacks is a 404
    // in the prediction too (exit 12), and a request without a token is asked as such.
    let o = run(
        &home,
        &[
            "verify",
            &t1,
            "--url",
            url,
            "--request",
            "GET /nope",
            "--json",
        ],
    );
    assert_eq!(o.status.code(), Some(12), "{}", stderr(&o));
    let j = json_out(&o);
    assert_eq!(
        (
            j["server"]["status"].clone(),
            j["predicted"]["status"].clone(),
            j["agree"].clone()
        ),
        (Value::from(404), Value::from(404), Value::from(true)),
        "{j}"
    );
    let o = run(
        &home,
        &[
            "verify",
            "--no-token",
            "--url",
            url,
            "--request",
            "GET /agents",
        ],
    );
    assert_one_line_stderr(
        &o,
        10,
        "the server answers 401 \"Authorization header missing\"",
    );
    assert!(
        stdout(&o).contains("predicted: 401 \"Authorization header missing\""),
        "{}",
        stdout(&o)
    );

    // A 403 the server really answers, on a route of one agent: the narrowest scope first.
    let other = mint(&home, &["--scopes", "agents:other-agent:run"]);
    let o = run(
        &home,
        &[
            "verify",
            &other,
            "--url",
            url,
            "--request",
            "POST /agents/my-agent/runs",
            "--send",
        ],
    );
    assert_one_line_stderr(&o, 11, "the server answers 403");
    assert!(
        stderr(&o).contains(
            "mint with --scopes agents:my-agent:run (this agent only), or agents:run (every agent)"
        ),
        "{}",
        stderr(&o)
    );

    // Rotate without restarting the server: the new kid is published in the file, but
    // the running server read the file at startup.
    let o = run(&home, &["jwks", "rotate"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let t2 = mint(&home, &["--url", url, "--scopes", "agents:read"]);
    let o = run(&home, &["verify", &t2, "--url", url]);
    assert_one_line_stderr(
        &o,
        10,
        "the server answers 401 \"Invalid token: No verification keys configured\", not the predicted 200: the server has not loaded kid",
    );
    assert!(stderr(&o).contains("jwks rotate --stage"), "{}", stderr(&o));
    assert!(stderr(&o).contains("restart AgentOS"), "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("server:    401 \"Invalid token: No verification keys configured\"")
    );

    let o = run(&home, &["verify", &t2, "--url", url, "--json"]);
    assert_eq!(o.status.code(), Some(10), "{}", stderr(&o));
    let j = json_out(&o);
    assert_eq!(j["status"], 401);
    assert_eq!(j["agree"], false);
    assert_eq!(j["server"]["status"], 401);
    assert_eq!(
        j["server"]["detail"],
        "Invalid token: No verification keys configured"
    );
    assert_eq!(j["server"]["agno_version"], "3.1.10");
    assert_eq!(j["server"]["os_id"], "live-os");
    assert_eq!(j["predicted"]["status"], 200);
    assert!(j["reason"].as_str().unwrap().contains("has not loaded kid"));

    // doctor --url with the server's environment says the same, once.
    let o = bin()
        .arg("--home")
        .arg(&home)
        .args(["doctor", "--url", url, "--token", &t2, "--timeout", "60"])
        .env("JWT_JWKS_FILE", &jwks)
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    assert_one_line_stderr(&o, 10, "has not loaded kid");
    let out = stdout(&o);
    assert!(
        out.contains("agno 3.1.10, os_id live-os, auth_mode jwt"),
        "{out}"
    );
    let said = out.lines().filter(|l| l.contains("cryptography")).count();
    assert_eq!(said, 1, "the cryptography hint once: {out}");
    assert!(!stderr(&o).contains("cryptography"), "{}", stderr(&o));

    // The old token still verifies on the running server.
    let o = run(&home, &["verify", &t1, "--url", url]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    drop(srv);
}

/// Without cryptography PyJWT cannot load an RSA JWK, so such a server refuses to start
/// with only a JWKS; with the PEM in JWT_VERIFICATION_KEY it starts and answers every
/// RS256 token 401 "Algorithm not supported".
#[test]
fn server_without_cryptography() {
    let (_dir, home) = store();
    let o = run(&home, &["export"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let pem = stdout(&o);
    let srv = Server::agentos(
        ".venv-live-nocrypto",
        &[("LIVE_OS_ID", "bare-os"), ("JWT_VERIFICATION_KEY", &pem)],
    );
    let t = mint(&home, &["--url", &srv.url, "--scopes", "agents:read"]);
    let o = run(&home, &["verify", &t, "--url", &srv.url]);
    assert_one_line_stderr(
        &o,
        10,
        "the server answers 401 \"Invalid token: Algorithm not supported\", not the predicted 200: the server's Python has no cryptography package",
    );
    assert!(
        stderr(&o).contains("pip install cryptography"),
        "{}",
        stderr(&o)
    );
    let o = run(&home, &["verify", &t, "--url", &srv.url, "--json"]);
    let j = json_out(&o);
    assert_eq!(
        j["server"]["detail"],
        "Invalid token: Algorithm not supported"
    );
    assert_eq!(j["server"]["os_id"], "bare-os");
    assert_eq!(j["predicted"]["status"], 200);
}

#[test]
fn unreachable_and_foreign_servers_are_one_line_each() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let t = "eyJhbGciOiJSUzI1NiJ9.e30.c2ln";
    let key = common::write(dir.path(), "hs.secret", "0123456789abcdef0123456789abcdef");
    // A secret readable by others gets a warning line; this test counts error lines.
    std::fs::set_permissions(&key, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let key = key.to_str().unwrap();
    let verify = |url: &str, extra: &[&str]| {
        let mut args = vec!["verify", t, "--key", key, "--url", url];
        args.extend_from_slice(extra);
        run(&home, &args)
    };

    // Refused: a port that was just free.
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let o = verify(&format!("http://127.0.0.1:{port}"), &[]);
    assert_one_line_error(&o, 4, "connection refused");

    // Timeout: a listener that never answers.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://127.0.0.1:{}", silent.local_addr().unwrap().port());
    let o = verify(&url, &["--timeout", "1"]);
    assert_one_line_error(&o, 4, "did not answer within 1 s");
    assert!(stderr(&o).contains("--timeout"), "{}", stderr(&o));
    drop(silent);

    // Not an AgentOS: Python's own file server.
    let files = Server::start(
        &live_python(".venv-live"),
        &["-m", "http.server", "--bind", "127.0.0.1", "0"],
        &[],
        "port ",
    );
    let o = verify(&files.url, &[]);
    assert_one_line_error(&o, 4, "is not an AgentOS: GET /info answered 404");
    let o = run(
        &home,
        &["mint", "--key", key, "--alg", "HS256", "--url", &files.url],
    );
    assert_one_line_error(&o, 4, "is not an AgentOS");

    // TLS: https:// to a plain-HTTP server.
    let https = files.url.replace("http://", "https://");
    let o = verify(&https, &[]);
    assert_one_line_error(&o, 4, "TLS with https://127.0.0.1:");
    assert!(stderr(&o).contains("use http://"), "{}", stderr(&o));
    drop(files);

    // Checked before anything is sent.
    let o = verify("127.0.0.1:7777", &[]);
    assert_one_line_error(&o, 1, "invalid --url");
    let o = verify("http://127.0.0.1:9", &["--request", "DELETE /sessions"]);
    assert_one_line_error(&o, 1, "--url would really send DELETE /sessions");
    let o = verify("http://127.0.0.1:9", &["--timeout", "0"]);
    assert_one_line_error(&o, 2, "--timeout");
    let o = run(&home, &["verify", t, "--key", key, "--timeout", "5"]);
    assert_one_line_error(&o, 2, "--url");
}

/// Tokens made by PyJWT 2.15.1 (tests/live/pyjwt_tokens.py) that strict JSON or a
/// strict decoder judges differently from PyJWT: the real AgentOS's answer (status and
/// detail) and `verify`'s prediction must agree on every one.
#[test]
fn pyjwt_fidelity_against_a_real_server() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let home = d.join("home");
    let secret = "pyjwt-fidelity-secret-0123456789abcdef";
    let secret_file = common::write(d, "hs.secret", secret);
    std::fs::set_permissions(
        &secret_file,
        std::os::unix::fs::PermissionsExt::from_mode(0o600),
    )
    .unwrap();
    // An HS256 server that also has a JWKS of RSA and EC keys (with kids).
    let jwks = d.join("jwks.json");
    for (alg, kid) in [("RS256", "rsa1"), ("ES256", "ec1")] {
        let out = d.join(kid);
        let o = run(
            &home,
            &["keygen", "--alg", alg, "--out-dir", out.to_str().unwrap()],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let key = out.join("agentos.pub.pem");
        let o = run(
            &home,
            &[
                "jwks",
                "add",
                "--jwks",
                jwks.to_str().unwrap(),
                "--key",
                key.to_str().unwrap(),
                "--kid",
                kid,
            ],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    let srv = Server::agentos(
        ".venv-live",
        &[
            ("LIVE_ALG", "HS256"),
            ("JWT_VERIFICATION_KEY", secret),
            ("JWT_JWKS_FILE", jwks.to_str().unwrap()),
        ],
    );
    let made = Command::new(live_python(".venv-live"))
        .arg("tests/live/pyjwt_tokens.py")
        .args([secret, "rsa1", "ec1"])
        .current_dir(manifest_dir())
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let tokens: Value = serde_json::from_slice(&made.stdout).unwrap();

    let recursion = "Invalid token: Invalid payload string: maximum recursion depth exceeded while decoding a JSON array from a unicode string";
    let not_int = "Invalid token: Expiration Time claim (exp) must be an integer.";
    let expected: &[(&str, u16, Option<&str>)] = &[
        ("utf8-bom", 200, None),
        ("utf16-bom", 200, None),
        ("utf16-le", 200, None),
        ("utf32-be", 200, None),
        ("lone-surrogate-escape", 200, None),
        ("encoded-surrogate", 200, None),
        ("exp-big-int", 200, None),
        ("nested-500", 200, None),
        ("exp-nan", 401, Some(not_int)),
        ("exp-1e400", 401, Some(not_int)),
        ("nested-2000", 401, Some(recursion)),
        ("bad-utf8-start", 401, Some("Invalid token: Invalid payload string: 'utf-8' codec can't decode byte 0xff in position 8: invalid start byte")),
        ("bad-utf8-continuation", 401, Some("Invalid token: Invalid payload string: 'utf-8' codec can't decode bytes in position 8-9: invalid continuation byte")),
        ("bad-utf8-end", 401, Some("Invalid token: Invalid payload string: 'utf-8' codec can't decode bytes in position 45-46: unexpected end of data")),
        ("b64-false-inline", 401, Some("Invalid token: Payload segment must be empty when 'b64' is false.")),
        ("b64-false-detached", 401, Some("Invalid token: It is required that you pass in a value for the \"detached_payload\" argument to decode a message having the b64 header set to false.")),
        ("kid:rsa1", 401, Some("Error decoding token: Expected a string or bytes value")),
        ("kid:ec1", 401, Some("Error decoding token: Expected a string or bytes value")),
    ];
    let mut wrong = Vec::new();
    for (case, status, detail) in expected {
        let token = tokens[case].as_str().unwrap();
        let o = run(
            &home,
            &[
                "verify",
                token,
                "--alg",
                "HS256",
                "--key",
                secret_file.to_str().unwrap(),
                "--jwks",
                jwks.to_str().unwrap(),
                "--url",
                &srv.url,
                "--json",
            ],
        );
        let j = json_out(&o);
        let server = (j["server"]["status"].clone(), j["server"]["detail"].clone());
        let predicted = (
            j["predicted"]["status"].clone(),
            j["predicted"]["detail"].clone(),
        );
        if server != (Value::from(*status), Value::from(*detail)) || j["agree"] != true {
            wrong.push(format!(
                "{case}: server {server:?}, predicted {predicted:?}, expected ({status}, {detail:?})"
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{}\nserver log:\n{}",
        wrong.join("\n"),
        srv.log()
    );
}

/// agno files every kid-less JWKS key under one name: only the LAST is ever used.
/// A real AgentOS (harness) shows it; `jwks list` and `verify` say the same.
#[test]
fn only_the_last_kidless_key_is_the_default() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let home = d.join("home");
    let mut keys = Vec::new();
    let mut pems = Vec::new();
    for name in ["first", "second"] {
        let out = d.join(name);
        let o = run(&home, &["keygen", "--out-dir", out.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let o = run(
            &home,
            &[
                "export",
                "--key",
                out.join("agentos.pub.pem").to_str().unwrap(),
                "--format",
                "jwk",
            ],
        );
        let mut jwk: Value = serde_json::from_slice(&o.stdout).unwrap();
        jwk.as_object_mut().unwrap().remove("kid");
        keys.push(jwk);
        pems.push(std::fs::read_to_string(out.join("agentos.key.pem")).unwrap());
    }
    let jwks = common::write(
        d,
        "jwks.json",
        &serde_json::json!({ "keys": keys }).to_string(),
    );

    // Tokens without kid, signed by PyJWT with each private key.
    let script = "import jwt, sys, json; print(json.dumps([jwt.encode({'sub': 'a', 'scopes': ['agents:read']}, k, algorithm='RS256') for k in json.load(sys.stdin)]))";
    let made = bin_python_stdin(
        &live_python(".venv-live"),
        script,
        &serde_json::to_string(&pems).unwrap(),
    );
    let tokens: Vec<String> = serde_json::from_str(&made).unwrap();

    let answer = common::harness(&serde_json::json!({
        "mode": "agentos",
        "config": {"jwks_file": jwks.to_str().unwrap(), "os_id": "kidless-os"},
        "requests": tokens.iter().map(|t| serde_json::json!({"method": "GET", "path": "/agents", "token": t})).collect::<Vec<_>>(),
    }));
    let got: Vec<(Value, Value)> = answer["responses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["status"].clone(), r["detail"].clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                Value::from(401),
                Value::from("Invalid token: Signature verification failed")
            ),
            (Value::from(200), Value::Null),
        ],
        "{answer}"
    );
    for (t, (status, _)) in tokens.iter().zip(&got) {
        let o = run(
            &home,
            &[
                "verify",
                t,
                "--jwks",
                jwks.to_str().unwrap(),
                "--request",
                "GET /agents",
                "--json",
            ],
        );
        assert_eq!(json_out(&o)["status"], *status, "{}", stdout(&o));
    }
    let o = run(&home, &["jwks", "list", "--jwks", jwks.to_str().unwrap()]);
    let err = stderr(&o);
    assert!(
        err.contains("key #1")
            && err.contains("never used")
            && err.contains("only the last key without kid (key #2)"),
        "{err}"
    );
    assert_eq!(err.matches("never used").count(), 1, "{err}");
}

fn bin_python_stdin(python: &Path, script: &str, input: &str) -> String {
    use std::io::Write;
    let mut child = Command::new(python)
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `--body` travels with `--url`: the handler's own check on the body answers (a 403
/// for a target the token may not run), not FastAPI's 422 for a missing body.
#[test]
fn the_body_is_sent_to_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let home = d.join("home");
    let secret = "live-body-secret-0123456789abcdef0123";
    let secret_file = common::write(d, "hs.secret", secret);
    let db = d.join("agno.db");
    let srv = Server::agentos(
        ".venv-live",
        &[
            ("LIVE_ALG", "HS256"),
            ("JWT_VERIFICATION_KEY", secret),
            ("LIVE_DB", db.to_str().unwrap()),
        ],
    );
    let key = secret_file.to_str().unwrap();
    let token = mint(
        &home,
        &[
            "--key",
            key,
            "--aud",
            "live-os",
            "--scopes",
            "evals:write,schedules:write,agents:my-agent:run",
        ],
    );
    let eval = r#"{"agent_id": "other-agent", "eval_type": "accuracy", "input": "x", "expected_output": "y"}"#;
    let schedule = r#"{"name": "n", "cron_expr": "0 * * * *", "timezone": "UTC", "endpoint": "/sessions", "method": "GET"}"#;
    for (request, body, detail) in [
        ("POST /eval-runs", eval, "Access denied to run this agent"),
        (
            "POST /schedules",
            schedule,
            "Only admins can schedule an endpoint that is not a run endpoint",
        ),
    ] {
        let o = run(
            &home,
            &[
                "verify",
                &token,
                "--key",
                key,
                "--url",
                &srv.url,
                "--request",
                request,
                "--body",
                body,
                "--send",
                "--json",
            ],
        );
        let j = json_out(&o);
        assert_eq!(
            (
                j["server"]["status"].clone(),
                j["server"]["detail"].clone(),
                j["predicted"]["status"].clone(),
                j["agree"].clone()
            ),
            (
                Value::from(403),
                Value::from(detail),
                Value::from(403),
                Value::from(true)
            ),
            "{request}: {j}\n{}\nserver log:\n{}",
            stderr(&o),
            srv.log()
        );
        assert_eq!(o.status.code(), Some(11), "{}", stderr(&o));
    }
}

/// An AgentOS mounted under `/api` of a larger app: `--mount-prefix` reads `/info` and
/// `/openapi.json` under the prefix, sends the request at its whole path, and the
/// prediction (agno 3.0.9 on: the path under the mount is matched) agrees with the answer;
/// a path outside the prefix is the parent app's 404.
#[test]
fn a_mounted_agentos_is_asked_under_its_prefix() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let home = d.join("home");
    let secret = "live-mount-secret-0123456789abcdef0123";
    let secret_file = common::write(d, "hs.secret", secret);
    let srv = Server::agentos(
        ".venv-live",
        &[
            ("LIVE_ALG", "HS256"),
            ("JWT_VERIFICATION_KEY", secret),
            ("LIVE_MOUNT", "/api"),
        ],
    );
    let key = secret_file.to_str().unwrap();
    let reader = mint(
        &home,
        &["--key", key, "--aud", "live-os", "--scopes", "agents:read"],
    );
    let nobody = mint(
        &home,
        &[
            "--key",
            key,
            "--aud",
            "live-os",
            "--scopes",
            "sessions:read",
        ],
    );
    for (token, request, status, code) in [
        (&reader, "GET /api/agents", 200, 0),
        (&nobody, "GET /api/agents", 403, 11),
        (&reader, "GET /api/agents/my-agent", 200, 0),
        (&reader, "GET /agents", 404, 12),
    ] {
        let o = run(
            &home,
            &[
                "verify",
                token,
                "--key",
                key,
                "--url",
                &srv.url,
                "--mount-prefix",
                "/api",
                "--request",
                request,
                "--json",
            ],
        );
        let j = json_out(&o);
        assert_eq!(
            (
                j["server"]["status"].clone(),
                j["predicted"]["status"].clone(),
                j["agree"].clone()
            ),
            (Value::from(status), Value::from(status), Value::from(true)),
            "{request}: {j}\n{}\nserver log:\n{}",
            stderr(&o),
            srv.log()
        );
        assert_eq!(o.status.code(), Some(code), "{request}: {}", stderr(&o));
    }
}

/// A server running AgentOS's MCP server (`AgentOS(mcp=True)`, in the 3.1.10 version venv
/// that has fastmcp): its routes are not in GET /openapi.json, but its Server Card tells
/// `--url` that it serves them, so `/mcp` is predicted as the server answers it.
#[test]
fn a_server_with_its_mcp_server_is_modelled_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let home = d.join("home");
    let secret = "live-mcp-secret-0123456789abcdef012345";
    let secret_file = common::write(d, "hs.secret", secret);
    let srv = Server::agentos(
        ".venvs/agno-3.1.10",
        &[
            ("LIVE_ALG", "HS256"),
            ("JWT_VERIFICATION_KEY", secret),
            ("LIVE_MCP", "1"),
        ],
    );
    let key = secret_file.to_str().unwrap();
    let reader = mint(
        &home,
        &["--key", key, "--aud", "live-os", "--scopes", "agents:read"],
    );
    let other = common::write(d, "other.secret", "not-the-live-secret-0123456789abcdef01");
    let stranger = mint(
        &home,
        &[
            "--key",
            other.to_str().unwrap(),
            "--aud",
            "live-os",
            "--scopes",
            "agents:read",
        ],
    );
    for (token, request, send, status) in [
        // The real status; None: let through, the MCP transport answers (no SSE accepted).
        (&reader, "POST /mcp", true, None),
        (&stranger, "POST /mcp", true, Some(401u64)),
        (&reader, "GET /mcp/server-card", false, Some(200)),
        (&reader, "GET /mcp/nothing", false, Some(404)),
    ] {
        let mut args = vec![
            "verify",
            token,
            "--key",
            key,
            "--url",
            &srv.url,
            "--request",
            request,
            "--json",
        ];
        if send {
            args.push("--send");
        }
        let o = run(&home, &args);
        let j = json_out(&o);
        let real = j["server"]["status"].as_u64().unwrap();
        // None: let through, the MCP transport's own answer (not 401/403/404).
        let want = match status {
            Some(s) => real == s,
            None => ![401, 403, 404].contains(&real),
        };
        assert!(want, "{request}: {j}\nserver log:\n{}", srv.log());
        assert_eq!(j["agree"], true, "{request}: {j}\n{}", stderr(&o));
        assert!(
            stderr(&o).contains("MCP Server Card"),
            "{request}: the card was not noticed: {}",
            stderr(&o)
        );
        if request == "POST /mcp" && token == &reader {
            let notes = j["predicted"]["notes"].to_string();
            assert!(notes.contains("MCP server's"), "{notes}");
        }
    }
}
