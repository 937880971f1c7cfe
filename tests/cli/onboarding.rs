//! What a newcomer trips on (issue 12): a second `keygen` into the store, HS256 secret
//! files, claims that were silently ignored, usage errors and help text, `jwks`
//! output for scripts, and `--scopes ""`.

use crate::common;

use std::fs;
use std::path::Path;
use std::process::Output;

use agentos_auth::token;
use common::{assert_one_line_error, bin, bin_at, stderr, stdout};
use serde_json::{json, Value};

fn run(cmd: &mut assert_cmd::Command) -> Output {
    cmd.output().expect("run agentos-auth")
}

fn ok(cmd: &mut assert_cmd::Command) -> Output {
    let o = run(cmd);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    o
}

fn signing_kid(h: &Path) -> String {
    let ring: Value =
        serde_json::from_slice(&fs::read(h.join("keys/keyring.json")).unwrap()).unwrap();
    ring["signing_kid"].as_str().unwrap().to_string()
}

fn claims_of(o: &Output) -> Value {
    token::decode(stdout(o).trim()).unwrap().claims
}

#[test]
fn a_second_keygen_into_the_store_refuses_and_points_to_rotate() {
    let t = tempfile::tempdir().unwrap();
    let h = t.path();
    ok(bin_at(h).args(["keygen", "--aud", "my-agent-os"]));
    let first = signing_kid(h);
    let jwks_before = fs::read(h.join("jwks.json")).unwrap();

    // The natural "set-up again": refused, nothing written, the way out named.
    for args in [
        &["keygen", "--aud", "my-agent-os"][..],
        &["keygen", "--alg", "ES256"],
        &["keygen", "--alg", "HS256", "--kid", "new-secret"],
    ] {
        let o = run(bin_at(h).args(args));
        assert_one_line_error(&o, 3, "already has a signing key");
        assert!(
            stderr(&o).contains("jwks rotate") && stderr(&o).contains("--force"),
            "{}",
            stderr(&o)
        );
        assert_eq!(signing_kid(h), first, "{args:?}");
        assert_eq!(fs::read(h.join("jwks.json")).unwrap(), jwks_before);
    }
    let pems = fs::read_dir(h.join("keys"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "pem")
        })
        .count();
    assert_eq!(pems, 2, "one private and one public key, no new one");

    // --force replaces the signing key on purpose; --out-dir is not the store.
    ok(bin_at(h).args(["keygen", "--force", "--alg", "ES256"]));
    assert_ne!(signing_kid(h), first);
    let d = t.path().join("elsewhere");
    ok(bin_at(h).args(["keygen", "--out-dir"]).arg(&d));
}

#[test]
fn hs256_secret_files_need_no_alg_and_jwks_add_says_why_not() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path().join("d");
    let o = ok(bin()
        .args(["keygen", "--alg", "HS256", "--out-dir"])
        .arg(&d));
    let secret_file = d.join("agentos.secret");
    assert!(secret_file.exists());
    assert!(
        !stderr(&o).contains("--alg HS256 --format"),
        "{}",
        stderr(&o)
    );

    let o = ok(bin()
        .args(["mint", "--aud", "os", "--scopes", "agents:read", "--key"])
        .arg(&secret_file));
    let jwt = stdout(&o);
    let decoded = token::decode(jwt.trim()).unwrap();
    assert_eq!(decoded.header["alg"], "HS256");

    let o = ok(bin()
        .args(["export", "--format", "env", "--include-secret", "--key"])
        .arg(&secret_file));
    let secret = fs::read_to_string(&secret_file).unwrap();
    assert_eq!(
        stdout(&o),
        format!("export JWT_VERIFICATION_KEY='{secret}'\n")
    );

    let o = ok(bin()
        .args(["verify", jwt.trim(), "--key"])
        .arg(&secret_file));
    assert!(stdout(&o).starts_with("200"), "{}", stdout(&o));

    // jwks add has no --alg: it must not suggest one, and must say why.
    let o = run(bin()
        .args(["jwks", "add", "--jwks"])
        .arg(t.path().join("jwks.json"))
        .arg("--key")
        .arg(&secret_file));
    assert_one_line_error(&o, 1, "never goes into a JWKS");
    let e = stderr(&o);
    assert!(
        e.contains("a JWKS is public") && e.contains("mint tokens"),
        "{e}"
    );
    assert!(
        !e.contains("pass --alg") && !e.contains("or --alg HS256"),
        "{e}"
    );
    assert!(!t.path().join("jwks.json").exists());
}

