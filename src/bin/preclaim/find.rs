//! `preclaim find FINDER.json [--pack PACK.json]... [--catalog CATALOG.bin]... [--locale zh-CN|en]`: prints
//! the plan@1 of a finder@1 input (which policies pay for the event, in which order, what is missing).
//! Exit 0 with a plan; 2 with a one-line error when the input is not a finder@1 or a pack is invalid.

use std::process::ExitCode;

use preclaim::check::Checker;
use preclaim::finder;
use preclaim::json::write_value_pretty;
use preclaim::pack::def::Locale;

use super::{catalog, fail, load_pack, read_input};

pub fn run(args: &[String]) -> ExitCode {
    let mut input_path = None;
    let mut packs = Vec::new();
    let mut catalogs = Vec::new();
    let mut locale = Locale::Zh;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--pack" => match it.next() {
                Some(p) => packs.push(p.clone()),
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
            p if input_path.is_none() => input_path = Some(p.to_string()),
            other => return fail(format!("unexpected argument `{other}`")),
        }
    }
    let Some(input_path) = input_path else {
        return fail("find needs a finder@1 file (or - for stdin)");
    };
    let checker = if packs.is_empty() {
        Checker::with_defaults().map_err(|e| e.to_string())
    } else {
        let mut programs = Vec::with_capacity(packs.len());
        for p in &packs {
            match load_pack(p) {
                Ok(prog) => programs.push(prog),
                Err(e) => return fail(format!("--pack: {e}")),
            }
        }
        Ok(Checker::from_programs(programs))
    };
    let mut checker = match checker {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    for c in catalogs {
        checker.attach_catalog(c);
    }
    let text = match read_input(&input_path) {
        Ok(t) => t,
        Err(e) => return fail(e),
    };
    match finder::find_text(&checker, &text, locale) {
        Ok(found) => {
            out!("{}", write_value_pretty(&found.plan));
            ExitCode::SUCCESS
        }
        Err(e) => fail(format!("{input_path}: {e}")),
    }
}
