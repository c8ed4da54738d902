//! The figures of a what-if, read the same way from the records and from a replay: totals, per
//! funding source, per city, size class and voucher type, and the run-out forecast of what is
//! paid.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::forecast::{run_out, ForecastBasis, RunOutForecast};
use crate::money::{split_by_weights, Money};
use crate::whatif::{plus, GrantOutcome, ReplayHistory, ReplayOutcome, WhatIfInput};

/// One row of a breakdown (a city, a size class, a voucher type).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BreakdownRow {
    pub key: String,
    pub beneficiaries: i64,
    pub vouchers: i64,
    pub granted_fen: i64,
    /// Subsidy paid, net of clawbacks.
    pub paid_fen: i64,
}

/// What one funding source grants and pays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SourceRow {
    pub source_id: String,
    pub source_name: String,
    pub allocated_fen: i64,
    pub granted_fen: i64,
    pub paid_fen: i64,
}

/// One side of the comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WhatIfFigures {
    pub granted_fen: i64,
    pub vouchers: i64,
    /// Enterprises holding a voucher.
    pub beneficiaries: i64,
    /// Subsidy paid, net of clawbacks.
    pub paid_fen: i64,
    pub clawed_back_fen: i64,
    /// Enterprises paid any subsidy.
    pub subsidised_enterprises: i64,
    pub grants_not_eligible: i64,
    pub grants_over_year_cap: i64,
    pub grants_budget_exhausted: i64,
    /// Invoice redemptions that would be paid nothing.
    pub redemptions_refused: i64,
    /// Metered records that would be paid nothing.
    pub usage_unsubsidised: i64,
    pub by_source: Vec<SourceRow>,
    pub by_city: Vec<BreakdownRow>,
    pub by_size: Vec<BreakdownRow>,
    pub by_voucher_type: Vec<BreakdownRow>,
    /// When the budget not yet paid runs out at the pace of the last 12 weeks.
    pub run_out: RunOutForecast,
}

/// What the figures need beside the history.
#[derive(Debug, Clone)]
pub struct FigureContext<'a> {
    /// (id, name) per funding source, in the program's funding order.
    pub sources: &'a [(String, String)],
    pub allocated: &'a [Money],
    pub voucher_type: &'a str,
    pub today: NaiveDate,
    /// The day the program's vouchers expire.
    pub ends_on: NaiveDate,
}

#[derive(Default)]
struct Acc {
    enterprises: std::collections::BTreeSet<usize>,
    vouchers: i64,
    granted: i64,
    paid: i64,
}

fn rows(m: BTreeMap<String, Acc>) -> Vec<BreakdownRow> {
    m.into_iter()
        .map(|(key, a)| BreakdownRow {
            key,
            beneficiaries: a.enterprises.len() as i64,
            vouchers: a.vouchers,
            granted_fen: a.granted,
            paid_fen: a.paid,
        })
        .collect()
}

