//! Metered compute usage: ingestion of batches from compute suppliers, the record list and the
//! hub view (issue 3).
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use quan_store::ops::usage::signatures::{SignedBody, UsageKeyInput};
use quan_store::ops::usage::{
    self, UsageBatchResult, UsageQuery, UsageRecord, UsageSummary, BATCH_RECORDS_MAX,
};
use quan_store::ops::usage_writer::{IdempotencyClaim, Submission};
use quan_store::rows::Page;
use quan_store::Role;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::auth::Auth;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiQuery, IdempotencyKey, Paging};
use crate::state::AppState;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IngestQuery {
    /// Required for an administrator sending on behalf of a supplier; a supplier user always
    /// sends for itself.
    pub supplier_id: Option<String>,
}

/// Sends a batch of usage records: a JSON array, or NDJSON with `Content-Type:
/// application/x-ndjson`; at most 10,000 records and 16 MiB. A supplier with a registered usage
/// key signs every batch: `Quan-Signature` is the hex Ed25519 signature of
/// `quan-usage-batch/v1\n{supplier_id}\n{Idempotency-Key}\n{SHA-256 of the body, hex}`
/// (`Quan-Key-Id` optionally names the key); a missing or bad signature refuses the whole batch. Each record is answered on its own:
/// accepted (with amount and subsidy), duplicate (seen before for this supplier), or rejected
/// with a reason; a batch with bad records still accepts the good ones. The response is sent
/// only after the batch is committed; a retry with the same Idempotency-Key replays it.
#[utoipa::path(post, path = "/api/v1/usage", tag = "usage", params(IngestQuery, ("Idempotency-Key" = String, Header), ("Quan-Signature" = Option<String>, Header), ("Quan-Key-Id" = Option<String>, Header)),
    request_body(content = Vec<quan_store::ops::usage::UsageInput>, description = "JSON array or NDJSON (application/x-ndjson)"),
    security(("bearer" = [])),
    responses((status = 200, body = UsageBatchResult), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 413, body = ErrorBody)))]
pub async fn ingest(
    State(s): State<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    ApiQuery(q): ApiQuery<IngestQuery>,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> ApiResult<Response> {
    let actor = auth.require(&[Role::Supplier, Role::Admin])?;
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                "request body is too large (at most 16 MiB)",
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
    let supplier_id = match actor.role {
        Role::Supplier => actor.supplier_id.clone().unwrap_or_default(),
        _ => q
            .supplier_id
            .clone()
            .filter(|s| !s.is_empty())
            .ok_or_else(|| {
                ApiError::bad_request(
                    "required",
                    Some("supplier_id"),
                    "supplier_id: required when an administrator sends usage",
                )
            })?,
    };
    let ndjson = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(is_ndjson);
    let sent = SentSignature {
        signature: header(&headers, quan_domain::SIGNATURE_HEADER)?.map(str::to_string),
        key_id: header(&headers, quan_domain::KEY_ID_HEADER)?.map(str::to_string),
    };
    let answer = submit_batch(&s, actor, supplier_id, key, &body, ndjson, sent).await?;
    Ok(crate::json_response(answer.status, answer.body))
}

/// Whether a content type names NDJSON.
pub(crate) fn is_ndjson(content_type: &str) -> bool {
    content_type.starts_with("application/x-ndjson")
        || content_type.starts_with("application/ndjson")
        || content_type.starts_with("application/jsonl")
}

/// The signature headers a batch came with.
#[derive(Debug, Default, Clone)]
pub(crate) struct SentSignature {
    pub signature: Option<String>,
    pub key_id: Option<String>,
}

/// One batch, from HTTP or the usage stream, into the group-commit writer: parsed, limited,
/// fingerprinted for its Idempotency-Key, its signature headers attached; answered after the
/// group's commit.
pub(crate) async fn submit_batch(
    s: &AppState,
    actor: &quan_store::Actor,
    supplier_id: String,
    key: IdempotencyKey,
    body: &[u8],
    ndjson: bool,
    sent: SentSignature,
) -> ApiResult<quan_store::ops::usage_writer::Answer> {
    let items = if ndjson {
        crate::decode::parse_ndjson(body)
    } else {
        crate::decode::parse_json_array(body)
            .map_err(|m| ApiError::bad_request("malformed_json", None, m))?
    };
    if items.is_empty() {
        return Err(ApiError::bad_request(
            "empty_batch",
            None,
            "the batch has no records",
        ));
    }
    if items.len() > BATCH_RECORDS_MAX {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "batch_too_large",
            format!(
                "at most {BATCH_RECORDS_MAX} records per batch, got {}",
                items.len()
            ),
            None,
        ));
    }
    let mut h = Sha256::new();
    h.update(supplier_id.as_bytes());
    h.update([0, ndjson as u8]);
    h.update(body);
    let hash = hex::encode(h.finalize());
    let signed = SignedBody {
        body: if sent.signature.is_some() {
            body.to_vec()
        } else {
            Vec::new()
        },
        key_id: sent.key_id,
        signature: sent.signature,
        body_sha256: quan_domain::body_sha256(body),
        format: if ndjson { "ndjson" } else { "json" },
    };
    let now = s.now();
    let batch_id = quan_store::ops::new_id("ub");
    // Group commit: concurrent batches share one transaction; answered after its commit.
    Ok(s.usage_writer
        .submit(Submission {
            actor: actor.clone(),
            supplier_id,
            batch_id,
            items,
            now,
            idempotency: Some(IdempotencyClaim {
                user_id: actor.user_id.clone(),
                request_hash: key.fingerprint(&hash),
                key: key.key,
            }),
            signed: Some(signed),
        })
        .await?)
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> ApiResult<Option<&'a str>> {
    headers
        .get(name)
        .map(|v| {
            v.to_str().map_err(|_| {
                ApiError::bad_request(
                    "signature_malformed",
                    Some(name),
                    format!("{name}: not ASCII"),
                )
            })
        })
        .transpose()
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UsageListQuery {
    pub supplier_id: Option<String>,
    pub enterprise_id: Option<String>,
    pub product_id: Option<String>,
    pub voucher_id: Option<String>,
    pub batch_id: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
    /// Sort key (`-key` for descending); the allowed keys are listed in the error for another.
    pub sort: Option<String>,
}

