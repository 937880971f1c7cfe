//! Hostile input, table-driven: every row runs the real binary on something broken and
//! demands the same contract — exit code as documented (≠ 0), EXACTLY one line on
//! stderr (`agentos-auth: error: …` naming the problem), nothing on stdout, no panic,
//! and every file in the sandbox (key stores, key files, inputs) byte-for-byte and
//! mode-for-mode unchanged, with no new file left behind (empty `*.lock` files aside).
//!
//! All rows share one sandbox (the current directory of each run), so paths in rows
//! are relative: `in/NAME` are inputs written by [`inputs`], `fx/NAME` are the openssl
//! fixtures of `tests/fixtures/` (see its README), `store` is a working key store
//! (signing kid `main`), `ring` a store whose JWKS also publishes an added key (kid
//! `ec-1`), `jw/NAME` are stores whose `jwks.json` is hostile, `st/NAME` stores with
//! another broken file. `verify`'s 401 verdicts (exit 10) are in [`verdict_rows`]. A new command's rows are one line each in
//! [`rows`]: `row(CODE, "words of the message", &["cmd", "args", …])`.

use crate::common;

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use agentos_auth::keys::{Alg, Key};
use base64::engine::general_purpose::{STANDARD as B64, URL_SAFE_NO_PAD};
use base64::Engine as _;
use common::bin;
use serde_json::{json, Value};

/// A token that decodes (header `{"alg":"RS256"}`, claims `{}`) but verifies with no key:
/// rows about verify's other inputs use it.
const TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.e30.c2ln";
/// Stands for a non-UTF-8 argument (bytes 0xff 0xfe) in a row.
const NON_UTF8: &str = "<non-utf8>";
/// A non-UTF-8 file name in the sandbox: `in/` + these bytes.
const NON_UTF8_NAME: &[u8] = b"in/\xff\xfekey.pem";

