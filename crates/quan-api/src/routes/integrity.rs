//! The dishonesty list and change requests to enterprises' registered files.
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use quan_domain::inputs::{
    ChangeDecisionInput, DishonestyInput, EnterpriseChangeInput, ReasonInput,
};
use quan_store::ops::change_requests::ChangeRequestQuery;
use quan_store::ops::integrity::DishonestyQuery;
use quan_store::rows::{DishonestyEntry, EnterpriseChangeRequest, HeldPayment, Page};
use quan_store::Role;
use serde::Deserialize;

use crate::auth::Auth;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, IdempotencyKey, Paging};
use crate::state::AppState;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DishonestyListQuery {
    pub party_id: Option<String>,
    /// enterprise or supplier
    pub party_kind: Option<String>,
    /// true: only entries in force today; false: only those lifted, expired or not yet started.
    pub in_force: Option<bool>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
    /// Sort key (`-key` for descending); the allowed keys are listed in the error for another.
    pub sort: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/dishonesty-list", tag = "integrity", params(DishonestyListQuery), security(("bearer" = [])),
    responses((status = 200, body = Page<DishonestyEntry>), (status = 403, body = ErrorBody)))]
pub async fn list_dishonesty(
    State(s): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<DishonestyListQuery>,
) -> ApiResult<Json<Page<DishonestyEntry>>> {
    auth.require(&[Role::Admin, Role::Reviewer, Role::Auditor])?;
    let page = Paging {
        page: q.page,
        page_size: q.page_size,
    }
    .req()?;
    let page = crate::extract::sorted(page, q.sort.as_deref(), quan_store::ops::integrity::SORTS)?;
    let dq = DishonestyQuery {
        party_id: q.party_id,
        party_kind: q.party_kind,
        in_force: q.in_force,
    };
    Ok(Json(
        quan_store::ops::integrity::list(&s.store, &dq, page, s.now().today).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/dishonesty-list", tag = "integrity", request_body = DishonestyInput, security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header)),
    responses((status = 201, body = DishonestyEntry), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn add_dishonesty(
    State(s): State<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    body: ApiJson<DishonestyInput>,
) -> ApiResult<Response> {
    let actor = auth.require(&[Role::Admin])?;
    let now = s.now();
    let req = quan_domain::DishonestyRequest::parse(&body.value, now.today)?;
    idempotent!(s, actor, key, body.hash, StatusCode::CREATED, |tx| {
        quan_store::ops::integrity::add(&mut tx, actor, &req, &now).await
    })
}

#[utoipa::path(post, path = "/api/v1/dishonesty-list/{id}/lift", tag = "integrity", request_body = ReasonInput, security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header)),
    responses((status = 200, body = DishonestyEntry), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn lift_dishonesty(
    State(s): State<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    Path(id): Path<String>,
    body: ApiJson<ReasonInput>,
) -> ApiResult<Response> {
    let actor = auth.require(&[Role::Admin])?;
    let now = s.now();
    idempotent!(s, actor, key, body.hash, StatusCode::OK, |tx| {
        quan_store::ops::integrity::lift(&mut tx, actor, &id, &body.value.reason, &now).await
    })
}

#[utoipa::path(post, path = "/api/v1/enterprises/{id}/change-requests", tag = "enterprises", request_body = EnterpriseChangeInput, security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header)),
    responses((status = 201, body = EnterpriseChangeRequest), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn request_change(
    State(s): State<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    Path(id): Path<String>,
    body: ApiJson<EnterpriseChangeInput>,
) -> ApiResult<Response> {
    let actor = auth.require(&[Role::Admin, Role::Enterprise])?;
    let now = s.now();
    idempotent!(s, actor, key, body.hash, StatusCode::CREATED, |tx| {
        quan_store::ops::change_requests::submit(&mut tx, actor, &id, &body.value, &now).await
    })
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChangeRequestListQuery {
    pub enterprise_id: Option<String>,
    /// pending, approved or rejected
    pub status: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
    /// Sort key (`-key` for descending); the allowed keys are listed in the error for another.
    pub sort: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/enterprise-change-requests", tag = "enterprises", params(ChangeRequestListQuery), security(("bearer" = [])),
    responses((status = 200, body = Page<EnterpriseChangeRequest>), (status = 403, body = ErrorBody)))]
pub async fn list_changes(
    State(s): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<ChangeRequestListQuery>,
) -> ApiResult<Json<Page<EnterpriseChangeRequest>>> {
    let page = Paging {
        page: q.page,
        page_size: q.page_size,
    }
    .req()?;
    let page = crate::extract::sorted(
        page,
        q.sort.as_deref(),
        quan_store::ops::change_requests::SORTS,
    )?;
    let cq = ChangeRequestQuery {
        enterprise_id: q.enterprise_id,
        status: q.status,
    };
    Ok(Json(
        quan_store::ops::change_requests::list(&s.store, &auth.0, &cq, page).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/enterprise-change-requests/{id}/decide", tag = "enterprises", request_body = ChangeDecisionInput, security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header)),
    responses((status = 200, body = EnterpriseChangeRequest), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn decide_change(
    State(s): State<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    Path(id): Path<String>,
    body: ApiJson<ChangeDecisionInput>,
) -> ApiResult<Response> {
    let actor = auth.require(&[Role::Admin])?;
    let now = s.now();
    idempotent!(s, actor, key, body.hash, StatusCode::OK, |tx| {
        quan_store::ops::change_requests::decide(&mut tx, actor, &id, &body.value, &now).await
    })
}

#[utoipa::path(get, path = "/api/v1/held-payments", tag = "integrity", security(("bearer" = [])),
    responses((status = 200, body = Vec<HeldPayment>), (status = 403, body = ErrorBody)))]
pub async fn held_payments(
    State(s): State<AppState>,
    auth: Auth,
) -> ApiResult<Json<Vec<HeldPayment>>> {
    auth.require(&[Role::Admin, Role::Reviewer, Role::Auditor])?;
    Ok(Json(
        quan_store::ops::integrity::held_payments(&s.store, s.now().today).await?,
    ))
}
