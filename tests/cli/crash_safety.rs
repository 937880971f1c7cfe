//! Crash safety and concurrency of the key store.
//!
//! - [`sigkill_at_random_moments_never_loses_or_tears_a_key`]: each store-writing
//!   operation in [`operations`] is started many times and SIGKILLed after a random
//!   delay spread over its whole run; after every kill the store must pass
//!   [`check_store`]: `keyring.json` and `jwks.json` parse, every key that was there
//!   before is still there, and every key the ring names is complete on disk.
//!   After the kills and one more run, no private key file is left that the ring
//!   does not name (a killed run's journaled files are moved to `removed/`).
//! - [`concurrent_writers_lose_nothing`]: 20 writers at once on one store; every
//!   key each of them reported is in the ring and the JWKS afterwards.
//!
//! A new store-writing command gets one line in [`operations`].

use crate::common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use agentos_auth::keyring::{self, Keyring};
use agentos_auth::keys::{Alg, Key, ParseOptions};

/// A store-writing command, as arguments after `--home STORE`.
struct Operation {
    name: &'static str,
    args: &'static [&'static str],
    /// Each run gets `--key FILE` with a key never seen before (`jwks add` of the same
    /// key twice is a no-op, which would leave nothing to interrupt).
    fresh_key: bool,
    /// The operation records keys in the ring (`jwks add` only publishes).
    ring: bool,
}

#[rustfmt::skip]
fn operations() -> Vec<Operation> {
    vec![
        Operation { name: "keygen RS256", args: &["keygen", "--force", "--alg", "RS256"], fresh_key: false, ring: true },
        Operation { name: "keygen ES256", args: &["keygen", "--force", "--alg", "ES256", "--aud", "os"], fresh_key: false, ring: true },
        Operation { name: "keygen HS256", args: &["keygen", "--force", "--alg", "HS256"], fresh_key: false, ring: true },
        Operation { name: "jwks rotate RS256", args: &["jwks", "rotate", "--alg", "RS256"], fresh_key: false, ring: true },
        Operation { name: "jwks rotate ES256 --stage", args: &["jwks", "rotate", "--alg", "ES256", "--stage"], fresh_key: false, ring: true },
        Operation { name: "jwks add", args: &["jwks", "add"], fresh_key: true, ring: false },
    ]
}

/// The command for one run of `op`: with a fresh public key file when it needs one.
fn run_of(home: &Path, op: &Operation, run: usize) -> Command {
    let mut cmd = command(home, op.args);
    if op.fresh_key {
        // In a folder of its own: nothing the tool reads or writes.
        let dir = home.join("incoming");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{run}.pub.pem"));
        let key = Key::generate(Alg::ES256, 2048).unwrap();
        std::fs::write(&path, key.public_key_pem().unwrap()).unwrap();
        cmd.arg("--key").arg(path);
    }
    cmd
}

const KILLS_PER_OPERATION: usize = 50;

fn command(home: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_agentos-auth"));
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("AGENTOS_AUTH_") {
            cmd.env_remove(name);
        }
    }
    cmd.env("CI", "true")
        .env("XDG_CONFIG_HOME", common::UNUSABLE_CONFIG_HOME)
        .arg("--home")
        .arg(home)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

/// What the store holds: kids in the ring (and the signing one), kids in the JWKS.
#[derive(Debug, Clone, Default)]
struct StoreState {
    ring: BTreeSet<String>,
    jwks: BTreeSet<String>,
}

