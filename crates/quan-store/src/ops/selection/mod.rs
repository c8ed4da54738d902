//! Annual selection rounds (`quan_domain::selection`): facts loaded under the round's row lock,
//! the domain decides, the store writes. Every state change of a round, its panel, its entries
//! and its objections is one audit record. The only way a product reaches the eligible list of
//! a model or corpus program is a round of that year taking effect (or putting back a product
//! that round selected).
mod entries;
mod listing;
mod objections;

pub use entries::{assign, enter, get_entry, list_entries, recuse, score, SORTS as ENTRY_SORTS};
pub use listing::public_list;
pub(crate) use listing::{list_selected, selected};
pub use objections::{file_objection, list_objections, resolve_objection};

use quan_domain::inputs::{PanelExpertInput, SelectionRoundInput};
use quan_domain::{
    plan_close_panel, plan_publish, plan_take_effect, rank_entries, AssignmentFact,
    AssignmentStatus, Criterion, EntryTally, PanelExpert, ProductKind, Ranked, RoundRules,
    RoundStatus, SelectionEntryId, SelectionRound,
};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::{fetch_page, new_id, not_found, to_json, Arg, Filter, Now, PageReq};
use crate::audit;
use crate::db::Tx;
use crate::error::{Result, StoreError};
use crate::rows::Page;
use crate::{Actor, Role, Store};

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("selection round: {e}"))
}

fn date(r: &AnyRow, col: &str) -> Result<Option<chrono::NaiveDate>> {
    r.try_get::<Option<String>, _>(col)?
        .map(|s| s.parse().map_err(corrupt))
        .transpose()
}

const COLUMNS: &str = "r.id, r.name, r.kind, r.year, r.batch, r.cap, r.call_from, r.call_until, r.notice_days, r.min_records, \
    r.registration_required, r.pass_mark, r.criteria, r.status, r.published_on, r.notice_ends_on, r.effective_on, r.created_at, \
    CAST((SELECT COUNT(*) FROM selection_entries x WHERE x.round_id = r.id) AS BIGINT) AS entry_count, \
    CAST((SELECT COUNT(*) FROM selection_entries x WHERE x.round_id = r.id AND x.outcome = 'selected') AS BIGINT) AS selected_count";

fn round_row(r: &AnyRow) -> Result<SelectionRound> {
    let kind: String = r.try_get("kind")?;
    let status: String = r.try_get("status")?;
    let criteria: String = r.try_get("criteria")?;
    Ok(SelectionRound {
        id: r.try_get::<String, _>("id")?.into(),
        name: r.try_get("name")?,
        kind: ProductKind::parse("kind", &kind).map_err(corrupt)?,
        year: r.try_get::<i64, _>("year")? as i32,
        batch: r.try_get::<i64, _>("batch")? as u32,
        cap: r.try_get::<i64, _>("cap")? as u32,
        call_from: date(r, "call_from")?.ok_or_else(|| corrupt("call_from"))?,
        call_until: date(r, "call_until")?.ok_or_else(|| corrupt("call_until"))?,
        notice_days: r.try_get::<i64, _>("notice_days")? as u32,
        min_records: r.try_get("min_records")?,
        registration_required: r.try_get::<i64, _>("registration_required")? != 0,
        pass_mark: (r.try_get::<i64, _>("pass_mark")? / 100) as u32,
        criteria: serde_json::from_str::<Vec<Criterion>>(&criteria).map_err(corrupt)?,
        status: RoundStatus::parse(&status).ok_or_else(|| corrupt(&status))?,
        published_on: date(r, "published_on")?,
        notice_ends_on: date(r, "notice_ends_on")?,
        effective_on: date(r, "effective_on")?,
        entry_count: r.try_get("entry_count")?,
        selected_count: r.try_get("selected_count")?,
        experts: Vec::new(),
        created_at: r.try_get("created_at")?,
    })
}

/// The round's rules as the domain reads them.
pub(crate) fn rules_of(r: &SelectionRound) -> RoundRules {
    RoundRules {
        name: r.name.clone(),
        kind: r.kind,
        year: r.year,
        batch: r.batch,
        cap: r.cap,
        call_from: r.call_from,
        call_until: r.call_until,
        notice_days: r.notice_days,
        min_records: r.min_records,
        registration_required: r.registration_required,
        pass_mark: i64::from(r.pass_mark) * 100,
        criteria: r.criteria.clone(),
    }
}

