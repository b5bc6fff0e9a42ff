//! preclaim as a plain JSONLogic engine: compile a rule once, evaluate it on many records.
//!
//! A rule is JSONLogic text; an array of rules is itself a rule, evaluated to the array of their results,
//! so many rules run on one record in one call. Errors carry a stable code:
//!
//! - `jsonlogic.json`: the rule text is not JSON (with its byte offset);
//! - `jsonlogic.syntax`: an operation is not an object with one key (with its byte offset);
//! - `jsonlogic.compile`: an unknown operator or unusable arguments (with its byte offset);
//! - `jsonlogic.data`: the data text is not JSON;
//! - `jsonlogic.eval`: the evaluation stopped; [`Error::error`] is JSONLogic's error object
//!   (`{"type": "NaN"}`, `{"type": "Invalid Arguments", ...}`, a thrown value, or the step budget's
//!   `{"type": "Budget Exceeded", ...}`).
//!
//! ```
//! let rule = preclaim::jsonlogic::compile(r#"[{"<": [{"var": "age"}, 18]}, {"cat": ["hi ", {"var": "name"}]}]"#)?;
//! assert_eq!(rule.evaluate_text(r#"{"age": 17, "name": "Li"}"#)?, r#"[true,"hi Li"]"#);
//! # Ok::<(), preclaim::jsonlogic::Error>(())
//! ```

use std::fmt;
use std::sync::Arc;

use crate::echo::Echo;
use crate::expr::{self, Expr, OpenEnv};
use crate::json::{self, write_value};
use crate::value::Value;

/// A compiled JSONLogic rule (or array of rules).
#[derive(Debug, Clone)]
pub struct Rule {
    expr: Expr,
    /// The keys of its paths, sorted: the data's keys are taken from here (no allocation, matched by pointer).
    keys: Vec<Arc<str>>,
    /// Per key, whether the rule reads its value whole ([`crate::expr::projection`]); `None` when the rule
    /// can reach anything in its data (then all of the data is built).
    whole: Option<Vec<bool>>,
}

/// Why a rule did not compile or evaluate.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    /// Stable: `jsonlogic.json`, `jsonlogic.syntax`, `jsonlogic.compile`, `jsonlogic.data`, `jsonlogic.eval`.
    pub code: &'static str,
    pub message: String,
    /// The byte offset in the rule text, for the rule's errors.
    pub offset: Option<u32>,
    /// JSONLogic's error object, for `jsonlogic.eval`.
    pub error: Option<Value>,
}

