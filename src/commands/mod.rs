//! One module per subcommand, plus what several of them share: where messages go,
//! and how a key named on the command line is found.

pub mod bad_token;
pub mod batch;
pub mod clients;
pub mod completions;
pub mod deployment_flags;
pub mod docs;
pub mod doctor;
pub mod doctor_issuer;
pub mod env_file;
pub mod export;
pub mod inspect;
pub mod jwks;
pub mod jwks_sync;
pub mod keygen;
pub mod live;
pub mod mint;
pub mod progress;
pub mod prompt;
pub mod scopes;
pub mod serve;
pub mod verify;

use std::io::{self, BufWriter, StdoutLock, Write};
use std::path::Path;

use serde_json::{json, Map, Value};

use crate::cli::GlobalArgs;
use crate::error::{Error, Result};
use crate::fsio;
use crate::keyring::{Entry, Keyring};
use crate::keys::{Alg, Key, ParseOptions};
use crate::notice::Notice;
use crate::store::Store;

/// Messages for people go to stderr (stdout carries only the product), unless --quiet.
pub struct Ui {
    pub quiet: bool,
    /// `--verbose`: also the notes that do not change the answer.
    pub verbose: bool,
}

impl Ui {
    pub fn new(g: &GlobalArgs) -> Ui {
        Ui {
            quiet: g.quiet,
            verbose: g.verbose && !g.quiet,
        }
    }

    /// Messages may quote tokens and files: control characters are escaped
    /// ([`printable_lines`]).
    pub fn note(&self, msg: impl AsRef<str>) {
        if !self.quiet {
            eprintln!("{}", printable_lines(&crate::redact::scrub(msg.as_ref()).0));
        }
    }

    /// Warnings print even with --quiet: they are about safety.
    pub fn warn(&self, msg: impl AsRef<str>) {
        eprintln!(
            "warning: {}",
            printable_lines(&crate::redact::scrub(msg.as_ref()).0)
        );
    }
}

/// Whether printing `c` raw could make a terminal do something or show text other
/// than what is there: C0/C1 controls (ESC starts colour, cursor and title (OSC)
/// sequences, BEL rings, CR overwrites the line), DEL, and the Unicode bidi controls
/// that reorder what is shown (Trojan Source).
fn is_unsafe_for_terminal(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// Text from tokens, JWKS files or the environment made safe for human output:
/// every unsafe character (see [`is_unsafe_for_terminal`], newline included) is shown
/// as a `\u{..}` escape, so `alice\u{1b}[2J` prints as those characters, not as a
/// cleared screen. JSON output never goes through this: it stays exact.
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    escape_where(s, is_unsafe_for_terminal)
}

/// As [`printable`], but newlines stay (for multi-line messages we compose).
pub fn printable_lines(s: &str) -> std::borrow::Cow<'_, str> {
    escape_where(s, |c| c != '\n' && is_unsafe_for_terminal(c))
}

fn escape_where(s: &str, unsafe_char: impl Fn(char) -> bool) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(&unsafe_char) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The roles file to decide with: `--roles-file FILE`, else the key store's
/// `roles.json` (when there is one), else none.
pub fn load_roles(g: &GlobalArgs, file: Option<&Path>) -> Result<Option<LoadedRoles>> {
    use crate::agentos::roles::Policy;
    let (text, label) = match file {
        Some(path) => {
            let bytes = fsio::read_input(path)?;
            let text = String::from_utf8(bytes.to_vec())
                .map_err(|_| Error::input(format!("{}: not UTF-8 text", path.display())))?;
            (text, path.display().to_string())
        }
        None => {
            let Ok(store) = Store::locate(g.home.as_deref()) else {
                return Ok(None);
            };
            match store.roles_text()? {
                Some(t) => (t, store.roles_path().display().to_string()),
                None => return Ok(None),
            }
        }
    };
    let policy = Policy::from_json(&text).map_err(|e| e.context(&label))?;
    Ok(Some(LoadedRoles {
        policy,
        label,
        text,
    }))
}

/// A roles file, read and checked.
pub struct LoadedRoles {
    pub policy: crate::agentos::roles::Policy,
    /// Where it came from.
    pub label: String,
    pub text: String,
}

/// Where a key came from; `kid` is the key ring's record when there is one.
pub struct LoadedKey {
    pub key: Key,
    pub kid: Option<String>,
    pub source: String,
}

