//! Required claim@1 fields, as data: the fields every claim needs and those its `benefit` or ID type needs
//! ([`REQUIRED`], from the spec's fine points), checked once for every claim whatever its product, plus the
//! fields a product's pack declares in its `required` list ([`missing_at`]). Each field missing (absent or
//! `null`; a required list also when empty) is a [`Problem`] with reason [`Reason::Missing`], which the
//! checker reports as a C00 `block` finding naming the field. A field that is present but malformed is not
//! reported again as missing (decoding already said what is wrong with it), and a record or list that is
//! itself malformed is not looked into.
//!
//! Paths are written like finding fields, with `[]` standing for every element of a list:
//! `invoices[].items[].amount` checks each item of each invoice and reports `invoices[1].items[0].amount`.

use std::sync::{Arc, OnceLock};

use super::decode::{Problem, Reason};
use super::schema::{Field, Kind, CLAIM};
use crate::value::Value;

/// The benefits of medical claims (the estimate adds up invoices).
const MEDICAL: &[&str] = &["inpatient", "outpatient"];
/// The benefits that pay for a hospital stay and need its dates.
const STAY: &[&str] = &["inpatient", "hospital_cash"];
/// ID types whose number is the citizen number (birth date and sex are read from it).
const CITIZEN_NUMBER: &[&str] = &["resident_id", "household_register"];
/// ID types without a citizen number (birth date and sex must be given).
const OTHER_ID: &[&str] = &["passport", "other"];

/// When a field is required; a requirement with several conditions applies when all of them hold.
#[derive(Debug, Clone, Copy)]
pub enum Cond {
    /// The claim's `benefit` is one of these.
    Benefit(&'static [&'static str]),
    /// `insured.id_type` is one of these.
    IdType(&'static [&'static str]),
    /// Another field (a path from the claim's root) is given: present and not `null` (a malformed value
    /// counts as given).
    Given(&'static str),
    /// The record holding the field (an invoice) has an empty `items` list.
    NoItems,
    /// The record holding the field (an item) has no `code` whose class the loaded item catalog gives.
    ClassNotInCatalog,
}

/// A required field and when it is required.
#[derive(Debug, Clone, Copy)]
pub struct Requirement {
    pub path: &'static str,
    pub when: &'static [Cond],
}

const fn always(path: &'static str) -> Requirement {
    Requirement { path, when: &[] }
}

const fn when(path: &'static str, when: &'static [Cond]) -> Requirement {
    Requirement { path, when }
}

/// The fields every claim needs (rules.md, fine points).
pub static REQUIRED: &[Requirement] = &[
    always("filed_on"),
    always("benefit"),
    always("cause"),
    always("event.date"),
    always("policy.product"),
    always("policy.effective_on"),
    always("policy.expires_on"),
    when("policy.unpaid_premium", &[Cond::Given("policy.premium_due_on")]),
    when("policy.premium_due_on", &[Cond::Given("policy.unpaid_premium")]),
    always("insured.name"),
    always("insured.id_type"),
    when("insured.id_number", &[Cond::IdType(CITIZEN_NUMBER)]),
    when("insured.birth_date", &[Cond::IdType(OTHER_ID)]),
    when("insured.sex", &[Cond::IdType(OTHER_ID)]),
    always("applicant.relation"),
    when("event.diagnoses[].icd10", &[Cond::Benefit(&["critical_illness"])]),
    when("stay.admitted_on", &[Cond::Benefit(STAY)]),
    when("stay.discharged_on", &[Cond::Benefit(STAY)]),
    when("invoices", &[Cond::Benefit(MEDICAL)]),
    when("invoices[].visit", &[Cond::Benefit(MEDICAL)]),
    when("invoices[].total", &[Cond::Benefit(MEDICAL), Cond::NoItems]),
    when(
        "invoices[].items[].class",
        &[Cond::Benefit(MEDICAL), Cond::ClassNotInCatalog],
    ),
    when("invoices[].items[].amount", &[Cond::Benefit(MEDICAL)]),
];

