//! Annual selection rounds of model products and corpora: rounds, the panel, entries,
//! assignments, score sheets, recusals, objections, and the public selected list.
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use quan_domain::inputs::{
    AssignmentInput, ObjectionInput, PanelExpertInput, ReasonInput, ResolveInput, ScoreInput,
    SelectionEntryInput, SelectionRoundInput,
};
use quan_domain::{PublicSelection, SelectionEntry, SelectionObjection, SelectionRound};
use quan_store::ops::selection as sel;
use quan_store::rows::Page;
use quan_store::Role;
use serde::Deserialize;

use crate::auth::Auth;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, Paging};
use crate::state::AppState;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RoundListQuery {
    pub year: Option<i64>,
    /// model or corpus
    pub kind: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
    /// Sort key (`-key` for descending); the allowed keys are listed in the error for another.
    pub sort: Option<String>,
}

fn check_kind(kind: Option<&str>) -> ApiResult<()> {
    if let Some(k) = kind {
        if !matches!(k, "model" | "corpus") {
            return Err(ApiError::from(quan_domain::ValidationError::new(
                "kind",
                "invalid_kind",
                format!("kind: {k:?} must be model or corpus"),
            )));
        }
    }
    Ok(())
}

#[utoipa::path(get, path = "/api/v1/selection-rounds", tag = "selection", params(RoundListQuery), security(("bearer" = [])),
    responses((status = 200, body = Page<SelectionRound>), (status = 400, body = ErrorBody)))]
