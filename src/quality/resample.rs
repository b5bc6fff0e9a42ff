//! Area (box-coverage) downscaling to the fixed analysis size, in Rust so that the result does not depend on
//! a browser's resampler (design §1.1, §3.3).
//!
//! Each output pixel is the exact area-weighted mean of the input pixels it covers, computed separably: a
//! horizontal pass per input row (whole interior pixels plus two partial ends), then each row is spread over
//! the at most two output rows it overlaps. RGBA input is converted to BT.601 luma on the way, one row at a
//! time, so a 12-megapixel buffer is read once and never copied.

/// A single-channel image of `f32` values, row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct Plane {
    pub width: usize,
    pub height: usize,
    pub data: Vec<f32>,
}

impl Plane {
    /// The row `y` (empty when out of range).
    pub fn row(&self, y: usize) -> &[f32] {
        let start = y.saturating_mul(self.width);
        self.data.get(start..start.saturating_add(self.width)).unwrap_or(&[])
    }
}

/// The size with the long side reduced to `max_long` (never enlarged), keeping the aspect ratio.
pub fn fit(width: usize, height: usize, max_long: usize) -> (usize, usize) {
    let long = width.max(height);
    if long <= max_long || long == 0 {
        return (width, height);
    }
    let scale = max_long as f64 / long as f64;
    let side = |v: usize| ((v as f64 * scale).round() as usize).clamp(1, max_long);
    if width >= height {
        (max_long, side(height))
    } else {
        (side(width), max_long)
    }
}

/// The input interval `[a, b)` of each output cell along one axis: first and last input index (inclusive)
/// and their coverage weights; interior pixels weigh 1.
#[derive(Clone, Copy)]
struct Span {
    first: usize,
    last: usize,
    w_first: f32,
    w_last: f32,
}

fn spans(src: usize, dst: usize) -> Vec<Span> {
    let step = src as f64 / dst.max(1) as f64;
    (0..dst)
        .map(|i| {
            let a = i as f64 * step;
            let b = ((i + 1) as f64 * step).min(src as f64);
            let first = (a.floor() as usize).min(src.saturating_sub(1));
            let last = ((b.ceil() as usize).saturating_sub(1)).clamp(first, src.saturating_sub(1));
            let cover = |x: usize| ((x as f64 + 1.0).min(b) - (x as f64).max(a)).max(0.0) as f32;
            Span {
                first,
                last,
                w_first: cover(first),
                w_last: cover(last),
            }
        })
        .collect()
}

/// For each input row, the output row it starts in and its weights there and in the next row.
fn row_weights(src: usize, dst: usize) -> Vec<(usize, f32, f32)> {
    let step = dst as f64 / src.max(1) as f64; // output rows per input row (≤ 1 when shrinking)
    (0..src)
        .map(|y| {
            let a = y as f64 * step;
            let b = (y + 1) as f64 * step;
            let i = a.floor();
            let w0 = (b.min(i + 1.0) - a).max(0.0);
            let w1 = (b - (i + 1.0)).max(0.0);
            (i as usize, w0 as f32, w1 as f32)
        })
        .collect()
}

/// An area downscaler fed one input row at a time, top to bottom.
pub struct Downscaler {
    width: usize,
    xs: Vec<Span>,
    ys: Vec<(usize, f32, f32)>,
    next_y: usize,
    hrow: Vec<f32>,
    out: Vec<f32>,
    gain: f32,
}

impl Downscaler {
    /// A downscaler from `src` to `dst` (each side of `dst` at most that of `src`, at least 1), multiplying
    /// the means by `gain`.
    pub fn new(src: (usize, usize), dst: (usize, usize), gain: f32) -> Downscaler {
        let (dw, dh) = (dst.0.clamp(1, src.0.max(1)), dst.1.clamp(1, src.1.max(1)));
        // Horizontal weights are in input pixels, vertical ones in output rows (they sum to 1 per row).
        let area = src.0 as f64 / dw as f64;
        Downscaler {
            width: dw,
            xs: spans(src.0, dw),
            ys: row_weights(src.1, dh),
            next_y: 0,
            hrow: vec![0.0; dw],
            // One spare row: the last input row's spill-over (weight 0 or rounding dust) lands there.
            out: vec![0.0; dw * (dh + 1)],
            gain: (f64::from(gain) / area) as f32,
        }
    }

