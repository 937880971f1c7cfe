//! `jwks use --url` against a real AgentOS (agno 3.1.10, tests/live/app.py) under
//! uvicorn on 127.0.0.1, with JWT_JWKS_FILE set to the key store's jwks.json: a key
//! staged after the server started is refused (the server has not read it), accepted
//! once the server restarts, and its tokens then get 200. A missing venv
//! (.venv-live, from .ci/setup-live-venv) FAILS this test.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use crate::common::{assert_one_line_error, bin, stderr};
use crate::server::Server;
use serde_json::Value;

fn run(home: &Path, args: &[&str]) -> Output {
    bin()
        .arg("--home")
        .arg(home)
        .args(args)
        .env_remove("JWT_VERIFICATION_KEY")
        .env_remove("JWT_JWKS_FILE")
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap()
}

fn json_out(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&o.stdout),
            stderr(o)
        )
    })
}

fn signing_kid(home: &Path) -> Value {
    let o = run(home, &["jwks", "list", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    json_out(&o)["signing_kid"].clone()
}

#[test]
fn jwks_use_url_waits_for_the_server_to_read_the_staged_key() {
    let dir = tempfile::tempdir().unwrap();
    let home: PathBuf = dir.path().join("home");
    let o = run(&home, &["keygen", "--aud", "live-os"]);
    assert_eq!(o.status.code(), Some(0), "keygen: {}", stderr(&o));
    let jwks = home.join("jwks.json");
    let env = [
        ("LIVE_OS_ID", "live-os"),
        ("JWT_JWKS_FILE", jwks.to_str().unwrap()),
    ];
    let srv = Server::agentos(".venv-live", &env);
    let old = signing_kid(&home);

    let o = run(&home, &["jwks", "rotate", "--stage", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let new = json_out(&o)["kid"].as_str().unwrap().to_string();

    // The server read jwks.json before NEW was published: refused, nothing switched.
    let o = run(&home, &["jwks", "use", "--kid", &new, "--url", &srv.url]);
    assert_one_line_error(&o, 10, "restart AgentOS so it reads the JWKS again");
    assert!(stderr(&o).contains(&format!("kid {new}")), "{}", stderr(&o));
    assert_eq!(signing_kid(&home), old, "refused, yet switched");

    // Restarted, it reads the JWKS again.
    drop(srv);
    let srv = Server::agentos(".venv-live", &env);

    // Every --url must verify: a server that cannot be asked stops the switch.
    let o = run(
        &home,
        &[
            "jwks",
            "use",
            "--kid",
            &new,
            "--url",
            &srv.url,
            "--url",
            "http://127.0.0.1:9",
        ],
    );
    assert_one_line_error(&o, 4, "connection refused");
    assert_eq!(signing_kid(&home), old);

    let o = run(
        &home,
        &["jwks", "use", "--kid", &new, "--url", &srv.url, "--json"],
    );
    assert_eq!(o.status.code(), Some(0), "{}\n{}", stderr(&o), srv.log());
    let out = json_out(&o);
    assert_eq!(out["kid"], new.as_str());
    assert_eq!(out["previous_kid"], old);
    assert_eq!(out["servers"][0]["status"], 403, "{out}");
    assert_eq!(out["servers"][0]["verifies"], true, "{out}");
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
    assert_eq!(signing_kid(&home), new.as_str());

    // mint now signs with NEW, and the server lets its token through.
    let o = run(&home, &["mint", "--scopes", "agents:read", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let minted = json_out(&o);
    assert_eq!(minted["header"]["kid"], new.as_str(), "{minted}");
    let token = minted["token"].as_str().unwrap();
    let o = run(
        &home,
        &["verify", token, "--url", &srv.url, "--timeout", "60"],
    );
    assert_eq!(o.status.code(), Some(0), "{}\n{}", stderr(&o), srv.log());
    assert!(
        String::from_utf8_lossy(&o.stdout).starts_with("server:    200 (GET /agents"),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
}