impl Error {
    fn at(code: &'static str, offset: u32, message: String) -> Error {
        Error {
            code,
            message,
            offset: Some(offset),
            error: None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, Echo(&self.message))?;
        if let Some(o) = self.offset {
            write!(f, " (at byte {o})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// Compiles JSONLogic text.
pub fn compile(text: &str) -> Result<Rule, Error> {
    let j = json::parse(text).map_err(|e| Error::at("jsonlogic.json", e.offset as u32, e.message))?;
    let node = expr::jsonlogic::from_json(&j).map_err(|e| Error::at("jsonlogic.syntax", e.pos, e.message))?;
    let expr = expr::compile(&node, &OpenEnv).map_err(|e| Error::at("jsonlogic.compile", e.pos, e.message))?;
    let (keys, whole) = match expr.projection() {
        Some(p) => (p.keys, Some(p.whole)),
        None => (expr.path_keys(), None),
    };
    Ok(Rule { expr, keys, whole })
}

impl Rule {
    /// Evaluates the rule on `data` (the step budget is the engine's default).
    pub fn evaluate(&self, data: &Value) -> Result<Value, Error> {
        self.expr.eval(data).map_err(|e| Error {
            code: "jsonlogic.eval",
            message: e.to_string(),
            offset: None,
            error: Some(e.to_value()),
        })
    }

    /// Evaluates the rule on data given as JSON text; the result as compact JSON text (non-finite numbers
    /// print as `null`, as `JSON.stringify` does).
    pub fn evaluate_text(&self, data: &str) -> Result<String, Error> {
        // Straight to a value (no tree with offsets: the data's errors name a byte offset in the message),
        // its keys the rule's own strings, and only what the rule reaches built (the rest checked, skipped).
        let data = match &self.whole {
            Some(whole) => json::parse_value_projected(data, &self.keys, whole),
            None => json::parse_value_with(data, &self.keys),
        };
        let data = data.map_err(|e| Error {
            code: "jsonlogic.data",
            message: e.to_string(),
            offset: None,
            error: None,
        })?;
        self.evaluate(&data).map(|v| write_value(&v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_array_of_rules_gives_the_array_of_results() {
        let r = compile(r#"[{"+": [{"var": "a"}, 1]}, {"if": [{"var": "b"}, "yes", "no"]}, 3]"#).unwrap();
        assert_eq!(r.evaluate_text(r#"{"a": 1.5, "b": 0}"#).unwrap(), r#"[2.5,"no",3]"#);
    }

    #[test]
    fn errors_have_codes_and_offsets() {
        let e = compile(r#"{"+": [1, 2"#).unwrap_err();
        assert_eq!((e.code, e.offset), ("jsonlogic.json", Some(11)));
        let e = compile(r#"[1, {"+": [1], "-": [2]}]"#).unwrap_err();
        assert_eq!((e.code, e.offset), ("jsonlogic.syntax", Some(4)));
        let e = compile(r#"[1, {"nope": [1]}]"#).unwrap_err();
        assert_eq!(e.code, "jsonlogic.compile");
        assert_eq!(e.offset, Some(4));
        let r = compile(r#"{"throw": "boom"}"#).unwrap();
        let e = r.evaluate(&Value::Null).unwrap_err();
        assert_eq!(e.code, "jsonlogic.eval");
        assert_eq!(write_value(&e.error.unwrap()), r#"{"type":"boom"}"#);
        let e = r.evaluate_text("{").unwrap_err();
        assert_eq!(e.code, "jsonlogic.data");
    }

    /// The data is built only where the rule reaches; everything else is still checked: the results and
    /// errors are those of the data parsed whole.
    #[test]
    fn only_what_the_rule_reaches_is_built_and_all_is_checked() {
        let r = compile(
            r#"[{"var": "a.b"}, {"map": [{"var": "xs"}, {"var": "n"}]}, {"missing": ["a.c", "z"]}, {"var": "o"}]"#,
        )
        .unwrap();
        assert!(r.whole.is_some());
        let whole = |data: &str| {
            let v = json::parse_value(data).map_err(|e| e.to_string())?;
            r.evaluate(&v).map(|v| write_value(&v)).map_err(|e| e.message)
        };
        let deep = format!("{{\"skip\": {}{}, \"a\": 1}}", "[".repeat(300), "]".repeat(300));
        for data in [
            r#"{"a": {"b": [1, {"n": 2}], "c": "", "d": {"e": 1}}, "xs": [{"n": 1, "m": 2}, {"n": "x"}], "o": {"p": [1]}}"#,
            r#"{"q": {"r": "s\n\u00e9", "t": [true, false, null, -1.5e3]}, "a": {"b": 3}, "xs": []}"#,
            r#"{"a\u0062": 1, "a": {"b": 2}}"#,
            r#"{"skip": {"k": 1, "k": 2}, "a": 1}"#,
            r#"{"skip": [1, 2,], "a": 1}"#,
            r#"{"skip": "\x", "a": 1}"#,
            r#"{"skip": 01, "a": 1}"#,
            r#"{"a": 1, "a": 2}"#,
            &deep,
        ] {
            assert_eq!(r.evaluate_text(data).map_err(|e| e.message), whole(data), "{data}");
        }
    }

    #[test]
    fn a_runaway_rule_stops_on_the_step_budget() {
        let r =
            compile(r#"{"reduce": [{"var": "xs"}, {"+": [{"var": "accumulator"}, {"var": "current"}]}, 0]}"#).unwrap();
        let xs = Value::array((0..2_000_000).map(Value::Int).collect());
        let e = r.evaluate(&Value::object(vec![("xs".into(), xs)])).unwrap_err();
        assert_eq!(e.code, "jsonlogic.eval");
        assert_eq!(
            e.error.unwrap().get("type").and_then(Value::as_str),
            Some("Budget Exceeded")
        );
    }
}
