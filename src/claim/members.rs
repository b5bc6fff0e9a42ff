//! Decoding a session's claim tree edit by edit. An edit of a field that holds a single value (text, an
//! enum, a date, money, a count, true/false, a photo result) inside records and existing list entries —
//! `payee.bank_name`, `invoices[0].items[1].amount`, set or unset — is decoded alone from the edited tree
//! node into the claim decoded last ([`MemberCache::decode`] patches the value along the path, the
//! defaults that take another field's value, and the field's C00 problem in its place in schema order).
//! Any other edit makes the top-level member it reaches be decoded again, alone: each top-level field of
//! claim@1 is decoded by itself and kept until an edit reaches it. Either way, the members that did not
//! change keep their very values (the incremental check finds them unchanged by pointer), and the result is
//! exactly [`super::decode`]'s: the members are assembled in schema order, unknown top-level keys first,
//! `reported_on` defaults to `filed_on`, the schema is checked; a claim whose lists hold more than
//! [`crate::limits::MAX_RECORDS`] records together (where which list goes over depends on all of them), or
//! a root that is not an object, is decoded whole.

use std::sync::Arc;

use super::decode::{decode_member, decode_node, fill_field_defaults, keys, Path, Piece};
use super::edit::{parse_path, Step};
use super::schema::{Default, Field, Kind, CLAIM, CLAIM_SCHEMA};
use super::{decode, Decoded, Problem, Reason};
use crate::json::{JsonKind, JsonNode};
use crate::limits::MAX_RECORDS;
use crate::value::{Map, Value};

/// The decoded claim of a session, kept between reports.
#[derive(Debug, Clone, Default)]
pub struct MemberCache {
    /// Per field of [`CLAIM`], its decoding while the member is unchanged.
    pieces: Vec<Option<Piece>>,
    /// The claim decoded last, and the edits since.
    last: Option<Decoded>,
    edits: Vec<String>,
}

impl MemberCache {
    /// Notes an edit at `path` (`invoices[0].total`): the next [`MemberCache::decode`] decodes what it reached.
    pub fn forget(&mut self, path: &str) {
        let name = path.split(['.', '[']).next().unwrap_or_default();
        if let Some(i) = CLAIM.iter().position(|f| f.name == name) {
            if let Some(p) = self.pieces.get_mut(i) {
                *p = None;
            }
        }
        if self.last.is_some() {
            self.edits.push(path.to_string());
        }
    }

    /// Forgets everything (the whole claim was replaced).
    pub fn clear(&mut self) {
        self.pieces.clear();
        self.last = None;
        self.edits.clear();
    }

    /// Decodes the claim tree `root` (what [`decode`] gives), decoding only what the edits since the last
    /// call reached.
    pub fn decode(&mut self, root: &JsonNode) -> Decoded {
        let edits = std::mem::take(&mut self.edits);
        if let Some(mut d) = self.last.take() {
            if edits.iter().all(|e| patch(&mut d, root, e).is_some()) {
                self.last = Some(d.clone());
                return d;
            }
        }
        let d = self.by_member(root);
        self.last = Some(d.clone());
        d
    }

    /// The claim assembled from its top-level members, decoding those not kept.
    fn by_member(&mut self, root: &JsonNode) -> Decoded {
        let JsonKind::Object(members) = &root.kind else {
            self.pieces.clear();
            return decode(root);
        };
        self.pieces.resize_with(CLAIM.len(), || None);
        let mut ignored = Vec::new();
        let mut given: Vec<Option<&JsonNode>> = vec![None; CLAIM.len()];
        for (k, _, v) in members {
            match CLAIM.iter().position(|f| f.name == &**k) {
                Some(i) => {
                    if let Some(g) = given.get_mut(i) {
                        *g = Some(v);
                    }
                }
                None => ignored.push(Path::Field(&Path::Root, k).render()),
            }
        }
        let mut records = 0usize;
        for ((f, piece), g) in CLAIM.iter().zip(self.pieces.iter_mut()).zip(&given) {
            let p = piece.get_or_insert_with(|| decode_member(f, *g));
            records = records.saturating_add(p.records);
            if p.problems.iter().any(|x| x.reason == Reason::TooManyRecords) {
                records = usize::MAX;
            }
        }
        if records > MAX_RECORDS {
            return decode(root);
        }
        let mut problems = Vec::new();
        let mut out: Map = Vec::with_capacity(CLAIM.len());
        for (key, piece) in keys(CLAIM).iter().zip(self.pieces.iter().flatten()) {
            problems.extend(piece.problems.iter().cloned());
            ignored.extend(piece.ignored.iter().cloned());
            out.push((key.clone(), piece.value.clone()));
        }
        fill_field_defaults(CLAIM, &mut out);
        let value = Value::object(out);
        check_schema(&value, &mut problems);
        Decoded {
            value,
            problems,
            ignored,
        }
    }
}

