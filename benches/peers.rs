#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]
//! preclaim's compiled JSONLogic evaluator against datalogic-rs (the fastest Rust JSONLogic engine) on the
//! same rules and data, natively: (a) the cases of jsonlogic.com's tests.json, (b) the neutral 40-rule claim
//! workload of ../shared/bench/jsonlogic-claim-40, (c) the default packs' derived values and rule
//! conditions (exported to JSONLogic by `preclaim::pack::export`) on the example claims, with preclaim's
//! domain functions registered in datalogic-rs as custom operators that call the same implementation.
//!
//! Only cases on which both engines give the same result are timed; the others are counted and printed.
//! Each rule is compiled once, outside the timing; a run evaluates every case of a workload once, and the
//! figures are the median and 90th percentile over the runs of (run time / cases), in ns per evaluation.
//! `cargo bench --bench peers`; `PRECLAIM_BENCH_SMOKE=1` runs a few iterations on tiny inputs. Figures are
//! printed, never asserted.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use datalogic_rs::bumpalo::Bump;
use datalogic_rs::datavalue::NumberValue;
use datalogic_rs::operator::EvalContext;
use datalogic_rs::{CustomOperator, DataValue, Engine, Error, Logic, ParsedData};
use preclaim::claim::decode;
use preclaim::domain::date::format_date;
use preclaim::expr::ops::table::OPS;
use preclaim::expr::ops::Op;
use preclaim::expr::{compile, jsonlogic, Expr, OpenEnv};
use preclaim::json;
use preclaim::pack::{self, export};
use preclaim::value::{Map, Value};

fn smoke() -> bool {
    std::env::var("PRECLAIM_BENCH_SMOKE").is_ok_and(|v| v == "1")
}

fn shared_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("PRECLAIM_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    dir.is_dir().then_some(dir)
}

fn read_value(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Value::from_json(&json::parse(&text).unwrap_or_else(|e| panic!("{}: {}", path.display(), e.describe(&text))))
}

// ---------------------------------------------------------------------------------------------------------
// preclaim values <-> datalogic values

fn from_dl(d: &DataValue) -> Value {
    match d {
        DataValue::Null => Value::Null,
        DataValue::Bool(b) => Value::Bool(*b),
        DataValue::Number(n) => match n.as_i64().filter(|_| n.is_integer()) {
            Some(i) => Value::Int(i),
            None => Value::number(n.as_f64()),
        },
        DataValue::String(s) => Value::str(s),
        DataValue::Array(items) => Value::array(items.iter().map(from_dl).collect()),
        DataValue::Object(m) => Value::object(m.iter().map(|(k, v)| (Arc::from(*k), from_dl(v))).collect()),
    }
}

fn to_dl<'a>(v: &Value, a: &'a Bump) -> DataValue<'a> {
    match v {
        Value::Null | Value::Malformed => DataValue::Null,
        Value::Bool(b) => DataValue::Bool(*b),
        Value::Int(i) => DataValue::Number(NumberValue::from_i64(*i)),
        Value::Float(f) => DataValue::Number(NumberValue::from_f64(*f)),
        Value::Str(s) => DataValue::String(a.alloc_str(s)),
        Value::Date(d) => DataValue::String(a.alloc_str(&format_date(*d))),
        Value::Array(items) => DataValue::Array(a.alloc_slice_fill_iter(items.iter().map(|x| to_dl(x, a)))),
        Value::Object(m) => {
            DataValue::Object(a.alloc_slice_fill_iter(m.iter().map(|(k, x)| (&*a.alloc_str(k), to_dl(x, a)))))
        }
    }
}

/// A preclaim domain function as a datalogic-rs operator: the same implementation ([`Op::apply`]), with the
/// arguments and the result converted at the boundary.
struct Domain(Op);

impl CustomOperator for Domain {
    fn evaluate<'a>(
        &self,
        args: &[&'a DataValue<'a>],
        _ctx: &mut EvalContext<'_, 'a>,
        arena: &'a Bump,
    ) -> datalogic_rs::Result<&'a DataValue<'a>> {
        let vals: Vec<Value> = args.iter().map(|a| from_dl(a)).collect();
        match self.0.apply(&vals) {
            Ok(v) => Ok(arena.alloc(to_dl(&v, arena))),
            Err(e) => Err(Error::invalid_arguments(e.to_string())),
        }
    }
}

