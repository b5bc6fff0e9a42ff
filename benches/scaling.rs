#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]
//! How the cost of a whole check grows: `Checker::check_text` on a claim@1 JSON text (parse, decode, run
//! the pack, build the report), as benches/check.rs measures it, (1) with the number of invoice items of a
//! P-MED inpatient claim (10 → 10,000, ten items per invoice, and all in one invoice), (2) with the number of
//! rules in the pack set: N rules as N/20 packs of 20 rules for other products (only the claim's product's
//! pack should cost), and as one pack of N rules that all apply. Printed as tables of µs per check and per
//! item or rule. `cargo bench --bench scaling`; `PRECLAIM_BENCH_SMOKE=1` runs a few iterations on tiny
//! inputs. Figures are printed, never asserted.

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::Instant;

use preclaim::check::Checker;
use preclaim::json;
use preclaim::pack::def::Locale;
use preclaim::value::Value;

fn smoke() -> bool {
    std::env::var("PRECLAIM_BENCH_SMOKE").is_ok_and(|v| v == "1")
}

/// Median µs of one call of `f`, over `batches` batches of `per_batch` calls (after one warm-up batch).
fn median_us(batches: usize, per_batch: usize, mut f: impl FnMut()) -> f64 {
    let mut batch = || {
        let t = Instant::now();
        for _ in 0..per_batch {
            f();
        }
        t.elapsed().as_secs_f64() * 1e6 / per_batch as f64
    };
    batch();
    let mut times: Vec<f64> = (0..batches).map(|_| batch()).collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// Runs per size so that each measurement takes a similar time: about `budget` item-or-rule evaluations.
fn batches_for(n: usize, smoke: bool) -> (usize, usize) {
    if smoke {
        (3, 1)
    } else {
        (21, (20_000 / n).max(1))
    }
}

fn example_claim() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/med-inpatient-not-settled.json");
    let text = std::fs::read_to_string(path).expect("example claim");
    Value::from_json(&json::parse(&text).expect("claim JSON"))
}

fn set(v: &Value, key: &str, new: Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut m = (**m).clone();
            match m.iter_mut().find(|(k, _)| &**k == key) {
                Some((_, slot)) => *slot = new,
                None => m.push((key.into(), new)),
            }
            Value::object(m)
        }
        _ => v.clone(),
    }
}

fn yuan(fen: i64) -> Value {
    Value::str(&format!("{}.{:02}", fen / 100, fen % 100))
}

/// The P-MED inpatient example with `items` items of 10.00–19.99 yuan spread over invoices of
/// `per_invoice` items each (totals consistent, invoice numbers distinct).
fn claim_with_items(base: &Value, items: usize, per_invoice: usize) -> String {
    let template = base
        .get("invoices")
        .and_then(Value::as_array)
        .and_then(<[Value]>::first)
        .cloned()
        .expect("an inpatient invoice");
    let classes = ["A", "B", "self", "A", "B"];
    let mut invoices = Vec::new();
    let mut made = 0usize;
    while made < items {
        let n = per_invoice.min(items - made);
        let mut total = 0i64;
        let list: Vec<Value> = (made..made + n)
            .map(|i| {
                let fen = 1000 + (i as i64 * 37) % 1000;
                total += fen;
                Value::object(vec![
                    ("name".into(), Value::str(&format!("项目{i}"))),
                    ("class".into(), Value::str(classes[i % classes.len()])),
                    ("amount".into(), yuan(fen)),
                ])
            })
            .collect();
        let mut inv = set(&template, "items", Value::array(list));
        inv = set(&inv, "total", yuan(total));
        inv = set(
            &inv,
            "number",
            Value::str(&format!("{:010}", 1_000_000 + invoices.len())),
        );
        invoices.push(inv);
        made += n;
    }
    json::write_value(&set(base, "invoices", Value::array(invoices)))
}

/// A pack for `product` with `rules` rules over the claim, none of which fires.
fn generated_pack(product: &str, rules: usize) -> String {
    let templates = [
        "days_between(policy.effective_on, event.date) < -{i}",
        "len(invoices) > {i} + 10000",
        "sum(invoices, inv => inv.total) > {i} + 100000000000",
        "icd_in(event.diagnoses[0].icd10, ['C00-C97']) and age(stay.admitted_on, filed_on) > {i}",
        "some(documents, d => d.type == 'D99') and {i} > 0",
    ];
    let mut out = format!(
        r#"{{"id":"gen-{product}","version":"1.0.0","title":{{"zh-CN":"生成","en":"generated"}},"products":["{product}"],"rules":["#
    );
    for i in 0..rules {
        if i > 0 {
            out.push(',');
        }
        let when = templates[i % templates.len()].replace("{i}", &i.to_string());
        write!(
            out,
            r#"{{"id":"G{i}","kind":"R","severity":"warn","when":"{when}","message":{{"zh-CN":"规则{i}","en":"rule {i}"}}}}"#
        )
        .unwrap();
    }
    out.push_str("]}");
    out
}

