//! Usage rollups: sums per day (the day the usage ended), paid month, supplier, product,
//! enterprise, program and hub city, added to by the writer in the same transaction as the
//! records, so the hub view, the usage summary and the public dashboard read sums whose size
//! does not grow with the number of records. Invariant: every rollup equals the sums over the
//! usage records it covers (`mismatches` says where not; reconciliation reports it).
use std::collections::BTreeMap;

use sqlx::Row;

use super::super::rowset::{exec_rows, Val};
use crate::db::Tx;
use crate::error::Result;

/// The key of one rollup row.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Key<'a> {
    pub day: &'a str,
    pub paid_month: &'a str,
    pub supplier_id: &'a str,
    pub product_id: &'a str,
    pub enterprise_id: &'a str,
    pub program_id: &'a str,
    pub city_code: &'a str,
}

/// Sums of one key: records, GPU-seconds, amount and subsidy in fen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Sums {
    pub records: i64,
    pub gpu_seconds: i64,
    pub amount_fen: i64,
    pub subsidy_fen: i64,
}

/// Collects the accepted records of a group, one entry per key.
#[derive(Debug, Default)]
pub(crate) struct Delta<'a>(BTreeMap<Key<'a>, Sums>);

impl<'a> Delta<'a> {
    pub fn add(&mut self, key: Key<'a>, gpu_seconds: i64, amount_fen: i64, subsidy_fen: i64) {
        let s = self.0.entry(key).or_default();
        s.records += 1;
        s.gpu_seconds += gpu_seconds;
        s.amount_fen += amount_fen;
        s.subsidy_fen += subsidy_fen;
    }

    /// Adds the group's sums to the rollups (one upsert per key; keys are distinct, so
    /// PostgreSQL never sees one row twice in the statement).
    pub async fn write(&self, tx: &mut Tx, pg: bool) -> Result<()> {
        let rows: Vec<[Val; 11]> = self
            .0
            .iter()
            .map(|(k, s)| {
                [
                    Val::Text(k.day),
                    Val::Text(k.paid_month),
                    Val::Text(k.supplier_id),
                    Val::Text(k.product_id),
                    Val::Text(k.enterprise_id),
                    Val::Text(k.program_id),
                    Val::Text(k.city_code),
                    Val::Int(s.records),
                    Val::Int(s.gpu_seconds),
                    Val::Int(s.amount_fen),
                    Val::Int(s.subsidy_fen),
                ]
            })
            .collect();
        exec_rows(tx, pg, &rows, true, |v| {
            format!(
                "INSERT INTO usage_rollups (day, paid_month, supplier_id, product_id, enterprise_id, program_id, city_code, \
                 records, gpu_seconds, amount_fen, subsidy_fen) {v} \
                 ON CONFLICT (day, paid_month, supplier_id, product_id, enterprise_id, program_id, city_code) DO UPDATE SET \
                 records = usage_rollups.records + excluded.records, gpu_seconds = usage_rollups.gpu_seconds + excluded.gpu_seconds, \
                 amount_fen = usage_rollups.amount_fen + excluded.amount_fen, subsidy_fen = usage_rollups.subsidy_fen + excluded.subsidy_fen"
            )
        })
        .await?;
        Ok(())
    }
}

/// Records and GPU-seconds accepted in one minute per hub city (the big screen's live
/// metering): a group commits at one instant, so it adds one row per city.
#[derive(Debug, Default)]
pub(crate) struct MinuteDelta<'a>(BTreeMap<&'a str, (i64, i64)>);

impl<'a> MinuteDelta<'a> {
    pub fn add(&mut self, city_code: &'a str, gpu_seconds: i64) {
        let s = self.0.entry(city_code).or_default();
        s.0 += 1;
        s.1 += gpu_seconds;
    }

    /// Adds the sums under `minute` (`YYYY-MM-DDTHH:MM`, the group's commit time).
    pub async fn write(&self, tx: &mut Tx, pg: bool, minute: &str) -> Result<()> {
        let rows: Vec<[Val; 4]> = self
            .0
            .iter()
            .map(|(city, (records, secs))| {
                [
                    Val::Text(minute),
                    Val::Text(city),
                    Val::Int(*records),
                    Val::Int(*secs),
                ]
            })
            .collect();
        exec_rows(tx, pg, &rows, true, |v| {
            format!(
                "INSERT INTO usage_minutes (minute, city_code, records, gpu_seconds) {v} \
                 ON CONFLICT (minute, city_code) DO UPDATE SET records = usage_minutes.records + excluded.records, \
                 gpu_seconds = usage_minutes.gpu_seconds + excluded.gpu_seconds"
            )
        })
        .await?;
        Ok(())
    }
}

/// The rollup keys whose sums differ from the records' (empty when the invariant holds): a full
/// scan, for reconciliation and tests, never for a page.
pub async fn mismatches(conn: &mut sqlx::AnyConnection) -> Result<Vec<String>> {
    let rows = sqlx::query(
        "SELECT COALESCE(r.day, x.day), COALESCE(r.supplier_id, x.supplier_id), COALESCE(r.product_id, x.product_id), \
         COALESCE(r.enterprise_id, x.enterprise_id) FROM usage_rollups x FULL OUTER JOIN \
         (SELECT SUBSTR(ended_at, 1, 10) AS day, SUBSTR(created_at, 1, 7) AS paid_month, supplier_id, product_id, enterprise_id, \
                 COALESCE(program_id, '') AS program_id, COALESCE(city_code, '') AS city_code, \
                 CAST(COUNT(*) AS BIGINT) AS records, CAST(SUM(gpu_seconds) AS BIGINT) AS gpu_seconds, \
                 CAST(SUM(amount_fen) AS BIGINT) AS amount_fen, CAST(SUM(subsidy_fen) AS BIGINT) AS subsidy_fen \
          FROM usage_records GROUP BY 1, 2, 3, 4, 5, 6, 7) r \
         ON r.day = x.day AND r.paid_month = x.paid_month AND r.supplier_id = x.supplier_id AND r.product_id = x.product_id \
            AND r.enterprise_id = x.enterprise_id AND r.program_id = x.program_id AND r.city_code = x.city_code \
         WHERE r.day IS NULL OR x.day IS NULL OR r.records <> x.records OR r.gpu_seconds <> x.gpu_seconds \
            OR r.amount_fen <> x.amount_fen OR r.subsidy_fen <> x.subsidy_fen",
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(format!(
                "{} {} {} {}",
                r.try_get::<String, _>(0)?,
                r.try_get::<String, _>(1)?,
                r.try_get::<String, _>(2)?,
                r.try_get::<String, _>(3)?
            ))
        })
        .collect()
}
