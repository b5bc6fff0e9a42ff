//! `preclaim catalog ...`: build a binary catalog from CSV or JSON lines, make a synthetic item catalog, and
//! inspect one (info, lookup, search). Output is JSON (one object per line for entries); a thin layer over
//! `preclaim::catalog`.

use std::process::ExitCode;

use preclaim::catalog::{build, entry_value, source, synth, Catalog, Entry, Kind, Row};
use preclaim::domain::money::format_money;
use preclaim::echo::Echo;
use preclaim::json::write_value;

pub const USAGE: &str = "  preclaim catalog build --kind diagnosis|drug INPUT(.csv|.jsonl) -o OUT.bin
  preclaim catalog synth --count N [--seed S] -o OUT.csv   (synthetic drug/item catalog source)
  preclaim catalog info FILE | lookup FILE CODE... [--prefix] [--limit N] | search FILE QUERY [--limit N]
      Binary medical catalogs (docs/catalogs.md). lookup exits 1 when a code is not in the catalog.";

fn fail(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("preclaim catalog: {}", Echo(&msg.to_string()));
    ExitCode::from(2)
}

type Opts = Vec<(String, String)>;

/// Options `--name value` and positional arguments.
fn split(args: &[String], flags: &[&str]) -> Result<(Opts, Vec<String>), String> {
    let (mut opts, mut pos) = (Vec::new(), Vec::new());
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--prefix" {
            opts.push((a.clone(), String::new()));
        } else if flags.contains(&a.as_str()) {
            let v = it.next().ok_or(format!("{a} needs a value"))?;
            opts.push((a.clone(), v.clone()));
        } else if a.starts_with('-') && a.len() > 1 {
            return Err(format!("unknown option `{a}`"));
        } else {
            pos.push(a.clone());
        }
    }
    Ok((opts, pos))
}

fn opt<'o>(opts: &'o [(String, String)], name: &str) -> Option<&'o str> {
    opts.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

fn num(opts: &[(String, String)], name: &str, default: usize) -> Result<usize, String> {
    opt(opts, name).map_or(Ok(default), |v| v.parse().map_err(|_| format!("{name} takes a number")))
}

fn entry_json(e: &Entry<'_>, matched: Option<&str>) -> String {
    write_value(&entry_value(e, matched))
}

fn load(path: &str) -> Result<Vec<u8>, String> {
    super::input::read_bytes(path, preclaim::limits::MAX_CATALOG_BYTES, "catalog")
}

/// Reads and checks a catalog file for `preclaim check --catalog`.
pub fn open(path: &str) -> Result<std::sync::Arc<Catalog<'static>>, String> {
    let bytes = load(path)?;
    Catalog::from_vec(bytes)
        .map(std::sync::Arc::new)
        .map_err(|e| format!("{path}: {e} [{}]", e.code()))
}

