//! claim@1 for other tools, generated from the one schema ([`super::schema`]) so that they cannot drift:
//! the TypeScript declarations of the npm package (`npm/claim.d.ts`: exact interfaces, and every field
//! path a session can set as a template literal type) and a JSON Schema (draft 2020-12,
//! `docs/claim.schema.json`). `preclaim schema --ts|--json` prints them; a test checks that the committed
//! files are what this module generates.
//!
//! Both are exact: a key that is not a claim@1 field is a type error, and is refused by the JSON Schema
//! (the checker itself accepts it and lists it in the report's `ignored_fields`). Every field may be
//! absent or null, as the decoder allows.

use std::fmt::Write as _;
use std::sync::Arc;

use super::schema::{
    Field, Kind, BENEFITS, CAUSES, CLAIM, CLAIM_SCHEMA, DEATH_MANNERS, DEPARTMENTS, DOCUMENT_CODES, ID_TYPES,
    ITEM_CLASSES, LEVELS, RELATIONS, VERDICTS,
};
use crate::json::write_value_pretty;
use crate::value::Value;

/// The TypeScript (and JSON Schema `$defs`) name of a record, by its path with list indexes left out
/// (`invoices.items`); records not listed here are written inline.
const RECORD_NAMES: &[(&str, &str)] = &[
    ("event", "ClaimEvent"),
    ("event.diagnoses", "Diagnosis"),
    ("event.accident", "Accident"),
    ("policy", "Policy"),
    ("insured", "Insured"),
    ("applicant", "Applicant"),
    ("payee", "Payee"),
    ("beneficiaries", "Beneficiary"),
    ("hospital", "Hospital"),
    ("stay", "Stay"),
    ("invoices", "Invoice"),
    ("invoices.items", "InvoiceItem"),
    ("documents", "ClaimDocument"),
    ("history", "History"),
    ("history.prior_visits", "PriorVisit"),
];

/// The TypeScript names of the lists of allowed strings.
const ENUM_NAMES: [(&[&str], &str); 9] = [
    (BENEFITS, "Benefit"),
    (CAUSES, "Cause"),
    (ID_TYPES, "IdType"),
    (RELATIONS, "Relation"),
    (LEVELS, "HospitalLevel"),
    (DEPARTMENTS, "Department"),
    (ITEM_CLASSES, "ItemClass"),
    (DOCUMENT_CODES, "DocumentCode"),
    (DEATH_MANNERS, "DeathManner"),
];

/// The TypeScript name of a list of allowed strings, by its content.
fn enum_name(values: &[&str]) -> Option<&'static str> {
    ENUM_NAMES.iter().find(|(v, _)| *v == values).map(|(_, n)| *n)
}

fn record_name(path: &str) -> Option<&'static str> {
    RECORD_NAMES.iter().find(|(p, _)| *p == path).map(|(_, n)| *n)
}

fn join(base: &str, name: &str) -> String {
    if base.is_empty() {
        name.to_string()
    } else {
        format!("{base}.{name}")
    }
}

fn ts_union(values: &[&str]) -> String {
    values.iter().map(|v| format!("'{v}'")).collect::<Vec<_>>().join(" | ")
}

// --- TypeScript ---------------------------------------------------------------------------------------

struct Ts {
    /// Interfaces in the order they are first met.
    decls: Vec<String>,
    /// `[path, type]` of every settable field path.
    paths: Vec<(String, String)>,
}

impl Ts {
    /// The TypeScript type of a field's value (without `| null`). `schema_path` names the record
    /// (indexes left out), `path` is the field path with `[${number}]` for list indexes.
    fn kind(&mut self, kind: &Kind, schema_path: &str, path: &str) -> String {
        match kind {
            Kind::Str => "string".into(),
            Kind::Enum(values) => enum_name(values).map_or_else(|| ts_union(values), str::to_string),
            Kind::Bool => "boolean".into(),
            Kind::Count => "number".into(),
            Kind::Date => "DateString".into(),
            Kind::Money => "Money".into(),
            Kind::Any => "unknown".into(),
            Kind::Quality => "PhotoQuality".into(),
            Kind::Record(fields) => self.record(fields, schema_path, path),
            Kind::List(fields) => {
                let item_path = format!("{path}[${{number}}]");
                let at = self.paths.len();
                self.paths.push((item_path.clone(), String::new()));
                let item = self.record(fields, schema_path, &item_path);
                if let Some(slot) = self.paths.get_mut(at) {
                    slot.1.clone_from(&item);
                }
                format!("{item}[]")
            }
            Kind::StrList => {
                self.paths.push((format!("{path}[${{number}}]"), "string".into()));
                "string[]".into()
            }
        }
    }

