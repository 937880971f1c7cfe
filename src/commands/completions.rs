//! `agentos-auth completions SHELL`: the completion script on stdout.

use std::io::Write as _;

use super::docs::completion_script;
use crate::cli::{CompletionsArgs, GlobalArgs};
use crate::error::{Error, Result};

pub fn run(_g: &GlobalArgs, a: &CompletionsArgs) -> Result<()> {
    let (_, script) = completion_script(a.shell);
    std::io::stdout()
        .write_all(&script)
        .map_err(|e| Error::io(format!("cannot write to stdout: {e}")))
}
