//! `quan bench whatif`: a program with 1,000,000 metered records (through the real engine) and
//! 100,000 invoice redemptions, replayed by the what-if under its unchanged rules and under a
//! changed rate; prints how long loading and replaying take, and whether the unchanged replay
//! gives the recorded figures. The redemptions and the vouchers' issue postings are written in
//! bulk (this file may write the ledger tables for that: tidy allows it, throwaway databases).
use std::time::Instant;

use anyhow::Result;
use clap::Args;
use quan_domain::WhatIfInput;
use quan_store::ops::Now;
use quan_store::{Actor, Role, Store, StoreOptions};
use sqlx::Row;

#[derive(Args, Clone)]
pub struct WhatIfArgs {
    /// Metered records to ingest (through the group-commit engine).
    #[arg(long, default_value_t = 1_000_000)]
    pub records: usize,
    /// Invoice redemptions to write.
    #[arg(long, default_value_t = 100_000)]
    pub redemptions: usize,
    /// Vouchers (one enterprise each) the history is spread over.
    #[arg(long, default_value_t = 2_000)]
    pub vouchers: usize,
    /// Keep the database here instead of a temporary directory.
    #[arg(long)]
    pub dir: Option<std::path::PathBuf>,
}

fn admin() -> Actor {
    Actor {
        user_id: "bench".into(),
        username: "bench".into(),
        role: Role::Admin,
        enterprise_id: None,
        supplier_id: None,
    }
}

/// The issue of every voucher as the ledger records it (a posted reservation and its posting),
/// then the redemptions, each voucher debited by what they paid.
async fn history(store: &Store, n_vouchers: usize, n_redemptions: usize) -> Result<String> {
    let r = sqlx::query(
        "SELECT p.id, f.source_id FROM programs p JOIN program_funding f ON f.program_id = p.id",
    )
    .fetch_one(store.reader())
    .await?;
    let (pid, src): (String, String) = (r.try_get(0)?, r.try_get(1)?);
    let sup: String = sqlx::query("SELECT id FROM suppliers")
        .fetch_one(store.reader())
        .await?
        .try_get(0)?;
    let product: String = sqlx::query("SELECT id FROM products ORDER BY id")
        .fetch_one(store.reader())
        .await?
        .try_get(0)?;
    let now = Now::real();
    // A month before the metered usage: an invoice and metering of the same product in the same
    // month are not both subsidised (the double-subsidy rule).
    let paid_on = now.today - chrono::Days::new(35);
    let early = format!("{paid_on}T00:00:00.000Z");
    let face = 10_000_000i64;
    let series = |n: usize| {
        format!(
            "WITH RECURSIVE s(g) AS (SELECT 0 UNION ALL SELECT g + 1 FROM s WHERE g + 1 < {n}) "
        )
    };
    for sql in [
        format!("{}INSERT INTO ledger_transfers (id, debit, credit, amount, kind, pending_id, pending_state, code, created_at) \
                 SELECT 'reserve:bapp_' || g || ':{src}', 'budget:{pid}:{src}', 'voucher:bv_' || g, {face}, 'pending', NULL, 'posted', 'reserve', '{early}' FROM s", series(n_vouchers)),
        format!("{}INSERT INTO ledger_transfers (id, debit, credit, amount, kind, pending_id, pending_state, code, created_at) \
                 SELECT 'issue:bapp_' || g || ':{src}', 'budget:{pid}:{src}', 'voucher:bv_' || g, {face}, 'post', 'reserve:bapp_' || g || ':{src}', NULL, 'issue', '{early}' FROM s", series(n_vouchers)),
        format!("{}INSERT INTO redemptions (id, voucher_id, program_id, enterprise_id, supplier_id, product_id, invoice_number, invoice_amount_fen, invoice_date, \
                 subsidy_fen, enterprise_pays_fen, status, created_by, created_at) \
                 SELECT 'bred_' || g, 'bv_' || (g % {n_vouchers}), '{pid}', 'bent_' || (g % {n_vouchers}), '{sup}', '{product}', 'BINV' || g, \
                 10000 + (g * 7919) % 290000, '{day}', (10000 + (g * 7919) % 290000) * 3 / 10, (10000 + (g * 7919) % 290000) - (10000 + (g * 7919) % 290000) * 3 / 10, \
                 'payable', 'bench', '{early}' FROM s", series(n_redemptions), day = paid_on),
        "UPDATE ledger_accounts SET balance = balance - (SELECT COALESCE(SUM(r.subsidy_fen), 0) FROM redemptions r WHERE r.voucher_id = SUBSTR(ledger_accounts.id, 9)) \
         WHERE kind = 'voucher'".to_string(),
    ] {
        sqlx::query(&sql).execute(store.writer()).await?;
    }
    Ok(pid)
}

