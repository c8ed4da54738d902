use super::*;
use proptest::prelude::*;

#[test]
fn application_table() {
    use ApplicationEvent as E;
    use ApplicationStatus as S;
    assert_eq!(S::Submitted.apply(E::Approve), Ok(S::Approved));
    assert_eq!(S::Submitted.apply(E::Reject), Ok(S::Rejected));
    assert_eq!(S::Approved.apply(E::UpholdObjection), Ok(S::Revoked));
    assert_eq!(S::Approved.apply(E::Issue), Ok(S::Issued));
    let e = S::Submitted.apply(E::Issue).unwrap_err();
    assert_eq!(
        e.to_string(),
        "cannot issue a voucher for an application that is submitted"
    );
    let e = S::Rejected.apply(E::Approve).unwrap_err();
    assert_eq!(
        e.to_string(),
        "cannot approve an application that is rejected"
    );
    assert_eq!(e.from, "rejected");
    assert!(S::Approved.apply(E::Approve).is_err());
}

#[test]
fn voucher_and_redemption_tables() {
    assert_eq!(
        VoucherStatus::Active.apply(VoucherEvent::Expire),
        Ok(VoucherStatus::Expired)
    );
    assert!(VoucherStatus::Expired.apply(VoucherEvent::Expire).is_err());
    use RedemptionEvent as E;
    use RedemptionStatus as S;
    assert_eq!(S::Payable.apply(E::Settle), Ok(S::Settled));
    assert_eq!(S::Payable.apply(E::Clawback), Ok(S::ClawedBack));
    assert_eq!(S::Settled.apply(E::Clawback), Ok(S::ClawedBack));
    assert!(S::Settled.apply(E::Settle).is_err());
    assert!(S::ClawedBack.apply(E::Clawback).is_err());
    assert!(S::ClawedBack.apply(E::Settle).is_err());
}

#[test]
fn names_roundtrip() {
    for s in ApplicationStatus::ALL {
        assert_eq!(ApplicationStatus::parse(s.as_str()), Some(*s));
        assert_eq!(
            serde_json::to_string(s).unwrap(),
            format!("\"{}\"", s.as_str())
        );
    }
    for s in ApplicationEvent::ALL {
        assert_eq!(ApplicationEvent::parse(s.as_str()), Some(*s));
    }
    for s in VoucherStatus::ALL {
        assert_eq!(VoucherStatus::parse(s.as_str()), Some(*s));
    }
    for s in VoucherEvent::ALL {
        assert_eq!(VoucherEvent::parse(s.as_str()), Some(*s));
    }
    for s in RedemptionStatus::ALL {
        assert_eq!(RedemptionStatus::parse(s.as_str()), Some(*s));
        assert_eq!(
            serde_json::to_string(s).unwrap(),
            format!("\"{}\"", s.as_str())
        );
    }
    for s in RedemptionEvent::ALL {
        assert_eq!(RedemptionEvent::parse(s.as_str()), Some(*s));
    }
    assert_eq!(
        RedemptionStatus::parse("clawed_back"),
        Some(RedemptionStatus::ClawedBack)
    );
    assert_eq!(ApplicationStatus::parse("Submitted"), None);
    assert_eq!(ApplicationStatus::parse(""), None);
}

#[test]
fn review() {
    let m = Money::from_fen;
    assert_eq!(
        review_amount(m(50_000), m(40_000), m(100_000)),
        Ok(m(40_000))
    );
    assert_eq!(
        review_amount(m(50_000), m(50_000), m(50_000)),
        Ok(m(50_000))
    );
    let e = review_amount(m(50_000), m(60_000), m(100_000)).unwrap_err();
    assert_eq!(
        e.message,
        "amount_fen: approved 600.00 exceeds requested 500.00"
    );
    assert_eq!(e.code, "exceeds_requested");
    assert_eq!(
        review_amount(m(50_000), m(40_000), m(30_000))
            .unwrap_err()
            .code,
        "exceeds_cap"
    );
    assert_eq!(
        review_amount(m(50_000), m(0), m(30_000)).unwrap_err().code,
        "amount_not_positive"
    );
    assert_eq!(
        review_amount(m(50_000), m(-1), m(30_000))
            .unwrap_err()
            .field,
        "amount_fen"
    );
}

