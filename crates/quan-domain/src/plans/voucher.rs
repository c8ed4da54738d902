//! Voucher expiry and the release of unspent value to the funding sources, as plans.

use chrono::NaiveDate;

use crate::ids::VoucherId;
use crate::ledger::{AccountId, Posting};
use crate::lifecycle::{VoucherEvent, VoucherStatus};
use crate::money::{split_by_weights, Money};
use crate::refusal::Refusal;

/// What was posted to a voucher from one budget account (its weight in a release).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Funded {
    pub budget: AccountId,
    pub posted: Money,
}

/// Splits `amount` from `from` to the funding sources in proportion to what each budget
/// posted (largest remainder, so no fen is lost); one posting `<prefix>:<source>` per source
/// with a non-zero part.
pub fn split_to_sources(
    from: &AccountId,
    amount: Money,
    funded: &[Funded],
    prefix: &str,
    code: &'static str,
) -> Result<Vec<Posting>, crate::money::MoneyError> {
    if !amount.is_positive() {
        return Ok(Vec::new());
    }
    let weights: Vec<i64> = funded.iter().map(|f| f.posted.fen()).collect();
    let parts = split_by_weights(amount, &weights)?;
    let mut out = Vec::new();
    for (f, part) in funded.iter().zip(parts) {
        let Some(source) = f.budget.funding_source() else {
            continue;
        };
        if !part.is_positive() {
            continue;
        }
        out.push(Posting::single(
            format!("{prefix}:{source}"),
            from.clone(),
            AccountId::Source(source.clone()),
            part,
            code,
        ));
    }
    Ok(out)
}

/// Sends `available` back to the funding sources, split in proportion to what each budget
/// posted to the voucher. `tag` keeps the posting ids of different releases of one voucher
/// apart (`expiry`, `clawback-<redemption>`).
pub fn plan_release(
    voucher: &VoucherId,
    available: Money,
    funded: &[Funded],
    tag: &str,
) -> Result<Vec<Posting>, Refusal> {
    // Posting ids keep their historical shape `release:<voucher>:<source>:<tag>`.
    let postings = split_to_sources(
        &AccountId::Voucher(voucher.clone()),
        available,
        funded,
        &format!("release:{voucher}"),
        "release",
    )
    .map_err(|e| {
        Refusal::conflict_general(
            "voucher_unfunded",
            format!("voucher {voucher} holds {available} but no funding to return it to: {e}"),
        )
    })?;
    Ok(postings
        .into_iter()
        .map(|mut p| {
            p.id = format!("{}:{tag}", p.id);
            p
        })
        .collect())
}

/// A voucher as expiry reads it (row and account locked).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpiryFacts {
    pub id: VoucherId,
    pub status: VoucherStatus,
    pub valid_until: NaiveDate,
    pub today: NaiveDate,
    pub available: Money,
    pub funded: Vec<Funded>,
}

/// What expiry writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpiryPlan {
    pub next: VoucherStatus,
    pub postings: Vec<Posting>,
}

/// Expires a voucher after its validity window and releases what is left on it.
pub fn plan_expiry(f: &ExpiryFacts) -> Result<ExpiryPlan, Refusal> {
    let next = f
        .status
        .apply(VoucherEvent::Expire)
        .map_err(|e| Refusal::conflict_general("invalid_state", e.to_string()))?;
    if f.today <= f.valid_until {
        return Err(Refusal::conflict_general(
            "voucher_still_valid",
            format!("the voucher is valid until {}", f.valid_until),
        ));
    }
    Ok(ExpiryPlan {
        next,
        postings: plan_release(&f.id, f.available, &f.funded, "expiry")?,
    })
}
