use super::*;
use crate::ledger::{AccountFlags, Ledger, Transfer};
use crate::RefusalKind;
use proptest::prelude::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn request(amount: i64, date: &str) -> RedemptionRequest {
    RedemptionRequest {
        voucher_id: "vch_1".into(),
        product_id: "prd_1".into(),
        invoice: InvoiceNumber::parse("invoice_number", "25372000000012345678").unwrap(),
        invoice_amount: Money::from_fen(amount),
        invoice_date: d(date),
        contract_id: None,
        payment_proof: None,
        delivery_proof: None,
    }
}

fn facts(available: i64, cap_left: i64, bps: i64) -> RedemptionFacts {
    RedemptionFacts {
        today: d("2026-06-15"),
        scope: Scope::default(),
        voucher: Some(VoucherFacts {
            id: "vch_1".into(),
            enterprise_id: "ent_1".into(),
            program_id: "prg_1".into(),
            voucher_type: VoucherType::Compute,
            status: VoucherStatus::Active,
            valid_from: d("2026-01-01"),
            valid_until: d("2026-12-31"),
            available: Money::from_fen(available),
        }),
        product: Some(ProductFacts {
            id: "prd_1".into(),
            supplier_id: "sup_1".into(),
            kind: ProductKind::Compute,
            suspended: None,
        }),
        terms: Some(RedemptionTerms {
            product_eligible: true,
            enterprise: PartyFacts {
                legal_rep: "张伟".into(),
                ..PartyFacts::default()
            },
            supplier: PartyFacts {
                legal_rep: "李娜".into(),
                ..PartyFacts::default()
            },
            invoice_used: false,
            rate: Rate::from_bps("rate_bps", bps).unwrap(),
            program_year: 2026,
            year_cap_left: Money::from_fen(cap_left),
            policy: no_policy(),
            enterprise_pilot_zone: false,
            supplier_paid: Money::ZERO,
            split_earlier: Money::ZERO,
            split_earlier_count: 0,
            metered_same_month: false,
            contract: None,
            group_cap_left: None,
            type_cap_left: None,
        }),
    }
}

fn no_policy() -> ProgramPolicy {
    ProgramPolicy::parse(&Default::default(), Rate::ZERO).unwrap()
}

fn with_policy(f: &mut RedemptionFacts, fields: crate::ProgramPolicyFields) {
    let t = f.terms.as_mut().unwrap();
    t.policy = ProgramPolicy::parse(&fields, t.rate).unwrap();
}

#[test]
fn the_mode_decides_who_claims_and_who_is_paid() {
    let req = request(100_000, "2026-06-01");
    let enterprise = Scope {
        enterprise: Some("ent_1".into()),
        supplier: None,
    };
    let supplier = Scope {
        enterprise: None,
        supplier: Some("sup_1".into()),
    };
    // Supplier redeems: the enterprise cannot claim; the supplier's payable is credited.
    let mut f = facts(10_000_000, 10_000_000, 3000);
    f.scope = enterprise.clone();
    assert_eq!(
        plan_redemption(&req, &f, "r".into()).unwrap_err().code,
        "redemption_mode"
    );
    f.scope = supplier.clone();
    let p = plan_redemption(&req, &f, "r".into()).unwrap();
    assert_eq!(p.payee, Payee::Supplier("sup_1".into()));
    assert_eq!(p.posting.credit.to_string(), "payable:sup_1");
    // Enterprise reimbursed: the supplier cannot claim; the enterprise needs proof of payment
    // and its reimbursable account is credited the same subsidy.
    with_policy(
        &mut f,
        crate::ProgramPolicyFields {
            redemption_mode: RedemptionMode::EnterpriseReimbursed,
            ..Default::default()
        },
    );
    assert_eq!(
        plan_redemption(&req, &f, "r".into()).unwrap_err().code,
        "redemption_mode"
    );
    f.scope = enterprise;
    let e = plan_redemption(&req, &f, "r".into()).unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        ("required", Some("payment_proof"))
    );
    let paid = RedemptionRequest {
        payment_proof: Some("工行回单 0001".into()),
        ..req.clone()
    };
    let r = plan_redemption(&paid, &f, "r".into()).unwrap();
    assert_eq!(r.payee, Payee::Enterprise("ent_1".into()));
    assert_eq!(r.posting.credit.to_string(), "reimbursable:ent_1");
    assert_eq!(r.subsidy, p.subsidy);
}

