//! Encrypted PKCS#8 private keys: those OpenSSL 3 and Python `cryptography` write are
//! read (mint, export, jwks add), ours are read by them; a wrong or missing password
//! is one line, exit 1, and nothing is written. The tests with `openssl` and the interop
//! venv are `#[cfg(feature = "interop")]`.
//! Also the key-parsing interop fixes: a JWK's own kid, HS256 secrets and a trailing CR.

use crate::common;

use std::path::Path;
use std::process::Command;

use common::{assert_one_line_error, bin, ok_stdout, write};
#[cfg(feature = "interop")]
use {
    base64::engine::general_purpose::URL_SAFE_NO_PAD,
    base64::Engine as _,
    common::{harness, venv_python},
    serde_json::{json, Value},
    std::fs,
};

const PASSWORD: &str = "correct horse battery";

#[cfg(feature = "interop")]
fn openssl(args: &[&str]) -> String {
    let o = Command::new("openssl")
        .args(args)
        .output()
        .expect("openssl missing: run .ci/setup-softhsm");
    assert!(
        o.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[cfg(feature = "interop")]
fn python(script: &str, args: &[&str]) -> String {
    let o = Command::new(venv_python())
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "python: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn p(path: &Path) -> String {
    path.display().to_string()
}

/// The public PEM of a plain key, by our export (the reference for each case).
#[cfg(feature = "interop")]
fn public_of(plain: &Path) -> String {
    ok_stdout(bin().args(["export", "--key"]).arg(plain))
}

#[cfg(feature = "interop")]
#[test]
fn keys_encrypted_by_openssl_and_cryptography_are_read() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    let pw = write(dir, "pw", &format!("{PASSWORD}\n"));
    let pass = format!("file:{}", p(&pw));
    let rsa_plain = dir.join("rsa.pem");
    let ec_plain = dir.join("ec.pem");
    openssl(&[
        "genpkey",
        "-algorithm",
        "RSA",
        "-pkeyopt",
        "rsa_keygen_bits:2048",
        "-out",
        &p(&rsa_plain),
    ]);
    openssl(&[
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-out",
        &p(&ec_plain),
    ]);
    let mut cases = Vec::new();
    // openssl genpkey -aes256 -pass file:… (PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC)
    let f = dir.join("genpkey-aes256.pem");
    openssl(&[
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-aes256",
        "-pass",
        &pass,
        "-out",
        &p(&f),
    ]);
    let plain = dir.join("genpkey-plain.pem");
    openssl(&["pkey", "-in", &p(&f), "-passin", &pass, "-out", &p(&plain)]);
    cases.push((f, plain, "ES256"));
    // openssl pkcs8 -topk8 -v2 aes-256-cbc (PBKDF2) and with -scrypt.
    for (name, extra) in [("pkcs8-pbkdf2", vec![]), ("pkcs8-scrypt", vec!["-scrypt"])] {
        for (plain, alg) in [(&rsa_plain, "RS256"), (&ec_plain, "ES256")] {
            let f = dir.join(format!("{name}-{alg}.pem"));
            let mut args = vec![
                "pkcs8",
                "-topk8",
                "-v2",
                "aes-256-cbc",
                "-in",
                plain.to_str().unwrap(),
                "-passout",
                &pass,
                "-out",
                f.to_str().unwrap(),
            ];
            args.extend(extra.iter().copied());
            openssl(&args);
            cases.push((f, plain.clone(), alg));
        }
    }
    // Python cryptography, BestAvailableEncryption.
    let f = dir.join("cryptography.pem");
    python(
        "import sys\nfrom cryptography.hazmat.primitives import serialization as s\nk = s.load_pem_private_key(open(sys.argv[1], 'rb').read(), None)\nopen(sys.argv[2], 'wb').write(k.private_bytes(s.Encoding.PEM, s.PrivateFormat.PKCS8, s.BestAvailableEncryption(sys.argv[3].encode())))",
        &[&p(&rsa_plain), &p(&f), PASSWORD],
    );
    cases.push((f, rsa_plain.clone(), "RS256"));

    for (file, plain, alg) in &cases {
        let text = fs::read_to_string(file).unwrap();
        assert!(
            text.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"),
            "{}",
            file.display()
        );
        // export reads it (the public key is the plain key's).
        let public = ok_stdout(
            bin()
                .arg("--password-file")
                .arg(&pw)
                .args(["export", "--key"])
                .arg(file),
        );
        assert_eq!(public, public_of(plain), "{}", file.display());
        // mint signs with it (password from the environment this time); verify agrees.
        let token = ok_stdout(
            bin()
                .env("AGENTOS_AUTH_PASSWORD_FILE", &pw)
                .args(["mint", "--aud", "os", "--scopes", "agents:read", "--key"])
                .arg(file),
        );
        let public_file = write(dir, "public.pem", &public);
        let o = bin()
            .args(["verify", "--alg", alg, "--key"])
            .arg(&public_file)
            .arg(token.trim())
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "{}: {}",
            file.display(),
            String::from_utf8_lossy(&o.stdout)
        );
    }
}

