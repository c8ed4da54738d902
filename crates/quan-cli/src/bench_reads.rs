//! `quan bench reads`: the usage summary (the hub view) and the public dashboard over HTTP on an
//! existing database — e.g. one `quan bench metering --dir D --records 10000000` left behind —
//! uncached, sequentially, p50 and p99. Both read only the usage rollups, so their time should not
//! grow with the records stored; the record count is printed beside the figures.
use std::time::{Duration, Instant};

use anyhow::Result;
use clap::Args;
use quan_store::{Role, Store, StoreOptions};
use sqlx::Row;

use crate::bench::{session, Loopback, Run};

#[derive(Args, Clone)]
pub struct ReadsArgs {
    /// The database to read (`sqlite://…` or `postgres://…`), with usage records in it.
    #[arg(long)]
    pub db: String,
    /// Requests per endpoint.
    #[arg(long, default_value_t = 50)]
    pub requests: usize,
}

const PATHS: [(&str, &str); 2] = [
    ("usage_summary", "/api/v1/usage/summary"),
    ("public_dashboard", "/api/v1/public/dashboard"),
];

pub async fn run(a: ReadsArgs) -> Result<()> {
    anyhow::ensure!(
        (1..=10_000).contains(&a.requests),
        "--requests must be 1..=10000"
    );
    let store = Store::open(&StoreOptions::new(&a.db)).await?;
    let records: i64 = sqlx::query("SELECT CAST(COUNT(*) AS BIGINT) FROM usage_records")
        .fetch_one(store.reader())
        .await?
        .try_get(0)?;
    let name = format!(
        "bench_reads_{}",
        &uuid::Uuid::new_v4().simple().to_string()[..8]
    );
    let token = session(&store, &name, Role::Admin, None, None).await?;
    // The public dashboard's few-second cache is off: every request computes its figures.
    let config = quan_api::ApiConfig {
        public_cache: Duration::ZERO,
        ..Default::default()
    };
    let server = Loopback::start_with(&store, config).await?;
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()?;
    println!(
        "quan bench reads: {records} usage records, {} requests per endpoint",
        a.requests
    );
    let mut json = serde_json::Map::new();
    json.insert("records".into(), records.into());
    for (key, path) in PATHS {
        let url = format!("http://{}{path}", server.addr);
        let mut run = Run::default();
        let started = Instant::now();
        for _ in 0..a.requests {
            let t = Instant::now();
            let resp = http.get(&url).bearer_auth(&token).send().await?;
            anyhow::ensure!(resp.status().is_success(), "{path}: {}", resp.status());
            resp.bytes().await?;
            run.lat_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        run.records = a.requests;
        run.secs = started.elapsed().as_secs_f64();
        println!(
            "{key:<18} p50 {:>8.1} ms  p99 {:>8.1} ms",
            run.pct(0.50),
            run.pct(0.99)
        );
        json.insert(
            key.into(),
            serde_json::json!({"p50_ms": run.pct(0.50), "p99_ms": run.pct(0.99)}),
        );
    }
    server.stop().await;
    println!("{}", serde_json::Value::Object(json));
    Ok(())
}
