//! Signed usage (issue 14 D) against the real `quan serve`: a supplier registers an Ed25519 key,
//! then only batches signed with it are accepted — tampered bodies, other keys, a batch replayed
//! under a new Idempotency-Key and a retired key are refused whole with a clear code and change
//! nothing; rotation needs the live key's signature (or an administrator); `quan usage verify`
//! checks the stored batches offline and finds a record altered in the database. SQLite always,
//! PostgreSQL too when DATABASE_URL is set.
mod common;
mod metering_env;

use common::*;
use metering_env::*;
use serde_json::{json, Value};

const SEED_1: [u8; 32] = [11; 32];
const SEED_2: [u8; 32] = [22; 32];

/// POSTs a body as sent, with optional signature headers.
async fn send(
    api: &Api,
    body: &str,
    idem: &str,
    signature: Option<&str>,
    key_id: Option<&str>,
) -> Resp {
    let mut req = api
        .http
        .post(format!("{}/api/v1/usage", api.base))
        .bearer_auth(api.token.as_deref().unwrap())
        .header("content-type", "application/json")
        .header("Idempotency-Key", idem)
        .body(body.to_string());
    if let Some(s) = signature {
        req = req.header("Quan-Signature", s);
    }
    if let Some(k) = key_id {
        req = req.header("Quan-Key-Id", k);
    }
    let resp = req.send().await.expect("request");
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    Resp {
        status,
        body: serde_json::from_str(&text).unwrap_or(Value::String(text)),
    }
}

fn sign(seed: &[u8; 32], supplier: &str, idem: &str, body: &str) -> String {
    quan_domain::sign_usage_batch(seed, supplier, idem, body.as_bytes())
}

