//! Public aggregate figures (no personal data beyond what a grant notice publishes).
pub use quan_domain::views::{
    CityFigures, Dashboard, HubMinutes, MeteringLive, MinuteFigures, MonthFigures, Notice, Totals,
    TypeFigures,
};

use sqlx::Row;

use super::Now;
use crate::error::Result;
use crate::Store;

/// Spend: invoice redemptions not clawed back, plus metered usage (from its rollups).
const SPEND: &str = "SELECT r.enterprise_id, r.program_id, r.subsidy_fen AS amount, SUBSTR(r.created_at, 1, 7) AS month FROM redemptions r WHERE r.status <> 'clawed_back' \
     UNION ALL SELECT u.enterprise_id, u.program_id, u.subsidy_fen AS amount, u.paid_month AS month FROM usage_rollups u WHERE u.subsidy_fen > 0";

async fn scalar(store: &Store, sql: &str) -> Result<i64> {
    Ok(sqlx::query(sql)
        .fetch_one(store.reader())
        .await?
        .try_get(0)?)
}

pub async fn dashboard(store: &Store) -> Result<Dashboard> {
    let totals = Totals {
        budget_fen: scalar(store, "SELECT CAST(COALESCE(SUM(budget_fen), 0) AS BIGINT) FROM programs").await?,
        reserved_fen: scalar(store, "SELECT CAST(COALESCE(SUM(debits_pending), 0) AS BIGINT) FROM ledger_accounts WHERE kind = 'program_budget'").await?,
        granted_fen: scalar(store, "SELECT CAST(COALESCE(SUM(face_value_fen), 0) AS BIGINT) FROM vouchers").await?,
        spent_fen: scalar(store, &format!("SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM ({SPEND}) s")).await?,
        settled_fen: scalar(store, "SELECT CAST(COALESCE(SUM(balance), 0) AS BIGINT) FROM ledger_accounts WHERE kind = 'supplier_settled'").await?,
        released_fen: scalar(store, "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM ledger_transfers WHERE code = 'release'").await?,
        enterprises: scalar(store, "SELECT CAST(COUNT(*) AS BIGINT) FROM enterprises").await?,
        beneficiaries: scalar(store, "SELECT CAST(COUNT(DISTINCT enterprise_id) AS BIGINT) FROM vouchers").await?,
        vouchers: scalar(store, "SELECT CAST(COUNT(*) AS BIGINT) FROM vouchers").await?,
    };
    let granted_city = sqlx::query("SELECT e.city_code, CAST(SUM(v.face_value_fen) AS BIGINT) FROM vouchers v JOIN enterprises e ON e.id = v.enterprise_id GROUP BY e.city_code")
        .fetch_all(store.reader())
        .await?;
    let spent_city = sqlx::query(&format!("SELECT e.city_code, CAST(SUM(s.amount) AS BIGINT) FROM ({SPEND}) s JOIN enterprises e ON e.id = s.enterprise_id GROUP BY e.city_code"))
        .fetch_all(store.reader())
        .await?;
    let beneficiaries_city = sqlx::query("SELECT e.city_code, CAST(COUNT(DISTINCT v.enterprise_id) AS BIGINT) FROM vouchers v JOIN enterprises e ON e.id = v.enterprise_id GROUP BY e.city_code")
        .fetch_all(store.reader())
        .await?;
    let lookup = |rows: &[sqlx::any::AnyRow], key: &str| -> Result<i64> {
        for r in rows {
            if r.try_get::<String, _>(0)? == key {
                return Ok(r.try_get(1)?);
            }
        }
        Ok(0)
    };
    let mut by_city = Vec::new();
    for c in quan_domain::cities() {
        by_city.push(CityFigures {
            city_code: c.code.clone(),
            name_zh: c.name_zh.clone(),
            name_en: c.name_en.clone(),
            granted_fen: lookup(&granted_city, &c.code)?,
            spent_fen: lookup(&spent_city, &c.code)?,
            beneficiaries: lookup(&beneficiaries_city, &c.code)?,
        });
    }
    let budget_type = sqlx::query(
        "SELECT voucher_type, CAST(SUM(budget_fen) AS BIGINT) FROM programs GROUP BY voucher_type",
    )
    .fetch_all(store.reader())
    .await?;
    let granted_type = sqlx::query("SELECT voucher_type, CAST(SUM(face_value_fen) AS BIGINT) FROM vouchers GROUP BY voucher_type").fetch_all(store.reader()).await?;
    let spent_type = sqlx::query(&format!("SELECT p.voucher_type, CAST(SUM(s.amount) AS BIGINT) FROM ({SPEND}) s JOIN programs p ON p.id = s.program_id GROUP BY p.voucher_type"))
        .fetch_all(store.reader())
        .await?;
    let mut by_voucher_type = Vec::new();
    for t in ["compute", "model", "corpus", "innovation"] {
        by_voucher_type.push(TypeFigures {
            voucher_type: t.into(),
            budget_fen: lookup(&budget_type, t)?,
            granted_fen: lookup(&granted_type, t)?,
            spent_fen: lookup(&spent_type, t)?,
        });
    }
    let granted_month = sqlx::query("SELECT SUBSTR(issued_at, 1, 7), CAST(SUM(face_value_fen) AS BIGINT) FROM vouchers GROUP BY SUBSTR(issued_at, 1, 7)")
        .fetch_all(store.reader())
        .await?;
    let spent_month = sqlx::query(&format!(
        "SELECT s.month, CAST(SUM(s.amount) AS BIGINT) FROM ({SPEND}) s GROUP BY s.month"
    ))
    .fetch_all(store.reader())
    .await?;
    let mut months: Vec<String> = Vec::new();
    for r in granted_month.iter().chain(spent_month.iter()) {
        let m: String = r.try_get(0)?;
        if !months.contains(&m) {
            months.push(m);
        }
    }
    months.sort();
    let mut by_month = Vec::new();
    for m in months {
        by_month.push(MonthFigures {
            granted_fen: lookup(&granted_month, &m)?,
            spent_fen: lookup(&spent_month, &m)?,
            month: m,
        });
    }
    Ok(Dashboard {
        totals,
        by_city,
        by_voucher_type,
        by_month,
    })
}

