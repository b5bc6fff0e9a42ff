//! claim@1: the schema as data ([`schema`]), decoding with validation ([`decode`]) and the fields a claim
//! must give ([`required`]).

pub mod bounded;
pub mod decode;
pub mod decode_text;
pub mod edit;
pub mod labels;
pub mod members;
pub mod required;
pub mod schema;
pub mod schema_export;

pub use decode::{decode, Decoded, Problem, Reason};
pub use decode_text::decode_text;
pub use schema::{claim_ty, CLAIM_SCHEMA};
