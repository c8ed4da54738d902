//! `quan bench metering`: throughput of the metering engine, measured in one run on
//! (1) embedded SQLite (file, WAL, synchronous=FULL), (2) HTTP on loopback against that SQLite
//! database, (3) PostgreSQL, and (4) a naive baseline — one PostgreSQL transaction per record
//! doing the same check-balance-and-update, on the native driver from 16 clients and from one
//! (`bench_baseline`). Everything talks to 127.0.0.1 only; every loop is
//! bounded in count (and the HTTP senders in time).
//!
//! Data are set up directly in SQL (enterprises, applications, vouchers and their ledger
//! accounts with `generate_series` / a recursive CTE), with one `bench:issued` counter account
//! holding the negative of all face values so the ledger stays conserved.
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use quan_store::ops::catalogue::{ProductInput, SupplierInput};
use quan_store::ops::programs::{FundingShareInput, FundingSourceInput, ProgramInput};
use quan_store::ops::usage::{self, UsageInput, UsageItem};
use quan_store::ops::usage_writer::{Submission, UsageWriter, WriterOptions};
use quan_store::ops::Now;
use quan_store::{in_tx, Actor, Dialect, Role, Store, StoreError, StoreOptions};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

#[derive(Subcommand)]
pub enum BenchCommand {
    /// Metered usage ingestion: embedded SQLite, HTTP, PostgreSQL and a naive baseline.
    Metering(MeteringArgs),
    /// The data hub's check over HTTP with 1,000,000 consents, against 1,000 and the HTTP floor.
    DataCheck(crate::bench_data::DataCheckArgs),
    /// The usage summary and the public dashboard on an existing database, uncached, p50/p99.
    Reads(crate::bench_reads::ReadsArgs),
    /// The what-if replay of 1,000,000 metered records and 100,000 redemptions.
    Whatif(crate::bench_whatif::WhatIfArgs),
}

#[derive(Args, Clone)]
pub struct MeteringArgs {
    /// Usage records per engine run (embedded SQLite and PostgreSQL).
    #[arg(long, default_value_t = 200_000)]
    pub records: usize,
    /// Voucher counts to run at, comma-separated (one enterprise per voucher).
    #[arg(long, value_delimiter = ',', default_value = "1000")]
    pub vouchers: Vec<usize>,
    /// Records per engine batch (one transaction each).
    #[arg(long, default_value_t = 5_000)]
    pub batch_size: usize,
    /// Records sent over HTTP (batches of --http-batch-size); default min(--records, 200000).
    #[arg(long)]
    pub http_records: Option<usize>,
    #[arg(long, default_value_t = 1_000)]
    pub http_batch_size: usize,
    /// Concurrent HTTP senders (hubs and their collectors); their batches are group-committed.
    #[arg(long, default_value_t = 16)]
    pub http_clients: usize,
    /// Concurrent batch senders to the embedded engine (batches are group-committed).
    #[arg(long, default_value_t = 4)]
    pub senders: usize,
    /// Concurrent batch senders to the engine on PostgreSQL.
    #[arg(long, default_value_t = 4)]
    pub pg_workers: usize,
    /// Records for the naive baseline (one transaction each), from --baseline-clients clients;
    /// the one-client run takes a quarter of them.
    #[arg(long, default_value_t = 8_000)]
    pub baseline_records: usize,
    /// Concurrent clients of the naive baseline.
    #[arg(long, default_value_t = 16)]
    pub baseline_clients: usize,
    /// Server to create a throwaway database on (dropped afterwards).
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "postgres://postgres@127.0.0.1:5432/postgres"
    )]
    pub postgres_url: String,
    /// Skip the PostgreSQL runs (engine and baseline).
    #[arg(long)]
    pub no_postgres: bool,
    /// Directory for the SQLite files (default: a fresh temporary directory, removed afterwards).
    #[arg(long)]
    pub dir: Option<std::path::PathBuf>,
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    /// Skip the JetStream run (it starts a private `nats-server -js` when one is on PATH).
    #[arg(long)]
    pub no_jetstream: bool,
}

