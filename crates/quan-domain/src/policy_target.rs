//! The policy's promised figures (`data/policy_targets.csv`, the committed copy of the seeds'
//! targets: id, seed, area, description, target, unit, deadline) and how a figure measures up to
//! one: progress, time left and an on-track / at-risk verdict by a rule written next to it.
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::error::ValidationError;

/// The committed targets file.
pub const POLICY_TARGETS_CSV: &str = include_str!("../../../data/policy_targets.csv");

/// One promised figure.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PolicyTarget {
    pub id: String,
    /// The policy document (seed) that promises it.
    pub seed: String,
    pub area: String,
    pub description: String,
    pub target: f64,
    /// `CNY`, `EFLOPS`, `percent`, `products/year`, … (`/year`: a yearly figure).
    pub unit: String,
    /// None for a yearly or standing target.
    pub deadline: Option<NaiveDate>,
}

impl PolicyTarget {
    /// A figure counted per calendar year (`…/year`).
    pub fn yearly(&self) -> bool {
        self.unit.ends_with("/year")
    }
}

/// Every target of the committed file, in its order.
pub fn policy_targets() -> Vec<PolicyTarget> {
    parse_targets(POLICY_TARGETS_CSV).expect("data/policy_targets.csv is well-formed")
}

/// Parses the targets file (header line first; no quoted commas in it).
pub fn parse_targets(csv: &str) -> Result<Vec<PolicyTarget>, ValidationError> {
    let malformed_line = |line: usize, what: &str| {
        ValidationError::new(
            "policy_targets",
            "invalid",
            format!("policy_targets line {line}: {what}"),
        )
    };
    let mut out = Vec::new();
    for (i, line) in csv.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split(',').map(str::trim).collect();
        if f.len() != 7 {
            return Err(malformed_line(i + 1, "expected 7 fields"));
        }
        let target: f64 = f[4]
            .parse()
            .map_err(|_| malformed_line(i + 1, "target is not a number"))?;
        if !(target.is_finite() && target > 0.0) {
            return Err(malformed_line(i + 1, "target must be positive"));
        }
        let deadline = match f[6] {
            "" => None,
            d => Some(
                NaiveDate::parse_from_str(d, "%Y-%m-%d")
                    .map_err(|_| malformed_line(i + 1, "deadline is not a date"))?,
            ),
        };
        out.push(PolicyTarget {
            id: f[0].into(),
            seed: f[1].into(),
            area: f[2].into(),
            description: f[3].into(),
            target,
            unit: f[5].into(),
            deadline,
        });
    }
    Ok(out)
}

/// How a target stands.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The figure has reached the target.
    Met,
    /// At least as far as a straight line from the start to the target by the deadline.
    OnTrack,
    /// Behind that line, or past the deadline unmet.
    AtRisk,
    /// No figure yet.
    NoData,
}

/// A target's standing on a day.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Progress {
    /// Figure ÷ target (1.0 = met), when there is a figure.
    pub ratio: Option<f64>,
    /// Share of the period gone by (0–1): start to deadline, or the calendar year of a yearly
    /// target; None for a standing target without a deadline.
    pub elapsed: Option<f64>,
    /// Days to the deadline (or the year's end for a yearly target); negative when past.
    pub days_left: Option<i64>,
    pub verdict: Verdict,
    /// The rule, in English; the console says it from the verdict.
    pub rule: &'static str,
}

/// The rule behind [`progress`].
pub const VERDICT_RULE: &str = "met when figure >= target; otherwise on track while figure / target >= the share of the period elapsed (start to deadline; the calendar year for a yearly target; any figure for a standing target without deadline), at risk when below it or past the deadline";

