//! Policy-target tracking: the public list of the policy's promised figures with their standing,
//! and the administrator's entered figures (with source documents, all kept).
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use quan_domain::{TargetFigure, TargetStatus};
use quan_store::ops::targets::FigureInput;
use quan_store::Role;

use crate::auth::Auth;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::ApiJson;
use crate::state::AppState;

/// Every target of `data/policy_targets.csv`: its figure (the platform's own, with the method,
/// or the latest entered with its source), progress, time left and verdict with its rule.
#[utoipa::path(get, path = "/api/v1/public/policy-targets", tag = "public", params(crate::export::FileQuery),
    responses((status = 200, body = Vec<TargetStatus>), (status = 400, body = ErrorBody)))]
pub async fn list(
    State(s): State<AppState>,
    crate::extract::ApiQuery(q): crate::extract::ApiQuery<crate::export::FileQuery>,
) -> ApiResult<axum::response::Response> {
    let rows = quan_store::ops::targets::list(&s.store, &s.now()).await?;
    crate::export::answer(&q, rows, "policy-targets", |r, l| {
        quan_store::ops::exports_plans::targets_table(r, l)
    })
}

/// Every figure entered for a target, newest first.
#[utoipa::path(get, path = "/api/v1/policy-targets/{id}/figures", tag = "targets", security(("bearer" = [])),
    responses((status = 200, body = Vec<TargetFigure>), (status = 404, body = ErrorBody)))]
pub async fn history(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<TargetFigure>>> {
    auth.require(&[Role::Admin, Role::Auditor])?;
    Ok(Json(
        quan_store::ops::targets::history(&s.store, &id).await?,
    ))
}

/// Enters a figure for a target the platform does not compute (administrators; audited).
#[utoipa::path(post, path = "/api/v1/policy-targets/{id}/figures", tag = "targets", request_body = FigureInput, security(("bearer" = [])),
    responses((status = 201, body = TargetFigure), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn enter(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    body: ApiJson<FigureInput>,
) -> ApiResult<(StatusCode, Json<TargetFigure>)> {
    let actor = auth.require(&[Role::Admin])?;
    let now = s.now();
    let f = write_tx!(s.store, |tx| quan_store::ops::targets::enter(
        &mut tx,
        actor,
        &id,
        &body.value,
        &now
    )
    .await)?;
    Ok((StatusCode::CREATED, Json(f)))
}
