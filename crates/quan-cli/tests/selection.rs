//! The annual selection (issue 10) against the real `quan serve`, SQLite and PostgreSQL (when
//! DATABASE_URL is set): a round of 35 model entries with a cap of 30; experts scoring only what
//! is assigned to them, sealed until the panel closes; a related expert recused by the registered
//! file and refused when scoring; exactly 30 selected; an objection upheld removes one and the
//! 31st moves up with a notice of its own; the selection becomes the program's eligible list, and
//! nothing else can be put on it.
mod common;

use common::*;
use serde_json::{json, Value};

struct Setup {
    admin: Api,
    experts: Vec<(Api, String)>,
    related: (Api, String),
    supplier: Api,
    products: Vec<String>,
    /// Products of the supplier whose legal representative is the related expert.
    related_products: Vec<String>,
    spare_product: String,
    program: String,
}

async fn user_id(api: &Api) -> String {
    api.get("/api/v1/me").await.ok()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn setup(db: &str, server: &Server) -> Setup {
    let admin = Api::login(&server.base, "admin").await;
    let src = admin.post_once("/api/v1/funding-sources", &json!({"name": "省级资金", "level": "province", "appropriated_fen": 10_000_000_000i64})).await;
    let src = src.ok()["id"].as_str().unwrap().to_string();
    let program = admin.post_once("/api/v1/programs", &json!({
        "name": "2026年模型券", "voucher_type": "model", "year": 2026, "rate_bps": 3000,
        "face_value_cap_fen": 100_000_000, "enterprise_year_cap_fen": 100_000_000,
        "apply_from": "2026-01-01", "apply_until": "2026-12-31", "valid_from": "2026-01-01", "valid_until": "2026-12-31",
        "notice_days": 0, "budget_fen": 3_000_000_000i64, "funding": [{"source_id": src, "share_bps": 10000}]
    })).await;
    let program = program.ok()["id"].as_str().unwrap().to_string();
    let mut products = Vec::new();
    let mut related_products = Vec::new();
    let mut first_supplier = String::new();
    for n in 0..5 {
        let rep = if n == 4 { "陈专家" } else { "赵六" };
        let s = admin.post("/api/v1/suppliers", &json!({"uscc": uscc("370100"), "name": format!("山东模型厂商{n}有限公司"), "kind": "model", "city_code": "370100", "legal_rep": rep, "shareholders": [rep]}), None).await;
        let sid = s.ok()["id"].as_str().unwrap().to_string();
        if n == 0 {
            first_supplier = sid.clone();
        }
        for k in 0..7 {
            let p = admin
                .post(
                    "/api/v1/products",
                    &json!({"supplier_id": sid, "kind": "model", "name": format!("模型{n}-{k}")}),
                    None,
                )
                .await;
            let pid = p.ok()["id"].as_str().unwrap().to_string();
            if n == 4 {
                related_products.push(pid.clone());
            }
            products.push(pid);
        }
    }
    let spare = admin
        .post(
            "/api/v1/products",
            &json!({"supplier_id": first_supplier, "kind": "model", "name": "未参选模型"}),
            None,
        )
        .await;
    let spare_product = spare.ok()["id"].as_str().unwrap().to_string();
    let mut experts = Vec::new();
    for (u, name) in [("expert1", "王评审"), ("expert2", "刘专家")] {
        create_user(db, u, "reviewer", &["--display-name", name]);
        let api = Api::login(&server.base, u).await;
        let id = user_id(&api).await;
        experts.push((api, id));
    }
    create_user(db, "expert3", "reviewer", &["--display-name", "陈专家"]);
    let related = Api::login(&server.base, "expert3").await;
    let related_id = user_id(&related).await;
    create_user(db, "sup0", "supplier", &["--supplier-id", &first_supplier]);
    Setup {
        supplier: Api::login(&server.base, "sup0").await,
        admin,
        experts,
        related: (related, related_id),
        products,
        related_products,
        spare_product,
        program,
    }
}

fn sheet(score: i64) -> Value {
    json!({"scores": [
        {"criterion": "technical_quality", "score": score},
        {"criterion": "application_value", "score": score},
        {"criterion": "price", "score": score}
    ], "comment": "材料齐全"})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thirty_of_thirty_five_selected_and_an_objection_moves_the_31st_up() {
    for backend in backends() {
        let (db, server) = fresh(backend, "selection");
        let s = setup(&db.url, &server).await;
        let admin = &s.admin;
        let r = admin.post("/api/v1/selection-rounds", &json!({
            "name": "2026年度山东省大模型产品遴选", "kind": "model", "year": 2026, "cap": 30,
            "call_from": "2026-06-01", "call_until": "2026-06-10", "notice_days": 7,
            "criteria": [
                {"key": "technical_quality", "name": "技术水平", "weight": 50},
                {"key": "application_value", "name": "应用价值", "weight": 30},
                {"key": "price", "name": "价格", "weight": 20}
            ]
        }), None).await;
        let round = r.ok()["id"].as_str().unwrap().to_string();
        let rp = format!("/api/v1/selection-rounds/{round}");
        // One round per year and kind.
        let again = admin.post("/api/v1/selection-rounds", &json!({
            "name": "重复", "kind": "model", "year": 2026, "cap": 30, "call_from": "2026-06-01", "call_until": "2026-06-10",
            "notice_days": 7, "criteria": [{"key": "q", "name": "质量", "weight": 100}]
        }), None).await;
        again.err(409, "duplicate_round");
        for (_, id) in s.experts.iter().chain([&s.related]) {
            admin
                .post(&format!("{rp}/experts"), &json!({"user_id": id}), None)
                .await
                .ok();
        }
        // Entries: evidence is required; the supplier enters its own products only.
        let e = s
            .supplier
            .post(
                &format!("{rp}/entries"),
                &json!({"product_id": s.products[0]}),
                None,
            )
            .await;
        assert_eq!(e.err(400, "required")["field"], "evaluation_report");
        let foreign = s.supplier.post(&format!("{rp}/entries"), &json!({"product_id": s.products[10], "evaluation_report": "R", "deployment_evidence": "D"}), None).await;
        assert_eq!(foreign.err(400, "not_found")["field"], "product_id");
        let mut entries = Vec::new();
        for (n, p) in s.products.iter().enumerate() {
            let body = json!({"product_id": p, "evaluation_report": format!("中国电子技术标准化研究院 测评报告 CESI-2026-{n:03}"), "deployment_evidence": "济南超算中心部署"});
            let api = if n < 7 { &s.supplier } else { admin };
            let e = api.post(&format!("{rp}/entries"), &body, None).await;
            entries.push(e.ok()["id"].as_str().unwrap().to_string());
        }
        assert_eq!(entries.len(), 35);
        // Assignments: both unrelated experts on every entry; the related expert on the entries
        // of the supplier he represents, where the registered file recuses him.
        for e in &entries {
            for (_, id) in &s.experts {
                admin
                    .post(
                        &format!("{rp}/assignments"),
                        &json!({"entry_id": e, "expert_id": id}),
                        None,
                    )
                    .await
                    .ok();
            }
        }
        let related_entry = &entries[s
            .products
            .iter()
            .position(|p| p == &s.related_products[0])
            .unwrap()];
        let a = admin
            .post(
                &format!("{rp}/assignments"),
                &json!({"entry_id": related_entry, "expert_id": s.related.1}),
                None,
            )
            .await;
        let mine = a.ok()["assignments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["expert_id"] == s.related.1.as_str())
            .unwrap()
            .clone();
        assert_eq!(mine["status"], "recused");
        assert!(mine["recusal_reason"].as_str().unwrap().contains("陈专家"));

        // Bad input changes nothing.
        let before = snapshot(&db.url).await;
        let (e1, _) = &s.experts[0];
        s.related
            .0
            .post(
                &format!("/api/v1/selection-entries/{related_entry}/scores"),
                &sheet(90),
                None,
            )
            .await
            .err(409, "must_recuse");
        s.related
            .0
            .post(
                &format!("/api/v1/selection-entries/{}/scores", entries[0]),
                &sheet(90),
                None,
            )
            .await
            .err(403, "not_assigned");
        let mut out_of_range = sheet(90);
        out_of_range["scores"][1]["score"] = json!(101);
        let r = e1
            .post(
                &format!("/api/v1/selection-entries/{}/scores", entries[0]),
                &out_of_range,
                None,
            )
            .await;
        assert_eq!(r.err(400, "score_out_of_range")["field"], "scores[1].score");
        admin
            .post(&format!("{rp}/publish"), &json!({}), None)
            .await
            .err(409, "panel_open");
        admin
            .post(
                &format!("/api/v1/programs/{}/eligible-products", s.program),
                &json!({"product_id": s.spare_product}),
                None,
            )
            .await
            .err(409, "not_selected");
        assert_eq!(before, snapshot(&db.url).await, "refusals wrote nothing");

        // An expert sees only the entries assigned to them: the related expert sees one.
        let seen = s.related.0.get(&format!("{rp}/entries")).await;
        assert_eq!(seen.ok()["total"], 1);
        // Scores: entry n gets 95 − n from both experts.
        for (n, e) in entries.iter().enumerate() {
            for (api, _) in &s.experts {
                api.post(
                    &format!("/api/v1/selection-entries/{e}/scores"),
                    &sheet(95 - n as i64),
                    None,
                )
                .await
                .ok();
            }
        }
        // Sealed: the administrator sees that sheets are in, not what they say; the expert sees
        // their own.
        let view = admin
            .get(&format!("/api/v1/selection-entries/{}", entries[0]))
            .await;
        assert_eq!(view.ok()["sheets_in"], 2);
        assert!(view.body["assignments"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["scores"].is_null() && a["total"].is_null()));
        let own = e1
            .get(&format!("/api/v1/selection-entries/{}", entries[0]))
            .await;
        assert_eq!(own.ok()["assignments"][0]["total"], 9500);
        assert_eq!(own.body["assignments"].as_array().unwrap().len(), 1);

        // The call is over on 06-11; the panel closes; the ranking is published for 7 days.
        admin
            .post("/api/v1/admin/clock", &json!({"today": "2026-06-10"}), None)
            .await
            .ok();
        admin
            .post(&format!("{rp}/close-panel"), &json!({}), None)
            .await
            .err(409, "call_open");
        admin
            .post("/api/v1/admin/clock", &json!({"today": "2026-06-11"}), None)
            .await
            .ok();
        admin
            .post(&format!("{rp}/close-panel"), &json!({}), None)
            .await
            .ok();
        e1.post(
            &format!("/api/v1/selection-entries/{}/scores", entries[0]),
            &sheet(1),
            None,
        )
        .await
        .err(409, "panel_closed");
        let view = admin
            .get(&format!("/api/v1/selection-entries/{}", entries[0]))
            .await;
        assert_eq!(
            view.ok()["assignments"][0]["total"],
            9500,
            "unsealed once the panel closed"
        );
        // The provisional ranking is the administrator's until publication.
        assert!(view.body["rank"].is_u64(), "{}", view.body);
        let expert_view = e1
            .get(&format!("/api/v1/selection-entries/{}", entries[0]))
            .await;
        assert!(expert_view.ok()["rank"].is_null() && expert_view.body["mean_score"].is_null());
        let p = admin.post(&format!("{rp}/publish"), &json!({}), None).await;
        assert_eq!(p.ok()["selected_count"], 30);
        assert_eq!(p.body["notice_ends_on"], "2026-06-18");
        let public = Api::new(&server.base)
            .get("/api/v1/public/selections?year=2026&kind=model")
            .await;
        let list = public.ok().as_array().unwrap().clone();
        assert_eq!(list.len(), 30);
        assert_eq!(list[0]["rank"], 1);
        assert_eq!(list[0]["round_status"], "published");
        assert_eq!(list[29]["entry_id"], entries[29].as_str());

        // Objections: only during the notice, only against a selected entry.
        s.supplier
            .post(
                &format!("/api/v1/selection-entries/{}/objections", entries[31]),
                &json!({"reason": "未入选"}),
                None,
            )
            .await
            .err(409, "not_selected");
        let o = s
            .supplier
            .post(
                &format!("/api/v1/selection-entries/{}/objections", entries[5]),
                &json!({"reason": "测评报告系伪造"}),
                None,
            )
            .await;
        let objection = o.ok()["id"].as_str().unwrap().to_string();
        admin
            .post("/api/v1/admin/clock", &json!({"today": "2026-06-19"}), None)
            .await
            .ok();
        admin
            .post(&format!("{rp}/take-effect"), &json!({}), None)
            .await
            .err(409, "objections_open");
        admin
            .post(
                &format!("/api/v1/selection-objections/{objection}/resolve"),
                &json!({"uphold": true}),
                None,
            )
            .await
            .err(400, "required");
        admin
            .post(
                &format!("/api/v1/selection-objections/{objection}/resolve"),
                &json!({"uphold": true, "note": "经核查测评报告编号不存在"}),
                None,
            )
            .await
            .ok();
        // Rule: the first reserve (rank 31) moves up and gets a full notice from today.
        let moved = admin
            .get(&format!("/api/v1/selection-entries/{}", entries[30]))
            .await;
        assert_eq!(moved.ok()["outcome"], "selected");
        let removed = admin
            .get(&format!("/api/v1/selection-entries/{}", entries[5]))
            .await;
        assert_eq!(removed.ok()["outcome"], "excluded");
        let r = admin.get(&rp).await;
        assert_eq!(r.ok()["notice_ends_on"], "2026-06-26");
        assert_eq!(r.body["selected_count"], 30);
        admin
            .post(&format!("{rp}/take-effect"), &json!({}), None)
            .await
            .err(409, "notice_running");
        admin
            .post("/api/v1/admin/clock", &json!({"today": "2026-06-27"}), None)
            .await
            .ok();
        let eff = admin
            .post(&format!("{rp}/take-effect"), &json!({}), None)
            .await;
        assert_eq!(eff.ok()["status"], "effective");

        // The program's list is the selection: 30 products, the excluded one not among them.
        let listed = admin
            .get(&format!(
                "/api/v1/programs/{}/eligible-products?page_size=200",
                s.program
            ))
            .await;
        let ids: Vec<String> = listed.ok()["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(ids.len(), 30);
        assert!(ids.contains(&s.products[30]) && !ids.contains(&s.products[5]));
        // Removing one is a recorded decision with a reason; putting it back is allowed, the
        // excluded product is not.
        let del = format!(
            "/api/v1/programs/{}/eligible-products/{}",
            s.program, s.products[0]
        );
        let r = admin
            .http
            .delete(format!("{}{del}", admin.base))
            .bearer_auth(admin.token.as_deref().unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 400);
        let r = admin
            .http
            .delete(format!(
                "{}{del}?reason=%E4%BA%A7%E5%93%81%E5%81%9C%E6%AD%A2%E6%9C%8D%E5%8A%A1",
                admin.base
            ))
            .bearer_auth(admin.token.as_deref().unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 204);
        let audit = admin
            .get(&format!(
                "/api/v1/audit?object={}&action=program.delist_product",
                s.program
            ))
            .await;
        assert!(audit.ok().to_string().contains("产品停止服务"), "{audit:?}");
        admin
            .post(
                &format!("/api/v1/programs/{}/eligible-products", s.program),
                &json!({"product_id": s.products[0]}),
                None,
            )
            .await
            .ok();
        admin
            .post(
                &format!("/api/v1/programs/{}/eligible-products", s.program),
                &json!({"product_id": s.products[5]}),
                None,
            )
            .await
            .err(409, "not_selected");
        // A model program created later in the year gets the same list.
        let src = admin.get("/api/v1/funding-sources").await.ok()["items"][0]["id"]
            .as_str()
            .unwrap()
            .to_string();
        let later = admin.post_once("/api/v1/programs", &json!({
            "name": "2026年模型券（第二批）", "voucher_type": "model", "year": 2026, "rate_bps": 3000,
            "face_value_cap_fen": 100_000_000, "enterprise_year_cap_fen": 100_000_000,
            "apply_from": "2026-07-01", "apply_until": "2026-12-31", "valid_from": "2026-07-01", "valid_until": "2026-12-31",
            "notice_days": 0, "budget_fen": 100_000_000, "funding": [{"source_id": src, "share_bps": 10000}]
        })).await;
        let later = later.ok()["id"].as_str().unwrap().to_string();
        let l = admin
            .get(&format!(
                "/api/v1/programs/{later}/eligible-products?page_size=200"
            ))
            .await;
        assert_eq!(l.ok()["total"], 30);
        // Every step is in the audit trail.
        for action in [
            "selection.open",
            "selection.enter",
            "selection.assign",
            "selection.score",
            "selection.close_panel",
            "selection.publish",
            "selection.object",
            "selection.resolve_objection",
            "selection.take_effect",
        ] {
            let a = admin
                .get(&format!("/api/v1/audit?action={action}&page_size=1"))
                .await;
            assert!(a.ok()["total"].as_i64().unwrap() >= 1, "{action}");
        }
        // The audit of a sealed sheet holds its digest, not its scores.
        let a = admin
            .get("/api/v1/audit?action=selection.score&page_size=1")
            .await;
        assert!(a.ok().to_string().contains("sheet_sha256"));
        assert_conserved(&db.url).await;
    }
}
