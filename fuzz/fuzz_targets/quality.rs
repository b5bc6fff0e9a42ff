//! Photo assessment of arbitrary pixel buffers, and file sniffing of arbitrary header bytes.
//! Input: 4 bytes of size (width, height above the minimum side), 1 byte of mode, then pixels (repeated to
//! fill the buffer, or used as given with a wrong length in mode 3).
#![no_main]

use libfuzzer_sys::fuzz_target;
use preclaim::json::write_value;
use preclaim::quality::{assess, sniff, AssessInput, Config};

fuzz_target!(|data: &[u8]| {
    let cfg = Config::default();
    // The file sniffer on the raw bytes, with a file size at or beyond them.
    let _ = sniff(
        data,
        data.len() as u64 + u64::from(data.first().copied().unwrap_or(0)),
        &cfg,
    );
    let [a, b, c, d, mode, pixels @ ..] = data else { return };
    let w = 32 + u32::from(u16::from_le_bytes([*a, *b]) % 480);
    let h = 32 + u32::from(u16::from_le_bytes([*c, *d]) % 480);
    let len = (w * h * 4) as usize;
    let rgba: Vec<u8> = if *mode % 4 == 3 || pixels.is_empty() {
        pixels.to_vec()
    } else {
        pixels.iter().copied().cycle().take(len).collect()
    };
    let mut input = AssessInput::new(&rgba, w, h);
    if *mode % 4 == 2 {
        // A capture pre-shrunk by the browser: the source is larger (and maybe of another shape).
        input.source_width = w.saturating_mul(u32::from(*a % 8) + 1);
        input.source_height = h.saturating_mul(u32::from(*c % 8) + 1);
    }
    if let Ok(assessment) = assess(&input, &cfg) {
        let first = write_value(&assessment.to_value());
        let again = assess(&input, &cfg).map(|x| write_value(&x.to_value()));
        assert!(again.as_ref().ok() == Some(&first), "assessment is not deterministic");
    }
});
