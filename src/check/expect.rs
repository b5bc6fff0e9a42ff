//! Comparing a report with the expected parts of a test case — used by a pack's own `tests` (`preclaim
//! test`) and by the case folders of the test suite. Expected parts: `status`, `route`, `payable` (a money
//! string or null), `steps` (`{"K01": "46780.00", ...}`), `block_or_warn` (every block or warn finding as
//! `"RULE severity"`, in any order), `missing_documents`, and `includes` / `excludes` (findings of any severity,
//! info included, as `"RULE severity"`, that must / must not be in the report).

use crate::json::write_value;
use crate::value::Value;

fn field<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    let mut cur = v;
    for p in path {
        cur = cur.get(p)?;
    }
    Some(cur)
}

/// Every finding as a sorted `"RULE severity"` string.
fn all_findings(report: &Value) -> Vec<String> {
    let mut out: Vec<String> = field(report, &["findings"])
        .and_then(Value::as_array)
        .unwrap_or_default()
        .iter()
        .filter_map(|f| {
            let sev = f.get("severity")?.as_str()?;
            Some(format!(
                "{} {sev}",
                f.get("rule").and_then(Value::as_str).unwrap_or("?")
            ))
        })
        .collect();
    out.sort();
    out
}

/// The block and warn findings as sorted `"RULE severity"` strings.
pub fn block_or_warn(report: &Value) -> Vec<String> {
    let mut out = all_findings(report);
    out.retain(|f| !f.ends_with(" info"));
    out
}

/// The differences between a report and the expected parts (empty when it matches).
pub fn compare(report: &Value, expect: &Value) -> Vec<String> {
    let mut diffs = Vec::new();
    for key in ["status", "route", "missing_documents"] {
        if let Some(want) = expect.get(key) {
            let got = report.get(key).cloned().unwrap_or(Value::Null);
            if &got != want {
                diffs.push(format!(
                    "{key}: expected {}, got {}",
                    write_value(want),
                    write_value(&got)
                ));
            }
        }
    }
    if let Some(want) = expect.get("payable") {
        let got = field(report, &["estimate", "payable"]).cloned().unwrap_or(Value::Null);
        if &got != want {
            diffs.push(format!(
                "payable: expected {}, got {}",
                write_value(want),
                write_value(&got)
            ));
        }
    }
    if let Some(Value::Object(want)) = expect.get("steps") {
        let steps = field(report, &["estimate", "steps"])
            .and_then(Value::as_array)
            .unwrap_or_default();
        for (rule, amount) in want.iter() {
            let got = steps
                .iter()
                .find(|s| s.get("rule").and_then(Value::as_str) == Some(rule))
                .and_then(|s| s.get("amount"));
            if got != Some(amount) {
                diffs.push(format!(
                    "step {rule}: expected {}, got {}",
                    write_value(amount),
                    got.map_or("no such step".to_string(), write_value)
                ));
            }
        }
    }
    if let Some(Value::Array(want)) = expect.get("block_or_warn") {
        let mut want: Vec<String> = want.iter().map(|v| v.to_js_string()).collect();
        want.sort();
        let got = block_or_warn(report);
        if got != want {
            diffs.push(format!("block_or_warn: expected {want:?}, got {got:?}"));
        }
    }
    let all = all_findings(report);
    for (key, must) in [("includes", true), ("excludes", false)] {
        if let Some(Value::Array(list)) = expect.get(key) {
            for f in list.iter().map(Value::to_js_string) {
                if all.contains(&f) != must {
                    diffs.push(format!(
                        "{key}: `{f}` {}; findings: {all:?}",
                        if must { "is missing" } else { "is there" }
                    ));
                }
            }
        }
    }
    diffs
}
