//! Python's `json.loads(bytes)` as PyJWT calls it on a token's header and payload
//! (CPython 3.11 `json/__init__.py`, `_json.c`), where it differs from strict JSON:
//!
//! - the bytes are decoded first, in the encoding `json.detect_encoding` guesses
//!   (UTF-8 with or without BOM, UTF-16 and UTF-32 by BOM or by NUL bytes), with
//!   `surrogatepass`: an encoded lone surrogate is taken, a bad byte is refused with
//!   the codec's own message ("'utf-8' codec can't decode byte 0xff in position 8:
//!   invalid start byte");
//! - `NaN`, `Infinity`, `-Infinity` and numbers beyond a double are accepted;
//! - `\ud800` escapes without their pair are accepted;
//! - nesting is limited by Python's recursion limit ("maximum recursion depth
//!   exceeded while decoding a JSON array from a unicode string").
//!
//! A lone surrogate becomes U+FFFD here (no Rust string holds one, and no value this
//! tool compares a claim with can contain one). Non-finite floats become
//! [`NON_FINITE`] objects: not a number, not a string, so every claim check treats
//! them as Python treats a float it cannot use as an integer or a string.

use serde::Deserialize as _;
use serde_json::Value;

/// The deepest nesting AgentOS decodes: `json.loads` recurses once per level, and
/// under uvicorn on CPython 3.11 a payload 967 levels deep exhausts the default
/// recursion limit of 1000 (measured on agno 3.1.10: 966 levels pass). Another
/// Python version or server stack moves this by a few levels.
pub(crate) const MAX_DEPTH: usize = 966;

/// The key of the object that stands for `NaN` / `Infinity` / `-Infinity`.
pub(crate) const NON_FINITE: &str = "$python-float";

/// `json.loads(bytes)`: the value, or Python's error message.
pub(crate) fn loads(bytes: &[u8]) -> Result<Value, String> {
    let text = decode(bytes)?;
    let (rewritten, depth) = rewrite(&text)?;
    if depth <= SHALLOW {
        return parse(&rewritten);
    }
    // serde recurses once per level: deep (but allowed) nesting is parsed on a thread
    // whose stack fits MAX_DEPTH levels.
    std::thread::Builder::new()
        .stack_size(DEEP_STACK)
        .spawn(move || parse(&rewritten))
        .map_err(|e| format!("cannot parse: {e}"))?
        .join()
        .unwrap_or_else(|_| Err("cannot parse".into()))
}

/// Nesting that any thread's stack parses.
const SHALLOW: usize = 64;
/// Stack for MAX_DEPTH levels of serde recursion, with room to spare (reserved, not
/// touched unless used).
const DEEP_STACK: usize = 256 << 20;

fn parse(text: &str) -> Result<Value, String> {
    let mut de = serde_json::Deserializer::from_str(text);
    // Depth was bounded by `rewrite` (MAX_DEPTH).
    de.disable_recursion_limit();
    let v = Value::deserialize(&mut de).map_err(|e| json_error(&e))?;
    de.end().map_err(|e| json_error(&e))?;
    Ok(v)
}

// ---------------------------------------------------------------------------
// Bytes to text: `json.detect_encoding` and `bytes.decode(enc, "surrogatepass")`.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Utf8,
    Utf8Sig,
    Utf16 { le: bool, bom: bool },
    Utf32 { le: bool, bom: bool },
}

fn detect(b: &[u8]) -> Encoding {
    let starts = |p: &[u8]| b.starts_with(p);
    if starts(&[0, 0, 0xFE, 0xFF]) {
        return Encoding::Utf32 {
            le: false,
            bom: true,
        };
    }
    if starts(&[0xFF, 0xFE, 0, 0]) {
        return Encoding::Utf32 {
            le: true,
            bom: true,
        };
    }
    if starts(&[0xFE, 0xFF]) {
        return Encoding::Utf16 {
            le: false,
            bom: true,
        };
    }
    if starts(&[0xFF, 0xFE]) {
        return Encoding::Utf16 {
            le: true,
            bom: true,
        };
    }
    if starts(&[0xEF, 0xBB, 0xBF]) {
        return Encoding::Utf8Sig;
    }
    if b.len() >= 4 {
        if b[0] == 0 {
            return if b[1] != 0 {
                Encoding::Utf16 {
                    le: false,
                    bom: false,
                }
            } else {
                Encoding::Utf32 {
                    le: false,
                    bom: false,
                }
            };
        }
        if b[1] == 0 {
            return if b[2] != 0 || b[3] != 0 {
                Encoding::Utf16 {
                    le: true,
                    bom: false,
                }
            } else {
                Encoding::Utf32 {
                    le: true,
                    bom: false,
                }
            };
        }
    } else if b.len() == 2 {
        if b[0] == 0 {
            return Encoding::Utf16 {
                le: false,
                bom: false,
            };
        }
        if b[1] == 0 {
            return Encoding::Utf16 {
                le: true,
                bom: false,
            };
        }
    }
    Encoding::Utf8
}