/// The missing fields of [`REQUIRED`] in a decoded claim. `class_in_catalog(code)` says whether the loaded
/// item catalog gives the class of an item with that insurance code (then the claim need not give it).
pub fn missing(claim: &Value, class_in_catalog: &dyn Fn(&str) -> bool) -> Vec<Problem> {
    let mut out = Vec::new();
    for i in 0..REQUIRED.len() {
        missing_one(claim, i, class_in_catalog, &mut out);
    }
    out
}

/// The missing fields of requirement `i` of [`REQUIRED`] (what [`missing`] gives for it), added to `out`.
pub fn missing_one(claim: &Value, i: usize, class_in_catalog: &dyn Fn(&str) -> bool, out: &mut Vec<Problem>) {
    let (Some(r), Some(segs)) = (REQUIRED.get(i), required_segments().get(i)) else {
        return;
    };
    let claim_level = r.when.iter().all(|c| match c {
        Cond::Benefit(list) => str_at(claim, "benefit").is_some_and(|b| list.contains(&b)),
        Cond::IdType(list) => str_at(claim, "insured.id_type").is_some_and(|t| list.contains(&t)),
        Cond::Given(p) => at(claim, p).is_some_and(|v| !v.is_null()),
        Cond::NoItems | Cond::ClassNotInCatalog => true,
    });
    if !claim_level {
        return;
    }
    walk(claim, segs, &mut Vec::new(), &mut |trail, record, v| {
        if !is_missing(v) {
            return;
        }
        let applies = r.when.iter().all(|c| match c {
            Cond::NoItems => record
                .get("items")
                .and_then(Value::as_array)
                .is_some_and(<[Value]>::is_empty),
            Cond::ClassNotInCatalog => !record.get("code").and_then(Value::as_str).is_some_and(class_in_catalog),
            _ => true,
        });
        if applies {
            out.push(Problem {
                path: render(trail),
                reason: Reason::Missing,
            });
        }
    });
}

/// What requirement `i` of [`REQUIRED`] reads of a claim, as the paths of [`crate::expr::reads`]: its
/// field (each list on the way for its shape and elements, the field itself for being there, null or an
/// empty list), the fields its conditions look at, and an item's `code` or an invoice's `items` beside it.
pub fn reads(i: usize) -> crate::expr::Reads {
    use crate::expr::reads::{Read, Step, CLAIM};
    let key = |k: &str| Step::Key(Arc::from(k), k.parse().ok());
    let dotted = |p: &str| p.split('.').map(key).collect::<Vec<_>>();
    let mut r = crate::expr::Reads::default();
    let Some(req) = REQUIRED.get(i) else {
        r.any = true;
        return r;
    };
    let mut field = Vec::new();
    for seg in required_segments().get(i).map(Vec::as_slice).unwrap_or_default() {
        field.push(key(seg.name));
        if seg.list {
            field.push(Step::Each);
        }
    }
    let mut paths = vec![field.clone()];
    for c in req.when {
        let beside = |name: &str| {
            let mut p = field.clone();
            p.pop();
            p.push(key(name));
            p
        };
        paths.push(match c {
            Cond::Benefit(_) => dotted("benefit"),
            Cond::IdType(_) => dotted("insured.id_type"),
            Cond::Given(p) => dotted(p),
            Cond::NoItems => beside("items"),
            Cond::ClassNotInCatalog => beside("code"),
        });
    }
    for steps in paths {
        r.add(Read {
            root: CLAIM,
            steps,
            deep: false,
        });
    }
    r
}

/// Adds a problem for each missing field at `path` (a path of a pack's `required` list), unless the same
/// field is already reported.
pub fn missing_at(claim: &Value, path: &str, out: &mut Vec<Problem>) {
    let segs = segments(path);
    walk(claim, &segs, &mut Vec::new(), &mut |trail, _, v| {
        if is_missing(v) {
            let path = render(trail);
            if !out.iter().any(|p| p.path == path) {
                out.push(Problem {
                    path,
                    reason: Reason::Missing,
                });
            }
        }
    });
}

/// Absent, `null`, or an empty list.
fn is_missing(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::Array(a)) => a.is_empty(),
        Some(_) => false,
    }
}

/// The value at a plain dotted path (no lists).
fn at<'v>(v: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.').try_fold(v, |v, k| v.get(k))
}

fn str_at<'v>(v: &'v Value, path: &str) -> Option<&'v str> {
    at(v, path).and_then(Value::as_str)
}

