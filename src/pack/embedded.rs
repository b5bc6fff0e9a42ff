//! The default rule packs, embedded in the library so it works offline with no configuration.

use super::{load_program, PackError, Program};

/// The embedded packs as (file name, JSON text).
pub const PACKS: &[(&str, &str)] = &[("p-acc.json", include_str!("../../packs/p-acc.json"))];

/// Compiles every embedded pack.
pub fn load_all() -> Result<Vec<Program>, PackError> {
    PACKS.iter().map(|(_, text)| load_program(text)).collect()
}
