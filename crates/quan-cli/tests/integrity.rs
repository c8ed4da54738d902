//! Integrity checks on every money path (issue 11), against the real `quan serve`, SQLite and
//! PostgreSQL (when DATABASE_URL is set). Each test first reproduces a defect the issue found.
mod common;

use common::*;
use serde_json::json;

fn redeem_body(voucher: &str, product: &str, amount: i64) -> serde_json::Value {
    json!({"voucher_id": voucher, "product_id": product, "invoice_number": invoice(),
           "invoice_amount_fen": amount, "invoice_date": "2026-05-20"})
}

/// The enterprise could PATCH its own legal representative and shareholders and so turn an
/// `affiliated` refusal into a 201. Now the registered file changes only through a change
/// request that an administrator decides; every request stays on record.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registered_file_changes_only_by_approved_request() {
    for backend in backends() {
        let (db, server) = fresh(backend, "change_req");
        let w = world(&db.url, &server, 100_000_000, 5_000_000).await;
        let ent_path = format!("/api/v1/enterprises/{}", w.enterprise_id);
        // The supplier's legal representative 赵六 becomes a shareholder: affiliated.
        w.admin
            .patch(&ent_path, &json!({"shareholders": ["张三", "赵六"]}), None)
            .await
            .ok();
        let voucher = issue_voucher(&w, 1_000_000).await;
        let r = w
            .supplier
            .post_once(
                "/api/v1/redemptions",
                &redeem_body(&voucher, &w.product_id, 100_000),
            )
            .await;
        r.err(409, "affiliated");
        let before = snapshot(&db.url).await;
        // The enterprise tries to edit itself out of the refusal: refused, nothing changes.
        for body in [
            json!({"shareholders": ["张三"]}),
            json!({"legal_rep": "李四"}),
            json!({"size_class": "micro"}),
            json!({"industry": "C"}),
            json!({"city_code": "370200"}),
            json!({"actual_controller": "赵六"}),
        ] {
            let field = body.as_object().unwrap().keys().next().unwrap().clone();
            let e = w.enterprise.patch(&ent_path, &body, None).await;
            assert_eq!(
                e.err(409, "change_request_required")["field"],
                field.as_str()
            );
        }
        assert_eq!(snapshot(&db.url).await, before);
        // The name is still the enterprise's own to correct.
        w.enterprise
            .patch(
                &ent_path,
                &json!({"name": "济南测试智能科技股份有限公司"}),
                None,
            )
            .await
            .ok();
        // A change request: bad input names the field and writes nothing.
        let cr_path = format!("{ent_path}/change-requests");
        w.enterprise
            .post_once(&cr_path, &json!({"shareholders": ["张三"], "evidence": ""}))
            .await
            .err(400, "required");
        w.enterprise
            .post_once(
                &cr_path,
                &json!({"shareholders": ["张三", "赵六"], "evidence": "营业执照变更"}),
            )
            .await
            .err(400, "no_change");
        w.supplier
            .post_once(
                &cr_path,
                &json!({"shareholders": ["张三"], "evidence": "x"}),
            )
            .await
            .err(403, "forbidden");
        let cr = w
            .enterprise
            .post_once(
                &cr_path,
                &json!({"shareholders": ["张三"], "evidence": "股权变更登记 鲁市监 2026-0418"}),
            )
            .await;
        let cr_id = cr.ok()["id"].as_str().unwrap().to_string();
        assert_eq!(cr.body["status"], "pending");
        assert_eq!(cr.body["changes"][0]["field"], "shareholders");
        assert_eq!(cr.body["changes"][0]["before"], "张三、赵六");
        // One open request at a time; the file is unchanged until decided.
        w.enterprise
            .post_once(&cr_path, &json!({"legal_rep": "李四", "evidence": "x"}))
            .await
            .err(409, "change_request_open");
        assert_eq!(
            w.admin.get(&ent_path).await.ok()["shareholders"],
            json!(["张三", "赵六"])
        );
        // Only an administrator decides; a rejection must say why.
        let decide = format!("/api/v1/enterprise-change-requests/{cr_id}/decide");
        w.enterprise
            .post_once(&decide, &json!({"decision": "approve"}))
            .await
            .err(403, "forbidden");
        w.admin
            .post_once(&decide, &json!({"decision": "reject"}))
            .await
            .err(400, "required");
        let done = w
            .admin
            .post_once(&decide, &json!({"decision": "approve", "note": "材料齐全"}))
            .await;
        assert_eq!(done.ok()["status"], "approved");
        w.admin
            .post_once(&decide, &json!({"decision": "reject", "note": "x"}))
            .await
            .err(409, "already_decided");
        assert_eq!(
            w.admin.get(&ent_path).await.ok()["shareholders"],
            json!(["张三"])
        );
        // The replaced version is in the file's history, with the day it was replaced; the
        // enterprise reads its own, a supplier none.
        let history = w.enterprise.get(&format!("{ent_path}/history")).await;
        assert_eq!(history.ok()[0]["shareholders"], json!(["张三", "赵六"]));
        assert_eq!(history.body[0]["superseded_on"], "2026-06-01");
        let versions = history.body.as_array().unwrap().len();
        assert_eq!(history.body[0]["seq"], versions, "newest first");
        w.supplier
            .get(&format!("{ent_path}/history"))
            .await
            .err(404, "not_found");
        // The May invoice is still judged by the files in force since May 20, one of which
        // named 赵六: the change does not undo an affiliation that held at the time.
        let refused = w
            .supplier
            .post_once(
                "/api/v1/redemptions",
                &redeem_body(&voucher, &w.product_id, 100_000),
            )
            .await;
        let msg = refused.err(409, "affiliated")["message"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(msg.contains("until 2026-06-01"), "{msg}");
        // An invoice of the day the approved file holds from goes through.
        let mut body = redeem_body(&voucher, &w.product_id, 100_000);
        body["invoice_date"] = json!("2026-06-01");
        w.supplier
            .post_once("/api/v1/redemptions", &body)
            .await
            .ok();
        // The enterprise sees its own requests; the history is kept.
        let mine = w.enterprise.get("/api/v1/enterprise-change-requests").await;
        assert_eq!(mine.ok()["total"], 1);
        assert!(mine.body["items"][0]["decided_by"].is_string());
        drop(server);
    }
}

