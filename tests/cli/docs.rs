//! Completions, man pages, help text and the docs: the committed `completions/` and
//! `man/` are what the current binary generates, the bash script completes in a real
//! bash, the man pages render without groff warnings, every `--help` carries examples,
//! the README stays a short read, and every link between README.md and `docs/` lands.

use crate::common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use agentos_auth::cli::{Cli, Shell};
use agentos_auth::commands::docs;
use clap::CommandFactory;

use common::{bin, manifest_dir};

const REGEN: &str = "regenerate with: cargo run --example generate-docs";

fn read_folder(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e} ({REGEN})", dir.display()))
        .map(|e| e.expect("dir entry"))
        .filter(|e| e.path().is_file())
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            (name, std::fs::read(e.path()).expect("read committed file"))
        })
        .collect()
}

fn assert_folder_is(dir: &str, generated: Vec<(String, Vec<u8>)>) {
    let committed = read_folder(&manifest_dir().join(dir));
    let generated: BTreeMap<String, Vec<u8>> = generated.into_iter().collect();
    let committed_names: Vec<&String> = committed.keys().collect();
    let generated_names: Vec<&String> = generated.keys().collect();
    assert_eq!(
        committed_names, generated_names,
        "{dir}/ holds other files than the binary generates; {REGEN}"
    );
    for (name, bytes) in &generated {
        assert!(committed[name] == *bytes, "{dir}/{name} is stale; {REGEN}");
    }
}

#[test]
fn committed_completions_are_what_the_binary_generates() {
    assert_folder_is(
        "completions",
        docs::SHELLS
            .into_iter()
            .map(docs::completion_script)
            .collect(),
    );
    // The binary's own `completions SHELL` prints exactly the committed script.
    for (shell, arg) in [
        (Shell::Bash, "bash"),
        (Shell::Zsh, "zsh"),
        (Shell::Fish, "fish"),
        (Shell::Powershell, "powershell"),
        (Shell::Elvish, "elvish"),
    ] {
        let (file, _) = docs::completion_script(shell);
        let committed = std::fs::read(manifest_dir().join("completions").join(&file))
            .unwrap_or_else(|e| panic!("completions/{file}: {e} ({REGEN})"));
        let out = bin().args(["completions", arg]).assert().success();
        assert!(
            out.get_output().stdout == committed,
            "`agentos-auth completions {arg}` differs from completions/{file}; {REGEN}"
        );
        assert!(out.get_output().stderr.is_empty());
    }
}

#[test]
fn committed_man_pages_are_what_the_binary_generates() {
    let pages = docs::man_pages().expect("man pages render");
    let names: Vec<&str> = pages.iter().map(|(n, _)| n.as_str()).collect();
    // One page for the tool and one per subcommand, nested ones included.
    assert!(names.contains(&"agentos-auth.1"), "{names:?}");
    assert!(names.contains(&"agentos-auth-mint.1"), "{names:?}");
    assert!(names.contains(&"agentos-auth-keygen.1"), "{names:?}");
    assert!(
        names.iter().any(|n| n.starts_with("agentos-auth-jwks-")),
        "nested jwks pages: {names:?}"
    );
    let visible = Cli::command()
        .get_subcommands()
        .filter(|s| !s.is_hide_set())
        .count();
    assert!(names.len() > visible, "{names:?}");
    assert_folder_is("man", pages);
}

