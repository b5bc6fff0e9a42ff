//! Sorting positions (indices into a slice) by a comparison, through one instantiation of the standard
//! stable sort for the whole crate: each `sort_by` with its own closure is a copy of the sort (3–4 KB of
//! WebAssembly each), and the places that sort positions (repeated keys in JSON objects and in values,
//! `distinct` and `repeats`, the report's findings) sort few elements or are off the hot path; a slice is
//! sorted through its positions and then put in that order ([`permute`]).

use std::cmp::Ordering;

/// Sorts `ix` by `cmp` (stable).
#[inline(never)]
pub(crate) fn sort_positions(ix: &mut [usize], cmp: &dyn Fn(usize, usize) -> Ordering) {
    ix.sort_by(|a, b| cmp(*a, *b));
}

/// Puts `v` in the order of `ix` (a permutation of its positions): afterwards `v[i]` is the element that was
/// at `ix[i]`. In place, by swaps.
pub(crate) fn permute<T>(v: &mut [T], ix: &[usize]) {
    for i in 0..v.len() {
        // The element that belongs at `i` was at `ix[i]`; if that position is already filled, it was swapped
        // away to where that position's own element came from, and so on.
        let mut j = ix.get(i).copied().unwrap_or(i);
        while j < i {
            j = ix.get(j).copied().unwrap_or(i);
        }
        if j < v.len() {
            v.swap(i, j);
        }
    }
}

/// Sorts `v` by `cmp` (stable), through the one sort of positions.
pub(crate) fn sort_slice_by<T>(v: &mut [T], cmp: impl Fn(&T, &T) -> Ordering) {
    let mut ix: Vec<usize> = (0..v.len()).collect();
    sort_positions(&mut ix, &|a, b| match (v.get(a), v.get(b)) {
        (Some(x), Some(y)) => cmp(x, y),
        _ => Ordering::Equal,
    });
    permute(v, &ix);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_stable_sort() {
        let mut x = 0x2545_f491_4f6c_dd1d_u64;
        for n in 0..200 {
            let v: Vec<(u8, usize)> = (0..n)
                .map(|i| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    ((x % 7) as u8, i)
                })
                .collect();
            let mut ours = v.clone();
            sort_slice_by(&mut ours, |a, b| a.0.cmp(&b.0));
            let mut std = v;
            std.sort_by_key(|e| e.0);
            assert_eq!(ours, std);
        }
    }
}
