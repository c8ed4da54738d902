use super::*;
use crate::inputs::CriterionScoreInput;
use proptest::prelude::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn criteria() -> Vec<Criterion> {
    vec![
        Criterion {
            key: "technical_quality".into(),
            name: "技术水平".into(),
            weight: 40,
        },
        Criterion {
            key: "application_value".into(),
            name: "应用价值".into(),
            weight: 30,
        },
        Criterion {
            key: "compliance".into(),
            name: "数据合规".into(),
            weight: 20,
        },
        Criterion {
            key: "price".into(),
            name: "价格".into(),
            weight: 10,
        },
    ]
}

fn round_input(kind: &str) -> SelectionRoundInput {
    SelectionRoundInput {
        name: "2026年度模型产品遴选".into(),
        kind: kind.into(),
        year: 2026,
        batch: None,
        cap: 30,
        call_from: "2026-03-01".into(),
        call_until: "2026-03-31".into(),
        notice_days: 7,
        min_records: None,
        registration_required: Some(true),
        pass_mark: None,
        criteria: criteria(),
    }
}

fn entry(id: &str, totals: &[i64], lead: &[i64], at: &str) -> EntryTally {
    EntryTally {
        entry: id.into(),
        entered_at: at.into(),
        totals: totals.to_vec(),
        lead_scores: lead.to_vec(),
        excluded: false,
    }
}

#[test]
fn a_round_checks_its_rules() {
    let r = RoundRules::parse(&round_input("corpus")).unwrap();
    assert_eq!(r.min_records, DEFAULT_MIN_RECORDS);
    assert_eq!(r.pass_mark, 6000);
    let mut i = round_input("compute");
    assert_eq!(RoundRules::parse(&i).unwrap_err().code, "invalid_kind");
    i = round_input("model");
    i.criteria[0].weight = 50;
    assert_eq!(RoundRules::parse(&i).unwrap_err().code, "weights_sum");
    i = round_input("model");
    i.criteria[1].key = "technical_quality".into();
    assert_eq!(RoundRules::parse(&i).unwrap_err().field, "criteria[1].key");
    i = round_input("model");
    i.call_until = "2026-02-01".into();
    assert_eq!(RoundRules::parse(&i).unwrap_err().field, "call_until");
}

#[test]
fn entries_need_the_evidence_of_their_kind() {
    let rules = RoundRules::parse(&round_input("corpus")).unwrap();
    let f = EntryFacts {
        rules: &rules,
        status: RoundStatus::Open,
        today: d("2026-03-10"),
        product_kind: ProductKind::Corpus,
        product_suspended: false,
    };
    let mut i = SelectionEntryInput {
        product_id: "prd_1".into(),
        evaluation_report: None,
        deployment_evidence: None,
        record_count: Some(99_999),
        registration_ref: Some("鲁数登字2026-001".into()),
        summary: None,
    };
    assert_eq!(check_entry(&f, &i).unwrap_err().code, "too_few_records");
    i.record_count = Some(100_000);
    assert!(check_entry(&f, &i).is_ok());
    i.registration_ref = None;
    assert_eq!(
        check_entry(&f, &i).unwrap_err().field.as_deref(),
        Some("registration_ref")
    );
    let late = EntryFacts {
        today: d("2026-04-01"),
        ..f
    };
    assert_eq!(check_entry(&late, &i).unwrap_err().code, "call_closed");
    let model_rules = RoundRules::parse(&round_input("model")).unwrap();
    let m = EntryFacts {
        rules: &model_rules,
        product_kind: ProductKind::Model,
        ..f
    };
    assert_eq!(
        check_entry(&m, &i).unwrap_err().field.as_deref(),
        Some("evaluation_report")
    );
    let wrong = EntryFacts {
        product_kind: ProductKind::Corpus,
        ..m
    };
    assert_eq!(
        check_entry(&wrong, &i).unwrap_err().code,
        "product_kind_mismatch"
    );
}