/// A supplier flagged dishonest was refused at redemption but still settled; a voucher was
/// issued to an enterprise listed after approval; there was no API to flag a supplier.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dishonesty_list_holds_every_money_path() {
    for backend in backends() {
        let (db, server) = fresh(backend, "dishonest");
        let w = world(&db.url, &server, 100_000_000, 5_000_000).await;
        let voucher = issue_voucher(&w, 1_000_000).await;
        w.supplier
            .post_once(
                "/api/v1/redemptions",
                &redeem_body(&voucher, &w.product_id, 200_000),
            )
            .await
            .ok();
        // Bad entries name the field; only an administrator lists.
        for (body, field, code) in [
            (
                json!({"party_kind": "bank", "party_id": w.supplier_id, "reason": "r", "source": "s"}),
                "party_kind",
                "invalid_party_kind",
            ),
            (
                json!({"party_kind": "supplier", "party_id": "sup_nope", "reason": "r", "source": "s"}),
                "party_id",
                "not_found",
            ),
            (
                json!({"party_kind": "supplier", "party_id": w.supplier_id, "reason": "r", "source": "s", "listed_from": "2026-06-01", "listed_until": "2026-05-01"}),
                "listed_until",
                "before_start",
            ),
            (
                json!({"party_kind": "supplier", "party_id": w.supplier_id, "reason": "", "source": "s"}),
                "reason",
                "required",
            ),
        ] {
            let r = w.admin.post_once("/api/v1/dishonesty-list", &body).await;
            assert_eq!(r.err(400, code)["field"], field, "{body}");
        }
        w.reviewer
            .post_once("/api/v1/dishonesty-list", &json!({"party_kind": "supplier", "party_id": w.supplier_id, "reason": "r", "source": "s"}))
            .await
            .err(403, "forbidden");
        let entry = w
            .admin
            .post_once(
                "/api/v1/dishonesty-list",
                &json!({"party_kind": "supplier", "party_id": w.supplier_id, "reason": "虚开发票", "source": "青岛市税务局稽查通知 2026-117"}),
            )
            .await;
        let entry_id = entry.ok()["id"].as_str().unwrap().to_string();
        assert_eq!(entry.body["in_force"], true);
        assert_eq!(
            w.admin
                .get(&format!("/api/v1/suppliers/{}", w.supplier_id))
                .await
                .ok()["dishonest"],
            true
        );
        // Redemption refused, settlement held (the payable stays), naming the entry.
        let r = w
            .supplier
            .post_once(
                "/api/v1/redemptions",
                &redeem_body(&voucher, &w.product_id, 100_000),
            )
            .await;
        assert!(r.err(409, "dishonest")["message"]
            .as_str()
            .unwrap()
            .contains(&entry_id));
        let st = json!({"supplier_id": w.supplier_id, "period": "2026-05"});
        let held = w.admin.post_once("/api/v1/settlements", &st).await;
        assert!(held.err(409, "payables_held")["message"]
            .as_str()
            .unwrap()
            .contains("600"));
        // An enterprise approved before it is listed gets no voucher.
        let app = w
            .enterprise
            .post_once(
                "/api/v1/applications",
                &json!({"program_id": w.program_id, "amount_fen": 500_000, "plan": "二期"}),
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
        let listed_ent = w
            .admin
            .post_once(
                "/api/v1/dishonesty-list",
                &json!({"party_kind": "enterprise", "party_id": w.enterprise_id, "reason": "骗取补贴", "source": "法院失信被执行人名单"}),
            )
            .await;
        let ent_entry = listed_ent.ok()["id"].as_str().unwrap().to_string();
        w.admin
            .post_once(&format!("/api/v1/applications/{app_id}/issue"), &json!({}))
            .await
            .err(409, "dishonest");
        w.enterprise
            .post_once(
                "/api/v1/applications",
                &json!({"program_id": w.program_id, "amount_fen": 100_000, "plan": "三期"}),
            )
            .await
            .err(409, "dishonest");
        // Lifting (with a reason, once) releases what was held.
        let lift = format!("/api/v1/dishonesty-list/{entry_id}/lift");
        w.admin
            .post_once(&lift, &json!({"reason": ""}))
            .await
            .err(400, "required");
        w.admin
            .post_once(&lift, &json!({"reason": "信用修复完成"}))
            .await
            .ok();
        w.admin
            .post_once(&lift, &json!({"reason": "again"}))
            .await
            .err(409, "already_lifted");
        let paid = w.admin.post_once("/api/v1/settlements", &st).await;
        assert_eq!(paid.ok()["total_fen"], 60_000);
        let list = w.auditor.get("/api/v1/dishonesty-list?in_force=true").await;
        assert_eq!(list.ok()["total"], 1);
        assert_eq!(list.body["items"][0]["id"], ent_entry.as_str());
        // An entry that starts later is not in force yet.
        w.admin
            .post_once(
                "/api/v1/dishonesty-list",
                &json!({"party_kind": "supplier", "party_id": w.supplier_id, "reason": "r", "source": "s", "listed_from": "2026-07-01"}),
            )
            .await
            .ok();
        assert_eq!(
            w.admin
                .get(&format!("/api/v1/suppliers/{}", w.supplier_id))
                .await
                .ok()["dishonest"],
            false
        );
        drop(server);
    }
}

