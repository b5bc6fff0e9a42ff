//! Embeds every `packs/*.json` rule pack: writes `$OUT_DIR/embedded_packs.rs` with one string per file
//! (sorted by name), so adding a default pack is adding its file. What is embedded is the pack minified
//! (insignificant white space removed) and without the members the runtime never reads (`tests`,
//! `$schema`), to keep the WebAssembly download small; `preclaim test packs/X.json` reads the full file.
//! Packs in sub-folders are not embedded.
//!
//! The six texts are stored **interleaved**: one string holding each pack's first [`CHUNK`] bytes, then
//! each pack's next [`CHUNK`] bytes, and so on, with each pack's list of byte ranges in it (the loader
//! joins them back when it compiles the pack). The packs repeat one another's rules about 36 KB apart,
//! beyond gzip's 32 KB window; interleaved, the repeats are within reach and the embedded text gzips to
//! 21 KB instead of 30 KB (docs/decisions.md, issue 16).

use std::fmt::Write as _;
use std::path::Path;

/// Bytes of one pack per turn in the interleaved text (moved back to a character boundary). Measured on
/// the six default packs: 1 KB gzips to 21.3 KB, 2 KB 20.9, 3 KB 20.8, 4 KB 20.9; one pack after the
/// other 29.9 KB.
const CHUNK: usize = 3072;

/// Top-level members left out of the embedded copy.
const DROP: &[&str] = &["tests", "$schema"];

struct Min<'a> {
    s: &'a [u8],
    i: usize,
    out: String,
    /// The raw text of the top-level `products` member (what lets the checker find a pack without
    /// compiling it).
    products: Option<String>,
}

impl Min<'_> {
    fn ws(&mut self) {
        while self.s.get(self.i).is_some_and(|b| b.is_ascii_whitespace()) {
            self.i += 1;
        }
    }

    /// Copies a string literal (with its quotes) and returns its raw text.
    fn string(&mut self) -> Result<String, String> {
        let start = self.i;
        self.i += 1;
        loop {
            match self.s.get(self.i) {
                None => return Err("unterminated string".into()),
                Some(b'\\') => self.i += 2,
                Some(b'"') => {
                    self.i += 1;
                    break;
                }
                Some(_) => self.i += 1,
            }
        }
        let raw = std::str::from_utf8(self.s.get(start..self.i).unwrap_or_default()).map_err(|e| e.to_string())?;
        Ok(raw.to_string())
    }

    fn value(&mut self, depth: usize, emit: bool) -> Result<(), String> {
        self.ws();
        match self.s.get(self.i) {
            Some(b'{') => {
                self.i += 1;
                if emit {
                    self.out.push('{');
                }
                let mut first = true;
                loop {
                    self.ws();
                    if self.s.get(self.i) == Some(&b'}') {
                        self.i += 1;
                        break;
                    }
                    let key = self.string()?;
                    self.ws();
                    self.i += 1; // ':'
                    let keep = !(depth == 0 && DROP.iter().any(|d| key == format!("\"{d}\"")));
                    if emit && keep {
                        if !first {
                            self.out.push(',');
                        }
                        first = false;
                        self.out.push_str(&key);
                        self.out.push(':');
                    }
                    let start = self.i;
                    self.value(depth + 1, emit && keep)?;
                    if depth == 0 && key == "\"products\"" {
                        let raw = std::str::from_utf8(self.s.get(start..self.i).unwrap_or_default());
                        self.products = raw.ok().map(|r| r.trim().to_string());
                    }
                    self.ws();
                    if self.s.get(self.i) == Some(&b',') {
                        self.i += 1;
                    }
                }
                if emit {
                    self.out.push('}');
                }
            }
            Some(b'[') => {
                self.i += 1;
                if emit {
                    self.out.push('[');
                }
                let mut first = true;
                loop {
                    self.ws();
                    if self.s.get(self.i) == Some(&b']') {
                        self.i += 1;
                        break;
                    }
                    if emit && !first {
                        self.out.push(',');
                    }
                    first = false;
                    self.value(depth + 1, emit)?;
                    self.ws();
                    if self.s.get(self.i) == Some(&b',') {
                        self.i += 1;
                    }
                }
                if emit {
                    self.out.push(']');
                }
            }
            Some(b'"') => {
                let s = self.string()?;
                if emit {
                    self.out.push_str(&s);
                }
            }
            Some(_) => {
                let start = self.i;
                while self.s.get(self.i).is_some_and(|b| !b",]} \t\r\n".contains(b)) {
                    self.i += 1;
                }
                if emit {
                    self.out.push_str(
                        std::str::from_utf8(self.s.get(start..self.i).unwrap_or_default())
                            .map_err(|e| e.to_string())?,
                    );
                }
            }
            None => return Err("unexpected end".into()),
        }
        Ok(())
    }
}

/// The pack as embedded and the raw text of its `products` member, or the text unchanged and no products
/// when it is not well-formed (the loader then reports it when the checker is made).
fn minify(text: &str) -> (String, Option<String>) {
    let mut m = Min {
        s: text.as_bytes(),
        i: 0,
        out: String::with_capacity(text.len()),
        products: None,
    };
    match m.value(0, true) {
        Ok(()) => (m.out, m.products),
        Err(_) => (text.to_string(), None),
    }
}

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("packs");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "json"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut packs = Vec::new();
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let text = std::fs::read_to_string(f).unwrap_or_default();
        let (min, products) = minify(&text);
        packs.push((name, products, min));
    }
    // Interleave: each turn appends the next CHUNK bytes (to a character boundary) of every pack.
    let mut blob = String::new();
    let mut ranges: Vec<Vec<(usize, usize)>> = vec![Vec::new(); packs.len()];
    let mut at = vec![0usize; packs.len()];
    while packs.iter().zip(&at).any(|((_, _, t), &a)| a < t.len()) {
        for (k, (_, _, text)) in packs.iter().enumerate() {
            let (Some(a), Some(r)) = (at.get_mut(k), ranges.get_mut(k)) else {
                continue;
            };
            if *a >= text.len() {
                continue;
            }
            let mut end = (*a + CHUNK).min(text.len());
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            blob.push_str(text.get(*a..end).unwrap_or_default());
            r.push((blob.len() - (end - *a), blob.len()));
            *a = end;
        }
    }
    let mut out = format!(
        "/// The embedded packs' minified texts, interleaved in chunks of {CHUNK} bytes (generated by build.rs).\n\
         pub const TEXT: &str = {blob:?};\n\
         /// An embedded pack: file name, `products` as JSON text if found, the byte ranges of `TEXT` that\n\
         /// joined make its minified JSON text.\n\
         pub type Pack = (&'static str, Option<&'static str>, &'static [(u32, u32)]);\n\
         /// The embedded packs, in file name order (generated by build.rs).\n\
         pub const PACKS: &[Pack] = &[\n"
    );
    for ((name, products, _), r) in packs.iter().zip(&ranges) {
        let _ = writeln!(out, "    ({name:?}, {products:?}, &{r:?}),");
    }
    out.push_str("];\n");
    let out_dir = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    if let Err(e) = std::fs::write(Path::new(&out_dir).join("embedded_packs.rs"), out) {
        println!("cargo:warning=cannot write the embedded pack list: {e}");
    }
}
