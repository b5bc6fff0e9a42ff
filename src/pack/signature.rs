//! Pack integrity: an Ed25519 signature over a pack's canonical bytes, carried in the pack as a top-level
//! `"signature": {"alg": "ed25519", "key_id": "...", "sig": "<128 hex digits>"}`. The app pins the insurer's
//! public keys; [`verify`] accepts a pack only when its signature verifies with one of them (and, when
//! the app asks, refuses a pack with no signature).
//!
//! Canonical bytes: the pack parsed as JSON, without its `signature` member, written compactly with every
//! object's keys sorted (by their UTF-8 bytes), strings escaped only where JSON requires, integers exact
//! and other numbers as JavaScript prints them. White space, key order and escapes in the file therefore do
//! not matter; any change to a value does.
//!
//! The canonical form is one-to-one on what a pack means: two packs have the same canonical bytes exactly
//! when the loader reads the same document from them. Numbers are where that needs care:
//!
//! - a number out of a double's range (`1e400`, `-1e400`, `1E999`) has no value: the loader refuses it
//!   (as the JSONLogic parser does) and so does [`canonical_bytes`] ([`SignatureError::NumberOutOfRange`]),
//!   so such a pack can be neither signed nor verified. (Before, it was written as `null`, so a signed
//!   `null` could be replaced by `1e400` and the pack still verified.)
//! - a number with an exact integer value that fits `i64` is that integer however it is written: `1`,
//!   `1.0`, `1e0` and `10e-1` are one value to the loader ([`super::load::parse_json`]), as they are to
//!   JavaScript, and are written `1`; `-0` and `-0.0` are `0`; `1e2` is `100`.
//! - every other number is a double, written as JavaScript prints it: the shortest text that reads back as
//!   the same double (`0.1`, `1.5e-7`, `1e+21`, `10000000000000000000`). Two texts for one double
//!   (`0.1` and `0.10000000000000001`) are one value; two doubles never print the same; and a double never
//!   prints like an `i64` (it has a `.` or an `e`, or is an integer beyond `i64`).

use ed25519_compact::{KeyPair, PublicKey, Seed, Signature};

use crate::json;
use crate::value::Value;

/// Why a pack's signature was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureError {
    /// The pack is not JSON (the loader reports where).
    NotJson,
    /// The pack holds a number out of a double's range (`1e400`): it has no canonical form.
    NumberOutOfRange,
    /// No signature, and the app requires one.
    Missing,
    /// The `signature` member is not `{"alg": "ed25519", "sig": HEX, "key_id"?: TEXT}`.
    Malformed(String),
    /// The signature does not verify with any pinned key: the pack was changed or signed by someone else.
    Invalid,
}

impl std::fmt::Display for SignatureError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SignatureError::NotJson => f.write_str("the pack is not valid JSON"),
            SignatureError::NumberOutOfRange => {
                f.write_str("the pack holds a number too large for a double (like 1e400), which has no canonical form")
            }
            SignatureError::Missing => f.write_str("the pack has no signature, and a signed pack is required"),
            SignatureError::Malformed(m) => {
                write!(f, "the pack's signature is malformed: {}", crate::echo::Echo(m))
            }
            SignatureError::Invalid => f.write_str(
                "the pack's signature does not verify with any trusted key (changed, or signed by someone else)",
            ),
        }
    }
}

impl std::error::Error for SignatureError {}

/// What a verified pack was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verified {
    /// Signed with the trusted key at this index; `key_id` as the pack states it.
    Signed { key: usize, key_id: Option<String> },
    /// Not signed (allowed by the caller).
    Unsigned,
}

fn hex_decode(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| s.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()))
        .collect()
}

fn hex_encode(b: &[u8]) -> String {
    crate::quality::to_hex(b)
}

/// A trusted public key, from 64 hex digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedKey(PublicKey);

impl TrustedKey {
    pub fn from_hex(s: &str) -> Result<TrustedKey, String> {
        let b = hex_decode(s.trim()).ok_or("a public key is 64 hex digits")?;
        PublicKey::from_slice(&b)
            .map(TrustedKey)
            .map_err(|_| "a public key is 64 hex digits".to_string())
    }
}

/// Appends `v` in canonical form: keys sorted, numbers as the module docs say.
fn write_canonical(out: &mut String, v: &Value) -> Result<(), SignatureError> {
    match v {
        Value::Float(f) if !f.is_finite() => return Err(SignatureError::NumberOutOfRange),
        Value::Float(f) => match super::load::exact_integer(*f) {
            Some(i) => out.push_str(&i.to_string()),
            None => json::push_js_number(out, *f),
        },
        Value::Array(items) => {
            out.push('[');
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(out, x)?;
            }
            out.push(']');
        }
        Value::Object(m) => {
            let mut members: Vec<&(std::sync::Arc<str>, Value)> = m.iter().collect();
            members.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            out.push('{');
            for (i, (k, x)) in members.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json::write_string(out, k);
                out.push(':');
                write_canonical(out, x)?;
            }
            out.push('}');
        }
        other => out.push_str(&json::write_value(other)),
    }
    Ok(())
}

