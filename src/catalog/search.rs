//! Autocomplete: [`Catalog::search`] matches a typed query against codes (exact, then prefix) and names (in
//! Chinese and English, case-insensitive) and returns at most `limit` entries, best first.
//!
//! Names are matched in the catalog's search text — one line per entry (per run of equal names in item
//! catalogs) holding the folded Chinese and English names. Several words must all occur in the line; the
//! first word is the one ranked (a first word of one or two Latin letters only matches at word starts).
//! Ranking: exact code, code prefix, name starting with the query, a word of the name starting with it, any
//! substring; a line ranks by its best occurrence (best rank, then the shorter of its two names); then
//! shorter names; then code order. No pinyin, no fuzzy matching, no stemming.
//!
//! Diagnosis catalogs carry a search index (built with the catalog): every word start and every non-ASCII
//! character of the text, in buckets by first character, each bucket already in ranking order — so a
//! keystroke reads only as many index entries as it takes to find `limit` matching lines. The index does
//! not hold positions inside Latin words; a Latin query of three or more characters with fewer matches at
//! word starts than wanted is completed by a scan of the groups of 64 lines whose trigram filter holds every
//! trigram of the query. Item catalogs (few distinct names) are scanned (`find`: eight bytes at a time).

use super::entry::Entry;
use super::format::{FILTER_LEN, FILTER_LINES};
use super::reader::Catalog;

/// How a search result matched the query (better first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Match {
    /// The query is the entry's code (case-insensitive).
    Code,
    /// The entry's code starts with the query.
    CodePrefix,
    /// The Chinese or English name starts with the query.
    NameStart,
    /// A word of the English name starts with the query.
    WordStart,
    /// The query occurs inside a name.
    Substring,
}

impl Match {
    pub fn as_str(self) -> &'static str {
        match self {
            Match::Code => "code",
            Match::CodePrefix => "code_prefix",
            Match::NameStart => "name_start",
            Match::WordStart => "word_start",
            Match::Substring => "substring",
        }
    }

    fn from_rank(r: u64) -> Match {
        match r {
            0 => Match::Code,
            1 => Match::CodePrefix,
            2 => Match::NameStart,
            3 => Match::WordStart,
            _ => Match::Substring,
        }
    }
}

/// One search result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit<'c> {
    pub entry: Entry<'c>,
    pub matched: Match,
}

/// The folding applied to names and queries: Unicode lower case, full-width ASCII to ASCII, runs of white
/// space to one space.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.trim().chars() {
        let c = match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        };
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.extend(c.to_lowercase());
    }
    out
}

/// Reads 8 bytes at `at` as a little-endian word (zero past the end).
fn word(hay: &[u8], at: usize) -> u64 {
    hay.get(at..at + 8)
        .and_then(|w| <[u8; 8]>::try_from(w).ok())
        .map_or(0, u64::from_le_bytes)
}

/// The first position at or after `from` where `needle` occurs in `hay`. Eight positions at a time: a
/// position is a candidate when both the needle's first and last bytes match there (SWAR zero-byte test),
/// and every candidate is then compared in full. Several times faster than `str::find` on long texts.
pub(crate) fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let (&first, &last) = (needle.first()?, needle.last()?);
    let span = needle.len() - 1;
    let (bf, bl) = (LO * u64::from(first), LO * u64::from(last));
    let test = |at: usize| {
        let z = (word(hay, at) ^ bf) | (word(hay, at + span) ^ bl);
        z.wrapping_sub(LO) & !z & HI
    };
    let mut i = from;
    while i + span + 32 <= hay.len() {
        let ms = [test(i), test(i + 8), test(i + 16), test(i + 24)];
        if ms.iter().any(|m| *m != 0) {
            for (k, mut m) in ms.into_iter().enumerate() {
                while m != 0 {
                    let at = i + 8 * k + (m.trailing_zeros() / 8) as usize;
                    if hay.get(at..at + needle.len()) == Some(needle) {
                        return Some(at);
                    }
                    m &= m - 1;
                }
            }
        }
        i += 32;
    }
    (i..hay.len()).find(|&at| hay.get(at..at + needle.len()) == Some(needle))
}

