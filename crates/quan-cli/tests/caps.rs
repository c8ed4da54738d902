//! Caps that span programs and paths (issue 11), against the real `quan serve`, SQLite and
//! PostgreSQL: the yearly cap per voucher type across programs (invoice and metered usage), the
//! actual-controller group's cap on metered usage, and metered usage in a program that
//! reimburses the enterprise.
mod common;

use common::*;
use serde_json::{json, Value};

struct Compute {
    admin: Api,
    supplier: Api,
    source: String,
    product: String,
}

async fn compute_world(db: &TestDb, server: &Server) -> Compute {
    let admin = Api::login(&server.base, "admin").await;
    let src = admin.post_once("/api/v1/funding-sources", &json!({"name": "省级资金", "level": "province", "appropriated_fen": 10_000_000_000i64})).await;
    let source = src.ok()["id"].as_str().unwrap().to_string();
    let sup = admin.post("/api/v1/suppliers", &json!({"uscc": uscc("370100"), "name": "济南算力中心", "kind": "compute", "city_code": "370100", "legal_rep": "孙八", "shareholders": ["孙八"]}), None).await;
    let sup = sup.ok()["id"].as_str().unwrap().to_string();
    let prod = admin.post("/api/v1/products", &json!({"supplier_id": sup, "kind": "compute", "name": "A800 集群", "city_code": "370100", "gpu_model": "A800", "price_per_unit_fen": 100_000}), None).await;
    let product = prod.ok()["id"].as_str().unwrap().to_string();
    create_user(&db.url, "sup", "supplier", &["--supplier-id", &sup]);
    let supplier = Api::login(&server.base, "sup").await;
    Compute {
        admin,
        supplier,
        source,
        product,
    }
}

/// A compute program listing the world's product, with `policy`.
async fn program(c: &Compute, name: &str, policy: Value) -> String {
    let p = c.admin.post_once("/api/v1/programs", &json!({
        "name": name, "voucher_type": "compute", "year": 2026, "rate_bps": 3000,
        "face_value_cap_fen": 10_000_000, "enterprise_year_cap_fen": 100_000_000,
        "apply_from": "2026-01-01", "apply_until": "2026-12-31", "valid_from": "2026-01-01", "valid_until": "2026-12-31",
        "notice_days": 0, "budget_fen": 1_000_000_000, "funding": [{"source_id": c.source, "share_bps": 10000}],
        "policy": policy})).await;
    let id = p.ok()["id"].as_str().unwrap().to_string();
    c.admin
        .post(
            &format!("/api/v1/programs/{id}/eligible-products"),
            &json!({"product_id": c.product}),
            None,
        )
        .await
        .ok();
    id
}

async fn enterprise(c: &Compute, name: &str, controller: &str) -> String {
    let e = c.admin.post("/api/v1/enterprises", &json!({"uscc": uscc("370100"), "name": name, "city_code": "370100", "industry": "I", "size_class": "small", "legal_rep": format!("{name}法人"), "shareholders": [format!("{name}股东")], "actual_controller": controller}), None).await;
    e.ok()["id"].as_str().unwrap().to_string()
}

async fn voucher(c: &Compute, program: &str, ent: &str) -> String {
    let app = c.admin.post_once("/api/v1/applications", &json!({"program_id": program, "enterprise_id": ent, "amount_fen": 5_000_000, "plan": "训练"})).await;
    let app = app.ok()["id"].as_str().unwrap().to_string();
    c.admin
        .post_once(
            &format!("/api/v1/applications/{app}/review"),
            &json!({"decision": "approve"}),
        )
        .await
        .ok();
    let v = c
        .admin
        .post_once(&format!("/api/v1/applications/{app}/issue"), &json!({}))
        .await;
    v.ok()["id"].as_str().unwrap().to_string()
}

fn invoice_for(c: &Compute, voucher: &str, amount: i64) -> Value {
    json!({"voucher_id": voucher, "product_id": c.product, "invoice_number": invoice(),
           "invoice_amount_fen": amount, "invoice_date": "2026-03-20"})
}

