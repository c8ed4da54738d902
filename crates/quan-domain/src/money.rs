//! Money (integer fen) and rates (basis points).
//!
//! # Rounding rule
//!
//! **All subsidy arithmetic rounds down to the fen**: `rate × amount` is computed exactly in
//! `i128` and then floored, so the public purse never pays a fraction of a fen more than the rule
//! says. When one amount is **split across funding sources** (or across any weights), the split
//! uses the *largest remainder* method: every part is first floored, then the few fen left over
//! go one each to the parts with the largest remainders (ties to the lower index). The parts sum
//! to exactly the total, so no fen is ever lost or created.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::ValidationError;

/// Errors of money arithmetic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// The result does not fit in an `i64` number of fen.
    #[error("money arithmetic overflow")]
    Overflow,
    /// A split was asked for with no weights, or with weights that are all zero.
    #[error("cannot split by an empty or all-zero list of weights")]
    NoWeights,
    /// A split was asked for with a negative total or a negative weight.
    #[error("cannot split a negative amount or by a negative weight")]
    Negative,
}

/// An amount of money as an integer number of fen (¥1.00 = 100 fen).
#[derive(
    Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Money(i64);

impl Money {
    /// Zero fen.
    pub const ZERO: Money = Money(0);
    /// The largest amount any single input may carry: 10^15 fen (10 trillion yuan).
    pub const MAX_AMOUNT: Money = Money(1_000_000_000_000_000);

    /// Wraps a number of fen.
    pub const fn from_fen(fen: i64) -> Money {
        Money(fen)
    }

    /// The number of fen.
    pub const fn fen(self) -> i64 {
        self.0
    }

    /// `self + other`, or [`MoneyError::Overflow`].
    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        self.0
            .checked_add(other.0)
            .map(Money)
            .ok_or(MoneyError::Overflow)
    }

    /// `self - other`, or [`MoneyError::Overflow`].
    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        self.0
            .checked_sub(other.0)
            .map(Money)
            .ok_or(MoneyError::Overflow)
    }

    /// `self × k`, or [`MoneyError::Overflow`].
    pub fn checked_mul_i64(self, k: i64) -> Result<Money, MoneyError> {
        self.0.checked_mul(k).map(Money).ok_or(MoneyError::Overflow)
    }

    /// The smaller of two amounts.
    pub fn min(self, other: Money) -> Money {
        if other.0 < self.0 {
            other
        } else {
            self
        }
    }

    /// Whether the amount is strictly above zero.
    pub const fn is_positive(self) -> bool {
        self.0 > 0
    }

    /// Validates an input amount: must be > 0 (`amount_not_positive`) and at most
    /// [`Money::MAX_AMOUNT`] (`amount_overflow`).
    pub fn positive(field: &str, fen: i64) -> Result<Money, ValidationError> {
        if fen <= 0 {
            return Err(ValidationError::new(
                field,
                "amount_not_positive",
                format!("{field}: {fen} fen is not a positive amount"),
            ));
        }
        if fen > Money::MAX_AMOUNT.0 {
            return Err(ValidationError::new(
                field,
                "amount_overflow",
                format!(
                    "{field}: {fen} fen is over the maximum of {} fen (10 trillion yuan)",
                    Money::MAX_AMOUNT.0
                ),
            ));
        }
        Ok(Money(fen))
    }

    /// Parses a yuan amount with at most two decimals: `"12"`, `"12.3"`, `"12.34"`.
    /// Signs, exponents, thousands separators and a third decimal are rejected.
    pub fn parse_yuan(s: &str) -> Result<Money, ValidationError> {
        let t = s.trim();
        let bad = || {
            ValidationError::new(
                "amount",
                "invalid_amount",
                format!("amount: {t:?} is not a yuan amount like 12, 12.3 or 12.34"),
            )
        };
        let (int_part, frac_part) = match t.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (t, None),
        };
        if int_part.is_empty() || !int_part.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let frac = match frac_part {
            None => 0,
            Some(f) if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) => return Err(bad()),
            Some(f) if f.len() > 2 => {
                return Err(ValidationError::new(
                    "amount",
                    "invalid_amount",
                    format!(
                        "amount: {t:?} has more than 2 decimals (the fen is the smallest unit)"
                    ),
                ))
            }
            Some(f) => {
                let v: i64 = f.parse().map_err(|_| bad())?;
                if f.len() == 1 {
                    v * 10
                } else {
                    v
                }
            }
        };
        let overflow = || {
            ValidationError::new(
                "amount",
                "amount_overflow",
                format!("amount: {t:?} is too large"),
            )
        };
        let yuan: i64 = int_part.parse().map_err(|_| overflow())?;
        let fen = yuan
            .checked_mul(100)
            .and_then(|v| v.checked_add(frac))
            .ok_or_else(overflow)?;
        Ok(Money(fen))
    }
}

