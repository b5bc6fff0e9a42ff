//! Why a finder input gives no plan: it is not JSON, it is not a finder@1 (a bad event, an unknown insured
//! key, a duplicate policy key), it is too large to plan within the limits, or a check ran out of its
//! evaluation budget. Each error is one line naming the path of the input it is about. A malformed *policy
//! entry* is not an error: it is skipped with reason `invalid` (see [`super::reasons`]).

use std::fmt;

/// An input the finder cannot plan for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FinderError {
    /// The text is not JSON (the message has the line and column), or nests too deep.
    NotJson(String),
    /// The JSON is not a finder@1: `path` is the part of the input that is wrong.
    Input { path: String, message: String },
    /// More policies, claims or invoice data than a plan may hold.
    TooLarge(String),
    /// A claim's check used up its evaluation budget.
    Stopped(String),
}

impl FinderError {
    pub(crate) fn input(path: impl Into<String>, message: impl Into<String>) -> FinderError {
        FinderError::Input {
            path: path.into(),
            message: message.into(),
        }
    }

    /// A stable code for programs (the npm package's `PreclaimError.code`).
    pub fn code(&self) -> &'static str {
        match self {
            FinderError::NotJson(_) => "finder.json",
            FinderError::Input { .. } => "finder.input",
            FinderError::TooLarge(_) => "finder.limit",
            FinderError::Stopped(_) => "check.budget",
        }
    }

    /// The input path the error is about (empty for the whole input).
    pub fn path(&self) -> &str {
        match self {
            FinderError::Input { path, .. } => path,
            _ => "",
        }
    }
}

impl fmt::Display for FinderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FinderError::NotJson(m) => write!(f, "the finder input is not valid JSON: {m}"),
            FinderError::Input { path, message } if path.is_empty() => {
                write!(f, "not a preclaim/finder@1 input: {message}")
            }
            FinderError::Input { path, message } => write!(f, "not a preclaim/finder@1 input: {path}: {message}"),
            FinderError::TooLarge(m) => write!(f, "the finder input is too large: {m}"),
            FinderError::Stopped(m) => write!(f, "a check was stopped: {m}"),
        }
    }
}

impl std::error::Error for FinderError {}
