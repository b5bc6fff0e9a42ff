//! Several compiled packs in one file sharing one string table: the form the default packs are embedded
//! in (`preclaim pack bundle`, `make packs`; build.rs embeds `packs/compiled/defaults.bundle`). The six
//! default packs repeat many of the same messages, labels, keys and paths; one table holds each string
//! once, sorted (similar strings side by side gzip better), and the same string has the same index in
//! every pack, so that the packs' similar rules are the same bytes (docs/decisions.md, "One string table
//! for the embedded packs").
//!
//! Layout: the header of a compiled pack with the magic bytes [`MAGIC`] instead (format, engine, body
//! length and checksum, [`super::encode`]); then the body: the number of packs, each pack's name (length
//! and bytes) and body length; the number of strings, then each string's bytes followed by [`END`];
//! then the packs' bodies one after the other, each the program of a compiled pack whose string indexes
//! are into the shared table. It is an internal form (a single pack keeps its own form for `fromCompiled`
//! and `--pack`), read with the same bounds checks: every problem is a [`PackError`] `pack.compiled`.

use std::collections::HashMap;

#[cfg(test)]
use super::checksum;
use super::decode::{header, Reader, R};
use super::encode::{seal, Enc};
use super::error;
use crate::catalog::format::put_varint;
use crate::pack::program::Program;
use crate::pack::PackError;

/// The first bytes of a bundle.
pub const MAGIC: [u8; 8] = *b"\x89PCBNDL\n";

const WHAT: &str = "compiled pack bundle";

/// The byte after each string of the table: never part of UTF-8 text, so a string needs no length.
/// (Lengths cost 0.8 KB of the bundle gzipped, the end marks 0.1 KB.)
const END: u8 = 0xFF;

/// The position of the first [`END`] in `bytes`, eight bytes at a time.
fn find_end(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGH: u64 = u64::from_le_bytes([0x80; 8]);
    let mut words = bytes.chunks_exact(8);
    let mut at = 0;
    for w in &mut words {
        // A byte of `!w` that is zero (a byte of `w` that is END) sets the high bit of its lane.
        let x = !<[u8; 8]>::try_from(w).map_or(0, u64::from_le_bytes);
        if x.wrapping_sub(ONES) & !x & HIGH != 0 {
            break;
        }
        at += 8;
    }
    bytes.get(at..)?.iter().position(|&b| b == END).map(|p| at + p)
}

/// Writes `packs` (name, program) as a bundle. Fails as [`super::encode`] does.
pub fn encode(packs: &[(&str, &Program)]) -> Result<Vec<u8>, PackError> {
    // First every string the packs use, then the table sorted, then each program against it.
    let mut all = Enc::default();
    packs.iter().for_each(|(_, p)| all.program(p));
    if let Some(m) = all.failed {
        return Err(error(m));
    }
    let mut strings = all.strings;
    strings.sort_unstable();
    let ids: HashMap<String, u64> = strings.iter().enumerate().map(|(i, s)| (s.clone(), i as u64)).collect();
    let mut bodies = Vec::with_capacity(packs.len());
    for (_, p) in packs {
        let mut e = Enc::default();
        e.strings.clone_from(&strings);
        e.ids.clone_from(&ids);
        e.program(p);
        if let Some(m) = e.failed {
            return Err(error(m));
        }
        if e.strings.len() != strings.len() {
            return Err(error("a pack wrote a string its first pass did not".into()));
        }
        bodies.push(e.out);
    }
    let mut body = Vec::new();
    put_varint(&mut body, packs.len() as u64);
    for ((name, _), b) in packs.iter().zip(&bodies) {
        put_varint(&mut body, name.len() as u64);
        body.extend_from_slice(name.as_bytes());
        put_varint(&mut body, b.len() as u64);
    }
    put_varint(&mut body, strings.len() as u64);
    for s in &strings {
        body.extend_from_slice(s.as_bytes());
        body.push(END);
    }
    bodies.iter().for_each(|b| body.extend_from_slice(b));
    seal(&MAGIC, &body)
}

/// A bundle read and checked (header, checksum, directory, string table), its packs not yet decoded.
#[derive(Debug)]
pub struct Bundle<'b> {
    body: &'b [u8],
    /// Where the body starts in the file (for the byte offsets in messages).
    base: usize,
    /// Each pack's name and the range of its program in `body`.
    packs: Vec<(&'b str, usize, usize)>,
    table: Vec<&'b [u8]>,
}

impl<'b> Bundle<'b> {
    /// Checks the header and the checksum, and reads the directory and the string table.
    pub fn open(bytes: &'b [u8]) -> Result<Self, PackError> {
        let body = header(bytes, &MAGIC, WHAT)?;
        let base = bytes.len() - body.len();
        let mut r = Reader::new(body, base, &[]);
        let n = r.count()?;
        let mut dir = Vec::with_capacity(n);
        for _ in 0..n {
            let len = r.count()?;
            let name = r.utf8(len)?;
            dir.push((name, r.count()?));
        }
        let n = r.count()?;
        let mut table = Vec::with_capacity(n);
        for _ in 0..n {
            let rest = body.get(r.at..).unwrap_or_default();
            let len = find_end(rest).ok_or_else(|| r.bad("a string of the table without its end mark"))?;
            table.push(r.raw(len)?);
            r.at += 1;
        }
        let mut at = r.at;
        let mut packs = Vec::with_capacity(dir.len());
        for (name, len) in dir {
            let end = at.saturating_add(len);
            if end > body.len() {
                return Err(r.bad(&format!(
                    "pack `{}` runs past the end of the bundle",
                    crate::echo::Echo(name)
                )));
            }
            packs.push((name, at, end));
            at = end;
        }
        if at != body.len() {
            r.at = at;
            return Err(r.bad("bytes after the last pack"));
        }
        Ok(Bundle {
            body,
            base,
            packs,
            table,
        })
    }