/// Locks the round's row (first in every selection operation) and loads it.
pub(crate) async fn lock_round(tx: &mut Tx, id: &str) -> Result<SelectionRound> {
    let n = sqlx::query("UPDATE selection_rounds SET status = status WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    if n == 0 {
        return Err(not_found("selection round"));
    }
    let sql = format!("SELECT {COLUMNS} FROM selection_rounds r WHERE r.id = $1");
    super::fetch_one_opt(tx, &sql, id, round_row)
        .await?
        .ok_or_else(|| not_found("selection round"))
}

pub(crate) fn admin_only(actor: &Actor, what: &str) -> Result<()> {
    if !actor.is(Role::Admin) {
        return Err(StoreError::forbidden(format!(
            "only an administrator may {what}"
        )));
    }
    Ok(())
}

async fn audit_round(
    tx: &mut Tx,
    actor: &Actor,
    action: &str,
    before: &SelectionRound,
    now: &Now,
) -> Result<SelectionRound> {
    let after = lock_round(tx, before.id.as_str()).await?;
    audit::append(
        tx,
        actor,
        action,
        before.id.as_str(),
        &to_json(before),
        &to_json(&after),
        &now.ts,
    )
    .await?;
    Ok(after)
}

/// Opens a round; one per year and kind.
pub async fn create_round(
    tx: &mut Tx,
    actor: &Actor,
    input: &SelectionRoundInput,
    now: &Now,
) -> Result<SelectionRound> {
    admin_only(actor, "open a selection round")?;
    let r = RoundRules::parse(input)?;
    let id = new_id("sel");
    let inserted = sqlx::query(
        "INSERT INTO selection_rounds (id, name, kind, year, batch, cap, call_from, call_until, notice_days, min_records, registration_required, pass_mark, criteria, status, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'open', $14, $15)",
    )
    .bind(&id)
    .bind(&r.name)
    .bind(r.kind.as_str())
    .bind(i64::from(r.year))
    .bind(i64::from(r.batch))
    .bind(i64::from(r.cap))
    .bind(r.call_from.to_string())
    .bind(r.call_until.to_string())
    .bind(i64::from(r.notice_days))
    .bind(r.min_records)
    .bind(i64::from(r.registration_required))
    .bind(r.pass_mark)
    .bind(to_json(&r.criteria))
    .bind(&actor.user_id)
    .bind(&now.ts)
    .execute(&mut **tx)
    .await;
    if let Err(e) = inserted {
        return Err(StoreError::on_unique(e, || {
            StoreError::conflict_field(
                "duplicate_round",
                "batch",
                format!(
                    "batch: there is already a {} selection round for {}, batch {}",
                    r.kind.as_str(),
                    r.year,
                    r.batch
                ),
            )
        }));
    }
    let round = lock_round(tx, &id).await?;
    audit::append(
        tx,
        actor,
        "selection.open",
        &id,
        "null",
        &to_json(&round),
        &now.ts,
    )
    .await?;
    Ok(round)
}

async fn experts_of(store: &Store, round: &str) -> Result<Vec<PanelExpert>> {
    let rows = sqlx::query(
        "SELECT x.user_id, u.display_name FROM selection_experts x JOIN users u ON u.id = x.user_id WHERE x.round_id = $1 ORDER BY u.display_name, x.user_id",
    )
    .bind(round)
    .fetch_all(store.reader())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(PanelExpert {
                user_id: r.try_get::<String, _>(0)?.into(),
                display_name: r.try_get(1)?,
            })
        })
        .collect()
}

/// A round; the panel is shown to administrators and auditors.
pub async fn get_round(store: &Store, actor: &Actor, id: &str) -> Result<SelectionRound> {
    let sql = format!("SELECT {COLUMNS} FROM selection_rounds r WHERE r.id = $1");
    let row = sqlx::query(&sql)
        .bind(id)
        .fetch_optional(store.reader())
        .await?
        .ok_or_else(|| not_found("selection round"))?;
    let mut r = round_row(&row)?;
    if matches!(actor.role, Role::Admin | Role::Auditor) {
        r.experts = experts_of(store, id).await?;
    }
    Ok(r)
}

/// Sort keys of the round list.
pub const SORTS: &[super::SortKey] = &[
    ("year", "r.year"),
    ("name", "r.name"),
    ("call_until", "r.call_until"),
    ("created_at", "r.created_at"),
];

