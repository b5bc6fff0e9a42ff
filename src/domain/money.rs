//! Money in integer fen (分) and exact decimal ratios.
//!
//! Amounts are `i64` fen: parsed from strict decimal text (`"1234.50"`) or from a JSON number via its shortest
//! round-trip decimal form, formatted back with two decimals, and multiplied by ratios with one rounding,
//! half up to the fen, done in `i128`. Ratios are kept exactly as `num / 10^k`. This module never uses `f64`
//! for arithmetic (an `f64` is only turned into its decimal text), never overflows and never panics. It does not
//! know currencies, thousands separators, exponents, full-width digits or Chinese numerals (大写金额); those
//! are malformed input.

use std::fmt;

/// The largest amount accepted: 10^12 yuan, in fen.
pub const MAX_MONEY_FEN: i64 = 100_000_000_000_000;

/// Why a money value was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoneyError {
    /// The text is empty.
    Empty,
    /// Not a plain decimal number (letters, spaces, `+`, exponent, `.5`, `12.`, NaN, infinity…).
    NotANumber,
    /// A leading `-` on an otherwise well-formed number (including `-0` and `-0.00`).
    Negative,
    /// More than two digits after the decimal point (even trailing zeros, like `1.500`).
    TooManyDecimals,
    /// Above [`MAX_MONEY_FEN`].
    TooLarge,
}

impl fmt::Display for MoneyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MoneyError::Empty => "is empty",
            MoneyError::NotANumber => "is not a decimal number",
            MoneyError::Negative => "is negative",
            MoneyError::TooManyDecimals => "has more than two decimal places",
            MoneyError::TooLarge => "is larger than 1000000000000.00",
        })
    }
}

impl std::error::Error for MoneyError {}

/// The pieces of a plain decimal `-?[0-9]+(\.[0-9]+)?`, as ASCII digit slices.
struct Decimal<'a> {
    negative: bool,
    int: &'a [u8],
    frac: &'a [u8],
}

/// Splits plain decimal text. A leading `+`, spaces, exponents, a bare `.` side (`.5`, `12.`) are rejected.
fn split_decimal(s: &str) -> Result<Decimal<'_>, MoneyError> {
    if s.is_empty() {
        return Err(MoneyError::Empty);
    }
    let (negative, rest) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (int, frac) = match rest.split_once('.') {
        Some((i, f)) => (i.as_bytes(), f.as_bytes()),
        None => (rest.as_bytes(), &b""[..]),
    };
    let all_digits = |b: &[u8]| !b.is_empty() && b.iter().all(u8::is_ascii_digit);
    if !all_digits(int) || (rest.contains('.') && !all_digits(frac)) {
        return Err(MoneyError::NotANumber);
    }
    Ok(Decimal { negative, int, frac })
}

/// Value of ASCII digits, or `None` once it exceeds `cap` (so it never overflows, however long the text).
fn digits_capped(b: &[u8], cap: i64) -> Option<i64> {
    let mut v: i64 = 0;
    for &c in b {
        v = v.checked_mul(10)?.checked_add(i64::from(c.wrapping_sub(b'0')))?;
        if v > cap {
            return None;
        }
    }
    Some(v)
}

/// Parses decimal text in yuan into fen: digits, optionally `.` and one or two digits (`"1234.50"`,
/// `"1234.5"`, `"0"`, leading zeros allowed). Rejected: empty text, any sign (`-` → [`MoneyError::Negative`],
/// even `-0`; `+` → [`MoneyError::NotANumber`]), spaces, exponents, `.5`, `12.`, three or more decimals (even
/// `1.500`), and values above [`MAX_MONEY_FEN`].
///
/// ```
/// use preclaim::domain::money::{parse_money, MoneyError};
/// assert_eq!(parse_money("1234.5"), Ok(123_450));
/// assert_eq!(parse_money("0.005"), Err(MoneyError::TooManyDecimals));
/// assert_eq!(parse_money("-1.00"), Err(MoneyError::Negative));
/// ```
pub fn parse_money(s: &str) -> Result<i64, MoneyError> {
    match plain_fen(s.as_bytes()) {
        Some(fen) => Ok(fen),
        None => money_by_the_rules(s),
    }
}