    fn record(&mut self, fields: &[Field], schema_path: &str, path: &str) -> String {
        let mut body = String::new();
        for f in fields {
            let sp = join(schema_path, f.name);
            let p = join(path, f.name);
            let at = self.paths.len();
            self.paths.push((p.clone(), String::new()));
            let ty = if schema_path.is_empty() && f.name == "schema" {
                format!("'{CLAIM_SCHEMA}'")
            } else {
                self.kind(&f.kind, &sp, &p)
            };
            let input = if matches!(f.kind, Kind::Date) {
                "DateString | Date".to_string()
            } else {
                ty.clone()
            };
            if let Some(slot) = self.paths.get_mut(at) {
                slot.1 = input;
            }
            let _ = writeln!(body, "  {}?: {ty} | null;", f.name);
        }
        match record_name(schema_path) {
            Some(name) => {
                self.decls.push(format!("export interface {name} {{\n{body}}}\n"));
                name.to_string()
            }
            None if schema_path.is_empty() => {
                self.decls.push(format!(
                    "/** A claim, claim@1: exact (a key that is not a claim@1 field is a type error; see\n \
                     * `ClaimWithExtras`). Every field may be absent or null. */\nexport interface Claim {{\n{body}}}\n"
                ));
                "Claim".into()
            }
            None => format!(
                "{{\n{}  }}",
                body.lines().map(|l| format!("  {l}\n")).collect::<String>()
            ),
        }
    }
}

/// `npm/claim.d.ts`: the claim@1 types of the npm package.
pub fn typescript() -> String {
    let mut ts = Ts {
        decls: Vec::new(),
        paths: Vec::new(),
    };
    ts.record(CLAIM, "", "");
    let mut out = String::from(
        "// GENERATED from src/claim/schema.rs by `preclaim schema --ts`; do not edit (tests/claim_schema_export.rs\n\
         // checks it). claim@1 as TypeScript types: exact interfaces, and the field paths a session can set.\n\n\
         import type { PhotoQuality } from './index.js';\n\n\
         /** A calendar date, \"YYYY-MM-DD\". */\nexport type DateString = string;\n\
         /** Money in yuan: a string with at most two decimals (\"1234.50\") or a number; never negative. */\n\
         export type Money = string | number;\n\n",
    );
    for (values, name) in ENUM_NAMES {
        let _ = writeln!(out, "export type {name} = {};", ts_union(values));
    }
    out.push('\n');
    for d in &ts.decls {
        out.push_str(d);
        out.push('\n');
    }
    out.push_str(
        "/** A claim with fields newer than this version of the types (or an app's own): the claim@1 fields\n \
         * are still checked, other keys are allowed (the checker lists them in `ignored_fields`). */\n\
         export type ClaimWithExtras = Claim & { [key: string]: unknown };\n\n\
         /** Every field path a session can set (`session.set(path, value)`), with the type of its value: list\n \
         * items by index (`invoices[0].items[2].amount`); a date field also takes a `Date` (its local calendar\n \
         * day is used). */\nexport interface ClaimFields {\n",
    );
    for (p, ty) in &ts.paths {
        if p.contains("${number}") {
            let _ = writeln!(out, "  [path: `{p}`]: {ty} | null;");
        } else {
            let _ = writeln!(out, "  '{p}': {ty} | null;");
        }
    }
    out.push_str("}\n\n/** A claim@1 field path, e.g. `\"policy.effective_on\"` or `\"invoices[0].total\"`. */\n");
    out.push_str("export type ClaimPath = keyof ClaimFields;\n");
    out
}

// --- JSON Schema --------------------------------------------------------------------------------------

fn obj(members: Vec<(&str, Value)>) -> Value {
    Value::object(members.into_iter().map(|(k, v)| (Arc::from(k), v)).collect())
}

fn strs(values: &[&str]) -> Value {
    Value::array(values.iter().map(|s| Value::str(s)).collect())
}

fn nullable(ty: &str) -> Value {
    strs(&[ty, "null"])
}

struct Js {
    defs: Vec<(Arc<str>, Value)>,
}

