//! Milestone payments with an acceptance check (issue 10) against the real `quan serve`, SQLite
//! and PostgreSQL (when DATABASE_URL is set): a corpus program paying at most ¥750,000 at issue
//! and the rest only on an "excellent" acceptance; one voucher rated excellent (second payment),
//! another rated fail after its supplier was settled (everything clawed back, the supplier owes
//! it, the voucher cancelled); the ledger conserved throughout.
mod common;

use common::*;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn excellent_pays_the_second_milestone_and_fail_claws_everything_back() {
    for backend in backends() {
        let (db, server) = fresh(backend, "milestones");
        let w = world(&db.url, &server, 100_000_000, 5_000_000).await;
        let admin = &w.admin;
        let sup = admin.post("/api/v1/suppliers", &json!({"uscc": uscc("370200"), "name": "青岛语料数据有限公司", "kind": "corpus", "city_code": "370200", "legal_rep": "韩十", "shareholders": ["韩十"]}), None).await;
        let sup = sup.ok()["id"].as_str().unwrap().to_string();
        let prod = admin
            .post(
                "/api/v1/products",
                &json!({"supplier_id": sup, "kind": "corpus", "name": "海洋观测语料"}),
                None,
            )
            .await;
        let prod = prod.ok()["id"].as_str().unwrap().to_string();
        let p = admin.post_once("/api/v1/programs", &json!({
            "name": "2026年语料券（分期拨付）", "voucher_type": "corpus", "year": 2026, "rate_bps": 5000,
            "face_value_cap_fen": 150_000_000, "enterprise_year_cap_fen": 150_000_000,
            "apply_from": "2026-01-01", "apply_until": "2026-12-31", "valid_from": "2026-01-01", "valid_until": "2026-12-31",
            "notice_days": 0, "budget_fen": 1_000_000_000, "funding": [{"source_id": w.sources[0], "share_bps": 10000}],
            "policy": {"first_milestone_fen": 75_000_000}
        })).await;
        let program = p.ok()["id"].as_str().unwrap().to_string();
        select_by_round(admin, &w.reviewer, "corpus", 2026, &[&prod], "2026-06-01").await;
        let e2 = admin.post("/api/v1/enterprises", &json!({"uscc": uscc("370100"), "name": "济南语料应用科技有限公司", "city_code": "370100", "industry": "I", "size_class": "small", "legal_rep": "钱九", "shareholders": ["钱九"]}), None).await;
        let e2 = e2.ok()["id"].as_str().unwrap().to_string();
        let mut vouchers = Vec::new();
        for (n, ent) in [&w.enterprise_id, &e2].into_iter().enumerate() {
            let a = admin.post_once("/api/v1/applications", &json!({"program_id": program, "enterprise_id": ent, "amount_fen": 150_000_000, "plan": "语料建设"})).await;
            let app = a.ok()["id"].as_str().unwrap().to_string();
            w.reviewer
                .post_once(
                    &format!("/api/v1/applications/{app}/review"),
                    &json!({"decision": "approve"}),
                )
                .await
                .ok();
            let prog = admin.get(&format!("/api/v1/programs/{program}")).await;
            assert_eq!(
                prog.ok()["reserved_fen"].as_i64().unwrap(),
                150_000_000 + 75_000_000 * n as i64,
                "both milestones reserved at award; an issued voucher's second stays reserved"
            );
            let v = admin
                .post_once(&format!("/api/v1/applications/{app}/issue"), &json!({}))
                .await;
            assert_eq!(
                v.ok()["face_value_fen"],
                75_000_000,
                "the first milestone is paid at issue"
            );
            assert_eq!(v.body["held_fen"], 75_000_000, "the second stays held");
            vouchers.push(v.body["id"].as_str().unwrap().to_string());
        }
        for v in &vouchers {
            admin
                .post_once(
                    "/api/v1/redemptions",
                    &json!({"voucher_id": v, "product_id": prod, "invoice_number": invoice(),
                "invoice_amount_fen": 40_000_000, "invoice_date": "2026-05-20"}),
                )
                .await
                .ok();
        }
        let check = |rating: &str| json!({"rating": rating, "panel": "省数据局验收专家组", "checked_on": "2026-06-01", "report_ref": "YS-2026-001"});
        let acc = |v: &str| format!("/api/v1/vouchers/{v}/acceptance");

        // Bad input changes nothing.
        let r = admin.post_once(&acc(&vouchers[0]), &check("great")).await;
        assert_eq!(r.err(400, "invalid_rating")["field"], "rating");
        let mut future = check("pass");
        future["checked_on"] = json!("2026-07-01");
        admin
            .post_once(&acc(&vouchers[0]), &future)
            .await
            .err(400, "in_future");
        let model_voucher = issue_voucher(&w, 1_000_000).await;
        let before = snapshot(&db.url).await;
        admin
            .post_once(&acc(&model_voucher), &check("pass"))
            .await
            .err(409, "no_milestone");
        w.reviewer
            .post_once(&acc(&vouchers[0]), &check("pass"))
            .await
            .err(403, "forbidden");
        assert_eq!(before, snapshot(&db.url).await, "refusals wrote nothing");

        // Excellent: the second milestone is paid onto the voucher.
        let r = admin
            .post_once(&acc(&vouchers[0]), &check("excellent"))
            .await;
        assert_eq!(r.ok()["face_value_fen"], 150_000_000);
        assert_eq!(r.body["held_fen"], 0);
        assert_eq!(r.body["balance_fen"], 150_000_000 - 20_000_000);
        assert_eq!(r.body["acceptance"], "excellent");
        admin
            .post_once(&acc(&vouchers[0]), &check("fail"))
            .await
            .err(409, "already_checked");

        // Fail after the supplier was settled: everything paid comes back, the supplier owes it.
        let s = admin
            .post_once(
                "/api/v1/settlements",
                &json!({"supplier_id": sup, "period": "2026-05"}),
            )
            .await;
        assert_eq!(s.ok()["paid_fen"], 40_000_000);
        let r = admin.post_once(&acc(&vouchers[1]), &check("fail")).await;
        assert_eq!(r.ok()["status"], "cancelled");
        assert_eq!(r.body["balance_fen"], 0);
        assert_eq!(r.body["held_fen"], 0);
        let reds = admin
            .get(&format!("/api/v1/redemptions?voucher_id={}", vouchers[1]))
            .await;
        assert!(reds.ok()["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["status"] == "clawed_back"));
        let store = quan_store::Store::open(&quan_store::StoreOptions::new(&db.url))
            .await
            .unwrap();
        let owed = quan_store::ledger::balance(store.reader(), &format!("receivable:{sup}"))
            .await
            .unwrap()
            .balance;
        store.close().await;
        assert_eq!(
            owed, -20_000_000,
            "the settled supplier owes the clawed-back subsidy"
        );
        assert_conserved(&db.url).await;
    }
}
