//! The interactive prompts, driven through a real pseudo-terminal (rexpect): keys are
//! typed as a person would, and the files and tokens that result are checked. Also:
//! `--no-input` and `CI` switch the prompts off even at a terminal, the spinner shows
//! on a terminal, and the `error:` prefix is coloured there unless `NO_COLOR` is set.
//!
//! rexpect's timeout only stops a test whose program hangs; it asserts nothing.

use crate::common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};

use agentos_auth::agentos::{PRESETS, RESOURCES};
use agentos_auth::token;
use rexpect::process::WaitStatus;
use rexpect::session::PtySession;
use serde_json::Value;

use common::{bin, UNUSABLE_CONFIG_HOME};

const DOWN: &str = "\x1b[B";
const ENTER: &str = "\r";
const SPACE: &str = " ";

/// The binary with the clean environment of `common::bin()`, but without `CI` (which
/// turns prompts off) and with `NO_COLOR` set unless a test removes it.
fn command(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_agentos-auth"));
    cmd.args(args);
    for (name, _) in std::env::vars_os() {
        let Some(name) = name.to_str() else { continue };
        if name.starts_with("AGENTOS_AUTH_")
            || name.starts_with("JWT_")
            || name == "OS_SECURITY_KEY"
            || name == "CI"
        {
            cmd.env_remove(name);
        }
    }
    cmd.env("XDG_CONFIG_HOME", UNUSABLE_CONFIG_HOME)
        .env("TERM", "xterm")
        .env("NO_COLOR", "1");
    cmd
}

fn spawn(cmd: Command) -> PtySession {
    rexpect::session::spawn_command(cmd, Some(60_000)).expect("spawn in a pseudo-terminal")
}

fn expect(p: &mut PtySession, text: &str) -> String {
    p.exp_string(text)
        .unwrap_or_else(|e| panic!("waiting for {text:?}: {e}"))
}

fn send(p: &mut PtySession, keys: &str) {
    p.send(keys).expect("type into the terminal");
    p.flush().expect("flush");
}

/// Everything still printed, then the exit code.
fn finish(mut p: PtySession) -> (String, i32) {
    let rest = p.exp_eof().expect("program ends");
    match p.process().wait().expect("wait") {
        WaitStatus::Exited(_, code) => (rest, code),
        other => panic!("ended with {other:?}: {rest}"),
    }
}

fn jwk_of(path: &Path) -> Value {
    let out = bin()
        .args(["export", "--format", "jwk", "--key"])
        .arg(path)
        .assert()
        .success();
    serde_json::from_slice(&out.get_output().stdout).expect("JWK JSON")
}

#[test]
fn keygen_asks_for_the_algorithm_and_makes_that_key() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().display().to_string();
    let mut p = spawn(command(&["keygen", "--out-dir", &out]));
    expect(&mut p, "Algorithm (--alg)");
    // Each choice explains itself in one line.
    expect(&mut p, "RS256  RSA; AgentOS's default");
    expect(&mut p, "ES256  EC P-256");
    expect(&mut p, "HS256  shared secret");
    send(&mut p, DOWN);
    send(&mut p, ENTER);
    let (rest, code) = finish(p);
    assert_eq!(code, 0, "{rest}");
    let key = dir.path().join("agentos.key.pem");
    let jwk = jwk_of(&key);
    assert_eq!(jwk["kty"], "EC", "{jwk}");
    assert_eq!(jwk["crv"], "P-256", "{jwk}");
    assert_eq!(jwk["alg"], "ES256", "{jwk}");
    assert_eq!(
        std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

#[test]
fn keygen_asks_before_replacing_a_key_and_defaults_to_no() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().display().to_string();
    bin()
        .args(["keygen", "--alg", "ES256", "--out-dir", &out])
        .assert()
        .success();
    let key = dir.path().join("agentos.key.pem");
    let first = std::fs::read(&key).unwrap();

    // Enter takes the default: no. Nothing changes; the refusal names --force.
    let mut p = spawn(command(&["keygen", "--alg", "ES256", "--out-dir", &out]));
    expect(&mut p, "agentos.key.pem");
    expect(&mut p, "Replace? (--force)");
    send(&mut p, ENTER);
    let (rest, code) = finish(p);
    assert_eq!(code, 3, "{rest}");
    assert!(
        rest.contains("already exists") && rest.contains("--force"),
        "{rest}"
    );
    assert_eq!(std::fs::read(&key).unwrap(), first);

    // "y" replaces both files with a new key pair.
    let mut p = spawn(command(&["keygen", "--alg", "ES256", "--out-dir", &out]));
    expect(&mut p, "Replace? (--force)");
    send(&mut p, "y");
    let (rest, code) = finish(p);
    assert_eq!(code, 0, "{rest}");
    let second = std::fs::read(&key).unwrap();
    assert_ne!(second, first, "key replaced");
    assert_eq!(
        std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
        0o600
    );
    // The public key on disk belongs to the new private key.
    assert_eq!(
        jwk_of(&key)["x"],
        jwk_of(&dir.path().join("agentos.pub.pem"))["x"]
    );
}

