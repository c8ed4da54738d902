//! Metered computing-power vouchers: the records as suppliers send them, their parsers, and
//! (in submodules) the ingestion engine (`ingest`) and the usage list and hub view (`views`).
//! Group commit on top of the engine lives in `super::usage_writer`.
pub use quan_domain::inputs::{UsageInput, UsageItem};
pub use quan_domain::views::{UsageBatchResult, UsageResult, UsageStatus};

mod checks;
mod ingest;
pub mod rollups;
pub mod signatures;
mod views;

pub use ingest::{check_sender, ingest, ingest_group, BatchPart};
pub use views::{
    list, summary, EnterpriseUsage, HubUsage, ProductUsage, UsageFigures, UsageQuery, UsageRecord,
    UsageSummary, USAGE_SORTS,
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
