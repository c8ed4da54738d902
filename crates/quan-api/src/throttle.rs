//! The login throttle: failed logins counted per account and per client address.
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::StatusCode;

use crate::error::ApiError;

/// Failed-login counter per key (account name, client address): after the limit of failures
/// within `WINDOW`, further attempts are refused until the window passes. The per-address limit
/// is higher because an office behind one NAT address shares it.
#[derive(Default)]
pub struct Throttle {
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

impl Throttle {
    pub const MAX_FAILURES_PER_ACCOUNT: u32 = 10;
    pub const MAX_FAILURES_PER_ADDRESS: u32 = 100;
    pub const WINDOW: Duration = Duration::from_secs(300);

    pub fn check(&self, key: &str, max_failures: u32) -> Result<(), ApiError> {
        let map = self.failures.lock().expect("throttle lock");
        if let Some((n, since)) = map.get(key) {
            if *n >= max_failures && since.elapsed() < Self::WINDOW {
                return Err(ApiError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "throttled",
                    "too many failed logins; wait a few minutes",
                    None,
                ));
            }
        }
        Ok(())
    }
    pub fn fail(&self, key: &str) {
        let mut map = self.failures.lock().expect("throttle lock");
        if map.len() > 100_000 {
            map.retain(|_, (_, since)| since.elapsed() < Self::WINDOW);
        }
        let e = map.entry(key.to_string()).or_insert((0, Instant::now()));
        if e.1.elapsed() >= Self::WINDOW {
            *e = (0, Instant::now());
        }
        e.0 += 1;
    }
    pub fn succeed(&self, key: &str) {
        self.failures.lock().expect("throttle lock").remove(key);
    }
}
