//! Issue 21, item 5: small wrong turns a newcomer hit in `--help` and in first errors.

use clap::CommandFactory;

use crate::common::{assert_one_line_error, bin};
use agentos_auth::cli::Cli;

/// Every (subcommand path, after_help) of the command tree, the root included.
fn commands() -> Vec<(Vec<String>, String)> {
    fn walk(cmd: &clap::Command, path: Vec<String>, out: &mut Vec<(Vec<String>, String)>) {
        let after = cmd
            .get_after_help()
            .map(|a| a.to_string())
            .unwrap_or_default();
        out.push((path.clone(), after));
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let mut p = path.clone();
            p.push(sub.get_name().to_string());
            walk(sub, p, out);
        }
    }
    let mut out = Vec::new();
    walk(&Cli::command(), Vec::new(), &mut out);
    out
}

fn help(path: &[String], columns: &str, env: &[(&str, &str)]) -> String {
    let mut c = bin();
    c.args(path).arg("--help").env("COLUMNS", columns);
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().unwrap();
    assert!(out.status.success(), "{path:?} --help");
    String::from_utf8(out.stdout).unwrap()
}

/// At 100 columns (clap's width when stdout is no terminal, so every help the tests,
/// pipes and the man pages render) no example wraps at all; at 80 (a classic
/// terminal) a comment may wrap, the command before it never does.
#[test]
fn examples_never_wrap_mid_command() {
    let mut broken = Vec::new();
    for (path, after) in commands() {
        let Some(block) = after.split("Examples:\n").nth(1) else {
            continue;
        };
        let examples: Vec<&str> = block.lines().take_while(|l| !l.trim().is_empty()).collect();
        let wide = help(&path, "100", &[]);
        let narrow = help(&path, "80", &[]);
        for e in &examples {
            let e = e.trim_end();
            if !wide.lines().any(|r| r.trim_end() == e) {
                broken.push(format!("100 columns, {path:?}: {e}"));
            }
            let command = e.split("  #").next().unwrap_or(e).trim_end();
            let intact = |r: &str| {
                r.strip_prefix(command)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
            };
            if !narrow.lines().any(intact) {
                broken.push(format!("80 columns, {path:?}: {command}"));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "examples that wrap:\n{}",
        broken.join("\n")
    );
}

#[test]
fn env_lines_in_help_never_show_a_value_or_a_trailing_equals() {
    // Every variable set (as a shell that exports them would), and none set.
    let names: Vec<String> = Cli::command()
        .get_subcommands()
        .flat_map(|s| {
            s.get_arguments()
                .chain(s.get_subcommands().flat_map(|t| t.get_arguments()))
                .filter_map(|a| a.get_env())
                .map(|e| e.to_string_lossy().into_owned())
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(names.iter().any(|n| n == "AGENTOS_AUTH_ROLES_FILE"));
    assert!(names.iter().any(|n| n == "AGENTOS_AUTH_ROLES_CLAIM"));
    let set: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "VALUE-X")).collect();
    for (path, _) in commands() {
        for env in [&[][..], &set[..]] {
            let text = help(&path, "1000", env);
            assert!(
                !text.contains("VALUE-X"),
                "{path:?}: a value shown:\n{text}"
            );
            for name in &names {
                assert!(
                    !text.contains(&format!("[env: {name}=")),
                    "{path:?}: [env: {name}=...] shown:\n{text}"
                );
            }
        }
    }
}

#[test]
fn global_options_have_their_own_heading() {
    for path in [
        vec![],
        vec!["mint".to_string()],
        vec!["jwks".into(), "rotate".into()],
    ] {
        let text = help(&path, "100", &[]);
        let (own, global) = text
            .split_once("\nGlobal options:\n")
            .unwrap_or_else(|| panic!("{path:?}: no Global options heading:\n{text}"));
        for flag in [
            "--home",
            "--quiet",
            "--no-input",
            "--lock-timeout",
            "--password-file",
            "--verbose",
        ] {
            assert!(
                !own.contains(flag),
                "{path:?}: {flag} among the command's own options"
            );
            assert!(
                global.contains(flag),
                "{path:?}: {flag} not under Global options"
            );
        }
    }
}

#[test]
fn mint_key_and_batch_on_stdin_clash_before_anything_is_parsed() {
    // Not a key: the clash is what is wrong, whatever stdin holds.
    for stdin in ["{}\n", "", "-----BEGIN PRIVATE KEY-----\n"] {
        let out = bin()
            .args(["mint", "--key", "-", "--batch", "-"])
            .write_stdin(stdin)
            .output()
            .unwrap();
        assert_one_line_error(&out, 1, "--key - and --batch - both want standard input");
    }
}

#[test]
fn a_filtered_listing_says_what_the_answer_holds_and_why() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let run = |args: &[&str]| {
        let out = bin().arg("--home").arg(&home).args(args).output().unwrap();
        (out.status.code(), String::from_utf8(out.stdout).unwrap())
    };
    assert_eq!(run(&["keygen", "--aud", "my-agent-os"]).0, Some(0));
    let (_, token) = run(&["mint", "--scopes", "agents:my-agent:read"]);
    let (code, said) = run(&["verify", token.trim(), "--request", "GET /agents"]);
    assert_eq!(code, Some(0), "{said}");
    assert!(
        said.contains("the list it answers with holds only my-agent")
            && said.contains("filters a listing down to the ids the token's scopes name"),
        "{said}"
    );
}
