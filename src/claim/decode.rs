//! claim@1 decoding: JSON → a normalised [`Value`] the rules read (dates as date values, money as integer
//! fen, defaults filled in, every record present with all its fields), plus the problems found: each
//! malformed value with its path (`invoices[1].items[3].amount`), and every unknown field (ignored, listed in
//! the report). Which fields must be given is checked on the decoded claim by [`super::required`]. A malformed value becomes [`Value::Malformed`], so rules that need
//! it do not fire. Decoding never fails on a JSON object; anything else is one problem at the root.

use std::sync::Arc;

use super::schema::{Default, Field, Kind, CLAIM, CLAIM_SCHEMA, VERDICTS};
use crate::domain::{date, money};
use crate::json::{JsonKind, JsonNode};
use crate::value::{Map, Value};

/// What is wrong with a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// A required field is absent or null.
    Missing,
    /// Not a `YYYY-MM-DD` calendar date.
    BadDate,
    /// Not a valid amount of money (the detail says why).
    BadMoney(String),
    /// Not one of the allowed values.
    NotOneOf(&'static [&'static str]),
    /// The wrong JSON type; the expected kind.
    WrongType(&'static str),
    /// Not a whole number of at least 0.
    NotCount,
    /// The claim says it is not claim@1.
    WrongSchema,
    /// No rule pack is loaded for `policy.product`.
    UnknownProduct,
    /// Text with characters that cannot be read (a broken UTF-16 string from JavaScript).
    BadText,
    /// Not a photo pre-check result (`{"verdict": "ok" | "warn" | "retake", "issues": [...]}`).
    BadQuality,
    /// `NaN`, `Infinity` or `-Infinity` from JavaScript (the npm wrapper marks them, see [`NON_FINITE`]).
    NotFinite,
    /// The list would take the claim past [`crate::limits::MAX_RECORDS`] records in all its lists.
    TooManyRecords,
    /// A list longer than the claim may hold; the most it may hold.
    TooMany(usize),
}

impl Reason {
    /// A short English explanation.
    pub fn en(&self) -> String {
        match self {
            Reason::Missing => "it is missing".into(),
            Reason::BadDate => "it is not a date like 2024-09-08".into(),
            Reason::BadMoney(why) => format!("it is not an amount like 1234.50 ({why})"),
            Reason::NotOneOf(allowed) => format!("it must be one of: {}", allowed.join(", ")),
            Reason::WrongType(t) => format!("it must be {t}"),
            Reason::NotCount => "it must be a whole number".into(),
            Reason::WrongSchema => format!("this checker reads {CLAIM_SCHEMA} claims"),
            Reason::UnknownProduct => "no rules are installed for this product; check the product code".into(),
            Reason::BadText => "it contains characters that cannot be read; please type it again".into(),
            Reason::BadQuality => format!(
                "it must be a photo check result: a verdict ({}) and, if given, a list of issues",
                VERDICTS.join(", ")
            ),
            Reason::NotFinite => "it is not a finite number (NaN or Infinity)".into(),
            Reason::TooManyRecords => format!(
                "the claim's lists hold more than {} entries together",
                crate::limits::MAX_RECORDS
            ),
            Reason::TooMany(max) => format!("it has more than {max} entries"),
        }
    }

    /// A short Chinese explanation.
    pub fn zh(&self) -> String {
        match self {
            Reason::Missing => "未填写".into(),
            Reason::BadDate => "日期格式应为 2024-09-08".into(),
            Reason::BadMoney(_) => "金额格式应为 1234.50（不能为负数，最多两位小数）".into(),
            Reason::NotOneOf(allowed) => format!("只能是以下之一：{}", allowed.join("、")),
            Reason::WrongType(t) => format!("类型不对（应为{}）", zh_type(t)),
            Reason::NotCount => "应为不小于 0 的整数".into(),
            Reason::WrongSchema => format!("本工具只能检查 {CLAIM_SCHEMA} 格式的申请"),
            Reason::UnknownProduct => "没有这个产品的理赔规则，请核对产品代码".into(),
            Reason::BadText => "含有无法识别的字符，请重新输入".into(),
            Reason::BadQuality => {
                "应为照片检查的结果（结论为 ok、warn 或 retake，问题为文字列表），请重新检查这张照片".into()
            }
            Reason::NotFinite => "不是有效的数字（NaN 或无穷大）".into(),
            Reason::TooManyRecords => format!("申请中各列表的条目合计超过 {} 条", crate::limits::MAX_RECORDS),
            Reason::TooMany(max) => format!("超过 {max} 条"),
        }
    }
}

