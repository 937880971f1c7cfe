//! Key material: the single place keys are read, generated and encoded.
//!
//! A [`Key`] is an RSA or EC P-256 key (private or public) or an HS256 secret. It is
//! read from whatever users have at hand ([`Key::parse`]: PEM in its many forms, even
//! mangled by an environment variable, an OpenSSH `ssh-rsa` line, a JWK, or a raw
//! secret), written as PEM or JWK, and turned into a [`Signer`] or [`Verifier`].
//!
//! One file per concern: `alg` (the algorithms), `key` (the key itself and its PEM
//! encodings), `formats` (what the formats share: parse options, OIDs, limits, lenient
//! base64, PEM armour, their errors), `parse` (format detection, `read_key`), `pem` (PEM
//! and its repair), `asn1` (PKCS#8, PKCS#1, SEC1, SPKI), `encrypted` (encrypted
//! PKCS#8), `ssh` (OpenSSH public keys), `jwk` (the JWK type, a key's JWK forms and
//! thumbprint), `pkcs11` (keys held in a token, a `key::HeldKey`), `signer` (the one
//! signing interface every command uses, whatever holds the key), `ask` (secrets asked
//! for while reading). This file is the facade: the files import each other by path,
//! never through it.
//!
//! All cryptography goes through aws-lc-rs; the `pkcs1`/`pkcs8`/`spki`/`sec1` crates
//! only read DER structures so that unsupported keys get a precise message. Private
//! material is held in `Zeroizing` buffers, wiped on drop.

mod alg;
pub mod ask;
mod asn1;
mod encrypted;
mod formats;
mod jwk;
mod key;
mod parse;
mod pem;
pub mod pkcs11;
mod signer;
mod ssh;
#[cfg(test)]
mod tests;

pub use alg::Alg;
pub use encrypted::PBKDF2_ITERATIONS;
pub use formats::ParseOptions;
pub(crate) use jwk::type_name;
pub use jwk::{thumbprint_of, wipe_json, Jwk, PRIVATE_MEMBERS};
pub use key::Key;
pub use parse::{is_secret_file, key_source_name, read_key};
pub use pem::normalize_pem;
pub use signer::{Signer, Verifier};