/// datalogic-rs with preclaim's domain functions (those that are not standard JSONLogic) as custom
/// operators; returns the engine and the names registered.
fn engine() -> (Engine, Vec<&'static str>) {
    let builtin: Vec<&str> = Engine::new().builtin_operator_names().collect();
    let mut b = Engine::builder();
    let mut names = Vec::new();
    for (name, op) in OPS.iter().filter_map(|d| Some((d.name, d.strict?.op))) {
        if export::is_standard(name) || export::is_extended(name) || builtin.contains(&name) {
            continue;
        }
        b = b.add_operator(name, Domain(op));
        names.push(name);
    }
    (b.build(), names)
}

/// The iterators with a body that datalogic-rs lacks, as standard ones with the same scopes:
/// `count(l, b)` → `len(filter(l, b))`, `find(l, b)` → `get(filter(l, b), 0)`, `sum(l, b)` →
/// `sum(map(l, b))`. `None` when the rule uses something that cannot be expressed (`regex_match`, whose
/// pattern preclaim compiles once).
fn for_datalogic(v: &Value) -> Option<Value> {
    let op = |name: &str, args: Vec<Value>| Value::object(vec![(Arc::from(name), Value::array(args))]);
    match v {
        Value::Array(items) => Some(Value::array(items.iter().map(for_datalogic).collect::<Option<_>>()?)),
        Value::Object(m) if m.len() == 1 => {
            let (name, arg) = &m[0];
            match (&**name, arg) {
                ("preserve", _) => Some(v.clone()),
                ("regex_match", _) => None,
                (name @ ("count" | "find" | "sum"), Value::Array(a)) if a.len() == 2 => {
                    let list = for_datalogic(&a[0])?;
                    let body = for_datalogic(&a[1])?;
                    Some(match name {
                        "count" => op("len", vec![op("filter", vec![list, body])]),
                        "find" => op("get", vec![op("filter", vec![list, body]), Value::Int(0)]),
                        _ => op("sum", vec![op("map", vec![list, body])]),
                    })
                }
                _ => Some(Value::object(vec![(name.clone(), for_datalogic(arg)?)])),
            }
        }
        _ => Some(v.clone()),
    }
}

// ---------------------------------------------------------------------------------------------------------
// Workloads

/// A rule (JSONLogic) and the data to evaluate it on.
struct Case {
    rule: Value,
    data: Value,
}

/// A case both engines compiled and agree on.
struct Ready {
    /// The rule calls a domain function (a custom operator in datalogic-rs).
    custom: bool,
    ours: Expr,
    data: Value,
    theirs: Logic,
    /// Index of the data in the workload's pool (cases on the same data share one parsed copy, as the
    /// preclaim side shares one value).
    their_data: usize,
}

#[derive(Default)]
struct Counts {
    agree: usize,
    differ: usize,
    ours_failed: usize,
    theirs_failed: usize,
    inexpressible: usize,
}

