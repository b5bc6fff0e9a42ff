//! JSONLogic: parse, compile (open environment) and evaluate an arbitrary rule on arbitrary data.
//! Input: `rule NUL data` (data defaults to null). Checks that printing a parsed rule and parsing it
//! again gives the same tree, and that evaluation stops within its step budget.
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
    let value = std::str::from_utf8(rest)
        .ok()
        .and_then(|t| json::parse(t).ok())
        .map_or(Value::Null, |n| Value::from_json(&n));
    let mut budget = Budget::new(BUDGET);
    let _ = expr.eval_with(&value, &[], &mut budget);
    assert!(budget.used() <= BUDGET, "used {} steps of {BUDGET}", budget.used());
});