#[test]
fn notice() {
    let d = |s| crate::program::parse_date("d", s).unwrap();
    assert_eq!(notice_ends_on(d("2025-02-25"), 5), d("2025-03-02"));
    assert_eq!(notice_ends_on(d("2025-02-25"), 0), d("2025-02-25"));
    assert_eq!(notice_ends_on(NaiveDate::MAX, 3), NaiveDate::MAX);
}

fn app_event() -> impl Strategy<Value = ApplicationEvent> {
    prop::sample::select(ApplicationEvent::ALL.to_vec())
}

fn red_event() -> impl Strategy<Value = RedemptionEvent> {
    prop::sample::select(RedemptionEvent::ALL.to_vec())
}

const APP_TABLE: &[(ApplicationStatus, ApplicationEvent, ApplicationStatus)] = &[
    (
        ApplicationStatus::Submitted,
        ApplicationEvent::Approve,
        ApplicationStatus::Approved,
    ),
    (
        ApplicationStatus::Submitted,
        ApplicationEvent::Reject,
        ApplicationStatus::Rejected,
    ),
    (
        ApplicationStatus::Approved,
        ApplicationEvent::UpholdObjection,
        ApplicationStatus::Revoked,
    ),
    (
        ApplicationStatus::Approved,
        ApplicationEvent::Issue,
        ApplicationStatus::Issued,
    ),
];

proptest! {
    #[test]
    fn application_sequences_follow_table(evs in prop::collection::vec(app_event(), 0..12)) {
        let mut s = ApplicationStatus::Submitted;
        for ev in evs {
            match s.apply(ev) {
                Ok(next) => {
                    prop_assert!(!s.is_terminal());
                    prop_assert!(APP_TABLE.contains(&(s, ev, next)));
                    s = next;
                }
                Err(e) => {
                    prop_assert!(!APP_TABLE.iter().any(|(f, e2, _)| *f == s && *e2 == ev));
                    prop_assert_eq!(e.from, s.as_str());
                }
            }
        }
    }

    #[test]
    fn terminal_states_accept_nothing(ev in app_event(), rev in red_event()) {
        for s in ApplicationStatus::ALL.iter().filter(|s| s.is_terminal()) {
            prop_assert!(s.apply(ev).is_err());
        }
        prop_assert!(RedemptionStatus::ClawedBack.apply(rev).is_err());
        prop_assert!(VoucherStatus::Expired.apply(VoucherEvent::Expire).is_err());
    }

    #[test]
    fn redemption_sequences(evs in prop::collection::vec(red_event(), 0..8)) {
        let mut s = RedemptionStatus::Payable;
        let mut settled_then_clawed = false;
        for ev in evs {
            if let Ok(next) = s.apply(ev) {
                prop_assert!(!s.is_terminal());
                if s == RedemptionStatus::Settled { settled_then_clawed = next == RedemptionStatus::ClawedBack; }
                prop_assert!(next != RedemptionStatus::Payable);
                s = next;
            }
        }
        if settled_then_clawed { prop_assert_eq!(s, RedemptionStatus::ClawedBack); }
    }

    #[test]
    fn review_within_bounds(req in 1i64..1_000_000, appr in -10i64..2_000_000, cap in 1i64..1_000_000) {
        let r = review_amount(Money::from_fen(req), Money::from_fen(appr), Money::from_fen(cap));
        let ok = appr > 0 && appr <= req && appr <= cap;
        prop_assert_eq!(r.is_ok(), ok);
    }
}
