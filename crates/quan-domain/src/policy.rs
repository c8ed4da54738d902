//! The rules a program writes beyond rate and caps (data of the program, never constants): a
//! bonus rate for pilot-zone enterprises, a cap on what one supplier may be paid, a minimum
//! invoice amount, and the split-purchase rule that holds suspicious invoices for review.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::ValidationError;
use crate::money::{Money, Rate};

/// The policy as written in requests and shown in the program's view; every field optional
/// (absent = the rule is off).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProgramPolicyFields {
    /// Basis points added to the rate for enterprises in a pilot zone (e.g. 500 = +5%).
    #[serde(default)]
    pub pilot_bonus_bps: i64,
    /// Most subsidy one supplier may be paid in this program, in fen.
    pub supplier_cap_fen: Option<i64>,
    /// Smallest invoice amount the program pays for (Qingdao: ¥100,000 of compute paid), in fen.
    pub min_invoice_fen: Option<i64>,
    /// Split purchases: invoices from one enterprise to one supplier within this many days…
    pub split_window_days: Option<i64>,
    /// …whose sum reaches this amount while each stays under it are held for review.
    pub split_threshold_fen: Option<i64>,
    /// Who claims the subsidy: the supplier (default) or the enterprise that paid in full.
    #[serde(default)]
    pub redemption_mode: RedemptionMode,
    /// Every claim names a registered contract between the enterprise and the supplier.
    #[serde(default)]
    pub contract_required: bool,
    /// The contract must be signed on or after this date (e.g. the program's start)…
    pub contract_from: Option<String>,
    /// …and on or before this one.
    pub contract_until: Option<String>,
    /// A contract may be claimed in several instalments (up to its amount); otherwise once.
    #[serde(default)]
    pub instalments_allowed: bool,
    /// Every claim carries a reference to proof of delivery (Beijing: the compute was delivered).
    #[serde(default)]
    pub delivery_proof_required: bool,
    /// Most subsidy per year for all enterprises with the same actual controller together
    /// (Liaocheng), in fen.
    pub group_year_cap_fen: Option<i64>,
    /// Most subsidy one enterprise may receive in the program's year from all programs of its
    /// voucher type together (this one included), in fen.
    pub type_year_cap_fen: Option<i64>,
    /// The review chain (e.g. city check → provincial review → finance approval); empty = one
    /// review decides.
    #[serde(default)]
    pub review_levels: Vec<crate::review_chain::ReviewLevel>,
    /// Milestones (corpus vouchers): at most this is paid when the voucher is issued; the rest
    /// of the grant is paid only if the acceptance check rates the work excellent, in fen.
    pub first_milestone_fen: Option<i64>,
}

/// Who claims a voucher's subsidy.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RedemptionMode {
    /// The enterprise pays its share; the supplier redeems the rest and is settled.
    #[default]
    SupplierRedeems,
    /// The enterprise pays in full, submits contract, invoice and proof of payment, and is
    /// reimbursed the subsidy.
    EnterpriseReimbursed,
}

impl RedemptionMode {
    pub fn as_str(self) -> &'static str {
        match self {
            RedemptionMode::SupplierRedeems => "supplier_redeems",
            RedemptionMode::EnterpriseReimbursed => "enterprise_reimbursed",
        }
    }
    /// Parses the stored form.
    pub fn parse(field: &str, s: &str) -> Result<RedemptionMode, ValidationError> {
        match s {
            "supplier_redeems" => Ok(RedemptionMode::SupplierRedeems),
            "enterprise_reimbursed" => Ok(RedemptionMode::EnterpriseReimbursed),
            _ => Err(ValidationError::new(
                field,
                "invalid_value",
                format!("{field}: {s:?} must be supplier_redeems or enterprise_reimbursed"),
            )),
        }
    }
}

/// What a claim's contract must satisfy.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ContractRule {
    pub required: bool,
    pub signed_from: Option<NaiveDate>,
    pub signed_until: Option<NaiveDate>,
    pub instalments: bool,
    pub delivery_proof: bool,
}

/// The split-purchase rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SplitRule {
    pub window_days: u32,
    pub threshold: Money,
}

/// The policy, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgramPolicy {
    pub pilot_bonus: Rate,
    pub supplier_cap: Option<Money>,
    pub min_invoice: Option<Money>,
    pub split: Option<SplitRule>,
    pub mode: RedemptionMode,
    pub contract: ContractRule,
    pub group_cap: Option<Money>,
    pub type_year_cap: Option<Money>,
    pub review_chain: Vec<crate::review_chain::ReviewLevel>,
    pub first_milestone: Option<Money>,
}

