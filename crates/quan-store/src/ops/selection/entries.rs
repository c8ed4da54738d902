//! Entries of a round, their assignment to panel experts, recusals and score sheets. What a
//! reader sees of the sheets is decided here: an expert only the entries assigned to them and
//! their own sheet; an administrator or auditor every sheet once the panel has closed (before,
//! only whether each is in); a supplier its own entries and, once published, their rank.
use quan_domain::inputs::{AssignmentInput, ScoreInput, SelectionEntryInput};
use quan_domain::{
    check_entry, expert_conflicts, plan_score, Assignment, AssignmentStatus, CriterionScore,
    EntryFacts, Outcome, PartyKind, RoundStatus, SelectionEntry, SelectionRound,
};
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::{assignment_status, corrupt, lock_round, rules_of};
use crate::audit;
use crate::db::Tx;
use crate::error::{Result, StoreError};
use crate::ops::{fetch_page, new_id, not_found, to_json, Arg, Filter, Now, PageReq};
use crate::rows::Page;
use crate::{Actor, Role, Store};

const COLUMNS: &str = "e.id, e.round_id, e.product_id, p.name AS product_name, e.supplier_id, s.name AS supplier_name, \
    e.evaluation_report, e.deployment_evidence, e.record_count, e.registration_ref, e.summary, e.entered_at, e.excluded, \
    e.exclusion_reason, e.rank, e.mean_score, e.outcome, r.status AS round_status, \
    CAST((SELECT COUNT(*) FROM selection_assignments a WHERE a.entry_id = e.id AND a.status = 'assigned' AND a.total IS NOT NULL) AS BIGINT) AS sheets_in, \
    CAST((SELECT COUNT(*) FROM selection_assignments a WHERE a.entry_id = e.id AND a.status = 'assigned') AS BIGINT) AS sheets_due";
const FROM: &str = "selection_entries e JOIN selection_rounds r ON r.id = e.round_id \
    JOIN products p ON p.id = e.product_id JOIN suppliers s ON s.id = e.supplier_id";

fn outcome(s: Option<String>) -> Result<Option<Outcome>> {
    s.map(|s| serde_json::from_value(serde_json::Value::String(s)).map_err(corrupt))
        .transpose()
}

fn entry_row(r: &AnyRow) -> Result<SelectionEntry> {
    Ok(SelectionEntry {
        id: r.try_get::<String, _>("id")?.into(),
        round_id: r.try_get::<String, _>("round_id")?.into(),
        product_id: r.try_get::<String, _>("product_id")?.into(),
        product_name: r.try_get("product_name")?,
        supplier_id: r.try_get::<String, _>("supplier_id")?.into(),
        supplier_name: r.try_get("supplier_name")?,
        evaluation_report: r.try_get("evaluation_report")?,
        deployment_evidence: r.try_get("deployment_evidence")?,
        record_count: r.try_get("record_count")?,
        registration_ref: r.try_get("registration_ref")?,
        summary: r.try_get("summary")?,
        entered_at: r.try_get("entered_at")?,
        excluded: r.try_get::<i64, _>("excluded")? != 0,
        exclusion_reason: r.try_get("exclusion_reason")?,
        rank: r.try_get::<Option<i64>, _>("rank")?.map(|v| v as u32),
        mean_score: r.try_get("mean_score")?,
        outcome: outcome(r.try_get("outcome")?)?,
        sheets_in: r.try_get("sheets_in")?,
        sheets_due: r.try_get("sheets_due")?,
        assignments: Vec::new(),
    })
}

fn round_status(r: &AnyRow) -> Result<RoundStatus> {
    let s: String = r.try_get("round_status")?;
    RoundStatus::parse(&s).ok_or_else(|| corrupt(&s))
}

/// The entries the actor may see at all.
fn scope(actor: &Actor, f: &mut Filter) -> Result<()> {
    match actor.role {
        Role::Admin | Role::Auditor => {}
        Role::Supplier => {
            f.add(
                "e.supplier_id = ?",
                Arg::S(actor.supplier_scope().unwrap_or_default().to_string()),
            );
        }
        Role::Reviewer => {
            f.add(
                "EXISTS (SELECT 1 FROM selection_assignments a WHERE a.entry_id = e.id AND a.expert_id = ?)",
                Arg::S(actor.user_id.clone()),
            );
        }
        Role::Enterprise => {
            return Err(StoreError::forbidden(
                "entries are the suppliers' and the panel's; the selected list is public",
            ))
        }
    }
    Ok(())
}

