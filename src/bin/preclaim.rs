//! The `preclaim` command line: check claims, evaluate one JSONLogic rule, lint and test rule packs.
//! A thin layer over the library; see `preclaim help`.

/// Prints a line on stdout; when that fails the program ends with a non-zero status ([`stdout_failed`]),
/// so an unfinished command never looks like a success.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout().lock(), $($arg)*) {
            crate::stdout_failed(&e);
        }
    }};
}

/// Ends the program after a write to stdout failed: quietly with the status of a process stopped by SIGPIPE
/// (141) for a closed pipe (`preclaim ... | head`), with a message and status 2 otherwise (a full disk,
/// `> /dev/full`).
fn stdout_failed(e: &std::io::Error) -> ! {
    if e.kind() != std::io::ErrorKind::BrokenPipe {
        eprintln!("preclaim: cannot write the output: {e}");
        std::process::exit(2);
    }
    std::process::exit(141);
}

/// Writes text to stdout and flushes it (a write error surfaces here, not at exit where it is lost).
fn print_all(text: &str) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        stdout_failed(&e);
    }
}

#[path = "preclaim/catalog.rs"]
mod catalog;
#[path = "preclaim/find.rs"]
mod find;
#[path = "preclaim/input.rs"]
mod input;

use std::io::{Read, Write};
use std::process::ExitCode;

use preclaim::check::Checker;
use preclaim::echo::Echo;
use preclaim::expr::{compile, jsonlogic, text, OpenEnv};
use preclaim::json::{self, write_value, write_value_pretty};
use preclaim::limits;
use preclaim::pack::def::Locale;
use preclaim::pack::{self, lint};
use preclaim::value::Value;

const USAGE: &str = "preclaim — insurance claim pre-checker

USAGE:
  preclaim check CLAIM.json [--pack PACK] [--catalog CATALOG.bin]... [--locale zh-CN|en] [--explain]
      Print the report@1 JSON for a claim@1 file ('-' reads stdin). Without --pack the embedded
      pack for the claim's policy.product is used. A PACK is JSON or compiled (pack compile). --catalog loads a diagnosis or item catalog
      (preclaim catalog build) for the rules. Exit 0 whenever a report is produced.
  preclaim find FINDER.json [--pack PACK]... [--catalog CATALOG.bin]... [--locale zh-CN|en]
      Print the plan@1 JSON for a finder@1 file ('-' reads stdin): which of the policies pay for the
      event, in which order to file them, what each pays and still needs. --pack (repeatable) replaces
      the embedded packs. Exit 0 with a plan, 2 when the input is not a finder@1.
  preclaim eval RULE DATA [--text]
      Evaluate one JSONLogic rule (JSON text; with --text, the text syntax) on DATA (JSON text).
      Prints the JSON result (exit 0) or the error as JSON on stderr (exit 1).
  preclaim lint PACK.json...
      Load, compile and statically check packs. Exit 0 when clean, 1 with warnings, 2 when invalid.
  preclaim test PACK.json...
      Run each pack's own test cases. Exit 0 when all pass, 1 otherwise.
  preclaim packs
      List the embedded packs.
  preclaim pack keygen
      Make an Ed25519 key pair: prints the secret key (keep it safe) and the public key (pin it in apps).
  preclaim pack sign PACK.json --key SECRET_KEY_FILE [--key-id ID]
      Print the pack with a signature over its canonical bytes.
  preclaim pack verify PACK.json --public-key HEX [--public-key HEX...]
      Check a pack's signature against trusted public keys. Exit 0 when it verifies, 1 otherwise.
  preclaim pack jsonlogic PACK.json
      Print the pack with every expression (text syntax included) as plain JSONLogic, and on stderr
      the custom operators a JSONLogic engine needs to run it.
  preclaim pack compile PACK.json [-o OUT]
      Write the pack's compiled form (what apps load with Checker.fromCompiled or --pack, without
      compiling): to OUT ('-' is stdout), by default PACK with .pack for .json. Its tests and a
      signature are not kept.
  preclaim pack bundle PACK.json... -o OUT
      Write the packs compiled into one bundle sharing a string table: the internal form the default
      packs are embedded in (make packs writes packs/compiled/defaults.bundle).
  preclaim catalog build|synth|info|lookup|search ...   (see `preclaim catalog`)
  preclaim limits
      Print every limit on inputs (claim, pack, session, report, photo, catalog sizes) as JSON.
  preclaim schema --ts|--json
      Print claim@1 as the npm package's TypeScript types (--ts) or as a JSON Schema (--json).
  preclaim ops [--markdown]
      List every operator (name, family, arguments, result), or print docs/expressions.md's operator
      sections (--markdown), from the one operator table.
  preclaim version

