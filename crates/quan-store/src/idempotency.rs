//! Idempotency keys for money-moving requests. The key is claimed inside the same transaction as
//! the effect and the response is stored there too: a retry either sees the committed response
//! (and replays it) or, if the first attempt rolled back, runs again. Claiming a key before the
//! write succeeds (OpenMeter issue 5118) cannot happen here.
use sqlx::Row;

use crate::db::Tx;
use crate::error::{Result, StoreError};

pub struct Replay {
    pub status: u16,
    pub body: String,
}

/// Claims (user, key). Returns the stored response when the key was already used for the same
/// request, an error when it was used for a different one, and None when this is the first use.
pub async fn claim(
    tx: &mut Tx,
    user_id: &str,
    key: &str,
    request_hash: &str,
    now: &str,
) -> Result<Option<Replay>> {
    let n = sqlx::query(
        "INSERT INTO idempotency (user_id, idem_key, request_hash, status, body, created_at) VALUES ($1, $2, $3, 0, '', $4) \
         ON CONFLICT (user_id, idem_key) DO NOTHING",
    )
    .bind(user_id)
    .bind(key)
    .bind(request_hash)
    .bind(now)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if n == 1 {
        return Ok(None);
    }
    let row = sqlx::query(
        "SELECT request_hash, status, body FROM idempotency WHERE user_id = $1 AND idem_key = $2",
    )
    .bind(user_id)
    .bind(key)
    .fetch_one(&mut **tx)
    .await?;
    let stored_hash: String = row.try_get(0)?;
    if stored_hash != request_hash {
        return Err(StoreError::IdempotencyMismatch);
    }
    let status: i64 = row.try_get(1)?;
    Ok(Some(Replay {
        status: status as u16,
        body: row.try_get(2)?,
    }))
}

/// Gives back a key claimed in this transaction whose request was refused before it did
/// anything (the usage writer's signature check), so a corrected resend may use it.
pub async fn release(tx: &mut Tx, user_id: &str, key: &str) -> Result<()> {
    sqlx::query("DELETE FROM idempotency WHERE user_id = $1 AND idem_key = $2 AND status = 0")
        .bind(user_id)
        .bind(key)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn finish(tx: &mut Tx, user_id: &str, key: &str, status: u16, body: &str) -> Result<()> {
    sqlx::query(
        "UPDATE idempotency SET status = $1, body = $2 WHERE user_id = $3 AND idem_key = $4",
    )
    .bind(status as i64)
    .bind(body)
    .bind(user_id)
    .bind(key)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
