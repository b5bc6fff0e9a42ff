//! Static checks for pack authors (`preclaim lint`): things that compile but are probably mistakes.
//! Errors stop a pack from loading ([`super::load_program`]); these are warnings.

use super::compile::{placeholders, Program};
use super::def::Kind;

/// A lint warning: the JSON path and what looks wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub path: String,
    pub message: String,
}

/// Runs every check.
pub fn lint(p: &Program) -> Vec<Warning> {
    let mut out = Vec::new();
    let Some(def) = &p.def else {
        out.push(Warning {
            path: String::new(),
            message: "a compiled pack keeps no source to lint: lint its JSON text".into(),
        });
        return out;
    };
    let mut warn = |path: String, message: String| out.push(Warning { path, message });
    for ((name, _), used) in def.params.iter().zip(&p.usage.params) {
        if !used {
            warn(
                format!("params.{name}"),
                "this parameter is not used by any expression".into(),
            );
        }
    }
    for ((name, _), used) in def.derived.iter().zip(&p.usage.derived) {
        if !used {
            warn(
                format!("derived.{name}"),
                "this derived value is not used by any rule or step".into(),
            );
        }
    }
    for (r, c) in def.rules.iter().zip(&p.rules) {
        let expect = match r.kind {
            Kind::C => 'C',
            Kind::E => 'E',
            Kind::K => 'K',
            Kind::R => 'R',
        };
        if !r.id.starts_with(expect) {
            warn(
                format!("{}.id", r.path),
                format!(
                    "rule `{}` is of kind {expect} but its id does not start with {expect}",
                    r.id
                ),
            );
        }
        if let Some(v) = c.when.as_const() {
            let what = if v.truthy() { "always fires" } else { "never fires" };
            warn(
                format!("{}.when", r.path),
                format!("the condition is constant: the rule {what}"),
            );
        }
        let exprs = std::iter::once(("when", &c.when))
            .chain(c.values.iter().map(|(k, e)| (k.as_str(), e)))
            .chain(c.each.iter().map(|(_, _, e)| ("each", e)));
        for (what, e) in exprs {
            if e.loose_null_comparison() {
                warn(
                    format!("{}.{what}", r.path),
                    "`== null` / `!= null` is also true for 0 in JSONLogic; to test whether a value is absent write `=== null` / `!== null`".into(),
                );
            }
        }
        let used: Vec<&str> = placeholders(&r.message.zh)
            .into_iter()
            .chain(placeholders(&r.message.en))
            .collect();
        for (k, _) in &r.values {
            if !used.contains(&k.as_str()) {
                warn(
                    format!("{}.values.{k}", r.path),
                    "this value is not used in the message".into(),
                );
            }
        }
        if r.aggregate && r.each.is_empty() {
            warn(
                format!("{}.aggregate", r.path),
                "`aggregate` has no effect on a rule without `each` (it fires once anyway)".into(),
            );
        }
        if r.message.zh == r.message.en {
            warn(
                format!("{}.message", r.path),
                "the zh-CN and en messages are the same (not translated?)".into(),
            );
        }
        if !r.message.zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) {
            warn(
                format!("{}.message.zh-CN", r.path),
                "the zh-CN message has no Chinese text".into(),
            );
        }
    }
    for (name, e) in &p.derived {
        if e.loose_null_comparison() {
            warn(format!("derived.{name}"), "`== null` / `!= null` is also true for 0 in JSONLogic; to test whether a value is absent write `=== null` / `!== null`".into());
        }
    }
    for (i, (s, c)) in def.steps.iter().zip(&p.steps).enumerate() {
        if c.amount.loose_null_comparison() || c.when.as_ref().is_some_and(|w| w.loose_null_comparison()) {
            warn(format!("estimate.steps[{i}]"), "`== null` / `!= null` is also true for 0 in JSONLogic; to test whether a value is absent write `=== null` / `!== null`".into());
        }
        if !(s.rule.starts_with('K') || s.rule.starts_with('E')) {
            warn(
                format!("estimate.steps[{i}].rule"),
                format!(
                    "step `{}` should name a calculation (K) or eligibility (E) rule",
                    s.rule
                ),
            );
        }
    }
    if def.tests.is_empty() {
        warn("tests".into(), "the pack has no test cases".into());
    }
    for (i, t) in def.tests.iter().enumerate() {
        if def.tests.iter().take(i).any(|o| o.name == t.name) {
            warn(
                format!("{}.name", t.path),
                format!("another test is also named `{}`", t.name),
            );
        }
    }
    out
}
