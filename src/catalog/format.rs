//! The binary catalog layout (format version 2): header fields, section order, the checksum and the varint.
//!
//! Everything is little-endian and read byte by byte from slices, so a catalog can be used in place from any
//! `&[u8]` (no alignment needed). This module knows offsets and sizes only; it does not decode entries (see
//! `reader.rs`) or build them (see `builder.rs`). The full specification is docs/catalogs.md.

use super::error::CatalogError;

/// The first four bytes of every catalog.
pub const MAGIC: [u8; 4] = *b"PCAT";
/// The format version this code reads and writes.
pub const VERSION: u16 = 2;
/// Header size in bytes; the body follows.
pub const HEADER_LEN: usize = 48;
/// Entries per block (each block starts with a full code; the others are front-coded). A power of two
/// from [`ANCHOR_STRIDE`] to 64.
pub const BLOCK_SIZE: u8 = 32;
/// Every `ANCHOR_STRIDE`th entry of a block is an anchor: front-coded against the previous anchor (not the
/// previous entry), with its position in the block table, so a look-up walks the anchors and then scans
/// at most `ANCHOR_STRIDE - 1` entries.
pub const ANCHOR_STRIDE: u32 = 8;
/// Bytes per search-index bucket: first character (Unicode scalar), start in the positions (u32 each).
pub const BUCKET_LEN: u64 = 8;
/// Search lines per trigram filter (catalogs with a search index have one filter per group of lines).
pub const FILTER_LINES: u64 = 64;
/// Bytes per trigram filter (a bit set of the ASCII trigrams of its lines' search text).
pub const FILTER_LEN: u64 = 1024;
/// Longest code accepted, in bytes.
pub const MAX_CODE_LEN: usize = crate::limits::MAX_CATALOG_CODE_BYTES;
/// Most distinct self-pay-first rates one catalog may hold (a 4-bit index per entry).
pub const MAX_RATES: usize = crate::limits::MAX_CATALOG_RATES;

/// Entry flag bits (the byte after the code).
pub const F_RATE_MASK: u8 = 0x0F;
pub const F_CAP: u8 = 0x10;
pub const F_NAMES: u8 = 0x20;
pub const F_DIGITS: u8 = 0x40;
pub const F_RESERVED: u8 = 0x80;
/// Bytes per row of the names table: zh string ref, en string ref, search line start, first entry (u32 each).
pub const NAME_ROW: u64 = 16;

/// The header, decoded and checked for internal consistency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    pub version: u16,
    pub kind: u8,
    pub block_size: u8,
    pub entry_count: u32,
    pub entries_len: u32,
    pub strings_len: u32,
    pub search_len: u32,
    pub line_count: u32,
    pub rate_count: u32,
    pub bucket_count: u32,
    pub position_count: u32,
    pub body_len: u32,
    pub checksum: u32,
}

impl Header {
    /// Bytes per block in the block table: the block's offset (u32), then the offsets of its other anchors
    /// relative to the block's start (u16 each).
    pub fn block_record(block_size: u8) -> u64 {
        4 + 2 * (u64::from(block_size) / u64::from(ANCHOR_STRIDE)).saturating_sub(1)
    }
}

/// Byte ranges of the sections inside the whole catalog (header included).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Layout {
    pub rates: std::ops::Range<usize>,
    pub blocks: std::ops::Range<usize>,
    pub entries: std::ops::Range<usize>,
    pub strings: std::ops::Range<usize>,
    pub search: std::ops::Range<usize>,
    pub names: std::ops::Range<usize>,
    pub buckets: std::ops::Range<usize>,
    pub positions: std::ops::Range<usize>,
    pub filters: std::ops::Range<usize>,
}

/// The search key of a code: its first 21 bytes at 6 bits each, big-endian in a `u128` (0 pads a shorter
/// code). The byte → 6-bit map is monotonic (`.` `/` digits and capitals each keep their own value, other
/// bytes share one with their neighbours), so `key(a) < key(b)` implies `a < b`; equal keys are settled by
/// comparing the codes.
pub fn block_key(code: &[u8]) -> u128 {
    let mut padded = [0u8; 21];
    for (p, b) in padded.iter_mut().zip(code) {
        *p = *b;
    }
    // Three thirds of 42 bits, each a plain u64 fold (cheaper than 21 u128 shifts).
    let fold = |bytes: &[u8]| {
        bytes.iter().fold(0u64, |k, b| {
            k << 6 | u64::from(SIXBIT.get(usize::from(*b)).copied().unwrap_or(0))
        })
    };
    let (a, rest) = padded.split_at(7);
    let (b, c) = rest.split_at(7);
    u128::from(fold(a)) << 84 | u128::from(fold(b)) << 42 | u128::from(fold(c))
}