/// Reads the key `path` names: a file (`-` = stdin) through the one key parser, or a
/// `pkcs11:` URI (the key stays in its token). A JWK's own kid comes along.
pub fn load_key_file(path: &Path, alg: Option<Alg>) -> Result<LoadedKey> {
    let source = crate::keys::key_source_name(path);
    let key = crate::keys::read_key(path, alg)?;
    if key.is_private() && key.token_uri().is_none() && path.as_os_str() != "-" {
        if let Some(w) = fsio::loose_permissions_warning(path) {
            crate::notice::warn(w);
        }
    }
    Ok(LoadedKey {
        kid: key.own_kid().map(str::to_string),
        key,
        source,
    })
}

/// Parses key material given as text (an environment variable for CI).
pub fn load_key_text(text: &str, source: &str, alg: Option<Alg>) -> Result<LoadedKey> {
    let key = Key::parse(text.as_bytes(), &ParseOptions { source, alg })?;
    Ok(LoadedKey {
        kid: key.own_kid().map(str::to_string),
        key,
        source: source.to_string(),
    })
}

/// The store's signing key, or an error saying how to get one.
pub fn load_store_key(store: &Store, alg: Option<Alg>) -> Result<LoadedKey> {
    let dir = store.key_dir();
    let ring = Keyring::load_for_signing(
        &dir,
        &store.root,
        "create one with: agentos-auth keygen --aud OS_ID, or pass --key FILE",
    )?;
    let (key, entry): (Key, Entry) = ring.load_signing_key(&dir)?;
    if let Some(want) = alg {
        if want != key.alg() {
            return Err(Error::input(format!(
                "--alg {want} does not match the store's signing key {} ({})",
                entry.kid,
                key.alg()
            ))
            .hint(format!(
                "drop --alg, or create a {want} key with: agentos-auth keygen --alg {want}"
            )));
        }
    }
    Ok(LoadedKey {
        source: entry.private_path(&dir).display().to_string(),
        kid: Some(entry.kid),
        key,
    })
}

/// Prints the library's warnings and notices (see [`crate::notice`]) as [`Ui`] does.
pub fn install_notice_sink(g: &GlobalArgs) {
    let ui = Ui::new(g);
    crate::notice::set_sink(move |n| match n {
        Notice::Warning(w) => ui.warn(w),
        Notice::Info(m) => ui.note(format!("agentos-auth: {m}")),
    });
}

/// Standard output for the product, locked and buffered: `println!` would panic when
/// the reader has gone away (`| head -1`), and an unbuffered lock per line is slow.
pub fn stdout() -> BufWriter<StdoutLock<'static>> {
    BufWriter::with_capacity(64 * 1024, io::stdout().lock())
}

/// Maps a failed write to stdout to our error, except a closed pipe: the reader
/// stopped reading, so we stop quietly (exit 0), as Unix filters do.
pub fn stdout_result(r: io::Result<()>) -> Result<()> {
    match r {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::io(format!("cannot write to standard output: {e}"))),
        Ok(()) => Ok(()),
    }
}

/// Prints one line of product on stdout (see [`stdout`], [`stdout_result`]).
pub fn print_line(text: impl std::fmt::Display) -> Result<()> {
    let mut out = stdout();
    stdout_result(writeln!(out, "{text}").and_then(|()| out.flush()))
}

/// Prints product text on stdout as it is (it carries its own newlines).
pub fn print_text(text: &str) -> Result<()> {
    let mut out = stdout();
    stdout_result(out.write_all(text.as_bytes()).and_then(|()| out.flush()))
}

/// `--json` output: `{"token","header","claims","expires_at"}` (mint and batch mint).
pub fn token_json(jwt: &str, header: &Map<String, Value>, claims: &Map<String, Value>) -> Value {
    let expires_at = claims
        .get("exp")
        .and_then(Value::as_i64)
        .map(crate::time::rfc3339);
    json!({ "token": jwt, "header": header, "claims": claims, "expires_at": expires_at })
}

/// The OS user name: `$USER`/`$LOGNAME`, else the passwd entry of our uid (containers
/// and CI often leave `USER` unset).
pub fn os_user() -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    if let Some(u) = ["USER", "LOGNAME"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.is_empty())
    {
        return Some(u);
    }
    let uid = std::fs::metadata("/proc/self").ok()?.uid();
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let mut f = line.split(':');
        let name = f.next()?;
        let entry_uid: u32 = f.nth(1)?.parse().ok()?;
        (entry_uid == uid && !name.is_empty()).then(|| name.to_string())
    })
}
