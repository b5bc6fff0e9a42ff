//! Equality and ordering, following JavaScript's `==`, `===` and `<` but strict where the community suites
//! are: comparing an array or object, or a number with a non-numeric string, is a `NaN` error. Dates compare
//! as days, and with strings through their `YYYY-MM-DD` form.

use std::cmp::Ordering;

use super::coerce::{parse_js_number, to_num};
use crate::domain::date::format_date;
use crate::expr::error::EvalError;
use crate::value::Value;

fn num_order(a: f64, b: f64) -> Option<Ordering> {
    a.partial_cmp(&b)
}

/// The order of two values, `None` when unordered (NaN).
pub fn order(a: &Value, b: &Value) -> Result<Option<Ordering>, EvalError> {
    use Value::*;
    Ok(match (a, b) {
        (Array(_) | Object(_), _) | (_, Array(_) | Object(_)) => return Err(EvalError::NaN),
        (Str(x), Str(y)) => Some(x.cmp(y)),
        (Date(x), Date(y)) => Some(x.cmp(y)),
        (Date(x), Str(y)) => Some(format_date(*x).as_str().cmp(y)),
        (Str(x), Date(y)) => Some((**x).cmp(format_date(*y).as_str())),
        (Date(_), _) | (_, Date(_)) => return Err(EvalError::NaN),
        (Int(x), Int(y)) => Some(x.cmp(y)),
        _ => num_order(to_num(a)?.f(), to_num(b)?.f()),
    })
}

/// `a < b` (or `<=` when `or_equal`).
pub fn less(a: &Value, b: &Value, or_equal: bool) -> Result<bool, EvalError> {
    Ok(match order(a, b)? {
        Some(Ordering::Less) => true,
        Some(Ordering::Equal) => or_equal,
        _ => false,
    })
}

/// JavaScript's loose equality `==`.
pub fn loose_eq(a: &Value, b: &Value) -> Result<bool, EvalError> {
    use Value::*;
    Ok(match (a, b) {
        (Array(_) | Object(_), _) | (_, Array(_) | Object(_)) => return Err(EvalError::NaN),
        (Null, Null) => true,
        // The suites compare null with numbers as 0 (`null == 0`); with text or dates it is simply unequal.
        (Null, Date(_) | Str(_)) | (Date(_) | Str(_), Null) => false,
        (Str(x), Str(y)) => x == y,
        (Bool(x), Bool(y)) => x == y,
        (Date(x), Date(y)) => x == y,
        (Date(x), Str(y)) | (Str(y), Date(x)) => format_date(*x) == **y,
        (Date(_), _) | (_, Date(_)) => false,
        (Int(x), Int(y)) => x == y,
        (Str(s), other) | (other, Str(s)) => {
            let n = parse_js_number(s).ok_or(EvalError::NaN)?;
            n.f() == to_num(other)?.f()
        }
        _ => to_num(a)?.f() == to_num(b)?.f(),
    })
}

/// Strict equality `===`: same type and value; lists and objects compare by content (JavaScript would
/// compare references, which rules cannot hold), and are never equal to a scalar or null.
pub fn strict_eq(a: &Value, b: &Value) -> Result<bool, EvalError> {
    use Value::*;
    Ok(match (a, b) {
        (Array(_), Array(_)) | (Object(_), Object(_)) => a == b,
        (Array(_) | Object(_), _) | (_, Array(_) | Object(_)) => false,
        (Null, Null) => true,
        (Bool(x), Bool(y)) => x == y,
        (Str(x), Str(y)) => x == y,
        (Date(x), Date(y)) => x == y,
        (Int(x), Int(y)) => x == y,
        (Int(_) | Float(_), Int(_) | Float(_)) => a.as_f64() == b.as_f64(),
        _ => false,
    })
}
