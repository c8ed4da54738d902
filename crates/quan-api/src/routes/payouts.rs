//! Payout documents and runs: settlement and reimbursement statements (CSV and XLSX, Chinese
//! headers by default, `?lang=en` for English), reimbursement runs, and contracts.
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use quan_domain::inputs::{ContractInput, ReimbursementInput};
use quan_domain::{Contract, Reimbursement};
use quan_store::ops::contracts::ContractQuery;
use quan_store::ops::statement::{Lang, Statement};
use quan_store::rows::Page;
use quan_store::Role;
use serde::Deserialize;

use crate::auth::Auth;
use crate::error::{ApiResult, ErrorBody};
use crate::export::Format;
use crate::extract::{ApiJson, ApiQuery, IdempotencyKey, Paging};
use crate::state::AppState;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatementQuery {
    /// `en` for English headers; Chinese otherwise.
    pub lang: Option<String>,
}

/// A statement as a download: `csv` or `xlsx`.
fn download(st: &Statement, lang: Lang, xlsx: bool) -> ApiResult<Response> {
    let format = if xlsx { Format::Xlsx } else { Format::Csv };
    crate::export::download(&st.table(lang), &format!("statement-{}", st.run_id), format)
}

#[utoipa::path(get, path = "/api/v1/settlements/{id}/statement.csv", tag = "settlements", params(StatementQuery), security(("bearer" = [])),
    responses((status = 200, content_type = "text/csv", body = String), (status = 404, body = ErrorBody)))]
pub async fn settlement_csv(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<StatementQuery>,
) -> ApiResult<Response> {
    let st = quan_store::ops::settlements::statement(&s.store, &auth.0, &id).await?;
    download(&st, Lang::parse(q.lang.as_deref()), false)
}

#[utoipa::path(get, path = "/api/v1/settlements/{id}/statement.xlsx", tag = "settlements", params(StatementQuery), security(("bearer" = [])),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>), (status = 404, body = ErrorBody)))]
pub async fn settlement_xlsx(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<StatementQuery>,
) -> ApiResult<Response> {
    let st = quan_store::ops::settlements::statement(&s.store, &auth.0, &id).await?;
    download(&st, Lang::parse(q.lang.as_deref()), true)
}

#[utoipa::path(get, path = "/api/v1/reimbursements/{id}/statement.csv", tag = "reimbursements", params(StatementQuery), security(("bearer" = [])),
    responses((status = 200, content_type = "text/csv", body = String), (status = 404, body = ErrorBody)))]
pub async fn reimbursement_csv(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<StatementQuery>,
) -> ApiResult<Response> {
    let st = quan_store::ops::reimbursements::statement(&s.store, &auth.0, &id).await?;
    download(&st, Lang::parse(q.lang.as_deref()), false)
}

#[utoipa::path(get, path = "/api/v1/reimbursements/{id}/statement.xlsx", tag = "reimbursements", params(StatementQuery), security(("bearer" = [])),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>), (status = 404, body = ErrorBody)))]
pub async fn reimbursement_xlsx(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<StatementQuery>,
) -> ApiResult<Response> {
    let st = quan_store::ops::reimbursements::statement(&s.store, &auth.0, &id).await?;
    download(&st, Lang::parse(q.lang.as_deref()), true)
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReimbursementListQuery {
    pub enterprise_id: Option<String>,
    /// `csv` or `xlsx`: every row the filters select, as a download (at most 100,000);
    /// `json` (the default) the page.
    pub format: Option<String>,
    /// Headers and words of a download: `en` for English, Chinese otherwise.
    pub lang: Option<String>,
    /// Part of the number (`SD-RB-…`) or the enterprise's name; any case.
    pub q: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
    /// Sort key (`-key` for descending); the allowed keys are listed in the error for another.
    pub sort: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/reimbursements", tag = "reimbursements", params(ReimbursementListQuery), security(("bearer" = [])),
    responses((status = 200, description = "The page as JSON, or with `format` every selected row as CSV or XLSX", content((Page<Reimbursement> = "application/json"), (String = "text/csv"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))), (status = 403, body = ErrorBody)))]
