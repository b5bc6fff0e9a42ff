//! The strict operators: each takes its evaluated arguments and returns a value. Control forms (`if`, `and`,
//! `or`, `??`, `try`, the comparisons, which short-circuit) and data access (`var`, `val`, ...) live in
//! [`super::compile`] and [`super::eval`]; iterators (`map`, `filter`, ...) too.
//!
//! [`Op::by_name`] is the one table of operator names; the text syntax and JSONLogic share it.

pub mod arith;
pub mod catalog;
pub mod coerce;
pub mod compare;
pub mod domain;
pub mod list;
pub mod string;

use crate::catalog::CatalogSet;
use crate::domain::{date, ids};
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

/// Every strict operator with its name.
pub const OPS: &[(&str, Op)] = &[
    ("!", Op::Not),
    ("!!", Op::NotNot),
    ("+", Op::Add),
    ("-", Op::Sub),
    ("*", Op::Mul),
    ("/", Op::Div),
    ("%", Op::Mod),
    ("min", Op::Min),
    ("max", Op::Max),
    ("abs", Op::Abs),
    ("cat", Op::Cat),
    ("substr", Op::Substr),
    ("in", Op::In),
    ("lower", Op::Lower),
    ("upper", Op::Upper),
    ("trim", Op::Trim),
    ("len", Op::Len),
    ("merge", Op::Merge),
    ("throw", Op::Throw),
    ("flatten", Op::Flatten),
    ("sum", Op::Sum),
    ("get", Op::Get),
    ("slice", Op::Slice),
    ("index_of", Op::IndexOf),
    ("distinct", Op::Distinct),
    ("repeats", Op::Repeats),
    ("latest", Op::Latest),
    ("earliest", Op::Earliest),
    ("date", Op::Date),
    ("add_days", Op::AddDays),
    ("add_months", Op::AddMonths),
    ("add_years", Op::AddYears),
    ("days_between", Op::DaysBetween),
    ("age", Op::Age),
    ("money", Op::Money),
    ("yuan", Op::Yuan),
    ("apply_ratio", Op::ApplyRatio),
    ("mul_div", Op::MulDiv),
    ("id_valid", Op::IdValid),
    ("id_birth", Op::IdBirth),
    ("id_sex", Op::IdSex),
    ("luhn", Op::Luhn),
    ("bank_card_valid", Op::BankCardValid),
    ("uscc_valid", Op::UsccValid),
    ("mask", Op::Mask),
    ("icd_valid", Op::IcdValid),
    ("icd_category", Op::IcdCategory),
    ("icd_in", Op::IcdIn),
    ("icdo3_behaviour", Op::Icdo3Behaviour),
    ("catalog_loaded", Op::CatalogLoaded),
    ("item_class", Op::ItemClass),
    ("item_self_pay_rate", Op::ItemSelfPayRate),
    ("item_price_cap", Op::ItemPriceCap),
    ("diagnosis_known", Op::DiagnosisKnown),
];

impl Op {
    pub fn by_name(name: &str) -> Option<Op> {
        OPS.iter().find(|(n, _)| *n == name).map(|(_, op)| *op)
    }

