#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]
//! A fixed workload for profilers (callgrind): checks one claim N times. `cargo bench --bench profile_check -- FILE N`.
//! With `--jsonlogic RULES DATA N`, the JSONLogic API's path instead: `compile(the list of RULES' rules)` once, then N times
//! `evaluate_text(DATA)` (parse the data text, evaluate, write the result), e.g. the 40-rule workload of
//! ../shared/bench/jsonlogic-claim-40 (claim-rules.json, claim.json). With `--suite TESTS N`, every case of a
//! JSONLogic tests.json (`[rule, data, expected]`) compiled once and evaluated N times on its data (already
//! a value: the evaluator alone, as `benches/peers` times it); with `--rules RULES DATA N`, each rule of RULES alone
//! on DATA already a value (workload (b) of `benches/peers`). With `--session CLAIM PATH VALUE1 VALUE2 N`, a form
//! session's update N times: the field at PATH set to VALUE1 and VALUE2 (JSON text) in turn, then the report.

use preclaim::check::Checker;
use preclaim::pack::def::Locale;

fn jsonlogic(args: &[String]) {
    // The workload's file is a list of `{"name", "rule"}`: the rule evaluated is the list of their rules.
    let file = preclaim::json::parse(&std::fs::read_to_string(&args[0]).expect("rules")).expect("rules JSON");
    let list = preclaim::value::Value::from_json(&file);
    let rules: Vec<_> = list
        .as_array()
        .unwrap_or_default()
        .iter()
        .map(|r| r.get("rule").cloned().unwrap_or_default())
        .collect();
    let rules = preclaim::json::write_value(&preclaim::value::Value::array(rules));
    let data = std::fs::read_to_string(&args[1]).expect("data");
    let n: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(200);
    let rule = preclaim::jsonlogic::compile(&rules).expect("rules compile");
    let mut bytes = 0;
    for _ in 0..n {
        bytes += rule.evaluate_text(&data).expect("evaluates").len();
    }
    println!("{n} evaluations, {bytes} bytes of results");
}

/// `--rules RULES DATA N`: each rule of RULES compiled alone, then evaluated N times on DATA parsed once into a
/// value whose keys are not the rules' strings (the evaluator alone, as `benches/peers` times workload (b)).
fn rules(args: &[String]) {
    let file = preclaim::json::parse(&std::fs::read_to_string(&args[0]).expect("rules")).expect("rules JSON");
    let data = preclaim::json::parse(&std::fs::read_to_string(&args[1]).expect("data")).expect("data JSON");
    let data = preclaim::value::Value::from_json(&data);
    let n: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(200);
    let rules: Vec<_> = preclaim::value::Value::from_json(&file)
        .as_array()
        .unwrap_or_default()
        .iter()
        .filter_map(|r| preclaim::jsonlogic::compile(&preclaim::json::write_value(r.get("rule")?)).ok())
        .collect();
    let mut ok = 0;
    for _ in 0..n {
        ok += rules.iter().filter(|r| r.evaluate(&data).is_ok()).count();
    }
    println!("{} rules, {ok} evaluations without error", rules.len());
}

fn suite(args: &[String]) {
    let file = preclaim::json::parse(&std::fs::read_to_string(&args[0]).expect("tests")).expect("tests JSON");
    let n: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(200);
    let cases: Vec<_> = preclaim::value::Value::from_json(&file)
        .as_array()
        .unwrap_or_default()
        .iter()
        .filter_map(|c| {
            let c = c.as_array()?;
            let rule = preclaim::json::write_value(c.first()?);
            Some((preclaim::jsonlogic::compile(&rule).ok()?, c.get(1)?.clone()))
        })
        .collect();
    let mut ok = 0;
    for _ in 0..n {
        ok += cases.iter().filter(|(r, d)| r.evaluate(d).is_ok()).count();
    }
    println!("{} cases, {ok} evaluations without error", cases.len());
}

/// A form session's update: the claim held as a tree, one field set (to one of two values in turn), then
/// the report re-checked with the session's memo and the delta from the report before written (what
/// `session.set` + npm's `session.report()` do in WebAssembly).
fn session(args: &[String]) {
    use preclaim::check::{incremental::Memo, parse_claim, CLAIM_JSON};
    use preclaim::claim::bounded::BoundedTree;
    use preclaim::claim::members::MemberCache;
    let text = std::fs::read_to_string(&args[0]).expect("claim");
    let path = &args[1];
    let values = [args[2].as_str(), args[3].as_str()];
    let n: usize = args.get(4).and_then(|a| a.parse().ok()).unwrap_or(200);
    let checker = Checker::with_defaults().expect("packs");
    let mut tree = BoundedTree::new(parse_claim(&text).expect("claim JSON")).expect("within the limits");
    let mut memo = Memo::default();
    let mut decoded = MemberCache::default();
    checker
        .check_decoded_memo(&decoded.decode(tree.root()), Locale::Zh, &mut memo)
        .expect("checks");
    let mut bytes = 0;
    let mut shown = None;
    for i in 0..n {
        tree.set(path, values[i % 2], CLAIM_JSON).expect("set");
        decoded.forget(path);
        let out = checker
            .check_decoded_memo(&decoded.decode(tree.root()), Locale::Zh, &mut memo)
            .expect("checks");
        // What npm's `session.report()` takes from WebAssembly: the delta from the report before.
        bytes += preclaim::json::write_value(&preclaim::check::changes::delta(shown.as_ref(), &out.report)).len();
        shown = Some(out.report);
    }
    println!("{n} updates, {bytes} bytes of report deltas");
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--session") {
        return session(&args[i + 1..]);
    }
    if let Some(i) = args.iter().position(|a| a == "--suite") {
        return suite(&args[i + 1..]);
    }
    if let Some(i) = args.iter().position(|a| a == "--rules") {
        return rules(&args[i + 1..]);
    }
    if let Some(i) = args.iter().position(|a| a == "--jsonlogic") {
        return jsonlogic(&args[i + 1..]);
    }
    let file = args
        .iter()
        .skip(1)
        .find(|a| !a.starts_with("--"))
        .cloned()
        .unwrap_or_else(|| "examples/med-inpatient-not-settled.json".into());
    let smoke = std::env::var("PRECLAIM_BENCH_SMOKE").is_ok_and(|v| v == "1");
    let n: usize = args
        .iter()
        .skip(2)
        .find_map(|a| a.parse().ok())
        .unwrap_or(if smoke { 2 } else { 200 });
    let text = std::fs::read_to_string(&file).unwrap_or_default();
    let checker = Checker::with_defaults().expect("packs");
    let mut ok = 0;
    for _ in 0..n {
        if checker.check_text(&text, Locale::Zh).is_ok() {
            ok += 1;
        }
    }
    println!("{ok} checks");
}
