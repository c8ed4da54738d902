use super::*;
use proptest::prelude::*;

fn d(s: &str) -> NaiveDate {
    parse_date("d", s).unwrap()
}

fn rules() -> ProgramRules {
    ProgramRules {
        voucher_type: VoucherType::Compute,
        rate: Rate::from_bps("rate_bps", 500).unwrap(),
        face_value_cap: Money::from_fen(500_000_000),
        enterprise_year_cap: Money::from_fen(500_000_000),
        apply_from: d("2025-01-01"),
        apply_until: d("2025-03-31"),
        valid_from: d("2025-04-01"),
        valid_until: d("2026-12-31"),
        notice_days: 5,
        eligible_cities: vec!["370100".into(), "370200".into()],
        eligible_sizes: vec![SizeClass::Micro, SizeClass::Small],
        eligible_industries: vec!['C', 'I'],
        funding: vec![
            FundingShare {
                source_id: "prov".into(),
                share_bps: 7000,
            },
            FundingShare {
                source_id: "jinan".into(),
                share_bps: 3000,
            },
        ],
    }
}

fn facts() -> EnterpriseFacts {
    EnterpriseFacts {
        city_code: "370100".into(),
        size_class: SizeClass::Small,
        industry: 'I',
        pilot_zone: true,
    }
}

#[test]
fn voucher_and_product_kinds() {
    for v in VoucherType::ALL {
        assert_eq!(VoucherType::parse("voucher_type", v.as_str()).unwrap(), v);
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            format!("\"{}\"", v.as_str())
        );
    }
    for k in ProductKind::ALL {
        assert_eq!(ProductKind::parse("kind", k.as_str()).unwrap(), k);
        assert_eq!(
            serde_json::to_string(&k).unwrap(),
            format!("\"{}\"", k.as_str())
        );
    }
    assert_eq!(
        VoucherType::Innovation.product_kind(),
        ProductKind::InnovationService
    );
    assert_eq!(VoucherType::Corpus.product_kind(), ProductKind::Corpus);
    assert_eq!(
        VoucherType::parse("voucher_type", "data").unwrap_err().code,
        "invalid_voucher_type"
    );
    assert_eq!(
        ProductKind::parse("kind", "innovation").unwrap_err().code,
        "invalid_product_kind"
    );
}

#[test]
fn valid_rules_pass() {
    rules().validate().unwrap();
    let mut r = rules();
    r.eligible_cities.clear();
    r.eligible_sizes.clear();
    r.eligible_industries.clear();
    r.face_value_cap = Money::from_fen(r.enterprise_year_cap.fen() * 2); // not required to be <=
    r.validate().unwrap();
}

#[test]
fn invalid_rules() {
    let check = |f: fn(&mut ProgramRules), code: &str, field: &str| {
        let mut r = rules();
        f(&mut r);
        let e = r.validate().unwrap_err();
        assert_eq!((e.code, e.field.as_str()), (code, field), "{}", e.message);
    };
    check(
        |r| r.face_value_cap = Money::ZERO,
        "amount_not_positive",
        "face_value_cap_fen",
    );
    check(
        |r| r.enterprise_year_cap = Money::from_fen(-1),
        "amount_not_positive",
        "enterprise_year_cap_fen",
    );
    check(
        |r| r.apply_until = d("2024-12-31"),
        "invalid_date",
        "apply_until",
    );
    check(
        |r| r.valid_until = d("2025-03-31"),
        "invalid_date",
        "valid_until",
    );
    check(|r| r.notice_days = 61, "out_of_range", "notice_days");
    check(
        |r| r.eligible_cities.push("110100".into()),
        "unknown_city",
        "eligible_cities[2]",
    );
    check(
        |r| r.eligible_cities.push("370100".into()),
        "duplicate",
        "eligible_cities[2]",
    );
    check(
        |r| r.eligible_industries.push('Z'),
        "invalid_industry",
        "eligible_industries[2]",
    );
    check(
        |r| r.funding[1].share_bps = 2999,
        "shares_not_100",
        "funding",
    );
    check(|r| r.funding.clear(), "required", "funding");
    check(
        |r| r.funding[1].source_id = "prov".into(),
        "duplicate_source",
        "funding[1].source_id",
    );
    check(
        |r| r.funding[1].source_id = " ".into(),
        "required",
        "funding[1].source_id",
    );
    let mut r = rules();
    r.notice_days = 60;
    r.validate().unwrap();
}

#[test]
fn eligibility() {
    let r = rules();
    let today = d("2025-02-01");
    check_eligibility(&r, &facts(), today).unwrap();
    check_eligibility(&r, &facts(), d("2025-01-01")).unwrap();
    check_eligibility(&r, &facts(), d("2025-03-31")).unwrap();

    let e = check_eligibility(&r, &facts(), d("2025-04-01")).unwrap_err();
    assert_eq!(e.code, "not_eligible");
    assert!(
        e.message.contains("outside the application window"),
        "{}",
        e.message
    );
    assert!(check_eligibility(&r, &facts(), d("2024-12-31")).is_err());

    let mut f = facts();
    f.city_code = "370300".into();
    let e = check_eligibility(&r, &f, today).unwrap_err();
    assert_eq!((e.code, e.field.as_str()), ("not_eligible", "city_code"));
    assert!(e.message.contains("Zibo"), "{}", e.message);

    let mut f = facts();
    f.size_class = SizeClass::Large;
    assert_eq!(
        check_eligibility(&r, &f, today).unwrap_err().field,
        "size_class"
    );

    let mut f = facts();
    f.industry = 'A';
    assert_eq!(
        check_eligibility(&r, &f, today).unwrap_err().field,
        "industry"
    );

    let mut any = rules();
    any.eligible_cities.clear();
    any.eligible_sizes.clear();
    any.eligible_industries.clear();
    let f = EnterpriseFacts {
        city_code: "371700".into(),
        size_class: SizeClass::Large,
        industry: 'A',
        pilot_zone: false,
    };
    check_eligibility(&any, &f, today).unwrap();
}

#[test]
fn dates() {
    assert_eq!(d("2025-02-28").to_string(), "2025-02-28");
    for bad in [
        "2025-02-30",
        "2025-2-28",
        "20250228",
        "2025/02/28",
        "",
        "2025-02-28T00:00",
        "+2025-02-2",
    ] {
        assert_eq!(
            parse_date("apply_from", bad).unwrap_err().code,
            "invalid_date",
            "{bad}"
        );
    }
    assert!(parse_date("x", "2024-02-29").is_ok());
    assert!(parse_date("x", "2025-02-29").is_err());
}

#[test]
fn rules_serde_roundtrip() {
    let r = rules();
    let j = serde_json::to_string(&r).unwrap();
    assert!(j.contains("\"voucher_type\":\"compute\""), "{j}");
    assert!(j.contains("\"apply_from\":\"2025-01-01\""), "{j}");
    assert_eq!(serde_json::from_str::<ProgramRules>(&j).unwrap(), r);
}

proptest! {
    #[test]
    fn date_roundtrip(days in 0i64..200_000) {
        let date = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + chrono::Duration::days(days);
        prop_assert_eq!(parse_date("d", &date.format("%Y-%m-%d").to_string()).unwrap(), date);
    }

    #[test]
    fn window_is_inclusive(offset in -100i64..200) {
        let r = rules();
        let today = r.apply_from + chrono::Duration::days(offset);
        let inside = today >= r.apply_from && today <= r.apply_until;
        prop_assert_eq!(check_eligibility(&r, &facts(), today).is_ok(), inside);
    }
}
