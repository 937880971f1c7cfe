//! People at a terminal are asked for what the command line left out; scripts never
//! wait. Questions are asked only when stdin and stderr are both terminals, `--no-input`
//! is absent and `CI` is unset. Otherwise nothing here reads stdin, and the command
//! fails at once with its usual one-line error naming the missing flag.
//!
//! Also the colour decision for stderr. dialoguer stays in this module.

use std::borrow::Cow;
use std::io::IsTerminal;

use dialoguer::theme::{ColorfulTheme, SimpleTheme, Theme};
use dialoguer::{Confirm, Input, MultiSelect, Select};

use super::Ui;
use crate::agentos::{self, PRESETS, RESOURCES};
use crate::cli::{GlobalArgs, MintArgs};
use crate::error::{Error, Result};
use crate::keyring::Keyring;
use crate::keys::{ask, Alg};
use crate::store::Store;

/// True when we may ask: a person at a terminal, and nobody said not to.
pub fn interactive(g: &GlobalArgs) -> bool {
    !g.no_input
        && std::env::var_os("CI").is_none()
        && std::io::stdin().is_terminal()
        && std::io::stderr().is_terminal()
}

/// Colour on stderr: only on a terminal, never with `NO_COLOR` (no-color.org: set and
/// not empty) or `TERM=dumb`.
pub fn colour_stderr() -> bool {
    std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
}

/// `error:`, bold red when [`colour_stderr`].
pub fn error_prefix() -> &'static str {
    if colour_stderr() {
        "\x1b[1;31merror:\x1b[0m"
    } else {
        "error:"
    }
}

/// dialoguer hides the cursor while a list is shown; Ctrl-C would leave it hidden in
/// the user's shell. Installed before the first question.
fn restore_cursor_on_interrupt() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // Without the handler Ctrl-C still ends us; only the cursor stays hidden.
        let _ = ctrlc::set_handler(|| {
            let _ = dialoguer::console::Term::stderr().show_cursor();
            std::process::exit(130);
        });
    });
}

fn theme() -> Box<dyn Theme> {
    restore_cursor_on_interrupt();
    if colour_stderr() {
        Box::new(ColorfulTheme::default())
    } else {
        Box::new(SimpleTheme)
    }
}

/// Cuts a choice to one terminal line: dialoguer redraws a list by counting lines, and
/// a wrapped item would leave copies of the list behind.
fn fit(label: &str) -> String {
    let cols = usize::from(dialoguer::console::Term::stderr().size().1);
    // Room for the theme's checkbox and cursor marks.
    let width = cols.saturating_sub(7).max(20);
    if label.chars().count() <= width {
        label.to_string()
    } else {
        let mut cut: String = label.chars().take(width - 3).collect();
        cut.push_str("...");
        cut
    }
}

fn terminal_error(e: dialoguer::Error) -> Error {
    let dialoguer::Error::IO(io) = &e;
    if io.kind() == std::io::ErrorKind::Interrupted {
        // Ctrl-C: the read returns before the handler thread runs; end the same way.
        let _ = dialoguer::console::Term::stderr().show_cursor();
        std::process::exit(130);
    }
    Error::io(format!("cannot read the answer from the terminal: {e}"))
        .hint("pass the value as a flag, and --no-input to never be asked")
}

fn cancelled(flag: &str) -> Error {
    Error::input("cancelled").hint(format!("pass {flag} to skip the question"))
}

/// The algorithms `keygen` offers, with the one line that tells them apart.
pub const ALG_CHOICES: [(Alg, &str); 3] = [
    (
        Alg::RS256,
        "RSA; AgentOS's default, the only one its env vars alone configure",
    ),
    (
        Alg::ES256,
        "EC P-256; smaller keys; AgentOS needs algorithm=\"ES256\" in code",
    ),
    (
        Alg::HS256,
        "shared secret; verifiers can also mint; needs algorithm=\"HS256\"",
    ),
];

