//! The public notice (公示) after approval: objections filed and resolved, and the voucher issued
//! once the notice is over (`quan_domain::plan_issue`), or the grant revoked when an objection is
//! upheld (`quan_domain::plan_revocation`).
use quan_domain::{
    plan_issue, plan_revocation, reservation_id, validate_text, ApplicationEvent,
    ApplicationStatus, FundingSourceId, GrantFacts, Money,
};
use sqlx::Row;

use super::applications::{load, status, transition};
use super::{new_id, not_found, to_json, Now};
use crate::audit;
use crate::db::Tx;
use crate::error::{Result, StoreError};
use crate::ledger;
use crate::rows::{Application, Objection, Program};
use crate::{Actor, Role, Store};
use quan_domain::inputs::{ObjectionInput, ResolveInput};

pub async fn file_objection(
    tx: &mut Tx,
    actor: &Actor,
    app_id: &str,
    input: &ObjectionInput,
    now: &Now,
) -> Result<Objection> {
    let reason = validate_text("reason", &input.reason, 2000)?;
    let a = load(tx, app_id).await?;
    // Outside its notice an application is not public: to whoever may not see it, it does not
    // exist (no status is revealed).
    let may_see = !actor.is(Role::Supplier)
        && actor
            .enterprise_scope()
            .is_none_or(|own| own == a.enterprise_id.as_str());
    let in_notice = a.status == ApplicationStatus::Approved
        && a.notice_ends_on.is_none_or(|end| now.today <= end);
    if !in_notice && !may_see {
        return Err(not_found("application"));
    }
    if a.status != ApplicationStatus::Approved {
        return Err(StoreError::conflict(
            "invalid_state",
            format!(
                "objections are taken only during the notice period; the application is {}",
                a.status
            ),
        ));
    }
    if a.notice_ends_on.is_some_and(|end| now.today > end) {
        return Err(StoreError::conflict(
            "notice_closed",
            "the notice period has ended",
        ));
    }
    let o = Objection {
        id: new_id("obj"),
        application_id: app_id.to_string(),
        filed_by: actor.label(),
        reason,
        status: "open".into(),
        resolution_note: None,
        created_at: now.ts.clone(),
    };
    sqlx::query("INSERT INTO objections (id, application_id, filed_by, reason, status, created_at) VALUES ($1, $2, $3, $4, 'open', $5)")
        .bind(&o.id)
        .bind(app_id)
        .bind(&o.filed_by)
        .bind(&o.reason)
        .bind(&now.ts)
        .execute(&mut **tx)
        .await?;
    audit::append(
        tx,
        actor,
        "objection.file",
        &o.id,
        "null",
        &to_json(&o),
        &now.ts,
    )
    .await?;
    Ok(o)
}

pub async fn resolve_objection(
    tx: &mut Tx,
    actor: &Actor,
    objection_id: &str,
    input: &ResolveInput,
    now: &Now,
) -> Result<Application> {
    let note = match input.note.trim() {
        "" => String::new(),
        n => validate_text("note", n, 2000)?,
    };
    let n = sqlx::query("UPDATE objections SET status = $1, resolution_note = $2, resolved_by = $3, resolved_at = $4 WHERE id = $5 AND status = 'open'")
        .bind(if input.uphold { "upheld" } else { "dismissed" })
        .bind(&note)
        .bind(&actor.user_id)
        .bind(&now.ts)
        .bind(objection_id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    if n == 0 {
        let exists = sqlx::query("SELECT 1 FROM objections WHERE id = $1")
            .bind(objection_id)
            .fetch_optional(&mut **tx)
            .await?;
        return Err(if exists.is_some() {
            StoreError::conflict("invalid_state", "the objection is already resolved")
        } else {
            not_found("objection")
        });
    }
    let app_id: String = sqlx::query("SELECT application_id FROM objections WHERE id = $1")
        .bind(objection_id)
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)?;
    let before = load(tx, &app_id).await?;
    if input.uphold {
        transition(before.status, ApplicationEvent::UpholdObjection)?;
        let program = super::programs::load(tx, before.program_id.as_str()).await?;
        let plan = plan_revocation(&grant_facts(tx, &before, &program, now).await?)?;
        ledger::post_all(tx, &plan.postings, &now.ts).await?;
        let next = plan.next;
        sqlx::query("UPDATE applications SET status = $1, reason = $2 WHERE id = $3")
            .bind(next.as_str())
            .bind(format!("objection upheld: {note}"))
            .bind(&app_id)
            .execute(&mut **tx)
            .await?;
    }
    let after = load(tx, &app_id).await?;
    let action = if input.uphold {
        "objection.uphold"
    } else {
        "objection.dismiss"
    };
    audit::append(
        tx,
        actor,
        action,
        objection_id,
        &to_json(&before),
        &to_json(&after),
        &now.ts,
    )
    .await?;
    Ok(after)
}

