//! A posting: one money movement that a plan asks the ledger to make, with typed accounts and
//! [`Money`]. The SQL ledger (`quan_store::ledger::post`) applies postings and nothing else;
//! [`Posting::to_model`] turns one into the reference model's [`Transfer`] so plans are tested
//! against [`Ledger`](super::Ledger) without a database.

use super::account::AccountId;
use super::types::{Transfer, TransferKind};
use crate::money::Money;

/// What a posting does to its accounts (the reference model's [`TransferKind`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PostingKind {
    /// Moves the amount now.
    Single,
    /// Reserves the amount (two-phase: later posted or voided).
    Pending,
    /// Posts a reservation (amount 0 = all of it).
    Post,
    /// Releases a reservation.
    Void,
}

impl PostingKind {
    /// The `kind` column of a stored transfer.
    pub fn as_str(self) -> &'static str {
        match self {
            PostingKind::Single => "single",
            PostingKind::Pending => "pending",
            PostingKind::Post => "post",
            PostingKind::Void => "void",
        }
    }
}

/// One planned movement. The id is chosen by the plan from the operation's own ids
/// (`redeem:<redemption>`, `reserve:<application>:<source>`), so applying it twice is a no-op.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Posting {
    pub id: String,
    pub kind: PostingKind,
    pub debit: AccountId,
    pub credit: AccountId,
    pub amount: Money,
    /// The reservation a post or void resolves.
    pub pending_id: Option<String>,
    /// What the movement is, in the domain's words (allocate, reserve, issue, redeem, …).
    pub code: &'static str,
}

impl Posting {
    /// Moves `amount` from `debit` to `credit` now.
    pub fn single(
        id: impl Into<String>,
        debit: AccountId,
        credit: AccountId,
        amount: Money,
        code: &'static str,
    ) -> Posting {
        Posting {
            id: id.into(),
            kind: PostingKind::Single,
            debit,
            credit,
            amount,
            pending_id: None,
            code,
        }
    }

    /// Reserves `amount` on `debit` for `credit`.
    pub fn pending(
        id: impl Into<String>,
        debit: AccountId,
        credit: AccountId,
        amount: Money,
        code: &'static str,
    ) -> Posting {
        Posting {
            kind: PostingKind::Pending,
            ..Posting::single(id, debit, credit, amount, code)
        }
    }

    /// Posts all of reservation `pending_id` (whose accounts are `debit` → `credit`).
    pub fn post_all(
        id: impl Into<String>,
        pending_id: impl Into<String>,
        debit: AccountId,
        credit: AccountId,
        code: &'static str,
    ) -> Posting {
        Posting {
            kind: PostingKind::Post,
            pending_id: Some(pending_id.into()),
            ..Posting::single(id, debit, credit, Money::ZERO, code)
        }
    }

    /// Voids reservation `pending_id` (whose accounts are `debit` → `credit`).
    pub fn void(
        id: impl Into<String>,
        pending_id: impl Into<String>,
        debit: AccountId,
        credit: AccountId,
        code: &'static str,
    ) -> Posting {
        Posting {
            kind: PostingKind::Void,
            ..Posting::post_all(id, pending_id, debit, credit, code)
        }
    }

    /// The same movement as a transfer of the reference model.
    pub fn to_model(&self) -> Transfer {
        Transfer {
            id: self.id.clone(),
            debit: self.debit.to_string(),
            credit: self.credit.to_string(),
            amount: self.amount.fen(),
            kind: match self.kind {
                PostingKind::Single => TransferKind::Single,
                PostingKind::Pending => TransferKind::Pending,
                PostingKind::Post => TransferKind::PostPending,
                PostingKind::Void => TransferKind::VoidPending,
            },
            pending_id: self.pending_id.clone(),
        }
    }
}
