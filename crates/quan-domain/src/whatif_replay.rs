//! The replay itself: grants decided again in approval order, then every event in recorded
//! order over balances and caps kept in memory, each decision by the live path's function.

use std::collections::HashMap;

use crate::lifecycle::review_amount;
use crate::money::{split_by_weights, Money};
use crate::plans::usage::{plan_usage, UsageLine, UsageVoucher};
use crate::policy::with_pilot_bonus;
use crate::program::check_eligibility;
use crate::redemption::{redemption_quote, CapsLeft};
use crate::whatif::{
    plus, GrantOutcome, ReplayEvent, ReplayGrant, ReplayHistory, ReplayOutcome, ReplayRules,
};

fn minus(a: Money, b: Money) -> Money {
    Money::from_fen(a.fen().saturating_sub(b.fen()))
}

fn left(cap: Money, used: Money) -> Money {
    Money::from_fen((cap.fen() - used.fen()).max(0))
}

/// The face value a recorded grant gets under `rules`: a reviewer who approved all the old cap
/// allowed approves all the new one allows (up to the request); a reviewer who cut the grant
/// below that keeps the cut, within the new cap.
fn face_under(g: &ReplayGrant, recorded: &ReplayRules, rules: &ReplayRules) -> Option<Money> {
    let old_most = g.requested.min(recorded.program.face_value_cap);
    let asked = if g.approved >= old_most {
        g.requested
    } else {
        g.approved
    };
    let amount = asked.min(rules.program.face_value_cap);
    review_amount(g.requested, amount, rules.program.face_value_cap).ok()
}

/// Grants in approval order: eligibility, face value, the enterprise's yearly cap, each funding
/// source's allocation (the parts in the recorded proportions, exact when the face is unchanged).
fn decide_grants(
    h: &ReplayHistory,
    recorded: &ReplayRules,
    rules: &ReplayRules,
) -> (Vec<GrantOutcome>, Vec<Money>, Vec<Vec<Money>>) {
    let mut program = rules.program.clone();
    // The application window was met when the application was made; only who may apply is
    // judged again.
    program.apply_from = chrono::NaiveDate::MIN;
    program.apply_until = chrono::NaiveDate::MAX;
    let mut committed = vec![Money::ZERO; rules.allocated.len()];
    let mut held = vec![Money::ZERO; h.enterprises.len()];
    let (mut outcome, mut face, mut parts) = (Vec::new(), Vec::new(), Vec::new());
    for g in &h.grants {
        let e = &h.enterprises[g.enterprise];
        let mut decided = (
            GrantOutcome::Granted,
            Money::ZERO,
            vec![Money::ZERO; committed.len()],
        );
        if check_eligibility(&program, &e.facts, g.applied_on).is_err() {
            decided.0 = GrantOutcome::NotEligible;
        } else if let Some(amount) = face_under(g, recorded, rules) {
            let weights: Vec<i64> = g.parts.iter().map(|p| p.fen()).collect();
            let split = split_by_weights(amount, &weights).unwrap_or_default();
            if plus(held[g.enterprise], amount) > rules.program.enterprise_year_cap {
                decided.0 = GrantOutcome::OverYearCap;
            } else if split.len() != committed.len()
                || split
                    .iter()
                    .zip(&committed)
                    .zip(&rules.allocated)
                    .any(|((p, c), a)| plus(*c, *p) > *a)
            {
                decided.0 = GrantOutcome::BudgetExhausted;
            } else {
                for (c, p) in committed.iter_mut().zip(&split) {
                    *c = plus(*c, *p);
                }
                held[g.enterprise] = plus(held[g.enterprise], amount);
                decided = (GrantOutcome::Granted, amount, split);
            }
        } else {
            decided.0 = GrantOutcome::OverYearCap;
        }
        outcome.push(decided.0);
        face.push(decided.1);
        parts.push(decided.2);
    }
    (outcome, face, parts)
}

