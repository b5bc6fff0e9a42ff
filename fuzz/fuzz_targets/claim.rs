//! Claim decoding and checking with the default packs, on arbitrary bytes (seeds: examples/*.json).
//! Reports must be deterministic and well formed in both locales.
#![no_main]

use libfuzzer_sys::fuzz_target;
use preclaim::claim::decode;
use preclaim::json;
use preclaim::pack::def::Locale;

#[path = "../common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // The decoder alone, on a permissive parse (duplicate keys allowed, lone surrogates replaced).
    let opts = json::ParseOptions {
        max_depth: 64,
        allow_duplicate_keys: true,
        replace_lone_surrogates: true,
        intern: None,
        max_values: preclaim::limits::MAX_CLAIM_VALUES,
    };
    if let Ok(node) = json::parse_with(&text, opts) {
        let d = decode(&node);
        let d2 = decode(&node);
        assert_eq!(d.problems, d2.problems);
    }
    common::check_twice(common::defaults(), &text, Locale::Zh);
    common::check_twice(common::defaults(), &text, Locale::En);
});
