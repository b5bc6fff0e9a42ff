//! What a test expects of a report — used by a pack's own `tests` (`preclaim test`) and by the case folders
//! of the test suite. An [`Expect`] is read from JSON with [`Expect::from_value`], which refuses a key it does
//! not know (a misspelt `stauts` would otherwise pass without comparing anything), a value of the wrong type,
//! and an expectation with nothing to compare. [`Expect::compare`] lists the differences with a report.
//!
//! The parts: `status`, `route`, `payable` (a money string or null), `steps` (`{"K01": "46780.00", ...}`),
//! `block_or_warn` (every block or warn finding as `"RULE severity"`, in any order), `findings` (every
//! finding, info included, in any order: `"RULE severity"` or an object that also gives its `fields`,
//! `documents` and per-locale `message`), `missing_documents`, and `includes` / `excludes` (findings of any
//! severity as `"RULE severity"` that must / must not be in the report). Only `message` depends on the
//! report's language; everything else compares codes and paths, the same in zh-CN and en.

use crate::expr::types::nearest;
use crate::json::write_value;
use crate::pack::def::Locale;
use crate::value::Value;

/// The keys an expectation may have.
pub const KEYS: &[&str] = &[
    "status",
    "route",
    "payable",
    "steps",
    "block_or_warn",
    "findings",
    "missing_documents",
    "includes",
    "excludes",
];

/// The keys of a finding given as an object in `findings`.
const FINDING_KEYS: &[&str] = &["rule", "severity", "fields", "documents", "message"];

/// One expected finding: its rule and severity, and optionally exactly its fields, its documents and its
/// message in each language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectedFinding {
    pub rule: String,
    pub severity: String,
    pub fields: Option<Vec<String>>,
    pub documents: Option<Vec<String>>,
    /// `(zh-CN, en)`.
    pub message: Option<(String, String)>,
}

/// The expected parts of a report; a part that is `None` is not compared.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Expect {
    pub status: Option<String>,
    pub route: Option<String>,
    /// `Some(None)`: no estimate (`payable` is null).
    pub payable: Option<Option<String>>,
    pub steps: Option<Vec<(String, String)>>,
    pub block_or_warn: Option<Vec<String>>,
    pub findings: Option<Vec<ExpectedFinding>>,
    pub missing_documents: Option<Vec<String>>,
    pub includes: Option<Vec<String>>,
    pub excludes: Option<Vec<String>>,
}

fn text(v: &Value, what: &str) -> Result<String, String> {
    v.as_str()
        .map(str::to_string)
        .ok_or_else(|| format!("{what}: expected a string, found {}", v.type_name()))
}

fn texts(v: &Value, what: &str) -> Result<Vec<String>, String> {
    let items = v
        .as_array()
        .ok_or_else(|| format!("{what}: expected a list of strings, found {}", v.type_name()))?;
    items
        .iter()
        .enumerate()
        .map(|(i, x)| text(x, &format!("{what}[{i}]")))
        .collect()
}

fn entries<'a>(v: &'a Value, what: &str, allowed: &[&str]) -> Result<&'a [(std::sync::Arc<str>, Value)], String> {
    let Value::Object(m) = v else {
        return Err(format!("{what}: expected an object, found {}", v.type_name()));
    };
    for (k, _) in m.iter() {
        if !allowed.is_empty() && !allowed.contains(&&**k) {
            let hint = nearest(k, allowed.iter().copied())
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_else(|| format!(" (known: {})", allowed.join(", ")));
            return Err(format!("{what}: unknown key `{k}`{hint}"));
        }
    }
    Ok(m.as_slice())
}

/// `"RULE severity"`, split.
fn rule_severity(s: &str, what: &str) -> Result<(String, String), String> {
    match s.split(' ').collect::<Vec<_>>().as_slice() {
        [rule, sev @ ("block" | "warn" | "info")] if !rule.is_empty() => Ok(((*rule).to_string(), (*sev).to_string())),
        _ => Err(format!(
            "{what}: expected \"RULE severity\" (severity block, warn or info), found {s:?}"
        )),
    }
}

