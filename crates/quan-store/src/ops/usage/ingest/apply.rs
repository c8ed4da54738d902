//! Step 6 of a round, the writes: usage rows (`ON CONFLICT DO NOTHING`; fewer rows inserted than
//! sent means a concurrent sender slipped in, and the group is retried), the vouchers each
//! supplier drew on, the rollups, one voucher debit per voucher per group and one ledger
//! transfer per voucher per batch (`usage:<batch>:<voucher>`, code `usage`), cap upserts, then
//! the answers and one audit record per batch.
use std::collections::BTreeSet;

use sha2::{Digest, Sha256};

use super::super::super::counters;
use super::super::super::rowset::{exec_rows, Val};
use super::super::super::Now;
use super::super::rollups;
use super::super::{UsageBatchResult, UsageResult, UsageStatus};
use super::locks::Held;
use super::plan::Plan;
use super::{accelerator_seconds, other_quantity, BatchPart, ConcurrentRecord};
use crate::audit;
use crate::db::Tx;
use crate::error::{Result, StoreError};
use crate::ledger;

/// Where a round writes: its supplier, batches and moment.
pub(super) struct Round<'r, 'p> {
    pub pg: bool,
    pub supplier_id: &'r str,
    pub parts: &'r [BatchPart<'p>],
    pub part_of: &'r [usize],
    pub now: &'r Now,
}

