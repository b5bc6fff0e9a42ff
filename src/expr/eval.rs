//! Evaluation of a compiled [`Expr`] on data: a tree walk over [`Ir`], a step budget that stops runaway rules
//! (the budget error cannot be caught by `try`), no clock, no panics. Recursion depth is bounded by the
//! compiler's depth limit.
//!
//! Evaluation borrows: a node's result is a [`Val`], either a reference into the data, a slot, a constant
//! or an iteration item, or a value an operator built. Reading a field, comparing, `if`/`and`/`or`/`??`
//! and iterating over a list of the data clone nothing. Iteration scopes are frames on the Rust stack,
//! linked to the scope around them ([`Scope`]), so a frame borrows its item instead of holding a copy.

use std::sync::atomic::Ordering::Relaxed;
use std::sync::Arc;

use super::error::EvalError;
use super::ops::compare::{less, loose_eq, strict_eq};
use super::ops::{arith, Op};
use super::program::{Cmp, Expr, Ir, Iter, Seg};
use crate::catalog::CatalogSet;
use crate::value::Value;

/// The default number of evaluation steps allowed for one expression.
pub const DEFAULT_BUDGET: u64 = crate::limits::EXPR_BUDGET;

/// A step budget shared by a sequence of evaluations.
#[derive(Debug, Clone)]
pub struct Budget {
    left: u64,
    limit: u64,
}

impl Budget {
    pub fn new(limit: u64) -> Budget {
        Budget { left: limit, limit }
    }

    /// Steps used so far.
    pub fn used(&self) -> u64 {
        self.limit - self.left
    }

    /// Counts `steps` as used (work whose result is reused); false, using nothing, when fewer are left.
    pub fn charge(&mut self, steps: u64) -> bool {
        match self.left.checked_sub(steps) {
            Some(left) => {
                self.left = left;
                true
            }
            None => false,
        }
    }
}

/// The value of a slot (derived value or bound variable) for one evaluation.
pub type SlotValue = Result<Value, EvalError>;

/// What a node evaluates to: a value borrowed from the data, a slot, a constant or an iteration item, or
/// one an operator built.
#[derive(Debug)]
pub(crate) enum Val<'b> {
    Ref(&'b Value),
    Own(Value),
}

impl std::ops::Deref for Val<'_> {
    type Target = Value;
    fn deref(&self) -> &Value {
        match self {
            Val::Ref(v) => v,
            Val::Own(v) => v,
        }
    }
}

impl Val<'_> {
    /// The value itself (a borrowed one is cloned: a reference count for strings and containers).
    pub(crate) fn into_owned(self) -> Value {
        match self {
            Val::Ref(v) => v.clone(),
            Val::Own(v) => v,
        }
    }
}

impl Expr {
    /// Evaluates on `data` with the default budget and no slots.
    pub fn eval(&self, data: &Value) -> Result<Value, EvalError> {
        self.eval_with(data, &[], &mut Budget::new(DEFAULT_BUDGET))
    }

    /// Evaluates on `data` with slot values and a budget.
    pub fn eval_with(&self, data: &Value, slots: &[SlotValue], budget: &mut Budget) -> Result<Value, EvalError> {
        self.eval_in(data, slots, budget, None)
    }

    /// Evaluates on `data` with slot values, a budget and the loaded catalogs (for the catalog functions).
    pub fn eval_in(
        &self,
        data: &Value,
        slots: &[SlotValue],
        budget: &mut Budget,
        cats: Option<&CatalogSet>,
    ) -> Result<Value, EvalError> {
        self.run((data, slots, cats), budget, |v| v.into_owned())
    }

    /// Whether the expression is truthy on `data` (what a rule's `when` needs: nothing is cloned).
    pub fn truthy_in(
        &self,
        data: &Value,
        slots: &[SlotValue],
        budget: &mut Budget,
        cats: Option<&CatalogSet>,
    ) -> Result<bool, EvalError> {
        self.run((data, slots, cats), budget, |v| v.truthy())
    }

    fn run<T>(
        &self,
        (root, slots, cats): (&Value, &[SlotValue], Option<&CatalogSet>),
        budget: &mut Budget,
        f: impl FnOnce(Val<'_>) -> T,
    ) -> Result<T, EvalError> {
        let mut m = Machine {
            root,
            slots,
            budget,
            cats,
        };
        m.ev(&self.ir, None).map(f)
    }
}

/// Evaluates a constant expression (no data).
pub fn eval_const(e: &Expr, budget: &mut Budget) -> Result<Value, EvalError> {
    e.eval_with(&Value::Null, &[], budget)
}

/// An iteration frame.
#[derive(Clone, Copy)]
enum Frame<'b> {
    Val(&'b Value),
    /// Iteration metadata: `{"index": i}`.
    Meta(usize),
    /// `reduce`'s frame: `{"current": .., "accumulator": ..}`.
    Reduce(&'b Value, &'b Value),
}

/// A frame and the scope around it (`None`: the root data).
#[derive(Clone, Copy)]
struct Scope<'b> {
    frame: Frame<'b>,
    outer: Sc<'b>,
}