impl ExpectedFinding {
    fn from_value(v: &Value, what: &str) -> Result<ExpectedFinding, String> {
        if let Some(s) = v.as_str() {
            let (rule, severity) = rule_severity(s, what)?;
            return Ok(ExpectedFinding {
                rule,
                severity,
                fields: None,
                documents: None,
                message: None,
            });
        }
        let m = entries(v, what, FINDING_KEYS)?;
        let get = |k: &str| m.iter().find(|(key, _)| &**key == k).map(|(_, v)| v);
        let rule = text(
            get("rule").ok_or(format!("{what}: missing key `rule`"))?,
            &format!("{what}.rule"),
        )?;
        let severity = text(
            get("severity").ok_or(format!("{what}: missing key `severity`"))?,
            &format!("{what}.severity"),
        )?;
        rule_severity(&format!("{rule} {severity}"), what)?;
        let message = match get("message") {
            None => None,
            Some(t) => {
                let at = format!("{what}.message");
                let lang = entries(t, &at, &["zh-CN", "en"])?;
                let one = |tag: &str| {
                    lang.iter()
                        .find(|(k, _)| &**k == tag)
                        .ok_or(format!(
                            "{at}: missing key `{tag}` (a message is given in both languages)"
                        ))
                        .and_then(|(_, v)| text(v, &format!("{at}.{tag}")))
                };
                Some((one("zh-CN")?, one("en")?))
            }
        };
        Ok(ExpectedFinding {
            rule,
            severity,
            fields: get("fields").map(|f| texts(f, &format!("{what}.fields"))).transpose()?,
            documents: get("documents")
                .map(|f| texts(f, &format!("{what}.documents")))
                .transpose()?,
            message,
        })
    }

    fn matches(&self, f: &Value, locale: Locale) -> bool {
        let s = |k: &str| f.get(k).and_then(Value::as_str);
        let list = |k: &str| -> Option<Vec<&str>> { f.get(k)?.as_array()?.iter().map(Value::as_str).collect() };
        let same = |want: &Option<Vec<String>>, k: &str| {
            want.as_ref()
                .is_none_or(|w| list(k).is_some_and(|g| g.len() == w.len() && g.iter().zip(w).all(|(a, b)| a == b)))
        };
        s("rule") == Some(self.rule.as_str())
            && s("severity") == Some(self.severity.as_str())
            && same(&self.fields, "fields")
            && same(&self.documents, "documents")
            && self.message.as_ref().is_none_or(|(zh, en)| {
                s("message")
                    == Some(match locale {
                        Locale::Zh => zh.as_str(),
                        Locale::En => en.as_str(),
                    })
            })
    }

    fn describe(&self, locale: Locale) -> String {
        let mut out = format!("{} {}", self.rule, self.severity);
        if let Some(f) = &self.fields {
            out.push_str(&format!(" fields {f:?}"));
        }
        if let Some(d) = &self.documents {
            out.push_str(&format!(" documents {d:?}"));
        }
        if let Some((zh, en)) = &self.message {
            out.push_str(&format!(
                " message {:?}",
                match locale {
                    Locale::Zh => zh,
                    Locale::En => en,
                }
            ));
        }
        out
    }
}

impl Expect {
    /// Reads an expectation: an object with at least one of [`KEYS`], each of its type.
    pub fn from_value(v: &Value) -> Result<Expect, String> {
        let m = entries(v, "expect", KEYS)?;
        if m.is_empty() {
            return Err(format!(
                "expect: nothing to compare; give at least one of {}",
                KEYS.join(", ")
            ));
        }
        let mut e = Expect::default();
        for (k, v) in m {
            let what = format!("expect.{k}");
            match &**k {
                "status" => e.status = Some(text(v, &what)?),
                "route" => e.route = Some(text(v, &what)?),
                "payable" => {
                    e.payable = Some(match v {
                        Value::Null => None,
                        _ => {
                            Some(text(v, &what).map_err(|m| format!("{m} (a money string like \"400.00\", or null)"))?)
                        }
                    })
                }
                "steps" => {
                    let steps = entries(v, &what, &[])?;
                    e.steps = Some(
                        steps
                            .iter()
                            .map(|(rule, amount)| Ok((rule.to_string(), text(amount, &format!("{what}.{rule}"))?)))
                            .collect::<Result<_, String>>()?,
                    );
                }
                "block_or_warn" | "includes" | "excludes" => {
                    let list = texts(v, &what)?;
                    for (i, s) in list.iter().enumerate() {
                        let (_, sev) = rule_severity(s, &format!("{what}[{i}]"))?;
                        if &**k == "block_or_warn" && sev == "info" {
                            return Err(format!(
                                "{what}[{i}]: info findings are not listed in block_or_warn (use findings or includes)"
                            ));
                        }
                    }
                    match &**k {
                        "block_or_warn" => e.block_or_warn = Some(list),
                        "includes" => e.includes = Some(list),
                        _ => e.excludes = Some(list),
                    }
                }
                "findings" => {
                    let items = v
                        .as_array()
                        .ok_or_else(|| format!("{what}: expected a list of findings, found {}", v.type_name()))?;
                    e.findings = Some(
                        items
                            .iter()
                            .enumerate()
                            .map(|(i, f)| ExpectedFinding::from_value(f, &format!("{what}[{i}]")))
                            .collect::<Result<_, _>>()?,
                    );
                }
                _ => e.missing_documents = Some(texts(v, &what)?),
            }
        }
        Ok(e)
    }