    /// The names of the packs, in the bundle's order.
    pub fn names(&self) -> impl Iterator<Item = &'b str> + '_ {
        self.packs.iter().map(|&(name, _, _)| name)
    }

    /// Decodes the pack named `name` (checked as a single compiled pack is).
    pub fn decode(&self, name: &str) -> Result<Program, PackError> {
        let &(_, start, end) = self
            .packs
            .iter()
            .find(|(n, _, _)| *n == name)
            .ok_or_else(|| error(format!("the bundle has no pack `{}`", crate::echo::Echo(name))))?;
        let body: R<&[u8]> = self
            .body
            .get(start..end)
            .ok_or_else(|| error("a pack out of the bundle".into()));
        Reader::new(body?, self.base + start, &self.table).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::embedded;

    fn default_programs() -> Vec<(&'static str, Program)> {
        embedded::all().map(|e| (e.name, e.load().unwrap())).collect()
    }

    fn bundle() -> Vec<u8> {
        let programs = default_programs();
        let refs: Vec<(&str, &Program)> = programs.iter().map(|(n, p)| (*n, p)).collect();
        encode(&refs).unwrap()
    }

    /// Reseals the header's length and checksum over the body (so that a change reaches the body reader).
    fn resealed(mut bytes: Vec<u8>) -> Vec<u8> {
        let head = MAGIC.len() + 3 + usize::from(bytes[MAGIC.len() + 2]);
        let body = bytes[head + 8..].to_vec();
        bytes[head..head + 4].copy_from_slice(&(body.len() as u32).to_le_bytes());
        bytes[head + 4..head + 8].copy_from_slice(&checksum(&body).to_le_bytes());
        bytes
    }

    #[test]
    fn each_pack_of_a_bundle_decodes_to_its_single_compiled_form() {
        let bytes = bundle();
        let b = Bundle::open(&bytes).unwrap();
        let programs = default_programs();
        assert_eq!(
            b.names().collect::<Vec<_>>(),
            programs.iter().map(|(n, _)| *n).collect::<Vec<_>>()
        );
        for (name, p) in &programs {
            let decoded = b.decode(name).unwrap();
            assert_eq!(
                super::super::encode(&decoded).unwrap(),
                super::super::encode(p).unwrap(),
                "{name}"
            );
        }
        let e = b.decode("p-none.json").unwrap_err();
        assert_eq!(e.code, super::super::CODE);
        assert!(e.message.contains("no pack `p-none.json`"), "{e}");
        // Smaller than the six single forms together: each string once.
        let singles: usize = programs
            .iter()
            .map(|(_, p)| super::super::encode(p).unwrap().len())
            .sum();
        assert!(bytes.len() < singles * 2 / 3, "{} vs {singles}", bytes.len());
    }

    #[test]
    fn the_end_mark_is_found_at_every_position() {
        for len in 0..40 {
            for at in 0..len {
                let mut b = vec![b'a'; len];
                b[at] = END;
                if at + 3 < len {
                    b[at + 3] = END;
                }
                assert_eq!(find_end(&b), Some(at), "{len} {at}");
            }
            assert_eq!(find_end(&vec![0xFE; len]), None);
        }
        // Multi-byte text (lead bytes 0xE0-0xEF, continuation 0x80-0xBF) never holds it.
        assert_eq!(find_end("测试字符串测试字符串".as_bytes()), None);
    }

    #[test]
    fn a_damaged_bundle_is_refused_with_a_message_that_says_why() {
        let bytes = bundle();
        let msg = |b: &[u8]| {
            let e = Bundle::open(b).and_then(|b| b.decode("p-med.json")).unwrap_err();
            assert_eq!(e.code, super::super::CODE);
            e.message
        };
        assert!(msg(b"\x89PCPACK\n\x01\x00").contains("not a compiled pack bundle"));
        assert!(msg(&bytes[..20]).contains("truncated"));
        assert!(msg(&bytes[..bytes.len() - 1]).contains("truncated"));
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(msg(&longer).contains("bytes after"));
        assert!(msg(&resealed(longer)).contains("bytes after the last pack"));
        let mut flipped = bytes.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 0x40;
        assert!(msg(&flipped).contains("checksum"));
        let mut engine = bytes.clone();
        engine[11] = b'9';
        assert!(msg(&engine).contains("written by preclaim 9"));
        // The last pack's body cut short: the directory says more bytes than there are.
        let mut short = bytes.clone();
        short.pop();
        assert!(msg(&resealed(short)).contains("runs past the end of the bundle"));
        // A table whose strings lose their end marks.
        let b = Bundle::open(&bytes).unwrap();
        let table_end = b.packs[0].1 + (bytes.len() - b.body.len());
        let unmarked: Vec<u8> = bytes
            .iter()
            .enumerate()
            .map(|(i, &x)| if i < table_end && x == END { b'a' } else { x })
            .collect();
        assert!(msg(&resealed(unmarked)).contains("without its end mark"));
        // A pack whose string indexes go past the table (here: the table cut to one string).
        let b = Bundle::open(&bytes).unwrap();
        let &(_, start, end) = b.packs.last().unwrap();
        let e = Reader::new(&b.body[start..end], 0, &b.table[..1]).finish().unwrap_err();
        assert!(e.message.contains("a string index past the string table"), "{e}");
        // A string that is not UTF-8, found when a pack uses it.
        let bad: Vec<&[u8]> = vec![&[0xff]; b.table.len()];
        let e = Reader::new(&b.body[start..end], 0, &bad).finish().unwrap_err();
        assert!(e.message.contains("of the table is not UTF-8"), "{e}");
    }
}