impl ProgramPolicy {
    /// Checks the fields against the program's base rate (rate + bonus ≤ 100%).
    pub fn parse(f: &ProgramPolicyFields, base: Rate) -> Result<ProgramPolicy, ValidationError> {
        let pilot_bonus = Rate::from_bps("policy.pilot_bonus_bps", f.pilot_bonus_bps)?;
        if i64::from(base.bps()) + f.pilot_bonus_bps > 10_000 {
            return Err(ValidationError::new(
                "policy.pilot_bonus_bps",
                "rate_over_100",
                format!(
                    "policy.pilot_bonus_bps: {} on top of the rate of {} bps passes 100%",
                    f.pilot_bonus_bps,
                    base.bps()
                ),
            ));
        }
        let supplier_cap = f
            .supplier_cap_fen
            .map(|v| Money::positive("policy.supplier_cap_fen", v))
            .transpose()?;
        let min_invoice = f
            .min_invoice_fen
            .map(|v| Money::positive("policy.min_invoice_fen", v))
            .transpose()?;
        let split = match (f.split_window_days, f.split_threshold_fen) {
            (None, None) => None,
            (Some(d), Some(t)) => {
                if !(1..=366).contains(&d) {
                    return Err(ValidationError::new(
                        "policy.split_window_days",
                        "out_of_range",
                        format!("policy.split_window_days: {d} must be 1 to 366"),
                    ));
                }
                Some(SplitRule {
                    window_days: d as u32,
                    threshold: Money::positive("policy.split_threshold_fen", t)?,
                })
            }
            (Some(_), None) => return Err(missing("policy.split_threshold_fen")),
            (None, Some(_)) => return Err(missing("policy.split_window_days")),
        };
        let date = |field: &str, v: &Option<String>| {
            v.as_deref()
                .filter(|d| !d.is_empty())
                .map(|d| crate::program::parse_date(field, d))
                .transpose()
        };
        let contract = ContractRule {
            required: f.contract_required,
            signed_from: date("policy.contract_from", &f.contract_from)?,
            signed_until: date("policy.contract_until", &f.contract_until)?,
            instalments: f.instalments_allowed,
            delivery_proof: f.delivery_proof_required,
        };
        if let (Some(a), Some(b)) = (contract.signed_from, contract.signed_until) {
            if b < a {
                return Err(ValidationError::new(
                    "policy.contract_until",
                    "before_start",
                    format!("policy.contract_until: {b} is before policy.contract_from {a}"),
                ));
            }
        }
        Ok(ProgramPolicy {
            pilot_bonus,
            supplier_cap,
            min_invoice,
            split,
            mode: f.redemption_mode,
            contract,
            group_cap: f
                .group_year_cap_fen
                .map(|v| Money::positive("policy.group_year_cap_fen", v))
                .transpose()?,
            type_year_cap: f
                .type_year_cap_fen
                .map(|v| Money::positive("policy.type_year_cap_fen", v))
                .transpose()?,
            review_chain: crate::review_chain::check_chain(&f.review_levels)?,
            first_milestone: f
                .first_milestone_fen
                .map(|v| Money::positive("policy.first_milestone_fen", v))
                .transpose()?,
        })
    }

    /// The rate an enterprise gets: the program's, plus the bonus in a pilot zone.
    pub fn rate_for(&self, base: Rate, pilot_zone: bool) -> Rate {
        with_pilot_bonus(base, self.pilot_bonus, pilot_zone)
    }
}

/// The rate an enterprise gets: `base`, plus `bonus` in a pilot zone (at most 100%). The one
/// rule for invoices and metered usage alike.
pub fn with_pilot_bonus(base: Rate, bonus: Rate, pilot_zone: bool) -> Rate {
    if !pilot_zone {
        return base;
    }
    let bps = (base.bps() + bonus.bps()).min(10_000);
    Rate::from_bps("rate_bps", i64::from(bps)).unwrap_or(base)
}

fn missing(field: &str) -> ValidationError {
    ValidationError::new(
        field,
        "required",
        format!("{field}: the split-purchase rule needs both a window and a threshold"),
    )
}

