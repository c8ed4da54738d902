//! Read models of the annual selection: rounds, entries (with what the reader may see of the
//! sealed scores), objections and the public selected list.

use chrono::NaiveDate;
use serde::Serialize;

use crate::ids::{ProductId, SelectionEntryId, SelectionRoundId, SupplierId, UserId};
use crate::program::ProductKind;
use crate::selection::{AssignmentStatus, Criterion, Outcome, RoundStatus};

/// A panel expert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PanelExpert {
    pub user_id: UserId,
    pub display_name: String,
}

/// A selection round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SelectionRound {
    pub id: SelectionRoundId,
    pub name: String,
    pub kind: ProductKind,
    pub year: i32,
    pub batch: u32,
    pub cap: u32,
    pub call_from: NaiveDate,
    pub call_until: NaiveDate,
    pub notice_days: u32,
    pub min_records: i64,
    pub registration_required: bool,
    /// Least mean score to be selected, points 0–100.
    pub pass_mark: u32,
    pub criteria: Vec<Criterion>,
    pub status: RoundStatus,
    pub published_on: Option<NaiveDate>,
    pub notice_ends_on: Option<NaiveDate>,
    pub effective_on: Option<NaiveDate>,
    pub entry_count: i64,
    pub selected_count: i64,
    /// Panel experts; shown to administrators and auditors only.
    pub experts: Vec<PanelExpert>,
    pub created_at: String,
}

/// One criterion's score on a sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CriterionScore {
    pub criterion: String,
    pub score: u32,
}

/// An expert's assignment to an entry and, where the reader may see it, the score sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Assignment {
    pub expert_id: UserId,
    pub expert_name: String,
    pub status: AssignmentStatus,
    pub recusal_reason: Option<String>,
    pub scored: bool,
    /// Sealed (absent) until the panel closes, except to the expert who gave it.
    pub scores: Option<Vec<CriterionScore>>,
    /// Σ weight × score, hundredths of a point; sealed as `scores`.
    pub total: Option<i64>,
    pub comment: Option<String>,
    pub scored_at: Option<String>,
}

/// A product entered in a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SelectionEntry {
    pub id: SelectionEntryId,
    pub round_id: SelectionRoundId,
    pub product_id: ProductId,
    pub product_name: String,
    pub supplier_id: SupplierId,
    pub supplier_name: String,
    pub evaluation_report: String,
    pub deployment_evidence: String,
    pub record_count: Option<i64>,
    pub registration_ref: String,
    pub summary: String,
    pub entered_at: String,
    pub excluded: bool,
    pub exclusion_reason: Option<String>,
    /// Set when the ranking is published.
    pub rank: Option<u32>,
    /// Mean of the score sheets, hundredths of a point, rounded down; set at publication.
    pub mean_score: Option<i64>,
    pub outcome: Option<Outcome>,
    /// Score sheets in and due (assignments not recused).
    pub sheets_in: i64,
    pub sheets_due: i64,
    /// The assignments the reader may see: all (administrator, auditor), the expert's own, none
    /// (supplier).
    pub assignments: Vec<Assignment>,
}

/// An objection to a selected entry during the round's notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SelectionObjection {
    pub id: String,
    pub entry_id: SelectionEntryId,
    pub round_id: SelectionRoundId,
    pub product_name: String,
    pub filed_by: String,
    pub reason: String,
    /// open, upheld or dismissed
    pub status: String,
    pub resolution_note: Option<String>,
    pub created_at: String,
    pub resolved_at: Option<String>,
}

/// A selected product as the public sees it: during the notice (`published`) and once in force
/// (`effective`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicSelection {
    pub round_id: SelectionRoundId,
    pub round_name: String,
    pub year: i32,
    pub batch: u32,
    pub kind: ProductKind,
    pub round_status: RoundStatus,
    pub entry_id: SelectionEntryId,
    pub rank: u32,
    pub mean_score: i64,
    pub product_id: ProductId,
    pub product_name: String,
    pub supplier_name: String,
    pub published_on: Option<NaiveDate>,
    pub notice_ends_on: Option<NaiveDate>,
    pub effective_on: Option<NaiveDate>,
}
