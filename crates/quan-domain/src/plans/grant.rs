//! Grants as plans: approval reserves the budget per funding source (pending postings), an
//! upheld objection voids the reservations, issuing the voucher posts them.

use chrono::NaiveDate;

use crate::ids::{ApplicationId, FundingSourceId, ProgramId, VoucherId};
use crate::integrity::{refuse_listed, Listing, PartyKind};
use crate::ledger::{AccountId, Posting};
use crate::lifecycle::{notice_ends_on, review_amount, ApplicationEvent, ApplicationStatus};
use crate::money::{split_by_weights, Money};
use crate::refusal::Refusal;

/// The id of the reservation that approval makes on one source's budget.
pub fn reservation_id(app: &ApplicationId, source: &FundingSourceId) -> String {
    format!("reserve:{app}:{source}")
}

/// One funding share of the program with what its budget has available now (locked).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShareAvailable {
    pub source: FundingSourceId,
    pub source_name: String,
    pub share_bps: i64,
    pub available: Money,
    /// Who the source pays for: the province for every enterprise, a city or county only for
    /// enterprises in its area.
    pub coverage: Coverage,
}

/// Whether a funding source pays for the enterprise at hand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Coverage {
    /// A provincial source: it pays for any enterprise, and takes over the shares of regional
    /// sources that do not cover the enterprise.
    Province,
    /// A city or county source whose area holds the enterprise.
    Covers,
    /// A city or county source of another area: it pays nothing for this enterprise.
    Outside,
}

/// Splits a grant over the program's funding shares. Rule (documented in ARCHITECTURE.md):
/// split by share (largest remainder); the parts of regional sources that do not cover the
/// enterprise's city are pooled and split over the provincial sources by their shares; with no
/// provincial source to take them, the grant is refused (`region_not_covered`).
pub fn split_by_coverage(amount: Money, funding: &[ShareAvailable]) -> Result<Vec<Money>, Refusal> {
    let unfunded = |e: crate::money::MoneyError| {
        Refusal::conflict_general(
            "program_unfunded",
            format!("the program has no funding: {e}"),
        )
    };
    let weights: Vec<i64> = funding.iter().map(|s| s.share_bps).collect();
    let mut parts = split_by_weights(amount, &weights).map_err(unfunded)?;
    let pooled: i64 = funding
        .iter()
        .zip(&parts)
        .filter(|(s, _)| s.coverage == Coverage::Outside)
        .map(|(_, p)| p.fen())
        .sum();
    if pooled == 0 {
        return Ok(parts);
    }
    let province: Vec<i64> = funding
        .iter()
        .map(|s| {
            if s.coverage == Coverage::Province {
                s.share_bps
            } else {
                0
            }
        })
        .collect();
    if province.iter().all(|w| *w == 0) {
        return Err(Refusal::conflict_general(
            "region_not_covered",
            "the program's city and county funds pay only for enterprises in their own area, and no provincial fund covers this enterprise's city",
        ));
    }
    let extra = split_by_weights(Money::from_fen(pooled), &province).map_err(unfunded)?;
    for ((p, s), x) in parts.iter_mut().zip(funding).zip(extra) {
        *p = if s.coverage == Coverage::Outside {
            Money::ZERO
        } else {
            Money::from_fen(p.fen() + x.fen())
        };
    }
    Ok(parts)
}

/// What approving an application decides from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApprovalFacts {
    pub application: ApplicationId,
    pub status: ApplicationStatus,
    pub program: ProgramId,
    pub requested: Money,
    pub face_value_cap: Money,
    pub enterprise_year_cap: Money,
    /// What the enterprise already holds from this program (approved or issued grants).
    pub already_granted: Money,
    pub notice_days: u32,
    pub today: NaiveDate,
    pub funding: Vec<ShareAvailable>,
    /// The program's first milestone (paid at issue, at most this); the rest of the grant is
    /// held until the acceptance check. None: the whole grant is paid at issue.
    pub first_milestone: Option<Money>,
}

/// What approval writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApprovalPlan {
    pub next: ApplicationStatus,
    pub amount: Money,
    pub notice_ends_on: NaiveDate,
    pub voucher: VoucherId,
    /// One pending posting per source with a non-zero part.
    pub reservations: Vec<Posting>,
}

fn transition(s: ApplicationStatus, ev: ApplicationEvent) -> Result<ApplicationStatus, Refusal> {
    s.apply(ev)
        .map_err(|e| Refusal::conflict_general("invalid_state", e.to_string()))
}

