//! Incremental checks, for sessions: a [`Memo`] keeps, from the previous check of the same claim, each
//! derived value, each rule's findings and diagnostics, the estimate and the fast-track limit, with the
//! evaluation steps each used. The next check finds the paths that changed in the decoded claim
//! ([`super::diff`]: `invoices[0].total`), and re-evaluates only what reads one of them
//! ([`crate::expr::reads`]: `invoices[*].total`, or the whole list); a derived value re-evaluated adds the
//! paths that changed in its value, so what reads it re-runs only when the part it reads changed (an
//! unchanged value changes nothing). The rest is reused, and its steps are counted against the budget as if
//! re-run, so the result is the full check's, byte for byte (tests/incremental.rs checks it on random edit
//! sequences). A new pack, locale or catalog, or a budget that would not cover the reused work, means a
//! full check.

use super::diff::{claim_changes, slot_changes};
use super::report::FindingValues;
use super::run::{run_with, Ctx, ElemRun, Finding, Run, StepResult, Stopped};
use crate::catalog::CatalogSet;
use crate::claim::{required, Problem};
use crate::expr::reads::{Change, Frame, Scope, Step};
use crate::expr::{Reads, SlotValue};
use crate::limits::{MAX_FINDINGS, MAX_REPORT_BYTES};
use crate::pack::def::Locale;
use crate::pack::program::Program;
use crate::value::Value;
use std::sync::OnceLock;

/// What a session remembers between checks (empty at first).
#[derive(Debug, Default)]
pub struct Memo {
    state: Option<State>,
    /// The findings' values of the last report, for the next report to share.
    values: FindingValues,
    /// The required-field problems of the last check.
    required: Option<Required>,
    /// The last claims compared and the changes found (the required fields and the run compare the same
    /// two claims, most of the time).
    diffed: Option<(Value, Value, Option<Vec<Change>>)>,
}

/// Whether two values are the same shared object (a decoded claim's root).
fn one(a: &Value, b: &Value) -> bool {
    matches!((a, b), (Value::Object(x), Value::Object(y)) if std::sync::Arc::ptr_eq(x, y))
}

/// The problems of each requirement of [`required::REQUIRED`] on the last claim checked, with what they
/// depended on besides the claim.
#[derive(Debug)]
struct Required {
    claim: Value,
    item_catalog: bool,
    catalogs: CatalogSet,
    per: Vec<Vec<Problem>>,
}

/// What each requirement reads ([`required::reads`]), once.
fn required_reads() -> &'static [Reads] {
    static READS: OnceLock<Vec<Reads>> = OnceLock::new();
    READS.get_or_init(|| (0..required::REQUIRED.len()).map(required::reads).collect())
}

impl Memo {
    /// The changes from claim `before` to claim `after` ([`claim_changes`]), found once for both.
    fn claim_changes(&mut self, before: &Value, after: &Value) -> Option<Vec<Change>> {
        if let Some((b, a, c)) = &self.diffed {
            if one(b, before) && one(a, after) {
                return c.clone();
            }
        }
        let c = claim_changes(before, after);
        self.diffed = Some((before.clone(), after.clone(), c.clone()));
        c
    }

    /// The findings' values of the last report.
    pub(super) fn finding_values(&mut self) -> &mut FindingValues {
        &mut self.values
    }

    /// Adds to `out` the missing required fields of `claim` ([`required::missing`]), checking again only
    /// the requirements that read a part of the claim changed since the last call (`item_catalog`: whether
    /// the product's pack uses the item catalog of `catalogs`, which `class_in_catalog` asks).
    pub(super) fn required(
        &mut self,
        claim: &Value,
        (item_catalog, catalogs): (bool, &CatalogSet),
        class_in_catalog: &dyn Fn(&str) -> bool,
        out: &mut Vec<Problem>,
    ) {
        let prev = self
            .required
            .take()
            .filter(|r| r.item_catalog == item_catalog && r.catalogs.same(catalogs));
        let changes = prev.as_ref().and_then(|r| self.claim_changes(&r.claim, claim));
        let mut per = prev.map(|r| r.per).unwrap_or_default();
        per.resize_with(required::REQUIRED.len(), Vec::new);
        for (i, (problems, reads)) in per.iter_mut().zip(required_reads()).enumerate() {
            if reads.touched_by(changes.as_deref()) {
                problems.clear();
                required::missing_one(claim, i, class_in_catalog, problems);
            }
            out.extend(problems.iter().cloned());
        }
        self.required = Some(Required {
            claim: claim.clone(),
            item_catalog,
            catalogs: catalogs.clone(),
            per,
        });
    }
}

#[derive(Debug)]
struct State {
    program: (usize, String, String),
    locale: Locale,
    catalogs: CatalogSet,
    claim: Value,
    deps: Deps,
    derived: Vec<Option<Unit<SlotValue>>>,
    rules: Vec<Option<Unit<Vec<Finding>>>>,
    tail: Option<Unit<Tail>>,
}

/// The estimate's steps and the fast-track limit.
type Tail = (Option<Vec<StepResult>>, Option<i64>);