pub async fn list_rounds(
    store: &Store,
    year: Option<i64>,
    kind: Option<&str>,
    page: PageReq,
) -> Result<Page<SelectionRound>> {
    let mut f = Filter::new();
    if let Some(y) = year {
        f.add("r.year = ?", Arg::I(y));
    }
    f.eq_opt("r.kind", kind);
    fetch_page(
        store,
        COLUMNS,
        "selection_rounds r",
        &f,
        "r.year DESC, r.kind, r.batch, r.id",
        page,
        round_row,
    )
    .await
}

/// Puts a reviewer on the round's panel.
pub async fn add_expert(
    tx: &mut Tx,
    actor: &Actor,
    round_id: &str,
    input: &PanelExpertInput,
    now: &Now,
) -> Result<SelectionRound> {
    admin_only(actor, "appoint the panel")?;
    let round = lock_round(tx, round_id).await?;
    if round.status != RoundStatus::Open {
        return Err(StoreError::conflict(
            "panel_closed",
            "the panel can change only while the round is open",
        ));
    }
    let role: Option<String> = sqlx::query("SELECT role FROM users WHERE id = $1")
        .bind(&input.user_id)
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| r.try_get(0))
        .transpose()?;
    match role.as_deref() {
        None => {
            return Err(quan_domain::ValidationError::new(
                "user_id",
                "not_found",
                format!("user_id: no user {}", input.user_id),
            )
            .into())
        }
        Some("reviewer") => {}
        Some(_) => {
            return Err(quan_domain::ValidationError::new(
                "user_id",
                "not_reviewer",
                "user_id: panel experts are reviewer accounts",
            )
            .into())
        }
    }
    let n = sqlx::query("INSERT INTO selection_experts (round_id, user_id, added_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .bind(round_id)
        .bind(&input.user_id)
        .bind(&now.ts)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    if n == 1 {
        audit::append(
            tx,
            actor,
            "selection.add_expert",
            round_id,
            "null",
            &format!("{{\"user_id\":{}}}", to_json(&input.user_id)),
            &now.ts,
        )
        .await?;
    }
    Ok(round)
}

/// Closes the panel once the call is over and every sheet due is in.
pub async fn close_panel(
    tx: &mut Tx,
    actor: &Actor,
    round_id: &str,
    now: &Now,
) -> Result<SelectionRound> {
    admin_only(actor, "close the panel")?;
    let round = lock_round(tx, round_id).await?;
    let entries: Vec<SelectionEntryId> =
        sqlx::query("SELECT id FROM selection_entries WHERE round_id = $1 ORDER BY id")
            .bind(round_id)
            .fetch_all(&mut **tx)
            .await?
            .iter()
            .map(|r| r.try_get::<String, _>(0).map(Into::into))
            .collect::<std::result::Result<_, _>>()?;
    let assignments: Vec<AssignmentFact> = sqlx::query(
        "SELECT a.entry_id, a.status, a.total FROM selection_assignments a JOIN selection_entries e ON e.id = a.entry_id WHERE e.round_id = $1",
    )
    .bind(round_id)
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(|r| {
        Ok(AssignmentFact {
            entry: r.try_get::<String, _>(0)?.into(),
            status: assignment_status(&r.try_get::<String, _>(1)?)?,
            scored: r.try_get::<Option<i64>, _>(2)?.is_some(),
        })
    })
    .collect::<Result<_>>()?;
    plan_close_panel(
        round.status,
        now.today,
        round.call_until,
        &entries,
        &assignments,
    )?;
    // The provisional ranking, for the administrator; publication recomputes it.
    let ranking = rank_entries(
        &tallies(tx, &round).await?,
        round.cap,
        i64::from(round.pass_mark) * 100,
    );
    write_ranking(tx, &ranking).await?;
    sqlx::query("UPDATE selection_rounds SET status = 'panel_closed' WHERE id = $1")
        .bind(round_id)
        .execute(&mut **tx)
        .await?;
    audit_round(tx, actor, "selection.close_panel", &round, now).await
}

pub(crate) fn assignment_status(s: &str) -> Result<AssignmentStatus> {
    match s {
        "assigned" => Ok(AssignmentStatus::Assigned),
        "recused" => Ok(AssignmentStatus::Recused),
        other => Err(corrupt(other)),
    }
}

