//! Reading a pack's JSON text into a [`PackDef`]: every structural problem (a missing key, a wrong type,
//! an unknown key, a bad version) is a [`PackError`] with its JSON path, line and column. Expressions are
//! kept as JSON nodes here and compiled in [`super::compile`].

use super::def::*;
use super::error::PackError;
use crate::json::{self, line_col, JsonKind, JsonNode, ParseOptions};
use crate::value::Value;

/// Largest pack text accepted (bytes).
pub const MAX_PACK_BYTES: usize = crate::limits::MAX_PACK_BYTES;

pub(crate) struct Loader<'t> {
    pub text: &'t str,
}

impl Loader<'_> {
    pub fn err(&self, code: &'static str, path: &str, pos: u32, message: impl Into<String>) -> PackError {
        PackError {
            code,
            path: path.to_string(),
            at: line_col(self.text, pos as usize),
            message: message.into(),
            embedded: None,
        }
    }

    fn format(&self, path: &str, n: &JsonNode, message: impl Into<String>) -> PackError {
        self.err("pack.format", path, n.pos, message)
    }

    fn obj<'n>(&self, n: &'n JsonNode, path: &str, allowed: &[&str]) -> Result<&'n crate::json::Members, PackError> {
        let JsonKind::Object(m) = &n.kind else {
            return Err(self.format(path, n, format!("expected an object, found {}", n.type_name())));
        };
        for (k, pos, _) in m {
            if !allowed.contains(&&**k) {
                let hint = crate::expr::types::nearest(k, allowed.iter().copied())
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_else(|| format!(" (allowed: {})", allowed.join(", ")));
                return Err(self.err("pack.format", &join(path, k), *pos, format!("unknown key `{k}`{hint}")));
            }
        }
        Ok(m)
    }

    fn req<'n>(&self, n: &'n JsonNode, path: &str, key: &str) -> Result<&'n JsonNode, PackError> {
        n.get(key)
            .ok_or_else(|| self.format(path, n, format!("missing key `{key}`")))
    }

    fn string(&self, n: &JsonNode, path: &str) -> Result<String, PackError> {
        n.as_str()
            .map(str::to_string)
            .ok_or_else(|| self.format(path, n, format!("expected a string, found {}", n.type_name())))
    }

    fn strings(&self, n: Option<&JsonNode>, path: &str) -> Result<Vec<String>, PackError> {
        let Some(n) = n else { return Ok(Vec::new()) };
        let JsonKind::Array(items) = &n.kind else {
            return Err(self.format(path, n, format!("expected a list of strings, found {}", n.type_name())));
        };
        items
            .iter()
            .enumerate()
            .map(|(i, it)| self.string(it, &format!("{path}[{i}]")))
            .collect()
    }

    fn text(&self, n: &JsonNode, path: &str) -> Result<Text, PackError> {
        self.obj(n, path, &["zh-CN", "en"])?;
        let zh = self.string(self.req(n, path, "zh-CN")?, &join(path, "zh-CN"))?;
        let en = self.string(self.req(n, path, "en")?, &join(path, "en"))?;
        Ok(Text { zh, en })
    }

    fn expr(&self, n: &JsonNode, path: &str) -> ExprSrc {
        ExprSrc {
            path: path.to_string(),
            node: n.clone(),
        }
    }
}

pub(crate) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn is_semver(v: &str) -> bool {
    let core = v.split(['-', '+']).next().unwrap_or("");
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) && (p.len() == 1 || !p.starts_with('0')))
}

