use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use quan_store::ops::catalogue::{ProductInput, ProductQuery, SupplierInput};
use quan_store::ops::catalogue_edit::{ProductPatch, SupplierPatch};
use quan_store::rows::{Page, Product, Supplier};
use quan_store::Role;
use serde::Deserialize;

use crate::auth::Auth;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, Paging};
use crate::state::AppState;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SupplierQuery {
    pub kind: Option<String>,
    /// Part of the supplier's name or USCC (any case).
    pub q: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
    /// Sort key (`-key` for descending); the allowed keys are listed in the error for another.
    pub sort: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/suppliers", tag = "catalogue", params(SupplierQuery), security(("bearer" = [])), responses((status = 200, body = Page<Supplier>)))]
pub async fn list_suppliers(
    State(s): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<SupplierQuery>,
) -> ApiResult<Json<Page<Supplier>>> {
    auth.require(&[Role::Admin, Role::Reviewer, Role::Auditor, Role::Supplier])?;
    let page = Paging {
        page: q.page,
        page_size: q.page_size,
    }
    .req()?;
    let page = crate::extract::sorted(
        page,
        q.sort.as_deref(),
        quan_store::ops::catalogue::SUPPLIER_SORTS,
    )?;
    Ok(Json(
        quan_store::ops::catalogue::list_suppliers(
            &s.store,
            &auth.0,
            q.kind.as_deref(),
            q.q.as_deref(),
            page,
        )
        .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/suppliers", tag = "catalogue", request_body = SupplierInput, security(("bearer" = [])),
    responses((status = 201, body = Supplier), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_supplier(
    State(s): State<AppState>,
    auth: Auth,
    body: ApiJson<SupplierInput>,
) -> ApiResult<(StatusCode, Json<Supplier>)> {
    let actor = auth.require(&[Role::Admin])?;
    let now = s.now();
    let v = write_tx!(s.store, |tx| quan_store::ops::catalogue::create_supplier(
        &mut tx,
        actor,
        &body.value,
        &now
    )
    .await)?;
    Ok((StatusCode::CREATED, Json(v)))
}

#[utoipa::path(get, path = "/api/v1/suppliers/{id}", tag = "catalogue", security(("bearer" = [])), responses((status = 200, body = Supplier), (status = 404, body = ErrorBody)))]
pub async fn get_supplier(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Supplier>> {
    auth.require(&[Role::Admin, Role::Reviewer, Role::Auditor, Role::Supplier])?;
    Ok(Json(
        quan_store::ops::catalogue::get_supplier(&s.store, &auth.0, &id).await?,
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProductListQuery {
    pub kind: Option<String>,
    pub supplier_id: Option<String>,
    /// Only products on this program's selected list.
    pub program_id: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
    /// Sort key (`-key` for descending); the allowed keys are listed in the error for another.
    pub sort: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/products", tag = "catalogue", params(ProductListQuery), security(("bearer" = [])), responses((status = 200, body = Page<Product>)))]
pub async fn list_products(
    State(s): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<ProductListQuery>,
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
    let pq = ProductQuery {
        kind: q.kind,
        supplier_id: q.supplier_id,
        program_id: q.program_id,
        selected_only: false,
    };
    Ok(Json(
        quan_store::ops::catalogue::list_products(&s.store, Some(&auth.0), &pq, page).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/products", tag = "catalogue", request_body = ProductInput, security(("bearer" = [])),
    responses((status = 201, body = Product), (status = 400, body = ErrorBody)))]
pub async fn create_product(
    State(s): State<AppState>,
    auth: Auth,
    body: ApiJson<ProductInput>,
) -> ApiResult<(StatusCode, Json<Product>)> {
    let actor = auth.require(&[Role::Admin, Role::Supplier])?;
    let now = s.now();
    let v = write_tx!(s.store, |tx| quan_store::ops::catalogue::create_product(
        &mut tx,
        actor,
        &body.value,
        &now
    )
    .await)?;
    Ok((StatusCode::CREATED, Json(v)))
}

#[utoipa::path(get, path = "/api/v1/products/{id}", tag = "catalogue", security(("bearer" = [])), responses((status = 200, body = Product), (status = 404, body = ErrorBody)))]
pub async fn get_product(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Product>> {
    Ok(Json(
        quan_store::ops::catalogue::get_product(&s.store, &auth.0, &id).await?,
    ))
}

#[utoipa::path(patch, path = "/api/v1/suppliers/{id}", operation_id = "patch_supplier", tag = "catalogue", request_body = SupplierPatch, security(("bearer" = [])),
    responses((status = 200, body = Supplier), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn patch_supplier(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    body: ApiJson<SupplierPatch>,
) -> ApiResult<Json<Supplier>> {
    let actor = auth.require(&[Role::Admin])?;
    let now = s.now();
    Ok(Json(write_tx!(s.store, |tx| {
        quan_store::ops::catalogue_edit::patch_supplier(&mut tx, actor, &id, &body.value, &now)
            .await
    })?))
}

#[utoipa::path(patch, path = "/api/v1/products/{id}", operation_id = "patch_product", tag = "catalogue", request_body = ProductPatch, security(("bearer" = [])),
    responses((status = 200, body = Product), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn patch_product(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    body: ApiJson<ProductPatch>,
) -> ApiResult<Json<Product>> {
    let actor = auth.require(&[Role::Admin, Role::Supplier])?;
    let now = s.now();
    Ok(Json(write_tx!(s.store, |tx| {
        quan_store::ops::catalogue_edit::patch_product(&mut tx, actor, &id, &body.value, &now).await
    })?))
}