pub async fn run(cmd: BenchCommand) -> Result<()> {
    match cmd {
        BenchCommand::Metering(a) => metering(a).await,
        BenchCommand::DataCheck(a) => crate::bench_data::run(a).await,
        BenchCommand::Reads(a) => crate::bench_reads::run(a).await,
        BenchCommand::Whatif(a) => crate::bench_whatif::run(a).await,
    }
}

pub(crate) fn rss_mb(field: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Run {
    pub(crate) records: usize,
    pub(crate) secs: f64,
    pub(crate) lat_ms: Vec<f64>,
}

impl Run {
    pub(crate) fn rps(&self) -> f64 {
        self.records as f64 / self.secs.max(1e-9)
    }
    pub(crate) fn pct(&self, p: f64) -> f64 {
        if self.lat_ms.is_empty() {
            return 0.0;
        }
        let mut v = self.lat_ms.clone();
        v.sort_by(|a, b| a.partial_cmp(b).unwrap());
        v[((v.len() as f64 - 1.0) * p).round() as usize]
    }
}

/// What the generator needs to know about the world.
#[derive(Clone)]
pub(crate) struct World {
    pub(crate) supplier_id: String,
    products: Vec<String>,
    vouchers: usize,
}

const FACE_FEN: i64 = 10_000_000; // ¥100,000 per voucher

/// Catalogue and program through the ordinary operations; enterprises and vouchers in bulk SQL.
pub(crate) async fn setup(store: &Store, n_vouchers: usize) -> Result<World> {
    let now = Now::real();
    let sys = Actor::system();
    let r: Result<World, StoreError> = in_tx!(store, |tx| {
        let src = quan_store::ops::programs::create_source(
            &mut tx,
            &sys,
            &FundingSourceInput {
                name: "省级算力券资金（基准）".into(),
                level: "province".into(),
                city_code: None,
                appropriated_fen: 100_000_000_000_000,
            },
            &now,
        )
        .await?;
        let year = now.today.format("%Y").to_string();
        let program = quan_store::ops::programs::create(
            &mut tx,
            &sys,
            &ProgramInput {
                name: "算力券（基准）".into(),
                voucher_type: "compute".into(),
                year: year.parse().unwrap_or(2026),
                rate_bps: 3000,
                face_value_cap_fen: FACE_FEN,
                enterprise_year_cap_fen: FACE_FEN * 10,
                apply_from: format!("{year}-01-01"),
                apply_until: format!("{year}-12-31"),
                valid_from: format!("{year}-01-01"),
                valid_until: format!("{year}-12-31"),
                notice_days: 0,
                eligible_cities: vec![],
                eligible_sizes: vec![],
                eligible_industries: vec![],
                budget_fen: 1_000_000_000_000,
                funding: vec![FundingShareInput {
                    source_id: src.id.clone(),
                    share_bps: 10_000,
                }],
                policy: Default::default(),
            },
            &now,
        )
        .await?;
        let sup = quan_store::ops::catalogue::create_supplier(
            &mut tx,
            &sys,
            &SupplierInput {
                name: "山东算力网（基准）".into(),
                uscc: quan_domain::make_uscc(
                    '9',
                    '1',
                    "370102",
                    &format!("B{:08}", rand::thread_rng().gen_range(0..99_999_999u32)),
                ),
                kind: "compute".into(),
                city_code: "370100".into(),
                legal_rep: "基准".into(),
                shareholders: vec![],
                actual_controller: String::new(),
            },
            &now,
        )
        .await?;
        let mut products = Vec::new();
        for (city, gpu, price) in [
            ("370100", "A800", 1_500),
            ("370100", "H20", 1_100),
            ("370200", "A800", 1_600),
            ("370200", "910B", 900),
            ("370400", "A100", 1_300),
            ("370400", "L20", 700),
        ] {
            let p = quan_store::ops::catalogue::create_product(
                &mut tx,
                &sys,
                &ProductInput {
                    supplier_id: Some(sup.id.clone()),
                    kind: "compute".into(),
                    name: format!("{gpu} @ {city}"),
                    city_code: Some(city.into()),
                    gpu_model: Some(gpu.into()),
                    price_per_unit_fen: Some(price),
                    billing_unit: None,
                    description: String::new(),
                },
                &now,
            )
            .await?;
            quan_store::ops::catalogue::add_eligible(&mut tx, &sys, &program.id, &p.id, &now)
                .await?;
            products.push(p.id);
        }
        // Bulk: one enterprise, application, voucher and voucher account per voucher.
        let (with, from) = match store.dialect {
            Dialect::Postgres => (String::new(), format!("generate_series(0, {}) AS s(g)", n_vouchers - 1)),
            Dialect::Sqlite => (format!("WITH RECURSIVE s(g) AS (SELECT 0 UNION ALL SELECT g + 1 FROM s WHERE g + 1 < {n_vouchers}) "), "s".to_string()),
        };
        let ts = now.ts.clone();
        let pid = program.id.clone();
        for sql in [
            format!("{with}INSERT INTO enterprises (id, uscc, name, city_code, industry, size_class, pilot_zone, legal_rep, shareholders, dishonest, created_at) \
                     SELECT 'bent_' || g, 'BENCH' || g, '基准企业' || g, '370100', 'I', 'small', 0, '法人', '[]', 0, '{ts}' FROM {from}"),
            format!("{with}INSERT INTO applications (id, program_id, enterprise_id, amount_fen, plan, status, approved_fen, voucher_id, created_at) \
                     SELECT 'bapp_' || g, '{pid}', 'bent_' || g, {FACE_FEN}, 'bench', 'issued', {FACE_FEN}, 'bv_' || g, '{ts}' FROM {from}"),
            format!("{with}INSERT INTO vouchers (id, application_id, program_id, enterprise_id, voucher_type, face_value_fen, valid_from, valid_until, status, issued_at) \
                     SELECT 'bv_' || g, 'bapp_' || g, '{pid}', 'bent_' || g, 'compute', {FACE_FEN}, '{y}-01-01', '{y}-12-31', 'active', '{ts}' FROM {from}", y = year),
            format!("{with}INSERT INTO ledger_accounts (id, kind, may_go_negative, balance) SELECT 'voucher:bv_' || g, 'voucher', 0, {FACE_FEN} FROM {from}"),
            format!("INSERT INTO ledger_accounts (id, kind, may_go_negative, balance) VALUES ('bench:issued', 'bench', 1, {})", -(FACE_FEN * n_vouchers as i64)),
        ] {
            sqlx::query(&sql).execute(&mut *tx).await?;
        }
        Ok(World {
            supplier_id: sup.id.clone(),
            products,
            vouchers: n_vouchers,
        })
    });
    let w = r?;
    if store.dialect == Dialect::Postgres {
        sqlx::query("ANALYZE").execute(store.writer()).await?;
    }
    Ok(w)
}

/// Realistic usage: jobs of 10 minutes to 4 hours on 1 to 8 GPUs that ended in the last 6 hours,
/// on one of the six products, by a random enterprise; half name their voucher.
pub(crate) fn gen_batch(
    rng: &mut StdRng,
    w: &World,
    prefix: &str,
    start: usize,
    n: usize,
    now: chrono::DateTime<chrono::Utc>,
) -> Vec<UsageInput> {
    (start..start + n)
        .map(|i| {
            let ent = rng.gen_range(0..w.vouchers);
            let dur = rng.gen_range(600..4 * 3600i64);
            let end = now - chrono::Duration::seconds(rng.gen_range(0..6 * 3600));
            let begin = end - chrono::Duration::seconds(dur);
            UsageInput {
                record_id: format!("{prefix}-{i}"),
                product_id: w.products[rng.gen_range(0..w.products.len())].clone(),
                enterprise_id: format!("bent_{ent}"),
                started_at: begin.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
                ended_at: end.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
                gpu_seconds: dur * rng.gen_range(1..=8),
                quantity: None,
                voucher_id: if rng.gen_bool(0.5) {
                    Some(format!("bv_{ent}"))
                } else {
                    None
                },
            }
        })
        .collect()
}

fn supplier_actor(w: &World) -> Actor {
    Actor {
        user_id: "bench".into(),
        username: "bench".into(),
        role: Role::Supplier,
        enterprise_id: None,
        supplier_id: Some(w.supplier_id.clone()),
    }
}

/// The engine behind its group-commit writer: `workers` concurrent batch streams, `records` in
/// batches of `batch`.
pub(crate) async fn engine_run(
    store: &Store,
    w: &World,
    tag: &str,
    records: usize,
    batch: usize,
    workers: usize,
    seed: u64,
) -> Result<Run> {
    let per = records.div_ceil(workers);
    let writer = UsageWriter::start(store.clone(), WriterOptions::for_store(store));
    let started = Instant::now();
    let counted = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let reporter = tokio::spawn(report_rate(tag.to_string(), records, counted.clone()));
    let mut handles = Vec::new();
    for k in 0..workers {
        let (writer, w, tag) = (writer.clone(), w.clone(), tag.to_string());
        let counted = counted.clone();
        let n = per.min(records.saturating_sub(k * per));
        handles.push(tokio::spawn(async move {
            let actor = supplier_actor(&w);
            let mut rng = StdRng::seed_from_u64(seed ^ ((k as u64 + 1) * 0x9E37_79B9));
            let mut lat = Vec::new();
            let mut busy = 0.0;
            let mut done = 0;
            while done < n {
                let m = batch.min(n - done);
                let items: Vec<UsageItem> = gen_batch(
                    &mut rng,
                    &w,
                    &format!("{tag}-w{k}"),
                    done,
                    m,
                    chrono::Utc::now(),
                )
                .into_iter()
                .map(UsageItem::Record)
                .collect();
                let t = Instant::now();
                let now = Now::real();
                let batch_id = quan_store::ops::new_id("ub");
                let answer = writer
                    .submit(Submission {
                        actor: actor.clone(),
                        supplier_id: w.supplier_id.clone(),
                        batch_id,
                        items,
                        now,
                        idempotency: None,
                        signed: None,
                    })
                    .await?;
                let out = answer.result.context("a fresh batch has a result")?;
                anyhow::ensure!(
                    out.accepted as usize == m,
                    "batch accepted {} of {m}: {:?}",
                    out.accepted,
                    out.results.iter().find(|r| r.reason.is_some())
                );
                let dt = t.elapsed().as_secs_f64();
                busy += dt;
                lat.push(dt * 1000.0);
                done += m;
                counted.fetch_add(m, std::sync::atomic::Ordering::Relaxed);
            }
            Ok::<_, anyhow::Error>((lat, busy))
        }));
    }
    let mut run = Run {
        records,
        ..Default::default()
    };
    for h in handles {
        let (lat, _busy) = h.await??;
        run.lat_ms.extend(lat);
    }
    // Wall clock of the whole run; record generation (about 1 µs per record) is included.
    run.secs = started.elapsed().as_secs_f64();
    reporter.abort();
    Ok(run)
}

/// Every 10 s of a run: records so far and the rate over the last 10 s, so a long run shows
/// whether ingestion slows as the history grows.
async fn report_rate(tag: String, records: usize, counted: Arc<std::sync::atomic::AtomicUsize>) {
    let mut last = (Instant::now(), 0usize);
    loop {
        tokio::time::sleep(Duration::from_secs(10)).await;
        let done = counted.load(std::sync::atomic::Ordering::Relaxed);
        let dt = last.0.elapsed().as_secs_f64();
        eprintln!(
            "  {tag}: {done} of {records} records, {:.0} records/s over the last {dt:.0} s",
            (done - last.1) as f64 / dt
        );
        last = (Instant::now(), done);
    }
}

/// The same engine behind the real router on 127.0.0.1:0, JSON batches over HTTP/1.1.
/// A benchmark user with a session (no password hashing needed); returns its bearer token.
pub(crate) async fn session(
    store: &Store,
    username: &str,
    role: Role,
    enterprise_id: Option<&str>,
    supplier_id: Option<&str>,
) -> Result<String> {
    let now = Now::real();
    let sys = Actor::system();
    let r: Result<_, StoreError> = in_tx!(store, |tx| {
        quan_store::ops::users::create(
            &mut tx,
            &sys,
            &quan_store::ops::users::NewUser {
                username,
                password_hash: "bench-not-a-password",
                role,
                enterprise_id,
                supplier_id,
                display_name: "bench",
                city_code: None,
            },
            &now,
        )
        .await
    });
    let user = r?;
    let token = quan_api::auth::new_token();
    let expires = (chrono::Utc::now() + chrono::Duration::hours(2))
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string();
    quan_store::ops::users::create_session(
        store,
        &quan_api::auth::token_hash(&token),
        &user.id,
        &now.ts,
        &expires,
    )
    .await?;
    Ok(token)
}

/// The API served on a random loopback port for a benchmark run, stopped gracefully.
pub(crate) struct Loopback {
    pub(crate) addr: std::net::SocketAddr,
    stop: tokio::sync::oneshot::Sender<()>,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Loopback {
    pub(crate) async fn start(store: &Store) -> Result<Loopback> {
        Self::start_with(store, quan_api::ApiConfig::default()).await
    }

    pub(crate) async fn start_with(store: &Store, config: quan_api::ApiConfig) -> Result<Loopback> {
        let state = quan_api::AppState::new(store.clone(), config);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let (stop, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            axum::serve(listener, quan_api::router(state))
                .with_graceful_shutdown(async {
                    let _ = stop_rx.await;
                })
                .await
        });
        Ok(Loopback { addr, stop, server })
    }

    pub(crate) async fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.server.await;
    }
}

