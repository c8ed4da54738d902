//! Policy-target tracking (issue 13): every target of `data/policy_targets.csv` with its figure —
//! the platform's own where it holds the records, else the latest an administrator entered with
//! a source document — and its standing. SQLite and PostgreSQL (when DATABASE_URL is set).
mod common;

use common::*;
use serde_json::{json, Value};

fn find<'a>(list: &'a Value, id: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == id)
        .unwrap_or_else(|| panic!("no target {id}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn targets_computed_and_entered_with_their_standing() {
    for backend in backends() {
        let (db, server) = fresh(backend, "targets");
        let w = world(&db.url, &server, 100_000_000, 5_000_000).await;
        issue_voucher(&w, 3_000_000).await;
        let public = Api::new(&server.base);
        let list = public.get("/api/v1/public/policy-targets").await;
        assert_eq!(list.ok().as_array().unwrap().len(), 19);
        // The platform's own figure: the face value issued, ¥30,000 of ¥1 billion by 2026-12-31
        // (the test clock says 2026-06-01, most of the period gone): at risk, the rule shown.
        let budget = find(&list.body, "ai_budget");
        assert_eq!(budget["source"], "platform");
        assert_eq!(budget["figure"], 30_000.0);
        assert!(budget["method"].as_str().unwrap().contains("face value"));
        assert_eq!(budget["progress"]["verdict"], "at_risk");
        assert!(budget["progress"]["rule"]
            .as_str()
            .unwrap()
            .contains("elapsed"));
        assert_eq!(
            find(&list.body, "total_compute")["progress"]["verdict"],
            "no_data"
        );

        // Bad input: 4xx naming the field, nothing written.
        let path = "/api/v1/policy-targets/total_compute/figures";
        let before = snapshot(&db.url).await;
        for (body, status, code, field) in [
            (
                json!({"value": 6.5, "as_of": "2025-06-30", "source": ""}),
                400,
                "required",
                Some("source"),
            ),
            (
                json!({"value": -1.0, "as_of": "2025-06-30", "source": "公报"}),
                400,
                "out_of_range",
                Some("value"),
            ),
            (
                json!({"value": 6.5, "as_of": "2026-07-01", "source": "公报"}),
                400,
                "in_future",
                Some("as_of"),
            ),
            (
                json!({"value": 6.5, "as_of": "2025-06-30"}),
                400,
                "malformed_json",
                Some("source"),
            ),
        ] {
            let r = w.admin.post(path, &body, None).await;
            let e = r.err(status, code);
            if let Some(f) = field {
                assert_eq!(e["field"], f, "{body}");
            }
        }
        let pct = "/api/v1/policy-targets/intelligent_compute_share/figures";
        let r = w
            .admin
            .post(
                pct,
                &json!({"value": 120.0, "as_of": "2025-06-30", "source": "公报"}),
                None,
            )
            .await;
        assert_eq!(r.err(400, "out_of_range")["field"], "value");
        w.admin
            .post(
                "/api/v1/policy-targets/ai_budget/figures",
                &json!({"value": 1.0, "as_of": "2025-06-30", "source": "公报"}),
                None,
            )
            .await
            .err(409, "computed_target");
        w.admin
            .post(
                "/api/v1/policy-targets/moon_base/figures",
                &json!({"value": 1.0, "as_of": "2025-06-30", "source": "公报"}),
                None,
            )
            .await
            .err(404, "not_found");
        w.reviewer
            .post(
                path,
                &json!({"value": 1.0, "as_of": "2025-06-30", "source": "公报"}),
                None,
            )
            .await
            .err(403, "forbidden");
        assert_eq!(snapshot(&db.url).await, before);

        // Entered figures: the latest by its day is current; each is kept with its source.
        for (value, as_of) in [(8.1, "2025-06-30"), (6.5, "2024-12-31")] {
            w.admin
                .post(path, &json!({"value": value, "as_of": as_of, "source": format!("山东省算力发展统计公报（{as_of}）")}), None)
                .await
                .ok();
        }
        let list = public.get("/api/v1/public/policy-targets").await;
        let compute = find(list.ok(), "total_compute");
        assert_eq!(compute["figure"], 8.1);
        assert_eq!(compute["source"], "entered");
        assert_eq!(compute["as_of"], "2025-06-30");
        assert!(compute["source_document"]
            .as_str()
            .unwrap()
            .contains("2025-06-30"));
        // The deadline (2025-12-31) has passed unmet.
        assert_eq!(compute["progress"]["verdict"], "at_risk");
        assert!(compute["progress"]["days_left"].as_i64().unwrap() < 0);
        w.admin
            .post(
                path,
                &json!({"value": 12.4, "as_of": "2025-12-31", "source": "2025 年统计公报"}),
                None,
            )
            .await
            .ok();
        let list = public.get("/api/v1/public/policy-targets").await;
        assert_eq!(
            find(list.ok(), "total_compute")["progress"]["verdict"],
            "met"
        );
        let history = w.auditor.get(path).await;
        let days: Vec<&str> = history
            .ok()
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["as_of"].as_str().unwrap())
            .collect();
        assert_eq!(days, ["2025-12-31", "2025-06-30", "2024-12-31"]);
        let audit = w
            .auditor
            .get("/api/v1/audit?action=policy_target.figure")
            .await;
        assert_eq!(audit.ok()["total"], 3);
    }
}
