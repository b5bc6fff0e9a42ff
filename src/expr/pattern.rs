//! `regex_match`'s pattern, compiled once. Most patterns in packs check a code's shape: anchored, a
//! few alternatives, each a fixed-length run of ASCII character classes (`^[0-9]{8}$`,
//! `^(?:[XZ][A-Z0-9]{19}|C[0-9]{19})$`). Such a pattern is matched directly (the length, then one bit test
//! per byte); any other pattern runs on the DFA the compiler built for it ([`super::pattern_build`], in
//! the compiled pack form as its serialized bytes), searched with regex-automata's search-only runtime.
//! All answer as regex-lite's `is_match` does: the tests compare them.
//! Not here: parsing, validating or building a pattern (the compiler does, with regex-lite and
//! regex-automata's builder, which the core does not link).

use std::sync::Arc;

use regex_automata::dfa::{sparse, Automaton};
use regex_automata::Input;

/// The most positions a fixed pattern expands to (a longer one runs on its DFA).
const MAX_FIXED: usize = 256;

/// A compiled pattern.
#[derive(Debug, Clone)]
pub enum Pattern {
    /// The alternatives: per position, the set of ASCII bytes allowed there (bit `b` for byte `b`); and
    /// the pattern's text.
    Fixed(Box<[Box<[u128]>]>, Box<str>),
    /// The DFA, its serialized bytes (what the compiled form stores) and the pattern's text.
    Dfa(Arc<sparse::DFA<Vec<u8>>>, Box<[u8]>, Box<str>),
}

impl Pattern {
    /// The pattern `text` from its serialized DFA (`dfa`, little-endian sparse; empty for a fixed shape,
    /// which needs none). Checked with the bounds-checked `from_bytes`; an error says what is wrong.
    pub fn new(text: &str, dfa: &[u8]) -> Result<Pattern, String> {
        if let Some(alts) = fixed(text) {
            return Ok(Pattern::Fixed(
                alts.into_iter().map(Vec::into_boxed_slice).collect(),
                text.into(),
            ));
        }
        let bad = |e: &dyn std::fmt::Display| format!("the automaton of regular expression {text:?} is invalid: {e}");
        let (d, used) = sparse::DFA::from_bytes(dfa).map_err(|e| bad(&e))?;
        if used != dfa.len() {
            return Err(bad(&"trailing bytes"));
        }
        if d.start_kind() == regex_automata::dfa::StartKind::Anchored {
            return Err(bad(&"an anchored-only automaton"));
        }
        Ok(Pattern::Dfa(Arc::new(d.to_owned()), dfa.into(), text.into()))
    }

    /// The pattern compiled (the compiler: validated by regex-lite, its error the compile error).
    #[cfg(feature = "compiler")]
    pub fn compile(text: &str) -> Result<Pattern, String> {
        if fixed(text).is_some() {
            super::pattern_build::validate(text)?;
            return Pattern::new(text, &[]);
        }
        Pattern::new(text, &super::pattern_build::compile(text)?)
    }

    /// The regular expression's text, as written in the pack.
    pub fn as_str(&self) -> &str {
        match self {
            Pattern::Fixed(_, text) | Pattern::Dfa(_, _, text) => text,
        }
    }

    /// The serialized DFA (empty for a fixed shape).
    pub fn dfa_bytes(&self) -> &[u8] {
        match self {
            Pattern::Fixed(..) => &[],
            Pattern::Dfa(_, bytes, _) => bytes,
        }
    }

    pub fn is_match(&self, s: &str) -> bool {
        match self {
            Pattern::Fixed(alts, _) => {
                let b = s.as_bytes();
                alts.iter().any(|alt| {
                    alt.len() == b.len() && alt.iter().zip(b).all(|(set, &c)| c < 128 && (set >> c) & 1 == 1)
                })
            }
            // An error is only possible for a DFA with quit bytes or one that cannot start unanchored,
            // neither of which `new` accepts or the compiler builds.
            Pattern::Dfa(dfa, _, _) => dfa
                .try_search_fwd(&Input::new(s).earliest(true))
                .is_ok_and(|m| m.is_some()),
        }
    }
}

