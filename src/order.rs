//! Sorting positions (indices into a slice) by a comparison, through one instantiation of the standard
//! stable sort for the whole crate: each `sort_by` with its own closure is a copy of the sort (3–4 KB of
//! WebAssembly each), and the places that sort positions (repeated keys in JSON objects and in values,
//! `distinct` and `repeats`) are all off the hot path. It does not sort anything else.

use std::cmp::Ordering;

/// Sorts `ix` by `cmp` (stable).
#[inline(never)]
pub(crate) fn sort_positions(ix: &mut [usize], cmp: &dyn Fn(usize, usize) -> Ordering) {
    ix.sort_by(|a, b| cmp(*a, *b));
}
