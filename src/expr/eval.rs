//! Evaluation of a compiled [`Expr`] on data: a tree walk over [`Ir`] with a scope stack for iterators, a
//! step budget that stops runaway rules (the budget error cannot be caught by `try`), no clock, no panics.
//! Recursion depth is bounded by the compiler's depth limit.

use std::sync::Arc;

use super::error::EvalError;
use super::ops::arith;
use super::ops::compare::{less, loose_eq, strict_eq};
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
        let mut m = Machine {
            root: data,
            frames: Vec::new(),
            slots,
            budget,
            cats,
        };
        m.ev(&self.ir)
    }
}

/// Evaluates a constant expression (no data).
pub fn eval_const(e: &Expr, budget: &mut Budget) -> Result<Value, EvalError> {
    e.eval_with(&Value::Null, &[], budget)
}

enum Frame {
    Val(Value),
    /// Iteration metadata: `{"index": i}`.
    Meta(usize),
    /// `reduce`'s frame: `{"current": .., "accumulator": ..}`.
    Reduce(Value, Value),
}

static MALFORMED: Value = Value::Malformed;

/// What an operator pays for its arguments: their sizes, except the list `get` indexes (its first argument:
/// one element is read); a key given to `get` still pays.
fn args_cost(op: super::ops::Op, vals: &[Value]) -> u64 {
    let skip = usize::from(op == super::ops::Op::Get && matches!(vals.first(), Some(Value::Array(_))));
    vals.iter().skip(skip).map(size_cost).sum()
}

/// The extra evaluation steps an operator pays for an argument: one per list element, one per 64 bytes of
/// text (so `in`, `cat`, `merge`, `distinct`, ... cost what they do, and the budget bounds them).
pub(crate) fn size_cost(v: &Value) -> u64 {
    match v {
        Value::Array(a) => a.len() as u64,
        Value::Str(s) => (s.len() / 64) as u64,
        Value::Object(m) => m.len() as u64,
        _ => 0,
    }
}

fn step<'v>(v: &'v Value, seg: &Seg) -> Option<&'v Value> {
    match v {
        Value::Malformed => Some(&MALFORMED),
        Value::Object(_) => v.get_shared(&seg.key),
        Value::Array(a) => seg.index.and_then(|i| a.get(i)),
        _ => None,
    }
}

fn walk<'v>(mut v: &'v Value, path: &[Seg]) -> Option<&'v Value> {
    for s in path {
        v = step(v, s)?;
    }
    Some(v)
}

impl Frame {
    /// The value at `path` in this frame; `None` when absent.
    fn get(&self, path: &[Seg]) -> Option<Value> {
        match self {
            Frame::Val(v) => walk(v, path).cloned(),
            Frame::Meta(i) => match path.split_first() {
                None => Some(Value::object(vec![(Arc::from("index"), Value::Int(*i as i64))])),
                Some((s, [])) if &*s.key == "index" => Some(Value::Int(*i as i64)),
                _ => None,
            },
            Frame::Reduce(cur, acc) => match path.split_first() {
                None => Some(Value::object(vec![
                    (Arc::from("current"), cur.clone()),
                    (Arc::from("accumulator"), acc.clone()),
                ])),
                Some((s, rest)) if &*s.key == "current" => walk(cur, rest).cloned(),
                Some((s, rest)) if &*s.key == "accumulator" => walk(acc, rest).cloned(),
                _ => None,
            },
        }
    }
}

struct Machine<'a> {
    /// The data (the frame below all iteration frames).
    root: &'a Value,
    /// Iteration frames, innermost last.
    frames: Vec<Frame>,
    slots: &'a [SlotValue],
    budget: &'a mut Budget,
    cats: Option<&'a CatalogSet>,
}

