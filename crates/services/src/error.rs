use jimoto_domain::{FieldError, ValidationFailure};
use jimoto_store::StoreError;

/// Why a use case did not happen. Each variant has a stable [`code`](ServiceError::code) that
/// the web layer maps to an HTTP status and a translated message, in one place.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// No valid session or token.
    #[error("not authenticated")]
    Unauthenticated,
    /// Login name or password wrong (deliberately not saying which).
    #[error("invalid credentials")]
    InvalidCredentials,
    /// Too many failed logins; try again later.
    #[error("too many failed attempts")]
    TooManyAttempts {
        /// Minutes until the lock lifts.
        retry_after_minutes: u64,
    },
    /// The right password, but a temporary one past its expiry: ask for a new one.
    #[error("temporary password expired")]
    PasswordExpired,
    /// The password was set by someone else and must be changed before anything else.
    #[error("password change required")]
    PasswordChangeRequired,
    /// Allowed to see the record but not to do this.
    #[error("forbidden")]
    Forbidden,
    /// No such record — or one the actor may not see: the two are indistinguishable on purpose.
    #[error("not found")]
    NotFound,
    /// The input has problems; nothing was written.
    #[error(transparent)]
    Validation(#[from] ValidationFailure),
    /// A bug or an outage; details are logged, never shown.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ServiceError {
    /// Stable code, used as the translation key and in the JSON API.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthenticated => "unauthenticated",
            Self::InvalidCredentials => "invalid_credentials",
            Self::TooManyAttempts { .. } => "too_many_attempts",
            Self::PasswordExpired => "password_expired",
            Self::PasswordChangeRequired => "password_change_required",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not_found",
            Self::Validation(_) => "validation",
            Self::Internal(_) => "internal",
        }
    }
}

/// The one translation of store errors: a unique violation is the field it concerns ("taken"),
/// the same on both engines; a list position from another list is a field error too; anything
/// else is internal (logged, never shown).
impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Duplicate { columns, .. } => {
                let field = columns.last().cloned().unwrap_or_else(|| "input".into());
                Self::Validation(ValidationFailure(vec![FieldError::new(field, "taken")]))
            }
            StoreError::BadCursor => ValidationFailure::single("cursor", "bad_cursor").into(),
            e => {
                tracing::error!(error = %e, "store error");
                Self::Internal(e.to_string())
            }
        }
    }
}

/// Service results.
pub type ServiceResult<T> = Result<T, ServiceError>;
