//! A JSON tree edited by field path within the claim limits, for form sessions (the checker's and the
//! finder's): a path has at most [`MAX_PATH_SEGMENTS`] segments and [`MAX_PATH_BYTES`] bytes, the path plus
//! the value's own nesting fit [`MAX_CLAIM_DEPTH`], and the whole tree stays within [`MAX_CLAIM_VALUES`]
//! values and [`MAX_CLAIM_BYTES`] bytes (string and key bytes plus one per value, a lower bound of its JSON
//! text), kept as running totals so an edit costs the size of what it adds and removes, not of the claim.
//! An edit that would break a limit is refused before anything changes. Because the depth is bounded, no
//! walk over the tree (checking it, printing it, dropping it) recurses deeper than the limit.
//!
//! What it does not do: decode the claim (that is [`super::decode`], on every check).

use crate::json::{self, JsonKind, JsonNode, ParseOptions};
use crate::limits::{MAX_CLAIM_BYTES, MAX_CLAIM_DEPTH, MAX_CLAIM_VALUES, MAX_PATH_BYTES, MAX_PATH_SEGMENTS};

use super::edit::{parse_path, set_path, unset_path, Step};

/// Values and bytes of a tree (see the module docs for what a byte is here).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Size {
    pub values: usize,
    pub bytes: usize,
}

impl Size {
    /// The size of a tree (iterative: no recursion whatever the depth).
    pub fn of(node: &JsonNode) -> Size {
        let mut s = Size::default();
        let mut stack = vec![node];
        while let Some(n) = stack.pop() {
            s.values += 1;
            s.bytes += 1;
            match &n.kind {
                JsonKind::Str(t) => s.bytes += t.len(),
                JsonKind::Array(items) => stack.extend(items.iter()),
                JsonKind::Object(members) => {
                    for (k, _, v) in members {
                        s.bytes += k.len();
                        stack.push(v);
                    }
                }
                _ => {}
            }
        }
        s
    }
}

/// Why an edit was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditError {
    /// A bad path, a value that is not JSON, a path through something that is not an object or list.
    Invalid(String),
    /// The tree would be larger than the claim limits (code `claim.too_large`).
    TooLarge(String),
}

impl EditError {
    /// The stable code (as in JavaScript's `PreclaimError.code`).
    pub fn code(&self) -> &'static str {
        match self {
            EditError::Invalid(_) => "argument",
            EditError::TooLarge(_) => "claim.too_large",
        }
    }

    /// The message.
    pub fn message(&self) -> &str {
        match self {
            EditError::Invalid(m) | EditError::TooLarge(m) => m,
        }
    }
}

impl std::fmt::Display for EditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::echo::echo(self.message()))
    }
}

impl From<String> for EditError {
    fn from(m: String) -> EditError {
        EditError::Invalid(m)
    }
}

/// A JSON tree being edited, with its running size.
#[derive(Debug, Clone)]
pub struct BoundedTree {
    root: JsonNode,
    size: Size,
}

/// Checks a path against the path limits, then parses it.
fn steps(path: &str) -> Result<Vec<Step>, String> {
    if path.len() > MAX_PATH_BYTES {
        return Err(format!(
            "the path is {} bytes long; a field path has at most {MAX_PATH_BYTES}",
            path.len()
        ));
    }
    let steps = parse_path(path)?;
    if steps.len() > MAX_PATH_SEGMENTS {
        return Err(format!(
            "the path has {} segments; a field path has at most {MAX_PATH_SEGMENTS} (claims nest at most {MAX_CLAIM_DEPTH} levels)",
            steps.len()
        ));
    }
    Ok(steps)
}

impl BoundedTree {
    /// A tree from a parsed document (parsed with the claim limits: [`crate::check::CLAIM_JSON`]); refused
    /// when larger than the limits.
    pub fn new(root: JsonNode) -> Result<BoundedTree, EditError> {
        let size = Size::of(&root);
        let t = BoundedTree { root, size };
        t.within(size)?;
        Ok(t)
    }

    /// The tree.
    pub fn root(&self) -> &JsonNode {
        &self.root
    }

    /// Its size.
    pub fn size(&self) -> Size {
        self.size
    }

    fn within(&self, s: Size) -> Result<(), EditError> {
        if s.values > MAX_CLAIM_VALUES {
            return Err(EditError::TooLarge(format!(
                "the claim would have {} values; a claim has at most {MAX_CLAIM_VALUES}",
                s.values
            )));
        }
        if s.bytes > MAX_CLAIM_BYTES {
            return Err(EditError::TooLarge(format!(
                "the claim would hold more than {MAX_CLAIM_BYTES} bytes of text"
            )));
        }
        Ok(())
    }

