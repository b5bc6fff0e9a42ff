//! The runtime value of the expression engine: JSON's kinds plus exact integers and calendar dates.
//!
//! Numbers are `Int(i64)` while exact (money is integer fen) and `Float(f64)` otherwise; `Date` is a calendar
//! day number (see [`crate::domain::date`]) and prints as `"YYYY-MM-DD"`. Containers are reference counted so
//! that reading a field of the claim is a cheap clone. Coercions follow JavaScript, as JSONLogic does.

use std::sync::Arc;

use crate::json::{JsonKind, JsonNode};

/// An object: members in insertion order, keys unique.
pub type Map = Vec<(Arc<str>, Value)>;

/// A value seen by rules.
#[derive(Debug, Clone, Default)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Arc<str>),
    Array(Arc<Vec<Value>>),
    Object(Arc<Map>),
    /// Days since 1970-01-01 (proleptic Gregorian).
    Date(i32),
    /// A claim field whose value was malformed (reported as a C00 finding). Reading it is an evaluation
    /// error, so a rule that needs it does not fire and an estimate that needs it is null. Prints as null.
    Malformed,
}

impl PartialEq for Value {
    /// Structural equality (numbers compare by value, so `Int(1) == Float(1.0)`).
    fn eq(&self, other: &Value) -> bool {
        use Value::*;
        match (self, other) {
            (Null, Null) => true,
            (Bool(a), Bool(b)) => a == b,
            (Int(a), Int(b)) => a == b,
            (Int(_) | Float(_), Int(_) | Float(_)) => self.as_f64() == other.as_f64(),
            (Str(a), Str(b)) => a == b,
            (Array(a), Array(b)) => a == b,
            (Object(a), Object(b)) => {
                a.len() == b.len() && a.iter().all(|(k, v)| b.iter().any(|(k2, v2)| k == k2 && v == v2))
            }
            (Date(a), Date(b)) => a == b,
            (Malformed, Malformed) => true,
            _ => false,
        }
    }
}

/// Two different strings with the same text (the length and the first byte are checked inline first).
fn same_text(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.as_bytes().first() == b.as_bytes().first() && a.as_bytes() == b.as_bytes()
}

/// Whether a small object's members repeat a key (compared pairwise: for at most 16 members).
fn has_repeat(m: &crate::json::Members) -> bool {
    m.iter()
        .enumerate()
        .any(|(i, (k, _, _))| m.iter().take(i).any(|(k2, _, _)| k2.len() == k.len() && k2 == k))
}

impl Value {
    pub fn str(s: &str) -> Value {
        Value::Str(Arc::from(s))
    }

    pub fn array(v: Vec<Value>) -> Value {
        Value::Array(Arc::new(v))
    }

    pub fn object(m: Map) -> Value {
        Value::Object(Arc::new(m))
    }

