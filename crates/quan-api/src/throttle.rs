//! The login throttle at the HTTP edge: failures are counted in the database
//! (`quan_store::ops::throttle`), so every server on it throttles the same attacker, with
//! exponential back-off per account and per client address (`quan_domain::BackoffPolicy`).
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use quan_domain::BackoffPolicy;
use quan_store::ops::throttle;
use quan_store::Store;

use crate::error::ApiError;

/// The throttle key of an account.
pub fn account_key(username: &str) -> String {
    format!("user:{}", username.trim())
}

/// The throttle key of a client address.
pub fn address_key(addr: &str) -> String {
    format!("addr:{addr}")
}

fn throttled(seconds: i64) -> ApiError {
    ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "throttled",
        format!("too many failed logins; try again in {seconds} seconds"),
        None,
    )
}

/// Refuses with 429 while any of the keys must still wait.
pub async fn check(store: &Store, keys: &[&str], now: DateTime<Utc>) -> Result<(), ApiError> {
    for key in keys {
        if let Some(s) = throttle::wait(store, key, now).await? {
            return Err(throttled(s));
        }
    }
    Ok(())
}

/// Counts one failure for each (key, policy).
pub async fn fail(
    store: &Store,
    keys: &[(&str, BackoffPolicy)],
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    for (key, policy) in keys {
        throttle::fail(store, key, *policy, now).await?;
    }
    Ok(())
}
