//! [`Program`] → bytes. Every match over the engine's types is exhaustive, so a new node, value or error
//! variant is a compile error here rather than something silently left out of the compiled form.

use std::collections::HashMap;

use super::{checksum, error, tag, ENGINE, FORMAT, MAGIC, MAX_DEPTH};
use crate::catalog::format::put_varint;
use crate::expr::error::EvalError;
use crate::expr::program::{Cmp, Ir, Iter, Seg};
use crate::expr::{Expr, Ty};
use crate::pack::def::{Kind, Severity, Text};
use crate::pack::program::{Program, Rule, Step};
use crate::pack::PackError;
use crate::value::Value;

/// Writes a compiled pack (its `tests` and source are not kept). Fails only for a program nested deeper
/// than a compiled pack may be, or too large for the format.
pub fn encode(p: &Program) -> Result<Vec<u8>, PackError> {
    let mut e = Enc::default();
    e.program(p);
    if let Some(m) = e.failed {
        return Err(error(m));
    }
    let mut body = Vec::with_capacity(e.out.len() + 16 * e.strings.len());
    put_varint(&mut body, e.strings.len() as u64);
    for s in &e.strings {
        put_varint(&mut body, s.len() as u64);
        body.extend_from_slice(s.as_bytes());
    }
    body.extend_from_slice(&e.out);
    seal(&MAGIC, &body)
}

/// The header (`magic`, format, engine, the body's length and checksum), then the body.
pub(super) fn seal(magic: &[u8; 8], body: &[u8]) -> Result<Vec<u8>, PackError> {
    let len = u32::try_from(body.len()).map_err(|_| error("the compiled form would exceed 4 GB".into()))?;
    let mut out = Vec::with_capacity(body.len() + 32);
    out.extend_from_slice(magic);
    out.extend_from_slice(&FORMAT.to_le_bytes());
    out.push(ENGINE.len() as u8);
    out.extend_from_slice(ENGINE.as_bytes());
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&checksum(body).to_le_bytes());
    out.extend_from_slice(body);
    Ok(out)
}

#[derive(Default)]
pub(super) struct Enc {
    pub(super) out: Vec<u8>,
    pub(super) strings: Vec<String>,
    pub(super) ids: HashMap<String, u64>,
    depth: usize,
    pub(super) failed: Option<String>,
}

impl Enc {
    fn byte(&mut self, b: u8) {
        self.out.push(b);
    }

    fn num(&mut self, v: u64) {
        put_varint(&mut self.out, v);
    }

    fn len(&mut self, n: usize) {
        self.num(n as u64);
    }

    fn str(&mut self, s: &str) {
        let id = match self.ids.get(s) {
            Some(&id) => id,
            None => {
                let id = self.strings.len() as u64;
                self.strings.push(s.to_string());
                self.ids.insert(s.to_string(), id);
                id
            }
        };
        self.num(id);
    }

    fn strs(&mut self, items: &[String]) {
        self.len(items.len());
        items.iter().for_each(|s| self.str(s));
    }

    fn nums(&mut self, items: &[u32]) {
        self.len(items.len());
        items.iter().for_each(|&n| self.num(u64::from(n)));
    }

    fn text(&mut self, t: &Text) {
        let Text { zh, en } = t;
        self.str(zh);
        self.str(en);
    }

    fn opt_num(&mut self, v: Option<u64>) {
        self.num(v.map_or(0, |v| v.saturating_add(1)));
    }

    fn opt_expr(&mut self, e: Option<&Expr>) {
        match e {
            None => self.byte(0),
            Some(e) => {
                self.byte(1);
                self.expr(e);
            }
        }
    }

    /// Enters one level of nesting; false (and the encoding failed) past [`MAX_DEPTH`].
    fn deeper(&mut self) -> bool {
        self.depth += 1;
        if self.depth > MAX_DEPTH && self.failed.is_none() {
            self.failed = Some(format!("an expression is nested deeper than {MAX_DEPTH} levels"));
        }
        self.failed.is_none()
    }

