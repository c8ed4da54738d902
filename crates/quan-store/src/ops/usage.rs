//! Metered computing-power vouchers: the usage ingestion engine, the usage list and the hub view.
//!
//! A batch of usage records is handled in ONE transaction, set-based:
//! 1. pure checks of every record (times, quantity, duplicates inside the batch);
//! 2. reference data for the whole batch in a handful of `IN (…)` queries (products, the compute
//!    programs that list them, enterprises, vouchers);
//! 3. locks in the global order used everywhere (yearly-cap rows → voucher accounts → the
//!    supplier's payable account → audit head), each class sorted, so concurrent batches and
//!    invoice redemptions from several server processes queue instead of deadlocking, and
//!    balances are read only under those locks;
//! 4. deduplication against committed records by (supplier_id, record_id);
//! 5. rating in memory (pure: `rate_usage`, `quote_subsidy`);
//! 6. multi-row writes: usage rows (`ON CONFLICT DO NOTHING RETURNING`, which also detects a
//!    concurrent sender that slipped in between; the batch is then retried), one aggregated
//!    ledger transfer per voucher (`usage:<batch>:<voucher>`, code `usage`), aggregated cap
//!    updates, one audit record per batch.
//!
//! The caller commits; a record is acknowledged only after that commit.
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::{DateTime, Datelike, Duration, SecondsFormat, Utc};
use quan_domain::{quote_subsidy, rate_usage, Money, Rate};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::Row;
use utoipa::ToSchema;

use super::rowset::{self, Val};
use super::{fetch_page, Arg, Filter, Now, PageReq};
use crate::audit;
use crate::db::Tx;
use crate::error::{Result, StoreError};
use crate::ledger;
use crate::rows::Page;
use crate::{Actor, Role, Store};

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

fn rejected(record_id: &str, reason: &'static str, message: impl Into<String>) -> UsageResult {
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

/// A record that passed the pure checks.
struct Cand<'a> {
    idx: usize,
    rec: &'a UsageInput,
    started_at: String,
    ended_at: String,
    end_date: String,
}

struct ProductRef {
    supplier_id: String,
    kind: String,
    city_code: Option<String>,
    price: Option<i64>,
}

#[derive(Clone)]
struct ProgramRef {
    rate_bps: i64,
    year: i64,
    cap_fen: i64,
}

struct VoucherRef {
    program_id: String,
    enterprise_id: String,
    voucher_type: String,
    valid_from: String,
    valid_until: String,
    status: String,
}

/// A concurrent batch inserted one of our records first (PostgreSQL, several processes).
/// Reported as a serialization failure so `in_tx!` runs the whole batch again; the rerun sees
/// the committed record and answers `duplicate`.
#[derive(Debug)]
struct ConcurrentRecord;

impl std::fmt::Display for ConcurrentRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a usage record of this batch was inserted concurrently; retry the batch")
    }
}
impl std::error::Error for ConcurrentRecord {}
impl sqlx::error::DatabaseError for ConcurrentRecord {
    fn message(&self) -> &str {
        "a usage record of this batch was inserted concurrently; retry the batch"
    }
    fn code(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed("40001"))
    }
    fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        self
    }
    fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
        self
    }
    fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
        self
    }
    fn kind(&self) -> sqlx::error::ErrorKind {
        sqlx::error::ErrorKind::Other
    }
}

fn is_postgres(tx: &mut Tx) -> bool {
    (**tx)
        .backend_name()
        .to_ascii_lowercase()
        .contains("postgres")
}

/// Runs `SELECT {cols} FROM {from} WHERE {col} IN (ids) {tail}`, in chunks. `ids` must be sorted
/// when `tail` takes locks, so that locks are taken in the global order.
async fn select_in(
    tx: &mut Tx,
    pg: bool,
    cols: &str,
    from: &str,
    col: &str,
    ids: &[&str],
    tail: &str,
) -> Result<Vec<sqlx::any::AnyRow>> {
    let mut out = Vec::new();
    let mut at = 0;
    for n in rowset::chunks(ids.len(), 1) {
        let sql = format!(
            "SELECT {cols} FROM {from} WHERE {col} IN ({}){tail}",
            rowset::in_list(pg, n, 1)
        );
        let q = rowset::bind_all(
            sqlx::query(&sql),
            ids[at..at + n].iter().map(|s| Val::Text(s)),
        );
        out.extend(q.fetch_all(&mut **tx).await?);
        at += n;
    }
    Ok(out)
}

