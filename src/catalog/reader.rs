//! [`Catalog`]: catalog bytes checked once (header, checksum, indexes) and then read in place — exact look-up
//! by a branch-free search of the blocks' first codes (their keys decoded once at load, the only copy made),
//! then the block's anchors and at most 7 entries; prefix look-up and iteration by decoding blocks in order.
//!
//! Loading verifies the header, the checksum, the rates, the block table (and decodes each block's first
//! code) and the search index, and nothing else, so it stays O(bytes) with a small constant. It does not
//! decode the entries. Entry data that passed the checksum but was written wrong
//! (a faulty builder) decodes as "no entry" from that point: look-ups never panic and never read out of
//! bounds; [`Catalog::verify`] decodes every entry for tools and tests.

use std::borrow::Cow;
use std::cmp::Ordering;

use super::entry::{Code, Entry, ItemClass, Kind, Rate};
use super::error::CatalogError;
use super::format::{
    block_key, checksum, u16_at, u32_at, varint, Header, Layout, ANCHOR_STRIDE, FILTER_LEN, F_CAP, F_DIGITS, F_NAMES,
    F_RATE_MASK, F_RESERVED, MAX_CODE_LEN, MAX_RATES,
};

/// A loaded catalog, borrowing its bytes (`Catalog<'a>`) or owning them (`Catalog<'static>` from a `Vec`).
#[derive(Clone)]
pub struct Catalog<'a> {
    bytes: Cow<'a, [u8]>,
    kind: Kind,
    count: u32,
    block_size: u32,
    /// Bytes per block in the block table ([`Header::block_record`]).
    block_record: usize,
    layout: Layout,
    rates: [Rate; MAX_RATES],
    rate_count: usize,
    line_count: u32,
    /// The block keys, decoded once at load (see [`Catalog::seek`]).
    keys: Vec<u128>,
    /// Every [`TOP_STRIDE`]th block key: a small first level that stays in cache.
    top: Vec<u128>,
}

impl std::fmt::Debug for Catalog<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalog")
            .field("kind", &self.kind)
            .field("entries", &self.count)
            .field("bytes", &self.bytes.len())
            .finish_non_exhaustive()
    }
}

/// Block keys per entry of the first-level index.
const TOP_STRIDE: usize = 16;

/// The number of `n` sorted items `at(i)` that are ≤ `key`: halving with the step chosen by a mask, not a
/// branch (no mispredictions).
#[inline(always)]
fn upper_bound(n: usize, key: u128, at: impl Fn(usize) -> u128) -> usize {
    if n == 0 {
        return 0;
    }
    let (mut base, mut len) = (0usize, n);
    while len > 1 {
        let half = len / 2;
        base += half & usize::from(at(base + half) <= key).wrapping_neg();
        len -= half;
    }
    base + usize::from(at(base) <= key)
}

/// Summary of a catalog (for `preclaim catalog info` and the JS API).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Info {
    pub kind: Kind,
    pub version: u16,
    pub entries: u32,
    pub bytes: usize,
    /// Searchable names (one per entry of a diagnosis catalog, one per run of equal names in item catalogs).
    pub names: u32,
    pub rates: Vec<Rate>,
    pub string_bytes: usize,
    pub search_bytes: usize,
}

/// An entry as stored: code decoded, names still as string-table references.
#[derive(Clone, Copy)]
pub(crate) struct Raw {
    pub ordinal: u32,
    pub code: Code,
    pub class: Option<ItemClass>,
    pub rate: Rate,
    pub cap: Option<i64>,
    /// Name-pair id + 1 (0: no names).
    pub names: u64,
}

/// Sequential decoder over the entry data, from a block start onwards.
#[derive(Clone)]
pub(crate) struct Cursor<'c> {
    cat: &'c Catalog<'c>,
    data: &'c [u8],
    pos: usize,
    ordinal: u32,
    code: Code,
    /// The code of the last anchor (the next anchor is front-coded against it).
    anchor: Code,
    names: u64,
}

