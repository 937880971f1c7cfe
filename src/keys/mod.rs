//! Key material: the single place keys are read, generated and encoded.
//!
//! A [`Key`] is an RSA or EC P-256 key (private or public) or an HS256 secret. It is
//! read from whatever users have at hand ([`Key::parse`]: PEM in its many forms, even
//! mangled by an environment variable, an OpenSSH `ssh-rsa` line, a JWK, or a raw
//! secret), written as PEM or JWK, and turned into a [`Signer`] or [`Verifier`].
//!
//! One file per source or format: `pem` (PEM and its repair, PKCS#8/PKCS#1/SEC1/SPKI),
//! `ssh` (OpenSSH public keys), `jwk` (the JWK type and JWK import), `key` (the key
//! itself and its encodings), `signer` (the one signing interface every command uses,
//! whatever holds the key). This module detects the format and holds what they share.
//!
//! All cryptography goes through aws-lc-rs; the `pkcs1`/`pkcs8`/`spki`/`sec1` crates
//! only read DER structures so that unsupported keys get a precise message. Private
//! material is held in `Zeroizing` buffers, wiped on drop.

pub mod ask;
mod encrypted;
mod jwk;
mod key;
mod pem;
pub mod pkcs11;
mod signer;
mod ssh;
#[cfg(test)]
mod tests;

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;
use der::asn1::ObjectIdentifier;
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use jwk::parse_jwk_text;
use key::Inner;
use pem::parse_pem;
use ssh::parse_ssh;

pub use encrypted::PBKDF2_ITERATIONS;
pub(crate) use jwk::type_name;
pub use jwk::{thumbprint_of, wipe_json, Jwk, PRIVATE_MEMBERS};
pub use key::Key;
pub use pem::normalize_pem;
pub use signer::{Signer, Verifier};

/// The algorithms AgentOS verifies (and this tool makes keys for).
#[allow(clippy::upper_case_acronyms)]
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, clap::ValueEnum,
)]
pub enum Alg {
    #[value(name = "RS256")]
    RS256,
    #[value(name = "ES256")]
    ES256,
    #[value(name = "HS256")]
    HS256,
}

impl Alg {
    pub fn as_str(self) -> &'static str {
        match self {
            Alg::RS256 => "RS256",
            Alg::ES256 => "ES256",
            Alg::HS256 => "HS256",
        }
    }

    /// The kind of key the algorithm needs: "RSA", "EC P-256", "HMAC secret".
    pub fn key_type(self) -> &'static str {
        match self {
            Alg::RS256 => "RSA",
            Alg::ES256 => "EC P-256",
            Alg::HS256 => "HMAC secret",
        }
    }

    /// "an RSA key", "an EC P-256 key", "an HMAC secret".
    fn key_phrase(self) -> &'static str {
        match self {
            Alg::RS256 => "an RSA key",
            Alg::ES256 => "an EC P-256 key",
            Alg::HS256 => "an HMAC secret",
        }
    }

    /// Exact JOSE name (`alg` members are case-sensitive).
    pub(crate) fn from_jose(s: &str) -> Option<Alg> {
        match s {
            "RS256" => Some(Alg::RS256),
            "ES256" => Some(Alg::ES256),
            "HS256" => Some(Alg::HS256),
            _ => None,
        }
    }
}

impl fmt::Display for Alg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Alg {
    type Err = Error;

