//! The `Examples:` of every `--help` run as written (trycmd, `tests/cmd/*.md`), and no
//! example is left out: each line that needs no shell and no server path must be a
//! `$ ` line of `tests/cmd/help_examples.md`.

use clap::CommandFactory;

use agentos_auth::cli::Cli;

/// (command path, example) for every subcommand, nested ones included.
fn help_examples() -> Vec<(String, String)> {
    fn walk(cmd: &clap::Command, path: &str, out: &mut Vec<(String, String)>) {
        if let Some(after) = cmd.get_after_help() {
            let text = after.to_string();
            let block = text.split("Examples:\n").nth(1).unwrap_or("");
            for line in block.lines().take_while(|l| !l.trim().is_empty()) {
                // "  agentos-auth mint ...   # what it does" -> the command alone.
                let command = line.split("  #").next().unwrap_or(line).trim();
                out.push((path.to_string(), command.to_string()));
            }
        }
        for sub in cmd.get_subcommands() {
            walk(sub, &format!("{path} {}", sub.get_name()), out);
        }
    }
    let mut out = Vec::new();
    walk(&Cli::command(), "agentos-auth", &mut out);
    out
}

/// Lines a shell must run (variables, pipes, redirects, eval) or that name a server (its
/// URL, its absolute paths): tested elsewhere (README Quick start, the CLI tests), not here.
fn needs_shell_or_server(example: &str) -> bool {
    ["$", "|", ">", "<", "eval ", "source "]
        .iter()
        .any(|s| example.contains(s))
        || example.split_whitespace().any(|w| w.starts_with('/'))
        || example.contains("http://")
}

#[test]
fn every_runnable_help_example_is_a_trycmd_case() {
    let md = std::fs::read_to_string("tests/cmd/help_examples.md").unwrap();
    let cases: Vec<&str> = md.lines().filter_map(|l| l.strip_prefix("$ ")).collect();
    let examples = help_examples();
    assert!(
        examples.len() > 40,
        "found only {} examples",
        examples.len()
    );
    let missing: Vec<String> = examples
        .iter()
        .filter(|(_, e)| !needs_shell_or_server(e) && !cases.contains(&e.as_str()))
        .map(|(cmd, e)| format!("{cmd} --help: {e}"))
        .collect();
    assert!(
        missing.is_empty(),
        "add these to tests/cmd/help_examples.md:\n{}",
        missing.join("\n")
    );
}

#[test]
fn help_examples_run_as_written() {
    let t = trycmd::TestCases::new();
    t.default_bin_name("agentos-auth")
        .register_bin("agentos-auth", trycmd::cargo::cargo_bin!("agentos-auth"))
        .env("AGENTOS_AUTH_HOME", "store")
        .env("NO_COLOR", "1")
        .env("CI", "true");
    // What AgentOS (and so doctor/verify) reads, and mint's defaults, stay out of it.
    // (trycmd can only set variables, and an empty one is a value to clap.) Only this
    // test in this binary reads the environment.
    for var in [
        "JWT_VERIFICATION_KEY",
        "JWT_JWKS_FILE",
        "JWT_JWKS",
        "OS_SECURITY_KEY",
        "AGENTOS_AUTH_KEY",
        "AGENTOS_AUTH_KEY_FILE",
        "AGENTOS_AUTH_KID",
        "AGENTOS_AUTH_AUD",
        "AGENTOS_AUTH_SUB",
        "AGENTOS_AUTH_ISS",
        "AGENTOS_AUTH_EXPIRES_IN",
    ] {
        std::env::remove_var(var);
    }
    t.case("tests/cmd/*.md");
}
