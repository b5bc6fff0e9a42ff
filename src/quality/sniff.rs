//! File-type sniffing by magic bytes, the image size from the header where it is cheap (PNG IHDR, JPEG SOF,
//! WebP VP8/VP8L/VP8X), and the file rules: unsupported type, too large, suspiciously small, too few pixels.
//!
//! The extension and the browser's `File.type` are not trusted (users rename `.heic` to `.jpg`). HEIC/HEIF
//! and PDF, which a browser may not decode, are reported as "not checked" (verdict ok), never as failed.

use super::config::Config;
use super::error::QualityError;
use super::issue::{Issue, IssueCode, Severity};

/// The type of a file, from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Jpeg,
    Png,
    Webp,
    /// HEIC/HEIF (`ftyp` with a heic/heix/hevc/mif1… brand).
    Heif,
    /// AVIF (`ftyp` with an avif/avis brand): an image most browsers decode.
    Avif,
    Pdf,
    Unknown,
}

impl FileKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Jpeg => "jpeg",
            FileKind::Png => "png",
            FileKind::Webp => "webp",
            FileKind::Heif => "heif",
            FileKind::Avif => "avif",
            FileKind::Pdf => "pdf",
            FileKind::Unknown => "unknown",
        }
    }

    /// The MIME type, or `application/octet-stream` for an unknown file.
    pub fn mime(self) -> &'static str {
        match self {
            FileKind::Jpeg => "image/jpeg",
            FileKind::Png => "image/png",
            FileKind::Webp => "image/webp",
            FileKind::Heif => "image/heic",
            FileKind::Avif => "image/avif",
            FileKind::Pdf => "application/pdf",
            FileKind::Unknown => "application/octet-stream",
        }
    }

    /// Whether pixel checks are expected to run (the browser can usually decode it).
    pub fn is_checked(self) -> bool {
        matches!(self, FileKind::Jpeg | FileKind::Png | FileKind::Webp | FileKind::Avif)
    }
}

/// The result of the file checks.
#[derive(Debug, Clone, PartialEq)]
pub struct FileCheck {
    pub kind: FileKind,
    /// The file size in bytes.
    pub bytes: u64,
    /// Width and height from the header (before any EXIF rotation), when cheap to read.
    pub size: Option<(u32, u32)>,
    pub issues: Vec<Issue>,
}

/// Bytes of the file's start that [`sniff`] needs to find the type (more lets it find a JPEG's size after
/// large EXIF segments; 64 KiB is plenty).
pub const SNIFF_HEAD: usize = 64 * 1024;

fn be16(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from(*b.get(at)?) << 8 | u32::from(*b.get(at + 1)?))
}

fn le(b: &[u8], at: usize, n: usize) -> Option<u32> {
    (0..n)
        .rev()
        .try_fold(0u32, |acc, i| Some(acc << 8 | u32::from(*b.get(at + i)?)))
}

fn nonzero(w: u32, h: u32) -> Option<(u32, u32)> {
    (w > 0 && h > 0).then_some((w, h))
}

fn png_size(b: &[u8]) -> Option<(u32, u32)> {
    if b.get(12..16)? != b"IHDR" {
        return None;
    }
    let w = be16(b, 16)? << 16 | be16(b, 18)?;
    let h = be16(b, 20)? << 16 | be16(b, 22)?;
    nonzero(w, h)
}

fn jpeg_size(b: &[u8]) -> Option<(u32, u32)> {
    let mut at = 2usize;
    loop {
        if *b.get(at)? != 0xFF {
            return None;
        }
        let marker = *b.get(at + 1)?;
        match marker {
            0xFF => at += 1, // fill byte
            0x01 | 0xD0..=0xD8 => at += 2,
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                return nonzero(be16(b, at + 7)?, be16(b, at + 5)?);
            }
            0xD9 | 0xDA => return None,
            _ => {
                at = at
                    .checked_add(2)?
                    .checked_add(usize::try_from(be16(b, at + 2)?).ok()?)?
            }
        }
    }
}

