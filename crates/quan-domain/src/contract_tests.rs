use super::*;
use proptest::prelude::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn facts() -> ContractFacts {
    ContractFacts {
        id: "ctr_1".into(),
        enterprise_id: "ent_1".into(),
        supplier_id: "sup_1".into(),
        kind: ProductKind::Compute,
        signed_on: d("2026-03-01"),
        amount: Money::from_fen(1_000_000),
        claims_here: 0,
        claimed_here: Money::ZERO,
        claimed_elsewhere: None,
    }
}

fn claim<'a>(
    id: Option<&'a ContractId>,
    k: Option<&'a ContractFacts>,
    amount: i64,
) -> ContractClaim<'a> {
    ContractClaim {
        contract_id: id,
        contract: k,
        enterprise: &ENT,
        supplier: &SUP,
        kind: ProductKind::Compute,
        invoice_amount: Money::from_fen(amount),
        invoice_date: d("2026-04-01"),
        delivery_proof: Some("验收单 2026-041"),
    }
}

static ENT: std::sync::LazyLock<EnterpriseId> = std::sync::LazyLock::new(|| "ent_1".into());
static SUP: std::sync::LazyLock<SupplierId> = std::sync::LazyLock::new(|| "sup_1".into());

fn code(r: Result<(), Refusal>) -> &'static str {
    r.err().map(|e| e.code).unwrap_or("ok")
}

#[test]
fn each_rule_names_itself() {
    let rule = ContractRule {
        required: true,
        signed_from: Some(d("2026-01-01")),
        signed_until: Some(d("2026-12-31")),
        instalments: false,
        delivery_proof: true,
    };
    let k = facts();
    let id: ContractId = "ctr_1".into();
    assert_eq!(
        code(check_contract(&rule, &claim(Some(&id), Some(&k), 500_000))),
        "ok"
    );
    assert_eq!(
        code(check_contract(&rule, &claim(None, None, 1))),
        "contract_required"
    );
    let other: ContractId = "ctr_2".into();
    assert_eq!(
        code(check_contract(&rule, &claim(Some(&other), Some(&k), 1))),
        "not_found"
    );
    let mut c = claim(Some(&id), Some(&k), 1);
    c.delivery_proof = Some("  ");
    assert_eq!(code(check_contract(&rule, &c)), "required");
    let sup2: SupplierId = "sup_2".into();
    let mut c = claim(Some(&id), Some(&k), 1);
    c.supplier = &sup2;
    assert_eq!(code(check_contract(&rule, &c)), "contract_parties");
    let mut c = claim(Some(&id), Some(&k), 1);
    c.kind = ProductKind::Model;
    assert_eq!(code(check_contract(&rule, &c)), "contract_kind");
    let early = ContractFacts {
        signed_on: d("2025-12-31"),
        ..facts()
    };
    assert_eq!(
        code(check_contract(&rule, &claim(Some(&id), Some(&early), 1))),
        "contract_date"
    );
    let late = ContractFacts {
        signed_on: d("2027-01-01"),
        ..facts()
    };
    let mut c = claim(Some(&id), Some(&late), 1);
    c.invoice_date = d("2027-02-01");
    assert_eq!(code(check_contract(&rule, &c)), "contract_date");
    let mut c = claim(Some(&id), Some(&k), 1);
    c.invoice_date = d("2026-02-01");
    assert_eq!(code(check_contract(&rule, &c)), "invoice_before_contract");
    let twice = ContractFacts {
        claimed_elsewhere: Some("prg_9".into()),
        ..facts()
    };
    assert_eq!(
        code(check_contract(&rule, &claim(Some(&id), Some(&twice), 1))),
        "double_subsidy"
    );
    let claimed = ContractFacts {
        claims_here: 1,
        claimed_here: Money::from_fen(10),
        ..facts()
    };
    assert_eq!(
        code(check_contract(&rule, &claim(Some(&id), Some(&claimed), 1))),
        "contract_claimed"
    );
    assert_eq!(
        code(check_contract(
            &rule,
            &claim(Some(&id), Some(&k), 1_000_001)
        )),
        "over_contract"
    );
    // Without the rule, a claim needs no contract and no proof.
    assert_eq!(
        code(check_contract(
            &ContractRule::default(),
            &ContractClaim {
                delivery_proof: None,
                ..claim(None, None, 1)
            }
        )),
        "ok"
    );
}

#[test]
fn registration_names_the_field() {
    let ok = ContractInput {
        contract_number: "JN-2026/017".into(),
        enterprise_id: None,
        supplier_id: Some("sup_1".into()),
        kind: "compute".into(),
        subject: "算力租用 100 卡·月".into(),
        signed_on: "2026-03-01".into(),
        amount_fen: 100,
    };
    assert!(ContractRequest::parse(&ok).is_ok());
    for (bad, field) in [
        (
            ContractInput {
                contract_number: "a b".into(),
                ..ok.clone()
            },
            "contract_number",
        ),
        (
            ContractInput {
                kind: "gpu".into(),
                ..ok.clone()
            },
            "kind",
        ),
        (
            ContractInput {
                subject: " ".into(),
                ..ok.clone()
            },
            "subject",
        ),
        (
            ContractInput {
                signed_on: "2026-13-01".into(),
                ..ok.clone()
            },
            "signed_on",
        ),
        (
            ContractInput {
                amount_fen: 0,
                ..ok.clone()
            },
            "amount_fen",
        ),
    ] {
        assert_eq!(ContractRequest::parse(&bad).unwrap_err().field, field);
    }
}

proptest! {
    /// With instalments, claims are accepted exactly while their sum stays within the amount.
    #[test]
    fn instalments_never_pass_the_contract_amount(amount in 1i64..10_000_000, parts in proptest::collection::vec(1i64..3_000_000, 1..12)) {
        let rule = ContractRule { instalments: true, ..Default::default() };
        let id: ContractId = "ctr_1".into();
        let mut k = ContractFacts { amount: Money::from_fen(amount), ..facts() };
        for p in parts {
            let ok = check_contract(&rule, &claim(Some(&id), Some(&k), p)).is_ok();
            prop_assert_eq!(ok, k.claimed_here.fen() + p <= amount);
            if ok {
                k.claims_here += 1;
                k.claimed_here = Money::from_fen(k.claimed_here.fen() + p);
            }
        }
        prop_assert!(k.claimed_here.fen() <= amount);
    }

    /// Without instalments, at most one claim per contract per program is accepted.
    #[test]
    fn one_claim_per_contract(parts in proptest::collection::vec(1i64..1_000_000, 1..6)) {
        let rule = ContractRule::default();
        let id: ContractId = "ctr_1".into();
        let mut k = facts();
        let mut accepted = 0;
        for p in parts {
            if check_contract(&rule, &claim(Some(&id), Some(&k), p)).is_ok() {
                accepted += 1;
                k.claims_here += 1;
                k.claimed_here = Money::from_fen(k.claimed_here.fen() + p);
            }
        }
        prop_assert_eq!(accepted, 1);
    }
}
