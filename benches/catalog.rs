#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]
//! Catalog budgets, natively (`cargo bench --bench catalog`): size of 1,000,000 synthetic drug/item entries,
//! load time, exact look-up (p50/p99), and autocomplete per keystroke over the WHO ICD-10 names (fetched by
//! scripts/fetch-icd10.sh; skipped loudly when offline). Figures are printed, never asserted.
//!
//! The look-up queries are drawn at random from the catalog (plus 10 % absent codes) and stored in one flat
//! array read in order, so the bench measures the catalog and not its own scattered `String`s. Medians are
//! over batches of look-ups; p50/p99 of single look-ups are timed one by one (the timer's own cost, printed,
//! is included in those). `CATALOG_BENCH_PROFILE=load|get|search` loops one part for ~10 s (for `perf record`).

use std::hint::black_box;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use preclaim::catalog::{build, source, synth, Catalog, Kind};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn percentile(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[((v.len() - 1) as f64 * p).round() as usize]
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

/// Single operations timed one by one: p50 and p99 in ns.
fn latencies(n: usize, mut f: impl FnMut(usize)) -> (f64, f64) {
    let mut v: Vec<f64> = (0..n)
        .map(|i| {
            let t = Instant::now();
            f(i);
            t.elapsed().as_nanos() as f64
        })
        .collect();
    (percentile(&mut v, 0.5), percentile(&mut v, 0.99))
}

/// xorshift64*: a fixed pseudo-random sequence.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n
    }
}

/// Query codes in one flat array of 32-byte slots (length in the last byte), read in order.
struct Queries(Vec<[u8; 32]>);

impl Queries {
    fn get(&self, i: usize) -> &str {
        let q = &self.0[i % self.0.len()];
        std::str::from_utf8(&q[..usize::from(q[31])]).unwrap()
    }
}

fn queries(codes: &[String], n: usize, miss_every: usize, seed: u64) -> Queries {
    let mut rng = Rng(seed);
    Queries(
        (0..n)
            .map(|i| {
                let mut c = codes[rng.below(codes.len())].clone().into_bytes();
                if miss_every > 0 && i % miss_every == 0 {
                    // Absent: the last character changed (or a character appended to a 31-byte code).
                    let last = c.len() - 1;
                    c[last] = if c[last] == b'Z' { b'Y' } else { b'Z' };
                }
                let mut slot = [0u8; 32];
                slot[..c.len()].copy_from_slice(&c);
                slot[31] = c.len() as u8;
                slot
            })
            .collect(),
    )
}

