//! Form sessions (issue 13 item 5): arbitrary edits — lines `PATH=VALUE` (set) or `PATH` (unset) — applied
//! to an example claim held as a session tree. A refused edit changes nothing, the running size always
//! equals a fresh count, the tree never nests deeper than a claim may, the claim decoded edit by edit (as a
//! session's report does, `MemberCache`) is the claim decoded whole after every edit, the incremental check
//! of it (a `Memo` kept across the edits: field- and element-level reuse) is the full check byte for byte,
//! and the current claim always checks to a well-formed report (twice, the same).
#![no_main]

use libfuzzer_sys::fuzz_target;
use preclaim::check::incremental::Memo;
use preclaim::check::{parse_claim, CLAIM_JSON};
use preclaim::claim::bounded::{BoundedTree, Size};
use preclaim::claim::decode;
use preclaim::claim::members::MemberCache;
use preclaim::json::{self, JsonKind, JsonNode};
use preclaim::pack::def::Locale;

#[path = "../common.rs"]
mod common;

fn depth(n: &JsonNode) -> usize {
    let mut max = 0;
    let mut stack = vec![(n, 1usize)];
    while let Some((n, d)) = stack.pop() {
        match &n.kind {
            JsonKind::Array(a) => {
                max = max.max(d);
                stack.extend(a.iter().map(|c| (c, d + 1)));
            }
            JsonKind::Object(m) => {
                max = max.max(d);
                stack.extend(m.iter().map(|(_, _, c)| (c, d + 1)));
            }
            _ => {}
        }
    }
    max
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let base = common::CLAIMS[data.first().map_or(0, |b| usize::from(*b) % common::CLAIMS.len())];
    let Ok(root) = parse_claim(base) else { return };
    let Ok(mut tree) = BoundedTree::new(root) else { return };
    let mut cache = MemberCache::default();
    let mut memo = Memo::default();
    let first = cache.decode(tree.root());
    let _ = common::defaults().check_decoded_memo(&first, Locale::En, &mut memo);
    for (n, line) in text.lines().take(64).enumerate() {
        let before = tree.root().clone();
        let r = match line.split_once('=') {
            Some((path, value)) => tree.set(path, value, CLAIM_JSON),
            None => tree.unset(line),
        };
        if r.is_err() {
            assert_eq!(tree.root(), &before, "a refused edit changed the tree: {line:?}");
        } else {
            cache.forget(line.split_once('=').map_or(line, |(path, _)| path));
        }
        // A report after most edits, now and then after two.
        if n % 3 != 1 {
            let (whole, parts) = (decode(tree.root()), cache.decode(tree.root()));
            assert!(
                whole.value == parts.value
                    && json::write_value(&whole.value) == json::write_value(&parts.value)
                    && whole.problems == parts.problems
                    && whole.ignored == parts.ignored,
                "decoded edit by edit differently after {line:?}"
            );
            let shown = |r: Result<preclaim::check::Outcome, preclaim::check::CheckError>| match r {
                Ok(o) => format!("{}\n{}", json::write_value(&o.report), o.diagnostics.join("\n")),
                Err(e) => format!("error: {e}"),
            };
            assert_eq!(
                shown(common::defaults().check_decoded_memo(&parts, Locale::En, &mut memo)),
                shown(common::defaults().check_node(tree.root(), Locale::En)),
                "the incremental check differs from the full one after {line:?}"
            );
        }
        assert_eq!(tree.size(), Size::of(tree.root()), "running size after {line:?}");
        assert!(depth(tree.root()) <= preclaim::limits::MAX_CLAIM_DEPTH, "too deep after {line:?}");
    }
    let claim = json::write_value(&preclaim::value::Value::from_json(tree.root()));
    let a = common::defaults().check_node(tree.root(), Locale::En);
    let b = common::defaults().check_node(tree.root(), Locale::En);
    match (&a, &b) {
        (Ok(x), Ok(y)) => {
            assert_eq!(json::write_value(&x.report), json::write_value(&y.report));
            common::report_invariants(x);
        }
        (Err(x), Err(y)) => assert_eq!(x, y),
        _ => panic!("a report once and an error once"),
    }
    // The session's claim, printed, is a claim `check` reads the same way.
    common::check_twice(common::defaults(), &claim, Locale::En);
});
