//! Passwords and PINs the key readers need. The library never prompts: the command
//! layer installs a provider once ([`set_provider`]) that reads `--password-file` or
//! asks at a terminal; without one, reading an encrypted key is a one-line error.

use std::sync::RwLock;

use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// What is asked for, and for what (a file name, a token URI): the prompt's subject.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub what: Secret,
    pub subject: &'a str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Secret {
    /// The password of an encrypted private key file.
    Password,
    /// The user PIN of a PKCS#11 token (used only when the URI names none).
    Pin,
}

/// Returns the secret, or the one-line error saying how to give it.
pub type Provider = dyn Fn(&Request) -> Result<Zeroizing<String>> + Send + Sync;

static PROVIDER: RwLock<Option<Box<Provider>>> = RwLock::new(None);

/// Installs the provider for this process (the last call wins).
pub fn set_provider(provider: Box<Provider>) {
    if let Ok(mut p) = PROVIDER.write() {
        *p = Some(provider);
    }
}

/// Asks the installed provider; without one, says how to pass the secret.
pub fn ask(req: &Request) -> Result<Zeroizing<String>> {
    let guard = PROVIDER.read().ok();
    match guard.as_ref().and_then(|g| g.as_ref()) {
        Some(provider) => provider(req),
        None => Err(missing(req)),
    }
}

/// The error for a secret nobody gave (no flag, no terminal).
pub fn missing(req: &Request) -> Error {
    match req.what {
        Secret::Password => Error::input(format!(
            "{} is an encrypted private key and no password was given",
            req.subject
        ))
        .hint("pass --password-file FILE (the file's first line is the password), or run at a terminal to be asked"),
        Secret::Pin => Error::input(format!(
            "the PKCS#11 token of {} needs a PIN and none was given",
            req.subject
        ))
        .hint("add pin-source=file:/path/to/pin to the pkcs11: URI (or pin-value=, visible to other users), or run at a terminal to be asked"),
    }
}
