//! claim@1 decoded straight from its JSON text: the schema is walked while the text is scanned, with no
//! intermediate tree. Keys are matched against the record's field names (the next field in schema order is
//! tried first), strings are slices of the text (unescaped only when they hold a backslash), dates, money,
//! enums and counts are decoded on the spot, and an absent record is a shared copy of its empty record.
//! The result is exactly [`super::decode`]'s on the parsed tree: the same value, the same problems and
//! ignored fields in the same order (a property test and a fuzz target compare the two).
//!
//! The text is held to the same grammar and limits as [`crate::json::parse_with`] with the given options
//! (nesting, values, repeated keys — in unknown fields too, whose values are read as trees and dropped). On
//! anything unusual — a syntax error, a limit, a list over [`crate::limits::MAX_LIST_LEN`] entries or a
//! claim over [`crate::limits::MAX_RECORDS`] records — [`decode_text`] parses the text again with the tree
//! parser and decodes the tree: the error (message, offset, limit flag) and the C00 problems are then that
//! path's by construction, and a hostile claim costs one more parse.

use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

use super::decode::{empty_record, fill_field_defaults, keys, money_from_int, quality_ok, replaced, Path};
use super::schema::{Default, Field, Kind, CLAIM, CLAIM_SCHEMA};
use super::{decode, Decoded, Problem, Reason};
use crate::domain::{date, money};
use crate::json::{self, JsonError, JsonKind, ParseOptions, Parser};
use crate::limits::{MAX_LIST_LEN, MAX_RECORDS};
use crate::value::{Map, Value};

/// Decodes claim text: what `decode(&parse_with(text, opts)?)` gives, value or error.
pub fn decode_text(text: &str, opts: ParseOptions) -> Result<Decoded, JsonError> {
    match try_decode_text(text, opts) {
        Ok(d) => Ok(d),
        Err(Unusual) => json::parse_with(text, opts).map(|node| decode(&node)),
    }
}

/// The text was not decoded directly (a syntax error, a limit, or a list or claim too long for the direct
/// path): [`decode_text`] then takes the tree path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unusual;

impl From<JsonError> for Unusual {
    fn from(_: JsonError) -> Unusual {
        Unusual
    }
}

/// The direct path alone (for the tests that compare it with the tree path): `Err` when the text is not
/// JSON within the options' limits, or is too long for the direct path; never a different result.
pub fn try_decode_text(text: &str, opts: ParseOptions) -> Result<Decoded, Unusual> {
    let t = tables();
    let mut d = Reader {
        p: Parser::new(text, opts),
        t,
        problems: Vec::new(),
        ignored: Vec::new(),
        records: 0,
    };
    let root = t.recs.first().ok_or(Unusual)?;
    let value = if d.p.peek() == Some(b'{') {
        d.p.count_value()?;
        d.record(root, 0, &Path::Root)?
    } else {
        d.p.value(0)?;
        d.problems.push(Problem {
            path: String::new(),
            reason: Reason::WrongType("an object"),
        });
        root.empty.clone()
    };
    if !d.p.at_end() {
        return Err(Unusual);
    }
    if let Some(s) = value.get("schema").and_then(Value::as_str) {
        if s != CLAIM_SCHEMA {
            d.problems.push(Problem {
                path: "schema".into(),
                reason: Reason::WrongSchema,
            });
        }
    }
    Ok(Decoded {
        value,
        problems: d.problems,
        ignored: d.ignored,
    })
}

/// Unknown members of a record up to this many are checked for repeated keys one by one.
const SMALL_OBJECT: usize = 16;

/// One record of the schema, prepared once.
struct Rec {
    fields: &'static [Field],
    /// Each field's default before `Default::Field` defaults are filled in (those are null here), under
    /// the shared key strings of [`keys`] (compiled paths match them by pointer).
    template: Map,
    /// The record decoded from `{}`.
    empty: Value,
    /// For a record or list field, the index of its record in [`Tables::recs`].
    sub: Vec<usize>,
    /// For an enum field, the shared string of each allowed value.
    enums: Vec<Vec<Arc<str>>>,
    /// Whether a field defaults to another field's value.
    field_defaults: bool,
}

struct Tables {
    /// The claim's records, the claim itself first.
    recs: Vec<Rec>,
}