Exit 2 with a one-line error on stderr when an input is not JSON or a pack is invalid.";

/// The one-line error (exit 2). It may echo input (a file name, a key, a value): control characters are
/// escaped and ID or card numbers masked, so it stays one line and repeats nothing personal.
fn fail(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("preclaim: {}", Echo(&msg.to_string()));
    ExitCode::from(2)
}

/// Reads a claim or finder input (at most `limits::MAX_CLAIM_BYTES`).
fn read_input(path: &str) -> Result<String, String> {
    input::read_text(path, limits::MAX_CLAIM_BYTES, "claim")
}

/// Reads a pack, or a key file (at most `limits::MAX_PACK_BYTES`).
fn read_pack(path: &str) -> Result<String, String> {
    input::read_text(path, limits::MAX_PACK_BYTES, "pack")
}

/// Reads and loads a pack file: JSON text or the compiled form (`preclaim pack compile`).
fn load_pack(path: &str) -> Result<pack::Program, String> {
    let bytes = input::read_bytes(path, limits::MAX_PACK_BYTES, "pack")?;
    pack::load_bytes(&bytes).map_err(|e| format!("{path}:{e}"))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((cmd, rest)) = args.split_first() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    match cmd.as_str() {
        "check" => check(rest),
        "find" => find::run(rest),
        "eval" => eval(rest),
        "lint" => lint_cmd(rest),
        "test" => test_cmd(rest),
        "packs" => packs(),
        "pack" => pack_cmd(rest),
        "catalog" => catalog::run(rest),
        "limits" => {
            out!("{}", limits::to_json());
            ExitCode::SUCCESS
        }
        "schema" => schema_cmd(rest),
        "ops" => ops_cmd(rest),
        "version" | "--version" | "-V" => {
            out!("preclaim {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        "help" | "--help" | "-h" => {
            out!("{USAGE}");
            ExitCode::SUCCESS
        }
        other => fail(format!("unknown command `{other}` (try `preclaim help`)")),
    }
}

fn schema_cmd(args: &[String]) -> ExitCode {
    let text = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["--ts"] => preclaim::claim::schema_export::typescript(),
        ["--json"] => preclaim::claim::schema_export::json_schema(),
        _ => return fail("schema takes --ts (TypeScript types) or --json (JSON Schema)"),
    };
    print!("{text}");
    ExitCode::SUCCESS
}

fn ops_cmd(args: &[String]) -> ExitCode {
    use preclaim::expr::ops::table::{Arity, OPS};
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["--markdown"] => print!("{}", preclaim::expr::ops::table::markdown()),
        [] => {
            for d in OPS {
                let arity = match d.arity {
                    Arity(a, Some(b)) if a == b => a.to_string(),
                    Arity(a, Some(b)) => format!("{a}-{b}"),
                    Arity(a, None) => format!("{a}+"),
                };
                let form = if d.strict.is_some() { "strict" } else { "control" };
                out!(
                    "{:<20} {:<9} {:<8} {:<6} {:?}",
                    d.name,
                    format!("{:?}", d.family),
                    form,
                    arity,
                    d.returns
                );
            }
        }
        _ => return fail("ops takes no argument, or --markdown"),
    }
    ExitCode::SUCCESS
}