async fn http_run(
    store: &Store,
    w: &World,
    records: usize,
    batch: usize,
    clients: usize,
    seed: u64,
) -> Result<Run> {
    let uname = format!("bench-sup-{}", rand::thread_rng().gen::<u32>());
    let token = session(store, &uname, Role::Supplier, None, Some(&w.supplier_id)).await?;
    let server = Loopback::start(store).await?;
    let addr = server.addr;
    // Bodies are generated before the clock starts.
    let mut rng = StdRng::seed_from_u64(seed);
    let tag = format!("http{}", rng.gen::<u32>());
    let mut bodies: Vec<(String, Vec<u8>)> = Vec::new();
    let mut done = 0;
    while done < records {
        let m = batch.min(records - done);
        let recs = gen_batch(&mut rng, w, &tag, done, m, chrono::Utc::now());
        bodies.push((format!("{tag}-{done}"), serde_json::to_vec(&recs)?));
        done += m;
    }
    let bodies = Arc::new(std::sync::Mutex::new(bodies));
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(120))
        .pool_max_idle_per_host(clients)
        .build()?;
    let url = format!("http://{addr}/api/v1/usage");
    let deadline = Instant::now() + Duration::from_secs(600);
    let started = Instant::now();
    let mut handles = Vec::new();
    for _ in 0..clients {
        let (bodies, http, url, token) = (bodies.clone(), http.clone(), url.clone(), token.clone());
        handles.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut accepted = 0usize;
            loop {
                let next = bodies.lock().expect("bodies").pop();
                let Some((key, body)) = next else { break };
                anyhow::ensure!(Instant::now() < deadline, "HTTP run exceeded 10 minutes");
                let t = Instant::now();
                let resp = http
                    .post(&url)
                    .bearer_auth(&token)
                    .header("Idempotency-Key", key)
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await?;
                let status = resp.status();
                let bytes = resp.bytes().await?;
                anyhow::ensure!(
                    status.is_success(),
                    "HTTP {status}: {}",
                    String::from_utf8_lossy(&bytes[..bytes.len().min(300)])
                );
                lat.push(t.elapsed().as_secs_f64() * 1000.0);
                let v: serde_json::Value = serde_json::from_slice(&bytes)?;
                accepted += v["accepted"].as_u64().unwrap_or(0) as usize;
            }
            Ok::<_, anyhow::Error>((lat, accepted))
        }));
    }
    let mut run = Run {
        records,
        ..Default::default()
    };
    let mut accepted = 0;
    for h in handles {
        let (lat, a) = h.await??;
        run.lat_ms.extend(lat);
        accepted += a;
    }
    run.secs = started.elapsed().as_secs_f64();
    server.stop().await;
    anyhow::ensure!(
        accepted == records,
        "HTTP run accepted {accepted} of {records}"
    );
    Ok(run)
}

