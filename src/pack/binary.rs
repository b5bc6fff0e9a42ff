//! The compiled form of a pack: a [`Program`] as bytes, so that an app loads a pack without the JSON
//! loader and the expression compiler (`preclaim pack compile` writes it; docs/pack-format.md describes it).
//!
//! Layout (little-endian): the 8 magic bytes [`MAGIC`], the format version (u16, [`FORMAT`]), the
//! version of the preclaim that wrote it (a length byte and the text, [`ENGINE`]), the body's length (u32)
//! and checksum (u32), then the body: a table of every string once, then the program, each string a varint
//! index into the table. A pack is read back only by the same format and engine version: the compiled
//! form mirrors the engine's internal tree ([`crate::expr::program::Ir`]), so any other version is
//! refused with a message that says to compile the pack again. Regular expressions are stored as their
//! pattern and (unless a fixed shape, src/expr/pattern.rs) their DFA serialized by regex-automata, checked
//! when the pack is decoded; a pack's `tests` and its source (for lint) are not kept.
//!
//! Every read is bounds-checked and every count is bounded by the bytes left; wrong magic, another
//! version, a truncated file, a wrong checksum or a malformed body are a [`PackError`] with code
//! `pack.compiled`. [`encode`] writes, [`decode`] reads.

pub mod bundle;
mod decode;
mod encode;

pub use decode::decode;
pub use encode::encode;

use super::error::PackError;
#[cfg(doc)]
use super::Program;

/// The first bytes of every compiled pack (not valid UTF-8, so never mistaken for JSON text).
pub const MAGIC: [u8; 8] = *b"\x89PCPACK\n";
/// The layout version this code reads and writes.
pub const FORMAT: u16 = 2;
/// The engine version a compiled pack must have been written by: the crate's version and a fingerprint
/// of the code that defines the compiled form (build.rs), e.g. `0.1.0+3f2a9c1d`.
pub const ENGINE: &str = concat!(env!("CARGO_PKG_VERSION"), "+", env!("PRECLAIM_PACK_FORM"));
/// The error code of every problem with a compiled pack.
pub const CODE: &str = "pack.compiled";

/// Whether `bytes` start like a compiled pack (a JSON pack never does).
pub fn is_compiled(bytes: &[u8]) -> bool {
    bytes.starts_with(&MAGIC)
}

/// The checksum of the body (the catalogs' FNV-1a over four lanes).
fn checksum(body: &[u8]) -> u32 {
    crate::catalog::format::checksum(&[], body)
}

fn error(message: String) -> PackError {
    PackError {
        code: CODE,
        path: String::new(),
        at: crate::json::LineCol { line: 0, col: 0 },
        message,
        embedded: None,
    }
}

/// Tags of the tree's nodes and values, shared by the encoder and the decoder.
mod tag {
    pub const CONST: u8 = 0;
    pub const LIST: u8 = 1;
    pub const PATH: u8 = 2;
    pub const VAR_DYN: u8 = 3;
    pub const VAL_DYN: u8 = 4;
    pub const EXISTS: u8 = 5;
    pub const MISSING: u8 = 6;
    pub const MISSING_SOME: u8 = 7;
    pub const SLOT: u8 = 8;
    pub const CALL: u8 = 9;
    pub const CALL_SPREAD: u8 = 10;
    pub const IF: u8 = 11;
    pub const AND: u8 = 12;
    pub const OR: u8 = 13;
    pub const COALESCE: u8 = 14;
    pub const CMP: u8 = 15;
    pub const TRY: u8 = 16;
    pub const ITER: u8 = 17;
    pub const REDUCE: u8 = 18;
    pub const REGEX: u8 = 19;
    pub const FAIL: u8 = 20;

    pub const V_NULL: u8 = 0;
    pub const V_FALSE: u8 = 1;
    pub const V_TRUE: u8 = 2;
    pub const V_INT: u8 = 3;
    pub const V_FLOAT: u8 = 4;
    pub const V_STR: u8 = 5;
    pub const V_ARRAY: u8 = 6;
    pub const V_OBJECT: u8 = 7;
    pub const V_DATE: u8 = 8;
    pub const V_MALFORMED: u8 = 9;

    pub const E_NAN: u8 = 0;
    pub const E_INVALID: u8 = 1;
    pub const E_THROWN: u8 = 2;
    pub const E_MALFORMED: u8 = 3;
    pub const E_BUDGET: u8 = 4;
    pub const E_DERIVED: u8 = 5;

    pub const T_ANY: u8 = 0;
    pub const T_NULL: u8 = 1;
    pub const T_BOOL: u8 = 2;
    pub const T_NUM: u8 = 3;
    pub const T_MONEY: u8 = 4;
    pub const T_STR: u8 = 5;
    pub const T_DATE: u8 = 6;
    pub const T_ARRAY: u8 = 7;
}

