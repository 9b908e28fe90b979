//! The consumer kit: an SQS batch of EventBridge events (rule -> queue -> function) becomes
//! one typed handler call per event, deduplicated by event id, with partial batch failures so
//! only the failed messages are retried and, after the queue's maxReceiveCount, dead-lettered.

use std::future::Future;
use std::marker::PhantomData;

use aws_lambda_events::event::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent, SqsMessage};
use fountain_events::{Consumes, EventEnvelope, Events};
use serde::Deserialize;
use tracing::{Instrument, error, info, info_span, warn};

use crate::config::{ConfigError, Env};
use crate::idempotency::{Claim, Idempotency};
use crate::metrics::{self, Metrics};

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

/// One delivered event, decoded into what its consumer takes, with its envelope (ids,
/// actor, correlation) for the events the handler publishes in turn.
#[derive(Debug, Clone)]
pub struct Delivered<E> {
    pub event: E,
    pub envelope: EventEnvelope,
}

/// The event of `message` for a consumer of `E`: `None` when its type is not one `E` takes
/// (acknowledged and skipped: the rule should not have delivered it), a poison error when
/// it does not decode.
pub fn delivered<E: Consumes>(message: &SqsMessage) -> Result<Option<Delivered<E>>, ConsumerError> {
    let envelope = envelope_of(message)?;
    if !E::EVENTS.includes(&envelope.event_type) {
        warn!(
            event_type = envelope.event_type,
            "an event type this consumer does not take; skipped"
        );
        return Ok(None);
    }
    let event = E::decode(&envelope).map_err(|e| ConsumerError::Poison(e.to_string()))?;
    Ok(Some(Delivered { event, envelope }))
}

/// A whole SQS batch for a consumer of `E` that handles its batch itself (the generation
/// worker); it reads each message with [`delivered`].
#[derive(Debug, Clone)]
pub struct Batch<E> {
    pub event: SqsEvent,
    takes: PhantomData<fn() -> E>,
}

impl<E: Consumes> Batch<E> {
    pub fn new(event: SqsEvent) -> Self {
        Self {
            event,
            takes: PhantomData,
        }
    }
}

/// Whether a consumer claims each event before handling it (see [`process_batch`]) or
/// relies on its own writes being idempotent (see [`process_each`]).
pub trait Deduplication {
    fn claims(&self) -> Option<&Idempotency>;
}

impl Deduplication for ConsumerDeps {
    fn claims(&self) -> Option<&Idempotency> {
        Some(&self.idempotency)
    }
}

