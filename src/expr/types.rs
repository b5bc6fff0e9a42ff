//! Static types for compile-time checks: the shape of the data a rule reads (the claim@1 schema, a pack's
//! parameters and derived values). A `Record` is closed: reading a field it does not have is a compile
//! error that names the field and suggests the nearest one. `Any` accepts every path (plain JSONLogic).

use std::sync::Arc;

/// A static type.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    Any,
    Null,
    Bool,
    Num,
    /// An amount of money in integer fen.
    Money,
    Str,
    Date,
    Array(Arc<Ty>),
    Record(Arc<Vec<(String, Ty)>>),
}

impl Ty {
    pub fn record(fields: Vec<(&str, Ty)>) -> Ty {
        Ty::Record(Arc::new(fields.into_iter().map(|(k, t)| (k.to_string(), t)).collect()))
    }

    pub fn array(t: Ty) -> Ty {
        Ty::Array(Arc::new(t))
    }

    /// The type of a path step: a record field, or an array element for a numeric step.
    pub fn step(&self, seg: &str) -> Result<Ty, String> {
        match self {
            Ty::Any => Ok(Ty::Any),
            Ty::Record(fields) => match fields.iter().find(|(k, _)| k == seg) {
                Some((_, t)) => Ok(t.clone()),
                None => Err(match nearest(seg, fields.iter().map(|(k, _)| k.as_str())) {
                    Some(s) => format!("unknown field `{seg}`; did you mean `{s}`?"),
                    None => format!("unknown field `{seg}`"),
                }),
            },
            Ty::Array(elem) => {
                if seg.parse::<usize>().is_ok() {
                    Ok((**elem).clone())
                } else {
                    Err(format!("`{seg}` is not an index of a list"))
                }
            }
            other => Err(format!("cannot read `{seg}` of a {}", other.name())),
        }
    }

    /// The position of field `seg` in a record type (`None` for other types).
    pub fn field_index(&self, seg: &str) -> Option<u32> {
        match self {
            Ty::Record(fields) => fields
                .iter()
                .position(|(k, _)| k == seg)
                .and_then(|i| u32::try_from(i).ok()),
            _ => None,
        }
    }

    /// The element type when iterating.
    pub fn elem(&self) -> Ty {
        match self {
            Ty::Array(e) => (**e).clone(),
            _ => Ty::Any,
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Ty::Any => "value",
            Ty::Null => "null",
            Ty::Bool => "boolean",
            Ty::Num => "number",
            Ty::Money => "money amount",
            Ty::Str => "string",
            Ty::Date => "date",
            Ty::Array(_) => "list",
            Ty::Record(_) => "object",
        }
    }

    /// The type of a literal value.
    pub fn of(v: &crate::value::Value) -> Ty {
        use crate::value::Value;
        match v {
            Value::Null | Value::Malformed => Ty::Null,
            Value::Bool(_) => Ty::Bool,
            Value::Int(_) | Value::Float(_) => Ty::Num,
            Value::Str(_) => Ty::Str,
            Value::Date(_) => Ty::Date,
            Value::Array(a) => Ty::array(a.first().map(Ty::of).unwrap_or(Ty::Any)),
            Value::Object(m) => Ty::Record(Arc::new(m.iter().map(|(k, v)| (k.to_string(), Ty::of(v))).collect())),
        }
    }
}

/// The candidate closest to `word` by edit distance, if it is close enough to be a likely typo.
pub fn nearest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = edit_distance(word, c);
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    let limit = (word.chars().count() / 3).max(2);
    best.filter(|(d, _)| *d <= limit).map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = Vec::with_capacity(b.len() + 1);
        cur.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != *cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            cur.push(sub.min(del).min(ins));
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_nearest_field() {
        let t = Ty::record(vec![("effective_on", Ty::Date), ("expires_on", Ty::Date)]);
        assert_eq!(
            t.step("efective_on").unwrap_err(),
            "unknown field `efective_on`; did you mean `effective_on`?"
        );
        assert_eq!(t.step("zzz").unwrap_err(), "unknown field `zzz`");
        assert_eq!(t.step("expires_on").unwrap(), Ty::Date);
    }
}
