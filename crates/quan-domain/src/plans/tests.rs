//! Plans against the reference ledger: whatever a plan decides applies cleanly (no account
//! below its bound, money conserved), and the amounts are exactly what the rules say.
use std::collections::BTreeMap;

use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;
use crate::ids::{FundingSourceId, VoucherId};
use crate::ledger::{AccountFlags, AccountId, Ledger, Posting, Transfer};
use crate::lifecycle::{ApplicationStatus, VoucherStatus};
use crate::money::Money;
use crate::program::{FundingShare, ProgramRules, VoucherType};
use crate::Rate;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn m(f: i64) -> Money {
    Money::from_fen(f)
}

/// A model ledger with the given accounts (external may go negative) and opening balances.
fn model(opening: &[(&AccountId, i64)]) -> Ledger {
    let mut l = Ledger::new();
    l.create_account(
        "external",
        AccountFlags {
            may_go_negative: true,
        },
    )
    .unwrap();
    for (i, (a, fen)) in opening.iter().enumerate() {
        let id = a.to_string();
        if l.account(&id).is_none() {
            l.create_account(&id, AccountFlags::default()).unwrap();
        }
        if *fen > 0 {
            l.apply(Transfer::single(format!("open{i}"), "external", &id, *fen))
                .unwrap();
        }
    }
    l
}

fn ensure(l: &mut Ledger, postings: &[Posting]) {
    for p in postings {
        for a in [p.debit.to_string(), p.credit.to_string()] {
            if l.account(&a).is_none() {
                l.create_account(&a, AccountFlags::default()).unwrap();
            }
        }
    }
}

fn apply_all(l: &mut Ledger, postings: &[Posting]) {
    ensure(l, postings);
    for p in postings {
        l.apply(p.to_model()).unwrap();
    }
    l.check_conservation().unwrap();
}

fn rules(funding: &[(&str, i64)], year_cap: i64) -> ProgramRules {
    ProgramRules {
        voucher_type: VoucherType::Compute,
        rate: Rate::from_bps("rate_bps", 3000).unwrap(),
        face_value_cap: m(5_000_000),
        enterprise_year_cap: m(year_cap),
        apply_from: d("2026-01-01"),
        apply_until: d("2026-12-31"),
        valid_from: d("2026-01-01"),
        valid_until: d("2026-12-31"),
        notice_days: 7,
        eligible_cities: vec![],
        eligible_sizes: vec![],
        eligible_industries: vec![],
        funding: funding
            .iter()
            .map(|(s, b)| FundingShare {
                source_id: s.to_string(),
                share_bps: *b,
            })
            .collect(),
    }
}

#[test]
fn expiry_refuses_a_valid_voucher_and_releases_by_weight() {
    let v: VoucherId = "v1".into();
    let funded = vec![
        Funded {
            budget: AccountId::Budget("p".into(), "prov".into()),
            posted: m(700),
        },
        Funded {
            budget: AccountId::Budget("p".into(), "city".into()),
            posted: m(300),
        },
    ];
    let f = ExpiryFacts {
        id: v.clone(),
        status: VoucherStatus::Active,
        valid_until: d("2026-12-31"),
        today: d("2026-12-31"),
        available: m(101),
        funded: funded.clone(),
    };
    assert_eq!(plan_expiry(&f).unwrap_err().code, "voucher_still_valid");
    let plan = plan_expiry(&ExpiryFacts {
        today: d("2027-01-01"),
        ..f.clone()
    })
    .unwrap();
    assert_eq!(plan.next, VoucherStatus::Expired);
    let parts: Vec<(String, i64)> = plan
        .postings
        .iter()
        .map(|p| (p.credit.to_string(), p.amount.fen()))
        .collect();
    assert_eq!(
        parts,
        vec![("source:prov".into(), 71), ("source:city".into(), 30)]
    );
    let expired = ExpiryFacts {
        status: VoucherStatus::Expired,
        today: d("2027-01-01"),
        ..f
    };
    assert_eq!(plan_expiry(&expired).unwrap_err().code, "invalid_state");
}