/// The entries of a round with their score sheets' totals, for the ranking.
pub(crate) async fn tallies(tx: &mut Tx, round: &SelectionRound) -> Result<Vec<EntryTally>> {
    let lead = round
        .criteria
        .iter()
        .fold(None::<&Criterion>, |best, c| match best {
            Some(b) if b.weight >= c.weight => Some(b),
            _ => Some(c),
        })
        .map(|c| c.key.clone())
        .unwrap_or_default();
    let rows = sqlx::query(
        "SELECT e.id, e.entered_at, e.excluded, a.total, a.scores FROM selection_entries e \
         LEFT JOIN selection_assignments a ON a.entry_id = e.id AND a.status = 'assigned' AND a.total IS NOT NULL \
         WHERE e.round_id = $1 ORDER BY e.id",
    )
    .bind(round.id.as_str())
    .fetch_all(&mut **tx)
    .await?;
    let mut out: Vec<EntryTally> = Vec::new();
    for r in &rows {
        let id: String = r.try_get(0)?;
        if out.last().is_none_or(|t| t.entry.as_str() != id) {
            out.push(EntryTally {
                entry: id.into(),
                entered_at: r.try_get(1)?,
                totals: Vec::new(),
                lead_scores: Vec::new(),
                excluded: r.try_get::<i64, _>(2)? != 0,
            });
        }
        let t = out.last_mut().expect("pushed");
        if let Some(total) = r.try_get::<Option<i64>, _>(3)? {
            t.totals.push(total);
            let sheet: Vec<(String, u32)> =
                serde_json::from_str(&r.try_get::<String, _>(4)?).map_err(corrupt)?;
            let lead_score = sheet.iter().find(|(k, _)| *k == lead).map_or(0, |s| s.1);
            t.lead_scores.push(i64::from(lead_score));
        }
    }
    Ok(out)
}

/// Writes a ranking onto the entries.
pub(crate) async fn write_ranking(tx: &mut Tx, ranking: &[Ranked]) -> Result<()> {
    for r in ranking {
        let outcome = serde_json::to_value(r.outcome).map_err(corrupt)?;
        sqlx::query(
            "UPDATE selection_entries SET rank = $1, mean_score = $2, outcome = $3 WHERE id = $4",
        )
        .bind(i64::from(r.rank))
        .bind(r.mean)
        .bind(outcome.as_str().unwrap_or_default().to_string())
        .bind(r.entry.as_str())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Publishes the ranking for its notice: only after the panel has closed.
pub async fn publish(
    tx: &mut Tx,
    actor: &Actor,
    round_id: &str,
    now: &Now,
) -> Result<SelectionRound> {
    admin_only(actor, "publish a selection")?;
    let round = lock_round(tx, round_id).await?;
    let notice_ends = plan_publish(round.status, now.today, round.notice_days)?;
    let ranking = rank_entries(
        &tallies(tx, &round).await?,
        round.cap,
        i64::from(round.pass_mark) * 100,
    );
    write_ranking(tx, &ranking).await?;
    sqlx::query("UPDATE selection_rounds SET status = 'published', published_on = $1, notice_ends_on = $2 WHERE id = $3")
        .bind(now.today.to_string())
        .bind(notice_ends.to_string())
        .bind(round_id)
        .execute(&mut **tx)
        .await?;
    audit_round(tx, actor, "selection.publish", &round, now).await
}

/// After the notice, with no objection open: the selected products become the eligible list of
/// every program of that year and kind.
pub async fn take_effect(
    tx: &mut Tx,
    actor: &Actor,
    round_id: &str,
    now: &Now,
) -> Result<SelectionRound> {
    admin_only(actor, "put a selection into effect")?;
    let round = lock_round(tx, round_id).await?;
    let open: i64 = sqlx::query(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM selection_objections o JOIN selection_entries e ON e.id = o.entry_id WHERE e.round_id = $1 AND o.status = 'open'",
    )
    .bind(round_id)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    plan_take_effect(round.status, now.today, round.notice_ends_on, open)?;
    sqlx::query(
        "UPDATE selection_rounds SET status = 'effective', effective_on = $1 WHERE id = $2",
    )
    .bind(now.today.to_string())
    .bind(round_id)
    .execute(&mut **tx)
    .await?;
    let programs: Vec<String> =
        sqlx::query("SELECT id FROM programs WHERE year = $1 AND voucher_type = $2 ORDER BY id")
            .bind(i64::from(round.year))
            .bind(round.kind.as_str())
            .fetch_all(&mut **tx)
            .await?
            .iter()
            .map(|r| r.try_get(0))
            .collect::<std::result::Result<_, _>>()?;
    for p in programs {
        list_selected(tx, &p, round.year, round.kind, now).await?;
    }
    audit_round(tx, actor, "selection.take_effect", &round, now).await
}
