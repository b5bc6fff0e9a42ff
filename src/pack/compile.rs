//! [`PackDef`] → [`Program`]: every expression compiled against the claim@1 schema, the pack's parameters
//! (folded as constants), its derived values (ordered by their dependencies; a cycle is an error) and the
//! rule's loop variables; field paths and document codes checked; rules indexed by benefit so a check runs
//! only the rules that apply. Every error names its JSON path, line and column.

use std::cell::RefCell;
use std::collections::HashMap;

use super::def::*;
use super::error::PackError;
use super::load::Loader;
use crate::claim::claim_ty;
use crate::claim::schema::{BENEFITS, DOCUMENT_CODES};
use crate::expr::types::nearest;
use crate::expr::{compile, jsonlogic, text, CompileError, Env, Expr, Resolved, Ty};
use crate::json::{JsonKind, JsonNode};
use crate::value::Value;

pub use super::program::{Program, Rule, Step, Usage};

struct PackEnv<'a> {
    params: &'a [(String, Value)],
    derived: &'a [(String, ExprSrc)],
    /// Each derived value's index by name (a look-up per reference: a chain of n values compiles in O(n)).
    derived_ix: &'a HashMap<&'a str, usize>,
    derived_tys: &'a [Option<Ty>],
    /// Loop variables in scope: name, slot, element type.
    binders: Vec<(String, u32, Ty)>,
    deps: RefCell<Vec<usize>>,
    usage: &'a RefCell<Usage>,
}

impl<'a> PackEnv<'a> {
    fn new(
        def: &'a PackDef,
        derived_ix: &'a HashMap<&'a str, usize>,
        derived_tys: &'a [Option<Ty>],
        usage: &'a RefCell<Usage>,
    ) -> PackEnv<'a> {
        PackEnv {
            params: &def.params,
            derived: &def.derived,
            derived_ix,
            derived_tys,
            binders: Vec::new(),
            deps: RefCell::new(Vec::new()),
            usage,
        }
    }
}

impl Env for PackEnv<'_> {
    fn root(&self) -> Ty {
        claim_ty()
    }

    fn lookup(&self, path: &[&str]) -> Result<Option<(Resolved, usize)>, String> {
        let Some(first) = path.first() else { return Ok(None) };
        match *first {
            "params" => match path.get(1) {
                None => Ok(Some((
                    Resolved::Const(Value::object(
                        self.params
                            .iter()
                            .map(|(k, v)| (k.as_str().into(), v.clone()))
                            .collect(),
                    )),
                    1,
                ))),
                Some(name) => match self.params.iter().position(|(k, _)| k == name) {
                    Some(i) => {
                        if let Some(u) = self.usage.borrow_mut().params.get_mut(i) {
                            *u = true;
                        }
                        let v = self.params.get(i).map(|(_, v)| v.clone()).unwrap_or(Value::Null);
                        Ok(Some((Resolved::Const(v), 2)))
                    }
                    None => Err(unknown("parameter", name, self.params.iter().map(|(k, _)| k.as_str()))),
                },
            },
            "derived" => match path.get(1) {
                None => Err("write `derived.NAME` to use a derived value".into()),
                Some(name) => match self.derived_ix.get(name).copied() {
                    Some(i) => {
                        self.deps.borrow_mut().push(i);
                        if let Some(u) = self.usage.borrow_mut().derived.get_mut(i) {
                            *u = true;
                        }
                        let ty = self.derived_tys.get(i).cloned().flatten().unwrap_or(Ty::Any);
                        Ok(Some((Resolved::Slot(i as u32, ty), 2)))
                    }
                    None => Err(unknown(
                        "derived value",
                        name,
                        self.derived.iter().map(|(k, _)| k.as_str()),
                    )),
                },
            },
            name => Ok(self
                .binders
                .iter()
                .rev()
                .find(|(b, _, _)| b == name)
                .map(|(_, slot, ty)| (Resolved::Slot(*slot, ty.clone()), 1))),
        }
    }
}

fn unknown<'a>(what: &str, name: &str, names: impl Iterator<Item = &'a str>) -> String {
    match nearest(name, names) {
        Some(s) => format!("unknown {what} `{name}`; did you mean `{s}`?"),
        None => format!("unknown {what} `{name}`"),
    }
}

