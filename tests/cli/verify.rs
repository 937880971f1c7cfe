//! `verify` and `scopes` from the outside: exit codes, the one-line messages and
//! their fixes, where keys come from, `--json`. (Agreement with the real AgentOS is
//! `tests/interop/verify.rs`.)

use crate::common;

use std::path::Path;

use agentos_auth::keys::{Alg, Key};
use agentos_auth::token;
use common::{bin, write};
use serde_json::{json, Value};

fn jwt(key: &Key, header: Value, claims: Value) -> String {
    let (Value::Object(h), Value::Object(c)) = (header, claims) else {
        panic!("objects")
    };
    token::encode(&h, &c, &key.signer().unwrap()).unwrap()
}

fn now() -> i64 {
    agentos_auth::time::now()
}

fn good_claims() -> Value {
    json!({"sub": "alice", "aud": "test-os", "iat": now(), "exp": now() + 3600, "scopes": ["agents:read"]})
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(cmd: &mut assert_cmd::Command) -> Out {
    let o = cmd.output().unwrap();
    Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8(o.stdout).unwrap(),
        stderr: String::from_utf8(o.stderr).unwrap(),
    }
}

fn verify(dir: &Path, token: &str, args: &[&str]) -> Out {
    let mut c = bin();
    c.current_dir(dir).arg("verify").arg(token).args(args);
    run(&mut c)
}

/// One error line on stderr, and nothing else but notes.
fn error_line(o: &Out) -> String {
    let errors: Vec<&str> = o
        .stderr
        .lines()
        .filter(|l| l.starts_with("agentos-auth: error: "))
        .collect();
    assert_eq!(errors.len(), 1, "stderr: {}", o.stderr);
    errors[0].to_string()
}

fn rsa_setup(dir: &Path) -> Key {
    let key = Key::generate(Alg::RS256, 2048).unwrap();
    write(dir, "pub.pem", &key.public_key_pem().unwrap());
    key
}

#[test]
fn exit_codes_and_output_shape() {
    let dir = tempfile::tempdir().unwrap();
    let key = rsa_setup(dir.path());
    let t = jwt(&key, json!({"alg": "RS256"}), good_claims());

    let ok = verify(
        dir.path(),
        &t,
        &["--key", "pub.pem", "--request", "GET /agents"],
    );
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    assert!(
        ok.stdout
            .starts_with("200: AgentOS lets GET /agents through"),
        "{}",
        ok.stdout
    );
    assert_eq!(ok.stdout.lines().count(), 1);

    let forbidden = verify(
        dir.path(),
        &t,
        &["--key", "pub.pem", "--request", "POST /agents/a1/runs"],
    );
    assert_eq!(forbidden.code, 11);
    assert_eq!(forbidden.stdout, "");
    let line = error_line(&forbidden);
    assert!(
        line.contains(
            "AgentOS would answer 403 \"Insufficient permissions. Required scope(s): agents:run\""
        ),
        "{line}"
    );
    // The narrowest scope first: this agent only, then every agent.
    assert!(
        line.contains("(mint with --scopes agents:a1:run (this agent only), or agents:run (every agent), or --preset admin)"),
        "{line}"
    );

    let unauthorized = verify(dir.path(), &t, &["--key", "pub.pem", "--aud", "other-os"]);
    assert_eq!(unauthorized.code, 10);
    let line = error_line(&unauthorized);
    assert!(
        line.contains("token aud \"test-os\" but AgentOS expects other-os"),
        "{line}"
    );
    assert!(line.contains("mint with --aud other-os"), "{line}");

    let j = verify(
        dir.path(),
        &t,
        &["--key", "pub.pem", "--aud", "other-os", "--json"],
    );
    assert_eq!(j.code, 10);
    let v: Value = serde_json::from_str(&j.stdout).unwrap();
    assert_eq!(v["status"], 401);
    assert_eq!(
        v["detail"],
        "Invalid token audience - token not valid for this AgentOS instance"
    );
    assert!(v["reason"].as_str().unwrap().contains("other-os"));
    assert!(v["fix"].as_str().unwrap().contains("--aud other-os"));

    let j = verify(
        dir.path(),
        &t,
        &["--key", "pub.pem", "--json", "--request", "GET /agents"],
    );
    assert_eq!(j.code, 0);
    let v: Value = serde_json::from_str(&j.stdout).unwrap();
    assert_eq!(v["status"], 200);
    assert!(v["detail"].is_null() && v["fix"].is_null());
}

