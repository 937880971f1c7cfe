//! Key material: the single place keys are parsed, generated and encoded.
//!
//! A [`Key`] is an RSA or EC P-256 key (private or public) or an HS256 secret. It is
//! read from whatever users have at hand ([`Key::parse`]: PEM in its many forms, even
//! mangled by an environment variable, an OpenSSH `ssh-rsa` line, a JWK, or a raw
//! secret), written as PEM or JWK, and turned into a [`Signer`] or [`Verifier`].
//!
//! All cryptography goes through aws-lc-rs; the `pkcs1`/`pkcs8`/`spki`/`sec1` crates
//! only read DER structures so that unsupported keys get a precise message. Private
//! material is held in `Zeroizing` buffers, wiped on drop.

use std::fmt;
use std::str::FromStr;

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::signature::{self, KeyPair as _};
use aws_lc_rs::{hmac, rand, rsa};
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, URL_SAFE_NO_PAD};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;
use der::asn1::ObjectIdentifier;
use der::Decode;
use zeroize::{Zeroize, Zeroizing};

use crate::error::{Error, Result};
use crate::jwk::Jwk;

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

/// Where key bytes came from (for messages) and which algorithm the caller expects.
#[derive(Debug, Clone, Copy)]
pub struct ParseOptions<'a> {
    /// A file name, "stdin", "$AGENTOS_AUTH_KEY": the subject of error messages.
    pub source: &'a str,
    /// The algorithm the caller needs; a key of another type is an error. With
    /// `Some(HS256)`, content that is not a key format is taken as the secret.
    pub alg: Option<Alg>,
}

/// An RSA key, an EC P-256 key (private or public), or an HS256 secret.
#[derive(Clone)]
pub struct Key {
    inner: Inner,
}

