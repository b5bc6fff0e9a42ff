//! Reading decimal text (`-12.5e3`, `.5`, `1.`, `+7`) as the nearest `f64`, ties to even: the result of
//! `str::parse::<f64>` for the decimal syntax, without its 10 KB table of powers of five and its
//! Eisel-Lemire and big-decimal paths (about 16 KB of the WebAssembly core). A number with at most 19
//! significant digits and a power of ten up to 22 (every amount, rate and count a claim holds) is one exact
//! multiplication or division (Clinger's fast path); any other number starts from a close guess and moves
//! it by one unit in the last place until exact big-integer comparisons with the halfway points agree, which
//! is slower but rare. Digits past the 800th only count as "something nonzero follows" (a halfway point
//! between two doubles has at most 767 significant digits, so that decides every rounding).
//!
//! It does not accept `inf`, `NaN` or hexadecimal, and does not print (see [`super::float_text`]).

use std::cmp::Ordering;

/// Significant digits kept exactly; the rest only say whether one of them is nonzero.
const MAX_DIGITS: usize = 800;

/// The decimal text as `digits × 10^exp`, the digits (values 0–9) without leading or trailing zeros.
struct Decimal {
    digits: Vec<u8>,
    exp: i64,
}

/// Splits `[+-]digits[.digits][(e|E)[+-]digits]` (at least one mantissa digit) into its sign and
/// [`Decimal`]; `None` for anything else.
fn split(s: &str) -> Option<(bool, Decimal)> {
    let mut b = s.as_bytes();
    let negative = b.first() == Some(&b'-');
    if let Some((b'+' | b'-', rest)) = b.split_first() {
        b = rest;
    }
    let mut d = Decimal {
        digits: Vec::new(),
        exp: 0,
    };
    let (mut seen_digit, mut seen_point, mut sticky) = (false, false, false);
    while let Some((&c, rest)) = b.split_first() {
        match c {
            b'.' if !seen_point => seen_point = true,
            b'0'..=b'9' => {
                seen_digit = true;
                let v = c - b'0';
                if d.digits.is_empty() && v == 0 {
                    // A leading zero: after the point it scales the digits that follow.
                    d.exp -= i64::from(seen_point);
                } else if d.digits.len() < MAX_DIGITS {
                    d.digits.push(v);
                    d.exp -= i64::from(seen_point);
                } else {
                    sticky |= v != 0;
                    d.exp += i64::from(!seen_point);
                }
            }
            _ => break,
        }
        b = rest;
    }
    if !seen_digit {
        return None;
    }
    if let Some((b'e' | b'E', rest)) = b.split_first() {
        b = rest;
        let minus = b.first() == Some(&b'-');
        if let Some((b'+' | b'-', rest)) = b.split_first() {
            b = rest;
        }
        if b.is_empty() {
            return None;
        }
        let mut e: i64 = 0;
        while let Some((&c, rest)) = b.split_first() {
            if !c.is_ascii_digit() {
                return None;
            }
            // Saturates: beyond a million the number is 0 or infinite anyway.
            e = (e * 10 + i64::from(c - b'0')).min(1_000_000_000);
            b = rest;
        }
        d.exp += if minus { -e } else { e };
    }
    if !b.is_empty() {
        return None;
    }
    if sticky {
        d.digits.push(1);
        d.exp -= 1;
    }
    while d.digits.last() == Some(&0) {
        d.digits.pop();
        d.exp += 1;
    }
    Some((negative, d))
}

/// Parses decimal text as the nearest `f64` (see the module); `None` when it is not decimal number text.
pub fn parse_decimal(s: &str) -> Option<f64> {
    let (negative, d) = split(s)?;
    let f = magnitude(&d);
    Some(if negative { -f } else { f })
}

fn magnitude(d: &Decimal) -> f64 {
    let n = d.digits.len() as i64;
    if n == 0 || n + d.exp <= -324 {
        // Below 10^-324, under half the smallest subnormal.
        return 0.0;
    }
    if n + d.exp > 309 {
        // At least 10^309.
        return f64::INFINITY;
    }
    // The first 19 digits as an integer, and the power of ten that scales it.
    let lead = d.digits.get(..19).unwrap_or(&d.digits);
    let m = lead.iter().fold(0u64, |m, &v| m * 10 + u64::from(v));
    let e = d.exp + n - lead.len() as i64;
    if n <= 19 && m <= 1 << 53 && (-22..=22).contains(&e) {
        // Clinger: both operands exact, so the one rounding of the product or quotient is the answer.
        let p = pow10(e.unsigned_abs() as i32);
        return if e < 0 { m as f64 / p } else { m as f64 * p };
    }
    refine(d, guess(m, e))
}