/// Adds the problem of a claim that is not claim@1 (always the last one).
fn check_schema(value: &Value, problems: &mut Vec<Problem>) {
    if let Some(s) = value.get("schema").and_then(Value::as_str) {
        if s != CLAIM_SCHEMA {
            problems.push(Problem {
                path: "schema".into(),
                reason: Reason::WrongSchema,
            });
        }
    }
}

/// Re-decodes the single-value field at `path` from the tree into `d`; `None` (nothing changed) when the
/// edit is not of that form or the claim around it is not as the decoded claim says (a record that was
/// malformed, a list entry that was added or removed), so the caller decodes by member instead.
fn patch(d: &mut Decoded, root: &JsonNode, path: &str) -> Option<()> {
    let steps = parse_path(path).ok()?;
    let (Step::Key(leaf), init) = steps.split_last()? else {
        return None;
    };
    if d.problems.iter().any(|p| p.path.is_empty()) {
        return None;
    }
    // The records on the way, in the schema, the tree and the decoded claim.
    let mut fields: &'static [Field] = CLAIM;
    let mut node = Some(root);
    let mut rendered = String::new();
    let mut key: Vec<usize> = Vec::new();
    let mut at = init.iter().peekable();
    while let Some(step) = at.next() {
        let Step::Key(name) = step else { return None };
        let i = fields.iter().position(|f| f.name == name)?;
        push_key(&mut rendered, name);
        key.push(i);
        node = node.and_then(|n| member(n, name));
        fields = match fields.get(i)?.kind {
            Kind::Record(sub) => sub,
            Kind::List(sub) => {
                let Some(Step::Index(n)) = at.next() else { return None };
                rendered.push_str(&format!("[{n}]"));
                key.push(*n);
                node = match node.map(|x| &x.kind) {
                    Some(JsonKind::Array(items)) => items.get(*n),
                    _ => return None,
                };
                sub
            }
            _ => return None,
        };
    }
    let i = fields.iter().position(|f| f.name == leaf)?;
    let f = fields.get(i)?;
    if matches!(f.kind, Kind::Record(_) | Kind::List(_) | Kind::StrList) {
        return None;
    }
    let JsonKind::Object(siblings) = &node?.kind else {
        return None;
    };
    push_key(&mut rendered, leaf);
    key.push(i);
    // The field's value and problem, decoded from its node alone.
    let given = |name: &str| siblings.iter().find(|(k, _, _)| &**k == name).map(|(_, _, v)| v);
    let mut found = Vec::new();
    let value = match given(leaf) {
        Some(n) if !matches!(n.kind, JsonKind::Null) => {
            decode_node(n, &f.kind, &Path::Field(&Path::Root, &rendered), &mut found)
        }
        _ => match f.default {
            Default::Zero => Value::Int(0),
            Default::False => Value::Bool(false),
            _ => Value::Null,
        },
    };
    // The record in the decoded claim, made writable along the path.
    let mut v = &mut d.value;
    for step in init {
        v = match (step, v) {
            (Step::Key(name), Value::Object(m)) => Arc::make_mut(m)
                .iter_mut()
                .find(|(k, _)| &**k == name)
                .map(|(_, x)| x)?,
            (Step::Index(n), Value::Array(a)) => Arc::make_mut(a).get_mut(*n)?,
            _ => return None,
        };
    }
    let Value::Object(record) = v else { return None };
    let record = Arc::make_mut(record);
    record.get_mut(i)?.1 = value;
    // Defaults that take another field's value, for those not given.
    for (slot, g) in record.iter_mut().zip(fields) {
        if matches!(g.default, Default::Field(_)) && given(g.name).is_none_or(|n| matches!(n.kind, JsonKind::Null)) {
            slot.1 = Value::Null;
        }
    }
    fill_field_defaults(fields, record);
    // The field's problem in its place (the schema problem, always last, is found again).
    if d.problems.last().is_some_and(|p| p.reason == Reason::WrongSchema) {
        d.problems.pop();
    }
    let place = match d.problems.iter().position(|p| p.path == rendered) {
        Some(j) => {
            d.problems.remove(j);
            j
        }
        None => d
            .problems
            .iter()
            .position(|p| order(&p.path).is_none_or(|k| k > key))
            .unwrap_or(d.problems.len()),
    };
    for (n, p) in found.into_iter().enumerate() {
        d.problems.insert(place + n, p);
    }
    check_schema(&d.value, &mut d.problems);
    Some(())
}