impl<'c> Cursor<'c> {
    /// Decodes the next entry; `None` at the end or on malformed data.
    pub fn next_raw(&mut self) -> Option<Raw> {
        if self.ordinal >= self.cat.count {
            return None;
        }
        let in_block = self.ordinal & (self.cat.block_size - 1);
        let at_anchor = in_block.is_multiple_of(ANCHOR_STRIDE);
        if at_anchor {
            let block = self.ordinal / self.cat.block_size;
            if self.cat.anchor_offset(block, in_block / ANCHOR_STRIDE)? != self.pos {
                return None;
            }
            self.code = if in_block == 0 { Code::EMPTY } else { self.anchor };
            self.names = 0;
        }
        let b0 = *self.data.get(self.pos)?;
        let flags = *self.data.get(self.pos + 1)?;
        let shared = b0 & 0x3F;
        if shared > self.code.len || flags & F_RESERVED != 0 {
            return None;
        }
        // The byte after the shared prefix in the code this one is front-coded against (look-ups rely on
        // the shared prefix being the longest: this code must differ there).
        let diverges = (shared < self.code.len).then(|| self.code.buf.get(usize::from(shared)).copied());
        let mut len = usize::from(shared);
        let mut pos = self.pos + 2;
        if flags & F_DIGITS != 0 {
            'digits: loop {
                let b = *self.data.get(pos)?;
                pos += 1;
                for n in [b >> 4, b & 0xF] {
                    match n {
                        0xF => break 'digits,
                        0..=9 => {
                            *self.code.buf.get_mut(len)? = b'0' + n;
                            len += 1;
                        }
                        _ => return None,
                    }
                }
            }
        } else {
            loop {
                let b = *self.data.get(pos)?;
                pos += 1;
                *self.code.buf.get_mut(len)? = b & 0x7F;
                len += 1;
                if b & 0x80 != 0 {
                    break;
                }
            }
        }
        if len == usize::from(shared) || diverges.is_some_and(|d| d == self.code.buf.get(usize::from(shared)).copied())
        {
            return None;
        }
        self.code.len = len as u8;
        if at_anchor {
            self.anchor = self.code;
        }
        let class = match self.cat.kind {
            Kind::Diagnosis if b0 >> 6 == 0 => None,
            Kind::Item => Some(ItemClass::from_bits(b0 >> 6)?),
            Kind::Diagnosis => return None,
        };
        let rate = *self
            .cat
            .rates
            .get(..self.cat.rate_count)?
            .get(usize::from(flags & F_RATE_MASK))?;
        let mut cap = None;
        if flags & F_CAP != 0 {
            let (v, p) = varint(self.data, pos)?;
            cap = Some(i64::try_from(v).ok()?);
            pos = p;
        }
        if flags & F_NAMES != 0 {
            let (id, p) = varint(self.data, pos)?;
            if id > u64::from(self.cat.line_count) {
                return None;
            }
            self.names = id;
            pos = p;
        }
        self.pos = pos;
        let raw = Raw {
            ordinal: self.ordinal,
            code: self.code,
            class,
            rate,
            cap,
            names: self.names,
        };
        self.ordinal += 1;
        Some(raw)
    }
}

/// The code looked up, zero-padded so that eight bytes can be read at any position up to its maximum length
/// (a zero sorts before every code byte: a longer code with the same start is greater).
pub(crate) struct Target {
    bytes: [u8; MAX_CODE_LEN + 16],
    len: usize,
}

impl Target {
    fn new(code: &[u8]) -> Option<Target> {
        let mut bytes = [0u8; MAX_CODE_LEN + 16];
        bytes.get_mut(..code.len())?.copy_from_slice(code);
        (code.len() <= MAX_CODE_LEN).then_some(Target { bytes, len: code.len() })
    }

    #[inline(always)]
    fn byte(&self, k: usize) -> u8 {
        self.bytes.get(k).copied().unwrap_or(0)
    }

    #[inline(always)]
    fn word(&self, k: usize) -> u64 {
        word_at(&self.bytes, k).unwrap_or(0)
    }

    fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or(&[])
    }
}

/// Compares an ASCII suffix at `*at` (the code's bytes from `*k`) with the target, eight bytes at a time;
/// moves `*at` past the suffix and `*k` past the bytes that matched, `*m` to the first difference.
#[inline(always)]
fn cmp_ascii(data: &[u8], at: &mut usize, k: &mut usize, m: &mut usize, t: &Target) -> Option<Ordering> {
    loop {
        let Some(w) = word_at(data, *at) else {
            return cmp_ascii_bytes(data, at, k, m, t);
        };
        let end = w & HI;
        let n = if end == 0 {
            8
        } else {
            (end.trailing_zeros() / 8) as usize + 1
        };
        let (c, tw) = (w & !HI, t.word(*k));
        let diff = (c ^ tw) & if n == 8 { u64::MAX } else { (1u64 << (8 * n)) - 1 };
        if diff != 0 {
            let j = (diff.trailing_zeros() / 8) as usize;
            let less = (c >> (8 * j)) as u8 & 0x7F < (tw >> (8 * j)) as u8;
            *m = *k + j;
            *at = if end != 0 {
                *at + n
            } else {
                skip_to(data, *at + 8, End::HighBit)?
            };
            return Some(if less { Ordering::Less } else { Ordering::Greater });
        }
        *k += n;
        *at += n;
        if *k > MAX_CODE_LEN {
            return None;
        }
        if end != 0 {
            return Some(Ordering::Equal);
        }
    }
}

/// [`cmp_ascii`] a byte at a time (within eight bytes of the end of the data).
fn cmp_ascii_bytes(data: &[u8], at: &mut usize, k: &mut usize, m: &mut usize, t: &Target) -> Option<Ordering> {
    let mut order = Ordering::Equal;
    loop {
        let b = *data.get(*at)?;
        *at += 1;
        if order == Ordering::Equal {
            let (c, tb) = (b & 0x7F, t.byte(*k));
            if c == tb {
                *k += 1;
                if *k > MAX_CODE_LEN {
                    return None;
                }
            } else {
                *m = *k;
                order = if c < tb { Ordering::Less } else { Ordering::Greater };
            }
        }
        if b & 0x80 != 0 {
            return Some(order);
        }
    }
}

