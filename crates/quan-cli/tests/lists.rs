//! Server-side sort and filters: every list the console sorts takes `sort=key` / `sort=-key`
//! from a per-endpoint allowlist (another key is a 400 naming `sort` and the keys), and the
//! audit log filters by object, action, actor and date range.
mod common;

use common::*;
use serde_json::{json, Value};

fn column(page: &Value, field: &str) -> Vec<Value> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r[field].clone())
        .collect()
}

async fn sorts_and_filters(backend: Backend) {
    let (db, server) = fresh(backend, "lists");
    let w = world(&db.url, &server, 100_000_000, 5_000_000).await;
    let voucher = issue_voucher(&w, 3_000_000).await;
    for (amount, date) in [
        (300_000, "2026-05-03"),
        (100_000, "2026-05-01"),
        (200_000, "2026-05-02"),
    ] {
        w.supplier
            .post_once("/api/v1/redemptions", &json!({"voucher_id": voucher, "product_id": w.product_id, "invoice_number": invoice(), "invoice_amount_fen": amount, "invoice_date": date}))
            .await
            .ok();
    }
    let asc = w
        .admin
        .get("/api/v1/redemptions?sort=invoice_amount_fen")
        .await;
    assert_eq!(
        column(asc.ok(), "invoice_amount_fen"),
        vec![json!(100_000), json!(200_000), json!(300_000)]
    );
    let desc = w.admin.get("/api/v1/redemptions?sort=-invoice_date").await;
    assert_eq!(
        column(desc.ok(), "invoice_date"),
        vec![
            json!("2026-05-03"),
            json!("2026-05-02"),
            json!("2026-05-01")
        ]
    );
    // The supplier's own view sorts the same way, still scoped to its rows.
    let own = w.supplier.get("/api/v1/redemptions?sort=subsidy_fen").await;
    assert_eq!(own.ok()["total"], 3);

    // Every sortable list refuses a key it does not allow, naming it and the allowed ones.
    for path in [
        "/api/v1/applications",
        "/api/v1/vouchers",
        "/api/v1/redemptions",
        "/api/v1/settlements",
        "/api/v1/programs",
        "/api/v1/funding-sources",
        "/api/v1/products",
        "/api/v1/suppliers",
        "/api/v1/enterprises",
        "/api/v1/users",
        "/api/v1/audit",
        "/api/v1/usage",
        "/api/v1/data-registrations",
        "/api/v1/public/registrations",
        "/api/v1/data-authorizations",
        "/api/v1/data-consents",
    ] {
        let r = w.admin.get(&format!("{path}?sort=password_hash")).await;
        let e = r.err(400, "invalid_sort");
        assert_eq!(e["field"], "sort", "{path}");
        assert!(
            e["message"].as_str().unwrap().contains("password_hash"),
            "{path}: {e}"
        );
        // An injected expression is refused, not run.
        let r = w
            .admin
            .get(&format!("{path}?sort=id;DROP%20TABLE%20users"))
            .await;
        r.err(400, "invalid_sort");
        // A key it allows works, ascending and descending.
        let key = match path {
            "/api/v1/audit" => "seq",
            "/api/v1/usage" => "ended_at",
            "/api/v1/users" => "username",
            "/api/v1/data-registrations" => "applied_at",
            "/api/v1/public/registrations" => "code",
            "/api/v1/data-authorizations" => "created_at",
            "/api/v1/data-consents" => "granted_at",
            _ => "id",
        };
        w.admin.get(&format!("{path}?sort={key}")).await.ok();
        w.admin.get(&format!("{path}?sort=-{key}")).await.ok();
    }
    let programs = w.admin.get("/api/v1/programs?sort=-budget_fen").await;
    assert_eq!(programs.ok()["total"], 1);

    // Audit filters: by area, exact action, object, actor and days.
    let reds = w.auditor.get("/api/v1/audit?action=redemption").await;
    let actions = column(reds.ok(), "action");
    assert_eq!(actions.len(), 3);
    assert!(
        actions.iter().all(|a| a == "redemption.create"),
        "{actions:?}"
    );
    let exact = w
        .auditor
        .get("/api/v1/audit?action=redemption.create&sort=seq")
        .await;
    let seqs: Vec<i64> = column(exact.ok(), "seq")
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    assert!(seqs.windows(2).all(|p| p[0] < p[1]), "{seqs:?}");
    let by_object = w
        .auditor
        .get(&format!("/api/v1/audit?object={}", w.program_id))
        .await;
    assert!(column(by_object.ok(), "object")
        .iter()
        .all(|o| o == &json!(w.program_id)));
    assert!(by_object.ok()["total"].as_i64().unwrap() >= 1);
    let by_actor = w.auditor.get("/api/v1/audit?actor=reviewer").await;
    assert!(column(by_actor.ok(), "actor")
        .iter()
        .all(|a| a.as_str().unwrap().contains("reviewer")));
    // The test clock says 2026-06-01; users made by the CLI are stamped with the real date.
    let total = |r: &Resp| r.ok()["total"].as_i64().unwrap();
    let before = w.auditor.get("/api/v1/audit?to=2026-05-31").await;
    let on_day = w
        .auditor
        .get("/api/v1/audit?from=2026-06-01&to=2026-06-01")
        .await;
    let after = w.auditor.get("/api/v1/audit?from=2026-06-02").await;
    let all = w.auditor.get("/api/v1/audit").await;
    assert!(total(&on_day) >= 10, "the day's records: {}", on_day.body);
    assert_eq!(total(&before) + total(&on_day) + total(&after), total(&all));
    let wild = w.auditor.get("/api/v1/audit?actor=%25").await;
    assert_eq!(
        wild.ok()["total"],
        0,
        "a % is taken literally, not as a wildcard"
    );
    // Text search on the registers: part of a name or USCC, any case, `%` taken literally.
    let names = |r: &Resp| column(r.ok(), "name");
    let by_name = w.admin.get("/api/v1/suppliers?q=%E9%9D%92%E5%B2%9B").await; // 青岛
    assert_eq!(names(&by_name), vec![json!("青岛测试模型有限公司")]);
    let sup = w
        .admin
        .get(&format!("/api/v1/suppliers/{}", w.supplier_id))
        .await;
    let uscc = sup.ok()["uscc"].as_str().unwrap().to_lowercase();
    let by_uscc = w
        .admin
        .get(&format!("/api/v1/suppliers?q={}", &uscc[2..12]))
        .await;
    assert_eq!(
        by_uscc.ok()["total"],
        1,
        "lower-case USCC part: {}",
        by_uscc.body
    );
    for none in ["%25", "%E4%B8%8D%E5%AD%98%E5%9C%A8"] {
        let r = w.admin.get(&format!("/api/v1/suppliers?q={none}")).await;
        assert_eq!(r.ok()["total"], 0, "q={none}");
    }
    // Human-readable numbers: one sequence per kind and year, shown on every money list and
    // searchable there; the platform's year (the test clock says 2026).
    let reds = w.admin.get("/api/v1/redemptions?sort=number").await;
    assert_eq!(
        column(reds.ok(), "number"),
        vec![
            json!("SD-RD-2026-000001"),
            json!("SD-RD-2026-000002"),
            json!("SD-RD-2026-000003")
        ]
    );
    let one = w
        .supplier
        .get("/api/v1/redemptions?q=sd-rd-2026-000002")
        .await;
    assert_eq!(column(one.ok(), "number"), vec![json!("SD-RD-2026-000002")]);
    let v = w.admin.get("/api/v1/vouchers?q=SD-VC-2026").await;
    assert_eq!(column(v.ok(), "number"), vec![json!("SD-VC-2026-000001")]);
    // Anyone may check a voucher by its number (its certificate's QR code), never its balance.
    let public = Api::new(&server.base);
    let check = public
        .get("/api/v1/public/vouchers/sd-vc-2026-000001")
        .await;
    assert_eq!(check.ok()["holder_name"], "济南测试智能科技有限公司");
    assert_eq!(check.body["face_value_fen"], 3_000_000);
    assert_eq!(check.body["status"], "active");
    assert!(check.body.get("balance_fen").is_none(), "{}", check.body);
    public
        .get("/api/v1/public/vouchers/SD-VC-2026-999999")
        .await
        .err(404, "not_found");
    let apps = w
        .admin
        .get("/api/v1/applications?q=SD-AP-2026-000001")
        .await;
    assert_eq!(apps.ok()["total"], 1);
    assert_eq!(apps.body["items"][0]["voucher_id"], json!(voucher));
    let by_name = w
        .admin
        .get("/api/v1/redemptions?q=%E9%9D%92%E5%B2%9B")
        .await; // supplier 青岛…
    assert_eq!(by_name.ok()["total"], 3);
    let settled = w
        .admin
        .post_once(
            "/api/v1/settlements",
            &json!({"supplier_id": w.supplier_id, "period": "2026-05"}),
        )
        .await;
    assert_eq!(settled.ok()["number"], "SD-ST-2026-000001");
    let found = w.admin.get("/api/v1/settlements?q=SD-ST-2026-000001").await;
    assert_eq!(found.ok()["total"], 1);
    // Exports: the rows the filters select, in the list's order, as CSV with Chinese headers
    // (English on request); the supplier's export holds only its own rows.
    let csv_lines = |r: &Resp| -> Vec<String> {
        let text = r
            .ok()
            .as_str()
            .expect("a CSV body")
            .trim_start_matches('\u{feff}');
        text.lines().map(str::to_string).collect()
    };
    let all = w
        .supplier
        .get("/api/v1/redemptions?format=csv&sort=-number")
        .await;
    let lines = csv_lines(&all);
    assert!(lines[0].starts_with("兑付编号,企业,供应商"), "{}", lines[0]);
    assert_eq!(lines.len(), 4);
    assert!(lines[1].starts_with("SD-RD-2026-000003,"), "{}", lines[1]);
    let en = w
        .admin
        .get("/api/v1/redemptions?format=csv&lang=en&q=SD-RD-2026-000002")
        .await;
    let lines = csv_lines(&en);
    assert!(lines[0].starts_with("Number,Enterprise"), "{}", lines[0]);
    assert_eq!(lines.len(), 2);
    // Day ranges: invoice dates 05-01, 05-02, 05-03; both ends inclusive, either open.
    let days = |r: &Resp| column(r.ok(), "invoice_date");
    let mid = w
        .admin
        .get("/api/v1/redemptions?from=2026-05-02&to=2026-05-02")
        .await;
    assert_eq!(days(&mid), vec![json!("2026-05-02")]);
    let tail = w
        .admin
        .get("/api/v1/redemptions?from=2026-05-02&sort=invoice_date")
        .await;
    assert_eq!(days(&tail), vec![json!("2026-05-02"), json!("2026-05-03")]);
    let head = w.admin.get("/api/v1/redemptions?to=2026-05-01").await;
    assert_eq!(days(&head), vec![json!("2026-05-01")]);
    let today = w
        .admin
        .get("/api/v1/applications?from=2026-06-01&to=2026-06-01")
        .await;
    assert_eq!(today.ok()["total"], 1, "submitted on the test clock's day");
    let none = w.admin.get("/api/v1/vouchers?to=2026-05-31").await;
    assert_eq!(none.ok()["total"], 0);
    let backwards = w
        .admin
        .get("/api/v1/redemptions?from=2026-05-03&to=2026-05-01")
        .await;
    assert_eq!(backwards.err(400, "before_start")["field"], "to");
    let bad = w.admin.get("/api/v1/applications?from=2026-02-30").await;
    assert_eq!(bad.err(400, "invalid_query")["field"], "from");
    // A status or type the list does not know is a 400 naming the filter, not an empty page.
    for path in [
        "/api/v1/applications?status=in_notice",
        "/api/v1/vouchers?status=spent",
        "/api/v1/vouchers?voucher_type=gold",
        "/api/v1/redemptions?status=paid",
    ] {
        let r = w.admin.get(path).await;
        let field = path.split_once('?').unwrap().1.split_once('=').unwrap().0;
        assert_eq!(r.err(400, "invalid_query")["field"], field, "{path}");
    }
    let bad = w.admin.get("/api/v1/vouchers?format=pdf").await;
    assert_eq!(bad.err(400, "invalid_format")["field"], "format");
    let ent = w
        .admin
        .get("/api/v1/enterprises?q=%E6%B5%8E%E5%8D%97")
        .await; // 济南
    assert_eq!(ent.ok()["total"], 1);
    let bad = w.auditor.get("/api/v1/audit?from=2026-13-01").await;
    assert_eq!(bad.err(400, "invalid_date")["field"], "from");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_sort_and_filter_on_the_server() {
    for b in backends() {
        sorts_and_filters(b).await;
    }
}
