#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! Hostile inputs (issue 9): each gives a clear error or a finding in bounded time, and afterwards the same
//! [`Checker`] still checks a normal claim (examples/acc-outpatient-child.json) to the byte-identical report.
//! Every case prints how long it took (`cargo test --test hostile -- --nocapture`); the only timing
//! assertions are generous sanity bounds, enforced by running the case on a thread and giving up after the
//! bound (so a quadratic or runaway case fails instead of hanging the suite).
//!
//! The heavy cases (tens of megabytes, millions of steps) are ignored in debug builds, which run this code
//! 10–40 times slower; `make test` runs `cargo test --release --test hostile` for them.
//!
//! The shared checker holds the embedded default packs plus three small hostile packs (P-LOOP, P-REGEX,
//! P-GROW) whose rules are runaway by design; the claims choose among them by `policy.product`.

use std::sync::{mpsc, OnceLock};
use std::time::{Duration, Instant};

use preclaim::check::{CheckError, Checker, Outcome, CLAIM_JSON};
use preclaim::claim::bounded::{BoundedTree, Size};
use preclaim::claim::decode::MAX_LIST_LEN;
use preclaim::expr::{compile, jsonlogic, text, Budget, OpenEnv};
use preclaim::json::{self, write_value};
use preclaim::pack::{self, def::Locale, PackError, Program};
use preclaim::value::Value;

/// The generous sanity bound on every case: 10 s in an optimised build, 60 s in a debug build (`cargo test`
/// without `--release` runs this code 10–20 times slower).
const BOUND: Duration = Duration::from_secs(if cfg!(debug_assertions) { 60 } else { 10 });

const NORMAL: &str = include_str!("../examples/acc-outpatient-child.json");

/// A minimal pack for product `id` with one derived value `x` and one rule on it.
fn pack_with(id: &str, derived: &str, when: &str) -> String {
    format!(
        r#"{{"pack":"preclaim/pack@1","id":"{id}","version":"1.0.0","title":{{"zh-CN":"测试","en":"test"}},
"products":["{id}"],"derived":{{"x":{derived}}},
"rules":[{{"id":"R01","kind":"R","severity":"warn","when":{when},"message":{{"zh-CN":"测试","en":"test"}}}}]}}"#
    )
}

/// A 1,500-element literal list: `[0,1,...,1499]`.
fn literal_list(n: usize) -> String {
    let items: Vec<String> = (0..n).map(|i| i.to_string()).collect();
    format!("[{}]", items.join(","))
}

fn hostile_packs() -> Vec<String> {
    let l = literal_list(1500);
    vec![
        // reduce over 1500 × 1500 = 2,250,000 elements built by a nested map: ~9M steps, over the budget.
        pack_with(
            "P-LOOP",
            &format!(r#""reduce(flatten(map({l}, x => {l})), (acc, x) => acc + x, 0)""#),
            r#""derived.x > 0""#,
        ),
        // A catastrophic (for a backtracking engine) pattern on a claim string.
        pack_with("P-REGEX", r#""regex_match(insured.name, '(a+)+$')""#, r#""derived.x""#),
        // A slow rule: a lot of honest work per claim (nested `some`), stopped by the budget.
        pack_with(
            "P-GROW",
            &format!(r#""count(map({l}, x => x), x => some({l}, y => some({l}, z => z == x + y)))""#),
            r#""derived.x > 0""#,
        ),
    ]
}

/// The checker shared by every case: default packs plus the hostile ones.
fn checker() -> &'static Checker {
    static C: OnceLock<Checker> = OnceLock::new();
    C.get_or_init(|| {
        let mut programs: Vec<Program> = Checker::with_defaults()
            .unwrap()
            .packs()
            .unwrap()
            .into_iter()
            .cloned()
            .collect();
        for p in hostile_packs() {
            programs.push(pack::load_program(&p).unwrap_or_else(|e| panic!("hostile pack: {e}\n{p}")));
        }
        Checker::from_programs(programs)
    })
}

/// The report of the normal claim from a fresh checker (the reference).
fn normal_report() -> &'static str {
    static R: OnceLock<String> = OnceLock::new();
    R.get_or_init(|| {
        let c = Checker::with_defaults().unwrap();
        write_value(&c.check_text(NORMAL, Locale::Zh).unwrap().report)
    })
}

/// After a hostile input: the same checker still checks the normal claim correctly.
fn still_checks_normal_claim() {
    let out = checker().check_text(NORMAL, Locale::Zh).unwrap();
    assert_eq!(out.report.get("status").and_then(Value::as_str), Some("ready"));
    let payable = out
        .report
        .get("estimate")
        .and_then(|e| e.get("payable"))
        .and_then(Value::as_str);
    assert_eq!(payable, Some("275.00"));
    assert_eq!(write_value(&out.report), normal_report());
}

/// Runs `f` on a thread, prints how long it took, and fails if it takes longer than `bound`.
fn timed<T: Send + 'static>(name: &str, bound: Duration, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    let start = Instant::now();
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || {
            let r = f();
            let _ = tx.send(r);
        })
        .unwrap();
    match rx.recv_timeout(bound) {
        Ok(r) => {
            eprintln!("hostile: {name}: {:.1} ms", start.elapsed().as_secs_f64() * 1e3);
            r
        }
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!("hostile: {name}: not done after {bound:?} (the work keeps running on its thread)")
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("hostile: {name}: panicked"),
    }
}

fn check(name: &str, claim: String) -> Result<Outcome, CheckError> {
    timed(name, BOUND, move || checker().check_text(&claim, Locale::En))
}

