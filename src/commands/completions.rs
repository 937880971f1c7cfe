//! `agentos-auth completions SHELL`: the completion script on stdout.

use std::io::Write as _;

use super::docs::completion_script;
use crate::cli::{CompletionsArgs, GlobalArgs};
use crate::error::{Error, Result};

pub fn run(_g: &GlobalArgs, a: &CompletionsArgs) -> Result<()> {
    let (_, script) = completion_script(a.shell);
    match std::io::stdout().write_all(&script) {
        // `| head` has what it wanted.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r.map_err(|e| Error::io(format!("cannot write to stdout: {e}"))),
    }
}
