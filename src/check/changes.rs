//! What changed between two reports of the same claim, for a form that redraws only what changed: the
//! findings added and removed (compared whole, each matched once), and the status, route and payable
//! amount before and after when they differ.

use std::sync::Arc;

use crate::value::Value;

/// The changes from `before` (`None`: nothing shown yet) to `after`, as
/// `{"changed", "added", "removed", "status"?, "route"?, "payable"?}` where each of the last three is
/// `{"before", "after"}` and present only when it differs.
pub fn changes(before: Option<&Value>, after: &Value) -> Value {
    let old = findings(before);
    let new = findings(Some(after));
    let mut unmatched: Vec<Option<&Value>> = old.iter().map(Some).collect();
    let mut added = Vec::new();
    for f in new {
        match unmatched.iter_mut().find(|o| o.is_some_and(|o| o == f)) {
            Some(slot) => *slot = None,
            None => added.push(f.clone()),
        }
    }
    let removed: Vec<Value> = unmatched.into_iter().flatten().cloned().collect();
    let mut out = vec![
        (Arc::from("changed"), Value::Bool(false)),
        (Arc::from("added"), Value::array(added)),
        (Arc::from("removed"), Value::array(removed)),
    ];
    let mut changed = out
        .iter()
        .skip(1)
        .any(|(_, v)| v.as_array().is_some_and(|a| !a.is_empty()));
    for (key, read) in [
        ("status", field as fn(_, _) -> _),
        ("route", field),
        ("payable", payable),
    ] {
        let (b, a) = (read(before, key), read(Some(after), key));
        if b != a {
            changed = true;
            out.push((
                Arc::from(key),
                Value::object(vec![(Arc::from("before"), b), (Arc::from("after"), a)]),
            ));
        }
    }
    if let Some((_, c)) = out.first_mut() {
        *c = Value::Bool(changed);
    }
    Value::object(out)
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

fn payable(report: Option<&Value>, _: &str) -> Value {
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

    #[test]
    fn first_call_adds_everything() {
        let r = v(r#"{"status":"review","route":"manual","findings":[{"rule":"C01"}],"estimate":null}"#);
        assert_eq!(
            write_value(&changes(None, &r)),
            r#"{"changed":true,"added":[{"rule":"C01"}],"removed":[],"status":{"before":null,"after":"review"},"route":{"before":null,"after":"manual"}}"#
        );
        assert_eq!(
            write_value(&changes(Some(&r), &r)),
            r#"{"changed":false,"added":[],"removed":[]}"#
        );
    }

    #[test]
    fn findings_are_matched_once_and_payable_compared() {
        let a = v(
            r#"{"status":"ready","route":"standard","findings":[{"rule":"W1"},{"rule":"W1"},{"rule":"C02"}],"estimate":{"payable":"10.00"}}"#,
        );
        let b = v(
            r#"{"status":"ready","route":"standard","findings":[{"rule":"W1"},{"rule":"E03"}],"estimate":{"payable":"12.00"}}"#,
        );
        assert_eq!(
            write_value(&changes(Some(&a), &b)),
            r#"{"changed":true,"added":[{"rule":"E03"}],"removed":[{"rule":"W1"},{"rule":"C02"}],"payable":{"before":"10.00","after":"12.00"}}"#
        );
    }
}
