//! The domain functions as operators: calendar dates, money in fen, identity-number checks, ICD-10 ranges.
//! They wrap [`crate::domain`]; a wrong argument type is `Invalid Arguments`, a `null` argument gives `null`
//! (so a missing field makes the rule not fire rather than fail), and nothing here uses floats for money.

use crate::domain::{date, icd, ids, money};
use crate::expr::error::EvalError;
use crate::value::Value;

fn bad(msg: &str) -> EvalError {
    EvalError::invalid(msg)
}

/// A date argument: a date value or a `YYYY-MM-DD` string. `Ok(None)` for null.
pub fn date_arg(v: &Value, what: &str) -> Result<Option<i32>, EvalError> {
    match v {
        Value::Null => Ok(None),
        Value::Date(d) => Ok(Some(*d)),
        Value::Str(s) => date::parse_date(s)
            .map(Some)
            .ok_or_else(|| bad(&format!("{what}: `{s}` is not a YYYY-MM-DD date"))),
        other => Err(bad(&format!("{what}: expected a date, got a {}", other.type_name()))),
    }
}

fn int_arg(v: &Value, what: &str) -> Result<Option<i64>, EvalError> {
    match v {
        Value::Null => Ok(None),
        _ => v
            .as_i64()
            .map(Some)
            .ok_or_else(|| bad(&format!("{what}: expected a whole number"))),
    }
}

fn str_arg<'v>(v: &'v Value, what: &str) -> Result<Option<&'v str>, EvalError> {
    match v {
        Value::Null => Ok(None),
        Value::Str(s) => Ok(Some(s)),
        other => Err(bad(&format!("{what}: expected a string, got a {}", other.type_name()))),
    }
}

fn two<'a>(args: &'a [Value], name: &str) -> Result<(&'a Value, &'a Value), EvalError> {
    match args {
        [a, b] => Ok((a, b)),
        _ => Err(bad(&format!("{name} takes two arguments"))),
    }
}

fn one<'a>(args: &'a [Value], name: &str) -> Result<&'a Value, EvalError> {
    match args {
        [a] => Ok(a),
        _ => Err(bad(&format!("{name} takes one argument"))),
    }
}

fn opt_date(d: Option<i32>) -> Value {
    d.map_or(Value::Null, Value::Date)
}

pub fn to_date(args: &[Value]) -> Result<Value, EvalError> {
    Ok(opt_date(date_arg(one(args, "date")?, "date")?))
}

/// `add_days`, `add_months`, `add_years`.
pub fn shift(args: &[Value], name: &str, f: fn(i32, i64) -> Option<i32>) -> Result<Value, EvalError> {
    let (d, n) = two(args, name)?;
    match (date_arg(d, name)?, int_arg(n, name)?) {
        (Some(d), Some(n)) => f(d, n)
            .map(Value::Date)
            .ok_or_else(|| bad(&format!("{name}: date out of range"))),
        _ => Ok(Value::Null),
    }
}

pub fn days_between(args: &[Value]) -> Result<Value, EvalError> {
    let (a, b) = two(args, "days_between")?;
    match (date_arg(a, "days_between")?, date_arg(b, "days_between")?) {
        (Some(a), Some(b)) => Ok(Value::Int(date::days_between(a, b))),
        _ => Ok(Value::Null),
    }
}

pub fn age(args: &[Value]) -> Result<Value, EvalError> {
    let (b, on) = two(args, "age")?;
    match (date_arg(b, "age")?, date_arg(on, "age")?) {
        (Some(b), Some(on)) => Ok(date::age_on(b, on).map_or(Value::Null, Value::Int)),
        _ => Ok(Value::Null),
    }
}

/// Money in fen from a decimal string, a number of yuan, or fen already (an integer value is taken as yuan
/// only when given as a JSON number; rule packs call `money` on claim strings and parameters).
pub fn to_money(args: &[Value]) -> Result<Value, EvalError> {
    let r = match one(args, "money")? {
        Value::Null => return Ok(Value::Null),
        Value::Str(s) => money::parse_money(s),
        Value::Int(i) => i
            .checked_mul(100)
            .filter(|f| *f <= money::MAX_MONEY_FEN)
            .ok_or(money::MoneyError::TooLarge),
        Value::Float(f) => money::money_from_f64(*f),
        other => return Err(bad(&format!("money: expected an amount, got a {}", other.type_name()))),
    };
    r.map(Value::Int).map_err(|e| bad(&format!("money: {e}")))
}

/// Fen to a `"1234.50"` string.
pub fn yuan(args: &[Value]) -> Result<Value, EvalError> {
    match one(args, "yuan")? {
        Value::Null => Ok(Value::Null),
        v => v
            .as_i64()
            .map(|f| Value::str(&money::format_money(f)))
            .ok_or_else(|| bad("yuan: expected fen as a whole number")),
    }
}

fn ratio_arg(v: &Value) -> Result<Option<money::Ratio>, EvalError> {
    let r = match v {
        Value::Null => return Ok(None),
        Value::Str(s) => money::parse_ratio(s),
        Value::Int(i) => money::ratio_from_f64(*i as f64),
        Value::Float(f) => money::ratio_from_f64(*f),
        _ => None,
    };
    r.map(Some)
        .ok_or_else(|| bad("apply_ratio: the ratio must be a decimal between 0 and 1"))
}

