//! Checking claims: a [`Checker`] holds compiled packs (the embedded defaults or an insurer's own) and turns
//! a claim@1 into a report@1. Decoding problems and missing required fields (those of every claim and the
//! pack's `required`, [`crate::claim::required`]) become C00 findings; the pack's rules, derived values,
//! estimate steps and fast-track limit run through [`run`]; [`report`] decides status and route and writes
//! the report.

pub mod changes;
pub mod diff;
pub mod expect;
pub mod incremental;
pub mod messages;
pub mod report;
pub mod run;

use std::sync::{Arc, OnceLock};

use crate::catalog::{Catalog, CatalogSet, Kind as CatalogKind};
use crate::claim::{decode, decode_text, required, Decoded, Problem, Reason};
use crate::json::{self, ParseOptions};
use crate::pack::def::{Kind, Locale, Severity};
use crate::pack::embedded::Embedded;
use crate::pack::program::Program;
use crate::pack::{self, PackError};
use crate::value::Value;
use run::Finding;

/// Largest claim text accepted (bytes).
pub const MAX_CLAIM_BYTES: usize = crate::limits::MAX_CLAIM_BYTES;

/// How claim text is parsed (by [`Checker::check_text`] and form sessions): 64 levels, at most
/// [`crate::limits::MAX_CLAIM_VALUES`] values, duplicate keys refused, lone surrogates kept for a C00.
pub const CLAIM_JSON: ParseOptions = ParseOptions {
    max_depth: crate::limits::MAX_CLAIM_DEPTH,
    allow_duplicate_keys: false,
    replace_lone_surrogates: true,
    intern: Some(crate::claim::decode::intern),
    max_values: crate::limits::MAX_CLAIM_VALUES,
};

/// Parses claim text with [`CLAIM_JSON`], after checking its size.
pub fn parse_claim(claim: &str) -> Result<json::JsonNode, CheckError> {
    if claim.len() > MAX_CLAIM_BYTES {
        return Err(CheckError::TooLarge(format!(
            "the claim is larger than {MAX_CLAIM_BYTES} bytes"
        )));
    }
    json::parse_with(claim, CLAIM_JSON).map_err(|e| claim_json_error(claim, &e))
}

/// Decodes claim text with [`CLAIM_JSON`] straight from the text ([`crate::claim::decode_text`]), after
/// checking its size; errors are [`parse_claim`]'s.
pub fn decode_claim(claim: &str) -> Result<Decoded, CheckError> {
    if claim.len() > MAX_CLAIM_BYTES {
        return Err(CheckError::TooLarge(format!(
            "the claim is larger than {MAX_CLAIM_BYTES} bytes"
        )));
    }
    decode_text(claim, CLAIM_JSON).map_err(|e| claim_json_error(claim, &e))
}

fn claim_json_error(claim: &str, e: &json::JsonError) -> CheckError {
    if e.limit {
        CheckError::TooLarge(format!("the claim has {}", e.message))
    } else {
        CheckError::NotJson(e.describe(claim))
    }
}

/// Why no report could be produced.
#[derive(Debug, Clone, PartialEq)]
pub enum CheckError {
    /// The claim text is not JSON (the message has the line and column).
    NotJson(String),
    /// The claim needs more evaluation than the budget allows.
    Stopped(String),
    /// The claim is larger than the limits ([`crate::limits`]: its text, its number of JSON values).
    TooLarge(String),
    /// The report would be larger than the limits ([`crate::limits::MAX_FINDINGS`],
    /// [`crate::limits::MAX_REPORT_BYTES`]).
    Limit(String),
    /// The claim's pack, an embedded one compiled on its first use, did not compile (a corrupt build: every
    /// embedded pack is compiled by the tests).
    Pack(PackError),
}

impl CheckError {
    /// The stable code of the error (as in JavaScript's `PreclaimError.code`).
    pub fn code(&self) -> &'static str {
        match self {
            CheckError::NotJson(_) => "claim.json",
            CheckError::Stopped(_) => "check.budget",
            CheckError::TooLarge(_) => "claim.too_large",
            CheckError::Limit(_) => "check.limit",
            CheckError::Pack(e) => e.code,
        }
    }
}

