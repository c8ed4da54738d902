use super::*;
use proptest::prelude::*;

const NEG: AccountFlags = AccountFlags {
    may_go_negative: true,
};
const BOUNDED: AccountFlags = AccountFlags {
    may_go_negative: false,
};

fn ledger() -> Ledger {
    let mut l = Ledger::new();
    l.create_account("appropriation", NEG).unwrap();
    for id in ["source", "budget", "voucher", "payable"] {
        l.create_account(id, BOUNDED).unwrap();
    }
    l
}

fn bal(l: &Ledger, id: &str) -> (i64, i64, i64) {
    let a = l.account(id).unwrap();
    (a.balance, a.debits_pending, a.credits_pending)
}

#[test]
fn accounts_are_idempotent() {
    let mut l = ledger();
    l.create_account("source", BOUNDED).unwrap();
    assert_eq!(
        l.create_account("source", NEG),
        Err(LedgerError::AccountExists {
            id: "source".into()
        })
    );
    assert_eq!(l.create_account("", NEG), Err(LedgerError::EmptyId));
    assert_eq!(l.accounts().count(), 5);
}

#[test]
fn single_and_bounds() {
    let mut l = ledger();
    assert_eq!(
        l.apply(Transfer::single("t1", "appropriation", "source", 1000)),
        Ok(TransferOutcome::Applied)
    );
    assert_eq!(bal(&l, "appropriation"), (-1000, 0, 0));
    assert_eq!(bal(&l, "source"), (1000, 0, 0));
    let e = l
        .apply(Transfer::single("t2", "source", "budget", 1001))
        .unwrap_err();
    assert_eq!(
        e,
        LedgerError::InsufficientFunds {
            account: "source".into(),
            available: 1000,
            amount: 1001
        }
    );
    assert!(l.transfer("t2").is_none());
    l.apply(Transfer::single("t2", "source", "budget", 1000))
        .unwrap();
    assert_eq!(l.account("source").unwrap().available(), 0);
    assert!(matches!(
        l.apply(Transfer::single("t3", "budget", "budget", 1)),
        Err(LedgerError::SameAccount { .. })
    ));
    assert!(matches!(
        l.apply(Transfer::single("t3", "budget", "nope", 1)),
        Err(LedgerError::AccountNotFound { .. })
    ));
    assert!(matches!(
        l.apply(Transfer::single("t3", "budget", "voucher", 0)),
        Err(LedgerError::InvalidAmount { .. })
    ));
    assert!(matches!(
        l.apply(Transfer::single("t3", "budget", "voucher", -5)),
        Err(LedgerError::InvalidAmount { .. })
    ));
    assert!(matches!(
        l.apply(Transfer::single("", "budget", "voucher", 5)),
        Err(LedgerError::EmptyId)
    ));
    l.check_conservation().unwrap();
}

#[test]
fn idempotency() {
    let mut l = ledger();
    let t = Transfer::single("t1", "appropriation", "source", 1000);
    l.apply(t.clone()).unwrap();
    let before = l.clone();
    assert_eq!(l.apply(t.clone()), Ok(TransferOutcome::AlreadyApplied));
    assert_eq!(l, before);
    let e = l
        .apply(Transfer::single("t1", "appropriation", "source", 999))
        .unwrap_err();
    assert_eq!(e, LedgerError::IdReused { id: "t1".into() });
    assert_eq!(l, before);
}

