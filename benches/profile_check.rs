#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]
//! A fixed workload for profilers (callgrind): checks one claim N times. `cargo bench --bench profile_check -- FILE N`.

use preclaim::check::Checker;
use preclaim::pack::def::Locale;

fn main() {
    let args: Vec<String> = std::env::args().collect();
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
