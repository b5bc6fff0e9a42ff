//! Medical catalogs on the device: diagnosis codes (ICD-10, Chinese and English names) and the national
//! medical-insurance catalog of drugs, consumables and services (class 甲/乙/outside, self-pay-first rate,
//! price cap), in a compact versioned binary format read in place.
//!
//! - [`build`] turns [`Row`]s (from CSV or JSON lines: [`source`]) into catalog bytes;
//! - [`Catalog::load`] checks bytes (header, checksum, indexes) without copying them; errors are
//!   [`CatalogError`]s, never panics;
//! - [`Catalog::get`] (exact code), [`Catalog::prefix`] (all codes under `C50`), [`Catalog::search`]
//!   (autocomplete over codes and names) read it;
//! - [`synth::synthetic_items`] makes a realistic synthetic item catalog for tests and scale runs.
//!
//! The byte layout is in [`mod@format`] and docs/catalogs.md. This module does not know claims or rules: the
//! rule engine and the JS API call it.
//!
//! ```
//! use preclaim::catalog::{build, source, Catalog, ItemClass, Kind};
//! let csv = "code,name_zh,name_en,class,self_pay_rate,price_cap\n\
//!            XA01ABD075A002010100483,地喹氯铵含片,Dequalinium lozenges,B,0.10,\n\
//!            001216000010100,导尿,Urinary catheterisation,A,0,25.00\n";
//! let bytes = build(Kind::Item, source::parse_csv(csv)?)?;
//! let cat = Catalog::load(&bytes)?;
//! let e = cat.get("001216000010100").unwrap();
//! assert_eq!((e.class, e.price_cap_fen), (Some(ItemClass::A), Some(2500)));
//! assert_eq!(cat.get("XA01ABD075A002010100483").unwrap().self_pay_rate.to_string(), "0.10");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod builder;
mod entry;
mod error;
pub mod format;
mod reader;
mod search;
mod set;
pub mod source;
pub mod synth;
mod value;

pub use builder::build;
pub use entry::{Code, Entry, ItemClass, Kind, Rate, Row};
pub use error::{BuildError, CatalogError};
pub use reader::{Catalog, Entries, Info};
pub use search::{fold, Hit, Match};
pub use set::{CatalogSet, ItemFacts};
pub use value::entry_value;
