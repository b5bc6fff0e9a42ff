#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! The parts of the pack format that carry what the engine used to decide by itself: a pack's `required`
//! fields (C00 when missing, located errors for paths that are not claim fields), `aggregate` rules (one
//! finding for all firings) and `route.fast_track_limit` (the fast-track limit, an expression).

use preclaim::check::Checker;
use preclaim::json::write_value;
use preclaim::pack::def::Locale;
use preclaim::pack::{lint, load_program};
use preclaim::value::Value;

/// A small outpatient pack with the given extra top-level members and extra rules.
fn pack(extra: &str, rules: &str) -> String {
    format!(
        r#"{{
  "id": "T-1", "version": "1.0.0", "title": {{ "zh-CN": "测试", "en": "Test" }}, "products": ["T-1"],
  "params": {{ "limit": "500.00" }},
  {extra}
  "rules": [
    {{ "id": "C01", "kind": "C", "severity": "block", "when": "not ('D05' in map(documents, d => d.type))",
       "message": {{ "zh-CN": "请上传发票。", "en": "Please upload the invoices." }}, "fields": ["documents"], "documents": ["D05"] }}
    {rules}
  ],
  "estimate": {{ "steps": [{{ "rule": "K01", "label": {{ "zh-CN": "合计", "en": "Total" }}, "amount": "sum(invoices, inv => inv.total)" }}] }}
}}"#
    )
}

/// A complete outpatient claim of product T-1 with these invoice totals.
fn claim(totals: &[&str], extra: &str) -> String {
    let invoices: Vec<String> = totals
        .iter()
        .enumerate()
        .map(|(i, t)| {
            format!(r#"{{ "code": "1101012{i}", "number": "000000000{i}", "visit": "outpatient", "total": "{t}" }}"#)
        })
        .collect();
    format!(
        r#"{{
  "filed_on": "2025-05-10", "benefit": "outpatient", "cause": "illness", "event": {{ "date": "2025-05-01" }},
  "policy": {{ "product": "T-1", "effective_on": "2025-01-01", "expires_on": "2025-12-31" }},
  "insured": {{ "name": "王某", "id_type": "resident_id", "id_number": "110101198001010010" }},
  "applicant": {{ "relation": "self" }},
  {extra}
  "invoices": [{}],
  "documents": [{{ "type": "D05", "file": "invoice.jpg" }}]
}}"#,
        invoices.join(", ")
    )
}

fn report(pack: &str, claim: &str) -> Value {
    let checker = Checker::from_pack_texts(&[pack]).unwrap_or_else(|e| panic!("{e}\n{pack}"));
    checker.check_text(claim, Locale::En).unwrap().report
}

fn findings(r: &Value) -> Vec<(String, String, String)> {
    r.get("findings")
        .and_then(Value::as_array)
        .unwrap()
        .iter()
        .map(|f| {
            (
                f.get("rule").unwrap().to_js_string(),
                f.get("severity").unwrap().to_js_string(),
                write_value(f.get("fields").unwrap()),
            )
        })
        .collect()
}

fn route(r: &Value) -> String {
    r.get("route").unwrap().to_js_string()
}

