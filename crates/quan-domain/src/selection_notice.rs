//! The public side of a selection round: objections during the notice, the recomputed ranking
//! after an upheld one, taking effect, and the rule that a model or corpus program lists only
//! what its year's round selected.

use chrono::NaiveDate;

use crate::enterprise::validate_text;
use crate::error::ValidationError;
use crate::program::ProductKind;
use crate::refusal::Refusal;
use crate::selection::{bad, rank_entries, EntryTally, Outcome, Ranked, RoundStatus};

/// An objection is filed against a selected entry of a published round, during its notice.
pub fn check_objection(
    status: RoundStatus,
    today: NaiveDate,
    notice_ends_on: Option<NaiveDate>,
    outcome: Option<Outcome>,
) -> Result<(), Refusal> {
    if status != RoundStatus::Published || notice_ends_on.is_some_and(|end| today > end) {
        return Err(Refusal::conflict_general(
            "notice_closed",
            "objections are taken only during the round's notice period",
        ));
    }
    if outcome != Some(Outcome::Selected) {
        return Err(Refusal::conflict_general(
            "not_selected",
            "only a selected entry can be objected to",
        ));
    }
    Ok(())
}

/// After an upheld objection: the ranking again with the entry excluded; the entry that moves
/// up (a reserve now selected) gets a notice of its own, so the round's notice ends no earlier
/// than `notice_days` from today.
pub fn plan_exclusion(
    tallies: &[EntryTally],
    cap: u32,
    pass_mark: i64,
    before: &[Ranked],
    today: NaiveDate,
    notice_days: u32,
    notice_ends_on: NaiveDate,
) -> (Vec<Ranked>, NaiveDate) {
    let after = rank_entries(tallies, cap, pass_mark);
    let moved_up = after.iter().any(|r| {
        r.outcome == Outcome::Selected
            && before
                .iter()
                .any(|b| b.entry == r.entry && b.outcome != Outcome::Selected)
    });
    let end = if moved_up {
        notice_ends_on.max(today + chrono::Days::new(u64::from(notice_days)))
    } else {
        notice_ends_on
    };
    (after, end)
}

/// Taking effect: after the notice and with no objection open.
pub fn plan_take_effect(
    status: RoundStatus,
    today: NaiveDate,
    notice_ends_on: Option<NaiveDate>,
    open_objections: i64,
) -> Result<(), Refusal> {
    if status != RoundStatus::Published {
        return Err(Refusal::conflict_general(
            "invalid_state",
            format!("the round is {}, not published", status.as_str()),
        ));
    }
    if let Some(end) = notice_ends_on.filter(|end| today <= *end) {
        return Err(Refusal::conflict_general(
            "notice_running",
            format!("the notice runs until {end}"),
        ));
    }
    if open_objections > 0 {
        return Err(Refusal::conflict_general(
            "objections_open",
            format!("{open_objections} objections are not yet resolved"),
        ));
    }
    Ok(())
}

/// Listing a product on a model or corpus program by hand: only a product selected by that
/// year's round (e.g. put back after a removal); any other kind of program lists freely.
pub fn check_listing(program_kind: ProductKind, selected_this_year: bool) -> Result<(), Refusal> {
    if matches!(program_kind, ProductKind::Model | ProductKind::Corpus) && !selected_this_year {
        return Err(Refusal::conflict(
            "not_selected",
            "product_id",
            "product_id: a model or corpus program lists only the products its year's selection round selected",
        ));
    }
    Ok(())
}

/// Removing a product from a model or corpus program's list is a recorded decision: it needs a
/// reason.
pub fn delisting_reason(
    program_kind: ProductKind,
    reason: Option<&str>,
) -> Result<Option<String>, ValidationError> {
    let r = reason.unwrap_or("").trim();
    if r.is_empty() {
        if matches!(program_kind, ProductKind::Model | ProductKind::Corpus) {
            return Err(bad(
                "reason",
                "required",
                "reason: removing a selected product needs a reason".into(),
            ));
        }
        return Ok(None);
    }
    Ok(Some(validate_text("reason", r, 2000)?))
}
