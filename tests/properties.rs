#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! Property tests (issue 9) over random claim@1 objects generated from a strategy: valid-ish fields, random
//! dates, money as strings or numbers (now and then above the 10^12-yuan limit), invoices with items,
//! documents. For every claim:
//!
//! - the report is deterministic: the same bytes twice, and the same from the pretty and the compact JSON;
//! - money never overflows and never panics: an amount above 10^12 yuan is a C00 finding on its path, with
//!   no estimate;
//! - the estimate's payable and every step are never below zero, and for P-MED and P-ACC never above the
//!   remaining limit (`limit_per_year` − `paid_this_year`; 0 when nothing remains) — spec/products.md;
//! - the report never echoes the insured's ID number or the payee's card number in full;
//! - native and WebAssembly give byte-identical reports (when Node and the built package pkg/ are present:
//!   `bash scripts/build-package.sh`; otherwise skipped with a message).
//!
//! The number of cases is bounded so the file runs in seconds; `PROPTEST_CASES=N` raises it.

use std::sync::OnceLock;

use preclaim::check::Checker;
use preclaim::json::write_value;
use preclaim::pack::def::Locale;
use preclaim::value::Value;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::{json, Map, Value as J};

const MAX_FEN: i64 = 100_000_000_000_000; // 10^12 yuan

fn checker() -> &'static Checker {
    static C: OnceLock<Checker> = OnceLock::new();
    C.get_or_init(|| Checker::with_defaults().unwrap())
}

fn second_checker() -> &'static Checker {
    static C: OnceLock<Checker> = OnceLock::new();
    C.get_or_init(|| Checker::with_defaults().unwrap())
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(96)
}

// --- the claim strategy ----------------------------------------------------------------------------------