#[test]
fn pending_post_void() {
    let mut l = ledger();
    l.apply(Transfer::single("fund", "appropriation", "budget", 1000))
        .unwrap();
    l.apply(Transfer::pending("r1", "budget", "voucher", 600))
        .unwrap();
    assert_eq!(bal(&l, "budget"), (1000, 600, 0));
    assert_eq!(bal(&l, "voucher"), (0, 0, 600));
    assert!(l.is_pending_open("r1"));
    // Only 400 is available now.
    assert!(matches!(
        l.apply(Transfer::pending("r2", "budget", "voucher", 401)),
        Err(LedgerError::InsufficientFunds { available: 400, .. })
    ));
    l.apply(Transfer::pending("r2", "budget", "voucher", 400))
        .unwrap();
    // Partial post: 500 of 600 moves, 100 released.
    l.apply(Transfer::post("p1", "r1", 500)).unwrap();
    assert_eq!(bal(&l, "budget"), (500, 400, 0));
    assert_eq!(bal(&l, "voucher"), (500, 0, 400));
    assert!(!l.is_pending_open("r1"));
    assert_eq!(
        l.apply(Transfer::void("v1", "r1")),
        Err(LedgerError::PendingAlreadyResolved {
            pending_id: "r1".into()
        })
    );
    assert_eq!(
        l.apply(Transfer::post("p1b", "r1", 0)),
        Err(LedgerError::PendingAlreadyResolved {
            pending_id: "r1".into()
        })
    );
    assert!(matches!(
        l.apply(Transfer::post("p2", "r2", 401)),
        Err(LedgerError::InvalidAmount { .. })
    ));
    l.apply(Transfer::void("v2", "r2")).unwrap();
    assert_eq!(bal(&l, "budget"), (500, 0, 0));
    assert_eq!(bal(&l, "voucher"), (500, 0, 0));
    assert_eq!(
        l.apply(Transfer::void("v2", "r2")),
        Ok(TransferOutcome::AlreadyApplied)
    );
    assert_eq!(
        l.apply(Transfer::void("v3", "nope")),
        Err(LedgerError::PendingNotFound {
            pending_id: "nope".into()
        })
    );
    assert_eq!(
        l.apply(Transfer::void("v3", "fund")),
        Err(LedgerError::PendingNotFound {
            pending_id: "fund".into()
        })
    );
    l.check_conservation().unwrap();
}

#[test]
fn post_full_and_mismatch() {
    let mut l = ledger();
    l.apply(Transfer::single("fund", "appropriation", "budget", 1000))
        .unwrap();
    l.apply(Transfer::pending("r1", "budget", "voucher", 300))
        .unwrap();
    let mut wrong = Transfer::post("p1", "r1", 0);
    wrong.credit = "payable".into();
    assert!(matches!(
        l.apply(wrong),
        Err(LedgerError::PendingMismatch { .. })
    ));
    let mut explicit = Transfer::post("p1", "r1", 0);
    explicit.debit = "budget".into();
    explicit.credit = "voucher".into();
    l.apply(explicit).unwrap();
    assert_eq!(bal(&l, "voucher"), (300, 0, 0));
    let mut bad = Transfer::single("x", "budget", "voucher", 1);
    bad.pending_id = Some("r1".into());
    assert!(matches!(
        l.apply(bad),
        Err(LedgerError::PendingIdMisuse { .. })
    ));
    let mut bad = Transfer::post("y", "r1", 0);
    bad.pending_id = None;
    assert!(matches!(
        l.apply(bad),
        Err(LedgerError::PendingIdMisuse { .. })
    ));
}

#[test]
fn batch_is_atomic() {
    let mut l = ledger();
    l.apply(Transfer::single("fund", "appropriation", "budget", 1000))
        .unwrap();
    l.apply(Transfer::pending("r1", "budget", "voucher", 300))
        .unwrap();
    let before = l.clone();
    let e = l.apply_batch(vec![
        Transfer::post("p1", "r1", 0),
        Transfer::pending("r2", "budget", "voucher", 100),
        Transfer::single("s1", "voucher", "payable", 200),
        Transfer::single("s2", "voucher", "payable", 1000),
    ]);
    assert!(matches!(e, Err(LedgerError::InsufficientFunds { .. })));
    assert_eq!(l, before);
    let ok = l
        .apply_batch(vec![
            Transfer::post("p1", "r1", 0),
            Transfer::single("s1", "voucher", "payable", 200),
            Transfer::post("p1", "r1", 0),
        ])
        .unwrap();
    assert_eq!(
        ok,
        vec![
            TransferOutcome::Applied,
            TransferOutcome::Applied,
            TransferOutcome::AlreadyApplied
        ]
    );
    assert_eq!(
        l.transfers().map(|t| t.id.as_str()).collect::<Vec<_>>(),
        vec!["fund", "r1", "p1", "s1"]
    );
    l.check_conservation().unwrap();
}

