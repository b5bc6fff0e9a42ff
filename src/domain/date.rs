//! Calendar dates as day numbers.
//!
//! A date is an `i32` counting days since 1970-01-01 on the proleptic Gregorian calendar (1969-12-31 is
//! `-1`). This module converts between day numbers and `(year, month, day)`, parses and formats strict
//! `YYYY-MM-DD` text, adds days, months and years (months clamp to the month end; 29 February plus years
//! landing on a common year gives 1 March, as the spec says), and computes ages in whole years (周岁).
//! Valid dates are 0001-01-01 ..= 9999-12-31; every function that builds a date returns `None` outside that
//! range. It does not know time zones, times of day, other calendars, or today's date (the checker never
//! reads a clock). Nothing here panics.

/// Day number of 0001-01-01.
pub const MIN_DAY: i32 = -719_162;
/// Day number of 9999-12-31.
pub const MAX_DAY: i32 = 2_932_896;

/// Whether `y` is a Gregorian leap year (divisible by 4, except centuries not divisible by 400).
///
/// ```
/// use preclaim::domain::date::is_leap;
/// assert!(is_leap(2000) && is_leap(2024) && !is_leap(1900));
/// ```
pub fn is_leap(y: i32) -> bool {
    y.rem_euclid(4) == 0 && (y.rem_euclid(100) != 0 || y.rem_euclid(400) == 0)
}

/// Number of days in month `m` (1–12) of year `y`; 0 for a month outside 1–12.
pub fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Day number of a real calendar date in years 1..=9999; `None` for anything else (month 13, 30 February…).
///
/// ```
/// use preclaim::domain::date::from_ymd;
/// assert_eq!(from_ymd(1970, 1, 1), Some(0));
/// assert_eq!(from_ymd(2023, 2, 29), None);
/// ```
pub fn from_ymd(y: i32, m: u32, d: u32) -> Option<i32> {
    if !(1..=9999).contains(&y) || !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    i32::try_from(days_from_civil(i64::from(y), i64::from(m), i64::from(d))).ok()
}

/// Days since 1970-01-01 for a proleptic Gregorian (y, m, d); no validation (H. Hinnant's algorithm).
/// Callers keep `y` within a few million years, so nothing here can overflow an `i64`.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400); // [0, 399]
    let mp = (m + 9).rem_euclid(12); // March = 0
    let doy = (153 * mp + 2) / 5 + d - 1; // [0, 365]
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
    era * 146_097 + doe - 719_468
}

/// `(year, month, day)` of a day number. Defined for every `i32` (years outside 1..=9999 included), though only
/// day numbers from [`from_ymd`] / [`parse_date`] are meaningful dates.
///
/// ```
/// use preclaim::domain::date::to_ymd;
/// assert_eq!(to_ymd(0), (1970, 1, 1));
/// assert_eq!(to_ymd(-1), (1969, 12, 31));
/// ```
pub fn to_ymd(days: i32) -> (i32, u32, u32) {
    let z = i64::from(days) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11]
    let d = doy - (153 * mp + 2) / 5 + 1; // [1, 31]
    let m = if mp < 10 { mp + 3 } else { mp - 9 }; // [1, 12]
    let y = yoe + era * 400 + i64::from(m <= 2);
    // |days| < 2^31 keeps |y| below 6 million, so the conversions cannot fail; the fallbacks are unreachable.
    (
        i32::try_from(y).unwrap_or(if y < 0 { i32::MIN } else { i32::MAX }),
        u32::try_from(m).unwrap_or(1),
        u32::try_from(d).unwrap_or(1),
    )
}

/// Parses a strict `YYYY-MM-DD`: exactly 10 ASCII characters, a 4-digit year 0001–9999 and a real calendar
/// day. No surrounding spaces, no single-digit months or days, no time part.
///
/// ```
/// use preclaim::domain::date::{parse_date, from_ymd};
/// assert_eq!(parse_date("2024-02-29"), from_ymd(2024, 2, 29));
/// assert_eq!(parse_date("2024-2-29"), None);
/// ```
pub fn parse_date(s: &str) -> Option<i32> {
    let b = s.as_bytes();
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let y = digits(b.get(0..4)?)?;
    let m = digits(b.get(5..7)?)?;
    let d = digits(b.get(8..10)?)?;
    from_ymd(i32::try_from(y).ok()?, m, d)
}

