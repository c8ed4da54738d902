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
    /// Check an exported file offline: sequence, links and hashes. Names the first broken record.
    Verify { file: PathBuf },
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
            w.flush()?;
            eprintln!("exported {n} audit records");
            Ok(())
        }
        AuditCommand::Verify { file } => {
            let records = read_export(&file)?;
            match quan_domain::verify_chain(records.iter()) {
                Ok(n) => {
                    println!(
                        "OK: {n} records, chain intact, head {}",
                        records.last().map(|r| r.hash.as_str()).unwrap_or("(empty)")
                    );
                    Ok(())
                }
                Err(b) => bail!("BROKEN: {b}"),
            }
        }
    }
}

pub fn read_export(file: &Path) -> Result<Vec<AuditRecord>> {
    let f = std::fs::File::open(file).with_context(|| format!("opening {}", file.display()))?;
    let mut out = Vec::new();
    for (i, line) in std::io::BufReader::new(f).lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        out.push(
            serde_json::from_str(&line)
                .with_context(|| format!("line {} is not an audit record", i + 1))?,
        );
    }
    Ok(out)
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
    println!(
        "restored {} from {}: {n} audit records verified, ledger conserved",
        to.display(),
        backup.display()
    );
    Ok(())
}
