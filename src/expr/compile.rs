//! AST → [`Expr`]: resolves operator names, checks argument shapes, resolves every static variable path
//! against the data's static type (a typo in a closed record is an error with its position), replaces pack
//! parameters by constants and derived values by slots (through [`Env`]), folds constant sub-expressions and
//! compiles regular expressions once. Nothing here evaluates data.

use std::sync::Arc;

use super::ast::{Node, NodeKind};
use super::error::{CompileError, EvalError};
use super::eval::{eval_const, Budget};
use super::ops::table::{self, Family};
use super::ops::Op;
use super::program::{Cmp, Expr, Ir, Iter, Seg};
use super::types::{nearest, Ty};
use crate::value::Value;

/// What a root path names besides data.
#[derive(Debug, Clone)]
pub enum Resolved {
    /// A constant (a pack parameter): folded into the program.
    Const(Value),
    /// A slot filled before evaluation (a derived value, a bound variable), with its type.
    Slot(u32, Ty),
}

/// The names an expression may use: the root data type and the names that are not data.
pub trait Env {
    /// The static type of the root data.
    fn root(&self) -> Ty;
    /// Resolves the start of a root path (e.g. `params.waiting_days`): the resolution and how many segments
    /// it used; `Ok(None)` when the path is data; `Err` with a message when the name is wrong.
    fn lookup(&self, path: &[&str]) -> Result<Option<(Resolved, usize)>, String>;
}

/// Plain JSONLogic: any data, no other names.
pub struct OpenEnv;

impl Env for OpenEnv {
    fn root(&self) -> Ty {
        Ty::Any
    }
    fn lookup(&self, _path: &[&str]) -> Result<Option<(Resolved, usize)>, String> {
        Ok(None)
    }
}

/// Deepest expression accepted.
pub const MAX_DEPTH: usize = crate::limits::MAX_EXPR_DEPTH;

/// Compiles an AST against `env`.
pub fn compile(node: &Node, env: &dyn Env) -> Result<Expr, CompileError> {
    if node.depth() > MAX_DEPTH {
        return Err(CompileError::new(
            node.pos,
            format!("expression nested deeper than {MAX_DEPTH} levels"),
        ));
    }
    let mut c = Compiler {
        env,
        frames: vec![env.root()],
        keys: Vec::new(),
    };
    let (ir, ty) = c.node(node)?;
    Ok(Expr { ir, ty })
}

struct Compiler<'e> {
    env: &'e dyn Env,
    /// Static types of the scope frames (root first).
    frames: Vec<Ty>,
    /// The path keys made so far that are not claim field names, sorted: a key written in many places is
    /// one shared string, so data parsed with the rule's keys ([`crate::json::parse_value_with`]) matches
    /// every place by pointer.
    keys: Vec<Arc<str>>,
}

type Out = Result<(Ir, Ty), CompileError>;

impl Compiler<'_> {
    /// A path step: a claim field name shares the decoded claim's string, any other key this compile's.
    /// `field` is the member's position in the record type the step reads (see [`Seg::field`]).
    fn seg(&mut self, key: &str, field: Option<u32>) -> Seg {
        let index = key.parse().ok();
        if let Some(shared) = crate::claim::decode::intern(key) {
            return Seg::at(shared, index, field);
        }
        let key = match self.keys.binary_search_by(|k| (**k).cmp(key)) {
            Ok(i) => self.keys.get(i).cloned().unwrap_or_else(|| Arc::from(key)),
            Err(i) => {
                let k: Arc<str> = Arc::from(key);
                self.keys.insert(i, k.clone());
                k
            }
        };
        // Only claim records are laid out by their type; other data is searched.
        Seg::at(key, index, None)
    }

    /// The steps of a path read from a value of type `ty`, each with its field position when the type
    /// is a record.
    fn segs(&mut self, mut ty: Ty, path: &[String]) -> Box<[Seg]> {
        let mut out = Vec::with_capacity(path.len());
        for s in path {
            let field = ty.field_index(s);
            out.push(self.seg(s, field));
            ty = ty.step(s).unwrap_or(Ty::Any);
        }
        out.into_boxed_slice()
    }
}

fn konst(v: Value) -> (Ir, Ty) {
    let t = Ty::of(&v);
    (Ir::Const(v), t)
}

