//! A compiled pack, ready to check claims: what [`super::compile`] makes of a pack's JSON and what
//! [`super::binary`] stores (so it is here, apart from the compiler, which a build may leave out).

#[cfg(doc)]
use super::def::RuleDef;
use super::def::{CatalogKind, Kind, PackDef, Severity, TestDef, Text};
#[cfg(doc)]
use crate::claim::schema::BENEFITS;
use crate::expr::Expr;
use crate::value::Value;

/// A compiled rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub kind: Kind,
    pub severity: Severity,
    /// Loops: the slot each binds, the slot of its index (if named) and the list it iterates.
    pub each: Vec<(u32, Option<u32>, Expr)>,
    pub when: Expr,
    pub message: Text,
    pub values: Vec<(String, Expr)>,
    pub fields: Vec<String>,
    pub each_names: Vec<String>,
    pub documents: Vec<String>,
    /// One finding for all firings (see [`RuleDef::aggregate`]).
    pub aggregate: bool,
}

/// A compiled estimate step.
#[derive(Debug, Clone)]
pub struct Step {
    pub rule: String,
    pub label: Text,
    pub when: Option<Expr>,
    pub amount: Expr,
}

/// A compiled pack, ready to check claims.
#[derive(Debug, Clone)]
pub struct Program {
    pub id: String,
    pub version: String,
    pub title: Text,
    pub products: Vec<String>,
    pub params: Vec<(String, Value)>,
    /// Derived values by slot, and the order to evaluate them in.
    pub derived: Vec<(String, Expr)>,
    pub derived_order: Vec<usize>,
    pub rules: Vec<Rule>,
    /// For each benefit (in [`BENEFITS`] order), the rules that apply, in pack order.
    pub by_benefit: Vec<Vec<u32>>,
    /// Rules for a claim whose benefit is missing or malformed: those that apply to every benefit.
    pub any_benefit: Vec<u32>,
    pub steps: Vec<Step>,
    /// Claim fields the product requires (C00 when missing), as in [`PackDef::required`].
    pub required: Vec<String>,
    /// `route.fast_track_limit`: the most a claim may pay and still be fast-tracked, in fen.
    pub fast_track_limit: Option<Expr>,
    /// The medical catalogs the rules use ([`PackDef::catalogs`]).
    pub catalogs: Vec<CatalogKind>,
    /// The pack's own tests (empty for a pack decoded from its compiled form, which does not keep them).
    pub tests: Vec<TestDef>,
    /// Slots needed: derived values, then loop variables.
    pub slots: usize,
    /// The source definition, for lint (`None` for a pack decoded from its compiled form,
    /// [`super::binary`]).
    pub def: Option<PackDef>,
    /// Which parameters and derived values some expression uses (for lint).
    pub usage: Usage,
}

/// Which names the pack's expressions use.
#[derive(Debug, Clone, Default)]
pub struct Usage {
    pub params: Vec<bool>,
    pub derived: Vec<bool>,
}