/// Value of a short run of ASCII digits (1 to 9 of them, so no overflow); `None` if any byte is not a digit.
pub(crate) fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || b.len() > 9 {
        return None;
    }
    b.iter().try_fold(0u32, |acc, &c| {
        if c.is_ascii_digit() {
            Some(acc * 10 + u32::from(c - b'0'))
        } else {
            None
        }
    })
}

/// Formats a day number as `YYYY-MM-DD` with a zero-padded 4-digit year.
///
/// ```
/// use preclaim::domain::date::{format_date, from_ymd};
/// assert_eq!(format_date(from_ymd(33, 3, 5).unwrap()), "0033-03-05");
/// ```
pub fn format_date(days: i32) -> String {
    let (y, m, d) = to_ymd(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// `d + n` days; `None` when the result falls outside 0001-01-01 ..= 9999-12-31.
pub fn add_days(d: i32, n: i64) -> Option<i32> {
    let r = i64::from(d).checked_add(n)?;
    if (i64::from(MIN_DAY)..=i64::from(MAX_DAY)).contains(&r) {
        i32::try_from(r).ok()
    } else {
        None
    }
}

/// Adds `n` calendar months (negative `n` goes back), clamping the day to the end of the target month:
/// 31 January + 1 month = 28 or 29 February. `None` outside years 1..=9999.
///
/// ```
/// use preclaim::domain::date::{add_months, parse_date};
/// let d = parse_date("2024-01-31").unwrap();
/// assert_eq!(add_months(d, 1), parse_date("2024-02-29"));
/// ```
pub fn add_months(d: i32, n: i64) -> Option<i32> {
    let (y, m, day) = to_ymd(d);
    let total = i64::from(y)
        .checked_mul(12)?
        .checked_add(i64::from(m) - 1)?
        .checked_add(n)?;
    let ny = i32::try_from(total.div_euclid(12)).ok()?;
    let nm = u32::try_from(total.rem_euclid(12) + 1).ok()?;
    from_ymd(ny, nm, day.min(days_in_month(ny, nm)))
}

/// Adds `n` calendar years. 29 February landing on a common year gives 1 March (the spec's rule, the same
/// as for ages). `None` outside years 1..=9999.
///
/// ```
/// use preclaim::domain::date::{add_years, parse_date};
/// let d = parse_date("2024-02-29").unwrap();
/// assert_eq!(add_years(d, 1), parse_date("2025-03-01"));
/// assert_eq!(add_years(d, 4), parse_date("2028-02-29"));
/// ```
pub fn add_years(d: i32, n: i64) -> Option<i32> {
    let (y, m, day) = to_ymd(d);
    let ny = i32::try_from(i64::from(y).checked_add(n)?).ok()?;
    if m == 2 && day == 29 && !is_leap(ny) {
        from_ymd(ny, 3, 1)
    } else {
        from_ymd(ny, m, day)
    }
}

/// Days from `a` to `b`, i.e. `b − a` (negative when `b` is earlier).
pub fn days_between(a: i32, b: i32) -> i64 {
    i64::from(b) - i64::from(a)
}

/// Age in whole years completed on `on` (周岁) for someone born on `birth`; `None` when `on < birth`.
/// The birthday counts: on the birthday itself the person is a year older. Someone born on 29 February turns a
/// year older on 1 March in common years and on 29 February in leap years.
///
/// ```
/// use preclaim::domain::date::{age_on, parse_date};
/// let b = parse_date("1980-06-15").unwrap();
/// assert_eq!(age_on(b, parse_date("2024-06-14").unwrap()), Some(43));
/// assert_eq!(age_on(b, parse_date("2024-06-15").unwrap()), Some(44));
/// ```
pub fn age_on(birth: i32, on: i32) -> Option<i64> {
    if on < birth {
        return None;
    }
    let (by, bm, bd) = to_ymd(birth);
    let (oy, om, od) = to_ymd(on);
    let years = i64::from(oy) - i64::from(by);
    let birthday = if bm == 2 && bd == 29 && !is_leap(oy) {
        (3, 1)
    } else {
        (bm, bd)
    };
    if (om, od) < birthday {
        Some(years - 1)
    } else {
        Some(years)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(s: &str) -> i32 {
        parse_date(s).unwrap()
    }

    #[test]
    fn leap_years() {
        assert!(!is_leap(1900));
        assert!(is_leap(2000));
        assert!(is_leap(2024));
        assert!(!is_leap(2023));
        assert!(!is_leap(2100));
        assert!(is_leap(4));
        assert!(!is_leap(1));
    }

    #[test]
    fn month_lengths() {
        assert_eq!(days_in_month(2024, 2), 29);
        assert_eq!(days_in_month(2023, 2), 28);
        assert_eq!(days_in_month(1900, 2), 28);
        assert_eq!(days_in_month(2000, 2), 29);
        assert_eq!(days_in_month(2024, 4), 30);
        assert_eq!(days_in_month(2024, 12), 31);
        assert_eq!(days_in_month(2024, 0), 0);
        assert_eq!(days_in_month(2024, 13), 0);
    }

    #[test]
    fn range_ends() {
        assert_eq!(from_ymd(1, 1, 1), Some(MIN_DAY));
        assert_eq!(from_ymd(9999, 12, 31), Some(MAX_DAY));
        assert_eq!(from_ymd(0, 12, 31), None);
        assert_eq!(from_ymd(10000, 1, 1), None);
        assert_eq!(to_ymd(MIN_DAY), (1, 1, 1));
        assert_eq!(to_ymd(MAX_DAY), (9999, 12, 31));
        assert_eq!(from_ymd(2000, 3, 1), Some(11_017));
        // to_ymd is total: extreme inputs do not panic.
        let _ = to_ymd(i32::MIN);
        let _ = to_ymd(i32::MAX);
        let _ = format_date(i32::MIN);
    }

    #[test]
    fn round_trip_every_day_around_leap_days() {
        for n in from_ymd(1899, 12, 1).unwrap()..from_ymd(2001, 3, 31).unwrap() {
            let (y, m, dd) = to_ymd(n);
            assert_eq!(from_ymd(y, m, dd), Some(n));
            assert_eq!(parse_date(&format_date(n)), Some(n));
        }
    }

    #[test]
    fn month_ends() {
        assert_eq!(from_ymd(2024, 2, 29), Some(d("2024-03-01") - 1));
        assert_eq!(from_ymd(2023, 2, 29), None);
        assert_eq!(from_ymd(2024, 4, 31), None);
        assert_eq!(from_ymd(2024, 12, 31).map(|x| x + 1), from_ymd(2025, 1, 1));
        assert_eq!(from_ymd(2024, 0, 1), None);
        assert_eq!(from_ymd(2024, 1, 0), None);
    }

    #[test]
    fn parse_and_format() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(parse_date("0001-01-01"), Some(MIN_DAY));
        assert_eq!(parse_date("9999-12-31"), Some(MAX_DAY));
        for bad in [
            "2024-2-01",
            "2024-02-30",
            "0000-01-01",
            " 2024-01-01",
            "2024-01-01 ",
            "2024-13-01",
            "2024-00-10",
            "2024-01-00",
            "2023-02-29",
            "2024/01/01",
            "20240101",
            "2024-01-1",
            "+024-01-01",
            "2024-01-0a",
            "２０２４-01-01",
            "",
            "2024-01-01T00:00",
        ] {
            assert_eq!(parse_date(bad), None, "{bad:?}");
        }
        assert_eq!(format_date(d("2024-02-29")), "2024-02-29");
        assert_eq!(format_date(MIN_DAY), "0001-01-01");
        assert_eq!(format_date(-1), "1969-12-31");
    }

    #[test]
    fn adding_days() {
        assert_eq!(add_days(d("2024-02-28"), 1), Some(d("2024-02-29")));
        assert_eq!(add_days(d("2023-12-31"), 1), Some(d("2024-01-01")));
        assert_eq!(add_days(d("2024-03-01"), -1), Some(d("2024-02-29")));
        assert_eq!(add_days(MAX_DAY, 1), None);
        assert_eq!(add_days(MIN_DAY, -1), None);
        assert_eq!(add_days(0, i64::MAX), None);
        assert_eq!(add_days(0, i64::MIN), None);
    }

    #[test]
    fn adding_months() {
        assert_eq!(add_months(d("2024-01-31"), 1), Some(d("2024-02-29")));
        assert_eq!(add_months(d("2023-01-31"), 1), Some(d("2023-02-28")));
        assert_eq!(add_months(d("2024-03-31"), 1), Some(d("2024-04-30")));
        assert_eq!(add_months(d("2024-03-31"), -1), Some(d("2024-02-29")));
        assert_eq!(add_months(d("2024-03-31"), 11), Some(d("2025-02-28")));
        assert_eq!(add_months(d("2024-01-31"), 2), Some(d("2024-03-31")));
        assert_eq!(add_months(d("2024-11-15"), 3), Some(d("2025-02-15")));
        assert_eq!(add_months(d("2024-01-15"), -13), Some(d("2022-12-15")));
        assert_eq!(add_months(d("2024-01-15"), 0), Some(d("2024-01-15")));
        assert_eq!(add_months(MAX_DAY, 1), None);
        assert_eq!(add_months(MIN_DAY, -1), None);
        assert_eq!(add_months(0, i64::MAX), None);
        assert_eq!(add_months(0, i64::MIN), None);
    }

    #[test]
    fn adding_years() {
        let leap_day = d("2024-02-29");
        assert_eq!(add_years(leap_day, 1), Some(d("2025-03-01")));
        assert_eq!(add_years(leap_day, 2), Some(d("2026-03-01")));
        assert_eq!(add_years(leap_day, 4), Some(d("2028-02-29")));
        assert_eq!(add_years(leap_day, -4), Some(d("2020-02-29")));
        assert_eq!(add_years(leap_day, -1), Some(d("2023-03-01")));
        assert_eq!(add_years(d("2000-02-29"), 100), Some(d("2100-03-01")));
        assert_eq!(add_years(d("2023-02-28"), 1), Some(d("2024-02-28")));
        assert_eq!(add_years(d("2024-09-08"), 2), Some(d("2026-09-08")));
        assert_eq!(add_years(d("9999-01-01"), 1), None);
        assert_eq!(add_years(0, i64::MAX), None);
    }

    #[test]
    fn between() {
        assert_eq!(days_between(d("2023-12-31"), d("2024-01-01")), 1);
        assert_eq!(days_between(d("2024-01-01"), d("2025-01-01")), 366);
        assert_eq!(days_between(d("2023-01-01"), d("2024-01-01")), 365);
        assert_eq!(days_between(d("2024-09-19"), d("2024-09-10")), -9);
        assert_eq!(days_between(MIN_DAY, MAX_DAY), 3_652_058);
    }

    #[test]
    fn ages() {
        let b = d("1980-06-15");
        assert_eq!(age_on(b, d("2024-06-14")), Some(43));
        assert_eq!(age_on(b, d("2024-06-15")), Some(44));
        assert_eq!(age_on(b, d("2024-06-16")), Some(44));
        assert_eq!(age_on(b, b), Some(0));
        assert_eq!(age_on(b, b - 1), None);
        assert_eq!(age_on(b, d("1981-06-14")), Some(0));
        assert_eq!(age_on(b, d("1981-06-15")), Some(1));
        // 31 December / 1 January boundary
        assert_eq!(age_on(d("1990-12-31"), d("2000-12-30")), Some(9));
        assert_eq!(age_on(d("1990-12-31"), d("2000-12-31")), Some(10));
    }

    #[test]
    fn ages_for_leap_day_births() {
        let b = d("2000-02-29");
        assert_eq!(age_on(b, d("2001-02-28")), Some(0));
        assert_eq!(age_on(b, d("2001-03-01")), Some(1));
        assert_eq!(age_on(b, d("2023-02-28")), Some(22));
        assert_eq!(age_on(b, d("2023-03-01")), Some(23));
        assert_eq!(age_on(b, d("2024-02-28")), Some(23));
        assert_eq!(age_on(b, d("2024-02-29")), Some(24));
        assert_eq!(age_on(b, d("2024-03-01")), Some(24));
        assert_eq!(age_on(b, d("2100-02-28")), Some(99));
        assert_eq!(age_on(b, d("2100-03-01")), Some(100));
        // consistent with add_years
        for n in 0..40 {
            assert_eq!(age_on(b, add_years(b, n).unwrap()), Some(n));
            let day_before = add_years(b, n).unwrap() - 1;
            let expected = if n == 0 { None } else { Some(n - 1) };
            assert_eq!(age_on(b, day_before), expected);
        }
    }
}