/// One hour of one GPU (¥1,000) on `day` of May, for `ent`, on `voucher` if named.
fn hour(c: &Compute, id: &str, ent: &str, day: u32, voucher: Option<&str>) -> Value {
    let mut r = json!({"record_id": id, "product_id": c.product, "enterprise_id": ent,
        "started_at": format!("2026-05-{day:02}T08:00:00Z"), "ended_at": format!("2026-05-{day:02}T09:00:00Z"),
        "gpu_seconds": 3600});
    if let Some(v) = voucher {
        r["voucher_id"] = json!(v);
    }
    r
}

async fn send(c: &Compute, records: Value) -> Vec<Value> {
    let r = c
        .supplier
        .post(
            "/api/v1/usage",
            &records,
            Some(&uuid::Uuid::new_v4().to_string()),
        )
        .await;
    r.ok()["results"].as_array().unwrap().clone()
}

/// The yearly cap per voucher type counts what the enterprise got from every compute program
/// of the year, by invoice and by metered usage; a clawback gives the room back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cap_per_voucher_type_spans_programs_and_paths() {
    for backend in backends() {
        let (db, server) = fresh(backend, "type_cap");
        let c = compute_world(&db, &server).await;
        let capped = json!({"type_year_cap_fen": 300_000});
        let p1 = program(&c, "算力券一期", capped.clone()).await;
        let p2 = program(&c, "算力券二期", capped).await;
        let p3 = program(&c, "算力券（无跨项目上限）", json!({})).await;
        let ent = enterprise(&c, "济南甲科技", "").await;
        let (v1, v2, v3) = (
            voucher(&c, &p1, &ent).await,
            voucher(&c, &p2, &ent).await,
            voucher(&c, &p3, &ent).await,
        );
        // ¥8,000 at 30% in the first program: ¥2,400.
        let a = c
            .supplier
            .post_once("/api/v1/redemptions", &invoice_for(&c, &v1, 800_000))
            .await;
        assert_eq!(a.ok()["subsidy_fen"], 240_000);
        // A program without the rule pays, and its payment counts for the others.
        let b = c
            .supplier
            .post_once("/api/v1/redemptions", &invoice_for(&c, &v3, 100_000))
            .await;
        assert_eq!(b.ok()["subsidy_fen"], 30_000);
        // The second program: ¥3,000 − ¥2,700 leaves ¥300.
        let d = c
            .supplier
            .post_once("/api/v1/redemptions", &invoice_for(&c, &v2, 800_000))
            .await;
        assert_eq!(d.ok()["subsidy_fen"], 30_000);
        let before = snapshot(&db.url).await;
        let e = c
            .supplier
            .post_once("/api/v1/redemptions", &invoice_for(&c, &v2, 800_000))
            .await;
        assert_eq!(e.err(409, "type_year_cap")["field"], "voucher_id");
        assert_eq!(snapshot(&db.url).await, before);
        // Metered usage in the capped program: nothing is left, so the hour is the enterprise's.
        let r = send(&c, json!([hour(&c, "t-1", &ent, 10, Some(&v2))])).await;
        assert_eq!(
            (r[0]["status"].as_str(), r[0]["subsidy_fen"].as_i64()),
            (Some("accepted"), Some(0)),
            "{r:?}"
        );
        // A clawback returns ¥2,400 of room; two hours (¥300 each) then fit, the third gets
        // what is left of the cap.
        c.admin
            .post_once(
                &format!(
                    "/api/v1/redemptions/{}/clawback",
                    a.body["id"].as_str().unwrap()
                ),
                &json!({"reason": "发票作废"}),
            )
            .await
            .ok();
        let r = send(
            &c,
            json!([
                hour(&c, "t-2", &ent, 11, Some(&v2)),
                hour(&c, "t-3", &ent, 12, Some(&v2)),
            ]),
        )
        .await;
        let paid: Vec<i64> = r
            .iter()
            .map(|x| x["subsidy_fen"].as_i64().unwrap())
            .collect();
        assert_eq!(paid, vec![30_000, 30_000]);
        let big = send(&c, json!([{"record_id": "t-4", "product_id": c.product, "enterprise_id": ent, "voucher_id": v2,
            "started_at": "2026-05-13T00:00:00Z", "ended_at": "2026-05-13T10:00:00Z", "gpu_seconds": 36_000 * 8}])).await;
        // Room: 300,000 − (30,000 + 30,000 + 60,000) = 180,000.
        assert_eq!(big[0]["subsidy_fen"], 180_000, "{big:?}");
        assert_conserved(&db.url).await;
        drop(server);
    }
}

