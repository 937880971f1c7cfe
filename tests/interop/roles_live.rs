//! `verify --url URL --authz-token ADMIN`: the roles are read from a real AgentOS's
//! `/authz` admin API (agno 3.1.10 `Authorization` with managed roles on SQLite, under
//! uvicorn on 127.0.0.1, a free port), not from a file, and the prediction agrees with
//! the server's own answer. The server is stopped when the test ends, pass or fail.

use crate::common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::{bin, manifest_dir, venv_python, write};
use serde_json::{json, Value};

const SECRET: &str = "roles-live-secret-0123456789abcdefghij";

/// The server process; closing its stdin stops it, and it is killed on drop regardless.
pub(crate) struct LiveServer {
    child: Child,
    pub(crate) url: String,
}

impl LiveServer {
    /// `doc`: a roles-harness document (tests/interop/roles_harness.py).
    pub(crate) fn start(doc: &Value) -> LiveServer {
        let mut child = Command::new(venv_python())
            .arg(manifest_dir().join("tests/interop/roles_server.py"))
            .current_dir(std::env::temp_dir())
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .env("AGNO_TELEMETRY", "false")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start tests/interop/roles_server.py");
        let mut stdin = child.stdin.take().unwrap();
        writeln!(stdin, "{doc}").unwrap();
        // stdin stays open (the server serves until it closes) until Drop kills the server.
        std::mem::forget(stdin);
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let mut server = LiveServer {
            child,
            url: String::new(),
        };
        let line = rx
            .recv_timeout(Duration::from_secs(120))
            .expect("the server printed its port in time");
        let port: u16 = line.trim().parse().expect("a port number");
        server.url = format!("http://127.0.0.1:{port}");
        server
    }
}

impl Drop for LiveServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn verify_reads_the_servers_roles_through_authz() {
    let dir = tempfile::tempdir().unwrap();
    let server = LiveServer::start(&json!({
        "secret": SECRET,
        "roles": {
            "roles": {
                "admin": {"scopes": ["agent_os:admin"]},
                "viewer": {"scopes": ["agents:*:read"], "default": true},
                "runner": {"scopes": ["agents:*:read", "sessions:read"], "deny": ["agents:other-agent:read"]}
            },
            "assignments": {"carol": "runner", "root": "admin"},
            "user_directory": true,
            "roles_claim": "roles"
        }
    }));
    // What /authz cannot tell: the switches. No roles in the file.
    let switches = write(
        dir.path(),
        "switches.json",
        r#"{"roles_claim": "roles", "user_directory": true}"#,
    );
    let key = write(dir.path(), "hs.secret", SECRET);
    let mint = |args: &[&str]| {
        let o = bin()
            .args(["mint", "--alg", "HS256", "--key"])
            .arg(&key)
            .args(["--aud", "roles-os"])
            .args(args)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap().trim().to_string()
    };
    let admin = mint(&["--sub", "root", "--scopes", "agents:read"]);
    let carol = mint(&["--sub", "carol", "--scopes", "agents:read"]);
    let dave = mint(&["--sub", "dave", "--scopes", "agents:read"]);
    let as_admin = mint(&["--sub", "x1", "--roles", "admin"]);

    let cases = [
        (&carol, "GET /agents/my-agent", 200),
        (&carol, "GET /agents/other-agent", 403),
        (&carol, "GET /sessions", 200),
        (&carol, "GET /config", 403),
        (&dave, "GET /agents/my-agent", 200),
        (&dave, "GET /sessions", 403),
        (&as_admin, "GET /config", 200),
        (&carol, "GET /authz/roles", 403),
        (&admin, "GET /authz/roles", 200),
    ];
    for (token, request, want) in cases {
        let o = bin()
            .args(["verify", token, "--alg", "HS256", "--key"])
            .arg(&key)
            .arg("--roles-file")
            .arg(&switches)
            .args(["--url", &server.url, "--authz-token", &admin])
            .args(["--request", request, "--json"])
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
            panic!(
                "{request}: no JSON ({e}): {}",
                String::from_utf8_lossy(&o.stderr)
            )
        });
        assert_eq!(v["agree"], json!(true), "{request}: {v}");
        assert_eq!(v["server"]["status"], json!(want), "{request}: {v}");
        assert_eq!(v["predicted"]["status"], json!(want), "{request}: {v}");
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(stderr.contains("/authz"), "{stderr}");
        assert!(
            !stderr.contains(admin.as_str()),
            "the admin token is never echoed"
        );
    }
    // The roles really come from the server: without it, the file has none and scopes decide.
    let o = bin()
        .args(["verify", &carol, "--alg", "HS256", "--key"])
        .arg(&key)
        .arg("--roles-file")
        .arg(&switches)
        .args(["--request", "GET /sessions", "--json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["status"], json!(403), "{v}");

    // A non-admin --authz-token is one line, exit 4 (the server could not be asked).
    let o = bin()
        .args(["verify", &carol, "--alg", "HS256", "--key"])
        .arg(&key)
        .args(["--url", &server.url, "--authz-token", &carol])
        .args(["--request", "GET /agents"])
        .output()
        .unwrap();
    common::assert_one_line_error(&o, 4, "refused GET /authz/roles");
}
