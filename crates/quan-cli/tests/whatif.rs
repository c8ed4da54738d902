//! What-if replay (issue 13): on the demo's full history (grants, invoice redemptions under
//! caps, clawbacks, expiries, 45 days of metered usage), the unchanged rules reproduce every
//! recorded figure to the fen; changed rules change them; nothing is written; bad rules are a
//! 400 naming the field. SQLite and PostgreSQL.
mod common;

use common::*;
use serde_json::{json, Value};

/// What the records say a program paid, read straight from the tables (not through the
/// replay's loader): invoice subsidy not clawed back plus metered subsidy.
async fn paid_in_tables(db: &str, program: &str) -> i64 {
    sqlx::any::install_default_drivers();
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(db)
        .await
        .unwrap();
    let sql = "SELECT CAST((SELECT COALESCE(SUM(subsidy_fen), 0) FROM redemptions WHERE program_id = $1 AND status <> 'clawed_back') + \
               (SELECT COALESCE(SUM(subsidy_fen), 0) FROM usage_records WHERE program_id = $1) AS BIGINT)";
    sqlx::Row::get(
        &sqlx::query(sql)
            .bind(program)
            .fetch_one(&mut conn)
            .await
            .unwrap(),
        0,
    )
}

/// What the program's issued vouchers commit: their reservations not voided (a milestone still
/// held counts; the voucher's face value shows only what was paid in).
async fn granted_in_tables(db: &str, program: &str) -> i64 {
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(db)
        .await
        .unwrap();
    sqlx::Row::get(
        &sqlx::query("SELECT CAST(COALESCE(SUM(t.amount), 0) AS BIGINT) FROM ledger_transfers t JOIN vouchers v ON t.credit = 'voucher:' || v.id \
                      WHERE v.program_id = $1 AND t.kind = 'pending' AND t.pending_state <> 'voided'")
            .bind(program)
            .fetch_one(&mut conn)
            .await
            .unwrap(),
        0,
    )
}

