//! The readable text syntax for rules, parsed to the same JSONLogic-shaped [`Node`] tree as
//! [`super::jsonlogic`]: `days_between(policy.continuous_since, event.date) < params.waiting_days and cause ==
//! "illness"`. It handles operators by precedence (`c ? a : b`, `or`, `and`, `not`/`!`, comparisons and `in`,
//! `??`, `+ -`, `* / %`, unary minus), literals (integers, decimals, strings in double or single quotes with
//! JSON escapes, `true`, `false`, `null`, lists), calls `name(args...)`, paths (`invoices[0].total`) and
//! lambdas as the bodies of the iterators (`some(invoices, inv => inv.fund_paid > 0)`,
//! `reduce(items, (acc, x) => acc + x.amount, 0)`, and `(x, i) => ...` naming the index), turning binder references into the `var`/`val` scope paths
//! the compiler resolves. Every node keeps the byte offset of its first token; errors give a line, a column and
//! an "expected X, found Y" message. Input length (1 MiB) and nesting depth (200 levels) are bounded, and the
//! parser never panics. It does not check operator names, argument counts or types, nor resolve paths against
//! a schema (that is [`super::compile`]'s job), and it has no syntax for computed indexes (`a[i]`), for
//! indexing anything but a path.

use std::fmt;

use super::ast::{Node, NodeKind};
use crate::value::Value;

/// Deepest nesting accepted. Parentheses, list brackets, call arguments, prefix operators (`not`, `!`, `-`),
/// ternary branches, lambda bodies and an operand of a tighter-binding operator (`b * c` in `a + b * c`, or
/// `b` in `a or b`) each add a level, so the limit bounds the parser's recursion, like the tree depth that
/// [`super::compile::MAX_DEPTH`] bounds.
pub const MAX_DEPTH: usize = crate::limits::MAX_EXPR_DEPTH;

/// Longest input accepted, in bytes.
pub const MAX_INPUT: usize = crate::limits::MAX_EXPR_TEXT_BYTES;

/// The calls whose body argument is a lambda (`sum` only in its two-argument form).
const ITERATORS: &[&str] = &["map", "filter", "all", "some", "none", "count", "find", "sum", "reduce"];

const KEYWORDS: &[&str] = &["and", "or", "not", "in", "true", "false", "null"];

// Operator levels, lowest first (the ternary is below them all).
const OR: u8 = 1;
const AND: u8 = 2;
const NOT: u8 = 3;
const CMP: u8 = 4;
const COALESCE: u8 = 5;
const ADD: u8 = 6;
const MUL: u8 = 7;

/// A syntax error: byte offset, 1-based line and column (in characters), and a message of the form
/// "expected X, found Y".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Byte offset in the text.
    pub pos: u32,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub col: u32,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line,
            self.col,
            crate::echo::Echo(&self.message)
        )
    }
}

impl std::error::Error for ParseError {}

/// Parses a rule written in the text syntax.
pub fn parse(text: &str) -> Result<Node, ParseError> {
    let to_error = |f: Fail| {
        let lc = crate::json::line_col(text, f.pos as usize);
        ParseError {
            pos: f.pos,
            line: lc.line,
            col: lc.col,
            message: f.message,
        }
    };
    if text.len() > MAX_INPUT {
        let mut at = MAX_INPUT;
        while at > 0 && !text.is_char_boundary(at) {
            at -= 1;
        }
        return Err(to_error(Fail::new(
            offset(at),
            format!(
                "expected at most {MAX_INPUT} bytes of input, found {} bytes",
                text.len()
            ),
        )));
    }
    let mut p = Parser {
        text,
        toks: lex(text),
        i: 0,
        depth: 0,
        scopes: Vec::new(),
        eof: Token {
            tok: Tok::Eof,
            start: offset(text.len()),
            end: offset(text.len()),
        },
    };
    let node = p.ternary().map_err(to_error)?;
    if !matches!(p.tok().tok, Tok::Eof) {
        return Err(to_error(p.fail_expected("an operator or end of input")));
    }
    Ok(node)
}

