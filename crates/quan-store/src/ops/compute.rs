//! The computing-power registry: compute sites registered by their suppliers (or by an
//! administrator for them), and the registry's figures as of a day (`quan_domain::capacity_figures`)
//! with the utilisation the platform meters. The policy targets on compute read these figures.
use chrono::NaiveDate;
pub use quan_domain::inputs::ComputeSiteInput;
use quan_domain::{
    capacity_figures, check_site, utilisation, CapacityFigures, ComputeCapacity, ComputeKind,
    ComputeSite, Hub, SiteCapacity, SiteRequest, UTILISATION_METHOD,
};
use sqlx::Row;

use super::{new_id, to_json, Now};
use crate::audit;
use crate::db::Tx;
use crate::error::{Result, StoreError};
use crate::{Actor, Role, Store};

/// Days of metered usage the utilisation figure covers.
pub const UTILISATION_DAYS: i64 = 30;

const COLUMNS: &str = "s.id, s.supplier_id, p.name, s.name, s.city_code, s.hub, s.kind, s.commissioned_on, \
     s.fp16_tflops, s.fp64_tflops, s.accelerator_model, s.accelerator_count, s.registered_by, s.registered_at";

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("compute_sites.{what}: {e}"))
}

fn site(r: &sqlx::any::AnyRow) -> Result<(ComputeSite, SiteCapacity)> {
    let hub: Option<String> = r.try_get(5)?;
    let hub = hub
        .map(|h| Hub::parse("hub", &h))
        .transpose()
        .map_err(|e| corrupt("hub", e.message))?;
    let kind: String = r.try_get(6)?;
    let kind = ComputeKind::parse("kind", &kind).map_err(|e| corrupt("kind", e.message))?;
    let on: String = r.try_get(7)?;
    let on =
        NaiveDate::parse_from_str(&on, "%Y-%m-%d").map_err(|e| corrupt("commissioned_on", e))?;
    let (fp16, fp64): (i64, i64) = (r.try_get(8)?, r.try_get(9)?);
    let capacity = SiteCapacity {
        city_code: r.try_get(4)?,
        hub,
        kind,
        commissioned_on: on,
        fp16_tflops: fp16,
        fp64_tflops: fp64,
        accelerator_count: r.try_get(11)?,
    };
    let view = ComputeSite {
        id: r.try_get(0)?,
        supplier_id: r.try_get(1)?,
        supplier_name: r.try_get(2)?,
        name: r.try_get(3)?,
        city_code: capacity.city_code.clone(),
        hub,
        kind,
        commissioned_on: on,
        fp16_pflops: fp16 as f64 / 1000.0,
        fp64_pflops: fp64 as f64 / 1000.0,
        accelerator_model: r.try_get(10)?,
        accelerator_count: capacity.accelerator_count,
        registered_by: r.try_get(12)?,
        registered_at: r.try_get(13)?,
    };
    Ok((view, capacity))
}

async fn all_sites(
    conn: &mut sqlx::AnyConnection,
    supplier: Option<&str>,
) -> Result<Vec<(ComputeSite, SiteCapacity)>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM compute_sites s JOIN suppliers p ON p.id = s.supplier_id \
         WHERE ($1 = '' OR s.supplier_id = $1) ORDER BY s.commissioned_on, s.id"
    ))
    .bind(supplier.unwrap_or(""))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(site).collect()
}

/// The registered sites: a supplier sees its own, staff see all.
pub async fn list(store: &Store, actor: &Actor) -> Result<Vec<ComputeSite>> {
    if actor.is(Role::Enterprise) {
        return Err(StoreError::forbidden(
            "the compute registry is kept by suppliers and staff",
        ));
    }
    let mut conn = store.reader().acquire().await?;
    Ok(all_sites(&mut conn, actor.supplier_scope())
        .await?
        .into_iter()
        .map(|(v, _)| v)
        .collect())
}

/// Every site's capacity, for the figures.
pub(crate) async fn capacities(conn: &mut sqlx::AnyConnection) -> Result<Vec<SiteCapacity>> {
    Ok(all_sites(conn, None)
        .await?
        .into_iter()
        .map(|(_, c)| c)
        .collect())
}

