//! Helpers shared by the integration tests (`mod common;` in each `tests/*.rs`).
//!
//! - [`bin`]: the real `agentos-auth` binary with a clean environment.
//! - [`harness`]: the Python side (real agno / PyJWT / python-dotenv) through
//!   `tests/interop/agentos_harness.py`, run with the interop venv made by
//!   `.ci/setup-venv` ([`harness_with`]: a release's venv of the version matrix). A
//!   missing venv FAILS the test: interop tests never skip.
//! - [`write`]: a file in a test directory.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// How long one harness process may run (AgentOS startup is ~1.5 s; a batch of
/// many apps takes tens of seconds). Past this the process is killed and the test fails.
#[allow(dead_code)]
pub const HARNESS_TIMEOUT: Duration = Duration::from_secs(300);

/// Where `bin()` points the XDG config dir: a path that can never be created (not
/// even by root, since `/dev/null` is not a directory), so a test that forgets
/// `--home` fails loudly instead of writing into the real `~/.config/agentos-auth`.
/// A test that wants the XDG fallback sets `XDG_CONFIG_HOME` itself.
#[allow(dead_code)]
pub const UNUSABLE_CONFIG_HOME: &str = "/dev/null/agentos-auth-tests";

/// The crate root (`CARGO_MANIFEST_DIR`).
#[allow(dead_code)]
pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `<crate>/.venv/bin/python`. Panics when it is missing: the interop tests must
/// fail, never skip, on a machine without the venv.
#[allow(dead_code)]
pub fn venv_python() -> PathBuf {
    let python = manifest_dir().join(".venv").join("bin").join("python");
    if !python.exists() {
        panic!(
            "interop venv missing: run .ci/setup-venv (looked for {})",
            python.display()
        );
    }
    python
}

/// Runs `tests/interop/agentos_harness.py` with `input` (one document or a list of
/// documents) on stdin and returns the JSON it prints. Fails the test, with the
/// harness's stderr, when it exits non-zero, prints no JSON, or runs too long.
#[allow(dead_code)]
pub fn harness(input: &Value) -> Value {
    harness_with(&venv_python(), input)
}

/// `<crate>/.venvs/agno-<version>/bin/python`, the version matrix's venv of that release
/// (`.ci/setup-agno-versions`). Panics when it is missing.
#[allow(dead_code)]
pub fn release_python(version: &str) -> PathBuf {
    let python = manifest_dir()
        .join(".venvs")
        .join(format!("agno-{version}"))
        .join("bin")
        .join("python");
    if !python.exists() {
        panic!(
            "agno {version} venv missing: run .ci/setup-agno-versions (looked for {})",
            python.display()
        );
    }
    python
}

/// [`harness`] under another interpreter (a release's venv, [`release_python`]).
#[allow(dead_code)]
pub fn harness_with(python: &Path, input: &Value) -> Value {
    let python = python.to_path_buf();
    let script = manifest_dir()
        .join("tests")
        .join("interop")
        .join("agentos_harness.py");
    let mut child = Command::new(&python)
        .arg(&script)
        .current_dir(manifest_dir())
        .env_remove("PYTHONPATH")
        .env_remove("PYTHONHOME")
        .env("PYTHONNOUSERSITE", "1")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", python.display()));

    let payload = serde_json::to_vec(input).expect("harness input is JSON");
    let mut stdin = child.stdin.take().expect("piped stdin");
    let writer = std::thread::spawn(move || {
        // A harness that dies early closes the pipe; its stderr tells why.
        let _ = stdin.write_all(&payload);
    });
    let mut stdout = child.stdout.take().expect("piped stdout");
    let mut stderr = child.stderr.take().expect("piped stderr");
    let out_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stdout.read_to_end(&mut buf);
        buf
    });
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stderr.read_to_end(&mut buf);
        buf
    });

    let deadline = Instant::now() + HARNESS_TIMEOUT;
    let status = loop {
        match child.try_wait().expect("waiting for the harness") {
            Some(status) => break status,
            None if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                let err = err_reader.join().unwrap_or_default();
                panic!(
                    "harness timed out after {HARNESS_TIMEOUT:?}; stderr:\n{}",
                    String::from_utf8_lossy(&err)
                );
            }
            None => std::thread::sleep(Duration::from_millis(20)),
        }
    };
    let _ = writer.join();
    let out = out_reader.join().unwrap_or_default();
    let err = err_reader.join().unwrap_or_default();
    let err = String::from_utf8_lossy(&err);
    if !status.success() {
        panic!("harness failed ({status}); stderr:\n{err}");
    }
    serde_json::from_slice(&out).unwrap_or_else(|e| {
        panic!(
            "harness printed no JSON ({e}); stdout:\n{}\nstderr:\n{err}",
            String::from_utf8_lossy(&out)
        )
    })
}