fn offset(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// An error before line and column are known.
struct Fail {
    pos: u32,
    message: String,
}

impl Fail {
    fn new(pos: u32, message: String) -> Fail {
        Fail { pos, message }
    }
}

// ---------------------------------------------------------------------------------------------------------
// Lexer

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Int,
    Float,
    Str(String),
    /// An identifier or a keyword.
    Word,
    Punct(&'static str),
    /// A character (or `&&`, `||`) that is no token; the parser reports it where it stands.
    Unknown,
    /// A malformed token, with its message; reported when the parser reaches it.
    Bad(String),
    Eof,
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    start: u32,
    end: u32,
}

const PUNCTS: &[&str] = &[
    "===", "!==", "==", "!=", "<=", ">=", "=>", "??", "(", ")", "[", "]", ",", ".", "?", ":", "+", "-", "*", "/", "%",
    "!", "<", ">",
];

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_ident_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Splits the text into tokens, ending with `Eof`. Lexing stops at the first malformed token (a `Bad`).
fn lex(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut toks = Vec::new();
    let mut i = 0usize;
    loop {
        // Whitespace and `//` comments.
        while let Some(&b) = bytes.get(i) {
            if matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
                i += 1;
            } else if b == b'/' && bytes.get(i + 1) == Some(&b'/') {
                while bytes.get(i).is_some_and(|&c| c != b'\n') {
                    i += 1;
                }
            } else {
                break;
            }
        }
        let Some(&b) = bytes.get(i) else {
            toks.push(Token {
                tok: Tok::Eof,
                start: offset(text.len()),
                end: offset(text.len()),
            });
            return toks;
        };
        let start = i;
        let tok = if b.is_ascii_digit() {
            let (tok, end) = lex_number(text, i);
            i = end;
            tok
        } else if is_ident_start(b) {
            while bytes.get(i).is_some_and(|&c| is_ident_char(c)) {
                i += 1;
            }
            Tok::Word
        } else if b == b'"' || b == b'\'' {
            match lex_string(text, i) {
                Ok((s, end)) => {
                    i = end;
                    Tok::Str(s)
                }
                Err(f) => {
                    toks.push(Token {
                        tok: Tok::Bad(f.message),
                        start: f.pos,
                        end: f.pos,
                    });
                    toks.push(Token {
                        tok: Tok::Eof,
                        start: offset(text.len()),
                        end: offset(text.len()),
                    });
                    return toks;
                }
            }
        } else if let Some(p) = PUNCTS
            .iter()
            .find(|p| bytes.get(i..).is_some_and(|rest| rest.starts_with(p.as_bytes())))
        {
            i += p.len();
            Tok::Punct(p)
        } else if bytes
            .get(i..)
            .is_some_and(|r| r.starts_with(b"&&") || r.starts_with(b"||"))
        {
            i += 2;
            Tok::Unknown
        } else {
            let len = text.get(i..).and_then(|r| r.chars().next()).map_or(1, char::len_utf8);
            i += len;
            Tok::Unknown
        };
        let bad = matches!(tok, Tok::Bad(_));
        toks.push(Token {
            tok,
            start: offset(start),
            end: offset(i),
        });
        if bad {
            toks.push(Token {
                tok: Tok::Eof,
                start: offset(text.len()),
                end: offset(text.len()),
            });
            return toks;
        }
    }
}

/// A number starting at `start`: `[0-9]+ ('.' [0-9]+)? ([eE] [+-]? [0-9]+)?`, with no leading zeros and not
/// run into a following identifier.
fn lex_number(text: &str, start: usize) -> (Tok, usize) {
    let bytes = text.as_bytes();
    let digit_at = |k: usize| bytes.get(k).is_some_and(u8::is_ascii_digit);
    let mut i = start;
    while digit_at(i) {
        i += 1;
    }
    let int_end = i;
    let mut float = false;
    if bytes.get(i) == Some(&b'.') && digit_at(i + 1) {
        float = true;
        i += 1;
        while digit_at(i) {
            i += 1;
        }
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(bytes.get(i + 1), Some(b'+' | b'-')));
        if digit_at(i + 1 + sign) {
            float = true;
            i += 1 + sign;
            while digit_at(i) {
                i += 1;
            }
        }
    }
    if bytes.get(i).is_some_and(|&c| is_ident_char(c)) {
        let mut end = i;
        while bytes.get(end).is_some_and(|&c| is_ident_char(c)) {
            end += 1;
        }
        let word = text.get(start..end).unwrap_or("");
        return (Tok::Bad(format!("expected a number, found `{}`", shorten(word))), end);
    }
    if int_end - start > 1 && bytes.get(start) == Some(&b'0') {
        let word = text.get(start..i).unwrap_or("");
        return (
            Tok::Bad(format!(
                "expected a number without leading zeros, found `{}`",
                shorten(word)
            )),
            i,
        );
    }
    (if float { Tok::Float } else { Tok::Int }, i)
}