/// Writes the accepted records, their rollups and answers.
pub(super) async fn records(
    tx: &mut Tx,
    w: &Round<'_, '_>,
    plan: &Plan<'_>,
    results: &mut [Option<UsageResult>],
) -> Result<()> {
    if plan.accepted.is_empty() {
        return Ok(());
    }
    let (pg, supplier_id, now) = (w.pg, w.supplier_id, w.now);
    let rows: Vec<[Val; 15]> = plan
        .accepted
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
                Val::Int(accelerator_seconds(a.r.unit, a.r.quantity)),
                Val::OptInt(other_quantity(a.r.unit, a.r.quantity)),
                Val::Int(a.amount),
                Val::Int(a.subsidy),
                Val::Text(w.parts[w.part_of[c.idx]].batch_id),
                Val::Text(&now.ts),
            ]
        })
        .collect();
    // Rows affected counts only the rows inserted, on both backends: fewer than sent means a
    // concurrent sender got there first.
    let inserted = exec_rows(tx, pg, &rows, true, |v| {
        format!(
            "INSERT INTO usage_records (supplier_id, record_id, product_id, enterprise_id, voucher_id, program_id, city_code, started_at, ended_at, \
             gpu_seconds, quantity, amount_fen, subsidy_fen, batch_id, created_at) {v} \
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
    let pairs: Vec<[Val; 2]> = plan
        .accepted
        .iter()
        .map(|a| a.voucher_id)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .map(|v| [Val::Text(supplier_id), Val::Text(v)])
        .collect();
    exec_rows(tx, pg, &pairs, true, |v| {
        format!("INSERT INTO usage_voucher_suppliers (supplier_id, voucher_id) {v} ON CONFLICT DO NOTHING")
    })
    .await?;
    roll_up(tx, w, plan).await?;
    for a in &plan.accepted {
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
    Ok(())
}

/// Adds the accepted records to the rollups and the hubs' minute figures.
async fn roll_up(tx: &mut Tx, w: &Round<'_, '_>, plan: &Plan<'_>) -> Result<()> {
    let mut rollup = rollups::Delta::default();
    for a in &plan.accepted {
        let c = &a.r.cand;
        rollup.add(
            rollups::Key {
                day: &c.ended_at[..10.min(c.ended_at.len())],
                paid_month: &w.now.ts[..7],
                supplier_id: w.supplier_id,
                product_id: &c.rec.product_id,
                enterprise_id: &c.rec.enterprise_id,
                program_id: a.program_id,
                city_code: a.r.city_code.as_deref().unwrap_or(""),
            },
            accelerator_seconds(a.r.unit, a.r.quantity),
            a.amount,
            a.subsidy,
        );
    }
    rollup.write(tx, w.pg).await?;
    let mut minutes = rollups::MinuteDelta::default();
    for a in plan.accepted.iter().filter(|a| a.r.city_code.is_some()) {
        minutes.add(
            a.r.city_code.as_deref().unwrap_or(""),
            accelerator_seconds(a.r.unit, a.r.quantity),
        );
    }
    let minute = &w.now.ts[..16.min(w.now.ts.len())];
    minutes.write(tx, w.pg, minute).await
}

/// The money: voucher debits and transfers through the ledger, the yearly caps, the group's
/// and the type's counters.
pub(super) async fn money(
    tx: &mut Tx,
    w: &Round<'_, '_>,
    held: &Held,
    plan: &Plan<'_>,
) -> Result<()> {
    let subsidy_total: i64 = plan.per_voucher.values().sum();
    if subsidy_total <= 0 {
        return Ok(());
    }
    let first_batch = w.parts[0].batch_id;
    let transfers: Vec<(String, &str, i64)> = plan
        .per_part_voucher
        .iter()
        .map(|((k, v), amt)| (format!("usage:{}:{v}", w.parts[*k].batch_id), *v, *amt))
        .collect();
    ledger::post_usage(
        tx,
        w.pg,
        &plan.per_voucher,
        &transfers,
        w.supplier_id,
        subsidy_total,
        &w.now.ts,
    )
    .await
    .map_err(|e| match e {
        StoreError::Corrupt(m) => StoreError::Corrupt(format!("usage batch {first_batch}: {m}")),
        e => e,
    })?;
    // Yearly caps: used_fen += the group's subsidy per (enterprise, program, year).
    let caps: Vec<[Val; 5]> = plan
        .per_cap
        .iter()
        .map(|(k, d)| {
            [
                Val::Text(&k.0),
                Val::Text(&k.1),
                Val::Int(k.2),
                Val::Int(*d),
                Val::Int(held.cap_keys[k]),
            ]
        })
        .collect();
    let n = exec_rows(tx, w.pg, &caps, true, |v| {
        format!(
            "INSERT INTO enterprise_year_use (enterprise_id, program_id, year, used_fen, cap_fen) {v} \
             ON CONFLICT (enterprise_id, program_id, year) DO UPDATE SET used_fen = enterprise_year_use.used_fen + excluded.used_fen, cap_fen = excluded.cap_fen"
        )
    })
    .await?;
    if n != caps.len() as u64 {
        return Err(StoreError::Corrupt(format!(
            "usage batch {first_batch}: yearly-cap rows missing"
        )));
    }
    counters::add(tx, &counters::GROUP_USE, &plan.group_deltas).await?;
    counters::add(tx, &counters::TYPE_USE, &plan.type_deltas).await
}

/// Each batch's answer, in the order of its records, and one audit record per batch that
/// accepted any.
pub(super) async fn answers(
    tx: &mut Tx,
    w: &Round<'_, '_>,
    plan: &Plan<'_>,
    results: Vec<Option<UsageResult>>,
) -> Result<Vec<UsageBatchResult>> {
    let mut results = results.into_iter();
    let mut outs = Vec::with_capacity(w.parts.len());
    for (k, part) in w.parts.iter().enumerate() {
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
            let vouchers = plan.per_part_voucher.range((k, "")..(k + 1, "")).count();
            let after = serde_json::json!({
                "supplier_id": w.supplier_id,
                "accepted": out.accepted,
                "duplicates": out.duplicates,
                "rejected": out.rejected,
                "amount_fen": amount,
                "subsidy_fen": subsidy,
                "vouchers": vouchers,
                "records_sha256": hex::encode(digest.finalize()),
            });
            let (actor, id, ts) = (part.actor, part.batch_id, &w.now.ts);
            audit::append(
                tx,
                actor,
                "usage.ingest",
                id,
                "null",
                &after.to_string(),
                ts,
            )
            .await?;
        }
        outs.push(out);
    }
    Ok(outs)
}
