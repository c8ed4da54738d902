//! Metered computing-power vouchers: the records as suppliers send them, their parsers, and
//! (in submodules) the ingestion engine (`ingest`) and the usage list and hub view (`views`).
//! Group commit on top of the engine lives in `super::usage_writer`.
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

mod checks;
mod ingest;
mod views;

pub use ingest::{check_sender, ingest, ingest_group, BatchPart};
pub use views::{
    USAGE_SORTS,
    list, summary, EnterpriseUsage, HubUsage, ProductUsage, UsageFigures, UsageQuery, UsageRecord,
    UsageSummary,
};

/// Most records in one batch.
pub const BATCH_RECORDS_MAX: usize = 10_000;
/// A single record may not claim more GPU-seconds than this (about 31 GPU-years).
pub const GPU_SECONDS_MAX: i64 = 1_000_000_000;
/// A single record may not claim more GPUs than this at once (gpu_seconds ≤ duration × this).
pub const GPUS_PER_RECORD_MAX: i64 = 1024;
/// Clock skew tolerated between a hub and the platform.
pub const FUTURE_SKEW_SECONDS: i64 = 300;
/// Longest record_id.
pub const RECORD_ID_LEN_MAX: usize = 128;

/// One usage record as a compute supplier sends it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct UsageInput {
    /// Unique per supplier; a resend with the same id counts once.
    pub record_id: String,
    pub product_id: String,
    pub enterprise_id: String,
    /// RFC 3339.
    pub started_at: String,
    /// RFC 3339; the price and the voucher's validity are taken at this moment.
    pub ended_at: String,
    pub gpu_seconds: i64,
    /// Optional: otherwise the enterprise's valid compute voucher whose program lists the
    /// product, oldest expiry first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voucher_id: Option<String>,
}

/// A batch element: a record, or an element that could not be read as one.
#[derive(Debug, Clone)]
pub enum UsageItem {
    Record(UsageInput),
    Malformed { record_id: String, message: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum UsageStatus {
    Accepted,
    Duplicate,
    Rejected,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UsageResult {
    pub record_id: String,
    pub status: UsageStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount_fen: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subsidy_fen: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voucher_id: Option<String>,
    /// Rejection code: invalid_record, duplicate_in_batch, invalid_time, end_before_start,
    /// in_future, quantity_zero, quantity_absurd, unknown_product, other_supplier_product,
    /// product_not_eligible, unknown_enterprise, dishonest, voucher_not_owned, no_valid_voucher.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UsageBatchResult {
    pub batch_id: String,
    pub accepted: i64,
    pub duplicates: i64,
    pub rejected: i64,
    /// Sum of amounts of the records accepted by this batch.
    pub amount_fen: i64,
    /// Sum of subsidies drawn from vouchers by this batch.
    pub subsidy_fen: i64,
    /// One per input record, in input order.
    pub results: Vec<UsageResult>,
}

pub(crate) fn rejected(
    record_id: &str,
    reason: &'static str,
    message: impl Into<String>,
) -> UsageResult {
    UsageResult {
        record_id: record_id.to_string(),
        status: UsageStatus::Rejected,
        amount_fen: None,
        subsidy_fen: None,
        voucher_id: None,
        reason: Some(reason.to_string()),
        message: Some(message.into()),
    }
}

/// Parses a JSON array of records. Well-formed batches take the fast path; otherwise each
/// element is read on its own so one bad element rejects only itself.
pub fn parse_json_array(bytes: &[u8]) -> std::result::Result<Vec<UsageItem>, String> {
    if let Ok(v) = serde_json::from_slice::<Vec<UsageInput>>(bytes) {
        return Ok(v.into_iter().map(UsageItem::Record).collect());
    }
    let values: Vec<serde_json::Value> = serde_json::from_slice(bytes)
        .map_err(|e| format!("body: not a JSON array of usage records: {e}"))?;
    Ok(values.into_iter().map(item_from_value).collect())
}

/// Parses NDJSON (one record per non-empty line).
pub fn parse_ndjson(bytes: &[u8]) -> Vec<UsageItem> {
    let mut out = Vec::new();
    for (n, line) in bytes.split(|b| *b == b'\n').enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.iter().all(|b| b.is_ascii_whitespace()) {
            continue;
        }
        match serde_json::from_slice::<UsageInput>(line) {
            Ok(r) => out.push(UsageItem::Record(r)),
            Err(e) => match serde_json::from_slice::<serde_json::Value>(line) {
                Ok(v) => out.push(item_from_value(v)),
                Err(_) => out.push(UsageItem::Malformed {
                    record_id: String::new(),
                    message: format!("line {}: not JSON: {e}", n + 1),
                }),
            },
        }
    }
    out
}

fn item_from_value(v: serde_json::Value) -> UsageItem {
    let rid = v
        .get("record_id")
        .and_then(|x| x.as_str())
        .unwrap_or("")
        .to_string();
    match serde_json::from_value::<UsageInput>(v) {
        Ok(r) => UsageItem::Record(r),
        Err(e) => UsageItem::Malformed {
            record_id: rid,
            message: format!("not a usage record: {e}"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ndjson() {
        let body = b"{\"record_id\":\"a\",\"product_id\":\"p\",\"enterprise_id\":\"e\",\"started_at\":\"2026-01-01T00:00:00Z\",\"ended_at\":\"2026-01-01T01:00:00Z\",\"gpu_seconds\":3600}\n\n{\"record_id\":\"b\",\"gpu_seconds\":\"x\"}\nnot json\n";
        let items = parse_ndjson(body);
        assert_eq!(items.len(), 3);
        assert!(matches!(&items[0], UsageItem::Record(r) if r.record_id == "a"));
        assert!(matches!(&items[1], UsageItem::Malformed { record_id, .. } if record_id == "b"));
        assert!(matches!(&items[2], UsageItem::Malformed { .. }));
    }
}
