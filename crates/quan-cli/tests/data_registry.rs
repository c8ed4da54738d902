//! Data resource registration and the data authorization hub (issue 12), against the real
//! `quan serve`, SQLite and PostgreSQL (when DATABASE_URL is set): the whole workflow to a
//! certificate verified in public and in the audit chain; a change and a cancellation that
//! suspends the corpus listed under it; a corpus refused without a valid registration;
//! authorizations never wider or longer than their parents; consents revoked on one server and
//! refused at once by the check on another.
mod common;

use common::*;
use serde_json::{json, Value};

fn holder(kind: &str, id: Option<&str>, name: &str) -> Value {
    json!({"party_kind": kind, "party_id": id, "name": name})
}

fn registration(holding: Value, operation: Value) -> Value {
    json!({
        "resource_name": "黄河流域水文观测语料", "description": "2015—2025 年黄河山东段水文站逐时观测，已脱敏。",
        "category": "水利气象", "grade": "general", "source": "省水文中心观测站网", "update_cycle": "daily",
        "record_count": 1_200_000, "size_bytes": 8_000_000_000i64, "format": "Parquet",
        "security_measures": "分级访问控制，传输加密，操作留痕", "usage_permissions": "仅限模型训练与评测，不得再分发",
        "holding": holding.clone(), "processing": holding, "operation": operation
    })
}

async fn set_day(admin: &Api, day: &str) {
    admin
        .post("/api/v1/admin/clock", &json!({ "today": day }), None)
        .await
        .ok();
}

/// Runs an application through accept, pass, the notice and registration; returns the code.
async fn register_fully(
    admin: &Api,
    reviewer: &Api,
    id: &str,
    today: &str,
    after_notice: &str,
) -> String {
    for step in ["accept", "pass"] {
        let r = reviewer
            .post(
                &format!("/api/v1/data-registrations/{id}/{step}"),
                &json!({}),
                None,
            )
            .await;
        r.ok();
    }
    set_day(admin, after_notice).await;
    let r = reviewer
        .post(
            &format!("/api/v1/data-registrations/{id}/register"),
            &json!({}),
            None,
        )
        .await;
    let code = r.ok()["code"].as_str().unwrap().to_string();
    set_day(admin, today).await;
    code
}

async fn count(api: &Api, path: &str) -> i64 {
    api.get(path).await.ok()["total"].as_i64().unwrap()
}

