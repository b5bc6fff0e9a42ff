//! Catalog bytes: arbitrary bytes, and valid catalogs (the committed diagnosis and drug samples, built once)
//! with bytes overwritten by the input, the checksum resealed or not. Whatever loads is read through every
//! API (look-ups, prefixes, search, iteration, `verify`); loading and reading must never panic, and a
//! catalog that `verify` accepts must find every entry it lists by its code.
//!
//! Input: byte 0 chooses the mode (even: the rest is the catalog; odd: mutate sample `(b0 >> 1) % 2`, resealed
//! when `b0 & 4`), then up to 16 edits of 3 bytes (offset u16 into the body, scaled to its length; value),
//! then free text for codes and queries (split at 0xFF).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use preclaim::catalog::format::{checksum, CHECKSUM_AT, HEADER_LEN};
use preclaim::catalog::{build, source, Catalog, Kind};

fn samples() -> &'static [Vec<u8>; 2] {
    static S: OnceLock<[Vec<u8>; 2]> = OnceLock::new();
    S.get_or_init(|| {
        let rows = |csv: &str| source::parse_csv(csv).expect("sample parses");
        [
            build(Kind::Diagnosis, rows(include_str!("../../catalogs/diagnosis-sample.csv"))).expect("builds"),
            build(Kind::Item, rows(include_str!("../../catalogs/drugs-sample.csv"))).expect("builds"),
        ]
    })
}

fn exercise(cat: &Catalog<'_>, text: &[u8]) {
    let verified = cat.verify().is_ok();
    let info = cat.info();
    assert_eq!(info.entries as usize, cat.len());
    let mut listed = 0;
    for e in cat.iter().take(300) {
        listed += 1;
        assert!((e.ordinal as usize) < cat.len());
        if verified {
            let found = cat.get(e.code.as_str());
            assert_eq!(found, Some(e), "a verified catalog must find {}", e.code);
            assert_eq!(cat.entry_at(e.ordinal), Some(e));
            assert!(cat.prefix(e.code.as_str()).next().is_some());
        }
    }
    assert!(!verified || listed == cat.len().min(300));
    let words: Vec<String> = text
        .split(|b| *b == 0xFF)
        .take(8)
        .map(|w| String::from_utf8_lossy(w).into_owned())
        .chain(["C50", "K80.0", "X", "乳房", "breast", "mal neo", "0012"].map(String::from))
        .collect();
    for w in &words {
        let _ = cat.get(w);
        let _ = cat.contains(w);
        let _ = cat.get_or_ancestor(w);
        assert!(cat.prefix(w).take(50).all(|e| e.code.as_str().starts_with(w.as_str())));
        for limit in [1, 10] {
            let hits = cat.search(w, limit);
            assert!(hits.len() <= limit);
            assert!(hits.iter().all(|h| (h.entry.ordinal as usize) < cat.len()));
        }
    }
    let _ = cat.entry_at(u32::MAX);
    let _ = cat.entry_at(cat.len() as u32);
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    if mode % 2 == 0 {
        if let Ok(cat) = Catalog::load(rest) {
            exercise(&cat, rest.get(..64).unwrap_or(rest));
        }
        return;
    }
    let mut bytes = samples()[usize::from(mode >> 1) % 2].clone();
    let body = bytes.len() - HEADER_LEN;
    let (edits, text) = rest.split_at(rest.len().min(48) / 3 * 3);
    for e in edits.chunks_exact(3) {
        let at = HEADER_LEN + usize::from(u16::from_le_bytes([e[0], e[1]])) * body / 65_536;
        bytes[at] = e[2];
    }
    if mode & 4 != 0 {
        let (head, tail) = bytes.split_at(HEADER_LEN);
        let sum = checksum(head, tail);
        bytes[CHECKSUM_AT..CHECKSUM_AT + 4].copy_from_slice(&sum.to_le_bytes());
    }
    if let Ok(cat) = Catalog::load(&bytes) {
        exercise(&cat, text);
    }
});
