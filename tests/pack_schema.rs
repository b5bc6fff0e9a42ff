#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! docs/pack.schema.json, the JSON Schema editors use for rule packs: it is a valid draft 2020-12 schema,
//! every shipped pack (packs/*.json) and the example pack in docs/pack-format.md conform to it, its enums
//! match the checker's own lists, and packs the loader rejects for a structural reason are rejected by the
//! schema too.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn schema() -> Value {
    serde_json::from_str(&read(&root().join("docs/pack.schema.json"))).expect("docs/pack.schema.json is JSON")
}

fn validator() -> jsonschema::Validator {
    jsonschema::draft202012::new(&schema()).expect("docs/pack.schema.json compiles")
}

/// The schema's complaints about a pack, one line each.
fn errors(v: &jsonschema::Validator, pack: &Value) -> Vec<String> {
    v.iter_errors(pack)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn shipped_packs() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(root().join("packs"))
        .expect("packs/ exists")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    out.sort();
    out
}

fn p_acc() -> Value {
    serde_json::from_str(&read(&root().join("packs/p-acc.json"))).expect("p-acc.json is JSON")
}

/// The first ```json block of docs/pack-format.md: the complete example pack.
fn doc_example() -> String {
    let doc = read(&root().join("docs/pack-format.md"));
    let start = doc.find("```json\n").expect("docs/pack-format.md has a ```json block") + "```json\n".len();
    let len = doc[start..].find("\n```").expect("the ```json block is closed");
    doc[start..start + len].to_string()
}

#[test]
fn the_schema_is_a_valid_draft_2020_12_schema() {
    let s = schema();
    assert_eq!(s["$schema"], "https://json-schema.org/draft/2020-12/schema");
    jsonschema::meta::validate(&s).unwrap_or_else(|e| panic!("not a valid JSON Schema: {e}"));
}

#[test]
fn every_shipped_pack_conforms() {
    let v = validator();
    let packs = shipped_packs();
    assert!(!packs.is_empty(), "no packs/*.json found");
    for path in packs {
        let text = read(&path);
        let pack: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let errs = errors(&v, &pack);
        assert!(
            errs.is_empty(),
            "{} does not match the schema:\n{}",
            path.display(),
            errs.join("\n")
        );
        assert_eq!(
            pack["$schema"],
            "../docs/pack.schema.json",
            "{} should point editors at the schema",
            path.display()
        );
        // And the checker itself loads it.
        preclaim::pack::load_program(&text).unwrap_or_else(|e| panic!("{}:{e}", path.display()));
    }
}

use preclaim::pack::def::Locale;

#[test]
fn the_documented_example_pack_conforms_and_loads() {
    let text = doc_example();
    let pack: Value = serde_json::from_str(&text).expect("the example pack is JSON");
    let errs = errors(&validator(), &pack);
    assert!(
        errs.is_empty(),
        "the example pack does not match the schema:\n{}",
        errs.join("\n")
    );
    let program = preclaim::pack::load_program(&text).unwrap_or_else(|e| panic!("example pack:{e}"));
    let warnings = preclaim::pack::lint::lint(&program);
    assert!(warnings.is_empty(), "the example pack has lint warnings: {warnings:?}");
    // "Its three tests pass", in both languages (one compares findings with their messages).
    assert_eq!(program.tests.len(), 3);
    assert!(program.tests.iter().any(|t| t.expect.compares_messages()));
    let checker = preclaim::check::Checker::from_programs(vec![program.clone()]);
    for t in &program.tests {
        for locale in [Locale::Zh, Locale::En] {
            let report = checker.check_node(&t.claim, locale).unwrap().report;
            let diffs = t.expect.compare(&report, locale);
            assert!(
                diffs.is_empty(),
                "example pack test {:?} ({locale:?}): {diffs:?}",
                t.name
            );
        }
    }
}