    pub fn name(self) -> &'static str {
        OPS.iter().find(|(_, op)| *op == self).map_or("?", |(n, _)| n)
    }

    /// Whether the result depends only on the arguments (so constant arguments can be folded).
    pub fn is_pure(self) -> bool {
        !matches!(self, Op::Throw) && !self.reads_catalogs()
    }

    /// Whether the operator reads the checker's loaded catalogs (so it is never folded, and the evaluator
    /// gives it the [`crate::catalog::CatalogSet`]).
    pub fn reads_catalogs(self) -> bool {
        matches!(
            self,
            Op::CatalogLoaded | Op::ItemClass | Op::ItemSelfPayRate | Op::ItemPriceCap | Op::DiagnosisKnown
        )
    }

    /// Whether a single computed argument that yields a list is spread into the arguments (JSONLogic's
    /// "dynamic arguments" for arithmetic, `min`, `max` and `cat`).
    pub fn spreads(self) -> bool {
        matches!(
            self,
            Op::Add | Op::Sub | Op::Mul | Op::Div | Op::Mod | Op::Min | Op::Max | Op::Cat
        )
    }

    /// Applies the operator to evaluated arguments.
    pub fn apply(self, args: &[Value]) -> Result<Value, EvalError> {
        self.apply_with(args, None)
    }

    /// Applies the operator, with the loaded catalogs for the catalog functions (without them, the catalog
    /// functions answer as if no catalog were loaded).
    pub fn apply_with(self, args: &[Value], cats: Option<&CatalogSet>) -> Result<Value, EvalError> {
        match self {
            Op::Not => Ok(Value::Bool(!args.first().is_some_and(Value::truthy))),
            Op::NotNot => Ok(Value::Bool(args.first().is_some_and(Value::truthy))),
            Op::Add => arith::plus(args),
            Op::Sub => arith::minus(args),
            Op::Mul => arith::times(args),
            Op::Div => arith::divide(args),
            Op::Mod => arith::modulo(args),
            Op::Min => arith::extreme(args, false),
            Op::Max => arith::extreme(args, true),
            Op::Abs => arith::abs(args),
            Op::Cat => string::cat(args),
            Op::Substr => string::substr(args),
            Op::In => string::contains(args),
            Op::Lower => string::lower(args),
            Op::Upper => string::upper(args),
            Op::Trim => string::trim(args),
            Op::Len => string::len(args),
            Op::Merge => {
                let mut out = Vec::new();
                for a in args {
                    match a {
                        Value::Array(items) => out.extend(items.iter().cloned()),
                        v => out.push(v.clone()),
                    }
                    if out.len() > MAX_LIST {
                        return Err(EvalError::invalid(
                            "merge would build a list of more than 1,000,000 values",
                        ));
                    }
                }
                Ok(Value::array(out))
            }
            Op::Throw => Err(EvalError::Thrown(args.first().cloned().unwrap_or(Value::Null))),
            Op::Flatten => domain::flatten(args),
            Op::Sum => domain::sum(args),
            Op::Get => list::get(args),
            Op::Slice => list::slice(args),
            Op::IndexOf => list::index_of(args),
            Op::Distinct => list::distinct(args),
            Op::Repeats => list::repeats(args),
            Op::Latest => list::extreme_date(args, true),
            Op::Earliest => list::extreme_date(args, false),
            Op::Date => domain::to_date(args),
            Op::AddDays => domain::shift(args, "add_days", date::add_days),
            Op::AddMonths => domain::shift(args, "add_months", date::add_months),
            Op::AddYears => domain::shift(args, "add_years", date::add_years),
            Op::DaysBetween => domain::days_between(args),
            Op::Age => domain::age(args),
            Op::Money => domain::to_money(args),
            Op::Yuan => domain::yuan(args),
            Op::ApplyRatio => domain::apply_ratio(args),
            Op::MulDiv => domain::mul_div(args),
            Op::IdValid => domain::id_valid(args),
            Op::IdBirth => domain::id_birth(args),
            Op::IdSex => domain::id_sex(args),
            Op::Luhn => domain::str_pred(args, "luhn", ids::luhn_valid),
            Op::BankCardValid => domain::str_pred(args, "bank_card_valid", ids::bank_card_ok),
            Op::UsccValid => domain::str_pred(args, "uscc_valid", ids::check_uscc),
            Op::Mask => domain::mask(args),
            Op::IcdValid => domain::str_pred(args, "icd_valid", crate::domain::icd::icd_well_formed),
            Op::IcdCategory => domain::icd_category(args),
            Op::IcdIn => domain::icd_in(args),
            Op::Icdo3Behaviour => domain::icdo3_behaviour(args),
            Op::CatalogLoaded => catalog::loaded(args, cats),
            Op::ItemClass => catalog::item_class(args, cats),
            Op::ItemSelfPayRate => catalog::item_self_pay_rate(args, cats),
            Op::ItemPriceCap => catalog::item_price_cap(args, cats),
            Op::DiagnosisKnown => catalog::diagnosis_known(args, cats),
        }
    }
}
