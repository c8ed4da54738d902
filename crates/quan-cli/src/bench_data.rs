//! `quan bench data-check`: latency of the authorization hub's check (`POST /api/v1/data-check`)
//! over HTTP on loopback, with 1,000,000 consent records, in one run against two baselines with
//! the same client, concurrency and request count: the same check with 1,000 consents (what the
//! table's size costs) and an authenticated `GET /api/v1/me` (the floor of HTTP, session lookup
//! and JSON on this machine). Embedded SQLite and PostgreSQL, each on a fresh database.
//!
//! The check reads the database every time (no cache: a revocation on another server must be
//! seen at once) and writes a `data_uses` row for every yes, so it is a write transaction.
//! Consents are set up in bulk SQL; the scenario, the operator's user and its session through the
//! ordinary operations. Every loop is bounded in count and in time.
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::Args;
use quan_domain::AuthorizationInput;
use quan_store::ops::Now;
use quan_store::{in_tx, Actor, Dialect, Role, Store, StoreError, StoreOptions};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::bench::{pg_admin, pg_url_for, session, Loopback, Run};

#[derive(Args, Clone)]
pub struct DataCheckArgs {
    /// Consent records in the measured database.
    #[arg(long, default_value_t = 1_000_000)]
    pub consents: usize,
    /// Consent records in the baseline database.
    #[arg(long, default_value_t = 1_000)]
    pub baseline_consents: usize,
    /// Checks per run (and GET /me requests for the floor).
    #[arg(long, default_value_t = 20_000)]
    pub checks: usize,
    /// Concurrent HTTP clients, comma-separated: each count is one run of checks and one of the floor.
    #[arg(long, value_delimiter = ',', default_value = "1,8")]
    pub clients: Vec<usize>,
    /// Share of checks (in %) for a subject that never consented (a no, nothing written).
    #[arg(long, default_value_t = 10)]
    pub no_percent: u32,
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "postgres://postgres@127.0.0.1:5432/postgres"
    )]
    pub postgres_url: String,
    #[arg(long)]
    pub no_postgres: bool,
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
}

/// One database ready to be asked: the server's address, a session and the scenario.
struct Hub {
    token: String,
    scenario: String,
    consents: usize,
}

