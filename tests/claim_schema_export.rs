#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! claim@1 as TypeScript types (npm/claim.d.ts) and as a JSON Schema (docs/claim.schema.json) are
//! generated from src/claim/schema.rs: the committed files must be what the generator makes now
//! (`PRECLAIM_BLESS=1 cargo test --test claim_schema_export` rewrites them), and the JSON Schema must agree
//! with the checker on every claim of the case folders: a claim the checker reads without a malformed
//! value or an ignored field conforms, and a claim with an ignored (unknown) field does not.

use std::path::{Path, PathBuf};

use preclaim::check::Checker;
use preclaim::claim::schema_export::{json_schema, typescript};
use preclaim::json::write_value;
use preclaim::pack::def::Locale;
use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Compares a committed file with the generated text (or rewrites it with PRECLAIM_BLESS=1).
fn same_as_committed(rel: &str, generated: &str) {
    let path = root().join(rel);
    if std::env::var_os("PRECLAIM_BLESS").is_some() {
        std::fs::write(&path, generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{rel} is not what src/claim/schema.rs generates: run `PRECLAIM_BLESS=1 cargo test --test \
         claim_schema_export` (or `preclaim schema --ts|--json`) and commit the result"
    );
}

#[test]
fn committed_typescript_types_are_generated_from_the_schema() {
    same_as_committed("npm/claim.d.ts", &typescript());
}

#[test]
fn committed_json_schema_is_generated_from_the_schema() {
    same_as_committed("docs/claim.schema.json", &json_schema());
}

#[test]
fn the_json_schema_is_a_valid_draft_2020_12_schema() {
    let s: Value = serde_json::from_str(&json_schema()).unwrap();
    jsonschema::meta::validate(&s).unwrap_or_else(|e| panic!("not a valid JSON Schema: {e}"));
}

#[test]
fn every_claim_field_is_in_the_types_and_the_session_paths() {
    let ts = typescript();
    for p in [
        "  'policy.effective_on': DateString | Date | null;",
        "  [path: `invoices[${number}].items[${number}].amount`]: Money | null;",
        "  [path: `documents[${number}].quality`]: PhotoQuality | null;",
        "  benefit?: Benefit | null;",
    ] {
        assert!(ts.contains(p), "claim.d.ts lacks {p}");
    }
    // An exact Claim: no index signature in any interface but ClaimFields' paths.
    assert!(!ts.contains("[unknown: string]"));
}

fn case_files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in ["tests/cases", "tests/cases-catalogs"] {
        let Ok(subs) = std::fs::read_dir(root().join(dir)) else {
            continue;
        };
        for sub in subs {
            let sub = sub.unwrap().path();
            let Ok(files) = std::fs::read_dir(&sub) else { continue };
            for f in files {
                let f = f.unwrap().path();
                if f.extension().is_some_and(|x| x == "json") {
                    out.push(f);
                }
            }
        }
    }
    for f in std::fs::read_dir(root().join("examples")).unwrap() {
        let f = f.unwrap().path();
        if f.extension().is_some_and(|x| x == "json") {
            out.push(f);
        }
    }
    out.sort();
    out
}

#[test]
fn the_json_schema_agrees_with_the_checker_on_every_case() {
    let schema: Value = serde_json::from_str(&json_schema()).unwrap();
    let validator = jsonschema::draft202012::new(&schema).unwrap();
    let checker = Checker::with_defaults().unwrap();
    let (mut conforming, mut refused) = (0, 0);
    for path in case_files() {
        let file: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let claim = file.get("claim").cloned().unwrap_or(file);
        if !claim.is_object() {
            continue;
        }
        let report = checker.check_text(&claim.to_string(), Locale::En).unwrap().report;
        let report: Value = serde_json::from_str(&write_value(&report)).unwrap();
        let ignored = report["ignored_fields"].as_array().is_some_and(|a| !a.is_empty());
        // C00 also flags a missing required field, which the schema allows: only a malformed value counts.
        let malformed = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "C00" && !f["message"].as_str().unwrap_or_default().contains("missing"));
        let errors: Vec<String> = validator
            .iter_errors(&claim)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect();
        if ignored {
            assert!(
                !errors.is_empty(),
                "{}: the checker ignores a field the schema accepts",
                path.display()
            );
            refused += 1;
        } else if !malformed {
            assert!(
                errors.is_empty(),
                "{}: the checker reads it cleanly, the schema says {errors:?}",
                path.display()
            );
            conforming += 1;
        }
    }
    assert!(conforming > 50, "only {conforming} clean claims were compared");
    assert!(refused > 0, "no claim with an unknown field was compared");
    println!("claim.schema.json: {conforming} clean claims conform, {refused} with unknown fields are refused");
}