impl Js {
    fn kind(&mut self, kind: &Kind, schema_path: &str) -> Value {
        match kind {
            Kind::Str => obj(vec![("type", nullable("string"))]),
            Kind::Enum(values) => {
                let mut all: Vec<Value> = values.iter().map(|s| Value::str(s)).collect();
                all.push(Value::Null);
                obj(vec![("enum", Value::array(all))])
            }
            Kind::Bool => obj(vec![("type", nullable("boolean"))]),
            Kind::Count => obj(vec![("type", nullable("integer")), ("minimum", Value::Int(0))]),
            Kind::Date => obj(vec![
                ("type", nullable("string")),
                ("pattern", Value::str("^[0-9]{4}-[0-9]{2}-[0-9]{2}$")),
            ]),
            Kind::Money => obj(vec![(
                "anyOf",
                Value::array(vec![
                    obj(vec![
                        ("type", Value::str("string")),
                        ("pattern", Value::str("^[0-9]+(\\.[0-9]{1,2})?$")),
                    ]),
                    obj(vec![("type", Value::str("number")), ("minimum", Value::Int(0))]),
                    obj(vec![("type", Value::str("null"))]),
                ]),
            )]),
            Kind::Any => obj(vec![]),
            Kind::Quality => obj(vec![
                ("type", nullable("object")),
                (
                    "properties",
                    obj(vec![
                        ("verdict", obj(vec![("enum", strs(VERDICTS))])),
                        (
                            "issues",
                            obj(vec![
                                ("type", Value::str("array")),
                                ("items", obj(vec![("type", Value::str("string"))])),
                            ]),
                        ),
                    ]),
                ),
                ("required", strs(&["verdict"])),
            ]),
            Kind::Record(fields) => self.record(fields, schema_path, true),
            Kind::List(fields) => obj(vec![
                ("type", nullable("array")),
                ("items", self.record(fields, schema_path, false)),
            ]),
            Kind::StrList => obj(vec![
                ("type", nullable("array")),
                ("items", obj(vec![("type", Value::str("string"))])),
            ]),
        }
    }

    /// A record's schema, or a `$ref` to it in `$defs` when it is named.
    fn record(&mut self, fields: &[Field], schema_path: &str, or_null: bool) -> Value {
        let props = fields
            .iter()
            .map(|f| {
                let v = if schema_path.is_empty() && f.name == "schema" {
                    obj(vec![(
                        "enum",
                        Value::array(vec![Value::str(CLAIM_SCHEMA), Value::Null]),
                    )])
                } else {
                    self.kind(&f.kind, &join(schema_path, f.name))
                };
                (Arc::from(f.name), v)
            })
            .collect();
        let ty = if or_null {
            nullable("object")
        } else {
            Value::str("object")
        };
        let schema = obj(vec![
            ("type", Value::str("object")),
            ("properties", Value::object(props)),
            ("additionalProperties", Value::Bool(false)),
        ]);
        match record_name(schema_path) {
            Some(name) => {
                if !self.defs.iter().any(|(n, _)| &**n == name) {
                    self.defs.push((Arc::from(name), schema));
                }
                let r = obj(vec![("$ref", Value::str(&format!("#/$defs/{name}")))]);
                if or_null {
                    obj(vec![(
                        "anyOf",
                        Value::array(vec![r, obj(vec![("type", Value::str("null"))])]),
                    )])
                } else {
                    r
                }
            }
            None if schema_path.is_empty() => schema,
            None => match schema {
                Value::Object(m) => {
                    let mut m = (*m).clone();
                    if let Some(slot) = m.iter_mut().find(|(k, _)| &**k == "type") {
                        slot.1 = ty;
                    }
                    Value::object(m)
                }
                other => other,
            },
        }
    }
}

/// `docs/claim.schema.json`: claim@1 as a JSON Schema (draft 2020-12), pretty-printed with a final newline.
pub fn json_schema() -> String {
    let mut js = Js { defs: Vec::new() };
    let root = js.record(CLAIM, "", false);
    let mut members = vec![
        (
            Arc::from("$schema"),
            Value::str("https://json-schema.org/draft/2020-12/schema"),
        ),
        (Arc::from("title"), Value::str(CLAIM_SCHEMA)),
        (
            Arc::from("description"),
            Value::str(
                "GENERATED from src/claim/schema.rs by `preclaim schema --json`; do not edit. Every field may \
                 be absent or null. Keys that are not claim@1 fields are refused here; the checker accepts \
                 them and lists them in the report's ignored_fields.",
            ),
        ),
    ];
    if let Value::Object(m) = root {
        members.extend(m.iter().cloned());
    }
    members.push((Arc::from("$defs"), Value::object(js.defs)));
    let mut out = write_value_pretty(&Value::object(members));
    out.push('\n');
    out
}
