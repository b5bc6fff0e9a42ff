//! Running a compiled pack on a decoded claim: derived values in dependency order, then the rules that
//! apply to the claim's benefit (each `each` loop binding its variable), then the estimate steps. Rules
//! whose evaluation fails (a malformed field, a type error) do not fire and are noted as diagnostics; a
//! claim that exhausts the step budget stops the check with an error. An `aggregate` rule gives one finding
//! for all its firings. Last, the pack's `route.fast_track_limit` is evaluated for the report's route.

use std::sync::Arc;

use super::messages::render;
use crate::catalog::CatalogSet;
use crate::claim::schema::BENEFITS;
use crate::expr::{Budget, EvalError, Expr, SlotValue};
use crate::pack::def::{Kind, Locale, Severity};
use crate::pack::program::{Program, Rule};
use crate::value::Value;

/// Evaluation steps allowed for one claim.
pub const CHECK_BUDGET: u64 = crate::limits::CHECK_BUDGET;

/// A finding before ordering.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub rule: String,
    pub kind: Kind,
    pub severity: Severity,
    pub message: String,
    pub fields: Vec<String>,
    pub documents: Vec<String>,
}

/// One estimate step's result.
#[derive(Debug, Clone, PartialEq)]
pub struct StepResult {
    pub rule: String,
    pub label: String,
    pub amount: i64,
}

/// What one element of a rule's `each` loop gave: its findings and diagnostics, and the steps it used.
#[derive(Debug, Clone, Default)]
pub struct ElemRun {
    pub findings: Vec<Finding>,
    pub diagnostics: Vec<String>,
    pub steps: u64,
}

/// What running a pack produced.
#[derive(Debug, Clone, Default)]
pub struct Run {
    pub findings: Vec<Finding>,
    /// `None` when a step could not be computed.
    pub steps: Option<Vec<StepResult>>,
    /// Why rules did not fire or the estimate failed (for pack authors; not part of the report).
    pub diagnostics: Vec<String>,
    /// The pack's `route.fast_track_limit` for this claim, in fen (`None`: no claim is fast-tracked).
    pub fast_track_limit: Option<i64>,
}

/// The check stopped: the message, and whether it was the report's size ([`crate::limits::MAX_FINDINGS`],
/// [`crate::limits::MAX_REPORT_BYTES`]) rather than the step budget.
#[derive(Debug, Clone, PartialEq)]
pub struct Stopped(pub String, pub bool);

/// Counts a finding against the report limits (its message and field paths as bytes).
pub fn count_finding(findings: usize, bytes: &mut usize, f: &Finding) -> Result<(), Stopped> {
    use crate::limits::{MAX_FINDINGS, MAX_REPORT_BYTES};
    *bytes = bytes
        .saturating_add(f.message.len())
        .saturating_add(f.fields.iter().map(String::len).sum::<usize>());
    if findings >= MAX_FINDINGS {
        return Err(Stopped(
            format!("the report would have more than {MAX_FINDINGS} findings"),
            true,
        ));
    }
    if *bytes > MAX_REPORT_BYTES {
        return Err(Stopped(
            format!("the report's findings would hold more than {MAX_REPORT_BYTES} bytes of text"),
            true,
        ));
    }
    Ok(())
}

pub(super) struct Ctx<'p> {
    pub(super) program: &'p Program,
    claim: &'p Value,
    cats: Option<&'p CatalogSet>,
    pub(super) slots: Vec<SlotValue>,
    pub(super) budget: Budget,
    locale: Locale,
    pub(super) run: Run,
    /// Text in the findings so far (see [`count_finding`]).
    pub(super) bytes: usize,
}

fn stop_on_budget<T>(r: Result<T, EvalError>, what: impl FnOnce() -> String) -> Result<Result<T, EvalError>, Stopped> {
    match r {
        Err(EvalError::Budget(n)) => Err(Stopped(
            format!("{} used up the evaluation budget of {n} steps", what()),
            false,
        )),
        other => Ok(other),
    }
}

