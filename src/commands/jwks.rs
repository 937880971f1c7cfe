//! `agentos-auth jwks` (not built yet).

use crate::cli::{GlobalArgs, JwksArgs};
use crate::error::{Error, Result};

pub fn run(_g: &GlobalArgs, _a: &JwksArgs) -> Result<()> {
    Err(Error::input("jwks is not implemented yet"))
}