#[test]
fn settlement_rules() {
    let p = SettlementPeriod::parse("period", "2026-11").unwrap();
    assert_eq!(p.end_exclusive(), d("2026-12-01"));
    assert_eq!(
        SettlementPeriod::parse("period", "2026-12")
            .unwrap()
            .end_exclusive(),
        d("2027-01-01")
    );
    for bad in ["2026-13", "2026-1", "202611", "2026/11", "", "abcd-ef"] {
        assert_eq!(
            SettlementPeriod::parse("period", bad).unwrap_err().code,
            "invalid_period",
            "{bad}"
        );
    }
    let f = SettlementFacts {
        payee: crate::Payee::Supplier("s".into()),
        period: p,
        today: d("2026-11-30"),
        already_settled: false,
        items: 3,
        total: m(900),
        payee_listing: None,
        owed: Money::ZERO,
    };
    let plan = plan_settlement(&f, "st1".into()).unwrap();
    let moves = |p: &SettlementPlan| -> Vec<(String, String, Money)> {
        p.postings
            .iter()
            .map(|x| (x.debit.to_string(), x.credit.to_string(), x.amount))
            .collect()
    };
    assert_eq!(
        moves(&plan),
        vec![("payable:s".into(), "settled:s".into(), m(900))]
    );
    // Owing 300 from a clawback: 300 recovered, 600 paid; owing more than the run: all kept.
    let owing = plan_settlement(
        &SettlementFacts {
            owed: m(300),
            ..f.clone()
        },
        "st2".into(),
    )
    .unwrap();
    assert_eq!(owing.offset, m(300));
    assert_eq!(
        moves(&owing),
        vec![
            ("payable:s".into(), "receivable:s".into(), m(300)),
            ("payable:s".into(), "settled:s".into(), m(600)),
        ]
    );
    let all = plan_settlement(
        &SettlementFacts {
            owed: m(5_000),
            ..f.clone()
        },
        "st3".into(),
    )
    .unwrap();
    assert_eq!(
        moves(&all),
        vec![("payable:s".into(), "receivable:s".into(), m(900))]
    );
    let early = SettlementFacts {
        today: d("2026-10-31"),
        ..f.clone()
    };
    assert_eq!(
        plan_settlement(&early, "x".into()).unwrap_err().code,
        "invalid_period"
    );
    let twice = SettlementFacts {
        already_settled: true,
        ..f.clone()
    };
    assert_eq!(
        plan_settlement(&twice, "x".into()).unwrap_err().code,
        "already_settled"
    );
    let held = SettlementFacts {
        payee_listing: Some(crate::Listing {
            entry_id: "dis_2".into(),
            reason: "r".into(),
            source: "s".into(),
            listed_from: d("2026-11-01"),
            listed_until: None,
            lifted: false,
        }),
        ..f.clone()
    };
    assert_eq!(
        plan_settlement(&held, "x".into()).unwrap_err().code,
        "payables_held"
    );
    let empty = SettlementFacts {
        items: 0,
        total: Money::ZERO,
        ..f
    };
    assert_eq!(
        plan_settlement(&empty, "x".into()).unwrap_err().code,
        "nothing_to_settle"
    );
}

fn edit_facts(budget: i64, max_use: i64, has_grants: bool) -> ProgramEditFacts {
    ProgramEditFacts {
        program_id: "p".into(),
        budget: m(budget),
        funding: vec![
            FundedShare {
                source: "prov".into(),
                share_bps: 7000,
                budget_balance: m(budget * 7 / 10),
            },
            FundedShare {
                source: "city".into(),
                share_bps: 3000,
                budget_balance: m(budget * 3 / 10),
            },
        ],
        has_grants,
        max_year_use: m(max_use),
        source_available: BTreeMap::from([
            (FundingSourceId::new("prov"), m(1_000_000)),
            (FundingSourceId::new("city"), m(1_000_000)),
            (FundingSourceId::new("county"), m(50)),
        ]),
    }
}