/// Fills in the assignments the actor may see, with the sheets unsealed where allowed.
async fn with_assignments(
    store: &Store,
    actor: &Actor,
    mut items: Vec<(SelectionEntry, RoundStatus)>,
) -> Result<Vec<SelectionEntry>> {
    // The provisional ranking written when the panel closes is the administrator's working
    // copy: suppliers and experts see a rank, a mean and an outcome only once it is published.
    if !matches!(actor.role, Role::Admin | Role::Auditor) {
        for (e, status) in &mut items {
            if matches!(status, RoundStatus::Open | RoundStatus::PanelClosed) {
                e.rank = None;
                e.mean_score = None;
                e.outcome = None;
            }
        }
    }
    if actor.is(Role::Supplier) || items.is_empty() {
        return Ok(items.into_iter().map(|(e, _)| e).collect());
    }
    let mut f = Filter::new();
    let ids: Vec<Arg> = items
        .iter()
        .map(|(e, _)| Arg::S(e.id.to_string()))
        .collect();
    let marks = vec!["?"; ids.len()].join(", ");
    f.add_many(&format!("a.entry_id IN ({marks})"), ids);
    if actor.is(Role::Reviewer) {
        f.add("a.expert_id = ?", Arg::S(actor.user_id.clone()));
    }
    let sql = format!(
        "SELECT a.entry_id, a.expert_id, u.display_name, a.status, a.recusal_reason, a.scores, a.total, a.comment, a.scored_at \
         FROM selection_assignments a JOIN users u ON u.id = a.expert_id{} ORDER BY u.display_name, a.expert_id",
        f.where_sql()
    );
    let rows = f.bind(sqlx::query(&sql)).fetch_all(store.reader()).await?;
    for r in &rows {
        let entry: String = r.try_get(0)?;
        let Some((e, status)) = items.iter_mut().find(|(e, _)| e.id.as_str() == entry) else {
            continue;
        };
        let expert: String = r.try_get(1)?;
        let unsealed = expert == actor.user_id || *status != RoundStatus::Open;
        let total: Option<i64> = r.try_get(6)?;
        let scores = match r.try_get::<Option<String>, _>(5)? {
            Some(s) if unsealed => {
                let sheet: Vec<(String, u32)> = serde_json::from_str(&s).map_err(corrupt)?;
                Some(
                    sheet
                        .into_iter()
                        .map(|(criterion, score)| CriterionScore { criterion, score })
                        .collect(),
                )
            }
            _ => None,
        };
        e.assignments.push(Assignment {
            expert_id: expert.into(),
            expert_name: r.try_get(2)?,
            status: assignment_status(&r.try_get::<String, _>(3)?)?,
            recusal_reason: r.try_get(4)?,
            scored: total.is_some(),
            scores,
            total: total.filter(|_| unsealed),
            comment: r.try_get::<Option<String>, _>(7)?.filter(|_| unsealed),
            scored_at: r.try_get(8)?,
        });
    }
    Ok(items.into_iter().map(|(e, _)| e).collect())
}

/// Sort keys of the entry list.
pub const SORTS: &[crate::ops::SortKey] = &[
    ("rank", "e.rank"),
    ("entered_at", "e.entered_at"),
    ("product_name", "p.name"),
    ("supplier_name", "s.name"),
];

pub async fn list_entries(
    store: &Store,
    actor: &Actor,
    round_id: &str,
    page: PageReq,
) -> Result<Page<SelectionEntry>> {
    let mut f = Filter::new();
    scope(actor, &mut f)?;
    f.add("e.round_id = ?", Arg::S(round_id.to_string()));
    let page = fetch_page(
        store,
        COLUMNS,
        FROM,
        &f,
        "e.rank, e.entered_at, e.id",
        page,
        |r| Ok((entry_row(r)?, round_status(r)?)),
    )
    .await?;
    Ok(Page {
        items: with_assignments(store, actor, page.items).await?,
        total: page.total,
        page: page.page,
        page_size: page.page_size,
    })
}

pub async fn get_entry(store: &Store, actor: &Actor, id: &str) -> Result<SelectionEntry> {
    let mut f = Filter::new();
    scope(actor, &mut f)?;
    f.add("e.id = ?", Arg::S(id.to_string()));
    let sql = format!("SELECT {COLUMNS} FROM {FROM}{}", f.where_sql());
    let row = f
        .bind(sqlx::query(&sql))
        .fetch_optional(store.reader())
        .await?
        .ok_or_else(|| not_found("selection entry"))?;
    let item = (entry_row(&row)?, round_status(&row)?);
    Ok(with_assignments(store, actor, vec![item])
        .await?
        .pop()
        .expect("one"))
}

async fn load_entry(tx: &mut Tx, id: &str) -> Result<SelectionEntry> {
    let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE e.id = $1");
    crate::ops::fetch_one_opt(tx, &sql, id, entry_row)
        .await?
        .ok_or_else(|| not_found("selection entry"))
}

