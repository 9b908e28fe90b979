//! The outbox relay: DynamoDB stream -> EventBridge. Publishes the outbox items of a stream
//! batch in order, ten per PutEvents call. When a call fails, it reports the first record not
//! published as the batch item failure, so Lambda retries from there: no event is lost, and
//! an event can only exist for a change that committed (it is part of the change's transaction).
//! A retry may publish an event twice; consumers deduplicate by event id. Each published
//! event's outbox item is marked published (it leaves the pending index), so the reconciler
//! can re-publish the ones a relay never got to within the stream's 24 hours.

use std::collections::HashMap;

use aws_lambda_events::event::dynamodb::Event as StreamEvent;
use aws_lambda_events::event::streams::{DynamoDbBatchItemFailure, DynamoDbEventResponse};
use aws_sdk_eventbridge::primitives::DateTime;
use aws_sdk_eventbridge::types::PutEventsRequestEntry;
use fountain_events::EventEnvelope;
use fountain_runtime::metrics::{self, Metrics};
use fountain_store::{AttributeValue, OutboxRecord};
use tracing::{error, info, warn};

use crate::RelayDeps;

/// EventBridge takes at most ten entries per PutEvents call.
pub const MAX_ENTRIES_PER_CALL: usize = 10;

/// An outbox event ready to publish: the sequence number of its stream record, the envelope,
/// and the envelope's JSON exactly as it was committed.
struct Pending {
    sequence: String,
    envelope: EventEnvelope,
    json: String,
}

/// The outbox events of a stream batch, in stream order.
fn outbox_events(event: StreamEvent) -> Vec<Pending> {
    let mut events = Vec::new();
    for record in event.records {
        if record.event_name != "INSERT" {
            continue;
        }
        let sequence = record.change.sequence_number.clone().unwrap_or_default();
        let image: HashMap<String, AttributeValue> = record.change.new_image.into();
        let record = OutboxRecord::from_image(image)
            .map(|r| r.and_then(|r| Ok((r.envelope()?, r.envelope))));
        match record {
            None => {}
            Some(Ok((envelope, json))) => events.push(Pending {
                sequence,
                envelope,
                json,
            }),
            // A malformed outbox item can never be published; retrying would block the shard.
            Some(Err(e)) => error!(sequence, error = %e, "malformed outbox item skipped"),
        }
    }
    events
}

fn entry(bus_name: &str, pending: &Pending) -> PutEventsRequestEntry {
    bus_entry(bus_name, &pending.envelope, &pending.json)
}

/// The PutEvents entry of an event: its source, its type as the detail type, the envelope
/// as the detail, and its time.
pub fn bus_entry(bus_name: &str, envelope: &EventEnvelope, json: &str) -> PutEventsRequestEntry {
    PutEventsRequestEntry::builder()
        .event_bus_name(bus_name)
        .source(&envelope.source)
        .detail_type(&envelope.event_type)
        .detail(json)
        .time(DateTime::from_millis(envelope.time.timestamp_millis()))
        .build()
}

/// Marks `published` events published; a failure only means the reconciler publishes them
/// again later (consumers deduplicate), so it is logged, not retried.
pub async fn mark_published(table: &fountain_store::Table, published: &[&EventEnvelope]) {
    let marks = published
        .iter()
        .map(|envelope| fountain_store::outbox::mark_published(table, &envelope.id));
    for (envelope, outcome) in published.iter().zip(futures::future::join_all(marks).await) {
        if let Err(e) = outcome {
            warn!(event_id = envelope.id, error = %e, "published but not marked; it may be published again");
        }
    }
}

fn failure_at(sequence: &str) -> DynamoDbEventResponse {
    let mut failure = DynamoDbBatchItemFailure::default();
    failure.item_identifier = Some(sequence.to_owned());
    let mut response = DynamoDbEventResponse::default();
    response.batch_item_failures.push(failure);
    response
}

/// Publishes the batch's outbox events; reports where to resume when a publish fails.
pub async fn relay(deps: &RelayDeps, event: StreamEvent) -> DynamoDbEventResponse {
    let events = outbox_events(event);
    let mut metrics = Metrics::new("relay");
    let mut published = 0usize;
    let mut response = DynamoDbEventResponse::default();
    for chunk in events.chunks(MAX_ENTRIES_PER_CALL) {
        let entries = chunk
            .iter()
            .map(|pending| entry(&deps.bus_name, pending))
            .collect();
        let outcome = deps
            .events
            .put_events()
            .set_entries(Some(entries))
            .send()
            .await;
        let first_failed = match outcome {
            Err(e) => {
                warn!(error = ?e, "PutEvents failed; the batch will be retried from here");
                Some(0)
            }
            Ok(output) => output
                .entries()
                .iter()
                .position(|entry| entry.error_code().is_some())
                .or((output.failed_entry_count() > 0).then_some(0)),
        };
        let sent = first_failed.unwrap_or(chunk.len());
        let envelopes: Vec<&EventEnvelope> = chunk[..sent].iter().map(|p| &p.envelope).collect();
        mark_published(&deps.table, &envelopes).await;
        if let Some(index) = first_failed {
            published += index;
            response = failure_at(&chunk[index].sequence);
            break;
        }
        published += chunk.len();
    }
    info!(published, total = events.len(), "outbox events relayed");
    metrics.record(metrics::EVENTS_PUBLISHED, published as f64);
    metrics.record(metrics::EVENTS_PENDING, (events.len() - published) as f64);
    metrics.flush();
    response
}