/// How `figure` measures up to `t` on `today`, the period starting on `start` (the programme's
/// start, for a target with a deadline).
pub fn progress(
    t: &PolicyTarget,
    figure: Option<f64>,
    start: NaiveDate,
    today: NaiveDate,
) -> Progress {
    let (from, until) = if t.yearly() {
        let y = today.year();
        (
            NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or(today),
            Some(NaiveDate::from_ymd_opt(y, 12, 31).unwrap_or(today)),
        )
    } else {
        (start, t.deadline)
    };
    let days_left = until.map(|u| (u - today).num_days());
    let elapsed = until.map(|u| {
        let total = (u - from).num_days().max(1) as f64;
        ((today - from).num_days() as f64 / total).clamp(0.0, 1.0)
    });
    let ratio = figure.map(|f| f / t.target);
    let verdict = match (ratio, elapsed) {
        (None, _) => Verdict::NoData,
        (Some(r), _) if r >= 1.0 => Verdict::Met,
        (Some(_), _) if days_left.is_some_and(|d| d < 0) => Verdict::AtRisk,
        (Some(r), Some(e)) if r + 1e-9 < e => Verdict::AtRisk,
        (Some(_), _) => Verdict::OnTrack,
    };
    Progress {
        ratio,
        elapsed,
        days_left,
        verdict,
        rule: VERDICT_RULE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn an_entered_figure_is_checked_field_by_field() {
        let all = policy_targets();
        let share = all.iter().find(|t| t.unit == "percent").unwrap();
        let today = d("2026-06-01");
        let e = check_figure(share, 120.0, d("2025-06-30"), "公报", today).unwrap_err();
        assert_eq!((e.field.as_str(), e.code), ("value", "out_of_range"));
        assert!(check_figure(share, 100.0, d("2025-06-30"), "公报", today).is_ok());
        let e = check_figure(share, f64::NAN, d("2025-06-30"), "公报", today).unwrap_err();
        assert_eq!(e.field, "value");
        let e = check_figure(share, 50.0, d("2026-06-02"), "公报", today).unwrap_err();
        assert_eq!((e.field.as_str(), e.code), ("as_of", "in_future"));
        assert_eq!(
            check_figure(share, 50.0, today, " ", today)
                .unwrap_err()
                .field,
            "source"
        );
    }

    #[test]
    fn the_committed_file_has_every_target() {
        let all = policy_targets();
        assert_eq!(all.len(), 19);
        let budget = all.iter().find(|t| t.id == "ai_budget").unwrap();
        assert_eq!((budget.target, budget.unit.as_str()), (1e9, "CNY"));
        assert_eq!(budget.deadline, Some(d("2026-12-31")));
        assert!(all
            .iter()
            .find(|t| t.id == "model_products_per_year")
            .unwrap()
            .yearly());
        assert!(parse_targets("h\na,b,c,d,-1,u,").is_err());
        assert!(parse_targets("h\na,b,c,d,1,u,2026-13-01").is_err());
    }

    #[test]
    fn verdicts_follow_the_straight_line() {
        let t = PolicyTarget {
            id: "x".into(),
            seed: "002".into(),
            area: "compute".into(),
            description: String::new(),
            target: 12.0,
            unit: "EFLOPS".into(),
            deadline: Some(d("2025-12-31")),
        };
        let start = d("2024-01-01");
        // Half-way through the period: 7 of 12 is ahead of the line, 5 behind it.
        let mid = d("2024-12-31");
        assert_eq!(
            progress(&t, Some(7.0), start, mid).verdict,
            Verdict::OnTrack
        );
        assert_eq!(progress(&t, Some(5.0), start, mid).verdict, Verdict::AtRisk);
        assert_eq!(progress(&t, Some(12.5), start, mid).verdict, Verdict::Met);
        assert_eq!(progress(&t, None, start, mid).verdict, Verdict::NoData);
        // Past the deadline unmet: at risk, days left negative.
        let late = progress(&t, Some(11.9), start, d("2026-01-10"));
        assert_eq!((late.verdict, late.days_left), (Verdict::AtRisk, Some(-10)));
        // A yearly target is measured against the calendar year.
        let y = PolicyTarget {
            unit: "products/year".into(),
            deadline: None,
            target: 30.0,
            ..t
        };
        let june = progress(&y, Some(10.0), start, d("2026-07-02"));
        assert_eq!(june.verdict, Verdict::AtRisk);
        assert_eq!(
            progress(&y, Some(16.0), start, d("2026-07-02")).verdict,
            Verdict::OnTrack
        );
    }

    proptest! {
        /// More of the figure never makes a target's standing worse; a met target stays met.
        #[test]
        fn more_is_never_worse(a in 0.0f64..20.0, extra in 0.0f64..20.0, day in 0i64..900) {
            let t = PolicyTarget {
                id: "x".into(), seed: "s".into(), area: "a".into(), description: String::new(),
                target: 12.0, unit: "EFLOPS".into(), deadline: Some(d("2025-12-31")),
            };
            let start = d("2024-01-01");
            let today = start + chrono::Duration::days(day);
            let rank = |v: Verdict| match v { Verdict::AtRisk => 0, Verdict::OnTrack => 1, Verdict::Met => 2, Verdict::NoData => -1 };
            let lo = progress(&t, Some(a), start, today).verdict;
            let hi = progress(&t, Some(a + extra), start, today).verdict;
            prop_assert!(rank(hi) >= rank(lo), "{lo:?} then {hi:?}");
        }
    }
}

/// Where a target's figure comes from.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FigureSource {
    /// Computed from the platform's own records (the method says how).
    Platform,
    /// Entered by an administrator with a source document.
    Entered,
}

/// A figure an administrator entered for a target.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TargetFigure {
    pub id: String,
    pub target_id: String,
    pub value: f64,
    /// The day the figure is true of.
    pub as_of: NaiveDate,
    /// The document it comes from (a statistics bulletin, a department's letter …).
    pub source: String,
    pub entered_by: String,
    pub entered_at: String,
}

/// A target with its current figure and standing.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TargetStatus {
    #[serde(flatten)]
    pub target: PolicyTarget,
    pub source: FigureSource,
    /// How the platform computes it (for platform figures), in English.
    pub method: Option<&'static str>,
    pub figure: Option<f64>,
    /// The day the figure is true of (today for platform figures).
    pub as_of: Option<NaiveDate>,
    /// The entered figure's source document.
    pub source_document: Option<String>,
    pub progress: Progress,
}

/// The start of the period a target with a deadline is measured over: the provincial AI action
/// plan's first year (the seeds' targets run from 2024).
pub fn targets_start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 1, 1).expect("a date")
}

/// Checks an entered figure: finite and not negative; a percent at most 100; the day not after
/// today; a source document named.
pub fn check_figure(
    t: &PolicyTarget,
    value: f64,
    as_of: NaiveDate,
    source: &str,
    today: NaiveDate,
) -> Result<String, ValidationError> {
    if !value.is_finite() || value < 0.0 {
        return Err(ValidationError::new(
            "value",
            "out_of_range",
            "value: must be a number not below 0",
        ));
    }
    if t.unit == "percent" && value > 100.0 {
        return Err(ValidationError::new(
            "value",
            "out_of_range",
            format!("value: {value} is more than 100 percent"),
        ));
    }
    if as_of > today {
        return Err(ValidationError::new(
            "as_of",
            "in_future",
            format!("as_of: {as_of} is after today {today}"),
        ));
    }
    crate::enterprise::validate_text("source", source, 500)
}
