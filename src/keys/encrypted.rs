//! Encrypted PKCS#8 (`BEGIN ENCRYPTED PRIVATE KEY`): PBES2 with PBKDF2-HMAC-SHA256 or
//! scrypt, AES-128/192/256-CBC — what OpenSSL 3 (`genpkey -aes256`, `pkcs8 -topk8`)
//! and Python `cryptography` write. RustCrypto `pkcs8` (with `pkcs5`) does the key
//! derivation and the cipher; this file only guards the work factors of files we
//! read, picks ours, and turns failures into messages.

use aws_lc_rs::rand;
use der::Decode;
use pkcs8::pkcs5::pbes2;
use pkcs8::pkcs5::EncryptionScheme;
use zeroize::Zeroizing;

use super::ask::{self, Request, Secret};
use super::asn1::from_pkcs8;
use super::formats::{crypto_failure, pem_encode, HINT_COPY_AGAIN};
use super::key::Key;
use crate::error::{Error, Result};

/// What `keygen --encrypt` writes: PBKDF2-HMAC-SHA256 with 600,000 iterations (OWASP's
/// 2023 figure for this PRF) and AES-256-CBC. PBKDF2 rather than scrypt because every
/// reader takes it: OpenSSL 3.0 refuses scrypt N = 2^15, r = 8 by its memory cap.
pub const PBKDF2_ITERATIONS: u32 = 600_000;

/// Work factors above these are refused before any work: a key file must not make
/// us spin for minutes or allocate gigabytes.
const MAX_PBKDF2_ITERATIONS: u32 = 10_000_000;
/// scrypt memory is 128 · r · N bytes; 256 MiB is 2^18 at r = 8.
const MAX_SCRYPT_MEMORY: u64 = 256 * 1024 * 1024;

const HINT_REENCRYPT: &str =
    "re-encrypt it: openssl pkcs8 -topk8 -v2 aes-256-cbc -in KEY -out key.p8.pem";

/// Decrypts `der` (an EncryptedPrivateKeyInfo) with the password the provider gives.
pub(super) fn read_encrypted(der: &[u8], src: &str) -> Result<Key> {
    let info = pkcs8::EncryptedPrivateKeyInfo::from_der(der).map_err(|e| {
        Error::input(format!(
            "{src}: the encrypted private key is damaged or truncated ({e})"
        ))
        .hint(HINT_COPY_AGAIN)
    })?;
    check_scheme(&info.encryption_algorithm, src)?;
    let password = ask::ask(&Request {
        what: Secret::Password,
        subject: src,
    })?;
    decrypt(&info, &password, src)
}

/// The decryption proper (separate so that tests can pass the password).
pub(super) fn decrypt(
    info: &pkcs8::EncryptedPrivateKeyInfo,
    password: &str,
    src: &str,
) -> Result<Key> {
    let wrong = || {
        Error::input(format!(
            "{src}: wrong password for this encrypted private key"
        ))
        .hint("check the password (with --password-file, the file's first line is used)")
    };
    // A wrong password fails the CBC padding check, or (1 in ~256) yields bytes that
    // are not a PKCS#8 structure: both mean the same to the user.
    // (pkcs5 reports a bad padding as EncryptFailed.)
    let plain = info.decrypt(password.as_bytes()).map_err(|e| match e {
        pkcs8::Error::EncryptedPrivateKey(
            pkcs8::pkcs5::Error::UnsupportedAlgorithm { .. }
            | pkcs8::pkcs5::Error::AlgorithmParametersInvalid { .. }
            | pkcs8::pkcs5::Error::NoPbes1CryptSupport,
        ) => unsupported_scheme(src),
        _ => wrong(),
    })?;
    if pkcs8::PrivateKeyInfo::from_der(plain.as_bytes()).is_err() {
        return Err(wrong());
    }
    from_pkcs8(plain.as_bytes(), src)
}

fn unsupported_scheme(src: &str) -> Error {
    Error::input(format!(
        "{src} is encrypted with a scheme this tool does not read (it reads PBES2: PBKDF2-HMAC-SHA256 or scrypt, with AES-CBC)"
    ))
    .hint(HINT_REENCRYPT)
}

fn check_scheme(scheme: &EncryptionScheme, src: &str) -> Result<()> {
    let EncryptionScheme::Pbes2(params) = scheme else {
        return Err(unsupported_scheme(src));
    };
    let too_costly = |what: String| {
        Error::input(format!(
            "{src}: its key derivation asks for {what}, more than this tool spends on a key file"
        ))
        .hint(HINT_REENCRYPT)
    };
    match &params.kdf {
        pbes2::Kdf::Pbkdf2(p) => {
            if p.prf != pbes2::Pbkdf2Prf::HmacWithSha256 {
                return Err(unsupported_scheme(src));
            }
            if p.iteration_count > MAX_PBKDF2_ITERATIONS {
                return Err(too_costly(format!(
                    "{} PBKDF2 iterations",
                    p.iteration_count
                )));
            }
        }
        pbes2::Kdf::Scrypt(p) => {
            let memory = 128u64
                .saturating_mul(u64::from(p.block_size))
                .saturating_mul(p.cost_parameter);
            if memory > MAX_SCRYPT_MEMORY || p.parallelization > 16 {
                return Err(too_costly(format!(
                    "scrypt N={} r={} p={} ({} MiB)",
                    p.cost_parameter,
                    p.block_size,
                    p.parallelization,
                    memory / (1024 * 1024)
                )));
            }
        }
        _ => return Err(unsupported_scheme(src)),
    }
    Ok(())
}

impl Key {
    /// The private key as encrypted PKCS#8 PEM (`BEGIN ENCRYPTED PRIVATE KEY`):
    /// PBKDF2-HMAC-SHA256 ([`PBKDF2_ITERATIONS`]), AES-256-CBC, random salt and IV.
    /// `None` for public keys, HS256 secrets and keys held in a token.
    pub fn encrypted_private_key_pem(&self, password: &str) -> Result<Option<Zeroizing<String>>> {
        let Some(der) = self.private_pkcs8() else {
            return Ok(None);
        };
        if password.is_empty() {
            return Err(Error::input("the password for the encrypted key is empty")
                .hint("put the password on the first line of the --password-file"));
        }
        let mut salt = [0u8; 16];
        let mut iv = [0u8; 16];
        rand::fill(&mut salt).map_err(|_| crypto_failure("read the system random generator"))?;
        rand::fill(&mut iv).map_err(|_| crypto_failure("read the system random generator"))?;
        let params = pbes2::Parameters::pbkdf2_sha256_aes256cbc(PBKDF2_ITERATIONS, &salt, &iv)
            .map_err(|_| crypto_failure("set up the key encryption"))?;
        let info = pkcs8::PrivateKeyInfo::from_der(der)
            .map_err(|_| crypto_failure("encode the private key"))?;
        let doc = info
            .encrypt_with_params(params, password.as_bytes())
            .map_err(|_| crypto_failure("encrypt the private key"))?;
        Ok(Some(pem_encode("ENCRYPTED PRIVATE KEY", doc.as_bytes())))
    }
}
