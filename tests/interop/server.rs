//! The one guard for a server the interop tests start on 127.0.0.1 (uvicorn serving
//! tests/live/app.py, or any `python args...` that logs its port): the kernel picks the
//! port, both pipes are drained into a log, and the process is killed when the guard is
//! dropped, also when the test fails.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::common::manifest_dir;

/// How long a server may take to start (agno's imports are slow on a busy machine).
const START_TIMEOUT: Duration = Duration::from_secs(120);

/// What uvicorn logs before the port it bound.
const UVICORN_MARKER: &str = "Uvicorn running on http://127.0.0.1:";

/// A process on 127.0.0.1, killed when dropped (also when the test fails).
pub struct Server {
    child: Child,
    pub url: String,
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
    /// `marker` is the text before the port number in the server's log. The server sees
    /// no `JWT_*` or `OS_SECURITY_KEY` from the test's shell, only what `env` sets.
    pub fn start(python: &Path, args: &[&str], env: &[(&str, &str)], marker: &str) -> Server {
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
        cmd.envs(env.iter().copied());
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
            let (log, tx) = (Arc::clone(&log), tx.clone());
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
                server.log()
            ),
        }
    }

    /// A real AgentOS (tests/live/app.py) under uvicorn from `venv`.
    pub fn agentos(venv: &str, env: &[(&str, &str)]) -> Server {
        Server::agentos_with(venv, &[], env)
    }

    /// [`Server::agentos`] with more uvicorn options (`--env-file FILE`).
    pub fn agentos_with(venv: &str, options: &[&str], env: &[(&str, &str)]) -> Server {
        let mut args = vec!["-m", "uvicorn", "--app-dir", "tests/live", "app:app"];
        args.extend(["--host", "127.0.0.1", "--port", "0", "--no-access-log"]);
        args.extend_from_slice(options);
        Server::start(&live_python(venv), &args, env, UVICORN_MARKER)
    }

    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }
}

/// `<crate>/<venv>/bin/python` of a live-server venv (`.ci/setup-live-venv`, or a
/// release venv of `.ci/setup-agno-versions`). Panics when it is missing: these tests
/// fail, never skip.
pub fn live_python(venv: &str) -> PathBuf {
    let python = manifest_dir().join(venv).join("bin").join("python");
    assert!(
        python.exists(),
        "live-test venv missing: run .ci/setup-live-venv (looked for {})",
        python.display()
    );
    python
}
