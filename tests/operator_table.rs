#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! The one operator table (src/expr/ops/table.rs): docs/expressions.md's operator sections are what it
//! generates (`PRECLAIM_BLESS=1 cargo test --test operator_table` rewrites them, as does `preclaim ops
//! --markdown`), every name in it compiles (none is "unknown" to the compiler), strict operators sit at
//! their `Op` index, and a claim function called with the wrong number of arguments is a compile error.

use std::path::Path;

use preclaim::expr::ops::table::{markdown, Family, OPS};
use preclaim::expr::ops::Op;
use preclaim::jsonlogic;

#[test]
fn docs_list_the_table() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/expressions.md");
    let doc = std::fs::read_to_string(&path).unwrap();
    let start = doc
        .find("<!-- operators:")
        .expect("the generated section's start marker");
    let end = doc
        .find("<!-- /operators -->\n")
        .expect("the generated section's end marker")
        + "<!-- /operators -->\n".len();
    let generated = markdown();
    if std::env::var_os("PRECLAIM_BLESS").is_some() {
        std::fs::write(&path, format!("{}{generated}{}", &doc[..start], &doc[end..])).unwrap();
        return;
    }
    assert!(
        doc[start..end] == generated,
        "docs/expressions.md's operator sections are not what src/expr/ops/table.rs generates: run \
         `PRECLAIM_BLESS=1 cargo test --test operator_table` and commit the result"
    );
}

#[test]
fn names_are_unique_and_strict_operators_sit_at_their_index() {
    let mut names: Vec<_> = OPS.iter().map(|d| d.name).collect();
    names.sort_unstable();
    let before = names.len();
    names.dedup();
    assert_eq!(names.len(), before, "an operator name appears twice");
    let strict: Vec<_> = OPS.iter().take_while(|d| d.strict.is_some()).collect();
    assert!(
        OPS.iter().skip(strict.len()).all(|d| d.strict.is_none()),
        "strict operators come first"
    );
    for (i, d) in strict.iter().enumerate() {
        let op = d.strict.unwrap().op;
        assert_eq!(op as usize, i, "{} is not at its Op index", d.name);
        assert_eq!(Op::by_name(d.name), Some(op));
        assert_eq!(op.name(), d.name);
    }
    assert_eq!(strict.len(), Op::DiagnosisKnown as usize + 1, "every Op has its entry");
    assert!(OPS
        .iter()
        .all(|d| !matches!(d.family, Family::Claim | Family::Catalog) || !d.doc.is_empty()));
}

#[test]
fn every_name_compiles() {
    for d in OPS {
        let n = usize::from(d.arity.0.max(1));
        let args: Vec<String> = (0..n)
            .map(|i| match (d.name, i) {
                ("regex_match", 1) => "\"^a\"".to_string(),
                ("map" | "filter" | "all" | "some" | "none" | "count" | "find" | "reduce", 0) => "[]".into(),
                ("missing_some", 1) => "[]".into(),
                _ => "null".to_string(),
            })
            .collect();
        let rule = format!("{{{}: [{}]}}", serde_json::to_string(d.name).unwrap(), args.join(", "));
        if let Err(e) = jsonlogic::compile(&rule) {
            assert!(!e.to_string().contains("unknown operator"), "{rule}: {e}");
        }
    }
}

#[test]
fn a_claim_function_with_the_wrong_number_of_arguments_does_not_compile() {
    for (rule, says) in [
        (r#"{"add_days": ["2024-01-01"]}"#, "`add_days` takes 2 arguments, not 1"),
        (r#"{"mul_div": [1, 2]}"#, "`mul_div` takes 3 arguments, not 2"),
        (r#"{"slice": [[1], 0, 1, 2]}"#, "`slice` takes 2 to 3 arguments, not 4"),
        (r#"{"item_class": []}"#, "`item_class` takes 1 argument, not 0"),
    ] {
        let e = jsonlogic::compile(rule)
            .err()
            .unwrap_or_else(|| panic!("{rule} compiled"));
        assert!(e.to_string().contains(says), "{rule}: {e}");
    }
    // JSONLogic's own operators keep their run-time rules (json-logic-js ignores extra arguments).
    assert!(jsonlogic::compile(r#"{"/": [1, 2, 3]}"#).is_ok());
    assert!(jsonlogic::compile(r#"{"latest": []}"#).is_ok());
}