/// Every invariant the store must keep at any moment, even after a SIGKILL.
fn check_store(home: &Path, before: &StoreState) -> Result<StoreState, String> {
    let dir = home.join("keys");
    let ring = Keyring::load(&dir).map_err(|e| format!("keyring.json: {e}"))?;
    let jwks =
        keyring::load_jwks(&home.join("jwks.json")).map_err(|e| format!("jwks.json: {e}"))?;
    let state = StoreState {
        ring: ring.keys.iter().map(|e| e.kid.clone()).collect(),
        jwks: jwks.keys.iter().filter_map(|k| k.kid.clone()).collect(),
    };
    if let Some(lost) = before.ring.difference(&state.ring).next() {
        return Err(format!("kid {lost} vanished from keyring.json"));
    }
    if let Some(lost) = before.jwks.difference(&state.jwks).next() {
        return Err(format!("kid {lost} vanished from jwks.json"));
    }
    if let Some(kid) = &ring.signing_kid {
        if ring.find(kid).is_none() {
            return Err(format!("signing kid {kid} is not in the ring"));
        }
    }
    for entry in &ring.keys {
        // A key the ring names must be whole: it parses, and its public half is the
        // one published under its kid.
        let key = entry
            .load(&dir)
            .map_err(|e| format!("ring key {} is not complete: {e}", entry.kid))?;
        if entry.alg != Alg::HS256 {
            let published = jwks
                .find(&entry.kid)
                .ok_or_else(|| format!("ring key {} is not in jwks.json", entry.kid))?;
            if published.thumbprint().ok() != Some(key.thumbprint()) {
                return Err(format!(
                    "jwks.json holds another key under kid {}",
                    entry.kid
                ));
            }
        }
    }
    // Any final-named private key file is complete (temp files are `.NAME.tmp-*`).
    for e in std::fs::read_dir(&dir).map_err(|e| e.to_string())? {
        let path = e.map_err(|e| e.to_string())?.path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".key.pem") && !name.starts_with('.') {
            let bytes = std::fs::read(&path).map_err(|e| e.to_string())?;
            let opts = ParseOptions {
                source: &name,
                alg: None,
            };
            Key::parse(&bytes, &opts).map_err(|e| format!("torn private key {name}: {e}"))?;
        }
    }
    Ok(state)
}

/// xorshift64*: reproducible delays from a printed seed.
struct Rng(u64);

impl Rng {
    fn seeded() -> Rng {
        let seed = std::env::var("CRASH_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                let mut b = [0u8; 8];
                aws_lc_rs::rand::fill(&mut b).unwrap();
                u64::from_le_bytes(b) | 1
            });
        eprintln!("crash_safety: CRASH_SEED={seed}");
        Rng(seed)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n.max(1)
    }
}

#[test]
fn sigkill_at_random_moments_never_loses_or_tears_a_key() {
    let mut rng = Rng::seeded();
    for op in operations() {
        let home = tempfile::tempdir().unwrap();
        let home = home.path();
        // Two complete runs: a store to protect, and how long a run takes here.
        let mut full_run = Duration::ZERO;
        let base = command(home, &["keygen", "--alg", "ES256", "--kid", "base"]).status();
        assert!(base.unwrap().success(), "{}: base key", op.name);
        for run in 0..2 {
            let start = Instant::now();
            let status = run_of(home, &op, run).status().unwrap();
            assert!(status.success(), "{}: setup run failed", op.name);
            full_run = full_run.max(start.elapsed());
        }
        let mut state = check_store(home, &StoreState::default()).unwrap();
        assert!(!state.ring.is_empty());

        let (mut killed, mut finished) = (0, 0);
        for i in 0..KILLS_PER_OPERATION {
            // Half the delays spread over the whole run (and a little past its end), half
            // over its last 40%, where the files are written.
            // RSA key generation time varies a lot: the estimate follows finished runs.
            let run_us = full_run.as_micros() as u64;
            let delay = Duration::from_micros(if rng.below(2) == 0 {
                rng.below(run_us * 5 / 4)
            } else {
                run_us * 3 / 5 + rng.below(run_us * 2 / 5)
            });
            let mut cmd = run_of(home, &op, i + 2);
            let start = Instant::now();
            let mut child = cmd.spawn().unwrap();
            std::thread::sleep(delay);
            child.kill().unwrap_or(()); // SIGKILL; an error means it already exited
            let status = child.wait().unwrap();
            if status.success() {
                full_run = (full_run + start.elapsed()) / 2;
                finished += 1;
            } else {
                killed += 1;
            }
            state = check_store(home, &state)
                .unwrap_or_else(|e| panic!("{} killed after {delay:?} (run {i}): {e}", op.name));
        }
        eprintln!(
            "{}: {killed} killed, {finished} finished; run takes ~{full_run:?}",
            op.name
        );
        assert!(killed > 0, "{}: no run was interrupted", op.name);
        // The store still works after all that.
        let status = run_of(home, &op, KILLS_PER_OPERATION + 2).status().unwrap();
        assert!(
            status.success(),
            "{}: store unusable after the kills",
            op.name
        );
        // Each run clears what a killed one left (its journaled key files move to
        // removed/): no private key or secret in keys/ that the ring does not name.
        if op.ring {
            let dir = home.join("keys");
            let ring = Keyring::load(&dir).unwrap();
            for e in std::fs::read_dir(&dir).unwrap() {
                let name = e.unwrap().file_name().to_string_lossy().into_owned();
                let private = name.ends_with(".key.pem") || name.ends_with(".secret");
                if private && !name.starts_with('.') {
                    assert!(
                        ring.keys.iter().any(|k| k.private_key == name),
                        "{}: orphan private key {name} left after the kills",
                        op.name
                    );
                }
            }
        }
    }
}

