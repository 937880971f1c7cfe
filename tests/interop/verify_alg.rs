//! Issue 21, item 1, against a real AgentOS (agno 3.1.10, tests/live/app.py under
//! uvicorn on 127.0.0.1, `LIVE_ALG=ES256`): a server that verified the token settles
//! which algorithm it is set to, so `doctor --url` and `verify --url` say so instead of
//! contradicting the server's 200; and after `keygen --alg ES256` the key store's
//! remembered alg needs no `--alg`. A missing venv FAILS this test.

use std::path::Path;
use std::process::Output;

use crate::common::bin;
use crate::server::Server;

fn run(home: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut c = bin();
    c.arg("--home").arg(home).args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn ok(o: Output) -> (String, String) {
    let (out, err) = (text(&o.stdout), text(&o.stderr));
    assert_eq!(o.status.code(), Some(0), "stdout:\n{out}\nstderr:\n{err}");
    (out, err)
}

#[test]
fn an_es256_server_that_verified_the_token_settles_the_algorithm() {
    let t = tempfile::tempdir().unwrap();
    // A key made outside any key store: nothing remembers its algorithm.
    let keys = t.path().join("keys");
    let nowhere = t.path().join("no-store");
    ok(run(
        &nowhere,
        &[],
        &[
            "keygen",
            "--alg",
            "ES256",
            "--out-dir",
            keys.to_str().unwrap(),
        ],
    ));
    let public = keys.join("agentos.pub.pem");
    let pem = std::fs::read_to_string(&public).unwrap();
    let srv = Server::agentos(
        ".venv-live",
        &[
            ("LIVE_OS_ID", "live-os"),
            ("LIVE_ALG", "ES256"),
            ("JWT_VERIFICATION_KEY", &pem),
        ],
    );
    let url = srv.url.as_str();
    let (token, _) = ok(run(
        &nowhere,
        &[],
        &[
            "mint",
            "--key",
            keys.join("agentos.key.pem").to_str().unwrap(),
            "--url",
            url,
            "--scopes",
            "agents:read",
        ],
    ));
    let token = token.trim();

    // doctor --url: the server's 200 settles ES256; no finding contradicts it.
    let env = [("JWT_VERIFICATION_KEY", pem.as_str())];
    let o = run(&nowhere, &env, &["doctor", "--url", url, "--token", token]);
    let (out, err) = (text(&o.stdout), text(&o.stderr));
    assert_eq!(o.status.code(), Some(0), "{out}{err}\n{}", srv.log());
    assert!(
        out.contains(&format!(
            "{url} verified the token, signed ES256, on GET /agents: AgentOS there is set to ES256 (not RS256, the default); checking ES256"
        )),
        "{out}"
    );
    assert!(!out.contains("but AgentOS is set to RS256"), "{out}");
    assert!(!out.lines().any(|l| l.starts_with("error")), "{out}");
    assert!(out.contains("predicted: 200"), "{out}");

    // verify --url: the prediction follows the server, and says why.
    let o = run(
        &nowhere,
        &[],
        &[
            "verify",
            token,
            "--url",
            url,
            "--key",
            public.to_str().unwrap(),
        ],
    );
    let (out, err) = ok(o);
    assert!(out.contains("predicted: 200"), "{out}");
    assert!(
        err.contains("verified the token, signed ES256: AgentOS there is set to ES256"),
        "{err}"
    );
    // An explicit --alg is the user's word: the prediction keeps it.
    let o = run(
        &nowhere,
        &[],
        &[
            "verify",
            token,
            "--url",
            url,
            "--key",
            public.to_str().unwrap(),
            "--alg",
            "RS256",
        ],
    );
    assert!(
        text(&o.stdout).contains("predicted: 401"),
        "{}",
        text(&o.stdout)
    );

    // After keygen --alg ES256 into a key store (and the README's eval line), doctor
    // --url needs no --alg either: the store remembers it.
    let home = t.path().join("home");
    ok(run(
        &home,
        &[],
        &["keygen", "--alg", "ES256", "--aud", "live-os"],
    ));
    let store_pem = ok(run(&home, &[], &["export", "--format", "pem"])).0;
    let (token, _) = ok(run(&home, &[], &["mint", "--scopes", "agents:read"]));
    let srv2 = Server::agentos(
        ".venv-live",
        &[
            ("LIVE_OS_ID", "live-os"),
            ("LIVE_ALG", "ES256"),
            ("JWT_VERIFICATION_KEY", store_pem.trim_end()),
        ],
    );
    let o = run(
        &home,
        &[("JWT_VERIFICATION_KEY", store_pem.trim_end())],
        &["doctor", "--url", &srv2.url, "--token", token.trim()],
    );
    let (out, err) = (text(&o.stdout), text(&o.stderr));
    assert_eq!(o.status.code(), Some(0), "{out}{err}\n{}", srv2.log());
    assert!(
        out.contains("verified the token, signed ES256, on GET /agents: AgentOS there is set to ES256; checking ES256"),
        "{out}"
    );
    assert!(!out.contains("but AgentOS is set to RS256"), "{out}");
}
