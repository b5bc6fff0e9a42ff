//! The claim finder: finder@1 in (the people, their policies, one event with its invoices and documents),
//! plan@1 out (which policies pay for it, how much, in which order to file, what is still missing). The
//! contract is finder.md in the shared spec; docs/finder.md is the integrator's guide.
//!
//! It runs the same packs and the same check as claim@1 → report@1 and adds three things, one module each:
//! [`assemble`] builds one claim per (policy, candidate benefit) — candidates from the event and the
//! product's pack ([`benefits`]); [`coordinate`] turns an earlier reimbursement's payout into `other_paid`
//! of the later claims; [`order`] tries every filing order of up to six reimbursement claims. [`input`]
//! reads and checks the input, [`reasons`] and [`plan`] write the answer.
//!
//! ```
//! use preclaim::check::Checker;
//! use preclaim::finder;
//! use preclaim::pack::def::Locale;
//!
//! let checker = Checker::with_defaults()?;
//! let input = r#"{
//!   "schema": "preclaim/finder@1", "filed_on": "2025-04-18",
//!   "people": { "me": { "name": "王某", "id_type": "resident_id", "id_number": "110101198001010010" } },
//!   "policies": [
//!     { "key": "acc", "insured": "me", "policy": { "product": "P-ACC", "effective_on": "2025-01-01", "expires_on": "2025-12-31" } },
//!     { "key": "life", "insured": "me", "policy": { "product": "P-LIFE", "effective_on": "2025-01-01", "expires_on": "2044-12-31" } }
//!   ],
//!   "event": { "insured": "me", "cause": "accident", "date": "2025-04-12", "diagnoses": [{ "icd10": "S62.1" }] },
//!   "applicant": { "relation": "self" },
//!   "invoices": [{ "visit": "outpatient", "issued_on": "2025-04-12", "total": "300.00" }]
//! }"#;
//! let plan = finder::find_text(&checker, input, Locale::En)?.plan;
//! let claims = plan.get("claims").and_then(|c| c.as_array()).unwrap();
//! assert_eq!(claims[0].get("payable").and_then(|p| p.as_str()), Some("180.00")); // (300.00 − 100.00 deductible) × 90%
//! let skipped = plan.get("skipped").and_then(|s| s.as_array()).unwrap();
//! assert_eq!(skipped[0].get("reason").and_then(|r| r.as_str()), Some("no_benefit"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod assemble;
pub mod benefits;
pub mod coordinate;
pub mod error;
pub mod input;
pub mod order;
pub mod plan;
pub mod reasons;

pub use error::FinderError;

use crate::check::{CheckError, Checker, MAX_CLAIM_BYTES};
use crate::json::{self, JsonNode, ParseOptions};
use crate::pack::def::Locale;
use crate::value::Value;
use assemble::PolicyParts;
use input::{EntryKind, Input};
use plan::{Listed, Skipped};
use reasons::Reason;

/// Most claims one plan assembles (a household has a few dozen policies at most).
pub const MAX_CLAIMS: usize = crate::limits::MAX_CLAIMS;

/// Work limits, in JSON values checked (an assembled claim's size times the checks it takes; a check costs
/// about a microsecond per value natively): every order is tried only when that fits [`SEARCH_BUDGET`]
/// (six F1-sized claims take 1,956 checks of about 150 values); the reimbursement claims checked once each,
/// plus the fixed-benefit claims, must fit [`PLAN_BUDGET`].
pub const SEARCH_BUDGET: usize = crate::limits::SEARCH_BUDGET;
pub const PLAN_BUDGET: usize = crate::limits::PLAN_BUDGET;

/// A plan and what it cost.
#[derive(Debug, Clone)]
pub struct Found {
    pub plan: Value,
    /// Checks run (the order search included).
    pub checks: usize,
    /// Filing orders compared.
    pub orders: usize,
}

/// How finder inputs are parsed: as claims are ([`crate::check::CLAIM_JSON`]: depth 64, duplicate keys
/// refused, at most 1,000,000 values).
pub const PARSE: ParseOptions = crate::check::CLAIM_JSON;

/// Plans the claims of a finder input given as JSON text.
pub fn find_text(checker: &Checker, text: &str, locale: Locale) -> Result<Found, FinderError> {
    if text.len() > MAX_CLAIM_BYTES {
        return Err(FinderError::TooLarge(format!(
            "the input is larger than {MAX_CLAIM_BYTES} bytes"
        )));
    }
    let node = json::parse_with(text, PARSE).map_err(|e| {
        if e.limit {
            FinderError::TooLarge(format!("the input has {}", e.message))
        } else {
            FinderError::NotJson(e.describe(text))
        }
    })?;
    find_node(checker, &node, locale)
}

