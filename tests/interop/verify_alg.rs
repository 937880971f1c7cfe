//! Issue 21, item 1, against a real AgentOS (agno 3.1.10, tests/live/app.py under
//! uvicorn on 127.0.0.1, `LIVE_ALG=ES256`): a server that verified the token settles
//! which algorithm it is set to, so `doctor --url` and `verify --url` say so instead of
//! contradicting the server's 200; and after `keygen --alg ES256` the key store's
//! remembered alg needs no `--alg`. The server helper is live_cli.rs's (the lead folds
//! both into tests/interop/). A missing venv FAILS this test.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::common::{bin, manifest_dir};

/// How long a server may take to start (agno's imports are slow on a busy machine).
const START_TIMEOUT: Duration = Duration::from_secs(120);

/// A process on 127.0.0.1, killed when dropped (also when the test fails).
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
    /// Starts `python args...` and waits for the line that names its port:
    /// `marker` is the text before the port number in the server's log.
    fn start(python: &Path, args: &[&str], env: &[(&str, &str)], marker: &str) -> Server {
        let mut cmd = Command::new(python);
        cmd.args(args)
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
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", python.display()));
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = mpsc::channel::<String>();
        // Both pipes are drained for the server's whole life, so it never blocks on them.
        for pipe in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let log = Arc::clone(&log);
            let tx = tx.clone();
            let marker = marker.to_string();
            std::thread::spawn(move || {
                for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                    if let Some(rest) = line.split(&marker).nth(1) {
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
                server.log.lock().unwrap()
            ),
        }
    }

    /// A real AgentOS (tests/live/app.py) under uvicorn, port chosen by the kernel.
    fn agentos(venv: &str, env: &[(&str, &str)]) -> Server {
        let python = venv_python(venv);
        Server::start(
            &python,
            &[
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
            ],
            env,
            "Uvicorn running on http://127.0.0.1:",
        )
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }
}

fn venv_python(venv: &str) -> PathBuf {
    let python = manifest_dir().join(venv).join("bin").join("python");
    if !python.exists() {
        panic!(
            "live-test venv missing: run .ci/setup-live-venv (looked for {})",
            python.display()
        );
    }
    python
}

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
