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
    // Through the crate's one sort of positions (a report has a few findings; a copy of the sort is 3 KB).
    crate::order::sort_slice_by(f, |a, b| {
        (a.kind, &a.rule, &a.fields).cmp(&(b.kind, &b.rule, &b.fields))
    });
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
    let mut out: Vec<&str> = findings
        .iter()
        .filter(|f| f.kind == Kind::C && f.severity == Severity::Block)
        .flat_map(|f| f.documents.iter().map(String::as_str))
        .collect();
    // Equal strings are indistinguishable, so the unstable sort gives the same; on `&str` it is the copy of
    // the sort that the JSON reader's repeated-key check already has (src/json/value.rs).
    out.sort_unstable();
    out.dedup();
    out.into_iter().map(String::from).collect()
}

fn strs(v: &[String]) -> Value {
    Value::array(v.iter().map(|s| Value::str(s)).collect())
}

/// Claim text the report repeats outside messages (an unknown product code, the paths of ignored fields),
/// with any ID or card number in it masked.
fn claim_text(s: &str) -> Value {
    Value::str(&crate::echo::mask_personal_numbers(s))
}

/// Declares [`Keys`]: one shared string per report key, the field named as the key.
macro_rules! keys {
    ($($name:ident),* $(,)?) => {
        /// The report's keys (report@1), allocated once and shared by every report (each report would
        /// otherwise allocate every key of every finding again).
        struct Keys {
            $($name: Arc<str>,)*
        }

        impl Keys {
            fn new() -> Keys {
                Keys { $($name: Arc::from(stringify!($name)),)* }
            }
        }
    };
}

keys!(
    rule,
    kind,
    severity,
    message,
    fields,
    documents,
    payable,
    steps,
    label,
    amount,
    schema,
    product,
    pack_version,
    status,
    route,
    findings,
    missing_documents,
    estimate,
    ignored_fields,
);

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

/// The report's keys and fixed texts, made once.
struct Texts {
    keys: Keys,
    values: [Value; VALUES.len()],
}

fn texts() -> &'static Texts {
    static TEXTS: OnceLock<Texts> = OnceLock::new();
    TEXTS.get_or_init(|| Texts {
        keys: Keys::new(),
        values: VALUES.map(Value::str),
    })
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

/// The findings' values and the estimate of the last report a session built, for the next to reuse: a
/// finding or an estimate the same as before is that very value (shared), so building, comparing and
/// dropping it costs next to nothing.
#[derive(Debug, Default)]
pub struct FindingValues(Vec<Value>, Option<(Vec<StepResult>, Value)>);

impl FindingValues {
    /// The value of `f`: the kept one when the same (looked for at `at` first: findings keep their order),
    /// else a new one.
    fn get(&self, f: &Finding, at: usize, k: &Keys) -> Value {
        let kept = self
            .0
            .get(at)
            .filter(|v| shows(v, f))
            .or_else(|| self.0.iter().find(|v| shows(v, f)));
        kept.cloned().unwrap_or_else(|| finding_value(f, k))
    }
}

/// Whether two values are the same shared one.
fn same_value(a: &Value, b: &Value) -> bool {
    matches!((a, b), (Value::Object(x), Value::Object(y)) if Arc::ptr_eq(x, y))
}

/// Whether `v` is the value of finding `f`.
fn shows(v: &Value, f: &Finding) -> bool {
    let Value::Object(m) = v else {
        return false;
    };
    let texts = |v: &Value, t: &[String]| {
        v.as_array()
            .is_some_and(|a| a.len() == t.len() && a.iter().zip(t).all(|(x, y)| x.as_str() == Some(y)))
    };
    match &m[..] {
        [(_, rule), (_, kind), (_, severity), (_, message), (_, fields), (_, documents)] => {
            rule.as_str() == Some(&f.rule)
                && message.as_str() == Some(&f.message)
                && kind.as_str() == Some(f.kind.name())
                && severity.as_str() == Some(f.severity.name())
                && texts(fields, &f.fields)
                && texts(documents, &f.documents)
        }
        _ => false,
    }
}