fn zh_type(t: &str) -> &'static str {
    match t {
        "an object" => "对象",
        "a list" => "列表",
        "text" => "文字",
        "true or false" => "是或否",
        _ => "其他类型",
    }
}

/// A problem with one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub reason: Reason,
}

/// The result of decoding a claim.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub value: Value,
    pub problems: Vec<Problem>,
    /// Paths of fields that are not part of claim@1.
    pub ignored: Vec<String>,
}

/// Limits on what a claim may contain, so a hostile claim cannot make the checker slow.
pub const MAX_LIST_LEN: usize = crate::limits::MAX_LIST_LEN;

/// The strings the npm package writes for a JavaScript number that JSON cannot hold (`JSON.stringify` would
/// write `null`, which reads as "absent"): each is read as [`Reason::NotFinite`] wherever it appears as a
/// field's value.
pub const NON_FINITE: [&str; 3] = ["\u{0}preclaim:NaN", "\u{0}preclaim:Infinity", "\u{0}preclaim:-Infinity"];

fn is_non_finite(n: &JsonNode) -> bool {
    matches!(&n.kind, JsonKind::Str(s) if s.starts_with('\0') && NON_FINITE.contains(&&**s))
}

struct Decoder {
    problems: Vec<Problem>,
    ignored: Vec<String>,
    /// Records in the lists decoded so far (bounded by [`crate::limits::MAX_RECORDS`]).
    records: usize,
}

/// A field path built on the stack and written out only when a problem needs it.
#[derive(Clone, Copy)]
pub(super) enum Path<'a> {
    Root,
    Field(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl Path<'_> {
    pub(super) fn render(&self) -> String {
        match self {
            Path::Root => String::new(),
            Path::Field(Path::Root, name) => (*name).to_string(),
            Path::Field(parent, name) => format!("{}.{name}", parent.render()),
            Path::Index(parent, i) => format!("{}[{i}]", parent.render()),
        }
    }
}

type KeyCache = Vec<(usize, Vec<Arc<str>>)>;

/// One shared string per schema field name and enum value (sorted, for [`intern`]), and each record's keys
/// in field order, built once: decoding allocates no keys, the JSON parser hands out the shared strings for
/// claim keys and enum values, and compiled paths hold the same strings, so a field look-up matches by
/// pointer.
fn key_cache() -> &'static (Vec<Arc<str>>, KeyCache, Vec<u16>) {
    static CACHE: std::sync::OnceLock<(Vec<Arc<str>>, KeyCache, Vec<u16>)> = std::sync::OnceLock::new();
    fn shared(names: &mut Vec<Arc<str>>, s: &str) -> Arc<str> {
        match names.iter().find(|n| &***n == s) {
            Some(k) => k.clone(),
            None => {
                let k: Arc<str> = Arc::from(s);
                names.push(k.clone());
                k
            }
        }
    }
    fn collect(fields: &'static [Field], names: &mut Vec<Arc<str>>, out: &mut KeyCache) {
        let addr = fields.as_ptr() as usize;
        if out.iter().any(|(a, _)| *a == addr) {
            return;
        }
        let keys = fields.iter().map(|f| shared(names, f.name)).collect();
        out.push((addr, keys));
        for f in fields {
            match f.kind {
                Kind::Record(sub) | Kind::List(sub) => collect(sub, names, out),
                Kind::Enum(values) => {
                    for v in values {
                        shared(names, v);
                    }
                }
                _ => {}
            }
        }
    }
    CACHE.get_or_init(|| {
        let (mut names, mut c) = (Vec::new(), Vec::new());
        collect(CLAIM, &mut names, &mut c);
        // An open-addressing table of name indexes + 1 (0: empty), at most half full.
        let mut table = vec![0u16; (names.len() * 2).next_power_of_two().max(16)];
        let mask = table.len() - 1;
        for (i, n) in names.iter().enumerate() {
            let mut slot = name_hash(n) & mask;
            while table.get(slot).is_some_and(|&e| e != 0) {
                slot = (slot + 1) & mask;
            }
            if let Some(e) = table.get_mut(slot) {
                *e = u16::try_from(i + 1).unwrap_or(0);
            }
        }
        (names, c, table)
    })
}