/// A segment of a required path: a field name, whether it is a list whose every element is looked into
/// (`name[]`), and where the field is in its record when the record follows the schema's order (a hint:
/// the name is checked there first, then looked for).
#[derive(Debug, Clone, Copy)]
struct Segment<'p> {
    name: &'p str,
    list: bool,
    hint: usize,
}

/// A required path split into its segments, each with its field's place in the claim@1 schema.
fn segments(path: &str) -> Vec<Segment<'_>> {
    let mut fields: &'static [Field] = CLAIM;
    path.split('.')
        .map(|seg| {
            let (name, list) = match seg.strip_suffix("[]") {
                Some(name) => (name, true),
                None => (seg, false),
            };
            let at = fields.iter().position(|f| f.name == name);
            let hint = at.unwrap_or(usize::MAX);
            fields = match at.and_then(|i| fields.get(i)).map(|f| f.kind) {
                Some(Kind::Record(sub) | Kind::List(sub)) => sub,
                _ => &[],
            };
            Segment { name, list, hint }
        })
        .collect()
}

/// The field `seg` names in record `v`: at its place in the schema's order when it is there, else looked
/// for by name.
fn field<'v>(v: &'v Value, seg: &Segment<'_>) -> Option<&'v Value> {
    match v {
        Value::Object(m) => match m.get(seg.hint) {
            Some((k, x)) if **k == *seg.name => Some(x),
            _ => v.get(seg.name),
        },
        _ => None,
    }
}

/// The segments of each path of [`REQUIRED`], split once.
fn required_segments() -> &'static [Vec<Segment<'static>>] {
    static SEGMENTS: OnceLock<Vec<Vec<Segment<'static>>>> = OnceLock::new();
    SEGMENTS.get_or_init(|| REQUIRED.iter().map(|r| segments(r.path)).collect())
}

/// One step from the claim's root to the field being looked at: a field name or a list position.
#[derive(Debug, Clone, Copy)]
enum Step<'p> {
    Name(&'p str),
    Index(usize),
}

/// A field's path as findings write it: `invoices[1].items[0].amount`.
fn render(trail: &[Step<'_>]) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for step in trail {
        match step {
            Step::Name(name) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(name);
            }
            Step::Index(i) => {
                let _ = write!(out, "[{i}]");
            }
        }
    }
    out
}

