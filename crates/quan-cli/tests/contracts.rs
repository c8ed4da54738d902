//! Both redemption modes and contracts (issue 11), against the real `quan serve`, SQLite and
//! PostgreSQL (when DATABASE_URL is set): a program where the enterprise pays in full and is
//! reimbursed, beside one where the supplier redeems; contracts with one claim each, a date
//! window and delivery proof; reimbursement runs and statements (CSV and XLSX); two servers
//! racing for one contract.
mod common;

use common::*;
use serde_json::{json, Value};

/// A second program in the world, reimbursing the enterprise, with the contract rules on.
async fn reimbursed_program(w: &World) -> String {
    let p = w.admin.post_once("/api/v1/programs", &json!({
        "name": "测试模型券（企业报销）", "voucher_type": "model", "year": 2026, "rate_bps": 3000,
        "face_value_cap_fen": 5_000_000, "enterprise_year_cap_fen": 50_000_000,
        "apply_from": "2026-01-01", "apply_until": "2026-12-31", "valid_from": "2026-01-01", "valid_until": "2026-12-31",
        "notice_days": 0, "budget_fen": 100_000_000,
        "funding": [{"source_id": w.sources[0], "share_bps": 10000}],
        "policy": {"redemption_mode": "enterprise_reimbursed", "contract_required": true,
                   "contract_from": "2026-01-01", "delivery_proof_required": true}
    })).await;
    let id = p.ok()["id"].as_str().unwrap().to_string();
    assert_eq!(p.body["policy"]["redemption_mode"], "enterprise_reimbursed");
    w.admin
        .post_once(
            &format!("/api/v1/programs/{id}/eligible-products"),
            &json!({"product_id": w.product_id}),
        )
        .await
        .ok();
    id
}

fn contract(w: &World, number: &str, signed_on: &str, amount: i64) -> Value {
    json!({"contract_number": number, "supplier_id": w.supplier_id, "kind": "model",
           "subject": "行业大模型私有化部署及一年服务", "signed_on": signed_on, "amount_fen": amount})
}

fn claim(voucher: &str, w: &World, contract: &str, amount: i64) -> Value {
    json!({"voucher_id": voucher, "product_id": w.product_id, "invoice_number": invoice(),
           "invoice_amount_fen": amount, "invoice_date": "2026-05-20", "contract_id": contract,
           "payment_proof": "工商银行电子回单 2026052000017", "delivery_proof": "验收报告 YS-2026-031"})
}

