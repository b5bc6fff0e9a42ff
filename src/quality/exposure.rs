//! Exposure statistics of the analysis luma: a 256-bin histogram gives the mean, standard deviation, 5th and
//! 95th percentiles, the share of near-black pixels and the share of clipped (near-white) pixels.

use super::resample::Plane;

/// Luma below which a pixel counts as near-black (reported only).
const BLACK_LEVEL: f32 = 32.0;

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Exposure {
    pub mean: f64,
    pub std: f64,
    pub p05: f64,
    pub p95: f64,
    /// Share of pixels with luma below 32.
    pub dark_fraction: f64,
    /// Share of pixels with luma at or above the clip level.
    pub clipped_fraction: f64,
}

/// Measures the exposure of `p`; `clip` is the luma at or above which a pixel is clipped.
pub fn measure(p: &Plane, clip: f64) -> Exposure {
    let n = p.data.len();
    if n == 0 {
        return Exposure::default();
    }
    let clip = clip as f32;
    let mut hist = [0u32; 256];
    let (mut sum, mut sq) = (0f64, 0f64);
    let (mut black, mut clipped) = (0usize, 0usize);
    for &v in &p.data {
        if let Some(b) = hist.get_mut(v.round().clamp(0.0, 255.0) as usize) {
            *b += 1;
        }
        sum += f64::from(v);
        sq += f64::from(v) * f64::from(v);
        black += usize::from(v < BLACK_LEVEL);
        clipped += usize::from(v >= clip);
    }
    let nf = n as f64;
    let mean = sum / nf;
    let percentile = |q: f64| {
        let target = (q * nf).ceil().max(1.0) as u64;
        let mut acc = 0u64;
        for (i, c) in hist.iter().enumerate() {
            acc += u64::from(*c);
            if acc >= target {
                return i as f64;
            }
        }
        255.0
    };
    Exposure {
        mean,
        std: (sq / nf - mean * mean).max(0.0).sqrt(),
        p05: percentile(0.05),
        p95: percentile(0.95),
        dark_fraction: black as f64 / nf,
        clipped_fraction: clipped as f64 / nf,
    }
}