    /// Sets the field at `path` to the JSON text `value` (parsed with `opts`, whose depth and value limits
    /// are narrowed to what the path leaves), creating what is missing on the way. Nothing changes on error.
    pub fn set(&mut self, path: &str, value: &str, opts: ParseOptions) -> Result<(), EditError> {
        let steps = steps(path)?;
        if value.len() > MAX_CLAIM_BYTES {
            return Err(EditError::TooLarge(format!(
                "the value is larger than {MAX_CLAIM_BYTES} bytes"
            )));
        }
        let opts = ParseOptions {
            max_depth: opts.max_depth.min(MAX_CLAIM_DEPTH.saturating_sub(steps.len())),
            max_values: opts.max_values.min(MAX_CLAIM_VALUES),
            ..opts
        };
        let v = json::parse_with(value, opts).map_err(|e| {
            if e.limit {
                EditError::TooLarge(format!("value: {}", e.message))
            } else if e.message.starts_with("nesting deeper") {
                EditError::Invalid(format!(
                    "value: {} (a value at a path of {} segments may nest {} levels: claims nest at most {MAX_CLAIM_DEPTH})",
                    e.describe(value),
                    steps.len(),
                    opts.max_depth
                ))
            } else {
                EditError::Invalid(format!("value: {}", e.describe(value)))
            }
        })?;
        let (created, old) = plan(&self.root, &steps, path)?;
        let add = Size::of(&v);
        let new = Size {
            values: self.size.values - old.values + add.values + created.values,
            bytes: self.size.bytes - old.bytes + add.bytes + created.bytes,
        };
        self.within(new)?;
        set_path(&mut self.root, path, v)?;
        self.size = new;
        Ok(())
    }

    /// Removes the field at `path` (absent is fine).
    pub fn unset(&mut self, path: &str) -> Result<(), EditError> {
        let steps = steps(path)?;
        let removed = match find(&self.root, &steps) {
            Some(n) => {
                let s = Size::of(n);
                let key = match steps.last() {
                    Some(Step::Key(k)) => k.len(),
                    _ => 0,
                };
                Size {
                    values: s.values,
                    bytes: s.bytes + key,
                }
            }
            None => Size::default(),
        };
        unset_path(&mut self.root, path)?;
        self.size = Size {
            values: self.size.values.saturating_sub(removed.values),
            bytes: self.size.bytes.saturating_sub(removed.bytes),
        };
        Ok(())
    }
}

