//! The one signing interface: `mint`, batch minting and `jwks` sign through a
//! [`Signer`] whatever holds the key; [`Verifier`] checks signatures.

use std::fmt;
use std::sync::Arc;

use aws_lc_rs::signature;
use aws_lc_rs::{hmac, rand, rsa};

use super::alg::Alg;
use super::formats::crypto_failure;
use super::key::{HeldKey, Inner, Key};
use crate::error::{Error, Result};

impl Key {
    /// A signer for this private key or secret (the key is parsed once, here).
    pub fn signer(&self) -> Result<Signer> {
        if let Some(token) = &self.token {
            // Log in and find the private object now, so that a wrong PIN or a missing
            // object stops the command before its first token.
            token.prepare()?;
            return Ok(Signer {
                inner: SignerInner::Token(token.clone()),
            });
        }
        let inner = match &self.inner {
            Inner::Rsa {
                pkcs8: Some(der), ..
            } => SignerInner::Rsa(
                rsa::KeyPair::from_pkcs8(der)
                    .map_err(|_| crypto_failure("load the RSA private key"))?,
            ),
            Inner::Ec {
                pkcs8: Some(der), ..
            } => SignerInner::Ec(
                signature::EcdsaKeyPair::from_pkcs8(
                    &signature::ECDSA_P256_SHA256_FIXED_SIGNING,
                    der,
                )
                .map_err(|_| crypto_failure("load the EC private key"))?,
            ),
            Inner::Hmac { secret } => SignerInner::Hmac(Box::new(hmac::Key::new(
                hmac::HMAC_SHA256,
                secret.as_bytes(),
            ))),
            Inner::Rsa { pkcs8: None, .. } | Inner::Ec { pkcs8: None, .. } => {
                let bits = self
                    .rsa_bits()
                    .map(|b| format!(" {b}-bit"))
                    .unwrap_or_default();
                let kind = if self.alg() == Alg::RS256 {
                    "RSA"
                } else {
                    "EC P-256"
                };
                return Err(Error::input(format!(
                    "this {kind}{bits} key is a public key; mint needs the private key"
                ))
                .hint("pass the private key file; the public key is the one AgentOS gets"));
            }
        };
        Ok(Signer { inner })
    }

    /// A verifier from a private key (its public half), a public key, or a secret.
    /// RSA accepts 1024..8192-bit moduli, as PyJWT does.
    pub fn verifier(&self) -> Result<Verifier> {
        let inner = match &self.inner {
            Inner::Rsa { n, e, .. } => VerifierInner::Public(
                rsa::PublicKeyComponents {
                    n: n.as_slice(),
                    e: e.as_slice(),
                }
                .to_parsed_public_key(&signature::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY)
                .map_err(|_| crypto_failure("load the RSA public key"))?,
            ),
            Inner::Ec { point, .. } => VerifierInner::Public(
                signature::ParsedPublicKey::new(
                    &signature::ECDSA_P256_SHA256_FIXED,
                    point.as_slice(),
                )
                .map_err(|_| crypto_failure("load the EC public key"))?,
            ),
            Inner::Hmac { secret } => VerifierInner::Hmac(Box::new(hmac::Key::new(
                hmac::HMAC_SHA256,
                secret.as_bytes(),
            ))),
        };
        Ok(Verifier {
            alg: self.alg(),
            inner,
        })
    }
}

/// Signs JWS signing inputs. Send + Sync: one signer can serve many threads.
pub struct Signer {
    inner: SignerInner,
}

enum SignerInner {
    Rsa(rsa::KeyPair),
    Ec(signature::EcdsaKeyPair),
    Hmac(Box<hmac::Key>),
    /// The private key stays in a PKCS#11 token; signing happens there.
    Token(Arc<dyn HeldKey>),
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Signer({})", self.alg())
    }
}

impl Signer {
    pub fn alg(&self) -> Alg {
        match &self.inner {
            SignerInner::Rsa(_) => Alg::RS256,
            SignerInner::Ec(_) => Alg::ES256,
            SignerInner::Hmac(_) => Alg::HS256,
            SignerInner::Token(t) => t.alg(),
        }
    }

    /// True when signing is CPU work in this process; false when it is a call into a
    /// PKCS#11 module, which may wait on a device or a network (a cloud KMS).
    pub fn signs_in_memory(&self) -> bool {
        !matches!(self.inner, SignerInner::Token(_))
    }

    /// RS256: RSASSA-PKCS1-v1_5 with SHA-256. ES256: raw `r || s`, 64 bytes (never
    /// DER). HS256: HMAC-SHA256 keyed with the secret string's bytes.
    pub fn sign(&self, signing_input: &[u8]) -> Result<Vec<u8>> {
        match &self.inner {
            SignerInner::Rsa(kp) => {
                let mut sig = vec![0u8; kp.public_modulus_len()];
                kp.sign(
                    &signature::RSA_PKCS1_SHA256,
                    &rand::SystemRandom::new(),
                    signing_input,
                    &mut sig,
                )
                .map_err(|_| crypto_failure("sign with the RSA key"))?;
                Ok(sig)
            }
            SignerInner::Ec(kp) => {
                let sig = kp
                    .sign(&rand::SystemRandom::new(), signing_input)
                    .map_err(|_| crypto_failure("sign with the EC key"))?;
                Ok(sig.as_ref().to_vec())
            }
            SignerInner::Hmac(k) => Ok(hmac::sign(k, signing_input).as_ref().to_vec()),
            SignerInner::Token(t) => t.sign(signing_input),
        }
    }
}

/// Checks JWS signatures.
pub struct Verifier {
    alg: Alg,
    inner: VerifierInner,
}

enum VerifierInner {
    Public(signature::ParsedPublicKey),
    Hmac(Box<hmac::Key>),
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Verifier({})", self.alg)
    }
}

impl Verifier {
    pub fn alg(&self) -> Alg {
        self.alg
    }

    /// True when `signature` is valid for `signing_input` (ES256: raw 64-byte r||s).
    pub fn verify(&self, signing_input: &[u8], signature: &[u8]) -> bool {
        match &self.inner {
            VerifierInner::Public(k) => k.verify_sig(signing_input, signature).is_ok(),
            VerifierInner::Hmac(k) => hmac::verify(k, signing_input, signature).is_ok(),
        }
    }
}