type Sc<'b> = Option<&'b Scope<'b>>;

type Res<'b> = Result<Val<'b>, EvalError>;

static MALFORMED: Value = Value::Malformed;
static NULL: Value = Value::Null;

/// The empty list, shared (a `missing` that finds everything present allocates nothing).
fn empty_list() -> Value {
    static EMPTY: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    EMPTY.get_or_init(|| Value::array(Vec::new())).clone()
}

/// What an operator pays for its arguments: their sizes, except the list `get` indexes (its first argument:
/// one element is read); a key given to `get` still pays.
#[inline]
fn args_cost(op: Op, vals: &[Value]) -> u64 {
    let skip = usize::from(op == Op::Get && matches!(vals.first(), Some(Value::Array(_))));
    vals.iter().skip(skip).map(size_cost).sum()
}

/// The extra evaluation steps an operator pays for an argument: one per list element, one per 64 bytes of
/// text (so `in`, `cat`, `merge`, `distinct`, ... cost what they do, and the budget bounds them).
#[inline]
pub(crate) fn size_cost(v: &Value) -> u64 {
    match v {
        Value::Array(a) => a.len() as u64,
        Value::Str(s) => (s.len() / 64) as u64,
        Value::Object(m) => m.len() as u64,
        _ => 0,
    }
}

#[inline]
fn step<'v>(v: &'v Value, seg: &Seg) -> Option<&'v Value> {
    match v {
        Value::Object(m) => {
            // A record of the decoded claim: the field's member is at its schema position. Other data: where
            // this step found its key last time (objects of one shape hit at once), else a search.
            let guess = match seg.field {
                Some(i) => i,
                None => seg.hint.load(Relaxed),
            };
            match m.get(guess as usize) {
                Some((k, v)) if Arc::ptr_eq(k, &seg.key) => Some(v),
                Some((k, v)) if seg.field.is_none() && same_text(k, &seg.key) => Some(v),
                _ => search(m, seg),
            }
        }
        Value::Array(a) => seg.index.and_then(|i| a.get(i)),
        Value::Malformed => Some(&MALFORMED),
        _ => None,
    }
}

/// The member of `m` named by `seg` (by pointer, then by text), its position remembered as the step's hint.
#[inline(never)]
fn search<'v>(m: &'v crate::value::Map, seg: &Seg) -> Option<&'v Value> {
    let at = m
        .iter()
        .position(|(k, _)| Arc::ptr_eq(k, &seg.key))
        .or_else(|| m.iter().position(|(k, _)| same_text(k, &seg.key)))?;
    if seg.field.is_none() {
        seg.hint.store(u32::try_from(at).unwrap_or(u32::MAX), Relaxed);
    }
    m.get(at).map(|(_, v)| v)
}

/// Two strings with the same text. Keys are short: up to 16 bytes they are compared as two overlapping
/// words (or halves, or three bytes) read in place, without a call to `memcmp`.
#[inline]
fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let w8 = |s: &[u8], at: usize| {
        s.get(at..at + 8)
            .and_then(|x| <[u8; 8]>::try_from(x).ok())
            .map(u64::from_ne_bytes)
    };
    let w4 = |s: &[u8], at: usize| {
        s.get(at..at + 4)
            .and_then(|x| <[u8; 4]>::try_from(x).ok())
            .map(u32::from_ne_bytes)
    };
    match n {
        0 => true,
        1..=3 => a.first() == b.first() && a.get(n / 2) == b.get(n / 2) && a.last() == b.last(),
        4..=7 => w4(a, 0) == w4(b, 0) && w4(a, n - 4) == w4(b, n - 4),
        8..=16 => w8(a, 0) == w8(b, 0) && w8(a, n - 8) == w8(b, n - 8),
        _ => a == b,
    }
}

#[inline]
fn walk<'v>(mut v: &'v Value, path: &[Seg]) -> Option<&'v Value> {
    for s in path {
        v = step(v, s)?;
    }
    Some(v)
}