/// Integers (money in fen, counts) and dates compared with each other: the common case in rules, answered
/// without the general comparison (which agrees: same-type integers and days order the same way).
fn fast_compare(cmp: Cmp, a: &Value, b: &Value) -> Option<bool> {
    let (x, y) = match (a, b) {
        (Value::Int(x), Value::Int(y)) => (*x, *y),
        (Value::Date(x), Value::Date(y)) => (i64::from(*x), i64::from(*y)),
        _ => return None,
    };
    Some(match cmp {
        Cmp::Lt => x < y,
        Cmp::Le => x <= y,
        Cmp::Gt => x > y,
        Cmp::Ge => x >= y,
        Cmp::Eq | Cmp::StrictEq => x == y,
        Cmp::Ne | Cmp::StrictNe => x != y,
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

impl Machine<'_> {
    fn read(&self, up: u32, path: &[Seg]) -> Option<Value> {
        match self.frames.len().checked_sub(1 + up as usize) {
            Some(ix) => self.frames.get(ix).and_then(|f| f.get(path)),
            None => walk(self.root, path).cloned(),
        }
    }

    fn ev(&mut self, ir: &Ir) -> Result<Value, EvalError> {
        if self.budget.left == 0 {
            return Err(EvalError::Budget(self.budget.limit));
        }
        self.budget.left -= 1;
        match ir {
            Ir::Const(v) => Ok(v.clone()),
            Ir::List(items) => Ok(Value::array(self.evs(items)?)),
            Ir::Path { up, path, default } => match self.read(*up, path) {
                Some(Value::Malformed) => Err(EvalError::Malformed),
                Some(v) if !v.is_null() => Ok(v),
                _ => match default {
                    Some(d) => self.ev(d),
                    None => Ok(Value::Null),
                },
            },
            Ir::VarDyn { path, default } => {
                let p = self.ev(path)?;
                let segs = segs_of(&p)?;
                match self.read(0, &segs) {
                    Some(Value::Malformed) => Err(EvalError::Malformed),
                    Some(v) if !v.is_null() => Ok(v),
                    _ => match default {
                        Some(d) => self.ev(d),
                        None => Ok(Value::Null),
                    },
                }
            }
            Ir::ValDyn { up, segs } => {
                let mut path = Vec::with_capacity(segs.len());
                for s in segs.iter() {
                    let v = self.ev(s)?;
                    path.push(seg_of(&v)?);
                }
                match self.read(*up, &path) {
                    Some(Value::Malformed) => Err(EvalError::Malformed),
                    v => Ok(v.unwrap_or(Value::Null)),
                }
            }
            Ir::Exists { segs } => {
                let mut path = Vec::with_capacity(segs.len());
                for s in segs.iter() {
                    let v = self.ev(s)?;
                    path.push(seg_of(&v)?);
                }
                Ok(Value::Bool(!path.is_empty() && self.read(0, &path).is_some()))
            }
            Ir::Missing(args) => {
                let vals = self.evs(args)?;
                let keys: Vec<Value> = match vals.first() {
                    Some(Value::Array(a)) => a.to_vec(),
                    _ => vals,
                };
                Ok(Value::array(self.missing_keys(&keys)?))
            }
            Ir::MissingSome(min, keys) => {
                let min = self.ev(min)?.as_i64().unwrap_or(0);
                let keys = match self.ev(keys)? {
                    Value::Array(a) => a.to_vec(),
                    _ => return Err(EvalError::invalid("missing_some takes a list of keys")),
                };
                let missing = self.missing_keys(&keys)?;
                let present = keys.len().saturating_sub(missing.len()) as i64;
                Ok(Value::array(if present >= min { Vec::new() } else { missing }))
            }
            Ir::Slot { slot, path } => match self.slots.get(*slot as usize) {
                Some(Ok(v)) => match walk(v, path) {
                    Some(Value::Malformed) => Err(EvalError::Malformed),
                    v => Ok(v.cloned().unwrap_or(Value::Null)),
                },
                Some(Err(e)) => Err(e.clone()),
                None => Err(EvalError::invalid("a slot was not filled")),
            },
            Ir::Call(op, args) if args.len() <= 4 => {
                // Up to four arguments are evaluated into a buffer on the stack: no allocation per call.
                let mut buf = [Value::Null, Value::Null, Value::Null, Value::Null];
                for (slot, a) in buf.iter_mut().zip(args.iter()) {
                    *slot = self.ev(a)?;
                }
                let vals = buf.get(..args.len()).unwrap_or_default();
                self.charge(args_cost(*op, vals))?;
                op.apply_with(vals, self.cats)
            }
            Ir::Call(op, args) => {
                let vals = self.evs(args)?;
                self.charge(args_cost(*op, &vals))?;
                op.apply_with(&vals, self.cats)
            }
            Ir::CallSpread(op, arg) => match self.ev(arg)? {
                Value::Array(items) => {
                    self.charge(items.iter().map(size_cost).sum::<u64>() + items.len() as u64)?;
                    op.apply(&items)
                }
                v => op.apply(std::slice::from_ref(&v)),
            },
            Ir::If(args) => {
                let mut i = 0;
                while i + 1 < args.len() {
                    let c = args.get(i).map(|c| self.ev(c)).transpose()?.unwrap_or(Value::Null);
                    if c.truthy() {
                        return args.get(i + 1).map_or(Ok(Value::Null), |a| self.ev(a));
                    }
                    i += 2;
                }
                if i < args.len() {
                    return args.get(i).map_or(Ok(Value::Null), |a| self.ev(a));
                }
                Ok(Value::Null)
            }
            Ir::And(args) => {
                let mut last = Value::Null;
                for a in args.iter() {
                    last = self.ev(a)?;
                    if !last.truthy() {
                        return Ok(last);
                    }
                }
                Ok(last)
            }
            Ir::Or(args) => {
                let mut last = Value::Null;
                for a in args.iter() {
                    last = self.ev(a)?;
                    if last.truthy() {
                        return Ok(last);
                    }
                }
                Ok(last)
            }
            Ir::Coalesce(args) => {
                for a in args.iter() {
                    let v = self.ev(a)?;
                    if !v.is_null() {
                        return Ok(v);
                    }
                }
                Ok(Value::Null)
            }
            Ir::Cmp(cmp, args) => self.compare(*cmp, args),
            Ir::Try(args) => self.try_(args),
            Ir::Iter { kind, src, body } => self.iter(*kind, src, body),
            Ir::Reduce { src, body, init } => {
                let items = self.list(src)?;
                let mut acc = self.ev(init)?;
                for (i, it) in items.iter().enumerate() {
                    self.frames.push(Frame::Meta(i));
                    self.frames.push(Frame::Reduce(it.clone(), acc));
                    let r = self.ev(body);
                    self.frames.truncate(self.frames.len().saturating_sub(2));
                    acc = r?;
                }
                Ok(acc)
            }
            Ir::Regex { subject, re } => match self.ev(subject)? {
                Value::Null => Ok(Value::Bool(false)),
                v => Ok(Value::Bool(re.is_match(&v.to_js_string()))),
            },
            Ir::Fail(e) => Err(e.clone()),
        }
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

    fn evs(&mut self, args: &[Ir]) -> Result<Vec<Value>, EvalError> {
        let mut out = Vec::with_capacity(args.len());
        for a in args {
            out.push(self.ev(a)?);
        }
        Ok(out)
    }

    fn missing_keys(&self, keys: &[Value]) -> Result<Vec<Value>, EvalError> {
        let mut out = Vec::new();
        for k in keys {
            let segs = segs_of(k)?;
            match self.read(0, &segs) {
                Some(v) if !v.is_null() && v.as_str() != Some("") => {}
                _ => out.push(k.clone()),
            }
        }
        Ok(out)
    }

    fn compare(&mut self, cmp: Cmp, args: &[Ir]) -> Result<Value, EvalError> {
        let mut it = args.iter();
        let Some(first) = it.next() else {
            return Err(EvalError::invalid("a comparison takes at least two arguments"));
        };
        let mut prev = self.ev(first)?;
        for a in it {
            let cur = self.ev(a)?;
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
                return Ok(Value::Bool(false));
            }
            prev = cur;
        }
        Ok(Value::Bool(true))
    }

    fn try_(&mut self, args: &[Ir]) -> Result<Value, EvalError> {
        let mut err: Option<EvalError> = None;
        for a in args {
            let r = match &err {
                None => self.ev(a),
                Some(e) => {
                    self.frames.push(Frame::Meta(0));
                    self.frames.push(Frame::Val(e.to_value()));
                    let r = self.ev(a);
                    self.frames.truncate(self.frames.len().saturating_sub(2));
                    r
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
            None => Ok(Value::Null),
        }
    }

    fn list(&mut self, src: &Ir) -> Result<Arc<Vec<Value>>, EvalError> {
        match self.ev(src)? {
            Value::Array(a) => Ok(a),
            Value::Null => Ok(Arc::new(Vec::new())),
            other => Err(EvalError::invalid(&format!(
                "expected a list to iterate, got a {}",
                other.type_name()
            ))),
        }
    }

    fn body(&mut self, i: usize, item: &Value, body: &Ir) -> Result<Value, EvalError> {
        self.frames.push(Frame::Meta(i));
        self.frames.push(Frame::Val(item.clone()));
        let r = self.ev(body);
        self.frames.truncate(self.frames.len().saturating_sub(2));
        r
    }

    fn iter(&mut self, kind: Iter, src: &Ir, body: &Ir) -> Result<Value, EvalError> {
        let items = match (kind, self.ev(src)?) {
            (_, Value::Array(a)) => a,
            // A missing list maps and filters to nothing; a quantifier over it is an error (the suites' rule).
            (Iter::Map | Iter::Filter | Iter::Sum | Iter::Count | Iter::Find, Value::Null) => Arc::new(Vec::new()),
            (_, other) => {
                return Err(EvalError::invalid(&format!(
                    "expected a list to iterate, got a {}",
                    other.type_name()
                )))
            }
        };
        match kind {
            Iter::Map => {
                let mut out = Vec::with_capacity(items.len());
                for (i, it) in items.iter().enumerate() {
                    out.push(self.body(i, it, body)?);
                }
                Ok(Value::array(out))
            }
            Iter::Filter => {
                let mut out = Vec::new();
                for (i, it) in items.iter().enumerate() {
                    if self.body(i, it, body)?.truthy() {
                        out.push(it.clone());
                    }
                }
                Ok(Value::array(out))
            }
            Iter::All => {
                if items.is_empty() {
                    return Ok(Value::Bool(false));
                }
                for (i, it) in items.iter().enumerate() {
                    if !self.body(i, it, body)?.truthy() {
                        return Ok(Value::Bool(false));
                    }
                }
                Ok(Value::Bool(true))
            }
            Iter::Some | Iter::None => {
                for (i, it) in items.iter().enumerate() {
                    if self.body(i, it, body)?.truthy() {
                        return Ok(Value::Bool(kind == Iter::Some));
                    }
                }
                Ok(Value::Bool(kind == Iter::None))
            }
            Iter::Sum => {
                // Summed as the bodies are evaluated (no list of results); a body's error still comes before
                // a non-number, as when the list was summed at the end.
                let mut sum = arith::Sum::default();
                for (i, it) in items.iter().enumerate() {
                    sum.add(&self.body(i, it, body)?);
                }
                sum.finish()
            }
            Iter::Count => {
                let mut n = 0i64;
                for (i, it) in items.iter().enumerate() {
                    if self.body(i, it, body)?.truthy() {
                        n += 1;
                    }
                }
                Ok(Value::Int(n))
            }
            Iter::Find => {
                for (i, it) in items.iter().enumerate() {
                    if self.body(i, it, body)?.truthy() {
                        return Ok(it.clone());
                    }
                }
                Ok(Value::Null)
            }
        }
    }
}