#[derive(Clone)]
enum Inner {
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
                Ok(Key {
                    inner: Inner::Hmac { secret },
                })
            }
        }
    }

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

    pub fn alg(&self) -> Alg {
        match self.inner {
            Inner::Rsa { .. } => Alg::RS256,
            Inner::Ec { .. } => Alg::ES256,
            Inner::Hmac { .. } => Alg::HS256,
        }
    }

    /// True for RSA/EC private keys and HMAC secrets.
    pub fn is_private(&self) -> bool {
        match &self.inner {
            Inner::Rsa { pkcs8, .. } | Inner::Ec { pkcs8, .. } => pkcs8.is_some(),
            Inner::Hmac { .. } => true,
        }
    }

    /// "RSA 2048-bit private key", "EC P-256 public key", "HS256 secret (43 bytes)".
    pub fn description(&self) -> String {
        let kind = if self.is_private() {
            "private"
        } else {
            "public"
        };
        match &self.inner {
            Inner::Rsa { n, .. } => format!("RSA {}-bit {kind} key", bit_len(n)),
            Inner::Ec { .. } => format!("EC P-256 {kind} key"),
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

    /// The HS256 secret string.
    pub fn secret(&self) -> Option<&str> {
        match &self.inner {
            Inner::Hmac { secret } => Some(secret.as_str()),
            _ => None,
        }
    }

    /// The public key as a JWK with `use: "sig"` and `alg`; an error for HS256.
    pub fn public_jwk(&self, kid: Option<&str>) -> Result<Jwk> {
        let mut jwk = match &self.inner {
            Inner::Rsa { n, e, .. } => {
                let mut j = Jwk::new("RSA");
                j.n = Some(URL_SAFE_NO_PAD.encode(n));
                j.e = Some(URL_SAFE_NO_PAD.encode(e));
                j
            }
            Inner::Ec { point, .. } => {
                let (x, y) = ec_coordinates(point)?;
                let mut j = Jwk::new("EC");
                j.crv = Some("P-256".to_string());
                j.x = Some(URL_SAFE_NO_PAD.encode(x));
                j.y = Some(URL_SAFE_NO_PAD.encode(y));
                j
            }
            Inner::Hmac { .. } => return Err(no_public_key()),
        };
        jwk.use_ = Some("sig".to_string());
        jwk.alg = Some(self.alg().as_str().to_string());
        jwk.kid = kid.map(str::to_string);
        Ok(jwk)
    }

    /// For an HS256 secret: `{"kty":"oct","use":"sig","alg":"HS256","kid":..,"k":..}`
    /// with `k` the base64url of the secret string's UTF-8 bytes. `None` otherwise.
    pub fn secret_jwk(&self, kid: Option<&str>) -> Option<Jwk> {
        let secret = self.secret()?;
        let mut j = Jwk::new("oct");
        j.use_ = Some("sig".to_string());
        j.alg = Some(Alg::HS256.as_str().to_string());
        j.kid = kid.map(str::to_string);
        j.k = Some(URL_SAFE_NO_PAD.encode(secret.as_bytes()));
        Some(j)
    }

    /// RFC 7638 JWK thumbprint (SHA-256, base64url without padding) of the key's
    /// required public members (for HS256, of `k` and `kty`). A good default `kid`.
    pub fn thumbprint(&self) -> String {
        match &self.inner {
            Inner::Rsa { n, e, .. } => {
                let (n, e) = (URL_SAFE_NO_PAD.encode(n), URL_SAFE_NO_PAD.encode(e));
                crate::jwk::thumbprint_of(&[("e", &e), ("kty", "RSA"), ("n", &n)])
            }
            Inner::Ec { point, .. } => {
                let x = URL_SAFE_NO_PAD.encode(point.get(1..33).unwrap_or_default());
                let y = URL_SAFE_NO_PAD.encode(point.get(33..65).unwrap_or_default());
                crate::jwk::thumbprint_of(&[("crv", "P-256"), ("kty", "EC"), ("x", &x), ("y", &y)])
            }
            Inner::Hmac { secret } => {
                let k = Zeroizing::new(URL_SAFE_NO_PAD.encode(secret.as_bytes()));
                crate::jwk::thumbprint_of(&[("k", &k), ("kty", "oct")])
            }
        }
    }

    /// A signer for this private key or secret (the key is parsed once, here).
    pub fn signer(&self) -> Result<Signer> {
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

    /// The one JWK → Key conversion (used by [`Jwk::to_key`] and [`Key::parse`]).
    /// Errors carry no source prefix; callers add it.
    pub(crate) fn from_jwk(jwk: &Jwk) -> Result<Key> {
        let key = match jwk.kty.as_str() {
            "RSA" => rsa_from_jwk(jwk)?,
            "EC" => ec_from_jwk(jwk)?,
            "oct" => {
                let k = need(&jwk.k, "oct", "k")?;
                let bytes = Zeroizing::new(b64url_member(k, "k")?);
                let secret = String::from_utf8(bytes.to_vec()).map_err(|e| {
                    let mut v = e.into_bytes();
                    v.zeroize();
                    Error::input("oct k is not UTF-8 text, so it is not an AgentOS HS256 secret")
                        .hint("AgentOS uses the secret string's bytes; create a text secret with: agentos-auth keygen --alg HS256")
                })?;
                let secret = Zeroizing::new(secret);
                if secret.is_empty() {
                    return Err(Error::input("oct k is empty")
                        .hint("create a secret with: agentos-auth keygen --alg HS256"));
                }
                Key {
                    inner: Inner::Hmac { secret },
                }
            }
            "OKP" => {
                let crv = jwk.crv.as_deref().unwrap_or("OKP");
                return Err(unsupported(&format!("an {crv} (OKP) key")));
            }
            "" => {
                return Err(
                    Error::input("kty is empty").hint("a JWK needs kty \"RSA\", \"EC\" or \"oct\"")
                )
            }
            other => {
                return Err(Error::input(format!("unknown kty \"{other}\""))
                    .hint("a JWK needs kty \"RSA\", \"EC\" or \"oct\""))
            }
        };
        if let Some(a) = &jwk.alg {
            match Alg::from_jose(a) {
                Some(alg) if alg == key.alg() => {}
                Some(_) => {
                    return Err(Error::input(format!(
                        "alg \"{a}\" does not fit kty \"{}\"",
                        jwk.kty
                    ))
                    .hint(format!("set alg to \"{}\" or remove it", key.alg())))
                }
                None => {
                    return Err(
                        Error::input(format!("alg \"{a}\" is not supported; {SUPPORTED}"))
                            .hint(format!("set alg to \"{}\" or remove it", key.alg())),
                    )
                }
            }
        }
        Ok(key)
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
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Signer({})", self.alg())
    }
}

impl Signer {
    pub fn alg(&self) -> Alg {
        match self.inner {
            SignerInner::Rsa(_) => Alg::RS256,
            SignerInner::Ec(_) => Alg::ES256,
            SignerInner::Hmac(_) => Alg::HS256,
        }
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

fn encrypted(source: &str) -> Error {
    Error::input(format!(
        "{source} is an encrypted (password-protected) private key"
    ))
    .hint("decrypt it first: openssl pkey -in KEY -out plain.pem")
}

fn rsa_private_too_small(bits: usize) -> Error {
    Error::input(format!(
        "RSA {bits}-bit private key is too small to sign with (at least {RSA_PRIVATE_MIN_BITS} bits)"
    ))
    .hint("generate a new one with agentos-auth keygen")
}

// ---------------------------------------------------------------------------------
// Format detection.

fn parse_any(bytes: &[u8], opts: &ParseOptions) -> Result<Key> {
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
        let secret = text.trim_end_matches(['\r', '\n']);
        if secret.is_empty() {
            return Err(Error::input(format!("{src} is empty")).hint("pass the HS256 secret"));
        }
        return Ok(Key {
            inner: Inner::Hmac {
                secret: Zeroizing::new(secret.to_string()),
            },
        });
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
// PEM.

/// One PEM block found by the normaliser.
struct PemBlock {
    label: String,
    /// The base64 body with all whitespace removed (and any RFC 1421 headers).
    body: Zeroizing<String>,
    /// An RFC 1421 `Proc-Type: 4,ENCRYPTED` header (legacy OpenSSL encryption).
    encrypted: bool,
}

/// The PEM normaliser: finds every `-----BEGIN X-----` … `-----END X-----` block in
/// text mangled the ways env vars and CI secret stores mangle it (CRLF, spaces or
/// the two characters `\n` instead of newlines, no newlines at all, surrounding
/// quotes, leading/trailing whitespace). Errors are plain messages (no source).
fn pem_blocks(text: &str) -> std::result::Result<Vec<PemBlock>, String> {
    let text = Zeroizing::new(
        clean_text(text)
            .replace("\\r\\n", "\n")
            .replace("\\n", "\n")
            .replace("\\r", "\n"),
    );
    let mut blocks = Vec::new();
    let mut pos = 0;
    while let Some(found) = text.get(pos..).and_then(|rest| rest.find("-----BEGIN ")) {
        let label_start = pos + found + "-----BEGIN ".len();
        let rest = text.get(label_start..).unwrap_or_default();
        let label_len = rest
            .find("-----")
            .ok_or("a PEM BEGIN line is damaged (no closing \"-----\")")?;
        let label = rest.get(..label_len).unwrap_or_default().trim().to_string();
        if label.is_empty()
            || !label
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == ' ')
        {
            return Err("a PEM BEGIN line is damaged".to_string());
        }
        let body_start = label_start + label_len + "-----".len();
        let end_marker = format!("-----END {label}-----");
        let body_len = text
            .get(body_start..)
            .and_then(|r| r.find(&end_marker))
            .ok_or_else(|| {
                format!("the PEM \"{label}\" block has no END line (the key is cut short)")
            })?;
        let raw = text
            .get(body_start..body_start + body_len)
            .unwrap_or_default();
        let encrypted = raw.contains("Proc-Type:") && raw.contains("ENCRYPTED");
        // RFC 1421 headers ("Name: value" lines) precede the base64; drop them.
        let mut body = Zeroizing::new(String::with_capacity(raw.len()));
        for line in raw.split('\n') {
            if !line.contains(':') {
                body.extend(line.chars().filter(|c| !c.is_whitespace()));
            }
        }
        blocks.push(PemBlock {
            label,
            body,
            encrypted,
        });
        pos = body_start + body_len + end_marker.len();
    }
    Ok(blocks)
}

/// Rewrites (possibly mangled) PEM text as proper PEM: every block with LF newlines,
/// its body re-wrapped at 64 columns, a trailing newline. Headers of legacy
/// encrypted PEM are dropped. An error (a plain message) when a block is unusable.
pub fn normalize_pem(text: &str) -> Result<Zeroizing<String>> {
    let blocks = pem_blocks(text).map_err(|m| Error::input(m).hint(HINT_COPY_AGAIN))?;
    if blocks.is_empty() {
        return Err(Error::input("no PEM block (no \"-----BEGIN\" line)").hint("pass a PEM key"));
    }
    // Re-wrapping is only meaningful (and only char-boundary safe) for base64 text.
    let base64_char = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'=');
    if let Some(b) = blocks.iter().find(|b| !b.body.bytes().all(base64_char)) {
        return Err(
            Error::input(format!("the PEM \"{}\" body is not base64 text", b.label))
                .hint(HINT_COPY_AGAIN),
        );
    }
    let parts: Vec<Zeroizing<String>> =
        blocks.iter().map(|b| pem_wrap(&b.label, &b.body)).collect();
    let mut out = Zeroizing::new(String::with_capacity(parts.iter().map(|p| p.len()).sum()));
    for p in &parts {
        out.push_str(p);
    }
    Ok(out)
}

fn pem_wrap(label: &str, b64: &str) -> Zeroizing<String> {
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

fn pem_encode(label: &str, der: &[u8]) -> Zeroizing<String> {
    let b64 = Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(der));
    pem_wrap(label, &b64)
}

fn is_key_label(label: &str) -> bool {
    label.ends_with(" KEY")
}

fn parse_pem(text: &str, src: &str) -> Result<Key> {
    let blocks =
        pem_blocks(text).map_err(|m| Error::input(format!("{src}: {m}")).hint(HINT_COPY_AGAIN))?;
    let mut ec_params = None;
    let mut keys = Vec::new();
    let mut others = Vec::new();
    for b in &blocks {
        if b.label == "EC PARAMETERS" {
            let der = decode_body(b, src)?;
            ec_params = ObjectIdentifier::from_der(&der).ok();
        } else if is_key_label(&b.label) {
            keys.push(b);
        } else {
            others.push(b);
        }
    }
    match (keys.as_slice(), others.first()) {
        ([one], _) => decode_key_block(one, ec_params, src),
        ([], Some(b)) => Err(non_key_block(src, &b.label)),
        ([], None) => Err(Error::input(format!("{src} holds only EC PARAMETERS, no key"))
            .hint("generate the key itself: agentos-auth keygen --alg ES256 (or openssl ecparam -name prime256v1 -genkey)")),
        (many, _) => Err(Error::input(format!("{src} holds {} keys; pass one key", many.len()))
            .hint("split the file so that it holds a single key")),
    }
}

fn non_key_block(src: &str, label: &str) -> Error {
    match label {
        "CERTIFICATE" | "TRUSTED CERTIFICATE" | "X509 CERTIFICATE" | "X.509 CERTIFICATE" => {
            Error::input(format!(
                "{src} is a certificate, not a key; AgentOS does not accept certificates"
            ))
            .hint("extract its public key: openssl x509 -pubkey -noout -in CERT > public.pem")
        }
        "CERTIFICATE REQUEST" | "NEW CERTIFICATE REQUEST" => {
            Error::input(format!("{src} is a certificate request, not a key"))
                .hint("extract its public key: openssl req -pubkey -noout -in CSR > public.pem")
        }
        _ => Error::input(format!("{src} holds a PEM \"{label}\" block, not a key"))
            .hint("pass a PEM key (BEGIN PRIVATE KEY or BEGIN PUBLIC KEY)"),
    }
}

fn decode_body(block: &PemBlock, src: &str) -> Result<Zeroizing<Vec<u8>>> {
    B64_LENIENT
        .decode(block.body.as_bytes())
        .map(Zeroizing::new)
        .map_err(|e| {
            Error::input(format!(
                "{src}: the PEM \"{}\" body is not valid base64 ({})",
                block.label,
                e.to_string().trim_end_matches('.')
            ))
            .hint(HINT_COPY_AGAIN)
        })
}

fn decode_key_block(
    block: &PemBlock,
    ec_params: Option<ObjectIdentifier>,
    src: &str,
) -> Result<Key> {
    if block.encrypted || block.label == "ENCRYPTED PRIVATE KEY" {
        return Err(encrypted(src));
    }
    match block.label.as_str() {
        "OPENSSH PRIVATE KEY" => {
            return Err(Error::input(format!(
                "{src} is an OpenSSH private key; it is read only as PEM"
            ))
            .hint("convert a copy to PEM: ssh-keygen -p -m PKCS8 -f COPY_OF_KEY"))
        }
        "DSA PRIVATE KEY" => return Err(unsupported("a DSA key").context(src)),
        _ => {}
    }
    let der = decode_body(block, src)?;
    match block.label.as_str() {
        "PRIVATE KEY" => from_pkcs8(&der, src),
        "RSA PRIVATE KEY" => rsa_private_from_pkcs1(&der, src),
        "EC PRIVATE KEY" => ec_private_from_sec1(&der, ec_params, src),
        "PUBLIC KEY" => from_spki(&der, src),
        "RSA PUBLIC KEY" => {
            let pk = pkcs1::RsaPublicKey::from_der(&der)
                .map_err(|e| damaged(src, "RSA public key", e))?;
            rsa_public(pk.modulus.as_bytes(), pk.public_exponent.as_bytes())
                .map_err(|e| e.context(src))
        }
        other => Err(
            Error::input(format!("{src}: unsupported PEM block \"{other}\""))
                .hint("pass a PEM key (BEGIN PRIVATE KEY or BEGIN PUBLIC KEY)"),
        ),
    }
}

/// The name of an unsupported algorithm (and curve), for messages.
fn algorithm_name(oid: ObjectIdentifier, curve: Option<ObjectIdentifier>) -> String {
    if oid == OID_EC {
        return match curve {
            Some(c) => format!("an EC {} key", curve_name(c)),
            None => "an EC key without a named curve".to_string(),
        };
    }
    let name = match oid {
        o if o == OID_ED25519 => "an Ed25519 key",
        o if o == OID_ED448 => "an Ed448 key",
        o if o == OID_X25519 => "an X25519 key",
        o if o == OID_X448 => "an X448 key",
        o if o == OID_DSA => "a DSA key",
        o if o == OID_DH || o == OID_X942_DH => "a Diffie-Hellman key",
        o if o == OID_RSA_PSS => "an RSA-PSS key, but RS256 needs a plain RSA key",
        o => return format!("a key of algorithm {o}"),
    };
    name.to_string()
}

fn curve_name(c: ObjectIdentifier) -> String {
    match c {
        c if c == OID_P256 => "P-256".to_string(),
        c if c == OID_P384 => "P-384".to_string(),
        c if c == OID_P521 => "P-521".to_string(),
        c if c == OID_SECP256K1 => "secp256k1".to_string(),
        c => format!("curve {c}"),
    }
}

fn require_p256(curve: Option<ObjectIdentifier>, src: &str) -> Result<()> {
    match curve {
        Some(c) if c == OID_P256 => Ok(()),
        other => Err(unsupported(&algorithm_name(OID_EC, other)).context(src)),
    }
}

fn from_pkcs8(der: &[u8], src: &str) -> Result<Key> {
    let info =
        pkcs8::PrivateKeyInfo::from_der(der).map_err(|e| damaged(src, "PKCS#8 private key", e))?;
    let oid = info.algorithm.oid;
    let curve = info.algorithm.parameters_oid().ok();
    if oid == OID_RSA {
        return rsa_private_from_pkcs1(info.private_key, src);
    }
    if oid == OID_EC {
        require_p256(curve, src)?;
        let kp =
            signature::EcdsaKeyPair::from_pkcs8(&signature::ECDSA_P256_SHA256_FIXED_SIGNING, der)
                .map_err(|e| rejected(src, "EC private key", &e))?;
        return ec_from_keypair(&kp);
    }
    Err(unsupported(&algorithm_name(oid, curve)).context(src))
}

fn rsa_private_from_pkcs1(der: &[u8], src: &str) -> Result<Key> {
    let pk = pkcs1::RsaPrivateKey::from_der(der).map_err(|e| damaged(src, "RSA private key", e))?;
    if pk.other_prime_infos.is_some() {
        return Err(Error::input(format!(
            "{src} is a multi-prime RSA key, which is not supported"
        ))
        .hint("create a new key with: agentos-auth keygen"));
    }
    let bits = bit_len(pk.modulus.as_bytes());
    if bits < RSA_PRIVATE_MIN_BITS {
        return Err(rsa_private_too_small(bits).context(src));
    }
    if bits > RSA_MAX_BITS {
        return Err(Error::input(format!(
            "{src}: RSA {bits}-bit keys are larger than supported ({RSA_MAX_BITS} bits)"
        ))
        .hint("create a new key with: agentos-auth keygen"));
    }
    let kp = rsa::KeyPair::from_der(der).map_err(|e| rejected(src, "RSA private key", &e))?;
    rsa_from_keypair(&kp)
}

fn ec_private_from_sec1(der: &[u8], ec_params: Option<ObjectIdentifier>, src: &str) -> Result<Key> {
    let sk = sec1::EcPrivateKey::from_der(der).map_err(|e| damaged(src, "EC private key", e))?;
    let curve = sk.parameters.and_then(|p| p.named_curve()).or(ec_params);
    match curve {
        Some(_) => require_p256(curve, src)?,
        // No curve named anywhere: only a 32-byte scalar can be P-256.
        None if sk.private_key.len() == 32 => {}
        None => return Err(unsupported(&algorithm_name(OID_EC, None)).context(src)),
    }
    let kp = signature::EcdsaKeyPair::from_private_key_der(
        &signature::ECDSA_P256_SHA256_FIXED_SIGNING,
        der,
    )
    .map_err(|e| rejected(src, "EC private key", &e))?;
    ec_from_keypair(&kp)
}

fn from_spki(der: &[u8], src: &str) -> Result<Key> {
    let spki =
        spki::SubjectPublicKeyInfoRef::from_der(der).map_err(|e| damaged(src, "public key", e))?;
    let oid = spki.algorithm.oid;
    let curve = spki.algorithm.parameters_oid().ok();
    if oid == OID_RSA {
        let bits = spki
            .subject_public_key
            .as_bytes()
            .ok_or_else(|| damaged(src, "RSA public key", "bit string"))?;
        let pk =
            pkcs1::RsaPublicKey::from_der(bits).map_err(|e| damaged(src, "RSA public key", e))?;
        return rsa_public(pk.modulus.as_bytes(), pk.public_exponent.as_bytes())
            .map_err(|e| e.context(src));
    }
    if oid == OID_EC {
        require_p256(curve, src)?;
        return ec_public(der).map_err(|e| e.context(src));
    }
    Err(unsupported(&algorithm_name(oid, curve)).context(src))
}

// ---------------------------------------------------------------------------------
// Constructors from validated material.

fn rsa_from_keypair(kp: &rsa::KeyPair) -> Result<Key> {
    let public = kp.public_key();
    let n = public.modulus().big_endian_without_leading_zero().to_vec();
    let e = public.exponent().big_endian_without_leading_zero().to_vec();
    let der = kp
        .as_der()
        .map_err(|_| crypto_failure("encode the RSA private key"))?;
    Ok(Key {
        inner: Inner::Rsa {
            n,
            e,
            pkcs8: Some(Zeroizing::new(der.as_ref().to_vec())),
        },
    })
}

fn ec_from_keypair(kp: &signature::EcdsaKeyPair) -> Result<Key> {
    let point = kp.public_key().as_ref().to_vec();
    ec_coordinates(&point)?;
    let doc = kp
        .to_pkcs8v1()
        .map_err(|_| crypto_failure("encode the EC private key"))?;
    Ok(Key {
        inner: Inner::Ec {
            point,
            pkcs8: Some(Zeroizing::new(doc.as_ref().to_vec())),
        },
    })
}

/// An RSA public key from its components (leading zeros allowed); no source prefix.
fn rsa_public(n: &[u8], e: &[u8]) -> Result<Key> {
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
    Ok(Key {
        inner: Inner::Rsa {
            n: n.to_vec(),
            e: e.to_vec(),
            pkcs8: None,
        },
    })
}

/// An EC P-256 public key from SPKI DER or a SEC1 point; stored uncompressed.
fn ec_public(input: &[u8]) -> Result<Key> {
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
    Ok(Key {
        inner: Inner::Ec {
            point: point.to_vec(),
            pkcs8: None,
        },
    })
}

fn ec_coordinates(point: &[u8]) -> Result<(&[u8], &[u8])> {
    match (point.len(), point.get(1..33), point.get(33..65)) {
        (65, Some(x), Some(y)) => Ok((x, y)),
        _ => Err(crypto_failure("read the EC public point")),
    }
}

// ---------------------------------------------------------------------------------
// JWK.

fn parse_jwk_text(text: &str, src: &str) -> Result<Key> {
    let mut value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        Error::input(format!("{src}: not valid JSON ({e})"))
            .hint("a JWK is a JSON object like {\"kty\": \"EC\", ...}")
    })?;
    if value.get("keys").is_some() {
        return Err(
            Error::input(format!("{src} is a JWKS (a set of keys), not a single key"))
                .hint("pass one key: a PEM file, or one JWK from the \"keys\" array"),
        );
    }
    let jwk = Jwk::from_value(&value);
    // The parsed document holds the private members too: wipe it (the Jwk wipes itself).
    crate::jwk::wipe_json(&mut value);
    Key::from_jwk(&jwk.map_err(|e| e.context(src))?).map_err(|e| e.context(src))
}

fn need<'a>(member: &'a Option<String>, kty: &str, name: &str) -> Result<&'a str> {
    member.as_deref().ok_or_else(|| {
        Error::input(format!("{kty} key has no \"{name}\" member"))
            .hint("export the key again as a complete JWK")
    })
}