#[test]
fn rejections_name_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let rsa = rsa_setup(dir.path());
    let ec = Key::generate(Alg::ES256, 0).unwrap();
    let other = Key::generate(Alg::RS256, 2048).unwrap();
    let jwk = |k: &Key, kid: &str| serde_json::to_value(k.public_jwk(Some(kid)).unwrap()).unwrap();
    write(
        dir.path(),
        "jwks.json",
        &json!({"keys": [jwk(&rsa, "key-1"), jwk(&other, "key-2")]}).to_string(),
    );
    let expect = |token: &str, args: &[&str], code: i32, parts: &[&str]| {
        let o = verify(dir.path(), token, args);
        assert_eq!(o.code, code, "{args:?}: {}", o.stderr);
        let line = error_line(&o);
        for p in parts {
            assert!(line.contains(p), "{args:?}: missing {p:?} in {line}");
        }
    };
    let es = jwt(&ec, json!({"alg": "ES256"}), good_claims());
    expect(
        &es,
        &["--key", "pub.pem"],
        10,
        &[
            "The specified alg value is not allowed",
            "token alg ES256 but AgentOS is set to RS256",
            "Authorization(algorithm=\"ES256\")",
        ],
    );
    let no_kid = jwt(&rsa, json!({"alg": "RS256"}), good_claims());
    expect(
        &no_kid,
        &["--jwks", "jwks.json"],
        10,
        &[
            "No verification keys configured",
            "token has no kid; the JWKS has 2 keys, all with kid",
            "mint with --kid key-2",
        ],
    );
    let unknown = jwt(&rsa, json!({"alg": "RS256", "kid": "key-9"}), good_claims());
    expect(
        &unknown,
        &["--jwks", "jwks.json"],
        10,
        &["token kid \"key-9\" is not in the JWKS"],
    );
    let wrong_key = jwt(&other, json!({"alg": "RS256"}), good_claims());
    expect(
        &wrong_key,
        &["--key", "pub.pem"],
        10,
        &[
            "Signature verification failed",
            "signed by another key",
            "agentos-auth export --key",
        ],
    );
    let mut c = good_claims();
    c["exp"] = json!(now() - 3 * 3600);
    expect(
        &jwt(&rsa, json!({"alg": "RS256"}), c),
        &["--key", "pub.pem"],
        10,
        &[
            "\"Token has expired\"",
            "token expired 3h ago",
            "agentos-auth mint",
        ],
    );
    let mut c = good_claims();
    let at = now();
    c["iat"] = json!(at + 600);
    let at = format!("@{at}");
    expect(
        &jwt(&rsa, json!({"alg": "RS256"}), c),
        &["--key", "pub.pem", "--at", &at],
        10,
        &[
            "The token is not yet valid (iat)",
            "10m in the future",
            "clock",
        ],
    );
    let mut c = good_claims();
    c["sub"] = json!("sa:robot");
    expect(
        &jwt(&rsa, json!({"alg": "RS256"}), c),
        &["--key", "pub.pem"],
        10,
        &["\"Invalid token subject\"", "reserved", "--sub"],
    );
    let mut c = good_claims();
    c.as_object_mut().unwrap().remove("aud");
    expect(
        &jwt(&rsa, json!({"alg": "RS256"}), c),
        &["--key", "pub.pem", "--aud", "test-os"],
        10,
        &["missing the \\\"aud\\\" claim", "mint with --aud test-os"],
    );
    expect(
        &no_kid,
        &["--key", "pub.pem", "--iss", "https://idp"],
        10,
        &["mint with --iss https://idp"],
    );
    // A PEM with literal \n, as many .env files hold it.
    write(
        dir.path(),
        "mangled.pem",
        &rsa.public_key_pem().unwrap().replace('\n', "\\n"),
    );
    expect(
        &no_kid,
        &["--key", "mangled.pem"],
        10,
        &[
            "Could not parse the provided public key.",
            "two characters \\n",
            "export --format env",
        ],
    );
    expect(
        "abc",
        &["--key", "pub.pem"],
        10,
        &[
            "\"Invalid token: Not enough segments\"",
            "not a well-formed JWT",
        ],
    );
}