/// Grants in their notice period (公示), newest first.
pub async fn notices(store: &Store, now: &Now, limit: i64) -> Result<Vec<Notice>> {
    let rows = sqlx::query(
        "SELECT a.id, e.name, e.uscc, e.city_code, p.name, p.voucher_type, a.approved_fen, SUBSTR(a.reviewed_at, 1, 10), a.notice_ends_on \
         FROM applications a JOIN enterprises e ON e.id = a.enterprise_id JOIN programs p ON p.id = a.program_id \
         WHERE a.status = 'approved' AND a.notice_ends_on >= $1 ORDER BY a.reviewed_at DESC LIMIT $2",
    )
    .bind(now.today.to_string())
    .bind(limit)
    .fetch_all(store.reader())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Notice {
                application_id: r.try_get(0)?,
                enterprise_name: r.try_get(1)?,
                uscc: r.try_get(2)?,
                city_code: r.try_get(3)?,
                program_name: r.try_get(4)?,
                voucher_type: r.try_get(5)?,
                amount_fen: r.try_get(6)?,
                approved_on: r.try_get(7)?,
                notice_ends_on: r.try_get(8)?,
            })
        })
        .collect()
}

/// How many minutes the live metering view covers.
pub const LIVE_MINUTES: i64 = 60;

/// Records and GPU-hours accepted per minute at each hub over the last hour (from
/// `usage_minutes`, never the records), every minute present.
pub async fn metering_live(store: &Store, now: &Now) -> Result<MeteringLive> {
    let end = chrono::DateTime::parse_from_rfc3339(&now.ts)
        .map(|t| t.with_timezone(&chrono::Utc))
        .unwrap_or_else(|_| chrono::Utc::now());
    let minute = |k: i64| {
        (end - chrono::Duration::minutes(k))
            .format("%Y-%m-%dT%H:%M")
            .to_string()
    };
    let first = minute(LIVE_MINUTES - 1);
    let rows = sqlx::query(
        "SELECT minute, city_code, records, gpu_seconds FROM usage_minutes WHERE minute >= $1 AND minute <= $2",
    )
    .bind(&first)
    .bind(minute(0))
    .fetch_all(store.reader())
    .await?;
    let mut sums = std::collections::HashMap::new();
    for r in &rows {
        let key: (String, String) = (r.try_get(0)?, r.try_get(1)?);
        sums.insert(key, (r.try_get::<i64, _>(2)?, r.try_get::<i64, _>(3)?));
    }
    let hubs = quan_domain::Hub::ALL
        .into_iter()
        .map(|h| HubMinutes {
            hub: h,
            city_code: h.city_code().into(),
            per_minute: (0..LIVE_MINUTES)
                .rev()
                .map(|k| {
                    let m = minute(k);
                    let (records, secs) = sums
                        .get(&(m.clone(), h.city_code().to_string()))
                        .copied()
                        .unwrap_or((0, 0));
                    MinuteFigures {
                        minute: format!("{m}:00Z"),
                        records,
                        gpu_hours: secs as f64 / 3600.0,
                    }
                })
                .collect(),
        })
        .collect();
    Ok(MeteringLive {
        as_of: now.ts.clone(),
        minutes: LIVE_MINUTES,
        hubs,
    })
}

/// Drops live-metering minutes older than two days (the scheduler's tick).
pub async fn prune_minutes(store: &Store, now: &Now) -> Result<u64> {
    let before = (now.today - chrono::Days::new(2)).to_string();
    Ok(sqlx::query("DELETE FROM usage_minutes WHERE minute < $1")
        .bind(before)
        .execute(store.writer())
        .await?
        .rows_affected())
}
