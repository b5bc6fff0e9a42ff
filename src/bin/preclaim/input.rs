//! Reading the CLI's inputs (a file, or stdin for `-`) with a size limit checked as they are read: at most
//! `limit + 1` bytes are ever read, so an endless stdin or `/dev/zero` ends with a one-line error instead of
//! filling memory. The limits are those of [`preclaim::limits`].

use std::io::Read;

/// Reads at most `limit` bytes from `path` (`-`: stdin); more is an error naming the limit (and the error
/// code the library gives for the same input, as `[claim.too_large]`, when `what` is a claim or a pack).
pub fn read_bytes(path: &str, limit: usize, what: &str) -> Result<Vec<u8>, String> {
    let name = if path == "-" { "stdin" } else { path };
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    let mut buf = Vec::new();
    let read = if path == "-" {
        std::io::stdin().lock().take(cap).read_to_end(&mut buf)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(cap).read_to_end(&mut buf))
    };
    read.map_err(|e| format!("cannot read {name}: {e}"))?;
    if buf.len() > limit {
        let code = match what {
            "claim" => " [claim.too_large]",
            "pack" => " [pack.limit]",
            _ => "",
        };
        return Err(format!("{path}: the {what} is larger than {limit} bytes{code}"));
    }
    Ok(buf)
}

/// Reads UTF-8 text of at most `limit` bytes from `path` (`-`: stdin).
pub fn read_text(path: &str, limit: usize, what: &str) -> Result<String, String> {
    let name = if path == "-" { "stdin" } else { path };
    String::from_utf8(read_bytes(path, limit, what)?).map_err(|e| format!("cannot read {name}: {e}"))
}
