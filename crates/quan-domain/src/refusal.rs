//! Why a plan function refused: the one answer type of every decision in this crate. The store
//! turns it into its error, the API into a 4xx naming the rule and the field.

use crate::error::ValidationError;

/// The class of a refusal, which decides the HTTP status at the edge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefusalKind {
    /// The input itself is wrong (400).
    Invalid,
    /// The named object does not exist for this actor (404 or a 400 naming the field).
    NotFound,
    /// The request is well-formed but the state forbids it now (409).
    Conflict,
    /// The actor's role may not do this (403).
    Forbidden,
}

/// A refused decision: nothing is written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Refusal {
    pub kind: RefusalKind,
    /// Stable snake_case code (the UI translates it).
    pub code: &'static str,
    /// The request field at fault, if one is.
    pub field: Option<String>,
    /// English sentence naming the field and the problem.
    pub message: String,
}

impl Refusal {
    /// The state forbids it; names the field.
    pub fn conflict(code: &'static str, field: &str, message: impl Into<String>) -> Refusal {
        Refusal {
            kind: RefusalKind::Conflict,
            code,
            field: Some(field.to_string()),
            message: message.into(),
        }
    }
    /// The state forbids it; no single field is at fault.
    pub fn conflict_general(code: &'static str, message: impl Into<String>) -> Refusal {
        Refusal {
            kind: RefusalKind::Conflict,
            code,
            field: None,
            message: message.into(),
        }
    }
    /// The input is wrong.
    pub fn invalid(code: &'static str, field: &str, message: impl Into<String>) -> Refusal {
        Refusal {
            kind: RefusalKind::Invalid,
            code,
            field: Some(field.to_string()),
            message: message.into(),
        }
    }
    /// The role may not do this.
    pub fn forbidden(message: impl Into<String>) -> Refusal {
        Refusal {
            kind: RefusalKind::Forbidden,
            code: "forbidden",
            field: None,
            message: message.into(),
        }
    }
}

impl From<ValidationError> for Refusal {
    fn from(v: ValidationError) -> Refusal {
        Refusal {
            kind: RefusalKind::Invalid,
            code: v.code,
            field: Some(v.field),
            message: v.message,
        }
    }
}
