//! The replay against a reference written out plainly: random histories are "recorded" by a
//! straightforward sequential ledger (every subsidy = min(rate × amount rounded down, the
//! voucher's balance, what is left of every cap), state updated after each record); replaying
//! them under the unchanged rules must give the same subsidy per grant, to the fen.
use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;
use crate::enterprise::SizeClass;
use crate::money::{Money, Rate};
use crate::program::{EnterpriseFacts, FundingShare, ProgramRules, VoucherType};
use crate::whatif_figures::{figures, FigureContext};
use crate::whatif_replay::replay;

/// A tiny deterministic generator (the history's shape comes from proptest's seed).
struct Gen(u64);

impl Gen {
    fn next(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Duration::days(d as i64)
}

fn rules(g: &mut Gen) -> ReplayRules {
    let m = Money::from_fen;
    let opt = |g: &mut Gen| {
        let v = 1_000 + g.next(40_000) as i64;
        if g.next(2) == 0 {
            Some(m(v))
        } else {
            None
        }
    };
    let year = 2_000 + g.next(60_000) as i64;
    ReplayRules {
        program: ProgramRules {
            voucher_type: VoucherType::Compute,
            rate: Rate::from_bps("r", g.next(10_001) as i64).unwrap(),
            face_value_cap: m(50_000),
            enterprise_year_cap: m(year),
            apply_from: day(0),
            apply_until: day(300),
            valid_from: day(0),
            valid_until: day(364),
            notice_days: 0,
            eligible_cities: vec![],
            eligible_sizes: vec![],
            eligible_industries: vec![],
            funding: vec![FundingShare {
                source_id: "s1".into(),
                share_bps: 10_000,
            }],
        },
        pilot_bonus: Rate::from_bps("b", g.next(3_000) as i64).unwrap(),
        supplier_cap: opt(g),
        group_year_cap: opt(g),
        type_year_cap: opt(g),
        allocated: vec![m(10_000_000)],
    }
}

/// The plain sequential ledger: decides and writes each event's recorded subsidy.
struct Reference {
    available: Vec<i64>,
    expired: Vec<bool>,
    year: Vec<i64>,
    kind: Vec<i64>,
    supplier: Vec<i64>,
    group: std::collections::HashMap<String, i64>,
    redeemed: Vec<(usize, usize, i64)>,
    paid: Vec<i64>,
    clawed: Vec<i64>,
}

impl Reference {
    fn subsidy(&self, h: &ReplayHistory, r: &ReplayRules, g: usize, s: usize, amount: i64) -> i64 {
        if self.expired[g] {
            return 0;
        }
        let e = h.grants[g].enterprise;
        let ent = &h.enterprises[e];
        let mut room = r.program.enterprise_year_cap.fen() - self.year[e];
        if let Some(c) = r.supplier_cap {
            room = room.min(c.fen() - self.supplier[s]);
        }
        if let (Some(c), Some(grp)) = (r.group_year_cap, &ent.group) {
            room = room.min(c.fen() - self.group.get(grp).copied().unwrap_or(0));
        }
        if let Some(c) = r.type_year_cap {
            room = room.min(c.fen() - self.kind[e]);
        }
        let mut bps = r.program.rate.bps() as i64;
        if ent.facts.pilot_zone {
            bps = (bps + r.pilot_bonus.bps() as i64).min(10_000);
        }
        (amount * bps / 10_000)
            .min(self.available[g])
            .min(room)
            .max(0)
    }

