//! What an expression reads: the members of the root data (by their first path step), the slots (derived
//! values, bound variables), or possibly anything (a computed path, `missing`, `exists`, the whole root).
//! Incremental sessions use it to re-evaluate only what an edit reaches; it over-approximates, never
//! under-approximates.

use std::sync::Arc;

use super::program::{Expr, Ir};

/// The root members and slots an expression may read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reads {
    /// It may read any root member (a computed path, `missing`, the root itself).
    pub any: bool,
    /// Root members by name, without repeats.
    pub keys: Vec<Arc<str>>,
    /// Slots read, without repeats.
    pub slots: Vec<u32>,
}

impl Reads {
    /// Adds what `other` reads.
    pub fn extend(&mut self, other: &Reads) {
        self.any |= other.any;
        for k in &other.keys {
            self.key(k);
        }
        for s in &other.slots {
            self.slot(*s);
        }
    }

    fn key(&mut self, k: &Arc<str>) {
        if !self.keys.iter().any(|x| x == k) {
            self.keys.push(k.clone());
        }
    }

    fn slot(&mut self, s: u32) {
        if !self.slots.contains(&s) {
            self.slots.push(s);
        }
    }

    /// Whether a change of the root members `changed` may change what is read (`None`: anything changed).
    pub fn touched_by(&self, changed: Option<&[Arc<str>]>) -> bool {
        match changed {
            None => true,
            Some(c) => !c.is_empty() && (self.any || self.keys.iter().any(|k| c.contains(k))),
        }
    }
}

impl Expr {
    /// What this expression may read.
    pub fn reads(&self) -> Reads {
        let mut r = Reads::default();
        collect(&self.ir, 0, &mut r);
        r
    }
}

/// `frames`: the scope frames certainly pushed above the root where `ir` runs (two per iteration level);
/// a path climbing that many or more reads the root. Frames that `try` may push are not counted, so a
/// path there counts as reading the root (an over-approximation).
fn collect(ir: &Ir, frames: u32, r: &mut Reads) {
    let all = |items: &[Ir], r: &mut Reads| items.iter().for_each(|i| collect(i, frames, r));
    match ir {
        Ir::Const(_) | Ir::Fail(_) => {}
        Ir::Path { up, path, default } => {
            if *up >= frames {
                match path.first() {
                    Some(seg) => r.key(&seg.key),
                    None => r.any = true,
                }
            }
            if let Some(d) = default {
                collect(d, frames, r);
            }
        }
        Ir::VarDyn { .. } | Ir::ValDyn { .. } | Ir::Exists { .. } | Ir::Missing(_) | Ir::MissingSome(..) => {
            r.any = true;
            let mut sub = Reads::default();
            ir.walk(&mut |n| {
                if let Ir::Slot { slot, .. } = n {
                    sub.slot(*slot);
                }
            });
            r.extend(&sub);
        }
        Ir::Slot { slot, .. } => r.slot(*slot),
        Ir::List(a) | Ir::Call(_, a) | Ir::If(a) | Ir::And(a) | Ir::Or(a) | Ir::Coalesce(a) | Ir::Cmp(_, a) => {
            all(a, r)
        }
        Ir::Try(a) => all(a, r),
        Ir::CallSpread(_, a) | Ir::Regex { subject: a, .. } => collect(a, frames, r),
        Ir::Iter { src, body, .. } => {
            collect(src, frames, r);
            collect(body, frames.saturating_add(2), r);
        }
        Ir::Reduce { src, body, init } => {
            collect(src, frames, r);
            collect(init, frames, r);
            collect(body, frames.saturating_add(2), r);
        }
    }
}
