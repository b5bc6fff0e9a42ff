//! The text syntax: parse, compile (open environment) and evaluate on a real decoded claim. Checks that the
//! tree survives a trip through JSONLogic (both syntaxes share one AST).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use preclaim::claim::decode;
use preclaim::expr::{compile, jsonlogic, text, Budget, OpenEnv};
use preclaim::json;
use preclaim::value::Value;

#[path = "../common.rs"]
mod common;

const BUDGET: u64 = 200_000;

fn claim() -> &'static Value {
    static V: OnceLock<Value> = OnceLock::new();
    V.get_or_init(|| {
        let node = json::parse(common::CLAIMS[2]).unwrap_or_else(|e| panic!("example: {e}"));
        decode(&node).value
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else { return };
    let Ok(node) = text::parse(src) else { return };
    // A number out of a double's range (1e400) would print as null: parsing refuses it everywhere, bare or
    // under `preserve` (tests/hostile.rs: literal_infinity_survives_printing), so no tree holds one.
    assert!(!common::has_non_finite(&node), "a non-finite literal was accepted: {src}");
    let printed = jsonlogic::to_text(&node);
    match jsonlogic::parse_text(&printed) {
        Ok(again) => assert!(
            again.without_pos() == node.without_pos(),
            "JSONLogic round trip changed the tree: {src} -> {printed}"
        ),
        // Deeper than the JSON parser's depth limit is the only acceptable reason.
        Err(e) => assert!(
            node.depth() > 100,
            "printed rule does not parse: {src} -> {printed}: {e}"
        ),
    }
    let Ok(expr) = compile(&node, &OpenEnv) else { return };
    let mut budget = Budget::new(BUDGET);
    let _ = expr.eval_with(claim(), &[], &mut budget);
    assert!(budget.used() <= BUDGET, "used {} steps of {BUDGET}", budget.used());
});