/// CPython's `UnicodeDecodeError` text.
fn codec_error(codec: &str, b: &[u8], start: usize, end: usize, why: &str) -> String {
    if end - start == 1 {
        format!(
            "'{codec}' codec can't decode byte 0x{:02x} in position {start}: {why}",
            b[start]
        )
    } else {
        format!(
            "'{codec}' codec can't decode bytes in position {start}-{}: {why}",
            end - 1
        )
    }
}

fn decode(b: &[u8]) -> Result<String, String> {
    match detect(b) {
        Encoding::Utf8 => utf8(b),
        Encoding::Utf8Sig => utf8(&b[3..]),
        Encoding::Utf16 { le, bom } => {
            let name = match (bom, le) {
                (true, _) => "utf-16",
                (false, true) => "utf-16-le",
                (false, false) => "utf-16-be",
            };
            utf16(&b[if bom { 2 } else { 0 }..], le, name)
        }
        Encoding::Utf32 { le, bom } => {
            let name = match (bom, le) {
                (true, _) => "utf-32",
                (false, true) => "utf-32-le",
                (false, false) => "utf-32-be",
            };
            utf32(&b[if bom { 4 } else { 0 }..], le, name)
        }
    }
}

/// CPython's UTF-8 decoder with `surrogatepass`.
fn utf8(b: &[u8]) -> Result<String, String> {
    let mut out = String::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let b0 = b[i];
        if b0 < 0x80 {
            out.push(char::from(b0));
            i += 1;
            continue;
        }
        let (len, second) = match b0 {
            0xC2..=0xDF => (2, 0x80..=0xBF),
            0xE0 => (3, 0xA0..=0xBF),
            0xE1..=0xEC | 0xEE..=0xEF => (3, 0x80..=0xBF),
            0xED => (3, 0x80..=0x9F),
            0xF0 => (4, 0x90..=0xBF),
            0xF1..=0xF3 => (4, 0x80..=0xBF),
            0xF4 => (4, 0x80..=0x8F),
            _ => return Err(codec_error("utf-8", b, i, i + 1, "invalid start byte")),
        };
        // surrogatepass: ED A0..BF 80..BF is an encoded lone surrogate.
        if b0 == 0xED
            && b.get(i + 1).is_some_and(|c| (0xA0..=0xBF).contains(c))
            && b.get(i + 2).is_some_and(|c| (0x80..=0xBF).contains(c))
        {
            out.push('\u{FFFD}');
            i += 3;
            continue;
        }
        for k in 1..len {
            let Some(&c) = b.get(i + k) else {
                return Err(codec_error(
                    "utf-8",
                    b,
                    i,
                    b.len(),
                    "unexpected end of data",
                ));
            };
            let ok = if k == 1 {
                second.contains(&c)
            } else {
                (0x80..=0xBF).contains(&c)
            };
            if !ok {
                return Err(codec_error(
                    "utf-8",
                    b,
                    i,
                    i + k,
                    "invalid continuation byte",
                ));
            }
        }
        match std::str::from_utf8(&b[i..i + len]) {
            Ok(s) => out.push_str(s),
            Err(_) => out.push('\u{FFFD}'),
        }
        i += len;
    }
    Ok(out)
}

/// UTF-16 with `surrogatepass` (a lone surrogate unit is taken).
fn utf16(b: &[u8], le: bool, name: &str) -> Result<String, String> {
    let whole = b.len() / 2 * 2;
    let units: Vec<u16> = b[..whole]
        .chunks_exact(2)
        .map(|c| {
            if le {
                u16::from_le_bytes([c[0], c[1]])
            } else {
                u16::from_be_bytes([c[0], c[1]])
            }
        })
        .collect();
    if whole != b.len() {
        return Err(codec_error(name, b, whole, b.len(), "truncated data"));
    }
    Ok(char::decode_utf16(units)
        .map(|r| r.unwrap_or('\u{FFFD}'))
        .collect())
}

