use super::*;
use crate::data_consent::*;
use crate::Standing;
use proptest::prelude::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn set(v: &[&str]) -> BTreeSet<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn auth(
    id: &str,
    level: AuthorizationLevel,
    fields: &[&str],
    from: &str,
    until: &str,
) -> AuthorizationFacts {
    AuthorizationFacts {
        id: id.into(),
        level,
        data_class: DataClass::Public,
        operator_id: "ent_op".into(),
        fields: set(fields),
        resources: set(&["SD-DR-2026-000001"]),
        valid_from: d(from),
        valid_until: d(until),
        revoked: false,
    }
}

fn terms(
    level: AuthorizationLevel,
    fields: &[&str],
    from: &str,
    until: &str,
) -> AuthorizationTerms {
    AuthorizationTerms {
        level,
        data_class: DataClass::Public,
        name: "n".into(),
        authority: Some("省大数据局".into()),
        operator_id: "ent_op".into(),
        purpose: "p".into(),
        fields: set(fields),
        resources: set(&["SD-DR-2026-000001"]),
        recipients: BTreeSet::new(),
        valid_from: d(from),
        valid_until: d(until),
    }
}

fn input(level: &str, from: &str, until: &str) -> AuthorizationInput {
    AuthorizationInput {
        level: level.into(),
        data_class: None,
        parent_id: None,
        name: "n".into(),
        authority: Some("a".into()),
        operator_id: "ent_op".into(),
        purpose: "p".into(),
        fields: vec!["a.b".into()],
        resources: vec![],
        recipients: vec![],
        valid_from: from.into(),
        valid_until: until.into(),
    }
}

#[test]
fn an_authorization_lasts_at_most_five_years() {
    assert!(AuthorizationTerms::parse(&input("overall", "2026-01-01", "2030-12-31")).is_ok());
    let e = AuthorizationTerms::parse(&input("overall", "2026-01-01", "2031-01-01")).unwrap_err();
    assert_eq!((e.field.as_str(), e.code), ("valid_until", "too_long"));
    let e = AuthorizationTerms::parse(&input("overall", "2026-01-01", "2025-12-31")).unwrap_err();
    assert_eq!(e.code, "before_start");
    let mut i = input("sub_domain", "2026-01-01", "2027-01-01");
    i.data_class = Some("personal".into());
    assert_eq!(
        AuthorizationTerms::parse(&i).unwrap_err().field,
        "data_class"
    );
    let mut i = input("overall", "2026-01-01", "2027-01-01");
    i.fields = vec!["a".into(), "a".into()];
    assert_eq!(
        AuthorizationTerms::parse(&i).unwrap_err().field,
        "fields[1]"
    );
    i.fields = vec!["bad field!".into()];
    assert_eq!(
        AuthorizationTerms::parse(&i).unwrap_err().code,
        "invalid_field_name"
    );
}

#[test]
fn a_child_is_never_wider_or_longer_than_its_parent() {
    use AuthorizationLevel as L;
    let today = d("2026-02-01");
    let overall = auth(
        "o",
        L::Overall,
        &["a", "b", "c"],
        "2026-01-01",
        "2030-12-31",
    );
    let ok = terms(L::SubDomain, &["a", "b"], "2026-02-01", "2028-12-31");
    assert!(check_nesting(&ok, std::slice::from_ref(&overall), today).is_ok());
    let wide = terms(L::SubDomain, &["a", "z"], "2026-02-01", "2028-12-31");
    let e = check_nesting(&wide, std::slice::from_ref(&overall), today).unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        ("wider_than_parent", Some("fields"))
    );
    assert!(e.message.contains('z'));
    let long = terms(L::SubDomain, &["a"], "2026-02-01", "2031-01-01");
    let e = check_nesting(&long, std::slice::from_ref(&overall), today).unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        ("longer_than_parent", Some("valid_until"))
    );
    let scenario = terms(L::Scenario, &["a"], "2026-02-01", "2027-01-01");
    let e = check_nesting(&scenario, std::slice::from_ref(&overall), today).unwrap_err();
    assert_eq!(e.code, "wrong_parent_level");
    assert_eq!(
        check_nesting(&ok, &[], today).unwrap_err().code,
        "parent_required"
    );
    let mut revoked = overall.clone();
    revoked.revoked = true;
    assert_eq!(
        check_nesting(&ok, &[revoked], today).unwrap_err().code,
        "parent_not_in_force"
    );
}

