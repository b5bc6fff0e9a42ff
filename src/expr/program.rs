//! The compiled form of an expression: a tree of [`Ir`] nodes with operators resolved, variable paths split
//! and checked, parameters folded to constants and derived values turned into slots. [`super::eval`] runs it.

use std::sync::atomic::AtomicU32;
use std::sync::Arc;

use super::error::EvalError;
use super::ops::Op;
use super::types::Ty;
use crate::value::Value;

/// One step of a data path: an object key, also usable as an array index when it is a number.
#[derive(Debug)]
pub struct Seg {
    pub key: Arc<str>,
    pub index: Option<usize>,
    /// The member's position when the compiler knows the record (a claim@1 record, whose decoded members
    /// are in schema order): the evaluator looks there first (the key compared by pointer), and searches
    /// the members when the data is not such a record.
    pub field: Option<u32>,
    /// For a step with no `field`: the position where the key was found last time (`u32::MAX`: not yet).
    /// Objects of the same shape (the same record read again, the items of a list) then find the member at
    /// once. A hint only, not part of the compiled form: a wrong or stale one costs one compare.
    pub(crate) hint: AtomicU32,
}

impl Clone for Seg {
    fn clone(&self) -> Seg {
        Seg::at(self.key.clone(), self.index, self.field)
    }
}

impl PartialEq for Seg {
    fn eq(&self, other: &Seg) -> bool {
        self.key == other.key && self.index == other.index && self.field == other.field
    }
}

impl Seg {
    /// A step with its key, array index and field position (no hint yet).
    pub fn at(key: Arc<str>, index: Option<usize>, field: Option<u32>) -> Seg {
        Seg {
            key,
            index,
            field,
            hint: AtomicU32::new(u32::MAX),
        }
    }

    pub fn new(key: &str) -> Seg {
        Seg::at(Arc::from(key), key.parse().ok(), None)
    }

    /// A path step compiled once: a claim field name shares the decoded claim's key string, so reading the
    /// field matches by pointer ([`Value::get_shared`](crate::value::Value::get_shared)).
    pub fn interned(key: &str) -> Seg {
        Seg::at(
            crate::claim::decode::intern(key).unwrap_or_else(|| Arc::from(key)),
            key.parse().ok(),
            None,
        )
    }
}

/// Comparison operators (they short-circuit along a chain: `a < b < c`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    StrictEq,
    StrictNe,
}

/// Iterating operators over a list, with a body evaluated on each element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Iter {
    Map,
    Filter,
    All,
    Some,
    None,
    /// Sum of the body over the elements.
    Sum,
    /// Number of elements for which the body is truthy.
    Count,
    /// The first element for which the body is truthy, or null.
    Find,
}

/// A compiled expression node.
#[derive(Debug, Clone)]
pub enum Ir {
    Const(Value),
    List(Box<[Ir]>),
    /// A path read from the scope `up` frames above the current one (0 = current); `default` when null.
    Path {
        up: u32,
        path: Box<[Seg]>,
        default: Option<Box<Ir>>,
    },
    /// `var` with a computed path.
    VarDyn {
        path: Box<Ir>,
        default: Option<Box<Ir>>,
    },
    /// `val` with computed segments.
    ValDyn {
        up: u32,
        segs: Box<[Ir]>,
    },
    /// `exists`: whether the path is present (even if null).
    Exists {
        segs: Box<[Ir]>,
    },
    Missing(Box<[Ir]>),
    MissingSome(Box<Ir>, Box<Ir>),
    /// A derived value or bound variable, then a path into it.
    Slot {
        slot: u32,
        path: Box<[Seg]>,
    },
    Call(Op, Box<[Ir]>),
    /// An operator given one computed argument in JSONLogic's bare form (`{"+": {"var": "list"}}`):
    /// a list result is spread into the arguments.
    CallSpread(Op, Box<Ir>),
    If(Box<[Ir]>),
    And(Box<[Ir]>),
    Or(Box<[Ir]>),
    Coalesce(Box<[Ir]>),
    Cmp(Cmp, Box<[Ir]>),
    Try(Box<[Ir]>),
    Iter {
        kind: Iter,
        src: Box<Ir>,
        body: Box<Ir>,
    },
    Reduce {
        src: Box<Ir>,
        body: Box<Ir>,
        init: Box<Ir>,
    },
    Regex {
        subject: Box<Ir>,
        re: super::pattern::Pattern,
    },
    /// An error that JSONLogic raises at run time (for example `{"if": 5}`).
    Fail(EvalError),
}

/// A compiled expression with its static result type.
#[derive(Debug, Clone)]
pub struct Expr {
    pub(crate) ir: Ir,
    pub ty: Ty,
}

impl Expr {
    /// The constant value when the whole expression folded to one.
    pub fn as_const(&self) -> Option<&Value> {
        match &self.ir {
            Ir::Const(v) => Some(v),
            _ => None,
        }
    }
}

impl Ir {
    /// Calls `f` on this node and every node below it.
    pub(crate) fn walk(&self, f: &mut dyn FnMut(&Ir)) {
        f(self);
        let mut each = |items: &[Ir]| items.iter().for_each(|i| i.walk(f));
        match self {
            Ir::Const(_) | Ir::Slot { .. } | Ir::Fail(_) => {}
            Ir::Path { default, .. } => {
                if let Some(d) = default {
                    d.walk(f);
                }
            }
            Ir::VarDyn { path, default } => {
                path.walk(f);
                if let Some(d) = default {
                    d.walk(f);
                }
            }
            Ir::List(a) | Ir::ValDyn { segs: a, .. } | Ir::Exists { segs: a } | Ir::Missing(a) | Ir::Call(_, a) => {
                each(a)
            }
            Ir::If(a) | Ir::And(a) | Ir::Or(a) | Ir::Coalesce(a) | Ir::Cmp(_, a) | Ir::Try(a) => each(a),
            Ir::MissingSome(a, b) | Ir::Iter { src: a, body: b, .. } => {
                a.walk(f);
                b.walk(f);
            }
            Ir::CallSpread(_, a) | Ir::Regex { subject: a, .. } => a.walk(f),
            Ir::Reduce { src, body, init } => {
                src.walk(f);
                body.walk(f);
                init.walk(f);
            }
        }
    }
}

impl Expr {
    /// The keys of the expression's fixed paths, sorted by [`crate::json::key_order`], one string per text (for
    /// [`crate::json::parse_value_with`]).
    pub fn path_keys(&self) -> Vec<Arc<str>> {
        let mut keys: Vec<Arc<str>> = Vec::new();
        self.ir.walk(&mut |n| {
            if let Ir::Path { path, .. } | Ir::Slot { path, .. } = n {
                keys.extend(path.iter().map(|s| s.key.clone()));
            }
        });
        keys.sort_unstable_by(|a, b| crate::json::key_order(a, b));
        keys.dedup_by(|a, b| **a == **b);
        keys
    }

    /// Whether the expression compares something with `null` using `==` or `!=`, which JSONLogic defines so
    /// that `0 == null` is true: almost always a mistake for "is absent" (use `===`/`!==`).
    pub fn loose_null_comparison(&self) -> bool {
        let mut found = false;
        self.ir.walk(&mut |n| {
            if let Ir::Cmp(Cmp::Eq | Cmp::Ne, args) = n {
                if args.iter().any(|a| matches!(a, Ir::Const(Value::Null))) {
                    found = true;
                }
            }
        });
        found
    }
}
