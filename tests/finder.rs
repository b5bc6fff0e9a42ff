#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! The claim finder (finder@1 → plan@1) end to end.
//!
//! - Data-driven cases: every `tests/cases-finder/*.json` is `{"finder": finder@1, "expect": {...},
//!   "locale"?: "en"}`, and so is the spec's worked example F1 (`examples/finder-f1.json` in the shared
//!   folder). `expect` lists the plan's `claims` and `skipped` in order (each entry compared on the keys it
//!   gives; see [`compare_claim`]), and optionally `total_payable`, `order_gain`, `order_searched`,
//!   `documents`, `ignored_fields`; or `error: {code, path, message_includes}` for an input that is not a
//!   finder@1.
//! - The CLI: `preclaim find` prints the plan (exit 0) or one line (exit 2).
//! - Hostile inputs: many policies, deep nesting, huge invoices, unknown people end in a plan or a clear
//!   error, quickly.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use preclaim::check::expect::Expect;
use preclaim::check::Checker;
use preclaim::finder::{self, FinderError};
use preclaim::json::{self, write_value};
use preclaim::pack::def::Locale;
use preclaim::value::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn case_files() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(root().join("tests/cases-finder"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    out.sort();
    out
}

fn s(v: Option<&Value>) -> String {
    v.map_or("(absent)".into(), write_value)
}

/// Compares the keys `want` gives with `got` (one claim or skipped entry of the plan).
///
/// Keys compared as they are: `policy`, `product`, `benefit`, `order`, `after`, `status`, `payable`,
/// `reason`. Others: `missing_documents` (the report's, exactly), `missing_includes` (documents the report
/// must ask for), `findings_include` (`"RULE severity"` findings the report must have), `message_includes`
/// (text the skipped message must contain), `other_paid` (each invoice's `other_paid` in the assembled
/// claim, `"0.00"` when absent), `invoices` (how many invoices the claim carries), `report` (report parts as
/// in the claim case folders: status, route, payable, steps, block_or_warn, …).
fn compare_claim(what: &str, got: &Value, want: &Value, diffs: &mut Vec<String>) {
    let Value::Object(members) = want else {
        diffs.push(format!("{what}: expect entry is not an object"));
        return;
    };
    let report = got.get("report").cloned().unwrap_or_default();
    let claim = got.get("claim").cloned().unwrap_or_default();
    for (k, w) in members.iter() {
        match &**k {
            "missing_documents" => {
                let g = report.get("missing_documents");
                if g != Some(w) {
                    diffs.push(format!(
                        "{what}.missing_documents: got {}, want {}",
                        s(g),
                        write_value(w)
                    ));
                }
            }
            "missing_includes" => {
                let g = report
                    .get("missing_documents")
                    .and_then(Value::as_array)
                    .unwrap_or_default();
                for d in w.as_array().unwrap() {
                    if !g.contains(d) {
                        diffs.push(format!("{what}: report does not ask for {}", write_value(d)));
                    }
                }
            }
            "findings_include" => {
                let all: Vec<String> = report
                    .get("findings")
                    .and_then(Value::as_array)
                    .unwrap_or_default()
                    .iter()
                    .map(|f| {
                        format!(
                            "{} {}",
                            f.get("rule").and_then(Value::as_str).unwrap_or(""),
                            f.get("severity").and_then(Value::as_str).unwrap_or("")
                        )
                    })
                    .collect();
                for f in w.as_array().unwrap() {
                    if !all.iter().any(|a| Some(a.as_str()) == f.as_str()) {
                        diffs.push(format!("{what}: no finding {} (has {all:?})", write_value(f)));
                    }
                }
            }
            "message_includes" => {
                let m = got.get("message").and_then(Value::as_str).unwrap_or("");
                if !m.contains(w.as_str().unwrap()) {
                    diffs.push(format!("{what}.message {m:?} does not contain {}", write_value(w)));
                }
            }
            "other_paid" => {
                let g: Vec<Value> = claim
                    .get("invoices")
                    .and_then(Value::as_array)
                    .unwrap_or_default()
                    .iter()
                    .map(|inv| inv.get("other_paid").cloned().unwrap_or(Value::str("0.00")))
                    .collect();
                let g = Value::array(g);
                if &g != w {
                    diffs.push(format!(
                        "{what}: invoices' other_paid {}, want {}",
                        write_value(&g),
                        write_value(w)
                    ));
                }
            }
            "invoices" => {
                let n = claim.get("invoices").and_then(Value::as_array).map(<[Value]>::len);
                if n.map(|n| n as i64) != w.as_i64() {
                    diffs.push(format!("{what}: claim has {n:?} invoices, want {}", write_value(w)));
                }
            }
            "report" => {
                // Codes and paths only (a message given per language would be compared with zh-CN).
                match Expect::from_value(w) {
                    Ok(e) => diffs.extend(
                        e.compare(&report, Locale::Zh)
                            .into_iter()
                            .map(|d| format!("{what}.report: {d}")),
                    ),
                    Err(e) => diffs.push(format!("{what}.report: {e}")),
                }
            }
            key => {
                let g = got.get(key);
                if g != Some(w) {
                    diffs.push(format!("{what}.{key}: got {}, want {}", s(g), write_value(w)));
                }
            }
        }
    }
}

fn compare_list(name: &str, plan: &Value, want: Option<&Value>, diffs: &mut Vec<String>) {
    let Some(want) = want else { return };
    let got = plan.get(name).and_then(Value::as_array).unwrap_or_default();
    let want = want.as_array().unwrap();
    if got.len() != want.len() {
        let ids: Vec<String> = got
            .iter()
            .map(|c| format!("{}/{}", s(c.get("policy")), s(c.get("benefit"))))
            .collect();
        diffs.push(format!("{name}: {} entries {ids:?}, want {}", got.len(), want.len()));
    }
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        compare_claim(&format!("{name}[{i}]"), g, w, diffs);
    }
}