    pub(super) fn program(&mut self, p: &Program) {
        let Program {
            id,
            version,
            title,
            products,
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
            tests: _,
            slots,
            def: _,
            usage: _,
        } = p;
        self.str(id);
        self.str(version);
        self.text(title);
        self.strs(products);
        self.len(catalogs.len());
        catalogs.iter().for_each(|k| self.byte(k.byte()));
        self.len(params.len());
        for (k, v) in params {
            self.str(k);
            self.value(v);
        }
        self.len(derived.len());
        for (k, e) in derived {
            self.str(k);
            self.expr(e);
        }
        self.len(derived_order.len());
        derived_order.iter().for_each(|&i| self.len(i));
        self.len(rules.len());
        rules.iter().for_each(|r| self.rule(r));
        self.len(by_benefit.len());
        by_benefit.iter().for_each(|list| self.nums(list));
        self.nums(any_benefit);
        self.len(steps.len());
        for s in steps {
            let Step {
                rule,
                label,
                when,
                amount,
            } = s;
            self.str(rule);
            self.text(label);
            self.opt_expr(when.as_ref());
            self.expr(amount);
        }
        self.strs(required);
        self.opt_expr(fast_track_limit.as_ref());
        self.len(*slots);
    }

    fn rule(&mut self, r: &Rule) {
        let Rule {
            id,
            kind,
            severity,
            each,
            when,
            message,
            values,
            fields,
            each_names,
            documents,
            aggregate,
        } = r;
        self.str(id);
        self.byte(match kind {
            Kind::C => 0,
            Kind::E => 1,
            Kind::K => 2,
            Kind::R => 3,
        });
        self.byte(match severity {
            Severity::Block => 0,
            Severity::Warn => 1,
            Severity::Info => 2,
        });
        self.len(each.len());
        for (slot, index, list) in each {
            self.num(u64::from(*slot));
            self.opt_num(index.map(u64::from));
            self.expr(list);
        }
        self.expr(when);
        self.text(message);
        self.len(values.len());
        for (k, e) in values {
            self.str(k);
            self.expr(e);
        }
        self.strs(fields);
        self.strs(each_names);
        self.strs(documents);
        self.byte(u8::from(*aggregate));
    }

    fn expr(&mut self, e: &Expr) {
        let Expr { ir, ty } = e;
        self.ty(ty);
        self.ir(ir);
    }

    /// The static type's outline (records are only checked while compiling, so they are kept as `Any`).
    fn ty(&mut self, t: &Ty) {
        match t {
            Ty::Any | Ty::Record(_) => self.byte(tag::T_ANY),
            Ty::Null => self.byte(tag::T_NULL),
            Ty::Bool => self.byte(tag::T_BOOL),
            Ty::Num => self.byte(tag::T_NUM),
            Ty::Money => self.byte(tag::T_MONEY),
            Ty::Str => self.byte(tag::T_STR),
            Ty::Date => self.byte(tag::T_DATE),
            Ty::Array(elem) => {
                self.byte(tag::T_ARRAY);
                if self.deeper() {
                    self.ty(elem);
                }
                self.depth -= 1;
            }
        }
    }

    fn irs(&mut self, items: &[Ir]) {
        self.len(items.len());
        items.iter().for_each(|i| self.ir(i));
    }

    fn segs(&mut self, path: &[Seg]) {
        self.len(path.len());
        for seg in path {
            let Seg { key, index, field, .. } = seg;
            self.str(key);
            self.opt_num(index.map(|i| i as u64));
            self.opt_num(field.map(u64::from));
        }
    }

    fn opt_ir(&mut self, ir: Option<&Ir>) {
        match ir {
            None => self.byte(0),
            Some(i) => {
                self.byte(1);
                self.ir(i);
            }
        }
    }

