//! The audit trail: every state change appends a record to a SHA-256 hash chain in the same
//! transaction as the change. The head row serialises appenders (its UPDATE takes a row lock in
//! PostgreSQL), so seq numbers have no gaps even with several server processes.
use quan_domain::{audit_hash, AuditRecord};
use sqlx::Row;

use crate::actor::Actor;
use crate::db::Tx;
use crate::error::Result;
use crate::ops::like_escape;

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

/// Filters of the audit log list; every one optional.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    /// The object's id, exactly.
    pub object: Option<String>,
    /// The action, exactly (`redemption.create`) or by its area (`redemption`).
    pub action: Option<String>,
    /// Who acted, as recorded (`admin:alice`), or a part of it.
    pub actor: Option<String>,
    /// From this day (inclusive), `YYYY-MM-DD`.
    pub from: Option<chrono::NaiveDate>,
    /// Until this day (inclusive).
    pub to: Option<chrono::NaiveDate>,
}

/// Sort keys of the audit log (newest first by default).
pub const SORTS: &[crate::ops::SortKey] = &[("seq", "seq"), ("at", "at"), ("action", "action")];

/// Newest first (or as `page.sort` says), filtered, for the UI.
pub async fn latest(
    store: &crate::Store,
    q: &AuditQuery,
    page: crate::ops::PageReq,
) -> Result<(Vec<AuditRecord>, i64)> {
    use crate::ops::{Arg, Filter};
    let mut f = Filter::new();
    f.eq_opt("object", q.object.as_deref());
    if let Some(a) = q.action.as_deref().filter(|a| !a.is_empty()) {
        f.add_many(
            "(action = ? OR action LIKE ? ESCAPE '\\')",
            vec![
                Arg::S(a.to_string()),
                Arg::S(format!("{}.%", like_escape(a))),
            ],
        );
    }
    if let Some(a) = q.actor.as_deref().filter(|a| !a.is_empty()) {
        f.add(
            "actor LIKE ? ESCAPE '\\'",
            Arg::S(format!("%{}%", like_escape(a))),
        );
    }
    if let Some(d) = q.from {
        f.add("at >= ?", Arg::S(d.to_string()));
    }
    if let Some(d) = q.to.and_then(|d| d.succ_opt()) {
        f.add("at < ?", Arg::S(d.to_string()));
    }
    let w = f.where_sql();
    let sql = format!(
        "SELECT {COLUMNS} FROM audit_log{w} ORDER BY {} LIMIT {} OFFSET {}",
        page.sort.order_by("seq DESC"),
        f.next_placeholder(1),
        f.next_placeholder(2)
    );
    let rows = f
        .bind(sqlx::query(&sql))
        .bind(page.page_size)
        .bind(page.offset())
        .fetch_all(store.reader())
        .await?;
    let total: i64 = f
        .bind(sqlx::query(&format!(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log{w}"
        )))
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

/// Signs the chain's current head with `seed` and stores the checkpoint, unless the head is
/// already checkpointed (or the chain is empty). Runs in the caller's transaction; the head row
/// is read under its lock, so the checkpoint is exactly the committed head.
pub async fn checkpoint(
    tx: &mut Tx,
    seed: &[u8; 32],
    now: &str,
) -> Result<Option<quan_domain::Checkpoint>> {
    let head = sqlx::query("UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash")
        .fetch_one(&mut **tx)
        .await?;
    let (seq, hash): (i64, String) = (head.try_get(0)?, head.try_get(1)?);
    let done = sqlx::query("SELECT 1 FROM audit_checkpoints WHERE seq = $1")
        .bind(seq)
        .fetch_optional(&mut **tx)
        .await?
        .is_some();
    if seq == 0 || done {
        return Ok(None);
    }
    let cp = quan_domain::sign_checkpoint(seed, seq, &hash, now);
    sqlx::query("INSERT INTO audit_checkpoints (seq, head_hash, at, public_key, signature) VALUES ($1, $2, $3, $4, $5)")
        .bind(cp.seq)
        .bind(&cp.head_hash)
        .bind(&cp.at)
        .bind(&cp.public_key)
        .bind(&cp.signature)
        .execute(&mut **tx)
        .await?;
    Ok(Some(cp))
}

fn checkpoint_row(r: &sqlx::any::AnyRow) -> Result<quan_domain::Checkpoint> {
    Ok(quan_domain::Checkpoint {
        seq: r.try_get(0)?,
        head_hash: r.try_get(1)?,
        at: r.try_get(2)?,
        public_key: r.try_get(3)?,
        signature: r.try_get(4)?,
    })
}

/// Every checkpoint, oldest first (exports carry them all).
pub async fn checkpoints(store: &crate::Store) -> Result<Vec<quan_domain::Checkpoint>> {
    let rows = sqlx::query(
        "SELECT seq, head_hash, at, public_key, signature FROM audit_checkpoints ORDER BY seq",
    )
    .fetch_all(store.reader())
    .await?;
    rows.iter().map(checkpoint_row).collect()
}

/// The newest checkpoint, if any.
pub async fn latest_checkpoint(store: &crate::Store) -> Result<Option<quan_domain::Checkpoint>> {
    let row = sqlx::query(
        "SELECT seq, head_hash, at, public_key, signature FROM audit_checkpoints ORDER BY seq DESC LIMIT 1",
    )
    .fetch_optional(store.reader())
    .await?;
    row.as_ref().map(checkpoint_row).transpose()
}

/// [`checkpoint`] in a transaction of its own (the scheduler's and the CLI's entry point).
pub async fn checkpoint_now(
    store: &crate::Store,
    seed: &[u8; 32],
    now: &str,
) -> Result<Option<quan_domain::Checkpoint>> {
    crate::in_tx!(store, |tx| checkpoint(&mut tx, seed, now).await)
}
