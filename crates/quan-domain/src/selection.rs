//! The annual selection of model products and corpora (seed 003: "select 30 large model products
//! each year", "select 10 high-quality corpora"): a round per year and kind, with a call period,
//! weighted criteria, an expert panel whose scores are sealed until it closes, a ranking, a public
//! notice with objections, and an effective date after which the selected products — and only
//! they — are the eligible list of that year's model or corpus programs.
//!
//! Scores are integers: an expert gives each criterion 0–100; a score sheet's total is
//! Σ weight × score with weights summing to 100, so it is in hundredths of a point (0–10,000).
//! An entry's mean is compared exactly (cross-multiplied), shown rounded down.

use std::cmp::Ordering;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::enterprise::{validate_optional_text, validate_text};
use crate::error::ValidationError;
use crate::ids::SelectionEntryId;
use crate::inputs::{SelectionEntryInput, SelectionRoundInput};
use crate::program::{parse_date, ProductKind};
use crate::refusal::Refusal;

/// The corpus minimum of Shandong's 2025 corpus voucher rules, the default of a corpus round.
pub const DEFAULT_MIN_RECORDS: i64 = 100_000;

/// Where a round is.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RoundStatus {
    /// Call for entries and scoring; scores are sealed.
    Open,
    /// The panel has closed: scores are final and visible to the administrator.
    PanelClosed,
    /// The ranking is published for its notice period; objections are taken.
    Published,
    /// The selection is in force: the selected products are the year's eligible list.
    Effective,
}

impl RoundStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RoundStatus::Open => "open",
            RoundStatus::PanelClosed => "panel_closed",
            RoundStatus::Published => "published",
            RoundStatus::Effective => "effective",
        }
    }
    pub fn parse(s: &str) -> Option<RoundStatus> {
        [
            RoundStatus::Open,
            RoundStatus::PanelClosed,
            RoundStatus::Published,
            RoundStatus::Effective,
        ]
        .into_iter()
        .find(|v| v.as_str() == s)
    }
}

/// One scoring criterion and its weight (weights of a round sum to 100).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// Short key, e.g. `technical_quality`.
    pub key: String,
    /// Name as shown, e.g. 技术水平.
    pub name: String,
    /// Percent; the weights of a round sum to 100.
    pub weight: u32,
}

/// The rules of a round, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoundRules {
    pub name: String,
    pub kind: ProductKind,
    pub year: i32,
    /// The year's batch (1, 2 …): a year may select in several rounds.
    pub batch: u32,
    /// At most this many products are selected (30 models, 10 corpora in seed 003).
    pub cap: u32,
    pub call_from: NaiveDate,
    pub call_until: NaiveDate,
    pub notice_days: u32,
    /// Corpora: the least number of records an entry must hold.
    pub min_records: i64,
    /// Corpora: whether the data resource registration certificate is required.
    pub registration_required: bool,
    /// An entry whose mean is below this (hundredths of a point) is not selected.
    pub pass_mark: i64,
    pub criteria: Vec<Criterion>,
}

pub(crate) fn bad(field: &str, code: &'static str, msg: String) -> ValidationError {
    ValidationError::new(field, code, msg)
}

impl RoundRules {
    pub fn parse(i: &SelectionRoundInput) -> Result<RoundRules, ValidationError> {
        let kind = ProductKind::parse("kind", &i.kind)?;
        if !matches!(kind, ProductKind::Model | ProductKind::Corpus) {
            return Err(bad(
                "kind",
                "invalid_kind",
                "kind: a selection round is for model or corpus products".into(),
            ));
        }
        if !(2000..=2100).contains(&i.year) {
            return Err(bad(
                "year",
                "out_of_range",
                format!("year: {} is not between 2000 and 2100", i.year),
            ));
        }
        let batch = i.batch.unwrap_or(1);
        if !(1..=12).contains(&batch) {
            return Err(bad(
                "batch",
                "out_of_range",
                format!("batch: {batch} must be between 1 and 12"),
            ));
        }
        if !(1..=1000).contains(&i.cap) {
            return Err(bad(
                "cap",
                "out_of_range",
                format!("cap: {} must be between 1 and 1000", i.cap),
            ));
        }
        let call_from = parse_date("call_from", &i.call_from)?;
        let call_until = parse_date("call_until", &i.call_until)?;
        if call_until < call_from {
            return Err(bad(
                "call_until",
                "invalid_window",
                "call_until: the call cannot end before it starts".into(),
            ));
        }
        if i.notice_days > 30 {
            return Err(bad(
                "notice_days",
                "out_of_range",
                "notice_days: at most 30".into(),
            ));
        }
        let min_records = match (kind, i.min_records) {
            (ProductKind::Corpus, None) => DEFAULT_MIN_RECORDS,
            (_, Some(n)) if !(0..=1_000_000_000_000).contains(&n) => {
                return Err(bad(
                    "min_records",
                    "out_of_range",
                    format!("min_records: {n} is out of range"),
                ))
            }
            (_, n) => n.unwrap_or(0),
        };
        let pass_mark = i.pass_mark.unwrap_or(60);
        if pass_mark > 100 {
            return Err(bad(
                "pass_mark",
                "out_of_range",
                "pass_mark: a mark between 0 and 100".into(),
            ));
        }
        Ok(RoundRules {
            name: validate_text("name", &i.name, 200)?,
            kind,
            year: i.year,
            batch,
            cap: i.cap,
            call_from,
            call_until,
            notice_days: i.notice_days,
            min_records,
            registration_required: i.registration_required.unwrap_or(false),
            pass_mark: i64::from(pass_mark) * 100,
            criteria: parse_criteria(&i.criteria)?,
        })
    }
}

