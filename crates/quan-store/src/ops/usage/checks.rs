//! Phase 1 of ingestion, pure: each record's own checks (id, times, quantity, duplicates inside
//! its batch). No I/O; unit-tested below.
use std::collections::HashSet;

use chrono::{DateTime, Duration, SecondsFormat, Utc};

use super::{
    rejected, UsageInput, UsageItem, UsageResult, FUTURE_SKEW_SECONDS, GPUS_PER_RECORD_MAX,
    GPU_SECONDS_MAX, RECORD_ID_LEN_MAX,
};

/// A record that passed the pure checks.
pub(super) struct Cand<'a> {
    pub idx: usize,
    pub rec: &'a UsageInput,
    pub started_at: String,
    pub ended_at: String,
    pub end_date: String,
}
pub(super) fn parse_ts(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s.trim())
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

/// The platform's text policy (`quan_domain::check_text`) on every text field of a record.
fn text_policy(rec: &UsageInput) -> Option<quan_domain::ValidationError> {
    let fields = [
        ("record_id", Some(rec.record_id.as_str())),
        ("product_id", Some(rec.product_id.as_str())),
        ("enterprise_id", Some(rec.enterprise_id.as_str())),
        ("started_at", Some(rec.started_at.as_str())),
        ("ended_at", Some(rec.ended_at.as_str())),
        ("voucher_id", rec.voucher_id.as_deref()),
    ];
    fields.iter().find_map(|(f, v)| {
        v.and_then(|v| quan_domain::check_text(f, v, quan_domain::TextKind::Line).err())
    })
}

/// A record's quantity on its own: `gpu_seconds` or `quantity`, not both, more than 0; GPU
/// time plausible for the span (at most 1,024 GPUs). The unit's own limits come with the
/// product (`ingest::metered_quantity`). `Some((message, absurd))` when it fails.
fn quantity_problem(rec: &UsageInput, span: i64) -> Option<(String, bool)> {
    match rec.quantity {
        Some(_) if rec.gpu_seconds != 0 => Some((
            "quantity: give gpu_seconds or quantity, not both".into(),
            true,
        )),
        Some(q) if q <= 0 => Some(("quantity: must be more than 0".into(), q < 0)),
        Some(_) => None,
        None if rec.gpu_seconds == 0 => Some(("gpu_seconds: must be more than 0".into(), false)),
        None if rec.gpu_seconds < 0
            || rec.gpu_seconds > GPU_SECONDS_MAX
            || rec.gpu_seconds as i128 > span as i128 * GPUS_PER_RECORD_MAX as i128 =>
        {
            Some((
                format!("gpu_seconds: {} is not plausible for {span} s (at most {GPUS_PER_RECORD_MAX} GPUs and {GPU_SECONDS_MAX} GPU-seconds per record)", rec.gpu_seconds),
                true,
            ))
        }
        None => None,
    }
}

fn fmt_ts(d: &DateTime<Utc>) -> String {
    d.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}