/// Compiles every case in both engines, keeps those on which they agree (same JSON result).
fn prepare(engine: &Engine, cases: &[Case], custom: &[&str]) -> (Vec<Ready>, Vec<ParsedData>, Counts, [f64; 2]) {
    let mut c = Counts::default();
    let mut pool: Vec<ParsedData> = Vec::new();
    let mut pool_keys: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut ready = Vec::new();
    let (mut t_ours, mut t_theirs) = (0u128, 0u128);
    for case in cases {
        let Some(their_rule) = for_datalogic(&case.rule) else {
            c.inexpressible += 1;
            continue;
        };
        let rule_text = json::write_value(&case.rule);
        let their_text = json::write_value(&their_rule);
        let t = Instant::now();
        let ours = jsonlogic::parse_text(&rule_text)
            .ok()
            .and_then(|n| compile(&n, &OpenEnv).ok());
        t_ours += t.elapsed().as_nanos();
        let t = Instant::now();
        let theirs = engine.compile(their_text.as_str());
        t_theirs += t.elapsed().as_nanos();
        let data_text = json::write_value(&case.data);
        let their_data = match pool_keys.get(&data_text) {
            Some(&i) => i,
            None => {
                pool.push(ParsedData::from_json(&data_text).expect("data for datalogic"));
                pool_keys.insert(data_text, pool.len() - 1);
                pool.len() - 1
            }
        };
        let our_out = ours.as_ref().map(|e| e.eval(&case.data));
        let arena = Bump::new();
        let their_out = theirs
            .as_ref()
            .ok()
            .map(|l| engine.evaluate(l, &pool[their_data], &arena).map(from_dl));
        match (ours, our_out, theirs, their_out) {
            (Some(ours), Some(Ok(a)), Ok(theirs), Some(Ok(b))) => {
                if json::write_value(&a) == json::write_value(&b) {
                    c.agree += 1;
                    ready.push(Ready {
                        custom: custom.iter().any(|op| their_text.contains(&format!("\"{op}\":"))),
                        ours,
                        data: case.data.clone(),
                        theirs,
                        their_data,
                    });
                } else {
                    c.differ += 1;
                }
            }
            (_, None | Some(Err(_)), _, _) => c.ours_failed += 1,
            _ => c.theirs_failed += 1,
        }
    }
    let n = cases.len().max(1) as f64;
    (ready, pool, c, [t_ours as f64 / n, t_theirs as f64 / n])
}

/// Median and 90th percentile of `f()`'s time over `runs` runs (after a tenth as many warm-up runs),
/// divided by `per`.
fn stats(runs: usize, per: usize, mut f: impl FnMut()) -> (f64, f64) {
    let mut samples = Vec::with_capacity(runs);
    for i in 0..runs + runs / 10 {
        let start = Instant::now();
        f();
        if i >= runs / 10 {
            samples.push(start.elapsed().as_nanos() as f64 / per.max(1) as f64);
        }
    }
    samples.sort_by(f64::total_cmp);
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    (at(0.5), at(0.9))
}

struct Timing {
    ours: (f64, f64),
    theirs: (f64, f64),
}

fn time(engine: &Engine, ready: &[Ready], pool: &[ParsedData], runs: usize) -> Timing {
    let n = ready.len();
    let ours = stats(runs, n, || {
        for r in ready {
            black_box(r.ours.eval(black_box(&r.data)).ok());
        }
    });
    let mut arena = Bump::new();
    let theirs = stats(runs, n, || {
        for r in ready {
            eval_theirs(engine, r, pool, &arena);
            // As a datalogic-rs `Session` does between evaluations: constant time, keeps the chunk.
            arena.reset();
        }
    });
    Timing { ours, theirs }
}

fn eval_theirs(engine: &Engine, r: &Ready, pool: &[ParsedData], arena: &Bump) {
    black_box(engine.evaluate(&r.theirs, black_box(&pool[r.their_data]), arena).ok());
}

fn report(name: &str, c: &Counts, compile_ns: [f64; 2], t: &Timing) {
    println!("\n== {name}");
    println!(
        "cases: {} agree (timed), {} give different results, {} fail in preclaim, {} fail in datalogic-rs, {} not expressible for datalogic-rs (skipped)",
        c.agree, c.differ, c.ours_failed, c.theirs_failed, c.inexpressible
    );
    println!(
        "parse+compile per rule: preclaim {:.0} ns, datalogic-rs {:.0} ns",
        compile_ns[0], compile_ns[1]
    );
    println!("{:<14} {:>12} {:>12}", "engine", "median ns/eval", "p90 ns/eval");
    println!("{:<14} {:>14.1} {:>12.1}", "preclaim", t.ours.0, t.ours.1);
    println!("{:<14} {:>14.1} {:>12.1}", "datalogic-rs", t.theirs.0, t.theirs.1);
    println!(
        "ratio datalogic-rs / preclaim (median): {:.2}×",
        t.theirs.0 / t.ours.0.max(f64::MIN_POSITIVE)
    );
}

