//! JSON text with positions: a small parser that keeps the byte offset of every value and key (so a rule-pack
//! error can name its line and column), bounds nesting depth, reports duplicate keys, and keeps integers
//! exact; a parser straight to a [`crate::value::Value`] for data that needs no offsets; plus a writer that prints [`crate::value::Value`] deterministically (JS-compatible numbers).
//!
//! It does not do serde: the checker's formats are read through [`JsonNode`] and [`crate::value::Value`].

mod float_parse;
mod float_text;
mod parse;
mod pos;
mod value;
mod write;

pub use float_parse::parse_decimal;
pub use float_text::{plain_decimal, push_js_number};
pub(crate) use parse::Parser;
pub use parse::{parse, parse_with, Interner, JsonError, JsonKind, JsonNode, Members, ParseOptions};
pub use pos::{line_col, LineCol};
pub(crate) use value::any_repeated;
pub use value::{key_order, parse_value, parse_value_projected, parse_value_with};
pub use write::{write_string, write_value, write_value_pretty};