/// Liaocheng's group cap held on invoices only; metered usage paid each enterprise of the
/// group in full.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_group_cap_holds_on_metered_usage() {
    for backend in backends() {
        let (db, server) = fresh(backend, "group_usage");
        let c = compute_world(&db, &server).await;
        let p = program(
            &c,
            "算力券（同控上限）",
            json!({"group_year_cap_fen": 100_000}),
        )
        .await;
        let a = enterprise(&c, "济南同控甲", "孙建国").await;
        let b = enterprise(&c, "济南同控乙", "孙建国").await;
        let other = enterprise(&c, "济南无关丙", "").await;
        for e in [&a, &b, &other] {
            voucher(&c, &p, e).await;
        }
        // ¥300 each hour: A twice, B twice, in one batch — the group's ¥1,000 runs out in B's
        // second hour; the unrelated enterprise is paid in full.
        let r = send(
            &c,
            json!([
                hour(&c, "g-1", &a, 10, None),
                hour(&c, "g-2", &a, 11, None),
                hour(&c, "g-3", &b, 10, None),
                hour(&c, "g-4", &b, 11, None),
                hour(&c, "g-5", &other, 10, None),
            ]),
        )
        .await;
        let paid: Vec<i64> = r
            .iter()
            .map(|x| x["subsidy_fen"].as_i64().unwrap())
            .collect();
        assert_eq!(paid, vec![30_000, 30_000, 30_000, 10_000, 30_000], "{r:?}");
        // A later batch and an invoice find the group's cap spent.
        let r = send(&c, json!([hour(&c, "g-6", &b, 12, None)])).await;
        assert_eq!(r[0]["subsidy_fen"], 0);
        assert_conserved(&db.url).await;
        drop(server);
    }
}

/// In a program that reimburses the enterprise, the supplier's metered usage was paid to the
/// supplier as in a supplier-redeems program.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metered_usage_is_not_redeemed_in_a_reimbursed_program() {
    for backend in backends() {
        let (db, server) = fresh(backend, "usage_mode");
        let c = compute_world(&db, &server).await;
        let p = program(
            &c,
            "算力券（企业先付后补）",
            json!({"redemption_mode": "enterprise_reimbursed"}),
        )
        .await;
        let ent = enterprise(&c, "济南先付企业", "").await;
        let v = voucher(&c, &p, &ent).await;
        let before = snapshot(&db.url).await;
        let r = send(
            &c,
            json!([
                hour(&c, "m-1", &ent, 10, None),
                hour(&c, "m-2", &ent, 11, Some(&v))
            ]),
        )
        .await;
        for x in &r {
            assert_eq!(
                (x["status"].as_str(), x["reason"].as_str()),
                (Some("rejected"), Some("redemption_mode")),
                "{r:?}"
            );
        }
        let after = snapshot(&db.url).await;
        let moved: Vec<_> = before
            .iter()
            .zip(&after)
            .filter(|(b, a)| b != a)
            .map(|(b, _)| b.0.clone())
            .collect();
        // Only the batch's own bookkeeping (the audit record, the idempotency row) may move.
        assert!(
            moved.iter().all(|t| t == "audit_log"),
            "rejected usage changed {moved:?}"
        );
        drop(server);
    }
}