/// Metered usage skipped the affiliation check entirely.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metered_usage_refuses_affiliated_parties() {
    for backend in backends() {
        let (db, server) = fresh(backend, "usage_affil");
        let admin = Api::login(&server.base, "admin").await;
        let src = admin.post_once("/api/v1/funding-sources", &json!({"name": "省级资金", "level": "province", "appropriated_fen": 10_000_000_000i64})).await;
        let src = src.ok()["id"].as_str().unwrap().to_string();
        let prog = admin.post_once("/api/v1/programs", &json!({
            "name": "算力券", "voucher_type": "compute", "year": 2026, "rate_bps": 3000,
            "face_value_cap_fen": 10_000_000, "enterprise_year_cap_fen": 100_000_000,
            "apply_from": "2026-01-01", "apply_until": "2026-12-31", "valid_from": "2026-01-01", "valid_until": "2026-12-31",
            "notice_days": 0, "budget_fen": 1_000_000_000, "funding": [{"source_id": src, "share_bps": 10000}]})).await;
        let prog = prog.ok()["id"].as_str().unwrap().to_string();
        let sup = admin.post("/api/v1/suppliers", &json!({"uscc": uscc("370100"), "name": "济南算力中心", "kind": "compute", "city_code": "370100", "legal_rep": "孙八", "shareholders": ["孙八"]}), None).await;
        let sup = sup.ok()["id"].as_str().unwrap().to_string();
        let prod = admin.post("/api/v1/products", &json!({"supplier_id": sup, "kind": "compute", "name": "A800 集群", "city_code": "370100", "gpu_model": "A800", "price_per_unit_fen": 1200}), None).await;
        let prod = prod.ok()["id"].as_str().unwrap().to_string();
        admin
            .post(
                &format!("/api/v1/programs/{prog}/eligible-products"),
                &json!({"product_id": prod}),
                None,
            )
            .await
            .ok();
        let mut ents = Vec::new();
        for (name, holders) in [
            ("济南无关企业", json!(["周一"])),
            ("济南关联企业", json!(["周二", "孙八"])),
        ] {
            let e = admin.post("/api/v1/enterprises", &json!({"uscc": uscc("370100"), "name": name, "city_code": "370100", "industry": "I", "size_class": "small", "legal_rep": format!("{name}法人"), "shareholders": holders}), None).await;
            let id = e.ok()["id"].as_str().unwrap().to_string();
            let app = admin.post_once("/api/v1/applications", &json!({"program_id": prog, "enterprise_id": id, "amount_fen": 1_000_000, "plan": "训练"})).await;
            let app_id = app.ok()["id"].as_str().unwrap().to_string();
            admin
                .post_once(
                    &format!("/api/v1/applications/{app_id}/review"),
                    &json!({"decision": "approve"}),
                )
                .await
                .ok();
            admin
                .post_once(&format!("/api/v1/applications/{app_id}/issue"), &json!({}))
                .await
                .ok();
            ents.push(id);
        }
        create_user(&db.url, "sup", "supplier", &["--supplier-id", &sup]);
        let supplier = Api::login(&server.base, "sup").await;
        let rec = |id: &str, ent: &str| {
            json!({"record_id": id, "product_id": prod, "enterprise_id": ent,
            "started_at": "2026-05-30T08:00:00Z", "ended_at": "2026-05-30T10:00:00Z", "gpu_seconds": 7200})
        };
        let r = supplier
            .post(
                "/api/v1/usage",
                &json!([rec("u-1", &ents[0]), rec("u-2", &ents[1])]),
                Some("usage-affil-1"),
            )
            .await;
        let results = r.ok()["results"].as_array().unwrap().clone();
        let by = |id: &str| {
            results
                .iter()
                .find(|x| x["record_id"] == id)
                .unwrap()
                .clone()
        };
        // A third enterprise whose actual controller is the supplier's legal representative.
        let e3 = admin.post("/api/v1/enterprises", &json!({"uscc": uscc("370100"), "name": "济南实控关联企业", "city_code": "370100", "industry": "I", "size_class": "small", "legal_rep": "周三", "actual_controller": "孙八"}), None).await;
        let e3 = e3.ok()["id"].as_str().unwrap().to_string();
        let r3 = supplier
            .post(
                "/api/v1/usage",
                &json!([rec("u-ctrl", &e3)]),
                Some("usage-affil-ctrl"),
            )
            .await;
        assert_eq!(r3.ok()["results"][0]["reason"], "affiliated", "{}", r3.body);
        assert_eq!(by("u-1")["status"], "accepted", "{}", r.body);
        assert_eq!(by("u-2")["status"], "rejected");
        assert_eq!(by("u-2")["reason"], "affiliated");
        assert!(by("u-2")["message"].as_str().unwrap().contains("孙八"));
        // The file changes today; usage of May 30 is still judged by the file in force then.
        admin
            .patch(
                &format!("/api/v1/enterprises/{}", ents[1]),
                &json!({"shareholders": ["周二"]}),
                None,
            )
            .await
            .ok();
        let r = supplier
            .post(
                "/api/v1/usage",
                &json!([rec("u-2b", &ents[1])]),
                Some("usage-affil-2b"),
            )
            .await;
        assert_eq!(r.ok()["results"][0]["reason"], "affiliated", "{}", r.body);
        assert!(r.body["results"][0]["message"]
            .as_str()
            .unwrap()
            .contains("until 2026-06-01"));
        // No double subsidy: an invoice for a month already paid as metered usage is refused,
        // and metered usage of a month already claimed by invoice is rejected.
        let v = admin
            .get(&format!("/api/v1/vouchers?enterprise_id={}", ents[0]))
            .await;
        let voucher = v.ok()["items"][0]["id"].as_str().unwrap().to_string();
        let inv = |date: &str| json!({"voucher_id": voucher, "product_id": prod, "invoice_number": invoice(), "invoice_amount_fen": 100_000, "invoice_date": date});
        supplier
            .post_once("/api/v1/redemptions", &inv("2026-05-20"))
            .await
            .err(409, "double_subsidy");
        supplier
            .post_once("/api/v1/redemptions", &inv("2026-04-20"))
            .await
            .ok();
        let april = json!([{"record_id": "u-apr", "product_id": prod, "enterprise_id": ents[0],
            "started_at": "2026-04-25T08:00:00Z", "ended_at": "2026-04-25T10:00:00Z", "gpu_seconds": 7200}]);
        let r = supplier
            .post("/api/v1/usage", &april, Some("usage-affil-apr"))
            .await;
        assert_eq!(r.ok()["results"][0]["reason"], "double_subsidy");
        // A suspended product's usage is rejected.
        admin
            .patch(
                &format!("/api/v1/products/{prod}"),
                &json!({"suspended": true, "suspend_reason": "计量核验"}),
                None,
            )
            .await
            .ok();
        let r = supplier
            .post(
                "/api/v1/usage",
                &json!([rec("u-3", &ents[0])]),
                Some("usage-affil-2"),
            )
            .await;
        assert_eq!(r.ok()["results"][0]["reason"], "product_suspended");
        drop(server);
    }
}