/// Runs the completion function that `completions/agentos-auth.bash` registers for
/// `agentos-auth`, as bash does on TAB, for the command line `words` with the cursor
/// in the last word, and returns the candidates.
fn bash_complete(words: &[&str]) -> Vec<String> {
    let script = manifest_dir().join("completions").join("agentos-auth.bash");
    assert!(script.exists(), "{} missing ({REGEN})", script.display());
    let quoted: Vec<String> = words
        .iter()
        .map(|w| format!("'{}'", w.replace('\'', r"'\''")))
        .collect();
    let program = format!(
        r#"source "$1" || exit 90
spec=$(complete -p agentos-auth) || exit 91
fn=${{spec##*-F }}; fn=${{fn%% *}}
COMP_WORDS=({words})
COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))
COMP_LINE="${{COMP_WORDS[*]}}"
COMP_POINT=${{#COMP_LINE}}
COMPREPLY=()
"$fn" agentos-auth "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
printf '%s\n' "${{COMPREPLY[@]}}""#,
        words = quoted.join(" ")
    );
    let out = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &program, "bash"])
        .arg(&script)
        .output()
        .expect("bash runs");
    assert!(
        out.status.success(),
        "bash completion failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| l.trim_end().to_string())
        .collect()
}

#[test]
fn bash_completes_subcommands_and_algorithms() {
    assert_eq!(bash_complete(&["agentos-auth", "mi"]), ["mint"]);
    assert_eq!(
        bash_complete(&["agentos-auth", "keygen", "--alg", ""]),
        ["RS256", "ES256", "HS256"]
    );
    assert_eq!(
        bash_complete(&["agentos-auth", "completions", "f"]),
        ["fish"]
    );
    // Past a subcommand, and nested ones (what clap-rs/clap#6421 breaks).
    assert_eq!(
        bash_complete(&["agentos-auth", "mint", "--pre"]),
        ["--preset"]
    );
    assert_eq!(bash_complete(&["agentos-auth", "jwks", "li"]), ["list"]);
}

// Needs man-db and groff (system packages `.ci/setup-man` installs), so it is in the
// tier that `.ci/setup` prepares; a plain `cargo test` on a fresh machine has no `man`.
#[cfg(feature = "interop")]
#[test]
fn man_pages_render_without_warnings() {
    let dir = manifest_dir().join("man");
    let pages = read_folder(&dir);
    assert!(pages.contains_key("agentos-auth.1"), "{REGEN}");
    for name in pages.keys() {
        let path = dir.join(name);
        let out = Command::new("man")
            // Every groff warning category, not just the default ones.
            .args(["--warnings=w", "-l"])
            .arg(&path)
            .env("MANWIDTH", "80")
            .env("MANPAGER", "cat")
            .env("LC_ALL", "C.UTF-8")
            .output()
            .unwrap_or_else(|e| {
                panic!("cannot run man ({e}): install man-db and groff-base (.ci/run does)")
            });
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success(),
            "man -l {name}: {}: {stderr}",
            out.status
        );
        assert!(stderr.is_empty(), "man -l {name} warned: {stderr}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("NAME"), "{name}: {text}");
        assert!(text.contains("SYNOPSIS"), "{name}: {text}");
        let stem = name.trim_end_matches(".1");
        assert!(text.contains(stem), "{name} does not name {stem}: {text}");
    }
}

/// Every visible subcommand path: ["keygen"], ["jwks"], ["jwks", "list"], ...
fn subcommand_paths(cmd: &clap::Command, prefix: &[String], out: &mut Vec<Vec<String>>) {
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let mut path = prefix.to_vec();
        path.push(sub.get_name().to_string());
        out.push(path.clone());
        subcommand_paths(sub, &path, out);
    }
}

#[test]
fn every_subcommand_help_has_examples() {
    let mut paths = Vec::new();
    subcommand_paths(&Cli::command(), &[], &mut paths);
    assert!(paths.len() >= 9, "{paths:?}");
    let mut checked = 0;
    for path in &paths {
        let out = bin().args(path).arg("--help").assert().success();
        let help = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
        // Placeholders of commands still being built say "(stub)"; they get their
        // examples with their implementation.
        if help.contains("(stub)") {
            continue;
        }
        checked += 1;
        let example = help
            .split_once("Examples:\n")
            .and_then(|(_, rest)| rest.lines().next())
            .unwrap_or_default();
        assert!(
            example.starts_with("  ") && example.contains("agentos-auth "),
            "`agentos-auth {} --help` has no Examples: block:\n{help}",
            path.join(" ")
        );
    }
    assert!(checked >= 4, "only {checked} subcommands checked");
}

