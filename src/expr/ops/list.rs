//! List and object helpers for rule packs: `get(obj_or_list, key)`, `slice(list, start, end)`,
//! `index_of(list, x)`, `distinct(list)`, and `latest`/`earliest` (the latest or earliest of some dates,
//! nulls ignored).

use super::compare::{order, strict_eq};
use super::domain::date_arg;
use crate::expr::error::EvalError;
use crate::value::Value;

/// `get(obj, key)`: a member of an object by a computed key, or an element of a list by index; null when absent.
pub fn get(args: &[Value]) -> Result<Value, EvalError> {
    match args {
        [Value::Object(_) | Value::Null, Value::Null] => Ok(Value::Null),
        [o @ Value::Object(_), k] => Ok(o.get(&k.to_js_string()).cloned().unwrap_or(Value::Null)),
        [Value::Array(a), i] => Ok(i
            .as_i64()
            .and_then(|i| usize::try_from(i).ok())
            .and_then(|i| a.get(i))
            .cloned()
            .unwrap_or(Value::Null)),
        [Value::Null, _] => Ok(Value::Null),
        _ => Err(EvalError::invalid(
            "get takes an object and a key, or a list and an index",
        )),
    }
}

fn clamp_index(i: &Value, len: usize) -> Result<usize, EvalError> {
    let i = i
        .as_i64()
        .ok_or_else(|| EvalError::invalid("slice takes whole-number positions"))?;
    let len_i = i64::try_from(len).unwrap_or(i64::MAX);
    let i = if i < 0 { (len_i + i).max(0) } else { i.min(len_i) };
    Ok(usize::try_from(i).unwrap_or(0))
}

/// `slice(list, start[, end])`: elements from `start` up to (not including) `end`; negative counts from the end.
pub fn slice(args: &[Value]) -> Result<Value, EvalError> {
    let (list, start, end) = match args {
        [Value::Null, ..] => return Ok(Value::array(Vec::new())),
        [Value::Array(a), s] => (a, s, None),
        [Value::Array(a), s, e] => (a, s, Some(e)),
        _ => return Err(EvalError::invalid("slice takes a list, a start and an optional end")),
    };
    let from = clamp_index(start, list.len())?;
    let to = match end {
        Some(e) => clamp_index(e, list.len())?,
        None => list.len(),
    };
    Ok(Value::array(list.get(from..to.max(from)).unwrap_or_default().to_vec()))
}

/// `index_of(list, x)`: the first index of `x` (strict equality), or -1.
pub fn index_of(args: &[Value]) -> Result<Value, EvalError> {
    match args {
        [Value::Null, _] => Ok(Value::Int(-1)),
        [Value::Array(a), x] => Ok(Value::Int(
            a.iter()
                .position(|v| strict_eq(v, x).unwrap_or(false))
                .map_or(-1, |i| i64::try_from(i).unwrap_or(-1)),
        )),
        _ => Err(EvalError::invalid("index_of takes a list and a value")),
    }
}

/// `distinct(list)`: the list without repeated values (first occurrences kept, in order). Sorts by a
/// canonical text of each value, so it is O(n log n).
/// The most text `distinct` and `repeats` may write to compare a list's values (a list of large nested values
/// would otherwise cost far more than the one step per element the budget charges).
const MAX_KEY_BYTES: usize = crate::limits::MAX_DISTINCT_BYTES;

/// For each element, whether it is the first occurrence of its value (by type and content): O(n log n).
fn first_occurrences(a: &[Value], name: &str) -> Result<Vec<bool>, EvalError> {
    let mut total = 0usize;
    let mut keys: Vec<String> = Vec::with_capacity(a.len());
    for v in a {
        let k = match v {
            Value::Array(_) | Value::Object(_) => format!("{}:{}", v.type_name(), crate::json::write_value(v)),
            _ => format!("{}:{}", v.type_name(), v.to_js_string()),
        };
        total += k.len();
        if total > MAX_KEY_BYTES {
            return Err(EvalError::invalid(&format!(
                "{name}: the list's values are too large to compare (over 1 MiB of text)"
            )));
        }
        keys.push(k);
    }
    let mut ix: Vec<usize> = (0..a.len()).collect();
    crate::order::sort_positions(&mut ix, &|x, y| keys.get(x).cmp(&keys.get(y)).then(x.cmp(&y)));
    let mut first = vec![false; a.len()];
    let mut prev: Option<&String> = None;
    for i in ix {
        let k = keys.get(i);
        if k != prev {
            if let Some(slot) = first.get_mut(i) {
                *slot = true;
            }
        }
        prev = k;
    }
    Ok(first)
}

/// `distinct(list)`: the list without repeated values (the first of each kept, in order).
pub fn distinct(args: &[Value]) -> Result<Value, EvalError> {
    match args {
        [Value::Null] => Ok(Value::array(Vec::new())),
        [Value::Array(a)] => Ok(Value::array(
            a.iter()
                .zip(first_occurrences(a, "distinct")?)
                .filter(|(_, k)| *k)
                .map(|(v, _)| v.clone())
                .collect(),
        )),
        _ => Err(EvalError::invalid("distinct takes a list")),
    }
}

/// `repeats(list)`: for each element, whether an equal non-null element (same type and content) comes before
/// it — for the strings and numbers of invoice keys, the n log n form of
/// `map(list, (x, i) => x !== null and x in slice(list, 0, i))`.
pub fn repeats(args: &[Value]) -> Result<Value, EvalError> {
    match args {
        [Value::Null] => Ok(Value::array(Vec::new())),
        [Value::Array(a)] => Ok(Value::array(
            a.iter()
                .zip(first_occurrences(a, "repeats")?)
                .map(|(v, first)| Value::Bool(!matches!(v, Value::Null | Value::Malformed) && !first))
                .collect(),
        )),
        _ => Err(EvalError::invalid("repeats takes a list")),
    }
}

/// `latest(d1, d2, ...)` / `earliest(...)`: the latest or earliest date, ignoring nulls; null if all are null.
pub fn extreme_date(args: &[Value], latest: bool) -> Result<Value, EvalError> {
    let mut best: Option<i32> = None;
    for a in args {
        if let Some(d) = date_arg(a, if latest { "latest" } else { "earliest" })? {
            let better = match best {
                None => true,
                Some(b) => {
                    order(&Value::Date(d), &Value::Date(b))?
                        == Some(if latest {
                            std::cmp::Ordering::Greater
                        } else {
                            std::cmp::Ordering::Less
                        })
                }
            };
            if better {
                best = Some(d);
            }
        }
    }
    Ok(best.map_or(Value::Null, Value::Date))
}

#[cfg(test)]
mod repeats_tests {
    use super::*;
    use crate::json::{parse, write_value};

    fn run(list: &str) -> String {
        write_value(&repeats(&[Value::from_json(&parse(list).unwrap())]).unwrap())
    }

    #[test]
    fn marks_later_copies_only() {
        assert_eq!(
            run(r#"["a","b","a",null,null,"b","a",1,"1"]"#),
            "[false,false,true,false,false,true,true,false,false]"
        );
        assert_eq!(run("[]"), "[]");
        assert_eq!(run("null"), "[]");
        assert!(repeats(&[Value::Int(1)]).is_err());
    }
}
