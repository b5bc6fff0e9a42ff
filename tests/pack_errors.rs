#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! A broken pack fails at load with the JSON path, line and column of the problem; a rule that runs away is
//! stopped by the step budget. Each case is a small pack built from a template with one thing wrong.

use preclaim::check::Checker;
use preclaim::pack::def::Locale;
use preclaim::pack::load_program;

/// A minimal valid pack with `RULE` replaced by the given rule object.
fn pack_with(rule: &str) -> String {
    format!(
        r#"{{
  "id": "T-1",
  "version": "1.0.0",
  "title": {{ "zh-CN": "测试", "en": "Test" }},
  "products": ["T-1"],
  "params": {{ "waiting_days": 30 }},
  "derived": {{ "start": "policy.continuous_since" }},
  "rules": [
    {rule}
  ]
}}"#
    )
}

fn rule(when: &str) -> String {
    format!(
        r#"{{ "id": "E03", "kind": "E", "severity": "block", "when": {when}, "message": {{ "zh-CN": "等待期", "en": "Waiting period" }} }}"#
    )
}

fn error_of(text: &str) -> String {
    load_program(text).map(|_| ()).unwrap_err().to_string()
}

#[test]
fn a_valid_pack_loads() {
    let p = load_program(&pack_with(&rule(
        r#""days_between(derived.start, event.date) < params.waiting_days and cause == 'illness'""#,
    )));
    assert!(p.is_ok(), "{:?}", p.err());
}

#[test]
fn errors_name_path_line_and_column() {
    let cases: &[(&str, &str)] = &[
        // A typo in a claim field, in the text syntax: the column points at the path inside the string.
        (
            r#""event.date < policy.efective_on""#,
            "9:76: rules[0].when: unknown field `efective_on`; did you mean `effective_on`? (in `policy.efective_on`)",
        ),
        // The same typo in JSONLogic.
        (
            r#"{"<": [{"var": "event.date"}, {"var": "policy.efective_on"}]}"#,
            "9:92: rules[0].when: unknown field `efective_on`; did you mean `effective_on`? (in `policy.efective_on`)",
        ),
        // After a surrogate pair escape (one character, 4 bytes decoded, 12 in the file).
        (
            r#""'\uD83D\uDE00' == cause and policy.efective_on""#,
            "9:91: rules[0].when: unknown field `efective_on`; did you mean `effective_on`? (in `policy.efective_on`)",
        ),
        (
            r#""params.waiting_dayz > 0""#,
            "9:63: rules[0].when: unknown parameter `waiting_dayz`; did you mean `waiting_days`?",
        ),
        (
            r#""derived.strat == null""#,
            "9:63: rules[0].when: unknown derived value `strat`; did you mean `start`?",
        ),
        (
            r#""days_betwen(event.date, filed_on) > 1""#,
            "9:63: rules[0].when: unknown operator `days_betwen`; did you mean `days_between`?",
        ),
        (
            r#""event.date < ""#,
            "9:76: rules[0].when: expected an expression, found end of input",
        ),
        (
            r#""regex_match(cause, '(')""#,
            "9:82: rules[0].when: invalid regular expression",
        ),
    ];
    for (when, want) in cases {
        let got = error_of(&pack_with(&rule(when)));
        assert!(got.starts_with(want), "for {when}:\n got: {got}\nwant: {want}");
    }
}

#[test]
fn structural_errors() {
    let missing_kind =
        r#"{ "id": "E03", "severity": "block", "when": "true", "message": { "zh-CN": "等", "en": "W" } }"#;
    assert_eq!(error_of(&pack_with(missing_kind)), "9:5: rules[0]: missing key `kind`");
    let typo_key =
        r#"{ "id": "E03", "kind": "E", "severity": "block", "wehn": "true", "message": { "zh-CN": "等", "en": "W" } }"#;
    assert_eq!(
        error_of(&pack_with(typo_key)),
        "9:54: rules[0].wehn: unknown key `wehn`; did you mean `when`?"
    );
    let bad_field = r#"{ "id": "E03", "kind": "E", "severity": "block", "when": "true", "fields": ["policy.efective_on"], "message": { "zh-CN": "等", "en": "W" } }"#;
    assert!(error_of(&pack_with(bad_field))
        .contains("rules[0].fields[0]: field `policy.efective_on`: unknown field `efective_on`"));
    let placeholder = r#"{ "id": "E03", "kind": "E", "severity": "block", "when": "true", "message": { "zh-CN": "还差{days}天", "en": "W" } }"#;
    assert!(error_of(&pack_with(placeholder)).contains("rules[0].message.zh-CN: `{days}` has no entry in `values`"));
    assert_eq!(error_of("{\"id\": 1,}"), "1:10: expected a string key in object");
    assert_eq!(
        error_of(&pack_with(&rule("true")).replace("1.0.0", "1.0")),
        "3:14: version: `1.0` is not a semantic version like 2026.1.0"
    );
}