    /// Case-insensitive: "rs256" is RS256.
    fn from_str(s: &str) -> Result<Alg> {
        match s.to_ascii_uppercase().as_str() {
            "RS256" => Ok(Alg::RS256),
            "ES256" => Ok(Alg::ES256),
            "HS256" => Ok(Alg::HS256),
            _ => Err(Error::input(format!("unknown algorithm \"{s}\""))
                .hint("use RS256, ES256 or HS256")),
        }
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

/// Where key bytes came from (for messages) and which algorithm the caller expects.
#[derive(Debug, Clone, Copy)]
pub struct ParseOptions<'a> {
    /// A file name, "stdin", "$AGENTOS_AUTH_KEY": the subject of error messages.
    pub source: &'a str,
    /// The algorithm the caller needs; a key of another type is an error. With
    /// `Some(HS256)`, content that is not a key format is taken as the secret.
    pub alg: Option<Alg>,
}

const HINT_KEYGEN: &str = "create a supported key with: agentos-auth keygen";
const HINT_COPY_AGAIN: &str =
    "the key was damaged or cut short when copied; copy the whole key again";
const SUPPORTED: &str = "AgentOS supports RS256 (RSA), ES256 (EC P-256) and HS256 keys only";

// Object identifiers of key algorithms and curves.
const OID_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const OID_RSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
const OID_EC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const OID_P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const OID_P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
const OID_P521: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.35");
const OID_SECP256K1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.10");
const OID_ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
const OID_ED448: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.113");
const OID_X25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.110");
const OID_X448: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.111");
const OID_DSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10040.4.1");
const OID_DH: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.3.1");
const OID_X942_DH: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10046.2.1");

/// RSA moduli verified by PyJWT (through `cryptography`) range over these sizes.
const RSA_PUBLIC_MIN_BITS: usize = 1024;
const RSA_MAX_BITS: usize = 8192;
/// Smallest RSA key this tool signs with.
const RSA_PRIVATE_MIN_BITS: usize = 2048;

/// base64url that tolerates `=` padding (JWK members from other tools).
const B64URL_LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);
/// Standard base64 (PEM bodies, OpenSSH blobs), padding optional.
const B64_LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

// ---------------------------------------------------------------------------------
// Errors shared by the parsers.

fn crypto_failure(what: &str) -> Error {
    Error::input(format!("could not {what} (crypto library error)"))
        .hint("retry; if it persists, report a bug")
}

fn no_public_key() -> Error {
    Error::input("an HS256 secret has no public key; AgentOS verifies with the secret itself")
        .hint("give AgentOS the same secret in JWT_VERIFICATION_KEY, or use an RS256/ES256 key")
}

/// `what`: "an Ed25519 key", "an EC P-384 key", ...
fn unsupported(what: &str) -> Error {
    Error::input(format!("this is {what}; {SUPPORTED}")).hint(HINT_KEYGEN)
}

fn damaged(source: &str, what: &str, e: impl fmt::Display) -> Error {
    Error::input(format!(
        "{source}: the {what} is damaged or truncated ({e})"
    ))
    .hint(HINT_COPY_AGAIN)
}

fn rejected(source: &str, what: &str, e: &aws_lc_rs::error::KeyRejected) -> Error {
    Error::input(format!(
        "{source}: the {what} is not a valid key ({})",
        e.description_()
    ))
    .hint("export the key again, or create a new one with: agentos-auth keygen")
}

/// Legacy OpenSSL encryption (`Proc-Type: 4,ENCRYPTED`), which only PKCS#8 replaces.
fn encrypted(source: &str) -> Error {
    Error::input(format!(
        "{source} is a private key in OpenSSL's legacy encrypted format (Proc-Type: 4,ENCRYPTED)"
    ))
    .hint("convert it to encrypted PKCS#8, which this tool reads: openssl pkcs8 -topk8 -v2 aes-256-cbc -in KEY -out key.p8.pem")
}

fn rsa_private_too_small(bits: usize) -> Error {
    Error::input(format!(
        "RSA {bits}-bit private key is too small to sign with (at least {RSA_PRIVATE_MIN_BITS} bits)"
    ))
    .hint("generate a new one with agentos-auth keygen")
}

// ---------------------------------------------------------------------------------
// Format detection.

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

/// Trims whitespace and one or more pairs of surrounding quotes (`"…"` or `'…'`).
fn clean_text(text: &str) -> &str {
    let mut t = text.trim();
    loop {
        let b = t.as_bytes();
        match (b.first(), b.last()) {
            (Some(&q @ (b'"' | b'\'')), Some(&l)) if b.len() >= 2 && q == l => {
                t = t.get(1..t.len() - 1).unwrap_or_default().trim();
            }
            _ => return t,
        }
    }
}

// ---------------------------------------------------------------------------------
// Small helpers.

fn strip_zeros(b: &[u8]) -> &[u8] {
    let start = b.iter().position(|&x| x != 0).unwrap_or(b.len());
    b.get(start..).unwrap_or_default()
}

/// Bit length of a big-endian unsigned integer.
pub(crate) fn bit_len(b: &[u8]) -> usize {
    let b = strip_zeros(b);
    match b.first() {
        Some(&first) => (b.len() - 1) * 8 + (8 - first.leading_zeros() as usize),
        None => 0,
    }
}
