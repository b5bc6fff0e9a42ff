//! JSON text straight to a [`Value`], without the [`JsonNode`](super::JsonNode) tree: for data that needs no
//! byte offsets (the JSONLogic API's data). The same grammar and limits as [`super::parse`] with the default
//! options (depth 256, repeated keys rejected, lone surrogates rejected); on any error the text is parsed
//! again by [`super::parse`], so the error (message and offset) is exactly that parser's.

use std::sync::Arc;

use super::parse::{JsonError, JsonKind, ParseOptions, Parser};
use crate::value::{Map, Value};

/// Objects up to this many members are checked for repeated keys member by member; larger ones by sorting.
const SMALL_OBJECT: usize = 16;

/// Parses `text` as one JSON value into a [`Value`] (what `Value::from_json(&parse(text)?)` gives).
pub fn parse_value(text: &str) -> Result<Value, JsonError> {
    parse_value_with(text, &[])
}

/// [`parse_value`], taking object keys from `keys` (sorted by text) when one has the same text: no
/// allocation for them, and a rule whose compiled paths hold those strings matches them by pointer.
pub fn parse_value_with(text: &str, keys: &[Arc<str>]) -> Result<Value, JsonError> {
    let mut b = Builder {
        p: Parser::new(text, ParseOptions::default()),
        keys,
        items: Vec::new(),
        members: Vec::new(),
    };
    match b.value(0) {
        Some(v) if b.p.at_end() => Ok(v),
        _ => match super::parse(text) {
            // Unreachable when both parsers agree (a test compares them); the message says what happened.
            Ok(_) => Err(JsonError {
                offset: 0,
                message: "the text was read differently by the two parsers".into(),
                limit: false,
            }),
            Err(e) => Err(e),
        },
    }
}

struct Builder<'a> {
    p: Parser<'a>,
    keys: &'a [Arc<str>],
    /// The elements and members of the containers being read, innermost last (as in the tree parser).
    items: Vec<Value>,
    members: Map,
}

impl Builder<'_> {
    fn value(&mut self, depth: usize) -> Option<Value> {
        match self.p.peek()? {
            b'{' => self.object(depth),
            b'[' => self.array(depth),
            b'"' => self.p.shared_string().ok().map(Value::Str),
            b't' => self
                .p
                .word("true", JsonKind::Bool(true))
                .ok()
                .map(|_| Value::Bool(true)),
            b'f' => self
                .p
                .word("false", JsonKind::Bool(false))
                .ok()
                .map(|_| Value::Bool(false)),
            b'n' => self.p.word("null", JsonKind::Null).ok().map(|_| Value::Null),
            b'-' | b'0'..=b'9' => match self.p.number().ok()? {
                JsonKind::Int(i) => Some(Value::Int(i)),
                JsonKind::Float(f) => Some(Value::Float(f)),
                _ => None,
            },
            _ => None,
        }
    }

    fn array(&mut self, depth: usize) -> Option<Value> {
        let depth = self.p.enter(depth).ok()?;
        self.p.bump();
        self.p.ws();
        if self.p.peek() == Some(b']') {
            self.p.bump();
            return Some(Value::array(Vec::new()));
        }
        let start = self.items.len();
        loop {
            self.p.ws();
            let v = self.value(depth)?;
            self.items.push(v);
            self.p.ws();
            match self.p.peek()? {
                b',' => self.p.bump(),
                b']' => {
                    self.p.bump();
                    return Some(Value::array(self.items.drain(start..).collect()));
                }
                _ => return None,
            }
        }
    }

    fn object(&mut self, depth: usize) -> Option<Value> {
        let depth = self.p.enter(depth).ok()?;
        self.p.bump();
        self.p.ws();
        if self.p.peek() == Some(b'}') {
            self.p.bump();
            return Some(Value::object(Vec::new()));
        }
        let start = self.members.len();
        loop {
            self.p.ws();
            if self.p.peek() != Some(b'"') {
                return None;
            }
            let key = match self.p.plain_string() {
                Some(raw) => match self.keys.binary_search_by(|k| (**k).cmp(raw)) {
                    Ok(i) => self.keys.get(i)?.clone(),
                    Err(_) => Arc::from(raw),
                },
                None => self.p.shared_string().ok()?,
            };
            let members = self.members.get(start..).unwrap_or_default();
            if members.len() < SMALL_OBJECT && members.iter().any(|(k, _)| *k == key) {
                return None;
            }
            self.p.ws();
            if self.p.peek() != Some(b':') {
                return None;
            }
            self.p.bump();
            self.p.ws();
            let v = self.value(depth)?;
            self.members.push((key, v));
            self.p.ws();
            match self.p.peek()? {
                b',' => self.p.bump(),
                b'}' => {
                    self.p.bump();
                    let members = self.members.get(start..).unwrap_or_default();
                    if members.len() > SMALL_OBJECT && repeats(members) {
                        return None;
                    }
                    return Some(Value::object(self.members.drain(start..).collect()));
                }
                _ => return None,
            }
        }
    }
}