#[test]
fn the_actual_controller_group_shares_one_cap() {
    let req = request(1_000_000, "2026-06-01");
    let mut f = facts(10_000_000, 10_000_000, 3000);
    f.terms.as_mut().unwrap().enterprise.actual_controller = "孙建国".into();
    f.terms.as_mut().unwrap().group_cap_left = Some(Money::from_fen(120_000));
    let p = plan_redemption(&req, &f, "r".into()).unwrap();
    assert_eq!(
        (p.subsidy.fen(), p.group.as_deref()),
        (120_000, Some("孙建国"))
    );
    f.terms.as_mut().unwrap().group_cap_left = Some(Money::ZERO);
    assert_eq!(
        plan_redemption(&req, &f, "r".into()).unwrap_err().code,
        "group_year_cap"
    );
    f.terms.as_mut().unwrap().group_cap_left = None;
    assert_eq!(plan_redemption(&req, &f, "r".into()).unwrap().group, None);
}

#[test]
fn the_cap_per_voucher_type_spans_programs() {
    let req = request(1_000_000, "2026-06-01");
    let mut f = facts(10_000_000, 10_000_000, 3000);
    f.terms.as_mut().unwrap().type_cap_left = Some(Money::from_fen(50_000));
    assert_eq!(
        plan_redemption(&req, &f, "r".into()).unwrap().subsidy.fen(),
        50_000
    );
    f.terms.as_mut().unwrap().type_cap_left = Some(Money::ZERO);
    assert_eq!(code(plan_redemption(&req, &f, "r".into())), "type_year_cap");
}

proptest::proptest! {
    /// Whatever caps are left, the subsidy stays under each of them and under the rate.
    #[test]
    fn the_subsidy_stays_under_every_cap(amount in 1i64..10_000_000, avail in 0i64..5_000_000,
                                          year in 0i64..5_000_000, group in proptest::option::of(0i64..5_000_000),
                                          typ in proptest::option::of(0i64..5_000_000)) {
        let req = request(amount, "2026-06-01");
        let mut f = facts(avail, year, 3000);
        f.terms.as_mut().unwrap().enterprise.actual_controller = "孙建国".into();
        f.terms.as_mut().unwrap().group_cap_left = group.map(Money::from_fen);
        f.terms.as_mut().unwrap().type_cap_left = typ.map(Money::from_fen);
        if let Ok(p) = plan_redemption(&req, &f, "r".into()) {
            let s = p.subsidy.fen();
            proptest::prop_assert!(s > 0 && s <= avail && s <= year && s <= amount * 3000 / 10_000);
            proptest::prop_assert!(group.is_none_or(|g| s <= g) && typ.is_none_or(|t| s <= t));
        }
    }
}

#[test]
fn a_required_contract_is_checked_in_the_plan() {
    let mut f = facts(10_000_000, 10_000_000, 3000);
    with_policy(
        &mut f,
        crate::ProgramPolicyFields {
            contract_required: true,
            ..Default::default()
        },
    );
    let req = request(100_000, "2026-06-01");
    let e = plan_redemption(&req, &f, "r".into()).unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        ("contract_required", Some("contract_id"))
    );
    let with = RedemptionRequest {
        contract_id: Some("ctr_1".into()),
        ..req
    };
    f.terms.as_mut().unwrap().contract = Some(crate::ContractFacts {
        id: "ctr_1".into(),
        enterprise_id: "ent_1".into(),
        supplier_id: "sup_1".into(),
        kind: ProductKind::Compute,
        signed_on: d("2026-02-01"),
        amount: Money::from_fen(100_000),
        claims_here: 0,
        claimed_here: Money::ZERO,
        claimed_elsewhere: None,
    });
    assert!(plan_redemption(&with, &f, "r".into()).is_ok());
    f.terms
        .as_mut()
        .unwrap()
        .contract
        .as_mut()
        .unwrap()
        .claims_here = 1;
    assert_eq!(
        plan_redemption(&with, &f, "r".into()).unwrap_err().code,
        "contract_claimed"
    );
}

#[test]
fn no_double_subsidy_with_metered_usage() {
    let mut f = facts(10_000_000, 10_000_000, 3000);
    f.terms.as_mut().unwrap().metered_same_month = true;
    let r = plan_redemption(&request(100_000, "2026-06-01"), &f, "r".into()).unwrap_err();
    assert_eq!(
        (r.code, r.field.as_deref()),
        ("double_subsidy", Some("invoice_date"))
    );
}

