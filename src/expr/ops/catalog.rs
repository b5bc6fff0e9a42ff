//! The catalog functions: what the loaded medical catalogs say about a code. Each answers `null` when the
//! code is `null`, when no catalog of its kind is loaded, or when the code is not listed — so a pack writes
//! `item.class ?? item_class(item.code)` and works with or without catalogs; `catalog_loaded('diagnosis')`
//! tells the cases apart.
//!
//! | function | result |
//! |---|---|
//! | `catalog_loaded(kind)` | whether a `"diagnosis"` or `"item"` catalog is loaded |
//! | `item_class(code)` | `"A"` 甲类, `"B"` 乙类 or `"self"` 目录外 |
//! | `item_self_pay_rate(code)` | the 乙类 self-pay-first rate as a decimal string (`"0.10"`); `null` for other classes |
//! | `item_price_cap(code)` | the price cap in fen |
//! | `diagnosis_known(code)` | whether the code is listed; a finer national code (`K80.000`) is known by its WHO subcategory (`K80.0`) |

use crate::catalog::{CatalogSet, ItemFacts, Kind};
use crate::expr::error::EvalError;
use crate::value::Value;

fn code_arg<'v>(args: &'v [Value], name: &str) -> Result<Option<&'v str>, EvalError> {
    match args {
        [Value::Null] => Ok(None),
        [Value::Str(s)] => Ok(Some(s)),
        [other] => Err(EvalError::invalid(&format!(
            "{name}: expected a code (a string), got a {}",
            other.type_name()
        ))),
        _ => Err(EvalError::invalid(&format!("{name} takes one argument"))),
    }
}

/// `catalog_loaded(kind)`.
pub fn loaded(args: &[Value], cats: Option<&CatalogSet>) -> Result<Value, EvalError> {
    let kind = match args {
        [Value::Str(s)] => Kind::parse(s),
        _ => None,
    }
    .ok_or_else(|| EvalError::invalid("catalog_loaded takes one argument: \"diagnosis\" or \"item\""))?;
    Ok(Value::Bool(cats.is_some_and(|c| c.has(kind))))
}

fn item_fact(
    args: &[Value],
    cats: Option<&CatalogSet>,
    name: &str,
    f: fn(&ItemFacts) -> Value,
) -> Result<Value, EvalError> {
    let Some(code) = code_arg(args, name)? else {
        return Ok(Value::Null);
    };
    Ok(cats.and_then(|c| c.item(code)).map_or(Value::Null, |facts| f(&facts)))
}

/// `item_class(code)`.
pub fn item_class(args: &[Value], cats: Option<&CatalogSet>) -> Result<Value, EvalError> {
    item_fact(args, cats, "item_class", |f| {
        f.class.map_or(Value::Null, |c| Value::str(c.as_str()))
    })
}

/// `item_self_pay_rate(code)`.
pub fn item_self_pay_rate(args: &[Value], cats: Option<&CatalogSet>) -> Result<Value, EvalError> {
    item_fact(args, cats, "item_self_pay_rate", |f| {
        f.self_pay_rate.map_or(Value::Null, |r| Value::str(&r.to_string()))
    })
}

/// `item_price_cap(code)`.
pub fn item_price_cap(args: &[Value], cats: Option<&CatalogSet>) -> Result<Value, EvalError> {
    item_fact(args, cats, "item_price_cap", |f| {
        f.price_cap_fen.map_or(Value::Null, Value::Int)
    })
}

/// `diagnosis_known(code)`.
pub fn diagnosis_known(args: &[Value], cats: Option<&CatalogSet>) -> Result<Value, EvalError> {
    let Some(code) = code_arg(args, "diagnosis_known")? else {
        return Ok(Value::Null);
    };
    Ok(cats
        .and_then(|c| c.diagnosis_known(code))
        .map_or(Value::Null, Value::Bool))
}