/// Median µs per check, or why the check stopped (a claim can exhaust the step budget).
fn check_us(checker: &Checker, claim: &str, n: usize, smoke: bool) -> Result<f64, String> {
    let out = checker.check_text(claim, Locale::Zh).map_err(|e| e.to_string())?;
    assert!(out.report.get("status").is_some(), "a report");
    let (batches, per) = batches_for(n, smoke);
    Ok(median_us(batches, per, || {
        black_box(checker.check_text(black_box(claim), Locale::Zh).ok());
    }))
}

/// `µs/check µs/per` cells, or the reason the check stopped.
fn cells(r: &Result<f64, String>, n: usize, base: f64) -> String {
    match r {
        Ok(us) => format!("{us:>12.1} {:>12.3}", (us - base) / n as f64),
        Err(e) => format!("STOPPED: {e}"),
    }
}

fn main() {
    let smoke = smoke();
    if smoke {
        println!("SMOKE RUN (tiny inputs, 3 runs; figures meaningless)");
    }
    let sizes: &[usize] = if smoke { &[10] } else { &[10, 100, 1_000, 10_000] };
    let base = example_claim();
    let defaults = Checker::with_defaults().expect("default packs");

    println!("\n== check time by invoice items (P-MED inpatient claim, embedded packs)");
    println!(
        "{:>8} {:>9} {:>11} {:>12} {:>12} | {:>9} {:>12} {:>12}",
        "items", "invoices", "claim KB", "µs/check", "µs/item", "invoices", "µs/check", "µs/item"
    );
    for &n in sizes {
        let spread = claim_with_items(&base, n, 10);
        let one = claim_with_items(&base, n, n);
        let a = check_us(&defaults, &spread, n, smoke);
        let b = check_us(&defaults, &one, n, smoke);
        println!(
            "{:>8} {:>9} {:>11.1} {} | {:>9} {}",
            n,
            n.div_ceil(10),
            spread.len() as f64 / 1024.0,
            cells(&a, n, 0.0),
            1,
            cells(&b, n, 0.0)
        );
    }

    let rule_counts: &[usize] = if smoke { &[20] } else { &[20, 200, 2_000, 10_000] };
    let with_rules = |product: &str| {
        json::write_value(&set(
            &base,
            "policy",
            set(base.get("policy").unwrap(), "product", Value::str(product)),
        ))
    };
    let empty = Checker::from_pack_texts(&[&generated_pack("P-GEN-BIG", 0)]).expect("empty pack");
    let base_us = check_us(&empty, &with_rules("P-GEN-BIG"), 1, smoke).expect("a report");
    println!("\n== check time by rules in the pack set (P-MED claim with 2 invoices; generated rules never fire)");
    println!(
        "the same claim with a pack of 0 rules: {base_us:.1} µs/check (parse, decode, report); µs/rule is (µs/check − that) / rules"
    );
    println!(
        "{:>8} | {:>29} | {:>30}",
        "rules", "N/20 packs of 20, claim's last", "1 pack of N rules, all apply"
    );
    println!(
        "{:>8} | {:>7} {:>9} {:>11} | {:>12} {:>12} {:>10}",
        "", "packs", "µs/check", "compile ms", "µs/check", "µs/rule", "compile ms"
    );
    for &n in rule_counts {
        let packs = n / 20;
        let texts: Vec<String> = (0..packs).map(|k| generated_pack(&format!("P-GEN-{k}"), 20)).collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let t = Instant::now();
        let many = Checker::from_pack_texts(&refs).expect("generated packs");
        let many_compile = t.elapsed().as_secs_f64() * 1e3;
        let a = check_us(&many, &with_rules(&format!("P-GEN-{}", packs - 1)), 20, smoke);

        let big = generated_pack("P-GEN-BIG", n);
        let t = Instant::now();
        let one = Checker::from_pack_texts(&[&big]).expect("generated pack");
        let one_compile = t.elapsed().as_secs_f64() * 1e3;
        let b = check_us(&one, &with_rules("P-GEN-BIG"), n, smoke);
        println!(
            "{:>8} | {:>7} {:>9.1} {:>11.1} | {} {:>10.1}",
            n,
            packs,
            a.unwrap_or(f64::NAN),
            many_compile,
            cells(&b, n, base_us),
            one_compile
        );
    }
}
