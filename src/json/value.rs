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

/// The order of a key table: by length, then by bytes (most keys are told apart by their length alone, so
/// a look-up compares few bytes).
pub fn key_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.len().cmp(&b.len()).then_with(|| a.as_bytes().cmp(b.as_bytes()))
}

/// [`parse_value`], taking object keys from `keys` (sorted by [`key_order`]) when one has the same text: no
/// allocation for them, and a rule whose compiled paths hold those strings matches them by pointer.
pub fn parse_value_with(text: &str, keys: &[Arc<str>]) -> Result<Value, JsonError> {
    parse(text, keys, None)
}

/// [`parse_value_with`], building only what a rule reaches ([`crate::expr::projection`]): `whole[i]` says
/// whether the member named `keys[i]` is kept whole; a member whose key is not in `keys` is skipped, the
/// others are walked through (their objects keep only members named in `keys`). Skipped text is checked as
/// strictly as the rest: the same errors as [`parse_value`], and the same value wherever the rule reads.
pub fn parse_value_projected(text: &str, keys: &[Arc<str>], whole: &[bool]) -> Result<Value, JsonError> {
    parse(text, keys, Some(whole))
}

fn parse(text: &str, keys: &[Arc<str>], whole: Option<&[bool]>) -> Result<Value, JsonError> {
    let mut b = Builder {
        p: Parser::new(text, ParseOptions::default()),
        keys,
        whole: whole.unwrap_or_default(),
        items: Vec::new(),
        members: Vec::new(),
        names: Vec::new(),
        escaped: false,
    };
    let mode = if whole.is_some() { Mode::Walk } else { Mode::All };
    match b.value(0, mode) {
        Some(v) if b.p.at_end() => Ok(v),
        // A key with escapes where members are picked by name: read it all instead.
        _ if b.escaped => parse(text, keys, None),
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

/// How much of a value is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// All of it.
    All,
    /// Objects keep only the members whose keys are in the table (whole or walked through, as it says).
    Walk,
    /// Nothing: the text is only checked (a value no path reaches).
    Skip,
}

struct Builder<'a> {
    p: Parser<'a>,
    keys: &'a [Arc<str>],
    whole: &'a [bool],
    /// The elements and members of the containers being read, innermost last (as in the tree parser).
    items: Vec<Value>,
    members: Map,
    /// The keys of the objects read in [`Mode::Walk`] or skipped, innermost last (repeats are errors there
    /// too).
    names: Vec<&'a str>,
    /// A key with escapes was met where keys are matched by name.
    escaped: bool,
}

impl<'a> Builder<'a> {
    /// A value read in `mode` (in [`Mode::Skip`], checked and given as null).
    fn value(&mut self, depth: usize, mode: Mode) -> Option<Value> {
        match self.p.peek()? {
            b'{' if mode == Mode::All => self.object(depth),
            b'{' => self.walk_object(depth, mode),
            b'[' => self.array(depth, mode),
            b'"' if mode == Mode::Skip => match self.p.plain_string() {
                Some(_) => Some(Value::Null),
                None => self.p.string().ok().map(|_| Value::Null),
            },
            b'"' => self.p.shared_string().ok().map(Value::Str),
            b'-' | b'0'..=b'9' if mode == Mode::Skip => self.p.number_text().ok().map(|_| Value::Null),
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

    fn array(&mut self, depth: usize, mode: Mode) -> Option<Value> {
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
            let v = self.value(depth, mode)?;
            if mode != Mode::Skip {
                self.items.push(v);
            }
            self.p.ws();
            match self.p.peek()? {
                b',' => self.p.bump(),
                b']' => {
                    self.p.bump();
                    if mode == Mode::Skip {
                        return Some(Value::Null);
                    }
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
                Some(raw) => match self.keys.binary_search_by(|k| key_order(k, raw)) {
                    Ok(i) => self.keys.get(i)?.clone(),
                    Err(_) => Arc::from(raw),
                },
                None => self.p.shared_string().ok()?,
            };
            let members = self.members.get(start..).unwrap_or_default();
            if members.len() < SMALL_OBJECT && members.iter().any(|(k, _)| *k == key) {
                return None;
            }
            self.colon()?;
            let v = self.value(depth, Mode::All)?;
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

    /// White space, `:` and white space after a key.
    fn colon(&mut self) -> Option<()> {
        self.p.ws();
        if self.p.peek() != Some(b':') {
            return None;
        }
        self.p.bump();
        self.p.ws();
        Some(())
    }

    /// The next key of an object read by name (its repeats checked against `names[start..]`).
    fn name(&mut self, start: usize) -> Option<&'a str> {
        self.p.ws();
        if self.p.peek() != Some(b'"') {
            return None;
        }
        let Some(raw) = self.p.plain_string() else {
            self.escaped = true;
            return None;
        };
        let names = self.names.get(start..).unwrap_or_default();
        if names.len() < SMALL_OBJECT && names.contains(&raw) {
            return None;
        }
        self.names.push(raw);
        Some(raw)
    }

    /// After a member of an object read by name: `Some(true)` at its end (its keys then checked for
    /// repeats and dropped), `Some(false)` before the next member.
    fn next_member(&mut self, start: usize) -> Option<bool> {
        self.p.ws();
        match self.p.peek()? {
            b',' => {
                self.p.bump();
                Some(false)
            }
            b'}' => {
                self.p.bump();
                let names = self.names.get(start..).unwrap_or_default();
                if names.len() > SMALL_OBJECT && any_repeated(names.to_vec()) {
                    return None;
                }
                self.names.truncate(start);
                Some(true)
            }
            _ => None,
        }
    }

    /// An object in [`Mode::Walk`] (the members named in the key table, the others skipped) or in
    /// [`Mode::Skip`].
    fn walk_object(&mut self, depth: usize, mode: Mode) -> Option<Value> {
        let depth = self.p.enter(depth).ok()?;
        self.p.bump();
        self.p.ws();
        let start = self.members.len();
        if self.p.peek() != Some(b'}') {
            let names = self.names.len();
            loop {
                let raw = self.name(names)?;
                self.colon()?;
                let found = match mode {
                    Mode::Skip => None,
                    _ => self.keys.binary_search_by(|k| key_order(k, raw)).ok(),
                };
                match found.and_then(|i| Some((self.keys.get(i)?, self.whole.get(i)?))) {
                    Some((key, &whole)) => {
                        let v = self.value(depth, if whole { Mode::All } else { Mode::Walk })?;
                        self.members.push((key.clone(), v));
                    }
                    None => {
                        self.value(depth, Mode::Skip)?;
                    }
                }
                if self.next_member(names)? {
                    break;
                }
            }
        } else {
            self.p.bump();
        }
        Some(match mode {
            Mode::Skip => Value::Null,
            _ => Value::object(self.members.drain(start..).collect()),
        })
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
        let keys: Vec<Arc<str>> = ["a", "z", "k3"].into_iter().map(Arc::from).collect();
        for t in &texts {
            let tree = parse(t).map(|n| write_value(&Value::from_json(&n)));
            let direct = parse_value(t).map(|v| write_value(&v));
            assert_eq!(direct, tree, "{t}");
            assert_eq!(parse_value_with(t, &keys).map(|v| write_value(&v)), tree, "{t}");
            // Projected: the same errors; every key kept whole reads the same.
            let projected = parse_value_projected(t, &keys, &[true, true, true]).map(|v| write_value(&v));
            assert_eq!(projected.is_ok(), tree.is_ok(), "{t}");
            if let Err(e) = &tree {
                assert_eq!(projected.as_ref().err(), Some(e), "{t}");
            }
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