/// 10^k for `0 ≤ k ≤ 22`, exact.
fn pow10(k: i32) -> f64 {
    (0..k).fold(1.0, |p, _| p * 10.0)
}

/// `m × 10^e` within a few units in the last place (two factors, so neither overflows on the way).
fn guess(m: u64, e: i64) -> f64 {
    let half = (e / 2) as i32;
    let g = m as f64 * 10f64.powi(half) * 10f64.powi(e as i32 - half);
    if g.is_finite() {
        g
    } else {
        f64::MAX
    }
}

/// The nearest double to `d`, from a guess a few steps away: compares `d` with the halfway points to the
/// neighbours and steps until neither is passed.
fn refine(d: &Decimal, mut g: f64) -> f64 {
    // d = digits × 5^exp × 2^exp; the power of five goes to whichever side keeps it whole.
    let digits = big_from_digits(&d.digits);
    let five = pow5(d.exp.unsigned_abs());
    let lhs = if d.exp >= 0 { mul(&digits, &five) } else { digits };
    let rhs_five = if d.exp >= 0 { vec![1] } else { five };
    // `d` against `mant × 2^exp2`.
    let compare = |mant: u64, exp2: i64| -> Ordering {
        let rhs = mul(&rhs_five, &[mant as u32, (mant >> 32) as u32]);
        let shift = d.exp - exp2;
        if shift >= 0 {
            cmp(&shl(&lhs, shift as u64), &rhs)
        } else {
            cmp(&lhs, &shl(&rhs, shift.unsigned_abs()))
        }
    };
    loop {
        let bits = g.to_bits();
        let biased = (bits >> 52) as i64;
        let (mant, exp2) = match biased {
            0 => (bits, -1074),
            _ => ((bits & ((1 << 52) - 1)) | (1 << 52), biased - 1075),
        };
        let odd = mant & 1 == 1;
        // Up when past the halfway point to the next double (or on it, from an odd mantissa).
        match compare(2 * mant + 1, exp2 - 1) {
            Ordering::Greater => {
                g = f64::from_bits(bits + 1);
                if g.is_infinite() {
                    return g;
                }
                continue;
            }
            Ordering::Equal if odd => return f64::from_bits(bits + 1),
            _ => {}
        }
        if bits == 0 {
            return g;
        }
        // The gap below a power of two (not the smallest normal) is half the gap above.
        let lower = if mant == 1 << 52 && biased > 1 {
            compare(4 * mant - 1, exp2 - 2)
        } else {
            compare(2 * mant - 1, exp2 - 1)
        };
        match lower {
            Ordering::Less => g = f64::from_bits(bits - 1),
            Ordering::Equal if odd => return f64::from_bits(bits - 1),
            _ => return g,
        }
    }
}

/// A big unsigned integer: 32-bit limbs, least significant first, no trailing zero limbs (zero is empty).
type Big = Vec<u32>;

fn trim(mut a: Big) -> Big {
    while a.last() == Some(&0) {
        a.pop();
    }
    a
}

/// `a × m + add`, in place.
fn mul_small(a: &mut Big, m: u32, add: u32) {
    let mut carry = u64::from(add);
    for limb in a.iter_mut() {
        let v = u64::from(*limb) * u64::from(m) + carry;
        *limb = v as u32;
        carry = v >> 32;
    }
    if carry > 0 {
        a.push(carry as u32);
    }
}

fn big_from_digits(digits: &[u8]) -> Big {
    let mut a = Big::new();
    for chunk in digits.chunks(9) {
        let (scale, value) = chunk
            .iter()
            .fold((1u32, 0u32), |(s, v), &d| (s * 10, v * 10 + u32::from(d)));
        mul_small(&mut a, scale, value);
    }
    trim(a)
}

fn pow5(mut k: u64) -> Big {
    let mut a: Big = vec![1];
    while k > 0 {
        let step = k.min(13);
        mul_small(&mut a, 5u32.pow(step as u32), 0);
        k -= step;
    }
    a
}

fn mul(a: &[u32], b: &[u32]) -> Big {
    let mut out = vec![0u32; a.len() + b.len()];
    for (i, &x) in a.iter().enumerate() {
        let mut carry = 0u64;
        for (j, &y) in b.iter().enumerate() {
            if let Some(o) = out.get_mut(i + j) {
                let v = u64::from(*o) + u64::from(x) * u64::from(y) + carry;
                *o = v as u32;
                carry = v >> 32;
            }
        }
        if let Some(o) = out.get_mut(i + b.len()) {
            *o = carry as u32;
        }
    }
    trim(out)
}

