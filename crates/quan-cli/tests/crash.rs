//! Crash under load (issue 5): the real `quan serve` is killed with SIGKILL at random moments
//! while a load generator sends mixed money-moving requests, and restarted on the same database
//! (SQLite always; PostgreSQL too when DATABASE_URL is set).
//!
//! The client follows TigerBeetle's "reliable transaction submission": every request gets a
//! client-chosen Idempotency-Key, written to the journal *before* it is sent, and a request whose
//! response did not arrive (connection refused or reset, timeout, body cut off, 5xx) is sent again
//! with the same key and the same body until an answer arrives. Load: applications → reviews →
//! issues, invoice redemptions, clawbacks, settlements and, when `/openapi.json` lists
//! `POST /api/v1/usage`, metered usage batches (with resent record ids).
//!
//! Afterwards, on a fresh server on the same database:
//! - every acknowledged effect exists exactly once with the acknowledged figures (redemption id,
//!   subsidy, status; settlement totals; usage records), and the row counts equal the numbers
//!   of acknowledgements, so no retried key produced a second row; no redemption was answered
//!   `duplicate_invoice` and no fresh usage record `duplicate` (that is what a re-run of a
//!   committed-but-unanswered request would say);
//! - nothing is half-applied: each redemption ↔ its `redeem:<id>` transfer ↔ its
//!   `redemption.create` audit record, and likewise for clawbacks, settlements, grants,
//!   vouchers and usage batches; every account's balance and pending amounts equal what its
//!   transfers say;
//! - `ledger::check_conservation`; voucher balance = face − redemptions − usage + clawbacks;
//!   supplier payable/settled = the unsettled/settled subsidies; the idempotency table holds
//!   exactly one row per successful request;
//! - the audit chain verifies (`GET /api/v1/audit/verify`).
//!
//! Reproduce: `CRASH_SEED=<seed> cargo test -p quan-cli --test crash` (the seed is printed; a
//! failure message names it). `CRASH_KILLS` sets the number of kills per backend (default 24).
//! PostgreSQL: `DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres cargo test -p quan-cli --test crash`.
mod common;

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use common::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};
use sqlx::Row;

const WORKERS: usize = 6;
const OPS_PER_WORKER_MAX: usize = 3_000;
/// A request that gets no answer within this time fails the test.
const REQUEST_DEADLINE: Duration = Duration::from_secs(60);
const SERVE_FLAGS: [&str; 3] = ["--test-clock", "--today", "2026-06-01"];
const PRICE: i64 = 1_200; // fen per GPU-hour

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Who {
    Admin,
    Reviewer,
    Ent,
    Sup,
    Sup2,
    CSup,
}

/// One journal entry: recorded (in memory and in the journal file) before the first send,
/// answered once.
struct Entry {
    key: String,
    path: String,
    answer: Option<(u16, Value)>,
    attempts: u32,
}

#[derive(Clone)]
struct Red {
    id: String,
    voucher: String,
    supplier: String,
    subsidy: i64,
    clawed: bool,
}

#[derive(Default)]
struct Model {
    /// Model vouchers (id, face), acknowledged issues and the setup.
    vouchers: Vec<(String, i64)>,
    /// Compute vouchers per compute enterprise.
    compute: Vec<(String, String)>,
    redemptions: Vec<Red>,
    settlements: HashMap<String, (String, i64)>,
    /// Acknowledged accepted usage records: record id → (voucher, amount, subsidy).
    usage: HashMap<String, (Option<String>, i64, i64)>,
    /// The record as first sent, for resending.
    usage_body: HashMap<String, Value>,
    usage_batches: usize,
    usage_resent: usize,
    applications: usize,
    approvals: usize,
    rejections: usize,
    issues: usize,
    clawbacks: usize,
    refusals: HashMap<String, usize>,
}

struct Ctx {
    seed: u64,
    http: reqwest::Client,
    base: RwLock<String>,
    tokens: HashMap<Who, String>,
    journal: Mutex<Vec<Entry>>,
    /// The same journal as NDJSON (request lines before sending, answer lines after), kept
    /// when the test fails.
    journal_file: Mutex<std::fs::File>,
    model: Mutex<Model>,
    stop: AtomicBool,
    attempts: AtomicU64,
    lost: AtomicU64,
    server_errors: AtomicU64,
    /// Requests whose first attempt committed but whose answer was lost (seen in the database
    /// before the retry): the retry must replay the stored answer.
    committed_unanswered: AtomicU64,
    db: sqlx::AnyPool,
    ids: World2,
    usage: bool,
}

/// Ids the load needs.
struct World2 {
    program: String,
    product: String,
    product2: String,
    supplier: String,
    supplier2: String,
    csupplier: String,
    cproduct: String,
    extra_enterprises: Vec<String>,
    enterprise: String,
}

