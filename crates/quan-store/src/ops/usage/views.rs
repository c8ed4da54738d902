//! The usage record list and the hub view (GPU-hours and subsidy per hub, product and
//! enterprise), scoped to what the actor may see.
pub use quan_domain::views::{
    EnterpriseUsage, HubUsage, ProductUsage, UsageFigures, UsageRecord, UsageSummary,
};

use chrono::Datelike;
use sqlx::Row;

use super::super::{fetch_page, Arg, Filter, Now, PageReq};
use crate::error::Result;
use crate::rows::Page;
use crate::{Actor, Store};

const RECORD_COLUMNS: &str = "supplier_id, record_id, product_id, enterprise_id, voucher_id, program_id, city_code, started_at, ended_at, \
     gpu_seconds, amount_fen, subsidy_fen, settlement_id, batch_id, created_at, quantity";

fn record_row(r: &sqlx::any::AnyRow) -> Result<UsageRecord> {
    Ok(UsageRecord {
        supplier_id: r.try_get(0)?,
        record_id: r.try_get(1)?,
        product_id: r.try_get(2)?,
        enterprise_id: r.try_get(3)?,
        voucher_id: r.try_get(4)?,
        program_id: r.try_get(5)?,
        city_code: r.try_get(6)?,
        started_at: r.try_get(7)?,
        ended_at: r.try_get(8)?,
        gpu_seconds: r.try_get(9)?,
        amount_fen: r.try_get(10)?,
        subsidy_fen: r.try_get(11)?,
        settlement_id: r.try_get(12)?,
        batch_id: r.try_get(13)?,
        created_at: r.try_get(14)?,
        quantity: r.try_get(15)?,
    })
}

#[derive(Debug, Default, Clone)]
pub struct UsageQuery {
    pub supplier_id: Option<String>,
    pub enterprise_id: Option<String>,
    pub product_id: Option<String>,
    pub voucher_id: Option<String>,
    pub batch_id: Option<String>,
}

/// Adds the tenant scope: a supplier sees its own records, an enterprise its own usage.
fn scope(f: &mut Filter, actor: &Actor) {
    if let Some(own) = actor.supplier_scope() {
        f.add("supplier_id = ?", Arg::S(own.to_string()));
    }
    if let Some(own) = actor.enterprise_scope() {
        f.add("enterprise_id = ?", Arg::S(own.to_string()));
    }
}

/// Sort keys of the usage record list (records have no secondary index: only the default
/// order's column).
pub const USAGE_SORTS: &[crate::ops::SortKey] = &[("ended_at", "ended_at")];

pub async fn list(
    store: &Store,
    actor: &Actor,
    q: &UsageQuery,
    page: PageReq,
) -> Result<Page<UsageRecord>> {
    let mut f = Filter::new();
    scope(&mut f, actor);
    f.eq_opt("supplier_id", q.supplier_id.as_deref())
        .eq_opt("enterprise_id", q.enterprise_id.as_deref())
        .eq_opt("product_id", q.product_id.as_deref())
        .eq_opt("voucher_id", q.voucher_id.as_deref())
        .eq_opt("batch_id", q.batch_id.as_deref());
    fetch_page(
        store,
        RECORD_COLUMNS,
        "usage_records",
        &f,
        "ended_at DESC, supplier_id, record_id",
        page,
        record_row,
    )
    .await
}

/// The figures over rollups `u` ($1 today, $2 this month, by the day the usage ended).
const FIGURES: &str = "CAST(COALESCE(SUM(u.records), 0) AS BIGINT), \
     CAST(COALESCE(SUM(CASE WHEN u.day = $1 THEN u.gpu_seconds ELSE 0 END), 0) AS BIGINT), \
     CAST(COALESCE(SUM(CASE WHEN u.day = $1 THEN u.subsidy_fen ELSE 0 END), 0) AS BIGINT), \
     CAST(COALESCE(SUM(CASE WHEN SUBSTR(u.day, 1, 7) = $2 THEN u.gpu_seconds ELSE 0 END), 0) AS BIGINT), \
     CAST(COALESCE(SUM(CASE WHEN SUBSTR(u.day, 1, 7) = $2 THEN u.subsidy_fen ELSE 0 END), 0) AS BIGINT), \
     CAST(COALESCE(SUM(u.gpu_seconds), 0) AS BIGINT), CAST(COALESCE(SUM(u.subsidy_fen), 0) AS BIGINT), CAST(COALESCE(SUM(u.amount_fen), 0) AS BIGINT)";