#[cfg(feature = "interop")]
#[test]
fn our_encrypted_keys_are_read_by_openssl_and_cryptography() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    let pw = write(dir, "pw", &format!("{PASSWORD}\r\n"));
    ok_stdout(
        bin()
            .arg("--password-file")
            .arg(&pw)
            .args(["keygen", "--alg", "ES256", "--encrypt", "--out-dir"])
            .arg(dir),
    );
    let key = dir.join("agentos.key.pem");
    let text = fs::read_to_string(&key).unwrap();
    assert!(
        text.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"),
        "{text}"
    );
    // OpenSSL: the scheme we claim, and the same public key.
    let pw_lf = write(dir, "pw-lf", &format!("{PASSWORD}\n"));
    let pass = format!("file:{}", p(&pw_lf));
    let asn1 = openssl(&["asn1parse", "-in", &p(&key)]);
    for needle in ["PBES2", "PBKDF2", "hmacWithSHA256", "aes-256-cbc", "927C0"] {
        assert!(asn1.contains(needle), "{needle} not in:\n{asn1}");
    }
    let public = openssl(&["pkey", "-in", &p(&key), "-passin", &pass, "-pubout"]);
    assert_eq!(
        public,
        fs::read_to_string(dir.join("agentos.pub.pem")).unwrap()
    );
    // cryptography.
    let out = python(
        "import sys\nfrom cryptography.hazmat.primitives import serialization as s\nk = s.load_pem_private_key(open(sys.argv[1], 'rb').read(), sys.argv[2].encode())\nprint(k.public_key().public_bytes(s.Encoding.PEM, s.PublicFormat.SubjectPublicKeyInfo).decode(), end='')",
        &[&p(&key), PASSWORD],
    );
    assert_eq!(out, public);

    // Into the key store, encrypted; mint signs with it given the password.
    let home = dir.join("home");
    ok_stdout(
        bin()
            .arg("--home")
            .arg(&home)
            .arg("--password-file")
            .arg(&pw)
            .args(["keygen", "--alg", "RS256", "--encrypt", "--aud", "os"]),
    );
    let ring: Value =
        serde_json::from_slice(&fs::read(home.join("keys/keyring.json")).unwrap()).unwrap();
    let file = home
        .join("keys")
        .join(ring["keys"][0]["private_key"].as_str().unwrap());
    assert!(fs::read_to_string(&file)
        .unwrap()
        .starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
    let token = ok_stdout(
        bin()
            .arg("--home")
            .arg(&home)
            .arg("--password-file")
            .arg(&pw)
            .args(["mint", "--scopes", "agents:read"]),
    );
    let o = bin()
        .arg("--home")
        .arg(&home)
        .args(["verify", "--jwks"])
        .arg(home.join("jwks.json"))
        .arg(token.trim())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));

    // HS256 secrets are not encrypted (AgentOS needs the secret itself).
    let o = bin()
        .arg("--password-file")
        .arg(&pw)
        .args(["keygen", "--alg", "HS256", "--encrypt", "--out-dir"])
        .arg(dir.join("hs"))
        .output()
        .unwrap();
    assert_one_line_error(&o, 1, "--encrypt applies to RS256/ES256 private keys");
    // keygen --encrypt without a password and without a terminal.
    let o = bin()
        .args(["keygen", "--encrypt", "--out-dir"])
        .arg(dir.join("nopw"))
        .output()
        .unwrap();
    assert_one_line_error(&o, 1, "--password-file");
    assert!(!dir.join("nopw").exists());
}

