//! Settlement: a run per supplier per period (YYYY-MM) moves the subsidised part of every
//! unsettled redemption and usage record up to the end of the period from the supplier's
//! payable account to its settled account, and produces a statement.
use chrono::{Datelike, NaiveDate};
use quan_domain::{Money, ValidationError};
use serde::Deserialize;
use sqlx::Row;
use utoipa::ToSchema;

use super::{fetch_one_opt, fetch_page, new_id, not_found, to_json, Arg, Filter, Now, PageReq};
use crate::audit;
use crate::db::Tx;
use crate::error::{Result, StoreError};
use crate::ledger::{self, Transfer};
use crate::rows::{Page, Settlement};
use crate::{Actor, Role, Store};

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettlementInput {
    pub supplier_id: String,
    /// YYYY-MM; the period must have ended (or be the current month).
    pub period: String,
}

/// First day of the month after `period`.
pub fn period_end(period: &str) -> Result<NaiveDate, ValidationError> {
    let bad = || {
        ValidationError::new(
            "period",
            "invalid_period",
            format!("period: {period:?} must be a month like 2026-11"),
        )
    };
    if period.len() != 7 {
        return Err(bad());
    }
    let first =
        NaiveDate::parse_from_str(&format!("{period}-01"), "%Y-%m-%d").map_err(|_| bad())?;
    let (y, m) = if first.month() == 12 {
        (first.year() + 1, 1)
    } else {
        (first.year(), first.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).ok_or_else(bad)
}

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
    let end = period_end(&input.period)?;
    let first = NaiveDate::parse_from_str(&format!("{}-01", input.period), "%Y-%m-%d")
        .map_err(|_| StoreError::Corrupt("period".into()))?;
    if first > now.today {
        return Err(ValidationError::new(
            "period",
            "invalid_period",
            format!("period: {} has not started yet", input.period),
        )
        .into());
    }
    super::catalogue::load_supplier(tx, &input.supplier_id)
        .await
        .map_err(|_| {
            StoreError::from(ValidationError::new(
                "supplier_id",
                "not_found",
                format!("supplier_id: no supplier {}", input.supplier_id),
            ))
        })?;
    // Lock the payable account first: clawbacks and redemptions for this supplier queue behind us.
    let payable = ledger::payable_account(&input.supplier_id);
    super::lock_account(tx, &payable).await?;
    if sqlx::query("SELECT 1 FROM settlements WHERE supplier_id = $1 AND period = $2")
        .bind(&input.supplier_id)
        .bind(&input.period)
        .fetch_optional(&mut **tx)
        .await?
        .is_some()
    {
        return Err(StoreError::conflict_field(
            "already_settled",
            "period",
            format!(
                "period: {} is already settled for this supplier",
                input.period
            ),
        ));
    }
    let id = new_id("stl");
    let end = end.to_string();
    let red = sqlx::query(
        "UPDATE redemptions SET status = 'settled', settlement_id = $1 WHERE supplier_id = $2 AND status = 'payable' AND invoice_date < $3",
    )
    .bind(&id)
    .bind(&input.supplier_id)
    .bind(&end)
    .execute(&mut **tx)
    .await?
    .rows_affected() as i64;
    let usage = sqlx::query("UPDATE usage_records SET settlement_id = $1 WHERE supplier_id = $2 AND settlement_id IS NULL AND ended_at < $3 AND subsidy_fen > 0")
        .bind(&id)
        .bind(&input.supplier_id)
        .bind(&end)
        .execute(&mut **tx)
        .await?
        .rows_affected() as i64;
    let total: i64 = sqlx::query(
        "SELECT CAST((SELECT COALESCE(SUM(subsidy_fen), 0) FROM redemptions WHERE settlement_id = $1) + \
         (SELECT COALESCE(SUM(subsidy_fen), 0) FROM usage_records WHERE settlement_id = $1) AS BIGINT)",
    )
    .bind(&id)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    if red + usage == 0 {
        return Err(StoreError::conflict(
            "nothing_to_settle",
            format!(
                "nothing is payable to this supplier up to the end of {}",
                input.period
            ),
        ));
    }
    ledger::apply(
        tx,
        &Transfer::single(
            format!("settle:{id}"),
            &payable,
            ledger::settled_account(&input.supplier_id),
            total,
            "settle",
        ),
        &now.ts,
    )
    .await?;
    sqlx::query("INSERT INTO settlements (id, supplier_id, period, total_fen, item_count, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(&id)
        .bind(&input.supplier_id)
        .bind(&input.period)
        .bind(total)
        .bind(red + usage)
        .bind(&actor.user_id)
        .bind(&now.ts)
        .execute(&mut **tx)
        .await?;
    let sql = format!(
        "SELECT {} FROM {} WHERE st.id = $1",
        Settlement::COLUMNS,
        Settlement::FROM
    );
    let s = fetch_one_opt(tx, &sql, &id, Settlement::from_row)
        .await?
        .ok_or_else(|| not_found("settlement"))?;
    audit::append(
        tx,
        actor,
        "settlement.run",
        &id,
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

pub async fn list(
    store: &Store,
    actor: &Actor,
    supplier_id: Option<&str>,
    page: PageReq,
) -> Result<Page<Settlement>> {
    let mut f = Filter::new();
    if let Some(own) = actor.supplier_scope() {
        f.add("st.supplier_id = ?", Arg::S(own.to_string()));
    }
    if actor.is(Role::Enterprise) {
        f.add("1 = ?", Arg::I(0));
    }
    f.eq_opt("st.supplier_id", supplier_id);
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

/// The supplier's statement as CSV (UTF-8 with BOM so spreadsheet software reads the Chinese
/// names; amounts in yuan with two decimals; a total line at the end).
pub async fn statement_csv(store: &Store, actor: &Actor, id: &str) -> Result<String> {
    let s = get(store, actor, id).await?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let csv_err = |e: csv::Error| StoreError::Corrupt(e.to_string());
    w.write_record([
        "settlement",
        "supplier",
        "period",
        "kind",
        "item",
        "reference",
        "date",
        "enterprise",
        "product",
        "amount_yuan",
        "subsidy_yuan",
        "enterprise_pays_yuan",
    ])
    .map_err(csv_err)?;
    let rows = sqlx::query(
        "SELECT 'invoice' AS kind, r.id, r.invoice_number, r.invoice_date, e.name, p.name, r.invoice_amount_fen, r.subsidy_fen, r.enterprise_pays_fen \
         FROM redemptions r JOIN enterprises e ON e.id = r.enterprise_id JOIN products p ON p.id = r.product_id WHERE r.settlement_id = $1 \
         UNION ALL \
         SELECT 'usage' AS kind, u.record_id, u.voucher_id, SUBSTR(u.ended_at, 1, 10), e.name, p.name, u.amount_fen, u.subsidy_fen, u.amount_fen - u.subsidy_fen \
         FROM usage_records u JOIN enterprises e ON e.id = u.enterprise_id JOIN products p ON p.id = u.product_id WHERE u.settlement_id = $1 \
         ORDER BY 4, 2",
    )
    .bind(id)
    .fetch_all(store.reader())
    .await?;
    let (mut amount, mut subsidy, mut pays) = (0i64, 0i64, 0i64);
    for r in &rows {
        let (a, s_, p): (i64, i64, i64) = (r.try_get(6)?, r.try_get(7)?, r.try_get(8)?);
        amount += a;
        subsidy += s_;
        pays += p;
        let rec: Vec<String> = vec![
            s.id.clone(),
            s.supplier_name.clone(),
            s.period.clone(),
            r.try_get(0)?,
            r.try_get(1)?,
            r.try_get::<Option<String>, _>(2)?.unwrap_or_default(),
            r.try_get(3)?,
            r.try_get(4)?,
            r.try_get(5)?,
            Money::from_fen(a).to_string(),
            Money::from_fen(s_).to_string(),
            Money::from_fen(p).to_string(),
        ];
        w.write_record(&rec).map_err(csv_err)?;
    }
    w.write_record([
        s.id.as_str(),
        s.supplier_name.as_str(),
        s.period.as_str(),
        "total",
        "",
        "",
        "",
        "",
        "",
        &Money::from_fen(amount).to_string(),
        &Money::from_fen(subsidy).to_string(),
        &Money::from_fen(pays).to_string(),
    ])
    .map_err(csv_err)?;
    let bytes = w
        .into_inner()
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    Ok(format!("\u{feff}{}", String::from_utf8_lossy(&bytes)))
}