pub async fn list_rounds(
    State(s): State<AppState>,
    _auth: Auth,
    ApiQuery(q): ApiQuery<RoundListQuery>,
) -> ApiResult<Json<Page<SelectionRound>>> {
    check_kind(q.kind.as_deref())?;
    let page = Paging {
        page: q.page,
        page_size: q.page_size,
    }
    .req()?;
    let page = crate::extract::sorted(page, q.sort.as_deref(), sel::SORTS)?;
    Ok(Json(
        sel::list_rounds(&s.store, q.year, q.kind.as_deref(), page).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/selection-rounds", tag = "selection", request_body = SelectionRoundInput, security(("bearer" = [])),
    responses((status = 201, body = SelectionRound), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_round(
    State(s): State<AppState>,
    auth: Auth,
    body: ApiJson<SelectionRoundInput>,
) -> ApiResult<(StatusCode, Json<SelectionRound>)> {
    let actor = auth.require(&[Role::Admin])?;
    let now = s.now();
    let r = write_tx!(s.store, |tx| sel::create_round(
        &mut tx,
        actor,
        &body.value,
        &now
    )
    .await)?;
    Ok((StatusCode::CREATED, Json(r)))
}

#[utoipa::path(get, path = "/api/v1/selection-rounds/{id}", tag = "selection", security(("bearer" = [])),
    responses((status = 200, body = SelectionRound), (status = 404, body = ErrorBody)))]
pub async fn get_round(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<SelectionRound>> {
    Ok(Json(sel::get_round(&s.store, &auth.0, &id).await?))
}

/// Runs one round-level step (close the panel, publish, take effect) as the administrator.
macro_rules! round_step {
    ($name:ident, $path:literal, $op:path) => {
        #[utoipa::path(post, path = $path, tag = "selection", security(("bearer" = [])),
            responses((status = 200, body = SelectionRound), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
        pub async fn $name(
            State(s): State<AppState>,
            auth: Auth,
            Path(id): Path<String>,
        ) -> ApiResult<Json<SelectionRound>> {
            let actor = auth.require(&[Role::Admin])?;
            let now = s.now();
            let r = write_tx!(s.store, |tx| $op(&mut tx, actor, &id, &now).await)?;
            Ok(Json(r))
        }
    };
}

round_step!(
    close_panel,
    "/api/v1/selection-rounds/{id}/close-panel",
    sel::close_panel
);
round_step!(
    publish,
    "/api/v1/selection-rounds/{id}/publish",
    sel::publish
);
round_step!(
    take_effect,
    "/api/v1/selection-rounds/{id}/take-effect",
    sel::take_effect
);

#[utoipa::path(post, path = "/api/v1/selection-rounds/{id}/experts", tag = "selection", request_body = PanelExpertInput, security(("bearer" = [])),
    responses((status = 200, body = SelectionRound), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn add_expert(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    body: ApiJson<PanelExpertInput>,
) -> ApiResult<Json<SelectionRound>> {
    let actor = auth.require(&[Role::Admin])?;
    let now = s.now();
    write_tx!(s.store, |tx| sel::add_expert(
        &mut tx,
        actor,
        &id,
        &body.value,
        &now
    )
    .await)?;
    Ok(Json(sel::get_round(&s.store, actor, &id).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EntryListQuery {
    pub page: Option<i64>,
    pub page_size: Option<i64>,
    /// Sort key (`-key` for descending); the allowed keys are listed in the error for another.
    pub sort: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/selection-rounds/{id}/entries", tag = "selection", params(EntryListQuery), security(("bearer" = [])),
    responses((status = 200, body = Page<SelectionEntry>), (status = 403, body = ErrorBody)))]
pub async fn list_entries(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<EntryListQuery>,
) -> ApiResult<Json<Page<SelectionEntry>>> {
    let page = Paging {
        page: q.page,
        page_size: q.page_size,
    }
    .req()?;
    let page = crate::extract::sorted(page, q.sort.as_deref(), sel::ENTRY_SORTS)?;
    sel::get_round(&s.store, &auth.0, &id).await?;
    Ok(Json(sel::list_entries(&s.store, &auth.0, &id, page).await?))
}

#[utoipa::path(post, path = "/api/v1/selection-rounds/{id}/entries", tag = "selection", request_body = SelectionEntryInput, security(("bearer" = [])),
    responses((status = 201, body = SelectionEntry), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn enter(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    body: ApiJson<SelectionEntryInput>,
) -> ApiResult<(StatusCode, Json<SelectionEntry>)> {
    let actor = auth.require(&[Role::Admin, Role::Supplier])?;
    let now = s.now();
    let e = write_tx!(s.store, |tx| sel::enter(
        &mut tx,
        actor,
        &id,
        &body.value,
        &now
    )
    .await)?;
    Ok((StatusCode::CREATED, Json(e)))
}

#[utoipa::path(post, path = "/api/v1/selection-rounds/{id}/assignments", tag = "selection", request_body = AssignmentInput, security(("bearer" = [])),
    responses((status = 200, body = SelectionEntry), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn assign(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    body: ApiJson<AssignmentInput>,
) -> ApiResult<Json<SelectionEntry>> {
    let actor = auth.require(&[Role::Admin])?;
    let now = s.now();
    let e = write_tx!(s.store, |tx| sel::assign(
        &mut tx,
        actor,
        &id,
        &body.value,
        &now
    )
    .await)?;
    Ok(Json(sel::get_entry(&s.store, actor, e.id.as_str()).await?))
}

#[utoipa::path(get, path = "/api/v1/selection-entries/{id}", tag = "selection", security(("bearer" = [])),
    responses((status = 200, body = SelectionEntry), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_entry(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<SelectionEntry>> {
    Ok(Json(sel::get_entry(&s.store, &auth.0, &id).await?))
}

#[utoipa::path(post, path = "/api/v1/selection-entries/{id}/scores", tag = "selection", request_body = ScoreInput, security(("bearer" = [])),
    responses((status = 200, body = SelectionEntry), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn score(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    body: ApiJson<ScoreInput>,
) -> ApiResult<Json<SelectionEntry>> {
    let actor = auth.require(&[Role::Reviewer])?;
    let now = s.now();
    write_tx!(s.store, |tx| sel::score(
        &mut tx,
        actor,
        &id,
        &body.value,
        &now
    )
    .await)?;
    Ok(Json(sel::get_entry(&s.store, actor, &id).await?))
}

#[utoipa::path(post, path = "/api/v1/selection-entries/{id}/recuse", tag = "selection", request_body = ReasonInput, security(("bearer" = [])),
    responses((status = 200, body = SelectionEntry), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn recuse(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    body: ApiJson<ReasonInput>,
) -> ApiResult<Json<SelectionEntry>> {
    let actor = auth.require(&[Role::Reviewer])?;
    let now = s.now();
    write_tx!(s.store, |tx| sel::recuse(
        &mut tx,
        actor,
        &id,
        &body.value.reason,
        &now
    )
    .await)?;
    Ok(Json(sel::get_entry(&s.store, actor, &id).await?))
}

#[utoipa::path(post, path = "/api/v1/selection-entries/{id}/objections", tag = "selection", request_body = ObjectionInput, security(("bearer" = [])),
    responses((status = 201, body = SelectionObjection), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn object(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    body: ApiJson<ObjectionInput>,
) -> ApiResult<(StatusCode, Json<SelectionObjection>)> {
    let now = s.now();
    let actor = &auth.0;
    let o = write_tx!(s.store, |tx| sel::file_objection(
        &mut tx,
        actor,
        &id,
        &body.value,
        &now
    )
    .await)?;
    Ok((StatusCode::CREATED, Json(o)))
}

#[utoipa::path(get, path = "/api/v1/selection-rounds/{id}/objections", tag = "selection", security(("bearer" = [])),
    responses((status = 200, body = Vec<SelectionObjection>), (status = 404, body = ErrorBody)))]
pub async fn list_objections(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<SelectionObjection>>> {
    sel::get_round(&s.store, &auth.0, &id).await?;
    Ok(Json(sel::list_objections(&s.store, &auth.0, &id).await?))
}

#[utoipa::path(post, path = "/api/v1/selection-objections/{id}/resolve", tag = "selection", request_body = ResolveInput, security(("bearer" = [])),
    responses((status = 200, body = SelectionObjection), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn resolve_objection(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    body: ApiJson<ResolveInput>,
) -> ApiResult<Json<SelectionObjection>> {
    let actor = auth.require(&[Role::Admin])?;
    let now = s.now();
    let o = write_tx!(s.store, |tx| sel::resolve_objection(
        &mut tx,
        actor,
        &id,
        &body.value,
        &now
    )
    .await)?;
    Ok(Json(o))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PublicSelectionQuery {
    pub year: Option<i64>,
    /// model or corpus
    pub kind: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/public/selections", tag = "public", params(PublicSelectionQuery),
    responses((status = 200, body = Vec<PublicSelection>), (status = 400, body = ErrorBody)))]
pub async fn public_selections(
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<PublicSelectionQuery>,
) -> ApiResult<Json<Vec<PublicSelection>>> {
    check_kind(q.kind.as_deref())?;
    Ok(Json(
        sel::public_list(&s.store, q.year, q.kind.as_deref()).await?,
    ))
}
