//! Building catalog bytes from [`Row`]s: validate, sort by code, front-code the entries in blocks, share
//! names in a string table, and write the folded search text and the header with its checksum. Native tools
//! (the CLI) use it; the device only reads catalogs.

use std::collections::HashMap;

use super::entry::{ItemClass, Kind, Rate, Row};
use super::error::BuildError;
use super::format::{
    checksum, put_varint, Header, ANCHOR_STRIDE, BLOCK_SIZE, FILTER_LINES, F_CAP, F_DIGITS, F_NAMES, HEADER_LEN,
    MAX_CODE_LEN, MAX_RATES, VERSION,
};
use super::search::{fold, index_key, rank_at, trigram_filter};

/// Longest name accepted, in bytes.
const MAX_NAME_LEN: usize = crate::limits::MAX_CATALOG_NAME_BYTES;

fn check_name(n: &Option<String>, line: usize) -> Result<Option<&str>, BuildError> {
    match n.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) if s.len() > MAX_NAME_LEN => Err(BuildError::new(line, "name longer than 1024 bytes")),
        Some(s) if s.chars().any(char::is_control) => Err(BuildError::new(line, "name has a control character")),
        Some(s) => Ok(Some(s)),
    }
}

/// The reference (offset + 1) of `s` in the string table, adding it once; 0 for no string.
fn string_ref<'r>(
    refs: &mut HashMap<&'r str, u32>,
    strings: &mut Vec<u8>,
    s: Option<&'r str>,
) -> Result<u32, BuildError> {
    let Some(s) = s else { return Ok(0) };
    if let Some(r) = refs.get(s) {
        return Ok(*r);
    }
    let at = fits(strings.len() + 1, "string table")?;
    put_varint(strings, s.len() as u64);
    strings.extend_from_slice(s.as_bytes());
    refs.insert(s, at);
    Ok(at)
}

fn fits(n: usize, what: &str) -> Result<u32, BuildError> {
    u32::try_from(n).map_err(|_| BuildError::new(0, format!("{what} exceeds 4 GiB")))
}

