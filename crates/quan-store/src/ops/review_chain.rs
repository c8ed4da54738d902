//! Multi-level review (`quan_domain::plan_review_step`): in a program with a review chain each
//! level is a recorded decision (`application_reviews`), in order, by a reviewer of the level's
//! scope; only the last level's approval runs the approval plan, which reserves the budget and
//! starts the notice. The application row is locked first (by `applications::review`), so two
//! reviewers deciding one level on two servers queue and the second finds it decided.
use quan_domain::inputs::ReviewInput;
use quan_domain::{
    plan_review_step, LevelDone, Money, ReviewDecision, ReviewLevel, ReviewStep, ReviewStepFacts,
};
use sqlx::Row;

use super::to_json;
use super::Now;
use crate::audit;
use crate::db::Tx;
use crate::error::{Result, StoreError};
use crate::rows::{Application, Program};
use crate::{Actor, Role};

/// The city a reviewer belongs to (None: provincial).
pub(crate) async fn reviewer_city(
    conn: &mut sqlx::AnyConnection,
    user_id: &str,
) -> Result<Option<String>> {
    Ok(sqlx::query("SELECT city_code FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(conn)
        .await?
        .map(|r| r.try_get::<Option<String>, _>(0))
        .transpose()?
        .flatten())
}

/// The city a city reviewer is confined to; None for everyone else.
pub(crate) async fn confined_city(
    conn: &mut sqlx::AnyConnection,
    actor: &Actor,
) -> Result<Option<String>> {
    if !actor.is(Role::Reviewer) {
        return Ok(None);
    }
    reviewer_city(conn, &actor.user_id).await
}

/// An application's recorded level decisions, in order.
pub(crate) async fn decisions(
    conn: &mut sqlx::AnyConnection,
    application: &str,
) -> Result<Vec<ReviewDecision>> {
    let rows = sqlx::query(
        "SELECT level, level_name, decision, amount_fen, reason, reviewer_id, reviewer_name, decided_at FROM application_reviews \
         WHERE application_id = $1 ORDER BY level",
    )
    .bind(application)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(ReviewDecision {
                level: r.try_get::<i64, _>(0)? as u32,
                level_name: r.try_get(1)?,
                decision: r.try_get(2)?,
                amount_fen: r.try_get::<Option<i64>, _>(3)?.map(Money::from_fen),
                reason: r.try_get(4)?,
                reviewer_name: r.try_get(6)?,
                decided_at: r.try_get(7)?,
            })
        })
        .collect()
}

async fn record(
    tx: &mut Tx,
    actor: &Actor,
    app: &str,
    (level, level_name): (u32, &str),
    (decision, amount, reason): (&str, Option<Money>, Option<&str>),
    now: &Now,
) -> Result<()> {
    let name: String = sqlx::query("SELECT display_name FROM users WHERE id = $1")
        .bind(&actor.user_id)
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| r.try_get(0))
        .transpose()?
        .unwrap_or_else(|| actor.username.clone());
    sqlx::query(
        "INSERT INTO application_reviews (application_id, level, level_name, decision, amount_fen, reason, reviewer_id, reviewer_name, decided_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(app)
    .bind(i64::from(level))
    .bind(level_name)
    .bind(decision)
    .bind(amount.map(|m| m.fen()))
    .bind(reason)
    .bind(&actor.user_id)
    .bind(&name)
    .bind(&now.ts)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE applications SET review_level = $1 WHERE id = $2")
        .bind(i64::from(level))
        .bind(app)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Decides the application's next level of `chain`.
pub(crate) async fn review_step(
    tx: &mut Tx,
    actor: &Actor,
    before: &Application,
    program: &Program,
    chain: &[ReviewLevel],
    input: &ReviewInput,
    now: &Now,
) -> Result<Application> {
    let approve = match input.decision.as_str() {
        "approve" => true,
        "reject" => false,
        other => {
            return Err(quan_domain::ValidationError::new(
                "decision",
                "invalid_decision",
                format!("decision: {other:?} must be approve or reject"),
            )
            .into())
        }
    };
    if before.status != quan_domain::ApplicationStatus::Submitted {
        return Err(StoreError::conflict(
            "invalid_state",
            format!("the application is {}, not under review", before.status),
        ));
    }
    let done: Vec<LevelDone> = sqlx::query(
        "SELECT amount_fen, reviewer_id FROM application_reviews WHERE application_id = $1 AND decision = 'approve' ORDER BY level",
    )
    .bind(before.id.as_str())
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(|r| {
        Ok(LevelDone {
            amount: Money::from_fen(r.try_get::<Option<i64>, _>(0)?.unwrap_or(0)),
            reviewer: r.try_get(1)?,
        })
    })
    .collect::<Result<_>>()?;
    let city = reviewer_city(&mut *tx, &actor.user_id).await?;
    let facts = ReviewStepFacts {
        chain,
        done: &done,
        requested: before.amount_fen,
        reviewer: &actor.user_id,
        reviewer_city: city.as_deref(),
        enterprise_city: &before.city_code,
    };
    let amount = input.amount_fen.map(Money::from_fen);
    let step = plan_review_step(
        &facts,
        approve,
        input.level,
        amount,
        input.reason.as_deref(),
    )?;
    let app = before.id.as_str();
    let after = match step {
        ReviewStep::Passed { level, amount } => {
            let name = &chain[level as usize - 1].name;
            let reason = input
                .reason
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty());
            record(
                tx,
                actor,
                app,
                (level, name),
                ("approve", Some(amount), reason),
                now,
            )
            .await?;
            super::applications::load(tx, app).await?
        }
        ReviewStep::Rejected { level, reason } => {
            let name = &chain[level as usize - 1].name;
            record(
                tx,
                actor,
                app,
                (level, name),
                ("reject", None, Some(&reason)),
                now,
            )
            .await?;
            sqlx::query("UPDATE applications SET status = 'rejected', reason = $1, reviewer_id = $2, reviewed_at = $3 WHERE id = $4")
                .bind(format!("{name}：{reason}"))
                .bind(&actor.user_id)
                .bind(&now.ts)
                .bind(app)
                .execute(&mut **tx)
                .await?;
            super::applications::load(tx, app).await?
        }
        ReviewStep::Final { level, amount } => {
            let name = &chain[level as usize - 1].name;
            let reason = input
                .reason
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty());
            record(
                tx,
                actor,
                app,
                (level, name),
                ("approve", Some(amount), reason),
                now,
            )
            .await?;
            let last = ReviewInput {
                decision: "approve".into(),
                amount_fen: Some(amount.fen()),
                reason: input.reason.clone(),
                level: None,
            };
            // The approval plan reserves the budget and starts the notice (it audits itself).
            return super::applications::approve(tx, actor, before, program, &last, now).await;
        }
    };
    audit::append(
        tx,
        actor,
        if after.status == quan_domain::ApplicationStatus::Rejected {
            "application.reject"
        } else {
            "application.review_level"
        },
        app,
        &to_json(before),
        &to_json(&after),
        &now.ts,
    )
    .await?;
    Ok(after)
}
