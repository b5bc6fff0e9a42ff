//! Turning byte offsets into 1-based line and column numbers (columns count characters, not bytes).

/// A 1-based line and column in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

impl std::fmt::Display for LineCol {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}, column {}", self.line, self.col)
    }
}

/// The line and column of byte `offset` in `text` (offsets past the end point just after the last character).
pub fn line_col(text: &str, offset: usize) -> LineCol {
    let mut line = 1u32;
    let mut col = 1u32;
    for (i, ch) in text.char_indices() {
        if i >= offset {
            break;
        }
        if ch == '\n' {
            line = line.saturating_add(1);
            col = 1;
        } else {
            col = col.saturating_add(1);
        }
    }
    LineCol { line, col }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_lines_and_chars() {
        let t = "{\n  \"a\": \"王某\", x";
        assert_eq!(line_col(t, 0), LineCol { line: 1, col: 1 });
        assert_eq!(line_col(t, 4), LineCol { line: 2, col: 3 });
        let x = t.find('x').unwrap_or(0);
        assert_eq!(line_col(t, x), LineCol { line: 2, col: 14 });
    }
}
