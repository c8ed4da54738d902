//! The panel of a selection round: recusal from the registered file, score sheets (only by an
//! assigned expert who has not recused, while the panel sits), and closing the panel.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::enterprise::related_parties;
use crate::ids::SelectionEntryId;
use crate::inputs::CriterionScoreInput;
use crate::refusal::Refusal;
use crate::selection::{required, Criterion, RoundStatus};

/// Why an expert must recuse from a supplier's entry: a shared legal representative or
/// shareholder, the expert among the supplier's shareholders or its actual controller. Empty =
/// no relation found in the registered file (a relation the expert knows of is declared by
/// recusing).
pub fn expert_conflicts(
    expert_name: &str,
    supplier_legal_rep: &str,
    supplier_shareholders: &[String],
    supplier_controller: &str,
) -> Vec<String> {
    let mut out = related_parties(
        expert_name,
        std::slice::from_ref(&expert_name.to_string()),
        supplier_legal_rep,
        supplier_shareholders,
    );
    let name = expert_name.trim();
    if !name.is_empty() && supplier_controller.trim() == name {
        out.push(format!("{name} is the supplier's actual controller"));
    }
    out
}

/// An expert's standing on one entry.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AssignmentStatus {
    Assigned,
    Recused,
}

/// A score sheet, checked: one score per criterion and its weighted total.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScoreSheet {
    pub scores: Vec<(String, u32)>,
    /// Σ weight × score, hundredths of a point.
    pub total: i64,
}

/// Scores an entry: only while the panel sits, only by an expert assigned to it who has not
/// recused, one score 0–100 for each criterion of the round and no other.
pub fn plan_score(
    status: RoundStatus,
    assignment: Option<AssignmentStatus>,
    criteria: &[Criterion],
    input: &[CriterionScoreInput],
) -> Result<ScoreSheet, Refusal> {
    match assignment {
        None => {
            return Err(Refusal {
                kind: crate::refusal::RefusalKind::Forbidden,
                code: "not_assigned",
                field: None,
                message: "the entry is not assigned to you".into(),
            })
        }
        Some(AssignmentStatus::Recused) => {
            return Err(Refusal::conflict_general(
                "must_recuse",
                "you are recused from this entry and cannot score it",
            ))
        }
        Some(AssignmentStatus::Assigned) => {}
    }
    if status != RoundStatus::Open {
        return Err(Refusal::conflict_general(
            "panel_closed",
            "the panel has closed; scores are final",
        ));
    }
    for (n, s) in input.iter().enumerate() {
        if !criteria.iter().any(|c| c.key == s.criterion) {
            return Err(Refusal::invalid(
                "unknown_criterion",
                &format!("scores[{n}].criterion"),
                format!(
                    "scores[{n}].criterion: the round has no criterion {:?}",
                    s.criterion
                ),
            ));
        }
        if input[..n].iter().any(|o| o.criterion == s.criterion) {
            return Err(Refusal::invalid(
                "duplicate",
                &format!("scores[{n}].criterion"),
                format!("scores[{n}].criterion: {} is scored twice", s.criterion),
            ));
        }
        if !(0..=100).contains(&s.score) {
            return Err(Refusal::invalid(
                "score_out_of_range",
                &format!("scores[{n}].score"),
                format!("scores[{n}].score: {} is not between 0 and 100", s.score),
            ));
        }
    }
    let mut scores = Vec::new();
    let mut total = 0i64;
    for c in criteria {
        let s = input
            .iter()
            .find(|s| s.criterion == c.key)
            .ok_or_else(|| required("scores", &format!("a score for {}", c.key)))?;
        let v = s.score as u32;
        total += i64::from(c.weight) * i64::from(v);
        scores.push((c.key.clone(), v));
    }
    Ok(ScoreSheet { scores, total })
}

/// One assignment as closing the panel sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssignmentFact {
    pub entry: SelectionEntryId,
    pub status: AssignmentStatus,
    pub scored: bool,
}

/// Closes the panel: the call must be over, every entry must have an expert who is not
/// recused, and every such expert must have scored.
pub fn plan_close_panel(
    status: RoundStatus,
    today: NaiveDate,
    call_until: NaiveDate,
    entries: &[SelectionEntryId],
    assignments: &[AssignmentFact],
) -> Result<(), Refusal> {
    if status != RoundStatus::Open {
        return Err(Refusal::conflict_general(
            "invalid_state",
            format!("the round is {}, not open", status.as_str()),
        ));
    }
    if today <= call_until {
        return Err(Refusal::conflict_general(
            "call_open",
            format!("the call for entries runs until {call_until}"),
        ));
    }
    if let Some(e) = entries.iter().find(|e| {
        !assignments
            .iter()
            .any(|a| &a.entry == *e && a.status == AssignmentStatus::Assigned)
    }) {
        return Err(Refusal::conflict_general(
            "entry_unassigned",
            format!("entry {e} has no expert who is not recused"),
        ));
    }
    let missing = assignments
        .iter()
        .filter(|a| a.status == AssignmentStatus::Assigned && !a.scored)
        .count();
    if missing > 0 {
        return Err(Refusal::conflict_general(
            "scores_missing",
            format!("{missing} assigned score sheets are not in yet"),
        ));
    }
    Ok(())
}
