use std::io::{BufRead, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::Subcommand;
use quan_domain::AuditRecord;

use crate::config::{Config, DEFAULT_DB};

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Write the whole chain as NDJSON (one record per line, oldest first).
    Export {
        #[arg(long, env = "QUAN_DB")]
        db: Option<String>,
        /// Output file ("-" for standard output).
        #[arg(long, short, default_value = "-")]
        out: String,
    },
    /// Check an exported file offline: sequence, links and hashes, and every signed checkpoint
    /// (those it carries and `--checkpoint`): an export cut short of a checkpoint, or diverging
    /// from one, fails. Names the first broken record.
    Verify {
        file: PathBuf,
        /// A checkpoint (JSON, e.g. saved from GET /api/v1/public/audit/checkpoint).
        #[arg(long)]
        checkpoint: Option<PathBuf>,
        /// The deployment's public key (hex); checkpoints signed by another key fail.
        #[arg(long)]
        public_key: Option<String>,
    },
    /// Recompute from the audit chain what the stored state must be (redemptions, their
    /// transfers, vouchers, usage batches, every ledger balance) and name each row that differs.
    Reconcile {
        #[arg(long, env = "QUAN_DB")]
        db: Option<String>,
    },
    /// Create an Ed25519 signing key for audit checkpoints (64 hex digits in FILE, mode 0600);
    /// prints the public key to publish.
    Keygen {
        #[arg(long)]
        out: PathBuf,
    },
}