/// A claim to check: whose, which benefit, the claim.
struct Pending<'a> {
    index: usize,
    key: &'a str,
    product: &'a str,
    benefit: &'static str,
    claim: JsonNode,
}

fn rank(index: usize, benefit: &str) -> (usize, usize) {
    let b = benefits::ORDER.iter().position(|x| *x == benefit).unwrap_or(usize::MAX);
    (index, b)
}

fn title_of(checker: &Checker, product: &str) -> Option<(String, String)> {
    checker
        .pack_for(product)
        .map(|p| (p.title.zh.clone(), p.title.en.clone()))
}

/// Sorts the policy entries into claims to check and policies skipped.
/// More than [`MAX_CLAIMS`] claims is an error found before any claim is assembled.
fn assemble_all<'a>(
    checker: &Checker,
    input: &'a Input,
    skipped: &mut Vec<Skipped>,
) -> Result<(Vec<Pending<'a>>, Vec<Pending<'a>>), FinderError> {
    let candidates = benefits::candidates(input.event, input.part("stay"), input.part("invoices"));
    let mut chosen = Vec::new();
    let mut count = 0usize;
    for e in &input.policies {
        let skip = |reason| Skipped {
            rank: (e.index, 0),
            key: e.key.map(str::to_string),
            product: e.product.map(str::to_string),
            benefit: None,
            reason,
            report: None,
        };
        let (insured, parts) = match e.kind {
            EntryKind::Invalid(why) => {
                skipped.push(skip(Reason::Invalid { index: e.index, why }));
                continue;
            }
            EntryKind::Valid {
                insured,
                policy,
                beneficiaries,
                estate,
            } => (
                insured,
                PolicyParts {
                    policy,
                    beneficiaries,
                    estate,
                },
            ),
        };
        let (Some(key), Some(product)) = (e.key, e.product) else {
            continue;
        };
        if insured != input.event_insured {
            skipped.push(skip(Reason::OtherInsured));
            continue;
        }
        let Some(pack) = checker.pack_for(product) else {
            skipped.push(skip(Reason::NoPack(product.to_string())));
            continue;
        };
        let offered = benefits::offered(pack);
        let wanted: Vec<&'static str> = candidates.iter().copied().filter(|b| offered.contains(b)).collect();
        if wanted.is_empty() {
            skipped.push(skip(Reason::NoBenefit {
                title: title_of(checker, product),
                wanted: candidates.clone(),
                offered: offered.iter().map(|s| s.to_string()).collect(),
            }));
            continue;
        }
        count += wanted.len();
        if count > MAX_CLAIMS {
            return Err(FinderError::TooLarge(format!(
                "the event gives more than {MAX_CLAIMS} claims to check (policies[{}] is one too many); at most {MAX_CLAIMS}",
                e.index
            )));
        }
        chosen.push((e.index, key, product, parts, wanted));
    }
    // The work a plan takes, estimated before any claim is copied (so a huge e-bill times many policies is
    // refused without being assembled).
    let shared: usize = [input.event, input.person]
        .iter()
        .map(|n| assemble::size(n))
        .sum::<usize>()
        + input::SHARED_HEAD
            .iter()
            .chain(input::SHARED_TAIL)
            .filter(|name| **name != "invoices")
            .filter_map(|name| input.part(name))
            .map(assemble::size)
            .sum::<usize>();
    let invoices = input.part("invoices").map_or(0, assemble::size);
    let (mut medical, mut work) = (0usize, 0usize);
    for (_, _, _, parts, wanted) in &chosen {
        for b in wanted {
            let size = shared + assemble::size(parts.policy) + if benefits::is_reimbursement(b) { invoices } else { 0 };
            medical += usize::from(benefits::is_reimbursement(b));
            work = work.saturating_add(size);
        }
    }
    if work > PLAN_BUDGET {
        return Err(FinderError::TooLarge(format!(
            "{medical} medical claims with {invoices} values of invoices each are more than a plan may check ({PLAN_BUDGET} values)"
        )));
    }
    let (mut reimbursement, mut fixed) = (Vec::new(), Vec::new());
    for (index, key, product, parts, wanted) in chosen {
        for benefit in wanted {
            let p = Pending {
                index,
                key,
                product,
                benefit,
                claim: assemble::claim(input, parts, benefit),
            };
            if benefits::is_reimbursement(benefit) {
                reimbursement.push(p);
            } else {
                fixed.push(p);
            }
        }
    }
    Ok((reimbursement, fixed))
}

