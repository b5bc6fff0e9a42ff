#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! The JSONLogic export of a pack (`preclaim::pack::export`) is the same pack: for every default pack, the
//! exported one has no text-syntax expression left, loads back, passes the pack's own tests and gives
//! byte-identical reports on the example claims and on every claim of `tests/cases/`.

use std::path::{Path, PathBuf};

use preclaim::check::Checker;
use preclaim::json;
use preclaim::pack::def::Locale;
use preclaim::pack::{self, export};
use preclaim::value::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            json_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "json") {
            out.push(p);
        }
    }
}

/// (file, original text, exported text) for every default pack.
fn packs() -> Vec<(String, String, String)> {
    let mut files = Vec::new();
    json_files(&root().join("packs"), &mut files);
    assert_eq!(files.len(), 6, "the six default packs");
    files
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(f).unwrap();
            let out = export::to_jsonlogic(&text).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            (f.display().to_string(), text, out)
        })
        .collect()
}

/// Every expression position of an exported pack.
fn expressions(pack: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    let members = |v: Option<&Value>| match v {
        Some(Value::Object(m)) => m.iter().map(|(k, v)| (k.to_string(), v.clone())).collect(),
        _ => Vec::new(),
    };
    let items = |v: Option<&Value>| v.and_then(Value::as_array).map(<[Value]>::to_vec).unwrap_or_default();
    for (k, v) in members(pack.get("derived")) {
        out.push((format!("derived.{k}"), v));
    }
    for (i, r) in items(pack.get("rules")).iter().enumerate() {
        out.push((format!("rules[{i}].when"), r.get("when").cloned().unwrap()));
        for (k, v) in members(r.get("values")) {
            out.push((format!("rules[{i}].values.{k}"), v));
        }
        for (j, e) in items(r.get("each")).iter().enumerate() {
            out.push((format!("rules[{i}].each[{j}].in"), e.get("in").cloned().unwrap()));
        }
    }
    for (i, s) in items(pack.get("estimate").and_then(|e| e.get("steps")))
        .iter()
        .enumerate()
    {
        for key in ["when", "amount"] {
            if let Some(v) = s.get(key) {
                out.push((format!("estimate.steps[{i}].{key}"), v.clone()));
            }
        }
    }
    for (k, v) in members(pack.get("route")) {
        out.push((format!("route.{k}"), v));
    }
    out
}

#[test]
fn exported_packs_are_plain_jsonlogic_and_a_fixpoint() {
    for (file, text, out) in packs() {
        let original = Value::from_json(&json::parse(&text).unwrap());
        let exported = Value::from_json(&json::parse(&out).unwrap());
        let exprs = expressions(&exported);
        assert_eq!(exprs.len(), expressions(&original).len(), "{file}");
        assert!(exprs.len() > 40, "{file}: only {} expressions", exprs.len());
        let text_left: Vec<&String> = exprs
            .iter()
            .filter(|(_, v)| matches!(v, Value::Str(_)))
            .map(|(p, _)| p)
            .collect();
        assert!(text_left.is_empty(), "{file}: text syntax left at {text_left:?}");
        // Everything that is not an expression is unchanged.
        for key in ["id", "version", "title", "products", "params", "tests"] {
            assert_eq!(exported.get(key), original.get(key), "{file}: {key}");
        }
        assert_eq!(
            export::to_jsonlogic(&out).unwrap(),
            out,
            "{file}: exporting twice changes it"
        );
        let ops = export::custom_operators(&out).unwrap();
        assert_eq!(ops, export::custom_operators(&text).unwrap(), "{file}");
        for op in &ops {
            assert!(!export::is_standard(op), "{file}: {op} is standard");
        }
        println!(
            "{file}: {} expressions; custom operators: {}",
            exprs.len(),
            ops.join(", ")
        );
    }
}

#[test]
fn exported_packs_pass_their_own_tests() {
    let mut ran = 0;
    for (file, _, out) in packs() {
        let prog = pack::load_program(&out).unwrap_or_else(|e| panic!("{file} exported: {e}"));
        assert!(!prog.tests.is_empty(), "{file} has tests");
        let checker = Checker::from_programs(vec![prog.clone()]);
        for t in &prog.tests {
            for locale in [Locale::Zh, Locale::En] {
                let report = checker.check_node(&t.claim, locale).unwrap();
                let diffs = t.expect.compare(&report.report, locale);
                assert!(
                    diffs.is_empty(),
                    "{file} exported: test {} ({locale:?}): {diffs:?}",
                    t.name
                );
            }
            ran += 1;
        }
    }
    println!("{ran} pack tests pass on the exported packs");
}

#[test]
fn exported_packs_give_identical_reports() {
    let packs = packs();
    let originals: Vec<&str> = packs.iter().map(|(_, t, _)| t.as_str()).collect();
    let exported: Vec<&str> = packs.iter().map(|(_, _, o)| o.as_str()).collect();
    let before = Checker::from_pack_texts(&originals).unwrap();
    let after = Checker::from_pack_texts(&exported).unwrap();
    let mut claims = Vec::new();
    json_files(&root().join("examples"), &mut claims);
    let examples = claims.len();
    json_files(&root().join("tests/cases"), &mut claims);
    assert!(
        examples >= 8 && claims.len() > 400,
        "{examples} examples, {} claims",
        claims.len()
    );
    let mut compared = 0;
    for f in &claims {
        let text = std::fs::read_to_string(f).unwrap();
        // Case files wrap the claim: {"claim": ..., "expect": ...}.
        let node = json::parse(&text).unwrap();
        let claim = node.get("claim").unwrap_or(&node);
        for locale in [Locale::Zh, Locale::En] {
            let a = before.check_node(claim, locale).map(|o| json::write_value(&o.report));
            let b = after.check_node(claim, locale).map(|o| json::write_value(&o.report));
            match (a, b) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "{}", f.display()),
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{}", f.display()),
                (a, b) => panic!("{}: {a:?} vs {b:?}", f.display()),
            }
            compared += 1;
        }
    }
    println!("{compared} reports identical ({} claims, 2 locales)", claims.len());
}

#[test]
fn cli_prints_the_exported_pack() {
    let bin = env!("CARGO_BIN_EXE_preclaim");
    let pack = root().join("packs/p-med.json");
    let out = std::process::Command::new(bin)
        .args(["pack", "jsonlogic"])
        .arg(&pack)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&pack).unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().trim_end(),
        export::to_jsonlogic(&text).unwrap()
    );
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("custom operators: "));
    let bad = std::process::Command::new(bin)
        .args(["pack", "jsonlogic", "Cargo.toml"])
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}
