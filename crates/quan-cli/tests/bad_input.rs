//! Bad input gets a 4xx naming the problem and changes nothing (row counts and ledger compared).
mod common;

use common::*;
use serde_json::{json, Value};

async fn bad_input(backend: Backend) {
    let (db, server) = fresh(backend, "bad");
    let w = world(&db.url, &server, 100_000_000, 5_000_000).await;
    let voucher = issue_voucher(&w, 2_000_000).await;
    // A second enterprise with its own voucher, to try cross-tenant access.
    let other = w
        .admin
        .post("/api/v1/enterprises", &json!({"uscc": uscc("370200"), "name": "青岛其他企业", "city_code": "370200", "industry": "C", "size_class": "medium", "legal_rep": "孙七"}), None)
        .await;
    let other_id = other.ok()["id"].as_str().unwrap().to_string();
    let app = w.admin.post_once("/api/v1/applications", &json!({"program_id": w.program_id, "enterprise_id": other_id, "amount_fen": 1_000_000, "plan": "x"})).await;
    let app_id = app.ok()["id"].as_str().unwrap().to_string();
    w.reviewer
        .post_once(
            &format!("/api/v1/applications/{app_id}/review"),
            &json!({"decision": "approve"}),
        )
        .await
        .ok();
    let other_voucher = w
        .admin
        .post_once(&format!("/api/v1/applications/{app_id}/issue"), &json!({}))
        .await
        .ok()["id"]
        .as_str()
        .unwrap()
        .to_string();
    // A product not on the list.
    let unlisted = w
        .admin
        .post(
            "/api/v1/products",
            &json!({"supplier_id": w.supplier_id, "kind": "model", "name": "未入选模型"}),
            None,
        )
        .await
        .ok()["id"]
        .as_str()
        .unwrap()
        .to_string();
    // One good redemption whose invoice number we will try to reuse.
    let used_invoice = invoice();
    w.supplier
        .post_once("/api/v1/redemptions", &json!({"voucher_id": voucher, "product_id": w.product_id, "invoice_number": used_invoice, "invoice_amount_fen": 100_000, "invoice_date": "2026-05-01"}))
        .await
        .ok();

    let before = snapshot(&db.url).await;
    let good_ent = json!({"uscc": uscc("370100"), "name": "济南新企业", "city_code": "370100", "industry": "I", "size_class": "small", "legal_rep": "周八"});
    let with = |base: &Value, k: &str, v: Value| {
        let mut b = base.clone();
        b[k] = v;
        b
    };
    let mut wrong_check = good_ent["uscc"].as_str().unwrap().to_string();
    let last = wrong_check.pop().unwrap();
    wrong_check.push(if last == '0' { '1' } else { '0' });

    // (request, expected status, expected code, expected field)
    let ent_cases = vec![
        (
            with(&good_ent, "uscc", json!(wrong_check)),
            400,
            "invalid_uscc",
            Some("uscc"),
        ),
        (
            with(&good_ent, "uscc", json!("91370100MA3C")),
            400,
            "invalid_uscc",
            Some("uscc"),
        ),
        (
            with(&good_ent, "city_code", json!("110100")),
            400,
            "unknown_city",
            Some("city_code"),
        ),
        (
            with(&good_ent, "industry", json!("Z")),
            400,
            "invalid_industry",
            Some("industry"),
        ),
        (
            with(&good_ent, "size_class", json!("giant")),
            400,
            "invalid_size_class",
            Some("size_class"),
        ),
        (
            with(&good_ent, "name", json!("   ")),
            400,
            "required",
            Some("name"),
        ),
        (
            with(&good_ent, "pilot_zone", json!("yes")),
            400,
            "malformed_json",
            Some("pilot_zone"),
        ),
        (
            json!({"name": "缺少代码"}),
            400,
            "malformed_json",
            Some("uscc"),
        ),
        (
            with(&good_ent, "surprise", json!(1)),
            400,
            "malformed_json",
            Some("surprise"),
        ),
    ];
    for (body, status, code, field) in ent_cases {
        let r = w.admin.post("/api/v1/enterprises", &body, None).await;
        r.err(status, code);
        assert_eq!(
            r.body["field"].as_str(),
            field,
            "field for {body}: {}",
            r.body
        );
    }
    let r = w
        .admin
        .post_raw("/api/v1/enterprises", "{\"uscc\": ", None)
        .await;
    r.err(400, "malformed_json");

    let program = |f: &dyn Fn(&mut Value)| {
        let mut p = json!({
            "name": "坏程序", "voucher_type": "compute", "year": 2026, "rate_bps": 2000, "face_value_cap_fen": 100_000, "enterprise_year_cap_fen": 100_000,
            "apply_from": "2026-01-01", "apply_until": "2026-12-31", "valid_from": "2026-01-01", "valid_until": "2026-12-31", "notice_days": 5,
            "budget_fen": 1_000_000, "funding": [{"source_id": w.sources[0], "share_bps": 5000}, {"source_id": w.sources[1], "share_bps": 5000}]
        });
        f(&mut p);
        p
    };
    let prog_cases: Vec<(Value, u16, &str, &str)> = vec![
        (
            program(&|p| p["rate_bps"] = json!(10001)),
            400,
            "rate_over_100",
            "rate_bps",
        ),
        (
            program(&|p| p["funding"][1]["share_bps"] = json!(4999)),
            400,
            "shares_not_100",
            "funding",
        ),
        (
            program(&|p| p["budget_fen"] = json!(0)),
            400,
            "amount_not_positive",
            "budget_fen",
        ),
        (
            program(&|p| p["budget_fen"] = json!(-5)),
            400,
            "amount_not_positive",
            "budget_fen",
        ),
        (
            program(&|p| p["budget_fen"] = json!(9_223_372_036_854_775_807i64)),
            400,
            "amount_overflow",
            "budget_fen",
        ),
        (
            program(&|p| p["budget_fen"] = json!(1e30)),
            400,
            "malformed_json",
            "budget_fen",
        ),
        (
            program(&|p| p["face_value_cap_fen"] = json!(0)),
            400,
            "amount_not_positive",
            "face_value_cap_fen",
        ),
        (
            program(&|p| p["valid_until"] = json!("2025-12-31")),
            400,
            "invalid_date",
            "valid_until",
        ),
        (
            program(&|p| p["apply_from"] = json!("2026-02-30")),
            400,
            "invalid_date",
            "apply_from",
        ),
        (
            program(&|p| p["voucher_type"] = json!("coupon")),
            400,
            "invalid_voucher_type",
            "voucher_type",
        ),
        (
            program(&|p| p["eligible_cities"] = json!(["370100", "999999"])),
            400,
            "unknown_city",
            "eligible_cities[1]",
        ),
        (
            program(&|p| p["funding"][0]["source_id"] = json!("src_nope")),
            400,
            "not_found",
            "funding",
        ),
        (
            program(&|p| p["budget_fen"] = json!(100_000_000_000_000i64)),
            409,
            "insufficient_funds",
            "budget_fen",
        ),
    ];
    for (body, status, code, field) in prog_cases {
        let r = w.admin.post_once("/api/v1/programs", &body).await;
        r.err(status, code);
        assert_eq!(r.body["field"], field, "{}", r.body);
    }
    w.admin
        .post("/api/v1/programs", &program(&|_| {}), None)
        .await
        .err(400, "idempotency_key_required");

    let redeem = |f: &dyn Fn(&mut Value)| {
        let mut b = json!({"voucher_id": voucher, "product_id": w.product_id, "invoice_number": invoice(), "invoice_amount_fen": 10_000, "invoice_date": "2026-05-02"});
        f(&mut b);
        b
    };
    let red_cases: Vec<(&Api, Value, u16, &str)> = vec![
        (
            &w.supplier,
            redeem(&|b| b["invoice_amount_fen"] = json!(0)),
            400,
            "amount_not_positive",
        ),
        (
            &w.supplier,
            redeem(&|b| b["invoice_amount_fen"] = json!(-100)),
            400,
            "amount_not_positive",
        ),
        (
            &w.supplier,
            redeem(&|b| b["invoice_amount_fen"] = json!(i64::MAX)),
            400,
            "amount_overflow",
        ),
        (
            &w.supplier,
            redeem(&|b| b["invoice_amount_fen"] = json!("100")),
            400,
            "malformed_json",
        ),
        (
            &w.supplier,
            redeem(&|b| b["invoice_number"] = json!("1234567890123456789")),
            400,
            "invalid_invoice_number",
        ),
        (
            &w.supplier,
            redeem(&|b| b["invoice_number"] = json!("1234567890123456789X")),
            400,
            "invalid_invoice_number",
        ),
        (
            &w.supplier,
            redeem(&|b| b["invoice_number"] = json!(used_invoice)),
            409,
            "duplicate_invoice",
        ),
        (
            &w.supplier,
            redeem(&|b| b["product_id"] = json!(unlisted)),
            409,
            "product_not_eligible",
        ),
        (
            &w.supplier,
            redeem(&|b| b["invoice_date"] = json!("2026-13-01")),
            400,
            "invalid_date",
        ),
        (
            &w.supplier,
            redeem(&|b| b["invoice_date"] = json!("2027-01-05")),
            400,
            "outside_validity",
        ),
        (
            &w.supplier,
            redeem(&|b| b["voucher_id"] = json!("vch_doesnotexist")),
            400,
            "not_found",
        ),
        (
            &w.enterprise,
            redeem(&|b| b["voucher_id"] = json!(other_voucher)),
            400,
            "not_found",
        ),
    ];
    for (who, body, status, code) in red_cases {
        let r = who.post_once("/api/v1/redemptions", &body).await;
        r.err(status, code);
        assert!(r.body["field"].is_string(), "no field in {}", r.body);
    }
    w.supplier
        .post("/api/v1/redemptions", &redeem(&|_| {}), None)
        .await
        .err(400, "idempotency_key_required");
    w.supplier
        .post_raw("/api/v1/redemptions", "not json", Some("k-bad"))
        .await
        .err(400, "malformed_json");

    // Another tenant's objects are "not found", never shown.
    w.enterprise
        .get(&format!("/api/v1/vouchers/{other_voucher}"))
        .await
        .err(404, "not_found");
    w.enterprise
        .get(&format!("/api/v1/enterprises/{other_id}"))
        .await
        .err(404, "not_found");
    w.enterprise
        .get(&format!("/api/v1/applications/{app_id}"))
        .await
        .err(404, "not_found");
    w.supplier
        .get(&format!("/api/v1/enterprises/{other_id}"))
        .await
        .err(404, "not_found");
    let listed = w.enterprise.get("/api/v1/vouchers").await;
    assert!(listed.ok()["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|v| v["enterprise_id"] == w.enterprise_id.as_str()));
    // Roles: an enterprise cannot create programs; nobody unauthenticated reads vouchers.
    w.enterprise
        .post_once("/api/v1/programs", &program(&|_| {}))
        .await
        .err(403, "forbidden");
    Api::new(&server.base)
        .get("/api/v1/vouchers")
        .await
        .err(401, "unauthorized");
    w.admin
        .get("/api/v1/enterprises?page_size=1000")
        .await
        .err(400, "page_size_too_large");
    w.admin
        .get("/api/v1/enterprises?page=abc")
        .await
        .err(400, "invalid_query");

    // An idempotency key reused with a different body is refused.
    let body = redeem(&|_| {});
    w.supplier
        .post("/api/v1/redemptions", &body, Some("reuse-me"))
        .await
        .ok();
    let mid = snapshot(&db.url).await;
    w.supplier
        .post("/api/v1/redemptions", &redeem(&|_| {}), Some("reuse-me"))
        .await
        .err(422, "idempotency_key_reused");
    assert_eq!(
        mid,
        snapshot(&db.url).await,
        "a refused key reuse changed the database"
    );

    // Expired voucher.
    w.admin
        .post("/api/v1/admin/clock", &json!({"today": "2027-01-10"}), None)
        .await
        .ok();
    w.supplier
        .post_once(
            "/api/v1/redemptions",
            &redeem(&|b| b["invoice_date"] = json!("2026-12-01")),
        )
        .await
        .err(409, "voucher_expired");

    let after = snapshot(&db.url).await;
    // Only the deliberate good redemption ("reuse-me") changed things: compare everything else.
    let changed: Vec<_> = before
        .iter()
        .zip(after.iter())
        .filter(|(a, b)| a != b)
        .map(|(a, _)| a.0.clone())
        .collect();
    for t in &changed {
        assert!(
            [
                "redemptions",
                "ledger_transfers",
                "audit_log",
                "ledger_fingerprint"
            ]
            .contains(&t.as_str()),
            "bad input changed {t}"
        );
    }
    let count = |s: &[(String, i64)], t: &str| s.iter().find(|(n, _)| n == t).unwrap().1;
    assert_eq!(
        count(&after, "redemptions"),
        count(&before, "redemptions") + 1
    );
    assert_eq!(count(&after, "audit_log"), count(&before, "audit_log") + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_refused_and_changes_nothing() {
    for b in backends() {
        bad_input(b).await;
    }
}
