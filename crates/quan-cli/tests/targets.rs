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
            find(&list.body, "pilot_zone_core_output")["progress"]["verdict"],
            "no_data"
        );

        // Bad input: 4xx naming the field, nothing written.
        // The pilot zone's output (¥30 billion by 2025-12-31) is a figure only an administrator enters.
        let path = "/api/v1/policy-targets/pilot_zone_core_output/figures";
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
        // The compute targets come from the registry, as the budget comes from the ledger.
        for computed in [
            "total_compute",
            "intelligent_compute_share",
            "hub_share_new_compute",
        ] {
            w.admin
                .post(
                    &format!("/api/v1/policy-targets/{computed}/figures"),
                    &json!({"value": 12.0, "as_of": "2025-06-30", "source": "公报"}),
                    None,
                )
                .await
                .err(409, "computed_target");
        }
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
        for (value, as_of) in [(8.1e9, "2025-06-30"), (6.5e9, "2024-12-31")] {
            w.admin
                .post(path, &json!({"value": value, "as_of": as_of, "source": format!("济青人工智能先导区统计公报（{as_of}）")}), None)
                .await
                .ok();
        }
        let list = public.get("/api/v1/public/policy-targets").await;
        let compute = find(list.ok(), "pilot_zone_core_output");
        assert_eq!(compute["figure"], 8.1e9);
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
                &json!({"value": 3.12e10, "as_of": "2025-12-31", "source": "2025 年统计公报"}),
                None,
            )
            .await
            .ok();
        let list = public.get("/api/v1/public/policy-targets").await;
        assert_eq!(
            find(list.ok(), "pilot_zone_core_output")["progress"]["verdict"],
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

/// The run-out forecast (issue 13): the budget's commitment at the last 12 weeks' pace, exact in
/// fen, per program and per funding source, against the day applications close.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_programs_run_out_forecast_follows_its_recent_pace() {
    for backend in backends() {
        let (db, server) = fresh(backend, "forecast");
        let w = world(&db.url, &server, 100_000_000, 5_000_000).await;
        let path = format!("/api/v1/programs/{}/forecast", w.program_id);
        let quiet = w.auditor.get(&path).await;
        assert_eq!(quiet.ok()["committed"]["verdict"], "no_recent_activity");
        assert_eq!(quiet.body["committed"]["left_at_end_fen"], 100_000_000);
        issue_voucher(&w, 3_000_000).await;
        let before = snapshot(&db.url).await;
        let f = w.admin.get(&path).await;
        let f = f.ok();
        assert_eq!(snapshot(&db.url).await, before, "a forecast writes nothing");
        let budget = w
            .admin
            .get(&format!("/api/v1/programs/{}/budget", w.program_id))
            .await;
        let available = budget.ok()["available_fen"].as_i64().unwrap();
        let c = &f["committed"];
        assert_eq!(c["remaining_fen"], available);
        assert_eq!(c["window_fen"], 3_000_000);
        assert_eq!(
            (c["window_from"].as_str(), c["window_to"].as_str()),
            (Some("2026-03-10"), Some("2026-06-01"))
        );
        // ¥970,000 left at ¥30,000 per 84 days: ceil(97,000,000 × 84 / 3,000,000) = 2,716 days.
        let days = (available as i128 * 84 + 2_999_999) / 3_000_000;
        let expected = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()
            + chrono::Duration::days(days as i64);
        assert_eq!(c["run_out_on"], expected.to_string());
        // Applications close 2026-12-31, 213 days on: money is left, rounded down.
        assert_eq!(c["ends_on"], "2026-12-31");
        assert_eq!(c["verdict"], "lasts_to_end");
        assert_eq!(
            c["left_at_end_fen"].as_i64().unwrap() as i128,
            available as i128 - 3_000_000i128 * 213 / 84
        );
        assert!(c["method"].as_str().unwrap().contains("12 weeks"));
        // Each funding source's share: its issued face value (70% and 30%) at its own pace.
        let sources = f["sources"].as_array().unwrap();
        assert_eq!(sources.len(), 2);
        let windows: Vec<i64> = sources
            .iter()
            .map(|s| s["committed"]["window_fen"].as_i64().unwrap())
            .collect();
        assert_eq!(windows, [2_100_000, 900_000]);
        // Nothing paid yet: no pace of payment; the vouchers expire 2026-12-31.
        assert_eq!(f["spent"]["verdict"], "no_recent_activity");
        assert_eq!(f["spent"]["remaining_fen"], 100_000_000);
        w.enterprise.get(&path).await.err(403, "forbidden");
        w.admin
            .get("/api/v1/programs/no-such/forecast")
            .await
            .err(404, "not_found");
    }
}
