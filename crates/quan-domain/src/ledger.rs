//! In-memory double-entry ledger: the reference **model** of the SQL ledger.
//!
//! Semantics follow TigerBeetle. Every transfer moves `amount` fen from its `debit` account to
//! its `credit` account:
//! - `Single`: `debit.balance -= amount`, `credit.balance += amount`.
//! - `Pending`: reserves: `debit.debits_pending += amount`, `credit.credits_pending += amount`.
//! - `PostPending` (with `pending_id`): releases the reservation and moves `amount` (0 = the full
//!   pending amount; less = partial post, the rest is released). `debit`/`credit` may be left
//!   empty to inherit them from the pending transfer; otherwise they must match it.
//! - `VoidPending` (with `pending_id`): releases the reservation (`amount` 0 or the full amount).
//!
//! A pending transfer is posted or voided at most once. Unless the debit account's flags say
//! `may_go_negative`, its *available* balance (`balance - debits_pending`) never drops below 0.
//! Transfer ids are idempotency keys: re-applying an identical transfer is
//! [`TransferOutcome::AlreadyApplied`] and changes nothing; the same id with other fields is
//! [`LedgerError::IdReused`]. A failed transfer changes nothing and is not recorded.

use std::collections::BTreeMap;

mod account;
mod posting;
mod types;
pub use account::*;
pub use posting::*;
pub use types::*;

/// The ledger: accounts, applied transfers, and the state of pending transfers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ledger {
    accounts: BTreeMap<String, Account>,
    transfers: BTreeMap<String, Transfer>,
    order: Vec<String>,
    /// pending transfer id -> id of the post/void that resolved it (None = still open).
    pending: BTreeMap<String, Option<String>>,
}

/// What a successful apply changed, so a batch can be rolled back.
struct Undo {
    accounts: Vec<Account>,
    transfer_id: String,
    resolved_pending: Option<String>,
    opened_pending: bool,
}

fn add(a: i64, b: i64) -> Result<i64, LedgerError> {
    a.checked_add(b).ok_or(LedgerError::Overflow)
}

fn sub(a: i64, b: i64) -> Result<i64, LedgerError> {
    a.checked_sub(b).ok_or(LedgerError::Overflow)
}

impl Ledger {
    /// An empty ledger.
    pub fn new() -> Ledger {
        Ledger::default()
    }

    /// Creates an account with zero balances; idempotent if it exists with the same flags.
    pub fn create_account(&mut self, id: &str, flags: AccountFlags) -> Result<(), LedgerError> {
        if id.is_empty() {
            return Err(LedgerError::EmptyId);
        }
        match self.accounts.get(id) {
            Some(a) if a.flags == flags => Ok(()),
            Some(_) => Err(LedgerError::AccountExists { id: id.to_string() }),
            None => {
                let acc = Account {
                    id: id.to_string(),
                    balance: 0,
                    debits_pending: 0,
                    credits_pending: 0,
                    flags,
                };
                self.accounts.insert(id.to_string(), acc);
                Ok(())
            }
        }
    }

    /// The account, if it exists.
    pub fn account(&self, id: &str) -> Option<&Account> {
        self.accounts.get(id)
    }

    /// All accounts, ordered by id.
    pub fn accounts(&self) -> impl Iterator<Item = &Account> {
        self.accounts.values()
    }

    /// An applied transfer, if any.
    pub fn transfer(&self, id: &str) -> Option<&Transfer> {
        self.transfers.get(id)
    }

    /// Applied transfers in the order they were applied.
    pub fn transfers(&self) -> impl Iterator<Item = &Transfer> {
        self.order.iter().map(|id| &self.transfers[id])
    }

    /// Whether `pending_id` is a pending transfer that is neither posted nor voided.
    pub fn is_pending_open(&self, pending_id: &str) -> bool {
        matches!(self.pending.get(pending_id), Some(None))
    }

    /// Applies one transfer atomically (see the module docs).
    pub fn apply(&mut self, t: Transfer) -> Result<TransferOutcome, LedgerError> {
        self.apply_inner(t).map(|(o, _)| o)
    }

    /// Applies transfers in order, all or nothing: if one fails, every earlier one in the batch
    /// is undone and that error is returned.
    pub fn apply_batch(&mut self, ts: Vec<Transfer>) -> Result<Vec<TransferOutcome>, LedgerError> {
        let mut undos = Vec::new();
        let mut outcomes = Vec::with_capacity(ts.len());
        for t in ts {
            match self.apply_inner(t) {
                Ok((o, u)) => {
                    outcomes.push(o);
                    undos.extend(u);
                }
                Err(e) => {
                    for u in undos.into_iter().rev() {
                        self.undo(u);
                    }
                    return Err(e);
                }
            }
        }
        Ok(outcomes)
    }

    fn undo(&mut self, u: Undo) {
        for a in u.accounts.into_iter().rev() {
            self.accounts.insert(a.id.clone(), a);
        }
        self.transfers.remove(&u.transfer_id);
        self.order.pop();
        if let Some(p) = u.resolved_pending {
            self.pending.insert(p, None);
        }
        if u.opened_pending {
            self.pending.remove(&u.transfer_id);
        }
    }

    fn get(&self, id: &str) -> Result<&Account, LedgerError> {
        self.accounts
            .get(id)
            .ok_or_else(|| LedgerError::AccountNotFound { id: id.to_string() })
    }

