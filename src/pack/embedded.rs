//! The default rule packs (`packs/*.json`), embedded in the library by build.rs so it works offline with no
//! configuration. Each is embedded in its compiled form (`packs/compiled/*.pack`, written by `make packs`
//! with `preclaim pack compile`; a test fails when one is stale), so a checker decodes a pack instead of
//! compiling it; a pack with no compiled form (a new file before `make packs`) is embedded as its JSON text
//! and compiled. build.rs also copies out each pack's `products` member, so that a checker can find the
//! pack of a product without loading every pack: [`crate::check::Checker::with_defaults`] loads a pack on
//! its first use. A pack that does not load (a build from a broken `packs/` folder) is reported with its
//! index among the embedded packs and its file name ([`PackError::embedded`]), not as pack 0.
//! Texts, and apart the compiled forms, are stored interleaved in chunks (smaller gzipped, see build.rs); a
//! pack's bytes are joined back when it is loaded.

#[cfg(feature = "compiler")]
use super::load_program;
use super::{binary, PackError, Program};
use crate::json;

include!(concat!(env!("OUT_DIR"), "/embedded_packs.rs"));

/// An embedded pack, not yet loaded.
#[derive(Debug, Clone, Copy)]
pub struct Embedded {
    /// Its index among the embedded packs (file name order).
    pub index: usize,
    pub name: &'static str,
    /// The pack's products, as JSON text, when build.rs found them.
    products: Option<&'static str>,
    /// The interleaved text of the packs, and the byte ranges of it that joined make this pack's text
    /// (none when the pack is embedded compiled).
    #[cfg_attr(not(feature = "compiler"), allow(dead_code))]
    blob: &'static str,
    #[cfg_attr(not(feature = "compiler"), allow(dead_code))]
    chunks: &'static [(u32, u32)],
    /// The interleaved compiled forms of the packs, and the byte ranges of it that joined make this
    /// pack's compiled form (none when the pack is embedded as text).
    bytes: &'static [u8],
    compiled: Option<&'static [(u32, u32)]>,
}

impl Embedded {
    /// The products the pack declares, when they can be read without loading it (a list of strings).
    pub fn products(&self) -> Option<Vec<String>> {
        let node = json::parse(self.products?).ok()?;
        let json::JsonKind::Array(items) = &node.kind else {
            return None;
        };
        items.iter().map(|i| i.as_str().map(str::to_string)).collect()
    }

    /// Whether the pack is embedded in its compiled form.
    pub fn is_compiled(&self) -> bool {
        self.compiled.is_some()
    }

    /// Loads the pack: decodes its compiled form, or compiles its text (errors name its index and file).
    pub fn load(&self) -> Result<Program, PackError> {
        match self.compiled {
            Some(ranges) => binary::decode(&join(self.bytes, ranges)),
            #[cfg(feature = "compiler")]
            None => load_program(&self.text()),
            #[cfg(not(feature = "compiler"))]
            None => Err(super::without_compiler()),
        }
        .map_err(|mut e| {
            e.embedded = Some((self.index, self.name));
            e
        })
    }
}

impl Embedded {
    /// The pack's minified JSON text, joined from its chunks (build.rs writes ranges on character
    /// boundaries inside the text; a range that were not would leave the text malformed, and the loader
    /// would report it).
    #[cfg_attr(not(feature = "compiler"), allow(dead_code))]
    fn text(&self) -> String {
        String::from_utf8_lossy(&join(self.blob.as_bytes(), self.chunks)).into_owned()
    }
}

/// The byte ranges of `blob`, joined.
fn join(blob: &[u8], ranges: &[(u32, u32)]) -> Vec<u8> {
    let len = ranges.iter().map(|&(a, b)| b.saturating_sub(a) as usize).sum();
    let mut out = Vec::with_capacity(len);
    for &(a, b) in ranges {
        out.extend_from_slice(blob.get(a as usize..b as usize).unwrap_or_default());
    }
    out
}

/// Every embedded pack, in file name order.
pub fn all() -> impl Iterator<Item = Embedded> {
    PACKS
        .iter()
        .enumerate()
        .map(|(index, &(name, products, chunks, compiled))| Embedded {
            index,
            name,
            products,
            blob: TEXT,
            chunks,
            bytes: BYTES,
            compiled,
        })
}

/// Loads every embedded pack.
pub fn load_all() -> Result<Vec<Program>, PackError> {
    all().map(|e| e.load()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn products_read_without_loading_are_the_loaded_ones() {
        let mut n = 0;
        for e in all() {
            let p = e.load().unwrap();
            assert_eq!(e.products(), Some(p.products.clone()), "{}", e.name);
            n += 1;
        }
        assert_eq!(n, PACKS.len());
        assert!(n >= 6);
    }

    /// Every default pack is embedded compiled, and its compiled form is what `preclaim pack compile`
    /// writes for its file today (else: run `make packs`).
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn the_compiled_packs_are_fresh() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("packs");
        let mut stale = Vec::new();
        for e in all() {
            let file = std::fs::read_to_string(dir.join(e.name)).unwrap();
            let fresh = binary::encode(&load_program(&file).unwrap()).unwrap();
            let on_disk = std::fs::read(dir.join("compiled").join(e.name.replace(".json", ".pack"))).ok();
            let embedded = e.compiled.map(|r| join(e.bytes, r));
            if embedded.as_ref() != Some(&fresh) || on_disk.as_ref() != Some(&fresh) {
                stale.push(e.name);
            }
            assert!(e.chunks.is_empty(), "{}: compiled and also embedded as text", e.name);
        }
        assert!(
            stale.is_empty(),
            "packs/compiled/ is missing or stale for {stale:?}: run `make packs` (and rebuild)"
        );
    }

    #[test]
    fn a_pack_that_does_not_load_is_named_with_its_index() {
        let broken = Embedded {
            index: 3,
            name: "p-life.json",
            products: None,
            blob: "{\"id\": 1}",
            chunks: &[(0, 9)],
            bytes: b"\x89PCPACK\n\x01",
            compiled: None,
        };
        let e = broken.load().unwrap_err();
        assert_eq!((e.embedded, e.code), (Some((3, "p-life.json")), "pack.format"));
        assert!(
            e.to_string().starts_with("embedded pack 3 (p-life.json): 1:8: id: "),
            "{e}"
        );
        let damaged = Embedded {
            compiled: Some(&[(0, 9)]),
            ..broken
        };
        let e = damaged.load().unwrap_err();
        assert_eq!((e.embedded, e.code), (Some((3, "p-life.json")), "pack.compiled"));
        assert!(
            e.to_string().starts_with("embedded pack 3 (p-life.json): truncated"),
            "{e}"
        );
        let indexes: Vec<usize> = all().map(|e| e.index).collect();
        assert_eq!(indexes, (0..PACKS.len()).collect::<Vec<_>>());
    }
}
