//! Objections to a published selection: anyone signed in files one against a selected entry
//! during the notice; an administrator upholds (the entry is excluded, the ranking is recomputed
//! and the first reserve moves up with a notice of its own) or dismisses it.
use quan_domain::inputs::{ObjectionInput, ResolveInput};
use quan_domain::{check_objection, plan_exclusion, rank_entries, SelectionObjection};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::{admin_only, lock_round, tallies, write_ranking};
use crate::audit;
use crate::db::Tx;
use crate::error::{Result, StoreError};
use crate::ops::{new_id, not_found, to_json, Now};
use crate::{Actor, Role, Store};

const COLUMNS: &str =
    "o.id, o.entry_id, e.round_id, p.name AS product_name, o.filed_by, o.reason, o.status, \
    o.resolution_note, o.created_at, o.resolved_at";
const FROM: &str = "selection_objections o JOIN selection_entries e ON e.id = o.entry_id JOIN products p ON p.id = e.product_id";

fn row(r: &AnyRow) -> Result<SelectionObjection> {
    Ok(SelectionObjection {
        id: r.try_get("id")?,
        entry_id: r.try_get::<String, _>("entry_id")?.into(),
        round_id: r.try_get::<String, _>("round_id")?.into(),
        product_name: r.try_get("product_name")?,
        filed_by: r.try_get("filed_by")?,
        reason: r.try_get("reason")?,
        status: r.try_get("status")?,
        resolution_note: r.try_get("resolution_note")?,
        created_at: r.try_get("created_at")?,
        resolved_at: r.try_get("resolved_at")?,
    })
}

async fn load(tx: &mut Tx, id: &str) -> Result<SelectionObjection> {
    let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE o.id = $1");
    crate::ops::fetch_one_opt(tx, &sql, id, row)
        .await?
        .ok_or_else(|| not_found("objection"))
}

pub async fn file_objection(
    tx: &mut Tx,
    actor: &Actor,
    entry_id: &str,
    input: &ObjectionInput,
    now: &Now,
) -> Result<SelectionObjection> {
    let reason = quan_domain::validate_text("reason", &input.reason, 2000)?;
    let found = sqlx::query("SELECT round_id, outcome FROM selection_entries WHERE id = $1")
        .bind(entry_id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| not_found("selection entry"))?;
    let round = lock_round(tx, &found.try_get::<String, _>(0)?).await?;
    let outcome: Option<String> = found.try_get(1)?;
    let outcome = outcome
        .map(|s| serde_json::from_value(serde_json::Value::String(s)))
        .transpose()
        .map_err(super::corrupt)?;
    // Before publication an entry is not public: it does not exist for an outsider.
    if round.status == quan_domain::RoundStatus::Open && !actor.is(Role::Admin) {
        return Err(not_found("selection entry"));
    }
    check_objection(round.status, now.today, round.notice_ends_on, outcome)?;
    let id = new_id("sob");
    sqlx::query("INSERT INTO selection_objections (id, entry_id, filed_by, reason, status, created_at) VALUES ($1, $2, $3, $4, 'open', $5)")
        .bind(&id)
        .bind(entry_id)
        .bind(actor.label())
        .bind(&reason)
        .bind(&now.ts)
        .execute(&mut **tx)
        .await?;
    let o = load(tx, &id).await?;
    audit::append(
        tx,
        actor,
        "selection.object",
        &id,
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
    id: &str,
    input: &ResolveInput,
    now: &Now,
) -> Result<SelectionObjection> {
    admin_only(actor, "resolve an objection")?;
    let before = load(tx, id).await?;
    let round = lock_round(tx, before.round_id.as_str()).await?;
    if before.status != "open" {
        return Err(StoreError::conflict(
            "already_resolved",
            format!("the objection is already {}", before.status),
        ));
    }
    let note = quan_domain::validate_optional_text("note", &input.note, 2000)?;
    if input.uphold {
        if note.is_empty() {
            return Err(quan_domain::ValidationError::new(
                "note",
                "required",
                "note: upholding an objection removes the entry and needs a reason",
            )
            .into());
        }
        let mut t = tallies(tx, &round).await?;
        let pass = i64::from(round.pass_mark) * 100;
        let ranking_before = rank_entries(&t, round.cap, pass);
        if let Some(x) = t.iter_mut().find(|x| x.entry == before.entry_id) {
            x.excluded = true;
        }
        let notice_end = round.notice_ends_on.unwrap_or(now.today);
        let (after, end) = plan_exclusion(
            &t,
            round.cap,
            pass,
            &ranking_before,
            now.today,
            round.notice_days,
            notice_end,
        );
        sqlx::query(
            "UPDATE selection_entries SET excluded = 1, exclusion_reason = $1 WHERE id = $2",
        )
        .bind(&note)
        .bind(before.entry_id.as_str())
        .execute(&mut **tx)
        .await?;
        write_ranking(tx, &after).await?;
        sqlx::query("UPDATE selection_rounds SET notice_ends_on = $1 WHERE id = $2")
            .bind(end.to_string())
            .bind(round.id.as_str())
            .execute(&mut **tx)
            .await?;
    }
    sqlx::query("UPDATE selection_objections SET status = $1, resolution_note = $2, resolved_at = $3 WHERE id = $4")
        .bind(if input.uphold { "upheld" } else { "dismissed" })
        .bind(&note)
        .bind(&now.ts)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let after = load(tx, id).await?;
    audit::append(
        tx,
        actor,
        "selection.resolve_objection",
        id,
        &to_json(&before),
        &to_json(&after),
        &now.ts,
    )
    .await?;
    Ok(after)
}

/// A round's objections: administrators, auditors and reviewers see them all; others those they
/// filed.
pub async fn list_objections(
    store: &Store,
    actor: &Actor,
    round_id: &str,
) -> Result<Vec<SelectionObjection>> {
    let all = matches!(actor.role, Role::Admin | Role::Auditor | Role::Reviewer);
    let sql = format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE e.round_id = $1{} ORDER BY o.created_at, o.id LIMIT 1000",
        if all { "" } else { " AND o.filed_by = $2" }
    );
    let mut q = sqlx::query(&sql).bind(round_id);
    if !all {
        q = q.bind(actor.label());
    }
    q.fetch_all(store.reader()).await?.iter().map(row).collect()
}
