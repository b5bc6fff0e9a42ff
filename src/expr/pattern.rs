//! `regex_match`'s pattern, compiled once. Most patterns in packs check a code's shape: anchored, a
//! few alternatives, each a fixed-length run of ASCII character classes (`^[0-9]{8}$`,
//! `^(?:[XZ][A-Z0-9]{19}|C[0-9]{19})$`). Such a pattern is matched directly (the length, then one bit test
//! per byte); any other pattern runs on regex-lite. Both answer the same: the test below compares them.
//! Not here: parsing or validating the pattern (regex-lite does both, and its error is the compile error).

use std::sync::Arc;

/// The most positions a fixed pattern expands to (a longer one runs on regex-lite).
const MAX_FIXED: usize = 256;

/// A compiled pattern.
#[derive(Debug, Clone)]
pub enum Pattern {
    /// The alternatives: per position, the set of ASCII bytes allowed there (bit `b` for byte `b`); and
    /// the pattern's text.
    Fixed(Box<[Box<[u128]>]>, Box<str>),
    Regex(Arc<regex_lite::Regex>),
}

impl Pattern {
    /// A pattern whose regular expression regex-lite already compiled.
    pub fn new(text: &str, re: regex_lite::Regex) -> Pattern {
        match fixed(text) {
            Some(alts) => Pattern::Fixed(alts.into_iter().map(Vec::into_boxed_slice).collect(), text.into()),
            None => Pattern::Regex(Arc::new(re)),
        }
    }

    /// The regular expression's text, as written in the pack.
    pub fn as_str(&self) -> &str {
        match self {
            Pattern::Fixed(_, text) => text,
            Pattern::Regex(re) => re.as_str(),
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
            Pattern::Regex(re) => re.is_match(s),
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
        (Pattern::new(p, re.clone()), re)
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
            assert!(matches!(both(p).0, Pattern::Regex(_)), "{p}");
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