fn check(args: &[String]) -> ExitCode {
    let mut claim_path = None;
    let mut pack_path = None;
    let mut locale = Locale::Zh;
    let mut explain = false;
    let mut catalogs = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--pack" => match it.next() {
                Some(p) => pack_path = Some(p.clone()),
                None => return fail("--pack needs a file"),
            },
            "--catalog" => match it.next().map(|p| catalog::open(p)) {
                Some(Ok(c)) => catalogs.push(c),
                Some(Err(e)) => return fail(e),
                None => return fail("--catalog needs a catalog file (preclaim catalog build)"),
            },
            "--locale" => match it.next().and_then(|l| Locale::parse(l)) {
                Some(l) => locale = l,
                None => return fail("--locale takes zh-CN or en"),
            },
            "--explain" => explain = true,
            p if claim_path.is_none() => claim_path = Some(p.to_string()),
            other => return fail(format!("unexpected argument `{other}`")),
        }
    }
    let Some(claim_path) = claim_path else {
        return fail("check needs a claim file (or - for stdin)");
    };
    let checker = match &pack_path {
        Some(p) => load_pack(p).map(|prog| Checker::from_programs(vec![prog])),
        None => Checker::with_defaults().map_err(|e| e.to_string()),
    };
    let mut checker = match checker {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    for c in catalogs {
        checker.attach_catalog(c);
    }
    let claim = match read_input(&claim_path) {
        Ok(t) => t,
        Err(e) => return fail(e),
    };
    match checker.check_text(&claim, locale) {
        Ok(out) => {
            print_all(&(write_value_pretty(&out.report) + "\n"));
            if explain {
                for d in &out.diagnostics {
                    eprintln!("note: {}", Echo(d));
                }
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(format!("{claim_path}: {e} [{}]", e.code())),
    }
}

fn eval(args: &[String]) -> ExitCode {
    let as_text = args.iter().any(|a| a == "--text");
    let pos: Vec<&String> = args.iter().filter(|a| *a != "--text").collect();
    let [rule, data] = pos.as_slice() else {
        return fail("eval takes RULE and DATA (JSON text)");
    };
    let node = if as_text {
        text::parse(rule).map_err(|e| e.to_string())
    } else {
        jsonlogic::parse_text(rule).map_err(|e| format!("rule: {}", e.message))
    };
    let node = match node {
        Ok(n) => n,
        Err(e) => return fail(e),
    };
    let data = match json::parse(data) {
        Ok(d) => Value::from_json(&d),
        Err(e) => return fail(format!("data is not JSON: {}", e.describe(data))),
    };
    let expr = match compile(&node, &OpenEnv) {
        Ok(e) => e,
        Err(e) => {
            let err = Value::object(vec![
                ("type".into(), Value::str("Invalid Arguments")),
                ("message".into(), Value::str(&e.message)),
            ]);
            eprintln!("{}", write_value(&err));
            return ExitCode::from(1);
        }
    };
    match expr.eval(&data) {
        Ok(v) => {
            out!("{}", write_value(&v));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}", write_value(&e.to_value()));
            ExitCode::from(1)
        }
    }
}

fn load_packs(args: &[String]) -> Result<Vec<(String, pack::Program)>, ExitCode> {
    if args.is_empty() {
        return Err(fail("give one or more pack files"));
    }
    let mut out = Vec::new();
    for p in args {
        let prog = load_pack(p).map_err(fail)?;
        out.push((p.clone(), prog));
    }
    Ok(out)
}

fn lint_cmd(args: &[String]) -> ExitCode {
    let packs = match load_packs(args) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let mut warnings = 0;
    for (path, prog) in &packs {
        let ws = lint::lint(prog);
        for w in &ws {
            out!("{}: {}: {}", Echo(path), Echo(&w.path), Echo(&w.message));
        }
        if ws.is_empty() {
            out!(
                "{}: {} {} is clean ({} rules, {} derived values, {} estimate steps)",
                Echo(path),
                Echo(&prog.id),
                prog.version,
                prog.rules.len(),
                prog.derived.len(),
                prog.steps.len()
            );
        }
        warnings += ws.len();
    }
    if warnings == 0 {
        ExitCode::SUCCESS
    } else {
        out!("{warnings} warning(s)");
        ExitCode::from(1)
    }
}

fn test_cmd(args: &[String]) -> ExitCode {
    let packs = match load_packs(args) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let (mut passed, mut failed) = (0usize, 0usize);
    for (path, prog) in packs {
        let checker = Checker::from_programs(vec![prog.clone()]);
        for t in &prog.tests {
            // In both languages: the expectations compare codes and paths, and messages per language.
            let diffs: Vec<String> = [(Locale::Zh, "zh-CN"), (Locale::En, "en")]
                .into_iter()
                .flat_map(|(locale, tag)| {
                    let diffs = match checker.check_node(&t.claim, locale) {
                        Ok(out) => t.expect.compare(&out.report, locale),
                        Err(e) => vec![e.to_string()],
                    };
                    diffs.into_iter().map(move |d| format!("{tag}: {d}"))
                })
                .collect();
            if diffs.is_empty() {
                passed += 1;
                out!("ok   {}: {}", Echo(&path), Echo(&t.name));
            } else {
                failed += 1;
                out!("FAIL {}: {}", Echo(&path), Echo(&t.name));
                for d in diffs {
                    out!("     {}", Echo(&d));
                }
            }
        }
    }
    out!("{passed} passed, {failed} failed");
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn packs() -> ExitCode {
    match Checker::with_defaults() {
        Ok(c) => {
            let packs = match c.packs() {
                Ok(p) => p,
                Err(e) => return fail(e),
            };
            for p in packs {
                out!(
                    "{} {}  {} / {}  products: {}",
                    p.id,
                    p.version,
                    p.title.zh,
                    p.title.en,
                    p.products.join(", ")
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    }
}

fn pack_cmd(args: &[String]) -> ExitCode {
    use preclaim::pack::signature::{public_key_of, sign, to_hex, verify, TrustedKey, Verified};
    match args.first().map(String::as_str) {
        Some("keygen") => {
            let mut seed = [0u8; 32];
            let read = std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut seed));
            if let Err(e) = read {
                return fail(format!("cannot read random bytes: {e}"));
            }
            let secret = to_hex(&seed);
            match public_key_of(&secret) {
                Ok(public) => {
                    out!("secret key: {secret}");
                    out!("public key: {public}");
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e),
            }
        }
        Some("sign") => {
            let mut pack = None;
            let mut key_file = None;
            let mut key_id = None;
            let mut it = args.iter().skip(1);
            while let Some(a) = it.next() {
                match a.as_str() {
                    "--key" => key_file = it.next().cloned(),
                    "--key-id" => key_id = it.next().cloned(),
                    p if pack.is_none() => pack = Some(p.to_string()),
                    other => return fail(format!("unexpected argument `{other}`")),
                }
            }
            let (Some(pack), Some(key_file)) = (pack, key_file) else {
                return fail("pack sign takes PACK.json --key SECRET_KEY_FILE");
            };
            let (text, secret) = match (read_pack(&pack), read_pack(&key_file)) {
                (Ok(t), Ok(k)) => (t, k),
                (Err(e), _) | (_, Err(e)) => return fail(e),
            };
            let secret = secret
                .lines()
                .find_map(|l| l.strip_prefix("secret key: "))
                .unwrap_or(secret.trim())
                .to_string();
            if let Err(e) = pack::load_program(&text) {
                return fail(format!("{pack}:{e}"));
            }
            match sign(&text, &secret, key_id.as_deref()) {
                Ok(signed) => {
                    print_all(&signed);
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e),
            }
        }
        Some("verify") => {
            let mut pack = None;
            let mut keys = Vec::new();
            let mut it = args.iter().skip(1);
            while let Some(a) = it.next() {
                match a.as_str() {
                    "--public-key" => match it.next().map(|k| TrustedKey::from_hex(k)) {
                        Some(Ok(k)) => keys.push(k),
                        Some(Err(e)) => return fail(e),
                        None => return fail("--public-key needs a key"),
                    },
                    p if pack.is_none() => pack = Some(p.to_string()),
                    other => return fail(format!("unexpected argument `{other}`")),
                }
            }
            let Some(pack) = pack else {
                return fail("pack verify takes PACK.json --public-key HEX");
            };
            let text = match read_pack(&pack) {
                Ok(t) => t,
                Err(e) => return fail(e),
            };
            match verify(&text, &keys, true) {
                Ok(Verified::Signed { key, key_id }) => {
                    out!(
                        "{}: signature verifies with trusted key {} ({})",
                        Echo(&pack),
                        key + 1,
                        Echo(&key_id.unwrap_or_else(|| "no key id".into()))
                    );
                    ExitCode::SUCCESS
                }
                Ok(Verified::Unsigned) => ExitCode::from(1),
                Err(e) => {
                    out!("{}: {e}", Echo(&pack));
                    ExitCode::from(1)
                }
            }
        }
        Some("jsonlogic") => {
            let [_, path] = args else {
                return fail("pack jsonlogic takes PACK.json");
            };
            let text = match read_pack(path) {
                Ok(t) => t,
                Err(e) => return fail(e),
            };
            match (pack::export::to_jsonlogic(&text), pack::export::custom_operators(&text)) {
                (Ok(json), Ok(ops)) => {
                    out!("{json}");
                    eprintln!("custom operators: {}", ops.join(", "));
                    ExitCode::SUCCESS
                }
                (Err(e), _) | (_, Err(e)) => fail(format!("{path}:{e}")),
            }
        }
        Some("compile") => compile_cmd(args.get(1..).unwrap_or_default()),
        Some("bundle") => bundle_cmd(args.get(1..).unwrap_or_default()),
        _ => fail("pack takes keygen, sign, verify, jsonlogic, compile or bundle (try `preclaim help`)"),
    }
}

/// The file arguments and the `-o`/`--output` file of `pack compile` and `pack bundle`.
fn files_and_output(args: &[String]) -> Result<(Vec<String>, Option<String>), String> {
    let mut files = Vec::new();
    let mut out_path = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-o" | "--output" => match it.next() {
                Some(o) => out_path = Some(o.clone()),
                None => return Err("-o needs a file (or - for stdout with pack compile)".into()),
            },
            p => files.push(p.to_string()),
        }
    }
    Ok((files, out_path))
}

