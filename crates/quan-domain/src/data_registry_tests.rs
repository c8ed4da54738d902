use super::*;

use proptest::prelude::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn facts(kind: RegistrationKind, status: RegistrationStatus) -> RegistrationFacts {
    RegistrationFacts {
        kind,
        status,
        notice_ends: None,
        open_objections: 0,
        original: None,
        today: d("2026-03-02"),
    }
}

fn steps() -> Vec<RegistrationStep> {
    vec![
        RegistrationStep::Accept,
        RegistrationStep::Return { reason: "r".into() },
        RegistrationStep::Pass,
        RegistrationStep::Reject { reason: "r".into() },
        RegistrationStep::Register,
    ]
}

#[test]
fn an_initial_registration_goes_through_notice_to_three_years() {
    let mut f = facts(RegistrationKind::Initial, RegistrationStatus::Submitted);
    f.status = plan_registration_step(&f, &RegistrationStep::Accept)
        .unwrap()
        .status;
    assert_eq!(f.status, RegistrationStatus::Accepted);
    let p = plan_registration_step(&f, &RegistrationStep::Pass).unwrap();
    assert_eq!(p.status, RegistrationStatus::InNotice);
    assert_eq!(p.notice_ends, Some(d("2026-03-12")));
    f.status = p.status;
    f.notice_ends = p.notice_ends;
    let early = plan_registration_step(&f, &RegistrationStep::Register).unwrap_err();
    assert_eq!(early.code, "notice_running");
    f.today = d("2026-03-12");
    f.open_objections = 1;
    assert_eq!(
        plan_registration_step(&f, &RegistrationStep::Register)
            .unwrap_err()
            .code,
        "open_objections"
    );
    f.open_objections = 0;
    let p = plan_registration_step(&f, &RegistrationStep::Register).unwrap();
    assert_eq!(p.status, RegistrationStatus::Registered);
    assert_eq!(p.validity, Some((d("2026-03-12"), d("2029-03-11"))));
}

#[test]
fn a_returned_application_is_resubmitted_and_a_renewal_skips_the_notice() {
    let f = facts(RegistrationKind::Initial, RegistrationStatus::Accepted);
    let p = plan_registration_step(&f, &RegistrationStep::Return { reason: "x".into() }).unwrap();
    assert_eq!(p.status, RegistrationStatus::Returned);
    let mut f = facts(RegistrationKind::Renewal, RegistrationStatus::Accepted);
    f.original = Some(OriginalFacts {
        status: RegistrationStatus::Registered,
        valid_until: Some(d("2026-06-30")),
    });
    let p = plan_registration_step(&f, &RegistrationStep::Pass).unwrap();
    assert_eq!(p.status, RegistrationStatus::Registered);
    assert_eq!(p.validity, Some((d("2026-03-02"), d("2029-06-30"))));
    assert_eq!(p.original_becomes, Some(RegistrationStatus::Superseded));
}

#[test]
fn an_amendment_of_an_expired_or_cancelled_registration_is_refused() {
    for (status, until) in [
        (RegistrationStatus::Registered, "2026-03-01"),
        (RegistrationStatus::Cancelled, "2027-01-01"),
        (RegistrationStatus::InNotice, "2027-01-01"),
    ] {
        let mut f = facts(RegistrationKind::Cancellation, RegistrationStatus::Accepted);
        f.original = Some(OriginalFacts {
            status,
            valid_until: Some(d(until)),
        });
        let e = plan_registration_step(&f, &RegistrationStep::Pass).unwrap_err();
        assert_eq!(e.code, "original_not_valid", "{status:?}");
    }
}

#[test]
fn standing_reads_status_and_dates() {
    let v = Some((d("2026-01-01"), d("2028-12-31")));
    assert_eq!(
        standing(RegistrationStatus::Registered, v, d("2028-12-31")),
        Standing::Valid
    );
    assert_eq!(
        standing(RegistrationStatus::Registered, v, d("2029-01-01")),
        Standing::Expired
    );
    assert_eq!(
        standing(RegistrationStatus::Superseded, v, d("2027-01-01")),
        Standing::Changed
    );
    assert_eq!(
        standing(RegistrationStatus::Cancelled, v, d("2027-01-01")),
        Standing::Cancelled
    );
    assert_eq!(
        standing(RegistrationStatus::InNotice, None, d("2027-01-01")),
        Standing::NotRegistered
    );
}

fn op(kind: HolderKind, id: &str) -> RightHolder {
    RightHolder {
        party_kind: kind,
        party_id: Some(id.into()),
        name: "n".into(),
    }
}