/// (a) tests.json: every `[rule, data, expected]` case.
fn suite_cases(shared: &Path, limit: usize) -> Vec<Case> {
    let suite = read_value(&shared.join("conformance/jsonlogic/tests.json"));
    suite
        .as_array()
        .unwrap_or_default()
        .iter()
        .filter_map(|t| match t.as_array() {
            Some([rule, data, _]) => Some(Case {
                rule: rule.clone(),
                data: data.clone(),
            }),
            _ => None,
        })
        .take(limit)
        .collect()
}

/// (b) the 40-rule claim workload.
fn claim40_cases(shared: &Path) -> Vec<Case> {
    let dir = shared.join("bench/jsonlogic-claim-40");
    let rules = read_value(&dir.join("claim-rules.json"));
    let claim = read_value(&dir.join("claim.json"));
    rules
        .as_array()
        .unwrap_or_default()
        .iter()
        .map(|r| Case {
            rule: r.get("rule").cloned().unwrap_or(Value::Null),
            data: claim.clone(),
        })
        .collect()
}

fn with_members(base: &Value, extra: Vec<(Arc<str>, Value)>) -> Value {
    let mut m: Map = match base {
        Value::Object(m) => m
            .iter()
            .filter(|(k, _)| !extra.iter().any(|(e, _)| e == k))
            .cloned()
            .collect(),
        _ => Vec::new(),
    };
    m.extend(extra);
    Value::object(m)
}

fn eval_open(rule: &Value, data: &Value) -> Value {
    jsonlogic::parse_text(&json::write_value(rule))
        .ok()
        .and_then(|n| compile(&n, &OpenEnv).ok())
        .and_then(|e| e.eval(data).ok())
        .unwrap_or(Value::Null)
}

/// Adds a case for `when` under every binding of the rule's `each` loops (nested loops in order).
fn expand(each: &[Value], when: &Value, data: &Value, out: &mut Vec<Case>) {
    let Some((first, rest)) = each.split_first() else {
        out.push(Case {
            rule: when.clone(),
            data: data.clone(),
        });
        return;
    };
    let list = first.get("in").map_or(Value::Null, |l| eval_open(l, data));
    let name = first.get("as").and_then(Value::as_str).unwrap_or("");
    let index = first.get("index").and_then(Value::as_str);
    for (i, item) in list.as_array().unwrap_or_default().iter().enumerate() {
        let mut extra = vec![(Arc::from(name), item.clone())];
        if let Some(ix) = index {
            extra.push((Arc::from(ix), Value::Int(i as i64)));
        }
        expand(rest, when, &with_members(data, extra), out);
    }
}

/// (c) each example claim with its product's pack: the derived values (on the claim and `params`) and the
/// rules' `when`s (on the claim, `params`, the derived values and the loop variables).
fn pack_cases(limit_claims: usize) -> Vec<Case> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut packs = Vec::new();
    for e in std::fs::read_dir(root.join("packs")).expect("packs") {
        let path = e.expect("entry").path();
        if path.extension().is_none_or(|x| x != "json") {
            continue; // packs/compiled/ holds their compiled form
        }
        let text = std::fs::read_to_string(path).expect("pack");
        let prog = pack::load_program(&text).expect("default pack");
        let exported = read_exported(&text);
        packs.push((prog, exported));
    }
    let mut claims: Vec<PathBuf> = std::fs::read_dir(root.join("examples"))
        .expect("examples")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "json"))
        .collect();
    claims.sort();
    let mut cases = Vec::new();
    for f in claims.iter().take(limit_claims) {
        let text = std::fs::read_to_string(f).expect("claim");
        let claim = decode(&json::parse(&text).expect("claim JSON")).value;
        let product = claim
            .get("policy")
            .and_then(|p| p.get("product"))
            .and_then(Value::as_str);
        let Some((prog, exported)) = packs
            .iter()
            .find(|(p, _)| product.is_some_and(|x| p.products.iter().any(|q| q == x)))
        else {
            continue;
        };
        let params = exported.get("params").cloned().unwrap_or(Value::object(Vec::new()));
        let derived_src: Vec<(Arc<str>, Value)> = match exported.get("derived") {
            Some(Value::Object(m)) => m.iter().cloned().collect(),
            _ => Vec::new(),
        };
        let mut base = with_members(&claim, vec![(Arc::from("params"), params)]);
        let mut derived: Map = Vec::new();
        for &i in &prog.derived_order {
            let (name, rule) = &derived_src[i];
            cases.push(Case {
                rule: rule.clone(),
                data: base.clone(),
            });
            let v = eval_open(
                rule,
                &with_members(&base, vec![(Arc::from("derived"), Value::object(derived.clone()))]),
            );
            derived.push((name.clone(), v));
        }
        base = with_members(&base, vec![(Arc::from("derived"), Value::object(derived))]);
        for r in exported.get("rules").and_then(Value::as_array).unwrap_or_default() {
            let each = r.get("each").and_then(Value::as_array).unwrap_or_default();
            expand(each, r.get("when").unwrap_or(&Value::Null), &base, &mut cases);
        }
    }
    cases
}

