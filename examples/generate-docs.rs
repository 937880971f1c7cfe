//! Regenerates the committed `completions/` and `man/` folders from the clap types:
//! `cargo run --example generate-docs [OUT_DIR]` (default: the crate root).
//! `tests/docs_cli.rs` fails while they differ from what the binary generates.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let out = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    match agentos_auth::commands::docs::write_all(&out) {
        Ok((completions, man)) => {
            eprintln!(
                "wrote {completions} completion scripts to {} and {man} man pages to {}",
                out.join("completions").display(),
                out.join("man").display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("generate-docs: error: {e}");
            ExitCode::FAILURE
        }
    }
}