fn date(from_year: i32, years: i32) -> impl Strategy<Value = String> {
    (from_year..from_year + years, 1u32..=12, 1u32..=31).prop_map(|(y, m, d)| {
        let last = match m {
            2 if y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        format!("{y:04}-{m:02}-{:02}", d.min(last))
    })
}

fn fen_text(fen: i64) -> String {
    format!("{}.{:02}", fen / 100, fen % 100)
}

/// A money value: mostly ordinary amounts, sometimes near or above the limit, as a string or a number.
fn money() -> impl Strategy<Value = J> {
    let fen = prop_oneof![
        8 => 0i64..2_000_000,                           // up to 20,000.00
        3 => 0i64..1_000_000_000,                       // up to 10,000,000.00
        1 => (MAX_FEN - 1_000)..=MAX_FEN,               // at the limit
        1 => (MAX_FEN + 1)..(MAX_FEN * 1000),           // above it: C00
    ];
    (fen, 0u8..4).prop_map(|(f, form)| match form {
        // A whole number of yuan as a JSON integer.
        0 => J::from(f / 100),
        _ => J::String(fen_text(f)),
    })
}

fn item() -> impl Strategy<Value = J> {
    (
        prop::sample::select(vec!["A", "B", "self", "nonmedical"]),
        money(),
        prop::option::of(money()),
    )
        .prop_map(|(class, amount, spf)| {
            let mut m = Map::new();
            m.insert("name".into(), "item".into());
            m.insert("class".into(), class.into());
            m.insert("amount".into(), amount);
            if let Some(s) = spf {
                m.insert("self_pay_first".into(), s);
            }
            J::Object(m)
        })
}

fn invoice() -> impl Strategy<Value = J> {
    (
        prop::sample::select(vec!["inpatient", "outpatient"]),
        date(2024, 2),
        money(),
        prop::option::of(money()),
        prop::option::of(money()),
        prop::collection::vec(item(), 0..5),
        0u32..100_000,
    )
        .prop_map(|(visit, issued, total, fund, other, items, n)| {
            let mut m = Map::new();
            m.insert("code".into(), "11010125".into());
            m.insert("number".into(), format!("{n:010}").into());
            m.insert("visit".into(), visit.into());
            m.insert("issued_on".into(), issued.into());
            m.insert("patient_name".into(), "王某".into());
            m.insert("total".into(), total);
            if let Some(f) = fund {
                m.insert("fund_paid".into(), f);
            }
            if let Some(o) = other {
                m.insert("other_paid".into(), o);
            }
            m.insert("items".into(), J::Array(items));
            J::Object(m)
        })
}

const DOCS: [&str; 22] = [
    "D01", "D02", "D03", "D04", "D05", "D06", "D07", "D08", "D09", "D10", "D11", "D12", "D13", "D14", "D15", "D16",
    "D17", "D18", "D19", "D20", "D21", "D22",
];

/// A claim@1 object for one of the six default products.
fn claim() -> impl Strategy<Value = J> {
    let head = (
        prop::sample::select(vec![
            "P-MED", "P-ACC", "P-MED", "P-ACC", "P-CI", "P-CASH", "P-DIS", "P-LIFE",
        ]),
        prop::sample::select(vec![
            "inpatient",
            "outpatient",
            "critical_illness",
            "hospital_cash",
            "disability",
            "death",
        ]),
        prop::sample::select(vec!["illness", "accident"]),
        date(2024, 2),
        date(2024, 2),
        date(2023, 2),
        date(1950, 70),
    );
    let policy = (
        money(),
        money(),
        prop::option::of(money()),
        money(),
        any::<bool>(),
        prop::option::of(1u32..12),
    );
    let rest = (
        prop::collection::vec(invoice(), 0..4),
        prop::sample::subsequence(DOCS.to_vec(), 0..DOCS.len()),
        prop::sample::select(vec!["3A", "2B", "2", "1", "unrated"]),
        any::<bool>(),
        (date(2024, 2), date(2024, 2)),
        prop::sample::select(vec!["I21.0", "S62.1", "C50.4", "K80.0", "F32", "N18.5"]),
    );
    (head, policy, rest).prop_map(|(head, policy, rest)| {
        let (product, benefit, cause, filed, event, effective, birth) = head;
        let (sum_insured, paid, unpaid, deductible_used, social, grade) = policy;
        let (invoices, docs, level, public, (admitted, discharged), icd) = rest;
        let year: i32 = effective[..4].parse().unwrap();
        let mut p = json!({
            "number": "P0001", "product": product, "effective_on": effective,
            "expires_on": format!("{}-12-31", year + 1),
            "sum_insured": sum_insured, "paid_this_year": paid, "deductible_used": deductible_used,
            "social_insurance": social
        });
        if let Some(u) = unpaid {
            p["unpaid_premium"] = u;
        }
        let mut event = json!({ "date": event, "diagnoses": [{ "icd10": icd, "primary": true }] });
        if let Some(g) = grade {
            event["disability_grade"] = g.into();
        }
        json!({
            "schema": "preclaim/claim@1",
            "filed_on": filed,
            "benefit": benefit,
            "cause": cause,
            "event": event,
            "policy": p,
            "insured": { "name": "王某", "id_type": "resident_id", "id_number": "110101198001010010", "birth_date": birth },
            "payee": { "name": "王某", "bank_card": "6225768888888880", "bank_name": "某银行" },
            "hospital": { "name": "某医院", "level": level, "public": public, "department": "general" },
            "stay": { "admitted_on": admitted, "discharged_on": discharged },
            "invoices": invoices,
            "documents": docs.iter().enumerate().map(|(i, d)| json!({
                "type": d, "file": format!("{i}.jpg"), "mime": "image/jpeg", "pages": 1
            })).collect::<Vec<_>>()
        })
    })
}

/// A P-MED or P-ACC claim that is eligible on its face (dates inside the cover, a public 3A hospital, visit
/// matching the benefit, accident cause), so the estimate is computed; `paid_this_year` ranges around the
/// limit so the K06 cap is exercised.
fn medical_claim() -> impl Strategy<Value = J> {
    (claim(), any::<bool>(), any::<bool>(), 0i64..=360_000_000, 0u32..28).prop_map(
        |(mut c, med, inpatient, paid, day)| {
            let (product, limit) = if med {
                ("P-MED", 300_000_000)
            } else {
                ("P-ACC", 500_000)
            };
            let benefit = if inpatient { "inpatient" } else { "outpatient" };
            let event = format!("2024-06-{:02}", day + 1);
            c["policy"]["product"] = product.into();
            c["policy"]["effective_on"] = "2024-01-01".into();
            c["policy"]["expires_on"] = "2024-12-31".into();
            c["policy"]["paid_this_year"] = J::String(fen_text(paid % (limit + limit / 5)));
            c["policy"]["social_insurance"] = true.into();
            c["benefit"] = benefit.into();
            c["cause"] = "accident".into();
            c["filed_on"] = format!("2024-06-{:02}", day + 2).into();
            c["event"]["date"] = event.clone().into();
            c["event"]["diagnoses"] = json!([{ "icd10": "S62.1", "primary": true }]);
            c["hospital"] = json!({ "name": "某医院", "level": "3A", "public": true, "department": "general" });
            c["stay"] = json!({ "admitted_on": event.clone(), "discharged_on": format!("2024-06-{:02}", day + 2) });
            if let Some(invs) = c["invoices"].as_array_mut() {
                for inv in invs {
                    inv["visit"] = benefit.into();
                    inv["issued_on"] = event.clone().into();
                }
            }
            c
        },
    )
}

// --- helpers ---------------------------------------------------------------------------------------------

fn fen_of(s: &str) -> i64 {
    let (y, f) = s.split_once('.').unwrap_or((s, "00"));
    assert!(!y.starts_with('-'), "negative amount {s}");
    y.parse::<i64>().unwrap() * 100 + f.parse::<i64>().unwrap()
}

/// The amount of a money value as the claim gives it, in fen (`None` when not a plain amount).
fn json_fen(v: &J) -> Option<i64> {
    match v {
        J::String(s) => Some(fen_of(s)),
        J::Number(n) => n.as_i64().and_then(|y| y.checked_mul(100)),
        _ => None,
    }
}

fn report(text: &str) -> Value {
    checker().check_text(text, Locale::En).unwrap().report
}

fn findings_of<'a>(r: &'a Value, rule: &'a str) -> impl Iterator<Item = &'a Value> + 'a {
    r.get("findings")
        .and_then(Value::as_array)
        .unwrap_or_default()
        .iter()
        .filter(move |f| f.get("rule").and_then(Value::as_str) == Some(rule))
}

