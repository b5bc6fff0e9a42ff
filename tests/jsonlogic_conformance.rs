#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! Runs the public JSONLogic suites in full from the shared folder: tests.json (278 cases) and
//! compat-tables (1,138 cases). Every case must pass except those listed, with a reason, in
//! tests/conformance-deviations.json; a listed case that passes is an error too (the list must stay true).

mod common;

use std::path::Path;

use preclaim::expr::{compile, jsonlogic, OpenEnv};
use preclaim::json;
use preclaim::value::Value;

struct Outcome {
    /// The ids of the cases that pass (`tests.json#12`, `arithmetic/plus.json#3`).
    passed: Vec<String>,
    /// `id: rule and what went wrong`, for each case that fails.
    failed: Vec<String>,
}

fn run_case(rule: &Value, data: &Value, expect: Result<&Value, &Value>, decimal: bool) -> Result<(), String> {
    let text = json::write_value(rule);
    let node = jsonlogic::parse_text(&text).map_err(|e| format!("parse: {}", e.message));
    let got = node.and_then(|n| compile(&n, &OpenEnv).map_err(|e| format!("compile: {}", e.message)));
    let got = match got {
        Ok(expr) => {
            let got = expr.eval(data).map_err(|e| e.to_value());
            same_through_the_api(&text, data, &got);
            got
        }
        Err(msg) => Err(Value::object(vec![
            ("type".into(), Value::str("Compile Error")),
            ("message".into(), Value::str(&msg)),
        ])),
    };
    match (expect, &got) {
        (Ok(want), Ok(v)) if values_match(want, v, decimal) => Ok(()),
        (Err(want), Err(e)) if want.get("type") == e.get("type") => Ok(()),
        _ => Err(format!(
            "expected {} got {}",
            match expect {
                Ok(v) => json::write_value(v),
                Err(e) => format!("error {}", json::write_value(e)),
            },
            match &got {
                Ok(v) => json::write_value(v),
                Err(e) => format!("error {}", json::write_value(e)),
            }
        )),
    }
}

/// The JSONLogic API on the data's text (parsed with only what the rule reaches built) gives what the
/// evaluator gives on the data parsed whole: the same result or the same error.
fn same_through_the_api(rule: &str, data: &Value, got: &Result<Value, Value>) {
    let data_text = json::write_value(data);
    let api = preclaim::jsonlogic::compile(rule).and_then(|r| r.evaluate_text(&data_text));
    match (got, &api) {
        (Ok(v), Ok(text)) => assert_eq!(&json::write_value(v), text, "{rule} on {data_text}"),
        (Err(e), Err(api)) => assert_eq!(api.error.as_ref(), Some(e), "{rule} on {data_text}"),
        _ => panic!("{rule} on {data_text}: the evaluator gives {got:?}, the API {api:?}"),
    }
}

fn values_match(a: &Value, b: &Value, decimal: bool) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) if decimal => (x - y).abs() <= 1e-9 * x.abs().max(1.0),
        _ => a == b,
    }
}

fn deviations() -> Vec<(String, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance-deviations.json");
    let v = common::read_json(&path);
    v.get("deviations")
        .and_then(Value::as_array)
        .unwrap_or_default()
        .iter()
        .map(|d| {
            let id = d.get("case").and_then(Value::as_str).unwrap_or_default().to_string();
            let reason = d.get("reason").and_then(Value::as_str).unwrap_or_default().to_string();
            assert!(!reason.is_empty(), "deviation {id} has no reason");
            (id, reason)
        })
        .collect()
}

fn of_tests_json(id: &str) -> bool {
    id.starts_with("tests.json#")
}

/// What is wrong with a suite's outcome against the deviation list, both ways: a failing case that is not
/// listed, and a listed case of this suite that passes or does not exist (the list must stay true).
fn mismatches(outcome: &Outcome, devs: &[(String, String)], of_suite: fn(&str) -> bool) -> Vec<String> {
    let listed = |failure: &String| devs.iter().any(|(id, _)| failure.starts_with(&format!("{id}: ")));
    let mut out: Vec<String> = outcome
        .failed
        .iter()
        .filter(|f| !listed(f))
        .map(|f| format!("unexpected failure (not in tests/conformance-deviations.json): {f}"))
        .collect();
    for (id, _) in devs.iter().filter(|(id, _)| of_suite(id)) {
        if outcome.passed.contains(id) {
            out.push(format!(
                "{id} is listed as a deviation but passes: remove it from the list"
            ));
        } else if !outcome.failed.iter().any(|f| f.starts_with(&format!("{id}: "))) {
            out.push(format!("{id} is listed as a deviation but there is no such case"));
        }
    }
    out
}

