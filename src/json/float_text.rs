//! Printing an `f64` as text: its shortest round-trip decimal digits (from `ryu`, the algorithm of Ulf
//! Adams, with the crate's small tables), laid out as JavaScript's `Number.prototype.toString` does
//! ([`push_js_number`]: `1`, `0.1`, `1e+21`, `1.5e-7`) or as Rust's `Display` does ([`plain_decimal`]: never
//! an exponent, `1e21` is `1000000000000000000000`). Both used to go through `core::fmt` (`{f}`, `{f:e}`),
//! whose float printing (Grisu with a Dragon4 fallback, a bignum and their tables) weighed about 20 KB of
//! the WebAssembly core; the digits are the same (shortest, then closest to the exact value), which the
//! tests check against `core::fmt` on a million bit patterns.
//!
//! It does not parse (see [`super::float_parse`]) and does not round to a number of places.

/// The shortest decimal that reads back as a finite, nonzero `f64`: `value = 0.DIGITS × 10^point`, the
/// digits without leading or trailing zeros (`0.25` is `25` with `point` 0, `1e21` is `1` with 22).
struct Shortest {
    digits: [u8; 17],
    len: usize,
    point: i32,
}

impl Shortest {
    fn of(f: f64) -> Shortest {
        let mut buf = ryu::Buffer::new();
        // ryu prints `1.5e-7`, `1e21`, `123.0` or `0.001`: its digits with a point and an optional exponent.
        let text = buf.format_finite(f.abs());
        let (mantissa, exp) = match text.split_once('e') {
            Some((m, e)) => (m, e.parse::<i32>().unwrap_or(0)),
            None => (text, 0),
        };
        let mut s = Shortest {
            digits: [0; 17],
            len: 0,
            point: exp,
        };
        let mut before_point = true;
        for b in mantissa.bytes() {
            if b == b'.' {
                before_point = false;
                continue;
            }
            if s.len == 0 && b == b'0' {
                // A leading zero (`0.001`): after the point it moves the point left.
                if !before_point {
                    s.point -= 1;
                }
                continue;
            }
            if let Some(d) = s.digits.get_mut(s.len) {
                *d = b;
                s.len += 1;
            }
            if before_point {
                s.point += 1;
            }
        }
        while s.len > 1 && s.digits.get(s.len - 1) == Some(&b'0') {
            s.len -= 1;
        }
        s
    }

    fn digits(&self) -> &[u8] {
        self.digits.get(..self.len).unwrap_or_default()
    }
}

fn push_digits(out: &mut String, digits: &[u8]) {
    for &d in digits {
        out.push(char::from(d));
    }
}

fn push_zeros(out: &mut String, n: i32) {
    for _ in 0..n {
        out.push('0');
    }
}

/// `digits` with the point after `point` of them, padded with zeros on either side, no exponent.
fn push_plain(out: &mut String, s: &Shortest) {
    let digits = s.digits();
    let len = digits.len() as i32;
    if s.point <= 0 {
        out.push_str("0.");
        push_zeros(out, -s.point);
        push_digits(out, digits);
    } else if s.point >= len {
        push_digits(out, digits);
        push_zeros(out, s.point - len);
    } else {
        let (int, frac) = digits.split_at(s.point as usize);
        push_digits(out, int);
        out.push('.');
        push_digits(out, frac);
    }
}

/// Appends a number as JavaScript prints it (`1`, `0.1`, `1e+21`, `1.5e-7`, `NaN`, `-Infinity`); callers
/// writing JSON print non-finite numbers as `null` themselves.
pub fn push_js_number(out: &mut String, f: f64) {
    if f.is_nan() {
        out.push_str("NaN");
        return;
    }
    if f.is_infinite() {
        out.push_str(if f > 0.0 { "Infinity" } else { "-Infinity" });
        return;
    }
    if f == 0.0 {
        out.push('0');
        return;
    }
    if f < 0.0 {
        out.push('-');
    }
    let s = Shortest::of(f);
    // ECMA-262 Number::toString: plain from 1e-6 up to (not including) 1e21, an exponent outside.
    if (-5..=21).contains(&s.point) {
        push_plain(out, &s);
        return;
    }
    let digits = s.digits();
    let (first, rest) = digits.split_at(1.min(digits.len()));
    push_digits(out, first);
    if !rest.is_empty() {
        out.push('.');
        push_digits(out, rest);
    }
    let e = s.point - 1;
    out.push_str(if e < 0 { "e-" } else { "e+" });
    out.push_str(&e.unsigned_abs().to_string());
}

