//! ICD-10 diagnosis codes, ranges of codes, and ICD-O-3 behaviour codes.
//!
//! A well-formed ICD-10 code here is a 3-character category (`K80`) optionally followed by `.` and 1–4 letters
//! or digits (`K80.0`, `S52.500`). Ranges come in three kinds: a span of categories (`C00–C97`, which may cross
//! letters, like `V01–Y98`), a single category (`G20`) and a specific code (`N18.5`, matching `N18.5` and its
//! subdivisions `N18.500`). This module checks form only: it has no code table, so it cannot tell whether a
//! well-formed code actually exists in ICD-10 国家临床版 2.0, and it does not understand dagger/asterisk marks
//! or extension codes beyond the 4 characters after the dot. Nothing here panics.

use std::fmt;

/// Whether `code` matches `^[A-Z][0-9]{2}(\.[0-9A-Za-z]{1,4})?$`.
///
/// ```
/// use preclaim::domain::icd::icd_well_formed;
/// assert!(icd_well_formed("K80.0") && icd_well_formed("S52.500") && icd_well_formed("G20"));
/// assert!(!icd_well_formed("k80.0") && !icd_well_formed("K80.") && !icd_well_formed("K8"));
/// ```
pub fn icd_well_formed(code: &str) -> bool {
    parse_category(code.get(..3).unwrap_or("")).is_some() && {
        let b = code.as_bytes();
        match b.get(3..) {
            Some([]) => true,
            Some([b'.', rest @ ..]) => (1..=4).contains(&rest.len()) && rest.iter().all(u8::is_ascii_alphanumeric),
            _ => false,
        }
    }
}

/// The 3-character category (`"K80"`) of a well-formed code; `None` for a malformed code.
pub fn icd_category(code: &str) -> Option<&str> {
    if icd_well_formed(code) {
        code.get(..3)
    } else {
        None
    }
}

/// A category `A00`: its letter and two-digit number. Ordered by letter, then number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Category {
    letter: u8,
    number: u8,
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{:02}", char::from(self.letter), self.number)
    }
}

/// Parses exactly a 3-character category `[A-Z][0-9]{2}`.
fn parse_category(s: &str) -> Option<Category> {
    match *s.as_bytes() {
        [letter @ b'A'..=b'Z', t @ b'0'..=b'9', u @ b'0'..=b'9'] => Some(Category {
            letter,
            number: (t - b'0') * 10 + (u - b'0'),
        }),
        _ => None,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum RangeKind {
    /// Every code whose category lies in `lo ..= hi` (a single category has `lo == hi`).
    Categories { lo: Category, hi: Category },
    /// A specific code: its category and the part after the dot.
    Code { category: Category, sub: String },
}

/// A range of ICD-10 codes from a product table: a span of categories (`C00–C97`), a single category (`G20`)
/// or a specific code (`N18.5`). Its [`Display`](fmt::Display) gives the canonical text, with an en dash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IcdRange(RangeKind);

impl fmt::Display for IcdRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            RangeKind::Categories { lo, hi } if lo == hi => write!(f, "{lo}"),
            RangeKind::Categories { lo, hi } => write!(f, "{lo}\u{2013}{hi}"),
            RangeKind::Code { category, sub } => write!(f, "{category}.{sub}"),
        }
    }
}

/// Parses a range: `"C00–C97"` (en dash U+2013) or `"C00-C97"` (hyphen) with `lo ≤ hi`, possibly across letters
/// (`"V01–Y98"`); a single category `"G20"`; or a specific code `"N18.5"` (any well-formed code with a dot).
/// No spaces are allowed. `None` for anything else, including a reversed span `"C97–C00"`.
///
/// ```
/// use preclaim::domain::icd::parse_icd_range;
/// assert_eq!(parse_icd_range("C00-C97").unwrap().to_string(), "C00–C97");
/// assert!(parse_icd_range("C97–C00").is_none());
/// ```
pub fn parse_icd_range(s: &str) -> Option<IcdRange> {
    if let Some((lo, hi)) = s.split_once(['\u{2013}', '-']) {
        let (lo, hi) = (parse_category(lo)?, parse_category(hi)?);
        return (lo <= hi).then_some(IcdRange(RangeKind::Categories { lo, hi }));
    }
    if !icd_well_formed(s) {
        return None;
    }
    let category = parse_category(s.get(..3)?)?;
    Some(IcdRange(match s.get(4..) {
        Some(sub) if !sub.is_empty() => RangeKind::Code {
            category,
            sub: sub.to_owned(),
        },
        _ => RangeKind::Categories {
            lo: category,
            hi: category,
        },
    }))
}

