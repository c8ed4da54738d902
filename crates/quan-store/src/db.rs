//! Connection pools, migrations and transactions for both backends.
use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, AnyPool, Executor};

use crate::error::Result;

pub type Tx = sqlx::Transaction<'static, Any>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// `sqlite://path/to/file.db` (created if missing) or `postgres://…`.
    pub url: String,
    /// Connections for readers (PostgreSQL: for everything).
    pub max_connections: u32,
    /// SQLite `synchronous`: FULL makes every commit durable against power loss; NORMAL (WAL)
    /// against a process crash only. Default FULL.
    pub sqlite_synchronous_full: bool,
}

impl StoreOptions {
    pub fn new(url: impl Into<String>) -> Self {
        StoreOptions {
            url: url.into(),
            max_connections: 16,
            sqlite_synchronous_full: true,
        }
    }
}

/// The database. Cheap to clone. SQLite gets one writer connection (SQLite has one writer at a
/// time anyway; a single connection avoids BUSY on lock upgrades) and several readers; PostgreSQL
/// uses one pool for both, and correctness under concurrency comes from row locks taken by the
/// conditional updates in the ledger.
#[derive(Clone)]
pub struct Store {
    pub(crate) read: AnyPool,
    pub(crate) write: AnyPool,
    pub dialect: Dialect,
}

static MIGRATE_SQLITE: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static MIGRATE_POSTGRES: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// SQLite connections: WAL, the chosen durability, a generous busy timeout, foreign keys on.
fn sqlite_pool(max: u32, sync: &'static str) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(max)
        .acquire_timeout(Duration::from_secs(60))
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                conn.execute("PRAGMA journal_mode=WAL").await?;
                conn.execute(format!("PRAGMA synchronous={sync}").as_str())
                    .await?;
                conn.execute("PRAGMA busy_timeout=10000").await?;
                conn.execute("PRAGMA foreign_keys=ON").await?;
                conn.execute("PRAGMA cache_size=-65536").await?;
                Ok(())
            })
        })
}

/// Turns a plain path into a sqlite URL; leaves URLs alone.
pub fn normalize_url(url: &str) -> String {
    if url.starts_with("postgres://")
        || url.starts_with("postgresql://")
        || url.starts_with("sqlite:")
    {
        url.to_string()
    } else {
        format!("sqlite://{url}")
    }
}

impl Store {
    pub async fn open(opts: &StoreOptions) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let url = normalize_url(&opts.url);
        if url.starts_with("sqlite:") {
            let url = if url.contains('?') {
                url
            } else {
                format!("{url}?mode=rwc")
            };
            let sync = if opts.sqlite_synchronous_full {
                "FULL"
            } else {
                "NORMAL"
            };
            let connect = AnyConnectOptions::from_str(&url)?;
            let write = sqlite_pool(1, sync).connect_with(connect.clone()).await?;
            MIGRATE_SQLITE
                .run(&write)
                .await
                .map_err(|e| crate::StoreError::Corrupt(format!("migration failed: {e}")))?;
            let read = sqlite_pool(opts.max_connections.max(1), sync)
                .connect_with(connect)
                .await?;
            Ok(Store {
                read,
                write,
                dialect: Dialect::Sqlite,
            })
        } else {
            let pool = AnyPoolOptions::new()
                .max_connections(opts.max_connections.max(1))
                .acquire_timeout(Duration::from_secs(60))
                .connect(&url)
                .await?;
            MIGRATE_POSTGRES
                .run(&pool)
                .await
                .map_err(|e| crate::StoreError::Corrupt(format!("migration failed: {e}")))?;
            Ok(Store {
                read: pool.clone(),
                write: pool,
                dialect: Dialect::Postgres,
            })
        }
    }

    pub async fn begin(&self) -> Result<Tx> {
        Ok(self.write.begin().await?)
    }

    pub fn reader(&self) -> &AnyPool {
        &self.read
    }
    pub fn writer(&self) -> &AnyPool {
        &self.write
    }

    pub async fn close(&self) {
        self.read.close().await;
        self.write.close().await;
    }

    /// A consistent copy of a SQLite database (online backup via VACUUM INTO).
    pub async fn backup_sqlite(&self, dest: &str) -> Result<()> {
        if self.dialect != Dialect::Sqlite {
            return Err(crate::StoreError::conflict(
                "unsupported",
                "backup of PostgreSQL is done with pg_dump (see README)",
            ));
        }
        sqlx::query("VACUUM INTO $1")
            .bind(dest)
            .execute(&self.write)
            .await?;
        Ok(())
    }
}

/// Runs `$body` (an async block using `tx`) in a write transaction, retrying the whole
/// transaction when the database reports a deadlock or serialization failure.
#[macro_export]
macro_rules! in_tx {
    ($store:expr, |$tx:ident| $body:expr) => {{
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let mut $tx = $store.begin().await?;
            let result: $crate::error::Result<_> = async { $body }.await;
            match result {
                Ok(v) => match $tx.commit().await {
                    Ok(()) => break Ok(v),
                    Err(e) => {
                        let e = $crate::StoreError::from(e);
                        if attempt < 8 && e.is_retryable() {
                            continue;
                        }
                        break Err(e);
                    }
                },
                Err(e) => {
                    let _ = $tx.rollback().await;
                    if attempt < 8 && e.is_retryable() {
                        tokio::time::sleep(std::time::Duration::from_millis(2 * attempt as u64))
                            .await;
                        continue;
                    }
                    break Err(e);
                }
            }
        }
    }};
}