/// The figures of `o` (a replay's outcome, or [`ReplayOutcome::recorded`]).
pub fn figures(h: &ReplayHistory, o: &ReplayOutcome, ctx: &FigureContext) -> WhatIfFigures {
    let mut f = WhatIfFigures {
        granted_fen: 0,
        vouchers: 0,
        beneficiaries: 0,
        paid_fen: 0,
        clawed_back_fen: 0,
        subsidised_enterprises: 0,
        grants_not_eligible: 0,
        grants_over_year_cap: 0,
        grants_budget_exhausted: 0,
        redemptions_refused: o.redemptions_refused,
        usage_unsubsidised: o.usage_unsubsidised,
        by_source: Vec::new(),
        by_city: Vec::new(),
        by_size: Vec::new(),
        by_voucher_type: Vec::new(),
        run_out: run_out(
            ForecastBasis::Spent,
            Money::ZERO,
            &[],
            ctx.today,
            ctx.ends_on,
        ),
    };
    let mut src_granted = vec![Money::ZERO; ctx.sources.len()];
    let mut src_paid = vec![Money::ZERO; ctx.sources.len()];
    let (mut city, mut size, mut kind) = (BTreeMap::new(), BTreeMap::new(), BTreeMap::new());
    let mut holders = std::collections::BTreeSet::new();
    let mut subsidised = std::collections::BTreeSet::new();
    for (i, g) in h.grants.iter().enumerate() {
        match o.grants[i] {
            GrantOutcome::Granted => {}
            GrantOutcome::NotEligible => {
                f.grants_not_eligible += 1;
                continue;
            }
            GrantOutcome::OverYearCap => {
                f.grants_over_year_cap += 1;
                continue;
            }
            GrantOutcome::BudgetExhausted => {
                f.grants_budget_exhausted += 1;
                continue;
            }
        }
        let net = Money::from_fen(o.paid[i].fen() - o.clawed_back[i].fen());
        f.vouchers += 1;
        f.granted_fen += o.face[i].fen();
        f.paid_fen += net.fen();
        f.clawed_back_fen += o.clawed_back[i].fen();
        holders.insert(g.enterprise);
        if net.is_positive() {
            subsidised.insert(g.enterprise);
        }
        let weights: Vec<i64> = o.parts[i].iter().map(|p| p.fen()).collect();
        let paid_parts = split_by_weights(net.max(Money::ZERO), &weights).unwrap_or_default();
        for (k, p) in o.parts[i].iter().enumerate().take(src_granted.len()) {
            src_granted[k] = plus(src_granted[k], *p);
            if let Some(pp) = paid_parts.get(k) {
                src_paid[k] = plus(src_paid[k], *pp);
            }
        }
        let e = &h.enterprises[g.enterprise].facts;
        for (m, key) in [
            (&mut city, e.city_code.clone()),
            (&mut size, e.size_class.as_str().to_string()),
            (&mut kind, ctx.voucher_type.to_string()),
        ] {
            let a: &mut Acc = m.entry(key).or_default();
            a.enterprises.insert(g.enterprise);
            a.vouchers += 1;
            a.granted += o.face[i].fen();
            a.paid += net.fen();
        }
    }
    f.beneficiaries = holders.len() as i64;
    f.subsidised_enterprises = subsidised.len() as i64;
    f.by_source = ctx
        .sources
        .iter()
        .enumerate()
        .map(|(k, (id, name))| SourceRow {
            source_id: id.clone(),
            source_name: name.clone(),
            allocated_fen: ctx.allocated.get(k).map_or(0, |m| m.fen()),
            granted_fen: src_granted[k].fen(),
            paid_fen: src_paid[k].fen(),
        })
        .collect();
    f.by_city = rows(city);
    f.by_size = rows(size);
    f.by_voucher_type = rows(kind);
    let budget: i64 = ctx.allocated.iter().map(|m| m.fen()).sum();
    f.run_out = run_out(
        ForecastBasis::Spent,
        Money::from_fen(budget - f.paid_fen),
        &o.paid_by_day,
        ctx.today,
        ctx.ends_on,
    );
    f
}

pub const WHATIF_METHOD: &str = "the program's recorded grants, voucher credits, invoice redemptions, metered usage, clawbacks and expiries are replayed in the order they were recorded under the changed rules, by the same rule functions as the live path (eligibility, the face value cap, the yearly cap, the subsidy of an invoice under the rate and every cap, the rating of metered batches); a reviewer who approved all the old cap allowed approves all the new one allows; money is split over funding sources in the recorded proportions; nothing is written. The replay cannot add applications that were never made or approve ones a reviewer rejected";

/// A what-if: what happened beside what would have happened.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WhatIf {
    pub program_id: String,
    pub program_name: String,
    pub today: NaiveDate,
    pub asked: WhatIfInput,
    pub recorded: WhatIfFigures,
    pub replayed: WhatIfFigures,
    /// What was replayed.
    pub grants: i64,
    pub redemptions: i64,
    pub usage_records: i64,
    /// How long loading the history and replaying it took.
    pub load_ms: i64,
    pub replay_ms: i64,
    pub method: &'static str,
}
