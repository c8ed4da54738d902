//! Metered usage, the rating step: records in input order draw on vouchers whose balances and
//! caps the store loaded under its locks. Every cap a voucher counts against (the program's
//! yearly cap for the enterprise, the cap per supplier, the actual-controller group's cap, the
//! cap per voucher type across programs) is one entry of `caps`; a voucher names the ones it
//! counts against, so a new cap is a new entry, not a new branch.

use crate::money::{Money, Rate};
use crate::redemption::quote_subsidy;

/// A voucher a record may draw on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsageVoucher {
    /// Available balance, locked.
    pub available: Money,
    /// The program's rate for this enterprise (with any pilot-zone bonus).
    pub rate: Rate,
    /// Indexes into the caps this voucher's subsidy counts against.
    pub caps: Vec<usize>,
}

/// One rated record: its price and the vouchers it may draw on, in order of preference
/// (oldest expiry first).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsageLine {
    pub amount: Money,
    pub options: Vec<usize>,
}

/// What one record draws: from which voucher, the subsidy and the enterprise's share.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UsageDraw {
    pub voucher: usize,
    pub subsidy: Money,
    pub enterprise_pays: Money,
}

/// The draws of every line, in order. A line takes the first voucher with a balance and room
/// under all its caps (or its first option, paying nothing, when none has); the subsidy is the
/// rate's share rounded down, then cut to the balance and to what is left of every cap. Lines
/// with no options are the caller's error and draw nothing (`None`).
pub fn plan_usage(
    vouchers: &[UsageVoucher],
    caps: &[Money],
    lines: &[UsageLine],
) -> Vec<Option<UsageDraw>> {
    let mut available: Vec<Money> = vouchers.iter().map(|v| v.available).collect();
    let mut left: Vec<Money> = caps.to_vec();
    let room = |v: usize, available: &[Money], left: &[Money]| {
        vouchers[v]
            .caps
            .iter()
            .map(|c| left[*c])
            .fold(available[v], Money::min)
    };
    lines
        .iter()
        .map(|line| {
            let first = *line.options.first()?;
            let v = line
                .options
                .iter()
                .copied()
                .find(|v| room(*v, &available, &left).is_positive())
                .unwrap_or(first);
            let cap = vouchers[v]
                .caps
                .iter()
                .map(|c| left[*c])
                .fold(Money::from_fen(i64::MAX), Money::min);
            let quote = quote_subsidy(line.amount, vouchers[v].rate, available[v], cap);
            let s = quote.subsidy;
            available[v] = Money::from_fen(available[v].fen() - s.fen());
            for c in &vouchers[v].caps {
                left[*c] = Money::from_fen(left[*c].fen() - s.fen());
            }
            Some(UsageDraw {
                voucher: v,
                subsidy: s,
                enterprise_pays: quote.enterprise_pays,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn m(f: i64) -> Money {
        Money::from_fen(f)
    }

    #[test]
    fn oldest_voucher_first_then_the_next_when_a_cap_is_reached() {
        let rate = Rate::from_bps("r", 5000).unwrap();
        // Two vouchers of one enterprise in two programs; both count against one type cap (2).
        let vouchers = [
            UsageVoucher {
                available: m(1_000),
                rate,
                caps: vec![0, 2],
            },
            UsageVoucher {
                available: m(1_000),
                rate,
                caps: vec![1, 2],
            },
        ];
        let caps = [m(300), m(10_000), m(700)];
        let line = |a| UsageLine {
            amount: m(a),
            options: vec![0, 1],
        };
        let draws = plan_usage(
            &vouchers,
            &caps,
            &[line(400), line(400), line(400), line(400)],
        );
        let got: Vec<(usize, i64)> = draws
            .iter()
            .map(|d| d.map(|d| (d.voucher, d.subsidy.fen())).unwrap())
            .collect();
        // 200 from the first; then its program cap leaves 100; then the second voucher until
        // the type cap (700 in all) is spent.
        assert_eq!(got, vec![(0, 200), (0, 100), (1, 200), (1, 200)]);
        let total: i64 = got.iter().map(|g| g.1).sum();
        assert_eq!(total, 700);
        assert_eq!(
            plan_usage(
                &vouchers,
                &caps,
                &[UsageLine {
                    amount: m(5),
                    options: vec![]
                }]
            ),
            vec![None]
        );
    }

    proptest! {
        /// No voucher pays beyond its balance, no cap is passed, every subsidy is within the
        /// rate, and the enterprise pays the rest of each price.
        #[test]
        fn never_beyond_a_balance_or_a_cap(
            avail in prop::collection::vec(0i64..5_000, 1..4),
            caps in prop::collection::vec(0i64..8_000, 1..4),
            bps in 0i64..=10_000,
            lines in prop::collection::vec((0i64..3_000, prop::collection::vec(0usize..4, 0..3)), 0..30),
        ) {
            let rate = Rate::from_bps("r", bps).unwrap();
            let vouchers: Vec<UsageVoucher> = avail.iter().enumerate().map(|(i, a)| UsageVoucher {
                available: m(*a), rate,
                caps: { let mut c = vec![i % caps.len(), (i + 1) % caps.len()]; c.dedup(); c },
            }).collect();
            let caps_m: Vec<Money> = caps.iter().map(|c| m(*c)).collect();
            let lines: Vec<UsageLine> = lines.into_iter().map(|(a, o)| UsageLine {
                amount: m(a), options: o.into_iter().filter(|v| *v < vouchers.len()).collect(),
            }).collect();
            let draws = plan_usage(&vouchers, &caps_m, &lines);
            let mut spent = vec![0i64; vouchers.len()];
            let mut used = vec![0i64; caps.len()];
            for (d, l) in draws.iter().zip(&lines) {
                let Some(d) = d else { prop_assert!(l.options.is_empty()); continue };
                prop_assert!(l.options.contains(&d.voucher));
                prop_assert!(d.subsidy.fen() >= 0 && d.subsidy.fen() <= rate.apply_floor(l.amount).fen());
                prop_assert_eq!(d.subsidy.fen() + d.enterprise_pays.fen(), l.amount.fen());
                spent[d.voucher] += d.subsidy.fen();
                for c in &vouchers[d.voucher].caps {
                    used[*c] += d.subsidy.fen();
                }
            }
            for (s, a) in spent.iter().zip(&avail) { prop_assert!(s <= a); }
            for (u, c) in used.iter().zip(&caps) { prop_assert!(u <= c); }
        }
    }
}