/// `apply_ratio(fen, ratio)`: fen × ratio, rounded half up to the fen.
pub fn apply_ratio(args: &[Value]) -> Result<Value, EvalError> {
    let (f, r) = two(args, "apply_ratio")?;
    match (int_arg(f, "apply_ratio")?, ratio_arg(r)?) {
        (Some(f), Some(r)) => Ok(Value::Int(money::apply_ratio(f, r))),
        _ => Ok(Value::Null),
    }
}

/// `mul_div(fen, num, den)`: fen × num / den, rounded half up to the fen.
pub fn mul_div(args: &[Value]) -> Result<Value, EvalError> {
    let [f, n, d] = args else {
        return Err(bad("mul_div takes three arguments"));
    };
    match (int_arg(f, "mul_div")?, int_arg(n, "mul_div")?, int_arg(d, "mul_div")?) {
        (Some(f), Some(n), Some(d)) => money::mul_div_half_up(f, n, d)
            .map(Value::Int)
            .ok_or_else(|| bad("mul_div: division by zero or overflow")),
        _ => Ok(Value::Null),
    }
}

/// `sum(list)`: the exact sum of a list of numbers (nulls count as 0).
pub fn sum(args: &[Value]) -> Result<Value, EvalError> {
    match one(args, "sum")? {
        Value::Null => Ok(Value::Int(0)),
        Value::Array(items) => super::arith::plus(items),
        _ => Err(bad("sum takes a list of numbers")),
    }
}

pub fn id_valid(args: &[Value]) -> Result<Value, EvalError> {
    Ok(match str_arg(one(args, "id_valid")?, "id_valid")? {
        None => Value::Null,
        Some(s) => Value::Bool(ids::check_resident_id(s).is_ok()),
    })
}

pub fn id_birth(args: &[Value]) -> Result<Value, EvalError> {
    Ok(match str_arg(one(args, "id_birth")?, "id_birth")? {
        None => Value::Null,
        Some(s) => ids::check_resident_id(s).map_or(Value::Null, |r| Value::Date(r.birth)),
    })
}

pub fn id_sex(args: &[Value]) -> Result<Value, EvalError> {
    Ok(match str_arg(one(args, "id_sex")?, "id_sex")? {
        None => Value::Null,
        Some(s) => ids::check_resident_id(s).map_or(Value::Null, |r| Value::str(r.sex.as_str())),
    })
}

/// A string predicate that gives null for null.
pub fn str_pred(args: &[Value], name: &str, f: fn(&str) -> bool) -> Result<Value, EvalError> {
    Ok(match str_arg(one(args, name)?, name)? {
        None => Value::Null,
        Some(s) => Value::Bool(f(s)),
    })
}

pub fn mask(args: &[Value]) -> Result<Value, EvalError> {
    Ok(match one(args, "mask")? {
        Value::Null => Value::Null,
        v => Value::str(&ids::mask_number(&v.to_js_string())),
    })
}

pub fn icd_category(args: &[Value]) -> Result<Value, EvalError> {
    Ok(match str_arg(one(args, "icd_category")?, "icd_category")? {
        None => Value::Null,
        Some(s) => icd::icd_category(s).map_or(Value::Null, Value::str),
    })
}

/// `icd_in(code, ranges)`: the code lies in one of the ranges (a string or a list of strings).
pub fn icd_in(args: &[Value]) -> Result<Value, EvalError> {
    let (code, ranges) = two(args, "icd_in")?;
    let Some(code) = str_arg(code, "icd_in")? else {
        return Ok(Value::Bool(false));
    };
    let list: Vec<&Value> = match ranges {
        Value::Array(a) => a.iter().collect(),
        v => vec![v],
    };
    for r in list {
        let text = r
            .as_str()
            .ok_or_else(|| bad("icd_in: ranges are strings like \"C00-C97\""))?;
        let range =
            icd::parse_icd_range(text).ok_or_else(|| bad(&format!("icd_in: `{text}` is not an ICD-10 range")))?;
        if icd::icd_in_range(code, &range) {
            return Ok(Value::Bool(true));
        }
    }
    Ok(Value::Bool(false))
}

pub fn icdo3_behaviour(args: &[Value]) -> Result<Value, EvalError> {
    Ok(match str_arg(one(args, "icdo3_behaviour")?, "icdo3_behaviour")? {
        None => Value::Null,
        Some(s) => icd::icdo3_behaviour(s).map_or(Value::Null, |b| Value::Int(i64::from(b))),
    })
}

/// `flatten(list)`: one level of nested lists joined (`flatten(map(invoices, it.items))`).
pub fn flatten(args: &[Value]) -> Result<Value, EvalError> {
    match one(args, "flatten")? {
        Value::Null => Ok(Value::array(Vec::new())),
        Value::Array(items) => {
            let mut out = Vec::new();
            for it in items.iter() {
                match it {
                    Value::Array(inner) => out.extend(inner.iter().cloned()),
                    Value::Null => {}
                    v => out.push(v.clone()),
                }
                if out.len() > super::MAX_LIST {
                    return Err(bad("flatten would build a list of more than 1,000,000 values"));
                }
            }
            Ok(Value::array(out))
        }
        _ => Err(bad("flatten takes a list")),
    }
}