/// The differences between a finder's answer and a case's `expect`.
fn compare(result: &Result<Value, FinderError>, want: &Value) -> Vec<String> {
    let mut diffs = Vec::new();
    match (result, want.get("error")) {
        (Err(e), Some(w)) => {
            if let Some(code) = w.get("code").and_then(Value::as_str) {
                if e.code() != code {
                    diffs.push(format!("error code {}, want {code}", e.code()));
                }
            }
            if let Some(path) = w.get("path").and_then(Value::as_str) {
                if e.path() != path {
                    diffs.push(format!("error path {:?}, want {path:?}", e.path()));
                }
            }
            if let Some(m) = w.get("message_includes").and_then(Value::as_str) {
                if !e.to_string().contains(m) {
                    diffs.push(format!("error {:?} does not contain {m:?}", e.to_string()));
                }
            }
            if e.to_string().contains('\n') {
                diffs.push("the error is more than one line".into());
            }
        }
        (Err(e), None) => diffs.push(format!("error: {e}")),
        (Ok(_), Some(_)) => diffs.push("a plan, but an error was expected".into()),
        (Ok(plan), None) => {
            compare_list("claims", plan, want.get("claims"), &mut diffs);
            compare_list("skipped", plan, want.get("skipped"), &mut diffs);
            for key in [
                "total_payable",
                "order_gain",
                "order_searched",
                "documents",
                "ignored_fields",
            ] {
                if let Some(w) = want.get(key) {
                    if plan.get(key) != Some(w) {
                        diffs.push(format!("{key}: got {}, want {}", s(plan.get(key)), write_value(w)));
                    }
                }
            }
        }
    }
    diffs
}

fn run_case(checker: &Checker, path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).unwrap();
    let node = json::parse(&text).map_err(|e| e.describe(&text))?;
    let input = node.get("finder").ok_or("no `finder`")?;
    let want = Value::from_json(node.get("expect").ok_or("no `expect`")?);
    let locale = match node.get("locale").and_then(|l| l.as_str()) {
        Some(l) => Locale::parse(l).ok_or("bad locale")?,
        None => Locale::Zh,
    };
    let result = finder::find_node(checker, input, locale).map(|f| f.plan);
    let diffs = compare(&result, &want);
    if diffs.is_empty() {
        Ok(())
    } else {
        Err(diffs.join("\n  "))
    }
}

