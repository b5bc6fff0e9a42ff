//! Duplicate detection: exact (SHA-256 of the file bytes) and near (difference hashes of the analysis luma).
//!
//! dHash: area-downscale to (n+1) × n and set one bit per horizontally adjacent pair (left brighter than
//! right). The 64-bit hash (n = 8) is the classic one; for document photos it is dominated by the page
//! layout, so a 256-bit hash (n = 16) is computed too, which separates "the same photo re-saved or resized"
//! from "another page of the same form" by a much wider margin (design §1.6). A near duplicate is either
//! hash within its threshold; it is only ever a warning.

use super::config::Config;
use super::error::QualityError;
use super::resample::{downscale, Plane};
use super::sha256::{from_hex, to_hex};
use crate::value::Value;

/// The hashes of one photo, kept with the document so later photos can be compared with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Hashes {
    /// SHA-256 of the file bytes, when known.
    pub sha256: Option<[u8; 32]>,
    /// 64-bit dHash (9×8), when the pixels were checked.
    pub dhash64: Option<u64>,
    /// 256-bit dHash (17×16), as four words, row-major, most significant first.
    pub dhash256: Option<[u64; 4]>,
}

fn bits(p: &Plane, n: usize) -> Vec<u64> {
    let small = downscale(p, (n + 1, n));
    let mut out = vec![0u64; (n * n).div_ceil(64)];
    let mut k = 0usize;
    for y in 0..small.height {
        for pair in small.row(y).windows(2) {
            if let (&[l, r], Some(word)) = (pair, out.get_mut(k / 64)) {
                *word = *word << 1 | u64::from(l > r);
            }
            k += 1;
        }
    }
    out
}

/// The 64- and 256-bit dHashes of an analysis image (which has at least 17 pixels on each side).
pub fn dhash(p: &Plane) -> (u64, [u64; 4]) {
    let h64 = bits(p, 8).first().copied().unwrap_or(0);
    let mut h256 = [0u64; 4];
    for (o, v) in h256.iter_mut().zip(bits(p, 16)) {
        *o = v;
    }
    (h64, h256)
}

/// The Hamming distance between two 256-bit hashes.
pub fn hamming256(a: &[u64; 4], b: &[u64; 4]) -> u32 {
    a.iter().zip(b).map(|(x, y)| (x ^ y).count_ones()).sum()
}

/// The Hamming distance between two 64-bit hashes.
pub fn hamming64(a: u64, b: u64) -> u32 {
    (a ^ b).count_ones()
}

impl Hashes {
    /// Hashes from hexadecimal text (64, 16 and 64 hex digits), each optional.
    pub fn from_hex(
        sha256: Option<&str>,
        dhash64: Option<&str>,
        dhash256: Option<&str>,
    ) -> Result<Hashes, QualityError> {
        let bad = |which| QualityError::BadHash { which };
        let sha256 = sha256.map(|s| from_hex::<32>(s).ok_or(bad("sha256"))).transpose()?;
        let dhash64 = dhash64
            .map(|s| from_hex::<8>(s).map(u64::from_be_bytes).ok_or(bad("dhash64")))
            .transpose()?;
        let dhash256 = dhash256
            .map(|s| {
                let b = from_hex::<32>(s).ok_or(bad("dhash256"))?;
                let mut out = [0u64; 4];
                for (o, c) in out.iter_mut().zip(b.chunks_exact(8)) {
                    let mut w = [0u8; 8];
                    w.copy_from_slice(c);
                    *o = u64::from_be_bytes(w);
                }
                Ok(out)
            })
            .transpose()?;
        Ok(Hashes {
            sha256,
            dhash64,
            dhash256,
        })
    }

    /// The hashes of a `quality.hashes` object written by [`Hashes::to_value`] (missing members are `None`).
    pub fn from_value(v: &Value) -> Result<Hashes, QualityError> {
        let s = |k| v.get(k).and_then(Value::as_str);
        Hashes::from_hex(s("sha256"), s("dhash64"), s("dhash256"))
    }

    /// `{"sha256": hex, "dhash64": hex, "dhash256": hex}` (known members only).
    pub fn to_value(&self) -> Value {
        let mut m = Vec::new();
        if let Some(h) = &self.sha256 {
            m.push(("sha256".into(), Value::str(&to_hex(h))));
        }
        if let Some(h) = self.dhash64 {
            m.push(("dhash64".into(), Value::str(&to_hex(&h.to_be_bytes()))));
        }
        if let Some(h) = &self.dhash256 {
            let bytes: Vec<u8> = h.iter().flat_map(|w| w.to_be_bytes()).collect();
            m.push(("dhash256".into(), Value::str(&to_hex(&bytes))));
        }
        Value::object(m)
    }
}

/// A match of a new photo against an earlier one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DuplicateMatch {
    /// Index of the earlier photo in the list given.
    pub index: usize,
    /// The file bytes are identical.
    pub exact: bool,
    pub distance64: Option<u32>,
    pub distance256: Option<u32>,
}

/// The best duplicate match of `new` among `earlier`: an exact (SHA-256) match first, otherwise the nearest
/// photo whose 256-bit distance ≤ `near_dup_256` or 64-bit distance ≤ `near_dup_64`.
pub fn find_duplicate(new: &Hashes, earlier: &[Hashes], cfg: &Config) -> Option<DuplicateMatch> {
    let mut best: Option<(u32, DuplicateMatch)> = None;
    for (index, e) in earlier.iter().enumerate() {
        let d64 = new.dhash64.zip(e.dhash64).map(|(a, b)| hamming64(a, b));
        let d256 = new.dhash256.zip(e.dhash256).map(|(a, b)| hamming256(&a, &b));
        let m = DuplicateMatch {
            index,
            exact: false,
            distance64: d64,
            distance256: d256,
        };
        if new.sha256.is_some() && new.sha256 == e.sha256 {
            return Some(DuplicateMatch { exact: true, ..m });
        }
        let near = d64.is_some_and(|d| f64::from(d) <= cfg.near_dup_64)
            || d256.is_some_and(|d| f64::from(d) <= cfg.near_dup_256);
        // Rank by the 256-bit distance where known (scaled 64-bit otherwise).
        let rank = d256.or(d64.map(|d| d * 4)).unwrap_or(u32::MAX);
        if near && best.is_none_or(|(r, _)| rank < r) {
            best = Some((rank, m));
        }
    }
    best.map(|(_, m)| m)
}