/// The byte → 6-bit map of [`block_key`] (0 is kept for the padding after a code's end).
#[allow(clippy::indexing_slicing)] // `b < 256` in a constant: checked at compile time
const SIXBIT: [u8; 256] = {
    let mut t = [63u8; 256];
    let mut b = 0usize;
    while b < 256 {
        let v = b as u8;
        t[b] = match v {
            0 => 0,
            1..=0x2D => 1,
            b'.' => 2,
            b'/' => 3,
            b'0'..=b'9' => v - b'0' + 4,
            0x3A..=0x40 => 14,
            b'A'..=b'Z' => v - b'A' + 15,
            0x5B..=0x60 => 41,
            b'a'..=b'z' => ((v - b'a') as u16 * 20 / 26) as u8 + 42,
            _ => 63,
        };
        b += 1;
    }
    t
};

pub fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes([*s.first()?, *s.get(1)?]))
}

pub fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    let s: [u8; 4] = b.get(at..at.checked_add(4)?)?.try_into().ok()?;
    Some(u32::from_le_bytes(s))
}

/// Reads an unsigned LEB128 varint (at most 10 bytes, no overflow); returns the value and the next position.
pub fn varint(b: &[u8], mut at: usize) -> Option<(u64, usize)> {
    let mut v = 0u64;
    for shift in (0..70).step_by(7) {
        let byte = *b.get(at)?;
        at += 1;
        let part = u64::from(byte & 0x7F);
        if shift == 63 && part > 1 {
            return None;
        }
        v |= part << shift;
        if byte & 0x80 == 0 {
            return Some((v, at));
        }
    }
    None
}

pub fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8 & 0x7F) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// FNV-1a (32-bit) in four interleaved lanes over 4-byte little-endian words (lane `i % 4` takes word `i`):
/// first the 44 header bytes before the checksum field, zero-padded to 48, then the body, zero-padded to a
/// multiple of 16; the four lane states and the body length are then hashed the same way in one lane. Lanes
/// keep the multiplies independent (8 MB in about a millisecond); any change to one word changes the result,
/// since every step is a bijection of its lane's state.
pub fn checksum(head: &[u8], body: &[u8]) -> u32 {
    const BASIS: u32 = 0x811C_9DC5;
    let mut lanes = [BASIS; 4];
    feed(&mut lanes, head.get(..CHECKSUM_AT).unwrap_or(head));
    feed(&mut lanes, body);
    let mut h = BASIS;
    for w in lanes.into_iter().chain([body.len() as u32]) {
        h = (h ^ w).wrapping_mul(FNV_PRIME);
    }
    h
}

const FNV_PRIME: u32 = 0x0100_0193;

/// Feeds `bytes` to the four lanes, 16 bytes (one word per lane) at a time, the last block zero-padded.
fn feed(lanes: &mut [u32; 4], bytes: &[u8]) {
    let mut blocks = bytes.chunks_exact(16);
    for block in &mut blocks {
        if let Ok(b) = <&[u8; 16]>::try_from(block) {
            block16(lanes, b);
        }
    }
    let rest = blocks.remainder();
    if !rest.is_empty() {
        let mut b = [0u8; 16];
        b.iter_mut().zip(rest).for_each(|(t, s)| *t = *s);
        block16(lanes, &b);
    }
}

fn block16(lanes: &mut [u32; 4], b: &[u8; 16]) {
    let [l0, l1, l2, l3] = lanes;
    let [a0, a1, a2, a3, b0, b1, b2, b3, c0, c1, c2, c3, d0, d1, d2, d3] = *b;
    *l0 = (*l0 ^ u32::from_le_bytes([a0, a1, a2, a3])).wrapping_mul(FNV_PRIME);
    *l1 = (*l1 ^ u32::from_le_bytes([b0, b1, b2, b3])).wrapping_mul(FNV_PRIME);
    *l2 = (*l2 ^ u32::from_le_bytes([c0, c1, c2, c3])).wrapping_mul(FNV_PRIME);
    *l3 = (*l3 ^ u32::from_le_bytes([d0, d1, d2, d3])).wrapping_mul(FNV_PRIME);
}