/// The SQS handler of an event-by-event consumer: each message of `event` decoded for
/// `handler`, claimed first when the consumer's dependencies hold claims.
pub async fn consume<D, E, H, F, Er>(
    deps: &'static D,
    event: SqsEvent,
    handler: H,
) -> SqsBatchResponse
where
    D: Deduplication + Sync,
    E: Consumes,
    H: Fn(&'static D, Delivered<E>) -> F,
    F: Future<Output = Result<(), Er>>,
    Er: std::fmt::Display,
{
    match deps.claims() {
        Some(claims) => process_batch(event, claims, |delivered| handler(deps, delivered)).await,
        None => process_each(event, |delivered| handler(deps, delivered)).await,
    }
}

/// The event types an event-by-event consumer's handler takes (for its registry entry).
/// `load` pins the dependencies' type, which a handler generic over them leaves open.
pub const fn events_of<D, E, H, F>(
    _handler: &H,
    _load: fn(&Env, &aws_config::SdkConfig) -> Result<D, ConfigError>,
) -> Events
where
    D: 'static,
    E: Consumes,
    H: Fn(&'static D, Delivered<E>) -> F,
{
    E::EVENTS
}

/// The event types a batch consumer's handler takes (for its registry entry).
/// `load` pins the dependencies' type, which a handler generic over them leaves open.
pub const fn batch_events_of<D, E, H, F>(
    _handler: &H,
    _load: fn(&Env, &aws_config::SdkConfig) -> Result<D, ConfigError>,
) -> Events
where
    D: 'static,
    E: Consumes,
    H: Fn(&'static D, Batch<E>) -> F,
{
    E::EVENTS
}

/// Handles every message of the batch in order and reports the ones that failed.
pub async fn process_batch<E, H, F, Er>(
    event: SqsEvent,
    idempotency: &Idempotency,
    handler: H,
) -> SqsBatchResponse
where
    E: Consumes,
    H: Fn(Delivered<E>) -> F,
    F: Future<Output = Result<(), Er>>,
    Er: std::fmt::Display,
{
    let mut response = SqsBatchResponse::default();
    for message in event.records {
        let message_id = message.message_id.clone().unwrap_or_default();
        let measured = Measured::start(&message);
        // Boxed: the nested SDK futures are otherwise too deep for the compiler's layout queries.
        let outcome = Box::pin(process_one(&message, idempotency, &handler)).await;
        measured.finish(outcome.is_ok());
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
pub async fn process_each<E, H, F, Er>(event: SqsEvent, handler: H) -> SqsBatchResponse
where
    E: Consumes,
    H: Fn(Delivered<E>) -> F,
    F: Future<Output = Result<(), Er>>,
    Er: std::fmt::Display,
{
    let mut response = SqsBatchResponse::default();
    for message in event.records {
        let message_id = message.message_id.clone().unwrap_or_default();
        let measured = Measured::start(&message);
        let outcome = match delivered::<E>(&message) {
            Ok(Some(delivered)) => {
                let span = event_span(&delivered.envelope);
                // Boxed, as in process_batch, so the handler's future does not nest into
                // every binary's main future.
                Box::pin(handler(delivered).instrument(span))
                    .await
                    .map_err(|e| ConsumerError::Handler(e.to_string()))
            }
            Ok(None) => Ok(()),
            Err(poison) => Err(poison),
        };
        measured.finish(outcome.is_ok());
        if let Err(failure) = outcome {
            error!(message_id, error = %failure, "event not handled; it will be retried");
            let mut item = BatchItemFailure::default();
            item.item_identifier = message_id;
            response.batch_item_failures.push(item);
        }
    }
    response
}

/// The metrics of one delivered message, per event type: processed or failed, how long its
/// handling took and how old the event was when it was handled.
pub struct Measured {
    event_type: String,
    age_ms: Option<f64>,
    started: std::time::Instant,
}

impl Measured {
    pub fn start(message: &SqsMessage) -> Self {
        let envelope = envelope_of(message).ok();
        let now = chrono::Utc::now();
        Self {
            event_type: envelope
                .as_ref()
                .map_or_else(|| "unreadable".to_owned(), |e| e.event_type.clone()),
            age_ms: envelope.map(|e| (now - e.time).num_milliseconds().max(0) as f64),
            started: std::time::Instant::now(),
        }
    }

    pub fn finish(self, handled: bool) {
        let mut metrics = Metrics::for_event(crate::invocation::current_name(), self.event_type);
        metrics.record(
            if handled {
                metrics::EVENTS_PROCESSED
            } else {
                metrics::EVENTS_FAILED
            },
            1.0,
        );
        metrics.record(
            metrics::EVENT_DURATION,
            self.started.elapsed().as_secs_f64() * 1000.0,
        );
        if let Some(age) = self.age_ms {
            metrics.record(metrics::EVENT_AGE, age);
        }
        metrics.flush();
    }
}

fn event_span(envelope: &EventEnvelope) -> tracing::Span {
    info_span!(
        "event",
        event_id = %envelope.id,
        event_type = %envelope.event_type,
        correlation_id = %envelope.correlation_id,
    )
}

async fn process_one<E, H, F, Er>(
    message: &SqsMessage,
    idempotency: &Idempotency,
    handler: &H,
) -> Result<(), ConsumerError>
where
    E: Consumes,
    H: Fn(Delivered<E>) -> F,
    F: Future<Output = Result<(), Er>>,
    Er: std::fmt::Display,
{
    let Some(delivered) = delivered::<E>(message)? else {
        return Ok(());
    };
    let event_id = delivered.envelope.id.clone();
    let span = event_span(&delivered.envelope);
    async {
        match idempotency.claim(&event_id).await? {
            Claim::AlreadyDone => {
                info!("duplicate delivery skipped");
                return Ok(());
            }
            Claim::Busy => return Err(ConsumerError::Busy(event_id.clone())),
            Claim::Acquired => {}
        }
        match handler(delivered).await {
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
