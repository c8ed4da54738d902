use std::sync::{Arc, RwLock};

use chrono::NaiveDate;
use quan_store::ops::dashboard::Dashboard;
use quan_store::ops::usage_writer::{UsageWriter, WriterOptions};
use quan_store::ops::Now;
use quan_store::Store;

#[derive(Debug, Clone)]
pub struct ApiConfig {
    /// Lets an administrator move "today" (POST /api/v1/admin/clock) for tests and demos.
    pub test_clock: bool,
    /// Directory of the built web front end (served at `/`).
    pub web_dir: Option<std::path::PathBuf>,
    /// Session lifetime in hours.
    pub session_hours: i64,
    /// The deployment's Ed25519 secret seed for signing audit checkpoints (none: no checkpoints).
    pub audit_key: Option<[u8; 32]>,
    /// How long the public dashboard's figures are served from memory (zero: computed for every
    /// request). The dashboard is public and aggregates whole tables, so without it anyone could
    /// keep the database busy; with it, one computation per period however many ask.
    pub public_cache: std::time::Duration,
}

impl Default for ApiConfig {
    fn default() -> Self {
        ApiConfig {
            test_clock: false,
            web_dir: None,
            session_hours: 12,
            audit_key: None,
            public_cache: std::time::Duration::from_secs(5),
        }
    }
}

/// The public dashboard and when it was computed.
pub type CachedDashboard = (std::time::Instant, Arc<Dashboard>);

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<ApiConfig>,
    clock: Arc<RwLock<Option<NaiveDate>>>,
    /// Group commit for usage batches (see `quan_store::ops::usage_writer`).
    pub usage_writer: UsageWriter,
    /// The public dashboard as last computed (see `ApiConfig::public_cache`).
    pub dashboard_cache: Arc<tokio::sync::Mutex<Option<CachedDashboard>>>,
    /// What-if runs in the background (see `crate::whatif_runs`).
    pub whatif_runs: crate::whatif_runs::WhatIfRuns,
}

impl AppState {
    /// Must be called inside a tokio runtime: it starts the usage writer tasks.
    pub fn new(store: Store, config: ApiConfig) -> Self {
        let usage_writer = UsageWriter::start(store.clone(), WriterOptions::for_store(&store));
        AppState {
            usage_writer,
            store,
            config: Arc::new(config),
            clock: Arc::new(RwLock::new(None)),
            dashboard_cache: Arc::new(tokio::sync::Mutex::new(None)),
            whatif_runs: Default::default(),
        }
    }
    pub fn now(&self) -> Now {
        match *self.clock.read().expect("clock lock") {
            Some(day) => Now::at(day),
            None => Now::real(),
        }
    }
    pub fn set_today(&self, day: Option<NaiveDate>) {
        *self.clock.write().expect("clock lock") = day;
    }
}
