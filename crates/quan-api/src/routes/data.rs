//! Data resource registration (apply, review, notice, certificate, public verification) and the
//! data authorization hub (authorizations, consents, the check, annual disclosures).
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use quan_domain::inputs::{ObjectionInput, ReasonInput, ResolveInput};
use quan_domain::{
    AuthorizationInput, CheckDecision, CheckInput, ConsentInput, ConsentReceipt, DataAuthorization,
    DataConsent, DataDisclosure, DataRegistration, DisclosureInput, RegistrationInput,
    RegistrationObjection, RegistrationRequest, RegistrationStep, RegistrationVerification,
};
use quan_store::ops::data_hub as hub;
use quan_store::ops::data_registry as reg;
use quan_store::ops::{data_check, data_consents as consents};
use quan_store::rows::Page;
use quan_store::Role;
use serde::Deserialize;

use crate::auth::Auth;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, Paging};
use crate::state::AppState;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RegistrationListQuery {
    /// submitted, accepted, returned, in_notice, registered, rejected, superseded, cancelled, expired
    pub status: Option<String>,
    /// initial, change, correction, renewal, cancellation
    pub kind: Option<String>,
    /// Part of the resource name, the holder's name or the code.
    pub q: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
    /// Sort key (`-key` for descending); the allowed keys are listed in the error for another.
    pub sort: Option<String>,
}

impl RegistrationListQuery {
    fn parts(
        &self,
        public_only: bool,
    ) -> ApiResult<(reg::RegistrationQuery, quan_store::ops::PageReq)> {
        let page = Paging {
            page: self.page,
            page_size: self.page_size,
        }
        .req()?;
        let page = crate::extract::sorted(page, self.sort.as_deref(), reg::SORTS)?;
        Ok((
            reg::RegistrationQuery {
                status: self.status.clone(),
                kind: self.kind.clone(),
                q: self.q.clone(),
                public_only,
            },
            page,
        ))
    }
}

#[utoipa::path(get, path = "/api/v1/data-registrations", tag = "data", params(RegistrationListQuery), security(("bearer" = [])),
    responses((status = 200, body = Page<DataRegistration>), (status = 400, body = ErrorBody)))]
