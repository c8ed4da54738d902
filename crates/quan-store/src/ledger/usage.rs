//! Metered usage in the ledger, set-based: a group of batches locks its vouchers' accounts once
//! and posts one guarded debit per voucher, one transfer row per (batch, voucher) and one credit
//! to the supplier's payable account (the usage engine's share of the ledger's entry point).
use std::collections::{BTreeMap, BTreeSet, HashMap};

use sqlx::Row;

use super::{payable_account, voucher_account};
use crate::db::Tx;
use crate::error::{Result, StoreError};
use crate::ops::rowset::{exec_rows, select_in, Val};

/// Locks the accounts of these vouchers (in id order, the global lock order) and returns what
/// each has available, keyed by voucher id. Metered usage decides its drawdowns from this.
pub(crate) async fn lock_vouchers_available(
    tx: &mut Tx,
    pg: bool,
    vouchers: &BTreeSet<String>,
) -> Result<HashMap<String, i64>> {
    let mut available = HashMap::new();
    if vouchers.is_empty() {
        return Ok(available);
    }
    let accts: Vec<String> = vouchers.iter().map(|v| voucher_account(v)).collect();
    let refs: Vec<&str> = accts.iter().map(|s| s.as_str()).collect();
    let tail = if pg {
        " ORDER BY id FOR UPDATE"
    } else {
        " ORDER BY id"
    };
    let cols = "id, balance, debits_pending";
    for r in select_in(tx, pg, cols, "ledger_accounts", "id", &refs, tail).await? {
        let id: String = r.try_get(0)?;
        let (bal, dp): (i64, i64) = (r.try_get(1)?, r.try_get(2)?);
        available.insert(id["voucher:".len()..].to_string(), (bal - dp).max(0));
    }
    Ok(available)
}

/// Metered usage, set-based: one guarded debit per voucher (`debits`: voucher id → fen), one
/// `usage` transfer row per (batch, voucher) (`transfers`: id, voucher id, fen) and one credit
/// of `total` to the supplier's payable account. The debits' bound is re-checked in SQL, so a
/// drawdown the caller mis-decided fails instead of overspending.
pub(crate) async fn post_usage(
    tx: &mut Tx,
    pg: bool,
    debits: &BTreeMap<&str, i64>,
    transfers: &[(String, &str, i64)],
    supplier_id: &str,
    total: i64,
    now: &str,
) -> Result<()> {
    let payable = payable_account(supplier_id);
    let accounts: Vec<String> = debits.keys().map(|v| voucher_account(v)).collect();
    let moves: Vec<[Val; 2]> = accounts
        .iter()
        .zip(debits.values())
        .map(|(acct, amt)| [Val::Text(acct), Val::Int(*amt)])
        .collect();
    let n = exec_rows(tx, pg, &moves, false, |v| {
        format!(
            "UPDATE ledger_accounts SET balance = balance - v.c1 FROM {v} AS v \
             WHERE ledger_accounts.id = v.c0 AND (ledger_accounts.may_go_negative = 1 OR ledger_accounts.balance - ledger_accounts.debits_pending >= v.c1)"
        )
    })
    .await?;
    if n != moves.len() as u64 {
        return Err(StoreError::Corrupt(format!(
            "{} of {} voucher debits exceeded the balance",
            moves.len() as u64 - n,
            moves.len()
        )));
    }
    let debit_accts: Vec<String> = transfers.iter().map(|t| voucher_account(t.1)).collect();
    let rows: Vec<[Val; 5]> = transfers
        .iter()
        .zip(&debit_accts)
        .map(|((id, _, amt), acct)| {
            [
                Val::Text(id),
                Val::Text(acct),
                Val::Text(&payable),
                Val::Int(*amt),
                Val::Text(now),
            ]
        })
        .collect();
    exec_rows(tx, pg, &rows, false, |v| {
        format!(
            "INSERT INTO ledger_transfers (id, debit, credit, amount, kind, pending_id, pending_state, code, created_at) \
             SELECT c0, c1, c2, c3, 'single', NULL, NULL, 'usage', c4 FROM {v} AS v"
        )
    })
    .await?;
    let n = sqlx::query("UPDATE ledger_accounts SET balance = balance + $1 WHERE id = $2")
        .bind(total)
        .bind(payable.as_str())
        .execute(&mut **tx)
        .await?
        .rows_affected();
    if n != 1 {
        return Err(StoreError::Corrupt(format!(
            "ledger account {payable} does not exist"
        )));
    }
    Ok(())
}