/// Approves `approved` (defaults to the requested amount): at most the request and the face
/// value cap, within the enterprise's yearly cap, and reserved from every source by share.
pub fn plan_approval(
    f: &ApprovalFacts,
    approved: Option<Money>,
    voucher: VoucherId,
) -> Result<ApprovalPlan, Refusal> {
    let next = transition(f.status, ApplicationEvent::Approve)?;
    let amount = review_amount(
        f.requested,
        approved.unwrap_or(f.requested),
        f.face_value_cap,
    )?;
    if f.already_granted.fen().saturating_add(amount.fen()) > f.enterprise_year_cap.fen() {
        return Err(Refusal::conflict(
            "enterprise_year_cap",
            "amount_fen",
            format!(
                "amount_fen: the enterprise already holds {} yuan from this program; {} more would pass the yearly cap of {} yuan",
                f.already_granted, amount, f.enterprise_year_cap
            ),
        ));
    }
    let (first, held) = crate::plans::milestone::split_milestones(amount, f.first_milestone);
    let parts = split_by_coverage(first, &f.funding)?;
    let held_parts = split_by_coverage(held, &f.funding)?;
    let mut reservations = Vec::new();
    for ((s, part), held_part) in f.funding.iter().zip(parts).zip(held_parts) {
        if held_part.fen().saturating_add(part.fen()) > s.available.fen() {
            return Err(Refusal::conflict(
                "insufficient_funds",
                "amount_fen",
                format!(
                    "amount_fen: the program's budget from {} has only {} yuan left, this grant needs {}",
                    s.source_name,
                    s.available,
                    Money::from_fen(part.fen() + held_part.fen())
                ),
            ));
        }
        if held_part.is_positive() {
            reservations.push(Posting::pending(
                crate::plans::milestone::held_reservation_id(&f.application, &s.source),
                AccountId::Budget(f.program.clone(), s.source.clone()),
                AccountId::Voucher(voucher.clone()),
                held_part,
                "hold",
            ));
        }
        if !part.is_positive() {
            continue;
        }
        if part > s.available {
            return Err(Refusal::conflict(
                "insufficient_funds",
                "amount_fen",
                format!(
                    "amount_fen: the program's budget from {} has only {} yuan left, this grant needs {part}",
                    s.source_name, s.available
                ),
            ));
        }
        reservations.push(Posting::pending(
            reservation_id(&f.application, &s.source),
            AccountId::Budget(f.program.clone(), s.source.clone()),
            AccountId::Voucher(voucher.clone()),
            part,
            "reserve",
        ));
    }
    Ok(ApprovalPlan {
        next,
        amount,
        notice_ends_on: notice_ends_on(f.today, f.notice_days),
        voucher,
        reservations,
    })
}

/// An approved grant as issue or an upheld objection reads it (row locked).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GrantFacts {
    pub application: ApplicationId,
    pub status: ApplicationStatus,
    pub program: ProgramId,
    pub voucher: VoucherId,
    /// Sources whose reservation exists (a zero share reserved nothing).
    pub reserved_from: Vec<FundingSourceId>,
    /// Sources whose held (second-milestone) reservation exists.
    pub held_from: Vec<FundingSourceId>,
    pub notice_ends_on: Option<NaiveDate>,
    pub open_objections: i64,
    /// The enterprise's dishonesty-list entry in force today, if any: no voucher is issued to a
    /// listed enterprise, even one approved before it was listed.
    pub enterprise_listing: Option<Listing>,
    pub today: NaiveDate,
}

/// The next status and the postings that resolve the reservations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GrantResolution {
    pub next: ApplicationStatus,
    pub postings: Vec<Posting>,
}

fn resolve(f: &GrantFacts, post: bool) -> Vec<Posting> {
    let mut out: Vec<Posting> = f
        .reserved_from
        .iter()
        .map(|s| {
            let debit = AccountId::Budget(f.program.clone(), s.clone());
            let credit = AccountId::Voucher(f.voucher.clone());
            let pending = reservation_id(&f.application, s);
            if post {
                let id = format!("issue:{}:{s}", f.application);
                Posting::post_all(id, pending, debit, credit, "issue")
            } else {
                let id = format!("void:{}:{s}", f.application);
                Posting::void(id, pending, debit, credit, "void")
            }
        })
        .collect();
    // Revoking the grant also frees what the second milestone held; issue leaves it pending.
    if !post {
        out.extend(crate::plans::milestone::void_held(
            &f.application,
            &f.program,
            &f.voucher,
            &f.held_from,
        ));
    }
    out
}

/// Issues the voucher once the notice period is over and no objection is open: the
/// reservations are posted to the voucher.
pub fn plan_issue(f: &GrantFacts) -> Result<GrantResolution, Refusal> {
    let next = transition(f.status, ApplicationEvent::Issue)?;
    if let Some(ends) = f.notice_ends_on.filter(|e| f.today < *e) {
        return Err(Refusal::conflict_general(
            "notice_not_over",
            format!("the notice period runs until {ends}"),
        ));
    }
    if f.open_objections > 0 {
        return Err(Refusal::conflict_general(
            "objection_open",
            "an objection to this grant is still open",
        ));
    }
    if let Some(l) = &f.enterprise_listing {
        return Err(refuse_listed(
            PartyKind::Enterprise,
            "be issued a voucher",
            l,
        ));
    }
    Ok(GrantResolution {
        next,
        postings: resolve(f, true),
    })
}

/// An upheld objection revokes the grant: the reservations are voided, the budget is free.
pub fn plan_revocation(f: &GrantFacts) -> Result<GrantResolution, Refusal> {
    let next = transition(f.status, ApplicationEvent::UpholdObjection)?;
    Ok(GrantResolution {
        next,
        postings: resolve(f, false),
    })
}
