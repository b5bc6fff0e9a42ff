//! JavaScript coercions as JSONLogic uses them, made strict where the community suites are: a string that
//! is not a number, an array or an object in arithmetic or ordering is a `NaN` error, not a silent NaN.

use crate::expr::error::EvalError;
use crate::value::Value;

/// A number as an exact integer or a float.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Num {
    I(i64),
    F(f64),
}

impl Num {
    pub fn f(self) -> f64 {
        match self {
            Num::I(i) => i as f64,
            Num::F(f) => f,
        }
    }

    pub fn into_value(self) -> Result<Value, EvalError> {
        match self {
            Num::I(i) => Ok(Value::Int(i)),
            Num::F(f) if f.is_nan() => Err(EvalError::NaN),
            Num::F(f) => Ok(Value::number(f)),
        }
    }
}

/// Parses a numeric string as JavaScript's `Number()` does for decimal text (`""` and blanks are 0).
pub fn parse_js_number(s: &str) -> Option<Num> {
    let t = s.trim();
    if t.is_empty() {
        return Some(Num::I(0));
    }
    if let Ok(i) = t.parse::<i64>() {
        return Some(Num::I(i));
    }
    let ok = t
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'));
    if !ok {
        return match t {
            "Infinity" | "+Infinity" => Some(Num::F(f64::INFINITY)),
            "-Infinity" => Some(Num::F(f64::NEG_INFINITY)),
            _ => None,
        };
    }
    crate::json::parse_decimal(t).map(Num::F)
}

/// JavaScript `Number(v)` for arithmetic: arrays, objects, dates and non-numeric strings are errors.
pub fn to_num(v: &Value) -> Result<Num, EvalError> {
    match v {
        Value::Null => Ok(Num::I(0)),
        Value::Bool(b) => Ok(Num::I(i64::from(*b))),
        Value::Int(i) => Ok(Num::I(*i)),
        Value::Float(f) if f.is_nan() => Err(EvalError::NaN),
        Value::Float(f) => Ok(Num::F(*f)),
        Value::Str(s) => parse_js_number(s).ok_or(EvalError::NaN),
        Value::Array(_) | Value::Object(_) | Value::Date(_) => Err(EvalError::NaN),
        Value::Malformed => Err(EvalError::Malformed),
    }
}
