//! report@1: ordering findings, deciding `status` and `route`, collecting `missing_documents`, and writing
//! the report as a value with its fields in the documented order (so it prints the same bytes everywhere).

use std::sync::{Arc, OnceLock};

use super::run::{Finding, StepResult};
use crate::domain::money::format_money;
use crate::pack::def::{Kind, Severity};
use crate::value::Value;

pub const REPORT_SCHEMA: &str = "preclaim/report@1";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ineligible,
    Incomplete,
    Review,
    Ready,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Ineligible => "ineligible",
            Status::Incomplete => "incomplete",
            Status::Review => "review",
            Status::Ready => "ready",
        }
    }
}

/// Orders findings: kind C, E, K, R; then rule id; then field path (stable for ties).
pub fn sort_findings(f: &mut [Finding]) {
    f.sort_by(|a, b| (a.kind, &a.rule, &a.fields).cmp(&(b.kind, &b.rule, &b.fields)));
}

/// The first status of report@1 that applies.
pub fn status(findings: &[Finding]) -> Status {
    let has = |k: Kind, s: Severity| findings.iter().any(|f| f.kind == k && f.severity == s);
    if has(Kind::E, Severity::Block) {
        Status::Ineligible
    } else if has(Kind::C, Severity::Block) {
        Status::Incomplete
    } else if has(Kind::R, Severity::Block) || has(Kind::E, Severity::Warn) || has(Kind::R, Severity::Warn) {
        Status::Review
    } else {
        Status::Ready
    }
}

/// The route of report@1.
pub fn route(
    status: Status,
    findings: &[Finding],
    payable: Option<i64>,
    fast_track_limit: Option<i64>,
) -> &'static str {
    match status {
        Status::Ineligible | Status::Incomplete => "none",
        Status::Review => "manual",
        Status::Ready => {
            let quiet = findings.iter().all(|f| f.severity == Severity::Info);
            match (payable, fast_track_limit) {
                (Some(p), Some(limit)) if quiet && p <= limit => "fast_track",
                _ => "standard",
            }
        }
    }
}

/// Documents asked for by block completeness findings, sorted, without repeats.
pub fn missing_documents(findings: &[Finding]) -> Vec<String> {
    let mut out: Vec<String> = findings
        .iter()
        .filter(|f| f.kind == Kind::C && f.severity == Severity::Block)
        .flat_map(|f| f.documents.iter().cloned())
        .collect();
    out.sort();
    out.dedup();
    out
}

fn strs(v: &[String]) -> Value {
    Value::array(v.iter().map(|s| Value::str(s)).collect())
}

/// Claim text the report repeats outside messages (an unknown product code, the paths of ignored fields),
/// with any ID or card number in it masked.
fn claim_text(s: &str) -> Value {
    Value::str(&crate::echo::mask_personal_numbers(s))
}

/// The report's keys and the fixed texts of its values, allocated once and shared by every report (each
/// report would otherwise allocate every key of every finding again).
struct Texts {
    keys: [Arc<str>; KEYS.len()],
    values: [Value; VALUES.len()],
}

/// The report's keys (report@1), in the order [`key`] names them.
const KEYS: [&str; 19] = [
    "rule",
    "kind",
    "severity",
    "message",
    "fields",
    "documents",
    "payable",
    "steps",
    "label",
    "amount",
    "schema",
    "product",
    "pack_version",
    "status",
    "route",
    "findings",
    "missing_documents",
    "estimate",
    "ignored_fields",
];

/// The fixed texts of report values: the schema, finding kinds and severities, statuses and routes.
const VALUES: [&str; 16] = [
    REPORT_SCHEMA,
    "completeness",
    "eligibility",
    "calculation",
    "risk",
    "block",
    "warn",
    "info",
    "ineligible",
    "incomplete",
    "review",
    "ready",
    "none",
    "manual",
    "fast_track",
    "standard",
];

fn texts() -> &'static Texts {
    static TEXTS: OnceLock<Texts> = OnceLock::new();
    TEXTS.get_or_init(|| Texts {
        keys: KEYS.map(Arc::from),
        values: VALUES.map(Value::str),
    })
}

