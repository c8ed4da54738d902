//! Closing a program and topping up a funding source, as plans: the administrator's tools that
//! unstick money (an ended program's unspent budget) and add money (a further appropriation).

use crate::ids::{FundingSourceId, ProgramId};
use crate::ledger::{AccountId, Posting};
use crate::money::Money;
use crate::refusal::Refusal;

/// One source's budget account of the program, as closing reads it (locked).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BudgetLeft {
    pub source: FundingSourceId,
    pub balance: Money,
    /// Reserved for approved grants; closing waits until none is.
    pub reserved: Money,
}

/// What closing a program decides from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CloseFacts {
    pub program: ProgramId,
    pub already_closed: bool,
    /// Vouchers of the program still active (they hold money an enterprise may spend).
    pub active_vouchers: i64,
    /// Applications submitted or approved and not yet issued.
    pub open_applications: i64,
    pub budgets: Vec<BudgetLeft>,
}

/// What closing writes: each budget's unspent balance back to its source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClosePlan {
    pub released: Money,
    pub postings: Vec<Posting>,
}

/// Closes a program once nothing can still draw on its budget: no active voucher, no open
/// application, no reservation. Every budget's balance returns to its funding source.
pub fn plan_close(f: &CloseFacts) -> Result<ClosePlan, Refusal> {
    if f.already_closed {
        return Err(Refusal::conflict_general(
            "already_closed",
            format!("program {} is already closed", f.program),
        ));
    }
    if f.active_vouchers > 0 {
        return Err(Refusal::conflict_general(
            "program_has_active_vouchers",
            format!(
                "{} vouchers of the program are still active; they expire after their validity (or an administrator expires them) before the program can close",
                f.active_vouchers
            ),
        ));
    }
    let reserved: i64 = f.budgets.iter().map(|b| b.reserved.fen()).sum();
    if f.open_applications > 0 || reserved > 0 {
        return Err(Refusal::conflict_general(
            "program_has_open_applications",
            format!(
                "{} applications of the program are still under review or in their notice period",
                f.open_applications.max(1)
            ),
        ));
    }
    let mut postings = Vec::new();
    let mut released = 0i64;
    for b in f.budgets.iter().filter(|b| b.balance.is_positive()) {
        released += b.balance.fen();
        postings.push(Posting::single(
            format!("close:{}:{}", f.program, b.source),
            AccountId::Budget(f.program.clone(), b.source.clone()),
            AccountId::Source(b.source.clone()),
            b.balance,
            "close",
        ));
    }
    Ok(ClosePlan {
        released: Money::from_fen(released),
        postings,
    })
}

/// A further appropriation to a funding source: `external → source`.
pub fn plan_top_up(source: &FundingSourceId, id: &str, amount: Money) -> Posting {
    Posting::single(
        format!("topup:{id}"),
        AccountId::External,
        AccountId::Source(source.clone()),
        amount,
        "top_up",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::{AccountFlags, Ledger, Transfer};
    use proptest::prelude::*;

    fn facts(balances: &[i64]) -> CloseFacts {
        CloseFacts {
            program: "prg_1".into(),
            already_closed: false,
            active_vouchers: 0,
            open_applications: 0,
            budgets: balances
                .iter()
                .enumerate()
                .map(|(i, b)| BudgetLeft {
                    source: format!("src_{i}").into(),
                    balance: Money::from_fen(*b),
                    reserved: Money::ZERO,
                })
                .collect(),
        }
    }

    #[test]
    fn refuses_while_anything_can_draw() {
        let f = facts(&[100]);
        for (g, code) in [
            (
                CloseFacts {
                    already_closed: true,
                    ..f.clone()
                },
                "already_closed",
            ),
            (
                CloseFacts {
                    active_vouchers: 2,
                    ..f.clone()
                },
                "program_has_active_vouchers",
            ),
            (
                CloseFacts {
                    open_applications: 1,
                    ..f.clone()
                },
                "program_has_open_applications",
            ),
        ] {
            assert_eq!(plan_close(&g).unwrap_err().code, code);
        }
        let mut reserved = f.clone();
        reserved.budgets[0].reserved = Money::from_fen(5);
        assert_eq!(
            plan_close(&reserved).unwrap_err().code,
            "program_has_open_applications"
        );
    }

    proptest! {
        /// Against the reference ledger: every budget ends at zero and each source gets exactly
        /// its budget's balance back.
        #[test]
        fn close_empties_every_budget(balances in proptest::collection::vec(0i64..10_000_000_000, 1..4)) {
            let f = facts(&balances);
            let mut l = Ledger::new();
            l.create_account("external", AccountFlags { may_go_negative: true }).unwrap();
            for (i, b) in balances.iter().enumerate() {
                let (budget, source) = (format!("budget:prg_1:src_{i}"), format!("source:src_{i}"));
                l.create_account(&budget, AccountFlags::default()).unwrap();
                l.create_account(&source, AccountFlags::default()).unwrap();
                if *b > 0 {
                    l.apply(Transfer::single(format!("fund{i}"), "external", &budget, *b)).unwrap();
                }
            }
            let plan = plan_close(&f).unwrap();
            prop_assert_eq!(plan.released.fen(), balances.iter().sum::<i64>());
            for p in &plan.postings {
                l.apply(p.to_model()).unwrap();
            }
            for (i, b) in balances.iter().enumerate() {
                prop_assert_eq!(l.account(&format!("budget:prg_1:src_{i}")).unwrap().balance, 0);
                prop_assert_eq!(l.account(&format!("source:src_{i}")).unwrap().balance, *b);
            }
            prop_assert!(l.check_conservation().is_ok());
        }
    }
}
