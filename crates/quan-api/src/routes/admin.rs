use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use quan_domain::AuditRecord;
use quan_store::rows::{Page, User};
use quan_store::Role;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{hash_password, Auth};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, Paging};
use crate::state::AppState;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    pub page: Option<i64>,
    pub page_size: Option<i64>,
    /// Sort key (`-key` for descending); the allowed keys are listed in the error for another.
    pub sort: Option<String>,
}

/// Shape of an audit record in the OpenAPI document.
#[derive(Serialize, ToSchema)]
pub struct AuditRecordSchema {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub object: String,
    pub before: String,
    pub after: String,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Serialize, ToSchema)]
pub struct AuditPage {
    #[schema(value_type = Vec<AuditRecordSchema>)]
    pub items: Vec<AuditRecord>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditListQuery {
    /// The object's id, exactly.
    pub object: Option<String>,
    /// An action (`redemption.create`) or an area (`redemption`).
    pub action: Option<String>,
    /// Part of the recorded actor (`admin:alice`).
    pub actor: Option<String>,
    /// From this day, inclusive (YYYY-MM-DD).
    pub from: Option<String>,
    /// Until this day, inclusive (YYYY-MM-DD).
    pub to: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
    /// `seq`, `at` or `action`; `-key` for descending.
    pub sort: Option<String>,
}

fn opt_date(field: &str, v: Option<&str>) -> Result<Option<chrono::NaiveDate>, ApiError> {
    v.filter(|d| !d.is_empty())
        .map(|d| quan_domain::parse_date(field, d))
        .transpose()
        .map_err(ApiError::from)
}

#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditListQuery), security(("bearer" = [])), responses((status = 200, body = AuditPage)))]
pub async fn audit_list(
    State(s): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<AuditListQuery>,
) -> ApiResult<Json<AuditPage>> {
    auth.require(&[Role::Admin, Role::Auditor])?;
    let page = Paging {
        page: q.page,
        page_size: q.page_size,
    }
    .req()?;
    let page = crate::extract::sorted(page, q.sort.as_deref(), quan_store::audit::SORTS)?;
    let filter = quan_store::audit::AuditQuery {
        object: q.object,
        action: q.action,
        actor: q.actor,
        from: opt_date("from", q.from.as_deref())?,
        to: opt_date("to", q.to.as_deref())?,
    };
    let (items, total) = quan_store::audit::latest(&s.store, &filter, page).await?;
    Ok(Json(AuditPage {
        items,
        total,
        page: page.page,
        page_size: page.page_size,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct VerifyOutput {
    pub ok: bool,
    pub records: u64,
    pub first_broken_seq: Option<i64>,
    pub reason: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/audit/verify", tag = "audit", security(("bearer" = [])), responses((status = 200, body = VerifyOutput)))]
pub async fn audit_verify(State(s): State<AppState>, auth: Auth) -> ApiResult<Json<VerifyOutput>> {
    auth.require(&[Role::Admin, Role::Auditor])?;
    Ok(Json(match quan_store::audit::verify(&s.store).await? {
        Ok(n) => VerifyOutput {
            ok: true,
            records: n,
            first_broken_seq: None,
            reason: None,
        },
        Err(b) => VerifyOutput {
            ok: false,
            records: 0,
            first_broken_seq: Some(b.seq),
            reason: Some(b.reason),
        },
    }))
}

#[utoipa::path(get, path = "/api/v1/users", tag = "users", params(PageQuery), security(("bearer" = [])), responses((status = 200, body = Page<User>)))]
pub async fn list_users(
    State(s): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<User>>> {
    auth.require(&[Role::Admin, Role::Auditor])?;
    let page = Paging {
        page: q.page,
        page_size: q.page_size,
    }
    .req()?;
    let page = crate::extract::sorted(page, q.sort.as_deref(), quan_store::ops::users::SORTS)?;
    Ok(Json(quan_store::ops::users::list(&s.store, page).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserInput {
    pub username: String,
    pub password: String,
    /// admin, reviewer, enterprise, supplier or auditor
    pub role: String,
    pub enterprise_id: Option<String>,
    pub supplier_id: Option<String>,
    pub display_name: String,
    /// Reviewers only: the city (GB/T 2260 code) a city reviewer works for.
    pub city_code: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = UserInput, security(("bearer" = [])),
    responses((status = 201, body = User), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_user(
    State(s): State<AppState>,
    auth: Auth,
    body: ApiJson<UserInput>,
) -> ApiResult<(StatusCode, Json<User>)> {
    let actor = auth.require(&[Role::Admin])?;
    let u = &body.value;
    let role = Role::parse(&u.role).ok_or_else(|| {
        ApiError::bad_request(
            "invalid_role",
            Some("role"),
            format!(
                "role: {:?} is not one of admin, reviewer, enterprise, supplier, auditor",
                u.role
            ),
        )
    })?;
    if u.password.chars().count() < 8 || u.password.len() > 256 {
        return Err(ApiError::bad_request(
            "weak_password",
            Some("password"),
            "password: must be 8 to 256 characters",
        ));
    }
    let hash = hash_password(&u.password);
    let now = s.now();
    let new = quan_store::ops::users::NewUser {
        username: &u.username,
        password_hash: &hash,
        role,
        enterprise_id: u.enterprise_id.as_deref(),
        supplier_id: u.supplier_id.as_deref(),
        display_name: &u.display_name,
        city_code: u.city_code.as_deref(),
    };
    let user = write_tx!(s.store, |tx| quan_store::ops::users::create(
        &mut tx, actor, &new, &now
    )
    .await)?;
    Ok((StatusCode::CREATED, Json(user)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClockInput {
    /// YYYY-MM-DD, or null to return to the real date.
    pub today: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ClockOutput {
    pub today: String,
}

#[utoipa::path(post, path = "/api/v1/admin/clock", tag = "admin", request_body = ClockInput, security(("bearer" = [])),
    responses((status = 200, body = ClockOutput), (status = 403, body = ErrorBody)))]
pub async fn set_clock(
    State(s): State<AppState>,
    auth: Auth,
    body: ApiJson<ClockInput>,
) -> ApiResult<Json<ClockOutput>> {
    auth.require(&[Role::Admin])?;
    if !s.config.test_clock {
        return Err(ApiError::forbidden(
            "the clock can be moved only on a server started with --test-clock",
        ));
    }
    let day = body
        .value
        .today
        .as_deref()
        .map(|d| quan_domain::parse_date("today", d))
        .transpose()?;
    s.set_today(day);
    Ok(Json(ClockOutput {
        today: s.now().today.to_string(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnlockInput {
    /// The account whose failed-login back-off to lift.
    pub username: String,
}

#[derive(Serialize, ToSchema)]
pub struct UnlockOutput {
    pub username: String,
    /// Whether the account had failures to forget.
    pub unlocked: bool,
}

/// Lifts an account's login back-off at once (audited as `user.unlock`).
#[utoipa::path(post, path = "/api/v1/admin/unlock", tag = "admin", request_body = UnlockInput, security(("bearer" = [])),
    responses((status = 200, body = UnlockOutput), (status = 404, body = ErrorBody)))]
pub async fn unlock(
    State(s): State<AppState>,
    auth: Auth,
    body: ApiJson<UnlockInput>,
) -> ApiResult<Json<UnlockOutput>> {
    let actor = auth.require(&[Role::Admin])?;
    let username = quan_domain::validate_text("username", &body.value.username, 64)?;
    let now = s.now();
    let unlocked = write_tx!(s.store, |tx| quan_store::ops::throttle::unlock(
        &mut tx, actor, &username, &now
    )
    .await)?;
    Ok(Json(UnlockOutput { username, unlocked }))
}

#[derive(Serialize, ToSchema)]
pub struct LoginLockSchema {
    /// `user:<name>` or `addr:<ip>`.
    pub key: String,
    pub failures: i64,
    pub last_failure_at: String,
    /// Until when the next attempt must wait; null when it need not.
    pub locked_until: Option<String>,
}

/// Accounts and addresses with failed logins in the last hour, most recent first.
#[utoipa::path(get, path = "/api/v1/admin/login-locks", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = Vec<LoginLockSchema>)))]
pub async fn login_locks(
    State(s): State<AppState>,
    auth: Auth,
) -> ApiResult<Json<Vec<LoginLockSchema>>> {
    auth.require(&[Role::Admin])?;
    let window = quan_domain::BackoffPolicy::ACCOUNT.window_seconds;
    let locks = quan_store::ops::throttle::recent(&s.store, chrono::Utc::now(), window).await?;
    Ok(Json(
        locks
            .into_iter()
            .map(|l| LoginLockSchema {
                key: l.key,
                failures: l.failures,
                last_failure_at: l.last_failure_at,
                locked_until: l.locked_until,
            })
            .collect(),
    ))
}

/// Signs the audit chain's current head now (it is also signed at every scheduler tick).
#[utoipa::path(post, path = "/api/v1/admin/audit/checkpoint", operation_id = "sign_audit_checkpoint", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = quan_domain::Checkpoint), (status = 409, body = ErrorBody)))]
pub async fn audit_checkpoint(
    State(s): State<AppState>,
    auth: Auth,
) -> ApiResult<Json<quan_domain::Checkpoint>> {
    auth.require(&[Role::Admin])?;
    let Some(seed) = s.config.audit_key else {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "audit_key_missing",
            "no audit signing key is configured (quan serve --audit-key FILE)",
            None,
        ));
    };
    let ts = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    quan_store::audit::checkpoint_now(&s.store, &seed, &ts).await?;
    quan_store::audit::latest_checkpoint(&s.store)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found("audit checkpoint"))
}

#[derive(Serialize, ToSchema)]
pub struct TickOutput {
    pub issued: usize,
    pub expired: usize,
}

#[utoipa::path(post, path = "/api/v1/admin/tick", tag = "admin", security(("bearer" = [])), responses((status = 200, body = TickOutput)))]
pub async fn tick(State(s): State<AppState>, auth: Auth) -> ApiResult<Json<TickOutput>> {
    auth.require(&[Role::Admin])?;
    let t = quan_store::ops::scheduler::tick(&s.store, &s.now()).await?;
    Ok(Json(TickOutput {
        issued: t.issued,
        expired: t.expired,
    }))
}
