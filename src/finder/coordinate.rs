//! Coordinating medical reimbursements (补偿原则, finder.md): what an earlier claim pays becomes
//! `other_paid` of the later ones. An earlier claim's payable is split over the invoices it claimed (all but
//! those an E06 or R02 finding names) in proportion to each one's out-of-pocket amount
//! `total − fund_paid − other_paid` as that claim saw it, in fen, by largest remainder (ties to the lower
//! index); no invoice's `other_paid` may exceed `total − fund_paid`.
//!
//! This file does the arithmetic and writes the amounts into a claim's invoices; the order in which claims
//! are checked is [`super::order`]'s business.

use std::sync::Arc;

use crate::domain::money::{format_money, parse_money};
use crate::json::{JsonKind, JsonNode};
use crate::value::Value;

/// One invoice's amounts in fen as the checker reads them (`None`: malformed).
#[derive(Debug, Clone)]
pub struct InvoiceMoney {
    pub total: Option<i64>,
    pub fund_paid: Option<i64>,
    pub other_paid: Option<i64>,
    /// `other_paid` as the input gives it (restored when an order adds nothing to it).
    original: Option<JsonNode>,
}

impl InvoiceMoney {
    /// The out-of-pocket amount with `added` more paid by other insurers (never below 0; 0 when an amount
    /// is malformed).
    pub fn room(&self, added: i64) -> i64 {
        match (self.total, self.fund_paid, self.other_paid) {
            (Some(t), Some(f), Some(o)) => t.saturating_sub(f).saturating_sub(o).saturating_sub(added).max(0),
            _ => 0,
        }
    }
}

fn fen(v: Option<&Value>) -> Option<i64> {
    match v {
        Some(Value::Int(f)) => Some(*f),
        _ => None,
    }
}

/// Reads the invoices' amounts through the claim decoder (so money is read exactly as the checks read it:
/// absent `fund_paid`/`other_paid` are 0, an invoice without `total` counts the sum of its items).
pub fn invoice_money(invoices: Option<&JsonNode>) -> Vec<InvoiceMoney> {
    let Some(list) = invoices.filter(|i| matches!(i.kind, JsonKind::Array(_))) else {
        return Vec::new();
    };
    let wrapper = JsonNode {
        kind: JsonKind::Object(vec![(Arc::from("invoices"), 0, list.clone())]),
        pos: 0,
    };
    let decoded = crate::claim::decode(&wrapper);
    let originals: &[JsonNode] = match &list.kind {
        JsonKind::Array(a) => a,
        _ => &[],
    };
    let values = decoded
        .value
        .get("invoices")
        .and_then(Value::as_array)
        .unwrap_or_default();
    originals
        .iter()
        .enumerate()
        .map(|(i, orig)| {
            let v = values.get(i);
            let field = |name: &str| fen(v.and_then(|v| v.get(name)));
            let total = match v.and_then(|v| v.get("total")) {
                Some(Value::Null) => v
                    .and_then(|v| v.get("items"))
                    .and_then(Value::as_array)
                    .and_then(|items| {
                        items
                            .iter()
                            .try_fold(0i64, |acc, it| acc.checked_add(fen(it.get("amount"))?))
                    }),
                other => fen(other),
            };
            InvoiceMoney {
                total,
                fund_paid: field("fund_paid"),
                other_paid: field("other_paid"),
                original: orig.get("other_paid").cloned(),
            }
        })
        .collect()
}

/// The invoices a claim claimed: all but those named (`invoices[i]…`) by one of its E06 or R02 findings.
pub fn claimed(report: &Value, count: usize) -> Vec<bool> {
    let mut out = vec![true; count];
    let findings = report.get("findings").and_then(Value::as_array).unwrap_or_default();
    for f in findings {
        if !matches!(f.get("rule").and_then(Value::as_str), Some("E06" | "R02")) {
            continue;
        }
        for field in f.get("fields").and_then(Value::as_array).unwrap_or_default() {
            let index = field
                .as_str()
                .and_then(|s| s.strip_prefix("invoices["))
                .and_then(|s| s.split(']').next())
                .and_then(|s| s.parse::<usize>().ok());
            if let Some(slot) = index.and_then(|i| out.get_mut(i)) {
                *slot = false;
            }
        }
    }
    out
}

/// The payable of a report (`None` when the estimate is null).
pub fn payable(report: &Value) -> Option<i64> {
    let p = report.get("estimate")?.get("payable")?.as_str()?;
    parse_money(p).ok()
}

