//! preclaim: an insurance claim pre-checker.
//!
//! Rule packs (JSON) are parsed, compiled once and evaluated on claims (claim@1) to produce reports
//! (report@1). The pipeline is visible in the module tree:
//!
//! - [`json`]: JSON text with positions (for located errors) and a deterministic writer;
//! - [`expr`]: the expression language — JSONLogic and the text syntax parse to one AST, [`expr::compile`]
//!   checks and resolves it, [`expr::eval`] runs it under a step budget;
//! - [`claim`]: claim@1 decoding and validation (money in fen, dates as days, C00 problems with paths);
//! - [`pack`]: rule packs — format, loading with JSON path + line/column errors, compiling, lint;
//! - [`check`]: running a pack on a claim, findings, estimate, status, route, report@1;
//! - [`finder`]: the claim finder — one event and a household's policies (finder@1) to the claims to file,
//!   in the best order, with what each pays and still needs (plan@1);
//! - [`jsonlogic`]: preclaim as a plain JSONLogic engine (compile a rule once, evaluate it on records);
//! - [`domain`]: exact domain functions (calendar, money, ID checksums, ICD-10 ranges);
//! - [`limits`]: every limit on what comes from outside, in one module;
//! - [`echo`]: text echoed into messages and errors, with personal numbers masked and control characters
//!   escaped.
//!
//! # Example
//!
//! ```
//! use preclaim::check::Checker;
//! use preclaim::pack::def::Locale;
//! use preclaim::json::write_value;
//!
//! let checker = Checker::with_defaults()?; // the embedded default packs
//! let claim = r#"{
//!   "schema": "preclaim/claim@1", "filed_on": "2025-04-18", "benefit": "outpatient", "cause": "accident",
//!   "event": { "date": "2025-04-12", "diagnoses": [{ "icd10": "S62.1" }] },
//!   "policy": { "product": "P-ACC", "effective_on": "2025-01-01", "expires_on": "2025-12-31" },
//!   "invoices": [{ "visit": "outpatient", "issued_on": "2025-04-12", "total": "300.00" }]
//! }"#;
//! let report = checker.check_text(claim, Locale::En)?.report;
//! assert_eq!(report.get("status").and_then(|s| s.as_str()), Some("incomplete"));
//! // Nothing was uploaded yet: the report lists every missing document at once.
//! assert_eq!(write_value(report.get("missing_documents").unwrap()), r#"["D01","D02","D04","D05","D06","D08"]"#);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Evaluating one expression, in either syntax:
//!
//! ```
//! use preclaim::expr::{compile, jsonlogic, text, OpenEnv};
//! use preclaim::value::Value;
//!
//! let a = text::parse("days_between(start, end) < 30 and cause == 'illness'")?;
//! let b = jsonlogic::parse_text(r#"{"and":[{"<":[{"days_between":[{"var":"start"},{"var":"end"}]},30]},{"==":[{"var":"cause"},"illness"]}]}"#)?;
//! assert_eq!(a.without_pos(), b.without_pos());
//! let data = Value::from_json(&preclaim::json::parse(r#"{"start":"2024-03-01","end":"2024-03-25","cause":"illness"}"#)?);
//! assert_eq!(compile(&a, &OpenEnv)?.eval(&data)?, Value::Bool(true));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod catalog;
pub mod check;
pub mod claim;
pub mod domain;
pub mod echo;
pub mod expr;
pub mod finder;
pub mod json;
#[cfg(feature = "compiler")]
pub mod jsonlogic;
pub mod limits;
mod order;
pub mod pack;
pub mod quality;
pub mod value;
#[cfg(target_arch = "wasm32")]
pub mod wasm;