/// `preclaim pack bundle PACK.json... -o OUT`: the packs compiled into one bundle sharing a string table
/// (the form of the embedded default packs, `make packs`), each named by its file name.
fn bundle_cmd(args: &[String]) -> ExitCode {
    let (files, out_path) = match files_and_output(args) {
        Ok(v) => v,
        Err(e) => return fail(e),
    };
    let (Some(out_path), false) = (out_path, files.is_empty()) else {
        return fail("pack bundle takes PACK.json... -o OUT");
    };
    let mut programs = Vec::new();
    for f in &files {
        let text = match read_pack(f) {
            Ok(t) => t,
            Err(e) => return fail(e),
        };
        match pack::load_program(&text) {
            Ok(p) => {
                let name = std::path::Path::new(f)
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| f.clone());
                programs.push((name, p));
            }
            Err(e) => return fail(format!("{f}:{e}")),
        }
    }
    let refs: Vec<(&str, &pack::Program)> = programs.iter().map(|(n, p)| (n.as_str(), p)).collect();
    let bytes = match pack::binary::bundle::encode(&refs) {
        Ok(b) => b,
        Err(e) => return fail(e.to_string()),
    };
    match std::fs::write(&out_path, &bytes) {
        Ok(()) => {
            eprintln!("{}: {} packs in {} bytes", Echo(&out_path), refs.len(), bytes.len());
            ExitCode::SUCCESS
        }
        Err(e) => fail(format!("cannot write {out_path}: {e}")),
    }
}

