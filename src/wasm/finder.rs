//! The claim finder at the JavaScript boundary: `findJson` (finder@1 text → plan@1 text) and a finder
//! session for a form (the input stays inside WebAssembly; `set` changes one field, `plan` answers).
//! Converts and delegates to [`crate::finder`]; errors are thrown like the checker's, with the input `path`.

use wasm_bindgen::prelude::*;

use super::{borrow, locale, SharedChecker, WasmChecker};
use crate::claim::bounded::BoundedTree;
use crate::finder::{self, FinderError};
use crate::json::{self, write_value, JsonNode};
use crate::pack::def::Locale;
use crate::value::Value;

fn finder_err(e: &FinderError) -> JsError {
    let mut m = vec![
        ("code".into(), Value::str(e.code())),
        ("message".into(), Value::str(&e.to_string())),
    ];
    if !e.path().is_empty() {
        m.push(("path".into(), Value::str(e.path())));
    }
    JsError::new(&write_value(&Value::object(m)))
}

fn parse(text: &str) -> Result<JsonNode, JsError> {
    json::parse_with(text, finder::PARSE).map_err(|e| finder_err(&FinderError::NotJson(e.describe(text))))
}

#[wasm_bindgen]
impl WasmChecker {
    /// Plans the claims of a finder@1 input given as JSON text; returns the plan@1 as JSON text.
    #[wasm_bindgen(js_name = findJson)]
    pub fn find_json(&self, input: &str, locale_tag: &str) -> Result<String, JsError> {
        let loc = locale(locale_tag)?;
        let found = finder::find_text(&*borrow(&self.inner)?, input, loc).map_err(|e| finder_err(&e))?;
        Ok(write_value(&found.plan))
    }

    /// A finder session: the input stays inside WebAssembly for a form that changes one field at a time.
    #[wasm_bindgen(js_name = finderSession)]
    pub fn finder_session(&self, input: &str, locale_tag: &str) -> Result<WasmFinderSession, JsError> {
        let loc = locale(locale_tag)?;
        if input.len() > crate::check::MAX_CLAIM_BYTES {
            return Err(finder_err(&FinderError::TooLarge("the input is too large".into())));
        }
        Ok(WasmFinderSession {
            checker: std::rc::Rc::clone(&self.inner),
            input: BoundedTree::new(parse(input)?).map_err(|e| super::session::edit_err(&e))?,
            locale: loc,
        })
    }
}

/// A finder input being edited.
#[wasm_bindgen]
pub struct WasmFinderSession {
    checker: SharedChecker,
    input: BoundedTree,
    locale: Locale,
}

#[wasm_bindgen]
impl WasmFinderSession {
    /// Sets the field at `path` (`policies[1].policy.paid_this_year`) to the JSON value `value`.
    pub fn set(&mut self, path: &str, value: &str) -> Result<(), JsError> {
        self.input
            .set(path, value, finder::PARSE)
            .map_err(|e| super::session::edit_err(&e))
    }

    /// Removes the field at `path` (a no-op when absent).
    pub fn unset(&mut self, path: &str) -> Result<(), JsError> {
        self.input.unset(path).map_err(|e| super::session::edit_err(&e))
    }

    /// Changes the plan's language.
    #[wasm_bindgen(js_name = setLocale)]
    pub fn set_locale(&mut self, tag: &str) -> Result<(), JsError> {
        self.locale = locale(tag)?;
        Ok(())
    }

    /// The plan of the current input as JSON text.
    pub fn plan(&self) -> Result<String, JsError> {
        let found =
            finder::find_node(&*borrow(&self.checker)?, self.input.root(), self.locale).map_err(|e| finder_err(&e))?;
        Ok(write_value(&found.plan))
    }

    /// The current input as JSON text.
    #[wasm_bindgen(js_name = inputJson)]
    pub fn input_json(&self) -> String {
        write_value(&Value::from_json(self.input.root()))
    }
}
