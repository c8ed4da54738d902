//! Ledger data types and errors.

use serde::{Deserialize, Serialize};

/// Account behaviour flags.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AccountFlags {
    /// The account may be overdrawn (e.g. an external "appropriation" account that money comes from).
    pub may_go_negative: bool,
}

/// An account; all amounts in fen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub id: String,
    /// Posted balance: credits minus debits.
    pub balance: i64,
    /// Reserved by open pending transfers that debit this account.
    pub debits_pending: i64,
    /// Reserved by open pending transfers that credit this account.
    pub credits_pending: i64,
    pub flags: AccountFlags,
}

impl Account {
    /// `balance - debits_pending`: what may still be debited.
    pub fn available(&self) -> i64 {
        self.balance - self.debits_pending
    }
}

/// What a transfer does (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransferKind {
    Single,
    Pending,
    PostPending,
    VoidPending,
}

/// One transfer request.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Transfer {
    pub id: String,
    pub debit: String,
    pub credit: String,
    pub amount: i64,
    pub kind: TransferKind,
    pub pending_id: Option<String>,
}

impl Transfer {
    /// A `Single` transfer.
    pub fn single(
        id: impl Into<String>,
        debit: impl Into<String>,
        credit: impl Into<String>,
        amount: i64,
    ) -> Transfer {
        Transfer {
            id: id.into(),
            debit: debit.into(),
            credit: credit.into(),
            amount,
            kind: TransferKind::Single,
            pending_id: None,
        }
    }

    /// A `Pending` transfer (a reservation).
    pub fn pending(
        id: impl Into<String>,
        debit: impl Into<String>,
        credit: impl Into<String>,
        amount: i64,
    ) -> Transfer {
        Transfer {
            kind: TransferKind::Pending,
            ..Transfer::single(id, debit, credit, amount)
        }
    }

    /// Posts `amount` (0 = all) of pending transfer `pending_id`, inheriting its accounts.
    pub fn post(id: impl Into<String>, pending_id: impl Into<String>, amount: i64) -> Transfer {
        Transfer {
            id: id.into(),
            debit: String::new(),
            credit: String::new(),
            amount,
            kind: TransferKind::PostPending,
            pending_id: Some(pending_id.into()),
        }
    }

    /// Voids pending transfer `pending_id`, inheriting its accounts.
    pub fn void(id: impl Into<String>, pending_id: impl Into<String>) -> Transfer {
        Transfer {
            kind: TransferKind::VoidPending,
            ..Transfer::post(id, pending_id, 0)
        }
    }
}

/// Result of applying a transfer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransferOutcome {
    Applied,
    AlreadyApplied,
}

/// Why a transfer or account creation was refused. Nothing changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LedgerError {
    #[error("account {id} already exists with other flags")]
    AccountExists { id: String },
    #[error("account {id} does not exist")]
    AccountNotFound { id: String },
    #[error("id must not be empty")]
    EmptyId,
    #[error("transfer {id}: debit and credit are the same account")]
    SameAccount { id: String },
    #[error("transfer {id}: amount {amount} is not valid for this kind of transfer")]
    InvalidAmount { id: String, amount: i64 },
    #[error("account {account} has {available} available, cannot debit {amount}")]
    InsufficientFunds {
        account: String,
        available: i64,
        amount: i64,
    },
    #[error("transfer id {id} was already used for a different transfer")]
    IdReused { id: String },
    #[error("transfer {id}: pending_id is required for post/void and forbidden otherwise")]
    PendingIdMisuse { id: String },
    #[error("pending transfer {pending_id} does not exist")]
    PendingNotFound { pending_id: String },
    #[error("pending transfer {pending_id} was already posted or voided")]
    PendingAlreadyResolved { pending_id: String },
    #[error("transfer {id}: accounts do not match pending transfer {pending_id}")]
    PendingMismatch { id: String, pending_id: String },
    #[error("balance overflow")]
    Overflow,
}