impl<'b> Frame<'b> {
    /// The value at `path` in this frame; `None` when absent.
    fn get(self, path: &[Seg]) -> Option<Val<'b>> {
        match self {
            Frame::Val(v) => walk(v, path).map(Val::Ref),
            Frame::Meta(i) => match path.split_first() {
                None => Some(Val::Own(Value::object(vec![(
                    Arc::from("index"),
                    Value::Int(i as i64),
                )]))),
                Some((s, [])) if s.key.as_bytes() == b"index" => Some(Val::Own(Value::Int(i as i64))),
                _ => None,
            },
            Frame::Reduce(cur, acc) => match path.split_first() {
                None => Some(Val::Own(Value::object(vec![
                    (Arc::from("current"), cur.clone()),
                    (Arc::from("accumulator"), acc.clone()),
                ]))),
                // The frame's two names: by their position in the frame's record type, which the compiler
                // gives the step (no compare), else by their bytes.
                Some((s, rest)) => match (s.field, s.key.as_bytes()) {
                    (Some(0), _) | (None, b"current") => walk(cur, rest).map(Val::Ref),
                    (Some(1), _) | (None, b"accumulator") => walk(acc, rest).map(Val::Ref),
                    _ => None,
                },
            },
        }
    }
}

struct Machine<'a> {
    /// The data (the frame below all iteration frames).
    root: &'a Value,
    slots: &'a [SlotValue],
    budget: &'a mut Budget,
    cats: Option<&'a CatalogSet>,
}

/// Two numbers, two dates or two strings compared with each other: the common cases in rules, answered
/// without the general comparison (which agrees: numbers order as doubles, strings by their bytes, and a
/// NaN, which the general comparison reports as an error, is left to it).
#[inline]
fn fast_compare(cmp: Cmp, a: &Value, b: &Value) -> Option<bool> {
    use std::cmp::Ordering::{Equal, Greater, Less};
    let ord = match (a, b) {
        (Value::Int(x), Value::Int(y)) => x.cmp(y),
        (Value::Date(x), Value::Date(y)) => x.cmp(y),
        (Value::Float(x), Value::Float(y)) => x.partial_cmp(y)?,
        (Value::Int(x), Value::Float(y)) => (*x as f64).partial_cmp(y)?,
        (Value::Float(x), Value::Int(y)) => x.partial_cmp(&(*y as f64))?,
        (Value::Str(x), Value::Str(y)) => x.as_bytes().cmp(y.as_bytes()),
        _ => return None,
    };
    Some(match cmp {
        Cmp::Lt => ord == Less,
        Cmp::Le => ord != Greater,
        Cmp::Gt => ord == Greater,
        Cmp::Ge => ord != Less,
        Cmp::Eq | Cmp::StrictEq => ord == Equal,
        Cmp::Ne | Cmp::StrictNe => ord != Equal,
    })
}

fn segs_of(v: &Value) -> Result<Vec<Seg>, EvalError> {
    match v {
        Value::Null => Ok(Vec::new()),
        Value::Str(s) if s.is_empty() => Ok(Vec::new()),
        Value::Str(s) => Ok(s.split('.').map(Seg::new).collect()),
        Value::Int(_) | Value::Float(_) => Ok(vec![Seg::new(&v.to_js_string())]),
        _ => Err(EvalError::invalid("a variable name must be a string or a number")),
    }
}

fn seg_of(v: &Value) -> Result<Seg, EvalError> {
    match v {
        Value::Str(s) => Ok(Seg::new(s)),
        Value::Int(_) | Value::Float(_) => Ok(Seg::new(&v.to_js_string())),
        _ => Err(EvalError::invalid("a path step must be a string or a number")),
    }
}