/// Splits `payable` over the claimed invoices in proportion to their out-of-pocket amounts (with `added`
/// already paid by earlier claims); returns each invoice's share.
///
/// Shares never exceed an invoice's out-of-pocket amount: when the payable is below their sum, the
/// proportional shares stay within it; when it is not (the items add up to more than the invoices' totals),
/// every claimed invoice is filled to `total − fund_paid` and what is left has nowhere to go.
pub fn attribute(payable: i64, claimed: &[bool], money: &[InvoiceMoney], added: &[i64]) -> Vec<i64> {
    let rooms: Vec<i64> = money
        .iter()
        .enumerate()
        .map(|(i, m)| {
            if claimed.get(i).copied().unwrap_or(false) {
                m.room(added.get(i).copied().unwrap_or(0))
            } else {
                0
            }
        })
        .collect();
    let whole: i128 = rooms.iter().map(|&r| i128::from(r)).sum();
    if payable <= 0 || whole == 0 {
        return vec![0; rooms.len()];
    }
    let p = i128::from(payable);
    if p >= whole {
        return rooms;
    }
    let mut shares = Vec::with_capacity(rooms.len());
    let mut remainders = Vec::with_capacity(rooms.len());
    for (i, &r) in rooms.iter().enumerate() {
        let exact = p * i128::from(r);
        shares.push(i64::try_from(exact / whole).unwrap_or(0));
        remainders.push((exact % whole, i));
    }
    let given: i128 = shares.iter().map(|&s| i128::from(s)).sum();
    let left = usize::try_from(p - given).unwrap_or(0);
    // Largest remainder first; equal remainders to the lower index.
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(_, i) in remainders.iter().take(left) {
        if let Some(s) = shares.get_mut(i) {
            *s += 1;
        }
    }
    shares
}

/// Writes `other_paid` = the input's amount + `added` into the claim's invoices (the input's own value,
/// untouched, where nothing is added).
pub fn write_other_paid(claim: &mut JsonNode, money: &[InvoiceMoney], added: &[i64]) {
    let JsonKind::Object(members) = &mut claim.kind else {
        return;
    };
    let Some((_, _, invoices)) = members.iter_mut().find(|(k, _, _)| &**k == "invoices") else {
        return;
    };
    let JsonKind::Array(list) = &mut invoices.kind else {
        return;
    };
    for (i, inv) in list.iter_mut().enumerate() {
        let JsonKind::Object(fields) = &mut inv.kind else {
            continue;
        };
        let Some(m) = money.get(i) else { continue };
        let add = added.get(i).copied().unwrap_or(0);
        let value = match m.other_paid {
            Some(o) if add > 0 => Some(JsonNode {
                kind: JsonKind::Str(Arc::from(format_money(o.saturating_add(add)))),
                pos: 0,
            }),
            _ => m.original.clone(),
        };
        let at = fields.iter().position(|(k, _, _)| &**k == "other_paid");
        match (at, value) {
            (Some(at), Some(v)) => {
                if let Some(slot) = fields.get_mut(at) {
                    slot.2 = v;
                }
            }
            (None, Some(v)) => fields.push((Arc::from("other_paid"), 0, v)),
            (Some(at), None) => {
                fields.remove(at);
            }
            (None, None) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::{parse, write_value};

    fn money(text: &str) -> Vec<InvoiceMoney> {
        invoice_money(Some(&parse(text).unwrap()))
    }

    #[test]
    fn amounts_are_read_like_the_checker_reads_them() {
        let m =
            money(r#"[{"total":"100.00","fund_paid":30},{"items":[{"amount":"5.00"},{"amount":1}]},{"total":"x"}, 7]"#);
        assert_eq!(
            (m[0].total, m[0].fund_paid, m[0].other_paid),
            (Some(10000), Some(3000), Some(0))
        );
        assert_eq!(m[1].total, Some(600));
        assert_eq!(m[2].total, None);
        assert_eq!(m[2].room(0), 0);
        assert_eq!(m[3].total, None);
        assert!(money("{}").is_empty());
    }

    #[test]
    fn payable_is_split_by_largest_remainder_within_out_of_pocket() {
        let m = money(r#"[{"total":"1.00"},{"total":"1.00"},{"total":"1.00"},{"total":"5.00","fund_paid":"5.00"}]"#);
        let all = [true; 4];
        // 100 fen over three equal invoices: 33 each, the extra fen to the lowest index.
        assert_eq!(attribute(100, &all, &m, &[0; 4]), [34, 33, 33, 0]);
        // An excluded invoice takes nothing; earlier payments shrink the room.
        assert_eq!(
            attribute(100, &[true, false, true, true], &m, &[50, 0, 0, 0]),
            [33, 0, 67, 0]
        );
        // More than the out-of-pocket total: each invoice is filled, no more.
        assert_eq!(attribute(1000, &all, &m, &[0; 4]), [100, 100, 100, 0]);
        assert_eq!(attribute(0, &all, &m, &[0; 4]), [0; 4]);
    }

    #[test]
    fn other_paid_is_written_and_restored() {
        let mut claim = parse(r#"{"invoices":[{"total":"100.00"},{"total":"9.00","other_paid":1}]}"#).unwrap();
        let m = invoice_money(claim.get("invoices"));
        write_other_paid(&mut claim, &m, &[2550, 50]);
        assert_eq!(
            write_value(&Value::from_json(&claim)),
            r#"{"invoices":[{"total":"100.00","other_paid":"25.50"},{"total":"9.00","other_paid":"1.50"}]}"#
        );
        write_other_paid(&mut claim, &m, &[0, 0]);
        assert_eq!(
            write_value(&Value::from_json(&claim)),
            r#"{"invoices":[{"total":"100.00"},{"total":"9.00","other_paid":1}]}"#
        );
    }

    #[test]
    fn claimed_invoices_leave_out_e06_and_r02() {
        let r = Value::from_json(
            &parse(r#"{"findings":[{"rule":"E06","fields":["invoices[1].visit_on"]},{"rule":"R02","fields":["invoices[2]"]},{"rule":"R03","fields":["invoices[0].issued_on"]}]}"#)
                .unwrap(),
        );
        assert_eq!(claimed(&r, 4), [true, false, false, true]);
    }
}
