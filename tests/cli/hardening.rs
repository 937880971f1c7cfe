//! Hardening round 2 (issue 13): who may write the key store, where ring paths may
//! point, symlinked files, FIFOs and held locks, large JWKS files, partial failures,
//! core dumps, and terminal escapes in human output. Every test here failed on the
//! code before the fix it is about.
//!
//! Tests that could hang on the old code (a FIFO, a held lock) run the binary with a
//! deadline ([`run_bounded`]): past it the process is killed and the test fails.

use crate::common;

use std::fs;
use std::io::Read;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use agentos_auth::keys::{Alg, Key};
use agentos_auth::token;
use common::{assert_one_line_error, bin, stderr, write};
use serde_json::{json, Map, Value};

/// An uid that is not ours and owns nothing (the "other user" of the store).
const OTHER_UID: u32 = 54321;

/// Runs the binary with `args` (after a clean environment, see [`common::bin`]) and
/// kills it after `deadline`: a hang fails the test instead of blocking the suite.
fn run_bounded(args: &[&str], deadline: Duration) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_agentos-auth"));
    for (name, _) in std::env::vars_os() {
        if name
            .to_str()
            .is_some_and(|n| n.starts_with("AGENTOS_AUTH_") || n.starts_with("JWT_"))
        {
            cmd.env_remove(name);
        }
    }
    let mut child = cmd
        .args(args)
        .env("CI", "true")
        .env("XDG_CONFIG_HOME", common::UNUSABLE_CONFIG_HOME)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start agentos-auth");
    // Drain both pipes while waiting: a full pipe would block the child.
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = r.read_to_end(&mut buf);
            buf
        })
    };
    let out = drain(Box::new(child.stdout.take().expect("piped stdout")));
    let err = drain(Box::new(child.stderr.take().expect("piped stderr")));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "agentos-auth {args:?} still running after {deadline:?} (killed); stderr: {}",
                String::from_utf8_lossy(&err.join().unwrap_or_default())
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: out.join().expect("stdout reader"),
        stderr: err.join().expect("stderr reader"),
    }
}

fn ok(o: &Output) {
    assert!(o.status.success(), "failed: {}", stderr(o));
}

/// A key store with an ES256 signing key (kid `main`) and audience `os`.
fn store(dir: &Path) -> PathBuf {
    let home = dir.join("store");
    let o = bin()
        .args(["--home"])
        .arg(&home)
        .args(["keygen", "--alg", "ES256", "--kid", "main", "--aud", "os"])
        .output()
        .unwrap();
    ok(&o);
    home
}

fn home_args(home: &Path) -> Vec<String> {
    vec!["--home".into(), home.display().to_string()]
}

fn run(home: &Path, args: &[&str]) -> Output {
    bin().args(home_args(home)).args(args).output().unwrap()
}

fn kids(jwks: &Path) -> Vec<String> {
    let v: Value = serde_json::from_slice(&fs::read(jwks).unwrap()).unwrap();
    v["keys"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|k| k["kid"].as_str().map(str::to_string))
        .collect()
}

fn chmod(p: &Path, mode: u32) {
    fs::set_permissions(p, fs::Permissions::from_mode(mode)).unwrap();
}

fn chown(p: &Path, uid: u32) {
    std::os::unix::fs::chown(p, Some(uid), Some(uid)).unwrap();
}

// ---- item 2: the store trusts only its owner ----

#[test]
fn a_store_or_key_dir_others_can_write_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let home = store(dir.path());
    // World-writable store: refused by every command that uses it.
    chmod(&home, 0o777);
    for args in [
        &["mint", "--scopes", "agents:read"][..],
        &["keygen", "--alg", "ES256", "--kid", "k2"],
        &["jwks", "list"],
    ] {
        let o = run(&home, args);
        assert_one_line_error(&o, 3, "writable by everyone");
    }
    chmod(&home, 0o700);
    // Group-writable key dir.
    chmod(&home.join("keys"), 0o770);
    let o = run(&home, &["mint", "--scopes", "agents:read"]);
    assert_one_line_error(&o, 3, "writable by its group");
    chmod(&home.join("keys"), 0o700);
    ok(&run(&home, &["mint", "--scopes", "agents:read"]));
}