#[test]
fn suspended_products_are_not_paid_for() {
    let mut f = facts(10_000_000, 10_000_000, 3000);
    f.product.as_mut().unwrap().suspended = Some("资质复核".into());
    let r = plan_redemption(&request(100_000, "2026-06-01"), &f, "r".into()).unwrap_err();
    assert_eq!(
        (r.code, r.field.as_deref()),
        ("product_suspended", Some("product_id"))
    );
}

#[test]
fn program_policy_rules() {
    // 30% of ¥1,000; pilot zone +5% → 35%.
    let req = request(100_000, "2026-06-01");
    let mut f = facts(10_000_000, 10_000_000, 3000);
    with_policy(
        &mut f,
        crate::ProgramPolicyFields {
            pilot_bonus_bps: 500,
            ..Default::default()
        },
    );
    assert_eq!(
        plan_redemption(&req, &f, "r".into()).unwrap().subsidy.fen(),
        30_000
    );
    f.terms.as_mut().unwrap().enterprise_pilot_zone = true;
    assert_eq!(
        plan_redemption(&req, &f, "r".into()).unwrap().subsidy.fen(),
        35_000
    );
    // Minimum invoice.
    with_policy(
        &mut f,
        crate::ProgramPolicyFields {
            min_invoice_fen: Some(100_001),
            ..Default::default()
        },
    );
    assert_eq!(
        code(plan_redemption(&req, &f, "r".into())),
        "below_min_invoice"
    );
    // Supplier cap: 10,000 left of 50,000 → the subsidy is capped, then refused once reached.
    with_policy(
        &mut f,
        crate::ProgramPolicyFields {
            supplier_cap_fen: Some(50_000),
            ..Default::default()
        },
    );
    f.terms.as_mut().unwrap().supplier_paid = Money::from_fen(40_000);
    assert_eq!(
        plan_redemption(&req, &f, "r".into()).unwrap().subsidy.fen(),
        10_000
    );
    f.terms.as_mut().unwrap().supplier_paid = Money::from_fen(50_000);
    assert_eq!(code(plan_redemption(&req, &f, "r".into())), "supplier_cap");
    // Split purchases: the fifth ¥999 invoice in a week to one supplier reaches ¥4,000.
    let small = request(99_900, "2026-06-01");
    let mut f = facts(10_000_000, 10_000_000, 3000);
    with_policy(
        &mut f,
        crate::ProgramPolicyFields {
            split_window_days: Some(7),
            split_threshold_fen: Some(400_000),
            ..Default::default()
        },
    );
    f.terms.as_mut().unwrap().split_earlier = Money::from_fen(3 * 99_900);
    f.terms.as_mut().unwrap().split_earlier_count = 3;
    assert!(plan_redemption(&small, &f, "r".into())
        .unwrap()
        .hold
        .is_none());
    f.terms.as_mut().unwrap().split_earlier = Money::from_fen(4 * 99_900);
    f.terms.as_mut().unwrap().split_earlier_count = 4;
    let held = plan_redemption(&small, &f, "r".into()).unwrap();
    let hold = held.hold.unwrap();
    assert_eq!(hold.code(), "split_purchase");
    assert!(hold.text().contains("4 earlier invoices of 3996.00 yuan"));
    let json = serde_json::to_value(&hold).unwrap();
    assert_eq!(json["code"], "split_purchase");
    assert_eq!(json["earlier_fen"], 399_600);
    assert_eq!(json["earlier_count"], 4);
}

fn code(r: Result<RedemptionPlan, Refusal>) -> &'static str {
    r.unwrap_err().code
}

/// A model ledger where the voucher holds `available` fen, funded from outside.
fn ledger_with_voucher(available: i64) -> Ledger {
    let mut l = Ledger::new();
    let neg = AccountFlags {
        may_go_negative: true,
    };
    l.create_account("external", neg).unwrap();
    for a in [
        "voucher:vch_1",
        "payable:sup_1",
        "settled:sup_1",
        "source:src_a",
        "source:src_b",
    ] {
        l.create_account(a, AccountFlags::default()).unwrap();
    }
    l.create_account("receivable:sup_1", neg).unwrap();
    if available > 0 {
        l.apply(Transfer::single(
            "fund",
            "external",
            "voucher:vch_1",
            available,
        ))
        .unwrap();
    }
    l
}

#[test]
fn pays_rate_times_amount_rounded_down() {
    let p = plan_redemption(
        &request(333, "2026-06-01"),
        &facts(10_000, 10_000, 3333),
        "red_1".into(),
    )
    .unwrap();
    assert_eq!(p.subsidy, Money::from_fen(110));
    assert_eq!(p.enterprise_pays, Money::from_fen(223));
    assert_eq!(p.posting.id, "redeem:red_1");
    assert_eq!(p.posting.debit.to_string(), "voucher:vch_1");
    assert_eq!(p.posting.credit.to_string(), "payable:sup_1");
}