/// The alternatives of `^(?:seq|seq...)$` (or `^seq|seq$` without the group when there is one
/// alternative), where a seq is ASCII letters, digits and classes `[...]` of them and their ranges, each
/// optionally repeated `{n}` times; `None` for anything else.
fn fixed(text: &str) -> Option<Vec<Vec<u128>>> {
    let body = text.strip_prefix('^')?.strip_suffix('$')?;
    let inner = match body.strip_prefix("(?:").and_then(|b| b.strip_suffix(')')) {
        Some(i) => i,
        None if !body.contains('|') => body,
        None => return None,
    };
    let b = inner.as_bytes();
    let mut alts = Vec::new();
    let mut cur: Vec<u128> = Vec::new();
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        i += 1;
        let set = match c {
            b'|' => {
                alts.push(std::mem::take(&mut cur));
                continue;
            }
            b'[' => {
                let mut set = 0u128;
                loop {
                    let lo = *b.get(i)?;
                    i += 1;
                    if lo == b']' && set != 0 {
                        break;
                    }
                    if !lo.is_ascii_alphanumeric() {
                        return None;
                    }
                    let hi = match (b.get(i), b.get(i + 1)) {
                        (Some(b'-'), Some(&hi)) if hi.is_ascii_alphanumeric() && hi >= lo => {
                            i += 2;
                            hi
                        }
                        _ => lo,
                    };
                    for x in lo..=hi {
                        set |= 1u128 << x;
                    }
                }
                set
            }
            c if c.is_ascii_alphanumeric() => 1u128 << c,
            _ => return None,
        };
        let mut n = 1usize;
        if b.get(i) == Some(&b'{') {
            let close = i + 1 + b.get(i + 1..)?.iter().position(|&x| x == b'}')?;
            let digits = inner.get(i + 1..close)?;
            if digits.is_empty() || !digits.bytes().all(|d| d.is_ascii_digit()) {
                return None;
            }
            n = digits.parse().ok()?;
            i = close + 1;
        }
        if cur.len() + n > MAX_FIXED {
            return None;
        }
        cur.extend(std::iter::repeat_n(set, n));
    }
    alts.push(cur);
    Some(alts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both(p: &str) -> (Pattern, regex_lite::Regex) {
        let re = regex_lite::Regex::new(p).unwrap();
        (Pattern::compile(p).unwrap(), re)
    }

    #[test]
    fn fixed_shapes_are_recognised_and_others_left_to_the_regex_engine() {
        for p in [
            "^[0-9]{8}$",
            "^(?:[XZ][A-Z0-9]{19}|[XZ][A-Z0-9]{22}|C[0-9]{19}|[0-9]{15})$",
            "^A[b-d]{2}x$",
            "^(?:ab|)$",
        ] {
            assert!(matches!(both(p).0, Pattern::Fixed(..)), "{p}");
        }
        for p in [
            "^[0-9]+$",
            "[0-9]{8}",
            "^a|b$",
            "^(?i)abc$",
            "^[^0-9]{2}$",
            "^a.c$",
            "^\\d{3}$",
            "^[0-9]{2,3}$",
            "^(?:a)|(?:b)$",
            "^[-a]$",
        ] {
            assert!(matches!(both(p).0, Pattern::Dfa(..)), "{p}");
        }
    }

    #[test]
    fn fixed_patterns_answer_as_the_regex_engine_does() {
        let patterns = [
            "^[0-9]{8}$",
            "^[0-9]{10}$",
            "^(?:[XZ][A-Z0-9]{19}|[XZ][A-Z0-9]{22}|C[0-9]{19}|[0-9]{15})$",
            "^A[b-d]{2}x$",
            "^(?:ab|)$",
            "^(?:a|b1|[a-c]{3})$",
        ];
        // Every string of up to three characters over an alphabet that hits and misses every class, and
        // longer strings built from the patterns' own shapes with one position changed.
        let alphabet = [
            "", "a", "b", "c", "d", "x", "A", "C", "X", "Z", "0", "9", "1", "é", "\n", "-", "|",
        ];
        let mut inputs: Vec<String> = Vec::new();
        for a in alphabet {
            for b in alphabet {
                for c in alphabet {
                    inputs.push(format!("{a}{b}{c}"));
                }
            }
        }
        for base in [
            "12345678",
            "1234567890",
            "X1234567890ABCDEFGHI",
            "ZABCDEFGHIJ0123456789XYZ",
            "C1234567890123456789",
            "123456789012345",
            "Abcx",
        ] {
            inputs.push(base.to_string());
            for i in 0..base.len() {
                for r in ["a", "Q", "0", "é", "", "00"] {
                    inputs.push(format!("{}{r}{}", &base[..i], &base[i + 1..]));
                }
            }
            inputs.push(format!("{base}\n"));
            inputs.push(format!(" {base}"));
        }
        for p in patterns {
            let (fast, re) = both(p);
            for s in &inputs {
                assert_eq!(fast.is_match(s), re.is_match(s), "{p} on {s:?}");
            }
        }
    }
}
