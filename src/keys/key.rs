//! The key itself (RSA, EC P-256, HS256 secret), how it is made, and its PEM encodings
//! (SPKI, PKCS#8); its JWK forms and thumbprint are `jwk`'s, a private half held in a
//! token is a [`HeldKey`].

use std::fmt;
use std::sync::Arc;

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::signature::{self, KeyPair as _};
use aws_lc_rs::{rand, rsa};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use der::Decode;
use zeroize::Zeroizing;

use super::alg::Alg;
use super::formats::{
    bit_len, crypto_failure, no_public_key, pem_encode, strip_zeros, RSA_MAX_BITS,
    RSA_PUBLIC_MIN_BITS,
};
use crate::error::{Error, Result};

/// A private key held in a device (a PKCS#11 token, `pkcs11`): it signs there and never
/// leaves it.
pub(crate) trait HeldKey: fmt::Debug + Send + Sync {
    /// Its `pkcs11:` URI, without a pin-value.
    fn uri(&self) -> &str;
    fn alg(&self) -> Alg;
    /// Logs in and finds the key, so that a wrong PIN stops a command early.
    fn prepare(&self) -> Result<()>;
    /// The JWS signature of `signing_input`.
    fn sign(&self, signing_input: &[u8]) -> Result<Vec<u8>>;
}

/// An RSA key, an EC P-256 key (private or public), or an HS256 secret.
#[derive(Clone)]
pub struct Key {
    pub(super) inner: Inner,
    /// The key's own kid when its format names one (a JWK's `kid`).
    pub(super) own_kid: Option<String>,
    /// The private half when it lives in a PKCS#11 token (it never leaves it).
    pub(super) token: Option<Arc<dyn HeldKey>>,
    /// Set by [`Key::encrypted_when_written`]: [`Key::private_key_file`] encrypts.
    pub(super) file_password: Option<Arc<Zeroizing<String>>>,
}

impl From<Inner> for Key {
    fn from(inner: Inner) -> Key {
        Key {
            inner,
            own_kid: None,
            token: None,
            file_password: None,
        }
    }
}

#[derive(Clone)]
pub(super) enum Inner {
    /// `n`, `e`: big-endian without leading zeros. `pkcs8`: the private key (PKCS#8 DER).
    Rsa {
        n: Vec<u8>,
        e: Vec<u8>,
        pkcs8: Option<Zeroizing<Vec<u8>>>,
    },
    /// `point`: uncompressed SEC1 point, 65 bytes `04 || x || y`.
    Ec {
        point: Vec<u8>,
        pkcs8: Option<Zeroizing<Vec<u8>>>,
    },
    /// The secret string; its UTF-8 bytes are the HMAC key.
    Hmac { secret: Zeroizing<String> },
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never prints key material.
        write!(f, "Key({})", self.description())
    }
}

impl Key {
    /// Makes a new key. RS256: `rsa_bits` 2048, 3072 or 4096; ES256: P-256; HS256: 32
    /// random bytes written as base64url without padding (43 characters) — that string
    /// is the secret, and its UTF-8 bytes are the HMAC key, as AgentOS uses it.
    pub fn generate(alg: Alg, rsa_bits: u32) -> Result<Key> {
        match alg {
            Alg::RS256 => {
                let size = match rsa_bits {
                    2048 => rsa::KeySize::Rsa2048,
                    3072 => rsa::KeySize::Rsa3072,
                    4096 => rsa::KeySize::Rsa4096,
                    other => {
                        return Err(
                            Error::input(format!("unsupported RSA key size: {other} bits"))
                                .hint("use --bits 2048, 3072 or 4096"),
                        )
                    }
                };
                let kp = rsa::KeyPair::generate(size)
                    .map_err(|_| crypto_failure("generate an RSA key"))?;
                rsa_from_keypair(&kp)
            }
            Alg::ES256 => {
                let kp =
                    signature::EcdsaKeyPair::generate(&signature::ECDSA_P256_SHA256_FIXED_SIGNING)
                        .map_err(|_| crypto_failure("generate an EC P-256 key"))?;
                ec_from_keypair(&kp)
            }
            Alg::HS256 => {
                let mut raw = Zeroizing::new([0u8; 32]);
                rand::fill(&mut raw[..])
                    .map_err(|_| crypto_failure("read the system random generator"))?;
                let secret = Zeroizing::new(URL_SAFE_NO_PAD.encode(&raw[..]));
                Ok(Key::from(Inner::Hmac { secret }))
            }
        }
    }

