//! Structured pack mutation: take one of the real packs in packs/, apply a few mutations chosen by the
//! input (replace an expression or parameter with fuzzed text or another value of the pack — which makes
//! type errors and derived-value cycles —, change a leaf's type, delete a key), then load, compile, lint
//! and run the pack on every example claim. Reports must be deterministic and well formed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use preclaim::check::Checker;
use preclaim::pack::{self, def::Locale, lint};
use serde_json::Value as J;

#[path = "../common.rs"]
mod common;

/// Reads choices from the input.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((b, rest)) => {
                self.0 = rest;
                *b
            }
            None => 0,
        }
    }
    fn index(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        (usize::from(self.byte()) << 8 | usize::from(self.byte())) % n
    }
    /// Text up to the next 0xFF byte (lossy UTF-8).
    fn text(&mut self) -> String {
        let end = self.0.iter().position(|&b| b == 0xFF).unwrap_or(self.0.len());
        let (t, rest) = self.0.split_at(end);
        self.0 = rest.get(1..).unwrap_or_default();
        String::from_utf8_lossy(t).into_owned()
    }
}

/// JSON pointers of every node below `v`.
fn pointers(v: &J, at: String, out: &mut Vec<String>) {
    match v {
        J::Object(m) => {
            for (k, x) in m {
                let p = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push(p.clone());
                pointers(x, p, out);
            }
        }
        J::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                let p = format!("{at}/{i}");
                out.push(p.clone());
                pointers(x, p, out);
            }
        }
        _ => {}
    }
}

fn mutate(pack: &mut J, b: &mut Bytes) {
    let mut ptrs = Vec::new();
    pointers(pack, String::new(), &mut ptrs);
    let target = ptrs.get(b.index(ptrs.len())).cloned().unwrap_or_default();
    let op = b.byte() % 8;
    let new = match op {
        // Fuzzed expression or text.
        0..=2 => J::String(b.text()),
        // Another node of the same pack (an expression elsewhere, a derived name: cycles, type errors).
        3 | 4 => {
            let src = ptrs.get(b.index(ptrs.len())).cloned().unwrap_or_default();
            let v = pack.pointer(&src).cloned().unwrap_or(J::Null);
            match (op, &v) {
                // `derived.<name>` of a derived value's own name, or a reference to another one.
                (4, _) => match src.strip_prefix("/derived/") {
                    Some(name) => J::String(format!("derived.{} + 1", name.split('/').next().unwrap_or(""))),
                    None => v,
                },
                _ => v,
            }
        }
        5 => J::from(i64::from(b.byte() as i8) * 1_000_000_007),
        6 => [
            J::Null,
            J::Bool(true),
            J::from(1e300),
            J::Array(Vec::new()),
            J::Object(Default::default()),
        ][usize::from(b.byte()) % 5]
            .clone(),
        _ => {
            // Delete the key or element.
            if let Some((parent, last)) = target.rsplit_once('/') {
                match pack.pointer_mut(parent) {
                    Some(J::Object(m)) => {
                        m.shift_remove(&last.replace("~1", "/").replace("~0", "~"));
                    }
                    Some(J::Array(a)) => {
                        if let Ok(i) = last.parse::<usize>() {
                            if i < a.len() {
                                a.remove(i);
                            }
                        }
                    }
                    _ => {}
                }
            }
            return;
        }
    };
    if let Some(slot) = pack.pointer_mut(&target) {
        *slot = new;
    }
}

fuzz_target!(|data: &[u8]| {
    let mut b = Bytes(data);
    let which = usize::from(b.byte()) % common::PACKS.len();
    let Ok(mut pack) = serde_json::from_str::<J>(common::PACKS[which]) else {
        return;
    };
    let n = 1 + b.byte() % 4;
    for _ in 0..n {
        mutate(&mut pack, &mut b);
    }
    let text = if b.byte() % 2 == 0 {
        serde_json::to_string(&pack)
    } else {
        serde_json::to_string_pretty(&pack)
    };
    let Ok(text) = text else { return };
    let Ok(program) = pack::load_program(&text) else { return };
    let _ = lint::lint(&program);
    let checker = Checker::from_programs(vec![program]);
    for claim in common::CLAIMS {
        common::check_twice(&checker, claim, Locale::En);
    }
    common::check_twice(&checker, common::CLAIMS[2], Locale::Zh);
});
