//! finder@1 decoding and validation: the people (by key), the policy entries, the event and the parts every
//! assembled claim shares. Whole-input problems — not an object, another schema, no `people` or `policies`,
//! a bad event, a policy naming an insured that is not in `people`, two policies with the same key, more
//! than the limits allow — are a [`FinderError`]. A policy entry that is malformed in itself (not an object,
//! no `key`, no `insured`, no `policy` object, no `policy.product`) is kept as [`EntryKind::Invalid`] and
//! ends up in the plan's `skipped` with reason `invalid`. Everything else (dates, money, enums inside the
//! policy, the person, the invoices) is left to the checker, which reports it as C00 findings of the claims.

use std::collections::BTreeMap;

use super::error::FinderError;
use crate::json::{JsonKind, JsonNode};
use crate::pack::def::Locale;

/// The `schema` of a finder input.
pub const FINDER_SCHEMA: &str = "preclaim/finder@1";

/// Most policy entries (and most people) an input may list.
pub const MAX_POLICIES: usize = crate::limits::MAX_POLICIES;

/// The parts of the input every assembled claim shares, in claim@1 order (`filed_on`, `reported_on` first;
/// `applicant` … `history` after the policy and the insured).
pub const SHARED_HEAD: &[&str] = &["filed_on", "reported_on"];
pub const SHARED_TAIL: &[&str] = &[
    "applicant",
    "payee",
    "hospital",
    "stay",
    "invoices",
    "documents",
    "history",
];

const POLICY_ENTRY_FIELDS: &[&str] = &["key", "insured", "policy", "beneficiaries", "estate"];

/// What is wrong with a policy entry that is skipped as `invalid`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invalid {
    NotObject,
    NoKey,
    NoInsured,
    NoPolicy,
    NoProduct,
}

impl Invalid {
    /// The field of the entry that is wrong, relative to `policies[i]`.
    pub fn field(self) -> &'static str {
        match self {
            Invalid::NotObject => "",
            Invalid::NoKey => ".key",
            Invalid::NoInsured => ".insured",
            Invalid::NoPolicy => ".policy",
            Invalid::NoProduct => ".policy.product",
        }
    }

    /// What is wrong, in plain words.
    pub fn describe(self, locale: Locale) -> &'static str {
        match (self, locale) {
            (Invalid::NotObject, Locale::Zh) => "这一项不是保单信息（应为一个对象）",
            (Invalid::NotObject, Locale::En) => "this entry is not a policy (it must be an object)",
            (Invalid::NoKey, Locale::Zh) => "缺少保单的标识 key（应为文字）",
            (Invalid::NoKey, Locale::En) => "the policy's key is missing (it must be text)",
            (Invalid::NoInsured, Locale::Zh) => "没有写明被保险人 insured（应为 people 中的标识）",
            (Invalid::NoInsured, Locale::En) => "the insured person is missing (it must be a key of people)",
            (Invalid::NoPolicy, Locale::Zh) => "缺少保单内容 policy（应为一个对象）",
            (Invalid::NoPolicy, Locale::En) => "the policy details are missing (policy must be an object)",
            (Invalid::NoProduct, Locale::Zh) => "缺少产品代码 policy.product",
            (Invalid::NoProduct, Locale::En) => "the product code policy.product is missing",
        }
    }
}

/// A policy entry as the finder reads it.
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    /// Its place in `policies`.
    pub index: usize,
    pub key: Option<&'a str>,
    pub product: Option<&'a str>,
    pub kind: EntryKind<'a>,
}

#[derive(Debug, Clone)]
pub enum EntryKind<'a> {
    Valid {
        insured: &'a str,
        policy: &'a JsonNode,
        beneficiaries: Option<&'a JsonNode>,
        estate: Option<&'a JsonNode>,
    },
    Invalid(Invalid),
}

/// A finder@1 input, checked.
#[derive(Debug, Clone)]
pub struct Input<'a> {
    pub policies: Vec<Entry<'a>>,
    /// The event object (its `insured` and `cause` are not claim@1 event fields).
    pub event: &'a JsonNode,
    /// `event.insured`, a key of `people`.
    pub event_insured: &'a str,
    /// `people[event.insured]`: the claims' `insured`.
    pub person: &'a JsonNode,
    /// `event.cause`: `illness` or `accident`.
    pub cause: &'a str,
    /// The root object (for the shared parts).
    pub root: &'a JsonNode,
    /// Input fields that are not part of finder@1 (paths), so nothing is dropped silently.
    pub ignored: Vec<String>,
}