#[test]
fn a_corpus_needs_a_valid_registration_whose_operation_right_the_supplier_holds() {
    let reg = |standing, holder| CorpusRegistration {
        code: "SD-DR-2026-000001".into(),
        standing,
        operation: holder,
    };
    let code = Some("SD-DR-2026-000001");
    let ok = reg(Standing::Valid, op(HolderKind::Supplier, "sup_1"));
    assert!(check_corpus_registration("f", code, Some(&ok), "sup_1").is_ok());
    let code_of = |r: Result<(), Refusal>| r.unwrap_err().code;
    assert_eq!(
        code_of(check_corpus_registration("f", None, None, "sup_1")),
        "data_registration_required"
    );
    assert_eq!(
        code_of(check_corpus_registration("f", code, None, "sup_1")),
        "data_registration_unknown"
    );
    assert_eq!(
        code_of(check_corpus_registration("f", code, Some(&ok), "sup_2")),
        "data_registration_holder"
    );
    let ent = reg(Standing::Valid, op(HolderKind::Enterprise, "sup_1"));
    assert_eq!(
        code_of(check_corpus_registration("f", code, Some(&ent), "sup_1")),
        "data_registration_holder"
    );
    for s in [
        Standing::Changed,
        Standing::Cancelled,
        Standing::Expired,
        Standing::NotRegistered,
    ] {
        let r = reg(s, op(HolderKind::Supplier, "sup_1"));
        assert_eq!(
            code_of(check_corpus_registration("f", code, Some(&r), "sup_1")),
            "data_registration_invalid"
        );
    }
}

#[test]
fn the_applicant_must_hold_the_resource() {
    let rights = DataRights {
        holding: op(HolderKind::Enterprise, "ent_1"),
        processing: op(HolderKind::Supplier, "sup_1"),
        operation: op(HolderKind::Supplier, "sup_1"),
    };
    assert!(check_applicant(Some((HolderKind::Enterprise, "ent_1")), &rights).is_ok());
    assert!(check_applicant(None, &rights).is_ok());
    assert_eq!(
        check_applicant(Some((HolderKind::Enterprise, "ent_2")), &rights)
            .unwrap_err()
            .field
            .as_deref(),
        Some("holding.party_id")
    );
}

#[test]
fn the_certificate_digest_changes_with_any_field() {
    let c = Certificate {
        code: registration_code(2026, 7),
        kind: RegistrationKind::Initial,
        original_code: None,
        resource_name: "r".into(),
        category: "c".into(),
        grade: DataGrade::General,
        record_count: 10,
        rights: DataRights {
            holding: op(HolderKind::Enterprise, "e"),
            processing: op(HolderKind::Enterprise, "e"),
            operation: op(HolderKind::Supplier, "s"),
        },
        valid_from: d("2026-01-01"),
        valid_until: d("2028-12-31"),
        registered_on: d("2026-01-01"),
    };
    assert_eq!(c.code, "SD-DR-2026-000007");
    let mut other = c.clone();
    other.record_count = 11;
    assert_ne!(c.digest(), other.digest());
    assert_eq!(c.digest(), c.clone().digest());
    assert_eq!(c.digest().len(), 64);
}

fn any_status() -> impl Strategy<Value = RegistrationStatus> {
    proptest::sample::select(RegistrationStatus::ALL.to_vec())
}
fn any_kind() -> impl Strategy<Value = RegistrationKind> {
    proptest::sample::select(RegistrationKind::ALL.to_vec())
}

proptest! {
    /// The state machine: only the listed transitions exist; registering always yields a
    /// validity inside three years (or none for a cancellation), never a code during the
    /// notice or with an open objection, and only registered originals are amended.
    #[test]
    fn the_registration_state_machine(
        kind in any_kind(), status in any_status(), step in 0usize..5,
        day in 0i64..2000, ends in 0i64..2000, objections in 0i64..3,
        o_status in any_status(), o_until in 0i64..3000,
    ) {
        let base = d("2025-01-01");
        let f = RegistrationFacts {
            kind, status,
            notice_ends: Some(base + chrono::Duration::days(ends)),
            open_objections: objections,
            original: (kind != RegistrationKind::Initial).then(|| OriginalFacts {
                status: o_status, valid_until: Some(base + chrono::Duration::days(o_until)),
            }),
            today: base + chrono::Duration::days(day),
        };
        let step = &steps()[step];
        if let Ok(p) = plan_registration_step(&f, step) {
            use RegistrationStatus as S;
            let allowed = matches!((status, p.status),
                (S::Submitted, S::Accepted) | (S::Submitted | S::Accepted, S::Returned)
                | (S::Submitted | S::Accepted | S::InNotice, S::Rejected)
                | (S::Accepted, S::InNotice) | (S::Accepted | S::InNotice, S::Registered));
            prop_assert!(allowed, "{status:?} -> {:?}", p.status);
            if p.status == S::Registered {
                if status == S::InNotice {
                    prop_assert!(objections == 0 && f.today >= f.notice_ends.unwrap());
                }
                if let Some(o) = &f.original {
                    prop_assert_eq!(o.status, S::Registered);
                    prop_assert!(f.today <= o.valid_until.unwrap());
                }
                match (kind, p.validity) {
                    (RegistrationKind::Cancellation, v) => prop_assert!(v.is_none()),
                    (_, Some((from, until))) => {
                        prop_assert!(from <= until);
                        // A renewal runs from the day after the original's end.
                        let latest_start = f.original.as_ref().and_then(|o| o.valid_until)
                            .and_then(|u| u.succ_opt()).map_or(f.today, |d| d.max(f.today));
                        prop_assert!(until <= validity_end(latest_start, 3));
                        prop_assert_eq!(standing(S::Registered, p.validity, from), Standing::Valid);
                        prop_assert_eq!(standing(S::Registered, p.validity, until + chrono::Duration::days(1)), Standing::Expired);
                    }
                    (_, None) => prop_assert!(false, "no validity"),
                }
            }
        }
    }
}
