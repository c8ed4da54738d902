//! `quan usage import FILE`: metered compute usage from CSV or NDJSON into the database, in
//! batches through the same engine as `POST /api/v1/usage`. Re-running an import is safe: a
//! record already stored (same supplier and record_id) counts as a duplicate.
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use quan_api::decode::usage_csv;
use quan_store::ops::usage::{self, UsageItem, UsageStatus, BATCH_RECORDS_MAX};
use quan_store::ops::Now;
use quan_store::{in_tx, Actor, Role, Store, StoreError};

use crate::config::{Config, DEFAULT_DB};

#[derive(Subcommand)]
pub enum UsageCommand {
    /// Import usage records (CSV with a header row, or NDJSON) for one supplier.
    Import(ImportArgs),
    /// Check every stored signed batch offline against the suppliers' keys.
    Verify(crate::usage_verify::VerifyArgs),
    /// Make an Ed25519 key pair for signing usage (prints the public key).
    Keygen(crate::usage_verify::KeygenArgs),
    /// Print the Quan-Signature of a batch body for an Idempotency-Key.
    Sign(crate::usage_verify::SignArgs),
    /// Print the live key's rotation_signature handing over to a new public key.
    SignRotation(crate::usage_verify::SignRotationArgs),
}

#[derive(Args)]
pub struct ImportArgs {
    /// CSV (`record_id,product_id,enterprise_id,started_at,ended_at,gpu_seconds[,voucher_id]`)
    /// or NDJSON (`.ndjson` / `.jsonl`, or any file whose first character is `{`).
    pub file: PathBuf,
    #[arg(long, env = "QUAN_DB")]
    pub db: Option<String>,
    /// The compute supplier that sent the records.
    #[arg(long)]
    pub supplier_id: String,
    /// Records per transaction (at most 10,000).
    #[arg(long, default_value_t = 5_000)]
    pub batch_size: usize,
    /// No progress bar (for scripts).
    #[arg(long)]
    pub quiet: bool,
}

pub async fn run(cmd: UsageCommand, cfg: &Config) -> Result<()> {
    match cmd {
        UsageCommand::Import(a) => import(a, cfg).await,
        UsageCommand::Verify(a) => crate::usage_verify::verify(a, cfg).await,
        UsageCommand::Keygen(a) => crate::usage_verify::keygen(a),
        UsageCommand::Sign(a) => crate::usage_verify::sign(a),
        UsageCommand::SignRotation(a) => crate::usage_verify::sign_rotation(a),
    }
}

#[derive(Default)]
pub struct Totals {
    pub accepted: i64,
    pub duplicates: i64,
    pub rejected: i64,
    pub amount_fen: i64,
    pub subsidy_fen: i64,
    pub reasons: BTreeMap<String, i64>,
    pub examples: Vec<String>,
}

/// Sends one batch through the engine in one transaction.
pub async fn ingest_batch(
    store: &Store,
    actor: &Actor,
    supplier_id: &str,
    items: &[UsageItem],
    t: &mut Totals,
) -> Result<()> {
    let now = Now::real();
    let batch_id = quan_store::ops::new_id("ub");
    let r: Result<_, StoreError> = in_tx!(store, |tx| usage::ingest(
        &mut tx,
        actor,
        supplier_id,
        &batch_id,
        items,
        &now
    )
    .await);
    let out = r.context("ingesting a batch")?;
    t.accepted += out.accepted;
    t.duplicates += out.duplicates;
    t.rejected += out.rejected;
    t.amount_fen += out.amount_fen;
    t.subsidy_fen += out.subsidy_fen;
    for res in out
        .results
        .iter()
        .filter(|r| r.status == UsageStatus::Rejected)
    {
        let reason = res.reason.clone().unwrap_or_default();
        *t.reasons.entry(reason.clone()).or_default() += 1;
        if t.examples.len() < 10 {
            t.examples.push(format!(
                "{}: {} ({})",
                res.record_id,
                reason,
                res.message.clone().unwrap_or_default()
            ));
        }
    }
    Ok(())
}

