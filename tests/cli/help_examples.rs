//! The examples run as written (trycmd, `tests/cmd/*.md`), and none is left out: each
//! `Examples:` line of every `--help` that needs no shell and no server path is a `$ `
//! line of `tests/cmd/help_examples.md`; each `agentos-auth` line of a `sh` block of
//! README.md and `docs/*.md` is a case of `tests/cmd/docs_examples.md`.

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
        || example.contains("--from https://")
        || example.contains("--issuer https://")
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

/// The `agentos-auth` command lines of a page's ```sh blocks, without their trailing
/// `  # comment`. README.md's Quick start block is left out: `tests/interop/readme.rs`
/// runs it against a real AgentOS.
fn sh_block_commands(page: &str) -> Vec<String> {
    let (mut in_sh, mut quick_start) = (false, false);
    let mut out = Vec::new();
    for line in page.lines() {
        if line.starts_with("<!-- quick-start:") {
            quick_start = true;
        } else if line == "```sh" {
            in_sh = true;
        } else if line.starts_with("```") {
            (in_sh, quick_start) = (false, false);
        } else if in_sh && !quick_start {
            let command = line.split("  #").next().unwrap_or(line).trim();
            if command.contains("agentos-auth ") {
                out.push(command.to_string());
            }
        }
    }
    out
}

/// (page, command) for README.md and every `docs/*.md`.
fn docs_examples() -> Vec<(String, String)> {
    let mut pages: Vec<_> = std::fs::read_dir("docs")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    pages.sort();
    pages.insert(0, "README.md".into());
    pages
        .iter()
        .flat_map(|page| {
            let text = std::fs::read_to_string(page).unwrap();
            sh_block_commands(&text)
                .into_iter()
                .map(|c| (page.display().to_string(), c))
        })
        .collect()
}

/// Lines no sandbox can run as written: they ask a running server, name a key inside a
/// PKCS#11 token, or install into the user's home directory. What they do is tested
/// against the real thing in `tests/interop/live.rs` (a served AgentOS),
/// `tests/interop/idp.rs` (an identity provider: `--from`, `--issuer`),
/// `tests/interop/pkcs11.rs` (SoftHSM2) and `tests/cli/docs.rs` (completion scripts).
fn needs_server_token_or_home(example: &str) -> bool {
    [
        "--url",
        "http://",
        "pkcs11:",
        "$URI",
        "~/",
        "$PROFILE",
        "${fpath",
        "--from https://",
        "--issuer https://",
    ]
    .iter()
    .any(|s| example.contains(s))
}

/// The trycmd case that runs a docs line as written: the line itself, or, when it needs a
/// shell, `bash -c 'LINE'`.
fn docs_case(example: &str) -> String {
    if !example.starts_with("agentos-auth ") || needs_shell_or_server(example) {
        format!("bash -c '{example}'")
    } else {
        example.to_string()
    }
}

#[test]
fn every_docs_example_is_a_trycmd_case() {
    let mut cases = Vec::new();
    for md in ["tests/cmd/help_examples.md", "tests/cmd/docs_examples.md"] {
        let text = std::fs::read_to_string(md).unwrap();
        cases.extend(
            text.lines()
                .filter_map(|l| l.strip_prefix("$ "))
                .map(String::from),
        );
    }
    let examples = docs_examples();
    assert!(
        examples.len() > 50,
        "found only {} examples",
        examples.len()
    );
    let runnable = examples
        .iter()
        .filter(|(_, e)| !needs_server_token_or_home(e));
    // `bash -c '...'` cannot hold a single quote as written.
    let unquotable: Vec<_> = runnable
        .clone()
        .filter(|(_, e)| docs_case(e).starts_with("bash -c") && e.contains('\''))
        .collect();
    assert!(
        unquotable.is_empty(),
        "use double quotes in these lines: {unquotable:?}"
    );
    let missing: Vec<String> = runnable
        .filter(|(_, e)| !cases.contains(&docs_case(e)))
        .map(|(file, e)| format!("{file}: $ {}", docs_case(e)))
        .collect();
    assert!(
        missing.is_empty(),
        "add these to tests/cmd/docs_examples.md:\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_scan_takes_sh_block_commands_and_the_case_form_they_need() {
    let page = "agentos-auth prose\n```sh\nagentos-auth mint --scopes agents:read   # a token\n\
                pip install .   # the agentos-auth command\n```\n\
                ```\nagentos-auth output block\n```\n<!-- quick-start: x -->\n```sh\nagentos-auth keygen\n```\n\
                ```sh\nTOKEN=$(agentos-auth mint)\n```\n";
    assert_eq!(
        sh_block_commands(page),
        [
            "agentos-auth mint --scopes agents:read",
            "TOKEN=$(agentos-auth mint)"
        ]
    );
    assert_eq!(
        docs_case("agentos-auth mint --scopes agents:read"),
        "agentos-auth mint --scopes agents:read"
    );
    assert_eq!(
        docs_case(r#"agentos-auth inspect "$TOKEN""#),
        r#"bash -c 'agentos-auth inspect "$TOKEN"'"#
    );
    assert!(needs_server_token_or_home(
        "agentos-auth mint --url http://127.0.0.1:7777 --scopes agents:read"
    ));
}

/// A token of the docs sandbox's `key.pem` (kid `docs-example`, which a set-up line of
/// `docs_examples.md` publishes in the sandbox's key store), for the pages' `"$TOKEN"`.
fn docs_token() -> String {
    let home = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_agentos-auth"))
        .arg("--quiet")
        .arg("--home")
        .arg(home.path())
        .arg("mint")
        .args([
            "--key",
            "tests/cmd/docs_examples.in/key.pem",
            "--kid",
            "docs-example",
        ])
        .args(["--aud", "my-agent-os", "--sub", "carol"])
        .args(["--scopes", "agents:read,agents:run"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[test]
fn examples_run_as_written() {
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
        "AGENTOS_AUTH_ROLES_CLAIM",
        "AGENTOS_AUTH_ROLES_FILE",
        "AGENTOS_AUTH_PASSWORD_FILE",
        "AGENTOS_AUTH_PKCS11_MODULE",
    ] {
        std::env::remove_var(var);
    }
    // The docs' shell lines (`bash -c 'LINE'`) find this build first on PATH.
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_agentos-auth"));
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    // Mode 0600, as a careful user keeps key files (git keeps no mode but the x bit; the
    // sandbox copies it): no "readable by others" warning depends on the checkout's umask.
    for secret in ["key.pem", "pw"] {
        let path = std::path::Path::new("tests/cmd/docs_examples.in").join(secret);
        std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o600))
            .unwrap();
    }
    let signing_key = std::fs::read_to_string("tests/cmd/docs_examples.in/key.pem").unwrap();
    let t = trycmd::TestCases::new();
    t.default_bin_name("agentos-auth")
        .register_bin("agentos-auth", bin)
        .register_bin("bash", which_bash())
        .env("PATH", path)
        .env("TOKEN", docs_token())
        .env("SIGNING_KEY_PEM", signing_key)
        .env("AGENTOS_AUTH_HOME", "store")
        .env("NO_COLOR", "1")
        .env("CI", "true");
    t.case("tests/cmd/*.md");
}

fn which_bash() -> std::path::PathBuf {
    ["/bin/bash", "/usr/bin/bash"]
        .iter()
        .map(std::path::PathBuf::from)
        .find(|p| p.exists())
        .expect("bash")
}