/// A string literal starting at the quote at `start`: its value and the offset after the closing quote.
fn lex_string(text: &str, start: usize) -> Result<(String, usize), Fail> {
    let rest = text.get(start..).unwrap_or("");
    let mut chars = rest.char_indices();
    let quote = match chars.next() {
        Some((_, q)) => q,
        None => return Err(Fail::new(offset(start), "expected a string, found end of input".into())),
    };
    let mut out = String::new();
    let at = |k: usize| offset(start.saturating_add(k));
    while let Some((k, c)) = chars.next() {
        match c {
            c if c == quote => return Ok((out, start.saturating_add(k).saturating_add(1))),
            '\n' | '\r' => {
                return Err(Fail::new(
                    at(k),
                    format!("expected a closing `{quote}`, found end of line"),
                ))
            }
            c if (c as u32) < 0x20 => {
                return Err(Fail::new(
                    at(k),
                    format!(
                        "expected a string character, found control character U+{:04X} (write it as an escape)",
                        c as u32
                    ),
                ))
            }
            '\\' => {
                let Some((_, e)) = chars.next() else { break };
                match e {
                    '"' => out.push('"'),
                    '\'' if quote == '\'' => out.push('\''),
                    '\\' => out.push('\\'),
                    '/' => out.push('/'),
                    'b' => out.push('\u{8}'),
                    'f' => out.push('\u{c}'),
                    'n' => out.push('\n'),
                    'r' => out.push('\r'),
                    't' => out.push('\t'),
                    'u' => {
                        let hi = hex4(&mut chars).ok_or_else(|| bad_unicode(at(k)))?;
                        let code = if (0xD800..0xDC00).contains(&hi) {
                            // A high surrogate must be followed by `\u` and a low one.
                            let ok = matches!(chars.next(), Some((_, '\\'))) && matches!(chars.next(), Some((_, 'u')));
                            let lo = if ok { hex4(&mut chars) } else { None };
                            match lo {
                                Some(lo) if (0xDC00..0xE000).contains(&lo) => {
                                    0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                                }
                                _ => return Err(bad_unicode(at(k))),
                            }
                        } else {
                            hi
                        };
                        out.push(char::from_u32(code).ok_or_else(|| bad_unicode(at(k)))?);
                    }
                    other => {
                        return Err(Fail::new(
                            at(k),
                            format!("expected an escape like `\\n`, `\\\"` or `\\u00e9`, found `\\{other}`"),
                        ))
                    }
                }
            }
            c => out.push(c),
        }
    }
    Err(Fail::new(
        offset(text.len()),
        format!("expected a closing `{quote}`, found end of input"),
    ))
}

fn hex4(chars: &mut std::str::CharIndices<'_>) -> Option<u32> {
    let mut v = 0u32;
    for _ in 0..4 {
        let (_, c) = chars.next()?;
        v = v.checked_mul(16)?.checked_add(c.to_digit(16)?)?;
    }
    Some(v)
}

fn bad_unicode(pos: u32) -> Fail {
    Fail::new(
        pos,
        "expected a Unicode escape `\\uXXXX` (a surrogate pair for characters beyond U+FFFF), found an invalid one"
            .into(),
    )
}

/// At most 24 characters of `s`, with `…` when cut.
fn shorten(s: &str) -> String {
    match s.char_indices().nth(24) {
        Some((cut, _)) => format!("{}…", s.get(..cut).unwrap_or(s)),
        None => s.to_string(),
    }
}

// ---------------------------------------------------------------------------------------------------------
// Parser

