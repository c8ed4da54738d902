//! The handlers, one module per area. The router that mounts them is in `crate::app`.
pub mod admin;
pub mod applications;
pub mod catalogue;
pub mod compute;
pub mod data;
pub mod enterprises;
pub mod integrity;
pub mod money;
pub mod payouts;
pub mod programs;
pub mod public;
pub mod selection;
pub mod session;
pub mod targets;
pub mod usage;

/// Largest JSON body accepted, except usage uploads.
pub const BODY_LIMIT_BYTES: usize = 256 * 1024;
/// Usage batches (NDJSON or JSON array) may be larger.
pub const USAGE_BODY_LIMIT_BYTES: usize = 16 * 1024 * 1024;
