//! A form session: the claim stays inside WebAssembly as a JSON tree; `set` changes one field (its value
//! given as JSON text) and `report` checks the current claim, so a keystroke costs one small conversion,
//! not the whole claim. The tree is a [`BoundedTree`]: paths, nesting and the claim's total size are held
//! to the claim limits ([`crate::limits`]), so no edit can grow it past what `checkJson` accepts. A report
//! decodes only what the edits since the last one reached ([`MemberCache`]).

use wasm_bindgen::prelude::*;

use super::{borrow, check_err, err, locale, SharedChecker};
use crate::check::incremental::Memo;
use crate::check::CLAIM_JSON;
use crate::claim::bounded::{BoundedTree, EditError};
use crate::claim::members::MemberCache;
use crate::json::write_value;
use crate::pack::def::Locale;
use crate::value::Value;

/// A claim being edited.
#[wasm_bindgen]
pub struct WasmSession {
    checker: SharedChecker,
    claim: BoundedTree,
    locale: Locale,
    /// The report as of the last `changes()` call.
    seen: Option<Value>,
    /// The report as of the last `reportDelta()` call.
    shown: Option<Value>,
    /// What the previous check computed, for the next one to reuse.
    memo: Memo,
    /// The claim's top-level members decoded, each until an edit reaches it.
    decoded: MemberCache,
}

/// An edit error for the wrapper to throw.
pub(super) fn edit_err(e: &EditError) -> JsError {
    err(e.code(), e.message())
}

impl WasmSession {
    pub(super) fn new(checker: SharedChecker, claim: BoundedTree, locale: Locale) -> WasmSession {
        WasmSession {
            checker,
            claim,
            locale,
            seen: None,
            shown: None,
            memo: Memo::default(),
            decoded: MemberCache::default(),
        }
    }
}

impl WasmSession {
    /// The report of the current claim.
    fn check(&mut self) -> Result<Value, JsError> {
        let decoded = self.decoded.decode(self.claim.root());
        let out = borrow(&self.checker)?
            .check_decoded_memo(&decoded, self.locale, &mut self.memo)
            .map_err(|e| check_err(&e))?;
        Ok(out.report)
    }
}

#[wasm_bindgen]
impl WasmSession {
    /// Sets the field at `path` (`invoices[0].total`) to the JSON value `value`. A missing object member is
    /// added; a list index equal to the length appends.
    pub fn set(&mut self, path: &str, value: &str) -> Result<(), JsError> {
        self.claim.set(path, value, CLAIM_JSON).map_err(|e| edit_err(&e))?;
        self.decoded.forget(path);
        Ok(())
    }

    /// Removes the field at `path` (a no-op when absent).
    pub fn unset(&mut self, path: &str) -> Result<(), JsError> {
        self.claim.unset(path).map_err(|e| edit_err(&e))?;
        self.decoded.forget(path);
        Ok(())
    }

    /// Changes the report language.
    #[wasm_bindgen(js_name = setLocale)]
    pub fn set_locale(&mut self, tag: &str) -> Result<(), JsError> {
        self.locale = locale(tag)?;
        Ok(())
    }

    /// The report of the current claim as JSON text (re-evaluating only what the edits since the last
    /// check reach): the byte-for-byte form tests/wasm_browser.rs compares with a native check.
    pub fn report(&mut self) -> Result<String, JsError> {
        Ok(write_value(&self.check()?))
    }

    /// What changed in the report since the last call (the first call: the whole report), as JSON text in
    /// the npm wrapper's own form ([`crate::check::changes::delta`]): `report()` of npm applies it to the
    /// report object it returned last, so a keystroke parses only what changed.
    #[wasm_bindgen(js_name = reportDelta)]
    pub fn report_delta(&mut self) -> Result<String, JsError> {
        let report = self.check()?;
        let delta = crate::check::changes::delta(self.shown.as_ref(), &report);
        self.shown = Some(report);
        Ok(write_value(&delta))
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
        write_value(&Value::from_json(self.claim.root()))
    }
}