fn b64url_member(value: &str, name: &str) -> Result<Vec<u8>> {
    B64URL_LENIENT.decode(value.as_bytes()).map_err(|e| {
        Error::input(format!("\"{name}\" is not valid base64url ({e})"))
            .hint("export the key again as a JWK")
    })
}

fn rsa_from_jwk(jwk: &Jwk) -> Result<Key> {
    if jwk.other.contains_key("oth") {
        return Err(
            Error::input("multi-prime RSA keys (\"oth\") are not supported").hint(HINT_KEYGEN),
        );
    }
    let n = b64url_member(need(&jwk.n, "RSA", "n")?, "n")?;
    let e = b64url_member(need(&jwk.e, "RSA", "e")?, "e")?;
    let Some(d) = &jwk.d else {
        return rsa_public(&n, &e);
    };
    let crt = [&jwk.p, &jwk.q, &jwk.dp, &jwk.dq, &jwk.qi];
    if crt.iter().any(|m| m.is_none()) {
        return Err(Error::input(
            "RSA private JWK has d but not all of p, q, dp, dq and qi (required here)",
        )
        .hint("export the key with all its members, or pass the PEM private key"));
    }
    let bits = bit_len(&n);
    if bits < RSA_PRIVATE_MIN_BITS {
        return Err(rsa_private_too_small(bits));
    }
    if bits > RSA_MAX_BITS {
        return Err(Error::input(format!(
            "RSA {bits}-bit keys are larger than supported ({RSA_MAX_BITS} bits)"
        ))
        .hint(HINT_KEYGEN));
    }
    let member = |m: &Option<String>, name: &str| -> Result<Zeroizing<Vec<u8>>> {
        b64url_member(m.as_deref().unwrap_or_default(), name).map(Zeroizing::new)
    };
    let d = Zeroizing::new(b64url_member(d, "d")?);
    let (p, q) = (member(&jwk.p, "p")?, member(&jwk.q, "q")?);
    let (dp, dq, qi) = (
        member(&jwk.dp, "dp")?,
        member(&jwk.dq, "dq")?,
        member(&jwk.qi, "qi")?,
    );
    let components = rsa::KeyPairComponents {
        public_key: rsa::PublicKeyComponents {
            n: strip_zeros(&n),
            e: strip_zeros(&e),
        },
        d: d.as_slice(),
        p: p.as_slice(),
        q: q.as_slice(),
        dP: dp.as_slice(),
        dQ: dq.as_slice(),
        qInv: qi.as_slice(),
    };
    let kp = rsa::KeyPair::from_components(&components).map_err(|e| {
        Error::input(format!(
            "the RSA private JWK members do not form a valid key ({})",
            e.description_()
        ))
        .hint("export the key again, or pass the PEM private key")
    })?;
    rsa_from_keypair(&kp)
}

fn ec_from_jwk(jwk: &Jwk) -> Result<Key> {
    let crv = need(&jwk.crv, "EC", "crv")?;
    if crv != "P-256" {
        return Err(unsupported(&format!("an EC {crv} key")));
    }
    let coordinate = |m: &Option<String>, name: &str| -> Result<Vec<u8>> {
        let v = b64url_member(need(m, "EC", name)?, name)?;
        if v.len() != 32 {
            return Err(
                Error::input(format!("EC {name} must be 32 bytes, got {}", v.len()))
                    .hint("regenerate this key"),
            );
        }
        Ok(v)
    };
    let x = coordinate(&jwk.x, "x")?;
    let y = coordinate(&jwk.y, "y")?;
    let mut point = Vec::with_capacity(65);
    point.push(4u8);
    point.extend_from_slice(&x);
    point.extend_from_slice(&y);
    let Some(d) = &jwk.d else {
        return ec_public(&point);
    };
    let d = Zeroizing::new(b64url_member(d, "d")?);
    if d.len() != 32 {
        return Err(
            Error::input(format!("EC d must be 32 bytes, got {}", d.len()))
                .hint("regenerate this key"),
        );
    }
    let kp = signature::EcdsaKeyPair::from_private_key_and_public_key(
        &signature::ECDSA_P256_SHA256_FIXED_SIGNING,
        &d,
        &point,
    )
    .map_err(|e| {
        Error::input(format!(
            "the EC private JWK members do not form a valid key ({})",
            e.description_()
        ))
        .hint("export the key again, or pass the PEM private key")
    })?;
    ec_from_keypair(&kp)
}

// ---------------------------------------------------------------------------------
// OpenSSH public keys.

fn parse_ssh(text: &str, src: &str) -> Result<Key> {
    let mut lines = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'));
    let line = lines.next().unwrap_or_default();
    if lines.next().is_some() {
        return Err(
            Error::input(format!("{src} holds several OpenSSH keys; pass one"))
                .hint("copy the one ssh-rsa line into its own file"),
        );
    }
    let mut parts = line.split_whitespace();
    let kind = parts.next().unwrap_or_default();
    match kind {
        "ssh-rsa" => {}
        "ssh-ed25519" | "sk-ssh-ed25519@openssh.com" => {
            return Err(unsupported("an Ed25519 key").context(src))
        }
        "ssh-dss" => return Err(unsupported("a DSA key").context(src)),
        k if k.starts_with("ecdsa-sha2-nistp256") || k.starts_with("sk-ecdsa-sha2-nistp256") => {
            return Err(Error::input(format!(
                "{src} is an OpenSSH ECDSA key; only ssh-rsa lines are read"
            ))
            .hint("convert it: ssh-keygen -e -m PKCS8 -f KEY.pub > public.pem"))
        }
        k if k.starts_with("ecdsa-sha2-") => {
            let curve = k.trim_start_matches("ecdsa-sha2-");
            return Err(unsupported(&format!("an EC {curve} key")).context(src));
        }
        k if k.contains("-cert-") => {
            return Err(
                Error::input(format!("{src} is an OpenSSH certificate, not a key"))
                    .hint("pass the ssh-rsa public key line"),
            )
        }
        other => {
            return Err(Error::input(format!(
                "{src} is an OpenSSH key of type \"{other}\", which is not supported"
            ))
            .hint(HINT_KEYGEN))
        }
    }
    let blob = parts.next().unwrap_or_default();
    let bad = |why: &str| {
        Error::input(format!("{src}: the ssh-rsa key is damaged ({why})"))
            .hint("copy the whole ssh-rsa line again")
    };
    let blob = B64_LENIENT
        .decode(blob)
        .map_err(|_| bad("not valid base64"))?;
    let mut r = SshReader(&blob);
    let name = r.string().ok_or_else(|| bad("truncated"))?;
    if name != b"ssh-rsa" {
        return Err(bad("the key type inside does not say ssh-rsa"));
    }
    let e = r.string().ok_or_else(|| bad("truncated"))?;
    let n = r.string().ok_or_else(|| bad("truncated"))?;
    rsa_public(n, e).map_err(|e| e.context(src))
}

/// Reads RFC 4251 `string`/`mpint` fields (u32 big-endian length, then bytes).
struct SshReader<'a>(&'a [u8]);

