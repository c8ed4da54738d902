//! The scheduler's work as one operation: issue vouchers whose notice is over, expire vouchers
//! past validity. Safe to run in several processes at once: each step runs in its own
//! transaction and re-checks state under a row lock, so a step another process already took
//! answers a conflict and is skipped.
use super::Now;
use crate::error::{Result, StoreError};
use crate::{Actor, Store};

/// How many of each kind one tick handles (the rest wait for the next tick).
pub const TICK_BATCH_MAX: i64 = 500;

/// What one tick did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TickOutcome {
    pub issued: usize,
    pub expired: usize,
    /// Data registrations past their validity (their corpus listings are suspended).
    pub registrations_expired: usize,
}

pub async fn tick(store: &Store, now: &Now) -> Result<TickOutcome> {
    let system = Actor::system();
    let mut out = TickOutcome::default();
    super::dashboard::prune_minutes(store, now).await?;
    // Entries starting or ending today change who shows as listed.
    crate::in_tx!(store, |tx| super::integrity::refresh_flags(
        &mut tx, now.today
    )
    .await)?;
    out.registrations_expired =
        crate::in_tx!(store, |tx| super::data_registry::expire_due(&mut tx, now)
            .await)?;
    for id in super::applications::due_for_issue(store, now, TICK_BATCH_MAX).await? {
        let r: Result<_> = crate::in_tx!(store, |tx| super::applications::issue(
            &mut tx, &system, &id, now
        )
        .await);
        match r {
            Ok(_) => out.issued += 1,
            Err(StoreError::Conflict { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    for id in super::vouchers::due_for_expiry(store, now, TICK_BATCH_MAX).await? {
        let r: Result<_> = crate::in_tx!(store, |tx| super::vouchers::expire(
            &mut tx, &system, &id, now
        )
        .await);
        match r {
            Ok(_) => out.expired += 1,
            Err(StoreError::Conflict { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}