/// The node at `steps`, if there is one.
fn find<'a>(root: &'a JsonNode, steps: &[Step]) -> Option<&'a JsonNode> {
    let mut cur = root;
    for s in steps {
        cur = match (s, &cur.kind) {
            (Step::Key(k), JsonKind::Object(m)) => m.iter().find(|(n, _, _)| **n == **k).map(|(_, _, v)| v)?,
            (Step::Index(i), JsonKind::Array(a)) => a.get(*i)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// What setting `steps` adds besides the value (members and list entries created on the way, keys of new
/// members) and the size of the value it replaces, or why the path cannot be set (as [`set_path`] would
/// say, before it changes anything).
fn plan(root: &JsonNode, steps: &[Step], path: &str) -> Result<(Size, Size), String> {
    let mut created = Size::default();
    let mut cur = Some(root);
    for (i, step) in steps.iter().enumerate() {
        let last = i + 1 == steps.len();
        let next = match (step, cur.map(|n| &n.kind)) {
            // A missing node (or a null one, which becomes a container of the right kind) has no children.
            (_, None | Some(JsonKind::Null)) => {
                if let Step::Index(n) = step {
                    if *n != 0 {
                        return Err(format!("`{path}`: index {n} is past the end of a list of 0"));
                    }
                }
                None
            }
            (Step::Key(k), Some(JsonKind::Object(m))) => m.iter().find(|(n, _, _)| **n == **k).map(|(_, _, v)| v),
            (Step::Index(n), Some(JsonKind::Array(a))) => {
                if *n > a.len() {
                    return Err(format!("`{path}`: index {n} is past the end of a list of {}", a.len()));
                }
                a.get(*n)
            }
            (Step::Key(k), Some(_)) => {
                return Err(format!(
                    "`{path}`: cannot set `{k}` inside something that is not an object"
                ))
            }
            (Step::Index(n), Some(_)) => {
                return Err(format!(
                    "`{path}`: cannot set [{n}] inside something that is not a list"
                ))
            }
        };
        if next.is_none() {
            if let Step::Key(k) = step {
                created.bytes += k.len();
            }
            if !last {
                created.values += 1;
                created.bytes += 1;
            }
        }
        cur = next;
    }
    Ok((created, cur.map(Size::of).unwrap_or_default()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::CLAIM_JSON;
    use crate::json::parse;

    fn tree(text: &str) -> BoundedTree {
        BoundedTree::new(parse(text).unwrap()).unwrap()
    }

    #[test]
    fn running_size_matches_a_fresh_count() {
        let mut t = tree(r#"{"invoices":[{"total":"1.00"}]}"#);
        let edits: &[(&str, Option<&str>)] = &[
            ("invoices[0].total", Some(r#""2.50""#)),
            ("invoices[1].items[0].amount", Some("3")),
            ("policy.product", Some(r#""P-MED""#)),
            ("policy", Some("null")),
            ("policy.x.y[0]", Some(r#"{"a":[1,2,"xyz"]}"#)),
            ("invoices[0]", None),
            ("policy.x", None),
            ("nothing.here", None),
        ];
        for (path, v) in edits {
            match v {
                Some(v) => t.set(path, v, CLAIM_JSON).unwrap(),
                None => t.unset(path).unwrap(),
            }
            assert_eq!(t.size(), Size::of(t.root()), "after {path}");
        }
    }

    /// Nesting of a tree (iterative).
    fn depth(n: &JsonNode) -> usize {
        let mut max = 0;
        let mut stack = vec![(n, 0)];
        while let Some((n, d)) = stack.pop() {
            match &n.kind {
                JsonKind::Array(a) => stack.extend(a.iter().map(|c| (c, d + 1))),
                JsonKind::Object(m) => stack.extend(m.iter().map(|(_, _, c)| (c, d + 1))),
                _ => max = max.max(d),
            }
            max = max.max(d);
        }
        max
    }

    #[test]
    fn random_edits_keep_the_running_size_exact_and_the_depth_bounded() {
        // A fixed-seed walk of 5,000 edits over paths and values that overlap (replacing, appending,
        // turning values into containers, deep paths, refused edits).
        let keys = ["a", "b", "items[0]", "items[1]", "x.y", "x[0]", "d.d.d.d.d.d.d.d"];
        let values = [
            "1",
            "null",
            "\"text\"",
            "{}",
            "[]",
            "[1,[2,[3]]]",
            r#"{"k":{"k":[null,"v"]}}"#,
        ];
        let mut t = tree(r#"{"a":{"b":[1,2]}}"#);
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..5000 {
            let len = 1 + next(12);
            let path: Vec<&str> = (0..len).map(|_| keys[next(keys.len())]).collect();
            let path = path.join(".");
            let before = t.root().clone();
            let r = if next(5) == 0 {
                t.unset(&path)
            } else {
                t.set(&path, values[next(values.len())], CLAIM_JSON)
            };
            if r.is_err() {
                assert_eq!(t.root(), &before, "a refused edit changed the tree: {path}");
            }
            assert_eq!(t.size(), Size::of(t.root()), "after {path}");
            assert!(depth(t.root()) <= MAX_CLAIM_DEPTH);
        }
    }

    #[test]
    fn refused_edits_change_nothing() {
        let mut t = tree(r#"{"a":{"b":[1]}}"#);
        let before = t.root().clone();
        assert!(t.set("x.y[3]", "1", CLAIM_JSON).is_err());
        assert!(t.set("a.b[2]", "1", CLAIM_JSON).is_err());
        assert!(t.set("a.b[0].c", "1", CLAIM_JSON).is_err());
        let deep = vec!["k"; 65].join(".");
        assert!(t
            .set(&deep, "1", CLAIM_JSON)
            .unwrap_err()
            .message()
            .contains("at most 64"));
        assert!(t
            .set(&"k".repeat(5000), "1", CLAIM_JSON)
            .unwrap_err()
            .message()
            .contains("bytes long"));
        let path63 = vec!["k"; 63].join(".");
        assert!(t.set(&path63, "[[1]]", CLAIM_JSON).is_err());
        assert_eq!(t.root(), &before);
        t.set(&path63, "[1]", CLAIM_JSON).unwrap();
        assert_eq!(t.size(), Size::of(t.root()));
    }
}
