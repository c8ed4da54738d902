//! Reimbursement runs: in a program where the enterprise pays in full and is reimbursed, a run
//! per enterprise and month pays out every reimbursable claim dated before the month's end —
//! the same plan as a supplier's settlement (`quan_domain::plan_settlement` with an enterprise
//! payee): first what the enterprise owes back from clawbacks, then the rest, and a statement.
pub use quan_domain::inputs::ReimbursementInput;
use quan_domain::{
    plan_settlement, Money, Payee, Reimbursement, SettlementFacts, SettlementId, SettlementPeriod,
    SettlementPlan, ValidationError,
};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::statement::Statement;
use super::{fetch_one_opt, fetch_page, new_id, not_found, to_json, Arg, Filter, Now, PageReq};
use crate::audit;
use crate::db::Tx;
use crate::error::{Result, StoreError};
use crate::ledger;
use crate::rows::Page;
use crate::{Actor, Role, Store};

const COLUMNS: &str =
    "rb.id, rb.number, rb.enterprise_id, e.name AS enterprise_name, rb.period, rb.total_fen, \
     rb.receivable_offset_fen, rb.item_count, rb.created_by, rb.created_at";
const FROM: &str = "reimbursements rb JOIN enterprises e ON e.id = rb.enterprise_id";
/// Reimbursable claims of the enterprise dated before the period's end.
const DUE: &str = "FROM redemptions WHERE enterprise_id = $1 AND payee_kind = 'enterprise' AND status = 'payable' AND invoice_date < $2";

fn row(r: &AnyRow) -> Result<Reimbursement> {
    let total: i64 = r.try_get("total_fen")?;
    let offset: i64 = r.try_get("receivable_offset_fen")?;
    Ok(Reimbursement {
        id: r.try_get::<String, _>("id")?.into(),
        number: r
            .try_get::<Option<String>, _>("number")?
            .unwrap_or_default(),
        enterprise_id: r.try_get::<String, _>("enterprise_id")?.into(),
        enterprise_name: r.try_get("enterprise_name")?,
        period: r.try_get("period")?,
        total_fen: Money::from_fen(total),
        receivable_offset_fen: Money::from_fen(offset),
        paid_fen: Money::from_fen(total - offset),
        item_count: r.try_get("item_count")?,
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
    })
}

/// A reimbursement run: the enterprise's reimbursable account locked first (claims and
/// clawbacks for it queue behind), the plan, then the writes.
pub async fn run(
    tx: &mut Tx,
    actor: &Actor,
    input: &ReimbursementInput,
    now: &Now,
) -> Result<Reimbursement> {
    if !actor.is(Role::Admin) {
        return Err(StoreError::forbidden(
            "only an administrator may run a reimbursement",
        ));
    }
    let period = SettlementPeriod::parse("period", &input.period)?;
    super::enterprises::load(tx, &input.enterprise_id)
        .await
        .map_err(|_| {
            StoreError::from(ValidationError::new(
                "enterprise_id",
                "not_found",
                format!("enterprise_id: no enterprise {}", input.enterprise_id),
            ))
        })?;
    let payee = Payee::Enterprise(input.enterprise_id.as_str().into());
    let facts = facts(tx, &payee, period, now).await?;
    let plan = plan_settlement(&facts, SettlementId::new(new_id("rmb")))?;
    apply(tx, actor, &payee, period, &plan, now).await
}

async fn facts(
    tx: &mut Tx,
    payee: &Payee,
    period: SettlementPeriod,
    now: &Now,
) -> Result<SettlementFacts> {
    for a in [payee.payable(), payee.settled()] {
        ledger::open_account(tx, &a).await?;
    }
    ledger::lock_account(tx, &payee.payable()).await?;
    let receivable = payee.receivable();
    ledger::open_account(tx, &receivable).await?;
    let owed = Money::from_fen((-ledger::lock_account(tx, &receivable).await?.balance).max(0));
    let already_settled =
        sqlx::query("SELECT 1 FROM reimbursements WHERE enterprise_id = $1 AND period = $2")
            .bind(payee.id())
            .bind(period.to_string())
            .fetch_optional(&mut **tx)
            .await?
            .is_some();
    let due = sqlx::query(&format!(
        "SELECT CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(subsidy_fen), 0) AS BIGINT) {DUE}"
    ))
    .bind(payee.id())
    .bind(period.end_exclusive().to_string())
    .fetch_one(&mut **tx)
    .await?;
    Ok(SettlementFacts {
        payee: payee.clone(),
        period,
        today: now.today,
        already_settled,
        items: due.try_get(0)?,
        total: Money::from_fen(due.try_get(1)?),
        payee_listing: super::integrity::listing_on(tx, payee.id(), now.today).await?,
        owed,
    })
}