/// [`cmp_ascii`] for a packed-digit suffix, a digit at a time.
#[inline(always)]
fn cmp_digits(data: &[u8], at: &mut usize, k: &mut usize, m: &mut usize, t: &Target) -> Option<Ordering> {
    loop {
        let b = *data.get(*at)?;
        *at += 1;
        // The high digit, then the low one; a nibble F ends the suffix (in this byte).
        let (hi, lo) = (b >> 4, b & 0xF);
        if hi == 0xF {
            return Some(Ordering::Equal);
        }
        if let Some(order) = digit(hi, k, m, t)? {
            if lo != 0xF {
                *at = skip_to(data, *at, End::NibbleF)?;
            }
            return Some(order);
        }
        if lo == 0xF {
            return Some(Ordering::Equal);
        }
        if let Some(order) = digit(lo, k, m, t)? {
            *at = skip_to(data, *at, End::NibbleF)?;
            return Some(order);
        }
    }
}

/// One digit nibble `n` of a packed suffix against target byte `*k`: `Some(Some(order))` at the first
/// difference, `Some(None)` when equal, `None` when malformed.
#[inline(always)]
fn digit(n: u8, k: &mut usize, m: &mut usize, t: &Target) -> Option<Option<Ordering>> {
    if n > 9 || *k >= MAX_CODE_LEN {
        return None;
    }
    let (c, tb) = (b'0' + n, t.byte(*k));
    if c != tb {
        *m = *k;
        return Some(Some(if c < tb { Ordering::Less } else { Ordering::Greater }));
    }
    *k += 1;
    Some(None)
}

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;
const NIBBLES: u64 = 0x0F0F_0F0F_0F0F_0F0F;

/// The 8 bytes at `at` as a little-endian word (`None` within 8 bytes of the end).
#[inline(always)]
fn word_at(data: &[u8], at: usize) -> Option<u64> {
    let w: [u8; 8] = data.get(at..at.checked_add(8)?)?.try_into().ok()?;
    Some(u64::from_le_bytes(w))
}

/// High bit set in each byte of `x` that is zero, up to and including the first one (SWAR).
#[inline(always)]
fn zero_bytes(x: u64) -> u64 {
    x.wrapping_sub(LO) & !x & HI
}

/// The field ends of [`skip_to`]: an ASCII suffix, a packed-digit suffix, a varint.
#[derive(Clone, Copy)]
enum End {
    HighBit,
    NibbleF,
    Varint,
}

/// High bit set in each byte of `w` (up to the first such byte) that ends a field of the given kind.
#[inline(always)]
fn end_mask(w: u64, end: End) -> u64 {
    match end {
        End::HighBit => w & HI,
        End::NibbleF => zero_bytes((w & NIBBLES) ^ NIBBLES) | zero_bytes(((w >> 4) & NIBBLES) ^ NIBBLES),
        End::Varint => !w & HI,
    }
}

/// The position after the field at `at`: eight bytes at a time, byte by byte near the end of the data.
#[inline(always)]
fn skip_to(data: &[u8], at: usize, end: End) -> Option<usize> {
    if let Some(m) = word_at(data, at).map(|w| end_mask(w, end)).filter(|m| *m != 0) {
        return Some(at + (m.trailing_zeros() / 8) as usize + 1);
    }
    let mut at = at;
    loop {
        let b = u64::from(*data.get(at)?);
        at += 1;
        if end_mask(b, end) & 0x80 != 0 {
            return Some(at);
        }
    }
}

/// End of a code suffix: ASCII ends at the byte with the high bit; packed digits at the byte with a nibble F.
#[inline(always)]
fn skip_suffix(data: &[u8], at: usize, digits: bool) -> Option<usize> {
    skip_to(data, at, if digits { End::NibbleF } else { End::HighBit })
}

/// Skips the rest of an entry (from its suffix) with the three field ends found in 8-byte words and no
/// data-dependent branches; `None` when a field is longer than a word or near the end of the data (the
/// caller then takes the byte-by-byte path). Returns the entry's end and where its names reference is.
#[inline(always)]
fn skip_fast(data: &[u8], at: usize, flags: u8) -> Option<(usize, Option<usize>)> {
    let len = |m: u64| (m.trailing_zeros() / 8) as usize + 1;
    let w = word_at(data, at)?;
    let digits = u64::from(flags & F_DIGITS != 0).wrapping_neg();
    let m = (end_mask(w, End::NibbleF) & digits) | (end_mask(w, End::HighBit) & !digits);
    if m == 0 {
        return None;
    }
    let at = at + len(m);
    let cap = end_mask(word_at(data, at)?, End::Varint);
    let at = at + len(cap) * usize::from(flags & F_CAP != 0 && cap != 0);
    let names = end_mask(word_at(data, at)?, End::Varint);
    let has_names = flags & F_NAMES != 0;
    if (flags & F_CAP != 0 && cap == 0) || (has_names && names == 0) {
        return None;
    }
    Some((at + len(names) * usize::from(has_names), has_names.then_some(at)))
}