/// Accepted usage records, newest first. A supplier sees its own, an enterprise its own usage.
#[utoipa::path(get, path = "/api/v1/usage", operation_id = "list_usage", tag = "usage", params(UsageListQuery), security(("bearer" = [])), responses((status = 200, body = Page<UsageRecord>)))]
pub async fn list(
    State(s): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<UsageListQuery>,
) -> ApiResult<Json<Page<UsageRecord>>> {
    let page = Paging {
        page: q.page,
        page_size: q.page_size,
    }
    .req()?;
    let page =
        crate::extract::sorted(page, q.sort.as_deref(), quan_store::ops::usage::USAGE_SORTS)?;
    let uq = UsageQuery {
        supplier_id: q.supplier_id,
        enterprise_id: q.enterprise_id,
        product_id: q.product_id,
        voucher_id: q.voucher_id,
        batch_id: q.batch_id,
    };
    Ok(Json(usage::list(&s.store, &auth.0, &uq, page).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SummaryQuery {
    /// Only usage paid by this program's vouchers.
    pub program_id: Option<String>,
}

/// The hub view: GPU-hours and subsidy today, this month and for the program to date, per hub
/// city, per product and per enterprise. Scoped like the record list.
#[utoipa::path(get, path = "/api/v1/usage/summary", tag = "usage", params(SummaryQuery), security(("bearer" = [])), responses((status = 200, body = UsageSummary)))]
pub async fn summary(
    State(s): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<SummaryQuery>,
) -> ApiResult<Json<UsageSummary>> {
    let now = s.now();
    Ok(Json(
        usage::summary(
            &s.store,
            &auth.0,
            q.program_id.as_deref().filter(|p| !p.is_empty()),
            &now,
        )
        .await?,
    ))
}

/// A supplier's usage-signing keys, live and retired (its own for a supplier; any for staff).
#[utoipa::path(get, path = "/api/v1/suppliers/{id}/usage-keys", tag = "usage", params(("id" = String, Path)),
    security(("bearer" = [])), responses((status = 200, body = Vec<quan_domain::UsageKey>), (status = 403, body = ErrorBody)))]
pub async fn list_keys(
    State(s): State<AppState>,
    auth: Auth,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> ApiResult<Json<Vec<quan_domain::UsageKey>>> {
    let actor = auth.require(&[Role::Admin, Role::Auditor, Role::Reviewer, Role::Supplier])?;
    Ok(Json(
        usage::signatures::list_keys(&s.store, actor, &id).await?,
    ))
}

/// Registers a compute supplier's Ed25519 key for signing usage; from then on its batches must
/// be signed. A new key while one is live is a rotation: the supplier signs it with the live key
/// (`rotation_signature`), or an administrator registers it; the old key is retired.
#[utoipa::path(post, path = "/api/v1/suppliers/{id}/usage-keys", tag = "usage", params(("id" = String, Path), ("Idempotency-Key" = String, Header)),
    request_body = UsageKeyInput, security(("bearer" = [])),
    responses((status = 201, body = quan_domain::UsageKey), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn register_key(
    State(s): State<AppState>,
    auth: Auth,
    key: IdempotencyKey,
    axum::extract::Path(id): axum::extract::Path<String>,
    body: crate::extract::ApiJson<UsageKeyInput>,
) -> ApiResult<Response> {
    let actor = auth.require(&[Role::Admin, Role::Supplier])?;
    let now = s.now();
    idempotent!(s, actor, key, body.hash, StatusCode::CREATED, |tx| {
        usage::signatures::register_key(&mut tx, actor, &id, &body.value, &now).await
    })
}
