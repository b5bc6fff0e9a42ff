//! The pixel assessment: validates an RGBA buffer, area-downscales it to the analysis size once, measures
//! sharpness, exposure, glare, framing, resolution and the dHashes, and turns the metrics into issues with
//! the thresholds of a [`Config`].

use super::assessment::Assessment;
use super::config::Config;
use super::dhash::{dhash, Hashes};
use super::error::{QualityError, MAX_ASPECT, MIN_SIDE};
use super::exposure::{self, Exposure};
use super::framing::{self, DocKind, Framing};
use super::glare::{self, Glare};
use super::issue::{Issue, IssueCode, Severity};
use super::resample::luma_downscaled;
use super::sharpness::{self, Sharpness};

/// Decoded pixels to assess.
#[derive(Debug, Clone, Copy)]
pub struct AssessInput<'a> {
    /// RGBA, row-major, `width × height × 4` bytes (as `ImageData.data`); alpha is ignored.
    pub rgba: &'a [u8],
    pub width: u32,
    pub height: u32,
    /// The size of the capture before any pre-shrinking by the browser (same shape, at least as large);
    /// the resolution rules use it. [`AssessInput::new`] sets it to the pixel size.
    pub source_width: u32,
    pub source_height: u32,
    /// What was photographed (sets the expected physical size for the resolution estimate).
    pub doc_kind: DocKind,
    /// SHA-256 of the file bytes, when the caller has it (exact-duplicate detection).
    pub file_sha256: Option<[u8; 32]>,
}