    /// Converts a parsed JSON node (a repeated key keeps its last value, as in JavaScript).
    pub fn from_json(n: &JsonNode) -> Value {
        match &n.kind {
            JsonKind::Null => Value::Null,
            JsonKind::Bool(b) => Value::Bool(*b),
            JsonKind::Int(i) => Value::Int(*i),
            JsonKind::Float(f) => Value::Float(*f),
            JsonKind::Str(s) => Value::str(s),
            JsonKind::Array(a) => Value::array(a.iter().map(Value::from_json).collect()),
            JsonKind::Object(m) if m.len() <= 16 && !has_repeat(m) => {
                // The common case (the parser rejects repeated keys unless told otherwise): members as they are.
                Value::object(m.iter().map(|(k, _, v)| (k.clone(), Value::from_json(v))).collect())
            }
            JsonKind::Object(m) => {
                // Repeated keys keep their first place and their last value. Large objects find repeats by
                // sorting, so this is never quadratic.
                let mut keep = vec![true; m.len()];
                let mut last: Vec<usize> = (0..m.len()).collect();
                if m.len() > 16 {
                    let mut ix: Vec<usize> = (0..m.len()).collect();
                    crate::order::sort_positions(&mut ix, &|a, b| {
                        m.get(a).map(|x| &x.0).cmp(&m.get(b).map(|x| &x.0)).then(a.cmp(&b))
                    });
                    for w in ix.windows(2) {
                        if let (Some(&a), Some(&b)) = (w.first(), w.get(1)) {
                            if m.get(a).map(|x| &x.0) == m.get(b).map(|x| &x.0) {
                                // b repeats a: a's place takes b's value (transitively, the last one).
                                let first = last.iter().position(|&l| l == a).unwrap_or(a);
                                if let Some(l) = last.get_mut(first) {
                                    *l = b;
                                }
                                if let Some(k) = keep.get_mut(b) {
                                    *k = false;
                                }
                            }
                        }
                    }
                } else {
                    for (i, (k, _, _)) in m.iter().enumerate() {
                        if let Some(j) = m.iter().take(i).position(|(k2, _, _)| k2 == k) {
                            let first = last.iter().position(|&l| l == j).unwrap_or(j);
                            if let Some(l) = last.get_mut(first) {
                                *l = i;
                            }
                            if let Some(kp) = keep.get_mut(i) {
                                *kp = false;
                            }
                        }
                    }
                }
                let out: Map = m
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| keep.get(*i).copied().unwrap_or(false))
                    .map(|(i, (k, _, _))| {
                        let src = last.get(i).and_then(|&l| m.get(l)).map(|x| &x.2);
                        (k.clone(), src.map(Value::from_json).unwrap_or(Value::Null))
                    })
                    .collect();
                Value::object(out)
            }
        }
    }

    /// The member `key` of an object (claim fields and compiled paths share their key strings, so most
    /// matches are by pointer).
    pub fn get_shared(&self, key: &Arc<str>) -> Option<&Value> {
        match self {
            // By pointer first (claim keys are shared with compiled paths), then by text: the length and the
            // first byte, which tell most keys apart, before the text itself.
            Value::Object(m) => m
                .iter()
                .find(|(k, _)| Arc::ptr_eq(k, key))
                .or_else(|| m.iter().find(|(k, _)| same_text(k, key)))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(m) => m.iter().find(|(k, _)| &**k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(*f as i64),
            _ => None,
        }
    }

    /// The numeric value of a number (not a coercion).
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    pub fn is_number(&self) -> bool {
        matches!(self, Value::Int(_) | Value::Float(_))
    }

    /// JavaScript truthiness (JSONLogic's): `0`, `NaN`, `""`, `[]`, `null` and `false` are false; objects and
    /// dates are true.
    pub fn truthy(&self) -> bool {
        match self {
            Value::Null | Value::Malformed => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0 && !f.is_nan(),
            Value::Str(s) => !s.is_empty(),
            Value::Array(a) => !a.is_empty(),
            Value::Object(_) | Value::Date(_) => true,
        }
    }

    /// The name of the value's type, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Int(_) | Value::Float(_) => "number",
            Value::Str(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
            Value::Date(_) => "date",
            Value::Malformed => "malformed value",
        }
    }

    /// Normalises a float that holds an exact integer back to `Int` (keeps results printable as integers).
    #[inline]
    pub fn number(f: f64) -> Value {
        // `f as i64` truncates (saturating; NaN gives 0), so it gives `f` back exactly when `f` is a whole
        // number in range: the test `f.fract() == 0.0` makes, without the call to `trunc`.
        let i = f as i64;
        if i as f64 == f && f.abs() < 9.0e15 && !(i == 0 && f.is_sign_negative()) {
            Value::Int(i)
        } else {
            Value::Float(f)
        }
    }

    /// JavaScript `String(v)` (arrays join with commas, objects give `[object Object]`, dates `YYYY-MM-DD`).
    pub fn to_js_string(&self) -> String {
        let mut s = String::new();
        self.push_js_string(&mut s, usize::MAX);
        s
    }

    /// The start of `String(v)`: at least `max` bytes of it when it is longer (cut at a character boundary,
    /// so a little more than `max` may be written), built without writing the rest: a list that repeats one
    /// large string a million times costs `max` bytes, not gigabytes.
    pub fn to_js_string_within(&self, max: usize) -> String {
        let mut s = String::new();
        self.push_js_string(&mut s, max);
        s
    }

    fn push_js_string(&self, out: &mut String, max: usize) {
        if out.len() > max {
            return;
        }
        match self {
            Value::Null | Value::Malformed => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i) => out.push_str(&i.to_string()),
            Value::Float(f) => crate::json::push_js_number(out, *f),
            Value::Str(s) if s.len() > max.saturating_sub(out.len()) => {
                let mut end = max.saturating_sub(out.len()).saturating_add(1).min(s.len());
                while !s.is_char_boundary(end) {
                    end += 1;
                }
                out.push_str(s.get(..end).unwrap_or_default());
            }
            Value::Str(s) => out.push_str(s),
            Value::Array(a) => {
                for (i, v) in a.iter().enumerate() {
                    if out.len() > max {
                        return;
                    }
                    if i > 0 {
                        out.push(',');
                    }
                    if !v.is_null() {
                        v.push_js_string(out, max);
                    }
                }
            }
            Value::Object(_) => out.push_str("[object Object]"),
            Value::Date(d) => out.push_str(&crate::domain::date::format_date(*d)),
        }
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Value {
        Value::Int(i)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::str(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::{parse_with, write_value, ParseOptions};

    #[test]
    fn repeated_keys_keep_first_place_and_last_value() {
        let o = ParseOptions {
            allow_duplicate_keys: true,
            ..ParseOptions::default()
        };
        let small = parse_with(r#"{"a":1,"b":2,"a":3,"a":4}"#, o).unwrap();
        assert_eq!(write_value(&Value::from_json(&small)), r#"{"a":4,"b":2}"#);
        let mut big: Vec<String> = (0..40).map(|i| format!("\"k{i}\":{i}")).collect();
        big.push("\"k3\":\"x\"".into());
        big.push("\"k3\":\"y\"".into());
        let text = format!("{{{}}}", big.join(","));
        let v = Value::from_json(&parse_with(&text, o).unwrap());
        assert_eq!(v.get("k3"), Some(&Value::str("y")));
        assert_eq!(v.get("k39"), Some(&Value::Int(39)));
        assert_eq!(write_value(&v).matches("\"k3\"").count(), 1);
        assert!(crate::json::parse(&text).is_err());
    }
}
