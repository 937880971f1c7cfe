//! Key material never reaches a message. A key pasted where a file name belongs
//! (`--key "$SIGNING_KEY"`, `AGENTOS_AUTH_KEY_FILE="$SECRET"`) must not be echoed back
//! as "cannot read <path>" or as clap's "unexpected argument '<value>'": CI logs are
//! read by many. [`looks_like_key_material`] recognises such values; [`shown_path`]
//! and [`scrub`] keep them out of what we print.

use std::borrow::Cow;
use std::path::Path;

/// What a message says instead of the value.
pub const PLACEHOLDER: &str = "<key material, not shown>";

/// The one-line advice for a key given where a file name belongs.
pub const HINT: &str = "that looks like a key or secret, not a file name: give the path of the file that holds it, or pass the key itself in the environment variable AGENTOS_AUTH_KEY";

/// True when `s` carries key armour: PEM, a JWK, an OpenSSH key line. Such a value is
/// never an id or a name (a `--sub`, say), whatever its length.
pub fn is_armoured_key(s: &str) -> bool {
    let t = s.trim().trim_matches(['"', '\'']);
    t.contains("-----BEGIN")
        || t.contains("-----END")
        || t.contains("PRIVATE KEY")
        || t.contains("\"kty\"")
        || t.contains("\\\"kty\\\"")
        || ["ssh-rsa AAAA", "ssh-ed25519 AAAA", "ecdsa-sha2-"]
            .iter()
            .any(|p| t.starts_with(p))
}

/// True when `s` looks like a key, a secret or a token rather than a file name or an
/// ordinary argument: PEM armour, a JWK, an OpenSSH key line, a JWT, several lines of
/// base64, or one long high-entropy word (an HS256 secret, `openssl rand -hex 32`).
pub fn looks_like_key_material(s: &str) -> bool {
    if is_armoured_key(s) {
        return true;
    }
    let t = s.trim().trim_matches(['"', '\'']);
    if is_jwt(t) {
        return true;
    }
    // A PEM body without its armour: two or more long base64 lines.
    let base64_lines = t
        .split(['\n', '\r', ' '])
        .filter(|l| l.len() >= 32 && l.bytes().all(is_base64_byte))
        .count();
    if base64_lines >= 2 {
        return true;
    }
    high_entropy_word(t)
}

/// A path as messages show it: itself, or [`PLACEHOLDER`] when it is key material.
pub fn shown_path(path: &Path) -> Cow<'_, str> {
    let text = path.to_string_lossy();
    if looks_like_key_material(&text) {
        Cow::Borrowed(PLACEHOLDER)
    } else {
        text
    }
}

/// Replaces key material inside a message: PEM blocks, JWK objects, and every
/// single-quoted value (clap quotes the arguments it complains about) that looks like
/// a key. Returns whether anything was replaced.
pub fn scrub(text: &str) -> (String, bool) {
    let mut out = String::with_capacity(text.len());
    let mut replaced = false;
    let mut rest = text;
    while let Some(open) = rest.find('\'') {
        let Some(len) = rest[open + 1..].find('\'') else {
            break;
        };
        let inner = &rest[open + 1..open + 1 + len];
        out.push_str(&rest[..open + 1]);
        if looks_like_key_material(inner) {
            out.push_str(PLACEHOLDER);
            replaced = true;
        } else {
            out.push_str(inner);
        }
        out.push('\'');
        rest = &rest[open + 1 + len + 1..];
    }
    out.push_str(rest);
    // Unquoted armour or JWK objects (a library message quoting a value its own way).
    let (out, armour) = cut_pem_blocks(&out);
    let (out, jwk) = cut_jwk(&out);
    (out, replaced || armour || jwk)
}

fn is_base64_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'-' | b'_')
}

fn is_jwt(t: &str) -> bool {
    let parts: Vec<&str> = t.split('.').collect();
    (parts.len() == 3 || parts.len() == 5)
        && t.starts_with("eyJ")
        && parts[..2]
            .iter()
            .all(|p| p.len() >= 4 && p.bytes().all(is_base64_byte))
}

/// One word of 32+ characters from the base64/hex alphabets, with no dot (file names
/// have extensions; kid-named key files are `<kid>.key.pem`) and the spread of
/// characters a random secret has and a directory name lacks.
fn high_entropy_word(t: &str) -> bool {
    if t.len() < 32 || t.contains('.') || !t.bytes().all(is_base64_byte) {
        return false;
    }
    let hex = t.bytes().all(|b| b.is_ascii_hexdigit());
    let classes = [
        t.bytes().any(|b| b.is_ascii_lowercase()),
        t.bytes().any(|b| b.is_ascii_uppercase()),
        t.bytes().any(|b| b.is_ascii_digit()),
    ];
    let bits = entropy_bits_per_char(t);
    if hex {
        // 48+: a SHA-1 or an undashed UUID is an id, `openssl rand -hex 32` a secret.
        t.len() >= 48 && bits >= 3.0
    } else {
        // Random base64 switches between lower, upper, digit and symbol about every
        // other character; a CamelCase name (`AgentOSSigningKey2026`) far less often.
        classes.iter().all(|c| *c) && bits >= 4.0 && class_switches(t) * 10 >= t.len() * 3
    }
}

fn class_switches(t: &str) -> usize {
    let class = |b: u8| match b {
        b'0'..=b'9' => 0,
        b'a'..=b'z' => 1,
        b'A'..=b'Z' => 2,
        _ => 3,
    };
    t.as_bytes()
        .windows(2)
        .filter(|w| class(w[0]) != class(w[1]))
        .count()
}