/// `preclaim pack compile PACK.json [-o OUT]`.
fn compile_cmd(args: &[String]) -> ExitCode {
    let (mut files, out_path) = match files_and_output(args) {
        Ok(v) => v,
        Err(e) => return fail(e),
    };
    if let Some(other) = files.get(1) {
        return fail(format!("unexpected argument `{other}`"));
    }
    let Some(pack) = files.pop() else {
        return fail("pack compile takes PACK.json [-o OUT]");
    };
    let text = match read_pack(&pack) {
        Ok(t) => t,
        Err(e) => return fail(e),
    };
    let bytes = match pack::load_program(&text).and_then(|p| pack::binary::encode(&p)) {
        Ok(b) => b,
        Err(e) => return fail(format!("{pack}:{e}")),
    };
    let out_path = out_path.unwrap_or_else(|| match pack.strip_suffix(".json") {
        Some(stem) => format!("{stem}.pack"),
        None if pack == "-" => "-".into(),
        None => format!("{pack}.pack"),
    });
    let written = if out_path == "-" {
        std::io::stdout().lock().write_all(&bytes)
    } else {
        std::fs::write(&out_path, &bytes)
    };
    match written {
        Ok(()) => {
            if json::parse(&text).is_ok_and(|n| n.get("signature").is_some()) {
                eprintln!("note: the pack's signature is not kept in its compiled form (docs/decisions.md)");
            }
            if out_path != "-" {
                eprintln!(
                    "{}: {} bytes compiled from {} bytes of JSON",
                    Echo(&out_path),
                    bytes.len(),
                    text.len()
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(format!("cannot write {out_path}: {e}")),
    }
}