/// End of a LEB128 varint: the first byte without the high bit.
#[inline(always)]
fn skip_varint(data: &[u8], at: usize) -> Option<usize> {
    skip_to(data, at, End::Varint)
}

/// What [`step`] found out about one entry.
enum Step {
    /// The entry's code is less than the target.
    Less,
    /// The entry is the target: its first byte, flags and price cap.
    Found(u8, u8, Option<i64>),
    /// The entry's code is greater than the target (and so are all after it), or the data is malformed.
    Stop,
}

/// Compares the entry at `*pos` with `target` and moves `*pos` past it, without materialising its code.
/// `*m` is how many leading bytes the entry it is front-coded against shares with `target` (that entry being
/// less than the target). An entry that shares more than `*m` with it is less than the target and is
/// skipped eight bytes at a time; one that shares exactly `*m` is compared from there (updating `*m`).
/// `*names_at` records where the entry's names reference starts, if it has one.
#[inline(always)]
fn step(data: &[u8], pos: &mut usize, m: &mut usize, names_at: &mut Option<usize>, target: &Target) -> Step {
    step_inner(data, pos, m, names_at, target).unwrap_or(Step::Stop)
}

#[inline(always)]
fn step_inner(
    data: &[u8],
    pos: &mut usize,
    m: &mut usize,
    names_at: &mut Option<usize>,
    target: &Target,
) -> Option<Step> {
    let (b0, flags) = (*data.get(*pos)?, *data.get(*pos + 1)?);
    let shared = usize::from(b0 & 0x3F);
    if shared < *m || flags & F_RESERVED != 0 {
        return Some(Step::Stop);
    }
    let mut at = *pos + 2;
    let mut state = Ordering::Less;
    let mut k = shared;
    if shared > *m {
        if let Some((end, names)) = skip_fast(data, at, flags) {
            *pos = end;
            *names_at = names.or(*names_at);
            return Some(Step::Less);
        }
        at = skip_suffix(data, at, flags & F_DIGITS != 0)?;
    } else {
        // Shares exactly `m` with the target: compare the suffix from there.
        state = if flags & F_DIGITS != 0 {
            cmp_digits(data, &mut at, &mut k, m, target)?
        } else {
            cmp_ascii(data, &mut at, &mut k, m, target)?
        };
        if state == Ordering::Greater {
            return Some(Step::Stop);
        }
    }
    let mut cap = None;
    if flags & F_CAP != 0 {
        if state == Ordering::Equal {
            let (v, p) = varint(data, at)?;
            cap = Some(i64::try_from(v).ok()?);
            at = p;
        } else {
            at = skip_varint(data, at)?;
        }
    }
    if flags & F_NAMES != 0 {
        *names_at = Some(at);
        at = skip_varint(data, at)?;
    }
    *pos = at;
    if state == Ordering::Equal {
        if k == target.len {
            return Some(Step::Found(b0, flags, cap));
        }
        *m = k; // this code is a proper prefix of the target
    }
    Some(Step::Less)
}

impl Cursor<'_> {
    /// From a block start, the entry whose code is `target`: first the block's anchors (every
    /// [`ANCHOR_STRIDE`]th entry, each front-coded against the previous one) to find the last one not
    /// greater than the target, then the entries after it up to the next anchor.
    pub fn find_exact(&mut self, target: &[u8]) -> Option<Raw> {
        let target = &Target::new(target)?;
        let cat = self.cat;
        let block = self.ordinal / cat.block_size;
        let end = self.ordinal.checked_add(cat.block_size)?.min(cat.count);
        if self.ordinal >= end || cat.block_offset(block)? != self.pos {
            return None;
        }
        let data = self.data;
        let (mut pos, mut m, mut names_at) = (self.pos, 0usize, None::<usize>);
        // The anchors. `sub` is the last one found less than the target; `pos` is just after it.
        let mut sub = None;
        let mut found = None;
        for a in 0..cat.block_size / ANCHOR_STRIDE {
            let ordinal = self.ordinal + a * ANCHOR_STRIDE;
            if ordinal >= end {
                break;
            }
            let (mut p, mut m2, mut n2) = (cat.anchor_offset(block, a)?, m, None);
            match step(data, &mut p, &mut m2, &mut n2, target) {
                Step::Less => (pos, m, names_at, sub) = (p, m2, n2, Some(a)),
                Step::Found(b0, flags, cap) => {
                    found = Some((ordinal, b0, flags, cap, n2));
                    break;
                }
                Step::Stop => break,
            }
        }
        if let (None, Some(sub)) = (found, sub) {
            // The entries after anchor `sub`, up to the next anchor.
            let first = self.ordinal + sub * ANCHOR_STRIDE + 1;
            let stop = (self.ordinal + (sub + 1) * ANCHOR_STRIDE).min(end);
            for ordinal in first..stop {
                match step(data, &mut pos, &mut m, &mut names_at, target) {
                    Step::Less => {}
                    Step::Found(b0, flags, cap) => {
                        found = Some((ordinal, b0, flags, cap, names_at));
                        break;
                    }
                    Step::Stop => break,
                }
            }
        }
        let (ordinal, b0, flags, cap, names_at) = found?;
        let class = match cat.kind {
            Kind::Diagnosis if b0 >> 6 == 0 => None,
            Kind::Item => Some(ItemClass::from_bits(b0 >> 6)?),
            Kind::Diagnosis => return None,
        };
        let names = match names_at {
            Some(at) => varint(data, at)?.0,
            None => 0,
        };
        Some(Raw {
            ordinal,
            code: code_of_bytes(target.as_bytes())?,
            class,
            rate: *cat.rates.get(..cat.rate_count)?.get(usize::from(flags & F_RATE_MASK))?,
            cap,
            names,
        })
    }
}

