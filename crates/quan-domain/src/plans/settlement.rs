//! Settlement runs as plans: one run per supplier and month pays out everything payable up to
//! the end of that month.

use chrono::{Datelike, NaiveDate};

use crate::error::ValidationError;
use crate::ids::SettlementId;
use crate::integrity::{refuse_listed, Listing, PartyKind};
use crate::ledger::{Payee, Posting};
use crate::money::Money;
use crate::refusal::Refusal;

/// A settlement period: one calendar month, written `YYYY-MM`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SettlementPeriod {
    first: NaiveDate,
}

impl SettlementPeriod {
    /// Parses `YYYY-MM`; code `invalid_period`.
    pub fn parse(field: &str, s: &str) -> Result<SettlementPeriod, ValidationError> {
        let bad = || {
            ValidationError::new(
                field,
                "invalid_period",
                format!("{field}: {s:?} must be a month like 2026-11"),
            )
        };
        if s.len() != 7 || s.as_bytes()[4] != b'-' {
            return Err(bad());
        }
        let first = NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d").map_err(|_| bad())?;
        // The first day of the next month must exist too.
        first
            .checked_add_months(chrono::Months::new(1))
            .ok_or_else(bad)?;
        Ok(SettlementPeriod { first })
    }
    /// The first day of the month.
    pub fn first_day(self) -> NaiveDate {
        self.first
    }
    /// The first day of the next month: items dated before it belong to the run.
    pub fn end_exclusive(self) -> NaiveDate {
        self.first
            .checked_add_months(chrono::Months::new(1))
            .expect("checked at parse")
    }
}

impl std::fmt::Display for SettlementPeriod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.first.year(), self.first.month())
    }
}

/// What a settlement run decides from (the payee's payable account locked first). The payee is
/// a supplier (a settlement) or an enterprise reimbursed for what it paid (a reimbursement run).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettlementFacts {
    pub payee: Payee,
    pub period: SettlementPeriod,
    pub today: NaiveDate,
    pub already_settled: bool,
    /// Unsettled redemptions and subsidised usage records dated before the period's end.
    pub items: i64,
    pub total: Money,
    /// The payee's dishonesty-list entry in force today: its payables are held, not paid.
    pub payee_listing: Option<Listing>,
    /// What the payee owes back from clawbacks of subsidies already paid to it.
    pub owed: Money,
}

/// What a settlement run writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettlementPlan {
    pub id: SettlementId,
    pub items: i64,
    /// Everything payable in the run.
    pub total: Money,
    /// The part of `total` kept to recover what the supplier owed (`payable → receivable`).
    pub offset: Money,
    /// `payable → receivable` for the offset (if any), then `payable → settled` for the rest.
    pub postings: Vec<Posting>,
}

/// Pays out what is payable to the payee up to the end of the period, first recovering what it
/// owes from clawbacks of subsidies already paid. `id` is the run's id (settlement or
/// reimbursement), used in the posting ids.
pub fn plan_settlement(f: &SettlementFacts, id: SettlementId) -> Result<SettlementPlan, Refusal> {
    if f.period.first_day() > f.today {
        return Err(Refusal::invalid(
            "invalid_period",
            "period",
            format!("period: {} has not started yet", f.period),
        ));
    }
    let (party, who) = match f.payee {
        Payee::Supplier(_) => (PartyKind::Supplier, "supplier"),
        Payee::Enterprise(_) => (PartyKind::Enterprise, "enterprise"),
    };
    if f.already_settled {
        return Err(Refusal::conflict(
            "already_settled",
            "period",
            format!("period: {} is already settled for this {who}", f.period),
        ));
    }
    if let Some(l) = &f.payee_listing {
        return Err(Refusal::conflict_general(
            "payables_held",
            format!(
                "{}; its payables ({} yuan) are held until the entry is lifted",
                refuse_listed(party, "be settled", l).message,
                f.total
            ),
        ));
    }
    if f.items == 0 {
        return Err(Refusal::conflict_general(
            "nothing_to_settle",
            format!(
                "nothing is payable to this {who} up to the end of {}",
                f.period
            ),
        ));
    }
    let offset = Money::from_fen(f.owed.fen().clamp(0, f.total.fen()));
    let mut postings = Vec::new();
    if offset.is_positive() {
        postings.push(Posting::single(
            format!("offset:{id}"),
            f.payee.payable(),
            f.payee.receivable(),
            offset,
            "offset",
        ));
    }
    let paid = Money::from_fen(f.total.fen() - offset.fen());
    if paid.is_positive() {
        postings.push(Posting::single(
            format!("settle:{id}"),
            f.payee.payable(),
            f.payee.settled(),
            paid,
            "settle",
        ));
    }
    Ok(SettlementPlan {
        id,
        items: f.items,
        total: f.total,
        offset,
        postings,
    })
}
