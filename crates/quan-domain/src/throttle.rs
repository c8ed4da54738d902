//! Login back-off: after a number of free failures each further failure doubles how long the
//! next attempt must wait, up to a ceiling. It slows a guesser exponentially while the owner is
//! never locked out for longer than the ceiling (and an administrator can lift it at once).

/// How failures of one key (an account or a client address) turn into a wait.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BackoffPolicy {
    /// Failures allowed before any wait.
    pub free_failures: u32,
    /// The first wait, in seconds; each further failure doubles it.
    pub base_seconds: i64,
    /// The longest wait, in seconds.
    pub max_seconds: i64,
    /// Failures older than this are forgotten, in seconds.
    pub window_seconds: i64,
}

impl BackoffPolicy {
    /// Per account: 5 free failures, then 1 s, 2 s, 4 s … up to 15 minutes.
    pub const ACCOUNT: BackoffPolicy = BackoffPolicy {
        free_failures: 5,
        base_seconds: 1,
        max_seconds: 900,
        window_seconds: 3600,
    };
    /// Per client address (an office behind one NAT shares it): 100 free failures.
    pub const ADDRESS: BackoffPolicy = BackoffPolicy {
        free_failures: 100,
        base_seconds: 1,
        max_seconds: 900,
        window_seconds: 3600,
    };

    /// Seconds to wait after the `failures`-th failure in the window (0 while still free).
    pub fn wait_seconds(&self, failures: u32) -> i64 {
        if failures <= self.free_failures {
            return 0;
        }
        let doublings = (failures - self.free_failures - 1).min(62);
        self.base_seconds
            .saturating_mul(1i64 << doublings)
            .min(self.max_seconds)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn doubles_after_the_free_failures_up_to_the_ceiling() {
        let p = BackoffPolicy::ACCOUNT;
        let waits: Vec<i64> = (1..=16).map(|n| p.wait_seconds(n)).collect();
        assert_eq!(
            waits,
            vec![0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900]
        );
        assert_eq!(p.wait_seconds(u32::MAX), 900);
    }

    proptest! {
        #[test]
        fn waits_grow_and_stay_bounded(n in 0u32..10_000) {
            let p = BackoffPolicy::ADDRESS;
            prop_assert!(p.wait_seconds(n) <= p.wait_seconds(n + 1));
            prop_assert!(p.wait_seconds(n) <= p.max_seconds);
        }
    }
}