pub async fn run(a: WhatIfArgs) -> Result<()> {
    anyhow::ensure!(
        a.records <= 20_000_000
            && a.redemptions <= 5_000_000
            && (1..=1_000_000).contains(&a.vouchers),
        "bounded: --records ≤ 20M, --redemptions ≤ 5M, --vouchers 1..=1M"
    );
    let (dir, temp) = match &a.dir {
        Some(d) => (d.clone(), false),
        None => (
            std::env::temp_dir().join(format!(
                "quan-bench-whatif-{}",
                uuid::Uuid::new_v4().simple()
            )),
            true,
        ),
    };
    std::fs::create_dir_all(&dir)?;
    let file = dir.join("whatif.db");
    let store = Store::open(&StoreOptions::new(format!("sqlite://{}", file.display()))).await?;
    let t = Instant::now();
    let w = crate::bench::setup(&store, a.vouchers).await?;
    let pid = history(&store, a.vouchers, a.redemptions).await?;
    println!(
        "setup: {} vouchers, {} redemptions in {:.1}s",
        a.vouchers,
        a.redemptions,
        t.elapsed().as_secs_f64()
    );
    let run = crate::bench::engine_run(&store, &w, "wi", a.records, 5_000, 4, 13).await?;
    println!(
        "ingested {} metered records in {:.1}s ({:.0} records/s)",
        run.records,
        run.secs,
        run.rps()
    );
    let mut json = serde_json::Map::new();
    for (name, input) in [
        ("unchanged", WhatIfInput::default()),
        (
            "rate_50pct",
            WhatIfInput {
                rate_bps: Some(5_000),
                ..Default::default()
            },
        ),
        (
            "rate_100pct_small_only",
            WhatIfInput {
                rate_bps: Some(10_000),
                eligible_sizes: Some(vec!["small".into()]),
                ..Default::default()
            },
        ),
    ] {
        let t = Instant::now();
        let wi =
            quan_store::ops::whatif::what_if(&store, &admin(), &pid, &input, &Now::real()).await?;
        let secs = t.elapsed().as_secs_f64();
        let same = wi.recorded == wi.replayed;
        println!(
            "what-if {name:<24} {} grants, {} redemptions, {} usage records: load {} ms, replay {} ms, total {:.2}s; paid ¥{} → ¥{}; same as recorded: {same}",
            wi.grants, wi.redemptions, wi.usage_records, wi.load_ms, wi.replay_ms, secs,
            quan_domain::Money::from_fen(wi.recorded.paid_fen), quan_domain::Money::from_fen(wi.replayed.paid_fen)
        );
        if name == "unchanged" {
            anyhow::ensure!(
                same,
                "the unchanged rules must reproduce the recorded figures"
            );
        }
        json.insert(name.into(), serde_json::json!({
            "load_ms": wi.load_ms, "replay_ms": wi.replay_ms, "total_s": secs,
            "usage_records": wi.usage_records, "redemptions": wi.redemptions, "same_as_recorded": same,
        }));
    }
    json.insert(
        "rss_mb_max".into(),
        serde_json::json!(crate::bench::rss_mb("VmHWM")),
    );
    store.close().await;
    if temp {
        let _ = std::fs::remove_dir_all(&dir);
    }
    println!("{}", serde_json::Value::Object(json));
    Ok(())
}
