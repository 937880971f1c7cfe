//! `mint --batch` through the real binary: order, overrides, `--json`, errors naming
//! the line, a closed stdout, and real AgentOS accepting batch tokens.

use crate::common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Stdio;

use agentos_auth::token;
use common::{assert_one_line_stderr, bin, write};
#[cfg(feature = "interop")]
use common::{harness, statuses};
use serde_json::{json, Value};

const OS_ID: &str = "batch-os";

/// Key files for `alg` in `dir`: (signing key, what AgentOS verifies with).
fn key_pair(dir: &Path, alg: &str) -> (std::path::PathBuf, String) {
    let name = alg.to_lowercase();
    let o = bin()
        .args(["keygen", "--alg", alg, "--name", &name, "--out-dir"])
        .arg(dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    if alg == "HS256" {
        let s = dir.join(format!("{name}.secret"));
        let secret = std::fs::read_to_string(&s).unwrap();
        (s, secret)
    } else {
        let pem = std::fs::read_to_string(dir.join(format!("{name}.pub.pem"))).unwrap();
        (dir.join(format!("{name}.key.pem")), pem)
    }
}

fn batch(key: &Path, extra: &[&str], input: &Path) -> std::process::Output {
    bin()
        .args([
            "mint",
            "--aud",
            OS_ID,
            "--sub",
            "default-user",
            "--scopes",
            "agents:read",
        ])
        .args(extra)
        .args(["--alg", &alg_of(key)])
        .arg("--key")
        .arg(key)
        .arg("--batch")
        .arg(input)
        .output()
        .unwrap()
}

/// The algorithm a `key_pair` file is for (named after it): a raw HS256 secret needs --alg.
fn alg_of(key: &Path) -> String {
    let name = key.file_name().unwrap().to_str().unwrap();
    name.split('.').next().unwrap().to_uppercase()
}

fn claims_of(jwt: &str) -> Value {
    Value::Object(token::decode(jwt).unwrap().claims_object().unwrap().clone())
}

#[test]
fn one_token_per_line_in_input_order_with_line_overrides() {
    let dir = tempfile::tempdir().unwrap();
    let (key, _) = key_pair(dir.path(), "ES256");
    let mut lines: Vec<String> = (0..1500)
        .map(|i| format!(r#"{{"sub":"user-{i}"}}"#))
        .collect();
    lines[7] = r#"{"sub":"alice","scopes":["agents:my-agent:run","sessions:read"],"expires_in":"2h","team":"ops"}"#.into();
    lines[8] = r#"{}"#.into();
    lines[9] = r#"{"sub":"bob","iss":null,"aud":["a","b"]}"#.into();
    let input = write(dir.path(), "in.jsonl", &(lines.join("\n") + "\n"));
    let o = batch(&key, &["--iss", "ci", "--expires-in", "15m"], &input);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let out = String::from_utf8(o.stdout).unwrap();
    let tokens: Vec<&str> = out.lines().collect();
    assert_eq!(tokens.len(), 1500);
    for (i, t) in tokens.iter().enumerate() {
        let c = claims_of(t);
        match i {
            7 => {
                assert_eq!(c["sub"], "alice");
                assert_eq!(c["scopes"], json!(["agents:my-agent:run", "sessions:read"]));
                assert_eq!(
                    c["exp"].as_i64().unwrap() - c["iat"].as_i64().unwrap(),
                    7200
                );
                assert_eq!(c["team"], "ops");
                assert_eq!(c["iss"], "ci");
                assert!(c.get("expires_in").is_none());
            }
            8 => {
                assert_eq!(c["sub"], "default-user");
                assert_eq!(c["scopes"], json!(["agents:read"]));
            }
            9 => {
                assert_eq!(c["aud"], json!(["a", "b"]));
                assert!(c.get("iss").is_none());
            }
            _ => {
                assert_eq!(c["sub"], format!("user-{i}"));
                assert_eq!(c["aud"], OS_ID);
                assert_eq!(c["iss"], "ci");
                assert_eq!(c["exp"].as_i64().unwrap() - c["iat"].as_i64().unwrap(), 900);
            }
        }
    }
    let header = token::decode(tokens[0]).unwrap().header;
    assert_eq!(header["alg"], "ES256");
    assert!(header["kid"].is_string());
}

#[test]
fn json_output_and_stdin_input() {
    let dir = tempfile::tempdir().unwrap();
    let (key, _) = key_pair(dir.path(), "HS256");
    let o = bin()
        .args([
            "mint",
            "--aud",
            OS_ID,
            "--scopes",
            "agents:read",
            "--json",
            "--alg",
            "HS256",
            "--key",
        ])
        .arg(&key)
        .args(["--batch", "-"])
        .write_stdin(&b"{\"sub\":\"a\"}\r\n{\"sub\":\"b\",\"expires_in\":\"1m\"}"[..])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8(o.stdout).unwrap();
    let docs: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(docs.len(), 2);
    for (doc, sub) in docs.iter().zip(["a", "b"]) {
        let keys: Vec<&str> = doc
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, ["token", "header", "claims", "expires_at"]);
        assert_eq!(doc["claims"]["sub"], sub);
        assert_eq!(claims_of(doc["token"].as_str().unwrap()), doc["claims"]);
        assert_eq!(doc["header"]["alg"], "HS256");
        assert!(doc["expires_at"].as_str().unwrap().ends_with('Z'));
    }
}

#[test]
fn a_bad_line_is_one_error_naming_it_and_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let (key, _) = key_pair(dir.path(), "HS256");
    let cases: &[(&str, &str)] = &[
        (
            "{\"sub\":\"a\"}\n{\"sub\":\"b\"\n",
            "in.jsonl line 2: not valid JSON",
        ),
        ("{}\n{}\n\n{}\n", "in.jsonl line 3: empty line"),
        (
            "{}\n\"sub\"\n",
            "in.jsonl line 2: expected a JSON object of claims, found a string",
        ),
        ("{\"sub\":\"__scheduler__\"}\n", "in.jsonl line 1: "),
        (
            "{}\n{\"scopes\":[\"agent:read\"]}\n",
            "in.jsonl line 2: unknown scope \"agent:read\"",
        ),
        (
            "{\"expires_in\":\"-1h\"}\n",
            "in.jsonl line 1: expires_in: invalid duration",
        ),
        ("{\"exp\":null}\n", "--no-exp"),
        ("{\"sub\":7}\n", "in.jsonl line 1: sub must be a string"),
    ];
    for (text, needle) in cases {
        let input = write(dir.path(), "in.jsonl", text);
        let o = batch(&key, &[], &input);
        assert_one_line_stderr(&o, 1, needle);
        assert!(
            o.stdout.is_empty(),
            "{text:?}: a bad line in the first chunk prints nothing"
        );
    }
    let o = batch(&key, &[], &dir.path().join("missing.jsonl"));
    assert_one_line_stderr(&o, 3, "missing.jsonl");
    let o = batch(&key, &[], dir.path());
    assert_one_line_stderr(&o, 3, "is a directory");

    // A bad line after many good ones: what was printed is a prefix of whole tokens,
    // and the exit status is what says it is not all.
    let mut text: String = (0..5000)
        .map(|i| format!("{{\"sub\":\"u{i}\"}}\n"))
        .collect();
    text.push_str("{\"sub\":\"sa:bot\"}\n{}\n");
    let input = write(dir.path(), "in.jsonl", &text);
    let o = batch(&key, &[], &input);
    assert_one_line_stderr(&o, 1, "in.jsonl line 5001: ");
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(out.is_empty() || out.ends_with('\n'));
    let printed: Vec<&str> = out.lines().collect();
    assert!(printed.len() < 5000);
    for (i, t) in printed.iter().enumerate() {
        assert_eq!(claims_of(t)["sub"], format!("u{i}"));
    }
}

#[test]
fn stdin_cannot_be_both_key_and_batch() {
    let dir = tempfile::tempdir().unwrap();
    let (key, _) = key_pair(dir.path(), "HS256");
    let o = bin()
        .args([
            "mint",
            "--aud",
            OS_ID,
            "--scopes",
            "agents:read",
            "--alg",
            "HS256",
        ])
        .args(["--key", "-", "--batch", "-"])
        .write_stdin(std::fs::read(&key).unwrap())
        .output()
        .unwrap();
    assert_one_line_stderr(&o, 1, "both want standard input");
    assert!(o.stdout.is_empty());
}

#[test]
fn a_reader_closing_the_pipe_ends_the_run_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let (key, _) = key_pair(dir.path(), "HS256");
    let text: String = (0..50_000)
        .map(|i| format!("{{\"sub\":\"u{i}\"}}\n"))
        .collect();
    let input = write(dir.path(), "in.jsonl", &text);
    // `agentos-auth mint --batch in.jsonl | head -1`; a std Command for the pipe, with
    // the binary's own variables cleared as `bin()` does.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_agentos-auth"))
        .env_remove("AGENTOS_AUTH_SUB")
        .env_remove("AGENTOS_AUTH_HOME")
        .env_remove("AGENTOS_AUTH_KID")
        .env("XDG_CONFIG_HOME", common::UNUSABLE_CONFIG_HOME)
        .args([
            "mint",
            "--aud",
            OS_ID,
            "--scopes",
            "agents:read",
            "--alg",
            "HS256",
            "--key",
        ])
        .arg(&key)
        .arg("--batch")
        .arg(&input)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert_eq!(claims_of(first.trim_end())["sub"], "u0");
    // The read end is dropped here; 50,000 tokens do not fit in a pipe buffer, so
    // the binary must meet the closed pipe.
    let o = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.is_empty(), "{err}");
    assert_eq!(o.status.code(), Some(0));
}