#[test]
fn concurrent_writers_lose_nothing() {
    const WRITERS: usize = 20;
    for op in operations().iter().filter(|o| !o.name.contains("RS256")) {
        let home = tempfile::tempdir().unwrap();
        let home = home.path();
        let children: Vec<_> = (0..WRITERS)
            .map(|i| {
                let kid = format!("w{i}");
                let mut cmd = run_of(home, op, i);
                cmd.args(["--kid", &kid, "--json"]).stdout(Stdio::piped());
                (kid, cmd.spawn().unwrap())
            })
            .collect();
        for (kid, child) in children {
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "{}: writer {kid} failed", op.name);
        }
        let state = check_store(home, &StoreState::default()).unwrap();
        let want: BTreeSet<String> = (0..WRITERS).map(|i| format!("w{i}")).collect();
        if op.ring {
            assert_eq!(state.ring, want, "{}: keyring.json lost keys", op.name);
        }
        if !op.name.contains("HS256") {
            assert_eq!(state.jwks, want, "{}: jwks.json lost keys", op.name);
        }
    }
}

/// The checker itself catches what it is there to catch.
#[test]
fn check_store_sees_torn_and_lost_keys() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    for kid in ["a", "b"] {
        let ok = command(home, &["keygen", "--force", "--alg", "ES256", "--kid", kid])
            .status()
            .unwrap();
        assert!(ok.success());
    }
    let state = check_store(home, &StoreState::default()).unwrap();
    let key = home.join("keys").join("b.key.pem");
    let whole = std::fs::read(&key).unwrap();

    std::fs::write(&key, &whole[..whole.len() / 2]).unwrap();
    let err = check_store(home, &state).unwrap_err();
    assert!(err.contains("not complete"), "{err}");
    std::fs::write(&key, &whole).unwrap();

    let jwks_path = home.join("jwks.json");
    let jwks = std::fs::read_to_string(&jwks_path).unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(&jwks).unwrap();
    doc["keys"].as_array_mut().unwrap().pop();
    std::fs::write(&jwks_path, doc.to_string()).unwrap();
    let err = check_store(home, &state).unwrap_err();
    assert!(err.contains("vanished from jwks.json"), "{err}");
    std::fs::write(&jwks_path, &jwks).unwrap();

    std::fs::write(home.join("keys").join("keyring.json"), "{\"keys\": [").unwrap();
    let err = check_store(home, &state).unwrap_err();
    assert!(err.contains("keyring.json"), "{err}");
}
