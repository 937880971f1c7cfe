//! PEM: the normaliser that repairs PEM mangled by env vars and CI secret stores, and
//! the reader of its blocks (the DER inside is `asn1`'s, an encrypted one `encrypted`'s).

use base64::Engine as _;
use der::asn1::ObjectIdentifier;
use der::Decode;
use zeroize::Zeroizing;

use super::asn1::{ec_private_from_sec1, from_pkcs8, from_spki, rsa_private_from_pkcs1};
use super::encrypted::read_encrypted;
use super::formats::*;
use super::key::{rsa_public, Key};
use crate::error::{Error, Result};

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

fn is_key_label(label: &str) -> bool {
    label.ends_with(" KEY")
}

pub(super) fn parse_pem(text: &str, src: &str) -> Result<Key> {
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
    if block.encrypted {
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
        "ENCRYPTED PRIVATE KEY" => read_encrypted(&der, src),
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
