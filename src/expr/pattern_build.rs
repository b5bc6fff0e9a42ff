//! `regex_match`'s pattern compiled ahead of time (the compiler only): validated by regex-lite, whose
//! syntax and error messages are the language's (docs/expressions.md), then built into a serialized sparse
//! DFA (regex-automata) that the core only deserializes and searches ([`super::pattern`]), so the core
//! links neither regex parser. Not here: matching, or the fixed-shape patterns (they store no DFA).
//!
//! regex-automata parses with regex-syntax, which differs from regex-lite where regex-lite is ASCII-only:
//! `\d`, `\s`, `\w` (and `\D`, …) and word boundaries are ASCII in regex-lite, Unicode in regex-syntax; and
//! `(?i)` folds ASCII letters only in regex-lite. So the syntax tree is rewritten before it is translated:
//! Perl classes become the equal ASCII classes (`[[:digit:]]`), word boundaries are put under `(?-u:…)`,
//! and every literal or class under `(?i)` is folded here (ASCII letters only) and put under `(?-i:…)`.
//! regex-lite ignores the `u` flag, so it is dropped. The DFA matches like regex-lite's `is_match`
//! (unanchored unless the pattern anchors); a test compares both on many strings.

use regex_automata::dfa::dense;
use regex_automata::nfa::thompson;
use regex_syntax::ast::{self, Ast, ClassSet, ClassSetItem, Flag, FlagsItemKind, GroupKind};
use regex_syntax::hir::{self, Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind};

use crate::limits::MAX_PATTERN_DFA_BYTES;

/// Validates `pattern` as today (regex-lite, with its size limit): the error is the compile error.
pub(crate) fn validate(pattern: &str) -> Result<(), String> {
    regex_lite::RegexBuilder::new(pattern)
        .size_limit(1 << 20)
        .build()
        .map(|_| ())
        .map_err(|e| format!("invalid regular expression: {e}"))
}

/// The pattern validated and compiled to a serialized sparse DFA (little-endian).
pub(crate) fn compile(pattern: &str) -> Result<Vec<u8>, String> {
    validate(pattern)?;
    let unsupported = |e: &dyn std::fmt::Display| format!("regular expression {pattern:?} cannot be compiled: {e}");
    let mut tree = ast::parse::Parser::new().parse(pattern).map_err(|e| unsupported(&e))?;
    Rewrite { pattern, ci: false }.ast(&mut tree)?;
    let hir = translate(pattern, &tree).map_err(|e| unsupported(&e))?;
    let nfa = thompson::Compiler::new()
        .configure(thompson::Config::new().nfa_size_limit(Some(MAX_PATTERN_DFA_BYTES * 16)))
        .build_from_hir(&hir)
        .map_err(|e| unsupported(&e))?;
    let too_big = || {
        format!(
            "regular expression {pattern:?} is too complex: its automaton is larger than {MAX_PATTERN_DFA_BYTES} bytes"
        )
    };
    let dfa = dense::Builder::new()
        .configure(
            dense::Config::new()
                .minimize(true)
                .dfa_size_limit(Some(MAX_PATTERN_DFA_BYTES * 16))
                .determinize_size_limit(Some(MAX_PATTERN_DFA_BYTES * 16)),
        )
        .build_from_nfa(&nfa)
        .map_err(|_| too_big())?;
    let bytes = dfa.to_sparse().map_err(|e| unsupported(&e))?.to_bytes_little_endian();
    if bytes.len() > MAX_PATTERN_DFA_BYTES {
        return Err(too_big());
    }
    Ok(bytes)
}

fn translate(pattern: &str, tree: &Ast) -> Result<Hir, hir::Error> {
    hir::translate::TranslatorBuilder::new()
        .unicode(true)
        .utf8(true)
        .build()
        .translate(pattern, tree)
}

struct Rewrite<'p> {
    pattern: &'p str,
    /// Whether `(?i)` is on where the walk is (flags last to the end of their group, as in the translator).
    ci: bool,
}