/// The C00 findings' field paths of a report.
fn c00_fields(report: &Value) -> Vec<String> {
    report
        .get("findings")
        .and_then(Value::as_array)
        .unwrap_or_default()
        .iter()
        .filter(|f| f.get("rule").and_then(Value::as_str) == Some("C00"))
        .flat_map(|f| f.get("fields").and_then(Value::as_array).unwrap_or_default().to_vec())
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

fn message_of(report: &Value, field: &str) -> String {
    let findings = report.get("findings").and_then(Value::as_array).unwrap_or_default();
    findings
        .iter()
        .find(|f| {
            f.get("fields")
                .and_then(Value::as_array)
                .is_some_and(|a| a.iter().any(|x| x.as_str() == Some(field)))
        })
        .and_then(|f| f.get("message").and_then(Value::as_str))
        .unwrap_or_default()
        .to_string()
}

/// The normal claim with one JSON edit: `edit(claim)` on the parsed claim, printed back.
fn normal_with(edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut v: serde_json::Value = serde_json::from_str(NORMAL).unwrap();
    edit(&mut v);
    serde_json::to_string(&v).unwrap()
}

/// The normal claim's text with `"paid_this_year": "800.00"` replaced by raw JSON (numbers serde cannot hold).
fn normal_with_raw(field: &str, old: &str, raw: &str) -> String {
    let from = format!("\"{field}\": {old}");
    assert!(NORMAL.contains(&from), "{from}");
    NORMAL.replacen(&from, &format!("\"{field}\": {raw}"), 1)
}

fn nested(depth: usize, open: &str, inner: &str, close: &str) -> String {
    format!("{}{inner}{}", open.repeat(depth), close.repeat(depth))
}

// --- nesting -------------------------------------------------------------------------------------------

#[test]
fn claim_nested_10000_deep() {
    for (open, close) in [("[", "]"), ("{\"a\":", "}")] {
        let claim = format!(
            r#"{{"schema":"preclaim/claim@1","insured":{{"name":{}}}}}"#,
            nested(10_000, open, "1", close)
        );
        let err = check("claim nested 10,000 deep", claim).unwrap_err();
        let CheckError::NotJson(msg) = err else {
            panic!("{err:?}")
        };
        assert!(msg.contains("nesting deeper than 64 levels"), "{msg}");
        still_checks_normal_claim();
    }
}

#[test]
fn pack_nested_10000_deep() {
    let p = pack_with("P-DEEP", &nested(10_000, "[", "1", "]"), "true");
    let err: PackError = timed("pack nested 10,000 deep", BOUND, move || pack::load_program(&p)).unwrap_err();
    assert_eq!(err.code, "pack.json", "{err}");
    assert!(err.message.contains("nesting deeper than"), "{err}");
    still_checks_normal_claim();
}

#[test]
fn jsonlogic_rule_nested_10000_deep() {
    let rule = nested(10_000, r#"{"!":"#, "true", "}");
    let r2 = rule.clone();
    let err = timed("JSONLogic rule nested 10,000 deep", BOUND, move || {
        jsonlogic::parse_text(&r2)
    })
    .unwrap_err();
    assert!(err.message.contains("nesting deeper than"), "{err}");
    // The same rule inside a pack.
    let p = pack_with("P-DEEP", &rule, "true");
    let err = timed("pack with a JSONLogic rule 10,000 deep", BOUND, move || {
        pack::load_program(&p)
    })
    .unwrap_err();
    assert_eq!(err.code, "pack.json", "{err}");
    // Under the JSON limit but over the compiler's: a compile error, not a stack overflow.
    let rule = nested(250, r#"{"!":"#, "true", "}");
    let node = jsonlogic::parse_text(&rule).unwrap();
    let err = compile(&node, &OpenEnv).unwrap_err();
    assert!(err.to_string().contains("nested deeper than 200"), "{err}");
    let p = pack_with("P-DEEP", &rule, "true");
    let err = pack::load_program(&p).unwrap_err();
    assert_eq!(err.code, "pack.expr", "{err}");
    still_checks_normal_claim();
}

#[test]
fn text_syntax_nested_deep() {
    for (what, src) in [
        ("parentheses", nested(10_000, "(", "1", ")")),
        ("not", format!("{}true", "not ".repeat(10_000))),
        ("unary minus", format!("{}1", "-".repeat(10_000))),
        ("calls", nested(10_000, "abs(", "1", ")")),
        ("lists", nested(10_000, "[", "1", "]")),
        (
            "ternaries",
            format!("{}1{}", "true ? ".repeat(10_000), " : 0".repeat(10_000)),
        ),
        (
            "lambdas",
            format!("{}1{}", "map(invoices, x => ".repeat(5_000), ")".repeat(5_000)),
        ),
    ] {
        let s = src.clone();
        let err = timed(&format!("text syntax: {what} nested 10,000 deep"), BOUND, move || {
            text::parse(&s)
        })
        .unwrap_err();
        assert!(err.message.contains("levels of nesting"), "{what}: {err}");
        let p = pack_with("P-DEEP", &serde_json::to_string(&src).unwrap(), "true");
        let err = pack::load_program(&p).unwrap_err();
        assert_eq!(err.code, "pack.expr", "{what}: {err}");
    }
    // Longer than the text syntax accepts.
    let long = format!("1{}", " + 1".repeat(300_000));
    let err = timed("text syntax: 1.2 MB expression", BOUND, move || text::parse(&long)).unwrap_err();
    assert!(err.message.contains("bytes of input"), "{err}");
    still_checks_normal_claim();
}

// --- size ----------------------------------------------------------------------------------------------

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "heavy: runs in release (make test: cargo test --release --test hostile)"
)]
fn claim_of_50_megabytes() {
    // A huge string in a field the rules read: a report (a long name is not an error).
    let big = "周".repeat((50 << 20) / 3 + 1);
    let claim = normal_with(move |v| v["insured"]["name"] = serde_json::Value::String(big));
    assert!(claim.len() > 50 << 20);
    let out = check("50 MB claim (insured.name)", claim).unwrap();
    // The invoice's patient name no longer matches: a review finding, not a malformed field.
    assert_eq!(out.report.get("status").and_then(Value::as_str), Some("review"));
    assert!(c00_fields(&out.report).is_empty());
    // A huge field that is not part of claim@1: ignored and listed, not echoed.
    let big = "x".repeat(50 << 20);
    let claim = normal_with(move |v| v["notes"] = serde_json::Value::String(big));
    let out = check("50 MB claim (unknown field)", claim).unwrap();
    let text = write_value(&out.report);
    assert!(text.contains("\"notes\""), "the unknown field is listed");
    assert!(
        text.len() < 100_000,
        "the report does not echo the field: {} bytes",
        text.len()
    );
    // Above the limit: a clear error before parsing.
    let claim = " ".repeat(preclaim::check::MAX_CLAIM_BYTES + 1);
    let err = check("claim above MAX_CLAIM_BYTES", claim).unwrap_err();
    assert!(err.to_string().contains("larger than"), "{err}");
    still_checks_normal_claim();
}

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "heavy: runs in release (make test: cargo test --release --test hostile)"
)]
fn one_hundred_thousand_invoices() {
    // Small invoices (1.6 MB) and full copies of the example's invoice (48 MB).
    let claim = normal_with(|v| {
        let inv = serde_json::json!({ "total": "1.00" });
        v["invoices"] = serde_json::Value::Array(vec![inv; 100_000]);
    });
    let out = check("100,000 small invoices", claim).unwrap();
    assert_eq!(c00_fields(&out.report), ["invoices"]);
    let claim = normal_with(|v| {
        let inv = v["invoices"][0].clone();
        v["invoices"] = serde_json::Value::Array(vec![inv; 100_000]);
    });
    // Past the claim's 1,000,000 JSON values: refused while parsing (issue 13 item 7).
    let e = check("100,000 full invoices (48 MB)", claim).unwrap_err();
    assert_eq!(e.code(), "claim.too_large", "{e}");
    let claim = normal_with(|v| {
        let inv = v["invoices"][0].clone();
        v["invoices"] = serde_json::Value::Array(vec![inv; MAX_LIST_LEN + 1]);
    });
    let out = check("10,001 full invoices", claim).unwrap();
    assert_eq!(c00_fields(&out.report), ["invoices"]);
    let msg = message_of(&out.report, "invoices");
    assert!(msg.contains(&MAX_LIST_LEN.to_string()), "{msg}");
    assert_eq!(out.report.get("status").and_then(Value::as_str), Some("incomplete"));
    still_checks_normal_claim();
}

