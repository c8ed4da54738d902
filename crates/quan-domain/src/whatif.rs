//! What-if: a program's recorded history replayed under changed rules, in memory. The store
//! loads the history (grants, credits to the vouchers, invoice redemptions, metered usage,
//! clawbacks, expiries, in the order they were recorded); [`replay`](crate::replay) decides every
//! subsidy again with the live path's own functions (`check_eligibility`, `review_amount`,
//! `redemption_quote`, `plan_usage`); nothing is written. A replay of the unchanged rules gives
//! the recorded figures to the fen.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::city::validate_city;
use crate::enterprise::SizeClass;
use crate::error::ValidationError;
use crate::money::{Money, Rate};
use crate::program::ProgramRules;

/// The rule changes a what-if asks for; an absent field keeps the program's rule. A cap of 0
/// removes that cap (the supplier, group and voucher-type caps; the yearly and face value caps
/// must stay above 0).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WhatIfInput {
    pub rate_bps: Option<i64>,
    pub pilot_bonus_bps: Option<i64>,
    pub face_value_cap_fen: Option<i64>,
    pub enterprise_year_cap_fen: Option<i64>,
    pub supplier_cap_fen: Option<i64>,
    pub group_year_cap_fen: Option<i64>,
    pub type_year_cap_fen: Option<i64>,
    /// GB/T 2260 city codes; an empty list = any city.
    pub eligible_cities: Option<Vec<String>>,
    /// micro, small, medium, large; an empty list = any size.
    pub eligible_sizes: Option<Vec<String>>,
    /// The program's budget (split over its funding sources by their shares).
    pub budget_fen: Option<i64>,
}

/// The money rules a replay decides by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplayRules {
    /// Eligibility and the caps of grants (`check_eligibility`, `review_amount`).
    pub program: ProgramRules,
    pub pilot_bonus: Rate,
    pub supplier_cap: Option<Money>,
    pub group_year_cap: Option<Money>,
    pub type_year_cap: Option<Money>,
    /// What each funding source allocated to the program, in the program's funding order.
    pub allocated: Vec<Money>,
}

/// Most a what-if cap or budget may be: ¥100 billion.
pub const WHATIF_MONEY_MAX: i64 = 10_000_000_000_000;

fn money_field(field: &str, fen: i64, positive: bool) -> Result<Money, ValidationError> {
    if fen < 0 || (positive && fen == 0) {
        let what = if positive { "above 0" } else { "0 or more" };
        return Err(ValidationError::new(
            field,
            "out_of_range",
            format!("{field}: {fen} must be {what}"),
        ));
    }
    if fen > WHATIF_MONEY_MAX {
        return Err(ValidationError::new(
            field,
            "out_of_range",
            format!("{field}: {fen} is over the most a program can hold (¥100 billion)"),
        ));
    }
    Ok(Money::from_fen(fen))
}

/// An optional cap: absent keeps `recorded`, 0 removes it.
fn cap_field(
    field: &str,
    asked: Option<i64>,
    recorded: Option<Money>,
) -> Result<Option<Money>, ValidationError> {
    match asked {
        None => Ok(recorded),
        Some(0) => Ok(None),
        Some(f) => money_field(field, f, true).map(Some),
    }
}

impl WhatIfInput {
    /// The rules of the replay: the recorded rules with the asked changes. `shares` are the
    /// program's funding shares (bps) used to split a changed budget.
    pub fn apply(
        &self,
        recorded: &ReplayRules,
        shares: &[i64],
    ) -> Result<ReplayRules, ValidationError> {
        let mut r = recorded.clone();
        if let Some(b) = self.rate_bps {
            r.program.rate = Rate::from_bps("rate_bps", b)?;
        }
        if let Some(b) = self.pilot_bonus_bps {
            r.pilot_bonus = Rate::from_bps("pilot_bonus_bps", b)?;
        }
        if let Some(f) = self.face_value_cap_fen {
            r.program.face_value_cap = money_field("face_value_cap_fen", f, true)?;
        }
        if let Some(f) = self.enterprise_year_cap_fen {
            r.program.enterprise_year_cap = money_field("enterprise_year_cap_fen", f, true)?;
        }
        r.supplier_cap = cap_field("supplier_cap_fen", self.supplier_cap_fen, r.supplier_cap)?;
        r.group_year_cap = cap_field(
            "group_year_cap_fen",
            self.group_year_cap_fen,
            r.group_year_cap,
        )?;
        r.type_year_cap = cap_field("type_year_cap_fen", self.type_year_cap_fen, r.type_year_cap)?;
        if let Some(cities) = &self.eligible_cities {
            for (i, c) in cities.iter().enumerate() {
                validate_city(&format!("eligible_cities[{i}]"), c)?;
            }
            r.program.eligible_cities = cities.clone();
        }
        if let Some(sizes) = &self.eligible_sizes {
            r.program.eligible_sizes = sizes
                .iter()
                .enumerate()
                .map(|(i, s)| SizeClass::parse(&format!("eligible_sizes[{i}]"), s))
                .collect::<Result<_, _>>()?;
        }
        if let Some(b) = self.budget_fen {
            let budget = money_field("budget_fen", b, false)?;
            r.allocated = crate::money::split_by_weights(budget, shares).map_err(|e| {
                ValidationError::new("budget_fen", "invalid", format!("budget_fen: {e}"))
            })?;
        }
        Ok(r)
    }
}

