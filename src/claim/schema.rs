//! The claim@1 schema as data: every field, its kind and its default. The decoder ([`super::decode`])
//! walks it to validate and normalise a claim, and [`claim_ty`] turns it into the static type that rule
//! expressions are checked against (so `policy.efective_on` is a compile error).

use crate::expr::Ty;

/// The kind of a claim field.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Str,
    /// One of a fixed list of strings.
    Enum(&'static [&'static str]),
    Bool,
    /// A whole number, not negative.
    Count,
    /// A calendar date, decoded to a date value.
    Date,
    /// Money, decoded to integer fen.
    Money,
    /// Any JSON value, kept as it is.
    Any,
    /// A photo pre-check result (`documents[].quality`): an object whose `verdict` is one of
    /// [`VERDICTS`] and whose `issues`, when given, is a list of strings; other keys are kept as they are.
    Quality,
    Record(&'static [Field]),
    /// A list of records.
    List(&'static [Field]),
    /// A list of strings.
    StrList,
}

/// What to use when a field is absent (or null).
#[derive(Debug, Clone, Copy)]
pub enum Default {
    Null,
    /// The value of another field of the same record.
    Field(&'static str),
    Zero,
    False,
    /// An empty list (lists) or a record of nulls (records).
    Empty,
}

#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub kind: Kind,
    pub default: Default,
}

const fn f(name: &'static str, kind: Kind) -> Field {
    Field {
        name,
        kind,
        default: Default::Null,
    }
}

const fn fd(name: &'static str, kind: Kind, default: Default) -> Field {
    Field { name, kind, default }
}

pub const BENEFITS: &[&str] = &[
    "inpatient",
    "outpatient",
    "critical_illness",
    "disability",
    "death",
    "hospital_cash",
];
pub const CAUSES: &[&str] = &["illness", "accident"];
pub const ID_TYPES: &[&str] = &["resident_id", "household_register", "passport", "other"];
pub const RELATIONS: &[&str] = &[
    "self",
    "guardian",
    "spouse",
    "parent",
    "child",
    "beneficiary",
    "heir",
    "agent",
];
pub const LEVELS: &[&str] = &["3A", "3B", "3C", "3", "2A", "2B", "2C", "2", "1", "unrated"];
pub const DEPARTMENTS: &[&str] = &["general", "special_needs", "international", "vip"];
pub const ITEM_CLASSES: &[&str] = &["A", "B", "self", "nonmedical"];
pub const VERDICTS: &[&str] = &["ok", "warn", "retake"];
pub const DEATH_MANNERS: &[&str] = &["natural", "accident", "suicide", "declared"];
pub const DOCUMENT_CODES: &[&str] = &[
    "D01", "D02", "D03", "D04", "D05", "D06", "D07", "D08", "D09", "D10", "D11", "D12", "D13", "D14", "D15", "D16",
    "D17", "D18", "D19", "D20", "D21", "D22",
];

static DIAGNOSIS: &[Field] = &[
    f("icd10", Kind::Str),
    f("icdo3", Kind::Str),
    fd("primary", Kind::Bool, Default::False),
];
static ACCIDENT: &[Field] = &[f("kind", Kind::Str), f("description", Kind::Str)];
static EVENT: &[Field] = &[
    f("date", Kind::Date),
    fd("diagnoses", Kind::List(DIAGNOSIS), Default::Empty),
    fd("accident", Kind::Record(ACCIDENT), Default::Empty),
    f("disability_grade", Kind::Count),
    f("death_manner", Kind::Enum(DEATH_MANNERS)),
];
static POLICY: &[Field] = &[
    f("number", Kind::Str),
    f("product", Kind::Str),
    f("effective_on", Kind::Date),
    f("expires_on", Kind::Date),
    fd("continuous_since", Kind::Date, Default::Field("effective_on")),
    f("reinstated_on", Kind::Date),
    f("sum_insured", Kind::Money),
    f("unpaid_premium", Kind::Money),
    f("premium_due_on", Kind::Date),
    fd("paid_this_year", Kind::Money, Default::Zero),
    fd("deductible_used", Kind::Money, Default::Zero),
    fd("cash_days_paid_this_year", Kind::Count, Default::Zero),
    fd("social_insurance", Kind::Bool, Default::False),
];
static INSURED: &[Field] = &[
    f("name", Kind::Str),
    f("id_type", Kind::Enum(ID_TYPES)),
    f("id_number", Kind::Str),
    f("birth_date", Kind::Date),
    f("sex", Kind::Enum(&["M", "F"])),
];
static APPLICANT: &[Field] = &[
    f("relation", Kind::Enum(RELATIONS)),
    f("name", Kind::Str),
    f("id_type", Kind::Enum(ID_TYPES)),
    f("id_number", Kind::Str),
    f("birth_date", Kind::Date),
];
static PAYEE: &[Field] = &[
    f("name", Kind::Str),
    f("bank_card", Kind::Str),
    f("bank_name", Kind::Str),
];
static BENEFICIARY: &[Field] = &[
    f("name", Kind::Str),
    f("id_number", Kind::Str),
    f("relation", Kind::Str),
];
static HOSPITAL: &[Field] = &[
    f("name", Kind::Str),
    f("level", Kind::Enum(LEVELS)),
    f("public", Kind::Bool),
    f("department", Kind::Enum(DEPARTMENTS)),
];
static STAY: &[Field] = &[f("admitted_on", Kind::Date), f("discharged_on", Kind::Date)];
static ITEM: &[Field] = &[
    f("code", Kind::Str),
    f("name", Kind::Str),
    f("class", Kind::Enum(ITEM_CLASSES)),
    f("amount", Kind::Money),
    f("self_pay_first", Kind::Money),
];
static INVOICE: &[Field] = &[
    f("code", Kind::Str),
    f("number", Kind::Str),
    f("check_code", Kind::Str),
    f("visit", Kind::Enum(&["inpatient", "outpatient"])),
    fd("visit_on", Kind::Date, Default::Field("issued_on")),
    f("issued_on", Kind::Date),
    f("patient_name", Kind::Str),
    f("total", Kind::Money),
    fd("fund_paid", Kind::Money, Default::Zero),
    fd("account_paid", Kind::Money, Default::Zero),
    fd("other_paid", Kind::Money, Default::Zero),
    fd("items", Kind::List(ITEM), Default::Empty),
];
static DOCUMENT: &[Field] = &[
    f("type", Kind::Enum(DOCUMENT_CODES)),
    f("file", Kind::Str),
    f("mime", Kind::Str),
    f("bytes", Kind::Count),
    f("width", Kind::Count),
    f("height", Kind::Count),
    f("pages", Kind::Count),
    f("sha256", Kind::Str),
    f("quality", Kind::Quality),
];
static PRIOR_VISIT: &[Field] = &[f("date", Kind::Date), f("icd10", Kind::Str)];
static HISTORY: &[Field] = &[
    fd("used_invoices", Kind::StrList, Default::Empty),
    fd("prior_visits", Kind::List(PRIOR_VISIT), Default::Empty),
];

/// The top-level fields of claim@1.
pub static CLAIM: &[Field] = &[
    f("schema", Kind::Str),
    f("filed_on", Kind::Date),
    fd("reported_on", Kind::Date, Default::Field("filed_on")),
    f("benefit", Kind::Enum(BENEFITS)),
    f("cause", Kind::Enum(CAUSES)),
    fd("event", Kind::Record(EVENT), Default::Empty),
    fd("policy", Kind::Record(POLICY), Default::Empty),
    fd("insured", Kind::Record(INSURED), Default::Empty),
    fd("applicant", Kind::Record(APPLICANT), Default::Empty),
    fd("payee", Kind::Record(PAYEE), Default::Empty),
    fd("beneficiaries", Kind::List(BENEFICIARY), Default::Empty),
    fd("estate", Kind::Bool, Default::False),
    fd("hospital", Kind::Record(HOSPITAL), Default::Empty),
    fd("stay", Kind::Record(STAY), Default::Empty),
    fd("invoices", Kind::List(INVOICE), Default::Empty),
    fd("documents", Kind::List(DOCUMENT), Default::Empty),
    fd("history", Kind::Record(HISTORY), Default::Empty),
];

/// The schema identifier a claim carries.
pub const CLAIM_SCHEMA: &str = "preclaim/claim@1";

fn kind_ty(k: &Kind) -> Ty {
    match k {
        Kind::Str | Kind::Enum(_) => Ty::Str,
        Kind::Bool => Ty::Bool,
        Kind::Count => Ty::Num,
        Kind::Date => Ty::Date,
        Kind::Money => Ty::Money,
        Kind::Any | Kind::Quality => Ty::Any,
        Kind::Record(fields) => record_ty(fields),
        Kind::List(fields) => Ty::array(record_ty(fields)),
        Kind::StrList => Ty::array(Ty::Str),
    }
}

fn record_ty(fields: &[Field]) -> Ty {
    Ty::record(fields.iter().map(|f| (f.name, kind_ty(&f.kind))).collect())
}

/// The static type of a decoded claim (built once).
pub fn claim_ty() -> Ty {
    static TY: std::sync::OnceLock<Ty> = std::sync::OnceLock::new();
    TY.get_or_init(|| record_ty(CLAIM)).clone()
}