#[test]
fn mint_asks_for_scopes_audience_and_subject() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().display().to_string();
    bin()
        .args(["keygen", "--alg", "HS256", "--out-dir", &out])
        .assert()
        .success();
    let secret = dir.path().join("agentos.secret").display().to_string();
    let home = dir.path().join("home").display().to_string();
    let token_file = dir.path().join("token.txt");

    // The picker lists the presets, then every resource:action scope.
    let run_agent = PRESETS
        .iter()
        .position(|p| p.name == "run-agent")
        .expect("run-agent preset");
    let config_read = PRESETS.len()
        + RESOURCES
            .iter()
            .flat_map(|r| r.actions.iter().map(move |a| format!("{}:{a}", r.name)))
            .position(|s| s == "config:read")
            .expect("config:read scope");

    let mut cmd = command(&["mint", "--home", &home, "--key", &secret, "--alg", "HS256"]);
    // stdout to a file: the token alone goes there, the questions to the terminal.
    cmd.stdout(Stdio::from(std::fs::File::create(&token_file).unwrap()));
    let mut p = spawn(cmd);
    expect(&mut p, "Scopes (--scopes / --preset");
    send(&mut p, &DOWN.repeat(run_agent));
    send(&mut p, SPACE);
    send(&mut p, &DOWN.repeat(config_read - run_agent));
    send(&mut p, SPACE);
    send(&mut p, ENTER);
    expect(&mut p, "run-agent: which id?");
    send(&mut p, "my-agent");
    send(&mut p, ENTER);
    expect(&mut p, "Audience");
    send(&mut p, "my-os");
    send(&mut p, ENTER);
    expect(&mut p, "Subject");
    send(&mut p, "alice");
    send(&mut p, ENTER);
    expect(
        &mut p,
        "as flags: --scopes config:read --preset run-agent:my-agent --aud my-os --sub alice",
    );
    let (rest, code) = finish(p);
    assert_eq!(code, 0, "{rest}");

    let printed = std::fs::read_to_string(&token_file).unwrap();
    assert_eq!(
        printed.lines().count(),
        1,
        "stdout is the token only: {printed:?}"
    );
    let decoded = token::decode(printed.trim()).expect("a JWS");
    let claims = decoded.claims_object().expect("claims object");
    assert_eq!(claims["sub"], "alice");
    assert_eq!(claims["aud"], "my-os");
    assert_eq!(
        claims["scopes"],
        serde_json::json!(["config:read", "agents:my-agent:read", "agents:my-agent:run"])
    );
    assert_eq!(decoded.alg(), Some("HS256"));

    // The same flags, typed out, mint the same claims (minus the times).
    let again = bin()
        .args([
            "mint",
            "--home",
            &home,
            "--key",
            &secret,
            "--alg",
            "HS256",
            "--json",
            "--scopes",
            "config:read",
            "--preset",
            "run-agent:my-agent",
            "--aud",
            "my-os",
            "--sub",
            "alice",
        ])
        .assert()
        .success();
    let again: Value = serde_json::from_slice(&again.get_output().stdout).unwrap();
    assert_eq!(again["claims"]["scopes"], claims["scopes"]);
}

#[test]
fn no_prompts_with_no_input_or_ci_even_at_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().display().to_string();
    bin()
        .args(["keygen", "--alg", "HS256", "--out-dir", &out])
        .assert()
        .success();
    let secret = dir.path().join("agentos.secret").display().to_string();
    let home = dir.path().join("home").display().to_string();
    let mint = [
        "mint", "--home", &home, "--key", &secret, "--alg", "HS256", "--aud", "os",
    ];

    let mut with_flag = command(&mint);
    with_flag.arg("--no-input");
    let mut with_ci = command(&mint);
    with_ci.env("CI", "true");
    for cmd in [with_flag, with_ci] {
        let (text, code) = finish(spawn(cmd));
        assert_eq!(code, 1, "{text}");
        assert!(
            text.contains("no scopes given") && text.contains("--scopes"),
            "{text}"
        );
        assert!(!text.contains("Scopes ("), "asked anyway: {text}");
    }

    // keygen takes its default instead of asking.
    let rsa_dir = dir.path().join("rsa");
    let mut cmd = command(&["keygen", "--no-input", "--out-dir"]);
    cmd.arg(&rsa_dir);
    let (text, code) = finish(spawn(cmd));
    assert_eq!(code, 0, "{text}");
    assert!(!text.contains("Algorithm"), "asked anyway: {text}");
    assert_eq!(jwk_of(&rsa_dir.join("agentos.key.pem"))["kty"], "RSA");
}

#[test]
fn rsa_4096_shows_a_spinner_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().display().to_string();
    let mut p = spawn(command(&[
        "keygen",
        "--alg",
        "RS256",
        "--bits",
        "4096",
        "--out-dir",
        &out,
    ]));
    // The spinner's line: message and elapsed time, e.g. "generating ... (0s)".
    let (before, _) = p
        .exp_regex(r"generating an RSA 4096-bit key \(\d+s\)")
        .expect("spinner line");
    let (rest, code) = finish(p);
    assert_eq!(code, 0, "{rest}");
    // The spinner replaces the plain note used off a terminal.
    let transcript = format!("{before}{rest}");
    assert!(
        !transcript.contains("this can take a few seconds"),
        "{transcript}"
    );
    assert_eq!(jwk_of(&dir.path().join("agentos.key.pem"))["kty"], "RSA");
}