/// What [`walk`] calls for each field: the steps to it, the record holding it, its value.
type Visit<'f, 'p> = dyn FnMut(&[Step<'p>], &Value, Option<&Value>) + 'f;

/// Calls `f(steps to the field, record holding the field, its value)` for every field `segs` names in `v`,
/// going into every element of a list segment; a record or list that is not one (malformed) is skipped.
/// The steps are kept in `trail` (one buffer for the whole walk): the callback renders the path only for
/// a field it reports, so a field that is present costs no allocation.
fn walk<'p>(v: &Value, segs: &[Segment<'p>], trail: &mut Vec<Step<'p>>, f: &mut Visit<'_, 'p>) {
    let (Value::Object(_), Some((seg, rest))) = (v, segs.split_first()) else {
        return;
    };
    let len = trail.len();
    trail.push(Step::Name(seg.name));
    match (seg.list, rest.is_empty()) {
        (true, last) => {
            if let Some(Value::Array(items)) = field(v, seg) {
                for (i, it) in items.iter().enumerate() {
                    trail.push(Step::Index(i));
                    if last {
                        f(trail, v, Some(it));
                    } else {
                        walk(it, rest, trail, f);
                    }
                    trail.truncate(len + 1);
                }
            }
        }
        (false, false) => {
            if let Some(child) = field(v, seg) {
                walk(child, rest, trail, f);
            }
        }
        (false, true) => f(trail, v, field(v, seg)),
    }
    trail.truncate(len);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claim::decode;
    use crate::json::parse;

    fn paths(text: &str, class_in_catalog: &dyn Fn(&str) -> bool) -> Vec<String> {
        let d = decode(&parse(text).unwrap());
        missing(&d.value, class_in_catalog)
            .into_iter()
            .map(|p| p.path)
            .collect()
    }

    #[test]
    fn every_claim_needs_the_basics() {
        assert_eq!(
            paths("{}", &|_| false),
            [
                "filed_on",
                "benefit",
                "cause",
                "event.date",
                "policy.product",
                "policy.effective_on",
                "policy.expires_on",
                "insured.name",
                "insured.id_type",
                "applicant.relation",
            ]
        );
    }

    #[test]
    fn benefit_and_id_type_add_fields() {
        let base = r#""filed_on":"2025-01-02","cause":"illness","applicant":{"relation":"self"}"#;
        let event = r#""event":{"date":"2025-01-01"}"#;
        let policy = r#""policy":{"product":"P","effective_on":"2024-01-01","expires_on":"2025-12-31"}"#;
        let inpatient = format!(
            r#"{{{base},{event},{policy},"benefit":"inpatient","insured":{{"name":"A","id_type":"passport"}},
            "invoices":[{{"total":"1.00"}},{{"visit":"inpatient","items":[{{"code":"X1","amount":"1.00"}},{{"class":"A"}}]}}]}}"#
        );
        assert_eq!(
            paths(&inpatient, &|_| false),
            [
                "insured.birth_date",
                "insured.sex",
                "stay.admitted_on",
                "stay.discharged_on",
                "invoices[0].visit",
                "invoices[1].items[0].class",
                "invoices[1].items[1].amount",
            ]
        );
        // The catalog gives the class of X1.
        assert!(!paths(&inpatient, &|c| c == "X1").contains(&"invoices[1].items[0].class".to_string()));
        let ci = format!(
            r#"{{{base},"benefit":"critical_illness","insured":{{"name":"A","id_type":"resident_id"}},
            "event":{{"date":"2025-01-01","diagnoses":[{{"icd10":"I21.0"}},{{"primary":true}}]}},
            "policy":{{"product":"P","effective_on":"2024-01-01","expires_on":"2025-12-31","unpaid_premium":"1.00"}}}}"#
        );
        assert_eq!(
            paths(&ci, &|_| false),
            ["policy.premium_due_on", "insured.id_number", "event.diagnoses[1].icd10"]
        );
        let outpatient = format!(
            r#"{{{base},{event},{policy},"benefit":"outpatient","insured":{{"name":"A","id_type":"other","birth_date":"2000-01-01","sex":"F"}},"invoices":[]}}"#
        );
        assert_eq!(paths(&outpatient, &|_| false), ["invoices"]);
    }

    #[test]
    fn records_out_of_schema_order_are_looked_into_by_name() {
        // Decoded records follow the schema's order (the walk looks there first); any other record is
        // still read by name.
        let text = r#"{"benefit":"outpatient","filed_on":"2025-01-02","invoices":[{"items":[{"amount":"1.00"},{"code":"X"}]}]}"#;
        let d = decode(&parse(text).unwrap());
        let reversed = |v: &Value| match v {
            Value::Object(m) => Value::object(m.iter().rev().cloned().collect()),
            v => v.clone(),
        };
        let mut shuffled = reversed(&d.value);
        if let Value::Object(m) = &mut shuffled {
            for (_, v) in std::sync::Arc::make_mut(m).iter_mut() {
                *v = reversed(v);
            }
        }
        let paths = |v: &Value| missing(v, &|_| false).into_iter().map(|p| p.path).collect::<Vec<_>>();
        assert_eq!(paths(&d.value), paths(&shuffled));
        assert!(paths(&shuffled).contains(&"invoices[0].items[1].amount".to_string()));
        assert!(!paths(&shuffled).contains(&"filed_on".to_string()));
    }

    #[test]
    fn malformed_is_not_missing_and_pack_paths_are_walked() {
        let d = decode(
            &parse(r#"{"filed_on":"x","invoices":[5,{"issued_on":null},{"issued_on":"2025-01-01"}],"hospital":{}}"#)
                .unwrap(),
        );
        let ps: Vec<String> = missing(&d.value, &|_| false).into_iter().map(|p| p.path).collect();
        assert!(!ps.contains(&"filed_on".to_string()));
        let mut out = Vec::new();
        missing_at(&d.value, "invoices[].issued_on", &mut out);
        missing_at(&d.value, "hospital.level", &mut out);
        missing_at(&d.value, "hospital.level", &mut out);
        let ps: Vec<&str> = out.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(ps, ["invoices[1].issued_on", "hospital.level"]);
    }
}