#[test]
fn two_thousand_invoices_with_repeats_are_checked_not_stopped() {
    // Duplicate invoices are found in O(n log n) (`repeats`), so a long claim is checked, not stopped by the
    // budget (a pairwise `x in slice(list, 0, i)` was quadratic and stopped near 1,000 invoices).
    let claim = normal_with(|v| {
        let inv = v["invoices"][0].clone();
        let list: Vec<serde_json::Value> = (0..2000)
            .map(|i| {
                let mut x = inv.clone();
                let n = if i % 10 == 9 { i - 1 } else { i };
                x["number"] = serde_json::json!(format!("{:010}", 5_000_000 + n));
                x
            })
            .collect();
        v["invoices"] = serde_json::Value::Array(list);
    });
    let out = check("2,000 invoices, every tenth a repeat", claim).unwrap();
    let r02 = out
        .report
        .get("findings")
        .and_then(Value::as_array)
        .unwrap()
        .iter()
        .filter(|f| f.get("rule").and_then(Value::as_str) == Some("R02"))
        .count();
    assert_eq!(r02, 200);
    still_checks_normal_claim();
}

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "heavy: runs in release (make test: cargo test --release --test hostile)"
)]
fn invoices_at_the_list_cap() {
    // MAX_LIST_LEN invoices: decoded; the default pack either reports or stops on its budget, in bounded time.
    let claim = normal_with(|v| {
        let inv = v["invoices"][0].clone();
        v["invoices"] = serde_json::Value::Array(vec![inv; MAX_LIST_LEN]);
    });
    match check("10,000 invoices (the cap)", claim) {
        Ok(out) => eprintln!(
            "hostile: 10,000 invoices: status {:?}",
            out.report.get("status").and_then(Value::as_str)
        ),
        Err(CheckError::Stopped(m)) => eprintln!("hostile: 10,000 invoices: stopped: {m}"),
        Err(e) => panic!("{e}"),
    }
    still_checks_normal_claim();
}

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "heavy: runs in release (make test: cargo test --release --test hostile)"
)]
fn lists_at_their_caps_with_distinct_keys() {
    // 10,000 invoices with distinct numbers and 10,000 used invoice keys (4.9 MB, within every limit): the
    // default pack's duplicate and used-before checks do O(n) work per step (`in`, `slice`), so the check
    // takes seconds although it uses a fraction of the step budget.
    let claim = normal_with(|v| {
        let inv = v["invoices"][0].clone();
        let invoices = (0..MAX_LIST_LEN)
            .map(|i| {
                let mut x = inv.clone();
                x["number"] = format!("{i:010}").into();
                x
            })
            .collect();
        v["invoices"] = serde_json::Value::Array(invoices);
        let keys: Vec<serde_json::Value> = (0..MAX_LIST_LEN).map(|i| format!("X/{i}").into()).collect();
        v["history"] = serde_json::json!({ "used_invoices": keys });
    });
    let out = check("10,000 distinct invoices + 10,000 used keys", claim);
    assert!(out.is_ok() || matches!(out, Err(CheckError::Stopped(_))), "{out:?}");
    still_checks_normal_claim();
}

#[test]
fn one_hundred_thousand_used_invoice_keys() {
    // `history.used_invoices` is a list of strings: it must be capped like the lists of records.
    let claim = normal_with(|v| {
        let keys: Vec<serde_json::Value> = (0..100_000).map(|i| format!("11010125/{i:010}").into()).collect();
        v["history"] = serde_json::json!({ "used_invoices": keys });
    });
    let out = check("100,000 history.used_invoices", claim).unwrap();
    assert_eq!(c00_fields(&out.report), ["history.used_invoices"]);
    still_checks_normal_claim();
}

// --- numbers -------------------------------------------------------------------------------------------

#[test]
fn huge_and_negative_zero_money() {
    // (raw JSON, is it a C00 finding?). JSON `-0` is the number zero (JavaScript's JSON.stringify(-0) is
    // "0"), so it is 0.00; the string "-0" is negative text and is refused (money.rs).
    for (raw, c00) in [
        ("1e400", true),
        ("-1e400", true),
        ("1e12", false),
        ("1000000000000", false),
        ("1000000000000.01", true),
        ("\"1000000000000.01\"", true),
        ("9223372036854775807", true),
        ("-9223372036854775808", true),
        ("123456789012345678901234567890", true),
        ("\"-0\"", true),
        ("\"-0.00\"", true),
        ("-0", false),
        ("-0.0", false),
        ("1.005", true),
        ("5e-324", true),
        ("NaN", false),
    ] {
        let claim = normal_with_raw("paid_this_year", "\"800.00\"", raw);
        if raw == "NaN" {
            let err = check("paid_this_year: NaN", claim).unwrap_err();
            assert!(matches!(err, CheckError::NotJson(_)), "{err:?}");
            continue;
        }
        let out = check(&format!("paid_this_year: {raw}"), claim).unwrap();
        let fields = c00_fields(&out.report);
        let msg = message_of(&out.report, "policy.paid_this_year");
        eprintln!("hostile: paid_this_year {raw}: {msg}");
        if c00 {
            assert_eq!(fields, ["policy.paid_this_year"], "{raw}");
            assert!(
                out.report.get("estimate").is_some_and(Value::is_null),
                "{raw}: no estimate"
            );
        } else {
            assert!(fields.is_empty(), "{raw}: {fields:?}");
            let pay = out
                .report
                .get("estimate")
                .and_then(|e| e.get("payable"))
                .and_then(Value::as_str);
            assert!(pay.is_some(), "{raw}: an estimate");
        }
    }
    // 1e400 in an item amount: a C00 on that item, and no estimate.
    let claim = NORMAL.replacen("\"amount\": \"25.00\"", "\"amount\": 1e400", 1);
    let out = check("items[0].amount: 1e400", claim).unwrap();
    assert_eq!(c00_fields(&out.report), ["invoices[0].items[0].amount"]);
    assert!(out.report.get("estimate").is_some_and(Value::is_null));
    still_checks_normal_claim();
}

