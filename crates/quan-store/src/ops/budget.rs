//! A program's budget burn-down: per funding source what was allocated, reserved, issued,
//! spent and released, and the months' grants and spend.
use quan_domain::views::{BudgetView, MonthAmount, SourceBudget};
use sqlx::Row;

use super::programs::get;
use crate::error::Result;
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