#[cfg(feature = "interop")]
#[test]
fn agentos_accepts_batch_tokens_for_every_algorithm() {
    let dir = tempfile::tempdir().unwrap();
    for alg in ["RS256", "ES256", "HS256"] {
        let (key, verifying) = key_pair(dir.path(), alg);
        let input = write(
            dir.path(),
            "in.jsonl",
            concat!(
                "{\"sub\":\"reader\"}\n",
                "{\"sub\":\"nobody\",\"scopes\":[\"sessions:read\"]}\n",
                "{\"sub\":\"admin\",\"scopes\":[\"agent_os:admin\"],\"expires_in\":\"5m\"}\n",
                "{\"sub\":\"old\",\"exp\":1000000000,\"iat\":999999000}\n",
            ),
        );
        let o = batch(&key, &[], &input);
        assert!(
            o.status.success(),
            "{alg}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let out = String::from_utf8(o.stdout).unwrap();
        let tokens: Vec<&str> = out.lines().collect();
        assert_eq!(tokens.len(), 4);
        let requests: Vec<Value> = tokens
            .iter()
            .map(|t| json!({"method": "GET", "path": "/agents", "token": t}))
            .collect();
        let answer = harness(&json!({
            "mode": "agentos",
            "config": {"algorithm": alg, "verification_keys": [verifying], "verify_audience": true, "os_id": OS_ID},
            "requests": requests,
        }));
        // read ok, wrong scope 403, admin ok, expired (a line's own exp) 401.
        assert_eq!(statuses(&answer), [200, 403, 200, 401], "{alg}: {answer}");
    }
}

#[test]
fn single_mint_into_a_closed_pipe_exits_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let (key, _) = key_pair(dir.path(), "ES256");
    // The reader closes its end at once and keeps running, so the binary's write
    // meets a pipe without readers (EPIPE), where `println!` would panic.
    let o = std::process::Command::new("bash")
        .arg("-c")
        .arg(r#"set -o pipefail; "$0" mint --aud os --sub u --scopes agents:read --key "$1" | { exec 0<&-; sleep 1; }"#)
        .arg(env!("CARGO_BIN_EXE_agentos-auth"))
        .arg(&key)
        .env("XDG_CONFIG_HOME", common::UNUSABLE_CONFIG_HOME)
        .env_remove("AGENTOS_AUTH_HOME")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.is_empty(), "{err}");
    assert_eq!(o.status.code(), Some(0), "{err}");
}