/// The round an entry belongs to, locked.
async fn lock_round_of(tx: &mut Tx, entry_id: &str) -> Result<SelectionRound> {
    let round: Option<String> = sqlx::query("SELECT round_id FROM selection_entries WHERE id = $1")
        .bind(entry_id)
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| r.try_get(0))
        .transpose()?;
    lock_round(tx, &round.ok_or_else(|| not_found("selection entry"))?).await
}

fn no_product(id: &str) -> StoreError {
    quan_domain::ValidationError::new(
        "product_id",
        "not_found",
        format!("product_id: no product {id}"),
    )
    .into()
}

/// A supplier enters one of its products (an administrator may enter any).
pub async fn enter(
    tx: &mut Tx,
    actor: &Actor,
    round_id: &str,
    input: &SelectionEntryInput,
    now: &Now,
) -> Result<SelectionEntry> {
    if !matches!(actor.role, Role::Supplier | Role::Admin) {
        return Err(StoreError::forbidden(
            "only a supplier or an administrator enters a product",
        ));
    }
    let round = lock_round(tx, round_id).await?;
    let product = crate::ops::catalogue::load_product(tx, &input.product_id)
        .await
        .map_err(|_| no_product(&input.product_id))?;
    if actor
        .supplier_scope()
        .is_some_and(|own| own != product.supplier_id)
    {
        return Err(no_product(&input.product_id));
    }
    let supplier = crate::ops::catalogue::load_supplier(tx, &product.supplier_id).await?;
    if let Some(l) = crate::ops::integrity::listing_on(tx, &supplier.id, now.today).await? {
        return Err(
            quan_domain::refuse_listed(PartyKind::Supplier, "enter a selection", &l).into(),
        );
    }
    let rules = rules_of(&round);
    let facts = EntryFacts {
        rules: &rules,
        status: round.status,
        today: now.today,
        product_kind: quan_domain::ProductKind::parse("kind", &product.kind)?,
        product_suspended: product.suspended || supplier.suspended,
    };
    let ev = check_entry(&facts, input)?;
    if facts.product_kind == quan_domain::ProductKind::Corpus && rules.registration_required {
        crate::ops::data_registry::check_corpus(
            tx,
            "registration_ref",
            Some(&ev.registration_ref),
            &product.id,
            &product.supplier_id,
            now.today,
        )
        .await?;
    }
    let id = new_id("sen");
    let inserted = sqlx::query(
        "INSERT INTO selection_entries (id, round_id, product_id, supplier_id, evaluation_report, deployment_evidence, record_count, registration_ref, summary, entered_by, entered_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&id)
    .bind(round_id)
    .bind(&product.id)
    .bind(&product.supplier_id)
    .bind(&ev.evaluation_report)
    .bind(&ev.deployment_evidence)
    .bind(ev.record_count)
    .bind(&ev.registration_ref)
    .bind(&ev.summary)
    .bind(&actor.user_id)
    .bind(&now.ts)
    .execute(&mut **tx)
    .await;
    if let Err(e) = inserted {
        return Err(StoreError::on_unique(e, || {
            StoreError::conflict_field(
                "duplicate_entry",
                "product_id",
                "product_id: the product is already entered in this round",
            )
        }));
    }
    let entry = load_entry(tx, &id).await?;
    audit::append(
        tx,
        actor,
        "selection.enter",
        &id,
        "null",
        &to_json(&entry),
        &now.ts,
    )
    .await?;
    Ok(entry)
}

/// Assigns an entry to a panel expert; an expert related to the supplier by the registered file
/// is recorded as recused, with the reason, and cannot score it.
pub async fn assign(
    tx: &mut Tx,
    actor: &Actor,
    round_id: &str,
    input: &AssignmentInput,
    now: &Now,
) -> Result<SelectionEntry> {
    super::admin_only(actor, "assign entries")?;
    let round = lock_round(tx, round_id).await?;
    if round.status != RoundStatus::Open {
        return Err(StoreError::conflict(
            "panel_closed",
            "entries are assigned only while the round is open",
        ));
    }
    let entry = load_entry(tx, &input.entry_id)
        .await
        .ok()
        .filter(|e| e.round_id.as_str() == round_id)
        .ok_or_else(|| {
            StoreError::from(quan_domain::ValidationError::new(
                "entry_id",
                "not_found",
                format!("entry_id: no entry {} in this round", input.entry_id),
            ))
        })?;
    let expert: Option<String> = sqlx::query(
        "SELECT u.display_name FROM selection_experts x JOIN users u ON u.id = x.user_id WHERE x.round_id = $1 AND x.user_id = $2",
    )
    .bind(round_id)
    .bind(&input.expert_id)
    .fetch_optional(&mut **tx)
    .await?
    .map(|r| r.try_get(0))
    .transpose()?;
    let name = expert.ok_or_else(|| {
        StoreError::conflict_field(
            "not_on_panel",
            "expert_id",
            "expert_id: the expert is not on this round's panel",
        )
    })?;
    let s = crate::ops::catalogue::load_supplier(tx, entry.supplier_id.as_str()).await?;
    let conflicts = expert_conflicts(&name, &s.legal_rep, &s.shareholders, &s.actual_controller);
    let (status, reason) = if conflicts.is_empty() {
        ("assigned", None)
    } else {
        ("recused", Some(conflicts.join("; ")))
    };
    let n = sqlx::query(
        "INSERT INTO selection_assignments (entry_id, expert_id, status, recusal_reason, assigned_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
    )
    .bind(entry.id.as_str())
    .bind(&input.expert_id)
    .bind(status)
    .bind(&reason)
    .bind(&now.ts)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if n == 1 {
        let detail = serde_json::json!({"expert_id": input.expert_id, "status": status, "recusal_reason": reason});
        audit::append(
            tx,
            actor,
            "selection.assign",
            entry.id.as_str(),
            "null",
            &detail.to_string(),
            &now.ts,
        )
        .await?;
    }
    load_entry(tx, entry.id.as_str()).await
}

async fn own_assignment(
    tx: &mut Tx,
    entry: &str,
    expert: &str,
) -> Result<Option<AssignmentStatus>> {
    sqlx::query("SELECT status FROM selection_assignments WHERE entry_id = $1 AND expert_id = $2")
        .bind(entry)
        .bind(expert)
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| assignment_status(&r.try_get::<String, _>(0)?))
        .transpose()
}