/// Runs `program` on a decoded claim.
pub fn run(program: &Program, claim: &Value, locale: Locale) -> Result<Run, Stopped> {
    run_with(program, claim, locale, None)
}

/// Runs `program` on a decoded claim, with the loaded catalogs for the catalog functions.
pub fn run_with(program: &Program, claim: &Value, locale: Locale, cats: Option<&CatalogSet>) -> Result<Run, Stopped> {
    let mut c = Ctx::new(program, claim, locale, cats);
    for &i in &program.derived_order {
        c.derived(i)?;
    }
    for &ri in c.rule_ids() {
        c.rule_at(ri)?;
    }
    c.tail()?;
    Ok(c.run)
}

impl<'p> Ctx<'p> {
    pub(super) fn new(program: &'p Program, claim: &'p Value, locale: Locale, cats: Option<&'p CatalogSet>) -> Ctx<'p> {
        Ctx {
            program,
            claim,
            cats,
            slots: vec![Err(EvalError::invalid("not computed")); program.slots],
            budget: Budget::new(CHECK_BUDGET),
            locale,
            run: Run::default(),
            bytes: 0,
        }
    }

    /// Evaluates derived value `i` into its slot.
    pub(super) fn derived(&mut self, i: usize) -> Result<(), Stopped> {
        let Some((name, expr)) = self.program.derived.get(i) else {
            return Ok(());
        };
        let r = stop_on_budget(
            expr.eval_in(self.claim, &self.slots, &mut self.budget, self.cats),
            || format!("derived value `{name}`"),
        )?;
        let r = r.map_err(|e| match e {
            EvalError::Derived(..) => e,
            e => EvalError::Derived(name.as_str().into(), Box::new(e)),
        });
        if let Some(slot) = self.slots.get_mut(i) {
            *slot = r;
        }
        Ok(())
    }

    /// The rules that apply to the claim's benefit, in pack order.
    pub(super) fn rule_ids(&self) -> &'p [u32] {
        let program = self.program;
        let benefit = self
            .claim
            .get("benefit")
            .and_then(Value::as_str)
            .and_then(|b| BENEFITS.iter().position(|x| *x == b));
        match benefit {
            Some(b) => program.by_benefit.get(b).map(Vec::as_slice).unwrap_or_default(),
            None => program.any_benefit.as_slice(),
        }
    }

    /// Runs rule `ri`: its findings (one when it aggregates) and diagnostics. Returns how many times it
    /// fired (each firing counted against the report limits, before aggregation).
    pub(super) fn rule_at(&mut self, ri: u32) -> Result<usize, Stopped> {
        let Some(rule) = self.program.rules.get(ri as usize) else {
            return Ok(0);
        };
        // Most rules have no `each`: no call to size an empty buffer for them.
        let mut idx = if rule.each.is_empty() {
            Vec::new()
        } else {
            Vec::with_capacity(rule.each.len())
        };
        let first = self.run.findings.len();
        self.rule(rule, 0, &mut idx)?;
        let fired = self.run.findings.len() - first;
        if rule.aggregate {
            aggregate(&mut self.run.findings, first);
        }
        Ok(fired)
    }