    fn apply_inner(&mut self, t: Transfer) -> Result<(TransferOutcome, Option<Undo>), LedgerError> {
        if t.id.is_empty() {
            return Err(LedgerError::EmptyId);
        }
        if let Some(prev) = self.transfers.get(&t.id) {
            return if *prev == t {
                Ok((TransferOutcome::AlreadyApplied, None))
            } else {
                Err(LedgerError::IdReused { id: t.id })
            };
        }
        let resolves = matches!(
            t.kind,
            TransferKind::PostPending | TransferKind::VoidPending
        );
        if resolves != t.pending_id.is_some() {
            return Err(LedgerError::PendingIdMisuse { id: t.id });
        }
        // Work out the accounts and the new state of debit and credit without mutating.
        let (debit_id, credit_id, mut d, mut c);
        match &t.pending_id {
            None => {
                if t.amount <= 0 {
                    return Err(LedgerError::InvalidAmount {
                        id: t.id,
                        amount: t.amount,
                    });
                }
                if t.debit == t.credit {
                    return Err(LedgerError::SameAccount { id: t.id });
                }
                (debit_id, credit_id) = (t.debit.clone(), t.credit.clone());
                d = self.get(&debit_id)?.clone();
                c = self.get(&credit_id)?.clone();
                if t.kind == TransferKind::Single {
                    d.balance = sub(d.balance, t.amount)?;
                    c.balance = add(c.balance, t.amount)?;
                } else {
                    d.debits_pending = add(d.debits_pending, t.amount)?;
                    c.credits_pending = add(c.credits_pending, t.amount)?;
                }
                if !d.flags.may_go_negative && d.available() < 0 {
                    let before = self.get(&debit_id)?.available();
                    return Err(LedgerError::InsufficientFunds {
                        account: debit_id,
                        available: before,
                        amount: t.amount,
                    });
                }
            }
            Some(pid) => {
                let p = match (self.pending.get(pid), self.transfers.get(pid)) {
                    (Some(None), Some(p)) => p,
                    (Some(Some(_)), _) => {
                        return Err(LedgerError::PendingAlreadyResolved {
                            pending_id: pid.clone(),
                        })
                    }
                    _ => {
                        return Err(LedgerError::PendingNotFound {
                            pending_id: pid.clone(),
                        })
                    }
                };
                if (!t.debit.is_empty() && t.debit != p.debit)
                    || (!t.credit.is_empty() && t.credit != p.credit)
                {
                    return Err(LedgerError::PendingMismatch {
                        id: t.id,
                        pending_id: pid.clone(),
                    });
                }
                let post = match t.kind {
                    TransferKind::PostPending if t.amount == 0 => p.amount,
                    TransferKind::PostPending if (1..=p.amount).contains(&t.amount) => t.amount,
                    TransferKind::VoidPending if t.amount == 0 || t.amount == p.amount => 0,
                    _ => {
                        return Err(LedgerError::InvalidAmount {
                            id: t.id,
                            amount: t.amount,
                        })
                    }
                };
                (debit_id, credit_id) = (p.debit.clone(), p.credit.clone());
                d = self.get(&debit_id)?.clone();
                c = self.get(&credit_id)?.clone();
                d.debits_pending = sub(d.debits_pending, p.amount)?;
                c.credits_pending = sub(c.credits_pending, p.amount)?;
                d.balance = sub(d.balance, post)?;
                c.balance = add(c.balance, post)?;
                // available grows by (pending - post) >= 0, so no bound check is needed.
            }
        }
        let undo = Undo {
            accounts: vec![
                self.accounts[&debit_id].clone(),
                self.accounts[&credit_id].clone(),
            ],
            transfer_id: t.id.clone(),
            resolved_pending: t.pending_id.clone(),
            opened_pending: t.kind == TransferKind::Pending,
        };
        self.accounts.insert(debit_id, d);
        self.accounts.insert(credit_id, c);
        if let Some(pid) = &t.pending_id {
            self.pending.insert(pid.clone(), Some(t.id.clone()));
        }
        if t.kind == TransferKind::Pending {
            self.pending.insert(t.id.clone(), None);
        }
        self.order.push(t.id.clone());
        self.transfers.insert(t.id.clone(), t);
        Ok((TransferOutcome::Applied, Some(undo)))
    }

    /// Checks the global invariants: balances sum to zero, pending debits equal pending
    /// credits (and equal the open pending transfers), no bounded account is overdrawn.
    pub fn check_conservation(&self) -> Result<(), String> {
        let sum: i128 = self.accounts.values().map(|a| a.balance as i128).sum();
        if sum != 0 {
            return Err(format!("balances sum to {sum}, not 0"));
        }
        let dp: i128 = self
            .accounts
            .values()
            .map(|a| a.debits_pending as i128)
            .sum();
        let cp: i128 = self
            .accounts
            .values()
            .map(|a| a.credits_pending as i128)
            .sum();
        if dp != cp {
            return Err(format!("debits pending {dp} != credits pending {cp}"));
        }
        let open: i128 = self
            .pending
            .iter()
            .filter(|(_, r)| r.is_none())
            .map(|(id, _)| self.transfers[id].amount as i128)
            .sum();
        if open != dp {
            return Err(format!(
                "open pending transfers total {open}, accounts say {dp}"
            ));
        }
        for a in self.accounts.values() {
            if a.debits_pending < 0 || a.credits_pending < 0 {
                return Err(format!("account {} has negative pending amounts", a.id));
            }
            if !a.flags.may_go_negative && a.available() < 0 {
                return Err(format!(
                    "account {} is overdrawn: available {}",
                    a.id,
                    a.available()
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
#[path = "ledger_tests.rs"]
mod tests;