/// Downloads a binary statement with the caller's token.
async fn bytes(api: &Api, path: &str) -> (u16, String, Vec<u8>) {
    let r = api
        .http
        .get(format!("{}{path}", api.base))
        .bearer_auth(api.token.as_deref().unwrap())
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let kind = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, kind, r.bytes().await.unwrap().to_vec())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_modes_through_claims_runs_and_statements() {
    for backend in backends() {
        let (db, server) = fresh(backend, "modes");
        let w = world(&db.url, &server, 100_000_000, 5_000_000).await;
        let program = reimbursed_program(&w).await;
        let voucher = issue_voucher_in(&w, &program, 5_000_000).await;

        // Contracts: bad input names the field and writes nothing; numbers are unique per supplier.
        let before = snapshot(&db.url).await;
        for (body, field) in [
            (json!({"contract_number": "A B"}), "contract_number"),
            (json!({"kind": "gpu"}), "kind"),
            (json!({"signed_on": "2026-02-30"}), "signed_on"),
            (json!({"amount_fen": 0}), "amount_fen"),
            (json!({"supplier_id": null}), "supplier_id"),
        ] {
            let mut b = contract(&w, "HT-2026-001", "2026-03-01", 2_000_000);
            for (k, v) in body.as_object().unwrap() {
                b[k] = v.clone();
            }
            let e = w.enterprise.post_once("/api/v1/contracts", &b).await;
            assert_eq!(e.status, 400, "{field}: {}", e.body);
            assert_eq!(e.body["field"], field, "{}", e.body);
        }
        assert_eq!(snapshot(&db.url).await, before);
        let k1 = w
            .enterprise
            .post_once(
                "/api/v1/contracts",
                &contract(&w, "HT-2026-001", "2026-03-01", 2_000_000),
            )
            .await;
        let k1 = k1.ok()["id"].as_str().unwrap().to_string();
        w.supplier
            .post_once("/api/v1/contracts", &json!({"contract_number": "HT-2026-001", "enterprise_id": w.enterprise_id, "kind": "model", "subject": "x", "signed_on": "2026-03-01", "amount_fen": 1}))
            .await
            .err(409, "duplicate_contract");
        w.reviewer
            .get("/api/v1/contracts")
            .await
            .err(403, "forbidden");
        assert_eq!(w.supplier.get("/api/v1/contracts").await.ok()["total"], 1);

        // The reimbursed program: the supplier cannot claim; the enterprise needs proofs and a contract.
        let before = snapshot(&db.url).await;
        w.supplier
            .post_once("/api/v1/redemptions", &claim(&voucher, &w, &k1, 1_000_000))
            .await
            .err(409, "redemption_mode");
        for (drop_field, code) in [
            ("payment_proof", "required"),
            ("contract_id", "contract_required"),
            ("delivery_proof", "required"),
        ] {
            let mut b = claim(&voucher, &w, &k1, 1_000_000);
            b.as_object_mut().unwrap().remove(drop_field);
            let e = w.enterprise.post_once("/api/v1/redemptions", &b).await;
            let field = if drop_field == "contract_id" {
                "contract_id"
            } else {
                drop_field
            };
            assert_eq!(e.err(400, code)["field"], field);
        }
        let mut over = claim(&voucher, &w, &k1, 2_000_001);
        over["invoice_amount_fen"] = json!(2_000_001);
        w.enterprise
            .post_once("/api/v1/redemptions", &over)
            .await
            .err(409, "over_contract");
        assert_eq!(snapshot(&db.url).await, before);
        let r = w
            .enterprise
            .post_once("/api/v1/redemptions", &claim(&voucher, &w, &k1, 1_000_000))
            .await;
        assert_eq!(r.ok()["payee"], "enterprise");
        assert_eq!(r.body["subsidy_fen"], 300_000);
        assert_eq!(r.body["contract_id"], k1.as_str());
        let red_id = r.body["id"].as_str().unwrap().to_string();
        // One claim per contract per program.
        w.enterprise
            .post_once("/api/v1/redemptions", &claim(&voucher, &w, &k1, 500_000))
            .await
            .err(409, "contract_claimed");
        // A contract signed before the program's window.
        let early = w
            .supplier
            .post_once("/api/v1/contracts", &json!({"contract_number": "HT-2025-088", "enterprise_id": w.enterprise_id, "kind": "model", "subject": "旧合同", "signed_on": "2025-12-01", "amount_fen": 9_000_000}))
            .await;
        let early = early.ok()["id"].as_str().unwrap().to_string();
        w.enterprise
            .post_once("/api/v1/redemptions", &claim(&voucher, &w, &early, 100_000))
            .await
            .err(400, "contract_date");

        // The supplier-redeems program: the contract claimed above is not paid twice.
        let sv = issue_voucher(&w, 1_000_000).await;
        w.supplier
            .post_once("/api/v1/redemptions", &claim(&sv, &w, &k1, 100_000))
            .await
            .err(409, "double_subsidy");
        let s1 = w
            .supplier
            .post_once("/api/v1/redemptions", &json!({"voucher_id": sv, "product_id": w.product_id, "invoice_number": invoice(), "invoice_amount_fen": 200_000, "invoice_date": "2026-05-21"}))
            .await;
        assert_eq!(s1.ok()["payee"], "supplier");

        // Runs: the supplier's settlement pays only its own claim; the enterprise's run the rest.
        let st = w
            .admin
            .post_once(
                "/api/v1/settlements",
                &json!({"supplier_id": w.supplier_id, "period": "2026-05"}),
            )
            .await;
        assert_eq!(st.ok()["total_fen"], 60_000);
        let rb_body = json!({"enterprise_id": w.enterprise_id, "period": "2026-05"});
        let rb = w.admin.post_once("/api/v1/reimbursements", &rb_body).await;
        assert_eq!(rb.ok()["total_fen"], 300_000);
        assert_eq!(rb.body["paid_fen"], 300_000);
        let rb_id = rb.body["id"].as_str().unwrap().to_string();
        w.admin
            .post_once("/api/v1/reimbursements", &rb_body)
            .await
            .err(409, "already_settled");
        w.admin
            .post_once(
                "/api/v1/reimbursements",
                &json!({"enterprise_id": w.enterprise_id, "period": "2026-13"}),
            )
            .await
            .err(400, "invalid_period");
        w.enterprise
            .post_once("/api/v1/reimbursements", &rb_body)
            .await
            .err(403, "forbidden");
        assert_eq!(
            w.enterprise.get("/api/v1/reimbursements").await.ok()["total"],
            1
        );
        w.supplier
            .get(&format!("/api/v1/reimbursements/{rb_id}"))
            .await
            .err(403, "forbidden");
        let red = w
            .enterprise
            .get(&format!("/api/v1/redemptions/{red_id}"))
            .await;
        assert_eq!(red.ok()["status"], "settled");
        assert_eq!(red.body["settlement_id"], rb_id.as_str());

        // Statements: CSV in Chinese (English on request) and XLSX, for both runs.
        let csv = w
            .enterprise
            .get(&format!("/api/v1/reimbursements/{rb_id}/statement.csv"))
            .await;
        let text = csv.body.as_str().unwrap();
        assert!(
            text.starts_with('\u{feff}')
                && text.contains("报销单号")
                && text.contains("合计")
                && text.contains("3000.00")
                && text.contains("青岛测试模型有限公司"),
            "{text}"
        );
        let en = w
            .enterprise
            .get(&format!(
                "/api/v1/reimbursements/{rb_id}/statement.csv?lang=en"
            ))
            .await;
        assert!(en
            .body
            .as_str()
            .unwrap()
            .contains("reimbursement,enterprise,period"));
        for path in [
            format!("/api/v1/reimbursements/{rb_id}/statement.xlsx"),
            format!(
                "/api/v1/settlements/{}/statement.xlsx",
                st.body["id"].as_str().unwrap()
            ),
        ] {
            let who = if path.contains("reimb") {
                &w.enterprise
            } else {
                &w.supplier
            };
            let (status, kind, body) = bytes(who, &path).await;
            assert_eq!(status, 200, "{path}");
            assert!(kind.contains("spreadsheetml"), "{kind}");
            assert_eq!(&body[..2], b"PK", "an XLSX is a zip");
        }
        let (status, _, _) = bytes(
            &w.supplier,
            &format!("/api/v1/reimbursements/{rb_id}/statement.xlsx"),
        )
        .await;
        assert_eq!(status, 403);

        // Clawback of a reimbursement already paid: the money returns to the source and the
        // enterprise owes it back; the next run recovers it first.
        w.admin
            .post_once(
                &format!("/api/v1/redemptions/{red_id}/clawback"),
                &json!({"reason": "合同未履行"}),
            )
            .await
            .ok();
        assert_conserved(&db.url).await;
        drop(server);
    }
}

