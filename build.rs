//! Embeds every `packs/*.json` rule pack: writes `$OUT_DIR/embedded_packs.rs` with one entry per file
//! (sorted by name), so adding a default pack is adding its file. The packs whose compiled forms are in
//! `packs/compiled/defaults.bundle` (`make packs`, which runs `preclaim pack bundle`; a test fails when it
//! is stale; one string table shared by the packs, src/pack/binary/bundle.rs) are embedded as that bundle,
//! and only each pack's `products` member is read here. Otherwise (a new pack before
//! `make packs`: build.rs cannot call the crate to compile it) what is embedded is the pack minified
//! (insignificant white space removed) and without the members the runtime never reads (`tests`,
//! `$schema`), to keep the WebAssembly download small; `preclaim test packs/X.json` reads the full file.
//! Packs in sub-folders are not embedded.
//!
//! Texts (when a pack is not in the bundle) are stored **interleaved**: one string holding each pack's first [`CHUNK`] bytes, then
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

/// The files that define the compiled form of a pack (src/pack/binary.rs): a fingerprint of their code
/// (comment and blank lines left out) is part of the engine version a compiled pack records, so a pack
/// compiled by a build whose form differs is refused with a clear error instead of misread.
const FORM_SOURCES: &[&str] = &[
    "src/expr/program.rs",
    "src/expr/error.rs",
    "src/value.rs",
    "src/pack/program.rs",
    "src/pack/binary.rs",
    "src/pack/binary/encode.rs",
    "src/pack/binary/decode.rs",
    "src/pack/binary/bundle.rs",
];

/// FNV-1a (64 bits) of the code lines of [`FORM_SOURCES`], as 8 hex digits.
fn form_fingerprint(root: &Path) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for f in FORM_SOURCES {
        let path = root.join(f);
        println!("cargo:rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        for line in text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with("//"))
        {
            for b in line.bytes().chain([b'\n']) {
                h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
            }
        }
    }
    format!("{:08x}", (h >> 32) ^ (h & 0xffff_ffff))
}

/// The engine version recorded in a compiled pack's header (after the 8 magic bytes and the u16 format).
fn compiled_engine(bytes: &[u8]) -> Option<&[u8]> {
    let len = usize::from(*bytes.get(10)?);
    bytes.get(11..11 + len)
}

/// The names of the packs in a bundle (src/pack/binary/bundle.rs): after the header, the number of
/// packs, then each one's name (length and bytes) and body length.
fn bundle_names(bytes: &[u8]) -> Option<Vec<String>> {
    let varint = |at: &mut usize| -> Option<usize> {
        let mut v = 0usize;
        for shift in (0..63).step_by(7) {
            let b = *bytes.get(*at)?;
            *at += 1;
            v |= usize::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Some(v);
            }
        }
        None
    };
    let mut at = 11 + usize::from(*bytes.get(10)?) + 8;
    let n = varint(&mut at)?;
    let mut names = Vec::new();
    for _ in 0..n.min(bytes.len()) {
        let len = varint(&mut at)?;
        names.push(String::from_utf8(bytes.get(at..at + len)?.to_vec()).ok()?);
        at += len;
        varint(&mut at)?;
    }
    Some(names)
}

