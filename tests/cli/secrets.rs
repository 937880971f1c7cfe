//! Secrets stay secret.
//!
//! - Private key material and HS256 secrets never appear on stdout or stderr unless the
//!   user asked for them (`export --include-secret`): every command in [`commands`] is
//!   run against stores and key files of each algorithm, successes and failures alike,
//!   and its output is searched for every form of the secret ([`Secret`]).
//! - Files holding secrets are 0600 (directories 0700) even under `umask 000`.
//! - A private key file readable by group or others gets a warning on use.
//!
//! A new command gets one line in [`commands`].

use crate::common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use common::bin;
use der::Decode;

/// Every argument list run against a store (`--home STORE` is prepended) holding a
/// signing key of each algorithm. `{KEY}` is the key file of that algorithm. They may
/// succeed or fail: either way the output must not carry the secret.
#[rustfmt::skip]
fn commands() -> Vec<Vec<&'static str>> {
    vec![
        vec!["keygen", "--force", "--alg", "ES256", "--kid", "other-es", "--json"],
        vec!["keygen", "--force", "--alg", "HS256", "--kid", "other-hs"],
        vec!["keygen", "--alg", "RS256", "--kid", "SIGNING"], // refused: the kid exists
        vec!["export"],
        vec!["export", "--format", "jwk"],
        vec!["export", "--format", "jwks"],
        vec!["export", "--format", "env"],
        vec!["export", "--format", "dotenv"],
        vec!["export", "--key", "{KEY}"],
        vec!["export", "--key", "{KEY}", "--format", "jwk"],
        vec!["export", "--key", "{KEY}", "--format", "env"],
        vec!["export", "--key", "{KEY}", "--alg", "ES256"], // wrong alg for two of three
        vec!["mint", "--scopes", "agents:read"],
        vec!["mint", "--scopes", "agents:read", "--json", "--jti"],
        vec![
            "mint",
            "--key",
            "{KEY}",
            "--scopes",
            "agents:read",
            "--json",
        ],
        vec!["mint", "--key", "{KEY}", "--scopes", "agent:read"], // refused scope
        vec!["mint", "--scopes", "agents:read", "-e", "-1h"],     // refused duration
        vec!["jwks", "list"],
        vec!["jwks", "list", "--json"],
        vec!["jwks", "add", "--key", "{KEY}", "--kid", "added", "--json"], // private key in: only its public half goes out (HS256: refused)
        vec!["jwks", "add", "--key", "{KEY}", "--kid", "added"],
        vec!["jwks", "rotate", "--alg", "ES256", "--kid", "rotated", "--json"],
        vec!["jwks", "rotate", "--alg", "ES256", "--kid", "staged", "--stage"],
        vec!["jwks", "use", "--kid", "SIGNING", "--json"],
        vec!["jwks", "remove", "--kid", "other-es", "--json"],
        vec!["jwks", "remove", "--kid", "SIGNING"], // refused: the signing key
        vec!["jwks", "prune", "--keep", "10", "--json"],
        vec!["jwks", "list"],
        vec!["inspect"],
        vec!["inspect", "{TOKEN}"],
        vec!["inspect", "{TOKEN}", "--json"],
        vec!["verify"],
        vec!["verify", "{TOKEN}", "--json"],
        vec!["verify", "{TOKEN}", "--key", "{KEY}"], // a private key where a public one belongs
        vec!["verify", "{TOKEN}", "--request", "GET /agents"],
        vec!["doctor"],
        vec!["doctor", "--json"],
        vec!["env:JWT_VERIFICATION_KEY={KEY_TEXT}", "doctor"], // doctor must not echo it
        vec!["env:JWT_VERIFICATION_KEY={KEY_TEXT}", "doctor", "--json", "--token", "{TOKEN}"],
        vec!["env:JWT_VERIFICATION_KEY={KEY_TEXT}", "verify", "{TOKEN}"],
        vec!["scopes"],
    ]
}

/// Every text form in which one key's secret could leak.
struct Secret {
    forms: Vec<String>,
}

