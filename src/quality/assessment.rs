//! The result of the checks on one attached file: verdict, issues, raw metrics and hashes, and its
//! conversion to claim@1's `documents[].quality` object, which rule C19 reads (`verdict == "retake"`).

use std::sync::Arc;

use super::assess::Metrics;
use super::config::Config;
use super::dhash::{find_duplicate, DuplicateMatch, Hashes};
use super::issue::{normalise, verdict_of, Issue, IssueCode, Rect, Severity, Verdict};
use super::sniff::FileCheck;
use crate::pack::def::Locale;
use crate::value::{Map, Value};

/// The checks' result for one file.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    /// The worst severity of the issues (`ok` when there are none or only `info`).
    pub verdict: Verdict,
    /// Worst first, then by message priority; one per code. The first is the one message to show.
    pub issues: Vec<Issue>,
    /// The file checks, when the file was sniffed.
    pub file: Option<FileCheck>,
    /// The pixel metrics, when the pixels were assessed.
    pub metrics: Option<Metrics>,
    pub hashes: Hashes,
    /// [`Config::version`] of the thresholds used.
    pub config_version: u32,
}

impl Assessment {
    pub(crate) fn new(
        mut issues: Vec<Issue>,
        file: Option<FileCheck>,
        metrics: Option<Metrics>,
        hashes: Hashes,
        cfg: &Config,
    ) -> Assessment {
        normalise(&mut issues);
        Assessment {
            verdict: verdict_of(&issues),
            issues,
            file,
            metrics,
            hashes,
            config_version: cfg.version,
        }
    }

    /// The result for a file whose pixels are not assessed (HEIC/PDF the browser cannot decode, or a type
    /// that is not supported): the file issues only. A HEIC or PDF is `ok` with issue `not_checked`.
    pub fn from_file(file: FileCheck, sha256: Option<[u8; 32]>, cfg: &Config) -> Assessment {
        let mut issues = file.issues.clone();
        if file.kind.is_checked() {
            // The browser could not decode a file of a decodable type: say so rather than fail it.
            issues.push(Issue::new(IssueCode::NotChecked, Severity::Info, 0.0, 0.0));
        }
        let hashes = Hashes {
            sha256,
            ..Hashes::default()
        };
        Assessment::new(issues, Some(file), None, hashes, cfg)
    }

    /// Adds the file checks (type and size rules) to a pixel assessment.
    pub fn with_file(mut self, file: FileCheck) -> Assessment {
        self.issues
            .extend(file.issues.iter().filter(|i| i.code != IssueCode::NotChecked).cloned());
        self.file = Some(file);
        self.renormalise();
        self
    }

    fn renormalise(&mut self) {
        normalise(&mut self.issues);
        self.verdict = verdict_of(&self.issues);
    }

    /// Compares this photo with the photos already attached to the claim and adds `duplicate` (same file
    /// bytes: retake, i.e. do not add it again) or `near_duplicate` (looks the same: warn). Returns the match.
    pub fn check_duplicates(&mut self, earlier: &[Hashes], cfg: &Config) -> Option<DuplicateMatch> {
        let m = find_duplicate(&self.hashes, earlier, cfg)?;
        let issue = if m.exact {
            Issue::new(IssueCode::Duplicate, Severity::Retake, 0.0, 0.0)
        } else {
            let (d, t) = match m.distance256 {
                Some(d) => (d, cfg.near_dup_256),
                None => (m.distance64.unwrap_or(0), cfg.near_dup_64),
            };
            Issue::new(IssueCode::NearDuplicate, Severity::Warn, f64::from(d), t)
        };
        self.issues.push(issue);
        self.renormalise();
        Some(m)
    }

    /// The issue whose message should be shown (the worst, by priority), if any.
    pub fn primary(&self) -> Option<&Issue> {
        self.issues.first()
    }

