//! Our keys, exports and tokens against the real AgentOS (agno from PyPI, under
//! Starlette's TestClient) and PyJWT. Needs the venv from `.ci/setup-venv`: without it
//! these tests fail, they never skip.

use crate::common;

use std::fs;
use std::path::Path;

use common::{bin, harness, statuses, write};
use serde_json::{json, Value};

const OS_ID: &str = "test-os";

fn run_ok(cmd: &mut assert_cmd::Command) -> String {
    let o = cmd.output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

fn home_cmd(home: &Path) -> assert_cmd::Command {
    let mut c = bin();
    c.arg("--home").arg(home);
    c
}

fn mint(home: &Path, scopes: &str) -> String {
    run_ok(home_cmd(home).args(["mint", "--scopes", scopes]))
        .trim()
        .to_string()
}

fn agentos(config: Value, requests: Vec<(&str, &str, &str)>) -> Vec<i64> {
    let requests: Vec<Value> = requests
        .into_iter()
        .map(|(m, p, t)| json!({"method": m, "path": p, "token": t}))
        .collect();
    statuses(&harness(
        &json!({"mode": "agentos", "config": config, "requests": requests}),
    ))
}

/// The value our `export --format env` sets, read back through a real POSIX shell.
fn env_export_value(home: &Path) -> String {
    let line = run_ok(home_cmd(home).args(["export", "--format", "env", "--include-secret"]));
    let script = write(home, "env.sh", &line);
    let o = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            ". '{}' && printf %s \"$JWT_VERIFICATION_KEY\"",
            script.display()
        ))
        .output()
        .unwrap();
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn agentos_accepts_our_tokens_for_every_algorithm_and_key_source() {
    for alg in ["RS256", "ES256", "HS256"] {
        let home = tempfile::tempdir().unwrap();
        let h = home.path();
        run_ok(home_cmd(h).args(["keygen", "--alg", alg, "--aud", OS_ID]));
        let read = mint(h, "agents:read");
        let run = mint(h, "agents:my-agent:run");
        let env_value = env_export_value(h);

        // 1. The key handed over in code, as verification_keys.
        let statuses = agentos(
            json!({"algorithm": alg, "verification_keys": [env_value], "verify_audience": true, "os_id": OS_ID}),
            vec![
                ("GET", "/agents", &read),
                ("GET", "/sessions", &read),
                ("GET", "/agents", &run),
            ],
        );
        assert_eq!(statuses, [200, 403, 403], "{alg} verification_keys");

        // 2. Through the environment, exactly as `eval "$(agentos-auth export --format env)"` sets it.
        let statuses = agentos(
            json!({"algorithm": alg, "verify_audience": true, "os_id": OS_ID, "env": {"JWT_VERIFICATION_KEY": env_value}}),
            vec![("GET", "/agents", &read), ("GET", "/sessions", &read)],
        );
        assert_eq!(statuses, [200, 403], "{alg} JWT_VERIFICATION_KEY");

        // 3. Through a .env file read by python-dotenv.
        let dotenv = run_ok(home_cmd(h).args(["export", "--format", "dotenv", "--include-secret"]));
        let path = write(h, ".env", &format!("# ours\nOTHER=1\n{dotenv}"));
        let loaded =
            harness(&json!({"mode": "dotenv", "path": path, "name": "JWT_VERIFICATION_KEY"}));
        assert_eq!(
            loaded["value"].as_str().unwrap(),
            env_value,
            "{alg} dotenv round trip"
        );
        let statuses = agentos(
            json!({"algorithm": alg, "verify_audience": true, "os_id": OS_ID, "env": {"JWT_VERIFICATION_KEY": loaded["value"]}}),
            vec![("GET", "/agents", &read)],
        );
        assert_eq!(statuses, [200], "{alg} via .env");

        // 4. A JWKS file with kid (RS256/ES256; an HS256 secret is never published).
        if alg != "HS256" {
            let jwks = h.join("jwks.json");
            let statuses = agentos(
                json!({"algorithm": alg, "jwks_file": jwks, "verify_audience": true, "os_id": OS_ID}),
                vec![("GET", "/agents", &read), ("GET", "/sessions", &read)],
            );
            assert_eq!(statuses, [200, 403], "{alg} JWKS");
            let statuses = agentos(
                json!({"algorithm": alg, "verify_audience": true, "os_id": OS_ID, "env": {"JWT_JWKS_FILE": jwks}}),
                vec![("GET", "/agents", &read)],
            );
            assert_eq!(statuses, [200], "{alg} JWT_JWKS_FILE");
        }

        // 5. PyJWT agrees on signature, header and claims.
        let out = harness(
            &json!({"mode": "pyjwt", "token": read, "key": env_value, "algorithms": [alg], "audience": OS_ID}),
        );
        assert_eq!(out["ok"], true, "{alg} PyJWT: {out}");
        assert_eq!(out["claims"]["scopes"], json!(["agents:read"]));
    }
}

#[test]
fn agentos_accepts_tokens_minted_from_explicit_files() {
    let dir = tempfile::tempdir().unwrap();
    for alg in ["RS256", "ES256", "HS256"] {
        let name = alg.to_lowercase();
        run_ok(
            bin()
                .args(["keygen", "--alg", alg, "--name", &name, "--out-dir"])
                .arg(dir.path()),
        );
        let (signing, verifying) = if alg == "HS256" {
            let s = dir.path().join(format!("{name}.secret"));
            (s.clone(), fs::read_to_string(s).unwrap())
        } else {
            let pem = run_ok(
                bin()
                    .args(["export", "--key"])
                    .arg(dir.path().join(format!("{name}.key.pem"))),
            );
            assert_eq!(
                pem,
                fs::read_to_string(dir.path().join(format!("{name}.pub.pem"))).unwrap()
            );
            (dir.path().join(format!("{name}.key.pem")), pem)
        };
        let token = run_ok(
            bin()
                .args([
                    "mint",
                    "--alg",
                    alg,
                    "--aud",
                    OS_ID,
                    "--scopes",
                    "agents:read,agents:*:run",
                    "--sub",
                    "bob",
                    "--key",
                ])
                .arg(&signing),
        );
        let statuses = agentos(
            json!({"algorithm": alg, "verification_keys": [verifying], "verify_audience": true, "os_id": OS_ID}),
            vec![
                ("GET", "/agents", token.trim()),
                ("GET", "/memories", token.trim()),
            ],
        );
        assert_eq!(statuses, [200, 403], "{alg}");
    }
}

#[test]
fn agentos_rejects_where_it_should() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    run_ok(home_cmd(h).args(["keygen", "--alg", "RS256", "--aud", OS_ID]));
    let pem = env_export_value(h);
    let good = mint(h, "agents:read");
    let other_aud =
        run_ok(home_cmd(h).args(["mint", "--scopes", "agents:read", "--aud", "other-os"]))
            .trim()
            .to_string();
    let statuses = agentos(
        json!({"algorithm": "RS256", "verification_keys": [pem], "verify_audience": true, "os_id": OS_ID}),
        vec![
            ("GET", "/agents", &good),
            ("GET", "/agents", &other_aud),
            ("GET", "/agents", ""),
        ],
    );
    assert_eq!(statuses, [200, 401, 401]);
    // The env var mangling AgentOS cannot read: literal \n instead of newlines.
    let statuses = agentos(
        json!({"algorithm": "RS256", "verify_audience": true, "os_id": OS_ID, "env": {"JWT_VERIFICATION_KEY": pem.replace('\n', "\\n")}}),
        vec![("GET", "/agents", &good)],
    );
    assert_eq!(statuses, [401]);
}
