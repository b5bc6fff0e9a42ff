#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]
//! Catalog budgets, natively (`cargo bench --bench catalog`): size of 1,000,000 synthetic drug/item entries,
//! load time, exact look-up median, and autocomplete per keystroke over the WHO ICD-10 names (fetched by
//! scripts/fetch-icd10.sh; skipped loudly when offline). Figures are printed, never asserted.

use std::hint::black_box;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use preclaim::catalog::{build, source, synth, Catalog, Kind};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn ns_per_op(batches: usize, per_batch: usize, mut f: impl FnMut(usize)) -> Vec<f64> {
    (0..batches)
        .map(|b| {
            let t = Instant::now();
            for i in 0..per_batch {
                f(b * per_batch + i);
            }
            t.elapsed().as_nanos() as f64 / per_batch as f64
        })
        .collect()
}

fn main() {
    let n = std::env::var("CATALOG_BENCH_ENTRIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let t = Instant::now();
    let rows = synth::synthetic_items(n, 7);
    let gen = t.elapsed();
    let codes: Vec<String> = rows.iter().map(|r| r.code.clone()).collect();
    let t = Instant::now();
    let bytes = build(Kind::Item, rows).unwrap();
    let built = t.elapsed();
    println!(
        "catalog: {n} synthetic drug/item entries: {} bytes ({:.2} MB, {:.2} bytes/entry; budget 8 MB); generated in {:.0} ms, built in {:.0} ms",
        bytes.len(),
        bytes.len() as f64 / 1e6,
        bytes.len() as f64 / n as f64,
        gen.as_secs_f64() * 1e3,
        built.as_secs_f64() * 1e3
    );
    let loads: Vec<f64> = (0..21)
        .map(|_| {
            let t = Instant::now();
            black_box(Catalog::load(black_box(&bytes)).unwrap());
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    println!(
        "catalog: load (header, checksum, indexes) median {:.2} ms (budget 20 ms)",
        median(loads)
    );
    let cat = Catalog::load(&bytes).unwrap();
    // Random existing codes, in a fixed pseudo-random order.
    let order: Vec<usize> = (0..codes.len())
        .map(|i| (i.wrapping_mul(2_654_435_761)) % codes.len())
        .collect();
    let hit = ns_per_op(400, 1000, |i| {
        black_box(cat.get(black_box(&codes[order[i % order.len()]])).unwrap());
    });
    println!(
        "catalog: exact look-up (hit) median {:.0} ns (budget 200 ns)",
        median(hit)
    );
    // A claim's worth of codes looked up again and again (the checker's case: the catalog stays hot).
    let hot: Vec<&str> = order.iter().take(1000).map(|i| codes[*i].as_str()).collect();
    let hot_t = ns_per_op(400, 1000, |i| {
        black_box(cat.get(black_box(hot[i % hot.len()])).unwrap());
    });
    println!(
        "catalog: exact look-up (1,000 hot codes) median {:.0} ns",
        median(hot_t)
    );
    let mut key_copies: Vec<[u8; 24]> = Vec::new();
    for i in order.iter().take(100_000) {
        let mut k = [0u8; 24];
        k[..codes[*i].len()].copy_from_slice(codes[*i].as_bytes());
        key_copies.push(k);
    }
    let flat = ns_per_op(100, 1000, |i| {
        let k = &key_copies[i % key_copies.len()];
        let s = std::str::from_utf8(&k[..k.iter().position(|b| *b == 0).unwrap_or(24)]).unwrap();
        black_box(cat.get(black_box(s)).unwrap());
    });
    println!(
        "catalog: exact look-up (random over all, keys in one flat array) median {:.0} ns",
        median(flat)
    );
    // Reference on this machine: binary search in a sorted Vec<&str> of the same codes (uncompressed, ~40 MB).
    let mut sorted: Vec<&str> = codes.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    let base = ns_per_op(400, 1000, |i| {
        black_box(
            sorted
                .binary_search(&black_box(codes[order[i % order.len()]].as_str()))
                .is_ok(),
        );
    });
    println!(
        "catalog: reference: Vec<&str>::binary_search over the same codes median {:.0} ns",
        median(base)
    );
    let misses: Vec<String> = codes.iter().take(10_000).map(|c| format!("{c}9")).collect();
    let miss = ns_per_op(100, 100, |i| {
        black_box(cat.get(black_box(&misses[i % misses.len()])));
    });
    println!("catalog: exact look-up (miss) median {:.0} ns", median(miss));
    let pre = ns_per_op(50, 100, |i| {
        black_box(cat.prefix(&codes[order[i % order.len()]][..12]).take(20).count());
    });
    println!(
        "catalog: prefix look-up (12-char generic prefix, first 20) median {:.0} ns",
        median(pre)
    );

    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/fetch-icd10.sh");
    let out = Command::new("bash").arg(script).output().unwrap();
    if !out.status.success() {
        println!(
            "\n*** SKIPPING ICD-10 autocomplete bench: {} ***",
            String::from_utf8_lossy(&out.stderr).trim()
        );
        return;
    }
    let path = String::from_utf8(out.stdout).unwrap();
    let rows = source::parse_rows(&std::fs::read_to_string(path.trim()).unwrap()).unwrap();
    let icd = build(Kind::Diagnosis, rows).unwrap();
    let cat = Catalog::load(&icd).unwrap();
    println!(
        "catalog: ICD-10 (WHO, zh + en): {} entries, {} bytes",
        cat.len(),
        icd.len()
    );
    let mut worst = (0.0f64, String::new());
    let mut all = Vec::new();
    for word in [
        "cholera",
        "diabetes mellitus",
        "fracture of femur",
        "c50.9",
        "霍乱",
        "乳房恶性肿瘤",
        "糖尿病",
        "急性心肌梗死",
    ] {
        let chars: Vec<char> = word.chars().collect();
        for k in 1..=chars.len() {
            let q: String = chars[..k].iter().collect();
            let times = ns_per_op(15, 1, |_| {
                black_box(cat.search(black_box(&q), 10));
            });
            let m = median(times) / 1e6;
            all.push(m);
            if m > worst.0 {
                worst = (m, q.clone());
            }
        }
    }
    println!(
        "catalog: autocomplete over {} names, limit 10: median keystroke {:.3} ms, worst {:.3} ms on {:?} (budget 1 ms)",
        cat.len() * 2,
        median(all),
        worst.0,
        worst.1
    );
}
