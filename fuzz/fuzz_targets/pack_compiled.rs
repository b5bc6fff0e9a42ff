//! Compiled (binary) packs from arbitrary bytes: the input as it is, and the input with its header's
//! length and checksum repaired (so that mutations reach the body decoder instead of stopping at the
//! checksum). A pack that decodes is run on every example claim (reports deterministic and well formed)
//! and encodes to bytes that decode and encode again to the same bytes. Bytes that start like a bundle
//! (the embedded defaults' form, seed: `packs/compiled/defaults.bundle`) are opened as one, resealed the
//! same way, and each of its packs decoded and run.
#![no_main]

use libfuzzer_sys::fuzz_target;
use preclaim::check::Checker;
use preclaim::pack::binary;
use preclaim::pack::def::Locale;

#[path = "../common.rs"]
mod common;

/// The input with a header whose body length and checksum match what follows it, when it starts with
/// the magic bytes, a format version and an engine version.
fn repaired(data: &[u8]) -> Option<Vec<u8>> {
    if !binary::is_compiled(data) && !data.starts_with(&binary::bundle::MAGIC) {
        return None;
    }
    let engine_len = usize::from(*data.get(binary::MAGIC.len() + 2)?);
    let head = binary::MAGIC.len() + 3 + engine_len;
    let body = data.get(head + 8..)?;
    let mut out = data.get(..head)?.to_vec();
    out.extend_from_slice(&u32::try_from(body.len()).ok()?.to_le_bytes());
    out.extend_from_slice(&preclaim::catalog::format::checksum(&[], body).to_le_bytes());
    out.extend_from_slice(body);
    Some(out)
}

/// Opens a bundle and decodes and runs each of its packs.
fn bundle(data: &[u8]) {
    let Ok(b) = binary::bundle::Bundle::open(data) else { return };
    let names: Vec<&str> = b.names().collect();
    for name in names {
        if let Ok(program) = b.decode(name) {
            run(program);
        }
    }
}

fn run(program: preclaim::pack::Program) {
    let checker = Checker::from_programs(vec![program]);
    for claim in common::CLAIMS {
        common::check_twice(&checker, claim, Locale::En);
    }
}

fuzz_target!(|data: &[u8]| {
    if data.starts_with(&binary::bundle::MAGIC) {
        bundle(data);
        if let Some(fixed) = repaired(data) {
            bundle(&fixed);
        }
        return;
    }
    let _ = binary::decode(data);
    let Some(fixed) = repaired(data) else { return };
    let Ok(program) = binary::decode(&fixed) else { return };
    // What decodes encodes, and its encoding is stable (the input itself may spell things differently:
    // unused or repeated strings, longer varints).
    let once = binary::encode(&program).expect("a decoded pack encodes");
    let again = binary::decode(&once).expect("an encoded pack decodes");
    assert_eq!(binary::encode(&again).ok(), Some(once), "encode → decode → encode changed the bytes");
    run(program);
});