/// Builds a catalog of `kind` from `rows` (any order). Errors name the source line: an empty, too long
/// (over 32 bytes) or non-ASCII code, a duplicate code, a class in a diagnosis catalog or none in an item
/// catalog, a negative price cap, more than 16 distinct rates, a name with control characters.
///
/// ```
/// use preclaim::catalog::{build, Catalog, ItemClass, Kind, Rate, Row};
/// let rows = vec![Row { code: "XA01ABD075A002010100483".into(), name_zh: Some("地喹氯铵含片".into()),
///     class: Some(ItemClass::B), self_pay_rate: Rate::parse("0.10"), ..Row::default() }];
/// let bytes = build(Kind::Item, rows)?;
/// let cat = Catalog::load(&bytes)?;
/// let e = cat.get("XA01ABD075A002010100483").unwrap();
/// assert_eq!((e.class, e.self_pay_rate.to_string()), (Some(ItemClass::B), "0.10".to_string()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn build(kind: Kind, mut rows: Vec<Row>) -> Result<Vec<u8>, BuildError> {
    for r in &mut rows {
        r.code = r.code.trim().to_string();
        let c = r.code.as_bytes();
        if c.is_empty() || c.len() > MAX_CODE_LEN || !c.iter().all(|b| (0x21..=0x7E).contains(b)) {
            return Err(BuildError::new(
                r.line,
                format!("code `{}` must be 1 to 32 printable ASCII characters", r.code),
            ));
        }
        match (kind, r.class) {
            (Kind::Diagnosis, Some(_)) => return Err(BuildError::new(r.line, "a diagnosis has no class")),
            (Kind::Item, None) => return Err(BuildError::new(r.line, "an item needs a class (A, B or self)")),
            // A 乙类 item's self-pay-first rate is what the catalog is for: a missing one must not read as 0.
            (Kind::Item, Some(ItemClass::B)) if r.self_pay_rate.is_none() => {
                return Err(BuildError::new(r.line, "a class B (乙类) item needs its self_pay_rate"))
            }
            _ => {}
        }
        if r.self_pay_rate.is_some_and(|x| x.0 > 10_000) {
            return Err(BuildError::new(r.line, "self-pay-first rate above 1"));
        }
        if r.price_cap_fen.is_some_and(|x| x < 0) {
            return Err(BuildError::new(r.line, "negative price cap"));
        }
        check_name(&r.name_zh, r.line)?;
        check_name(&r.name_en, r.line)?;
    }
    rows.sort_by(|a, b| a.code.as_bytes().cmp(b.code.as_bytes()));
    for w in rows.windows(2) {
        if let [a, b] = w {
            if a.code == b.code {
                return Err(BuildError::new(
                    b.line,
                    format!("duplicate code `{}` (also on line {})", b.code, a.line),
                ));
            }
        }
    }
    let mut rates: Vec<Rate> = rows.iter().map(|r| r.self_pay_rate.unwrap_or_default()).collect();
    rates.sort_unstable();
    rates.dedup();
    if rates.len() > MAX_RATES {
        return Err(BuildError::new(0, "more than 16 distinct self-pay-first rates"));
    }

    let mut strings: Vec<u8> = Vec::new();
    let mut string_refs: HashMap<&str, u32> = HashMap::new();
    // Distinct (zh, en) name pairs, numbered in order of first use; entries refer to them by id + 1.
    let mut name_ids: HashMap<(Option<&str>, Option<&str>), u64> = HashMap::new();
    let mut names_table: Vec<u8> = Vec::new();
    let mut name_count = 0u64;
    let mut search: Vec<u8> = Vec::new();
    let mut entries: Vec<u8> = Vec::with_capacity(rows.len() * 8);
    let mut blocks: Vec<u8> = Vec::new();
    let mut prev_code: &[u8] = &[];
    let mut anchor_code: &[u8] = &[];
    let mut block_start = 0usize;
    let mut prev_names: (Option<&str>, Option<&str>) = (None, None);
    let stride = ANCHOR_STRIDE as usize;
    for (i, r) in rows.iter().enumerate() {
        let at_block_start = i % usize::from(BLOCK_SIZE) == 0;
        let at_anchor = i % stride == 0;
        let code = r.code.as_bytes();
        if at_block_start {
            block_start = entries.len();
            blocks.extend_from_slice(&fits(block_start, "entry data")?.to_le_bytes());
            // Anchor offsets; those past the last entry stay 0.
            blocks.resize(blocks.len() + 2 * (usize::from(BLOCK_SIZE) / stride - 1), 0);
            prev_code = &[];
            anchor_code = &[];
        } else if at_anchor {
            let rel = u16::try_from(entries.len() - block_start)
                .map_err(|_| BuildError::new(r.line, "block longer than 64 KiB"))?;
            let slot = blocks.len() - 2 * (usize::from(BLOCK_SIZE) / stride - i % usize::from(BLOCK_SIZE) / stride);
            if let Some(s) = blocks.get_mut(slot..slot + 2) {
                s.copy_from_slice(&rel.to_le_bytes());
            }
            // An anchor is front-coded against the previous anchor.
            prev_code = anchor_code;
        }
        let names = (check_name(&r.name_zh, r.line)?, check_name(&r.name_en, r.line)?);
        let shared = code.iter().zip(prev_code).take_while(|(a, b)| a == b).count();
        entries.push(shared as u8 | r.class.map_or(0, |c| c.bits()) << 6);
        let suffix = code.get(shared..).unwrap_or(&[]);
        let rate = r.self_pay_rate.unwrap_or_default();
        let mut flags = rates.iter().position(|x| *x == rate).unwrap_or(0) as u8;
        // Diagnoses: every entry has its own name row (all are searchable); items share rows by equal names.
        let own_row = kind == Kind::Diagnosis && names != (None, None);
        // Names carry over from the previous entry, but not into an anchor (a look-up may start there).
        let write_names = own_row || names != prev_names || (at_anchor && names != (None, None));
        let digits = suffix.len() >= 2 && suffix.iter().all(u8::is_ascii_digit);
        for (on, bit) in [
            (r.price_cap_fen.is_some(), F_CAP),
            (write_names, F_NAMES),
            (digits, F_DIGITS),
        ] {
            if on {
                flags |= bit;
            }
        }
        entries.push(flags);
        if digits {
            // Two digits a byte, high nibble first, ended by the nibble 0xF.
            let nibbles: Vec<u8> = suffix.iter().map(|d| d - b'0').chain([0xF, 0xF]).collect();
            for pair in nibbles.chunks_exact(2).take(suffix.len() / 2 + 1) {
                entries.push(pair.first().copied().unwrap_or(0xF) << 4 | pair.get(1).copied().unwrap_or(0xF));
            }
        } else if let Some((last, head)) = suffix.split_last() {
            entries.extend_from_slice(head);
            entries.push(last | 0x80);
        }
        if let Some(cap) = r.price_cap_fen {
            put_varint(&mut entries, cap.unsigned_abs());
        }
        if write_names {
            let id = if names == (None, None) {
                0
            } else if let Some(id) = name_ids.get(&names).filter(|_| !own_row) {
                *id + 1
            } else {
                let id = name_count;
                name_count += 1;
                name_ids.insert(names, id);
                for v in [
                    string_ref(&mut string_refs, &mut strings, names.0)?,
                    string_ref(&mut string_refs, &mut strings, names.1)?,
                    fits(search.len(), "search text")?,
                    fits(i, "entry count")?,
                ] {
                    names_table.extend_from_slice(&v.to_le_bytes());
                }
                search.extend_from_slice(fold(names.0.unwrap_or("")).as_bytes());
                search.push(0x1F);
                search.extend_from_slice(fold(names.1.unwrap_or("")).as_bytes());
                search.push(b'\n');
                id + 1
            };
            put_varint(&mut entries, id);
        }
        prev_names = names;
        prev_code = code;
        if at_anchor {
            anchor_code = code;
        }
    }

    // Diagnosis catalogs get a search index (item catalogs share names: their search text is small).
    let (buckets, positions) = if kind == Kind::Diagnosis {
        search_index(&search, &names_table)?
    } else {
        (Vec::new(), Vec::new())
    };
    // With an index, a trigram filter per group of lines (for queries that may occur inside words).
    let mut filters = Vec::new();
    if !positions.is_empty() {
        let starts: Vec<usize> = names_table
            .chunks_exact(16)
            .filter_map(|row| row.get(8..12)?.try_into().ok().map(u32::from_le_bytes))
            .map(|s| s as usize)
            .collect();
        let step = FILTER_LINES as usize;
        for g in 0..starts.len().div_ceil(step) {
            let from = starts.get(g * step).copied().unwrap_or(0);
            let to = starts.get((g + 1) * step).copied().unwrap_or(search.len());
            filters.extend(trigram_filter(search.get(from..to).unwrap_or(&[])));
        }
    }

    let mut body = Vec::with_capacity(rates.len() * 2 + blocks.len() + entries.len() + strings.len());
    for r in &rates {
        body.extend_from_slice(&r.0.to_le_bytes());
    }
    body.extend_from_slice(&blocks);
    body.extend_from_slice(&entries);
    body.extend_from_slice(&strings);
    body.extend_from_slice(&search);
    body.extend_from_slice(&names_table);
    body.extend_from_slice(&buckets);
    body.extend_from_slice(&positions);
    body.extend_from_slice(&filters);
    let header = Header {
        version: VERSION,
        kind: kind.byte(),
        block_size: BLOCK_SIZE,
        entry_count: fits(rows.len(), "entry count")?,
        entries_len: fits(entries.len(), "entry data")?,
        strings_len: fits(strings.len(), "string table")?,
        search_len: fits(search.len(), "search text")?,
        line_count: fits(name_count as usize, "names")?,
        rate_count: rates.len() as u32,
        bucket_count: fits(buckets.len() / 8, "search index")?,
        position_count: fits(positions.len() / 4, "search index")?,
        body_len: fits(body.len(), "catalog")?,
        checksum: 0,
    };
    let mut out = header.to_bytes();
    let sum = checksum(&out, &body);
    if let Some(field) = out.get_mut(super::format::CHECKSUM_AT..) {
        field.copy_from_slice(&sum.to_le_bytes());
    }
    out.reserve_exact(body.len());
    out.extend_from_slice(&body);
    debug_assert_eq!(out.len(), HEADER_LEN + body.len());
    Ok(out)
}

