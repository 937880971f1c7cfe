//! `agentos-auth mint --batch FILE|-`: one token per input line, in input order.
//!
//! Each line is a JSON object of claims overriding the defaults the flags give
//! ([`TokenSpec::with_overrides`]), so a line goes through the same claim building and
//! checks as a single `mint`. The key is parsed once; lines are read in chunks, each
//! chunk is signed on all cores, then written in order, so memory stays bounded
//! whatever the number of lines: a chunk ends at a line count or at
//! [`CHUNK_BYTES`] of input, whichever comes first, whatever the core count. A bad line stops the run before its chunk is
//! written: one error naming the line, exit 1. A reader that closes the pipe ends the run quietly.
//!
//! `--stream` makes a chunk one line, flushed at once: a request/response pipe for a
//! program that keeps the process (the Python API's `Minter`), so each token costs a
//! signature, not a process start. Same claim building, same errors.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::Path;

use serde_json::{Map, Value};

use crate::claims::TokenSpec;
use crate::cli::MintArgs;
use crate::error::{io_error, Error, Result};
use crate::keys::Signer;
use crate::time;
use crate::token;
use crate::token::json_kind;

/// Lines signed per chunk and thread: enough to amortise starting the threads,
/// small enough to keep a chunk's input and tokens at a few MiB.
const LINES_PER_THREAD: usize = 256;

/// Below this many lines a chunk is signed on this thread alone: starting a thread
/// costs about as much as several HS256 tokens.
const MIN_PARALLEL_LINES: usize = 32;

/// A line longer than this is refused rather than buffered (bounded memory).
const MAX_LINE: usize = 1024 * 1024;

/// Input bytes per chunk at most (plus one line): with the tokens made from them, a
/// chunk holds a few times this much, on 1 core or 64. Typical claim lines are far
/// below this, so it only bites for big lines (1,024 lines of 1 MiB: 8 per chunk).
const CHUNK_BYTES: usize = 8 * 1024 * 1024;

/// One input line; wiped when dropped (claims may carry secrets of their own).
type Line = zeroize::Zeroizing<Vec<u8>>;

/// `--key -` with `--batch -`: one standard input for both. Checked before anything
/// is read, so the error is about the clash, not about whichever parse ran first.
pub fn check_stdin(a: &MintArgs) -> Result<()> {
    let is_stdin = |p: Option<&Path>| p.is_some_and(|p| p.as_os_str() == "-");
    if is_stdin(a.batch.as_deref()) && is_stdin(a.key.as_deref()) {
        return Err(
            Error::input("--key - and --batch - both want standard input")
                .hint("give one of them as a file"),
        );
    }
    Ok(())
}

pub fn run(a: &MintArgs, input: &Path, spec: &TokenSpec, signer: &Signer, kid: &str) -> Result<()> {
    let from_stdin = input.as_os_str() == "-";
    let header = token::header(signer, Some(kid));
    let job = Job {
        spec,
        signer,
        header: &header,
        json: a.json,
        stream: a.stream,
    };
    if from_stdin {
        let stdin = io::stdin();
        mint_lines(&job, &mut stdin.lock(), "stdin", super::stdout())
    } else {
        if input.is_dir() {
            return Err(Error::io(format!(
                "cannot read {}: is a directory",
                crate::redact::shown_path(input)
            ))
            .hint("give a file with one JSON object per line"));
        }
        // A FIFO or device would block or never end: refused (use - for a pipe).
        let file = crate::fsio::open_regular(input)?;
        let source = crate::redact::shown_path(input).into_owned();
        mint_lines(&job, &mut BufReader::new(file), &source, super::stdout())
    }
}

/// What every line shares.
struct Job<'a> {
    spec: &'a TokenSpec,
    signer: &'a Signer,
    header: &'a Map<String, Value>,
    json: bool,
    /// One line per chunk, flushed: an answer per request (`--stream`).
    stream: bool,
}

