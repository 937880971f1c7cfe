//! README.md's Quick start, run as written: the block after the `quick-start` marker
//! goes to bash unchanged, with `agentos-auth` (this build) and the interop venv's
//! `python` on PATH, a fresh key store, and `examples/agentos_app.py` serving a real
//! AgentOS on 127.0.0.1. The only thing set from outside is `AGENT_OS_PORT` (a free
//! port; the block and agno's `serve()` honour it), so parallel runs never collide.
//! The server is always stopped: the block runs in its own process group, killed when
//! the test ends, passes or fails. The deadline only stops a hung run.

use crate::common;

use std::fs;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{manifest_dir, venv_python};

const MARKER: &str = "<!-- quick-start:";

/// The ```sh block that follows the marker comment.
pub fn quick_start_block(readme: &str) -> String {
    let after = &readme[readme
        .find(MARKER)
        .expect("README has the quick-start marker")..];
    let body = &after[after
        .find("```sh\n")
        .expect("a ```sh block after the marker")
        + 6..];
    body[..body.find("```").expect("the block ends")].to_string()
}

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    l.local_addr().unwrap().port()
}

/// Kills the whole process group (bash, the backgrounded AgentOS) when dropped.
struct Group(Child);

impl Drop for Group {
    fn drop(&mut self) {
        let pgid = format!("-{}", self.0.id());
        let _ = Command::new("kill").args(["-KILL", "--", &pgid]).status();
        let _ = self.0.wait();
    }
}

#[test]
fn readme_quick_start_runs_verbatim_against_a_real_agentos() {
    let readme = fs::read_to_string(manifest_dir().join("README.md")).unwrap();
    let block = quick_start_block(&readme);
    assert!(
        block.contains("agentos-auth keygen") && block.contains("curl"),
        "{block}"
    );

    let python = venv_python();
    let tmp = tempfile::tempdir().unwrap();
    let bin_dir = tmp.path().join("bin");
    fs::create_dir(&bin_dir).unwrap();
    std::os::unix::fs::symlink(
        env!("CARGO_BIN_EXE_agentos-auth"),
        bin_dir.join("agentos-auth"),
    )
    .unwrap();
    let path = format!(
        "{}:{}:/usr/local/bin:/usr/bin:/bin",
        bin_dir.display(),
        python.parent().unwrap().display()
    );
    let home = tmp.path().join("home");
    fs::create_dir(&home).unwrap();
    let out_path = tmp.path().join("stdout");
    let err_path = tmp.path().join("stderr");
    let port = free_port();

    let mut cmd = Command::new("bash");
    cmd.args(["-e", "-o", "pipefail", "-c", &block])
        .current_dir(manifest_dir())
        .env_clear()
        .env("PATH", path)
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("AGENT_OS_PORT", port.to_string())
        .env("LANG", "C.UTF-8")
        .stdin(Stdio::null())
        .stdout(fs::File::create(&out_path).unwrap())
        .stderr(fs::File::create(&err_path).unwrap())
        .process_group(0);
    let mut group = Group(cmd.spawn().expect("run bash"));
    let deadline = Instant::now() + Duration::from_secs(180);
    let status = loop {
        if let Some(s) = group.0.try_wait().unwrap() {
            break Some(s);
        }
        if Instant::now() > deadline {
            break None;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    drop(group); // stops AgentOS before the files are read
    let out = fs::read_to_string(&out_path).unwrap_or_default();
    let err = fs::read_to_string(&err_path).unwrap_or_default();
    let status =
        status.unwrap_or_else(|| panic!("Quick start hung\nstdout:\n{out}\nstderr:\n{err}"));
    assert!(
        status.success(),
        "Quick start failed ({status})\nstdout:\n{out}\nstderr:\n{err}"
    );
    // AgentOS logs to the same stdout: curl's answer is the JSON list line.
    let answer = out
        .lines()
        .find(|l| l.starts_with('['))
        .unwrap_or_else(|| panic!("curl printed no agent list:\n{out}\nstderr:\n{err}"));
    let agents: serde_json::Value = serde_json::from_str(answer)
        .unwrap_or_else(|e| panic!("curl printed no JSON ({e}):\n{out}\nstderr:\n{err}"));
    assert_eq!(agents[0]["id"], "my-agent", "{out}");
    assert!(
        Path::new(&home)
            .join(".config/agentos-auth/jwks.json")
            .exists(),
        "the block used the default key store"
    );
}

#[test]
fn the_marker_picks_the_quick_start_block() {
    let text = "x\n<!-- quick-start: runs -->\n```sh\na\nb\n```\n```sh\nc\n```\n";
    assert_eq!(quick_start_block(text), "a\nb\n");
}