impl std::fmt::Display for CheckError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CheckError::NotJson(m) => write!(f, "the claim is not valid JSON: {}", crate::echo::Echo(m)),
            CheckError::Stopped(m) => write!(f, "the check was stopped: {}", crate::echo::Echo(m)),
            CheckError::TooLarge(m) => write!(f, "the claim is too large: {}", crate::echo::Echo(m)),
            CheckError::Limit(m) => write!(f, "the report is too large: {}", crate::echo::Echo(m)),
            CheckError::Pack(e) => write!(f, "the claim's pack does not compile: {e}"),
        }
    }
}

impl std::error::Error for CheckError {}

/// A report and, for pack authors, why rules did not fire.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub report: Value,
    pub diagnostics: Vec<String>,
}

/// Checks claims against a set of compiled packs, chosen by `policy.product`.
#[derive(Debug, Clone)]
pub struct Checker {
    packs: Vec<Pack>,
    catalogs: CatalogSet,
}

/// A pack of a checker: compiled, or an embedded pack compiled on its first use (so that making a checker
/// does not compile the six default packs when a check needs one).
#[derive(Debug, Clone)]
struct Pack {
    products: Vec<String>,
    embedded: Option<Embedded>,
    program: OnceLock<Result<Program, PackError>>,
}

impl Pack {
    fn compiled(program: Program) -> Pack {
        Pack {
            products: program.products.clone(),
            embedded: None,
            program: OnceLock::from(Ok(program)),
        }
    }

    fn program(&self) -> Result<&Program, &PackError> {
        self.program
            .get_or_init(|| match self.embedded {
                Some(e) => e.load(),
                None => Err(PackError {
                    code: "pack.format",
                    path: String::new(),
                    at: crate::json::LineCol { line: 1, col: 1 },
                    message: "a pack with neither a program nor a source".into(),
                    embedded: None,
                }),
            })
            .as_ref()
    }
}

impl Checker {
    /// A checker with the embedded default packs. A pack is compiled on its first use (a check of one of
    /// its products, [`Checker::packs`]); one whose products build.rs could not read is compiled now.
    pub fn with_defaults() -> Result<Checker, PackError> {
        let mut packs = Vec::new();
        for e in pack::embedded::all() {
            packs.push(match e.products() {
                Some(products) => Pack {
                    products,
                    embedded: Some(e),
                    program: OnceLock::new(),
                },
                None => Pack::compiled(e.load()?),
            });
        }
        Ok(Checker {
            packs,
            catalogs: CatalogSet::new(),
        })
    }

