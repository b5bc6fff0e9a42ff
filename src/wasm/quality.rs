//! The photo pre-check at the JavaScript boundary: file bytes (for the type, size and SHA-256) and the
//! decoded RGBA pixels (possibly pre-shrunk by the browser; the source size is passed along) go in, the
//! `documents[].quality` object comes out as JSON text. Decoding happens in JavaScript (createImageBitmap).

use wasm_bindgen::prelude::*;

use super::err;
use crate::json::{self, write_value};
use crate::quality::{assess, sha256, sniff, AssessInput, Assessment, Config, DocKind, Hashes, SNIFF_HEAD};
use crate::value::Value;

fn options(text: &str) -> Result<(Config, DocKind, Vec<Hashes>), JsError> {
    if text.trim().is_empty() {
        return Ok((Config::default(), DocKind::A4, Vec::new()));
    }
    let v = json::parse(text)
        .map(|n| Value::from_json(&n))
        .map_err(|e| err("argument", &e.describe(text)))?;
    let cfg = match v.get("config") {
        None | Some(Value::Null) => Config::default(),
        Some(c) => Config::from_value(c).map_err(|m| err("argument", &m))?,
    };
    let kind = match v.get("doc_kind").and_then(Value::as_str) {
        None => DocKind::A4,
        Some(k) => DocKind::parse(k).ok_or_else(|| err("argument", &format!("unknown doc_kind {k:?}")))?,
    };
    let earlier = v
        .get("earlier")
        .and_then(Value::as_array)
        .unwrap_or_default()
        .iter()
        .map(|h| Hashes::from_value(h.get("hashes").unwrap_or(h)))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| err("argument", &format!("earlier: {e}")))?;
    Ok((cfg, kind, earlier))
}

/// Assesses one photo. `file` may be empty (pixels only); `rgba` may be empty (the browser could not
/// decode the file: the result is "not checked", never a failure).
#[wasm_bindgen(js_name = assessPhoto)]
pub fn assess_photo(
    file: &[u8],
    rgba: &[u8],
    width: u32,
    height: u32,
    source_width: u32,
    source_height: u32,
    options_json: &str,
) -> Result<String, JsError> {
    let (cfg, doc_kind, earlier) = options(options_json)?;
    let photo_err = |e: crate::quality::QualityError| err("photo", &e.to_string());
    let (file_check, digest) = if file.is_empty() {
        (None, None)
    } else {
        let head = file.get(..file.len().min(SNIFF_HEAD)).unwrap_or(file);
        (
            Some(sniff(head, file.len() as u64, &cfg).map_err(photo_err)?),
            Some(sha256(file)),
        )
    };
    let mut result = if rgba.is_empty() {
        match file_check {
            Some(fc) => Assessment::from_file(fc, digest, &cfg),
            None => return Err(err("argument", "give the file bytes, the pixels, or both")),
        }
    } else {
        let input = AssessInput {
            rgba,
            width,
            height,
            source_width,
            source_height,
            doc_kind,
            file_sha256: digest,
        };
        let a = assess(&input, &cfg).map_err(photo_err)?;
        match file_check {
            Some(fc) => a.with_file(fc),
            None => a,
        }
    };
    result.check_duplicates(&earlier, &cfg);
    Ok(write_value(&result.to_value()))
}