pub async fn run(a: DataCheckArgs) -> Result<()> {
    println!(
        "data-check bench: consents={} baseline={} checks={} clients={:?} no={}% cores={}",
        a.consents,
        a.baseline_consents,
        a.checks,
        a.clients,
        a.no_percent,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    let mut json = serde_json::Map::new();
    let dir = std::env::temp_dir().join(format!("quan-bench-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir)?;
    let mut backends = vec!["sqlite"];
    if !a.no_postgres {
        backends.push("postgres");
    }
    for backend in backends {
        let mut per = serde_json::Map::new();
        // p99 of (big check, small check, floor) per client count.
        let mut p99 = vec![(0.0, 0.0, 0.0); a.clients.len()];
        for (label, n) in [("big", a.consents), ("small", a.baseline_consents)] {
            let (store, pg_name) = open(backend, &a, &dir, label).await?;
            let t = Instant::now();
            let hub = setup(&store, n).await?;
            println!(
                "setup {backend:<8} consents={n:<8} {:.1}s",
                t.elapsed().as_secs_f64()
            );
            for (i, &c) in a.clients.iter().enumerate() {
                let (check, floor) = measure(&store, &hub, &a, c).await?;
                report(backend, &format!("check {n} consents c={c}"), &check);
                if label == "big" {
                    report(backend, &format!("GET /me (floor) c={c}"), &floor);
                    p99[i].0 = check.pct(0.99);
                    p99[i].2 = floor.pct(0.99);
                    per.insert(format!("floor_c{c}"), stats(&floor));
                } else {
                    p99[i].1 = check.pct(0.99);
                }
                per.insert(format!("check_{n}_c{c}"), stats(&check));
            }
            store.close().await;
            if let Some(name) = pg_name {
                pg_admin(
                    &a.postgres_url,
                    &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                )
                .await?;
            }
        }
        for (&c, p) in a.clients.iter().zip(&p99) {
            println!(
                "{backend} c={c}: p99 {:.2} ms with {} consents = {:.2}x the p99 with {} and {:.2}x the GET /me floor",
                p.0,
                a.consents,
                p.0 / p.1.max(1e-9),
                a.baseline_consents,
                p.0 / p.2.max(1e-9)
            );
        }
        json.insert(backend.into(), serde_json::Value::Object(per));
    }
    let _ = std::fs::remove_dir_all(&dir);
    println!("{}", serde_json::Value::Object(json));
    Ok(())
}

async fn open(
    backend: &str,
    a: &DataCheckArgs,
    dir: &std::path::Path,
    label: &str,
) -> Result<(Store, Option<String>)> {
    if backend == "sqlite" {
        let file = dir.join(format!("check-{label}.db"));
        let store = Store::open(&StoreOptions::new(format!("sqlite://{}", file.display()))).await?;
        return Ok((store, None));
    }
    let name = format!(
        "quan_bench_{}",
        &uuid::Uuid::new_v4().simple().to_string()[..12]
    );
    pg_admin(&a.postgres_url, &format!("CREATE DATABASE {name}")).await?;
    let mut opts = StoreOptions::new(pg_url_for(&a.postgres_url, &name)?);
    let most = a.clients.iter().copied().max().unwrap_or(1);
    opts.max_connections = (most as u32 + 2).max(4);
    Ok((Store::open(&opts).await?, Some(name)))
}

/// An operator enterprise, its personal-data scenario, `n` natural persons' consents to it (bulk
/// SQL, in chunks with progress) and the operator's user with a session.
async fn setup(store: &Store, n: usize) -> Result<Hub> {
    let now = Now::real();
    let sys = Actor::system();
    sqlx::query("INSERT INTO enterprises (id, uscc, name, city_code, industry, size_class, pilot_zone, legal_rep, shareholders, dishonest, created_at) \
                 VALUES ('ent_bench_operator', '91370100BENCH0001X', '山东数据运营基准有限公司', '370100', 'I', 'medium', 0, '法人', '[]', 0, $1)")
        .bind(&now.ts)
        .execute(store.writer())
        .await?;
    let input = AuthorizationInput {
        level: "scenario".into(),
        data_class: Some("personal".into()),
        parent_id: None,
        name: "普惠金融信用评估（基准）".into(),
        authority: None,
        operator_id: "ent_bench_operator".into(),
        purpose: "小微企业主信用评估".into(),
        fields: vec![
            "person.name".into(),
            "person.phone".into(),
            "person.income".into(),
        ],
        resources: vec![],
        recipients: vec!["合作银行".into()],
        valid_from: now.today.to_string(),
        valid_until: (now.today + chrono::Duration::days(700)).to_string(),
    };
    let r: Result<_, StoreError> = in_tx!(store, |tx| {
        quan_store::ops::data_hub::create_authorization(&mut tx, &sys, &input, &now).await
    });
    let scenario = r?.id;
    let expires = (now.today + chrono::Duration::days(365)).to_string();
    let chunk = 100_000.min(n.max(1));
    let mut done = 0;
    let bar = crate::progress::bar(n as u64, "consents");
    while done < n {
        let m = chunk.min(n - done);
        let (with, from) = match store.dialect {
            Dialect::Postgres => (
                String::new(),
                format!("generate_series({done}, {}) AS s(g)", done + m - 1),
            ),
            Dialect::Sqlite => (
                format!("WITH RECURSIVE s(g) AS (SELECT {done} UNION ALL SELECT g + 1 FROM s WHERE g + 1 < {}) ", done + m),
                "s".to_string(),
            ),
        };
        let sql = format!(
            "{with}INSERT INTO data_consents (id, scenario_id, subject_kind, subject_id, fields, granted_at, expires_at, live, recorded_by) \
             SELECT 'dcn_bench_' || g, '{scenario}', 'natural_person', 'p-' || g, '[\"person.name\",\"person.phone\"]', '{}', '{expires}', 1, 'bench' FROM {from}",
            now.ts
        );
        sqlx::query(&sql).execute(store.writer()).await?;
        done += m;
        bar.set_position(done as u64);
    }
    bar.finish_and_clear();
    if store.dialect == Dialect::Postgres {
        sqlx::query("ANALYZE").execute(store.writer()).await?;
    }
    let token = session(
        store,
        "bench-operator",
        Role::Enterprise,
        Some("ent_bench_operator"),
        None,
    )
    .await?;
    Ok(Hub {
        token,
        scenario,
        consents: n,
    })
}

/// Serves the store on a random loopback port and runs the checks, then the floor, with the same
/// client and concurrency; a short warm-up first so both start from warm caches.
async fn measure(
    store: &Store,
    hub: &Hub,
    a: &DataCheckArgs,
    clients: usize,
) -> Result<(Run, Run)> {
    let server = Loopback::start(store).await?;
    let addr = server.addr;
    let mut rng = StdRng::seed_from_u64(a.seed + clients as u64);
    let bodies: Vec<Vec<u8>> = (0..a.checks + 500)
        .map(|_| {
            let subject = if rng.gen_range(0..100) < a.no_percent {
                format!("q-{}", rng.gen::<u32>())
            } else {
                format!("p-{}", rng.gen_range(0..hub.consents))
            };
            serde_json::to_vec(
                &serde_json::json!({"scenario_id": hub.scenario, "fields": ["person.name"],
                "subject_kind": "natural_person", "subject_id": subject}),
            )
            .expect("json")
        })
        .collect();
    let (warm, measured) = bodies.split_at(500);
    let check_url = format!("http://{addr}/api/v1/data-check");
    let me_url = format!("http://{addr}/api/v1/me");
    load(&check_url, &hub.token, warm.to_vec(), clients, a.no_percent).await?;
    let check = load(
        &check_url,
        &hub.token,
        measured.to_vec(),
        clients,
        a.no_percent,
    )
    .await?;
    let floor = load(&me_url, &hub.token, vec![Vec::new(); a.checks], clients, 0).await?;
    server.stop().await;
    Ok((check, floor))
}

/// Sends every body (a POST; an empty body is a GET) from `clients` tasks; checks that the answers
/// are 200 and that about the expected share said no.
async fn load(
    url: &str,
    token: &str,
    bodies: Vec<Vec<u8>>,
    clients: usize,
    no_percent: u32,
) -> Result<Run> {
    let n = bodies.len();
    let queue = Arc::new(std::sync::Mutex::new(bodies));
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .pool_max_idle_per_host(clients)
        .build()?;
    let deadline = Instant::now() + Duration::from_secs(600);
    let started = Instant::now();
    let mut handles = Vec::new();
    for _ in 0..clients {
        let (queue, http, url, token) = (
            queue.clone(),
            http.clone(),
            url.to_string(),
            token.to_string(),
        );
        handles.push(tokio::spawn(async move {
            let (mut lat, mut no) = (Vec::new(), 0usize);
            loop {
                let next = queue.lock().expect("queue").pop();
                let Some(body) = next else { break };
                anyhow::ensure!(Instant::now() < deadline, "run exceeded 10 minutes");
                let t = Instant::now();
                let req = if body.is_empty() {
                    http.get(&url)
                } else {
                    http.post(&url)
                        .header("content-type", "application/json")
                        .body(body)
                };
                let resp = req.bearer_auth(&token).send().await?;
                let status = resp.status();
                let bytes = resp.bytes().await?;
                lat.push(t.elapsed().as_secs_f64() * 1000.0);
                anyhow::ensure!(
                    status.is_success(),
                    "HTTP {status}: {}",
                    String::from_utf8_lossy(&bytes[..bytes.len().min(300)])
                );
                if bytes.starts_with(b"{\"allowed\":false") {
                    no += 1;
                }
                let _ = bytes;
            }
            Ok::<_, anyhow::Error>((lat, no))
        }));
    }
    let mut run = Run {
        records: n,
        ..Default::default()
    };
    let mut no = 0;
    for h in handles {
        let (lat, k) = h.await.context("client task")??;
        run.lat_ms.extend(lat);
        no += k;
    }
    run.secs = started.elapsed().as_secs_f64();
    // The share of noes is random; far off means the checks did not ask what was meant.
    let expected = n as f64 * f64::from(no_percent) / 100.0;
    anyhow::ensure!(
        (no as f64 - expected).abs() <= expected * 0.5 + 20.0,
        "{no} of {n} checks said no, {expected:.0} expected"
    );
    Ok(run)
}

fn report(backend: &str, what: &str, r: &Run) {
    println!(
        "{backend:<8} {what:<26} {:>8.0} req/s  p50 {:>6.2} ms  p99 {:>6.2} ms  max {:>7.2} ms",
        r.rps(),
        r.pct(0.5),
        r.pct(0.99),
        r.pct(1.0)
    );
}

fn stats(r: &Run) -> serde_json::Value {
    serde_json::json!({"requests": r.records, "rps": r.rps().round(), "p50_ms": r.pct(0.5), "p99_ms": r.pct(0.99), "max_ms": r.pct(1.0)})
}