#[test]
fn infinity_and_negative_zero_in_rules() {
    let data = Value::from_json(&json::parse(r#"{"a": 1e400, "b": -0, "c": -0.0}"#).unwrap());
    for (rule, want) in [
        (r#"{"+":[{"var":"a"},1]}"#, None),
        (r#"{"money":{"var":"a"}}"#, None),
        (r#"{"===":[{"var":"b"},0]}"#, Some("true")),
        (r#"{"==":[{"var":"c"},0]}"#, Some("true")),
        (r#"{"money":{"var":"c"}}"#, None),
        (r#"{"/":[1,{"var":"c"}]}"#, None),
    ] {
        let e = compile(&jsonlogic::parse_text(rule).unwrap(), &OpenEnv).unwrap();
        let r = e.eval(&data);
        eprintln!("hostile: {rule} on 1e400/-0: {r:?}");
        if let Some(w) = want {
            assert_eq!(r.map(|v| write_value(&v)).ok().as_deref(), Some(w), "{rule}");
        }
    }
    still_checks_normal_claim();
}

// --- duplicate keys ------------------------------------------------------------------------------------

#[test]
fn duplicate_keys_in_a_claim() {
    let claim = NORMAL.replacen(
        "\"benefit\": \"outpatient\",",
        "\"benefit\": \"outpatient\", \"benefit\": \"death\",",
        1,
    );
    let err = check("claim with a duplicate key", claim).unwrap_err();
    let CheckError::NotJson(msg) = err else {
        panic!("{err:?}")
    };
    assert!(msg.contains("duplicate key \"benefit\""), "{msg}");
    // Nested, in an invoice item.
    let claim = NORMAL.replacen("\"class\": \"A\",", "\"class\": \"A\", \"class\": \"self\",", 1);
    let err = check("claim with a nested duplicate key", claim).unwrap_err();
    assert!(err.to_string().contains("duplicate key \"class\""), "{err}");
    still_checks_normal_claim();
}

#[test]
fn duplicate_keys_in_a_pack() {
    let p = pack_with("P-DUP", r#""1", "x": "2""#, "true");
    let err = pack::load_program(&p).unwrap_err();
    assert_eq!(err.code, "pack.json", "{err}");
    assert!(err.message.contains("duplicate key \"x\""), "{err}");
    still_checks_normal_claim();
}

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "heavy: runs in release (make test: cargo test --release --test hostile)"
)]
fn many_distinct_keys_in_a_claim() {
    // 200,000 distinct keys (2.6 MB): the duplicate-key check must not be quadratic.
    let mut claim = String::from(r#"{"schema":"preclaim/claim@1""#);
    for i in 0..200_000 {
        claim.push_str(&format!(",\"k{i}\":0"));
    }
    claim.push('}');
    let out = check("claim with 200,000 distinct keys", claim).unwrap();
    assert_eq!(out.report.get("status").and_then(Value::as_str), Some("incomplete"));
    still_checks_normal_claim();
}

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "heavy: runs in release (make test: cargo test --release --test hostile)"
)]
fn many_distinct_keys_in_a_document_quality_object() {
    // `documents[].quality` is free-form (Kind::Any): its keys go through Value::from_json.
    let mut q = String::from("{");
    for i in 0..200_000 {
        if i > 0 {
            q.push(',');
        }
        q.push_str(&format!("\"k{i}\":0"));
    }
    q.push('}');
    let claim = NORMAL.replacen("\"pages\": 1", &format!("\"pages\": 1, \"quality\": {q}"), 1);
    let out = check("documents[0].quality with 200,000 keys", claim).unwrap();
    assert!(out.report.get("status").is_some());
    still_checks_normal_claim();
}

// --- lone surrogates -----------------------------------------------------------------------------------

#[test]
fn lone_surrogates_from_javascript() {
    let claim = NORMAL.replacen("\"周小安\"", "\"周\\ud800小安\"", 1);
    let out = check("lone UTF-16 surrogate in insured.name", claim).unwrap();
    assert_eq!(c00_fields(&out.report), ["insured.name"]);
    let claim = NORMAL.replacen("\"S62.1\"", "\"S62.1\\udfff\"", 1);
    let out = check("lone UTF-16 surrogate in a diagnosis", claim).unwrap();
    assert_eq!(c00_fields(&out.report), ["event.diagnoses[0].icd10"]);
    still_checks_normal_claim();
}

// --- packs ---------------------------------------------------------------------------------------------

#[test]
fn self_referencing_derived_value() {
    for (what, derived) in [
        ("itself", r#""derived.x + 1""#),
        ("itself in JSONLogic", r#"{"+":[{"var":"derived.x"},1]}"#),
        ("itself in a lambda", r#""map(invoices, i => derived.x)""#),
    ] {
        let p = pack_with("P-SELF", derived, "true");
        let err = pack::load_program(&p).unwrap_err();
        assert_eq!(err.code, "pack.cycle", "{what}: {err}");
        assert!(err.path.starts_with("derived"), "{what}: {err}");
    }
    // Two values through each other.
    let p = r#"{"pack":"preclaim/pack@1","id":"P-SELF","version":"1.0.0","title":{"zh-CN":"测试","en":"test"},
"products":["P-SELF"],"derived":{"a":"derived.b","b":"derived.a"},"rules":[]}"#;
    let err = pack::load_program(p).unwrap_err();
    assert_eq!(err.code, "pack.cycle", "{err}");
    still_checks_normal_claim();
}

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "heavy: runs in release (make test: cargo test --release --test hostile)"
)]
fn reduce_over_a_huge_list_is_stopped_by_the_budget() {
    let claim = NORMAL.replacen("\"P-ACC\"", "\"P-LOOP\"", 1);
    // Stopped either by the step budget or by the cap on list sizes (flatten of 2,250,000 values).
    match check("reduce over 2,250,000 elements", claim) {
        Err(CheckError::Stopped(msg)) => assert!(msg.contains("derived value `x`") && msg.contains("budget"), "{msg}"),
        Ok(out) => assert!(
            out.diagnostics.iter().any(|d| d.contains("more than 1,000,000 values")),
            "{:?}",
            out.diagnostics
        ),
        Err(e) => panic!("{e:?}"),
    }
    still_checks_normal_claim();
    // The same through the expression API with an explicit budget.
    let l = literal_list(1500);
    let src = format!("reduce(flatten(map({l}, x => {l})), (acc, x) => acc + x, 0)");
    let e = compile(&text::parse(&src).unwrap(), &OpenEnv).unwrap();
    let r = timed("reduce via eval_with, budget 1,000,000", BOUND, move || {
        let mut b = Budget::new(1_000_000);
        let r = e.eval_with(&Value::Null, &[], &mut b);
        (r, b.used())
    });
    // Stopped by the budget or by the list-size cap, never past the budget.
    assert!(
        matches!(
            &r.0,
            Err(preclaim::expr::EvalError::Budget(1_000_000)) | Err(preclaim::expr::EvalError::InvalidArguments(_))
        ),
        "{:?}",
        r.0
    );
    assert!(r.1 <= 1_000_000);
}

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "heavy: runs in release (make test: cargo test --release --test hostile)"
)]
fn slow_rule_is_stopped_by_the_budget() {
    let claim = NORMAL.replacen("\"P-ACC\"", "\"P-GROW\"", 1);
    let err = check("nested some over 1500^3", claim).unwrap_err();
    assert!(matches!(err, CheckError::Stopped(_)), "{err:?}");
    still_checks_normal_claim();
}

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "heavy: runs in release (make test: cargo test --release --test hostile)"
)]
fn catastrophic_regular_expression() {
    let mut name = "a".repeat(1 << 20);
    name.push('!');
    let claim = normal_with(move |v| {
        v["policy"]["product"] = "P-REGEX".into();
        v["insured"]["name"] = name.into();
    });
    let out = check("(a+)+$ on 1 MB of 'a' then '!'", claim).unwrap();
    assert!(out.report.get("status").is_some());
    // Through the expression API.
    let e = compile(&text::parse("regex_match(s, '^(a+)+$')").unwrap(), &OpenEnv).unwrap();
    let data = Value::object(vec![("s".into(), Value::str(&format!("{}b", "a".repeat(1 << 20))))]);
    let r = timed("regex_match (a+)+$ on 1 MB, eval", BOUND, move || e.eval(&data));
    assert_eq!(r, Ok(Value::Bool(false)));
    still_checks_normal_claim();
}

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "heavy: runs in release (make test: cargo test --release --test hostile)"
)]
fn distinct_of_a_large_literal_at_compile_time() {
    // Constant folding runs the operator at compile time, outside the step budget: it must stay bounded.
    let l = literal_list(100_000);
    let p = pack_with("P-FOLD", &format!(r#""len(distinct({l}))""#), r#""derived.x > 0""#);
    let r = timed(
        "pack folding distinct() of a 100,000-element literal",
        BOUND,
        move || pack::load_program(&p).map(|_| ()),
    );
    eprintln!("hostile: folding distinct: {r:?}");
    still_checks_normal_claim();
}

/// A pack whose derived values double a claim string `n` times (`d0 = cat(name, name)`, `d{i} = cat(d{i-1},
/// d{i-1})`): 2^n times the name in about 3n evaluation steps.
fn doubling_pack(n: usize) -> String {
    let mut derived = vec![r#""d0":"cat(insured.name, insured.name)""#.to_string()];
    for i in 1..n {
        derived.push(format!(r#""d{i}":"cat(derived.d{}, derived.d{})""#, i - 1, i - 1));
    }
    format!(
        r#"{{"pack":"preclaim/pack@1","id":"P-CAT","version":"1.0.0","title":{{"zh-CN":"测试","en":"test"}},
"products":["P-CAT"],"derived":{{{}}},
"rules":[{{"id":"R01","kind":"R","severity":"warn","when":"len(derived.d{}) > 0","message":{{"zh-CN":"测试","en":"test"}}}}]}}"#,
        derived.join(","),
        n - 1
    )
}

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "heavy: runs in release (make test: cargo test --release --test hostile)"
)]
fn string_doubling_in_derived_values_measured() {
    // 22 doublings of a 9-byte name: 36 MB in about 70 steps (the budget counts steps, not bytes).
    let c = Checker::from_programs(vec![pack::load_program(&doubling_pack(22)).unwrap()]);
    let claim = NORMAL.replacen("\"P-ACC\"", "\"P-CAT\"", 1);
    let r = timed("22 doubling cat() derived values (36 MB string)", BOUND, move || {
        c.check_text(&claim, Locale::En)
            .map(|o| o.report.get("status").cloned())
    });
    eprintln!("hostile: 22 doublings: {r:?}");
    still_checks_normal_claim();
}

#[test]
fn string_doubling_in_derived_values_is_bounded() {
    // 40 doublings: 2^40 × 9 bytes. Must stop with an error (a size limit or a budget that counts bytes),
    // not exhaust memory and kill the page.
    let c = Checker::from_programs(vec![pack::load_program(&doubling_pack(40)).unwrap()]);
    let claim = NORMAL.replacen("\"P-ACC\"", "\"P-CAT\"", 1);
    let r = timed("40 doubling cat() derived values", BOUND, move || {
        c.check_text(&claim, Locale::En).map(|o| write_value(&o.report).len())
    });
    // `cat` refuses to build a text over 1 MiB: the derived value fails (the rules that need it do not fire)
    // and the report is small; nothing near 2^40 bytes is ever allocated.
    match r {
        Ok(len) => assert!(len < 100_000, "report of {len} bytes"),
        Err(e) => assert!(matches!(e, CheckError::Stopped(_)), "{e:?}"),
    }
    still_checks_normal_claim();
}

// --- found by fuzzing ----------------------------------------------------------------------------------

#[test]
fn literal_infinity_survives_printing() {
    // Found by fuzz target `jsonlogic` (input `11111111E111111111111111111`): a number literal too large for
    // f64 parses as infinity and prints as `null`, so printing and re-parsing changes the rule
    // (`{"<":[{"var":"a"},1e400]}` becomes `{"<":[{"var":"a"},null]}`, i.e. `a < 0`). jsonlogic.rs promises
    // that printing and re-parsing gives the same tree; a rule with such a literal should be rejected or
    // printed so that it survives.
    // Fixed: such a literal is rejected when the rule is read.
    for rule in ["11111111E111111111111111111", r#"{"<":[{"var":"a"},1e400]}"#] {
        let e = jsonlogic::parse_text(rule).unwrap_err();
        assert!(e.message.contains("number too large"), "{rule}: {e}");
    }
}

#[test]
fn get_pays_for_a_list_key_but_not_for_the_list_it_indexes() {
    let xs: Vec<Value> = (0..100_000).map(Value::Int).collect();
    let data = Value::object(vec![
        ("xs".into(), Value::array(xs)),
        ("o".into(), Value::object(vec![("a".into(), Value::Int(1))])),
    ]);
    // Indexing a long list is one read: 100,000 of them fit the budget.
    let e = compile(&text::parse("len(map(xs, x => get(xs, 5)))").unwrap(), &OpenEnv).unwrap();
    let d = data.clone();
    assert_eq!(
        timed("100,000 × get(list, i)", BOUND, move || e.eval(&d)),
        Ok(Value::Int(100_000))
    );
    // A long list used as a key is turned into text each time: it pays its length, so the budget stops it.
    let e = compile(&text::parse("len(map(xs, x => get(o, xs)))").unwrap(), &OpenEnv).unwrap();
    let r = timed("100,000 × get(obj, 100,000-element key)", BOUND, move || e.eval(&data));
    assert!(matches!(r, Err(preclaim::expr::EvalError::Budget(_))), "{r:?}");
}

#[test]
fn repeats_and_distinct_of_large_values_are_refused_not_slow() {
    let xs: Vec<Value> = (0..10_000).map(Value::Int).collect();
    let data = Value::object(vec![("xs".into(), Value::array(xs))]);
    for f in ["repeats", "distinct"] {
        // 10,000 references to one 10,000-element list: cheap to build, 500 MB of text to compare.
        let e = compile(&text::parse(&format!("{f}(map(xs, x => xs))")).unwrap(), &OpenEnv).unwrap();
        let d = data.clone();
        let r = timed(&format!("{f} of 10,000 large lists"), BOUND, move || e.eval(&d));
        assert!(
            matches!(&r, Err(preclaim::expr::EvalError::InvalidArguments(m)) if m.contains("too large")),
            "{f}: {r:?}"
        );
    }
}

// --- issue 13: a signed pack altered, personal numbers in messages, control characters in errors --------

/// RFC 8032 test 1's secret key (the one `src/pack/signature.rs` tests with).
const SEED: &str = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";

#[test]
fn a_signed_pack_with_a_number_out_of_range_neither_verifies_nor_loads() {
    use preclaim::pack::signature::{public_key_of, sign, verify, SignatureError, TrustedKey};
    let key = TrustedKey::from_hex(&public_key_of(SEED).unwrap()).unwrap();
    let signed = sign(include_str!("../packs/p-acc.json"), SEED, Some("test")).unwrap();
    assert!(verify(&signed, std::slice::from_ref(&key), true).is_ok());
    // A JSON null (in the pack's own tests: an expected payable), not the text "null" in an expression.
    assert!(
        signed.contains("\"payable\": null"),
        "the signed pack has a null to replace"
    );
    for big in ["1e400", "-1e400", "1E999"] {
        let altered = signed.replacen("\"payable\": null", &format!("\"payable\": {big}"), 1);
        assert_eq!(
            verify(&altered, std::slice::from_ref(&key), true),
            Err(SignatureError::NumberOutOfRange),
            "{big}"
        );
        let e = Checker::from_pack_texts_trusted(&[&altered], std::slice::from_ref(&key), true).unwrap_err();
        assert_eq!(e.code, "pack.signature", "{e}");
        let e = pack::load_program(&altered).unwrap_err();
        assert_eq!(e.code, "pack.json", "{e}");
        assert!(e.message.contains("too large"), "{e}");
        still_checks_normal_claim();
    }
    // The same number written another way keeps the signature (it is the same pack); another number breaks it.
    let same = signed.replacen("\"grace_days\": 60", "\"grace_days\": 6.0e1", 1);
    assert_ne!(same, signed);
    assert!(verify(&same, std::slice::from_ref(&key), true).is_ok());
    let other = signed.replacen("\"grace_days\": 60", "\"grace_days\": 60.5", 1);
    assert_eq!(
        verify(&other, std::slice::from_ref(&key), true),
        Err(SignatureError::Invalid)
    );
}

/// ID and card numbers used in these cases (valid ones and a Luhn failure).
const CARD: &str = "6225768888888888";
const BAD_CARD: &str = "6225768888888880";
const ID: &str = "110101198001010010";
const ID_X: &str = "11010519491231002X";

/// The report's findings of one rule, as (message, fields).
fn findings_of(report: &Value, rule: &str) -> Vec<String> {
    report
        .get("findings")
        .and_then(Value::as_array)
        .unwrap_or_default()
        .iter()
        .filter(|f| f.get("rule").and_then(Value::as_str) == Some(rule))
        .filter_map(|f| f.get("message").and_then(Value::as_str).map(str::to_string))
        .collect()
}

/// The claims of issue 13 that typed a personal number into a field a message echoes, with the rule that
/// echoes it.
fn numbers_in_echoed_fields() -> Vec<(&'static str, &'static str, String)> {
    let mut cases = Vec::new();
    for secret in [CARD, BAD_CARD, ID, ID_X] {
        cases.push((
            "C17",
            secret,
            normal_with(|c| c["event"]["diagnoses"][0]["icd10"] = secret.into()),
        ));
        cases.push((
            "C18",
            secret,
            normal_with(|c| c["invoices"][0]["items"][0]["code"] = secret.into()),
        ));
        cases.push((
            "C19",
            secret,
            normal_with(|c| {
                c["documents"][0]["file"] = format!("{secret}.jpg").into();
                c["documents"][0]["quality"] = serde_json::json!({"verdict": "retake", "issues": ["blur"]});
            }),
        ));
        cases.push((
            "R02",
            secret,
            normal_with(|c| {
                c["invoices"][0]["number"] = secret.into();
                let again = c["invoices"][0].clone();
                c["invoices"].as_array_mut().unwrap().push(again);
            }),
        ));
    }
    cases
}

#[test]
fn personal_numbers_typed_into_echoed_fields_never_come_back_in_full() {
    for (rule, secret, claim) in numbers_in_echoed_fields() {
        for locale in [Locale::En, Locale::Zh] {
            let out = checker().check_text(&claim, locale).unwrap();
            let messages = findings_of(&out.report, rule);
            assert!(!messages.is_empty(), "{rule} did not fire for {secret}");
            assert!(messages.iter().any(|m| m.contains("****")), "{rule}: {messages:?}");
            let text = write_value(&out.report);
            assert!(!text.contains(secret), "{rule} echoes {secret}: {messages:?}");
            // Nor any 13 digits of it in a row.
            for w in 0..=secret.len() - 13 {
                assert!(!text.contains(&secret[w..w + 13]), "{rule} echoes part of {secret}");
            }
            for d in &out.diagnostics {
                assert!(!d.contains(secret), "a diagnostic echoes {secret}: {d}");
            }
        }
        still_checks_normal_claim();
    }
    // A card number as an unknown key (listed in `ignored_fields`) or as the product code.
    let claim = normal_with(|c| {
        c["payee"][CARD] = "x".into();
        c["policy"]["product"] = CARD.into();
    });
    let text = write_value(&checker().check_text(&claim, Locale::En).unwrap().report);
    assert!(
        !text.contains(CARD) && text.contains("payee.****************"),
        "{text}"
    );
    still_checks_normal_claim();
}

#[test]
fn a_card_typed_key_by_key_never_shows_more_than_its_final_mask() {
    // C06 fires while the number is incomplete or fails the Luhn check; its masks, put together, must not
    // spell the number: no digit until it is complete and valid (and then C06 is quiet).
    for card in [CARD, "4111111111111111", "6212263602012345678"] {
        let mut shown: Vec<String> = Vec::new();
        for n in 1..=card.len() {
            let typed = &card[..n];
            let claim = normal_with(|c| c["payee"]["bank_card"] = typed.into());
            let out = checker().check_text(&claim, Locale::En).unwrap();
            for m in findings_of(&out.report, "C06") {
                if m.contains("card number") {
                    let digits: String = m.chars().filter(char::is_ascii_digit).collect();
                    assert!(digits.is_empty(), "{typed}: {m}");
                    shown.push(m);
                }
            }
        }
        assert!(!shown.is_empty(), "{card}: C06 never fired while typing");
    }
    still_checks_normal_claim();
}

#[test]
fn control_characters_in_echoed_values_are_escaped() {
    let hostile = "x\n\u{1b}[2J\r\u{7}\u{85}\u{2028}\u{202e}";
    let one_line = |s: &str| {
        assert!(
            !s.chars()
                .any(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202e}')),
            "{s:?}"
        );
    };
    // A duplicate key in a claim.
    let key = serde_json::to_string(hostile).unwrap();
    let claim = NORMAL.replacen("{", &format!("{{{key}: 1, {key}: 2,"), 1);
    let e = checker().check_text(&claim, Locale::En).unwrap_err();
    assert!(e.to_string().contains("duplicate key \"x\\n\\u001b[2J"), "{e}");
    one_line(&e.to_string());
    // An unknown key and a duplicate key in a pack.
    let pack = pack_with("P-KEY", "1", "true").replacen("\"products\"", &format!("{key}: 1, \"products\""), 1);
    let e = pack::load_program(&pack).unwrap_err();
    assert!(e.to_string().contains("unknown key `x\\n\\u001b[2J"), "{e}");
    one_line(&e.to_string());
    let pack = pack_with("P-KEY", &format!("1, {key}: 2, {key}: 3"), "true");
    let e = pack::load_program(&pack).unwrap_err();
    one_line(&e.to_string());
    // A value echoed into a finding message (a photo's file name).
    let claim = normal_with(|c| {
        c["documents"][0]["file"] = hostile.into();
        c["documents"][0]["quality"] = serde_json::json!({"verdict": "retake"});
    });
    let out = checker().check_text(&claim, Locale::En).unwrap();
    let messages = findings_of(&out.report, "C19");
    assert!(messages.iter().any(|m| m.contains("x\\n\\u001b[2J")), "{messages:?}");
    messages.iter().for_each(|m| one_line(m));
    // A loop variable named with control characters: the compile error names it.
    let pack = format!(
        r#"{{"pack":"preclaim/pack@1","id":"P-EACH","version":"1.0.0","title":{{"zh-CN":"t","en":"t"}},"products":["P-EACH"],
"rules":[{{"id":"R01","kind":"R","severity":"warn","each":[{{"as":{key},"in":"invoices"}}],"when":"true","message":{{"zh-CN":"t","en":"t"}}}}]}}"#
    );
    let e = pack::load_program(&pack).unwrap_err();
    assert!(e.to_string().contains("x\\n\\u001b[2J"), "{e}");
    one_line(&e.to_string());
    still_checks_normal_claim();
}

