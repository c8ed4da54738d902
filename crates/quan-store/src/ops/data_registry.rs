//! Data resource registration: the holder applies, a reviewer accepts, returns or passes the
//! formal review, the public notice takes objections, and the registration code and
//! certificate are issued; changes, corrections, renewals and cancellations are registrations
//! of their own. Each step locks the registration's row (then the original's), asks
//! `quan_domain::plan_registration_step`, and writes the plan, an event and one audit record —
//! the certificate's digest goes into the audit chain.
use quan_domain::{
    check_applicant, registration_code, standing, Certificate, CorpusRegistration,
    DataRegistration, HolderKind, OriginalFacts, RegistrationContent, RegistrationEvent,
    RegistrationFacts, RegistrationInput, RegistrationKind, RegistrationObjection,
    RegistrationPlan, RegistrationRequest, RegistrationStatus, RegistrationStep,
    RegistrationVerification, Standing,
};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::{fetch_page, new_id, not_found, to_json, Arg, Filter, Now, PageReq};
use crate::audit;
use crate::db::Tx;
use crate::error::{Result, StoreError};
use crate::rows::Page;
use crate::{Actor, Role, Store};

mod events;
mod read;
pub use events::*;
pub use read::*;

const COLUMNS: &str = "r.id, r.code, r.kind, o.code AS original_code, r.reason, r.status, r.applicant_kind, r.applicant_id, \
     r.content, r.notice_ends, r.valid_from, r.valid_until, r.registered_on, s.code AS successor_code, r.certificate_digest, \
     r.last_reason, r.applied_by, r.applied_at, \
     CAST((SELECT COUNT(*) FROM data_registration_objections x WHERE x.registration_id = r.id AND x.status = 'open') AS BIGINT) AS open_objections";
const FROM: &str = "data_registrations r LEFT JOIN data_registrations o ON o.id = r.original_id \
     LEFT JOIN data_registrations s ON s.id = r.successor_id";

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("data registration: {e}"))
}

fn date(r: &AnyRow, col: &str) -> Result<Option<chrono::NaiveDate>> {
    r.try_get::<Option<String>, _>(col)?
        .map(|s| s.parse().map_err(corrupt))
        .transpose()
}

fn row_on(r: &AnyRow, today: chrono::NaiveDate) -> Result<DataRegistration> {
    let status =
        RegistrationStatus::parse("status", &r.try_get::<String, _>("status")?).map_err(corrupt)?;
    let valid_from = date(r, "valid_from")?;
    let valid_until = date(r, "valid_until")?;
    let content: RegistrationContent =
        serde_json::from_str(&r.try_get::<String, _>("content")?).map_err(corrupt)?;
    Ok(DataRegistration {
        id: r.try_get("id")?,
        code: r.try_get("code")?,
        kind: RegistrationKind::parse("kind", &r.try_get::<String, _>("kind")?).map_err(corrupt)?,
        original_code: r.try_get("original_code")?,
        reason: r.try_get("reason")?,
        status,
        standing: standing(status, valid_from.zip(valid_until), today),
        applicant_kind: HolderKind::parse(
            "applicant_kind",
            &r.try_get::<String, _>("applicant_kind")?,
        )
        .map_err(corrupt)?,
        applicant_id: r.try_get("applicant_id")?,
        content,
        notice_ends: date(r, "notice_ends")?,
        valid_from,
        valid_until,
        registered_on: date(r, "registered_on")?,
        successor_code: r.try_get("successor_code")?,
        certificate_digest: r.try_get("certificate_digest")?,
        last_reason: r.try_get("last_reason")?,
        open_objections: r.try_get("open_objections")?,
        events: Vec::new(),
        objections: Vec::new(),
        applied_by: r.try_get("applied_by")?,
        applied_at: r.try_get("applied_at")?,
    })
}

fn row(r: &AnyRow) -> Result<DataRegistration> {
    row_on(r, chrono::Utc::now().date_naive())
}