async fn import(a: ImportArgs, cfg: &Config) -> Result<()> {
    anyhow::ensure!(
        (1..=BATCH_RECORDS_MAX).contains(&a.batch_size),
        "--batch-size must be between 1 and {BATCH_RECORDS_MAX}"
    );
    let url =
        a.db.clone()
            .or(cfg.db.clone())
            .unwrap_or_else(|| DEFAULT_DB.into());
    let store = crate::serve::open_store(&url, cfg, false).await?;
    {
        // A signing supplier's usage comes signed, batch by batch, over the API or the stream;
        // a file import would store records no signature covers.
        let mut conn = store.reader().acquire().await?;
        let keys =
            quan_store::ops::usage::signatures::supplier_keys(&mut conn, &a.supplier_id, false)
                .await?;
        anyhow::ensure!(
            keys.iter().all(|k| k.retired_at.is_some()),
            "supplier {} signs its usage (key {}): send it signed through POST /api/v1/usage \
             or the usage stream, not as a file import",
            a.supplier_id,
            keys.iter()
                .find(|k| k.retired_at.is_none())
                .map_or("", |k| k.fingerprint.as_str())
        );
    }
    let actor = Actor {
        user_id: "cli:usage-import".into(),
        username: "usage-import".into(),
        role: Role::Supplier,
        enterprise_id: None,
        supplier_id: Some(a.supplier_id.clone()),
    };
    let file =
        std::fs::File::open(&a.file).with_context(|| format!("opening {}", a.file.display()))?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let ext = a
        .file
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let first = reader
        .fill_buf()?
        .iter()
        .copied()
        .find(|b| !b.is_ascii_whitespace() && *b != 0xEF && *b != 0xBB && *b != 0xBF);
    let ndjson = ext == "ndjson" || ext == "jsonl" || (ext != "csv" && first == Some(b'{'));
    let pb = if a.quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(len)
    };
    pb.set_style(
        ProgressStyle::with_template(
            "{msg:>10} [{bar:40}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
        )
        .expect("template")
        .progress_chars("=> "),
    );
    pb.set_message("usage");
    let started = Instant::now();
    let mut t = Totals::default();
    let mut batch: Vec<UsageItem> = Vec::with_capacity(a.batch_size);
    let mut read_bytes = 0u64;
    if ndjson {
        let mut line = String::new();
        let mut n = 0usize;
        loop {
            line.clear();
            let got = reader.read_line(&mut line)?;
            if got == 0 {
                break;
            }
            n += 1;
            read_bytes += got as u64;
            let l = line.trim_start_matches('\u{feff}').trim();
            if l.is_empty() {
                continue;
            }
            batch.extend(
                quan_api::decode::parse_ndjson(l.as_bytes())
                    .into_iter()
                    .map(|i| match i {
                        UsageItem::Malformed { record_id, message } => UsageItem::Malformed {
                            record_id,
                            message: format!("line {n}: {message}"),
                        },
                        r => r,
                    }),
            );
            if batch.len() >= a.batch_size {
                ingest_batch(&store, &actor, &a.supplier_id, &batch, &mut t).await?;
                batch.clear();
                pb.set_position(read_bytes);
            }
        }
    } else {
        let rows = usage_csv::csv_items(reader)
            .map_err(|e| anyhow::anyhow!("{}: {e}", a.file.display()))?;
        for (item, offset) in rows {
            batch.push(item);
            if batch.len() >= a.batch_size {
                ingest_batch(&store, &actor, &a.supplier_id, &batch, &mut t).await?;
                batch.clear();
                pb.set_position(offset);
            }
        }
    }
    if !batch.is_empty() {
        ingest_batch(&store, &actor, &a.supplier_id, &batch, &mut t).await?;
    }
    pb.finish_and_clear();
    let secs = started.elapsed().as_secs_f64();
    let total = t.accepted + t.duplicates + t.rejected;
    println!(
        "{}: {total} records in {secs:.1}s ({:.0}/s)",
        a.file.display(),
        total as f64 / secs.max(1e-9)
    );
    println!(
        "  accepted   {:>10}  amount ¥{}  subsidy ¥{}",
        t.accepted,
        quan_domain::Money::from_fen(t.amount_fen),
        quan_domain::Money::from_fen(t.subsidy_fen)
    );
    println!("  duplicates {:>10}", t.duplicates);
    println!("  rejected   {:>10}", t.rejected);
    for (reason, n) in &t.reasons {
        println!("    {reason:<24} {n}");
    }
    for e in &t.examples {
        println!("    e.g. {e}");
    }
    store.close().await;
    Ok(())
}
