//! The SQL ledger against its rules, on SQLite and (with DATABASE_URL) PostgreSQL:
//! bounds, two-phase reservations, idempotent transfer ids, all-or-nothing batches, and agreement
//! with the in-memory reference model in quan-domain.
use quan_store::ledger;
use quan_store::{Store, StoreError, StoreOptions};

#[path = "support/transfer.rs"]
mod transfer;
use transfer::{Kind, Transfer};

async fn stores() -> Vec<(Store, Option<String>)> {
    let dir = std::env::temp_dir().join(format!("quan-ledger-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut v = vec![(
        Store::open(&StoreOptions::new(format!(
            "sqlite://{}",
            dir.join("l.db").display()
        )))
        .await
        .unwrap(),
        None,
    )];
    if let Ok(url) = std::env::var("DATABASE_URL") {
        let name = format!(
            "quan_ledger_{}",
            &uuid::Uuid::new_v4().simple().to_string()[..10]
        );
        let admin = Store::open(&StoreOptions::new(url.clone())).await.unwrap();
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(admin.writer())
            .await
            .unwrap();
        admin.close().await;
        let (head, _) = url.rsplit_once('/').unwrap();
        v.push((
            Store::open(&StoreOptions::new(format!("{head}/{name}")))
                .await
                .unwrap(),
            Some(name),
        ));
    }
    v
}

async fn drop_db(name: Option<String>) {
    if let (Some(name), Ok(url)) = (name, std::env::var("DATABASE_URL")) {
        let admin = Store::open(&StoreOptions::new(url)).await.unwrap();
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(admin.writer())
            .await;
        admin.close().await;
    }
}

async fn apply(store: &Store, ts: &[Transfer]) -> Result<(), StoreError> {
    let mut tx = store.begin().await?;
    for t in ts {
        if let Err(e) = ledger::post(&mut tx, &t.posting(), "2026-01-01T00:00:00Z").await {
            tx.rollback().await?;
            return Err(e);
        }
    }
    tx.commit().await?;
    Ok(())
}

