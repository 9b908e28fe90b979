//! The one mapping from failures to HTTP: every handler returns `ApiError` for what went
//! wrong, and only here does it become a status and a problem document.

use fountain_store::StoreError;

pub use crate::problem::FieldError;
use crate::problem::Problem;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("malformed JSON: {0}")]
    MalformedJson(String),
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("unauthorized: {0}")]
    Unauthorized(String),
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("precondition failed: {0}")]
    PreconditionFailed(String),
    #[error("If-Match required")]
    PreconditionRequired,
    #[error("body larger than {0} bytes")]
    PayloadTooLarge(usize),
    #[error("unsupported media type: {0}")]
    UnsupportedMediaType(String),
    #[error("temporarily unavailable: {0}")]
    Unavailable(String),
    /// A dependency is down: 503 with `Retry-After` (seconds) saying when to try again.
    #[error("{detail}")]
    DependencyDown { retry_after: u64, detail: String },
    /// A per-user or per-script cap (a runtime setting) is reached: 422, and what to do.
    #[error("{0}")]
    LimitReached(String),
    #[error("too many requests: {detail}")]
    TooManyRequests { retry_after: u64, detail: String },
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError::new(field, message)])
    }

    pub fn status(&self) -> u16 {
        match self {
            Self::MalformedJson(_) | Self::BadRequest(_) => 400,
            Self::Unauthorized(_) => 401,
            Self::Forbidden(_) => 403,
            Self::NotFound(_) => 404,
            Self::Conflict(_) => 409,
            Self::PreconditionFailed(_) => 412,
            Self::PayloadTooLarge(_) => 413,
            Self::UnsupportedMediaType(_) => 415,
            Self::Validation(_) | Self::LimitReached(_) => 422,
            Self::TooManyRequests { .. } => 429,
            Self::PreconditionRequired => 428,
            Self::Internal(_) => 500,
            Self::Unavailable(_) | Self::DependencyDown { .. } => 503,
        }
    }

    fn slug_and_title(&self) -> (&'static str, &'static str) {
        match self {
            Self::MalformedJson(_) => ("malformed-json", "Malformed JSON"),
            Self::BadRequest(_) => ("bad-request", "Bad request"),
            Self::Validation(_) => ("validation-failed", "Validation failed"),
            Self::Unauthorized(_) => ("unauthorized", "Unauthorized"),
            Self::Forbidden(_) => ("forbidden", "Forbidden"),
            Self::NotFound(_) => ("not-found", "Not found"),
            Self::Conflict(_) => ("conflict", "Conflict"),
            Self::PreconditionFailed(_) => ("precondition-failed", "Precondition failed"),
            Self::PreconditionRequired => ("precondition-required", "Precondition required"),
            Self::PayloadTooLarge(_) => ("payload-too-large", "Payload too large"),
            Self::UnsupportedMediaType(_) => ("unsupported-media-type", "Unsupported media type"),
            Self::Unavailable(_) => ("unavailable", "Service unavailable"),
            Self::DependencyDown { .. } => ("dependency-down", "A dependency is down"),
            Self::TooManyRequests { .. } => ("too-many-requests", "Too many requests"),
            Self::LimitReached(_) => ("limit-reached", "Limit reached"),
            Self::Internal(_) => ("internal", "Internal error"),
        }
    }

    /// The problem document; internal details never leave the service.
    pub fn problem(&self) -> Problem {
        let (slug, title) = self.slug_and_title();
        let detail = match self {
            Self::Internal(_) => "The request failed unexpectedly; it was logged.".to_owned(),
            Self::Validation(errors) => errors
                .iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect::<Vec<_>>()
                .join("; "),
            Self::PreconditionRequired => {
                "This change needs an If-Match header with the ETag of the resource.".to_owned()
            }
            Self::NotFound(what) => format!("No {what} with this id is visible to you."),
            // The cause (an SDK's error text) is logged, never sent.
            Self::Unavailable(_) => {
                "A service the API depends on is briefly unavailable; retry after Retry-After seconds."
                    .to_owned()
            }
            other => other.to_string(),
        };
        Problem {
            problem_type: format!("urn:fountainai:problem:{slug}"),
            title,
            status: self.status(),
            detail,
            instance: None,
            errors: match self {
                Self::Validation(errors) => errors.clone(),
                _ => Vec::new(),
            },
            correlation_id: None,
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::ConditionFailed | StoreError::Refused { .. } => {
                Self::Conflict("the resource changed or exists already".into())
            }
            StoreError::TransactionConflict => {
                Self::Conflict("a concurrent change touched the same items; retry".into())
            }
            StoreError::Throttled(detail) | StoreError::Unavailable(detail) => {
                Self::Unavailable(detail)
            }
            StoreError::Invalid(detail) | StoreError::Corrupt(detail) => Self::Internal(detail),
        }
    }
}

impl From<fountain_store::CursorError> for ApiError {
    fn from(_: fountain_store::CursorError) -> Self {
        Self::BadRequest("the cursor is not one this listing returned".into())
    }
}

impl From<fountain_store::PageError> for ApiError {
    fn from(error: fountain_store::PageError) -> Self {
        match error {
            fountain_store::PageError::Cursor(cursor) => cursor.into(),
            fountain_store::PageError::Store(store) => store.into(),
        }
    }
}
