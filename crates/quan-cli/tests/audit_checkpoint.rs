//! Signed audit checkpoints, on SQLite and PostgreSQL: the server signs the chain's head with
//! the deployment's key, publishes it, and exports carry it; `quan audit verify` then catches an
//! export cut short of a checkpoint, a rewritten history (even one whose own hashes are
//! consistent), and a checkpoint signed by another key.
mod common;

use common::*;
use serde_json::{json, Value};
use std::process::Command;

fn run(cmd: &mut Command) -> (bool, String, String) {
    let out = cmd.output().expect("run quan");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn verify(file: &std::path::Path, extra: &[&str]) -> (bool, String) {
    let (ok, out, err) = run(quan()
        .args(["audit", "verify", file.to_str().unwrap()])
        .args(extra));
    (ok, format!("{out}{err}"))
}

/// Recomputes every hash from `from_seq` on, as a forger who rewrote history would.
fn rechain(lines: &mut [Value], from_seq: i64) {
    let mut prev: Option<String> = None;
    for l in lines.iter_mut().filter(|l| l.get("seq").is_some()) {
        let mut r: quan_domain::AuditRecord = serde_json::from_value(l.clone()).unwrap();
        if r.seq >= from_seq {
            r.prev_hash = prev.clone().unwrap_or(r.prev_hash);
            r.hash = r.expected_hash();
            *l = serde_json::to_value(&r).unwrap();
        }
        prev = Some(r.hash);
    }
}

fn write(path: &std::path::Path, lines: &[Value]) {
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(path, text).unwrap();
}

async fn checkpoints(backend: Backend) {
    let db = TestDb::new(backend, "checkpoint");
    create_user(&db.url, "admin", "admin", &[]);
    let dir = tempdir("ckpt");
    let key = dir.join("audit.key");
    let (ok, public, err) = run(quan().args(["audit", "keygen", "--out", key.to_str().unwrap()]));
    assert!(ok, "{err}");
    let public = public.trim().to_string();
    assert_eq!(public.len(), 64);
    let server = Server::start(
        &db.url,
        &[
            "--test-clock",
            "--today",
            "2026-06-01",
            "--audit-key",
            key.to_str().unwrap(),
        ],
    );
    let w = world(&db.url, &server, 100_000_000, 5_000_000).await;
    let cp = w
        .admin
        .post("/api/v1/admin/audit/checkpoint", &json!({}), None)
        .await;
    let cp = cp.ok().clone();
    assert_eq!(cp["public_key"], public.as_str());
    let published = Api::new(&server.base)
        .get("/api/v1/public/audit/checkpoint")
        .await;
    assert_eq!(published.ok(), &cp, "anyone may read the latest checkpoint");
    // Activity after the checkpoint.
    issue_voucher(&w, 1_000_000).await;

    let export = dir.join("audit.ndjson");
    let (ok, _, err) = run(quan().args([
        "audit",
        "export",
        "--db",
        &db.url,
        "--out",
        export.to_str().unwrap(),
    ]));
    assert!(ok, "{err}");
    let (ok, out) = verify(&export, &["--public-key", &public]);
    assert!(ok && out.contains("1 checkpoints agree"), "{out}");
    let lines: Vec<Value> = std::fs::read_to_string(&export)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let seq = cp["seq"].as_i64().unwrap();
    let saved_cp = dir.join("checkpoint.json");
    std::fs::write(&saved_cp, cp.to_string()).unwrap();

    // Truncated: the records from the checkpoint's seq on are cut off (checkpoint lines too).
    let cut: Vec<Value> = lines
        .iter()
        .filter(|l| l["seq"].as_i64().is_some_and(|s| s < seq))
        .cloned()
        .collect();
    let truncated = dir.join("truncated.ndjson");
    write(&truncated, &cut);
    let (ok, out) = verify(&truncated, &[]);
    assert!(ok, "without a checkpoint a clean prefix verifies: {out}");
    let (ok, out) = verify(&truncated, &["--checkpoint", saved_cp.to_str().unwrap()]);
    assert!(!ok && out.contains("short of the checkpoint"), "{out}");
    // Rewritten: the record at the checkpoint changed and every later hash recomputed.
    let mut forged = lines.clone();
    let at = forged.iter().position(|l| l["seq"] == seq).unwrap();
    forged[at]["after"] = json!("{\"subsidy_fen\": 100000}");
    rechain(&mut forged, seq);
    let forged_file = dir.join("forged.ndjson");
    write(&forged_file, &forged);
    let (ok, out) = verify(&forged_file, &[]);
    assert!(!ok && out.contains("diverges from the checkpoint"), "{out}");
    // A checkpoint signed by another key.
    let other = dir.join("other.key");
    let (_, other_public, _) =
        run(quan().args(["audit", "keygen", "--out", other.to_str().unwrap()]));
    let (ok, out) = verify(&export, &["--public-key", other_public.trim()]);
    assert!(!ok && out.contains("not the expected key"), "{out}");
}

fn tempdir(tag: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("quan-{tag}-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checkpoints_catch_truncation_rewriting_and_other_keys() {
    for b in backends() {
        checkpoints(b).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_key_there_is_no_checkpoint() {
    let (_db, server) = fresh(Backend::Sqlite, "nockpt");
    let admin = Api::login(&server.base, "admin").await;
    admin
        .post("/api/v1/admin/audit/checkpoint", &json!({}), None)
        .await
        .err(409, "audit_key_missing");
    Api::new(&server.base)
        .get("/api/v1/public/audit/checkpoint")
        .await
        .err(404, "not_found");
}
