//! The lowest layer: text as such. The languages, folding for matching; the formats of
//! numbers and dates and the escaping of user text are in `crate::format`, the same layer.

mod fold;
mod lang;

pub use fold::fold;
pub use lang::Lang;