impl<'a> SshReader<'a> {
    fn string(&mut self) -> Option<&'a [u8]> {
        let len_bytes: [u8; 4] = self.0.get(..4)?.try_into().ok()?;
        let len = usize::try_from(u32::from_be_bytes(len_bytes)).ok()?;
        let value = self.0.get(4..4usize.checked_add(len)?)?;
        self.0 = self.0.get(4 + len..)?;
        Some(value)
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    // Throwaway keys made with openssl/ssh-keygen for these tests only.
    const RSA2048_PKCS1: &str = r#"-----BEGIN RSA PRIVATE KEY-----
MIIEpAIBAAKCAQEArF08myqO4buG+PcpkRGRLVAAdJLiQ+7MFW8gWcgHhn+ax/yv
bKc2F7dMFW0QLXX2C4b/u2q5kV9VvZBWSikT38HApAZBRzdAbvYz252CBqKnusJm
Sl9x9n0Wy2XdXzmzxKcdy4f0Rae29ShntzQxcjXskiOMbdjFgHNZg/9kmvWxWJI1
8vlZs13+Yr+/SqKXCo057Vbk/aVPXQFROB+s6cvQ7N95rBGQUu25092CaSwqgIW9
xcj2a6H7ltJFepvkQhLUP3sITj70o2sHYzX5aaZApblvTRuri6vQmDB6L4EeQqan
ITiFrUsKHaL9kJHz8E4r2sO3MF52o2NamioUzQIDAQABAoIBACHF2hZ4OgtidHGr
ckZVyBm2E4TD9BhF/dCUV+Uno8vXjHMzoIbcY6W1eW+4UUNrGeUL1Gd7Y7VnlfQB
CFtbHaUKAI5TGG7VFWe4j5QwUlYtAEsAhMz9UyXuQC1l/gCG3KHDcfvbnYIZeOij
/GCCFk8v4DUJSJ6MazR+RZOu0t5mw/sWb7bX//Y/eihxQydRgYVS3bi8Jeih48ux
p6RRWOw3zWgbiMGqmJ+VqapFYgM53cuRIE3FEuZQqCrMMNvq66KdRc32R2vTvBDU
SA14P+6UZmYFNp57/sOD0RD9CM2B6WcIM/8OYYCcldE7+Ur0JtVedAlLqN1duoAE
ZNYKV2kCgYEA117zvsNdKIZ/4d2ktthNMEQXR/NyHEJCscxdxJLb4EMDAoOOzr9d
sPcbFXCHAO6CJ2tADBQcrxuDhhHKaoqQ/3UjCiCEVFXcEHDgePW7RjZRAejmzHTW
hA1WhkKgMOiquy2MVLVpGd5QOPXhbwtCVmpmXXeX+e6MtLomnpN/GgkCgYEAzOFV
fBbuLUDBN2ZhlrTgP0p3stuHdkRh++Tyuj6BlymeRp7sbGbvyJu/AB0fjBZ5crg7
0ESAki8UTqA7GhjSD5O1PB+1qPLbItMG8BkOKWhx98r1wpfx9RnGjwggS9uIsbha
x1bTSFKxi2ifCE4CpIPfDmk8xWzeZ4W//pFjJaUCgYEAgHnVH6w9S2qIqP1mP+ji
ivNji/luzeq9DIFkQlp1Ld/r0LkYHL9Nrb6K+owpDOY64Db7evkYb2ETYYwFWu8U
Nj/zShxBtGmPoIMldSLpt6W5R1FfNQJR4W5veiIOm36AMq6mMvYRH2xeIMyU0YA+
73wDWqh4EZE7gKg3V4uXW7kCgYBOZ41HR58uQjGu+ccu3VlT3zOfhtN4NwMoWp1p
GLKPHqYrcHYZpertYmzdpkeEXLVtaYO6V/y79LhYvojfm9AHlgctUxU56nZiBVAK
YgxBXG8A3PLf3TYDDjImWn3Bient2RckYd3JN5wqNYdmrjPksXKTGULgaqFSDKVE
zm6a4QKBgQDXNCZv0Q329Hy6kELDGtdFXYExOIIHVb5HSHrh1mjczG9FvfHoQdtA
RqtOmaYywcBIVJesDe2y8FhxM4lK4lcfu9kgrRlndUWiFYp4gq0YcicoL8BUNcGm
+2bjnjc6DsLEhTasqQ+0EP6UnYaQRcy3wF3A3Gk8Uo6xVgxWC93aXQ==
-----END RSA PRIVATE KEY-----
"#;
    const RSA2048_SPKI: &str = r#"-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEArF08myqO4buG+PcpkRGR
LVAAdJLiQ+7MFW8gWcgHhn+ax/yvbKc2F7dMFW0QLXX2C4b/u2q5kV9VvZBWSikT
38HApAZBRzdAbvYz252CBqKnusJmSl9x9n0Wy2XdXzmzxKcdy4f0Rae29ShntzQx
cjXskiOMbdjFgHNZg/9kmvWxWJI18vlZs13+Yr+/SqKXCo057Vbk/aVPXQFROB+s
6cvQ7N95rBGQUu25092CaSwqgIW9xcj2a6H7ltJFepvkQhLUP3sITj70o2sHYzX5
aaZApblvTRuri6vQmDB6L4EeQqanITiFrUsKHaL9kJHz8E4r2sO3MF52o2NamioU
zQIDAQAB
-----END PUBLIC KEY-----
"#;
    const RSA2048_PKCS1_PUB: &str = r#"-----BEGIN RSA PUBLIC KEY-----
MIIBCgKCAQEArF08myqO4buG+PcpkRGRLVAAdJLiQ+7MFW8gWcgHhn+ax/yvbKc2
F7dMFW0QLXX2C4b/u2q5kV9VvZBWSikT38HApAZBRzdAbvYz252CBqKnusJmSl9x
9n0Wy2XdXzmzxKcdy4f0Rae29ShntzQxcjXskiOMbdjFgHNZg/9kmvWxWJI18vlZ
s13+Yr+/SqKXCo057Vbk/aVPXQFROB+s6cvQ7N95rBGQUu25092CaSwqgIW9xcj2
a6H7ltJFepvkQhLUP3sITj70o2sHYzX5aaZApblvTRuri6vQmDB6L4EeQqanITiF
rUsKHaL9kJHz8E4r2sO3MF52o2NamioUzQIDAQAB
-----END RSA PUBLIC KEY-----
"#;
    const RSA2048_SSH: &str = r#"ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCsXTybKo7hu4b49ymREZEtUAB0kuJD7swVbyBZyAeGf5rH/K9spzYXt0wVbRAtdfYLhv+7armRX1W9kFZKKRPfwcCkBkFHN0Bu9jPbnYIGoqe6wmZKX3H2fRbLZd1fObPEpx3Lh/RFp7b1KGe3NDFyNeySI4xt2MWAc1mD/2Sa9bFYkjXy+VmzXf5iv79KopcKjTntVuT9pU9dAVE4H6zpy9Ds33msEZBS7bnT3YJpLCqAhb3FyPZrofuW0kV6m+RCEtQ/ewhOPvSjawdjNflppkCluW9NG6uLq9CYMHovgR5CpqchOIWtSwodov2QkfPwTivaw7cwXnajY1qaKhTN"#;
    const RSA2048_JWK: &str = r#"{"kty": "RSA", "n": "rF08myqO4buG-PcpkRGRLVAAdJLiQ-7MFW8gWcgHhn-ax_yvbKc2F7dMFW0QLXX2C4b_u2q5kV9VvZBWSikT38HApAZBRzdAbvYz252CBqKnusJmSl9x9n0Wy2XdXzmzxKcdy4f0Rae29ShntzQxcjXskiOMbdjFgHNZg_9kmvWxWJI18vlZs13-Yr-_SqKXCo057Vbk_aVPXQFROB-s6cvQ7N95rBGQUu25092CaSwqgIW9xcj2a6H7ltJFepvkQhLUP3sITj70o2sHYzX5aaZApblvTRuri6vQmDB6L4EeQqanITiFrUsKHaL9kJHz8E4r2sO3MF52o2NamioUzQ", "e": "AQAB", "d": "IcXaFng6C2J0catyRlXIGbYThMP0GEX90JRX5Sejy9eMczOghtxjpbV5b7hRQ2sZ5QvUZ3tjtWeV9AEIW1sdpQoAjlMYbtUVZ7iPlDBSVi0ASwCEzP1TJe5ALWX-AIbcocNx-9udghl46KP8YIIWTy_gNQlInoxrNH5Fk67S3mbD-xZvttf_9j96KHFDJ1GBhVLduLwl6KHjy7GnpFFY7DfNaBuIwaqYn5WpqkViAzndy5EgTcUS5lCoKsww2-rrop1FzfZHa9O8ENRIDXg_7pRmZgU2nnv-w4PREP0IzYHpZwgz_w5hgJyV0Tv5SvQm1V50CUuo3V26gARk1gpXaQ", "p": "117zvsNdKIZ_4d2ktthNMEQXR_NyHEJCscxdxJLb4EMDAoOOzr9dsPcbFXCHAO6CJ2tADBQcrxuDhhHKaoqQ_3UjCiCEVFXcEHDgePW7RjZRAejmzHTWhA1WhkKgMOiquy2MVLVpGd5QOPXhbwtCVmpmXXeX-e6MtLomnpN_Ggk", "q": "zOFVfBbuLUDBN2ZhlrTgP0p3stuHdkRh--Tyuj6BlymeRp7sbGbvyJu_AB0fjBZ5crg70ESAki8UTqA7GhjSD5O1PB-1qPLbItMG8BkOKWhx98r1wpfx9RnGjwggS9uIsbhax1bTSFKxi2ifCE4CpIPfDmk8xWzeZ4W__pFjJaU", "dp": "gHnVH6w9S2qIqP1mP-jiivNji_luzeq9DIFkQlp1Ld_r0LkYHL9Nrb6K-owpDOY64Db7evkYb2ETYYwFWu8UNj_zShxBtGmPoIMldSLpt6W5R1FfNQJR4W5veiIOm36AMq6mMvYRH2xeIMyU0YA-73wDWqh4EZE7gKg3V4uXW7k", "dq": "TmeNR0efLkIxrvnHLt1ZU98zn4bTeDcDKFqdaRiyjx6mK3B2GaXq7WJs3aZHhFy1bWmDulf8u_S4WL6I35vQB5YHLVMVOep2YgVQCmIMQVxvANzy3902Aw4yJlp9wYnp7dkXJGHdyTecKjWHZq4z5LFykxlC4GqhUgylRM5umuE", "qi": "1zQmb9EN9vR8upBCwxrXRV2BMTiCB1W-R0h64dZo3MxvRb3x6EHbQEarTpmmMsHASFSXrA3tsvBYcTOJSuJXH7vZIK0ZZ3VFohWKeIKtGHInKC_AVDXBpvtm4543Og7CxIU2rKkPtBD-lJ2GkEXMt8BdwNxpPFKOsVYMVgvd2l0"}"#;
    const RSA1024_PKCS1: &str = r#"-----BEGIN RSA PRIVATE KEY-----
MIICXwIBAAKBgQDtVSO+Fyq274Au+e67Yp2JeHj07uEKX/IfnOagwGuvdMojiLhY
rrYhuefcUXcMC8Du81Th0/P9nw7GANhUxBt24TjSy6WFylLRbsez8oBLS5F7epZE
C4Lci4uWNIAi7zIdekiZvaztAFFbCcXl8lWyi13mGHc1JfTD8Z0YT6RMHwIDAQAB
AoGBANcz1n8tvpu2vELceq8LktHuna9rVD/2FDS6Lx4gnQSyIADsnkw70Abw7d+H
Ny2DEuUZXCSR7rJRIjJE3eSvFj6MeRn4bcXLshcI9xVqAKwvgglHN+QRbokczGeN
pm6Jpca3gkMOl68Q6SFobSaxZ8ziVfyEriKyi2gLg1iqRKDRAkEA/S87JsYGjVFr
Rzsw6sSYHduYVVxkx3ZtO8Ku+65Zb8UAukpTU9XxlK/SkcrywVzasnYmI92lJXNG
Iz8ARhMVdQJBAO/4x/aWAyOkI5E/GP3Mgimo/qZueXKdOGOaZNJ9fV5biw+DMk8n
USCfEU5Ytd7cm6pm+9Cb6J7n9MKKbghspMMCQQDJYegKzzgm77wEzG/8TKMyHJju
TK9ceDYqco/8YJGC9Y++nZ/p7yJYwgEbNfIhG1pY2OE9Ze8V+rqvDk2Jb2SBAkEA
4RkpYVn4Gd+m6WEZrUC/vBpkvHOWgneN5Ih4GKZUCkWunN+BOpRz2ji7wBUgjKu9
bUtq3JTS0PReOHonmslmhwJBALSuhfxgq6qs7NBIO6pJx4t5Q/gcqyZ8hCW1v/Gf
ND4X9/a+Ep4Cq3e4lnqxLOlZjYBS8X5HNazAgKRzkjDBNpA=
-----END RSA PRIVATE KEY-----
"#;
    const RSA1024_SPKI: &str = r#"-----BEGIN PUBLIC KEY-----
MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDtVSO+Fyq274Au+e67Yp2JeHj0
7uEKX/IfnOagwGuvdMojiLhYrrYhuefcUXcMC8Du81Th0/P9nw7GANhUxBt24TjS
y6WFylLRbsez8oBLS5F7epZEC4Lci4uWNIAi7zIdekiZvaztAFFbCcXl8lWyi13m
GHc1JfTD8Z0YT6RMHwIDAQAB
-----END PUBLIC KEY-----
"#;
    const EC_SEC1_WITH_PARAMS: &str = r#"-----BEGIN EC PARAMETERS-----
BggqhkjOPQMBBw==
-----END EC PARAMETERS-----
-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIOJCBlJe9RWVFpmXy/Nx68iXHJBvKUSQfYS0Xf3uQVXQoAoGCCqGSM49
AwEHoUQDQgAExHSEAPOPRJpx82zm73pEQOKrRrYCu78p1wKYrDln4Z5/fNgTU7nU
kUGsB94DSVVeqyZGxSnqp7pfaZRpkRRIzw==
-----END EC PRIVATE KEY-----
"#;
    const EC_SPKI: &str = r#"-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAExHSEAPOPRJpx82zm73pEQOKrRrYC
u78p1wKYrDln4Z5/fNgTU7nUkUGsB94DSVVeqyZGxSnqp7pfaZRpkRRIzw==
-----END PUBLIC KEY-----
"#;
    const EC_SPKI_COMPRESSED: &str = r#"-----BEGIN PUBLIC KEY-----
MDkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDIgADxHSEAPOPRJpx82zm73pEQOKrRrYC
u78p1wKYrDln4Z4=
-----END PUBLIC KEY-----
"#;
    const EC_JWK: &str = r#"{"kty": "EC", "crv": "P-256", "x": "xHSEAPOPRJpx82zm73pEQOKrRrYCu78p1wKYrDln4Z4", "y": "f3zYE1O51JFBrAfeA0lVXqsmRsUp6qe6X2mUaZEUSM8", "d": "4kIGUl71FZUWmZfL83HryJcckG8pRJB9hLRd_e5BVdA"}"#;
    const EC_ENCRYPTED_PKCS8: &str = r#"-----BEGIN ENCRYPTED PRIVATE KEY-----
MIHsMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAjBLodsjCuJOAICCAAw
DAYIKoZIhvcNAgkFADAdBglghkgBZQMEAQIEEB/XvBXXTHrdpnH8OdWQpVAEgZBE
2HjKCDkDzDnfc7pcKfq/Acqryn2+y9zcGUtcWii9fQj6Bnpv7S5jMkYaFG6DGex/
H56z6PGi+ZnhEfhMPTvFRjNeXoA4Jd5Y5x2rTiKW659KX+7a9Csvu1gt34NHBX1Z
DsPkoxecuGciROh+nCGlQ+ceBVistFmoXh5yPPZN7VXhXSV6pSnX3l22bnUE+AQ=
-----END ENCRYPTED PRIVATE KEY-----
"#;
    const RSA_LEGACY_ENCRYPTED: &str = r#"-----BEGIN RSA PRIVATE KEY-----
Proc-Type: 4,ENCRYPTED
DEK-Info: AES-128-CBC,365386885E3C487B7115E676511B9806

2MzRfFwFyNSj4XUQXYzR5oTUxBymX7tAUrOFztDjnpneqrFvcEtf7qN8tNBmC+U9
nI+SM0UqwMBEEkZwNMFdgxJmUyWJiA+1wF4bwwARVGN5FFyJGznwOumsHNTyLaDi
TY1XvxN82xdPUYxjthLfYqDS0Hn9P/xtJXTKndl1ko2SwmaA/ZZjiUtlWtB1C0cq
hQs5yW4x3oQWMn9GA/OMoQKMn2lIo7FtHHVm3acujN2JH9IRREiOFIRvhjOhhJPl
LkovFksZP0aOI2mmryW/92uX4NCMXC65oFxc7pwmPYSgFrfzTOVeDC1emh/Rxyko
/l78/TpMKysti08sS4ETLKzjXO23bAxMLrZ6XU7DyD/AMuHT3WpKVwiq+kJHhbDL
zgKghF7sZf/yI2d/fyfCUVIGHF94vUbDH1dJ/rpTLJAzFgD8YF3A70bW/6RLy3mc
LExr1gra4xs3nNJNNFq466pdll8RU5RKWeuJhzqnc40yi7Zu8q/s2VOhm2UA3dDj
IWtqgXc024p4/xenDhzMKNBG/GTtlgPRMRRXxK0pSAyyCpV1MJhK5gOPRbwYn7A9
D6P05yBvp9OWCuyE65IfnCWdqjxPCgKx2RwgLhsmySecxcDwBa0NjD+UCj3NEVI1
vMpNACxdCUczzwpU2XvkYUKZmdJqNVpISeA/eXQ+CvMPkLoya2H/e5J0WfRzPE2h
9B7ioatPERSJxPgLHyutGKZ1eoCQAPRYckCxZcHDiteB5ZQuOkfaCjXCTXNPCsbW
zkMi8jSmERo0qBZPuPlQWak32rrbbmkppLhuZLY2s4cmVIr5+sIKX00nlGN3HrbZ
-----END RSA PRIVATE KEY-----
"#;
    const CERT: &str = r#"-----BEGIN CERTIFICATE-----
MIIBbDCCAROgAwIBAgIUTwqfM8wyzM8S2DGj0u8sD7ZepQswCgYIKoZIzj0EAwIw
DDEKMAgGA1UEAwwBdDAeFw0yNjExMjMxMjI4MzJaFw0zNjExMjAxMjI4MzJaMAwx
CjAIBgNVBAMMAXQwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAATEdIQA849EmnHz
bObvekRA4qtGtgK7vynXApisOWfhnn982BNTudSRQawH3gNJVV6rJkbFKeqnul9p
lGmRFEjPo1MwUTAdBgNVHQ4EFgQUDd1DaxPubfis756YmA5Z4NAZWMswHwYDVR0j
BBgwFoAUDd1DaxPubfis756YmA5Z4NAZWMswDwYDVR0TAQH/BAUwAwEB/zAKBggq
hkjOPQQDAgNHADBEAiAHOmSNEPLeniSAgUPQCPbd7hJKKyKznCz7VNKbhkWoAgIg
IPchtxX6CRZi16vYsFiVThNRggAwvKUoVY22pxrQw5Y=
-----END CERTIFICATE-----
"#;
    const ED25519_PKCS8: &str = r#"-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIDMDjBCcHnCoP+VBlB+Bc/k7s2UccB71QQO5uil9rdyf
-----END PRIVATE KEY-----
"#;
    const ED25519_SPKI: &str = r#"-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEA1Mr0BqxWOayKXkFLy+eqqXfJhBD3mvf4HzjrbkTIxFg=
-----END PUBLIC KEY-----
"#;
    const ED25519_SSH: &str =
        r#"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILFL70FMobBAKD2/klB23gRbCh82EZnTfc+XqMe4y1vl t"#;
    const P384_PKCS8: &str = r#"-----BEGIN PRIVATE KEY-----
MIG2AgEAMBAGByqGSM49AgEGBSuBBAAiBIGeMIGbAgEBBDAOM8+kjGBYumAclINe
j35Q1wsGNeJyxfhHnSmaRIDfXcvJ7I4pNiZ+vyuy2gwhN3ChZANiAAT2g37AEh/s
ZqWDko5BHMfbE38IkDJ3txTxG8QzS/Rlpm8cbBwcBGtkp3fMGr5GZAysmmCnXsxF
Sq3bc1LHE8VaILgWCEZle2HjsPQNM4skFDF4RMF9WcDDzVKA9tZ+w5A=
-----END PRIVATE KEY-----
"#;
    const P384_SEC1: &str = r#"-----BEGIN EC PRIVATE KEY-----
MIGkAgEBBDAOM8+kjGBYumAclINej35Q1wsGNeJyxfhHnSmaRIDfXcvJ7I4pNiZ+
vyuy2gwhN3CgBwYFK4EEACKhZANiAAT2g37AEh/sZqWDko5BHMfbE38IkDJ3txTx
G8QzS/Rlpm8cbBwcBGtkp3fMGr5GZAysmmCnXsxFSq3bc1LHE8VaILgWCEZle2Hj
sPQNM4skFDF4RMF9WcDDzVKA9tZ+w5A=
-----END EC PRIVATE KEY-----
"#;
    const P384_SPKI: &str = r#"-----BEGIN PUBLIC KEY-----
MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAE9oN+wBIf7Galg5KOQRzH2xN/CJAyd7cU
8RvEM0v0ZaZvHGwcHARrZKd3zBq+RmQMrJpgp17MRUqt23NSxxPFWiC4FghGZXth
47D0DTOLJBQxeETBfVnAw81SgPbWfsOQ
-----END PUBLIC KEY-----
"#;
    const SECP256K1_SPKI: &str = r#"-----BEGIN PUBLIC KEY-----
MFYwEAYHKoZIzj0CAQYFK4EEAAoDQgAEeHB/Qj499yfUvZX9Z8SjVgO4ZYtQoHR2
TxhoSm6X9mceSfcWJKwP/LE4L90OTdjAoJi+x4ge++Pou/JX/O+WPw==
-----END PUBLIC KEY-----
"#;
    const DSA_PKCS8: &str = r#"-----BEGIN PRIVATE KEY-----
MIIBXAIBADCCATQGByqGSM44BAEwggEnAoGBAPhFQl8YWHi2MKWREt4x8O55rxvH
gbQ0OZfVqhH/SFvyDZ3Ba1VKBpDMHMLcNDmQbajQYD+/cooQ7R5z5qS2JmJKkf4w
On6AdUkpfngn8IzlR6atymXueAv50N8IKhTTmLFubnGx5bBNWnwtljApWj+Kwxzu
VQEGdZrCkN0T3b2jAh0A8XwLfeflRyFwzMikp7BNuv8EeM4UVEILAi/r+wKBgQCD
mKj7e/dgZJjttPqotdQPWZnHGRk8P/dMPpRrsK2/K0slHc83PyBSpefbNCRPK6AM
B4WzAOAue/ftdlLkjdd2Ipz+zWQFK0HAEof1wRD7Xhm5E/jqTh4i8prvJKHypoHX
mwoYzDEMicyfgLUWKBpdfrXR3vmyfjFZUj3EN2BUZAQfAh0ArREE96mr0uwiz746
Q2e42a2q1bgqu6GMtemyQg==
-----END PRIVATE KEY-----
"#;
    const DSA_SPKI: &str = r#"-----BEGIN PUBLIC KEY-----
MIIBwDCCATQGByqGSM44BAEwggEnAoGBAPhFQl8YWHi2MKWREt4x8O55rxvHgbQ0
OZfVqhH/SFvyDZ3Ba1VKBpDMHMLcNDmQbajQYD+/cooQ7R5z5qS2JmJKkf4wOn6A
dUkpfngn8IzlR6atymXueAv50N8IKhTTmLFubnGx5bBNWnwtljApWj+KwxzuVQEG
dZrCkN0T3b2jAh0A8XwLfeflRyFwzMikp7BNuv8EeM4UVEILAi/r+wKBgQCDmKj7
e/dgZJjttPqotdQPWZnHGRk8P/dMPpRrsK2/K0slHc83PyBSpefbNCRPK6AMB4Wz
AOAue/ftdlLkjdd2Ipz+zWQFK0HAEof1wRD7Xhm5E/jqTh4i8prvJKHypoHXmwoY
zDEMicyfgLUWKBpdfrXR3vmyfjFZUj3EN2BUZAOBhQACgYEAwAxKc7l0p7RwLSQ+
L6X2thIQfaL5KEYfY5kvW1MrbaM8CN6HKqn4p4O8VLJ9TpSDLDRSuinVjZ0gJR7K
L8p3YvMxBUsfXKWVv6szK+gf0ji+qrxWnZNkuXvBsd3upvaxeaeSEvbwbtGuSQVT
APOWd1czChqZ15Lykc+UTJeAQ70=
-----END PUBLIC KEY-----
"#;
    const RSA_PSS_SPKI: &str = r#"-----BEGIN PUBLIC KEY-----
MIIBIDALBgkqhkiG9w0BAQoDggEPADCCAQoCggEBAL6uJ1uFArLDOGEpTp4ARHzx
yVKRc7m38hu871pDSSwl+3j1sqjjB0ogFgSXMkyng6jO5lAz2AjcIWdqm8ZpKDYw
mNl5gbr+6rWJpzpJEsYsmnLUkSl3y+ZOzY5EKav9u+lDMQK2vf0G8LlT8aEYjSyc
vjXBispbH1pEjdO+QQQRevqsenK7534xrdxodS2TUgFZAuqx5JQRg3GwjyJ1smNL
bZXDawFBOFlq/+lJdqPmLxB5UhqjCLXvUnb6sFC6zAnXBlxktOK5pazIEiAWi3GW
sEwlXSyp8ck3hucZGOSmIpl1r9o8ZjaJY0j5QPWCByk6bFeI8IjtC6XYqQwmSQcC
AwEAAQ==
-----END PUBLIC KEY-----
"#;

