//! Billing units (issue 14 C) against the real `quan serve`: CPU core-hours, storage GB-months
//! and network GB on computing-power vouchers, and a model priced per 1,000 tokens drawn down
//! from a model voucher — each rated exactly, rounded down, per record; GPU-hour figures count
//! only accelerator time; a unit a product kind may not use, an unknown unit, and a record in
//! the wrong field are refused with a clear code. SQLite always, PostgreSQL too when
//! DATABASE_URL is set.
mod common;
mod metering_env;

use common::*;
use metering_env::*;
use serde_json::{json, Value};

async fn metered_product(admin: &Api, body: Value) -> Resp {
    admin.post_once("/api/v1/products", &body).await
}

fn quantity_rec(id: &str, product: &str, ent: &str, quantity: i64) -> Value {
    let mut r = rec(id, product, ent, 1, 0);
    r.as_object_mut().unwrap().remove("gpu_seconds");
    r["quantity"] = json!(quantity);
    r
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn products_bill_in_their_own_units() {
    for backend in backends() {
        let (db, server) = fresh(backend, "billing_units");
        let env = setup(&db, &server, 2_000_000).await;
        let sup = env.supplier_id.as_str();
        let compute = |name: &str, unit: &str, price: i64| json!({"supplier_id": sup, "kind": "compute", "name": name, "city_code": "370100", "billing_unit": unit, "price_per_unit_fen": price});
        // Refused: an unknown unit, a model priced per GPU-hour, no price, a GPU product without a model.
        let r = metered_product(&env.admin, compute("x", "gpu_minute", 10)).await;
        assert_eq!(r.err(400, "invalid_billing_unit")["field"], "billing_unit");
        let r = metered_product(&env.admin, json!({"supplier_id": sup, "kind": "model", "name": "m", "billing_unit": "gpu_hour", "price_per_unit_fen": 10})).await;
        assert_eq!(
            r.err(400, "billing_unit_not_allowed")["field"],
            "billing_unit"
        );
        metered_product(&env.admin, compute("x", "cpu_core_hour", 0))
            .await
            .err(400, "amount_not_positive");
        let r = metered_product(&env.admin, compute("x", "card_hour", 10)).await;
        assert_eq!(r.status, 400, "{}", r.body);

        let cpu =
            metered_product(&env.admin, compute("通用算力（核时）", "cpu_core_hour", 35)).await;
        assert_eq!(cpu.ok()["billing_unit"], "cpu_core_hour");
        let cpu = cpu.ok()["id"].as_str().unwrap().to_string();
        let disk = metered_product(&env.admin, compute("对象存储", "gb_month", 1_200))
            .await
            .ok()["id"]
            .as_str()
            .unwrap()
            .to_string();
        let net = metered_product(&env.admin, compute("公网流量", "gb_transferred", 80))
            .await
            .ok()["id"]
            .as_str()
            .unwrap()
            .to_string();
        let npu = metered_product(&env.admin, json!({"supplier_id": sup, "kind": "compute", "name": "昇腾910B", "city_code": "370200", "gpu_model": "Ascend 910B", "billing_unit": "card_hour", "price_per_unit_fen": 900})).await.ok()["id"].as_str().unwrap().to_string();
        // The compute program of the world lists them all.
        let programs = env.admin.get("/api/v1/programs").await;
        let prog_a = programs.ok()["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "算力券A")
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();
        for p in [&cpu, &disk, &net, &npu] {
            env.admin
                .post(
                    &format!("/api/v1/programs/{prog_a}/eligible-products"),
                    &json!({"product_id": p}),
                    None,
                )
                .await
                .ok();
        }
        // A model priced per 1,000 tokens, in a model program, drawn down from a model voucher.
        let model = metered_product(&env.admin, json!({"supplier_id": sup, "kind": "model", "name": "齐鲁大模型推理", "price_per_unit_fen": 4})).await;
        assert_eq!(model.ok()["billing_unit"], "k_tokens");
        let model = model.ok()["id"].as_str().unwrap().to_string();
        let sources = env.admin.get("/api/v1/funding-sources").await;
        let source = sources.ok()["items"][0]["id"].as_str().unwrap().to_string();
        let mp = env.admin.post_once("/api/v1/programs", &json!({
            "name": "模型券（按 token）", "voucher_type": "model", "year": 2026, "rate_bps": RATE_BPS,
            "face_value_cap_fen": 1_000_000, "enterprise_year_cap_fen": 10_000_000,
            "apply_from": "2026-01-01", "apply_until": "2026-12-31", "valid_from": "2026-01-01", "valid_until": "2026-12-31",
            "notice_days": 0, "budget_fen": 100_000_000, "funding": [{"source_id": source, "share_bps": 10000}]})).await;
        let mp = mp.ok()["id"].as_str().unwrap().to_string();
        // A model program lists only what the year's selection round selected.
        create_user(&db.url, "expert", "reviewer", &[]);
        let expert = Api::login(&server.base, "expert").await;
        select_by_round(&env.admin, &expert, "model", 2026, &[&model], "2026-06-01").await;
        env.admin
            .post(
                &format!("/api/v1/programs/{mp}/eligible-products"),
                &json!({"product_id": model}),
                None,
            )
            .await
            .ok();
        let mv = voucher(&env.admin, &mp, &env.e3, 500_000).await;

        let gpu_before = env.admin.get("/api/v1/usage/summary").await.ok()["totals"]
            ["gpu_hours_program"]
            .as_f64()
            .unwrap();
        let mut both = quantity_rec("both", &cpu, &env.e1, 10);
        both["gpu_seconds"] = json!(10);
        // Expected: 2 core-hours × 35 = 70; 0.4997 × 35 = 17.49 → 17; 0.5 GB-month × 1200 = 600;
        // 2.5 GB × 80 = 200; 1.5 card-hours × 900 = 1350; 1234.567 k tokens × 4 = 4938.268 → 4938.
        let batch = Value::Array(vec![
            quantity_rec("cpu-1", &cpu, &env.e1, 7_200),
            quantity_rec("cpu-2", &cpu, &env.e1, 1_799),
            quantity_rec("disk-1", &disk, &env.e1, 360),
            quantity_rec("net-1", &net, &env.e2, 2_500_000_000),
            rec("npu-1", &npu, &env.e2, 1, 5_400),
            quantity_rec("tok-1", &model, &env.e3, 1_234_567),
            rec("tok-bad", &model, &env.e3, 1, 600),
            both,
            quantity_rec("tok-zero", &model, &env.e3, 0),
        ]);
        let r = env.sup.post("/api/v1/usage", &batch, Some("units-1")).await;
        let res = by_id(r.ok());
        let amount = |id: &str| res[id]["amount_fen"].as_i64().unwrap_or(-1);
        assert_eq!(
            (amount("cpu-1"), amount("cpu-2"), amount("disk-1")),
            (70, 17, 600),
            "{res:?}"
        );
        assert_eq!(
            (amount("net-1"), amount("npu-1"), amount("tok-1")),
            (200, 1_350, 4_938),
            "{res:?}"
        );
        assert_eq!(
            res["tok-1"]["voucher_id"],
            mv.as_str(),
            "tokens draw on the model voucher"
        );
        assert_eq!(res["tok-1"]["subsidy_fen"], 4_938 * RATE_BPS / 10_000);
        assert_eq!(res["tok-bad"]["reason"], "unit_mismatch");
        assert_eq!(res["both"]["reason"], "quantity_absurd");
        assert_eq!(res["tok-zero"]["reason"], "quantity_zero");
        // The record list says what was metered; GPU-hours count only the card time.
        let list = env.sup.get("/api/v1/usage?page_size=50").await;
        let items = list.ok()["items"].as_array().unwrap().clone();
        let tok = items.iter().find(|i| i["record_id"] == "tok-1").unwrap();
        assert_eq!(
            (tok["quantity"].as_i64(), tok["gpu_seconds"].as_i64()),
            (Some(1_234_567), Some(0))
        );
        let npu_rec = items.iter().find(|i| i["record_id"] == "npu-1").unwrap();
        assert!(npu_rec["quantity"].is_null() && npu_rec["gpu_seconds"] == 5_400);
        let gpu_after = env.admin.get("/api/v1/usage/summary").await.ok()["totals"]
            ["gpu_hours_program"]
            .as_f64()
            .unwrap();
        assert!(
            (gpu_after - gpu_before - 1.5).abs() < 1e-9,
            "only accelerator time counts as GPU time: {gpu_before} → {gpu_after}"
        );
        // The model voucher's balance went down by the subsidy.
        let v = env.admin.get(&format!("/api/v1/vouchers/{mv}")).await;
        assert_eq!(
            v.ok()["balance_fen"].as_i64().unwrap(),
            500_000 - 4_938 * RATE_BPS / 10_000
        );
        check_invariants(&db.url).await;
        audit_ok(&env.admin).await;
    }
}