fn tables() -> &'static Tables {
    static T: OnceLock<Tables> = OnceLock::new();
    T.get_or_init(|| {
        let mut recs = Vec::new();
        add(CLAIM, &mut recs);
        Tables { recs }
    })
}

/// Adds the record of `fields` and those under it; returns its index.
fn add(fields: &'static [Field], recs: &mut Vec<Rec>) -> usize {
    let at = recs.len();
    let empty = empty_record(fields);
    let mut template: Map = match &empty {
        Value::Object(m) => m.as_ref().clone(),
        _ => Vec::new(),
    };
    for (slot, f) in template.iter_mut().zip(fields) {
        if let Default::Field(_) = f.default {
            slot.1 = Value::Null;
        }
    }
    let shared = keys(fields);
    for (slot, k) in template.iter_mut().zip(shared) {
        slot.0 = k.clone();
    }
    recs.push(Rec {
        fields,
        template,
        empty,
        sub: Vec::new(),
        enums: Vec::new(),
        field_defaults: fields.iter().any(|f| matches!(f.default, Default::Field(_))),
    });
    let mut sub = Vec::with_capacity(fields.len());
    let mut enums = Vec::with_capacity(fields.len());
    for f in fields {
        sub.push(match f.kind {
            Kind::Record(s) | Kind::List(s) => add(s, recs),
            _ => 0,
        });
        enums.push(match f.kind {
            Kind::Enum(values) => values
                .iter()
                .map(|v| super::decode::intern(v).unwrap_or_else(|| Arc::from(*v)))
                .collect(),
            _ => Vec::new(),
        });
    }
    if let Some(r) = recs.get_mut(at) {
        r.sub = sub;
        r.enums = enums;
    }
    at
}

/// A member's key: a field of the record (its index) or another name.
enum Key<'a> {
    Field(usize),
    Other(Cow<'a, str>),
}

/// Problems and ignored fields one member of a record added (`field`: its schema index, `None` for an
/// unknown member), to be put in the tree decoder's order when the record closes.
struct Span {
    field: Option<usize>,
    problems: (usize, usize),
    ignored: (usize, usize),
}

struct Reader<'a> {
    p: Parser<'a>,
    t: &'static Tables,
    problems: Vec<Problem>,
    ignored: Vec<String>,
    /// Records in the claim's lists so far.
    records: usize,
}

impl<'a> Reader<'a> {
    fn bad(&mut self, path: &Path, reason: Reason) -> Value {
        self.problems.push(Problem {
            path: path.render(),
            reason,
        });
        Value::Malformed
    }

