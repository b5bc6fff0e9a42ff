//! Errors of the expression engine: compile errors (with the node's position) and evaluation errors
//! (JSONLogic's `NaN`, `Invalid Arguments` and thrown values, plus the engine's limits).

use std::fmt;
use std::sync::Arc;

use crate::echo::Echo;
use crate::value::Value;

/// A problem found while compiling an expression, at byte offset `pos` of its source.
#[derive(Debug, Clone, PartialEq)]
pub struct CompileError {
    pub pos: u32,
    pub message: String,
}

impl CompileError {
    pub fn new(pos: u32, message: impl Into<String>) -> CompileError {
        CompileError {
            pos,
            message: message.into(),
        }
    }
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", Echo(&self.message))
    }
}

impl std::error::Error for CompileError {}

/// Why an evaluation stopped.
#[derive(Debug, Clone, PartialEq)]
pub enum EvalError {
    /// An arithmetic or comparison result is not a number (JSONLogic's `NaN` error).
    NaN,
    /// An operator got arguments it cannot use.
    InvalidArguments(Arc<str>),
    /// A value thrown by `throw` (an object with a `type`, or any value wrapped as `{"type": value}`).
    Thrown(Value),
    /// A claim field the expression read was malformed (already reported as a C00 finding).
    Malformed,
    /// The step budget ran out.
    Budget(u64),
    /// A value from a derived value that itself failed.
    Derived(Arc<str>, Box<EvalError>),
}

impl EvalError {
    pub fn invalid(msg: &str) -> EvalError {
        EvalError::InvalidArguments(Arc::from(msg))
    }

    /// The error as a JSONLogic error object: `{"type": ...}` (what `try` exposes and the CLI prints).
    pub fn to_value(&self) -> Value {
        match self {
            EvalError::Thrown(v @ Value::Object(m)) if m.iter().any(|(k, _)| &**k == "type") => v.clone(),
            EvalError::Thrown(v) => Value::object(vec![(Arc::from("type"), v.clone())]),
            EvalError::NaN => Value::object(vec![(Arc::from("type"), Value::str("NaN"))]),
            EvalError::InvalidArguments(m) => Value::object(vec![
                (Arc::from("type"), Value::str("Invalid Arguments")),
                (Arc::from("message"), Value::Str(m.clone())),
            ]),
            EvalError::Malformed => Value::object(vec![(Arc::from("type"), Value::str("Malformed"))]),
            EvalError::Budget(n) => Value::object(vec![
                (Arc::from("type"), Value::str("Budget Exceeded")),
                (
                    Arc::from("message"),
                    Value::Str(Arc::from(format!("evaluation stopped after {n} steps"))),
                ),
            ]),
            EvalError::Derived(name, inner) => {
                let mut m = match inner.to_value() {
                    Value::Object(m) => (*m).clone(),
                    _ => Vec::new(),
                };
                m.push((Arc::from("derived"), Value::Str(name.clone())));
                Value::object(m)
            }
        }
    }
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EvalError::NaN => f.write_str("the result is not a number (NaN)"),
            EvalError::InvalidArguments(m) => write!(f, "invalid arguments: {}", Echo(m)),
            EvalError::Thrown(v) => write!(f, "thrown: {}", Echo(&crate::json::write_value(v))),
            EvalError::Malformed => f.write_str("a field it needs is malformed"),
            EvalError::Budget(n) => write!(f, "step budget of {n} exceeded"),
            EvalError::Derived(name, e) => write!(f, "derived value `{}` failed: {e}", Echo(name)),
        }
    }
}

impl std::error::Error for EvalError {}