/// Two servers on one database, two claims on one contract at once: exactly one is accepted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_contract_claimed_once_across_two_servers() {
    for backend in backends() {
        let (db, server) = fresh(backend, "contract_race");
        let w = world(&db.url, &server, 100_000_000, 5_000_000).await;
        let program = reimbursed_program(&w).await;
        let voucher = issue_voucher_in(&w, &program, 5_000_000).await;
        let other = Server::start(&db.url, &["--test-clock", "--today", "2026-06-01"]);
        let ent2 = Api::login(&other.base, "ent").await;
        for round in 0..4 {
            let k = w
                .enterprise
                .post_once(
                    "/api/v1/contracts",
                    &contract(&w, &format!("HT-RACE-{round}"), "2026-03-01", 2_000_000),
                )
                .await;
            let k = k.ok()["id"].as_str().unwrap().to_string();
            let (body_a, body_b) = (
                claim(&voucher, &w, &k, 100_000),
                claim(&voucher, &w, &k, 100_000),
            );
            let (a, b) = tokio::join!(
                w.enterprise.post_once("/api/v1/redemptions", &body_a),
                ent2.post_once("/api/v1/redemptions", &body_b),
            );
            let mut statuses = [a.status, b.status];
            statuses.sort();
            assert_eq!(
                statuses,
                [201, 409],
                "round {round}: {} / {}",
                a.body,
                b.body
            );
            let loser = if a.status == 409 { &a } else { &b };
            assert_eq!(loser.body["code"], "contract_claimed");
            let c = w.enterprise.get(&format!("/api/v1/contracts/{k}")).await;
            assert_eq!(c.ok()["claim_count"], 1);
        }
        assert_conserved(&db.url).await;
        drop(other);
        drop(server);
    }
}