    fn rec(&self, i: usize) -> Result<&'static Rec, Unusual> {
        self.t.recs.get(i).ok_or(Unusual)
    }

    /// A string at the cursor: a slice of the text, or unescaped when it has escapes; and whether it is
    /// ASCII.
    fn string(&mut self) -> Result<(Cow<'a, str>, bool), Unusual> {
        match self.p.plain_text() {
            Some((s, ascii)) => Ok((Cow::Borrowed(s), ascii)),
            None => {
                let s = self.p.string()?;
                let ascii = s.is_ascii();
                Ok((Cow::Owned(s), ascii))
            }
        }
    }

    /// A member's key at the cursor: the field it names (the text is compared with the field names from
    /// `hint` on, the next field in schema order, without scanning it first), or its text.
    fn key(&mut self, rec: &Rec, hint: usize) -> Result<Key<'a>, Unusual> {
        let body = self.p.rest().get(1..).unwrap_or_default();
        let n = rec.fields.len();
        for k in 0..n {
            let mut i = hint + k;
            if i >= n {
                i -= n;
            }
            let Some(name) = rec.fields.get(i).map(|f| f.name.as_bytes()) else {
                continue;
            };
            if body.first() == name.first()
                && body.get(name.len()) == Some(&b'"')
                && body.get(..name.len()) == Some(name)
            {
                self.p.advance(name.len() + 2);
                return Ok(Key::Field(i));
            }
        }
        // Escaped, or not a field of the record.
        let (s, _) = self.string()?;
        Ok(match rec.fields.iter().position(|f| f.name == s) {
            Some(i) => Key::Field(i),
            None => Key::Other(s),
        })
    }

    /// The record at the cursor (`{`, already counted), `depth` being the depth of the object itself.
    fn record(&mut self, rec: &'static Rec, depth: usize, path: &Path) -> Result<Value, Unusual> {
        let depth = self.p.enter(depth)?;
        self.p.bump();
        self.p.ws();
        let mut out = rec.template.clone();
        if self.p.peek() == Some(b'}') {
            self.p.bump();
            return Ok(finish(rec, out));
        }
        let (p0, i0) = (self.problems.len(), self.ignored.len());
        let mut spans: Vec<Span> = Vec::new();
        let mut seen = 0u64;
        let mut unknown: Vec<Cow<'a, str>> = Vec::new();
        let mut hint = 0;
        loop {
            self.p.ws();
            if self.p.peek() != Some(b'"') {
                return Err(Unusual);
            }
            let key = self.key(rec, hint)?;
            self.p.ws();
            if self.p.peek() != Some(b':') {
                return Err(Unusual);
            }
            self.p.bump();
            self.p.ws();
            let (pb, ib) = (self.problems.len(), self.ignored.len());
            let field = match key {
                Key::Field(i) => {
                    let bit = 1u64
                        .checked_shl(u32::try_from(i).map_err(|_| Unusual)?)
                        .ok_or(Unusual)?;
                    if seen & bit != 0 {
                        return Err(Unusual);
                    }
                    seen |= bit;
                    hint = i + 1;
                    let f = rec.fields.get(i).ok_or(Unusual)?;
                    if let Some(v) = self.field(rec, i, depth, &Path::Field(path, f.name))? {
                        if let Some(slot) = out.get_mut(i) {
                            slot.1 = v;
                        }
                    }
                    Some(i)
                }
                Key::Other(key) => {
                    // Repeats among a few unknown keys are looked for as they come; among many, by sorting
                    // once the record closes (never quadratic).
                    if unknown.len() < SMALL_OBJECT && unknown.contains(&key) {
                        return Err(Unusual);
                    }
                    self.ignored.push(Path::Field(path, &key).render());
                    self.p.value(depth)?;
                    unknown.push(key);
                    None
                }
            };
            if self.problems.len() != pb || self.ignored.len() != ib {
                spans.push(Span {
                    field,
                    problems: (pb, self.problems.len()),
                    ignored: (ib, self.ignored.len()),
                });
            }
            self.p.ws();
            match self.p.peek() {
                Some(b',') => self.p.bump(),
                Some(b'}') => {
                    self.p.bump();
                    break;
                }
                _ => return Err(Unusual),
            }
        }
        if unknown.len() > SMALL_OBJECT {
            unknown.sort_unstable();
            if unknown.windows(2).any(|w| w.first() == w.get(1)) {
                return Err(Unusual);
            }
        }
        // The tree decoder lists a record's unknown members first (in their order), then what each field
        // found, in schema order.
        let order = |s: &Span| s.field.map_or(0, |i| i + 1);
        if spans.windows(2).any(|w| w.first().map(order) > w.get(1).map(order)) {
            spans.sort_by_key(order);
            let problems: Vec<Problem> = self.problems.drain(p0..).collect();
            let ignored: Vec<String> = self.ignored.drain(i0..).collect();
            for s in &spans {
                self.problems.extend(
                    problems
                        .get(s.problems.0 - p0..s.problems.1 - p0)
                        .unwrap_or_default()
                        .iter()
                        .cloned(),
                );
                self.ignored.extend(
                    ignored
                        .get(s.ignored.0 - i0..s.ignored.1 - i0)
                        .unwrap_or_default()
                        .iter()
                        .cloned(),
                );
            }
        }
        Ok(finish(rec, out))
    }

    /// The value of field `i` of `rec` at the cursor; `None` for `null` (the field keeps its default).
    fn field(&mut self, rec: &'static Rec, i: usize, depth: usize, path: &Path) -> Result<Option<Value>, Unusual> {
        let kind = rec.fields.get(i).ok_or(Unusual)?.kind;
        let v = match (self.p.peek(), kind) {
            (Some(b'n'), _) => {
                self.p.count_value()?;
                self.p.word("null", JsonKind::Null)?;
                return Ok(None);
            }
            (Some(b'"'), _) => {
                self.p.count_value()?;
                let (s, ascii) = self.string()?;
                self.text_field(&s, ascii, kind, rec.enums.get(i), path)
            }
            (Some(b'{'), Kind::Record(_)) => {
                self.p.count_value()?;
                let sub = self.rec(rec.sub.get(i).copied().ok_or(Unusual)?)?;
                self.record(sub, depth, path)?
            }
            (Some(b'['), Kind::List(_)) => {
                self.p.count_value()?;
                let sub = self.rec(rec.sub.get(i).copied().ok_or(Unusual)?)?;
                self.list(Some(sub), depth, path)?
            }
            (Some(b'['), Kind::StrList) => {
                self.p.count_value()?;
                self.list(None, depth, path)?
            }
            (Some(b't' | b'f'), Kind::Bool) => {
                self.p.count_value()?;
                let b = self.p.peek() == Some(b't');
                self.p.word(if b { "true" } else { "false" }, JsonKind::Bool(b))?;
                Value::Bool(b)
            }
            (Some(b'-' | b'0'..=b'9'), Kind::Count | Kind::Money) => {
                self.p.count_value()?;
                match (self.p.number()?, kind) {
                    (JsonKind::Int(n), Kind::Count) if n >= 0 => Value::Int(n),
                    (_, Kind::Count) => self.bad(path, Reason::NotCount),
                    (JsonKind::Int(n), _) => self.money(money_from_int(n), path),
                    (JsonKind::Float(x), _) => self.money(money::money_from_f64(x), path),
                    _ => self.bad(path, Reason::BadMoney("not a number".into())),
                }
            }
            _ => {
                // Anything else is read as a tree: kept (Any, a photo check result) or named as malformed.
                let node = self.p.value(depth)?;
                match kind {
                    Kind::Any => Value::from_json(&node),
                    Kind::Quality if quality_ok(&node) => Value::from_json(&node),
                    Kind::Quality => self.bad(path, Reason::BadQuality),
                    Kind::Str => self.bad(path, Reason::WrongType("text")),
                    Kind::Enum(allowed) => self.bad(path, Reason::NotOneOf(allowed)),
                    Kind::Bool => self.bad(path, Reason::WrongType("true or false")),
                    Kind::Count => self.bad(path, Reason::NotCount),
                    Kind::Date => self.bad(path, Reason::BadDate),
                    Kind::Money => self.bad(path, Reason::BadMoney("not a number".into())),
                    Kind::Record(_) => self.bad(path, Reason::WrongType("an object")),
                    Kind::List(_) | Kind::StrList => self.bad(path, Reason::WrongType("a list")),
                }
            }
        };
        Ok(Some(v))
    }

    /// A field given as text.
    fn text_field(&mut self, s: &str, ascii: bool, kind: Kind, enums: Option<&Vec<Arc<str>>>, path: &Path) -> Value {
        if non_finite(s) {
            return self.bad(path, Reason::NotFinite);
        }
        match kind {
            Kind::Str | Kind::Enum(_) if !ascii && replaced(s) => self.bad(path, Reason::BadText),
            Kind::Str => Value::str(s),
            Kind::Enum(allowed) => match allowed.iter().position(|a| *a == s) {
                Some(at) => match enums.and_then(|e| e.get(at)) {
                    Some(shared) => Value::Str(shared.clone()),
                    None => Value::str(s),
                },
                None => self.bad(path, Reason::NotOneOf(allowed)),
            },
            Kind::Bool => self.bad(path, Reason::WrongType("true or false")),
            Kind::Count => self.bad(path, Reason::NotCount),
            Kind::Date => match date::parse_date(s) {
                Some(d) => Value::Date(d),
                None => self.bad(path, Reason::BadDate),
            },
            Kind::Money => self.money(money::parse_money(s), path),
            Kind::Any => Value::str(s),
            Kind::Quality => self.bad(path, Reason::BadQuality),
            Kind::Record(_) => self.bad(path, Reason::WrongType("an object")),
            Kind::List(_) | Kind::StrList => self.bad(path, Reason::WrongType("a list")),
        }
    }

    fn money(&mut self, r: Result<i64, money::MoneyError>, path: &Path) -> Value {
        match r {
            Ok(f) => Value::Int(f),
            Err(e) => self.bad(path, Reason::BadMoney(e.to_string())),
        }
    }

    /// Steps into a list at the cursor (`[`, already counted); `false` when it is empty (and stepped over).
    fn open_list(&mut self, depth: usize) -> Result<Option<usize>, Unusual> {
        let depth = self.p.enter(depth)?;
        self.p.bump();
        self.p.ws();
        if self.p.peek() == Some(b']') {
            self.p.bump();
            return Ok(None);
        }
        Ok(Some(depth))
    }

    /// After a list entry: whether another follows.
    fn next_entry(&mut self) -> Result<bool, Unusual> {
        self.p.ws();
        match self.p.peek() {
            Some(b',') => {
                self.p.bump();
                self.p.ws();
                Ok(true)
            }
            Some(b']') => {
                self.p.bump();
                Ok(false)
            }
            _ => Err(Unusual),
        }
    }

    /// A list at the cursor (`[`, already counted): of records of `rec`, or of strings when `rec` is `None`.
    fn list(&mut self, rec: Option<&'static Rec>, depth: usize, path: &Path) -> Result<Value, Unusual> {
        let Some(depth) = self.open_list(depth)? else {
            return Ok(Value::array(Vec::new()));
        };
        let mut items = Vec::new();
        loop {
            if items.len() == MAX_LIST_LEN {
                return Err(Unusual);
            }
            let at = Path::Index(path, items.len());
            let v = match rec {
                Some(rec) => self.list_record(rec, depth, &at)?,
                None => self.list_text(depth, &at)?,
            };
            items.push(v);
            if !self.next_entry()? {
                return Ok(Value::array(items));
            }
        }
    }

    /// A record in a list.
    fn list_record(&mut self, rec: &'static Rec, depth: usize, at: &Path) -> Result<Value, Unusual> {
        self.records += 1;
        if self.records > MAX_RECORDS {
            return Err(Unusual);
        }
        if self.p.peek() == Some(b'{') {
            self.p.count_value()?;
            self.record(rec, depth, at)
        } else {
            self.p.value(depth)?;
            Ok(self.bad(at, Reason::WrongType("an object")))
        }
    }

    /// A string in a list.
    fn list_text(&mut self, depth: usize, at: &Path) -> Result<Value, Unusual> {
        if self.p.peek() != Some(b'"') {
            self.p.value(depth)?;
            return Ok(self.bad(at, Reason::WrongType("text")));
        }
        self.p.count_value()?;
        let (s, ascii) = self.string()?;
        Ok(if non_finite(&s) {
            self.bad(at, Reason::NotFinite)
        } else if !ascii && replaced(&s) {
            self.bad(at, Reason::BadText)
        } else {
            Value::str(&s)
        })
    }
}

