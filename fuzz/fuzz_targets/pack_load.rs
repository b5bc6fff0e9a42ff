//! Pack loading and compiling from arbitrary bytes. A pack that compiles is linted and run on every
//! example claim (reports must be deterministic and well formed).
#![no_main]

use libfuzzer_sys::fuzz_target;
use preclaim::check::Checker;
use preclaim::pack::{self, def::Locale, lint};

#[path = "../common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(program) = pack::load_program(text) else { return };
    let _ = lint::lint(&program);
    let checker = Checker::from_programs(vec![program]);
    for claim in common::CLAIMS {
        common::check_twice(&checker, claim, Locale::En);
    }
});