/// A path given as text (`missing`'s keys): its steps by text, no [`Seg`] built.
fn walk_dotted<'v>(mut v: &'v Value, path: &str) -> Option<&'v Value> {
    for k in path.split('.') {
        v = match v {
            Value::Malformed => &MALFORMED,
            Value::Object(_) => v.get(k)?,
            Value::Array(a) => a.get(k.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(v)
}

impl<'a> Machine<'a> {
    fn read<'b>(&self, up: u32, path: &[Seg], sc: Sc<'b>) -> Option<Val<'b>>
    where
        'a: 'b,
    {
        let mut s = sc;
        for _ in 0..up {
            match s {
                Some(x) => s = x.outer,
                None => break,
            }
        }
        match s {
            Some(x) => x.frame.get(path),
            None => walk(self.root, path).map(Val::Ref),
        }
    }

    fn ev<'b>(&mut self, ir: &'b Ir, sc: Sc<'b>) -> Res<'b>
    where
        'a: 'b,
    {
        if self.budget.left == 0 {
            return Err(EvalError::Budget(self.budget.limit));
        }
        self.budget.left -= 1;
        match ir {
            Ir::Const(v) => Ok(Val::Ref(v)),
            Ir::Path { up, path, default } => match match sc {
                // The root data, or the current item: no frames to climb.
                None => walk(self.root, path).map(Val::Ref),
                Some(s) if *up == 0 => s.frame.get(path),
                _ => self.read(*up, path, sc),
            } {
                Some(v) if matches!(*v, Value::Malformed) => Err(EvalError::Malformed),
                Some(v) if !v.is_null() => Ok(v),
                _ => match default {
                    Some(d) => self.ev(d, sc),
                    None => Ok(Val::Ref(&NULL)),
                },
            },
            Ir::Slot { slot, path } => match self.slots.get(*slot as usize) {
                Some(Ok(v)) => match walk(v, path) {
                    Some(Value::Malformed) => Err(EvalError::Malformed),
                    Some(v) => Ok(Val::Ref(v)),
                    None => Ok(Val::Ref(&NULL)),
                },
                Some(Err(e)) => Err(e.clone()),
                None => Err(EvalError::invalid("a slot was not filled")),
            },
            Ir::Call(op, args) if args.len() <= 4 => self.call(*op, args, sc).map(Val::Own),
            Ir::If(args) => {
                let mut i = 0;
                while i + 1 < args.len() {
                    let c = match args.get(i) {
                        Some(c) => self.ev(c, sc)?.truthy(),
                        None => false,
                    };
                    if c {
                        return args.get(i + 1).map_or(Ok(Val::Ref(&NULL)), |a| self.ev(a, sc));
                    }
                    i += 2;
                }
                args.get(i).map_or(Ok(Val::Ref(&NULL)), |a| self.ev(a, sc))
            }
            Ir::And(args) => {
                let mut last = Val::Ref(&NULL);
                for a in args.iter() {
                    last = self.ev(a, sc)?;
                    if !last.truthy() {
                        return Ok(last);
                    }
                }
                Ok(last)
            }
            Ir::Or(args) => {
                let mut last = Val::Ref(&NULL);
                for a in args.iter() {
                    last = self.ev(a, sc)?;
                    if last.truthy() {
                        return Ok(last);
                    }
                }
                Ok(last)
            }
            Ir::Coalesce(args) => {
                for a in args.iter() {
                    let v = self.ev(a, sc)?;
                    if !v.is_null() {
                        return Ok(v);
                    }
                }
                Ok(Val::Ref(&NULL))
            }
            Ir::Cmp(cmp, args) => self.compare(*cmp, args, sc).map(|b| Val::Own(Value::Bool(b))),
            Ir::Iter { kind, src, body } => self.iter(*kind, src, body, sc),
            // The rarer forms, out of line: the hot function keeps a small frame.
            _ => self.cold(ir, sc),
        }
    }

    /// The forms `ev` does not answer itself (the step is already counted).
    #[inline(never)]
    fn cold<'b>(&mut self, ir: &'b Ir, sc: Sc<'b>) -> Res<'b>
    where
        'a: 'b,
    {
        match ir {
            Ir::List(items) => {
                let mut out = Vec::with_capacity(items.len());
                for a in items.iter() {
                    out.push(self.ev(a, sc)?.into_owned());
                }
                Ok(Val::Own(Value::array(out)))
            }
            Ir::VarDyn { path, default } => {
                let segs = segs_of(&*self.ev(path, sc)?)?;
                match self.read(0, &segs, sc) {
                    Some(v) if matches!(*v, Value::Malformed) => Err(EvalError::Malformed),
                    Some(v) if !v.is_null() => Ok(v),
                    _ => match default {
                        Some(d) => self.ev(d, sc),
                        None => Ok(Val::Ref(&NULL)),
                    },
                }
            }
            Ir::ValDyn { up, segs } => {
                let mut path = Vec::with_capacity(segs.len());
                for s in segs.iter() {
                    path.push(seg_of(&*self.ev(s, sc)?)?);
                }
                match self.read(*up, &path, sc) {
                    Some(v) if matches!(*v, Value::Malformed) => Err(EvalError::Malformed),
                    Some(v) => Ok(v),
                    None => Ok(Val::Ref(&NULL)),
                }
            }
            Ir::Exists { segs } => {
                let mut path = Vec::with_capacity(segs.len());
                for s in segs.iter() {
                    path.push(seg_of(&*self.ev(s, sc)?)?);
                }
                Ok(Val::Own(Value::Bool(
                    !path.is_empty() && self.read(0, &path, sc).is_some(),
                )))
            }
            Ir::Missing(args) => self.missing(args, sc).map(Val::Own),
            Ir::MissingSome(min, keys) => {
                let min = self.ev(min, sc)?.as_i64().unwrap_or(0);
                let keys = self.ev(keys, sc)?;
                let Value::Array(keys) = &*keys else {
                    return Err(EvalError::invalid("missing_some takes a list of keys"));
                };
                let mut out = Vec::new();
                for k in keys.iter() {
                    self.missing_key(k, sc, &mut out)?;
                }
                let present = keys.len().saturating_sub(out.len()) as i64;
                Ok(Val::Own(if present >= min || out.is_empty() {
                    empty_list()
                } else {
                    Value::array(out)
                }))
            }
            Ir::Call(op, args) => {
                let vals = self.evs(args, sc)?;
                self.apply(*op, &vals).map(Val::Own)
            }
            Ir::CallSpread(op, arg) => {
                let v = self.ev(arg, sc)?;
                match &*v {
                    Value::Array(items) => {
                        self.charge(items.iter().map(size_cost).sum::<u64>() + items.len() as u64)?;
                        op.apply(items).map(Val::Own)
                    }
                    v => op.apply(std::slice::from_ref(v)).map(Val::Own),
                }
            }
            Ir::Try(args) => self.try_(args, sc),
            Ir::Reduce { src, body, init } => {
                let src = self.ev(src, sc)?;
                let items: &[Value] = match &*src {
                    Value::Array(a) => a,
                    Value::Null => &[],
                    other => return Err(not_a_list(other)),
                };
                let mut acc = self.ev(init, sc)?.into_owned();
                for (i, it) in items.iter().enumerate() {
                    let next = {
                        let meta = Scope {
                            frame: Frame::Meta(i),
                            outer: sc,
                        };
                        let s = Scope {
                            frame: Frame::Reduce(it, &acc),
                            outer: Some(&meta),
                        };
                        self.ev(body, Some(&s))?.into_owned()
                    };
                    acc = next;
                }
                Ok(Val::Own(acc))
            }
            Ir::Regex { subject, re } => {
                let v = self.ev(subject, sc)?;
                Ok(Val::Own(Value::Bool(match &*v {
                    Value::Null => false,
                    Value::Str(s) => re.is_match(s),
                    v => re.is_match(&v.to_js_string()),
                })))
            }
            Ir::Fail(e) => Err(e.clone()),
            // `ev` answers the other forms itself and never hands them here.
            _ => Err(EvalError::invalid("an expression form was evaluated out of place")),
        }
    }

    /// A call with up to four arguments, without allocating: one argument is passed as it is (borrowed),
    /// two or more are moved into an array on the stack; arithmetic on two arguments reads them in place.
    fn call<'b>(&mut self, op: Op, args: &'b [Ir], sc: Sc<'b>) -> Result<Value, EvalError>
    where
        'a: 'b,
    {
        match args {
            [a] => {
                let a = self.ev(a, sc)?;
                let vals = std::slice::from_ref(&*a);
                self.charge(args_cost(op, vals))?;
                op.apply_with(vals, self.cats)
            }
            [a, b] => {
                let a = self.ev(a, sc)?;
                let b = self.ev(b, sc)?;
                if arith::is_binary(op) {
                    if !(a.is_number() && b.is_number()) {
                        self.charge(size_cost(&a) + size_cost(&b))?;
                    }
                    return arith::binary(op, &a, &b);
                }
                self.apply(op, &[a.into_owned(), b.into_owned()])
            }
            [a, b, c] => {
                let a = self.ev(a, sc)?.into_owned();
                let b = self.ev(b, sc)?.into_owned();
                let c = self.ev(c, sc)?.into_owned();
                self.apply(op, &[a, b, c])
            }
            _ => {
                let vals = self.evs(args, sc)?;
                self.apply(op, &vals)
            }
        }
    }

    /// Charges an operator's argument cost and applies it.
    fn apply(&mut self, op: Op, vals: &[Value]) -> Result<Value, EvalError> {
        self.charge(args_cost(op, vals))?;
        op.apply_with(vals, self.cats)
    }

    /// Takes `n` extra steps from the budget (operators pay for the size of what they work on).
    fn charge(&mut self, n: u64) -> Result<(), EvalError> {
        if n > self.budget.left {
            self.budget.left = 0;
            return Err(EvalError::Budget(self.budget.limit));
        }
        self.budget.left -= n;
        Ok(())
    }

    fn evs<'b>(&mut self, args: &'b [Ir], sc: Sc<'b>) -> Result<Vec<Value>, EvalError>
    where
        'a: 'b,
    {
        let mut out = Vec::with_capacity(args.len());
        for a in args {
            out.push(self.ev(a, sc)?.into_owned());
        }
        Ok(out)
    }

    /// `missing`: the keys (its arguments, or the list given as its first argument) whose value is absent,
    /// null or "". Every argument is evaluated before a key is checked, so an argument's error comes first.
    fn missing<'b>(&mut self, args: &'b [Ir], sc: Sc<'b>) -> Result<Value, EvalError>
    where
        'a: 'b,
    {
        let mut it = args.iter();
        let Some(first) = it.next() else {
            return Ok(empty_list());
        };
        let first = self.ev(first, sc)?;
        let mut out = Vec::new();
        if let Value::Array(keys) = &*first {
            for a in it {
                self.ev(a, sc)?;
            }
            for k in keys.iter() {
                self.missing_key(k, sc, &mut out)?;
            }
        } else {
            // Keys are checked as they come; the first bad key's error waits until every argument is
            // evaluated.
            let mut bad = self.missing_key(&first, sc, &mut out).err();
            for a in it {
                let k = self.ev(a, sc)?;
                if bad.is_none() {
                    bad = self.missing_key(&k, sc, &mut out).err();
                }
            }
            if let Some(e) = bad {
                return Err(e);
            }
        }
        Ok(if out.is_empty() {
            empty_list()
        } else {
            Value::array(out)
        })
    }

    /// Adds `k` to `out` when the current frame has no value (or null, or "") at that path.
    fn missing_key(&self, k: &Value, sc: Sc<'_>, out: &mut Vec<Value>) -> Result<(), EvalError> {
        let v = match (k, sc) {
            (Value::Str(s), None) if !s.is_empty() => walk_dotted(self.root, s).map(Val::Ref),
            (
                Value::Str(s),
                Some(Scope {
                    frame: Frame::Val(v), ..
                }),
            ) if !s.is_empty() => walk_dotted(v, s).map(Val::Ref),
            _ => self.read(0, &segs_of(k)?, sc),
        };
        match v {
            Some(v) if !v.is_null() && v.as_str() != Some("") => {}
            _ => out.push(k.clone()),
        }
        Ok(())
    }

    fn compare<'b>(&mut self, cmp: Cmp, args: &'b [Ir], sc: Sc<'b>) -> Result<bool, EvalError>
    where
        'a: 'b,
    {
        let mut it = args.iter();
        let Some(first) = it.next() else {
            return Err(EvalError::invalid("a comparison takes at least two arguments"));
        };
        let mut prev = self.ev(first, sc)?;
        for a in it {
            let cur = self.ev(a, sc)?;
            let ok = match fast_compare(cmp, &prev, &cur) {
                Some(ok) => ok,
                None => match cmp {
                    Cmp::Lt => less(&prev, &cur, false)?,
                    Cmp::Le => less(&prev, &cur, true)?,
                    Cmp::Gt => less(&cur, &prev, false)?,
                    Cmp::Ge => less(&cur, &prev, true)?,
                    Cmp::Eq => loose_eq(&prev, &cur)?,
                    Cmp::Ne => !loose_eq(&prev, &cur)?,
                    Cmp::StrictEq => strict_eq(&prev, &cur)?,
                    Cmp::StrictNe => !strict_eq(&prev, &cur)?,
                },
            };
            if !ok {
                return Ok(false);
            }
            prev = cur;
        }
        Ok(true)
    }

    fn try_<'b>(&mut self, args: &'b [Ir], sc: Sc<'b>) -> Res<'b>
    where
        'a: 'b,
    {
        let mut err: Option<EvalError> = None;
        for a in args {
            let r = match &err {
                None => self.ev(a, sc),
                Some(e) => {
                    // Fallbacks see the error as their data: frames [meta, error].
                    let data = e.to_value();
                    let meta = Scope {
                        frame: Frame::Meta(0),
                        outer: sc,
                    };
                    let s = Scope {
                        frame: Frame::Val(&data),
                        outer: Some(&meta),
                    };
                    self.ev(a, Some(&s)).map(|v| Val::Own(v.into_owned()))
                }
            };
            match r {
                Ok(v) => return Ok(v),
                Err(e @ EvalError::Budget(_)) => return Err(e),
                Err(e) => err = Some(e),
            }
        }
        match err {
            Some(e) => Err(e),
            None => Ok(Val::Ref(&NULL)),
        }
    }

    /// Evaluates `body` on item `i` (frames [meta, item] over `sc`) and hands the result to `f`.
    #[inline]
    fn body<'c, T>(
        &mut self,
        i: usize,
        item: &'c Value,
        body: &'c Ir,
        sc: Sc<'c>,
        f: impl FnOnce(Val<'_>) -> T,
    ) -> Result<T, EvalError>
    where
        'a: 'c,
    {
        let meta = Scope {
            frame: Frame::Meta(i),
            outer: sc,
        };
        let s = Scope {
            frame: Frame::Val(item),
            outer: Some(&meta),
        };
        self.ev(body, Some(&s)).map(f)
    }

    #[inline(never)]
    fn iter<'b>(&mut self, kind: Iter, src: &'b Ir, body: &'b Ir, sc: Sc<'b>) -> Res<'b>
    where
        'a: 'b,
    {
        let src = self.ev(src, sc)?;
        let items: &[Value] = match (kind, &*src) {
            (_, Value::Array(a)) => a,
            // A missing list maps and filters to nothing; a quantifier over it is an error (the suites' rule).
            (Iter::Map | Iter::Filter | Iter::Sum | Iter::Count | Iter::Find, Value::Null) => &[],
            (_, other) => return Err(not_a_list(other)),
        };
        let truthy = |v: Val<'_>| v.truthy();
        match kind {
            Iter::Map => {
                let mut out = Vec::with_capacity(items.len());
                for (i, it) in items.iter().enumerate() {
                    out.push(self.body(i, it, body, sc, |v| v.into_owned())?);
                }
                Ok(Val::Own(Value::array(out)))
            }
            Iter::Filter => {
                let mut out = Vec::new();
                for (i, it) in items.iter().enumerate() {
                    if self.body(i, it, body, sc, truthy)? {
                        out.push(it.clone());
                    }
                }
                Ok(Val::Own(Value::array(out)))
            }
            Iter::All => {
                if items.is_empty() {
                    return Ok(Val::Own(Value::Bool(false)));
                }
                for (i, it) in items.iter().enumerate() {
                    if !self.body(i, it, body, sc, truthy)? {
                        return Ok(Val::Own(Value::Bool(false)));
                    }
                }
                Ok(Val::Own(Value::Bool(true)))
            }
            Iter::Some | Iter::None => {
                for (i, it) in items.iter().enumerate() {
                    if self.body(i, it, body, sc, truthy)? {
                        return Ok(Val::Own(Value::Bool(kind == Iter::Some)));
                    }
                }
                Ok(Val::Own(Value::Bool(kind == Iter::None)))
            }
            Iter::Sum => {
                // Summed as the bodies are evaluated (no list of results); a body's error still comes before
                // a non-number, as when the list was summed at the end.
                let mut sum = arith::Sum::default();
                for (i, it) in items.iter().enumerate() {
                    self.body(i, it, body, sc, |v| sum.add(&v))?;
                }
                sum.finish().map(Val::Own)
            }
            Iter::Count => {
                let mut n = 0i64;
                for (i, it) in items.iter().enumerate() {
                    if self.body(i, it, body, sc, truthy)? {
                        n += 1;
                    }
                }
                Ok(Val::Own(Value::Int(n)))
            }
            Iter::Find => {
                let mut found = None;
                for (i, it) in items.iter().enumerate() {
                    if self.body(i, it, body, sc, truthy)? {
                        found = Some(i);
                        break;
                    }
                }
                Ok(match (found, src) {
                    (None, _) => Val::Ref(&NULL),
                    // The item of a list borrowed from the data is borrowed too.
                    (Some(i), Val::Ref(Value::Array(a))) => a.get(i).map_or(Val::Ref(&NULL), Val::Ref),
                    (Some(i), Val::Own(v)) => {
                        Val::Own(v.as_array().and_then(|a| a.get(i)).cloned().unwrap_or_default())
                    }
                    (Some(_), Val::Ref(_)) => Val::Ref(&NULL),
                })
            }
        }
    }
}

