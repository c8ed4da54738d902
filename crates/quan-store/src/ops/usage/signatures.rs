//! Signed usage (issue 14 D): the suppliers' Ed25519 keys, the signature check the writer runs on
//! every batch before it claims anything, and the stored signed bodies that `quan usage verify`
//! checks offline. The rules are `quan_domain::usage_signature`; this file loads and writes.
pub use quan_domain::inputs::UsageKeyInput;
use quan_domain::{
    check_batch_signature, plan_key_registration, BatchSignature, KeyRegistrant, UsageKey,
};
use sqlx::Row;

use super::super::{is_postgres, new_id, to_json, Now};
use crate::audit;
use crate::db::Tx;
use crate::error::{Result, StoreError};
use crate::{Actor, Role, Store};

/// What a batch brought for its signature check: the headers and the body's digest, and the body
/// itself when a signature came with it (it is stored with the signature).
#[derive(Debug, Clone, Default)]
pub struct SignedBody {
    pub key_id: Option<String>,
    pub signature: Option<String>,
    /// SHA-256 of the body as sent, hex.
    pub body_sha256: String,
    pub body: Vec<u8>,
    /// `json` or `ndjson`.
    pub format: &'static str,
}

const KEY_COLUMNS: &str =
    "id, supplier_id, public_key, fingerprint, registered_at, registered_by, retired_at";

fn key_row(r: &sqlx::any::AnyRow) -> Result<UsageKey> {
    Ok(UsageKey {
        id: r.try_get(0)?,
        supplier_id: r.try_get(1)?,
        public_key: r.try_get(2)?,
        fingerprint: r.try_get(3)?,
        registered_at: r.try_get(4)?,
        registered_by: r.try_get(5)?,
        retired_at: r.try_get(6)?,
    })
}

/// Every key of a supplier, oldest first (`lock`: row locks on PostgreSQL, for a rotation).
pub async fn supplier_keys(
    conn: &mut sqlx::AnyConnection,
    supplier_id: &str,
    lock: bool,
) -> Result<Vec<UsageKey>> {
    let tail = if lock { " FOR UPDATE" } else { "" };
    let rows = sqlx::query(&format!(
        "SELECT {KEY_COLUMNS} FROM supplier_usage_keys WHERE supplier_id = $1 ORDER BY registered_at, id{tail}"
    ))
    .bind(supplier_id)
    .fetch_all(conn)
    .await?;
    rows.iter().map(key_row).collect()
}

/// The keys a user may see: a supplier its own, staff any supplier's.
pub async fn list_keys(store: &Store, actor: &Actor, supplier_id: &str) -> Result<Vec<UsageKey>> {
    if actor.supplier_scope().is_some_and(|own| own != supplier_id) {
        // Another supplier's keys: as if there were none to see (no tenant probing).
        return Err(StoreError::NotFound { what: "supplier" });
    }
    let mut conn = store.reader().acquire().await?;
    supplier_keys(&mut conn, supplier_id, false).await
}

/// Registers a supplier's key (first key, or a rotation that retires the live one); audited.
pub async fn register_key(
    tx: &mut Tx,
    actor: &Actor,
    supplier_id: &str,
    input: &UsageKeyInput,
    now: &Now,
) -> Result<UsageKey> {
    let who = match (actor.role, actor.supplier_scope()) {
        (Role::Admin, _) => KeyRegistrant::Administrator,
        (Role::Supplier, Some(own)) if own == supplier_id => KeyRegistrant::Supplier,
        (Role::Supplier, _) => return Err(StoreError::NotFound { what: "supplier" }),
        _ => {
            return Err(StoreError::forbidden(
                "a supplier registers its own keys; an administrator any supplier's",
            ))
        }
    };
    let kind: Option<String> = sqlx::query("SELECT kind FROM suppliers WHERE id = $1")
        .bind(supplier_id)
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| r.try_get(0))
        .transpose()?;
    match kind.as_deref() {
        None => return Err(StoreError::NotFound { what: "supplier" }),
        Some("compute") => {}
        Some(other) => {
            return Err(StoreError::conflict_field(
                "not_compute_supplier",
                "supplier_id",
                format!("supplier_id: a {other} supplier sends no metered usage"),
            ))
        }
    }
    let pg = is_postgres(tx);
    let keys = supplier_keys(tx, supplier_id, pg).await?;
    let plan = plan_key_registration(
        supplier_id,
        &keys,
        &input.public_key,
        input.rotation_signature.as_deref(),
        who,
    )?;
    if let Some(old) = &plan.retires {
        sqlx::query("UPDATE supplier_usage_keys SET retired_at = $1 WHERE id = $2")
            .bind(&now.ts)
            .bind(old)
            .execute(&mut **tx)
            .await?;
    }
    let key = UsageKey {
        id: new_id("uk"),
        supplier_id: supplier_id.to_string(),
        public_key: plan.public_key,
        fingerprint: plan.fingerprint,
        registered_at: now.ts.clone(),
        registered_by: actor.label(),
        retired_at: None,
    };
    sqlx::query(&format!(
        "INSERT INTO supplier_usage_keys ({KEY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, NULL)"
    ))
    .bind(&key.id)
    .bind(&key.supplier_id)
    .bind(&key.public_key)
    .bind(&key.fingerprint)
    .bind(&key.registered_at)
    .bind(&key.registered_by)
    .execute(&mut **tx)
    .await?;
    let before = keys
        .iter()
        .find(|k| Some(&k.id) == plan.retires.as_ref())
        .map_or("{}".to_string(), to_json);
    audit::append(
        tx,
        actor,
        "usage_key.register",
        &key.id,
        &before,
        &to_json(&key),
        &now.ts,
    )
    .await?;
    Ok(key)
}

