//! Backup and restore (issue 5).
//!
//! SQLite: `quan backup --db <url> <out>` takes a consistent online copy (`VACUUM INTO`) while
//! `quan serve` keeps running; it refuses to overwrite an existing file. `quan restore <backup>
//! --to <file>` (server stopped) copies it into place, removes stale `-wal`/`-shm` files, runs
//! migrations, verifies the audit chain and ledger conservation, and exits non-zero naming the
//! first broken audit record otherwise.
//!
//! PostgreSQL (no `quan backup`; use the PostgreSQL tools, client version ≥ server version):
//!
//! ```text
//! pg_dump -Fc -f quan.dump postgres://…/quan                 # online, one consistent snapshot
//! createdb quan_restored                                       # or CREATE DATABASE …
//! pg_restore --no-owner -d postgres://…/quan_restored quan.dump
//! quan audit export --db postgres://…/quan_restored --out audit.ndjson
//! quan audit verify audit.ndjson                               # chain intact
//! quan serve --db postgres://…/quan_restored                   # migrations are already applied
//! ```
//!
//! Ledger conservation of the restored database is checked here with
//! `quan_store::ledger::check_conservation` (the same check `quan restore` runs for SQLite).
//! The PostgreSQL test runs when DATABASE_URL is set and `pg_dump`/`pg_restore` are on PATH.
//! Run: `cargo test -p quan-cli --test backup`
//! (`DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres` for the PostgreSQL part).
mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use serde_json::json;
use sqlx::Row;

