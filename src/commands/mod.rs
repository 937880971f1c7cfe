//! One module per subcommand, plus what several of them share: where messages go,
//! and how a key named on the command line is found.

pub mod batch;
pub mod completions;
pub mod docs;
pub mod doctor;
pub mod export;
pub mod inspect;
pub mod jwks;
pub mod keygen;
pub mod live;
pub mod mint;
pub mod progress;
pub mod prompt;
pub mod scopes;
pub mod server;
pub mod verify;

use std::io::{self, BufWriter, StdoutLock, Write};
use std::path::Path;

use crate::cli::GlobalArgs;
use crate::error::{Error, Result};
use crate::fsio;
use crate::keyring::{Entry, Keyring};
use crate::keys::{Alg, Key, ParseOptions};
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

    pub fn note(&self, msg: impl AsRef<str>) {
        if !self.quiet {
            eprintln!("{}", msg.as_ref());
        }
    }

    /// Warnings print even with --quiet: they are about safety.
    pub fn warn(&self, msg: impl AsRef<str>) {
        eprintln!("warning: {}", msg.as_ref());
    }
}

/// Where a key came from; `kid` is the key ring's record when there is one.
pub struct LoadedKey {
    pub key: Key,
    pub kid: Option<String>,
    pub source: String,
}

/// Reads and parses a key file (`-` = stdin) with the one key parser.
pub fn load_key_file(path: &Path, alg: Option<Alg>) -> Result<LoadedKey> {
    let source = if path.as_os_str() == "-" {
        "stdin".to_string()
    } else {
        path.display().to_string()
    };
    let bytes = zeroize::Zeroizing::new(fsio::read_input(path)?);
    let key = Key::parse(
        &bytes,
        &ParseOptions {
            source: &source,
            alg,
        },
    )?;
    if key.is_private() && path.as_os_str() != "-" {
        if let Some(w) = fsio::loose_permissions_warning(path) {
            eprintln!("{w}");
        }
    }
    Ok(LoadedKey {
        key,
        kid: None,
        source,
    })
}

/// Parses key material given as text (an environment variable for CI).
pub fn load_key_text(text: &str, source: &str, alg: Option<Alg>) -> Result<LoadedKey> {
    let key = Key::parse(text.as_bytes(), &ParseOptions { source, alg })?;
    Ok(LoadedKey {
        key,
        kid: None,
        source: source.to_string(),
    })
}

/// The store's signing key, or an error saying how to get one.
pub fn load_store_key(store: &Store, alg: Option<Alg>) -> Result<LoadedKey> {
    let dir = store.key_dir();
    let ring = Keyring::load(&dir)?;
    if ring.signing().is_none() {
        return Err(Error::input(format!(
            "no signing key in the key store {}",
            store.root.display()
        ))
        .hint("create one with: agentos-auth keygen --aud OS_ID, or pass --key FILE"));
    }
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