fn c00_paths(r: &Value) -> Vec<String> {
    findings_of(r, "C00")
        .flat_map(|f| f.get("fields").and_then(Value::as_array).unwrap_or_default().to_vec())
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

/// Every money field of the claim with a value above 10^12 yuan, as report paths.
fn too_large_paths(c: &J) -> Vec<String> {
    let mut out = Vec::new();
    let big = |v: &J| json_fen(v).is_some_and(|f| f > MAX_FEN);
    for k in ["sum_insured", "paid_this_year", "unpaid_premium", "deductible_used"] {
        if big(&c["policy"][k]) {
            out.push(format!("policy.{k}"));
        }
    }
    for (i, inv) in c["invoices"].as_array().unwrap().iter().enumerate() {
        for k in ["total", "fund_paid", "other_paid"] {
            if big(&inv[k]) {
                out.push(format!("invoices[{i}].{k}"));
            }
        }
        for (j, it) in inv["items"].as_array().unwrap().iter().enumerate() {
            for k in ["amount", "self_pay_first"] {
                if big(&it[k]) {
                    out.push(format!("invoices[{i}].items[{j}].{k}"));
                }
            }
        }
    }
    out
}

fn run(name: &str, test: impl Fn(J) -> Result<(), TestCaseError>) {
    run_with(name, claim(), test)
}

fn run_with(name: &str, strategy: impl Strategy<Value = J>, test: impl Fn(J) -> Result<(), TestCaseError>) {
    let config = Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    };
    // A fixed seed: the same claims on every run (and on every machine); PROPTEST_RNG_SEED changes it.
    let seed: u64 = std::env::var("PROPTEST_RNG_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(9);
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let mut runner = TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &bytes));
    let start = std::time::Instant::now();
    if let Err(e) = runner.run(&strategy, test) {
        panic!("{name}: {e}");
    }
    eprintln!("properties: {name}: {} cases in {:.2?}", cases(), start.elapsed());
}

