//! Which benefits an event can claim (finder.md, "Which claims") and which of them a product offers. The
//! offer comes from the product's pack — its `benefits` parameter, the same list its E06 rule checks — so an
//! insurer's new product needs no change here.

use crate::json::{JsonKind, JsonNode};
use crate::pack::def::Locale;
use crate::pack::program::Program;
use crate::value::Value;

/// Benefits in the order the finder lists claims: reimbursement first, then the fixed benefits.
pub const ORDER: &[&str] = &[
    "inpatient",
    "outpatient",
    "hospital_cash",
    "critical_illness",
    "disability",
    "death",
];

/// Medical reimbursement benefits: they carry the invoices and are coordinated across policies.
pub fn is_reimbursement(benefit: &str) -> bool {
    matches!(benefit, "inpatient" | "outpatient")
}

fn given(n: Option<&JsonNode>) -> bool {
    n.is_some_and(|n| !matches!(n.kind, JsonKind::Null))
}

/// A stay is given when `stay` has an admission or discharge date (or is malformed, so that the claims
/// report it); `{}` or `{"admitted_on": null}` is a form not filled in yet.
fn has_stay(stay: Option<&JsonNode>) -> bool {
    match stay.map(|s| &s.kind) {
        None | Some(JsonKind::Null) => false,
        Some(JsonKind::Object(_)) => stay.is_some_and(|s| given(s.get("admitted_on")) || given(s.get("discharged_on"))),
        Some(_) => true,
    }
}

/// The candidate benefits of an event, in [`ORDER`].
///
/// `inpatient` when a stay or an inpatient invoice is given; `outpatient` when there are invoices and
/// neither (one reimbursement claim per policy: an inpatient claim already covers the outpatient invoices
/// around the stay); `hospital_cash` with a stay; `critical_illness` with a diagnosis; `disability` with a
/// disability grade; `death` with a manner of death.
pub fn candidates(event: &JsonNode, stay: Option<&JsonNode>, invoices: Option<&JsonNode>) -> Vec<&'static str> {
    let stay = has_stay(stay);
    let invoices: &[JsonNode] = match invoices.map(|i| &i.kind) {
        Some(JsonKind::Array(a)) => a,
        _ => &[],
    };
    let inpatient_invoice = invoices
        .iter()
        .any(|i| i.get("visit").and_then(JsonNode::as_str) == Some("inpatient"));
    let diagnosis = matches!(event.get("diagnoses").map(|d| &d.kind), Some(JsonKind::Array(a)) if !a.is_empty());
    let inpatient = stay || inpatient_invoice;
    ORDER
        .iter()
        .copied()
        .filter(|b| match *b {
            "inpatient" => inpatient,
            "outpatient" => !inpatient && !invoices.is_empty(),
            "hospital_cash" => stay,
            "critical_illness" => diagnosis,
            "disability" => given(event.get("disability_grade")),
            "death" => given(event.get("death_manner")),
            _ => false,
        })
        .collect()
}

/// The benefits a pack offers: its `benefits` parameter (a list of benefit codes). A pack without one
/// offers nothing to the finder.
pub fn offered(program: &Program) -> Vec<&str> {
    let list = program
        .params
        .iter()
        .find(|(k, _)| k == "benefits")
        .and_then(|(_, v)| v.as_array())
        .unwrap_or_default();
    list.iter().filter_map(Value::as_str).collect()
}

/// A benefit's name for people.
pub fn label(benefit: &str, locale: Locale) -> &str {
    match (benefit, locale) {
        ("inpatient", Locale::Zh) => "住院医疗",
        ("inpatient", Locale::En) => "inpatient medical costs",
        ("outpatient", Locale::Zh) => "门急诊医疗",
        ("outpatient", Locale::En) => "outpatient medical costs",
        ("hospital_cash", Locale::Zh) => "住院津贴",
        ("hospital_cash", Locale::En) => "hospital cash",
        ("critical_illness", Locale::Zh) => "重大疾病",
        ("critical_illness", Locale::En) => "critical illness",
        ("disability", Locale::Zh) => "意外伤残",
        ("disability", Locale::En) => "disability",
        ("death", Locale::Zh) => "身故",
        ("death", Locale::En) => "death",
        (other, _) => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    fn cands(event: &str, stay: &str, invoices: &str) -> Vec<&'static str> {
        let (e, s, i) = (parse(event).unwrap(), parse(stay).unwrap(), parse(invoices).unwrap());
        candidates(&e, Some(&s), Some(&i))
    }

    #[test]
    fn candidates_follow_the_event() {
        let ev = r#"{"diagnoses":[{"icd10":"S52.500"}]}"#;
        let stay = r#"{"admitted_on":"2024-08-01","discharged_on":"2024-08-06"}"#;
        assert_eq!(
            cands(ev, stay, r#"[{"visit":"inpatient"}]"#),
            ["inpatient", "hospital_cash", "critical_illness"]
        );
        assert_eq!(
            cands(ev, "null", r#"[{"visit":"outpatient"}]"#),
            ["outpatient", "critical_illness"]
        );
        assert_eq!(cands(r#"{}"#, "{}", r#"[{"visit":"inpatient"}]"#), ["inpatient"]);
        assert_eq!(cands(r#"{}"#, r#"{"admitted_on":null}"#, "[]"), Vec::<&str>::new());
        assert_eq!(
            cands(
                r#"{"death_manner":"natural","disability_grade":null,"diagnoses":[]}"#,
                stay,
                "[]"
            ),
            ["inpatient", "hospital_cash", "death"]
        );
        assert_eq!(cands(r#"{"disability_grade":3}"#, "null", "5"), ["disability"]);
    }

    #[test]
    fn the_pack_says_what_it_offers() {
        let c = crate::check::Checker::with_defaults().unwrap();
        assert_eq!(offered(c.pack_for("P-MED").unwrap()), ["inpatient", "outpatient"]);
        assert_eq!(offered(c.pack_for("P-LIFE").unwrap()), ["death"]);
    }
}
