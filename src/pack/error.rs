//! Errors and warnings about a rule pack, each with the JSON path of the offending part (`rules[3].when`)
//! and its line and column in the pack's text.

use std::fmt;

use crate::echo::Echo;
use crate::json::LineCol;

/// An error that stops a pack from loading, or a lint warning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackError {
    /// A stable code: `pack.json` (not JSON), `pack.format` (wrong structure), `pack.expr` (an expression
    /// does not parse or compile), `pack.cycle` (derived values depend on each other), `pack.limit`, `pack.compiled` (a compiled
    /// pack that is damaged, or of another format or engine version).
    pub code: &'static str,
    /// The JSON path in the pack, like `rules[3].when`.
    pub path: String,
    /// Where in the pack's text (line 0 when the error has no place in a text: a compiled pack).
    pub at: LineCol,
    pub message: String,
    /// When the pack is one of the embedded defaults: its index among them (file name order) and its file
    /// name, e.g. `(3, "p-life.json")`; shown before the location.
    pub embedded: Option<(usize, &'static str)>,
}

/// One line: the path and the message echo pack text (a key, a value), so they go through
/// [`crate::echo::Echo`] (control characters escaped, long digit runs masked).
impl fmt::Display for PackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = Echo(&self.message);
        if let Some((index, name)) = self.embedded {
            write!(f, "embedded pack {index} ({name}): ")?;
        }
        if self.at.line == 0 {
            // No place in a text (a compiled pack).
            write!(f, "{message}")
        } else if self.path.is_empty() {
            write!(f, "{}:{}: {message}", self.at.line, self.at.col)
        } else {
            write!(f, "{}:{}: {}: {message}", self.at.line, self.at.col, Echo(&self.path))
        }
    }
}

impl std::error::Error for PackError {}
