//! Every threshold of the photo pre-checks, with the defaults of the design (image-checks.md §5.3).
//!
//! The thresholds were calibrated on synthetic document images only; they live here, not in the code, so
//! that tuning on real claim photos needs no code change. [`Config::set`] and [`Config::from_value`] let the
//! JavaScript side override any of them by name (the names are the field names).

use crate::value::Value;

/// Thresholds and sizes of the checks. Ratios and fractions are in 0..1, luma in 0..255 (BT.601).
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Version of the defaults, reported with each result so that logged metrics can be re-read later.
    pub version: u32,
    /// Long side of the analysis image (area-downscaled); metrics are defined at this scale.
    pub analysis_size: u32,
    /// Long side of the framing image (Otsu + largest bright component).
    pub framing_size: u32,
    /// Largest accepted pixel count of an input buffer (larger is an error, not a verdict).
    pub max_pixels: u64,
    /// File size above which the file is refused (retake).
    pub max_file_bytes: u64,
    /// File size below which a photo is probably a screenshot or thumbnail (warn).
    pub min_file_bytes: u64,
    /// Sharpness (min-directional ratio) below which the photo must be retaken.
    pub blur_retake: f64,
    /// Sharpness below which the photo gets a warning.
    pub blur_warn: f64,
    /// Share of the most textured tiles whose median ratio is the sharpness.
    pub sharp_tile_share: f64,
    /// Mean luma below which the photo is too dark (retake).
    pub dark_mean_retake: f64,
    /// 95th luma percentile below which the photo is too dark (retake).
    pub dark_p95_retake: f64,
    /// Mean luma below which the photo is dark (warn).
    pub dark_mean_warn: f64,
    /// Luma at or above which a pixel counts as clipped (glare, overexposure).
    pub clip_level: f64,
    /// Clipped share of the frame above which the photo is overexposed (warn).
    pub overexposed_warn: f64,
    /// Clipped share above which the photo is overexposed (retake).
    pub overexposed_retake: f64,
    /// p95 − p05 below which the photo has low contrast (warn).
    pub low_contrast_warn: f64,
    /// Largest clipped blob (share of frame) above which glare is reported (warn).
    pub glare_warn: f64,
    /// Largest clipped blob above which glare forces a retake.
    pub glare_retake: f64,
    /// Document area share below which the document is small in the frame (warn).
    pub doc_small_warn: f64,
    /// Document bounding-box share above which (touching 3+ borders) the document may be cut off (warn).
    pub doc_cut_off_warn: f64,
    /// Estimated document resolution (dots per inch) below which a warning is given.
    pub dpi_warn: f64,
    /// Estimated document resolution below which the photo must be retaken.
    pub dpi_retake: f64,
    /// Short side of the captured image, in pixels, below which the photo must be retaken.
    pub min_short_side: f64,
    /// 64-bit dHash Hamming distance at or below which two photos look the same.
    pub near_dup_64: f64,
    /// 256-bit dHash Hamming distance at or below which two photos look the same.
    pub near_dup_256: f64,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            version: 1,
            analysis_size: 1024,
            framing_size: 96,
            max_pixels: crate::limits::MAX_PHOTO_PIXELS,
            max_file_bytes: 20 * 1024 * 1024,
            min_file_bytes: 50 * 1024,
            blur_retake: 0.030,
            blur_warn: 0.045,
            sharp_tile_share: 0.25,
            dark_mean_retake: 50.0,
            dark_p95_retake: 70.0,
            dark_mean_warn: 80.0,
            clip_level: 250.0,
            overexposed_warn: 0.10,
            overexposed_retake: 0.25,
            low_contrast_warn: 40.0,
            glare_warn: 0.01,
            glare_retake: 0.03,
            doc_small_warn: 0.35,
            doc_cut_off_warn: 0.97,
            dpi_warn: 150.0,
            dpi_retake: 100.0,
            min_short_side: 600.0,
            near_dup_64: 4.0,
            near_dup_256: 26.0,
        }
    }
}

impl Config {
    /// Sets the threshold `name` (a field name). Returns false for an unknown name or a value that is not a
    /// finite, non-negative number (or, for sizes, not a whole number in range).
    pub fn set(&mut self, name: &str, v: f64) -> bool {
        if !v.is_finite() || v < 0.0 {
            return false;
        }
        let whole = |lo: f64, hi: f64| (v.fract() == 0.0 && v >= lo && v <= hi).then_some(v);
        match name {
            "version" => whole(0.0, f64::from(u32::MAX))
                .map(|v| self.version = v as u32)
                .is_some(),
            "analysis_size" => whole(64.0, 4096.0).map(|v| self.analysis_size = v as u32).is_some(),
            "framing_size" => whole(32.0, 1024.0).map(|v| self.framing_size = v as u32).is_some(),
            "max_pixels" => whole(1.0, 1e9).map(|v| self.max_pixels = v as u64).is_some(),
            "max_file_bytes" => whole(0.0, 9e15).map(|v| self.max_file_bytes = v as u64).is_some(),
            "min_file_bytes" => whole(0.0, 9e15).map(|v| self.min_file_bytes = v as u64).is_some(),
            _ => match self.slot(name) {
                Some(slot) => {
                    *slot = v;
                    true
                }
                None => false,
            },
        }
    }

    fn slot(&mut self, name: &str) -> Option<&mut f64> {
        Some(match name {
            "blur_retake" => &mut self.blur_retake,
            "blur_warn" => &mut self.blur_warn,
            "sharp_tile_share" => &mut self.sharp_tile_share,
            "dark_mean_retake" => &mut self.dark_mean_retake,
            "dark_p95_retake" => &mut self.dark_p95_retake,
            "dark_mean_warn" => &mut self.dark_mean_warn,
            "clip_level" => &mut self.clip_level,
            "overexposed_warn" => &mut self.overexposed_warn,
            "overexposed_retake" => &mut self.overexposed_retake,
            "low_contrast_warn" => &mut self.low_contrast_warn,
            "glare_warn" => &mut self.glare_warn,
            "glare_retake" => &mut self.glare_retake,
            "doc_small_warn" => &mut self.doc_small_warn,
            "doc_cut_off_warn" => &mut self.doc_cut_off_warn,
            "dpi_warn" => &mut self.dpi_warn,
            "dpi_retake" => &mut self.dpi_retake,
            "min_short_side" => &mut self.min_short_side,
            "near_dup_64" => &mut self.near_dup_64,
            "near_dup_256" => &mut self.near_dup_256,
            _ => return None,
        })
    }

    /// The defaults overridden by the members of a JSON object (`{"blur_retake": 0.025, ...}`). Errors name
    /// the first member that is unknown or has an invalid value.
    pub fn from_value(v: &Value) -> Result<Config, String> {
        let mut cfg = Config::default();
        let Value::Object(members) = v else {
            return Err("quality config must be an object".into());
        };
        for (k, val) in members.iter() {
            if !val.as_f64().is_some_and(|n| cfg.set(k, n)) {
                return Err(format!("quality config: unknown name or invalid value for \"{k}\""));
            }
        }
        Ok(cfg)
    }
}