#[test]
fn rotate_away_from_an_hs256_key_does_not_claim_it_stays_published() {
    let t = tempfile::tempdir().unwrap();
    let h = t.path();
    ok(bin_at(h).args(["keygen", "--alg", "HS256", "--aud", "os"]));
    let o = ok(bin_at(h).args(["jwks", "rotate", "--alg", "RS256"]));
    let e = stderr(&o);
    assert!(!e.contains("stays published"), "{e}");
    assert!(e.contains("never published in a JWKS"), "{e}");
}

#[test]
fn iat_from_claim_flags_is_honoured_never_ignored_and_never_in_the_future() {
    let t = tempfile::tempdir().unwrap();
    let h = t.path();
    ok(bin_at(h).args(["keygen", "--alg", "ES256", "--aud", "os"]));
    let now = chrono::Utc::now().timestamp();
    let past = now - 3600;
    let mint = |extra: &[&str]| {
        let mut c = bin_at(h);
        c.args(["mint", "--scopes", "agents:read"]).args(extra);
        run(&mut c)
    };
    let o = mint(&["--claim", &format!("iat={past}")]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(claims_of(&o)["iat"], json!(past));
    let o = mint(&["--claims", &format!(r#"{{"iat":{past}}}"#)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(claims_of(&o)["iat"], json!(past));
    // AgentOS answers 401 to an iat ahead of its clock: refused, not minted.
    let o = mint(&["--claim", &format!("iat={}", now + 3600)]);
    assert_one_line_error(&o, 1, "iat is in the future");
    let o = mint(&["--no-iat", "--claim", &format!("iat={past}")]);
    assert_one_line_error(&o, 1, "--no-iat");
    // Without either, iat is now.
    let o = mint(&[]);
    let iat = claims_of(&o)["iat"].as_i64().unwrap();
    assert!((now..=now + 60).contains(&iat), "{iat} vs {now}");
}

#[test]
fn empty_scopes_are_refused_and_no_scopes_is_explicit() {
    let t = tempfile::tempdir().unwrap();
    let h = t.path();
    ok(bin_at(h).args(["keygen", "--alg", "ES256", "--aud", "os"]));
    for empty in ["", " ", ","] {
        let o = run(bin_at(h).args(["mint", "--scopes", empty]));
        assert_one_line_error(&o, 1, "--scopes is empty");
        assert!(stderr(&o).contains("--no-scopes"), "{}", stderr(&o));
    }
    let o = ok(bin_at(h).args(["mint", "--no-scopes"]));
    assert_eq!(claims_of(&o)["scopes"], json!([]));
    let o = run(bin_at(h).args(["mint", "--no-scopes", "--scopes", "agents:read"]));
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn bad_values_name_the_subcommand_help() {
    for (args, help) in [
        (
            &["keygen", "--bits", "1"][..],
            "see agentos-auth keygen --help",
        ),
        (
            &["jwks", "rotate", "--keep", "0"],
            "see agentos-auth jwks rotate --help",
        ),
        (
            &["--quiet", "export", "--format", "xml"],
            "see agentos-auth export --help",
        ),
        (
            &["verify", "--alg", "PS256", "t"],
            "see agentos-auth verify --help",
        ),
    ] {
        let o = run(bin().args(args));
        assert_one_line_error(&o, 2, help);
    }
}

#[test]
fn help_shows_env_names_without_values() {
    let o = ok(bin().env_remove("AGENTOS_AUTH_HOME").arg("--help"));
    let help = stdout(&o);
    assert!(!help.contains("AGENTOS_AUTH_HOME="), "{help}");
    assert!(help.contains("AGENTOS_AUTH_HOME]"), "{help}");
    // Set, its value stays out of help (and so out of the generated man pages).
    let o = ok(bin()
        .env("AGENTOS_AUTH_AUD", "secret-os-id")
        .args(["mint", "--help"]));
    assert!(!stdout(&o).contains("secret-os-id"), "{}", stdout(&o));
}

#[test]
fn store_files_and_jwks_list_suit_scripts() {
    let t = tempfile::tempdir().unwrap();
    let h = t.path();
    ok(bin_at(h).args(["keygen", "--aud", "os", "--sub", "alice"]));
    let settings = fs::read_to_string(h.join("settings.json")).unwrap();
    assert!(settings.ends_with("}\n"), "{settings:?}");

    // The table explains itself: no legend on stderr, header names the marker.
    let o = ok(bin_at(h).args(["jwks", "list"]));
    assert_eq!(stderr(&o), "", "nothing on stderr without a warning");
    let table = stdout(&o);
    let lines: Vec<&str> = table.lines().collect();
    assert!(
        lines[0].starts_with("SIGNING") && lines[0].contains("KID"),
        "{table}"
    );
    assert!(lines[1].starts_with('*'), "{table}");
}
