//! The default rule packs (`packs/*.json`), embedded in the library by build.rs so it works offline with no
//! configuration. An embedded pack that does not load (a build from a broken `packs/` folder) is reported
//! with its index in the embedded list and its file name, not as pack 0.

use std::fmt;

use super::{load_program, PackError, Program};

include!(concat!(env!("OUT_DIR"), "/embedded_packs.rs"));

/// An embedded pack that does not load: which one and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmbeddedPackError {
    /// Its index among the embedded packs (sorted by file name; [`names`] lists them).
    pub index: usize,
    /// Its file name in `packs/`, like `p-med.json`.
    pub name: String,
    pub error: PackError,
}

impl fmt::Display for EmbeddedPackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "embedded pack {} ({}): {}", self.index, self.name, self.error)
    }
}

impl std::error::Error for EmbeddedPackError {}

/// The file names of the embedded packs, in their order.
pub fn names() -> Vec<&'static str> {
    PACKS.iter().map(|(name, _)| *name).collect()
}

/// Compiles every embedded pack.
pub fn load_all() -> Result<Vec<Program>, EmbeddedPackError> {
    load_named(PACKS)
}

/// Compiles named pack texts; the first that fails is reported with its index and name.
pub fn load_named(packs: &[(&str, &str)]) -> Result<Vec<Program>, EmbeddedPackError> {
    packs
        .iter()
        .enumerate()
        .map(|(index, (name, text))| {
            load_program(text).map_err(|error| EmbeddedPackError {
                index,
                name: (*name).to_string(),
                error,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pack_that_fails_is_named_with_its_index() {
        let good = PACKS.first().map(|(_, t)| *t).unwrap_or_default();
        let e = load_named(&[("a.json", good), ("b.json", good), ("c.json", "{\"id\": 1}")]).unwrap_err();
        assert_eq!((e.index, e.name.as_str(), e.error.code), (2, "c.json", "pack.format"));
        assert!(e.to_string().starts_with("embedded pack 2 (c.json): 1:8: id: "), "{e}");
        assert_eq!(load_all().map(|p| p.len()), Ok(names().len()));
    }
}
