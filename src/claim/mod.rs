//! claim@1: the schema as data ([`schema`]), decoding with validation ([`decode`]) and the fields a claim
//! must give ([`required`]).

pub mod bounded;
pub mod decode;
pub mod edit;
pub mod labels;
pub mod required;
pub mod schema;
pub mod schema_export;

pub use decode::{decode, Decoded, Problem, Reason};
pub use schema::{claim_ty, CLAIM_SCHEMA};