pub async fn list_reimbursements(
    State(s): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<ReimbursementListQuery>,
) -> ApiResult<Response> {
    let page = Paging {
        page: q.page,
        page_size: q.page_size,
    }
    .req()?;
    let page = crate::extract::sorted(
        page,
        q.sort.as_deref(),
        quan_store::ops::reimbursements::SORTS,
    )?;
    crate::export::list_answer(
        q.format.as_deref(),
        q.lang.as_deref(),
        page,
        "reimbursements",
        quan_store::ops::exports::reimbursements,
        |p| {
            quan_store::ops::reimbursements::list(
                &s.store,
                &auth.0,
                q.enterprise_id.as_deref(),
                q.q.as_deref(),
                p,
            )
        },
    )
    .await
}

#[utoipa::path(post, path = "/api/v1/reimbursements", tag = "reimbursements", request_body = ReimbursementInput, security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header)), responses((status = 201, body = Reimbursement), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn run_reimbursement(
    State(s): State<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    body: ApiJson<ReimbursementInput>,
) -> ApiResult<Response> {
    let actor = auth.require(&[Role::Admin])?;
    let now = s.now();
    idempotent!(s, actor, key, body.hash, StatusCode::CREATED, |tx| {
        quan_store::ops::reimbursements::run(&mut tx, actor, &body.value, &now).await
    })
}

#[utoipa::path(get, path = "/api/v1/reimbursements/{id}", tag = "reimbursements", security(("bearer" = [])),
    responses((status = 200, body = Reimbursement), (status = 404, body = ErrorBody)))]
pub async fn get_reimbursement(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Reimbursement>> {
    Ok(Json(
        quan_store::ops::reimbursements::get(&s.store, &auth.0, &id).await?,
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ContractListQuery {
    pub enterprise_id: Option<String>,
    pub supplier_id: Option<String>,
    /// Part of the contract number or a party's name.
    pub q: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
    /// Sort key (`-key` for descending); the allowed keys are listed in the error for another.
    pub sort: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/contracts", tag = "contracts", params(ContractListQuery), security(("bearer" = [])),
    responses((status = 200, body = Page<Contract>), (status = 403, body = ErrorBody)))]
pub async fn list_contracts(
    State(s): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<ContractListQuery>,
) -> ApiResult<Json<Page<Contract>>> {
    let page = Paging {
        page: q.page,
        page_size: q.page_size,
    }
    .req()?;
    let page = crate::extract::sorted(page, q.sort.as_deref(), quan_store::ops::contracts::SORTS)?;
    let query = ContractQuery {
        enterprise_id: q.enterprise_id,
        supplier_id: q.supplier_id,
        q: q.q,
    };
    Ok(Json(
        quan_store::ops::contracts::list(&s.store, &auth.0, &query, page).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/contracts", tag = "contracts", request_body = ContractInput, security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header)), responses((status = 201, body = Contract), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_contract(
    State(s): State<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    body: ApiJson<ContractInput>,
) -> ApiResult<Response> {
    let actor = auth.require(&[Role::Admin, Role::Enterprise, Role::Supplier])?;
    let now = s.now();
    idempotent!(s, actor, key, body.hash, StatusCode::CREATED, |tx| {
        quan_store::ops::contracts::create(&mut tx, actor, &body.value, &now).await
    })
}

#[utoipa::path(get, path = "/api/v1/contracts/{id}", tag = "contracts", security(("bearer" = [])),
    responses((status = 200, body = Contract), (status = 404, body = ErrorBody)))]
pub async fn get_contract(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Contract>> {
    Ok(Json(
        quan_store::ops::contracts::get(&s.store, &auth.0, &id).await?,
    ))
}