    /// An HS256 secret made of this text (its UTF-8 bytes are the HMAC key), whatever
    /// it looks like: `mint --bad wrong-alg` keys HS256 with a public key's PEM.
    pub fn hmac_secret(text: &str) -> Key {
        Key::from(Inner::Hmac {
            secret: Zeroizing::new(text.to_string()),
        })
    }

    pub fn alg(&self) -> Alg {
        match self.inner {
            Inner::Rsa { .. } => Alg::RS256,
            Inner::Ec { .. } => Alg::ES256,
            Inner::Hmac { .. } => Alg::HS256,
        }
    }

    /// True for RSA/EC private keys (in memory or in a token) and HMAC secrets.
    pub fn is_private(&self) -> bool {
        match &self.inner {
            Inner::Rsa { pkcs8, .. } | Inner::Ec { pkcs8, .. } => {
                pkcs8.is_some() || self.token.is_some()
            }
            Inner::Hmac { .. } => true,
        }
    }

    /// The kid the key's own format gives it (a JWK's `kid`); mint, export and
    /// `jwks add` use it before the thumbprint, so one key file has one kid.
    pub fn own_kid(&self) -> Option<&str> {
        self.own_kid.as_deref()
    }

    /// The `pkcs11:` URI of the token object holding the private half, if any.
    pub fn token_uri(&self) -> Option<&str> {
        self.token.as_ref().map(|t| t.uri())
    }

    /// The PKCS#8 DER of an in-memory RSA/EC private key.
    pub(super) fn private_pkcs8(&self) -> Option<&[u8]> {
        match &self.inner {
            Inner::Rsa {
                pkcs8: Some(der), ..
            }
            | Inner::Ec {
                pkcs8: Some(der), ..
            } => Some(der.as_slice()),
            _ => None,
        }
    }

    /// "RSA 2048-bit private key", "EC P-256 public key", "HS256 secret (43 bytes)".
    pub fn description(&self) -> String {
        let kind = if self.token.is_some() {
            "private key in a PKCS#11 token"
        } else if self.is_private() {
            "private key"
        } else {
            "public key"
        };
        match &self.inner {
            Inner::Rsa { n, .. } => format!("RSA {}-bit {kind}", bit_len(n)),
            Inner::Ec { .. } => format!("EC P-256 {kind}"),
            Inner::Hmac { secret } => format!("HS256 secret ({} bytes)", secret.len()),
        }
    }

    pub fn rsa_bits(&self) -> Option<usize> {
        match &self.inner {
            Inner::Rsa { n, .. } => Some(bit_len(n)),
            _ => None,
        }
    }

    /// The public key as SPKI PEM ("-----BEGIN PUBLIC KEY-----", LF, 64 columns,
    /// trailing newline): what AgentOS takes as a verification key.
    pub fn public_key_pem(&self) -> Result<String> {
        let der = match &self.inner {
            Inner::Rsa { n, e, .. } => rsa::PublicKeyComponents {
                n: n.as_slice(),
                e: e.as_slice(),
            }
            .as_der()
            .map_err(|_| crypto_failure("encode the RSA public key"))?
            .as_ref()
            .to_vec(),
            Inner::Ec { point, .. } => signature::ParsedPublicKey::new(
                &signature::ECDSA_P256_SHA256_FIXED,
                point.as_slice(),
            )
            .map_err(|_| crypto_failure("encode the EC public key"))?
            .as_der()
            .map_err(|_| crypto_failure("encode the EC public key"))?
            .as_ref()
            .to_vec(),
            Inner::Hmac { .. } => return Err(no_public_key()),
        };
        Ok(pem_encode("PUBLIC KEY", &der).to_string())
    }

    /// The private key as PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----", LF, trailing
    /// newline); `None` for public keys and HS256 secrets.
    pub fn private_key_pem(&self) -> Option<Zeroizing<String>> {
        match &self.inner {
            Inner::Rsa {
                pkcs8: Some(der), ..
            }
            | Inner::Ec {
                pkcs8: Some(der), ..
            } => Some(pem_encode("PRIVATE KEY", der)),
            _ => None,
        }
    }

    /// The same key, whose [`Key::private_key_file`] is encrypted PKCS#8 under
    /// `password` (see [`Key::encrypted_private_key_pem`]).
    pub fn encrypted_when_written(self, password: Zeroizing<String>) -> Key {
        Key {
            file_password: Some(Arc::new(password)),
            ..self
        }
    }