#[test]
fn top_level_help_fits_one_screen() {
    // A classic 80x40 terminal (clap wraps help to COLUMNS).
    let out = bin().arg("--help").env("COLUMNS", "80").assert().success();
    let help = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let lines = help.lines().count();
    assert!(lines <= 40, "agentos-auth --help is {lines} lines:\n{help}");
    assert!(help.contains("--no-input"), "{help}");
    for cmd in ["keygen", "mint", "completions"] {
        assert!(help.contains(cmd), "{help}");
    }
}

/// README.md and every `docs/*.md`, as (path relative to the crate root, text).
fn doc_pages() -> Vec<(String, String)> {
    let root = manifest_dir();
    let mut pages: Vec<String> = std::fs::read_dir(root.join("docs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .map(|n| format!("docs/{n}"))
        .collect();
    // The per-provider pages (issue 22) sit one folder down.
    pages.extend(
        std::fs::read_dir(root.join("docs/providers"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".md"))
            .map(|n| format!("docs/providers/{n}")),
    );
    pages.sort();
    pages.insert(0, "README.md".into());
    pages
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(root.join(&p)).unwrap();
            (p, text)
        })
        .collect()
}

/// GitHub's anchor of a heading: lower case, punctuation but `-` and `_` dropped,
/// spaces to `-`.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The anchors of a page's headings (outside code blocks).
fn anchors(text: &str) -> Vec<String> {
    let mut in_code = false;
    let mut out = Vec::new();
    for line in text.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
        } else if !in_code && line.starts_with('#') {
            out.push(anchor(line.trim_start_matches('#')));
        }
    }
    out
}

/// The relative targets of a page's `[text](target)` links (web and mail links aside).
fn relative_links(text: &str) -> Vec<String> {
    text.split("](")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .filter(|t| !t.contains("://") && !t.starts_with("mailto:"))
        .map(String::from)
        .collect()
}

#[test]
fn readme_is_a_short_read_and_keeps_what_ci_extracts() {
    let readme = std::fs::read_to_string(manifest_dir().join("README.md")).unwrap();
    let lines = readme.lines().count();
    assert!(
        lines < 400,
        "README.md has {lines} lines: move reference text to docs/"
    );
    // .ci/check-wheel runs the Install block's lines and the Quick start block.
    assert!(readme.contains("\n## Install\n"), "no ## Install section");
    assert!(
        readme.contains("\npip install .  "),
        "no `pip install .` line"
    );
    assert!(
        readme.contains("<!-- quick-start:"),
        "no Quick start marker"
    );
}

#[test]
fn every_link_between_the_readme_and_docs_lands() {
    let root = manifest_dir();
    let pages = doc_pages();
    assert!(pages.len() > 10, "found only {} pages", pages.len());
    let mut broken = Vec::new();
    for (page, text) in &pages {
        let dir = Path::new(page).parent().unwrap();
        for link in relative_links(text) {
            let (file, fragment) = link.split_once('#').unwrap_or((&link, ""));
            let target = if file.is_empty() {
                Path::new(page).to_path_buf()
            } else {
                dir.join(file)
            };
            if !root.join(&target).exists() {
                broken.push(format!("{page}: {link} (no {})", target.display()));
            } else if !fragment.is_empty() {
                let target_text = std::fs::read_to_string(root.join(&target)).unwrap_or_default();
                if !anchors(&target_text).iter().any(|a| a == fragment) {
                    broken.push(format!("{page}: {link} (no heading #{fragment})"));
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn anchors_follow_github() {
    assert_eq!(anchor(" Keys in an HSM or KMS"), "keys-in-an-hsm-or-kms");
    assert_eq!(anchor(" doctor and scopes"), "doctor-and-scopes");
    assert_eq!(anchor(" The live server: `--url`"), "the-live-server---url");
    assert_eq!(
        relative_links("[a](x.md#y) [b](https://e.org) [c](../README.md)"),
        ["x.md#y", "../README.md"]
    );
}
