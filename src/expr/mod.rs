//! The expression language, as a pipeline: [`jsonlogic`] and [`text`] parse to the [`ast`]; [`compile`]
//! checks and resolves it into a [`program`]; [`eval`] runs it. [`ops`] holds the operators and [`types`]
//! the static types used for checking paths.

#[cfg(feature = "compiler")]
pub mod ast;
#[cfg(feature = "compiler")]
pub mod compile;
pub mod error;
pub mod eval;
#[cfg(feature = "compiler")]
pub mod jsonlogic;
pub mod ops;
pub mod pattern;
#[cfg(feature = "compiler")]
pub mod pattern_build;
pub mod program;
pub mod projection;
pub mod reads;
#[cfg(feature = "compiler")]
pub mod text;
pub mod types;

#[cfg(feature = "compiler")]
pub use ast::Node;
#[cfg(feature = "compiler")]
pub use compile::{compile, Env, OpenEnv, Resolved};
pub use error::{CompileError, EvalError};
pub use eval::{Budget, SlotValue};
pub use program::Expr;
pub use reads::Reads;
pub use types::Ty;