#[test]
fn program_edit_rules() {
    let same = rules(&[("prov", 7000), ("city", 3000)], 500_000);
    let f = edit_facts(10_000, 300_000, true);
    let e = plan_program_edit(
        &f,
        &rules(&[("prov", 7000), ("city", 3000)], 299_999),
        m(10_000),
        "t",
    )
    .unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        ("cap_below_usage", Some("enterprise_year_cap_fen"))
    );
    assert!(e.message.contains("3000.00"), "{}", e.message);
    assert!(plan_program_edit(
        &f,
        &rules(&[("prov", 7000), ("city", 3000)], 300_000),
        m(10_000),
        "t"
    )
    .is_ok());
    assert_eq!(
        plan_program_edit(&f, &same, m(9_999), "t")
            .unwrap_err()
            .code,
        "budget_decrease"
    );
    let shares = rules(&[("prov", 5000), ("city", 5000)], 500_000);
    assert_eq!(
        plan_program_edit(&f, &shares, m(10_000), "t")
            .unwrap_err()
            .code,
        "funding_locked"
    );
    let poor = rules(&[("prov", 5000), ("county", 5000)], 500_000);
    let e = plan_program_edit(&edit_facts(10_000, 0, false), &poor, m(10_000), "t").unwrap_err();
    assert_eq!(e.code, "insufficient_funds");
    let unknown = rules(&[("nowhere", 10_000)], 500_000);
    let e = plan_program_edit(&edit_facts(10_000, 0, false), &unknown, m(10_000), "t").unwrap_err();
    assert_eq!((e.code, e.field.as_deref()), ("not_found", Some("funding")));
    let none = plan_program_edit(&f, &same, m(10_000), "t").unwrap();
    assert_eq!(
        (none.postings.len(), none.funding),
        (0, FundingChange::None)
    );
}

#[test]
fn approval_rules() {
    let f = ApprovalFacts {
        first_milestone: None,
        application: "a".into(),
        status: ApplicationStatus::Submitted,
        program: "p".into(),
        requested: m(1_000),
        face_value_cap: m(800),
        enterprise_year_cap: m(2_000),
        already_granted: m(1_500),
        notice_days: 7,
        today: d("2026-06-01"),
        funding: vec![ShareAvailable {
            source: "prov".into(),
            source_name: "省级".into(),
            share_bps: 10_000,
            available: m(10_000),
            coverage: Coverage::Province,
        }],
    };
    assert_eq!(
        plan_approval(&f, None, "v".into()).unwrap_err().code,
        "exceeds_cap"
    );
    assert_eq!(
        plan_approval(&f, Some(m(600)), "v".into())
            .unwrap_err()
            .code,
        "enterprise_year_cap"
    );
    let ok = plan_approval(&f, Some(m(500)), "v".into()).unwrap();
    assert_eq!((ok.amount, ok.notice_ends_on), (m(500), d("2026-06-08")));
    let approved = ApprovalFacts {
        first_milestone: None,
        status: ApplicationStatus::Approved,
        ..f
    };
    assert_eq!(
        plan_approval(&approved, Some(m(500)), "v".into())
            .unwrap_err()
            .code,
        "invalid_state"
    );
}

#[test]
fn issue_waits_for_the_notice_and_objections() {
    let g = GrantFacts {
        held_from: vec![],
        application: "a".into(),
        status: ApplicationStatus::Approved,
        program: "p".into(),
        voucher: "v".into(),
        reserved_from: vec!["prov".into()],
        notice_ends_on: Some(d("2026-06-08")),
        open_objections: 0,
        enterprise_listing: None,
        today: d("2026-06-07"),
    };
    assert_eq!(plan_issue(&g).unwrap_err().code, "notice_not_over");
    let later = GrantFacts {
        held_from: vec![],
        today: d("2026-06-08"),
        ..g.clone()
    };
    assert_eq!(plan_issue(&later).unwrap().next, ApplicationStatus::Issued);
    let objected = GrantFacts {
        held_from: vec![],
        open_objections: 1,
        ..later.clone()
    };
    assert_eq!(plan_issue(&objected).unwrap_err().code, "objection_open");
    // Approved before the listing, listed since: no voucher, and the refusal names the entry.
    let listed = GrantFacts {
        held_from: vec![],
        enterprise_listing: Some(crate::Listing {
            entry_id: "dis_9".into(),
            reason: "forged audit report".into(),
            source: "court notice 12".into(),
            listed_from: d("2026-06-05"),
            listed_until: None,
            lifted: false,
        }),
        ..later.clone()
    };
    let r = plan_issue(&listed).unwrap_err();
    assert_eq!(r.code, "dishonest");
    assert!(r.message.contains("dis_9"), "{}", r.message);
    assert_eq!(
        plan_revocation(&g).unwrap().next,
        ApplicationStatus::Revoked
    );
    let issued = GrantFacts {
        held_from: vec![],
        status: ApplicationStatus::Issued,
        ..later
    };
    assert_eq!(plan_issue(&issued).unwrap_err().code, "invalid_state");
    assert_eq!(plan_revocation(&issued).unwrap_err().code, "invalid_state");
}