impl<'a> AssessInput<'a> {
    /// Full-resolution pixels of an A4 document, without a file hash.
    pub fn new(rgba: &'a [u8], width: u32, height: u32) -> AssessInput<'a> {
        AssessInput {
            rgba,
            width,
            height,
            source_width: width,
            source_height: height,
            doc_kind: DocKind::A4,
            file_sha256: None,
        }
    }
}

/// Every raw measurement of an assessment (always reported, so thresholds can be tuned from logs).
#[derive(Debug, Clone, PartialEq)]
pub struct Metrics {
    pub width: u32,
    pub height: u32,
    pub source_width: u32,
    pub source_height: u32,
    pub analysis_width: u32,
    pub analysis_height: u32,
    pub sharpness: Sharpness,
    pub exposure: Exposure,
    pub glare: Glare,
    pub framing: Framing,
    /// Estimated resolution of the document, dots per inch.
    pub dpi: f64,
    pub doc_kind: DocKind,
}

fn validate(input: &AssessInput<'_>, cfg: &Config) -> Result<(), QualityError> {
    let (w, h) = (input.width, input.height);
    if w == 0 || h == 0 {
        return Err(QualityError::ZeroSize { width: w, height: h });
    }
    if w < MIN_SIDE || h < MIN_SIDE {
        return Err(QualityError::TooSmall {
            width: w,
            height: h,
            min: MIN_SIDE,
        });
    }
    let pixels = u64::from(w) * u64::from(h);
    if pixels > cfg.max_pixels {
        return Err(QualityError::TooManyPixels {
            width: w,
            height: h,
            max: cfg.max_pixels,
        });
    }
    if u64::from(w.max(h)) > u64::from(w.min(h)) * u64::from(MAX_ASPECT) {
        return Err(QualityError::AbsurdAspect { width: w, height: h });
    }
    let expected = pixels * 4;
    if input.rgba.len() as u64 != expected {
        return Err(QualityError::BufferLength {
            expected,
            actual: input.rgba.len() as u64,
        });
    }
    let (sw, sh) = (input.source_width, input.source_height);
    // Same shape within rounding: |sw·h − sh·w| ≤ the larger source side (one pixel of rounding) + 1%.
    let cross = (i128::from(sw) * i128::from(h) - i128::from(sh) * i128::from(w)).abs();
    let slack = i128::from(sw.max(sh)) + i128::from(sw) * i128::from(h) / 100;
    if sw < w || sh < h || cross > slack {
        return Err(QualityError::SourceSize {
            width: w,
            height: h,
            source_width: sw,
            source_height: sh,
        });
    }
    Ok(())
}

/// Assesses decoded pixels. Malformed input (zero or absurd size, wrong buffer length, inconsistent source
/// size) is an error; a bad photo is a verdict.
pub fn assess(input: &AssessInput<'_>, cfg: &Config) -> Result<Assessment, QualityError> {
    validate(input, cfg)?;
    let (w, h) = (input.width as usize, input.height as usize);
    let plane = luma_downscaled(input.rgba, w, h, cfg.analysis_size.max(64) as usize);
    let sharp = sharpness::measure(&plane, cfg.sharp_tile_share);
    let expo = exposure::measure(&plane, cfg.clip_level);
    let gl = glare::measure(&plane, cfg.clip_level);
    let frame = framing::measure(&plane, cfg.framing_size.max(32) as usize);
    let source = (input.source_width, input.source_height);
    let dpi = framing::dpi(&frame, source, input.doc_kind);
    let (h64, h256) = dhash(&plane);
    let metrics = Metrics {
        width: input.width,
        height: input.height,
        source_width: input.source_width,
        source_height: input.source_height,
        analysis_width: plane.width as u32,
        analysis_height: plane.height as u32,
        sharpness: sharp,
        exposure: expo,
        glare: gl,
        framing: frame,
        dpi,
        doc_kind: input.doc_kind,
    };
    let issues = judge(&metrics, cfg);
    let hashes = Hashes {
        sha256: input.file_sha256,
        dhash64: Some(h64),
        dhash256: Some(h256),
    };
    Ok(Assessment::new(issues, None, Some(metrics), hashes, cfg))
}

/// The issues the metrics raise under `cfg`.
pub fn judge(m: &Metrics, cfg: &Config) -> Vec<Issue> {
    use IssueCode::*;
    use Severity::{Retake, Warn};
    let mut out: Vec<Issue> = Vec::new();
    let add = |out: &mut Vec<Issue>, code, sev, v: f64, t: f64| out.push(Issue::new(code, sev, v, t));

    // Resolution: the hard floor on the capture's short side, then the document's estimated DPI.
    let short = f64::from(m.source_width.min(m.source_height));
    if short < cfg.min_short_side {
        add(&mut out, LowResolution, Retake, short, cfg.min_short_side);
    } else if m.dpi < cfg.dpi_retake {
        add(&mut out, LowResolution, Retake, m.dpi, cfg.dpi_retake);
    } else if m.dpi < cfg.dpi_warn {
        add(&mut out, LowResolution, Warn, m.dpi, cfg.dpi_warn);
    }

    // Framing (crude, so warnings only).
    let f = &m.framing;
    if f.area < cfg.doc_small_warn {
        add(&mut out, SmallInFrame, Warn, f.area, cfg.doc_small_warn);
    }
    let bbox_area = f.bbox.w * f.bbox.h;
    if f.borders >= 3 && bbox_area > cfg.doc_cut_off_warn {
        add(&mut out, CutOff, Warn, bbox_area, cfg.doc_cut_off_warn);
    }

    // Exposure. Clipping concentrated in one region is glare; spread over the frame it is overexposure.
    let e = &m.exposure;
    let dark = if e.mean < cfg.dark_mean_retake {
        Some((Retake, e.mean, cfg.dark_mean_retake))
    } else if e.p95 < cfg.dark_p95_retake {
        Some((Retake, e.p95, cfg.dark_p95_retake))
    } else if e.mean < cfg.dark_mean_warn {
        Some((Warn, e.mean, cfg.dark_mean_warn))
    } else {
        None
    };
    if let Some((sev, v, t)) = dark {
        add(&mut out, Dark, sev, v, t);
    }
    let mut bright = true;
    if e.clipped_fraction > cfg.overexposed_retake {
        add(
            &mut out,
            Overexposed,
            Retake,
            e.clipped_fraction,
            cfg.overexposed_retake,
        );
    } else if m.glare.fraction > cfg.glare_warn {
        let (sev, t) = if m.glare.fraction > cfg.glare_retake {
            (Retake, cfg.glare_retake)
        } else {
            (Warn, cfg.glare_warn)
        };
        out.push(Issue {
            region: m.glare.region,
            ..Issue::new(Glare, sev, m.glare.fraction, t)
        });
        let rest = e.clipped_fraction - m.glare.fraction;
        if rest > cfg.overexposed_warn {
            add(&mut out, Overexposed, Warn, rest, cfg.overexposed_warn);
        }
    } else if e.clipped_fraction > cfg.overexposed_warn {
        add(&mut out, Overexposed, Warn, e.clipped_fraction, cfg.overexposed_warn);
    } else {
        bright = false;
    }
    let spread = e.p95 - e.p05;
    if dark.is_none() && !bright && spread < cfg.low_contrast_warn {
        add(&mut out, LowContrast, Warn, spread, cfg.low_contrast_warn);
    }

    // Blur (contrast-invariant, so darkness alone never raises it).
    let s = m.sharpness.score;
    if s < cfg.blur_retake {
        add(&mut out, Blur, Retake, s, cfg.blur_retake);
    } else if s < cfg.blur_warn {
        add(&mut out, Blur, Warn, s, cfg.blur_warn);
    }
    out
}