/// An approved grant's facts: which reservations exist, the notice, open objections.
async fn grant_facts(
    tx: &mut Tx,
    app: &Application,
    program: &Program,
    now: &Now,
) -> Result<GrantFacts> {
    let application = app.id.clone();
    let voucher = app.voucher_id.clone().ok_or_else(|| {
        StoreError::Corrupt(format!("approved application {} has no voucher id", app.id))
    })?;
    let mut reserved_from = Vec::new();
    let mut held_from = Vec::new();
    for f in &program.funding {
        let source = FundingSourceId::new(f.source_id.clone());
        let held = sqlx::query("SELECT 1 FROM ledger_transfers WHERE id = $1")
            .bind(quan_domain::held_reservation_id(&application, &source))
            .fetch_optional(&mut **tx)
            .await?;
        if held.is_some() {
            held_from.push(source.clone());
        }
        let exists = sqlx::query("SELECT 1 FROM ledger_transfers WHERE id = $1")
            .bind(reservation_id(&application, &source))
            .fetch_optional(&mut **tx)
            .await?;
        if exists.is_some() {
            reserved_from.push(source);
        }
    }
    let open_objections: i64 = sqlx::query("SELECT CAST(COUNT(*) AS BIGINT) FROM objections WHERE application_id = $1 AND status = 'open'")
        .bind(app.id.as_str())
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)?;
    let notice_ends_on = app.notice_ends_on;
    let enterprise_listing =
        super::integrity::listing_on(tx, app.enterprise_id.as_str(), now.today).await?;
    Ok(GrantFacts {
        application,
        status: status(app.status)?,
        program: program.id.as_str().into(),
        voucher,
        reserved_from,
        held_from,
        notice_ends_on,
        open_objections,
        enterprise_listing,
        today: now.today,
    })
}

/// Issues the voucher of an approved grant once its notice period is over and no objection is open.
pub async fn issue(
    tx: &mut Tx,
    actor: &Actor,
    app_id: &str,
    now: &Now,
) -> Result<crate::rows::Voucher> {
    sqlx::query("UPDATE applications SET status = status WHERE id = $1")
        .bind(app_id)
        .execute(&mut **tx)
        .await?;
    let before = load(tx, app_id).await?;
    status(before.status)?
        .apply(ApplicationEvent::Issue)
        .map_err(|e| StoreError::conflict("invalid_state", e.to_string()))?;
    let program = super::programs::load(tx, before.program_id.as_str()).await?;
    let facts = grant_facts(tx, &before, &program, now).await?;
    let plan = plan_issue(&facts)?;
    ledger::post_all(tx, &plan.postings, &now.ts).await?;
    let next = plan.next;
    let voucher_id = facts.voucher.into_string();
    let held = held_fen(tx, app_id).await?;
    let number = super::numbers::next(tx, quan_domain::DocumentKind::Voucher, now).await?;
    sqlx::query(
        "INSERT INTO vouchers (id, application_id, program_id, enterprise_id, voucher_type, face_value_fen, valid_from, valid_until, status, issued_at, number) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'active', $9, $10)",
    )
    .bind(&voucher_id)
    .bind(app_id)
    .bind(&program.id)
    .bind(before.enterprise_id.as_str())
    .bind(&program.voucher_type)
    .bind(before.approved_fen.unwrap_or(Money::ZERO).fen() - held)
    .bind(&program.valid_from)
    .bind(&program.valid_until)
    .bind(&now.ts)
    .bind(&number)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE applications SET status = $1 WHERE id = $2")
        .bind(next.as_str())
        .bind(app_id)
        .execute(&mut **tx)
        .await?;
    let v = super::vouchers::load(tx, &voucher_id).await?;
    audit::append(
        tx,
        actor,
        "voucher.issue",
        &voucher_id,
        &to_json(&before),
        &to_json(&v),
        &now.ts,
    )
    .await?;
    Ok(v)
}

/// What an application's second milestone holds (pending `hold:` reservations), in fen.
pub(crate) async fn held_fen(tx: &mut Tx, app_id: &str) -> Result<i64> {
    Ok(sqlx::query(
        "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM ledger_transfers WHERE id LIKE $1 AND kind = 'pending' AND pending_state = 'pending'",
    )
    .bind(format!("hold:{app_id}:%"))
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?)
}

/// Application ids whose notice is over with no open objection: the scheduler issues them.
pub async fn due_for_issue(store: &Store, now: &Now, limit: i64) -> Result<Vec<String>> {
    let rows = sqlx::query(
        "SELECT a.id FROM applications a WHERE a.status = 'approved' AND a.notice_ends_on <= $1 \
         AND NOT EXISTS (SELECT 1 FROM objections o WHERE o.application_id = a.id AND o.status = 'open') ORDER BY a.notice_ends_on LIMIT $2",
    )
    .bind(now.today.to_string())
    .bind(limit)
    .fetch_all(store.reader())
    .await?;
    rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
}
