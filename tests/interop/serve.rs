//! `agentos-auth serve` with real parts: a stock OAuth client (Authlib, from .venv-serve,
//! `.ci/setup-serve-venv`) gets client-credentials tokens over TLS (a throwaway CA made with
//! the openssl CLI) and RFC 8693 exchanges of a real OpenID provider's tokens (oidc-provider,
//! tests/interop/oidc) that a real AgentOS (agno 3.1.10 under uvicorn, .venv-live) accepts
//! (200) and refuses (403) as `verify` predicts; then two replicas on one key store go
//! through a key rotation (`jwks rotate --stage`, AgentOS restarted, `jwks use`) while the
//! client keeps calling both: no request fails at AgentOS. A missing prerequisite FAILS.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use serde_json::{json, Value};

use crate::common::{bin, manifest_dir, stderr};
use crate::serve_support::Serve;
use crate::server::Server;

fn run(home: &Path, args: &[&str]) -> Output {
    bin()
        .arg("--home")
        .arg(home)
        .args(args)
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap()
}

fn ok_json(o: &Output) -> Value {
    assert_eq!(o.status.code(), Some(0), "{}", stderr(o));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn client_python() -> PathBuf {
    let p = manifest_dir().join(".venv-serve/bin/python");
    assert!(
        p.exists(),
        "{} missing: run .ci/setup-serve-venv",
        p.display()
    );
    p
}

/// tests/interop/serve_client.py (Authlib) with `req` on its stdin, which it closes.
fn start_client(req: &Value) -> std::process::Child {
    use std::io::Write;
    let mut child = Command::new(client_python())
        .arg(manifest_dir().join("tests/interop/serve_client.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(req.to_string().as_bytes())
        .unwrap();
    child
}

fn client_once(req: Value) -> Value {
    let o = start_client(&req).wait_with_output().unwrap();
    assert!(o.status.success(), "serve_client.py: {}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// Polls `out` (the loop's running summary) until `done` holds; bounded.
fn wait_for(out: &Path, what: &str, done: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..1200 {
        if let Ok(text) = std::fs::read_to_string(out) {
            if let Ok(v) = serde_json::from_str::<Value>(&text) {
                assert!(
                    v["failures"].as_array().is_some_and(Vec::is_empty),
                    "a request failed while waiting for {what}: {v}"
                );
                if done(&v) {
                    return v;
                }
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!(
        "gave up waiting for {what}: {}",
        std::fs::read_to_string(out).unwrap_or_default()
    );
}

/// The loop client, killed when dropped (also when the test fails).
struct Loop(std::process::Child);
impl Drop for Loop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn authlib_tokens_reach_agentos_and_two_replicas_survive_a_rotation() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    ok_json(&run(&home, &["keygen", "--aud", "live-os", "--json"]));
    let secret = ok_json(&run(
        &home,
        &["clients", "add", "ci", "--scopes", "agents:read", "--json"],
    ))["client_secret"]
        .as_str()
        .unwrap()
        .to_string();
    let tls_files = crate::idp::throwaway_ca(dir.path());
    let (ca, key, cert) = tls_files.clone();
    // A real OpenID provider (oidc-provider over TLS) whose tokens serve exchanges.
    let idp_key = crate::idp::new_key("RS256", "idp-1");
    let idp = crate::idp::provider(dir.path(), &tls_files, &[&idp_key], 0);
    let exchange = dir.path().join("exchange.json");
    std::fs::write(
        &exchange,
        json!({"issuers": [{"issuer": idp.issuer, "audience": "agentos-idp-test",
            "scopes_claim": "permissions", "ca_file": ca,
            // Entra ID app roles to agno 3.1 managed roles.
            "roles_claim": "roles", "roles_map": {"Agent.Reader": ["runner"]}}]})
        .to_string(),
    )
    .unwrap();
    let jwks = home.join("jwks.json");
    let env = [
        ("LIVE_OS_ID", "live-os"),
        ("JWT_JWKS_FILE", jwks.to_str().unwrap()),
    ];
    let agentos = Server::agentos(".venv-live", &env);
    let tls = [
        "--tls-cert",
        cert.to_str().unwrap(),
        "--tls-key",
        key.to_str().unwrap(),
        "--rate-limit",
        "0",
    ];
    let mut with_exchange = tls.to_vec();
    with_exchange.extend(["--exchange", exchange.to_str().unwrap()]);
    let a = Serve::start(&home, &with_exchange);
    let b = Serve::start(&home, &tls);
    let token_url = |s: &Serve| format!("https://127.0.0.1:{}/token", s.port);

    // Both client authentication methods, as Authlib sends them.
    for method in ["client_secret_basic", "client_secret_post"] {
        let got = client_once(json!({
            "mode": "once", "token_url": token_url(&a), "client_id": "ci", "client_secret": secret,
            "auth_method": method, "scope": "agents:read", "ca_file": ca, "agentos_url": agentos.url,
            "requests": [["GET", "/agents"], ["POST", "/agents/my-agent/runs"]],
        }));
        assert_eq!(got["statuses"], json!([200, 403]), "{method}: {got}");
        assert_eq!(got["token"]["token_type"], "Bearer");
        let token = got["token"]["access_token"].as_str().unwrap();
        // `verify` predicted both answers.
        assert_eq!(
            run(&home, &["verify", token, "--request", "GET /agents"])
                .status
                .code(),
            Some(0)
        );
        assert_eq!(
            run(
                &home,
                &["verify", token, "--request", "POST /agents/my-agent/runs"]
            )
            .status
            .code(),
            Some(11)
        );
    }

    // RFC 8693: the provider's access token, exchanged by Authlib, reaches AgentOS.
    let subject = crate::idp::access_token(&idp, &ca);
    let got = client_once(json!({
        "mode": "once", "token_url": token_url(&a), "client_id": "ci", "client_secret": secret,
        "auth_method": "client_secret_basic", "scope": null, "ca_file": ca, "agentos_url": agentos.url,
        "grant_type": "urn:ietf:params:oauth:grant-type:token-exchange",
        "extra": {"subject_token": subject,
                  "subject_token_type": "urn:ietf:params:oauth:token-type:access_token"},
        "requests": [["GET", "/agents"], ["POST", "/agents/my-agent/runs"]],
    }));
    assert_eq!(got["statuses"], json!([200, 403]), "exchange: {got}");
    assert_eq!(
        got["token"]["issued_token_type"],
        "urn:ietf:params:oauth:token-type:access_token"
    );
    let exchanged = got["token"]["access_token"].as_str().unwrap();
    let o = run(&home, &["inspect", exchanged, "--json"]);
    let claims = ok_json(&o)["claims"].clone();
    assert_eq!(claims["sub"], "svc", "the subject token's sub: {claims}");
    assert_eq!(claims["scopes"], json!(["agents:read"]));
    assert_eq!(
        run(
            &home,
            &[
                "verify",
                exchanged,
                "--request",
                "POST /agents/my-agent/runs"
            ]
        )
        .status
        .code(),
        Some(11)
    );

    // Roles: an Entra-shaped token's app role, exchanged, becomes the agno role `runner`,
    // which a real agno 3.1 `Authorization` (managed roles on SQLite, under uvicorn)
    // resolves to its scopes, deny entry included, as `verify --roles-file` predicts.
    let roles = json!({
        "roles": {"runner": {"scopes": ["agents:*:read", "sessions:read"],
                             "deny": ["agents:other-agent:read"]}},
        "roles_claim": "roles"
    });
    let pem = String::from_utf8(run(&home, &["export", "--format", "pem"]).stdout).unwrap();
    let alg = ok_json(&run(&home, &["jwks", "list", "--json"]))["keys"][0]["alg"].clone();
    let with_roles = crate::roles_live::LiveServer::start(&json!({
        "secret": "unused", "verification_key": pem, "algorithm": alg, "os_id": "live-os",
        "roles": roles,
    }));
    let entra = crate::idp::token_of(&idp, &ca, "entra");
    let checks = [
        ("GET", "/agents/my-agent", 200),
        ("GET", "/agents/other-agent", 403),
        ("GET", "/sessions", 200),
        ("GET", "/config", 403),
    ];
    let got = client_once(json!({
        "mode": "once", "token_url": token_url(&a), "client_id": "ci", "client_secret": secret,
        "auth_method": "client_secret_post", "scope": null, "ca_file": ca,
        "agentos_url": with_roles.url,
        "grant_type": "urn:ietf:params:oauth:grant-type:token-exchange",
        "extra": {"subject_token": entra,
                  "subject_token_type": "urn:ietf:params:oauth:token-type:access_token"},
        "requests": checks.iter().map(|(m, p, _)| json!([m, p])).collect::<Vec<_>>(),
    }));
    let want: Vec<u16> = checks.iter().map(|c| c.2).collect();
    assert_eq!(got["statuses"], json!(want), "roles exchange: {got}");
    let exchanged = got["token"]["access_token"].as_str().unwrap();
    let claims = ok_json(&run(&home, &["inspect", exchanged, "--json"]))["claims"].clone();
    assert_eq!(claims["roles"], json!(["runner"]), "{claims}");
    assert!(claims.get("scopes").is_none(), "{claims}");
    let roles_file = dir.path().join("roles.json");
    std::fs::write(&roles_file, roles.to_string()).unwrap();
    for (method, path, status) in checks {
        let o = run(
            &home,
            &[
                "verify",
                exchanged,
                "--roles-file",
                roles_file.to_str().unwrap(),
                "--request",
                &format!("{method} {path}"),
                "--json",
            ],
        );
        let v: Value = serde_json::from_slice(&o.stdout)
            .unwrap_or_else(|e| panic!("{path}: no JSON ({e}): {}", stderr(&o)));
        assert_eq!(v["status"], json!(status), "{method} {path}: {v}");
    }
    drop(with_roles);

    // The rotation under load.
    let url_file = dir.path().join("agentos-url");
    std::fs::write(&url_file, &agentos.url).unwrap();
    let stop = dir.path().join("stop");
    let out = dir.path().join("summary.json");
    let req = json!({
        "mode": "loop", "token_urls": [token_url(&a), token_url(&b)], "client_id": "ci",
        "client_secret": secret, "ca_file": ca, "agentos_url_file": url_file,
        "stop_file": stop, "out_file": out,
    });
    let client = Loop(start_client(&req));
    let old_kid = ok_json(&run(&home, &["jwks", "list", "--json"]))["signing_kid"].clone();
    let old = old_kid.as_str().unwrap().to_string();
    wait_for(&out, "tokens of the old key from both replicas", |v| {
        v["ok_by_kid"][&old].as_u64().unwrap_or(0) >= 10
            && v["by_replica"]
                .as_array()
                .unwrap()
                .iter()
                .all(|n| n.as_u64() >= Some(3))
    });

    let new = ok_json(&run(&home, &["jwks", "rotate", "--stage", "--json"]))["kid"]
        .as_str()
        .unwrap()
        .to_string();
    // Every AgentOS restarted with the new key published (one here), then `use`.
    drop(agentos);
    let agentos = Server::agentos(".venv-live", &env);
    std::fs::write(&url_file, &agentos.url).unwrap();
    let seen = wait_for(&out, "the restarted AgentOS", |v| {
        v["rounds"].as_u64() > Some(0)
    });
    let rounds = seen["rounds"].as_u64().unwrap();
    wait_for(
        &out,
        "old-key tokens accepted by the restarted AgentOS",
        |v| v["rounds"].as_u64().unwrap() >= rounds + 6,
    );
    let o = run(&home, &["jwks", "use", "--kid", &new]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let before = wait_for(&out, "progress", |_| true)["by_replica"].clone();
    let done = wait_for(&out, "tokens of the new key from both replicas", |v| {
        v["ok_by_kid"][&new].as_u64().unwrap_or(0) >= 10
            && (0..2).all(|i| v["by_replica"][i].as_u64() >= before[i].as_u64().map(|n| n + 3))
    });
    std::fs::write(&stop, "").unwrap();
    drop(client);
    assert!(done["failures"].as_array().unwrap().is_empty(), "{done}");
    for s in [&a, &b] {
        let log = s.log();
        assert!(!log.contains(&secret), "secret in a replica's log");
        assert!(
            log.contains(r#""event":"reloaded""#),
            "a replica did not follow: {log}"
        );
    }
}
