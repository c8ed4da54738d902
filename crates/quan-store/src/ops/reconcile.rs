//! Reconciliation's facts: the stored state that `quan_domain::reconcile` compares with what
//! the audit chain says. Read-only; runs on a live database or a restored backup.
use std::collections::BTreeMap;

use quan_domain::StoredState;
use sqlx::Row;

use crate::error::Result;
use crate::Store;

async fn pairs(store: &Store, sql: &str) -> Result<Vec<sqlx::any::AnyRow>> {
    Ok(sqlx::query(sql).fetch_all(store.reader()).await?)
}

/// Every figure reconciliation compares, read from the tables.
pub async fn stored_state(store: &Store) -> Result<StoredState> {
    let mut s = StoredState::default();
    for r in pairs(store, "SELECT id, status, subsidy_fen FROM redemptions").await? {
        s.redemptions
            .insert(r.try_get(0)?, (r.try_get(1)?, r.try_get(2)?));
    }
    for r in pairs(store, "SELECT id, face_value_fen FROM vouchers").await? {
        s.vouchers.insert(r.try_get(0)?, r.try_get(1)?);
    }
    let usage =
        "SELECT batch_id, CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(subsidy_fen), 0) AS BIGINT) \
                 FROM usage_records GROUP BY batch_id";
    for r in pairs(store, usage).await? {
        s.usage_batches
            .insert(r.try_get(0)?, (r.try_get(1)?, r.try_get(2)?));
    }
    for r in pairs(store, "SELECT id, amount FROM ledger_transfers").await? {
        s.transfers.insert(r.try_get(0)?, r.try_get(1)?);
    }
    for r in pairs(
        store,
        "SELECT id, balance, debits_pending, credits_pending FROM ledger_accounts",
    )
    .await?
    {
        s.accounts
            .insert(r.try_get(0)?, (r.try_get(1)?, r.try_get(2)?, r.try_get(3)?));
    }
    let sums = "SELECT acct, CAST(SUM(bal) AS BIGINT), CAST(SUM(dp) AS BIGINT), CAST(SUM(cp) AS BIGINT) FROM ( \
        SELECT credit AS acct, amount AS bal, 0 AS dp, 0 AS cp FROM ledger_transfers WHERE kind IN ('single', 'post') \
        UNION ALL SELECT debit, -amount, 0, 0 FROM ledger_transfers WHERE kind IN ('single', 'post') \
        UNION ALL SELECT debit, 0, amount, 0 FROM ledger_transfers WHERE kind = 'pending' AND pending_state = 'pending' \
        UNION ALL SELECT credit, 0, 0, amount FROM ledger_transfers WHERE kind = 'pending' AND pending_state = 'pending' \
        ) t GROUP BY acct";
    let mut from_transfers: BTreeMap<String, (i64, i64, i64)> = BTreeMap::new();
    for r in pairs(store, sums).await? {
        from_transfers.insert(r.try_get(0)?, (r.try_get(1)?, r.try_get(2)?, r.try_get(3)?));
    }
    // An account no transfer touched sums to zero.
    for id in s.accounts.keys() {
        from_transfers.entry(id.clone()).or_default();
    }
    s.accounts_from_transfers = from_transfers;
    Ok(s)
}

/// Reconciles the whole database: the chain read in pages, the state read once.
pub async fn reconcile(store: &Store) -> Result<Vec<quan_domain::Mismatch>> {
    let mut records = Vec::new();
    let mut after = 0;
    loop {
        let page = crate::audit::page(store, after, 10_000).await?;
        if page.is_empty() {
            break;
        }
        after = page.last().map_or(after, |r| r.seq);
        records.extend(page);
    }
    let state = stored_state(store).await?;
    let mut found = quan_domain::reconcile(&records, &state);
    // The usage rollups are derived, not audited: they must equal the records' sums.
    let mut conn = store.reader().acquire().await?;
    for key in super::usage::rollups::mismatches(&mut conn).await? {
        found.push(quan_domain::Mismatch {
            row: format!("usage rollup {key}"),
            field: "sums".into(),
            expected: "the sums over its usage records".into(),
            found: "other sums".into(),
        });
    }
    Ok(found)
}