impl<'a> Input<'a> {
    /// A shared part of the input (`invoices`, `stay`, …) when given and not null.
    pub fn part(&self, name: &str) -> Option<&'a JsonNode> {
        self.root.get(name).filter(|n| !matches!(n.kind, JsonKind::Null))
    }
}

fn members(n: &JsonNode) -> Option<&crate::json::Members> {
    match &n.kind {
        JsonKind::Object(m) => Some(m),
        _ => None,
    }
}

fn text(n: Option<&JsonNode>) -> Option<&str> {
    n.and_then(JsonNode::as_str).filter(|s| !s.trim().is_empty())
}

/// Reads and checks a parsed finder input.
pub fn read(root: &JsonNode) -> Result<Input<'_>, FinderError> {
    let top = members(root).ok_or_else(|| FinderError::input("", "it must be a JSON object"))?;
    match root.get("schema").map(|n| &n.kind) {
        Some(JsonKind::Str(s)) if &**s == FINDER_SCHEMA => {}
        Some(JsonKind::Str(s)) => {
            return Err(FinderError::input(
                "schema",
                format!("it is {s:?}; the finder reads {FINDER_SCHEMA} (a claim@1 goes to check)"),
            ))
        }
        _ => return Err(FinderError::input("schema", format!("it must be {FINDER_SCHEMA:?}"))),
    }
    let mut ignored = Vec::new();
    for (k, _, _) in top {
        let known = matches!(&**k, "schema" | "people" | "policies" | "event")
            || SHARED_HEAD.contains(&&**k)
            || SHARED_TAIL.contains(&&**k);
        if !known {
            ignored.push(k.to_string());
        }
    }
    let people = root
        .get("people")
        .and_then(members)
        .ok_or_else(|| FinderError::input("people", "it must be an object of the insured persons by key"))?;
    if people.len() > MAX_POLICIES {
        return Err(FinderError::TooLarge(format!(
            "people lists {} persons; at most {MAX_POLICIES}",
            people.len()
        )));
    }
    let people: BTreeMap<&str, &JsonNode> = people.iter().map(|(k, _, v)| (&**k, v)).collect();
    let list = match root.get("policies").map(|n| &n.kind) {
        Some(JsonKind::Array(a)) => a,
        _ => return Err(FinderError::input("policies", "it must be a list of policy entries")),
    };
    if list.len() > MAX_POLICIES {
        return Err(FinderError::TooLarge(format!(
            "policies lists {} entries; at most {MAX_POLICIES}",
            list.len()
        )));
    }

    let event = root
        .get("event")
        .filter(|e| members(e).is_some())
        .ok_or_else(|| FinderError::input("event", "it must be an object (what happened, to whom, when)"))?;
    let event_insured = match event.get("insured").map(|n| &n.kind) {
        Some(JsonKind::Str(s)) => &**s,
        _ => return Err(FinderError::input("event.insured", "it must be a key of people")),
    };
    let person = *people
        .get(event_insured)
        .ok_or_else(|| FinderError::input("event.insured", format!("{event_insured:?} is not a key of people")))?;
    let cause = match event.get("cause").and_then(JsonNode::as_str) {
        Some(c @ ("illness" | "accident")) => c,
        _ => {
            return Err(FinderError::input(
                "event.cause",
                "it must be \"illness\" or \"accident\"",
            ))
        }
    };

    let mut policies = Vec::with_capacity(list.len());
    let mut keys: BTreeMap<&str, usize> = BTreeMap::new();
    for (index, n) in list.iter().enumerate() {
        let Some(m) = members(n) else {
            policies.push(Entry {
                index,
                key: None,
                product: None,
                kind: EntryKind::Invalid(Invalid::NotObject),
            });
            continue;
        };
        for (k, _, _) in m {
            if !POLICY_ENTRY_FIELDS.contains(&&**k) {
                ignored.push(format!("policies[{index}].{k}"));
            }
        }
        let key = text(n.get("key"));
        let policy = n.get("policy").filter(|p| members(p).is_some());
        let product = policy.and_then(|p| text(p.get("product")));
        if let Some(k) = key {
            if let Some(first) = keys.insert(k, index) {
                return Err(FinderError::input(
                    format!("policies[{index}].key"),
                    format!("{k:?} is already the key of policies[{first}]; keys must be unique"),
                ));
            }
        }
        let insured = match n.get("insured").map(|i| &i.kind) {
            Some(JsonKind::Str(s)) if !people.contains_key(&**s) => {
                return Err(FinderError::input(
                    format!("policies[{index}].insured"),
                    format!("{s:?} is not a key of people"),
                ))
            }
            Some(JsonKind::Str(s)) => Some(&**s),
            _ => None,
        };
        let kind = match (key, insured, policy, product) {
            (None, ..) => EntryKind::Invalid(Invalid::NoKey),
            (_, None, ..) => EntryKind::Invalid(Invalid::NoInsured),
            (_, _, None, _) => EntryKind::Invalid(Invalid::NoPolicy),
            (_, _, _, None) => EntryKind::Invalid(Invalid::NoProduct),
            (Some(_), Some(insured), Some(policy), Some(_)) => EntryKind::Valid {
                insured,
                policy,
                beneficiaries: n.get("beneficiaries"),
                estate: n.get("estate"),
            },
        };
        policies.push(Entry {
            index,
            key,
            product,
            kind,
        });
    }
    Ok(Input {
        policies,
        event,
        event_insured,
        person,
        cause,
        root,
        ignored,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    fn err(text: &str) -> FinderError {
        read(&parse(text).unwrap()).unwrap_err()
    }

    const HEAD: &str = r#""schema":"preclaim/finder@1","people":{"me":{"name":"A"}}"#;

    #[test]
    fn whole_input_errors_name_their_path() {
        assert_eq!(err("[1]").path(), "");
        assert_eq!(err(r#"{"schema":"preclaim/claim@1"}"#).path(), "schema");
        let e = err(&format!(
            r#"{{{HEAD},"policies":[],"event":{{"insured":"dad","cause":"illness"}}}}"#
        ));
        assert_eq!(e.path(), "event.insured");
        assert!(e.to_string().contains("\"dad\" is not a key of people"), "{e}");
        let e = err(&format!(
            r#"{{{HEAD},"policies":[],"event":{{"insured":"me","cause":"fall"}}}}"#
        ));
        assert_eq!(e.path(), "event.cause");
        let e = err(&format!(
            r#"{{{HEAD},"event":{{"insured":"me","cause":"illness"}},"policies":[
              {{"key":"a","insured":"me","policy":{{"product":"P-MED"}}}},
              {{"key":"a","insured":"me","policy":{{"product":"P-ACC"}}}}]}}"#
        ));
        assert_eq!(e.path(), "policies[1].key");
        let e = err(&format!(
            r#"{{{HEAD},"event":{{"insured":"me","cause":"illness"}},"policies":[
              {{"key":"a","insured":"son","policy":{{"product":"P-MED"}}}}]}}"#
        ));
        assert_eq!(e.path(), "policies[0].insured");
    }

    #[test]
    fn malformed_entries_are_kept_as_invalid() {
        let text = format!(
            r#"{{{HEAD},"extra":1,"event":{{"insured":"me","cause":"illness"}},"policies":[
              5, {{"insured":"me","policy":{{"product":"P-MED"}}}}, {{"key":"b","policy":{{"product":"P-MED"}}}},
              {{"key":"c","insured":"me","policy":[]}}, {{"key":"d","insured":"me","policy":{{}},"note":"x"}},
              {{"key":"e","insured":"me","policy":{{"product":"P-MED"}}}}]}}"#
        );
        let node = parse(&text).unwrap();
        let input = read(&node).unwrap();
        let kinds: Vec<Option<Invalid>> = input
            .policies
            .iter()
            .map(|p| match p.kind {
                EntryKind::Invalid(i) => Some(i),
                EntryKind::Valid { .. } => None,
            })
            .collect();
        assert_eq!(
            kinds,
            [
                Some(Invalid::NotObject),
                Some(Invalid::NoKey),
                Some(Invalid::NoInsured),
                Some(Invalid::NoPolicy),
                Some(Invalid::NoProduct),
                None
            ]
        );
        assert_eq!(input.ignored, ["extra", "policies[4].note"]);
    }
}
