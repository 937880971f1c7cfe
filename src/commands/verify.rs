//! `agentos-auth verify` (not built yet).

use crate::cli::{GlobalArgs, VerifyArgs};
use crate::error::{Error, Result};

pub fn run(_g: &GlobalArgs, _a: &VerifyArgs) -> Result<()> {
    Err(Error::input("verify is not implemented yet"))
}