/// The `agentos-auth` binary with a clean environment: no `AGENTOS_AUTH_*`
/// (so no `AGENTOS_AUTH_HOME` unless the test sets it), no `JWT_*`, no
/// `OS_SECURITY_KEY`; `CI=true`; `XDG_CONFIG_HOME` pointed at
/// [`UNUSABLE_CONFIG_HOME`]. Stdin is an empty pipe unless the caller uses
/// `.write_stdin(...)`. Later `.env(...)` calls override all of this.
#[allow(dead_code)]
pub fn bin() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(env!("CARGO_BIN_EXE_agentos-auth"));
    for (name, _) in std::env::vars_os() {
        let Some(name) = name.to_str() else { continue };
        if name.starts_with("AGENTOS_AUTH_")
            || name.starts_with("JWT_")
            || name == "OS_SECURITY_KEY"
        {
            cmd.env_remove(name);
        }
    }
    cmd.env("CI", "true");
    cmd.env("XDG_CONFIG_HOME", UNUSABLE_CONFIG_HOME);
    cmd
}

/// [`bin`] on the key store at `home` (`--home HOME`).
#[allow(dead_code)]
pub fn bin_at(home: &Path) -> assert_cmd::Command {
    let mut cmd = bin();
    cmd.arg("--home").arg(home);
    cmd
}

/// A run's stdout as text (lossily: a test compares it, a bad byte shows as U+FFFD).
#[allow(dead_code)]
pub fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A run's stderr as text (lossily).
#[allow(dead_code)]
pub fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs `cmd`, which must succeed (its stderr in the failure), and returns its stdout.
#[allow(dead_code)]
pub fn ok_stdout(cmd: &mut assert_cmd::Command) -> String {
    let o = cmd.output().unwrap();
    assert!(
        o.status.success(),
        "exit {:?}: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

/// The status of each response of a harness answer, in order.
#[allow(dead_code)]
pub fn statuses(answer: &Value) -> Vec<i64> {
    answer["responses"]
        .as_array()
        .unwrap_or_else(|| panic!("harness answered {answer}"))
        .iter()
        .map(|r| r["status"].as_i64().unwrap())
        .collect()
}

/// Writes `contents` to `dir/name` (mode 0600, creating parent directories) and returns the path.
#[allow(dead_code)]
pub fn write(dir: &Path, name: &str, contents: &str) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .unwrap_or_else(|e| panic!("create {}: {e}", parent.display()));
    }
    std::fs::write(&path, contents).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    // 0600, as a careful user keeps key files: a secret others can read gets a warning
    // line, which tests that want one set up themselves.
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o600))
        .unwrap_or_else(|e| panic!("chmod {}: {e}", path.display()));
    path
}

/// A failure: exactly one line on stderr naming `needle`, no panic, exit `code`.
#[allow(dead_code)]
pub fn assert_one_line_stderr(o: &std::process::Output, code: i32, needle: &str) {
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(code), "stderr: {err}");
    assert_eq!(err.lines().count(), 1, "not one line: {err:?}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.contains(needle), "expected {needle:?} in {err:?}");
}

/// As [`assert_one_line_stderr`], and nothing at all on stdout.
#[allow(dead_code)]
pub fn assert_one_line_error(o: &std::process::Output, code: i32, needle: &str) {
    assert!(
        o.stdout.is_empty(),
        "stdout not empty: {}",
        String::from_utf8_lossy(&o.stdout)
    );
    assert_one_line_stderr(o, code, needle);
}
