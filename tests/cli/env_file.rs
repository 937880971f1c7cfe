//! Issue 21, item 4: `.env` files. `doctor/verify --env-file FILE` read the tool's own
//! `export --format dotenv` output as python-dotenv does; doctor's advice for a PEM
//! with literal `\n` names the loaders that decode it and those that do not; errors
//! never quote the file's values. (python-dotenv's own reading of the same files:
//! tests/interop/env_file.rs.)

use std::path::Path;

use crate::common::{assert_one_line_error, bin, write};

/// A key store with an RS256 signing key, its `export --format dotenv` line in
/// `dir/.env`, and a token it signed.
fn store_and_dotenv(dir: &Path) -> (String, String) {
    let home = dir.join("home");
    let home = home.to_str().unwrap();
    bin()
        .args(["--home", home, "keygen", "--aud", "my-agent-os"])
        .assert()
        .success();
    let out = bin()
        .args(["--home", home, "export", "--format", "dotenv"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let line = String::from_utf8(out.stdout).unwrap();
    write(
        dir,
        ".env",
        &format!("# AgentOS settings\nOS_ID=my-agent-os\n{line}"),
    );
    let out = bin()
        .args(["--home", home, "mint", "--scopes", "agents:read"])
        .output()
        .unwrap();
    assert!(out.status.success());
    (
        line,
        String::from_utf8(out.stdout).unwrap().trim().to_string(),
    )
}

#[test]
fn doctor_and_verify_read_the_dotenv_line_export_writes() {
    let dir = tempfile::tempdir().unwrap();
    let (line, token) = store_and_dotenv(dir.path());
    assert!(
        line.contains("\\n"),
        "export --format dotenv writes \\n in quotes: {line}"
    );
    let env_file = dir.path().join(".env");
    let env_file = env_file.to_str().unwrap();

    let out = bin()
        .args(["doctor", "--env-file", env_file])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("ok      JWT_VERIFICATION_KEY: RSA 2048-bit public key"),
        "{stdout}"
    );

    let out = bin()
        .args(["verify", &token, "--env-file", env_file])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.starts_with("200:"), "{stdout}");
    assert!(stdout.contains("JWT_VERIFICATION_KEY"), "{stdout}");
}

#[test]
fn env_file_values_win_over_the_shell_and_the_difference_is_said() {
    let dir = tempfile::tempdir().unwrap();
    let (_, token) = store_and_dotenv(dir.path());
    let env_file = dir.path().join(".env");
    // The shell holds what `set -a; source .env` leaves: the same PEM, newlines as \n.
    let text = std::fs::read_to_string(&env_file).unwrap();
    let quoted = text.lines().last().unwrap();
    let sourced = quoted
        .trim_start_matches("JWT_VERIFICATION_KEY=\"")
        .trim_end_matches('"');
    let out = bin()
        .env("JWT_VERIFICATION_KEY", sourced)
        .args(["verify", &token, "--env-file", env_file.to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("JWT_VERIFICATION_KEY is also set in this shell")
            && stderr.contains("uvicorn --env-file would keep the shell's"),
        "{stderr}"
    );
    assert!(!stderr.contains("MIIB"), "a key was echoed: {stderr}");
}

#[test]
fn literal_newlines_advice_names_the_loaders_that_decode_them() {
    let dir = tempfile::tempdir().unwrap();
    let (line, _) = store_and_dotenv(dir.path());
    // `set -a; source .env` keeps the two characters \n.
    let sourced = line
        .trim()
        .trim_start_matches("JWT_VERIFICATION_KEY=\"")
        .trim_end_matches('"');
    let out = bin()
        .env("JWT_VERIFICATION_KEY", sourced)
        .arg("doctor")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let finding = stdout
        .lines()
        .find(|l| l.starts_with("error   JWT_VERIFICATION_KEY"))
        .unwrap_or_else(|| panic!("no finding: {stdout}"));
    for loader in [
        "python-dotenv",
        "uvicorn --env-file",
        "docker compose",
        "set -a; source .env",
        "env $(cat .env | xargs)",
        "doctor --env-file .env",
    ] {
        assert!(finding.contains(loader), "{loader:?} not in {finding}");
    }

    // The same .env line read as a loader that decodes it: no finding.
    let out = bin()
        .args(["doctor", "--env-file"])
        .arg(dir.path().join(".env"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn env_file_errors_never_quote_its_values() {
    let dir = tempfile::tempdir().unwrap();
    let secret = "hunter2-very-secret-value-0123456789";
    // Line 2 is no statement python-dotenv can parse: it is left out, said by number.
    let f = write(
        dir.path(),
        "s.env",
        &format!("JWT_VERIFICATION_KEY={secret}\n{secret} oops\n"),
    );
    let out = bin()
        .args(["doctor", "--alg", "HS256", "--env-file"])
        .arg(&f)
        .output()
        .unwrap();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(0), "{all}");
    assert!(all.contains("cannot parse line 2"), "{all}");
    assert!(
        all.contains(&format!("HS256 secret ({} bytes)", secret.len())),
        "{all}"
    );
    assert!(!all.contains("hunter2"), "a value was echoed: {all}");

    let bad = dir.path().join("latin1.env");
    std::fs::write(&bad, b"JWT_VERIFICATION_KEY=caf\xe9-hunter2\n").unwrap();
    let out = bin()
        .args(["doctor", "--env-file"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_one_line_error(&out, 1, "not UTF-8");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("hunter2"));

    let out = bin()
        .args(["verify", "x.y.z", "--env-file"])
        .arg(dir.path().join("missing.env"))
        .output()
        .unwrap();
    assert_one_line_error(&out, 3, "missing.env");
}

#[test]
fn verify_env_file_without_a_key_does_not_fall_back_to_the_key_store() {
    let dir = tempfile::tempdir().unwrap();
    let (_, token) = store_and_dotenv(dir.path());
    let f = write(dir.path(), "other.env", "OS_ID=my-agent-os\n");
    let out = bin()
        .args(["--home"])
        .arg(dir.path().join("home"))
        .args(["verify", &token, "--env-file"])
        .arg(&f)
        .output()
        .unwrap();
    assert_one_line_error(
        &out,
        1,
        "sets neither JWT_VERIFICATION_KEY nor JWT_JWKS_FILE",
    );
}

#[test]
fn doctor_help_example_uses_env_file_not_xargs() {
    let out = bin().args(["doctor", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(!help.contains("xargs"), "{help}");
    assert!(
        help.contains("agentos-auth doctor --env-file .env"),
        "{help}"
    );
}