/// The member `name` of an object node.
fn member<'n>(n: &'n JsonNode, name: &str) -> Option<&'n JsonNode> {
    match &n.kind {
        JsonKind::Object(m) => m.iter().find(|(k, _, _)| &**k == name).map(|(_, _, v)| v),
        _ => None,
    }
}

fn push_key(out: &mut String, name: &str) {
    if !out.is_empty() {
        out.push('.');
    }
    out.push_str(name);
}

/// Where a problem's path comes in the decoder's order: field indexes and list positions from the root
/// (a record's own problem before its fields'); `None` for a path outside the schema.
fn order(path: &str) -> Option<Vec<usize>> {
    let mut fields: &'static [Field] = CLAIM;
    let mut key = Vec::new();
    for step in parse_path(path).ok()? {
        match step {
            Step::Key(name) => {
                let i = fields.iter().position(|f| f.name == name)?;
                key.push(i);
                if let Kind::Record(sub) | Kind::List(sub) = fields.get(i)?.kind {
                    fields = sub;
                }
            }
            Step::Index(n) => key.push(n),
        }
    }
    Some(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::CLAIM_JSON;
    use crate::claim::bounded::BoundedTree;
    use crate::json::{parse_with, write_value};

    fn same(a: &Decoded, b: &Decoded) -> bool {
        a.value == b.value
            && write_value(&a.value) == write_value(&b.value)
            && a.problems == b.problems
            && a.ignored == b.ignored
    }

    /// Random edits of an example claim: after each, the cache gives what a whole decode gives.
    #[test]
    fn random_edits_decode_as_a_whole_decode() {
        for text in [
            include_str!("../../examples/med-inpatient-not-settled.json"),
            include_str!("../../examples/acc-malformed-fields.json"),
            include_str!("../../examples/cash-illness-four-nights.json"),
        ] {
            random_edits(text);
        }
    }

    fn random_edits(text: &str) {
        let edits: &[(&str, Option<&str>)] = &[
            ("payee.bank_name", Some("\"ICBC\"")),
            ("payee.bank_name", Some("5")),
            ("invoices[0].total", Some("\"12.50\"")),
            ("invoices[0].total", Some("\"x\"")),
            ("invoices[0].items[0]", Some("{\"amount\": 1, \"q\": 2}")),
            ("invoices[1]", None),
            ("filed_on", Some("\"2024-09-30\"")),
            ("filed_on", None),
            ("reported_on", Some("null")),
            ("schema", Some("\"preclaim/claim@2\"")),
            ("schema", Some("\"preclaim/claim@1\"")),
            ("extra", Some("{\"a\": [1, 2]}")),
            ("extra", None),
            ("stay", Some("[]")),
            ("stay", None),
            ("stay.admitted_on", Some("\"2024-09-10\"")),
            ("history.used_invoices[0]", Some("\"\\ud800\"")),
            ("documents", Some("\"\\u0000preclaim:NaN\"")),
            ("documents", Some("[]")),
            ("policy.product", Some("\"P-ACC\"")),
            ("event.diagnoses[0].icd10", Some("7")),
            ("invoices[0].items[0].amount", Some("\"3.50\"")),
            ("invoices[0].items[0].amount", Some("-1")),
            ("invoices[0].items[0].amount", None),
            ("invoices[0].items[1].class", Some("\"Z\"")),
            ("invoices[0].issued_on", Some("\"2024-09-20\"")),
            ("invoices[0].issued_on", Some("\"bad\"")),
            ("invoices[0].visit_on", None),
            ("invoices[0].visit_on", Some("null")),
            ("invoices[1].total", Some("\"\\u0000preclaim:Infinity\"")),
            ("invoices[2].total", Some("\"1.00\"")),
            ("insured.name", Some("\"A\\ud800\"")),
            ("insured.name", Some("{\"x\": 1}")),
            ("policy.effective_on", Some("\"2024-01-01\"")),
            ("policy.effective_on", Some("\"2024-02-30\"")),
            ("policy.continuous_since", None),
            ("policy.paid_this_year", None),
            ("policy.social_insurance", Some("\"yes\"")),
            ("reported_on", None),
            ("filed_on", Some("[1]")),
            ("estate", Some("true")),
            ("documents[0].quality", Some("{\"verdict\": \"ok\"}")),
            ("documents[0].quality", Some("{\"verdict\": \"no\"}")),
            ("documents[0].pages", Some("2.5")),
            ("event.disability_grade", Some("3")),
            ("payee.x", Some("1")),
            ("beneficiaries[0].name", Some("\"B\"")),
        ];
        let root = parse_with(text, CLAIM_JSON).unwrap();
        let mut tree = BoundedTree::new(root).unwrap();
        let mut cache = MemberCache::default();
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        cache.decode(tree.root());
        for _ in 0..1500 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let (path, value) = edits[(seed % edits.len() as u64) as usize];
            let ok = match value {
                Some(v) => tree.set(path, v, CLAIM_JSON).is_ok(),
                None => tree.unset(path).is_ok(),
            };
            if ok {
                cache.forget(path);
            }
            let whole = decode(tree.root());
            // Now and then two edits before a report.
            if seed.is_multiple_of(5) {
                continue;
            }
            let parts = cache.decode(tree.root());
            assert!(same(&whole, &parts), "after {path} = {value:?}:\n{whole:?}\n{parts:?}");
        }
    }

    #[test]
    fn unchanged_members_keep_their_values() {
        let text = include_str!("../../examples/med-inpatient-not-settled.json");
        let mut tree = BoundedTree::new(parse_with(text, CLAIM_JSON).unwrap()).unwrap();
        let mut cache = MemberCache::default();
        let before = cache.decode(tree.root());
        tree.set("payee.bank_name", "\"BOC\"", CLAIM_JSON).unwrap();
        cache.forget("payee.bank_name");
        let after = cache.decode(tree.root());
        let (Some(Value::Array(a)), Some(Value::Array(b))) =
            (before.value.get("invoices"), after.value.get("invoices"))
        else {
            panic!("no invoices")
        };
        assert!(std::sync::Arc::ptr_eq(a, b));
        assert_ne!(before.value.get("payee"), after.value.get("payee"));
        // An amount is decoded alone: the other invoice keeps its value.
        let second = |d: &Decoded| match d.value.get("invoices").and_then(|v| v.as_array()?.get(1).cloned()) {
            Some(Value::Object(m)) => m,
            _ => panic!("no second invoice"),
        };
        tree.set("invoices[0].items[0].amount", "\"9.99\"", CLAIM_JSON).unwrap();
        cache.forget("invoices[0].items[0].amount");
        let patched = cache.decode(tree.root());
        assert!(std::sync::Arc::ptr_eq(&second(&after), &second(&patched)));
        assert!(same(&patched, &decode(tree.root())));
    }
}
