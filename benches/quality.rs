#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]
//! Native timing of the photo pre-checks: `assess` on a 12-megapixel (4000×3000) RGBA buffer of a synthetic
//! text page, and on a 1024×768 buffer (median of several runs). `cargo bench --bench quality`. Figures are
//! printed, never asserted.

use std::time::Instant;

use preclaim::quality::{assess, sha256, AssessInput, Config};

/// A page-like RGBA buffer: gray table, paper, rows of dark strokes, a little deterministic noise.
fn page(w: usize, h: usize) -> Vec<u8> {
    let mut s = 0x2545_F491_4F6C_DD1Du64;
    let mut out = Vec::with_capacity(w * h * 4);
    for y in 0..h {
        for x in 0..w {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            let (u, v) = (x as f64 / w as f64, y as f64 / h as f64);
            let paper = (0.1..0.9).contains(&u) && (0.1..0.9).contains(&v);
            let text = paper
                && (y * 60 / h).is_multiple_of(2)
                && !((x * 97 / w) * 7 + y * 13 / h).is_multiple_of(5)
                && (x * 400 / w).is_multiple_of(3);
            let base = if text {
                35.0
            } else if paper {
                232.0
            } else {
                70.0
            };
            let g = (base + (s % 7) as f64 - 3.0).clamp(0.0, 255.0) as u8;
            out.extend_from_slice(&[g, g, g, 255]);
        }
    }
    out
}

fn median_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    f();
    let mut t: Vec<f64> = (0..runs)
        .map(|_| {
            let a = Instant::now();
            f();
            a.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    t.sort_by(f64::total_cmp);
    t[runs / 2]
}

fn main() {
    let cfg = Config::default();
    let smoke = std::env::var("PRECLAIM_BENCH_SMOKE").is_ok_and(|v| v == "1");
    let sizes: &[(usize, usize, usize)] = if smoke {
        &[(400, 300, 1)]
    } else {
        &[(4000, 3000, 15), (2048, 1536, 21), (1024, 768, 41)]
    };
    for &(w, h, runs) in sizes {
        let px = page(w, h);
        let mut verdict = None;
        let ms = median_ms(runs, || {
            let a = assess(&AssessInput::new(&px, w as u32, h as u32), &cfg).expect("assess");
            verdict = Some(a.verdict);
        });
        println!(
            "assess {w}x{h} RGBA ({:.1} MP): median {ms:.2} ms over {runs} runs ({:?})",
            (w * h) as f64 / 1e6,
            verdict.unwrap()
        );
    }
    let bytes = vec![0x5Au8; 3_000_000];
    let ms = median_ms(if smoke { 1 } else { 9 }, || {
        std::hint::black_box(sha256(&bytes));
    });
    println!("sha256 of a 3 MB file: median {ms:.2} ms");
}
