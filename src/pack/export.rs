//! A pack with every expression as plain JSONLogic: the text syntax (`days_between(a, b) < 30`) parsed and
//! printed as the JSONLogic tree it compiles to, so that another JSONLogic engine (a JS one in a rule-builder
//! UI, a peer engine in a benchmark) can be given the same conditions. Everything that is not an expression
//! (ids, messages, params, fields, documents, tests) is copied unchanged; the result loads back with
//! [`super::load_program`] and behaves identically. It does not make the domain functions standard: they stay
//! as operators the other engine must be given (see [`to_jsonlogic`] and [`custom_operators`]).

use std::sync::Arc;

use super::error::PackError;
use super::load::{join, Loader};
use crate::expr::ast::{Node, NodeKind};
use crate::expr::ops::table::{self, Family};
use crate::expr::{jsonlogic, text};
use crate::json::{self, JsonKind, JsonNode};
use crate::value::{Map, Value};

/// Whether an operator is one of jsonlogic.com's reference implementation (json-logic-js): any engine
/// has it ([`Family::Core`] in the operator table).
pub fn is_standard(name: &str) -> bool {
    table::by_name(name).is_some_and(|d| d.family == Family::Core)
}

/// Whether an operator is one of the extended JSONLogic that json-logic-engine and datalogic-rs share (the
/// community compat-tables): `val` with `[[n], ...]` scope climbing, `exists`, `??`, `try`, `throw` and
/// `preserve` ([`Family::Extended`]).
pub fn is_extended(name: &str) -> bool {
    table::by_name(name).is_some_and(|d| d.family == Family::Extended)
}

/// Turns a pack's JSON text into the same pack, pretty-printed, with every expression as JSONLogic: the
/// derived values, each rule's `when`, `values` and `each[].in`, and each estimate step's `when` and
/// `amount`. The pack is loaded and compiled first, so an invalid pack gives the same located
/// [`PackError`] as [`super::load_program`]. A `signature` is dropped (the bytes it signed have changed).
/// `route.fast_track_limit` is an expression too.
///
/// What the exported expressions contain, beyond [`is_standard`]:
///
/// - **Domain functions**, as operators with their arguments evaluated first: `date`, `add_days`,
///   `add_months`, `add_years`, `days_between`, `age`, `latest`, `earliest` (dates), `money`, `yuan`,
///   `apply_ratio`, `mul_div`, `sum` (money in integer fen), `id_valid`, `id_birth`, `id_sex`, `luhn`,
///   `bank_card_valid`, `uscc_valid`, `mask` (identity numbers), `icd_valid`, `icd_category`, `icd_in`,
///   `icdo3_behaviour` (ICD codes), `flatten`, `len`, `lower`, `upper`, `abs`, `get`, `slice`, `index_of`,
///   `distinct`; and `regex_match(s, pattern)` (the pattern a literal). Their meaning is in
///   docs/expressions.md and their implementation in [`crate::domain`]; a JS engine is given them as custom
///   operations. [`custom_operators`] lists those one pack uses.
/// - **Iterators with a body** beyond the standard ones: `count(list, body)`, `find(list, body)` and the
///   two-argument `sum(list, body)`, where `body` is evaluated with each element as its data, like `filter`.
/// - **Scope access inside lambdas** ([`is_extended`]): inside the body of `map`, `filter`, `all`,
///   `some`, `none`, `count`, `find`, `sum` and `reduce`, `{"var": "x"}` reads the current element (in
///   `reduce`, `current` and `accumulator`), as in every engine. A text-syntax lambda that names its index,
///   `(x, i) => ...`, reads `i` as `{"val": [[1], "index"]}`, and a name that is not a binder (a claim
///   field, `params.*`, `derived.*`, or an outer lambda's binder) as `{"val": [[n], "path", ...]}`: each
///   iterator level counts as two scopes (the iteration's `{index}` record, then the element), so the
///   claim's `benefit` read inside one lambda is `{"val": [[2], "benefit"]}`. This is the scope climbing of
///   json-logic-engine and datalogic-rs (`val` with a first argument `[n]`).
/// - **Names outside the claim**, read with `var` at the top level: `params.NAME` (the pack's `params`,
///   constants), `derived.NAME` (the value of the derived expression NAME, computed in dependency order) and
///   a rule's loop variables (`each[].as`, and `each[].index` when named), bound to the current element and
///   its index. Another engine evaluates a rule on the claim object extended with `params`, `derived` and
///   the loop variables.
/// - **`{"preserve": "text"}`** for an expression that is just a string (a bare string would be read back as
///   the text syntax).
///
/// The claim data that preclaim's expressions see has money in fen (integers) and dates as calendar days,
/// printed `"YYYY-MM-DD"`; comparing two such strings with `<` orders them the same way.
pub fn to_jsonlogic(pack_text: &str) -> Result<String, PackError> {
    super::load_program(pack_text)?;
    let l = Loader { text: pack_text };
    let root = super::load::parse_json(pack_text).map_err(|e| l.err("pack.json", "", e.offset as u32, e.message))?;
    let JsonKind::Object(members) = &root.kind else {
        return Err(l.err("pack.format", "", root.pos, "expected an object"));
    };
    let mut out: Map = Vec::with_capacity(members.len());
    for (k, _, v) in members {
        let value = match &**k {
            "signature" => continue,
            "derived" => exprs_of_object(&l, v, "derived")?,
            "rules" => list(&l, v, "rules", rule)?,
            "estimate" => members_map(&l, v, "estimate", |l, k, v, p| match k {
                "steps" => list(l, v, p, step),
                _ => Ok(Value::from_json(v)),
            })?,
            "route" => exprs_of_object(&l, v, "route")?,
            _ => Value::from_json(v),
        };
        out.push((k.clone(), value));
    }
    Ok(json::write_value_pretty(&Value::object(out)))
}