/// The search index of a search text: every position where a query's first word can match and be ranked
/// without reading the whole text — each word start (rank ≤ 3 by [`rank_at`]) and each non-ASCII character —
/// grouped in buckets by its first character, each bucket in ranking order (rank, field length, first entry,
/// position). Returns the bucket table (character, first position index; u32 each) and the positions (u32).
fn search_index(search: &[u8], names_table: &[u8]) -> Result<(Vec<u8>, Vec<u8>), BuildError> {
    let text = std::str::from_utf8(search).map_err(|_| BuildError::new(0, "search text is not UTF-8"))?;
    let u32_at = |at: usize| {
        names_table
            .get(at..at + 4)
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
            .map_or(0, u32::from_le_bytes)
    };
    let rows = names_table.len() / 16;
    let mut items: Vec<(u32, u64, u32)> = Vec::new();
    for row in 0..rows {
        let start = u32_at(row * 16 + 8) as usize;
        let ordinal = u32_at(row * 16 + 12);
        let end = if row + 1 < rows {
            u32_at((row + 1) * 16 + 8) as usize
        } else {
            text.len()
        };
        let line = text.get(start..end.saturating_sub(1)).unwrap_or("");
        let sep = line.find('\u{1F}').unwrap_or(line.len());
        for (off, c) in line.char_indices() {
            if c == '\u{1F}' || c == ' ' {
                continue;
            }
            let rank = rank_at(search, start + off);
            if rank <= 3 || !c.is_ascii() {
                let field = if off < sep { sep } else { line.len() - sep - 1 };
                items.push((
                    c as u32,
                    index_key(rank, field, ordinal),
                    fits(start + off, "search text")?,
                ));
            }
        }
    }
    items.sort_unstable();
    let mut buckets = Vec::new();
    let mut positions = Vec::with_capacity(items.len() * 4);
    for (i, (c, _, p)) in items.iter().enumerate() {
        if i == 0 || items.get(i - 1).is_some_and(|prev| prev.0 != *c) {
            buckets.extend_from_slice(&c.to_le_bytes());
            buckets.extend_from_slice(&fits(i, "search index")?.to_le_bytes());
        }
        positions.extend_from_slice(&p.to_le_bytes());
    }
    Ok((buckets, positions))
}
