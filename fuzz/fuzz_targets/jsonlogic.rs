//! JSONLogic: parse, compile (open environment) and evaluate an arbitrary rule on arbitrary data.
//! Input: `rule NUL data` (data defaults to null). Checks that printing a parsed rule and parsing it
//! again gives the same tree, that the data's direct parser agrees with the tree parser (also when it builds
//! only what the rule reaches), and that evaluation stops within its step budget.
#![no_main]

use libfuzzer_sys::fuzz_target;
use preclaim::expr::{compile, jsonlogic, Budget, OpenEnv};
use preclaim::json;
use preclaim::value::Value;

#[path = "../common.rs"]
mod common;

const BUDGET: u64 = 200_000;

fuzz_target!(|data: &[u8]| {
    let (rule, rest) = common::split_nul(data);
    let Ok(rule) = std::str::from_utf8(rule) else { return };
    let Ok(node) = jsonlogic::parse_text(rule) else { return };
    // Printing and re-parsing gives the same tree (jsonlogic.rs promises it).
    // A number out of a double's range (1e400) would print as null: parsing refuses it everywhere, bare or
    // under `preserve` (tests/hostile.rs: literal_infinity_survives_printing), so no tree holds one.
    assert!(!common::has_non_finite(&node), "a non-finite literal was accepted: {rule}");
    let printed = jsonlogic::to_text(&node);
    match jsonlogic::parse_text(&printed) {
        Ok(again) => assert!(
            again.without_pos() == node.without_pos(),
            "round trip changed the tree: {rule} -> {printed}"
        ),
        Err(e) => panic!("printed rule does not parse: {rule} -> {printed}: {e}"),
    }
    let Ok(expr) = compile(&node, &OpenEnv) else { return };
    let text = std::str::from_utf8(rest).ok();
    let value = text
        .and_then(|t| json::parse(t).ok())
        .map_or(Value::Null, |n| Value::from_json(&n));
    // The direct parser (the API's data) agrees with the tree parser: the same value or the same error.
    if let Some(t) = text {
        let tree = json::parse(t).map(|n| json::write_value(&Value::from_json(&n)));
        assert_eq!(json::parse_value(t).map(|v| json::write_value(&v)), tree, "{t}");
    }
    let mut budget = Budget::new(BUDGET);
    let whole = expr.eval_with(&value, &[], &mut budget);
    assert!(budget.used() <= BUDGET, "used {} steps of {BUDGET}", budget.used());
    // Parsing only what the rule reaches (the JSONLogic API's data) changes nothing the rule sees: the same
    // error for bad text, and on good text the same result in the same number of steps.
    if let (Some(t), Some(p)) = (text, expr.projection()) {
        let projected = json::parse_value_projected(t, &p.keys, &p.whole);
        match (json::parse(t), projected) {
            (Ok(_), Ok(v)) => {
                let mut b = Budget::new(BUDGET);
                let got = expr.eval_with(&v, &[], &mut b);
                let show = |r: &Result<Value, _>| r.as_ref().map(json::write_value).map_err(|e| format!("{e:?}"));
                assert_eq!(show(&got), show(&whole), "{rule} on {t}");
                assert_eq!(b.used(), budget.used(), "{rule} on {t}");
            }
            (Err(a), Err(b)) => assert_eq!(a, b, "{t}"),
            (a, b) => panic!("{t}: the tree parser gives {a:?}, the projected one {b:?}"),
        }
    }
});