/// UTF-32 with `surrogatepass`.
fn utf32(b: &[u8], le: bool, name: &str) -> Result<String, String> {
    let mut out = String::new();
    for (n, c) in b.chunks(4).enumerate() {
        let at = n * 4;
        if c.len() < 4 {
            return Err(codec_error(name, b, at, b.len(), "truncated data"));
        }
        let v = if le {
            u32::from_le_bytes([c[0], c[1], c[2], c[3]])
        } else {
            u32::from_be_bytes([c[0], c[1], c[2], c[3]])
        };
        match char::from_u32(v) {
            Some(ch) => out.push(ch),
            None if (0xD800..=0xDFFF).contains(&v) => out.push('\u{FFFD}'),
            None => {
                return Err(codec_error(
                    name,
                    b,
                    at,
                    at + 4,
                    "code point not in range(0x110000)",
                ))
            }
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------
// Text Python accepts, rewritten into JSON serde accepts.

/// Rewrites `NaN`/`Infinity`, out-of-range numbers and lone surrogate escapes, and
/// refuses nesting deeper than [`MAX_DEPTH`] with Python's `RecursionError` text.
/// Anything else is left for serde to accept or refuse.
fn rewrite(s: &str) -> Result<(String, usize), String> {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    let mut depth = 0usize;
    let mut deepest = 0usize;
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b'"' => {
                let end = string_end(bytes, i);
                out.push_str(&fix_surrogate_escapes(&s[i..end]));
                i = end;
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    let what = if c == b'[' { "array" } else { "object" };
                    return Err(format!(
                        "maximum recursion depth exceeded while decoding a JSON {what} from a unicode string"
                    ));
                }
                deepest = deepest.max(depth);
                out.push(char::from(c));
                i += 1;
            }
            b']' | b'}' => {
                depth = depth.saturating_sub(1);
                out.push(char::from(c));
                i += 1;
            }
            b'N' if s[i..].starts_with("NaN") => {
                out.push_str(&non_finite("nan"));
                i += 3;
            }
            b'I' if s[i..].starts_with("Infinity") => {
                out.push_str(&non_finite("inf"));
                i += 8;
            }
            b'-' if s[i..].starts_with("-Infinity") => {
                out.push_str(&non_finite("-inf"));
                i += 9;
            }
            b'-' | b'0'..=b'9' => {
                let end = number_end(bytes, i);
                out.push_str(&fix_number(&s[i..end]));
                i = end;
            }
            _ => {
                let ch = s[i..].chars().next().unwrap_or(' ');
                out.push(ch);
                i += ch.len_utf8();
            }
        }
    }
    Ok((out, deepest))
}

fn non_finite(v: &str) -> String {
    format!("{{\"{NON_FINITE}\":\"{v}\"}}")
}

/// The index after a JSON string starting at `start` (or the end of input).
fn string_end(b: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    b.len()
}