/// The byte offset in the pack text of byte `decoded` of the JSON string literal starting at `lit`.
fn string_offset(text: &str, lit: usize, decoded: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = lit + 1;
    let mut d = 0usize;
    while d < decoded {
        match bytes.get(i) {
            None | Some(b'"') => break,
            Some(b'\\') => {
                let (raw, dec) = match bytes.get(i + 1) {
                    Some(b'u') => {
                        let hex = |at: usize| {
                            text.get(at..at + 4)
                                .and_then(|h| u32::from_str_radix(h, 16).ok())
                                .unwrap_or(0)
                        };
                        let cp = hex(i + 2);
                        let low = (text.get(i + 6..i + 8) == Some("\\u")).then(|| hex(i + 8));
                        match low {
                            // A surrogate pair escape (`\uD83D\uDE00`) is one character of 4 bytes.
                            Some(lo) if (0xD800..0xDC00).contains(&cp) && (0xDC00..0xE000).contains(&lo) => (12, 4),
                            // A lone surrogate is read as U+FFFD (3 bytes).
                            _ => (6, char::from_u32(cp).map_or(3, char::len_utf8)),
                        }
                    }
                    _ => (2, 1),
                };
                i += raw;
                d += dec;
            }
            Some(_) => {
                i += 1;
                d += 1;
            }
        }
    }
    i
}

impl Loader<'_> {
    fn compile_expr(&self, src: &ExprSrc, env: &PackEnv) -> Result<Expr, PackError> {
        let node = match &src.node.kind {
            JsonKind::Str(s) => text::parse(s).map_err(|e| {
                let at = string_offset(self.text, src.node.pos as usize, e.pos as usize);
                self.err("pack.expr", &src.path, at as u32, e.message)
            })?,
            _ => jsonlogic::from_json(&src.node).map_err(|e| self.err("pack.expr", &src.path, e.pos, e.message))?,
        };
        compile(&node, env).map_err(|e: CompileError| {
            let at = match &src.node.kind {
                JsonKind::Str(_) => string_offset(self.text, src.node.pos as usize, e.pos as usize) as u32,
                _ => e.pos,
            };
            self.err("pack.expr", &src.path, at, e.message)
        })
    }

    fn check_field_path(&self, tmpl: &str, binders: &[String], path: &str, node_pos: u32) -> Result<(), PackError> {
        // Placeholders `{name}` stand for indexes of loop variables.
        let mut concrete = String::new();
        let mut rest = tmpl;
        while let Some(open) = rest.find('{') {
            concrete.push_str(rest.get(..open).unwrap_or(""));
            let after = rest.get(open + 1..).unwrap_or("");
            let Some(close) = after.find('}') else {
                return Err(self.err(
                    "pack.format",
                    path,
                    node_pos,
                    format!("unclosed `{{` in field path `{tmpl}`"),
                ));
            };
            let name = after.get(..close).unwrap_or("");
            if !binders.iter().any(|b| b == name) {
                return Err(self.err(
                    "pack.format",
                    path,
                    node_pos,
                    format!("`{{{name}}}` in `{tmpl}` is not a loop variable of this rule"),
                ));
            }
            concrete.push('0');
            rest = after.get(close + 1..).unwrap_or("");
        }
        concrete.push_str(rest);
        let mut ty = claim_ty();
        for seg in concrete.split(['.', '[', ']']).filter(|s| !s.is_empty()) {
            ty = ty
                .step(seg)
                .map_err(|m| self.err("pack.format", path, node_pos, format!("field `{tmpl}`: {m}")))?;
        }
        Ok(())
    }
}

fn node_pos(n: &JsonNode) -> u32 {
    n.pos
}

/// Placeholders `{name}` in a message.
pub fn placeholders(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(open) = rest.find('{') {
        let after = rest.get(open + 1..).unwrap_or("");
        match after.find('}') {
            Some(close) => {
                out.push(after.get(..close).unwrap_or(""));
                rest = after.get(close + 1..).unwrap_or("");
            }
            None => break,
        }
    }
    out
}