fn is_ident(s: &str) -> bool {
    let mut cs = s.chars();
    cs.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_') && cs.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// How a pack's JSON is parsed (by the loader and by the signature check, so both read the same document).
pub const PACK_JSON: ParseOptions = ParseOptions {
    max_depth: crate::limits::MAX_PACK_DEPTH,
    allow_duplicate_keys: false,
    replace_lone_surrogates: false,
    intern: None,
    max_values: usize::MAX,
};

/// Parses a pack's JSON text and settles what its numbers mean: a number too large for a double (`1e400`,
/// `-1e400`) is an error, as it is in a JSONLogic rule; a number with an exact integer value that fits
/// `i64` is that integer however it is written (`1.0`, `1e2`, `-0`, `-0.0` are `1`, `100`, `0`, `0`): the
/// value JavaScript would give it (`JSON.parse` then `JSON.stringify` of a pack keeps its meaning), and
/// the one its canonical bytes show ([`super::signature`]).
pub fn parse_json(text: &str) -> Result<JsonNode, json::JsonError> {
    let mut root = json::parse_with(text, PACK_JSON)?;
    let mut stack: Vec<&mut JsonNode> = vec![&mut root];
    while let Some(n) = stack.pop() {
        if let JsonKind::Float(f) = n.kind {
            if !f.is_finite() {
                return Err(json::JsonError {
                    offset: n.pos as usize,
                    message: "number too large (out of the range of a double)".into(),
                    limit: false,
                });
            }
            if let Some(i) = exact_integer(f) {
                n.kind = JsonKind::Int(i);
            }
            continue;
        }
        match &mut n.kind {
            // Reversed, so the first bad number in the text is the one reported.
            JsonKind::Array(items) => stack.extend(items.iter_mut().rev()),
            JsonKind::Object(members) => stack.extend(members.iter_mut().rev().map(|(_, _, v)| v)),
            _ => {}
        }
    }
    Ok(root)
}

/// The integer a finite double is exactly equal to, when it fits `i64` (`-0.0` is `0`).
pub(crate) fn exact_integer(f: f64) -> Option<i64> {
    // 2^63 is exactly representable; every double in [-2^63, 2^63) with no fraction converts exactly.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    (f.is_finite() && f.fract() == 0.0 && (-LIMIT..LIMIT).contains(&f)).then_some(f as i64)
}

/// Parses a pack's text.
pub fn load(text: &str) -> Result<PackDef, PackError> {
    let l = Loader { text };
    if text.len() > MAX_PACK_BYTES {
        return Err(l.err(
            "pack.limit",
            "",
            0,
            format!("the pack is larger than {} bytes", MAX_PACK_BYTES),
        ));
    }
    let root = parse_json(text).map_err(|e| l.err("pack.json", "", e.offset as u32, e.message))?;
    l.obj(
        &root,
        "",
        &[
            "$schema",
            "pack",
            "id",
            "version",
            "title",
            "signature",
            "products",
            "catalogs",
            "required",
            "route",
            "params",
            "derived",
            "rules",
            "estimate",
            "tests",
        ],
    )?;
    if let Some(p) = root.get("pack") {
        if p.as_str() != Some("preclaim/pack@1") {
            return Err(l.format("pack", p, "this checker reads packs marked \"preclaim/pack@1\""));
        }
    }
    let id = l.string(l.req(&root, "", "id")?, "id")?;
    if id.is_empty() {
        return Err(l.format("id", &root, "the pack id must not be empty"));
    }
    let vnode = l.req(&root, "", "version")?;
    let version = l.string(vnode, "version")?;
    if !is_semver(&version) {
        return Err(l.format(
            "version",
            vnode,
            format!("`{version}` is not a semantic version like 2026.1.0"),
        ));
    }
    let title = l.text(l.req(&root, "", "title")?, "title")?;
    let products = l.strings(Some(l.req(&root, "", "products")?), "products")?;
    let catalogs = catalog_kinds(&l, root.get("catalogs"))?;
    let required = required_paths(&l, root.get("required"))?;
    let fast_track_limit = match root.get("route") {
        Some(r) => {
            l.obj(r, "route", &["fast_track_limit"])?;
            r.get("fast_track_limit").map(|e| l.expr(e, "route.fast_track_limit"))
        }
        None => None,
    };

    let mut params = Vec::new();
    if let Some(p) = root.get("params") {
        let JsonKind::Object(m) = &p.kind else {
            return Err(l.format("params", p, "expected an object of parameters"));
        };
        for (k, pos, v) in m {
            if !is_ident(k) {
                return Err(l.err(
                    "pack.format",
                    &join("params", k),
                    *pos,
                    "a parameter name is letters, digits and _",
                ));
            }
            params.push((k.to_string(), Value::from_json(v)));
        }
    }

    let mut derived = Vec::new();
    if let Some(d) = root.get("derived") {
        let JsonKind::Object(m) = &d.kind else {
            return Err(l.format("derived", d, "expected an object of named expressions"));
        };
        for (k, pos, v) in m {
            if !is_ident(k) {
                return Err(l.err(
                    "pack.format",
                    &join("derived", k),
                    *pos,
                    "a derived value's name is letters, digits and _",
                ));
            }
            derived.push((k.to_string(), l.expr(v, &join("derived", k))));
        }
    }

    let mut rules = Vec::new();
    if let Some(r) = root.get("rules") {
        let JsonKind::Array(items) = &r.kind else {
            return Err(l.format("rules", r, "expected a list of rules"));
        };
        for (i, it) in items.iter().enumerate() {
            rules.push(rule(&l, it, &format!("rules[{i}]"))?);
        }
    }

    let mut steps = Vec::new();
    if let Some(e) = root.get("estimate") {
        l.obj(e, "estimate", &["steps"])?;
        if let Some(s) = e.get("steps") {
            let JsonKind::Array(items) = &s.kind else {
                return Err(l.format("estimate.steps", s, "expected a list of steps"));
            };
            for (i, it) in items.iter().enumerate() {
                let path = format!("estimate.steps[{i}]");
                l.obj(it, &path, &["rule", "label", "when", "amount"])?;
                steps.push(StepDef {
                    rule: l.string(l.req(it, &path, "rule")?, &join(&path, "rule"))?,
                    label: l.text(l.req(it, &path, "label")?, &join(&path, "label"))?,
                    when: it.get("when").map(|w| l.expr(w, &join(&path, "when"))),
                    amount: l.expr(l.req(it, &path, "amount")?, &join(&path, "amount")),
                });
            }
        }
    }

    let mut tests = Vec::new();
    if let Some(t) = root.get("tests") {
        let JsonKind::Array(items) = &t.kind else {
            return Err(l.format("tests", t, "expected a list of test cases"));
        };
        for (i, it) in items.iter().enumerate() {
            let path = format!("tests[{i}]");
            l.obj(it, &path, &["name", "claim", "expect"])?;
            let expect = l.req(it, &path, "expect")?;
            l.obj(expect, &join(&path, "expect"), crate::check::expect::KEYS)?;
            // The types, and at least one part to compare (the message names the part: `expect.steps.K01`).
            let parsed = crate::check::expect::Expect::from_value(&Value::from_json(expect))
                .map_err(|m| l.format(&join(&path, "expect"), expect, m))?;
            tests.push(TestDef {
                name: l.string(l.req(it, &path, "name")?, &join(&path, "name"))?,
                claim: l.req(it, &path, "claim")?.clone(),
                expect: parsed,
                path,
            });
        }
    }
    Ok(PackDef {
        id,
        version,
        title,
        products,
        catalogs,
        required,
        fast_track_limit,
        params,
        derived,
        rules,
        steps,
        tests,
    })
}

/// `catalogs`: the kinds of medical catalog the pack's rules use (`"diagnosis"`, `"item"`), each once.
fn catalog_kinds(l: &Loader, n: Option<&JsonNode>) -> Result<Vec<CatalogKind>, PackError> {
    let names = l.strings(n, "catalogs")?;
    let mut kinds = Vec::with_capacity(names.len());
    for (i, name) in names.iter().enumerate() {
        let at = n.map_or(0, |n| n.pos);
        let kind = match name.as_str() {
            "diagnosis" => CatalogKind::Diagnosis,
            "item" => CatalogKind::Item,
            other => {
                return Err(l.err(
                    "pack.format",
                    &format!("catalogs[{i}]"),
                    at,
                    format!("unknown catalog `{other}`: a pack may use \"diagnosis\" and \"item\""),
                ))
            }
        };
        if kinds.contains(&kind) {
            return Err(l.err(
                "pack.format",
                &format!("catalogs[{i}]"),
                at,
                format!("`{name}` is listed twice"),
            ));
        }
        kinds.push(kind);
    }
    Ok(kinds)
}

/// `required`: claim field paths (`hospital.level`, `invoices[].issued_on`), each checked against the claim
/// schema; `[]` after a list stands for each of its elements.
fn required_paths(l: &Loader, n: Option<&JsonNode>) -> Result<Vec<String>, PackError> {
    let Some(n) = n else { return Ok(Vec::new()) };
    let JsonKind::Array(items) = &n.kind else {
        return Err(l.format(
            "required",
            n,
            format!("expected a list of field paths, found {}", n.type_name()),
        ));
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, it) in items.iter().enumerate() {
        let path = format!("required[{i}]");
        let field = l.string(it, &path)?;
        check_required_path(&field).map_err(|m| l.format(&path, it, format!("field `{field}`: {m}")))?;
        out.push(field);
    }
    Ok(out)
}

/// Whether a required path names a claim field: names separated by `.`, a list's name followed by `[]`.
fn check_required_path(field: &str) -> Result<(), String> {
    let mut ty = crate::claim::claim_ty();
    let segs: Vec<&str> = field.split('.').collect();
    for (k, seg) in segs.iter().enumerate() {
        let (name, each) = match seg.strip_suffix("[]") {
            Some(n) => (n, true),
            None => (*seg, false),
        };
        if !is_ident(name) {
            return Err("write a field path like `hospital.level` or `invoices[].issued_on`".into());
        }
        ty = ty.step(name)?;
        if each {
            ty = ty.step("0").map_err(|_| format!("`{name}` is not a list"))?;
        } else if matches!(ty, crate::expr::Ty::Array(_)) && k + 1 < segs.len() {
            return Err(format!(
                "`{name}` is a list: write `{name}[]` to require a field of each element"
            ));
        }
    }
    Ok(())
}

fn rule(l: &Loader, n: &JsonNode, path: &str) -> Result<RuleDef, PackError> {
    l.obj(
        n,
        path,
        &[
            "id",
            "kind",
            "severity",
            "benefits",
            "each",
            "when",
            "message",
            "values",
            "fields",
            "documents",
            "aggregate",
        ],
    )?;
    let id = l.string(l.req(n, path, "id")?, &join(path, "id"))?;
    let knode = l.req(n, path, "kind")?;
    let kind = knode
        .as_str()
        .and_then(Kind::parse)
        .ok_or_else(|| l.format(&join(path, "kind"), knode, "kind must be \"C\", \"E\", \"K\" or \"R\""))?;
    let snode = l.req(n, path, "severity")?;
    let severity = snode.as_str().and_then(Severity::parse).ok_or_else(|| {
        l.format(
            &join(path, "severity"),
            snode,
            "severity must be \"block\", \"warn\" or \"info\"",
        )
    })?;
    let mut each = Vec::new();
    if let Some(e) = n.get("each") {
        let JsonKind::Array(items) = &e.kind else {
            return Err(l.format(
                &join(path, "each"),
                e,
                "expected a list like [{\"as\": \"inv\", \"in\": \"invoices\"}]",
            ));
        };
        for (i, it) in items.iter().enumerate() {
            let p = format!("{path}.each[{i}]");
            l.obj(it, &p, &["as", "in", "index"])?;
            let name_node = l.req(it, &p, "as")?;
            let name = l.string(name_node, &join(&p, "as"))?;
            if !is_ident(&name)
                || crate::claim::schema::CLAIM.iter().any(|f| f.name == name)
                || name == "params"
                || name == "derived"
            {
                return Err(l.format(&join(&p, "as"), name_node, format!("`{name}` cannot name a loop variable (use a name that is not a claim field, `params` or `derived`)")));
            }
            let index = match it.get("index") {
                Some(n) => {
                    let ix = l.string(n, &join(&p, "index"))?;
                    if !is_ident(&ix) || ix == name || crate::claim::schema::CLAIM.iter().any(|f| f.name == ix) {
                        return Err(l.format(&join(&p, "index"), n, format!("`{ix}` cannot name a loop index")));
                    }
                    Some(ix)
                }
                None => None,
            };
            each.push(Each {
                name,
                list: l.expr(l.req(it, &p, "in")?, &join(&p, "in")),
                index,
            });
        }
    }
    let mut values = Vec::new();
    if let Some(v) = n.get("values") {
        let JsonKind::Object(m) = &v.kind else {
            return Err(l.format(&join(path, "values"), v, "expected an object of named expressions"));
        };
        for (k, _, e) in m {
            values.push((k.to_string(), l.expr(e, &format!("{path}.values.{k}"))));
        }
    }
    Ok(RuleDef {
        id,
        kind,
        severity,
        benefits: l.strings(n.get("benefits"), &join(path, "benefits"))?,
        each,
        when: l.expr(l.req(n, path, "when")?, &join(path, "when")),
        message: l.text(l.req(n, path, "message")?, &join(path, "message"))?,
        values,
        fields: l.strings(n.get("fields"), &join(path, "fields"))?,
        documents: l.strings(n.get("documents"), &join(path, "documents"))?,
        aggregate: match n.get("aggregate") {
            None => false,
            Some(a) => match a.kind {
                JsonKind::Bool(b) => b,
                _ => return Err(l.format(&join(path, "aggregate"), a, "expected true or false")),
            },
        },
        path: path.to_string(),
    })
}