/// Deepest nesting of expression nodes, values and errors in a compiled pack: what a pack's JSON can reach
/// ([`crate::limits::MAX_PACK_DEPTH`]; the compiler's own limit, [`crate::limits::MAX_EXPR_DEPTH`], is
/// lower), so that decoding, and evaluating what was decoded, recurse no deeper than a JSON pack does.
const MAX_DEPTH: usize = crate::limits::MAX_PACK_DEPTH;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::embedded;

    fn default_bytes() -> Vec<(String, Vec<u8>)> {
        embedded::all()
            .map(|e| (e.name.to_string(), encode(&e.load().unwrap()).unwrap()))
            .collect()
    }

    #[test]
    fn every_default_pack_round_trips_to_the_same_bytes() {
        for (name, bytes) in default_bytes() {
            assert!(is_compiled(&bytes), "{name}");
            let p = decode(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(p.def.is_none() && p.tests.is_empty(), "{name}");
            assert_eq!(
                encode(&p).unwrap(),
                bytes,
                "{name}: decode then encode changes the bytes"
            );
        }
    }

    #[test]
    fn a_damaged_pack_is_refused_with_a_message_that_says_why() {
        let (_, bytes) = default_bytes().swap_remove(0);
        let msg = |b: &[u8]| {
            let e = decode(b).unwrap_err();
            assert_eq!(e.code, CODE);
            e.message
        };
        assert!(msg(b"{\"id\": 1}").contains("not a compiled pack"));
        assert!(msg(&bytes[..5]).contains("not a compiled pack"));
        assert!(msg(&bytes[..20]).contains("truncated"), "{}", msg(&bytes[..20]));
        assert!(msg(&bytes[..bytes.len() - 1]).contains("truncated"));
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(msg(&longer).contains("bytes after"));
        let mut flipped = bytes.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 0x40;
        assert!(msg(&flipped).contains("checksum"), "{}", msg(&flipped));
        let mut format = bytes.clone();
        format[8] = 99;
        let m = msg(&format);
        assert!(m.contains("format 99") && m.contains("compile"), "{m}");
        let mut engine = bytes.clone();
        engine[11] = b'9';
        let m = msg(&engine);
        assert!(m.contains("written by preclaim 9") && m.contains("pack compile"), "{m}");
    }

    /// A `regex_match` pattern's DFA is stored in the compiled form; damaged DFA bytes (under a correct
    /// checksum) are a `pack.compiled` error, never a panic.
    #[test]
    fn a_damaged_pattern_automaton_is_refused() {
        let pattern = "^[A-Z]+-[0-9]+(?:x|yz)?$";
        let text = format!(
            r#"{{"pack":"preclaim/pack@1","id":"P-RE","version":"1.0.0","title":{{"zh-CN":"测试","en":"test"}},
"products":["P-RE"],"params":{{"code":"AB-12"}},
"rules":[{{"id":"R01","kind":"R","severity":"warn","when":"regex_match(params.code, '{pattern}')","message":{{"zh-CN":"测试","en":"test"}}}}]}}"#
        );
        let p = crate::pack::load_program(&text).unwrap();
        let bytes = encode(&p).unwrap();
        assert_eq!(encode(&decode(&bytes).unwrap()).unwrap(), bytes);
        let dfa = crate::expr::pattern::Pattern::compile(pattern)
            .unwrap()
            .dfa_bytes()
            .to_vec();
        assert!(dfa.len() > 100, "{}", dfa.len());
        let at = bytes.windows(dfa.len()).position(|w| w == dfa).unwrap();
        let body = 8 + 2 + 1 + ENGINE.len() + 8;
        let mut refused = 0;
        for i in (at..at + dfa.len()).step_by(7) {
            let mut bad = bytes.clone();
            bad[i] ^= 0x5a;
            let sum = checksum(&bad[body..]).to_le_bytes();
            bad[body - 4..body].copy_from_slice(&sum);
            if let Err(e) = decode(&bad) {
                assert_eq!(e.code, CODE);
                assert!(e.message.contains("corrupt compiled pack"), "{e}");
                refused += 1;
            }
        }
        assert!(refused > 0);
    }

    /// A pack at the loader's and the compiler's nesting limits round-trips; a tree deeper than a compiled
    /// pack may be is refused by the encoder (the decoder applies the same bound).
    #[test]
    fn nesting_at_the_limits_round_trips_and_deeper_is_refused() {
        let when = format!("{}true{}", "{\"!\":".repeat(199), "}".repeat(199));
        let list = format!("{}1{}", "[".repeat(240), "]".repeat(240));
        let text = format!(
            r#"{{"pack":"preclaim/pack@1","id":"P-DEEP","version":"1.0.0","title":{{"zh-CN":"测试","en":"test"}},
"products":["P-DEEP"],"params":{{"deep":{list}}},"derived":{{"x":"len(params.deep)"}},
"rules":[{{"id":"R01","kind":"R","severity":"warn","when":{when},"message":{{"zh-CN":"测试","en":"test"}}}}]}}"#
        );
        let p = crate::pack::load_program(&text).unwrap();
        let bytes = encode(&p).unwrap();
        assert_eq!(encode(&decode(&bytes).unwrap()).unwrap(), bytes);
        let mut deep = p.clone();
        let mut ir = crate::expr::program::Ir::Const(crate::value::Value::Bool(true));
        for _ in 0..MAX_DEPTH {
            ir = crate::expr::program::Ir::Call(crate::expr::ops::Op::Not, Box::new([ir]));
        }
        deep.rules[0].when.ir = ir;
        let e = encode(&deep).unwrap_err();
        assert!(e.message.contains("nested deeper than 256"), "{e}");
    }

    #[test]
    fn every_operator_round_trips_by_name() {
        for op in crate::expr::ops::table::OPS
            .iter()
            .filter_map(|d| d.strict)
            .map(|s| s.op)
        {
            assert_eq!(crate::expr::ops::Op::by_name(op.name()), Some(op));
        }
    }
}
