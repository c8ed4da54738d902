//! One idempotency fingerprint: an Idempotency-Key is bound to its user, method, route, path
//! parameters and body. The same key on another object, another route or another body is
//! refused (422 `idempotency_key_reused`) and changes nothing; another user's same key is that
//! user's own; a concurrent retry has one effect. Also: a program edit that would put recorded
//! use over a new yearly cap is refused with 409 naming the figure, never a 500.
mod common;

use common::*;
use serde_json::json;

/// Two submitted applications: one of the world's enterprise, one of a second enterprise.
async fn two_applications(w: &World) -> (String, String) {
    let a = w
        .enterprise
        .post_once(
            "/api/v1/applications",
            &json!({"program_id": w.program_id, "amount_fen": 1_000_000, "plan": "训练行业大模型"}),
        )
        .await;
    let other = w
        .admin
        .post("/api/v1/enterprises", &json!({"uscc": uscc("370200"), "name": "青岛第二企业", "city_code": "370200", "industry": "C", "size_class": "medium", "legal_rep": "孙七"}), None)
        .await;
    let other_id = other.ok()["id"].as_str().unwrap();
    let x = w
        .admin
        .post_once(
            "/api/v1/applications",
            &json!({"program_id": w.program_id, "enterprise_id": other_id, "amount_fen": 1_000_000, "plan": "部署推理服务"}),
        )
        .await;
    (
        a.ok()["id"].as_str().unwrap().to_string(),
        x.ok()["id"].as_str().unwrap().to_string(),
    )
}

