//! Echoing input back safely. Finding messages, error messages and the CLI's notes sometimes repeat text a
//! user or a file supplied (a diagnosis code, a photo's file name, a duplicate key, a path). Before they do:
//!
//! - **personal numbers are masked**: every run of 13 or more digits (ASCII or full-width; groups joined by
//!   single spaces or hyphens count as one run when each has 3 or more digits, as in `6225 7688 8888 8888`)
//!   has each digit replaced by `*`,
//!   and an `X` that ends such a run (the check character of a resident ID) too. That covers resident ID
//!   numbers (GB 11643: 17 digits and a digit or `X`; old IDs: 15 digits) and bank card numbers (13 to 19
//!   digits, valid or not), wherever they were typed. The checker cannot tell an ID number from a code of
//!   the same shape, so a 15-digit service code in a message is masked too: the finding's field path still
//!   names it;
//! - **control characters are escaped**: C0 controls (`\n`, `\r`, `\t`, `\u001b`, ...), DEL, C1 controls,
//!   the line and paragraph separators U+2028/U+2029 and the bidirectional formatting characters become
//!   visible escapes (`\n`, `\u001b`), so an echoed value can neither break a one-line error nor drive a
//!   terminal or forge a log line.
//!
//! [`echo`] does both; both are idempotent and return the text unchanged (borrowed) when there is nothing
//! to do. The masking of a field that *is* a number (`mask()` in packs) is
//! [`crate::domain::ids::mask_number`].

use std::borrow::Cow;
use std::fmt;

/// Runs of at least this many digits are masked by [`mask_personal_numbers`].
pub const MASKED_DIGITS: usize = 13;

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('\u{FF10}'..='\u{FF19}').contains(&c)
}

/// Masks every run of [`MASKED_DIGITS`] or more digits (see the module docs).
///
/// ```
/// use preclaim::echo::mask_personal_numbers;
/// assert_eq!(mask_personal_numbers("card 6225768888888888.jpg"), "card ****************.jpg");
/// assert_eq!(mask_personal_numbers("11010519491231002X"), "******************");
/// assert_eq!(mask_personal_numbers("6225 7688 8888 8888"), "**** **** **** ****");
/// assert_eq!(mask_personal_numbers("0000123456 on 2024-09-08"), "0000123456 on 2024-09-08");
/// ```
pub fn mask_personal_numbers(s: &str) -> Cow<'_, str> {
    if s.chars().filter(|c| is_digit(*c)).count() < MASKED_DIGITS {
        return Cow::Borrowed(s);
    }
    let chars: Vec<char> = s.chars().collect();
    let at = |i: usize| chars.get(i).copied();
    // Groups of digits: (start, end) in `chars`.
    let mut groups: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if at(i).is_some_and(is_digit) {
            let start = i;
            while at(i).is_some_and(is_digit) {
                i += 1;
            }
            groups.push((start, i));
        } else {
            i += 1;
        }
    }
    let mut hide = vec![false; chars.len()];
    let mut mask_run = |run: &[(usize, usize)]| {
        let digits: usize = run.iter().map(|(a, b)| b - a).sum();
        if digits < MASKED_DIGITS {
            return;
        }
        for &(a, b) in run {
            hide.iter_mut().take(b).skip(a).for_each(|h| *h = true);
        }
        if let Some(&(_, end)) = run.last() {
            if matches!(at(end), Some('X' | 'x')) {
                if let Some(h) = hide.get_mut(end) {
                    *h = true;
                }
            }
        }
    };
    // A run: groups of 3 or more digits joined by one space or hyphen (`6225 7688 8888 8888`,
    // `110101-19800101-0010`); any other group stands alone.
    let mut run_start = 0;
    for k in 1..=groups.len() {
        let joined = match (groups.get(k - 1), groups.get(k)) {
            (Some(&(a0, a1)), Some(&(b0, b1))) => {
                b0 == a1 + 1 && matches!(at(a1), Some(' ' | '-')) && a1 - a0 >= 3 && b1 - b0 >= 3
            }
            _ => false,
        };
        if !joined {
            mask_run(groups.get(run_start..k).unwrap_or_default());
            run_start = k;
        }
    }
    if !hide.contains(&true) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        chars
            .iter()
            .zip(&hide)
            .map(|(&c, &h)| if h { '*' } else { c })
            .collect(),
    )
}