/// The caps' use as the replay goes.
struct Caps<'a> {
    year: Vec<Money>,
    voucher_type: Vec<Money>,
    supplier: Vec<Money>,
    group: HashMap<&'a str, Money>,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum CapKey<'a> {
    Year(usize),
    Supplier(usize),
    Group(&'a str),
    Type(usize),
}

struct Replay<'a> {
    h: &'a ReplayHistory,
    r: &'a ReplayRules,
    out: ReplayOutcome,
    available: Vec<Money>,
    credited_recorded: Vec<Money>,
    credited: Vec<Money>,
    expired: Vec<bool>,
    caps: Caps<'a>,
    /// Per Redeem event: grant, supplier, the replay's subsidy, the day.
    redeemed: Vec<(usize, usize, Money, chrono::NaiveDate)>,
}

impl<'a> Replay<'a> {
    fn granted(&self, g: usize) -> bool {
        self.out.grants[g] == GrantOutcome::Granted
    }

    fn group_of(&self, g: usize) -> Option<&'a str> {
        self.r.group_year_cap?;
        self.h.enterprises[self.h.grants[g].enterprise]
            .group
            .as_deref()
    }

    fn cap_left(&self, key: CapKey<'a>) -> Money {
        match key {
            CapKey::Year(e) => left(self.r.program.enterprise_year_cap, self.caps.year[e]),
            CapKey::Supplier(s) => left(
                self.r.supplier_cap.unwrap_or_default(),
                self.caps.supplier[s],
            ),
            CapKey::Group(k) => left(
                self.r.group_year_cap.unwrap_or_default(),
                self.caps.group.get(k).copied().unwrap_or_default(),
            ),
            CapKey::Type(e) => left(
                self.r.type_year_cap.unwrap_or_default(),
                self.caps.voucher_type[e],
            ),
        }
    }

    /// The caps grant `g`'s subsidy at supplier `s` counts against (the year's first).
    fn keys(&self, g: usize, s: usize) -> Vec<CapKey<'a>> {
        let e = self.h.grants[g].enterprise;
        let mut k = vec![CapKey::Year(e)];
        if self.r.supplier_cap.is_some() {
            k.push(CapKey::Supplier(s));
        }
        if let Some(grp) = self.group_of(g) {
            k.push(CapKey::Group(grp));
        }
        if self.r.type_year_cap.is_some() {
            k.push(CapKey::Type(e));
        }
        k
    }

    /// Adds `s` (negative: releases) to the voucher's draws and to every cap it counts against.
    fn draw(&mut self, g: usize, supplier: usize, s: Money, release: bool) {
        let e = self.h.grants[g].enterprise;
        let add = |a: Money| if release { minus(a, s) } else { plus(a, s) };
        if !release {
            self.available[g] = minus(self.available[g], s);
        }
        self.caps.year[e] = add(self.caps.year[e]);
        self.caps.supplier[supplier] = add(self.caps.supplier[supplier]);
        self.caps.voucher_type[e] = add(self.caps.voucher_type[e]);
        if let Some(grp) = self.h.enterprises[e].group.as_deref() {
            let used = self.caps.group.entry(grp).or_default();
            *used = add(*used);
        }
    }

    fn rate(&self, g: usize) -> crate::money::Rate {
        let e = &self.h.enterprises[self.h.grants[g].enterprise];
        with_pilot_bonus(self.r.program.rate, self.r.pilot_bonus, e.facts.pilot_zone)
    }

    fn credit(&mut self, g: usize, amount: Money) {
        if !self.granted(g) || self.expired[g] {
            return;
        }
        self.credited_recorded[g] = plus(self.credited_recorded[g], amount);
        let approved = self.h.grants[g].approved.fen().max(1) as i128;
        let cum =
            self.credited_recorded[g].fen() as i128 * self.out.face[g].fen() as i128 / approved;
        let cum = Money::from_fen(cum as i64);
        self.available[g] = plus(self.available[g], minus(cum, self.credited[g]));
        self.credited[g] = cum;
    }

    fn redeem(&mut self, g: usize, supplier: usize, amount: Money, day: chrono::NaiveDate) {
        let mut s = Money::ZERO;
        if self.granted(g) && !self.expired[g] {
            let caps = CapsLeft {
                year: self.cap_left(CapKey::Year(self.h.grants[g].enterprise)),
                supplier: self
                    .r
                    .supplier_cap
                    .map(|_| self.cap_left(CapKey::Supplier(supplier))),
                group: self.group_of(g).map(|k| self.cap_left(CapKey::Group(k))),
                voucher_type: self
                    .r
                    .type_year_cap
                    .map(|_| self.cap_left(CapKey::Type(self.h.grants[g].enterprise))),
            };
            s = redemption_quote(amount, self.rate(g), self.available[g], &caps).subsidy;
        }
        if s.is_positive() {
            self.draw(g, supplier, s, false);
            self.out.pay(g, s, day);
        } else {
            self.out.redemptions_refused += 1;
        }
        self.redeemed.push((g, supplier, s, day));
    }

    fn clawback(&mut self, redemption: usize) {
        let Some((g, supplier, s, day)) = self.redeemed.get(redemption).copied() else {
            return;
        };
        if s.is_positive() {
            self.draw(g, supplier, s, true);
            self.out.claw(g, s, day);
        }
    }

    fn usage(&mut self, supplier: usize, day: chrono::NaiveDate, lines: &[(usize, Money, Money)]) {
        let mut local: HashMap<usize, usize> = HashMap::new();
        let mut grants: Vec<usize> = Vec::new();
        let mut cap_index: HashMap<CapKey<'a>, usize> = HashMap::new();
        let (mut caps, mut vouchers, mut plan_lines) = (Vec::new(), Vec::new(), Vec::new());
        for (g, amount, _) in lines {
            if !self.granted(*g) || self.expired[*g] {
                self.out.usage_unsubsidised += 1;
                continue;
            }
            let v = *local.entry(*g).or_insert_with(|| {
                let idxs = self
                    .keys(*g, supplier)
                    .into_iter()
                    .map(|k| {
                        *cap_index.entry(k).or_insert_with(|| {
                            caps.push(self.cap_left(k));
                            caps.len() - 1
                        })
                    })
                    .collect();
                vouchers.push(UsageVoucher {
                    available: self.available[*g],
                    rate: self.rate(*g),
                    caps: idxs,
                });
                grants.push(*g);
                grants.len() - 1
            });
            plan_lines.push(UsageLine {
                amount: *amount,
                options: vec![v],
            });
        }
        for d in plan_usage(&vouchers, &caps, &plan_lines)
            .into_iter()
            .flatten()
        {
            let g = grants[d.voucher];
            if d.subsidy.is_positive() {
                self.draw(g, supplier, d.subsidy, false);
                self.out.pay(g, d.subsidy, day);
            } else {
                self.out.usage_unsubsidised += 1;
            }
        }
    }
}

