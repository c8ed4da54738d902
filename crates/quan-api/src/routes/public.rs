use axum::extract::State;
use axum::Json;
use quan_domain::City;
use quan_store::ops::catalogue::ProductQuery;
use quan_store::ops::dashboard::{Dashboard, Notice};
use quan_store::rows::{Page, Product};
use serde::Deserialize;

use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiQuery, Paging};
use crate::state::AppState;

/// Shape of a city in the OpenAPI document (the value comes from `quan_domain::cities`).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct CitySchema {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub compute_hub: bool,
    pub pilot_zone: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/public/cities", tag = "public", responses((status = 200, body = Vec<CitySchema>)))]
pub async fn cities() -> Json<&'static [City]> {
    Json(quan_domain::cities())
}

#[utoipa::path(get, path = "/api/v1/public/dashboard", tag = "public", responses((status = 200, body = Dashboard)))]
pub async fn dashboard(State(s): State<AppState>) -> ApiResult<Json<Dashboard>> {
    // Single flight: the lock is held while computing, so concurrent requests for a stale
    // figure wait for the one computation instead of each running it.
    let mut cached = s.dashboard_cache.lock().await;
    let ttl = s.config.public_cache;
    if let Some((_, d)) = cached.as_ref().filter(|(at, _)| at.elapsed() < ttl) {
        return Ok(Json(d.as_ref().clone()));
    }
    let d = std::sync::Arc::new(quan_store::ops::dashboard::dashboard(&s.store).await?);
    *cached = Some((std::time::Instant::now(), d.clone()));
    Ok(Json(d.as_ref().clone()))
}

/// Live metering for the big screen: records and GPU-hours per minute at each hub over the last
/// hour. Read from per-minute sums the writer keeps (at most 180 rows), so it stays cheap.
#[utoipa::path(get, path = "/api/v1/public/metering-live", tag = "public", responses((status = 200, body = quan_domain::views::MeteringLive)))]
pub async fn metering_live(
    State(s): State<AppState>,
) -> ApiResult<Json<quan_domain::views::MeteringLive>> {
    Ok(Json(
        quan_store::ops::dashboard::metering_live(&s.store, &s.now()).await?,
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SelectedQuery {
    /// model, corpus, compute or innovation_service
    pub kind: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/public/selected-products", tag = "public", params(SelectedQuery), responses((status = 200, body = Page<Product>)))]
pub async fn selected_products(
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<SelectedQuery>,
) -> ApiResult<Json<Page<Product>>> {
    if let Some(k) = q.kind.as_deref() {
        quan_domain::ProductKind::parse("kind", k).map_err(ApiError::from)?;
    }
    let page = Paging {
        page: q.page,
        page_size: q.page_size,
    }
    .req()?;
    let pq = ProductQuery {
        kind: q.kind,
        selected_only: true,
        ..Default::default()
    };
    Ok(Json(
        quan_store::ops::catalogue::list_products(&s.store, None, &pq, page).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/public/notices", tag = "public", responses((status = 200, body = Vec<Notice>)))]
pub async fn notices(State(s): State<AppState>) -> ApiResult<Json<Vec<Notice>>> {
    Ok(Json(
        quan_store::ops::dashboard::notices(&s.store, &s.now(), 500).await?,
    ))
}

/// The newest signed checkpoint of the audit chain (`quan audit verify FILE --checkpoint` checks
/// an export against it).
#[utoipa::path(get, path = "/api/v1/public/audit/checkpoint", operation_id = "latest_audit_checkpoint", tag = "public",
    responses((status = 200, body = quan_domain::Checkpoint), (status = 404, body = crate::error::ErrorBody)))]
pub async fn audit_checkpoint(
    State(s): State<AppState>,
) -> ApiResult<Json<quan_domain::Checkpoint>> {
    quan_store::audit::latest_checkpoint(&s.store)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found("audit checkpoint"))
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ClockView {
    /// The platform's "today" (YYYY-MM-DD): every date-dependent state (notice open, voucher
    /// valid, days left) is decided against it, never against the browser's clock.
    pub today: String,
    /// The platform's current time, RFC 3339 UTC.
    pub now: String,
}

/// The platform's date and time (a demo or test server may run at another date).
#[utoipa::path(get, path = "/api/v1/public/clock", tag = "public", responses((status = 200, body = ClockView)))]
pub async fn clock(State(s): State<AppState>) -> Json<ClockView> {
    let now = s.now();
    Json(ClockView {
        today: now.today.to_string(),
        now: now.ts,
    })
}

/// A voucher checked by its number, as its certificate's QR code asks: holder, program, face
/// value, validity and status (what the grant's public notice already showed); 404 if unknown.
#[utoipa::path(get, path = "/api/v1/public/vouchers/{number}", tag = "public",
    responses((status = 200, body = quan_domain::views::VoucherVerification), (status = 404, body = crate::error::ErrorBody)))]
pub async fn verify_voucher(
    State(s): State<AppState>,
    axum::extract::Path(number): axum::extract::Path<String>,
) -> ApiResult<Json<quan_domain::views::VoucherVerification>> {
    Ok(Json(
        quan_store::ops::vouchers::verify(&s.store, &number).await?,
    ))
}