async fn apply(
    tx: &mut Tx,
    actor: &Actor,
    payee: &Payee,
    period: SettlementPeriod,
    plan: &SettlementPlan,
    now: &Now,
) -> Result<Reimbursement> {
    let id = plan.id.as_str();
    let marked = sqlx::query(&format!(
        "UPDATE redemptions SET status = 'settled', settlement_id = $3 WHERE id IN (SELECT id {DUE})"
    ))
    .bind(payee.id())
    .bind(period.end_exclusive().to_string())
    .bind(id)
    .execute(&mut **tx)
    .await?
    .rows_affected() as i64;
    if marked != plan.items {
        return Err(StoreError::Corrupt(format!(
            "reimbursement {id}: planned {} items, marked {marked}",
            plan.items
        )));
    }
    ledger::post_all(tx, &plan.postings, &now.ts).await?;
    let number = super::numbers::next(tx, quan_domain::DocumentKind::Reimbursement, now).await?;
    sqlx::query("INSERT INTO reimbursements (id, enterprise_id, period, total_fen, receivable_offset_fen, item_count, created_by, created_at, number) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
        .bind(id)
        .bind(payee.id())
        .bind(period.to_string())
        .bind(plan.total.fen())
        .bind(plan.offset.fen())
        .bind(plan.items)
        .bind(&actor.user_id)
        .bind(&now.ts)
        .bind(&number)
        .execute(&mut **tx)
        .await?;
    let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE rb.id = $1");
    let r = fetch_one_opt(tx, &sql, id, row)
        .await?
        .ok_or_else(|| not_found("reimbursement"))?;
    audit::append(
        tx,
        actor,
        "reimbursement.run",
        id,
        "null",
        &to_json(&r),
        &now.ts,
    )
    .await?;
    Ok(r)
}

/// Reimbursements are seen by the enterprise paid, administrators and auditors.
fn forbid_outsiders(actor: &Actor) -> Result<()> {
    if actor.is(Role::Supplier) || actor.is(Role::Reviewer) {
        return Err(StoreError::forbidden(
            "reimbursements are seen by the enterprise paid, administrators and auditors",
        ));
    }
    Ok(())
}

/// One run; an enterprise sees only its own.
pub async fn get(store: &Store, actor: &Actor, id: &str) -> Result<Reimbursement> {
    forbid_outsiders(actor)?;
    let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE rb.id = $1");
    let r = sqlx::query(&sql)
        .bind(id)
        .fetch_optional(store.reader())
        .await?;
    r.as_ref()
        .map(row)
        .transpose()?
        .filter(|r| {
            actor
                .enterprise_scope()
                .is_none_or(|own| own == r.enterprise_id.as_str())
        })
        .ok_or_else(|| not_found("reimbursement"))
}

/// Sort keys of the reimbursement list.
pub const SORTS: &[super::SortKey] = &[
    ("number", "rb.number"),
    ("period", "rb.period"),
    ("total_fen", "rb.total_fen"),
    ("created_at", "rb.created_at"),
];

pub async fn list(
    store: &Store,
    actor: &Actor,
    enterprise_id: Option<&str>,
    q: Option<&str>,
    page: PageReq,
) -> Result<Page<Reimbursement>> {
    forbid_outsiders(actor)?;
    let mut f = Filter::new();
    if let Some(own) = actor.enterprise_scope() {
        f.add("rb.enterprise_id = ?", Arg::S(own.to_string()));
    }
    f.eq_opt("rb.enterprise_id", enterprise_id)
        .contains_any(&["rb.number", "e.name"], q);
    fetch_page(
        store,
        COLUMNS,
        FROM,
        &f,
        "rb.created_at DESC, rb.id",
        page,
        row,
    )
    .await
}

/// The enterprise's statement: every claim the run reimbursed, the total, what it kept back.
pub async fn statement(store: &Store, actor: &Actor, id: &str) -> Result<Statement> {
    let r = get(store, actor, id).await?;
    Ok(Statement {
        lines: super::statement::lines(store, r.id.as_str(), true).await?,
        run_id: r.id.into_string(),
        payee: r.enterprise_name,
        period: r.period,
        reimbursement: true,
        offset: r.receivable_offset_fen,
        paid: r.paid_fen,
    })
}