/// Offset of the checksum field (the last header field).
pub const CHECKSUM_AT: usize = 44;

impl Header {
    /// Decodes and checks the header of `bytes` and computes the section layout. Does not verify the checksum.
    pub fn parse(bytes: &[u8]) -> Result<(Header, Layout), CatalogError> {
        if bytes.len() < HEADER_LEN {
            if bytes.get(..bytes.len().min(4)) != MAGIC.get(..bytes.len().min(4)) {
                return Err(CatalogError::BadMagic);
            }
            return Err(CatalogError::Truncated {
                needed: HEADER_LEN as u64,
                got: bytes.len() as u64,
            });
        }
        if bytes.get(..4) != Some(&MAGIC[..]) {
            return Err(CatalogError::BadMagic);
        }
        let r32 = |at| u32_at(bytes, at).unwrap_or(0);
        let version = u16_at(bytes, 4).unwrap_or(0);
        if version != VERSION {
            return Err(CatalogError::UnsupportedVersion(version));
        }
        let h = Header {
            version,
            kind: bytes.get(6).copied().unwrap_or(0),
            block_size: bytes.get(7).copied().unwrap_or(0),
            entry_count: r32(8),
            entries_len: r32(12),
            strings_len: r32(16),
            search_len: r32(20),
            line_count: r32(24),
            rate_count: r32(28),
            bucket_count: r32(32),
            position_count: r32(36),
            body_len: r32(40),
            checksum: r32(44),
        };
        if h.kind != 1 && h.kind != 2 {
            return Err(CatalogError::BadKind(h.kind));
        }
        if !(ANCHOR_STRIDE as u8..=64).contains(&h.block_size) || !h.block_size.is_power_of_two() {
            return Err(CatalogError::Malformed(
                "block size must be a power of two from 8 to 64",
            ));
        }
        if h.rate_count as usize > MAX_RATES {
            return Err(CatalogError::Malformed("more than 16 rates"));
        }
        let blocks = h.entry_count.div_ceil(u32::from(h.block_size));
        // Every size in u64: a huge count cannot overflow, it just fails the length checks below.
        let sizes = [
            u64::from(h.rate_count) * 2,
            u64::from(blocks) * Header::block_record(h.block_size),
            u64::from(h.entries_len),
            u64::from(h.strings_len),
            u64::from(h.search_len),
            u64::from(h.line_count) * NAME_ROW,
            u64::from(h.bucket_count) * BUCKET_LEN,
            u64::from(h.position_count) * 4,
            if h.position_count > 0 {
                u64::from(h.line_count).div_ceil(FILTER_LINES) * FILTER_LEN
            } else {
                0
            },
        ];
        let body: u64 = sizes.iter().sum();
        if body != u64::from(h.body_len) {
            return Err(CatalogError::Malformed(
                "section sizes do not add up to the body length",
            ));
        }
        // Each entry takes at least 3 bytes (prefix byte, one code byte, flags).
        if u64::from(h.entry_count) * 3 > u64::from(h.entries_len) {
            return Err(CatalogError::Malformed("entry count too large for the entry data"));
        }
        let needed = HEADER_LEN as u64 + body;
        if (bytes.len() as u64) < needed {
            return Err(CatalogError::Truncated {
                needed,
                got: bytes.len() as u64,
            });
        }
        if (bytes.len() as u64) > needed {
            return Err(CatalogError::TrailingBytes((bytes.len() as u64) - needed));
        }
        let mut at = HEADER_LEN;
        let mut next = |len: u64| {
            let start = at;
            at = at.saturating_add(len as usize);
            start..at
        };
        let layout = Layout {
            rates: next(sizes[0]),
            blocks: next(sizes[1]),
            entries: next(sizes[2]),
            strings: next(sizes[3]),
            search: next(sizes[4]),
            names: next(sizes[5]),
            buckets: next(sizes[6]),
            positions: next(sizes[7]),
            filters: next(sizes[8]),
        };
        Ok((h, layout))
    }

    /// The 48 header bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER_LEN);
        out.extend_from_slice(&MAGIC);
        out.extend_from_slice(&self.version.to_le_bytes());
        out.push(self.kind);
        out.push(self.block_size);
        for v in [
            self.entry_count,
            self.entries_len,
            self.strings_len,
            self.search_len,
            self.line_count,
            self.rate_count,
            self.bucket_count,
            self.position_count,
            self.body_len,
            self.checksum,
        ] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out
    }
}
