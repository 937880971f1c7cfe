//! The ASN.1 (DER) structures of keys (PKCS#8, PKCS#1, SEC1, SPKI), read into a [`Key`], with
//! a precise message for what AgentOS cannot use.

use aws_lc_rs::{rsa, signature};
use der::asn1::ObjectIdentifier;
use der::Decode;

use super::formats::*;
use super::key::{ec_from_keypair, ec_public, rsa_from_keypair, rsa_public, Key};
use crate::error::{Error, Result};

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

pub(super) fn from_pkcs8(der: &[u8], src: &str) -> Result<Key> {
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

pub(super) fn rsa_private_from_pkcs1(der: &[u8], src: &str) -> Result<Key> {
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

/// A SEC1 `ECPrivateKey` whose `[0] parameters` hold explicit curve parameters (a
/// SEQUENCE) rather than a curve name (an OID): the `sec1` crate cannot read it, and
/// it is as unsupported as its PKCS#8 form ("without a named curve").
fn sec1_has_explicit_curve(der: &[u8]) -> bool {
    use der::asn1::AnyRef;
    use der::{Reader as _, SliceReader, Tag, TagNumber, Tagged as _};
    let read = || -> der::Result<bool> {
        let outer = AnyRef::from_der(der)?;
        if outer.tag() != Tag::Sequence {
            return Ok(false);
        }
        let mut r = SliceReader::new(outer.value())?;
        let version = AnyRef::decode(&mut r)?;
        let private_key = AnyRef::decode(&mut r)?;
        if version.tag() != Tag::Integer || private_key.tag() != Tag::OctetString || r.is_finished()
        {
            return Ok(false);
        }
        let params = AnyRef::decode(&mut r)?;
        let is_params = params.tag()
            == Tag::ContextSpecific {
                constructed: true,
                number: TagNumber::N0,
            };
        Ok(is_params && params.value().first() == Some(&0x30))
    };
    read().unwrap_or(false)
}

pub(super) fn ec_private_from_sec1(
    der: &[u8],
    ec_params: Option<ObjectIdentifier>,
    src: &str,
) -> Result<Key> {
    let sk = sec1::EcPrivateKey::from_der(der).map_err(|e| {
        if sec1_has_explicit_curve(der) {
            unsupported(&algorithm_name(OID_EC, None)).context(src)
        } else {
            damaged(src, "EC private key", e)
        }
    })?;
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

pub(super) fn from_spki(der: &[u8], src: &str) -> Result<Key> {
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