proptest! {
    /// A release returns exactly what is available, split so no source gets more than a fen
    /// beyond its proportional share, and the voucher ends at zero.
    #[test]
    fn release_empties_the_voucher(available in 0i64..10_000_000, w in proptest::collection::vec(1i64..5_000_000, 1..4)) {
        let v: VoucherId = "v".into();
        let funded: Vec<Funded> = w.iter().enumerate().map(|(i, f)| Funded {
            budget: AccountId::Budget("p".into(), format!("s{i}").into()), posted: m(*f) }).collect();
        let postings = plan_release(&v, m(available), &funded, "expiry").unwrap();
        let mut l = model(&[(&AccountId::Voucher(v.clone()), available)]);
        apply_all(&mut l, &postings);
        prop_assert_eq!(l.account("voucher:v").unwrap().balance, 0);
        let total: i64 = w.iter().sum();
        for (p, f) in postings.iter().zip(&funded) {
            let exact = available as i128 * f.posted.fen() as i128 / total as i128;
            prop_assert!((p.amount.fen() as i128 - exact).abs() <= 1);
        }
    }

    /// Approve → issue, or approve → revoke, through the reference ledger: the reservation is
    /// exactly the approved amount split by share, issue moves it all to the voucher, revocation
    /// returns it all to the budgets; a budget is never overdrawn.
    #[test]
    fn grants_reserve_post_and_void(amount in 1i64..5_000_000, a in 1i64..10_000, b in 0i64..10_000,
                                    avail_a in 0i64..5_000_000, avail_b in 0i64..5_000_000, revoke in any::<bool>()) {
        let budget_a = AccountId::Budget("p".into(), "sa".into());
        let budget_b = AccountId::Budget("p".into(), "sb".into());
        let f = ApprovalFacts {
            first_milestone: None,
            application: "app".into(), status: ApplicationStatus::Submitted, program: "p".into(),
            requested: m(amount), face_value_cap: m(5_000_000), enterprise_year_cap: m(10_000_000),
            already_granted: Money::ZERO, notice_days: 0, today: d("2026-06-01"),
            funding: vec![
                ShareAvailable { source: "sa".into(), source_name: "A".into(), share_bps: a, available: m(avail_a), coverage: Coverage::Province },
                ShareAvailable { source: "sb".into(), source_name: "B".into(), share_bps: b, available: m(avail_b), coverage: Coverage::Covers },
            ],
        };
        let mut l = model(&[(&budget_a, avail_a), (&budget_b, avail_b)]);
        match plan_approval(&f, None, "v".into()) {
            Err(r) => prop_assert_eq!(r.code, "insufficient_funds"),
            Ok(plan) => {
                let reserved: i64 = plan.reservations.iter().map(|p| p.amount.fen()).sum();
                prop_assert_eq!(reserved, amount);
                apply_all(&mut l, &plan.reservations);
                let g = GrantFacts {
                    held_from: vec![],
                    application: "app".into(), status: ApplicationStatus::Approved, program: "p".into(),
                    voucher: "v".into(),
                    reserved_from: plan.reservations.iter().filter_map(|p| p.debit.funding_source().cloned()).collect(),
                    notice_ends_on: Some(plan.notice_ends_on), open_objections: 0, enterprise_listing: None, today: d("2026-06-01"),
                };
                let res = if revoke { plan_revocation(&g).unwrap() } else { plan_issue(&g).unwrap() };
                apply_all(&mut l, &res.postings);
                let voucher = l.account("voucher:v").unwrap().balance;
                prop_assert_eq!(voucher, if revoke { 0 } else { amount });
                let budgets = l.account(&budget_a.to_string()).unwrap().balance + l.account(&budget_b.to_string()).unwrap().balance;
                prop_assert_eq!(budgets, avail_a + avail_b - voucher);
            }
        }
    }

    /// Raising a budget allocates exactly the increase by share; new shares (before any grant)
    /// return every old allocation and allocate the whole budget anew; sources are never
    /// overdrawn and money is conserved.
    #[test]
    fn program_edits_conserve(budget in 1i64..1_000_000, extra in 0i64..1_000_000, reshare in any::<bool>(), s in 1i64..9_999) {
        let mut f = edit_facts(budget, 0, false);
        f.funding[0].budget_balance = m(budget * 7 / 10);
        f.funding[1].budget_balance = m(budget - budget * 7 / 10);
        let prov = AccountId::Source("prov".into());
        let city = AccountId::Source("city".into());
        let mut l = model(&[
            (&prov, 1_000_000), (&city, 1_000_000),
            (&AccountId::Budget("p".into(), "prov".into()), f.funding[0].budget_balance.fen()),
            (&AccountId::Budget("p".into(), "city".into()), f.funding[1].budget_balance.fen()),
        ]);
        let r = if reshare { rules(&[("prov", s), ("city", 10_000 - s)], 500_000) } else { rules(&[("prov", 7000), ("city", 3000)], 500_000) };
        let new_budget = m(budget + extra);
        match plan_program_edit(&f, &r, new_budget, "t") {
            Err(e) => prop_assert_eq!(e.code, "insufficient_funds"),
            Ok(plan) => {
                apply_all(&mut l, &plan.postings);
                let held = l.account("budget:p:prov").unwrap().balance + l.account("budget:p:city").unwrap().balance;
                prop_assert_eq!(held, budget + extra);
            }
        }
    }
}