fn parse(text: &str) -> Result<Value, SignatureError> {
    json::parse_with(text, super::load::PACK_JSON)
        .map(|n| Value::from_json(&n))
        .map_err(|_| SignatureError::NotJson)
}

/// The canonical bytes of a pack (without its `signature`); a number out of a double's range is an error.
pub fn canonical_bytes(pack: &Value) -> Result<Vec<u8>, SignatureError> {
    let without = match pack {
        Value::Object(m) => Value::object(m.iter().filter(|(k, _)| &**k != "signature").cloned().collect()),
        other => other.clone(),
    };
    let mut out = String::new();
    write_canonical(&mut out, &without)?;
    Ok(out.into_bytes())
}

/// The canonical bytes of a pack's text (what [`sign`] signs and [`verify`] checks).
pub fn canonical_bytes_of_text(pack_text: &str) -> Result<Vec<u8>, SignatureError> {
    canonical_bytes(&parse(pack_text)?)
}

/// Checks a pack's signature against the trusted keys.
pub fn verify(pack_text: &str, keys: &[TrustedKey], require: bool) -> Result<Verified, SignatureError> {
    let pack = parse(pack_text)?;
    let Some(sig) = pack.get("signature") else {
        return if require {
            Err(SignatureError::Missing)
        } else {
            Ok(Verified::Unsigned)
        };
    };
    let bad = |m: &str| SignatureError::Malformed(m.to_string());
    if sig.get("alg").and_then(Value::as_str) != Some("ed25519") {
        return Err(bad("`alg` must be \"ed25519\""));
    }
    let key_id = match sig.get("key_id") {
        None | Some(Value::Null) => None,
        Some(Value::Str(s)) => Some(s.to_string()),
        Some(_) => return Err(bad("`key_id` must be text")),
    };
    let bytes = sig
        .get("sig")
        .and_then(Value::as_str)
        .and_then(hex_decode)
        .ok_or_else(|| bad("`sig` must be 128 hex digits"))?;
    let signature = Signature::from_slice(&bytes).map_err(|_| bad("`sig` must be 128 hex digits"))?;
    let message = canonical_bytes(&pack)?;
    keys.iter()
        .position(|k| k.0.verify(&message, &signature).is_ok())
        .map(|key| Verified::Signed { key, key_id })
        .ok_or(SignatureError::Invalid)
}

/// A key pair from a 32-byte seed (64 hex digits): (secret seed hex, public key hex).
pub fn public_key_of(seed_hex: &str) -> Result<String, String> {
    let kp = key_pair(seed_hex)?;
    Ok(hex_encode(kp.pk.as_ref()))
}

fn key_pair(seed_hex: &str) -> Result<KeyPair, String> {
    let b = hex_decode(seed_hex.trim()).ok_or("a secret key is 64 hex digits")?;
    let seed = Seed::from_slice(&b).map_err(|_| "a secret key is 64 hex digits".to_string())?;
    Ok(KeyPair::from_seed(seed))
}

/// Signs a pack: returns its text with a `signature` member (replacing any), as pretty JSON.
pub fn sign(pack_text: &str, seed_hex: &str, key_id: Option<&str>) -> Result<String, String> {
    let pack = parse(pack_text).map_err(|e| e.to_string())?;
    let Value::Object(m) = &pack else {
        return Err("a pack is a JSON object".into());
    };
    let kp = key_pair(seed_hex)?;
    let sig = kp.sk.sign(canonical_bytes(&pack).map_err(|e| e.to_string())?, None);
    let mut members: Vec<(std::sync::Arc<str>, Value)> =
        m.iter().filter(|(k, _)| &**k != "signature").cloned().collect();
    let mut s = vec![("alg".into(), Value::str("ed25519"))];
    if let Some(id) = key_id {
        s.push(("key_id".into(), Value::str(id)));
    }
    s.push(("sig".into(), Value::str(&hex_encode(sig.as_ref()))));
    members.push(("signature".into(), Value::object(s)));
    Ok(json::write_value_pretty(&Value::object(members)) + "\n")
}