impl Job<'_> {
    /// One output line (token or JSON) for one input line.
    fn mint(&self, text: &[u8], now: i64) -> Result<String> {
        if text.iter().all(u8::is_ascii_whitespace) {
            return Err(Error::input("empty line").hint(
                "every line must be a JSON object; use {} for a token with the flags' claims only",
            ));
        }
        let line: Map<String, Value> =
            match serde_json::from_slice(text) {
                Ok(Value::Object(m)) => m,
                Ok(other) => {
                    return Err(Error::input(format!(
                        "expected a JSON object of claims, found {}",
                        json_kind(&other)
                    ))
                    .hint(r#"e.g. {"sub":"u1","scopes":["agents:read"],"expires_in":"2h"}"#))
                }
                Err(e) => return Err(Error::input(format!(
                    "not valid JSON: {} at column {}",
                    serde_message(&e),
                    e.column()
                ))
                .hint(
                    r#"each line is one JSON object, e.g. {"sub":"u1","scopes":["agents:read"]}"#,
                )),
            };
        let claims = self.spec.with_overrides(&line)?.build(now)?;
        let jwt = token::encode(self.header, &claims, self.signer)?;
        Ok(if self.json {
            super::token_json(&jwt, self.header, &claims).to_string()
        } else {
            jwt
        })
    }
}

/// Reads, signs and writes chunk by chunk until the input ends, a line is bad, or
/// the reader of stdout goes away.
fn mint_lines(job: &Job, input: &mut dyn BufRead, source: &str, mut out: impl Write) -> Result<()> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk_len = if job.stream {
        1
    } else {
        LINES_PER_THREAD * threads
    };
    let mut chunk: Vec<Line> = Vec::with_capacity(chunk_len.min(1024));
    let mut first_line_no = 1usize;
    loop {
        let more = read_chunk(input, &mut chunk, chunk_len, first_line_no, source)?;
        if chunk.is_empty() {
            break;
        }
        let results = mint_chunk(job, &chunk, threads);
        // A chunk is written only when all its lines are good, so a bad line among the
        // first few hundred prints nothing; later, earlier chunks are out already (whole
        // lines, flushed), and the exit status is what says the output is not complete.
        let mut texts = Vec::with_capacity(results.len());
        for (i, result) in results.into_iter().enumerate() {
            match result {
                Ok(text) => texts.push(text),
                Err(e) => {
                    let _ = out.flush();
                    return Err(e.context(format!("{source} line {}", first_line_no + i)));
                }
            }
        }
        for text in texts {
            if let Err(e) = out
                .write_all(text.as_bytes())
                .and_then(|()| out.write_all(b"\n"))
            {
                return super::stdout_result(Err(e));
            }
        }
        if job.stream {
            if let Err(e) = out.flush() {
                return super::stdout_result(Err(e));
            }
        }
        first_line_no += chunk.len();
        if !more {
            break;
        }
    }
    super::stdout_result(out.flush())
}

/// Fills `chunk` with up to `max` lines (newline and a CR before it removed), stopping
/// early once the lines hold [`CHUNK_BYTES`]. Returns whether the input may have more.
fn read_chunk(
    input: &mut dyn BufRead,
    chunk: &mut Vec<Line>,
    max: usize,
    first_line_no: usize,
    source: &str,
) -> Result<bool> {
    chunk.clear();
    let mut bytes = 0usize;
    while chunk.len() < max && bytes < CHUNK_BYTES {
        let mut line = Line::default();
        let n = input
            .take(MAX_LINE as u64 + 1)
            .read_until(b'\n', &mut line)
            .map_err(|e| io_error("read", Path::new(source), &e))?;
        if n == 0 {
            return Ok(false);
        }
        if line.last() == Some(&b'\n') {
            line.pop();
            if line.last() == Some(&b'\r') {
                line.pop();
            }
        } else if line.len() > MAX_LINE {
            return Err(Error::input(format!(
                "{source} line {}: longer than {} MiB",
                first_line_no + chunk.len(),
                MAX_LINE / (1024 * 1024)
            ))
            .hint("each line is one JSON object of claims"));
        }
        bytes += line.len();
        chunk.push(line);
    }
    Ok(true)
}