fn expert_only(actor: &Actor) -> Result<()> {
    if !actor.is(Role::Reviewer) {
        return Err(StoreError::forbidden(
            "only a panel expert scores or recuses",
        ));
    }
    Ok(())
}

/// An expert declares a relation and recuses; a sheet already given is withdrawn.
pub async fn recuse(
    tx: &mut Tx,
    actor: &Actor,
    entry_id: &str,
    reason: &str,
    now: &Now,
) -> Result<SelectionEntry> {
    expert_only(actor)?;
    let round = lock_round_of(tx, entry_id).await?;
    let reason = quan_domain::validate_text("reason", reason, 2000)?;
    match own_assignment(tx, entry_id, &actor.user_id).await? {
        None => return Err(not_found("selection entry")),
        Some(AssignmentStatus::Recused) => {}
        Some(AssignmentStatus::Assigned) => {
            if round.status != RoundStatus::Open {
                return Err(StoreError::conflict("panel_closed", "the panel has closed"));
            }
            sqlx::query("UPDATE selection_assignments SET status = 'recused', recusal_reason = $1, scores = NULL, total = NULL, comment = NULL, scored_at = NULL WHERE entry_id = $2 AND expert_id = $3")
                .bind(&reason)
                .bind(entry_id)
                .bind(&actor.user_id)
                .execute(&mut **tx)
                .await?;
            let detail = serde_json::json!({"expert_id": actor.user_id, "recusal_reason": reason});
            audit::append(
                tx,
                actor,
                "selection.recuse",
                entry_id,
                "null",
                &detail.to_string(),
                &now.ts,
            )
            .await?;
        }
    }
    load_entry(tx, entry_id).await
}

/// An expert's score sheet (replaces an earlier one while the panel sits). The audit record
/// holds the sheet's SHA-256, not the scores, so the chain commits to the sheet while it is sealed.
pub async fn score(
    tx: &mut Tx,
    actor: &Actor,
    entry_id: &str,
    input: &ScoreInput,
    now: &Now,
) -> Result<SelectionEntry> {
    expert_only(actor)?;
    let round = lock_round_of(tx, entry_id).await?;
    let assignment = own_assignment(tx, entry_id, &actor.user_id).await?;
    let sheet = plan_score(round.status, assignment, &round.criteria, &input.scores)?;
    let comment = quan_domain::validate_optional_text(
        "comment",
        input.comment.as_deref().unwrap_or(""),
        4000,
    )?;
    let scores = to_json(&sheet.scores);
    sqlx::query("UPDATE selection_assignments SET scores = $1, total = $2, comment = $3, scored_at = $4 WHERE entry_id = $5 AND expert_id = $6")
        .bind(&scores)
        .bind(sheet.total)
        .bind(&comment)
        .bind(&now.ts)
        .bind(entry_id)
        .bind(&actor.user_id)
        .execute(&mut **tx)
        .await?;
    let digest = hex::encode(Sha256::digest(format!("{scores}\n{comment}")));
    let detail = serde_json::json!({"expert_id": actor.user_id, "sheet_sha256": digest});
    audit::append(
        tx,
        actor,
        "selection.score",
        entry_id,
        "null",
        &detail.to_string(),
        &now.ts,
    )
    .await?;
    load_entry(tx, entry_id).await
}
