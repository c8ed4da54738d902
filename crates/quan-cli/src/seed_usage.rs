//! Metered compute usage for the demo: the hubs report GPU jobs of the enterprises holding 2026
//! computing-power vouchers, day by day over the last weeks up to the demo's "today", through the
//! same ingestion the API uses (so vouchers are drawn down, some run dry and pay part of a record).
use anyhow::{Context, Result};
use chrono::{Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use quan_store::ops::usage::{self, UsageInput, UsageItem};
use quan_store::ops::{self, Now};
use quan_store::{in_tx, Actor, Store, StoreError};
use rand::rngs::StdRng;
use rand::Rng;

use crate::progress::bar;

/// Days of usage history before "today".
const HISTORY_DAYS: i64 = 45;

/// A compute voucher that can take usage: (voucher id, enterprise id, first day it can be used).
pub type MeteredVoucher = (String, String, NaiveDate);

/// Sends `HISTORY_DAYS` days of usage, one batch per hub supplier per day. `products` are
/// (product id, kind, supplier id) as seeded; only compute products are used.
pub async fn seed_usage(
    store: &Store,
    rng: &mut StdRng,
    admin: &Actor,
    vouchers: &[MeteredVoucher],
    products: &[(String, String, String)],
    today: NaiveDate,
) -> Result<u64> {
    let compute: Vec<&(String, String, String)> =
        products.iter().filter(|p| p.1 == "compute").collect();
    if compute.is_empty() || vouchers.is_empty() {
        return Ok(0);
    }
    // Each voucher's enterprise trains on one hub product, mostly; a few use a second one.
    let habits: Vec<(&MeteredVoucher, usize, usize)> = vouchers
        .iter()
        .map(|v| {
            (
                v,
                rng.gen_range(0..compute.len()),
                rng.gen_range(0..compute.len()),
            )
        })
        .collect();
    let now = Now::at(today);
    let now_ts = chrono::DateTime::parse_from_rfc3339(&now.ts)
        .context("demo clock")?
        .with_timezone(&Utc);
    let first = today - Duration::days(HISTORY_DAYS);
    let pb = bar(HISTORY_DAYS as u64 + 1, "usage");
    let mut accepted = 0u64;
    let mut seq = 0u64;
    for d in 0..=HISTORY_DAYS {
        let date = first + Duration::days(d);
        let mut by_supplier: std::collections::BTreeMap<&str, Vec<UsageItem>> = Default::default();
        for (v, main, other) in &habits {
            if v.2 > date || !rng.gen_bool(0.55) {
                continue; // not yet issued, or an idle day
            }
            for _ in 0..rng.gen_range(1..=3) {
                let p = compute[if rng.gen_bool(0.85) { *main } else { *other }];
                let gpus: i64 = [1, 2, 4, 8, 8, 16][rng.gen_range(0..6)];
                let secs: i64 = rng.gen_range(600..6 * 3600);
                let start = Utc.from_utc_datetime(
                    &date.and_time(NaiveTime::from_hms_opt(0, 0, 0).expect("midnight")),
                ) + Duration::seconds(rng.gen_range(0..18 * 3600));
                let end = start + Duration::seconds(secs);
                if end > now_ts {
                    continue; // today's jobs still running are reported later
                }
                seq += 1;
                by_supplier
                    .entry(p.2.as_str())
                    .or_default()
                    .push(UsageItem::Record(UsageInput {
                        record_id: format!("JOB-{}-{seq:07}", date.format("%Y%m%d")),
                        product_id: p.0.clone(),
                        enterprise_id: v.1.clone(),
                        started_at: start.to_rfc3339(),
                        ended_at: end.to_rfc3339(),
                        gpu_seconds: gpus * secs,
                        quantity: None,
                        voucher_id: None,
                    }));
            }
        }
        for (supplier, items) in by_supplier {
            let batch_id = ops::new_id("ub");
            let r: Result<_, StoreError> = in_tx!(store, |tx| usage::ingest(
                &mut tx, admin, supplier, &batch_id, &items, &now
            )
            .await);
            accepted += r.context("seeding usage")?.accepted as u64;
        }
        pb.inc(1);
    }
    pb.finish();
    Ok(accepted)
}
