//! The double-entry ledger in SQL. Same semantics as the reference model
//! `quan_domain::ledger::Ledger` (which the simulation tests compare against):
//! balance = credits − debits; a pending transfer reserves (debits_pending / credits_pending)
//! and is later posted (possibly for less) or voided; every transfer id is supplied by the
//! caller and a retry with the same id and fields is a no-op.
//!
//! Bounds are enforced by the SQL itself: the debit is a conditional UPDATE that only matches
//! while the available balance covers the amount, and a CHECK constraint backs it up. Under
//! PostgreSQL READ COMMITTED the UPDATE re-evaluates its WHERE after waiting for the row lock,
//! so two processes can never both spend the last fen.
use sqlx::Row;

use crate::db::Tx;
use crate::error::{Result, StoreError};

mod usage;
pub(crate) use usage::{lock_vouchers_available, post_usage};

use quan_domain::{AccountId, Money, Posting, PostingKind};

/// Text id of the external account (for reads and tests).
pub const EXTERNAL: &str = "external";

pub fn source_account(source_id: &str) -> String {
    AccountId::Source(source_id.into()).to_string()
}
pub fn budget_account(program_id: &str, source_id: &str) -> String {
    AccountId::Budget(program_id.into(), source_id.into()).to_string()
}
pub fn voucher_account(voucher_id: &str) -> String {
    AccountId::Voucher(voucher_id.into()).to_string()
}
pub fn payable_account(supplier_id: &str) -> String {
    AccountId::Payable(supplier_id.into()).to_string()
}
pub fn settled_account(supplier_id: &str) -> String {
    AccountId::Settled(supplier_id.into()).to_string()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Applied,
    AlreadyApplied,
}

/// Creates the account if it does not exist (its kind and bound follow from the id).
pub async fn open_account(tx: &mut Tx, id: &AccountId) -> Result<()> {
    ensure_account(tx, &id.to_string(), id.kind(), id.may_go_negative()).await
}

/// Creates an account by its text id (tests of the ledger itself use free-form ids).
pub async fn ensure_account(
    tx: &mut Tx,
    id: &str,
    kind: &str,
    may_go_negative: bool,
) -> Result<()> {
    sqlx::query("INSERT INTO ledger_accounts (id, kind, may_go_negative) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING")
        .bind(id)
        .bind(kind)
        .bind(may_go_negative as i64)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Balance {
    pub balance: i64,
    pub debits_pending: i64,
    pub credits_pending: i64,
}

impl Balance {
    pub fn available(&self) -> i64 {
        self.balance - self.debits_pending
    }
}

/// Locks an account row for the rest of the transaction (PostgreSQL row lock via a no-op
/// UPDATE; SQLite has one writer already) and returns its fresh balance.
pub async fn lock_account(tx: &mut Tx, id: &AccountId) -> Result<Balance> {
    let row = sqlx::query(
        "UPDATE ledger_accounts SET balance = balance WHERE id = $1 RETURNING balance, debits_pending, credits_pending",
    )
    .bind(id.to_string())
    .fetch_optional(&mut **tx)
    .await?
    .ok_or_else(|| StoreError::Corrupt(format!("ledger account {id} missing")))?;
    Ok(Balance {
        balance: row.try_get(0)?,
        debits_pending: row.try_get(1)?,
        credits_pending: row.try_get(2)?,
    })
}

/// What each budget account posted to a voucher (the weights of a release).
pub async fn funded_by(tx: &mut Tx, voucher: &AccountId) -> Result<Vec<quan_domain::Funded>> {
    let rows = sqlx::query(
        "SELECT debit, amount FROM ledger_transfers WHERE credit = $1 AND kind = 'post' ORDER BY debit",
    )
    .bind(voucher.to_string())
    .fetch_all(&mut **tx)
    .await?;
    rows.iter()
        .map(|r| {
            let debit: String = r.try_get(0)?;
            let budget = debit
                .parse::<AccountId>()
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            Ok(quan_domain::Funded {
                budget,
                posted: Money::from_fen(r.try_get(1)?),
            })
        })
        .collect()
}

pub async fn balance<'e, E>(exec: E, id: &str) -> Result<Balance>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let row = sqlx::query(
        "SELECT balance, debits_pending, credits_pending FROM ledger_accounts WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(exec)
    .await?;
    Ok(match row {
        Some(r) => Balance {
            balance: r.try_get(0)?,
            debits_pending: r.try_get(1)?,
            credits_pending: r.try_get(2)?,
        },
        None => Balance::default(),
    })
}

/// Applies the postings in order inside the caller's transaction. Any error leaves the caller
/// to roll back, so a plan is all or nothing.
pub async fn post_all(tx: &mut Tx, postings: &[Posting], now: &str) -> Result<()> {
    for p in postings {
        post(tx, p, now).await?;
    }
    Ok(())
}

