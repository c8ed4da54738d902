//! Authentication hardening through the real binary: secrets never reach the log (even at
//! debug/trace level), logout revokes the token, an expired session is refused, security headers
//! are set, and a login returns a fresh random token each time.
//! Run: cargo test -p quan-cli --test auth_hardening
mod common;

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use common::*;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_stay_out_of_logs_and_sessions_end() {
    let db = TestDb::new(Backend::Sqlite, "auth");
    create_user(&db.url, "admin", "admin", &[]);
    let log = std::env::temp_dir().join(format!(
        "quan-auth-log-{}.txt",
        uuid::Uuid::new_v4().simple()
    ));
    let mut child = quan()
        .env("QUAN_LOG", "trace")
        .args([
            "serve",
            "--db",
            &db.url,
            "--listen",
            "127.0.0.1:0",
            "--tick-seconds",
            "0",
        ])
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .expect("spawn quan serve");
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    let base = loop {
        line.clear();
        assert!(reader.read_line(&mut line).unwrap() > 0, "server exited");
        if let Some(a) = line.trim().strip_prefix("listening on ") {
            break a.to_string();
        }
    };
    std::thread::spawn(move || for _ in reader.lines() {});

    // Wrong password, then right: neither the passwords nor the token may be logged.
    let wrong = "Wrong-Secret-Pw-123";
    let r = Api::new(&base)
        .post(
            "/api/v1/auth/login",
            &json!({"username": "admin", "password": wrong}),
            None,
        )
        .await;
    r.err(401, "bad_credentials");
    let api = Api::login(&base, "admin").await;
    let token = api.token.clone().unwrap();
    assert_eq!(token.len(), 64);
    let again = Api::login(&base, "admin").await;
    assert_ne!(again.token, api.token, "tokens must be fresh per login");
    api.get("/api/v1/me").await.ok();
    // A user created through the API: its password must not be logged either.
    let new_pw = "Another-Secret-Pw-456";
    api.post("/api/v1/users", &json!({"username": "rev2", "password": new_pw, "role": "reviewer", "display_name": "评审二"}), None).await.ok();

    // Security headers on API responses.
    let resp = reqwest::get(format!("{base}/api/v1/public/cities"))
        .await
        .unwrap();
    for h in [
        "x-content-type-options",
        "x-frame-options",
        "referrer-policy",
        "content-security-policy",
    ] {
        assert!(resp.headers().contains_key(h), "missing {h}");
    }

    // Logout revokes this token (and only this one).
    let out = api.post("/api/v1/auth/logout", &json!({}), None).await;
    assert_eq!(out.status, 204);
    api.get("/api/v1/me").await.err(401, "unauthorized");
    again.get("/api/v1/me").await.ok();

    // An expired session is refused.
    sqlx::any::install_default_drivers();
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&db.url)
        .await
        .unwrap();
    sqlx::query("UPDATE sessions SET expires_at = '2000-01-01T00:00:00.000Z'")
        .execute(&mut conn)
        .await
        .unwrap();
    again.get("/api/v1/me").await.err(401, "unauthorized");
    // Malformed tokens are refused without a database hit on garbage.
    let mut bad = Api::new(&base);
    bad.token = Some("x".repeat(64));
    bad.get("/api/v1/me").await.err(401, "unauthorized");

    let _ = child.kill();
    let _ = child.wait();
    let text = std::fs::read_to_string(&log).unwrap();
    let _ = std::fs::remove_file(&log);
    assert!(
        text.len() > 100,
        "the server logged almost nothing at trace level: {text}"
    );
    let hash = quan_api::auth::token_hash(&token);
    for (what, secret) in [
        ("password", PASSWORD),
        ("wrong password", wrong),
        ("new user's password", new_pw),
        ("token", token.as_str()),
        ("token hash", hash.as_str()),
    ] {
        assert!(
            !text.contains(secret),
            "the {what} appears in the server log"
        );
    }
}

/// Changing the password needs the current one and revokes every session of the user.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn password_change_revokes_all_sessions() {
    let (db, server) = fresh(Backend::Sqlite, "pwchange");
    let _ = &db;
    let a = Api::login(&server.base, "admin").await;
    let b = Api::login(&server.base, "admin").await;
    let r = a
        .post(
            "/api/v1/auth/password",
            &json!({"current_password": "wrong-one", "new_password": "brand-new-pass"}),
            None,
        )
        .await;
    r.err(400, "wrong_password");
    assert_eq!(r.body["field"], "current_password");
    a.post(
        "/api/v1/auth/password",
        &json!({"current_password": PASSWORD, "new_password": "short"}),
        None,
    )
    .await
    .err(400, "weak_password");
    a.get("/api/v1/me").await.ok();
    let ok = a
        .post(
            "/api/v1/auth/password",
            &json!({"current_password": PASSWORD, "new_password": "brand-new-pass"}),
            None,
        )
        .await;
    assert_eq!(ok.status, 204, "{}", ok.body);
    a.get("/api/v1/me").await.err(401, "unauthorized");
    b.get("/api/v1/me").await.err(401, "unauthorized");
    Api::new(&server.base)
        .post(
            "/api/v1/auth/login",
            &json!({"username": "admin", "password": PASSWORD}),
            None,
        )
        .await
        .err(401, "bad_credentials");
    let fresh_login = Api::new(&server.base)
        .post(
            "/api/v1/auth/login",
            &json!({"username": "admin", "password": "brand-new-pass"}),
            None,
        )
        .await;
    fresh_login.ok();
    let verify = {
        let mut api = Api::new(&server.base);
        api.token = Some(fresh_login.body["token"].as_str().unwrap().to_string());
        api.get("/api/v1/audit/verify").await
    };
    assert_eq!(verify.ok()["ok"], true);
}