/// Where `name` is in [`KEYS`] (a `match`: the compiler dispatches on length, then compares once).
fn key_at(name: &str) -> Option<usize> {
    match name {
        "rule" => Some(0),
        "kind" => Some(1),
        "severity" => Some(2),
        "message" => Some(3),
        "fields" => Some(4),
        "documents" => Some(5),
        "payable" => Some(6),
        "steps" => Some(7),
        "label" => Some(8),
        "amount" => Some(9),
        "schema" => Some(10),
        "product" => Some(11),
        "pack_version" => Some(12),
        "status" => Some(13),
        "route" => Some(14),
        "findings" => Some(15),
        "missing_documents" => Some(16),
        "estimate" => Some(17),
        "ignored_fields" => Some(18),
        _ => None,
    }
}

/// The shared key `name` (one of [`KEYS`]; another name is allocated).
fn k(name: &str) -> Arc<str> {
    match key_at(name).and_then(|i| texts().keys.get(i)) {
        Some(shared) => shared.clone(),
        None => Arc::from(name),
    }
}

/// The text `s` as a value, shared when it is one of [`VALUES`].
fn fixed(s: &str) -> Value {
    match VALUES.iter().position(|n| *n == s).and_then(|i| texts().values.get(i)) {
        Some(shared) => shared.clone(),
        None => Value::str(s),
    }
}

/// Everything a report says.
pub struct ReportParts<'a> {
    pub product: Option<&'a str>,
    pub pack_version: Option<&'a str>,
    pub findings: &'a [Finding],
    pub steps: Option<&'a [StepResult]>,
    pub ignored: &'a [String],
    pub fast_track_limit: Option<i64>,
}

/// Builds the report value.
pub fn build(p: &ReportParts) -> Value {
    let st = status(p.findings);
    let steps = if st == Status::Ineligible { None } else { p.steps };
    let payable = steps.and_then(|s| s.last()).map(|s| s.amount);
    // Calculation notes (K, info) explain the estimate; without an estimate they would explain nothing.
    let findings = p
        .findings
        .iter()
        .filter(|f| payable.is_some() || !(f.kind == Kind::K && f.severity == Severity::Info))
        .map(|f| {
            Value::object(vec![
                (k("rule"), Value::str(&f.rule)),
                (k("kind"), fixed(f.kind.name())),
                (k("severity"), fixed(f.severity.name())),
                (k("message"), Value::str(&f.message)),
                (k("fields"), strs(&f.fields)),
                (k("documents"), strs(&f.documents)),
            ])
        })
        .collect();
    let estimate = match (steps, payable) {
        (Some(steps), Some(pay)) => Value::object(vec![
            (k("payable"), Value::str(&format_money(pay))),
            (
                k("steps"),
                Value::array(
                    steps
                        .iter()
                        .map(|s| {
                            Value::object(vec![
                                (k("rule"), Value::str(&s.rule)),
                                (k("label"), Value::str(&s.label)),
                                (k("amount"), Value::str(&format_money(s.amount))),
                            ])
                        })
                        .collect(),
                ),
            ),
        ]),
        _ => Value::Null,
    };
    let opt = |s: Option<&str>| s.map_or(Value::Null, Value::str);
    let product = p.product.map_or(Value::Null, claim_text);
    Value::object(vec![
        (k("schema"), fixed(REPORT_SCHEMA)),
        (k("product"), product),
        (k("pack_version"), opt(p.pack_version)),
        (k("status"), fixed(st.name())),
        (k("route"), fixed(route(st, p.findings, payable, p.fast_track_limit))),
        (k("findings"), Value::array(findings)),
        (k("missing_documents"), strs(&missing_documents(p.findings))),
        (k("estimate"), estimate),
        (
            k("ignored_fields"),
            Value::array(p.ignored.iter().map(|s| claim_text(s)).collect()),
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_found_where_it_is() {
        for (i, name) in KEYS.iter().enumerate() {
            assert_eq!(key_at(name), Some(i), "{name}");
            assert_eq!(&*k(name), *name);
        }
        assert_eq!(key_at("rules"), None);
        assert_eq!(&*k("other"), "other");
        for v in VALUES {
            assert_eq!(fixed(v).as_str(), Some(v));
        }
    }
}
