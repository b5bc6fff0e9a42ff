//! Shared by the fuzz targets: the default packs and example claims (embedded, so a target needs no files
//! at run time), a checker built once, and invariants every report must satisfy.
#![allow(dead_code)]

use std::sync::OnceLock;

use preclaim::check::{Checker, Outcome};
use preclaim::json;
use preclaim::pack::def::Locale;
use preclaim::value::Value;

pub const PACKS: [&str; 6] = [
    include_str!("../packs/p-acc.json"),
    include_str!("../packs/p-cash.json"),
    include_str!("../packs/p-ci.json"),
    include_str!("../packs/p-dis.json"),
    include_str!("../packs/p-life.json"),
    include_str!("../packs/p-med.json"),
];

pub const CLAIMS: [&str; 8] = [
    include_str!("../examples/acc-inpatient-missing-documents.json"),
    include_str!("../examples/acc-malformed-fields.json"),
    include_str!("../examples/acc-outpatient-child.json"),
    include_str!("../examples/cash-illness-four-nights.json"),
    include_str!("../examples/ci-acute-myocardial-infarction.json"),
    include_str!("../examples/dis-accident-grade-8.json"),
    include_str!("../examples/life-natural-death.json"),
    include_str!("../examples/med-inpatient-not-settled.json"),
];

/// The checker with the embedded default packs, built once per process.
pub fn defaults() -> &'static Checker {
    static C: OnceLock<Checker> = OnceLock::new();
    C.get_or_init(|| Checker::with_defaults().unwrap_or_else(|e| panic!("default packs: {e:?}")))
}

/// Splits the input at its first NUL byte (the second part is empty when there is none).
pub fn split_nul(data: &[u8]) -> (&[u8], &[u8]) {
    match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[]),
    }
}

/// Checks a claim twice and asserts that the reports are byte-identical and well formed.
pub fn check_twice(checker: &Checker, claim: &str, locale: Locale) {
    let a = checker.check_text(claim, locale);
    let b = checker.check_text(claim, locale);
    match (&a, &b) {
        (Ok(x), Ok(y)) => {
            let (tx, ty) = (json::write_value(&x.report), json::write_value(&y.report));
            assert_eq!(tx, ty, "the same claim gave two different reports");
            report_invariants(x);
        }
        (Err(x), Err(y)) => assert_eq!(x, y, "the same claim gave two different errors"),
        _ => panic!("the same claim gave a report once and an error once: {a:?} / {b:?}"),
    }
}

/// What every report must satisfy: it re-parses as JSON, it has a status, and a payable amount is a
/// non-negative money string.
pub fn report_invariants(o: &Outcome) {
    let text = json::write_value(&o.report);
    let opts = json::ParseOptions {
        max_depth: 512,
        allow_duplicate_keys: false,
        replace_lone_surrogates: false,
        intern: None,
        max_values: usize::MAX,
    };
    if let Err(e) = json::parse_with(&text, opts) {
        panic!("the report is not valid JSON: {e}\n{text}");
    }
    let status = o.report.get("status").and_then(Value::as_str);
    assert!(
        matches!(status, Some("ready" | "incomplete" | "ineligible" | "review")),
        "unexpected status {status:?}"
    );
    if let Some(pay) = o.report.get("estimate").and_then(|e| e.get("payable")) {
        let s = pay
            .as_str()
            .unwrap_or_else(|| panic!("payable is not a string: {pay:?}"));
        assert!(!s.starts_with('-'), "negative payable {s}");
    }
}

/// Whether a tree holds a non-finite number literal (`1e400`): JSON cannot print it (the printer would write
/// `null`), so the parsers refuse it and the fuzz targets assert that no parsed tree holds one.
pub fn has_non_finite(n: &preclaim::expr::Node) -> bool {
    use preclaim::expr::ast::NodeKind;
    fn value(v: &Value) -> bool {
        match v {
            Value::Float(f) => !f.is_finite(),
            Value::Array(a) => a.iter().any(value),
            Value::Object(m) => m.iter().any(|(_, x)| value(x)),
            _ => false,
        }
    }
    match &n.kind {
        NodeKind::Lit(v) => value(v),
        NodeKind::List(items) | NodeKind::Op { args: items, .. } => items.iter().any(has_non_finite),
    }
}
