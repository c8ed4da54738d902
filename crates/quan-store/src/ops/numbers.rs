//! The next human-readable number of a document (`quan_domain::document_number`). The sequence
//! row of (kind, year) is the last lock a transaction takes before the audit record, so it is
//! held only for the insert and the commit; one kind per transaction.
use chrono::Datelike;
use quan_domain::{document_number, DocumentKind};
use sqlx::Row;

use super::Now;
use crate::db::Tx;
use crate::error::Result;

/// Takes the next number of `kind` in the platform's current year.
pub(crate) async fn next(tx: &mut Tx, kind: DocumentKind, now: &Now) -> Result<String> {
    let year = now.today.year();
    sqlx::query(
        "INSERT INTO document_numbers (kind, year, n) VALUES ($1, $2, 0) ON CONFLICT (kind, year) DO NOTHING",
    )
    .bind(kind.code())
    .bind(year as i64)
    .execute(&mut **tx)
    .await?;
    let n: i64 = sqlx::query(
        "UPDATE document_numbers SET n = n + 1 WHERE kind = $1 AND year = $2 RETURNING n",
    )
    .bind(kind.code())
    .bind(year as i64)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    Ok(document_number(kind, year, n))
}