/// The operators a pack's expressions use that are in neither [`is_standard`] nor
/// [`is_extended`] (the domain functions and the extra iterators), sorted: the custom operations a
/// JSONLogic engine needs to run the exported pack.
pub fn custom_operators(pack_text: &str) -> Result<Vec<String>, PackError> {
    let def = super::load::load(pack_text)?;
    let l = Loader { text: pack_text };
    let mut srcs: Vec<&super::def::ExprSrc> = def.derived.iter().map(|(_, e)| e).collect();
    for r in &def.rules {
        srcs.push(&r.when);
        srcs.extend(r.values.iter().map(|(_, e)| e));
        srcs.extend(r.each.iter().map(|e| &e.list));
    }
    for s in &def.steps {
        srcs.extend(s.when.iter());
        srcs.push(&s.amount);
    }
    srcs.extend(def.fast_track_limit.iter());
    let mut names = Vec::new();
    for src in srcs {
        collect_ops(&node_of(&l, &src.node, &src.path)?, &mut names);
    }
    names.retain(|n| !is_standard(n) && !is_extended(n));
    names.sort();
    names.dedup();
    Ok(names)
}

fn collect_ops(n: &Node, out: &mut Vec<String>) {
    match &n.kind {
        NodeKind::Lit(_) => {}
        NodeKind::List(items) => items.iter().for_each(|i| collect_ops(i, out)),
        NodeKind::Op { name, args, .. } => {
            out.push(name.clone());
            args.iter().for_each(|i| collect_ops(i, out));
        }
    }
}

/// The AST of an expression as written (a string is the text syntax).
fn node_of(l: &Loader, n: &JsonNode, path: &str) -> Result<Node, PackError> {
    match &n.kind {
        JsonKind::Str(s) => text::parse(s).map_err(|e| l.err("pack.expr", path, n.pos, e.to_string())),
        _ => jsonlogic::from_json(n).map_err(|e| l.err("pack.expr", path, e.pos, e.message)),
    }
}

/// One expression as JSONLogic.
fn expr(l: &Loader, n: &JsonNode, path: &str) -> Result<Value, PackError> {
    let v = jsonlogic::to_value(&node_of(l, n, path)?);
    Ok(match v {
        Value::Str(_) => Value::object(vec![(Arc::from("preserve"), v)]),
        v => v,
    })
}

/// An object whose members are all expressions (`derived`, a rule's `values`).
fn exprs_of_object(l: &Loader, n: &JsonNode, path: &str) -> Result<Value, PackError> {
    members_map(l, n, path, |l, _, v, p| expr(l, v, p))
}

