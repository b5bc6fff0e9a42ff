//! Plain-language names of claim fields, for messages an elderly customer reads: `invoices[1].items[3].amount`
//! becomes "第2张发票第4项费用的金额" / "the amount on item 4 of invoice 2". Paths with no label fall back to
//! the path itself.

use crate::pack::def::Locale;

/// (path with list indexes removed, zh, en)
const LABELS: &[(&str, &str, &str)] = &[
    ("", "理赔申请", "the claim"),
    ("schema", "申请格式", "the claim format"),
    ("filed_on", "申请日期", "the date of this claim"),
    ("reported_on", "报案日期", "the date you told the insurer"),
    ("benefit", "申请的保险责任", "what you claim for"),
    ("cause", "出险原因（疾病或意外）", "the cause (illness or accident)"),
    ("event.date", "出险日期", "the date of the illness or accident"),
    ("event.diagnoses", "诊断", "the diagnosis"),
    ("event.diagnoses.icd10", "诊断代码", "the diagnosis code"),
    ("event.diagnoses.icdo3", "病理形态学代码", "the tumour morphology code"),
    ("event.diagnoses.primary", "主要诊断标记", "the main-diagnosis mark"),
    ("event.accident.kind", "事故类型", "the kind of accident"),
    (
        "event.accident.description",
        "事故经过",
        "what happened in the accident",
    ),
    ("event.disability_grade", "伤残等级", "the disability grade"),
    ("event.death_manner", "身故方式", "the manner of death"),
    ("policy.number", "保单号", "the policy number"),
    ("policy.product", "保险产品", "the insurance product"),
    ("policy.effective_on", "保单生效日期", "the date the policy started"),
    ("policy.expires_on", "保单满期日期", "the date the policy ends"),
    (
        "policy.continuous_since",
        "连续投保起始日期",
        "the date your continuous cover began",
    ),
    (
        "policy.reinstated_on",
        "保单复效日期",
        "the date the policy was reinstated",
    ),
    ("policy.sum_insured", "保险金额", "the sum insured"),
    ("policy.unpaid_premium", "欠交的保费", "the unpaid premium"),
    ("policy.premium_due_on", "保费应交日期", "the date the premium was due"),
    (
        "policy.paid_this_year",
        "本保单年度已赔金额",
        "what was already paid this policy year",
    ),
    (
        "policy.deductible_used",
        "本年度已用免赔额",
        "the deductible already used this year",
    ),
    (
        "policy.cash_days_paid_this_year",
        "本年度已赔住院津贴天数",
        "the hospital-cash days already paid this year",
    ),
    (
        "policy.social_insurance",
        "是否有医保",
        "whether you have social insurance",
    ),
    ("insured.name", "被保险人姓名", "the insured person's name"),
    ("insured.id_type", "被保险人证件类型", "the insured person's ID type"),
    (
        "insured.id_number",
        "被保险人证件号码",
        "the insured person's ID number",
    ),
    (
        "insured.birth_date",
        "被保险人出生日期",
        "the insured person's date of birth",
    ),
    ("insured.sex", "被保险人性别", "the insured person's sex"),
    (
        "applicant.relation",
        "申请人与被保险人的关系",
        "the applicant's relation to the insured",
    ),
    ("applicant.name", "申请人姓名", "the applicant's name"),
    ("applicant.id_type", "申请人证件类型", "the applicant's ID type"),
    ("applicant.id_number", "申请人证件号码", "the applicant's ID number"),
    (
        "applicant.birth_date",
        "申请人出生日期",
        "the applicant's date of birth",
    ),
    ("payee.name", "收款人姓名", "the payee's name"),
    ("payee.bank_card", "收款银行卡号", "the bank card number"),
    ("payee.bank_name", "开户银行", "the bank"),
    ("beneficiaries", "受益人", "the beneficiaries"),
    ("beneficiaries.name", "受益人姓名", "the beneficiary's name"),
    (
        "beneficiaries.id_number",
        "受益人证件号码",
        "the beneficiary's ID number",
    ),
    (
        "beneficiaries.relation",
        "受益人与被保险人的关系",
        "the beneficiary's relation to the insured",
    ),
    ("estate", "是否法定继承", "whether the benefit goes to the estate"),
    ("hospital.name", "医院名称", "the hospital's name"),
    ("hospital.level", "医院等级", "the hospital's grade"),
    ("hospital.public", "是否公立医院", "whether the hospital is public"),
    ("hospital.department", "就诊科室类型", "the ward or department"),
    ("stay.admitted_on", "入院日期", "the admission date"),
    ("stay.discharged_on", "出院日期", "the discharge date"),
    ("invoices", "发票", "the invoices"),
    ("invoices.code", "票据代码", "the invoice code"),
    ("invoices.number", "票据号码", "the invoice number"),
    ("invoices.check_code", "校验码", "the check code"),
    (
        "invoices.visit",
        "就诊类型（住院或门诊）",
        "the visit type (inpatient or outpatient)",
    ),
    ("invoices.visit_on", "就诊日期", "the visit date"),
    ("invoices.issued_on", "开票日期", "the date it was issued"),
    ("invoices.patient_name", "患者姓名", "the patient's name"),
    ("invoices.total", "总金额", "the total"),
    ("invoices.fund_paid", "医保统筹支付金额", "what social insurance paid"),
    (
        "invoices.account_paid",
        "个人账户支付金额",
        "what your medical savings account paid",
    ),
    (
        "invoices.other_paid",
        "其他保险或第三方支付金额",
        "what another insurer or third party paid",
    ),
    ("invoices.items", "费用明细", "the itemized costs"),
    ("invoices.items.code", "医保编码", "the insurance code"),
    ("invoices.items.name", "项目名称", "the name"),
    (
        "invoices.items.class",
        "医保类别（甲类、乙类、自费）",
        "the insurance class (A, B, self-pay)",
    ),
    ("invoices.items.amount", "金额", "the amount"),
    (
        "invoices.items.self_pay_first",
        "乙类先行自付金额",
        "the part you pay first",
    ),
    ("documents", "上传的材料", "the uploaded documents"),
    ("documents.type", "材料类型", "the document type"),
    ("documents.file", "文件名", "the file name"),
    ("documents.mime", "文件类型", "the file type"),
    ("documents.bytes", "文件大小", "the file size"),
    ("documents.width", "图片宽度", "the image width"),
    ("documents.height", "图片高度", "the image height"),
    ("documents.pages", "页数", "the number of pages"),
    ("documents.sha256", "文件校验值", "the file checksum"),
    ("documents.quality", "照片检查结果", "the photo check result"),
    ("history.used_invoices", "已用过的发票", "invoices used before"),
    ("history.prior_visits", "以前的就诊记录", "earlier visits"),
    (
        "history.prior_visits.date",
        "以前就诊的日期",
        "the date of an earlier visit",
    ),
    (
        "history.prior_visits.icd10",
        "以前就诊的诊断代码",
        "the diagnosis code of an earlier visit",
    ),
];