#[derive(Debug)]
struct Unit<T> {
    out: T,
    steps: u64,
    diagnostics: Vec<String>,
    /// For a rule: how many times it fired and the text its firings counted against the report limits.
    fired: usize,
    bytes: usize,
    /// For a rule with one `each` loop: what each element gave.
    elems: Option<Vec<ElemRun>>,
}

/// A rule with one `each` loop, not aggregated, over a list at a known path: what it reads of the elements
/// of that list, and everything else (the list's shape included), so that an edit inside one element
/// re-runs the rule for that element alone.
#[derive(Debug)]
struct Split {
    root: u32,
    /// The list's path.
    list: Vec<Step>,
    elem: Reads,
    other: Reads,
}

impl Split {
    /// The elements `changes` reach (none of which touches `other`), or `None` when a change that reaches
    /// the elements is not inside one of them.
    fn elements(&self, changes: &[Change]) -> Option<Vec<usize>> {
        let mut out = Vec::new();
        for c in changes {
            if !self.elem.touched_by(Some(std::slice::from_ref(c))) {
                continue;
            }
            let n = self.list.len();
            if c.root != self.root || !self.list.iter().zip(&c.steps).all(|(a, b)| a.meets(b)) {
                return None;
            }
            match c.steps.get(n) {
                Some(Step::Index(i)) => out.push(*i),
                _ => return None,
            }
        }
        Some(out)
    }
}

/// What each derived value, rule and the estimate with the fast-track limit read of the claim and of the
/// derived values, as paths ([`Reads`]).
#[derive(Debug)]
struct Deps {
    derived: Vec<Reads>,
    rules: Vec<Reads>,
    tail: Reads,
    /// Per rule, its reads split by element when it loops over a list at a known path.
    split: Vec<Option<Split>>,
}

impl Deps {
    fn of(program: &Program) -> Deps {
        let n = u32::try_from(program.derived.len()).unwrap_or(u32::MAX);
        let top = Scope { derived: n, bound: &[] };
        let derived = program.derived.iter().map(|(_, e)| e.reads_in(top)).collect();
        let split = program
            .rules
            .iter()
            .map(|rule| {
                let [(slot, None, list)] = rule.each.as_slice() else {
                    return None;
                };
                if rule.aggregate {
                    return None;
                }
                let mut other = Reads::default();
                let (_, Frame::Elem(root, each)) = list.elements_in(top, &mut other) else {
                    return None;
                };
                let bound = [(*slot, Frame::Elem(root, each.clone()))];
                let scope = Scope {
                    derived: n,
                    bound: &bound,
                };
                let mut all = rule.when.reads_in(scope);
                rule.values.iter().for_each(|(_, e)| all.extend(&e.reads_in(scope)));
                let mut elem = Reads::default();
                other.any |= all.any;
                for r in all.paths {
                    if r.root == root && r.steps.get(..each.len()) == Some(each.as_slice()) {
                        elem.add(r);
                    } else {
                        other.add(r);
                    }
                }
                let mut list = each;
                list.pop();
                Some(Split {
                    root,
                    list,
                    elem,
                    other,
                })
            })
            .collect();
        let rules = program
            .rules
            .iter()
            .map(|rule| {
                let mut r = Reads::default();
                let mut bound: Vec<(u32, Frame)> = Vec::new();
                for (slot, index, list) in &rule.each {
                    let (i, e) = list.elements_in(
                        Scope {
                            derived: n,
                            bound: &bound,
                        },
                        &mut r,
                    );
                    bound.push((*slot, e));
                    if let Some(index) = index {
                        bound.push((*index, i));
                    }
                }
                let scope = Scope {
                    derived: n,
                    bound: &bound,
                };
                r.extend(&rule.when.reads_in(scope));
                rule.values.iter().for_each(|(_, e)| r.extend(&e.reads_in(scope)));
                r
            })
            .collect();
        let mut tail = Reads::default();
        for s in &program.steps {
            if let Some(w) = &s.when {
                tail.extend(&w.reads_in(top));
            }
            tail.extend(&s.amount.reads_in(top));
        }
        if let Some(f) = &program.fast_track_limit {
            tail.extend(&f.reads_in(top));
        }
        Deps {
            derived,
            rules,
            tail,
            split,
        }
    }
}

fn identity(program: &Program) -> (usize, String, String) {
    (
        std::ptr::from_ref(program) as usize,
        program.id.clone(),
        program.version.clone(),
    )
}

