//! `agentos-auth completions` (not built yet).

use crate::cli::{CompletionsArgs, GlobalArgs};
use crate::error::{Error, Result};

pub fn run(_g: &GlobalArgs, _a: &CompletionsArgs) -> Result<()> {
    Err(Error::input("completions is not implemented yet"))
}