/// Checks every record of a group on its own. `part_of[i]` is the batch of record `i` (a
/// record id may repeat across batches, not within one). Returns the rejections, by record, and
/// the records that passed.
pub(super) fn check_records<'a>(
    items: &[&'a UsageItem],
    part_of: &[usize],
    now: DateTime<Utc>,
) -> (Vec<Option<UsageResult>>, Vec<Cand<'a>>) {
    let future_limit = now + Duration::seconds(FUTURE_SKEW_SECONDS);
    let mut results: Vec<Option<UsageResult>> = vec![None; items.len()];
    let mut cands: Vec<Cand> = Vec::with_capacity(items.len());
    let mut seen: HashSet<(usize, &str)> = HashSet::with_capacity(items.len());
    for (idx, &item) in items.iter().enumerate() {
        let rec = match item {
            UsageItem::Malformed { record_id, message } => {
                results[idx] = Some(rejected(record_id, "invalid_record", message.clone()));
                continue;
            }
            UsageItem::Record(r) => r,
        };
        let rid = rec.record_id.as_str();
        let reject = |reason: &'static str, msg: String| Some(rejected(rid, reason, msg));
        if let Some(e) = text_policy(rec) {
            results[idx] = reject("invalid_text", e.message);
            continue;
        }
        if rid.trim().is_empty()
            || rid.len() > RECORD_ID_LEN_MAX
            || rid.chars().any(|c| c.is_control())
        {
            results[idx] = reject(
                "invalid_record",
                format!("record_id: must be 1 to {RECORD_ID_LEN_MAX} printable characters"),
            );
            continue;
        }
        if !seen.insert((part_of[idx], rid)) {
            results[idx] = reject(
                "duplicate_in_batch",
                format!(
                    "record_id: {rid} appears more than once in this batch; the first one counts"
                ),
            );
            continue;
        }
        let (Some(start), Some(end)) = (parse_ts(&rec.started_at), parse_ts(&rec.ended_at)) else {
            results[idx] = reject(
                "invalid_time",
                "started_at, ended_at: must be RFC 3339 timestamps like 2026-06-01T08:00:00Z"
                    .into(),
            );
            continue;
        };
        if end < start {
            results[idx] = reject(
                "end_before_start",
                format!(
                    "ended_at: {} is before started_at {}",
                    rec.ended_at, rec.started_at
                ),
            );
            continue;
        }
        if end > future_limit {
            results[idx] = reject(
                "in_future",
                format!("ended_at: {} is in the future", rec.ended_at),
            );
            continue;
        }
        if let Some(msg) = quantity_problem(rec, (end - start).num_seconds()) {
            let reason = if msg.1 {
                "quantity_absurd"
            } else {
                "quantity_zero"
            };
            results[idx] = reject(reason, msg.0);
            continue;
        }
        let end_date = end.date_naive().to_string();
        cands.push(Cand {
            idx,
            rec,
            started_at: fmt_ts(&start),
            ended_at: fmt_ts(&end),
            end_date,
        });
    }
    (results, cands)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(id: &str, start: &str, end: &str, gpu_seconds: i64) -> UsageItem {
        UsageItem::Record(UsageInput {
            record_id: id.into(),
            product_id: "p".into(),
            enterprise_id: "e".into(),
            started_at: start.into(),
            ended_at: end.into(),
            gpu_seconds,
            quantity: None,
            voucher_id: None,
        })
    }

    #[test]
    fn each_record_is_judged_on_its_own() {
        let now = parse_ts("2026-06-01T12:00:00Z").unwrap();
        let items = [
            rec("ok", "2026-06-01T08:00:00Z", "2026-06-01T09:00:00Z", 3600),
            rec("ok", "2026-06-01T08:00:00Z", "2026-06-01T09:00:00Z", 3600),
            rec(
                "ok",
                "2026-06-01T08:00:00+08:00",
                "2026-06-01T09:00:00+08:00",
                60,
            ),
            rec("back", "2026-06-01T09:00:00Z", "2026-06-01T08:00:00Z", 60),
            rec("late", "2026-06-01T12:00:00Z", "2026-06-01T12:06:00Z", 60),
            rec("skew", "2026-06-01T12:00:00Z", "2026-06-01T12:04:00Z", 60),
            rec("zero", "2026-06-01T08:00:00Z", "2026-06-01T09:00:00Z", 0),
            rec(
                "big",
                "2026-06-01T08:00:00Z",
                "2026-06-01T09:00:00Z",
                3600 * 1025,
            ),
            rec("", "2026-06-01T08:00:00Z", "2026-06-01T09:00:00Z", 60),
            rec("time", "yesterday", "2026-06-01T09:00:00Z", 60),
        ];
        let refs: Vec<&UsageItem> = items.iter().collect();
        // Record 2 is in a second batch: the same id there is not a duplicate *in its batch*.
        let part_of = [0, 0, 1, 1, 1, 1, 1, 1, 1, 1];
        let (results, cands) = check_records(&refs, &part_of, now);
        let reason = |i: usize| results[i].as_ref().and_then(|r| r.reason.clone());
        assert_eq!(
            cands.iter().map(|c| c.idx).collect::<Vec<_>>(),
            vec![0, 2, 5]
        );
        assert_eq!(
            cands[1].ended_at, "2026-06-01T01:00:00Z",
            "normalised to UTC"
        );
        assert_eq!(cands[1].end_date, "2026-06-01");
        for (i, want) in [
            (1, "duplicate_in_batch"),
            (3, "end_before_start"),
            (4, "in_future"),
            (6, "quantity_zero"),
            (7, "quantity_absurd"),
            (8, "invalid_record"),
            (9, "invalid_time"),
        ] {
            assert_eq!(reason(i).as_deref(), Some(want), "record {i}");
        }
    }
}
