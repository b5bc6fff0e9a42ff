//! Embeds every `packs/*.json` rule pack: writes `$OUT_DIR/embedded_packs.rs` with one string per file
//! (sorted by name), so adding a default pack is adding its file. What is embedded is the pack minified
//! (insignificant white space removed) and without the members the runtime never reads (`tests`,
//! `$schema`), to keep the WebAssembly download small; `preclaim test packs/X.json` reads the full file.
//! Packs in sub-folders are not embedded.

use std::fmt::Write as _;
use std::path::Path;

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
    let mut out = String::from(
        "/// The embedded packs as (file name, `products` as JSON text if found, minified JSON text), generated by\n/// build.rs.\npub const PACKS: &[(&str, Option<&str>, &str)] = &[\n",
    );
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let text = std::fs::read_to_string(f).unwrap_or_default();
        let (min, products) = minify(&text);
        let _ = writeln!(out, "    ({name:?}, {products:?}, {min:?}),");
    }
    out.push_str("];\n");
    let out_dir = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    if let Err(e) = std::fs::write(Path::new(&out_dir).join("embedded_packs.rs"), out) {
        println!("cargo:warning=cannot write the embedded pack list: {e}");
    }
}