/// An object with each member mapped by `f(loader, key, value, path)`.
fn members_map(
    l: &Loader,
    n: &JsonNode,
    path: &str,
    f: impl Fn(&Loader, &str, &JsonNode, &str) -> Result<Value, PackError>,
) -> Result<Value, PackError> {
    let JsonKind::Object(m) = &n.kind else {
        return Err(l.err("pack.format", path, n.pos, "expected an object"));
    };
    m.iter()
        .map(|(k, _, v)| Ok((k.clone(), f(l, k, v, &join(path, k))?)))
        .collect::<Result<Map, PackError>>()
        .map(Value::object)
}

/// A list with each element mapped by `f(loader, element, path)`.
fn list(
    l: &Loader,
    n: &JsonNode,
    path: &str,
    f: fn(&Loader, &JsonNode, &str) -> Result<Value, PackError>,
) -> Result<Value, PackError> {
    let JsonKind::Array(items) = &n.kind else {
        return Err(l.err("pack.format", path, n.pos, "expected a list"));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, it)| f(l, it, &format!("{path}[{i}]")))
        .collect::<Result<Vec<_>, _>>()
        .map(Value::array)
}

fn rule(l: &Loader, n: &JsonNode, path: &str) -> Result<Value, PackError> {
    members_map(l, n, path, |l, k, v, p| match k {
        "when" => expr(l, v, p),
        "values" => exprs_of_object(l, v, p),
        "each" => list(l, v, p, |l, it, p| {
            members_map(l, it, p, |l, k, v, p| match k {
                "in" => expr(l, v, p),
                _ => Ok(Value::from_json(v)),
            })
        }),
        _ => Ok(Value::from_json(v)),
    })
}

fn step(l: &Loader, n: &JsonNode, path: &str) -> Result<Value, PackError> {
    members_map(l, n, path, |l, k, v, p| match k {
        "when" | "amount" => expr(l, v, p),
        _ => Ok(Value::from_json(v)),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    const PACK: &str = r#"{
      "id": "t", "version": "1.0.0", "title": {"zh-CN": "t", "en": "t"}, "products": ["P-T"],
      "params": {"waiting_days": 30},
      "derived": {"start": "policy.effective_on", "late": "days_between(derived.start, event.date) > params.waiting_days"},
      "rules": [{
        "id": "R1", "kind": "R", "severity": "warn", "each": [{"as": "inv", "in": "invoices", "index": "k"}],
        "when": "inv.total > 0 and some(inv.items, (it, i) => i >= 0 and benefit == 'inpatient')",
        "message": {"zh-CN": "{n}", "en": "{n}"}, "values": {"n": "'x'"}
      }],
      "estimate": {"steps": [{"rule": "K1", "label": {"zh-CN": "a", "en": "a"}, "amount": {"+": [1, 2]}}]}
    }"#;

    #[test]
    fn text_becomes_jsonlogic_with_scope_access() {
        let out = json::parse(&to_jsonlogic(PACK).unwrap()).unwrap();
        let v = Value::from_json(&out);
        let w = |p: &str| {
            p.split('.').fold(v.clone(), |v, k| match k.parse::<usize>() {
                Ok(i) => v.as_array().unwrap()[i].clone(),
                Err(_) => v.get(k).cloned().unwrap(),
            })
        };
        let text = |p: &str| json::write_value(&w(p));
        assert_eq!(text("derived.start"), r#"{"var":"policy.effective_on"}"#);
        assert_eq!(
            text("derived.late"),
            r#"{">":[{"days_between":[{"var":"derived.start"},{"var":"event.date"}]},{"var":"params.waiting_days"}]}"#
        );
        assert_eq!(
            text("rules.0.when"),
            r#"{"and":[{">":[{"var":"inv.total"},0]},{"some":[{"var":"inv.items"},{"and":[{">=":[{"val":[[1],"index"]},0]},{"==":[{"val":[[2],"benefit"]},"inpatient"]}]}]}]}"#
        );
        assert_eq!(text("rules.0.values.n"), r#"{"preserve":"x"}"#);
        assert_eq!(text("rules.0.each.0.in"), r#"{"var":"invoices"}"#);
        assert_eq!(text("estimate.steps.0.amount"), r#"{"+":[1,2]}"#);
        assert_eq!(custom_operators(PACK).unwrap(), vec!["days_between".to_string()]);
    }

    #[test]
    fn an_invalid_pack_is_a_located_error() {
        let bad = PACK.replace("policy.effective_on", "policy.efective_on");
        let e = to_jsonlogic(&bad).unwrap_err();
        assert_eq!(e.code, "pack.expr");
        assert_eq!(e.path, "derived.start");
    }
}