#[test]
fn overflow_is_refused() {
    let mut l = ledger();
    l.apply(Transfer::single("a", "appropriation", "source", i64::MAX))
        .unwrap();
    assert_eq!(
        l.apply(Transfer::single("b", "appropriation", "source", 1)),
        Err(LedgerError::Overflow)
    );
    l.check_conservation().unwrap();
}

const IDS: [&str; 5] = ["appropriation", "source", "budget", "voucher", "payable"];

#[derive(Clone, Debug)]
enum Op {
    Single(usize, usize, i64),
    Pending(usize, usize, i64),
    Post(usize, i64),
    Void(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..5usize, 0..5usize, -5i64..2000).prop_map(|(a, b, x)| Op::Single(a, b, x)),
        (0..5usize, 0..5usize, -5i64..2000).prop_map(|(a, b, x)| Op::Pending(a, b, x)),
        (0..40usize, 0i64..2000).prop_map(|(p, x)| Op::Post(p, x)),
        (0..40usize).prop_map(Op::Void),
    ]
}

fn to_transfers(ops: &[Op]) -> Vec<Transfer> {
    ops.iter()
        .enumerate()
        .map(|(i, o)| {
            let id = format!("t{i}");
            match *o {
                Op::Single(a, b, x) => Transfer::single(id, IDS[a], IDS[b], x),
                Op::Pending(a, b, x) => Transfer::pending(id, IDS[a], IDS[b], x),
                Op::Post(p, x) => Transfer::post(id, format!("t{p}"), x),
                Op::Void(p) => Transfer::void(id, format!("t{p}")),
            }
        })
        .collect()
}

proptest! {
    #[test]
    fn random_sequences_conserve(ops in prop::collection::vec(op(), 0..40)) {
        let mut l = ledger();
        for t in to_transfers(&ops) {
            let before = l.clone();
            if l.apply(t).is_err() {
                prop_assert_eq!(&l, &before);
            }
            prop_assert_eq!(l.check_conservation(), Ok(()));
        }
    }

    #[test]
    fn replaying_a_prefix_changes_nothing(ops in prop::collection::vec(op(), 0..40), cut in 0usize..40) {
        let mut l = ledger();
        let mut applied = Vec::new();
        for t in to_transfers(&ops) {
            if l.apply(t.clone()).is_ok() {
                applied.push(t);
            }
        }
        let after = l.clone();
        for t in applied.iter().take(cut) {
            prop_assert_eq!(l.apply(t.clone()), Ok(TransferOutcome::AlreadyApplied));
        }
        prop_assert_eq!(l.apply_batch(applied.clone()).map(|v| v.len()), Ok(applied.len()));
        prop_assert_eq!(&l, &after);
    }

    #[test]
    fn failed_batch_changes_nothing(setup in prop::collection::vec(op(), 0..20), batch in prop::collection::vec(op(), 0..20)) {
        let mut l = ledger();
        for t in to_transfers(&setup) {
            let _ = l.apply(t);
        }
        let before = l.clone();
        let mut ts: Vec<Transfer> = to_transfers(&batch)
            .into_iter()
            .map(|mut t| { t.id = format!("b{}", t.id); t })
            .collect();
        ts.push(Transfer::single("b-final", "budget", "nowhere", 1)); // always fails
        prop_assert!(l.apply_batch(ts).is_err());
        prop_assert_eq!(&l, &before);
    }

    #[test]
    fn successful_batch_equals_sequential(ops in prop::collection::vec(op(), 0..30)) {
        let mut seq = ledger();
        let mut ok = Vec::new();
        for t in to_transfers(&ops) {
            if seq.apply(t.clone()).is_ok() { ok.push(t); }
        }
        let mut batched = ledger();
        prop_assert!(batched.apply_batch(ok).is_ok());
        prop_assert_eq!(batched, seq);
    }
}