fn boxed(v: Vec<Ir>) -> Box<[Ir]> {
    v.into_boxed_slice()
}

impl Compiler<'_> {
    fn node(&mut self, n: &Node) -> Out {
        match &n.kind {
            NodeKind::Lit(v) => Ok(konst(v.clone())),
            NodeKind::List(items) => {
                let mut irs = Vec::with_capacity(items.len());
                let mut elem = Ty::Any;
                for (i, it) in items.iter().enumerate() {
                    let (ir, t) = self.node(it)?;
                    if i == 0 {
                        elem = t;
                    }
                    irs.push(ir);
                }
                if irs.iter().all(|i| matches!(i, Ir::Const(_))) {
                    let vals = irs
                        .into_iter()
                        .filter_map(|i| if let Ir::Const(v) = i { Some(v) } else { None })
                        .collect();
                    return Ok((Ir::Const(Value::array(vals)), Ty::array(elem)));
                }
                Ok((Ir::List(boxed(irs)), Ty::array(elem)))
            }
            NodeKind::Op { name, args, bare } => self.op(n.pos, name, args, *bare),
        }
    }

    fn all(&mut self, args: &[Node]) -> Result<Vec<Ir>, CompileError> {
        args.iter().map(|a| self.node(a).map(|(ir, _)| ir)).collect()
    }

    fn op(&mut self, pos: u32, name: &str, args: &[Node], bare: bool) -> Out {
        // Operators whose arguments must be a literal list in JSONLogic.
        let needs_list = matches!(
            name,
            "if" | "?:"
                | "and"
                | "or"
                | "<"
                | "<="
                | ">"
                | ">="
                | "=="
                | "!="
                | "==="
                | "!=="
                | "map"
                | "filter"
                | "reduce"
                | "all"
                | "some"
                | "none"
                | "count"
                | "find"
        );
        if needs_list && bare {
            return Ok((
                Ir::Fail(EvalError::invalid(&format!("{name} takes a list of arguments"))),
                Ty::Any,
            ));
        }
        match name {
            "var" => self.var(pos, args),
            "val" => self.val(pos, args),
            "exists" => Ok((
                Ir::Exists {
                    segs: boxed(self.all(args)?),
                },
                Ty::Bool,
            )),
            "missing" => Ok((Ir::Missing(boxed(self.all(args)?)), Ty::array(Ty::Str))),
            "missing_some" => match args {
                [min, keys] => {
                    let (a, _) = self.node(min)?;
                    let (b, _) = self.node(keys)?;
                    Ok((Ir::MissingSome(Box::new(a), Box::new(b)), Ty::array(Ty::Str)))
                }
                _ => Err(CompileError::new(
                    pos,
                    "missing_some takes a minimum and a list of keys",
                )),
            },
            "if" | "?:" => {
                let mut t = Ty::Any;
                let mut irs = Vec::with_capacity(args.len());
                for (i, a) in args.iter().enumerate() {
                    let (ir, ty) = self.node(a)?;
                    if i == 1 {
                        t = ty;
                    }
                    irs.push(ir);
                }
                Ok((Ir::If(boxed(irs)), t))
            }
            "and" | "or" => {
                if args.is_empty() {
                    return Ok((Ir::Const(Value::Bool(false)), Ty::Bool));
                }
                let irs = boxed(self.all(args)?);
                Ok((if name == "and" { Ir::And(irs) } else { Ir::Or(irs) }, Ty::Any))
            }
            "??" => Ok((Ir::Coalesce(boxed(self.all(args)?)), Ty::Any)),
            "try" => self.try_(args),
            "<" | "<=" | ">" | ">=" | "==" | "!=" | "===" | "!==" => {
                let cmp = match name {
                    "<" => Cmp::Lt,
                    "<=" => Cmp::Le,
                    ">" => Cmp::Gt,
                    ">=" => Cmp::Ge,
                    "==" => Cmp::Eq,
                    "!=" => Cmp::Ne,
                    "===" => Cmp::StrictEq,
                    _ => Cmp::StrictNe,
                };
                if args.len() < 2 {
                    return Ok((
                        Ir::Fail(EvalError::invalid(&format!("{name} takes at least two arguments"))),
                        Ty::Bool,
                    ));
                }
                Ok((Ir::Cmp(cmp, boxed(self.all(args)?)), Ty::Bool))
            }
            "map" | "filter" | "all" | "some" | "none" | "count" | "find" => self.iter(pos, name, args),
            "sum" if args.len() == 2 => self.iter(pos, name, args),
            "reduce" => self.reduce(pos, args),
            "regex_match" => self.regex(pos, args),
            _ => self.strict(pos, name, args, bare),
        }
    }

    fn strict(&mut self, pos: u32, name: &str, args: &[Node], bare: bool) -> Out {
        let Some(op) = Op::by_name(name) else {
            let names = table::OPS.iter().map(|d| d.name);
            return Err(CompileError::new(
                pos,
                match nearest(name, names) {
                    Some(s) => format!("unknown operator `{name}`; did you mean `{s}`?"),
                    None => format!("unknown operator `{name}`"),
                },
            ));
        };
        let mut irs = Vec::with_capacity(args.len());
        let mut tys = Vec::with_capacity(args.len());
        for a in args {
            let (ir, t) = self.node(a)?;
            irs.push(ir);
            tys.push(t);
        }
        let def = op.def();
        if let Some(d) = def.filter(|d| matches!(d.family, Family::Claim | Family::Catalog)) {
            let table::Arity(least, most) = d.arity;
            let given = args.len();
            if given < usize::from(least) || most.is_some_and(|m| given > usize::from(m)) {
                let wants = match (least, most) {
                    (a, Some(b)) if a == b => format!("{a} argument{}", if a == 1 { "" } else { "s" }),
                    (a, Some(b)) => format!("{a} to {b} arguments"),
                    (a, None) => format!("at least {a} argument{}", if a == 1 { "" } else { "s" }),
                };
                return Err(CompileError::new(pos, format!("`{name}` takes {wants}, not {given}")));
            }
        }
        let ty = def.map_or(Ty::Any, |d| d.returns.ty(&tys));
        if bare && op.spreads() {
            if let [one] = irs.as_slice() {
                if !matches!(one, Ir::Const(_)) {
                    let one = irs.pop().unwrap_or(Ir::Const(Value::Null));
                    return Ok((Ir::CallSpread(op, Box::new(one)), ty));
                }
                if let Ir::Const(Value::Array(items)) = one {
                    let items: Vec<Value> = items.to_vec();
                    return Ok((Ir::Call(op, items.into_iter().map(Ir::Const).collect()), ty));
                }
            }
        }
        // Fold constant calls, unless the arguments are large (folding runs without a step budget).
        let small = irs
            .iter()
            .map(|i| {
                if let Ir::Const(v) = i {
                    super::eval::size_cost(v)
                } else {
                    0
                }
            })
            .sum::<u64>()
            < 4096;
        if small && op.is_pure() && irs.iter().all(|i| matches!(i, Ir::Const(_))) {
            let vals: Vec<Value> = irs
                .iter()
                .filter_map(|i| if let Ir::Const(v) = i { Some(v.clone()) } else { None })
                .collect();
            if let Ok(v) = op.apply(&vals) {
                return Ok((Ir::Const(v), ty));
            }
        }
        Ok((Ir::Call(op, boxed(irs)), ty))
    }

    fn try_(&mut self, args: &[Node]) -> Out {
        let mut irs = Vec::with_capacity(args.len());
        for (i, a) in args.iter().enumerate() {
            if i > 0 {
                // Fallbacks see the error as their data: frames [meta, error].
                self.frames.push(Ty::Any);
                self.frames.push(Ty::Any);
            }
            let r = self.node(a);
            if i > 0 {
                self.frames.truncate(self.frames.len() - 2);
            }
            irs.push(r?.0);
        }
        Ok((Ir::Try(boxed(irs)), Ty::Any))
    }

    fn with_item<T>(&mut self, item: Ty, f: impl FnOnce(&mut Self) -> T) -> T {
        self.frames.push(Ty::record(vec![("index", Ty::Num)]));
        self.frames.push(item);
        let r = f(self);
        self.frames.truncate(self.frames.len().saturating_sub(2));
        r
    }

    fn iter(&mut self, pos: u32, name: &str, args: &[Node]) -> Out {
        let [src, body] = args else {
            return Ok((
                Ir::Fail(EvalError::invalid(&format!("{name} takes a list and an expression"))),
                Ty::Any,
            ));
        };
        if matches!(src.kind, NodeKind::Lit(Value::Null))
            || (matches!(body.kind, NodeKind::Lit(Value::Null)) && matches!(name, "map" | "filter"))
        {
            return Ok((
                Ir::Fail(EvalError::invalid(&format!("{name} needs an expression to apply"))),
                Ty::Any,
            ));
        }
        let (src_ir, src_ty) = self.node(src)?;
        let elem = src_ty.elem();
        let (body_ir, body_ty) = self.with_item(elem.clone(), |c| c.node(body))?;
        let _ = pos;
        let (kind, ty) = match name {
            "map" => (Iter::Map, Ty::array(body_ty)),
            "filter" => (Iter::Filter, src_ty),
            "all" => (Iter::All, Ty::Bool),
            "some" => (Iter::Some, Ty::Bool),
            "none" => (Iter::None, Ty::Bool),
            "sum" => (Iter::Sum, Ty::Num),
            "count" => (Iter::Count, Ty::Num),
            _ => (Iter::Find, elem),
        };
        Ok((
            Ir::Iter {
                kind,
                src: Box::new(src_ir),
                body: Box::new(body_ir),
            },
            ty,
        ))
    }

    fn reduce(&mut self, pos: u32, args: &[Node]) -> Out {
        if let Some(Node {
            kind: NodeKind::Lit(Value::Null),
            ..
        }) = args.first()
        {
            return Ok((Ir::Fail(EvalError::invalid("reduce needs a list")), Ty::Any));
        }
        let (src, body, init) = match args {
            [s, b] => (s, b, None),
            [s, b, i] => (s, b, Some(i)),
            _ => {
                return Ok((
                    Ir::Fail(EvalError::invalid(
                        "reduce takes a list, an expression and an initial value",
                    )),
                    Ty::Any,
                ))
            }
        };
        let _ = pos;
        let (src_ir, src_ty) = self.node(src)?;
        let (init_ir, init_ty) = match init {
            Some(i) => self.node(i)?,
            None => (Ir::Const(Value::Null), Ty::Any),
        };
        let frame = Ty::record(vec![("current", src_ty.elem()), ("accumulator", Ty::Any)]);
        let (body_ir, _) = self.with_item(frame, |c| c.node(body))?;
        Ok((
            Ir::Reduce {
                src: Box::new(src_ir),
                body: Box::new(body_ir),
                init: Box::new(init_ir),
            },
            init_ty,
        ))
    }

    fn regex(&mut self, pos: u32, args: &[Node]) -> Out {
        let [subject, pattern] = args else {
            return Err(CompileError::new(pos, "regex_match takes a string and a pattern"));
        };
        let (pat_ir, _) = self.node(pattern)?;
        let Ir::Const(Value::Str(p)) = pat_ir else {
            return Err(CompileError::new(
                pattern.pos,
                "regex_match needs its pattern as a literal string",
            ));
        };
        let re = super::pattern::Pattern::compile(&p).map_err(|e| CompileError::new(pattern.pos, e))?;
        let (s, _) = self.node(subject)?;
        Ok((
            Ir::Regex {
                subject: Box::new(s),
                re,
            },
            Ty::Bool,
        ))
    }

    /// A static path (strings and numbers only), or `None` when a part is computed.
    fn static_segs(args: &[Node]) -> Option<Vec<String>> {
        args.iter()
            .map(|a| match &a.kind {
                NodeKind::Lit(Value::Str(s)) => Some(s.to_string()),
                NodeKind::Lit(v @ (Value::Int(_) | Value::Float(_))) => Some(v.to_js_string()),
                _ => None,
            })
            .collect()
    }

    /// Resolves a static path `up` frames above the current one.
    fn path(&mut self, pos: u32, up: usize, segs: &[String], default: Option<Box<Ir>>) -> Out {
        let depth = self.frames.len();
        let up = up.min(depth.saturating_sub(1));
        let frame_ix = depth - 1 - up;
        if frame_ix == 0 && !segs.is_empty() {
            let strs: Vec<&str> = segs.iter().map(String::as_str).collect();
            match self.env.lookup(&strs) {
                Err(msg) => return Err(CompileError::new(pos, msg)),
                Ok(Some((res, used))) => {
                    let rest = segs.get(used..).unwrap_or_default();
                    return match res {
                        Resolved::Const(v) => {
                            let mut cur = v;
                            for s in rest {
                                cur = match &cur {
                                    Value::Object(_) => cur.get(s).cloned().unwrap_or(Value::Null),
                                    Value::Array(a) => s
                                        .parse::<usize>()
                                        .ok()
                                        .and_then(|i| a.get(i).cloned())
                                        .unwrap_or(Value::Null),
                                    _ => Value::Null,
                                };
                            }
                            if cur.is_null() {
                                if let Some(d) = default {
                                    return Ok((*d, Ty::Any));
                                }
                            }
                            Ok(konst(cur))
                        }
                        Resolved::Slot(slot, ty) => {
                            let path = self.segs(ty.clone(), rest);
                            let mut t = ty;
                            for s in rest {
                                t = t
                                    .step(s)
                                    .map_err(|m| CompileError::new(pos, format!("{m} (in `{}`)", segs.join("."))))?;
                            }
                            Ok((Ir::Slot { slot, path }, t))
                        }
                    };
                }
                Ok(None) => {}
            }
        }
        let mut t = self.frames.get(frame_ix).cloned().unwrap_or(Ty::Any);
        let path = self.segs(t.clone(), segs);
        for s in segs {
            t = t
                .step(s)
                .map_err(|m| CompileError::new(pos, format!("{m} (in `{}`)", segs.join("."))))?;
        }
        let ir = Ir::Path {
            up: up as u32,
            path,
            default,
        };
        Ok((ir, t))
    }

    fn var(&mut self, pos: u32, args: &[Node]) -> Out {
        let (path, default) = match args {
            [] => (None, None),
            [p] => (Some(p), None),
            [p, d, ..] => (Some(p), Some(d)),
        };
        let default = match default {
            Some(d) => Some(Box::new(self.node(d)?.0)),
            None => None,
        };
        let segs: Option<Vec<String>> = match path.map(|p| &p.kind) {
            None | Some(NodeKind::Lit(Value::Null)) => Some(Vec::new()),
            Some(NodeKind::Lit(Value::Str(s))) if s.is_empty() => Some(Vec::new()),
            Some(NodeKind::Lit(Value::Str(s))) => Some(s.split('.').map(str::to_string).collect()),
            Some(NodeKind::Lit(v @ (Value::Int(_) | Value::Float(_)))) => Some(vec![v.to_js_string()]),
            _ => None,
        };
        match (segs, path) {
            (Some(segs), _) => self.path(pos, 0, &segs, default),
            (None, Some(p)) => {
                let (p, _) = self.node(p)?;
                Ok((
                    Ir::VarDyn {
                        path: Box::new(p),
                        default,
                    },
                    Ty::Any,
                ))
            }
            (None, None) => self.path(pos, 0, &[], default),
        }
    }

    fn val(&mut self, pos: u32, args: &[Node]) -> Out {
        // An optional first argument `[n]` climbs n scopes up.
        let (up, rest) = match args.split_first() {
            Some((
                Node {
                    kind: NodeKind::List(l),
                    ..
                },
                rest,
            )) => match l.as_slice() {
                [Node {
                    kind: NodeKind::Lit(n), ..
                }] if n.as_i64().is_some() => (n.as_i64().map_or(0, |v| v.unsigned_abs() as usize), rest),
                _ => (0, args),
            },
            Some((
                Node {
                    kind: NodeKind::Lit(Value::Array(a)),
                    ..
                },
                rest,
            )) => match a.as_slice() {
                [n] if n.as_i64().is_some() => (n.as_i64().map_or(0, |v| v.unsigned_abs() as usize), rest),
                _ => (0, args),
            },
            _ => (0, args),
        };
        if let [Node {
            kind: NodeKind::Lit(Value::Null),
            ..
        }] = rest
        {
            return self.path(pos, up, &[], None);
        }
        match Self::static_segs(rest) {
            Some(segs) => self.path(pos, up, &segs, None),
            None => Ok((
                Ir::ValDyn {
                    up: up as u32,
                    segs: boxed(self.all(rest)?),
                },
                Ty::Any,
            )),
        }
    }
}

/// Compiles and evaluates a constant expression (used by folding callers that need a value).
pub fn fold(node: &Node) -> Option<Value> {
    let e = compile(node, &OpenEnv).ok()?;
    eval_const(&e, &mut Budget::new(10_000)).ok()
}
