//! OpenSSH public keys (`ssh-rsa AAAA… comment`).

use base64::Engine as _;

use super::formats::*;
use super::key::{rsa_public, Key};
use crate::error::{Error, Result};

pub(super) fn parse_ssh(text: &str, src: &str) -> Result<Key> {
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