/// FNV-1a over the bytes.
fn name_hash(s: &str) -> usize {
    s.bytes()
        .fold(0x811c_9dc5u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193)) as usize
}

/// The shared string of a claim field name or enum value, if it is one (for the JSON parser and compiled
/// paths: a hash probe, no allocation).
pub fn intern(name: &str) -> Option<Arc<str>> {
    if name.len() > 32 {
        return None;
    }
    let (names, _, table) = key_cache();
    let mask = table.len().wrapping_sub(1);
    let mut slot = name_hash(name) & mask;
    loop {
        match table.get(slot).copied() {
            Some(0) | None => return None,
            Some(e) => {
                let n = names.get(usize::from(e) - 1)?;
                if &**n == name {
                    return Some(n.clone());
                }
            }
        }
        slot = (slot + 1) & mask;
    }
}

pub(super) fn keys(fields: &'static [Field]) -> &'static [Arc<str>] {
    let addr = fields.as_ptr() as usize;
    key_cache()
        .1
        .iter()
        .find(|(a, _)| *a == addr)
        .map(|(_, k)| k.as_slice())
        .unwrap_or_default()
}

/// Decodes a parsed claim.
pub fn decode(j: &JsonNode) -> Decoded {
    let mut d = Decoder {
        problems: Vec::new(),
        ignored: Vec::new(),
        records: 0,
    };
    let value = match &j.kind {
        JsonKind::Object(_) => d.record(j, CLAIM, &Path::Root),
        _ => {
            d.problems.push(Problem {
                path: String::new(),
                reason: Reason::WrongType("an object"),
            });
            d.record(
                &JsonNode {
                    kind: JsonKind::Object(Vec::new()),
                    pos: j.pos,
                },
                CLAIM,
                &Path::Root,
            )
        }
    };
    if let Some(s) = value.get("schema").and_then(Value::as_str) {
        if s != CLAIM_SCHEMA {
            d.problems.push(Problem {
                path: "schema".into(),
                reason: Reason::WrongSchema,
            });
        }
    }
    Decoded {
        value,
        problems: d.problems,
        ignored: d.ignored,
    }
}

impl Decoder {
    fn bad(&mut self, path: &Path, reason: Reason) -> Value {
        self.problems.push(Problem {
            path: path.render(),
            reason,
        });
        Value::Malformed
    }

    fn record(&mut self, j: &JsonNode, fields: &'static [Field], path: &Path) -> Value {
        let JsonKind::Object(members) = &j.kind else {
            return self.bad(path, Reason::WrongType("an object"));
        };
        // One pass over the members: each to its field (a repeated key: the last one wins), or ignored.
        // The parser gives field names the shared strings of `keys`, so most are found by pointer.
        let keys = keys(fields);
        let mut given: Vec<Option<&JsonNode>> = vec![None; fields.len()];
        for (k, _, v) in members {
            let at = keys.iter().position(|key| Arc::ptr_eq(key, k));
            match at.or_else(|| fields.iter().position(|f| f.name == &**k)) {
                Some(i) => {
                    if let Some(g) = given.get_mut(i) {
                        *g = Some(v);
                    }
                }
                None => self.ignored.push(Path::Field(path, k).render()),
            }
        }
        let mut out: Map = Vec::with_capacity(fields.len());
        for (i, f) in fields.iter().enumerate() {
            let key = keys.get(i).cloned().unwrap_or_else(|| Arc::from(f.name));
            let given = given.get(i).copied().flatten();
            out.push((key, self.member(f, given, &Path::Field(path, f.name))));
        }
        fill_field_defaults(fields, &mut out);
        Value::object(out)
    }

    /// The value of field `f` of a record, given (`null` counts as absent) or its default
    /// (`Default::Field` defaults are null here: [`fill_field_defaults`] fills them in).
    fn member(&mut self, f: &Field, given: Option<&JsonNode>, path: &Path) -> Value {
        match given {
            Some(n) if !matches!(n.kind, JsonKind::Null) => self.field(n, &f.kind, path),
            _ => match f.default {
                Default::Null | Default::Field(_) => Value::Null,
                Default::Zero => Value::Int(0),
                Default::False => Value::Bool(false),
                Default::Empty => match f.kind {
                    Kind::Record(sub) => self.record(
                        &JsonNode {
                            kind: JsonKind::Object(Vec::new()),
                            pos: 0,
                        },
                        sub,
                        path,
                    ),
                    _ => Value::array(Vec::new()),
                },
            },
        }
    }

    fn field(&mut self, n: &JsonNode, kind: &Kind, path: &Path) -> Value {
        if is_non_finite(n) {
            return self.bad(path, Reason::NotFinite);
        }
        match (kind, &n.kind) {
            (Kind::Str | Kind::Enum(_), JsonKind::Str(s)) if replaced(s) => self.bad(path, Reason::BadText),
            (Kind::Str, JsonKind::Str(s)) => Value::Str(s.clone()),
            (Kind::Str, _) => self.bad(path, Reason::WrongType("text")),
            (Kind::Enum(allowed), JsonKind::Str(s)) if allowed.contains(&&**s) => Value::Str(s.clone()),
            (Kind::Enum(allowed), _) => self.bad(path, Reason::NotOneOf(allowed)),
            (Kind::Bool, JsonKind::Bool(b)) => Value::Bool(*b),
            (Kind::Bool, _) => self.bad(path, Reason::WrongType("true or false")),
            (Kind::Count, JsonKind::Int(i)) if *i >= 0 => Value::Int(*i),
            (Kind::Count, _) => self.bad(path, Reason::NotCount),
            (Kind::Date, JsonKind::Str(s)) => match date::parse_date(s) {
                Some(d) => Value::Date(d),
                None => self.bad(path, Reason::BadDate),
            },
            (Kind::Date, _) => self.bad(path, Reason::BadDate),
            (Kind::Money, JsonKind::Str(s)) => self.money(money::parse_money(s), path),
            (Kind::Money, JsonKind::Int(i)) => self.money(money_from_int(*i), path),
            (Kind::Money, JsonKind::Float(f)) => self.money(money::money_from_f64(*f), path),
            (Kind::Money, _) => self.bad(path, Reason::BadMoney("not a number".into())),
            (Kind::Any, _) => Value::from_json(n),
            (Kind::Quality, _) if quality_ok(n) => Value::from_json(n),
            (Kind::Quality, _) => self.bad(path, Reason::BadQuality),
            (Kind::Record(fields), _) => self.record(n, fields, path),
            (Kind::List(fields), JsonKind::Array(items)) => {
                if items.len() > MAX_LIST_LEN {
                    return self.bad(path, Reason::TooMany(MAX_LIST_LEN));
                }
                if self.records + items.len() > crate::limits::MAX_RECORDS {
                    return self.bad(path, Reason::TooManyRecords);
                }
                self.records += items.len();
                let out = items
                    .iter()
                    .enumerate()
                    .map(|(i, it)| self.record(it, fields, &Path::Index(path, i)))
                    .collect();
                Value::array(out)
            }
            (Kind::StrList, JsonKind::Array(items)) if items.len() > MAX_LIST_LEN => {
                self.bad(path, Reason::TooMany(MAX_LIST_LEN))
            }
            (Kind::StrList, JsonKind::Array(items)) => {
                let out = items
                    .iter()
                    .enumerate()
                    .map(|(i, it)| match &it.kind {
                        _ if is_non_finite(it) => self.bad(&Path::Index(path, i), Reason::NotFinite),
                        JsonKind::Str(s) if replaced(s) => self.bad(&Path::Index(path, i), Reason::BadText),
                        JsonKind::Str(s) => Value::Str(s.clone()),
                        _ => self.bad(&Path::Index(path, i), Reason::WrongType("text")),
                    })
                    .collect();
                Value::array(out)
            }
            (Kind::List(_) | Kind::StrList, _) => self.bad(path, Reason::WrongType("a list")),
        }
    }

    fn money(&mut self, r: Result<i64, money::MoneyError>, path: &Path) -> Value {
        match r {
            Ok(f) => Value::Int(f),
            Err(e) => self.bad(path, Reason::BadMoney(e.to_string())),
        }
    }
}

/// Fills in the fields of a decoded record that default to another field's value, when absent (null) and
/// that field is not malformed.
pub(super) fn fill_field_defaults(fields: &[Field], out: &mut Map) {
    for (i, f) in fields.iter().enumerate() {
        if let Default::Field(other) = f.default {
            let src = out.iter().find(|(k, _)| &**k == other).map(|(_, v)| v.clone());
            if let (Some((_, slot)), Some(src)) = (out.get_mut(i), src) {
                if slot.is_null() && !matches!(src, Value::Malformed) {
                    *slot = src;
                }
            }
        }
    }
}

/// One top-level field of a claim decoded alone, for sessions ([`super::members`]).
#[derive(Debug, Clone)]
pub(super) struct Piece {
    pub value: Value,
    pub problems: Vec<Problem>,
    pub ignored: Vec<String>,
    /// Records in its lists (as if no list came before it).
    pub records: usize,
}

/// Decodes top-level field `f` of a claim from its member (`None`: absent) as [`decode`] would, given that
/// the lists before it hold no records.
pub(super) fn decode_member(f: &'static Field, given: Option<&JsonNode>) -> Piece {
    let mut d = Decoder {
        problems: Vec::new(),
        ignored: Vec::new(),
        records: 0,
    };
    let value = d.member(f, given, &Path::Field(&Path::Root, f.name));
    Piece {
        value,
        problems: d.problems,
        ignored: d.ignored,
        records: d.records,
    }
}

/// Money given as a whole number of yuan, in fen.
pub(super) fn money_from_int(i: i64) -> Result<i64, money::MoneyError> {
    i.checked_mul(100)
        .ok_or(money::MoneyError::TooLarge)
        .and_then(|f| if f < 0 { Err(money::MoneyError::Negative) } else { Ok(f) })
        .and_then(|f| {
            if f > money::MAX_MONEY_FEN {
                Err(money::MoneyError::TooLarge)
            } else {
                Ok(f)
            }
        })
}

/// A record of `fields` decoded from `{}`: every field its default (what an absent record decodes to).
pub(super) fn empty_record(fields: &'static [Field]) -> Value {
    let mut d = Decoder {
        problems: Vec::new(),
        ignored: Vec::new(),
        records: 0,
    };
    let empty = JsonNode {
        kind: JsonKind::Object(Vec::new()),
        pos: 0,
    };
    d.record(&empty, fields, &Path::Root)
}

/// Whether a `documents[].quality` value is a photo pre-check result: an object with a known `verdict` and,
/// if given, `issues` as a list of strings.
pub(super) fn quality_ok(n: &JsonNode) -> bool {
    let verdict_ok = n
        .get("verdict")
        .and_then(JsonNode::as_str)
        .is_some_and(|v| VERDICTS.contains(&v));
    let issues_ok = match n.get("issues").map(|i| &i.kind) {
        None | Some(JsonKind::Null) => true,
        Some(JsonKind::Array(items)) => items.iter().all(|i| matches!(i.kind, JsonKind::Str(_))),
        Some(_) => false,
    };
    matches!(n.kind, JsonKind::Object(_)) && verdict_ok && issues_ok
}

/// Whether text holds U+FFFD (a lone surrogate the parser replaced). The direct decoder calls it only for
/// text that is not ASCII (it knows from its scan).
pub(super) fn replaced(s: &str) -> bool {
    // U+FFFD is EF BF BD in UTF-8: the rarer lead byte is looked for first (CJK text has none).
    let b = s.as_bytes();
    let mut from = 0;
    while let Some(at) = b.get(from..).and_then(|r| r.iter().position(|&c| c == 0xEF)) {
        if b.get(from + at + 1..from + at + 3) == Some(&[0xBF, 0xBD][..]) {
            return true;
        }
        from += at + 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    fn dec(text: &str) -> Decoded {
        decode(&parse(text).unwrap())
    }

    #[test]
    fn normalises_and_defaults() {
        let d = dec(
            r#"{"schema":"preclaim/claim@1","filed_on":"2024-09-25","benefit":"inpatient","cause":"illness",
            "event":{"date":"2024-09-08"},"policy":{"product":"P-MED","effective_on":"2024-03-01","expires_on":"2025-02-28"},
            "invoices":[{"issued_on":"2024-09-19","total":"46100.00","items":[{"amount":1.5}]}]}"#,
        );
        assert!(d.problems.is_empty(), "{:?}", d.problems);
        let v = &d.value;
        assert_eq!(v.get("reported_on"), v.get("filed_on"));
        let pol = v.get("policy").unwrap();
        assert_eq!(pol.get("continuous_since"), pol.get("effective_on"));
        assert_eq!(pol.get("paid_this_year"), Some(&Value::Int(0)));
        let inv = &v.get("invoices").unwrap().as_array().unwrap()[0];
        assert_eq!(inv.get("total"), Some(&Value::Int(4_610_000)));
        assert_eq!(inv.get("visit_on"), inv.get("issued_on"));
        assert_eq!(
            inv.get("items").unwrap().as_array().unwrap()[0].get("amount"),
            Some(&Value::Int(150))
        );
        assert_eq!(v.get("stay").unwrap().get("admitted_on"), Some(&Value::Null));
    }

    #[test]
    fn names_every_bad_field() {
        let d = dec(
            r#"{"filed_on":"2024-02-30","benefit":"dental","cause":"illness","extra":1,
            "event":{"date":"2024-09-08"},"policy":{"product":"P-MED","effective_on":"2024-03-01","expires_on":"2025-02-28","sum_insured":-1},
            "invoices":[{"items":[{"amount":"1.234"},{"amount":"1e400"}, {"amount": 1e400}]}, 5]}"#,
        );
        let paths: Vec<&str> = d.problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "filed_on",
                "benefit",
                "policy.sum_insured",
                "invoices[0].items[0].amount",
                "invoices[0].items[1].amount",
                "invoices[0].items[2].amount",
                "invoices[1]",
            ]
        );
        assert_eq!(d.ignored, ["extra"]);
        assert_eq!(d.value.get("filed_on"), Some(&Value::Malformed));
    }

    #[test]
    fn broken_utf16_text_is_a_problem_not_an_error() {
        let opts = crate::json::ParseOptions {
            replace_lone_surrogates: true,
            intern: None,
            ..crate::json::ParseOptions::default()
        };
        let n = crate::json::parse_with(
            r#"{"insured": {"name": "A\ud800B"}, "payee": {"name": "\udc00"}}"#,
            opts,
        )
        .unwrap();
        let d = decode(&n);
        let bad: Vec<&str> = d
            .problems
            .iter()
            .filter(|p| p.reason == Reason::BadText)
            .map(|p| p.path.as_str())
            .collect();
        assert_eq!(bad, ["insured.name", "payee.name"]);
        assert!(crate::json::parse(r#""\ud800""#).is_err());
    }

    #[test]
    fn not_an_object_is_one_problem() {
        let d = dec("[1]");
        assert_eq!(
            d.problems[0],
            Problem {
                path: String::new(),
                reason: Reason::WrongType("an object")
            }
        );
    }
}