#[test]
fn the_fast_track_limit_is_the_packs_route_expression() {
    let with = pack(r#""route": { "fast_track_limit": "money(params.limit)" },"#, "");
    assert_eq!(route(&report(&with, &claim(&["500.00"], ""))), "fast_track");
    assert_eq!(route(&report(&with, &claim(&["500.01"], ""))), "standard");
    // Without a route, or with a limit that is not fen, nothing is fast-tracked.
    assert_eq!(route(&report(&pack("", ""), &claim(&["1.00"], ""))), "standard");
    let text = pack(r#""route": { "fast_track_limit": "params.limit" },"#, "");
    let checker = Checker::from_pack_texts(&[text.as_str()]).unwrap();
    let out = checker.check_text(&claim(&["1.00"], ""), Locale::En).unwrap();
    assert_eq!(route(&out.report), "standard");
    assert!(
        out.diagnostics.iter().any(|d| d.contains("route.fast_track_limit")),
        "{:?}",
        out.diagnostics
    );
    // The limit may depend on the claim.
    let by_cause = pack(
        r#""route": { "fast_track_limit": "cause == 'accident' ? 0 : money(params.limit)" },"#,
        "",
    );
    assert_eq!(route(&report(&by_cause, &claim(&["100.00"], ""))), "fast_track");
    let accident = claim(&["100.00"], "").replace(r#""cause": "illness""#, r#""cause": "accident""#);
    assert_eq!(route(&report(&by_cause, &accident)), "standard");
}

#[test]
fn an_aggregate_rule_gives_one_finding_with_every_field() {
    let rule = r#", { "id": "C07", "kind": "C", "severity": "info", "aggregate": true,
       "each": [{ "as": "inv", "in": "invoices" }], "when": "inv.total > 10000",
       "message": { "zh-CN": "大额发票", "en": "Large invoices" }, "fields": ["invoices[{inv}].total"] }"#;
    let r = report(&pack("", rule), &claim(&["200.00", "100.00", "300.00"], ""));
    let c07: Vec<_> = findings(&r).into_iter().filter(|f| f.0 == "C07").collect();
    assert_eq!(
        c07,
        [(
            "C07".to_string(),
            "info".to_string(),
            r#"["invoices[0].total","invoices[2].total"]"#.to_string()
        )]
    );
    // Never firing: no finding at all.
    let r = report(&pack("", rule), &claim(&["50.00"], ""));
    assert!(findings(&r).iter().all(|f| f.0 != "C07"));
    // Without `aggregate`, one finding per firing.
    let r = report(
        &pack("", &rule.replace(r#""aggregate": true,"#, "")),
        &claim(&["200.00", "100.00", "300.00"], ""),
    );
    assert_eq!(findings(&r).iter().filter(|f| f.0 == "C07").count(), 2);
    // lint: aggregate on a rule without each does nothing.
    let once = r#", { "id": "C07", "kind": "C", "severity": "info", "aggregate": true, "when": "len(invoices) > 2",
       "message": { "zh-CN": "发票多", "en": "Many invoices" } }"#;
    let warnings = lint::lint(&load_program(&pack("", once)).unwrap());
    assert!(warnings.iter().any(|w| w.path == "rules[1].aggregate"), "{warnings:?}");
}

#[test]
fn a_packs_required_fields_are_c00_when_missing() {
    let text = pack(r#""required": ["hospital.level", "invoices[].issued_on"],"#, "");
    let r = report(&text, &claim(&["1.00", "2.00"], r#""hospital": { "name": "某医院" },"#));
    let c00: Vec<String> = findings(&r).into_iter().filter(|f| f.0 == "C00").map(|f| f.2).collect();
    assert_eq!(
        c00,
        [
            r#"["hospital.level"]"#,
            r#"["invoices[0].issued_on"]"#,
            r#"["invoices[1].issued_on"]"#
        ]
    );
    assert_eq!(r.get("status").unwrap().to_js_string(), "incomplete");
    // A malformed value is reported as malformed, once.
    let r = report(&text, &claim(&["1.00"], r#""hospital": { "level": "5" },"#));
    let c00 = findings(&r)
        .into_iter()
        .filter(|f| f.2.contains("hospital.level"))
        .count();
    assert_eq!(c00, 1);
}

#[test]
fn required_paths_are_checked_when_the_pack_loads() {
    for (required, want) in [
        (
            r#"["hospital.grade"]"#,
            "required[0]: field `hospital.grade`: unknown field `grade`",
        ),
        (
            r#"["invoices.total"]"#,
            "required[0]: field `invoices.total`: `invoices` is a list: write `invoices[]` to require a field of each element",
        ),
        (
            r#"["hospital[].level"]"#,
            "required[0]: field `hospital[].level`: `hospital` is not a list",
        ),
        (r#""hospital.level""#, "required: expected a list of field paths"),
    ] {
        let text = pack(&format!(r#""required": {required},"#), "");
        let err = load_program(&text).err().unwrap_or_else(|| panic!("{required} loads")).to_string();
        assert!(err.contains(want), "for {required}: {err}");
    }
    let err = load_program(&pack(r#""route": { "fast_track": "0" },"#, ""))
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("route.fast_track: unknown key"), "{err}");
}

#[test]
fn the_default_packs_declare_their_required_fields_and_route() {
    let checker = Checker::with_defaults().unwrap();
    for p in checker.packs().unwrap() {
        assert!(p.fast_track_limit.is_some(), "{} has no route.fast_track_limit", p.id);
        let want: &[&str] = match p.id.as_str() {
            "P-MED" => &["hospital.level", "hospital.public", "hospital.department"],
            "P-ACC" | "P-CASH" => &["hospital.level"],
            _ => &["policy.sum_insured"],
        };
        assert_eq!(p.required, want, "{}", p.id);
    }
}
