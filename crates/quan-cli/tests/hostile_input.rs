//! Hostile input on every JSON endpoint of `/openapi.json`, on SQLite and PostgreSQL: a NUL, a
//! bidirectional override, a zero-width space, invalid UTF-8, trailing data and a repeated key
//! are each a 400 naming the field (never a 500), and nothing is written. Also: nested unknown
//! fields, NULs in query strings, paths, logins and usage records.
mod common;

use common::*;
use serde_json::{json, Value};

/// (method, path with ids filled in, the string field to poison) for every JSON request body.
fn json_operations(spec: &Value) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for (path, ops) in spec["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            let Some(schema) = op
                .pointer("/requestBody/content/application~1json/schema")
                .filter(|_| path != "/api/v1/usage")
            else {
                continue;
            };
            let field = schema["$ref"]
                .as_str()
                .and_then(|r| spec.pointer(&r.replace("#/", "/")))
                .and_then(|s| s["properties"].as_object())
                .and_then(|props| {
                    props.iter().find_map(|(k, p)| {
                        let is_text = p["type"] == "string"
                            || p["$ref"].as_str().is_some_and(|r| r.ends_with("Id"));
                        is_text.then(|| k.clone())
                    })
                })
                .unwrap_or_else(|| "probe".into());
            let concrete = path.replace("{id}", "x").replace("{product_id}", "y");
            out.push((method.to_uppercase(), concrete, field));
        }
    }
    out
}

async fn send(api: &Api, method: &str, path: &str, body: Vec<u8>) -> Resp {
    let url = format!("{}{path}", api.base);
    let mut req = api
        .http
        .request(method.parse().unwrap(), url)
        .header("content-type", "application/json")
        .header("idempotency-key", uuid::Uuid::new_v4().to_string())
        .body(body);
    if let Some(t) = &api.token {
        req = req.bearer_auth(t);
    }
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    Resp {
        status,
        body: serde_json::from_str(&text).unwrap_or(Value::String(text)),
    }
}

async fn hostile(backend: Backend) {
    let (db, server) = fresh(backend, "hostile");
    let w = world(&db.url, &server, 100_000_000, 5_000_000).await;
    let spec = w.admin.get("/openapi.json").await.ok().clone();
    let ops = json_operations(&spec);
    assert!(ops.len() >= 15, "found only {} JSON endpoints", ops.len());
    let before = snapshot(&db.url).await;
    for (method, path, field) in &ops {
        let poisons = [
            ("NUL", "a\u{0}b", "U+0000"),
            ("bidi override", "\u{202E}gnp.exe", "U+202E"),
            ("zero-width space", "济南\u{200B}科技", "U+200B"),
            ("byte order mark", "\u{FEFF}名称", "U+FEFF"),
        ];
        for (what, s, cp) in poisons {
            let body = serde_json::to_vec(&json!({ field.as_str(): s })).unwrap();
            let r = send(&w.admin, method, path, body).await;
            let e = r.err(400, "invalid_text");
            assert_eq!(e["field"], field.as_str(), "{what} on {method} {path}: {e}");
            assert!(
                e["message"].as_str().unwrap().contains(cp),
                "{method} {path}: {e}"
            );
        }
        let mut bad_utf8 = format!("{{\"{field}\":\"").into_bytes();
        bad_utf8.extend_from_slice(b"\xff\xfe\"}");
        let trailing = format!("{{\"{field}\":\"a\"}} {{\"name\":\"second\"}}").into_bytes();
        for body in [bad_utf8, trailing] {
            send(&w.admin, method, path, body)
                .await
                .err(400, "malformed_json");
        }
        let dup = format!("{{\"{field}\":\"a\",\"{field}\":\"b\"}}").into_bytes();
        let r = send(&w.admin, method, path, dup).await;
        assert_eq!(
            r.err(400, "malformed_json")["field"],
            field.as_str(),
            "{method} {path}"
        );
    }
    // Nested unknown fields, at depth.
    let program = json!({
        "name": "嵌套字段", "voucher_type": "model", "year": 2026, "rate_bps": 3000,
        "face_value_cap_fen": 1_000_000, "enterprise_year_cap_fen": 2_000_000,
        "apply_from": "2026-01-01", "apply_until": "2026-12-31", "valid_from": "2026-01-01", "valid_until": "2026-12-31",
        "notice_days": 0, "budget_fen": 1_000_000,
        "funding": [{"source_id": w.sources[0], "share_bps": 10000, "bogus": true}]
    });
    let r = w
        .admin
        .post("/api/v1/programs", &program, Some("nested-1"))
        .await;
    assert_eq!(r.err(400, "malformed_json")["field"], "funding[0].bogus");
    // Query strings, paths and a login with no session.
    let q = w.admin.get("/api/v1/applications?status=a%00b").await;
    assert_eq!(q.err(400, "invalid_text")["field"], "status");
    let p = w.admin.get("/api/v1/applications/a%00b").await;
    assert_eq!(p.err(400, "invalid_text")["field"], "path");
    let anon = Api::new(&server.base);
    let l = anon
        .post(
            "/api/v1/auth/login",
            &json!({"username": "admin\u{0}", "password": "x"}),
            None,
        )
        .await;
    assert_eq!(l.err(400, "invalid_text")["field"], "username");
    assert_eq!(
        before,
        snapshot(&db.url).await,
        "hostile input changed the database"
    );

    // A usage record with a NUL or a bidi override in its id is rejected on its own.
    for rid in ["rec\u{0}1", "rec\u{202E}2"] {
        let rec = json!([{"record_id": rid, "product_id": w.product_id, "enterprise_id": w.enterprise_id,
            "started_at": "2026-05-01T00:00:00Z", "ended_at": "2026-05-01T01:00:00Z", "gpu_seconds": 3600}]);
        let key = uuid::Uuid::new_v4().to_string();
        let r = w.supplier.post("/api/v1/usage", &rec, Some(&key)).await;
        let results = r.ok()["results"].as_array().unwrap().clone();
        assert_eq!(results[0]["status"], "rejected", "{results:?}");
        assert_eq!(results[0]["reason"], "invalid_text", "{results:?}");
    }
    let stored = w.admin.get("/api/v1/usage").await;
    assert_eq!(stored.ok()["total"], 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_input_is_a_named_400_and_writes_nothing() {
    for b in backends() {
        hostile(b).await;
    }
}
