//! The default rule packs (`packs/*.json`), embedded in the library by build.rs so it works offline with no
//! configuration. build.rs also copies out each pack's `products` member, so that a checker can find the
//! pack of a product without compiling every pack: [`crate::check::Checker::with_defaults`] compiles a
//! pack on its first use. A pack that does not compile (a build from a broken `packs/` folder) is reported
//! with its index among the embedded packs and its file name ([`PackError::embedded`]), not as pack 0.
//! The texts are stored interleaved in chunks (smaller gzipped, see build.rs); a pack's text is joined
//! back when it is compiled.

use super::{load_program, PackError, Program};
use crate::json;

include!(concat!(env!("OUT_DIR"), "/embedded_packs.rs"));

/// An embedded pack, not yet compiled.
#[derive(Debug, Clone, Copy)]
pub struct Embedded {
    /// Its index among the embedded packs (file name order).
    pub index: usize,
    pub name: &'static str,
    /// The pack's products, as JSON text, when build.rs found them.
    products: Option<&'static str>,
    /// The interleaved text of the packs, and the byte ranges of it that joined make this pack's text.
    blob: &'static str,
    chunks: &'static [(u32, u32)],
}

impl Embedded {
    /// The products the pack declares, when they can be read without compiling it (a list of strings).
    pub fn products(&self) -> Option<Vec<String>> {
        let node = json::parse(self.products?).ok()?;
        let json::JsonKind::Array(items) = &node.kind else {
            return None;
        };
        items.iter().map(|i| i.as_str().map(str::to_string)).collect()
    }

    /// Loads and compiles the pack (errors name its index and file).
    pub fn compile(&self) -> Result<Program, PackError> {
        load_program(&self.text()).map_err(|mut e| {
            e.embedded = Some((self.index, self.name));
            e
        })
    }
}

impl Embedded {
    /// The pack's minified JSON text, joined from its chunks (build.rs writes ranges on character
    /// boundaries inside the text; a range that were not would leave the text malformed, and the loader
    /// would report it).
    fn text(&self) -> String {
        let len = self.chunks.iter().map(|&(a, b)| b.saturating_sub(a) as usize).sum();
        let mut text = String::with_capacity(len);
        for &(a, b) in self.chunks {
            text.push_str(self.blob.get(a as usize..b as usize).unwrap_or_default());
        }
        text
    }
}

/// Every embedded pack, in file name order.
pub fn all() -> impl Iterator<Item = Embedded> {
    PACKS
        .iter()
        .enumerate()
        .map(|(index, &(name, products, chunks))| Embedded {
            index,
            name,
            products,
            blob: TEXT,
            chunks,
        })
}

/// Compiles every embedded pack.
pub fn load_all() -> Result<Vec<Program>, PackError> {
    all().map(|e| e.compile()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn products_read_without_compiling_are_the_compiled_ones() {
        let mut n = 0;
        for e in all() {
            let p = e.compile().unwrap();
            assert_eq!(e.products(), Some(p.products.clone()), "{}", e.name);
            n += 1;
        }
        assert_eq!(n, PACKS.len());
        assert!(n >= 6);
    }

    /// Joined back, each pack's chunks are its file without white space and the members build.rs
    /// leaves out; every byte of the interleaved text belongs to one pack.
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn the_joined_chunks_are_the_pack_files() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("packs");
        let mut total = 0;
        for e in all() {
            let text = e.text();
            let embedded: serde_json::Value = serde_json::from_str(&text).unwrap();
            let mut file: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(dir.join(e.name)).unwrap()).unwrap();
            let members = file.as_object_mut().unwrap();
            members.remove("tests");
            members.remove("$schema");
            assert_eq!(embedded, file, "{}", e.name);
            assert!(!text.contains("\n"), "{}: not minified", e.name);
            assert!(e.chunks.len() > 1, "{}: {} chunks", e.name, e.chunks.len());
            total += text.len();
        }
        assert_eq!(total, TEXT.len());
    }

    #[test]
    fn a_pack_that_does_not_compile_is_named_with_its_index() {
        let broken = Embedded {
            index: 3,
            name: "p-life.json",
            products: None,
            blob: "{\"id\": 1}",
            chunks: &[(0, 9)],
        };
        let e = broken.compile().unwrap_err();
        assert_eq!((e.embedded, e.code), (Some((3, "p-life.json")), "pack.format"));
        assert!(
            e.to_string().starts_with("embedded pack 3 (p-life.json): 1:8: id: "),
            "{e}"
        );
        let indexes: Vec<usize> = all().map(|e| e.index).collect();
        assert_eq!(indexes, (0..PACKS.len()).collect::<Vec<_>>());
    }
}