    /// Whether any expected finding gives a message (the only part that depends on the report's language).
    pub fn compares_messages(&self) -> bool {
        self.findings.iter().flatten().any(|f| f.message.is_some())
    }

    /// The differences between a report written in `locale` and this expectation (empty when it matches).
    pub fn compare(&self, report: &Value, locale: Locale) -> Vec<String> {
        let mut diffs = Vec::new();
        let mut same = |key: &str, got: Option<&Value>, want: Value| {
            let got = got.cloned().unwrap_or(Value::Null);
            if got != want {
                diffs.push(format!(
                    "{key}: expected {}, got {}",
                    write_value(&want),
                    write_value(&got)
                ));
            }
        };
        let strs = |l: &[String]| Value::array(l.iter().map(|s| Value::str(s)).collect());
        if let Some(w) = &self.status {
            same("status", report.get("status"), Value::str(w));
        }
        if let Some(w) = &self.route {
            same("route", report.get("route"), Value::str(w));
        }
        if let Some(w) = &self.missing_documents {
            same("missing_documents", report.get("missing_documents"), strs(w));
        }
        let estimate = report.get("estimate");
        if let Some(w) = &self.payable {
            let got = estimate.and_then(|e| e.get("payable"));
            same("payable", got, w.as_deref().map_or(Value::Null, Value::str));
        }
        if let Some(want) = &self.steps {
            let steps = estimate
                .and_then(|e| e.get("steps"))
                .and_then(Value::as_array)
                .unwrap_or_default();
            for (rule, amount) in want {
                let got = steps
                    .iter()
                    .find(|s| s.get("rule").and_then(Value::as_str) == Some(rule))
                    .and_then(|s| s.get("amount"));
                if got.and_then(Value::as_str) != Some(amount.as_str()) {
                    diffs.push(format!(
                        "step {rule}: expected {amount:?}, got {}",
                        got.map_or("no such step".to_string(), write_value)
                    ));
                }
            }
        }
        let all = all_findings(report);
        if let Some(want) = &self.block_or_warn {
            let mut want = want.clone();
            want.sort();
            let got = block_or_warn(report);
            if got != want {
                diffs.push(format!("block_or_warn: expected {want:?}, got {got:?}"));
            }
        }
        for (key, list, must) in [("includes", &self.includes, true), ("excludes", &self.excludes, false)] {
            for f in list.iter().flatten() {
                if all.contains(f) != must {
                    diffs.push(format!(
                        "{key}: `{f}` {}; findings: {all:?}",
                        if must { "is missing" } else { "is there" }
                    ));
                }
            }
        }
        if let Some(want) = &self.findings {
            diffs.extend(compare_findings(report, want, locale));
        }
        diffs
    }
}

/// Every finding of the report matched one to one with the expected ones, in any order.
fn compare_findings(report: &Value, want: &[ExpectedFinding], locale: Locale) -> Vec<String> {
    let got = report.get("findings").and_then(Value::as_array).unwrap_or_default();
    let mut used = vec![false; got.len()];
    let mut diffs = Vec::new();
    for w in want {
        let hit = got
            .iter()
            .zip(used.iter_mut())
            .find(|(f, u)| !**u && w.matches(f, locale));
        match hit {
            Some((_, u)) => *u = true,
            None => diffs.push(format!("findings: no finding {}", w.describe(locale))),
        }
    }
    for (f, u) in got.iter().zip(&used) {
        if !u {
            diffs.push(format!("findings: unexpected finding {}", write_value(f)));
        }
    }
    diffs
}