    fn ir(&mut self, ir: &Ir) {
        if !self.deeper() {
            self.depth -= 1;
            return;
        }
        match ir {
            Ir::Const(v) => {
                self.byte(tag::CONST);
                self.value(v);
            }
            Ir::List(items) => {
                self.byte(tag::LIST);
                self.irs(items);
            }
            Ir::Path { up, path, default } => {
                self.byte(tag::PATH);
                self.num(u64::from(*up));
                self.segs(path);
                self.opt_ir(default.as_deref());
            }
            Ir::VarDyn { path, default } => {
                self.byte(tag::VAR_DYN);
                self.ir(path);
                self.opt_ir(default.as_deref());
            }
            Ir::ValDyn { up, segs } => {
                self.byte(tag::VAL_DYN);
                self.num(u64::from(*up));
                self.irs(segs);
            }
            Ir::Exists { segs } => {
                self.byte(tag::EXISTS);
                self.irs(segs);
            }
            Ir::Missing(items) => {
                self.byte(tag::MISSING);
                self.irs(items);
            }
            Ir::MissingSome(a, b) => {
                self.byte(tag::MISSING_SOME);
                self.ir(a);
                self.ir(b);
            }
            Ir::Slot { slot, path } => {
                self.byte(tag::SLOT);
                self.num(u64::from(*slot));
                self.segs(path);
            }
            Ir::Call(op, args) => {
                self.byte(tag::CALL);
                self.str(op.name());
                self.irs(args);
            }
            Ir::CallSpread(op, arg) => {
                self.byte(tag::CALL_SPREAD);
                self.str(op.name());
                self.ir(arg);
            }
            Ir::If(a) => {
                self.byte(tag::IF);
                self.irs(a);
            }
            Ir::And(a) => {
                self.byte(tag::AND);
                self.irs(a);
            }
            Ir::Or(a) => {
                self.byte(tag::OR);
                self.irs(a);
            }
            Ir::Coalesce(a) => {
                self.byte(tag::COALESCE);
                self.irs(a);
            }
            Ir::Cmp(cmp, a) => {
                self.byte(tag::CMP);
                self.byte(match cmp {
                    Cmp::Lt => 0,
                    Cmp::Le => 1,
                    Cmp::Gt => 2,
                    Cmp::Ge => 3,
                    Cmp::Eq => 4,
                    Cmp::Ne => 5,
                    Cmp::StrictEq => 6,
                    Cmp::StrictNe => 7,
                });
                self.irs(a);
            }
            Ir::Try(a) => {
                self.byte(tag::TRY);
                self.irs(a);
            }
            Ir::Iter { kind, src, body } => {
                self.byte(tag::ITER);
                self.byte(match kind {
                    Iter::Map => 0,
                    Iter::Filter => 1,
                    Iter::All => 2,
                    Iter::Some => 3,
                    Iter::None => 4,
                    Iter::Sum => 5,
                    Iter::Count => 6,
                    Iter::Find => 7,
                });
                self.ir(src);
                self.ir(body);
            }
            Ir::Reduce { src, body, init } => {
                self.byte(tag::REDUCE);
                self.ir(src);
                self.ir(body);
                self.ir(init);
            }
            Ir::Regex { subject, re } => {
                self.byte(tag::REGEX);
                self.ir(subject);
                self.str(re.as_str());
                let dfa = re.dfa_bytes();
                self.len(dfa.len());
                self.out.extend_from_slice(dfa);
            }
            Ir::Fail(e) => {
                self.byte(tag::FAIL);
                self.eval_error(e);
            }
        }
        self.depth -= 1;
    }

    fn value(&mut self, v: &Value) {
        if !self.deeper() {
            self.depth -= 1;
            return;
        }
        match v {
            Value::Null => self.byte(tag::V_NULL),
            Value::Bool(false) => self.byte(tag::V_FALSE),
            Value::Bool(true) => self.byte(tag::V_TRUE),
            Value::Int(i) => {
                self.byte(tag::V_INT);
                self.num(zigzag(*i));
            }
            Value::Float(f) => {
                self.byte(tag::V_FLOAT);
                self.out.extend_from_slice(&f.to_bits().to_le_bytes());
            }
            Value::Str(s) => {
                self.byte(tag::V_STR);
                self.str(s);
            }
            Value::Array(items) => {
                self.byte(tag::V_ARRAY);
                self.len(items.len());
                items.iter().for_each(|i| self.value(i));
            }
            Value::Object(members) => {
                self.byte(tag::V_OBJECT);
                self.len(members.len());
                for (k, v) in members.iter() {
                    self.str(k);
                    self.value(v);
                }
            }
            Value::Date(d) => {
                self.byte(tag::V_DATE);
                self.num(zigzag(i64::from(*d)));
            }
            Value::Malformed => self.byte(tag::V_MALFORMED),
        }
        self.depth -= 1;
    }

    fn eval_error(&mut self, e: &EvalError) {
        if !self.deeper() {
            self.depth -= 1;
            return;
        }
        match e {
            EvalError::NaN => self.byte(tag::E_NAN),
            EvalError::InvalidArguments(m) => {
                self.byte(tag::E_INVALID);
                self.str(m);
            }
            EvalError::Thrown(v) => {
                self.byte(tag::E_THROWN);
                self.value(v);
            }
            EvalError::Malformed => self.byte(tag::E_MALFORMED),
            EvalError::Budget(n) => {
                self.byte(tag::E_BUDGET);
                self.num(*n);
            }
            EvalError::Derived(name, inner) => {
                self.byte(tag::E_DERIVED);
                self.str(name);
                self.eval_error(inner);
            }
        }
        self.depth -= 1;
    }
}

/// A signed integer as an unsigned varint (small magnitudes stay short).
pub(super) fn zigzag(i: i64) -> u64 {
    ((i << 1) ^ (i >> 63)) as u64
}
