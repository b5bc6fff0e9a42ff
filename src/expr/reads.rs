//! What an expression reads, as paths at field and element level: `invoices[*].total` from the claim,
//! `[*].fund_paid` of derived value 11, or possibly anything of the claim (a computed path, `missing`,
//! `exists`, the whole root). An iteration over a path reads that list only for its shape (kind and length)
//! and, through its body, the members of the elements the body reads; a loop variable of a rule's `each`
//! stands for the elements of its list the same way. Incremental sessions match these paths against the
//! paths an edit changed ([`Change`], [`crate::check::diff`]) and re-evaluate only what an edit reaches. It
//! over-approximates, never under-approximates: when a path's origin is not known, the reads that produced
//! the value are counted instead (whole), and inside `try` every enclosing element counts as read whole.

use std::sync::Arc;

use super::ops::Op;
use super::program::{Expr, Ir, Iter, Seg};

/// The root of a path that starts at the claim (other roots are slots: derived values).
pub const CLAIM: u32 = u32::MAX;

/// One step of a read or changed path.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// An object member (its number too, when it is one: `diagnoses.0`).
    Key(Arc<str>, Option<usize>),
    /// A list element, in a changed path.
    Index(usize),
    /// Any element of a list, in a read path.
    Each,
}

impl Step {
    fn of(seg: &Seg) -> Step {
        Step::Key(seg.key.clone(), seg.index)
    }

    /// Whether the two steps may name the same member.
    pub fn meets(&self, other: &Step) -> bool {
        match (self, other) {
            (Step::Each, _) | (_, Step::Each) => true,
            (Step::Key(a, _), Step::Key(b, _)) => Arc::ptr_eq(a, b) || a == b,
            (Step::Index(a), Step::Index(b)) => a == b,
            (Step::Key(_, i), Step::Index(j)) | (Step::Index(j), Step::Key(_, i)) => i.is_none_or(|i| i == *j),
        }
    }
}

/// A path read: from `root` ([`CLAIM`] or a slot) along `steps`; `deep` when everything below it is read
/// too, not only its shape (whether it is a list, and how long).
#[derive(Debug, Clone, PartialEq)]
pub struct Read {
    pub root: u32,
    pub steps: Vec<Step>,
    pub deep: bool,
}

/// A path whose value changed (from `root` along `steps`, with [`Step::Key`] and [`Step::Index`] only).
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub root: u32,
    pub steps: Vec<Step>,
    /// [`mask`] of the path.
    mask: u128,
}

impl Change {
    pub fn new(root: u32, steps: Vec<Step>) -> Change {
        Change {
            mask: mask(root, &steps),
            root,
            steps,
        }
    }
}

/// Bits for where a path starts (its top-level member, or its slot), so that most reads are told apart
/// from most changes by one AND: a claim member sets one of bits 0..64 (by its name), a slot one of bits
/// 64..128; the whole claim sets all of 0..64.
fn mask(root: u32, steps: &[Step]) -> u128 {
    const CLAIM_BITS: u128 = u64::MAX as u128;
    if root != CLAIM {
        return 1 << (64 + root % 64);
    }
    match steps.first() {
        Some(Step::Key(k, _)) => {
            let b = k.as_bytes();
            let h = b.len() as u64 * 31
                + u64::from(b.first().copied().unwrap_or(0))
                + u64::from(b.last().copied().unwrap_or(0)) * 7;
            1 << (h % 64)
        }
        _ => CLAIM_BITS,
    }
}

impl Read {
    /// Whether `change` may change what this read sees.
    pub fn touched_by(&self, change: &Change) -> bool {
        self.root == change.root
            && self.steps.iter().zip(&change.steps).all(|(a, b)| a.meets(b))
            && (self.deep || change.steps.len() <= self.steps.len())
    }
}

/// The paths an expression may read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reads {
    /// It may read any part of the claim (a computed path, `missing`, the root itself).
    pub any: bool,
    /// Paths read, without repeats.
    pub paths: Vec<Read>,
    /// The [`mask`]s of the paths together.
    mask: u128,
}

impl Reads {
    /// Adds what `other` reads.
    pub fn extend(&mut self, other: &Reads) {
        self.any |= other.any;
        self.mask |= other.mask;
        for p in &other.paths {
            self.add(p.clone());
        }
    }

    /// Adds one path read.
    pub fn add(&mut self, r: Read) {
        self.mask |= mask(r.root, &r.steps);
        match self.paths.iter_mut().find(|p| p.root == r.root && p.steps == r.steps) {
            Some(p) => p.deep |= r.deep,
            None => self.paths.push(r),
        }
    }

