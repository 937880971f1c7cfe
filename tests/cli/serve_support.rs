//! What the `serve` tests share: a guard for the real binary serving on 127.0.0.1 (the
//! kernel picks the port; killed when dropped, also when the test fails), and a raw
//! HTTP/1.1 client, so that hostile requests go out exactly as written. Shared with the
//! interop tier (tests/interop/serve.rs), which uses only part of it.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;

/// Bounds every wait on the server (start, answers): a hung server fails the test.
const WAIT: Duration = Duration::from_secs(60);

pub struct Serve {
    child: Child,
    pub port: u16,
    log: Arc<Mutex<String>>,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Serve {
    /// `agentos-auth --home HOME serve --listen 127.0.0.1:0 ARGS...`.
    pub fn start(home: &Path, args: &[&str]) -> Serve {
        Serve::start_with(home, args, &[])
    }

    /// [`Serve::start`] with environment variables (a PKCS#11 module's configuration).
    pub fn start_with(home: &Path, args: &[&str], env: &[(&str, &Path)]) -> Serve {
        Serve::start_wrapped(&[], home, args, env)
    }

    /// [`Serve::start_with`] run by `wrapper` (a program and its arguments, which runs
    /// the binary and its arguments that follow, e.g. in a mount namespace).
    pub fn start_wrapped(
        wrapper: &[&str],
        home: &Path,
        args: &[&str],
        env: &[(&str, &Path)],
    ) -> Serve {
        let bin = env!("CARGO_BIN_EXE_agentos-auth");
        let mut cmd = match wrapper {
            [] => Command::new(bin),
            [program, rest @ ..] => {
                let mut c = Command::new(program);
                c.args(rest).arg(bin);
                c
            }
        };
        for (name, _) in std::env::vars() {
            if name.starts_with("AGENTOS_AUTH_") || name.starts_with("JWT_") {
                cmd.env_remove(name);
            }
        }
        cmd.arg("--home")
            .arg(home)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(args)
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("start agentos-auth serve");
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = mpsc::channel::<u16>();
        for pipe in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let (log, tx) = (Arc::clone(&log), tx.clone());
            std::thread::spawn(move || {
                for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                    if let Some(rest) = line.split("listening on http").nth(1) {
                        let port = rest.split(':').nth(2).and_then(|p| {
                            p.chars()
                                .take_while(char::is_ascii_digit)
                                .collect::<String>()
                                .parse()
                                .ok()
                        });
                        if let Some(p) = port {
                            let _ = tx.send(p);
                        }
                    }
                    log.lock().unwrap().push_str(&format!("{line}\n"));
                }
            });
        }
        drop(tx);
        let mut s = Serve {
            child,
            port: 0,
            log,
        };
        match rx.recv_timeout(WAIT) {
            Ok(p) => {
                s.port = p;
                s
            }
            Err(_) => panic!("serve did not start; log:\n{}", s.log()),
        }
    }

    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// The log once it holds `needle` (lines arrive through a pipe, after the answer);
    /// bounded, then a failure.
    pub fn log_with(&self, needle: &str) -> String {
        for _ in 0..600 {
            let log = self.log();
            if log.contains(needle) {
                return log;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("{needle:?} never appeared in the log:\n{}", self.log());
    }

    /// SIGTERM, then the exit status (bounded wait).
    pub fn terminate(&mut self) -> std::process::ExitStatus {
        // SAFETY: kill(2) on our own child's pid.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        for _ in 0..600 {
            if let Some(st) = self.child.try_wait().unwrap() {
                return st;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("serve did not stop on SIGTERM; log:\n{}", self.log());
    }

    pub fn connect(&self) -> TcpStream {
        let s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect to serve");
        s.set_read_timeout(Some(WAIT)).unwrap();
        s
    }

    /// Sends `raw` as written and reads the whole answer (the request should say
    /// `Connection: close`).
    pub fn raw(&self, raw: &[u8]) -> Answer {
        let mut s = self.connect();
        s.write_all(raw).unwrap();
        let mut buf = Vec::new();
        let _ = s.read_to_end(&mut buf);
        Answer::parse(&buf)
    }

    /// `POST /token` with a form body and extra header lines.
    pub fn token(&self, headers: &[&str], body: &str) -> Answer {
        let mut req = format!(
            "POST /token HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            body.len()
        );
        for h in headers {
            req.push_str(h);
            req.push_str("\r\n");
        }
        req.push_str("\r\n");
        req.push_str(body);
        self.raw(req.as_bytes())
    }

    pub fn get(&self, path: &str) -> Answer {
        self.raw(
            format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        )
    }
}

/// `Authorization: Basic base64(id:secret)`.
pub fn basic(id: &str, secret: &str) -> String {
    use base64::Engine;
    format!(
        "Authorization: Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}"))
    )
}

#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    /// Lower-case names.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    fn parse(buf: &[u8]) -> Answer {
        let text = String::from_utf8_lossy(buf).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        Answer {
            status,
            headers,
            body: body.to_string(),
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {} {:?}", self.status, self.body))
    }

    /// An RFC 6749 §5.2 error answer: status, code, JSON, no caching.
    pub fn assert_oauth_error(&self, status: u16, code: &str) {
        assert_eq!(self.status, status, "{self:?}");
        assert_eq!(self.json()["error"], code, "{self:?}");
        assert_eq!(self.header("content-type"), Some("application/json"));
        assert_eq!(self.header("cache-control"), Some("no-store"));
        assert_eq!(self.header("pragma"), Some("no-cache"));
    }
}
