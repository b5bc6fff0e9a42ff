//! The JSON parser: RFC 8259 text to a [`JsonNode`] tree that keeps byte offsets.
//!
//! Integers that fit `i64` stay exact; other numbers become `f64` (a number too large for `f64`, like `1e400`,
//! becomes an infinity, which the claim decoder reports as malformed). Nesting is bounded by
//! [`ParseOptions::max_depth`]; duplicate keys are an error unless allowed. Lone UTF-16 surrogates in `\u`
//! escapes are an error. It never panics and never recurses deeper than `max_depth`.

use std::fmt;
use std::sync::Arc;

/// A JSON value with the byte offset where it starts in the source text.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonNode {
    pub kind: JsonKind,
    pub pos: u32,
}

/// The kinds of JSON value. Object members keep their order and the offset of their key.
#[derive(Debug, Clone, PartialEq)]
pub enum JsonKind {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Arc<str>),
    Array(Vec<JsonNode>),
    Object(Members),
}

impl JsonNode {
    /// The member `key` of an object node.
    pub fn get(&self, key: &str) -> Option<&JsonNode> {
        match &self.kind {
            JsonKind::Object(m) => m.iter().find(|(k, _, _)| &**k == key).map(|(_, _, v)| v),
            _ => None,
        }
    }

    /// A short name of the node's JSON type, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self.kind {
            JsonKind::Null => "null",
            JsonKind::Bool(_) => "boolean",
            JsonKind::Int(_) | JsonKind::Float(_) => "number",
            JsonKind::Str(_) => "string",
            JsonKind::Array(_) => "array",
            JsonKind::Object(_) => "object",
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            JsonKind::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// Looks up a shared string for a key or a text value (`None`: not one it knows).
pub type Interner = fn(&str) -> Option<Arc<str>>;

/// An object's members: key, offset of the key, value.
pub type Members = Vec<(Arc<str>, u32, JsonNode)>;

/// Limits and strictness of the parser.
#[derive(Debug, Clone, Copy)]
pub struct ParseOptions {
    /// Deepest nesting of arrays and objects accepted.
    pub max_depth: usize,
    /// When false, an object with the same key twice is an error.
    pub allow_duplicate_keys: bool,
    /// When true, a lone UTF-16 surrogate in a `\\u` escape (JavaScript strings may hold them) becomes
    /// U+FFFD instead of an error; the claim decoder then reports the field as unreadable text.
    pub replace_lone_surrogates: bool,
    /// Shared strings for keys and short text values the caller knows (claim field names and enum values):
    /// a string it returns is used instead of a new allocation.
    pub intern: Option<Interner>,
    /// Most values (objects, arrays, strings, numbers, literals) in the text; past it the error says so and
    /// has [`JsonError::limit`] set. Counted while parsing, so memory stays proportional to this bound.
    pub max_values: usize,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            max_depth: 256,
            allow_duplicate_keys: false,
            replace_lone_surrogates: false,
            intern: None,
            max_values: usize::MAX,
        }
    }
}

/// A syntax error at a byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    pub offset: usize,
    pub message: String,
    /// The text is well formed as far as it was read, but larger than [`ParseOptions::max_values`].
    pub limit: bool,
}

impl JsonError {
    /// The message with the line and column in `text`.
    pub fn describe(&self, text: &str) -> String {
        format!(
            "{} at {}",
            crate::echo::Echo(&self.message),
            super::line_col(text, self.offset)
        )
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", crate::echo::Echo(&self.message), self.offset)
    }
}

impl std::error::Error for JsonError {}

/// Entries the parser's two container stacks hold before they first grow.
const STACK_ROOM: usize = 32;

/// Objects up to this many members are checked for repeated keys member by member.
const SMALL_OBJECT: usize = 16;

/// A key that appears twice (the later occurrence and its position), found by sorting.
fn first_duplicate(members: &[(Arc<str>, u32, JsonNode)]) -> Option<(Arc<str>, u32)> {
    let mut ix: Vec<usize> = (0..members.len()).collect();
    crate::order::sort_positions(&mut ix, &|a, b| {
        let ka = members.get(a).map(|m| &*m.0);
        let kb = members.get(b).map(|m| &*m.0);
        ka.cmp(&kb).then(a.cmp(&b))
    });
    ix.windows(2).find_map(|w| {
        let (a, b) = (members.get(*w.first()?)?, members.get(*w.get(1)?)?);
        (a.0 == b.0).then(|| (b.0.clone(), b.1))
    })
}

