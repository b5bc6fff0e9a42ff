//! Decoding a session's claim tree member by member: each top-level field of claim@1 is decoded alone and
//! kept until an edit reaches it ([`MemberCache::forget`] with the edited path), so a session's report
//! decodes only the top-level member its edit changed (`payee.bank_name` re-decodes `payee`, not the
//! invoices), and the decoded claim keeps the very values of the members that did not change (the
//! incremental check then finds them unchanged by pointer). The result is exactly [`super::decode`]'s: the
//! members are assembled in schema order, unknown top-level keys first, `reported_on` defaults to
//! `filed_on`, the schema is checked; a claim whose lists hold more than
//! [`crate::limits::MAX_RECORDS`] records together (where which list goes over depends on all of them),
//! or a root that is not an object, is decoded whole.
//!
//! What it does not do: decode below a top-level member (an edit of `invoices[0].total` decodes every
//! invoice).

use super::decode::{decode_member, fill_field_defaults, keys, Path, Piece};
use super::schema::{CLAIM, CLAIM_SCHEMA};
use super::{decode, Decoded, Problem, Reason};
use crate::json::{JsonKind, JsonNode};
use crate::limits::MAX_RECORDS;
use crate::value::{Map, Value};

/// The decoded top-level members of a session's claim.
#[derive(Debug, Clone, Default)]
pub struct MemberCache {
    /// Per field of [`CLAIM`], its decoding while the member is unchanged.
    pieces: Vec<Option<Piece>>,
}

impl MemberCache {
    /// Forgets the member an edit at `path` (`invoices[0].total`) reaches.
    pub fn forget(&mut self, path: &str) {
        let name = path.split(['.', '[']).next().unwrap_or_default();
        if let Some(i) = CLAIM.iter().position(|f| f.name == name) {
            if let Some(p) = self.pieces.get_mut(i) {
                *p = None;
            }
        }
    }

    /// Forgets every member (the whole claim was replaced).
    pub fn clear(&mut self) {
        self.pieces.clear();
    }

    /// Decodes the claim tree `root` (what [`decode`] gives), re-decoding only the members forgotten since
    /// the last call.
    pub fn decode(&mut self, root: &JsonNode) -> Decoded {
        let JsonKind::Object(members) = &root.kind else {
            self.clear();
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
        if let Some(s) = value.get("schema").and_then(Value::as_str) {
            if s != CLAIM_SCHEMA {
                problems.push(Problem {
                    path: "schema".into(),
                    reason: Reason::WrongSchema,
                });
            }
        }
        Decoded {
            value,
            problems,
            ignored,
        }
    }
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
        let text = include_str!("../../examples/med-inpatient-not-settled.json");
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
        ];
        let root = parse_with(text, CLAIM_JSON).unwrap();
        let mut tree = BoundedTree::new(root).unwrap();
        let mut cache = MemberCache::default();
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..400 {
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
    }
}
