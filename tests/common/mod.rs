//! Shared helpers of the integration tests: where the shared spec folder is, reading JSON files.
#![allow(dead_code, clippy::panic)]

use std::path::PathBuf;

use preclaim::json;
use preclaim::value::Value;

/// The shared folder (spec, conformance suites), from `PRECLAIM_SHARED` or `../shared`; `None` (with a loud
/// message) when it is absent.
pub fn shared_dir(what: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("PRECLAIM_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "WARNING: SKIPPING {what}: shared folder {} not found (set PRECLAIM_SHARED)",
            dir.display()
        );
        None
    }
}

pub fn read_json(path: &std::path::Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let node = json::parse_with(
        &text,
        json::ParseOptions {
            max_depth: 512,
            allow_duplicate_keys: true,
            replace_lone_surrogates: false,
            intern: None,
            max_values: usize::MAX,
        },
    )
    .unwrap_or_else(|e| panic!("{}: {}", path.display(), e.describe(&text)));
    Value::from_json(&node)
}
