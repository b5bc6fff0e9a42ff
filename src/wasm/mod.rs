//! The JavaScript boundary (the only module with `#[wasm_bindgen]`): it converts and delegates, nothing
//! else. Claims and reports cross as JSON text (one `JSON.stringify` on the way in, one `JSON.parse` on the
//! way out, done by the npm package's wrapper), which is faster than walking JS objects field by field and
//! keeps one decoding path for every target. Errors are thrown as `Error`s whose message is a JSON object
//! `{"code", "message", "path"?, "line"?, "column"?}` that the wrapper turns into a `PreclaimError`.
//!
//! Feature `checker` (default) exports the checker, its sessions, the finder and JSONLogic; without it a
//! build exports only what its other features give (`photo`: assessPhoto; `catalog`: WasmCatalog), which
//! is how `make size` measures what separate photo and catalog modules would weigh.
#![cfg_attr(not(feature = "checker"), allow(dead_code, unused_imports))]

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;

use crate::check::{CheckError, Checker};
use crate::echo::echo;
use crate::json::write_value;
use crate::pack::def::Locale;
use crate::pack::PackError;
use crate::value::Value;

#[cfg(feature = "checker")]
mod attach;
#[cfg(feature = "catalog")]
mod catalog;
#[cfg(all(feature = "finder", feature = "checker"))]
mod finder;
#[cfg(feature = "compiler")]
mod jsonlogic;
#[cfg(feature = "photo")]
mod quality;
#[cfg(feature = "checker")]
mod session;

#[cfg(feature = "catalog")]
pub use catalog::WasmCatalog;
#[cfg(all(feature = "finder", feature = "checker"))]
pub use finder::WasmFinderSession;
#[cfg(feature = "compiler")]
pub use jsonlogic::{compile_json_logic, WasmRule};
#[cfg(feature = "photo")]
pub use quality::assess_photo;
#[cfg(feature = "checker")]
pub use session::WasmSession;

/// An error for the wrapper to throw. Its message may echo input (a path, a key, a value), so it goes
/// through [`crate::echo::echo`]: one line, no control characters, no ID or card number in full.
pub(crate) fn err(code: &str, message: &str) -> JsError {
    let v = Value::object(vec![
        ("code".into(), Value::str(code)),
        ("message".into(), Value::str(&echo(message))),
    ]);
    JsError::new(&write_value(&v))
}

/// A pack error for JavaScript: `pack` is the index of the pack in `fromPacks`, or, for an embedded default
/// pack, its index among them (its message then names it: `embedded pack 3 (p-life.json): ...`).
fn pack_err(index: usize, e: &PackError) -> JsError {
    let (index, message) = match e.embedded {
        Some((i, _)) => (i, e.to_string()),
        None => (index, format!("pack {index}: {e}")),
    };
    let v = Value::object(vec![
        ("code".into(), Value::str(e.code)),
        ("message".into(), Value::str(&echo(&message))),
        ("pack".into(), Value::Int(index as i64)),
        ("path".into(), Value::str(&echo(&e.path))),
        ("line".into(), Value::Int(i64::from(e.at.line))),
        ("column".into(), Value::Int(i64::from(e.at.col))),
    ]);
    JsError::new(&write_value(&v))
}

fn check_err(e: &CheckError) -> JsError {
    match e {
        CheckError::NotJson(m) | CheckError::Stopped(m) | CheckError::TooLarge(m) | CheckError::Limit(m) => {
            err(e.code(), m)
        }
        CheckError::Pack(e) => pack_err(0, e),
    }
}

fn locale(s: &str) -> Result<Locale, JsError> {
    Locale::parse(s).ok_or_else(|| err("argument", &format!("locale must be \"zh-CN\" or \"en\", not {s:?}")))
}

/// A checker shared with its sessions (JavaScript is single-threaded: a borrow never waits).
pub(crate) type SharedChecker = Rc<RefCell<Checker>>;

/// The checker, for a check (a busy checker is an error, never a panic).
pub(crate) fn borrow(c: &SharedChecker) -> Result<std::cell::Ref<'_, Checker>, JsError> {
    c.try_borrow().map_err(|_| err("argument", "the checker is busy"))
}

/// A checker with compiled packs.
#[cfg(feature = "checker")]
#[wasm_bindgen]
pub struct WasmChecker {
    inner: SharedChecker,
}

