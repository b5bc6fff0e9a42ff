//! What changed between two values, as paths ([`Change`]): lists of the same length and objects with the
//! same keys in the same order are compared member by member (`invoices[0].total`), anything else that
//! differs is one change at its path. Shared values (the same `Arc`) are equal without a look inside, so
//! comparing a session's decoded claim with the previous one costs about the edited field. Numbers compare
//! bit for bit, so a change is never missed; too many changes under one member collapse into one change of
//! the member (which every read of it, or below it, meets).

use std::sync::Arc;

use crate::expr::reads::{Change, Step, CLAIM};
use crate::expr::SlotValue;
use crate::value::Value;

/// More changes than this under one top-level member are one change of the member.
const MAX_CHANGES: usize = 16;

/// Whether two values are the same to every rule: same kinds, numbers bit for bit, members in order.
pub fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) | (Value::Malformed, Value::Malformed) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => x.to_bits() == y.to_bits(),
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::Date(x), Value::Date(y)) => x == y,
        (Value::Array(x), Value::Array(y)) => {
            Arc::ptr_eq(x, y) || (x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| same(p, q)))
        }
        (Value::Object(x), Value::Object(y)) => {
            Arc::ptr_eq(x, y)
                || (x.len() == y.len()
                    && x.iter()
                        .zip(y.iter())
                        .all(|((k1, v1), (k2, v2))| k1 == k2 && same(v1, v2)))
        }
        _ => false,
    }
}

/// The changes between two decoded claims, member by member (`None`: not two objects, so anything
/// changed).
pub fn claim_changes(before: &Value, after: &Value) -> Option<Vec<Change>> {
    let (Value::Object(b), Value::Object(a)) = (before, after) else {
        return None;
    };
    let mut out = Vec::new();
    if Arc::ptr_eq(a, b) {
        return Some(out);
    }
    let missing = Value::Null;
    let (mut next, mut found) = (0, 0);
    for (k, v) in a.iter() {
        // Members in the same order: found without a search, and a shared one skipped without a call.
        let at = match b.get(next) {
            Some((k2, _)) if key_eq(k2, k) => Some(next),
            _ => b.iter().position(|(k2, _)| key_eq(k2, k)),
        };
        let old = at.and_then(|i| b.get(i)).map(|(_, v)| v);
        if let Some(i) = at {
            next = i + 1;
            found += 1;
        }
        if let Some(old) = old {
            if shared(old, v) {
                continue;
            }
        }
        member(old.unwrap_or(&missing), v, CLAIM, Step::Key(k.clone(), None), &mut out);
    }
    // Every member of `before` was found (names are unique): none was removed.
    if found == b.len() {
        return Some(out);
    }
    for (k, _) in b.iter() {
        if !a.iter().any(|(k2, _)| key_eq(k2, k)) {
            out.push(Change::new(CLAIM, vec![Step::Key(k.clone(), None)]));
        }
    }
    Some(out)
}

/// Whether two member names are the same (shared names, as the decoder's, at a glance).
fn key_eq(a: &Arc<str>, b: &Arc<str>) -> bool {
    Arc::ptr_eq(a, b) || a == b
}

/// Whether two values are the same one (shared), or equal scalars.
fn shared(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Array(x), Value::Array(y)) => Arc::ptr_eq(x, y),
        (Value::Object(x), Value::Object(y)) => Arc::ptr_eq(x, y),
        (Value::Array(_) | Value::Object(_), _) | (_, Value::Array(_) | Value::Object(_)) => false,
        _ => same(a, b),
    }
}

/// The changes between two results of derived value `slot`, added to `out`.
pub fn slot_changes(before: &SlotValue, after: &SlotValue, slot: u32, out: &mut Vec<Change>) {
    match (before, after) {
        (Ok(b), Ok(a)) => {
            let start = out.len();
            let mut path = Vec::new();
            walk(b, a, slot, &mut path, out);
            collapse(out, start, slot, Vec::new());
        }
        (Err(b), Err(a)) if b == a => {}
        _ => out.push(Change::new(slot, Vec::new())),
    }
}

