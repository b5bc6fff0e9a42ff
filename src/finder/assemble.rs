//! Assembling one claim@1 per (policy, candidate benefit) from the finder input: `benefit`; `cause` and the
//! event's fields (without the finder's `insured` and `cause`); the policy entry's `policy`,
//! `beneficiaries` and `estate`; `insured` = `people[event.insured]`; everything else shared. Only
//! reimbursement claims carry the invoices; fixed-benefit claims get `invoices: []`. Members keep the
//! order of claim-format.md, so an assembled claim prints like a hand-written one.

use std::sync::Arc;

use super::benefits::is_reimbursement;
use super::input::{Input, SHARED_HEAD, SHARED_TAIL};
use crate::claim::CLAIM_SCHEMA;
use crate::json::{JsonKind, JsonNode};

fn key(name: &str) -> Arc<str> {
    crate::claim::decode::intern(name).unwrap_or_else(|| Arc::from(name))
}

fn node(kind: JsonKind) -> JsonNode {
    JsonNode { kind, pos: 0 }
}

fn text(s: &str) -> JsonNode {
    node(JsonKind::Str(key(s)))
}

/// The policy entry's parts a claim takes.
#[derive(Debug, Clone, Copy)]
pub struct PolicyParts<'a> {
    pub policy: &'a JsonNode,
    pub beneficiaries: Option<&'a JsonNode>,
    pub estate: Option<&'a JsonNode>,
}

/// The claim@1 for one policy and benefit.
pub fn claim(input: &Input, parts: PolicyParts, benefit: &str) -> JsonNode {
    let mut m: crate::json::Members = Vec::with_capacity(17);
    let mut push = |name: &str, v: JsonNode| m.push((key(name), 0, v));
    push("schema", text(CLAIM_SCHEMA));
    for name in SHARED_HEAD {
        if let Some(v) = input.part(name) {
            push(name, v.clone());
        }
    }
    push("benefit", text(benefit));
    push("cause", text(input.cause));
    let event = match &input.event.kind {
        JsonKind::Object(members) => members
            .iter()
            .filter(|(k, _, _)| !matches!(&**k, "insured" | "cause"))
            .cloned()
            .collect(),
        _ => Vec::new(),
    };
    push("event", node(JsonKind::Object(event)));
    push("policy", parts.policy.clone());
    push("insured", input.person.clone());
    for name in SHARED_TAIL {
        let v = match *name {
            "invoices" if !is_reimbursement(benefit) => Some(node(JsonKind::Array(Vec::new()))),
            _ => input.part(name).cloned(),
        };
        if *name == "hospital" {
            // beneficiaries and estate come between payee and hospital in claim@1.
            if let Some(b) = parts.beneficiaries.filter(|b| !matches!(b.kind, JsonKind::Null)) {
                push("beneficiaries", b.clone());
            }
            if let Some(e) = parts.estate.filter(|e| !matches!(e.kind, JsonKind::Null)) {
                push("estate", e.clone());
            }
        }
        if let Some(v) = v {
            push(name, v);
        }
    }
    node(JsonKind::Object(m))
}

/// The number of JSON values in a tree (the size measure of the finder's work limits).
pub fn size(n: &JsonNode) -> usize {
    let mut count = 0usize;
    let mut stack = vec![n];
    while let Some(n) = stack.pop() {
        count += 1;
        match &n.kind {
            JsonKind::Array(a) => stack.extend(a.iter()),
            JsonKind::Object(m) => stack.extend(m.iter().map(|(_, _, v)| v)),
            _ => {}
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::{parse, write_value};
    use crate::value::Value;

    #[test]
    fn a_claim_takes_the_event_policy_person_and_shared_parts() {
        let text = r#"{"schema":"preclaim/finder@1","filed_on":"2024-08-20","people":{"me":{"name":"A"}},
          "policies":[{"key":"l","insured":"me","policy":{"product":"P-LIFE"},"beneficiaries":[],"estate":true}],
          "event":{"insured":"me","cause":"illness","date":"2024-08-01","death_manner":"natural"},
          "applicant":{"relation":"self"},"hospital":{"level":"3A"},"invoices":[{"total":"1.00"}],"history":null}"#;
        let root = parse(text).unwrap();
        let input = super::super::input::read(&root).unwrap();
        let super::super::input::EntryKind::Valid {
            policy,
            beneficiaries,
            estate,
            ..
        } = input.policies[0].kind
        else {
            panic!()
        };
        let parts = PolicyParts {
            policy,
            beneficiaries,
            estate,
        };
        let death = write_value(&Value::from_json(&claim(&input, parts, "death")));
        assert_eq!(
            death,
            r#"{"schema":"preclaim/claim@1","filed_on":"2024-08-20","benefit":"death","cause":"illness","event":{"date":"2024-08-01","death_manner":"natural"},"policy":{"product":"P-LIFE"},"insured":{"name":"A"},"applicant":{"relation":"self"},"beneficiaries":[],"estate":true,"hospital":{"level":"3A"},"invoices":[]}"#
        );
        let inpatient = write_value(&Value::from_json(&claim(&input, parts, "inpatient")));
        assert!(inpatient.contains(r#""invoices":[{"total":"1.00"}]"#), "{inpatient}");
        assert_eq!(size(&parse(r#"{"a":[1,2,{"b":null}]}"#).unwrap()), 6);
    }
}
