//! Pack integrity: an Ed25519 signature over a pack's canonical bytes, carried in the pack as a top-level
//! `"signature": {"alg": "ed25519", "key_id": "...", "sig": "<128 hex digits>"}`. The app pins the insurer's
//! public keys; [`verify`] accepts a pack only when its signature verifies with one of them (and, when
//! the app asks, refuses a pack with no signature).
//!
//! Canonical bytes: the pack parsed as JSON, without its `signature` member, written compactly with every
//! object's keys sorted (by their UTF-8 bytes), strings escaped only where JSON requires, integers exact
//! and other numbers as JavaScript prints them. White space, key order and escapes in the file therefore do
//! not matter; any change to a value does.

use ed25519_compact::{KeyPair, PublicKey, Seed, Signature};

use crate::json::{self, ParseOptions};
use crate::value::Value;

/// Why a pack's signature was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureError {
    /// The pack is not JSON (the loader reports where).
    NotJson,
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
            SignatureError::Missing => f.write_str("the pack has no signature, and a signed pack is required"),
            SignatureError::Malformed(m) => write!(f, "the pack's signature is malformed: {m}"),
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

fn sorted(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut members: Vec<(std::sync::Arc<str>, Value)> =
                m.iter().map(|(k, x)| (k.clone(), sorted(x))).collect();
            members.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            Value::object(members)
        }
        Value::Array(a) => Value::array(a.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

fn parse(text: &str) -> Result<Value, SignatureError> {
    let opts = ParseOptions {
        max_depth: 256,
        allow_duplicate_keys: false,
        replace_lone_surrogates: false,
        intern: None,
    };
    json::parse_with(text, opts)
        .map(|n| Value::from_json(&n))
        .map_err(|_| SignatureError::NotJson)
}

/// The canonical bytes of a pack (without its `signature`).
pub fn canonical_bytes(pack: &Value) -> Vec<u8> {
    let without = match pack {
        Value::Object(m) => Value::object(m.iter().filter(|(k, _)| &**k != "signature").cloned().collect()),
        other => other.clone(),
    };
    json::write_value(&sorted(&without)).into_bytes()
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
    let message = canonical_bytes(&pack);
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
    let sig = kp.sk.sign(canonical_bytes(&pack), None);
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
}
