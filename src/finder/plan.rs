//! plan@1: the claims to file (reimbursement claims in the chosen order, then the fixed-benefit claims),
//! the policies and claims skipped with their reasons, one list of the documents still missing, the total
//! and what the order gains. Members are written in the documented order so that a plan prints the same
//! bytes on every target.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::reasons::Reason;
use crate::domain::money::format_money;
use crate::pack::def::Locale;
use crate::value::Value;

pub const PLAN_SCHEMA: &str = "preclaim/plan@1";

/// A claim in the plan.
#[derive(Debug, Clone)]
pub struct Listed {
    pub key: String,
    pub product: String,
    pub benefit: &'static str,
    /// Place among the reimbursement claims (1, 2, …); `None` for fixed benefits.
    pub order: Option<usize>,
    /// Keys of the policies whose payout this claim deducts.
    pub after: Vec<String>,
    pub claim: Value,
    pub report: Value,
    pub payable: Option<i64>,
}

/// A policy, or one claim of it, left out of the plan's claims.
#[derive(Debug, Clone)]
pub struct Skipped {
    /// The policy's place in the input, then the benefit's place in the finder's order (for sorting).
    pub rank: (usize, usize),
    pub key: Option<String>,
    pub product: Option<String>,
    pub benefit: Option<&'static str>,
    pub reason: Reason,
    pub report: Option<Value>,
}

/// Everything a plan says.
#[derive(Debug, Clone)]
pub struct Parts {
    pub claims: Vec<Listed>,
    pub skipped: Vec<Skipped>,
    pub searched: bool,
    /// Chosen reimbursement total less the input order's (fen).
    pub gain: i64,
    pub ignored: Vec<String>,
}

/// An object from its members (one loop for every object the plan writes, rather than inlined code per
/// member: the plan is written once per call, size matters more than speed here).
fn obj(members: Vec<(&str, Value)>) -> Value {
    Value::object(members.into_iter().map(|(k, v)| (Arc::from(k), v)).collect())
}

fn opt(s: Option<&str>) -> Value {
    s.map_or(Value::Null, Value::str)
}

fn strs(v: &[String]) -> Value {
    Value::array(v.iter().map(|s| Value::str(s)).collect())
}

/// The documents the claims still need: each type once, sorted, with the policies whose claims need it.
fn documents(claims: &[Listed]) -> Value {
    let mut by_type: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for c in claims {
        let missing = c
            .report
            .get("missing_documents")
            .and_then(Value::as_array)
            .unwrap_or_default();
        for d in missing.iter().filter_map(Value::as_str) {
            let keys = by_type.entry(d.to_string()).or_default();
            if !keys.contains(&c.key) {
                keys.push(c.key.clone());
            }
        }
    }
    Value::array(
        by_type
            .into_iter()
            .map(|(t, keys)| obj(vec![("type", Value::str(&t)), ("claims", strs(&keys))]))
            .collect(),
    )
}

/// Writes the plan.
pub fn build(mut p: Parts, locale: Locale) -> Value {
    p.skipped.sort_by_key(|s| s.rank);
    let total: i64 = p.claims.iter().filter_map(|c| c.payable).sum();
    let claims = p
        .claims
        .iter()
        .map(|c| {
            obj(vec![
                ("policy", Value::str(&c.key)),
                ("product", Value::str(&c.product)),
                ("benefit", Value::str(c.benefit)),
                ("order", c.order.map_or(Value::Null, |o| Value::Int(o as i64))),
                ("after", strs(&c.after)),
                ("status", c.report.get("status").cloned().unwrap_or_default()),
                (
                    "payable",
                    c.payable.map_or(Value::Null, |f| Value::str(&format_money(f))),
                ),
                ("claim", c.claim.clone()),
                ("report", c.report.clone()),
            ])
        })
        .collect();
    let skipped = p
        .skipped
        .iter()
        .map(|s| {
            obj(vec![
                ("policy", opt(s.key.as_deref())),
                ("product", opt(s.product.as_deref())),
                ("benefit", opt(s.benefit)),
                ("reason", Value::str(s.reason.code())),
                ("message", Value::str(&s.reason.message(locale, s.report.as_ref()))),
                ("report", s.report.clone().unwrap_or_default()),
            ])
        })
        .collect();
    obj(vec![
        ("schema", Value::str(PLAN_SCHEMA)),
        ("claims", Value::array(claims)),
        ("skipped", Value::array(skipped)),
        ("documents", documents(&p.claims)),
        ("total_payable", Value::str(&format_money(total))),
        ("order_searched", Value::Bool(p.searched)),
        ("order_gain", Value::str(&format_money(p.gain))),
        ("ignored_fields", strs(&p.ignored)),
    ])
}
