//! The naive design done competently, as the metering benchmark's baseline: one PostgreSQL
//! transaction per record — price, voucher, its balance row locked, a dedupe probe, the record,
//! the voucher's balance and a transfer (the supplier's payable credited once at the end) —
//! through the native sqlx PostgreSQL driver (statements prepared once per connection and
//! cached), from `clients` concurrent clients. It is what a competent team would write without a
//! group-commit engine, so the engine's ratio over it is a fair one; the one-client figure is
//! kept beside it.
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Result;
use quan_store::ops::usage::UsageInput;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::Row;

use crate::bench::Run;

/// Runs `recs` from `clients` tasks (each takes the next record), bounded by 10 minutes.
pub(crate) async fn run(
    url: &str,
    supplier_id: &str,
    tag: &str,
    recs: Vec<UsageInput>,
    clients: usize,
) -> Result<Run> {
    let pool = PgPoolOptions::new()
        .max_connections(clients as u32)
        .connect(url)
        .await?;
    let n = recs.len();
    let queue = Arc::new(std::sync::Mutex::new(
        recs.into_iter().enumerate().collect::<Vec<_>>(),
    ));
    let deadline = Instant::now() + Duration::from_secs(600);
    let started = Instant::now();
    let mut handles = Vec::new();
    for _ in 0..clients {
        let (queue, pool, supplier) = (queue.clone(), pool.clone(), supplier_id.to_string());
        handles.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            loop {
                let next = queue.lock().expect("queue").pop();
                let Some((i, r)) = next else { break };
                anyhow::ensure!(Instant::now() < deadline, "baseline exceeded 10 minutes");
                let t = Instant::now();
                one_record(&pool, &supplier, i, &r).await?;
                lat.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            Ok::<_, anyhow::Error>(lat)
        }));
    }
    let mut run = Run {
        records: n,
        ..Default::default()
    };
    for h in handles {
        run.lat_ms.extend(h.await??);
    }
    run.secs = started.elapsed().as_secs_f64();
    credit_payable(&pool, supplier_id, tag).await?;
    pool.close().await;
    Ok(run)
}

/// Credits the supplier's payable account with the run's transfers in one statement, so the
/// ledger is conserved again (checked after the engine runs on the same database).
async fn credit_payable(pool: &PgPool, supplier_id: &str, tag: &str) -> Result<()> {
    sqlx::query(
        "UPDATE ledger_accounts SET balance = balance + (SELECT COALESCE(SUM(amount), 0) FROM ledger_transfers          WHERE id LIKE $2) WHERE id = $1",
    )
    .bind(quan_store::ledger::payable_account(supplier_id))
    .bind(format!("usage:base:{tag}-%"))
    .execute(pool)
    .await?;
    Ok(())
}

/// One record in its own transaction. A deadlock or serialization failure between clients is
/// retried, as a competent implementation would.
async fn one_record(pool: &PgPool, supplier: &str, i: usize, r: &UsageInput) -> Result<()> {
    for attempt in 0..5 {
        match try_record(pool, supplier, i, r).await {
            Ok(()) => return Ok(()),
            Err(sqlx::Error::Database(e))
                if attempt < 4 && matches!(e.code().as_deref(), Some("40P01" | "40001")) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

async fn try_record(pool: &PgPool, supplier: &str, i: usize, r: &UsageInput) -> sqlx::Result<()> {
    let payable = quan_store::ledger::payable_account(supplier);
    let mut tx = pool.begin().await?;
    let price: i64 =
        sqlx::query("SELECT price_per_unit_fen FROM products WHERE id = $1 AND supplier_id = $2")
            .bind(&r.product_id)
            .bind(supplier)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
    let vrow = sqlx::query(
        "SELECT v.id, p.rate_bps FROM vouchers v JOIN programs p ON p.id = v.program_id JOIN eligible_products ep ON ep.program_id = v.program_id AND ep.product_id = $2 \
         WHERE v.enterprise_id = $1 AND v.status = 'active' AND v.voucher_type = 'compute' ORDER BY v.valid_until, v.id LIMIT 1",
    )
    .bind(&r.enterprise_id)
    .bind(&r.product_id)
    .fetch_one(&mut *tx)
    .await?;
    let (vid, rate): (String, i64) = (vrow.try_get(0)?, vrow.try_get(1)?);
    let vacct = quan_store::ledger::voucher_account(&vid);
    let bal: i64 = sqlx::query(
        "SELECT balance - debits_pending FROM ledger_accounts WHERE id = $1 FOR UPDATE",
    )
    .bind(&vacct)
    .fetch_one(&mut *tx)
    .await?
    .try_get(0)?;
    let dup = sqlx::query("SELECT 1 FROM usage_records WHERE supplier_id = $1 AND record_id = $2")
        .bind(supplier)
        .bind(&r.record_id)
        .fetch_optional(&mut *tx)
        .await?;
    if dup.is_none() {
        let amount = quan_domain::rate_usage(r.gpu_seconds, quan_domain::Money::from_fen(price))
            .map_err(|e| sqlx::Error::Protocol(e.to_string()))?
            .fen();
        let subsidy = (amount * rate / 10_000).min(bal).max(0);
        sqlx::query(
            "INSERT INTO usage_records (supplier_id, record_id, product_id, enterprise_id, voucher_id, program_id, city_code, started_at, ended_at, gpu_seconds, amount_fen, subsidy_fen, batch_id, created_at) \
             SELECT $1, $2, $3, $4, $5, v.program_id, NULL, $6, $7, $8, $9, $10, $11, $12 FROM vouchers v WHERE v.id = $5",
        )
        .bind(supplier)
        .bind(&r.record_id)
        .bind(&r.product_id)
        .bind(&r.enterprise_id)
        .bind(&vid)
        .bind(&r.started_at)
        .bind(&r.ended_at)
        .bind(r.gpu_seconds)
        .bind(amount)
        .bind(subsidy)
        .bind(format!("base-{i}"))
        .bind(&r.ended_at)
        .execute(&mut *tx)
        .await?;
        if subsidy > 0 {
            // The supplier's payable balance is not touched here: one row per supplier would
            // serialize every client on it. A competent naive design appends the transfer and
            // credits the payable account once at the end (`credit_payable`).
            sqlx::query("UPDATE ledger_accounts SET balance = balance - $1 WHERE id = $2")
                .bind(subsidy)
                .bind(&vacct)
                .execute(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO ledger_transfers (id, debit, credit, amount, kind, code, created_at) VALUES ($1, $2, $3, $4, 'single', 'usage', $5)")
                .bind(format!("usage:base:{}", r.record_id))
                .bind(&vacct)
                .bind(&payable)
                .bind(subsidy)
                .bind(&r.ended_at)
                .execute(&mut *tx)
                .await?;
        }
    }
    tx.commit().await
}
