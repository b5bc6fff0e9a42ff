//! preclaim: an insurance claim pre-checker.
//!
//! Rule packs (JSON) are parsed, compiled once and evaluated on claims (claim@1) to produce reports (report@1).
//! The pipeline is visible in the module tree: [`json`] (parse text with positions) → [`expr`] (JSONLogic and
//! the text syntax → AST → compiled program → eval) → [`pack`] (rule packs) → [`check`] (reports).
//! [`domain`] holds the exact domain functions (calendar dates, money in fen, ID checksums, ICD ranges).

pub mod check;
pub mod claim;
pub mod domain;
pub mod expr;
pub mod json;
pub mod pack;
pub mod value;
