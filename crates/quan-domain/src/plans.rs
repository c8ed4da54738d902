//! Plan functions: each takes the facts an operation loaded (typed, under its locks) and
//! decides — the postings, the rows' new values, or a [`Refusal`](crate::Refusal) naming the
//! rule. No I/O and no clock: "today" is a fact. The store writes what a plan returns.

pub mod closing;
pub mod grant;
pub mod milestone;
pub mod program;
pub mod redemption;
pub mod settlement;
pub mod usage;
pub mod voucher;

pub use closing::*;
pub use grant::*;
pub use milestone::*;
pub use program::*;
pub use redemption::*;
pub use settlement::*;
pub use usage::*;
pub use voucher::*;

#[cfg(test)]
mod tests;
