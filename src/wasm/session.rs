//! A form session: the claim stays inside WebAssembly as a JSON tree; `set` changes one field (its value
//! given as JSON text) and `report` checks the current claim, so a keystroke costs one small conversion,
//! not the whole claim.

use wasm_bindgen::prelude::*;

use super::{borrow, check_err, err, locale, SharedChecker};
use crate::check::incremental::Memo;
use crate::claim::edit::{set_path, unset_path};
use crate::json::{self, write_value, JsonNode, ParseOptions};
use crate::pack::def::Locale;
use crate::value::Value;

pub(super) const PARSE: ParseOptions = ParseOptions {
    max_depth: 64,
    allow_duplicate_keys: false,
    replace_lone_surrogates: true,
    intern: Some(crate::claim::decode::intern),
};

/// A claim being edited.
#[wasm_bindgen]
pub struct WasmSession {
    checker: SharedChecker,
    claim: JsonNode,
    locale: Locale,
    /// The report as of the last `changes()` call.
    seen: Option<Value>,
    /// What the previous check computed, for the next one to reuse.
    memo: Memo,
}

impl WasmSession {
    pub(super) fn new(checker: SharedChecker, claim: JsonNode, locale: Locale) -> WasmSession {
        WasmSession {
            checker,
            claim,
            locale,
            seen: None,
            memo: Memo::default(),
        }
    }
}

impl WasmSession {
    /// The report of the current claim.
    fn check(&mut self) -> Result<Value, JsError> {
        let out = borrow(&self.checker)?
            .check_node_memo(&self.claim, self.locale, &mut self.memo)
            .map_err(|e| check_err(&e))?;
        Ok(out.report)
    }
}

#[wasm_bindgen]
impl WasmSession {
    /// Sets the field at `path` (`invoices[0].total`) to the JSON value `value`. A missing object member is
    /// added; a list index equal to the length appends.
    pub fn set(&mut self, path: &str, value: &str) -> Result<(), JsError> {
        let v =
            json::parse_with(value, PARSE).map_err(|e| err("argument", &format!("value: {}", e.describe(value))))?;
        set_path(&mut self.claim, path, v).map_err(|m| err("argument", &m))
    }

    /// Removes the field at `path` (a no-op when absent).
    pub fn unset(&mut self, path: &str) -> Result<(), JsError> {
        unset_path(&mut self.claim, path).map_err(|m| err("argument", &m))
    }

    /// Changes the report language.
    #[wasm_bindgen(js_name = setLocale)]
    pub fn set_locale(&mut self, tag: &str) -> Result<(), JsError> {
        self.locale = locale(tag)?;
        Ok(())
    }

    /// The report of the current claim as JSON text (re-evaluating only what the edits since the last
    /// check reach).
    pub fn report(&mut self) -> Result<String, JsError> {
        Ok(write_value(&self.check()?))
    }

    /// What changed in the report since the last call (the first call: since nothing), as JSON text
    /// ([`crate::check::changes::changes`]).
    pub fn changes(&mut self) -> Result<String, JsError> {
        let report = self.check()?;
        let diff = crate::check::changes::changes(self.seen.as_ref(), &report);
        self.seen = Some(report);
        Ok(write_value(&diff))
    }

    /// The current claim as JSON text.
    #[wasm_bindgen(js_name = claimJson)]
    pub fn claim_json(&self) -> String {
        write_value(&Value::from_json(&self.claim))
    }
}