fn read_exported(text: &str) -> Value {
    let out = export::to_jsonlogic(text).expect("export");
    Value::from_json(&json::parse(&out).expect("exported JSON"))
}

fn main() {
    let smoke = smoke();
    let runs = if smoke { 3 } else { 2000 };
    let (engine, registered) = engine();
    println!(
        "preclaim {} vs datalogic-rs 5.4.0 (default features), {} domain functions registered as custom operators{}",
        env!("CARGO_PKG_VERSION"),
        registered.len(),
        if smoke {
            " — SMOKE RUN (tiny inputs, 3 runs; figures meaningless)"
        } else {
            ""
        }
    );
    match shared_dir() {
        Some(shared) => {
            let cases = suite_cases(&shared, if smoke { 20 } else { usize::MAX });
            let (ready, pool, counts, compile_ns) = prepare(&engine, &cases, &registered);
            report(
                "(a) tests.json (jsonlogic.com)",
                &counts,
                compile_ns,
                &time(&engine, &ready, &pool, runs),
            );

            let cases = claim40_cases(&shared);
            let (ready, pool, counts, compile_ns) = prepare(&engine, &cases, &registered);
            let t = time(&engine, &ready, &pool, runs);
            report("(b) jsonlogic-claim-40", &counts, compile_ns, &t);
            let n = ready.len() as f64;
            println!(
                "all {} rules on the claim: preclaim {:.2} µs, datalogic-rs {:.2} µs (the shared README lists datalogic-rs 5.4.0 native at 15.6 µs and 17.7 ns/eval on tests.json, json-logic-engine compiled at 8.1 µs)",
                ready.len(),
                t.ours.0 * n / 1e3,
                t.theirs.0 * n / 1e3
            );
        }
        None => eprintln!(
            "WARNING: SKIPPING workloads (a) and (b): shared folder not found (set PRECLAIM_SHARED or put it at ../shared)"
        ),
    }
    let cases = pack_cases(if smoke { 1 } else { usize::MAX });
    let (ready, pool, counts, compile_ns) = prepare(&engine, &cases, &registered);
    let runs = if smoke { 3 } else { 1000 };
    report(
        "(c) default packs' derived values and rule conditions on the example claims",
        &counts,
        compile_ns,
        &time(&engine, &ready, &pool, runs),
    );
    let (with, without): (Vec<Ready>, Vec<Ready>) = ready.into_iter().partition(|r| r.custom);
    for (what, part) in [("without", without), ("with", with)] {
        let t = time(&engine, &part, &pool, runs);
        println!(
            "  the {} cases {what} a domain function: preclaim {:.1} ns/eval (p90 {:.1}), datalogic-rs {:.1} ns/eval (p90 {:.1}), ratio {:.2}×",
            part.len(),
            t.ours.0,
            t.ours.1,
            t.theirs.0,
            t.theirs.1,
            t.theirs.0 / t.ours.0.max(f64::MIN_POSITIVE)
        );
    }
}
