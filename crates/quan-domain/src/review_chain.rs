//! Multi-level review (issue 10): a program may configure a chain of review levels — e.g. the
//! bureau reviews, the city or county re-checks, finance approves — each decided in order by a
//! reviewer of its scope, each a recorded decision. Only the last level's approval reserves the
//! budget (and starts the notice); a rejection at any level ends the application.

use serde::{Deserialize, Serialize};

use crate::enterprise::validate_text;
use crate::error::ValidationError;
use crate::money::Money;
use crate::refusal::{Refusal, RefusalKind};

/// Who decides a level: a provincial reviewer, or a reviewer of the enterprise's own city.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ReviewScope {
    Province,
    City,
}

/// One level of a program's review chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReviewLevel {
    /// As shown, e.g. 市级初审, 省级复核, 财政审批.
    pub name: String,
    pub scope: ReviewScope,
}

/// One level's recorded decision, as the application shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewDecision {
    pub level: u32,
    pub level_name: String,
    /// approve or reject
    pub decision: String,
    pub amount_fen: Option<Money>,
    pub reason: Option<String>,
    pub reviewer_name: String,
    pub decided_at: String,
}

/// Checks a chain: at most 5 levels, each named. Empty = one review decides (no chain).
pub fn check_chain(levels: &[ReviewLevel]) -> Result<Vec<ReviewLevel>, ValidationError> {
    if levels.len() > 5 {
        return Err(ValidationError::new(
            "policy.review_levels",
            "out_of_range",
            "policy.review_levels: at most 5 levels",
        ));
    }
    levels
        .iter()
        .enumerate()
        .map(|(n, l)| {
            Ok(ReviewLevel {
                name: validate_text(&format!("policy.review_levels[{n}].name"), &l.name, 50)?,
                scope: l.scope,
            })
        })
        .collect()
}

/// A level already decided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LevelDone {
    pub amount: Money,
    pub reviewer: String,
}

/// What deciding the next level reads.
#[derive(Clone, Debug)]
pub struct ReviewStepFacts<'a> {
    pub chain: &'a [ReviewLevel],
    pub done: &'a [LevelDone],
    pub requested: Money,
    pub reviewer: &'a str,
    /// The reviewer's city (None: a provincial reviewer).
    pub reviewer_city: Option<&'a str>,
    pub enterprise_city: &'a str,
}

/// What a level decides.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReviewStep {
    /// Approved at a level that is not the last: recorded, nothing reserved.
    Passed { level: u32, amount: Money },
    /// Approved at the last level: the grant is approved for `amount` (the approval plan
    /// reserves it).
    Final { level: u32, amount: Money },
    /// Rejected at `level`: the application ends.
    Rejected { level: u32, reason: String },
}

fn forbidden(code: &'static str, message: String) -> Refusal {
    Refusal {
        kind: RefusalKind::Forbidden,
        code,
        field: None,
        message,
    }
}