#[test]
fn time_with_at() {
    let dir = tempfile::tempdir().unwrap();
    let key = rsa_setup(dir.path());
    let t = jwt(&key, json!({"alg": "RS256"}), good_claims());
    assert_eq!(
        verify(dir.path(), &t, &["--key", "pub.pem", "--at", "+59m"]).code,
        0
    );
    assert_eq!(
        verify(dir.path(), &t, &["--key", "pub.pem", "--at", "+2h"]).code,
        10
    );
    let o = verify(dir.path(), &t, &["--key", "pub.pem", "--at", "-1h"]);
    assert_eq!(o.code, 10);
    assert!(error_line(&o).contains("(iat)"));
}

#[test]
fn input_errors_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let key = rsa_setup(dir.path());
    let t = jwt(&key, json!({"alg": "RS256"}), good_claims());
    for (args, msg) in [
        (
            vec!["--key", "pub.pem", "--request", "agents"],
            "invalid --request",
        ),
        (
            vec!["--key", "pub.pem", "--request", "GET agents"],
            "must start with '/'",
        ),
        (vec!["--key", "pub.pem", "--at", "tomorrowish"], "--at"),
    ] {
        let o = verify(dir.path(), &t, &args);
        assert_eq!(o.code, 1, "{args:?}");
        assert!(error_line(&o).contains(msg), "{}", o.stderr);
        assert_eq!(o.stdout, "");
    }
    let o = verify(dir.path(), &t, &["--key", "missing.pem"]);
    assert_eq!(o.code, 3);
    error_line(&o);
    // No key anywhere: not in flags, env or the (empty) key store.
    let home = dir.path().join("home");
    let o = verify(dir.path(), &t, &["--home", home.to_str().unwrap()]);
    assert_eq!(o.code, 1);
    assert!(
        error_line(&o).contains("no verification key"),
        "{}",
        o.stderr
    );
    // An empty stdin.
    let o = run(bin()
        .current_dir(dir.path())
        .args(["verify", "--key", "pub.pem"]));
    assert_eq!(o.code, 1);
    assert!(error_line(&o).contains("no token given"));
    // A JWKS whose only key AgentOS cannot load: AgentOS would not start.
    write(
        dir.path(),
        "bad.json",
        r#"{"keys": [{"kty": "EC", "crv": "P-256", "x": "AA", "y": "AA"}]}"#,
    );
    let o = verify(dir.path(), &t, &["--jwks", "bad.json"]);
    assert_eq!(o.code, 1);
    assert!(
        error_line(&o).contains("AgentOS refuses to start"),
        "{}",
        o.stderr
    );
}

#[test]
fn key_sources_env_store_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let key = rsa_setup(dir.path());
    let t = jwt(&key, json!({"alg": "RS256"}), good_claims());
    // JWT_VERIFICATION_KEY, as AgentOS reads it; a bearer token on stdin.
    let o = run(bin()
        .args(["verify", "-"])
        .env("JWT_VERIFICATION_KEY", key.public_key_pem().unwrap())
        .write_stdin(format!("Bearer {t}\n")));
    assert_eq!(o.code, 0, "{}", o.stderr);
    // JWT_JWKS_FILE.
    let jwk = serde_json::to_value(key.public_jwk(Some("k1")).unwrap()).unwrap();
    let jwks = write(dir.path(), "jwks.json", &json!({"keys": [jwk]}).to_string());
    let tk = jwt(&key, json!({"alg": "RS256", "kid": "k1"}), good_claims());
    let o = run(bin().args(["verify", &tk]).env("JWT_JWKS_FILE", &jwks));
    assert_eq!(o.code, 0, "{}", o.stderr);
    // The key store: keygen, mint, verify with nothing else.
    let home = dir.path().join("store");
    let h = home.to_str().unwrap();
    assert!(bin()
        .args(["--home", h, "keygen", "--aud", "test-os"])
        .output()
        .unwrap()
        .status
        .success());
    let out = bin()
        .args(["--home", h, "mint", "--scopes", "agents:read"])
        .output()
        .unwrap();
    let minted = String::from_utf8(out.stdout).unwrap();
    let o = run(bin().args([
        "--home",
        h,
        "verify",
        minted.trim(),
        "--aud",
        "test-os",
        "--request",
        "GET /agents",
    ]));
    assert_eq!(o.code, 0, "{}", o.stderr);
}

