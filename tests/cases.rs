#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! Data-driven claim cases. Every `tests/cases/**/*.json` file is `{"claim": claim@1, "expect": {...}}`
//! (status, route, payable, steps, block_or_warn, missing_documents — see `preclaim::check::expect`), and so
//! are the spec's worked examples in the shared folder. Whole reports of the example claims in `examples/`
//! are compared byte for byte with `tests/snapshots/` (run with `UPDATE_SNAPSHOTS=1` to rewrite them after
//! a deliberate change, then review the diff).

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use preclaim::catalog::{build, source, Catalog, Kind};
use preclaim::check::{expect, Checker};
use preclaim::json::{self, write_value_pretty};
use preclaim::pack::def::Locale;
use preclaim::value::Value;

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "json") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn run_case(checker: &Checker, path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).unwrap();
    let node = json::parse(&text).map_err(|e| e.describe(&text))?;
    let claim = node.get("claim").ok_or("no `claim`")?;
    let want = Value::from_json(node.get("expect").ok_or("no `expect`")?);
    let out = checker.check_node(claim, Locale::Zh).map_err(|e| e.to_string())?;
    let diffs = expect::compare(&out.report, &want);
    if diffs.is_empty() {
        Ok(())
    } else {
        Err(format!("{}\n  notes: {:?}", diffs.join("\n  "), out.diagnostics))
    }
}

fn run_all(checker: &Checker, paths: &[PathBuf]) -> (usize, Vec<String>) {
    let mut failures = Vec::new();
    for p in paths {
        if let Err(e) = run_case(checker, p) {
            failures.push(format!("{}:\n  {e}", p.display()));
        }
    }
    (paths.len() - failures.len(), failures)
}

#[test]
fn case_folder() {
    let checker = Checker::with_defaults().unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let paths = files(&dir);
    assert!(!paths.is_empty(), "no cases found in {}", dir.display());
    let (passed, failures) = run_all(&checker, &paths);
    println!("case folder: {passed} passed, {} failed", failures.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A checker with the default packs and the named sample catalogs (`catalogs/NAME.csv`, built here).
fn checker_with_catalogs(names: &[String]) -> Checker {
    let mut checker = Checker::with_defaults().unwrap();
    for name in names {
        let kind = if name.starts_with("diagnosis") {
            Kind::Diagnosis
        } else {
            Kind::Item
        };
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("catalogs/{name}.csv"));
        let rows = source::parse_rows(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let cat = Catalog::from_vec(build(kind, rows).unwrap()).unwrap();
        checker.attach_catalog(Arc::new(cat));
    }
    checker
}

/// `tests/cases-catalogs/**`: cases whose top-level `catalogs` names the sample catalogs the checker loads
/// (`[]`: none), for the rules that read catalogs (item class and self-pay-first rate, C17, C18).
#[test]
fn catalog_case_folder() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases-catalogs");
    let paths = files(&dir);
    assert!(paths.len() >= 9, "expected the catalog cases in {}", dir.display());
    let mut failures = Vec::new();
    for p in &paths {
        let v = common::read_json(p);
        let names: Vec<String> = v
            .get("catalogs")
            .and_then(Value::as_array)
            .expect("a catalog case names its `catalogs`")
            .iter()
            .map(|n| n.as_str().unwrap().to_string())
            .collect();
        if let Err(e) = run_case(&checker_with_catalogs(&names), p) {
            failures.push(format!("{}:\n  {e}", p.display()));
        }
    }
    println!(
        "catalog cases: {} passed, {} failed",
        paths.len() - failures.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn spec_worked_examples() {
    let Some(shared) = common::shared_dir("the spec's worked examples") else {
        return;
    };
    let checker = Checker::with_defaults().unwrap();
    let mut run = Vec::new();
    for p in files(&shared.join("spec/examples")) {
        let v = common::read_json(&p);
        let product = v
            .get("claim")
            .and_then(|c| c.get("policy"))
            .and_then(|p| p.get("product"))
            .and_then(Value::as_str);
        match product {
            Some(prod) if checker.pack_for(prod).is_some() => run.push(p),
            Some(prod) => eprintln!("WARNING: SKIPPING {}: no embedded pack for {prod} yet", p.display()),
            None => {}
        }
    }
    let (passed, failures) = run_all(&checker, &run);
    println!("spec examples: {passed} passed, {} failed", failures.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn example_reports_match_snapshots() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let checker = Checker::with_defaults().unwrap();
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut mismatches = Vec::new();
    // The claims at the top of examples/ (its folders are the npm package's recipes).
    let top = root.join("examples");
    let examples: Vec<PathBuf> = files(&top)
        .into_iter()
        .filter(|p| p.parent() == Some(top.as_path()))
        .collect();
    assert!(!examples.is_empty());
    for p in examples {
        let stem = p.file_stem().unwrap().to_string_lossy().to_string();
        let claim = std::fs::read_to_string(&p).unwrap();
        for (locale, tag) in [(Locale::Zh, "zh-CN"), (Locale::En, "en")] {
            let report = write_value_pretty(&checker.check_text(&claim, locale).unwrap().report) + "\n";
            let snap = root.join(format!("tests/snapshots/{stem}.{tag}.json"));
            if update {
                std::fs::create_dir_all(snap.parent().unwrap()).unwrap();
                std::fs::write(&snap, &report).unwrap();
                continue;
            }
            match std::fs::read_to_string(&snap) {
                Ok(want) if want == report => {}
                Ok(_) => mismatches.push(format!(
                    "{} differs from the report (UPDATE_SNAPSHOTS=1 to accept)",
                    snap.display()
                )),
                Err(_) => mismatches.push(format!("{} is missing (UPDATE_SNAPSHOTS=1 to create)", snap.display())),
            }
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
