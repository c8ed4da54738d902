use quan_domain::ValidationError;

/// Everything a store operation can answer besides success. The API maps each to a status code.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0}")]
    Validation(#[from] ValidationError),
    #[error("{what} not found")]
    NotFound { what: &'static str },
    #[error("{message}")]
    Forbidden { code: &'static str, message: String },
    /// A rule of the state machine or a uniqueness rule refuses the change.
    #[error("{message}")]
    Conflict {
        code: &'static str,
        message: String,
        field: Option<String>,
    },
    #[error("insufficient funds in {account}: available {available} fen, needed {amount} fen")]
    InsufficientFunds {
        account: String,
        available: i64,
        amount: i64,
    },
    #[error("idempotency key was already used with a different request")]
    IdempotencyMismatch,
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("corrupt data: {0}")]
    Corrupt(String),
}

impl From<quan_domain::Refusal> for StoreError {
    /// A plan's refusal keeps its code, field and message; its kind picks the variant.
    fn from(r: quan_domain::Refusal) -> Self {
        use quan_domain::RefusalKind as K;
        match r.kind {
            K::Invalid | K::NotFound => StoreError::Validation(ValidationError::new(
                r.field.unwrap_or_default(),
                r.code,
                r.message,
            )),
            K::Conflict => StoreError::Conflict {
                code: r.code,
                message: r.message,
                field: r.field,
            },
            K::Forbidden => StoreError::Forbidden {
                code: r.code,
                message: r.message,
            },
        }
    }
}

impl StoreError {
    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        StoreError::Conflict {
            code,
            message: message.into(),
            field: None,
        }
    }
    pub fn conflict_field(code: &'static str, field: &str, message: impl Into<String>) -> Self {
        StoreError::Conflict {
            code,
            message: message.into(),
            field: Some(field.to_string()),
        }
    }
    /// A unique-constraint violation becomes `conflict()`; any other database error stays.
    pub fn on_unique(e: sqlx::Error, conflict: impl FnOnce() -> StoreError) -> StoreError {
        let e = StoreError::from(e);
        if e.is_unique_violation() {
            conflict()
        } else {
            e
        }
    }
    pub fn forbidden(message: impl Into<String>) -> Self {
        StoreError::Forbidden {
            code: "forbidden",
            message: message.into(),
        }
    }

    /// PostgreSQL aborts one side of a deadlock or a serialization conflict; the whole
    /// operation can be run again. SQLite answers BUSY when another process holds the lock.
    pub fn is_retryable(&self) -> bool {
        match self {
            StoreError::Db(sqlx::Error::Database(e)) => {
                let code = e.code().map(|c| c.to_string()).unwrap_or_default();
                matches!(code.as_str(), "40001" | "40P01" | "5" | "6" | "517")
                    || e.message().contains("database is locked")
            }
            StoreError::Db(sqlx::Error::PoolTimedOut) => true,
            _ => false,
        }
    }

    /// A unique-constraint violation, for turning races into clear conflicts.
    pub fn is_unique_violation(&self) -> bool {
        match self {
            StoreError::Db(sqlx::Error::Database(e)) => {
                let code = e.code().map(|c| c.to_string()).unwrap_or_default();
                code == "23505"
                    || code == "2067"
                    || code == "1555"
                    || e.message().contains("UNIQUE constraint")
            }
            _ => false,
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