/// Liaocheng's rule: all enterprises with the same actual controller share one yearly cap in a
/// program; a clawback gives the group its room back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enterprises_with_one_actual_controller_share_the_group_cap() {
    for backend in backends() {
        let (db, server) = fresh(backend, "group_cap");
        let w = world(&db.url, &server, 100_000_000, 5_000_000).await;
        let program = w
            .admin
            .get(&format!("/api/v1/programs/{}", w.program_id))
            .await;
        let mut policy = program.ok()["policy"].clone();
        policy["group_year_cap_fen"] = json!(300_000);
        w.admin
            .patch(
                &format!("/api/v1/programs/{}", w.program_id),
                &json!({"policy": policy}),
                Some(&uuid::Uuid::new_v4().to_string()),
            )
            .await
            .ok();
        w.admin
            .patch(
                &format!("/api/v1/enterprises/{}", w.enterprise_id),
                &json!({"actual_controller": "孙建国"}),
                None,
            )
            .await
            .ok();
        let b = w.admin.post("/api/v1/enterprises", &json!({"uscc": uscc("370100"), "name": "济南同控关联科技有限公司", "city_code": "370100", "industry": "I", "size_class": "small", "legal_rep": "钱九", "shareholders": ["钱九"], "actual_controller": "孙建国"}), None).await;
        let ent_b = b.ok()["id"].as_str().unwrap().to_string();
        let va = issue_voucher(&w, 1_000_000).await;
        let app = w.admin.post_once("/api/v1/applications", &json!({"program_id": w.program_id, "enterprise_id": ent_b, "amount_fen": 1_000_000, "plan": "同一实控人"})).await;
        let app = app.ok()["id"].as_str().unwrap().to_string();
        w.reviewer
            .post_once(
                &format!("/api/v1/applications/{app}/review"),
                &json!({"decision": "approve"}),
            )
            .await
            .ok();
        let vb = w
            .admin
            .post_once(&format!("/api/v1/applications/{app}/issue"), &json!({}))
            .await;
        let vb = vb.ok()["id"].as_str().unwrap().to_string();
        let invoice_for = |v: &str| json!({"voucher_id": v, "product_id": w.product_id, "invoice_number": invoice(), "invoice_amount_fen": 2_000_000, "invoice_date": "2026-05-20"});
        // A: 30% of ¥20,000 is ¥6,000, capped by the group's ¥3,000.
        let a = w
            .supplier
            .post_once("/api/v1/redemptions", &invoice_for(&va))
            .await;
        assert_eq!(a.ok()["subsidy_fen"], 300_000);
        let before = snapshot(&db.url).await;
        w.supplier
            .post_once("/api/v1/redemptions", &invoice_for(&vb))
            .await
            .err(409, "group_year_cap");
        assert_eq!(snapshot(&db.url).await, before);
        w.admin
            .post_once(
                &format!(
                    "/api/v1/redemptions/{}/clawback",
                    a.body["id"].as_str().unwrap()
                ),
                &json!({"reason": "发票作废"}),
            )
            .await
            .ok();
        let again = w
            .supplier
            .post_once("/api/v1/redemptions", &invoice_for(&vb))
            .await;
        assert_eq!(again.ok()["subsidy_fen"], 300_000);
        assert_conserved(&db.url).await;
        drop(server);
    }
}