    fn apply(&mut self, h: &ReplayHistory, g: usize, s: usize, v: i64) {
        let e = h.grants[g].enterprise;
        self.year[e] += v;
        self.kind[e] += v;
        self.supplier[s] += v;
        if let Some(grp) = &h.enterprises[e].group {
            *self.group.entry(grp.clone()).or_default() += v;
        }
    }
}

/// A random history, recorded by the reference ledger.
fn history(g: &mut Gen, r: &ReplayRules) -> (ReplayHistory, Reference) {
    let ne = 1 + g.next(5) as usize;
    let enterprises = (0..ne)
        .map(|_| ReplayEnterprise {
            facts: EnterpriseFacts {
                city_code: ["370100", "370200", "370400"][g.next(3) as usize].into(),
                size_class: SizeClass::ALL[g.next(4) as usize],
                industry: 'I',
                pilot_zone: g.next(2) == 0,
            },
            group: ["甲集团", "乙集团", ""][g.next(3) as usize]
                .to_string()
                .into(),
        })
        .map(|mut e| {
            e.group = e.group.filter(|g| !g.is_empty());
            e
        })
        .collect();
    // Grants as the live approval allows them: within the request, the face value cap and what
    // is left of the enterprise's yearly cap.
    let year_cap = r.program.enterprise_year_cap.fen();
    let mut held = vec![0i64; ne];
    let mut grants: Vec<ReplayGrant> = Vec::new();
    for _ in 0..(1 + g.next(6)) {
        let e = g.next(ne as u64) as usize;
        let requested = 1 + g.next(60_000) as i64;
        let most = requested.min(50_000).min(year_cap - held[e]);
        let approved = most - g.next(2) as i64 * g.next(most.max(1) as u64) as i64;
        if approved <= 0 {
            continue;
        }
        held[e] += approved;
        grants.push(ReplayGrant {
            enterprise: e,
            applied_on: day(1),
            issued_on: day(2),
            requested: Money::from_fen(requested),
            approved: Money::from_fen(approved),
            parts: vec![Money::from_fen(approved)],
        });
    }
    let ng = grants.len();
    let mut h = ReplayHistory {
        enterprises,
        grants,
        suppliers: 2,
        events: Vec::new(),
    };
    let mut rf = Reference {
        available: vec![0; ng],
        expired: vec![false; ng],
        year: vec![0; ne],
        kind: vec![0; ne],
        supplier: vec![0; 2],
        group: Default::default(),
        redeemed: Vec::new(),
        paid: vec![0; ng],
        clawed: vec![0; ng],
    };
    for (i, gr) in h.grants.iter().enumerate() {
        // Issued in one posting or two (a milestone released later).
        let first = gr.approved.fen() / (1 + g.next(2) as i64);
        h.events.push(ReplayEvent::Credit {
            grant: i,
            amount: Money::from_fen(first),
        });
        rf.available[i] += first;
        if first < gr.approved.fen() {
            let rest = gr.approved.fen() - first;
            h.events.push(ReplayEvent::Credit {
                grant: i,
                amount: Money::from_fen(rest),
            });
            rf.available[i] += rest;
        }
    }
    for k in 0..(5 + g.next(30)) {
        let d = day(10 + k as u32);
        match g.next(10) {
            0..=3 => {
                let (gi, s, amount) = (
                    g.next(ng as u64) as usize,
                    g.next(2) as usize,
                    1 + g.next(80_000) as i64,
                );
                let v = rf.subsidy(&h, r, gi, s, amount);
                rf.available[gi] -= v;
                rf.apply(&h, gi, s, v);
                rf.paid[gi] += v;
                rf.redeemed.push((gi, s, v));
                h.events.push(ReplayEvent::Redeem {
                    grant: gi,
                    supplier: s,
                    amount: Money::from_fen(amount),
                    day: d,
                    recorded: Money::from_fen(v),
                });
            }
            4..=7 => {
                let s = g.next(2) as usize;
                let mut lines = Vec::new();
                for _ in 0..(1 + g.next(6)) {
                    let (gi, amount) = (g.next(ng as u64) as usize, 1 + g.next(20_000) as i64);
                    let v = rf.subsidy(&h, r, gi, s, amount);
                    rf.available[gi] -= v;
                    rf.apply(&h, gi, s, v);
                    rf.paid[gi] += v;
                    lines.push((gi, Money::from_fen(amount), Money::from_fen(v)));
                }
                h.events.push(ReplayEvent::Usage {
                    supplier: s,
                    day: d,
                    lines,
                });
            }
            8 if !rf.redeemed.is_empty() => {
                let n = g.next(rf.redeemed.len() as u64) as usize;
                let (gi, s, v) = rf.redeemed[n];
                if v > 0 && !h.events.contains(&ReplayEvent::Clawback { redemption: n }) {
                    rf.apply(&h, gi, s, -v);
                    rf.clawed[gi] += v;
                    h.events.push(ReplayEvent::Clawback { redemption: n });
                }
            }
            _ => {
                let gi = g.next(ng as u64) as usize;
                rf.expired[gi] = true;
                rf.available[gi] = 0;
                h.events.push(ReplayEvent::Expire { grant: gi });
            }
        }
    }
    (h, rf)
}

fn ctx<'a>(sources: &'a [(String, String)], r: &'a ReplayRules) -> FigureContext<'a> {
    FigureContext {
        sources,
        allocated: &r.allocated,
        voucher_type: "compute",
        today: day(60),
        ends_on: day(364),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn unchanged_rules_reproduce_the_recorded_history(seed in 1u64..u64::MAX) {
        let mut g = Gen(seed);
        let r = rules(&mut g);
        let (h, rf) = history(&mut g, &r);
        let o = replay(&h, &r, &r);
        let paid: Vec<i64> = o.paid.iter().map(|m| m.fen()).collect();
        let clawed: Vec<i64> = o.clawed_back.iter().map(|m| m.fen()).collect();
        prop_assert_eq!(&paid, &rf.paid);
        prop_assert_eq!(&clawed, &rf.clawed);
        let sources = [("s1".to_string(), "省级资金".to_string())];
        prop_assert_eq!(
            figures(&h, &ReplayOutcome::recorded(&h), &ctx(&sources, &r)),
            figures(&h, &o, &ctx(&sources, &r))
        );
    }

    #[test]
    fn a_replay_never_passes_a_balance_or_a_cap(seed in 1u64..u64::MAX, bps in 0i64..=10_000) {
        let mut g = Gen(seed);
        let recorded = rules(&mut g);
        let (h, _) = history(&mut g, &recorded);
        let mut changed = recorded.clone();
        changed.program.rate = Rate::from_bps("r", bps).unwrap();
        let o = replay(&h, &recorded, &changed);
        for (i, gr) in h.grants.iter().enumerate() {
            prop_assert!(o.paid[i] <= gr.approved, "grant {} paid {} of {}", i, o.paid[i], gr.approved);
        }
        let mut per_enterprise = vec![0i64; h.enterprises.len()];
        for (i, gr) in h.grants.iter().enumerate() {
            per_enterprise[gr.enterprise] += o.paid[i].fen() - o.clawed_back[i].fen();
        }
        for used in per_enterprise {
            prop_assert!(used <= changed.program.enterprise_year_cap.fen());
        }
        if bps == 0 {
            prop_assert!(o.paid.iter().all(|m| *m == Money::ZERO));
        }
    }
}

#[test]
fn a_lower_face_value_cap_scales_the_vouchers_and_a_size_rule_drops_grants() {
    let mut g = Gen(7);
    let recorded = rules(&mut g);
    let (h, _) = history(&mut g, &recorded);
    let mut changed = recorded.clone();
    changed.program.face_value_cap = Money::from_fen(100);
    let o = replay(&h, &recorded, &changed);
    assert!(o.face.iter().all(|f| f.fen() <= 100));
    assert!(o.paid.iter().all(|p| p.fen() <= 100));
    let mut only_large = recorded.clone();
    only_large.program.eligible_sizes = vec![SizeClass::Large];
    let o = replay(&h, &recorded, &only_large);
    for (i, gr) in h.grants.iter().enumerate() {
        let large = h.enterprises[gr.enterprise].facts.size_class == SizeClass::Large;
        assert_eq!(o.grants[i] == GrantOutcome::Granted, large);
    }
}

#[test]
fn asked_changes_are_checked_and_name_their_field() {
    let mut g = Gen(3);
    let recorded = rules(&mut g);
    let bad = |i: WhatIfInput| i.apply(&recorded, &[10_000]).unwrap_err().field;
    assert_eq!(
        bad(WhatIfInput {
            rate_bps: Some(10_001),
            ..Default::default()
        }),
        "rate_bps"
    );
    assert_eq!(
        bad(WhatIfInput {
            face_value_cap_fen: Some(0),
            ..Default::default()
        }),
        "face_value_cap_fen"
    );
    assert_eq!(
        bad(WhatIfInput {
            eligible_cities: Some(vec!["1".into()]),
            ..Default::default()
        }),
        "eligible_cities[0]"
    );
    assert_eq!(
        bad(WhatIfInput {
            eligible_sizes: Some(vec!["huge".into()]),
            ..Default::default()
        }),
        "eligible_sizes[0]"
    );
    let none = WhatIfInput {
        supplier_cap_fen: Some(0),
        budget_fen: Some(1_000),
        ..Default::default()
    };
    let r = none.apply(&recorded, &[10_000]).unwrap();
    assert_eq!(r.supplier_cap, None);
    assert_eq!(r.allocated, vec![Money::from_fen(1_000)]);
    assert_eq!(
        WhatIfInput::default().apply(&recorded, &[10_000]).unwrap(),
        recorded
    );
}

/// The generator exercises what the property is about: subsidies paid, and caps or balances
/// that bind (a draw paid less than its rate's share, or nothing).
#[test]
fn the_random_histories_pay_and_bind() {
    let (mut paying, mut binding, mut clawing) = (0, 0, 0);
    for seed in 1..=300u64 {
        let mut g = Gen(seed * 7919);
        let r = rules(&mut g);
        let (h, rf) = history(&mut g, &r);
        paying += usize::from(rf.paid.iter().any(|p| *p > 0));
        clawing += usize::from(rf.clawed.iter().any(|p| *p > 0));
        let o = ReplayOutcome::recorded(&h);
        binding += usize::from(o.redemptions_refused + o.usage_unsubsidised > 0);
    }
    assert!(
        paying > 200 && binding > 60 && clawing > 30,
        "{paying} {binding} {clawing}"
    );
}