async fn setup(store: &Store) {
    let mut tx = store.begin().await.unwrap();
    ledger::ensure_account(&mut tx, "external", "external", true)
        .await
        .unwrap();
    for a in ["source:a", "budget:p:a", "voucher:v", "payable:s"] {
        ledger::ensure_account(&mut tx, a, "test", false)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn sql_ledger_keeps_its_rules() {
    for (store, pg_name) in stores().await {
        setup(&store).await;
        apply(
            &store,
            &[
                Transfer::single("t1", "external", "source:a", 1_000, "appropriate"),
                Transfer::single("t2", "source:a", "budget:p:a", 600, "allocate"),
            ],
        )
        .await
        .unwrap();
        // Bound: the source has 400 left.
        let e = apply(
            &store,
            &[Transfer::single(
                "t3",
                "source:a",
                "budget:p:a",
                401,
                "allocate",
            )],
        )
        .await
        .unwrap_err();
        assert!(
            matches!(
                e,
                StoreError::InsufficientFunds {
                    available: 400,
                    amount: 401,
                    ..
                }
            ),
            "{e:?}"
        );
        // Idempotent id: same fields is a no-op, other fields an error.
        apply(
            &store,
            &[Transfer::single(
                "t2",
                "source:a",
                "budget:p:a",
                600,
                "allocate",
            )],
        )
        .await
        .unwrap();
        assert_eq!(
            ledger::balance(store.reader(), "budget:p:a")
                .await
                .unwrap()
                .balance,
            600
        );
        let e = apply(
            &store,
            &[Transfer::single(
                "t2",
                "source:a",
                "budget:p:a",
                599,
                "allocate",
            )],
        )
        .await
        .unwrap_err();
        assert!(matches!(
            e,
            StoreError::Conflict {
                code: "transfer_id_reused",
                ..
            }
        ));
        // Two-phase: reserve 500, then only 100 is available for another reservation.
        apply(
            &store,
            &[Transfer::pending(
                "r1",
                "budget:p:a",
                "voucher:v",
                500,
                "reserve",
            )],
        )
        .await
        .unwrap();
        let e = apply(
            &store,
            &[Transfer::pending(
                "r2",
                "budget:p:a",
                "voucher:v",
                101,
                "reserve",
            )],
        )
        .await
        .unwrap_err();
        assert!(matches!(
            e,
            StoreError::InsufficientFunds { available: 100, .. }
        ));
        let post = Transfer {
            id: "p1".into(),
            debit: "budget:p:a".into(),
            credit: "voucher:v".into(),
            amount: 0,
            kind: Kind::Post,
            pending_id: Some("r1".into()),
            code: "issue",
        };
        apply(&store, std::slice::from_ref(&post)).await.unwrap();
        let void = Transfer {
            id: "v1".into(),
            kind: Kind::Void,
            ..post.clone()
        };
        let e = apply(&store, &[void]).await.unwrap_err();
        assert!(
            matches!(
                e,
                StoreError::Conflict {
                    code: "invalid_state",
                    ..
                }
            ),
            "a posted reservation cannot be voided"
        );
        assert_eq!(
            ledger::balance(store.reader(), "voucher:v")
                .await
                .unwrap()
                .balance,
            500
        );
        // A batch that fails half-way changes nothing.
        let e = apply(
            &store,
            &[
                Transfer::single("b1", "voucher:v", "payable:s", 300, "redeem"),
                Transfer::single("b2", "voucher:v", "payable:s", 300, "redeem"),
            ],
        )
        .await
        .unwrap_err();
        assert!(matches!(e, StoreError::InsufficientFunds { .. }));
        assert_eq!(
            ledger::balance(store.reader(), "voucher:v")
                .await
                .unwrap()
                .balance,
            500
        );
        assert_eq!(
            ledger::balance(store.reader(), "payable:s")
                .await
                .unwrap()
                .balance,
            0
        );
        ledger::check_conservation(store.reader()).await.unwrap();
        store.close().await;
        drop_db(pg_name).await;
    }
}

/// Random transfer sequences applied to SQL and to the reference model end in the same balances.
#[tokio::test]
async fn sql_ledger_agrees_with_the_reference_model() {
    use quan_domain::{AccountFlags, Ledger};
    use rand::{Rng, SeedableRng};
    let seed: u64 = std::env::var("QUAN_LEDGER_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(7);
    for (store, pg_name) in stores().await {
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        let accounts = [
            "external",
            "source:a",
            "budget:p:a",
            "voucher:v",
            "payable:s",
        ];
        setup(&store).await;
        let mut model = Ledger::new();
        for a in accounts {
            model
                .create_account(
                    a,
                    AccountFlags {
                        may_go_negative: a == "external",
                    },
                )
                .unwrap();
        }
        let mut pendings: Vec<String> = Vec::new();
        for i in 0..300 {
            let (d, c) = loop {
                let d = accounts[rng.gen_range(0..accounts.len())];
                let c = accounts[rng.gen_range(0..accounts.len())];
                if d != c {
                    break (d, c);
                }
            };
            let amount = rng.gen_range(1..400);
            let mut new_pending = false;
            let (sql_t, model_t) = match rng.gen_range(0..10) {
                0..=5 => (
                    Transfer::single(format!("s{i}"), d, c, amount, "test"),
                    quan_domain::Transfer::single(format!("s{i}"), d, c, amount),
                ),
                6..=7 => {
                    new_pending = true;
                    (
                        Transfer::pending(format!("s{i}"), d, c, amount, "test"),
                        quan_domain::Transfer::pending(format!("s{i}"), d, c, amount),
                    )
                }
                _ if !pendings.is_empty() => {
                    let pid = pendings.remove(rng.gen_range(0..pendings.len()));
                    let p = model.transfer(&pid).unwrap().clone();
                    let post = rng.gen_bool(0.5);
                    let kind = if post { Kind::Post } else { Kind::Void };
                    let mt = if post {
                        quan_domain::Transfer::post(format!("s{i}"), &pid, 0)
                    } else {
                        quan_domain::Transfer::void(format!("s{i}"), &pid)
                    };
                    (
                        Transfer {
                            id: format!("s{i}"),
                            debit: p.debit.clone(),
                            credit: p.credit.clone(),
                            amount: 0,
                            kind,
                            pending_id: Some(pid),
                            code: "test",
                        },
                        mt,
                    )
                }
                _ => continue,
            };
            let sql_ok = apply(&store, &[sql_t]).await.is_ok();
            let model_ok = model.apply(model_t).is_ok();
            assert_eq!(
                sql_ok, model_ok,
                "step {i} seed {seed}: SQL and model disagree"
            );
            if new_pending && sql_ok {
                pendings.push(format!("s{i}"));
            }
        }
        for a in accounts {
            let b = ledger::balance(store.reader(), a).await.unwrap();
            let m = model.account(a).unwrap();
            assert_eq!(
                (b.balance, b.debits_pending, b.credits_pending),
                (m.balance, m.debits_pending, m.credits_pending),
                "account {a} seed {seed}"
            );
        }
        ledger::check_conservation(store.reader()).await.unwrap();
        model.check_conservation().unwrap();
        store.close().await;
        drop_db(pg_name).await;
    }
}