#[test]
fn revoking_a_parent_suspends_the_children() {
    use AuthorizationLevel as L;
    let mut o = auth("o", L::Overall, &["a"], "2026-01-01", "2030-12-31");
    let s = auth("s", L::SubDomain, &["a"], "2026-01-01", "2029-12-31");
    let c = auth("c", L::Scenario, &["a"], "2026-01-01", "2028-12-31");
    let on = d("2026-06-01");
    assert!(in_force(&[c.clone(), s.clone(), o.clone()], on).is_ok());
    o.revoked = true;
    assert_eq!(
        in_force(&[c.clone(), s.clone(), o.clone()], on),
        Err(NotInForce::ParentRevoked { id: "o".into() })
    );
    assert_eq!(
        in_force(&[o.clone()], on),
        Err(NotInForce::Revoked { id: "o".into() })
    );
    assert_eq!(
        in_force(&[c], d("2029-01-01")),
        Err(NotInForce::Ended {
            until: d("2028-12-31")
        })
    );
}

fn personal_scenario() -> AuthorizationFacts {
    let mut s = auth(
        "sc",
        AuthorizationLevel::Scenario,
        &["name", "phone"],
        "2026-01-01",
        "2027-12-31",
    );
    s.data_class = DataClass::Personal;
    s
}

#[test]
fn a_consent_asks_for_no_more_than_the_scenario_needs() {
    let sc = ScenarioFacts {
        chain: vec![personal_scenario()],
    };
    let today = d("2026-03-01");
    let t = plan_consent(&sc, SubjectKind::NaturalPerson, None, "2026-12-31", today).unwrap();
    assert_eq!(t.fields, set(&["name", "phone"]));
    let more = vec!["name".to_string(), "id_card".to_string()];
    let e = plan_consent(
        &sc,
        SubjectKind::NaturalPerson,
        Some(&more),
        "2026-12-31",
        today,
    )
    .unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        ("fields_beyond_scenario", Some("fields"))
    );
    assert!(e.message.contains("id_card"));
    let e = plan_consent(&sc, SubjectKind::NaturalPerson, None, "2028-01-01", today).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("expires_at"));
    let e = plan_consent(&sc, SubjectKind::LegalPerson, None, "2026-12-31", today).unwrap_err();
    assert_eq!(e.code, "scenario_class");
}

#[test]
fn a_check_says_why() {
    let sc = personal_scenario();
    let chain = [sc.clone()];
    let consent = ConsentFacts {
        id: "c1".into(),
        fields: set(&["name"]),
        expires_at: d("2026-12-31"),
        revoked: false,
    };
    let today = d("2026-03-01");
    let f = CheckFacts {
        chain: &chain,
        consent: Some(&consent),
        resource: None,
    };
    let yes = decide_check(&f, "ent_op", &set(&["name"]), true, today);
    assert!(yes.allowed);
    assert_eq!(yes.consent_id.as_deref(), Some("c1"));
    assert_eq!(
        decide_check(&f, "ent_other", &set(&["name"]), true, today).code,
        "not_operator"
    );
    assert_eq!(
        decide_check(&f, "ent_op", &set(&["phone"]), true, today).code,
        "fields_beyond_consent"
    );
    assert_eq!(
        decide_check(&f, "ent_op", &set(&["email"]), true, today).code,
        "fields_beyond_scenario"
    );
    assert_eq!(
        decide_check(&f, "ent_op", &set(&["name"]), true, d("2027-01-01")).code,
        "consent_expired"
    );
    let revoked = ConsentFacts {
        revoked: true,
        ..consent.clone()
    };
    let f2 = CheckFacts {
        chain: &chain,
        consent: Some(&revoked),
        resource: None,
    };
    assert_eq!(
        decide_check(&f2, "ent_op", &set(&["name"]), true, today).code,
        "consent_revoked"
    );
    let f3 = CheckFacts {
        chain: &chain,
        consent: None,
        resource: None,
    };
    assert_eq!(
        decide_check(&f3, "ent_op", &set(&["name"]), true, today).code,
        "no_consent"
    );
    let public = [auth(
        "p",
        AuthorizationLevel::Scenario,
        &["a"],
        "2026-01-01",
        "2027-01-01",
    )];
    let pf = |st| CheckFacts {
        chain: &public,
        consent: None,
        resource: Some(("SD-DR-2026-000001", st)),
    };
    assert!(decide_check(&pf(Standing::Valid), "ent_op", &set(&["a"]), false, today).allowed);
    assert_eq!(
        decide_check(
            &pf(Standing::Cancelled),
            "ent_op",
            &set(&["a"]),
            false,
            today
        )
        .code,
        "resource_not_registered"
    );
}