async fn check(backend: Backend) {
    let db = TestDb::new(backend, "whatif");
    let out = quan()
        .args(["seed", "--db", &db.url, "--demo", "--enterprises", "120"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    create_user(&db.url, "w-admin", "admin", &[]);
    create_user(&db.url, "w-auditor", "auditor", &[]);
    let server = Server::start(&db.url, &[]);
    let admin = Api::login(&server.base, "w-admin").await;
    let auditor = Api::login(&server.base, "w-auditor").await;
    let programs = admin.get("/api/v1/programs?page_size=100").await;
    let programs: Vec<Value> = programs.ok()["items"].as_array().unwrap().clone();
    let before = snapshot(&db.url).await;
    let mut replayed_money = 0;
    let mut paid_by_program = Vec::new();
    for p in &programs {
        let id = p["id"].as_str().unwrap();
        let path = format!("/api/v1/programs/{id}/what-if");
        let w = auditor.post(&path, &json!({}), None).await;
        let w = w.ok();
        assert_eq!(
            w["recorded"], w["replayed"],
            "program {id}: the unchanged rules reproduce every figure"
        );
        assert_eq!(
            w["recorded"]["paid_fen"].as_i64().unwrap(),
            paid_in_tables(&db.url, id).await,
            "program {id}: the records' figure is what the tables hold"
        );
        assert_eq!(
            w["recorded"]["granted_fen"].as_i64().unwrap(),
            granted_in_tables(&db.url, id).await
        );
        replayed_money += w["recorded"]["paid_fen"].as_i64().unwrap();
        paid_by_program.push((w["recorded"]["paid_fen"].as_i64().unwrap(), p.clone()));
        // No subsidy at all: nothing is paid, every grant stands.
        let zero = admin.post(&path, &json!({"rate_bps": 0}), None).await;
        let zero = zero.ok();
        assert_eq!(zero["replayed"]["paid_fen"], 0);
        assert_eq!(
            zero["replayed"]["granted_fen"],
            w["recorded"]["granted_fen"]
        );
    }
    assert!(replayed_money > 0, "the demo has spending to replay");
    // A compute program at twice its rate pays more, and the breakdowns add up.
    let (_, compute) = paid_by_program
        .iter()
        .filter(|(_, p)| p["voucher_type"] == "compute")
        .max_by_key(|(paid, _)| *paid)
        .unwrap();
    let path = format!(
        "/api/v1/programs/{}/what-if",
        compute["id"].as_str().unwrap()
    );
    let rate = compute["rate_bps"].as_i64().unwrap();
    let more = admin
        .post(&path, &json!({"rate_bps": (rate * 2).min(10_000)}), None)
        .await;
    let more = more.ok();
    let paid = |f: &Value| f["paid_fen"].as_i64().unwrap();
    assert!(paid(&more["replayed"]) > paid(&more["recorded"]), "{more}");
    for part in ["by_city", "by_size", "by_voucher_type", "by_source"] {
        let sum: i64 = more["replayed"][part]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["paid_fen"].as_i64().unwrap())
            .sum();
        assert_eq!(sum, paid(&more["replayed"]), "{part}");
    }
    // Only micro enterprises eligible: fewer beneficiaries, all of them micro.
    let micro = admin
        .post(&path, &json!({"eligible_sizes": ["micro"]}), None)
        .await;
    let micro = micro.ok();
    let sizes: Vec<&str> = micro["replayed"]["by_size"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["key"].as_str().unwrap())
        .collect();
    assert!(sizes.iter().all(|s| *s == "micro"), "{sizes:?}");
    assert!(
        micro["replayed"]["beneficiaries"].as_i64() < micro["recorded"]["beneficiaries"].as_i64()
    );
    assert!(micro["replayed"]["grants_not_eligible"].as_i64().unwrap() > 0);
    // A budget of zero: no grant can be made.
    let none = admin.post(&path, &json!({"budget_fen": 0}), None).await;
    assert_eq!(none.ok()["replayed"]["vouchers"], 0);
    // The same what-if as a run in the background: 202 at once, then its stage and rows loaded
    // until done, and the answer is the one-request what-if's; only its starter reads it.
    let runs = format!("{path}/runs");
    let asked = json!({"rate_bps": (rate * 2).min(10_000)});
    let started = admin.post(&runs, &asked, None).await;
    assert_eq!(started.status, 202, "{:?}", started.body);
    let run_id = started.body["id"].as_str().unwrap().to_string();
    assert_eq!(started.body["program_id"], compute["id"]);
    let run_path = format!("/api/v1/what-if-runs/{run_id}");
    let mut polls = 0;
    let done = loop {
        let r = admin.get(&run_path).await.ok().clone();
        let bps = r["progress_bps"].as_i64().unwrap();
        assert!((0..=10_000).contains(&bps), "{r}");
        assert!(r["loaded_rows"].as_i64() <= r["total_rows"].as_i64(), "{r}");
        if r["stage"] == "done" {
            break r;
        }
        assert_ne!(r["stage"], "failed", "{r}");
        polls += 1;
        assert!(polls < 600, "the run did not end in 60 s: {r}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert_eq!(done["progress_bps"], 10_000);
    let total = more["redemptions"].as_i64().unwrap() + more["usage_records"].as_i64().unwrap();
    assert_eq!(done["total_rows"].as_i64().unwrap(), total, "{done}");
    assert_eq!(done["loaded_rows"], done["total_rows"]);
    for part in [
        "recorded",
        "replayed",
        "asked",
        "grants",
        "redemptions",
        "usage_records",
    ] {
        assert_eq!(done["result"][part], more[part], "{part}");
    }
    assert!(done["error"].is_null());
    auditor.get(&run_path).await.err(404, "not_found");
    // A refusal comes at once, as the one-request what-if's, and starts no run.
    let r = admin.post(&runs, &json!({"rate_bps": 10_001}), None).await;
    assert_eq!(
        (r.status, r.body["field"].as_str()),
        (400, Some("rate_bps"))
    );
    admin
        .post("/api/v1/programs/no-such/what-if/runs", &json!({}), None)
        .await
        .err(404, "not_found");
    // Nothing was written by any of it: every table, the ledger, the audit chain.
    assert_eq!(snapshot(&db.url).await, before, "a what-if writes nothing");
    assert_eq!(auditor.get("/api/v1/audit/verify").await.ok()["ok"], true);
    assert_conserved(&db.url).await;
    // Bad rules: a 400 naming the field, and still nothing written.
    for (body, field) in [
        (json!({"rate_bps": 10_001}), "rate_bps"),
        (json!({"rate_bps": -1}), "rate_bps"),
        (json!({"pilot_bonus_bps": 20_000}), "pilot_bonus_bps"),
        (json!({"face_value_cap_fen": 0}), "face_value_cap_fen"),
        (
            json!({"enterprise_year_cap_fen": -5}),
            "enterprise_year_cap_fen",
        ),
        (json!({"supplier_cap_fen": -1}), "supplier_cap_fen"),
        (json!({"budget_fen": 10_000_000_000_001i64}), "budget_fen"),
        (json!({"eligible_cities": ["999999"]}), "eligible_cities[0]"),
        (json!({"eligible_sizes": ["huge"]}), "eligible_sizes[0]"),
    ] {
        let r = admin.post(&path, &body, None).await;
        assert_eq!(r.status, 400, "{body}: {:?}", r.body);
        assert_eq!(r.body["field"], field, "{body}: {:?}", r.body);
    }
    let r = admin.post(&path, &json!({"rate": 5}), None).await;
    assert_eq!(r.status, 400, "{:?}", r.body);
    assert_eq!(snapshot(&db.url).await, before);
    // Downloads: the comparison, the forecast and the targets as CSV (yuan, Chinese words by
    // default, English on request) and XLSX; a format that is none is a 400.
    let csv = admin
        .post(
            &format!("{path}?format=csv"),
            &json!({"rate_bps": (rate * 2).min(10_000)}),
            None,
        )
        .await;
    assert_eq!(csv.status, 200);
    let text = csv.body.as_str().unwrap().to_string();
    assert!(text.starts_with("\u{feff}项目,实际,推演,差额"), "{text}");
    let paid_yuan = format!("{:.2}", paid(&more["replayed"]) as f64 / 100.0);
    assert!(text.contains(&paid_yuan), "{paid_yuan} in {text}");
    let en = admin
        .post(&format!("{path}?format=csv&lang=en"), &json!({}), None)
        .await;
    assert!(en
        .body
        .as_str()
        .unwrap()
        .contains("Figure,Recorded,What-if,Difference"));
    let xlsx = admin
        .post(&format!("{path}?format=xlsx"), &json!({}), None)
        .await;
    assert!(xlsx.body.as_str().unwrap().starts_with("PK"));
    let fpath = format!(
        "/api/v1/programs/{}/forecast?format=csv",
        compute["id"].as_str().unwrap()
    );
    let f = admin.get(&fpath).await;
    assert!(
        f.body.as_str().unwrap().contains("按发券承诺"),
        "{:?}",
        f.body
    );
    let t = admin.get("/api/v1/public/policy-targets?format=csv").await;
    assert!(
        t.body.as_str().unwrap().contains("全省算力总规模"),
        "{:?}",
        t.body
    );
    admin
        .get("/api/v1/public/policy-targets?format=pdf")
        .await
        .err(400, "invalid_format");
    admin
        .post("/api/v1/programs/no-such/what-if", &json!({}), None)
        .await
        .err(404, "not_found");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_what_if_of_the_unchanged_rules_reproduces_the_records_and_writes_nothing() {
    for backend in backends() {
        check(backend).await;
    }
}