#[test]
fn wrong_or_missing_password_is_one_line_and_writes_nothing() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    let pw = write(dir, "pw", PASSWORD);
    let bad = write(dir, "bad", "not it\n");
    ok_stdout(
        bin()
            .arg("--password-file")
            .arg(&pw)
            .args(["keygen", "--alg", "ES256", "--encrypt", "--out-dir"])
            .arg(dir),
    );
    let key = dir.join("agentos.key.pem");
    let jwks = dir.join("jwks.json");
    for (args, needle) in [
        (
            vec!["--password-file", bad.to_str().unwrap()],
            "wrong password for this encrypted private key",
        ),
        (
            vec![],
            "is an encrypted private key and no password was given (pass --password-file FILE",
        ),
    ] {
        for cmd in [
            vec!["mint", "--aud", "os", "--scopes", "agents:read", "--key"],
            vec!["export", "--key"],
            vec!["jwks", "add", "--jwks", jwks.to_str().unwrap(), "--key"],
        ] {
            let o = bin().args(&args).args(&cmd).arg(&key).output().unwrap();
            assert_one_line_error(&o, 1, needle);
            assert!(!jwks.exists(), "{cmd:?} wrote {}", jwks.display());
        }
    }
    // An empty password file is refused, not taken as the empty password.
    let empty = write(dir, "empty", "\n");
    let o = bin()
        .arg("--password-file")
        .arg(&empty)
        .args(["export", "--key"])
        .arg(&key)
        .output()
        .unwrap();
    assert_one_line_error(&o, 1, "first line is empty");
}

#[cfg(feature = "interop")]
#[test]
fn a_private_jwks_own_kid_is_used_by_mint_export_and_jwks_add() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    ok_stdout(
        bin()
            .args(["keygen", "--alg", "ES256", "--out-dir"])
            .arg(dir),
    );
    // A private JWK with its own kid (as jose/jwcrypto write it).
    let pem = fs::read_to_string(dir.join("agentos.key.pem")).unwrap();
    let private = python(
        "import sys, json, base64\nfrom cryptography.hazmat.primitives import serialization as s\nk = s.load_pem_private_key(sys.argv[1].encode(), None)\nn = k.private_numbers()\nb = lambda i: base64.urlsafe_b64encode(i.to_bytes(32, 'big')).rstrip(b'=').decode()\nprint(json.dumps({'kty': 'EC', 'crv': 'P-256', 'kid': 'team-key-7', 'x': b(n.public_numbers.x), 'y': b(n.public_numbers.y), 'd': b(n.private_value)}))",
        &[&pem],
    );
    let jwk_file = write(dir, "private.jwk", &private);
    let token = ok_stdout(
        bin()
            .args(["mint", "--aud", "os", "--scopes", "agents:read", "--key"])
            .arg(&jwk_file),
    );
    let header: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(token.trim().split('.').next().unwrap())
            .unwrap(),
    )
    .unwrap();
    assert_eq!(header["kid"], "team-key-7");
    let exported: Value = serde_json::from_str(&ok_stdout(
        bin()
            .args(["export", "--format", "jwk", "--key"])
            .arg(&jwk_file),
    ))
    .unwrap();
    assert_eq!(exported["kid"], "team-key-7");
    let jwks = dir.join("jwks.json");
    ok_stdout(
        bin()
            .args(["jwks", "add", "--jwks"])
            .arg(&jwks)
            .arg("--key")
            .arg(&jwk_file),
    );
    // One key file, one kid: the JWKS it publishes verifies the tokens it mints.
    let o = bin()
        .args(["verify", "--alg", "ES256", "--jwks"])
        .arg(&jwks)
        .arg(token.trim())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
}

