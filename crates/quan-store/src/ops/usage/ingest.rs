//! The usage ingestion engine. A group of batches (usually one) is handled in ONE transaction,
//! set-based:
//! 1. pure checks of every record (times, quantity, duplicates inside the batch);
//! 2. reference data for the whole group in a handful of `IN (…)` queries (products, the compute
//!    programs that list them, enterprises, vouchers);
//! 3. locks in the global order used everywhere (yearly-cap rows → voucher accounts → the
//!    supplier's payable account → audit head), each class sorted, so concurrent batches and
//!    invoice redemptions from several server processes queue instead of deadlocking, and
//!    balances are read only under those locks;
//! 4. deduplication against committed records by (supplier_id, record_id);
//! 5. rating in memory (pure: `rate_usage`, `quote_subsidy`);
//! 6. multi-row writes bound positionally (`super::super::rowset`): usage rows (`ON CONFLICT DO
//!    NOTHING`; fewer rows inserted than sent means a concurrent sender slipped in, and the
//!    group is retried), one voucher debit per voucher per group, one ledger transfer per voucher
//!    per batch (`usage:<batch>:<voucher>`, code `usage`), cap upserts, one audit record per
//!    batch.
//!
//! Each step is its own module: `facts` (2), `resolve` (2b, pure), `locks` (3–4), `plan` (5,
//! pure), `apply` (6). The caller commits; a record is acknowledged only after that commit.
use std::borrow::Cow;
use std::collections::HashSet;

use chrono::Utc;
use quan_domain::BillingUnit;

use super::super::{is_postgres, Now};
use super::checks::{self, parse_ts};
use super::{rejected, UsageBatchResult, UsageItem, UsageResult, BATCH_RECORDS_MAX};
use crate::db::Tx;
use crate::error::{Result, StoreError};

mod apply;
mod facts;
mod locks;
mod plan;
mod resolve;
use crate::{Actor, Role};

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
    Ok(out
        .into_iter()
        .map(|r| r.expect("every part ran"))
        .collect())
}

/// (legal representative, shareholders, actual controller) of a party's file.
type FileOf = (String, Vec<String>, String);

fn file_of(f: &FileOf) -> quan_domain::PartyFile<'_> {
    quan_domain::PartyFile {
        legal_rep: &f.0,
        shareholders: &f.1,
        actual_controller: &f.2,
    }
}

fn shareholders_of(json: &str) -> Result<Vec<String>> {
    serde_json::from_str(json).map_err(|e| crate::StoreError::Corrupt(format!("shareholders: {e}")))
}

fn item_record_id(item: &UsageItem) -> Option<&str> {
    match item {
        UsageItem::Record(r) => Some(r.record_id.as_str()),
        UsageItem::Malformed { .. } => None,
    }
}

/// One round of [`ingest_group`]: parts whose record ids are disjoint. Facts → plan → apply:
/// the pure checks, the facts read set-based (`facts`), each record resolved to the vouchers it
/// may draw on (`resolve`, pure), the locks and what is committed under them (`locks`), the
/// decision (`plan`, pure, `quan_domain::plan_usage`), the writes (`apply`).
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
        .flat_map(|(k, p)| std::iter::repeat_n(k, p.items.len()))
        .collect();
    let pg = is_postgres(tx);
    let now_dt = parse_ts(&now.ts).unwrap_or_else(Utc::now);
    // 1. Pure checks.
    let (mut results, cands) = checks::check_records(&items, &part_of, now_dt);
    // 2. Facts, and each record's vouchers.
    let f = facts::load(tx, pg, supplier_id, &cands, now).await?;
    let resolved = resolve::resolve(&f, cands, supplier_id, now.today, &mut results);
    // 3–4. Locks, and what is committed under them.
    let held = locks::take(tx, pg, supplier_id, &f, &resolved).await?;
    // 5. The decision.
    let plan = plan::plan(&f, &held, &resolved, &part_of, &mut results)?;
    // 6. Writes.
    let round = apply::Round {
        pg,
        supplier_id,
        parts,
        part_of: &part_of,
        now,
    };
    apply::records(tx, &round, &plan, &mut results).await?;
    apply::money(tx, &round, &held, &plan).await?;
    apply::answers(tx, &round, &plan, results).await
}

/// A record's metered quantity for its product's unit: accelerator time may come as
/// `gpu_seconds` (the original field) or `quantity`; other units only as `quantity`. At most
/// the unit's plausible maximum per record.
fn metered_quantity(
    rec: &quan_domain::inputs::UsageInput,
    unit: BillingUnit,
) -> std::result::Result<i64, Box<UsageResult>> {
    let q = match rec.quantity {
        Some(q) => q,
        None if unit.is_accelerator_time() => rec.gpu_seconds,
        None => {
            return Err(Box::new(rejected(
                &rec.record_id,
                "unit_mismatch",
                format!(
                    "quantity: product {} is billed per {}; send quantity ({} per unit), not gpu_seconds",
                    rec.product_id,
                    unit.code(),
                    unit.base_per_unit()
                ),
            )))
        }
    };
    if q > unit.quantity_max() {
        return Err(Box::new(rejected(
            &rec.record_id,
            "quantity_absurd",
            format!(
                "quantity: {q} is more than one record may claim ({})",
                unit.quantity_max()
            ),
        )));
    }
    Ok(q)
}

/// What a record adds to the GPU-hour figures: its quantity when the unit is accelerator time.
fn accelerator_seconds(unit: BillingUnit, quantity: i64) -> i64 {
    if unit.is_accelerator_time() {
        quantity
    } else {
        0
    }
}

/// The quantity stored beside `gpu_seconds` for the other units.
fn other_quantity(unit: BillingUnit, quantity: i64) -> Option<i64> {
    (!unit.is_accelerator_time()).then_some(quantity)
}