impl Secret {
    fn of_file(alg: &'static str, path: &Path) -> Secret {
        let text = fs::read_to_string(path).unwrap();
        let mut forms = Vec::new();
        if alg == "HS256" {
            forms.push(text.clone());
            forms.push(URL_SAFE_NO_PAD.encode(text.as_bytes()));
        } else {
            // Every line of the PEM body, and the private numbers in base64url, base64, hex.
            let body: Vec<&str> = text.lines().filter(|l| !l.starts_with("-----")).collect();
            forms.extend(body.iter().map(|l| l.to_string()));
            let der = STANDARD.decode(body.concat()).unwrap();
            let info = pkcs8::PrivateKeyInfo::from_der(&der).unwrap();
            let numbers: Vec<Vec<u8>> = if alg == "RS256" {
                let k = pkcs1::RsaPrivateKey::from_der(info.private_key).unwrap();
                [
                    k.private_exponent,
                    k.prime1,
                    k.prime2,
                    k.exponent1,
                    k.exponent2,
                    k.coefficient,
                ]
                .iter()
                .map(|n| n.as_bytes().to_vec())
                .collect()
            } else {
                let k = sec1::EcPrivateKey::from_der(info.private_key).unwrap();
                vec![k.private_key.to_vec()]
            };
            for n in numbers {
                forms.push(URL_SAFE_NO_PAD.encode(&n));
                forms.push(STANDARD.encode(&n));
                forms.push(n.iter().take(16).map(|b| format!("{b:02x}")).collect());
            }
        }
        forms.retain(|f| f.len() >= 16);
        Secret { forms }
    }

    fn leaked_in(&self, text: &str) -> Option<&str> {
        self.forms
            .iter()
            .find(|f| text.contains(f.as_str()))
            .map(String::as_str)
    }
}

