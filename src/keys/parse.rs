//! Reading a key from whatever users have at hand: detects the format (PEM, JWK,
//! OpenSSH, a raw secret, a `pkcs11:` URI) and hands it to its reader.

use std::path::Path;

use base64::Engine as _;
use zeroize::Zeroizing;

use super::alg::Alg;
use super::formats::*;
use super::jwk::parse_jwk_text;
use super::key::{Inner, Key};
use super::pem::parse_pem;
use super::pkcs11;
use super::ssh::parse_ssh;
use crate::error::{Error, Result};

impl Key {
    /// Reads a key from bytes, detecting the format: PEM (PKCS#8, PKCS#1, SEC1, SPKI;
    /// also when mangled by env vars: CRLF, spaces or literal `\n` for newlines, no
    /// newlines, quotes), an OpenSSH `ssh-rsa` line, a JWK, or — only with
    /// `opts.alg == Some(HS256)` — a raw secret (the content without trailing newlines).
    pub fn parse(bytes: &[u8], opts: &ParseOptions) -> Result<Key> {
        let key = parse_any(bytes, opts)?;
        if let Some(want) = opts.alg {
            let have = key.alg();
            if have != want {
                return Err(Error::input(format!(
                    "{} is {} but --alg {want} needs {}",
                    opts.source,
                    have.key_phrase(),
                    want.key_phrase()
                ))
                .hint(format!(
                    "use --alg {have} with this key, or pass {}",
                    want.key_phrase()
                )));
            }
        }
        Ok(key)
    }
}

/// Reads the key `name` names: a `pkcs11:` URI (the key stays in its token), `-`
/// (stdin) or a file; the one entry point for keys named on a command line, in an
/// environment variable or in a key ring. `opts.source` is ignored: the name is used
/// (a URI without its pin-value).
pub fn read_key(name: &Path, alg: Option<Alg>) -> Result<Key> {
    if let Some(uri) = name.to_str().filter(|n| pkcs11::is_uri(n)) {
        return pkcs11::open(uri, alg);
    }
    let source = key_source_name(name);
    let bytes = Zeroizing::new(crate::fsio::read_input(name)?);
    let parse = |alg| {
        Key::parse(
            &bytes,
            &ParseOptions {
                source: &source,
                alg,
            },
        )
    };
    match parse(alg) {
        // `keygen` names an HS256 secret NAME.secret: such a file needs no --alg.
        Err(_) if alg.is_none() && is_secret_file(name) => parse(Some(Alg::HS256)),
        other => other,
    }
}

/// `keygen` writes an HS256 secret as `NAME.secret`.
pub fn is_secret_file(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "secret")
}

/// How messages name a key: "stdin", a file name, or a URI without its pin-value.
pub fn key_source_name(name: &Path) -> String {
    if name.as_os_str() == "-" {
        return "stdin".to_string();
    }
    match name.to_str().filter(|n| pkcs11::is_uri(n)) {
        Some(uri) => pkcs11::Uri::parse(uri)
            .map(|u| u.display())
            .unwrap_or_else(|_| "the pkcs11: URI".to_string()),
        None => name.display().to_string(),
    }
}

pub(super) fn parse_any(bytes: &[u8], opts: &ParseOptions) -> Result<Key> {
    let src = opts.source;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::input(format!("{src} is empty"))
            .hint("pass a PEM key, a JWK, or the secret with --alg HS256"));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t)
            if !t
                .chars()
                .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) =>
        {
            t
        }
        _ => return Err(binary_error(src, bytes)),
    };
    let cleaned = clean_text(text);
    if cleaned.contains("-----BEGIN") {
        return parse_pem(cleaned, src);
    }
    if cleaned.starts_with('{') {
        return parse_jwk_text(cleaned, src);
    }
    // An OpenSSH public key line: "TYPE BASE64 [comment]" (a one-word secret such as
    // "sk-live-..." is not one).
    let mut words = cleaned.split_whitespace();
    if let (Some(first), Some(_)) = (words.next(), words.next()) {
        let ssh_types = ["ssh-", "ecdsa-sha2-", "sk-ssh-", "sk-ecdsa-sha2-"];
        if ssh_types.iter().any(|t| first.starts_with(t)) {
            return parse_ssh(cleaned, src);
        }
    }
    if opts.alg == Some(Alg::HS256) {
        // As `$(cat f)` does: trailing newlines go, a trailing `\r` stays (AgentOS
        // uses the secret byte for byte, and a CRLF file's secret does end in `\r`).
        let secret = text.trim_end_matches('\n');
        if secret.is_empty() {
            return Err(Error::input(format!("{src} is empty")).hint("pass the HS256 secret"));
        }
        return Ok(Key::from(Inner::Hmac {
            secret: Zeroizing::new(secret.to_string()),
        }));
    }
    let err = Error::input(format!("{src}: not a PEM key (no \"-----BEGIN\" line)"));
    if looks_like_bare_der(cleaned) {
        Err(err.hint(
            "this looks like a PEM body without its -----BEGIN/-----END lines: add them back, or pass --alg HS256 if this is an HS256 secret",
        ))
    } else {
        Err(err.hint("pass a PEM key file, or --alg HS256 if this is an HS256 secret"))
    }
}

fn binary_error(src: &str, bytes: &[u8]) -> Error {
    if bytes.first() == Some(&0x30) {
        Error::input(format!("{src} is binary (DER), not a PEM key"))
            .hint("convert it: openssl pkey -inform DER -in KEY -out key.pem (add -pubin for a public key)")
    } else {
        Error::input(format!("{src} is binary data, not a key"))
            .hint("pass a PEM key, a JWK, an ssh-rsa line, or a text secret")
    }
}

/// Base64 text that decodes to a DER SEQUENCE: a PEM body that lost its armour.
fn looks_like_bare_der(text: &str) -> bool {
    let compact: Zeroizing<String> =
        Zeroizing::new(text.chars().filter(|c| !c.is_whitespace()).collect());
    compact.len() >= 64
        && B64_LENIENT
            .decode(compact.as_bytes())
            .map(|v| {
                let v = Zeroizing::new(v);
                v.first() == Some(&0x30)
            })
            .unwrap_or(false)
}
