//! Sharpness: a contrast-invariant, directional ratio of second- to first-derivative energy (design §1.2.1),
//! plus the classic variance of the Laplacian and Tenengrad, reported for reference only.
//!
//! Per tile of the analysis image, `rx = Σ(L(x−1) + L(x+1) − 2L)² / Σ Gx²` with `Gx` the unnormalised 3×3
//! Sobel, and `ry` likewise. Both energies scale with the square of the contrast, so their ratio does not
//! change when a page is darker or fainter; a blurred edge loses second-derivative energy much faster than
//! first-derivative energy. Over the most textured tiles the medians of `rx` and `ry` are taken and the
//! score is the smaller one, so blur along one direction only (camera shake) is caught too. An ideal step
//! edge scores 1/16 = 0.0625. The kernels define the scale of the thresholds: keep them fixed.
//!
//! Departure from the design: sensor noise alone has a ratio of about 0.5, so on inputs that are only a
//! little larger than the analysis size (little noise averaged away) noise lifted a blurred page above the
//! thresholds, and very strong blur scored *higher* than moderate blur. The energies of the flattest tenth
//! of the tiles (paper, table) are taken as the noise floor and subtracted from each textured tile's sums
//! before the ratio is formed; tiles whose energy is not clearly above the floor are not used.

use super::resample::Plane;

/// Nominal tile side in analysis pixels. The tiles partition the image evenly.
const TILE: usize = 32;
/// A tile is "textured" when its mean Sobel energy per pixel is at least this (a gradient of about 1 level)
/// and at least [`FLOOR_MARGIN`] times the noise floor.
const MIN_TILE_ENERGY: f64 = 16.0;
const FLOOR_MARGIN: f64 = 4.0;
/// Share of the tiles (the flattest) whose energies estimate the noise floor.
const FLOOR_SHARE: f64 = 0.10;
/// The floor tiles count as noise when their ratio is at least this (white noise: 0.5; after area
/// downscaling about 0.3; a sharp step edge: 0.0625).
const NOISE_RATIO: f64 = 0.15;

/// The sharpness measurements of one analysis image.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Sharpness {
    /// min(rx, ry): the score thresholds apply to.
    pub score: f64,
    /// Median horizontal ratio over the selected tiles.
    pub ratio_x: f64,
    /// Median vertical ratio over the selected tiles.
    pub ratio_y: f64,
    /// Number of tiles the medians were taken over.
    pub tiles: u32,
    /// Variance of the 4-neighbour Laplacian (reference only: depends on contrast and scale).
    pub vol: f64,
    /// Mean of Gx² + Gy² (reference only).
    pub tenengrad: f64,
    /// Sobel energy per pixel of the noise floor subtracted (0 when the flattest tiles are not noise-like).
    pub noise_floor: f64,
    /// Ratio (second- over first-derivative energy) of the flattest tiles.
    pub floor_ratio: f64,
}

#[derive(Clone, Copy, Default)]
struct Tile {
    n: f64,
    dxx: f64,
    gx: f64,
    dyy: f64,
    gy: f64,
}

/// Tile boundaries: `n` near-equal parts of `len` (at least one part).
fn cuts(len: usize) -> Vec<usize> {
    let n = ((len + TILE / 2) / TILE).max(1);
    (0..=n).map(|k| k * len / n).collect()
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_unstable_by(f64::total_cmp);
    let n = v.len();
    match n {
        0 => 0.0,
        _ if n % 2 == 1 => v.get(n / 2).copied().unwrap_or(0.0),
        _ => (v.get(n / 2 - 1).copied().unwrap_or(0.0) + v.get(n / 2).copied().unwrap_or(0.0)) / 2.0,
    }
}