/// Whether a large object repeats a key (found by sorting its keys: never quadratic).
fn repeats(members: &[(Arc<str>, Value)]) -> bool {
    any_repeated(members.iter().map(|(k, _)| &**k).collect())
}

/// Whether a list of keys holds one twice (found by sorting: never quadratic).
pub(crate) fn any_repeated(mut keys: Vec<&str>) -> bool {
    keys.sort_unstable();
    keys.windows(2).any(|w| w.first() == w.get(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::{parse, write_value};

    /// The direct parser gives what the tree parser and `Value::from_json` give, value or error.
    #[test]
    fn agrees_with_the_tree_parser() {
        let big: String = (0..40).map(|i| format!("\"k{i}\":{i},")).collect();
        let texts = [
            r#" {"a": [1, -2.5, "x\u00e9\ud83d\ude00"], "b": null, "c": true, "d": false, "e": {}} "#.to_string(),
            "\u{feff}[1e400, 0.1, -0, 12345678901234567890, \"\\\"\\n\"]".to_string(),
            format!("{{{big}\"z\":[]}}"),
            format!("{{{big}\"k3\":1}}"),
            "{\"a\":1,\"a\":2}".to_string(),
            "[1,]".to_string(),
            "\"\\ud800\"".to_string(),
            "[1] x".to_string(),
            "".to_string(),
            "nul".to_string(),
            "{\"a\" 1}".to_string(),
            "[".repeat(300),
            format!("{}{}", "[".repeat(256), "]".repeat(256)),
            format!("{}{}", "[".repeat(257), "]".repeat(257)),
        ];
        let keys: Vec<Arc<str>> = ["a", "k3", "z"].into_iter().map(Arc::from).collect();
        for t in &texts {
            let tree = parse(t).map(|n| write_value(&Value::from_json(&n)));
            let direct = parse_value(t).map(|v| write_value(&v));
            assert_eq!(direct, tree, "{t}");
            assert_eq!(parse_value_with(t, &keys).map(|v| write_value(&v)), tree, "{t}");
        }
    }

    #[test]
    fn keys_come_from_the_table() {
        let keys: Vec<Arc<str>> = ["a", "b"].into_iter().map(Arc::from).collect();
        let v = parse_value_with(r#"{"b": {"a": 1, "c": 2}}"#, &keys).unwrap();
        let Value::Object(m) = &v else { panic!("not an object") };
        assert!(Arc::ptr_eq(&m[0].0, &keys[1]));
        let Value::Object(inner) = &m[0].1 else {
            panic!("not an object")
        };
        assert!(Arc::ptr_eq(&inner[0].0, &keys[0]));
        assert_eq!(&*inner[1].0, "c");
        assert_eq!(
            v.get_shared(&keys[1]).and_then(|b| b.get_shared(&keys[0])),
            Some(&Value::Int(1))
        );
    }
}
