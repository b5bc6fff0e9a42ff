//! What changed between two reports of the same claim, for a form that redraws only what changed: the
//! findings added (each with `at`, its index in the new report's findings) and removed (compared whole,
//! each matched once), every other member of the report that differs as `{before, after}` (status, route,
//! missing_documents, estimate, ...), and the payable amount when it differs. Applying the changes to the
//! previous report gives the new one exactly (npm: `applyChanges`).

use std::sync::Arc;

use super::diff::same;
use crate::value::Value;

/// The changes from `before` (`None`: nothing shown yet) to `after`, as
/// `{"changed", "added", "removed", <member>?..., "payable"?}`: each member of `after` other than `schema`
/// and `findings` (in the report's order) and `payable` (`estimate.payable`, null without an estimate) is
/// present as `{"before", "after"}` only when it differs. Values compare as [`same`] does (a report holds
/// no numbers, so that is equality; a value shared with the report before is equal at a glance).
pub fn changes(before: Option<&Value>, after: &Value) -> Value {
    let old = findings(before);
    let new = findings(Some(after));
    let mut unmatched: Vec<Option<&Value>> = old.iter().map(Some).collect();
    let mut added = Vec::new();
    for (at, f) in new.iter().enumerate() {
        match unmatched.iter_mut().find(|o| o.is_some_and(|o| same(o, f))) {
            Some(slot) => *slot = None,
            None => added.push(with_index(f, at)),
        }
    }
    let removed: Vec<Value> = unmatched.into_iter().flatten().cloned().collect();
    let mut changed = !added.is_empty() || !removed.is_empty();
    let mut out = vec![
        (Arc::from("changed"), Value::Bool(false)),
        (Arc::from("added"), Value::array(added)),
        (Arc::from("removed"), Value::array(removed)),
    ];
    let members: &[(Arc<str>, Value)] = match after {
        Value::Object(m) => m,
        _ => &[],
    };
    let mut diff = |key: &Arc<str>, b: Value, a: Value| {
        if !same(&b, &a) {
            changed = true;
            out.push((
                key.clone(),
                Value::object(vec![(Arc::from("before"), b), (Arc::from("after"), a)]),
            ));
        }
    };
    for (key, a) in members {
        if &**key == "findings" || (&**key == "schema" && before.is_some()) {
            continue;
        }
        diff(key, field(before, key), a.clone());
    }
    diff(&Arc::from("payable"), payable(before), payable(Some(after)));
    if let Some((_, c)) = out.first_mut() {
        *c = Value::Bool(changed);
    }
    Value::object(out)
}

/// The delta from `before` to `after` that a session's `report()` applies to the report object it returned
/// last (internal to the npm package: the object's unchanged parts stay shared): `{}` when nothing changed;
/// `{"full": after}` when there is no `before` or the reports' members differ in name or order; else
/// `{"m"?: {member: value, ...}, "r"?: [index, ...], "a"?: [[at, finding], ...]}`: the changed members
/// other than `findings`, the indices (ascending) of the findings of `before` removed, then the findings
/// added, each at its index in the new findings (ascending). Values compare as [`same`] does (numbers bit
/// for bit).
pub fn delta(before: Option<&Value>, after: &Value) -> Value {
    let (Some(Value::Object(b)), Value::Object(a)) = (before, after) else {
        return full(after);
    };
    if b.len() != a.len() || b.iter().zip(a.iter()).any(|((k1, _), (k2, _))| k1 != k2) {
        return full(after);
    }
    let mut members = Vec::new();
    for ((k, old), (_, new)) in b.iter().zip(a.iter()) {
        if &**k != "findings" && !same(old, new) {
            members.push((k.clone(), new.clone()));
        }
    }
    let old = findings(before);
    let new = findings(Some(after));
    let mut kept = vec![false; old.len()];
    let mut added = Vec::new();
    // Findings keep their order, so the next unmatched one is the likely match: look there first.
    let mut from = 0;
    for (at, f) in new.iter().enumerate() {
        let hit = (from..old.len())
            .chain(0..from.min(old.len()))
            .find(|&i| !kept.get(i).copied().unwrap_or(true) && old.get(i).is_some_and(|o| same(o, f)));
        match hit {
            // A kept finding before one kept already: the order changed, which the delta cannot say.
            Some(i) if i < from && kept.iter().skip(i).any(|k| *k) => {
                return full(after);
            }
            Some(i) => {
                if let Some(k) = kept.get_mut(i) {
                    *k = true;
                }
                from = i + 1;
            }
            None => added.push(Value::array(vec![index(at), f.clone()])),
        }
    }
    let removed: Vec<Value> = kept
        .iter()
        .enumerate()
        .filter(|(_, k)| !**k)
        .map(|(i, _)| index(i))
        .collect();
    let mut out = Vec::new();
    if !members.is_empty() {
        out.push((Arc::from("m"), Value::object(members)));
    }
    if !removed.is_empty() {
        out.push((Arc::from("r"), Value::array(removed)));
    }
    if !added.is_empty() {
        out.push((Arc::from("a"), Value::array(added)));
    }
    Value::object(out)
}