#[test]
fn error_prefix_is_coloured_on_a_terminal_unless_no_color() {
    let missing = "/nonexistent/agentos-auth-test/key.pem";
    let args = [
        "mint",
        "--no-input",
        "--key",
        missing,
        "--scopes",
        "agents:read",
    ];

    let mut coloured = command(&args);
    coloured.env_remove("NO_COLOR");
    let (text, code) = finish(spawn(coloured));
    assert_eq!(code, 3, "{text}");
    assert!(
        text.contains("agentos-auth: \x1b[1;31merror:\x1b[0m "),
        "{text:?}"
    );

    let (text, code) = finish(spawn(command(&args)));
    assert_eq!(code, 3, "{text}");
    assert!(text.contains("agentos-auth: error: "), "{text:?}");
    assert!(!text.contains('\x1b'), "{text:?}");
}

#[test]
fn ctrl_c_at_a_prompt_restores_the_cursor_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("keys");
    let mut cmd = command(&["keygen", "--out-dir"]);
    cmd.arg(&out);
    let mut p = spawn(cmd);
    expect(&mut p, "Algorithm (--alg)");
    expect(&mut p, "HS256");
    send(&mut p, "\x03");
    let (rest, code) = finish(p);
    assert_eq!(code, 130, "{rest:?}");
    assert!(rest.contains("\x1b[?25h"), "cursor shown again: {rest:?}");
    assert!(!out.exists(), "nothing written");
}

#[test]
fn mint_asks_only_for_what_the_store_does_not_give() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home").display().to_string();
    bin()
        .args([
            "keygen", "--home", &home, "--alg", "ES256", "--aud", "store-os",
        ])
        .args(["--sub", "bob", "--quiet"])
        .assert()
        .success();
    let token_file = dir.path().join("token.txt");
    let admin = PRESETS.iter().position(|p| p.name == "admin").unwrap();

    let mut cmd = command(&["mint", "--home", &home]);
    cmd.stdout(Stdio::from(std::fs::File::create(&token_file).unwrap()));
    let mut p = spawn(cmd);
    expect(&mut p, "Scopes (--scopes / --preset");
    send(&mut p, &DOWN.repeat(admin));
    send(&mut p, SPACE);
    send(&mut p, ENTER);
    let (before, _) = p.exp_regex("as flags: [^\r\n]*").expect("summary");
    let (rest, code) = finish(p);
    assert_eq!(code, 0, "{rest}");
    let transcript = format!("{before}{rest}");
    assert!(!transcript.contains("Audience"), "{transcript}");
    assert!(!transcript.contains("Subject"), "{transcript}");

    let printed = std::fs::read_to_string(&token_file).unwrap();
    let decoded = token::decode(printed.trim()).expect("a JWS");
    let claims = decoded.claims_object().expect("claims");
    assert_eq!(claims["aud"], "store-os");
    assert_eq!(claims["sub"], "bob");
    assert_eq!(claims["scopes"], serde_json::json!(["agent_os:admin"]));
    assert_eq!(decoded.alg(), Some("ES256"));
}

#[test]
fn mint_without_any_key_fails_before_asking() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("empty-home").display().to_string();
    let (text, code) = finish(spawn(command(&["mint", "--home", &home])));
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("no signing key"), "{text}");
    assert!(!text.contains("Scopes ("), "asked anyway: {text}");
}

#[test]
fn keygen_into_a_store_with_a_signing_key_asks_and_defaults_to_no() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home").display().to_string();
    bin()
        .args(["keygen", "--home", &home, "--alg", "ES256", "--quiet"])
        .assert()
        .success();
    let ring = Path::new(&home).join("keys/keyring.json");
    let signing = |p: &Path| -> Value {
        serde_json::from_slice::<Value>(&std::fs::read(p).unwrap()).unwrap()["signing_kid"].clone()
    };
    let first = signing(&ring);

    // Enter takes the default: no. The signing key stays; the refusal names the ways.
    let mut p = spawn(command(&["keygen", "--home", &home, "--alg", "ES256"]));
    expect(&mut p, "already has a signing key");
    expect(&mut p, "(--force)");
    send(&mut p, ENTER);
    let (rest, code) = finish(p);
    assert_eq!(code, 3, "{rest}");
    assert!(rest.contains("jwks rotate"), "{rest}");
    assert_eq!(signing(&ring), first);

    // "y" makes the new key the signing key.
    let mut p = spawn(command(&["keygen", "--home", &home, "--alg", "ES256"]));
    expect(&mut p, "(--force)");
    send(&mut p, "y");
    let (rest, code) = finish(p);
    assert_eq!(code, 0, "{rest}");
    assert_ne!(signing(&ring), first);
}