fn entropy_bits_per_char(t: &str) -> f64 {
    let mut counts = [0u32; 256];
    for b in t.bytes() {
        counts[b as usize] += 1;
    }
    let n = t.len() as f64;
    counts
        .iter()
        .filter(|c| **c > 0)
        .map(|c| {
            let p = f64::from(*c) / n;
            -p * p.log2()
        })
        .sum()
}

/// Removes every PEM block: `-----BEGIN LABEL-----`, a body of base64 (16+ characters,
/// across spaces, newlines or literal `\n`), through its `-----END LABEL-----` or the
/// end of the text. Armour with no body (our own hints quote `-----BEGIN …-----`) stays.
fn cut_pem_blocks(text: &str) -> (String, bool) {
    const BEGIN: &str = "-----BEGIN";
    const DASHES: &str = "-----";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut cut = false;
    while let Some(i) = rest.find(BEGIN) {
        let after_begin = &rest[i + BEGIN.len()..];
        let Some(label_end) = after_begin.find(DASHES) else {
            break;
        };
        let body_start = &after_begin[label_end + DASHES.len()..];
        let body_len = body_start
            .find(|c: char| !(c.is_ascii_alphanumeric() || "+/=\\ \r\n\t".contains(c)))
            .unwrap_or(body_start.len());
        let body = &body_start[..body_len];
        if body.chars().filter(char::is_ascii_alphanumeric).count() < 16 {
            let keep = i + BEGIN.len();
            out.push_str(&rest[..keep]);
            rest = &rest[keep..];
            continue;
        }
        out.push_str(&rest[..i]);
        out.push_str(PLACEHOLDER);
        cut = true;
        let tail = &body_start[body_len..];
        rest = match tail.strip_prefix("-----END") {
            Some(end) => match end.find(DASHES) {
                Some(k) => &end[k + DASHES.len()..],
                None => "",
            },
            None => tail,
        };
    }
    out.push_str(rest);
    (out, cut)
}

/// Removes JSON objects that carry `"kty"` and a value: from the `{` before it to its
/// closing `}` (a hint that merely names `"kty"` stays).
fn cut_jwk(text: &str) -> (String, bool) {
    let Some(k) = text.find("\"kty\"") else {
        return (text.to_string(), false);
    };
    let Some(open) = text[..k].rfind('{') else {
        let (rest, cut) = cut_jwk(&text[k + 5..]);
        return (format!("{}{rest}", &text[..k + 5]), cut);
    };
    let mut depth = 0i32;
    let mut close = text.len();
    for (i, c) in text[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    close = open + i + 1;
                    break;
                }
            }
            _ => {}
        }
    }
    let (rest, _) = cut_jwk(&text[close..]);
    (format!("{}{PLACEHOLDER}{rest}", &text[..open]), true)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PEM: &str = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n";

    #[test]
    fn keys_secrets_and_tokens_are_recognised() {
        for s in [
            PEM,
            &PEM.replace('\n', " "),
            &PEM.replace('\n', "\\n"),
            r#"{"kty":"oct","k":"c2VjcmV0"}"#,
            "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ user@host",
            "Zm9vYmFyYmF6cXV4cXV1eHh5enp5MTIzNDU2Nzg5MDEy",   // 44 chars base64
            "kq3Zb1xY8Wm2Lr5Tn0Vc7Hd4Fs9Gj6Pa_e-1uRtBoXw",    // keygen HS256 secret shape
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", // hex
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln",
            "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg",
        ] {
            assert!(looks_like_key_material(s), "{s}");
        }
    }

    #[test]
    fn file_names_are_not_key_material() {
        for s in [
            "key.pem",
            "./keys/agentos.key.pem",
            "/home/alice/.config/agentos-auth/keys/kq3Zb1xY8Wm2Lr5Tn0Vc7Hd4Fs9Gj6Pa_e-1uRtBoXw.key.pem",
            "/run/secrets/signing_key",
            "/tmp/.tmpAbC123/jwks.json",
            "/very/long/directory/structure/with/many/levels/key",
            "AgentOSProductionSigningKeyFile2026",
            "-",
            "agents:read",
        ] {
            assert!(!looks_like_key_material(s), "{s}");
        }
    }

    #[test]
    fn scrub_replaces_quoted_values_pem_blocks_and_jwks() {
        let msg = format!("unexpected argument '{}' found", PEM.replace('\n', " "));
        let (out, hit) = scrub(&msg);
        assert!(hit);
        assert_eq!(out, format!("unexpected argument '{PLACEHOLDER}' found"));
        let (out, hit) = scrub(&format!("bad key {PEM} here"));
        assert!(
            hit && !out.contains("MIGH") && out.ends_with(" here"),
            "{out}"
        );
        let (out, hit) = scrub(r#"got {"kty":"oct","k":"c2VjcmV0"} instead"#);
        assert!(hit && !out.contains("c2Vj"), "{out}");
        let hint = r#"not a PEM key (no "-----BEGIN ...-----" line; missing "kty")"#;
        assert_eq!(scrub(hint), (hint.to_string(), false));
        let (out, hit) = scrub(&format!("x {} y", PEM.replace('\n', "\\n")));
        assert!(hit && !out.contains("MIGH") && out.ends_with(" y"), "{out}");
        let (out, hit) = scrub("invalid value 'agent:read' for '--scopes'");
        assert!(!hit);
        assert_eq!(out, "invalid value 'agent:read' for '--scopes'");
    }
}
