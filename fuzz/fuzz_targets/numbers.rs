//! Our number reading and printing (src/json/float_parse.rs, float_text.rs: they replace `core`'s in the
//! WebAssembly core) against the standard library, on arbitrary input: any text `str::parse::<f64>`
//! reads in the decimal syntax gives the same bits from `parse_decimal` (and text it refuses, `None`
//! unless it is `inf`/`NaN`-like); any finite double printed by `push_js_number` or `plain_decimal`
//! reads back as the same double.
#![no_main]

use libfuzzer_sys::fuzz_target;
use preclaim::json::{parse_decimal, plain_decimal, push_js_number};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // Only the decimal syntax: std also reads `inf`, `nan`, `infinity`, which ours refuses on purpose.
    let decimal = text.bytes().all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b));
    if decimal {
        let std = text.parse::<f64>().ok().map(f64::to_bits);
        let ours = parse_decimal(&text).map(f64::to_bits);
        assert_eq!(ours, std, "parse_decimal({text:?})");
    }
    if let Some(bytes) = data.get(..8) {
        let mut b = [0u8; 8];
        b.copy_from_slice(bytes);
        let f = f64::from_bits(u64::from_le_bytes(b));
        if f.is_finite() {
            let mut js = String::new();
            push_js_number(&mut js, f);
            let back = js.replace("e+", "e").parse::<f64>().ok();
            // JSON has no negative zero: it prints as 0.
            let want = if f == 0.0 { 0.0 } else { f };
            assert_eq!(back.map(f64::to_bits), Some(want.to_bits()), "push_js_number({f:e}) = {js:?}");
            let plain = plain_decimal(f);
            let back = plain.parse::<f64>().ok().map(f64::to_bits);
            assert!(back == Some(f.to_bits()) || (f == 0.0 && back == Some(0)), "plain_decimal({f:e}) = {plain:?}");
        }
    }
});
