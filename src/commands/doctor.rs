//! `agentos-auth doctor` (not built yet).

use crate::cli::{DoctorArgs, GlobalArgs};
use crate::error::{Error, Result};

pub fn run(_g: &GlobalArgs, _a: &DoctorArgs) -> Result<()> {
    Err(Error::input("doctor is not implemented yet"))
}
