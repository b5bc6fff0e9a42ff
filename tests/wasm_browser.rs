#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! The core compiled to WebAssembly and run in headless Chromium (wasm-bindgen-test): every example claim
//! gives exactly the compact bytes of the native CLI's snapshot in both locales, through the Rust API and
//! through the `#[wasm_bindgen]` boundary (`WasmChecker`, `WasmSession`); a claim that is not JSON is an
//! error and leaves the checker working. Only for wasm32 (natively this file compiles to nothing); run it
//! with `bash scripts/test-browser.sh` or
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test wasm_browser`.
#![cfg(target_arch = "wasm32")]

use preclaim::check::Checker;
use preclaim::json::{parse, write_value};
use preclaim::pack::def::Locale;
use preclaim::value::Value;
use preclaim::wasm::WasmChecker;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// One example claim and the CLI's reports for it (`tests/snapshots/<name>.<locale>.json`).
struct Example {
    name: &'static str,
    claim: &'static str,
    zh: &'static str,
    en: &'static str,
}

macro_rules! examples {
    ($($name:literal),* $(,)?) => {
        &[$(Example {
            name: $name,
            claim: include_str!(concat!("../examples/", $name, ".json")),
            zh: include_str!(concat!("snapshots/", $name, ".zh-CN.json")),
            en: include_str!(concat!("snapshots/", $name, ".en.json")),
        }),*]
    };
}

const EXAMPLES: &[Example] = examples![
    "acc-inpatient-missing-documents",
    "acc-malformed-fields",
    "acc-outpatient-child",
    "cash-illness-four-nights",
    "ci-acute-myocardial-infarction",
    "dis-accident-grade-8",
    "life-natural-death",
    "med-inpatient-not-settled",
];

/// The compact JSON of a pretty-printed snapshot, as the core writes it.
fn compact(snapshot: &str) -> String {
    write_value(&Value::from_json(&parse(snapshot).unwrap()))
}

fn cases() -> impl Iterator<Item = (&'static Example, Locale, &'static str, &'static str)> {
    EXAMPLES
        .iter()
        .flat_map(|e| [(e, Locale::Zh, "zh-CN", e.zh), (e, Locale::En, "en", e.en)])
}

#[wasm_bindgen_test]
fn snapshots_are_pretty_printed_compact_reports() {
    // Guards the comparison itself: the snapshot text is the pretty form of the same value.
    for (e, _, tag, snap) in cases() {
        let value = Value::from_json(&parse(snap).unwrap());
        assert_eq!(
            format!("{}\n", preclaim::json::write_value_pretty(&value)),
            snap,
            "{}.{tag}",
            e.name
        );
        assert!(!compact(snap).contains('\n'));
    }
}

#[wasm_bindgen_test]
fn rust_api_reports_equal_the_cli_snapshots() {
    let checker = Checker::with_defaults().unwrap();
    let mut n = 0;
    for (e, loc, tag, snap) in cases() {
        let out = checker.check_text(e.claim, loc).unwrap();
        assert_eq!(write_value(&out.report), compact(snap), "{}.{tag}", e.name);
        n += 1;
    }
    assert_eq!(n, 16);
}

#[wasm_bindgen_test]
fn a_claim_that_is_not_json_is_an_error_and_the_checker_still_works() {
    let checker = Checker::with_defaults().unwrap();
    for bad in [
        "",
        "{",
        "{\"policy\":",
        "[1,2",
        "{\"a\":1}}",
        "nul",
        "{\"a\":1,\"a\":2}",
    ] {
        let err = checker.check_text(bad, Locale::En).unwrap_err();
        assert!(
            matches!(err, preclaim::check::CheckError::NotJson(_)),
            "{bad:?}: {err:?}"
        );
    }
    let e = &EXAMPLES[0];
    let out = checker.check_text(e.claim, Locale::En).unwrap();
    assert_eq!(write_value(&out.report), compact(e.en));
}

#[wasm_bindgen_test]
fn wasm_checker_reports_equal_the_cli_snapshots() {
    let checker = WasmChecker::new().map_err(JsValue::from).unwrap();
    for (e, _, tag, snap) in cases() {
        let got = checker.check_json(e.claim, tag).map_err(JsValue::from).unwrap();
        assert_eq!(got, compact(snap), "{}.{tag}", e.name);
    }
    assert_eq!(preclaim::wasm::version(), env!("CARGO_PKG_VERSION"));
    let packs = parse(&checker.packs_json().unwrap()).unwrap();
    let packs = Value::from_json(&packs);
    assert_eq!(packs.as_array().map(<[Value]>::len), Some(6), "{packs:?}");
}

#[wasm_bindgen_test]
fn wasm_checker_throws_on_bad_claims_and_locales_and_keeps_working() {
    let checker = WasmChecker::new().map_err(JsValue::from).unwrap();
    let err = JsValue::from(checker.check_json("{\"policy\":", "en").unwrap_err());
    let text = format!("{err:?}");
    assert!(text.contains("claim.json"), "{text}");
    let err = JsValue::from(checker.check_json(EXAMPLES[0].claim, "fr").unwrap_err());
    let text = format!("{err:?}");
    assert!(text.contains("argument"), "{text}");
    let e = &EXAMPLES[2];
    let got = checker.check_json(e.claim, "zh-CN").map_err(JsValue::from).unwrap();
    assert_eq!(got, compact(e.zh));
}

#[wasm_bindgen_test]
fn wasm_session_reports_like_check_json() {
    let checker = WasmChecker::new().map_err(JsValue::from).unwrap();
    for e in EXAMPLES.iter().filter(|e| parse(e.claim).is_ok()) {
        let mut session = checker.session(e.claim, "zh-CN").map_err(JsValue::from).unwrap();
        assert_eq!(
            session.report().map_err(JsValue::from).unwrap(),
            compact(e.zh),
            "{}",
            e.name
        );
        session.set_locale("en").map_err(JsValue::from).unwrap();
        assert_eq!(
            session.report().map_err(JsValue::from).unwrap(),
            compact(e.en),
            "{}",
            e.name
        );
        // Setting a field to the value it already has changes nothing.
        let claim = session.claim_json();
        let before = Value::from_json(&parse(&claim).unwrap());
        if let Some(product) = before
            .get("policy")
            .and_then(|p| p.get("product"))
            .and_then(Value::as_str)
        {
            session
                .set("policy.product", &format!("\"{product}\""))
                .map_err(JsValue::from)
                .unwrap();
            assert_eq!(
                session.report().map_err(JsValue::from).unwrap(),
                compact(e.en),
                "{}",
                e.name
            );
        }
        assert!(session.set("policy.product", "{").is_err());
    }
}
