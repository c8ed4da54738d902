use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use quan_store::ops::applications::{
    ApplicationInput, ApplicationQuery, ObjectionInput, ResolveInput, ReviewInput,
};
use quan_store::rows::{Application, Objection, Page, Voucher};
use quan_store::Role;
use serde::Deserialize;

use crate::auth::Auth;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, IdempotencyKey, Paging};
use crate::state::AppState;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// First day (YYYY-MM-DD, inclusive) of the day of submission.
    pub from: Option<chrono::NaiveDate>,
    /// Last day (inclusive).
    pub to: Option<chrono::NaiveDate>,
    pub status: Option<quan_domain::ApplicationStatus>,
    pub program_id: Option<String>,
    pub enterprise_id: Option<String>,
    pub city_code: Option<String>,
    /// Only applications under review waiting for this level (1-based) of their program's
    /// review chain: a level's queue.
    pub awaiting_level: Option<i64>,
    /// `csv` or `xlsx`: every row the filters select, as a download (at most 100,000);
    /// `json` (the default) the page.
    pub format: Option<String>,
    /// Headers and words of a download: `en` for English, Chinese otherwise.
    pub lang: Option<String>,
    /// Part of the number (`SD-…`) or of a name; any case.
    pub q: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
    /// Sort key (`-key` for descending); the allowed keys are listed in the error for another.
    pub sort: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/applications", operation_id = "list_applications", tag = "applications", params(ListQuery), security(("bearer" = [])), responses((status = 200, description = "The page as JSON, or with `format` every selected row as CSV or XLSX", content((Page<Application> = "application/json"), (String = "text/csv"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))))]
pub async fn list(
    State(s): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Response> {
    let page = Paging {
        page: q.page,
        page_size: q.page_size,
    }
    .req()?;
    let page = crate::extract::sorted(
        page,
        q.sort.as_deref(),
        quan_store::ops::applications::SORTS,
    )?;
    if q.awaiting_level.is_some_and(|l| !(1..=5).contains(&l)) {
        return Err(crate::error::ApiError::bad_request(
            "out_of_range",
            Some("awaiting_level"),
            "awaiting_level: a review chain has levels 1 to 5",
        ));
    }
    let (from, to) = crate::extract::day_range(q.from, q.to)?;
    let aq = ApplicationQuery {
        from,
        to,
        status: q.status.map(|s| s.as_str().to_string()),
        program_id: q.program_id,
        enterprise_id: q.enterprise_id,
        city_code: q.city_code,
        q: q.q,
        awaiting_level: q.awaiting_level,
    };
    crate::export::list_answer(
        q.format.as_deref(),
        q.lang.as_deref(),
        page,
        "applications",
        quan_store::ops::exports::applications,
        |p| quan_store::ops::applications::list(&s.store, &auth.0, &aq, p),
    )
    .await
}

#[utoipa::path(post, path = "/api/v1/applications", operation_id = "create_application", tag = "applications", request_body = ApplicationInput, security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header)), responses((status = 201, body = Application), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create(
    State(s): State<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    body: ApiJson<ApplicationInput>,
) -> ApiResult<Response> {
    let actor = auth.require(&[Role::Enterprise, Role::Admin])?;
    let now = s.now();
    idempotent!(s, actor, key, body.hash, StatusCode::CREATED, |tx| {
        quan_store::ops::applications::apply(&mut tx, actor, &body.value, &now).await
    })
}

#[utoipa::path(get, path = "/api/v1/applications/{id}", operation_id = "get_application", tag = "applications", security(("bearer" = [])), responses((status = 200, body = Application), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Application>> {
    Ok(Json(
        quan_store::ops::applications::get(&s.store, &auth.0, &id).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/applications/{id}/review", tag = "applications", request_body = ReviewInput, security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header)), responses((status = 200, body = Application), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn review(
    State(s): State<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    Path(id): Path<String>,
    body: ApiJson<ReviewInput>,
) -> ApiResult<Response> {
    let actor = auth.require(&[Role::Reviewer, Role::Admin])?;
    let now = s.now();
    idempotent!(s, actor, key, body.hash, StatusCode::OK, |tx| {
        quan_store::ops::applications::review(&mut tx, actor, &id, &body.value, &now).await
    })
}

#[utoipa::path(post, path = "/api/v1/applications/{id}/objections", tag = "applications", request_body = ObjectionInput, security(("bearer" = [])),
    responses((status = 201, body = Objection), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn object(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    body: ApiJson<ObjectionInput>,
) -> ApiResult<(StatusCode, Json<Objection>)> {
    let actor = auth.require(&[
        Role::Admin,
        Role::Reviewer,
        Role::Enterprise,
        Role::Supplier,
    ])?;
    let now = s.now();
    let o = write_tx!(s.store, |tx| quan_store::ops::applications::file_objection(
        &mut tx,
        actor,
        &id,
        &body.value,
        &now
    )
    .await)?;
    Ok((StatusCode::CREATED, Json(o)))
}

#[utoipa::path(post, path = "/api/v1/objections/{id}/resolve", tag = "applications", request_body = ResolveInput, security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header)), responses((status = 200, body = Application), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn resolve(
    State(s): State<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    Path(id): Path<String>,
    body: ApiJson<ResolveInput>,
) -> ApiResult<Response> {
    let actor = auth.require(&[Role::Admin])?;
    let now = s.now();
    idempotent!(s, actor, key, body.hash, StatusCode::OK, |tx| {
        quan_store::ops::applications::resolve_objection(&mut tx, actor, &id, &body.value, &now)
            .await
    })
}

#[utoipa::path(post, path = "/api/v1/applications/{id}/issue", tag = "applications", security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header)), responses((status = 201, body = Voucher), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn issue(
    State(s): State<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let actor = auth.require(&[Role::Admin])?;
    let now = s.now();
    idempotent!(s, actor, key, "", StatusCode::CREATED, |tx| {
        quan_store::ops::applications::issue(&mut tx, actor, &id, &now).await
    })
}
