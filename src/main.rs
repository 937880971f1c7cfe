//! agentos-auth: parse the command line, dispatch, map errors to exit codes.

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

use agentos_auth::cli::{Cli, Command};
use agentos_auth::commands;

fn main() -> ExitCode {
    agentos_auth::hardening::disable_core_dumps();
    let parsed = Cli::command()
        .long_version(agentos_auth::cli::long_version())
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => return agentos_auth::cli::exit_on_parse_error(&e),
    };
    if let Some(t) = cli.global.lock_timeout {
        agentos_auth::fsio::set_lock_timeout(t);
    }
    commands::install_notice_sink(&cli.global);
    commands::prompt::install_secret_provider(&cli.global);
    let result = match &cli.command {
        Command::Keygen(a) => commands::keygen::run(&cli.global, a),
        Command::Export(a) => commands::export::run(&cli.global, a),
        Command::Mint(a) => commands::mint::run(&cli.global, a),
        Command::Jwks(a) => commands::jwks::run(&cli.global, a),
        Command::Inspect(a) => commands::inspect::run(&cli.global, a),
        Command::Verify(a) => commands::verify::run(&cli.global, a),
        Command::Doctor(a) => commands::doctor::run(&cli.global, a),
        Command::Scopes(a) => commands::scopes::run(&cli.global, a),
        Command::Serve(a) => commands::serve::run(&cli.global, a),
        Command::Clients(a) => commands::clients::run(&cli.global, a),
        Command::Completions(a) => commands::completions::run(&cli.global, a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // Errors may quote a token or a file: no key material (last line of
            // defence, whatever produced it) and no raw control characters.
            let (msg, _) = agentos_auth::redact::scrub(&e.to_string());
            eprintln!(
                "agentos-auth: {} {}",
                commands::prompt::error_prefix(),
                commands::printable(&msg)
            );
            ExitCode::from(e.exit_code() as u8)
        }
    }
}
