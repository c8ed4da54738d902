//! `quan`: the one binary. Serve the API and web app, run the seeded demo, seed at scale,
//! export and verify the audit chain, import usage, benchmark, back up and restore.
use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

mod audit_cmd;
mod bench;
mod bench_baseline;
mod bench_data;
mod bench_reads;
mod bench_stream;
mod bench_whatif;
mod config;
mod demo;
mod progress;
mod seed;
mod seed_data;
mod seed_integrity;
mod seed_modes;
mod seed_review;
mod seed_selection;
mod seed_targets;
mod seed_usage;
mod serve;
mod usage_cmd;
mod usage_verify;

#[derive(Parser)]
#[command(
    name = "quan",
    version,
    about = "Quan (券): government AI-element voucher programs"
)]
struct Cli {
    /// Configuration file (TOML); values from flags and QUAN_* environment variables win.
    #[arg(long, global = true, env = "QUAN_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the web front end (migrations run on start).
    Serve(serve::ServeArgs),
    /// Create a fresh SQLite database with seeded Shandong data and serve it.
    Demo(demo::DemoArgs),
    /// Add synthetic enterprises (and optionally the demo catalogue) to a database.
    Seed(seed::SeedArgs),
    /// Audit chain: export it, or verify an exported file offline.
    Audit {
        #[command(subcommand)]
        command: audit_cmd::AuditCommand,
    },
    /// Metered compute usage: import records from CSV or NDJSON.
    Usage {
        #[command(subcommand)]
        command: usage_cmd::UsageCommand,
    },
    /// Benchmarks (`quan bench metering`).
    Bench {
        #[command(subcommand)]
        command: bench::BenchCommand,
    },
    /// Create a user (e.g. the first administrator of a new database).
    User(UserArgs),
    /// Print the OpenAPI document (the web's API types are generated from it).
    Openapi,
    /// Back up a SQLite database (online, consistent copy). For PostgreSQL use pg_dump.
    Backup {
        #[arg(long, env = "QUAN_DB")]
        db: Option<String>,
        /// Destination file.
        out: PathBuf,
    },
    /// Restore a SQLite backup into place (the server must be stopped), then verify it.
    Restore {
        /// Backup file written by `quan backup`.
        backup: PathBuf,
        /// Database file to replace.
        #[arg(long)]
        to: PathBuf,
    },
}

#[derive(clap::Args)]
struct UserArgs {
    #[arg(long, env = "QUAN_DB")]
    db: Option<String>,
    #[arg(long)]
    username: String,
    /// Read from QUAN_PASSWORD if not given (keeps it out of shell history).
    #[arg(long, env = "QUAN_PASSWORD", hide_env_values = true)]
    password: String,
    /// admin, reviewer, enterprise, supplier or auditor
    #[arg(long)]
    role: String,
    #[arg(long)]
    enterprise_id: Option<String>,
    #[arg(long)]
    supplier_id: Option<String>,
    #[arg(long)]
    display_name: Option<String>,
    /// Reviewers only: the city (GB/T 2260 code) of a city reviewer.
    #[arg(long)]
    city_code: Option<String>,
}

async fn create_user(a: UserArgs, cfg: &config::Config) -> Result<()> {
    let url =
        a.db.or(cfg.db.clone())
            .unwrap_or_else(|| config::DEFAULT_DB.into());
    let store = serve::open_store(&url, cfg, false).await?;
    let role = quan_store::Role::parse(&a.role)
        .with_context(|| format!("--role {:?} is not a role", a.role))?;
    anyhow::ensure!(
        a.password.chars().count() >= 8,
        "--password must be at least 8 characters"
    );
    let hash = quan_api::auth::hash_password(&a.password);
    let display = a.display_name.clone().unwrap_or_else(|| a.username.clone());
    let new = quan_store::ops::users::NewUser {
        username: &a.username,
        password_hash: &hash,
        role,
        enterprise_id: a.enterprise_id.as_deref(),
        supplier_id: a.supplier_id.as_deref(),
        display_name: &display,
        city_code: a.city_code.as_deref(),
    };
    let now = quan_store::ops::Now::real();
    let system = quan_store::Actor::system();
    let r: Result<_, quan_store::StoreError> =
        quan_store::in_tx!(store, |tx| quan_store::ops::users::create(
            &mut tx, &system, &new, &now
        )
        .await);
    let u = r?;
    println!("created user {} ({}) id {}", u.username, u.role, u.id);
    store.close().await;
    Ok(())
}

#[tokio::main]
async fn main() -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("QUAN_LOG")
                .unwrap_or_else(|_| "info,sqlx=warn,tower_http=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let cfg = config::Config::load(cli.config.as_deref())?;
    match cli.command {
        Command::Serve(a) => serve::run(a, &cfg).await,
        Command::Demo(a) => demo::run(a).await,
        Command::Seed(a) => seed::run(a, &cfg).await,
        Command::Audit { command } => audit_cmd::run(command, &cfg).await,
        Command::User(a) => create_user(a, &cfg).await,
        Command::Openapi => {
            println!("{}", quan_api::openapi::document_json());
            Ok(())
        }
        Command::Usage { command } => usage_cmd::run(command, &cfg).await,
        Command::Bench { command } => bench::run(command).await,
        Command::Backup { db, out } => {
            let url = db
                .or(cfg.db.clone())
                .unwrap_or_else(|| config::DEFAULT_DB.into());
            let store = quan_store::Store::open(&quan_store::StoreOptions::new(url)).await?;
            if out.exists() {
                anyhow::bail!("{} already exists; choose a new file", out.display());
            }
            store
                .backup_sqlite(&out.to_string_lossy())
                .await
                .context("backup failed")?;
            println!("backup written to {}", out.display());
            Ok(())
        }
        Command::Restore { backup, to } => audit_cmd::restore(&backup, &to).await,
    }
}

pub fn parse_listen(s: &str) -> Result<SocketAddr> {
    s.parse()
        .with_context(|| format!("--listen {s:?} is not an address like 127.0.0.1:8080"))
}