impl Rewrite<'_> {
    fn ast(&mut self, node: &mut Ast) -> Result<(), String> {
        match node {
            Ast::Flags(set) => {
                self.flags(&mut set.flags);
            }
            Ast::Group(g) => {
                let saved = self.ci;
                if let GroupKind::NonCapturing(flags) = &mut g.kind {
                    self.flags(flags);
                }
                self.ast(&mut g.ast)?;
                self.ci = saved;
            }
            Ast::Repetition(r) => self.ast(&mut r.ast)?,
            Ast::Alternation(a) => a.asts.iter_mut().try_for_each(|x| self.ast(x))?,
            Ast::Concat(c) => c.asts.iter_mut().try_for_each(|x| self.ast(x))?,
            Ast::Assertion(a) => {
                use ast::AssertionKind as K;
                if !matches!(a.kind, K::StartLine | K::EndLine | K::StartText | K::EndText) {
                    *node = under(node.clone(), Flag::Unicode);
                }
            }
            Ast::ClassPerl(p) => {
                let class = ast::ClassBracketed {
                    span: p.span,
                    negated: false,
                    kind: ClassSet::Item(ClassSetItem::Ascii(perl_as_ascii(p))),
                };
                *node = self.class(class)?;
            }
            Ast::ClassBracketed(b) => {
                let mut class = (**b).clone();
                ascii_set(&mut class.kind);
                *node = self.class(class)?;
            }
            Ast::Literal(lit) if self.ci => {
                let class = ast::ClassBracketed {
                    span: lit.span,
                    negated: false,
                    kind: ClassSet::Item(ClassSetItem::Literal((**lit).clone())),
                };
                *node = self.class(class)?;
            }
            Ast::Empty(_) | Ast::Literal(_) | Ast::Dot(_) | Ast::ClassUnicode(_) => {}
        }
        Ok(())
    }

    /// Drops the `u` flag (regex-lite ignores it) and follows `i`.
    fn flags(&mut self, flags: &mut ast::Flags) {
        flags.items.retain(|f| f.kind != FlagsItemKind::Flag(Flag::Unicode));
        if flags.items.last().is_some_and(|f| f.kind == FlagsItemKind::Negation) {
            flags.items.pop();
        }
        let mut on = true;
        for f in &flags.items {
            match f.kind {
                FlagsItemKind::Negation => on = false,
                FlagsItemKind::Flag(Flag::CaseInsensitive) => self.ci = on,
                FlagsItemKind::Flag(_) => {}
            }
        }
    }

    /// A class (Perl classes already ASCII); under `(?i)`, its members with their ASCII case partners,
    /// as an explicit class matched case-sensitively.
    fn class(&self, class: ast::ClassBracketed) -> Result<Ast, String> {
        if !self.ci {
            return Ok(Ast::class_bracketed(class));
        }
        let negated = class.negated;
        let span = class.span;
        let plain = Ast::class_bracketed(ast::ClassBracketed {
            negated: false,
            ..class
        });
        let fail = || {
            format!(
                "regular expression {:?} cannot be compiled: a case-insensitive class",
                self.pattern
            )
        };
        let hir = translate(self.pattern, &plain).map_err(|_| fail())?;
        let mut set = match hir.kind() {
            HirKind::Class(Class::Unicode(c)) => c.clone(),
            HirKind::Literal(hir::Literal(bytes)) => {
                let s = std::str::from_utf8(bytes).map_err(|_| fail())?;
                ClassUnicode::new(s.chars().map(|c| ClassUnicodeRange::new(c, c)))
            }
            HirKind::Empty => ClassUnicode::empty(),
            _ => return Err(fail()),
        };
        let mut folded = Vec::new();
        for r in set.ranges() {
            for (lo, hi, to) in [('a', 'z', b'A'), ('A', 'Z', b'a')] {
                let (s, e) = (r.start().max(lo), r.end().min(hi));
                if s <= e {
                    let shift = |c: char| char::from(to + (c as u8 - lo as u8));
                    folded.push(ClassUnicodeRange::new(shift(s), shift(e)));
                }
            }
        }
        set.union(&ClassUnicode::new(folded));
        if negated {
            set.negate();
        }
        let lit = |c: char| ast::Literal {
            span,
            kind: ast::LiteralKind::Verbatim,
            c,
        };
        let items = set
            .ranges()
            .iter()
            .map(|r| {
                ClassSetItem::Range(ast::ClassSetRange {
                    span,
                    start: lit(r.start()),
                    end: lit(r.end()),
                })
            })
            .collect();
        let explicit = Ast::class_bracketed(ast::ClassBracketed {
            span,
            negated: false,
            kind: ClassSet::Item(ClassSetItem::Union(ast::ClassSetUnion { span, items })),
        });
        Ok(under(explicit, Flag::CaseInsensitive))
    }
}

/// `(?-flag:node)`.
fn under(node: Ast, flag: Flag) -> Ast {
    let span = *node.span();
    let item = |kind| ast::FlagsItem { span, kind };
    Ast::group(ast::Group {
        span,
        kind: GroupKind::NonCapturing(ast::Flags {
            span,
            items: vec![item(FlagsItemKind::Negation), item(FlagsItemKind::Flag(flag))],
        }),
        ast: Box::new(node),
    })
}

fn perl_as_ascii(p: &ast::ClassPerl) -> ast::ClassAscii {
    use ast::{ClassAsciiKind as A, ClassPerlKind as P};
    ast::ClassAscii {
        span: p.span,
        kind: match p.kind {
            P::Digit => A::Digit,
            P::Space => A::Space,
            P::Word => A::Word,
        },
        negated: p.negated,
    }
}

/// Every Perl class inside a bracketed class made its ASCII class.
fn ascii_set(set: &mut ClassSet) {
    match set {
        ClassSet::Item(item) => ascii_item(item),
        ClassSet::BinaryOp(op) => {
            ascii_set(&mut op.lhs);
            ascii_set(&mut op.rhs);
        }
    }
}

