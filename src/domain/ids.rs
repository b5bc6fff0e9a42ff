//! Identity-number checks: resident ID (GB 11643-1999), unified social credit code (GB 32100-2015), Luhn
//! bank-card numbers, and masking of numbers for display.
//!
//! These are format and checksum checks only. A number that passes may still not exist, and nothing here checks
//! the address code against GB/T 2260, a bank BIN, or a name-to-account binding; those need server-side data.
//! Legacy 15-digit resident IDs (GB 11643-1989) are not accepted. Nothing here panics.

use std::fmt;

use super::date;

/// Sex as encoded in a resident ID (and in claims): `M` or `F`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sex {
    /// Male (odd sequence digit).
    M,
    /// Female (even sequence digit).
    F,
}

impl Sex {
    /// `"M"` or `"F"`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Sex::M => "M",
            Sex::F => "F",
        }
    }
}

/// What a valid resident ID says about its holder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResidentId {
    /// Birth date as a day number (see [`super::date`]).
    pub birth: i32,
    /// Sex from the 17th digit (odd = male).
    pub sex: Sex,
}

/// Why a resident ID was rejected, in the order the checks run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdError {
    /// Not 18 characters.
    Length,
    /// Not 17 digits followed by a digit or `X`.
    Characters,
    /// Positions 7–14 are not a real date `YYYYMMDD` from 1800 on.
    BirthDate,
    /// The check character does not match.
    CheckDigit,
}

impl fmt::Display for IdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            IdError::Length => "is not 18 characters long",
            IdError::Characters => "is not 17 digits followed by a digit or X",
            IdError::BirthDate => "does not contain a valid birth date",
            IdError::CheckDigit => "has a wrong check character",
        })
    }
}

impl std::error::Error for IdError {}

const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK: &[u8; 11] = b"10X98765432";

/// Checks an 18-character resident ID number (GB 11643-1999) and returns its birth date and sex.
///
/// Checks run in the order of [`IdError`]: length (in characters), characters (17 ASCII digits, then a digit
/// or `X`; a lowercase `x` is accepted as `X`), the birth date `YYYYMMDD` at positions 7–14 (a real date, year
/// 1800 or later; whether it lies in the future is the caller's business), then the ISO 7064 MOD 11-2 check
/// character. No spaces are trimmed.
///
/// ```
/// use preclaim::domain::ids::{check_resident_id, Sex};
/// use preclaim::domain::date::parse_date;
/// let id = check_resident_id("11010519491231002X").unwrap();
/// assert_eq!(id.birth, parse_date("1949-12-31").unwrap());
/// assert_eq!(id.sex, Sex::F);
/// ```
pub fn check_resident_id(s: &str) -> Result<ResidentId, IdError> {
    if s.chars().count() != 18 {
        return Err(IdError::Length);
    }
    let b = s.as_bytes();
    let (body, check) = match (b.get(..17), b.get(17)) {
        (Some(body), Some(&check)) if b.len() == 18 => (body, check.to_ascii_uppercase()),
        _ => return Err(IdError::Characters), // 18 chars but not 18 bytes: non-ASCII
    };
    if !body.iter().all(u8::is_ascii_digit) || !(check.is_ascii_digit() || check == b'X') {
        return Err(IdError::Characters);
    }
    let field = |r: std::ops::Range<usize>| body.get(r).and_then(date::digits);
    let birth = match (field(6..10), field(10..12), field(12..14)) {
        (Some(y), Some(m), Some(d)) if y >= 1800 => i32::try_from(y).ok().and_then(|y| date::from_ymd(y, m, d)),
        _ => None,
    }
    .ok_or(IdError::BirthDate)?;
    let sum: u32 = body.iter().zip(ID_WEIGHTS).map(|(&c, w)| u32::from(c - b'0') * w).sum();
    let expected = usize::try_from(sum % 11).ok().and_then(|r| ID_CHECK.get(r));
    if expected != Some(&check) {
        return Err(IdError::CheckDigit);
    }
    let sex = match body.get(16) {
        Some(c) if (c - b'0') % 2 == 1 => Sex::M,
        _ => Sex::F,
    };
    Ok(ResidentId { birth, sex })
}