/// The naive implementation: one transaction per record, reading and updating row by row.
/// The naive baseline (see `bench_baseline`): the same generated records, from `clients`
/// concurrent clients on the native driver.
async fn baseline_run(
    url: &str,
    w: &World,
    records: usize,
    clients: usize,
    seed: u64,
) -> Result<Run> {
    let mut rng = StdRng::seed_from_u64(seed);
    let tag = format!("base{}c{clients}", rng.gen::<u32>());
    let recs = gen_batch(&mut rng, w, &tag, 0, records, chrono::Utc::now());
    crate::bench_baseline::run(url, &w.supplier_id, &tag, recs, clients).await
}

pub(crate) fn pg_url_for(base: &str, db: &str) -> Result<String> {
    let (head, _) = base.rsplit_once('/').context(
        "--postgres-url needs a database part, e.g. postgres://postgres@127.0.0.1:5432/postgres",
    )?;
    Ok(format!("{head}/{db}"))
}

fn check_loopback(url: &str) -> Result<()> {
    let host = url
        .split('@')
        .next_back()
        .unwrap_or("")
        .split(['/', ':'])
        .next()
        .unwrap_or("");
    anyhow::ensure!(
        matches!(host, "127.0.0.1" | "localhost" | "[::1]"),
        "the benchmark talks to 127.0.0.1 only; --postgres-url host is {host:?}"
    );
    Ok(())
}