/// Runs a statement over `rows` in chunks; `make_sql` gets the chunk's derived table
/// `(SELECT column1 AS c0, …)` (or, with `plain_values`, the bare `(…), (…)` list). Returns the
/// rows affected (or returned, with `returning`).
async fn exec_rows<const N: usize>(
    tx: &mut Tx,
    pg: bool,
    rows: &[[Val<'_>; N]],
    plain_values: bool,
    returning: bool,
    make_sql: impl Fn(&str) -> String,
) -> Result<u64> {
    let mut total = 0u64;
    let mut at = 0;
    for n in rowset::chunks(rows.len(), N) {
        let src = if plain_values {
            rowset::placeholders(pg, n, N, 1)
        } else {
            rowset::values_table(pg, n, N, 1)
        };
        let sql = make_sql(&src);
        let q = rowset::bind_all(
            sqlx::query(&sql),
            rows[at..at + n].iter().flat_map(|r| r.iter().copied()),
        );
        total += if returning {
            q.fetch_all(&mut **tx).await?.len() as u64
        } else {
            q.execute(&mut **tx).await?.rows_affected()
        };
        at += n;
    }
    Ok(total)
}

fn parse_ts(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s.trim())
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

fn fmt_ts(d: &DateTime<Utc>) -> String {
    d.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// One sender's batch within a group committed together.
#[derive(Clone, Copy)]
pub struct BatchPart<'a> {
    pub actor: &'a Actor,
    pub batch_id: &'a str,
    pub items: &'a [UsageItem],
}

/// May `actor` send usage for `supplier_id`, and is the batch small enough? Pure, so a
/// group-commit writer can refuse a batch before it joins a group.
pub fn check_sender(actor: &Actor, supplier_id: &str, records: usize) -> Result<()> {
    match actor.role {
        Role::Admin => {}
        Role::Supplier if actor.supplier_id.as_deref() == Some(supplier_id) => {}
        Role::Supplier => {
            return Err(StoreError::forbidden(
                "a supplier may send usage only for its own products",
            ))
        }
        _ => {
            return Err(StoreError::forbidden(
                "only a compute supplier or an administrator may send usage",
            ))
        }
    }
    if records > BATCH_RECORDS_MAX {
        return Err(quan_domain::ValidationError::new(
            "records",
            "batch_too_large",
            format!("records: at most {BATCH_RECORDS_MAX} records per batch, got {records}"),
        )
        .into());
    }
    Ok(())
}

/// Ingests one batch for `supplier_id` inside the caller's transaction. Never fails because of
/// a bad record (those are rejected one by one); fails only on database errors, an unknown
/// supplier or a forbidden actor.
pub async fn ingest(
    tx: &mut Tx,
    actor: &Actor,
    supplier_id: &str,
    batch_id: &str,
    items: &[UsageItem],
    now: &Now,
) -> Result<UsageBatchResult> {
    let part = BatchPart {
        actor,
        batch_id,
        items,
    };
    let mut out = ingest_group(tx, supplier_id, &[part], now).await?;
    Ok(out.pop().expect("one result per part"))
}

/// Ingests several batches of one supplier in the caller's transaction, with the answers each
/// would get if they were ingested one after another: reference data, locks, voucher debits and
/// cap updates are shared, while each batch keeps its own records, transfers (`usage:<batch>:
/// <voucher>`) and audit record. Batches that share a record id go in separate rounds, so the
/// later copy sees the earlier one as committed.
pub async fn ingest_group(
    tx: &mut Tx,
    supplier_id: &str,
    parts: &[BatchPart<'_>],
    now: &Now,
) -> Result<Vec<UsageBatchResult>> {
    for p in parts {
        check_sender(p.actor, supplier_id, p.items.len())?;
    }
    let mut out: Vec<Option<UsageBatchResult>> = vec![None; parts.len()];
    let mut pending: Vec<usize> = (0..parts.len()).collect();
    while !pending.is_empty() {
        // A round: parts whose record ids do not meet, in order; the rest wait for the next.
        let mut ids: HashSet<&str> = HashSet::new();
        let mut round = Vec::new();
        let mut later = Vec::new();
        for &k in &pending {
            let mine: Vec<&str> = parts[k].items.iter().filter_map(item_record_id).collect();
            if later.is_empty() && mine.iter().all(|r| !ids.contains(r)) {
                ids.extend(mine);
                round.push(k);
            } else {
                later.push(k);
            }
        }
        let round_parts: Vec<BatchPart> = round.iter().map(|&k| parts[k]).collect();
        for (k, r) in round
            .iter()
            .zip(ingest_round(tx, supplier_id, &round_parts, now).await?)
        {
            out[*k] = Some(r);
        }
        pending = later;
    }
    Ok(out.into_iter().map(|r| r.expect("every part ran")).collect())
}

fn item_record_id(item: &UsageItem) -> Option<&str> {
    match item {
        UsageItem::Record(r) => Some(r.record_id.as_str()),
        UsageItem::Malformed { .. } => None,
    }
}

/// One round of [`ingest_group`]: parts whose record ids are disjoint.
async fn ingest_round(
    tx: &mut Tx,
    supplier_id: &str,
    parts: &[BatchPart<'_>],
    now: &Now,
) -> Result<Vec<UsageBatchResult>> {
    // Records are numbered across the parts; `part_of[i]` says whose record `i` is.
    let items: Vec<&UsageItem> = parts.iter().flat_map(|p| p.items.iter()).collect();
    let part_of: Vec<usize> = parts
        .iter()
        .enumerate()
        .flat_map(|(k, p)| std::iter::repeat(k).take(p.items.len()))
        .collect();
    let pg = is_postgres(tx);
    let mut __prof = Prof::new();
    let now_dt = parse_ts(&now.ts).unwrap_or_else(Utc::now);
    let future_limit = now_dt + Duration::seconds(FUTURE_SKEW_SECONDS);
    let mut results: Vec<Option<UsageResult>> = vec![None; items.len()];

    // 1. Pure checks.
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
        if rec.gpu_seconds == 0 {
            results[idx] = reject("quantity_zero", "gpu_seconds: must be more than 0".into());
            continue;
        }
        let span = (end - start).num_seconds();
        if rec.gpu_seconds < 0
            || rec.gpu_seconds > GPU_SECONDS_MAX
            || rec.gpu_seconds as i128 > span as i128 * GPUS_PER_RECORD_MAX as i128
        {
            results[idx] = reject(
                "quantity_absurd",
                format!("gpu_seconds: {} is not plausible for {span} s (at most {GPUS_PER_RECORD_MAX} GPUs and {GPU_SECONDS_MAX} GPU-seconds per record)", rec.gpu_seconds),
            );
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

    __prof.mark("pure");
    // 2. Reference data, set-based.
    let supplier = sqlx::query("SELECT dishonest FROM suppliers WHERE id = $1")
        .bind(supplier_id)
        .fetch_optional(&mut **tx)
        .await?;
    let supplier_dishonest = match supplier {
        Some(r) => r.try_get::<i64, _>(0)? != 0,
        None => {
            return Err(quan_domain::ValidationError::new(
                "supplier_id",
                "not_found",
                format!("supplier_id: no supplier {supplier_id}"),
            )
            .into())
        }
    };
    let product_ids: Vec<&str> = cands
        .iter()
        .map(|c| c.rec.product_id.as_str())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let enterprise_ids: Vec<&str> = cands
        .iter()
        .map(|c| c.rec.enterprise_id.as_str())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let explicit_ids: Vec<&str> = cands
        .iter()
        .filter_map(|c| c.rec.voucher_id.as_deref())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();

    let mut products: HashMap<String, ProductRef> = HashMap::new();
    if !product_ids.is_empty() {
        for r in select_in(
            tx,
            pg,
            "id, supplier_id, kind, city_code, price_per_gpu_hour_fen",
            "products",
            "id",
            &product_ids,
            "",
        )
        .await?
        {
            products.insert(
                r.try_get(0)?,
                ProductRef {
                    supplier_id: r.try_get(1)?,
                    kind: r.try_get(2)?,
                    city_code: r.try_get(3)?,
                    price: r.try_get(4)?,
                },
            );
        }
    }
    // product → compute programs listing it.
    let mut listing: HashMap<String, Vec<String>> = HashMap::new();
    let mut programs: HashMap<String, ProgramRef> = HashMap::new();
    if !product_ids.is_empty() {
        let rows = select_in(
            tx,
            pg,
            "ep.product_id, p.id, p.rate_bps, p.year, p.enterprise_year_cap_fen",
            "eligible_products ep JOIN programs p ON p.id = ep.program_id",
            "ep.product_id",
            &product_ids,
            " AND p.voucher_type = 'compute'",
        )
        .await?;
        for r in rows {
            let (prod, prog): (String, String) = (r.try_get(0)?, r.try_get(1)?);
            programs.insert(
                prog.clone(),
                ProgramRef {
                    rate_bps: r.try_get(2)?,
                    year: r.try_get(3)?,
                    cap_fen: r.try_get(4)?,
                },
            );
            listing.entry(prod).or_default().push(prog);
        }
    }
    let mut enterprises: HashMap<String, bool> = HashMap::new();
    if !enterprise_ids.is_empty() {
        for r in select_in(
            tx,
            pg,
            "id, dishonest",
            "enterprises",
            "id",
            &enterprise_ids,
            "",
        )
        .await?
        {
            enterprises.insert(r.try_get(0)?, r.try_get::<i64, _>(1)? != 0);
        }
    }
    let mut vouchers: HashMap<String, VoucherRef> = HashMap::new();
    let voucher_cols =
        "id, program_id, enterprise_id, voucher_type, valid_from, valid_until, status";
    let mut voucher_rows = Vec::new();
    if !enterprise_ids.is_empty() {
        voucher_rows.extend(
            select_in(
                tx,
                pg,
                voucher_cols,
                "vouchers",
                "enterprise_id",
                &enterprise_ids,
                " AND voucher_type = 'compute' AND status = 'active'",
            )
            .await?,
        );
    }
    if !explicit_ids.is_empty() {
        voucher_rows
            .extend(select_in(tx, pg, voucher_cols, "vouchers", "id", &explicit_ids, "").await?);
    }
    for r in voucher_rows {
        let id: String = r.try_get(0)?;
        vouchers.entry(id).or_insert(VoucherRef {
            program_id: r.try_get(1)?,
            enterprise_id: r.try_get(2)?,
            voucher_type: r.try_get(3)?,
            valid_from: r.try_get(4)?,
            valid_until: r.try_get(5)?,
            status: r.try_get(6)?,
        });
    }
    // enterprise → its active compute vouchers, oldest expiry first.
    let mut by_enterprise: HashMap<&str, Vec<&str>> = HashMap::new();
    for (id, v) in &vouchers {
        if v.voucher_type == "compute" && v.status == "active" {
            by_enterprise
                .entry(v.enterprise_id.as_str())
                .or_default()
                .push(id.as_str());
        }
    }
    for list in by_enterprise.values_mut() {
        list.sort_by(|a, b| {
            (vouchers[*a].valid_until.as_str(), *a).cmp(&(vouchers[*b].valid_until.as_str(), *b))
        });
    }

    // Resolve each candidate to the vouchers it may draw on.
    struct Resolved<'a> {
        cand: Cand<'a>,
        price: i64,
        city_code: Option<String>,
        options: Vec<String>,
    }
    let mut resolved: Vec<Resolved> = Vec::with_capacity(cands.len());
    for c in cands {
        let rid = c.rec.record_id.as_str();
        let Some(p) = products.get(&c.rec.product_id) else {
            results[c.idx] = Some(rejected(
                rid,
                "unknown_product",
                format!("product_id: no product {}", c.rec.product_id),
            ));
            continue;
        };
        if p.supplier_id != supplier_id {
            results[c.idx] = Some(rejected(
                rid,
                "other_supplier_product",
                format!(
                    "product_id: {} belongs to another supplier",
                    c.rec.product_id
                ),
            ));
            continue;
        }
        let price = match (p.kind.as_str(), p.price) {
            ("compute", Some(price)) if price > 0 => price,
            _ => {
                results[c.idx] = Some(rejected(
                    rid,
                    "product_not_eligible",
                    format!(
                        "product_id: {} is not a metered compute product",
                        c.rec.product_id
                    ),
                ));
                continue;
            }
        };
        let Some(&ent_dishonest) = enterprises.get(&c.rec.enterprise_id) else {
            results[c.idx] = Some(rejected(
                rid,
                "unknown_enterprise",
                format!("enterprise_id: no enterprise {}", c.rec.enterprise_id),
            ));
            continue;
        };
        if ent_dishonest || supplier_dishonest {
            results[c.idx] = Some(rejected(
                rid,
                "dishonest",
                "a party to this record is on the dishonesty list",
            ));
            continue;
        }
        let listed: &[String] = listing
            .get(&c.rec.product_id)
            .map(|v| v.as_slice())
            .unwrap_or(&[]);
        let valid_at = |v: &VoucherRef| {
            v.status == "active"
                && v.voucher_type == "compute"
                && v.valid_from <= c.end_date
                && c.end_date <= v.valid_until
        };
        let options: Vec<String> = match c.rec.voucher_id.as_deref() {
            Some(vid) => {
                let Some(v) = vouchers
                    .get(vid)
                    .filter(|v| v.enterprise_id == c.rec.enterprise_id)
                else {
                    results[c.idx] = Some(rejected(
                        rid,
                        "voucher_not_owned",
                        format!(
                            "voucher_id: {vid} is not a voucher of enterprise {}",
                            c.rec.enterprise_id
                        ),
                    ));
                    continue;
                };
                if !valid_at(v) {
                    results[c.idx] = Some(rejected(
                        rid,
                        "no_valid_voucher",
                        format!(
                            "voucher_id: {vid} is not an active compute voucher valid on {}",
                            c.end_date
                        ),
                    ));
                    continue;
                }
                if !listed.contains(&v.program_id) {
                    results[c.idx] = Some(rejected(
                        rid,
                        "product_not_eligible",
                        format!(
                            "product_id: {} is not on the selected list of voucher {vid}'s program",
                            c.rec.product_id
                        ),
                    ));
                    continue;
                }
                vec![vid.to_string()]
            }
            None => {
                let valid: Vec<&str> = by_enterprise
                    .get(c.rec.enterprise_id.as_str())
                    .map(|l| {
                        l.iter()
                            .copied()
                            .filter(|id| valid_at(&vouchers[*id]))
                            .collect()
                    })
                    .unwrap_or_default();
                if valid.is_empty() {
                    let reason = if listed.is_empty() {
                        "product_not_eligible"
                    } else {
                        "no_valid_voucher"
                    };
                    let msg = if listed.is_empty() {
                        format!(
                            "product_id: {} is not on any computing-power program's selected list",
                            c.rec.product_id
                        )
                    } else {
                        format!(
                            "enterprise_id: {} holds no active compute voucher valid on {}",
                            c.rec.enterprise_id, c.end_date
                        )
                    };
                    results[c.idx] = Some(rejected(rid, reason, msg));
                    continue;
                }
                let eligible: Vec<String> = valid
                    .iter()
                    .filter(|id| listed.contains(&vouchers[**id].program_id))
                    .map(|s| s.to_string())
                    .collect();
                if eligible.is_empty() {
                    results[c.idx] = Some(rejected(rid, "product_not_eligible", format!("product_id: {} is not on the selected list of the enterprise's compute vouchers", c.rec.product_id)));
                    continue;
                }
                eligible
            }
        };
        resolved.push(Resolved {
            city_code: p.city_code.clone(),
            price,
            options,
            cand: c,
        });
    }

    __prof.mark("refs");
    // 3. Locks, in the global order: cap rows, voucher accounts, payable account.
    let mut cap_keys: BTreeMap<(String, String, i64), i64> = BTreeMap::new(); // → program cap
    let mut voucher_set: BTreeSet<String> = BTreeSet::new();
    for r in &resolved {
        for vid in &r.options {
            let v = &vouchers[vid];
            let prog = &programs[&v.program_id];
            cap_keys.insert(
                (v.enterprise_id.clone(), v.program_id.clone(), prog.year),
                prog.cap_fen,
            );
            voucher_set.insert(vid.clone());
        }
    }
    let mut cap_left: HashMap<(String, String, i64), i64> = HashMap::new();
    if !cap_keys.is_empty() {
        let rows: Vec<[Val; 5]> = cap_keys
            .iter()
            .map(|((e, p, y), cap)| {
                [
                    Val::Text(e),
                    Val::Text(p),
                    Val::Int(*y),
                    Val::Int(0),
                    Val::Int(*cap),
                ]
            })
            .collect();
        exec_rows(tx, pg, &rows, true, false, |v| {
            format!("INSERT INTO enterprise_year_use (enterprise_id, program_id, year, used_fen, cap_fen) VALUES {v} ON CONFLICT DO NOTHING")
        })
        .await?;
        let ents: Vec<&str> = cap_keys
            .keys()
            .map(|k| k.0.as_str())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let progs: Vec<&str> = cap_keys
            .keys()
            .map(|k| k.1.as_str())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        // Programs are few; they follow the chunk of enterprises in the parameter list.
        let mut cap_rows = Vec::new();
        let mut at = 0;
        for n in rowset::chunks(ents.len(), 1) {
            let sql = format!(
                "SELECT enterprise_id, program_id, year, used_fen FROM enterprise_year_use WHERE enterprise_id IN ({}) AND program_id IN ({}) \
                 ORDER BY enterprise_id, program_id, year{}",
                rowset::in_list(pg, n, 1),
                rowset::in_list(pg, progs.len(), n + 1),
                if pg { " FOR UPDATE" } else { "" }
            );
            let q = rowset::bind_all(
                sqlx::query(&sql),
                ents[at..at + n]
                    .iter()
                    .chain(progs.iter())
                    .map(|s| Val::Text(s)),
            );
            cap_rows.extend(q.fetch_all(&mut **tx).await?);
            at += n;
        }
        for r in cap_rows
        {
            let key: (String, String, i64) = (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?);
            if let Some(cap) = cap_keys.get(&key) {
                let used: i64 = r.try_get(3)?;
                cap_left.insert(key, (cap - used).max(0));
            }
        }
    }
    let mut available: HashMap<String, i64> = HashMap::new();
    if !voucher_set.is_empty() {
        let accts: Vec<String> = voucher_set
            .iter()
            .map(|v| ledger::voucher_account(v))
            .collect();
        let refs: Vec<&str> = accts.iter().map(|s| s.as_str()).collect();
        let tail = if pg {
            " ORDER BY id FOR UPDATE"
        } else {
            " ORDER BY id"
        };
        for r in select_in(
            tx,
            pg,
            "id, balance, debits_pending, may_go_negative",
            "ledger_accounts",
            "id",
            &refs,
            tail,
        )
        .await?
        {
            let id: String = r.try_get(0)?;
            let (bal, dp): (i64, i64) = (r.try_get(1)?, r.try_get(2)?);
            available.insert(id["voucher:".len()..].to_string(), (bal - dp).max(0));
        }
    }
    let payable = ledger::payable_account(supplier_id);
    if !resolved.is_empty() {
        super::lock_account(tx, &payable).await?;
    }

    __prof.mark("locks");
    // 4. Deduplicate against committed records.
    let mut existing: HashSet<String> = HashSet::new();
    if !resolved.is_empty() {
        let ids: Vec<&str> = resolved
            .iter()
            .map(|r| r.cand.rec.record_id.as_str())
            .collect();
        let mut at = 0;
        let mut found = Vec::new();
        for n in rowset::chunks(ids.len(), 1) {
            let sql = format!(
                "SELECT record_id FROM usage_records WHERE supplier_id = {} AND record_id IN ({})",
                if pg { "$1" } else { "?" },
                rowset::in_list(pg, n, 2)
            );
            let q = rowset::bind_all(
                sqlx::query(&sql).bind(supplier_id),
                ids[at..at + n].iter().map(|s| Val::Text(s)),
            );
            found.extend(q.fetch_all(&mut **tx).await?);
            at += n;
        }
        for r in found
        {
            existing.insert(r.try_get(0)?);
        }
    }

    __prof.mark("dedup");
    // 5. Rate in memory, in input order.
    struct Accepted<'a> {
        r: &'a Resolved<'a>,
        voucher_id: &'a str,
        program_id: &'a str,
        amount: i64,
        subsidy: i64,
    }
    let mut accepted: Vec<Accepted> = Vec::with_capacity(resolved.len());
    let mut per_voucher: BTreeMap<&str, i64> = BTreeMap::new();
    // (part, voucher) → subsidy: each batch keeps its own transfers.
    let mut per_part_voucher: BTreeMap<(usize, &str), i64> = BTreeMap::new();
    let mut per_cap: BTreeMap<(String, String, i64), i64> = BTreeMap::new();
    for r in &resolved {
        let rid = r.cand.rec.record_id.as_str();
        if existing.contains(rid) {
            results[r.cand.idx] = Some(UsageResult {
                record_id: rid.to_string(),
                status: UsageStatus::Duplicate,
                amount_fen: None,
                subsidy_fen: None,
                voucher_id: None,
                reason: None,
                message: None,
            });
            continue;
        }
        let amount = match rate_usage(r.cand.rec.gpu_seconds, Money::from_fen(r.price)) {
            Ok(a) => a,
            Err(_) => {
                results[r.cand.idx] = Some(rejected(
                    rid,
                    "quantity_absurd",
                    "gpu_seconds: the amount does not fit in the money range",
                ));
                continue;
            }
        };
        let key_of = |vid: &str| {
            let v = &vouchers[vid];
            (
                v.enterprise_id.clone(),
                v.program_id.clone(),
                programs[&v.program_id].year,
            )
        };
        // Oldest expiry first; skip vouchers (or programs' yearly caps) that are used up.
        let vid: &str = r
            .options
            .iter()
            .find(|vid| {
                available.get(vid.as_str()).copied().unwrap_or(0) > 0
                    && cap_left.get(&key_of(vid)).copied().unwrap_or(0) > 0
            })
            .unwrap_or(&r.options[0]);
        let v = &vouchers[vid];
        let prog = &programs[&v.program_id];
        let rate = Rate::from_bps("rate_bps", prog.rate_bps).map_err(StoreError::from)?;
        let key = key_of(vid);
        let avail = available.get(vid).copied().unwrap_or(0);
        let left = cap_left.get(&key).copied().unwrap_or(0);
        let quote = quote_subsidy(amount, rate, Money::from_fen(avail), Money::from_fen(left));
        let subsidy = quote.subsidy.fen();
        debug_assert!(subsidy >= 0 && subsidy <= avail && subsidy <= left);
        if subsidy > 0 {
            *available.get_mut(vid).expect("locked voucher") -= subsidy;
            *cap_left.get_mut(&key).expect("locked cap") -= subsidy;
            *per_voucher.entry(vid).or_default() += subsidy;
            *per_part_voucher
                .entry((part_of[r.cand.idx], vid))
                .or_default() += subsidy;
            *per_cap.entry(key).or_default() += subsidy;
        }
        accepted.push(Accepted {
            r,
            voucher_id: vid,
            program_id: v.program_id.as_str(),
            amount: amount.fen(),
            subsidy,
        });
    }

    __prof.mark("rate");
    // 6. Writes.
    let subsidy_total: i64 = per_voucher.values().sum();
    if !accepted.is_empty() {
        let rows: Vec<[Val; 14]> = accepted
            .iter()
            .map(|a| {
                let c = &a.r.cand;
                [
                    Val::Text(supplier_id),
                    Val::Text(&c.rec.record_id),
                    Val::Text(&c.rec.product_id),
                    Val::Text(&c.rec.enterprise_id),
                    Val::Text(a.voucher_id),
                    Val::Text(a.program_id),
                    Val::OptText(a.r.city_code.as_deref()),
                    Val::Text(&c.started_at),
                    Val::Text(&c.ended_at),
                    Val::Int(c.rec.gpu_seconds),
                    Val::Int(a.amount),
                    Val::Int(a.subsidy),
                    Val::Text(parts[part_of[c.idx]].batch_id),
                    Val::Text(&now.ts),
                ]
            })
            .collect();
        // Rows affected counts only the rows inserted, on both backends: fewer than sent means a
        // concurrent sender got there first.
        let inserted = exec_rows(tx, pg, &rows, true, false, |v| {
            format!(
                "INSERT INTO usage_records (supplier_id, record_id, product_id, enterprise_id, voucher_id, program_id, city_code, started_at, ended_at, \
                 gpu_seconds, amount_fen, subsidy_fen, batch_id, created_at) VALUES {v} \
                 ON CONFLICT (supplier_id, record_id) DO NOTHING"
            )
        })
        .await? as usize;
        if inserted != rows.len() {
            return Err(StoreError::Db(sqlx::Error::Database(Box::new(
                ConcurrentRecord,
            ))));
        }
        // The vouchers this supplier has drawn on: after the first batch, a probe and no write.
        let pairs: Vec<[Val; 2]> = accepted
            .iter()
            .map(|a| a.voucher_id)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .map(|v| [Val::Text(supplier_id), Val::Text(v)])
            .collect();
        exec_rows(tx, pg, &pairs, true, false, |v| {
            format!("INSERT INTO usage_voucher_suppliers (supplier_id, voucher_id) VALUES {v} ON CONFLICT DO NOTHING")
        })
        .await?;
        for a in &accepted {
            results[a.r.cand.idx] = Some(UsageResult {
                record_id: a.r.cand.rec.record_id.clone(),
                status: UsageStatus::Accepted,
                amount_fen: Some(a.amount),
                subsidy_fen: Some(a.subsidy),
                voucher_id: Some(a.voucher_id.to_string()),
                reason: None,
                message: None,
            });
        }
    }
    __prof.mark("insert");
    if subsidy_total > 0 {
        let accounts: Vec<String> = per_voucher
            .keys()
            .map(|v| ledger::voucher_account(v))
            .collect();
        let moves: Vec<[Val; 2]> = accounts
            .iter()
            .zip(per_voucher.values())
            .map(|(acct, amt)| [Val::Text(acct), Val::Int(*amt)])
            .collect();
        // Voucher debits: conditional UPDATEs; the bound is re-checked in SQL.
        let n = exec_rows(tx, pg, &moves, false, false, |v| {
            format!(
                "UPDATE ledger_accounts SET balance = balance - v.c1 FROM {v} AS v \
                 WHERE ledger_accounts.id = v.c0 AND (ledger_accounts.may_go_negative = 1 OR ledger_accounts.balance - ledger_accounts.debits_pending >= v.c1)"
            )
        })
        .await?;
        if n != moves.len() as u64 {
            return Err(StoreError::Corrupt(format!(
                "usage batch {}: {} of {} voucher debits exceeded the balance",
                parts[0].batch_id,
                moves.len() as u64 - n,
                moves.len()
            )));
        }
        let transfers: Vec<(String, String, i64)> = per_part_voucher
            .iter()
            .map(|((k, v), amt)| {
                (
                    format!("usage:{}:{v}", parts[*k].batch_id),
                    ledger::voucher_account(v),
                    *amt,
                )
            })
            .collect();
        let transfer_rows: Vec<[Val; 5]> = transfers
            .iter()
            .map(|(id, acct, amt)| {
                [
                    Val::Text(id),
                    Val::Text(acct),
                    Val::Text(&payable),
                    Val::Int(*amt),
                    Val::Text(&now.ts),
                ]
            })
            .collect();
        exec_rows(tx, pg, &transfer_rows, false, false, |v| {
            format!(
                "INSERT INTO ledger_transfers (id, debit, credit, amount, kind, pending_id, pending_state, code, created_at) \
                 SELECT c0, c1, c2, c3, 'single', NULL, NULL, 'usage', c4 FROM {v} AS v"
            )
        })
        .await?;
        let n = sqlx::query("UPDATE ledger_accounts SET balance = balance + $1 WHERE id = $2")
            .bind(subsidy_total)
            .bind(payable.as_str())
            .execute(&mut **tx)
            .await?
            .rows_affected();
        if n != 1 {
            return Err(StoreError::Corrupt(format!(
                "ledger account {payable} does not exist"
            )));
        }
        // Yearly caps: used_fen += the group's subsidy per (enterprise, program, year).
        let caps: Vec<[Val; 5]> = per_cap
            .iter()
            .map(|(k, d)| {
                [
                    Val::Text(&k.0),
                    Val::Text(&k.1),
                    Val::Int(k.2),
                    Val::Int(*d),
                    Val::Int(cap_keys[k]),
                ]
            })
            .collect();
        let n = exec_rows(tx, pg, &caps, false, false, |v| {
            format!(
                "UPDATE enterprise_year_use SET used_fen = used_fen + v.c3, cap_fen = v.c4 FROM {v} AS v \
                 WHERE enterprise_year_use.enterprise_id = v.c0 AND enterprise_year_use.program_id = v.c1 AND enterprise_year_use.year = v.c2"
            )
        })
        .await?;
        if n != caps.len() as u64 {
            return Err(StoreError::Corrupt(format!(
                "usage batch {}: yearly-cap rows missing",
                parts[0].batch_id
            )));
        }
    }
    __prof.mark("ledger");
    // Answers and one audit record per part.
    let mut results = results.into_iter();
    let mut outs = Vec::with_capacity(parts.len());
    for (k, part) in parts.iter().enumerate() {
        let mine: Vec<UsageResult> = results
            .by_ref()
            .take(part.items.len())
            .map(|r| r.expect("every record has a result"))
            .collect();
        let count = |s: UsageStatus| mine.iter().filter(|r| r.status == s).count() as i64;
        let (mut amount, mut subsidy) = (0i64, 0i64);
        let mut digest = Sha256::new();
        for r in mine.iter().filter(|r| r.status == UsageStatus::Accepted) {
            amount += r.amount_fen.unwrap_or(0);
            subsidy += r.subsidy_fen.unwrap_or(0);
            digest.update(r.record_id.as_bytes());
            digest.update(b"\n");
        }
        let out = UsageBatchResult {
            batch_id: part.batch_id.to_string(),
            accepted: count(UsageStatus::Accepted),
            duplicates: count(UsageStatus::Duplicate),
            rejected: count(UsageStatus::Rejected),
            amount_fen: amount,
            subsidy_fen: subsidy,
            results: mine,
        };
        if out.accepted > 0 {
            let vouchers = per_part_voucher.range((k, "")..(k + 1, "")).count();
            let after = serde_json::json!({
                "supplier_id": supplier_id,
                "accepted": out.accepted,
                "duplicates": out.duplicates,
                "rejected": out.rejected,
                "amount_fen": amount,
                "subsidy_fen": subsidy,
                "vouchers": vouchers,
                "records_sha256": hex::encode(digest.finalize()),
            });
            audit::append(
                tx,
                part.actor,
                "usage.ingest",
                part.batch_id,
                "null",
                &after.to_string(),
                &now.ts,
            )
            .await?;
        }
        outs.push(out);
    }
    __prof.mark("audit");
    Ok(outs)
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

/// A stored usage record.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UsageRecord {
    pub supplier_id: String,
    pub record_id: String,
    pub product_id: String,
    pub enterprise_id: String,
    pub voucher_id: Option<String>,
    pub program_id: Option<String>,
    pub city_code: Option<String>,
    pub started_at: String,
    pub ended_at: String,
    pub gpu_seconds: i64,
    pub amount_fen: i64,
    pub subsidy_fen: i64,
    pub settlement_id: Option<String>,
    pub batch_id: String,
    pub created_at: String,
}

const RECORD_COLUMNS: &str = "supplier_id, record_id, product_id, enterprise_id, voucher_id, program_id, city_code, started_at, ended_at, \
     gpu_seconds, amount_fen, subsidy_fen, settlement_id, batch_id, created_at";

fn record_row(r: &sqlx::any::AnyRow) -> Result<UsageRecord> {
    Ok(UsageRecord {
        supplier_id: r.try_get(0)?,
        record_id: r.try_get(1)?,
        product_id: r.try_get(2)?,
        enterprise_id: r.try_get(3)?,
        voucher_id: r.try_get(4)?,
        program_id: r.try_get(5)?,
        city_code: r.try_get(6)?,
        started_at: r.try_get(7)?,
        ended_at: r.try_get(8)?,
        gpu_seconds: r.try_get(9)?,
        amount_fen: r.try_get(10)?,
        subsidy_fen: r.try_get(11)?,
        settlement_id: r.try_get(12)?,
        batch_id: r.try_get(13)?,
        created_at: r.try_get(14)?,
    })
}

#[derive(Debug, Default, Clone)]
pub struct UsageQuery {
    pub supplier_id: Option<String>,
    pub enterprise_id: Option<String>,
    pub product_id: Option<String>,
    pub voucher_id: Option<String>,
    pub batch_id: Option<String>,
}

/// Adds the tenant scope: a supplier sees its own records, an enterprise its own usage.
fn scope(f: &mut Filter, actor: &Actor) {
    if let Some(own) = actor.supplier_scope() {
        f.add("supplier_id = ?", Arg::S(own.to_string()));
    }
    if let Some(own) = actor.enterprise_scope() {
        f.add("enterprise_id = ?", Arg::S(own.to_string()));
    }
}

pub async fn list(
    store: &Store,
    actor: &Actor,
    q: &UsageQuery,
    page: PageReq,
) -> Result<Page<UsageRecord>> {
    let mut f = Filter::new();
    scope(&mut f, actor);
    f.eq_opt("supplier_id", q.supplier_id.as_deref())
        .eq_opt("enterprise_id", q.enterprise_id.as_deref())
        .eq_opt("product_id", q.product_id.as_deref())
        .eq_opt("voucher_id", q.voucher_id.as_deref())
        .eq_opt("batch_id", q.batch_id.as_deref());
    fetch_page(
        store,
        RECORD_COLUMNS,
        "usage_records",
        &f,
        "ended_at DESC, supplier_id, record_id",
        page,
        record_row,
    )
    .await
}

/// GPU-hours and subsidy over three windows: the day of `today`, its month, and everything
/// recorded (the program to date).
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct UsageFigures {
    pub records: i64,
    pub gpu_hours_today: f64,
    pub subsidy_today_fen: i64,
    pub gpu_hours_month: f64,
    pub subsidy_month_fen: i64,
    pub gpu_hours_program: f64,
    pub subsidy_program_fen: i64,
    pub amount_program_fen: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HubUsage {
    pub city_code: String,
    pub name_zh: String,
    pub name_en: String,
    pub compute_hub: bool,
    #[serde(flatten)]
    pub figures: UsageFigures,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProductUsage {
    pub product_id: String,
    pub product_name: String,
    pub supplier_id: String,
    pub city_code: Option<String>,
    #[serde(flatten)]
    pub figures: UsageFigures,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EnterpriseUsage {
    pub enterprise_id: String,
    pub enterprise_name: String,
    #[serde(flatten)]
    pub figures: UsageFigures,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UsageSummary {
    pub today: String,
    pub month: String,
    pub program_id: Option<String>,
    pub totals: UsageFigures,
    pub by_hub: Vec<HubUsage>,
    pub by_product: Vec<ProductUsage>,
    /// The 200 enterprises with the most subsidy.
    pub by_enterprise: Vec<EnterpriseUsage>,
}

const FIGURES: &str = "CAST(COUNT(*) AS BIGINT), \
     CAST(COALESCE(SUM(CASE WHEN SUBSTR(u.ended_at, 1, 10) = $1 THEN u.gpu_seconds ELSE 0 END), 0) AS BIGINT), \
     CAST(COALESCE(SUM(CASE WHEN SUBSTR(u.ended_at, 1, 10) = $1 THEN u.subsidy_fen ELSE 0 END), 0) AS BIGINT), \
     CAST(COALESCE(SUM(CASE WHEN SUBSTR(u.ended_at, 1, 7) = $2 THEN u.gpu_seconds ELSE 0 END), 0) AS BIGINT), \
     CAST(COALESCE(SUM(CASE WHEN SUBSTR(u.ended_at, 1, 7) = $2 THEN u.subsidy_fen ELSE 0 END), 0) AS BIGINT), \
     CAST(COALESCE(SUM(u.gpu_seconds), 0) AS BIGINT), CAST(COALESCE(SUM(u.subsidy_fen), 0) AS BIGINT), CAST(COALESCE(SUM(u.amount_fen), 0) AS BIGINT)";

fn figures(r: &sqlx::any::AnyRow, at: usize) -> Result<UsageFigures> {
    let h = |s: i64| (s as f64 / 3600.0 * 100.0).round() / 100.0;
    Ok(UsageFigures {
        records: r.try_get(at)?,
        gpu_hours_today: h(r.try_get(at + 1)?),
        subsidy_today_fen: r.try_get(at + 2)?,
        gpu_hours_month: h(r.try_get(at + 3)?),
        subsidy_month_fen: r.try_get(at + 4)?,
        gpu_hours_program: h(r.try_get(at + 5)?),
        subsidy_program_fen: r.try_get(at + 6)?,
        amount_program_fen: r.try_get(at + 7)?,
    })
}

/// The hub view, scoped to what the actor may see.
pub async fn summary(
    store: &Store,
    actor: &Actor,
    program_id: Option<&str>,
    now: &Now,
) -> Result<UsageSummary> {
    let today = now.today.to_string();
    let month = format!("{:04}-{:02}", now.today.year(), now.today.month());
    let mut f = Filter::new();
    // $1 and $2 are today and month.
    f.add_many("? <> ?", vec![Arg::S(today.clone()), Arg::S(month.clone())]);
    if let Some(own) = actor.supplier_scope() {
        f.add("u.supplier_id = ?", Arg::S(own.to_string()));
    }
    if let Some(own) = actor.enterprise_scope() {
        f.add("u.enterprise_id = ?", Arg::S(own.to_string()));
    }
    f.eq_opt("u.program_id", program_id);
    let w = f.where_sql();
    let totals_row = f
        .bind(sqlx::query(&format!(
            "SELECT {FIGURES} FROM usage_records u{w}"
        )))
        .fetch_one(store.reader())
        .await?;
    let totals = figures(&totals_row, 0)?;
    let hub_rows = f
        .bind(sqlx::query(&format!("SELECT COALESCE(u.city_code, ''), {FIGURES} FROM usage_records u{w} GROUP BY COALESCE(u.city_code, '')")))
        .fetch_all(store.reader())
        .await?;
    let mut by_hub = Vec::new();
    for c in quan_domain::cities() {
        let mut fig = UsageFigures::default();
        for r in &hub_rows {
            if r.try_get::<String, _>(0)? == c.code {
                fig = figures(r, 1)?;
            }
        }
        if c.compute_hub || fig.records > 0 {
            by_hub.push(HubUsage {
                city_code: c.code.clone(),
                name_zh: c.name_zh.clone(),
                name_en: c.name_en.clone(),
                compute_hub: c.compute_hub,
                figures: fig,
            });
        }
    }
    let prod_rows = f
        .bind(sqlx::query(&format!(
            "SELECT u.product_id, MAX(p.name), MAX(p.supplier_id), MAX(p.city_code), {FIGURES} FROM usage_records u JOIN products p ON p.id = u.product_id{w} \
             GROUP BY u.product_id ORDER BY u.product_id"
        )))
        .fetch_all(store.reader())
        .await?;
    let mut by_product = Vec::new();
    for r in &prod_rows {
        by_product.push(ProductUsage {
            product_id: r.try_get(0)?,
            product_name: r.try_get(1)?,
            supplier_id: r.try_get(2)?,
            city_code: r.try_get(3)?,
            figures: figures(r, 4)?,
        });
    }
    let ent_rows = f
        .bind(sqlx::query(&format!(
            "SELECT u.enterprise_id, MAX(e.name), {FIGURES} FROM usage_records u JOIN enterprises e ON e.id = u.enterprise_id{w} \
             GROUP BY u.enterprise_id ORDER BY CAST(COALESCE(SUM(u.subsidy_fen), 0) AS BIGINT) DESC, u.enterprise_id LIMIT 200"
        )))
        .fetch_all(store.reader())
        .await?;
    let mut by_enterprise = Vec::new();
    for r in &ent_rows {
        by_enterprise.push(EnterpriseUsage {
            enterprise_id: r.try_get(0)?,
            enterprise_name: r.try_get(1)?,
            figures: figures(r, 2)?,
        });
    }
    Ok(UsageSummary {
        today,
        month,
        program_id: program_id.map(str::to_string),
        totals,
        by_hub,
        by_product,
        by_enterprise,
    })
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

struct Prof(std::time::Instant, bool);
impl Prof { fn new()->Self{Prof(std::time::Instant::now(), std::env::var_os("QUAN_USAGE_PROFILE").is_some())}
 fn mark(&mut self, n:&str){ if self.1 { let e=self.0.elapsed(); eprint!("{n}={:.1}ms ", e.as_secs_f64()*1e3); if n=="audit"{eprintln!();} self.0=std::time::Instant::now(); } } }
