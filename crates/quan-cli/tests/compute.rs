//! The computing-power registry (issue 13): compute suppliers register their sites; the public
//! figures (total EFLOPS, intelligent share, share of new compute in the three hubs) follow the
//! sites' capacity and commissioning days, and the policy's compute targets read them. Bad input
//! is a 4xx naming the field and writes nothing. SQLite and PostgreSQL (when DATABASE_URL is set).
mod common;

use common::*;
use serde_json::{json, Value};

fn target<'a>(list: &'a Value, id: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == id)
        .unwrap_or_else(|| panic!("no target {id}"))
}

fn site(name: &str, city: &str, hub: Option<&str>, kind: &str, on: &str, pflops: f64) -> Value {
    let intelligent = kind == "intelligent";
    json!({
        "name": name, "city_code": city, "hub": hub, "kind": kind, "commissioned_on": on,
        "fp16_pflops": if intelligent { pflops } else { 0.0 },
        "fp64_pflops": if intelligent { 0.0 } else { pflops },
        "accelerator_model": if intelligent { Some("昇腾910B") } else { None },
        "accelerator_count": if intelligent { 1000 } else { 0 },
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sites_registered_and_the_province_measured_against_its_targets() {
    for backend in backends() {
        let (db, server) = fresh(backend, "compute");
        let w = world(&db.url, &server, 100_000_000, 5_000_000).await;
        let public = Api::new(&server.base);
        let none = public.get("/api/v1/public/compute-capacity").await;
        assert_eq!(none.ok()["total_eflops"], 0.0);
        assert!(none.body["intelligent_share"].is_null());
        let targets = public.get("/api/v1/public/policy-targets").await;
        assert_eq!(
            target(targets.ok(), "total_compute")["progress"]["verdict"],
            "no_data"
        );

        let c = w
            .admin
            .post("/api/v1/suppliers", &json!({"uscc": uscc("370100"), "name": "济南测试算力有限公司", "kind": "compute", "city_code": "370100", "legal_rep": "钱七", "shareholders": ["钱七"]}), None)
            .await;
        let compute_supplier = c.ok()["id"].as_str().unwrap().to_string();
        create_user(
            &db.url,
            "csup",
            "supplier",
            &["--supplier-id", &compute_supplier],
        );
        let csup = Api::login(&server.base, "csup").await;

        // Bad input: a 4xx naming the field; nothing written.
        let before = snapshot(&db.url).await;
        let good = site(
            "济南智算中心",
            "370100",
            Some("jinan"),
            "intelligent",
            "2025-03-01",
            4000.0,
        );
        let with = |k: &str, v: Value| {
            let mut b = good.clone();
            b[k] = v;
            b
        };
        for (body, status, code, field) in [
            (with("hub", json!("weifang")), 400, "invalid", "hub"),
            (with("hub", json!("qingdao")), 400, "invalid", "hub"),
            (
                with("city_code", json!("110000")),
                400,
                "unknown_city",
                "city_code",
            ),
            (
                with("fp16_pflops", json!(-5)),
                400,
                "out_of_range",
                "fp16_pflops",
            ),
            (
                with("fp16_pflops", json!(1e12)),
                400,
                "out_of_range",
                "fp16_pflops",
            ),
            (with("kind", json!("quantum")), 400, "invalid", "kind"),
            (
                with("accelerator_count", json!(0)),
                400,
                "required",
                "accelerator_count",
            ),
            (
                with("commissioned_on", json!("2025-02-30")),
                400,
                "malformed_json",
                "commissioned_on",
            ),
        ] {
            let r = csup.post_once("/api/v1/compute-sites", &body).await;
            let e = r.err(status, code);
            assert_eq!(e["field"], field, "{body}");
        }
        // The model supplier runs no compute; an administrator names the supplier; an enterprise may not.
        let mut named = good.clone();
        named["supplier_id"] = json!(w.supplier_id);
        w.admin
            .post_once("/api/v1/compute-sites", &named)
            .await
            .err(409, "not_compute_supplier");
        w.admin
            .post_once("/api/v1/compute-sites", &good)
            .await
            .err(400, "required");
        w.supplier
            .post_once("/api/v1/compute-sites", &good)
            .await
            .err(409, "not_compute_supplier");
        w.enterprise
            .post_once("/api/v1/compute-sites", &good)
            .await
            .err(403, "forbidden");
        w.enterprise
            .get("/api/v1/compute-sites")
            .await
            .err(403, "forbidden");
        assert_eq!(snapshot(&db.url).await, before);

        // Four sites: one before the targets' start, three in the period (two in hubs).
        for body in [
            site(
                "济南超算中心",
                "370100",
                Some("jinan"),
                "general",
                "2023-06-01",
                3000.0,
            ),
            good.clone(),
            site(
                "枣庄算力枢纽一期",
                "370400",
                Some("zaozhuang"),
                "intelligent",
                "2025-09-01",
                2000.0,
            ),
            site(
                "潍坊边缘算力",
                "370700",
                None,
                "intelligent",
                "2025-11-01",
                1000.0,
            ),
        ] {
            csup.post_once("/api/v1/compute-sites", &body).await.ok();
        }
        let mut planned = site(
            "青岛智算二期",
            "370200",
            Some("qingdao"),
            "intelligent",
            "2027-06-30",
            5000.0,
        );
        planned["supplier_id"] = json!(compute_supplier);
        w.admin
            .post_once("/api/v1/compute-sites", &planned)
            .await
            .ok();

        // A retry with the same key registers the site once.
        let key = uuid::Uuid::new_v4().to_string();
        let extra = site("济南边缘节点", "370100", None, "general", "2024-02-01", 0.5);
        let a = csup.post("/api/v1/compute-sites", &extra, Some(&key)).await;
        let b = csup.post("/api/v1/compute-sites", &extra, Some(&key)).await;
        assert_eq!(a.ok()["id"], b.ok()["id"]);

        let sites = w.auditor.get("/api/v1/compute-sites").await;
        assert_eq!(sites.ok().as_array().unwrap().len(), 6);
        assert_eq!(
            w.supplier
                .get("/api/v1/compute-sites")
                .await
                .ok()
                .as_array()
                .unwrap()
                .len(),
            0
        );
        assert_eq!(sites.body[0]["name"], "济南超算中心");
        // By commissioning day: the 2024 edge node comes before the 2025 centre.
        assert_eq!(sites.body[1]["name"], "济南边缘节点");
        assert_eq!(sites.body[2]["fp16_pflops"], 4000.0);
        assert_eq!(sites.body[2]["hub"], "jinan");

        // As of the test's today (2026-06-01): 10,000.5 PFLOPS in service, the planned site not yet.
        let f = public.get("/api/v1/public/compute-capacity").await;
        let f = f.ok();
        assert_eq!(f["total_eflops"], 10.0005);
        assert_eq!(f["intelligent_eflops"], 7.0);
        // New since 2024-01-01: 7,000.5 PFLOPS, of which 6,000 in the hubs.
        assert_eq!(f["new_eflops"], 7.0005);
        let hub_share = f["hub_share_new"].as_f64().unwrap();
        assert!((hub_share - 600_000.0 / 7000.5).abs() < 1e-9, "{hub_share}");
        assert!(f["methods"]["hub_share_new"]
            .as_str()
            .unwrap()
            .contains("commissioned"));
        let jinan = f["by_hub"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["hub"] == "jinan")
            .unwrap();
        assert_eq!(
            (jinan["sites"].as_i64(), jinan["total_pflops"].as_f64()),
            (Some(2), Some(7000.0))
        );
        // A period of the caller's: new compute since 2025-06-01 is in Zaozhuang and Weifang.
        let later = public
            .get("/api/v1/public/compute-capacity?new_from=2025-06-01")
            .await;
        assert!((later.ok()["hub_share_new"].as_f64().unwrap() - 200.0 / 3.0).abs() < 1e-9);
        let future = public
            .get("/api/v1/public/compute-capacity?as_of=2027-12-31")
            .await;
        assert_eq!(future.ok()["total_eflops"], 15.0005);
        public
            .get("/api/v1/public/compute-capacity?as_of=2027-02-30")
            .await
            .err(400, "invalid_query");
        let util = f["utilisation"].as_array().unwrap();
        assert!(util
            .iter()
            .any(|u| u["city_code"] == "370400" && u["accelerator_hours"] == 720_000.0));

        // The compute targets read the registry and take no entered figure.
        let targets = public.get("/api/v1/public/policy-targets").await;
        let total = target(targets.ok(), "total_compute");
        assert_eq!(
            (total["source"].as_str(), total["figure"].as_f64()),
            (Some("platform"), Some(10.0005))
        );
        assert_eq!(total["progress"]["verdict"], "at_risk");
        let share = target(&targets.body, "intelligent_compute_share");
        assert!((share["figure"].as_f64().unwrap() - 7000.0 * 100.0 / 10000.5).abs() < 1e-9);
        assert_eq!(share["progress"]["verdict"], "met");
        assert_eq!(
            target(&targets.body, "hub_share_new_compute")["progress"]["verdict"],
            "met"
        );
        w.admin
            .post(
                "/api/v1/policy-targets/total_compute/figures",
                &json!({"value": 12.5, "as_of": "2025-12-31", "source": "公报"}),
                None,
            )
            .await
            .err(409, "computed_target");
        let audit = w
            .auditor
            .get("/api/v1/audit?action=compute_site.register")
            .await;
        assert_eq!(audit.ok()["total"], 6);
    }
}