/// Compiles a loaded pack; `text` is its source, for error positions.
pub fn compile_pack(def: PackDef, text: &str) -> Result<Program, PackError> {
    let l = Loader { text };
    let root_pos = 0u32;
    let n = def.derived.len();
    let usage = RefCell::new(Usage {
        params: vec![false; def.params.len()],
        derived: vec![false; n],
    });

    let derived_ix: HashMap<&str, usize> = def
        .derived
        .iter()
        .enumerate()
        .map(|(i, (k, _))| (k.as_str(), i))
        .collect();
    // Pass 1: dependencies among derived values (types unknown yet).
    let untyped: Vec<Option<Ty>> = vec![None; n];
    let mut deps: Vec<Vec<usize>> = Vec::with_capacity(n);
    for (_, src) in &def.derived {
        let env = PackEnv::new(&def, &derived_ix, &untyped, &usage);
        l.compile_expr(src, &env)?;
        deps.push(env.deps.into_inner());
    }
    let order = topo_order(&deps).map_err(|cycle| {
        let names: Vec<&str> = cycle
            .iter()
            .filter_map(|i| def.derived.get(*i).map(|(k, _)| k.as_str()))
            .collect();
        let first = cycle.first().and_then(|i| def.derived.get(*i));
        let (path, pos) = first.map_or((String::from("derived"), root_pos), |(_, s)| {
            (s.path.clone(), node_pos(&s.node))
        });
        l.err(
            "pack.cycle",
            &path,
            pos,
            format!("derived values depend on each other in a cycle: {}", names.join(" → ")),
        )
    })?;

    // Pass 2: compile in dependency order, so each knows the types of those it uses.
    let mut tys: Vec<Option<Ty>> = vec![None; n];
    let mut compiled: Vec<Option<Expr>> = vec![None; n];
    for &i in &order {
        let Some((_, src)) = def.derived.get(i) else { continue };
        let env = PackEnv::new(&def, &derived_ix, &tys, &usage);
        let e = l.compile_expr(src, &env)?;
        if let Some(t) = tys.get_mut(i) {
            *t = Some(e.ty.clone());
        }
        if let Some(c) = compiled.get_mut(i) {
            *c = Some(e);
        }
    }
    let derived: Vec<(String, Expr)> = def
        .derived
        .iter()
        .zip(compiled)
        .filter_map(|((k, _), e)| e.map(|e| (k.clone(), e)))
        .collect();

    let mut max_binders = 0usize;
    let mut rules = Vec::with_capacity(def.rules.len());
    for r in &def.rules {
        let mut env = PackEnv::new(&def, &derived_ix, &tys, &usage);
        let mut each = Vec::with_capacity(r.each.len());
        let mut next = n as u32;
        for e in &r.each {
            let list = l.compile_expr(&e.list, &env)?;
            let slot = next;
            next += 1;
            env.binders.push((e.name.clone(), slot, list.ty.elem()));
            let index_slot = e.index.as_ref().map(|ix| {
                let s = next;
                next += 1;
                env.binders.push((ix.clone(), s, Ty::Num));
                s
            });
            each.push((slot, index_slot, list));
        }
        max_binders = max_binders.max(next as usize - n);
        let when = l.compile_expr(&r.when, &env)?;
        let mut values = Vec::with_capacity(r.values.len());
        for (k, src) in &r.values {
            values.push((k.clone(), l.compile_expr(src, &env)?));
        }
        let each_names: Vec<String> = r.each.iter().map(|e| e.name.clone()).collect();
        let rule_pos = node_pos(&r.when.node);
        for (i, f) in r.fields.iter().enumerate() {
            l.check_field_path(f, &each_names, &format!("{}.fields[{i}]", r.path), rule_pos)?;
        }
        for (i, d) in r.documents.iter().enumerate() {
            if !DOCUMENT_CODES.contains(&d.as_str()) {
                return Err(l.err(
                    "pack.format",
                    &format!("{}.documents[{i}]", r.path),
                    rule_pos,
                    format!("`{d}` is not a document code (D01–D22)"),
                ));
            }
        }
        for (i, b) in r.benefits.iter().enumerate() {
            if !BENEFITS.contains(&b.as_str()) {
                return Err(l.err(
                    "pack.format",
                    &format!("{}.benefits[{i}]", r.path),
                    rule_pos,
                    format!("`{b}` is not a benefit ({})", BENEFITS.join(", ")),
                ));
            }
        }
        for (loc, msg) in [("zh-CN", &r.message.zh), ("en", &r.message.en)] {
            for p in placeholders(msg) {
                if !r.values.iter().any(|(k, _)| k == p) {
                    return Err(l.err(
                        "pack.format",
                        &format!("{}.message.{loc}", r.path),
                        rule_pos,
                        format!("`{{{p}}}` has no entry in `values`"),
                    ));
                }
            }
        }
        rules.push(Rule {
            id: r.id.clone(),
            kind: r.kind,
            severity: r.severity,
            each,
            when,
            message: r.message.clone(),
            values,
            fields: r.fields.clone(),
            each_names,
            documents: r.documents.clone(),
            aggregate: r.aggregate,
        });
    }

    let mut by_benefit = vec![Vec::new(); BENEFITS.len()];
    let mut any_benefit = Vec::new();
    for (i, r) in def.rules.iter().enumerate() {
        if r.benefits.is_empty() {
            any_benefit.push(i as u32);
        }
        for (b, list) in BENEFITS.iter().zip(by_benefit.iter_mut()) {
            if r.benefits.is_empty() || r.benefits.iter().any(|x| x == b) {
                list.push(i as u32);
            }
        }
    }

    let env = PackEnv::new(&def, &derived_ix, &tys, &usage);
    let mut steps = Vec::with_capacity(def.steps.len());
    for s in &def.steps {
        steps.push(Step {
            rule: s.rule.clone(),
            label: s.label.clone(),
            when: s.when.as_ref().map(|w| l.compile_expr(w, &env)).transpose()?,
            amount: l.compile_expr(&s.amount, &env)?,
        });
    }
    let fast_track_limit = def
        .fast_track_limit
        .as_ref()
        .map(|e| l.compile_expr(e, &env))
        .transpose()?;

    Ok(Program {
        id: def.id.clone(),
        version: def.version.clone(),
        title: def.title.clone(),
        products: def.products.clone(),
        params: def.params.clone(),
        derived,
        derived_order: order,
        rules,
        by_benefit,
        any_benefit,
        steps,
        required: def.required.clone(),
        fast_track_limit,
        catalogs: def.catalogs.clone(),
        tests: def.tests.clone(),
        slots: n + max_binders,
        def: Some(def),
        usage: usage.into_inner(),
    })
}

