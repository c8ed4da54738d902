//! Decoders of what clients send besides single JSON bodies: usage batches as JSON arrays,
//! NDJSON or CSV. Pure: bytes in, records (or per-record refusals) out.
pub mod usage_csv;
pub mod usage_json;

pub use usage_json::{parse_json_array, parse_ndjson};
