//! Photo pre-checks: tell the customer to retake a bad photo of a claim document before it is uploaded.
//!
//! Pure Rust, no browser needed; the WebAssembly layer only converts types. The browser decodes the file
//! (`createImageBitmap` + `OffscreenCanvas`, which also applies EXIF orientation) and hands over RGBA pixels.
//! The design, sources and calibration are in `image-checks.md`; all thresholds are synthetic-calibrated
//! defaults in [`Config`].
//!
//! - [`sniff`]: file type by magic bytes, header size, and the size rules;
//! - [`assess`]: the pixel checks on an RGBA buffer — area downscale to a long side of 1024, then sharpness
//!   (a contrast-invariant directional ratio), exposure, glare, framing, resolution and dHashes;
//! - [`Assessment::check_duplicates`]: exact (SHA-256) and near (dHash) duplicates among the claim's photos;
//! - [`Assessment::to_value`]: the claim@1 `documents[].quality` object (rule C19 fires on `"retake"`).
//!
//! ```
//! use preclaim::quality::{assess, AssessInput, Config, Verdict};
//!
//! let cfg = Config::default();
//! let rgba = vec![128u8; 640 * 480 * 4]; // a flat grey frame: nothing readable
//! let a = assess(&AssessInput::new(&rgba, 640, 480), &cfg)?;
//! assert_eq!(a.verdict, Verdict::Retake);
//! assert_eq!(a.to_value().get("verdict").and_then(|v| v.as_str()), Some("retake"));
//! assert!(assess(&AssessInput::new(&rgba[1..], 640, 480), &cfg).is_err()); // wrong buffer length
//! # Ok::<(), preclaim::quality::QualityError>(())
//! ```

mod assess;
mod assessment;
mod blob;
mod config;
mod dhash;
mod error;
mod exposure;
mod framing;
mod glare;
mod issue;
mod resample;
mod sha256;
mod sharpness;
mod sniff;

pub use assess::{assess, judge, AssessInput, Metrics};
pub use assessment::Assessment;
pub use config::Config;
pub use dhash::{find_duplicate, hamming256, hamming64, DuplicateMatch, Hashes};
pub use error::{QualityError, MAX_ASPECT, MIN_SIDE};
pub use exposure::Exposure;
pub use framing::{DocKind, Framing};
pub use glare::Glare;
pub use issue::{Issue, IssueCode, Rect, Severity, Verdict};
pub use sha256::{sha256, to_hex};
pub use sharpness::Sharpness;
pub use sniff::{kind_and_size, sniff, FileCheck, FileKind, SNIFF_HEAD};