#[test]
fn a_store_owned_by_another_user_is_refused_even_for_root() {
    // The attack: another user owns the store (mode 0777) and replaced keyring.json and
    // jwks.json with her own key; root's next mint must not sign with it.
    let dir = tempfile::tempdir().unwrap();
    let home = store(dir.path());
    let hers = dir.path().join("hers");
    let o = bin()
        .args(["keygen", "--alg", "ES256", "--out-dir"])
        .arg(&hers)
        .output()
        .unwrap();
    ok(&o);
    fs::copy(hers.join("agentos.key.pem"), home.join("keys/main.key.pem")).unwrap();
    for p in [
        home.clone(),
        home.join("keys"),
        home.join("keys/main.key.pem"),
    ] {
        chown(&p, OTHER_UID);
    }
    let o = run(&home, &["mint", "--scopes", "agents:read"]);
    assert_one_line_error(&o, 3, &format!("owned by uid {OTHER_UID}, not by you"));
    // Only the key file foreign (the directories ours again): still refused.
    chown(&home, 0);
    chown(&home.join("keys"), 0);
    let o = run(&home, &["mint", "--scopes", "agents:read"]);
    assert_one_line_error(&o, 3, "main.key.pem: it is owned by uid");
}

#[test]
fn verify_warns_about_a_secret_others_can_read() {
    let dir = tempfile::tempdir().unwrap();
    let key = Key::generate(Alg::HS256, 0).unwrap();
    let secret = write(dir.path(), "hs.secret", key.secret().unwrap());
    chmod(&secret, 0o644);
    let signer = key.signer().unwrap();
    let mut claims = Map::new();
    claims.insert("sub".into(), "u".into());
    let jwt = token::encode(&token::header(&signer, None), &claims, &signer).unwrap();
    let o = bin()
        .args(["verify", "--alg", "HS256", "--key"])
        .arg(&secret)
        .arg(&jwt)
        .output()
        .unwrap();
    ok(&o);
    let err = stderr(&o);
    assert!(err.contains("is readable by others (mode 644)"), "{err}");
    assert!(!err.contains(key.secret().unwrap()), "{err}");
}

// ---- item 3: ring paths stay inside the key dir ----

fn edit_ring(home: &Path, f: impl FnOnce(&mut Value)) {
    let path = home.join("keys/keyring.json");
    let mut v: Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
    f(&mut v);
    fs::write(&path, serde_json::to_vec_pretty(&v).unwrap()).unwrap();
}

#[test]
fn ring_paths_outside_the_key_dir_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let home = store(dir.path());
    let o = run(
        &home,
        &["jwks", "rotate", "--alg", "ES256", "--kid", "second"],
    );
    ok(&o);
    let victim = write(dir.path(), "victim2.txt", "not a key\n");
    let outside = write(dir.path(), "outside.key.pem", "secret of someone else\n");
    for (member, value) in [
        ("private_key", outside.display().to_string()),
        ("private_key", "../../victim2.txt".to_string()),
        ("public_key", "/etc/passwd".to_string()),
        ("private_key", "..".to_string()),
    ] {
        let before = fs::read(home.join("keys/keyring.json")).unwrap();
        edit_ring(&home, |v| {
            for k in v["keys"].as_array_mut().unwrap() {
                k[member] = Value::from(value.clone());
            }
        });
        for args in [
            &["mint", "--scopes", "agents:read"][..],
            &["jwks", "remove", "--kid", "main"],
        ] {
            let o = run(&home, args);
            assert_one_line_error(&o, 1, "is not a file name inside the key directory");
        }
        assert_eq!(fs::read(&victim).unwrap(), b"not a key\n");
        assert!(outside.exists());
        fs::write(home.join("keys/keyring.json"), before).unwrap();
    }
}

// ---- item 4: symlinked files are written through; lock files are not followed ----