fn number_end(b: &[u8], start: usize) -> usize {
    let mut i = start;
    while i < b.len() && matches!(b[i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') {
        i += 1;
    }
    i
}

/// Python reads an integer of any size, and a float past a double as `inf`.
fn fix_number(n: &str) -> String {
    match n.parse::<f64>() {
        Ok(f) if f.is_infinite() => {
            let integer = !n.contains(['.', 'e', 'E']);
            match (integer, f < 0.0) {
                // An exact int: larger than any time or count; the largest double
                // compares the same way.
                (true, false) => format!("{:e}", f64::MAX),
                (true, true) => format!("{:e}", f64::MIN),
                (false, false) => non_finite("inf"),
                (false, true) => non_finite("-inf"),
            }
        }
        _ => n.to_string(),
    }
}

/// `\uD800`-`\uDFFF` escapes that are not a high-low pair become `\uFFFD`.
fn fix_surrogate_escapes(lit: &str) -> String {
    if !lit.contains("\\u") {
        return lit.to_string();
    }
    let b = lit.as_bytes();
    let hex_at = |i: usize| -> Option<u16> {
        if b.get(i) == Some(&b'\\') && b.get(i + 1) == Some(&b'u') {
            u16::from_str_radix(lit.get(i + 2..i + 6)?, 16).ok()
        } else {
            None
        }
    };
    let mut out = String::with_capacity(lit.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' {
            if let Some(u) = hex_at(i) {
                let high = (0xD800..=0xDBFF).contains(&u);
                let low = (0xDC00..=0xDFFF).contains(&u);
                if high && hex_at(i + 6).is_some_and(|n| (0xDC00..=0xDFFF).contains(&n)) {
                    out.push_str(&lit[i..i + 12]);
                    i += 12;
                    continue;
                }
                if high || low {
                    out.push_str("\\uFFFD");
                } else {
                    out.push_str(&lit[i..i + 6]);
                }
                i += 6;
                continue;
            }
            // Any other escape: keep both characters.
            let next = lit[i + 1..].chars().next().map_or(0, char::len_utf8);
            out.push_str(&lit[i..i + 1 + next]);
            i += 1 + next;
            continue;
        }
        let ch = lit[i..].chars().next().unwrap_or(' ');
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

/// Python's `json` error text for the common case, serde's otherwise.
pub(crate) fn json_error(e: &serde_json::Error) -> String {
    if e.line() == 1 && e.column() <= 1 && e.is_syntax() {
        "Expecting value: line 1 column 1 (char 0)".to_string()
    } else {
        e.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn encodings_python_detects() {
        let want = json!({"sub": "x"});
        let text = r#"{"sub":"x"}"#;
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(text.as_bytes());
        assert_eq!(loads(&bom).unwrap(), want);
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(loads(&le).unwrap(), want);
        assert_eq!(loads(&be).unwrap(), want);
        let mut le_bom = vec![0xFF, 0xFE];
        le_bom.extend_from_slice(&le);
        assert_eq!(loads(&le_bom).unwrap(), want);
        let u32le: Vec<u8> = text
            .chars()
            .flat_map(|c| (c as u32).to_le_bytes())
            .collect();
        assert_eq!(loads(&u32le).unwrap(), want);
    }

    #[test]
    fn codec_errors_read_as_cpython_writes_them() {
        assert_eq!(
            loads(b"{\"sub\":\"\xff\"}").unwrap_err(),
            "'utf-8' codec can't decode byte 0xff in position 8: invalid start byte"
        );
        assert_eq!(
            loads(b"{\"sub\":\"\xe2\x82A\"}").unwrap_err(),
            "'utf-8' codec can't decode bytes in position 8-9: invalid continuation byte"
        );
        assert_eq!(
            loads(b"{\"sub\":\"\xe2\x82").unwrap_err(),
            "'utf-8' codec can't decode bytes in position 8-9: unexpected end of data"
        );
        // surrogatepass: an encoded lone surrogate is taken.
        assert_eq!(
            loads(b"{\"sub\":\"\xed\xa0\x80\"}").unwrap(),
            json!({"sub": "\u{FFFD}"})
        );
    }

    #[test]
    fn python_only_values() {
        let v = loads(br#"{"a":"\ud800","b":"\ud83d\ude00","c":"\udc00x"}"#).unwrap();
        assert_eq!(
            v,
            json!({"a": "\u{FFFD}", "b": "\u{1F600}", "c": "\u{FFFD}x"})
        );
        let v = loads(br#"{"exp":NaN,"iat":-Infinity,"nbf":1e400}"#).unwrap();
        assert!(v["exp"][NON_FINITE] == "nan" && v["iat"][NON_FINITE] == "-inf");
        assert_eq!(v["nbf"][NON_FINITE], "inf");
        let big = format!(r#"{{"exp":1{}}}"#, "0".repeat(400));
        assert_eq!(loads(big.as_bytes()).unwrap()["exp"], json!(f64::MAX));
        // Strings with brackets and NaN in them are left alone.
        let v = loads(br#"{"s":"[NaN]\"{"}"#).unwrap();
        assert_eq!(v, json!({"s": "[NaN]\"{"}));
    }

    #[test]
    fn nesting_up_to_pythons_limit() {
        let deep = |d: usize| format!("{}{}", "[".repeat(d), "]".repeat(d));
        assert!(loads(deep(MAX_DEPTH).as_bytes()).is_ok());
        assert_eq!(
            loads(deep(MAX_DEPTH + 1).as_bytes()).unwrap_err(),
            "maximum recursion depth exceeded while decoding a JSON array from a unicode string"
        );
        let objects = format!(
            "{}1{}",
            "{\"a\":".repeat(MAX_DEPTH + 1),
            "}".repeat(MAX_DEPTH + 1)
        );
        assert!(loads(objects.as_bytes())
            .unwrap_err()
            .contains("JSON object"));
    }
}
