//! String operators: `cat`, `substr` (character-based, negative start and length as in JSONLogic), `in`
//! (substring or array membership), `lower`, `upper` (ASCII letters only: codes and identifiers, not prose),
//! `trim`, `len`.

use crate::expr::error::EvalError;
use crate::value::Value;

use super::coerce::to_num;
use super::compare::strict_eq;

/// The longest text an expression may build (1 MiB): rules read claims, they do not write books.
pub const MAX_TEXT: usize = crate::limits::MAX_TEXT_BYTES;

pub fn cat(args: &[Value]) -> Result<Value, EvalError> {
    let mut s = String::new();
    for v in args {
        if !v.is_null() {
            s.push_str(&v.to_js_string());
        }
        if s.len() > MAX_TEXT {
            return Err(EvalError::invalid("cat would build a text longer than 1 MiB"));
        }
    }
    Ok(Value::str(&s))
}

fn int_arg(v: &Value) -> Result<i64, EvalError> {
    let n = to_num(v).map_err(|_| EvalError::invalid("substr takes whole-number positions"))?;
    let f = n.f();
    if f.is_finite() {
        Ok(f.trunc() as i64)
    } else {
        Err(EvalError::invalid("substr takes whole-number positions"))
    }
}

pub fn substr(args: &[Value]) -> Result<Value, EvalError> {
    let (src, start, len) = match args {
        [s] => (s, 0, None),
        [s, st] => (s, int_arg(st)?, None),
        [s, st, l, ..] => (s, int_arg(st)?, Some(int_arg(l)?)),
        [] => return Err(EvalError::invalid("substr takes a string")),
    };
    let text = src.to_js_string();
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len() as i64;
    let from = if start < 0 { (n + start).max(0) } else { start.min(n) };
    let to = match len {
        None => n,
        Some(l) if l < 0 => (n + l).max(from),
        Some(l) => from.saturating_add(l).min(n),
    };
    let out: String = chars
        .get(from as usize..to.max(from) as usize)
        .unwrap_or_default()
        .iter()
        .collect();
    Ok(Value::str(&out))
}

pub fn contains(args: &[Value]) -> Result<Value, EvalError> {
    match args {
        [needle, Value::Str(hay)] => Ok(Value::Bool(hay.contains(&*needle.to_js_string()))),
        [needle, Value::Array(items)] => {
            for it in items.iter() {
                if strict_eq(needle, it).unwrap_or(false) {
                    return Ok(Value::Bool(true));
                }
            }
            Ok(Value::Bool(false))
        }
        [_, _] => Ok(Value::Bool(false)),
        _ => Err(EvalError::invalid("in takes a value and a string or list")),
    }
}

pub fn lower(args: &[Value]) -> Result<Value, EvalError> {
    match args {
        [v] => Ok(Value::str(&v.to_js_string().to_ascii_lowercase())),
        _ => Err(EvalError::invalid("lower takes one string")),
    }
}

pub fn upper(args: &[Value]) -> Result<Value, EvalError> {
    match args {
        [v] => Ok(Value::str(&v.to_js_string().to_ascii_uppercase())),
        _ => Err(EvalError::invalid("upper takes one string")),
    }
}

/// `trim(s)`: the text without white space at either end (Unicode white space, so a full-width space
/// typed with a Chinese input method counts too); `null` for `null`. For "blank counts as missing":
/// `trim(payee.bank_card ?? '') == ''`.
pub fn trim(args: &[Value]) -> Result<Value, EvalError> {
    match args {
        [Value::Null] => Ok(Value::Null),
        [Value::Str(s)] => Ok(Value::str(s.trim())),
        _ => Err(EvalError::invalid("trim takes one string")),
    }
}

/// Length of a string (in characters) or a list.
pub fn len(args: &[Value]) -> Result<Value, EvalError> {
    match args {
        [Value::Str(s)] => Ok(Value::Int(s.chars().count() as i64)),
        [Value::Array(a)] => Ok(Value::Int(a.len() as i64)),
        [Value::Null] => Ok(Value::Int(0)),
        _ => Err(EvalError::invalid("len takes one string or list")),
    }
}