    /// A checker with the given pack texts (each must load and compile).
    #[cfg(feature = "compiler")]
    pub fn from_pack_texts(texts: &[&str]) -> Result<Checker, PackError> {
        let packs = texts
            .iter()
            .map(|t| pack::load_program(t))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Checker::from_programs(packs))
    }

    /// A checker with the given pack texts, each of which must carry a signature that verifies with one of
    /// the trusted keys (or, when `require_signature` is false, carry none). A pack whose signature does not
    /// verify is refused with code `pack.signature`.
    #[cfg(feature = "compiler")]
    pub fn from_pack_texts_trusted(
        texts: &[&str],
        keys: &[pack::signature::TrustedKey],
        require_signature: bool,
    ) -> Result<Checker, PackError> {
        for t in texts {
            pack::signature::verify(t, keys, require_signature).map_err(|e| PackError {
                code: "pack.signature",
                path: "signature".into(),
                at: crate::json::LineCol { line: 1, col: 1 },
                message: e.to_string(),
                embedded: None,
            })?;
        }
        Checker::from_pack_texts(texts)
    }

    /// A checker with packs in their compiled form (`preclaim pack compile`, [`pack::binary`]): decoded,
    /// checked and ready, with no JSON loading or compiling.
    pub fn from_compiled(packs: &[&[u8]]) -> Result<Checker, PackError> {
        let packs = packs
            .iter()
            .map(|b| pack::binary::decode(b))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Checker::from_programs(packs))
    }

    /// A checker with already compiled packs.
    pub fn from_programs(packs: Vec<Program>) -> Checker {
        Checker {
            packs: packs.into_iter().map(Pack::compiled).collect(),
            catalogs: CatalogSet::new(),
        }
    }

    /// Loads a medical catalog for the rules' catalog functions (replacing one of the same kind); returns
    /// the replaced one.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use preclaim::catalog::{build, Catalog, Kind, Row};
    /// use preclaim::check::Checker;
    /// let row = Row { code: "K80.0".into(), name_en: Some("Calculus of gallbladder".into()), ..Row::default() };
    /// let mut checker = Checker::with_defaults()?;
    /// checker.attach_catalog(Arc::new(Catalog::from_vec(build(Kind::Diagnosis, vec![row])?)?));
    /// assert_eq!(checker.catalogs().diagnosis_known("K80.0"), Some(true));
    /// assert_eq!(checker.catalogs().diagnosis_known("K81.0"), Some(false));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn attach_catalog(&mut self, catalog: Arc<Catalog<'static>>) -> Option<Arc<Catalog<'static>>> {
        self.catalogs.attach(catalog)
    }

    /// Unloads the catalog of a kind; returns it.
    pub fn detach_catalog(&mut self, kind: CatalogKind) -> Option<Arc<Catalog<'static>>> {
        self.catalogs.detach(kind)
    }

    /// The loaded catalogs.
    pub fn catalogs(&self) -> &CatalogSet {
        &self.catalogs
    }

    /// The packs, each compiled (now, if it was not yet).
    pub fn packs(&self) -> Result<Vec<&Program>, PackError> {
        self.packs.iter().map(|p| p.program().map_err(Clone::clone)).collect()
    }

    /// The pack for a product code (compiled now if it was not yet); `None` when no pack lists the product,
    /// or when its pack does not compile (a check then fails with [`CheckError::Pack`]).
    pub fn pack_for(&self, product: &str) -> Option<&Program> {
        self.pack_entry(product).and_then(Result::ok)
    }

    fn pack_entry(&self, product: &str) -> Option<Result<&Program, &PackError>> {
        self.packs
            .iter()
            .find(|p| p.products.iter().any(|x| x == product))
            .map(Pack::program)
    }

    /// Checks a claim given as JSON text. Text that is not JSON is [`CheckError::NotJson`]; text longer than
    /// [`MAX_CLAIM_BYTES`] is [`CheckError::TooLarge`], before it is read.
    ///
    /// ```
    /// use preclaim::check::{CheckError, Checker, MAX_CLAIM_BYTES};
    /// use preclaim::pack::def::Locale;
    /// let checker = Checker::with_defaults()?;
    /// let e = checker.check_text(&" ".repeat(MAX_CLAIM_BYTES + 1), Locale::En).unwrap_err();
    /// assert_eq!(e.code(), "claim.too_large");
    /// assert!(matches!(e, CheckError::TooLarge(_)));
    /// assert_eq!(checker.check_text("{", Locale::En).unwrap_err().code(), "claim.json");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn check_text(&self, claim: &str, locale: Locale) -> Result<Outcome, CheckError> {
        let decoded = decode_claim(claim)?;
        self.check_decoded(&decoded, locale, None)
    }

    /// Checks a parsed claim.
    pub fn check_node(&self, node: &json::JsonNode, locale: Locale) -> Result<Outcome, CheckError> {
        self.check_node_with(node, locale, None)
    }

    /// Checks a parsed claim that was checked before with `memo`, re-evaluating only the rules, derived
    /// values and estimate that read what changed ([`incremental`]); the outcome is [`Checker::check_node`]'s.
    pub fn check_node_memo(
        &self,
        node: &json::JsonNode,
        locale: Locale,
        memo: &mut incremental::Memo,
    ) -> Result<Outcome, CheckError> {
        self.check_node_with(node, locale, Some(memo))
    }

    fn check_node_with(
        &self,
        node: &json::JsonNode,
        locale: Locale,
        memo: Option<&mut incremental::Memo>,
    ) -> Result<Outcome, CheckError> {
        self.check_decoded(&decode(node), locale, memo)
    }

    /// Checks a decoded claim (from [`crate::claim::decode`], [`crate::claim::decode_text`] or a session's
    /// [`crate::claim::members::MemberCache`]) that was checked before with `memo`, like
    /// [`Checker::check_node_memo`].
    pub fn check_decoded_memo(
        &self,
        decoded: &Decoded,
        locale: Locale,
        memo: &mut incremental::Memo,
    ) -> Result<Outcome, CheckError> {
        self.check_decoded(decoded, locale, Some(memo))
    }

    /// Checks a decoded claim.
    fn check_decoded(
        &self,
        decoded: &Decoded,
        locale: Locale,
        mut memo: Option<&mut incremental::Memo>,
    ) -> Result<Outcome, CheckError> {
        let product = decoded
            .value
            .get("policy")
            .and_then(|p| p.get("product"))
            .and_then(Value::as_str);
        let mut problems = decoded.problems.clone();
        let program = match product {
            Some(p) => {
                let prog = self
                    .pack_entry(p)
                    .transpose()
                    .map_err(|e| CheckError::Pack(e.clone()))?;
                if prog.is_none() {
                    problems.push(Problem {
                        path: "policy.product".into(),
                        reason: Reason::UnknownProduct,
                    });
                }
                prog
            }
            None => None,
        };
        // The fields every claim needs, then the product's own; an item's class may come from the item
        // catalog when the product's pack uses one.
        let uses_item_catalog = program.is_some_and(|p| p.catalogs.contains(&CatalogKind::Item));
        let class_in_catalog =
            |code: &str| uses_item_catalog && self.catalogs.item(code).is_some_and(|facts| facts.class.is_some());
        match memo.as_deref_mut() {
            Some(m) => m.required(
                &decoded.value,
                (uses_item_catalog, &self.catalogs),
                &class_in_catalog,
                &mut problems,
            ),
            None => problems.extend(required::missing(&decoded.value, &class_in_catalog)),
        }
        for path in program.map(|p| p.required.as_slice()).unwrap_or_default() {
            required::missing_at(&decoded.value, path, &mut problems);
        }
        // The report limits: the claim's own findings and unknown fields first, then the pack's.
        let mut bytes: usize = decoded.ignored.iter().map(String::len).sum();
        if bytes > crate::limits::MAX_REPORT_BYTES {
            return Err(CheckError::Limit(format!(
                "the report's unknown fields would hold more than {} bytes of text",
                crate::limits::MAX_REPORT_BYTES
            )));
        }
        let mut findings: Vec<Finding> = Vec::with_capacity(problems.len().min(crate::limits::MAX_FINDINGS));
        for p in &problems {
            let f = Finding {
                rule: "C00".into(),
                kind: Kind::C,
                severity: Severity::Block,
                message: messages::c00_message(p, locale),
                fields: vec![p.path.clone()],
                documents: Vec::new(),
            };
            run::count_finding(findings.len(), &mut bytes, &f).map_err(|s| CheckError::Limit(s.0))?;
            findings.push(f);
        }
        let mut diagnostics = Vec::new();
        let mut steps = None;
        let mut fast_track_limit = None;
        if let Some(prog) = program {
            let r = match memo.as_deref_mut() {
                Some(m) => incremental::run_memo(prog, &decoded.value, locale, &self.catalogs, m),
                None => run::run_with(prog, &decoded.value, locale, Some(&self.catalogs)),
            }
            .map_err(|s| {
                if s.1 {
                    CheckError::Limit(s.0)
                } else {
                    CheckError::Stopped(s.0)
                }
            })?;
            for f in r.findings {
                run::count_finding(findings.len(), &mut bytes, &f).map_err(|s| CheckError::Limit(s.0))?;
                findings.push(f);
            }
            steps = r.steps;
            diagnostics = r.diagnostics;
            fast_track_limit = r.fast_track_limit;
        }
        report::sort_findings(&mut findings);
        let parts = report::ReportParts {
            product,
            pack_version: program.map(|p| p.version.as_str()),
            findings: &findings,
            steps: steps.as_deref(),
            ignored: &decoded.ignored,
            fast_track_limit,
        };
        let report = match memo {
            Some(m) => report::build_reusing(&parts, m.finding_values()),
            None => report::build(&parts),
        };
        Ok(Outcome { report, diagnostics })
    }
}