fn webp_size(b: &[u8]) -> Option<(u32, u32)> {
    match b.get(12..16)? {
        b"VP8 " => {
            if b.get(23..26)? != [0x9d, 0x01, 0x2a] {
                return None;
            }
            nonzero(le(b, 26, 2)? & 0x3fff, le(b, 28, 2)? & 0x3fff)
        }
        b"VP8L" => {
            if *b.get(20)? != 0x2f {
                return None;
            }
            let bits = le(b, 21, 4)?;
            nonzero((bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1)
        }
        b"VP8X" => nonzero(le(b, 24, 3)? + 1, le(b, 27, 3)? + 1),
        _ => None,
    }
}

/// The kind of an ISO-BMFF file with an `ftyp` box (HEIF family), from its major and compatible brands.
fn ftyp_kind(b: &[u8]) -> FileKind {
    let box_len = be16(b, 0).zip(be16(b, 2)).map_or(0, |(hi, lo)| hi << 16 | lo);
    let end = usize::try_from(box_len).unwrap_or(0).clamp(16, 256).min(b.len());
    let brands = b.get(8..end).unwrap_or(&[]);
    let mut kind = FileKind::Unknown;
    for brand in brands.chunks_exact(4) {
        match brand {
            b"avif" | b"avis" => return FileKind::Avif,
            b"heic" | b"heix" | b"hevc" | b"hevx" | b"heim" | b"heis" | b"mif1" | b"msf1" | b"mif2" => {
                kind = FileKind::Heif
            }
            _ => {}
        }
    }
    kind
}

/// The kind of a file and its pixel size where the header gives it cheaply.
pub fn kind_and_size(head: &[u8]) -> (FileKind, Option<(u32, u32)>) {
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        (FileKind::Jpeg, jpeg_size(head))
    } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        (FileKind::Png, png_size(head))
    } else if head.starts_with(b"RIFF") && head.get(8..12) == Some(b"WEBP") {
        (FileKind::Webp, webp_size(head))
    } else if head.get(4..8) == Some(b"ftyp") {
        (ftyp_kind(head), None)
    } else if head.starts_with(b"%PDF-") {
        (FileKind::Pdf, None)
    } else {
        (FileKind::Unknown, None)
    }
}

/// Checks a file from its first bytes (`head`, ideally [`SNIFF_HEAD`] bytes or the whole file) and its full
/// size: the type rule (unknown → retake; HEIC/PDF → not checked), the size rules (too large → retake; a
/// photo under the minimum → warn) and, when the header gives the size, the short-side floor (retake).
pub fn sniff(head: &[u8], file_size: u64, cfg: &Config) -> Result<FileCheck, QualityError> {
    let head_len = head.len() as u64;
    if file_size == 0 {
        return Err(QualityError::EmptyFile);
    }
    if head_len > file_size {
        return Err(QualityError::HeadLongerThanFile {
            head: head_len,
            file: file_size,
        });
    }
    let (kind, size) = kind_and_size(head);
    let mut issues = Vec::new();
    let mut add = |code, sev, v: f64, t: f64| issues.push(Issue::new(code, sev, v, t));
    match kind {
        FileKind::Unknown => add(IssueCode::UnsupportedType, Severity::Retake, 0.0, 0.0),
        FileKind::Heif | FileKind::Pdf => add(IssueCode::NotChecked, Severity::Info, 0.0, 0.0),
        _ => {}
    }
    let bytes = file_size as f64;
    if file_size > cfg.max_file_bytes {
        add(
            IssueCode::FileTooLarge,
            Severity::Retake,
            bytes,
            cfg.max_file_bytes as f64,
        );
    } else if file_size < cfg.min_file_bytes && kind != FileKind::Pdf && kind != FileKind::Unknown {
        add(
            IssueCode::FileTooSmall,
            Severity::Warn,
            bytes,
            cfg.min_file_bytes as f64,
        );
    }
    if let Some((w, h)) = size {
        let short = f64::from(w.min(h));
        if short < cfg.min_short_side {
            add(IssueCode::LowResolution, Severity::Retake, short, cfg.min_short_side);
        }
    }
    super::issue::normalise(&mut issues);
    Ok(FileCheck {
        kind,
        bytes: file_size,
        size,
        issues,
    })
}
