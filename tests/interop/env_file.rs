//! Issue 21, item 4: `--env-file` reads a .env file as python-dotenv does (what
//! `uvicorn --env-file` loads). Each file below is read by python-dotenv itself
//! (`dotenv_values`, the venv's release); then `doctor --env-file FILE` must report
//! exactly what `doctor` reports with python-dotenv's values in its environment, and
//! for HS256 secrets a token PyJWT signs with python-dotenv's value must verify under
//! `verify --env-file FILE` (the same bytes, escape for escape). Needs the venv from
//! `.ci/setup-venv`: without it this test fails, it never skips.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::common::{bin, venv_python, write};
use crate::server::Server;
use serde_json::Value;

/// The files: the forms people write, each case a different rule of python-dotenv's
/// parser. `secret` marks an HS256 secret (the round trip through PyJWT applies).
const CASES: &[(&str, bool, &str)] = &[
    // Double quotes: Python escapes decoded; single quotes: only \\ and \'.
    (
        "dq-escapes",
        true,
        "JWT_VERIFICATION_KEY=\"a\\tb\\\\c\\\"d\\'e\\qf\\ng\"\n",
    ),
    (
        "sq-escapes",
        true,
        "JWT_VERIFICATION_KEY='a\\tb\\\\c\\'d\\ne'\n",
    ),
    // Unquoted: taken as written, less a " #comment" and trailing blanks.
    (
        "bare",
        true,
        "JWT_VERIFICATION_KEY=s3cr3t\\n$HOME#x  value # comment  \n",
    ),
    (
        "export-crlf",
        true,
        "\u{feff}export JWT_VERIFICATION_KEY = \"crlf-secret\" # c\r\nOTHER=1\r\n",
    ),
    // ${VAR} and ${VAR:-default} expand, from the file first; $VAR does not.
    (
        "expand",
        true,
        "PART=abc\nJWT_VERIFICATION_KEY=${PART}-${NOPE:-dflt}-$PART-${PART:x}\n",
    ),
    (
        "later-wins",
        true,
        "JWT_VERIFICATION_KEY=first\nbroken line here\nJWT_VERIFICATION_KEY='second'\n",
    ),
    (
        "comment-only",
        false,
        "# JWT_VERIFICATION_KEY=nothing\nJWT_VERIFICATION_KEY= # empty\n",
    ),
    ("no-equals", false, "JWT_VERIFICATION_KEY\n"),
];

