//! The order of the reimbursement claims: each claim is checked after the ones before it, with their
//! payouts added to its invoices' `other_paid` ([`super::coordinate`]). With at most [`MAX_SEARCHED`]
//! claims every order is tried and the one with the largest total payable wins (ties: the earliest in the
//! input order); with more, the input order is used.
//!
//! Orders are walked depth first in lexicographic order of the input positions, so the first complete order
//! is the input order and orders that share a beginning share its checks: 6 claims take 1,956 checks for
//! their 720 orders, not 4,320.

use super::coordinate::{attribute, claimed, payable, write_other_paid, InvoiceMoney};
use super::error::FinderError;
use crate::check::Checker;
use crate::json::JsonNode;
use crate::pack::def::Locale;
use crate::value::Value;

/// The most reimbursement claims whose every order is tried (6! = 720 orders).
pub const MAX_SEARCHED: usize = crate::limits::MAX_SEARCHED;

/// One claim checked at its place in an order.
#[derive(Debug, Clone)]
pub struct Step {
    /// Which reimbursement claim (its index in the list given to [`search`]).
    pub claim: usize,
    /// What earlier claims had added to each invoice's `other_paid` when it was checked.
    pub added: Vec<i64>,
    pub report: Value,
    pub payable: Option<i64>,
    /// The invoices it claimed.
    pub claimed: Vec<bool>,
    /// Its payable, attributed to the invoices.
    pub shares: Vec<i64>,
}

impl Step {
    /// The earlier steps whose payout this one deducts: those that attributed something to an invoice it
    /// claimed.
    pub fn after(&self, earlier: &[Step]) -> Vec<usize> {
        earlier
            .iter()
            .filter(|e| {
                e.shares
                    .iter()
                    .zip(&self.claimed)
                    .any(|(&share, &claimed)| share > 0 && claimed)
            })
            .map(|e| e.claim)
            .collect()
    }
}

/// The chosen order and what it was compared with.
#[derive(Debug, Clone)]
pub struct Choice {
    /// The steps in the chosen order.
    pub steps: Vec<Step>,
    /// Total payable of the chosen order and of the input order (fen).
    pub total: i64,
    pub input_total: i64,
    /// Whether every order was tried.
    pub searched: bool,
    /// Checks run and orders compared.
    pub checks: usize,
    pub orders: usize,
}

struct Search<'a> {
    checker: &'a Checker,
    claims: &'a mut [JsonNode],
    money: &'a [InvoiceMoney],
    locale: Locale,
    checks: usize,
    orders: usize,
    input_total: Option<i64>,
    best: Option<(i64, Vec<Step>)>,
}

impl Search<'_> {
    fn check(&mut self, claim: usize, added: &[i64]) -> Result<Step, FinderError> {
        let node = self
            .claims
            .get_mut(claim)
            .ok_or_else(|| FinderError::Stopped("internal: no such claim".into()))?;
        write_other_paid(node, self.money, added);
        let out = self.checker.check_node(node, self.locale).map_err(super::stopped)?;
        self.checks += 1;
        let pay = payable(&out.report);
        let claimed = claimed(&out.report, self.money.len());
        let shares = attribute(pay.unwrap_or(0), &claimed, self.money, added);
        Ok(Step {
            claim,
            added: added.to_vec(),
            report: out.report,
            payable: pay,
            claimed,
            shares,
        })
    }

    fn finish(&mut self, path: &[Step]) {
        let total: i64 = path.iter().filter_map(|s| s.payable).sum();
        self.orders += 1;
        if self.input_total.is_none() {
            self.input_total = Some(total);
        }
        if self.best.as_ref().is_none_or(|(best, _)| total > *best) {
            self.best = Some((total, path.to_vec()));
        }
    }

    /// Tries every order of the claims not yet `used`, after `path`.
    fn all_orders(&mut self, used: &mut Vec<bool>, path: &mut Vec<Step>, added: &[i64]) -> Result<(), FinderError> {
        if path.len() == used.len() {
            self.finish(path);
            return Ok(());
        }
        for c in 0..used.len() {
            if used.get(c).copied().unwrap_or(true) {
                continue;
            }
            let step = self.check(c, added)?;
            let next: Vec<i64> = added
                .iter()
                .zip(&step.shares)
                .map(|(a, s)| a.saturating_add(*s))
                .collect();
            if let Some(u) = used.get_mut(c) {
                *u = true;
            }
            path.push(step);
            let r = self.all_orders(used, path, &next);
            path.pop();
            if let Some(u) = used.get_mut(c) {
                *u = false;
            }
            r?;
        }
        Ok(())
    }

    /// The input order only.
    fn input_order(&mut self) -> Result<(), FinderError> {
        let mut added = vec![0i64; self.money.len()];
        let mut path = Vec::with_capacity(self.claims.len());
        for c in 0..self.claims.len() {
            let step = self.check(c, &added)?;
            for (a, s) in added.iter_mut().zip(&step.shares) {
                *a = a.saturating_add(*s);
            }
            path.push(step);
        }
        self.finish(&path);
        Ok(())
    }
}

/// Number of checks the search of `n` claims runs (every beginning of every order once).
pub fn search_checks(n: usize) -> usize {
    let mut total = 0usize;
    let mut level = 1usize;
    for k in 0..n {
        level = level.saturating_mul(n - k);
        total = total.saturating_add(level);
    }
    total
}

/// Checks the reimbursement claims (in input order in `claims`, each with the input's invoices) in the
/// best order, or in the input order when `search` is false. On return each claim holds the `other_paid`
/// of its last check, not necessarily of the chosen order (see [`Step::added`]).
pub fn choose(
    checker: &Checker,
    claims: &mut [JsonNode],
    money: &[InvoiceMoney],
    locale: Locale,
    search: bool,
) -> Result<Choice, FinderError> {
    let n = claims.len();
    let mut s = Search {
        checker,
        claims,
        money,
        locale,
        checks: 0,
        orders: 0,
        input_total: None,
        best: None,
    };
    if search {
        s.all_orders(&mut vec![false; n], &mut Vec::with_capacity(n), &vec![0; money.len()])?;
    } else {
        s.input_order()?;
    }
    let (total, steps) = s.best.take().unwrap_or_default();
    Ok(Choice {
        steps,
        total,
        input_total: s.input_total.unwrap_or(0),
        searched: search,
        checks: s.checks,
        orders: s.orders,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_beginnings_are_checked_once() {
        assert_eq!(search_checks(0), 0);
        assert_eq!(search_checks(1), 1);
        assert_eq!(search_checks(3), 3 + 6 + 6);
        assert_eq!(search_checks(6), 6 + 30 + 120 + 360 + 720 + 720);
    }
}