#[test]
fn refusals_name_the_rule() {
    let req = request(100_000, "2026-06-01");
    let mut f = facts(10_000, 10_000, 3000);
    f.scope.enterprise = Some("ent_other".into());
    let r = plan_redemption(&req, &f, "r".into()).unwrap_err();
    assert_eq!(
        (r.kind, r.field.as_deref()),
        (RefusalKind::NotFound, Some("voucher_id"))
    );

    let mut f = facts(10_000, 10_000, 3000);
    f.scope.supplier = Some("sup_other".into());
    assert_eq!(
        plan_redemption(&req, &f, "r".into())
            .unwrap_err()
            .field
            .as_deref(),
        Some("product_id")
    );

    let mut f = facts(10_000, 10_000, 3000);
    f.product.as_mut().unwrap().kind = ProductKind::Model;
    assert_eq!(
        code(plan_redemption(&req, &f, "r".into())),
        "product_kind_mismatch"
    );

    let mut f = facts(10_000, 10_000, 3000);
    f.terms.as_mut().unwrap().product_eligible = false;
    assert_eq!(
        code(plan_redemption(&req, &f, "r".into())),
        "product_not_eligible"
    );

    let mut f = facts(10_000, 10_000, 3000);
    f.voucher.as_mut().unwrap().status = VoucherStatus::Expired;
    assert_eq!(
        code(plan_redemption(&req, &f, "r".into())),
        "voucher_expired"
    );

    let mut f = facts(10_000, 10_000, 3000);
    f.today = d("2025-12-01");
    assert_eq!(
        code(plan_redemption(&req, &f, "r".into())),
        "voucher_not_active"
    );

    let f = facts(10_000, 10_000, 3000);
    assert_eq!(
        code(plan_redemption(&request(1, "2025-06-01"), &f, "r".into())),
        "outside_validity"
    );
    assert_eq!(
        code(plan_redemption(&request(1, "2026-06-16"), &f, "r".into())),
        "in_future"
    );

    let mut f = facts(10_000, 10_000, 3000);
    f.terms.as_mut().unwrap().supplier.listing = Some(crate::Listing {
        entry_id: "dis_1".into(),
        reason: "fake invoices".into(),
        source: "notice 3".into(),
        listed_from: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        listed_until: None,
        lifted: false,
    });
    assert_eq!(code(plan_redemption(&req, &f, "r".into())), "dishonest");

    let mut f = facts(10_000, 10_000, 3000);
    f.terms.as_mut().unwrap().supplier.shareholders = vec!["张伟".into()];
    assert_eq!(code(plan_redemption(&req, &f, "r".into())), "affiliated");

    // The enterprise's file named the supplier's legal representative until a change approved
    // after the invoice: the version in force on the invoice date counts.
    let mut f = facts(10_000, 10_000, 3000);
    let superseded = |on: &str| crate::SupersededFile {
        superseded_on: d(on),
        legal_rep: "张伟".into(),
        shareholders: vec!["李娜".into()],
        actual_controller: String::new(),
    };
    f.terms.as_mut().unwrap().enterprise.superseded = vec![superseded("2099-01-01")];
    assert_eq!(code(plan_redemption(&req, &f, "r".into())), "affiliated");
    f.terms.as_mut().unwrap().enterprise.superseded = vec![superseded("2000-01-01")];
    assert!(
        plan_redemption(&req, &f, "r".into()).is_ok(),
        "replaced before the invoice"
    );

    let mut f = facts(10_000, 10_000, 3000);
    f.terms.as_mut().unwrap().invoice_used = true;
    assert_eq!(
        code(plan_redemption(&req, &f, "r".into())),
        "duplicate_invoice"
    );

    assert_eq!(
        code(plan_redemption(&req, &facts(0, 10_000, 3000), "r".into())),
        "voucher_exhausted"
    );
    assert_eq!(
        code(plan_redemption(&req, &facts(10_000, 0, 3000), "r".into())),
        "enterprise_year_cap"
    );
}

/// The voucher was funded 70/30 by two sources.
fn funded(available: i64) -> Vec<Funded> {
    let a = available * 7 / 10;
    vec![
        Funded {
            budget: AccountId::Budget("prg_1".into(), "src_a".into()),
            posted: Money::from_fen(a),
        },
        Funded {
            budget: AccountId::Budget("prg_1".into(), "src_b".into()),
            posted: Money::from_fen(available - a),
        },
    ]
}