/// `keygen` without `--alg`: asks at a terminal, else `None` (the caller's default).
pub fn ask_alg(g: &GlobalArgs) -> Result<Option<Alg>> {
    if !interactive(g) {
        return Ok(None);
    }
    let items: Vec<String> = ALG_CHOICES
        .iter()
        .map(|(alg, what)| fit(&format!("{alg}  {what}")))
        .collect();
    let picked = Select::with_theme(&*theme())
        .with_prompt("Algorithm (--alg)")
        .items(&items)
        .default(0)
        .interact_opt()
        .map_err(terminal_error)?
        .ok_or_else(|| cancelled("--alg"))?;
    Ok(Some(ALG_CHOICES[picked].0))
}

/// Before replacing existing key files: asks at a terminal (default no). `false` when
/// nobody can answer, so the caller refuses as it would without a terminal.
pub fn confirm_replace(g: &GlobalArgs, existing: &[String]) -> Result<bool> {
    if existing.is_empty() || !interactive(g) {
        return Ok(false);
    }
    let answer = Confirm::with_theme(&*theme())
        .with_prompt(format!(
            "{} already exist{}. Replace? (--force)",
            existing.join(", "),
            if existing.len() == 1 { "s" } else { "" }
        ))
        .default(false)
        .interact_opt()
        .map_err(terminal_error)?;
    Ok(answer == Some(true))
}

/// A yes/no question at a terminal (default no). `false` when nobody can answer, so
/// the caller refuses as it would without a terminal.
pub fn confirm(g: &GlobalArgs, question: &str) -> Result<bool> {
    if !interactive(g) {
        return Ok(false);
    }
    let answer = Confirm::with_theme(&*theme())
        .with_prompt(format!("{question} (--force)"))
        .default(false)
        .interact_opt()
        .map_err(terminal_error)?;
    Ok(answer == Some(true))
}

