use std::sync::{Arc, RwLock};

use chrono::NaiveDate;
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
}

impl Default for ApiConfig {
    fn default() -> Self {
        ApiConfig {
            test_clock: false,
            web_dir: None,
            session_hours: 12,
            audit_key: None,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<ApiConfig>,
    clock: Arc<RwLock<Option<NaiveDate>>>,
    /// Group commit for usage batches (see `quan_store::ops::usage_writer`).
    pub usage_writer: UsageWriter,
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
