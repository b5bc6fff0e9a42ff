//! Editing a claim's JSON tree by field path (`invoices[0].items[2].amount`), for form sessions: set a
//! value (creating a missing object member, appending when the index equals the list's length) or remove
//! one. Paths use the same form as finding `fields`.

use std::sync::Arc;

use crate::json::{JsonKind, JsonNode};

/// One segment of a field path.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// Parses `a.b[0].c` into steps.
pub fn parse_path(path: &str) -> Result<Vec<Step>, String> {
    let mut steps = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(i) => (part.get(..i).unwrap_or(""), part.get(i..).unwrap_or("")),
            None => (part, ""),
        };
        if key.is_empty() && (steps.is_empty() || rest.is_empty()) {
            return Err(format!("`{path}` is not a field path like invoices[0].total"));
        }
        if !key.is_empty() {
            steps.push(Step::Key(key.to_string()));
        }
        while let Some(r) = rest.strip_prefix('[') {
            let close = r.find(']').ok_or_else(|| format!("unclosed `[` in `{path}`"))?;
            let n = r
                .get(..close)
                .unwrap_or("")
                .parse::<usize>()
                .map_err(|_| format!("bad index in `{path}`"))?;
            steps.push(Step::Index(n));
            rest = r.get(close + 1..).unwrap_or("");
        }
        if !rest.is_empty() {
            return Err(format!("`{path}` is not a field path like invoices[0].total"));
        }
    }
    Ok(steps)
}

fn empty_for(next: Option<&Step>, pos: u32) -> JsonNode {
    let kind = match next {
        Some(Step::Index(_)) => JsonKind::Array(Vec::new()),
        _ => JsonKind::Object(Vec::new()),
    };
    JsonNode { kind, pos }
}

/// Sets the value at `path`, creating what is missing on the way.
pub fn set_path(root: &mut JsonNode, path: &str, value: JsonNode) -> Result<(), String> {
    let steps = parse_path(path)?;
    let mut cur = root;
    for (i, step) in steps.iter().enumerate() {
        let last = i + 1 == steps.len();
        let next = steps.get(i + 1);
        let pos = cur.pos;
        if matches!(cur.kind, JsonKind::Null) {
            *cur = empty_for(Some(step), pos);
        }
        cur = match (step, &mut cur.kind) {
            (Step::Key(k), JsonKind::Object(members)) => {
                let ix = match members.iter().position(|(name, _, _)| **name == **k) {
                    Some(ix) => ix,
                    None => {
                        members.push((Arc::from(k.as_str()), pos, empty_for(next, pos)));
                        members.len() - 1
                    }
                };
                match members.get_mut(ix) {
                    Some((_, _, v)) => v,
                    None => return Err(format!("cannot set `{path}`")),
                }
            }
            (Step::Index(n), JsonKind::Array(items)) => {
                let len = items.len();
                if *n == len {
                    items.push(empty_for(next, pos));
                }
                match items.get_mut(*n) {
                    Some(v) => v,
                    None => return Err(format!("`{path}`: index {n} is past the end of a list of {len}")),
                }
            }
            (Step::Key(k), _) => {
                return Err(format!(
                    "`{path}`: cannot set `{k}` inside something that is not an object"
                ))
            }
            (Step::Index(n), _) => {
                return Err(format!(
                    "`{path}`: cannot set [{n}] inside something that is not a list"
                ))
            }
        };
        if last {
            *cur = value;
            return Ok(());
        }
    }
    Err(format!("`{path}` is empty"))
}

/// Removes the value at `path` (an object member, or a list element, shifting the rest); absent is fine.
pub fn unset_path(root: &mut JsonNode, path: &str) -> Result<(), String> {
    let steps = parse_path(path)?;
    let Some((last, init)) = steps.split_last() else {
        return Ok(());
    };
    let mut cur = root;
    for step in init {
        let next = match (step, &mut cur.kind) {
            (Step::Key(k), JsonKind::Object(m)) => m.iter_mut().find(|(n, _, _)| **n == **k).map(|(_, _, v)| v),
            (Step::Index(i), JsonKind::Array(a)) => a.get_mut(*i),
            _ => None,
        };
        match next {
            Some(n) => cur = n,
            None => return Ok(()),
        }
    }
    match (last, &mut cur.kind) {
        (Step::Key(k), JsonKind::Object(m)) => m.retain(|(n, _, _)| **n != **k),
        (Step::Index(i), JsonKind::Array(a)) if *i < a.len() => {
            a.remove(*i);
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::{parse, write_value};
    use crate::value::Value;

    fn text(n: &JsonNode) -> String {
        write_value(&Value::from_json(n))
    }

    #[test]
    fn sets_and_creates() {
        let mut c = parse(r#"{"invoices":[{"total":"1.00"}]}"#).unwrap();
        set_path(&mut c, "invoices[0].total", parse(r#""2.50""#).unwrap()).unwrap();
        set_path(&mut c, "invoices[1].items[0].amount", parse("3").unwrap()).unwrap();
        set_path(&mut c, "policy.product", parse(r#""P-MED""#).unwrap()).unwrap();
        assert_eq!(
            text(&c),
            r#"{"invoices":[{"total":"2.50"},{"items":[{"amount":3}]}],"policy":{"product":"P-MED"}}"#
        );
        assert!(set_path(&mut c, "invoices[5].total", parse("1").unwrap()).is_err());
        assert!(set_path(&mut c, "policy.product.x", parse("1").unwrap()).is_err());
        assert!(set_path(&mut c, "a..b", parse("1").unwrap()).is_err());
        unset_path(&mut c, "invoices[0]").unwrap();
        unset_path(&mut c, "policy.product").unwrap();
        unset_path(&mut c, "nothing.here").unwrap();
        assert_eq!(text(&c), r#"{"invoices":[{"items":[{"amount":3}]}],"policy":{}}"#);
    }
}