    /// RFC 7638 thumbprints of the fixtures, computed independently (Python).
    const RSA2048_THUMB: &str = "lQhb2w7VLHWb6-71nGatElCRTcwiKFQqnASkbjnnI4Q";
    const EC_THUMB: &str = "DTtODWxvTEOjM5NQqo3c6eSZH-lwDrqHJ711oeXa1Cc";
    /// A JWS signing input and openssl's signatures over it (base64url).
    const MSG: &[u8] = b"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0";
    const RS_SIG_2048: &str = "eZ7Iihdz1uQpJ-qOpeAowzbiHxxiUhwqB50aZkGyLThLczdPoK_38FTsolTYf8Oi9XtrgnKQq7ucAMpq45W5V1tAd1Eab2KqcDt1n6xyyJLN1ub5vQm9rIgGX1x_L6IU7W2WWRoKLzDqfTgv1At5cRX6EQcpNdbdQsJuo4Nv4gJj-efkUIbjeZHXMi5QIcjVFEx8ajt-j8i7cmsjfm0absMZNpoQ8U7y956BJbYfREnxYnkJmDqF8K9r00w7-o1zUaV12oeylaHN6mrOd5KaisQWxCPjWaJV-t9XMy9RAy8Zu48JJWyArNK6MuE-wJBPN39t8CY3MMO_7JWdZmpzAw";
    const RS_SIG_1024: &str = "KsciCy5KDKcZoIMg_xos5n5yStN3qC1z5sJHNsw7GTcHJJSH-l6Mgb-rTm5rLw6_Al-x96ALs2JmhH1Ynx14_h6TDWlw9mb2cY-UPJDrGMasRIUPRkQdu-4YTjO64CfUbO3JhsaEQUbGC_zdU_5XYgfeJw012c7PAW0oWP6S9W8";
    /// openssl's ECDSA signature over MSG with EC_SEC1_WITH_PARAMS: raw r||s, and DER.
    const ES_SIG_RAW: &str =
        "XyagCfR1hMCi2QByk1U3AdWxWQyZwlXsdmBX5K19Zb3Kfnk3UcNBsLce1AYaCmeveXjvEzsV_n-1CXgEnMZEjQ";
    const ES_SIG_DER: &str = "MEUCIF8moAn0dYTAotkAcpNVNwHVsVkMmcJV7HZgV-StfWW9AiEAyn55N1HDQbC3HtQGGgpnr3l47xM7Ff5_tQl4BJzGRI0";

