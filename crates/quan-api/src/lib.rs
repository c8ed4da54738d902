//! The HTTP API of Quan: axum routes under `/api/v1`, bearer-token auth, JSON errors, OpenAPI.
//!
//! Architecture invariants: this is the only crate that knows HTTP and request JSON; handlers
//! parse, check the role, and call one `quan_store::ops` operation inside one transaction.

/// Runs a money-moving operation exactly once per (user, Idempotency-Key): the key is claimed in
/// the same transaction as the effect, and a retry replays the stored response. `$body_hash` is
/// the SHA-256 of the request body (`""` when there is none); the key's fingerprint adds the
/// method, route and path (see [`extract::IdempotencyKey::fingerprint`]).
macro_rules! idempotent {
    ($state:expr, $actor:expr, $key:expr, $body_hash:expr, $status:expr, |$tx:ident| $body:expr) => {{
        let __ts = $state.now().ts;
        let __fingerprint = $key.fingerprint(&$body_hash);
        let __status: axum::http::StatusCode = $status;
        let __result = quan_store::in_tx!($state.store, |$tx| {
            match quan_store::idempotency::claim(
                &mut $tx,
                &$actor.user_id,
                &$key.key,
                &__fingerprint,
                &__ts,
            )
            .await?
            {
                Some(replay) => Ok((replay.status, replay.body)),
                None => {
                    let value = $body?;
                    let json = serde_json::to_string(&value)
                        .map_err(|e| quan_store::StoreError::Corrupt(e.to_string()))?;
                    quan_store::idempotency::finish(
                        &mut $tx,
                        &$actor.user_id,
                        &$key.key,
                        __status.as_u16(),
                        &json,
                    )
                    .await?;
                    Ok((__status.as_u16(), json))
                }
            }
        });
        match __result {
            Ok((status, body)) => Ok::<axum::response::Response, crate::error::ApiError>(
                crate::json_response(status, body),
            ),
            Err(e) => Err(crate::error::ApiError::from(e)),
        }
    }};
}

/// Runs a non-monetary write in one transaction.
macro_rules! write_tx {
    ($state:expr, |$tx:ident| $body:expr) => {{
        let __r: Result<_, quan_store::StoreError> = quan_store::in_tx!($state, |$tx| $body);
        __r.map_err(crate::error::ApiError::from)
    }};
}

pub mod app;
pub mod auth;
pub mod decode;
pub mod error;
pub mod export;
pub mod extract;
pub mod openapi;
pub mod routes;
pub mod state;
pub mod strict;
pub mod throttle;
pub mod usage_stream;
pub mod whatif_runs;

pub use app::router;
pub use state::{ApiConfig, AppState};

pub(crate) fn json_response(status: u16, body: String) -> axum::response::Response {
    axum::response::Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(axum::body::Body::from(body))
        .expect("response")
}