/// Mints every line of a chunk, split in contiguous parts over `threads` threads
/// (the signer is shared; tokens are independent). Results keep the input order.
fn mint_chunk(job: &Job, chunk: &[Line], threads: usize) -> Vec<Result<String>> {
    let now = time::now();
    let mint_part = |part: &[Line]| -> Vec<Result<String>> {
        let mut out = Vec::with_capacity(part.len());
        for line in part {
            let r = job.mint(line, now);
            let failed = r.is_err();
            out.push(r);
            if failed {
                break; // the run stops at the first bad line anyway
            }
        }
        out
    };
    if threads <= 1 || chunk.len() < MIN_PARALLEL_LINES {
        return mint_part(chunk);
    }
    let per_thread = chunk.len().div_ceil(threads);
    let mut parts = chunk.chunks(per_thread);
    let mine = parts.next().unwrap_or_default();
    std::thread::scope(|s| {
        let handles: Vec<_> = parts.map(|p| s.spawn(move || mint_part(p))).collect();
        let mut results = mint_part(mine);
        for h in handles {
            // A part stops at its first error, so a short part means the run stops.
            let complete = results.last().is_none_or(Result::is_ok);
            match h.join() {
                Ok(r) if complete => results.extend(r),
                Ok(_) => {}
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        results
    })
}

/// serde_json's message without its " at line 1 column N" suffix (we name the line).
fn serde_message(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::Expiry;
    use crate::keys::{Alg, Key};

    fn job_parts() -> (TokenSpec, Signer) {
        let mut claims = Map::new();
        claims.insert("sub".into(), Value::from("default-user"));
        claims.insert("aud".into(), Value::from("os"));
        claims.insert("scopes".into(), Value::from(vec!["agents:read"]));
        let spec = TokenSpec {
            claims,
            expiry: Expiry::In(3600),
            nbf: None,
            jti: None,
            iat: true,
            allow_unknown_scopes: false,
            roles_claim: None,
            server: Default::default(),
        };
        let signer = Key::generate(Alg::HS256, 0).unwrap().signer().unwrap();
        (spec, signer)
    }

    fn run_on(input: &str, threads_hint: &str) -> (Result<()>, Vec<String>) {
        let (spec, signer) = job_parts();
        let header = token::header(&signer, Some("k1"));
        let job = Job {
            spec: &spec,
            signer: &signer,
            header: &header,
            json: false,
            stream: false,
        };
        let mut out = Vec::new();
        let r = mint_lines(
            &job,
            &mut io::Cursor::new(input.as_bytes()),
            threads_hint,
            &mut out,
        );
        let lines = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect();
        (r, lines)
    }

    #[test]
    fn many_lines_keep_input_order_across_chunks_and_threads() {
        let n = 3 * LINES_PER_THREAD * 2 + 17;
        let input: String = (0..n).map(|i| format!("{{\"sub\":\"u{i}\"}}\n")).collect();
        let (r, lines) = run_on(&input, "t");
        r.unwrap();
        assert_eq!(lines.len(), n);
        for (i, jwt) in lines.iter().enumerate() {
            let d = token::decode(jwt).unwrap();
            assert_eq!(d.claims_object().unwrap()["sub"], format!("u{i}"));
        }
    }

    #[test]
    fn a_bad_line_deep_in_a_chunk_names_its_number_and_stops() {
        let mut input: String = (0..700)
            .map(|i| format!("{{\"sub\":\"u{i}\"}}\n"))
            .collect();
        input.push_str("{\"sub\":\"sa:bot\"}\n{\"sub\":\"after\"}\n");
        let (r, lines) = run_on(&input, "in.jsonl");
        let e = r.unwrap_err();
        assert!(e.msg.starts_with("in.jsonl line 701: "), "{e}");
        // Whole chunks before the bad line's chunk only (how many depends on the cores).
        let chunk_len =
            LINES_PER_THREAD * std::thread::available_parallelism().map_or(1, |n| n.get());
        assert_eq!(lines.len(), (700 / chunk_len) * chunk_len);
        for (i, jwt) in lines.iter().enumerate() {
            assert_eq!(
                token::decode(jwt).unwrap().claims_object().unwrap()["sub"],
                format!("u{i}")
            );
        }
    }

    #[test]
    fn line_problems_are_named() {
        let cases: &[(&str, &str)] = &[
            ("{\"sub\":\"a\"}\n\n", "x line 2: empty line"),
            (
                "[1]\n",
                "x line 1: expected a JSON object of claims, found a list",
            ),
            (
                "{\"sub\":}\n",
                "x line 1: not valid JSON: expected value at column 8",
            ),
            (
                "{\"scopes\":\"agents:read\"}\n",
                "x line 1: scopes must be a JSON list",
            ),
            (
                "{\"expires_in\":\"2x\"}\n",
                "x line 1: expires_in: invalid duration",
            ),
            (
                "{\"expires_in\":60}\n",
                "x line 1: expires_in must be a duration string",
            ),
            (
                "{\"exp\":null}\n",
                "x line 1: exp: null would mint a token that never expires",
            ),
        ];
        for (input, want) in cases {
            let (r, _) = run_on(input, "x");
            let e = r.unwrap_err();
            assert!(e.to_string().starts_with(want), "{input:?}: {e}");
        }
    }

    #[test]
    fn a_chunk_holds_a_bounded_number_of_bytes_whatever_the_cores() {
        // 64 lines of ~1 MiB: a chunk must stop at CHUNK_BYTES, not at the line count.
        let line = format!("{{\"sub\":\"{}\"}}\n", "a".repeat(MAX_LINE - 16));
        let input = line.repeat(64);
        let mut reader = io::Cursor::new(input.as_bytes());
        let mut chunk = Vec::new();
        let more = read_chunk(&mut reader, &mut chunk, LINES_PER_THREAD * 64, 1, "x").unwrap();
        assert!(more);
        let held: usize = chunk.iter().map(|l| l.len()).sum();
        assert!(held <= CHUNK_BYTES + MAX_LINE, "{held} bytes in one chunk");
        assert!(!chunk.is_empty());
    }

    #[test]
    fn crlf_and_missing_final_newline_are_fine() {
        let (r, lines) = run_on("{\"sub\":\"a\"}\r\n{\"sub\":\"b\"}", "x");
        r.unwrap();
        assert_eq!(lines.len(), 2);
    }
}
