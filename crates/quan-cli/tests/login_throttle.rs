//! The login throttle lives in the database: failures counted on one server hold on another
//! (two servers on one PostgreSQL; one on SQLite), the wait doubles after the free failures,
//! and an administrator lifts it at once (audited).
mod common;

use common::*;
use serde_json::json;

async fn login(base: &str, username: &str, password: &str) -> Resp {
    Api::new(base)
        .post(
            "/api/v1/auth/login",
            &json!({"username": username, "password": password}),
            None,
        )
        .await
}

async fn throttle(backend: Backend) {
    let (db, a) = fresh(backend, "throttle");
    let w = world(&db.url, &a, 100_000_000, 5_000_000).await;
    // A second server on the same database where it can share one (PostgreSQL).
    let b = matches!(backend, Backend::Postgres)
        .then(|| Server::start(&db.url, &["--test-clock", "--today", "2026-06-01"]));
    let other = b.as_ref().map_or(a.base.clone(), |s| s.base.clone());
    // 5 free failures, alternating servers; the 6th makes the next attempt wait 1 s.
    for i in 0..6 {
        let base = if i % 2 == 0 { &a.base } else { &other };
        login(base, "auditor", "wrong-password")
            .await
            .err(401, "bad_credentials");
    }
    // Even the right password waits, on the other server too.
    let e = login(&other, "auditor", PASSWORD).await;
    assert!(e.err(429, "throttled")["message"]
        .as_str()
        .unwrap()
        .contains("seconds"));
    // Once the wait is over a 7th failure doubles it (2 s): refused at once on both servers.
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    login(&a.base, "auditor", "wrong-password")
        .await
        .err(401, "bad_credentials");
    login(&other, "auditor", PASSWORD)
        .await
        .err(429, "throttled");
    login(&a.base, "auditor", PASSWORD)
        .await
        .err(429, "throttled");
    // Another account is not affected.
    login(&a.base, "reviewer", PASSWORD).await.ok();
    // The administrator sees the lock and lifts it.
    let locks = w.admin.get("/api/v1/admin/login-locks").await;
    let listed = locks.ok().as_array().unwrap().clone();
    let row = listed
        .iter()
        .find(|l| l["key"] == "user:auditor")
        .unwrap_or_else(|| panic!("no lock listed: {listed:?}"));
    assert_eq!(row["failures"], 7);
    assert!(row["locked_until"].is_string());
    let u = w
        .admin
        .post(
            "/api/v1/admin/unlock",
            &json!({"username": "auditor"}),
            None,
        )
        .await;
    assert_eq!(u.ok()["unlocked"], true);
    login(&other, "auditor", PASSWORD).await.ok();
    let audit = w.admin.get("/api/v1/audit?action=user.unlock").await;
    assert_eq!(audit.ok()["total"], 1);
    // Unlocking someone who does not exist is a 404; only an administrator may unlock.
    w.admin
        .post("/api/v1/admin/unlock", &json!({"username": "nobody"}), None)
        .await
        .err(404, "not_found");
    w.reviewer
        .post(
            "/api/v1/admin/unlock",
            &json!({"username": "auditor"}),
            None,
        )
        .await
        .err(403, "forbidden");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_logins_are_counted_in_the_database_and_can_be_lifted() {
    for b in backends() {
        throttle(b).await;
    }
}
