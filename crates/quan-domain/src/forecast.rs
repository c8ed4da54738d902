//! The run-out forecast: when a program's (or one funding source's share of it) money runs out at
//! the recent pace, with an interval, against the day the program's period ends.
//!
//! Pure arithmetic over facts the store loads: the money left and the amounts committed (or
//! spent) per day over the last [`FORECAST_WEEKS`] weeks. All amounts are integer fen; days are
//! found by exact integer division (a run-out day is the first day the projected total reaches
//! what is left, rounded up; the money left at the end is rounded down).
use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;

use crate::money::Money;

/// Weeks of history the pace is measured over.
pub const FORECAST_WEEKS: i64 = 12;

/// What runs out: the budget not yet committed (issued as vouchers), or the money not yet paid.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ForecastBasis {
    /// The budget neither reserved nor issued, at the pace vouchers' face value is issued; the
    /// period ends when applications close.
    Committed,
    /// The budget not yet paid out as subsidy, at the pace subsidy is paid; the period ends when
    /// the vouchers expire.
    Spent,
}

/// The forecast's standing.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RunOutVerdict {
    /// Nothing is left.
    Exhausted,
    /// The period has ended; nothing is projected.
    Ended,
    /// Nothing was committed (or spent) over the window: no pace to project.
    NoRecentActivity,
    /// At the recent pace the money runs out before the period ends.
    RunsOutBeforeEnd,
    /// At the recent pace money is left when the period ends.
    LastsToEnd,
}

pub const FORECAST_METHOD: &str = "pace = the amount of the last 12 weeks (84 days to today) / 84 per day; run-out day = today + the days the pace needs to reach the money left (rounded up); interval = the same at the second-highest and the second-lowest of the 12 weekly amounts (the earliest and the latest run-out); money left at the period's end = money left - pace x days to the end (rounded down, not below 0)";

/// A run-out forecast.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RunOutForecast {
    pub basis: ForecastBasis,
    pub remaining_fen: i64,
    /// First and last day of the window the pace is measured over.
    pub window_from: NaiveDate,
    pub window_to: NaiveDate,
    /// Committed (or spent) over the window.
    pub window_fen: i64,
    /// The window's amount per day, rounded down (for display; the days are found exactly).
    pub fen_per_day: i64,
    /// The 12 weeks' amounts, oldest first.
    pub weekly_fen: Vec<i64>,
    pub run_out_on: Option<NaiveDate>,
    /// At the second-highest weekly pace.
    pub earliest_on: Option<NaiveDate>,
    /// At the second-lowest weekly pace (none when that pace is nil).
    pub latest_on: Option<NaiveDate>,
    /// The period's last day (applications close, or vouchers expire).
    pub ends_on: NaiveDate,
    pub verdict: RunOutVerdict,
    /// Left when the period ends, at the pace (when it lasts that long).
    pub left_at_end_fen: Option<i64>,
    pub method: &'static str,
}

/// The first day `today + d` (d ≥ 1) by whose end `amount` per `days` reaches `remaining`.
fn day_reaching(today: NaiveDate, remaining: i64, amount: i64, days: i64) -> Option<NaiveDate> {
    if amount <= 0 {
        return None;
    }
    let (r, a, n) = (remaining as i128, amount as i128, days as i128);
    let d = (r * n + a - 1) / a;
    let d = i64::try_from(d).ok()?.max(1);
    // Past the year 9999 (which a calendar date cannot be written beyond, RFC 3339) the money
    // lasts, for any purpose: no day is answered.
    today
        .checked_add_signed(Duration::try_days(d)?)
        .filter(|day| day.year() <= 9999)
}

/// The forecast of `remaining` from the amounts per day in `daily` (any order; days outside the
/// window are ignored), as of `today`, against the period ending `ends_on`.
pub fn run_out(
    basis: ForecastBasis,
    remaining: Money,
    daily: &[(NaiveDate, Money)],
    today: NaiveDate,
    ends_on: NaiveDate,
) -> RunOutForecast {
    let days = FORECAST_WEEKS * 7;
    let window_from = today - Duration::days(days - 1);
    let mut weekly = vec![0i64; FORECAST_WEEKS as usize];
    for (day, amount) in daily {
        if *day < window_from || *day > today {
            continue;
        }
        let week = ((*day - window_from).num_days() / 7) as usize;
        weekly[week] = weekly[week].saturating_add(amount.fen());
    }
    let window_fen: i64 = weekly.iter().sum();
    let mut sorted = weekly.clone();
    sorted.sort_unstable();
    let (low, high) = (sorted[1], sorted[sorted.len() - 2]);
    let remaining = remaining.fen();
    let mut f = RunOutForecast {
        basis,
        remaining_fen: remaining,
        window_from,
        window_to: today,
        window_fen,
        fen_per_day: window_fen / days,
        weekly_fen: weekly,
        run_out_on: None,
        earliest_on: None,
        latest_on: None,
        ends_on,
        verdict: RunOutVerdict::NoRecentActivity,
        left_at_end_fen: None,
        method: FORECAST_METHOD,
    };
    if remaining <= 0 {
        f.verdict = RunOutVerdict::Exhausted;
        return f;
    }
    if today > ends_on {
        f.verdict = RunOutVerdict::Ended;
        return f;
    }
    if window_fen <= 0 {
        f.left_at_end_fen = Some(remaining);
        return f;
    }
    f.run_out_on = day_reaching(today, remaining, window_fen, days);
    f.earliest_on = day_reaching(today, remaining, high, 7);
    f.latest_on = day_reaching(today, remaining, low, 7);
    if f.run_out_on.is_some_and(|d| d <= ends_on) {
        f.verdict = RunOutVerdict::RunsOutBeforeEnd;
    } else {
        f.verdict = RunOutVerdict::LastsToEnd;
        let to_end = (ends_on - today).num_days() as i128;
        let projected = window_fen as i128 * to_end / days as i128;
        f.left_at_end_fen = Some((remaining as i128 - projected).max(0) as i64);
    }
    f
}

/// A funding source's share of a program: when what it allocated runs out at its own pace.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SourceForecast {
    pub source_id: String,
    pub source_name: String,
    pub allocated_fen: i64,
    pub committed: RunOutForecast,
}

/// A program's run-out forecast as of the platform's today: its budget's commitment and
/// payment, and each funding source's commitment.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgramForecast {
    pub program_id: String,
    pub program_name: String,
    pub budget_fen: i64,
    pub today: NaiveDate,
    pub committed: RunOutForecast,
    pub spent: RunOutForecast,
    pub sources: Vec<SourceForecast>,
}

#[cfg(test)]
#[path = "forecast_tests.rs"]
mod tests;