/// One entry of the `mint` scope picker.
enum ScopeChoice {
    Preset(&'static agentos::Preset),
    Scope(String),
}

fn scope_choices() -> Vec<(String, ScopeChoice)> {
    let mut out = Vec::new();
    for p in PRESETS {
        let name = if p.takes_id {
            format!("{}:<id>", p.name)
        } else {
            p.name.to_string()
        };
        out.push((
            format!("preset {name:<18} {}", p.description),
            ScopeChoice::Preset(p),
        ));
    }
    for r in RESOURCES {
        for action in r.actions {
            let scope = format!("{}:{action}", r.name);
            out.push((format!("scope  {scope}"), ScopeChoice::Scope(scope)));
        }
    }
    out
}

/// A `--claim NAME=...` or any `--claims` may supply the claim; then we do not ask.
fn claim_may_supply(a: &MintArgs, name: &str) -> bool {
    a.claims.is_some()
        || a.claim
            .iter()
            .any(|kv| kv.split_once('=').is_some_and(|(k, _)| k == name))
}

/// `mint` at a terminal: a multi-select of scopes and presets when neither `--scopes`
/// nor `--preset` is given, and `--aud`/`--sub` when no flag, variable or store setting
/// provides them (`--sub` is also offered, with the OS user name as its default, while
/// other questions are asked anyway). Without a terminal the arguments come back as
/// they are, and token building reports what is missing.
pub fn complete_mint_args<'a>(g: &GlobalArgs, a: &'a MintArgs) -> Result<Cow<'a, MintArgs>> {
    if !interactive(g) {
        return Ok(Cow::Borrowed(a));
    }
    let store = Store::locate(g.home.as_deref()).ok();
    // No key at all: the missing key is the first error; asking first would waste answers.
    let has_key = a.key.is_some()
        || a.key_content.is_some()
        || store.as_ref().is_some_and(|s| {
            Keyring::load(&s.key_dir()).is_ok_and(|ring| ring.signing().is_some())
        });
    if !has_key {
        return Ok(Cow::Borrowed(a));
    }
    let settings = store.and_then(|s| s.settings().ok()).unwrap_or_default();
    let need_scopes = a.scopes.is_empty()
        && a.preset.is_empty()
        && !a.no_scopes
        && !claim_may_supply(a, "scopes");
    let need_aud = a.aud.is_empty() && settings.aud.is_none() && !claim_may_supply(a, "aud");
    let os_user = super::os_user();
    let need_sub = a.sub.is_none()
        && settings.sub.is_none()
        && !claim_may_supply(a, "sub")
        && (need_scopes || need_aud || os_user.is_none());
    if !(need_scopes || need_aud || need_sub) {
        return Ok(Cow::Borrowed(a));
    }

    let theme = theme();
    let mut out = a.clone();
    let mut flags: Vec<String> = Vec::new();
    if need_scopes {
        let choices = scope_choices();
        let labels: Vec<String> = choices.iter().map(|(l, _)| fit(l)).collect();
        // The choices are summed up by the "as flags" line at the end instead.
        let picked = MultiSelect::with_theme(&*theme)
            .with_prompt("Scopes (--scopes / --preset; Space selects, Enter confirms)")
            .items(&labels)
            .max_length(15)
            .report(false)
            .interact_opt()
            .map_err(terminal_error)?
            .ok_or_else(|| cancelled("--scopes"))?;
        if picked.is_empty() {
            return Err(Error::input("no scopes selected")
                .hint("select with Space, then press Enter; or pass --scopes or --preset"));
        }
        let scopes_before = out.scopes.len();
        for i in picked {
            match &choices[i].1 {
                ScopeChoice::Scope(s) => {
                    out.scopes.push(s.clone());
                }
                ScopeChoice::Preset(p) if p.takes_id => {
                    let id: String = Input::with_theme(&*theme)
                        .with_prompt(format!("{}: which id?", p.name))
                        .validate_with(|s: &String| non_empty(s, "an id"))
                        .interact_text()
                        .map_err(terminal_error)?;
                    let spec = format!("{}:{}", p.name, id.trim());
                    flags.push(format!("--preset {spec}"));
                    out.preset.push(spec);
                }
                ScopeChoice::Preset(p) => {
                    out.preset.push(p.name.to_string());
                    flags.push(format!("--preset {}", p.name));
                }
            }
        }
        if out.scopes.len() > scopes_before {
            flags.insert(
                0,
                format!("--scopes {}", out.scopes[scopes_before..].join(",")),
            );
        }
    }
    if need_aud {
        let aud: String = Input::with_theme(&*theme)
            .with_prompt("Audience: the AgentOS id, os_id in GET /info (--aud)")
            .validate_with(|s: &String| non_empty(s, "the AgentOS id"))
            .interact_text()
            .map_err(terminal_error)?;
        let aud = aud.trim().to_string();
        flags.push(format!("--aud {aud}"));
        out.aud = aud.split(',').map(|s| s.trim().to_string()).collect();
    }
    if need_sub {
        let mut input = Input::<String>::with_theme(&*theme)
            .with_prompt("Subject: the user id (--sub)")
            .validate_with(|s: &String| {
                agentos::check_subject(agentos::LATEST, s.trim()).map_err(|e| e.msg)
            });
        if let Some(user) = os_user {
            input = input.default(user);
        }
        let sub = input.interact_text().map_err(terminal_error)?;
        let sub = sub.trim().to_string();
        flags.push(format!("--sub {sub}"));
        out.sub = Some(sub);
    }
    Ui::new(g).note(format!("as flags: {}", flags.join(" ")));
    Ok(Cow::Owned(out))
}

fn non_empty(s: &str, what: &str) -> std::result::Result<(), String> {
    if s.trim().is_empty() {
        Err(format!("enter {what}"))
    } else {
        Ok(())
    }
}

