//! Storage of Quan. One [`Store`] over SQLite (embedded, WAL) and PostgreSQL through sqlx's `Any`
//! driver, with a migration set per backend. Operations here are thin: they load rows, ask
//! `quan-domain` for the decision, and write the result in one transaction together with its
//! ledger transfers and its audit record.
//!
//! Architecture invariants:
//! - every state change and its audit record commit in the same transaction;
//! - money moves only through [`ledger`], whose bounds are enforced in SQL (conditional updates
//!   plus CHECK constraints), so no code path can overspend, whichever process runs it;
//! - this crate knows SQL but not HTTP.

pub mod actor;
pub mod audit;
pub mod db;
pub mod error;
pub mod export;
pub mod idempotency;
pub mod ledger;
pub mod ops;
pub mod rows;

pub use actor::{Actor, Role};
pub use db::{Dialect, Store, StoreOptions, Tx};
pub use error::StoreError;