fn figures(r: &sqlx::any::AnyRow, at: usize) -> Result<UsageFigures> {
    let h = |s: i64| (s as f64 / 3600.0 * 100.0).round() / 100.0;
    Ok(UsageFigures {
        records: r.try_get(at)?,
        gpu_hours_today: h(r.try_get(at + 1)?),
        subsidy_today_fen: r.try_get(at + 2)?,
        gpu_hours_month: h(r.try_get(at + 3)?),
        subsidy_month_fen: r.try_get(at + 4)?,
        gpu_hours_program: h(r.try_get(at + 5)?),
        subsidy_program_fen: r.try_get(at + 6)?,
        amount_program_fen: r.try_get(at + 7)?,
    })
}

/// The hub view, scoped to what the actor may see.
pub async fn summary(
    store: &Store,
    actor: &Actor,
    program_id: Option<&str>,
    now: &Now,
) -> Result<UsageSummary> {
    let today = now.today.to_string();
    let month = format!("{:04}-{:02}", now.today.year(), now.today.month());
    let mut f = Filter::new();
    // $1 and $2 are today and month.
    f.add_many("? <> ?", vec![Arg::S(today.clone()), Arg::S(month.clone())]);
    if let Some(own) = actor.supplier_scope() {
        f.add("u.supplier_id = ?", Arg::S(own.to_string()));
    }
    if let Some(own) = actor.enterprise_scope() {
        f.add("u.enterprise_id = ?", Arg::S(own.to_string()));
    }
    f.eq_opt("u.program_id", program_id);
    let w = f.where_sql();
    let totals_row = f
        .bind(sqlx::query(&format!(
            "SELECT {FIGURES} FROM usage_rollups u{w}"
        )))
        .fetch_one(store.reader())
        .await?;
    let totals = figures(&totals_row, 0)?;
    let hub_rows = f
        .bind(sqlx::query(&format!(
            "SELECT u.city_code, {FIGURES} FROM usage_rollups u{w} GROUP BY u.city_code"
        )))
        .fetch_all(store.reader())
        .await?;
    let mut by_hub = Vec::new();
    for c in quan_domain::cities() {
        let mut fig = UsageFigures::default();
        for r in &hub_rows {
            if r.try_get::<String, _>(0)? == c.code {
                fig = figures(r, 1)?;
            }
        }
        if c.compute_hub || fig.records > 0 {
            by_hub.push(HubUsage {
                city_code: c.code.clone(),
                name_zh: c.name_zh.clone(),
                name_en: c.name_en.clone(),
                compute_hub: c.compute_hub,
                figures: fig,
            });
        }
    }
    let prod_rows = f
        .bind(sqlx::query(&format!(
            "SELECT u.product_id, MAX(p.name), MAX(p.supplier_id), MAX(p.city_code), {FIGURES} FROM usage_rollups u JOIN products p ON p.id = u.product_id{w} \
             GROUP BY u.product_id ORDER BY u.product_id"
        )))
        .fetch_all(store.reader())
        .await?;
    let mut by_product = Vec::new();
    for r in &prod_rows {
        by_product.push(ProductUsage {
            product_id: r.try_get(0)?,
            product_name: r.try_get(1)?,
            supplier_id: r.try_get(2)?,
            city_code: r.try_get(3)?,
            figures: figures(r, 4)?,
        });
    }
    let ent_rows = f
        .bind(sqlx::query(&format!(
            "SELECT u.enterprise_id, MAX(e.name), {FIGURES} FROM usage_rollups u JOIN enterprises e ON e.id = u.enterprise_id{w} \
             GROUP BY u.enterprise_id ORDER BY CAST(COALESCE(SUM(u.subsidy_fen), 0) AS BIGINT) DESC, u.enterprise_id LIMIT 200"
        )))
        .fetch_all(store.reader())
        .await?;
    let mut by_enterprise = Vec::new();
    for r in &ent_rows {
        by_enterprise.push(EnterpriseUsage {
            enterprise_id: r.try_get(0)?,
            enterprise_name: r.try_get(1)?,
            figures: figures(r, 2)?,
        });
    }
    Ok(UsageSummary {
        today,
        month,
        program_id: program_id.map(str::to_string),
        totals,
        by_hub,
        by_product,
        by_enterprise,
    })
}
