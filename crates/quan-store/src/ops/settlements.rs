//! Settlement: a run per supplier per period (YYYY-MM) moves the subsidised part of every
//! unsettled redemption and usage record up to the end of the period from the supplier's
//! payable account to its settled account, and produces a statement.
pub use quan_domain::inputs::SettlementInput;
use quan_domain::{
    plan_settlement, Money, Payee, SettlementFacts, SettlementId, SettlementPeriod, SettlementPlan,
    SupplierId, ValidationError,
};
use sqlx::Row;

pub use super::statement::{Lang, Statement};
use super::{fetch_one_opt, fetch_page, new_id, not_found, to_json, Arg, Filter, Now, PageReq};
use crate::audit;
use crate::db::Tx;
use crate::error::{Result, StoreError};
use crate::ledger;
use crate::rows::Decode;
use crate::rows::{Page, Settlement};
use crate::{Actor, Role, Store};

/// A settlement run: facts (the supplier's payable account locked first, so clawbacks and
/// redemptions for this supplier queue behind it; what is payable up to the period's end),
/// `quan_domain::plan_settlement`, then the writes.
pub async fn run(
    tx: &mut Tx,
    actor: &Actor,
    input: &SettlementInput,
    now: &Now,
) -> Result<Settlement> {
    if !actor.is(Role::Admin) {
        return Err(StoreError::forbidden(
            "only an administrator may run a settlement",
        ));
    }
    let period = SettlementPeriod::parse("period", &input.period)?;
    super::catalogue::load_supplier(tx, &input.supplier_id)
        .await
        .map_err(|_| {
            StoreError::from(ValidationError::new(
                "supplier_id",
                "not_found",
                format!("supplier_id: no supplier {}", input.supplier_id),
            ))
        })?;
    let supplier = SupplierId::new(input.supplier_id.clone());
    let facts = settlement_facts(tx, &supplier, period, now).await?;
    let plan = plan_settlement(&facts, SettlementId::new(new_id("stl")))?;
    apply_settlement(tx, actor, &supplier, period, &plan, now).await
}

async fn settlement_facts(
    tx: &mut Tx,
    supplier: &SupplierId,
    period: SettlementPeriod,
    now: &Now,
) -> Result<SettlementFacts> {
    let payee = Payee::Supplier(supplier.clone());
    ledger::lock_account(tx, &payee.payable()).await?;
    // Negative while the supplier owes money back from clawbacks (no account: owes nothing).
    let receivable = payee.receivable();
    ledger::open_account(tx, &receivable).await?;
    let owed = Money::from_fen((-ledger::lock_account(tx, &receivable).await?.balance).max(0));
    let already_settled =
        sqlx::query("SELECT 1 FROM settlements WHERE supplier_id = $1 AND period = $2")
            .bind(supplier.as_str())
            .bind(period.to_string())
            .fetch_optional(&mut **tx)
            .await?
            .is_some();
    let end = period.end_exclusive().to_string();
    let row = sqlx::query(
        "SELECT CAST((SELECT COUNT(*) FROM redemptions WHERE supplier_id = $1 AND payee_kind = 'supplier' AND status = 'payable' AND invoice_date < $2) + \
         (SELECT COUNT(*) FROM usage_records WHERE supplier_id = $1 AND settlement_id IS NULL AND ended_at < $2 AND subsidy_fen > 0) AS BIGINT), \
         CAST((SELECT COALESCE(SUM(subsidy_fen), 0) FROM redemptions WHERE supplier_id = $1 AND payee_kind = 'supplier' AND status = 'payable' AND invoice_date < $2) + \
         (SELECT COALESCE(SUM(subsidy_fen), 0) FROM usage_records WHERE supplier_id = $1 AND settlement_id IS NULL AND ended_at < $2 AND subsidy_fen > 0) AS BIGINT)",
    )
    .bind(supplier.as_str())
    .bind(&end)
    .fetch_one(&mut **tx)
    .await?;
    Ok(SettlementFacts {
        payee,
        period,
        today: now.today,
        already_settled,
        items: row.try_get(0)?,
        total: Money::from_fen(row.try_get(1)?),
        payee_listing: super::integrity::listing_on(tx, supplier.as_str(), now.today).await?,
        owed,
    })
}

