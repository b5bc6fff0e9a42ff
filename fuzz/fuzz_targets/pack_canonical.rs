//! The canonical form a pack signature covers: two pack texts have the same canonical bytes exactly when
//! the loader reads the same document from them (so a signed pack cannot be changed and still verify), and
//! a text has canonical bytes exactly when the loader can read its JSON (`1e400` has neither).
//!
//! Input: two texts separated by a NUL byte, compared with each other; or one text, compared with variants
//! of itself that try to keep the bytes and change the value, or keep the value and change the bytes:
//! every number rewritten (`1` → `1.0`, `1e0`, `-0`; `0.5` → `5e-1`), `null` replaced by `1e400`,
//! `-1e400` or `1E999` (the attack of issue 13), escapes spelled out, and the document printed back with
//! every object's keys in reverse order.
#![no_main]

use libfuzzer_sys::fuzz_target;
use preclaim::json::{self, JsonKind, JsonNode};
use preclaim::pack::load::parse_json;
use preclaim::pack::signature::canonical_bytes_of_text;
use preclaim::value::Value;

#[path = "../common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let (a, b) = common::split_nul(data);
    let Ok(a) = std::str::from_utf8(a) else { return };
    if data.contains(&0) {
        if let Ok(b) = std::str::from_utf8(b) {
            compare(a, b);
        }
        return;
    }
    for v in variants(a) {
        compare(a, &v);
    }
});

/// The loader's document and the canonical bytes of one text: both or neither.
fn read(text: &str) -> Option<(JsonNode, Vec<u8>)> {
    let doc = parse_json(text);
    let canon = canonical_bytes_of_text(text);
    match (doc, canon) {
        (Ok(d), Ok(c)) => Some((d, c)),
        (Err(_), Err(_)) => None,
        (d, c) => panic!("the loader and the canonical form disagree on {text:?}: {d:?} / {c:?}"),
    }
}

fn compare(a: &str, b: &str) {
    let (Some((da, ca)), Some((db, cb))) = (read(a), read(b)) else { return };
    let same = same_document(&da, &db, true);
    assert_eq!(
        ca == cb,
        same,
        "same canonical bytes: {}, same document: {same}\n  a: {a:?}\n  b: {b:?}\n  canonical a: {}\n  canonical b: {}",
        ca == cb,
        String::from_utf8_lossy(&ca),
        String::from_utf8_lossy(&cb)
    );
}

/// Strict equality of what the loader read: an integer is not a double, doubles compare by their bits,
/// objects by their members in any order; the top-level `signature` is not part of the document.
fn same_document(a: &JsonNode, b: &JsonNode, top: bool) -> bool {
    match (&a.kind, &b.kind) {
        (JsonKind::Null, JsonKind::Null) => true,
        (JsonKind::Bool(x), JsonKind::Bool(y)) => x == y,
        (JsonKind::Int(x), JsonKind::Int(y)) => x == y,
        (JsonKind::Float(x), JsonKind::Float(y)) => x.to_bits() == y.to_bits(),
        (JsonKind::Str(x), JsonKind::Str(y)) => x == y,
        (JsonKind::Array(x), JsonKind::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_document(p, q, false))
        }
        (JsonKind::Object(x), JsonKind::Object(y)) => {
            let members = |m: &Vec<(std::sync::Arc<str>, u32, JsonNode)>| {
                let mut v: Vec<(String, JsonNode)> = m
                    .iter()
                    .filter(|(k, _, _)| !(top && &**k == "signature"))
                    .map(|(k, _, n)| (k.to_string(), n.clone()))
                    .collect();
                v.sort_by(|p, q| p.0.as_bytes().cmp(q.0.as_bytes()));
                v
            };
            let (mx, my) = (members(x), members(y));
            mx.len() == my.len()
                && mx
                    .iter()
                    .zip(&my)
                    .all(|(p, q)| p.0 == q.0 && same_document(&p.1, &q.1, false))
        }
        _ => false,
    }
}

/// Texts that differ from `text` in one way each.
fn variants(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for rewrite in [
        |n: &str| format!("{n}.0"),
        |n: &str| format!("{n}e0"),
        |n: &str| format!("{n}0e-1"),
        |n: &str| if n.starts_with('-') { n[1..].to_string() } else { format!("-{n}") },
        |n: &str| format!("{}1", n),
    ] {
        out.push(map_numbers(text, rewrite));
    }
    for big in ["1e400", "-1e400", "1E999", "0", "false", "\"\""] {
        out.push(text.replacen("null", big, 1));
    }
    out.push(text.replacen("\\u0041", "A", 1));
    out.push(text.replacen('A', "\\u0041", 1));
    out.push(text.replacen("\\/", "/", 1));
    if let Ok(n) = json::parse(text) {
        out.push(json::write_value(&reversed(&Value::from_json(&n))));
    }
    out
}

/// Applies `f` to every number token outside strings.
fn map_numbers(text: &str, f: fn(&str) -> String) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut chars = text.char_indices().peekable();
    let mut in_string = false;
    while let Some((i, c)) = chars.next() {
        if in_string {
            out.push(c);
            if c == '\\' {
                if let Some((_, e)) = chars.next() {
                    out.push(e);
                }
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if c == '-' || c.is_ascii_digit() {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                if d.is_ascii_digit() || matches!(d, '.' | 'e' | 'E' | '+' | '-') {
                    end = j + d.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            out.push_str(&f(&text[i..end]));
        } else {
            out.push(c);
        }
    }
    out
}

/// The value with every object's members in reverse order.
fn reversed(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::object(m.iter().rev().map(|(k, x)| (k.clone(), reversed(x))).collect()),
        Value::Array(a) => Value::array(a.iter().map(reversed).collect()),
        other => other.clone(),
    }
}
