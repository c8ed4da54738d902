//! The audit trail: every state change appends a record to a SHA-256 hash chain in the same
//! transaction as the change. The head row serialises appenders (its UPDATE takes a row lock in
//! PostgreSQL), so seq numbers have no gaps even with several server processes.
use quan_domain::{audit_hash, AuditRecord};
use sqlx::Row;

use crate::actor::Actor;
use crate::db::Tx;
use crate::error::Result;

pub async fn append(
    tx: &mut Tx,
    actor: &Actor,
    action: &str,
    object: &str,
    before: &str,
    after: &str,
    now: &str,
) -> Result<i64> {
    let head = sqlx::query("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
        .fetch_one(&mut **tx)
        .await?;
    let seq: i64 = head.try_get(0)?;
    let prev: String = head.try_get(1)?;
    let who = actor.label();
    let hash = audit_hash(&prev, seq, now, &who, action, object, before, after);
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor, action, object, before_json, after_json, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(seq)
    .bind(now)
    .bind(&who)
    .bind(action)
    .bind(object)
    .bind(before)
    .bind(after)
    .bind(&prev)
    .bind(&hash)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
        .bind(&hash)
        .execute(&mut **tx)
        .await?;
    Ok(seq)
}

fn record(r: &sqlx::any::AnyRow) -> Result<AuditRecord> {
    Ok(AuditRecord {
        seq: r.try_get(0)?,
        at: r.try_get(1)?,
        actor: r.try_get(2)?,
        action: r.try_get(3)?,
        object: r.try_get(4)?,
        before: r.try_get(5)?,
        after: r.try_get(6)?,
        prev_hash: r.try_get(7)?,
        hash: r.try_get(8)?,
    })
}

const COLUMNS: &str = "seq, at, actor, action, object, before_json, after_json, prev_hash, hash";

/// Records with seq > `after_seq`, oldest first, at most `limit`.
pub async fn page(store: &crate::Store, after_seq: i64, limit: i64) -> Result<Vec<AuditRecord>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2"
    ))
    .bind(after_seq)
    .bind(limit)
    .fetch_all(store.reader())
    .await?;
    rows.iter().map(record).collect()
}

/// Newest first, for the UI.
pub async fn latest(
    store: &crate::Store,
    offset: i64,
    limit: i64,
) -> Result<(Vec<AuditRecord>, i64)> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM audit_log ORDER BY seq DESC LIMIT $1 OFFSET $2"
    ))
    .bind(limit)
    .bind(offset)
    .fetch_all(store.reader())
    .await?;
    let total: i64 = sqlx::query("SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log")
        .fetch_one(store.reader())
        .await?
        .try_get(0)?;
    Ok((rows.iter().map(record).collect::<Result<_>>()?, total))
}

/// Walks the whole chain in pages; returns the record count or the first broken record.
pub async fn verify(
    store: &crate::Store,
) -> Result<std::result::Result<u64, quan_domain::ChainBreak>> {
    let mut all = Vec::new();
    let mut after = 0;
    loop {
        let page = page(store, after, 10_000).await?;
        if page.is_empty() {
            break;
        }
        after = page.last().map(|r| r.seq).unwrap_or(after);
        all.extend(page);
    }
    Ok(quan_domain::verify_chain(all.iter()))
}