/// How list elements are named: (list path, zh with {n}, en with {n}).
const ELEMENTS: &[(&str, &str, &str)] = &[
    ("invoices", "第{n}张发票", "invoice {n}"),
    ("invoices.items", "第{n}项费用", "item {n}"),
    ("event.diagnoses", "第{n}个诊断", "diagnosis {n}"),
    ("documents", "第{n}份材料", "document {n}"),
    ("beneficiaries", "第{n}位受益人", "beneficiary {n}"),
    ("history.prior_visits", "第{n}次就诊记录", "earlier visit {n}"),
    ("history.used_invoices", "第{n}张用过的发票", "used invoice {n}"),
];

/// The plain-language name of a claim field path.
pub fn field_label(path: &str, locale: Locale) -> String {
    // Split `a[1].b[2].c` into the index-free path and the (list path, 1-based number) pairs.
    let mut bare = String::new();
    let mut elements: Vec<(String, usize)> = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        match rest.find('[') {
            Some(open) => {
                bare.push_str(rest.get(..open).unwrap_or(""));
                let after = rest.get(open + 1..).unwrap_or("");
                let close = after.find(']').unwrap_or(after.len());
                let n = after
                    .get(..close)
                    .and_then(|d| d.parse::<usize>().ok())
                    .map_or(0, |i| i + 1);
                elements.push((bare.clone(), n));
                rest = after.get(close + 1..).unwrap_or("");
                if let Some(r) = rest.strip_prefix('.') {
                    bare.push('.');
                    rest = r;
                }
            }
            None => {
                bare.push_str(rest);
                rest = "";
            }
        }
    }
    let bare = bare.trim_end_matches('.');
    let Some((_, zh, en)) = LABELS.iter().find(|(p, _, _)| *p == bare) else {
        return path.to_string();
    };
    let names: Vec<String> = elements
        .iter()
        .filter_map(|(list, n)| {
            ELEMENTS.iter().find(|(l, _, _)| l == list).map(|(_, z, e)| {
                let t = if locale == Locale::Zh { z } else { e };
                t.replace("{n}", &n.to_string())
            })
        })
        .collect();
    // The element itself (`invoices[1]`) is named by its element name alone.
    let field_is_element = elements.last().is_some_and(|(l, _)| l == bare);
    match locale {
        Locale::Zh if field_is_element => names.concat(),
        Locale::Zh if names.is_empty() => (*zh).to_string(),
        Locale::Zh => format!("{}的{zh}", names.concat()),
        Locale::En if field_is_element => names.iter().rev().cloned().collect::<Vec<_>>().join(" of "),
        Locale::En if names.is_empty() => (*en).to_string(),
        Locale::En => format!(
            "{en} on {}",
            names.iter().rev().cloned().collect::<Vec<_>>().join(" of ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fields_in_plain_words() {
        assert_eq!(
            field_label("invoices[1].items[3].amount", Locale::Zh),
            "第2张发票第4项费用的金额"
        );
        assert_eq!(
            field_label("invoices[1].items[3].amount", Locale::En),
            "the amount on item 4 of invoice 2"
        );
        assert_eq!(
            field_label("invoices[0].fund_paid", Locale::En),
            "what social insurance paid on invoice 1"
        );
        assert_eq!(field_label("event.date", Locale::Zh), "出险日期");
        assert_eq!(field_label("invoices[0]", Locale::En), "invoice 1");
        assert_eq!(field_label("invoices[0]", Locale::Zh), "第1张发票");
        assert_eq!(field_label("policy.sum_insured", Locale::En), "the sum insured");
        assert_eq!(field_label("nothing.known", Locale::En), "nothing.known");
        assert_eq!(field_label("", Locale::En), "the claim");
    }
}
