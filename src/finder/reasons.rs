//! Why a policy or a claim is not in the plan's `claims` (finder.md: `other_insured`, `no_benefit`,
//! `no_pack`, `invalid`, `ineligible`, `nothing_payable`), with a message in plain words for the customer.

use super::benefits::label;
use super::input::Invalid;
use crate::pack::def::Locale;
use crate::value::Value;

/// A reason in `skipped`.
#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    /// The policy insures someone else.
    OtherInsured,
    /// The product pays none of the event's benefits: what the event could claim, what the product pays.
    NoBenefit {
        title: Option<(String, String)>,
        wanted: Vec<&'static str>,
        offered: Vec<String>,
    },
    /// No loaded pack serves the product.
    NoPack(String),
    /// The policy entry is malformed (`policies[i]…` and what is wrong).
    Invalid { index: usize, why: Invalid },
    /// The claim's report is `ineligible`.
    Ineligible,
    /// The claim pays 0.00; the titles of the earlier insurers whose payout left nothing.
    NothingPayable { after: Vec<(String, String)> },
}

impl Reason {
    /// The reason's code in plan@1.
    pub fn code(&self) -> &'static str {
        match self {
            Reason::OtherInsured => "other_insured",
            Reason::NoBenefit { .. } => "no_benefit",
            Reason::NoPack(_) => "no_pack",
            Reason::Invalid { .. } => "invalid",
            Reason::Ineligible => "ineligible",
            Reason::NothingPayable { .. } => "nothing_payable",
        }
    }

    /// The message for the customer; `report` is the claim's report when there is one (an ineligible
    /// claim says why in its first blocking eligibility finding).
    pub fn message(&self, locale: Locale, report: Option<&Value>) -> String {
        let zh = locale == Locale::Zh;
        let pick = |t: &(String, String)| if zh { t.0.clone() } else { t.1.clone() };
        match self {
            Reason::OtherInsured if zh => "这份保单保障的是另一位家人，不是这次出险的人。".into(),
            Reason::OtherInsured => "This policy covers another person, not the one this happened to.".into(),
            Reason::NoBenefit { title, wanted, offered } => {
                let wanted: Vec<&str> = wanted.iter().map(|b| label(b, locale)).collect();
                let offered: Vec<&str> = offered.iter().map(|b| label(b, locale)).collect();
                let name = title.as_ref().map(pick);
                match (zh, offered.is_empty()) {
                    (true, false) => format!(
                        "{}只赔{}，不赔这次的{}。",
                        name.unwrap_or_else(|| "这份保单".into()),
                        offered.join("、"),
                        if wanted.is_empty() { "情况".into() } else { wanted.join("、") }
                    ),
                    (true, true) => format!(
                        "{}的理赔规则没有写明赔哪些项目，无法判断。",
                        name.unwrap_or_else(|| "这份保单".into())
                    ),
                    (false, false) => format!(
                        "{} pays {} only, not {} for this event.",
                        name.unwrap_or_else(|| "This policy".into()),
                        english_list(&offered, "and"),
                        if wanted.is_empty() { "anything".into() } else { english_list(&wanted, "or") }
                    ),
                    (false, true) => format!(
                        "The claim rules of {} do not say which benefits it pays.",
                        name.unwrap_or_else(|| "this policy".into())
                    ),
                }
            }
            Reason::NoPack(product) if zh => {
                format!("本机没有产品 {product} 的理赔规则，无法估算这份保单能赔多少，请向保险公司咨询。")
            }
            Reason::NoPack(product) => format!(
                "There are no claim rules for product {product} here, so what it pays cannot be estimated; ask the insurer."
            ),
            Reason::Invalid { index, why } => {
                let path = format!("policies[{index}]{}", why.field());
                if zh {
                    format!("保单信息有误（{path}）：{}。", why.describe(locale))
                } else {
                    format!("The policy entry is malformed ({path}): {}.", why.describe(locale))
                }
            }
            Reason::Ineligible => {
                let why = report.and_then(first_blocking_eligibility);
                match (zh, why) {
                    (true, Some(w)) => format!("这份保单这次不能赔：{w}"),
                    (true, None) => "这份保单这次不能赔。".into(),
                    (false, Some(w)) => format!("This policy cannot pay this time: {w}"),
                    (false, None) => "This policy cannot pay this time.".into(),
                }
            }
            Reason::NothingPayable { after } if after.is_empty() => {
                if zh {
                    "按保单条款计算，这次能赔的金额是 0 元（计算步骤见报告）。".into()
                } else {
                    "By the policy's terms it pays 0.00 this time (the report shows the calculation).".into()
                }
            }
            Reason::NothingPayable { after } => {
                let names: Vec<String> = after.iter().map(pick).collect();
                if zh {
                    format!(
                        "{}先赔付后，这份保单按条款算下来不再赔付（计算步骤见报告）。",
                        names.join("、")
                    )
                } else {
                    format!(
                        "Once {} has paid, nothing is left for this policy to pay by its terms (the report shows the calculation).",
                        english_list(&names.iter().map(String::as_str).collect::<Vec<_>>(), "and")
                    )
                }
            }
        }
    }
}

/// `a`, `a or b`, `a, b or c`.
fn english_list(items: &[&str], conj: &str) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [head @ .., last] => format!("{} {conj} {last}", head.join(", ")),
    }
}

fn first_blocking_eligibility(report: &Value) -> Option<String> {
    report
        .get("findings")?
        .as_array()?
        .iter()
        .find(|f| {
            f.get("kind").and_then(Value::as_str) == Some("eligibility")
                && f.get("severity").and_then(Value::as_str) == Some("block")
        })
        .and_then(|f| f.get("message"))
        .and_then(Value::as_str)
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_say_why_in_both_languages() {
        let r = Reason::NoBenefit {
            title: Some(("定期寿险".into(), "Term life".into())),
            wanted: vec!["inpatient", "hospital_cash"],
            offered: vec!["death".into()],
        };
        assert_eq!(
            r.message(Locale::Zh, None),
            "定期寿险只赔身故，不赔这次的住院医疗、住院津贴。"
        );
        assert_eq!(
            r.message(Locale::En, None),
            "Term life pays death only, not inpatient medical costs or hospital cash for this event."
        );
        let inv = Reason::Invalid {
            index: 3,
            why: Invalid::NoProduct,
        };
        assert_eq!(
            inv.message(Locale::En, None),
            "The policy entry is malformed (policies[3].policy.product): the product code policy.product is missing."
        );
        assert_eq!(inv.code(), "invalid");
    }
}
