//! The consumer kit: an SQS batch of EventBridge events (rule -> queue -> function) becomes
//! one typed handler call per event, deduplicated by event id, with partial batch failures so
//! only the failed messages are retried and, after the queue's maxReceiveCount, dead-lettered.

use std::future::Future;

use aws_lambda_events::event::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent, SqsMessage};
use fountain_events::EventEnvelope;
use serde::Deserialize;
use tracing::{Instrument, error, info, info_span, warn};

use crate::config::{ConfigError, Env};
use crate::idempotency::{Claim, Idempotency};

/// What a consumer of the application table needs: the table (`TABLE_NAME`) and the
/// claims that deduplicate its events, under the consumer's name.
#[derive(Debug, Clone)]
pub struct ConsumerDeps {
    pub table: fountain_store::Table,
    pub idempotency: Idempotency,
}

impl ConsumerDeps {
    /// `lease`: how long a claim holds before another delivery may take the event over
    /// (longer than the consumer's handling of one event).
    pub fn load(
        env: &Env,
        sdk: &aws_config::SdkConfig,
        consumer: &str,
        lease: chrono::Duration,
    ) -> Result<Self, ConfigError> {
        let table = fountain_store::Table::new(
            aws_sdk_dynamodb::Client::new(sdk),
            env.required("TABLE_NAME")?,
        );
        Ok(Self {
            idempotency: Idempotency::new(table.clone(), consumer, lease),
            table,
        })
    }
}

/// Why an event could not be handled; the message is retried and may end in the DLQ.
#[derive(Debug, thiserror::Error)]
pub enum ConsumerError {
    #[error("message is not an EventBridge event with an envelope: {0}")]
    Poison(String),
    #[error("handler failed: {0}")]
    Handler(String),
    #[error("idempotency store failed: {0}")]
    Idempotency(#[from] fountain_store::StoreError),
    #[error("event {0} is being handled by another invocation")]
    Busy(String),
}

/// The part of an EventBridge event the consumers read (delivered events may lack fields
/// such as `account`, so nothing else is required).
#[derive(Debug, Deserialize)]
struct BusEvent {
    detail: EventEnvelope,
}

/// Parses the envelope out of an SQS message delivered by an EventBridge rule.
pub fn envelope_of(message: &SqsMessage) -> Result<EventEnvelope, ConsumerError> {
    let body = message
        .body
        .as_deref()
        .ok_or_else(|| ConsumerError::Poison("empty body".into()))?;
    serde_json::from_str::<BusEvent>(body)
        .map(|event| event.detail)
        .map_err(|e| ConsumerError::Poison(e.to_string()))
}

/// Handles every message of the batch in order and reports the ones that failed.
pub async fn process_batch<H, F, E>(
    event: SqsEvent,
    idempotency: &Idempotency,
    handler: H,
) -> SqsBatchResponse
where
    H: Fn(EventEnvelope) -> F,
    F: Future<Output = Result<(), E>>,
    E: std::fmt::Display,
{
    let mut response = SqsBatchResponse::default();
    for message in event.records {
        let message_id = message.message_id.clone().unwrap_or_default();
        // Boxed: the nested SDK futures are otherwise too deep for the compiler's layout queries.
        let outcome = Box::pin(process_one(&message, idempotency, &handler)).await;
        if let Err(failure) = outcome {
            error!(message_id, error = %failure, "event not handled; it will be retried");
            let mut item = BatchItemFailure::default();
            item.item_identifier = message_id;
            response.batch_item_failures.push(item);
        }
    }
    response
}

/// [`process_batch`] without claims, for a handler whose own writes are idempotent (a
/// conditional put of the event by its id, an epoch moved on: a duplicate delivery changes
/// nothing, or only causes one more rebuild). Saves the claim's two writes per event.
pub async fn process_each<H, F, E>(event: SqsEvent, handler: H) -> SqsBatchResponse
where
    H: Fn(EventEnvelope) -> F,
    F: Future<Output = Result<(), E>>,
    E: std::fmt::Display,
{
    let mut response = SqsBatchResponse::default();
    for message in event.records {
        let message_id = message.message_id.clone().unwrap_or_default();
        let outcome = match envelope_of(&message) {
            Ok(envelope) => {
                let span = info_span!(
                    "event",
                    event_id = %envelope.id,
                    event_type = %envelope.event_type,
                    correlation_id = %envelope.correlation_id,
                );
                // Boxed, as in process_batch, so the handler's future does not nest into
                // every binary's main future.
                Box::pin(handler(envelope).instrument(span))
                    .await
                    .map_err(|e| ConsumerError::Handler(e.to_string()))
            }
            Err(poison) => Err(poison),
        };
        if let Err(failure) = outcome {
            error!(message_id, error = %failure, "event not handled; it will be retried");
            let mut item = BatchItemFailure::default();
            item.item_identifier = message_id;
            response.batch_item_failures.push(item);
        }
    }
    response
}

async fn process_one<H, F, E>(
    message: &SqsMessage,
    idempotency: &Idempotency,
    handler: &H,
) -> Result<(), ConsumerError>
where
    H: Fn(EventEnvelope) -> F,
    F: Future<Output = Result<(), E>>,
    E: std::fmt::Display,
{
    let envelope = envelope_of(message)?;
    let event_id = envelope.id.clone();
    let span = info_span!(
        "event",
        event_id = %event_id,
        event_type = %envelope.event_type,
        correlation_id = %envelope.correlation_id,
    );
    async {
        match idempotency.claim(&event_id).await? {
            Claim::AlreadyDone => {
                info!("duplicate delivery skipped");
                return Ok(());
            }
            Claim::Busy => return Err(ConsumerError::Busy(event_id.clone())),
            Claim::Acquired => {}
        }
        match handler(envelope).await {
            Ok(()) => {
                idempotency.complete(&event_id).await?;
                info!("event handled");
                Ok(())
            }
            Err(failure) => {
                if let Err(release) = idempotency.release(&event_id).await {
                    warn!(error = %release, "claim not released; it expires with its lease");
                }
                Err(ConsumerError::Handler(failure.to_string()))
            }
        }
    }
    .instrument(span)
    .await
}