#[test]
fn hs256_secret_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let key = Key::generate(Alg::HS256, 0).unwrap();
    let secret = key.secret().unwrap().to_string();
    let t = jwt(&key, json!({"alg": "HS256"}), good_claims());
    // A secret file's trailing newline is not part of the secret (as for mint).
    write(dir.path(), "hs.secret", &format!("{secret}\n"));
    assert_eq!(
        verify(dir.path(), &t, &["--alg", "hs256", "--key", "hs.secret"]).code,
        0
    );
    // But AgentOS takes JWT_VERIFICATION_KEY byte for byte.
    let o = run(bin()
        .args(["verify", &t, "--alg", "HS256"])
        .env("JWT_VERIFICATION_KEY", format!("{secret}\n")));
    assert_eq!(o.code, 10);
    let line = error_line(&o);
    assert!(line.contains("Signature verification failed"), "{line}");
    assert!(line.contains("whitespace"), "{line}");
}

#[test]
fn public_route_and_listing() {
    let dir = tempfile::tempdir().unwrap();
    let key = rsa_setup(dir.path());
    let mut c = good_claims();
    c["scopes"] = json!(["agents:a1:read", "agents:a2:read"]);
    let t = jwt(&key, json!({"alg": "RS256"}), c);
    let o = verify(
        dir.path(),
        &t,
        &["--key", "pub.pem", "--request", "GET /agents", "--json"],
    );
    let v: Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["visible_ids"], json!(["a1", "a2"]));
    let o = verify(
        dir.path(),
        "garbage",
        &["--key", "pub.pem", "--request", "GET /health"],
    );
    assert_eq!(o.code, 0);
    assert!(o.stdout.contains("public route"));
}