    /// Runs rule `ri` — one `each` level, not aggregated — as [`Ctx::rule_at`] does, element by element:
    /// an element `rerun(i)` says no to is not evaluated but takes `kept[i]` (its findings counted against
    /// the report limits, its steps against the budget, as if run). Returns what each element gave, or
    /// `None` (having done nothing) when the budget would not cover a reused element: the caller then
    /// checks in full, so a budget that runs out stops with the full check's message.
    pub(super) fn rule_by_element(
        &mut self,
        ri: u32,
        kept: &[ElemRun],
        rerun: &dyn Fn(usize) -> bool,
    ) -> Result<Option<Vec<ElemRun>>, Stopped> {
        let Some(rule) = self.program.rules.get(ri as usize) else {
            return Ok(Some(Vec::new()));
        };
        let Some((slot, index_slot, list)) = rule.each.first() else {
            return Ok(Some(Vec::new()));
        };
        let reused: u64 = kept
            .iter()
            .enumerate()
            .filter(|(i, _)| !rerun(*i))
            .map(|(_, e)| e.steps)
            .sum();
        if self.budget.used().saturating_add(reused) > CHECK_BUDGET {
            return Ok(None);
        }
        let Some(items) = self.each_items(rule, list)? else {
            return Ok(Some(Vec::new()));
        };
        let mut out = Vec::with_capacity(items.len());
        let mut idx = Vec::with_capacity(1);
        for (i, item) in items.iter().enumerate() {
            if let Some(k) = kept.get(i).filter(|_| !rerun(i)) {
                if !self.budget.charge(k.steps) {
                    return Ok(None);
                }
                for f in &k.findings {
                    count_finding(self.run.findings.len(), &mut self.bytes, f)?;
                    self.run.findings.push(f.clone());
                }
                self.run.diagnostics.extend(k.diagnostics.iter().cloned());
                out.push(k.clone());
                continue;
            }
            let (used, f0, d0) = (self.budget.used(), self.run.findings.len(), self.run.diagnostics.len());
            self.bind_item(*slot, *index_slot, i, item);
            idx.push(i);
            let r = self.rule(rule, 1, &mut idx);
            idx.pop();
            r?;
            out.push(ElemRun {
                findings: self.run.findings.get(f0..).unwrap_or_default().to_vec(),
                diagnostics: self.run.diagnostics.get(d0..).unwrap_or_default().to_vec(),
                steps: self.budget.used() - used,
            });
        }
        Ok(Some(out))
    }

    /// The estimate, then the fast-track limit.
    pub(super) fn tail(&mut self) -> Result<(), Stopped> {
        self.estimate()?;
        self.fast_track_limit()
    }
    /// The list an `each` of `rule` iterates: `None` when it gives no list (null: nothing to iterate;
    /// another value or an error: a diagnostic, and the rule does not fire).
    fn each_items(&mut self, rule: &Rule, list: &Expr) -> Result<Option<Arc<Vec<Value>>>, Stopped> {
        let items = stop_on_budget(
            list.eval_in(self.claim, &self.slots, &mut self.budget, self.cats),
            || format!("rule {}", rule.id),
        )?;
        Ok(match items {
            Ok(Value::Array(a)) => Some(a),
            Ok(Value::Null) => None,
            Ok(other) => {
                self.run.diagnostics.push(format!(
                    "rule {}: `each` gave a {}, not a list",
                    rule.id,
                    other.type_name()
                ));
                None
            }
            Err(e) => {
                self.run.diagnostics.push(format!("rule {}: {e}", rule.id));
                None
            }
        })
    }

    /// Binds an `each` variable (and its index variable, if any) to the `i`-th item.
    fn bind_item(&mut self, slot: u32, index_slot: Option<u32>, i: usize, item: &Value) {
        if let Some(s) = self.slots.get_mut(slot as usize) {
            *s = Ok(item.clone());
        }
        if let Some(s) = index_slot.and_then(|ix| self.slots.get_mut(ix as usize)) {
            *s = Ok(Value::Int(i as i64));
        }
    }

    fn rule(&mut self, rule: &Rule, level: usize, idx: &mut Vec<usize>) -> Result<(), Stopped> {
        if let Some((slot, index_slot, list)) = rule.each.get(level) {
            let Some(items) = self.each_items(rule, list)? else {
                return Ok(());
            };
            for (i, item) in items.iter().enumerate() {
                self.bind_item(*slot, *index_slot, i, item);
                idx.push(i);
                let r = self.rule(rule, level + 1, idx);
                idx.pop();
                r?;
            }
            return Ok(());
        }
        let fired = stop_on_budget(
            rule.when
                .truthy_in(self.claim, &self.slots, &mut self.budget, self.cats),
            || format!("rule {}", rule.id),
        )?;
        match fired {
            Ok(true) => {}
            Ok(_) => return Ok(()),
            Err(e) => {
                self.run.diagnostics.push(format!("rule {} did not fire: {e}", rule.id));
                return Ok(());
            }
        }
        let mut vals = Vec::with_capacity(rule.values.len());
        for (k, e) in &rule.values {
            let v = stop_on_budget(e.eval_in(self.claim, &self.slots, &mut self.budget, self.cats), || {
                format!("rule {}", rule.id)
            })?;
            let v = v.unwrap_or_else(|e| {
                self.run.diagnostics.push(format!("rule {}: value `{k}`: {e}", rule.id));
                Value::Null
            });
            vals.push((k.clone(), v));
        }
        let fields = rule
            .fields
            .iter()
            .map(|f| fill_indexes(f, &rule.each_names, idx))
            .collect();
        let f = Finding {
            rule: rule.id.clone(),
            kind: rule.kind,
            severity: rule.severity,
            message: render(rule.message.get(self.locale), &vals),
            fields,
            documents: rule.documents.clone(),
        };
        count_finding(self.run.findings.len(), &mut self.bytes, &f)?;
        self.run.findings.push(f);
        Ok(())
    }

