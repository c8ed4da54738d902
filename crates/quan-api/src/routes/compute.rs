//! The computing-power registry: compute sites (registered by their suppliers or an
//! administrator) and the public figures of the province's compute against the policy.
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use quan_domain::{ComputeCapacity, ComputeSite};
use quan_store::ops::compute::ComputeSiteInput;
use quan_store::Role;
use serde::Deserialize;

use crate::auth::Auth;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, IdempotencyKey};
use crate::state::AppState;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CapacityQuery {
    /// The day the figures are true of (YYYY-MM-DD); today by default.
    pub as_of: Option<chrono::NaiveDate>,
    /// First day of the period new compute is counted over; 2024-01-01 (the targets' start) by default.
    pub new_from: Option<chrono::NaiveDate>,
}

/// The province's registered compute as of a day: total EFLOPS, intelligent share, the share of
/// new compute in the three hubs, per hub and city, the metered utilisation, each with its method.
#[utoipa::path(get, path = "/api/v1/public/compute-capacity", tag = "public", params(CapacityQuery),
    responses((status = 200, body = ComputeCapacity), (status = 400, body = ErrorBody)))]
pub async fn capacity(
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<CapacityQuery>,
) -> ApiResult<Json<ComputeCapacity>> {
    Ok(Json(
        quan_store::ops::compute::figures(&s.store, q.as_of, q.new_from, &s.now()).await?,
    ))
}

/// The registered compute sites (a supplier's own; all for staff), by commissioning day.
#[utoipa::path(get, path = "/api/v1/compute-sites", tag = "compute", security(("bearer" = [])),
    responses((status = 200, body = Vec<ComputeSite>), (status = 403, body = ErrorBody)))]
pub async fn list(State(s): State<AppState>, auth: Auth) -> ApiResult<Json<Vec<ComputeSite>>> {
    let actor = auth.require(&[Role::Admin, Role::Reviewer, Role::Auditor, Role::Supplier])?;
    Ok(Json(quan_store::ops::compute::list(&s.store, actor).await?))
}

/// Registers a compute site (a compute supplier its own; an administrator for a named supplier).
#[utoipa::path(post, path = "/api/v1/compute-sites", tag = "compute", request_body = ComputeSiteInput, security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header)),
    responses((status = 201, body = ComputeSite), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn register(
    State(s): State<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    body: ApiJson<ComputeSiteInput>,
) -> ApiResult<Response> {
    let actor = auth.require(&[Role::Admin, Role::Supplier])?;
    let now = s.now();
    idempotent!(s, actor, key, body.hash, StatusCode::CREATED, |tx| {
        quan_store::ops::compute::register(&mut tx, actor, &body.value, &now).await
    })
}