/// Runs `program` on a decoded claim like [`run_with`], reusing what `memo` holds from the previous run.
pub fn run_memo(
    program: &Program,
    claim: &Value,
    locale: Locale,
    cats: &CatalogSet,
    memo: &mut Memo,
) -> Result<Run, Stopped> {
    let reusable = memo
        .state
        .take()
        .filter(|s| s.program == identity(program) && s.locale == locale && s.catalogs.same(cats));
    let mut changed = reusable.as_ref().and_then(|s| memo.claim_changes(&s.claim, claim));
    let mut st = reusable.unwrap_or_else(|| State {
        program: identity(program),
        locale,
        catalogs: cats.clone(),
        claim: Value::Null,
        deps: Deps::of(program),
        derived: Vec::new(),
        rules: Vec::new(),
        tail: None,
    });
    st.derived.resize_with(program.derived.len(), || None);
    st.rules.resize_with(program.rules.len(), || None);
    let mut c = Ctx::new(program, claim, locale, Some(cats));
    for &i in &program.derived_order {
        let fresh = st.deps.derived.get(i).is_none_or(|r| r.touched_by(changed.as_deref()));
        match st.derived.get_mut(i) {
            Some(Some(u)) if !fresh => {
                if !c.budget.charge(u.steps) {
                    return run_with(program, claim, locale, Some(cats));
                }
                if let Some(slot) = c.slots.get_mut(i) {
                    *slot = u.out.clone();
                }
            }
            Some(cached) => {
                let used = c.budget.used();
                c.derived(i)?;
                // What changed in the value, for what reads it (an unchanged value changes nothing).
                if let (Some(ch), Some(new)) = (changed.as_mut(), c.slots.get(i)) {
                    match cached.as_ref() {
                        Some(old) => slot_changes(&old.out, new, i as u32, ch),
                        None => ch.push(Change::new(i as u32, Vec::new())),
                    }
                }
                *cached = c.slots.get(i).map(|out| Unit {
                    out: out.clone(),
                    steps: c.budget.used() - used,
                    diagnostics: Vec::new(),
                    fired: 0,
                    bytes: 0,
                    elems: None,
                });
            }
            None => c.derived(i)?,
        }
    }
    // A rule that does not apply to this claim's benefit is not run, so what it keeps would be stale by
    // the next check that runs it (the members it reads may change meanwhile): it is forgotten.
    let mut ran = vec![false; program.rules.len()];
    for &ri in c.rule_ids() {
        if let Some(r) = ran.get_mut(ri as usize) {
            *r = true;
        }
        let fresh = st
            .deps
            .rules
            .get(ri as usize)
            .is_none_or(|r| r.touched_by(changed.as_deref()));
        match st.rules.get_mut(ri as usize) {
            Some(Some(u)) if !fresh => {
                // Its firings would reach a report limit, or the budget would not cover it: the full check
                // says which, in its words.
                let over = c.run.findings.len().saturating_add(u.fired) > MAX_FINDINGS
                    || c.bytes.saturating_add(u.bytes) > MAX_REPORT_BYTES;
                if over || !c.budget.charge(u.steps) {
                    return run_with(program, claim, locale, Some(cats));
                }
                c.bytes += u.bytes;
                c.run.findings.extend(u.out.iter().cloned());
                c.run.diagnostics.extend(u.diagnostics.iter().cloned());
            }
            Some(cached) => {
                let (used, f0, d0, b0) = (c.budget.used(), c.run.findings.len(), c.run.diagnostics.len(), c.bytes);
                let (fired, elems) = match st.deps.split.get(ri as usize).and_then(Option::as_ref) {
                    // By element: an edit inside some elements re-runs the rule for those alone.
                    Some(sp) => {
                        let old = cached.take();
                        let kept = old.as_ref().and_then(|u| u.elems.as_deref()).unwrap_or_default();
                        let only = match changed.as_deref() {
                            Some(ch) if old.is_some() && !sp.other.touched_by(Some(ch)) => sp.elements(ch),
                            _ => None,
                        };
                        let rerun = |i: usize| only.as_ref().is_none_or(|o| o.contains(&i));
                        let Some(elems) = c.rule_by_element(ri, kept, &rerun)? else {
                            return run_with(program, claim, locale, Some(cats));
                        };
                        (c.run.findings.len() - f0, Some(elems))
                    }
                    None => (c.rule_at(ri)?, None),
                };
                *cached = Some(Unit {
                    out: c.run.findings.get(f0..).unwrap_or_default().to_vec(),
                    steps: c.budget.used() - used,
                    diagnostics: c.run.diagnostics.get(d0..).unwrap_or_default().to_vec(),
                    fired,
                    bytes: c.bytes - b0,
                    elems,
                });
            }
            None => {
                c.rule_at(ri)?;
            }
        }
    }
    for (unit, ran) in st.rules.iter_mut().zip(ran) {
        if !ran {
            *unit = None;
        }
    }
    match &st.tail {
        Some(u) if !st.deps.tail.touched_by(changed.as_deref()) => {
            if !c.budget.charge(u.steps) {
                return run_with(program, claim, locale, Some(cats));
            }
            c.run.steps = u.out.0.clone();
            c.run.fast_track_limit = u.out.1;
            c.run.diagnostics.extend(u.diagnostics.iter().cloned());
        }
        _ => {
            let (used, d0) = (c.budget.used(), c.run.diagnostics.len());
            c.tail()?;
            st.tail = Some(Unit {
                out: (c.run.steps.clone(), c.run.fast_track_limit),
                steps: c.budget.used() - used,
                diagnostics: c.run.diagnostics.get(d0..).unwrap_or_default().to_vec(),
                fired: 0,
                bytes: 0,
                elems: None,
            });
        }
    }
    st.claim = claim.clone();
    memo.state = Some(st);
    Ok(c.run)
}
