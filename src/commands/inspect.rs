//! `agentos-auth inspect` (not built yet).

use crate::cli::{GlobalArgs, InspectArgs};
use crate::error::{Error, Result};

pub fn run(_g: &GlobalArgs, _a: &InspectArgs) -> Result<()> {
    Err(Error::input("inspect is not implemented yet"))
}
