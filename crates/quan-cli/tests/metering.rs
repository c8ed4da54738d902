//! Metered computing-power vouchers (issue 3), end to end against the real `quan serve`:
//! bad records mixed into good batches, duplicates across batches and concurrent senders,
//! a randomized simulation, and a kill -9 crash test. SQLite always; PostgreSQL too when
//! DATABASE_URL is set.
mod common;
mod metering_env;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use metering_env::*;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};
use sqlx::Row;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn bad_records_mixed_into_good_batches() {
    for backend in backends() {
        let (db, server) = fresh(backend, "usage_bad");
        let env = setup(&db, &server, 1_000_000).await;
        let mut wrong_type = rec("bad-type", &env.p_jinan, &env.e1, 1, 3600);
        wrong_type["gpu_seconds"] = json!("lots");
        let mut bad_time = rec("bad-time", &env.p_jinan, &env.e1, 1, 3600);
        bad_time["started_at"] = json!("yesterday");
        let mut backwards = rec("backwards", &env.p_jinan, &env.e1, 1, 3600);
        backwards["started_at"] = json!("2026-05-31T23:00:00Z");
        backwards["ended_at"] = json!("2026-05-31T22:00:00Z");
        let mut future = rec("future", &env.p_jinan, &env.e1, 0, 3600);
        future["ended_at"] = json!("2026-06-03T00:00:00Z");
        let mut foreign_voucher = rec("foreign-voucher", &env.p_jinan, &env.e1, 1, 3600);
        foreign_voucher["voucher_id"] = json!(env.v2a);
        let mut own_voucher = rec("own-voucher", &env.p_qingdao, &env.e1, 1, 3600);
        own_voucher["voucher_id"] = json!(env.v1);
        let mut unlisted_in_b = rec("b-does-not-list-qingdao", &env.p_qingdao, &env.e2, 1, 3600);
        unlisted_in_b["voucher_id"] = json!(env.v2b);
        let batch = json!([
            rec("good-1", &env.p_jinan, &env.e1, 1, 3600),
            wrong_type,
            rec("unknown-product", "prd_nope", &env.e1, 1, 3600),
            rec("other-supplier", &env.p_other, &env.e1, 1, 3600),
            rec("unlisted", &env.p_unlisted, &env.e1, 1, 3600),
            rec("no-voucher", &env.p_jinan, &env.e3, 1, 3600),
            backwards,
            future,
            rec("zero", &env.p_jinan, &env.e1, 1, 0),
            rec("absurd", &env.p_jinan, &env.e1, 1, 10_000_000_000),
            rec("too-many-gpus", &env.p_jinan, &env.e1, 1, 2 * 3600 * 1025),
            rec("unknown-enterprise", &env.p_jinan, "ent_nope", 1, 3600),
            foreign_voucher,
            bad_time,
            rec("good-1", &env.p_jinan, &env.e1, 1, 7200),
            own_voucher,
            unlisted_in_b,
            rec("good-2", &env.p_qingdao, &env.e2, 2, 5400),
        ]);
        let r = env
            .sup
            .post("/api/v1/usage", &batch, Some("bad-mix-1"))
            .await;
        let body = r.ok().clone();
        let res = by_id(&body);
        let reason = |id: &str| res[id]["reason"].as_str().unwrap_or("-").to_string();
        for (id, want) in [
            ("bad-type", "invalid_record"),
            ("unknown-product", "unknown_product"),
            ("other-supplier", "other_supplier_product"),
            ("unlisted", "product_not_eligible"),
            ("no-voucher", "no_valid_voucher"),
            ("backwards", "end_before_start"),
            ("future", "in_future"),
            ("zero", "quantity_zero"),
            ("absurd", "quantity_absurd"),
            ("too-many-gpus", "quantity_absurd"),
            ("unknown-enterprise", "unknown_enterprise"),
            ("foreign-voucher", "voucher_not_owned"),
            ("bad-time", "invalid_time"),
            ("b-does-not-list-qingdao", "product_not_eligible"),
        ] {
            assert_eq!(res[id]["status"], "rejected", "{id}: {}", res[id]);
            assert_eq!(reason(id), want, "{id}: {}", res[id]);
            assert!(res[id]["message"].as_str().is_some_and(|m| !m.is_empty()));
        }
        // The in-batch duplicate is the 15th element (the first good-1 counts).
        assert_eq!(body["results"][14]["reason"], "duplicate_in_batch");
        assert_eq!(body["results"][0]["status"], "accepted");
        assert_eq!(body["results"].as_array().unwrap().len(), 18);
        // good-1: 1 GPU-hour at ¥12 → 1200 fen, 30% → 360.
        assert_eq!(body["results"][0]["amount_fen"], 1200);
        assert_eq!(body["results"][0]["subsidy_fen"], 360);
        assert_eq!(body["results"][0]["voucher_id"], env.v1.as_str());
        assert_eq!(res["own-voucher"]["status"], "accepted");
        // good-2: e2 has B (expires first) but B does not list Qingdao → A.
        assert_eq!(res["good-2"]["voucher_id"], env.v2a.as_str());
        assert_eq!(res["good-2"]["amount_fen"], 3000);
        assert_eq!(res["good-2"]["subsidy_fen"], 900);
        assert_eq!(
            (
                body["accepted"].as_i64(),
                body["rejected"].as_i64(),
                body["duplicates"].as_i64()
            ),
            (Some(3), Some(15), Some(0))
        );
        assert_eq!(body["subsidy_fen"], 360 + 600 + 900);

        // Same key and body: the stored answer; nothing moves.
        let again = env
            .sup
            .post("/api/v1/usage", &batch, Some("bad-mix-1"))
            .await;
        assert_eq!(again.ok(), &body);
        // Same records under a new key: duplicates.
        let dup = env
            .sup
            .post("/api/v1/usage", &batch, Some("bad-mix-2"))
            .await;
        assert_eq!(dup.ok()["duplicates"], 3);
        assert_eq!(dup.ok()["accepted"], 0);
        // Same key, different body: refused.
        env.sup
            .post(
                "/api/v1/usage",
                &json!([rec("x", &env.p_jinan, &env.e1, 1, 60)]),
                Some("bad-mix-1"),
            )
            .await
            .err(422, "idempotency_key_reused");

        // Oldest expiry first: e2's Jinan usage draws B (¥10 face) and then moves on to A.
        let r = env
            .sup
            .post(
                "/api/v1/usage",
                &json!([
                    rec("e2-b-1", &env.p_jinan, &env.e2, 1, 3 * 3600),
                    rec("e2-b-2", &env.p_jinan, &env.e2, 1, 3600)
                ]),
                Some("b-1"),
            )
            .await;
        let res = by_id(r.ok());
        assert_eq!(res["e2-b-1"]["voucher_id"], env.v2b.as_str());
        assert_eq!(
            res["e2-b-1"]["subsidy_fen"], 1000,
            "B pays what it has left (partial): {}",
            res["e2-b-1"]
        ); // 3600 × 30% = 1080 > 1000
        assert_eq!(res["e2-b-2"]["voucher_id"], env.v2a.as_str());
        assert_eq!(res["e2-b-2"]["subsidy_fen"], 360);

        // NDJSON with a garbage line.
        let nd = format!(
            "{}\n\nnot json\n{}\n",
            rec("nd-1", &env.p_jinan, &env.e1, 3, 1800),
            rec("nd-2", &env.p_jinan, &env.e1, 3, 1800)
        );
        let r = env
            .sup
            .http
            .post(format!("{}/api/v1/usage", env.sup.base))
            .bearer_auth(env.sup.token.as_ref().unwrap())
            .header("content-type", "application/x-ndjson")
            .header("Idempotency-Key", "nd-1")
            .body(nd)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200);
        let b: Value = r.json().await.unwrap();
        assert_eq!(
            (b["accepted"].as_i64(), b["rejected"].as_i64()),
            (Some(2), Some(1)),
            "{b}"
        );

        // Bounds and roles.
        env.sup
            .post(
                "/api/v1/usage",
                &json!([rec("nokey", &env.p_jinan, &env.e1, 1, 60)]),
                None,
            )
            .await
            .err(400, "idempotency_key_required");
        env.ent
            .post(
                "/api/v1/usage",
                &json!([rec("ent", &env.p_jinan, &env.e1, 1, 60)]),
                Some("ent-1"),
            )
            .await
            .err(403, "forbidden");
        env.sup
            .post("/api/v1/usage", &json!([]), Some("empty"))
            .await
            .err(400, "empty_batch");
        env.sup
            .post_raw("/api/v1/usage", "{\"not\": \"an array\"}", Some("obj"))
            .await
            .err(400, "malformed_json");
        let big: Vec<Value> = (0..10_001)
            .map(|i| rec(&format!("big-{i}"), &env.p_jinan, &env.e1, 5, 60))
            .collect();
        env.sup
            .post("/api/v1/usage", &json!(big), Some("big"))
            .await
            .err(413, "batch_too_large");
        // A batch larger than the general 256 KiB body limit is fine here.
        let large: Vec<Value> = (0..3_000)
            .map(|i| rec(&format!("large-{i}"), &env.p_jinan, &env.e1, 6, 60))
            .collect();
        let r = env
            .sup
            .post("/api/v1/usage", &json!(large), Some("large"))
            .await;
        assert_eq!(r.ok()["accepted"], 3_000);
        // Admin for a supplier.
        let r = env
            .admin
            .post(
                &format!("/api/v1/usage?supplier_id={}", env.supplier_id),
                &json!([rec("by-admin", &env.p_jinan, &env.e1, 1, 60)]),
                Some("adm-1"),
            )
            .await;
        assert_eq!(r.ok()["accepted"], 1);

        // Views: scoped list and hub summary.
        let page = env.ent.get("/api/v1/usage?page_size=200").await;
        assert!(page.ok()["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["enterprise_id"] == env.e1.as_str()));
        let all = env.auditor.get("/api/v1/usage?page_size=5").await;
        assert!(all.ok()["total"].as_i64().unwrap() >= 3_000 + 8);
        let s = env.admin.get("/api/v1/usage/summary").await;
        let s = s.ok();
        let jinan = s["by_hub"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["city_code"] == "370100")
            .unwrap();
        assert!(
            jinan["gpu_hours_program"].as_f64().unwrap() > 0.0
                && jinan["subsidy_program_fen"].as_i64().unwrap() > 0,
            "{jinan}"
        );
        assert!(s["by_product"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["product_id"] == env.p_qingdao.as_str()));
        assert!(s["by_enterprise"].as_array().unwrap().len() >= 2);
        let es = env.ent.get("/api/v1/usage/summary").await;
        assert_eq!(es.ok()["by_enterprise"].as_array().unwrap().len(), 1);
        let v = env.ent.get(&format!("/api/v1/vouchers/{}", env.v1)).await;
        let sum_e1: i64 = {
            let mut c = db_conn(&db.url).await;
            sqlx::query(
                "SELECT CAST(SUM(subsidy_fen) AS BIGINT) FROM usage_records WHERE voucher_id = $1",
            )
            .bind(&env.v1)
            .fetch_one(&mut c)
            .await
            .unwrap()
            .get(0)
        };
        assert_eq!(v.ok()["redeemed_fen"].as_i64(), Some(sum_e1));
        check_invariants(&db.url).await;
        audit_ok(&env.auditor).await;
        let _ = &env.e3;
    }
}

/// `quan usage import` from CSV and NDJSON files, next to a running server: good rows counted,
/// bad rows reported by reason, a re-run counts only duplicates.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn usage_import_cli_reads_csv_and_ndjson() {
    for backend in backends() {
        let (db, server) = fresh(backend, "usage_import");
        let env = setup(&db, &server, 1_000_000).await;
        let dir = common::tempdir::TempDir::new("usage_import");
        let cell = |v: &Value, k: &str| v[k].as_str().unwrap().to_string();
        let good1 = rec("csv-1", &env.p_jinan, &env.e1, 1, 3600);
        let good2 = rec("csv-2", &env.p_qingdao, &env.e2, 2, 5400);
        let csv = format!(
            "\u{feff}record_id,product_id,enterprise_id,started_at,ended_at,gpu_seconds,voucher_id\n\
             csv-1,{},{},{},{},3600,{}\n\
             \"csv-2\", {} ,{},{},{},5400,\n\
             csv-3,{},{},{},{},1.5,\n\
             csv-4,prd_nope,{},{},{},60,\n\
             csv-5,{},{}\n",
            env.p_jinan, env.e1, cell(&good1, "started_at"), cell(&good1, "ended_at"), env.v1,
            env.p_qingdao, env.e2, cell(&good2, "started_at"), cell(&good2, "ended_at"),
            env.p_jinan, env.e1, cell(&good1, "started_at"), cell(&good1, "ended_at"),
            env.e1, cell(&good1, "started_at"), cell(&good1, "ended_at"),
            env.p_jinan, env.e1,
        );
        let path = dir.0.join("usage.csv");
        std::fs::write(&path, csv).unwrap();
        let import = |file: &std::path::Path| {
            let out = quan()
                .args([
                    "usage",
                    "import",
                    file.to_str().unwrap(),
                    "--db",
                    &db.url,
                    "--supplier-id",
                    &env.supplier_id,
                    "--quiet",
                    "--batch-size",
                    "2",
                ])
                .output()
                .unwrap();
            let text = String::from_utf8_lossy(&out.stdout).to_string();
            assert!(
                out.status.success(),
                "{text}{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let count = |label: &str| -> i64 {
                let line = text
                    .lines()
                    .find(|l| l.trim_start().starts_with(label))
                    .unwrap_or_else(|| panic!("no {label} in {text}"));
                line.split_whitespace().nth(1).unwrap().parse().unwrap()
            };
            (
                count("accepted"),
                count("duplicates"),
                count("rejected"),
                text,
            )
        };
        let (a, d, r, text) = import(&path);
        assert_eq!((a, d, r), (2, 0, 3), "{text}");
        assert!(
            text.contains("invalid_record") && text.contains("unknown_product"),
            "{text}"
        );
        assert!(text.contains("subsidy ¥12.60"), "360 + 900 fen: {text}");
        let (a, d, r, text) = import(&path);
        assert_eq!(
            (a, d, r),
            (0, 2, 3),
            "a re-run counts only duplicates: {text}"
        );

        // NDJSON, with a line that is not JSON.
        let nd = dir.0.join("usage.ndjson");
        std::fs::write(
            &nd,
            format!(
                "{}\nnot json\n\n{}\n",
                rec("nd-1", &env.p_jinan, &env.e1, 3, 1800),
                rec("csv-1", &env.p_jinan, &env.e1, 1, 3600)
            ),
        )
        .unwrap();
        let (a, d, r, text) = import(&nd);
        assert_eq!((a, d, r), (1, 1, 1), "{text}");

        // A CSV without the required columns is refused as a whole, naming them.
        let bad = dir.0.join("bad.csv");
        std::fs::write(&bad, "record_id,product_id\nx,y\n").unwrap();
        let out = quan()
            .args([
                "usage",
                "import",
                bad.to_str().unwrap(),
                "--db",
                &db.url,
                "--supplier-id",
                &env.supplier_id,
                "--quiet",
            ])
            .output()
            .unwrap();
        assert!(!out.status.success());
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("missing column enterprise_id"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );

        let v = env.ent.get(&format!("/api/v1/vouchers/{}", env.v1)).await;
        assert_eq!(
            v.ok()["redeemed_fen"],
            360 + 180,
            "csv-1 and nd-1 drew on v1"
        );
        check_invariants(&db.url).await;
        audit_ok(&env.auditor).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn duplicates_across_batches_and_concurrent_senders_count_once() {
    for backend in backends() {
        let (db, server) = fresh(backend, "usage_dup");
        let env = setup(&db, &server, 200_000).await;
        let records: Vec<Value> = (0..1_200)
            .map(|i| {
                let (p, e) = if i % 3 == 0 {
                    (&env.p_qingdao, &env.e2)
                } else {
                    (&env.p_jinan, &env.e1)
                };
                rec(
                    &format!("c-{i}"),
                    p,
                    e,
                    (i % 20) as i64,
                    600 + (i % 7) as i64 * 300,
                )
            })
            .collect();
        // Four senders each send every record, shuffled, in batches of 100, with their own keys,
        // to two server processes on the same database.
        let second = Server::start(&db.url, &["--test-clock", "--today", "2026-06-01"]);
        let mut tasks = Vec::new();
        for sender in 0..4u64 {
            let mut api = env.sup.clone();
            if sender % 2 == 1 {
                api.base = second.base.clone();
            }
            let mut mine = records.clone();
            mine.shuffle(&mut StdRng::seed_from_u64(sender));
            tasks.push(tokio::spawn(async move {
                let mut accepted = Vec::new();
                for (k, chunk) in mine.chunks(100).enumerate() {
                    let r = api
                        .post(
                            "/api/v1/usage",
                            &json!(chunk),
                            Some(&format!("s{sender}-{k}")),
                        )
                        .await;
                    for res in r.ok()["results"].as_array().unwrap() {
                        if res["status"] == "accepted" {
                            accepted.push((
                                res["record_id"].as_str().unwrap().to_string(),
                                res["subsidy_fen"].as_i64().unwrap(),
                            ));
                        } else {
                            assert_eq!(res["status"], "duplicate", "{res}");
                        }
                    }
                }
                accepted
            }));
        }
        let mut all = Vec::new();
        for t in tasks {
            all.extend(t.await.unwrap());
        }
        let ids: HashSet<&String> = all.iter().map(|(id, _)| id).collect();
        assert_eq!(
            all.len(),
            records.len(),
            "every record accepted exactly once across senders"
        );
        assert_eq!(ids.len(), records.len());
        assert_eq!(check_invariants(&db.url).await, records.len() as i64);
        // The subsidies acknowledged are exactly what the vouchers lost.
        let acked: i64 = all.iter().map(|(_, s)| s).sum();
        let mut c = db_conn(&db.url).await;
        let moved: i64 = sqlx::query(
            "SELECT CAST(SUM(amount) AS BIGINT) FROM ledger_transfers WHERE code = 'usage'",
        )
        .fetch_one(&mut c)
        .await
        .unwrap()
        .get(0);
        assert_eq!(acked, moved);
        // The small vouchers ran out: e1's 200,000 fen voucher paid at most its face value.
        let v = env.admin.get(&format!("/api/v1/vouchers/{}", env.v1)).await;
        assert!(v.ok()["balance_fen"].as_i64().unwrap() >= 0);
        audit_ok(&env.admin).await;
        drop(second);
        drop(server);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn simulation_random_batches_keep_every_balance_exact() {
    for backend in backends() {
        let (db, server) = fresh(backend, "usage_sim");
        let env = setup(&db, &server, 50_000).await;
        let seed: u64 = std::env::var("QUAN_SIM_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| rand::thread_rng().gen());
        eprintln!("simulation seed {seed} (QUAN_SIM_SEED to replay)");
        let mut rng = StdRng::seed_from_u64(seed);
        // A pool of records, some invalid; vouchers small enough to run out (partial subsidies).
        let pool: Vec<Value> = (0..1_500)
            .map(|i| {
                let (p, e) = match rng.gen_range(0..10) {
                    0..=4 => (&env.p_jinan, &env.e1),
                    5..=7 => (&env.p_jinan, &env.e2),
                    8 => (&env.p_qingdao, &env.e2),
                    _ => (&env.p_unlisted, &env.e1),
                };
                let secs = if rng.gen_bool(0.03) {
                    0
                } else {
                    rng.gen_range(1..4 * 3600)
                };
                let mut r = rec(&format!("sim-{i}"), p, e, rng.gen_range(0..72), secs);
                if rng.gen_bool(0.1) {
                    r["voucher_id"] = json!(if e == &env.e1 { &env.v1 } else { &env.v2b });
                }
                r
            })
            .collect();
        // Senders draw random batches with repeats (duplicates), in random order.
        let mut plans: Vec<Vec<Vec<Value>>> = Vec::new();
        for _ in 0..3 {
            let mut batches = Vec::new();
            for _ in 0..12 {
                let n = rng.gen_range(1..200);
                batches.push(
                    (0..n)
                        .map(|_| pool[rng.gen_range(0..pool.len())].clone())
                        .collect(),
                );
            }
            plans.push(batches);
        }
        let mut tasks = Vec::new();
        for (s, batches) in plans.into_iter().enumerate() {
            let api = env.sup.clone();
            tasks.push(tokio::spawn(async move {
                let mut out: Vec<Value> = Vec::new();
                for (k, b) in batches.iter().enumerate() {
                    let r = api
                        .post("/api/v1/usage", &json!(b), Some(&format!("sim-{s}-{k}")))
                        .await;
                    out.extend(r.ok()["results"].as_array().unwrap().iter().cloned());
                }
                out
            }));
        }
        let mut accepted: HashMap<String, i64> = HashMap::new();
        for t in tasks {
            for r in t.await.unwrap() {
                if r["status"] == "accepted" {
                    let id = r["record_id"].as_str().unwrap().to_string();
                    assert!(
                        accepted
                            .insert(id.clone(), r["subsidy_fen"].as_i64().unwrap())
                            .is_none(),
                        "{id} accepted twice"
                    );
                }
            }
        }
        // Stored rows are exactly the acknowledged ones, with the acknowledged subsidies.
        let mut c = db_conn(&db.url).await;
        let rows = sqlx::query("SELECT record_id, subsidy_fen FROM usage_records")
            .fetch_all(&mut c)
            .await
            .unwrap();
        let stored: HashMap<String, i64> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
        assert_eq!(stored, accepted);
        check_invariants(&db.url).await;
        audit_ok(&env.admin).await;
    }
}

/// Sends `batches` (fixed keys and record ids) until each is acknowledged, while the server is
/// killed with SIGKILL at random moments and restarted.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn crash_kill9_under_load_counts_every_record_once() {
    const BATCHES: usize = 160;
    for backend in backends() {
        let (db, server) = fresh(backend, "usage_crash");
        let env = setup(&db, &server, 2_000_000).await;
        let batches: Vec<Vec<Value>> = (0..BATCHES)
            .map(|b| {
                (0..150)
                    .map(|i| {
                        rec(
                            &format!("k-{b}-{i}"),
                            if i % 2 == 0 {
                                &env.p_jinan
                            } else {
                                &env.p_qingdao
                            },
                            if i % 3 == 0 { &env.e2 } else { &env.e1 },
                            (i % 30) as i64,
                            300 + i as i64 * 10,
                        )
                    })
                    .collect()
            })
            .collect();
        let total: usize = batches.iter().map(|b| b.len()).sum();
        let base = Arc::new(Mutex::new(server.base.clone()));
        let server = Arc::new(Mutex::new(Some(server)));
        let token = env.sup.token.clone();
        let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
        // The killer: kill -9 at random moments, restart on the same database.
        let killer = {
            let (base, server, done, url) =
                (base.clone(), server.clone(), done.clone(), db.url.clone());
            std::thread::spawn(move || {
                let mut rng = StdRng::seed_from_u64(rand::thread_rng().gen());
                let mut kills = 0;
                while kills < 4 && !done.load(std::sync::atomic::Ordering::SeqCst) {
                    std::thread::sleep(Duration::from_millis(rng.gen_range(50..400)));
                    if let Some(mut s) = server.lock().unwrap().take() {
                        s.kill9();
                    }
                    kills += 1;
                    std::thread::sleep(Duration::from_millis(rng.gen_range(0..200)));
                    let s = Server::start(&url, &["--test-clock", "--today", "2026-06-01"]);
                    *base.lock().unwrap() = s.base.clone();
                    *server.lock().unwrap() = Some(s);
                }
                kills
            })
        };
        // Two senders, each owning half the batches; retry until acknowledged.
        let mut tasks = Vec::new();
        let deadline = Instant::now() + Duration::from_secs(90);
        for s in 0..2 {
            let mine: Vec<(usize, Vec<Value>)> = batches
                .iter()
                .cloned()
                .enumerate()
                .filter(|(k, _)| k % 2 == s)
                .collect();
            let (base, token) = (base.clone(), token.clone());
            tasks.push(tokio::spawn(async move {
                let http = reqwest::Client::builder()
                    .timeout(Duration::from_secs(15))
                    .build()
                    .unwrap();
                let mut accepted = 0i64;
                let mut retries = 0;
                for (k, b) in mine {
                    loop {
                        assert!(Instant::now() < deadline, "batch {k} never acknowledged");
                        let url = format!("{}/api/v1/usage", base.lock().unwrap().clone());
                        let r = http
                            .post(url)
                            .bearer_auth(token.as_ref().unwrap())
                            .header("Idempotency-Key", format!("crash-{k}"))
                            .json(&b)
                            .send()
                            .await;
                        match r {
                            Ok(resp) if resp.status().is_success() => {
                                let v: Value = match resp.json().await {
                                    Ok(v) => v,
                                    Err(_) => {
                                        retries += 1;
                                        continue;
                                    }
                                };
                                accepted += v["accepted"].as_i64().unwrap();
                                assert_eq!(v["rejected"], 0, "{v}");
                                break;
                            }
                            Ok(resp)
                                if resp.status().as_u16() == 503
                                    || resp.status().is_server_error() =>
                            {
                                retries += 1
                            }
                            Ok(resp) => panic!(
                                "batch {k}: {} {}",
                                resp.status(),
                                resp.text().await.unwrap_or_default()
                            ),
                            Err(_) => retries += 1,
                        }
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                }
                (accepted, retries)
            }));
        }
        let mut acked = 0;
        let mut retries = 0;
        for t in tasks {
            let (a, r) = t.await.unwrap();
            acked += a;
            retries += r;
        }
        done.store(true, std::sync::atomic::Ordering::SeqCst);
        let kills = killer.join().unwrap();
        eprintln!("{backend:?}: {kills} kills, {retries} retried requests");
        assert!(kills >= 2, "the server should have been killed under load");
        // Replayed answers repeat the first acknowledgement, so the acknowledged total is exact.
        assert_eq!(
            acked as usize, total,
            "each record acknowledged as accepted exactly once"
        );
        assert_eq!(check_invariants(&db.url).await as usize, total);
        let s =
            server.lock().unwrap().take().unwrap_or_else(|| {
                Server::start(&db.url, &["--test-clock", "--today", "2026-06-01"])
            });
        let admin = Api::login(&s.base, "admin").await;
        audit_ok(&admin).await;
        let mut c = db_conn(&db.url).await;
        let n: i64 =
            sqlx::query("SELECT CAST(COUNT(DISTINCT batch_id) AS BIGINT) FROM usage_records")
                .fetch_one(&mut c)
                .await
                .unwrap()
                .get(0);
        assert_eq!(
            n, BATCHES as i64,
            "one committed batch per acknowledged request"
        );
        drop(s);
    }
}

/// Group commit: batches sent at the same moment share a transaction but keep their own
/// answers. Of three requests racing for one Idempotency-Key, the first body wins: the same
/// request twice gets one answer, the other body a 422, and neither spoils its neighbours; an
/// administrator naming an unknown supplier is refused alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn group_commit_keeps_concurrent_batches_apart() {
    for backend in backends() {
        let (db, server) = fresh(backend, "usage_group");
        let env = setup(&db, &server, 5_000_000).await;
        let batch = |prefix: &str, n: usize| -> Value {
            json!((0..n)
                .map(|i| rec(&format!("{prefix}-{i}"), &env.p_jinan, &env.e1, 1, 3_600))
                .collect::<Vec<_>>())
        };
        // Quotes, backslashes, commas and braces: record ids travel in PostgreSQL array literals.
        let (a, d, other) = (
            batch(r#"g"a\,{x}"#, 10),
            batch("gd 济南", 5),
            batch("gx", 3),
        );
        let mut expected = 0i64;
        for round in 0..5 {
            let key = |k: &str| format!("{k}-{round}");
            let a = json!(a
                .as_array()
                .unwrap()
                .iter()
                .map(|r| {
                    let mut r = r.clone();
                    r["record_id"] =
                        json!(format!("{}-r{round}", r["record_id"].as_str().unwrap()));
                    r
                })
                .collect::<Vec<_>>());
            let (ka, kd) = (key("ka"), key("kd"));
            let (r1, r2, r3, r4, r5) = tokio::join!(
                env.sup.post("/api/v1/usage", &a, Some(&ka)),
                env.sup.post("/api/v1/usage", &a, Some(&ka)),
                env.sup.post("/api/v1/usage", &other, Some(&ka)),
                env.sup.post("/api/v1/usage", &d, Some(&kd)),
                env.admin
                    .post("/api/v1/usage?supplier_id=sup_nobody", &d, Some(&kd)),
            );
            // One key, three requests: whichever body claims it first wins; the same request
            // sent twice gets one answer (same batch), the other body is refused.
            if r3.status == 200 {
                r1.err(422, "idempotency_key_reused");
                r2.err(422, "idempotency_key_reused");
                expected += r3.body["accepted"].as_i64().unwrap();
            } else {
                r3.err(422, "idempotency_key_reused");
                assert_eq!(r1.ok()["batch_id"], r2.ok()["batch_id"], "{round}");
                assert_eq!(r1.body, r2.body);
                assert_eq!(r1.body["accepted"], 10);
                expected += 10;
            }
            // `d` goes in once (first round); later rounds answer duplicate.
            let d_ok = r4.ok();
            expected += d_ok["accepted"].as_i64().unwrap();
            assert_eq!(
                d_ok["accepted"].as_i64().unwrap() + d_ok["duplicates"].as_i64().unwrap(),
                5
            );
            assert!(
                (400..500).contains(&r5.status) && r5.body["field"] == "supplier_id",
                "{:?}",
                r5.body
            );
        }
        // What the answers accepted is exactly what is stored (10 per round of `a` or, when
        // `other` won the key, its 3 records once; 5 of `d`).
        assert!(expected >= 5);
        assert_eq!(check_invariants(&db.url).await, expected);
        // Stored ids are exactly the ids sent (none mangled on the way).
        let mut c = db_conn(&db.url).await;
        for r in sqlx::query("SELECT record_id FROM usage_records")
            .fetch_all(&mut c)
            .await
            .unwrap()
        {
            let id: String = r.get(0);
            assert!(
                id.starts_with("gx-")
                    || id.starts_with("gd 济南-")
                    || id.starts_with(r#"g"a\,{x}-"#),
                "stored record id {id:?}"
            );
        }
        audit_ok(&env.admin).await;
        drop(server);
    }
}

/// Metered usage applies the program's pilot-zone bonus exactly as an invoice does (one rule,
/// `quan_domain::with_pilot_bonus`): 30% + 5% for the pilot-zone enterprise, 30% for the other.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn usage_gets_the_pilot_zone_bonus() {
    for backend in backends() {
        let (db, server) = fresh(backend, "usage_pilot");
        let env = setup(&db, &server, 1_000_000).await;
        let programs = env.admin.get("/api/v1/programs").await;
        let prog_a = programs.ok()["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "算力券A")
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();
        env.admin
            .patch(
                &format!("/api/v1/programs/{prog_a}"),
                &json!({"policy": {"pilot_bonus_bps": 500}}),
                Some(&uuid::Uuid::new_v4().to_string()),
            )
            .await
            .ok();
        env.admin
            .patch(
                &format!("/api/v1/enterprises/{}", env.e1),
                &json!({"pilot_zone": true}),
                None,
            )
            .await
            .ok();
        let batch = json!([
            rec("pilot-1", &env.p_jinan, &env.e1, 1, 7200),
            rec("plain-1", &env.p_jinan, &env.e2, 1, 7200),
        ]);
        let r = env.sup.post("/api/v1/usage", &batch, Some("pilot-1")).await;
        let res = by_id(r.ok());
        let amount = res["pilot-1"]["amount_fen"].as_i64().unwrap();
        assert_eq!(res["plain-1"]["amount_fen"].as_i64().unwrap(), amount);
        assert_eq!(
            res["pilot-1"]["subsidy_fen"].as_i64().unwrap(),
            amount * 3_500 / 10_000
        );
        assert_eq!(
            res["plain-1"]["subsidy_fen"].as_i64().unwrap(),
            amount * 3_000 / 10_000
        );
        drop(server);
    }
}

/// Metered usage honours the program's cap per supplier, as invoices do: across records and
/// batches the supplier is paid at most the cap.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn usage_stops_at_the_supplier_cap() {
    for backend in backends() {
        let (db, server) = fresh(backend, "usage_sup_cap");
        let env = setup(&db, &server, 1_000_000).await;
        let programs = env.admin.get("/api/v1/programs").await;
        let items = programs.ok()["items"].as_array().unwrap().clone();
        let prog_a = items.iter().find(|p| p["name"] == "算力券A").unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();
        env.admin
            .patch(
                &format!("/api/v1/programs/{prog_a}"),
                &json!({"policy": {"supplier_cap_fen": 1_000}}),
                Some(&uuid::Uuid::new_v4().to_string()),
            )
            .await
            .ok();
        let total = |r: &Resp| -> i64 {
            r.ok()["results"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x["subsidy_fen"].as_i64().unwrap_or(0))
                .sum()
        };
        let first = env
            .sup
            .post(
                "/api/v1/usage",
                &json!([
                    rec("cap-1", &env.p_jinan, &env.e1, 1, 7200),
                    rec("cap-2", &env.p_jinan, &env.e1, 3, 7200)
                ]),
                Some("cap-a"),
            )
            .await;
        let second = env
            .sup
            .post(
                "/api/v1/usage",
                &json!([rec("cap-3", &env.p_jinan, &env.e1, 2, 7200)]),
                Some("cap-b"),
            )
            .await;
        assert_eq!(
            total(&first) + total(&second),
            1_000,
            "{} {}",
            first.body,
            second.body
        );
        assert_eq!(total(&second), 0);
        drop(server);
    }
}