/// Installs how key readers get passwords and PINs: `--password-file` (its first line)
/// for encrypted keys, else a hidden prompt at a terminal, else the one-line error
/// naming `--password-file` (or `pin-source=` for a token).
pub fn install_secret_provider(g: &GlobalArgs) {
    let file = g.password_file.clone();
    let may_ask = interactive(g);
    crate::keys::ask::set_provider(Box::new(move |req: &ask::Request| {
        if req.what == ask::Secret::Password {
            if let Some(path) = &file {
                return password_from_file(path);
            }
        }
        if !may_ask {
            return Err(ask::missing(req));
        }
        let prompt = match req.what {
            ask::Secret::Password => format!("Password for {}", req.subject),
            ask::Secret::Pin => format!("PIN for {}", req.subject),
        };
        ask_hidden(&prompt, false)
    }));
}

/// The password for a new encrypted key (`keygen --encrypt`): `--password-file`, or
/// asked twice at a terminal.
pub fn new_password(g: &GlobalArgs) -> Result<zeroize::Zeroizing<String>> {
    if let Some(path) = &g.password_file {
        return password_from_file(path);
    }
    if !interactive(g) {
        return Err(
            Error::input("keygen --encrypt needs a password and none was given")
                .hint("pass --password-file FILE (the file's first line is the password), or run at a terminal to be asked"),
        );
    }
    ask_hidden("Password for the new private key", true)
}

/// The first line of `path` (as `openssl -pass file:` reads it), not empty.
fn password_from_file(path: &std::path::Path) -> Result<zeroize::Zeroizing<String>> {
    let bytes = zeroize::Zeroizing::new(crate::fsio::read_file(path)?);
    let text = std::str::from_utf8(&bytes).map_err(|_| {
        Error::input(format!(
            "{}: the password file is not UTF-8 text",
            path.display()
        ))
        .hint("write the password on the file's first line")
    })?;
    let line = text.split('\n').next().unwrap_or_default();
    let line = line.strip_suffix('\r').unwrap_or(line);
    if line.is_empty() {
        return Err(Error::input(format!(
            "{}: the password file's first line is empty",
            path.display()
        ))
        .hint("write the password on the file's first line"));
    }
    Ok(zeroize::Zeroizing::new(line.to_string()))
}

fn ask_hidden(prompt: &str, confirm: bool) -> Result<zeroize::Zeroizing<String>> {
    let theme = theme();
    let mut p = dialoguer::Password::with_theme(&*theme).with_prompt(prompt);
    if confirm {
        p = p.with_confirmation("Repeat it", "the two entries differ");
    }
    let answer = p
        .interact()
        .map_err(|e| Error::io(format!("cannot read the answer: {e}")))?;
    Ok(zeroize::Zeroizing::new(answer))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_and_scope_is_offered() {
        let choices = scope_choices();
        let scopes = RESOURCES.iter().map(|r| r.actions.len()).sum::<usize>();
        assert_eq!(choices.len(), PRESETS.len() + scopes);
        assert!(choices.iter().any(|(l, _)| l == "scope  agents:read"));
        assert!(choices
            .iter()
            .any(|(l, _)| l.starts_with("preset run-agent:<id> ")));
        // Each one is a valid scope for mint.
        for (_, c) in &choices {
            if let ScopeChoice::Scope(s) = c {
                agentos::validate_scope(agentos::LATEST, s).unwrap();
            }
        }
    }

    #[test]
    fn a_claim_flag_may_supply_a_value() {
        let cli = <crate::cli::Cli as clap::Parser>::try_parse_from([
            "agentos-auth",
            "mint",
            "--claim",
            "aud=x",
        ])
        .unwrap();
        let crate::cli::Command::Mint(a) = cli.command else {
            panic!("mint")
        };
        assert!(claim_may_supply(&a, "aud"));
        assert!(!claim_may_supply(&a, "sub"));
    }

    #[test]
    fn no_prompts_with_no_input() {
        let cli = <crate::cli::Cli as clap::Parser>::try_parse_from([
            "agentos-auth",
            "--no-input",
            "completions",
            "bash",
        ])
        .unwrap();
        let g = cli.global;
        assert!(!interactive(&g));
        assert_eq!(ask_alg(&g).unwrap(), None);
        assert!(!confirm_replace(&g, &["x".into()]).unwrap());
    }
}