/// The registry's figures as of `as_of` (default today), new compute counted from `new_from`
/// (default: the targets' start), with each hub city's metered utilisation.
pub async fn figures(
    store: &Store,
    as_of: Option<NaiveDate>,
    new_from: Option<NaiveDate>,
    now: &Now,
) -> Result<ComputeCapacity> {
    let as_of = as_of.unwrap_or(now.today);
    let new_from = new_from.unwrap_or_else(quan_domain::targets_start);
    let mut conn = store.reader().acquire().await?;
    let figures: CapacityFigures = capacity_figures(&capacities(&mut conn).await?, as_of, new_from);
    let first_day = as_of - chrono::Duration::days(UTILISATION_DAYS - 1);
    let rows = sqlx::query(
        "SELECT city_code, CAST(COALESCE(SUM(gpu_seconds), 0) AS BIGINT) FROM usage_rollups \
         WHERE day >= $1 AND day <= $2 GROUP BY city_code",
    )
    .bind(first_day.to_string())
    .bind(as_of.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let mut used = std::collections::HashMap::new();
    for r in &rows {
        used.insert(r.try_get::<String, _>(0)?, r.try_get::<i64, _>(1)?);
    }
    let utilisation = figures
        .by_city
        .iter()
        .map(|c| {
            let gpu_seconds = used.get(&c.city_code).copied().unwrap_or(0);
            utilisation(
                &c.city_code,
                gpu_seconds,
                c.part.accelerators,
                UTILISATION_DAYS,
            )
        })
        .collect();
    Ok(ComputeCapacity {
        figures,
        utilisation,
        utilisation_method: UTILISATION_METHOD,
    })
}

/// Registers a site (its supplier, or an administrator naming the supplier; audited). Only a
/// compute supplier operates compute sites.
pub async fn register(
    tx: &mut Tx,
    actor: &Actor,
    input: &ComputeSiteInput,
    now: &Now,
) -> Result<ComputeSite> {
    let supplier_id = match (
        actor.role,
        actor.supplier_scope(),
        input.supplier_id.as_deref(),
    ) {
        (Role::Supplier, Some(own), None) => own.to_string(),
        (Role::Supplier, Some(own), Some(named)) if named == own => own.to_string(),
        (Role::Supplier, _, Some(_)) => {
            return Err(StoreError::forbidden(
                "a supplier registers its own sites only",
            ))
        }
        (Role::Admin, _, Some(named)) => named.to_string(),
        (Role::Admin, _, None) => {
            return Err(quan_domain::ValidationError::new(
                "supplier_id",
                "required",
                "supplier_id: an administrator names the supplier whose site it is",
            )
            .into())
        }
        _ => {
            return Err(StoreError::forbidden(
                "only suppliers and administrators register compute sites",
            ))
        }
    };
    let checked = check_site(
        &SiteRequest {
            name: &input.name,
            city_code: &input.city_code,
            hub: input.hub.as_deref(),
            kind: &input.kind,
            commissioned_on: input.commissioned_on,
            fp16_pflops: input.fp16_pflops,
            fp64_pflops: input.fp64_pflops,
            accelerator_model: input.accelerator_model.as_deref(),
            accelerator_count: input.accelerator_count,
        },
        now.today,
    )?;
    let kind: Option<String> = sqlx::query("SELECT kind FROM suppliers WHERE id = $1")
        .bind(&supplier_id)
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| r.try_get(0))
        .transpose()?;
    match kind.as_deref() {
        None => {
            return Err(StoreError::conflict_field(
                "unknown_supplier",
                "supplier_id",
                format!("supplier_id: no supplier {supplier_id}"),
            ))
        }
        Some("compute") => {}
        Some(other) => {
            return Err(StoreError::conflict_field(
                "not_compute_supplier",
                "supplier_id",
                format!("supplier_id: a {other} supplier operates no compute sites"),
            ))
        }
    }
    let c = &checked.capacity;
    let id = new_id("cst");
    sqlx::query(
        "INSERT INTO compute_sites (id, supplier_id, name, city_code, hub, kind, commissioned_on, fp16_tflops, \
         fp64_tflops, accelerator_model, accelerator_count, registered_by, registered_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(&id)
    .bind(&supplier_id)
    .bind(&checked.name)
    .bind(&c.city_code)
    .bind(c.hub.map(Hub::code))
    .bind(c.kind.code())
    .bind(c.commissioned_on.to_string())
    .bind(c.fp16_tflops)
    .bind(c.fp64_tflops)
    .bind(checked.accelerator_model.as_deref())
    .bind(c.accelerator_count)
    .bind(actor.label())
    .bind(&now.ts)
    .execute(&mut **tx)
    .await?;
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM compute_sites s JOIN suppliers p ON p.id = s.supplier_id WHERE s.id = $1"
    ))
    .bind(&id)
    .fetch_one(&mut **tx)
    .await?;
    let (view, _) = site(&row)?;
    audit::append(
        tx,
        actor,
        "compute_site.register",
        &id,
        "{}",
        &to_json(&view),
        &now.ts,
    )
    .await?;
    Ok(view)
}
