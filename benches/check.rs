#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]
//! Native timings of the checker: compiling the default packs and checking each example claim (median of
//! many runs). `cargo bench --bench check`. Figures are printed, never asserted.

use std::time::Instant;

use preclaim::check::Checker;
use preclaim::json;
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
    let compile = median_ns(
        || {
            let _ = Checker::with_defaults();
        },
        if smoke { 1 } else { 20 },
    );
    println!("compile the 6 default packs: {:.2} ms", compile / 1e6);
    let checker = Checker::with_defaults().expect("default packs");
    let mut files: Vec<_> = std::fs::read_dir(format!("{root}/examples"))
        .expect("examples")
        .filter_map(|e| e.ok().map(|e| e.path()))
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
}
