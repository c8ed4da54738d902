//! Usage over NATS JetStream (issue 14 E) with the real `nats-server -js` and the real
//! `quan serve --usage-stream`: signed batches published to `quan.usage.<supplier>` are counted
//! exactly once while the consuming server is killed with SIGKILL and restarted; unsigned,
//! badly signed and key-less suppliers' messages are refused on their reply subject and change
//! nothing; at the end nothing is pending on the consumer. SQLite always, PostgreSQL too when
//! DATABASE_URL is set. Needs `nats-server` on PATH (`.ci/run` installs it); without it the
//! test says so and passes only outside CI.
mod common;
mod metering_env;

use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use async_nats::jetstream;
use async_nats::HeaderMap;
use common::*;
use futures::StreamExt;
use metering_env::*;
use serde_json::{json, Value};

const SEED: [u8; 32] = [33; 32];
const BATCHES: usize = 90;
const PER_BATCH: usize = 40;

struct Nats {
    child: Child,
    url: String,
    _dir: tempdir::TempDir,
}

impl Drop for Nats {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A private `nats-server -js` on a free port, or None when the binary is missing (outside CI).
fn nats_server() -> Option<Nats> {
    if Command::new("nats-server")
        .arg("--version")
        .output()
        .is_err()
    {
        assert!(
            std::env::var("CI").is_err(),
            "nats-server is not installed (CI must have it: apt-get install nats-server)"
        );
        eprintln!("nats-server not installed: skipping the JetStream test");
        return None;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = tempdir::TempDir::new("nats");
    let child = Command::new("nats-server")
        .args(["-js", "-a", "127.0.0.1", "-p", &port.to_string(), "-sd"])
        .arg(&dir.0)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn nats-server");
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "nats-server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    Some(Nats {
        child,
        url: format!("nats://127.0.0.1:{port}"),
        _dir: dir,
    })
}

fn headers(idem: &str, reply: &str, signature: Option<&str>) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert("Idempotency-Key", idem);
    h.insert("Quan-Reply", reply);
    if let Some(s) = signature {
        h.insert("Quan-Signature", s);
    }
    h
}