struct Row {
    code: i32,
    /// A piece of the one error line: proves the row fails for the reason it is about.
    needle: &'static str,
    args: Vec<OsString>,
    stdin: Vec<u8>,
    env: Vec<(&'static str, OsString)>,
    /// `doctor` prints its findings on stdout even when one breaks auth: that report is
    /// its product, so these rows allow stdout (the rest of the contract stands).
    report: bool,
}

fn row(code: i32, needle: &'static str, args: &[&str]) -> Row {
    let args = args
        .iter()
        .map(|a| match *a {
            NON_UTF8 => OsStr::from_bytes(b"\xff\xfe").to_os_string(),
            "<non-utf8-path>" => OsStr::from_bytes(NON_UTF8_NAME).to_os_string(),
            a => OsString::from(a),
        })
        .collect();
    Row {
        code,
        needle,
        args,
        stdin: Vec::new(),
        env: Vec::new(),
        report: false,
    }
}

impl Row {
    fn stdin(mut self, bytes: &[u8]) -> Row {
        self.stdin = bytes.to_vec();
        self
    }
    fn env(mut self, name: &'static str, value: &[u8]) -> Row {
        self.env
            .push((name, OsStr::from_bytes(value).to_os_string()));
        self
    }
    fn report(mut self) -> Row {
        self.report = true;
        self
    }
}

/// The table, one row per line (so rustfmt keeps its hands off). Exit codes: 1 bad input, 2 usage, 3 file error (docs/exit-codes.md).
#[rustfmt::skip]
fn rows() -> Vec<Row> {
    vec![
        // --- key files: empty, junk, damaged PEM (mint --key / export --key) ---
        row(1, "is empty", &["mint", "--aud", "os", "-s", "agents:read", "--key", "in/empty"]),
        row(1, "is empty", &["export", "--key", "in/whitespace"]),
        row(1, "binary data", &["mint", "--aud", "os", "-s", "agents:read", "--key", "in/junk"]),
        row(1, "binary (DER)", &["export", "--key", "in/der"]),
        row(1, "binary data", &["export", "--key", "in/nul-in-pem"]),
        row(1, "no END line", &["mint", "--aud", "os", "-s", "agents:read", "--key", "in/truncated-no-end.pem"]),
        row(1, "damaged or truncated", &["export", "--key", "in/truncated-body.pem"]),
        row(1, "holds 2 keys", &["mint", "--aud", "os", "-s", "agents:read", "--key", "in/doubled.pem"]),
        row(1, "not valid base64", &["export", "--key", "in/bad-base64.pem"]),
        row(1, "BEGIN line is damaged", &["export", "--key", "in/begin-damaged.pem"]),
        row(1, "no END line", &["export", "--key", "in/end-mismatch.pem"]),
        row(1, "not a key", &["export", "--key", "in/foo-block.pem"]),
        row(1, "not a PEM key", &["export", "--key", "in/prose.txt"]),
        row(1, "without its -----BEGIN", &["export", "--key", "in/bare-body.txt"]),
        row(1, "not a PEM key", &["export", "--key", "in/megabyte-line"]),
        row(1, "damaged", &["export", "--key", "in/ssh-rsa-bad-base64.pub"]),
        row(1, "public key; mint needs the private key", &["mint", "--aud", "os", "-s", "agents:read", "--key", "in/ec.pub.pem"]),
        row(1, "is empty", &["mint", "--aud", "os", "-s", "agents:read", "--key", "-"]),
        row(1, "binary data", &["export", "--key", "-"]).stdin(b"\x00\x01\x02\xff"),
        row(1, "holds 2 keys", &["export", "--key", "-"]).stdin(b"-----BEGIN PUBLIC KEY-----\nAA==\n-----END PUBLIC KEY-----\n-----BEGIN PUBLIC KEY-----\nAA==\n-----END PUBLIC KEY-----\n"),
        // --- PEM of the wrong type (openssl fixtures) ---
        row(1, "certificate", &["export", "--key", "fx/cert.pem"]),
        row(1, "encrypted", &["mint", "--aud", "os", "-s", "agents:read", "--key", "fx/encrypted.key.pem"]),
        row(1, "encrypted", &["export", "--key", "fx/encrypted-legacy.key.pem"]),
        row(1, "DSA", &["mint", "--aud", "os", "-s", "agents:read", "--key", "fx/dsa.key.pem"]),
        row(1, "DSA", &["export", "--key", "fx/dsa-traditional.key.pem"]),
        row(1, "Ed25519", &["mint", "--aud", "os", "-s", "agents:read", "--key", "fx/ed25519.key.pem"]),
        row(1, "Ed25519", &["export", "--key", "fx/ed25519.pub.pem"]),
        row(1, "P-384", &["mint", "--aud", "os", "-s", "agents:read", "--key", "fx/p384.key.pem"]),
        row(1, "P-384", &["export", "--key", "fx/p384.pub.pem"]),
        row(1, "secp256k1", &["export", "--key", "fx/secp256k1-sec1.key.pem"]),
        row(1, "RSA-PSS", &["export", "--key", "fx/rsa-pss.key.pem"]),
        row(1, "X25519", &["export", "--key", "fx/x25519.key.pem"]),
        row(1, "OpenSSH private key", &["mint", "--aud", "os", "-s", "agents:read", "--key", "fx/openssh.key"]),
        row(1, "Ed25519", &["export", "--key", "fx/ssh-ed25519.pub"]),
        // --- RSA below 2048 bits ---
        row(1, "too small", &["mint", "--aud", "os", "-s", "agents:read", "--key", "fx/rsa1024.key.pem"]),
        row(1, "too small", &["export", "--key", "fx/rsa1024-pkcs1.key.pem"]),
        row(1, "too small", &["mint", "--aud", "os", "-s", "agents:read", "--key", "fx/rsa512.key.pem"]),
        row(1, "has 512 bits", &["export", "--key", "fx/rsa512.pub.pem"]),
        row(2, "invalid value '1024'", &["keygen", "--bits", "1024", "--out-dir", "out-new"]),
        // --- one JWK as the key (reaches the JWK parser through Key::parse) ---
        row(1, "not valid JSON", &["export", "--key", "in/jwk-not-json.json"]),
        row(1, "not valid JSON", &["export", "--key", "in/jwk-deep.json"]),
        row(1, "missing \"kty\"", &["export", "--key", "in/jwk-no-kty.json"]),
        row(1, "kty must be a string", &["export", "--key", "in/jwk-kty-number.json"]),
        row(1, "unknown kty", &["export", "--key", "in/jwk-kty-unknown.json"]),
        row(1, "OKP", &["export", "--key", "in/jwk-okp.json"]),
        row(1, "not valid base64url", &["export", "--key", "in/jwk-x-bad-base64.json"]),
        row(1, "32 bytes", &["export", "--key", "in/jwk-x-short.json"]),
        row(1, "P-384", &["export", "--key", "in/jwk-p384.json"]),
        row(1, "not a valid P-256 point", &["export", "--key", "in/jwk-off-curve.json"]),
        row(1, "number out of range", &["export", "--key", "in/jwk-n-huge-number.json"]),
        row(1, "bits", &["export", "--key", "in/jwk-n-huge.json"]),
        row(1, "not all of p, q", &["mint", "--aud", "os", "-s", "agents:read", "--key", "in/jwk-rsa-d-only.json"]),
        row(1, "do not form a valid key", &["mint", "--aud", "os", "-s", "agents:read", "--key", "in/jwk-ec-wrong-d.json"]),
        row(1, "oct k is empty", &["mint", "--aud", "os", "-s", "agents:read", "--key", "in/jwk-oct-empty.json"]),
        row(1, "is a JWKS", &["export", "--key", "in/jwks-private.json"]),
        row(1, "does not fit", &["export", "--key", "in/jwk-alg-mismatch.json"]),
        row(1, "kid must be a string", &["export", "--key", "in/jwk-kid-number.json"]),
        row(1, "is empty", &["mint", "--aud", "os", "-s", "agents:read"]).env("AGENTOS_AUTH_KEY", b"   "),
        row(1, "not valid JSON", &["mint", "--aud", "os", "-s", "agents:read"]).env("AGENTOS_AUTH_KEY", b"{\"kty\":"),
        // --- a hostile jwks.json in the key store (reaches parse_jwks; keygen must write nothing) ---
        row(1, "not valid JSON", &["keygen", "--alg", "ES256", "--home", "jw/not-json"]),
        row(1, "must be a JSON object, got array", &["keygen", "--alg", "ES256", "--home", "jw/array"]),
        row(1, "no \"keys\" array", &["keygen", "--alg", "ES256", "--home", "jw/no-keys"]),
        row(1, "\"keys\" must be an array", &["keygen", "--alg", "ES256", "--home", "jw/keys-object"]),
        row(1, "single JWK, not a JWKS", &["keygen", "--alg", "ES256", "--home", "jw/single-jwk"]),
        row(1, "duplicate kid", &["keygen", "--alg", "ES256", "--home", "jw/duplicate-kids"]),
        row(1, "not valid JSON", &["keygen", "--alg", "ES256", "--home", "jw/huge-number"]),
        row(1, "bits", &["keygen", "--alg", "ES256", "--home", "jw/huge-modulus"]),
        row(1, "kid must be a string", &["keygen", "--alg", "ES256", "--home", "jw/kid-number"]),
        row(1, "not a JSON object", &["keygen", "--alg", "ES256", "--home", "jw/null-entry"]),
        row(1, "private members", &["keygen", "--alg", "ES256", "--home", "jw/private-members"]),
        row(1, "private members", &["keygen", "--alg", "ES256", "--home", "jw/oct-secret"]),
        row(1, "not valid base64url", &["keygen", "--alg", "ES256", "--home", "jw/bad-base64"]),
        // --- a broken key store ---
        row(1, "not a valid keyring file", &["mint", "--home", "st/bad-keyring", "-s", "agents:read"]),
        row(1, "invalid settings", &["mint", "--home", "st/bad-settings", "-s", "agents:read"]),
        row(3, "no such file", &["mint", "--home", "st/missing-key-file", "-s", "agents:read"]),
        row(1, "invalid settings", &["keygen", "--alg", "ES256", "--aud", "os", "--home", "st/bad-settings"]),
        row(3, "is a directory", &["keygen", "--alg", "ES256", "--aud", "os", "--home", "st/settings-dir"]),
        row(3, "already in", &["keygen", "--alg", "ES256", "--kid", "main", "--home", "store"]),
        row(1, "reserved", &["keygen", "--alg", "ES256", "--sub", "sa:robot", "--home", "store"]),
        row(1, "invalid kid", &["keygen", "--alg", "ES256", "--kid", "a\u{7}b", "--home", "store"]),
        // --- durations and times ---
        row(1, "negative", &["mint", "--home", "store", "-s", "agents:read", "-e", "-1h"]),
        row(1, "longer than 10 years", &["mint", "--home", "store", "-s", "agents:read", "-e", "99999999d"]),
        row(1, "longer than 10 years", &["mint", "--home", "store", "-s", "agents:read", "-e", "99999999999999999999999s"]),
        row(1, "must be positive", &["mint", "--home", "store", "-s", "agents:read", "-e", "0s"]),
        row(1, "fractions", &["mint", "--home", "store", "-s", "agents:read", "-e", "1.5h"]),
        row(1, "unknown unit", &["mint", "--home", "store", "-s", "agents:read", "-e", "1y"]),
        row(1, "empty", &["mint", "--home", "store", "-s", "agents:read", "-e", ""]),
        row(1, "before 1970", &["mint", "--home", "store", "-s", "agents:read", "--exp", "1969-12-31"]),
        row(1, "before 1970", &["mint", "--home", "store", "-s", "agents:read", "--exp", "@-1"]),
        row(1, "before 1970", &["mint", "--home", "store", "-s", "agents:read", "--nbf", "1900-01-01T00:00:00Z"]),
        row(1, "out of range", &["mint", "--home", "store", "-s", "agents:read", "--exp", "@99999999999999999999"]),
        row(1, "not in the future", &["mint", "--home", "store", "-s", "agents:read", "--exp", "2020-01-01"]),
        row(1, "not a valid date", &["mint", "--home", "store", "-s", "agents:read", "--exp", "2026-13-45"]),
        row(1, "ambiguous", &["mint", "--home", "store", "-s", "agents:read", "--exp", "12345"]),
        row(1, "invalid duration", &["mint", "--home", "store", "-s", "agents:read"]).env("AGENTOS_AUTH_EXPIRES_IN", b"soon"),
        // --- scopes, subjects, claims ---
        row(1, "too many colons", &["mint", "--home", "store", "-s", "agents:a:read:x"]),
        row(1, "did you mean", &["mint", "--home", "store", "-s", "agent:read"]),
        row(1, "empty resource", &["mint", "--home", "store", "-s", ":read"]),
        row(1, "no action wildcard", &["mint", "--home", "store", "-s", "agents:*:*"]),
        row(1, "reserved", &["mint", "--home", "store", "-s", "agents:read", "--sub", "__scheduler__"]),
        row(1, "must be a JSON object", &["mint", "--home", "store", "-s", "agents:read", "--claims", "[1,2]"]),
        row(1, "not valid JSON", &["mint", "--home", "store", "-s", "agents:read", "--claims", "{nope"]),
        row(1, "not UTF-8", &["mint", "--home", "store", "-s", "agents:read", "--claims", "@in/junk"]),
        row(1, "scopes must be a JSON list", &["mint", "--home", "store", "--claims", "{\"scopes\":\"agents:read\"}"]),
        row(1, "exp must be a number", &["mint", "--home", "store", "-s", "agents:read", "--claims", "{\"exp\":\"tomorrow\"}"]),
        row(1, "not KEY=VALUE", &["mint", "--home", "store", "-s", "agents:read", "--claim", "novalue"]),
        // --- non-UTF-8 arguments ---
        row(2, "invalid UTF-8", &["mint", "--home", "store", "-s", "agents:read", "--sub", NON_UTF8]),
        row(2, "invalid UTF-8", &["keygen", "--alg", "ES256", "--kid", NON_UTF8, "--home", "store"]),
        row(2, "invalid UTF-8", &["mint", "--home", "store", "-s", "agents:read"]).env("AGENTOS_AUTH_SUB", b"\xff\xfe"),
        row(1, "is empty", &["export", "--key", "<non-utf8-path>"]),
        row(3, "no such file", &["mint", "--aud", "os", "-s", "agents:read", "--key", "in/\u{fffd}-missing", "--home", NON_UTF8]),
        // --- paths that are directories, missing, or cannot be written (as root too) ---
        row(3, "is a directory", &["mint", "--aud", "os", "-s", "agents:read", "--key", "in"]),
        row(3, "is a directory", &["mint", "--home", "store", "-s", "agents:read", "--claims", "@in"]),
        row(3, "no such file", &["export", "--key", "in/does-not-exist.pem"]),
        row(3, "cannot read /proc/self/mem", &["export", "--key", "/proc/self/mem"]),
        row(3, "a device, not a regular file", &["export", "--key", "/dev/zero"]),
        row(3, "a device, not a regular file", &["mint", "--home", "store", "-s", "agents:read", "--claims", "@/dev/zero"]),
        row(1, "larger than 16 MiB", &["mint", "--aud", "os", "-s", "agents:read", "--key", "-"]).stdin(&vec![b'A'; (16 << 20) + 1]),
        row(3, "not a directory", &["keygen", "--alg", "ES256", "--out-dir", "in/empty"]),
        row(3, "Not a directory", &["keygen", "--alg", "ES256", "--out-dir", "in/empty/sub"]),
        row(3, "not a directory", &["keygen", "--alg", "ES256", "--home", "in/empty"]),
        row(3, "cannot create directory /proc/", &["keygen", "--alg", "ES256", "--out-dir", "/proc/self/agentos-keys"]),
        row(3, "already exists", &["keygen", "--alg", "ES256", "--out-dir", "out-existing"]),
        row(3, "is a directory", &["keygen", "--alg", "ES256", "--force", "--out-dir", "out-dir-target"]),
        row(3, "is a directory", &["keygen", "--alg", "ES256", "--force", "--out-dir", "out-pub-dir-target"]),
        row(1, "is a PKCS#11 URI", &["keygen", "--alg", "ES256", "--out-dir", "pkcs11:token=agentos?pin-value=1234"]),
        // --- jwks list/add/remove/rotate/prune/use on a hostile jwks.json ---
        row(1, "not valid JSON", &["jwks", "list", "--home", "jw/not-json"]),
        row(1, "must be a JSON object, got array", &["jwks", "list", "--jwks", "jw/array/jwks.json"]),
        row(1, "no \"keys\" array", &["jwks", "list", "--home", "jw/no-keys", "--json"]),
        row(1, "not valid JSON", &["jwks", "list", "--home", "jw/huge-number"]),
        row(1, "duplicate kid", &["jwks", "add", "--home", "jw/duplicate-kids", "--key", "in/ec.pub.pem"]),
        row(1, "not valid JSON", &["jwks", "add", "--jwks", "jw/not-json/jwks.json", "--key", "in/ec.pub.pem"]),
        row(1, "\"keys\" must be an array", &["jwks", "add", "--home", "jw/keys-object", "--key", "in/ec.pub.pem"]),
        row(1, "private members", &["jwks", "add", "--home", "jw/oct-secret", "--key", "in/ec.pub.pem"]),
        row(1, "kid must be a string", &["jwks", "add", "--home", "jw/kid-number", "--key", "in/ec.pub.pem"]),
        row(1, "bits", &["jwks", "add", "--home", "jw/huge-modulus", "--key", "in/ec.pub.pem"]),
        row(1, "not a JSON object", &["jwks", "remove", "--home", "jw/null-entry", "--kid", "ec-1"]),
        row(1, "single JWK, not a JWKS", &["jwks", "remove", "--home", "jw/single-jwk", "--kid", "ec-1"]),
        row(1, "duplicate kid", &["jwks", "rotate", "--home", "jw/duplicate-kids"]),
        row(1, "private members", &["jwks", "rotate", "--home", "jw/private-members", "--alg", "ES256"]),
        row(1, "not valid base64url", &["jwks", "rotate", "--jwks", "jw/bad-base64/jwks.json", "--key-dir", "jw/bad-base64/keys"]),
        row(1, "not valid JSON", &["jwks", "prune", "--home", "jw/not-json", "--keep", "1"]),
        row(1, "bits", &["jwks", "add", "--home", "jw/rsa-tiny", "--key", "in/ec.pub.pem"]),
        row(1, "32 bytes", &["jwks", "rotate", "--home", "jw/ec-empty-xy", "--alg", "ES256"]),
        row(1, "not valid JSON", &["jwks", "add", "--jwks", "in/empty", "--key", "in/ec.pub.pem"]),
        row(1, "duplicate kid", &["jwks", "use", "--home", "jw/duplicate-kids", "--kid", "ec-1"]),
        // --- jwks: missing, garbled or unpublishable keys; paths that are directories ---
        row(1, "is empty", &["jwks", "add", "--home", "store", "--key", "in/empty"]),
        row(1, "binary data", &["jwks", "add", "--home", "store", "--key", "in/junk"]),
        row(1, "damaged or truncated", &["jwks", "add", "--home", "store", "--key", "in/truncated-body.pem"]),
        row(1, "Ed25519", &["jwks", "add", "--home", "store", "--key", "fx/ed25519.pub.pem"]),
        row(1, "too small", &["jwks", "add", "--home", "store", "--key", "fx/rsa1024.key.pem"]),
        row(1, "HS256", &["jwks", "add", "--home", "store", "--key", "in/hs.jwk.json"]),
        row(1, "is empty", &["jwks", "add", "--home", "store", "--key", "-"]),
        row(1, "binary data", &["jwks", "add", "--home", "store", "--key", "-"]).stdin(b"\x00\xff\x13\x37"),
        row(1, "invalid kid", &["jwks", "add", "--home", "store", "--key", "in/ec.pub.pem", "--kid", "a\u{7}b"]),
        row(3, "no such file", &["jwks", "add", "--home", "store", "--key", "in/does-not-exist.pem"]),
        row(3, "is a directory", &["jwks", "add", "--home", "store", "--key", "in"]),
        row(3, "is a directory", &["jwks", "add", "--jwks", "in", "--key", "in/ec.pub.pem"]),
        row(3, "is a directory", &["jwks", "list", "--jwks", "in"]),
        row(3, "does not exist", &["jwks", "list", "--jwks", "in/no-such.json"]),
        row(3, "not a directory", &["jwks", "rotate", "--jwks", "in/new.json", "--key-dir", "in/empty"]),
        row(3, "is a directory", &["jwks", "rotate", "--jwks", "in", "--key-dir", "store/keys"]),
        row(1, "not a valid keyring file", &["jwks", "rotate", "--home", "st/bad-keyring"]),
        row(1, "not a valid keyring file", &["jwks", "list", "--home", "st/bad-keyring"]),
        row(1, "kid main is already taken", &["jwks", "rotate", "--home", "store", "--kid", "main"]),
        row(1, "kid ec-1 is already taken", &["jwks", "rotate", "--home", "ring", "--kid", "ec-1"]),
        row(1, "invalid kid", &["jwks", "rotate", "--home", "store", "--kid", ""]),
        row(1, "signing key", &["jwks", "remove", "--home", "store", "--kid", "main"]),
        row(1, "no-such-kid", &["jwks", "remove", "--home", "store", "--kid", "no-such-kid"]),
        row(1, "no-such-kid", &["jwks", "use", "--home", "store", "--kid", "no-such-kid"]),
        row(1, "ec-1", &["jwks", "use", "--home", "ring", "--kid", "ec-1"]),
        row(1, "not valid JSON", &["jwks", "use", "--home", "jw/not-json", "--kid", "ec-1"]),
        row(1, "not a valid keyring file", &["jwks", "remove", "--home", "st/bad-keyring", "--kid", "main"]),
        row(3, "is a directory", &["jwks", "use", "--jwks", "in", "--key-dir", "store/keys", "--kid", "main"]),
        // --- jwks: bad --keep / --older-than ---
        row(2, "invalid value '0'", &["jwks", "rotate", "--home", "store", "--keep", "0"]),
        row(2, "unexpected argument '-1'", &["jwks", "prune", "--home", "store", "--keep", "-1"]),
        row(2, "invalid value '99999999999'", &["jwks", "prune", "--home", "store", "--keep", "99999999999"]),
        row(2, "cannot be used with", &["jwks", "rotate", "--home", "store", "--keep", "2", "--stage"]),
        row(2, "required arguments were not provided", &["jwks", "prune", "--home", "store"]),
        row(2, "unexpected argument '-1'", &["jwks", "prune", "--home", "store", "--older-than", "-1h"]),
        row(1, "negative", &["jwks", "prune", "--home", "store", "--older-than=-1h"]),
        row(1, "longer than 10 years", &["jwks", "prune", "--home", "store", "--older-than", "99999999d"]),
        row(1, "unknown unit", &["jwks", "prune", "--home", "store", "--older-than", "1y"]),
        row(1, "empty", &["jwks", "prune", "--home", "store", "--older-than", ""]),
        row(2, "invalid UTF-8", &["jwks", "prune", "--home", "store", "--older-than", NON_UTF8]),
        // --- inspect: tokens that do not decode ---
        row(1, "found 2", &["inspect", "a.b"]),
        row(1, "found 4", &["inspect", "a.b.c.d"]),
        row(1, "header is not valid base64url", &["inspect", "!!!.e30.c2ln"]),
        row(1, "header is not valid JSON", &["inspect", "bm90IGpzb24.e30.c2ln"]),
        row(1, "header is not a JSON object", &["inspect", "WzFd.e30.c2ln"]),
        row(1, "payload is not valid base64url", &["inspect", "e30.***.c2ln"]),
        row(1, "payload is not valid JSON", &["inspect", "e30.eyJhIjo.c2ln"]),
        row(1, "signature is not valid base64url", &["inspect", "e30.e30.@@"]),
        row(1, "not valid base64url", &["inspect", "-"]).stdin(format!("{}.e30.c2ln", "[".repeat(5000)).as_bytes()),
        row(1, "not valid JSON", &["inspect", "-"]).stdin(format!("{}.e30.c2ln", URL_SAFE_NO_PAD.encode("[".repeat(100_000))).as_bytes()),
        row(1, "no token given", &["inspect"]),
        row(1, "no token given", &["inspect", "   "]),
        row(1, "found 1", &["inspect", "Bearer "]),
        row(1, "not text", &["inspect"]).stdin(b"\xff\xfe\x00junk"),
        row(1, "larger than 16 MiB", &["inspect", "-"]).stdin(&vec![b'e'; (16 << 20) + 1]),
        row(2, "invalid UTF-8", &["inspect", NON_UTF8]),
        // --- verify: input errors (a token that does not verify is a 401 verdict, exit 10: see below) ---
        row(1, "no token given", &["verify", "--home", "store"]),
        row(1, "not text", &["verify", "--home", "store"]).stdin(b"\x00\x01\xff"),
        row(1, "invalid --request", &["verify", TOKEN, "--home", "store", "--request", "/agents"]),
        row(1, "invalid --request", &["verify", TOKEN, "--home", "store", "--request", ""]),
        row(1, "invalid HTTP method", &["verify", TOKEN, "--home", "store", "--request", "G3T /agents"]),
        row(1, "must start with '/'", &["verify", TOKEN, "--home", "store", "--request", "GET agents"]),
        row(1, "before 1970", &["verify", TOKEN, "--home", "store", "--at", "1969-12-31"]),
        row(1, "before 1970", &["verify", TOKEN, "--home", "store", "--at", "@-1"]),
        row(1, "--at", &["verify", TOKEN, "--home", "store", "--at", "yesterday"]),
        row(1, "out of range", &["verify", TOKEN, "--home", "store", "--at", "@99999999999999999999"]),
        row(2, "invalid value 'none'", &["verify", TOKEN, "--home", "store", "--alg", "none"]),
        row(2, "invalid value 'HS512'", &["verify", TOKEN, "--home", "store", "--alg", "HS512"]),
        row(2, "cannot be used with", &["verify", TOKEN, "--home", "store", "--aud", "os", "--no-verify-aud"]),
        row(3, "is a directory", &["verify", TOKEN, "--key", "in"]),
        row(3, "no such file", &["verify", TOKEN, "--key", "in/does-not-exist.pem"]),
        row(1, "not text", &["verify", TOKEN, "--key", "in/junk"]),
        row(3, "is a directory", &["verify", TOKEN, "--jwks", "in"]),
        row(1, "not valid JSON", &["verify", TOKEN, "--jwks", "jw/not-json/jwks.json"]),
        row(1, "no \"keys\" array", &["verify", TOKEN, "--jwks", "jw/no-keys/jwks.json"]),
        row(1, "refuses to start", &["verify", TOKEN, "--jwks", "jw/null-entry/jwks.json"]),
        row(1, "not valid JSON", &["verify", TOKEN, "--home", "jw/huge-number"]),
        row(1, "not valid JSON", &["verify", TOKEN]).env("JWT_JWKS_FILE", b"jw/not-json/jwks.json"),
        row(3, "is a directory", &["verify", TOKEN]).env("JWT_JWKS_FILE", b"in"),
        row(3, "no such file", &["verify", TOKEN, "--home", "store"]).env("JWT_JWKS_FILE", b"store/\xff\xfe.json"),
        // --- doctor: hostile environment (findings on stdout, one error line, exit 1) ---
        row(1, "break AgentOS authentication", &["doctor"]).env("JWT_VERIFICATION_KEY", b"garbage").report(),
        row(1, "break AgentOS authentication", &["doctor"]).env("JWT_VERIFICATION_KEY", b"\xff\xfe").report(),
        row(1, "break AgentOS authentication", &["doctor"]).env("JWT_VERIFICATION_KEY", &vec![b'A'; 100_000]).report(),
        row(1, "break AgentOS authentication", &["doctor"]).env("JWT_JWKS_FILE", b"in").report(),
        row(1, "break AgentOS authentication", &["doctor"]).env("JWT_JWKS_FILE", b"\xff\xfe").report(),
        row(1, "break AgentOS authentication", &["doctor"]).env("JWT_JWKS_FILE", b"jw/not-json/jwks.json").report(),
        row(1, "break AgentOS authentication", &["doctor"]).env("JWT_JWKS_FILE", b"jw/huge-modulus/jwks.json").report(),
        row(1, "break AgentOS authentication", &["doctor"]).env("JWT_JWKS", b"{not json").report(),
        row(1, "no token given", &["doctor", "--token", ""]),
        row(1, "invalid --request", &["doctor", "--token", TOKEN, "--request", "nope"]),
        row(2, "invalid value 'none'", &["doctor", "--alg", "none"]),
        // --- scopes, completions: only usage errors are possible ---
        row(2, "unexpected argument", &["scopes", "--bogus"]),
        row(2, "invalid value 'cmd'", &["completions", "cmd"]),
        row(2, "required arguments were not provided", &["completions"]),
    ]
}

/// A valid EC P-256 key pair and an RSA one, for inputs derived from real keys.
struct Material {
    ec_private_pem: String,
    ec_public_pem: String,
    ec_jwk: Value,
    /// The EC key's private scalar, base64url: with `ec_jwk` a valid private JWK.
    ec_d: String,
    rsa_jwk: Value,
}

fn material() -> Material {
    let ec = Key::generate(Alg::ES256, 2048).unwrap();
    let rsa = Key::generate(Alg::RS256, 2048).unwrap();
    let pkcs8 = B64
        .decode(
            ec.private_key_pem()
                .unwrap()
                .lines()
                .filter(|l| !l.starts_with("-----"))
                .collect::<String>(),
        )
        .unwrap();
    // ECPrivateKey inside PKCS#8: version 1 (02 01 01), then the scalar (04 20 + 32 bytes).
    let at = pkcs8
        .windows(5)
        .position(|w| w == [0x02, 0x01, 0x01, 0x04, 0x20])
        .unwrap()
        + 5;
    Material {
        ec_d: URL_SAFE_NO_PAD.encode(&pkcs8[at..at + 32]),
        ec_private_pem: ec.private_key_pem().unwrap().to_string(),
        ec_public_pem: ec.public_key_pem().unwrap(),
        ec_jwk: serde_json::to_value(ec.public_jwk(Some("ec-1")).unwrap()).unwrap(),
        rsa_jwk: serde_json::to_value(rsa.public_jwk(Some("rsa-1")).unwrap()).unwrap(),
    }
}

fn with(v: &Value, f: impl FnOnce(&mut serde_json::Map<String, Value>)) -> Value {
    let mut v = v.clone();
    f(v.as_object_mut().unwrap());
    v
}

/// Files under `in/`: name → bytes.
#[rustfmt::skip]
fn inputs(m: &Material) -> Vec<(String, Vec<u8>)> {
    let pem = &m.ec_private_pem;
    let half = &pem[..pem.len() / 2];
    let lines: Vec<&str> = pem.lines().collect();
    let body = lines[1..lines.len() - 1].join("\n");
    let truncated_body = format!(
        "{}\n{}\n{}\n",
        lines[0],
        &body[..body.len() / 2],
        lines[lines.len() - 1]
    );
    let ec = &m.ec_jwk;
    let huge_n = "_".repeat(20_000); // 120000 bits, all ones
    let deep = "[".repeat(100_000);
    let out: Vec<(&str, Vec<u8>)> = vec![
        ("empty", b"".to_vec()),
        ("whitespace", b"  \n\t\r\n  ".to_vec()),
        ("junk", (0..=255u8).rev().cycle().take(4096).collect()),
        ("der", vec![0x30, 0x82, 0x01, 0x22, 0x30, 0x0d, 0x06, 0x09, 0xff, 0x00]),
        ("nul-in-pem", format!("{half}\0{half}").into_bytes()),
        ("truncated-no-end.pem", half.as_bytes().to_vec()),
        ("truncated-body.pem", truncated_body.into_bytes()),
        ("doubled.pem", format!("{pem}{pem}").into_bytes()),
        ("bad-base64.pem", b"-----BEGIN PRIVATE KEY-----\n!!!!####$$$$\n-----END PRIVATE KEY-----\n".to_vec()),
        ("begin-damaged.pem", b"-----BEGIN private key-----\nAAAA\n-----END private key-----\n".to_vec()),
        ("end-mismatch.pem", pem.replace("END PRIVATE KEY", "END PUBLIC KEY").into_bytes()),
        ("foo-block.pem", b"-----BEGIN FOO BAR-----\nAAAA\n-----END FOO BAR-----\n".to_vec()),
        ("prose.txt", b"this is not a key, just some words\n".to_vec()),
        ("bare-body.txt", body.clone().into_bytes()),
        ("megabyte-line", vec![b'A'; 1 << 20]),
        ("ssh-rsa-bad-base64.pub", b"ssh-rsa AAAA!!!notbase64 user@host\n".to_vec()),
        ("ec.pub.pem", m.ec_public_pem.clone().into_bytes()),
        ("jwk-not-json.json", b"{\"kty\": \"EC\", ".to_vec()),
        ("jwk-deep.json", format!("{{\"kty\":{deep}").into_bytes()),
        ("jwk-no-kty.json", with(ec, |o| { o.remove("kty"); }).to_string().into_bytes()),
        ("jwk-kty-number.json", with(ec, |o| { o.insert("kty".into(), json!(7)); }).to_string().into_bytes()),
        ("jwk-kty-unknown.json", with(ec, |o| { o.insert("kty".into(), json!("XYZ")); }).to_string().into_bytes()),
        ("jwk-okp.json", json!({"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}).to_string().into_bytes()),
        ("jwk-x-bad-base64.json", with(ec, |o| { o.insert("x".into(), json!("***")); }).to_string().into_bytes()),
        ("jwk-x-short.json", with(ec, |o| { o.insert("x".into(), json!("AAAA")); }).to_string().into_bytes()),
        ("jwk-p384.json", with(ec, |o| { o.insert("crv".into(), json!("P-384")); }).to_string().into_bytes()),
        ("jwk-off-curve.json", with(ec, |o| { o.insert("y".into(), json!("A".repeat(42) + "E")); }).to_string().into_bytes()),
        ("jwk-n-huge-number.json", format!("{{\"kty\":\"RSA\",\"e\":\"AQAB\",\"n\":1{}}}", "0".repeat(400)).into_bytes()),
        ("jwk-n-huge.json", with(&m.rsa_jwk, |o| { o.insert("n".into(), json!(huge_n)); }).to_string().into_bytes()),
        ("jwk-rsa-d-only.json", with(&m.rsa_jwk, |o| { o.insert("d".into(), json!("AQAB")); }).to_string().into_bytes()),
        ("jwk-ec-wrong-d.json", with(ec, |o| { o.insert("d".into(), json!("A".repeat(42) + "E")); }).to_string().into_bytes()),
        ("jwk-oct-empty.json", json!({"kty": "oct", "k": ""}).to_string().into_bytes()),
        ("jwks-private.json", json!({"keys": [with(ec, |o| { o.insert("d".into(), json!("AAAA")); })]}).to_string().into_bytes()),
        ("jwk-alg-mismatch.json", with(ec, |o| { o.insert("alg".into(), json!("RS256")); }).to_string().into_bytes()),
        ("hs.jwk.json", json!({"kty": "oct", "kid": "hs", "k": "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA"}).to_string().into_bytes()),
        ("jwk-kid-number.json", with(ec, |o| { o.insert("kid".into(), json!(12)); }).to_string().into_bytes()),
    ];
    out.into_iter().map(|(n, b)| (n.to_string(), b)).collect()
}

/// Stores under `jw/`: name → jwks.json content (each store also has an empty `keys/`).
#[rustfmt::skip]
fn hostile_jwks(m: &Material) -> Vec<(&'static str, String)> {
    let ec = &m.ec_jwk;
    let one = |v: Value| json!({ "keys": [v] }).to_string();
    vec![
        ("not-json", "{\"keys\": [".to_string()),
        ("array", "[]".to_string()),
        ("no-keys", "{}".to_string()),
        ("keys-object", "{\"keys\": {}}".to_string()),
        ("single-jwk", ec.to_string()),
        ("duplicate-kids", json!({"keys": [ec, with(&m.rsa_jwk, |o| { o.insert("kid".into(), json!("ec-1")); })]}).to_string()),
        ("huge-number", r#"{"keys":[{"kty":"EC","crv":"P-256","x":1e999999,"y":2}]}"#.to_string()),
        ("huge-modulus", one(with(&m.rsa_jwk, |o| { o.insert("n".into(), json!("_".repeat(20_000))); }))),
        ("kid-number", one(with(ec, |o| { o.insert("kid".into(), json!(1)); }))),
        ("null-entry", "{\"keys\": [null]}".to_string()),
        ("private-members", one(with(ec, |o| { o.insert("d".into(), json!(m.ec_d)); }))),
        ("oct-secret", one(json!({"kty": "oct", "kid": "hs", "k": "c2VjcmV0"}))),
        ("bad-base64", one(with(ec, |o| { o.insert("y".into(), json!("@@@")); }))),
        ("rsa-tiny", r#"{"keys":[{"kty":"RSA","kid":"t","n":"AQAB","e":"AQAB"}]}"#.to_string()),
        ("ec-empty-xy", r#"{"keys":[{"kty":"EC","kid":"e","crv":"P-256","x":"","y":""}]}"#.to_string()),
    ]
}

/// Builds the shared sandbox. `store` is made by the binary itself (a real keygen).
fn build_sandbox(root: &Path) {
    let m = material();
    let inp = root.join("in");
    fs::create_dir_all(&inp).unwrap();
    for (name, bytes) in inputs(&m) {
        fs::write(inp.join(name), bytes).unwrap();
    }
    fs::write(root.join(OsStr::from_bytes(NON_UTF8_NAME)), b"").unwrap();

    let fx = root.join("fx");
    fs::create_dir_all(&fx).unwrap();
    let fixtures = common::manifest_dir().join("tests").join("fixtures");
    for e in fs::read_dir(&fixtures).unwrap() {
        let e = e.unwrap();
        fs::copy(e.path(), fx.join(e.file_name())).unwrap();
        // Private fixtures as a careful user keeps them (no loose-permission warning).
        fs::set_permissions(fx.join(e.file_name()), fs::Permissions::from_mode(0o600)).unwrap();
    }

    for (name, doc) in hostile_jwks(&m) {
        let home = root.join("jw").join(name);
        fs::create_dir_all(home.join("keys")).unwrap();
        fs::write(home.join("jwks.json"), doc).unwrap();
    }

    let keygen = |home: &str, extra: &[&str]| {
        let o = bin()
            .current_dir(root)
            .args([
                "--home", home, "keygen", "--kid", "main", "--aud", "test-os",
            ])
            .args(extra)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    keygen("store", &["--alg", "RS256"]);
    // `ring`: a key store whose JWKS also publishes a key added from outside (kid ec-1).
    keygen("ring", &["--alg", "ES256"]);
    fs::write(root.join("in/ec-1.jwk.json"), m.ec_jwk.to_string()).unwrap();
    let o = bin()
        .current_dir(root)
        .args(["--home", "ring", "jwks", "add", "--key", "in/ec-1.jwk.json"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for name in [
        "bad-keyring",
        "bad-settings",
        "missing-key-file",
        "settings-dir",
    ] {
        keygen(&format!("st/{name}"), &["--alg", "ES256"]);
    }
    fs::write(
        root.join("st/bad-keyring/keys/keyring.json"),
        b"{\"keys\": 5",
    )
    .unwrap();
    fs::write(root.join("st/bad-settings/settings.json"), b"{aud:").unwrap();
    fs::remove_file(root.join("st/missing-key-file/keys/main.key.pem")).unwrap();
    let settings = root.join("st/settings-dir/settings.json");
    fs::remove_file(&settings).unwrap();
    fs::create_dir(&settings).unwrap();

    // keygen --out-dir targets: an existing key, and key paths that are directories.
    fs::create_dir_all(root.join("out-existing")).unwrap();
    fs::write(root.join("out-existing/agentos.key.pem"), &m.ec_private_pem).unwrap();
    fs::create_dir_all(root.join("out-dir-target/agentos.key.pem")).unwrap();
    fs::create_dir_all(root.join("out-pub-dir-target")).unwrap();
    fs::write(
        root.join("out-pub-dir-target/agentos.key.pem"),
        &m.ec_private_pem,
    )
    .unwrap();
    fs::create_dir_all(root.join("out-pub-dir-target/agentos.pub.pem")).unwrap();
}

#[derive(Debug, PartialEq)]
enum Entry {
    Dir(u32),
    File(u32, Vec<u8>),
}

fn snapshot(root: &Path) -> BTreeMap<PathBuf, Entry> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            let meta = fs::symlink_metadata(&p).unwrap();
            let mode = meta.permissions().mode() & 0o7777;
            let rel = p.strip_prefix(root).unwrap().to_path_buf();
            if meta.is_dir() {
                out.insert(rel, Entry::Dir(mode));
                stack.push(p);
            } else {
                out.insert(rel, Entry::File(mode, fs::read(&p).unwrap()));
            }
        }
    }
    out
}

/// What changed between two snapshots; new empty `*.lock` files are allowed (taking a
/// lock creates one and they are never removed, by design: see `fsio::FileLock`).
fn differences(before: &BTreeMap<PathBuf, Entry>, after: &BTreeMap<PathBuf, Entry>) -> Vec<String> {
    let mut diffs = Vec::new();
    for (p, e) in before {
        match after.get(p) {
            None => diffs.push(format!("removed {}", p.display())),
            Some(a) if a != e => diffs.push(format!("changed {}", p.display())),
            _ => {}
        }
    }
    for (p, e) in after {
        let harmless_lock = p.extension() == Some(OsStr::new("lock"))
            && matches!(e, Entry::File(_, b) if b.is_empty());
        if !before.contains_key(p) && !harmless_lock {
            diffs.push(format!("created {}", p.display()));
        }
    }
    diffs
}

fn show(args: &[OsString]) -> String {
    args.iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn every_hostile_input_fails_cleanly_and_changes_nothing() {
    let sandbox = tempfile::tempdir().unwrap();
    let root = sandbox.path();
    build_sandbox(root);
    let table = rows();
    assert!(table.len() >= 60, "the table must hold at least 60 rows");
    assert!(
        table.iter().all(|r| matches!(r.code, 1..=3)),
        "input errors exit 1, 2 or 3; verdicts belong in verdict_rows"
    );
    let failures = run_table(root, &table);
    assert!(
        failures.is_empty(),
        "{} of {} hostile inputs broke the contract:\n{}",
        failures.len(),
        table.len(),
        failures.join("\n")
    );
}

/// Tokens that do not verify are not input errors for `verify` (and `doctor --token`):
/// AgentOS answers them 401, so they exit 10 — with the same one-line, no-panic,
/// nothing-changed contract. (`inspect` decodes without verifying: `alg: none` and
/// non-object claims decode there, so only undecodable tokens are its rows above.)
#[rustfmt::skip]
fn verdict_rows() -> Vec<Row> {
    let b64 = |s: &str| URL_SAFE_NO_PAD.encode(s);
    let none = format!("{}.{}.", b64(r#"{"alg":"none"}"#), b64(r#"{"sub":"x","scopes":["agents:read"]}"#));
    let none_rs = format!("{}.{}.", b64(r#"{"alg":"none","kid":"main"}"#), b64(r#"{"sub":"x"}"#));
    let claims_list = format!("{}.{}.c2ln", b64(r#"{"alg":"RS256","kid":"main"}"#), b64("[1,2]"));
    let claims_string = format!("{}.{}.c2ln", b64(r#"{"alg":"RS256","kid":"main"}"#), b64("\"sub\""));
    let header_not_json = format!("{}.e30.c2ln", b64("not json"));
    let deep = format!("{}.e30.c2ln", b64(&"[".repeat(100_000)));
    let kid_object = format!("{}.e30.c2ln", b64(r#"{"alg":"RS256","kid":{"a":1}}"#));
    let v = |t: &str| vec!["verify".to_string(), t.to_string(), "--home".into(), "store".into()];
    let mut out = Vec::new();
    for t in ["a.b", "a.b.c.d", "!!!.e30.c2ln", "e30.***.c2ln", "e30.e30.@@", "e30.e30.c2ln", TOKEN, &none, &none_rs, &claims_list, &claims_string, &header_not_json, &kid_object] {
        let args = v(t);
        out.push(row(10, "AgentOS would answer 401", &args.iter().map(String::as_str).collect::<Vec<_>>()));
    }
    out.push(row(10, "AgentOS would answer 401", &["verify", "-", "--home", "store", "--alg", "HS256"]).stdin(none.as_bytes()));
    out.push(row(10, "AgentOS would answer 401", &["verify", "--home", "store"]).stdin(deep.as_bytes()));
    out.push(row(10, "AgentOS would answer 401", &["verify", "--jwks", "store/jwks.json", "--request", "GET /agents"]).stdin(claims_list.as_bytes()));
    out.push(row(10, "AgentOS would answer 401", &["doctor", "--token", "a.b.c.d"]).env("JWT_JWKS_FILE", b"store/jwks.json").report());
    out.push(row(10, "AgentOS would answer 401", &["doctor", "--token", &none]).env("JWT_JWKS_FILE", b"store/jwks.json").report());
    out
}

#[test]
fn undecodable_and_unsigned_tokens_get_a_clean_401_verdict() {
    let sandbox = tempfile::tempdir().unwrap();
    let root = sandbox.path();
    build_sandbox(root);
    let table = verdict_rows();
    let failures = run_table(root, &table);
    assert!(
        failures.is_empty(),
        "{} of {} hostile tokens broke the contract:\n{}",
        failures.len(),
        table.len(),
        failures.join("\n")
    );
}

/// A non-UTF-8 `JWT_VERIFICATION_KEY` is set as far as AgentOS knows (`os.getenv`), and
/// cannot be a key it parses: verify must not skip it and vouch for the token with the
/// key store's key instead.
#[test]
fn verify_does_not_skip_a_non_utf8_verification_key() {
    let home = tempfile::tempdir().unwrap();
    let ok = bin()
        .args(["--home"])
        .arg(home.path())
        .args(["keygen", "--alg", "RS256", "--aud", "os"])
        .output()
        .unwrap();
    assert!(ok.status.success());
    let minted = bin()
        .arg("--home")
        .arg(home.path())
        .args(["mint", "-s", "agents:read"])
        .output()
        .unwrap();
    assert!(minted.status.success());
    let token = String::from_utf8(minted.stdout).unwrap();
    let verify = |env: Option<&[u8]>| {
        let mut cmd = bin();
        cmd.arg("--home")
            .arg(home.path())
            .args(["verify", token.trim()]);
        if let Some(v) = env {
            cmd.env("JWT_VERIFICATION_KEY", OsStr::from_bytes(v));
        }
        cmd.output().unwrap()
    };
    assert_eq!(
        verify(None).status.code(),
        Some(0),
        "the store's key verifies it"
    );
    let o = verify(Some(b"\xff\xfe"));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(10), "{err}");
    assert!(err.contains("JWT_VERIFICATION_KEY"), "{err}");
}

/// Runs each row in `root` and lists how each one broke the contract.
fn run_table(root: &Path, table: &[Row]) -> Vec<String> {
    let mut failures = Vec::new();
    for r in table {
        let before = snapshot(root);
        let mut cmd = bin();
        cmd.current_dir(root)
            .args(&r.args)
            .write_stdin(r.stdin.clone());
        for (k, v) in &r.env {
            cmd.env(k, v);
        }
        let o = cmd.output().unwrap();
        let after = snapshot(root);
        let err = String::from_utf8_lossy(&o.stderr);
        let mut problems = Vec::new();
        if o.status.code() != Some(r.code) {
            problems.push(format!("exit {:?}, want {}", o.status.code(), r.code));
        }
        if err.lines().count() != 1 || !err.ends_with('\n') {
            problems.push(format!("{} stderr lines", err.lines().count()));
        }
        if !err.starts_with("agentos-auth: error: ") {
            problems.push("stderr is not an agentos-auth error line".into());
        }
        if err.contains("panicked") || err.contains("RUST_BACKTRACE") {
            problems.push("panic".into());
        }
        if !err.contains(r.needle) {
            problems.push(format!("message lacks {:?}", r.needle));
        }
        if !o.stdout.is_empty() && !r.report {
            problems.push(format!("stdout: {:?}", String::from_utf8_lossy(&o.stdout)));
        }
        problems.extend(differences(&before, &after));
        if !problems.is_empty() {
            let env: Vec<String> = r
                .env
                .iter()
                .map(|(k, v)| format!("{k}={:.40} ", v.to_string_lossy()))
                .collect();
            failures.push(format!(
                "`{}{}`: {}\n    stderr: {}",
                env.concat(),
                show(&r.args),
                problems.join("; "),
                err.trim_end()
            ));
        }
    }
    failures
}

/// The parsers' edge cases that no command argument reaches more directly (every token
/// and JWKS row now runs through `inspect`, `verify` and `jwks` above): an error naming
/// the problem, never a panic.
#[test]
#[rustfmt::skip]
fn parsers_reject_hostile_text() {
    use agentos_auth::{agentos, jwk_set, time};
    for (s, needle) in [("-1h", "negative"), ("99999999d", "longer than 10 years"), ("1.5h", "fractions"), ("", "empty"), ("h", "expected a number"), ("5", "missing unit"), ("1h-", "expected a number before \"-\""), ("１h", "expected a number")] {
        let e = time::parse_duration(s).expect_err(s).to_string();
        assert!(e.contains(needle), "{s:?}: {e}");
    }
    for (s, needle) in [("1969-12-31", "before 1970"), ("@-1", "before 1970"), ("-99999d", "longer than 10 years"), ("@", "expected unix seconds"), ("2026-02-30", "not a valid date"), ("2026-12-01T10:00:00", "no time zone"), ("@99999999999999999999", "out of range")] {
        let e = time::parse_time(s, 1_767_225_600).expect_err(s).to_string();
        assert!(e.contains(needle), "{s:?}: {e}");
    }
    for (s, needle) in [("", "empty scope"), ("agents", "no action"), ("a:b:c:d", "too many colons"), ("agents: read", "whitespace"), ("agents::run", "empty id"), ("agents:a*:run", "matched exactly"), ("sessions:s1:read", "no per-id scopes"), ("agents:*:*", "no action wildcard")] {
        let e = agentos::validate_scope(agentos::LATEST, s).expect_err(s).to_string();
        assert!(e.contains(needle), "{s:?}: {e}");
    }
    // The lenient reader gives every key its own verdict instead of failing the file.
    let doc = r#"{"keys":[null,{"kty":5},{"kty":"EC","crv":"P-384","x":"AA","y":"AA"},{"kty":"oct","k":""}]}"#;
    let keys = jwk_set::inspect_jwks(doc.as_bytes(), "j").unwrap();
    assert_eq!(keys.len(), 4);
    assert!(keys.iter().all(|k| k.verdict.is_err()));
}
