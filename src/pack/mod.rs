//! Rule packs: the format ([`def`]; documented in docs/pack-format.md with a JSON Schema in
//! docs/pack.schema.json), reading it with located errors ([`load`]), compiling it ([`compile`]), static
//! checks for authors ([`lint`]), the packs embedded in the library ([`embedded`]) and the compiled form
//! of a pack that apps load without compiling ([`binary`]).

pub mod binary;
#[cfg(feature = "compiler")]
pub mod compile;
pub mod def;
pub mod embedded;
pub mod error;
#[cfg(feature = "compiler")]
pub mod export;
#[cfg(feature = "compiler")]
pub mod lint;
#[cfg(feature = "compiler")]
pub mod load;
pub mod program;
#[cfg(feature = "compiler")]
pub mod signature;

pub use error::PackError;
pub use program::Program;

/// Loads and compiles a pack from its JSON text.
#[cfg(feature = "compiler")]
pub fn load_program(text: &str) -> Result<Program, PackError> {
    let def = load::load(text)?;
    compile::compile_pack(def, text)
}

/// Loads a pack from a file's bytes: its compiled form ([`binary`], told by its first bytes) or its JSON
/// text.
pub fn load_bytes(bytes: &[u8]) -> Result<Program, PackError> {
    if binary::is_compiled(bytes) {
        return binary::decode(bytes);
    }
    match std::str::from_utf8(bytes) {
        #[cfg(feature = "compiler")]
        Ok(text) => load_program(text),
        #[cfg(not(feature = "compiler"))]
        Ok(_) => Err(without_compiler()),
        Err(e) => Err(PackError {
            code: "pack.json",
            path: String::new(),
            at: crate::json::LineCol { line: 1, col: 1 },
            message: format!("neither JSON text (not UTF-8: {e}) nor a compiled pack"),
            embedded: None,
        }),
    }
}

/// The error for a JSON pack in a build without the pack compiler (cargo feature `compiler`).
#[cfg(not(feature = "compiler"))]
pub(crate) fn without_compiler() -> PackError {
    PackError {
        code: "pack.compiled",
        path: String::new(),
        at: crate::json::LineCol { line: 0, col: 0 },
        message: "this build checks compiled packs only (preclaim pack compile); it has no JSON pack compiler".into(),
        embedded: None,
    }
}