/// Entries in code order (all of them, or those under a prefix).
pub struct Entries<'c> {
    cursor: Cursor<'c>,
    prefix: Code,
    pending: Option<Raw>,
}

impl<'c> Iterator for Entries<'c> {
    type Item = Entry<'c>;

    fn next(&mut self) -> Option<Entry<'c>> {
        let raw = match self.pending.take() {
            Some(r) => r,
            None => self.cursor.next_raw()?,
        };
        if !raw.code.as_bytes().starts_with(self.prefix.as_bytes()) {
            self.cursor.ordinal = self.cursor.cat.count; // past the prefix: stop for good
            return None;
        }
        Some(self.cursor.cat.resolve(&raw))
    }
}

/// The code of a block's first entry (shared prefix 0), decoded at `pos` of the entry data.
fn first_code(data: &[u8], pos: usize) -> Option<Code> {
    let (b0, flags) = (*data.get(pos)?, *data.get(pos + 1)?);
    if b0 & 0x3F != 0 {
        return None;
    }
    let mut code = Code::EMPTY;
    let mut len = 0usize;
    let mut at = pos + 2;
    if flags & F_DIGITS != 0 {
        loop {
            let b = *data.get(at)?;
            at += 1;
            let (hi, lo) = (b >> 4, b & 0xF);
            if hi > 9 || lo > 9 {
                // An F nibble ends the suffix; other values above 9 are malformed.
                if hi == 0xF || (hi <= 9 && lo == 0xF) {
                    if hi <= 9 {
                        *code.buf.get_mut(len)? = b'0' + hi;
                        len += 1;
                    }
                    break;
                }
                return None;
            }
            *code.buf.get_mut(len)? = b'0' + hi;
            *code.buf.get_mut(len + 1)? = b'0' + lo;
            len += 2;
        }
    } else {
        loop {
            let b = *data.get(at)?;
            at += 1;
            *code.buf.get_mut(len)? = b & 0x7F;
            len += 1;
            if b & 0x80 != 0 {
                break;
            }
        }
    }
    code.len = u8::try_from(len).ok().filter(|l| *l > 0)?;
    Some(code)
}

fn code_of(s: &str) -> Option<Code> {
    code_of_bytes(s.as_bytes())
}

fn code_of_bytes(b: &[u8]) -> Option<Code> {
    let mut c = Code::EMPTY;
    c.buf.get_mut(..b.len())?.copy_from_slice(b);
    c.len = b.len() as u8;
    Some(c)
}

