//! The rule-pack format as Rust types, read from JSON with positions kept ([`super::load`] fills them).
//! See docs/pack-format.md for the format and docs/pack.schema.json for its JSON Schema.

pub use crate::catalog::Kind as CatalogKind;
use crate::json::JsonNode;
use crate::value::Value;

/// A text in both locales.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub zh: String,
    pub en: String,
}

impl Text {
    pub fn get(&self, locale: Locale) -> &str {
        match locale {
            Locale::Zh => &self.zh,
            Locale::En => &self.en,
        }
    }
}

/// The report locales.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locale {
    Zh,
    En,
}

impl Locale {
    pub fn parse(s: &str) -> Option<Locale> {
        match s {
            "zh-CN" | "zh" => Some(Locale::Zh),
            "en" => Some(Locale::En),
            _ => None,
        }
    }
}

/// An expression as written in the pack: a string in the text syntax, or JSONLogic; with where it is.
#[derive(Debug, Clone)]
pub struct ExprSrc {
    pub path: String,
    pub node: JsonNode,
}

/// Rule kinds (report@1 `kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    C,
    E,
    K,
    R,
}

impl Kind {
    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "C" => Some(Kind::C),
            "E" => Some(Kind::E),
            "K" => Some(Kind::K),
            "R" => Some(Kind::R),
            _ => None,
        }
    }

    /// The report@1 name.
    pub fn name(self) -> &'static str {
        match self {
            Kind::C => "completeness",
            Kind::E => "eligibility",
            Kind::K => "calculation",
            Kind::R => "risk",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Block,
    Warn,
    Info,
}

impl Severity {
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "block" => Some(Severity::Block),
            "warn" => Some(Severity::Warn),
            "info" => Some(Severity::Info),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Severity::Block => "block",
            Severity::Warn => "warn",
            Severity::Info => "info",
        }
    }
}

/// One loop of a rule's `each`: bind `name` to every element of the list `list`.
#[derive(Debug, Clone)]
pub struct Each {
    pub name: String,
    pub list: ExprSrc,
    /// A name for the element's index (0-based), when the rule needs it.
    pub index: Option<String>,
}

/// A rule.
#[derive(Debug, Clone)]
pub struct RuleDef {
    pub id: String,
    pub kind: Kind,
    pub severity: Severity,
    /// Benefits the rule applies to; empty = all.
    pub benefits: Vec<String>,
    pub each: Vec<Each>,
    pub when: ExprSrc,
    pub message: Text,
    pub values: Vec<(String, ExprSrc)>,
    /// Field path templates; `{name}` is the index of the `each` binding `name`.
    pub fields: Vec<String>,
    pub documents: Vec<String>,
    /// One finding for all the firings of an `each` rule (its fields are those of every firing), instead of
    /// one finding per firing.
    pub aggregate: bool,
    pub path: String,
}

/// A step of the estimate.
#[derive(Debug, Clone)]
pub struct StepDef {
    pub rule: String,
    pub label: Text,
    pub when: Option<ExprSrc>,
    pub amount: ExprSrc,
}

/// A test case of the pack: a claim and the report parts expected.
#[derive(Debug, Clone)]
pub struct TestDef {
    pub name: String,
    pub claim: JsonNode,
    pub expect: crate::check::expect::Expect,
    pub path: String,
}

/// A whole pack as written.
#[derive(Debug, Clone)]
pub struct PackDef {
    pub id: String,
    pub version: String,
    pub title: Text,
    pub products: Vec<String>,
    /// The medical catalogs the rules use (through the catalog functions).
    pub catalogs: Vec<CatalogKind>,
    /// Claim fields this product requires beyond those every claim needs (a C00 finding when missing):
    /// paths like `hospital.level`, `[]` standing for every element of a list (`invoices[].issued_on`).
    pub required: Vec<String>,
    /// How claims are routed: `fast_track_limit`, the most a claim may pay and still be fast-tracked (an
    /// expression giving fen); without it no claim is fast-tracked.
    pub fast_track_limit: Option<ExprSrc>,
    pub params: Vec<(String, Value)>,
    pub derived: Vec<(String, ExprSrc)>,
    pub rules: Vec<RuleDef>,
    pub steps: Vec<StepDef>,
    pub tests: Vec<TestDef>,
}