/// [`parse_money`] without its fast path.
fn money_by_the_rules(s: &str) -> Result<i64, MoneyError> {
    let d = split_decimal(s)?;
    if d.negative {
        return Err(MoneyError::Negative);
    }
    if d.frac.len() > 2 {
        return Err(MoneyError::TooManyDecimals);
    }
    let yuan = digits_capped(d.int, MAX_MONEY_FEN / 100).ok_or(MoneyError::TooLarge)?;
    let mut cents = digits_capped(d.frac, 99).ok_or(MoneyError::NotANumber)?;
    if d.frac.len() == 1 {
        cents *= 10;
    }
    let fen = yuan
        .checked_mul(100)
        .and_then(|v| v.checked_add(cents))
        .ok_or(MoneyError::TooLarge)?;
    if fen > MAX_MONEY_FEN {
        return Err(MoneyError::TooLarge);
    }
    Ok(fen)
}

/// [`parse_money`]'s common case in one pass: 1 to 12 digits, then nothing or `.` and one or two digits
/// (always below [`MAX_MONEY_FEN`]); `None` for anything else, which the full rules decide.
fn plain_fen(b: &[u8]) -> Option<i64> {
    let digit = |c: &u8| c.is_ascii_digit().then(|| i64::from(c - b'0'));
    let mut yuan: i64 = 0;
    let mut n = 0;
    while let Some(d) = b.get(n).and_then(digit) {
        if n == 12 {
            return None;
        }
        yuan = yuan * 10 + d;
        n += 1;
    }
    if n == 0 {
        return None;
    }
    match b.get(n..)? {
        [] => Some(yuan * 100),
        [b'.', a] => Some(yuan * 100 + digit(a)? * 10),
        [b'.', a, c] => Some(yuan * 100 + digit(a)? * 10 + digit(c)?),
        _ => None,
    }
}

/// Converts a JSON number in yuan into fen through its shortest round-trip decimal text (`format!("{x}")`, which
/// never uses an exponent) and the rules of [`parse_money`]: `1234.5` → 123450, `0.1 + 0.2` →
/// [`MoneyError::TooManyDecimals`]. NaN and infinities are [`MoneyError::NotANumber`]; negative zero counts as
/// zero (JSON `-0` is the number zero); any other negative number is [`MoneyError::Negative`].
///
/// ```
/// use preclaim::domain::money::money_from_f64;
/// assert_eq!(money_from_f64(1234.5), Ok(123_450));
/// ```
pub fn money_from_f64(x: f64) -> Result<i64, MoneyError> {
    if !x.is_finite() {
        return Err(MoneyError::NotANumber);
    }
    if x == 0.0 {
        return Ok(0);
    }
    if x < 0.0 {
        return Err(MoneyError::Negative);
    }
    parse_money(&crate::json::plain_decimal(x))
}

/// Formats fen as yuan with exactly two decimals: `123450` → `"1234.50"`, `5` → `"0.05"`, `-300` → `"-3.00"`.
///
/// ```
/// use preclaim::domain::money::format_money;
/// assert_eq!(format_money(5), "0.05");
/// ```
pub fn format_money(fen: i64) -> String {
    // Digits written from the right into a buffer (no formatting machinery: reports write many amounts).
    let abs = fen.unsigned_abs();
    let mut buf = [0u8; 24];
    let mut at = buf.len();
    let mut put = |d: u8| {
        at -= 1;
        if let Some(b) = buf.get_mut(at) {
            *b = d;
        }
    };
    put(b'0' + (abs % 10) as u8);
    put(b'0' + (abs / 10 % 10) as u8);
    put(b'.');
    let mut yuan = abs / 100;
    loop {
        put(b'0' + (yuan % 10) as u8);
        yuan /= 10;
        if yuan == 0 {
            break;
        }
    }
    if fen < 0 {
        put(b'-');
    }
    buf.get(at..)
        .and_then(|digits| std::str::from_utf8(digits).ok())
        .map(String::from)
        .unwrap_or_default()
}