/// Replays `h` under `rules` (`recorded` are the rules the history was recorded under: a
/// reviewer's cut is judged against them).
pub fn replay(h: &ReplayHistory, recorded: &ReplayRules, rules: &ReplayRules) -> ReplayOutcome {
    let (grants, face, parts) = decide_grants(h, recorded, rules);
    let n = h.grants.len();
    let ne = h.enterprises.len();
    let mut r = Replay {
        h,
        r: rules,
        out: ReplayOutcome {
            grants,
            face,
            parts,
            paid: vec![Money::ZERO; n],
            clawed_back: vec![Money::ZERO; n],
            paid_by_day: Vec::new(),
            redemptions_refused: 0,
            usage_unsubsidised: 0,
        },
        available: vec![Money::ZERO; n],
        credited_recorded: vec![Money::ZERO; n],
        credited: vec![Money::ZERO; n],
        expired: vec![false; n],
        caps: Caps {
            year: vec![Money::ZERO; ne],
            voucher_type: vec![Money::ZERO; ne],
            supplier: vec![Money::ZERO; h.suppliers],
            group: HashMap::new(),
        },
        redeemed: Vec::new(),
    };
    for ev in &h.events {
        match ev {
            ReplayEvent::Credit { grant, amount } => r.credit(*grant, *amount),
            ReplayEvent::Expire { grant } => {
                r.available[*grant] = Money::ZERO;
                r.expired[*grant] = true;
            }
            ReplayEvent::Redeem {
                grant,
                supplier,
                amount,
                day,
                ..
            } => r.redeem(*grant, *supplier, *amount, *day),
            ReplayEvent::Clawback { redemption } => r.clawback(*redemption),
            ReplayEvent::Usage {
                supplier,
                day,
                lines,
            } => r.usage(*supplier, *day, lines),
            ReplayEvent::OtherTypeUse { enterprise, amount } => {
                r.caps.voucher_type[*enterprise] = plus(r.caps.voucher_type[*enterprise], *amount);
            }
        }
    }
    r.out
}