/// A clawback on a still-active voucher put the money back on the voucher, spendable again by
/// the same enterprise. Now it returns to the funding sources; when the supplier was already
/// paid, it owes the subsidy back and its next settlement recovers it first.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clawback_returns_to_the_sources_and_recovers_from_the_supplier() {
    for backend in backends() {
        let (db, server) = fresh(backend, "clawback_src");
        let w = world(&db.url, &server, 100_000_000, 5_000_000).await;
        let voucher = issue_voucher(&w, 1_000_000).await;
        let redeem = |amount: i64, date: &str| {
            json!({"voucher_id": voucher, "product_id": w.product_id, "invoice_number": invoice(),
                   "invoice_amount_fen": amount, "invoice_date": date})
        };
        // 30% of 1,000,000 = 300,000 subsidy; settled in May.
        let r1 = w
            .supplier
            .post_once("/api/v1/redemptions", &redeem(1_000_000, "2026-05-10"))
            .await;
        let r1 = r1.ok()["id"].as_str().unwrap().to_string();
        let may = json!({"supplier_id": w.supplier_id, "period": "2026-05"});
        assert_eq!(
            w.admin.post_once("/api/v1/settlements", &may).await.ok()["paid_fen"],
            300_000
        );
        // An unsettled one, clawed back while the voucher is active: the voucher stays spent.
        let r2 = w
            .supplier
            .post_once("/api/v1/redemptions", &redeem(100_000, "2026-05-31"))
            .await;
        let r2 = r2.ok()["id"].as_str().unwrap().to_string();
        let before = sources_available(&w).await;
        let vpath = format!("/api/v1/vouchers/{voucher}");
        let bal_before = w.enterprise.get(&vpath).await.ok()["balance_fen"]
            .as_i64()
            .unwrap();
        for id in [&r2, &r1] {
            w.admin
                .post_once(
                    &format!("/api/v1/redemptions/{id}/clawback"),
                    &json!({"reason": "合同与发票不符"}),
                )
                .await
                .ok();
        }
        let after = sources_available(&w).await;
        assert_eq!(
            (after[0] - before[0], after[1] - before[1]),
            (231_000, 99_000),
            "330,000 back to the sources 70/30"
        );
        let v = w.enterprise.get(&vpath).await;
        assert_eq!(
            v.ok()["balance_fen"].as_i64().unwrap(),
            bal_before,
            "not spendable again"
        );
        assert_eq!(v.body["reversed_fen"], 330_000);
        // June: the supplier earns 60,000 more; the run keeps it all against the 300,000 owed.
        w.admin
            .post("/api/v1/admin/clock", &json!({"today": "2026-07-02"}), None)
            .await
            .ok();
        w.supplier
            .post_once("/api/v1/redemptions", &redeem(200_000, "2026-06-15"))
            .await
            .ok();
        let june = w
            .admin
            .post_once(
                "/api/v1/settlements",
                &json!({"supplier_id": w.supplier_id, "period": "2026-06"}),
            )
            .await;
        assert_eq!(june.ok()["total_fen"], 60_000);
        assert_eq!(june.body["receivable_offset_fen"], 60_000);
        assert_eq!(june.body["paid_fen"], 0);
        // The supplier's statement says what was kept and what was paid.
        let csv = w
            .supplier
            .get(&format!(
                "/api/v1/settlements/{}/statement.csv",
                june.body["id"].as_str().unwrap()
            ))
            .await;
        let text = csv.body.as_str().expect("csv text");
        assert!(
            text.contains("抵扣应收") && text.contains("-600.00") && text.contains(",实付,"),
            "{text}"
        );
        assert_conserved(&db.url).await;
        drop(server);
    }
}

