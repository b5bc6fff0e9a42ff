#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! Data-driven claim cases. Every `tests/cases/**/*.json` file is `{"claim": claim@1, "expect": {...}}`
//! (and an optional `note`), and so are the spec's worked examples in the shared folder. `expect` is a
//! typed expectation ([`preclaim::check::expect::Expect`]: status, route, payable, steps, block_or_warn,
//! findings, missing_documents, includes, excludes): an unknown key, a wrong type or nothing to compare is
//! an error of the case, not a pass. Each case runs in zh-CN and in en: the expectations hold in both
//! (messages are compared per language), and the two reports agree on everything but their wording. Whole reports of the example claims in `examples/`
//! are compared byte for byte with `tests/snapshots/` (run with `UPDATE_SNAPSHOTS=1` to rewrite them after
//! a deliberate change, then review the diff).

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use preclaim::catalog::{build, source, Catalog, Kind};
use preclaim::check::expect::Expect;
use preclaim::check::Checker;
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

/// The top-level keys of a case file (`catalogs` only in `tests/cases-catalogs`).
const CASE_KEYS: &[&str] = &["claim", "expect", "note"];
const CATALOG_CASE_KEYS: &[&str] = &["catalogs", "claim", "expect", "note"];

/// The report without its wording (finding messages, step labels): what must not depend on the language.
fn without_wording(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::object(
            m.iter()
                .filter(|(k, _)| !matches!(&**k, "message" | "label"))
                .map(|(k, x)| (k.clone(), without_wording(x)))
                .collect(),
        ),
        Value::Array(a) => Value::array(a.iter().map(without_wording).collect()),
        other => other.clone(),
    }
}

fn run_case_with(checker: &Checker, path: &Path, keys: &[&str]) -> Result<(), String> {
    let text = std::fs::read_to_string(path).unwrap();
    let node = json::parse(&text).map_err(|e| e.describe(&text))?;
    let json::JsonKind::Object(members) = &node.kind else {
        return Err("a case is a JSON object".into());
    };
    if let Some((k, _, _)) = members.iter().find(|(k, _, _)| !keys.contains(&&**k)) {
        return Err(format!("unknown key `{k}` in the case (known: {})", keys.join(", ")));
    }
    let claim = node.get("claim").ok_or("no `claim`")?;
    let want = Expect::from_value(&Value::from_json(node.get("expect").ok_or("no `expect`")?))?;
    let mut diffs = Vec::new();
    let mut notes = Vec::new();
    let mut reports = Vec::new();
    for (locale, tag) in [(Locale::Zh, "zh-CN"), (Locale::En, "en")] {
        let out = checker.check_node(claim, locale).map_err(|e| format!("{tag}: {e}"))?;
        diffs.extend(
            want.compare(&out.report, locale)
                .into_iter()
                .map(|d| format!("{tag}: {d}")),
        );
        notes.extend(out.diagnostics);
        reports.push(without_wording(&out.report));
    }
    if let [zh, en] = reports.as_slice() {
        if zh != en {
            diffs.push(format!(
                "the zh-CN and en reports differ beyond their wording:\n    zh-CN {}\n    en    {}",
                json::write_value(zh),
                json::write_value(en)
            ));
        }
    }
    if diffs.is_empty() {
        Ok(())
    } else {
        notes.dedup();
        Err(format!("{}\n  notes: {notes:?}", diffs.join("\n  ")))
    }
}

