//! What the key formats share: the options a parse takes, the object identifiers and
//! sizes they check, lenient base64, and the errors they raise.

use std::fmt;

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;
use der::asn1::ObjectIdentifier;
use zeroize::Zeroizing;

use super::alg::Alg;
use crate::error::Error;

/// Where key bytes came from (for messages) and which algorithm the caller expects.
#[derive(Debug, Clone, Copy)]
pub struct ParseOptions<'a> {
    /// A file name, "stdin", "$AGENTOS_AUTH_KEY": the subject of error messages.
    pub source: &'a str,
    /// The algorithm the caller needs; a key of another type is an error. With
    /// `Some(HS256)`, content that is not a key format is taken as the secret.
    pub alg: Option<Alg>,
}

pub(super) const HINT_KEYGEN: &str = "create a supported key with: agentos-auth keygen";
pub(super) const HINT_COPY_AGAIN: &str =
    "the key was damaged or cut short when copied; copy the whole key again";
pub(super) const SUPPORTED: &str =
    "AgentOS supports RS256 (RSA), ES256 (EC P-256) and HS256 keys only";

// Object identifiers of key algorithms and curves.
pub(super) const OID_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
pub(super) const OID_RSA_PSS: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
pub(super) const OID_EC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
pub(super) const OID_P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
pub(super) const OID_P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
pub(super) const OID_P521: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.35");
pub(super) const OID_SECP256K1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.10");
pub(super) const OID_ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
pub(super) const OID_ED448: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.113");
pub(super) const OID_X25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.110");
pub(super) const OID_X448: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.111");
pub(super) const OID_DSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10040.4.1");
pub(super) const OID_DH: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.3.1");
pub(super) const OID_X942_DH: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10046.2.1");

/// RSA moduli verified by PyJWT (through `cryptography`) range over these sizes.
pub(super) const RSA_PUBLIC_MIN_BITS: usize = 1024;
pub(super) const RSA_MAX_BITS: usize = 8192;
/// Smallest RSA key this tool signs with.
pub(super) const RSA_PRIVATE_MIN_BITS: usize = 2048;

/// base64url that tolerates `=` padding (JWK members from other tools).
pub(super) const B64URL_LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);
/// Standard base64 (PEM bodies, OpenSSH blobs), padding optional.
pub(super) const B64_LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

// ---------------------------------------------------------------------------------
// Errors shared by the parsers.

pub(super) fn crypto_failure(what: &str) -> Error {
    Error::input(format!("could not {what} (crypto library error)"))
        .hint("retry; if it persists, report a bug")
}

pub(super) fn no_public_key() -> Error {
    Error::input("an HS256 secret has no public key; AgentOS verifies with the secret itself")
        .hint("give AgentOS the same secret in JWT_VERIFICATION_KEY, or use an RS256/ES256 key")
}

/// `what`: "an Ed25519 key", "an EC P-384 key", ...
pub(super) fn unsupported(what: &str) -> Error {
    Error::input(format!("this is {what}; {SUPPORTED}")).hint(HINT_KEYGEN)
}

pub(super) fn damaged(source: &str, what: &str, e: impl fmt::Display) -> Error {
    Error::input(format!(
        "{source}: the {what} is damaged or truncated ({e})"
    ))
    .hint(HINT_COPY_AGAIN)
}

pub(super) fn rejected(source: &str, what: &str, e: &aws_lc_rs::error::KeyRejected) -> Error {
    Error::input(format!(
        "{source}: the {what} is not a valid key ({})",
        e.description_()
    ))
    .hint("export the key again, or create a new one with: agentos-auth keygen")
}

/// Legacy OpenSSL encryption (`Proc-Type: 4,ENCRYPTED`), which only PKCS#8 replaces.
pub(super) fn encrypted(source: &str) -> Error {
    Error::input(format!(
        "{source} is a private key in OpenSSL's legacy encrypted format (Proc-Type: 4,ENCRYPTED)"
    ))
    .hint("convert it to encrypted PKCS#8, which this tool reads: openssl pkcs8 -topk8 -v2 aes-256-cbc -in KEY -out key.p8.pem")
}

pub(super) fn rsa_private_too_small(bits: usize) -> Error {
    Error::input(format!(
        "RSA {bits}-bit private key is too small to sign with (at least {RSA_PRIVATE_MIN_BITS} bits)"
    ))
    .hint("generate a new one with agentos-auth keygen")
}

// ---------------------------------------------------------------------------------
// Small helpers.

pub(super) fn strip_zeros(b: &[u8]) -> &[u8] {
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

/// Trims whitespace and one or more pairs of surrounding quotes (`"…"` or `'…'`).
pub(super) fn clean_text(text: &str) -> &str {
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

/// PEM armour: `label` around `der` in base64, 64 columns.
pub(super) fn pem_wrap(label: &str, b64: &str) -> Zeroizing<String> {
    let mut out = Zeroizing::new(String::with_capacity(
        b64.len() + b64.len() / 64 + 2 * label.len() + 40,
    ));
    out.push_str("-----BEGIN ");
    out.push_str(label);
    out.push_str("-----\n");
    let mut rest = b64;
    while !rest.is_empty() {
        let (line, tail) = rest.split_at(rest.len().min(64));
        out.push_str(line);
        out.push('\n');
        rest = tail;
    }
    out.push_str("-----END ");
    out.push_str(label);
    out.push_str("-----\n");
    out
}

pub(super) fn pem_encode(label: &str, der: &[u8]) -> Zeroizing<String> {
    let b64 = Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(der));
    pem_wrap(label, &b64)
}