// --- properties ------------------------------------------------------------------------------------------

#[test]
fn reports_are_deterministic() {
    run("deterministic", |c| {
        let compact = serde_json::to_string(&c).unwrap();
        let pretty = serde_json::to_string_pretty(&c).unwrap();
        for locale in [Locale::Zh, Locale::En] {
            let a = write_value(&checker().check_text(&compact, locale).unwrap().report);
            let b = write_value(&checker().check_text(&compact, locale).unwrap().report);
            let p = write_value(&checker().check_text(&pretty, locale).unwrap().report);
            prop_assert_eq!(&a, &b, "two checks of the same claim differ");
            prop_assert_eq!(&a, &p, "pretty and compact JSON give different reports");
            // Another checker, which has seen other claims in another order, gives the same bytes (no state is
            // carried from one check to the next).
            let f = write_value(&second_checker().check_text(&compact, locale).unwrap().report);
            prop_assert_eq!(&a, &f, "another checker gives another report");
            // PII: an ID or card number is never echoed in full (messages use mask()).
            for secret in ["110101198001010010", "6225768888888880"] {
                prop_assert!(!a.contains(secret), "the report echoes {}", secret);
            }
        }
        Ok(())
    });
}

#[test]
fn amounts_above_the_limit_are_c00_and_nothing_overflows() {
    run("money above 10^12 yuan is C00", |c| {
        let r = report(&serde_json::to_string(&c).unwrap());
        let paths = c00_paths(&r);
        let big = too_large_paths(&c);
        for p in &big {
            prop_assert!(
                paths.contains(p),
                "{} above 10^12 yuan is not a C00 finding: {:?}",
                p,
                paths
            );
        }
        if !big.is_empty() {
            // Any amount the estimate would need is malformed: no estimate computed from a wrong value.
            let needed = big
                .iter()
                .any(|p| p.starts_with("invoices") || p == "policy.paid_this_year");
            let product = c["policy"]["product"].as_str().unwrap();
            if needed && matches!(product, "P-MED" | "P-ACC") {
                prop_assert!(
                    r.get("estimate").is_some_and(Value::is_null),
                    "an estimate from a malformed amount"
                );
            }
        }
        // Every amount in the estimate is a non-negative money string within the limit of any sum.
        if let Some(steps) = r.get("estimate").and_then(|e| e.get("steps")).and_then(Value::as_array) {
            for s in steps {
                let amount = s.get("amount").and_then(Value::as_str).unwrap();
                let fen = fen_of(amount);
                prop_assert!(fen >= 0, "negative step {}", amount);
            }
        }
        Ok(())
    });
}

#[test]
fn many_large_amounts_sum_without_overflow() {
    // Forty items of 10^12 yuan each: the sums reach 4·10^13 yuan (4·10^15 fen) without overflow.
    run("large sums", |mut c| {
        c["policy"]["product"] = "P-MED".into();
        c["benefit"] = "inpatient".into();
        let item = json!({ "name": "x", "class": "A", "amount": "1000000000000.00" });
        let inv = json!({ "visit": "inpatient", "issued_on": c["filed_on"].clone(), "total": "1000000000000.00",
                          "items": vec![item; 10] });
        c["invoices"] = J::Array(vec![inv; 4]);
        let r = report(&serde_json::to_string(&c).unwrap());
        let paths = c00_paths(&r);
        prop_assert!(!paths.iter().any(|p| p.starts_with("invoices")), "{:?}", paths);
        if let Some(pay) = r.get("estimate").and_then(|e| e.get("payable")).and_then(Value::as_str) {
            prop_assert!(fen_of(pay) <= 300_000_000, "P-MED pays at most 3,000,000.00: {}", pay);
        }
        Ok(())
    });
}

