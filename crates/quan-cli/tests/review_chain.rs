//! Multi-level review (issue 10) against the real `quan serve`, SQLite and PostgreSQL (when
//! DATABASE_URL is set): a program whose chain is city check → provincial review → finance
//! approval; levels in order by reviewers of their scope, never above the previous level's
//! amount, never the same reviewer twice; a level-2 rejection leaves nothing reserved; only the
//! final approval reserves the budget and starts the notice; a city reviewer sees only their
//! city's applications.
mod common;

use common::*;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_levels_in_order_and_nothing_reserved_before_the_last() {
    for backend in backends() {
        let (db, server) = fresh(backend, "review_chain");
        let w = world(&db.url, &server, 100_000_000, 5_000_000).await;
        let admin = &w.admin;
        for (u, name, city) in [
            ("jn", "济南市工信局 李审", Some("370100")),
            ("qd", "青岛市工信局 周审", Some("370200")),
            ("prov", "省工信厅 吴审", None),
            ("fin", "省财政厅 郑审", None),
        ] {
            let mut extra = vec!["--display-name", name];
            if let Some(c) = city {
                extra.extend(["--city-code", c]);
            }
            create_user(&db.url, u, "reviewer", &extra);
        }
        let (jn, qd, prov, fin) = (
            Api::login(&server.base, "jn").await,
            Api::login(&server.base, "qd").await,
            Api::login(&server.base, "prov").await,
            Api::login(&server.base, "fin").await,
        );
        let chain = json!([
            {"name": "市级初审", "scope": "city"},
            {"name": "省级复核", "scope": "province"},
            {"name": "财政审批", "scope": "province"}
        ]);
        let p = admin.post_once("/api/v1/programs", &json!({
            "name": "2026年创新券（三级审核）", "voucher_type": "innovation", "year": 2026, "rate_bps": 5000,
            "face_value_cap_fen": 5_000_000, "enterprise_year_cap_fen": 50_000_000,
            "apply_from": "2026-01-01", "apply_until": "2026-12-31", "valid_from": "2026-01-01", "valid_until": "2026-12-31",
            "notice_days": 5, "budget_fen": 100_000_000, "funding": [{"source_id": w.sources[0], "share_bps": 10000}],
            "policy": {"review_levels": chain}
        })).await;
        let program = p.ok()["id"].as_str().unwrap().to_string();
        assert_eq!(p.body["policy"]["review_levels"][2]["name"], "财政审批");
        let apply = |amount: i64| {
            let program = program.clone();
            let ent = &w.enterprise;
            async move {
                let a = ent
                    .post_once(
                        "/api/v1/applications",
                        &json!({"program_id": program, "amount_fen": amount, "plan": "场景验证"}),
                    )
                    .await;
                a.ok()["id"].as_str().unwrap().to_string()
            }
        };
        let reserved = || async {
            admin.get(&format!("/api/v1/programs/{program}")).await.ok()["reserved_fen"]
                .as_i64()
                .unwrap()
        };
        let review = |app: &str| format!("/api/v1/applications/{app}/review");

        // Application 1: approved at level 1, rejected at level 2: nothing reserved.
        let a1 = apply(3_000_000).await;
        let before = snapshot(&db.url).await;
        prov.post_once(&review(&a1), &json!({"decision": "approve"}))
            .await
            .err(403, "review_scope");
        qd.post_once(&review(&a1), &json!({"decision": "approve"}))
            .await
            .err(403, "review_scope");
        jn.post_once(&review(&a1), &json!({"decision": "approve", "level": 2}))
            .await
            .err(409, "level_out_of_order");
        assert_eq!(before, snapshot(&db.url).await, "refusals wrote nothing");
        let r = jn
            .post_once(
                &review(&a1),
                &json!({"decision": "approve", "level": 1, "amount_fen": 2_500_000}),
            )
            .await;
        assert_eq!(r.ok()["status"], "submitted");
        assert_eq!(r.body["review_level"], 1);
        assert_eq!(
            reserved().await,
            0,
            "nothing reserved before the last level"
        );
        jn.post_once(&review(&a1), &json!({"decision": "approve"}))
            .await
            .err(403, "review_scope");
        prov.post_once(&review(&a1), &json!({"decision": "reject"}))
            .await
            .err(400, "required");
        let r = prov
            .post_once(
                &review(&a1),
                &json!({"decision": "reject", "level": 2, "reason": "材料与实际经营不符"}),
            )
            .await;
        assert_eq!(r.ok()["status"], "rejected");
        assert_eq!(
            reserved().await,
            0,
            "a level-2 rejection leaves nothing reserved"
        );
        let seen = w
            .enterprise
            .get(&format!("/api/v1/applications/{a1}"))
            .await;
        assert!(seen.ok()["reason"].as_str().unwrap().contains("省级复核"));
        assert_eq!(seen.body["reviews"].as_array().unwrap().len(), 2);
        fin.post_once(&review(&a1), &json!({"decision": "approve"}))
            .await
            .err(409, "invalid_state");

        // Application 2: through all three levels; amounts never rise; one reviewer per level.
        let a2 = apply(4_000_000).await;
        jn.post_once(
            &review(&a2),
            &json!({"decision": "approve", "amount_fen": 3_500_000}),
        )
        .await
        .ok();
        prov.post_once(
            &review(&a2),
            &json!({"decision": "approve", "amount_fen": 3_600_000}),
        )
        .await
        .err(409, "above_previous_level");
        prov.post_once(
            &review(&a2),
            &json!({"decision": "approve", "amount_fen": 3_000_000}),
        )
        .await
        .ok();
        // The queue of level 3 holds it; level 2's does not.
        let q3 = fin
            .get(&format!(
                "/api/v1/applications?program_id={program}&awaiting_level=3"
            ))
            .await;
        assert_eq!(q3.ok()["total"], 1);
        let q2 = fin
            .get(&format!(
                "/api/v1/applications?program_id={program}&awaiting_level=2"
            ))
            .await;
        assert_eq!(q2.ok()["total"], 0);
        prov.post_once(&review(&a2), &json!({"decision": "approve"}))
            .await
            .err(409, "same_reviewer");
        assert_eq!(reserved().await, 0);
        let r = fin
            .post_once(&review(&a2), &json!({"decision": "approve", "level": 3}))
            .await;
        assert_eq!(r.ok()["status"], "approved");
        assert_eq!(r.body["approved_fen"], 3_000_000);
        assert_eq!(
            r.body["notice_ends_on"], "2026-06-06",
            "the notice starts at the final approval"
        );
        assert_eq!(
            reserved().await,
            3_000_000,
            "reserved only at the final approval"
        );
        let full = admin.get(&format!("/api/v1/applications/{a2}")).await;
        let levels: Vec<i64> = full.ok()["reviews"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["amount_fen"].as_i64().unwrap())
            .collect();
        assert_eq!(levels, [3_500_000, 3_000_000, 3_000_000]);

        // A city reviewer sees only the applications of their city.
        let mine = qd
            .get(&format!("/api/v1/applications?program_id={program}"))
            .await;
        assert_eq!(mine.ok()["total"], 0);
        qd.get(&format!("/api/v1/applications/{a2}"))
            .await
            .err(404, "not_found");
        let jn_list = jn
            .get(&format!("/api/v1/applications?program_id={program}"))
            .await;
        assert_eq!(jn_list.ok()["total"], 2);

        // The chain cannot change under an application part-way along it.
        let e2 = admin.post("/api/v1/enterprises", &json!({"uscc": uscc("370100"), "name": "济南第二测试科技有限公司", "city_code": "370100", "industry": "I", "size_class": "small", "legal_rep": "钱九", "shareholders": ["钱九"]}), None).await;
        let e2 = e2.ok()["id"].as_str().unwrap().to_string();
        let a3 = admin.post_once("/api/v1/applications", &json!({"program_id": program, "enterprise_id": e2, "amount_fen": 1_000_000, "plan": "场景验证"})).await;
        let a3 = a3.ok()["id"].as_str().unwrap().to_string();
        jn.post_once(&review(&a3), &json!({"decision": "approve"}))
            .await
            .ok();
        let edit = admin
            .patch(
                &format!("/api/v1/programs/{program}"),
                &json!({"policy": {"review_levels": []}}),
                Some(&uuid::Uuid::new_v4().to_string()),
            )
            .await;
        edit.err(409, "chain_locked");
        // A reviewer of another role's city cannot be made by an enterprise user binding.
        let bad = admin.post("/api/v1/users", &json!({"username": "e2", "password": "password123", "role": "auditor", "display_name": "x", "city_code": "370100"}), None).await;
        assert_eq!(bad.err(400, "invalid_binding")["field"], "city_code");
        assert_conserved(&db.url).await;
    }
}
