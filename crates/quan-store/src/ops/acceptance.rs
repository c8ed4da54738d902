//! The acceptance check of a milestone-paid voucher (`quan_domain::plan_acceptance`): the
//! voucher row is locked first, then (on "fail") each live redemption is clawed back through
//! the clawback operation, and the voucher's remaining balance is released to the sources.
use quan_domain::inputs::{AcceptanceInput, ClawbackInput};
use quan_domain::{
    parse_date, plan_acceptance, plan_release, validate_text, AcceptanceFacts, AcceptanceRating,
    AccountId, FundingSourceId, Money, ValidationError, VoucherStatus,
};
use sqlx::Row;

use super::{to_json, Now};
use crate::audit;
use crate::db::Tx;
use crate::error::{Result, StoreError};
use crate::ledger;
use crate::rows::Voucher;
use crate::{Actor, Role};

fn rating(s: &str) -> Result<AcceptanceRating> {
    match s {
        "excellent" => Ok(AcceptanceRating::Excellent),
        "pass" => Ok(AcceptanceRating::Pass),
        "fail" => Ok(AcceptanceRating::Fail),
        other => Err(ValidationError::new(
            "rating",
            "invalid_rating",
            format!("rating: {other:?} must be excellent, pass or fail"),
        )
        .into()),
    }
}

/// Records the acceptance check and applies its effect on the money.
pub async fn record(
    tx: &mut Tx,
    actor: &Actor,
    voucher_id: &str,
    input: &AcceptanceInput,
    now: &Now,
) -> Result<Voucher> {
    if !actor.is(Role::Admin) {
        return Err(StoreError::forbidden(
            "only an administrator records an acceptance check",
        ));
    }
    let r = rating(input.rating.trim())?;
    let panel = validate_text("panel", &input.panel, 500)?;
    let report = validate_text("report_ref", &input.report_ref, 200)?;
    let checked_on = parse_date("checked_on", &input.checked_on)?;
    if checked_on > now.today {
        return Err(ValidationError::new(
            "checked_on",
            "in_future",
            "checked_on: the check cannot be dated after today",
        )
        .into());
    }
    sqlx::query("UPDATE vouchers SET status = status WHERE id = $1")
        .bind(voucher_id)
        .execute(&mut **tx)
        .await?;
    let before = super::vouchers::load(tx, voucher_id).await?;
    let program = super::programs::load(tx, before.program_id.as_str()).await?;
    let app = before.application_id.clone();
    let mut held = Vec::new();
    for f in &program.funding {
        let source = FundingSourceId::new(f.source_id.clone());
        let row = sqlx::query(
            "SELECT amount FROM ledger_transfers WHERE id = $1 AND kind = 'pending' AND pending_state = 'pending'",
        )
        .bind(quan_domain::held_reservation_id(&app, &source))
        .fetch_optional(&mut **tx)
        .await?;
        if let Some(row) = row {
            held.push((source, Money::from_fen(row.try_get(0)?)));
        }
    }
    let live = sqlx::query(
        "SELECT id FROM redemptions WHERE voucher_id = $1 AND status <> 'clawed_back' ORDER BY created_at, id",
    )
    .bind(voucher_id)
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(|r| r.try_get::<String, _>(0).map(Into::into))
    .collect::<std::result::Result<_, _>>()?;
    let facts = AcceptanceFacts {
        application: app,
        program: program.id.as_str().into(),
        voucher: before.id.clone(),
        voucher_status: before.status,
        has_milestones: program.policy.first_milestone_fen.is_some() || !held.is_empty(),
        already: sqlx::query("SELECT rating FROM acceptance_checks WHERE voucher_id = $1")
            .bind(voucher_id)
            .fetch_optional(&mut **tx)
            .await?
            .map(|row| rating(&row.try_get::<String, _>(0)?))
            .transpose()?,
        held,
        live_redemptions: live,
    };
    let plan = plan_acceptance(&facts, r)?;
    ledger::post_all(tx, &plan.postings, &now.ts).await?;
    if plan.face_value_increase.is_positive() {
        sqlx::query("UPDATE vouchers SET face_value_fen = face_value_fen + $1 WHERE id = $2")
            .bind(plan.face_value_increase.fen())
            .bind(voucher_id)
            .execute(&mut **tx)
            .await?;
    }
    let reason = ClawbackInput {
        reason: format!("验收不合格，追回已拨付资金（{report}）"),
    };
    for red in &plan.claw_back {
        super::redemptions::clawback(tx, actor, red.as_str(), &reason, now).await?;
    }
    if plan.next_status == VoucherStatus::Cancelled {
        let vacct = AccountId::Voucher(before.id.clone());
        let bal = ledger::lock_account(tx, &vacct).await?;
        let funded = ledger::funded_by(tx, &vacct).await?;
        let release = plan_release(
            &before.id,
            Money::from_fen(bal.available()),
            &funded,
            "acceptance",
        )?;
        ledger::post_all(tx, &release, &now.ts).await?;
        sqlx::query("UPDATE vouchers SET status = 'cancelled' WHERE id = $1")
            .bind(voucher_id)
            .execute(&mut **tx)
            .await?;
    }
    sqlx::query(
        "INSERT INTO acceptance_checks (voucher_id, rating, panel, checked_on, report_ref, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(voucher_id)
    .bind(r.as_str())
    .bind(&panel)
    .bind(checked_on.to_string())
    .bind(&report)
    .bind(&actor.user_id)
    .bind(&now.ts)
    .execute(&mut **tx)
    .await?;
    let after = super::vouchers::load(tx, voucher_id).await?;
    audit::append(
        tx,
        actor,
        "voucher.acceptance",
        voucher_id,
        &to_json(&before),
        &to_json(&after),
        &now.ts,
    )
    .await?;
    Ok(after)
}