/// Whether text is one of the npm wrapper's marks for NaN and the infinities.
fn non_finite(s: &str) -> bool {
    s.as_bytes().first() == Some(&0) && super::decode::NON_FINITE.contains(&s)
}

/// A record's value once all its members are read: fields that default to another field take its value
/// (unless that one is malformed).
fn finish(rec: &Rec, mut out: Map) -> Value {
    if rec.field_defaults {
        fill_field_defaults(rec.fields, &mut out);
    }
    Value::object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::write_value;

    const OPTS: ParseOptions = ParseOptions {
        max_depth: crate::limits::MAX_CLAIM_DEPTH,
        allow_duplicate_keys: false,
        replace_lone_surrogates: true,
        intern: Some(super::super::decode::intern),
        max_values: crate::limits::MAX_CLAIM_VALUES,
    };

    fn tree(text: &str) -> Result<Decoded, JsonError> {
        json::parse_with(text, OPTS).map(|n| decode(&n))
    }

    fn same(a: &Decoded, b: &Decoded) -> bool {
        write_value(&a.value) == write_value(&b.value)
            && a.value == b.value
            && a.problems == b.problems
            && a.ignored == b.ignored
    }

    #[test]
    fn every_record_fits_the_seen_mask() {
        assert!(tables().recs.iter().all(|r| r.fields.len() <= 64));
        assert_eq!(tables().recs.first().map(|r| r.fields.len()), Some(CLAIM.len()));
    }

    #[test]
    fn agrees_with_the_tree_decoder() {
        let texts = [
            "{}",
            "[]",
            "5",
            r#"{"schema":"preclaim/claim@1","filed_on":"2024-09-25","benefit":"inpatient","cause":"illness",
            "event":{"date":"2024-09-08"},"policy":{"product":"P-MED","effective_on":"2024-03-01","expires_on":"2025-02-28"},
            "invoices":[{"issued_on":"2024-09-19","total":"46100.00","items":[{"amount":1.5}]}]}"#,
            r#"{"zz":{"a":[1,{"b":null}]},"filed_on":"2024-02-30","benefit":"dental","cause":"illness","extra":1,
            "event":{"date":"2024-09-08","q":1},"policy":{"x":2,"product":"P-MED","effective_on":"2024-03-01","expires_on":"2025-02-28","sum_insured":-1},
            "invoices":[{"items":[{"amount":"1.234"},{"amount":"1e400"}, {"amount": 1e400}]}, 5, "x"], "schema": "v2"}"#,
            r#"{"insured": {"name": "A\ud800B", "sex": "\u004d"}, "payee": {"name": "\udc00"}, "fil\u0065d_on": "2024-01-01"}"#,
            r#"{"history":{"used_invoices":["a",1,"\u0000preclaim:NaN",null]},"estate":"\u0000preclaim:Infinity"}"#,
            r#"{"documents":[{"type":"D01","quality":{"verdict":"ok","issues":["blur"],"x":1}},{"quality":"ok"},{"quality":{"verdict":"no"}}]}"#,
            r#"{"policy":{"paid_this_year":null,"continuous_since":null,"cash_days_paid_this_year":1.0,"social_insurance":"yes"}}"#,
            r#"{"stay":null,"event":[],"invoices":{},"beneficiaries":[{"name":1}]}"#,
            r#"{"a":1,"a":2}"#,
            r#"{"filed_on":1,"filed_on":2}"#,
            r#"{"event":{"date":1,"x":{"y":1,"y":2}}}"#,
            r#"{"filed_on":"2024-01-01",}"#,
            r#"{"filed_on":"2024-01-01"} x"#,
            r#"{"filed_on":tru}"#,
            "\u{feff} {\"estate\": true } ",
        ];
        for t in texts {
            let old = tree(t);
            let new = decode_text(t, OPTS);
            match (&old, &new) {
                (Ok(a), Ok(b)) => assert!(same(a, b), "{t}\n{a:?}\n{b:?}"),
                (Err(a), Err(b)) => assert_eq!(a, b, "{t}"),
                _ => panic!("{t}: {old:?} vs {new:?}"),
            }
            match try_decode_text(t, OPTS) {
                Ok(b) => assert!(old.is_ok_and(|a| same(&a, &b)), "{t}"),
                Err(Unusual) => assert!(old.is_err(), "{t} took the tree path"),
            }
        }
    }

    #[test]
    fn limits_take_the_tree_path() {
        let deep = format!("{{\"x\":{}{}}}", "[".repeat(64), "]".repeat(64));
        assert!(try_decode_text(&deep, OPTS).is_err());
        assert_eq!(decode_text(&deep, OPTS).unwrap_err(), tree(&deep).unwrap_err());
        let docs = vec![r#"{"type": "D01"}"#; MAX_LIST_LEN + 1].join(",");
        let long = format!("{{\"documents\":[{docs}]}}");
        assert!(try_decode_text(&long, OPTS).is_err());
        let d = decode_text(&long, OPTS).unwrap();
        assert_eq!(d.problems[0].reason, Reason::TooMany(MAX_LIST_LEN));
        let few = ParseOptions { max_values: 3, ..OPTS };
        assert!(decode_text(r#"{"a":[1,2]}"#, few).unwrap_err().limit);
    }

    #[test]
    fn absent_records_are_shared() {
        let (a, b) = (
            decode_text("{}", OPTS).unwrap(),
            decode_text("{\"stay\":null}", OPTS).unwrap(),
        );
        let (Some(Value::Object(x)), Some(Value::Object(y))) = (a.value.get("stay"), b.value.get("stay")) else {
            panic!("no stay")
        };
        assert!(Arc::ptr_eq(x, y));
    }
}