#[test]
fn clawback_returns_to_the_sources_never_the_voucher() {
    let f = ClawbackFacts {
        id: "red_1".into(),
        status: RedemptionStatus::Settled,
        subsidy: Money::from_fen(500),
        voucher_id: "vch_1".into(),
        payee: crate::Payee::Supplier("sup_1".into()),
        funded: funded(1_000),
    };
    let p = plan_clawback(&f).unwrap();
    assert_eq!(p.next, RedemptionStatus::ClawedBack);
    assert_eq!(p.receivable, Money::from_fen(500));
    let moves: Vec<(String, String, i64)> = p
        .postings
        .iter()
        .map(|x| (x.debit.to_string(), x.credit.to_string(), x.amount.fen()))
        .collect();
    assert_eq!(
        moves,
        vec![
            ("receivable:sup_1".into(), "source:src_a".into(), 350),
            ("receivable:sup_1".into(), "source:src_b".into(), 150),
        ]
    );
    let unsettled = plan_clawback(&ClawbackFacts {
        status: RedemptionStatus::Payable,
        ..f.clone()
    })
    .unwrap();
    assert_eq!(unsettled.receivable, Money::ZERO);
    assert!(unsettled
        .postings
        .iter()
        .all(|x| x.debit.to_string() == "payable:sup_1"));
    let again = ClawbackFacts {
        status: RedemptionStatus::ClawedBack,
        ..f
    };
    assert_eq!(plan_clawback(&again).unwrap_err().code, "invalid_state");
}

proptest! {
    /// Against the reference ledger: an accepted plan's posting always applies (it never
    /// overdraws the voucher), stays under every bound, and conserves money; a clawback of it
    /// returns exactly the subsidy to the sources (within a fen of each share), leaves the
    /// voucher as spent, and, once settled, leaves the supplier owing exactly the subsidy.
    #[test]
    fn plans_respect_the_reference_ledger(amount in 1i64..2_000_000_000, bps in 0i64..=10_000,
                                          available in 0i64..50_000_000, cap_left in 0i64..50_000_000,
                                          settled in any::<bool>()) {
        let req = request(amount, "2026-06-01");
        let f = facts(available, cap_left, bps);
        let mut l = ledger_with_voucher(available);
        match plan_redemption(&req, &f, "red_1".into()) {
            Ok(p) => {
                prop_assert!(p.subsidy.is_positive());
                prop_assert!(p.subsidy.fen() <= available && p.subsidy.fen() <= cap_left);
                prop_assert!(p.subsidy <= Rate::from_bps("r", bps).unwrap().apply_floor(req.invoice_amount));
                prop_assert_eq!(p.subsidy.fen() + p.enterprise_pays.fen(), amount);
                l.apply(p.posting.to_model()).unwrap();
                prop_assert!(l.check_conservation().is_ok());
                if settled {
                    l.apply(Transfer::single("settle", "payable:sup_1", "settled:sup_1", p.subsidy.fen())).unwrap();
                }
                let status = if settled { RedemptionStatus::Settled } else { RedemptionStatus::Payable };
                let c = plan_clawback(&ClawbackFacts { id: p.id.clone(), status, subsidy: p.subsidy,
                    voucher_id: p.voucher_id.clone(), payee: p.payee.clone(), funded: funded(available) }).unwrap();
                for x in &c.postings {
                    l.apply(x.to_model()).unwrap();
                }
                let bal = |a: &str| l.account(a).unwrap().balance;
                prop_assert_eq!(bal("voucher:vch_1"), available - p.subsidy.fen());
                prop_assert_eq!(bal("source:src_a") + bal("source:src_b"), p.subsidy.fen());
                let share_a = p.subsidy.fen() as i128 * (available * 7 / 10) as i128 / available as i128;
                prop_assert!((bal("source:src_a") as i128 - share_a).abs() <= 1);
                prop_assert_eq!(bal("receivable:sup_1"), if settled { -p.subsidy.fen() } else { 0 });
                prop_assert_eq!(bal("payable:sup_1"), 0);
                prop_assert!(l.check_conservation().is_ok());
            }
            Err(r) => {
                let by_rate = Rate::from_bps("r", bps).unwrap().apply_floor(req.invoice_amount).fen();
                prop_assert!(by_rate.min(available).min(cap_left) == 0, "refused {:?} with something to pay", r);
            }
        }
    }
}
