//! Bytes → [`Program`]: the header checked (magic, format and engine version, length, checksum), then the
//! body read with every access bounds-checked, every count bounded by the bytes left and nesting bounded,
//! then the program's own invariants checked (rule, slot and order indexes in range), so that a pack that
//! decodes is one the evaluator can run.

use std::sync::Arc;

use super::{checksum, error, tag, ENGINE, FORMAT, MAGIC, MAX_DEPTH};
use crate::catalog::format::varint;
use crate::claim::schema::BENEFITS;
use crate::expr::error::EvalError;
use crate::expr::ops::Op;
use crate::expr::program::{Cmp, Ir, Iter, Seg};
use crate::expr::{Expr, Ty};
use crate::pack::def::{CatalogKind, Kind, Severity, Text};
use crate::pack::program::{Program, Rule, Step, Usage};
use crate::pack::PackError;
use crate::value::Value;

/// Reads a compiled pack written by [`super::encode`] (by this format and engine version).
pub fn decode(bytes: &[u8]) -> Result<Program, PackError> {
    let body = header(bytes, &MAGIC, "compiled pack")?;
    let base = bytes.len() - body.len();
    let mut r = Reader::new(body, base, &[]);
    let table = r.table()?;
    let at = r.at;
    let mut r = Reader::new(body, base, &table);
    r.at = at;
    r.finish()
}

impl<'b> Reader<'b> {
    pub(super) fn new(b: &'b [u8], base: usize, table: &'b [&'b [u8]]) -> Self {
        Reader {
            b,
            at: 0,
            base,
            table,
            cache: vec![None; table.len()],
            depth: 0,
        }
    }

    /// A single pack's string table: a count, then each string's length and bytes (checked as UTF-8
    /// when first used).
    pub(super) fn table(&mut self) -> R<Vec<&'b [u8]>> {
        let n = self.count()?;
        let mut strings = Vec::with_capacity(n);
        for _ in 0..n {
            let len = self.count()?;
            strings.push(self.raw(len)?);
        }
        Ok(strings)
    }

    /// The next `len` bytes.
    pub(super) fn raw(&mut self, len: usize) -> R<&'b [u8]> {
        let b = self.b;
        let raw = b
            .get(self.at..self.at.saturating_add(len))
            .ok_or_else(|| self.bad("unexpected end"))?;
        self.at += len;
        Ok(raw)
    }

    /// The next `len` bytes as text, or an error at their offset.
    pub(super) fn utf8(&mut self, len: usize) -> R<&'b str> {
        let start = self.at;
        let raw = self.raw(len)?;
        std::str::from_utf8(raw).map_err(|_| {
            self.at = start;
            self.bad("a string is not UTF-8")
        })
    }

    /// The program that follows, which must end the bytes, checked.
    pub(super) fn finish(mut self) -> R<Program> {
        let p = self.program()?;
        if self.at != self.b.len() {
            return Err(self.bad("bytes after the end of the program"));
        }
        check(&p).map_err(|m| error(format!("corrupt compiled pack: {m}")))?;
        Ok(p)
    }
}

/// The body, after checking the header (`magic`, then as [`super::encode`] writes it); `what` names the
/// form in messages.
pub(super) fn header<'b>(bytes: &'b [u8], magic: &[u8; 8], what: &str) -> Result<&'b [u8], PackError> {
    if !bytes.starts_with(magic) {
        return Err(error(format!(
            "not a {what} (its first bytes are not the {what} signature)"
        )));
    }
    let truncated = || error(format!("truncated {what} ({} bytes)", bytes.len()));
    let rest = bytes.get(MAGIC.len()..).ok_or_else(truncated)?;
    let format = rest
        .get(..2)
        .and_then(|b| <[u8; 2]>::try_from(b).ok())
        .map(u16::from_le_bytes)
        .ok_or_else(truncated)?;
    if format != FORMAT {
        return Err(error(format!(
            "{what} format {format}, but this preclaim reads format {FORMAT}: compile the pack again with `preclaim pack compile`"
        )));
    }
    let engine_len = usize::from(*rest.get(2).ok_or_else(truncated)?);
    let engine = rest.get(3..3 + engine_len).ok_or_else(truncated)?;
    if engine != ENGINE.as_bytes() {
        return Err(error(format!(
            "the pack was compiled (written by preclaim {}), but this is preclaim {ENGINE}: compile the pack again with `preclaim pack compile`",
            crate::echo::Echo(&String::from_utf8_lossy(engine))
        )));
    }
    let rest = rest.get(3 + engine_len..).ok_or_else(truncated)?;
    let word = |at: usize| {
        rest.get(at..at + 4)
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
            .map(u32::from_le_bytes)
    };
    let (len, stored) = (word(0).ok_or_else(truncated)?, word(4).ok_or_else(truncated)?);
    let body = rest.get(8..).ok_or_else(truncated)?;
    if (len as usize) > crate::limits::MAX_PACK_BYTES {
        return Err(error(format!(
            "the {what} says its body is {len} bytes, more than the largest pack ({} bytes)",
            crate::limits::MAX_PACK_BYTES
        )));
    }
    if body.len() < len as usize {
        return Err(error(format!(
            "truncated {what}: the header says {len} body bytes, {} are there",
            body.len()
        )));
    }
    if body.len() > len as usize {
        return Err(error(format!(
            "{} bytes after the end of the {what}",
            body.len() - len as usize
        )));
    }
    let computed = checksum(body);
    if computed != stored {
        return Err(error(format!(
            "the {what}'s checksum does not match (stored {stored:08x}, computed {computed:08x}): the file is damaged"
        )));
    }
    Ok(body)
}

