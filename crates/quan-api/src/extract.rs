//! Extractors that turn every malformed request into an `ApiError` naming the problem.
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

use crate::error::ApiError;

/// A JSON body, decoded with the path of the offending field in the error, and the SHA-256 of
/// the raw bytes (for idempotency: a key reused with another body is refused).
pub struct ApiJson<T> {
    pub value: T,
    pub hash: String,
}

pub fn decode_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let msg = inner.to_string();
        // serde names missing/unknown fields in the message rather than in the path.
        let named = ["missing field `", "unknown field `"].iter().find_map(|p| {
            msg.split_once(p)
                .and_then(|(_, rest)| rest.split_once('`').map(|(f, _)| f.to_string()))
        });
        let field = match (named, path.as_str()) {
            (Some(f), ".") => Some(f),
            (Some(f), p) if msg.starts_with("missing") => Some(format!("{p}.{f}")),
            (_, ".") => None,
            (_, p) => Some(p.to_string()),
        };
        let what = field
            .as_deref()
            .map(|f| format!("{f}: "))
            .unwrap_or_default();
        ApiError::bad_request("malformed_json", field.as_deref(), format!("{what}{msg}"))
    })
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "payload_too_large",
                    "request body is too large",
                    None,
                )
            } else {
                ApiError::bad_request(
                    "malformed_json",
                    None,
                    format!("could not read the body: {e}"),
                )
            }
        })?;
        let value = decode_json(&bytes)?;
        Ok(ApiJson {
            value,
            hash: hex::encode(Sha256::digest(&bytes)),
        })
    }
}

/// Query parameters, with a clear error for a wrong type.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let q = parts.uri.query().unwrap_or("");
        let de = serde_urlencoded_de(q)?;
        Ok(ApiQuery(de))
    }
}

fn serde_urlencoded_de<T: DeserializeOwned>(q: &str) -> Result<T, ApiError> {
    axum::extract::Query::<T>::try_from_uri(
        &format!("/?{q}")
            .parse()
            .map_err(|_| ApiError::bad_request("invalid_query", None, "malformed query string"))?,
    )
    .map(|axum::extract::Query(v)| v)
    .map_err(|e| {
        let msg = e.body_text();
        let field = msg
            .split_once(": ")
            .and_then(|(_, rest)| rest.split_once(':'))
            .map(|(f, _)| f.trim().to_string());
        ApiError::bad_request("invalid_query", field.as_deref(), msg)
    })
}

/// The `Idempotency-Key` header, required on money-moving requests, with the request's
/// target: the method, the matched route and the path with its parameters. Keys are stored per
/// user; [`IdempotencyKey::fingerprint`] is **the** fingerprint a key is bound to, so the same
/// key sent for another object, another route or another body is refused
/// (`idempotency_key_reused`) instead of replaying an answer about something else.
pub struct IdempotencyKey {
    pub key: String,
    target: String,
}

impl IdempotencyKey {
    /// SHA-256 over the target and the body's own hash (empty for requests without a body),
    /// length-prefixed so no two different requests share it.
    pub fn fingerprint(&self, body_hash: &str) -> String {
        let mut h = Sha256::new();
        for part in [self.target.as_bytes(), body_hash.as_bytes()] {
            h.update((part.len() as u64).to_be_bytes());
            h.update(part);
        }
        hex::encode(h.finalize())
    }
}

/// What a key is bound to besides the body: `METHOD route path`, e.g.
/// `POST /api/v1/applications/{id}/review /api/v1/applications/app_1/review`.
fn request_target(parts: &Parts) -> String {
    let route = parts
        .extensions
        .get::<axum::extract::MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_default();
    format!("{} {route} {}", parts.method, parts.uri.path())
}

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let v = parts.headers.get("idempotency-key").ok_or_else(|| {
            ApiError::bad_request(
                "idempotency_key_required",
                Some("Idempotency-Key"),
                "Idempotency-Key header is required for this request",
            )
        })?;
        let s = v.to_str().unwrap_or("").trim();
        if s.is_empty() || s.len() > 128 || !s.chars().all(|c| c.is_ascii_graphic()) {
            return Err(ApiError::bad_request(
                "idempotency_key_invalid",
                Some("Idempotency-Key"),
                "Idempotency-Key must be 1 to 128 printable ASCII characters",
            ));
        }
        Ok(IdempotencyKey {
            key: s.to_string(),
            target: request_target(parts),
        })
    }
}

#[derive(Debug, Clone, Copy, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    /// 1-based page number.
    pub page: Option<i64>,
    /// At most 200.
    pub page_size: Option<i64>,
}

impl Paging {
    pub fn req(&self) -> Result<quan_store::ops::PageReq, ApiError> {
        let page = self.page.unwrap_or(1);
        let page_size = self.page_size.unwrap_or(50);
        if !(1..=1_000_000).contains(&page) {
            return Err(ApiError::bad_request(
                "invalid_page",
                Some("page"),
                format!("page: {page} must be 1 or more"),
            ));
        }
        if !(1..=quan_store::ops::PageReq::MAX_PAGE_SIZE).contains(&page_size) {
            return Err(ApiError::bad_request(
                "page_size_too_large",
                Some("page_size"),
                format!(
                    "page_size: {page_size} must be between 1 and {}",
                    quan_store::ops::PageReq::MAX_PAGE_SIZE
                ),
            ));
        }
        Ok(quan_store::ops::PageReq {
            page,
            page_size,
            sort: quan_store::ops::Sort::default(),
        })
    }
}

/// Adds the validated `sort` parameter to a page request (400 `invalid_sort` naming the keys).
pub fn sorted(
    page: quan_store::ops::PageReq,
    sort: Option<&str>,
    keys: &[quan_store::ops::SortKey],
) -> Result<quan_store::ops::PageReq, ApiError> {
    Ok(quan_store::ops::PageReq {
        sort: quan_store::ops::Sort::parse(sort, keys)?,
        ..page
    })
}