/// The party an actor applies as: an enterprise or supplier user for itself; an administrator
/// for anyone (a public body included); nobody else registers data.
fn applicant(actor: &Actor) -> Result<Option<(HolderKind, String)>> {
    match actor.role {
        Role::Enterprise => Ok(Some((
            HolderKind::Enterprise,
            actor.enterprise_scope().unwrap_or("-").to_string(),
        ))),
        Role::Supplier => Ok(Some((
            HolderKind::Supplier,
            actor.supplier_scope().unwrap_or("-").to_string(),
        ))),
        Role::Admin => Ok(None),
        _ => Err(StoreError::forbidden(
            "only a data holder or an administrator applies for a registration",
        )),
    }
}

/// Whether `actor` may see registration `r` (its holder, or a reviewer, administrator or auditor).
fn visible(actor: &Actor, r: &DataRegistration) -> bool {
    let own = |kind: HolderKind, id: Option<&str>| {
        r.applicant_kind == kind && r.applicant_id.as_deref() == id
    };
    match actor.role {
        Role::Enterprise => own(HolderKind::Enterprise, actor.enterprise_scope()),
        Role::Supplier => own(HolderKind::Supplier, actor.supplier_scope()),
        _ => true,
    }
}

async fn load_code(tx: &mut Tx, code: &str) -> Result<Option<DataRegistration>> {
    let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE r.code = $1");
    super::fetch_one_opt(tx, &sql, code, row).await
}

pub(crate) async fn load(tx: &mut Tx, id: &str) -> Result<DataRegistration> {
    let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE r.id = $1");
    super::fetch_one_opt(tx, &sql, id, row)
        .await?
        .ok_or_else(|| not_found("data registration"))
}

