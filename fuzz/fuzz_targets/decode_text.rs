//! The claim decoder straight from the text against the tree path (parse with the claim options, then
//! decode), on arbitrary bytes (seeds: examples/*.json): the same value, problems and ignored fields, or
//! the same error (message, offset, limit flag). The direct path alone may only decline (take the tree
//! path) where the tree path fails or a list limit is reached; it never gives another result.
#![no_main]

use libfuzzer_sys::fuzz_target;
use preclaim::check::CLAIM_JSON;
use preclaim::claim::decode_text::{decode_text, try_decode_text};
use preclaim::claim::{decode, Decoded};
use preclaim::json::{parse_with, write_value};

fn same(a: &Decoded, b: &Decoded) -> bool {
    a.value == b.value
        && write_value(&a.value) == write_value(&b.value)
        && a.problems == b.problems
        && a.ignored == b.ignored
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let tree = parse_with(&text, CLAIM_JSON).map(|n| decode(&n));
    match (&tree, decode_text(&text, CLAIM_JSON)) {
        (Ok(a), Ok(b)) => assert!(same(a, &b), "different decodings of {text:?}"),
        (Err(a), Err(b)) => assert_eq!(*a, b, "different errors for {text:?}"),
        (a, b) => panic!("{text:?}: tree {a:?}, direct {b:?}"),
    }
    if let Ok(b) = try_decode_text(&text, CLAIM_JSON) {
        assert!(tree.as_ref().is_ok_and(|a| same(a, &b)), "the direct path alone differs on {text:?}");
    }
});
