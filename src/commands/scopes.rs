//! `agentos-auth scopes` (not built yet).

use crate::cli::{GlobalArgs, ScopesArgs};
use crate::error::{Error, Result};

pub fn run(_g: &GlobalArgs, _a: &ScopesArgs) -> Result<()> {
    Err(Error::input("scopes is not implemented yet"))
}