/// Luhn (mod 10) check over a non-empty string of ASCII digits; `false` for anything else.
///
/// ```
/// use preclaim::domain::ids::luhn_valid;
/// assert!(luhn_valid("6225768888888888"));
/// assert!(!luhn_valid("6225768888888887"));
/// ```
pub fn luhn_valid(s: &str) -> bool {
    if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit()) {
        return false;
    }
    let sum: u32 = s
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, c)| {
            let d = u32::from(c - b'0');
            if i % 2 == 1 {
                let dd = d * 2;
                if dd > 9 {
                    dd - 9
                } else {
                    dd
                }
            } else {
                d
            }
        })
        .fold(0u32, |acc, x| acc.wrapping_add(x) % 10);
    sum.is_multiple_of(10)
}

/// A plausible bank card number: 15 to 19 ASCII digits passing the Luhn check. No spaces or dashes.
pub fn bank_card_ok(s: &str) -> bool {
    (15..=19).contains(&s.len()) && luhn_valid(s)
}

const USCC_CHARSET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Checks an 18-character unified social credit code (GB 32100-2015): every character from
/// `0123456789ABCDEFGHJKLMNPQRTUWXY` (upper case only; no I, O, S, V, Z), and the 18th character equal to
/// `(31 − Σ value × 3^i mod 31) mod 31`. Some early pilot-region codes are legal yet fail this check, so callers
/// should warn rather than block.
///
/// ```
/// use preclaim::domain::ids::check_uscc;
/// assert!(check_uscc("91350100M000100Y43"));
/// assert!(!check_uscc("91350100M0001TGQXM"));
/// ```
pub fn check_uscc(s: &str) -> bool {
    let value = |c: u8| USCC_CHARSET.iter().position(|&x| x == c);
    let b = s.as_bytes();
    if b.len() != 18 {
        return false;
    }
    let mut sum: usize = 0;
    let mut weight: usize = 1;
    let mut check = None;
    for (i, &c) in b.iter().enumerate() {
        let Some(v) = value(c) else {
            return false;
        };
        if i == 17 {
            check = Some(v);
        } else {
            sum = (sum + v * weight) % 31;
            weight = weight * 3 % 31;
        }
    }
    check == Some((31 - sum) % 31)
}