fn serve(db: &str, nats: &str) -> Server {
    Server::start(
        db,
        &[
            "--test-clock",
            "--today",
            "2026-06-01",
            "--usage-stream",
            nats,
        ],
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn jetstream_usage_counts_once_through_kill9() {
    let Some(nats) = nats_server() else { return };
    for backend in backends() {
        let (db, server) = fresh(backend, "usage_stream");
        let env = setup(&db, &server, 50_000_000).await;
        let sup = env.supplier_id.clone();
        let pk = quan_domain::public_key_hex(&SEED);
        let r = env
            .admin
            .post_once(
                &format!("/api/v1/suppliers/{sup}/usage-keys"),
                &json!({"public_key": pk}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        drop(server);
        let client = async_nats::connect(&nats.url).await.unwrap();
        let js = jetstream::new(client.clone());
        // A fresh stream per backend run, made as `quan serve` makes it (publishers need it).
        let _ = js.delete_stream("QUAN_USAGE").await;
        quan_api::usage_stream::consumer(&js).await.unwrap();
        let replies_subject = format!("results.{}", uuid::Uuid::new_v4().simple());
        let mut replies = client
            .subscribe(format!("{replies_subject}.>"))
            .await
            .unwrap();
        let mut server = serve(&db.url, &nats.url);
        let subject = format!("quan.usage.{sup}");
        // Refusals first: each answered on its reply subject, nothing stored.
        let bad = json!([rec("bad-1", &env.p_jinan, &env.e1, 1, 60)]).to_string();
        let cases = [
            ("unsigned", None),
            (
                "forged",
                Some(quan_domain::sign_usage_batch(
                    &[1; 32],
                    &sup,
                    "forged",
                    bad.as_bytes(),
                )),
            ),
        ];
        for (idem, sig) in &cases {
            js.publish_with_headers(
                subject.clone(),
                headers(idem, &format!("{replies_subject}.{idem}"), sig.as_deref()),
                bad.clone().into(),
            )
            .await
            .unwrap()
            .await
            .unwrap();
        }
        let mut got: HashMap<String, Value> = HashMap::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        while got.len() < cases.len() && Instant::now() < deadline {
            if let Ok(Some(m)) = tokio::time::timeout(Duration::from_secs(5), replies.next()).await
            {
                let id = m.subject.as_str().rsplit('.').next().unwrap().to_string();
                got.insert(id, serde_json::from_slice(&m.payload).unwrap());
            }
        }
        assert_eq!(got["unsigned"]["code"], "signature_missing", "{got:?}");
        assert_eq!(got["forged"]["code"], "signature_invalid", "{got:?}");
        assert_eq!(record_count(&db.url).await, 0);

        // The load: signed batches published up front, consumed while the server is killed.
        for b in 0..BATCHES {
            let body = Value::Array(
                (0..PER_BATCH)
                    .map(|i| {
                        rec(
                            &format!("js-{b}-{i}"),
                            if i % 2 == 0 {
                                &env.p_jinan
                            } else {
                                &env.p_qingdao
                            },
                            if i % 3 == 0 { &env.e2 } else { &env.e1 },
                            (i % 20) as i64,
                            60 + i as i64,
                        )
                    })
                    .collect(),
            )
            .to_string();
            let idem = format!("jsb-{b}");
            let sig = quan_domain::sign_usage_batch(&SEED, &sup, &idem, body.as_bytes());
            js.publish_with_headers(
                subject.clone(),
                headers(&idem, &format!("{replies_subject}.{idem}"), Some(&sig)),
                body.into(),
            )
            .await
            .unwrap()
            .await
            .unwrap();
        }
        let expected = (BATCHES * PER_BATCH) as i64;
        let mut kills = 0;
        let deadline = Instant::now() + Duration::from_secs(180);
        loop {
            let n = record_count(&db.url).await;
            if n >= expected {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "only {n} of {expected} records after 180 s"
            );
            if kills < 2 && n > 0 && n >= expected * kills / 2 {
                server.kill9();
                kills += 1;
                server = serve(&db.url, &nats.url);
            }
            tokio::time::sleep(Duration::from_millis(30)).await;
        }
        assert_eq!(record_count(&db.url).await, expected);
        // Every batch answered; a redelivered batch got its stored answer again.
        let deadline = Instant::now() + Duration::from_secs(60);
        while got.len() < cases.len() + BATCHES && Instant::now() < deadline {
            if let Ok(Some(m)) = tokio::time::timeout(Duration::from_secs(5), replies.next()).await
            {
                let id = m.subject.as_str().rsplit('.').next().unwrap().to_string();
                let v: Value = serde_json::from_slice(&m.payload).unwrap();
                if let Some(first) = got.get(&id) {
                    assert_eq!(first, &v, "batch {id} answered two ways");
                }
                got.insert(id, v);
            }
        }
        let accepted: i64 = (0..BATCHES)
            .map(|b| got[&format!("jsb-{b}")]["accepted"].as_i64().unwrap())
            .sum();
        assert_eq!(accepted, expected, "answers disagree with the records");
        // Nothing left pending or unacknowledged on the consumer.
        let mut consumer: jetstream::consumer::PullConsumer = js
            .get_stream("QUAN_USAGE")
            .await
            .unwrap()
            .get_consumer("quan-usage-writer")
            .await
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let info = consumer.info().await.unwrap();
            if info.num_pending == 0 && info.num_ack_pending == 0 {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "consumer still has {} pending, {} unacknowledged",
                info.num_pending,
                info.num_ack_pending
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        check_invariants(&db.url).await;
        let admin = Api::login(&server.base, "admin").await;
        audit_ok(&admin).await;
        eprintln!("{backend:?}: {expected} records over JetStream, {kills} kills");
        drop(server);
        let out = quan()
            .args(["usage", "verify", "--db", &db.url])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}