    /// Whether the changes may change what is read (`None`: anything changed).
    pub fn touched_by(&self, changed: Option<&[Change]>) -> bool {
        match changed {
            None => true,
            // Most units read nothing near any change: one AND with all the changes' bits says so.
            Some(c) if !self.any && self.mask & c.iter().fold(0, |m, c| m | c.mask) == 0 => false,
            Some(c) => c.iter().any(|c| {
                (self.mask & c.mask != 0 || self.any)
                    && ((self.any && c.root == CLAIM) || self.paths.iter().any(|r| r.touched_by(c)))
            }),
        }
    }
}

/// What a scope frame holds, as far as the reads are concerned.
#[derive(Debug, Clone)]
pub enum Frame {
    /// The elements of the list at this path (`root`, `steps` ending in [`Step::Each`]).
    Elem(u32, Vec<Step>),
    /// The index of an iteration over the list at this path: it depends only on the list's shape.
    Index(u32, Vec<Step>),
    /// A value whose origin is not known: the reads that made it are counted where it was made.
    Unknown,
}

/// Where paths start for an expression: the loop variables of a rule's `each` bound so far (slot and what
/// it holds), and the number of derived values (the slots below it).
#[derive(Debug, Clone, Copy)]
pub struct Scope<'s> {
    pub derived: u32,
    pub bound: &'s [(u32, Frame)],
}

impl Expr {
    /// What this expression may read, with no loop variable bound (derived values, estimate steps).
    pub fn reads(&self) -> Reads {
        self.reads_in(Scope {
            derived: u32::MAX,
            bound: &[],
        })
    }

    /// What this expression may read in `scope`.
    pub fn reads_in(&self, scope: Scope<'_>) -> Reads {
        let mut r = Reads::default();
        Collector {
            scope,
            frames: Vec::new(),
            fuzzy: false,
        }
        .collect(&self.ir, &mut r);
        r
    }

    /// When this expression is a plain path (a list to iterate, say), the frame its elements make (else
    /// [`Frame::Unknown`]), with the shape of the list read into `r`; otherwise its reads, whole.
    pub fn elements_in(&self, scope: Scope<'_>, r: &mut Reads) -> (Frame, Frame) {
        Collector {
            scope,
            frames: Vec::new(),
            fuzzy: false,
        }
        .source(&self.ir, r)
    }
}

struct Collector<'s> {
    scope: Scope<'s>,
    /// The frames pushed so far, innermost last.
    frames: Vec<Frame>,
    /// Inside `try`: frames may be shifted, so a read of a frame counts as a read of every element frame.
    fuzzy: bool,
}

