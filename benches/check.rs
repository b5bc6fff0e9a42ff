#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]
//! Native timings of the checker: loading the default packs (compiled form, and from JSON) and checking each example claim (median of
//! many runs), and the claim finder: the worked example F1 and the order search of six reimbursement
//! policies (720 orders). `cargo bench --bench check`. Figures are printed, never asserted.

use std::time::Instant;

use preclaim::check::Checker;
use preclaim::finder;
use preclaim::json::{self, write_value};
use preclaim::pack::def::Locale;

fn median_ns(mut f: impl FnMut(), runs: usize) -> f64 {
    for _ in 0..runs / 10 + 1 {
        f();
    }
    let mut t: Vec<u128> = (0..runs)
        .map(|_| {
            let a = Instant::now();
            f();
            a.elapsed().as_nanos()
        })
        .collect();
    t.sort_unstable();
    t.get(runs / 2).copied().unwrap_or(0) as f64
}

fn main() {
    let smoke = std::env::var("PRECLAIM_BENCH_SMOKE").is_ok_and(|v| v == "1");
    let runs = if smoke { 3 } else { 2000 };
    let root = env!("CARGO_MANIFEST_DIR");
    let load = median_ns(
        || {
            // Packs load on first use: `packs()` decodes all six (their compiled form), as a first check of
            // each product would.
            let c = Checker::with_defaults().expect("default packs");
            drop(c.packs());
        },
        if smoke { 1 } else { 20 },
    );
    println!("load the 6 default packs (compiled form): {:.2} ms", load / 1e6);
    let texts: Vec<String> = ["acc", "cash", "ci", "dis", "life", "med"]
        .iter()
        .map(|p| std::fs::read_to_string(format!("{root}/packs/p-{p}.json")).expect("pack"))
        .collect();
    let compile = median_ns(
        || {
            for t in &texts {
                drop(preclaim::pack::load_program(t).expect("pack"));
            }
        },
        if smoke { 1 } else { 20 },
    );
    println!("compile the 6 default packs from JSON: {:.2} ms", compile / 1e6);
    let checker = Checker::with_defaults().expect("default packs");
    let mut files: Vec<_> = std::fs::read_dir(format!("{root}/examples"))
        .expect("examples")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("claim");
        let node = json::parse(&text).expect("json");
        let full = median_ns(|| drop(checker.check_text(&text, Locale::Zh)), runs);
        let from_node = median_ns(|| drop(checker.check_node(&node, Locale::Zh)), runs);
        let name = f
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        println!(
            "check {name:<36} {:>8.1} µs from text, {:>8.1} µs from parsed JSON",
            full / 1e3,
            from_node / 1e3
        );
    }
    finder_bench(&checker, root, smoke);
}

/// F1 with its policies replaced by six reimbursement policies (P-ACC and P-MED, limits in use).
fn six_reimbursement_policies(f1: &str) -> String {
    let policy = |key: &str, product: &str, paid: &str| {
        format!(
            r#"{{"key":"{key}","insured":"me","policy":{{"number":"{key}","product":"{product}","effective_on":"2024-01-01","expires_on":"2024-12-31","continuous_since":"2022-01-01","sum_insured":"5000.00","paid_this_year":"{paid}","social_insurance":true}}}}"#
        )
    };
    let list = [
        policy("acc1", "P-ACC", "0.00"),
        policy("med1", "P-MED", "0.00"),
        policy("acc2", "P-ACC", "4900.00"),
        policy("med2", "P-MED", "2990000.00"),
        policy("acc3", "P-ACC", "2000.00"),
        policy("acc4", "P-ACC", "4000.00"),
    ];
    let start = f1.find(r#""policies":["#).expect("policies");
    let end = start + f1[start..].find(r#"],"event""#).expect("event");
    let mut text = f1.to_string();
    text.replace_range(start..end, &format!(r#""policies":[{}"#, list.join(",")));
    text
}

fn finder_bench(checker: &Checker, root: &str, smoke: bool) {
    let case = std::fs::read_to_string(format!("{root}/tests/cases-finder/f1-worked-example.json")).expect("F1");
    let case = preclaim::value::Value::from_json(&json::parse(&case).expect("F1 json"));
    let f1 = write_value(case.get("finder").expect("finder"));
    let f1_found = finder::find_text(checker, &f1, Locale::Zh).expect("F1 plan");
    let f1_ns = median_ns(
        || drop(finder::find_text(checker, &f1, Locale::Zh)),
        if smoke { 3 } else { 500 },
    );
    println!(
        "find F1 (4 policies, {} checks, {} orders)       {:>8.1} µs",
        f1_found.checks,
        f1_found.orders,
        f1_ns / 1e3
    );
    let six = six_reimbursement_policies(&f1);
    let found = finder::find_text(checker, &six, Locale::Zh).expect("plan");
    let six_ns = median_ns(
        || drop(finder::find_text(checker, &six, Locale::Zh)),
        if smoke { 1 } else { 20 },
    );
    let one_claim = found
        .plan
        .get("claims")
        .and_then(|c| c.as_array())
        .and_then(|c| c.first())
        .expect("a claim");
    let claim_text = write_value(one_claim.get("claim").expect("claim"));
    let check_ns = median_ns(
        || drop(checker.check_text(&claim_text, Locale::Zh)),
        if smoke { 3 } else { 2000 },
    );
    println!(
        "find 6 reimbursement policies: {} orders, {} checks (720 × 6 = 4320 without shared beginnings): {:.1} ms, {:.1} µs a check; one check of such a claim alone {:.1} µs",
        found.orders,
        found.checks,
        six_ns / 1e6,
        six_ns / 1e3 / found.checks.max(1) as f64,
        check_ns / 1e3
    );
}
