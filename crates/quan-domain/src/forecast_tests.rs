use super::*;
use proptest::prelude::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn fen(n: i64) -> Money {
    Money::from_fen(n)
}

/// ¥1,000 a day for the 84 days to today.
fn steady(today: NaiveDate, per_day: i64) -> Vec<(NaiveDate, Money)> {
    (0..84)
        .map(|k| (today - Duration::days(k), fen(per_day)))
        .collect()
}

#[test]
fn a_steady_pace_runs_out_on_the_day_it_reaches_what_is_left() {
    let today = d("2026-11-23");
    // ¥100,000 left at ¥1,000 a day: 100 days.
    let f = run_out(
        ForecastBasis::Committed,
        fen(10_000_000),
        &steady(today, 100_000),
        today,
        d("2026-12-31"),
    );
    assert_eq!(f.window_fen, 8_400_000);
    assert_eq!(f.fen_per_day, 100_000);
    assert_eq!(f.run_out_on, Some(today + Duration::days(100)));
    // Every week the same: the interval is the day itself.
    assert_eq!((f.earliest_on, f.latest_on), (f.run_out_on, f.run_out_on));
    assert_eq!(f.verdict, RunOutVerdict::LastsToEnd);
    // 38 days to the end at ¥1,000: ¥62,000 left.
    assert_eq!(f.left_at_end_fen, Some(6_200_000));
    assert_eq!(f.window_from, d("2026-09-01"));
}

#[test]
fn the_run_out_day_is_rounded_up_and_the_money_left_down() {
    let today = d("2026-01-01");
    // 10 fen over the window; 1 fen left: 84 / 10 = 8.4 days → the 9th day.
    let f = run_out(
        ForecastBasis::Spent,
        fen(1),
        &[(today, fen(10))],
        today,
        d("2026-12-31"),
    );
    assert_eq!(f.run_out_on, Some(today + Duration::days(9)));
    assert_eq!(f.verdict, RunOutVerdict::RunsOutBeforeEnd);
    assert_eq!(f.left_at_end_fen, None);
    // 7 fen left at 10 fen per 84 days to an end 30 days away: 30 x 10 / 84 = 3.57 → 3 spent, 4 left.
    let f = run_out(
        ForecastBasis::Spent,
        fen(7),
        &[(today, fen(10))],
        today,
        today + Duration::days(30),
    );
    assert_eq!(f.left_at_end_fen, Some(4));
}

#[test]
fn the_interval_follows_the_weeks_second_highest_and_second_lowest_pace() {
    let today = d("2026-11-23");
    let from = today - Duration::days(83);
    // Week k commits k+1 yuan (100 fen x (k + 1)), on its first day.
    let daily: Vec<_> = (0..12)
        .map(|k| (from + Duration::days(7 * k), fen(100 * (k + 1))))
        .collect();
    let f = run_out(
        ForecastBasis::Committed,
        fen(2_200),
        &daily,
        today,
        d("2027-12-31"),
    );
    assert_eq!(f.weekly_fen, (1..=12).map(|k| 100 * k).collect::<Vec<_>>());
    // Second-highest week 1,100 fen: 2,200 × 7 / 1,100 = 14 days; second-lowest 200: 77 days.
    assert_eq!(f.earliest_on, Some(today + Duration::days(14)));
    assert_eq!(f.latest_on, Some(today + Duration::days(77)));
    assert!(f.earliest_on <= f.run_out_on && f.run_out_on <= f.latest_on);
}

#[test]
fn nothing_left_no_pace_and_an_ended_period_are_said_so() {
    let today = d("2026-11-23");
    let end = d("2026-12-31");
    let f = run_out(
        ForecastBasis::Committed,
        fen(0),
        &steady(today, 5),
        today,
        end,
    );
    assert_eq!((f.verdict, f.run_out_on), (RunOutVerdict::Exhausted, None));
    let f = run_out(ForecastBasis::Committed, fen(500), &[], today, end);
    assert_eq!(
        (f.verdict, f.left_at_end_fen),
        (RunOutVerdict::NoRecentActivity, Some(500))
    );
    // Amounts outside the window do not make a pace.
    let old = [
        (today - Duration::days(84), fen(1_000)),
        (today + Duration::days(1), fen(1_000)),
    ];
    assert_eq!(
        run_out(ForecastBasis::Spent, fen(500), &old, today, end).window_fen,
        0
    );
    let f = run_out(
        ForecastBasis::Spent,
        fen(500),
        &steady(today, 5),
        today,
        d("2026-11-22"),
    );
    assert_eq!(f.verdict, RunOutVerdict::Ended);
    // A pace of one week only: the second-lowest week is nil, so no latest day.
    let f = run_out(
        ForecastBasis::Spent,
        fen(500),
        &[(today, fen(100))],
        today,
        end,
    );
    assert_eq!((f.latest_on, f.earliest_on.is_some()), (None, false));
    assert!(f.run_out_on.is_some());
}

proptest! {
    /// The run-out day is the first day the pace reaches what is left: exact over random histories.
    #[test]
    fn the_run_out_day_is_exact(
        remaining in 1i64..10_000_000_000,
        amounts in proptest::collection::vec((0i64..84, 0i64..1_000_000_000), 0..40),
    ) {
        let today = d("2026-11-23");
        let daily: Vec<_> = amounts.iter().map(|(k, a)| (today - Duration::days(*k), fen(*a))).collect();
        let f = run_out(ForecastBasis::Committed, fen(remaining), &daily, today, d("2099-12-31"));
        let total: i64 = amounts.iter().map(|x| x.1).sum();
        prop_assert_eq!(f.window_fen, total);
        prop_assert_eq!(f.weekly_fen.iter().sum::<i64>(), total);
        if total == 0 {
            prop_assert_eq!(f.verdict, RunOutVerdict::NoRecentActivity);
        } else {
            let reached = |n: i128| total as i128 * n >= remaining as i128 * 84;
            match f.run_out_on {
                Some(day) => {
                    let days = (day - today).num_days() as i128;
                    prop_assert!(reached(days));
                    prop_assert!(days == 1 || !reached(days - 1));
                }
                // No day past the year 9999: the pace does not reach the money before it.
                None => prop_assert!(!reached((d("9999-12-31") - today).num_days() as i128)),
            }
            // More money left never runs out sooner (no day = never).
            let more = run_out(ForecastBasis::Committed, fen(remaining + 1), &daily, today, d("2099-12-31"));
            let never = |x: Option<NaiveDate>| x.unwrap_or(NaiveDate::MAX);
            prop_assert!(never(more.run_out_on) >= never(f.run_out_on));
            if let (Some(e), Some(l)) = (f.earliest_on, f.latest_on) {
                prop_assert!(e <= l);
            }
        }
    }
}

/// A pace so slow the money would last past the year 9999 answers no day (a date beyond it
/// cannot be written as RFC 3339, and the money lasts for any purpose).
#[test]
fn a_run_out_past_the_year_9999_is_no_day() {
    let today = d("2026-12-07");
    let f = run_out(
        ForecastBasis::Spent,
        fen(29_770_450_000),
        &[(today, fen(1))],
        today,
        d("2026-12-15"),
    );
    assert_eq!(f.run_out_on, None);
    assert_eq!(f.verdict, RunOutVerdict::LastsToEnd);
}
