use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use quan_domain::inputs::{ReasonInput, TopUpInput};
use quan_store::ops::catalogue::ProductQuery;
use quan_store::ops::programs::{BudgetView, FundingSourceInput, ProgramInput, ProgramPatch};
use quan_store::rows::{FundingSource, FundingTopUp, Page, Product, Program};
use quan_store::Role;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::Auth;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, IdempotencyKey, Paging};
use crate::state::AppState;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    pub page: Option<i64>,
    pub page_size: Option<i64>,
    /// Sort key (`-key` for descending); the allowed keys are listed in the error for another.
    pub sort: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/funding-sources", tag = "programs", params(PageQuery), security(("bearer" = [])), responses((status = 200, body = Page<FundingSource>)))]
pub async fn list_sources(
    State(s): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<FundingSource>>> {
    auth.require(&[Role::Admin, Role::Auditor, Role::Reviewer])?;
    let page = Paging {
        page: q.page,
        page_size: q.page_size,
    }
    .req()?;
    let page = crate::extract::sorted(
        page,
        q.sort.as_deref(),
        quan_store::ops::programs::SOURCE_SORTS,
    )?;
    Ok(Json(
        quan_store::ops::programs::list_sources(&s.store, page).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/funding-sources", tag = "programs", request_body = FundingSourceInput, security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header)), responses((status = 201, body = FundingSource), (status = 400, body = ErrorBody)))]
pub async fn create_source(
    State(s): State<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    body: ApiJson<FundingSourceInput>,
) -> ApiResult<Response> {
    let actor = auth.require(&[Role::Admin])?;
    let now = s.now();
    idempotent!(s, actor, key, body.hash, StatusCode::CREATED, |tx| {
        quan_store::ops::programs::create_source(&mut tx, actor, &body.value, &now).await
    })
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProgramQuery {
    pub voucher_type: Option<String>,
    pub year: Option<i64>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
    /// Sort key (`-key` for descending); the allowed keys are listed in the error for another.
    pub sort: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/programs", operation_id = "list_programs", tag = "programs", params(ProgramQuery), security(("bearer" = [])), responses((status = 200, body = Page<Program>)))]
pub async fn list(
    State(s): State<AppState>,
    _auth: Auth,
    ApiQuery(q): ApiQuery<ProgramQuery>,
) -> ApiResult<Json<Page<Program>>> {
    let page = Paging {
        page: q.page,
        page_size: q.page_size,
    }
    .req()?;
    let page = crate::extract::sorted(page, q.sort.as_deref(), quan_store::ops::programs::SORTS)?;
    Ok(Json(
        quan_store::ops::programs::list(&s.store, q.voucher_type.as_deref(), q.year, page).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/programs", operation_id = "create_program", tag = "programs", request_body = ProgramInput, security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header)), responses((status = 201, body = Program), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create(
    State(s): State<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    body: ApiJson<ProgramInput>,
) -> ApiResult<Response> {
    let actor = auth.require(&[Role::Admin])?;
    let now = s.now();
    idempotent!(s, actor, key, body.hash, StatusCode::CREATED, |tx| {
        quan_store::ops::programs::create(&mut tx, actor, &body.value, &now).await
    })
}

#[utoipa::path(get, path = "/api/v1/programs/{id}", operation_id = "get_program", tag = "programs", security(("bearer" = [])), responses((status = 200, body = Program), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(s): State<AppState>,
    _auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Program>> {
    Ok(Json(quan_store::ops::programs::get(&s.store, &id).await?))
}

#[utoipa::path(patch, path = "/api/v1/programs/{id}", operation_id = "patch_program", tag = "programs", request_body = ProgramPatch, security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header)), responses((status = 200, body = Program), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn patch(
    State(s): State<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    Path(id): Path<String>,
    body: ApiJson<ProgramPatch>,
) -> ApiResult<Response> {
    let actor = auth.require(&[Role::Admin])?;
    let now = s.now();
    idempotent!(s, actor, key, body.hash, StatusCode::OK, |tx| {
        quan_store::ops::programs::patch(&mut tx, actor, &id, &body.value, &now).await
    })
}

/// The program's run-out forecast as of the platform's today: when its budget is committed and
/// paid out at the last 12 weeks' pace (with an interval), against the day applications close and
/// the day vouchers expire; each funding source's share too; the method answered beside it.
#[utoipa::path(get, path = "/api/v1/programs/{id}/forecast", tag = "programs", params(crate::export::FileQuery), security(("bearer" = [])), responses((status = 200, body = quan_domain::ProgramForecast), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn forecast(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<crate::export::FileQuery>,
) -> ApiResult<Response> {
    auth.require(&[Role::Admin, Role::Auditor, Role::Reviewer])?;
    let f = quan_store::ops::programs::forecast(&s.store, &id, s.now().today).await?;
    crate::export::answer(&q, f, "forecast", |f, l| {
        quan_store::ops::exports_plans::forecast_table(f, l)
    })
}

/// What-if: the program's recorded history replayed under changed rules (rate, pilot bonus,
/// caps, eligibility, budget) in memory, beside what happened — totals, per funding source,
/// per city, size class and voucher type, the run-out. Writes nothing (no ledger posting, no
/// audit record), so it takes no Idempotency-Key.
#[utoipa::path(post, path = "/api/v1/programs/{id}/what-if", tag = "programs", request_body = quan_domain::WhatIfInput, params(crate::export::FileQuery), security(("bearer" = [])),
    responses((status = 200, body = quan_domain::WhatIf), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn what_if(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<crate::export::FileQuery>,
    body: ApiJson<quan_domain::WhatIfInput>,
) -> ApiResult<Response> {
    let actor = auth.require(&[Role::Admin, Role::Auditor, Role::Reviewer])?;
    let w = quan_store::ops::whatif::what_if(&s.store, actor, &id, &body.value, &s.now()).await?;
    crate::export::answer(&q, w, "what-if", |w, l| {
        quan_store::ops::exports_plans::whatif_table(w, l)
    })
}

/// Starts a what-if as a run in the background: the asked rules are checked at once (the same
/// 4xx as the one-request what-if) and the run is answered 202; `GET /what-if-runs/{run}` then
/// says how far it has come and, at the end, the answer. Writes nothing, so it takes no
/// Idempotency-Key. At most four runs at once on a server (429 `whatif_busy`).
#[utoipa::path(post, path = "/api/v1/programs/{id}/what-if/runs", tag = "programs", request_body = quan_domain::WhatIfInput, security(("bearer" = [])),
    responses((status = 202, body = crate::whatif_runs::WhatIfRun), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn start_what_if_run(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    body: ApiJson<quan_domain::WhatIfInput>,
) -> ApiResult<(axum::http::StatusCode, Json<crate::whatif_runs::WhatIfRun>)> {
    let actor = auth.require(&[Role::Admin, Role::Auditor, Role::Reviewer])?;
    let prepared = quan_store::ops::whatif::prepare(&s.store, actor, &id, &body.value).await?;
    let run = s
        .whatif_runs
        .start(s.store.clone(), &actor.user_id, prepared, s.now())?;
    Ok((axum::http::StatusCode::ACCEPTED, Json(run)))
}

/// A what-if run: its stage, rows loaded of the rows the history holds, time taken, and once
/// ended its answer or its error. Only the user who started it may read it; an ended run is kept
/// ten minutes.
#[utoipa::path(get, path = "/api/v1/what-if-runs/{run}", tag = "programs", security(("bearer" = [])),
    responses((status = 200, body = crate::whatif_runs::WhatIfRun), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn what_if_run(
    State(s): State<AppState>,
    auth: Auth,
    Path(run): Path<String>,
) -> ApiResult<Json<crate::whatif_runs::WhatIfRun>> {
    let actor = auth.require(&[Role::Admin, Role::Auditor, Role::Reviewer])?;
    Ok(Json(s.whatif_runs.get(&actor.user_id, &run)?))
}

#[utoipa::path(get, path = "/api/v1/programs/{id}/budget", tag = "programs", security(("bearer" = [])), responses((status = 200, body = BudgetView), (status = 404, body = ErrorBody)))]
pub async fn budget(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<BudgetView>> {
    auth.require(&[Role::Admin, Role::Auditor, Role::Reviewer])?;
    Ok(Json(
        quan_store::ops::programs::budget(&s.store, &id).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/programs/{id}/eligible-products", tag = "programs", params(PageQuery), security(("bearer" = [])), responses((status = 200, body = Page<Product>)))]
pub async fn list_eligible(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<Product>>> {
    let page = Paging {
        page: q.page,
        page_size: q.page_size,
    }
    .req()?;
    let page = crate::extract::sorted(
        page,
        q.sort.as_deref(),
        quan_store::ops::catalogue::PRODUCT_SORTS,
    )?;
    quan_store::ops::programs::get(&s.store, &id).await?;
    let pq = ProductQuery {
        program_id: Some(id),
        ..Default::default()
    };
    Ok(Json(
        quan_store::ops::catalogue::list_products(&s.store, Some(&auth.0), &pq, page).await?,
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EligibleInput {
    pub product_id: String,
}

#[utoipa::path(post, path = "/api/v1/programs/{id}/eligible-products", tag = "programs", request_body = EligibleInput, security(("bearer" = [])),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn add_eligible(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    body: ApiJson<EligibleInput>,
) -> ApiResult<StatusCode> {
    let actor = auth.require(&[Role::Admin])?;
    let now = s.now();
    write_tx!(s.store, |tx| quan_store::ops::catalogue::add_eligible(
        &mut tx,
        actor,
        &id,
        &body.value.product_id,
        &now
    )
    .await)?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DelistQuery {
    /// Why the product leaves the list; required on a model or corpus program, whose list is
    /// the year's selection.
    pub reason: Option<String>,
}

#[utoipa::path(delete, path = "/api/v1/programs/{id}/eligible-products/{product_id}", tag = "programs", params(DelistQuery), security(("bearer" = [])),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn remove_eligible(
    State(s): State<AppState>,
    auth: Auth,
    Path((id, product_id)): Path<(String, String)>,
    ApiQuery(q): ApiQuery<DelistQuery>,
) -> ApiResult<StatusCode> {
    let actor = auth.require(&[Role::Admin])?;
    let now = s.now();
    write_tx!(s.store, |tx| quan_store::ops::catalogue::remove_eligible(
        &mut tx,
        actor,
        &id,
        &product_id,
        q.reason.as_deref(),
        &now
    )
    .await)?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/programs/{id}/close", tag = "programs", request_body = ReasonInput, security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header)),
    responses((status = 200, body = Program), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn close(
    State(s): State<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    Path(id): Path<String>,
    body: ApiJson<ReasonInput>,
) -> ApiResult<Response> {
    let actor = auth.require(&[Role::Admin])?;
    let now = s.now();
    idempotent!(s, actor, key, body.hash, StatusCode::OK, |tx| {
        quan_store::ops::closing::close_program(&mut tx, actor, &id, &body.value.reason, &now).await
    })
}

#[utoipa::path(post, path = "/api/v1/funding-sources/{id}/top-ups", tag = "programs", request_body = TopUpInput, security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header)),
    responses((status = 201, body = FundingSource), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn top_up(
    State(s): State<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    Path(id): Path<String>,
    body: ApiJson<TopUpInput>,
) -> ApiResult<Response> {
    let actor = auth.require(&[Role::Admin])?;
    let now = s.now();
    idempotent!(s, actor, key, body.hash, StatusCode::CREATED, |tx| {
        quan_store::ops::closing::top_up(&mut tx, actor, &id, &body.value, &now).await
    })
}

#[utoipa::path(get, path = "/api/v1/funding-sources/{id}/top-ups", tag = "programs", params(PageQuery), security(("bearer" = [])),
    responses((status = 200, body = Page<FundingTopUp>)))]
pub async fn list_top_ups(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<FundingTopUp>>> {
    auth.require(&[Role::Admin, Role::Reviewer, Role::Auditor])?;
    let page = Paging {
        page: q.page,
        page_size: q.page_size,
    }
    .req()?;
    let page = crate::extract::sorted(
        page,
        q.sort.as_deref(),
        quan_store::ops::closing::TOP_UP_SORTS,
    )?;
    Ok(Json(
        quan_store::ops::closing::list_top_ups(&s.store, &id, page).await?,
    ))
}