impl fmt::Display for Money {
    /// Yuan with two decimals: `1234.56`, `-0.05`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

/// A rate in basis points: 10000 bps = 100%.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Rate(u32);

impl Rate {
    /// 100%.
    pub const FULL: Rate = Rate(10_000);
    /// 0%.
    pub const ZERO: Rate = Rate(0);

    /// Validates a rate given in basis points: `0..=10000`.
    pub fn from_bps(field: &str, bps: i64) -> Result<Rate, ValidationError> {
        if bps < 0 {
            return Err(ValidationError::new(
                field,
                "rate_negative",
                format!("{field}: {bps} is negative (a rate is 0..=10000 bps)"),
            ));
        }
        if bps > 10_000 {
            return Err(ValidationError::new(
                field,
                "rate_over_100",
                format!("{field}: {bps} is over 100% (10000 bps)"),
            ));
        }
        Ok(Rate(bps as u32))
    }

    /// The rate in basis points.
    pub const fn bps(self) -> u32 {
        self.0
    }

    /// `rate × amount`, rounded down (toward negative infinity) to the fen. Exact `i128` math.
    pub fn apply_floor(self, amount: Money) -> Money {
        let v = (amount.0 as i128 * self.0 as i128).div_euclid(10_000);
        // |v| <= |amount| because the rate is at most 100%, so this always fits.
        Money(v as i64)
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&bps_percent(self.0 as i128))
    }
}

/// Formats basis points as a percentage without trailing zeros: 9999 → "99.99%", 10000 → "100%".
pub(crate) fn bps_percent(bps: i128) -> String {
    let sign = if bps < 0 { "-" } else { "" };
    let a = bps.unsigned_abs();
    let (whole, frac) = (a / 100, a % 100);
    if frac == 0 {
        format!("{sign}{whole}%")
    } else if frac % 10 == 0 {
        format!("{sign}{whole}.{}%", frac / 10)
    } else {
        format!("{sign}{whole}.{frac:02}%")
    }
}

/// Splits a non-negative `total` proportionally to non-negative `weights` by largest remainder.
///
/// Guarantees: the parts sum to exactly `total`; each part is `floor` or `ceil` of
/// `total × w / W`; a zero weight gets zero; ties go to the lower index; and when
/// `total ≤ sum(weights)` each part is at most its weight (so a draw split by remaining
/// balances never overdraws a source).
///
/// Errors: [`MoneyError::NoWeights`] if `weights` is empty or all zero,
/// [`MoneyError::Negative`] if `total` or any weight is negative.
pub fn split_by_weights(total: Money, weights: &[i64]) -> Result<Vec<Money>, MoneyError> {
    if total.0 < 0 || weights.iter().any(|&w| w < 0) {
        return Err(MoneyError::Negative);
    }
    let sum: i128 = weights.iter().map(|&w| w as i128).sum();
    if sum == 0 {
        return Err(MoneyError::NoWeights);
    }
    let t = total.0 as i128;
    let mut parts = Vec::with_capacity(weights.len());
    let mut rems = Vec::with_capacity(weights.len());
    let mut given: i128 = 0;
    for (i, &w) in weights.iter().enumerate() {
        let p = t * w as i128;
        let q = p / sum;
        given += q;
        parts.push(q);
        rems.push((p % sum, i));
    }
    let left = (t - given) as usize; // < weights.len()
                                     // Largest remainder first; ties to the lower index.
    rems.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(_, i) in rems.iter().take(left) {
        parts[i] += 1;
    }
    // Every part is <= total, so it fits in i64.
    Ok(parts.into_iter().map(|p| Money(p as i64)).collect())
}

/// Validates funding shares in basis points: non-empty, each `1..=10000`, summing to exactly
/// 10000 (100%).
pub fn validate_shares(field: &str, shares_bps: &[i64]) -> Result<(), ValidationError> {
    if shares_bps.is_empty() {
        return Err(ValidationError::new(
            field,
            "required",
            format!("{field}: at least one funding share is required"),
        ));
    }
    for (i, &s) in shares_bps.iter().enumerate() {
        if !(1..=10_000).contains(&s) {
            return Err(ValidationError::new(
                format!("{field}[{i}]"),
                "invalid_share",
                format!("{field}[{i}]: share {s} bps must be between 1 and 10000 (0.01% to 100%)"),
            ));
        }
    }
    let sum: i128 = shares_bps.iter().map(|&s| s as i128).sum();
    if sum != 10_000 {
        return Err(ValidationError::new(
            field,
            "shares_not_100",
            format!(
                "{field}: shares sum to {}, must be exactly 100%",
                bps_percent(sum)
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
#[path = "money_tests.rs"]
mod tests;