pub(super) struct Reader<'b> {
    b: &'b [u8],
    pub(super) at: usize,
    /// Where the body starts in the file (for the byte offsets in messages).
    base: usize,
    /// The string table, and each string once shared (checked as UTF-8 and made on its first use, so that
    /// a pack of a bundle spends nothing on the strings it does not use).
    table: &'b [&'b [u8]],
    cache: Vec<Option<Arc<str>>>,
    depth: usize,
}

pub(super) type R<T> = Result<T, PackError>;

impl Reader<'_> {
    pub(super) fn bad(&self, what: &str) -> PackError {
        error(format!("corrupt compiled pack at byte {}: {what}", self.base + self.at))
    }

    fn byte(&mut self) -> R<u8> {
        let b = *self.b.get(self.at).ok_or_else(|| self.bad("unexpected end"))?;
        self.at += 1;
        Ok(b)
    }

    fn take(&mut self, n: usize) -> R<&[u8]> {
        let s = self
            .b
            .get(self.at..self.at.saturating_add(n))
            .ok_or_else(|| self.bad("unexpected end"))?;
        self.at += n;
        Ok(s)
    }

    fn num(&mut self) -> R<u64> {
        let (v, next) = varint(self.b, self.at).ok_or_else(|| self.bad("a malformed number"))?;
        self.at = next;
        Ok(v)
    }

    fn u32(&mut self) -> R<u32> {
        let v = self.num()?;
        u32::try_from(v).map_err(|_| self.bad("a number out of range"))
    }

    /// A count of items that follow, each at least one byte: never more than the bytes left.
    pub(super) fn count(&mut self) -> R<usize> {
        let n = self.num()?;
        match usize::try_from(n) {
            Ok(n) if n <= self.b.len().saturating_sub(self.at) => Ok(n),
            _ => Err(self.bad("a count larger than the bytes left")),
        }
    }

    fn flag(&mut self) -> R<bool> {
        match self.byte()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(self.bad("a flag that is neither 0 nor 1")),
        }
    }

    fn opt_num(&mut self) -> R<Option<u64>> {
        Ok(self.num()?.checked_sub(1))
    }

    fn str(&mut self) -> R<Arc<str>> {
        let id = self.num()?;
        let i = usize::try_from(id).unwrap_or(usize::MAX);
        if let Some(Some(s)) = self.cache.get(i) {
            return Ok(s.clone());
        }
        let raw = *self
            .table
            .get(i)
            .ok_or_else(|| self.bad("a string index past the string table"))?;
        let s = Arc::<str>::from(
            std::str::from_utf8(raw).map_err(|_| self.bad(&format!("string {i} of the table is not UTF-8")))?,
        );
        if let Some(slot) = self.cache.get_mut(i) {
            *slot = Some(s.clone());
        }
        Ok(s)
    }

    fn string(&mut self) -> R<String> {
        Ok(self.str()?.to_string())
    }

    fn strs(&mut self) -> R<Vec<String>> {
        let n = self.count()?;
        (0..n).map(|_| self.string()).collect()
    }

    fn nums(&mut self) -> R<Vec<u32>> {
        let n = self.count()?;
        (0..n).map(|_| self.u32()).collect()
    }

    fn text(&mut self) -> R<Text> {
        Ok(Text {
            zh: self.string()?,
            en: self.string()?,
        })
    }

    fn deeper(&mut self) -> R<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.bad(&format!("nested deeper than {MAX_DEPTH} levels")));
        }
        Ok(())
    }

    fn program(&mut self) -> R<Program> {
        let id = self.string()?;
        let version = self.string()?;
        let title = self.text()?;
        let products = self.strs()?;
        let n = self.count()?;
        let mut catalogs = Vec::with_capacity(n);
        for _ in 0..n {
            let b = self.byte()?;
            catalogs.push(CatalogKind::from_byte(b).ok_or_else(|| self.bad("an unknown catalog kind"))?);
        }
        let n = self.count()?;
        let mut params = Vec::with_capacity(n);
        for _ in 0..n {
            params.push((self.string()?, self.value()?));
        }
        let n = self.count()?;
        let mut derived = Vec::with_capacity(n);
        for _ in 0..n {
            derived.push((self.string()?, self.expr()?));
        }
        let n = self.count()?;
        let mut derived_order = Vec::with_capacity(n);
        for _ in 0..n {
            derived_order.push(self.u32()? as usize);
        }
        let n = self.count()?;
        let mut rules = Vec::with_capacity(n);
        for _ in 0..n {
            rules.push(self.rule()?);
        }
        let n = self.count()?;
        let mut by_benefit = Vec::with_capacity(n);
        for _ in 0..n {
            by_benefit.push(self.nums()?);
        }
        let any_benefit = self.nums()?;
        let n = self.count()?;
        let mut steps = Vec::with_capacity(n);
        for _ in 0..n {
            steps.push(Step {
                rule: self.string()?,
                label: self.text()?,
                when: self.opt_expr()?,
                amount: self.expr()?,
            });
        }
        let required = self.strs()?;
        let fast_track_limit = self.opt_expr()?;
        let slots = self.u32()? as usize;
        Ok(Program {
            id,
            version,
            title,
            products,
            usage: Usage {
                params: vec![true; params.len()],
                derived: vec![true; derived.len()],
            },
            params,
            derived,
            derived_order,
            rules,
            by_benefit,
            any_benefit,
            steps,
            required,
            fast_track_limit,
            catalogs,
            tests: Vec::new(),
            slots,
            def: None,
        })
    }

    fn rule(&mut self) -> R<Rule> {
        let id = self.string()?;
        let kind = match self.byte()? {
            0 => Kind::C,
            1 => Kind::E,
            2 => Kind::K,
            3 => Kind::R,
            _ => return Err(self.bad("an unknown rule kind")),
        };
        let severity = match self.byte()? {
            0 => Severity::Block,
            1 => Severity::Warn,
            2 => Severity::Info,
            _ => return Err(self.bad("an unknown severity")),
        };
        let n = self.count()?;
        let mut each = Vec::with_capacity(n);
        for _ in 0..n {
            let slot = self.u32()?;
            let index = match self.opt_num()? {
                None => None,
                Some(i) => Some(u32::try_from(i).map_err(|_| self.bad("a slot out of range"))?),
            };
            each.push((slot, index, self.expr()?));
        }
        let when = self.expr()?;
        let message = self.text()?;
        let n = self.count()?;
        let mut values = Vec::with_capacity(n);
        for _ in 0..n {
            values.push((self.string()?, self.expr()?));
        }
        Ok(Rule {
            id,
            kind,
            severity,
            each,
            when,
            message,
            values,
            fields: self.strs()?,
            each_names: self.strs()?,
            documents: self.strs()?,
            aggregate: self.flag()?,
        })
    }

    fn opt_expr(&mut self) -> R<Option<Expr>> {
        if self.flag()? {
            Ok(Some(self.expr()?))
        } else {
            Ok(None)
        }
    }

    fn expr(&mut self) -> R<Expr> {
        let ty = self.ty()?;
        let ir = self.ir()?;
        Ok(Expr { ir, ty })
    }

    fn ty(&mut self) -> R<Ty> {
        Ok(match self.byte()? {
            tag::T_ANY => Ty::Any,
            tag::T_NULL => Ty::Null,
            tag::T_BOOL => Ty::Bool,
            tag::T_NUM => Ty::Num,
            tag::T_MONEY => Ty::Money,
            tag::T_STR => Ty::Str,
            tag::T_DATE => Ty::Date,
            tag::T_ARRAY => {
                self.deeper()?;
                let elem = self.ty()?;
                self.depth -= 1;
                Ty::array(elem)
            }
            _ => return Err(self.bad("an unknown type tag")),
        })
    }

    fn irs(&mut self) -> R<Box<[Ir]>> {
        let n = self.count()?;
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            out.push(self.ir()?);
        }
        Ok(out.into_boxed_slice())
    }

    fn boxed(&mut self) -> R<Box<Ir>> {
        Ok(Box::new(self.ir()?))
    }

    fn opt_ir(&mut self) -> R<Option<Box<Ir>>> {
        if self.flag()? {
            Ok(Some(self.boxed()?))
        } else {
            Ok(None)
        }
    }

    /// A path: claim field names share the decoded claim's strings (as the compiler's do).
    fn segs(&mut self) -> R<Box<[Seg]>> {
        let n = self.count()?;
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            let key = self.str()?;
            let index = match self.opt_num()? {
                None => None,
                Some(i) => Some(usize::try_from(i).map_err(|_| self.bad("an index out of range"))?),
            };
            let key = crate::claim::decode::intern(&key).unwrap_or(key);
            let field = self
                .opt_num()?
                .map(|f| u32::try_from(f).map_err(|_| self.bad("a field position out of range")))
                .transpose()?;
            out.push(Seg::at(key, index, field));
        }
        Ok(out.into_boxed_slice())
    }

    fn op(&mut self) -> R<Op> {
        let name = self.str()?;
        Op::by_name(&name).ok_or_else(|| self.bad(&format!("an unknown operator `{}`", crate::echo::Echo(&name))))
    }

    fn ir(&mut self) -> R<Ir> {
        self.deeper()?;
        let ir = match self.byte()? {
            tag::CONST => Ir::Const(self.value()?),
            tag::LIST => Ir::List(self.irs()?),
            tag::PATH => Ir::Path {
                up: self.u32()?,
                path: self.segs()?,
                default: self.opt_ir()?,
            },
            tag::VAR_DYN => Ir::VarDyn {
                path: self.boxed()?,
                default: self.opt_ir()?,
            },
            tag::VAL_DYN => Ir::ValDyn {
                up: self.u32()?,
                segs: self.irs()?,
            },
            tag::EXISTS => Ir::Exists { segs: self.irs()? },
            tag::MISSING => Ir::Missing(self.irs()?),
            tag::MISSING_SOME => Ir::MissingSome(self.boxed()?, self.boxed()?),
            tag::SLOT => Ir::Slot {
                slot: self.u32()?,
                path: self.segs()?,
            },
            tag::CALL => Ir::Call(self.op()?, self.irs()?),
            tag::CALL_SPREAD => Ir::CallSpread(self.op()?, self.boxed()?),
            tag::IF => Ir::If(self.irs()?),
            tag::AND => Ir::And(self.irs()?),
            tag::OR => Ir::Or(self.irs()?),
            tag::COALESCE => Ir::Coalesce(self.irs()?),
            tag::CMP => {
                let cmp = match self.byte()? {
                    0 => Cmp::Lt,
                    1 => Cmp::Le,
                    2 => Cmp::Gt,
                    3 => Cmp::Ge,
                    4 => Cmp::Eq,
                    5 => Cmp::Ne,
                    6 => Cmp::StrictEq,
                    7 => Cmp::StrictNe,
                    _ => return Err(self.bad("an unknown comparison")),
                };
                Ir::Cmp(cmp, self.irs()?)
            }
            tag::TRY => Ir::Try(self.irs()?),
            tag::ITER => {
                let kind = match self.byte()? {
                    0 => Iter::Map,
                    1 => Iter::Filter,
                    2 => Iter::All,
                    3 => Iter::Some,
                    4 => Iter::None,
                    5 => Iter::Sum,
                    6 => Iter::Count,
                    7 => Iter::Find,
                    _ => return Err(self.bad("an unknown iterator")),
                };
                Ir::Iter {
                    kind,
                    src: self.boxed()?,
                    body: self.boxed()?,
                }
            }
            tag::REDUCE => Ir::Reduce {
                src: self.boxed()?,
                body: self.boxed()?,
                init: self.boxed()?,
            },
            tag::REGEX => {
                let subject = self.boxed()?;
                let pattern = self.str()?;
                let n = self.count()?;
                let dfa = self.take(n)?.to_vec();
                let re = crate::expr::pattern::Pattern::new(&pattern, &dfa).map_err(|e| self.bad(&e))?;
                Ir::Regex { subject, re }
            }
            tag::FAIL => Ir::Fail(self.eval_error()?),
            _ => return Err(self.bad("an unknown expression node")),
        };
        self.depth -= 1;
        Ok(ir)
    }

    fn value(&mut self) -> R<Value> {
        self.deeper()?;
        let v = match self.byte()? {
            tag::V_NULL => Value::Null,
            tag::V_FALSE => Value::Bool(false),
            tag::V_TRUE => Value::Bool(true),
            tag::V_INT => Value::Int(unzigzag(self.num()?)),
            tag::V_FLOAT => {
                let raw = self.take(8)?;
                let bits = <[u8; 8]>::try_from(raw).map_or(0, u64::from_le_bytes);
                Value::Float(f64::from_bits(bits))
            }
            tag::V_STR => Value::Str(self.str()?),
            tag::V_ARRAY => {
                let n = self.count()?;
                let mut items = Vec::with_capacity(n);
                for _ in 0..n {
                    items.push(self.value()?);
                }
                Value::array(items)
            }
            tag::V_OBJECT => {
                let n = self.count()?;
                let mut members = Vec::with_capacity(n);
                for _ in 0..n {
                    members.push((self.str()?, self.value()?));
                }
                Value::object(members)
            }
            tag::V_DATE => {
                let d = unzigzag(self.num()?);
                Value::Date(i32::try_from(d).map_err(|_| self.bad("a date out of range"))?)
            }
            tag::V_MALFORMED => Value::Malformed,
            _ => return Err(self.bad("an unknown value tag")),
        };
        self.depth -= 1;
        Ok(v)
    }

    fn eval_error(&mut self) -> R<EvalError> {
        self.deeper()?;
        let e = match self.byte()? {
            tag::E_NAN => EvalError::NaN,
            tag::E_INVALID => EvalError::InvalidArguments(self.str()?),
            tag::E_THROWN => EvalError::Thrown(self.value()?),
            tag::E_MALFORMED => EvalError::Malformed,
            tag::E_BUDGET => EvalError::Budget(self.num()?),
            tag::E_DERIVED => EvalError::Derived(self.str()?, Box::new(self.eval_error()?)),
            _ => return Err(self.bad("an unknown error tag")),
        };
        self.depth -= 1;
        Ok(e)
    }
}

