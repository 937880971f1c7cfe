//! `agentos-auth export`: the public form of a key (PEM, JWK, JWKS) or env/.env lines
//! that carry it into AgentOS byte for byte.

use super::{load_key_file, load_store_key, LoadedKey};
use crate::cli::{ExportArgs, ExportFormat, GlobalArgs};
use crate::error::{Error, Result};
use crate::jwk_set::Jwks;
use crate::keys::Alg;
use crate::store::Store;
use zeroize::Zeroizing;

pub fn run(g: &GlobalArgs, a: &ExportArgs) -> Result<()> {
    check_var_name(&a.var)?;
    let loaded: LoadedKey = match &a.key {
        Some(path) => load_key_file(path, a.alg)?,
        None => load_store_key(&Store::locate(g.home.as_deref())?, a.alg)?,
    };
    let key = &loaded.key;
    let kid = a
        .kid
        .clone()
        .or(loaded.kid.clone())
        .unwrap_or_else(|| key.thumbprint());
    let secret_needed = key.alg() == Alg::HS256;
    if secret_needed && !a.include_secret {
        return Err(Error::input(format!(
            "{} is an HS256 secret: it has no public form, and printing it needs --include-secret",
            loaded.source
        ))
        .hint("pass --include-secret with --format env, dotenv or jwk"));
    }
    // The output may be the HS256 secret itself (--include-secret): wiped after printing.
    let out: Zeroizing<String> = Zeroizing::new(match a.format {
        ExportFormat::Pem => {
            if secret_needed {
                return Err(Error::input("an HS256 secret has no PEM form")
                    .hint("use --format env, dotenv or jwk with --include-secret"));
            }
            key.public_key_pem()?
        }
        ExportFormat::Jwk => {
            let jwk = match key.secret_jwk(Some(&kid)) {
                Some(secret) => secret,
                None => key.public_jwk(Some(&kid))?,
            };
            json_line(&jwk)?
        }
        ExportFormat::Jwks => {
            if secret_needed {
                return Err(Error::input(
                    "a JWKS for AgentOS holds public keys only; an HS256 secret has none",
                )
                .hint("give AgentOS the secret with --format env --include-secret"));
            }
            Jwks {
                keys: vec![key.public_jwk(Some(&kid))?],
            }
            .to_json_pretty()
        }
        ExportFormat::Env => env_line(&a.var, &verification_value(&loaded)?),
        ExportFormat::Dotenv => dotenv_line(&a.var, &verification_value(&loaded)?),
    });
    super::print_text(out.as_str())?;
    Ok(())
}

/// What AgentOS wants in JWT_VERIFICATION_KEY: the public PEM, or the secret itself.
fn verification_value(loaded: &LoadedKey) -> Result<Zeroizing<String>> {
    match loaded.key.secret() {
        Some(s) => Ok(Zeroizing::new(s.to_string())),
        None => loaded.key.public_key_pem().map(Zeroizing::new),
    }
}

fn json_line<T: serde::Serialize>(v: &T) -> Result<String> {
    let mut s = serde_json::to_string_pretty(v)
        .map_err(|e| Error::input(format!("cannot encode JSON: {e}")))?;
    s.push('\n');
    Ok(s)
}

fn check_var_name(name: &str) -> Result<()> {
    let ok = name
        .chars()
        .enumerate()
        .all(|(i, c)| c == '_' || c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit()));
    if name.is_empty() || !ok {
        return Err(Error::input(format!("invalid variable name {name:?}"))
            .hint("use letters, digits and _, e.g. --var JWT_VERIFICATION_KEY"));
    }
    Ok(())
}

/// `export NAME='…'` with real newlines inside single quotes: POSIX `eval` restores the
/// value byte for byte (a `'` inside becomes `'\''`).
pub fn env_line(name: &str, value: &str) -> String {
    let quoted = Zeroizing::new(value.replace('\'', r"'\''"));
    format!("export {name}='{}'\n", quoted.as_str())
}

/// `NAME="…"` on one line with `\n` escapes: python-dotenv (and docker compose) decode
/// escapes inside double quotes, so the loaded value is the exact PEM.
pub fn dotenv_line(name: &str, value: &str) -> String {
    // Sized for the worst case (every char escaped): no reallocation leaves a copy.
    let mut escaped = Zeroizing::new(String::with_capacity(value.len() * 2));
    for c in value.chars() {
        match c {
            '\\' => escaped.push_str("\\\\"),
            '"' => escaped.push_str("\\\""),
            '\n' => escaped.push_str("\\n"),
            '\r' => escaped.push_str("\\r"),
            '\t' => escaped.push_str("\\t"),
            c => escaped.push(c),
        }
    }
    format!("{name}=\"{}\"\n", escaped.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_line_quotes_single_quotes() {
        assert_eq!(env_line("K", "a'b\nc"), "export K='a'\\''b\nc'\n");
    }

    #[test]
    fn dotenv_line_escapes() {
        assert_eq!(dotenv_line("K", "a\"b\\c\nd"), "K=\"a\\\"b\\\\c\\nd\"\n");
    }

    #[test]
    fn var_names() {
        assert!(check_var_name("JWT_VERIFICATION_KEY").is_ok());
        assert!(check_var_name("1X").is_err());
        assert!(check_var_name("A-B").is_err());
    }
}