/// An enterprise as the replay reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplayEnterprise {
    pub facts: crate::program::EnterpriseFacts,
    /// The actual-controller group its subsidy counted against (under a group cap).
    pub group: Option<String>,
}

/// A recorded grant (an issued voucher) of the program, in the order it was approved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplayGrant {
    pub enterprise: usize,
    /// The day the application was made (eligibility is judged on it).
    pub applied_on: NaiveDate,
    pub issued_on: NaiveDate,
    pub requested: Money,
    /// What the reviewer approved, and the voucher's face value.
    pub approved: Money,
    /// What each funding source paid for it, in the program's funding order.
    pub parts: Vec<Money>,
}

/// One recorded event; indexes point into the history's grants and suppliers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplayEvent {
    /// Money posted to the voucher (at issue; a milestone's release).
    Credit { grant: usize, amount: Money },
    /// The voucher expired: what was left of it went back.
    Expire { grant: usize },
    /// An invoice redemption, with the subsidy it was paid.
    Redeem {
        grant: usize,
        supplier: usize,
        amount: Money,
        day: NaiveDate,
        recorded: Money,
    },
    /// The clawback of the `redemption`-th Redeem event.
    Clawback { redemption: usize },
    /// One metered batch: (grant, price, recorded subsidy) per record, in order.
    Usage {
        supplier: usize,
        day: NaiveDate,
        lines: Vec<(usize, Money, Money)>,
    },
    /// Subsidy of another program of the same voucher type and year (signed: a clawback is
    /// negative), which counts against the cap per voucher type.
    OtherTypeUse { enterprise: usize, amount: Money },
}

/// What the store loads for a replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplayHistory {
    pub enterprises: Vec<ReplayEnterprise>,
    pub grants: Vec<ReplayGrant>,
    pub suppliers: usize,
    pub events: Vec<ReplayEvent>,
}

/// Why a recorded grant has no voucher in the replay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum GrantOutcome {
    Granted,
    NotEligible,
    OverYearCap,
    BudgetExhausted,
}

/// The result of a replay (or of the records, read the same way), per grant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplayOutcome {
    pub grants: Vec<GrantOutcome>,
    /// Face value per grant (0 when not granted).
    pub face: Vec<Money>,
    /// What each funding source pays of each grant.
    pub parts: Vec<Vec<Money>>,
    /// Subsidy paid per grant, clawbacks not subtracted.
    pub paid: Vec<Money>,
    pub clawed_back: Vec<Money>,
    /// Subsidy paid per day (net of clawbacks on the day they were paid).
    pub paid_by_day: Vec<(NaiveDate, Money)>,
    /// Redemptions the replay would refuse (nothing left under a cap or on the voucher).
    pub redemptions_refused: i64,
    pub usage_unsubsidised: i64,
}

impl ReplayOutcome {
    /// The outcome as recorded: every grant at its face value, every event at its recorded
    /// subsidy.
    pub fn recorded(h: &ReplayHistory) -> ReplayOutcome {
        let n = h.grants.len();
        let mut o = ReplayOutcome {
            grants: vec![GrantOutcome::Granted; n],
            face: h.grants.iter().map(|g| g.approved).collect(),
            parts: h.grants.iter().map(|g| g.parts.clone()).collect(),
            paid: vec![Money::ZERO; n],
            clawed_back: vec![Money::ZERO; n],
            paid_by_day: Vec::new(),
            redemptions_refused: 0,
            usage_unsubsidised: 0,
        };
        let mut redeemed: Vec<(usize, Money, NaiveDate)> = Vec::new();
        for ev in &h.events {
            match ev {
                ReplayEvent::Redeem {
                    grant,
                    day,
                    recorded,
                    ..
                } => {
                    redeemed.push((*grant, *recorded, *day));
                    if !recorded.is_positive() {
                        o.redemptions_refused += 1;
                    }
                    o.pay(*grant, *recorded, *day);
                }
                ReplayEvent::Clawback { redemption } => {
                    if let Some((g, s, day)) = redeemed.get(*redemption).copied() {
                        o.claw(g, s, day);
                    }
                }
                ReplayEvent::Usage { day, lines, .. } => {
                    for (g, _, s) in lines {
                        if !s.is_positive() {
                            o.usage_unsubsidised += 1;
                        }
                        o.pay(*g, *s, *day);
                    }
                }
                _ => {}
            }
        }
        o
    }