    /// Adds the next input row (its length must be the input width; extra or missing values are ignored).
    pub fn push(&mut self, row: &[f32]) {
        for (h, s) in self.hrow.iter_mut().zip(&self.xs) {
            let mid = row.get(s.first + 1..s.last).map_or(0.0, |m| m.iter().sum::<f32>());
            let ends = if s.last > s.first {
                row.get(s.first).map_or(0.0, |v| v * s.w_first) + row.get(s.last).map_or(0.0, |v| v * s.w_last)
            } else {
                row.get(s.first).map_or(0.0, |v| v * s.w_first)
            };
            *h = mid + ends;
        }
        let Some(&(i, w0, w1)) = self.ys.get(self.next_y) else {
            return;
        };
        self.next_y += 1;
        let w = self.width;
        let mut spread = |row_idx: usize, wt: f32| {
            if wt > 0.0 {
                let at = row_idx * w;
                if let Some(o) = self.out.get_mut(at..at + w) {
                    for (o, h) in o.iter_mut().zip(&self.hrow) {
                        *o += h * wt;
                    }
                }
            }
        };
        spread(i, w0);
        spread(i + 1, w1);
    }

    /// The downscaled plane.
    pub fn finish(mut self) -> Plane {
        let height = self.out.len() / self.width.max(1) - 1;
        self.out.truncate(self.width * height);
        let g = self.gain;
        for v in &mut self.out {
            *v *= g;
        }
        Plane {
            width: self.width,
            height,
            data: self.out,
        }
    }
}

/// BT.601 luma of an RGBA buffer (`width × height × 4` bytes, checked by the caller), area-downscaled so that
/// the long side is at most `max_long`. Alpha is ignored.
pub fn luma_downscaled(rgba: &[u8], width: usize, height: usize, max_long: usize) -> Plane {
    let dst = fit(width, height, max_long);
    // Integer weights 77/150/29 sum to 256; the 1/256 is folded into the gain.
    let mut d = Downscaler::new((width, height), dst, 1.0 / 256.0);
    let mut line = vec![0.0f32; width];
    for row in rgba.chunks_exact(width * 4).take(height) {
        for (l, px) in line.iter_mut().zip(row.chunks_exact(4)) {
            if let [r, g, b, _] = *px {
                *l = (77 * u32::from(r) + 150 * u32::from(g) + 29 * u32::from(b)) as f32;
            }
        }
        d.push(&line);
    }
    d.finish()
}

/// A plane area-downscaled to exactly `dst` (each side at most the source's).
pub fn downscale(p: &Plane, dst: (usize, usize)) -> Plane {
    let mut d = Downscaler::new((p.width, p.height), dst, 1.0);
    for y in 0..p.height {
        d.push(p.row(y));
    }
    d.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn area_mean_is_exact() {
        // 3×1 → 2×1: cells cover [0,1.5) and [1.5,3).
        let p = Plane {
            width: 3,
            height: 1,
            data: vec![0.0, 3.0, 6.0],
        };
        let d = downscale(&p, (2, 1));
        assert_eq!(d.data.len(), 2);
        assert!(
            (d.data[0] - 1.0).abs() < 1e-5 && (d.data[1] - 5.0).abs() < 1e-5,
            "{:?}",
            d.data
        );
        // A constant stays constant at any ratio.
        let c = Plane {
            width: 101,
            height: 37,
            data: vec![7.5; 101 * 37],
        };
        let d = downscale(&c, (13, 5));
        assert!(d.data.iter().all(|v| (v - 7.5).abs() < 1e-3), "{:?}", d.data);
        assert_eq!(fit(4000, 3000, 1024), (1024, 768));
        assert_eq!(fit(3000, 4000, 1024), (768, 1024));
        assert_eq!(fit(800, 600, 1024), (800, 600));
    }

    #[test]
    fn rgba_luma() {
        let px = [255u8, 255, 255, 255].repeat(4 * 4);
        let p = luma_downscaled(&px, 4, 4, 2);
        assert_eq!((p.width, p.height), (2, 2));
        assert!(p.data.iter().all(|v| (v - 255.0).abs() < 1e-3));
    }
}