/// **The** entry point for moving money (with [`post_usage`] for metered batches): applies one
/// posting. A posting id already applied with the same fields is a no-op; with other fields,
/// an error.
pub async fn post(tx: &mut Tx, p: &Posting, now: &str) -> Result<Outcome> {
    let t = Row_ {
        id: &p.id,
        debit: p.debit.to_string(),
        credit: p.credit.to_string(),
        amount: p.amount.fen(),
        kind: p.kind,
        pending_id: p.pending_id.as_deref(),
        code: p.code,
    };
    apply(tx, &t, now).await
}

/// A posting as its columns.
struct Row_<'a> {
    id: &'a str,
    debit: String,
    credit: String,
    amount: i64,
    kind: PostingKind,
    pending_id: Option<&'a str>,
    code: &'static str,
}

async fn apply(tx: &mut Tx, t: &Row_<'_>, now: &str) -> Result<Outcome> {
    if t.debit == t.credit {
        return Err(StoreError::Corrupt(format!(
            "transfer {} debits and credits the same account",
            t.id
        )));
    }
    if t.amount < 0
        || (t.amount == 0 && matches!(t.kind, PostingKind::Single | PostingKind::Pending))
    {
        return Err(StoreError::Corrupt(format!(
            "transfer {} has amount {}",
            t.id, t.amount
        )));
    }
    let inserted = sqlx::query(
        "INSERT INTO ledger_transfers (id, debit, credit, amount, kind, pending_id, pending_state, code, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING",
    )
    .bind(t.id)
    .bind(&t.debit)
    .bind(&t.credit)
    .bind(t.amount)
    .bind(t.kind.as_str())
    .bind(t.pending_id)
    .bind(if t.kind == PostingKind::Pending { Some("pending") } else { None })
    .bind(t.code)
    .bind(now)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if inserted == 0 {
        let row =
            sqlx::query("SELECT debit, credit, amount, kind FROM ledger_transfers WHERE id = $1")
                .bind(t.id)
                .fetch_one(&mut **tx)
                .await?;
        let same = row.try_get::<String, _>(0)? == t.debit
            && row.try_get::<String, _>(1)? == t.credit
            && (row.try_get::<i64, _>(2)? == t.amount
                || t.kind != PostingKind::Single && t.kind != PostingKind::Pending)
            && row.try_get::<String, _>(3)? == t.kind.as_str();
        return if same {
            Ok(Outcome::AlreadyApplied)
        } else {
            Err(StoreError::conflict(
                "transfer_id_reused",
                format!("transfer id {} was used for a different transfer", t.id),
            ))
        };
    }
    match t.kind {
        PostingKind::Single => {
            for (acct, is_debit) in ordered(&t.debit, &t.credit) {
                if is_debit {
                    debit_balance(tx, acct, t.amount).await?
                } else {
                    credit_balance(tx, acct, t.amount).await?
                }
            }
        }
        PostingKind::Pending => {
            for (acct, is_debit) in ordered(&t.debit, &t.credit) {
                if is_debit {
                    reserve_debit(tx, acct, t.amount).await?
                } else {
                    reserve_credit(tx, acct, t.amount).await?
                }
            }
        }
        PostingKind::Post | PostingKind::Void => {
            // Record what was actually posted (a post of 0 means "the whole reservation").
            let posted = resolve_pending(tx, t).await?;
            sqlx::query("UPDATE ledger_transfers SET amount = $1 WHERE id = $2")
                .bind(posted)
                .bind(t.id)
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(Outcome::Applied)
}

async fn insufficient(tx: &mut Tx, account: &str, amount: i64) -> StoreError {
    match balance(&mut **tx, account).await {
        Ok(b) => {
            let exists = sqlx::query("SELECT 1 FROM ledger_accounts WHERE id = $1")
                .bind(account)
                .fetch_optional(&mut **tx)
                .await;
            match exists {
                Ok(Some(_)) => StoreError::InsufficientFunds {
                    account: account.to_string(),
                    available: b.available(),
                    amount,
                },
                _ => StoreError::Corrupt(format!("ledger account {account} does not exist")),
            }
        }
        Err(e) => e,
    }
}

async fn debit_balance(tx: &mut Tx, account: &str, amount: i64) -> Result<()> {
    let n = sqlx::query(
        "UPDATE ledger_accounts SET balance = balance - $1 \
         WHERE id = $2 AND (may_go_negative = 1 OR balance - debits_pending >= $1)",
    )
    .bind(amount)
    .bind(account)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if n == 1 {
        Ok(())
    } else {
        Err(insufficient(tx, account, amount).await)
    }
}

async fn credit_balance(tx: &mut Tx, account: &str, amount: i64) -> Result<()> {
    let n = sqlx::query("UPDATE ledger_accounts SET balance = balance + $1 WHERE id = $2")
        .bind(amount)
        .bind(account)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    if n == 1 {
        Ok(())
    } else {
        Err(StoreError::Corrupt(format!(
            "ledger account {account} does not exist"
        )))
    }
}

async fn reserve_debit(tx: &mut Tx, account: &str, amount: i64) -> Result<()> {
    let n = sqlx::query(
        "UPDATE ledger_accounts SET debits_pending = debits_pending + $1 \
         WHERE id = $2 AND (may_go_negative = 1 OR balance - debits_pending >= $1)",
    )
    .bind(amount)
    .bind(account)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if n == 1 {
        Ok(())
    } else {
        Err(insufficient(tx, account, amount).await)
    }
}

async fn reserve_credit(tx: &mut Tx, account: &str, amount: i64) -> Result<()> {
    let n = sqlx::query(
        "UPDATE ledger_accounts SET credits_pending = credits_pending + $1 WHERE id = $2",
    )
    .bind(amount)
    .bind(account)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if n == 1 {
        Ok(())
    } else {
        Err(StoreError::Corrupt(format!(
            "ledger account {account} does not exist"
        )))
    }
}

/// Posts (for `t.amount`, at most the reserved amount; 0 means all) or voids a pending transfer.
/// The pending row is claimed with a conditional UPDATE, so it resolves exactly once.
async fn resolve_pending(tx: &mut Tx, t: &Row_<'_>) -> Result<i64> {
    let pending_id = t
        .pending_id
        .ok_or_else(|| StoreError::Corrupt(format!("transfer {} has no pending_id", t.id)))?;
    let state = if t.kind == PostingKind::Post {
        "posted"
    } else {
        "voided"
    };
    let row = sqlx::query(
        "UPDATE ledger_transfers SET pending_state = $1 WHERE id = $2 AND kind = 'pending' AND pending_state = 'pending' \
         RETURNING debit, credit, amount",
    )
    .bind(state)
    .bind(pending_id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or_else(|| StoreError::conflict("invalid_state", format!("reservation {pending_id} is not pending")))?;
    let debit: String = row.try_get(0)?;
    let credit: String = row.try_get(1)?;
    let reserved: i64 = row.try_get(2)?;
    if debit != t.debit || credit != t.credit {
        return Err(StoreError::Corrupt(format!(
            "transfer {} does not match reservation {pending_id}",
            t.id
        )));
    }
    let posted = if t.kind == PostingKind::Void {
        0
    } else if t.amount == 0 {
        reserved
    } else {
        t.amount
    };
    if posted > reserved {
        return Err(StoreError::Corrupt(format!(
            "posting {posted} exceeds reservation {reserved}"
        )));
    }
    for (acct, is_debit) in ordered(&debit, &credit) {
        let sql = if is_debit {
            "UPDATE ledger_accounts SET balance = balance - $1, debits_pending = debits_pending - $2 WHERE id = $3"
        } else {
            "UPDATE ledger_accounts SET balance = balance + $1, credits_pending = credits_pending - $2 WHERE id = $3"
        };
        sqlx::query(sql)
            .bind(posted)
            .bind(reserved)
            .bind(acct)
            .execute(&mut **tx)
            .await?;
    }
    Ok(posted)
}

/// The two accounts in id order, so concurrent transactions lock rows in one global order and
/// do not deadlock each other.
fn ordered<'a>(debit: &'a str, credit: &'a str) -> [(&'a str, bool); 2] {
    if debit < credit {
        [(debit, true), (credit, false)]
    } else {
        [(credit, false), (debit, true)]
    }
}

/// Conservation: posted balances sum to zero and every reservation has both sides.
pub async fn check_conservation<'e, E>(exec: E) -> Result<()>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let row = sqlx::query(
        "SELECT CAST(COALESCE(SUM(balance), 0) AS BIGINT), CAST(COALESCE(SUM(debits_pending), 0) AS BIGINT), \
         CAST(COALESCE(SUM(credits_pending), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN may_go_negative = 0 AND balance - debits_pending < 0 THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM ledger_accounts",
    )
    .fetch_one(exec)
    .await?;
    let (sum, dp, cp, neg): (i64, i64, i64, i64) = (
        row.try_get(0)?,
        row.try_get(1)?,
        row.try_get(2)?,
        row.try_get(3)?,
    );
    if sum != 0 || dp != cp || neg != 0 {
        return Err(StoreError::Corrupt(format!(
            "ledger not conserved: balances sum to {sum}, pending debits {dp} vs credits {cp}, {neg} accounts below bound"
        )));
    }
    Ok(())
}