fn main() {
    // PRECLAIM_BENCH_SMOKE=1 (make test): a 10,000-entry catalog and the first look-up figures only.
    let smoke = std::env::var("PRECLAIM_BENCH_SMOKE").is_ok_and(|v| v == "1");
    let n = std::env::var("CATALOG_BENCH_ENTRIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if smoke { 10_000 } else { 1_000_000 });
    let profile = std::env::var("CATALOG_BENCH_PROFILE").unwrap_or_default();
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
    if profile == "load" {
        let t = Instant::now();
        while t.elapsed().as_secs() < 10 {
            black_box(Catalog::load(black_box(&bytes)).unwrap());
        }
        return;
    }
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
    let hits = queries(&codes, 200_000, 0, 0x9E37_79B9_7F4A_7C15);
    let mixed = queries(&codes, 200_000, 10, 0xD1B5_4A32_D192_ED03);
    let hot = queries(&codes, 1_000, 0, 0x94D0_49BB_1331_11EB);
    if profile == "get" {
        let t = Instant::now();
        let mut i = 0;
        while t.elapsed().as_secs() < 10 {
            for _ in 0..10_000 {
                black_box(cat.get(black_box(mixed.get(i))));
                i += 1;
            }
        }
        return;
    }
    let found = (0..200_000).filter(|i| cat.get(mixed.get(*i)).is_some()).count();
    assert!((0..200_000).all(|i| cat.get(hits.get(i)).is_some()));
    let timer = latencies(100_000, |_| {});
    println!("catalog: (timer overhead per single timed op: p50 {:.0} ns)", timer.0);
    let hit = ns_per_op(400, 500, |i| {
        black_box(cat.get(black_box(hits.get(i))).unwrap());
    });
    let (p50, p99) = latencies(200_000, |i| {
        black_box(cat.get(black_box(hits.get(i))));
    });
    println!(
        "catalog: exact look-up, random present codes: median {:.0} ns per look-up (batches of 500); single look-ups p50 {p50:.0} ns, p99 {p99:.0} ns (budget 200 ns)",
        median(hit)
    );
    if smoke {
        println!("catalog: SMOKE RUN (10,000 entries; figures meaningless), stopping here");
        return;
    }
    let mix = ns_per_op(400, 500, |i| {
        black_box(cat.get(black_box(mixed.get(i))));
    });
    let (p50, p99) = latencies(200_000, |i| {
        black_box(cat.get(black_box(mixed.get(i))));
    });
    println!(
        "catalog: exact look-up, random codes with {:.0} % absent: median {:.0} ns; single p50 {p50:.0} ns, p99 {p99:.0} ns",
        100.0 - found as f64 / 2_000.0,
        median(mix)
    );
    let hot_t = ns_per_op(400, 500, |i| {
        black_box(cat.get(black_box(hot.get(i))).unwrap());
    });
    println!(
        "catalog: exact look-up, 1,000 hot codes (a claim's worth, looked up again and again) median {:.0} ns",
        median(hot_t)
    );
    // Reference on this machine: binary search in a sorted Vec<&str> of the same codes (uncompressed, ~40 MB).
    let mut sorted: Vec<&str> = codes.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    let base = ns_per_op(400, 500, |i| {
        black_box(sorted.binary_search(&black_box(hits.get(i))).is_ok());
    });
    println!(
        "catalog: reference: Vec<&str>::binary_search over the same codes median {:.0} ns",
        median(base)
    );
    let ancestor = ns_per_op(100, 500, |i| {
        black_box(cat.get_or_ancestor(black_box(mixed.get(i))));
    });
    println!("catalog: get_or_ancestor, same mix, median {:.0} ns", median(ancestor));
    let pre = ns_per_op(100, 100, |i| {
        black_box(cat.prefix(&hits.get(i)[..12]).take(20).count());
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
    let t = Instant::now();
    let icd = build(Kind::Diagnosis, rows).unwrap();
    let built = t.elapsed();
    let t = Instant::now();
    let cat = Catalog::load(&icd).unwrap();
    println!(
        "catalog: ICD-10 (WHO, zh + en): {} entries, {} bytes, built in {:.0} ms, loaded in {:.2} ms",
        cat.len(),
        icd.len(),
        built.as_secs_f64() * 1e3,
        t.elapsed().as_secs_f64() * 1e3
    );
    let words = [
        "cholera",
        "diabetes mellitus",
        "fracture of femur",
        "malignant neoplasm of breast",
        "breast",
        "c50.9",
        "k80",
        "霍乱",
        "乳房恶性肿瘤",
        "糖尿病",
        "急性心肌梗死",
        "oplasm",
        "xyz",
    ];
    let keystrokes: Vec<String> = words
        .iter()
        .flat_map(|w| {
            let chars: Vec<char> = w.chars().collect();
            (1..=chars.len()).map(move |k| chars[..k].iter().collect::<String>())
        })
        .collect();
    if profile == "search" {
        let t = Instant::now();
        while t.elapsed().as_secs() < 10 {
            for q in &keystrokes {
                black_box(cat.search(black_box(q), 10));
            }
        }
        return;
    }
    let mut per_query: Vec<(f64, &str)> = keystrokes
        .iter()
        .map(|q| {
            let times = ns_per_op(21, 1, |_| {
                black_box(cat.search(black_box(q), 10));
            });
            (median(times) / 1e6, q.as_str())
        })
        .collect();
    let mut all: Vec<f64> = per_query.iter().map(|(t, _)| *t).collect();
    let p50 = percentile(&mut all, 0.5);
    let p99 = percentile(&mut all, 0.99);
    per_query.sort_by(|a, b| b.0.total_cmp(&a.0));
    println!(
        "catalog: autocomplete over {} names, limit 10, {} keystrokes of {} words (median of 21 runs each): median keystroke {p50:.3} ms, p99 {p99:.3} ms, worst {:.3} ms on {:?} (budget 1 ms in WebAssembly, aim 0.3 ms natively)",
        cat.len() * 2,
        keystrokes.len(),
        words.len(),
        per_query[0].0,
        per_query[0].1
    );
    let slowest: Vec<String> = per_query.iter().take(5).map(|(t, q)| format!("{q:?} {t:.3}")).collect();
    println!("catalog: slowest keystrokes (ms): {}", slowest.join(", "));
    let brief: Vec<String> = ["乳", "乳房", "糖尿病", "br", "breast", "malignant neo", "K80", "C50.9"]
        .iter()
        .map(|q| {
            let t = median(ns_per_op(21, 1, |_| {
                black_box(cat.search(black_box(q), 10));
            }));
            format!("{q:?} {:.3}", t / 1e6)
        })
        .collect();
    println!("catalog: sample keystrokes (ms): {}", brief.join(", "));
}