/// The writer's check of one batch: `Ok(Some(key id))` when it verified with the live key,
/// `Ok(None)` when the supplier does not sign; otherwise the batch is refused whole.
pub fn check(
    keys: &[UsageKey],
    supplier_id: &str,
    idempotency_key: &str,
    signed: Option<&SignedBody>,
) -> Result<Option<String>> {
    let sent = signed.map_or(BatchSignature::default(), |s| BatchSignature {
        key_id: s.key_id.as_deref(),
        signature: s.signature.as_deref(),
    });
    let digest = signed.map_or("", |s| s.body_sha256.as_str());
    let message = quan_domain::usage_batch_message(supplier_id, idempotency_key, digest);
    Ok(check_batch_signature(keys, &sent, &message)?.map(|k| k.id.clone()))
}

/// Keeps a signed batch as it was sent (in the batch's transaction).
pub async fn store_signed(
    tx: &mut Tx,
    batch_id: &str,
    supplier_id: &str,
    key_id: &str,
    idempotency_key: &str,
    signed: &SignedBody,
    now: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO usage_batch_signatures (batch_id, supplier_id, key_id, idempotency_key, signature, \
         body_format, body, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(batch_id)
    .bind(supplier_id)
    .bind(key_id)
    .bind(idempotency_key)
    .bind(signed.signature.as_deref().unwrap_or_default())
    .bind(signed.format)
    .bind(&signed.body)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A stored signed batch, for the offline check.
#[derive(Debug, Clone)]
pub struct StoredSignedBatch {
    pub batch_id: String,
    pub supplier_id: String,
    pub key_id: String,
    pub idempotency_key: String,
    pub signature: String,
    pub body_format: String,
    pub body: Vec<u8>,
    pub received_at: String,
}

/// One page of stored signed batches after `after` (batch id order).
pub async fn signed_batches(
    conn: &mut sqlx::AnyConnection,
    after: &str,
    limit: i64,
) -> Result<Vec<StoredSignedBatch>> {
    let rows = sqlx::query(
        "SELECT batch_id, supplier_id, key_id, idempotency_key, signature, body_format, body, received_at \
         FROM usage_batch_signatures WHERE batch_id > $1 ORDER BY batch_id LIMIT $2",
    )
    .bind(after)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(StoredSignedBatch {
                batch_id: r.try_get(0)?,
                supplier_id: r.try_get(1)?,
                key_id: r.try_get(2)?,
                idempotency_key: r.try_get(3)?,
                signature: r.try_get(4)?,
                body_format: r.try_get(5)?,
                body: r.try_get(6)?,
                received_at: r.try_get(7)?,
            })
        })
        .collect()
}

/// A key by id (any supplier), for the offline check.
pub async fn key_by_id(conn: &mut sqlx::AnyConnection, key_id: &str) -> Result<Option<UsageKey>> {
    sqlx::query(&format!(
        "SELECT {KEY_COLUMNS} FROM supplier_usage_keys WHERE id = $1"
    ))
    .bind(key_id)
    .fetch_optional(conn)
    .await?
    .as_ref()
    .map(key_row)
    .transpose()
}

/// A stored usage record as the offline check compares it with the signed one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRecord {
    pub batch_id: String,
    pub product_id: String,
    pub enterprise_id: String,
    pub voucher_id: Option<String>,
    pub started_at: String,
    pub ended_at: String,
    pub gpu_seconds: i64,
    pub quantity: Option<i64>,
}

/// The stored record `(supplier, record id)`, if any.
pub async fn stored_record(
    conn: &mut sqlx::AnyConnection,
    supplier_id: &str,
    record_id: &str,
) -> Result<Option<StoredRecord>> {
    let row = sqlx::query(
        "SELECT batch_id, product_id, enterprise_id, voucher_id, started_at, ended_at, gpu_seconds, quantity \
         FROM usage_records WHERE supplier_id = $1 AND record_id = $2",
    )
    .bind(supplier_id)
    .bind(record_id)
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        Ok(StoredRecord {
            batch_id: r.try_get(0)?,
            product_id: r.try_get(1)?,
            enterprise_id: r.try_get(2)?,
            voucher_id: r.try_get(3)?,
            started_at: r.try_get(4)?,
            ended_at: r.try_get(5)?,
            gpu_seconds: r.try_get(6)?,
            quantity: r.try_get(7)?,
        })
    })
    .transpose()
}

/// Per signing supplier: records stored since its first key whose batch has no stored signature
/// (which a tampered database, not the writer, would produce).
pub async fn unsigned_records(conn: &mut sqlx::AnyConnection) -> Result<Vec<(String, i64)>> {
    let rows = sqlx::query(
        "SELECT k.supplier_id, (SELECT COUNT(*) FROM usage_records r WHERE r.supplier_id = k.supplier_id \
           AND r.created_at >= k.first_at AND NOT EXISTS \
           (SELECT 1 FROM usage_batch_signatures s WHERE s.batch_id = r.batch_id)) \
         FROM (SELECT supplier_id, MIN(registered_at) AS first_at FROM supplier_usage_keys GROUP BY supplier_id) k \
         ORDER BY k.supplier_id",
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
}