fn keygen(home: &Path, alg: &str, kid: &str) -> PathBuf {
    let o = bin()
        .arg("--home")
        .arg(home)
        .args([
            "keygen", "--alg", alg, "--kid", kid, "--aud", "test-os", "--json",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    PathBuf::from(v["private_key"].as_str().unwrap())
}

fn run(home: &Path, args: &[String]) -> Output {
    bin().arg("--home").arg(home).args(args).output().unwrap()
}

/// Every private key and secret in the store's key directory.
fn store_secrets(home: &Path) -> Vec<(PathBuf, Secret)> {
    let mut out = Vec::new();
    for e in fs::read_dir(home.join("keys")).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let alg = if name.ends_with(".secret") {
            "HS256"
        } else if name.ends_with(".key.pem") {
            let pem = fs::read_to_string(&p).unwrap();
            let der: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
            let der = STANDARD.decode(der).unwrap();
            let info = pkcs8::PrivateKeyInfo::from_der(&der).unwrap();
            if info.algorithm.oid.to_string() == "1.2.840.113549.1.1.1" {
                "RS256"
            } else {
                "ES256"
            }
        } else {
            continue;
        };
        let secret = Secret::of_file(alg, &p);
        out.push((p, secret));
    }
    out
}

#[test]
fn no_command_prints_a_secret_unless_asked() {
    let mut checked = 0;
    for alg in ["RS256", "ES256", "HS256"] {
        let home = tempfile::tempdir().unwrap();
        let key_file = keygen(home.path(), alg, "SIGNING");
        let secret = Secret::of_file(alg, &key_file);
        assert!(!secret.forms.is_empty());
        let key_text = fs::read_to_string(&key_file).unwrap();
        let token = run(
            home.path(),
            &["mint".into(), "-s".into(), "agents:read".into()],
        );
        assert!(token.status.success());
        let token = String::from_utf8(token.stdout).unwrap().trim().to_string();
        for args in commands() {
            let fill = |a: &str| {
                a.replace("{KEY_TEXT}", &key_text)
                    .replace("{KEY}", &key_file.display().to_string())
                    .replace("{TOKEN}", &token)
            };
            let (env, args): (Vec<&str>, Vec<&str>) =
                args.iter().partition(|a| a.starts_with("env:"));
            let args: Vec<String> = args.iter().map(|a| fill(a)).collect();
            let mut cmd = bin();
            cmd.arg("--home").arg(home.path()).args(&args);
            for e in env {
                let (name, value) = e["env:".len()..].split_once('=').unwrap();
                cmd.env(name, fill(value));
            }
            let o = cmd.output().unwrap();
            // The signing key, and every key in the store now (keygen rows add some).
            let mut secrets = vec![(key_file.clone(), Secret::of_file(alg, &key_file))];
            secrets.extend(store_secrets(home.path()));
            for (stream, bytes) in [("stdout", &o.stdout), ("stderr", &o.stderr)] {
                let text = String::from_utf8_lossy(bytes);
                for (file, secret) in &secrets {
                    if let Some(form) = secret.leaked_in(&text) {
                        panic!(
                            "{alg}: `{}` printed the secret of {} on {stream} ({form:?}):\n{text}",
                            args.join(" "),
                            file.display()
                        );
                    }
                }
            }
            checked += 1;
        }
        // SIGNING, other-hs, rotated and staged were all searched for (other-es was
        // removed: its file moved to keys/removed/).
        assert_eq!(store_secrets(home.path()).len(), 4, "{alg}");
    }
    assert_eq!(checked, 3 * commands().len());
}

/// The search above can find a secret: asked for, it is printed, and found.
#[test]
fn an_hs256_secret_is_printed_only_when_asked() {
    let home = tempfile::tempdir().unwrap();
    let key_file = keygen(home.path(), "HS256", "hs");
    let secret = Secret::of_file("HS256", &key_file);
    let asked = [
        vec!["export", "--format", "env", "--include-secret"],
        vec!["export", "--format", "dotenv", "--include-secret"],
        vec!["export", "--format", "jwk", "--include-secret"],
    ];
    for args in asked {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let o = run(home.path(), &args);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(
            secret.leaked_in(&out).is_some(),
            "{args:?} did not print it: {out}"
        );
        assert!(secret
            .leaked_in(&String::from_utf8_lossy(&o.stderr))
            .is_none());
    }
    for format in ["env", "dotenv", "jwk", "pem", "jwks"] {
        let o = run(
            home.path(),
            &["export".into(), "--format".into(), format.into()],
        );
        assert_eq!(
            o.status.code(),
            Some(1),
            "{format} without --include-secret"
        );
        let all = [o.stdout, o.stderr].concat();
        assert!(secret.leaked_in(&String::from_utf8_lossy(&all)).is_none());
    }
}

fn mode(p: &Path) -> u32 {
    fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// Runs the binary under `umask 000`, the most permissive a user can have.
fn under_umask_000(args: &[&str]) -> Output {
    let mut script = String::from("umask 000; exec \"$0\"");
    for i in 1..=args.len() {
        script.push_str(&format!(" \"${i}\""));
    }
    let o = std::process::Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_agentos-auth"))
        .args(args)
        .env("XDG_CONFIG_HOME", common::UNUSABLE_CONFIG_HOME)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

#[test]
fn secret_files_are_0600_even_under_umask_000() {
    let tmp = tempfile::tempdir().unwrap();
    for alg in ["RS256", "ES256", "HS256"] {
        // Into the store: root and keys/ 0700, secrets 0600, nothing group/world-writable.
        let home = tmp.path().join(format!("store-{alg}"));
        let home_s = home.to_str().unwrap();
        under_umask_000(&["--home", home_s, "keygen", "--alg", alg, "--aud", "os"]);
        under_umask_000(&[
            "--home", home_s, "keygen", "--force", "--alg", alg, "--kid", "second",
        ]);
        assert_eq!(mode(&home), 0o700, "{alg} store root");
        assert_eq!(mode(&home.join("keys")), 0o700, "{alg} keys/");
        let mut secrets = 0;
        for dir in [home.clone(), home.join("keys")] {
            for e in fs::read_dir(&dir).unwrap() {
                let p = e.unwrap().path();
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                let m = mode(&p);
                assert_eq!(
                    m & 0o022,
                    0,
                    "{} is writable by others ({m:o})",
                    p.display()
                );
                if name.ends_with(".key.pem") || name.ends_with(".secret") {
                    assert_eq!(m, 0o600, "{}", p.display());
                    secrets += 1;
                }
            }
        }
        assert_eq!(secrets, 2, "{alg}: two keys in the store");

        // Into --out-dir (created by keygen): the directory 0700, the secret 0600.
        let out = tmp.path().join(format!("out-{alg}"));
        under_umask_000(&["keygen", "--alg", alg, "--out-dir", out.to_str().unwrap()]);
        assert_eq!(mode(&out), 0o700);
        let private = if alg == "HS256" {
            "agentos.secret"
        } else {
            "agentos.key.pem"
        };
        assert_eq!(mode(&out.join(private)), 0o600, "{alg} --out-dir");
        // --force replaces a key with another, still 0600.
        under_umask_000(&[
            "keygen",
            "--alg",
            alg,
            "--force",
            "--out-dir",
            out.to_str().unwrap(),
        ]);
        assert_eq!(mode(&out.join(private)), 0o600, "{alg} --force");
    }
}

#[test]
fn a_private_key_readable_by_others_gets_a_warning_on_use() {
    let tmp = tempfile::tempdir().unwrap();
    for alg in ["RS256", "ES256", "HS256"] {
        let out = tmp.path().join(alg);
        let o = bin()
            .args(["keygen", "--alg", alg, "--out-dir"])
            .arg(&out)
            .output()
            .unwrap();
        assert!(o.status.success());
        let private = out.join(if alg == "HS256" {
            "agentos.secret"
        } else {
            "agentos.key.pem"
        });
        let mint = |p: &Path| {
            bin()
                .args([
                    "mint",
                    "--aud",
                    "os",
                    "--scopes",
                    "agents:read",
                    "--alg",
                    alg,
                    "--key",
                ])
                .arg(p)
                .output()
                .unwrap()
        };
        let quiet = mint(&private);
        assert!(
            quiet.status.success(),
            "{}",
            String::from_utf8_lossy(&quiet.stderr)
        );
        assert!(quiet.stderr.is_empty(), "0600 key: no warning expected");
        for loose in [0o640, 0o604, 0o644] {
            fs::set_permissions(&private, fs::Permissions::from_mode(loose)).unwrap();
            let o = mint(&private);
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            let err = String::from_utf8_lossy(&o.stderr);
            assert!(
                err.starts_with("warning: ")
                    && err.contains("chmod 600")
                    && err.lines().count() == 1,
                "{alg} mode {loose:o}: {err:?}"
            );
        }
    }

    // The store's own signing key too.
    let home = tempfile::tempdir().unwrap();
    let key = keygen(home.path(), "ES256", "k");
    fs::set_permissions(&key, fs::Permissions::from_mode(0o644)).unwrap();
    let o = run(
        home.path(),
        &["mint".into(), "--scopes".into(), "agents:read".into()],
    );
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("readable by others"));
}

/// A key or secret given where a file name (or an id) belongs — the CI mistake
/// `--key "$SIGNING_KEY"` — is refused in one line that says so, and never echoed:
/// not by clap's "unexpected argument '…'", not as "cannot read <path>", not by doctor
/// on stdout. `--key-content` typed in argv works, with a warning that argv is public.
#[test]
fn a_key_given_where_a_file_name_belongs_is_never_echoed() {
    #[rustfmt::skip]
    let rows: Vec<(Vec<&str>, Option<&str>)> = vec![
        // (arguments, what the one-line error must say; None: any outcome, no leak)
        (vec!["mint", "--key", "{KEY_TEXT}", "-s", "agents:read"], Some("not a file name")),
        (vec!["mint", "--key={KEY_TEXT}", "-s", "agents:read"], Some("not a file name")),
        (vec!["mint", "--sub", "{KEY_TEXT}", "-s", "agents:read"], None),
        (vec!["mint", "--sub={KEY_TEXT}", "-s", "agents:read"], None),
        (vec!["mint", "--batch", "{KEY_TEXT}", "-s", "agents:read"], Some("not a file name")),
        (vec!["mint", "--claims", "@{KEY_TEXT}", "-s", "agents:read"], Some("not a file name")),
        (vec!["export", "--key", "{KEY_TEXT}"], Some("not a file name")),
        (vec!["export", "--key={KEY_TEXT}", "--format", "jwk"], Some("not a file name")),
        (vec!["jwks", "add", "--key={KEY_TEXT}"], Some("not a file name")),
        (vec!["jwks", "add", "--key", "{KEY_TEXT}"], Some("not a file name")),
        (vec!["verify", "{TOKEN}", "--key={KEY_TEXT}"], Some("not a file name")),
        (vec!["verify", "{TOKEN}", "--jwks={KEY_TEXT}"], Some("not a file name")),
        (vec!["inspect", "--sub", "{KEY_TEXT}"], None),
        (vec!["env:AGENTOS_AUTH_KEY_FILE={KEY_TEXT}", "mint", "-s", "agents:read"], Some("not a file name")),
        (vec!["env:JWT_JWKS_FILE={KEY_TEXT}", "doctor"], None),
        (vec!["env:JWT_JWKS_FILE={KEY_TEXT}", "doctor", "--json"], None),
        (vec!["env:JWT_JWKS_FILE={KEY_TEXT}", "verify", "{TOKEN}"], None),
    ];
    let mut checked = 0;
    for alg in ["RS256", "ES256", "HS256"] {
        let home = tempfile::tempdir().unwrap();
        let key_file = keygen(home.path(), alg, "SIGNING");
        let secret = Secret::of_file(alg, &key_file);
        let key_text = fs::read_to_string(&key_file).unwrap();
        let token = run(
            home.path(),
            &["mint".into(), "-s".into(), "agents:read".into()],
        );
        assert!(token.status.success());
        let token = String::from_utf8(token.stdout).unwrap().trim().to_string();
        for (args, needle) in &rows {
            if alg == "HS256" && args.iter().any(|a| a.starts_with("--sub")) {
                // A secret is no PEM: as --sub it is a (strange) user id, minted as asked.
                continue;
            }
            let fill = |a: &str| {
                a.replace("{KEY_TEXT}", &key_text)
                    .replace("{TOKEN}", &token)
            };
            let (env, args): (Vec<&str>, Vec<&str>) =
                args.iter().partition(|a| a.starts_with("env:"));
            let args: Vec<String> = args.iter().map(|a| fill(a)).collect();
            let mut cmd = bin();
            cmd.arg("--home").arg(home.path()).args(&args);
            for e in env {
                let (name, value) = e["env:".len()..].split_once('=').unwrap();
                cmd.env(name, fill(value));
            }
            let o = cmd.output().unwrap();
            let shown = args.join(" ").replace(&key_text, "KEY");
            for (stream, bytes) in [("stdout", &o.stdout), ("stderr", &o.stderr)] {
                let text = String::from_utf8_lossy(bytes);
                if let Some(form) = secret.leaked_in(&text) {
                    panic!("{alg}: `{shown}` echoed the key on {stream} ({form:?}):\n{text}");
                }
                assert!(!text.contains("BEGIN PRIVATE"), "{alg}: `{shown}`: {text}");
            }
            if let Some(needle) = needle {
                // A PEM as a separate argument starts with '-': clap refuses it (usage, 2).
                let separate = args.contains(&key_text);
                let code = if separate && key_text.starts_with('-') {
                    2
                } else {
                    1
                };
                common::assert_one_line_error(&o, code, needle);
                assert!(
                    String::from_utf8_lossy(&o.stderr).contains("AGENTOS_AUTH_KEY"),
                    "{alg}: `{shown}` does not point at AGENTOS_AUTH_KEY"
                );
            } else if args.iter().any(|a| a.starts_with("--sub")) {
                // A PEM subject is refused (the token would carry the key): by clap when
                // it is a separate argument starting with '-', else by mint.
                let separate = args.contains(&key_text);
                assert_eq!(
                    o.status.code(),
                    Some(if separate { 2 } else { 1 }),
                    "{alg}: `{shown}`"
                );
                assert!(o.stdout.is_empty(), "{alg}: `{shown}`");
            }
            checked += 1;
        }
        // --key-content typed on the command line: works, and warns that argv is public.
        let mut args = vec!["mint".to_string(), "--key-content".into(), key_text.clone()];
        if alg == "HS256" {
            args.extend(["--alg".into(), "HS256".into()]);
        }
        args.extend(["-s".into(), "agents:read".into()]);
        let o = run(home.path(), &args);
        assert!(
            o.status.success(),
            "{alg}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("/proc") && err.contains("AGENTOS_AUTH_KEY"),
            "{alg}: {err}"
        );
        assert!(secret.leaked_in(&err).is_none(), "{alg}: {err}");
        // The same key from the environment: no warning.
        let o = bin()
            .arg("--home")
            .arg(home.path())
            .env("AGENTOS_AUTH_KEY", &key_text)
            .arg("mint")
            .args(&args[3..])
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "{alg}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(
            o.stderr.is_empty(),
            "{alg}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    let sub_rows = rows
        .iter()
        .filter(|(a, _)| a.iter().any(|a| a.starts_with("--sub")))
        .count();
    assert_eq!(checked, 3 * rows.len() - sub_rows);
}
