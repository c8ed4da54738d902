//! A program's budget burn-down — per funding source what was allocated, reserved, issued,
//! spent and released, and the months' grants and spend — and its run-out forecast.
use chrono::NaiveDate;
use quan_domain::views::{BudgetView, MonthAmount, SourceBudget};
use quan_domain::{run_out, ForecastBasis, Money, ProgramForecast, SourceForecast, FORECAST_WEEKS};
use sqlx::Row;

use super::programs::get;
use crate::error::{Result, StoreError};
use crate::ledger;
use crate::Store;

pub async fn budget(store: &Store, id: &str) -> Result<BudgetView> {
    let p = get(store, id).await?;
    let mut sources = Vec::new();
    for f in &p.funding {
        let acct = ledger::budget_account(id, &f.source_id);
        let bal = ledger::balance(store.reader(), &acct).await?;
        let issued: i64 = sqlx::query("SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM ledger_transfers WHERE debit = $1 AND kind = 'post'")
            .bind(&acct)
            .fetch_one(store.reader())
            .await?
            .try_get(0)?;
        let released: i64 = sqlx::query(
            "SELECT CAST(COALESCE(SUM(t.amount), 0) AS BIGINT) FROM ledger_transfers t WHERE t.credit = $1 AND t.code = 'release' \
             AND t.debit IN (SELECT 'voucher:' || v.id FROM vouchers v WHERE v.program_id = $2)",
        )
        .bind(ledger::source_account(&f.source_id))
        .bind(id)
        .fetch_one(store.reader())
        .await?
        .try_get(0)?;
        sources.push(SourceBudget {
            source_id: f.source_id.clone(),
            source_name: f.source_name.clone(),
            share_bps: f.share_bps,
            allocated_fen: f.allocated_fen,
            available_fen: bal.available(),
            reserved_fen: bal.debits_pending,
            issued_fen: issued,
            released_fen: released,
        });
    }
    let spent_rows = sqlx::query(
        "SELECT month, CAST(SUM(amount) AS BIGINT) FROM ( \
           SELECT SUBSTR(created_at, 1, 7) AS month, subsidy_fen AS amount FROM redemptions WHERE program_id = $1 AND status <> 'clawed_back' \
           UNION ALL SELECT SUBSTR(created_at, 1, 7) AS month, subsidy_fen AS amount FROM usage_records WHERE program_id = $1 \
         ) x GROUP BY month ORDER BY month",
    )
    .bind(id)
    .fetch_all(store.reader())
    .await?;
    let spent_by_month = spent_rows
        .iter()
        .map(|r| {
            Ok(MonthAmount {
                month: r.try_get(0)?,
                amount_fen: r.try_get(1)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(BudgetView {
        program_id: id.to_string(),
        budget_fen: p.budget_fen,
        available_fen: sources.iter().map(|s| s.available_fen).sum(),
        reserved_fen: sources.iter().map(|s| s.reserved_fen).sum(),
        issued_fen: sources.iter().map(|s| s.issued_fen).sum(),
        spent_fen: spent_by_month.iter().map(|m| m.amount_fen).sum(),
        released_fen: sources.iter().map(|s| s.released_fen).sum(),
        sources,
        spent_by_month,
    })
}

/// Amounts per day from `sql` (rows of day text YYYY-MM-DD…, amount), bound to `args`.
async fn per_day(store: &Store, sql: &str, args: &[&str]) -> Result<Vec<(NaiveDate, Money)>> {
    let mut q = sqlx::query(sql);
    for a in args {
        q = q.bind(*a);
    }
    let rows = q.fetch_all(store.reader()).await?;
    rows.iter()
        .map(|r| {
            let day: String = r.try_get(0)?;
            let day = NaiveDate::parse_from_str(&day[..10.min(day.len())], "%Y-%m-%d")
                .map_err(|e| StoreError::Corrupt(format!("a day {day:?}: {e}")))?;
            Ok((day, Money::from_fen(r.try_get(1)?)))
        })
        .collect()
}

/// The program's run-out forecast as of `today` (`quan_domain::run_out`): the facts are the
/// budget's figures and the last weeks' face value issued per source and subsidy paid per day.
pub async fn forecast(store: &Store, id: &str, today: NaiveDate) -> Result<ProgramForecast> {
    let p = get(store, id).await?;
    let b = budget(store, id).await?;
    let from = (today - chrono::Duration::days(FORECAST_WEEKS * 7 - 1)).to_string();
    let date = |field: &str, s: &str| {
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_err(|e| StoreError::Corrupt(format!("programs.{field} {s:?}: {e}")))
    };
    let (apply_until, valid_until) = (
        date("apply_until", &p.apply_until)?,
        date("valid_until", &p.valid_until)?,
    );
    let mut all_issued = Vec::new();
    let mut sources = Vec::new();
    for s in &b.sources {
        let issued = per_day(
            store,
            "SELECT SUBSTR(created_at, 1, 10), CAST(SUM(amount) AS BIGINT) FROM ledger_transfers \
             WHERE debit = $1 AND kind = 'post' AND created_at >= $2 GROUP BY SUBSTR(created_at, 1, 10)",
            &[&ledger::budget_account(id, &s.source_id), &from],
        )
        .await?;
        let left = Money::from_fen(s.available_fen);
        sources.push(SourceForecast {
            source_id: s.source_id.clone(),
            source_name: s.source_name.clone(),
            allocated_fen: s.allocated_fen,
            committed: run_out(ForecastBasis::Committed, left, &issued, today, apply_until),
        });
        all_issued.extend(issued);
    }
    let spent = per_day(
        store,
        "SELECT SUBSTR(created_at, 1, 10), subsidy_fen FROM redemptions \
         WHERE program_id = $1 AND status <> 'clawed_back' AND created_at >= $2 \
         UNION ALL SELECT day, CAST(SUM(subsidy_fen) AS BIGINT) FROM usage_rollups \
         WHERE program_id = $1 AND day >= $2 GROUP BY day",
        &[id, &from],
    )
    .await?;
    let unpaid = Money::from_fen(b.budget_fen - b.spent_fen);
    Ok(ProgramForecast {
        program_id: p.id,
        program_name: p.name,
        budget_fen: b.budget_fen,
        today,
        committed: run_out(
            ForecastBasis::Committed,
            Money::from_fen(b.available_fen),
            &all_issued,
            today,
            apply_until,
        ),
        spent: run_out(ForecastBasis::Spent, unpaid, &spent, today, valid_until),
        sources,
    })
}