impl<'a> Catalog<'a> {
    /// Checks `bytes` and reads the catalog in place (no copy).
    ///
    /// ```
    /// use preclaim::catalog::{Catalog, CatalogError};
    /// assert_eq!(Catalog::load(b"PCAT").unwrap_err().code(), "E_CATALOG_TRUNCATED");
    /// assert_eq!(Catalog::load(b"not a catalog at all, not a catalog at all").unwrap_err(), CatalogError::BadMagic);
    /// ```
    pub fn load(bytes: &'a [u8]) -> Result<Catalog<'a>, CatalogError> {
        Catalog::open(Cow::Borrowed(bytes))
    }

    fn open(bytes: Cow<'a, [u8]>) -> Result<Catalog<'a>, CatalogError> {
        let (h, layout) = Header::parse(&bytes)?;
        let kind = Kind::from_byte(h.kind).ok_or(CatalogError::BadKind(h.kind))?;
        let sec = |r: &std::ops::Range<usize>| bytes.get(r.clone()).unwrap_or(&[]);
        let (head, body) = bytes.split_at_checked(super::format::HEADER_LEN).unwrap_or((&[], &[]));
        let computed = checksum(head, body);
        if computed != h.checksum {
            return Err(CatalogError::Checksum {
                stored: h.checksum,
                computed,
            });
        }
        let mut rates = [Rate(0); MAX_RATES];
        for (i, r) in rates.iter_mut().enumerate().take(h.rate_count as usize) {
            let v = u16_at(sec(&layout.rates), i * 2).unwrap_or(u16::MAX);
            if v > 10_000 {
                return Err(CatalogError::Malformed("self-pay-first rate above 1"));
            }
            *r = Rate(v);
        }
        if h.entry_count > 0 && h.rate_count == 0 {
            return Err(CatalogError::Malformed("entries but no rate table"));
        }
        // The block table: offsets in order, anchors in order inside their block; each block's first code
        // decoded into the in-memory key index (keys in order).
        let record = Header::block_record(h.block_size) as usize;
        let entries = sec(&layout.entries);
        let blocks = sec(&layout.blocks);
        let block_count = blocks.len() / record.max(1);
        let mut keys = Vec::with_capacity(block_count);
        let mut prev_key = 0u128;
        for b in 0..block_count {
            let at = b * record;
            let start = u32_at(blocks, at).unwrap_or(u32::MAX);
            let next = u32_at(blocks, at + record).unwrap_or(h.entries_len);
            if (b == 0 && start != 0) || start >= next || next > h.entries_len {
                return Err(CatalogError::Malformed("block index out of order"));
            }
            let mut last = 0u32;
            for a in 1..u32::from(h.block_size) / ANCHOR_STRIDE {
                let ordinal = (b as u64) * u64::from(h.block_size) + u64::from(a * ANCHOR_STRIDE);
                if ordinal >= u64::from(h.entry_count) {
                    break;
                }
                let rel = u32::from(u16_at(blocks, at + 2 + 2 * a as usize).unwrap_or(0));
                if rel <= last || start + rel >= next {
                    return Err(CatalogError::Malformed("block anchors out of order"));
                }
                last = rel;
            }
            let key = first_code(entries, start as usize)
                .map(|c| block_key(c.as_bytes()))
                .ok_or(CatalogError::Malformed("a block's first entry cannot be decoded"))?;
            if key < prev_key {
                return Err(CatalogError::Malformed("blocks out of order"));
            }
            prev_key = key;
            keys.push(key);
        }
        let top = keys.iter().step_by(TOP_STRIDE).copied().collect();
        let search = sec(&layout.search);
        if std::str::from_utf8(search).is_err() {
            return Err(CatalogError::Malformed("search text is not UTF-8"));
        }
        let mut prev_start = None::<u32>;
        for c in sec(&layout.names).chunks_exact(16) {
            let (start, ord) = (u32_at(c, 8).unwrap_or(u32::MAX), u32_at(c, 12).unwrap_or(u32::MAX));
            let ok = start as usize <= search.len()
                && ord < h.entry_count
                && prev_start.is_none_or(|p| start > p)
                && (start == 0 || search.get(start as usize - 1) == Some(&b'\n'));
            if !ok {
                return Err(CatalogError::Malformed("names table out of order"));
            }
            prev_start = Some(start);
        }
        let buckets = sec(&layout.buckets);
        let mut prev = None::<(u32, u32)>;
        for c in buckets.chunks_exact(8) {
            let (ch, start) = (u32_at(c, 0).unwrap_or(u32::MAX), u32_at(c, 4).unwrap_or(u32::MAX));
            let ok = char::from_u32(ch).is_some()
                && start < h.position_count
                && match prev {
                    None => start == 0,
                    Some((pc, ps)) => ch > pc && start > ps,
                };
            if !ok {
                return Err(CatalogError::Malformed("search index out of order"));
            }
            prev = Some((ch, start));
        }
        if h.position_count > 0 && buckets.is_empty() {
            return Err(CatalogError::Malformed("search index without buckets"));
        }
        if !search.is_empty() && search.last() != Some(&b'\n') {
            return Err(CatalogError::Malformed("search text does not end a line"));
        }
        Ok(Catalog {
            bytes,
            kind,
            count: h.entry_count,
            block_size: u32::from(h.block_size),
            block_record: record,
            layout,
            rates,
            rate_count: h.rate_count as usize,
            line_count: h.line_count,
            keys,
            top,
        })
    }

    /// The kind of catalog.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.count as usize
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The catalog bytes (borrowed or owned).
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    pub fn info(&self) -> Info {
        Info {
            kind: self.kind,
            version: super::format::VERSION,
            entries: self.count,
            bytes: self.bytes.len(),
            names: self.line_count,
            rates: self.rates.iter().take(self.rate_count).copied().collect(),
            string_bytes: self.layout.strings.len(),
            search_bytes: self.layout.search.len(),
        }
    }

    pub(crate) fn section(&self, r: &std::ops::Range<usize>) -> &[u8] {
        self.bytes.get(r.clone()).unwrap_or(&[])
    }

    /// The search text (checked to be UTF-8 when loading; lines are split at `\n`, so each is UTF-8 too).
    pub(crate) fn search_text(&self) -> &[u8] {
        self.section(&self.layout.search)
    }

    /// (search line start, first entry ordinal) of name pair `i`, which is also search line `i`.
    pub(crate) fn line(&self, i: usize) -> Option<(usize, u32)> {
        let s = self.section(&self.layout.names);
        let at = i.checked_mul(16)?;
        Some((u32_at(s, at + 8)? as usize, u32_at(s, at + 12)?))
    }

    /// The search line holding text position `at`: (start, end before its `\n`, first entry ordinal).
    pub(crate) fn line_at(&self, at: usize) -> Option<(usize, usize, u32)> {
        let (mut lo, mut hi) = (0usize, self.line_count as usize);
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if self.line(mid)?.0 <= at {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        let (start, ordinal) = self.line(lo)?;
        let next = self.line(lo + 1).map_or(self.search_text().len(), |l| l.0);
        (start <= at && at < next).then_some((start, next.saturating_sub(1), ordinal))
    }

    /// Number of search lines (name rows).
    pub(crate) fn line_count(&self) -> u32 {
        self.line_count
    }

    /// The trigram filter of the `g`th group of [`super::format::FILTER_LINES`] search lines (empty without an index).
    pub(crate) fn trigram_filter(&self, g: usize) -> &[u8] {
        let len = FILTER_LEN as usize;
        let f = self.section(&self.layout.filters);
        g.checked_mul(len).and_then(|at| f.get(at..at + len)).unwrap_or(&[])
    }

    /// Whether the catalog has a search index.
    pub(crate) fn has_index(&self) -> bool {
        !self.layout.positions.is_empty()
    }

    /// The range of search-index positions whose text starts with `c`.
    pub(crate) fn index_bucket(&self, c: char) -> Option<(usize, usize)> {
        let table = self.section(&self.layout.buckets);
        let n = table.len() / 8;
        let ch = |i: usize| u32_at(table, i * 8);
        let (mut lo, mut hi) = (0usize, n);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if ch(mid)? < c as u32 {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if ch(lo)? != c as u32 {
            return None;
        }
        let start = u32_at(table, lo * 8 + 4)? as usize;
        let end = u32_at(table, (lo + 1) * 8 + 4).map_or(self.layout.positions.len() / 4, |e| e as usize);
        Some((start, end))
    }

    /// Search-index position `i` (a byte offset into the search text).
    pub(crate) fn index_position(&self, i: usize) -> Option<usize> {
        u32_at(self.section(&self.layout.positions), i.checked_mul(4)?).map(|p| p as usize)
    }

    /// The (zh, en) names of name-pair id + 1 `id`.
    fn names(&self, id: u64) -> (Option<&str>, Option<&str>) {
        let row = usize::try_from(id)
            .ok()
            .and_then(|i| i.checked_sub(1)?.checked_mul(16))
            .and_then(|at| self.section(&self.layout.names).get(at..at + 8));
        let Some(row) = row else { return (None, None) };
        let get = |at| u32_at(row, at).and_then(|r| self.string(u64::from(r)));
        (get(0), get(4))
    }

    fn key(&self, block: u32) -> u128 {
        self.keys.get(block as usize).copied().unwrap_or(u128::MAX)
    }

    #[inline(always)]
    fn block_offset(&self, block: u32) -> Option<usize> {
        let at = (block as usize).checked_mul(self.block_record)?;
        u32_at(self.section(&self.layout.blocks), at).map(|v| v as usize)
    }

    /// Where anchor `a` of `block` starts in the entry data (anchor 0 is the block's first entry).
    #[inline(always)]
    fn anchor_offset(&self, block: u32, a: u32) -> Option<usize> {
        let at = (block as usize).checked_mul(self.block_record)?;
        let table = self.section(&self.layout.blocks);
        let start = u32_at(table, at)? as usize;
        if a == 0 {
            return Some(start);
        }
        Some(start + usize::from(u16_at(table, at + 2 + 2 * a as usize)?))
    }

    /// Compares the first code of `block` with `target`.
    fn cmp_first(&self, block: u32, target: &[u8]) -> Ordering {
        match self.cursor_at(block.saturating_mul(self.block_size)).next_raw() {
            Some(raw) => raw.code.as_bytes().cmp(target),
            None => Ordering::Greater,
        }
    }

    /// A cursor at the block that would hold `target` (the last block whose first code is ≤ target): a
    /// branch-free search of the small first level, then of its [`TOP_STRIDE`] block keys; blocks whose key
    /// equals the target's (codes equal in their first 21 bytes) are settled by decoding their first code.
    fn seek(&self, target: &[u8]) -> Cursor<'_> {
        let key = block_key(target);
        let group = upper_bound(self.top.len(), key, |i| self.top.get(i).copied().unwrap_or(u128::MAX));
        let lo = group.saturating_sub(1) * TOP_STRIDE;
        // The group's keys are counted, not searched: independent loads, so their cache misses overlap.
        let in_group = self.keys.get(lo..).unwrap_or(&[]).iter().take(TOP_STRIDE);
        let below = in_group.fold(0usize, |n, k| n + usize::from(*k <= key));
        let mut block = (lo + below).saturating_sub(1) as u32;
        while block > 0 && self.key(block) == key && self.cmp_first(block, target) == Ordering::Greater {
            block -= 1;
        }
        self.cursor_at(block.saturating_mul(self.block_size))
    }

    pub(crate) fn cursor_at(&self, ordinal: u32) -> Cursor<'_> {
        let block = ordinal / self.block_size.max(1);
        Cursor {
            cat: self,
            data: self.section(&self.layout.entries),
            pos: self.block_offset(block).unwrap_or(usize::MAX),
            ordinal: block * self.block_size,
            code: Code::EMPTY,
            anchor: Code::EMPTY,
            names: 0,
        }
    }

    fn string(&self, reference: u64) -> Option<&str> {
        let at = usize::try_from(reference.checked_sub(1)?).ok()?;
        let s = self.section(&self.layout.strings);
        let (len, start) = varint(s, at)?;
        let end = start.checked_add(usize::try_from(len).ok()?)?;
        std::str::from_utf8(s.get(start..end)?).ok()
    }

    pub(crate) fn resolve(&self, r: &Raw) -> Entry<'_> {
        let (name_zh, name_en) = self.names(r.names);
        Entry {
            ordinal: r.ordinal,
            code: r.code,
            name_zh,
            name_en,
            class: r.class,
            self_pay_rate: r.rate,
            price_cap_fen: r.cap,
        }
    }

    /// The entry with exactly this code.
    ///
    /// ```
    /// use preclaim::catalog::{build, Catalog, Kind, Row};
    /// let row = |c: &str, en: &str| Row { code: c.into(), name_en: Some(en.into()), ..Row::default() };
    /// let bytes = build(Kind::Diagnosis, vec![row("C50.9", "Breast, unspecified"), row("C50", "Malignant neoplasm of breast")])?;
    /// let cat = Catalog::load(&bytes)?;
    /// assert_eq!(cat.get("C50.9").and_then(|e| e.name_en), Some("Breast, unspecified"));
    /// assert!(cat.get("C50.1").is_none());
    /// assert_eq!(cat.prefix("C50").map(|e| e.code.to_string()).collect::<Vec<_>>(), ["C50", "C50.9"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get(&self, code: &str) -> Option<Entry<'_>> {
        let target = code.as_bytes();
        let raw = self.seek(target).find_exact(target)?;
        Some(self.resolve(&raw))
    }