#[test]
fn scoring_only_by_an_assigned_expert_in_range() {
    let c = criteria();
    let sheet = |v: [i64; 4]| -> Vec<CriterionScoreInput> {
        c.iter()
            .zip(v)
            .map(|(c, s)| CriterionScoreInput {
                criterion: c.key.clone(),
                score: s,
            })
            .collect()
    };
    let ok = plan_score(
        RoundStatus::Open,
        Some(AssignmentStatus::Assigned),
        &c,
        &sheet([90, 80, 70, 60]),
    )
    .unwrap();
    assert_eq!(ok.total, 40 * 90 + 30 * 80 + 20 * 70 + 10 * 60);
    let e = plan_score(RoundStatus::Open, None, &c, &sheet([1, 1, 1, 1])).unwrap_err();
    assert_eq!(e.code, "not_assigned");
    let e = plan_score(
        RoundStatus::Open,
        Some(AssignmentStatus::Recused),
        &c,
        &sheet([1, 1, 1, 1]),
    )
    .unwrap_err();
    assert_eq!(e.code, "must_recuse");
    let e = plan_score(
        RoundStatus::Open,
        Some(AssignmentStatus::Assigned),
        &c,
        &sheet([101, 1, 1, 1]),
    )
    .unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        ("score_out_of_range", Some("scores[0].score"))
    );
    let e = plan_score(
        RoundStatus::PanelClosed,
        Some(AssignmentStatus::Assigned),
        &c,
        &sheet([1, 1, 1, 1]),
    )
    .unwrap_err();
    assert_eq!(e.code, "panel_closed");
    let mut short = sheet([1, 1, 1, 1]);
    short.pop();
    let e = plan_score(
        RoundStatus::Open,
        Some(AssignmentStatus::Assigned),
        &c,
        &short,
    )
    .unwrap_err();
    assert_eq!(e.code, "required");
}

#[test]
fn recusal_follows_the_registered_file() {
    let sh = vec!["刘专家".to_string(), "某投资公司".to_string()];
    assert!(!expert_conflicts("刘专家", "赵六", &sh, "").is_empty());
    assert!(!expert_conflicts("赵六", "赵六", &[], "").is_empty());
    assert!(!expert_conflicts("孙控", "赵六", &[], "孙控").is_empty());
    assert!(expert_conflicts("钱评审", "赵六", &sh, "孙控").is_empty());
}

#[test]
fn the_panel_closes_only_when_complete() {
    let e: Vec<SelectionEntryId> = vec!["ent_a".into(), "ent_b".into()];
    let a = |entry: &str, status, scored| AssignmentFact {
        entry: entry.into(),
        status,
        scored,
    };
    use AssignmentStatus::*;
    let today = d("2026-04-02");
    let until = d("2026-03-31");
    let all = vec![
        a("ent_a", Assigned, true),
        a("ent_b", Recused, false),
        a("ent_b", Assigned, true),
    ];
    assert!(plan_close_panel(RoundStatus::Open, today, until, &e, &all).is_ok());
    assert_eq!(
        plan_close_panel(RoundStatus::Open, until, until, &e, &all)
            .unwrap_err()
            .code,
        "call_open"
    );
    let recused_only = vec![a("ent_a", Assigned, true), a("ent_b", Recused, false)];
    assert_eq!(
        plan_close_panel(RoundStatus::Open, today, until, &e, &recused_only)
            .unwrap_err()
            .code,
        "entry_unassigned"
    );
    let unscored = vec![a("ent_a", Assigned, true), a("ent_b", Assigned, false)];
    assert_eq!(
        plan_close_panel(RoundStatus::Open, today, until, &e, &unscored)
            .unwrap_err()
            .code,
        "scores_missing"
    );
    assert_eq!(
        plan_publish(RoundStatus::Open, today, 7).unwrap_err().code,
        "panel_open"
    );
    assert_eq!(
        plan_publish(RoundStatus::PanelClosed, today, 7).unwrap(),
        d("2026-04-09")
    );
}

#[test]
fn ties_go_to_the_heaviest_criterion_then_the_earlier_entry() {
    let t = vec![
        entry("ent_c", &[8000, 8000], &[70, 70], "2026-03-02"),
        entry("ent_a", &[8000, 8000], &[90, 90], "2026-03-05"),
        entry("ent_b", &[8000, 8000], &[70, 70], "2026-03-01"),
        entry("ent_d", &[9000], &[50], "2026-03-09"),
        entry("ent_e", &[5000], &[99], "2026-03-01"),
    ];
    let r = rank_entries(&t, 3, 6000);
    let ids: Vec<&str> = r.iter().map(|x| x.entry.as_str()).collect();
    assert_eq!(ids, ["ent_d", "ent_a", "ent_b", "ent_c", "ent_e"]);
    let outcomes: Vec<Outcome> = r.iter().map(|x| x.outcome).collect();
    use Outcome::*;
    assert_eq!(
        outcomes,
        [Selected, Selected, Selected, Reserve, BelowPassMark]
    );
}