/// The changes under one top-level member.
fn member(b: &Value, a: &Value, root: u32, key: Step, out: &mut Vec<Change>) {
    let start = out.len();
    let mut path = vec![key];
    walk(b, a, root, &mut path, out);
    collapse(out, start, root, path);
}

/// Too many changes since `start`: one change at `path` instead.
fn collapse(out: &mut Vec<Change>, start: usize, root: u32, path: Vec<Step>) {
    if out.len().saturating_sub(start) > MAX_CHANGES {
        out.truncate(start);
        out.push(Change::new(root, path));
    }
}

fn walk(b: &Value, a: &Value, root: u32, path: &mut Vec<Step>, out: &mut Vec<Change>) {
    match (b, a) {
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            if Arc::ptr_eq(x, y) {
                return;
            }
            for (i, (p, q)) in x.iter().zip(y.iter()).enumerate() {
                path.push(Step::Index(i));
                walk(p, q, root, path, out);
                path.pop();
            }
        }
        (Value::Object(x), Value::Object(y))
            if x.len() == y.len() && x.iter().zip(y.iter()).all(|((k1, _), (k2, _))| key_eq(k1, k2)) =>
        {
            if Arc::ptr_eq(x, y) {
                return;
            }
            for ((k, p), (_, q)) in x.iter().zip(y.iter()) {
                path.push(Step::Key(k.clone(), None));
                walk(p, q, root, path, out);
                path.pop();
            }
        }
        _ => {
            if !same(b, a) {
                out.push(Change::new(root, path.clone()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    fn v(t: &str) -> Value {
        Value::from_json(&parse(t).unwrap())
    }

    fn shown(c: &[Change]) -> Vec<String> {
        c.iter()
            .map(|c| {
                c.steps
                    .iter()
                    .map(|s| match s {
                        Step::Key(k, _) => format!(".{k}"),
                        Step::Index(i) => format!("[{i}]"),
                        Step::Each => "[*]".into(),
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn changes_are_found_at_field_and_element_level() {
        let a = v(r#"{"invoices":[{"total":1,"items":[1,2]},{"total":2}],"benefit":"inpatient"}"#);
        let b = v(r#"{"invoices":[{"total":1,"items":[1,3]},{"total":5}],"cause":"x"}"#);
        let c = claim_changes(&a, &b).unwrap();
        assert_eq!(
            shown(&c),
            [".invoices[0].items[1]", ".invoices[1].total", ".cause", ".benefit"]
        );
        let d = v(r#"{"invoices":[{"total":1}]}"#);
        assert_eq!(shown(&claim_changes(&a, &d).unwrap()), [".invoices", ".benefit"]);
        assert_eq!(claim_changes(&a, &a.clone()).unwrap(), []);
        assert_eq!(claim_changes(&a, &v("[]")), None);
        // Numbers compare bit for bit: 1 and 1.0 differ to a rule that prints them.
        assert_eq!(
            shown(&claim_changes(&v(r#"{"x":1}"#), &v(r#"{"x":1.0}"#)).unwrap()),
            [".x"]
        );
    }

    #[test]
    fn many_changes_collapse_into_their_member() {
        let a = v(&format!("{{\"l\":[{}]}}", vec!["1"; 40].join(",")));
        let b = v(&format!("{{\"l\":[{}]}}", vec!["2"; 40].join(",")));
        assert_eq!(shown(&claim_changes(&a, &b).unwrap()), [".l"]);
        let mut out = Vec::new();
        slot_changes(&Ok(a.clone()), &Ok(b), 3, &mut out);
        assert_eq!(out, [Change::new(3, vec![])]);
        out.clear();
        slot_changes(&Ok(a.clone()), &Ok(a), 3, &mut out);
        assert!(out.is_empty());
    }
}