/// Measures the sharpness of `p`, taking the medians over the `share` (0..1) most textured tiles.
pub fn measure(p: &Plane, share: f64) -> Sharpness {
    let (w, h) = (p.width, p.height);
    if w < 3 || h < 3 {
        return Sharpness::default();
    }
    let xc = cuts(w);
    let yc = cuts(h);
    let ntx = xc.len() - 1;
    let mut tiles = vec![Tile::default(); ntx * (yc.len() - 1)];
    let (mut lap_sum, mut lap_sq, mut ten) = (0.0f64, 0.0f64, 0.0f64);
    let mut ty = 0usize;
    for y in 1..h - 1 {
        while yc.get(ty + 1).is_some_and(|&c| y >= c) {
            ty += 1;
        }
        let (up, mid, down) = (p.row(y - 1), p.row(y), p.row(y + 1));
        for tx in 0..ntx {
            let x0 = xc.get(tx).copied().unwrap_or(0).max(1);
            let x1 = xc.get(tx + 1).copied().unwrap_or(0).min(w - 1);
            if x1 <= x0 {
                continue;
            }
            fn win(r: &[f32], x0: usize, x1: usize) -> std::slice::Windows<'_, f32> {
                r.get(x0 - 1..x1 + 1).unwrap_or(&[]).windows(3)
            }
            let (mut sdxx, mut sgx, mut sdyy, mut sgy, mut sl, mut sl2) = (0f32, 0f32, 0f32, 0f32, 0f32, 0f32);
            for ((u, m), d) in win(up, x0, x1).zip(win(mid, x0, x1)).zip(win(down, x0, x1)) {
                let (&[u0, u1, u2], &[m0, m1, m2], &[d0, d1, d2]) = (u, m, d) else {
                    continue;
                };
                let gx = (u2 + 2.0 * m2 + d2) - (u0 + 2.0 * m0 + d0);
                let gy = (d0 + 2.0 * d1 + d2) - (u0 + 2.0 * u1 + u2);
                let dxx = m0 + m2 - 2.0 * m1;
                let dyy = u1 + d1 - 2.0 * m1;
                let lap = dxx + dyy;
                sdxx += dxx * dxx;
                sgx += gx * gx;
                sdyy += dyy * dyy;
                sgy += gy * gy;
                sl += lap;
                sl2 += lap * lap;
            }
            if let Some(t) = tiles.get_mut(ty * ntx + tx) {
                t.n += (x1 - x0) as f64;
                t.dxx += f64::from(sdxx);
                t.gx += f64::from(sgx);
                t.dyy += f64::from(sdyy);
                t.gy += f64::from(sgy);
            }
            lap_sum += f64::from(sl);
            lap_sq += f64::from(sl2);
            ten += f64::from(sgx + sgy);
        }
    }
    let n = ((w - 2) * (h - 2)) as f64;
    let lap_mean = lap_sum / n;
    let vol = (lap_sq / n - lap_mean * lap_mean).max(0.0);
    let tenengrad = ten / n;

    // Noise floor: mean energies per pixel of the flattest tiles.
    let energy = |t: &Tile| (t.gx + t.gy) / t.n.max(1.0);
    let mut by_energy: Vec<&Tile> = tiles.iter().filter(|t| t.n > 0.0).collect();
    by_energy.sort_unstable_by(|a, b| energy(a).total_cmp(&energy(b)));
    let n_floor = ((by_energy.len() as f64 * FLOOR_SHARE).ceil() as usize).max(1);
    let mut floor = Tile::default();
    for t in by_energy.iter().take(n_floor) {
        floor.n += t.n;
        floor.dxx += t.dxx;
        floor.gx += t.gx;
        floor.dyy += t.dyy;
        floor.gy += t.gy;
    }
    // The floor is noise only if it looks like noise (second- to first-derivative ratio far above that of any
    // edge); a frame with no flat area (text or pattern everywhere) keeps the raw ratios.
    let floor_ratio = (floor.dxx + floor.dyy) / (floor.gx + floor.gy).max(1e-9);
    let noisy = floor_ratio >= NOISE_RATIO;
    let per = |v: f64| if noisy && floor.n > 0.0 { v / floor.n } else { 0.0 };
    let (fdxx, fgx, fdyy, fgy) = (per(floor.dxx), per(floor.gx), per(floor.dyy), per(floor.gy));
    let min_energy = MIN_TILE_ENERGY.max(FLOOR_MARGIN * (fgx + fgy));

    // The most textured tiles, with the floor subtracted.
    let keep = ((tiles.len() as f64 * share.clamp(0.0, 1.0)).ceil() as usize).max(1);
    let ranked: Vec<Tile> = by_energy
        .iter()
        .rev()
        .take(keep)
        .filter(|t| energy(t) >= min_energy)
        .map(|t| Tile {
            n: t.n,
            dxx: (t.dxx - fdxx * t.n).max(0.0),
            gx: t.gx - fgx * t.n,
            dyy: (t.dyy - fdyy * t.n).max(0.0),
            gy: t.gy - fgy * t.n,
        })
        .collect();
    let ratio = |num: fn(&Tile) -> (f64, f64)| {
        let mut r: Vec<f64> = ranked
            .iter()
            .map(num)
            .filter(|(_, den)| *den > 0.0)
            .map(|(a, den)| a / den)
            .collect();
        median(&mut r)
    };
    let ratio_x = ratio(|t| (t.dxx, t.gx));
    let ratio_y = ratio(|t| (t.dyy, t.gy));
    Sharpness {
        score: ratio_x.min(ratio_y),
        ratio_x,
        ratio_y,
        tiles: ranked.len() as u32,
        vol,
        tenengrad,
        noise_floor: fgx + fgy,
        floor_ratio,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_edges_score_one_sixteenth() {
        // Vertical and horizontal ideal steps in a checkerboard of 8-pixel squares.
        let (w, h) = (128usize, 128usize);
        let data = (0..w * h)
            .map(|i| {
                if ((i % w) / 8 + (i / w) / 8) % 2 == 0 {
                    200.0
                } else {
                    50.0
                }
            })
            .collect();
        let s = measure(
            &Plane {
                width: w,
                height: h,
                data,
            },
            0.25,
        );
        assert!(s.score > 0.05 && s.score < 0.09, "{s:?}");
        let flat = measure(
            &Plane {
                width: w,
                height: h,
                data: vec![90.0; w * h],
            },
            0.25,
        );
        assert_eq!((flat.score, flat.tiles), (0.0, 0));
    }
}
