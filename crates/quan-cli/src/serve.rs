use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::Args;
use quan_api::{ApiConfig, AppState};
use quan_store::{Store, StoreOptions};

use crate::config::{Config, DEFAULT_DB, DEFAULT_LISTEN};

#[derive(Args, Clone)]
pub struct ServeArgs {
    /// `sqlite://file.db` / a file path (SQLite, created if missing) or `postgres://…`.
    #[arg(long, env = "QUAN_DB")]
    pub db: Option<String>,
    #[arg(long, env = "QUAN_LISTEN")]
    pub listen: Option<String>,
    /// Directory of the built web front end.
    #[arg(long, env = "QUAN_WEB_DIR")]
    pub web_dir: Option<PathBuf>,
    /// Allow an administrator to move "today" (tests and demos only).
    #[arg(long)]
    pub test_clock: bool,
    /// SQLite synchronous=NORMAL: durable against a process crash but not a power cut.
    #[arg(long)]
    pub sqlite_relaxed: bool,
    /// Seconds between scheduler ticks (issue due vouchers, expire old ones); 0 disables.
    #[arg(long, default_value_t = 60)]
    pub tick_seconds: u64,
    /// Start with "today" set to this date (YYYY-MM-DD; needs --test-clock).
    #[arg(long, requires = "test_clock")]
    pub today: Option<String>,
    /// File holding the deployment's Ed25519 secret seed (64 hex digits, `quan audit keygen`):
    /// the audit chain's head is signed into a checkpoint at every tick and on demand.
    #[arg(long, env = "QUAN_AUDIT_KEY_FILE")]
    pub audit_key: Option<PathBuf>,
    /// Also consume signed usage batches from NATS JetStream at this URL (`nats://host:4222`;
    /// stream QUAN_USAGE, subjects quan.usage.<supplier id>), through the same writer.
    #[arg(long, env = "QUAN_USAGE_STREAM")]
    pub usage_stream: Option<String>,
}

/// Reads a secret seed written by `quan audit keygen`.
pub fn read_audit_key(path: &std::path::Path) -> Result<[u8; 32]> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading audit key {}", path.display()))?;
    hex::decode(text.trim())
        .ok()
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .with_context(|| format!("{} must hold 64 hex digits", path.display()))
}

pub fn default_web_dir() -> Option<PathBuf> {
    let candidates = [
        PathBuf::from("web/dist"),
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../web/dist"),
    ];
    candidates
        .into_iter()
        .find(|p| p.join("index.html").exists())
}

pub async fn open_store(db: &str, cfg: &Config, relaxed: bool) -> Result<Store> {
    let mut opts = StoreOptions::new(db);
    opts.max_connections = cfg.max_connections.unwrap_or(16);
    opts.sqlite_synchronous_full = !relaxed;
    Store::open(&opts)
        .await
        .with_context(|| format!("opening database {db}"))
}

pub async fn run(a: ServeArgs, cfg: &Config) -> Result<()> {
    let db =
        a.db.clone()
            .or(cfg.db.clone())
            .unwrap_or_else(|| DEFAULT_DB.into());
    let store = open_store(&db, cfg, a.sqlite_relaxed).await?;
    serve_store(store, a, cfg, |addr| {
        // Tests and scripts read this line to find a port chosen with :0.
        println!("listening on http://{addr}");
    })
    .await
}

/// Serves until SIGTERM or Ctrl-C. `on_ready` gets the bound address (the demo prints logins).
pub async fn serve_store(
    store: Store,
    a: ServeArgs,
    cfg: &Config,
    on_ready: impl FnOnce(std::net::SocketAddr),
) -> Result<()> {
    let listen = a
        .listen
        .clone()
        .or(cfg.listen.clone())
        .unwrap_or_else(|| DEFAULT_LISTEN.into());
    let addr = crate::parse_listen(&listen)?;
    let web_dir = a
        .web_dir
        .clone()
        .or(cfg.web_dir.clone().map(PathBuf::from))
        .or_else(default_web_dir);
    let audit_key = a.audit_key.as_deref().map(read_audit_key).transpose()?;
    let config = ApiConfig {
        test_clock: a.test_clock,
        web_dir,
        session_hours: cfg.session_hours.unwrap_or(12),
        audit_key,
        public_cache: Duration::from_secs(cfg.public_cache_seconds.unwrap_or(5)),
    };
    let state = AppState::new(store.clone(), config);
    if let Some(d) = &a.today {
        state.set_today(Some(
            chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .with_context(|| format!("--today {d:?} is not YYYY-MM-DD"))?,
        ));
    }
    if a.tick_seconds > 0 {
        let s = state.clone();
        let every = Duration::from_secs(a.tick_seconds);
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(every).await;
                if let Err(e) = quan_store::ops::scheduler::tick(&s.store, &s.now()).await {
                    tracing::warn!(error = %e, "scheduler tick failed");
                }
                if let Some(seed) = s.config.audit_key {
                    let ts =
                        chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
                    if let Err(e) = quan_store::audit::checkpoint_now(&s.store, &seed, &ts).await {
                        tracing::warn!(error = %e, "audit checkpoint failed");
                    }
                }
            }
        });
    }
    if let Some(url) = a.usage_stream.clone() {
        tokio::spawn(quan_api::usage_stream::run(state.clone(), url));
    }
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("binding {addr}"))?;
    let bound = listener.local_addr()?;
    tracing::info!(%bound, "quan listening");
    on_ready(bound);
    let app = quan_api::router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown())
        .await?;
    store.close().await;
    Ok(())
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