fn share(name: &str, bps: i64, coverage: Coverage) -> ShareAvailable {
    ShareAvailable {
        source: name.into(),
        source_name: name.into(),
        share_bps: bps,
        available: m(1_000_000_000),
        coverage,
    }
}

#[test]
fn regional_funds_pay_only_for_their_area() {
    // Province 70%, Jinan 20%, Qingdao 10%; a Jinan enterprise: Qingdao's 10% goes to the province.
    let f = [
        share("prov", 7000, Coverage::Province),
        share("jinan", 2000, Coverage::Covers),
        share("qingdao", 1000, Coverage::Outside),
    ];
    let parts = split_by_coverage(m(1_000), &f).unwrap();
    assert_eq!(parts, vec![m(800), m(200), m(0)]);
    // Without a provincial fund nobody pays the uncovered share: refused, naming the rule.
    let g = [
        share("jinan", 5000, Coverage::Covers),
        share("qingdao", 5000, Coverage::Outside),
    ];
    assert_eq!(
        split_by_coverage(m(1_000), &g).unwrap_err().code,
        "region_not_covered"
    );
}

proptest! {
    /// Every fen is placed; regional sources outside the enterprise's area pay nothing; covering
    /// ones pay exactly their share; provincial ones at least theirs.
    #[test]
    fn coverage_split_places_every_fen(amount in 0i64..10_000_000_000, shares in proptest::collection::vec((1i64..10_000, 0u8..3), 1..5)) {
        let cov = |k: u8| match k { 0 => Coverage::Province, 1 => Coverage::Covers, _ => Coverage::Outside };
        let f: Vec<ShareAvailable> = shares.iter().enumerate().map(|(i, (b, k))| share(&format!("s{i}"), *b, cov(*k))).collect();
        let plain = crate::money::split_by_weights(m(amount), &shares.iter().map(|s| s.0).collect::<Vec<_>>()).unwrap();
        match split_by_coverage(m(amount), &f) {
            Ok(parts) => {
                prop_assert_eq!(parts.iter().map(|p| p.fen()).sum::<i64>(), amount);
                for ((p, s), q) in parts.iter().zip(&f).zip(&plain) {
                    match s.coverage {
                        Coverage::Outside => prop_assert_eq!(p.fen(), 0),
                        Coverage::Covers => prop_assert_eq!(p, q),
                        Coverage::Province => prop_assert!(p >= q),
                    }
                }
            }
            Err(r) => {
                prop_assert_eq!(r.code, "region_not_covered");
                prop_assert!(f.iter().all(|s| s.coverage != Coverage::Province));
            }
        }
    }
}