fn check(suite: &str, of_suite: fn(&str) -> bool, outcome: Outcome, expected_total: usize) {
    let devs = deviations();
    let total = outcome.passed.len() + outcome.failed.len();
    println!(
        "{suite}: {} of {total} cases pass ({} listed deviations)",
        outcome.passed.len(),
        outcome.failed.len()
    );
    assert_eq!(
        total, expected_total,
        "{suite}: the suite should have {expected_total} cases"
    );
    let wrong = mismatches(&outcome, &devs, of_suite);
    assert!(
        wrong.is_empty(),
        "{suite}: {} problems:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn the_deviation_list_is_checked_both_ways() {
    let outcome = Outcome {
        passed: vec!["tests.json#1".into(), "tests.json#2".into()],
        failed: vec!["tests.json#3: {\"x\":1} expected 1 got 2".into()],
    };
    let dev = |id: &str| (id.to_string(), "a reason".to_string());
    // Listed and failing: fine. Not listed and failing: an unexpected failure.
    assert!(mismatches(&outcome, &[dev("tests.json#3")], of_tests_json).is_empty());
    assert_eq!(
        mismatches(&outcome, &[], of_tests_json),
        ["unexpected failure (not in tests/conformance-deviations.json): tests.json#3: {\"x\":1} expected 1 got 2"]
    );
    // Listed but passing, or listed but absent: the list is no longer true.
    assert_eq!(
        mismatches(
            &outcome,
            &[dev("tests.json#3"), dev("tests.json#2"), dev("tests.json#99")],
            of_tests_json
        ),
        [
            "tests.json#2 is listed as a deviation but passes: remove it from the list",
            "tests.json#99 is listed as a deviation but there is no such case"
        ]
    );
    // Another suite's entries are that suite's business; `tests.json#1` is not `tests.json#12`.
    assert!(mismatches(
        &outcome,
        &[dev("tests.json#3"), dev("arithmetic/plus.json#0")],
        of_tests_json
    )
    .is_empty());
    let twelve = Outcome {
        passed: vec!["tests.json#1".into()],
        failed: vec!["tests.json#12: x".into()],
    };
    assert_eq!(mismatches(&twelve, &[dev("tests.json#1")], of_tests_json).len(), 2);
}

#[test]
fn tests_json_suite() {
    let Some(shared) = common::shared_dir("the JSONLogic tests.json suite") else {
        return;
    };
    let suite = common::read_json(&shared.join("conformance/jsonlogic/tests.json"));
    let mut out = Outcome {
        passed: Vec::new(),
        failed: Vec::new(),
    };
    for (i, case) in suite.as_array().unwrap_or_default().iter().enumerate() {
        let Some([rule, data, want]) = case.as_array().and_then(|a| <&[Value; 3]>::try_from(a).ok()) else {
            continue;
        };
        match run_case(rule, data, Ok(want), false) {
            Ok(()) => out.passed.push(format!("tests.json#{i}")),
            Err(msg) => out
                .failed
                .push(format!("tests.json#{i}: {} {msg}", json::write_value(rule))),
        }
    }
    check("tests.json", of_tests_json, out, 278);
}

fn collect(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map(|r| r.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, files);
        } else if p.extension().is_some_and(|e| e == "json") {
            files.push(p);
        }
    }
}

#[test]
fn compat_tables_suite() {
    let Some(shared) = common::shared_dir("the JSONLogic compat-tables suites") else {
        return;
    };
    let root = shared.join("conformance/jsonlogic/compat-tables");
    let mut files = Vec::new();
    collect(&root, &mut files);
    let mut out = Outcome {
        passed: Vec::new(),
        failed: Vec::new(),
    };
    for f in files {
        let name = f
            .strip_prefix(&root)
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        let suite = common::read_json(&f);
        for (i, case) in suite.as_array().unwrap_or_default().iter().enumerate() {
            if case.as_str().is_some() {
                continue;
            }
            let rule = case.get("rule").cloned().unwrap_or(Value::Null);
            let data = case.get("data").cloned().unwrap_or_else(|| Value::object(Vec::new()));
            let decimal = case.get("decimal").is_some_and(Value::truthy);
            let r = match (case.get("result"), case.get("error")) {
                (_, Some(e)) => run_case(&rule, &data, Err(e), decimal),
                (Some(want), None) => run_case(&rule, &data, Ok(want), decimal),
                (None, None) => run_case(&rule, &data, Ok(&Value::Null), decimal),
            };
            match r {
                Ok(()) => out.passed.push(format!("{name}#{i}")),
                Err(msg) => out.failed.push(format!(
                    "{name}#{i}: {} | {} {msg}",
                    case.get("description").and_then(Value::as_str).unwrap_or(""),
                    json::write_value(&rule)
                )),
            }
        }
    }
    // Every deviation that is not of tests.json is a compat-tables case (`dir/file.json#i`).
    check("compat-tables", |id| !of_tests_json(id), out, 1138);
}