/// Writes a fresh secret seed to `path` (owner-only) and returns the public key.
pub fn write_new_key(path: &Path) -> Result<String> {
    let seed: [u8; 32] = rand::random();
    std::fs::write(path, hex::encode(seed))
        .with_context(|| format!("writing {}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(quan_domain::public_key_hex(&seed))
}

/// One line of an export: a record, or a checkpoint (`{"checkpoint": {...}}`).
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum ExportLine {
    Checkpoint { checkpoint: quan_domain::Checkpoint },
    Record(AuditRecord),
}

pub async fn run(cmd: AuditCommand, cfg: &Config) -> Result<()> {
    match cmd {
        AuditCommand::Export { db, out } => {
            let url = db.or(cfg.db.clone()).unwrap_or_else(|| DEFAULT_DB.into());
            let store = crate::serve::open_store(&url, cfg, false).await?;
            let mut w: Box<dyn Write> = if out == "-" {
                Box::new(std::io::stdout().lock())
            } else {
                Box::new(std::fs::File::create(&out).with_context(|| format!("creating {out}"))?)
            };
            let mut w = BufWriter::new(&mut w);
            let (mut after, mut n) = (0i64, 0u64);
            loop {
                let page = quan_store::audit::page(&store, after, 10_000).await?;
                if page.is_empty() {
                    break;
                }
                for r in &page {
                    serde_json::to_writer(&mut w, r)?;
                    w.write_all(b"\n")?;
                    n += 1;
                }
                after = page.last().map(|r| r.seq).unwrap_or(after);
            }
            let cps = quan_store::audit::checkpoints(&store).await?;
            for cp in &cps {
                serde_json::to_writer(&mut w, &serde_json::json!({ "checkpoint": cp }))?;
                w.write_all(b"\n")?;
            }
            w.flush()?;
            eprintln!("exported {n} audit records and {} checkpoints", cps.len());
            Ok(())
        }
        AuditCommand::Verify {
            file,
            checkpoint,
            public_key,
        } => verify(&file, checkpoint.as_deref(), public_key.as_deref()),
        AuditCommand::Reconcile { db } => {
            let url = db.or(cfg.db.clone()).unwrap_or_else(|| DEFAULT_DB.into());
            let store = crate::serve::open_store(&url, cfg, false).await?;
            report_reconcile(&store).await
        }
        AuditCommand::Keygen { out } => {
            if out.exists() {
                bail!("{} exists; refusing to overwrite a key", out.display());
            }
            let public = write_new_key(&out)?;
            println!("{public}");
            eprintln!(
                "secret key written to {}; publish the public key above",
                out.display()
            );
            Ok(())
        }
    }
}

/// Prints every mismatch and fails when there is one.
pub async fn report_reconcile(store: &quan_store::Store) -> Result<()> {
    let mismatches = quan_store::ops::reconcile::reconcile(store).await?;
    for m in &mismatches {
        println!("MISMATCH {m}");
    }
    if !mismatches.is_empty() {
        bail!(
            "{} rows differ from what the audit chain says",
            mismatches.len()
        );
    }
    println!("OK: the stored state agrees with the audit chain");
    Ok(())
}

fn verify(file: &Path, checkpoint: Option<&Path>, public_key: Option<&str>) -> Result<()> {
    let (records, mut cps) = read_export_with_checkpoints(file)?;
    let n = match quan_domain::verify_chain(records.iter()) {
        Ok(n) => n,
        Err(b) => bail!("BROKEN: {b}"),
    };
    if let Some(p) = checkpoint {
        let text =
            std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
        cps.push(
            serde_json::from_str(&text)
                .with_context(|| format!("{} is not a checkpoint", p.display()))?,
        );
    }
    for cp in &cps {
        quan_domain::verify_signature(cp, public_key)
            .map_err(|e| anyhow::anyhow!("BROKEN: checkpoint at seq {}: {e}", cp.seq))?;
        quan_domain::verify_against(&records, cp).map_err(|e| anyhow::anyhow!("BROKEN: {e}"))?;
    }
    if !cps.is_empty() && public_key.is_none() {
        eprintln!("note: checkpoint signatures checked against the key they carry; pass --public-key to check who signed");
    }
    println!(
        "OK: {n} records, chain intact, head {}, {} checkpoints agree",
        records.last().map(|r| r.hash.as_str()).unwrap_or("(empty)"),
        cps.len()
    );
    Ok(())
}

/// The records and checkpoints of an export.
pub fn read_export_with_checkpoints(
    file: &Path,
) -> Result<(Vec<AuditRecord>, Vec<quan_domain::Checkpoint>)> {
    let f = std::fs::File::open(file).with_context(|| format!("opening {}", file.display()))?;
    let (mut records, mut cps) = (Vec::new(), Vec::new());
    for (i, line) in std::io::BufReader::new(f).lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str(&line).with_context(|| {
            format!("line {} is neither an audit record nor a checkpoint", i + 1)
        })? {
            ExportLine::Record(r) => records.push(r),
            ExportLine::Checkpoint { checkpoint } => cps.push(checkpoint),
        }
    }
    Ok((records, cps))
}

/// Copies a backup into place and checks it: migrations, audit chain, ledger conservation.
pub async fn restore(backup: &Path, to: &Path) -> Result<()> {
    if !backup.exists() {
        bail!("{} does not exist", backup.display());
    }
    for suffix in ["", "-wal", "-shm"] {
        let p = PathBuf::from(format!("{}{suffix}", to.display()));
        if p.exists() {
            std::fs::remove_file(&p).with_context(|| format!("removing {}", p.display()))?;
        }
    }
    std::fs::copy(backup, to).with_context(|| format!("copying to {}", to.display()))?;
    let store = quan_store::Store::open(&quan_store::StoreOptions::new(
        to.to_string_lossy().to_string(),
    ))
    .await?;
    let n = match quan_store::audit::verify(&store).await? {
        Ok(n) => n,
        Err(b) => bail!("restored database fails audit verification: {b}"),
    };
    quan_store::ledger::check_conservation(store.reader())
        .await
        .context("restored ledger")?;
    report_reconcile(&store)
        .await
        .context("restored database")?;
    println!(
        "restored {} from {}: {n} audit records verified, ledger conserved",
        to.display(),
        backup.display()
    );
    Ok(())
}
