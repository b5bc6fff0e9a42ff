//! An arbitrary pack on an arbitrary claim. Input: `pack NUL claim`; seeds pair each default pack with the
//! example claims. Both locales; reports must be deterministic and well formed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use preclaim::check::Checker;
use preclaim::pack::def::Locale;

#[path = "../common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let (pack, claim) = common::split_nul(data);
    let Ok(pack) = std::str::from_utf8(pack) else { return };
    let claim = String::from_utf8_lossy(claim);
    let Ok(checker) = Checker::from_pack_texts(&[pack]) else {
        return;
    };
    common::check_twice(&checker, &claim, Locale::En);
    common::check_twice(&checker, &claim, Locale::Zh);
});