fn run_case(checker: &Checker, path: &Path) -> Result<(), String> {
    run_case_with(checker, path, CASE_KEYS)
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

/// The runner itself: a case that cannot fail is an error, and a wrong expectation fails in each language.
#[test]
fn the_runner_refuses_cases_that_cannot_fail() {
    let checker = Checker::with_defaults().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sample = common::read_json(&root.join("tests/cases/p-med/sample-a-account-paid-not-deducted.json"));
    let claim = json::write_value(sample.get("claim").unwrap());
    let dir = std::env::temp_dir().join(format!("preclaim-cases-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // (name, the key that holds the expectation, the expectation, the error it must give)
    for (name, key, expect, err) in [
        (
            "misspelt",
            "expect",
            r#"{"stauts": "ready"}"#,
            "unknown key `stauts`; did you mean `status`?",
        ),
        ("empty", "expect", "{}", "nothing to compare"),
        (
            "top-level",
            "expected",
            r#"{"status": "ready"}"#,
            "unknown key `expected` in the case",
        ),
        (
            "wrong-type",
            "expect",
            r#"{"block_or_warn": "C18 warn"}"#,
            "expected a list of strings",
        ),
        (
            "wrong",
            "expect",
            r#"{"status": "review"}"#,
            "zh-CN: status: expected \"review\", got \"ready\"\n  en: status",
        ),
        (
            "findings",
            "expect",
            r#"{"findings": ["C18 warn"]}"#,
            "zh-CN: findings: unexpected finding {\"rule\":\"C17\"",
        ),
    ] {
        let case = format!(r#"{{"claim": {claim}, "{key}": {expect}}}"#);
        let path = dir.join(format!("{name}.json"));
        std::fs::write(&path, case).unwrap();
        let e = run_case(&checker, &path).unwrap_err();
        assert!(e.contains(err), "{name}: {e}");
    }
    // The sample itself passes, and a `catalogs` key belongs to the catalog cases only.
    assert_eq!(
        run_case(
            &checker,
            &root.join("tests/cases/p-med/sample-a-account-paid-not-deducted.json")
        ),
        Ok(())
    );
    let path = dir.join("catalogs.json");
    std::fs::write(
        &path,
        format!(r#"{{"catalogs": [], "claim": {claim}, "expect": {{"status": "ready"}}}}"#),
    )
    .unwrap();
    assert!(run_case(&checker, &path)
        .unwrap_err()
        .contains("unknown key `catalogs`"));
    assert_eq!(run_case_with(&checker, &path, CATALOG_CASE_KEYS), Ok(()));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A checker with the default packs and the named sample catalogs (`catalogs/NAME.csv`, built here).
fn checker_with_catalogs(names: &[String]) -> Checker {
    let mut checker = Checker::with_defaults().unwrap();
    attach_catalogs(&mut checker, names);
    checker
}

/// Attaches the named sample catalogs (`catalogs/NAME.csv`, built here).
fn attach_catalogs(checker: &mut Checker, names: &[String]) {
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
        if let Err(e) = run_case_with(&checker_with_catalogs(&names), p, CATALOG_CASE_KEYS) {
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

/// The default packs compiled from their JSON files (`packs/*.json`), each also through its compiled form
/// (encoded to bytes and decoded back, [`preclaim::pack::binary`]).
fn json_and_decoded_checkers() -> (Checker, Checker) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("packs");
    let mut from_json = Vec::new();
    let mut decoded = Vec::new();
    for p in files(&dir).into_iter().filter(|p| p.parent() == Some(dir.as_path())) {
        let program = preclaim::pack::load_program(&std::fs::read_to_string(&p).unwrap()).unwrap();
        let bytes = preclaim::pack::binary::encode(&program).unwrap();
        decoded.push(preclaim::pack::binary::decode(&bytes).unwrap());
        from_json.push(program);
    }
    assert!(decoded.len() >= 6);
    (Checker::from_programs(from_json), Checker::from_programs(decoded))
}

/// The compiled form's property: every case file passes with the decoded packs, and every report (case
/// claims, spec examples and example claims, both locales, with and without the sample catalogs) is byte
/// for byte the report of the packs compiled from JSON.
#[test]
fn decoded_packs_pass_every_case_with_identical_reports() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (from_json, decoded) = json_and_decoded_checkers();
    let cases = files(&root.join("tests/cases"));
    let (passed, failures) = run_all(&decoded, &cases);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let mut claims: Vec<String> = cases
        .iter()
        .chain(&files(&root.join("tests/cases-catalogs")))
        .map(|p| json::write_value(common::read_json(p).get("claim").unwrap()))
        .collect();
    claims.extend(
        files(&root.join("examples"))
            .into_iter()
            .filter(|p| p.parent() == Some(root.join("examples").as_path()))
            .map(|p| std::fs::read_to_string(p).unwrap()),
    );
    if let Some(shared) = common::shared_dir("the spec's worked examples") {
        for p in files(&shared.join("spec/examples")) {
            claims.extend(common::read_json(&p).get("claim").map(json::write_value));
        }
    }
    let mut compared = 0;
    let catalogs = ["diagnosis-sample", "drugs-sample"].map(String::from);
    let with_catalogs = |mut c: Checker| {
        attach_catalogs(&mut c, &catalogs);
        c
    };
    let pairs = [
        (from_json.clone(), decoded.clone()),
        (with_catalogs(from_json), with_catalogs(decoded)),
    ];
    for (a, b) in &pairs {
        for claim in &claims {
            for locale in [Locale::Zh, Locale::En] {
                let ra = a.check_text(claim, locale).map(|o| json::write_value(&o.report));
                let rb = b.check_text(claim, locale).map(|o| json::write_value(&o.report));
                assert_eq!(ra.map_err(|e| e.to_string()), rb.map_err(|e| e.to_string()), "{claim}");
                compared += 1;
            }
        }
    }
    println!("decoded packs: {passed} cases pass, {compared} reports identical");
    assert!(compared > 100, "{compared}");
}
