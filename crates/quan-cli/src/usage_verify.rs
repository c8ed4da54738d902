//! `quan usage verify`: the offline check of signed usage (issue 14 D). For every stored signed
//! batch: the key it names exists and belonged to the batch's supplier, the signature verifies
//! over the stored body, and every record the body carries that is stored under this batch
//! equals the signed one. Then, per signing supplier, records stored since its first key whose
//! batch has no signature. Reads only; exits non-zero when anything fails.
//!
//! `quan usage keygen` and `quan usage sign` are what a supplier's sender needs: a key pair, and
//! the `Quan-Signature` of a body for an Idempotency-Key.
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use quan_domain::inputs::UsageItem;
use quan_domain::usage_batch_message;
use quan_store::ops::usage::signatures::{self, StoredRecord, StoredSignedBatch};

use crate::config::{Config, DEFAULT_DB};

#[derive(Args)]
pub struct VerifyArgs {
    #[arg(long, env = "QUAN_DB")]
    pub db: Option<String>,
}

#[derive(Args)]
pub struct KeygenArgs {
    /// Where the 32-byte secret seed is written (hex); the public key is printed.
    #[arg(long)]
    pub out: PathBuf,
}

#[derive(Args)]
pub struct SignArgs {
    /// The secret seed file written by `quan usage keygen`.
    #[arg(long)]
    pub key: PathBuf,
    #[arg(long)]
    pub supplier_id: String,
    /// The Idempotency-Key the batch will be sent with.
    #[arg(long)]
    pub idempotency_key: String,
    /// The body exactly as it will be sent.
    pub body: PathBuf,
}

#[derive(Args)]
pub struct SignRotationArgs {
    /// The live key's secret seed file.
    #[arg(long)]
    pub key: PathBuf,
    #[arg(long)]
    pub supplier_id: String,
    /// The new public key (64 hex), as it will be registered.
    #[arg(long)]
    pub new_public_key: String,
}

/// What the offline check found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct VerifyReport {
    pub batches: u64,
    pub records_checked: u64,
    pub failures: Vec<String>,
}

pub fn read_seed(path: &PathBuf) -> Result<[u8; 32]> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    hex::decode(text.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .with_context(|| format!("{}: not a 64-hex-character seed", path.display()))
}

pub fn keygen(a: KeygenArgs) -> Result<()> {
    use rand::RngCore;
    let mut seed = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut seed);
    std::fs::write(&a.out, hex::encode(seed))
        .with_context(|| format!("writing {}", a.out.display()))?;
    println!("{}", quan_domain::public_key_hex(&seed));
    Ok(())
}

pub fn sign(a: SignArgs) -> Result<()> {
    let seed = read_seed(&a.key)?;
    let body = std::fs::read(&a.body).with_context(|| format!("reading {}", a.body.display()))?;
    println!(
        "{}",
        quan_domain::sign_usage_batch(&seed, &a.supplier_id, &a.idempotency_key, &body)
    );
    Ok(())
}

pub fn sign_rotation(a: SignRotationArgs) -> Result<()> {
    let seed = read_seed(&a.key)?;
    quan_domain::parse_public_key("--new-public-key", &a.new_public_key)
        .map_err(|e| anyhow::anyhow!(e.message))?;
    println!(
        "{}",
        quan_domain::sign_key_rotation(&seed, &a.supplier_id, &a.new_public_key)
    );
    Ok(())
}

fn same_time(a: &str, b: &str) -> bool {
    let p = |s: &str| chrono::DateTime::parse_from_rfc3339(s.trim()).ok();
    p(a).is_some() && p(a) == p(b)
}