fn not_a_list(v: &Value) -> EvalError {
    EvalError::invalid(&format!("expected a list to iterate, got a {}", v.type_name()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::{compile, Env, OpenEnv, Resolved, Ty};
    use crate::json::parse;

    /// Rules over claim@1 data (no parameters, no derived values).
    struct ClaimEnv;

    impl Env for ClaimEnv {
        fn root(&self) -> Ty {
            crate::claim::schema::claim_ty()
        }
        fn lookup(&self, _path: &[&str]) -> Result<Option<(Resolved, usize)>, String> {
            Ok(None)
        }
    }

    fn rule(text: &str, env: &dyn Env) -> Expr {
        compile(&crate::expr::jsonlogic::from_json(&parse(text).unwrap()).unwrap(), env).unwrap()
    }

    fn data(text: &str) -> Value {
        Value::from_json(&parse(text).unwrap())
    }

    #[test]
    fn claim_fields_are_read_at_their_schema_position_and_found_in_other_data() {
        let e = rule(r#"{"var": "policy.sum_insured"}"#, &ClaimEnv);
        let Ir::Path { path, .. } = &e.ir else {
            panic!("a path: {:?}", e.ir)
        };
        let at = |rec: &[crate::claim::schema::Field], name: &str| rec.iter().position(|f| f.name == name);
        let policy = match crate::claim::schema::CLAIM
            .iter()
            .find(|f| f.name == "policy")
            .map(|f| f.kind)
        {
            Some(crate::claim::schema::Kind::Record(fields)) => fields,
            _ => panic!("policy is a record"),
        };
        let want = [at(crate::claim::schema::CLAIM, "policy"), at(policy, "sum_insured")];
        assert_eq!(
            path.iter().map(|s| s.field.map(|i| i as usize)).collect::<Vec<_>>(),
            want
        );
        // A decoded claim: members in schema order.
        let claim = crate::claim::decode::decode(&parse(r#"{"policy": {"sum_insured": "1200.50"}}"#).unwrap());
        assert_eq!(e.eval(&claim.value).unwrap(), Value::Int(120_050));
        // Other data with the same names elsewhere (or missing): found by search, or null.
        let other = data(r#"{"x": 1, "policy": {"number": "P", "sum_insured": 7, "product": "y"}}"#);
        assert_eq!(e.eval(&other).unwrap(), Value::Int(7));
        assert_eq!(e.eval(&data(r#"{"policy": {"number": "P"}}"#)).unwrap(), Value::Null);
    }

    #[test]
    fn same_text_is_equality() {
        let base = "abcdefghijklmnopqrstu";
        for n in 0..=base.len() {
            let a = &base[..n];
            let copy = String::from(a);
            assert!(same_text(a, &copy), "{a}");
            for i in 0..n {
                let mut b = a.as_bytes().to_vec();
                b[i] = b'#';
                let b = String::from_utf8(b).unwrap();
                assert!(!same_text(a, &b), "{a} {b}");
            }
            assert!(!same_text(a, &base[..(n + 1).min(base.len())]) || n == base.len());
        }
    }

    #[test]
    fn each_node_is_one_step_and_iteration_pays_per_item() {
        let steps = |text: &str, d: &str| {
            let mut b = Budget::new(1000);
            rule(text, &OpenEnv).eval_with(&data(d), &[], &mut b).unwrap();
            b.used()
        };
        // `+`, the path, the constant.
        assert_eq!(steps(r#"{"+": [{"var": "a"}, 1]}"#, r#"{"a": 2}"#), 3);
        // `reduce`, its list, its start, then three nodes per item.
        let sum = r#"{"reduce": [{"var": "xs"}, {"+": [{"var": "current"}, {"var": "accumulator"}]}, 0]}"#;
        assert_eq!(steps(sum, r#"{"xs": [1, 2, 3]}"#), 3 + 3 * 3);
        // `in` pays one step per element of the list it searches, besides its three nodes.
        assert_eq!(steps(r#"{"in": [2, {"var": "xs"}]}"#, r#"{"xs": [1, 2, 3, 4]}"#), 3 + 4);
    }

    #[test]
    fn borrowed_results_outlive_their_iteration() {
        let find = r#"{"find": [{"filter": [{"var": "xs"}, {">": [{"var": "n"}, 1]}]}, {"==": [{"var": "n"}, 3]}]}"#;
        let d = data(r#"{"xs": [{"n": 1}, {"n": 3}, {"n": 5}]}"#);
        assert_eq!(
            crate::json::write_value(&rule(find, &OpenEnv).eval(&d).unwrap()),
            r#"{"n":3}"#
        );
        let acc = r#"{"reduce": [{"var": "xs"}, {"var": "current"}, null]}"#;
        assert_eq!(
            crate::json::write_value(&rule(acc, &OpenEnv).eval(&d).unwrap()),
            r#"{"n":5}"#
        );
        let fallback = r#"{"try": [{"throw": "boom"}, {"var": "type"}]}"#;
        assert_eq!(rule(fallback, &OpenEnv).eval(&Value::Null).unwrap(), Value::str("boom"));
    }
}