    pub(crate) fn pay(&mut self, grant: usize, s: Money, day: NaiveDate) {
        if s.is_positive() {
            self.paid[grant] = plus(self.paid[grant], s);
            self.paid_by_day.push((day, s));
        }
    }

    pub(crate) fn claw(&mut self, grant: usize, s: Money, paid_on: NaiveDate) {
        if s.is_positive() {
            self.clawed_back[grant] = plus(self.clawed_back[grant], s);
            self.paid_by_day.push((paid_on, Money::from_fen(-s.fen())));
        }
    }
}

/// `a + b` in fen; a replay's sums are bounded by the budget, far inside `i64`.
pub(crate) fn plus(a: Money, b: Money) -> Money {
    Money::from_fen(a.fen().saturating_add(b.fen()))
}

#[cfg(test)]
#[path = "whatif_tests.rs"]
mod tests;

/// Where a what-if run is, in the order it goes: the history's parts loaded one after another,
/// then the replay and its figures. `Failed` ends a run whose load or replay was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WhatIfStage {
    Queued,
    Grants,
    Redemptions,
    Usage,
    Replaying,
    Done,
    Failed,
}

impl WhatIfStage {
    /// Every stage, in order (its index is its `u8`).
    pub const ALL: [WhatIfStage; 7] = [
        WhatIfStage::Queued,
        WhatIfStage::Grants,
        WhatIfStage::Redemptions,
        WhatIfStage::Usage,
        WhatIfStage::Replaying,
        WhatIfStage::Done,
        WhatIfStage::Failed,
    ];

    pub fn index(self) -> u8 {
        Self::ALL.iter().position(|s| *s == self).unwrap_or(0) as u8
    }

    /// The stage of an index; an unknown index is `Queued`.
    pub fn from_index(i: u8) -> WhatIfStage {
        Self::ALL
            .get(i as usize)
            .copied()
            .unwrap_or(WhatIfStage::Queued)
    }

    /// Whether the run has ended, one way or the other.
    pub fn ended(self) -> bool {
        matches!(self, WhatIfStage::Done | WhatIfStage::Failed)
    }
}

/// How far a run has come, as a share in basis points (0–10000): the loaded rows over the rows
/// the history holds carry the run to 90%; the replay and figures are the last 10%. No rows to
/// load reads as loaded.
pub fn whatif_progress_bps(stage: WhatIfStage, loaded: i64, total: i64) -> i64 {
    match stage {
        WhatIfStage::Queued => 0,
        WhatIfStage::Done => 10_000,
        WhatIfStage::Replaying => 9_000,
        WhatIfStage::Failed => 0,
        _ if total <= 0 => 0,
        _ => (loaded.clamp(0, total) as i128 * 9_000 / total as i128) as i64,
    }
}

#[cfg(test)]
mod stage_tests {
    use super::*;

    #[test]
    fn stages_round_trip_and_end() {
        for s in WhatIfStage::ALL {
            assert_eq!(WhatIfStage::from_index(s.index()), s);
        }
        assert_eq!(WhatIfStage::from_index(99), WhatIfStage::Queued);
        assert!(WhatIfStage::Done.ended() && WhatIfStage::Failed.ended());
        assert!(!WhatIfStage::Usage.ended());
        assert_eq!(
            serde_json::to_string(&WhatIfStage::Replaying).unwrap(),
            "\"replaying\""
        );
    }

    #[test]
    fn progress_rises_to_ninety_percent_while_loading() {
        assert_eq!(whatif_progress_bps(WhatIfStage::Usage, 0, 1000), 0);
        assert_eq!(whatif_progress_bps(WhatIfStage::Usage, 500, 1000), 4_500);
        assert_eq!(whatif_progress_bps(WhatIfStage::Usage, 5000, 1000), 9_000);
        assert_eq!(whatif_progress_bps(WhatIfStage::Grants, 10, 0), 0);
        assert_eq!(whatif_progress_bps(WhatIfStage::Replaying, 0, 0), 9_000);
        assert_eq!(whatif_progress_bps(WhatIfStage::Done, 0, 0), 10_000);
        let mut last = 0;
        for loaded in (0..=1000).step_by(37) {
            let p = whatif_progress_bps(WhatIfStage::Usage, loaded, 1000);
            assert!(p >= last);
            last = p;
        }
    }
}