async fn status_of(w: &World, app: &str) -> String {
    w.admin
        .get(&format!("/api/v1/applications/{app}"))
        .await
        .ok()["status"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn same_key_other_target(backend: Backend) {
    let (db, server) = fresh(backend, "idem");
    let w = world(&db.url, &server, 100_000_000, 5_000_000).await;
    let (a, x) = two_applications(&w).await;
    let body = json!({"decision": "approve"});
    let first = w
        .reviewer
        .post(
            &format!("/api/v1/applications/{a}/review"),
            &body,
            Some("K-1"),
        )
        .await;
    assert_eq!(first.ok()["status"], "approved");
    // The same request again replays the answer.
    let again = w
        .reviewer
        .post(
            &format!("/api/v1/applications/{a}/review"),
            &body,
            Some("K-1"),
        )
        .await;
    assert_eq!(again.ok()["id"], first.ok()["id"]);
    // Same key, same body, another application: refused, and X is untouched.
    let before = snapshot(&db.url).await;
    let other = w
        .reviewer
        .post(
            &format!("/api/v1/applications/{x}/review"),
            &body,
            Some("K-1"),
        )
        .await;
    let e = other.err(422, "idempotency_key_reused");
    assert_eq!(e["field"], "Idempotency-Key");
    assert_eq!(status_of(&w, &x).await, "submitted");
    // Same key on another route (issue of A), and with another body on the same target.
    w.admin
        .post(
            &format!("/api/v1/applications/{a}/issue"),
            &json!({}),
            Some("K-2"),
        )
        .await
        .ok();
    w.admin
        .post(
            &format!("/api/v1/applications/{x}/issue"),
            &json!({}),
            Some("K-2"),
        )
        .await
        .err(422, "idempotency_key_reused");
    w.reviewer
        .post(
            &format!("/api/v1/applications/{a}/review"),
            &json!({"decision": "reject", "reason": "x"}),
            Some("K-1"),
        )
        .await
        .err(422, "idempotency_key_reused");
    let after_issue = snapshot(&db.url).await;
    assert_ne!(before, after_issue, "the issue of A was written");
    // Another user may use the same key for its own request: keys are per user.
    let mine = w
        .admin
        .post(
            &format!("/api/v1/applications/{x}/review"),
            &body,
            Some("K-1"),
        )
        .await;
    assert_eq!(mine.ok()["status"], "approved");
    // PATCH of another program with a key used for a PATCH of the first.
    let p1 = w.program_id.clone();
    let patch = json!({"name": "测试模型券（修订）"});
    w.admin
        .patch(&format!("/api/v1/programs/{p1}"), &patch, Some("K-3"))
        .await
        .ok();
    let p2 = w
        .admin
        .post_once(
            "/api/v1/programs",
            &json!({
                "name": "第二个券", "voucher_type": "model", "year": 2026, "rate_bps": 3000,
                "face_value_cap_fen": 1_000_000, "enterprise_year_cap_fen": 2_000_000,
                "apply_from": "2026-01-01", "apply_until": "2026-12-31", "valid_from": "2026-01-01", "valid_until": "2026-12-31",
                "notice_days": 0, "budget_fen": 10_000_000,
                "funding": [{"source_id": w.sources[0], "share_bps": 10000}]
            }),
        )
        .await;
    let p2 = p2.ok()["id"].as_str().unwrap().to_string();
    w.admin
        .patch(&format!("/api/v1/programs/{p2}"), &patch, Some("K-3"))
        .await
        .err(422, "idempotency_key_reused");
    let name = w.admin.get(&format!("/api/v1/programs/{p2}")).await;
    assert_eq!(name.ok()["name"], "第二个券");
}

/// Eight concurrent sends of one request with one key: one effect, one answer.
async fn concurrent_retries(backend: Backend) {
    let (db, server) = fresh(backend, "idemc");
    let w = world(&db.url, &server, 100_000_000, 5_000_000).await;
    let voucher = issue_voucher(&w, 2_000_000).await;
    let body = json!({"voucher_id": voucher, "product_id": w.product_id, "invoice_number": invoice(), "invoice_amount_fen": 100_000, "invoice_date": "2026-05-01"});
    let sends = (0..8).map(|_| w.supplier.post("/api/v1/redemptions", &body, Some("R-1")));
    let answers = futures::future::join_all(sends).await;
    let mut ids = std::collections::BTreeSet::new();
    for a in &answers {
        match a.status {
            201 => {
                ids.insert(a.body["id"].as_str().unwrap().to_string());
            }
            503 => {} // busy: the client retries with the same key
            s => panic!("unexpected {s}: {}", a.body),
        }
    }
    assert_eq!(ids.len(), 1, "{answers:?}");
    let list = w
        .admin
        .get(&format!("/api/v1/redemptions?voucher_id={voucher}"))
        .await;
    assert_eq!(list.ok()["total"], 1);
}

/// Lowering the yearly cap below what an enterprise already drew is a 409 naming the field
/// and the figure; the program is unchanged and the next redemption still works.
async fn cap_below_usage(backend: Backend) {
    let (db, server) = fresh(backend, "capedit");
    let w = world(&db.url, &server, 100_000_000, 5_000_000).await;
    let voucher = issue_voucher(&w, 2_000_000).await;
    let redeem = |amount: i64| json!({"voucher_id": voucher, "product_id": w.product_id, "invoice_number": invoice(), "invoice_amount_fen": amount, "invoice_date": "2026-05-01"});
    // 30% of 1,000,000 fen: 300,000 fen used.
    w.supplier
        .post_once("/api/v1/redemptions", &redeem(1_000_000))
        .await
        .ok();
    let before = snapshot(&db.url).await;
    let r = w
        .admin
        .patch(
            &format!("/api/v1/programs/{}", w.program_id),
            &json!({"enterprise_year_cap_fen": 200_000}),
            Some("cap-1"),
        )
        .await;
    let e = r.err(409, "cap_below_usage");
    assert_eq!(e["field"], "enterprise_year_cap_fen");
    assert!(
        e["message"].as_str().unwrap().contains("3000.00"),
        "names the figure: {e}"
    );
    assert_eq!(before, snapshot(&db.url).await, "nothing written");
    // Exactly at the figure is allowed; the next redemption is refused by the cap, not a 500.
    w.admin
        .patch(
            &format!("/api/v1/programs/{}", w.program_id),
            &json!({"enterprise_year_cap_fen": 300_000}),
            Some("cap-2"),
        )
        .await
        .ok();
    w.supplier
        .post_once("/api/v1/redemptions", &redeem(100_000))
        .await
        .err(409, "enterprise_year_cap");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_is_bound_to_its_target_and_body() {
    for b in backends() {
        same_key_other_target(b).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_retries_have_one_effect() {
    for b in backends() {
        concurrent_retries(b).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cap_edit_below_recorded_use_is_refused() {
    for b in backends() {
        cap_below_usage(b).await;
    }
}