#[cfg(feature = "checker")]
#[wasm_bindgen]
impl WasmChecker {
    /// A checker with the embedded default packs.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Result<WasmChecker, JsError> {
        let c = Checker::with_defaults().map_err(|e| pack_err(0, &e))?;
        Ok(WasmChecker {
            inner: Rc::new(RefCell::new(c)),
        })
    }

    /// A checker with packs in their compiled form (`preclaim pack compile`): `bytes` holds them one after
    /// the other, `lengths` the length of each (one crossing for them all).
    #[wasm_bindgen(js_name = fromCompiled)]
    pub fn from_compiled(bytes: &[u8], lengths: Vec<u32>) -> Result<WasmChecker, JsError> {
        let mut programs = Vec::with_capacity(lengths.len());
        let mut rest = bytes;
        for (i, &len) in lengths.iter().enumerate() {
            let (pack, after) = rest
                .split_at_checked(len as usize)
                .ok_or_else(|| err("argument", "the compiled packs are shorter than their lengths"))?;
            programs.push(crate::pack::binary::decode(pack).map_err(|e| pack_err(i, &e))?);
            rest = after;
        }
        Ok(WasmChecker {
            inner: Rc::new(RefCell::new(Checker::from_programs(programs))),
        })
    }

    /// Checks a claim given as JSON text; returns the report as JSON text.
    #[wasm_bindgen(js_name = checkJson)]
    pub fn check_json(&self, claim: &str, locale_tag: &str) -> Result<String, JsError> {
        let loc = locale(locale_tag)?;
        let out = borrow(&self.inner)?.check_text(claim, loc).map_err(|e| check_err(&e))?;
        Ok(write_value(&out.report))
    }

    /// The packs: `[{"id", "version", "products", "benefits", "title"}]` as JSON text.
    #[wasm_bindgen(js_name = packsJson)]
    pub fn packs_json(&self) -> Result<String, JsError> {
        let list = borrow(&self.inner)?
            .packs()
            .map_err(|e| pack_err(0, &e))?
            .into_iter()
            .map(|p| {
                Value::object(vec![
                    ("id".into(), Value::str(&p.id)),
                    ("version".into(), Value::str(&p.version)),
                    (
                        "products".into(),
                        Value::array(p.products.iter().map(|s| Value::str(s)).collect()),
                    ),
                    (
                        "benefits".into(),
                        Value::array(
                            crate::finder::benefits::offered(p)
                                .into_iter()
                                .map(Value::str)
                                .collect(),
                        ),
                    ),
                    (
                        "title".into(),
                        Value::object(vec![
                            ("zh-CN".into(), Value::str(&p.title.zh)),
                            ("en".into(), Value::str(&p.title.en)),
                        ]),
                    ),
                ])
            })
            .collect();
        Ok(write_value(&Value::array(list)))
    }

    /// A session that keeps the claim inside WebAssembly for a form that changes one field at a time.
    pub fn session(&self, claim: &str, locale_tag: &str) -> Result<WasmSession, JsError> {
        let loc = locale(locale_tag)?;
        let node = crate::check::parse_claim(claim).map_err(|e| check_err(&e))?;
        let tree = crate::claim::bounded::BoundedTree::new(node).map_err(|e| session::edit_err(&e))?;
        Ok(WasmSession::new(Rc::clone(&self.inner), tree, loc))
    }
}

/// The pack compiler (the entry `preclaim/compiler`): loads packs from their JSON texts (verifying their
/// signatures against the trusted public keys, hex, when given) and returns their compiled form, each as
/// its length (u32, little-endian) and its bytes, one after the other, for `Checker.fromCompiled` of
/// another WebAssembly instance (the core, which has no compiler). Errors name the pack's index.
#[cfg(feature = "compiler")]
#[wasm_bindgen(js_name = compilePackTexts)]
pub fn compile_pack_texts(
    texts: Vec<String>,
    public_keys: Vec<String>,
    require_signature: bool,
) -> Result<Vec<u8>, JsError> {
    let mut out = Vec::new();
    for (i, t) in texts.iter().enumerate() {
        if !public_keys.is_empty() || require_signature {
            verify_pack(i, t, &public_keys, require_signature)?;
        }
        let program = crate::pack::load_program(t).map_err(|e| pack_err(i, &e))?;
        let bytes = crate::pack::binary::encode(&program).map_err(|e| pack_err(i, &e))?;
        let len = u32::try_from(bytes.len()).map_err(|_| err("pack.limit", "a compiled pack over 4 GiB"))?;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&bytes);
    }
    Ok(out)
}

/// Checks pack `index`'s signature against the trusted keys (hex).
#[cfg(feature = "signatures")]
fn verify_pack(index: usize, text: &str, public_keys: &[String], require_signature: bool) -> Result<(), JsError> {
    use crate::pack::signature::{verify, TrustedKey};
    let keys = public_keys
        .iter()
        .map(|k| TrustedKey::from_hex(k))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|m| err("argument", &m))?;
    verify(text, &keys, require_signature).map_err(|e| {
        let pe = PackError {
            code: "pack.signature",
            path: "signature".into(),
            at: crate::json::LineCol { line: 1, col: 1 },
            message: e.to_string(),
            embedded: None,
        };
        pack_err(index, &pe)
    })?;
    Ok(())
}

/// A build without pack signatures refuses to pretend it checked one.
#[cfg(all(feature = "compiler", not(feature = "signatures")))]
fn verify_pack(_: usize, _: &str, _: &[String], _: bool) -> Result<(), JsError> {
    Err(err(
        "argument",
        "this build of preclaim has no pack signatures (feature `signatures`)",
    ))
}

/// Every limit on inputs as a JSON object (`limits()` in JavaScript).
#[wasm_bindgen(js_name = limitsJson)]
pub fn limits_json() -> String {
    crate::limits::to_json()
}

/// The library's version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