/// Decides the next level of the chain. `asked_level` (1-based), when given, must be the next
/// one: a level cannot be skipped nor decided again. The reviewer must hold the level's scope
/// and must not have decided an earlier level of this application; an approved amount never
/// exceeds the previous level's (nor the request).
pub fn plan_review_step(
    f: &ReviewStepFacts,
    approve: bool,
    asked_level: Option<u32>,
    amount: Option<Money>,
    reason: Option<&str>,
) -> Result<ReviewStep, Refusal> {
    let next = f.done.len() as u32 + 1;
    let Some(level) = f.chain.get(f.done.len()) else {
        return Err(Refusal::conflict_general(
            "invalid_state",
            "every level of the review chain has decided",
        ));
    };
    if let Some(asked) = asked_level.filter(|a| *a != next) {
        return Err(Refusal::conflict(
            "level_out_of_order",
            "level",
            format!(
                "level: the application is at level {next} ({}); level {asked} cannot be decided now",
                level.name
            ),
        ));
    }
    match (level.scope, f.reviewer_city) {
        (ReviewScope::Province, Some(c)) => {
            return Err(forbidden(
                "review_scope",
                format!(
                "level {next} ({}) is decided by a provincial reviewer; you review for city {c}",
                level.name
            ),
            ))
        }
        (ReviewScope::City, c) if c != Some(f.enterprise_city) => {
            return Err(forbidden(
                "review_scope",
                format!(
                    "level {next} ({}) is decided by a reviewer of the enterprise's city {}",
                    level.name, f.enterprise_city
                ),
            ))
        }
        _ => {}
    }
    if f.done.iter().any(|d| d.reviewer == f.reviewer) {
        return Err(Refusal::conflict_general(
            "same_reviewer",
            "you decided an earlier level of this application; another reviewer decides this one",
        ));
    }
    if !approve {
        let reason = reason.map(str::trim).unwrap_or("");
        if reason.is_empty() {
            return Err(Refusal::invalid(
                "required",
                "reason",
                "reason: a rejection states its reason, which the enterprise sees",
            ));
        }
        return Ok(ReviewStep::Rejected {
            level: next,
            reason: reason.to_string(),
        });
    }
    let ceiling = f.done.last().map_or(f.requested, |d| d.amount);
    let amount = amount.unwrap_or(ceiling);
    if !amount.is_positive() {
        return Err(Refusal::invalid(
            "invalid_amount",
            "amount_fen",
            "amount_fen: must be positive",
        ));
    }
    if amount > ceiling {
        return Err(Refusal::conflict(
            "above_previous_level",
            "amount_fen",
            format!("amount_fen: {amount} yuan is more than the {ceiling} yuan the previous level allowed"),
        ));
    }
    Ok(if next as usize == f.chain.len() {
        ReviewStep::Final {
            level: next,
            amount,
        }
    } else {
        ReviewStep::Passed {
            level: next,
            amount,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn chain() -> Vec<ReviewLevel> {
        vec![
            ReviewLevel {
                name: "市级初审".into(),
                scope: ReviewScope::City,
            },
            ReviewLevel {
                name: "省级复核".into(),
                scope: ReviewScope::Province,
            },
            ReviewLevel {
                name: "财政审批".into(),
                scope: ReviewScope::Province,
            },
        ]
    }

    fn facts<'a>(
        c: &'a [ReviewLevel],
        done: &'a [LevelDone],
        who: &'a str,
        city: Option<&'a str>,
    ) -> ReviewStepFacts<'a> {
        ReviewStepFacts {
            chain: c,
            done,
            requested: Money::from_fen(1_000_000),
            reviewer: who,
            reviewer_city: city,
            enterprise_city: "370100",
        }
    }

    #[test]
    fn levels_go_in_order_by_their_scope() {
        let c = chain();
        let step = plan_review_step(
            &facts(&c, &[], "jn", Some("370100")),
            true,
            Some(1),
            Some(Money::from_fen(800_000)),
            None,
        )
        .unwrap();
        assert_eq!(
            step,
            ReviewStep::Passed {
                level: 1,
                amount: Money::from_fen(800_000)
            }
        );
        let e =
            plan_review_step(&facts(&c, &[], "prov", None), true, None, None, None).unwrap_err();
        assert_eq!(e.code, "review_scope");
        let e = plan_review_step(
            &facts(&c, &[], "qd", Some("370200")),
            true,
            None,
            None,
            None,
        )
        .unwrap_err();
        assert_eq!(e.code, "review_scope");
        let e = plan_review_step(
            &facts(&c, &[], "jn", Some("370100")),
            true,
            Some(2),
            None,
            None,
        )
        .unwrap_err();
        assert_eq!(e.code, "level_out_of_order");
        let done = [LevelDone {
            amount: Money::from_fen(800_000),
            reviewer: "jn".into(),
        }];
        let e = plan_review_step(
            &facts(&c, &done, "prov", None),
            true,
            None,
            Some(Money::from_fen(900_000)),
            None,
        )
        .unwrap_err();
        assert_eq!(e.code, "above_previous_level");
        let ok = plan_review_step(&facts(&c, &done, "prov", None), true, None, None, None).unwrap();
        assert_eq!(
            ok,
            ReviewStep::Passed {
                level: 2,
                amount: Money::from_fen(800_000)
            }
        );
        let two = [
            done[0].clone(),
            LevelDone {
                amount: Money::from_fen(700_000),
                reviewer: "prov".into(),
            },
        ];
        let e =
            plan_review_step(&facts(&c, &two, "prov", None), true, None, None, None).unwrap_err();
        assert_eq!(e.code, "same_reviewer");
        let fin =
            plan_review_step(&facts(&c, &two, "fin", None), true, Some(3), None, None).unwrap();
        assert_eq!(
            fin,
            ReviewStep::Final {
                level: 3,
                amount: Money::from_fen(700_000)
            }
        );
        let e = plan_review_step(&facts(&c, &two, "fin", None), false, None, None, Some(" "))
            .unwrap_err();
        assert_eq!(e.code, "required");
        let three = [
            two[0].clone(),
            two[1].clone(),
            LevelDone {
                amount: Money::from_fen(1),
                reviewer: "fin".into(),
            },
        ];
        assert_eq!(
            plan_review_step(&facts(&c, &three, "x", None), true, None, None, None)
                .unwrap_err()
                .code,
            "invalid_state"
        );
    }

    proptest! {
        /// Along any run of approvals, amounts never rise and only the last level is final.
        #[test]
        fn amounts_never_rise_and_only_the_last_level_is_final(asks in prop::collection::vec(1i64..2_000_000, 1..6)) {
            let c: Vec<ReviewLevel> = (0..asks.len()).map(|n| ReviewLevel { name: format!("L{n}"), scope: ReviewScope::Province }).collect();
            let mut done: Vec<LevelDone> = Vec::new();
            for (n, ask) in asks.iter().enumerate() {
                let who = format!("r{n}");
                let f = ReviewStepFacts { chain: &c, done: &done, requested: Money::from_fen(1_000_000), reviewer: &who, reviewer_city: None, enterprise_city: "370100" };
                let ceiling = done.last().map_or(1_000_000, |d| d.amount.fen());
                match plan_review_step(&f, true, Some(n as u32 + 1), Some(Money::from_fen(*ask)), None) {
                    Ok(ReviewStep::Passed { amount, level }) => {
                        prop_assert!(amount.fen() <= ceiling && (level as usize) < c.len());
                        done.push(LevelDone { amount, reviewer: who.clone() });
                    }
                    Ok(ReviewStep::Final { amount, level }) => {
                        prop_assert!(amount.fen() <= ceiling);
                        prop_assert_eq!(level as usize, c.len());
                        break;
                    }
                    Ok(ReviewStep::Rejected { .. }) => prop_assert!(false),
                    Err(e) => {
                        prop_assert_eq!(e.code, "above_previous_level");
                        prop_assert!(*ask > ceiling);
                        break;
                    }
                }
            }
        }
    }
}
