//! The default rule packs (`packs/*.json`), embedded in the library by build.rs so it works offline with no
//! configuration. build.rs also copies out each pack's `products` member, so that a checker can find the
//! pack of a product without compiling every pack: [`crate::check::Checker::with_defaults`] compiles a
//! pack on its first use. A pack that does not compile (a build from a broken `packs/` folder) is reported
//! with its index among the embedded packs and its file name ([`PackError::embedded`]), not as pack 0.

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
    text: &'static str,
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
        load_program(self.text).map_err(|mut e| {
            e.embedded = Some((self.index, self.name));
            e
        })
    }
}

/// Every embedded pack, in file name order.
pub fn all() -> impl Iterator<Item = Embedded> {
    PACKS
        .iter()
        .enumerate()
        .map(|(index, &(name, products, text))| Embedded {
            index,
            name,
            products,
            text,
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

    #[test]
    fn a_pack_that_does_not_compile_is_named_with_its_index() {
        let broken = Embedded {
            index: 3,
            name: "p-life.json",
            products: None,
            text: "{\"id\": 1}",
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
