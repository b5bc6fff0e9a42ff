#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! The neutral 40-rule JSONLogic workload of the shared bench folder gives exactly the results every peer
//! engine agrees on (so `make bench` compares engines doing the same work).

mod common;

use preclaim::expr::{compile, jsonlogic, OpenEnv};
use preclaim::json;
use preclaim::value::Value;

#[test]
fn forty_rules_give_the_agreed_results() {
    let Some(shared) = common::shared_dir("the 40-rule bench workload") else {
        return;
    };
    let dir = shared.join("bench/jsonlogic-claim-40");
    let rules = common::read_json(&dir.join("claim-rules.json"));
    let claim = common::read_json(&dir.join("claim.json"));
    let expected = common::read_json(&dir.join("claim-expected.json"));
    let mut checked = 0;
    for r in rules.as_array().unwrap() {
        let name = r.get("name").and_then(Value::as_str).unwrap();
        let node = jsonlogic::parse_text(&json::write_value(r.get("rule").unwrap())).unwrap();
        let got = compile(&node, &OpenEnv).unwrap().eval(&claim).unwrap();
        let want = expected.get(name).unwrap();
        let same = match (got.as_f64(), want.as_f64()) {
            (Some(a), Some(b)) => (a - b).abs() <= 1e-9 * b.abs().max(1.0),
            _ => &got == want,
        };
        assert!(
            same,
            "{name}: got {}, want {}",
            json::write_value(&got),
            json::write_value(want)
        );
        checked += 1;
    }
    println!("bench workload: {checked} of 40 rules agree with the peers' results");
    assert_eq!(checked, 40);
}