/// An exact ratio between 0 and 1, `num / den` with `den` a power of ten (1 to 10^9), kept in lowest decimal
/// form (`"1.0"` and `"1"` are equal).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ratio {
    num: i64,
    den: i64,
}

impl Ratio {
    /// The ratio 0.
    pub const ZERO: Ratio = Ratio { num: 0, den: 1 };
    /// The ratio 1.
    pub const ONE: Ratio = Ratio { num: 1, den: 1 };

    /// Numerator (`0 ..= den`).
    pub fn num(&self) -> i64 {
        self.num
    }

    /// Denominator, a power of ten from 1 to 10^9.
    pub fn den(&self) -> i64 {
        self.den
    }
}

impl fmt::Display for Ratio {
    /// Decimal form: `0.6`, `1`, `0.125`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let places = self.den.max(1).ilog10() as usize;
        if places == 0 {
            write!(f, "{}", self.num)
        } else {
            let den = self.den.max(1);
            write!(f, "{}.{:0places$}", self.num / den, self.num % den)
        }
    }
}

/// Parses a ratio between 0 and 1 written as plain decimal text with at most 9 decimals: `"0.6"`, `"1"`,
/// `"1.0"`, `"0.125"`. `None` for signs, spaces, exponents, `.5`, values above 1, or more than 9 decimals.
///
/// ```
/// use preclaim::domain::money::parse_ratio;
/// let r = parse_ratio("0.60").unwrap();
/// assert_eq!((r.num(), r.den()), (6, 10));
/// assert!(parse_ratio("1.01").is_none());
/// ```
pub fn parse_ratio(s: &str) -> Option<Ratio> {
    let d = split_decimal(s).ok()?;
    if d.negative || d.frac.len() > 9 {
        return None;
    }
    let int = digits_capped(d.int, 1)?;
    let frac = digits_capped(d.frac, 999_999_999)?;
    let den = 10_i64.checked_pow(u32::try_from(d.frac.len()).ok()?)?;
    let mut num = int.checked_mul(den)?.checked_add(frac)?;
    if num > den {
        return None;
    }
    let mut den = den;
    while den > 1 && num % 10 == 0 {
        num /= 10;
        den /= 10;
    }
    Some(Ratio { num, den })
}

/// A ratio from a JSON number via its shortest round-trip decimal text, with the rules of [`parse_ratio`].
/// Negative zero counts as 0; NaN, infinities and negative numbers give `None`.
pub fn ratio_from_f64(x: f64) -> Option<Ratio> {
    if !x.is_finite() || x < 0.0 {
        return None;
    }
    if x == 0.0 {
        return Some(Ratio::ZERO);
    }
    parse_ratio(&crate::json::plain_decimal(x))
}

/// `fen × r`, rounded half up to the fen (half away from zero for negative amounts), computed in `i128`; the
/// result saturates to the `i64` range (which it cannot leave, since `r ≤ 1`).
///
/// ```
/// use preclaim::domain::money::{apply_ratio, parse_ratio};
/// assert_eq!(apply_ratio(101, parse_ratio("0.9").unwrap()), 91); // 90.9 → 91
/// assert_eq!(apply_ratio(105, parse_ratio("0.1").unwrap()), 11); // 10.5 → 11
/// ```
pub fn apply_ratio(fen: i64, r: Ratio) -> i64 {
    match div_half_away(i128::from(fen) * i128::from(r.num), i128::from(r.den)) {
        Some(q) => i64::try_from(q).unwrap_or(if q < 0 { i64::MIN } else { i64::MAX }),
        // Unreachable: a Ratio's den is at least 1.
        None => 0,
    }
}