// --- issue 13, robustness: sessions, report size, claim size, non-finite numbers --------------------------

/// A form session's tree (the same type the WebAssembly `Session` and finder session hold).
fn session_tree() -> BoundedTree {
    BoundedTree::new(preclaim::check::parse_claim(NORMAL).unwrap()).unwrap()
}

/// The session's current claim checks to the normal claim's report (what `session.report()` does).
fn session_still_checks_normal(t: &BoundedTree) {
    let out = checker().check_node(t.root(), Locale::Zh).unwrap();
    assert_eq!(write_value(&out.report), normal_report());
}

#[test]
fn session_paths_and_values_keep_the_claim_nesting_limit() {
    let mut t = session_tree();
    // 10,000 segments (the issue's case), 65 segments, 4 KiB of path text: refused before anything changes.
    let long = vec!["a"; 10_000].join(".");
    let e = timed("session path of 10,000 segments", BOUND, move || {
        let mut t = session_tree();
        t.set(&long, "1", CLAIM_JSON).unwrap_err()
    });
    assert_eq!(e.code(), "argument");
    assert!(
        e.message().contains("bytes long") || e.message().contains("segments"),
        "{e}"
    );
    let e = t.set(&vec!["a"; 65].join("."), "1", CLAIM_JSON).unwrap_err();
    assert!(e.message().contains("at most 64"), "{e}");
    let e = t.set(&vec!["x[0]"; 40].join("."), "1", CLAIM_JSON).unwrap_err();
    assert!(e.message().contains("segments"), "{e}");
    let e = t
        .set(&format!("notes.{}", "k".repeat(5000)), "1", CLAIM_JSON)
        .unwrap_err();
    assert!(e.message().contains("bytes long"), "{e}");
    // A path of 60 segments leaves 4 levels for the value: the claim never nests deeper than 64.
    let path60 = vec!["n"; 60].join(".");
    let e = t.set(&path60, &nested(5, "[", "1", "]"), CLAIM_JSON).unwrap_err();
    assert!(e.message().contains("nesting deeper"), "{e}");
    t.set(&path60, &nested(4, "[", "1", "]"), CLAIM_JSON).unwrap();
    assert_eq!(t.size(), Size::of(t.root()));
    // The deep unknown field is ignored by the check; removing it gives the normal claim back.
    t.unset("n").unwrap();
    session_still_checks_normal(&t);
    // Building depth one level at a time is held to the same limit.
    let mut path = String::from("deep");
    let mut refused = None;
    for depth in 1..=100 {
        if let Err(e) = t.set(&path, "{}", CLAIM_JSON) {
            refused = Some((depth, e));
            break;
        }
        path.push_str(".d");
    }
    let (depth, e) = refused.expect("refused before 100 levels");
    assert_eq!(depth, 64, "{e}");
    t.unset("deep").unwrap();
    session_still_checks_normal(&t);
    // Dropping a session at the limit is a walk of 64 levels.
    drop(t);
    still_checks_normal_claim();
}

