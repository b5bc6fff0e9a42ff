//! The public JSONLogic engine at the JavaScript boundary: `compileJsonLogic(text)` gives a rule whose
//! `evaluate(dataText)` returns the result as JSON text. Converts and delegates to [`crate::jsonlogic`];
//! errors are thrown like the checker's, with the rule's `line` and `column` or JSONLogic's `error` object.

use wasm_bindgen::prelude::*;

use crate::echo::echo;
use crate::json::{line_col, write_value};
use crate::jsonlogic::{self, Error, Rule};
use crate::value::Value;

fn rule_err(e: &Error, text: Option<&str>) -> JsError {
    let at = e.offset.zip(text).map(|(offset, text)| line_col(text, offset as usize));
    let message = match at {
        Some(at) => format!("{} at {at}", e.message),
        None => e.message.clone(),
    };
    let mut m = vec![
        ("code".into(), Value::str(e.code)),
        ("message".into(), Value::str(&echo(&message))),
    ];
    if let Some(at) = at {
        m.push(("line".into(), Value::Int(i64::from(at.line))));
        m.push(("column".into(), Value::Int(i64::from(at.col))));
    }
    if let Some(v) = &e.error {
        m.push(("error".into(), v.clone()));
    }
    JsError::new(&write_value(&Value::object(m)))
}

/// A compiled JSONLogic rule (or array of rules).
#[wasm_bindgen]
pub struct WasmRule {
    rule: Rule,
}

/// Compiles JSONLogic text.
#[wasm_bindgen(js_name = compileJsonLogic)]
pub fn compile_json_logic(text: &str) -> Result<WasmRule, JsError> {
    let rule = jsonlogic::compile(text).map_err(|e| rule_err(&e, Some(text)))?;
    Ok(WasmRule { rule })
}

#[wasm_bindgen]
impl WasmRule {
    /// Evaluates the rule on data given as JSON text; the result as JSON text.
    pub fn evaluate(&self, data: &str) -> Result<String, JsError> {
        self.rule.evaluate_text(data).map_err(|e| rule_err(&e, None))
    }
}
