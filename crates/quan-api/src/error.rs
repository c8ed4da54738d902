//! The one error type of the HTTP edge: every failure becomes JSON `{code, message, field}` with
//! a 4xx status (5xx only for genuine server faults, whose details go to the log, not the client).
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use quan_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable machine code (the UI translates it).
    pub code: String,
    /// Human-readable message naming the field and the problem.
    pub message: String,
    /// The request field at fault, if one is.
    pub field: Option<String>,
}

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub body: ErrorBody,
}

impl ApiError {
    pub fn new(
        status: StatusCode,
        code: &str,
        message: impl Into<String>,
        field: Option<&str>,
    ) -> Self {
        ApiError {
            status,
            body: ErrorBody {
                code: code.into(),
                message: message.into(),
                field: field.map(String::from),
            },
        }
    }
    pub fn bad_request(code: &str, field: Option<&str>, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message, field)
    }
    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "log in first: send Authorization: Bearer <token>",
            None,
        )
    }
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", message, None)
    }
    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("{what} not found"),
            None,
        )
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Validation(v) => {
                ApiError::new(StatusCode::BAD_REQUEST, v.code, v.message, Some(&v.field))
            }
            StoreError::NotFound { what } => ApiError::not_found(what),
            StoreError::Forbidden { code, message } => {
                ApiError::new(StatusCode::FORBIDDEN, code, message, None)
            }
            StoreError::Conflict {
                code,
                message,
                field,
            } => ApiError::new(StatusCode::CONFLICT, code, message, field.as_deref()),
            StoreError::InsufficientFunds { .. } => ApiError::new(
                StatusCode::CONFLICT,
                "insufficient_funds",
                e.to_string(),
                None,
            ),
            StoreError::IdempotencyMismatch => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotency_key_reused",
                "Idempotency-Key was already used for a different request",
                Some("Idempotency-Key"),
            ),
            StoreError::Db(_) | StoreError::Corrupt(_) => {
                if e.is_retryable() {
                    return ApiError::new(
                        StatusCode::SERVICE_UNAVAILABLE,
                        "busy",
                        "the database is busy; retry with the same Idempotency-Key",
                        None,
                    );
                }
                tracing::error!(error = %e, "internal error");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "internal error; it has been logged",
                    None,
                )
            }
        }
    }
}

impl From<quan_domain::ValidationError> for ApiError {
    fn from(v: quan_domain::ValidationError) -> Self {
        ApiError::from(StoreError::Validation(v))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(self.body)).into_response()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
