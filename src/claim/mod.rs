//! claim@1: the schema as data ([`schema`]) and decoding with validation ([`decode`]).

pub mod decode;
pub mod edit;
pub mod labels;
pub mod schema;

pub use decode::{decode, Decoded, Problem, Reason};
pub use schema::{claim_ty, CLAIM_SCHEMA};