/// `{name: {"values": {...}, "token": "..."}}`: python-dotenv's reading of each file,
/// and for secrets a token PyJWT signs with it.
fn python_dotenv(dir: &Path) -> Value {
    const SCRIPT: &str = r#"
import json, sys, time
import jwt
from dotenv import dotenv_values
out = {}
for name, secret in json.load(sys.stdin):
    values = dotenv_values(sys.argv[1] + "/" + name + ".env")
    entry = {"values": values}
    key = values.get("JWT_VERIFICATION_KEY")
    if secret and key:
        entry["token"] = jwt.encode({"sub": "alice", "exp": int(time.time()) + 600}, key, algorithm="HS256")
    out[name] = entry
print(json.dumps(out))
"#;
    let cases: Vec<(&str, bool)> = CASES.iter().map(|(n, s, _)| (*n, *s)).collect();
    let mut child = Command::new(venv_python())
        .args(["-W", "ignore", "-c", SCRIPT])
        .arg(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    serde_json::to_writer(child.stdin.take().unwrap(), &cases).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "python-dotenv: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// `doctor --json` findings, without the remarks about the file itself.
fn findings(cmd: &mut assert_cmd::Command) -> Value {
    let out = cmd.output().unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "doctor --json: {e}: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let mut f = doc["findings"].as_array().unwrap().clone();
    f.retain(|x| x["subject"] != "--env-file");
    Value::Array(f)
}

#[test]
fn env_file_reads_each_file_as_python_dotenv_does() {
    let dir = tempfile::tempdir().unwrap();
    for (name, _, text) in CASES {
        write(dir.path(), &format!("{name}.env"), text);
    }
    let read = python_dotenv(dir.path());
    for (name, secret, _) in CASES {
        let path = dir.path().join(format!("{name}.env"));
        let values = &read[name]["values"];
        let alg = if *secret { "HS256" } else { "RS256" };

        let from_file = findings(
            bin()
                .env("HOME", "/home/someone")
                .args(["doctor", "--json", "--alg", alg, "--env-file"])
                .arg(&path),
        );
        let mut with_env = bin();
        with_env
            .env("HOME", "/home/someone")
            .args(["doctor", "--json", "--alg", alg]);
        for (k, v) in values.as_object().unwrap() {
            if let Some(v) = v.as_str() {
                with_env.env(k, v);
            }
        }
        assert_eq!(
            from_file,
            findings(&mut with_env),
            "{name}: doctor --env-file and python-dotenv's values differ"
        );

        if let Some(token) = read[name]["token"].as_str() {
            let out = bin()
                .args(["verify", token, "--alg", "HS256", "--env-file"])
                .arg(&path)
                .output()
                .unwrap();
            assert_eq!(
                out.status.code(),
                Some(0),
                "{name}: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    // The cases mean what they say: python-dotenv decodes as described above.
    assert_eq!(
        read["dq-escapes"]["values"]["JWT_VERIFICATION_KEY"],
        "a\tb\\c\"d'e\\qf\ng"
    );
    assert_eq!(
        read["bare"]["values"]["JWT_VERIFICATION_KEY"],
        "s3cr3t\\n$HOME#x  value"
    );
    assert_eq!(
        read["expand"]["values"]["JWT_VERIFICATION_KEY"],
        "abc-dflt-$PART-${PART:x}"
    );
    assert_eq!(
        read["later-wins"]["values"]["JWT_VERIFICATION_KEY"],
        "second"
    );
}

#[test]
fn export_dotenv_output_is_the_pem_python_dotenv_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    bin()
        .arg("--home")
        .arg(&home)
        .args(["keygen", "--alg", "ES256"])
        .assert()
        .success();
    let out = bin()
        .arg("--home")
        .arg(&home)
        .args(["export", "--format", "dotenv"])
        .output()
        .unwrap();
    let line = String::from_utf8(out.stdout).unwrap();
    write(dir.path(), "pem.env", &line);
    let pem = String::from_utf8(
        bin()
            .arg("--home")
            .arg(&home)
            .arg("export")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let script = "import sys; from dotenv import dotenv_values; sys.stdout.write(dotenv_values(sys.argv[1])['JWT_VERIFICATION_KEY'])";
    let read = Command::new(venv_python())
        .args(["-c", script])
        .arg(dir.path().join("pem.env"))
        .output()
        .unwrap();
    assert!(read.status.success());
    assert_eq!(String::from_utf8(read.stdout).unwrap(), pem);
    let out = bin()
        .args(["doctor", "--alg", "ES256", "--env-file"])
        .arg(dir.path().join("pem.env"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("ok      JWT_VERIFICATION_KEY: EC P-256"),
        "{stdout}"
    );
}

/// What doctor and verify say of a .env file is what a real AgentOS started with
/// `uvicorn --env-file` that file does: the tool's own dotenv line works; the same PEM
/// single-quoted (its `\n` kept, as python-dotenv keeps it there) gets 401.
#[test]
fn uvicorn_env_file_answers_as_doctor_and_verify_predict() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let run = |args: &[&str]| bin().arg("--home").arg(&home).args(args).output().unwrap();
    assert!(run(&["keygen", "--aud", "live-os"]).status.success());
    let line = String::from_utf8(run(&["export", "--format", "dotenv"]).stdout).unwrap();
    let token = String::from_utf8(run(&["mint", "--scopes", "agents:read"]).stdout).unwrap();
    let single = line
        .replacen("=\"", "='", 1)
        .trim_end()
        .trim_end_matches('"')
        .to_string()
        + "'\n";
    let good = write(
        dir.path(),
        "good.env",
        &format!("LIVE_OS_ID=live-os\n{line}"),
    );
    let bad = write(
        dir.path(),
        "bad.env",
        &format!("LIVE_OS_ID=live-os\n{single}"),
    );

    for (file, doctor_code, verify_code) in [(&good, 0, 0), (&bad, 1, 10)] {
        let out = run(&["doctor", "--env-file", file.to_str().unwrap()]);
        assert_eq!(
            out.status.code(),
            Some(doctor_code),
            "doctor {}",
            file.display()
        );
        // The key comes from the file alone: the guard drops the shell's JWT_* (load_dotenv
        // keeps what the shell set).
        let server =
            Server::agentos_with(".venv-live", &["--env-file", file.to_str().unwrap()], &[]);
        let out = run(&[
            "verify",
            token.trim(),
            "--env-file",
            file.to_str().unwrap(),
            "--url",
            &server.url,
            "--timeout",
            "60",
            "--json",
        ]);
        let said: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
        assert_eq!(out.status.code(), Some(verify_code), "{said}");
        assert_eq!(said["agree"], true, "{said}");
    }
}