#[test]
fn case_folder() {
    let checker = Checker::with_defaults().unwrap();
    let paths = case_files();
    assert!(paths.len() >= 13, "cases missing in tests/cases-finder");
    let failures: Vec<String> = paths
        .iter()
        .filter_map(|p| run_case(&checker, p).err().map(|e| format!("{}:\n  {e}", p.display())))
        .collect();
    println!(
        "finder cases: {} passed, {} failed",
        paths.len() - failures.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn spec_worked_example_f1() {
    let Some(shared) = common::shared_dir("the finder's worked example F1") else {
        return;
    };
    let path = shared.join("spec/examples/finder-f1.json");
    run_case(&Checker::with_defaults().unwrap(), &path).unwrap();
    // The copy in the case folder is the same input and the same expectations.
    let copy = common::read_json(&root().join("tests/cases-finder/f1-worked-example.json"));
    let spec = common::read_json(&path);
    assert_eq!(copy.get("finder"), spec.get("finder"));
    assert_eq!(copy.get("expect"), spec.get("expect"));
}

fn f1_text() -> String {
    let case = common::read_json(&root().join("tests/cases-finder/f1-worked-example.json"));
    write_value(case.get("finder").unwrap())
}

fn find(text: &str) -> Result<finder::Found, FinderError> {
    finder::find_text(&Checker::with_defaults().unwrap(), text, Locale::Zh)
}

#[test]
fn the_same_input_gives_the_same_bytes_and_the_order_search_shares_checks() {
    let a = find(&f1_text()).unwrap();
    let b = find(&f1_text()).unwrap();
    assert_eq!(write_value(&a.plan), write_value(&b.plan));
    // 2 reimbursement claims: 2 + 2 checks for the 2 orders, plus the hospital-cash claim.
    assert_eq!((a.checks, a.orders), (5, 2));
}

#[test]
fn a_plan_lists_each_claim_with_its_claim_and_report() {
    let plan = find(&f1_text()).unwrap().plan;
    let keys: Vec<&str> = match &plan {
        Value::Object(m) => m.iter().map(|(k, _)| &**k).collect(),
        _ => vec![],
    };
    assert_eq!(
        keys,
        [
            "schema",
            "claims",
            "skipped",
            "documents",
            "total_payable",
            "order_searched",
            "order_gain",
            "ignored_fields"
        ]
    );
    let acc = &plan.get("claims").unwrap().as_array().unwrap()[1];
    let claim = acc.get("claim").unwrap();
    assert_eq!(claim.get("schema"), Some(&Value::str("preclaim/claim@1")));
    assert_eq!(claim.get("benefit"), Some(&Value::str("inpatient")));
    assert_eq!(claim.get("cause"), Some(&Value::str("accident")));
    assert_eq!(claim.get("event").unwrap().get("insured"), None);
    assert_eq!(claim.get("insured").unwrap().get("name"), Some(&Value::str("王某")));
    // Checking the assembled claim on its own gives the report the plan carries.
    let alone = Checker::with_defaults()
        .unwrap()
        .check_text(&write_value(claim), Locale::Zh)
        .unwrap()
        .report;
    assert_eq!(write_value(&alone), write_value(acc.get("report").unwrap()));
}

// --- CLI ------------------------------------------------------------------------------------------------

fn cli(args: &[&str], stdin: Option<&str>) -> (Option<i32>, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_preclaim"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        let mut input = child.stdin.take().unwrap();
        if let Some(s) = stdin {
            input.write_all(s.as_bytes()).unwrap();
        }
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn cli_find_prints_the_plan() {
    let (code, out, err) = cli(&["find", "-", "--locale", "en"], Some(&f1_text()));
    assert_eq!(code, Some(0), "{err}");
    let plan = Value::from_json(&json::parse(&out).unwrap());
    assert_eq!(plan.get("total_payable"), Some(&Value::str("7000.00")));
    assert_eq!(plan.get("order_gain"), Some(&Value::str("1000.00")));
    let skipped = plan.get("skipped").unwrap().as_array().unwrap();
    assert!(skipped[0]
        .get("message")
        .unwrap()
        .as_str()
        .unwrap()
        .starts_with("Term life pays death only"));
    // The same plan as the library's, pretty-printed.
    let lib = finder::find_text(&Checker::with_defaults().unwrap(), &f1_text(), Locale::En).unwrap();
    assert_eq!(out, format!("{}\n", json::write_value_pretty(&lib.plan)));
}

#[test]
fn cli_find_with_given_packs_only() {
    // With --pack the embedded packs are replaced: P-MED pays its 1000.00; P-ACC, P-CASH and P-LIFE have
    // no pack here.
    let (code, out, err) = cli(&["find", "-", "--pack", "packs/p-med.json"], Some(&f1_text()));
    assert_eq!(code, Some(0), "{err}");
    let plan = Value::from_json(&json::parse(&out).unwrap());
    assert_eq!(plan.get("total_payable"), Some(&Value::str("1000.00")));
    let reasons: Vec<String> = plan
        .get("skipped")
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|s| write_value(s.get("reason").unwrap()))
        .collect();
    assert_eq!(reasons, [r#""no_pack""#, r#""no_pack""#, r#""no_pack""#]);
}

#[test]
fn cli_find_refuses_what_is_not_a_finder_input() {
    let f1 = f1_text();
    let unknown = f1.replacen(r#""insured":"me""#, r#""insured":"dad""#, 1);
    let duplicate = f1.replacen(r#""key":"med""#, r#""key":"acc""#, 1);
    let claim = std::fs::read_to_string(root().join("examples/acc-outpatient-child.json")).unwrap();
    for (input, says) in [
        (unknown.as_str(), "policies[0].insured: \"dad\" is not a key of people"),
        (
            duplicate.as_str(),
            "policies[1].key: \"acc\" is already the key of policies[0]",
        ),
        ("{\"schema\": ", "not valid JSON"),
        (claim.as_str(), "the finder reads preclaim/finder@1"),
    ] {
        let (code, out, err) = cli(&["find", "-"], Some(input));
        assert_eq!(code, Some(2), "{err}");
        assert!(out.is_empty());
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(says), "{err}");
    }
    let (code, _, err) = cli(&["find"], None);
    assert_eq!(code, Some(2));
    assert!(err.contains("find needs a finder@1 file"), "{err}");
}

// --- Hostile inputs ---------------------------------------------------------------------------------------

fn bounded<T>(what: &str, limit: Duration, f: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let r = f();
    eprintln!("{what}: {:?}", t.elapsed());
    assert!(t.elapsed() < limit, "{what} took {:?}", t.elapsed());
    r
}

/// F1 with its policies replaced by `n` copies of `policy` (keys p0, p1, …).
fn with_policies(n: usize, policy: &str) -> String {
    let f1 = common::read_json(&root().join("tests/cases-finder/f1-worked-example.json"));
    let mut text = write_value(f1.get("finder").unwrap());
    let list: Vec<String> = (0..n).map(|i| policy.replace("KEY", &format!("p{i}"))).collect();
    let start = text.find(r#""policies":["#).unwrap();
    let end = start + text[start..].find(r#"],"event""#).unwrap();
    text.replace_range(start..end, &format!(r#""policies":[{}"#, list.join(",")));
    text
}

const MED: &str = r#"{"key":"KEY","insured":"me","policy":{"product":"P-MED","effective_on":"2024-01-01","expires_on":"2024-12-31","continuous_since":"2022-01-01","social_insurance":true}}"#;

#[test]
fn hostile_ten_thousand_policies() {
    let limit = Duration::from_secs(20);
    // Ten thousand policies of someone else: a plan that skips them all.
    let others = with_policies(10_000, &MED.replace(r#""insured":"me""#, r#""insured":"son""#)).replacen(
        r#""people":{"#,
        r#""people":{"son":{"name":"S"},"#,
        1,
    );
    let plan = bounded("10,000 policies of another insured", limit, || find(&others))
        .unwrap()
        .plan;
    assert_eq!(plan.get("skipped").unwrap().as_array().unwrap().len(), 10_000);
    assert_eq!(plan.get("total_payable"), Some(&Value::str("0.00")));
    // Ten thousand policies of the insured: a clear error before any check.
    let mine = with_policies(10_000, MED);
    let e = bounded("10,000 policies of the insured", limit, || find(&mine)).unwrap_err();
    assert_eq!(e.code(), "finder.limit");
    assert!(e.to_string().contains("at most 200"), "{e}");
    // More entries than a list may hold.
    let e = find(&with_policies(10_001, "1")).unwrap_err();
    assert_eq!(e.code(), "finder.limit");
}

#[test]
fn hostile_deep_nesting_and_unknown_people() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let e = bounded("deep nesting", Duration::from_secs(5), || find(&deep)).unwrap_err();
    assert_eq!(e.code(), "finder.json");
    let nested = with_policies(1, MED).replacen(
        r#""history":{"#,
        &format!(r#""history":{{"x":{}1{},"#, "[".repeat(70), "]".repeat(70)),
        1,
    );
    assert_eq!(find(&nested).unwrap_err().code(), "finder.json");
    let stranger = with_policies(3, &MED.replace(r#""insured":"me""#, r#""insured":"nobody""#));
    let e = find(&stranger).unwrap_err();
    assert_eq!(e.path(), "policies[0].insured");
}

#[test]
fn hostile_large_invoices_are_not_searched_or_refused() {
    let limit = Duration::from_secs(60);
    let f1 = f1_text();
    let invoice =
        r#"{"visit":"inpatient","total":"10.00","fund_paid":"1.00","items":[{"class":"A","amount":"10.00"}]}"#;
    let many = |n: usize| {
        let start = f1.find(r#""invoices":["#).unwrap();
        let end = start + f1[start..].find(r#"],"documents""#).unwrap();
        let mut t = f1.clone();
        t.replace_range(start..end, &format!(r#""invoices":[{}"#, vec![invoice; n].join(",")));
        t
    };
    // Six medical policies and 2,000 invoices: too much to try 720 orders, so the input order is used.
    let six = with_policies(6, MED);
    let six_big = {
        let s = six.find(r#""invoices":["#).unwrap();
        let e = s + six[s..].find(r#"],"documents""#).unwrap();
        let mut t = six.clone();
        t.replace_range(s..e, &format!(r#""invoices":[{}"#, vec![invoice; 2000].join(",")));
        t
    };
    let found = bounded("6 policies × 2,000 invoices", limit, || find(&six_big)).unwrap();
    assert_eq!(found.plan.get("order_searched"), Some(&Value::Bool(false)));
    assert_eq!(found.checks, 6);
    // Searched when small.
    let small = bounded("6 policies × F1's invoice", limit, || find(&six)).unwrap();
    assert_eq!(small.plan.get("order_searched"), Some(&Value::Bool(true)));
    assert_eq!((small.checks, small.orders), (1956, 720));
    // 200 medical policies and 10,000 invoices: refused before 200 copies of the invoices are made.
    let two_hundred = {
        let t = with_policies(200, MED);
        let s = t.find(r#""invoices":["#).unwrap();
        let e = s + t[s..].find(r#"],"documents""#).unwrap();
        let mut t2 = t.clone();
        t2.replace_range(s..e, &format!(r#""invoices":[{}"#, vec![invoice; 10_000].join(",")));
        t2
    };
    let e = bounded("200 policies × 10,000 invoices", Duration::from_secs(10), || {
        find(&two_hundred)
    })
    .unwrap_err();
    assert_eq!(e.code(), "finder.limit");
    assert!(e.to_string().contains("200 medical claims"), "{e}");
    // F1's four policies and 10,000 invoices (the most a claim may list): a plan, never slow.
    let found = bounded("4 policies × 10,000 invoices", limit, || find(&many(10_000))).unwrap();
    assert_eq!(found.plan.get("claims").unwrap().as_array().unwrap().len(), 3);
}

// --- Snapshots and native = WebAssembly ---------------------------------------------------------------------

#[test]
fn plan_snapshot_of_f1() {
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let checker = Checker::with_defaults().unwrap();
    for (locale, tag) in [(Locale::Zh, "zh-CN"), (Locale::En, "en")] {
        let plan = json::write_value_pretty(&finder::find_text(&checker, &f1_text(), locale).unwrap().plan) + "\n";
        let snap = root().join(format!("tests/snapshots/finder/f1-worked-example.{tag}.json"));
        if update {
            std::fs::create_dir_all(snap.parent().unwrap()).unwrap();
            std::fs::write(&snap, &plan).unwrap();
        }
        let want = std::fs::read_to_string(&snap).unwrap_or_default();
        assert!(
            want == plan,
            "{} differs from the plan (UPDATE_SNAPSHOTS=1 to accept)",
            snap.display()
        );
    }
}

const PARITY_SCRIPT: &str = r#"
import { readFileSync, writeFileSync } from 'node:fs';
const [pkg, dir, n] = process.argv.slice(2);
const { Finder } = await import(pkg);
const checker = new Finder();
const out = [];
for (let i = 0; i < Number(n); i++) {
  const input = readFileSync(`${dir}/finder-${i}.json`, 'utf8');
  for (const locale of ['zh-CN', 'en']) {
    let r;
    try { r = checker.findJson(input, { locale }); } catch (e) { r = `error: ${e.code} ${e.path ?? ''}`; }
    out.push(r);
  }
}
writeFileSync(`${dir}/wasm.txt`, out.join('\n'));
"#;

/// Every case input gives the same plan (or the same error) natively and in Node (the built package's
/// `preclaim/finder` entry).
#[test]
fn native_and_wasm_plans_are_identical() {
    let entry = root().join("pkg/finder.node.js");
    let node_ok = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !entry.is_file() || !node_ok {
        eprintln!(
            "WARNING: SKIPPING native/WASM plan parity: needs `node` and the built package ({}; run `bash scripts/build-package.sh`)",
            entry.display()
        );
        return;
    }
    let dir = std::env::temp_dir().join(format!("preclaim-finder-parity-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let checker = Checker::with_defaults().unwrap();
    let mut native = Vec::new();
    let paths = case_files();
    for (i, p) in paths.iter().enumerate() {
        let case = common::read_json(p);
        let text = write_value(case.get("finder").unwrap());
        std::fs::write(dir.join(format!("finder-{i}.json")), &text).unwrap();
        for locale in [Locale::Zh, Locale::En] {
            native.push(match finder::find_text(&checker, &text, locale) {
                Ok(f) => write_value(&f.plan),
                Err(e) => format!("error: {} {}", e.code(), e.path()),
            });
        }
    }
    std::fs::write(dir.join("parity.mjs"), PARITY_SCRIPT).unwrap();
    let status = Command::new("node")
        .arg(dir.join("parity.mjs"))
        .arg(format!("file://{}", entry.display()))
        .arg(&dir)
        .arg(paths.len().to_string())
        .status()
        .unwrap();
    assert!(status.success(), "node failed: {status}");
    let wasm = std::fs::read_to_string(dir.join("wasm.txt")).unwrap();
    let wasm: Vec<&str> = wasm.split('\n').collect();
    assert_eq!(wasm.len(), native.len());
    for (i, (w, nat)) in wasm.iter().zip(&native).enumerate() {
        assert_eq!(
            *w,
            nat.as_str(),
            "{} differs between WASM and native",
            paths[i / 2].display()
        );
    }
    eprintln!(
        "finder: native/WASM parity: {} inputs × 2 locales identical",
        paths.len()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn readme_example_is_the_snapshot() {
    let (code, out, err) = cli(&["find", "docs/finder-example.json", "--locale", "en"], None);
    assert_eq!(code, Some(0), "{err}");
    let want = std::fs::read_to_string(root().join("tests/snapshots/finder/f1-worked-example.en.json")).unwrap();
    assert_eq!(out, want);
    // The README's error: the third policy names a person the input does not list.
    let f1 = f1_text();
    let third = f1.match_indices(r#""insured":"me""#).nth(2).unwrap().0;
    let bad = format!(
        "{}{}",
        &f1[..third],
        f1[third..].replacen(r#""insured":"me""#, r#""insured":"dad""#, 1)
    );
    let (code, _, err) = cli(&["find", "-"], Some(&bad));
    assert_eq!(code, Some(2));
    assert!(
        err.contains(r#"policies[2].insured: "dad" is not a key of people"#),
        "{err}"
    );
}

// --- Properties --------------------------------------------------------------------------------------------

mod properties {
    use super::*;
    use preclaim::claim::edit::set_path;
    use proptest::prelude::*;

    /// Places of F1 an app could get wrong, and values it could put there.
    const PATHS: &[&str] = &[
        "policies[0].key",
        "policies[1].insured",
        "policies[2].policy",
        "policies[1].policy.product",
        "policies[0].policy.paid_this_year",
        "policies[1].policy.deductible_used",
        "policies[3].estate",
        "policies[4]",
        "people.me",
        "people.me.id_number",
        "event.cause",
        "event.date",
        "event.diagnoses",
        "event.death_manner",
        "event.disability_grade",
        "stay",
        "stay.admitted_on",
        "invoices",
        "invoices[0]",
        "invoices[0].total",
        "invoices[0].fund_paid",
        "invoices[0].other_paid",
        "invoices[0].visit",
        "invoices[0].items[1].amount",
        "invoices[1]",
        "documents",
        "history.used_invoices",
        "filed_on",
    ];

    fn value() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("null".to_string()),
            Just("true".to_string()),
            Just("[]".to_string()),
            Just("{}".to_string()),
            Just(r#""me""#.to_string()),
            Just(r#""accident""#.to_string()),
            Just(r#""inpatient""#.to_string()),
            Just(r#""P-MED""#.to_string()),
            Just(r#""P-CASH""#.to_string()),
            Just(r#""2024-08-03""#.to_string()),
            Just("1e400".to_string()),
            Just(r#"{"visit":"outpatient","visit_on":"2024-07-28","total":"300.00","items":[{"class":"A","amount":"400.00"}]}"#.to_string()),
            Just(r#"{"key":"x","insured":"me","policy":{"product":"P-ACC","effective_on":"2024-01-01","expires_on":"2024-12-31"}}"#.to_string()),
            (0u32..3_000_000).prop_map(|n| format!("\"{}.{:02}\"", n / 100, n % 100)),
            any::<i64>().prop_map(|n| n.to_string()),
            "[a-z0-9 ]{0,8}".prop_map(|s| format!("\"{s}\"")),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

        /// Any edit of F1 gives a plan or an error (never a panic), the same twice, and a plan adds up.
        #[test]
        fn edits_give_a_consistent_plan_or_an_error(edits in prop::collection::vec((0..PATHS.len(), value()), 1..4)) {
            let checker = Checker::with_defaults().unwrap();
            let mut node = json::parse(&f1_text()).unwrap();
            for (p, v) in &edits {
                let _ = set_path(&mut node, PATHS[*p], json::parse(v).unwrap());
            }
            let a = finder::find_node(&checker, &node, Locale::En);
            let b = finder::find_node(&checker, &node, Locale::En);
            match (a, b) {
                (Err(e), Err(f)) => {
                    prop_assert_eq!(e.clone(), f);
                    prop_assert!(!e.to_string().contains('\n'));
                }
                (Ok(a), Ok(b)) => {
                    let plan = a.plan;
                    prop_assert_eq!(write_value(&plan), write_value(&b.plan));
                    let claims = plan.get("claims").unwrap().as_array().unwrap();
                    let mut total = 0i64;
                    let mut order = 0i64;
                    for c in claims {
                        if let Some(p) = c.get("payable").unwrap().as_str() {
                            let fen = preclaim::domain::money::parse_money(p).unwrap();
                            prop_assert!(fen > 0, "a listed claim pays something or does not know yet");
                            total += fen;
                        }
                        prop_assert_ne!(c.get("status").unwrap().as_str(), Some("ineligible"));
                        if let Some(o) = c.get("order").unwrap().as_i64() {
                            order += 1;
                            prop_assert_eq!(o, order, "orders are 1, 2, …");
                        }
                    }
                    let want = preclaim::domain::money::format_money(total);
                    prop_assert_eq!(plan.get("total_payable").unwrap().as_str(), Some(want.as_str()));
                    let gain = plan.get("order_gain").unwrap().as_str().unwrap();
                    prop_assert!(!gain.starts_with('-'), "the chosen order never pays less than the input order");
                    for s in plan.get("skipped").unwrap().as_array().unwrap() {
                        let reason = s.get("reason").unwrap().as_str().unwrap();
                        prop_assert!(["other_insured", "no_benefit", "no_pack", "invalid", "ineligible", "nothing_payable"].contains(&reason));
                        prop_assert!(!s.get("message").unwrap().as_str().unwrap().is_empty());
                    }
                }
                _ => prop_assert!(false, "the same input gave a plan once and an error once"),
            }
        }
    }
}
