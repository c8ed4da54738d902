//! Change requests to an enterprise's registered file (industry, size class, legal
//! representative, shareholders, city): the enterprise asks, an administrator approves or
//! rejects, and every request stays on record with its before/after. The integrity rules
//! (affiliation, eligibility, recusal) read the file as approved, so an enterprise cannot edit
//! its way out of a refusal.
use quan_domain::inputs::{ChangeDecisionInput, EnterpriseChangeInput};
use quan_domain::ValidationError;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::enterprises::EnterprisePatch;
use super::{fetch_page, new_id, not_found, to_json, Filter, Now, PageReq};
use crate::audit;
use crate::db::Tx;
use crate::error::{Result, StoreError};
use crate::rows::{Enterprise, EnterpriseChangeRequest, FieldChange, Page};
use crate::{Actor, Role, Store};

const COLUMNS: &str =
    "c.id, c.enterprise_id, e.name AS enterprise_name, c.diff, c.evidence, c.status, \
     c.requested_by, c.created_at, c.decided_by, c.decided_at, c.decision_note";
const FROM: &str = "enterprise_change_requests c JOIN enterprises e ON e.id = c.enterprise_id";

fn row(r: &AnyRow) -> Result<EnterpriseChangeRequest> {
    let diff: String = r.try_get("diff")?;
    Ok(EnterpriseChangeRequest {
        id: r.try_get("id")?,
        enterprise_id: r.try_get("enterprise_id")?,
        enterprise_name: r.try_get("enterprise_name")?,
        changes: serde_json::from_str(&diff)
            .map_err(|e| StoreError::Corrupt(format!("change request diff: {e}")))?,
        evidence: r.try_get("evidence")?,
        status: r.try_get("status")?,
        requested_by: r.try_get("requested_by")?,
        created_at: r.try_get("created_at")?,
        decided_by: r.try_get("decided_by")?,
        decided_at: r.try_get("decided_at")?,
        decision_note: r.try_get("decision_note")?,
    })
}

fn as_patch(i: &EnterpriseChangeInput) -> EnterprisePatch {
    EnterprisePatch {
        industry: i.industry.clone(),
        size_class: i.size_class.clone(),
        legal_rep: i.legal_rep.clone(),
        shareholders: i.shareholders.clone(),
        actual_controller: i.actual_controller.clone(),
        city_code: i.city_code.clone(),
        ..Default::default()
    }
}

/// The fields that differ between two versions of a file.
fn diff(before: &Enterprise, after: &Enterprise) -> Vec<FieldChange> {
    let fields = [
        ("industry", &before.industry, &after.industry),
        ("size_class", &before.size_class, &after.size_class),
        ("legal_rep", &before.legal_rep, &after.legal_rep),
        (
            "actual_controller",
            &before.actual_controller,
            &after.actual_controller,
        ),
        ("city_code", &before.city_code, &after.city_code),
    ];
    let mut out: Vec<FieldChange> = fields
        .iter()
        .filter(|(_, b, a)| b != a)
        .map(|(f, b, a)| FieldChange {
            field: f.to_string(),
            before: b.to_string(),
            after: a.to_string(),
        })
        .collect();
    if before.shareholders != after.shareholders {
        out.push(FieldChange {
            field: "shareholders".into(),
            before: before.shareholders.join("、"),
            after: after.shareholders.join("、"),
        });
    }
    out
}

async fn load(tx: &mut Tx, id: &str) -> Result<EnterpriseChangeRequest> {
    let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE c.id = $1");
    let r = sqlx::query(&sql).bind(id).fetch_optional(&mut **tx).await?;
    r.as_ref()
        .map(row)
        .transpose()?
        .ok_or_else(|| not_found("change request"))
}

/// Files a request (the enterprise for itself, or an administrator); one open request per
/// enterprise at a time, and it must change something.
pub async fn submit(
    tx: &mut Tx,
    actor: &Actor,
    enterprise_id: &str,
    input: &EnterpriseChangeInput,
    now: &Now,
) -> Result<EnterpriseChangeRequest> {
    match actor.role {
        Role::Admin => {}
        Role::Enterprise if actor.enterprise_id.as_deref() == Some(enterprise_id) => {}
        Role::Enterprise => return Err(not_found("enterprise")),
        _ => {
            return Err(StoreError::forbidden(
                "only the enterprise or an administrator may request a change",
            ))
        }
    }
    let evidence = quan_domain::validate_text("evidence", &input.evidence, 1000)?;
    let before = super::enterprises::load(tx, enterprise_id).await?;
    let patch = as_patch(input);
    let after = super::enterprises::patched(&before, &patch)?;
    let changes = diff(&before, &after);
    if changes.is_empty() {
        return Err(ValidationError::new(
            "changes",
            "no_change",
            "changes: the request changes nothing in the registered file",
        )
        .into());
    }
    let open = sqlx::query(
        "SELECT id FROM enterprise_change_requests WHERE enterprise_id = $1 AND status = 'pending'",
    )
    .bind(enterprise_id)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(r) = open {
        let other: String = r.try_get(0)?;
        return Err(StoreError::conflict(
            "change_request_open",
            format!("change request {other} for this enterprise is still waiting for a decision"),
        ));
    }
    let id = new_id("chg");
    sqlx::query(
        "INSERT INTO enterprise_change_requests (id, enterprise_id, changes, diff, evidence, status, requested_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7)",
    )
    .bind(&id)
    .bind(enterprise_id)
    .bind(to_json(&after))
    .bind(to_json(&changes))
    .bind(&evidence)
    .bind(&actor.user_id)
    .bind(&now.ts)
    .execute(&mut **tx)
    .await?;
    let c = load(tx, &id).await?;
    audit::append(
        tx,
        actor,
        "enterprise_change.submit",
        &id,
        "null",
        &to_json(&c),
        &now.ts,
    )
    .await?;
    Ok(c)
}