/// Whether a code falls in a range. A category span or single category matches every well-formed code whose
/// category lies in it (`C50.4` is in `C00–C97`, `T98.3` in `S00–T98`); a specific code matches itself and its
/// subdivisions, comparing the part after the dot as a prefix, ignoring ASCII case (`N18.5` matches `N18.5`
/// and `N18.500`, not `N18.4` nor `N18`). A malformed code never matches.
///
/// ```
/// use preclaim::domain::icd::{icd_in_range, parse_icd_range};
/// let r = parse_icd_range("N18.5").unwrap();
/// assert!(icd_in_range("N18.500", &r) && !icd_in_range("N18", &r));
/// ```
pub fn icd_in_range(code: &str, range: &IcdRange) -> bool {
    if !icd_well_formed(code) {
        return false;
    }
    let Some(cat) = code.get(..3).and_then(parse_category) else {
        return false;
    };
    match &range.0 {
        RangeKind::Categories { lo, hi } => *lo <= cat && cat <= *hi,
        RangeKind::Code { category, sub } => {
            let code_sub = code.get(4..).unwrap_or("").as_bytes();
            cat == *category
                && code_sub.len() >= sub.len()
                && code_sub
                    .get(..sub.len())
                    .is_some_and(|p| p.eq_ignore_ascii_case(sub.as_bytes()))
        }
    }
}

/// Whether a code falls in any of the ranges (`false` for an empty list or a malformed code).
pub fn icd_in_any(code: &str, ranges: &[IcdRange]) -> bool {
    ranges.iter().any(|r| icd_in_range(code, r))
}

