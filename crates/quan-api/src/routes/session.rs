use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use quan_store::rows::User;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use axum::Extension;

use crate::auth::{hash_password, new_token, token_hash, verify_password, Auth};
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiJson;
use crate::state::AppState;
use crate::throttle;
use quan_domain::BackoffPolicy;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginInput {
    pub username: String,
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct LoginOutput {
    pub token: String,
    pub expires_at: String,
    pub user: User,
}

/// The peer address of the TCP connection. X-Forwarded-For is not trusted: a client could
/// send a new value with every attempt and escape the per-address throttle.
fn client_addr(peer: Option<&ConnectInfo<SocketAddr>>) -> String {
    peer.map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginInput,
    responses((status = 200, body = LoginOutput), (status = 401, body = crate::error::ErrorBody), (status = 429, body = crate::error::ErrorBody)))]
pub async fn login(
    State(s): State<AppState>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    body: ApiJson<LoginInput>,
) -> ApiResult<Json<LoginOutput>> {
    let input = body.value;
    let account_key = throttle::account_key(&input.username);
    let addr_key = throttle::address_key(&client_addr(peer.as_ref().map(|e| &e.0)));
    let now = chrono::Utc::now();
    throttle::check(&s.store, &[&account_key, &addr_key], now).await?;
    let found = quan_store::ops::users::for_login(&s.store, input.username.trim()).await?;
    // Verify against a dummy hash when the user is unknown, so timing does not reveal accounts.
    let ok = match &found {
        Some((_, hash)) => verify_password(&input.password, hash),
        None => {
            static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
            let _ = verify_password(
                &input.password,
                DUMMY.get_or_init(|| hash_password("not-a-password")),
            );
            false
        }
    };
    let Some((user, _)) = found.filter(|_| ok) else {
        let keys = [
            (account_key.as_str(), BackoffPolicy::ACCOUNT),
            (addr_key.as_str(), BackoffPolicy::ADDRESS),
        ];
        throttle::fail(&s.store, &keys, now).await?;
        return Err(ApiError::new(
            axum::http::StatusCode::UNAUTHORIZED,
            "bad_credentials",
            "wrong username or password",
            None,
        ));
    };
    quan_store::ops::throttle::clear(&s.store, &account_key).await?;
    let token = new_token();
    let expires = now + chrono::Duration::hours(s.config.session_hours);
    let fmt = "%Y-%m-%dT%H:%M:%S%.3fZ";
    quan_store::ops::users::create_session(
        &s.store,
        &token_hash(&token),
        &user.id,
        &now.format(fmt).to_string(),
        &expires.format(fmt).to_string(),
    )
    .await?;
    tracing::info!(user = %user.username, "login");
    Ok(Json(LoginOutput {
        token,
        expires_at: expires.format(fmt).to_string(),
        user,
    }))
}

#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", security(("bearer" = [])), responses((status = 204)))]
pub async fn logout(
    State(s): State<AppState>,
    _auth: Auth,
    headers: HeaderMap,
) -> ApiResult<axum::http::StatusCode> {
    if let Some(t) = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    {
        quan_store::ops::users::revoke_session(&s.store, &token_hash(t.trim())).await?;
    }
    Ok(axum::http::StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/me", tag = "auth", security(("bearer" = [])), responses((status = 200, body = User), (status = 401, body = crate::error::ErrorBody)))]
pub async fn me(State(s): State<AppState>, auth: Auth) -> ApiResult<Json<User>> {
    Ok(Json(
        quan_store::ops::users::get(&s.store, &auth.0.user_id).await?,
    ))
}

/// What waits for the signed-in user (non-zero counts only), as of the platform's today: the
/// console's menu badges.
#[utoipa::path(get, path = "/api/v1/me/todos", tag = "auth", security(("bearer" = [])), responses((status = 200, body = Vec<quan_store::ops::todos::Todo>), (status = 401, body = crate::error::ErrorBody)))]
pub async fn todos(
    State(s): State<AppState>,
    auth: Auth,
) -> ApiResult<Json<Vec<quan_store::ops::todos::Todo>>> {
    Ok(Json(
        quan_store::ops::todos::for_actor(&s.store, &auth.0, &s.now()).await?,
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordInput {
    pub current_password: String,
    pub new_password: String,
}

/// Changes the caller's password and revokes all of their sessions, this one included.
#[utoipa::path(post, path = "/api/v1/auth/password", tag = "auth", request_body = PasswordInput, security(("bearer" = [])),
    responses((status = 204), (status = 400, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody)))]
pub async fn change_password(
    State(s): State<AppState>,
    auth: Auth,
    body: ApiJson<PasswordInput>,
) -> ApiResult<axum::http::StatusCode> {
    let input = body.value;
    let key = throttle::account_key(&auth.0.username);
    let at = chrono::Utc::now();
    throttle::check(&s.store, &[&key], at).await?;
    let hash = quan_store::ops::users::password_hash(&s.store, &auth.0.user_id).await?;
    if !verify_password(&input.current_password, &hash) {
        throttle::fail(&s.store, &[(key.as_str(), BackoffPolicy::ACCOUNT)], at).await?;
        return Err(ApiError::bad_request(
            "wrong_password",
            Some("current_password"),
            "current_password: does not match",
        ));
    }
    let n = input.new_password.chars().count();
    if !(8..=256).contains(&n) {
        return Err(ApiError::bad_request(
            "weak_password",
            Some("new_password"),
            "new_password: must be 8 to 256 characters",
        ));
    }
    if input.new_password == input.current_password {
        return Err(ApiError::bad_request(
            "weak_password",
            Some("new_password"),
            "new_password: must differ from the current password",
        ));
    }
    let new_hash = hash_password(&input.new_password);
    let now = s.now();
    let actor = &auth.0;
    write_tx!(s.store, |tx| quan_store::ops::users::change_password(
        &mut tx, actor, &new_hash, &now
    )
    .await)?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
