//! The JetStream part of `quan bench metering` (issue 14 E): the same generated batches as the
//! HTTP run, signed, published to a private `nats-server -js` (started here on a free port, so a
//! real deployment's stream is never touched) and consumed by `quan_api::usage_stream` into the
//! same group-commit writer. Throughput is records over the time from the first publish to the
//! last answer on the reply subject; latency is per batch, publish to answer.
use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use futures::StreamExt;
use quan_store::{Actor, Role, Store};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::bench::{gen_batch, Run, World};

struct NatsServer(Child, std::path::PathBuf);

impl Drop for NatsServer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
        let _ = std::fs::remove_dir_all(&self.1);
    }
}

fn start_nats() -> Result<Option<(NatsServer, String)>> {
    if Command::new("nats-server")
        .arg("--version")
        .output()
        .is_err()
    {
        println!("jetstream: nats-server not on PATH, skipped (apt-get install nats-server)");
        return Ok(None);
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let dir =
        std::env::temp_dir().join(format!("quan-bench-nats-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir)?;
    let child = Command::new("nats-server")
        .args(["-js", "-a", "127.0.0.1", "-p", &port.to_string(), "-sd"])
        .arg(&dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .context("starting nats-server")?;
    let server = NatsServer(child, dir);
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        anyhow::ensure!(Instant::now() < deadline, "nats-server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(Some((server, format!("nats://127.0.0.1:{port}"))))
}

/// Registers a key for the bench supplier (from now on its batches must be signed).
async fn register_key(store: &Store, supplier_id: &str, seed: &[u8; 32]) -> Result<()> {
    let admin = Actor {
        user_id: "bench-admin".into(),
        username: "bench-admin".into(),
        role: Role::Admin,
        enterprise_id: None,
        supplier_id: None,
    };
    let input = quan_store::ops::usage::signatures::UsageKeyInput {
        public_key: quan_domain::public_key_hex(seed),
        rotation_signature: None,
    };
    let now = quan_store::ops::Now::real();
    let r: std::result::Result<_, quan_store::StoreError> = quan_store::in_tx!(store, |tx| {
        quan_store::ops::usage::signatures::register_key(&mut tx, &admin, supplier_id, &input, &now)
            .await
    });
    r.context("registering the bench supplier's usage key")?;
    Ok(())
}

pub(crate) async fn jetstream_run(
    store: &Store,
    w: &World,
    records: usize,
    batch: usize,
    seed: u64,
) -> Result<Option<Run>> {
    let Some((_nats, url)) = start_nats()? else {
        return Ok(None);
    };
    let key_seed: [u8; 32] = rand::random();
    register_key(store, &w.supplier_id, &key_seed).await?;
    let client = async_nats::connect(&url).await?;
    let js = async_nats::jetstream::new(client.clone());
    quan_api::usage_stream::consumer(&js)
        .await
        .map_err(|e| anyhow::anyhow!("creating the stream: {e}"))?;
    let state = quan_api::AppState::new(store.clone(), quan_api::ApiConfig::default());
    let consumer = tokio::spawn(quan_api::usage_stream::run(state, url.clone()));
    // Bodies and signatures before the clock starts, as a hub would have them.
    let mut rng = StdRng::seed_from_u64(seed);
    let tag = format!("js{}", rng.gen::<u32>());
    let mut bodies = Vec::new();
    let mut done = 0;
    while done < records {
        let m = batch.min(records - done);
        let recs = gen_batch(&mut rng, w, &tag, done, m, chrono::Utc::now());
        let body = serde_json::to_vec(&recs)?;
        let idem = format!("{tag}-{done}");
        let sig = quan_domain::sign_usage_batch(&key_seed, &w.supplier_id, &idem, &body);
        bodies.push((idem, sig, body));
        done += m;
    }
    let n_batches = bodies.len();
    let replies_prefix = format!("bench-replies.{tag}");
    let mut replies = client.subscribe(format!("{replies_prefix}.>")).await?;
    let subject = format!(
        "{}{}",
        quan_api::usage_stream::SUBJECT_PREFIX,
        w.supplier_id
    );
    let started = Instant::now();
    let mut sent_at: HashMap<String, Instant> = HashMap::with_capacity(n_batches);
    let publisher = {
        let js = js.clone();
        let (subject, replies_prefix) = (subject.clone(), replies_prefix.clone());
        tokio::spawn(async move {
            let mut acks = Vec::with_capacity(bodies.len());
            let mut times = Vec::with_capacity(bodies.len());
            for (idem, sig, body) in bodies {
                let mut h = async_nats::HeaderMap::new();
                h.insert("Idempotency-Key", idem.as_str());
                h.insert("Quan-Signature", sig.as_str());
                h.insert("Quan-Reply", format!("{replies_prefix}.{idem}").as_str());
                times.push((idem, Instant::now()));
                acks.push(
                    js.publish_with_headers(subject.clone(), h, body.into())
                        .await?,
                );
            }
            for a in acks {
                a.await?;
            }
            Ok::<_, anyhow::Error>(times)
        })
    };
    let mut run = Run {
        records,
        ..Default::default()
    };
    let mut answered: HashMap<String, Instant> = HashMap::with_capacity(n_batches);
    let mut accepted = 0usize;
    let deadline = Instant::now() + Duration::from_secs(600);
    while answered.len() < n_batches {
        anyhow::ensure!(
            Instant::now() < deadline,
            "JetStream run exceeded 10 minutes"
        );
        let Ok(Some(m)) = tokio::time::timeout(Duration::from_secs(30), replies.next()).await
        else {
            anyhow::bail!(
                "no answer on the reply subject for 30 s ({} of {n_batches})",
                answered.len()
            );
        };
        let idem = m
            .subject
            .as_str()
            .rsplit('.')
            .next()
            .unwrap_or("")
            .to_string();
        let v: serde_json::Value = serde_json::from_slice(&m.payload)?;
        anyhow::ensure!(v["code"].is_null(), "batch {idem} refused: {v}");
        if answered.insert(idem, Instant::now()).is_none() {
            accepted += v["accepted"].as_u64().unwrap_or(0) as usize;
        }
    }
    run.secs = started.elapsed().as_secs_f64();
    for (idem, t) in publisher.await?? {
        sent_at.insert(idem, t);
    }
    for (idem, done) in &answered {
        if let Some(t) = sent_at.get(idem) {
            run.lat_ms
                .push(done.duration_since(*t).as_secs_f64() * 1000.0);
        }
    }
    consumer.abort();
    anyhow::ensure!(
        accepted == records,
        "JetStream run accepted {accepted} of {records}"
    );
    Ok(Some(run))
}
