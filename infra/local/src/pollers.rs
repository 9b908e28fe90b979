//! Lambda's event source mappings, locally: long-poll each SQS queue and the table's stream,
//! invoke the subscribed function with the real Lambda payload, and honour its partial batch
//! failures. Failed SQS messages become visible again after a short backoff (in AWS: the
//! queue's visibility timeout), so retries and dead-lettering happen as they would in AWS,
//! only sooner.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use aws_config::SdkConfig;
use aws_lambda_events::event::dynamodb::Event as StreamEvent;
use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use aws_sdk_dynamodbstreams::types::ShardIteratorType;
use aws_sdk_sqs::types::{DeleteMessageBatchRequestEntry, Message, MessageSystemAttributeName};
use serde_json::{Value, json};
use tokio::sync::RwLock;
use tracing::warn;

use crate::functions::Invoker;
use crate::provision::Queue;

/// How long a failed message stays invisible before its retry.
pub const RETRY_BACKOFF_SECONDS: i32 = 1;
const IDLE: Duration = Duration::from_millis(100);
/// SQS's longest wait, which Lambda's event source mapping uses too.
const LONG_POLL_SECONDS: i32 = 20;

/// The most concurrent pollers of one queue (the ceiling of a mapping's concurrency).
pub const MAX_CONCURRENCY: u32 = 64;