#[tokio::test]
async fn registration_to_certificate_change_and_cancellation() {
    for backend in backends() {
        let (db, server) = fresh(backend, "data_reg");
        let w = world(&db.url, &server, 100_000_000, 5_000_000).await;
        let admin = &w.admin;
        let s = admin.post("/api/v1/suppliers", &json!({"uscc": uscc("370300"), "name": "淄博语料数据有限公司", "kind": "corpus", "city_code": "370300", "legal_rep": "钱七", "shareholders": ["钱七"]}), None).await;
        let sup = s.ok()["id"].as_str().unwrap().to_string();
        let p = admin
            .post(
                "/api/v1/products",
                &json!({"supplier_id": sup, "kind": "corpus", "name": "黄河水文语料"}),
                None,
            )
            .await;
        let product = p.ok()["id"].as_str().unwrap().to_string();
        create_user(&db.url, "csup", "supplier", &["--supplier-id", &sup]);
        let csup = Api::login(&server.base, "csup").await;
        let me = holder("supplier", Some(&sup), "淄博语料数据有限公司");

        // Bad input: nothing is written.
        let not_mine = registration(holder("supplier", Some(&w.supplier_id), "别人"), me.clone());
        csup.post("/api/v1/data-registrations", &not_mine, None)
            .await
            .err(400, "not_holder");
        let mut bad = registration(me.clone(), me.clone());
        bad["grade"] = json!("secret");
        let e = csup.post("/api/v1/data-registrations", &bad, None).await;
        assert_eq!(e.err(400, "invalid_choice")["field"], "grade");
        bad = registration(me.clone(), me.clone());
        bad["record_count"] = json!(-1);
        assert_eq!(
            csup.post("/api/v1/data-registrations", &bad, None)
                .await
                .err(400, "out_of_range")["field"],
            "record_count"
        );
        assert_eq!(count(&csup, "/api/v1/data-registrations").await, 0);

        // Apply → returned with a reason → resubmitted → accepted → passed → notice.
        let r = csup
            .post_once(
                "/api/v1/data-registrations",
                &registration(me.clone(), me.clone()),
            )
            .await;
        let id = r.ok()["id"].as_str().unwrap().to_string();
        assert_eq!(r.body["status"], "submitted");
        w.enterprise
            .get(&format!("/api/v1/data-registrations/{id}"))
            .await
            .err(404, "not_found");
        w.supplier
            .post(
                &format!("/api/v1/data-registrations/{id}/accept"),
                &json!({}),
                None,
            )
            .await
            .err(403, "forbidden");
        csup.post(
            &format!("/api/v1/data-registrations/{id}/accept"),
            &json!({}),
            None,
        )
        .await
        .err(403, "forbidden");
        let r = w
            .reviewer
            .post(
                &format!("/api/v1/data-registrations/{id}/return"),
                &json!({"reason": "安全措施描述不完整"}),
                None,
            )
            .await;
        assert_eq!(r.ok()["status"], "returned");
        assert_eq!(r.body["last_reason"], "安全措施描述不完整");
        let mut fixed = registration(me.clone(), me.clone());
        fixed["security_measures"] = json!("分级访问控制、传输加密、操作留痕、年度安全评估");
        let r = csup
            .post(
                &format!("/api/v1/data-registrations/{id}/resubmit"),
                &fixed,
                None,
            )
            .await;
        assert_eq!(r.ok()["status"], "submitted");
        w.reviewer
            .post(
                &format!("/api/v1/data-registrations/{id}/pass"),
                &json!({}),
                None,
            )
            .await
            .err(409, "invalid_state");
        w.reviewer
            .post(
                &format!("/api/v1/data-registrations/{id}/accept"),
                &json!({}),
                None,
            )
            .await
            .ok();
        let r = w
            .reviewer
            .post(
                &format!("/api/v1/data-registrations/{id}/pass"),
                &json!({}),
                None,
            )
            .await;
        assert_eq!(r.ok()["status"], "in_notice");
        assert_eq!(r.body["notice_ends"], "2026-06-11");
        w.reviewer
            .post(
                &format!("/api/v1/data-registrations/{id}/register"),
                &json!({}),
                None,
            )
            .await
            .err(409, "notice_running");
        let o = w
            .enterprise
            .post(
                &format!("/api/v1/data-registrations/{id}/objections"),
                &json!({"reason": "数据来源存疑"}),
                None,
            )
            .await;
        let objection = o.ok()["id"].as_str().unwrap().to_string();
        set_day(admin, "2026-06-11").await;
        w.reviewer
            .post(
                &format!("/api/v1/data-registrations/{id}/register"),
                &json!({}),
                None,
            )
            .await
            .err(409, "open_objections");
        w.reviewer
            .post(
                &format!("/api/v1/data-registration-objections/{objection}/resolve"),
                &json!({"uphold": false, "note": "来源材料齐全"}),
                None,
            )
            .await
            .ok();
        let r = w
            .reviewer
            .post(
                &format!("/api/v1/data-registrations/{id}/register"),
                &json!({}),
                None,
            )
            .await;
        let code = r.ok()["code"].as_str().unwrap().to_string();
        assert_eq!(code, "SD-DR-2026-000001");
        assert_eq!(r.body["valid_until"], "2029-06-10");
        assert_eq!(r.body["standing"], "valid");
        assert!(
            r.body["events"].as_array().unwrap().len() >= 6,
            "{}",
            r.body
        );

        // Public verification and the digest in the audit chain.
        let anon = Api::new(&server.base);
        let v = anon
            .get(&format!("/api/v1/public/registrations/{code}"))
            .await;
        assert_eq!(v.ok()["standing"], "valid");
        assert_eq!(v.body["digest_matches"], true);
        assert_eq!(
            v.body["certificate"]["rights"]["operation"]["party_id"],
            sup.as_str()
        );
        let digest = v.body["recorded_digest"].as_str().unwrap().to_string();
        let audit = admin
            .get(&format!(
                "/api/v1/audit?object={id}&action=data_registration.register"
            ))
            .await;
        assert!(audit.ok().to_string().contains(&digest), "{}", audit.body);
        anon.get("/api/v1/public/registrations/SD-DR-2026-999999")
            .await
            .err(404, "not_found");

        // A corpus enters a round only with a valid registration its supplier operates.
        set_day(admin, "2026-07-01").await;
        let round = admin.post_once("/api/v1/selection-rounds", &json!({
            "name": "2026年度语料遴选第一批", "kind": "corpus", "year": 2026, "cap": 10, "call_from": "2026-07-01", "call_until": "2026-07-31",
            "notice_days": 0, "registration_required": true, "pass_mark": 0, "criteria": [{"key": "quality", "name": "质量", "weight": 100}]
        })).await;
        let round = round.ok()["id"].as_str().unwrap().to_string();
        let entries = format!("/api/v1/selection-rounds/{round}/entries");
        let entry = |reg: &str| json!({"product_id": product, "record_count": 1_200_000, "registration_ref": reg});
        let e = csup.post(&entries, &entry("SD-DR-2026-999999"), None).await;
        assert_eq!(
            e.err(400, "data_registration_unknown")["field"],
            "registration_ref"
        );
        csup.post(&entries, &entry(""), None)
            .await
            .err(400, "required");
        assert_eq!(count(&csup, &entries).await, 0);
        csup.post(&entries, &entry(&code), None).await.ok();
        let prod = admin.get(&format!("/api/v1/products/{product}")).await;
        assert_eq!(prod.ok()["data_registration_code"], code.as_str());

        // A change supersedes the original and carries the listing to the new code.
        let mut change = registration(me.clone(), me.clone());
        change["kind"] = json!("change");
        change["original_code"] = json!(code);
        change["reason"] = json!("记录数更新");
        change["record_count"] = json!(1_500_000);
        let c = csup.post_once("/api/v1/data-registrations", &change).await;
        let cid = c.ok()["id"].as_str().unwrap().to_string();
        let new_code = register_fully(admin, &w.reviewer, &cid, "2026-07-01", "2026-07-11").await;
        assert_ne!(new_code, code);
        let v = anon
            .get(&format!("/api/v1/public/registrations/{code}"))
            .await;
        assert_eq!(v.ok()["standing"], "changed");
        assert_eq!(v.body["successor_code"], new_code.as_str());
        let v = anon
            .get(&format!("/api/v1/public/registrations/{new_code}"))
            .await;
        assert_eq!(
            v.ok()["certificate"]["valid_until"],
            "2029-06-10",
            "a change keeps the original's validity"
        );
        let prod = admin.get(&format!("/api/v1/products/{product}")).await;
        assert_eq!(prod.ok()["data_registration_code"], new_code.as_str());
        // The superseded code cannot be amended again.
        let mut again = change.clone();
        again["original_code"] = json!(code);
        csup.post("/api/v1/data-registrations", &again, None)
            .await
            .err(409, "original_not_valid");

        // A cancellation takes effect without a notice and suspends the listing.
        let mut cancel = registration(me.clone(), me.clone());
        cancel["kind"] = json!("cancellation");
        cancel["original_code"] = json!(new_code);
        cancel["reason"] = json!("停止经营该语料");
        let k = csup.post_once("/api/v1/data-registrations", &cancel).await;
        let kid = k.ok()["id"].as_str().unwrap().to_string();
        w.reviewer
            .post(
                &format!("/api/v1/data-registrations/{kid}/accept"),
                &json!({}),
                None,
            )
            .await
            .ok();
        let r = w
            .reviewer
            .post(
                &format!("/api/v1/data-registrations/{kid}/pass"),
                &json!({}),
                None,
            )
            .await;
        assert_eq!(r.ok()["status"], "registered");
        let v = anon
            .get(&format!("/api/v1/public/registrations/{new_code}"))
            .await;
        assert_eq!(v.ok()["standing"], "cancelled");
        let prod = admin.get(&format!("/api/v1/products/{product}")).await;
        assert_eq!(prod.ok()["suspended"], true);
        assert!(prod.body["suspend_reason"]
            .as_str()
            .unwrap()
            .contains(&new_code));
        // A cancelled certificate no longer lists a corpus.
        let mut other_round = entry(&new_code);
        other_round["product_id"] = json!(product);
        let e = csup.post(&entries, &other_round, None).await;
        assert!(e.status == 409 || e.status == 400, "{e:?}");

        // The public registry shows registered ones only.
        let public = anon.get("/api/v1/public/registrations").await;
        assert_eq!(public.ok()["total"], 2, "{}", public.body);
        assert_conserved(&db.url).await;
    }
}