/// Checks one stored batch; failures are pushed to the report.
async fn check_batch(
    conn: &mut sqlx::AnyConnection,
    b: &StoredSignedBatch,
    report: &mut VerifyReport,
) -> Result<()> {
    let fail = |report: &mut VerifyReport, what: String| {
        report
            .failures
            .push(format!("batch {}: {what}", b.batch_id))
    };
    let Some(key) = signatures::key_by_id(conn, &b.key_id).await? else {
        fail(report, format!("key {} is not registered", b.key_id));
        return Ok(());
    };
    let message = usage_batch_message(
        &b.supplier_id,
        &b.idempotency_key,
        &quan_domain::body_sha256(&b.body),
    );
    let keys = [quan_domain::UsageKey {
        retired_at: None,
        ..key.clone()
    }];
    let sent = quan_domain::BatchSignature {
        key_id: None,
        signature: Some(&b.signature),
    };
    if key.supplier_id != b.supplier_id {
        fail(report, format!("key {} is another supplier's", key.id));
    } else if let Err(e) = quan_domain::check_batch_signature(&keys, &sent, &message) {
        fail(report, format!("signature: {}", e.message));
    }
    if key.registered_at > b.received_at
        || key.retired_at.as_ref().is_some_and(|r| *r < b.received_at)
    {
        fail(
            report,
            format!("key {} was not live when the batch arrived", key.id),
        );
    }
    let items = if b.body_format == "ndjson" {
        quan_api::decode::parse_ndjson(&b.body)
    } else {
        quan_api::decode::parse_json_array(&b.body).unwrap_or_default()
    };
    for item in items {
        let UsageItem::Record(r) = item else { continue };
        let Some(stored) = signatures::stored_record(conn, &b.supplier_id, &r.record_id).await?
        else {
            continue; // rejected or a duplicate: nothing was stored for it
        };
        if stored.batch_id != b.batch_id {
            continue; // stored by an earlier batch (this one answered duplicate)
        }
        report.records_checked += 1;
        let StoredRecord {
            product_id,
            enterprise_id,
            voucher_id,
            started_at,
            ended_at,
            gpu_seconds,
            quantity,
            ..
        } = &stored;
        // Accelerator time is stored in gpu_seconds (sent as either field), other units in quantity.
        let sent = r.quantity.unwrap_or(r.gpu_seconds);
        let same = *product_id == r.product_id
            && *enterprise_id == r.enterprise_id
            && (r.voucher_id.is_none() || *voucher_id == r.voucher_id)
            && same_time(started_at, &r.started_at)
            && same_time(ended_at, &r.ended_at)
            && quantity.unwrap_or(*gpu_seconds) == sent;
        if !same {
            fail(
                report,
                format!("record {} differs from what was signed", r.record_id),
            );
        }
    }
    Ok(())
}

/// The whole offline check over a database.
pub async fn verify_all(store: &quan_store::Store) -> Result<VerifyReport> {
    let mut conn = store.reader().acquire().await?;
    let mut report = VerifyReport::default();
    let mut after = String::new();
    loop {
        let page = signatures::signed_batches(&mut conn, &after, 200).await?;
        let Some(last) = page.last() else { break };
        after = last.batch_id.clone();
        for b in &page {
            report.batches += 1;
            check_batch(&mut conn, b, &mut report).await?;
        }
    }
    for (supplier, n) in signatures::unsigned_records(&mut conn).await? {
        if n > 0 {
            report.failures.push(format!(
                "supplier {supplier}: {n} records stored since its first key have no signed batch"
            ));
        }
    }
    Ok(report)
}

pub async fn verify(a: VerifyArgs, cfg: &Config) -> Result<()> {
    let url =
        a.db.clone()
            .or(cfg.db.clone())
            .unwrap_or_else(|| DEFAULT_DB.into());
    let store = crate::serve::open_store(&url, cfg, false).await?;
    let report = verify_all(&store).await?;
    store.close().await;
    println!(
        "signed usage: {} batches, {} stored records checked against their signed bodies",
        report.batches, report.records_checked
    );
    for f in &report.failures {
        println!("  FAIL {f}");
    }
    anyhow::ensure!(
        report.failures.is_empty(),
        "{} failures",
        report.failures.len()
    );
    println!("  every signature verifies and every stored record is the one signed");
    Ok(())
}