#[test]
fn symlinked_jwks_keyring_and_settings_are_written_through() {
    let dir = tempfile::tempdir().unwrap();
    let home = store(dir.path());
    // The JWKS AgentOS reads lives elsewhere (a config-management or Kubernetes mount);
    // the store's files are links to it.
    let srv = dir.path().join("srv");
    fs::create_dir(&srv).unwrap();
    for (name, at) in [
        ("jwks.json", home.join("jwks.json")),
        ("settings.json", home.join("settings.json")),
    ] {
        fs::rename(&at, srv.join(name)).unwrap();
        symlink(srv.join(name), &at).unwrap();
    }
    // A relative link for the keyring.
    fs::rename(home.join("keys/keyring.json"), srv.join("keyring.json")).unwrap();
    symlink("../../srv/keyring.json", home.join("keys/keyring.json")).unwrap();

    ok(&run(&home, &["jwks", "rotate", "--kid", "next"]));
    ok(&run(
        &home,
        &[
            "keygen", "--alg", "ES256", "--kid", "third", "--aud", "os2", "--force",
        ],
    ));
    for name in ["jwks.json", "settings.json"] {
        let m = fs::symlink_metadata(home.join(name)).unwrap();
        assert!(m.file_type().is_symlink(), "{name} was replaced by a file");
    }
    assert!(fs::symlink_metadata(home.join("keys/keyring.json"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(kids(&srv.join("jwks.json")), ["main", "next", "third"]);
    let ring: Value = serde_json::from_slice(&fs::read(srv.join("keyring.json")).unwrap()).unwrap();
    assert_eq!(ring["signing_kid"], "third");
    let settings: Value =
        serde_json::from_slice(&fs::read(srv.join("settings.json")).unwrap()).unwrap();
    assert_eq!(settings["aud"], "os2");
    // mint --jwks LINK checks the file the link points to.
    let o = bin()
        .args([
            "mint",
            "--scopes",
            "agents:read",
            "--aud",
            "os",
            "--key-dir",
        ])
        .arg(home.join("keys"))
        .arg("--jwks")
        .arg(home.join("jwks.json"))
        .output()
        .unwrap();
    ok(&o);
}

#[test]
fn a_planted_lock_symlink_is_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let home = store(dir.path());
    let elsewhere = dir.path().join("other-user");
    fs::create_dir(&elsewhere).unwrap();
    let lock = home.join("jwks.json.lock");
    let _ = fs::remove_file(&lock);
    symlink(elsewhere.join("created-by-root"), &lock).unwrap();
    let pub_key = dir.path().join("p");
    ok(&bin()
        .args(["keygen", "--alg", "ES256", "--out-dir"])
        .arg(&pub_key)
        .output()
        .unwrap());
    let o = run(
        &home,
        &[
            "jwks",
            "add",
            "--key",
            &pub_key.join("agentos.pub.pem").display().to_string(),
        ],
    );
    assert_one_line_error(&o, 3, "it is a symbolic link");
    assert!(!elsewhere.join("created-by-root").exists());
}

// ---- item 6: FIFOs and other non-regular files; held locks ----

fn mkfifo(p: &Path) {
    let c = std::ffi::CString::new(p.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(
        unsafe { libc::mkfifo(c.as_ptr(), 0o600) },
        0,
        "mkfifo {}",
        p.display()
    );
}

#[test]
fn a_fifo_where_a_file_is_read_is_refused_not_waited_on() {
    let dir = tempfile::tempdir().unwrap();
    let home = store(dir.path());
    let fifo = dir.path().join("fifo");
    mkfifo(&fifo);
    let f = fifo.display().to_string();
    let h = home.display().to_string();
    let claims_at = format!("@{f}");
    let cases: Vec<Vec<&str>> = vec![
        vec![
            "mint",
            "--key",
            &f,
            "--aud",
            "os",
            "--scopes",
            "agents:read",
        ],
        vec![
            "mint",
            "--home",
            &h,
            "--scopes",
            "agents:read",
            "--claims",
            &claims_at,
        ],
        vec![
            "mint",
            "--home",
            &h,
            "--scopes",
            "agents:read",
            "--batch",
            &f,
        ],
        vec!["jwks", "list", "--jwks", &f],
        vec!["jwks", "add", "--jwks", &f, "--key", &f],
        vec!["export", "--key", &f],
        vec!["verify", "--key", &f, "eyJhbGciOiJSUzI1NiJ9.e30.c2ln"],
        vec!["verify", "--jwks", &f, "eyJhbGciOiJSUzI1NiJ9.e30.c2ln"],
    ];
    for args in &cases {
        let o = run_bounded(args, Duration::from_secs(30));
        assert_one_line_error(&o, 3, "a named pipe (FIFO), not a regular file");
    }
    // Store files that are FIFOs: settings, keyring, the signing key.
    for name in ["settings.json", "keys/keyring.json", "signing key"] {
        let name = if name == "signing key" {
            let ring: Value =
                serde_json::from_slice(&fs::read(home.join("keys/keyring.json")).unwrap()).unwrap();
            let signing = ring["signing_kid"].as_str().unwrap();
            let entry = ring["keys"]
                .as_array()
                .unwrap()
                .iter()
                .find(|e| e["kid"] == signing)
                .unwrap();
            format!("keys/{}", entry["private_key"].as_str().unwrap())
        } else {
            name.to_string()
        };
        let path = home.join(&name);
        let saved = fs::read(&path).ok();
        let _ = fs::remove_file(&path);
        mkfifo(&path);
        let o = run_bounded(
            &["--home", &h, "mint", "--scopes", "agents:read"],
            Duration::from_secs(30),
        );
        assert_one_line_error(&o, 3, "not a regular file");
        // rotate may not need that file; it must not hang on it either way.
        let o = run_bounded(&["--home", &h, "jwks", "rotate"], Duration::from_secs(30));
        assert!(
            matches!(o.status.code(), Some(0 | 3)),
            "{name}: {}",
            stderr(&o)
        );
        fs::remove_file(&path).unwrap();
        if let Some(b) = saved {
            fs::write(&path, b).unwrap();
            chmod(&path, 0o600);
        }
    }
}

#[test]
fn a_held_lock_is_announced_and_given_up_on_after_lock_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let home = store(dir.path());
    let lock = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(home.join("keys/keyring.json.lock"))
        .unwrap();
    fs4::fs_std::FileExt::lock_exclusive(&lock).unwrap();
    let h = home.display().to_string();
    let o = run_bounded(
        &["--home", &h, "--lock-timeout", "2s", "jwks", "rotate"],
        Duration::from_secs(60),
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(3), "{err}");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert!(lines[0].contains("waiting for the lock"), "{err}");
    assert!(
        lines[1].starts_with("agentos-auth: error: gave up after 2s waiting for the lock"),
        "{err}"
    );
    assert!(lines[1].contains("--lock-timeout"), "{err}");
    // Nothing changed: still one key.
    assert_eq!(kids(&home.join("jwks.json")), ["main"]);
    drop(lock);
    ok(&run(&home, &["jwks", "rotate", "--kid", "after"]));
}

// ---- item 5: the signing key and the last key need --force ----

#[test]
fn remove_finds_the_ring_that_signs_with_a_kid_through_the_jwks() {
    let dir = tempfile::tempdir().unwrap();
    let srv = dir.path().join("srv");
    let keys = dir.path().join("secure/keys");
    let jwks = srv.join("jwks.json");
    let j = jwks.display().to_string();
    let k = keys.display().to_string();
    for kid in ["old", "current"] {
        let o = bin()
            .args([
                "jwks",
                "rotate",
                "--alg",
                "ES256",
                "--jwks",
                &j,
                "--key-dir",
                &k,
                "--kid",
                kid,
            ])
            .output()
            .unwrap();
        ok(&o);
    }
    // Without --key-dir: the ring is found through srv/jwks.json.keyrings.
    let o = bin()
        .args(["jwks", "remove", "--jwks", &j, "--kid", "current"])
        .output()
        .unwrap();
    assert_one_line_error(&o, 1, "current is the signing key of the key ring");
    assert_eq!(kids(&jwks), ["old", "current"]);
    ok(&bin()
        .args(["jwks", "remove", "--jwks", &j, "--kid", "old"])
        .output()
        .unwrap());
    // The last key: AgentOS would refuse to start.
    let o = bin()
        .args([
            "jwks",
            "remove",
            "--jwks",
            &j,
            "--key-dir",
            &k,
            "--kid",
            "current",
            "--force",
        ])
        .output()
        .unwrap();
    ok(&o);
    let partner = dir.path().join("partner");
    ok(&bin()
        .args(["keygen", "--alg", "ES256", "--out-dir"])
        .arg(&partner)
        .output()
        .unwrap());
    let lone = srv.join("lone.json");
    let l = lone.display().to_string();
    ok(&bin()
        .args(["jwks", "add", "--jwks", &l, "--kid", "p1", "--key"])
        .arg(partner.join("agentos.pub.pem"))
        .output()
        .unwrap());
    let o = bin()
        .args(["jwks", "remove", "--jwks", &l, "--kid", "p1"])
        .output()
        .unwrap();
    assert_one_line_error(&o, 1, "p1 is the last key in");
    assert_eq!(kids(&lone), ["p1"]);
    ok(&bin()
        .args(["jwks", "remove", "--jwks", &l, "--kid", "p1", "--force"])
        .output()
        .unwrap());
}

#[test]
fn rotate_keep_1_and_prune_spare_the_key_that_just_signed() {
    let dir = tempfile::tempdir().unwrap();
    let home = store(dir.path());
    let o = run(&home, &["jwks", "rotate", "--kid", "new", "--keep", "1"]);
    ok(&o);
    let err = stderr(&o);
    assert!(
        err.contains("warning: kept main: it stopped signing"),
        "{err}"
    );
    assert!(err.contains("--ignore-token-lifetime"), "{err}");
    assert_eq!(kids(&home.join("jwks.json")), ["main", "new"]);
    let o = run(&home, &["jwks", "prune", "--keep", "1"]);
    ok(&o);
    assert!(stderr(&o).contains("warning: kept main"), "{}", stderr(&o));
    assert_eq!(kids(&home.join("jwks.json")), ["main", "new"]);
    // Told to: dropped, with a warning about its live tokens.
    let o = run(
        &home,
        &["jwks", "prune", "--keep", "1", "--ignore-token-lifetime"],
    );
    ok(&o);
    assert!(
        stderr(&o).contains("tokens it signed may live up to 1h"),
        "{}",
        stderr(&o)
    );
    assert_eq!(kids(&home.join("jwks.json")), ["new"]);
}

// ---- item 9: large JWKS ----

#[test]
fn a_jwks_the_tool_could_not_read_back_is_never_written() {
    let dir = tempfile::tempdir().unwrap();
    let one: Value = {
        let k = Key::generate(Alg::ES256, 0).unwrap();
        serde_json::to_value(k.public_jwk(Some("x")).unwrap()).unwrap()
    };
    // A JWKS 100 bytes under the 16 MiB read limit, pretty-printed as the tool writes
    // it (the last kid pads it to size).
    let limit = 16usize << 20;
    // Few keys with long kids: the size is what matters, and fewer keys parse faster.
    let n = 2_000;
    let mut keys: Vec<Value> = (0..n)
        .map(|i| {
            let mut k = one.clone();
            k["kid"] = Value::from(format!("k{i:07}-{}", "p".repeat(8000)));
            k
        })
        .collect();
    let size = serde_json::to_string_pretty(&json!({ "keys": keys }))
        .unwrap()
        .len();
    assert!(size < limit - 100, "{size}");
    let last = keys[n - 1]["kid"].as_str().unwrap().to_string();
    keys[n - 1]["kid"] = Value::from(format!("{last}{}", "p".repeat(limit - 100 - size)));
    let text = serde_json::to_string_pretty(&json!({ "keys": keys })).unwrap();
    assert_eq!(text.len(), limit - 100);
    let path = write(dir.path(), "big.json", &text);
    // One more key would pass the limit: refused, file unchanged.
    let partner = dir.path().join("p");
    ok(&bin()
        .args(["keygen", "--alg", "RS256", "--out-dir"])
        .arg(&partner)
        .output()
        .unwrap());
    let o = bin()
        .args(["jwks", "add", "--kid", "rsa", "--jwks"])
        .arg(&path)
        .arg("--key")
        .arg(partner.join("agentos.pub.pem"))
        .output()
        .unwrap();
    assert_one_line_error(&o, 1, "more than the 16 MiB agentos-auth reads back");
    assert_eq!(fs::read_to_string(&path).unwrap(), text);
    // Still readable, and remove still works on it.
    let o = bin()
        .args([
            "jwks",
            "remove",
            "--kid",
            keys[0]["kid"].as_str().unwrap(),
            "--jwks",
        ])
        .arg(&path)
        .output()
        .unwrap();
    ok(&o);
}

#[test]
fn the_401_message_names_a_few_kids_not_thousands() {
    let dir = tempfile::tempdir().unwrap();
    let k = Key::generate(Alg::ES256, 0).unwrap();
    let jwk = serde_json::to_value(k.public_jwk(Some("x")).unwrap()).unwrap();
    let keys: Vec<Value> = (0..5000)
        .map(|i| {
            let mut j = jwk.clone();
            j["kid"] = Value::from(format!("kid-number-{i:05}"));
            j
        })
        .collect();
    let path = write(
        dir.path(),
        "jwks.json",
        &json!({ "keys": keys }).to_string(),
    );
    let signer = k.signer().unwrap();
    let mut claims = Map::new();
    claims.insert("sub".into(), "u".into());
    let jwt = token::encode(&token::header(&signer, Some("unknown")), &claims, &signer).unwrap();
    let o = bin()
        .args(["verify", "--alg", "ES256", "--jwks"])
        .arg(&path)
        .arg(&jwt)
        .output()
        .unwrap();
    assert_one_line_error(&o, 10, "and 4995 more");
    assert!(o.stderr.len() < 1000, "{} bytes", o.stderr.len());
}

#[test]
fn jwks_list_of_40k_keys_finishes() {
    // Quadratic duplicate-kid checks made this take minutes (40k keys: 28 s in a release
    // build, far longer in the debug build tests run); linear, seconds. The deadline is
    // a hang guard with a wide margin, not a timing assertion.
    let dir = tempfile::tempdir().unwrap();
    let k = Key::generate(Alg::ES256, 0).unwrap();
    let mut jwk = serde_json::to_value(k.public_jwk(Some("x")).unwrap()).unwrap();
    jwk.as_object_mut().unwrap().remove("use");
    jwk.as_object_mut().unwrap().remove("alg");
    let keys: Vec<Value> = (0..40_000)
        .map(|i| {
            let mut j = jwk.clone();
            j["kid"] = Value::from(format!("k{i:06}"));
            j
        })
        .collect();
    let path = write(
        dir.path(),
        "jwks.json",
        &json!({ "keys": keys }).to_string(),
    );
    let p = path.display().to_string();
    let o = run_bounded(
        &["jwks", "list", "--jwks", &p, "--json"],
        Duration::from_secs(180),
    );
    ok(&o);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["keys"].as_array().unwrap().len(), 40_000);
}

// ---- item 10: partial failures ----

#[test]
fn leftovers_of_an_interrupted_run_are_moved_aside_on_the_next_rotate() {
    let dir = tempfile::tempdir().unwrap();
    let home = store(dir.path());
    let keys = home.join("keys");
    // What a SIGKILL between the key file and the keyring leaves: the journal of the
    // files being written, a private key no entry names, and a temp file of a dead
    // process. A key file the journal does not list is someone else's: it stays.
    let orphan = write(&keys, "orphan.key.pem", "-----BEGIN PRIVATE KEY-----\n");
    chmod(&orphan, 0o600);
    write(
        &keys,
        ".pending-keys",
        r#"["orphan.key.pem","orphan.pub.pem"]"#,
    );
    let users = write(&keys, "agentos.key.pem", "a key keygen --out-dir put here");
    let temp = write(&keys, ".x.key.pem.tmp-999999999-0badf00d", "partial");
    let o = run(&home, &["jwks", "rotate", "--kid", "orphan"]);
    ok(&o);
    let err = stderr(&o);
    assert!(!err.contains("--force"), "{err}");
    assert!(err.contains("no key of the ring names it"), "{err}");
    assert!(keys.join("removed/orphan.key.pem").exists());
    assert!(users.exists());
    assert!(!temp.exists());
    assert!(!keys.join(".pending-keys").exists());
    assert_eq!(kids(&home.join("jwks.json")), ["main", "orphan"]);
}

#[test]
fn rotate_kid_over_a_stray_key_file_never_hints_force() {
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("keys");
    let j = dir.path().join("jwks.json").display().to_string();
    let k = keys.display().to_string();
    ok(&bin()
        .args([
            "jwks",
            "rotate",
            "--jwks",
            &j,
            "--key-dir",
            &k,
            "--kid",
            "a",
        ])
        .output()
        .unwrap());
    // A stray file where the new key would go, and it cannot be moved aside.
    write(&keys, "b.key.pem", "someone's file");
    write(&keys, "removed", "a file, not a directory");
    let o = bin()
        .args([
            "jwks",
            "rotate",
            "--jwks",
            &j,
            "--key-dir",
            &k,
            "--kid",
            "b",
        ])
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(!stderr(&o).contains("--force"), "{}", stderr(&o));
}

#[test]
fn remove_fails_before_changing_anything_when_removed_is_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let home = store(dir.path());
    ok(&run(&home, &["jwks", "rotate", "--kid", "next"]));
    write(&home.join("keys"), "removed", "a file");
    let jwks_before = fs::read(home.join("jwks.json")).unwrap();
    let ring_before = fs::read(home.join("keys/keyring.json")).unwrap();
    let o = run(&home, &["jwks", "remove", "--kid", "main"]);
    assert_one_line_error(&o, 3, "removed");
    assert_eq!(fs::read(home.join("jwks.json")).unwrap(), jwks_before);
    assert_eq!(
        fs::read(home.join("keys/keyring.json")).unwrap(),
        ring_before
    );
}