/// Polls `queue` forever as the `index`-th of its concurrent pollers, invoking `function`
/// with batches of up to `batch_size` messages, while `concurrency` (the mapping's
/// `MaximumConcurrency`) is above `index`; below, it waits for a change.
pub async fn poll_queue(
    sdk: SdkConfig,
    queue: Queue,
    function: Invoker,
    batch_size: usize,
    index: u32,
    mut concurrency: tokio::sync::watch::Receiver<u32>,
) {
    let Invoker::Sqs(function) = function else {
        return;
    };
    let sqs = aws_sdk_sqs::Client::new(&sdk);
    let region = sdk.region().map(|r| r.to_string()).unwrap_or_default();
    loop {
        while index >= *concurrency.borrow_and_update() {
            if concurrency.changed().await.is_err() {
                return;
            }
        }
        let messages = match receive_waiting(&sqs, &queue, batch_size, LONG_POLL_SECONDS).await {
            Ok(messages) => messages,
            Err(e) => {
                warn!(queue = queue.name, error = ?e, "receive failed");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        if messages.is_empty() {
            continue;
        }
        let event = match sqs_event(&messages, &queue, &region) {
            Ok(event) => event,
            Err(e) => {
                warn!(error = %e, "could not build the SQS event");
                continue;
            }
        };
        let response = function(event).await;
        settle(&sqs, &queue, &messages, response).await;
    }
}

/// Up to `batch_size` messages of `queue` (waiting at most a second), with their system
/// attributes (`ApproximateReceiveCount`...), as Lambda's event source mapping receives them.
pub async fn receive(
    sqs: &aws_sdk_sqs::Client,
    queue: &Queue,
    batch_size: usize,
) -> Result<Vec<Message>, aws_sdk_sqs::Error> {
    receive_waiting(sqs, queue, batch_size, 1).await
}

/// [`receive`] with a long poll of `wait_seconds`, which answers as soon as a message arrives.
/// The pollers wait 20 s, as Lambda does, so an idle stack makes one call per queue every
/// 20 s instead of one a second.
async fn receive_waiting(
    sqs: &aws_sdk_sqs::Client,
    queue: &Queue,
    batch_size: usize,
    wait_seconds: i32,
) -> Result<Vec<Message>, aws_sdk_sqs::Error> {
    let output = sqs
        .receive_message()
        .queue_url(&queue.url)
        .max_number_of_messages(batch_size.clamp(1, 10) as i32)
        .wait_time_seconds(wait_seconds)
        .message_system_attribute_names(MessageSystemAttributeName::All)
        .send()
        .await?;
    Ok(output.messages.unwrap_or_default())
}

/// The Lambda SQS event of `messages`.
pub fn sqs_event(
    messages: &[Message],
    queue: &Queue,
    region: &str,
) -> Result<SqsEvent, serde_json::Error> {
    let records: Vec<Value> = messages
        .iter()
        .map(|m| {
            let attributes: serde_json::Map<String, Value> = m
                .attributes()
                .map(|a| {
                    a.iter()
                        .map(|(k, v)| (k.as_str().to_owned(), Value::String(v.clone())))
                        .collect()
                })
                .unwrap_or_default();
            json!({
                "messageId": m.message_id(),
                "receiptHandle": m.receipt_handle(),
                "body": m.body(),
                "attributes": attributes,
                "messageAttributes": {},
                "md5OfBody": m.md5_of_body(),
                "eventSource": "aws:sqs",
                "eventSourceARN": queue.arn,
                "awsRegion": region,
            })
        })
        .collect();
    serde_json::from_value(json!({ "Records": records }))
}

/// What Lambda does after an invocation: deletes the messages that did not fail and makes
/// the failed ones visible again after [`RETRY_BACKOFF_SECONDS`] (the visibility timeout in
/// AWS), so the queue's redrive policy dead-letters them after `maxReceiveCount`.
pub async fn settle(
    sqs: &aws_sdk_sqs::Client,
    queue: &Queue,
    messages: &[Message],
    response: SqsBatchResponse,
) {
    let failed: HashSet<String> = response
        .batch_item_failures
        .into_iter()
        .map(|f| f.item_identifier)
        .collect();
    let mut done = Vec::new();
    for message in messages {
        let id = message.message_id().unwrap_or_default();
        let handle = message.receipt_handle().unwrap_or_default();
        if failed.contains(id) {
            let _ = sqs
                .change_message_visibility()
                .queue_url(&queue.url)
                .receipt_handle(handle)
                .visibility_timeout(RETRY_BACKOFF_SECONDS)
                .send()
                .await;
        } else if let Ok(entry) = DeleteMessageBatchRequestEntry::builder()
            .id(id)
            .receipt_handle(handle)
            .build()
        {
            done.push(entry);
        }
    }
    if !done.is_empty()
        && let Err(e) = sqs
            .delete_message_batch()
            .queue_url(&queue.url)
            .set_entries(Some(done))
            .send()
            .await
    {
        warn!(queue = queue.name, error = ?e, "delete failed; messages will be redelivered");
    }
}

/// Where to read a shard next.
#[derive(Debug, Clone)]
enum Position {
    TrimHorizon,
    /// The iterator the last read handed out: the normal way along a shard.
    Iterator(String),
    /// A record to read again, after the function reported it failed.
    At(String),
    /// Past the last record handled: where a read starts again when its iterator failed.
    After(String),
}

/// One shard of the stream and how far along it the poller is.
struct Shard {
    id: String,
    position: Position,
    handled: Option<String>,
}

/// How often the shard list is described again: the emulator's stream has one shard for
/// the life of the table, so this only picks up a stream created after the runner started.
const DESCRIBE_EVERY: Duration = Duration::from_secs(10);

/// Follows the table's stream forever, invoking `function` with batches of records. Each
/// shard is read along its chain of iterators (one GetRecords call per poll); when the
/// function reports a failed record, the shard is read again from that record.
pub async fn poll_stream(
    sdk: SdkConfig,
    stream_arn: String,
    function: Invoker,
    batch_size: usize,
    gate: Arc<RwLock<()>>,
) {
    let Invoker::Stream(function) = function else {
        return;
    };
    let streams = aws_sdk_dynamodbstreams::Client::new(&sdk);
    let region = sdk.region().map(|r| r.to_string()).unwrap_or_default();
    let mut shards: Vec<Shard> = Vec::new();
    let mut described: Option<tokio::time::Instant> = None;
    loop {
        if described.is_none_or(|at| at.elapsed() >= DESCRIBE_EVERY) {
            for id in describe_shards(&streams, &stream_arn).await {
                if !shards.iter().any(|known| known.id == id) {
                    shards.push(Shard {
                        id,
                        position: Position::TrimHorizon,
                        handled: None,
                    });
                }
            }
            described = Some(tokio::time::Instant::now());
        }
        let mut any = false;
        // Held across a read and its invocation, so a test pausing the stream waits for the
        // batch in flight and then knows the relay is idle.
        let _open = gate.read().await;
        for shard in shards.iter_mut() {
            let Some(iterator) = iterator(&streams, &stream_arn, &shard.id, &shard.position).await
            else {
                continue;
            };
            let output = match streams
                .get_records()
                .shard_iterator(iterator)
                .limit(batch_size as i32)
                .send()
                .await
            {
                Ok(output) => output,
                Err(e) => {
                    // An expired or unknown iterator: take a new one past what was handled.
                    warn!(error = ?e, "get records failed");
                    shard.position = match &shard.handled {
                        Some(sequence) => Position::After(sequence.clone()),
                        None => Position::TrimHorizon,
                    };
                    continue;
                }
            };
            let records = output.records.unwrap_or_default();
            let next = output.next_shard_iterator.map(Position::Iterator);
            let sequence = |record: Option<&aws_sdk_dynamodbstreams::types::Record>| {
                record
                    .and_then(|r| r.dynamodb())
                    .and_then(|c| c.sequence_number())
                    .map(str::to_owned)
            };
            let (Some(first), Some(last)) = (sequence(records.first()), sequence(records.last()))
            else {
                if let Some(next) = next {
                    shard.position = next;
                }
                continue;
            };
            any = true;
            let payload: Vec<Value> = records
                .iter()
                .map(|r| stream_record(r, &stream_arn, &region))
                .collect();
            let event: StreamEvent = match serde_json::from_value(json!({ "Records": payload })) {
                Ok(event) => event,
                Err(e) => {
                    warn!(error = %e, "could not build the stream event; retrying");
                    shard.position = Position::At(first);
                    tokio::time::sleep(Duration::from_secs(RETRY_BACKOFF_SECONDS as u64)).await;
                    continue;
                }
            };
            let response = function(event).await;
            match response
                .batch_item_failures
                .first()
                .and_then(|f| f.item_identifier.clone())
            {
                None => {
                    shard.position = next.unwrap_or(Position::After(last.clone()));
                    shard.handled = Some(last);
                }
                Some(sequence) => {
                    shard.position = Position::At(sequence);
                    tokio::time::sleep(Duration::from_secs(RETRY_BACKOFF_SECONDS as u64)).await;
                }
            }
        }
        if !any {
            tokio::time::sleep(IDLE).await;
        }
    }
}

async fn describe_shards(
    streams: &aws_sdk_dynamodbstreams::Client,
    stream_arn: &str,
) -> Vec<String> {
    match streams
        .describe_stream()
        .stream_arn(stream_arn)
        .send()
        .await
    {
        Ok(description) => description
            .stream_description
            .and_then(|d| d.shards)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|shard| shard.shard_id)
            .collect(),
        Err(e) => {
            warn!(error = ?e, "describe stream failed");
            Vec::new()
        }
    }
}

/// The iterator to read `position` with: the one in hand, or a new one from the shard.
async fn iterator(
    streams: &aws_sdk_dynamodbstreams::Client,
    stream_arn: &str,
    shard_id: &str,
    position: &Position,
) -> Option<String> {
    let request = streams
        .get_shard_iterator()
        .stream_arn(stream_arn)
        .shard_id(shard_id);
    let request = match position {
        Position::Iterator(iterator) => return Some(iterator.clone()),
        Position::TrimHorizon => request.shard_iterator_type(ShardIteratorType::TrimHorizon),
        Position::At(sequence) => request
            .shard_iterator_type(ShardIteratorType::AtSequenceNumber)
            .sequence_number(sequence),
        Position::After(sequence) => request
            .shard_iterator_type(ShardIteratorType::AfterSequenceNumber)
            .sequence_number(sequence),
    };
    match request.send().await {
        Ok(output) => output.shard_iterator,
        Err(e) => {
            warn!(error = ?e, "get shard iterator failed");
            None
        }
    }
}

fn stream_record(
    record: &aws_sdk_dynamodbstreams::types::Record,
    stream_arn: &str,
    region: &str,
) -> Value {
    let change = record.dynamodb();
    let image = |image: Option<
        &std::collections::HashMap<String, aws_sdk_dynamodbstreams::types::AttributeValue>,
    >| {
        image
            .map(|i| serde_dynamo::Item::from(i.clone()))
            .and_then(|item| serde_json::to_value(item).ok())
            .unwrap_or_else(|| json!({}))
    };
    json!({
        "eventID": record.event_id(),
        "eventName": record.event_name().map(|n| n.as_str()),
        "eventVersion": record.event_version(),
        "eventSource": "aws:dynamodb",
        "awsRegion": region,
        "eventSourceARN": stream_arn,
        "dynamodb": {
            "ApproximateCreationDateTime": change.and_then(|c| c.approximate_creation_date_time()).map(|t| t.secs()).unwrap_or_default(),
            "Keys": image(change.and_then(|c| c.keys.as_ref())),
            "NewImage": image(change.and_then(|c| c.new_image.as_ref())),
            "SequenceNumber": change.and_then(|c| c.sequence_number()),
            "SizeBytes": change.and_then(|c| c.size_bytes()).unwrap_or_default(),
            "StreamViewType": change.and_then(|c| c.stream_view_type()).map(|v| v.as_str()),
        },
    })
}