impl Collector<'_> {
    /// The path an `Ir::Path` or `Ir::Slot` names, when it is known: root and steps.
    fn path_of(&self, ir: &Ir) -> Option<(u32, Vec<Step>)> {
        let (base, path): ((u32, Vec<Step>), &[Seg]) = match ir {
            Ir::Path {
                up,
                path,
                default: None,
            } if !self.fuzzy => match self.frame(*up) {
                None => ((CLAIM, Vec::new()), path),
                Some(Frame::Elem(root, steps)) => ((*root, steps.clone()), path),
                Some(_) => return None,
            },
            Ir::Slot { slot, path } if *slot < self.scope.derived => ((*slot, Vec::new()), path),
            Ir::Slot { slot, path } => match self.scope.bound.iter().find(|(s, _)| s == slot) {
                Some((_, Frame::Elem(root, steps))) => ((*root, steps.clone()), path),
                _ => return None,
            },
            _ => return None,
        };
        let (root, mut steps) = base;
        steps.extend(path.iter().map(Step::of));
        Some((root, steps))
    }

    /// The frame `up` levels above the innermost (`None`: the root).
    fn frame(&self, up: u32) -> Option<&Frame> {
        let n = self.frames.len();
        n.checked_sub(1 + up as usize).and_then(|i| self.frames.get(i))
    }

    /// Every element frame in scope, read whole (for reads whose frame is not known).
    fn all_frames(&self, r: &mut Reads) {
        for f in self.frames.iter().chain(self.scope.bound.iter().map(|(_, f)| f)) {
            match f {
                Frame::Elem(root, steps) | Frame::Index(root, steps) => r.add(Read {
                    root: *root,
                    steps: steps.clone(),
                    deep: true,
                }),
                Frame::Unknown => {}
            }
        }
    }

    /// A list iterated: its shape read, and the frames of its index and its elements.
    fn source(&mut self, src: &Ir, r: &mut Reads) -> (Frame, Frame) {
        match self.path_of(src) {
            Some((root, steps)) => {
                r.add(Read {
                    root,
                    steps: steps.clone(),
                    deep: false,
                });
                let mut each = steps.clone();
                each.push(Step::Each);
                (Frame::Index(root, steps), Frame::Elem(root, each))
            }
            None => {
                self.collect(src, r);
                (Frame::Unknown, Frame::Unknown)
            }
        }
    }

    fn collect(&mut self, ir: &Ir, r: &mut Reads) {
        match ir {
            Ir::Const(_) | Ir::Fail(_) => {}
            Ir::Path { up, path, default } => {
                if let Some(d) = default {
                    self.collect(d, r);
                }
                if self.fuzzy {
                    self.all_frames(r);
                    match path.first() {
                        Some(_) => r.add(Read {
                            root: CLAIM,
                            steps: path.iter().map(Step::of).collect(),
                            deep: true,
                        }),
                        None => r.any = true,
                    }
                    return;
                }
                match self.frame(*up) {
                    None if path.is_empty() => r.any = true,
                    None | Some(Frame::Elem(..)) => {
                        if let Some((root, steps)) = self.path_of(&Ir::Path {
                            up: *up,
                            path: path.clone(),
                            default: None,
                        }) {
                            r.add(Read {
                                root,
                                steps,
                                deep: true,
                            });
                        }
                    }
                    Some(Frame::Index(root, steps)) => r.add(Read {
                        root: *root,
                        steps: steps.clone(),
                        deep: false,
                    }),
                    Some(Frame::Unknown) => {}
                }
            }
            Ir::Slot { slot, path } => match self.path_of(ir) {
                Some((root, steps)) => r.add(Read {
                    root,
                    steps,
                    deep: true,
                }),
                None => match self.scope.bound.iter().find(|(s, _)| s == slot) {
                    Some((_, Frame::Index(root, steps))) => r.add(Read {
                        root: *root,
                        steps: steps.clone(),
                        deep: false,
                    }),
                    Some((_, Frame::Unknown)) => {}
                    // A slot the scope does not know: anything.
                    _ => {
                        r.any = true;
                        self.all_frames(r);
                        let _ = path;
                    }
                },
            },
            Ir::VarDyn { .. } | Ir::ValDyn { .. } | Ir::Exists { .. } | Ir::Missing(_) | Ir::MissingSome(..) => {
                r.any = true;
                self.all_frames(r);
                let mut kids = Vec::new();
                children(ir, &mut kids);
                for k in kids {
                    self.collect(k, r);
                }
            }
            // The length of a list is its shape (and a text's length changes only with the text, a change
            // at its own path).
            Ir::Call(Op::Len, a) if a.len() == 1 && a.first().and_then(|x| self.path_of(x)).is_some() => {
                if let Some((root, steps)) = a.first().and_then(|x| self.path_of(x)) {
                    r.add(Read {
                        root,
                        steps,
                        deep: false,
                    });
                }
            }
            Ir::List(a) | Ir::Call(_, a) | Ir::If(a) | Ir::And(a) | Ir::Or(a) | Ir::Coalesce(a) | Ir::Cmp(_, a) => {
                a.iter().for_each(|i| self.collect(i, r));
            }
            Ir::Try(a) => {
                let was = std::mem::replace(&mut self.fuzzy, true);
                a.iter().for_each(|i| self.collect(i, r));
                self.fuzzy = was;
            }
            Ir::CallSpread(_, a) | Ir::Regex { subject: a, .. } => self.collect(a, r),
            Ir::Iter { kind, src, body } => {
                let (index, elem) = self.source(src, r);
                // A filter or a find gives elements of the list: all of each is read.
                if matches!(kind, Iter::Filter | Iter::Find) {
                    if let Frame::Elem(root, steps) = &elem {
                        r.add(Read {
                            root: *root,
                            steps: steps.clone(),
                            deep: true,
                        });
                    }
                }
                self.body(index, elem, body, r);
            }
            Ir::Reduce { src, body, init } => {
                self.collect(src, r);
                self.collect(init, r);
                self.body(Frame::Unknown, Frame::Unknown, body, r);
            }
        }
    }

    fn body(&mut self, index: Frame, elem: Frame, body: &Ir, r: &mut Reads) {
        self.frames.push(index);
        self.frames.push(elem);
        self.collect(body, r);
        self.frames.pop();
        self.frames.pop();
    }
}

/// The direct sub-expressions of a node that reads a computed path.
fn children<'a>(ir: &'a Ir, out: &mut Vec<&'a Ir>) {
    match ir {
        Ir::VarDyn { path, default } => {
            out.push(path);
            out.extend(default.as_deref());
        }
        Ir::ValDyn { segs, .. } | Ir::Exists { segs } | Ir::Missing(segs) => out.extend(segs.iter()),
        Ir::MissingSome(a, b) => {
            out.push(a);
            out.push(b);
        }
        _ => {}
    }
}