/// Encodes bytes as lowercase hex (for keys made by the CLI).
pub fn to_hex(b: &[u8]) -> String {
    hex_encode(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: &str = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";

    #[test]
    fn signs_and_verifies_and_detects_changes() {
        let pack = r#"{"id": "T", "version": "1.0.0", "params": {"b": 2, "a": "x"}}"#;
        let signed = sign(pack, SEED, Some("insurer-2026")).unwrap();
        let key = TrustedKey::from_hex(&public_key_of(SEED).unwrap()).unwrap();
        // RFC 8032 test 1: this seed's public key.
        assert_eq!(
            public_key_of(SEED).unwrap(),
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
        );
        assert_eq!(
            verify(&signed, std::slice::from_ref(&key), true),
            Ok(Verified::Signed {
                key: 0,
                key_id: Some("insurer-2026".into())
            })
        );
        // Reformatting and reordering keys keeps it valid; changing a value does not.
        let reordered = signed
            .replace("\"version\": \"1.0.0\",", "")
            .replace("\"id\": \"T\",", "\"id\": \"T\", \"version\": \"1.0.0\",");
        assert_eq!(verify(&reordered, std::slice::from_ref(&key), true).map(|_| ()), Ok(()));
        let tampered = signed.replace("\"x\"", "\"y\"");
        assert_eq!(
            verify(&tampered, std::slice::from_ref(&key), true),
            Err(SignatureError::Invalid)
        );
        assert_eq!(
            verify(pack, std::slice::from_ref(&key), true),
            Err(SignatureError::Missing)
        );
        assert_eq!(verify(pack, std::slice::from_ref(&key), false), Ok(Verified::Unsigned));
        let other = TrustedKey::from_hex(&public_key_of(&"11".repeat(32)).unwrap()).unwrap();
        assert_eq!(verify(&signed, &[other], true), Err(SignatureError::Invalid));
        assert!(TrustedKey::from_hex("abc").is_err());
    }

    fn canon(text: &str) -> Result<String, SignatureError> {
        canonical_bytes_of_text(text).map(|b| String::from_utf8(b).unwrap())
    }

    #[test]
    fn a_number_out_of_range_can_be_neither_signed_nor_verified() {
        let pack = r#"{"id": "T", "version": "1.0.0", "params": {"cap": null}}"#;
        let signed = sign(pack, SEED, None).unwrap();
        let key = TrustedKey::from_hex(&public_key_of(SEED).unwrap()).unwrap();
        assert!(verify(&signed, std::slice::from_ref(&key), true).is_ok());
        for big in ["1e400", "-1e400", "1E999", "[1e400]", "{\"a\": -1E999}"] {
            let altered = signed.replace("\"cap\": null", &format!("\"cap\": {big}"));
            assert_ne!(altered, signed);
            assert_eq!(
                verify(&altered, std::slice::from_ref(&key), true),
                Err(SignatureError::NumberOutOfRange),
                "{big}"
            );
            assert_eq!(canon(&altered), Err(SignatureError::NumberOutOfRange));
            assert!(sign(&altered, SEED, None).is_err(), "{big}");
        }
        assert_eq!(
            canonical_bytes(&Value::Float(f64::NAN)),
            Err(SignatureError::NumberOutOfRange)
        );
    }

    #[test]
    fn numbers_share_canonical_bytes_exactly_when_they_are_one_value() {
        let same = [
            vec!["1", "1.0", "1e0", "10e-1", "0.1e1", "1.000"],
            vec!["0", "-0", "0.0", "-0.0", "0e5", "1e-400"],
            vec!["100", "1e2", "1E+2", "100.0"],
            vec!["-7", "-7.0", "-0.7e1"],
            vec!["0.1", "0.10000000000000001", "1e-1"],
            vec!["9007199254740992", "9007199254740992.0", "9.007199254740992e15"],
            vec!["10000000000000000000", "1e19", "1E19"],
            vec!["1e21", "1000000000000000000000"],
        ];
        let mut seen: Vec<String> = Vec::new();
        for group in &same {
            let first = canon(&format!("{{\"x\": {}}}", group[0])).unwrap();
            for n in group {
                assert_eq!(canon(&format!("{{\"x\": {n}}}")).unwrap(), first, "{n} vs {}", group[0]);
            }
            assert!(!seen.contains(&first), "{first}");
            seen.push(first);
        }
        // Distinct values, distinct bytes: an i64 next to the double it rounds to, a double next to the
        // largest i64.
        let distinct = [
            "9007199254740993",
            "4503599627370495.5",
            "1.5",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775808",
            "-9223372036854777856",
            "\"1\"",
            "null",
            "[1]",
        ];
        for n in distinct {
            let c = canon(&format!("{{\"x\": {n}}}")).unwrap();
            assert!(!seen.contains(&c), "{n}: {c}");
            seen.push(c);
        }
        // The loader reads the same values the canonical form shows.
        let def = crate::pack::load::load(
            r#"{"id": "T", "version": "1.0.0", "title": {"zh-CN": "t", "en": "t"}, "products": ["T"],
                "params": {"a": 1.0, "b": -0.0, "c": 1e2, "d": 0.5, "e": 1e19}}"#,
        )
        .unwrap();
        let kinds: Vec<String> = def.params.iter().map(|(k, v)| format!("{k}={v:?}")).collect();
        assert_eq!(
            kinds,
            ["a=Int(1)", "b=Int(0)", "c=Int(100)", "d=Float(0.5)", "e=Float(1e19)"],
            "{kinds:?}"
        );
    }
}
