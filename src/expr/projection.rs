//! What of its data an expression can reach, by member name: the JSONLogic API parses only that
//! ([`crate::json::parse_value_projected`]) and skips the rest of the text (checked, not built).
//!
//! Every value an expression takes from its data is the end of a fixed path (`var`, `val`, `missing`); an
//! iteration's items are elements of such a value. So a member whose key ends a path is kept whole; one whose
//! key is only a step on the way is walked through (an object keeps only the members named by some step); a
//! member no step names is never reached. Names are matched wherever they occur, so the projection
//! over-approximates, never under-approximates. `None` when the expression can reach anything: a computed
//! path, `exists`, the whole root (`{"var": ""}`), a slot, or a numeric step (array elements are reached by
//! position, not name).

use std::sync::Arc;

use super::program::{Expr, Ir, Seg};
use crate::value::Value;

/// The member names an expression reaches.
#[derive(Debug, Clone, PartialEq)]
pub struct Projection {
    /// Every name a path step gives, sorted by [`crate::json::key_order`], one string per text (the compiled paths' own, so the
    /// parsed data matches them by pointer).
    pub keys: Vec<Arc<str>>,
    /// Per key: whether some path ends there (its value is read whole).
    pub whole: Vec<bool>,
}

impl Expr {
    /// The names this expression reaches, or `None` when it can reach anything.
    pub fn projection(&self) -> Option<Projection> {
        let mut steps = Vec::new();
        collect(&self.ir, 0, &mut steps)?;
        // The table sorted as [`Expr::path_keys`] sorts (one string per text: of a name given by a compiled
        // path and by `missing`, either string), then each key marked whole if some path ends there.
        let mut keys: Vec<Arc<str>> = steps.iter().map(|(k, _)| k.clone()).collect();
        keys.sort_unstable_by(|a, b| crate::json::key_order(a, b));
        keys.dedup_by(|a, b| **a == **b);
        let mut whole = vec![false; keys.len()];
        for (k, w) in steps {
            if let Some(x) = keys
                .binary_search_by(|t| crate::json::key_order(t, &k))
                .ok()
                .and_then(|i| whole.get_mut(i))
            {
                *x |= w;
            }
        }
        Some(Projection { keys, whole })
    }
}

/// Adds the steps of a fixed path; `None` for a numeric step.
fn path(segs: &[Seg], out: &mut Vec<(Arc<str>, bool)>) -> Option<()> {
    for (i, s) in segs.iter().enumerate() {
        if s.index.is_some() {
            return None;
        }
        out.push((s.key.clone(), i + 1 == segs.len()));
    }
    Some(())
}

/// Adds the steps of the dotted keys `missing` checks (constant strings only).
fn keys(v: &Value, out: &mut Vec<(Arc<str>, bool)>) -> Option<()> {
    match v {
        Value::Str(s) if !s.is_empty() => {
            let parts: Vec<&str> = s.split('.').collect();
            for (i, p) in parts.iter().enumerate() {
                if p.parse::<usize>().is_ok() {
                    return None;
                }
                out.push((Arc::from(*p), i + 1 == parts.len()));
            }
            Some(())
        }
        Value::Array(items) => items.iter().try_for_each(|k| match k {
            Value::Str(_) => keys(k, out),
            _ => None,
        }),
        _ => None,
    }
}

/// `frames`: the scope frames certainly pushed above the root where `ir` runs (two per iteration level); a
/// path climbing that many or more reads the root (the frames `try` may push are not counted: a path there
/// counts as reading the root, an over-approximation).
fn collect(ir: &Ir, frames: u32, out: &mut Vec<(Arc<str>, bool)>) -> Option<()> {
    let all = |items: &[Ir], out: &mut Vec<(Arc<str>, bool)>| items.iter().try_for_each(|i| collect(i, frames, out));
    match ir {
        Ir::Const(_) | Ir::Fail(_) => Some(()),
        Ir::Path { up, path: p, default } => {
            if p.is_empty() && *up >= frames {
                return None;
            }
            path(p, out)?;
            default.as_ref().map_or(Some(()), |d| collect(d, frames, out))
        }
        Ir::VarDyn { .. } | Ir::ValDyn { .. } | Ir::Exists { .. } | Ir::Slot { .. } => None,
        Ir::Missing(args) => args.iter().try_for_each(|a| match a {
            Ir::Const(v) => keys(v, out),
            _ => None,
        }),
        Ir::MissingSome(min, list) => match &**list {
            Ir::Const(v @ Value::Array(_)) => {
                keys(v, out)?;
                collect(min, frames, out)
            }
            _ => None,
        },
        Ir::List(a)
        | Ir::Call(_, a)
        | Ir::If(a)
        | Ir::And(a)
        | Ir::Or(a)
        | Ir::Coalesce(a)
        | Ir::Cmp(_, a)
        | Ir::Try(a) => all(a, out),
        Ir::CallSpread(_, a) | Ir::Regex { subject: a, .. } => collect(a, frames, out),
        Ir::Iter { src, body, .. } => {
            collect(src, frames, out)?;
            collect(body, frames.saturating_add(2), out)
        }
        Ir::Reduce { src, body, init } => {
            collect(src, frames, out)?;
            collect(init, frames, out)?;
            collect(body, frames.saturating_add(2), out)
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::expr::{compile, jsonlogic, OpenEnv};

    fn projection(rule: &str) -> Option<Vec<(String, bool)>> {
        let e = compile(&jsonlogic::parse_text(rule).unwrap(), &OpenEnv).unwrap();
        e.projection()
            .map(|p| p.keys.iter().map(|k| k.to_string()).zip(p.whole).collect())
    }

    #[test]
    fn path_ends_are_whole_and_steps_walked_through() {
        let p = projection(
            r#"[{"var": "policy.status"}, {"reduce": [{"var": "invoices"}, {"+": [{"var": "accumulator"},
            {"var": "current.amount"}]}, 0]}, {"missing": ["claimant.name", "policy.number"]},
            {"some": [{"var": "codes"}, {"==": [{"var": ""}, "X"]}]}]"#,
        );
        let want = [
            ("name", true),
            ("codes", true),
            ("amount", true),
            ("number", true),
            ("policy", false),
            ("status", true),
            ("current", false),
            ("claimant", false),
            ("invoices", true),
            ("accumulator", true),
        ];
        assert_eq!(
            p,
            Some(want.iter().map(|(k, w)| (k.to_string(), *w)).collect::<Vec<_>>())
        );
    }

    #[test]
    fn what_can_reach_anything_has_none() {
        for rule in [
            r#"{"var": ""}"#,
            r#"{"var": {"cat": ["a", "b"]}}"#,
            r#"{"var": "items.0.amount"}"#,
            r#"{"missing": {"var": "keys"}}"#,
            r#"{"exists": "a"}"#,
            r#"{"var": ["", 1]}"#,
        ] {
            assert_eq!(projection(rule), None, "{rule}");
        }
        // The item of an iteration is not the root.
        assert!(projection(r#"{"map": [{"var": "xs"}, {"var": ""}]}"#).is_some());
    }
}