/// The behaviour code of an ICD-O-3 morphology code: the digit after `/`. Accepted form: `M`, 4 digits (or 5,
/// as in the Chinese clinical version), `/`, the behaviour digit (0, 1, 2, 3, 6 or 9), optionally one
/// grade/differentiation digit 1–9 (`M8500/3`, `M81403/3`, `M8500/32`). `None` for anything else.
///
/// ```
/// use preclaim::domain::icd::icdo3_behaviour;
/// assert_eq!(icdo3_behaviour("M8500/3"), Some(3));
/// assert_eq!(icdo3_behaviour("8500/3"), None);
/// ```
pub fn icdo3_behaviour(code: &str) -> Option<u8> {
    let rest = code.strip_prefix('M')?;
    let (morph, after) = rest.split_once('/')?;
    if !(4..=5).contains(&morph.len()) || !morph.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    match *after.as_bytes() {
        [b] | [b, b'1'..=b'9'] if matches!(b, b'0' | b'1' | b'2' | b'3' | b'6' | b'9') => Some(b - b'0'),
        _ => None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn range(s: &str) -> IcdRange {
        parse_icd_range(s).unwrap()
    }

    #[test]
    fn well_formed() {
        for ok in [
            "K80", "K80.0", "S52.500", "S52.5001", "C50.4", "A00.x", "Z99.Ab3", "N18.5",
        ] {
            assert!(icd_well_formed(ok), "{ok}");
        }
        for bad in [
            "",
            "K",
            "K8",
            "K800",
            "K80.",
            "K80.00000",
            "k80.0",
            "8K0",
            "KA0",
            "K8A",
            "K80-0",
            " K80",
            "K80 ",
            "K80.0 ",
            "K80..0",
            "K80.0.1",
            "K80.é",
            "Ｋ80",
            "†K80.0",
            "M8500/3",
            "K80.0*",
        ] {
            assert!(!icd_well_formed(bad), "{bad:?}");
        }
        assert_eq!(icd_category("K80.0"), Some("K80"));
        assert_eq!(icd_category("G20"), Some("G20"));
        assert_eq!(icd_category("K80."), None);
        assert_eq!(icd_category("é80.1"), None);
    }

    #[test]
    fn parsing_ranges() {
        assert_eq!(range("C00–C97").to_string(), "C00–C97");
        assert_eq!(range("C00-C97"), range("C00–C97"));
        assert_eq!(range("V01-Y98").to_string(), "V01–Y98");
        assert_eq!(range("G20").to_string(), "G20");
        assert_eq!(range("N18.5").to_string(), "N18.5");
        assert_eq!(range("C50-C50").to_string(), "C50");
        for bad in [
            "",
            "C00–",
            "–C97",
            "C97–C00",
            "Y98-V01",
            "C00—C97",
            "C00 – C97",
            "C00–C97.1",
            "C00.1-C97",
            "c00-c97",
            "C00-C97-C99",
            "C00--C97",
            "N18.",
            "G2",
            "G20 ",
            "C00~C97",
        ] {
            assert_eq!(parse_icd_range(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn category_spans() {
        let c = range("C00–C97");
        assert!(icd_in_range("C50.4", &c));
        assert!(icd_in_range("C00", &c));
        assert!(icd_in_range("C97.9", &c));
        assert!(!icd_in_range("C98", &c));
        assert!(!icd_in_range("D05.1", &c));
        assert!(!icd_in_range("B99", &c));
        assert!(!icd_in_range("c50.4", &c));
        assert!(!icd_in_range("C50.", &c));

        let injury = range("S00–T98");
        assert!(icd_in_range("S52.5", &injury));
        assert!(icd_in_range("S00", &injury));
        assert!(icd_in_range("S99.9", &injury));
        assert!(icd_in_range("T00.0", &injury));
        assert!(icd_in_range("T98.3", &injury));
        assert!(!icd_in_range("T99", &injury));
        assert!(!icd_in_range("R99", &injury));

        let external = range("V01–Y98");
        assert!(icd_in_range("W01", &external));
        assert!(icd_in_range("X59.9", &external));
        assert!(icd_in_range("V01.0", &external));
        assert!(!icd_in_range("V00", &external));
        assert!(!icd_in_range("Y99", &external));
        assert!(!icd_in_range("Z00", &external));
    }

    #[test]
    fn single_categories_and_codes() {
        let g20 = range("G20");
        assert!(icd_in_range("G20", &g20));
        assert!(icd_in_range("G20.x01", &g20));
        assert!(!icd_in_range("G21", &g20));
        assert!(!icd_in_range("G2", &g20));

        let n185 = range("N18.5");
        assert!(icd_in_range("N18.5", &n185));
        assert!(icd_in_range("N18.500", &n185));
        assert!(!icd_in_range("N18.4", &n185));
        assert!(!icd_in_range("N18", &n185));
        assert!(!icd_in_range("N19.5", &n185));
        assert!(!icd_in_range("N18.", &n185));

        let k721 = range("K72.1");
        assert!(icd_in_range("K72.1", &k721));
        assert!(icd_in_range("K72.10", &k721));
        assert!(!icd_in_range("K72.0", &k721));

        let x = range("S06.0x");
        assert!(icd_in_range("S06.0X1", &x));
        assert!(icd_in_range("S06.0x", &x));
        assert!(!icd_in_range("S06.0", &x));
    }

    #[test]
    fn any_of_ranges() {
        let excluded: Vec<IcdRange> = ["F00–F99", "O00–O99", "Q00–Q99", "A50–A64", "B20–B24"]
            .iter()
            .map(|s| range(s))
            .collect();
        assert!(icd_in_any("F32.9", &excluded));
        assert!(icd_in_any("B24", &excluded));
        assert!(icd_in_any("A64", &excluded));
        assert!(!icd_in_any("A65", &excluded));
        assert!(!icd_in_any("K80.0", &excluded));
        assert!(!icd_in_any("F32.", &excluded));
        assert!(!icd_in_any("F32.9", &[]));
    }

    #[test]
    fn icdo3() {
        assert_eq!(icdo3_behaviour("M8500/3"), Some(3));
        assert_eq!(icdo3_behaviour("M8000/6"), Some(6));
        assert_eq!(icdo3_behaviour("M8000/9"), Some(9));
        assert_eq!(icdo3_behaviour("M8000/0"), Some(0));
        assert_eq!(icdo3_behaviour("M8500/2"), Some(2));
        assert_eq!(icdo3_behaviour("M81403/3"), Some(3));
        assert_eq!(icdo3_behaviour("M8500/32"), Some(3));
        for bad in [
            "",
            "M",
            "M8500",
            "M8500/",
            "M8500/5",
            "M8500/4",
            "M850/3",
            "M850000/3",
            "8500/3",
            "m8500/3",
            "M85a0/3",
            "M8500/3 ",
            "M8500/30",
            "M8500/333",
            "M8500-3",
            "M8500//3",
            "C50.4",
        ] {
            assert_eq!(icdo3_behaviour(bad), None, "{bad:?}");
        }
    }
}