impl Ctx {
    /// Sends until an answer arrives; returns (status, body). 5xx counts as no answer.
    async fn submit(&self, who: Who, path: &str, body: Value, key: String) -> (u16, Value) {
        let idx = {
            let mut j = self.journal.lock().unwrap();
            let line = json!({"key": key, "who": format!("{who:?}"), "path": path, "body": body});
            writeln!(self.journal_file.lock().unwrap(), "{line}").expect("journal file");
            j.push(Entry {
                key: key.clone(),
                path: path.to_string(),
                answer: None,
                attempts: 0,
            });
            j.len() - 1
        };
        let started = Instant::now();
        let mut attempts = 0u32;
        let mut looked = false;
        loop {
            attempts += 1;
            self.attempts.fetch_add(1, Ordering::Relaxed);
            assert!(
                started.elapsed() < REQUEST_DEADLINE,
                "seed {}: request {key} ({path}) got no answer in {:?} ({attempts} attempts)",
                self.seed,
                REQUEST_DEADLINE
            );
            let base = self.base.read().unwrap().clone();
            let req = self
                .http
                .post(format!("{base}{path}"))
                .bearer_auth(&self.tokens[&who])
                .header("Idempotency-Key", &key)
                .json(&body);
            let got = match req.send().await {
                Ok(resp) => {
                    let status = resp.status().as_u16();
                    resp.text().await.ok().map(|t| (status, t))
                }
                Err(_) => None,
            };
            match got {
                Some((status, text)) if status < 500 => {
                    let v: Value = serde_json::from_str(&text).unwrap_or(Value::String(text));
                    let mut j = self.journal.lock().unwrap();
                    let line =
                        json!({"key": key, "status": status, "attempts": attempts, "answer": v});
                    writeln!(self.journal_file.lock().unwrap(), "{line}").expect("journal file");
                    j[idx].answer = Some((status, v.clone()));
                    j[idx].attempts = attempts;
                    if attempts > 1 {
                        self.lost.fetch_add(1, Ordering::Relaxed);
                    }
                    return (status, v);
                }
                Some((status, text)) => {
                    self.server_errors.fetch_add(1, Ordering::Relaxed);
                    eprintln!("seed {}: {status} for {key} {path}: {text}", self.seed);
                }
                None => {}
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
            if !looked {
                looked = true;
                let row = sqlx::query("SELECT status FROM idempotency WHERE idem_key = $1")
                    .bind(&key)
                    .fetch_optional(&self.db)
                    .await;
                if matches!(row, Ok(Some(_))) {
                    self.committed_unanswered.fetch_add(1, Ordering::Relaxed);
                }
            }
        }
    }

    fn refused(&self, what: &str, status: u16, body: &Value, allowed: &[&str]) {
        let code = body["code"].as_str().unwrap_or("");
        assert!(
            status == 409 && allowed.contains(&code),
            "seed {}: {what}: unexpected {status} {body}",
            self.seed
        );
        *self
            .model
            .lock()
            .unwrap()
            .refusals
            .entry(format!("{what}:{code}"))
            .or_default() += 1;
    }
}

fn seed() -> u64 {
    std::env::var("CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| rand::thread_rng().gen())
}

fn kills() -> usize {
    std::env::var("CRASH_KILLS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(24)
}

fn date(rng: &mut StdRng) -> String {
    if rng.gen_bool(0.1) {
        "2026-06-01".into()
    } else {
        format!(
            "2026-{:02}-{:02}",
            rng.gen_range(1..=5),
            rng.gen_range(1..=28)
        )
    }
}

async fn worker(ctx: Arc<Ctx>, w: usize) {
    let mut rng = StdRng::seed_from_u64(ctx.seed.wrapping_mul(31).wrapping_add(w as u64));
    let mut n = 0usize;
    let key = |n: &mut usize| {
        *n += 1;
        format!("crash-{}-w{w}-{n}", ctx.seed)
    };
    let mut record = 0usize;
    for _ in 0..OPS_PER_WORKER_MAX {
        if ctx.stop.load(Ordering::Relaxed) {
            break;
        }
        let roll = rng.gen_range(0..100);
        let has_vouchers = !ctx.model.lock().unwrap().vouchers.is_empty();
        if roll < 15 || !has_vouchers {
            // Apply → review → issue, by the enterprise user or by an administrator for another enterprise.
            let amount = rng.gen_range(100_000..=1_000_000i64);
            let (who, body) = if rng.gen_bool(0.5) {
                (
                    Who::Ent,
                    json!({"program_id": ctx.ids.program, "amount_fen": amount, "plan": "压力测试"}),
                )
            } else {
                let e =
                    &ctx.ids.extra_enterprises[rng.gen_range(0..ctx.ids.extra_enterprises.len())];
                (
                    Who::Admin,
                    json!({"program_id": ctx.ids.program, "enterprise_id": e, "amount_fen": amount, "plan": "压力测试"}),
                )
            };
            let (st, b) = ctx
                .submit(who, "/api/v1/applications", body, key(&mut n))
                .await;
            if st != 201 {
                // Another worker's application for the same enterprise is still open.
                ctx.refused("apply", st, &b, &["duplicate_application"]);
                continue;
            }
            ctx.model.lock().unwrap().applications += 1;
            let app = b["id"].as_str().unwrap().to_string();
            let (st, b) = ctx
                .submit(
                    Who::Reviewer,
                    &format!("/api/v1/applications/{app}/review"),
                    json!({"decision": "approve"}),
                    key(&mut n),
                )
                .await;
            if st != 200 {
                ctx.refused(
                    "review",
                    st,
                    &b,
                    &["insufficient_funds", "enterprise_year_cap"],
                );
                // Close it, so that the enterprise may apply again.
                let (st, b) = ctx
                    .submit(
                        Who::Reviewer,
                        &format!("/api/v1/applications/{app}/review"),
                        json!({"decision": "reject", "reason": "额度不足"}),
                        key(&mut n),
                    )
                    .await;
                assert_eq!(st, 200, "seed {}: reject: {b}", ctx.seed);
                ctx.model.lock().unwrap().rejections += 1;
                continue;
            }
            ctx.model.lock().unwrap().approvals += 1;
            let (st, b) = ctx
                .submit(
                    Who::Admin,
                    &format!("/api/v1/applications/{app}/issue"),
                    json!({}),
                    key(&mut n),
                )
                .await;
            assert_eq!(st, 201, "seed {}: issue: {b}", ctx.seed);
            let face = b["face_value_fen"].as_i64().unwrap();
            assert_eq!(face, amount, "seed {}: face value", ctx.seed);
            let mut m = ctx.model.lock().unwrap();
            m.issues += 1;
            m.vouchers
                .push((b["id"].as_str().unwrap().to_string(), face));
        } else if roll < 60 {
            // Invoice redemption by one of the two model suppliers.
            let voucher = {
                let m = ctx.model.lock().unwrap();
                m.vouchers[rng.gen_range(0..m.vouchers.len())].0.clone()
            };
            let (who, supplier, product) = if rng.gen_bool(0.5) {
                (Who::Sup, &ctx.ids.supplier, &ctx.ids.product)
            } else {
                (Who::Sup2, &ctx.ids.supplier2, &ctx.ids.product2)
            };
            let invoice = format!("{:08}{:02}{:010}", ctx.seed % 100_000_000, w, n + 1);
            let body = json!({"voucher_id": voucher, "product_id": product, "invoice_number": invoice,
                              "invoice_amount_fen": rng.gen_range(1_000..=400_000i64), "invoice_date": date(&mut rng)});
            let (st, b) = ctx
                .submit(who, "/api/v1/redemptions", body, key(&mut n))
                .await;
            if st == 201 {
                assert_eq!(b["invoice_number"], invoice.as_str(), "seed {}", ctx.seed);
                ctx.model.lock().unwrap().redemptions.push(Red {
                    id: b["id"].as_str().unwrap().to_string(),
                    voucher,
                    supplier: supplier.clone(),
                    subsidy: b["subsidy_fen"].as_i64().unwrap(),
                    clawed: false,
                });
            } else {
                // duplicate_invoice would mean a committed request ran a second time.
                ctx.refused(
                    "redeem",
                    st,
                    &b,
                    &["voucher_exhausted", "enterprise_year_cap"],
                );
            }
        } else if roll < 70 {
            // Clawback of an acknowledged redemption (another worker may get there first: 409).
            let target = {
                let m = ctx.model.lock().unwrap();
                let open: Vec<&Red> = m.redemptions.iter().filter(|r| !r.clawed).collect();
                if open.is_empty() {
                    continue;
                }
                open[rng.gen_range(0..open.len())].id.clone()
            };
            let (st, b) = ctx
                .submit(
                    Who::Admin,
                    &format!("/api/v1/redemptions/{target}/clawback"),
                    json!({"reason": "抽查不合规"}),
                    key(&mut n),
                )
                .await;
            if st == 200 {
                assert_eq!(b["status"], "clawed_back", "seed {}", ctx.seed);
                let mut m = ctx.model.lock().unwrap();
                m.clawbacks += 1;
                let r = m.redemptions.iter_mut().find(|r| r.id == target).unwrap();
                assert!(
                    !r.clawed,
                    "seed {}: clawback of {target} acknowledged twice",
                    ctx.seed
                );
                r.clawed = true;
            } else {
                ctx.refused("clawback", st, &b, &["invalid_state"]);
            }
        } else if roll < 75 {
            let sups = [&ctx.ids.supplier, &ctx.ids.supplier2, &ctx.ids.csupplier];
            let supplier = sups[rng.gen_range(0..if ctx.usage { 3 } else { 2 })].clone();
            let period = format!("2026-{:02}", rng.gen_range(1..=6));
            let (st, b) = ctx
                .submit(
                    Who::Admin,
                    "/api/v1/settlements",
                    json!({"supplier_id": supplier, "period": period}),
                    key(&mut n),
                )
                .await;
            if st == 201 {
                let prev = ctx.model.lock().unwrap().settlements.insert(
                    b["id"].as_str().unwrap().to_string(),
                    (supplier, b["total_fen"].as_i64().unwrap()),
                );
                assert!(
                    prev.is_none(),
                    "seed {}: settlement acknowledged twice",
                    ctx.seed
                );
            } else {
                ctx.refused("settle", st, &b, &["already_settled", "nothing_to_settle"]);
            }
        } else if ctx.usage {
            // A metered usage batch: 1–5 fresh records, sometimes with an acknowledged one resent.
            let mut recs = Vec::new();
            let mut fresh_ids = HashSet::new();
            for _ in 0..rng.gen_range(1..=5) {
                record += 1;
                let rid = format!("job-{}-w{w}-{record}", ctx.seed);
                let (e, _) = {
                    let m = ctx.model.lock().unwrap();
                    m.compute[rng.gen_range(0..m.compute.len())].clone()
                };
                let day = rng.gen_range(1..=28);
                let hour = rng.gen_range(0..20);
                recs.push(json!({"record_id": rid, "product_id": ctx.ids.cproduct, "enterprise_id": e,
                    "started_at": format!("2026-05-{day:02}T{hour:02}:00:00Z"), "ended_at": format!("2026-05-{day:02}T{:02}:00:00Z", hour + 1),
                    "gpu_seconds": rng.gen_range(1..=8) * 3600}));
                fresh_ids.insert(rid);
            }
            {
                let m = ctx.model.lock().unwrap();
                if rng.gen_bool(0.3) && !m.usage_body.is_empty() {
                    let mut ks: Vec<&String> = m.usage_body.keys().collect();
                    ks.sort();
                    recs.push(m.usage_body[ks[rng.gen_range(0..ks.len())]].clone());
                }
            }
            let (st, b) = ctx
                .submit(
                    Who::CSup,
                    "/api/v1/usage",
                    Value::Array(recs.clone()),
                    key(&mut n),
                )
                .await;
            assert_eq!(st, 200, "seed {}: usage: {b}", ctx.seed);
            let mut m = ctx.model.lock().unwrap();
            m.usage_batches += 1;
            for r in b["results"].as_array().unwrap() {
                let rid = r["record_id"].as_str().unwrap().to_string();
                let status = r["status"].as_str().unwrap();
                if fresh_ids.contains(&rid) {
                    assert_eq!(
                        status, "accepted",
                        "seed {}: fresh usage record {rid}: {r}",
                        ctx.seed
                    );
                    let prev = m.usage.insert(
                        rid.clone(),
                        (
                            r["voucher_id"].as_str().map(String::from),
                            r["amount_fen"].as_i64().unwrap(),
                            r["subsidy_fen"].as_i64().unwrap_or(0),
                        ),
                    );
                    assert!(
                        prev.is_none(),
                        "seed {}: usage record {rid} accepted twice",
                        ctx.seed
                    );
                    let sent = recs
                        .iter()
                        .find(|x| x["record_id"] == rid.as_str())
                        .unwrap()
                        .clone();
                    m.usage_body.insert(rid, sent);
                } else {
                    assert_eq!(
                        status, "duplicate",
                        "seed {}: resent usage record {rid}: {r}",
                        ctx.seed
                    );
                    m.usage_resent += 1;
                }
            }
        }
    }
}

async fn start(url: String) -> Server {
    tokio::task::spawn_blocking(move || Server::start(&url, &SERVE_FLAGS))
        .await
        .expect("start server")
}

async fn crash_run(backend: Backend, seed: u64) {
    let t0 = Instant::now();
    let (db, server) = fresh(backend, "crash");
    let w = world(&db.url, &server, 1_000_000_000, 2_000_000).await;
    let admin = &w.admin;

    // A second model supplier, more enterprises (so yearly caps do not end the run early).
    let s2 = admin
        .post("/api/v1/suppliers", &json!({"uscc": uscc("370300"), "name": "淄博测试模型有限公司", "kind": "model", "city_code": "370300", "legal_rep": "钱七", "shareholders": ["钱七"]}), None)
        .await;
    let supplier2 = s2.ok()["id"].as_str().unwrap().to_string();
    let p2 = admin
        .post(
            "/api/v1/products",
            &json!({"supplier_id": supplier2, "kind": "model", "name": "测试大模型二"}),
            None,
        )
        .await;
    let product2 = p2.ok()["id"].as_str().unwrap().to_string();
    select_by_round(
        admin,
        &w.reviewer,
        "model",
        2026,
        &[&product2],
        "2026-06-01",
    )
    .await;
    create_user(&db.url, "sup2", "supplier", &["--supplier-id", &supplier2]);
    let mut extra = Vec::new();
    for i in 0..8 {
        let e = admin
            .post("/api/v1/enterprises", &json!({"uscc": uscc("370100"), "name": format!("压测企业{i}"), "city_code": "370100", "industry": "I", "size_class": "small", "legal_rep": format!("压测法人{i}")}), None)
            .await;
        extra.push(e.ok()["id"].as_str().unwrap().to_string());
    }
    let mut model = Model::default();
    for _ in 0..2 {
        let v = issue_voucher(&w, 2_000_000).await;
        model.vouchers.push((v, 2_000_000));
    }
    let setup_apps = 2usize;

    // Metered usage, if this build has it.
    let spec = reqwest::get(format!("{}/openapi.json", server.base))
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    let usage = spec["paths"]["/api/v1/usage"]["post"].is_object();
    let (mut csupplier, mut cproduct) = (String::new(), String::new());
    let mut setup_compute_apps = 0usize;
    if usage {
        let prog = admin
            .post_once(
                "/api/v1/programs",
                &json!({
                    "name": "压测算力券", "voucher_type": "compute", "year": 2026, "rate_bps": 3000,
                    "face_value_cap_fen": 5_000_000, "enterprise_year_cap_fen": 50_000_000,
                    "apply_from": "2026-01-01", "apply_until": "2026-12-31", "valid_from": "2026-01-01", "valid_until": "2026-12-31",
                    "notice_days": 0, "budget_fen": 100_000_000,
                    "funding": [{"source_id": w.sources[0], "share_bps": 7000}, {"source_id": w.sources[1], "share_bps": 3000}]
                }),
            )
            .await;
        let prog = prog.ok()["id"].as_str().unwrap().to_string();
        let s = admin
            .post("/api/v1/suppliers", &json!({"uscc": uscc("370100"), "name": "济南算力枢纽（压测）", "kind": "compute", "city_code": "370100", "legal_rep": "孙八", "shareholders": []}), None)
            .await;
        csupplier = s.ok()["id"].as_str().unwrap().to_string();
        let p = admin
            .post("/api/v1/products", &json!({"supplier_id": csupplier, "kind": "compute", "name": "A800 济南", "city_code": "370100", "gpu_model": "A800", "price_per_unit_fen": PRICE}), None)
            .await;
        cproduct = p.ok()["id"].as_str().unwrap().to_string();
        admin
            .post(
                &format!("/api/v1/programs/{prog}/eligible-products"),
                &json!({"product_id": cproduct}),
                None,
            )
            .await
            .ok();
        create_user(&db.url, "csup", "supplier", &["--supplier-id", &csupplier]);
        for e in extra.iter().take(2) {
            let app = admin.post_once("/api/v1/applications", &json!({"program_id": prog, "enterprise_id": e, "amount_fen": 5_000_000, "plan": "算力"})).await;
            let app = app.ok()["id"].as_str().unwrap().to_string();
            admin
                .post_once(
                    &format!("/api/v1/applications/{app}/review"),
                    &json!({"decision": "approve"}),
                )
                .await
                .ok();
            let v = admin
                .post_once(&format!("/api/v1/applications/{app}/issue"), &json!({}))
                .await;
            model
                .compute
                .push((e.clone(), v.ok()["id"].as_str().unwrap().to_string()));
            setup_compute_apps += 1;
        }
    } else {
        eprintln!(
            "{backend:?}: POST /api/v1/usage is not in /openapi.json: no usage batches in the load"
        );
    }

    let mut tokens = HashMap::new();
    tokens.insert(Who::Admin, w.admin.token.clone().unwrap());
    tokens.insert(Who::Reviewer, w.reviewer.token.clone().unwrap());
    tokens.insert(Who::Ent, w.enterprise.token.clone().unwrap());
    tokens.insert(Who::Sup, w.supplier.token.clone().unwrap());
    tokens.insert(
        Who::Sup2,
        Api::login(&server.base, "sup2").await.token.unwrap(),
    );
    if usage {
        tokens.insert(
            Who::CSup,
            Api::login(&server.base, "csup").await.token.unwrap(),
        );
    }
    sqlx::any::install_default_drivers();
    let journal_path =
        std::env::temp_dir().join(format!("quan-crash-journal-{backend:?}-{seed}.ndjson"));
    eprintln!("{backend:?}: request journal in {}", journal_path.display());
    let ctx = Arc::new(Ctx {
        seed,
        http: reqwest::Client::builder()
            .timeout(Duration::from_secs(15))
            .build()
            .unwrap(),
        base: RwLock::new(server.base.clone()),
        tokens,
        journal: Mutex::new(Vec::new()),
        journal_file: Mutex::new(std::fs::File::create(&journal_path).expect("journal file")),
        model: Mutex::new(model),
        stop: AtomicBool::new(false),
        attempts: AtomicU64::new(0),
        lost: AtomicU64::new(0),
        server_errors: AtomicU64::new(0),
        committed_unanswered: AtomicU64::new(0),
        db: sqlx::any::AnyPoolOptions::new()
            .max_connections(2)
            .connect(&db.url)
            .await
            .expect("connect"),
        ids: World2 {
            program: w.program_id.clone(),
            product: w.product_id.clone(),
            product2,
            supplier: w.supplier_id.clone(),
            supplier2: supplier2.clone(),
            csupplier: csupplier.clone(),
            cproduct,
            extra_enterprises: extra,
            enterprise: w.enterprise_id.clone(),
        },
        usage,
    });
    let setup_secs = t0.elapsed().as_secs_f64();

    // Load, and kill -9 at random moments.
    let t_load = Instant::now();
    let handles: Vec<_> = (0..WORKERS)
        .map(|i| tokio::spawn(worker(ctx.clone(), i)))
        .collect();
    let mut rng = StdRng::seed_from_u64(seed);
    let mut server = server;
    let n_kills = kills();
    let mut in_flight_at_kill = Vec::new();
    for _ in 0..n_kills {
        tokio::time::sleep(Duration::from_millis(rng.gen_range(150..900))).await;
        let unanswered = ctx
            .journal
            .lock()
            .unwrap()
            .iter()
            .filter(|e| e.answer.is_none())
            .count();
        in_flight_at_kill.push(unanswered);
        server.kill9();
        drop(server);
        server = start(db.url.clone()).await;
        *ctx.base.write().unwrap() = server.base.clone();
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    ctx.stop.store(true, Ordering::Relaxed);
    for h in handles {
        if let Err(e) = h.await {
            panic!("seed {seed}: a load worker failed: {e}");
        }
    }
    let load_secs = t_load.elapsed().as_secs_f64();

    // Every request in the journal has its answer.
    let journal = std::mem::take(&mut *ctx.journal.lock().unwrap());
    assert!(
        journal.iter().all(|e| e.answer.is_some()),
        "seed {seed}: unanswered requests"
    );
    let keys: HashSet<&str> = journal.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(
        keys.len(),
        journal.len(),
        "seed {seed}: the client reused a key"
    );
    let ok_answers = journal
        .iter()
        .filter(|e| e.answer.as_ref().is_some_and(|a| (200..300).contains(&a.0)))
        .count() as i64;
    let retried = journal.iter().filter(|e| e.attempts > 1).count();
    let by_path = |p: &str| journal.iter().filter(|e| e.path == p).count();

    // Check on the last server.
    let m = std::mem::take(&mut *ctx.model.lock().unwrap());
    check(
        &db.url,
        &server,
        &w,
        &ctx,
        &m,
        setup_apps,
        setup_compute_apps,
        ok_answers,
    )
    .await;
    eprintln!(
        "{backend:?} seed {seed}: {n_kills} kills survived (unanswered requests at each kill: {in_flight_at_kill:?}); {} requests acknowledged \
         ({ok_answers} 2xx), {retried} of them answered only after a retry ({} of these had committed before the kill and were replayed), {} sends in all, {} 5xx; applications {} ({} approved, {} rejected, {} issued), \
         redemptions {} created of {} sent, clawbacks {}, settlements {}, usage batches {} ({} records accepted, {} resent records counted once); \
         refusals {:?}; setup {setup_secs:.1}s, load {load_secs:.1}s, total {:.1}s",
        journal.len(),
        ctx.committed_unanswered.load(Ordering::Relaxed),
        ctx.attempts.load(Ordering::Relaxed),
        ctx.server_errors.load(Ordering::Relaxed),
        m.applications,
        m.approvals,
        m.rejections,
        m.issues,
        m.redemptions.len(),
        by_path("/api/v1/redemptions"),
        m.clawbacks,
        m.settlements.len(),
        m.usage_batches,
        m.usage.len(),
        m.usage_resent,
        m.refusals,
        t0.elapsed().as_secs_f64()
    );
    assert!(
        retried > 0,
        "seed {seed}: no kill hit a request in flight; the test proved nothing"
    );
    assert_eq!(
        ctx.server_errors.load(Ordering::Relaxed),
        0,
        "seed {seed}: the server answered 5xx"
    );
    ctx.db.close().await;
    let _ = std::fs::remove_file(&journal_path);
    drop(server);
    drop(db);
}

async fn ids(conn: &mut sqlx::AnyConnection, sql: &str) -> HashSet<String> {
    sqlx::query(sql)
        .fetch_all(&mut *conn)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get::<String, _>(0))
        .collect()
}

async fn int(conn: &mut sqlx::AnyConnection, sql: &str, arg: &str) -> i64 {
    sqlx::query(sql)
        .bind(arg)
        .fetch_one(&mut *conn)
        .await
        .unwrap()
        .get::<i64, _>(0)
}

fn strip(set: HashSet<String>, prefix: &str) -> HashSet<String> {
    set.into_iter()
        .map(|s| s.strip_prefix(prefix).map(String::from).unwrap_or(s))
        .collect()
}

#[allow(clippy::too_many_arguments)]
async fn check(
    url: &str,
    server: &Server,
    w: &World,
    ctx: &Ctx,
    m: &Model,
    setup_apps: usize,
    setup_compute_apps: usize,
    ok_answers: i64,
) {
    let seed = ctx.seed;
    sqlx::any::install_default_drivers();
    let mut c = <sqlx::AnyConnection as sqlx::Connection>::connect(url)
        .await
        .expect("connect");
    let c = &mut c;

    // Exactly once: row counts equal acknowledgements.
    let n = |t: &str| format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {t} WHERE 1 = 1 OR '' = $1");
    assert_eq!(
        int(c, &n("applications"), "").await as usize,
        setup_apps + setup_compute_apps + m.applications,
        "seed {seed}: applications"
    );
    assert_eq!(
        int(c, &n("vouchers"), "").await as usize,
        setup_apps + setup_compute_apps + m.issues,
        "seed {seed}: vouchers"
    );
    assert_eq!(
        int(c, &n("redemptions"), "").await as usize,
        m.redemptions.len(),
        "seed {seed}: redemptions"
    );
    assert_eq!(
        int(c, &n("settlements"), "").await as usize,
        m.settlements.len(),
        "seed {seed}: settlements"
    );
    assert_eq!(
        int(c, &n("usage_records"), "").await as usize,
        m.usage.len(),
        "seed {seed}: usage records"
    );
    let dup: i64 = int(c, "SELECT CAST(COUNT(*) AS BIGINT) FROM (SELECT invoice_number FROM redemptions GROUP BY invoice_number HAVING COUNT(*) > 1) d WHERE '' = $1", "").await;
    assert_eq!(dup, 0, "seed {seed}: an invoice number used twice");
    let idem = int(
        c,
        "SELECT CAST(COUNT(*) AS BIGINT) FROM idempotency WHERE idem_key LIKE $1",
        &format!("crash-{seed}-%"),
    )
    .await;
    assert_eq!(
        idem, ok_answers,
        "seed {seed}: one idempotency row per successful request"
    );

    // Each acknowledged effect, with its figures.
    for r in &m.redemptions {
        let row = sqlx::query(
            "SELECT subsidy_fen, status, voucher_id, supplier_id FROM redemptions WHERE id = $1",
        )
        .bind(&r.id)
        .fetch_optional(&mut *c)
        .await
        .unwrap();
        let row = row
            .unwrap_or_else(|| panic!("seed {seed}: acknowledged redemption {} is missing", r.id));
        assert_eq!(
            row.get::<i64, _>(0),
            r.subsidy,
            "seed {seed}: redemption {}",
            r.id
        );
        let status: String = row.get(1);
        assert_eq!(
            status == "clawed_back",
            r.clawed,
            "seed {seed}: redemption {} is {status}",
            r.id
        );
        assert_eq!(row.get::<String, _>(2), r.voucher);
        assert_eq!(row.get::<String, _>(3), r.supplier);
    }
    for (id, (sup, total)) in &m.settlements {
        let row = sqlx::query("SELECT supplier_id, total_fen FROM settlements WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *c)
            .await
            .unwrap();
        assert_eq!(
            (&row.get::<String, _>(0), row.get::<i64, _>(1)),
            (sup, *total),
            "seed {seed}: settlement {id}"
        );
    }
    for (rid, (voucher, amount, subsidy)) in &m.usage {
        let row = sqlx::query("SELECT voucher_id, amount_fen, subsidy_fen FROM usage_records WHERE supplier_id = $1 AND record_id = $2")
            .bind(&ctx.ids.csupplier)
            .bind(rid)
            .fetch_optional(&mut *c)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("seed {seed}: acknowledged usage record {rid} is missing"));
        assert_eq!(
            (
                row.get::<Option<String>, _>(0),
                row.get::<i64, _>(1),
                row.get::<i64, _>(2)
            ),
            (voucher.clone(), *amount, *subsidy),
            "seed {seed}: usage {rid}"
        );
    }

    // Nothing half-applied: row ↔ transfer ↔ audit record, both ways.
    let audit = |action: &str| format!("SELECT object FROM audit_log WHERE action = '{action}'");
    let same = |what: &str, a: &HashSet<String>, b: &HashSet<String>| {
        assert!(
            a == b,
            "seed {seed}: {what}: only in the first {:?}, only in the second {:?}",
            a.difference(b).collect::<Vec<_>>(),
            b.difference(a).collect::<Vec<_>>()
        );
    };
    let reds = ids(c, "SELECT id FROM redemptions").await;
    same(
        "redemption ↔ redeem transfer",
        &reds,
        &strip(
            ids(c, "SELECT id FROM ledger_transfers WHERE code = 'redeem'").await,
            "redeem:",
        ),
    );
    same(
        "redemption ↔ audit",
        &reds,
        &ids(c, &audit("redemption.create")).await,
    );
    let clawed = ids(c, "SELECT id FROM redemptions WHERE status = 'clawed_back'").await;
    same(
        "clawback ↔ transfer",
        &clawed,
        // One `clawback:<redemption>:<source>` transfer per funding source.
        &strip(
            ids(c, "SELECT id FROM ledger_transfers WHERE code = 'clawback'").await,
            "clawback:",
        )
        .into_iter()
        .map(|s| s.split(':').next().unwrap_or_default().to_string())
        .collect(),
    );
    same(
        "clawback ↔ audit",
        &clawed,
        &ids(c, &audit("redemption.clawback")).await,
    );
    let stl = ids(c, "SELECT id FROM settlements").await;
    same(
        "settlement ↔ transfer",
        &stl,
        // A run that only recovers what the supplier owed has an `offset:` transfer and no `settle:`.
        &strip(
            strip(
                ids(
                    c,
                    "SELECT id FROM ledger_transfers WHERE code IN ('settle', 'offset')",
                )
                .await,
                "settle:",
            ),
            "offset:",
        ),
    );
    same(
        "settlement ↔ audit",
        &stl,
        &ids(c, &audit("settlement.run")).await,
    );
    same(
        "application ↔ audit",
        &ids(c, "SELECT id FROM applications").await,
        &ids(c, &audit("application.submit")).await,
    );
    let approved = ids(
        c,
        "SELECT id FROM applications WHERE approved_fen IS NOT NULL",
    )
    .await;
    same(
        "approval ↔ audit",
        &approved,
        &ids(c, &audit("application.approve")).await,
    );
    let reserved: HashSet<String> =
        ids(c, "SELECT id FROM ledger_transfers WHERE code = 'reserve'")
            .await
            .into_iter()
            .map(|t| t.split(':').nth(1).unwrap().to_string())
            .collect();
    same("approval ↔ reservation", &approved, &reserved);
    let vouchers = ids(c, "SELECT id FROM vouchers").await;
    same(
        "voucher ↔ audit",
        &vouchers,
        &ids(c, &audit("voucher.issue")).await,
    );
    let issued_apps = ids(c, "SELECT application_id FROM vouchers").await;
    let posted: HashSet<String> = ids(
        c,
        "SELECT id FROM ledger_transfers WHERE kind = 'post' AND code = 'issue'",
    )
    .await
    .into_iter()
    .map(|t| t.split(':').nth(1).unwrap().to_string())
    .collect();
    same("voucher ↔ posted reservation", &issued_apps, &posted);
    let batches = ids(c, "SELECT DISTINCT batch_id FROM usage_records").await;
    let batch_audit = ids(c, &audit("usage.ingest")).await;
    assert!(
        batches.is_subset(&batch_audit),
        "seed {seed}: usage records without their batch's audit record"
    );
    assert_eq!(
        batch_audit.len(),
        m.usage_batches,
        "seed {seed}: one usage.ingest audit record per acknowledged batch"
    );
    let usage_transfers: HashSet<String> =
        ids(c, "SELECT id FROM ledger_transfers WHERE code = 'usage'")
            .await
            .into_iter()
            .map(|t| t.split(':').nth(1).unwrap().to_string())
            .collect();
    let paid_batches = ids(
        c,
        "SELECT DISTINCT batch_id FROM usage_records WHERE subsidy_fen > 0",
    )
    .await;
    same("usage batch ↔ transfers", &paid_batches, &usage_transfers);

    // Every account's figures equal what its transfers say.
    let rows = sqlx::query(
        "SELECT a.id, a.balance, a.debits_pending, a.credits_pending, \
         CAST((SELECT COALESCE(SUM(t.amount), 0) FROM ledger_transfers t WHERE t.credit = a.id AND t.kind IN ('single','post')) - \
              (SELECT COALESCE(SUM(t.amount), 0) FROM ledger_transfers t WHERE t.debit = a.id AND t.kind IN ('single','post')) AS BIGINT), \
         CAST((SELECT COALESCE(SUM(t.amount), 0) FROM ledger_transfers t WHERE t.debit = a.id AND t.kind = 'pending' AND t.pending_state = 'pending') AS BIGINT), \
         CAST((SELECT COALESCE(SUM(t.amount), 0) FROM ledger_transfers t WHERE t.credit = a.id AND t.kind = 'pending' AND t.pending_state = 'pending') AS BIGINT) \
         FROM ledger_accounts a",
    )
    .fetch_all(&mut *c)
    .await
    .unwrap();
    for r in &rows {
        let id: String = r.get(0);
        let have = (r.get::<i64, _>(1), r.get::<i64, _>(2), r.get::<i64, _>(3));
        let want = (r.get::<i64, _>(4), r.get::<i64, _>(5), r.get::<i64, _>(6));
        assert_eq!(have, want, "seed {seed}: account {id} (balance, debits pending, credits pending) disagrees with its transfers");
    }
    let store = quan_store::Store::open(&quan_store::StoreOptions::new(url))
        .await
        .unwrap();
    quan_store::ledger::check_conservation(store.reader())
        .await
        .unwrap_or_else(|e| panic!("seed {seed}: {e}"));

    // Voucher balances from the client's own acknowledgements.
    let mut vs: Vec<(String, i64)> = m.vouchers.clone();
    for (_, v) in &m.compute {
        let face = int(c, "SELECT face_value_fen FROM vouchers WHERE id = $1", v).await;
        vs.push((v.clone(), face));
    }
    for (v, face) in &vs {
        let red: i64 = m
            .redemptions
            .iter()
            .filter(|r| &r.voucher == v)
            .map(|r| r.subsidy)
            .sum();
        let back: i64 = m
            .redemptions
            .iter()
            .filter(|r| &r.voucher == v && r.clawed)
            .map(|r| r.subsidy)
            .sum();
        let used: i64 = m
            .usage
            .values()
            .filter(|u| u.0.as_deref() == Some(v.as_str()))
            .map(|u| u.2)
            .sum();
        let bal =
            quan_store::ledger::balance(store.reader(), &quan_store::ledger::voucher_account(v))
                .await
                .unwrap();
        assert!(bal.balance >= 0, "seed {seed}: voucher {v} below zero");
        // A clawback returns the subsidy to the funding sources, never to the voucher.
        let _ = back;
        assert_eq!(
            bal.balance,
            face - red - used,
            "seed {seed}: voucher {v}: balance ≠ face − redemptions − usage"
        );
    }
    // Supplier payable and settled accounts.
    for sup in [&ctx.ids.supplier, &ctx.ids.supplier2, &ctx.ids.csupplier] {
        if sup.is_empty() {
            continue;
        }
        // Payable: unsettled (payable or held) redemptions and usage. Settled: what the runs paid
        // out (total − offset). Receivable: offsets minus clawbacks of already-paid redemptions.
        let payable = int(c, "SELECT CAST((SELECT COALESCE(SUM(subsidy_fen), 0) FROM redemptions WHERE supplier_id = $1 AND status IN ('payable', 'held')) + \
                 (SELECT COALESCE(SUM(subsidy_fen), 0) FROM usage_records WHERE supplier_id = $1 AND settlement_id IS NULL) AS BIGINT)", sup).await;
        let settled = int(c, "SELECT CAST(COALESCE(SUM(total_fen - receivable_offset_fen), 0) AS BIGINT) FROM settlements WHERE supplier_id = $1", sup).await;
        let receivable = int(c, "SELECT CAST((SELECT COALESCE(SUM(receivable_offset_fen), 0) FROM settlements WHERE supplier_id = $1) - \
                 (SELECT COALESCE(SUM(subsidy_fen), 0) FROM redemptions WHERE supplier_id = $1 AND status = 'clawed_back' AND settlement_id IS NOT NULL) AS BIGINT)", sup).await;
        let rb = quan_store::ledger::balance(store.reader(), &format!("receivable:{sup}"))
            .await
            .map(|b| b.balance)
            .unwrap_or(0);
        assert_eq!(rb, receivable, "seed {seed}: supplier {sup} receivable");
        let pb =
            quan_store::ledger::balance(store.reader(), &quan_store::ledger::payable_account(sup))
                .await
                .map(|b| b.balance)
                .unwrap_or(0);
        let sb =
            quan_store::ledger::balance(store.reader(), &quan_store::ledger::settled_account(sup))
                .await
                .map(|b| b.balance)
                .unwrap_or(0);
        assert_eq!(
            (pb, sb),
            (payable, settled),
            "seed {seed}: supplier {sup} (payable, settled)"
        );
    }
    store.close().await;

    // The audit chain verifies, through the restarted server.
    let auditor = Api::login(&server.base, "auditor").await;
    let v = auditor.get("/api/v1/audit/verify").await;
    assert_eq!(v.ok()["ok"], true, "seed {seed}: audit chain: {}", v.body);
    let _ = (&w.enterprise_id, &ctx.ids.enterprise);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn kill_9_under_mixed_load_loses_nothing_and_counts_nothing_twice() {
    let seed = seed();
    eprintln!("crash test seed {seed} (reproduce with CRASH_SEED={seed})");
    for b in backends() {
        let t = Instant::now();
        let r = futures::FutureExt::catch_unwind(std::panic::AssertUnwindSafe(crash_run(b, seed)))
            .await;
        if let Err(e) = r {
            eprintln!(
                "crash test FAILED on {b:?} with seed {seed}: reproduce with CRASH_SEED={seed}"
            );
            std::panic::resume_unwind(e);
        }
        eprintln!(
            "{b:?}: crash test passed in {:.1}s",
            t.elapsed().as_secs_f64()
        );
    }
}
