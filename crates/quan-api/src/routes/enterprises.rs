use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use quan_store::ops::enterprises::{EnterpriseInput, EnterprisePatch, EnterpriseQuery};
use quan_store::rows::{Enterprise, Page};
use quan_store::Role;
use serde::Deserialize;

use crate::auth::Auth;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, Paging};
use crate::state::AppState;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// `csv` or `xlsx`: every row the filters select, as a download (at most 100,000);
    /// `json` (the default) the page.
    pub format: Option<String>,
    /// Headers and words of a download: `en` for English, Chinese otherwise.
    pub lang: Option<String>,
    pub city_code: Option<String>,
    pub size_class: Option<String>,
    /// Name or USCC contains.
    pub q: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
    /// Sort key (`-key` for descending); the allowed keys are listed in the error for another.
    pub sort: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/enterprises", operation_id = "list_enterprises", tag = "enterprises", params(ListQuery), security(("bearer" = [])),
    responses((status = 200, description = "The page as JSON, or with `format` every selected row as CSV or XLSX", content((Page<Enterprise> = "application/json"), (String = "text/csv"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))), (status = 400, body = ErrorBody)))]
pub async fn list(
    State(s): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<axum::response::Response> {
    let page = Paging {
        page: q.page,
        page_size: q.page_size,
    }
    .req()?;
    let page =
        crate::extract::sorted(page, q.sort.as_deref(), quan_store::ops::enterprises::SORTS)?;
    let eq = EnterpriseQuery {
        city_code: q.city_code,
        q: q.q,
        size_class: q.size_class,
    };
    crate::export::list_answer(
        q.format.as_deref(),
        q.lang.as_deref(),
        page,
        "enterprises",
        quan_store::ops::exports::enterprises,
        |p| quan_store::ops::enterprises::list(&s.store, &auth.0, &eq, p),
    )
    .await
}

#[utoipa::path(post, path = "/api/v1/enterprises", operation_id = "create_enterprise", tag = "enterprises", request_body = EnterpriseInput, security(("bearer" = [])),
    responses((status = 201, body = Enterprise), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create(
    State(s): State<AppState>,
    auth: Auth,
    body: ApiJson<EnterpriseInput>,
) -> ApiResult<(StatusCode, Json<Enterprise>)> {
    let actor = auth.require(&[Role::Admin])?;
    let now = s.now();
    let e = write_tx!(s.store, |tx| quan_store::ops::enterprises::create(
        &mut tx,
        actor,
        &body.value,
        &now
    )
    .await)?;
    Ok((StatusCode::CREATED, Json(e)))
}

#[utoipa::path(get, path = "/api/v1/enterprises/{id}", operation_id = "get_enterprise", tag = "enterprises", security(("bearer" = [])),
    responses((status = 200, body = Enterprise), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Enterprise>> {
    Ok(Json(
        quan_store::ops::enterprises::get(&s.store, &auth.0, &id).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/enterprises/{id}/history", tag = "enterprises", security(("bearer" = [])),
    responses((status = 200, body = Vec<quan_domain::FileVersion>), (status = 404, body = ErrorBody)))]
/// The earlier versions of the registered file (legal representative, shareholders, actual
/// controller, industry, size class, city), newest first, each with the day it was replaced.
pub async fn file_history(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<quan_domain::FileVersion>>> {
    Ok(Json(
        quan_store::ops::enterprises::file_history(&s.store, &auth.0, &id).await?,
    ))
}

#[utoipa::path(patch, path = "/api/v1/enterprises/{id}", operation_id = "patch_enterprise", tag = "enterprises", request_body = EnterprisePatch, security(("bearer" = [])),
    responses((status = 200, body = Enterprise), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn patch(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    body: ApiJson<EnterprisePatch>,
) -> ApiResult<Json<Enterprise>> {
    let actor = auth.require(&[Role::Admin, Role::Enterprise])?;
    let now = s.now();
    Ok(Json(write_tx!(s.store, |tx| {
        quan_store::ops::enterprises::patch(&mut tx, actor, &id, &body.value, &now).await
    })?))
}