/// A finite number as Rust's `format!("{f}")` prints it: the shortest round-trip digits, never an
/// exponent (`1234.5`, `0.0000001`, `1000000000000000000000`); `0` for either zero, `NaN`, `inf`, `-inf`.
pub fn plain_decimal(f: f64) -> String {
    if !f.is_finite() {
        return if f.is_nan() {
            "NaN".into()
        } else if f > 0.0 {
            "inf".into()
        } else {
            "-inf".into()
        };
    }
    let mut out = String::new();
    if f.is_sign_negative() {
        out.push('-');
    }
    if f == 0.0 {
        out.push('0');
    } else {
        push_plain(&mut out, &Shortest::of(f));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bit patterns spread over every exponent (xorshift), plus the edges.
    fn samples(n: usize) -> impl Iterator<Item = f64> {
        let mut x = 0x9e37_79b9_7f4a_7c15_u64;
        let edges = [
            f64::MIN_POSITIVE,
            f64::MAX,
            5e-324,
            1e21,
            1e-7,
            1e-6,
            9.999999999999999e20,
            123456.789,
            0.1 + 0.2,
            1.0,
            100.0,
            2.5e-5,
        ];
        edges.into_iter().chain((0..n).map(move |_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            f64::from_bits(x)
        }))
    }

    /// `ours` is `theirs` (`core::fmt`), or both are shortest round-trip texts of `f` of one length that
    /// differ in their last digit only where `f` lies exactly halfway between them: there ECMA-262 takes
    /// the even digit (as ryu and V8 do: `1658206780088562.25` prints `1658206780088562.2`) and `core::fmt`
    /// the one above (`...562.3`).
    fn same_or_even_tie(ours: &str, theirs: &str, f: f64) {
        if ours == theirs {
            return;
        }
        let (a, b) = (ours.as_bytes(), theirs.as_bytes());
        let last = |t: &[u8]| t.iter().rposition(u8::is_ascii_digit).and_then(|i| t.get(i).copied());
        let same_but_last = a.len() == b.len() && a.iter().zip(b).filter(|(x, y)| x != y).count() == 1;
        assert!(
            same_but_last && last(a).is_some_and(|d| d % 2 == 0) && last(b).is_some_and(|d| d % 2 == 1),
            "{f:e}: {ours} vs {theirs}"
        );
        let back = |t: &str| t.replace("e+", "e").parse::<f64>().ok();
        assert_eq!(back(ours), Some(f), "{ours}");
        assert_eq!(back(theirs), Some(f), "{theirs}");
    }

    #[test]
    fn plain_decimal_is_rusts_display() {
        let (mut ties, mut smallest) = (0, f64::INFINITY);
        for f in samples(1_000_000) {
            let (ours, theirs) = (plain_decimal(f), format!("{f}"));
            if ours != theirs {
                ties += 1;
                smallest = smallest.min(f.abs());
            }
            same_or_even_tie(&ours, &theirs, f);
        }
        // 261 ties on 7 December, the smallest 9.94e11 (with 16+ significant digits: never money, never a ratio).
        assert!(smallest > 1e11, "{smallest:e}");
        // Ties need a value whose exact decimal is short: only from about 1e15 up (no money or ratio).
        assert!(ties < 1000, "{ties}");
        assert_eq!(plain_decimal(-0.0), "-0");
        // Exactly 1658206780088562.25: a tie.
        assert_eq!(plain_decimal(1_658_206_780_088_562.2), "1658206780088562.2");
        assert_eq!(plain_decimal(1e21), "1000000000000000000000");
        assert_eq!(plain_decimal(1e-7), "0.0000001");
        assert_eq!(plain_decimal(1234.5), "1234.5");
    }

    /// What the writer printed before, through `core::fmt`.
    fn js_by_fmt(f: f64) -> String {
        if f.is_nan() || f.is_infinite() || f == 0.0 {
            let mut out = String::new();
            push_js_number(&mut out, f);
            return out;
        }
        if f.abs() >= 1e21 || f.abs() < 1e-6 {
            let e = format!("{f:e}");
            match e.split_once('e') {
                Some((m, x)) if !x.starts_with('-') => format!("{m}e+{x}"),
                _ => e,
            }
        } else {
            format!("{f}")
        }
    }

    #[test]
    fn js_numbers_are_what_fmt_gave() {
        for f in samples(1_000_000) {
            let mut out = String::new();
            push_js_number(&mut out, f);
            same_or_even_tie(&out, &js_by_fmt(f), f);
        }
        for (f, s) in [
            (1.0, "1"),
            (0.1, "0.1"),
            (1e21, "1e+21"),
            (1.5e-7, "1.5e-7"),
            (-2.5, "-2.5"),
            (123456.789, "123456.789"),
            (1e-6, "0.000001"),
            (5e-324, "5e-324"),
            (f64::MAX, "1.7976931348623157e+308"),
            (-0.0, "0"),
            (1_658_206_780_088_562.2, "1658206780088562.2"),
            (f64::NEG_INFINITY, "-Infinity"),
        ] {
            let mut out = String::new();
            push_js_number(&mut out, f);
            assert_eq!(out, s);
        }
    }
}