    /// Whether the catalog has this exact code.
    pub fn contains(&self, code: &str) -> bool {
        self.get(code).is_some()
    }

    /// The entry for `code`, or for its nearest listed ancestor: `S52.500` falls back to `S52.50`, `S52.5` and
    /// `S52` (one character at a time, ignoring a trailing `.`). For claims coded in a finer national
    /// version than the catalog.
    pub fn get_or_ancestor(&self, code: &str) -> Option<Entry<'_>> {
        let mut c = code;
        while !c.is_empty() {
            if let Some(e) = self.get(c) {
                return Some(e);
            }
            c = c.get(..c.len() - 1).unwrap_or("").trim_end_matches('.');
        }
        None
    }

    /// All entries whose code starts with `prefix`, in code order (all entries for `""`).
    pub fn prefix(&self, prefix: &str) -> Entries<'_> {
        let Some(p) = code_of(prefix) else {
            let mut cursor = self.cursor_at(0);
            cursor.ordinal = self.count; // a prefix longer than any code: nothing
            return Entries {
                cursor,
                prefix: Code::EMPTY,
                pending: None,
            };
        };
        let mut cursor = self.seek(p.as_bytes());
        let mut pending = None;
        while let Some(raw) = cursor.next_raw() {
            if raw.code.as_bytes() >= p.as_bytes() {
                pending = Some(raw);
                break;
            }
        }
        Entries {
            cursor,
            prefix: p,
            pending,
        }
    }

    /// All entries in code order.
    pub fn iter(&self) -> Entries<'_> {
        Entries {
            cursor: self.cursor_at(0),
            prefix: Code::EMPTY,
            pending: None,
        }
    }

    /// Decodes every entry and checks order and references: for tools and tests (loading does not do this).
    pub fn verify(&self) -> Result<(), CatalogError> {
        let mut cur = self.cursor_at(0);
        let mut prev: Option<Code> = None;
        for _ in 0..self.count {
            let raw = cur
                .next_raw()
                .ok_or(CatalogError::Malformed("entry data cannot be decoded"))?;
            if prev.is_some_and(|p| p.as_bytes() >= raw.code.as_bytes()) {
                return Err(CatalogError::Malformed("codes are not in strictly increasing order"));
            }
            if raw.names != 0 && self.names(raw.names) == (None, None) {
                return Err(CatalogError::Malformed("name reference out of the string table"));
            }
            prev = Some(raw.code);
        }
        // An empty catalog has no blocks (so no cursor position) and no entry data.
        let end = if self.count == 0 { 0 } else { cur.pos };
        if end != self.layout.entries.len() {
            return Err(CatalogError::Malformed("entry data has unused bytes"));
        }
        Ok(())
    }
}

impl Catalog<'static> {
    /// Checks and takes ownership of `bytes` (for the WASM layer, which copies a `Uint8Array` in once).
    pub fn from_vec(bytes: Vec<u8>) -> Result<Catalog<'static>, CatalogError> {
        Catalog::open(Cow::Owned(bytes))
    }
}