/// The delta that replaces the whole report.
fn full(after: &Value) -> Value {
    Value::object(vec![(Arc::from("full"), after.clone())])
}

fn index(i: usize) -> Value {
    Value::Int(i64::try_from(i).unwrap_or(i64::MAX))
}

/// A finding with `at`, its index in the new report's findings.
fn with_index(f: &Value, at: usize) -> Value {
    let mut members = match f {
        Value::Object(m) => m.to_vec(),
        _ => Vec::new(),
    };
    members.push((Arc::from("at"), index(at)));
    Value::object(members)
}

fn findings(report: Option<&Value>) -> &[Value] {
    report
        .and_then(|r| r.get("findings"))
        .and_then(Value::as_array)
        .unwrap_or_default()
}

fn field(report: Option<&Value>, key: &str) -> Value {
    report.and_then(|r| r.get(key)).cloned().unwrap_or(Value::Null)
}

fn payable(report: Option<&Value>) -> Value {
    report
        .and_then(|r| r.get("estimate"))
        .and_then(|e| e.get("payable"))
        .cloned()
        .unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::{parse, write_value};

    fn v(t: &str) -> Value {
        Value::from_json(&parse(t).unwrap())
    }

    /// Two reports of one claim: a finding removed (one of two equal ones and another), one added, the
    /// payable changed.
    fn two_reports() -> (Value, Value) {
        let a = v(
            r#"{"status":"ready","route":"standard","findings":[{"rule":"W1"},{"rule":"W1"},{"rule":"C02"}],"estimate":{"payable":"10.00"}}"#,
        );
        let b = v(
            r#"{"status":"ready","route":"standard","findings":[{"rule":"W1"},{"rule":"E03"}],"estimate":{"payable":"12.00"}}"#,
        );
        (a, b)
    }

    #[test]
    fn first_call_adds_everything() {
        let r = v(r#"{"status":"review","route":"manual","findings":[{"rule":"C01"}],"estimate":null}"#);
        assert_eq!(
            write_value(&changes(None, &r)),
            r#"{"changed":true,"added":[{"rule":"C01","at":0}],"removed":[],"status":{"before":null,"after":"review"},"route":{"before":null,"after":"manual"}}"#
        );
        assert_eq!(
            write_value(&changes(Some(&r), &r)),
            r#"{"changed":false,"added":[],"removed":[]}"#
        );
    }

    #[test]
    fn findings_are_matched_once_and_payable_compared() {
        let (a, b) = two_reports();
        assert_eq!(
            write_value(&changes(Some(&a), &b)),
            r#"{"changed":true,"added":[{"rule":"E03","at":1}],"removed":[{"rule":"W1"},{"rule":"C02"}],"estimate":{"before":{"payable":"10.00"},"after":{"payable":"12.00"}},"payable":{"before":"10.00","after":"12.00"}}"#
        );
    }

    #[test]
    fn deltas_name_what_changed() {
        let (a, b) = two_reports();
        assert_eq!(
            write_value(&delta(Some(&a), &b)),
            r#"{"m":{"estimate":{"payable":"12.00"}},"r":[1,2],"a":[[1,{"rule":"E03"}]]}"#
        );
        assert_eq!(write_value(&delta(Some(&b), &b)), "{}");
        assert_eq!(
            write_value(&delta(None, &v(r#"{"findings":[]}"#))),
            r#"{"full":{"findings":[]}}"#
        );
        let c = v(r#"{"route":"standard","status":"ready","findings":[]}"#);
        assert_eq!(
            write_value(&delta(Some(&a), &c)),
            format!("{{\"full\":{}}}", write_value(&c))
        );
    }
}