/// Whether a character is escaped by [`escape_controls`].
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// Escapes control characters and other invisible line-breaking or reordering characters (see the module
/// docs). Backslashes are left as they are.
///
/// ```
/// use preclaim::echo::escape_controls;
/// assert_eq!(escape_controls("x\n\u{1b}[2J\u{2028}"), "x\\n\\u001b[2J\\u2028");
/// assert_eq!(escape_controls("诊断 K80.0"), "诊断 K80.0");
/// ```
pub fn escape_controls(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if needs_escape(c) => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Text safe to echo: personal numbers masked and control characters escaped.
pub fn echo(s: &str) -> Cow<'_, str> {
    // Most echoed values are short printable ASCII with few digits: one pass over the bytes says so.
    let (mut printable, mut digits) = (true, 0usize);
    for b in s.bytes() {
        printable &= (0x20..0x7f).contains(&b);
        digits += usize::from(b.is_ascii_digit());
    }
    if printable && digits < MASKED_DIGITS {
        return Cow::Borrowed(s);
    }
    match mask_personal_numbers(s) {
        Cow::Borrowed(b) => escape_controls(b),
        Cow::Owned(o) => Cow::Owned(escape_controls(&o).into_owned()),
    }
}

/// Displays a text through [`echo`]: `format!("{}", Echo(&message))`.
#[derive(Debug, Clone, Copy)]
pub struct Echo<'a>(pub &'a str);

impl fmt::Display for Echo<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&echo(self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ascii_fast_path_agrees_with_masking_then_escaping() {
        let slow = |s: &str| escape_controls(&mask_personal_numbers(s)).into_owned();
        for s in [
            "",
            "K80.0",
            "bank 6222",
            "1234567",
            "12345678901",
            "card 6222021234567890128 ok",
            "a\tb",
            "x\u{7f}y",
            "x\u{1b}[2J",
            "诊断 K80.0",
            "ＩＤ１２３４５６７８９０１２",
            "~ !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}",
        ] {
            assert_eq!(echo(s), slow(s), "{s:?}");
        }
        for n in 0..=MASKED_DIGITS + 2 {
            let s = format!("id {}", "7".repeat(n));
            assert_eq!(echo(&s), slow(&s), "{s}");
        }
    }

    #[test]
    fn masks_ids_and_cards_wherever_they_are() {
        let cases = [
            ("6225768888888888", "****************"),
            ("S62.1 6225768888888880", "S62.1 ****************"),
            ("110101198001010010", "******************"),
            ("11010519491231002x.jpg", "******************.jpg"),
            ("110101800101001", "***************"),
            ("4111111111111", "*************"),
            ("12345678901234567890123", "***********************"),
            ("C1234567890123456789", "C*******************"),
            ("6225-7688-8888-8888", "****-****-****-****"),
            ("110101 19800101 0010", "****** ******** ****"),
            ("110101-19800101-001X", "******-********-****"),
            ("６２２５７６８８８８８８８８８８", "****************"),
            ("invoice 6225768888888888/0001", "invoice ****************/0001"),
        ];
        for (input, want) in cases {
            assert_eq!(mask_personal_numbers(input), want, "{input}");
            assert_eq!(mask_personal_numbers(want), want, "idempotent: {want}");
        }
    }

    #[test]
    fn leaves_short_numbers_dates_and_amounts() {
        for s in [
            "",
            "K80.0",
            "0000123456",
            "11010124/0000123456",
            "2024-09-08 to 2024-09-10",
            "123456789012",
            "46100.00",
            "138 0013 800",
            "IMG_20240908_123456.jpg",
            "X1234",
        ] {
            assert!(matches!(mask_personal_numbers(s), Cow::Borrowed(_)), "{s}");
        }
        // Two groups joined by two spaces are two runs; so are groups joined to a group of 1 or 2 digits.
        assert_eq!(mask_personal_numbers("1234567  12345678"), "1234567  12345678");
        assert_eq!(mask_personal_numbers("S62.1 6225768888888"), "S62.1 *************");
        assert_eq!(mask_personal_numbers("12 34 5678901234"), "12 34 5678901234");
    }

    #[test]
    fn escapes_every_control_and_invisible_separator() {
        let all: String = (0u32..0x20)
            .chain(0x7f..0xa0)
            .chain([0x2028, 0x2029, 0x200e, 0x202e, 0x2066])
            .filter_map(char::from_u32)
            .collect();
        let out = escape_controls(&all);
        assert!(out.chars().all(|c| c.is_ascii_graphic()), "{out}");
        assert_eq!(escape_controls(&out), out, "idempotent");
        assert!(matches!(
            escape_controls("plain, 中文 and \\ backslash"),
            Cow::Borrowed(_)
        ));
        assert_eq!(
            Echo("duplicate key \"x\n\u{1b}[2J 6225768888888888\"").to_string(),
            "duplicate key \"x\\n\\u001b[2J ****************\""
        );
    }
}
