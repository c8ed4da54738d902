//! The whole lifecycle through the real HTTP server, on SQLite and PostgreSQL:
//! apply → review → notice → objection → issue → redeem → settle → clawback → expire.
mod common;

use common::*;
use serde_json::json;

async fn story(backend: Backend) {
    let (db, server) = fresh(backend, "story");
    let w = world(&db.url, &server, 100_000_000, 5_000_000).await;

    // Apply (enterprise) and see it in the reviewer's queue.
    let app = w
        .enterprise
        .post_once(
            "/api/v1/applications",
            &json!({"program_id": w.program_id, "amount_fen": 3_000_000, "plan": "训练行业大模型"}),
        )
        .await;
    let app_id = app.ok()["id"].as_str().unwrap().to_string();
    assert_eq!(app.body["status"], "submitted");
    let queue = w
        .reviewer
        .get("/api/v1/applications?status=submitted")
        .await;
    assert_eq!(queue.ok()["total"], 1);

    // Approve a smaller amount: budget reserved (pending) by share 70/30.
    let reviewed = w
        .reviewer
        .post_once(
            &format!("/api/v1/applications/{app_id}/review"),
            &json!({"decision": "approve", "amount_fen": 2_000_000}),
        )
        .await;
    assert_eq!(reviewed.ok()["status"], "approved");
    let budget = w
        .admin
        .get(&format!("/api/v1/programs/{}/budget", w.program_id))
        .await;
    assert_eq!(budget.ok()["reserved_fen"], 2_000_000);
    assert_eq!(budget.body["available_fen"], 98_000_000);
    let shares: Vec<i64> = budget.body["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["reserved_fen"].as_i64().unwrap())
        .collect();
    assert_eq!(shares, vec![1_400_000, 600_000]);

    // It is published in the notice list; an objection is filed and dismissed.
    let notices = Api::new(&server.base).get("/api/v1/public/notices").await;
    assert!(notices
        .ok()
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["application_id"] == app_id.as_str()));
    let obj = w
        .supplier
        .post(
            &format!("/api/v1/applications/{app_id}/objections"),
            &json!({"reason": "疑似重复申报"}),
            None,
        )
        .await;
    let obj_id = obj.ok()["id"].as_str().unwrap().to_string();
    w.admin
        .post_once(&format!("/api/v1/applications/{app_id}/issue"), &json!({}))
        .await
        .err(409, "objection_open");
    // The administrator's notices list shows the open objection (its resolve button needs it).
    let listed = w
        .admin
        .get(&format!(
            "/api/v1/applications?status=approved&program_id={}",
            w.program_id
        ))
        .await;
    let row = &listed.ok()["items"][0];
    assert_eq!(row["id"], app_id.as_str());
    assert_eq!(row["objections"][0]["id"], obj_id.as_str());
    assert_eq!(row["objections"][0]["status"], "open");
    w.admin
        .post_once(
            &format!("/api/v1/objections/{obj_id}/resolve"),
            &json!({"uphold": false, "note": "经核查不属实"}),
        )
        .await
        .ok();

    // Issue: the reservation is posted into the voucher. A retry with the same key replays.
    let key = "issue-once";
    let v1 = w
        .admin
        .post(
            &format!("/api/v1/applications/{app_id}/issue"),
            &json!({}),
            Some(key),
        )
        .await;
    let v2 = w
        .admin
        .post(
            &format!("/api/v1/applications/{app_id}/issue"),
            &json!({}),
            Some(key),
        )
        .await;
    assert_eq!(v1.ok()["id"], v2.ok()["id"]);
    let voucher_id = v1.body["id"].as_str().unwrap().to_string();
    assert_eq!(v1.body["balance_fen"], 2_000_000);
    let mine = w.enterprise.get("/api/v1/vouchers").await;
    assert_eq!(mine.ok()["total"], 1);

    // Redeem two invoices: 30% of 5,000,000.01? The second is capped by the remaining balance.
    let r1 = w
        .supplier
        .post("/api/v1/redemptions", &json!({"voucher_id": voucher_id, "product_id": w.product_id, "invoice_number": invoice(), "invoice_amount_fen": 3_333_333, "invoice_date": "2026-05-20"}), Some("r1"))
        .await;
    assert_eq!(
        r1.ok()["subsidy_fen"],
        999_999,
        "30% of 33,333.33 rounded down to the fen"
    );
    assert_eq!(r1.body["enterprise_pays_fen"], 3_333_333 - 999_999);
    let r1_again = w
        .supplier
        .post("/api/v1/redemptions", &json!({"voucher_id": voucher_id, "product_id": w.product_id, "invoice_number": r1.body["invoice_number"], "invoice_amount_fen": 3_333_333, "invoice_date": "2026-05-20"}), Some("r1"))
        .await;
    assert_eq!(
        r1_again.ok()["id"],
        r1.body["id"],
        "same idempotency key replays the first result"
    );
    // In a program where the supplier redeems, the enterprise cannot claim for itself.
    let r2_body = json!({"voucher_id": voucher_id, "product_id": w.product_id, "invoice_number": invoice(), "invoice_amount_fen": 10_000_000, "invoice_date": "2026-05-28"});
    w.enterprise
        .post_once("/api/v1/redemptions", &r2_body)
        .await
        .err(409, "redemption_mode");
    let r2 = w.supplier.post_once("/api/v1/redemptions", &r2_body).await;
    assert_eq!(
        r2.ok()["subsidy_fen"],
        2_000_000 - 999_999,
        "capped by the voucher balance"
    );
    let v = w
        .enterprise
        .get(&format!("/api/v1/vouchers/{voucher_id}"))
        .await;
    assert_eq!(v.ok()["balance_fen"], 0);
    assert_eq!(v.body["redeemed_fen"], 2_000_000);

    // Settle May for the supplier: both become settled; the statement lists them.
    let st = w
        .admin
        .post_once(
            "/api/v1/settlements",
            &json!({"supplier_id": w.supplier_id, "period": "2026-05"}),
        )
        .await;
    assert_eq!(st.ok()["total_fen"], 2_000_000);
    assert_eq!(st.body["item_count"], 2);
    let st_id = st.body["id"].as_str().unwrap();
    let csv = w
        .supplier
        .get(&format!("/api/v1/settlements/{st_id}/statement.csv"))
        .await;
    let text = csv.body.as_str().expect("csv text");
    assert!(
        text.contains("9999.99") && text.contains("合计") && text.contains("20000.00"),
        "{text}"
    );
    w.admin
        .post_once(
            "/api/v1/settlements",
            &json!({"supplier_id": w.supplier_id, "period": "2026-05"}),
        )
        .await
        .err(409, "already_settled");

    // Clawback of the first (already settled) redemption: its subsidy returns to the funding
    // sources 70/30, never to the voucher, and the supplier now owes it.
    let before: Vec<i64> = sources_available(&w).await;
    let cb = w
        .admin
        .post_once(
            &format!(
                "/api/v1/redemptions/{}/clawback",
                r1.body["id"].as_str().unwrap()
            ),
            &json!({"reason": "发票与合同不符"}),
        )
        .await;
    assert_eq!(cb.ok()["status"], "clawed_back");
    let after = sources_available(&w).await;
    assert_eq!(after[0] - before[0] + after[1] - before[1], 999_999);
    assert_eq!(
        after[1] - before[1],
        300_000,
        "largest remainder: 0.3 × 999,999 = 299,999.7 gets the odd fen"
    );
    let v = w
        .enterprise
        .get(&format!("/api/v1/vouchers/{voucher_id}"))
        .await;
    assert_eq!(
        v.ok()["balance_fen"],
        0,
        "the enterprise cannot spend it again"
    );
    assert_eq!(v.body["reversed_fen"], 999_999);
    assert_eq!(
        v.body["face_value_fen"].as_i64().unwrap() - v.body["redeemed_fen"].as_i64().unwrap(),
        0
    );

    // Expiry: not before valid_until; after it, nothing is left to release.
    w.admin
        .post_once(&format!("/api/v1/vouchers/{voucher_id}/expire"), &json!({}))
        .await
        .err(409, "voucher_still_valid");
    w.admin
        .post("/api/v1/admin/clock", &json!({"today": "2027-01-02"}), None)
        .await
        .ok();
    let ex = w
        .admin
        .post_once(&format!("/api/v1/vouchers/{voucher_id}/expire"), &json!({}))
        .await;
    assert_eq!(ex.ok()["status"], "expired");
    assert_eq!(ex.body["balance_fen"], 0);
    assert_eq!(ex.body["released_fen"], 0);

    // A redemption on the expired voucher is refused.
    w.supplier
        .post_once("/api/v1/redemptions", &json!({"voucher_id": voucher_id, "product_id": w.product_id, "invoice_number": invoice(), "invoice_amount_fen": 100, "invoice_date": "2026-12-30"}))
        .await
        .err(409, "voucher_expired");

    // The audit chain verifies and the auditor can read it but not write.
    let verify = w.auditor.get("/api/v1/audit/verify").await;
    assert_eq!(verify.ok()["ok"], true);
    assert!(verify.body["records"].as_u64().unwrap() > 15);
    w.auditor
        .post_once(
            "/api/v1/settlements",
            &json!({"supplier_id": w.supplier_id, "period": "2026-06"}),
        )
        .await
        .err(403, "forbidden");

    // Export and verify offline; then tamper with one record and see it named.
    let dir = std::env::temp_dir().join(format!("quan-audit-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("audit.ndjson");
    let out = quan()
        .args([
            "audit",
            "export",
            "--db",
            &db.url,
            "--out",
            file.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ok = quan()
        .args(["audit", "verify", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let text = std::fs::read_to_string(&file).unwrap();
    let tampered = text.replacen("2000000", "2000001", 1);
    assert_ne!(text, tampered);
    std::fs::write(&file, tampered).unwrap();
    let bad = quan()
        .args(["audit", "verify", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("audit record"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);

    // Conservation holds in the database itself.
    assert_conserved(&db.url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lifecycle_story_on_every_backend() {
    for b in backends() {
        story(b).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn objection_upheld_voids_the_reservation() {
    for b in backends() {
        let (db, server) = fresh(b, "objection");
        let w = world(&db.url, &server, 10_000_000, 5_000_000).await;
        let app = w
            .enterprise
            .post_once(
                "/api/v1/applications",
                &json!({"program_id": w.program_id, "amount_fen": 4_000_000, "plan": "语料清洗"}),
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
        let budget = w
            .admin
            .get(&format!("/api/v1/programs/{}/budget", w.program_id))
            .await;
        assert_eq!(budget.ok()["available_fen"], 6_000_000);
        let obj = w
            .reviewer
            .post(
                &format!("/api/v1/applications/{app_id}/objections"),
                &json!({"reason": "关联交易"}),
                None,
            )
            .await;
        let resolved = w
            .admin
            .post_once(
                &format!(
                    "/api/v1/objections/{}/resolve",
                    obj.ok()["id"].as_str().unwrap()
                ),
                &json!({"uphold": true, "note": "属实"}),
            )
            .await;
        assert_eq!(resolved.ok()["status"], "revoked");
        let budget = w
            .admin
            .get(&format!("/api/v1/programs/{}/budget", w.program_id))
            .await;
        assert_eq!(budget.ok()["available_fen"], 10_000_000);
        assert_eq!(budget.body["reserved_fen"], 0);
        w.admin
            .post_once(&format!("/api/v1/applications/{app_id}/issue"), &json!({}))
            .await
            .err(409, "invalid_state");
        // Rejection needs a reason, and a decided application cannot be reviewed again.
        let app2 = w
            .enterprise
            .post_once(
                "/api/v1/applications",
                &json!({"program_id": w.program_id, "amount_fen": 1_000_000, "plan": "二次申报"}),
            )
            .await;
        let id2 = app2.ok()["id"].as_str().unwrap().to_string();
        w.reviewer
            .post_once(
                &format!("/api/v1/applications/{id2}/review"),
                &json!({"decision": "reject"}),
            )
            .await
            .err(400, "required");
        w.reviewer
            .post_once(
                &format!("/api/v1/applications/{id2}/review"),
                &json!({"decision": "reject", "reason": "材料不全"}),
            )
            .await
            .ok();
        w.reviewer
            .post_once(
                &format!("/api/v1/applications/{id2}/review"),
                &json!({"decision": "approve"}),
            )
            .await
            .err(409, "invalid_state");
        assert_conserved(&db.url).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reviewer_linked_to_the_enterprise_must_recuse() {
    let (db, server) = fresh(Backend::Sqlite, "recuse");
    let w = world(&db.url, &server, 10_000_000, 5_000_000).await;
    // The reviewer's name appears among the enterprise's shareholders.
    w.admin
        .patch(
            &format!("/api/v1/enterprises/{}", w.enterprise_id),
            &json!({"shareholders": ["张三", "王评审"]}),
            None,
        )
        .await
        .ok();
    let app = w
        .enterprise
        .post_once(
            "/api/v1/applications",
            &json!({"program_id": w.program_id, "amount_fen": 1_000_000, "plan": "x"}),
        )
        .await;
    let app_id = app.ok()["id"].as_str().unwrap().to_string();
    let seen = w
        .reviewer
        .get(&format!("/api/v1/applications/{app_id}"))
        .await;
    // The finding names the reviewer as a shareholder (not as a shared legal representative),
    // as a code the console translates; the queue's row says the same.
    let finding = json!([{"code": "reviewer_is_shareholder", "subject": "王评审",
                          "text": "the reviewer 王评审 is a shareholder of the enterprise"}]);
    assert_eq!(seen.ok()["conflicts"], finding, "{}", seen.body);
    let queue = w
        .reviewer
        .get("/api/v1/applications?status=submitted")
        .await;
    assert_eq!(queue.ok()["items"][0]["conflicts"], finding);
    let admin_queue = w.admin.get("/api/v1/applications?status=submitted").await;
    assert_eq!(admin_queue.ok()["items"][0]["conflicts"], json!([]));
    w.reviewer
        .post_once(
            &format!("/api/v1/applications/{app_id}/review"),
            &json!({"decision": "approve"}),
        )
        .await
        .err(409, "conflict_of_interest");
    // Another reviewer (the admin, unrelated) may decide.
    w.admin
        .post_once(
            &format!("/api/v1/applications/{app_id}/review"),
            &json!({"decision": "approve"}),
        )
        .await
        .ok();
}

/// The confirmation step before money moves: the preview says what the redemption would do by the
/// same rules (holder, balance, subsidy, the enterprise's share), writes nothing, refuses what the
/// redemption would refuse, and the redemption then does exactly that.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redemption_preview_matches_and_writes_nothing() {
    for backend in backends() {
        let (db, server) = fresh(backend, "preview");
        let w = world(&db.url, &server, 100_000_000, 5_000_000).await;
        let voucher = issue_voucher(&w, 1_000_000).await;
        let body = json!({"voucher_id": voucher, "product_id": w.product_id, "invoice_number": invoice(),
                          "invoice_amount_fen": 5_000_000, "invoice_date": "2026-05-20"});
        let before = snapshot(&db.url).await;
        let p = w
            .supplier
            .post("/api/v1/redemptions/preview", &body, None)
            .await;
        let p = p.ok().clone();
        assert_eq!(p["enterprise_name"], "济南测试智能科技有限公司");
        assert_eq!(p["balance_fen"], 1_000_000);
        assert_eq!(p["payee"], "supplier");
        assert!(p["hold"].is_null());
        let subsidy = p["subsidy_fen"].as_i64().unwrap();
        assert!(subsidy > 0 && subsidy <= 1_000_000, "{p}");
        assert_eq!(
            p["enterprise_pays_fen"].as_i64().unwrap(),
            5_000_000 - subsidy
        );
        assert_eq!(
            p["balance_after_fen"].as_i64().unwrap(),
            1_000_000 - subsidy
        );
        // Twice, and nothing is written (no record, no ledger movement, no audit line).
        w.supplier
            .post("/api/v1/redemptions/preview", &body, None)
            .await
            .ok();
        assert_eq!(snapshot(&db.url).await, before);
        // Refused as the redemption would be, naming the field.
        let mut future = body.clone();
        future["invoice_date"] = json!("2026-06-15"); // the test clock says 2026-06-01
        let e = w
            .supplier
            .post("/api/v1/redemptions/preview", &future, None)
            .await;
        assert_eq!(e.err(400, "in_future")["field"], "invoice_date");
        // The redemption does what the preview said.
        let r = w.supplier.post_once("/api/v1/redemptions", &body).await;
        assert_eq!(r.ok()["subsidy_fen"], p["subsidy_fen"]);
        assert_eq!(r.body["enterprise_pays_fen"], p["enterprise_pays_fen"]);
        let v = w.admin.get(&format!("/api/v1/vouchers/{voucher}")).await;
        assert_eq!(v.ok()["balance_fen"], p["balance_after_fen"]);
        // The same invoice again: the preview refuses it as a duplicate, like the redemption.
        let dup = w
            .supplier
            .post("/api/v1/redemptions/preview", &body, None)
            .await;
        assert!(dup.status == 409 || dup.status == 400, "{}", dup.body);
        assert_conserved(&db.url).await;
    }
}

/// The console's badges: what waits for each user, counted as the page behind it would list it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn todos_count_what_waits_for_each_role() {
    for backend in backends() {
        let (db, server) = fresh(backend, "todos");
        let w = world(&db.url, &server, 100_000_000, 5_000_000).await;
        let todos = |r: Resp| r.ok().clone();
        assert_eq!(todos(w.reviewer.get("/api/v1/me/todos").await), json!([]));
        let app = w
            .enterprise
            .post_once(
                "/api/v1/applications",
                &json!({"program_id": w.program_id, "amount_fen": 1_000_000, "plan": "x"}),
            )
            .await;
        let app_id = app.ok()["id"].as_str().unwrap().to_string();
        let waiting = json!([{"key": "applications_to_review", "count": 1}]);
        assert_eq!(todos(w.reviewer.get("/api/v1/me/todos").await), waiting);
        assert_eq!(todos(w.admin.get("/api/v1/me/todos").await), waiting);
        assert_eq!(todos(w.auditor.get("/api/v1/me/todos").await), json!([]));
        assert_eq!(todos(w.supplier.get("/api/v1/me/todos").await), json!([]));
        // Approved with a notice of 0 days: due for issue today, no longer for review.
        w.reviewer
            .post_once(
                &format!("/api/v1/applications/{app_id}/review"),
                &json!({"decision": "approve"}),
            )
            .await
            .ok();
        assert_eq!(
            todos(w.admin.get("/api/v1/me/todos").await),
            json!([{"key": "notices_due", "count": 1}])
        );
        assert_eq!(todos(w.reviewer.get("/api/v1/me/todos").await), json!([]));
        assert_eq!(todos(w.enterprise.get("/api/v1/me/todos").await), json!([]));
        // Issued; the voucher ends 2026-12-31: within 30 days of 12-10 it is expiring.
        w.admin
            .post_once(&format!("/api/v1/applications/{app_id}/issue"), &json!({}))
            .await
            .ok();
        assert_eq!(todos(w.admin.get("/api/v1/me/todos").await), json!([]));
        w.admin
            .post("/api/v1/admin/clock", &json!({"today": "2026-12-10"}), None)
            .await
            .ok();
        assert_eq!(
            todos(w.enterprise.get("/api/v1/me/todos").await),
            json!([{"key": "vouchers_expiring", "count": 1}])
        );
    }
}
