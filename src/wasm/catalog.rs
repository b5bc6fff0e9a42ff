//! Medical catalogs for JavaScript: `WasmCatalog.load(bytes)` checks catalog bytes (copied once into
//! WebAssembly memory, then read in place), answers look-ups and searches as JSON text, and is attached to a
//! checker for the rules' catalog functions.

use std::sync::Arc;

use wasm_bindgen::prelude::*;

use super::{borrow, err, WasmChecker};
use crate::catalog::{entry_value, Catalog, Info, Kind};
use crate::json::write_value;
use crate::value::Value;

/// The most entries a prefix look-up or a search returns in one call.
const MAX_LIMIT: u32 = crate::limits::MAX_CATALOG_RESULTS;

/// A loaded catalog.
#[wasm_bindgen]
pub struct WasmCatalog {
    inner: Arc<Catalog<'static>>,
}

impl WasmCatalog {
    pub(super) fn shared(&self) -> Arc<Catalog<'static>> {
        Arc::clone(&self.inner)
    }
}

/// The kind as the JS API names it (`"diagnosis"`, `"item"`).
fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::Diagnosis => "diagnosis",
        Kind::Item => "item",
    }
}

fn info_value(i: &Info) -> Value {
    Value::object(vec![
        ("kind".into(), Value::str(kind_name(i.kind))),
        ("version".into(), Value::Int(i64::from(i.version))),
        ("entries".into(), Value::Int(i64::from(i.entries))),
        ("bytes".into(), Value::Int(i.bytes as i64)),
        ("names".into(), Value::Int(i64::from(i.names))),
    ])
}

#[wasm_bindgen]
impl WasmCatalog {
    /// Checks catalog bytes (header, checksum, indexes). Errors carry `E_CATALOG_*` codes.
    pub fn load(bytes: Vec<u8>) -> Result<WasmCatalog, JsError> {
        let cat = Catalog::from_vec(bytes).map_err(|e| err(e.code(), &e.to_string()))?;
        Ok(WasmCatalog { inner: Arc::new(cat) })
    }

    /// `{"kind", "version", "entries", "bytes", "names"}` as JSON text.
    #[wasm_bindgen(js_name = infoJson)]
    pub fn info_json(&self) -> String {
        write_value(&info_value(&self.inner.info()))
    }

    /// Whether the catalog lists exactly this code (no entry is built: the cheapest check for a form field).
    pub fn has(&self, code: &str) -> bool {
        self.inner.contains(code)
    }

    /// The entry with exactly this code as JSON text, or `null`.
    #[wasm_bindgen(js_name = lookupJson)]
    pub fn lookup_json(&self, code: &str) -> String {
        self.inner
            .get(code)
            .map_or_else(|| "null".to_string(), |e| write_value(&entry_value(&e, None)))
    }

    /// The entries whose code starts with `prefix`, in code order, at most `limit`, as a JSON array.
    #[wasm_bindgen(js_name = prefixJson)]
    pub fn prefix_json(&self, prefix: &str, limit: u32) -> String {
        let list = self
            .inner
            .prefix(prefix)
            .take(limit.min(MAX_LIMIT) as usize)
            .map(|e| entry_value(&e, None))
            .collect();
        write_value(&Value::array(list))
    }

    /// Autocomplete: codes first, then names (Chinese or English), at most `limit`, as a JSON array of entries
    /// with `match`.
    #[wasm_bindgen(js_name = searchJson)]
    pub fn search_json(&self, query: &str, limit: u32) -> String {
        let list = self
            .inner
            .search(query, limit.min(MAX_LIMIT) as usize)
            .iter()
            .map(|h| entry_value(&h.entry, Some(h.matched.as_str())))
            .collect();
        write_value(&Value::array(list))
    }
}

/// Catalogs on a checker.
#[wasm_bindgen]
impl WasmChecker {
    /// Loads a catalog for the rules (replacing one of the same kind); sessions see it at their next report.
    #[wasm_bindgen(js_name = attachCatalog)]
    pub fn attach_catalog(&self, catalog: &WasmCatalog) -> Result<(), JsError> {
        let mut c = self
            .inner
            .try_borrow_mut()
            .map_err(|_| err("argument", "the checker is busy"))?;
        c.attach_catalog(catalog.shared());
        Ok(())
    }

    /// Unloads the catalog of a kind (`"diagnosis"` or `"item"`).
    #[wasm_bindgen(js_name = detachCatalog)]
    pub fn detach_catalog(&self, kind: &str) -> Result<(), JsError> {
        let k = Kind::parse(kind).ok_or_else(|| err("argument", "the catalog kind is \"diagnosis\" or \"item\""))?;
        let mut c = self
            .inner
            .try_borrow_mut()
            .map_err(|_| err("argument", "the checker is busy"))?;
        c.detach_catalog(k);
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