fn ascii_item(item: &mut ClassSetItem) {
    match item {
        ClassSetItem::Perl(p) => *item = ClassSetItem::Ascii(perl_as_ascii(p)),
        ClassSetItem::Bracketed(b) => ascii_set(&mut b.kind),
        ClassSetItem::Union(u) => u.items.iter_mut().for_each(ascii_item),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::super::pattern::Pattern;

    /// The DFA answers as regex-lite's `is_match` on many strings, for patterns that use what differs
    /// between regex-lite and regex-syntax (ASCII Perl classes, word boundaries, `(?i)`) and the rest.
    #[test]
    fn the_dfa_matches_as_regex_lite_does() {
        let patterns = [
            r"\d+",
            r"^\d{3}-\d{4}$",
            r"\D",
            r"^\w+$",
            r"\W",
            r"\s",
            r"^\S+$",
            r"[\d\s]",
            r"[^\w]",
            r"[^\D]",
            r"\bab\b",
            r"\Bb",
            r"\<a",
            r"b\>",
            r"(?i)abc",
            r"(?i)k",
            r"(?i)s",
            r"(?i)é",
            r"(?i)[a-c]",
            r"(?i)[^a-c]",
            r"(?i)[k]",
            r"(?i)[é-ü]x",
            r"a(?i)b|c",
            r"(?i:a)b",
            r"(?i)a(?-i)b",
            r"(?i)\w",
            r"(?i)[[:lower:]]",
            r"^[[:alpha:]]+$",
            r"(?u)\d",
            r"(?-u)\d",
            r"^.$",
            r"(?s)^.$",
            r"(?m)^b$",
            r"^(?:a|bc|d{2,3})$",
            r"(a|b)*c",
            r"a{2,}?",
            r"[α-ω]+",
            r"^[^0-9]{2}$",
            r"^[0-9]+(?:\.[0-9]{1,2})?$",
            r"^(?:[XZ][A-Z0-9]{19}|C[0-9]{19})$",
            r"^[\p{L}]$",
            r"猫|狗",
            r"^[a-z&&[^aeiou]]+$",
            r"[a-z--c]",
            r"(?x) a b # c",
            r"\x41\u{e9}",
            r"^$",
            r"",
            r"(?R)^a$",
            r"[[:^digit:]]",
            r"(?i)[[:^lower:]]",
            r"\b{start}a",
            r"a\b{end}",
            r"\pL",
        ];
        let alphabet = [
            "", "a", "b", "c", "k", "K", "\u{212a}", "s", "ſ", "A", "B", "é", "É", "ü", "x", "0", "7", "٣", " ",
            "\u{a0}", "\n", "\r", "-", ".", "_", "猫", "α", "Ω",
        ];
        let mut inputs: Vec<String> = Vec::new();
        for a in alphabet {
            for b in alphabet {
                for c in ["", "a", "1", " ", "é", "K", "\n"] {
                    inputs.push(format!("{a}{b}{c}"));
                }
            }
        }
        inputs.extend(
            [
                "123-4567",
                "abc def",
                "ab",
                "X1234567890ABCDEFGHI",
                "C1234567890123456789",
                "12.5",
                "12.",
                "bab",
            ]
            .map(String::from),
        );
        let mut compared = 0;
        for p in patterns {
            let Ok(re) = regex_lite::Regex::new(p) else {
                assert!(Pattern::compile(p).is_err(), "{p} is refused by regex-lite");
                continue;
            };
            let dfa = Pattern::compile(p).unwrap_or_else(|e| panic!("{p}: {e}"));
            for s in &inputs {
                assert_eq!(dfa.is_match(s), re.is_match(s), "{p} on {s:?}");
                compared += 1;
            }
        }
        assert!(compared > 100_000, "{compared}");
    }

    #[test]
    fn a_pattern_whose_automaton_is_too_big_is_a_clear_error() {
        let e = super::compile(r"[01]*1[01]{24}").unwrap_err();
        assert!(
            e.contains("too complex") && e.contains(&crate::limits::MAX_PATTERN_DFA_BYTES.to_string()),
            "{e}"
        );
        assert!(e.contains("[01]*1[01]{24}"), "{e}");
    }

    #[test]
    fn corrupt_automaton_bytes_are_an_error() {
        let good = super::compile(r"^a+b$").unwrap();
        assert!(Pattern::new("^a+b$", &good).is_ok());
        for cut in [0, 1, good.len() / 2, good.len() - 1] {
            assert!(Pattern::new("^a+b$", &good[..cut]).is_err(), "cut at {cut}");
        }
        for i in 0..good.len() {
            let mut bad = good.clone();
            bad[i] ^= 0xff;
            // Either refused, or (a byte the check cannot tell) a DFA that searches without a panic.
            if let Ok(p) = Pattern::new("^a+b$", &bad) {
                let _ = p.is_match("aab");
            }
        }
        assert!(Pattern::new("^a+b$", &[good.as_slice(), &[0]].concat()).is_err());
    }
}