/// A source's (available, appropriated).
async fn source_figures(admin: &Api, source: &str) -> (i64, i64) {
    let r = admin.get("/api/v1/funding-sources").await;
    let items = r.ok()["items"].as_array().unwrap().clone();
    let s = items.iter().find(|s| s["id"] == source).unwrap();
    (
        s["available_fen"].as_i64().unwrap(),
        s["appropriated_fen"].as_i64().unwrap(),
    )
}

/// A program that ended with money unspent could not be closed, so the money was stuck; a
/// funding source could not be topped up. Both now exist, and retries have one effect — also
/// from two servers on one database.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn close_program_and_top_up_have_one_effect() {
    for backend in backends() {
        let (db, server) = fresh(backend, "close_prog");
        let w = world(&db.url, &server, 100_000_000, 5_000_000).await;
        let voucher = issue_voucher(&w, 1_000_000).await;
        let close = format!("/api/v1/programs/{}/close", w.program_id);
        let reason = json!({"reason": "2026 年度计划执行完毕"});
        // Not while a voucher is active or an application is open; not without a reason.
        w.admin
            .post_once(&close, &json!({"reason": ""}))
            .await
            .err(400, "required");
        w.admin
            .post_once(&close, &reason)
            .await
            .err(409, "program_has_active_vouchers");
        w.reviewer
            .post_once(&close, &reason)
            .await
            .err(403, "forbidden");
        w.admin
            .post("/api/v1/admin/clock", &json!({"today": "2027-01-02"}), None)
            .await
            .ok();
        w.admin
            .post_once(&format!("/api/v1/vouchers/{voucher}/expire"), &json!({}))
            .await
            .ok();
        let before = sources_available(&w).await;
        // Two servers, two different keys, at once: one closes, the other is told it is closed.
        let other = if backend == Backend::Postgres {
            Some(Server::start(
                &db.url,
                &["--test-clock", "--today", "2027-01-02"],
            ))
        } else {
            None
        };
        let admin2 = match &other {
            Some(s) => Api::login(&s.base, "admin").await,
            None => w.admin.clone(),
        };
        let (a, b) = tokio::join!(
            w.admin.post_once(&close, &reason),
            admin2.post_once(&close, &reason)
        );
        let mut statuses = [a.status, b.status];
        statuses.sort();
        assert_eq!(statuses, [200, 409], "{a:?} {b:?}");
        let closed = if a.status == 200 { &a } else { &b };
        assert_eq!(closed.body["released_fen"], 99_000_000);
        assert!(closed.body["closed_at"].is_string());
        let after = sources_available(&w).await;
        assert_eq!(
            (after[0] - before[0], after[1] - before[1]),
            (69_300_000, 29_700_000),
            "the unspent 99,000,000 back 70/30, once"
        );
        // A closed program takes no applications.
        w.enterprise
            .post_once(
                "/api/v1/applications",
                &json!({"program_id": w.program_id, "amount_fen": 100_000, "plan": "x"}),
            )
            .await
            .err(409, "program_closed");

        // Top-up: bad input writes nothing; the same key twice (at once) has one effect.
        let top = format!("/api/v1/funding-sources/{}/top-ups", w.sources[1]);
        let snap = snapshot(&db.url).await;
        w.admin
            .post_once(&top, &json!({"amount_fen": 0, "document": "x"}))
            .await
            .err(400, "amount_not_positive");
        w.admin
            .post_once(&top, &json!({"amount_fen": 100, "document": ""}))
            .await
            .err(400, "required");
        w.admin
            .post_once(
                "/api/v1/funding-sources/src_nope/top-ups",
                &json!({"amount_fen": 100, "document": "x"}),
            )
            .await
            .err(404, "not_found");
        assert_eq!(snapshot(&db.url).await, snap);
        let (before_avail, before_appr) = source_figures(&w.admin, &w.sources[1]).await;
        let body = json!({"amount_fen": 50_000_000, "document": "济财预〔2027〕3号"});
        let (x, y) = tokio::join!(
            w.admin.post(&top, &body, Some("topup-key-1")),
            admin2.post(&top, &body, Some("topup-key-1"))
        );
        assert_eq!((x.status, y.status), (201, 201), "{x:?} {y:?}");
        let (avail, appr) = source_figures(&w.admin, &w.sources[1]).await;
        assert_eq!(
            (avail - before_avail, appr - before_appr),
            (50_000_000, 50_000_000)
        );
        let list = w.auditor.get(&top).await;
        assert_eq!(list.ok()["total"], 1);
        assert_eq!(list.body["items"][0]["document"], "济财预〔2027〕3号");
        assert_conserved(&db.url).await;
        drop(other);
        drop(server);
    }
}