#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "heavy: runs in release (make test: cargo test --release --test hostile)"
)]
fn session_total_size_is_the_claim_limit() {
    let mut t = session_tree();
    let chunk = format!("\"{}\"", "x".repeat(20 << 20));
    // Three 20 MiB notes fit 64 MiB; a fourth does not, and nothing changes when it is refused.
    for i in 0..3 {
        t.set(&format!("notes[{i}]"), &chunk, CLAIM_JSON).unwrap();
    }
    let before = t.size();
    let e = t.set("notes[3]", &chunk, CLAIM_JSON).unwrap_err();
    assert_eq!(e.code(), "claim.too_large", "{e}");
    assert_eq!(t.size(), before);
    // Replacing a value frees its share: the same note set a hundred times stays within the limit.
    for _ in 0..100 {
        t.set("notes[2]", &chunk, CLAIM_JSON).unwrap();
    }
    assert_eq!(t.size(), Size::of(t.root()));
    // Too many values, one list at a time: a million `0`s in one edit is refused.
    let zeros = format!("[{}]", vec!["0"; 1_000_001].join(","));
    let e = t.set("more", &zeros, CLAIM_JSON).unwrap_err();
    assert_eq!(e.code(), "claim.too_large", "{e}");
    t.unset("notes").unwrap();
    session_still_checks_normal(&t);
    still_checks_normal_claim();
}

