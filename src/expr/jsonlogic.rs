//! JSONLogic, the interchange form: JSON → [`Node`] and [`Node`] → JSON.
//!
//! An object with one key is an operation; `{}` is an empty object literal; an array is a list of
//! expressions; `{"preserve": x}` is `x` as data. Printing writes literal arrays and objects inside
//! `preserve`, so printing and re-parsing gives the same tree. Operator names are checked by the compiler,
//! not here.

use std::sync::Arc;

use super::ast::{Node, NodeKind};
use crate::json::{self, JsonKind, JsonNode};
use crate::value::Value;

/// A JSONLogic structure error with the byte offset of the offending node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub pos: u32,
    pub message: String,
}

impl std::fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (at byte {})", crate::echo::Echo(&self.message), self.pos)
    }
}

impl std::error::Error for SyntaxError {}

/// Parses JSONLogic text.
pub fn parse_text(text: &str) -> Result<Node, SyntaxError> {
    let j = json::parse(text).map_err(|e| SyntaxError {
        pos: e.offset as u32,
        message: e.message,
    })?;
    from_json(&j)
}

/// Converts a parsed JSON node to an AST.
pub fn from_json(j: &JsonNode) -> Result<Node, SyntaxError> {
    let kind = match &j.kind {
        JsonKind::Array(items) => NodeKind::List(items.iter().map(from_json).collect::<Result<_, _>>()?),
        JsonKind::Object(m) if m.is_empty() => NodeKind::Lit(Value::object(Vec::new())),
        JsonKind::Object(m) => {
            let [(name, _, arg)] = m.as_slice() else {
                return Err(SyntaxError {
                    pos: j.pos,
                    message: format!(
                        "an operation must be an object with exactly one key (the operator), found {} keys",
                        m.len()
                    ),
                });
            };
            if &**name == "preserve" {
                // `{"preserve": 1e400}` would print as `null`: refused like a bare `1e400`.
                if let Some(pos) = first_non_finite(arg) {
                    return Err(too_large(pos));
                }
                NodeKind::Lit(Value::from_json(arg))
            } else {
                match &arg.kind {
                    JsonKind::Array(items) => NodeKind::Op {
                        name: name.to_string(),
                        args: items.iter().map(from_json).collect::<Result<_, _>>()?,
                        bare: false,
                    },
                    _ => NodeKind::Op {
                        name: name.to_string(),
                        args: vec![from_json(arg)?],
                        bare: true,
                    },
                }
            }
        }
        JsonKind::Float(f) if !f.is_finite() => return Err(too_large(j.pos)),
        _ => NodeKind::Lit(Value::from_json(j)),
    };
    Ok(Node { kind, pos: j.pos })
}

/// A number out of a double's range (`1e400`) has no JSON form (it would print as `null`): an error.
fn too_large(pos: u32) -> SyntaxError {
    SyntaxError {
        pos,
        message: "number too large (out of the range of a double)".into(),
    }
}

/// The position of the first number out of a double's range inside a JSON value (data under `preserve`).
fn first_non_finite(j: &JsonNode) -> Option<u32> {
    let mut stack = vec![j];
    while let Some(n) = stack.pop() {
        match &n.kind {
            JsonKind::Float(f) if !f.is_finite() => return Some(n.pos),
            // Reversed, so the first one in the text is the one reported.
            JsonKind::Array(items) => stack.extend(items.iter().rev()),
            JsonKind::Object(members) => stack.extend(members.iter().rev().map(|(_, _, v)| v)),
            _ => {}
        }
    }
    None
}

/// Prints an AST as a JSONLogic value.
pub fn to_value(n: &Node) -> Value {
    match &n.kind {
        NodeKind::Lit(v @ (Value::Array(_) | Value::Object(_))) => {
            if matches!(v, Value::Object(m) if m.is_empty()) {
                v.clone()
            } else {
                Value::object(vec![(Arc::from("preserve"), v.clone())])
            }
        }
        NodeKind::Lit(v) => v.clone(),
        NodeKind::List(items) => Value::array(items.iter().map(to_value).collect()),
        NodeKind::Op { name, args, bare } => {
            let a = match (bare, args.as_slice()) {
                (true, [one]) => to_value(one),
                _ => Value::array(args.iter().map(to_value).collect()),
            };
            Value::object(vec![(Arc::from(name.as_str()), a)])
        }
    }
}

/// Prints an AST as compact JSONLogic text.
pub fn to_text(n: &Node) -> String {
    json::write_value(&to_value(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for t in [
            r#"{"if":[{"<":[{"var":"a"},1]},"x",{"preserve":[1,2]}]}"#,
            r#"{"var":"a.b"}"#,
            r#"[1,{"var":""},{}]"#,
            r#"{"preserve":{"a":1}}"#,
        ] {
            let n = parse_text(t).unwrap();
            assert_eq!(to_text(&n), t);
            assert_eq!(parse_text(&to_text(&n)).unwrap().without_pos(), n.without_pos());
        }
    }

    #[test]
    fn a_number_too_large_for_a_double_is_refused_under_preserve_too() {
        for (rule, at) in [
            (r#"{"preserve": 1e400}"#, 13),
            (r#"{"<":[1,{"preserve":-1e400}]}"#, 20),
            (r#"{"preserve": [1, {"a": [2, 1E999]}]}"#, 27),
        ] {
            let e = parse_text(rule).unwrap_err();
            assert_eq!(
                (e.pos, e.message.as_str()),
                (at, "number too large (out of the range of a double)"),
                "{rule}"
            );
        }
        assert!(parse_text(r#"{"preserve": [1e300]}"#).is_ok());
    }

    #[test]
    fn multi_key_object_is_an_error() {
        let e = parse_text(r#"{"a": {"var": "x", "y": 1}}"#).unwrap_err();
        assert_eq!(e.pos, 6);
    }
}
