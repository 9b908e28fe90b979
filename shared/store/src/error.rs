use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;

/// A failed DynamoDB call, classified so handlers can answer 409/412 rather than 500.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A condition failed: for a transaction, the indexes of the writes whose condition failed.
    #[error("condition failed (writes {failed:?})")]
    ConditionFailed { failed: Vec<usize> },
    /// Another transaction touched the same items at the same time; safe to retry.
    #[error("transaction conflict")]
    TransactionConflict,
    #[error("throttled: {0}")]
    Throttled(String),
    #[error("invalid request: {0}")]
    Invalid(String),
    #[error("stored item is malformed: {0}")]
    Corrupt(String),
    #[error("DynamoDB unavailable: {0}")]
    Unavailable(String),
}

impl StoreError {
    /// Classifies any SDK error by its service error code.
    pub fn from_sdk<E, R>(error: SdkError<E, R>) -> Self
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
        R: std::fmt::Debug,
    {
        match &error {
            SdkError::ServiceError(service) => {
                let inner = service.err();
                Self::from_code(inner.code(), inner.message().unwrap_or_default())
            }
            other => Self::Unavailable(format!("{other:?}")),
        }
    }

    /// Classifies a failed transaction, keeping which of its writes had a failed condition.
    pub fn from_transaction<R: std::fmt::Debug>(
        error: SdkError<TransactWriteItemsError, R>,
    ) -> Self {
        if let SdkError::ServiceError(service) = &error
            && let TransactWriteItemsError::TransactionCanceledException(cancelled) = service.err()
        {
            let reasons = cancelled.cancellation_reasons();
            let failed: Vec<usize> = reasons
                .iter()
                .enumerate()
                .filter(|(_, r)| r.code() == Some("ConditionalCheckFailed"))
                .map(|(i, _)| i)
                .collect();
            if !failed.is_empty() {
                return Self::ConditionFailed { failed };
            }
            if reasons
                .iter()
                .any(|r| r.code() == Some("TransactionConflict"))
            {
                return Self::TransactionConflict;
            }
            return Self::from_code(
                Some("TransactionCanceledException"),
                cancelled.message().unwrap_or_default(),
            );
        }
        Self::from_sdk(error)
    }

    fn from_code(code: Option<&str>, message: &str) -> Self {
        match code {
            Some("ConditionalCheckFailedException") => Self::ConditionFailed { failed: vec![0] },
            Some("TransactionConflictException") => Self::TransactionConflict,
            Some(
                "ProvisionedThroughputExceededException"
                | "ThrottlingException"
                | "RequestLimitExceeded",
            ) => Self::Throttled(message.to_owned()),
            Some("ValidationException") => Self::Invalid(message.to_owned()),
            other => Self::Unavailable(format!("{}: {message}", other.unwrap_or("unknown"))),
        }
    }

    /// True when the write at `index` of a transaction failed its condition.
    pub fn condition_failed_at(&self, index: usize) -> bool {
        matches!(self, Self::ConditionFailed { failed } if failed.contains(&index))
    }
}
