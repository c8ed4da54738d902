//! The administrator's money tools: close a program (`quan_domain::plan_close`: unspent budget
//! back to the sources, once nothing can draw on it) and top up a funding source
//! (`quan_domain::plan_top_up`). Both are idempotent by their Idempotency-Key, and a second
//! close is refused, so a retry on another server has one effect.
use quan_domain::inputs::TopUpInput;
use quan_domain::{plan_close, plan_top_up, AccountId, BudgetLeft, CloseFacts, Money};
use sqlx::Row;

use super::{fetch_page, new_id, not_found, to_json, Filter, Now, PageReq};
use crate::audit;
use crate::db::Tx;
use crate::error::{Result, StoreError};
use crate::ledger;
use crate::rows::{FundingSource, FundingTopUp, Page, Program};
use crate::{Actor, Role, Store};

fn admin_only(actor: &Actor, what: &str) -> Result<()> {
    if actor.is(Role::Admin) {
        Ok(())
    } else {
        Err(StoreError::forbidden(format!(
            "only an administrator may {what}"
        )))
    }
}

async fn count(tx: &mut Tx, sql: &str, id: &str) -> Result<i64> {
    Ok(sqlx::query(sql)
        .bind(id)
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)?)
}

/// Closes a program: facts under the program row's lock and its budget accounts' locks, the
/// plan, then the releases and the record.
pub async fn close_program(
    tx: &mut Tx,
    actor: &Actor,
    id: &str,
    reason: &str,
    now: &Now,
) -> Result<Program> {
    admin_only(actor, "close a program")?;
    let reason = quan_domain::validate_text("reason", reason, 2000)?;
    // The row lock: a second close (another server) waits here, then sees it closed.
    sqlx::query("UPDATE programs SET closed_at = closed_at WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let before = super::programs::load(tx, id).await?;
    let mut budgets = Vec::new();
    for f in &before.funding {
        let acct = AccountId::Budget(id.into(), f.source_id.as_str().into());
        let b = ledger::lock_account(tx, &acct).await?;
        budgets.push(BudgetLeft {
            source: f.source_id.as_str().into(),
            balance: Money::from_fen(b.balance - b.debits_pending),
            reserved: Money::from_fen(b.debits_pending),
        });
    }
    let facts = CloseFacts {
        program: id.into(),
        already_closed: before.closed_at.is_some(),
        active_vouchers: count(tx, "SELECT CAST(COUNT(*) AS BIGINT) FROM vouchers WHERE program_id = $1 AND status = 'active'", id).await?,
        open_applications: count(tx, "SELECT CAST(COUNT(*) AS BIGINT) FROM applications WHERE program_id = $1 AND status IN ('submitted','approved')", id).await?,
        budgets,
    };
    let plan = plan_close(&facts)?;
    ledger::post_all(tx, &plan.postings, &now.ts).await?;
    sqlx::query(
        "UPDATE programs SET closed_at = $1, close_reason = $2, released_fen = $3 WHERE id = $4",
    )
    .bind(&now.ts)
    .bind(&reason)
    .bind(plan.released.fen())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    let after = super::programs::load(tx, id).await?;
    audit::append(
        tx,
        actor,
        "program.close",
        id,
        &to_json(&before),
        &to_json(&after),
        &now.ts,
    )
    .await?;
    Ok(after)
}

/// Adds a further appropriation to a funding source (`external → source`), with its document.
pub async fn top_up(
    tx: &mut Tx,
    actor: &Actor,
    source_id: &str,
    input: &TopUpInput,
    now: &Now,
) -> Result<FundingSource> {
    admin_only(actor, "top up a funding source")?;
    let amount = Money::positive("amount_fen", input.amount_fen)?;
    let document = quan_domain::validate_text("document", &input.document, 500)?;
    let before = super::funding::load_source(tx, source_id).await?;
    let n = sqlx::query(
        "UPDATE funding_sources SET appropriated_fen = appropriated_fen + $1 WHERE id = $2",
    )
    .bind(amount.fen())
    .bind(source_id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(not_found("funding source"));
    }
    let id = new_id("top");
    ledger::post(tx, &plan_top_up(&source_id.into(), &id, amount), &now.ts).await?;
    sqlx::query("INSERT INTO funding_top_ups (id, source_id, amount_fen, document, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(&id)
        .bind(source_id)
        .bind(amount.fen())
        .bind(&document)
        .bind(&actor.user_id)
        .bind(&now.ts)
        .execute(&mut **tx)
        .await?;
    let after = super::funding::load_source(tx, source_id).await?;
    audit::append(
        tx,
        actor,
        "funding_source.top_up",
        source_id,
        &to_json(&before),
        &to_json(&after),
        &now.ts,
    )
    .await?;
    Ok(after)
}

fn top_up_row(r: &sqlx::any::AnyRow) -> Result<FundingTopUp> {
    Ok(FundingTopUp {
        id: r.try_get("id")?,
        source_id: r.try_get("source_id")?,
        amount_fen: Money::from_fen(r.try_get("amount_fen")?),
        document: r.try_get("document")?,
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
    })
}

/// Sort keys of a source's top-ups.
pub const TOP_UP_SORTS: &[super::SortKey] =
    &[("created_at", "created_at"), ("amount_fen", "amount_fen")];

/// A source's top-ups, newest first.
pub async fn list_top_ups(
    store: &Store,
    source_id: &str,
    page: PageReq,
) -> Result<Page<FundingTopUp>> {
    let mut f = Filter::new();
    f.add("source_id = ?", super::Arg::S(source_id.to_string()));
    fetch_page(
        store,
        "id, source_id, amount_fen, document, created_by, created_at",
        "funding_top_ups",
        &f,
        "created_at DESC, id",
        page,
        top_up_row,
    )
    .await
}