/// `fen × num / den` rounded half away from zero, exact (computed in `i128`). `None` when `den == 0` or when
/// the result does not fit in an `i64`.
///
/// ```
/// use preclaim::domain::money::mul_div_half_up;
/// assert_eq!(mul_div_half_up(10_000_000, 7, 10), Some(7_000_000)); // P-DIS grade 4: (11 − 4) / 10
/// assert_eq!(mul_div_half_up(5, 1, 2), Some(3));
/// assert_eq!(mul_div_half_up(5, 1, 0), None);
/// ```
pub fn mul_div_half_up(fen: i64, num: i64, den: i64) -> Option<i64> {
    let q = div_half_away(i128::from(fen) * i128::from(num), i128::from(den))?;
    i64::try_from(q).ok()
}

/// `p / d` rounded half away from zero; `None` for `d == 0`. Callers pass `|p| ≤ 2^126` and `|d| < 2^64`, so
/// nothing overflows.
fn div_half_away(p: i128, d: i128) -> Option<i128> {
    let q = p.checked_div(d)?;
    let r = p.checked_rem(d)?;
    let twice_r = r.unsigned_abs().checked_mul(2)?;
    if twice_r >= d.unsigned_abs() {
        if (p < 0) != (d < 0) {
            q.checked_sub(1)
        } else {
            q.checked_add(1)
        }
    } else {
        Some(q)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_path_agrees_with_the_rules() {
        let mut texts: Vec<String> = [
            "0",
            "00",
            "007",
            "1",
            "1.5",
            "1.50",
            "1.",
            ".5",
            "1.500",
            "1.5a",
            "-1",
            "+1",
            "1e2",
            " 1",
            "1 ",
            "",
            "999999999999.99",
            "1000000000000",
            "1000000000000.00",
            "1000000000000.01",
            "0000000000001",
            "12,000",
            "1.x",
            "x",
            "１",
        ]
        .iter()
        .map(|t| (*t).to_string())
        .collect();
        for n in [1u64, 9, 10, 99, 123, 4567, 46_100, 999_999_999_999, 1_000_000_000_000] {
            for frac in ["", ".0", ".05", ".5", ".99", ".999"] {
                texts.push(format!("{n}{frac}"));
            }
        }
        for t in &texts {
            assert_eq!(parse_money(t), money_by_the_rules(t), "{t:?}");
        }
    }

    fn r(s: &str) -> Ratio {
        parse_ratio(s).unwrap()
    }

    #[test]
    fn parses_plain_amounts() {
        assert_eq!(parse_money("1234.50"), Ok(123_450));
        assert_eq!(parse_money("1234.5"), Ok(123_450));
        assert_eq!(parse_money("1234"), Ok(123_400));
        assert_eq!(parse_money("0"), Ok(0));
        assert_eq!(parse_money("0.00"), Ok(0));
        assert_eq!(parse_money("0.05"), Ok(5));
        assert_eq!(parse_money("0.5"), Ok(50));
        assert_eq!(parse_money("007.10"), Ok(710));
    }

    #[test]
    fn rejects_malformed_amounts() {
        assert_eq!(parse_money(""), Err(MoneyError::Empty));
        for bad in [
            "12.", ".5", ".", "-", "+1", "+0", "1e3", "1E3", " 1", "1 ", "1,000.00", "1.2.3", "abc", "NaN", "inf",
            "１２", "0x10", "1_000", "--1", "-.5", "1.-5",
        ] {
            assert_eq!(parse_money(bad), Err(MoneyError::NotANumber), "{bad:?}");
        }
        for neg in ["-1", "-0", "-0.00", "-1234.50", "-0.001"] {
            assert_eq!(parse_money(neg), Err(MoneyError::Negative), "{neg:?}");
        }
        for many in ["0.005", "1.500", "1.000", "0.001", "1000000000000.001"] {
            assert_eq!(parse_money(many), Err(MoneyError::TooManyDecimals), "{many:?}");
        }
    }

    #[test]
    fn upper_bound() {
        assert_eq!(parse_money("1000000000000.00"), Ok(MAX_MONEY_FEN));
        assert_eq!(parse_money("1000000000000"), Ok(MAX_MONEY_FEN));
        assert_eq!(parse_money("999999999999.99"), Ok(MAX_MONEY_FEN - 1));
        assert_eq!(parse_money("1000000000000.01"), Err(MoneyError::TooLarge));
        assert_eq!(parse_money("1000000000000.1"), Err(MoneyError::TooLarge));
        assert_eq!(parse_money("1000000000001"), Err(MoneyError::TooLarge));
        let huge = "9".repeat(400);
        assert_eq!(parse_money(&huge), Err(MoneyError::TooLarge));
        assert_eq!(parse_money(&format!("{huge}.99")), Err(MoneyError::TooLarge));
        assert_eq!(parse_money(&format!("{}1.00", "0".repeat(100))), Ok(100));
    }

    #[test]
    fn from_json_numbers() {
        assert_eq!(money_from_f64(1234.5), Ok(123_450));
        assert_eq!(money_from_f64(1234.56), Ok(123_456));
        assert_eq!(money_from_f64(0.0), Ok(0));
        assert_eq!(money_from_f64(-0.0), Ok(0));
        assert_eq!(money_from_f64(46100.0), Ok(4_610_000));
        assert_eq!(money_from_f64(0.01), Ok(1));
        assert_eq!(money_from_f64(0.1 + 0.2), Err(MoneyError::TooManyDecimals));
        assert_eq!(money_from_f64(1.005), Err(MoneyError::TooManyDecimals));
        assert_eq!(money_from_f64(1e-7), Err(MoneyError::TooManyDecimals));
        assert_eq!(money_from_f64(-1.0), Err(MoneyError::Negative));
        assert_eq!(money_from_f64(f64::NAN), Err(MoneyError::NotANumber));
        assert_eq!(money_from_f64(f64::INFINITY), Err(MoneyError::NotANumber));
        assert_eq!(money_from_f64(f64::NEG_INFINITY), Err(MoneyError::NotANumber));
        assert_eq!(money_from_f64(1e12), Ok(MAX_MONEY_FEN));
        assert_eq!(money_from_f64(1e13), Err(MoneyError::TooLarge));
        assert_eq!(money_from_f64(f64::MAX), Err(MoneyError::TooLarge));
    }

    #[test]
    fn formats() {
        assert_eq!(format_money(123_450), "1234.50");
        assert_eq!(format_money(5), "0.05");
        assert_eq!(format_money(0), "0.00");
        assert_eq!(format_money(-300), "-3.00");
        assert_eq!(format_money(-5), "-0.05");
        assert_eq!(format_money(MAX_MONEY_FEN), "1000000000000.00");
        assert_eq!(format_money(i64::MIN), "-92233720368547758.08");
        assert_eq!(format_money(i64::MAX), "92233720368547758.07");
        // The digit writer agrees with the formatting machinery around every power of ten and sign.
        let mut edges = vec![i64::MIN, i64::MIN + 1, i64::MAX];
        for p in 0..19 {
            let t = 10i64.pow(p);
            edges.extend([t - 1, t, t + 1, -t + 1, -t, -t - 1]);
        }
        for fen in edges.into_iter().chain(-1050..1050) {
            let abs = fen.unsigned_abs();
            let sign = if fen < 0 { "-" } else { "" };
            assert_eq!(
                format_money(fen),
                format!("{sign}{}.{:02}", abs / 100, abs % 100),
                "{fen}"
            );
        }
    }

    #[test]
    fn ratios() {
        assert_eq!((r("0.6").num(), r("0.6").den()), (6, 10));
        assert_eq!(r("1"), Ratio::ONE);
        assert_eq!(r("1.0"), Ratio::ONE);
        assert_eq!(r("1.000000000"), Ratio::ONE);
        assert_eq!(r("0"), Ratio::ZERO);
        assert_eq!(r("0.00"), Ratio::ZERO);
        assert_eq!((r("0.125").num(), r("0.125").den()), (125, 1000));
        assert_eq!((r("0.000000001").num(), r("0.000000001").den()), (1, 1_000_000_000));
        for bad in [
            "",
            "1.01",
            "2",
            "-0.5",
            "+0.5",
            ".5",
            "0.",
            "0.1234567891",
            "1e-1",
            " 0.5",
            "10",
            "0.5.",
        ] {
            assert_eq!(parse_ratio(bad), None, "{bad:?}");
        }
        assert_eq!(ratio_from_f64(0.6), Some(r("0.6")));
        assert_eq!(ratio_from_f64(1.0), Some(Ratio::ONE));
        assert_eq!(ratio_from_f64(-0.0), Some(Ratio::ZERO));
        assert_eq!(ratio_from_f64(0.1 + 0.2), None);
        assert_eq!(ratio_from_f64(1.5), None);
        assert_eq!(ratio_from_f64(-0.5), None);
        assert_eq!(ratio_from_f64(f64::NAN), None);
        assert_eq!(r("0.6").to_string(), "0.6");
        assert_eq!(r("0.05").to_string(), "0.05");
        assert_eq!(r("1.0").to_string(), "1");
    }

    #[test]
    fn applying_ratios_rounds_half_up() {
        assert_eq!(apply_ratio(1, r("0.5")), 1);
        assert_eq!(apply_ratio(3, r("0.5")), 2);
        assert_eq!(apply_ratio(101, r("0.9")), 91);
        assert_eq!(apply_ratio(105, r("0.1")), 11);
        assert_eq!(apply_ratio(104, r("0.1")), 10);
        assert_eq!(apply_ratio(923_000, Ratio::ONE), 923_000);
        assert_eq!(apply_ratio(923_000, Ratio::ZERO), 0);
        assert_eq!(apply_ratio(-3, r("0.5")), -2);
        assert_eq!(apply_ratio(-1, r("0.5")), -1);
        assert_eq!(apply_ratio(i64::MAX, Ratio::ONE), i64::MAX);
        assert_eq!(apply_ratio(i64::MIN, Ratio::ONE), i64::MIN);
        assert_eq!(apply_ratio(i64::MAX, r("0.5")), i64::MAX / 2 + 1);
        assert_eq!(apply_ratio(MAX_MONEY_FEN, r("0.999999999")), 99_999_999_900_000);
    }

    #[test]
    fn mul_div() {
        assert_eq!(mul_div_half_up(5, 1, 2), Some(3));
        assert_eq!(mul_div_half_up(-5, 1, 2), Some(-3));
        assert_eq!(mul_div_half_up(5, -1, 2), Some(-3));
        assert_eq!(mul_div_half_up(5, 1, -2), Some(-3));
        assert_eq!(mul_div_half_up(-5, 1, -2), Some(3));
        assert_eq!(mul_div_half_up(4, 1, 3), Some(1));
        assert_eq!(mul_div_half_up(5, 1, 3), Some(2));
        assert_eq!(mul_div_half_up(100, 7, 10), Some(70));
        assert_eq!(mul_div_half_up(1, 1, 0), None);
        assert_eq!(mul_div_half_up(i64::MAX, 2, 1), None);
        assert_eq!(mul_div_half_up(i64::MAX, i64::MAX, i64::MAX), Some(i64::MAX));
        assert_eq!(mul_div_half_up(i64::MIN, i64::MIN, i64::MIN), Some(i64::MIN));
        assert_eq!(mul_div_half_up(i64::MIN, -1, 1), None);
        assert_eq!(mul_div_half_up(i64::MIN, 1, -1), None);
        assert_eq!(mul_div_half_up(i64::MIN, i64::MIN, -1), None);
    }

    #[test]
    fn error_messages() {
        assert_eq!(
            MoneyError::TooManyDecimals.to_string(),
            "has more than two decimal places"
        );
        assert_eq!(MoneyError::Negative.to_string(), "is negative");
    }
}