/// Every finding as a sorted `"RULE severity"` string.
fn all_findings(report: &Value) -> Vec<String> {
    let mut out: Vec<String> = report
        .get("findings")
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    fn v(s: &str) -> Value {
        Value::from_json(&json::parse(s).unwrap())
    }

    fn report() -> Value {
        v(
            r#"{"status": "incomplete", "route": "none", "missing_documents": ["D05"],
              "findings": [
                {"rule": "C01", "severity": "block", "message": "请上传发票。", "fields": ["documents"], "documents": ["D05"]},
                {"rule": "C17", "severity": "info", "message": "目录", "fields": ["event.diagnoses[0].icd10"], "documents": []}
              ],
              "estimate": {"payable": "400.00", "steps": [{"rule": "K01", "amount": "600.00"}]}}"#,
        )
    }

    #[test]
    fn refuses_unknown_keys_wrong_types_and_empty_expectations() {
        for (text, err) in [
            (
                r#"{"stauts": "ready"}"#,
                "expect: unknown key `stauts`; did you mean `status`?",
            ),
            ("{}", "expect: nothing to compare; give at least one of status"),
            (r#"{"status": 1}"#, "expect.status: expected a string, found number"),
            (
                r#"{"block_or_warn": ["C01"]}"#,
                "expect.block_or_warn[0]: expected \"RULE severity\"",
            ),
            (
                r#"{"block_or_warn": ["C17 info"]}"#,
                "expect.block_or_warn[0]: info findings are not listed",
            ),
            (
                r#"{"findings": [{"rule": "C01"}]}"#,
                "expect.findings[0]: missing key `severity`",
            ),
            (
                r#"{"findings": [{"rule": "C01", "severity": "block", "feilds": []}]}"#,
                "did you mean `fields`?",
            ),
            (
                r#"{"findings": [{"rule": "C01", "severity": "block", "message": {"en": "x"}}]}"#,
                "missing key `zh-CN`",
            ),
            (r#"{"payable": 400}"#, "expect.payable: expected a string"),
            (r#"{"steps": {"K01": 600}}"#, "expect.steps.K01: expected a string"),
            ("[]", "expect: expected an object"),
        ] {
            let e = Expect::from_value(&v(text)).unwrap_err();
            assert!(e.starts_with(err) || e.contains(err), "{text}: {e}");
        }
    }

    #[test]
    fn compares_every_part() {
        let r = report();
        let ok = Expect::from_value(&v(
            r#"{"status": "incomplete", "route": "none", "missing_documents": ["D05"],
            "payable": "400.00", "steps": {"K01": "600.00"}, "block_or_warn": ["C01 block"],
            "includes": ["C17 info"], "excludes": ["C02 warn"],
            "findings": ["C17 info", {"rule": "C01", "severity": "block", "fields": ["documents"], "documents": ["D05"],
                         "message": {"zh-CN": "请上传发票。", "en": "Please upload the invoices."}}]}"#,
        ))
        .unwrap();
        assert_eq!(ok.compare(&r, Locale::Zh), Vec::<String>::new());
        assert!(ok.compares_messages());
        // The English message is compared with a report written in English.
        assert_eq!(
            ok.compare(&r, Locale::En),
            [
                "findings: no finding C01 block fields [\"documents\"] documents [\"D05\"] message \"Please upload the invoices.\"",
                "findings: unexpected finding {\"rule\":\"C01\",\"severity\":\"block\",\"message\":\"请上传发票。\",\"fields\":[\"documents\"],\"documents\":[\"D05\"]}"
            ]
        );
        let bad = Expect::from_value(&v(r#"{"status": "ready", "payable": null, "steps": {"K02": "1.00"},
            "block_or_warn": [], "includes": ["C02 warn"], "excludes": ["C17 info"], "findings": ["C01 block"]}"#))
        .unwrap();
        assert_eq!(
            bad.compare(&r, Locale::Zh),
            [
                "status: expected \"ready\", got \"incomplete\"",
                "payable: expected null, got \"400.00\"",
                "step K02: expected \"1.00\", got no such step",
                "block_or_warn: expected [], got [\"C01 block\"]",
                "includes: `C02 warn` is missing; findings: [\"C01 block\", \"C17 info\"]",
                "excludes: `C17 info` is there; findings: [\"C01 block\", \"C17 info\"]",
                "findings: unexpected finding {\"rule\":\"C17\",\"severity\":\"info\",\"message\":\"目录\",\"fields\":[\"event.diagnoses[0].icd10\"],\"documents\":[]}"
            ]
        );
    }
}
