//! Vouchers, redemptions and settlements: the routes that move money.
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use quan_domain::inputs::{ClawbackInput, ReasonInput, RedemptionInput, SettlementInput};
use quan_store::ops::redemptions::RedemptionQuery;
use quan_store::ops::vouchers::VoucherQuery;
use quan_store::rows::{Page, Redemption, RedemptionPreview, Settlement, Voucher};
use quan_store::Role;
use serde::Deserialize;

use crate::auth::Auth;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, IdempotencyKey, Paging};
use crate::state::AppState;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VoucherListQuery {
    /// First day (YYYY-MM-DD, inclusive) of the day of issue.
    pub from: Option<chrono::NaiveDate>,
    /// Last day (inclusive).
    pub to: Option<chrono::NaiveDate>,
    pub enterprise_id: Option<String>,
    pub program_id: Option<String>,
    pub status: Option<quan_domain::VoucherStatus>,
    pub voucher_type: Option<quan_domain::VoucherType>,
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

#[utoipa::path(get, path = "/api/v1/vouchers", tag = "vouchers", params(VoucherListQuery), security(("bearer" = [])), responses((status = 200, description = "The page as JSON, or with `format` every selected row as CSV or XLSX", content((Page<Voucher> = "application/json"), (String = "text/csv"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))))]
pub async fn list_vouchers(
    State(s): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<VoucherListQuery>,
) -> ApiResult<Response> {
    let page = Paging {
        page: q.page,
        page_size: q.page_size,
    }
    .req()?;
    let page = crate::extract::sorted(page, q.sort.as_deref(), quan_store::ops::vouchers::SORTS)?;
    let (from, to) = crate::extract::day_range(q.from, q.to)?;
    let vq = VoucherQuery {
        from,
        to,
        enterprise_id: q.enterprise_id,
        program_id: q.program_id,
        status: q.status.map(|s| s.as_str().to_string()),
        voucher_type: q.voucher_type.map(|t| t.as_str().to_string()),
        q: q.q,
    };
    crate::export::list_answer(
        q.format.as_deref(),
        q.lang.as_deref(),
        page,
        "vouchers",
        quan_store::ops::exports::vouchers,
        |p| quan_store::ops::vouchers::list(&s.store, &auth.0, &vq, p),
    )
    .await
}

#[utoipa::path(get, path = "/api/v1/vouchers/{id}", tag = "vouchers", security(("bearer" = [])), responses((status = 200, body = Voucher), (status = 404, body = ErrorBody)))]
pub async fn get_voucher(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Voucher>> {
    Ok(Json(
        quan_store::ops::vouchers::get(&s.store, &auth.0, &id).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/vouchers/{id}/expire", tag = "vouchers", security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header)), responses((status = 200, body = Voucher), (status = 409, body = ErrorBody)))]
pub async fn expire_voucher(
    State(s): State<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let actor = auth.require(&[Role::Admin])?;
    let now = s.now();
    idempotent!(s, actor, key, "", StatusCode::OK, |tx| {
        quan_store::ops::vouchers::expire(&mut tx, actor, &id, &now).await
    })
}

#[utoipa::path(post, path = "/api/v1/vouchers/{id}/acceptance", tag = "vouchers", request_body = quan_domain::inputs::AcceptanceInput, security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header)),
    responses((status = 200, body = Voucher), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn acceptance(
    State(s): State<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    Path(id): Path<String>,
    body: ApiJson<quan_domain::inputs::AcceptanceInput>,
) -> ApiResult<Response> {
    let actor = auth.require(&[Role::Admin])?;
    let now = s.now();
    idempotent!(s, actor, key, body.hash, StatusCode::OK, |tx| {
        quan_store::ops::acceptance::record(&mut tx, actor, &id, &body.value, &now).await
    })
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RedemptionListQuery {
    /// First day (YYYY-MM-DD, inclusive) of the invoice date.
    pub from: Option<chrono::NaiveDate>,
    /// Last day (inclusive).
    pub to: Option<chrono::NaiveDate>,
    pub voucher_id: Option<String>,
    pub supplier_id: Option<String>,
    pub enterprise_id: Option<String>,
    pub program_id: Option<String>,
    pub status: Option<quan_domain::RedemptionStatus>,
    /// Part of the number, the invoice number, the enterprise's or the supplier's name.
    pub q: Option<String>,
    /// `csv` or `xlsx`: every row the filters select, as a download (at most 100,000);
    /// `json` (the default) the page.
    pub format: Option<String>,
    /// Headers and words of a download: `en` for English, Chinese otherwise.
    pub lang: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
    /// Sort key (`-key` for descending); the allowed keys are listed in the error for another.
    pub sort: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/redemptions", tag = "redemptions", params(RedemptionListQuery), security(("bearer" = [])), responses((status = 200, description = "The page as JSON, or with `format` every selected row as CSV or XLSX", content((Page<Redemption> = "application/json"), (String = "text/csv"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))))]
pub async fn list_redemptions(
    State(s): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<RedemptionListQuery>,
) -> ApiResult<Response> {
    let page = Paging {
        page: q.page,
        page_size: q.page_size,
    }
    .req()?;
    let page =
        crate::extract::sorted(page, q.sort.as_deref(), quan_store::ops::redemptions::SORTS)?;
    let (from, to) = crate::extract::day_range(q.from, q.to)?;
    let rq = RedemptionQuery {
        from,
        to,
        voucher_id: q.voucher_id,
        supplier_id: q.supplier_id,
        enterprise_id: q.enterprise_id,
        program_id: q.program_id,
        status: q.status.map(|s| s.as_str().to_string()),
        q: q.q,
    };
    crate::export::list_answer(
        q.format.as_deref(),
        q.lang.as_deref(),
        page,
        "redemptions",
        quan_store::ops::exports::redemptions,
        |p| quan_store::ops::redemptions::list(&s.store, &auth.0, &rq, p),
    )
    .await
}

#[utoipa::path(post, path = "/api/v1/redemptions", tag = "redemptions", request_body = RedemptionInput, security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header)), responses((status = 201, body = Redemption), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn redeem(
    State(s): State<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    body: ApiJson<RedemptionInput>,
) -> ApiResult<Response> {
    let actor = auth.require(&[Role::Supplier, Role::Enterprise, Role::Admin])?;
    let req = quan_domain::RedemptionRequest::parse(&body.value)?;
    let now = s.now();
    idempotent!(s, actor, key, body.hash, StatusCode::CREATED, |tx| {
        quan_store::ops::redemptions::redeem(&mut tx, actor, &req, &now).await
    })
}

/// What the redemption in the body would do (holder, balance, subsidy and the enterprise's share,
/// a hold), by the same rules, with nothing written: the console's confirmation step. A refusal
/// is the error the redemption itself would get. No Idempotency-Key: it changes nothing.
#[utoipa::path(post, path = "/api/v1/redemptions/preview", tag = "redemptions", request_body = RedemptionInput, security(("bearer" = [])),
    responses((status = 200, body = RedemptionPreview), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn preview_redemption(
    State(s): State<AppState>,
    auth: Auth,
    body: ApiJson<RedemptionInput>,
) -> ApiResult<Json<RedemptionPreview>> {
    let actor = auth.require(&[Role::Supplier, Role::Enterprise, Role::Admin])?;
    let req = quan_domain::RedemptionRequest::parse(&body.value)?;
    Ok(Json(
        quan_store::ops::redemptions::preview(&s.store, actor, &req, &s.now()).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/redemptions/{id}", tag = "redemptions", security(("bearer" = [])), responses((status = 200, body = Redemption), (status = 404, body = ErrorBody)))]
pub async fn get_redemption(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Redemption>> {
    Ok(Json(
        quan_store::ops::redemptions::get(&s.store, &auth.0, &id).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/redemptions/{id}/clawback", tag = "redemptions", request_body = ClawbackInput, security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header)), responses((status = 200, body = Redemption), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn clawback(
    State(s): State<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    Path(id): Path<String>,
    body: ApiJson<ClawbackInput>,
) -> ApiResult<Response> {
    let actor = auth.require(&[Role::Admin])?;
    let now = s.now();
    idempotent!(s, actor, key, body.hash, StatusCode::OK, |tx| {
        quan_store::ops::redemptions::clawback(&mut tx, actor, &id, &body.value, &now).await
    })
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SettlementListQuery {
    pub supplier_id: Option<String>,
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

#[utoipa::path(get, path = "/api/v1/settlements", tag = "settlements", params(SettlementListQuery), security(("bearer" = [])), responses((status = 200, description = "The page as JSON, or with `format` every selected row as CSV or XLSX", content((Page<Settlement> = "application/json"), (String = "text/csv"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))))]
pub async fn list_settlements(
    State(s): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<SettlementListQuery>,
) -> ApiResult<Response> {
    let page = Paging {
        page: q.page,
        page_size: q.page_size,
    }
    .req()?;
    let page =
        crate::extract::sorted(page, q.sort.as_deref(), quan_store::ops::settlements::SORTS)?;
    crate::export::list_answer(
        q.format.as_deref(),
        q.lang.as_deref(),
        page,
        "settlements",
        quan_store::ops::exports::settlements,
        |p| {
            quan_store::ops::settlements::list(
                &s.store,
                &auth.0,
                q.supplier_id.as_deref(),
                q.q.as_deref(),
                p,
            )
        },
    )
    .await
}

#[utoipa::path(post, path = "/api/v1/settlements", tag = "settlements", request_body = SettlementInput, security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header)), responses((status = 201, body = Settlement), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn run_settlement(
    State(s): State<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    body: ApiJson<SettlementInput>,
) -> ApiResult<Response> {
    let actor = auth.require(&[Role::Admin])?;
    let now = s.now();
    idempotent!(s, actor, key, body.hash, StatusCode::CREATED, |tx| {
        quan_store::ops::settlements::run(&mut tx, actor, &body.value, &now).await
    })
}

#[utoipa::path(get, path = "/api/v1/settlements/{id}", tag = "settlements", security(("bearer" = [])), responses((status = 200, body = Settlement), (status = 404, body = ErrorBody)))]
pub async fn get_settlement(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Settlement>> {
    Ok(Json(
        quan_store::ops::settlements::get(&s.store, &auth.0, &id).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/redemptions/{id}/release", tag = "redemptions", request_body = ReasonInput, security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header)), responses((status = 200, body = Redemption), (status = 409, body = ErrorBody)))]
pub async fn release(
    State(s): State<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    Path(id): Path<String>,
    body: ApiJson<ReasonInput>,
) -> ApiResult<Response> {
    let actor = auth.require(&[Role::Admin])?;
    let now = s.now();
    idempotent!(s, actor, key, body.hash, StatusCode::OK, |tx| {
        quan_store::ops::redemptions::release(&mut tx, actor, &id, &body.value.reason, &now).await
    })
}