/// The rank of a match at `at`: 2 at the start of a name, 3 at the start of a word, 4 inside a word.
pub(crate) fn rank_at(text: &[u8], at: usize) -> u64 {
    let Some(head) = text.get(at.saturating_sub(4)..at).filter(|h| !h.is_empty()) else {
        return 2;
    };
    match head.last() {
        Some(b'\n' | 0x1F) => 2,
        Some(b) if b.is_ascii() => 3 + u64::from(b.is_ascii_alphanumeric()),
        _ => {
            // The last character of `head` (a multi-byte one).
            let start = head.iter().rposition(|b| b & 0xC0 != 0x80).unwrap_or(0);
            let c = head
                .get(start..)
                .and_then(|c| std::str::from_utf8(c).ok())
                .and_then(|c| c.chars().next());
            3 + u64::from(c.is_some_and(char::is_alphanumeric))
        }
    }
}

/// The first word of a query (ranked), the other words (each must occur in the line), the worst rank kept.
#[derive(Clone, Copy)]
struct Query<'q> {
    lead: &'q [u8],
    rest: &'q [&'q str],
    max_rank: u64,
}

/// The length of the field (Chinese or English name) of line `start..end` that holds position `at`.
fn field_len(text: &[u8], start: usize, end: usize, at: usize) -> usize {
    let fs = text
        .get(start..at)
        .and_then(|b| b.iter().rposition(|&b| b == 0x1F))
        .map_or(start, |p| start + p + 1);
    let fe = text
        .get(at..end)
        .and_then(|b| b.iter().position(|&b| b == 0x1F))
        .map_or(end, |p| at + p);
    fe.saturating_sub(fs)
}

/// Sort key: rank (8 bits) · field length (24 bits) · ordinal (32 bits).
fn key(rank: u64, len: usize, ordinal: u32) -> u64 {
    rank << 56 | (len.min(0xFF_FFFF) as u64) << 32 | u64::from(ordinal)
}

/// The sort key the builder orders each search-index bucket by (the same as the ranking's).
pub(crate) fn index_key(rank: u64, len: usize, ordinal: u32) -> u64 {
    key(rank, len, ordinal)
}

