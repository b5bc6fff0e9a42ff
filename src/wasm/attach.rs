//! Catalogs on a checker: the rules' catalog functions read a catalog attached here. The catalog API
//! (look-ups, search) may live in another WebAssembly module (the npm package's `preclaim/catalog`), so a
//! checker also takes a catalog as its bytes, checked and loaded into this module's memory.

use std::sync::Arc;

use wasm_bindgen::prelude::*;

use super::{borrow, err, WasmChecker};
use crate::catalog::{Catalog, Kind};
use crate::json::write_value;
use crate::value::Value;

/// The kind as the JS API names it (`"diagnosis"`, `"item"`).
fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::Diagnosis => "diagnosis",
        Kind::Item => "item",
    }
}

impl WasmChecker {
    /// The checker, to change its catalogs (a busy checker is an error, never a panic).
    fn checker_mut(&self) -> Result<std::cell::RefMut<'_, crate::check::Checker>, JsError> {
        self.inner
            .try_borrow_mut()
            .map_err(|_| err("argument", "the checker is busy"))
    }

    fn attach(&self, catalog: Arc<Catalog<'static>>) -> Result<(), JsError> {
        self.checker_mut()?.attach_catalog(catalog);
        Ok(())
    }
}

#[wasm_bindgen]
impl WasmChecker {
    /// Loads a catalog given as its bytes (checked as `WasmCatalog.load` does; errors carry `E_CATALOG_*`
    /// codes), replacing one of the same kind; sessions see it at their next report.
    #[wasm_bindgen(js_name = attachCatalogBytes)]
    pub fn attach_catalog_bytes(&self, bytes: Vec<u8>) -> Result<(), JsError> {
        let cat = Catalog::from_vec(bytes).map_err(|e| err(e.code(), &e.to_string()))?;
        self.attach(Arc::new(cat))
    }

    /// Loads a catalog of this module (no copy).
    #[cfg(feature = "catalog")]
    #[wasm_bindgen(js_name = attachCatalog)]
    pub fn attach_catalog(&self, catalog: &super::WasmCatalog) -> Result<(), JsError> {
        self.attach(catalog.shared())
    }

    /// Unloads the catalog of a kind (`"diagnosis"` or `"item"`).
    #[wasm_bindgen(js_name = detachCatalog)]
    pub fn detach_catalog(&self, kind: &str) -> Result<(), JsError> {
        let k = Kind::parse(kind).ok_or_else(|| err("argument", "the catalog kind is \"diagnosis\" or \"item\""))?;
        self.checker_mut()?.detach_catalog(k);
        Ok(())
    }

    /// Which catalogs are loaded, as a JSON array of kinds.
    #[wasm_bindgen(js_name = catalogsJson)]
    pub fn catalogs_json(&self) -> Result<String, JsError> {
        let c = borrow(&self.inner)?;
        let kinds = [Kind::Diagnosis, Kind::Item]
            .into_iter()
            .filter(|k| c.catalogs().has(*k))
            .map(|k| Value::str(kind_name(k)))
            .collect();
        Ok(write_value(&Value::array(kinds)))
    }
}
