//! The compute world the metering tests share (programs, a compute supplier with products,
//! enterprises with vouchers) and the invariants checked after each of them.
#![allow(dead_code)]
use std::collections::HashMap;

use crate::common::*;
use serde_json::{json, Value};
use sqlx::Row;

pub const PRICE_JINAN: i64 = 1_200; // fen per GPU-hour
pub const PRICE_QINGDAO: i64 = 2_000;
pub const RATE_BPS: i64 = 3_000;

/// A compute world: two programs (A valid all year, B expiring earlier), a compute supplier with
/// listed and unlisted products, a second supplier, enterprises with and without vouchers.
pub struct Env {
    pub admin: Api,
    pub sup: Api,
    pub ent: Api,
    pub auditor: Api,
    pub supplier_id: String,
    pub p_jinan: String,
    pub p_qingdao: String,
    pub p_unlisted: String,
    pub p_other: String,
    /// Enterprise with one voucher in program A.
    pub e1: String,
    /// Enterprise with vouchers in A and in B (B expires first).
    pub e2: String,
    /// Enterprise without vouchers.
    pub e3: String,
    pub v1: String,
    pub v2a: String,
    pub v2b: String,
}

pub async fn program(
    admin: &Api,
    sources: &[String],
    name: &str,
    valid_until: &str,
    face_cap: i64,
) -> String {
    let r = admin
        .post_once(
            "/api/v1/programs",
            &json!({
                "name": name, "voucher_type": "compute", "year": 2026, "rate_bps": RATE_BPS,
                "face_value_cap_fen": face_cap, "enterprise_year_cap_fen": face_cap * 10,
                "apply_from": "2026-01-01", "apply_until": "2026-12-31", "valid_from": "2026-01-01", "valid_until": valid_until,
                "notice_days": 0, "budget_fen": 100_000_000_000i64,
                "funding": [{"source_id": sources[0], "share_bps": 7000}, {"source_id": sources[1], "share_bps": 3000}]
            }),
        )
        .await;
    r.ok()["id"].as_str().unwrap().to_string()
}

pub async fn enterprise(admin: &Api, name: &str) -> String {
    let r = admin
        .post("/api/v1/enterprises", &json!({"uscc": uscc("370100"), "name": name, "city_code": "370100", "industry": "I", "size_class": "small", "legal_rep": format!("{name}法人"), "shareholders": []}), None)
        .await;
    r.ok()["id"].as_str().unwrap().to_string()
}

pub async fn supplier(admin: &Api, name: &str, city: &str) -> String {
    let r = admin.post("/api/v1/suppliers", &json!({"uscc": uscc(city), "name": name, "kind": "compute", "city_code": city, "legal_rep": format!("{name}法人"), "shareholders": []}), None).await;
    r.ok()["id"].as_str().unwrap().to_string()
}

pub async fn product(admin: &Api, supplier_id: &str, name: &str, city: &str, price: i64) -> String {
    let r = admin
        .post("/api/v1/products", &json!({"supplier_id": supplier_id, "kind": "compute", "name": name, "city_code": city, "gpu_model": "A800", "price_per_unit_fen": price}), None)
        .await;
    r.ok()["id"].as_str().unwrap().to_string()
}

pub async fn list(admin: &Api, program_id: &str, product_id: &str) {
    admin
        .post(
            &format!("/api/v1/programs/{program_id}/eligible-products"),
            &json!({"product_id": product_id}),
            None,
        )
        .await
        .ok();
}

/// Admin applies for the enterprise, approves and issues.
pub async fn voucher(admin: &Api, program_id: &str, enterprise_id: &str, amount: i64) -> String {
    let app = admin.post_once("/api/v1/applications", &json!({"program_id": program_id, "enterprise_id": enterprise_id, "amount_fen": amount, "plan": "训练行业大模型"})).await;
    let app_id = app.ok()["id"].as_str().unwrap().to_string();
    admin
        .post_once(
            &format!("/api/v1/applications/{app_id}/review"),
            &json!({"decision": "approve"}),
        )
        .await
        .ok();
    let v = admin
        .post_once(&format!("/api/v1/applications/{app_id}/issue"), &json!({}))
        .await;
    v.ok()["id"].as_str().unwrap().to_string()
}

