//! Policy-target tracking: every row of `data/policy_targets.csv` with its current figure — from
//! the platform's own records where it holds them, else the latest figure an administrator
//! entered with its source document — and its standing (`quan_domain::progress`).
use chrono::Datelike;
pub use quan_domain::inputs::FigureInput;
use quan_domain::{
    check_figure, policy_targets, progress, targets_start, FigureSource, PolicyTarget,
    TargetFigure, TargetStatus,
};
use sqlx::Row;

use super::{new_id, not_found, to_json, Now};
use crate::audit;
use crate::db::Tx;
use crate::error::{Result, StoreError};
use crate::{Actor, Role, Store};

/// How the platform computes the targets it holds the records of.
fn method(id: &str) -> Option<&'static str> {
    match id {
        "ai_budget" => Some("face value of every voucher issued, in yuan (commitments drawn from the provincial funds)"),
        "model_products_per_year" => Some("model products selected by this year's effective selection rounds"),
        "corpora_per_year" => Some("corpora selected by this year's effective selection rounds"),
        "total_compute" => Some(quan_domain::METHODS.total),
        "intelligent_compute_share" => Some(quan_domain::METHODS.intelligent_share),
        "hub_share_new_compute" => Some("compute registry, the period from the targets' start (2024-01-01) to today: reported capacity of the sites commissioned in it that belong to the Jinan, Qingdao or Zaozhuang hub / reported capacity of all sites commissioned in it, in percent"),
        _ => None,
    }
}

async fn platform_figure(
    conn: &mut sqlx::AnyConnection,
    id: &str,
    now: &Now,
) -> Result<Option<f64>> {
    let year = now.today.year() as i64;
    let selected = |kind: &'static str| {
        sqlx::query(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM selection_entries e JOIN selection_rounds r ON r.id = e.round_id \
             WHERE r.kind = $1 AND r.year = $2 AND r.status = 'effective' AND e.outcome = 'selected'",
        )
        .bind(kind)
        .bind(year)
    };
    let n: i64 = match id {
        "ai_budget" => {
            let fen: i64 = sqlx::query(
                "SELECT CAST(COALESCE(SUM(face_value_fen), 0) AS BIGINT) FROM vouchers",
            )
            .fetch_one(&mut *conn)
            .await?
            .try_get(0)?;
            // Fen to yuan for a progress ratio only (no money moves on it).
            return Ok(Some(fen as f64 / 100.0));
        }
        "model_products_per_year" => selected("model").fetch_one(&mut *conn).await?.try_get(0)?,
        "corpora_per_year" => selected("corpus").fetch_one(&mut *conn).await?.try_get(0)?,
        "total_compute" | "intelligent_compute_share" | "hub_share_new_compute" => {
            let sites = super::compute::capacities(conn).await?;
            let f = quan_domain::capacity_figures(&sites, now.today, targets_start());
            return Ok(match id {
                "total_compute" => (!sites.is_empty()).then_some(f.total_eflops),
                "intelligent_compute_share" => f.intelligent_share,
                _ => f.hub_share_new,
            });
        }
        _ => return Ok(None),
    };
    Ok(Some(n as f64))
}

const FIGURE_COLUMNS: &str = "id, target_id, value, as_of, source, entered_by, entered_at";

fn figure(r: &sqlx::any::AnyRow) -> Result<TargetFigure> {
    let as_of: String = r.try_get("as_of")?;
    Ok(TargetFigure {
        id: r.try_get("id")?,
        target_id: r.try_get("target_id")?,
        value: r.try_get("value")?,
        as_of: chrono::NaiveDate::parse_from_str(&as_of, "%Y-%m-%d")
            .map_err(|e| StoreError::Corrupt(format!("policy_target_figures.as_of: {e}")))?,
        source: r.try_get("source")?,
        entered_by: r.try_get("entered_by")?,
        entered_at: r.try_get("entered_at")?,
    })
}

fn target(id: &str) -> Result<PolicyTarget> {
    policy_targets()
        .into_iter()
        .find(|t| t.id == id)
        .ok_or_else(|| not_found("policy target"))
}

/// Every target with its figure and standing on the platform's today.
pub async fn list(store: &Store, now: &Now) -> Result<Vec<TargetStatus>> {
    let mut conn = store.reader().acquire().await?;
    let mut out = Vec::new();
    for t in policy_targets() {
        let (source, figure, as_of, document) = match method(&t.id) {
            Some(_) => (
                FigureSource::Platform,
                platform_figure(&mut conn, &t.id, now).await?,
                Some(now.today),
                None,
            ),
            None => {
                let latest = sqlx::query(&format!(
                    "SELECT {FIGURE_COLUMNS} FROM policy_target_figures WHERE target_id = $1 \
                     ORDER BY as_of DESC, entered_at DESC, id DESC LIMIT 1"
                ))
                .bind(&t.id)
                .fetch_optional(&mut *conn)
                .await?
                .as_ref()
                .map(figure)
                .transpose()?;
                match latest {
                    Some(f) => (
                        FigureSource::Entered,
                        Some(f.value),
                        Some(f.as_of),
                        Some(f.source),
                    ),
                    None => (FigureSource::Entered, None, None, None),
                }
            }
        };
        let progress = progress(&t, figure, targets_start(), now.today);
        out.push(TargetStatus {
            method: method(&t.id),
            target: t,
            source,
            figure,
            as_of,
            source_document: document,
            progress,
        });
    }
    Ok(out)
}

/// Every figure entered for a target, newest first.
pub async fn history(store: &Store, target_id: &str) -> Result<Vec<TargetFigure>> {
    target(target_id)?;
    let rows = sqlx::query(&format!(
        "SELECT {FIGURE_COLUMNS} FROM policy_target_figures WHERE target_id = $1 ORDER BY as_of DESC, entered_at DESC, id DESC"
    ))
    .bind(target_id)
    .fetch_all(store.reader())
    .await?;
    rows.iter().map(figure).collect()
}

/// Records a figure (administrators; audited). A target the platform computes takes none.
pub async fn enter(
    tx: &mut Tx,
    actor: &Actor,
    target_id: &str,
    input: &FigureInput,
    now: &Now,
) -> Result<TargetFigure> {
    if !actor.is(Role::Admin) {
        return Err(StoreError::forbidden(
            "only an administrator may enter a target's figure",
        ));
    }
    let t = target(target_id)?;
    if method(&t.id).is_some() {
        return Err(StoreError::conflict(
            "computed_target",
            format!(
                "{}: the platform computes this figure from its own records",
                t.id
            ),
        ));
    }
    let source = check_figure(&t, input.value, input.as_of, &input.source, now.today)?;
    let f = TargetFigure {
        id: new_id("tgf"),
        target_id: t.id.clone(),
        value: input.value,
        as_of: input.as_of,
        source,
        entered_by: actor.label(),
        entered_at: now.ts.clone(),
    };
    sqlx::query(&format!(
        "INSERT INTO policy_target_figures ({FIGURE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"
    ))
    .bind(&f.id)
    .bind(&f.target_id)
    .bind(f.value)
    .bind(f.as_of.to_string())
    .bind(&f.source)
    .bind(&f.entered_by)
    .bind(&f.entered_at)
    .execute(&mut **tx)
    .await?;
    audit::append(
        tx,
        actor,
        "policy_target.figure",
        &t.id,
        "{}",
        &to_json(&f),
        &now.ts,
    )
    .await?;
    Ok(f)
}