pub(crate) async fn pg_admin(url: &str, sql: &str) -> Result<()> {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let mut c = sqlx::AnyConnection::connect(url)
        .await
        .with_context(|| format!("connecting to {url}"))?;
    sqlx::query(sql)
        .execute(&mut c)
        .await
        .with_context(|| sql.to_string())?;
    c.close().await?;
    Ok(())
}

fn line(name: &str, vouchers: usize, r: &Run, baseline: f64) {
    let ratio = if baseline > 0.0 {
        format!("{:>7.1}x", r.rps() / baseline)
    } else {
        "      -".into()
    };
    println!(
        "{name:<22} vouchers={vouchers:<8} records={:<8} {:>10.0} rec/s  p50 {:>8.2} ms  p99 {:>8.2} ms  vs baseline {ratio}  rss {:.0} MB",
        r.records,
        r.rps(),
        r.pct(0.50),
        r.pct(0.99),
        rss_mb("VmRSS:")
    );
}

async fn metering(a: MeteringArgs) -> Result<()> {
    let mut created: Vec<String> = Vec::new();
    let r = metering_inner(&a, &mut created).await;
    // Throwaway databases are dropped also when a run fails.
    for name in created {
        let _ = pg_admin(
            &a.postgres_url,
            &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        )
        .await;
    }
    r
}