/// `--stream`: each line is answered before the next is written, so a program can keep
/// the process and ask for one token at a time. Without the per-line flush the read of
/// the first answer would block forever: the reader thread and its bound (a hang guard,
/// not a timing assertion) turn that into a failure.
#[test]
fn stream_answers_each_line_before_the_next_is_sent() {
    use std::io::Write;
    use std::sync::mpsc;
    let dir = tempfile::tempdir().unwrap();
    let (key, _) = key_pair(dir.path(), "ES256");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_agentos-auth"))
        .env_remove("AGENTOS_AUTH_SUB")
        .env_remove("AGENTOS_AUTH_HOME")
        .env_remove("AGENTOS_AUTH_KID")
        .env("XDG_CONFIG_HOME", common::UNUSABLE_CONFIG_HOME)
        .args(["mint", "--aud", OS_ID, "--sub", "default-user"])
        .args(["--scopes", "agents:read", "--key"])
        .arg(&key)
        .args(["--batch", "-", "--stream"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if tx.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    let guard = std::time::Duration::from_secs(120);
    for (i, line) in [r#"{"sub":"u0"}"#, "{}", r#"{"scopes":["agents:x:run"]}"#]
        .iter()
        .enumerate()
    {
        writeln!(stdin, "{line}").unwrap();
        stdin.flush().unwrap();
        let jwt = rx
            .recv_timeout(guard)
            .unwrap_or_else(|e| panic!("no answer to line {} while stdin is open: {e}", i + 1));
        let c = claims_of(&jwt);
        match i {
            0 => assert_eq!(c["sub"], "u0"),
            1 => assert_eq!(c["sub"], "default-user"),
            _ => assert_eq!(c["scopes"], json!(["agents:x:run"])),
        }
    }
    // A bad line ends the run as without --stream: one error naming the line, exit 1.
    writeln!(stdin, r#"{{"scopes":"agents:read"}}"#).unwrap();
    drop(stdin);
    reader.join().unwrap();
    let o = child.wait_with_output().unwrap();
    assert_one_line_stderr(&o, 1, "stdin line 4: scopes must be a JSON list");
}

#[test]
fn stream_needs_batch() {
    let o = bin()
        .args(["mint", "--scopes", "agents:read", "--stream"])
        .output()
        .unwrap();
    assert_one_line_stderr(&o, 2, "--batch");
}