async fn event(
    tx: &mut Tx,
    id: &str,
    step: &str,
    status: RegistrationStatus,
    reason: Option<&str>,
    actor: &Actor,
    now: &Now,
) -> Result<()> {
    sqlx::query("INSERT INTO data_registration_events (id, registration_id, step, status, reason, actor, at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(new_id("dre"))
        .bind(id)
        .bind(step)
        .bind(status.as_str())
        .bind(reason)
        .bind(actor.label())
        .bind(&now.ts)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Applies for a registration (initial, or an amendment naming the original's code).
pub async fn apply(
    tx: &mut Tx,
    actor: &Actor,
    input: &RegistrationInput,
    now: &Now,
) -> Result<DataRegistration> {
    let party = applicant(actor)?;
    let req = RegistrationRequest::parse(input)?;
    check_applicant(
        party.as_ref().map(|(k, id)| (*k, id.as_str())),
        &req.content.rights,
    )?;
    let original = match &req.original_code {
        None => None,
        Some(code) => {
            let o = load_code(tx, code)
                .await?
                .filter(|o| visible(actor, o) && o.kind != RegistrationKind::Cancellation)
                .ok_or_else(|| {
                    StoreError::from(quan_domain::ValidationError::new(
                        "original_code",
                        "not_found",
                        format!("original_code: no registration {code} of this holder"),
                    ))
                })?;
            quan_domain::check_original(
                req.kind,
                &OriginalFacts {
                    status: o.status,
                    valid_until: o.valid_until,
                },
                now.today,
            )?;
            Some(o)
        }
    };
    let holding = &req.content.rights.holding;
    let id = new_id("drg");
    sqlx::query(
        "INSERT INTO data_registrations (id, kind, original_id, reason, status, applicant_kind, applicant_id, content, resource_name, holder_name, \
         operation_kind, operation_id, applied_by, applied_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)",
    )
    .bind(&id)
    .bind(req.kind.as_str())
    .bind(original.as_ref().map(|o| o.id.clone()))
    .bind(&req.reason)
    .bind(RegistrationStatus::Submitted.as_str())
    .bind(holding.party_kind.as_str())
    .bind(&holding.party_id)
    .bind(to_json(&req.content))
    .bind(&req.content.resource_name)
    .bind(&holding.name)
    .bind(req.content.rights.operation.party_kind.as_str())
    .bind(&req.content.rights.operation.party_id)
    .bind(&actor.user_id)
    .bind(&now.ts)
    .execute(&mut **tx)
    .await?;
    event(
        tx,
        &id,
        "apply",
        RegistrationStatus::Submitted,
        req.reason.as_deref(),
        actor,
        now,
    )
    .await?;
    let r = load(tx, &id).await?;
    audit::append(
        tx,
        actor,
        "data_registration.apply",
        &id,
        "null",
        &to_json(&r),
        &now.ts,
    )
    .await?;
    Ok(r)
}

/// Locks the registration's row and reads the facts a step decides on.
async fn step_facts(
    tx: &mut Tx,
    id: &str,
    now: &Now,
) -> Result<(DataRegistration, RegistrationFacts, Option<String>)> {
    let locked = sqlx::query(
        "UPDATE data_registrations SET updated_at = updated_at WHERE id = $1 RETURNING original_id",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or_else(|| not_found("data registration"))?;
    let original_id: Option<String> = locked.try_get(0)?;
    let r = load(tx, id).await?;
    let original = match &original_id {
        None => None,
        Some(oid) => {
            sqlx::query("UPDATE data_registrations SET updated_at = updated_at WHERE id = $1")
                .bind(oid)
                .execute(&mut **tx)
                .await?;
            let o = load(tx, oid).await?;
            Some(OriginalFacts {
                status: o.status,
                valid_until: o.valid_until,
            })
        }
    };
    let facts = RegistrationFacts {
        kind: r.kind,
        status: r.status,
        notice_ends: r.notice_ends,
        open_objections: r.open_objections,
        original,
        today: now.today,
    };
    Ok((r, facts, original_id))
}

fn reviewer_only(actor: &Actor) -> Result<()> {
    if !matches!(actor.role, Role::Reviewer | Role::Admin) {
        return Err(StoreError::forbidden(
            "only a registration reviewer or an administrator reviews registrations",
        ));
    }
    Ok(())
}

/// One step of the workflow (accept, return, resubmit, pass, reject, register).
pub async fn step(
    tx: &mut Tx,
    actor: &Actor,
    id: &str,
    step: &RegistrationStep,
    now: &Now,
) -> Result<DataRegistration> {
    if !matches!(step, RegistrationStep::Resubmit { .. }) {
        reviewer_only(actor)?;
    }
    let (before, facts, original_id) = step_facts(tx, id, now).await?;
    if !visible(actor, &before) {
        return Err(not_found("data registration"));
    }
    match step {
        RegistrationStep::Resubmit { content } => {
            if !matches!(actor.role, Role::Enterprise | Role::Supplier | Role::Admin) {
                return Err(StoreError::forbidden(
                    "only the holder resubmits its application",
                ));
            }
            let party = applicant(actor)?;
            check_applicant(
                party.as_ref().map(|(k, i)| (*k, i.as_str())),
                &content.rights,
            )?;
        }
        _ => reviewer_only(actor)?,
    }
    let plan = quan_domain::plan_registration_step(&facts, step)?;
    apply_plan(tx, actor, &before, original_id.as_deref(), step, &plan, now).await?;
    let after = load(tx, id).await?;
    let action = format!("data_registration.{}", step.name());
    let mut logged = serde_json::to_value(&after).unwrap_or_default();
    if let Some(d) = &after.certificate_digest {
        logged["certificate_digest"] = serde_json::Value::String(d.clone());
    }
    audit::append(
        tx,
        actor,
        &action,
        id,
        &to_json(&before),
        &logged.to_string(),
        &now.ts,
    )
    .await?;
    Ok(after)
}

fn step_reason(step: &RegistrationStep) -> Option<&str> {
    match step {
        RegistrationStep::Return { reason } | RegistrationStep::Reject { reason } => Some(reason),
        _ => None,
    }
}

async fn apply_plan(
    tx: &mut Tx,
    actor: &Actor,
    r: &DataRegistration,
    original_id: Option<&str>,
    step: &RegistrationStep,
    plan: &RegistrationPlan,
    now: &Now,
) -> Result<()> {
    let reason = step_reason(step);
    sqlx::query("UPDATE data_registrations SET status = $1, notice_ends = $2, last_reason = COALESCE($3, last_reason), updated_at = $4 WHERE id = $5")
        .bind(plan.status.as_str())
        .bind(plan.notice_ends.map(|d| d.to_string()))
        .bind(reason)
        .bind(&now.ts)
        .bind(&r.id)
        .execute(&mut **tx)
        .await?;
    if let RegistrationStep::Resubmit { content } = step {
        sqlx::query("UPDATE data_registrations SET content = $1, resource_name = $2, holder_name = $3, operation_kind = $4, operation_id = $5 WHERE id = $6")
            .bind(to_json(content.as_ref()))
            .bind(&content.resource_name)
            .bind(&content.rights.holding.name)
            .bind(content.rights.operation.party_kind.as_str())
            .bind(&content.rights.operation.party_id)
            .bind(&r.id)
            .execute(&mut **tx)
            .await?;
    }
    event(tx, &r.id, step.name(), plan.status, reason, actor, now).await?;
    if plan.status == RegistrationStatus::Registered {
        register(tx, actor, r, original_id, plan, now).await?;
    }
    Ok(())
}

/// Issues the code, records the certificate's digest, and moves the original (superseded or
/// cancelled) and the corpus products listed under it.
async fn register(
    tx: &mut Tx,
    actor: &Actor,
    r: &DataRegistration,
    original_id: Option<&str>,
    plan: &RegistrationPlan,
    now: &Now,
) -> Result<()> {
    let year = now
        .today
        .format("%Y")
        .to_string()
        .parse::<i32>()
        .unwrap_or(2026);
    sqlx::query(
        "INSERT INTO data_registration_seq (year, n) VALUES ($1, 0) ON CONFLICT (year) DO NOTHING",
    )
    .bind(year as i64)
    .execute(&mut **tx)
    .await?;
    let n: i64 =
        sqlx::query("UPDATE data_registration_seq SET n = n + 1 WHERE year = $1 RETURNING n")
            .bind(year as i64)
            .fetch_one(&mut **tx)
            .await?
            .try_get(0)?;
    let code = registration_code(year, n);
    let digest = plan.validity.map(|(from, until)| {
        Certificate {
            code: code.clone(),
            kind: r.kind,
            original_code: r.original_code.clone(),
            resource_name: r.content.resource_name.clone(),
            category: r.content.category.clone(),
            grade: r.content.grade,
            record_count: r.content.record_count,
            rights: r.content.rights.clone(),
            valid_from: from,
            valid_until: until,
            registered_on: now.today,
        }
        .digest()
    });
    sqlx::query("UPDATE data_registrations SET code = $1, valid_from = $2, valid_until = $3, registered_on = $4, certificate_digest = $5 WHERE id = $6")
        .bind(&code)
        .bind(plan.validity.map(|v| v.0.to_string()))
        .bind(plan.validity.map(|v| v.1.to_string()))
        .bind(now.today.to_string())
        .bind(&digest)
        .bind(&r.id)
        .execute(&mut **tx)
        .await?;
    let (Some(oid), Some(becomes)) = (original_id, plan.original_becomes) else {
        return Ok(());
    };
    sqlx::query("UPDATE data_registrations SET status = $1, successor_id = $2, updated_at = $3 WHERE id = $4")
        .bind(becomes.as_str())
        .bind(&r.id)
        .bind(&now.ts)
        .bind(oid)
        .execute(&mut **tx)
        .await?;
    let old_code = r.original_code.clone().unwrap_or_default();
    if becomes == RegistrationStatus::Cancelled {
        suspend_listings(
            tx,
            actor,
            &old_code,
            &format!("data registration {old_code} was cancelled"),
            now,
        )
        .await
    } else {
        sqlx::query(
            "UPDATE products SET data_registration_code = $1 WHERE data_registration_code = $2",
        )
        .bind(&code)
        .bind(&old_code)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }
}