/// A dependency order of the derived values, or the cycle found.
fn topo_order(deps: &[Vec<usize>]) -> Result<Vec<usize>, Vec<usize>> {
    // 0 = unvisited, 1 = on the current path, 2 = done.
    let mut state = vec![0u8; deps.len()];
    let mut order = Vec::with_capacity(deps.len());
    for start in 0..deps.len() {
        if state.get(start) != Some(&0) {
            continue;
        }
        // Iterative DFS: (node, next dependency index).
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        if let Some(s) = state.get_mut(start) {
            *s = 1;
        }
        while let Some(&(node, next)) = stack.last() {
            let ds = deps.get(node).map(Vec::as_slice).unwrap_or_default();
            if let Some(&d) = ds.get(next) {
                if let Some(top) = stack.last_mut() {
                    top.1 += 1;
                }
                match state.get(d) {
                    Some(0) => {
                        if let Some(s) = state.get_mut(d) {
                            *s = 1;
                        }
                        stack.push((d, 0));
                    }
                    Some(1) => {
                        let from = stack.iter().position(|(x, _)| *x == d).unwrap_or(0);
                        let mut cycle: Vec<usize> =
                            stack.get(from..).unwrap_or_default().iter().map(|(x, _)| *x).collect();
                        cycle.push(d);
                        return Err(cycle);
                    }
                    _ => {}
                }
            } else {
                if let Some(s) = state.get_mut(node) {
                    *s = 2;
                }
                order.push(node);
                stack.pop();
            }
        }
    }
    Ok(order)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_and_finds_cycles() {
        assert_eq!(topo_order(&[vec![1], vec![], vec![0, 1]]).unwrap(), vec![1, 0, 2]);
        assert_eq!(topo_order(&[vec![1], vec![2], vec![0]]).unwrap_err(), vec![0, 1, 2, 0]);
        assert_eq!(topo_order(&[vec![0]]).unwrap_err(), vec![0, 0]);
    }

    #[test]
    fn maps_offsets_inside_strings() {
        let t = r#"{"a": "x\"y\u00e9z"}"#;
        let lit = t.find("\"x").unwrap();
        assert_eq!(string_offset(t, lit, 0), lit + 1);
        assert_eq!(string_offset(t, lit, 2), lit + 4); // after x and the escaped quote
        assert_eq!(&t[string_offset(t, lit, 5)..string_offset(t, lit, 5) + 1], "z");
    }

    #[test]
    fn a_surrogate_pair_escape_is_one_character() {
        // Decoded: `a😀b` (1 + 4 + 1 bytes); raw: `a\uD83D\uDE00b`.
        let t = r#"{"a": "a\uD83D\uDE00b\uD83Dc"}"#;
        let lit = t.find("\"a\\").unwrap();
        assert_eq!(&t[string_offset(t, lit, 5)..string_offset(t, lit, 5) + 1], "b");
        // A lone high surrogate (not followed by a low one) is one replacement character of 3 bytes.
        assert_eq!(&t[string_offset(t, lit, 9)..string_offset(t, lit, 9) + 1], "c");
    }
}