fn parse_criteria(list: &[Criterion]) -> Result<Vec<Criterion>, ValidationError> {
    if list.is_empty() || list.len() > 20 {
        return Err(bad(
            "criteria",
            "required",
            "criteria: one to twenty criteria with weights".into(),
        ));
    }
    let mut out: Vec<Criterion> = Vec::new();
    for (n, c) in list.iter().enumerate() {
        let key = validate_text(&format!("criteria[{n}].key"), &c.key, 64)?;
        if !key
            .chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_')
        {
            return Err(bad(
                &format!("criteria[{n}].key"),
                "invalid_text",
                format!("criteria[{n}].key: {key:?} may hold only a-z, 0-9 and _"),
            ));
        }
        if out.iter().any(|o| o.key == key) {
            return Err(bad(
                &format!("criteria[{n}].key"),
                "duplicate",
                format!("criteria[{n}].key: {key} is named twice"),
            ));
        }
        if c.weight == 0 || c.weight > 100 {
            return Err(bad(
                &format!("criteria[{n}].weight"),
                "out_of_range",
                format!("criteria[{n}].weight: {} must be 1–100", c.weight),
            ));
        }
        out.push(Criterion {
            key,
            name: validate_text(&format!("criteria[{n}].name"), &c.name, 100)?,
            weight: c.weight,
        });
    }
    let sum: u32 = out.iter().map(|c| c.weight).sum();
    if sum != 100 {
        return Err(bad(
            "criteria",
            "weights_sum",
            format!("criteria: the weights sum to {sum}, not 100"),
        ));
    }
    Ok(out)
}

/// An entry's evidence, checked against the round.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryEvidence {
    pub evaluation_report: String,
    pub deployment_evidence: String,
    pub record_count: Option<i64>,
    pub registration_ref: String,
    pub summary: String,
}

/// What an entry is checked against: the round, its state, the day and the product.
#[derive(Clone, Copy, Debug)]
pub struct EntryFacts<'a> {
    pub rules: &'a RoundRules,
    pub status: RoundStatus,
    pub today: NaiveDate,
    pub product_kind: ProductKind,
    pub product_suspended: bool,
}

pub(crate) fn required(field: &str, what: &str) -> Refusal {
    Refusal::invalid("required", field, format!("{field}: {what} is required"))
}

/// Checks an entry: inside the call period, the round's kind, the evidence its kind needs (a
/// model: the third-party evaluation report and deployment evidence; a corpus: the record count
/// at or above the round's minimum and, where the round requires it, the registration certificate).
pub fn check_entry(f: &EntryFacts, i: &SelectionEntryInput) -> Result<EntryEvidence, Refusal> {
    let r = f.rules;
    if f.status != RoundStatus::Open || f.today < r.call_from || f.today > r.call_until {
        return Err(Refusal::conflict_general(
            "call_closed",
            format!(
                "the round takes entries from {} to {} while it is open",
                r.call_from, r.call_until
            ),
        ));
    }
    if f.product_kind != r.kind {
        return Err(Refusal::conflict(
            "product_kind_mismatch",
            "product_id",
            format!(
                "product_id: a {} product cannot enter a {} round",
                f.product_kind.as_str(),
                r.kind.as_str()
            ),
        ));
    }
    if f.product_suspended {
        return Err(Refusal::conflict(
            "product_suspended",
            "product_id",
            "product_id: the product or its supplier is suspended",
        ));
    }
    let text = |field: &str, v: &Option<String>, max| {
        validate_optional_text(field, v.as_deref().unwrap_or(""), max).map_err(Refusal::from)
    };
    let e = EntryEvidence {
        evaluation_report: text("evaluation_report", &i.evaluation_report, 500)?,
        deployment_evidence: text("deployment_evidence", &i.deployment_evidence, 2000)?,
        record_count: i.record_count,
        registration_ref: text("registration_ref", &i.registration_ref, 200)?,
        summary: text("summary", &i.summary, 4000)?,
    };
    match r.kind {
        ProductKind::Model => {
            if e.evaluation_report.is_empty() {
                return Err(required(
                    "evaluation_report",
                    "the third-party evaluation report reference",
                ));
            }
            if e.deployment_evidence.is_empty() {
                return Err(required("deployment_evidence", "evidence of deployment"));
            }
        }
        _ => {
            let n = e
                .record_count
                .ok_or_else(|| required("record_count", "the corpus's record count"))?;
            if n < r.min_records {
                return Err(Refusal::invalid(
                    "too_few_records",
                    "record_count",
                    format!(
                        "record_count: {n} records; the round needs at least {}",
                        r.min_records
                    ),
                ));
            }
            if r.registration_required && e.registration_ref.is_empty() {
                return Err(required(
                    "registration_ref",
                    "the data resource registration certificate",
                ));
            }
        }
    }
    Ok(e)
}