fn with_catalog(path: Option<&String>, f: impl FnOnce(&Catalog<'_>) -> ExitCode) -> ExitCode {
    let Some(path) = path else {
        return fail("needs a catalog FILE");
    };
    let bytes = match load(path) {
        Ok(b) => b,
        Err(e) => return fail(e),
    };
    match Catalog::load(&bytes) {
        Ok(cat) => f(&cat),
        Err(e) => fail(format!("{path}: {e} [{}]", e.code())),
    }
}

fn build_cmd(opts: &[(String, String)], pos: &[String]) -> ExitCode {
    let Some(kind) = opt(opts, "--kind").and_then(Kind::parse) else {
        return fail("build needs --kind diagnosis|drug");
    };
    let (Some(input), Some(out)) = (pos.first(), opt(opts, "-o")) else {
        return fail("build needs INPUT and -o OUT.bin");
    };
    let text = match super::input::read_text(input, preclaim::limits::MAX_CATALOG_BYTES, "catalog source") {
        Ok(t) => t,
        Err(e) => return fail(e),
    };
    let bytes = match source::parse_rows(&text).and_then(|rows| build(kind, rows)) {
        Ok(b) => b,
        Err(e) => return fail(format!("{input}: {e}")),
    };
    if let Err(e) = std::fs::write(out, &bytes) {
        return fail(format!("cannot write {out}: {e}"));
    }
    let n = Catalog::load(&bytes).map(|c| c.len()).unwrap_or(0);
    eprintln!(
        "preclaim catalog: wrote {out}: {} {} entries, {} bytes",
        n,
        kind.as_str(),
        bytes.len()
    );
    ExitCode::SUCCESS
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn synth_cmd(opts: &[(String, String)]) -> ExitCode {
    let (count, seed) = match (num(opts, "--count", 300), num(opts, "--seed", 7)) {
        (Ok(c), Ok(s)) => (c, s as u64),
        (Err(e), _) | (_, Err(e)) => return fail(e),
    };
    let Some(out) = opt(opts, "-o") else {
        return fail("synth needs -o OUT.csv");
    };
    let mut rows: Vec<Row> = synth::synthetic_items(count, seed);
    rows.sort_by(|a, b| a.code.cmp(&b.code));
    let mut text = String::from("code,name_zh,name_en,class,self_pay_rate,price_cap\n");
    for r in &rows {
        let cells = [
            csv_field(&r.code),
            csv_field(r.name_zh.as_deref().unwrap_or("")),
            csv_field(r.name_en.as_deref().unwrap_or("")),
            r.class.map_or("", |c| c.as_str()).to_string(),
            r.self_pay_rate.map(|x| x.to_string()).unwrap_or_default(),
            r.price_cap_fen.map(format_money).unwrap_or_default(),
        ];
        text.push_str(&cells.join(","));
        text.push('\n');
    }
    match std::fs::write(out, text) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(format!("cannot write {out}: {e}")),
    }
}

pub fn run(args: &[String]) -> ExitCode {
    let Some((sub, rest)) = args.split_first() else {
        return fail(format!("missing subcommand\n{USAGE}"));
    };
    let (opts, pos) = match split(rest, &["--kind", "-o", "--limit", "--count", "--seed"]) {
        Ok(x) => x,
        Err(e) => return fail(e),
    };
    match sub.as_str() {
        "build" => build_cmd(&opts, &pos),
        "synth" => synth_cmd(&opts),
        "info" => with_catalog(pos.first(), |cat| {
            let i = cat.info();
            let rates: Vec<String> = i.rates.iter().map(|r| format!("\"{r}\"")).collect();
            out!(
                "{{\"kind\":\"{}\",\"format_version\":{},\"entries\":{},\"bytes\":{},\"names\":{},\"string_bytes\":{},\"search_bytes\":{},\"rates\":[{}]}}",
                i.kind.as_str(),
                i.version,
                i.entries,
                i.bytes,
                i.names,
                i.string_bytes,
                i.search_bytes,
                rates.join(",")
            );
            match cat.verify() {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(e),
            }
        }),
        "lookup" => with_catalog(pos.first(), |cat| {
            let limit = match num(&opts, "--limit", usize::MAX) {
                Ok(l) => l,
                Err(e) => return fail(e),
            };
            let mut missing = false;
            for code in pos.iter().skip(1) {
                if opt(&opts, "--prefix").is_some() {
                    cat.prefix(code)
                        .take(limit)
                        .for_each(|e| out!("{}", entry_json(&e, None)));
                } else if let Some(e) = cat.get(code) {
                    out!("{}", entry_json(&e, None));
                } else {
                    eprintln!("preclaim catalog: {}: not in the catalog", Echo(code));
                    missing = true;
                }
            }
            ExitCode::from(u8::from(missing))
        }),
        "search" => with_catalog(pos.first(), |cat| {
            let limit = match num(&opts, "--limit", 10) {
                Ok(l) => l,
                Err(e) => return fail(e),
            };
            let query = pos.get(1..).unwrap_or(&[]).join(" ");
            for h in cat.search(&query, limit) {
                out!("{}", entry_json(&h.entry, Some(h.matched.as_str())));
            }
            ExitCode::SUCCESS
        }),
        other => fail(format!("unknown subcommand `{other}`\n{USAGE}")),
    }
}