fn unzigzag(u: u64) -> i64 {
    ((u >> 1) as i64) ^ -((u & 1) as i64)
}

/// The program's own invariants: what the checker indexes with is in range.
fn check(p: &Program) -> Result<(), String> {
    let mut seen = vec![false; p.derived.len()];
    for &i in &p.derived_order {
        match seen.get_mut(i) {
            Some(s) if !*s => *s = true,
            _ => return Err(format!("derived value {i} is out of range or ordered twice")),
        }
    }
    if seen.iter().any(|s| !s) {
        return Err("the order of the derived values leaves one out".into());
    }
    if p.by_benefit.len() != BENEFITS.len() {
        return Err(format!(
            "rules are listed for {} benefits, not {}",
            p.by_benefit.len(),
            BENEFITS.len()
        ));
    }
    let rules = p.rules.len();
    if let Some(i) = p
        .by_benefit
        .iter()
        .flatten()
        .chain(&p.any_benefit)
        .find(|&&i| i as usize >= rules)
    {
        return Err(format!("rule {i} is listed, but the pack has {rules} rules"));
    }
    // Slots: the derived values, then each rule's loop variables (the checker allocates `slots` of them).
    let most_loops = p.rules.iter().map(|r| 2 * r.each.len()).max().unwrap_or(0);
    if p.slots < p.derived.len() || p.slots > p.derived.len() + most_loops {
        return Err(format!("{} slots for {} derived values", p.slots, p.derived.len()));
    }
    let mut used: Vec<u32> = Vec::new();
    let visit = |e: &Expr, used: &mut Vec<u32>| {
        e.ir.walk(&mut |n| {
            if let Ir::Slot { slot, .. } = n {
                used.push(*slot);
            }
        })
    };
    p.derived.iter().for_each(|(_, e)| visit(e, &mut used));
    for r in &p.rules {
        for (slot, index, e) in &r.each {
            used.push(*slot);
            used.extend(index);
            visit(e, &mut used);
        }
        visit(&r.when, &mut used);
        r.values.iter().for_each(|(_, e)| visit(e, &mut used));
    }
    for s in &p.steps {
        s.when.iter().for_each(|e| visit(e, &mut used));
        visit(&s.amount, &mut used);
    }
    p.fast_track_limit.iter().for_each(|e| visit(e, &mut used));
    match used.into_iter().find(|&s| s as usize >= p.slots) {
        Some(s) => Err(format!("slot {s} is out of range ({} slots)", p.slots)),
        None => Ok(()),
    }
}
