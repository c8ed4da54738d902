//! Program budgets and edits as plans: allocating a budget from the funding sources by share,
//! and deciding whether an edit of a running program is allowed.

use std::collections::BTreeMap;

use crate::ids::{FundingSourceId, ProgramId};
use crate::ledger::{AccountId, Posting};
use crate::money::{split_by_weights, Money};
use crate::program::{FundingShare, ProgramRules};
use crate::refusal::Refusal;

/// Moves `amount` from the sources to the program's budget accounts, split by share (largest
/// remainder, so no fen is lost); refused when a source cannot cover its part. `tag` makes the
/// posting ids of one allocation unique. Returns the postings and each share's part, in order.
pub fn plan_allocation(
    program: &ProgramId,
    funding: &[FundingShare],
    amount: Money,
    source_available: &BTreeMap<FundingSourceId, Money>,
    tag: &str,
) -> Result<(Vec<Posting>, Vec<Money>), Refusal> {
    let weights: Vec<i64> = funding.iter().map(|f| f.share_bps).collect();
    let parts = split_by_weights(amount, &weights)
        .map_err(|e| Refusal::invalid("invalid_shares", "funding", format!("funding: {e}")))?;
    let mut postings = Vec::new();
    for (f, part) in funding.iter().zip(&parts) {
        let source = FundingSourceId::new(f.source_id.clone());
        let Some(available) = source_available.get(&source) else {
            return Err(Refusal {
                kind: crate::RefusalKind::Invalid,
                code: "not_found",
                field: Some("funding".into()),
                message: format!("funding: no funding source {source}"),
            });
        };
        if !part.is_positive() {
            continue;
        }
        if part > available {
            return Err(Refusal::conflict(
                "insufficient_funds",
                "budget_fen",
                format!(
                    "budget_fen: funding source {source} has only {available} yuan left, its share needs {part}"
                ),
            ));
        }
        postings.push(Posting::single(
            format!("allocate:{program}:{source}:{tag}"),
            AccountId::Source(source.clone()),
            AccountId::Budget(program.clone(), source),
            *part,
            "allocate",
        ));
    }
    Ok((postings, parts))
}

/// One funding share of a stored program with what its budget account holds now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FundedShare {
    pub source: FundingSourceId,
    pub share_bps: i64,
    /// Posted balance of `budget:<program>:<source>` (reservations included).
    pub budget_balance: Money,
}

/// What an edit of a program decides from (the program row locked).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgramEditFacts {
    pub program_id: ProgramId,
    pub budget: Money,
    pub funding: Vec<FundedShare>,
    /// A grant was approved (funding shares are then fixed).
    pub has_grants: bool,
    /// The largest yearly subsidy any one enterprise has already drawn from this program.
    pub max_year_use: Money,
    /// Available money of every source the new funding names (and the old one).
    pub source_available: BTreeMap<FundingSourceId, Money>,
}

/// How the program's funding rows change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FundingChange {
    /// Nothing to write.
    None,
    /// Add each part to the share's `allocated_fen` (budget raised, shares unchanged).
    Raise(Vec<(FundingSourceId, Money)>),
    /// Replace the rows: (source, share, allocated).
    Replace(Vec<(FundingSourceId, i64, Money)>),
}

/// What an edit writes: the postings (deallocations first), then the funding rows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgramEditPlan {
    pub postings: Vec<Posting>,
    pub funding: FundingChange,
}

fn same_shares(old: &[FundedShare], new: &[FundingShare]) -> bool {
    old.len() == new.len()
        && old
            .iter()
            .zip(new)
            .all(|(o, n)| o.source.as_str() == n.source_id && o.share_bps == n.share_bps)
}

/// Decides an edit whose merged rules (`rules`, already validated) and budget are given.
/// Refuses: a smaller budget; new shares once a grant is approved; a yearly cap below what an
/// enterprise has already drawn (naming the figure).
pub fn plan_program_edit(
    f: &ProgramEditFacts,
    rules: &ProgramRules,
    budget: Money,
    tag: &str,
) -> Result<ProgramEditPlan, Refusal> {
    if budget < f.budget {
        return Err(Refusal::invalid(
            "budget_decrease",
            "budget_fen",
            "budget_fen: a program's budget can grow but not shrink; release funds by closing the program",
        ));
    }
    if rules.enterprise_year_cap < f.max_year_use {
        return Err(Refusal::conflict(
            "cap_below_usage",
            "enterprise_year_cap_fen",
            format!(
                "enterprise_year_cap_fen: an enterprise has already drawn {} yuan from this program this year; the cap cannot go below that",
                f.max_year_use
            ),
        ));
    }
    if !same_shares(&f.funding, &rules.funding) {
        if f.has_grants {
            return Err(Refusal::conflict(
                "funding_locked",
                "funding",
                "funding: shares cannot change after grants have been approved",
            ));
        }
        return plan_refunding(f, rules, budget, tag);
    }
    if budget > f.budget {
        let extra = Money::from_fen(budget.fen() - f.budget.fen());
        let (postings, parts) = plan_allocation(
            &f.program_id,
            &rules.funding,
            extra,
            &f.source_available,
            tag,
        )?;
        let raise = rules
            .funding
            .iter()
            .zip(parts)
            .map(|(s, p)| (FundingSourceId::new(s.source_id.clone()), p))
            .collect();
        return Ok(ProgramEditPlan {
            postings,
            funding: FundingChange::Raise(raise),
        });
    }
    Ok(ProgramEditPlan {
        postings: Vec::new(),
        funding: FundingChange::None,
    })
}

/// New shares (no grant yet): every allocation goes back to its source, then the whole budget
/// is allocated anew.
fn plan_refunding(
    f: &ProgramEditFacts,
    rules: &ProgramRules,
    budget: Money,
    tag: &str,
) -> Result<ProgramEditPlan, Refusal> {
    let mut postings = Vec::new();
    let mut available = f.source_available.clone();
    for old in f.funding.iter().filter(|o| o.budget_balance.is_positive()) {
        postings.push(Posting::single(
            format!("deallocate:{}:{}:{tag}", f.program_id, old.source),
            AccountId::Budget(f.program_id.clone(), old.source.clone()),
            AccountId::Source(old.source.clone()),
            old.budget_balance,
            "deallocate",
        ));
        let a = available.entry(old.source.clone()).or_insert(Money::ZERO);
        *a = Money::from_fen(a.fen().saturating_add(old.budget_balance.fen()));
    }
    let (alloc, parts) = plan_allocation(&f.program_id, &rules.funding, budget, &available, tag)?;
    postings.extend(alloc);
    let rows = rules
        .funding
        .iter()
        .zip(parts)
        .map(|(s, p)| (FundingSourceId::new(s.source_id.clone()), s.share_bps, p))
        .collect();
    Ok(ProgramEditPlan {
        postings,
        funding: FundingChange::Replace(rows),
    })
}