#[test]
fn a_number_too_large_for_a_double_is_refused_where_it_is() {
    // Under `preserve` in a JSONLogic rule (it would print as `null`, a different rule when read back)...
    let preserve = pack_with(&rule(r#"{"<": [1, {"preserve": 1e400}]}"#));
    assert_eq!(
        error_of(&preserve),
        "9:85: number too large (out of the range of a double)"
    );
    // ...bare in a rule, deep in a preserved list, and in the params.
    let bare = pack_with(&rule(r#"{"<": [1, -1E999]}"#));
    assert_eq!(error_of(&bare), "9:72: number too large (out of the range of a double)");
    let deep = pack_with(&rule(r#"{"in": [1, {"preserve": [1, [2, 1e400]]}]}"#));
    assert_eq!(error_of(&deep), "9:94: number too large (out of the range of a double)");
    let params = pack_with(&rule("true")).replace(r#""waiting_days": 30"#, r#""waiting_days": 1e400"#);
    assert_eq!(
        error_of(&params),
        "6:31: number too large (out of the range of a double)"
    );
}

#[test]
fn a_pack_test_that_cannot_fail_is_an_error() {
    let with_test = |expect: &str| {
        pack_with(&rule("true")).replace(
            "\n  ]\n}",
            &format!("\n  ],\n  \"tests\": [{{\"name\": \"t\", \"claim\": {{}}, \"expect\": {expect}}}]\n}}"),
        )
    };
    assert!(load_program(&with_test(r#"{"status": "ready"}"#)).is_ok());
    assert_eq!(
        error_of(&with_test(r#"{"stauts": "ready"}"#)),
        "11:51: tests[0].expect.stauts: unknown key `stauts`; did you mean `status`?"
    );
    assert_eq!(
        error_of(&with_test("{}")),
        "11:50: tests[0].expect: expect: nothing to compare; give at least one of status, route, payable, steps, block_or_warn, findings, missing_documents, includes, excludes"
    );
    assert_eq!(
        error_of(&with_test(r#"{"findings": [{"rule": "C01", "severity": "fatal"}]}"#)),
        "11:50: tests[0].expect: expect.findings[0]: expected \"RULE severity\" (severity block, warn or info), found \"C01 fatal\""
    );
}

#[test]
fn derived_cycles_are_errors() {
    let text = pack_with(&rule("true")).replace(
        r#""start": "policy.continuous_since""#,
        r#""start": "derived.a", "a": "derived.b ?? policy.continuous_since", "b": "derived.start""#,
    );
    let e = error_of(&text);
    assert!(
        e.contains("derived.start: derived values depend on each other in a cycle: start → a → b → start"),
        "{e}"
    );
    let self_ref =
        pack_with(&rule("true")).replace(r#""start": "policy.continuous_since""#, r#""start": "derived.start""#);
    assert!(error_of(&self_ref).contains("cycle: start → start"));
}

#[test]
fn the_step_budget_stops_a_runaway_rule() {
    // Three nested loops over 300 documents: 27 million steps, far beyond the budget.
    let when = r#""count(documents, a => count(documents, b => count(documents, c => a.type == c.type)) > 0) > 0""#;
    let checker = Checker::from_pack_texts(&[&pack_with(&rule(when))]).unwrap();
    let docs: Vec<String> = (0..300)
        .map(|i| format!(r#"{{"type": "D01", "file": "f{i}.jpg"}}"#))
        .collect();
    let claim = format!(
        r#"{{"schema": "preclaim/claim@1", "filed_on": "2024-01-10", "benefit": "inpatient", "cause": "illness",
            "event": {{"date": "2024-01-05"}}, "policy": {{"product": "T-1", "effective_on": "2023-01-01", "expires_on": "2024-12-31"}},
            "documents": [{}]}}"#,
        docs.join(",")
    );
    let started = std::time::Instant::now();
    let err = checker.check_text(&claim, Locale::En).unwrap_err();
    assert!(err.to_string().contains("used up the evaluation budget"), "{err}");
    // The same checker still works on a normal claim afterwards.
    let ok = claim.replace(&docs.join(","), r#"{"type": "D01"}"#);
    assert!(checker.check_text(&ok, Locale::En).is_ok());
    eprintln!("budget stop took {:?}", started.elapsed());
}