/// A check of an assembled claim that gave no report (only the budget can stop one: it is checked as a node,
/// never as text).
pub(crate) fn stopped(e: CheckError) -> FinderError {
    match e {
        CheckError::Stopped(m) | CheckError::NotJson(m) => FinderError::Stopped(m),
        CheckError::TooLarge(m) | CheckError::Limit(m) => FinderError::TooLarge(m),
        CheckError::Pack(e) => FinderError::Stopped(e.to_string()),
    }
}

/// Where a checked claim goes: the plan's claims, or `skipped` (ineligible, or nothing payable).
fn skip_reason(report: &Value, payable: Option<i64>, after: Vec<(String, String)>) -> Option<Reason> {
    if report.get("status").and_then(Value::as_str) == Some("ineligible") {
        Some(Reason::Ineligible)
    } else if payable == Some(0) {
        Some(Reason::NothingPayable { after })
    } else {
        None
    }
}

/// Plans the claims of a parsed finder input.
pub fn find_node(checker: &Checker, root: &JsonNode, locale: Locale) -> Result<Found, FinderError> {
    let input = input::read(root)?;
    let mut skipped = Vec::new();
    let (mut reimbursement, fixed) = assemble_all(checker, &input, &mut skipped)?;
    let count = reimbursement.len() + fixed.len();
    let n = reimbursement.len();
    let claim_size = reimbursement
        .iter()
        .map(|p| assemble::size(&p.claim))
        .max()
        .unwrap_or(0);
    let search = n <= order::MAX_SEARCHED && order::search_checks(n).saturating_mul(claim_size) <= SEARCH_BUDGET;

    let money = coordinate::invoice_money(input.part("invoices"));
    let mut nodes: Vec<JsonNode> = reimbursement
        .iter_mut()
        .map(|p| {
            std::mem::replace(
                &mut p.claim,
                JsonNode {
                    kind: json::JsonKind::Null,
                    pos: 0,
                },
            )
        })
        .collect();
    let choice = order::choose(checker, &mut nodes, &money, locale, search)?;
    let mut checks = choice.checks;

    let mut claims = Vec::with_capacity(count);
    for (place, step) in choice.steps.iter().enumerate() {
        let (Some(p), Some(node)) = (reimbursement.get(step.claim), nodes.get_mut(step.claim)) else {
            continue;
        };
        let earlier = choice.steps.get(..place).unwrap_or_default();
        let after: Vec<&Pending> = step
            .after(earlier)
            .into_iter()
            .filter_map(|c| reimbursement.get(c))
            .collect();
        let titles = after.iter().filter_map(|a| title_of(checker, a.product)).collect();
        if let Some(reason) = skip_reason(&step.report, step.payable, titles) {
            skipped.push(Skipped {
                rank: rank(p.index, p.benefit),
                key: Some(p.key.to_string()),
                product: Some(p.product.to_string()),
                benefit: Some(p.benefit),
                reason,
                report: Some(step.report.clone()),
            });
            continue;
        }
        coordinate::write_other_paid(node, &money, &step.added);
        let order = claims.len() + 1;
        claims.push(Listed {
            key: p.key.to_string(),
            product: p.product.to_string(),
            benefit: p.benefit,
            order: Some(order),
            after: after.iter().map(|a| a.key.to_string()).collect(),
            claim: Value::from_json(node),
            report: step.report.clone(),
            payable: step.payable,
        });
    }
    for p in &fixed {
        let report = checker.check_node(&p.claim, locale).map_err(stopped)?.report;
        checks += 1;
        let payable = coordinate::payable(&report);
        if let Some(reason) = skip_reason(&report, payable, Vec::new()) {
            skipped.push(Skipped {
                rank: rank(p.index, p.benefit),
                key: Some(p.key.to_string()),
                product: Some(p.product.to_string()),
                benefit: Some(p.benefit),
                reason,
                report: Some(report),
            });
            continue;
        }
        claims.push(Listed {
            key: p.key.to_string(),
            product: p.product.to_string(),
            benefit: p.benefit,
            order: None,
            after: Vec::new(),
            claim: Value::from_json(&p.claim),
            report,
            payable,
        });
    }
    let plan = plan::build(
        plan::Parts {
            claims,
            skipped,
            searched: search,
            gain: choice.total.saturating_sub(choice.input_total),
            ignored: input.ignored.clone(),
        },
        locale,
    );
    Ok(Found {
        plan,
        checks,
        orders: choice.orders,
    })
}
