//! [`CatalogSet`]: the catalogs a checker has loaded — at most one diagnosis catalog and one item (drug,
//! consumable, service) catalog — shared cheaply between checkers and sessions. The rule engine reads it
//! through the catalog functions (`item_class`, `item_self_pay_rate`, `item_price_cap`, `diagnosis_known`,
//! `catalog_loaded`); this module only holds and answers, it knows nothing of claims.

use std::sync::Arc;

use super::entry::{ItemClass, Kind, Rate};
use super::reader::Catalog;

/// The loaded catalogs, by kind.
#[derive(Debug, Clone, Default)]
pub struct CatalogSet {
    diagnosis: Option<Arc<Catalog<'static>>>,
    item: Option<Arc<Catalog<'static>>>,
}

/// What the item catalog says about a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemFacts {
    pub class: Option<ItemClass>,
    /// The self-pay-first rate of a 乙类 item (`None` for other classes).
    pub self_pay_rate: Option<Rate>,
    pub price_cap_fen: Option<i64>,
}

impl CatalogSet {
    /// No catalogs.
    pub fn new() -> CatalogSet {
        CatalogSet::default()
    }

    /// Adds a catalog, replacing the one of the same kind; returns the replaced one.
    pub fn attach(&mut self, catalog: Arc<Catalog<'static>>) -> Option<Arc<Catalog<'static>>> {
        match catalog.kind() {
            Kind::Diagnosis => self.diagnosis.replace(catalog),
            Kind::Item => self.item.replace(catalog),
        }
    }

    /// Removes the catalog of a kind; returns it.
    pub fn detach(&mut self, kind: Kind) -> Option<Arc<Catalog<'static>>> {
        match kind {
            Kind::Diagnosis => self.diagnosis.take(),
            Kind::Item => self.item.take(),
        }
    }

    /// The catalog of a kind, if loaded.
    pub fn get(&self, kind: Kind) -> Option<&Catalog<'static>> {
        match kind {
            Kind::Diagnosis => self.diagnosis.as_deref(),
            Kind::Item => self.item.as_deref(),
        }
    }

    /// Whether both hold the very same catalogs (by identity).
    pub fn same(&self, other: &CatalogSet) -> bool {
        let eq = |a: &Option<Arc<Catalog<'static>>>, b: &Option<Arc<Catalog<'static>>>| match (a, b) {
            (None, None) => true,
            (Some(x), Some(y)) => Arc::ptr_eq(x, y),
            _ => false,
        };
        eq(&self.diagnosis, &other.diagnosis) && eq(&self.item, &other.item)
    }

    /// Whether a catalog of this kind is loaded.
    pub fn has(&self, kind: Kind) -> bool {
        self.get(kind).is_some()
    }

    /// Whether a diagnosis code is listed. A code in a finer national extension (`K80.000`, `I10.x00`) is
    /// known when the catalog lists its WHO subcategory (`K80.0`), or its category (`I10`) when the catalog
    /// lists no subcategory under it; a WHO-length code is never accepted for its category alone (`K80.9` is
    /// unknown even though `K80` is listed). `None` when no diagnosis catalog is loaded.
    pub fn diagnosis_known(&self, code: &str) -> Option<bool> {
        let cat = self.diagnosis.as_deref()?;
        let code = code.trim();
        if cat.contains(code) {
            return Some(true);
        }
        let Some((category, sub)) = code.split_once('.') else {
            return Some(false);
        };
        if sub.len() < 2 {
            return Some(false);
        }
        let who = code.get(..category.len() + 2).unwrap_or(code);
        let known =
            cat.contains(who) || (cat.contains(category) && cat.prefix(&format!("{category}.")).next().is_none());
        Some(known)
    }

    /// What the item catalog lists for a code (exact match). `None` when no item catalog is loaded or the
    /// code is not listed.
    pub fn item(&self, code: &str) -> Option<ItemFacts> {
        let e = self.item.as_deref()?.get(code.trim())?;
        Some(ItemFacts {
            class: e.class,
            self_pay_rate: (e.class == Some(ItemClass::B)).then_some(e.self_pay_rate),
            price_cap_fen: e.price_cap_fen,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::catalog::{build, Row};

    fn set(codes: &[&str]) -> CatalogSet {
        let rows = codes
            .iter()
            .map(|c| Row {
                code: (*c).into(),
                ..Row::default()
            })
            .collect();
        let mut s = CatalogSet::new();
        s.attach(Arc::new(
            Catalog::from_vec(build(Kind::Diagnosis, rows).unwrap()).unwrap(),
        ));
        s
    }

    #[test]
    fn national_extensions_fall_back_to_the_who_code() {
        let s = set(&["I10", "K80", "K80.0", "K80.1"]);
        for (code, known) in [
            ("K80.0", true),
            ("K80", true),
            ("K80.000", true),
            ("K80.00", true),
            (" K80.1 ", true),
            ("K80.9", false),
            ("K80.900", false),
            ("I10.x00", true),
            ("I10", true),
            ("I11.000", false),
            ("K81", false),
        ] {
            assert_eq!(s.diagnosis_known(code), Some(known), "{code}");
        }
        assert_eq!(CatalogSet::new().diagnosis_known("K80.0"), None);
    }
}