    /// Evaluates `route.fast_track_limit` (fen); a failure or a value that is not fen is noted and leaves no
    /// limit, so the claim is not fast-tracked.
    fn fast_track_limit(&mut self) -> Result<(), Stopped> {
        let Some(e) = &self.program.fast_track_limit else {
            return Ok(());
        };
        let v = stop_on_budget(e.eval_in(self.claim, &self.slots, &mut self.budget, self.cats), || {
            "route.fast_track_limit".to_string()
        })?;
        match v {
            Ok(Value::Int(fen)) => self.run.fast_track_limit = Some(fen),
            Ok(other) => self.run.diagnostics.push(format!(
                "route.fast_track_limit: the limit is {}, not fen",
                other.type_name()
            )),
            Err(e) => self.run.diagnostics.push(format!("route.fast_track_limit: {e}")),
        }
        Ok(())
    }

    fn estimate(&mut self) -> Result<(), Stopped> {
        let mut out = Vec::with_capacity(self.program.steps.len());
        for s in &self.program.steps {
            if let Some(w) = &s.when {
                match stop_on_budget(
                    w.truthy_in(self.claim, &self.slots, &mut self.budget, self.cats),
                    || format!("step {}", s.rule),
                )? {
                    Ok(true) => {}
                    Ok(_) => continue,
                    Err(e) => {
                        self.run.diagnostics.push(format!("estimate step {}: {e}", s.rule));
                        return Ok(());
                    }
                }
            }
            let amount = stop_on_budget(
                s.amount.eval_in(self.claim, &self.slots, &mut self.budget, self.cats),
                || format!("step {}", s.rule),
            )?;
            let fen = match amount {
                Ok(Value::Int(f)) => f.max(0),
                Ok(other) => {
                    self.run.diagnostics.push(format!(
                        "estimate step {}: the amount is {}, not fen",
                        s.rule,
                        other.type_name()
                    ));
                    return Ok(());
                }
                Err(e) => {
                    self.run.diagnostics.push(format!("estimate step {}: {e}", s.rule));
                    return Ok(());
                }
            };
            out.push(StepResult {
                rule: s.rule.clone(),
                label: s.label.get(self.locale).to_string(),
                amount: fen,
            });
        }
        if !out.is_empty() {
            self.run.steps = Some(out);
        }
        Ok(())
    }
}

/// Merges the findings from `first` on (the firings of one `aggregate` rule) into the first of them, whose
/// fields become those of every firing, in order and without repeats.
fn aggregate(findings: &mut Vec<Finding>, first: usize) {
    if findings.len() <= first + 1 {
        return;
    }
    let rest = findings.split_off(first + 1);
    if let Some(head) = findings.last_mut() {
        for f in rest.into_iter().flat_map(|r| r.fields) {
            if !head.fields.contains(&f) {
                head.fields.push(f);
            }
        }
    }
}

/// Replaces `{name}` in a field template with the index of loop variable `name`.
fn fill_indexes(tmpl: &str, names: &[String], idx: &[usize]) -> String {
    let mut out = tmpl.to_string();
    for (n, i) in names.iter().zip(idx) {
        out = out.replace(&format!("{{{n}}}"), &i.to_string());
    }
    out
}
