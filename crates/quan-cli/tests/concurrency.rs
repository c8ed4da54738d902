//! Concurrency: several `quan serve` processes on one PostgreSQL (one process on SQLite), with
//! more approvals and redemptions in flight than the budget and vouchers can cover.
//! Reproduce: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres cargo test -p quan-cli --test concurrency
mod common;

use common::*;
use futures::future::join_all;
use rand::Rng;
use serde_json::json;

const ENTERPRISES: usize = 20;
const FACE: i64 = 100_000;
const REDEMPTIONS: usize = 200;

async fn race(backend: Backend) {
    let (db, server) = fresh(backend, "race");
    let second = if backend == Backend::Postgres {
        Some(Server::start(
            &db.url,
            &["--test-clock", "--today", "2026-06-01"],
        ))
    } else {
        None
    };
    let bases: Vec<String> = std::iter::once(server.base.clone())
        .chain(second.as_ref().map(|s| s.base.clone()))
        .collect();
    // A budget that covers 10 of the 20 grants.
    let w = world(&db.url, &server, FACE * 10, FACE).await;
    let admin2 = match bases.get(1) {
        Some(b) => Api::login(b, "admin").await,
        None => w.admin.clone(),
    };
    let reviewer2 = match bases.get(1) {
        Some(b) => Api::login(b, "reviewer").await,
        None => w.reviewer.clone(),
    };
    let supplier2 = match bases.get(1) {
        Some(b) => Api::login(b, "sup").await,
        None => w.supplier.clone(),
    };
    let mut apps = Vec::new();
    for i in 0..ENTERPRISES {
        let e = w
            .admin
            .post("/api/v1/enterprises", &json!({"uscc": uscc("370100"), "name": format!("并发测试企业{i}"), "city_code": "370100", "industry": "I", "size_class": "small", "legal_rep": format!("法人{i}")}), None)
            .await;
        let eid = e.ok()["id"].as_str().unwrap().to_string();
        let a = w.admin.post_once("/api/v1/applications", &json!({"program_id": w.program_id, "enterprise_id": eid, "amount_fen": FACE, "plan": "并发"})).await;
        apps.push(a.ok()["id"].as_str().unwrap().to_string());
    }

    // 20 concurrent approvals through both servers: exactly 10 fit the budget.
    let approvals = join_all(apps.iter().enumerate().map(|(i, id)| {
        let api = if i % 2 == 0 {
            w.reviewer.clone()
        } else {
            reviewer2.clone()
        };
        let id = id.clone();
        async move {
            api.post_once(
                &format!("/api/v1/applications/{id}/review"),
                &json!({"decision": "approve"}),
            )
            .await
        }
    }))
    .await;
    let approved: Vec<&String> = apps
        .iter()
        .zip(&approvals)
        .filter(|(_, r)| r.status == 200)
        .map(|(id, _)| id)
        .collect();
    for r in approvals.iter().filter(|r| r.status != 200) {
        r.err(409, "insufficient_funds");
    }
    assert_eq!(approved.len(), 10, "the budget covers exactly 10 grants");
    let budget = w
        .admin
        .get(&format!("/api/v1/programs/{}/budget", w.program_id))
        .await;
    assert_eq!(budget.ok()["available_fen"], 0);
    assert_eq!(budget.body["reserved_fen"], FACE * 10);

    // The 10 vouchers issued at once through both servers (each draws a voucher number).
    let issues = join_all(approved.iter().enumerate().map(|(i, id)| {
        let api = if i % 2 == 0 {
            w.admin.clone()
        } else {
            admin2.clone()
        };
        let path = format!("/api/v1/applications/{id}/issue");
        async move { api.post_once(&path, &json!({})).await }
    }))
    .await;
    let vouchers: Vec<String> = issues
        .iter()
        .map(|r| r.ok()["id"].as_str().unwrap().to_string())
        .collect();

    // 200 concurrent redemptions (each 30% of up to ¥500 → up to 15,000 fen) against 10 vouchers
    // of 100,000 fen: demand far exceeds supply. Every tenth request is sent twice with the same
    // key (a client retry), which must count once.
    let mut rng = rand::thread_rng();
    let reqs: Vec<(usize, serde_json::Value, String)> = (0..REDEMPTIONS)
        .map(|i| {
            let body = json!({"voucher_id": vouchers[rng.gen_range(0..vouchers.len())], "product_id": w.product_id, "invoice_number": invoice(),
                               "invoice_amount_fen": rng.gen_range(1_000..50_000), "invoice_date": "2026-05-15"});
            (i, body, format!("race-{i}"))
        })
        .collect();
    let sends = reqs.iter().flat_map(|(i, body, key)| {
        let times = if i % 10 == 0 { 2 } else { 1 };
        (0..times).map(move |t| (i + t, body.clone(), key.clone()))
    });
    let results = join_all(sends.map(|(i, body, key)| {
        let api = if i % 2 == 0 {
            w.supplier.clone()
        } else {
            supplier2.clone()
        };
        async move {
            let r = api.post("/api/v1/redemptions", &body, Some(&key)).await;
            (key, r)
        }
    }))
    .await;
    let mut accepted = std::collections::HashMap::new();
    for (key, r) in &results {
        match r.status {
            201 => {
                let prev = accepted.insert(key.clone(), r.body["id"].as_str().unwrap().to_string());
                if let Some(p) = prev {
                    assert_eq!(
                        &p,
                        r.body["id"].as_str().unwrap(),
                        "a retried key created a second redemption"
                    );
                }
            }
            409 => assert!(
                ["voucher_exhausted", "enterprise_year_cap"]
                    .contains(&r.body["code"].as_str().unwrap()),
                "{}",
                r.body
            ),
            other => panic!("unexpected {other}: {}", r.body),
        }
    }
    assert!(!accepted.is_empty());

    // Every fen accounted for: voucher balances = face − subsidies; nothing negative; payable = sum.
    let all = w
        .admin
        .get(&format!(
            "/api/v1/redemptions?supplier_id={}&page_size=200",
            w.supplier_id
        ))
        .await;
    let items = all.ok()["items"].as_array().unwrap().clone();
    assert_eq!(
        items.len(),
        accepted.len(),
        "one redemption per accepted key"
    );
    // Document numbers drawn by both servers at once: distinct, and gapless from 1 within the
    // year (the counter row is taken in the redemption's own transaction, so a refused one
    // draws none).
    let seqs = |numbers: Vec<&str>, prefix: &str| {
        let mut seqs: Vec<u64> = numbers
            .iter()
            .map(|n| {
                let (head, seq) = n.rsplit_once('-').expect("a document number");
                assert!(head.starts_with(prefix), "{n}");
                seq.parse().expect("a sequence")
            })
            .collect();
        seqs.sort_unstable();
        seqs
    };
    let numbers = seqs(
        items
            .iter()
            .map(|r| r["number"].as_str().unwrap())
            .collect(),
        "SD-RD-",
    );
    assert_eq!(
        numbers,
        (1..=items.len() as u64).collect::<Vec<_>>(),
        "redemption numbers"
    );
    let issued = w.admin.get("/api/v1/vouchers?page_size=200").await;
    let issued = issued.ok()["items"].as_array().unwrap().clone();
    let numbers = seqs(
        issued
            .iter()
            .map(|v| v["number"].as_str().unwrap())
            .collect(),
        "SD-VC-",
    );
    assert_eq!(
        numbers,
        (1..=issued.len() as u64).collect::<Vec<_>>(),
        "voucher numbers"
    );
    let mut total = 0i64;
    for v in &vouchers {
        let spent: i64 = items
            .iter()
            .filter(|r| r["voucher_id"] == v.as_str())
            .map(|r| r["subsidy_fen"].as_i64().unwrap())
            .sum();
        let vb = w.admin.get(&format!("/api/v1/vouchers/{v}")).await;
        let balance = vb.ok()["balance_fen"].as_i64().unwrap();
        assert!(balance >= 0);
        assert_eq!(balance, FACE - spent, "voucher {v}");
        total += spent;
    }
    assert!(total <= FACE * 10);
    let verify = admin2.get("/api/v1/audit/verify").await;
    assert_eq!(verify.ok()["ok"], true, "{}", verify.body);
    let store = quan_store::Store::open(&quan_store::StoreOptions::new(&db.url))
        .await
        .unwrap();
    quan_store::ledger::check_conservation(store.reader())
        .await
        .unwrap();
    let payable = quan_store::ledger::balance(
        store.reader(),
        &quan_store::ledger::payable_account(&w.supplier_id),
    )
    .await
    .unwrap();
    assert_eq!(payable.balance, total);
    store.close().await;
    eprintln!(
        "{backend:?}: {} redemptions accepted for {total} fen of {} fen",
        accepted.len(),
        FACE * 10
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_grants_and_redemptions_never_overspend() {
    for b in backends() {
        race(b).await;
    }
}
