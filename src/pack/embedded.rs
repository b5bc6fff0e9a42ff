//! The default rule packs (`packs/*.json`), embedded in the library by build.rs so it works offline with no
//! configuration. They are embedded compiled, in one bundle sharing a string table
//! (`packs/compiled/defaults.bundle`, written by `make packs` with `preclaim pack bundle`; a test fails
//! when it is stale; [`binary::bundle`]), so a checker decodes a pack instead of compiling it; a pack not in
//! the bundle (a new file before `make packs`) is embedded as its JSON text and compiled. build.rs also copies out each pack's `products` member, so that a checker can find the
//! pack of a product without loading every pack: [`crate::check::Checker::with_defaults`] loads a pack on
//! its first use. A pack that does not load (a build from a broken `packs/` folder) is reported with its
//! index among the embedded packs and its file name ([`PackError::embedded`]), not as pack 0.
//! Texts are stored interleaved in chunks (smaller gzipped, see build.rs); a pack's text is joined back
//! when it is loaded. The bundle's header, checksum and string table are checked once per process, on the
//! first pack loaded from it.

use super::binary::bundle::Bundle;
#[cfg(feature = "compiler")]
use super::load_program;
use super::{PackError, Program};
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
    /// The bundle of the packs' compiled forms, and whether it holds this pack's (by its name).
    bundle: &'static [u8],
    compiled: bool,
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
        self.compiled
    }

    /// Loads the pack: decodes its compiled form, or compiles its text (errors name its index and file).
    pub fn load(&self) -> Result<Program, PackError> {
        let loaded = if self.compiled {
            with_bundle(self.bundle, |b| b.decode(self.name))
        } else {
            self.compile()
        };
        loaded.map_err(|mut e| {
            e.embedded = Some((self.index, self.name));
            e
        })
    }
}

impl Embedded {
    /// Compiles the pack's JSON text (a pack not in the bundle).
    #[cfg(feature = "compiler")]
    fn compile(&self) -> Result<Program, PackError> {
        load_program(&self.text())
    }

    #[cfg(not(feature = "compiler"))]
    fn compile(&self) -> Result<Program, PackError> {
        Err(super::without_compiler())
    }

    /// The pack's minified JSON text, joined from its chunks (build.rs writes ranges on character
    /// boundaries inside the text; a range that were not would leave the text malformed, and the loader
    /// would report it).
    #[cfg_attr(not(feature = "compiler"), allow(dead_code))]
    fn text(&self) -> String {
        String::from_utf8_lossy(&join(self.blob.as_bytes(), self.chunks)).into_owned()
    }
}

/// Runs `f` on the bundle `bytes` opened: the embedded [`BUNDLE`] is opened (and checked) once per
/// process, other bytes (tests) each time.
fn with_bundle<T>(
    bytes: &'static [u8],
    f: impl FnOnce(&Bundle<'static>) -> Result<T, PackError>,
) -> Result<T, PackError> {
    static OPENED: std::sync::OnceLock<Result<Bundle<'static>, PackError>> = std::sync::OnceLock::new();
    if std::ptr::eq(bytes, BUNDLE) {
        match OPENED.get_or_init(|| Bundle::open(BUNDLE)) {
            Ok(b) => f(b),
            Err(e) => Err(e.clone()),
        }
    } else {
        f(&Bundle::open(bytes)?)
    }
}

/// The byte ranges of `blob`, joined.
#[cfg_attr(not(feature = "compiler"), allow(dead_code))]
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
            bundle: BUNDLE,
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

    /// Every default pack is embedded compiled, the embedded bundle is what `preclaim pack bundle` writes
    /// for the packs today, and each `packs/compiled/*.pack` what `preclaim pack compile` writes (else: run
    /// `make packs`). A pack decoded from the bundle is the one decoded from its own compiled form.
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn the_compiled_packs_are_fresh() {
        use crate::pack::binary;
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("packs");
        let mut stale = Vec::new();
        let mut programs = Vec::new();
        for e in all() {
            let file = std::fs::read_to_string(dir.join(e.name)).unwrap();
            let program = load_program(&file).unwrap();
            let fresh = binary::encode(&program).unwrap();
            let on_disk = std::fs::read(dir.join("compiled").join(e.name.replace(".json", ".pack"))).ok();
            if !e.compiled || on_disk.as_ref() != Some(&fresh) {
                stale.push(e.name);
            } else {
                let from_bundle = binary::encode(&e.load().unwrap()).unwrap();
                assert_eq!(from_bundle, fresh, "{}: the bundle decodes to another program", e.name);
            }
            assert!(e.chunks.is_empty(), "{}: compiled and also embedded as text", e.name);
            programs.push((e.name, program));
        }
        let refs: Vec<(&str, &Program)> = programs.iter().map(|(n, p)| (*n, p)).collect();
        let fresh = binary::bundle::encode(&refs).unwrap();
        let on_disk = std::fs::read(dir.join("compiled").join("defaults.bundle")).ok();
        if BUNDLE != fresh.as_slice() || on_disk.as_ref() != Some(&fresh) {
            stale.push("defaults.bundle");
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
            bundle: b"\x89PCBNDL\n\x01",
            compiled: false,
        };
        let e = broken.load().unwrap_err();
        assert_eq!((e.embedded, e.code), (Some((3, "p-life.json")), "pack.format"));
        assert!(
            e.to_string().starts_with("embedded pack 3 (p-life.json): 1:8: id: "),
            "{e}"
        );
        let damaged = Embedded {
            compiled: true,
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
