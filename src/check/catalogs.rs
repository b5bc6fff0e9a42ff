//! The findings a check adds when a pack uses a medical catalog that is not loaded (see the pack's
//! `catalogs`): the check still runs — the catalog functions answer `null` — and an `info` finding says what
//! could not be checked, with the fields concerned. It is only added when the claim has something the
//! catalog would have checked: a well-formed diagnosis code (rule C17), or an item with an insurance code
//! whose class, or whose 乙类 self-pay-first part, the claim does not give (rule C18).

use super::run::Finding;
use crate::catalog::{CatalogSet, Kind as CatalogKind};
use crate::domain::icd::icd_well_formed;
use crate::pack::compile::Program;
use crate::pack::def::{Kind, Locale, Severity};
use crate::value::Value;

fn list(v: Option<&Value>) -> &[Value] {
    v.and_then(Value::as_array).unwrap_or_default()
}

/// Paths of the well-formed diagnosis codes.
fn diagnosis_fields(claim: &Value) -> Vec<String> {
    let dxs = list(claim.get("event").and_then(|e| e.get("diagnoses")));
    dxs.iter()
        .enumerate()
        .filter(|(_, d)| d.get("icd10").and_then(Value::as_str).is_some_and(icd_well_formed))
        .map(|(i, _)| format!("event.diagnoses[{i}].icd10"))
        .collect()
}

/// Paths of the item codes whose class (or 乙类 self-pay-first part) the claim leaves to the catalog.
fn item_fields(claim: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for (i, inv) in list(claim.get("invoices")).iter().enumerate() {
        for (j, it) in list(inv.get("items")).iter().enumerate() {
            let has_code = it
                .get("code")
                .and_then(Value::as_str)
                .is_some_and(|c| !c.trim().is_empty());
            let class = it.get("class");
            let needs = match class.and_then(Value::as_str) {
                Some("B") => it.get("self_pay_first").is_none_or(Value::is_null),
                Some(_) => false,
                None => class.is_none_or(Value::is_null),
            };
            if has_code && needs {
                out.push(format!("invoices[{i}].items[{j}].code"));
            }
        }
    }
    out
}

fn message(kind: CatalogKind, locale: Locale) -> &'static str {
    match (kind, locale) {
        (CatalogKind::Diagnosis, Locale::Zh) => "本机没有加载诊断目录：诊断代码只检查了格式，没有核对目录里是否有这个代码。",
        (CatalogKind::Diagnosis, Locale::En) => {
            "No diagnosis catalog is loaded here: diagnosis codes were checked for their form only, not whether \
             the catalog lists them."
        }
        (CatalogKind::Item, Locale::Zh) => {
            "本机没有加载医保药品目录：无法按医保编码确定这些费用的类别和乙类先行自付比例，估算只用理赔单上填写的内容和产品条款。"
        }
        (CatalogKind::Item, Locale::En) => {
            "No drug catalog is loaded here: the class and the self-pay-first rate of these items could not be read \
             from their insurance codes; the estimate uses only what the claim gives and the product's terms."
        }
    }
}

/// The `info` findings for the pack's catalogs that are not loaded and would have mattered for this claim.
pub fn missing_catalog_findings(program: &Program, claim: &Value, cats: &CatalogSet, locale: Locale) -> Vec<Finding> {
    let mut out = Vec::new();
    for &kind in &program.def.catalogs {
        if cats.has(kind) {
            continue;
        }
        let (rule, fields) = match kind {
            CatalogKind::Diagnosis => ("C17", diagnosis_fields(claim)),
            CatalogKind::Item => ("C18", item_fields(claim)),
        };
        if fields.is_empty() {
            continue;
        }
        out.push(Finding {
            rule: rule.into(),
            kind: Kind::C,
            severity: Severity::Info,
            message: message(kind, locale).into(),
            fields,
            documents: Vec::new(),
        });
    }
    out
}