fn shl(a: &[u32], bits: u64) -> Big {
    let (limbs, bits) = ((bits / 32) as usize, (bits % 32) as u32);
    let mut out = vec![0u32; limbs];
    let mut carry = 0u32;
    for &x in a {
        out.push(if bits == 0 { x } else { (x << bits) | carry });
        carry = if bits == 0 { 0 } else { x >> (32 - bits) };
    }
    out.push(carry);
    trim(out)
}

fn cmp(a: &[u32], b: &[u32]) -> Ordering {
    a.len().cmp(&b.len()).then_with(|| a.iter().rev().cmp(b.iter().rev()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(s: &str) {
        let ours = parse_decimal(s).map(f64::to_bits);
        let std = s.parse::<f64>().ok().map(f64::to_bits);
        assert_eq!(ours, std, "{s}");
    }

    fn xorshift(x: &mut u64) -> u64 {
        *x ^= *x << 13;
        *x ^= *x >> 7;
        *x ^= *x << 17;
        *x
    }

    #[test]
    fn syntax_is_rusts() {
        // Every text of up to five characters from the number alphabet.
        let alphabet = b"0159.eE+-";
        let mut texts = vec![String::new()];
        for _ in 0..5 {
            let mut next = Vec::new();
            for t in &texts {
                for &c in alphabet {
                    let mut u = t.clone();
                    u.push(char::from(c));
                    same(&u);
                    next.push(u);
                }
            }
            texts = next;
        }
        for s in [
            "1e400",
            "-1e-400",
            "1e99999999999999999999",
            "0e99999999999",
            "1e-99999999999",
            "00012.5000",
        ] {
            same(s);
        }
    }

    #[test]
    fn random_texts_are_rusts() {
        let mut x = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..200_000 {
            let r = xorshift(&mut x);
            let f = f64::from_bits(r);
            if !f.is_finite() {
                continue;
            }
            // Shortest, 17 and 25 significant digits, and a few digits with any exponent.
            same(&format!("{f:e}"));
            same(&format!("{f:.16e}"));
            same(&format!("{f:.24e}"));
            same(&format!("{}.{}e{}", r % 1000, r >> 40, (r >> 20) % 700));
            same(&format!("{}e-{}", r >> 11, (r >> 3) % 400));
        }
    }

    /// The exact decimal text of `mant × 2^exp2`.
    fn exact(mant: u64, exp2: i64) -> String {
        let big = if exp2 >= 0 {
            shl(&[mant as u32, (mant >> 32) as u32], exp2 as u64)
        } else {
            mul(&pow5(exp2.unsigned_abs()), &[mant as u32, (mant >> 32) as u32])
        };
        let mut limbs = trim(big);
        let mut digits = Vec::new();
        while !limbs.is_empty() {
            let mut rem = 0u64;
            for l in limbs.iter_mut().rev() {
                let v = (rem << 32) | u64::from(*l);
                *l = (v / 10) as u32;
                rem = v % 10;
            }
            digits.push(b'0' + rem as u8);
            limbs = trim(limbs);
        }
        digits.reverse();
        let text = String::from_utf8(digits).unwrap();
        format!("{text}e{}", exp2.min(0))
    }

    #[test]
    fn halfway_points_and_their_neighbours_are_rusts() {
        let mut x = 0x9e37_79b9_7f4a_7c15_u64;
        for i in 0..3000 {
            let bits = xorshift(&mut x) & !(1 << 63);
            let f = f64::from_bits(bits);
            if !f.is_finite() || bits == 0 {
                continue;
            }
            let biased = (bits >> 52) as i64;
            let (mant, exp2) = if biased == 0 {
                (bits, -1074)
            } else {
                ((bits & ((1 << 52) - 1)) | (1 << 52), biased - 1075)
            };
            // Every tenth one a subnormal.
            let (mant, exp2) = if i % 10 == 0 { (mant >> 12, -1074) } else { (mant, exp2) };
            let mid = exact(2 * mant + 1, exp2 - 1);
            same(&mid);
            let (digits, e) = mid.split_once('e').unwrap();
            let more = format!("{digits}000001e{e}");
            same(&more);
            let less = format!("{}{}e{e}", &digits[..digits.len() - 1], "49999999");
            same(&less);
        }
        same(&exact((1 << 53) * 2 - 1, 970));
        same("179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497791.9999999999");
    }
}