#[test]
fn a_failed_rotate_leaves_no_new_directories() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = write(dir.path(), "not-a-dir", "x");
    let fresh = dir.path().join("fresh");
    // rotate: the JWKS cannot be written (its "directory" is a file).
    let o = bin()
        .args(["jwks", "rotate", "--jwks"])
        .arg(blocker.join("jwks.json"))
        .arg("--key-dir")
        .arg(fresh.join("deep/keys"))
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(!fresh.exists(), "left {}", fresh.display());
}

#[test]
fn file_names_of_240_to_255_characters_work() {
    let dir = tempfile::tempdir().unwrap();
    let partner = dir.path().join("p");
    ok(&bin()
        .args(["keygen", "--alg", "ES256", "--out-dir"])
        .arg(&partner)
        .output()
        .unwrap());
    for len in [240usize, 250, 255] {
        let name = format!("{}.json", "j".repeat(len - 5));
        let path = dir.path().join(&name);
        let o = bin()
            .args(["jwks", "add", "--jwks"])
            .arg(&path)
            .arg("--key")
            .arg(partner.join("agentos.pub.pem"))
            .output()
            .unwrap();
        ok(&o);
        assert_eq!(kids(&path).len(), 1);
    }
    let o = bin()
        .args([
            "keygen",
            "--alg",
            "ES256",
            "--name",
            &"n".repeat(246),
            "--out-dir",
        ])
        .arg(dir.path().join("k"))
        .output()
        .unwrap();
    ok(&o);
}