/// A pack whose one rule fires for each pair of `each` lists (a × b findings) with `message`.
fn multiplying_pack(id: &str, a: usize, b: usize, message: &str, values: &str) -> String {
    format!(
        r#"{{"pack":"preclaim/pack@1","id":"{id}","version":"1.0.0","title":{{"zh-CN":"测试","en":"test"}},
"products":["{id}"],"derived":{{"big":"map({l}, x => cat('abcdefghij', x))"}},
"rules":[{{"id":"R01","kind":"R","severity":"warn","each":[{{"as":"a","in":"{la}"}},{{"as":"b","in":"{lb}"}}],
"when":"true","values":{values},"message":{{"zh-CN":{message},"en":{message}}}}}]}}"#,
        l = literal_list(1500),
        la = literal_list(a),
        lb = literal_list(b),
    )
}

fn check_with_pack(name: &str, pack_text: String) -> Result<Outcome, CheckError> {
    timed(name, BOUND, move || {
        let c = Checker::from_pack_texts(&[&pack_text]).unwrap();
        let id = pack_text
            .split("\"id\":\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_string();
        let claim = NORMAL.replacen("\"P-ACC\"", &format!("\"{id}\""), 1);
        let r = c.check_text(&claim, Locale::En);
        // The same checker is intact: a normal claim on its pack still gives a report.
        assert!(
            c.check_text(&claim.replacen("\"filed_on\"", "\"x\": 1, \"filed_on\"", 1), Locale::En)
                .is_err()
                == r.is_err()
        );
        r
    })
}

#[test]
fn messages_that_expand_into_gigabytes_are_bounded() {
    // Each `{big}` is a 1,500-element list (about 20 KB as text); the message repeats it 100,000 times
    // (2 GB unbounded). One finding: the message is cut at 64 KiB.
    let message = serde_json::to_string(&"{big}".repeat(100_000)).unwrap();
    let out = check_with_pack(
        "message of 100,000 placeholders",
        multiplying_pack("P-MSG", 1, 1, &message, r#"{"big":"derived.big"}"#),
    )
    .unwrap();
    let m = findings_of(&out.report, "R01");
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].len(), preclaim::limits::MAX_MESSAGE_BYTES + '…'.len_utf8());
    // 1,500 such findings would be 96 MiB of messages: past the report's 16 MiB, `check.limit`.
    let e = check_with_pack(
        "1,500 findings of 64 KiB",
        multiplying_pack("P-MSG", 1500, 1, &message, r#"{"big":"derived.big"}"#),
    )
    .unwrap_err();
    assert!(matches!(e, CheckError::Limit(_)), "{e:?}");
    assert_eq!(e.code(), "check.limit");
    assert!(e.to_string().contains("bytes"), "{e}");
    still_checks_normal_claim();
}

#[test]
fn findings_multiplying_inside_the_budget_are_bounded() {
    // 1,500 × 1,500 = 2,250,000 findings within the step budget: refused at 50,000.
    let e = check_with_pack(
        "1,500 × 1,500 findings",
        multiplying_pack("P-MANY", 1500, 1500, r#""{a}/{b}""#, r#"{"a":"a","b":"b"}"#),
    )
    .unwrap_err();
    assert_eq!(e.code(), "check.limit", "{e}");
    assert!(e.to_string().contains("50000 findings"), "{e}");
    // 100 × 100 is a report.
    let out = check_with_pack(
        "100 × 100 findings",
        multiplying_pack("P-MANY", 100, 100, r#""{a}/{b}""#, r#"{"a":"a","b":"b"}"#),
    )
    .unwrap();
    assert_eq!(findings_of(&out.report, "R01").len(), 10_000);
    still_checks_normal_claim();
}

#[test]
fn lists_that_multiply_are_bounded_in_total() {
    // 200 invoices of 10,000 empty items (an 8 MB claim): more JSON values than a claim may hold, refused
    // while parsing (it took 1.67 GB and then the step budget).
    let items = format!("[{}]", vec!["{}"; 10_000].join(","));
    let invoice = format!(r#"{{"visit":"outpatient","items":{items}}}"#);
    let claim = NORMAL.replacen(
        "\"invoices\": [",
        &format!("\"invoices\": [{},", vec![invoice; 200].join(",")),
        1,
    );
    assert!(claim.len() > 6_000_000);
    let e = check("200 invoices × 10,000 items", claim).unwrap_err();
    assert!(matches!(e, CheckError::TooLarge(_)), "{e:?}");
    assert_eq!(e.code(), "claim.too_large");
    assert!(e.to_string().contains("1000000 values"), "{e}");
    still_checks_normal_claim();
    // 25 invoices of 1,000 items: within the value limit, past the 20,000 records of all lists together.
    // The lists past the total are C00 problems; the default pack's rules then either report or stop on
    // the step budget (`check.budget`), in bounded time and memory.
    let items = format!("[{}]", vec![r#"{"amount":"1.00","class":"A"}"#; 1000].join(","));
    let invoice = format!(r#"{{"visit":"outpatient","total":"1000.00","items":{items}}}"#);
    let claim = NORMAL.replacen(
        "\"invoices\": [",
        &format!("\"invoices\": [{},", vec![invoice; 25].join(",")),
        1,
    );
    let decoded = preclaim::claim::decode(&preclaim::check::parse_claim(&claim).unwrap());
    let too_many: Vec<&str> = decoded
        .problems
        .iter()
        .filter(|p| p.reason == preclaim::claim::Reason::TooManyRecords)
        .map(|p| p.path.as_str())
        .collect();
    // 2 diagnoses, 26 invoices and 19 lists of 1,000 items fit; the 20th list goes over, and so do the other
    // five (the example's own invoice, last, still fits).
    let want: Vec<String> = (19..25).map(|i| format!("invoices[{i}].items")).collect();
    assert_eq!(too_many, want);
    match check("25 invoices × 1,000 items", claim) {
        Ok(out) => {
            assert!(c00_fields(&out.report).contains(&want[0]));
            assert!(message_of(&out.report, &want[0]).contains("20000"));
        }
        Err(e) => assert_eq!(e.code(), "check.budget", "{e}"),
    }
    still_checks_normal_claim();
}

#[test]
fn non_finite_numbers_from_javascript_are_c00_on_their_field() {
    // The npm wrapper writes NaN, Infinity and -Infinity as these markers (JSON.stringify would write
    // `null`, read as "absent": fund_paid NaN paid 625.50 instead of 275.00).
    for marker in preclaim::claim::decode::NON_FINITE {
        let claim = normal_with(|c| c["invoices"][0]["fund_paid"] = marker.into());
        let out = check("non-finite fund_paid", claim).unwrap();
        assert_eq!(c00_fields(&out.report), ["invoices[0].fund_paid"]);
        assert!(message_of(&out.report, "invoices[0].fund_paid").contains("not a finite number"));
        assert_eq!(out.report.get("status").and_then(Value::as_str), Some("incomplete"));
        let claim = normal_with(|c| c["history"] = serde_json::json!({"used_invoices": ["a", marker]}));
        let out = check("non-finite in a list of text", claim).unwrap();
        assert_eq!(c00_fields(&out.report), ["history.used_invoices[1]"]);
    }
    still_checks_normal_claim();
}

/// A pack whose derived values form one chain `d0 = 1`, `d{i} = derived.d{i-1} + 1`, and a rule on the last.
fn chain_pack(n: usize) -> String {
    let mut derived = vec![r#""d0":"1""#.to_string()];
    derived.extend((1..n).map(|i| format!(r#""d{i}":"derived.d{} + 1""#, i - 1)));
    format!(
        r#"{{"pack":"preclaim/pack@1","id":"P-CHAIN","version":"1.0.0","title":{{"zh-CN":"t","en":"t"}},"products":["P-CHAIN"],
"derived":{{{}}},"rules":[{{"id":"R01","kind":"R","severity":"warn","when":"derived.d{} == {n}","message":{{"zh-CN":"t","en":"t"}}}}]}}"#,
        derived.join(","),
        n - 1
    )
}

#[test]
fn a_long_chain_of_derived_values_loads_in_linear_time() {
    // Issue 13 item 9: a chain of 40,000 took 8-10 s to load (50,000: 20 s): each reference looked its name
    // up in a list. Now a name is a hash look-up (0.4-0.6 s optimised, 0.6 s in a debug build on an idle
    // machine); the bound leaves room for a loaded machine and is below what the quadratic load took.
    let bound = Duration::from_secs(if cfg!(debug_assertions) { 20 } else { 5 });
    for n in [40_000, 50_000] {
        let out = timed(&format!("derived chain of {n}: load and check"), bound, move || {
            let c = Checker::from_pack_texts(&[&chain_pack(n)]).unwrap();
            c.check_text(&NORMAL.replacen("\"P-ACC\"", "\"P-CHAIN\"", 1), Locale::En)
                .unwrap()
        });
        // The rule on the last value fires: every value was computed, in order.
        assert_eq!(findings_of(&out.report, "R01").len(), 1);
    }
    still_checks_normal_claim();
}

#[test]
fn unknown_fields_past_the_report_size_are_check_limit() {
    // 200,000 unknown keys of 100 bytes: the report would list 20 MB of ignored paths.
    let keys: Vec<String> = (0..200_000).map(|i| format!("\"{i:0>100}\": 1")).collect();
    let claim = NORMAL.replacen('{', &format!("{{{},", keys.join(",")), 1);
    let e = check("200,000 unknown keys of 100 bytes", claim).unwrap_err();
    assert_eq!(e.code(), "check.limit", "{e}");
    // 20,000 of them are listed.
    let keys: Vec<String> = (0..20_000).map(|i| format!("\"{i:0>100}\": 1")).collect();
    let claim = NORMAL.replacen('{', &format!("{{{},", keys.join(",")), 1);
    let out = check("20,000 unknown keys of 100 bytes", claim).unwrap();
    assert_eq!(
        out.report
            .get("ignored_fields")
            .and_then(Value::as_array)
            .map(<[Value]>::len),
        Some(20_000)
    );
    still_checks_normal_claim();
}
