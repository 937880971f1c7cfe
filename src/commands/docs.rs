//! Completion scripts and man pages, generated from the clap types so they can never
//! disagree with the binary. `completions` prints one script;
//! `cargo run --example generate-docs` rewrites the committed `completions/` and `man/` folders.

use std::path::Path;

use clap::CommandFactory;
use clap_complete::Generator;

use crate::cli::{Cli, Shell};
use crate::error::{Error, Result};
use crate::fsio::{self, Overwrite, PUBLIC_MODE};

pub const BIN_NAME: &str = "agentos-auth";
pub const SHELLS: [Shell; 5] = [
    Shell::Bash,
    Shell::Zsh,
    Shell::Fish,
    Shell::Powershell,
    Shell::Elvish,
];

fn generator(shell: Shell) -> clap_complete::Shell {
    match shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
        Shell::Powershell => clap_complete::Shell::PowerShell,
        Shell::Elvish => clap_complete::Shell::Elvish,
    }
}

/// The completion script for `shell`, and the file name its shell looks for
/// (`agentos-auth.bash`, `_agentos-auth`, `agentos-auth.fish`, ...).
pub fn completion_script(shell: Shell) -> (String, Vec<u8>) {
    let gen = generator(shell);
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(gen, &mut cmd, BIN_NAME, &mut out);
    if shell == Shell::Bash {
        out = fix_bash_hyphenated_bin(out);
    }
    (gen.file_name(BIN_NAME), out)
}

/// clap_complete 4.6 spells the bash state for `agentos-auth keygen` two ways: the loop
/// sets `agentos__auth__subcmd__keygen`, the case arms test `agentos__subcmd__auth__...`,
/// so nothing after a subcommand completes (clap-rs/clap#6421). Spelling the arms the
/// loop's way fixes it; once upstream is fixed this replaces nothing.
fn fix_bash_hyphenated_bin(script: Vec<u8>) -> Vec<u8> {
    let text = String::from_utf8_lossy(&script);
    let loop_name = BIN_NAME.replace('-', "__");
    let arm_name = BIN_NAME.replace('-', "__subcmd__");
    text.replace(
        &format!("{arm_name}__subcmd__"),
        &format!("{loop_name}__subcmd__"),
    )
    .into_bytes()
}

/// `agentos-auth.1` and one page per visible subcommand, nested ones included
/// (`agentos-auth-jwks-list.1`), as (file name, roff).
pub fn man_pages() -> Result<Vec<(String, Vec<u8>)>> {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    // build() gives subcommands their display names (agentos-auth-mint) and usage lines.
    cmd.build();
    let mut pages = Vec::new();
    collect_pages(&cmd, &mut pages)?;
    Ok(pages)
}

fn collect_pages(cmd: &clap::Command, pages: &mut Vec<(String, Vec<u8>)>) -> Result<()> {
    // The after_help text becomes our own EXAMPLES section: clap_mangen's "EXTRA"
    // section would refill the example lines into paragraphs.
    let after_help = cmd.get_after_help().map(|s| s.to_string());
    let man = clap_mangen::Man::new(cmd.clone().after_help(None::<&'static str>))
        .source(format!("{BIN_NAME} {}", env!("CARGO_PKG_VERSION")))
        .manual("agentos-auth manual");
    let mut roff = Vec::new();
    man.render(&mut roff)
        .map_err(|e| Error::io(format!("rendering man page: {e}")))?;
    if let Some(text) = after_help {
        roff.extend_from_slice(examples_section(&text).as_bytes());
    }
    pages.push((man.get_filename(), roff));
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        collect_pages(sub, pages)?;
    }
    Ok(())
}

/// `after_help` as a man section, line for line: EXAMPLES when it starts with
/// "Examples:" (that line becomes the heading), else NOTES.
fn examples_section(after_help: &str) -> String {
    use clap_mangen::roff::{roman, Roff};
    let (title, body) = match after_help.strip_prefix("Examples:\n") {
        Some(rest) => ("EXAMPLES", rest),
        None => ("NOTES", after_help),
    };
    let mut roff = Roff::new();
    roff.control("SH", [title]).control("nf", []);
    for line in body.lines() {
        if line.trim().is_empty() {
            roff.control("sp", []);
        } else {
            roff.text([roman(line)]);
        }
    }
    roff.control("fi", []);
    // Each Roff starts with the same apostrophe preamble; the page already has it.
    let preamble = Roff::new().render();
    let text = roff.render();
    text.strip_prefix(&preamble).unwrap_or(&text).to_string()
}

/// Rewrites `<out>/completions` and `<out>/man`; files there that the binary no longer
/// generates (a removed subcommand's page) are deleted. Returns how many files of each.
pub fn write_all(out: &Path) -> Result<(usize, usize)> {
    let completions: Vec<(String, Vec<u8>)> = SHELLS.into_iter().map(completion_script).collect();
    let man = man_pages()?;
    let counts = (completions.len(), man.len());
    replace_folder(&out.join("completions"), completions)?;
    replace_folder(&out.join("man"), man)?;
    Ok(counts)
}

fn replace_folder(dir: &Path, files: Vec<(String, Vec<u8>)>) -> Result<()> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::io(format!("cannot create {}: {e}", dir.display())))?;
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Error::io(format!("cannot read {}: {e}", dir.display())))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_file() && !files.iter().any(|(n, _)| *n == name) {
            std::fs::remove_file(entry.path())
                .map_err(|e| Error::io(format!("cannot remove {}: {e}", entry.path().display())))?;
        }
    }
    for (name, bytes) in files {
        fsio::write_atomic(&dir.join(name), &bytes, PUBLIC_MODE, Overwrite::Replace)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bash_case_arms_use_the_loop_spelling() {
        let (_, script) = completion_script(Shell::Bash);
        let script = String::from_utf8(script).unwrap();
        // The loop sets this state for `agentos-auth keygen`; an arm must test for it.
        assert!(script.contains(r#"cmd="agentos__auth__subcmd__keygen""#));
        assert!(script.contains("\n        agentos__auth__subcmd__keygen)\n"));
        assert!(!script.contains("agentos__subcmd__auth"));
    }

    #[test]
    fn man_pages_name_their_subcommand_and_version() {
        let pages = man_pages().unwrap();
        let (_, mint) = pages
            .iter()
            .find(|(n, _)| n == "agentos-auth-mint.1")
            .expect("mint page");
        let mint = String::from_utf8_lossy(mint);
        assert!(
            mint.contains(&format!("agentos-auth {}", env!("CARGO_PKG_VERSION"))),
            "{mint}"
        );
        assert!(mint.contains(".SH EXAMPLES\n.nf\n"), "{mint}");
        assert!(
            !pages.iter().any(|(n, _)| n.contains("help")),
            "no help pages"
        );
    }
}
