//! The strict operators: each takes its evaluated arguments and returns a value. Control forms (`if`, `and`,
//! `or`, `??`, `try`, the comparisons, which short-circuit) and data access (`var`, `val`, ...) live in
//! [`super::compile`] and [`super::eval`]; iterators (`map`, `filter`, ...) too.
//!
//! [`table::OPS`] is the one table of operators (names, arity, result types, implementations); the
//! compiler, the text syntax, the exporter and docs/expressions.md read it.

pub mod arith;
pub mod catalog;
pub mod coerce;
pub mod compare;
pub mod domain;
pub mod list;
pub mod string;
pub mod table;

use crate::catalog::CatalogSet;
use crate::expr::error::EvalError;
use crate::value::Value;

/// The longest list an operator may build.
pub const MAX_LIST: usize = crate::limits::MAX_BUILT_LIST;

/// A strict operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Not,
    NotNot,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Min,
    Max,
    Abs,
    Cat,
    Substr,
    In,
    Lower,
    Upper,
    Trim,
    Len,
    Merge,
    Throw,
    Flatten,
    Sum,
    Get,
    Slice,
    IndexOf,
    Distinct,
    Repeats,
    Latest,
    Earliest,
    Date,
    AddDays,
    AddMonths,
    AddYears,
    DaysBetween,
    Age,
    Money,
    Yuan,
    ApplyRatio,
    MulDiv,
    IdValid,
    IdBirth,
    IdSex,
    Luhn,
    BankCardValid,
    UsccValid,
    Mask,
    IcdValid,
    IcdCategory,
    IcdIn,
    Icdo3Behaviour,
    CatalogLoaded,
    ItemClass,
    ItemSelfPayRate,
    ItemPriceCap,
    DiagnosisKnown,
}

impl Op {
    /// The operator's entry in the [`table::OPS`] table (strict operators come first, in `Op` order).
    pub fn def(self) -> Option<&'static table::OpDef> {
        table::OPS.get(self as usize)
    }

    /// The strict operator of a name (`None` for an unknown name or a control form).
    pub fn by_name(name: &str) -> Option<Op> {
        table::by_name(name).and_then(|d| d.strict).map(|s| s.op)
    }

    pub fn name(self) -> &'static str {
        self.def().map_or("?", |d| d.name)
    }

    /// Whether the result depends only on the arguments (so constant arguments can be folded).
    pub fn is_pure(self) -> bool {
        self.def().and_then(|d| d.strict).is_some_and(|s| s.pure)
    }

    /// Whether the operator reads the checker's loaded catalogs (so it is never folded, and the evaluator
    /// gives it the [`crate::catalog::CatalogSet`]).
    pub fn reads_catalogs(self) -> bool {
        self.def().is_some_and(|d| d.family == table::Family::Catalog)
    }

    /// Whether a single computed argument that yields a list is spread into the arguments (JSONLogic's
    /// "dynamic arguments" for arithmetic, `min`, `max` and `cat`).
    pub fn spreads(self) -> bool {
        self.def().and_then(|d| d.strict).is_some_and(|s| s.spreads)
    }

    /// Applies the operator to evaluated arguments.
    pub fn apply(self, args: &[Value]) -> Result<Value, EvalError> {
        self.apply_with(args, None)
    }

    /// Applies the operator, with the loaded catalogs for the catalog functions (without them, the catalog
    /// functions answer as if no catalog were loaded).
    pub fn apply_with(self, args: &[Value], cats: Option<&CatalogSet>) -> Result<Value, EvalError> {
        match self.def().and_then(|d| d.strict) {
            Some(s) => (s.apply)(args, cats),
            None => Err(EvalError::invalid("an operator without an implementation")),
        }
    }
}
