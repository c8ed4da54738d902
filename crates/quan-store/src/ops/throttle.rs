//! The login throttle in the database, so every server on it counts the same failures: per key
//! (`user:<name>`, `addr:<ip>`) the failures in the current window and until when the next
//! attempt must wait (`quan_domain::BackoffPolicy`).
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use quan_domain::BackoffPolicy;
use sqlx::Row;

use crate::error::Result;
use crate::Store;

fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Seconds the key must still wait at `now`, or `None` when it may try.
pub async fn wait(store: &Store, key: &str, now: DateTime<Utc>) -> Result<Option<i64>> {
    let row = sqlx::query("SELECT locked_until FROM login_failures WHERE throttle_key = $1")
        .bind(key)
        .fetch_optional(store.reader())
        .await?;
    let until: Option<String> = match row {
        Some(r) => r.try_get(0)?,
        None => None,
    };
    Ok(until
        .and_then(|u| DateTime::parse_from_rfc3339(&u).ok())
        .map(|u| (u.with_timezone(&Utc) - now).num_milliseconds())
        .filter(|ms| *ms > 0)
        .map(|ms| (ms + 999) / 1000))
}

/// Counts a failure of `key` (failures older than the window are forgotten first) and sets how
/// long the next attempt must wait. Returns that wait in seconds.
pub async fn fail(
    store: &Store,
    key: &str,
    policy: BackoffPolicy,
    now: DateTime<Utc>,
) -> Result<i64> {
    let window_start = ts(now - Duration::seconds(policy.window_seconds));
    let n: i64 = sqlx::query(
        "INSERT INTO login_failures (throttle_key, failures, last_failure_at, locked_until) VALUES ($1, 1, $2, NULL) \
         ON CONFLICT (throttle_key) DO UPDATE SET \
         failures = CASE WHEN login_failures.last_failure_at < $3 THEN 1 ELSE login_failures.failures + 1 END, \
         last_failure_at = $2 RETURNING failures",
    )
    .bind(key)
    .bind(ts(now))
    .bind(&window_start)
    .fetch_one(store.writer())
    .await?
    .try_get(0)?;
    let wait = policy.wait_seconds(u32::try_from(n).unwrap_or(u32::MAX));
    let until = (wait > 0).then(|| ts(now + Duration::seconds(wait)));
    // Only ever extends a wait: a concurrent failure on another server that counted higher
    // keeps its longer wait.
    sqlx::query(
        "UPDATE login_failures SET locked_until = $1 WHERE throttle_key = $2 \
         AND (locked_until IS NULL OR locked_until < $1)",
    )
    .bind(until)
    .bind(key)
    .execute(store.writer())
    .await?;
    Ok(wait)
}

/// Forgets a key's failures (a successful login, or an administrator's unlock).
pub async fn clear(store: &Store, key: &str) -> Result<bool> {
    Ok(
        sqlx::query("DELETE FROM login_failures WHERE throttle_key = $1")
            .bind(key)
            .execute(store.writer())
            .await?
            .rows_affected()
            > 0,
    )
}

/// A key that has failed recently, as the administrator's lock list shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LoginLock {
    pub key: String,
    pub failures: i64,
    pub last_failure_at: String,
    pub locked_until: Option<String>,
}

/// Keys with failures in the last `window_seconds`, most recent first (at most 200).
pub async fn recent(
    store: &Store,
    now: DateTime<Utc>,
    window_seconds: i64,
) -> Result<Vec<LoginLock>> {
    let rows = sqlx::query(
        "SELECT throttle_key, failures, last_failure_at, locked_until FROM login_failures \
         WHERE last_failure_at >= $1 ORDER BY last_failure_at DESC LIMIT 200",
    )
    .bind(ts(now - Duration::seconds(window_seconds)))
    .fetch_all(store.reader())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(LoginLock {
                key: r.try_get(0)?,
                failures: r.try_get(1)?,
                last_failure_at: r.try_get(2)?,
                locked_until: r.try_get(3)?,
            })
        })
        .collect()
}

/// An administrator lifts an account's lock: its failures are forgotten, and the audit chain
/// records who did it. Unknown users answer not found; an account without failures is fine.
pub async fn unlock(
    tx: &mut crate::db::Tx,
    actor: &crate::Actor,
    username: &str,
    now: &super::Now,
) -> Result<bool> {
    let exists = sqlx::query("SELECT 1 FROM users WHERE username = $1")
        .bind(username)
        .fetch_optional(&mut **tx)
        .await?
        .is_some();
    if !exists {
        return Err(super::not_found("user"));
    }
    let key = format!("user:{username}");
    let cleared = sqlx::query("DELETE FROM login_failures WHERE throttle_key = $1")
        .bind(&key)
        .execute(&mut **tx)
        .await?
        .rows_affected()
        > 0;
    let after = format!("{{\"unlocked\":{cleared}}}");
    crate::audit::append(tx, actor, "user.unlock", &key, "null", &after, &now.ts).await?;
    Ok(cleared)
}
