//! Without a terminal nothing is asked and nothing waits: a missing value is at once a
//! one-line error naming the flag. Each run has stdin closed or an open pipe nobody
//! writes to (a read would block forever), and `CI` unset, so only the terminal check
//! keeps the prompts away. The deadline below only stops a hung process; it is not a
//! timing assertion.

use crate::common;

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{bin, UNUSABLE_CONFIG_HOME};

const HANG_LIMIT: Duration = Duration::from_secs(120);

#[derive(Clone, Copy, Debug)]
enum Stdin {
    /// fd 0 closed (`<&-`).
    Closed,
    /// A pipe that stays open and empty for the whole run.
    OpenPipe,
}

struct Run {
    code: i32,
    stderr: String,
}

fn run_without_terminal(args: &[&str], stdin: Stdin) -> Run {
    let exe = env!("CARGO_BIN_EXE_agentos-auth");
    let mut cmd = match stdin {
        Stdin::Closed => {
            let mut c = Command::new("sh");
            c.args(["-c", r#"exec "$0" "$@" <&-"#, exe]).args(args);
            c
        }
        Stdin::OpenPipe => {
            let mut c = Command::new(exe);
            c.args(args).stdin(Stdio::piped());
            c
        }
    };
    for (name, _) in std::env::vars_os() {
        let Some(name) = name.to_str() else { continue };
        if name.starts_with("AGENTOS_AUTH_") || name.starts_with("JWT_") || name == "CI" {
            cmd.env_remove(name);
        }
    }
    cmd.env("XDG_CONFIG_HOME", UNUSABLE_CONFIG_HOME)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn agentos-auth");
    // Held open (never written) until the process ends.
    let _pipe = child.stdin.take();
    let mut stderr = child.stderr.take().expect("piped stderr");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let deadline = Instant::now() + HANG_LIMIT;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("agentos-auth {args:?} with stdin {stdin:?} waited for input that cannot come");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        code: status.code().expect("exited, not killed"),
        stderr: reader.join().expect("stderr reader"),
    }
}

fn assert_one_line_error(run: &Run, code: i32, flag: &str) {
    assert_eq!(run.code, code, "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.starts_with("agentos-auth: error: "),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(flag),
        "should name {flag}: {}",
        run.stderr
    );
    assert!(!run.stderr.contains('\x1b'), "no colour off a terminal");
}

fn hs256_key(dir: &Path) -> String {
    bin()
        .args(["keygen", "--alg", "HS256", "--out-dir"])
        .arg(dir)
        .assert()
        .success();
    dir.join("agentos.secret").display().to_string()
}

#[test]
fn mint_without_scopes_fails_at_once_naming_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let key = hs256_key(dir.path());
    let home = dir.path().join("home").display().to_string();
    for stdin in [Stdin::Closed, Stdin::OpenPipe] {
        let run = run_without_terminal(
            &[
                "mint", "--home", &home, "--key", &key, "--alg", "HS256", "--aud", "os",
            ],
            stdin,
        );
        assert_one_line_error(&run, 1, "--scopes");
    }
}

#[test]
fn mint_without_audience_fails_at_once_naming_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let key = hs256_key(dir.path());
    let home = dir.path().join("home").display().to_string();
    for stdin in [Stdin::Closed, Stdin::OpenPipe] {
        let run = run_without_terminal(
            &[
                "mint",
                "--home",
                &home,
                "--key",
                &key,
                "--alg",
                "HS256",
                "--scopes",
                "agents:read",
            ],
            stdin,
        );
        assert_one_line_error(&run, 1, "--aud");
    }
}

#[test]
fn keygen_over_an_existing_key_refuses_without_asking() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().display().to_string();
    bin()
        .args(["keygen", "--alg", "ES256", "--out-dir", &out])
        .assert()
        .success();
    let key_path = dir.path().join("agentos.key.pem");
    let before = std::fs::read(&key_path).unwrap();
    for stdin in [Stdin::Closed, Stdin::OpenPipe] {
        let run = run_without_terminal(&["keygen", "--alg", "ES256", "--out-dir", &out], stdin);
        assert_one_line_error(&run, 3, "--force");
        assert_eq!(std::fs::read(&key_path).unwrap(), before, "key unchanged");
    }
}

#[test]
fn keygen_without_alg_uses_rs256_without_asking() {
    for stdin in [Stdin::Closed, Stdin::OpenPipe] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().display().to_string();
        let run = run_without_terminal(&["keygen", "--out-dir", &out, "--quiet"], stdin);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(run.stderr, "");
        let jwk = bin()
            .args(["export", "--format", "jwk", "--key"])
            .arg(dir.path().join("agentos.key.pem"))
            .assert()
            .success();
        let jwk: serde_json::Value = serde_json::from_slice(&jwk.get_output().stdout).unwrap();
        assert_eq!(jwk["kty"], "RSA");
        assert_eq!(jwk["alg"], "RS256");
    }
}

#[test]
fn no_spinner_when_stderr_is_not_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().display().to_string();
    let run = run_without_terminal(
        &[
            "keygen",
            "--alg",
            "RS256",
            "--bits",
            "4096",
            "--out-dir",
            &out,
        ],
        Stdin::OpenPipe,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    // A plain note instead, with no cursor control and no redraws.
    assert!(
        run.stderr
            .starts_with("generating an RSA 4096-bit key (this can take a few seconds)...\n"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains(['\r', '\x1b']), "{:?}", run.stderr);
}