async fn metering_inner(a: &MeteringArgs, created: &mut Vec<String>) -> Result<()> {
    anyhow::ensure!(
        (1..=usage::BATCH_RECORDS_MAX).contains(&a.batch_size),
        "--batch-size must be 1..=10000"
    );
    anyhow::ensure!(
        (1..=usage::BATCH_RECORDS_MAX).contains(&a.http_batch_size),
        "--http-batch-size must be 1..=10000"
    );
    anyhow::ensure!(
        a.records <= 50_000_000 && a.baseline_records <= 1_000_000,
        "record counts are bounded (50M engine, 1M baseline)"
    );
    anyhow::ensure!(
        a.vouchers.iter().all(|&v| (1..=10_000_000).contains(&v)),
        "--vouchers must be 1..=10000000"
    );
    if !a.no_postgres {
        check_loopback(&a.postgres_url)?;
    }
    let tmp = match &a.dir {
        Some(d) => {
            std::fs::create_dir_all(d)?;
            (d.clone(), false)
        }
        None => {
            let d =
                std::env::temp_dir().join(format!("quan-bench-{}", uuid::Uuid::new_v4().simple()));
            std::fs::create_dir_all(&d)?;
            (d, true)
        }
    };
    let http_records = a.http_records.unwrap_or(a.records.min(200_000));
    println!(
        "quan bench metering: {} records per engine run (batches of {}), {http_records} over HTTP (batches of {}, {} clients), {} PostgreSQL workers, baseline {} records; {} CPUs",
        a.records,
        a.batch_size,
        a.http_batch_size,
        a.http_clients,
        a.pg_workers,
        a.baseline_records,
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
    );
    let mut json = serde_json::Map::new();
    let mut last = (0.0, 0.0, 0.0, 0.0);
    let mut last_1client = 0.0;
    for &nv in &a.vouchers {
        // Baseline first (PostgreSQL), so the ratios can be printed as we go.
        let mut pg: Option<(Store, World, String)> = None;
        let mut baseline = Run::default();
        let mut baseline_1 = Run::default();
        if !a.no_postgres {
            let name = format!(
                "quan_bench_{}",
                &uuid::Uuid::new_v4().simple().to_string()[..12]
            );
            pg_admin(&a.postgres_url, &format!("CREATE DATABASE {name}")).await?;
            created.push(name.clone());
            let url = pg_url_for(&a.postgres_url, &name)?;
            let mut opts = StoreOptions::new(&url);
            opts.max_connections = (a.pg_workers as u32 + 2).max(4);
            let store = Store::open(&opts).await?;
            let t = Instant::now();
            let w = setup(&store, nv).await?;
            println!(
                "setup postgres          vouchers={nv:<8} {:.1}s",
                t.elapsed().as_secs_f64()
            );
            baseline_1 =
                baseline_run(&url, &w, (a.baseline_records / 4).max(1), 1, a.seed + 7).await?;
            line("baseline (1 client)", nv, &baseline_1, 0.0);
            baseline =
                baseline_run(&url, &w, a.baseline_records, a.baseline_clients, a.seed).await?;
            line(
                &format!("baseline ({} clients)", a.baseline_clients),
                nv,
                &baseline,
                0.0,
            );
            pg = Some((store, w, name));
        }
        let b = baseline.rps();
        // (1) Embedded SQLite.
        let file = tmp
            .0
            .join(format!("bench-{nv}-{}.db", uuid::Uuid::new_v4().simple()));
        let store = Store::open(&StoreOptions::new(format!("sqlite://{}", file.display()))).await?;
        let t = Instant::now();
        let w = setup(&store, nv).await?;
        println!(
            "setup sqlite            vouchers={nv:<8} {:.1}s",
            t.elapsed().as_secs_f64()
        );
        let emb = engine_run(
            &store,
            &w,
            "emb",
            a.records,
            a.batch_size,
            a.senders,
            a.seed,
        )
        .await?;
        line("embedded sqlite", nv, &emb, b);
        // (2) HTTP on loopback, same database.
        let http = http_run(
            &store,
            &w,
            http_records,
            a.http_batch_size,
            a.http_clients,
            a.seed + 1,
        )
        .await?;
        line("http sqlite", nv, &http, b);
        // (2b) The same writer fed from NATS JetStream (signed batches), when nats-server is here.
        let js = if a.no_jetstream {
            None
        } else {
            crate::bench_stream::jetstream_run(
                &store,
                &w,
                http_records,
                a.http_batch_size,
                a.seed + 3,
            )
            .await?
        };
        if let Some(j) = &js {
            line("jetstream sqlite", nv, j, b);
        }
        quan_store::ledger::check_conservation(store.reader()).await?;
        store.close().await;
        drop(store);
        if tmp.1 {
            for ext in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{ext}", file.display()));
            }
        }
        // (3) PostgreSQL engine.
        let mut pgr = Run::default();
        if let Some((store, w, name)) = pg.take() {
            pgr = engine_run(
                &store,
                &w,
                "pg",
                a.records,
                a.batch_size,
                a.pg_workers,
                a.seed + 2,
            )
            .await?;
            line("postgres engine", nv, &pgr, b);
            quan_store::ledger::check_conservation(store.reader()).await?;
            store.close().await;
            pg_admin(
                &a.postgres_url,
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            )
            .await?;
            created.retain(|n| n != &name);
        }
        let mut per = serde_json::Map::new();
        for (k, r) in [
            ("embedded", &emb),
            ("http", &http),
            ("jetstream", js.as_ref().unwrap_or(&Run::default())),
            ("postgres", &pgr),
            ("baseline", &baseline),
            ("baseline_1client", &baseline_1),
        ] {
            per.insert(format!("{k}_rps"), serde_json::json!(r.rps().round()));
            per.insert(
                format!("{k}_p50_ms"),
                serde_json::json!((r.pct(0.5) * 100.0).round() / 100.0),
            );
            per.insert(
                format!("{k}_p99_ms"),
                serde_json::json!((r.pct(0.99) * 100.0).round() / 100.0),
            );
        }
        if js.is_none() {
            for k in ["jetstream_rps", "jetstream_p50_ms", "jetstream_p99_ms"] {
                per.insert(k.into(), serde_json::Value::Null);
            }
        } else {
            per.insert(
                "jetstream_share_of_http".into(),
                serde_json::json!(
                    (js.as_ref().map_or(0.0, |j| j.rps()) / http.rps().max(1e-9) * 100.0).round()
                        / 100.0
                ),
            );
        }
        json.insert(format!("vouchers_{nv}"), serde_json::Value::Object(per));
        last = (emb.rps(), http.rps(), pgr.rps(), b);
        last_1client = baseline_1.rps();
    }
    if tmp.1 {
        let _ = std::fs::remove_dir_all(&tmp.0);
    }
    let (e, h, p, b) = last;
    let ratio = |x: f64| {
        if b > 0.0 {
            serde_json::json!((x / b * 10.0).round() / 10.0)
        } else {
            serde_json::Value::Null
        }
    };
    let mut out = serde_json::Map::new();
    out.insert("embedded_rps".into(), serde_json::json!(e.round()));
    out.insert("http_rps".into(), serde_json::json!(h.round()));
    out.insert("postgres_rps".into(), serde_json::json!(p.round()));
    out.insert("baseline_rps".into(), serde_json::json!(b.round()));
    out.insert(
        "baseline_1client_rps".into(),
        serde_json::json!(last_1client.round()),
    );
    out.insert(
        "rss_mb_max".into(),
        serde_json::json!((rss_mb("VmHWM:") * 10.0).round() / 10.0),
    );
    out.insert("embedded_x_baseline".into(), ratio(e));
    out.insert("http_x_baseline".into(), ratio(h));
    out.insert("postgres_x_baseline".into(), ratio(p));
    out.insert("records".into(), serde_json::json!(a.records));
    out.insert("batch_size".into(), serde_json::json!(a.batch_size));
    out.insert("vouchers".into(), serde_json::json!(a.vouchers.last()));
    out.extend(json);
    println!("{}", serde_json::Value::Object(out));
    Ok(())
}
