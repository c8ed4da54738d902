//! The one error type of every validation rule in this crate.

/// A rule was broken by one input field.
///
/// `code` is a stable snake_case identifier (the UI translates it); `message` is a
/// human-readable English sentence that names the field and the problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ValidationError {
    /// The input field at fault (e.g. `"uscc"`, `"funding[1].share_bps"`).
    pub field: String,
    /// Stable machine-readable code, e.g. `"invalid_uscc"`.
    pub code: &'static str,
    /// Human-readable message naming the field and the problem.
    pub message: String,
}

impl ValidationError {
    /// Builds a validation error.
    pub fn new(field: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        ValidationError {
            field: field.into(),
            code,
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_message() {
        let e = ValidationError::new(
            "rate_bps",
            "rate_over_100",
            "rate_bps: 12000 is over 100% (10000 bps)",
        );
        assert_eq!(e.to_string(), "rate_bps: 12000 is over 100% (10000 bps)");
        assert_eq!(e.field, "rate_bps");
        assert_eq!(e.code, "rate_over_100");
    }
}