fn tmpdir(tag: &str) -> PathBuf {
    let p = std::env::temp_dir().join(format!(
        "quan-backup-{tag}-{}",
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::create_dir_all(&p).unwrap();
    p
}

fn run(cmd: &mut Command) -> (bool, String, String) {
    let out = cmd.output().expect("run quan");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every ledger account with (balance, debits pending, credits pending), sorted.
async fn ledger(url: &str) -> Vec<(String, i64, i64, i64)> {
    sqlx::any::install_default_drivers();
    let mut c = <sqlx::AnyConnection as sqlx::Connection>::connect(url)
        .await
        .expect("connect");
    let rows = sqlx::query(
        "SELECT id, balance, debits_pending, credits_pending FROM ledger_accounts ORDER BY id",
    )
    .fetch_all(&mut c)
    .await
    .unwrap();
    rows.iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
        .collect()
}

async fn count(url: &str, sql: &str) -> i64 {
    sqlx::any::install_default_drivers();
    let mut c = <sqlx::AnyConnection as sqlx::Connection>::connect(url)
        .await
        .expect("connect");
    sqlx::query(sql)
        .fetch_one(&mut c)
        .await
        .unwrap()
        .get::<i64, _>(0)
}

/// `quan audit export` + `quan audit verify`: the chain verifies; returns the record count line.
fn export_and_verify(url: &str, dir: &Path) -> String {
    let file = dir.join(format!("audit-{}.ndjson", uuid::Uuid::new_v4().simple()));
    let (ok, _, err) = run(quan().args([
        "audit",
        "export",
        "--db",
        url,
        "--out",
        file.to_str().unwrap(),
    ]));
    assert!(ok, "audit export: {err}");
    let (ok, out, err) = run(quan().args(["audit", "verify", file.to_str().unwrap()]));
    assert!(ok, "audit verify of the restored database: {err}");
    assert!(out.starts_with("OK:"), "{out}");
    out
}

async fn conserved(url: &str) {
    let store = quan_store::Store::open(&quan_store::StoreOptions::new(url))
        .await
        .unwrap();
    quan_store::ledger::check_conservation(store.reader())
        .await
        .unwrap();
    store.close().await;
}

async fn redeem(w: &World, voucher: &str, amount: i64) -> String {
    let r = w
        .supplier
        .post_once("/api/v1/redemptions", &json!({"voucher_id": voucher, "product_id": w.product_id, "invoice_number": invoice(), "invoice_amount_fen": amount, "invoice_date": "2026-05-20"}))
        .await;
    r.ok()["id"].as_str().unwrap().to_string()
}

async fn voucher_balance(api: &Api, id: &str) -> i64 {
    api.get(&format!("/api/v1/vouchers/{id}")).await.ok()["balance_fen"]
        .as_i64()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_online_backup_restores_the_state_at_backup_time() {
    let (db, mut server) = fresh(Backend::Sqlite, "backup");
    let w = world(&db.url, &server, 100_000_000, 5_000_000).await;
    let v1 = issue_voucher(&w, 3_000_000).await;
    let v2 = issue_voucher(&w, 2_000_000).await;
    let r1 = redeem(&w, &v1, 1_000_000).await;
    redeem(&w, &v1, 2_500_000).await;
    redeem(&w, &v2, 400_000).await;
    w.admin
        .post_once(
            &format!("/api/v1/redemptions/{r1}/clawback"),
            &json!({"reason": "抽查"}),
        )
        .await
        .ok();

    // Online backup while the server is running.
    let at_backup = ledger(&db.url).await;
    let (b1, b2) = (
        voucher_balance(&w.admin, &v1).await,
        voucher_balance(&w.admin, &v2).await,
    );
    let audit_at_backup = count(&db.url, "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log").await;
    let dir = tmpdir("sqlite");
    let backup = dir.join("backup.db");
    let (ok, out, err) = run(quan().args(["backup", "--db", &db.url, backup.to_str().unwrap()]));
    assert!(ok, "quan backup: {err}");
    assert!(out.contains("backup written"), "{out}");

    // The server is still serving; more changes after the backup.
    let later = redeem(&w, &v2, 1_000_000).await;
    let v3 = issue_voucher(&w, 1_000_000).await;
    let st = w
        .admin
        .post_once(
            "/api/v1/settlements",
            &json!({"supplier_id": w.supplier_id, "period": "2026-05"}),
        )
        .await;
    st.ok();
    assert_ne!(voucher_balance(&w.admin, &v2).await, b2);
    assert_ne!(ledger(&db.url).await, at_backup);

    // A second backup to the same file is refused and leaves the file alone.
    let before = std::fs::read(&backup).unwrap();
    let (ok, _, err) = run(quan().args(["backup", "--db", &db.url, backup.to_str().unwrap()]));
    assert!(!ok, "backup overwrote an existing file");
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(std::fs::read(&backup).unwrap(), before);

    // A backup taken while redemptions are being written is a consistent snapshot too.
    let busy = dir.join("busy.db");
    let load = {
        let (sup, product, voucher) = (w.supplier.clone(), w.product_id.clone(), v3.clone());
        tokio::spawn(async move {
            for _ in 0..40 {
                let r = sup
                    .post_once("/api/v1/redemptions", &json!({"voucher_id": voucher, "product_id": product, "invoice_number": invoice(), "invoice_amount_fen": 1_000, "invoice_date": "2026-05-21"}))
                    .await;
                r.ok();
            }
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let (ok, _, err) = run(quan().args(["backup", "--db", &db.url, busy.to_str().unwrap()]));
    assert!(ok, "quan backup under load: {err}");
    load.await.unwrap();
    let busy_target = dir.join("busy-restored.db");
    let (ok, out, err) = run(quan().args([
        "restore",
        busy.to_str().unwrap(),
        "--to",
        busy_target.to_str().unwrap(),
    ]));
    assert!(ok, "restore of the backup taken under load: {out} {err}");
    let burl = format!("sqlite://{}", busy_target.display());
    let reds = count(&burl, "SELECT CAST(COUNT(*) AS BIGINT) FROM redemptions").await;
    assert_eq!(
        reds,
        count(
            &burl,
            "SELECT CAST(COUNT(*) AS BIGINT) FROM ledger_transfers WHERE code = 'redeem'"
        )
        .await
    );
    assert_eq!(
        reds,
        count(
            &burl,
            "SELECT CAST(COUNT(*) AS BIGINT) FROM audit_log WHERE action = 'redemption.create'"
        )
        .await
    );

    // Stop the server and restore into a new file.
    server.kill9();
    let target = dir.join("restored.db");
    let (ok, out, err) = run(quan().args([
        "restore",
        backup.to_str().unwrap(),
        "--to",
        target.to_str().unwrap(),
    ]));
    assert!(ok, "quan restore: {err}");
    assert!(
        out.contains(&format!("{audit_at_backup} audit records verified"))
            && out.contains("ledger conserved"),
        "{out}"
    );
    let url = format!("sqlite://{}", target.display());
    let verified = export_and_verify(&url, &dir);
    assert!(
        verified.contains(&format!("{audit_at_backup} records")),
        "{verified}"
    );
    conserved(&url).await;
    assert_eq!(
        ledger(&url).await,
        at_backup,
        "restored ledger ≠ ledger at backup time"
    );
    assert_eq!(
        count(
            &url,
            &format!("SELECT CAST(COUNT(*) AS BIGINT) FROM redemptions WHERE id = '{later}'")
        )
        .await,
        0
    );
    assert_eq!(
        count(
            &url,
            &format!("SELECT CAST(COUNT(*) AS BIGINT) FROM vouchers WHERE id = '{v3}'")
        )
        .await,
        0
    );
    assert_eq!(
        count(&url, "SELECT CAST(COUNT(*) AS BIGINT) FROM settlements").await,
        0
    );

    // The restored database serves, with the balances of backup time (sessions and users came along).
    let restored = Server::start(&url, &["--test-clock", "--today", "2026-06-01"]);
    let admin = Api::login(&restored.base, "admin").await;
    assert_eq!(
        (
            voucher_balance(&admin, &v1).await,
            voucher_balance(&admin, &v2).await
        ),
        (b1, b2)
    );
    assert_eq!(admin.get("/api/v1/audit/verify").await.ok()["ok"], true);
    drop(restored);

    // Restoring over an existing database replaces it (stale WAL files included).
    std::fs::write(dir.join("restored.db-wal"), b"stale").unwrap();
    let (ok, _, err) = run(quan().args([
        "restore",
        backup.to_str().unwrap(),
        "--to",
        target.to_str().unwrap(),
    ]));
    assert!(ok, "second restore: {err}");
    assert_eq!(ledger(&url).await, at_backup);

    // A tampered backup: one byte of one audit record changed → restore fails and names it.
    let tampered = dir.join("tampered.db");
    std::fs::copy(&backup, &tampered).unwrap();
    let turl = format!("sqlite://{}", tampered.display());
    let seq = count(
        &turl,
        "SELECT CAST(MIN(seq) AS BIGINT) FROM audit_log WHERE action = 'redemption.create'",
    )
    .await;
    {
        let mut c = <sqlx::AnyConnection as sqlx::Connection>::connect(&turl)
            .await
            .unwrap();
        let after: String = sqlx::query("SELECT after_json FROM audit_log WHERE seq = $1")
            .bind(seq)
            .fetch_one(&mut c)
            .await
            .unwrap()
            .get(0);
        let pos = after
            .find(|ch: char| ch.is_ascii_digit())
            .expect("a digit to flip");
        let mut bytes = after.into_bytes();
        bytes[pos] = if bytes[pos] == b'9' {
            b'8'
        } else {
            bytes[pos] + 1
        };
        let flipped = String::from_utf8(bytes).unwrap();
        let n = sqlx::query("UPDATE audit_log SET after_json = $1 WHERE seq = $2")
            .bind(&flipped)
            .bind(seq)
            .execute(&mut c)
            .await
            .unwrap()
            .rows_affected();
        assert_eq!(n, 1);
        sqlx::Connection::close(c).await.unwrap();
    }
    let target2 = dir.join("restored-tampered.db");
    let (ok, out, err) = run(quan().args([
        "restore",
        tampered.to_str().unwrap(),
        "--to",
        target2.to_str().unwrap(),
    ]));
    assert!(!ok, "a tampered backup was restored: {out}");
    assert!(
        err.contains(&format!("audit record {seq} is broken")),
        "the message must name record {seq}: {err}"
    );

    // Restore of a file that does not exist fails cleanly.
    let (ok, _, err) = run(quan().args([
        "restore",
        dir.join("nope.db").to_str().unwrap(),
        "--to",
        dir.join("x.db").to_str().unwrap(),
    ]));
    assert!(!ok && err.contains("does not exist"), "{err}");
    drop(db);
    let _ = std::fs::remove_dir_all(&dir);
}

fn on_path(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_pg_dump_and_pg_restore_keep_chain_and_ledger() {
    if !backends().contains(&Backend::Postgres) {
        return;
    }
    if !on_path("pg_dump") || !on_path("pg_restore") {
        eprintln!("pg_dump/pg_restore not on PATH: skipping the PostgreSQL backup test");
        return;
    }
    let (db, server) = fresh(Backend::Postgres, "pgdump");
    let w = world(&db.url, &server, 100_000_000, 5_000_000).await;
    let v1 = issue_voucher(&w, 3_000_000).await;
    let r1 = redeem(&w, &v1, 1_000_000).await;
    redeem(&w, &v1, 2_000_000).await;
    w.admin
        .post_once(
            &format!("/api/v1/redemptions/{r1}/clawback"),
            &json!({"reason": "抽查"}),
        )
        .await
        .ok();
    let at_dump = ledger(&db.url).await;
    let b1 = voucher_balance(&w.admin, &v1).await;

    // Online dump while the server runs; then a change the restore must not contain.
    let dir = tmpdir("pg");
    let dump = dir.join("quan.dump");
    let (ok, _, err) =
        run(Command::new("pg_dump").args(["-Fc", "-f", dump.to_str().unwrap(), &db.url]));
    assert!(ok, "pg_dump: {err}");
    redeem(&w, &v1, 500_000).await;
    drop(server);

    let restored = TestDb::new(Backend::Postgres, "pgrestore");
    let (ok, _, err) = run(Command::new("pg_restore").args([
        "--no-owner",
        "-d",
        &restored.url,
        dump.to_str().unwrap(),
    ]));
    assert!(ok, "pg_restore: {err}");
    export_and_verify(&restored.url, &dir);
    conserved(&restored.url).await;
    assert_eq!(
        ledger(&restored.url).await,
        at_dump,
        "restored ledger ≠ ledger at dump time"
    );
    let srv = Server::start(&restored.url, &["--test-clock", "--today", "2026-06-01"]);
    let admin = Api::login(&srv.base, "admin").await;
    assert_eq!(voucher_balance(&admin, &v1).await, b1);
    assert_eq!(admin.get("/api/v1/audit/verify").await.ok()["ok"], true);
    drop(srv);
    drop(restored);
    drop(db);
    let _ = std::fs::remove_dir_all(&dir);
}