#[test]
fn the_enums_match_the_checker() {
    let s = schema();
    let rule = &s["$defs"]["Rule"]["properties"];
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .expect("an enum")
            .iter()
            .map(|x| x.as_str().expect("a string").to_string())
            .collect()
    };
    assert_eq!(
        strings(&rule["benefits"]["items"]["enum"]),
        preclaim::claim::schema::BENEFITS
    );
    assert_eq!(
        strings(&rule["documents"]["items"]["enum"]),
        preclaim::claim::schema::DOCUMENT_CODES
    );
    assert_eq!(strings(&rule["kind"]["enum"]), ["C", "E", "K", "R"]);
    assert_eq!(strings(&rule["severity"]["enum"]), ["block", "warn", "info"]);
    // A loop variable may not be named like a top-level claim field.
    let reserved = strings(&s["$defs"]["Each"]["properties"]["as"]["allOf"][1]["not"]["enum"]);
    for f in preclaim::claim::schema::CLAIM {
        assert!(
            reserved.iter().any(|r| r == f.name),
            "`{}` missing from Each.as",
            f.name
        );
    }
}

/// A copy of p-acc.json with `edit` applied: it must be rejected by both the schema and the loader.
fn assert_rejected(what: &str, edit: impl FnOnce(&mut Value)) {
    let mut pack = p_acc();
    edit(&mut pack);
    let errs = errors(&validator(), &pack);
    assert!(!errs.is_empty(), "{what}: the schema accepts it");
    let text = serde_json::to_string_pretty(&pack).unwrap();
    assert!(
        preclaim::pack::load_program(&text).is_err(),
        "{what}: the loader accepts it"
    );
}

#[test]
fn broken_packs_are_rejected() {
    assert_rejected("an unknown key in a rule", |p| {
        p["rules"][0]["severty"] = json!("block");
    });
    assert_rejected("a bad severity", |p| {
        p["rules"][0]["severity"] = json!("error");
    });
    assert_rejected("a rule without `when`", |p| {
        p["rules"][0].as_object_mut().unwrap().remove("when");
    });
    assert_rejected("a bad kind", |p| {
        p["rules"][0]["kind"] = json!("X");
    });
    assert_rejected("a version that is not semver", |p| {
        p["version"] = json!("2026.01");
    });
    assert_rejected("a message without en", |p| {
        p["rules"][0]["message"].as_object_mut().unwrap().remove("en");
    });
    assert_rejected("an unknown document code", |p| {
        p["rules"][3]["documents"] = json!(["D23"]);
    });
    assert_rejected("an unknown benefit", |p| {
        p["rules"][0]["benefits"] = json!(["dental"]);
    });
    assert_rejected("a loop variable named like a claim field", |p| {
        let looped = p["rules"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|r| r.get("each").is_some())
            .unwrap();
        looped["each"][0]["as"] = json!("invoices");
    });
    assert_rejected("an unknown key at the top", |p| {
        p["rule"] = json!([]);
    });
    assert_rejected("a step without amount", |p| {
        p["estimate"]["steps"][0].as_object_mut().unwrap().remove("amount");
    });
    assert_rejected("an unknown expected part in a test", |p| {
        p["tests"][0]["expect"]["payout"] = json!("1.00");
    });
    assert_rejected("a parameter name with a dash", |p| {
        p["params"]["grace-days"] = json!(60);
    });
    assert_rejected("a wrong pack marker", |p| {
        p["pack"] = json!("preclaim/pack@2");
    });
    assert_rejected("a missing id", |p| {
        p.as_object_mut().unwrap().remove("id");
    });
    assert_rejected("a required path with an index", |p| {
        p["required"] = json!(["invoices[0].total"]);
    });
    assert_rejected("an unknown key in route", |p| {
        p["route"]["fast_track"] = json!("0");
    });
    assert_rejected("aggregate that is not true or false", |p| {
        p["rules"][0]["aggregate"] = json!("yes");
    });
}

#[test]
fn expressions_may_be_text_or_jsonlogic() {
    let v = validator();
    let mut pack = p_acc();
    pack["rules"][0]["when"] = json!({"==": [{"var": "stay.admitted_on"}, null]});
    pack["derived"]["always"] = json!(true);
    assert!(errors(&v, &pack).is_empty());
}
