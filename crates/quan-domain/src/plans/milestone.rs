//! Milestone payments with an acceptance check (Shandong's corpus voucher rules, September
//! 2025): a program with a first milestone pays at most that much when the voucher is issued;
//! the rest of the grant stays reserved (pending `budget → voucher`, id `hold:<app>:<source>`)
//! until the acceptance check. "Excellent" posts it to the voucher; "pass" voids it (nothing
//! more); "fail" voids it and claws back everything paid: each live redemption is clawed back
//! (to the sources in the voucher's shares; a supplier already settled owes it), and what is left
//! on the voucher is released to the sources, and the voucher is cancelled.

use serde::{Deserialize, Serialize};

use crate::ids::{ApplicationId, FundingSourceId, ProgramId, RedemptionId, VoucherId};
use crate::ledger::{AccountId, Posting};
use crate::lifecycle::{VoucherEvent, VoucherStatus};
use crate::money::Money;
use crate::refusal::Refusal;

/// The id of the reservation that holds the second milestone on one source's budget.
pub fn held_reservation_id(app: &ApplicationId, source: &FundingSourceId) -> String {
    format!("hold:{app}:{source}")
}

/// Splits a grant into what is paid at issue and what the acceptance check decides: the first
/// milestone is `min(amount, first)`, the rest is held. No first milestone: nothing is held.
pub fn split_milestones(amount: Money, first: Option<Money>) -> (Money, Money) {
    match first {
        Some(cap) if cap < amount => (cap, Money::from_fen(amount.fen() - cap.fen())),
        _ => (amount, Money::ZERO),
    }
}

/// Voids the held reservations (an upheld objection, a "pass" or a "fail").
pub fn void_held(
    app: &ApplicationId,
    program: &ProgramId,
    voucher: &VoucherId,
    held_from: &[FundingSourceId],
) -> Vec<Posting> {
    held_from
        .iter()
        .map(|s| {
            Posting::void(
                format!("void-hold:{app}:{s}"),
                held_reservation_id(app, s),
                AccountId::Budget(program.clone(), s.clone()),
                AccountId::Voucher(voucher.clone()),
                "void",
            )
        })
        .collect()
}

/// The acceptance check's rating.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AcceptanceRating {
    Excellent,
    Pass,
    Fail,
}

impl AcceptanceRating {
    pub fn as_str(self) -> &'static str {
        match self {
            AcceptanceRating::Excellent => "excellent",
            AcceptanceRating::Pass => "pass",
            AcceptanceRating::Fail => "fail",
        }
    }
}

/// What an acceptance check decides from (voucher row and account locked).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AcceptanceFacts {
    pub application: ApplicationId,
    pub program: ProgramId,
    pub voucher: VoucherId,
    pub voucher_status: VoucherStatus,
    /// Whether the program pays in milestones at all.
    pub has_milestones: bool,
    /// Sources of the held reservations and their amounts.
    pub held: Vec<(FundingSourceId, Money)>,
    /// The rating already recorded, if any: one check per voucher.
    pub already: Option<AcceptanceRating>,
    /// Redemptions paid from the voucher and not clawed back.
    pub live_redemptions: Vec<RedemptionId>,
}

/// What the store writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AcceptancePlan {
    /// Post (excellent) or void (pass, fail) the held reservations.
    pub postings: Vec<Posting>,
    /// Added to the voucher's face value (excellent).
    pub face_value_increase: Money,
    /// Fail: claw these back, then release the voucher's balance and cancel it.
    pub claw_back: Vec<RedemptionId>,
    pub next_status: VoucherStatus,
}