    /// The claim@1 `documents[].quality` object:
    /// `{"verdict", "issues": [codes], "primary", "details": [{code, severity, value, threshold, region?,
    /// message: {"zh-CN", "en"}}], "metrics": {...}, "file": {...}, "hashes": {...}, "config_version"}`.
    pub fn to_value(&self) -> Value {
        let mut m: Map = vec![
            (key("verdict"), Value::str(self.verdict.as_str())),
            (
                key("issues"),
                Value::array(self.issues.iter().map(|i| Value::str(i.code.as_str())).collect()),
            ),
            (
                key("primary"),
                self.primary().map_or(Value::Null, |i| Value::str(i.code.as_str())),
            ),
            (
                key("details"),
                Value::array(self.issues.iter().map(issue_value).collect()),
            ),
        ];
        if let Some(mt) = &self.metrics {
            m.push((key("metrics"), metrics_value(mt)));
        }
        if let Some(f) = &self.file {
            let mut fm: Map = vec![
                (key("kind"), Value::str(f.kind.as_str())),
                (key("mime"), Value::str(f.kind.mime())),
                (key("bytes"), Value::Int(i64::try_from(f.bytes).unwrap_or(i64::MAX))),
            ];
            if let Some((w, h)) = f.size {
                fm.push((key("width"), Value::Int(i64::from(w))));
                fm.push((key("height"), Value::Int(i64::from(h))));
            }
            m.push((key("file"), Value::object(fm)));
        }
        m.push((key("hashes"), self.hashes.to_value()));
        m.push((key("config_version"), Value::Int(i64::from(self.config_version))));
        Value::object(m)
    }
}

fn key(s: &str) -> Arc<str> {
    Arc::from(s)
}

/// A metric rounded to 5 decimals (keeps the JSON short; metrics are not exact quantities).
fn num(v: f64) -> Value {
    if v.is_finite() {
        Value::Float((v * 1e5).round() / 1e5)
    } else {
        Value::Null
    }
}

fn rect_value(r: &Rect) -> Value {
    Value::object(vec![
        (key("x"), num(r.x)),
        (key("y"), num(r.y)),
        (key("w"), num(r.w)),
        (key("h"), num(r.h)),
    ])
}

fn issue_value(i: &Issue) -> Value {
    let mut m: Map = vec![
        (key("code"), Value::str(i.code.as_str())),
        (key("severity"), Value::str(i.severity.as_str())),
        (key("value"), num(i.value)),
        (key("threshold"), num(i.threshold)),
    ];
    if let Some(r) = &i.region {
        m.push((key("region"), rect_value(r)));
    }
    let msg = vec![
        (key("zh-CN"), Value::str(i.code.message(Locale::Zh))),
        (key("en"), Value::str(i.code.message(Locale::En))),
    ];
    m.push((key("message"), Value::object(msg)));
    Value::object(m)
}

fn metrics_value(mt: &Metrics) -> Value {
    let int = |v: u32| Value::Int(i64::from(v));
    let (s, e, g, f) = (&mt.sharpness, &mt.exposure, &mt.glare, &mt.framing);
    let pairs: Vec<(&str, Value)> = vec![
        ("width", int(mt.width)),
        ("height", int(mt.height)),
        ("source_width", int(mt.source_width)),
        ("source_height", int(mt.source_height)),
        ("analysis_width", int(mt.analysis_width)),
        ("analysis_height", int(mt.analysis_height)),
        ("sharpness", num(s.score)),
        ("sharpness_x", num(s.ratio_x)),
        ("sharpness_y", num(s.ratio_y)),
        ("sharp_tiles", int(s.tiles)),
        ("vol", num(s.vol)),
        ("tenengrad", num(s.tenengrad)),
        ("noise_floor", num(s.noise_floor)),
        ("floor_ratio", num(s.floor_ratio)),
        ("luma_mean", num(e.mean)),
        ("luma_std", num(e.std)),
        ("luma_p05", num(e.p05)),
        ("luma_p95", num(e.p95)),
        ("dark_fraction", num(e.dark_fraction)),
        ("clipped_fraction", num(e.clipped_fraction)),
        ("glare_fraction", num(g.fraction)),
        ("glare_region", g.region.as_ref().map_or(Value::Null, rect_value)),
        ("doc_area", num(f.area)),
        ("doc_bbox", rect_value(&f.bbox)),
        ("doc_borders", int(u32::from(f.borders))),
        ("otsu_threshold", num(f.threshold)),
        ("dpi", num(mt.dpi)),
        ("doc_kind", Value::str(mt.doc_kind.as_str())),
    ];
    Value::object(pairs.into_iter().map(|(k, v)| (key(k), v)).collect())
}