#[cfg(feature = "interop")]
#[test]
fn hs256_secret_files_keep_a_trailing_carriage_return() {
    let d = tempfile::tempdir().unwrap();
    // `$(cat f)` of a CRLF file is "s3cret-value\r": that is the secret AgentOS gets.
    let secret = write(d.path(), "crlf.secret", "s3cret-value-0123456789\r\n");
    let token = ok_stdout(
        bin()
            .args([
                "mint",
                "--alg",
                "HS256",
                "--aud",
                "os",
                "--scopes",
                "agents:read",
                "--key",
            ])
            .arg(&secret),
    );
    let out = harness(
        &json!({"mode": "pyjwt", "token": token.trim(), "key": "s3cret-value-0123456789\r", "algorithms": ["HS256"], "audience": "os"}),
    );
    assert_eq!(out["ok"], true, "{out}");
    let out = harness(
        &json!({"mode": "pyjwt", "token": token.trim(), "key": "s3cret-value-0123456789", "algorithms": ["HS256"], "audience": "os"}),
    );
    assert_eq!(out["ok"], false, "{out}");
}

/// At a terminal (a real pseudo-terminal, rexpect) the password is asked, hidden:
/// twice for a new key, once to read one.
/// Types `secret` at a hidden prompt once the terminal no longer echoes. The prompt's text
/// comes before its switch to no-echo, and that switch may discard input already typed
/// (a loaded machine then waits for a password that was thrown away): wait for it.
fn type_secret(s: &mut rexpect::session::PtySession, secret: &str) {
    use std::os::fd::AsRawFd;
    let pty = s.process().get_file_handle().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        // SAFETY: a zeroed termios is a valid out-parameter; the fd is open for the call.
        let mut t: libc::termios = unsafe { std::mem::zeroed() };
        assert_eq!(unsafe { libc::tcgetattr(pty.as_raw_fd(), &mut t) }, 0);
        if t.c_lflag & libc::ECHO == 0 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the terminal still echoes: no hidden prompt"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    s.send_line(secret).unwrap();
}

#[test]
fn the_password_is_asked_at_a_terminal() {
    use rexpect::process::WaitStatus;
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    let command = |args: &[&str]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_agentos-auth"));
        c.args(args);
        for (name, _) in std::env::vars_os() {
            let Some(name) = name.to_str() else { continue };
            if name.starts_with("AGENTOS_AUTH_") || name.starts_with("JWT_") || name == "CI" {
                c.env_remove(name);
            }
        }
        c.env("XDG_CONFIG_HOME", common::UNUSABLE_CONFIG_HOME)
            .env("TERM", "xterm")
            .env("NO_COLOR", "1");
        c
    };
    let out_dir = p(dir);
    let mut s = rexpect::session::spawn_command(
        command(&[
            "keygen",
            "--alg",
            "ES256",
            "--encrypt",
            "--out-dir",
            &out_dir,
        ]),
        Some(60_000),
    )
    .unwrap();
    s.exp_string("Password for the new private key").unwrap();
    type_secret(&mut s, PASSWORD);
    s.exp_string("Repeat it").unwrap();
    type_secret(&mut s, PASSWORD);
    let rest = s.exp_eof().unwrap();
    assert!(!rest.contains(PASSWORD), "the password was echoed: {rest}");
    assert!(
        matches!(s.process().wait().unwrap(), WaitStatus::Exited(_, 0)),
        "{rest}"
    );
    let key = dir.join("agentos.key.pem");
    let pw = write(dir, "pw", PASSWORD);
    let public = ok_stdout(
        bin()
            .arg("--password-file")
            .arg(&pw)
            .args(["export", "--key"])
            .arg(&key),
    );
    let key_arg = p(&key);
    let mut s =
        rexpect::session::spawn_command(command(&["export", "--key", &key_arg]), Some(60_000))
            .unwrap();
    s.exp_string(&format!("Password for {key_arg}")).unwrap();
    type_secret(&mut s, PASSWORD);
    let rest = s.exp_eof().unwrap();
    assert!(rest.contains(public.lines().nth(1).unwrap()), "{rest}");
    assert!(
        matches!(s.process().wait().unwrap(), WaitStatus::Exited(_, 0)),
        "{rest}"
    );
}