    fn opts(alg: Option<Alg>) -> ParseOptions<'static> {
        ParseOptions {
            source: "key.pem",
            alg,
        }
    }

    fn parse(s: &str) -> Result<Key> {
        Key::parse(s.as_bytes(), &opts(None))
    }

    fn parse_err(s: &[u8], alg: Option<Alg>) -> Error {
        let e = Key::parse(s, &opts(alg)).expect_err("parse should fail");
        let shown = e.to_string();
        assert!(!shown.contains('\n'), "multi-line error: {shown}");
        assert!(e.hint.is_some(), "error without a hint: {shown}");
        assert!(
            shown.contains("key.pem"),
            "error does not name the source: {shown}"
        );
        e
    }

    fn b64d(s: &str) -> Vec<u8> {
        URL_SAFE_NO_PAD.decode(s).unwrap()
    }

    fn rsa_generated() -> &'static Key {
        static KEY: OnceLock<Key> = OnceLock::new();
        KEY.get_or_init(|| Key::generate(Alg::RS256, 2048).unwrap())
    }

    fn assert_canonical_pem(pem: &str, label: &str) {
        assert!(
            pem.starts_with(&format!("-----BEGIN {label}-----\n")),
            "{pem}"
        );
        assert!(pem.ends_with(&format!("-----END {label}-----\n")), "{pem}");
        assert!(!pem.contains('\r'));
        assert!(pem.lines().all(|l| l.len() <= 64), "{pem}");
    }

    #[test]
    fn alg_names() {
        assert_eq!("rs256".parse::<Alg>().unwrap(), Alg::RS256);
        assert_eq!("Es256".parse::<Alg>().unwrap(), Alg::ES256);
        assert_eq!("HS256".parse::<Alg>().unwrap(), Alg::HS256);
        let e = "PS256".parse::<Alg>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown algorithm \"PS256\" (use RS256, ES256 or HS256)"
        );
        assert_eq!(Alg::ES256.to_string(), "ES256");
        assert_eq!(Alg::RS256.key_type(), "RSA");
        assert_eq!(Alg::ES256.key_type(), "EC P-256");
        assert_eq!(Alg::HS256.key_type(), "HMAC secret");
        assert_eq!(serde_json::to_string(&Alg::HS256).unwrap(), "\"HS256\"");
        assert_eq!(
            serde_json::from_str::<Alg>("\"ES256\"").unwrap(),
            Alg::ES256
        );
        use clap::ValueEnum;
        let names: Vec<String> = Alg::value_variants()
            .iter()
            .map(|a| a.to_possible_value().unwrap().get_name().to_string())
            .collect();
        assert_eq!(names, ["RS256", "ES256", "HS256"]);
    }

    #[test]
    fn generate_hs256_secret() {
        let k = Key::generate(Alg::HS256, 0).unwrap();
        let s = k.secret().unwrap();
        assert_eq!(s.len(), 43);
        assert!(s
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_eq!(URL_SAFE_NO_PAD.decode(s).unwrap().len(), 32);
        assert_ne!(Key::generate(Alg::HS256, 0).unwrap().secret(), Some(s));
        assert!(k.is_private());
        assert_eq!(k.description(), "HS256 secret (43 bytes)");
        assert!(k.private_key_pem().is_none());
        assert!(k
            .public_key_pem()
            .unwrap_err()
            .to_string()
            .contains("has no public key"));
        assert!(k.public_jwk(None).is_err());
    }

    #[test]
    fn generate_rejects_odd_rsa_sizes() {
        for bits in [0, 1024, 2047, 8192] {
            let e = Key::generate(Alg::RS256, bits).unwrap_err();
            assert!(e.to_string().contains("2048, 3072 or 4096"), "{e}");
        }
    }

    #[test]
    fn generated_keys_round_trip_through_pem() {
        let ec = Key::generate(Alg::ES256, 2048).unwrap();
        for key in [rsa_generated(), &ec] {
            assert!(key.is_private());
            let private = key.private_key_pem().unwrap();
            assert_canonical_pem(&private, "PRIVATE KEY");
            let again = parse(&private).unwrap();
            assert!(again.is_private());
            assert_eq!(again.alg(), key.alg());
            assert_eq!(again.thumbprint(), key.thumbprint());
            assert_eq!(again.private_key_pem().unwrap().as_str(), private.as_str());

            let public = key.public_key_pem().unwrap();
            assert_canonical_pem(&public, "PUBLIC KEY");
            let pubkey = parse(&public).unwrap();
            assert!(!pubkey.is_private());
            assert!(pubkey.private_key_pem().is_none());
            assert_eq!(pubkey.thumbprint(), key.thumbprint());
            assert_eq!(pubkey.public_key_pem().unwrap(), public);
        }
        assert_eq!(rsa_generated().rsa_bits(), Some(2048));
        assert_eq!(rsa_generated().description(), "RSA 2048-bit private key");
        assert_eq!(ec.description(), "EC P-256 private key");
        assert_eq!(ec.rsa_bits(), None);
        let ec_pub = parse(&ec.public_key_pem().unwrap()).unwrap();
        assert_eq!(ec_pub.description(), "EC P-256 public key");
    }

    #[test]
    fn generated_keys_round_trip_through_jwk() {
        let ec = Key::generate(Alg::ES256, 0).unwrap();
        let hs = Key::generate(Alg::HS256, 0).unwrap();
        for key in [rsa_generated(), &ec] {
            let jwk = key.public_jwk(Some("k1")).unwrap();
            assert!(!jwk.has_private_members());
            let back = jwk.to_key().unwrap();
            assert!(!back.is_private());
            assert_eq!(back.thumbprint(), key.thumbprint());
            assert_eq!(back.public_jwk(Some("k1")).unwrap(), jwk);
            assert_eq!(jwk.thumbprint().unwrap(), key.thumbprint());
        }
        let jwk = hs.secret_jwk(Some("s1")).unwrap();
        assert_eq!(jwk.kty, "oct");
        assert_eq!(jwk.alg.as_deref(), Some("HS256"));
        assert_eq!(jwk.use_.as_deref(), Some("sig"));
        let back = jwk.to_key().unwrap();
        assert_eq!(back.secret(), hs.secret());
        assert_eq!(back.thumbprint(), hs.thumbprint());
        assert_eq!(jwk.thumbprint().unwrap(), hs.thumbprint());
        assert!(rsa_generated().secret_jwk(None).is_none());
    }

    #[test]
    fn jwk_member_order() {
        let rsa =
            serde_json::to_string(&parse(RSA2048_SPKI).unwrap().public_jwk(Some("k1")).unwrap())
                .unwrap();
        assert!(
            rsa.starts_with(r#"{"kty":"RSA","use":"sig","alg":"RS256","kid":"k1","n":""#),
            "{rsa}"
        );
        assert!(rsa.ends_with(r#","e":"AQAB"}"#), "{rsa}");
        let ec = serde_json::to_string(&parse(EC_SPKI).unwrap().public_jwk(None).unwrap()).unwrap();
        assert_eq!(
            ec,
            r#"{"kty":"EC","use":"sig","alg":"ES256","crv":"P-256","x":"xHSEAPOPRJpx82zm73pEQOKrRrYCu78p1wKYrDln4Z4","y":"f3zYE1O51JFBrAfeA0lVXqsmRsUp6qe6X2mUaZEUSM8"}"#
        );
        let hs = Key::parse(b"s3cret", &opts(Some(Alg::HS256))).unwrap();
        let oct = serde_json::to_string(&hs.secret_jwk(Some("h")).unwrap()).unwrap();
        assert_eq!(
            oct,
            r#"{"kty":"oct","use":"sig","alg":"HS256","kid":"h","k":"czNjcmV0"}"#
        );
    }

    #[test]
    fn ec_coordinates_are_left_padded_to_32_bytes() {
        // About 1 key in 128 has x or y with a leading zero byte.
        let mut found = false;
        for _ in 0..5000 {
            let key = Key::generate(Alg::ES256, 0).unwrap();
            let Inner::Ec { point, .. } = &key.inner else {
                unreachable!()
            };
            if point[1] != 0 && point[33] != 0 {
                continue;
            }
            let jwk = key.public_jwk(None).unwrap();
            assert_eq!(b64d(jwk.x.as_deref().unwrap()).len(), 32);
            assert_eq!(b64d(jwk.y.as_deref().unwrap()).len(), 32);
            assert_eq!(jwk.to_key().unwrap().thumbprint(), key.thumbprint());
            let private = parse(&key.private_key_pem().unwrap()).unwrap();
            assert_eq!(private.thumbprint(), key.thumbprint());
            found = true;
            break;
        }
        assert!(found, "no key with a leading zero coordinate in 5000 tries");
    }

    #[test]
    fn thumbprint_rfc7638_example() {
        let jwk = r#"{"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"}"#;
        let key = parse(jwk).unwrap();
        assert_eq!(
            key.thumbprint(),
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        );
        assert_eq!(key.rsa_bits(), Some(2048));
        let value: serde_json::Value = serde_json::from_str(jwk).unwrap();
        let parsed = Jwk::from_value(&value).unwrap();
        assert_eq!(
            parsed.thumbprint().unwrap(),
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        );
    }

    #[test]
    fn every_rsa_format_is_the_same_key() {
        for (name, text) in [
            ("pkcs1 private", RSA2048_PKCS1),
            ("spki", RSA2048_SPKI),
            ("pkcs1 public", RSA2048_PKCS1_PUB),
            ("ssh-rsa", RSA2048_SSH),
            ("jwk private", RSA2048_JWK),
        ] {
            let key = parse(text).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(key.alg(), Alg::RS256, "{name}");
            assert_eq!(key.rsa_bits(), Some(2048), "{name}");
            assert_eq!(key.thumbprint(), RSA2048_THUMB, "{name}");
            assert_eq!(key.public_key_pem().unwrap(), RSA2048_SPKI, "{name}");
        }
        assert!(parse(RSA2048_PKCS1).unwrap().is_private());
        assert!(parse(RSA2048_JWK).unwrap().is_private());
        assert!(!parse(RSA2048_SSH).unwrap().is_private());
        // A PKCS#1 key comes back out as PKCS#8.
        let pkcs8 = parse(RSA2048_PKCS1).unwrap().private_key_pem().unwrap();
        assert_canonical_pem(&pkcs8, "PRIVATE KEY");
        assert_eq!(parse(&pkcs8).unwrap().thumbprint(), RSA2048_THUMB);
    }

    #[test]
    fn every_ec_format_is_the_same_key() {
        for (name, text) in [
            ("sec1 with EC PARAMETERS", EC_SEC1_WITH_PARAMS),
            ("spki", EC_SPKI),
            ("compressed spki", EC_SPKI_COMPRESSED),
            ("jwk private", EC_JWK),
        ] {
            let key = parse(text).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(key.alg(), Alg::ES256, "{name}");
            assert_eq!(key.thumbprint(), EC_THUMB, "{name}");
            assert_eq!(key.public_key_pem().unwrap(), EC_SPKI, "{name}");
        }
        assert!(parse(EC_SEC1_WITH_PARAMS).unwrap().is_private());
        assert!(parse(EC_JWK).unwrap().is_private());
        // The SEC1 key without its EC PARAMETERS block.
        let alone = EC_SEC1_WITH_PARAMS
            .split("-----END EC PARAMETERS-----\n")
            .nth(1)
            .unwrap();
        assert_eq!(parse(alone).unwrap().thumbprint(), EC_THUMB);
    }

    fn manglings(pem: &str) -> Vec<(&'static str, String)> {
        let one_line_spaces = pem.trim_end().replace('\n', " ");
        vec![
            ("crlf", pem.replace('\n', "\r\n")),
            ("spaces for newlines", one_line_spaces.clone()),
            ("no newlines", pem.replace('\n', "")),
            ("literal \\n", pem.trim_end().replace('\n', "\\n")),
            ("literal \\r\\n", pem.trim_end().replace('\n', "\\r\\n")),
            ("double quotes", format!("\"{pem}\"")),
            ("single quotes", format!("'{}'", pem.trim_end())),
            (
                "quotes and literal \\n",
                format!("\"{}\\n\"", pem.trim_end().replace('\n', "\\n")),
            ),
            (
                "leading and trailing whitespace",
                format!("  \n\t{pem}\n\n  "),
            ),
            (
                "indented lines",
                pem.lines().map(|l| format!("    {l}\n")).collect(),
            ),
            (
                "quoted spaces with padding",
                format!("  \"{one_line_spaces}\"  \n"),
            ),
            ("no final newline", pem.trim_end().to_string()),
        ]
    }

    #[test]
    fn normaliser_undoes_every_mangling() {
        for pem in [
            RSA2048_SPKI,
            RSA2048_PKCS1_PUB,
            EC_SEC1_WITH_PARAMS,
            RSA2048_PKCS1,
            CERT,
        ] {
            assert_eq!(normalize_pem(pem).unwrap().as_str(), pem);
            for (how, mangled) in manglings(pem) {
                assert_eq!(normalize_pem(&mangled).unwrap().as_str(), pem, "{how}");
            }
        }
        // Short last line and odd wrapping widths are re-wrapped at 64 columns.
        let wide = RSA2048_SPKI
            .replace("-----\n", "-----\r\n")
            .replace('\n', "");
        assert_eq!(normalize_pem(&wide).unwrap().as_str(), RSA2048_SPKI);
        assert!(normalize_pem("hello").is_err());
        // Fuzz regression (key_parse): a non-ASCII body used to panic while re-wrapping
        // at 64 columns (byte 64 inside a multi-byte char).
        let body = format!("{}é{}", "A".repeat(63), "B".repeat(70));
        let err = normalize_pem(&format!(
            "-----BEGIN PUBLIC KEY-----\n{body}\n-----END PUBLIC KEY-----\n"
        ))
        .unwrap_err();
        assert!(err.to_string().contains("not base64 text"), "{err}");
    }

    #[test]
    fn parse_accepts_every_mangling() {
        for (pem, thumb) in [
            (RSA2048_SPKI, RSA2048_THUMB),
            (RSA2048_PKCS1_PUB, RSA2048_THUMB),
            (RSA2048_PKCS1, RSA2048_THUMB),
            (EC_SEC1_WITH_PARAMS, EC_THUMB),
            (EC_SPKI, EC_THUMB),
        ] {
            for (how, mangled) in manglings(pem) {
                let key = parse(&mangled).unwrap_or_else(|e| panic!("{how}: {e}"));
                assert_eq!(key.thumbprint(), thumb, "{how}");
            }
        }
        // JWK and ssh-rsa wrapped in quotes, with surrounding whitespace.
        assert_eq!(
            parse(&format!("  '{EC_JWK}'\n")).unwrap().thumbprint(),
            EC_THUMB
        );
        assert_eq!(
            parse(&format!("\"{RSA2048_SSH}\"\n")).unwrap().thumbprint(),
            RSA2048_THUMB
        );
    }

    #[test]
    fn hs256_raw_secret() {
        let hs = Some(Alg::HS256);
        for (input, want) in [
            ("s3cret", "s3cret"),
            ("s3cret\n", "s3cret"),
            ("s3cret\r\n", "s3cret"),
            ("s3cret\n\n", "s3cret"),
            ("  spaced secret ", "  spaced secret "),
            ("\"quoted\"", "\"quoted\""),
            ("sk-live-0123", "sk-live-0123"),
            ("ssh-not-a-key", "ssh-not-a-key"),
        ] {
            let key = Key::parse(input.as_bytes(), &opts(hs)).unwrap();
            assert_eq!(key.secret(), Some(want), "{input:?}");
            assert_eq!(key.alg(), Alg::HS256);
        }
        let key = Key::parse(b"abc\n", &opts(hs)).unwrap();
        assert_eq!(key.description(), "HS256 secret (3 bytes)");
        // An oct JWK is a secret too: k is the base64url of the secret's bytes.
        let key = parse(r#"{"kty":"oct","k":"czNjcmV0"}"#).unwrap();
        assert_eq!(key.secret(), Some("s3cret"));
        let e = parse_err(b"\n\n", hs);
        assert!(e.to_string().starts_with("key.pem is empty"), "{e}");
    }

    #[test]
    fn non_pem_without_hs256_is_an_error() {
        let e = parse_err(b"s3cret\n", None);
        assert_eq!(
            e.to_string(),
            "key.pem: not a PEM key (no \"-----BEGIN\" line) (pass a PEM key file, or --alg HS256 if this is an HS256 secret)"
        );
        // A PEM body that lost its BEGIN/END lines gets a hint saying so.
        let body: String = RSA2048_SPKI
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect();
        let e = parse_err(body.as_bytes(), None);
        assert!(
            e.hint
                .as_deref()
                .unwrap()
                .contains("without its -----BEGIN/-----END lines"),
            "{e}"
        );
        // The same mismatch with ES256 expected.
        parse_err(b"s3cret", Some(Alg::ES256));
    }

    #[test]
    fn key_type_must_match_the_expected_alg() {
        let e = parse_err(RSA2048_SPKI.as_bytes(), Some(Alg::ES256));
        assert!(
            e.msg == "key.pem is an RSA key but --alg ES256 needs an EC P-256 key",
            "{e}"
        );
        let e = parse_err(EC_SPKI.as_bytes(), Some(Alg::RS256));
        assert_eq!(
            e.msg,
            "key.pem is an EC P-256 key but --alg RS256 needs an RSA key"
        );
        let e = parse_err(EC_SEC1_WITH_PARAMS.as_bytes(), Some(Alg::HS256));
        assert_eq!(
            e.msg,
            "key.pem is an EC P-256 key but --alg HS256 needs an HMAC secret"
        );
        let e = parse_err(br#"{"kty":"oct","k":"czNjcmV0"}"#, Some(Alg::RS256));
        assert_eq!(
            e.msg,
            "key.pem is an HMAC secret but --alg RS256 needs an RSA key"
        );
        assert!(Key::parse(RSA2048_SPKI.as_bytes(), &opts(Some(Alg::RS256))).is_ok());
        assert!(Key::parse(EC_SPKI.as_bytes(), &opts(Some(Alg::ES256))).is_ok());
    }

    #[test]
    fn empty_and_binary_input() {
        for empty in [&b""[..], b"   \n\t\r\n"] {
            let e = parse_err(empty, None);
            assert!(e.msg.starts_with("key.pem is empty"), "{e}");
        }
        let e = parse_err(&[0xff, 0xfe, 0x00, 0x13, 0x37, 0x80], None);
        assert!(e.msg.contains("binary"), "{e}");
        let e = parse_err(&[0xff, 0xfe, 0x00, 0x13], Some(Alg::HS256));
        assert!(e.msg.contains("binary"), "{e}");
        // DER, as `openssl pkey -outform DER` writes it.
        let der = B64_LENIENT
            .decode(
                RSA2048_SPKI
                    .lines()
                    .filter(|l| !l.starts_with("-----"))
                    .collect::<String>(),
            )
            .unwrap();
        let e = parse_err(&der, None);
        assert!(e.msg.contains("DER"), "{e}");
        assert!(
            e.hint
                .as_deref()
                .unwrap()
                .contains("openssl pkey -inform DER"),
            "{e}"
        );
        // Text with control characters.
        let e = parse_err(b"abc\x00def", None);
        assert!(e.msg.contains("binary"), "{e}");
    }

    #[test]
    fn damaged_pem() {
        // A character that is not base64.
        let garbled = RSA2048_SPKI.replacen("MIIB", "MI*B", 1);
        let e = parse_err(garbled.as_bytes(), None);
        assert!(e.msg.contains("not valid base64"), "{e}");
        // Lines lost in the middle.
        let lines: Vec<&str> = RSA2048_SPKI.lines().collect();
        let truncated = [&lines[..3], &lines[lines.len() - 1..]].concat().join("\n");
        let e = parse_err(truncated.as_bytes(), None);
        assert!(e.msg.contains("damaged or truncated"), "{e}");
        // Cut short: no END line.
        let cut = &RSA2048_PKCS1[..RSA2048_PKCS1.len() / 2];
        let e = parse_err(cut.as_bytes(), None);
        assert!(e.msg.contains("no END line"), "{e}");
        // Damaged BEGIN line.
        let e = parse_err(b"-----BEGIN PUBLIC KEY", None);
        assert!(e.msg.contains("BEGIN line"), "{e}");
        // A truncated private key.
        let lines: Vec<&str> = RSA2048_PKCS1.lines().collect();
        let truncated = [&lines[..10], &lines[lines.len() - 1..]]
            .concat()
            .join("\n");
        let e = parse_err(truncated.as_bytes(), None);
        assert!(e.msg.contains("damaged or truncated"), "{e}");
        assert!(
            e.hint
                .as_deref()
                .unwrap()
                .contains("copy the whole key again"),
            "{e}"
        );
    }

    #[test]
    fn encrypted_keys() {
        for pem in [EC_ENCRYPTED_PKCS8, RSA_LEGACY_ENCRYPTED] {
            let e = parse_err(pem.as_bytes(), None);
            assert!(e.msg.contains("encrypted"), "{e}");
            assert_eq!(
                e.hint.as_deref(),
                Some("decrypt it first: openssl pkey -in KEY -out plain.pem")
            );
            // Also when mangled into one line.
            let e = parse_err(pem.replace('\n', " ").as_bytes(), None);
            assert!(e.msg.contains("encrypted"), "{e}");
        }
    }

    #[test]
    fn certificates() {
        let e = parse_err(CERT.as_bytes(), None);
        assert!(e.msg.contains("certificate"), "{e}");
        assert!(
            e.hint
                .as_deref()
                .unwrap()
                .contains("openssl x509 -pubkey -noout -in CERT"),
            "{e}"
        );
        // A key followed by its certificate: the key is used.
        let both = format!("{EC_SEC1_WITH_PARAMS}{CERT}");
        assert_eq!(parse(&both).unwrap().thumbprint(), EC_THUMB);
        let e = parse_err(
            b"-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n",
            None,
        );
        assert!(e.msg.contains("certificate request"), "{e}");
    }

    #[test]
    fn unsupported_algorithms_say_what_they_are() {
        for (name, text, what) in [
            ("ed25519 pkcs8", ED25519_PKCS8, "Ed25519"),
            ("ed25519 spki", ED25519_SPKI, "Ed25519"),
            ("ed25519 ssh", ED25519_SSH, "Ed25519"),
            ("p384 pkcs8", P384_PKCS8, "EC P-384"),
            ("p384 sec1", P384_SEC1, "EC P-384"),
            ("p384 spki", P384_SPKI, "EC P-384"),
            ("secp256k1", SECP256K1_SPKI, "EC secp256k1"),
            ("dsa pkcs8", DSA_PKCS8, "DSA"),
            ("dsa spki", DSA_SPKI, "DSA"),
            ("rsa-pss", RSA_PSS_SPKI, "RSA-PSS"),
            (
                "okp jwk",
                r#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#,
                "Ed25519",
            ),
            (
                "p384 jwk",
                r#"{"kty":"EC","crv":"P-384","x":"AA","y":"AA"}"#,
                "EC P-384",
            ),
            (
                "dsa legacy pem",
                "-----BEGIN DSA PRIVATE KEY-----\nMIIB\n-----END DSA PRIVATE KEY-----\n",
                "DSA",
            ),
        ] {
            let e = parse_err(text.as_bytes(), None);
            assert!(e.msg.contains(what), "{name}: {e}");
            assert!(
                e.msg.contains("RS256 (RSA), ES256 (EC P-256) and HS256"),
                "{name}: {e}"
            );
            assert!(
                e.hint.as_deref().unwrap().contains("agentos-auth keygen"),
                "{name}: {e}"
            );
        }
        let e = parse_err(b"ecdsa-sha2-nistp256 AAAAE2VjZHNh x", None);
        assert!(
            e.hint
                .as_deref()
                .unwrap()
                .contains("ssh-keygen -e -m PKCS8"),
            "{e}"
        );
        let e = parse_err(b"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaA==\n-----END OPENSSH PRIVATE KEY-----\n", None);
        assert!(e.msg.contains("OpenSSH private key"), "{e}");
    }

    #[test]
    fn small_rsa_keys() {
        // Private under 2048 bits: refused.
        let e = parse_err(RSA1024_PKCS1.as_bytes(), None);
        assert!(
            e.msg.contains("RSA 1024-bit private key is too small"),
            "{e}"
        );
        assert_eq!(
            e.hint.as_deref(),
            Some("generate a new one with agentos-auth keygen")
        );
        // Public 1024-bit: accepted for verification, as PyJWT does.
        let key = parse(RSA1024_SPKI).unwrap();
        assert_eq!(key.rsa_bits(), Some(1024));
        assert!(key.verifier().unwrap().verify(MSG, &b64d(RS_SIG_1024)));
        assert!(!key.verifier().unwrap().verify(b"other", &b64d(RS_SIG_1024)));
    }

    #[test]
    fn one_key_per_file() {
        let e = parse_err(format!("{RSA2048_SPKI}{EC_SPKI}").as_bytes(), None);
        assert!(e.msg.contains("holds 2 keys"), "{e}");
        let params_only = EC_SEC1_WITH_PARAMS
            .split("-----BEGIN EC PRIVATE KEY")
            .next()
            .unwrap();
        let e = parse_err(params_only.as_bytes(), None);
        assert!(e.msg.contains("only EC PARAMETERS"), "{e}");
        let e = parse_err(format!("{{\"keys\": [{EC_JWK}]}}").as_bytes(), None);
        assert!(e.msg.contains("JWKS"), "{e}");
    }

    #[test]
    fn jwk_errors() {
        let ec: serde_json::Value = serde_json::from_str(EC_JWK).unwrap();
        let with = |k: &str, v: serde_json::Value| {
            let mut j = ec.clone();
            j[k] = v;
            j.to_string()
        };
        let short_x = URL_SAFE_NO_PAD.encode([7u8; 31]);
        let e = parse_err(with("x", short_x.into()).as_bytes(), None);
        assert_eq!(
            e.to_string(),
            "key.pem: EC x must be 32 bytes, got 31 (regenerate this key)"
        );
        let e = parse_err(with("kid", 5.into()).as_bytes(), None);
        assert!(e.msg.contains("kid must be a string, got number"), "{e}");
        let e = parse_err(with("y", "%%%".into()).as_bytes(), None);
        assert!(e.msg.contains("\"y\" is not valid base64url"), "{e}");
        // A point that is not on the curve.
        let e = parse_err(
            with("d", serde_json::Value::Null)
                .replace(",\"d\":null", "")
                .replace(&ec["x"].as_str().unwrap()[..4], "AAAA")
                .as_bytes(),
            None,
        );
        assert!(e.msg.contains("not a valid P-256 point"), "{e}");
        let e = parse_err(with("alg", "RS256".into()).as_bytes(), None);
        assert!(e.msg.contains("does not fit"), "{e}");
        let e = parse_err(with("alg", "ES384".into()).as_bytes(), None);
        assert!(e.msg.contains("not supported"), "{e}");
        let e = parse_err(br#"{"kty":"RSA","e":"AQAB"}"#, None);
        assert!(e.msg.contains("no \"n\" member"), "{e}");
        let e = parse_err(br#"{"kty":"XYZ"}"#, None);
        assert!(e.msg.contains("unknown kty \"XYZ\""), "{e}");
        let e = parse_err(br#"{"n":"AQAB"}"#, None);
        assert!(e.msg.contains("missing \"kty\""), "{e}");
        let e = parse_err(br#"{"kty":"oct","k":"_w"}"#, None);
        assert!(e.msg.contains("not UTF-8"), "{e}");
        let e = parse_err(b"{not json", None);
        assert!(e.msg.contains("not valid JSON"), "{e}");
        // RSA private JWK without the CRT members.
        let mut rsa: serde_json::Value = serde_json::from_str(RSA2048_JWK).unwrap();
        for m in ["p", "q", "dp", "dq", "qi"] {
            rsa.as_object_mut().unwrap().remove(m);
        }
        let e = parse_err(rsa.to_string().as_bytes(), None);
        assert!(e.msg.contains("p, q, dp, dq and qi"), "{e}");
        // Inconsistent private members.
        let mut rsa: serde_json::Value = serde_json::from_str(RSA2048_JWK).unwrap();
        rsa["dp"] = rsa["dq"].clone();
        let e = parse_err(rsa.to_string().as_bytes(), None);
        assert!(e.msg.contains("do not form a valid key"), "{e}");
        let mut ec2 = ec.clone();
        ec2["d"] = URL_SAFE_NO_PAD.encode([1u8; 32]).into();
        let e = parse_err(ec2.to_string().as_bytes(), None);
        assert!(e.msg.contains("do not form a valid key"), "{e}");
    }

    #[test]
    fn ssh_errors() {
        let e = parse_err(b"ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCs user@host", None);
        assert!(e.msg.contains("ssh-rsa key is damaged"), "{e}");
        let e = parse_err(b"ssh-rsa !!!", None);
        assert!(e.msg.contains("damaged"), "{e}");
        let e = parse_err(format!("{RSA2048_SSH}\n{RSA2048_SSH}").as_bytes(), None);
        assert!(e.msg.contains("several"), "{e}");
    }

    #[test]
    fn rs256_sign_and_verify() {
        let key = parse(RSA2048_PKCS1).unwrap();
        let signer = key.signer().unwrap();
        assert_eq!(signer.alg(), Alg::RS256);
        let sig = signer.sign(MSG).unwrap();
        // PKCS#1 v1.5 is deterministic: same bytes as openssl.
        assert_eq!(URL_SAFE_NO_PAD.encode(&sig), RS_SIG_2048);
        let verifier = parse(RSA2048_SPKI).unwrap().verifier().unwrap();
        assert_eq!(verifier.alg(), Alg::RS256);
        assert!(verifier.verify(MSG, &sig));
        assert!(!verifier.verify(b"tampered", &sig));
        assert!(!verifier.verify(MSG, &sig[1..]));
        assert!(key.verifier().unwrap().verify(MSG, &sig));
        let generated = rsa_generated();
        let sig = generated.signer().unwrap().sign(MSG).unwrap();
        assert!(generated.verifier().unwrap().verify(MSG, &sig));
        assert!(!verifier.verify(MSG, &sig));
    }

    #[test]
    fn es256_sign_and_verify() {
        let key = parse(EC_SEC1_WITH_PARAMS).unwrap();
        let signer = key.signer().unwrap();
        assert_eq!(signer.alg(), Alg::ES256);
        let sig = signer.sign(MSG).unwrap();
        assert_eq!(sig.len(), 64, "ES256 signatures are raw r||s");
        let verifier = parse(EC_SPKI).unwrap().verifier().unwrap();
        assert!(verifier.verify(MSG, &sig));
        assert!(!verifier.verify(b"tampered", &sig));
        // openssl's signature, as raw r||s: accepted; as DER: rejected.
        assert!(verifier.verify(MSG, &b64d(ES_SIG_RAW)));
        assert!(!verifier.verify(MSG, &b64d(ES_SIG_DER)));
        for _ in 0..20 {
            let key = Key::generate(Alg::ES256, 0).unwrap();
            let sig = key.signer().unwrap().sign(MSG).unwrap();
            assert_eq!(sig.len(), 64);
            assert!(key.verifier().unwrap().verify(MSG, &sig));
        }
    }

    #[test]
    fn hs256_sign_and_verify() {
        // The jwt.io example token, secret "your-256-bit-secret".
        let key = Key::parse(b"your-256-bit-secret\n", &opts(Some(Alg::HS256))).unwrap();
        let input = b"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ";
        let sig = key.signer().unwrap().sign(input).unwrap();
        assert_eq!(
            URL_SAFE_NO_PAD.encode(&sig),
            "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
        );
        let verifier = key.verifier().unwrap();
        assert_eq!(verifier.alg(), Alg::HS256);
        assert!(verifier.verify(input, &sig));
        assert!(!verifier.verify(b"other", &sig));
        let other = Key::parse(b"your-256-bit-secret ", &opts(Some(Alg::HS256))).unwrap();
        assert!(!other.verifier().unwrap().verify(input, &sig));
    }

    #[test]
    fn public_keys_cannot_sign() {
        let e = parse(RSA2048_SPKI).unwrap().signer().unwrap_err();
        assert!(
            e.msg
                .contains("RSA 2048-bit key is a public key; mint needs the private key"),
            "{e}"
        );
        assert!(e.hint.is_some());
        let e = parse(EC_SPKI).unwrap().signer().unwrap_err();
        assert!(e.msg.contains("EC P-256 key is a public key"), "{e}");
    }

    #[test]
    fn signer_and_verifier_are_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<Signer>();
        check::<Verifier>();
        check::<Key>();
        let signer = parse(EC_SEC1_WITH_PARAMS).unwrap().signer().unwrap();
        let verifier = parse(EC_SPKI).unwrap().verifier().unwrap();
        std::thread::scope(|s| {
            for i in 0..4u8 {
                let (signer, verifier) = (&signer, &verifier);
                s.spawn(move || {
                    let msg = [i; 10];
                    assert!(verifier.verify(&msg, &signer.sign(&msg).unwrap()));
                });
            }
        });
    }

    #[test]
    fn debug_output_hides_secrets() {
        let key = Key::parse(b"topsecret", &opts(Some(Alg::HS256))).unwrap();
        let shown = format!(
            "{key:?} {:?} {:?}",
            key.signer().unwrap(),
            key.verifier().unwrap()
        );
        assert!(!shown.contains("topsecret"), "{shown}");
        let jwk = key.secret_jwk(None).unwrap();
        assert!(!format!("{jwk:?}").contains(jwk.k.as_deref().unwrap()));
    }

    /// Parsing never panics: every prefix of each fixture, and random byte damage.
    #[test]
    fn never_panics_on_damaged_input() {
        let fixtures = [
            RSA2048_SPKI,
            RSA2048_PKCS1_PUB,
            RSA2048_SSH,
            EC_SEC1_WITH_PARAMS,
            EC_SPKI,
            EC_JWK,
            RSA2048_JWK,
            EC_ENCRYPTED_PKCS8,
            CERT,
            ED25519_PKCS8,
            P384_SEC1,
            DSA_SPKI,
        ];
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for text in fixtures {
            let bytes = text.as_bytes();
            for end in (0..bytes.len()).step_by(7) {
                let _ = Key::parse(&bytes[..end], &opts(None));
                let _ = Key::parse(&bytes[..end], &opts(Some(Alg::HS256)));
            }
            for _ in 0..60 {
                let mut damaged = bytes.to_vec();
                for _ in 0..1 + next() % 4 {
                    let i = (next() % damaged.len() as u64) as usize;
                    damaged[i] = (next() % 256) as u8;
                }
                let _ = Key::parse(&damaged, &opts(None));
            }
        }
        // Damage inside the DER of valid base64: decode, flip, re-encode.
        for text in [RSA2048_SPKI, EC_SEC1_WITH_PARAMS, RSA2048_PKCS1, P384_PKCS8] {
            let block = text.rsplit("-----BEGIN ").next().unwrap();
            let label = block.split("-----").next().unwrap();
            let body: String = block
                .lines()
                .skip(1)
                .filter(|l| !l.starts_with("-----"))
                .collect();
            let der = B64_LENIENT.decode(body).unwrap();
            for _ in 0..40 {
                let mut d = der.clone();
                let i = (next() % d.len() as u64) as usize;
                d[i] ^= 1 << (next() % 8);
                if next() % 3 == 0 {
                    d.truncate((next() % d.len() as u64) as usize);
                }
                let _ = parse(&pem_encode(label, &d));
            }
        }
    }
}
