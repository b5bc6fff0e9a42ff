//! Errors: [`CatalogError`] for catalog bytes that cannot be used, [`BuildError`] for source rows that cannot
//! be built into a catalog. Both have a stable code (`E_CATALOG_*`) for the JS API and a one-line message.

use std::fmt;

/// Why catalog bytes were rejected. Loading never panics and never reads out of bounds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CatalogError {
    /// The bytes do not start with `PCAT`.
    BadMagic,
    /// A format version this code does not read.
    UnsupportedVersion(u16),
    /// An unknown catalog kind byte.
    BadKind(u8),
    /// Fewer bytes than the header says.
    Truncated { needed: u64, got: u64 },
    /// More bytes than the header says.
    TrailingBytes(u64),
    /// The body checksum does not match: the bytes were damaged.
    Checksum { stored: u32, computed: u32 },
    /// The header or a section is inconsistent.
    Malformed(&'static str),
}

impl CatalogError {
    /// A stable code for programs (the JS API throws it as `error.code`).
    pub fn code(&self) -> &'static str {
        match self {
            CatalogError::BadMagic => "E_CATALOG_MAGIC",
            CatalogError::UnsupportedVersion(_) => "E_CATALOG_VERSION",
            CatalogError::BadKind(_) => "E_CATALOG_KIND",
            CatalogError::Truncated { .. } => "E_CATALOG_TRUNCATED",
            CatalogError::TrailingBytes(_) => "E_CATALOG_TRAILING",
            CatalogError::Checksum { .. } => "E_CATALOG_CHECKSUM",
            CatalogError::Malformed(_) => "E_CATALOG_MALFORMED",
        }
    }
}

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CatalogError::BadMagic => write!(f, "not a preclaim catalog (magic bytes are not PCAT)"),
            CatalogError::UnsupportedVersion(v) => {
                write!(
                    f,
                    "catalog format version {v} is not supported (this build reads version {})",
                    super::format::VERSION
                )
            }
            CatalogError::BadKind(k) => write!(f, "unknown catalog kind {k}"),
            CatalogError::Truncated { needed, got } => {
                write!(f, "catalog truncated: {got} bytes, the header needs {needed}")
            }
            CatalogError::TrailingBytes(n) => write!(f, "{n} unexpected bytes after the catalog"),
            CatalogError::Checksum { stored, computed } => {
                write!(
                    f,
                    "catalog damaged: checksum {computed:08x} does not match the stored {stored:08x}"
                )
            }
            CatalogError::Malformed(what) => write!(f, "malformed catalog: {what}"),
        }
    }
}

impl std::error::Error for CatalogError {}

/// Why source rows could not be built into a catalog; `line` is the 1-based source line (0 when unknown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    pub line: usize,
    pub message: String,
}

impl BuildError {
    pub(crate) fn new(line: usize, message: impl Into<String>) -> Self {
        BuildError {
            line,
            message: message.into(),
        }
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "line {}: {}", self.line, crate::echo::Echo(&self.message))
        } else {
            write!(f, "{}", crate::echo::Echo(&self.message))
        }
    }
}

impl std::error::Error for BuildError {}
