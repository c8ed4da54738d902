//! `quan audit reconcile`: the stored state recomputed from the audit chain. The whole demo
//! (every kind of operation, metered usage included) reconciles clean; a redemption's subsidy
//! raised directly in SQL — with the ledger kept balanced, so conservation still holds — and a
//! balance moved without a transfer are each named, on SQLite and PostgreSQL; `quan restore`
//! refuses a backup holding such an edit.
mod common;

use common::*;
use serde_json::json;
use std::process::Command;

fn run(cmd: &mut Command) -> (bool, String) {
    let out = cmd.output().expect("run quan");
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

fn reconcile(url: &str) -> (bool, String) {
    run(quan().args(["audit", "reconcile", "--db", url]))
}

async fn exec(url: &str, sql: &str) {
    sqlx::any::install_default_drivers();
    let mut c = <sqlx::AnyConnection as sqlx::Connection>::connect(url)
        .await
        .unwrap();
    sqlx::query(sql).execute(&mut c).await.unwrap();
}

async fn direct_edits(backend: Backend) {
    let (db, server) = fresh(backend, "reconcile");
    let w = world(&db.url, &server, 100_000_000, 5_000_000).await;
    let voucher = issue_voucher(&w, 2_000_000).await;
    let mut ids = Vec::new();
    for amount in [400_000, 300_000] {
        let r = w
            .supplier
            .post_once("/api/v1/redemptions", &json!({"voucher_id": voucher, "product_id": w.product_id, "invoice_number": invoice(), "invoice_amount_fen": amount, "invoice_date": "2026-05-01"}))
            .await;
        ids.push(r.ok()["id"].as_str().unwrap().to_string());
    }
    w.admin
        .post_once(
            &format!("/api/v1/redemptions/{}/clawback", ids[1]),
            &json!({"reason": "抽查"}),
        )
        .await
        .ok();
    w.admin
        .post_once(
            "/api/v1/settlements",
            &json!({"supplier_id": w.supplier_id, "period": "2026-05"}),
        )
        .await
        .ok();
    let (ok, out) = reconcile(&db.url);
    assert!(ok, "a clean database reconciles: {out}");

    // ¥1,000 more subsidy on the first redemption, moved through the ledger so it balances.
    let red = &ids[0];
    for sql in [
        format!("UPDATE redemptions SET subsidy_fen = subsidy_fen + 100000 WHERE id = '{red}'"),
        format!("UPDATE ledger_transfers SET amount = amount + 100000 WHERE id = 'redeem:{red}'"),
        format!(
            "UPDATE ledger_accounts SET balance = balance - 100000 WHERE id = 'voucher:{voucher}'"
        ),
        format!(
            "UPDATE ledger_accounts SET balance = balance + 100000 WHERE id = 'settled:{}'",
            w.supplier_id
        ),
    ] {
        exec(&db.url, &sql).await;
    }
    let (ok, out) = reconcile(&db.url);
    assert!(!ok, "{out}");
    assert!(
        out.contains(&format!(
            "redemption {red} subsidy_fen: the audit chain says 120000, the database holds 220000"
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!("ledger transfer redeem:{red} amount")),
        "{out}"
    );
    // The same edit also broke the settled account against its transfers? No: the settle
    // transfer was not changed, so the settled balance no longer matches its transfers.
    assert!(
        out.contains(&format!("ledger account settled:{}", w.supplier_id)),
        "{out}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn direct_database_edits_are_named() {
    for b in backends() {
        direct_edits(b).await;
    }
}

/// A copy of a SQLite database (through `quan backup`), as a URL.
async fn path_copy(url: &str, tag: &str) -> String {
    let src = url.trim_start_matches("sqlite://");
    let copy = format!("{src}.{tag}.db");
    let (ok, out) = run(quan().args(["backup", "--db", url, &copy]));
    assert!(ok, "{out}");
    format!("sqlite://{copy}")
}

/// The full demo data set (applications in every state, redemptions, clawbacks, settlements,
/// expiries, 45 days of metered usage) reconciles with no mismatch, and a SQLite backup with a
/// balance moved behind the ledger's back is refused by `quan restore`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_reconciles_and_restore_refuses_an_edited_backup() {
    let db = TestDb::new(Backend::Sqlite, "recdemo");
    let (ok, out) = run(quan().args(["seed", "--db", &db.url, "--demo", "--enterprises", "200"]));
    assert!(ok, "{out}");
    let (ok, out) = reconcile(&db.url);
    assert!(ok, "the demo reconciles: {out}");
    // The usage rollups (what the hub view and dashboard read) must equal the records: one
    // rollup nudged by a fen is named.
    let edited = path_copy(&db.url, "rollup").await;
    exec(&edited, "UPDATE usage_rollups SET subsidy_fen = subsidy_fen + 1 WHERE rowid = (SELECT MIN(rowid) FROM usage_rollups)").await;
    let (ok, out) = reconcile(&edited);
    assert!(!ok && out.contains("usage rollup"), "{out}");
    let path = db.path().unwrap();
    let backup = path.with_extension("backup.db");
    let (ok, out) = run(quan().args(["backup", "--db", &db.url, backup.to_str().unwrap()]));
    assert!(ok, "{out}");
    let backup_url = format!("sqlite://{}", backup.display());
    // ¥1 onto a voucher from the external account: balances still sum to zero (conservation
    // holds), but no transfer explains it.
    exec(&backup_url, "UPDATE ledger_accounts SET balance = balance + 100 WHERE id = (SELECT MIN(id) FROM ledger_accounts WHERE kind = 'voucher')").await;
    exec(
        &backup_url,
        "UPDATE ledger_accounts SET balance = balance - 100 WHERE id = 'external'",
    )
    .await;
    let restored = path.with_extension("restored.db");
    let (ok, out) = run(quan().args([
        "restore",
        backup.to_str().unwrap(),
        "--to",
        restored.to_str().unwrap(),
    ]));
    assert!(!ok, "restore must refuse the edited backup: {out}");
    assert!(out.contains("MISMATCH ledger account voucher:"), "{out}");
}
