//! Test harness: the real `quan` binary on a random port against a fresh database.
//! SQLite always; PostgreSQL too when DATABASE_URL points at a server (each test gets its own
//! database, created here and dropped on success).
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};

pub const PASSWORD: &str = "test-password-1";

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Backends to run each story on: SQLite, plus PostgreSQL when DATABASE_URL is set.
pub fn backends() -> Vec<Backend> {
    let mut v = vec![Backend::Sqlite];
    if std::env::var("DATABASE_URL")
        .map(|u| u.starts_with("postgres"))
        .unwrap_or(false)
    {
        v.push(Backend::Postgres);
    } else {
        eprintln!("DATABASE_URL not set: skipping the PostgreSQL run");
    }
    v
}

pub struct TestDb {
    pub url: String,
    pub backend: Backend,
    _dir: Option<tempdir::TempDir>,
    pg_name: Option<String>,
}

pub mod tempdir {
    pub struct TempDir(pub std::path::PathBuf);
    impl TempDir {
        pub fn new(tag: &str) -> TempDir {
            let p = std::env::temp_dir()
                .join(format!("quan-test-{tag}-{}", uuid::Uuid::new_v4().simple()));
            std::fs::create_dir_all(&p).expect("temp dir");
            TempDir(p)
        }
    }
    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

fn pg_admin_url() -> String {
    std::env::var("DATABASE_URL").expect("DATABASE_URL")
}

fn pg_url_for(db: &str) -> String {
    let base = pg_admin_url();
    let (head, _) = base
        .rsplit_once('/')
        .expect("DATABASE_URL has a database part");
    format!("{head}/{db}")
}

fn psql(sql: &str) {
    let st = Command::new("psql")
        .arg(pg_admin_url())
        .arg("-q")
        .arg("-c")
        .arg(sql)
        .stdout(Stdio::null())
        .status()
        .expect("psql on PATH");
    assert!(st.success(), "psql failed: {sql}");
}

impl TestDb {
    pub fn new(backend: Backend, tag: &str) -> TestDb {
        match backend {
            Backend::Sqlite => {
                let dir = tempdir::TempDir::new(tag);
                let url = format!("sqlite://{}", dir.0.join("quan.db").display());
                TestDb {
                    url,
                    backend,
                    _dir: Some(dir),
                    pg_name: None,
                }
            }
            Backend::Postgres => {
                let name = format!(
                    "quan_test_{tag}_{}",
                    &uuid::Uuid::new_v4().simple().to_string()[..12]
                );
                psql(&format!("CREATE DATABASE {name}"));
                TestDb {
                    url: pg_url_for(&name),
                    backend,
                    _dir: None,
                    pg_name: Some(name),
                }
            }
        }
    }
    pub fn path(&self) -> Option<std::path::PathBuf> {
        self._dir.as_ref().map(|d| d.0.join("quan.db"))
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(name) = &self.pg_name {
            if !std::thread::panicking() {
                let _ = Command::new("psql")
                    .arg(pg_admin_url())
                    .arg("-q")
                    .arg("-c")
                    .arg(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .stdout(Stdio::null())
                    .status();
            }
        }
    }
}

pub fn quan() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_quan"));
    c.env(
        "QUAN_LOG",
        std::env::var("TEST_LOG").unwrap_or_else(|_| "error".into()),
    );
    c
}

/// Runs `quan user create` against the database.
pub fn create_user(db: &str, username: &str, role: &str, extra: &[&str]) {
    let out = quan()
        .args([
            "user",
            "--db",
            db,
            "--username",
            username,
            "--password",
            PASSWORD,
            "--role",
            role,
        ])
        .args(extra)
        .output()
        .expect("run quan user");
    assert!(
        out.status.success(),
        "quan user failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

pub struct Server {
    pub child: Child,
    pub base: String,
}

impl Server {
    // A start that fails panics the test; the child is reaped by the test process's exit.
    #[allow(clippy::zombie_processes)]
    pub fn start(db: &str, extra: &[&str]) -> Server {
        let mut child = quan()
            .args([
                "serve",
                "--db",
                db,
                "--listen",
                "127.0.0.1:0",
                "--tick-seconds",
                "0",
            ])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn quan serve");
        let stdout = child.stdout.take().expect("stdout");
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        loop {
            line.clear();
            let n = reader.read_line(&mut line).expect("read server stdout");
            assert!(n > 0, "quan serve exited before listening");
            if let Some(addr) = line.trim().strip_prefix("listening on ") {
                let base = addr.to_string();
                // Keep draining stdout so the server never blocks on a full pipe.
                std::thread::spawn(move || for _ in reader.lines() {});
                return Server { child, base };
            }
            assert!(std::time::Instant::now() < deadline, "server did not start");
        }
    }
    pub fn kill9(&mut self) {
        let _ = self.child.kill(); // SIGKILL on Unix
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// A logged-in HTTP client.
#[derive(Clone)]
pub struct Api {
    pub http: reqwest::Client,
    pub base: String,
    pub token: Option<String>,
}

#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub body: Value,
}

impl Resp {
    pub fn ok(&self) -> &Value {
        assert!(
            (200..300).contains(&self.status),
            "expected success, got {} {}",
            self.status,
            self.body
        );
        &self.body
    }
    pub fn err(&self, status: u16, code: &str) -> &Value {
        assert_eq!(
            self.status, status,
            "expected {status} {code}, got {} {}",
            self.status, self.body
        );
        assert_eq!(self.body["code"], code, "wrong code in {}", self.body);
        assert!(
            self.body["message"].as_str().is_some_and(|m| !m.is_empty()),
            "error without a message: {}",
            self.body
        );
        &self.body
    }
}

impl Api {
    pub fn new(base: &str) -> Api {
        Api {
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(60))
                .build()
                .expect("client"),
            base: base.to_string(),
            token: None,
        }
    }
    pub async fn login(base: &str, username: &str) -> Api {
        let mut api = Api::new(base);
        let r = api
            .post(
                "/api/v1/auth/login",
                &json!({"username": username, "password": PASSWORD}),
                None,
            )
            .await;
        api.token = Some(r.ok()["token"].as_str().expect("token").to_string());
        api
    }
    async fn send(&self, req: reqwest::RequestBuilder) -> Resp {
        let req = match &self.token {
            Some(t) => req.bearer_auth(t),
            None => req,
        };
        let resp = req.send().await.expect("request");
        let status = resp.status().as_u16();
        let text = resp.text().await.expect("body");
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Resp { status, body }
    }
    pub async fn get(&self, path: &str) -> Resp {
        self.send(self.http.get(format!("{}{path}", self.base)))
            .await
    }
    pub async fn post(&self, path: &str, body: &Value, idem: Option<&str>) -> Resp {
        let mut req = self.http.post(format!("{}{path}", self.base)).json(body);
        if let Some(k) = idem {
            req = req.header("Idempotency-Key", k);
        }
        self.send(req).await
    }
    pub async fn post_raw(&self, path: &str, body: &str, idem: Option<&str>) -> Resp {
        let mut req = self
            .http
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/json")
            .body(body.to_string());
        if let Some(k) = idem {
            req = req.header("Idempotency-Key", k);
        }
        self.send(req).await
    }
    pub async fn patch(&self, path: &str, body: &Value, idem: Option<&str>) -> Resp {
        let mut req = self.http.patch(format!("{}{path}", self.base)).json(body);
        if let Some(k) = idem {
            req = req.header("Idempotency-Key", k);
        }
        self.send(req).await
    }
    /// POST with a fresh idempotency key.
    pub async fn post_once(&self, path: &str, body: &Value) -> Resp {
        self.post(path, body, Some(&uuid::Uuid::new_v4().to_string()))
            .await
    }
}

pub const USCC_CHARS: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// A random valid USCC in a given city.
pub fn uscc(city: &str) -> String {
    use rand::Rng;
    let mut rng = rand::thread_rng();
    let org: String = (0..9)
        .map(|_| USCC_CHARS[rng.gen_range(0..USCC_CHARS.len())] as char)
        .collect();
    quan_domain::make_uscc('9', '1', &format!("{}02", &city[..4]), &org)
}

pub fn invoice() -> String {
    use rand::Rng;
    format!(
        "{:020}",
        rand::thread_rng()
            .gen_range(10_000_000_000_000_000_000u128..99_999_999_999_999_999_999u128)
    )
}

/// A world with one funding setup, a program, an enterprise, a supplier with a listed product,
/// and logged-in users of every role.
pub struct World {
    pub admin: Api,
    pub reviewer: Api,
    pub enterprise: Api,
    pub supplier: Api,
    pub auditor: Api,
    pub enterprise_id: String,
    pub supplier_id: String,
    pub product_id: String,
    pub program_id: String,
    pub sources: Vec<String>,
}

pub async fn world(db: &str, server: &Server, program_budget_fen: i64, face_cap_fen: i64) -> World {
    let base = server.base.clone();
    let admin = Api::login(&base, "admin").await;
    let mut sources = Vec::new();
    for (name, level, city, amount) in [
        ("省级资金", "province", None, 10_000_000_000i64),
        ("济南市配套", "city", Some("370100"), 1_000_000_000),
    ] {
        let r = admin.post_once("/api/v1/funding-sources", &json!({"name": name, "level": level, "city_code": city, "appropriated_fen": amount})).await;
        sources.push(r.ok()["id"].as_str().unwrap().to_string());
    }
    let program = admin
        .post_once(
            "/api/v1/programs",
            &json!({
                "name": "测试模型券", "voucher_type": "model", "year": 2026, "rate_bps": 3000,
                "face_value_cap_fen": face_cap_fen, "enterprise_year_cap_fen": face_cap_fen * 10,
                "apply_from": "2026-01-01", "apply_until": "2026-12-31", "valid_from": "2026-01-01", "valid_until": "2026-12-31",
                "notice_days": 0, "budget_fen": program_budget_fen,
                "funding": [{"source_id": sources[0], "share_bps": 7000}, {"source_id": sources[1], "share_bps": 3000}]
            }),
        )
        .await;
    let program_id = program.ok()["id"].as_str().unwrap().to_string();
    let e = admin
        .post("/api/v1/enterprises", &json!({"uscc": uscc("370100"), "name": "济南测试智能科技有限公司", "city_code": "370100", "industry": "I", "size_class": "small", "legal_rep": "张三", "shareholders": ["张三", "李四"]}), None)
        .await;
    let enterprise_id = e.ok()["id"].as_str().unwrap().to_string();
    let s = admin
        .post("/api/v1/suppliers", &json!({"uscc": uscc("370200"), "name": "青岛测试模型有限公司", "kind": "model", "city_code": "370200", "legal_rep": "赵六", "shareholders": ["赵六"]}), None)
        .await;
    let supplier_id = s.ok()["id"].as_str().unwrap().to_string();
    let p = admin
        .post(
            "/api/v1/products",
            &json!({"supplier_id": supplier_id, "kind": "model", "name": "测试大模型"}),
            None,
        )
        .await;
    let product_id = p.ok()["id"].as_str().unwrap().to_string();
    create_user(db, "reviewer", "reviewer", &["--display-name", "王评审"]);
    let reviewer = Api::login(&base, "reviewer").await;
    // A model program lists only what its year's selection round selected.
    select_by_round(
        &admin,
        &reviewer,
        "model",
        2026,
        &[&product_id],
        "2026-06-01",
    )
    .await;
    let listed = admin
        .get(&format!("/api/v1/programs/{program_id}/eligible-products"))
        .await;
    assert!(listed.ok().to_string().contains(&product_id), "{listed:?}");
    create_user(db, "auditor", "auditor", &[]);
    create_user(
        db,
        "ent",
        "enterprise",
        &["--enterprise-id", &enterprise_id],
    );
    create_user(db, "sup", "supplier", &["--supplier-id", &supplier_id]);
    World {
        reviewer,
        enterprise: Api::login(&base, "ent").await,
        supplier: Api::login(&base, "sup").await,
        auditor: Api::login(&base, "auditor").await,
        admin,
        enterprise_id,
        supplier_id,
        product_id,
        program_id,
        sources,
    }
}

/// Runs a whole selection round (the next batch) of `year` and `kind` in which `products` (entered by the
/// administrator, scored 80 by `expert`) are selected and take effect, on a server started with
/// `--test-clock`; the clock is moved through the round (late May) and set to `today` after.
pub async fn select_by_round(
    admin: &Api,
    expert: &Api,
    kind: &str,
    year: i32,
    products: &[&str],
    today: &str,
) {
    let clock = |d: String| async move {
        admin
            .post("/api/v1/admin/clock", &json!({ "today": d }), None)
            .await
            .ok();
    };
    clock(format!("{year}-05-20")).await;
    let earlier = admin
        .get(&format!("/api/v1/selection-rounds?year={year}&kind={kind}"))
        .await;
    let batch = earlier.ok()["total"].as_i64().unwrap() + 1;
    let round = admin
        .post(
            "/api/v1/selection-rounds",
            &json!({
                "name": format!("{year}年度{kind}遴选第{batch}批"), "kind": kind, "year": year, "batch": batch, "cap": products.len().max(1),
                "call_from": format!("{year}-05-01"), "call_until": format!("{year}-05-25"), "notice_days": 0,
                "pass_mark": 0, "criteria": [{"key": "quality", "name": "质量", "weight": 100}]
            }),
            None,
        )
        .await;
    let round = round.ok()["id"].as_str().unwrap().to_string();
    let me = expert.get("/api/v1/me").await;
    let expert_id = me.ok()["id"].as_str().unwrap().to_string();
    admin
        .post(
            &format!("/api/v1/selection-rounds/{round}/experts"),
            &json!({ "user_id": expert_id }),
            None,
        )
        .await
        .ok();
    for p in products {
        let mut body = json!({"product_id": p, "evaluation_report": "CESI-2026-001", "deployment_evidence": "已在济南部署"});
        if kind == "corpus" {
            body = json!({"product_id": p, "record_count": 200000});
        }
        let e = admin
            .post(
                &format!("/api/v1/selection-rounds/{round}/entries"),
                &body,
                None,
            )
            .await;
        let entry = e.ok()["id"].as_str().unwrap().to_string();
        admin
            .post(
                &format!("/api/v1/selection-rounds/{round}/assignments"),
                &json!({"entry_id": entry, "expert_id": expert_id}),
                None,
            )
            .await
            .ok();
        expert
            .post(
                &format!("/api/v1/selection-entries/{entry}/scores"),
                &json!({"scores": [{"criterion": "quality", "score": 80}]}),
                None,
            )
            .await
            .ok();
    }
    clock(format!("{year}-05-26")).await;
    for step in ["close-panel", "publish"] {
        admin
            .post(
                &format!("/api/v1/selection-rounds/{round}/{step}"),
                &json!({}),
                None,
            )
            .await
            .ok();
    }
    clock(format!("{year}-05-27")).await;
    admin
        .post(
            &format!("/api/v1/selection-rounds/{round}/take-effect"),
            &json!({}),
            None,
        )
        .await
        .ok();
    clock(today.to_string()).await;
}

/// Starts a server on a fresh database with an admin user and the clock at 2026-06-01.
pub fn fresh(backend: Backend, tag: &str) -> (TestDb, Server) {
    let db = TestDb::new(backend, tag);
    // Run migrations and create the first administrator before serving.
    create_user(&db.url, "admin", "admin", &[]);
    let server = Server::start(&db.url, &["--test-clock", "--today", "2026-06-01"]);
    (db, server)
}

/// Apply → approve → issue in the world's program; returns the voucher id.
pub async fn issue_voucher(w: &World, amount_fen: i64) -> String {
    issue_voucher_in(w, &w.program_id, amount_fen).await
}

/// Apply → approve → issue in `program`; returns the voucher id.
pub async fn issue_voucher_in(w: &World, program: &str, amount_fen: i64) -> String {
    let app = w
        .enterprise
        .post_once(
            "/api/v1/applications",
            &json!({"program_id": program, "amount_fen": amount_fen, "plan": "训练行业大模型"}),
        )
        .await;
    let app_id = app.ok()["id"].as_str().unwrap().to_string();
    w.reviewer
        .post_once(
            &format!("/api/v1/applications/{app_id}/review"),
            &json!({"decision": "approve"}),
        )
        .await
        .ok();
    let v = w
        .admin
        .post_once(&format!("/api/v1/applications/{app_id}/issue"), &json!({}))
        .await;
    v.ok()["id"].as_str().unwrap().to_string()
}

/// Every table's row count, for "bad input changes nothing".
pub async fn snapshot(db: &str) -> Vec<(String, i64)> {
    sqlx::any::install_default_drivers();
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(db)
        .await
        .expect("connect");
    let mut out = Vec::new();
    for t in [
        "users",
        "enterprises",
        "suppliers",
        "products",
        "funding_sources",
        "programs",
        "program_funding",
        "eligible_products",
        "applications",
        "objections",
        "vouchers",
        "redemptions",
        "settlements",
        "ledger_accounts",
        "ledger_transfers",
        "audit_log",
        "enterprise_year_use",
        "usage_records",
        "usage_voucher_suppliers",
        "dishonesty_entries",
        "funding_top_ups",
        "enterprise_change_requests",
        "enterprise_file_history",
        "contracts",
        "reimbursements",
        "policy_target_figures",
        "compute_sites",
    ] {
        let n: i64 = sqlx::Row::get(
            &sqlx::query(&format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {t}"))
                .fetch_one(&mut conn)
                .await
                .expect("count"),
            0,
        );
        out.push((t.to_string(), n));
    }
    let sum: i64 = sqlx::Row::get(&sqlx::query("SELECT CAST(COALESCE(SUM(balance * 7 + debits_pending * 3), 0) AS BIGINT) FROM ledger_accounts").fetch_one(&mut conn).await.expect("sum"), 0);
    out.push(("ledger_fingerprint".into(), sum));
    out
}

/// Each of the world's funding sources' available money, in `w.sources` order.
pub async fn sources_available(w: &World) -> Vec<i64> {
    let r = w.admin.get("/api/v1/funding-sources").await;
    let items = r.ok()["items"].as_array().unwrap().clone();
    w.sources
        .iter()
        .map(|id| {
            items.iter().find(|s| s["id"] == id.as_str()).unwrap()["available_fen"]
                .as_i64()
                .unwrap()
        })
        .collect()
}

/// Conservation holds in the database itself (balances sum to zero, no bound broken).
pub async fn assert_conserved(url: &str) {
    let store = quan_store::Store::open(&quan_store::StoreOptions::new(url))
        .await
        .unwrap();
    quan_store::ledger::check_conservation(store.reader())
        .await
        .unwrap();
    store.close().await;
}
