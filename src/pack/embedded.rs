//! The default rule packs (`packs/*.json`), embedded in the library by build.rs so it works offline with no
//! configuration.

use super::{load_program, PackError, Program};

include!(concat!(env!("OUT_DIR"), "/embedded_packs.rs"));

/// Compiles every embedded pack.
pub fn load_all() -> Result<Vec<Program>, PackError> {
    PACKS
        .iter()
        .map(|(name, text)| {
            load_program(text).map_err(|mut e| {
                e.message = format!("{name}: {}", e.message);
                e
            })
        })
        .collect()
}