/// Parses `text` with the default options (depth 256, duplicate keys rejected).
pub fn parse(text: &str) -> Result<JsonNode, JsonError> {
    parse_with(text, ParseOptions::default())
}

/// Parses `text` as one JSON value (surrounding white space allowed).
pub fn parse_with(text: &str, opts: ParseOptions) -> Result<JsonNode, JsonError> {
    let mut p = Parser::new(text, opts);
    // Room for a claim's open containers from the start (a 2 KB claim holds about 30 at its deepest):
    // growing these two stacks from empty was a tenth of the parse.
    p.items.reserve(STACK_ROOM);
    p.members.reserve(STACK_ROOM);
    let v = p.value(0)?;
    p.ws();
    if p.i < p.s.len() {
        return Err(p.err("unexpected text after the JSON value"));
    }
    Ok(v)
}

/// Eight copies of a byte.
const fn lanes(b: u8) -> u64 {
    u64::from_ne_bytes([b; 8])
}

/// The length of the plain start of a string's text: the bytes before the first `"`, `\\` or control
/// character (all of `rest` when there is none). Eight bytes at a time while none of them is one (the
/// classic zero-byte test: its lowest flagged byte is exact), then byte by byte.
pub(crate) fn plain_len(rest: &[u8]) -> usize {
    const LOW: u64 = lanes(0x01);
    const HIGH: u64 = lanes(0x80);
    let mut i = 0;
    for chunk in rest.chunks_exact(8) {
        let x = u64::from_le_bytes(<[u8; 8]>::try_from(chunk).unwrap_or([0; 8]));
        let q = x ^ lanes(b'"');
        let b = x ^ lanes(b'\\');
        let flagged = (q.wrapping_sub(LOW) & !q | b.wrapping_sub(LOW) & !b | x.wrapping_sub(lanes(0x20)) & !x) & HIGH;
        if flagged != 0 {
            return i + (flagged.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    i + rest
        .get(i..)
        .unwrap_or_default()
        .iter()
        .position(|&c| c == b'"' || c == b'\\' || c < 0x20)
        .unwrap_or(rest.len().saturating_sub(i))
}

pub(crate) struct Parser<'a> {
    /// The text (valid UTF-8: slices between ASCII delimiters need no validation).
    text: &'a str,
    s: &'a [u8],
    i: usize,
    opts: ParseOptions,
    /// Values read so far.
    values: usize,
    /// The elements and members of the containers being read, innermost last: a container's entries are
    /// moved out into a vector of exactly their number when it closes (one allocation, no growth, no spare
    /// room), so a tree's memory is proportional to its values (a million `{}` took 500 MB when each object
    /// reserved room for eight members).
    items: Vec<JsonNode>,
    members: Members,
}

impl<'a> Parser<'a> {
    /// A parser at the start of `text`, past a leading byte-order mark (editors on some systems add one) and
    /// white space.
    pub(crate) fn new(text: &'a str, opts: ParseOptions) -> Parser<'a> {
        let mut p = Parser {
            text,
            s: text.as_bytes(),
            i: 0,
            opts,
            values: 0,
            items: Vec::new(),
            members: Vec::new(),
        };
        if p.s.starts_with(&[0xEF, 0xBB, 0xBF]) {
            p.i = 3;
        }
        p.ws();
        p
    }

    /// Whether the text ends here (after white space).
    pub(crate) fn at_end(&mut self) -> bool {
        self.ws();
        self.i >= self.s.len()
    }

    fn err(&self, msg: &str) -> JsonError {
        JsonError {
            offset: self.i,
            message: msg.to_string(),
            limit: false,
        }
    }

    /// Steps over one byte (a delimiter the caller has peeked).
    #[inline(always)]
    pub(crate) fn bump(&mut self) {
        self.i += 1;
    }

    /// Steps over `n` bytes the caller has matched in [`Self::rest`] (ending on a character boundary).
    #[inline]
    pub(crate) fn advance(&mut self, n: usize) {
        self.i += n;
    }

    /// The bytes from the cursor on.
    #[inline]
    pub(crate) fn rest(&self) -> &'a [u8] {
        self.s.get(self.i..).unwrap_or_default()
    }

    #[inline(always)]
    pub(crate) fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    /// Steps over white space (inline: most tokens have none before them).
    #[inline(always)]
    pub(crate) fn ws(&mut self) {
        if matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.more_ws();
        }
    }

    fn more_ws(&mut self) {
        let rest = self.s.get(self.i..).unwrap_or_default();
        self.i += rest
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
            .count();
    }

    fn pos(&self) -> u32 {
        u32::try_from(self.i).unwrap_or(u32::MAX)
    }

    /// Counts one more value against [`ParseOptions::max_values`] (the error names the limit).
    pub(crate) fn count_value(&mut self) -> Result<(), JsonError> {
        self.values += 1;
        if self.values > self.opts.max_values {
            let mut e = self.err(&format!("more than {} values", self.opts.max_values));
            e.limit = true;
            return Err(e);
        }
        Ok(())
    }

    /// One value (of any kind, counted, its nesting checked from `depth`) as a tree.
    pub(crate) fn value(&mut self, depth: usize) -> Result<JsonNode, JsonError> {
        let pos = self.pos();
        self.count_value()?;
        let kind = match self.peek() {
            None => return Err(self.err("unexpected end of input, expected a value")),
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => JsonKind::Str(self.shared_string()?),
            Some(b't') => self.word("true", JsonKind::Bool(true))?,
            Some(b'f') => self.word("false", JsonKind::Bool(false))?,
            Some(b'n') => self.word("null", JsonKind::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(_) => return Err(self.err("expected a value (object, array, string, number, true, false or null)")),
        };
        Ok(JsonNode { kind, pos })
    }

    pub(crate) fn word(&mut self, w: &str, kind: JsonKind) -> Result<JsonKind, JsonError> {
        if self.s.get(self.i..self.i + w.len()) == Some(w.as_bytes()) {
            self.i += w.len();
            Ok(kind)
        } else {
            Err(self.err("expected a value (object, array, string, number, true, false or null)"))
        }
    }

    pub(crate) fn enter(&self, depth: usize) -> Result<usize, JsonError> {
        if depth >= self.opts.max_depth {
            return Err(self.err(&format!("nesting deeper than {} levels", self.opts.max_depth)));
        }
        Ok(depth + 1)
    }

    fn array(&mut self, depth: usize) -> Result<JsonKind, JsonError> {
        let depth = self.enter(depth)?;
        self.i += 1;
        self.ws();
        if self.peek() == Some(b']') {
            self.i += 1;
            return Ok(JsonKind::Array(Vec::new()));
        }
        let start = self.items.len();
        loop {
            self.ws();
            let v = self.value(depth)?;
            self.items.push(v);
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    return Ok(JsonKind::Array(self.items.drain(start..).collect()));
                }
                _ => return Err(self.err("expected ',' or ']' in array")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<JsonKind, JsonError> {
        let depth = self.enter(depth)?;
        self.i += 1;
        self.ws();
        if self.peek() == Some(b'}') {
            self.i += 1;
            return Ok(JsonKind::Object(Vec::new()));
        }
        let start = self.members.len();
        loop {
            self.ws();
            if self.peek() != Some(b'"') {
                return Err(self.err("expected a string key in object"));
            }
            let key_pos = self.pos();
            let key = self.shared_string()?;
            // Small objects are checked as they grow; large ones once at the end, by sorting (never quadratic).
            let members = self.members.get(start..).unwrap_or_default();
            if !self.opts.allow_duplicate_keys
                && members.len() < SMALL_OBJECT
                && members.iter().any(|(k, _, _)| *k == key)
            {
                self.i = key_pos as usize;
                return Err(self.err(&format!("duplicate key \"{key}\"")));
            }
            self.ws();
            if self.peek() != Some(b':') {
                return Err(self.err("expected ':' after object key"));
            }
            self.i += 1;
            self.ws();
            let v = self.value(depth)?;
            self.members.push((key, key_pos, v));
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    let members = self.members.get(start..).unwrap_or_default();
                    if !self.opts.allow_duplicate_keys && members.len() > SMALL_OBJECT {
                        if let Some((key, pos)) = first_duplicate(members) {
                            self.i = pos as usize;
                            return Err(self.err(&format!("duplicate key \"{key}\"")));
                        }
                    }
                    return Ok(JsonKind::Object(self.members.drain(start..).collect()));
                }
                _ => return Err(self.err("expected ',' or '}' in object")),
            }
        }
    }

    /// A string as a shared string: the interner's when it has one, else a new one (made straight from the
    /// text when the string has no escapes: one allocation).
    pub(crate) fn shared_string(&mut self) -> Result<Arc<str>, JsonError> {
        let start = self.i + 1;
        let rest = self.s.get(start..).unwrap_or_default();
        let end = plain_len(rest);
        {
            if rest.get(end) == Some(&b'"') {
                if let Some(raw) = self.text.get(start..start + end) {
                    self.i = start + end + 1;
                    if let Some(shared) = self.opts.intern.and_then(|intern| intern(raw)) {
                        return Ok(shared);
                    }
                    return Ok(Arc::from(raw));
                }
            }
        }
        self.string().map(Arc::from)
    }

    /// The string at the cursor as a slice of the text when it has no escapes (the cursor moves past it);
    /// `None`, the cursor unmoved, when it has escapes or is not well formed. ([`Self::shared_string`]
    /// scans inline: calling this from there cost the claim parse 3 K instructions per check.)
    pub(crate) fn plain_string(&mut self) -> Option<&'a str> {
        let start = self.i + 1;
        let rest = self.s.get(start..)?;
        let end = plain_len(rest);
        if rest.get(end) != Some(&b'"') {
            return None;
        }
        let raw = self.text.get(start..start + end)?;
        self.i = start + end + 1;
        Some(raw)
    }

    /// [`Self::plain_string`] and whether the string is ASCII (one pass).
    pub(crate) fn plain_text(&mut self) -> Option<(&'a str, bool)> {
        let start = self.i + 1;
        let rest = self.s.get(start..)?;
        let mut high = 0u8;
        let mut end = 0;
        while let Some(&c) = rest.get(end) {
            if c == b'"' || c == b'\\' || c < 0x20 {
                break;
            }
            high |= c;
            end += 1;
        }
        if rest.get(end) != Some(&b'"') {
            return None;
        }
        let raw = self.text.get(start..start + end)?;
        self.i = start + end + 1;
        Some((raw, high < 0x80))
    }

    /// A lone UTF-16 surrogate: U+FFFD when the options allow it, else an error.
    fn lone(&self) -> Result<u32, JsonError> {
        if self.opts.replace_lone_surrogates {
            Ok(0xFFFD)
        } else {
            Err(self.err("lone UTF-16 surrogate in \\u escape"))
        }
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut v = 0u32;
        for _ in 0..4 {
            let d = match self.peek() {
                Some(c @ b'0'..=b'9') => c - b'0',
                Some(c @ b'a'..=b'f') => c - b'a' + 10,
                Some(c @ b'A'..=b'F') => c - b'A' + 10,
                _ => return Err(self.err("expected four hex digits after \\u")),
            };
            v = v * 16 + u32::from(d);
            self.i += 1;
        }
        Ok(v)
    }

    /// A string with escapes (or an error), decoded piece by piece; [`Self::shared_string`] takes the plain
    /// ones straight from the text first.
    pub(crate) fn string(&mut self) -> Result<String, JsonError> {
        self.i += 1; // opening quote
        let mut out = String::new();
        loop {
            let start = self.i;
            while let Some(c) = self.peek() {
                if c == b'"' || c == b'\\' || c < 0x20 {
                    break;
                }
                self.i += 1;
            }
            match self.text.get(start..self.i) {
                Some(t) => out.push_str(t),
                None => return Err(self.err("invalid UTF-8 in string")),
            }
            match self.peek() {
                None => return Err(self.err("unterminated string")),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.i += 1;
                    let esc = self.peek();
                    self.i += 1;
                    match esc {
                        Some(b'"') => out.push('"'),
                        Some(b'\\') => out.push('\\'),
                        Some(b'/') => out.push('/'),
                        Some(b'b') => out.push('\u{8}'),
                        Some(b'f') => out.push('\u{c}'),
                        Some(b'n') => out.push('\n'),
                        Some(b'r') => out.push('\r'),
                        Some(b't') => out.push('\t'),
                        Some(b'u') => {
                            let hi = self.hex4()?;
                            let cp = if (0xD800..0xDC00).contains(&hi) {
                                if self.s.get(self.i..self.i + 2) != Some(b"\\u") {
                                    self.lone()?
                                } else {
                                    self.i += 2;
                                    let lo = self.hex4()?;
                                    if (0xDC00..0xE000).contains(&lo) {
                                        0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                                    } else {
                                        // The high half stands alone; the next escape is a character of its own.
                                        out.push(char::from_u32(self.lone()?).unwrap_or('\u{FFFD}'));
                                        if (0xD800..0xE000).contains(&lo) {
                                            self.lone()?
                                        } else {
                                            lo
                                        }
                                    }
                                }
                            } else if (0xDC00..0xE000).contains(&hi) {
                                self.lone()?
                            } else {
                                hi
                            };
                            match char::from_u32(cp) {
                                Some(c) => out.push(c),
                                None => return Err(self.err("invalid \\u escape")),
                            }
                        }
                        _ => {
                            self.i -= 1;
                            return Err(self.err("invalid escape in string"));
                        }
                    }
                }
                Some(_) => return Err(self.err("control character in string (escape it)")),
            }
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while let Some(b'0'..=b'9') = self.peek() {
            self.i += 1;
        }
        self.i - start
    }

    pub(crate) fn number(&mut self) -> Result<JsonKind, JsonError> {
        let start = self.i;
        let is_int = self.number_text()?;
        let text = self.text.get(start..self.i).unwrap_or("");
        if is_int {
            if let Ok(v) = text.parse::<i64>() {
                return Ok(JsonKind::Int(v));
            }
        }
        match super::float_parse::parse_decimal(text) {
            Some(f) => Ok(JsonKind::Float(f)),
            None => Err(JsonError {
                limit: false,
                offset: start,
                message: "invalid number".into(),
            }),
        }
    }

    /// Steps over a number, checking its grammar (what [`Self::number`] reads, without converting it);
    /// whether it is an integer (no fraction, no exponent).
    pub(crate) fn number_text(&mut self) -> Result<bool, JsonError> {
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        let int_start = self.i;
        let n = self.digits();
        if n == 0 {
            return Err(self.err("expected digits in number"));
        }
        if n > 1 && self.s.get(int_start) == Some(&b'0') {
            self.i = int_start;
            return Err(self.err("leading zeros are not allowed in numbers"));
        }
        let mut is_int = true;
        if self.peek() == Some(b'.') {
            self.i += 1;
            is_int = false;
            if self.digits() == 0 {
                return Err(self.err("expected digits after the decimal point"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            is_int = false;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            if self.digits() == 0 {
                return Err(self.err("expected digits in the exponent"));
            }
        }
        Ok(is_int)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_values_with_positions() {
        let n = parse(r#" {"a": [1, -2.5, "x\u00e9\ud83d\ude00"], "b": null}"#).unwrap();
        assert_eq!(n.pos, 1);
        let a = n.get("a").unwrap();
        assert_eq!(a.pos, 7);
        match &a.kind {
            JsonKind::Array(v) => {
                assert_eq!(v[0].kind, JsonKind::Int(1));
                assert_eq!(v[1].kind, JsonKind::Float(-2.5));
                assert_eq!(v[2].kind, JsonKind::Str("xé😀".into()));
            }
            _ => panic!("not an array"),
        }
    }

    #[test]
    fn rejects_bad_text() {
        for bad in [
            "",
            "{",
            "[1,]",
            "01",
            "1.",
            "\"\\ud800\"",
            "\"a\nb\"",
            "{\"a\":1,\"a\":2}",
            "[1] x",
            "nul",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} should fail");
        }
    }

    #[test]
    fn depth_is_bounded() {
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        let e = parse(&deep).unwrap_err();
        assert!(e.message.contains("nesting"));
    }

    #[test]
    fn huge_numbers_become_infinite_floats() {
        assert_eq!(parse("1e400").unwrap().kind, JsonKind::Float(f64::INFINITY));
        assert_eq!(
            parse("9223372036854775808").unwrap().kind,
            JsonKind::Float(9.223372036854776e18)
        );
    }

    #[test]
    fn duplicate_keys_can_be_allowed() {
        let o = ParseOptions {
            allow_duplicate_keys: true,
            ..ParseOptions::default()
        };
        assert!(parse_with("{\"a\":1,\"a\":2}", o).is_ok());
    }

    #[test]
    fn error_has_line_and_column() {
        let t = "{\n  \"a\": tru\n}";
        let e = parse(t).unwrap_err();
        assert_eq!(
            e.describe(t),
            "expected a value (object, array, string, number, true, false or null) at line 2, column 8"
        );
    }
}