fn verify(url: &str) -> (bool, String) {
    let out = quan()
        .args(["usage", "verify", "--db", url])
        .output()
        .expect("quan usage verify");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_usage_keys_signatures_rotation_and_offline_verify() {
    for backend in backends() {
        let (db, server) = fresh(backend, "signed_usage");
        let env = setup(&db, &server, 5_000_000).await;
        let sup = env.supplier_id.as_str();
        let keys_path = format!("/api/v1/suppliers/{sup}/usage-keys");
        // Before a key: unsigned batches are accepted as before.
        let b0 = json!([rec("s-0", &env.p_jinan, &env.e1, 3, 3600)]).to_string();
        assert_eq!(
            send(&env.sup, &b0, "b0", None, None).await.ok()["accepted"],
            1
        );

        // Bad keys are refused naming the field; other roles may not register.
        let pk1 = quan_domain::public_key_hex(&SEED_1);
        for bad in ["", "abc", &"00".repeat(32)] {
            let r = env
                .sup
                .post_once(&keys_path, &json!({"public_key": bad}))
                .await;
            assert_eq!(
                r.err(400, "invalid_public_key")["field"],
                "public_key",
                "{bad}"
            );
        }
        env.ent
            .post_once(&keys_path, &json!({"public_key": pk1}))
            .await
            .err(403, "forbidden");
        let k1 = env
            .sup
            .post_once(&keys_path, &json!({"public_key": pk1}))
            .await;
        assert_eq!(k1.status, 201, "{}", k1.body);
        let k1_id = k1.body["id"].as_str().unwrap().to_string();
        assert_eq!(k1.body["public_key"], pk1);

        // From now on every batch is signed; refusals change nothing.
        let before = record_count(&db.url).await;
        let b1 = json!([
            rec("s-1", &env.p_jinan, &env.e1, 2, 7200),
            rec("s-2", &env.p_qingdao, &env.e2, 2, 1800)
        ])
        .to_string();
        let r = send(&env.sup, &b1, "b1", None, None).await;
        assert_eq!(r.err(400, "signature_missing")["field"], "Quan-Signature");
        let tampered = b1.replace("7200", "72000");
        let sig1 = sign(&SEED_1, sup, "b1", &b1);
        send(&env.sup, &tampered, "b1", Some(&sig1), None)
            .await
            .err(400, "signature_invalid");
        let wrong = sign(&SEED_2, sup, "b1", &b1);
        send(&env.sup, &b1, "b1", Some(&wrong), None)
            .await
            .err(400, "signature_invalid");
        send(&env.sup, &b1, "b1", Some("not-hex"), None)
            .await
            .err(400, "signature_malformed");
        send(&env.sup, &b1, "b1", Some(&sig1), Some("uk_nope"))
            .await
            .err(400, "signature_key_unknown");
        assert_eq!(
            record_count(&db.url).await,
            before,
            "a refused batch wrote records"
        );

        // The signed batch is accepted; its resend replays; the same bytes under a new key do not verify.
        let ok = send(&env.sup, &b1, "b1", Some(&sig1), Some(&k1_id)).await;
        assert_eq!(ok.ok()["accepted"], 2, "{}", ok.body);
        let again = send(&env.sup, &b1, "b1", Some(&sig1), None).await;
        assert_eq!(again.ok(), ok.ok());
        send(&env.sup, &b1, "b1-replayed", Some(&sig1), None)
            .await
            .err(400, "signature_invalid");
        // An administrator sending for the supplier signs too (the supplier's key, the supplier's id).
        let b2 = json!([rec("s-3", &env.p_jinan, &env.e2, 1, 600)]).to_string();
        let mut req = env
            .admin
            .http
            .post(format!("{}/api/v1/usage?supplier_id={sup}", env.admin.base))
            .bearer_auth(env.admin.token.as_deref().unwrap())
            .header("content-type", "application/json")
            .header("Idempotency-Key", "b2");
        req = req
            .header("Quan-Signature", sign(&SEED_1, sup, "b2", &b2))
            .body(b2.clone());
        assert_eq!(req.send().await.unwrap().status().as_u16(), 200);

        // Rotation: the supplier needs the live key's signature; then the old key is retired.
        let pk2 = quan_domain::public_key_hex(&SEED_2);
        let r = env
            .sup
            .post_once(&keys_path, &json!({"public_key": pk2}))
            .await;
        r.err(400, "rotation_signature_required");
        let forged = quan_domain::sign_key_rotation(&SEED_2, sup, &pk2);
        env.sup
            .post_once(
                &keys_path,
                &json!({"public_key": pk2, "rotation_signature": forged}),
            )
            .await
            .err(400, "signature_invalid");
        let hand_over = quan_domain::sign_key_rotation(&SEED_1, sup, &pk2);
        let k2 = env
            .sup
            .post_once(
                &keys_path,
                &json!({"public_key": pk2, "rotation_signature": hand_over}),
            )
            .await;
        assert_eq!(k2.status, 201, "{}", k2.body);
        env.sup
            .post_once(&keys_path, &json!({"public_key": pk1}))
            .await
            .err(400, "key_reused");
        let listed = env.auditor.get(&keys_path).await;
        let listed = listed.ok().as_array().unwrap().clone();
        assert_eq!(listed.len(), 2);
        assert!(listed[0]["retired_at"].is_string() && listed[1]["retired_at"].is_null());
        let b3 = json!([rec("s-4", &env.p_jinan, &env.e1, 1, 900)]).to_string();
        send(
            &env.sup,
            &b3,
            "b3",
            Some(&sign(&SEED_1, sup, "b3", &b3)),
            Some(&k1_id),
        )
        .await
        .err(400, "signature_key_retired");
        send(
            &env.sup,
            &b3,
            "b3",
            Some(&sign(&SEED_1, sup, "b3", &b3)),
            None,
        )
        .await
        .err(400, "signature_invalid");
        assert_eq!(
            send(
                &env.sup,
                &b3,
                "b3",
                Some(&sign(&SEED_2, sup, "b3", &b3)),
                None
            )
            .await
            .ok()["accepted"],
            1
        );

        // A file import would store unsigned records: refused.
        let dir = tempdir::TempDir::new("signed_import");
        let csv = dir.0.join("u.csv");
        std::fs::write(
            &csv,
            "record_id,product_id,enterprise_id,started_at,ended_at,gpu_seconds\n",
        )
        .unwrap();
        let out = quan()
            .args([
                "usage",
                "import",
                csv.to_str().unwrap(),
                "--db",
                &db.url,
                "--supplier-id",
                sup,
                "--quiet",
            ])
            .output()
            .unwrap();
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("signs its usage"));

        check_invariants(&db.url).await;
        audit_ok(&env.admin).await;
        drop(server);
        // Offline: every stored signed batch verifies; an altered record is found.
        let (ok, text) = verify(&db.url);
        assert!(ok, "{text}");
        assert!(text.contains("3 batches, 4 stored records"), "{text}");
        let mut c = db_conn(&db.url).await;
        sqlx::query(
            "UPDATE usage_records SET gpu_seconds = gpu_seconds + 1 WHERE record_id = 's-2'",
        )
        .execute(&mut c)
        .await
        .unwrap();
        let (ok, text) = verify(&db.url);
        assert!(
            !ok && text.contains("record s-2 differs from what was signed"),
            "{text}"
        );
        sqlx::query("UPDATE usage_records SET batch_id = 'ub_forged' WHERE record_id = 's-3'")
            .execute(&mut c)
            .await
            .unwrap();
        let (ok, text) = verify(&db.url);
        assert!(
            !ok && text.contains("1 records stored since its first key have no signed batch"),
            "{text}"
        );
    }
}