pub async fn setup(db: &TestDb, server: &Server, face: i64) -> Env {
    let admin = Api::login(&server.base, "admin").await;
    let mut sources = Vec::new();
    for (name, level, city) in [
        ("省级资金", "province", None),
        ("济南市配套", "city", Some("370100")),
    ] {
        let r = admin.post_once("/api/v1/funding-sources", &json!({"name": name, "level": level, "city_code": city, "appropriated_fen": 500_000_000_000i64})).await;
        sources.push(r.ok()["id"].as_str().unwrap().to_string());
    }
    let prog_a = program(
        &admin,
        &sources,
        "算力券A",
        "2026-12-31",
        face.max(1_000_000),
    )
    .await;
    let prog_b = program(
        &admin,
        &sources,
        "算力券B",
        "2026-09-30",
        face.max(1_000_000),
    )
    .await;
    let supplier_id = supplier(&admin, "济南算力枢纽（测试）", "370100").await;
    let other = supplier(&admin, "青岛算力（测试）", "370200").await;
    let p_jinan = product(&admin, &supplier_id, "A800 济南", "370100", PRICE_JINAN).await;
    let p_qingdao = product(&admin, &supplier_id, "H20 青岛", "370200", PRICE_QINGDAO).await;
    let p_unlisted = product(&admin, &supplier_id, "未入选", "370100", 900).await;
    let p_other = product(&admin, &other, "他家产品", "370200", 1_000).await;
    for p in [&p_jinan, &p_qingdao, &p_other] {
        list(&admin, &prog_a, p).await;
    }
    list(&admin, &prog_b, &p_jinan).await;
    let e1 = enterprise(&admin, "一号智能科技（测试）").await;
    let e2 = enterprise(&admin, "二号数据科技（测试）").await;
    let e3 = enterprise(&admin, "三号软件（测试）").await;
    let v1 = voucher(&admin, &prog_a, &e1, face).await;
    let v2a = voucher(&admin, &prog_a, &e2, face).await;
    let v2b = voucher(&admin, &prog_b, &e2, 1_000).await;
    create_user(&db.url, "sup", "supplier", &["--supplier-id", &supplier_id]);
    create_user(&db.url, "ent", "enterprise", &["--enterprise-id", &e1]);
    create_user(&db.url, "auditor", "auditor", &[]);
    Env {
        sup: Api::login(&server.base, "sup").await,
        ent: Api::login(&server.base, "ent").await,
        auditor: Api::login(&server.base, "auditor").await,
        admin,
        supplier_id,
        p_jinan,
        p_qingdao,
        p_unlisted,
        p_other,
        e1,
        e2,
        e3,
        v1,
        v2a,
        v2b,
    }
}

pub fn rec(id: &str, product: &str, ent: &str, hours_ago: i64, gpu_seconds: i64) -> Value {
    // The server's clock is 2026-06-01 (test clock) with the real time of day, which may be
    // just after midnight: end before that day so nothing is "in the future" whenever the test
    // runs (it failed between 00:00 and 00:35 UTC when records ended at 00:30).
    let end = chrono::NaiveDate::from_ymd_opt(2026, 5, 31)
        .unwrap()
        .and_hms_opt(23, 30, 0)
        .unwrap()
        - chrono::Duration::hours(hours_ago);
    let start = end - chrono::Duration::hours(2);
    json!({"record_id": id, "product_id": product, "enterprise_id": ent,
           "started_at": format!("{}Z", start.format("%Y-%m-%dT%H:%M:%S")), "ended_at": format!("{}Z", end.format("%Y-%m-%dT%H:%M:%S")),
           "gpu_seconds": gpu_seconds})
}

pub async fn db_conn(url: &str) -> sqlx::AnyConnection {
    sqlx::any::install_default_drivers();
    <sqlx::AnyConnection as sqlx::Connection>::connect(url)
        .await
        .expect("connect")
}