#[test]
fn payable_is_between_zero_and_the_remaining_limit() {
    use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
    static WITH_ESTIMATE: AtomicUsize = AtomicUsize::new(0);
    static CAPPED: AtomicUsize = AtomicUsize::new(0);
    run_with("0 <= payable <= remaining limit", medical_claim(), |c| {
        let r = report(&serde_json::to_string(&c).unwrap());
        let Some(pay) = r.get("estimate").and_then(|e| e.get("payable")).and_then(Value::as_str) else {
            return Ok(());
        };
        WITH_ESTIMATE.fetch_add(1, Relaxed);
        let pay = fen_of(pay);
        prop_assert!(pay >= 0);
        let limit = match c["policy"]["product"].as_str().unwrap() {
            "P-MED" => Some(300_000_000),
            "P-ACC" => Some(500_000),
            _ => None,
        };
        if let (Some(limit), Some(paid)) = (limit, json_fen(&c["policy"]["paid_this_year"])) {
            let remaining = (limit - paid).max(0);
            if pay == remaining {
                CAPPED.fetch_add(1, Relaxed);
            }
            prop_assert!(
                pay <= remaining,
                "payable {} above the remaining limit {} (limit {}, paid {})",
                pay,
                remaining,
                limit,
                paid
            );
        }
        Ok(())
    });
    let (n, capped) = (WITH_ESTIMATE.load(Relaxed), CAPPED.load(Relaxed));
    eprintln!(
        "properties: {n} of {} claims had an estimate; {capped} were capped at the remaining limit",
        cases()
    );
    assert!(
        n * 4 > cases() as usize,
        "at least a quarter of the medical claims must have an estimate"
    );
    assert!(capped > 0, "some estimates must reach the K06 cap");
}

// --- native / WebAssembly parity -------------------------------------------------------------------------

const PARITY_SCRIPT: &str = r#"
import { readFileSync, writeFileSync } from 'node:fs';
const [pkg, dir, n] = process.argv.slice(2);
const { Checker } = await import(pkg);
const checker = new Checker();
const out = [];
for (let i = 0; i < Number(n); i++) {
  const claim = readFileSync(`${dir}/claim-${i}.json`, 'utf8');
  for (const locale of ['zh-CN', 'en']) {
    let r;
    try { r = checker.checkJson(claim, { locale }); } catch (e) { r = `error: ${e.message}`; }
    out.push(r);
  }
}
writeFileSync(`${dir}/wasm.txt`, out.join('\n'));
"#;

#[test]
fn native_and_wasm_reports_are_identical() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let entry = root.join("pkg/node.js");
    let node_ok = std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !entry.is_file() || !node_ok {
        eprintln!(
            "WARNING: SKIPPING native/WASM parity: needs `node` and the built package ({}; run `bash scripts/build-package.sh`)",
            entry.display()
        );
        return;
    }
    let n = cases() as usize * 2;
    let dir = std::env::temp_dir().join(format!("preclaim-parity-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut runner = TestRunner::new_with_rng(Config::default(), TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]));
    let mut native = Vec::new();
    for i in 0..n {
        let c = claim().new_tree(&mut runner).unwrap().current();
        // Half compact, half pretty; the claims as JSON text, as an app would pass them.
        let text = if i % 2 == 0 {
            serde_json::to_string(&c).unwrap()
        } else {
            serde_json::to_string_pretty(&c).unwrap()
        };
        std::fs::write(dir.join(format!("claim-{i}.json")), &text).unwrap();
        for locale in [Locale::Zh, Locale::En] {
            native.push(match checker().check_text(&text, locale) {
                Ok(o) => write_value(&o.report),
                Err(e) => format!("error: {e}"),
            });
        }
    }
    let script = dir.join("parity.mjs");
    std::fs::write(&script, PARITY_SCRIPT).unwrap();
    let pkg_url = format!("file://{}", entry.display());
    let start = std::time::Instant::now();
    let status = std::process::Command::new("node")
        .arg(&script)
        .arg(&pkg_url)
        .arg(&dir)
        .arg(n.to_string())
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
            "claim {} ({}) differs between WASM and native; the claim is in {}",
            i / 2,
            if i % 2 == 0 { "zh-CN" } else { "en" },
            dir.display()
        );
    }
    eprintln!(
        "properties: native/WASM parity: {n} claims × 2 locales identical (node {:.2?})",
        start.elapsed()
    );
    let _ = std::fs::remove_dir_all(&dir);
}