/// The bit of three ASCII bytes in a trigram filter.
fn trigram(a: u8, b: u8, c: u8) -> usize {
    // Fibonacci hashing: the top bits of the product mix all three bytes.
    let h = (u64::from(a) << 16 | u64::from(b) << 8 | u64::from(c)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (h >> (64 - (FILTER_LEN * 8).trailing_zeros())) as usize
}

/// The trigram filter of a piece of search text: the bits of its ASCII trigrams.
pub(crate) fn trigram_filter(text: &[u8]) -> Vec<u8> {
    let mut bits = vec![0u8; FILTER_LEN as usize];
    for w in text.windows(3) {
        if let [a, b, c] = *w {
            if (a | b | c) < 0x80 {
                let t = trigram(a, b, c);
                if let Some(byte) = bits.get_mut(t / 8) {
                    *byte |= 1 << (t % 8);
                }
            }
        }
    }
    bits
}

/// Whether every ASCII trigram of `needle` is in `filter` (if not, the text it was made of lacks `needle`).
fn may_occur(filter: &[u8], needle: &[u8]) -> bool {
    needle.windows(3).all(|w| match *w {
        [a, b, c] if (a | b | c) < 0x80 => {
            let t = trigram(a, b, c);
            filter.get(t / 8).is_some_and(|byte| byte >> (t % 8) & 1 == 1)
        }
        _ => true,
    })
}

impl Catalog<'_> {
    /// At most `limit` entries matching `query`, best first (see the module docs for the ranking).
    ///
    /// ```
    /// use preclaim::catalog::{build, Catalog, Kind, Match, Row};
    /// let row = |c: &str, zh: &str, en: &str| Row { code: c.into(), name_zh: Some(zh.into()), name_en: Some(en.into()), ..Row::default() };
    /// let bytes = build(Kind::Diagnosis, vec![
    ///     row("C50", "乳房恶性肿瘤", "Malignant neoplasm of breast"),
    ///     row("N60", "良性乳房发育不良", "Benign mammary dysplasia"),
    /// ])?;
    /// let cat = Catalog::load(&bytes)?;
    /// let codes = |q: &str| cat.search(q, 5).iter().map(|h| h.entry.code.to_string()).collect::<Vec<_>>();
    /// assert_eq!(codes("乳房"), ["C50", "N60"]);
    /// assert_eq!(codes("breast"), ["C50"]);
    /// assert_eq!(cat.search("c50", 5)[0].matched, Match::Code);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit<'_>> {
        let q = fold(query);
        if q.is_empty() || limit == 0 {
            return Vec::new();
        }
        let mut keys: Vec<u64> = Vec::new();
        let code = q.to_ascii_uppercase();
        if code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.') {
            for e in self.prefix(&code).take(limit) {
                let rank = if e.code.as_bytes() == code.as_bytes() { 0 } else { 1 };
                keys.push(key(rank, e.code.as_bytes().len(), e.ordinal));
            }
        }
        let code_hits = keys.len();
        let mut terms = q.split(' ');
        let lead = terms.next().unwrap_or("").as_bytes();
        let rest: Vec<&str> = terms.collect();
        // One or two Latin letters match at word starts only: inside words they are noise (and slow).
        let max_rank = if lead.len() <= 2 && lead.is_ascii() { 3 } else { 4 };
        // Code matches rank above every name match: when they fill the list, names cannot get in.
        if code_hits < limit {
            let query = Query {
                lead,
                rest: &rest,
                max_rank,
            };
            match self.search_index(&query, limit - code_hits, &keys) {
                Some((found, complete)) => {
                    keys.extend(found);
                    if !complete {
                        // The index has word starts only: a Latin query may also occur inside words.
                        self.scan_filtered(&query, &mut keys);
                    }
                }
                None => {
                    let seen = keys.len();
                    self.scan_names(&query, &mut keys, seen, 0..self.line_count() as usize);
                }
            }
        }
        let names = keys.get_mut(code_hits..).unwrap_or(&mut []);
        if names.len() > limit {
            names.select_nth_unstable(limit);
        }
        keys.truncate(code_hits + limit);
        keys.sort_unstable();
        keys.truncate(limit);
        keys.iter()
            .filter_map(|k| {
                let entry = self.entry_at(*k as u32)?;
                Some(Hit {
                    entry,
                    matched: Match::from_rank(k >> 56),
                })
            })
            .collect()
    }

    /// The inside-word matches the search index cannot give: scans the groups of lines whose trigram filter
    /// has every trigram of the query's first word (the lines already in `keys` are left out).
    fn scan_filtered(&self, query: &Query<'_>, keys: &mut Vec<u64>) {
        let seen = keys.len();
        let lines = self.line_count() as usize;
        let step = FILTER_LINES as usize;
        let mut run: Option<usize> = None; // first line of a run of candidate groups
        for g in 0..lines.div_ceil(step) {
            if may_occur(self.trigram_filter(g), query.lead) {
                run = run.or(Some(g * step));
            } else if let Some(from) = run.take() {
                self.scan_names(query, keys, seen, from..g * step);
            }
        }
        if let Some(from) = run {
            self.scan_names(query, keys, seen, from..lines);
        }
    }

    /// Names matching `query` by a scan of the search text of `lines`; adds their sort keys to `keys`, leaving
    /// out the lines of its first `seen` keys (the code hits and what the index found).
    fn scan_names(&self, query: &Query<'_>, keys: &mut Vec<u64>, seen: usize, lines: std::ops::Range<usize>) {
        let Query { lead, rest, max_rank } = *query;
        let code_hits = seen;
        let all = self.search_text();
        let Some((mut from, _)) = self.line(lines.start) else {
            return;
        };
        let end = self.line(lines.end).map_or(all.len(), |l| l.0);
        // Matches are found in the lines' text; ranks and lines are read in the whole text.
        let (text, hay) = (all, all.get(..end).unwrap_or(all));
        let mut line_no = lines.start;
        // The line being scored: (start, end, ordinal, best rank, position of the best occurrence).
        let mut current: Option<(usize, usize, u32, u64, usize)> = None;
        let finish = |c: (usize, usize, u32, u64, usize), keys: &mut Vec<u64>| {
            let (start, end, ordinal, rank, at) = c;
            if rank > max_rank {
                return;
            }
            let line = text
                .get(start..end)
                .and_then(|l| std::str::from_utf8(l).ok())
                .unwrap_or("");
            let seen = keys
                .get(..code_hits)
                .is_some_and(|k| k.iter().any(|k| *k as u32 == ordinal));
            if seen || !rest.iter().all(|t| line.contains(t)) {
                return;
            }
            keys.push(key(rank, field_len(text, start, end, at), ordinal));
        };
        while let Some(at) = find(hay, lead, from) {
            from = at + lead.len().max(1);
            if let Some(c) = current.as_mut().filter(|c| at < c.1) {
                // Another occurrence in the line: keep the best rank, then the shorter field (as the index).
                let r = rank_at(text, at);
                let shorter = || field_len(text, c.0, c.1, at) < field_len(text, c.0, c.1, c.4);
                if r < c.3 || (r == c.3 && shorter()) {
                    (c.3, c.4) = (r, at);
                }
                continue;
            }
            if let Some(c) = current.take() {
                finish(c, keys);
            }
            // The line holding `at`: lines start in increasing order and hits come in order, so walk forward.
            while self.line(line_no + 1).is_some_and(|(s, _)| s <= at) {
                line_no += 1;
            }
            let Some((start, ordinal)) = self.line(line_no) else {
                break;
            };
            let end = find(text, b"\n", at).unwrap_or(text.len());
            current = Some((start, end, ordinal, rank_at(text, at), at));
        }
        if let Some(c) = current.take() {
            finish(c, keys);
        }
    }

    /// Names matching `query` from the search index: the bucket of the first character is in ranking order,
    /// so the first `needed` lines that match are the best ones. `None` without an index; the flag is false
    /// when the answer may be incomplete (a Latin query of three or more characters, which may also occur
    /// inside words, where the index does not look).
    fn search_index(&self, query: &Query<'_>, needed: usize, code_keys: &[u64]) -> Option<(Vec<u64>, bool)> {
        let Query { lead, rest, max_rank } = *query;
        if !self.has_index() {
            return None;
        }
        let first = std::str::from_utf8(lead).ok()?.chars().next()?;
        let (lo, hi) = self.index_bucket(first).unwrap_or((0, 0));
        let complete = !first.is_ascii() || max_rank <= 3;
        let text = self.search_text();
        let mut found: Vec<u64> = Vec::new();
        for i in lo..hi {
            let Some(at) = self.index_position(i) else { continue };
            if text.get(at..at + lead.len()) != Some(lead) {
                continue;
            }
            let rank = rank_at(text, at);
            if rank > max_rank {
                break; // the rest of the bucket ranks lower still
            }
            let Some((start, end, ordinal)) = self.line_at(at) else {
                continue;
            };
            let seen = |k: &u64| *k as u32 == ordinal;
            if code_keys.iter().any(seen) || found.iter().any(seen) {
                continue;
            }
            let line = text
                .get(start..end)
                .and_then(|l| std::str::from_utf8(l).ok())
                .unwrap_or("");
            if !rest.iter().all(|t| line.contains(t)) {
                continue;
            }
            found.push(key(rank, field_len(text, start, end, at), ordinal));
            if found.len() == needed {
                return Some((found, true));
            }
        }
        Some((found, complete))
    }

    /// The entry at `ordinal` (decodes its block up to it).
    pub fn entry_at(&self, ordinal: u32) -> Option<Entry<'_>> {
        let mut cur = self.cursor_at(ordinal);
        loop {
            let raw = cur.next_raw()?;
            if raw.ordinal == ordinal {
                return Some(self.resolve(&raw));
            }
        }
    }
}