/// A program could not write a pilot-zone bonus, a per-supplier cap or a minimum invoice, and
/// five ¥999 invoices on one day from one enterprise to one supplier were all paid. Now these
/// are the program's data; the split purchase is held, listed in the held-payments queue, not
/// settled until released (or clawed back).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn program_policy_and_split_purchases() {
    for backend in backends() {
        let (db, server) = fresh(backend, "policy");
        let w = world(&db.url, &server, 100_000_000, 5_000_000).await;
        let prog = format!("/api/v1/programs/{}", w.program_id);
        // Bad policies name the field and change nothing.
        for (policy, field, code) in [
            (
                json!({"pilot_bonus_bps": 8000}),
                "policy.pilot_bonus_bps",
                "rate_over_100",
            ),
            (
                json!({"split_window_days": 7}),
                "policy.split_threshold_fen",
                "required",
            ),
            (
                json!({"supplier_cap_fen": -5}),
                "policy.supplier_cap_fen",
                "amount_not_positive",
            ),
            (
                json!({"min_invoice_fen": 1, "bogus": 1}),
                "policy",
                "unknown_field",
            ),
        ] {
            let r = w
                .admin
                .patch(
                    &prog,
                    &json!({"policy": policy}),
                    Some(&uuid::Uuid::new_v4().to_string()),
                )
                .await;
            assert_eq!(r.status, 400, "{policy}: {:?}", r.body);
            if code != "unknown_field" {
                assert_eq!(
                    (
                        r.body["field"].as_str().unwrap(),
                        r.body["code"].as_str().unwrap()
                    ),
                    (field, code)
                );
            }
        }
        let p = w
            .admin
            .patch(
                &prog,
                &json!({"policy": {"pilot_bonus_bps": 1000, "supplier_cap_fen": 200_000, "min_invoice_fen": 50_000,
                                   "split_window_days": 1, "split_threshold_fen": 400_000}}),
                Some("policy-1"),
            )
            .await;
        assert_eq!(p.ok()["policy"]["supplier_cap_fen"], 200_000);
        let voucher = issue_voucher(&w, 5_000_000).await;
        let redeem = |amount: i64, date: &str| {
            json!({"voucher_id": voucher, "product_id": w.product_id, "invoice_number": invoice(),
                   "invoice_amount_fen": amount, "invoice_date": date})
        };
        w.supplier
            .post_once("/api/v1/redemptions", &redeem(49_999, "2026-05-01"))
            .await
            .err(400, "below_min_invoice");
        // Five ¥999 invoices on one day: the fifth reaches ¥4,000 with the four before it.
        let mut ids = Vec::new();
        for _ in 0..5 {
            let r = w
                .supplier
                .post_once("/api/v1/redemptions", &redeem(99_900, "2026-05-02"))
                .await;
            ids.push((
                r.ok()["id"].as_str().unwrap().to_string(),
                r.body["status"].as_str().unwrap().to_string(),
            ));
        }
        let statuses: Vec<&str> = ids.iter().map(|(_, s)| s.as_str()).collect();
        assert_eq!(
            statuses,
            ["payable", "payable", "payable", "payable", "held"]
        );
        let held_id = ids[4].0.clone();
        // The reason is data the web can say in Chinese: the rule's code and its figures.
        let held = w.admin.get(&format!("/api/v1/redemptions/{held_id}")).await;
        assert_eq!(
            held.ok()["hold"],
            json!({"code": "split_purchase", "earlier_count": 4, "earlier_fen": 4 * 99_900,
                   "window_days": 1, "threshold_fen": 400_000})
        );
        assert!(held.body["release_note"].is_null());
        let queue = w.auditor.get("/api/v1/held-payments").await;
        assert_eq!(queue.ok()[0]["reason"], "split_purchase");
        assert_eq!(queue.body[0]["amount_fen"], 29_970);
        // May's settlement pays the four, not the held one.
        let may = w
            .admin
            .post_once(
                "/api/v1/settlements",
                &json!({"supplier_id": w.supplier_id, "period": "2026-05"}),
            )
            .await;
        assert_eq!(
            (
                may.ok()["item_count"].as_i64(),
                may.body["total_fen"].as_i64()
            ),
            (Some(4), Some(4 * 29_970))
        );
        // Release it (with a reason, once); June pays it.
        let rel = format!("/api/v1/redemptions/{held_id}/release");
        w.admin
            .post_once(&rel, &json!({"reason": ""}))
            .await
            .err(400, "required");
        let released = w
            .admin
            .post_once(&rel, &json!({"reason": "经核查为正常分批采购"}))
            .await;
        assert_eq!(released.ok()["status"], "payable");
        assert_eq!(released.body["release_note"], "经核查为正常分批采购");
        assert_eq!(released.body["hold"]["code"], "split_purchase");
        w.admin
            .post_once(&rel, &json!({"reason": "again"}))
            .await
            .err(409, "invalid_state");
        w.admin
            .post("/api/v1/admin/clock", &json!({"today": "2026-07-01"}), None)
            .await
            .ok();
        // Supplier cap ¥2,000: 5 × 299.70 = 1,498.50 paid so far; a big invoice gets only the rest.
        let big = w
            .supplier
            .post_once("/api/v1/redemptions", &redeem(10_000_000, "2026-06-10"))
            .await;
        assert_eq!(big.ok()["subsidy_fen"], 200_000 - 5 * 29_970);
        w.supplier
            .post_once("/api/v1/redemptions", &redeem(1_000_000, "2026-06-11"))
            .await
            .err(409, "supplier_cap");
        let june = w
            .admin
            .post_once(
                "/api/v1/settlements",
                &json!({"supplier_id": w.supplier_id, "period": "2026-06"}),
            )
            .await;
        assert_eq!(june.ok()["total_fen"], 29_970 + 200_000 - 5 * 29_970);
        assert_eq!(
            w.auditor
                .get("/api/v1/held-payments")
                .await
                .ok()
                .as_array()
                .unwrap()
                .len(),
            0
        );
        assert_conserved(&db.url).await;
        drop(server);
    }
}

