//! Errors as values: one line for the user (what is wrong, then how to fix it) and
//! the exit code that class of failure maps to (documented in docs/exit-codes.md).

use std::fmt;

/// The class of a failure; each maps to one documented exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Bad input we were given: a garbled key, a bad duration, an unknown scope. Exit 1.
    Input,
    /// A file could not be read, written, locked, or already exists. Exit 3.
    Io,
    /// `--url`: the server could not be asked (refused, timeout, TLS, not an AgentOS). Exit 4.
    Server,
    /// A command the user gave us to run (`jwks sync --on-change`) failed. Exit 5.
    Command,
    /// AgentOS would answer 401. Exit 10.
    Unauthorized,
    /// AgentOS would answer 403. Exit 11.
    Forbidden,
    /// AgentOS has no such route: 404 once authentication passes. Exit 12.
    NotFound,
}

impl Kind {
    pub fn exit_code(self) -> i32 {
        match self {
            Kind::Input => 1,
            Kind::Io => 3,
            Kind::Server => 4,
            Kind::Command => 5,
            Kind::Unauthorized => 10,
            Kind::Forbidden => 11,
            Kind::NotFound => 12,
        }
    }
}

/// A user-facing error: `msg` says what is wrong, `hint` (optional) how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub kind: Kind,
    pub msg: String,
    pub hint: Option<String>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: Kind, msg: impl Into<String>) -> Self {
        Error {
            kind,
            msg: one_line(msg.into()),
            hint: None,
        }
    }

    /// Bad input (exit 1).
    pub fn input(msg: impl Into<String>) -> Self {
        Error::new(Kind::Input, msg)
    }

    /// File-system trouble (exit 3).
    pub fn io(msg: impl Into<String>) -> Self {
        Error::new(Kind::Io, msg)
    }

    /// Adds (or replaces) the "how to fix it" part.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(one_line(hint.into()));
        self
    }

    /// Prefixes the message with where the problem was found, e.g. a file name.
    pub fn context(mut self, ctx: impl fmt::Display) -> Self {
        self.msg = format!("{ctx}: {}", self.msg);
        self
    }

    pub fn exit_code(&self) -> i32 {
        self.kind.exit_code()
    }
}

/// Errors are printed on one line: newlines from underlying libraries are folded.
fn one_line(s: String) -> String {
    if s.contains(['\n', '\r']) {
        s.split(['\n', '\r'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        s
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.msg)?;
        if let Some(h) = &self.hint {
            write!(f, " ({h})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// Describes an `io::Error` for a path in plain words (no Rust debug output).
pub fn io_error(action: &str, path: &std::path::Path, e: &std::io::Error) -> Error {
    use std::io::ErrorKind as K;
    if crate::redact::looks_like_key_material(&path.to_string_lossy()) {
        // A key pasted where a file name belongs: never echo it (CI logs).
        return Error::input(format!("cannot {action} {}", crate::redact::PLACEHOLDER))
            .hint(crate::redact::HINT);
    }
    let why = match e.kind() {
        K::NotFound => "no such file or directory".to_string(),
        K::PermissionDenied => "permission denied".to_string(),
        K::AlreadyExists => "file exists".to_string(),
        K::IsADirectory => "is a directory".to_string(),
        _ => {
            // Strip Rust's " (os error N)" suffix: the words are enough.
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_string(),
                None => s,
            }
        }
    };
    let err = Error::io(format!("cannot {action} {}: {why}", path.display()));
    match e.kind() {
        K::NotFound => err.hint("check the path"),
        K::PermissionDenied => err.hint("check the file's owner and mode"),
        _ => err,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_one_line_with_hint() {
        let e = Error::input("bad\nthing").hint("do\nthis");
        assert_eq!(e.to_string(), "bad thing (do this)");
        assert_eq!(e.exit_code(), 1);
    }

    #[test]
    fn context_prefixes() {
        let e = Error::io("permission denied").context("key.pem");
        assert_eq!(e.to_string(), "key.pem: permission denied");
        assert_eq!(e.exit_code(), 3);
    }
}