/// Approves (the changed fields are written to the file as requested) or rejects (a note is
/// required) a pending request; a decided request is a conflict.
pub async fn decide(
    tx: &mut Tx,
    actor: &Actor,
    id: &str,
    input: &ChangeDecisionInput,
    now: &Now,
) -> Result<EnterpriseChangeRequest> {
    if !actor.is(Role::Admin) {
        return Err(StoreError::forbidden(
            "only an administrator may decide a change request",
        ));
    }
    let approve = match input.decision.as_str() {
        "approve" => true,
        "reject" => false,
        other => {
            return Err(ValidationError::new(
                "decision",
                "invalid_decision",
                format!("decision: {other:?} must be approve or reject"),
            )
            .into())
        }
    };
    let note = match input.note.as_deref() {
        Some(n) => Some(quan_domain::validate_text("note", n, 2000)?),
        None if !approve => {
            return Err(
                ValidationError::new("note", "required", "note: a rejection must say why").into(),
            )
        }
        None => None,
    };
    // Row lock first: two administrators deciding at once queue here.
    sqlx::query("UPDATE enterprise_change_requests SET status = status WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let before = load(tx, id).await?;
    if before.status != "pending" {
        return Err(StoreError::conflict(
            "already_decided",
            format!("change request {id} was already {}", before.status),
        ));
    }
    if approve {
        let file = super::enterprises::load(tx, &before.enterprise_id).await?;
        let stored: String =
            sqlx::query("SELECT changes FROM enterprise_change_requests WHERE id = $1")
                .bind(id)
                .fetch_one(&mut **tx)
                .await?
                .try_get(0)?;
        let requested: Enterprise = serde_json::from_str(&stored)
            .map_err(|e| StoreError::Corrupt(format!("change request changes: {e}")))?;
        // Only the fields the request changed are taken; the rest of the file stays current.
        let mut after = file.clone();
        for c in &before.changes {
            match c.field.as_str() {
                "industry" => after.industry = requested.industry.clone(),
                "size_class" => after.size_class = requested.size_class.clone(),
                "legal_rep" => after.legal_rep = requested.legal_rep.clone(),
                "actual_controller" => {
                    after.actual_controller = requested.actual_controller.clone()
                }
                "city_code" => after.city_code = requested.city_code.clone(),
                "shareholders" => after.shareholders = requested.shareholders.clone(),
                _ => {}
            }
        }
        super::enterprises::write_file(tx, &file, &after, now.today).await?;
        audit::append(
            tx,
            actor,
            "enterprise.update",
            &file.id,
            &to_json(&file),
            &to_json(&after),
            &now.ts,
        )
        .await?;
    }
    sqlx::query(
        "UPDATE enterprise_change_requests SET status = $1, decided_by = $2, decided_at = $3, decision_note = $4 WHERE id = $5",
    )
    .bind(if approve { "approved" } else { "rejected" })
    .bind(&actor.user_id)
    .bind(&now.ts)
    .bind(&note)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    let after = load(tx, id).await?;
    audit::append(
        tx,
        actor,
        "enterprise_change.decide",
        id,
        &to_json(&before),
        &to_json(&after),
        &now.ts,
    )
    .await?;
    Ok(after)
}

/// Filters of the list; an enterprise user sees only its own requests.
#[derive(Debug, Clone, Default)]
pub struct ChangeRequestQuery {
    pub enterprise_id: Option<String>,
    pub status: Option<String>,
}

pub const SORTS: &[super::SortKey] = &[("created_at", "c.created_at"), ("status", "c.status")];

pub async fn list(
    store: &Store,
    actor: &Actor,
    q: &ChangeRequestQuery,
    page: PageReq,
) -> Result<Page<EnterpriseChangeRequest>> {
    let mut f = Filter::new();
    match actor.role {
        Role::Admin | Role::Reviewer | Role::Auditor => {
            f.eq_opt("c.enterprise_id", q.enterprise_id.as_deref());
        }
        Role::Enterprise => {
            let own = actor.enterprise_id.clone().unwrap_or_default();
            f.add("c.enterprise_id = ?", super::Arg::S(own));
        }
        Role::Supplier => {
            return Err(StoreError::forbidden(
                "a supplier may not see enterprises' change requests",
            ))
        }
    }
    f.eq_opt("c.status", q.status.as_deref());
    fetch_page(
        store,
        COLUMNS,
        FROM,
        &f,
        "c.created_at DESC, c.id",
        page,
        row,
    )
    .await
}