async fn apply_settlement(
    tx: &mut Tx,
    actor: &Actor,
    supplier: &SupplierId,
    period: SettlementPeriod,
    plan: &SettlementPlan,
    now: &Now,
) -> Result<Settlement> {
    let id = plan.id.as_str();
    let end = period.end_exclusive().to_string();
    let red = sqlx::query(
        "UPDATE redemptions SET status = 'settled', settlement_id = $1 WHERE supplier_id = $2 AND payee_kind = 'supplier' AND status = 'payable' AND invoice_date < $3",
    )
    .bind(id)
    .bind(supplier.as_str())
    .bind(&end)
    .execute(&mut **tx)
    .await?
    .rows_affected() as i64;
    let usage = sqlx::query("UPDATE usage_records SET settlement_id = $1 WHERE supplier_id = $2 AND settlement_id IS NULL AND ended_at < $3 AND subsidy_fen > 0")
        .bind(id)
        .bind(supplier.as_str())
        .bind(&end)
        .execute(&mut **tx)
        .await?
        .rows_affected() as i64;
    if red + usage != plan.items {
        // The payable account lock keeps writers out; a mismatch means the facts were wrong.
        return Err(StoreError::Corrupt(format!(
            "settlement {id}: planned {} items, marked {}",
            plan.items,
            red + usage
        )));
    }
    ledger::post_all(tx, &plan.postings, &now.ts).await?;
    let number = super::numbers::next(tx, quan_domain::DocumentKind::Settlement, now).await?;
    sqlx::query("INSERT INTO settlements (id, supplier_id, period, total_fen, item_count, created_by, created_at, receivable_offset_fen, number) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
        .bind(id)
        .bind(supplier.as_str())
        .bind(period.to_string())
        .bind(plan.total.fen())
        .bind(plan.items)
        .bind(&actor.user_id)
        .bind(&now.ts)
        .bind(plan.offset.fen())
        .bind(&number)
        .execute(&mut **tx)
        .await?;
    let sql = format!(
        "SELECT {} FROM {} WHERE st.id = $1",
        Settlement::COLUMNS,
        Settlement::FROM
    );
    let s = fetch_one_opt(tx, &sql, id, Settlement::from_row)
        .await?
        .ok_or_else(|| not_found("settlement"))?;
    audit::append(
        tx,
        actor,
        "settlement.run",
        id,
        "null",
        &to_json(&s),
        &now.ts,
    )
    .await?;
    Ok(s)
}

pub async fn get(store: &Store, actor: &Actor, id: &str) -> Result<Settlement> {
    let sql = format!(
        "SELECT {} FROM {} WHERE st.id = $1",
        Settlement::COLUMNS,
        Settlement::FROM
    );
    let row = sqlx::query(&sql)
        .bind(id)
        .fetch_optional(store.reader())
        .await?;
    let s = row
        .as_ref()
        .map(Settlement::from_row)
        .transpose()?
        .ok_or_else(|| not_found("settlement"))?;
    if actor
        .supplier_scope()
        .is_some_and(|own| own != s.supplier_id)
        || actor.is(Role::Enterprise)
    {
        return Err(not_found("settlement"));
    }
    Ok(s)
}

/// Sort keys of the settlement list.
pub const SORTS: &[super::SortKey] = &[
    ("id", "st.id"),
    ("number", "st.number"),
    ("period", "st.period"),
    ("total_fen", "st.total_fen"),
    ("created_at", "st.created_at"),
];

pub async fn list(
    store: &Store,
    actor: &Actor,
    supplier_id: Option<&str>,
    q: Option<&str>,
    page: PageReq,
) -> Result<Page<Settlement>> {
    let mut f = Filter::new();
    if let Some(own) = actor.supplier_scope() {
        f.add("st.supplier_id = ?", Arg::S(own.to_string()));
    }
    if actor.is(Role::Enterprise) {
        f.add("1 = ?", Arg::I(0));
    }
    f.eq_opt("st.supplier_id", supplier_id)
        .contains_any(&["st.number", "s.name"], q);
    fetch_page(
        store,
        Settlement::COLUMNS,
        Settlement::FROM,
        &f,
        "st.created_at DESC, st.id",
        page,
        Settlement::from_row,
    )
    .await
}

/// The supplier's statement: every invoice and usage record the run paid, the total, and what
/// it kept back to recover clawed-back subsidies.
pub async fn statement(store: &Store, actor: &Actor, id: &str) -> Result<Statement> {
    let s = get(store, actor, id).await?;
    Ok(Statement {
        lines: super::statement::lines(store, &s.id, false).await?,
        run_id: s.id,
        payee: s.supplier_name,
        period: s.period,
        reimbursement: false,
        offset: Money::from_fen(s.receivable_offset_fen),
        paid: Money::from_fen(s.paid_fen),
    })
}