#[tokio::test]
async fn authorizations_nest_and_consents_revoke_across_servers() {
    for backend in backends() {
        let (db, server) = fresh(backend, "data_hub");
        let w = world(&db.url, &server, 100_000_000, 5_000_000).await;
        let admin = &w.admin;
        let op = w.enterprise_id.clone();
        let body = registration(
            holder("public_body", None, "山东省水利厅"),
            holder("enterprise", Some(&op), "济南测试智能科技有限公司"),
        );
        let r = admin.post_once("/api/v1/data-registrations", &body).await;
        let rid = r.ok()["id"].as_str().unwrap().to_string();
        let code = register_fully(admin, &w.reviewer, &rid, "2026-06-01", "2026-06-11").await;

        let auth = |level: &str, parent: Option<&str>, fields: &[&str], from: &str, until: &str| {
            json!({"level": level, "parent_id": parent, "name": format!("{level} 授权"), "authority": "山东省大数据局",
                   "operator_id": op, "purpose": "水文数据产品开发", "fields": fields, "resources": [code],
                   "recipients": ["下游模型厂商"], "valid_from": from, "valid_until": until})
        };
        let too_long = admin
            .post(
                "/api/v1/data-authorizations",
                &auth(
                    "overall",
                    None,
                    &["a", "b", "c"],
                    "2026-06-01",
                    "2031-06-01",
                ),
                None,
            )
            .await;
        assert_eq!(too_long.err(400, "too_long")["field"], "valid_until");
        let o = admin
            .post_once(
                "/api/v1/data-authorizations",
                &auth(
                    "overall",
                    None,
                    &["a", "b", "c"],
                    "2026-06-01",
                    "2030-12-31",
                ),
            )
            .await;
        let overall = o.ok()["id"].as_str().unwrap().to_string();
        let sd = admin
            .post_once(
                "/api/v1/data-authorizations",
                &auth(
                    "sub_domain",
                    Some(&overall),
                    &["a", "b"],
                    "2026-06-01",
                    "2029-12-31",
                ),
            )
            .await;
        let sub = sd.ok()["id"].as_str().unwrap().to_string();
        let before = count(admin, "/api/v1/data-authorizations").await;
        let wide = w
            .enterprise
            .post(
                "/api/v1/data-authorizations",
                &auth(
                    "scenario",
                    Some(&sub),
                    &["a", "z"],
                    "2026-06-01",
                    "2027-12-31",
                ),
                None,
            )
            .await;
        assert_eq!(wide.err(400, "wider_than_parent")["field"], "fields");
        let long = w
            .enterprise
            .post(
                "/api/v1/data-authorizations",
                &auth("scenario", Some(&sub), &["a"], "2026-06-01", "2030-06-01"),
                None,
            )
            .await;
        assert_eq!(long.err(400, "longer_than_parent")["field"], "valid_until");
        w.enterprise
            .post(
                "/api/v1/data-authorizations",
                &auth(
                    "sub_domain",
                    Some(&overall),
                    &["a"],
                    "2026-06-01",
                    "2027-12-31",
                ),
                None,
            )
            .await
            .err(403, "forbidden");
        assert_eq!(count(admin, "/api/v1/data-authorizations").await, before);
        let sc = w
            .enterprise
            .post_once(
                "/api/v1/data-authorizations",
                &auth("scenario", Some(&sub), &["a"], "2026-06-01", "2027-12-31"),
            )
            .await;
        let scenario = sc.ok()["id"].as_str().unwrap().to_string();

        let check = |scenario: &str, fields: &[&str], subject: Option<&str>| {
            let mut b = json!({"scenario_id": scenario, "fields": fields});
            match subject {
                Some(s) => {
                    b["subject_kind"] = json!("natural_person");
                    b["subject_id"] = json!(s);
                }
                None => b["resource"] = json!(code),
            }
            b
        };
        let yes = w
            .enterprise
            .post("/api/v1/data-check", &check(&scenario, &["a"], None), None)
            .await;
        assert_eq!(yes.ok()["allowed"], true, "{}", yes.body);
        let no = w
            .enterprise
            .post("/api/v1/data-check", &check(&scenario, &["b"], None), None)
            .await;
        assert_eq!(no.ok()["code"], "fields_beyond_scenario");

        // Personal data: one scenario, one authorization.
        let mut personal = auth(
            "scenario",
            None,
            &["name", "phone"],
            "2026-06-01",
            "2027-12-31",
        );
        personal["data_class"] = json!("personal");
        personal["resources"] = json!([]);
        let ps = w
            .enterprise
            .post_once("/api/v1/data-authorizations", &personal)
            .await;
        let pscen = ps.ok()["id"].as_str().unwrap().to_string();
        let consent = |fields: Value| json!({"scenario_id": pscen, "subject_kind": "natural_person", "subject_id": "p-7f3a", "fields": fields, "expires_at": "2027-06-30"});
        let e = w
            .enterprise
            .post(
                "/api/v1/data-consents",
                &consent(json!(["name", "id_card"])),
                None,
            )
            .await;
        assert_eq!(e.err(400, "fields_beyond_scenario")["field"], "fields");
        let e = w.enterprise.post("/api/v1/data-consents", &json!({"scenario_id": pscen, "subject_kind": "natural_person", "subject_id": "p-7f3a", "expires_at": "2028-06-30"}), None).await;
        assert_eq!(e.err(400, "longer_than_parent")["field"], "expires_at");
        assert_eq!(count(&w.enterprise, "/api/v1/data-consents").await, 0);
        let c = w
            .enterprise
            .post_once("/api/v1/data-consents", &consent(json!(["name"])))
            .await;
        let cid = c.ok()["id"].as_str().unwrap().to_string();
        w.enterprise
            .post("/api/v1/data-consents", &consent(json!(["name"])), None)
            .await
            .err(409, "consent_exists");
        let receipt = w
            .enterprise
            .get(&format!("/api/v1/data-consents/{cid}/receipt"))
            .await;
        assert_eq!(receipt.ok()["pii_categories"], json!(["name"]));
        assert_eq!(receipt.body["digest"].as_str().unwrap().len(), 64);

        let other = Server::start(&db.url, &["--test-clock", "--today", "2026-06-01"]);
        let ent2 = Api::login(&other.base, "ent").await;
        let yes = ent2
            .post(
                "/api/v1/data-check",
                &check(&pscen, &["name"], Some("p-7f3a")),
                None,
            )
            .await;
        assert_eq!(yes.ok()["allowed"], true, "{}", yes.body);
        assert_eq!(
            ent2.post(
                "/api/v1/data-check",
                &check(&pscen, &["phone"], Some("p-7f3a")),
                None
            )
            .await
            .ok()["code"],
            "fields_beyond_consent"
        );
        // Revoked on this server, refused at once on the other.
        w.enterprise
            .post(
                &format!("/api/v1/data-consents/{cid}/revoke"),
                &json!({}),
                None,
            )
            .await
            .ok();
        let no = ent2
            .post(
                "/api/v1/data-check",
                &check(&pscen, &["name"], Some("p-7f3a")),
                None,
            )
            .await;
        assert_eq!(no.ok()["allowed"], false);
        assert_eq!(no.body["code"], "consent_revoked");
        let uses = w
            .enterprise
            .get(&format!("/api/v1/data-consents/{cid}"))
            .await;
        assert_eq!(uses.ok()["use_count"], 1, "every yes is logged as a use");

        // Revoking the overall authorization suspends the scenario under it.
        admin
            .post(
                &format!("/api/v1/data-authorizations/{overall}/revoke"),
                &json!({"reason": "授权运营协议终止"}),
                None,
            )
            .await
            .ok();
        let no = ent2
            .post("/api/v1/data-check", &check(&scenario, &["a"], None), None)
            .await;
        assert_eq!(no.ok()["code"], "parent_revoked");
        let s = w
            .enterprise
            .get(&format!("/api/v1/data-authorizations/{scenario}"))
            .await;
        assert_eq!(s.ok()["in_force"], false);
        // Tenants see their own.
        w.supplier
            .get("/api/v1/data-authorizations")
            .await
            .err(403, "forbidden");
        w.supplier
            .get(&format!("/api/v1/data-consents/{cid}"))
            .await
            .err(403, "forbidden");

        // The operator's annual disclosure is public.
        let d = w.enterprise.post("/api/v1/data-disclosures", &json!({"year": 2026, "products": [{"name": "水文预报 API", "description": "逐小时水位预报"}], "fees": [{"name": "API 调用", "description": "0.02 元/次"}]}), None).await;
        assert_eq!(d.ok()["operator_name"], "济南测试智能科技有限公司");
        assert!(!d.body["authorizations"].as_array().unwrap().is_empty());
        let bad = w
            .enterprise
            .post(
                "/api/v1/data-disclosures",
                &json!({"year": 2031, "products": [], "fees": []}),
                None,
            )
            .await;
        assert_eq!(bad.err(400, "out_of_range")["field"], "year");
        let public = Api::new(&server.base)
            .get("/api/v1/public/data-disclosures?year=2026")
            .await;
        assert_eq!(public.ok()[0]["products"][0]["name"], "水文预报 API");
        assert!(!public.body[0]["authorizations"]
            .as_array()
            .unwrap()
            .is_empty());
        drop(other);
        assert_conserved(&db.url).await;
    }
}
