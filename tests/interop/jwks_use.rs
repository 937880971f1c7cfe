//! `jwks use --url` against a real AgentOS (agno 3.1.10, tests/live/app.py) under
//! uvicorn on 127.0.0.1, with JWT_JWKS_FILE set to the key store's jwks.json: a key
//! staged after the server started is refused (the server has not read it), accepted
//! once the server restarts, and its tokens then get 200. A missing venv
//! (.venv-live, from .ci/setup-live-venv) FAILS this test.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::common::{assert_one_line_error, bin, manifest_dir};
use serde_json::Value;

/// How long a server may take to start (agno's imports are slow on a busy machine).
const START_TIMEOUT: Duration = Duration::from_secs(120);

/// A real AgentOS under uvicorn on 127.0.0.1 (port chosen by the kernel), killed when
/// dropped, also when the test fails. The same guard as tests/live_cli.rs's `Server`.
struct Server {
    child: Child,
    url: String,
    log: Arc<Mutex<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn agentos(env: &[(&str, &str)]) -> Server {
        let python = manifest_dir().join(".venv-live/bin/python");
        assert!(
            python.exists(),
            "live-test venv missing: run .ci/setup-live-venv (looked for {})",
            python.display()
        );
        let mut cmd = Command::new(&python);
        cmd.args([
            "-m",
            "uvicorn",
            "--app-dir",
            "tests/live",
            "app:app",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--no-access-log",
        ])
        .current_dir(manifest_dir())
        .env_remove("PYTHONPATH")
        .env_remove("PYTHONHOME")
        .env("PYTHONNOUSERSITE", "1")
        .env("PYTHONUNBUFFERED", "1")
        .env("AGNO_TELEMETRY", "false")
        .env("OPENAI_API_KEY", "sk-test")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
        for (name, _) in std::env::vars() {
            if name.starts_with("JWT_") || name == "OS_SECURITY_KEY" {
                cmd.env_remove(name);
            }
        }
        cmd.envs(env.iter().copied());
        let mut child = cmd.spawn().expect("start uvicorn");
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = mpsc::channel::<String>();
        let marker = "Uvicorn running on http://127.0.0.1:";
        // Both pipes are drained for the server's whole life, so it never blocks on them.
        for pipe in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let (log, tx) = (Arc::clone(&log), tx.clone());
            std::thread::spawn(move || {
                for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                    if let Some(rest) = line.split(marker).nth(1) {
                        let port: String = rest.chars().take_while(char::is_ascii_digit).collect();
                        let _ = tx.send(port);
                    }
                    log.lock().unwrap().push_str(&format!("{line}\n"));
                }
            });
        }
        // The threads hold the only senders: a server that dies early ends the wait at once.
        drop(tx);
        let mut server = Server {
            child,
            url: String::new(),
            log,
        };
        match rx.recv_timeout(START_TIMEOUT) {
            Ok(port) if !port.is_empty() => {
                server.url = format!("http://127.0.0.1:{port}");
                server
            }
            _ => panic!(
                "server did not start within {START_TIMEOUT:?}; log:\n{}",
                server.log()
            ),
        }
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }
}

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

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
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
    let srv = Server::agentos(&env);
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
    let srv = Server::agentos(&env);

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
