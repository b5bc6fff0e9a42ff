//! Document framing and resolution: how much of the frame the document fills, whether it may be cut off,
//! and its effective resolution in dots per inch (design §1.5, §1.7).
//!
//! At the framing size (long side 96, where lines of text blend into the paper) an Otsu threshold splits bright from dark, and the largest bright
//! 4-connected region is taken as the paper. This is crude (white paper on a white table, dark ID cards and
//! hands all fool it), so framing only ever warns. The resolution is the short side of that region in
//! capture pixels divided by the short side of the expected document in inches.
//!
//! Departures from the design: the framing image is 96 px rather than 256 px, and when Otsu's two classes
//! are not clearly apart (means within 25%) the whole frame is the document. At 256 px a page that fills or
//! overflows the frame was split by its own lines of text into strips, and reported as "small in frame".

use super::blob;
use super::issue::Rect;
use super::resample::{downscale, fit, Plane};

/// The kind of document photographed, which fixes its physical size for the resolution estimate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DocKind {
    /// A4 page (short side 8.27 in); also assumed when the kind is unknown.
    #[default]
    A4,
    /// ID-1 card (ID card, bank card; short side 2.125 in).
    IdCard,
    /// Till receipt on 80 mm paper (short side 3.15 in).
    Receipt,
}

impl DocKind {
    pub fn parse(s: &str) -> Option<DocKind> {
        match s {
            "a4" | "unknown" | "" => Some(DocKind::A4),
            "id_card" => Some(DocKind::IdCard),
            "receipt" => Some(DocKind::Receipt),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::A4 => "a4",
            DocKind::IdCard => "id_card",
            DocKind::Receipt => "receipt",
        }
    }

    /// The short side of the document, in inches.
    pub fn short_side_inches(self) -> f64 {
        match self {
            DocKind::A4 => 8.27,
            DocKind::IdCard => 2.125,
            DocKind::Receipt => 3.15,
        }
    }
}

/// Below this area share, no document was found and the whole frame is used for the resolution estimate.
const MIN_DOC_AREA: f64 = 0.05;

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Framing {
    /// Pixels of the document region / pixels of the frame.
    pub area: f64,
    /// Bounding box of the document region (fractions of the frame).
    pub bbox: Rect,
    /// Image borders the document region touches (0–4).
    pub borders: u8,
    /// The Otsu threshold used (luma).
    pub threshold: f64,
}

/// Two classes whose means differ by less than this share of the brighter mean are one class (a frame that
/// is all paper, or all table): then the whole frame is taken as the document.
const MIN_SEPARATION: f64 = 0.25;

/// Otsu's threshold of a 256-bin histogram (the level maximising the between-class variance) and the class
/// means' relative separation.
fn otsu(hist: &[u32; 256]) -> (usize, f64) {
    let total: f64 = hist.iter().map(|&c| f64::from(c)).sum();
    let sum_all: f64 = hist.iter().enumerate().map(|(i, &c)| i as f64 * f64::from(c)).sum();
    let (mut w0, mut sum0, mut best, mut best_t, mut sep) = (0.0f64, 0.0f64, -1.0f64, 0usize, 0.0f64);
    for (t, &c) in hist.iter().enumerate() {
        w0 += f64::from(c);
        sum0 += t as f64 * f64::from(c);
        let w1 = total - w0;
        if w0 == 0.0 || w1 == 0.0 {
            continue;
        }
        let hi = (sum_all - sum0) / w1;
        let d = sum0 / w0 - hi;
        let between = w0 * w1 * d * d;
        if between > best {
            best = between;
            best_t = t;
            sep = -d / hi.max(1.0);
        }
    }
    (best_t, sep)
}

/// Finds the document region of the analysis image `p`, working at a long side of `size`.
pub fn measure(p: &Plane, size: usize) -> Framing {
    let small = downscale(p, fit(p.width, p.height, size));
    let mut hist = [0u32; 256];
    for &v in &small.data {
        if let Some(b) = hist.get_mut(v.round().clamp(0.0, 255.0) as usize) {
            *b += 1;
        }
    }
    let (t, sep) = otsu(&hist);
    let level = if sep < MIN_SEPARATION { -1.0 } else { t as f32 + 0.5 };
    let mut mask: Vec<bool> = small.data.iter().map(|&v| v > level).collect();
    let b = blob::largest(&mut mask, small.width, small.height);
    let (w, h) = (small.width as f64, small.height as f64);
    if b.count == 0 {
        return Framing {
            threshold: t as f64,
            ..Framing::default()
        };
    }
    Framing {
        area: b.count as f64 / (w * h),
        bbox: Rect {
            x: b.x0 as f64 / w,
            y: b.y0 as f64 / h,
            w: (b.x1 - b.x0) as f64 / w,
            h: (b.y1 - b.y0) as f64 / h,
        },
        borders: b.borders,
        threshold: t as f64,
    }
}

/// The effective resolution (dots per inch) of the document in a capture of `source` pixels.
pub fn dpi(f: &Framing, source: (u32, u32), kind: DocKind) -> f64 {
    let (sw, sh) = (f64::from(source.0), f64::from(source.1));
    let short = if f.area >= MIN_DOC_AREA {
        (f.bbox.w * sw).min(f.bbox.h * sh)
    } else {
        sw.min(sh)
    };
    short / kind.short_side_inches()
}