/// A lambda binder: its name and, for `reduce`, the field of the scope frame it stands for.
struct Binder {
    name: String,
    prefix: Option<&'static str>,
    /// The binder names the iteration index, which lives in the frame above the element's.
    meta: bool,
}

/// One path step.
enum Seg {
    Key(String),
    Index(i64),
}

struct Parser<'t> {
    text: &'t str,
    toks: Vec<Token>,
    i: usize,
    depth: usize,
    /// The binders of the enclosing lambdas, outermost first (one entry per iterator level).
    scopes: Vec<Vec<Binder>>,
    eof: Token,
}

type Res<T> = Result<T, Fail>;

fn op(name: &str, args: Vec<Node>, pos: u32) -> Node {
    Node::op(name, args, pos)
}

impl Parser<'_> {
    fn tok(&self) -> &Token {
        self.toks.get(self.i).unwrap_or(&self.eof)
    }

    fn tok_at(&self, k: usize) -> &Token {
        self.toks.get(k).unwrap_or(&self.eof)
    }

    fn src(&self, t: &Token) -> &str {
        self.text.get(t.start as usize..t.end as usize).unwrap_or("")
    }

    /// Moves past the current token and returns its start.
    fn bump(&mut self) -> u32 {
        let pos = self.tok().start;
        if !matches!(self.tok().tok, Tok::Eof) {
            self.i += 1;
        }
        pos
    }

    /// The source text of the current token.
    fn cur_text(&self) -> String {
        self.src(self.tok()).to_string()
    }

    fn is_punct(&self, p: &str) -> bool {
        matches!(self.tok().tok, Tok::Punct(q) if q == p)
    }

    fn punct_at(&self, k: usize, p: &str) -> bool {
        matches!(self.tok_at(k).tok, Tok::Punct(q) if q == p)
    }

    fn is_kw(&self, kw: &str) -> bool {
        matches!(self.tok().tok, Tok::Word) && self.src(self.tok()) == kw
    }

    /// Whether token `k` is an identifier (a word that is not a keyword).
    fn ident_at(&self, k: usize) -> bool {
        let t = self.tok_at(k);
        matches!(t.tok, Tok::Word) && !KEYWORDS.contains(&self.src(t))
    }

    fn describe(&self, t: &Token) -> String {
        match t.tok {
            Tok::Eof => "end of input".to_string(),
            _ => format!("`{}`", shorten(self.src(t))),
        }
    }

    /// "expected {what}, found {current token}" (or the current token's own error when it is malformed).
    #[cold]
    #[inline(never)]
    fn fail_expected(&self, what: &str) -> Fail {
        let t = self.tok();
        match &t.tok {
            Tok::Bad(msg) => Fail::new(t.start, msg.clone()),
            _ => Fail::new(t.start, format!("expected {what}, found {}", self.describe(t))),
        }
    }

    fn expect_punct(&mut self, p: &str, what: &str) -> Res<u32> {
        if self.is_punct(p) {
            Ok(self.bump())
        } else {
            Err(self.fail_expected(what))
        }
    }

    /// Enters one nesting level (opened at `pos`).
    fn enter(&mut self, pos: u32) -> Res<()> {
        if self.depth >= MAX_DEPTH {
            return Err(Fail::new(
                pos,
                format!("expected at most {MAX_DEPTH} levels of nesting, found more"),
            ));
        }
        self.depth += 1;
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// A nested expression (one level deeper, opened at `pos`).
    fn nested(&mut self, pos: u32) -> Res<Node> {
        self.enter(pos)?;
        let r = self.ternary();
        self.leave();
        r
    }

    /// `cond ? then : else`, right-associative.
    fn ternary(&mut self) -> Res<Node> {
        let cond = self.binary(OR)?;
        if !self.is_punct("?") {
            return Ok(cond);
        }
        self.ternary_rest(cond)
    }

    #[inline(never)]
    fn ternary_rest(&mut self, cond: Node) -> Res<Node> {
        let q = self.bump();
        let then = self.nested(q)?;
        let colon = self.expect_punct(":", "`:`")?;
        let els = self.nested(colon)?;
        let pos = cond.pos;
        Ok(op("if", vec![cond, then, els], pos))
    }

    /// The binary operator at the current token and its level.
    fn infix(&self) -> Option<(&'static str, u8)> {
        let t = self.tok();
        match t.tok {
            Tok::Punct(p) => match p {
                "==" | "!=" | "===" | "!==" | "<" | "<=" | ">" | ">=" => Some((p, CMP)),
                "??" => Some((p, COALESCE)),
                "+" | "-" => Some((p, ADD)),
                "*" | "/" | "%" => Some((p, MUL)),
                _ => None,
            },
            Tok::Word => match self.src(t) {
                "or" => Some(("or", OR)),
                "and" => Some(("and", AND)),
                "in" => Some(("in", CMP)),
                _ => None,
            },
            _ => None,
        }
    }

    /// Operators of level `min` and above, by precedence climbing: `or`, `and` and `??` are n-ary, `not` is a
    /// prefix at its own level, comparisons are non-associative except for chains of one comparison, `+` and
    /// `*` chains flatten, `-`, `/` and `%` nest to the left. An operand that needs a deeper call (`b * c` in
    /// `a + b * c`) is one more nesting level, so the depth limit bounds the whole recursion.
    fn binary(&mut self, min: u8) -> Res<Node> {
        let mut lhs = if min <= NOT && (self.is_kw("not") || self.is_punct("!")) {
            self.not_prefix()?
        } else {
            self.unary()?
        };
        // The operator that built `lhs` in this loop (so `a + b + c` flattens but `(a + b) + c` does not).
        let mut last: Option<&'static str> = None;
        while let Some((name, level)) = self.infix() {
            if level < min {
                break;
            }
            self.bump();
            lhs = self.apply(lhs, name, level, last == Some(name))?;
            last = Some(name);
        }
        Ok(lhs)
    }

    /// `lhs name ...` once `name` (of `level`) is consumed; `again` when `lhs` was built by `name`.
    #[inline(never)]
    fn apply(&mut self, mut lhs: Node, name: &'static str, level: u8, again: bool) -> Res<Node> {
        match level {
            OR | AND | COALESCE => self.nary(lhs, name, level),
            CMP => self.comparison(lhs, name),
            _ => {
                let rhs = self.operand(level)?;
                match &mut lhs.kind {
                    NodeKind::Op { args, .. } if again && (name == "+" || name == "*") => {
                        args.push(rhs);
                        Ok(lhs)
                    }
                    _ => {
                        let pos = lhs.pos;
                        Ok(op(name, vec![lhs, rhs], pos))
                    }
                }
            }
        }
    }

    /// The right operand of an operator of `level`: operators above `level`, one nesting level deeper.
    fn operand(&mut self, level: u8) -> Res<Node> {
        let pos = self.tok().start;
        self.enter(pos)?;
        let r = self.binary(level.saturating_add(1));
        self.leave();
        r
    }

    /// `not x` and `!x` (the operator is the current token).
    #[inline(never)]
    fn not_prefix(&mut self) -> Res<Node> {
        let pos = self.bump();
        self.enter(pos)?;
        let x = self.binary(NOT);
        self.leave();
        Ok(op("!", vec![x?], pos))
    }

    /// The rest of an n-ary chain `first name x name y ...` (the first operator is consumed).
    #[inline(never)]
    fn nary(&mut self, first: Node, name: &'static str, level: u8) -> Res<Node> {
        let pos = first.pos;
        let mut args = vec![first, self.operand(level)?];
        while self.infix().is_some_and(|(n, _)| n == name) {
            self.bump();
            args.push(self.operand(level)?);
        }
        Ok(op(name, args, pos))
    }

    /// The rest of a comparison (the first operator is consumed): a chain of the same comparison is one
    /// n-ary node, anything else is an error.
    #[inline(never)]
    fn comparison(&mut self, first: Node, name: &'static str) -> Res<Node> {
        let pos = first.pos;
        let mut args = vec![first, self.operand(CMP)?];
        while let Some((next, CMP)) = self.infix() {
            if next != name || name == "in" {
                return Err(self.mixed_comparison(name));
            }
            self.bump();
            args.push(self.operand(CMP)?);
        }
        Ok(op(name, args, pos))
    }

    #[cold]
    #[inline(never)]
    fn mixed_comparison(&self, name: &str) -> Fail {
        if name == "in" {
            self.fail_expected("the end of the `in` test")
        } else {
            self.fail_expected(&format!("`{name}` or the end of the comparison"))
        }
    }

    /// Unary minus; a minus directly before a number is a negative number.
    fn unary(&mut self) -> Res<Node> {
        if !self.is_punct("-") {
            return self.primary();
        }
        let minus_end = self.tok().end;
        let pos = self.bump();
        if matches!(self.tok().tok, Tok::Int | Tok::Float) && self.tok().start == minus_end {
            return self.number(true, pos);
        }
        self.enter(pos)?;
        let x = self.unary();
        self.leave();
        Ok(op("-", vec![x?], pos))
    }

    /// The number at the current token (negated when `neg`), as a literal at `pos`.
    #[inline(never)]
    fn number(&mut self, neg: bool, pos: u32) -> Res<Node> {
        let t = self.tok();
        let digits = self.src(t);
        let text = if neg { format!("-{digits}") } else { digits.to_string() };
        let v = if matches!(t.tok, Tok::Int) {
            match text.parse::<i64>() {
                Ok(i) => Value::Int(i),
                Err(_) => {
                    return Err(Fail::new(
                        pos,
                        format!(
                            "expected an integer between {} and {}, found `{}`",
                            i64::MIN,
                            i64::MAX,
                            shorten(&text)
                        ),
                    ))
                }
            }
        } else {
            match crate::json::parse_decimal(&text) {
                Some(f) if f.is_finite() => Value::Float(f),
                _ => {
                    return Err(Fail::new(
                        pos,
                        format!("expected a finite number, found `{}`", shorten(&text)),
                    ))
                }
            }
        };
        self.bump();
        Ok(Node::lit(v, pos))
    }

    fn primary(&mut self) -> Res<Node> {
        let t = self.tok();
        match &t.tok {
            Tok::Int | Tok::Float => self.number(false, t.start),
            Tok::Word => self.word(),
            Tok::Punct("(") => self.group(),
            Tok::Punct("[") => self.list(),
            Tok::Str(_) => Ok(self.string()),
            _ => Err(self.fail_expected("an expression")),
        }
    }

    #[inline(never)]
    fn string(&mut self) -> Node {
        let t = self.tok();
        let v = match &t.tok {
            Tok::Str(s) => Value::str(s),
            _ => Value::Null,
        };
        let pos = self.bump();
        Node::lit(v, pos)
    }

    /// A keyword literal, a call or a path.
    #[inline(never)]
    fn word(&mut self) -> Res<Node> {
        let t = self.tok();
        let v = match self.src(t) {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            "null" => Value::Null,
            w if KEYWORDS.contains(&w) => return Err(self.fail_expected("an expression")),
            _ if self.lambda_ahead() => return Err(self.lambda_misplaced()),
            _ if self.punct_at(self.i + 1, "(") => return self.call(),
            _ => return self.path(),
        };
        let pos = self.bump();
        Ok(Node::lit(v, pos))
    }

    /// `( expr )`.
    fn group(&mut self) -> Res<Node> {
        if self.lambda_ahead() {
            return Err(self.lambda_misplaced());
        }
        let open = self.bump();
        let mut inner = self.nested(open)?;
        self.expect_punct(")", "`)`")?;
        // The parenthesised expression starts at its `(`.
        inner.pos = open;
        Ok(inner)
    }

    /// `[a, b, ...]`.
    fn list(&mut self) -> Res<Node> {
        let open = self.bump();
        let items = self.items("]", open)?;
        Ok(Node {
            kind: NodeKind::List(items),
            pos: open,
        })
    }

    /// Comma-separated expressions up to `close` (a trailing comma is allowed), after the opener at `open`.
    fn items(&mut self, close: &str, open: u32) -> Res<Vec<Node>> {
        self.enter(open)?;
        let mut out = Vec::new();
        loop {
            if self.is_punct(close) {
                break;
            }
            out.push(self.ternary()?);
            if self.is_punct(",") {
                self.bump();
            } else if !self.is_punct(close) {
                return Err(self.fail_expected(&format!("`,` or `{close}`")));
            }
        }
        self.bump();
        self.leave();
        Ok(out)
    }

    /// `name(args...)`; iterators take a lambda as their body.
    fn call(&mut self) -> Res<Node> {
        let name = self.cur_text();
        let pos = self.bump();
        if name == "preserve" {
            // JSONLogic's `{"preserve": x}` is `x` as data; a call here would hold an expression, which
            // prints as data and reads back as another tree.
            return Err(Fail::new(
                pos,
                "`preserve` is JSONLogic's way of writing data; in the text syntax write the value itself \
                 (`[1, 2]`, `'text'`)"
                    .to_string(),
            ));
        }
        let open = self.bump();
        if ITERATORS.contains(&name.as_str()) && !(name == "sum" && self.is_punct(")")) {
            return self.iterator(&name, pos, open);
        }
        let args = self.items(")", open)?;
        Ok(op(&name, args, pos))
    }

    /// `map(list, x => body)`, ..., `sum(list, x => body)` (or the plain call `sum(list)`),
    /// `reduce(list, (acc, x) => body, init)`.
    fn iterator(&mut self, name: &str, pos: u32, open: u32) -> Res<Node> {
        self.enter(open)?;
        let src = self.ternary()?;
        if name == "sum" {
            if self.is_punct(")") {
                self.bump();
                self.leave();
                return Ok(op(name, vec![src], pos));
            }
            self.expect_punct(",", "`,` or `)`")?;
        } else {
            self.expect_punct(",", "`,`")?;
        }
        let mut args = vec![src, self.lambda(name == "reduce")?];
        if name == "reduce" && self.is_punct(",") {
            self.bump();
            if !self.is_punct(")") {
                args.push(self.ternary()?);
            }
        }
        if self.is_punct(",") {
            self.bump();
        }
        let what = if name == "reduce" && args.len() == 2 {
            "`,` or `)`"
        } else {
            "`)`"
        };
        self.expect_punct(")", what)?;
        self.leave();
        Ok(op(name, args, pos))
    }

    /// Whether a lambda starts at the current token: `x =>` or `(a, b) =>`.
    fn lambda_ahead(&self) -> bool {
        if self.ident_at(self.i) {
            return self.punct_at(self.i + 1, "=>");
        }
        if !self.punct_at(self.i, "(") {
            return false;
        }
        let mut k = self.i + 1;
        if self.punct_at(k, ")") {
            return self.punct_at(k + 1, "=>");
        }
        loop {
            if !self.ident_at(k) {
                return false;
            }
            k += 1;
            if self.punct_at(k, ",") {
                k += 1;
            } else {
                return self.punct_at(k, ")") && self.punct_at(k + 1, "=>");
            }
        }
    }

    #[cold]
    #[inline(never)]
    fn lambda_misplaced(&self) -> Fail {
        Fail::new(
            self.tok().start,
            "expected an expression, found a lambda (lambdas are only allowed as the body of map, filter, all, \
             some, none, count, find, sum and reduce)"
                .to_string(),
        )
    }

    /// A lambda (two parameters for `reduce`, else one); returns its body with references to its binders
    /// resolved.
    fn lambda(&mut self, reduce: bool) -> Res<Node> {
        let example = if reduce { "(acc, x) => ..." } else { "x => ..." };
        if !self.lambda_ahead() {
            return Err(self.fail_expected(&format!("a lambda like `{example}`")));
        }
        let start = self.tok().start;
        let mut names: Vec<(String, u32)> = Vec::new();
        if self.is_punct("(") {
            self.bump();
            while self.ident_at(self.i) {
                names.push((self.cur_text(), self.tok().start));
                self.bump();
                if self.is_punct(",") {
                    self.bump();
                }
            }
            self.bump();
        } else {
            names.push((self.cur_text(), self.tok().start));
            self.bump();
        }
        let arrow = self.bump();
        let want = if reduce { 2 } else { 1 };
        // Other iterators may name the element's index too: `(x, i) => ...`.
        let index_ok = !reduce && names.len() == 2;
        if names.len() != want && !index_ok {
            return Err(Fail::new(
                start,
                format!(
                    "expected a lambda with {} like `{example}`, found {} parameter{}",
                    if reduce { "two parameters" } else { "one parameter" },
                    names.len(),
                    if names.len() == 1 { "" } else { "s" }
                ),
            ));
        }
        let binders = match names.as_slice() {
            [(acc, _), (cur, cur_pos)] if reduce => {
                if acc == cur {
                    return Err(Fail::new(
                        *cur_pos,
                        format!("expected a parameter name different from `{acc}`, found `{cur}`"),
                    ));
                }
                vec![
                    Binder {
                        name: acc.clone(),
                        prefix: Some("accumulator"),
                        meta: false,
                    },
                    Binder {
                        name: cur.clone(),
                        prefix: Some("current"),
                        meta: false,
                    },
                ]
            }
            _ => names
                .into_iter()
                .enumerate()
                .map(|(i, (name, _))| Binder {
                    name,
                    prefix: if i == 1 { Some("index") } else { None },
                    meta: i == 1,
                })
                .collect(),
        };
        self.scopes.push(binders);
        let body = self.nested(arrow);
        self.scopes.pop();
        body
    }

    /// `name`, `name.field`, `name[0]`, ... resolved against the binders in scope.
    fn path(&mut self) -> Res<Node> {
        let pos = self.tok().start;
        let mut segs = vec![Seg::Key(self.cur_text())];
        self.bump();
        loop {
            if self.is_punct(".") {
                self.bump();
                if !matches!(self.tok().tok, Tok::Word) {
                    return Err(self.fail_expected("a field name after `.`"));
                }
                segs.push(Seg::Key(self.cur_text()));
                self.bump();
            } else if self.is_punct("[") {
                self.bump();
                let index = match self.tok().tok {
                    Tok::Int => self.src(self.tok()).parse::<i64>().ok(),
                    _ => None,
                };
                let Some(index) = index else {
                    return Err(self.fail_expected("an integer index like `[0]`"));
                };
                segs.push(Seg::Index(index));
                self.bump();
                self.expect_punct("]", "`]`")?;
            } else {
                break;
            }
        }
        Ok(self.resolve(segs, pos))
    }

    /// The `var`/`val` node for a path: relative to the innermost binder named by its first segment, or to
    /// the root data.
    fn resolve(&self, segs: Vec<Seg>, pos: u32) -> Node {
        let depth = self.scopes.len();
        let first = match segs.first() {
            Some(Seg::Key(k)) => Some(k.as_str()),
            _ => None,
        };
        let found = self.scopes.iter().enumerate().rev().find_map(|(level, binders)| {
            binders
                .iter()
                .find(|b| Some(b.name.as_str()) == first)
                .map(|b| (level.saturating_add(1), b.prefix, b.meta))
        });
        let (up, path): (usize, Vec<Seg>) = match found {
            Some((level, prefix, meta)) => (
                depth
                    .saturating_sub(level)
                    .saturating_mul(2)
                    .saturating_add(usize::from(meta)),
                prefix
                    .map(|p| Seg::Key(p.to_string()))
                    .into_iter()
                    .chain(segs.into_iter().skip(1))
                    .collect(),
            ),
            None => (depth.saturating_mul(2), segs),
        };
        if up == 0 {
            let joined: Vec<String> = path
                .iter()
                .map(|s| match s {
                    Seg::Key(k) => k.clone(),
                    Seg::Index(i) => i.to_string(),
                })
                .collect();
            return Node {
                kind: NodeKind::Op {
                    name: "var".to_string(),
                    args: vec![Node::lit(Value::str(&joined.join(".")), pos)],
                    bare: true,
                },
                pos,
            };
        }
        let up = Node {
            kind: NodeKind::List(vec![Node::lit(Value::Int(i64::try_from(up).unwrap_or(i64::MAX)), pos)]),
            pos,
        };
        let args = std::iter::once(up)
            .chain(path.into_iter().map(|s| match s {
                Seg::Key(k) => Node::lit(Value::str(&k), pos),
                Seg::Index(i) => Node::lit(Value::Int(i), pos),
            }))
            .collect();
        op("val", args, pos)
    }
}
