//! Source files for [`super::build`]: CSV with a header row, or JSON lines, into [`Row`]s.
//!
//! Columns / keys: `code` (required), `name_zh` (or `zh`), `name_en` (or `en`), `class` (`A`/`B`/`self`,
//! also `甲`/`乙`/`丙`), `self_pay_rate` (or `rate`; decimal text like `0.10`) and `price_cap` (or `cap`;
//! yuan as decimal text, `12.50`). Unknown columns are ignored. CSV follows RFC 4180 quoting (a quoted field
//! may hold commas, doubled quotes and line breaks). Errors give the line.

use super::entry::{ItemClass, Rate, Row};
use super::error::BuildError;
use crate::domain::money::parse_money;
use crate::json::{self, JsonKind};

fn set(row: &mut Row, key: &str, value: &str, line: usize) -> Result<(), BuildError> {
    let v = value.trim();
    let opt = || (!v.is_empty()).then(|| v.to_string());
    match key.trim() {
        "code" => row.code = v.to_string(),
        "name_zh" | "zh" => row.name_zh = opt(),
        "name_en" | "en" => row.name_en = opt(),
        "class" if v.is_empty() => row.class = None,
        "class" => {
            row.class = Some(ItemClass::parse(v).ok_or_else(|| BuildError::new(line, format!("unknown class `{v}`")))?)
        }
        "self_pay_rate" | "rate" if v.is_empty() => row.self_pay_rate = None,
        "self_pay_rate" | "rate" => {
            row.self_pay_rate = Some(
                Rate::parse(v).ok_or_else(|| BuildError::new(line, format!("rate `{v}` is not a decimal in 0..=1")))?,
            )
        }
        "price_cap" | "cap" if v.is_empty() => row.price_cap_fen = None,
        "price_cap" | "cap" => {
            row.price_cap_fen =
                Some(parse_money(v).map_err(|e| BuildError::new(line, format!("price cap `{v}`: {e}")))?)
        }
        _ => {}
    }
    Ok(())
}

/// Splits CSV text into records of fields, with the line each record starts on.
fn csv_records(text: &str) -> Result<Vec<(usize, Vec<String>)>, BuildError> {
    let mut out = Vec::new();
    let (mut fields, mut field) = (Vec::new(), String::new());
    let (mut line, mut start_line, mut quoted, mut was_quoted) = (1, 1, false, false);
    let mut chars = text.trim_start_matches('\u{FEFF}').chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            '"' if quoted => quoted = false,
            '"' if field.is_empty() && !was_quoted => (quoted, was_quoted) = (true, true),
            ',' if !quoted => {
                fields.push(std::mem::take(&mut field));
                was_quoted = false;
            }
            '\r' if !quoted => {}
            '\n' if !quoted => {
                fields.push(std::mem::take(&mut field));
                if fields.iter().any(|f| !f.is_empty()) {
                    out.push((start_line, std::mem::take(&mut fields)));
                }
                fields.clear();
                was_quoted = false;
                line += 1;
                start_line = line;
            }
            c => {
                if c == '\n' {
                    line += 1;
                }
                field.push(c);
            }
        }
    }
    if quoted {
        return Err(BuildError::new(start_line, "unterminated quoted field"));
    }
    fields.push(field);
    if fields.iter().any(|f| !f.is_empty()) {
        out.push((start_line, fields));
    }
    Ok(out)
}

/// Rows from CSV text whose first record names the columns.
pub fn parse_csv(text: &str) -> Result<Vec<Row>, BuildError> {
    let records = csv_records(text)?;
    let Some(((_, header), body)) = records.split_first() else {
        return Ok(Vec::new());
    };
    if !header.iter().any(|h| h.trim() == "code") {
        return Err(BuildError::new(1, "the CSV header has no `code` column"));
    }
    let mut rows = Vec::with_capacity(body.len());
    for (line, fields) in body {
        let mut row = Row {
            line: *line,
            ..Row::default()
        };
        for (k, v) in header.iter().zip(fields) {
            set(&mut row, k, v, *line)?;
        }
        rows.push(row);
    }
    Ok(rows)
}

/// Rows from JSON lines: one object per line; string values (numbers are accepted for rate and cap).
pub fn parse_jsonl(text: &str) -> Result<Vec<Row>, BuildError> {
    let mut rows = Vec::new();
    for (i, l) in text.lines().enumerate() {
        let line = i + 1;
        if l.trim().is_empty() {
            continue;
        }
        let node = json::parse(l).map_err(|e| BuildError::new(line, e.describe(l)))?;
        let JsonKind::Object(members) = &node.kind else {
            return Err(BuildError::new(line, "expected a JSON object"));
        };
        let mut row = Row { line, ..Row::default() };
        for (k, _, v) in members {
            let text = match &v.kind {
                JsonKind::Str(s) => s.to_string(),
                JsonKind::Null => String::new(),
                JsonKind::Int(n) => n.to_string(),
                JsonKind::Float(f) => f.to_string(),
                _ => return Err(BuildError::new(line, format!("`{k}` must be a string"))),
            };
            set(&mut row, k, &text, line)?;
        }
        rows.push(row);
    }
    Ok(rows)
}

/// Rows from `text`, as JSON lines when the first non-blank character is `{`, else as CSV.
pub fn parse_rows(text: &str) -> Result<Vec<Row>, BuildError> {
    if text.trim_start_matches('\u{FEFF}').trim_start().starts_with('{') {
        parse_jsonl(text)
    } else {
        parse_csv(text)
    }
}