/// The pilot-zone bonus: an enterprise in a pilot zone gets the program's rate plus the bonus.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pilot_zone_enterprises_get_the_bonus_rate() {
    let (db, server) = fresh(Backend::Sqlite, "pilot");
    let w = world(&db.url, &server, 100_000_000, 5_000_000).await;
    w.admin
        .patch(
            &format!("/api/v1/programs/{}", w.program_id),
            &json!({"policy": {"pilot_bonus_bps": 1000}}),
            Some("pilot-1"),
        )
        .await
        .ok();
    let voucher = issue_voucher(&w, 1_000_000).await;
    let body = |n: i64| json!({"voucher_id": voucher, "product_id": w.product_id, "invoice_number": invoice(), "invoice_amount_fen": n, "invoice_date": "2026-05-03"});
    assert_eq!(
        w.supplier
            .post_once("/api/v1/redemptions", &body(100_000))
            .await
            .ok()["subsidy_fen"],
        30_000
    );
    w.admin
        .patch(
            &format!("/api/v1/enterprises/{}", w.enterprise_id),
            &json!({"pilot_zone": true}),
            None,
        )
        .await
        .ok();
    assert_eq!(
        w.supplier
            .post_once("/api/v1/redemptions", &body(100_000))
            .await
            .ok()["subsidy_fen"],
        40_000
    );
    drop(db);
}

/// Suppliers and products could not be edited or suspended. Now an administrator can; a
/// suspended product (or supplier) is paid nothing new, by invoice or by metered usage.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn suspended_suppliers_and_products_are_not_paid() {
    for backend in backends() {
        let (db, server) = fresh(backend, "suspend");
        let w = world(&db.url, &server, 100_000_000, 5_000_000).await;
        let voucher = issue_voucher(&w, 1_000_000).await;
        let prod = format!("/api/v1/products/{}", w.product_id);
        let sup = format!("/api/v1/suppliers/{}", w.supplier_id);
        let redeem = || json!({"voucher_id": voucher, "product_id": w.product_id, "invoice_number": invoice(), "invoice_amount_fen": 100_000, "invoice_date": "2026-05-20"});
        // The supplier corrects its product's name; price and suspension are not its to set.
        assert_eq!(
            w.supplier
                .patch(&prod, &json!({"name": "测试大模型 V2"}), None)
                .await
                .ok()["name"],
            "测试大模型 V2"
        );
        w.supplier
            .patch(
                &prod,
                &json!({"suspended": true, "suspend_reason": "x"}),
                None,
            )
            .await
            .err(403, "forbidden");
        w.supplier
            .patch(&sup, &json!({"legal_rep": "新法人"}), None)
            .await
            .err(403, "forbidden");
        w.admin
            .patch(&prod, &json!({"price_per_unit_fen": 100}), None)
            .await
            .err(400, "not_metered");
        // Suspending needs a reason; then redemptions are refused, naming it.
        w.admin
            .patch(&prod, &json!({"suspended": true}), None)
            .await
            .err(400, "required");
        let p = w
            .admin
            .patch(
                &prod,
                &json!({"suspended": true, "suspend_reason": "评测报告复核中"}),
                None,
            )
            .await;
        assert_eq!(p.ok()["suspended"], true);
        let r = w.supplier.post_once("/api/v1/redemptions", &redeem()).await;
        assert!(r.err(409, "product_suspended")["message"]
            .as_str()
            .unwrap()
            .contains("评测报告复核中"));
        w.admin
            .patch(&prod, &json!({"suspended": false}), None)
            .await
            .ok();
        w.supplier
            .post_once("/api/v1/redemptions", &redeem())
            .await
            .ok();
        // A suspended supplier: every product of it shows suspended and is refused.
        let s = w.admin.patch(&sup, &json!({"suspended": true, "suspend_reason": "资质到期", "name": "青岛测试模型股份有限公司"}), None).await;
        assert_eq!(
            (s.ok()["suspended"].as_bool(), s.body["name"].as_str()),
            (Some(true), Some("青岛测试模型股份有限公司"))
        );
        assert_eq!(w.admin.get(&prod).await.ok()["suspended"], true);
        w.supplier
            .post_once("/api/v1/redemptions", &redeem())
            .await
            .err(409, "product_suspended");
        // What was payable is still settled.
        let st = w
            .admin
            .post_once(
                "/api/v1/settlements",
                &json!({"supplier_id": w.supplier_id, "period": "2026-05"}),
            )
            .await;
        assert_eq!(st.ok()["total_fen"], 30_000);
        drop(server);
    }
}