/// Interleaves `items`: each turn appends the next [`CHUNK`] bytes of every item (the end moved back until
/// `boundary` accepts it); returns the blob and each item's byte ranges in it.
fn interleave(items: &[&[u8]], boundary: impl Fn(&[u8], usize) -> bool) -> (Vec<u8>, Vec<Vec<(usize, usize)>>) {
    let mut blob = Vec::new();
    let mut ranges: Vec<Vec<(usize, usize)>> = vec![Vec::new(); items.len()];
    let mut at = vec![0usize; items.len()];
    while items.iter().zip(&at).any(|(t, &a)| a < t.len()) {
        for (k, item) in items.iter().enumerate() {
            let (Some(a), Some(r)) = (at.get_mut(k), ranges.get_mut(k)) else {
                continue;
            };
            if *a >= item.len() {
                continue;
            }
            let mut end = (*a + CHUNK).min(item.len());
            while end > *a + 1 && !boundary(item, end) {
                end -= 1;
            }
            blob.extend_from_slice(item.get(*a..end).unwrap_or_default());
            r.push((blob.len() - (end - *a), blob.len()));
            *a = end;
        }
    }
    (blob, ranges)
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fingerprint = form_fingerprint(root);
    println!("cargo:rustc-env=PRECLAIM_PACK_FORM={fingerprint}");
    let engine = format!("{}+{fingerprint}", env!("CARGO_PKG_VERSION"));
    let dir = root.join("packs");
    let compiled_dir = dir.join("compiled");
    println!("cargo:rerun-if-changed={}", dir.display());
    println!("cargo:rerun-if-changed={}", compiled_dir.display());
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "json"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    // The compiled forms, when `make packs` wrote the bundle with this build's form: its pack names.
    let bundle_path = compiled_dir.join("defaults.bundle");
    println!("cargo:rerun-if-changed={}", bundle_path.display());
    let bundle = std::fs::read(&bundle_path).ok();
    let bundled: Vec<String> = match bundle.as_deref().map(|b| (compiled_engine(b), b)) {
        Some((Some(e), b)) if e == engine.as_bytes() => bundle_names(b).unwrap_or_else(|| {
            println!("cargo:warning=packs/compiled/defaults.bundle is malformed: embedding the JSON texts instead; run `make packs`");
            Vec::new()
        }),
        Some(_) => {
            println!(
                "cargo:warning=packs/compiled/defaults.bundle was written by another build of the compiled form: embedding the JSON texts instead; run `make packs`"
            );
            Vec::new()
        }
        None => Vec::new(),
    };
    let mut packs = Vec::new();
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let text = std::fs::read_to_string(f).unwrap_or_default();
        let (min, products) = minify(&text);
        // In the bundle: then the text is not embedded.
        let in_bundle = bundled.contains(&name);
        let min = if in_bundle { String::new() } else { min };
        packs.push((name, products, min, in_bundle));
    }
    let texts: Vec<&[u8]> = packs.iter().map(|(_, _, t, _)| t.as_bytes()).collect();
    let (text_blob, ranges) = interleave(&texts, |t, i| t.get(i).is_none_or(|b| b & 0xC0 != 0x80));
    let blob = String::from_utf8(text_blob).unwrap_or_default();
    let out_dir = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    let bundle_bytes = if bundled.is_empty() {
        Vec::new()
    } else {
        bundle.unwrap_or_default()
    };
    if let Err(e) = std::fs::write(Path::new(&out_dir).join("embedded_packs.bin"), &bundle_bytes) {
        println!("cargo:warning=cannot write the embedded compiled packs: {e}");
    }
    let mut out = format!(
        "/// The embedded packs' minified texts, interleaved in chunks of {CHUNK} bytes (generated by build.rs).\n\
         pub const TEXT: &str = {blob:?};\n\
         /// The embedded packs' compiled forms: packs/compiled/defaults.bundle (`make packs`), or nothing.\n\
         pub const BUNDLE: &[u8] = include_bytes!(concat!(env!(\"OUT_DIR\"), \"/embedded_packs.bin\"));\n\
         /// An embedded pack: file name, `products` as JSON text if found, the byte ranges of `TEXT` that\n\
         /// joined make its minified JSON text, and whether `BUNDLE` holds its compiled form (by that name).\n\
         pub type Pack = (&'static str, Option<&'static str>, &'static [(u32, u32)], bool);\n\
         /// The embedded packs, in file name order (generated by build.rs).\n\
         pub const PACKS: &[Pack] = &[\n"
    );
    for ((name, products, _, in_bundle), r) in packs.iter().zip(&ranges) {
        let _ = writeln!(out, "    ({name:?}, {products:?}, &{r:?}, {in_bundle}),");
    }
    out.push_str("];\n");
    if let Err(e) = std::fs::write(Path::new(&out_dir).join("embedded_packs.rs"), out) {
        println!("cargo:warning=cannot write the embedded pack list: {e}");
    }
}