#[test]
fn a_receipt_is_sealed_by_its_digest() {
    let r = ConsentReceipt {
        version: "KI-CR-v1.1.0".into(),
        jurisdiction: "CN-SD".into(),
        consent_receipt_id: "c1".into(),
        consent_timestamp: "t".into(),
        collection_method: "m".into(),
        pii_principal_id: "p".into(),
        subject_kind: SubjectKind::NaturalPerson,
        pii_controller: "op".into(),
        pii_controller_id: "ent".into(),
        purpose: "p".into(),
        recipients: vec![],
        pii_categories: vec!["name".into()],
        legal_basis: "consent".into(),
        expires_at: d("2026-12-31"),
        revoked_at: None,
        scenario_id: "s".into(),
        scenario_name: "s".into(),
        digest: String::new(),
    }
    .sealed();
    assert_eq!(r.digest.len(), 64);
    let again = r.clone().sealed();
    assert_eq!(r.digest, again.digest);
    let mut changed = r.clone();
    changed.pii_categories.push("phone".into());
    assert_ne!(changed.sealed().digest, r.digest);
}

fn field_set() -> impl Strategy<Value = BTreeSet<String>> {
    proptest::collection::btree_set(
        proptest::sample::select(vec!["a", "b", "c", "d", "e"]).prop_map(String::from),
        1..5,
    )
}

proptest! {
    /// Nesting: whatever passes check_nesting is inside its parent in fields, resources and time.
    #[test]
    fn nesting_never_widens_or_lengthens(
        pf in field_set(), cf in field_set(),
        pstart in 0i64..400, plen in 0i64..1800, cstart in 0i64..2400, clen in 0i64..1800, today in 0i64..400,
    ) {
        let base = d("2026-01-01");
        let day = |n| base + chrono::Duration::days(n);
        let p = AuthorizationFacts {
            id: "p".into(), level: AuthorizationLevel::Overall, data_class: DataClass::Public,
            operator_id: "o".into(), fields: pf.clone(), resources: BTreeSet::new(),
            valid_from: day(pstart), valid_until: day(pstart + plen), revoked: false,
        };
        let mut t = terms(AuthorizationLevel::SubDomain, &[], "2026-01-01", "2026-01-01");
        t.fields = cf.clone();
        t.resources = BTreeSet::new();
        t.valid_from = day(cstart);
        t.valid_until = day(cstart + clen);
        if check_nesting(&t, std::slice::from_ref(&p), day(today)).is_ok() {
            prop_assert!(cf.is_subset(&pf));
            prop_assert!(t.valid_from >= p.valid_from && t.valid_until <= p.valid_until);
            prop_assert!(in_force(std::slice::from_ref(&p), day(today)).is_ok());
        } else {
            let inside = cf.is_subset(&pf) && t.valid_from >= p.valid_from && t.valid_until <= p.valid_until
                && in_force(std::slice::from_ref(&p), day(today)).is_ok() && t.valid_until >= day(today);
            prop_assert!(!inside);
        }
    }

    /// A revoked authorization anywhere in the chain turns every check under it to no.
    #[test]
    fn revocation_cascades_to_every_check(revoked_at in 0usize..3, asked in field_set()) {
        let mut chain = vec![
            auth("c", AuthorizationLevel::Scenario, &["a", "b", "c", "d", "e"], "2026-01-01", "2027-01-01"),
            auth("s", AuthorizationLevel::SubDomain, &["a", "b", "c", "d", "e"], "2026-01-01", "2028-01-01"),
            auth("o", AuthorizationLevel::Overall, &["a", "b", "c", "d", "e"], "2026-01-01", "2029-01-01"),
        ];
        let f = |chain: &[AuthorizationFacts]| decide_check(
            &CheckFacts { chain, consent: None, resource: Some(("SD-DR-2026-000001", Standing::Valid)) },
            "ent_op", &asked, false, d("2026-06-01"));
        prop_assert!(f(&chain).allowed);
        chain[revoked_at].revoked = true;
        let no = f(&chain);
        prop_assert!(!no.allowed);
        prop_assert!(no.code == "authorization_revoked" || no.code == "parent_revoked");
    }

    /// A consent never covers a field its scenario does not declare.
    #[test]
    fn consents_are_minimal(declared in field_set(), asked in field_set()) {
        let mut s = personal_scenario();
        s.fields = declared.clone();
        let sc = ScenarioFacts { chain: vec![s] };
        let asked_v: Vec<String> = asked.iter().cloned().collect();
        match plan_consent(&sc, SubjectKind::NaturalPerson, Some(&asked_v), "2026-12-31", d("2026-03-01")) {
            Ok(t) => prop_assert!(t.fields.is_subset(&declared)),
            Err(e) => {
                prop_assert_eq!(e.code, "fields_beyond_scenario");
                prop_assert!(!asked.is_subset(&declared));
            }
        }
    }
}