/// A city's co-funding share was charged for enterprises of any city. Now a city or county fund
/// pays only for enterprises in its area; the province takes over its share elsewhere.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn city_funds_pay_only_for_their_own_enterprises() {
    for backend in backends() {
        let (db, server) = fresh(backend, "region");
        let w = world(&db.url, &server, 100_000_000, 5_000_000).await;
        let qd = w.admin.post("/api/v1/enterprises", &json!({"uscc": uscc("370200"), "name": "青岛测试海洋科技有限公司", "city_code": "370200", "industry": "I", "size_class": "small", "legal_rep": "吴九"}), None).await;
        let qd = qd.ok()["id"].as_str().unwrap().to_string();
        let budget = format!("/api/v1/programs/{}/budget", w.program_id);
        let reserved = |b: &serde_json::Value| -> Vec<i64> {
            b["sources"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["reserved_fen"].as_i64().unwrap())
                .collect()
        };
        for (ent, expect) in [
            (&w.enterprise_id, vec![700_000, 300_000]),
            (&qd, vec![1_700_000, 300_000]),
        ] {
            let app = w.admin.post_once("/api/v1/applications", &json!({"program_id": w.program_id, "enterprise_id": ent, "amount_fen": 1_000_000, "plan": "区域配套测试"})).await;
            let id = app.ok()["id"].as_str().unwrap().to_string();
            w.reviewer
                .post_once(
                    &format!("/api/v1/applications/{id}/review"),
                    &json!({"decision": "approve"}),
                )
                .await
                .ok();
            // Jinan enterprise: 70/30. Qingdao enterprise: all from the province.
            assert_eq!(reserved(w.admin.get(&budget).await.ok()), expect);
        }
        assert_conserved(&db.url).await;
        drop(server);
    }
}

/// A change request that makes the enterprise and the supplier affiliated, approved on one
/// server while the supplier redeems on another: no redemption is accepted after the approval
/// (by the audit chain's order), and none fails for anything but the affiliation.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_approved_while_redeeming_on_another_server() {
    for backend in backends() {
        let (db, server) = fresh(backend, "change_race");
        let w = world(&db.url, &server, 100_000_000, 5_000_000).await;
        let voucher = issue_voucher(&w, 5_000_000).await;
        let other = Server::start(&db.url, &["--test-clock", "--today", "2026-06-01"]);
        let supplier2 = Api::login(&other.base, "sup").await;
        let cr_path = format!("/api/v1/enterprises/{}/change-requests", w.enterprise_id);
        let body = |amount| {
            let mut b = redeem_body(&voucher, &w.product_id, amount);
            b["invoice_date"] = json!("2026-06-01");
            b
        };
        for round in 0..4 {
            // Affiliate (赵六 is the supplier's legal representative) ...
            let cr = w
                .enterprise
                .post_once(&cr_path, &json!({"shareholders": ["张三", "赵六"], "evidence": format!("股权变更 {round}")}))
                .await;
            let cr_id = cr.ok()["id"].as_str().unwrap().to_string();
            let decide = format!("/api/v1/enterprise-change-requests/{cr_id}/decide");
            let redeem = async {
                let mut out = Vec::new();
                for _ in 0..4 {
                    out.push(
                        supplier2
                            .post_once("/api/v1/redemptions", &body(10_000))
                            .await,
                    );
                }
                out
            };
            let approve = json!({"decision": "approve", "note": "核实"});
            let (approved, redeemed) = tokio::join!(w.admin.post_once(&decide, &approve), redeem);
            approved.ok();
            let seq_of = |action: &'static str, object: String| {
                let url = db.url.clone();
                async move {
                    sqlx::any::install_default_drivers();
                    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&url)
                        .await
                        .unwrap();
                    let row =
                        sqlx::query("SELECT seq FROM audit_log WHERE action = $1 AND object = $2")
                            .bind(action)
                            .bind(object)
                            .fetch_one(&mut conn)
                            .await
                            .unwrap();
                    sqlx::Row::get::<i64, _>(&row, 0)
                }
            };
            let approval = seq_of("enterprise_change.decide", cr_id.clone()).await;
            for r in &redeemed {
                match r.status {
                    201 => {
                        let id = r.body["id"].as_str().unwrap().to_string();
                        let at = seq_of("redemption.create", id).await;
                        assert!(
                            at < approval,
                            "round {round}: redemption {at} accepted after the approval {approval}"
                        );
                    }
                    _ => assert_eq!(r.err(409, "affiliated")["code"], "affiliated"),
                }
            }
            // ... and back, for the next round.
            let cr = w
                .enterprise
                .post_once(
                    &cr_path,
                    &json!({"shareholders": ["张三"], "evidence": format!("股权转回 {round}")}),
                )
                .await;
            let back = cr.ok()["id"].as_str().unwrap().to_string();
            w.admin
                .post_once(
                    &format!("/api/v1/enterprise-change-requests/{back}/decide"),
                    &json!({"decision": "approve"}),
                )
                .await
                .ok();
        }
        assert_conserved(&db.url).await;
        drop(other);
        drop(server);
    }
}