#[test]
fn scopes_reference() {
    let o = run(bin().arg("scopes"));
    assert_eq!(o.code, 0);
    for part in [
        "agent_os:admin",
        "RESOURCE:ID:ACTION",
        "agents (ids)",
        "POST   /agents/*/runs",
        "agents:run",
        "/health",
        "run-agent:<id>",
        "read-only",
    ] {
        assert!(o.stdout.contains(part), "missing {part:?}");
    }
    let o = run(bin().args(["scopes", "--json"]));
    let v: Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(
        v["routes"].as_array().unwrap().len(),
        agentos_auth::agentos::route_table(&agentos_auth::agentos::Server::default()).len()
    );
    assert_eq!(v["routes"][1]["path"], "/models");
    assert_eq!(v["routes"][1]["served"], false);
    let presets = v["presets"].as_array().unwrap();
    assert_eq!(presets.len(), agentos_auth::agentos::PRESETS.len());
    let run_agent = presets
        .iter()
        .find(|p| p["name"] == "run-agent:<id>")
        .unwrap();
    assert_eq!(
        run_agent["scopes"],
        json!(["agents:<id>:read", "agents:<id>:run"])
    );
    // Every listed preset is one mint accepts.
    let dir = tempfile::tempdir().unwrap();
    let key = Key::generate(Alg::ES256, 0).unwrap();
    let k = write(dir.path(), "k.pem", &key.private_key_pem().unwrap());
    for p in presets {
        let name = p["name"].as_str().unwrap().replace("<id>", "my-agent");
        let out = bin()
            .args([
                "mint", "--aud", "x", "--sub", "u", "--preset", &name, "--key",
            ])
            .arg(&k)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn help_has_examples() {
    for cmd in ["verify", "inspect", "doctor", "scopes"] {
        let o = run(bin().args([cmd, "--help"]));
        assert_eq!(o.code, 0);
        assert!(o.stdout.contains("Examples:"), "{cmd}");
    }
}

/// An RS256/ES256 run prints no background notes (aud not checked, cryptography on the
/// server) unless --verbose; a rejection is exactly one line on stderr.
#[test]
fn notes_only_when_relevant_or_verbose() {
    let dir = tempfile::tempdir().unwrap();
    let key = rsa_setup(dir.path());
    let t = jwt(&key, json!({"alg": "RS256"}), good_claims());
    let ok = verify(
        dir.path(),
        &t,
        &["--key", "pub.pem", "--request", "GET /agents"],
    );
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    assert_eq!(ok.stderr, "", "no notes on a plain 200");
    let loud = verify(
        dir.path(),
        &t,
        &["--key", "pub.pem", "--request", "GET /agents", "-v"],
    );
    assert!(
        loud.stderr.contains("note: aud not checked"),
        "{}",
        loud.stderr
    );
    assert!(loud.stderr.contains("cryptography"), "{}", loud.stderr);

    let denied = verify(
        dir.path(),
        &t,
        &["--key", "pub.pem", "--request", "GET /sessions"],
    );
    assert_eq!(denied.code, 11);
    assert_eq!(denied.stderr.lines().count(), 1, "{}", denied.stderr);

    // A note that is about this token (no exp) still shows on a 200.
    let mut claims = good_claims();
    claims.as_object_mut().unwrap().remove("exp");
    let forever = jwt(&key, json!({"alg": "RS256"}), claims);
    let o = verify(dir.path(), &forever, &["--key", "pub.pem"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(
        o.stderr.trim(),
        "note: the token has no exp: AgentOS accepts it forever"
    );
}

/// No token: the hint says how to give one to verify (not to inspect).
#[test]
fn no_token_names_verify() {
    let dir = tempfile::tempdir().unwrap();
    let o = verify(dir.path(), "", &["--key", "pub.pem"]);
    assert_eq!(o.code, 1);
    let line = error_line(&o);
    assert!(line.contains("no token given"), "{line}");
    assert!(line.contains("| agentos-auth verify --key"), "{line}");
    assert!(!line.contains("inspect"), "{line}");
}

#[test]
fn default_app_and_optional_routers() {
    let dir = tempfile::tempdir().unwrap();
    let key = rsa_setup(dir.path());
    let admin = jwt(
        &key,
        json!({"alg": "RS256"}),
        json!({"sub": "alice", "iat": now(), "exp": now() + 3600, "scopes": ["agent_os:admin"]}),
    );
    // Without --routes: the release's default app, which has no company router.
    let o = verify(
        dir.path(),
        &admin,
        &[
            "--key",
            "pub.pem",
            "--request",
            "GET /company/tasks",
            "--json",
        ],
    );
    assert_eq!(o.code, 12, "{}", o.stderr);
    let v: Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["status"], 404);
    let notes = v["notes"].to_string();
    assert!(notes.contains("default app"), "{notes}");
    assert!(notes.contains("--routes"), "{notes}");
    assert!(
        notes.contains("AgentOS(company=CompanyConfig(...))"),
        "{notes}"
    );

    // With the server's OpenAPI document listing company and the user directory.
    let routes = write(
        dir.path(),
        "openapi.json",
        r#"{"paths": {"/agents": {"get": {}}, "/company/tasks": {"get": {}}, "/users": {"get": {}}}}"#,
    );
    let reader = jwt(&key, json!({"alg": "RS256"}), good_claims());
    let routes = routes.to_str().unwrap();
    for (token, request, code, error) in [
        (
            &reader,
            "GET /company/tasks",
            11,
            "Required scope(s): tasks:read",
        ),
        (&reader, "GET /users", 11, "\"Admin privileges required\""),
        (&admin, "GET /users", 0, ""),
    ] {
        let args = ["--key", "pub.pem", "--routes", routes, "--request", request];
        let o = verify(dir.path(), token, &args);
        assert_eq!(o.code, code, "{request}: {}", o.stderr);
        if code != 0 {
            assert!(error_line(&o).contains(error), "{request}: {}", o.stderr);
        }
    }

    // The scope reference lists the release's optional routers.
    let o = run(bin().args(["scopes", "--agno", "3.1.10", "--json"]));
    let v: Value = serde_json::from_str(&o.stdout).unwrap();
    let names: Vec<&str> = v["optional_routers"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["name"].as_str())
        .collect();
    assert_eq!(names, ["job queue", "user directory", "company"]);
    let o = run(bin().args(["scopes", "--agno", "2.7.0", "--json"]));
    let v: Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["optional_routers"], json!([]));
}

/// `--mount-prefix`: the request path is whole; outside the prefix the parent app answers
/// 404 (exit 12); before agno 3.0.9 the prefixed path misses the route map, so a token
/// without the route's scope is let through (with a note saying why); a bad prefix is
/// one error line, exit 1.
#[test]
fn a_mount_prefix_is_part_of_the_request_path() {
    let dir = tempfile::tempdir().unwrap();
    let key = rsa_setup(dir.path());
    let mut claims = good_claims();
    claims["scopes"] = json!(["sessions:read"]);
    let t = jwt(&key, json!({"alg": "RS256"}), claims);
    let ask = |args: &[&str]| {
        let mut all = vec!["--key", "pub.pem", "--mount-prefix", "/api/", "--json"];
        all.extend_from_slice(args);
        verify(dir.path(), &t, &all)
    };
    let new = ask(&["--agno", "3.1.10", "--request", "GET /api/config"]);
    assert_eq!(new.code, 11, "{}", new.stderr);
    let old = ask(&["--agno", "3.0.8", "--request", "GET /api/config"]);
    assert_eq!(old.code, 0, "{}", old.stderr);
    let v: Value = serde_json::from_str(&old.stdout).unwrap();
    assert!(
        v["notes"]
            .to_string()
            .contains("matches the whole URL path"),
        "{v}"
    );
    let outside = ask(&["--request", "GET /config"]);
    assert_eq!(outside.code, 12, "{}", outside.stderr);
    let v: Value = serde_json::from_str(&outside.stdout).unwrap();
    assert_eq!(v["detail"], "Not Found");
    let bad = verify(
        dir.path(),
        &t,
        &[
            "--key",
            "pub.pem",
            "--mount-prefix",
            "api",
            "--request",
            "GET /agents",
        ],
    );
    assert_eq!(bad.code, 1);
    assert!(
        error_line(&bad).contains("invalid mount prefix"),
        "{}",
        bad.stderr
    );
}

#[test]
fn an_mcp_tool_call_is_decided_by_the_tool() {
    let dir = tempfile::tempdir().unwrap();
    let key = rsa_setup(dir.path());
    let t = jwt(&key, json!({"alg": "RS256"}), good_claims());
    let call = |tool: &str, args: Value| {
        json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
               "params": {"name": tool, "arguments": args}})
        .to_string()
    };
    let ask = |args: &[&str]| {
        let mut all = vec!["--key", "pub.pem", "--json"];
        all.extend_from_slice(args);
        verify(dir.path(), &t, &all)
    };
    // Without --mcp the MCP server's path is no route, and a note says why.
    let plain = ask(&["--request", "POST /mcp"]);
    assert_eq!(plain.code, 12, "{}", plain.stderr);
    assert!(plain.stdout.contains("--mcp"), "{}", plain.stdout);
    // With it: through; a tool call is the tool's decision, a refusal exits 11.
    let body = call(
        "run_agent",
        json!({"agent_id": "my-agent", "message": "hi"}),
    );
    let refused = ask(&["--mcp", "--request", "POST /mcp", "--body", &body]);
    assert_eq!(refused.code, 11, "{}", refused.stderr);
    let v: Value = serde_json::from_str(&refused.stdout).unwrap();
    assert_eq!(v["status"], 200);
    assert_eq!(
        v["detail"],
        "Error calling tool 'run_agent': Insufficient permissions. Required scope(s): agents:run"
    );
    assert!(v["fix"].to_string().contains("agents:my-agent:run"), "{v}");
    let body = call("get_agentos_config", json!({}));
    let old = ask(&[
        "--mcp",
        "--agno",
        "2.6.22",
        "--request",
        "POST /mcp",
        "--body",
        &body,
    ]);
    assert_eq!(old.code, 0, "{}", old.stderr);
    assert!(old.stdout.contains("check no scope"), "{}", old.stdout);
    let body = call("get_sessions", json!({}));
    let open = ask(&[
        "--mcp",
        "--no-authorization",
        "--request",
        "POST /mcp",
        "--body",
        &body,
    ]);
    assert_eq!(open.code, 0, "{}", open.stderr);
    let card = ask(&["--mcp", "--request", "GET /mcp/server-card"]);
    assert_eq!(card.code, 0, "{}", card.stderr);
    let no_card = ask(&[
        "--mcp",
        "--agno",
        "3.0.8",
        "--request",
        "GET /mcp/server-card",
    ]);
    assert_eq!(no_card.code, 12, "{}", no_card.stderr);
}