    /// What a private key file holds: PKCS#8 PEM, encrypted when the key was marked
    /// with [`Key::encrypted_when_written`]; `None` for public keys, secrets and keys
    /// in a token.
    pub fn private_key_file(&self) -> Result<Option<Zeroizing<String>>> {
        match &self.file_password {
            Some(pw) => self.encrypted_private_key_pem(pw),
            None => Ok(self.private_key_pem()),
        }
    }

    /// The HS256 secret string.
    pub fn secret(&self) -> Option<&str> {
        match &self.inner {
            Inner::Hmac { secret } => Some(secret.as_str()),
            _ => None,
        }
    }
}

// ---------------------------------------------------------------------------------
// Constructors from validated material.

pub(super) fn rsa_from_keypair(kp: &rsa::KeyPair) -> Result<Key> {
    let public = kp.public_key();
    let n = public.modulus().big_endian_without_leading_zero().to_vec();
    let e = public.exponent().big_endian_without_leading_zero().to_vec();
    let der = kp
        .as_der()
        .map_err(|_| crypto_failure("encode the RSA private key"))?;
    Ok(Key::from(Inner::Rsa {
        n,
        e,
        pkcs8: Some(Zeroizing::new(der.as_ref().to_vec())),
    }))
}

pub(super) fn ec_from_keypair(kp: &signature::EcdsaKeyPair) -> Result<Key> {
    let point = kp.public_key().as_ref().to_vec();
    ec_coordinates(&point)?;
    let doc = kp
        .to_pkcs8v1()
        .map_err(|_| crypto_failure("encode the EC private key"))?;
    Ok(Key::from(Inner::Ec {
        point,
        pkcs8: Some(Zeroizing::new(doc.as_ref().to_vec())),
    }))
}

/// An RSA public key from its components (leading zeros allowed); no source prefix.
pub(super) fn rsa_public(n: &[u8], e: &[u8]) -> Result<Key> {
    let n = strip_zeros(n);
    let e = strip_zeros(e);
    let bits = bit_len(n);
    if !(RSA_PUBLIC_MIN_BITS..=RSA_MAX_BITS).contains(&bits) {
        return Err(Error::input(format!(
            "the RSA public key has {bits} bits; AgentOS (PyJWT) verifies RSA keys of {RSA_PUBLIC_MIN_BITS} to {RSA_MAX_BITS} bits"
        ))
        .hint("create a new key with: agentos-auth keygen"));
    }
    let e_ok = e.len() <= 8 && e.last().is_some_and(|b| b & 1 == 1) && e != [1];
    if !e_ok || n.last().is_some_and(|b| b & 1 == 0) {
        return Err(
            Error::input("the RSA public key is invalid (bad modulus or exponent)")
                .hint("export the public key again from the private key"),
        );
    }
    // Let the crypto library check it too.
    rsa::PublicKeyComponents { n, e }
        .to_parsed_public_key(&signature::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY)
        .map_err(|e| {
            Error::input(format!(
                "the RSA public key is invalid ({})",
                e.description_()
            ))
            .hint("export the public key again from the private key")
        })?;
    Ok(Key::from(Inner::Rsa {
        n: n.to_vec(),
        e: e.to_vec(),
        pkcs8: None,
    }))
}

/// An EC P-256 public key from SPKI DER or a SEC1 point; stored uncompressed.
pub(super) fn ec_public(input: &[u8]) -> Result<Key> {
    let invalid = || {
        Error::input("the EC public key is not a valid P-256 point")
            .hint("export the public key again from the private key")
    };
    let parsed = signature::ParsedPublicKey::new(&signature::ECDSA_P256_SHA256_FIXED, input)
        .map_err(|_| invalid())?;
    let spki_der = parsed.as_der().map_err(|_| invalid())?;
    let spki = spki::SubjectPublicKeyInfoRef::from_der(spki_der.as_ref()).map_err(|_| invalid())?;
    let point = spki.subject_public_key.as_bytes().ok_or_else(invalid)?;
    if point.len() != 65 || point.first() != Some(&4) {
        return Err(Error::input("compressed EC points are not supported")
            .hint("convert: openssl ec -pubin -in KEY -pubout -conv_form uncompressed"));
    }
    Ok(Key::from(Inner::Ec {
        point: point.to_vec(),
        pkcs8: None,
    }))
}

pub(super) fn ec_coordinates(point: &[u8]) -> Result<(&[u8], &[u8])> {
    match (point.len(), point.get(1..33), point.get(33..65)) {
        (65, Some(x), Some(y)) => Ok((x, y)),
        _ => Err(crypto_failure("read the EC public point")),
    }
}