/// Masks a number for display (`mask()` in packs). A complete, valid number — a bank card that passes
/// [`bank_card_ok`] or a resident ID that passes [`check_resident_id`] — keeps its last four characters
/// (`"110101198001010010"` → `"**************0010"`); anything else is masked entirely. Every hidden character
/// becomes one `*`. So a number typed one key at a time never shows a digit until it is complete and valid,
/// and then only the last four: the masks a form shows along the way cannot be put together into the
/// number (they differ only in length).
///
/// ```
/// use preclaim::domain::ids::mask_number;
/// assert_eq!(mask_number("6225768888888888"), "************8888");
/// assert_eq!(mask_number("6225768888888880"), "****************"); // fails the Luhn check
/// assert_eq!(mask_number("622576888"), "*********");
/// ```
pub fn mask_number(s: &str) -> String {
    let n = s.chars().count();
    let shown = if bank_card_ok(s) || check_resident_id(s).is_ok() {
        4
    } else {
        0
    };
    s.chars()
        .enumerate()
        .map(|(i, c)| if i + shown >= n { c } else { '*' })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::domain::date::parse_date;

    fn day(s: &str) -> i32 {
        parse_date(s).unwrap()
    }

    #[test]
    fn valid_resident_ids() {
        // All five verified by hand with the MOD 11-2 formula: each check character matches.
        let cases = [
            ("11010519491231002X", "1949-12-31", Sex::F),
            ("110101198001010010", "1980-01-01", Sex::M),
            ("44030519850321004X", "1985-03-21", Sex::F),
            ("440305201603150026", "2016-03-15", Sex::F),
            ("320106197906120042", "1979-06-12", Sex::F),
        ];
        for (id, birth, sex) in cases {
            assert_eq!(check_resident_id(id), Ok(ResidentId { birth: day(birth), sex }), "{id}");
        }
        assert_eq!(
            check_resident_id("11010519491231002x"),
            Ok(ResidentId {
                birth: day("1949-12-31"),
                sex: Sex::F
            })
        );
        assert_eq!(check_resident_id("110101198001010010").unwrap().sex.as_str(), "M");
    }

    #[test]
    fn invalid_resident_ids() {
        assert_eq!(check_resident_id("110101198001010011"), Err(IdError::CheckDigit));
        assert_eq!(check_resident_id("11010519491231002Y"), Err(IdError::Characters));
        assert_eq!(check_resident_id("110105194912310029"), Err(IdError::CheckDigit));
        assert_eq!(check_resident_id("110101198002300010"), Err(IdError::BirthDate));
        assert_eq!(check_resident_id("110101198013010010"), Err(IdError::BirthDate));
        assert_eq!(check_resident_id("110101179912310010"), Err(IdError::BirthDate));
        assert_eq!(check_resident_id("11010119800101001"), Err(IdError::Length));
        assert_eq!(check_resident_id("1101011980010100100"), Err(IdError::Length));
        assert_eq!(check_resident_id(""), Err(IdError::Length));
        assert_eq!(check_resident_id("110101800101001"), Err(IdError::Length));
        assert_eq!(check_resident_id("11010A198001010010"), Err(IdError::Characters));
        assert_eq!(check_resident_id("X10101198001010010"), Err(IdError::Characters));
        assert_eq!(check_resident_id(" 10101198001010010"), Err(IdError::Characters));
        assert_eq!(check_resident_id("１10101198001010010"), Err(IdError::Characters));
        assert_eq!(IdError::CheckDigit.to_string(), "has a wrong check character");
    }

    #[test]
    fn luhn() {
        assert!(luhn_valid("6225768888888888"));
        assert!(luhn_valid("0"));
        assert!(luhn_valid("79927398713"));
        assert!(!luhn_valid("79927398710"));
        assert!(!luhn_valid(""));
        assert!(!luhn_valid("6225 7688 8888 8888"));
        assert!(!luhn_valid("62257688888888a8"));
        assert!(bank_card_ok("6225768888888888"));
        assert!(!bank_card_ok("6225768888888887"));
        assert!(!bank_card_ok("79927398713")); // Luhn-valid but too short
        assert!(bank_card_ok("378282246310005")); // 15 digits
        assert!(bank_card_ok("6212260200000000006")); // 19 digits
        assert!(!bank_card_ok("62122602000000000009")); // Luhn-valid but 20 digits
        assert!(!bank_card_ok("6212260200000000007")); // 19 digits, Luhn fails
    }

    #[test]
    fn uscc() {
        assert!(check_uscc("91350100M000100Y43"));
        assert!(check_uscc("91350200776049653A"));
        assert!(!check_uscc("91350100M0001TGQXM"));
        assert!(!check_uscc("91350100M000100Y44"));
        assert!(!check_uscc("91350200776049653a"));
        assert!(!check_uscc("91350100M000100Y4"));
        assert!(!check_uscc("91350100M000100Y433"));
        assert!(!check_uscc("91350100I000100Y43"));
        assert!(!check_uscc(""));
        assert!(!check_uscc("９1350100M000100Y4"));
    }

    #[test]
    fn masking() {
        // Complete and valid: the last four only.
        assert_eq!(mask_number("110101198001010010"), "**************0010");
        assert_eq!(mask_number("11010519491231002X"), "**************002X");
        assert_eq!(mask_number("6225768888888888"), "************8888");
        // Anything else: nothing but its length.
        assert_eq!(mask_number("110101198001010011"), "******************");
        assert_eq!(mask_number("123456789"), "*********");
        assert_eq!(mask_number("12"), "**");
        assert_eq!(mask_number(""), "");
        assert_eq!(mask_number("王某某"), "***");
    }

    #[test]
    fn a_card_typed_key_by_key_shows_no_digit_until_it_is_complete() {
        let card = "6225768888888888";
        for n in 0..card.len() {
            let prefix = card.get(..n).unwrap();
            assert_eq!(mask_number(prefix), "*".repeat(n), "{prefix}");
        }
        assert_eq!(mask_number(card), "************8888");
    }
}
