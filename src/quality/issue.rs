//! Issues found by the checks: stable codes, severities, the worst-first order, and the messages shown to
//! the customer in zh-CN and en.
//!
//! Messages are written for an elderly user: what is wrong and what to do, without technical words. The
//! codes are stable strings that rule packs and the portal may rely on.

use crate::pack::def::Locale;

/// How bad an issue is. The verdict of a result is its worst severity (`Info` counts as ok).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Info,
    Warn,
    Retake,
}

/// The verdict of a check, as claim@1 `documents[].quality.verdict` spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    Ok,
    Warn,
    Retake,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::Warn => "warn",
            Verdict::Retake => "retake",
        }
    }
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warn => "warn",
            Severity::Retake => "retake",
        }
    }

    fn verdict(self) -> Verdict {
        match self {
            Severity::Info => Verdict::Ok,
            Severity::Warn => Verdict::Warn,
            Severity::Retake => Verdict::Retake,
        }
    }
}

/// What is wrong. The declaration order is the priority of the message shown when several issues have the
/// same severity: type, then resolution, framing, exposure, blur, glare, duplicates (design §5.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum IssueCode {
    UnsupportedType,
    FileTooLarge,
    NotChecked,
    LowResolution,
    SmallInFrame,
    CutOff,
    Dark,
    Overexposed,
    LowContrast,
    Blur,
    Glare,
    Duplicate,
    NearDuplicate,
    FileTooSmall,
}

impl IssueCode {
    /// The stable code string.
    pub fn as_str(self) -> &'static str {
        use IssueCode::*;
        match self {
            UnsupportedType => "unsupported_type",
            FileTooLarge => "file_too_large",
            NotChecked => "not_checked",
            LowResolution => "low_resolution",
            SmallInFrame => "small_in_frame",
            CutOff => "cut_off",
            Dark => "dark",
            Overexposed => "overexposed",
            LowContrast => "low_contrast",
            Blur => "blur",
            Glare => "glare",
            Duplicate => "duplicate",
            NearDuplicate => "near_duplicate",
            FileTooSmall => "file_too_small",
        }
    }

    /// The message for the customer: what is wrong and what to do.
    pub fn message(self, locale: Locale) -> &'static str {
        use IssueCode::*;
        let (zh, en) = match self {
            UnsupportedType => (
                "这个文件不是照片，也不是PDF，无法使用。请添加手机拍的照片或PDF文件。",
                "This file is not a photo or a PDF, so it cannot be used. Please add a photo from your phone or a PDF file.",
            ),
            FileTooLarge => (
                "这个文件太大，无法上传。请重新拍一张照片再添加。",
                "This file is too large to send. Please take the photo again and add the new one.",
            ),
            NotChecked => (
                "这个文件无法在手机上检查是否清楚，提交后工作人员会查看。",
                "This file could not be checked on your phone. Our staff will look at it after you send it.",
            ),
            LowResolution => (
                "照片太小或离得太远，字看不清。请靠近一些，用相机重新拍一张，不要用截图。",
                "The picture is too small or taken from too far away to read. Please move closer and take a new photo with the camera, not a screenshot.",
            ),
            SmallInFrame => (
                "材料在照片里太小了。请把手机靠近一些，让材料占满画面，再拍一张。",
                "The paper looks too small in the photo. Move the phone closer so the paper fills the screen, then take it again.",
            ),
            CutOff => (
                "材料的边可能没拍进去。请把手机稍微拿远一点，让整张材料都在画面里。",
                "The edges of the paper may be cut off. Move the phone back a little so the whole paper is in the picture.",
            ),
            Dark => (
                "照片太暗了，看不清。请到亮一点的地方或打开灯，再拍一张。",
                "The photo is too dark to read. Please move to a brighter place or turn on a light, and take it again.",
            ),
            Overexposed => (
                "照片太亮了，有的地方发白看不清。请避开强光或关掉闪光灯，再拍一张。",
                "The photo is too bright and parts of it are washed out. Please move away from strong light or turn off the flash, and take it again.",
            ),
            LowContrast => (
                "照片发灰，字不够清楚。请在光线均匀明亮的地方再拍一张。",
                "The photo looks grey and faded, so the words do not stand out. Please take it again in bright, even light.",
            ),
            Blur => (
                "照片拍糊了，字看不清。请把手机拿稳，等画面清楚后再拍一张。",
                "The photo is blurry and the words are hard to read. Hold the phone still, wait until the picture is clear, and take it again.",
            ),
            Glare => (
                "照片上有反光的亮斑，挡住了部分内容。请换个角度或关掉闪光灯，再拍一张。",
                "A bright reflection covers part of the paper. Tilt the paper or the phone a little, or turn off the flash, and take it again.",
            ),
            Duplicate => (
                "这张照片已经添加过了，不用再添加。",
                "You have already added this same photo. There is no need to add it again.",
            ),
            NearDuplicate => (
                "这张照片和您已添加的一张很像。如果是同一份材料，就不用再添加了。",
                "This photo looks just like one you already added. If it is the same paper, you do not need to add it again.",
            ),
            FileTooSmall => (
                "这个文件很小，可能是截图或缩小过的图片。如果可以，请添加相机拍的原图。",
                "This file is very small; it may be a screenshot or a shrunk copy. If you can, please add the original photo from the camera.",
            ),
        };
        match locale {
            Locale::Zh => zh,
            Locale::En => en,
        }
    }
}

/// A rectangle as fractions (0..1) of the frame width and height, for pointing at a problem ("the reflection
/// is top right").
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

/// One finding of the checks: the measured value and the threshold it crossed.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    pub code: IssueCode,
    pub severity: Severity,
    /// The metric that triggered the issue (units depend on the code; NaN-free).
    pub value: f64,
    /// The threshold that was crossed.
    pub threshold: f64,
    /// Where the problem is, when known (glare).
    pub region: Option<Rect>,
}

impl Issue {
    pub fn new(code: IssueCode, severity: Severity, value: f64, threshold: f64) -> Issue {
        Issue {
            code,
            severity,
            value,
            threshold,
            region: None,
        }
    }
}

/// The verdict of a list of issues: the worst severity.
pub fn verdict_of(issues: &[Issue]) -> Verdict {
    issues.iter().map(|i| i.severity.verdict()).max().unwrap_or(Verdict::Ok)
}

/// Orders issues worst first, then by message priority; keeps one issue per code (the worst).
pub fn normalise(issues: &mut Vec<Issue>) {
    issues.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.code.cmp(&b.code)));
    let mut seen: Vec<IssueCode> = Vec::with_capacity(issues.len());
    issues.retain(|i| {
        let fresh = !seen.contains(&i.code);
        seen.push(i.code);
        fresh
    });
}