/// Every voucher: balance = face − Σ subsidy of its usage records (no invoices in these tests),
/// never negative; yearly-cap rows agree; the ledger is conserved; the usage rollups equal the
/// records' sums. Returns the record count.
pub async fn check_invariants(url: &str) -> i64 {
    let mut c = db_conn(url).await;
    let rows = sqlx::query(
        "SELECT v.id, v.face_value_fen, la.balance, \
         (SELECT CAST(COALESCE(SUM(u.subsidy_fen), 0) AS BIGINT) FROM usage_records u WHERE u.voucher_id = v.id), \
         (SELECT CAST(COALESCE(SUM(t.amount), 0) AS BIGINT) FROM ledger_transfers t WHERE t.debit = la.id AND t.code = 'usage') \
         FROM vouchers v JOIN ledger_accounts la ON la.id = 'voucher:' || v.id",
    )
    .fetch_all(&mut c)
    .await
    .unwrap();
    for r in &rows {
        let (id, face, bal, used, moved): (String, i64, i64, i64, i64) =
            (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4));
        assert!(bal >= 0, "voucher {id} negative: {bal}");
        assert_eq!(
            bal,
            face - used,
            "voucher {id}: balance {bal} != face {face} - usage subsidies {used}"
        );
        assert_eq!(
            moved, used,
            "voucher {id}: ledger usage transfers {moved} != record subsidies {used}"
        );
    }
    let caps = sqlx::query(
        "SELECT y.enterprise_id, y.program_id, y.used_fen, (SELECT CAST(COALESCE(SUM(u.subsidy_fen), 0) AS BIGINT) FROM usage_records u \
         WHERE u.enterprise_id = y.enterprise_id AND u.program_id = y.program_id) FROM enterprise_year_use y",
    )
    .fetch_all(&mut c)
    .await
    .unwrap();
    for r in &caps {
        assert_eq!(
            r.get::<i64, _>(2),
            r.get::<i64, _>(3),
            "yearly cap row of {} / {}",
            r.get::<String, _>(0),
            r.get::<String, _>(1)
        );
    }
    // Each stored record is rated right, per its product's unit: amount = floor(quantity ×
    // price / base per unit), 0 ≤ subsidy ≤ the rate (30%).
    let recs = sqlx::query("SELECT u.gpu_seconds, p.price_per_unit_fen, u.amount_fen, u.subsidy_fen, u.quantity, p.billing_unit FROM usage_records u JOIN products p ON p.id = u.product_id")
        .fetch_all(&mut c)
        .await
        .unwrap();
    for r in &recs {
        let (s, price, amount, subsidy): (i64, i64, i64, i64) =
            (r.get(0), r.get(1), r.get(2), r.get(3));
        let (q, unit): (Option<i64>, String) = (r.get(4), r.get(5));
        let unit = quan_domain::BillingUnit::parse("u", &unit).unwrap();
        assert_eq!(
            unit.is_accelerator_time(),
            q.is_none(),
            "quantity stored for {unit:?}"
        );
        assert_eq!(
            amount,
            quan_domain::rate_metered(q.unwrap_or(s), unit, quan_domain::Money::from_fen(price))
                .unwrap()
                .fen()
        );
        assert!(
            subsidy >= 0 && subsidy <= amount * RATE_BPS / 10_000,
            "subsidy {subsidy} of amount {amount}"
        );
    }
    quan_store::ledger::check_conservation(&mut c)
        .await
        .expect("ledger conserved");
    // The rollups the hub view and dashboard read equal the records' sums, key by key.
    let off = quan_store::ops::usage::rollups::mismatches(&mut c)
        .await
        .expect("rollups");
    assert!(
        off.is_empty(),
        "usage rollups differ from the records: {off:?}"
    );
    recs.len() as i64
}

pub async fn audit_ok(api: &Api) {
    let r = api.get("/api/v1/audit/verify").await;
    assert_eq!(r.ok()["ok"], true, "audit chain: {}", r.body);
}

pub fn by_id(resp: &Value) -> HashMap<String, Value> {
    resp["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["record_id"].as_str().unwrap().to_string(), r.clone()))
        .collect()
}

/// How many usage records are stored.
pub async fn record_count(url: &str) -> i64 {
    let mut c = db_conn(url).await;
    sqlx::query("SELECT COUNT(*) FROM usage_records")
        .fetch_one(&mut c)
        .await
        .unwrap()
        .get(0)
}