/// Records an acceptance check's effect on the money.
pub fn plan_acceptance(
    f: &AcceptanceFacts,
    rating: AcceptanceRating,
) -> Result<AcceptancePlan, Refusal> {
    if !f.has_milestones {
        return Err(Refusal::conflict_general(
            "no_milestone",
            "the program pays no milestones: there is nothing for an acceptance check to decide",
        ));
    }
    if let Some(r) = f.already {
        return Err(Refusal::conflict_general(
            "already_checked",
            format!("the acceptance check is already recorded as {}", r.as_str()),
        ));
    }
    if f.voucher_status != VoucherStatus::Active {
        return Err(Refusal::conflict_general(
            "milestone_unpaid",
            format!(
                "the first milestone is not in force: the voucher is {}",
                f.voucher_status
            ),
        ));
    }
    let held_from: Vec<FundingSourceId> = f.held.iter().map(|(s, _)| s.clone()).collect();
    let void = || void_held(&f.application, &f.program, &f.voucher, &held_from);
    Ok(match rating {
        AcceptanceRating::Excellent => AcceptancePlan {
            postings: f
                .held
                .iter()
                .map(|(s, _)| {
                    Posting::post_all(
                        format!("accept:{}:{s}", f.application),
                        held_reservation_id(&f.application, s),
                        AccountId::Budget(f.program.clone(), s.clone()),
                        AccountId::Voucher(f.voucher.clone()),
                        "accept",
                    )
                })
                .collect(),
            face_value_increase: Money::from_fen(f.held.iter().map(|(_, m)| m.fen()).sum()),
            claw_back: Vec::new(),
            next_status: VoucherStatus::Active,
        },
        AcceptanceRating::Pass => AcceptancePlan {
            postings: void(),
            face_value_increase: Money::ZERO,
            claw_back: Vec::new(),
            next_status: VoucherStatus::Active,
        },
        AcceptanceRating::Fail => AcceptancePlan {
            postings: void(),
            face_value_increase: Money::ZERO,
            claw_back: f.live_redemptions.clone(),
            next_status: f
                .voucher_status
                .apply(VoucherEvent::FailAcceptance)
                .map_err(|e| Refusal::conflict_general("invalid_state", e.to_string()))?,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn facts() -> AcceptanceFacts {
        AcceptanceFacts {
            application: "app_1".into(),
            program: "prg_1".into(),
            voucher: "vch_1".into(),
            voucher_status: VoucherStatus::Active,
            has_milestones: true,
            held: vec![
                ("src_a".into(), Money::from_fen(6_750_000)),
                ("src_b".into(), Money::from_fen(750_000)),
            ],
            already: None,
            live_redemptions: vec!["red_1".into()],
        }
    }

    #[test]
    fn each_rating_decides_the_held_milestone() {
        let f = facts();
        let ex = plan_acceptance(&f, AcceptanceRating::Excellent).unwrap();
        assert_eq!(ex.face_value_increase, Money::from_fen(7_500_000));
        assert_eq!(ex.postings.len(), 2);
        assert!(ex.claw_back.is_empty());
        let pass = plan_acceptance(&f, AcceptanceRating::Pass).unwrap();
        assert_eq!(pass.face_value_increase, Money::ZERO);
        assert_eq!(pass.next_status, VoucherStatus::Active);
        let fail = plan_acceptance(&f, AcceptanceRating::Fail).unwrap();
        assert_eq!(fail.claw_back, vec![RedemptionId::from("red_1")]);
        assert_eq!(fail.next_status, VoucherStatus::Cancelled);
        let once = AcceptanceFacts {
            already: Some(AcceptanceRating::Pass),
            ..f.clone()
        };
        assert_eq!(
            plan_acceptance(&once, AcceptanceRating::Excellent)
                .unwrap_err()
                .code,
            "already_checked"
        );
        let unpaid = AcceptanceFacts {
            voucher_status: VoucherStatus::Expired,
            ..f.clone()
        };
        assert_eq!(
            plan_acceptance(&unpaid, AcceptanceRating::Pass)
                .unwrap_err()
                .code,
            "milestone_unpaid"
        );
        let none = AcceptanceFacts {
            has_milestones: false,
            ..f
        };
        assert_eq!(
            plan_acceptance(&none, AcceptanceRating::Pass)
                .unwrap_err()
                .code,
            "no_milestone"
        );
    }

    proptest! {
        /// The two milestones add up to the grant; the first never passes its cap.
        #[test]
        fn milestones_add_up(amount in 1i64..10_000_000_000, cap in proptest::option::of(1i64..10_000_000_000)) {
            let (a, b) = split_milestones(Money::from_fen(amount), cap.map(Money::from_fen));
            prop_assert_eq!(a.fen() + b.fen(), amount);
            prop_assert!(a.fen() > 0 && b.fen() >= 0);
            if let Some(c) = cap { prop_assert!(a.fen() <= c); } else { prop_assert_eq!(b.fen(), 0); }
        }
    }
}
