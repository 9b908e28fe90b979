//! What can go wrong while writing a part, sorted by what the worker should do about it:
//! try again later, or give up and mark the job failed.

use std::time::Duration;

/// A failed part. The reason is short and safe to show to the job's owner: it never holds
/// the API key, a request or a whole response body, only what kind of failure it was.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GenerateError {
    /// The same request may well succeed later: a timeout, a dropped connection, 429, 5xx.
    #[error("prose generation failed for now: {reason}")]
    Retryable {
        reason: String,
        /// How long the provider asked us to wait (`Retry-After` in seconds), when it said.
        retry_after: Option<Duration>,
    },
    /// Sending the same request again cannot help: a refused request (4xx other than 408 and
    /// 429), a rejected key, a reply that is not what the API promises.
    #[error("prose generation failed: {reason}")]
    Permanent { reason: String },
}

impl GenerateError {
    pub fn retryable(reason: impl Into<String>) -> Self {
        Self::Retryable {
            reason: reason.into(),
            retry_after: None,
        }
    }

    pub fn permanent(reason: impl Into<String>) -> Self {
        Self::Permanent {
            reason: reason.into(),
        }
    }

    pub fn is_retryable(&self) -> bool {
        matches!(self, Self::Retryable { .. })
    }

    /// The short reason alone, e.g. for the job's `error` field.
    pub fn reason(&self) -> &str {
        match self {
            Self::Retryable { reason, .. } | Self::Permanent { reason } => reason,
        }
    }

    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Retryable { retry_after, .. } => *retry_after,
            Self::Permanent { .. } => None,
        }
    }
}
