//! Rule packs: the format ([`def`]; documented in docs/pack-format.md with a JSON Schema in
//! docs/pack.schema.json), reading it with located errors ([`load`]), compiling it ([`compile`]), static
//! checks for authors ([`lint`]) and the packs embedded in the library ([`embedded`]).

pub mod compile;
pub mod def;
pub mod embedded;
pub mod error;
pub mod export;
pub mod lint;
pub mod load;
pub mod signature;

pub use compile::Program;
pub use error::PackError;

/// Loads and compiles a pack from its JSON text.
pub fn load_program(text: &str) -> Result<Program, PackError> {
    let def = load::load(text)?;
    compile::compile_pack(def, text)
}