#[test]
fn an_upheld_objection_moves_the_first_reserve_up_with_its_own_notice() {
    let mut t: Vec<EntryTally> = (0..5)
        .map(|n| entry(&format!("ent_{n}"), &[9000 - n * 100], &[90], "2026-03-01"))
        .collect();
    let before = rank_entries(&t, 3, 6000);
    t[1].excluded = true;
    let end = d("2026-04-09");
    let (after, new_end) = plan_exclusion(&t, 3, 6000, &before, d("2026-04-05"), 7, end);
    assert_eq!(after[1].outcome, Outcome::Excluded);
    assert_eq!(after[3].outcome, Outcome::Selected);
    assert_eq!(new_end, d("2026-04-12"));
    // Excluding a reserve moves nobody up: the notice is unchanged.
    let mut t2 = t.clone();
    t2[1].excluded = false;
    t2[4].excluded = true;
    let (_, same) = plan_exclusion(&t2, 3, 6000, &before, d("2026-04-05"), 7, end);
    assert_eq!(same, end);
}

#[test]
fn objections_and_effect_follow_the_notice() {
    let end = Some(d("2026-04-09"));
    assert!(check_objection(
        RoundStatus::Published,
        d("2026-04-09"),
        end,
        Some(Outcome::Selected)
    )
    .is_ok());
    assert_eq!(
        check_objection(
            RoundStatus::Published,
            d("2026-04-10"),
            end,
            Some(Outcome::Selected)
        )
        .unwrap_err()
        .code,
        "notice_closed"
    );
    assert_eq!(
        check_objection(
            RoundStatus::Published,
            d("2026-04-01"),
            end,
            Some(Outcome::Reserve)
        )
        .unwrap_err()
        .code,
        "not_selected"
    );
    assert_eq!(
        plan_take_effect(RoundStatus::Published, d("2026-04-09"), end, 0)
            .unwrap_err()
            .code,
        "notice_running"
    );
    assert_eq!(
        plan_take_effect(RoundStatus::Published, d("2026-04-10"), end, 1)
            .unwrap_err()
            .code,
        "objections_open"
    );
    assert!(plan_take_effect(RoundStatus::Published, d("2026-04-10"), end, 0).is_ok());
    assert_eq!(
        check_listing(ProductKind::Model, false).unwrap_err().code,
        "not_selected"
    );
    assert!(check_listing(ProductKind::Compute, false).is_ok());
    assert!(delisting_reason(ProductKind::Corpus, Some(" ")).is_err());
    assert_eq!(delisting_reason(ProductKind::Compute, None).unwrap(), None);
}

fn tallies() -> impl Strategy<Value = Vec<EntryTally>> {
    prop::collection::vec(
        (
            prop::collection::vec(0i64..=10_000, 1..4),
            0i64..=100,
            0u32..30,
            any::<bool>(),
        ),
        0..40,
    )
    .prop_map(|v| {
        v.into_iter()
            .enumerate()
            .map(|(n, (totals, lead, day, excluded))| EntryTally {
                entry: format!("ent_{n:03}").into(),
                entered_at: format!("2026-03-{:02}", day % 28 + 1),
                lead_scores: vec![lead; totals.len()],
                totals,
                excluded,
            })
            .collect()
    })
}

proptest! {
    /// Never more than the cap selected; nothing excluded or below the mark is selected; the
    /// selected are exactly the first `cap` eligible entries of the order, which is by mean.
    #[test]
    fn ranking_respects_cap_mark_and_order(t in tallies(), cap in 1u32..10, mark in 0i64..=10_000) {
        let r = rank_entries(&t, cap, mark);
        prop_assert_eq!(r.len(), t.len());
        let selected = r.iter().filter(|x| x.outcome == Outcome::Selected).count();
        let eligible = t.iter().filter(|x| !x.excluded && x.totals.iter().sum::<i64>() >= mark * x.totals.len() as i64).count();
        prop_assert_eq!(selected, eligible.min(cap as usize));
        for w in r.windows(2) {
            prop_assert!(w[0].mean >= w[1].mean || w[0].rank < w[1].rank);
            let a = t.iter().find(|x| x.entry == w[0].entry).unwrap();
            let b = t.iter().find(|x| x.entry == w[1].entry).unwrap();
            prop_assert_ne!(cmp_mean(&a.totals, &b.totals), Ordering::Greater);
        }
        // A reserve never ranks above a selected entry.
        let last_selected = r.iter().rposition(|x| x.outcome == Outcome::Selected);
        let first_reserve = r.iter().position(|x| x.outcome == Outcome::Reserve);
        if let (Some(s), Some(f)) = (last_selected, first_reserve) { prop_assert!(s < f); }
        for x in &r {
            let tt = t.iter().find(|y| y.entry == x.entry).unwrap();
            if tt.excluded { prop_assert_eq!(x.outcome, Outcome::Excluded); }
        }
    }

    /// The ranking does not depend on the order entries are read in.
    #[test]
    fn ranking_is_order_independent(t in tallies()) {
        let mut rev = t.clone();
        rev.reverse();
        prop_assert_eq!(rank_entries(&t, 5, 5000), rank_entries(&rev, 5, 5000));
    }
}