/// Whether an invoice looks like part of a split purchase: it stays under the threshold, but
/// with the earlier invoices of the same enterprise to the same supplier in the window
/// (`earlier`, `earlier_count` of them) the sum reaches it.
pub fn split_suspected(
    rule: &SplitRule,
    amount: Money,
    earlier: Money,
    earlier_count: i64,
) -> bool {
    earlier_count > 0
        && amount < rule.threshold
        && earlier.fen().saturating_add(amount.fen()) >= rule.threshold.fen()
}

/// Why a payment is held for an administrator's review instead of being payable, as data: the web
/// says it in the reader's language from the code and figures, and `text` is the English sentence
/// kept beside it for logs and old readers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum HoldReason {
    /// `split_purchase`: the invoice stays under the threshold; with the earlier invoices of the
    /// same enterprise to the same supplier in the window it reaches it.
    SplitPurchase {
        /// Invoices from the same enterprise to the same supplier in the window, before this one.
        earlier_count: i64,
        /// Their sum, in fen.
        #[cfg_attr(feature = "openapi", schema(value_type = i64))]
        earlier_fen: Money,
        window_days: u32,
        #[cfg_attr(feature = "openapi", schema(value_type = i64))]
        threshold_fen: Money,
    },
}

impl HoldReason {
    /// The hold when the split-purchase rule suspects the invoice, else none.
    pub fn split(
        rule: &SplitRule,
        amount: Money,
        earlier: Money,
        earlier_count: i64,
    ) -> Option<Self> {
        split_suspected(rule, amount, earlier, earlier_count).then_some(HoldReason::SplitPurchase {
            earlier_count,
            earlier_fen: earlier,
            window_days: rule.window_days,
            threshold_fen: rule.threshold,
        })
    }

    /// The rule's code, as refusals carry one.
    pub fn code(&self) -> &'static str {
        match self {
            HoldReason::SplitPurchase { .. } => "split_purchase",
        }
    }

    /// The English sentence (stored in `hold_reason`).
    pub fn text(&self) -> String {
        match self {
            HoldReason::SplitPurchase { earlier_count, earlier_fen, window_days, threshold_fen } => format!(
                "split purchase suspected: with {earlier_count} earlier invoices of {earlier_fen} yuan to the same supplier within {window_days} days, the total reaches the threshold of {threshold_fen} yuan"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rate(bps: i64) -> Rate {
        Rate::from_bps("r", bps).unwrap()
    }

    #[test]
    fn parse_names_the_field() {
        let base = rate(3000);
        let bad = |f: ProgramPolicyFields| ProgramPolicy::parse(&f, base).unwrap_err();
        let e = bad(ProgramPolicyFields {
            pilot_bonus_bps: 8000,
            ..Default::default()
        });
        assert_eq!(
            (e.field.as_str(), e.code),
            ("policy.pilot_bonus_bps", "rate_over_100")
        );
        let e = bad(ProgramPolicyFields {
            split_window_days: Some(7),
            ..Default::default()
        });
        assert_eq!(
            (e.field.as_str(), e.code),
            ("policy.split_threshold_fen", "required")
        );
        let e = bad(ProgramPolicyFields {
            split_window_days: Some(0),
            split_threshold_fen: Some(1),
            ..Default::default()
        });
        assert_eq!(e.code, "out_of_range");
        let e = bad(ProgramPolicyFields {
            supplier_cap_fen: Some(0),
            ..Default::default()
        });
        assert_eq!(e.field, "policy.supplier_cap_fen");
        let p = ProgramPolicy::parse(
            &ProgramPolicyFields {
                pilot_bonus_bps: 500,
                ..Default::default()
            },
            base,
        )
        .unwrap();
        assert_eq!(p.rate_for(base, true).bps(), 3500);
        assert_eq!(p.rate_for(base, false).bps(), 3000);
    }

    proptest! {
        /// Held exactly when the invoice is under the threshold, follows another, and the sum
        /// reaches the threshold.
        #[test]
        fn split_rule(threshold in 1i64..10_000_000, amount in 1i64..10_000_000, earlier in 0i64..20_000_000, n in 0i64..5) {
            let rule = SplitRule { window_days: 7, threshold: Money::from_fen(threshold) };
            let held = split_suspected(&rule, Money::from_fen(amount), Money::from_fen(earlier), n);
            prop_assert_eq!(held, n > 0 && amount < threshold && earlier + amount >= threshold);
        }
    }
}