pub async fn list_registrations(
    State(s): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<RegistrationListQuery>,
) -> ApiResult<Json<Page<DataRegistration>>> {
    let (rq, page) = q.parts(false)?;
    Ok(Json(
        reg::list(&s.store, Some(&auth.0), &rq, page, s.now().today).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/data-registrations", tag = "data", request_body = RegistrationInput, security(("bearer" = [])),
    responses((status = 201, body = DataRegistration), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn apply(
    State(s): State<AppState>,
    auth: Auth,
    body: ApiJson<RegistrationInput>,
) -> ApiResult<(StatusCode, Json<DataRegistration>)> {
    let actor = auth.require(&[Role::Admin, Role::Enterprise, Role::Supplier])?;
    let now = s.now();
    let r = write_tx!(s.store, |tx| reg::apply(&mut tx, actor, &body.value, &now)
        .await)?;
    Ok((StatusCode::CREATED, Json(r)))
}

#[utoipa::path(get, path = "/api/v1/data-registrations/{id}", tag = "data", security(("bearer" = [])),
    responses((status = 200, body = DataRegistration), (status = 404, body = ErrorBody)))]
pub async fn get_registration(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<DataRegistration>> {
    Ok(Json(reg::get(&s.store, &auth.0, &id, s.now().today).await?))
}

async fn run_step(
    s: &AppState,
    auth: &Auth,
    id: &str,
    step: RegistrationStep,
) -> ApiResult<Json<DataRegistration>> {
    let now = s.now();
    let actor = &auth.0;
    write_tx!(s.store, |tx| reg::step(&mut tx, actor, id, &step, &now)
        .await)?;
    Ok(Json(reg::get(&s.store, actor, id, now.today).await?))
}

/// A reviewer's step without a body (accept, pass, register).
macro_rules! registration_step {
    ($name:ident, $path:literal, $step:expr) => {
        #[utoipa::path(post, path = $path, tag = "data", security(("bearer" = [])),
            responses((status = 200, body = DataRegistration), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
        pub async fn $name(State(s): State<AppState>, auth: Auth, Path(id): Path<String>) -> ApiResult<Json<DataRegistration>> {
            run_step(&s, &auth, &id, $step).await
        }
    };
}

registration_step!(
    accept_registration,
    "/api/v1/data-registrations/{id}/accept",
    RegistrationStep::Accept
);
registration_step!(
    pass_registration,
    "/api/v1/data-registrations/{id}/pass",
    RegistrationStep::Pass
);
registration_step!(
    register_registration,
    "/api/v1/data-registrations/{id}/register",
    RegistrationStep::Register
);

#[utoipa::path(post, path = "/api/v1/data-registrations/{id}/return", tag = "data", request_body = ReasonInput, security(("bearer" = [])),
    responses((status = 200, body = DataRegistration), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn return_registration(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    body: ApiJson<ReasonInput>,
) -> ApiResult<Json<DataRegistration>> {
    let reason = quan_domain::validate_text("reason", &body.value.reason, 1000)
        .map_err(crate::error::ApiError::from)?;
    run_step(&s, &auth, &id, RegistrationStep::Return { reason }).await
}

#[utoipa::path(post, path = "/api/v1/data-registrations/{id}/reject", tag = "data", request_body = ReasonInput, security(("bearer" = [])),
    responses((status = 200, body = DataRegistration), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn reject_registration(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    body: ApiJson<ReasonInput>,
) -> ApiResult<Json<DataRegistration>> {
    let reason = quan_domain::validate_text("reason", &body.value.reason, 1000)
        .map_err(crate::error::ApiError::from)?;
    run_step(&s, &auth, &id, RegistrationStep::Reject { reason }).await
}

#[utoipa::path(post, path = "/api/v1/data-registrations/{id}/resubmit", tag = "data", request_body = RegistrationInput, security(("bearer" = [])),
    responses((status = 200, body = DataRegistration), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn resubmit_registration(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    body: ApiJson<RegistrationInput>,
) -> ApiResult<Json<DataRegistration>> {
    let req = RegistrationRequest::parse(&body.value).map_err(crate::error::ApiError::from)?;
    run_step(
        &s,
        &auth,
        &id,
        RegistrationStep::Resubmit {
            content: Box::new(req.content),
        },
    )
    .await
}

#[utoipa::path(post, path = "/api/v1/data-registrations/{id}/objections", tag = "data", request_body = ObjectionInput, security(("bearer" = [])),
    responses((status = 201, body = RegistrationObjection), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn object_registration(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    body: ApiJson<ObjectionInput>,
) -> ApiResult<(StatusCode, Json<RegistrationObjection>)> {
    let now = s.now();
    let actor = &auth.0;
    let o = write_tx!(s.store, |tx| reg::object(
        &mut tx,
        actor,
        &id,
        &body.value.reason,
        &now
    )
    .await)?;
    Ok((StatusCode::CREATED, Json(o)))
}

#[utoipa::path(post, path = "/api/v1/data-registration-objections/{id}/resolve", tag = "data", request_body = ResolveInput, security(("bearer" = [])),
    responses((status = 200, body = DataRegistration), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn resolve_registration_objection(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    body: ApiJson<ResolveInput>,
) -> ApiResult<Json<DataRegistration>> {
    let now = s.now();
    let actor = &auth.0;
    let note = if body.value.note.trim().is_empty() {
        "-".to_string()
    } else {
        body.value.note.clone()
    };
    let r = write_tx!(s.store, |tx| reg::resolve_objection(
        &mut tx,
        actor,
        &id,
        body.value.uphold,
        &note,
        &now
    )
    .await)?;
    Ok(Json(reg::get(&s.store, actor, &r.id, now.today).await?))
}

#[utoipa::path(get, path = "/api/v1/public/registrations", tag = "public", params(RegistrationListQuery),
    responses((status = 200, body = Page<DataRegistration>), (status = 400, body = ErrorBody)))]
pub async fn public_registrations(
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<RegistrationListQuery>,
) -> ApiResult<Json<Page<DataRegistration>>> {
    let (rq, page) = q.parts(true)?;
    let mut page = reg::list(&s.store, None, &rq, page, s.now().today).await?;
    for r in &mut page.items {
        // The public registry shows what the certificate shows, not the review's inner notes.
        r.last_reason = None;
        r.applied_by = String::new();
    }
    Ok(Json(page))
}

#[utoipa::path(get, path = "/api/v1/public/registrations/{code}", tag = "public",
    responses((status = 200, body = RegistrationVerification), (status = 404, body = ErrorBody)))]
pub async fn verify_registration(
    State(s): State<AppState>,
    Path(code): Path<String>,
) -> ApiResult<Json<RegistrationVerification>> {
    Ok(Json(reg::verify(&s.store, &code, s.now().today).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuthorizationListQuery {
    /// Sort key (`-key` for descending); the allowed keys are listed in the error for another.
    pub sort: Option<String>,
    /// overall, sub_domain or scenario
    pub level: Option<String>,
    pub parent_id: Option<String>,
    pub operator_id: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/data-authorizations", tag = "data", params(AuthorizationListQuery), security(("bearer" = [])),
    responses((status = 200, body = Page<DataAuthorization>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_authorizations(
    State(s): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<AuthorizationListQuery>,
) -> ApiResult<Json<Page<DataAuthorization>>> {
    let page = Paging {
        page: q.page,
        page_size: q.page_size,
    }
    .req()?;
    let page = crate::extract::sorted(page, q.sort.as_deref(), hub::AUTH_SORTS)?;
    let aq = hub::AuthorizationQuery {
        level: q.level,
        parent_id: q.parent_id,
        operator_id: q.operator_id,
    };
    Ok(Json(
        hub::list_authorizations(&s.store, &auth.0, &aq, page, s.now().today).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/data-authorizations", tag = "data", request_body = AuthorizationInput, security(("bearer" = [])),
    responses((status = 201, body = DataAuthorization), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_authorization(
    State(s): State<AppState>,
    auth: Auth,
    body: ApiJson<AuthorizationInput>,
) -> ApiResult<(StatusCode, Json<DataAuthorization>)> {
    let actor = auth.require(&[Role::Admin, Role::Enterprise])?;
    let now = s.now();
    let a = write_tx!(s.store, |tx| hub::create_authorization(
        &mut tx,
        actor,
        &body.value,
        &now
    )
    .await)?;
    Ok((StatusCode::CREATED, Json(a)))
}

#[utoipa::path(get, path = "/api/v1/data-authorizations/{id}", tag = "data", security(("bearer" = [])),
    responses((status = 200, body = DataAuthorization), (status = 404, body = ErrorBody)))]
pub async fn get_authorization(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<DataAuthorization>> {
    Ok(Json(
        hub::get_authorization(&s.store, &auth.0, &id, s.now().today).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/data-authorizations/{id}/revoke", tag = "data", request_body = ReasonInput, security(("bearer" = [])),
    responses((status = 200, body = DataAuthorization), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn revoke_authorization(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    body: ApiJson<ReasonInput>,
) -> ApiResult<Json<DataAuthorization>> {
    let actor = auth.require(&[Role::Admin, Role::Enterprise])?;
    let now = s.now();
    Ok(Json(write_tx!(s.store, |tx| hub::revoke_authorization(
        &mut tx,
        actor,
        &id,
        &body.value.reason,
        &now
    )
    .await)?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ConsentListQuery {
    /// Sort key (`-key` for descending); the allowed keys are listed in the error for another.
    pub sort: Option<String>,
    pub scenario_id: Option<String>,
    pub subject_id: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/data-consents", tag = "data", params(ConsentListQuery), security(("bearer" = [])),
    responses((status = 200, body = Page<DataConsent>), (status = 403, body = ErrorBody)))]
pub async fn list_consents(
    State(s): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<ConsentListQuery>,
) -> ApiResult<Json<Page<DataConsent>>> {
    let page = Paging {
        page: q.page,
        page_size: q.page_size,
    }
    .req()?;
    let page = crate::extract::sorted(page, q.sort.as_deref(), consents::CONSENT_SORTS)?;
    let cq = consents::ConsentQuery {
        scenario_id: q.scenario_id,
        subject_id: q.subject_id,
    };
    Ok(Json(
        consents::list_consents(&s.store, &auth.0, &cq, page).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/data-consents", tag = "data", request_body = ConsentInput, security(("bearer" = [])),
    responses((status = 201, body = DataConsent), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn grant_consent(
    State(s): State<AppState>,
    auth: Auth,
    body: ApiJson<ConsentInput>,
) -> ApiResult<(StatusCode, Json<DataConsent>)> {
    let actor = auth.require(&[Role::Admin, Role::Enterprise])?;
    let now = s.now();
    let c = write_tx!(s.store, |tx| consents::grant_consent(
        &mut tx,
        actor,
        &body.value,
        &now
    )
    .await)?;
    Ok((StatusCode::CREATED, Json(c)))
}

#[utoipa::path(get, path = "/api/v1/data-consents/{id}", tag = "data", security(("bearer" = [])),
    responses((status = 200, body = DataConsent), (status = 404, body = ErrorBody)))]
pub async fn get_consent(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<DataConsent>> {
    Ok(Json(consents::get_consent(&s.store, &auth.0, &id).await?))
}

#[utoipa::path(post, path = "/api/v1/data-consents/{id}/revoke", tag = "data", security(("bearer" = [])),
    responses((status = 200, body = DataConsent), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn revoke_consent(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<DataConsent>> {
    let now = s.now();
    let actor = &auth.0;
    Ok(Json(write_tx!(s.store, |tx| consents::revoke_consent(
        &mut tx, actor, &id, &now
    )
    .await)?))
}

#[utoipa::path(get, path = "/api/v1/data-consents/{id}/receipt", tag = "data", security(("bearer" = [])),
    responses((status = 200, body = ConsentReceipt), (status = 404, body = ErrorBody)))]
pub async fn consent_receipt(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<ConsentReceipt>> {
    Ok(Json(consents::receipt(&s.store, &auth.0, &id).await?))
}

#[utoipa::path(post, path = "/api/v1/data-check", tag = "data", request_body = CheckInput, security(("bearer" = [])),
    responses((status = 200, body = CheckDecision), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn check(
    State(s): State<AppState>,
    auth: Auth,
    body: ApiJson<CheckInput>,
) -> ApiResult<Json<CheckDecision>> {
    let actor = auth.require(&[Role::Admin, Role::Enterprise])?;
    let now = s.now();
    Ok(Json(write_tx!(s.store, |tx| data_check::check(
        &mut tx,
        actor,
        &body.value,
        &now
    )
    .await)?))
}

#[utoipa::path(post, path = "/api/v1/data-disclosures", tag = "data", request_body = DisclosureInput, security(("bearer" = [])),
    responses((status = 200, body = DataDisclosure), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn publish_disclosure(
    State(s): State<AppState>,
    auth: Auth,
    body: ApiJson<DisclosureInput>,
) -> ApiResult<Json<DataDisclosure>> {
    let actor = auth.require(&[Role::Admin, Role::Enterprise])?;
    let now = s.now();
    let written = write_tx!(s.store, |tx| {
        data_check::publish_disclosure(&mut tx, actor, &body.value, &now).await
    })?;
    // Answered as the public page shows it: with the operator's name and authorizations.
    let published = data_check::public_disclosures(&s.store, written.year, now.today)
        .await?
        .into_iter()
        .find(|d| d.operator_id == written.operator_id)
        .unwrap_or(written);
    Ok(Json(published))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DisclosureQuery {
    /// The year disclosed (default: this year).
    pub year: Option<i32>,
}

#[utoipa::path(get, path = "/api/v1/public/data-disclosures", tag = "public", params(DisclosureQuery),
    responses((status = 200, body = Vec<DataDisclosure>)))]
pub async fn public_disclosures(
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<DisclosureQuery>,
) -> ApiResult<Json<Vec<DataDisclosure>>> {
    let today = s.now().today;
    let year = q.year.unwrap_or_else(|| {
        today
            .format("%Y")
            .to_string()
            .parse::<i32>()
            .unwrap_or(2026)
            - 1
    });
    Ok(Json(
        data_check::public_disclosures(&s.store, year, today).await?,
    ))
}