pub use crate::selection_panel::*;

/// One entry as the ranking sees it: the totals of its score sheets and, for the tie rule, the
/// scores on the round's heaviest criterion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryTally {
    pub entry: SelectionEntryId,
    pub entered_at: String,
    pub totals: Vec<i64>,
    pub lead_scores: Vec<i64>,
    /// Removed by an upheld objection: ranked, never selected.
    pub excluded: bool,
}

/// What the ranking decided for an entry.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Outcome {
    /// Within the cap: selected once the round takes effect.
    Selected,
    /// At or above the pass mark but beyond the cap: moves up if a selected entry is removed.
    Reserve,
    BelowPassMark,
    /// Removed by an upheld objection.
    Excluded,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ranked {
    pub entry: SelectionEntryId,
    pub rank: u32,
    /// Rounded down, hundredths of a point.
    pub mean: i64,
    pub outcome: Outcome,
}

fn cmp_mean(a: &[i64], b: &[i64]) -> Ordering {
    // a/na vs b/nb, exactly; an empty list ranks last.
    match (a.is_empty(), b.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        _ => {}
    }
    let sa: i128 = a.iter().map(|v| i128::from(*v)).sum();
    let sb: i128 = b.iter().map(|v| i128::from(*v)).sum();
    (sb * a.len() as i128).cmp(&(sa * b.len() as i128))
}

/// The ranking rule: higher weighted mean first; ties go to the higher mean on the round's
/// heaviest criterion (the first listed among equals), then to the earlier entry, then to the
/// entry id. Entries excluded by an upheld objection keep their rank but are never selected;
/// the first `cap` others at or above the pass mark are selected, the rest at or above it are
/// reserves. Every entry must have been scored (closing the panel sees to it).
pub fn rank_entries(tallies: &[EntryTally], cap: u32, pass_mark: i64) -> Vec<Ranked> {
    let mut order: Vec<&EntryTally> = tallies.iter().collect();
    order.sort_by(|a, b| {
        cmp_mean(&a.totals, &b.totals)
            .then_with(|| cmp_mean(&a.lead_scores, &b.lead_scores))
            .then_with(|| a.entered_at.cmp(&b.entered_at))
            .then_with(|| a.entry.as_str().cmp(b.entry.as_str()))
    });
    let mut selected = 0u32;
    order
        .iter()
        .enumerate()
        .map(|(n, t)| {
            let mean = if t.totals.is_empty() {
                0
            } else {
                t.totals.iter().sum::<i64>() / t.totals.len() as i64
            };
            // Compare the exact mean with the mark: sum >= mark × n.
            let passes = !t.totals.is_empty()
                && t.totals.iter().sum::<i64>() >= pass_mark * t.totals.len() as i64;
            let outcome = if t.excluded {
                Outcome::Excluded
            } else if !passes {
                Outcome::BelowPassMark
            } else if selected < cap {
                selected += 1;
                Outcome::Selected
            } else {
                Outcome::Reserve
            };
            Ranked {
                entry: t.entry.clone(),
                rank: n as u32 + 1,
                mean,
                outcome,
            }
        })
        .collect()
}

/// Publishing: only once the panel has closed; the notice runs `notice_days` from today.
pub fn plan_publish(
    status: RoundStatus,
    today: NaiveDate,
    notice_days: u32,
) -> Result<NaiveDate, Refusal> {
    match status {
        RoundStatus::PanelClosed => Ok(today + chrono::Days::new(u64::from(notice_days))),
        RoundStatus::Open => Err(Refusal::conflict_general(
            "panel_open",
            "the panel has not closed: scores are sealed and the ranking is not final",
        )),
        s => Err(Refusal::conflict_general(
            "invalid_state",
            format!("the round is already {}", s.as_str()),
        )),
    }
}

pub use crate::selection_notice::*;

#[cfg(test)]
#[path = "selection_tests.rs"]
mod tests;