// ---- item 8: no core dumps ----

#[test]
fn the_process_is_not_dumpable_and_has_no_core_limit() {
    // Run as an unprivileged user: a dumpable process owns the files in its /proc/PID;
    // for one marked not dumpable they are root's. `inspect` waits on stdin, so it can be looked at.
    let mut child = Command::new(env!("CARGO_BIN_EXE_agentos-auth"))
        .arg("inspect")
        .uid(65534)
        .gid(65534)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start as nobody");
    let pid = child.id();
    use std::os::unix::fs::MetadataExt;
    let started = Instant::now();
    let mut limits = String::new();
    let mut owner = None;
    // Until the process has set itself up (bounded: a hang guard, not a timing check).
    while started.elapsed() < Duration::from_secs(20) {
        limits.clear();
        if let Ok(mut f) = fs::File::open(format!("/proc/{pid}/limits")) {
            let _ = f.read_to_string(&mut limits);
        }
        owner = fs::metadata(format!("/proc/{pid}/environ"))
            .ok()
            .map(|m| m.uid());
        let no_core = limits.lines().any(|l| {
            l.starts_with("Max core file size") && l.split_whitespace().nth(4) == Some("0")
        });
        if no_core && owner == Some(0) {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(child.stdin.take());
    let _ = child.kill();
    let _ = child.wait();
    let core = limits
        .lines()
        .find(|l| l.starts_with("Max core file size"))
        .unwrap_or_default()
        .to_string();
    assert_eq!(
        core.split_whitespace().collect::<Vec<_>>()[4..6],
        ["0", "0"],
        "{core}"
    );
    assert_eq!(
        owner,
        Some(0),
        "/proc/{pid}/environ owned by the user: still dumpable"
    );
}

// ---- item 11 and the alg none note: terminal escapes ----

fn unsigned(header: Value, claims: Value) -> String {
    use base64::Engine as _;
    let b = |v: &Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    format!("{}.{}.", b(&header), b(&claims))
}

const HOSTILE: &str = "alice\u{1b}[2J\u{1b}[31mroot\u{1b}]0;pwned\u{7}\r\u{202e}cba";

fn assert_no_raw_controls(text: &[u8]) {
    let s = String::from_utf8_lossy(text);
    for c in ['\u{1b}', '\u{7}', '\r', '\u{202e}', '\u{9b}'] {
        assert!(!s.contains(c), "raw {c:?} in {s:?}");
    }
}

#[test]
fn inspect_and_verify_escape_terminal_controls_but_json_stays_exact() {
    let jwt = unsigned(
        json!({"alg": "HS256", "typ": "JWT", "kid": HOSTILE}),
        json!({"sub": HOSTILE, "scopes": [HOSTILE], "x\u{1b}[1m": 1}),
    );
    let o = bin().args(["inspect", &jwt]).output().unwrap();
    ok(&o);
    assert_no_raw_controls(&o.stdout);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("sub: alice\\u{1b}[2J"), "{out}");
    // JSON is exact.
    let o = bin().args(["inspect", "--json", &jwt]).output().unwrap();
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["claims"]["sub"], HOSTILE);
    assert_eq!(v["header"]["kid"], HOSTILE);

    // verify: a signed token whose scopes carry escapes (they are quoted in the 403).
    let dir = tempfile::tempdir().unwrap();
    let key = Key::generate(Alg::HS256, 0).unwrap();
    let secret = write(dir.path(), "s", key.secret().unwrap());
    chmod(&secret, 0o600);
    let signer = key.signer().unwrap();
    let mut claims = Map::new();
    claims.insert("sub".into(), "u".into());
    claims.insert(
        "scopes".into(),
        json!([format!("agents:{HOSTILE}:run"), HOSTILE]),
    );
    let jwt = token::encode(&token::header(&signer, Some(HOSTILE)), &claims, &signer).unwrap();
    for extra in [&["--request", "POST /agents/x/runs"][..], &[]] {
        let o = bin()
            .args(["verify", "--alg", "HS256", "--key"])
            .arg(&secret)
            .args(extra)
            .arg(&jwt)
            .output()
            .unwrap();
        assert_no_raw_controls(&o.stdout);
        assert_no_raw_controls(&o.stderr);
    }
}

#[test]
fn inspect_says_agentos_rejects_alg_none() {
    let jwt = unsigned(json!({"alg": "none", "typ": "JWT"}), json!({"sub": "u"}));
    let o = bin().args(["inspect", &jwt]).output().unwrap();
    ok(&o);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("alg: none  (an unsigned token: AgentOS rejects it with 401"),
        "{out}"
    );
}