fn finding_value(f: &Finding, k: &Keys) -> Value {
    Value::object(vec![
        (k.rule.clone(), Value::str(&f.rule)),
        (k.kind.clone(), fixed(f.kind.name())),
        (k.severity.clone(), fixed(f.severity.name())),
        (k.message.clone(), Value::str(&f.message)),
        (k.fields.clone(), strs(&f.fields)),
        (k.documents.clone(), strs(&f.documents)),
    ])
}

/// Builds the report value.
pub fn build(p: &ReportParts) -> Value {
    build_reusing(p, &mut FindingValues::default())
}

/// Builds the report value, reusing the findings' values of the last report built with `kept` (and
/// keeping this one's).
pub fn build_reusing(p: &ReportParts, kept: &mut FindingValues) -> Value {
    let k = &texts().keys;
    let st = status(p.findings);
    let steps = if st == Status::Ineligible { None } else { p.steps };
    let payable = steps.and_then(|s| s.last()).map(|s| s.amount);
    // Calculation notes (K, info) explain the estimate; without an estimate they would explain nothing.
    let findings: Vec<Value> = p
        .findings
        .iter()
        .filter(|f| payable.is_some() || !(f.kind == Kind::K && f.severity == Severity::Info))
        .enumerate()
        .map(|(at, f)| kept.get(f, at, k))
        .collect();
    kept.0.clone_from(&findings);
    let estimate = match (steps, payable) {
        (Some(steps), Some(_)) if kept.1.as_ref().is_some_and(|(s, _)| s.as_slice() == steps) => {
            kept.1.as_ref().map(|(_, v)| v.clone()).unwrap_or_default()
        }
        (Some(steps), Some(pay)) => Value::object(vec![
            (k.payable.clone(), Value::str(&format_money(pay))),
            (
                k.steps.clone(),
                Value::array(
                    steps
                        .iter()
                        .map(|s| {
                            Value::object(vec![
                                (k.rule.clone(), Value::str(&s.rule)),
                                (k.label.clone(), Value::str(&s.label)),
                                (k.amount.clone(), Value::str(&format_money(s.amount))),
                            ])
                        })
                        .collect(),
                ),
            ),
        ]),
        _ => Value::Null,
    };
    if let (Some(steps), Value::Object(_)) = (steps, &estimate) {
        if !kept.1.as_ref().is_some_and(|(_, v)| same_value(v, &estimate)) {
            kept.1 = Some((steps.to_vec(), estimate.clone()));
        }
    }
    let opt = |s: Option<&str>| s.map_or(Value::Null, Value::str);
    let product = p.product.map_or(Value::Null, claim_text);
    Value::object(vec![
        (k.schema.clone(), fixed(REPORT_SCHEMA)),
        (k.product.clone(), product),
        (k.pack_version.clone(), opt(p.pack_version)),
        (k.status.clone(), fixed(st.name())),
        (
            k.route.clone(),
            fixed(route(st, p.findings, payable, p.fast_track_limit)),
        ),
        (k.findings.clone(), Value::array(findings)),
        (k.missing_documents.clone(), strs(&missing_documents(p.findings))),
        (k.estimate.clone(), estimate),
        (
            k.ignored_fields.clone(),
            Value::array(p.ignored.iter().map(|s| claim_text(s)).collect()),
        ),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_fixed_texts_are_their_names() {
        let k = Keys::new();
        assert_eq!(
            (&*k.rule, &*k.ignored_fields, &*k.pack_version),
            ("rule", "ignored_fields", "pack_version")
        );
        for v in VALUES {
            assert_eq!(fixed(v).as_str(), Some(v));
        }
        assert_eq!(fixed("other").as_str(), Some("other"));
    }
}
