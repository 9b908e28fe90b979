//! The stack's dead-letter queues and what an operator does with their messages.

use std::collections::HashMap;

use aws_sdk_sqs::types::{
    DeleteMessageBatchRequestEntry, Message, MessageSystemAttributeName, QueueAttributeName,
};
use chrono::{DateTime, Utc};
use fountain_http::ApiError;
use fountain_runtime::{ConfigError, Env};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How many messages one redrive moves at most (the rest wait for the next call).
pub const MAX_REDRIVE: usize = 100;
/// How long a message received to be moved or deleted stays invisible meanwhile.
const HANDLING_SECONDS: i32 = 30;

#[derive(Debug, Clone)]
pub struct DeadLetterDeps {
    pub sqs: aws_sdk_sqs::Client,
    /// `<stack name>-`: every queue of the stack starts with it.
    pub queue_prefix: String,
}

impl DeadLetterDeps {
    /// `QUEUE_NAME_PREFIX`: the stack's name.
    pub fn load(env: &Env, sdk: &aws_config::SdkConfig) -> Result<Self, ConfigError> {
        Ok(Self {
            sqs: aws_sdk_sqs::Client::new(sdk),
            queue_prefix: format!("{}-", env.required("QUEUE_NAME_PREFIX")?),
        })
    }
}

/// A dead-letter queue and the queue whose failed messages it keeps.
#[derive(Debug, Clone)]
pub struct DeadLetterQueue {
    pub name: String,
    pub url: String,
    pub source_name: String,
    pub source_url: String,
    pub messages: u64,
}

fn sqs_error<E: std::fmt::Debug>(e: E) -> ApiError {
    ApiError::Unavailable(format!("SQS: {e:?}"))
}

fn name_of(url: &str) -> &str {
    url.rsplit('/').next().unwrap_or(url)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RedrivePolicy {
    dead_letter_target_arn: String,
}

/// Every dead-letter queue of the stack, by name.
pub async fn dead_letter_queues(deps: &DeadLetterDeps) -> Result<Vec<DeadLetterQueue>, ApiError> {
    let mut urls = Vec::new();
    let mut next = None;
    loop {
        let page = deps
            .sqs
            .list_queues()
            .queue_name_prefix(&deps.queue_prefix)
            .max_results(1000)
            .set_next_token(next)
            .send()
            .await
            .map_err(sqs_error)?;
        urls.extend(page.queue_urls.unwrap_or_default());
        next = page.next_token;
        if next.is_none() {
            break;
        }
    }
    let mut by_arn: HashMap<String, (String, HashMap<QueueAttributeName, String>)> = HashMap::new();
    for url in urls {
        let attributes = deps
            .sqs
            .get_queue_attributes()
            .queue_url(&url)
            .attribute_names(QueueAttributeName::QueueArn)
            .attribute_names(QueueAttributeName::RedrivePolicy)
            .attribute_names(QueueAttributeName::ApproximateNumberOfMessages)
            .send()
            .await
            .map_err(sqs_error)?
            .attributes
            .unwrap_or_default();
        if let Some(arn) = attributes.get(&QueueAttributeName::QueueArn).cloned() {
            by_arn.insert(arn, (url, attributes));
        }
    }
    let mut queues = Vec::new();
    for (source_url, attributes) in by_arn.values() {
        let Some(policy) = attributes.get(&QueueAttributeName::RedrivePolicy) else {
            continue;
        };
        let Ok(policy) = serde_json::from_str::<RedrivePolicy>(policy) else {
            continue;
        };
        let Some((url, dead)) = by_arn.get(&policy.dead_letter_target_arn) else {
            continue;
        };
        queues.push(DeadLetterQueue {
            name: name_of(url).to_owned(),
            url: url.clone(),
            source_name: name_of(source_url).to_owned(),
            source_url: source_url.clone(),
            messages: dead
                .get(&QueueAttributeName::ApproximateNumberOfMessages)
                .and_then(|n| n.parse().ok())
                .unwrap_or(0),
        });
    }
    queues.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(queues)
}

/// The dead-letter queue named `name`, or 404.
pub async fn dead_letter_queue(
    deps: &DeadLetterDeps,
    name: &str,
) -> Result<DeadLetterQueue, ApiError> {
    dead_letter_queues(deps)
        .await?
        .into_iter()
        .find(|q| q.name == name)
        .ok_or(ApiError::NotFound("dead-letter queue"))
}

/// A dead letter as an operator reads it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Peeked {
    pub message_id: String,
    /// The event's type, id and correlation id, when the body is one of our events.
    pub event_type: Option<String>,
    pub event_id: Option<String>,
    pub correlation_id: Option<String>,
    /// Deliveries so far (the consumer's, and peeks).
    pub receive_count: u32,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub sent_at: Option<DateTime<Utc>>,
    /// The body, when it is not an event of ours (up to 2,000 characters).
    pub body: Option<String>,
}

#[derive(Deserialize)]
struct BusEvent {
    detail: fountain_events::EventEnvelope,
}

fn attribute(message: &Message, name: MessageSystemAttributeName) -> Option<&String> {
    message.attributes().and_then(|a| a.get(&name))
}

pub fn peeked(message: &Message) -> Peeked {
    let body = message.body().unwrap_or_default();
    let event = serde_json::from_str::<BusEvent>(body)
        .ok()
        .map(|e| e.detail);
    Peeked {
        message_id: message.message_id().unwrap_or_default().to_owned(),
        event_type: event.as_ref().map(|e| e.event_type.clone()),
        event_id: event.as_ref().map(|e| e.id.clone()),
        correlation_id: event.as_ref().map(|e| e.correlation_id.clone()),
        receive_count: attribute(message, MessageSystemAttributeName::ApproximateReceiveCount)
            .and_then(|n| n.parse().ok())
            .unwrap_or(0),
        sent_at: attribute(message, MessageSystemAttributeName::SentTimestamp)
            .and_then(|ms| ms.parse().ok())
            .and_then(DateTime::from_timestamp_millis),
        body: event.is_none().then(|| body.chars().take(2_000).collect()),
    }
}

/// Up to ten messages, received with `visibility` seconds of invisibility (0: a peek).
pub async fn receive(
    deps: &DeadLetterDeps,
    queue: &DeadLetterQueue,
    visibility: i32,
) -> Result<Vec<Message>, ApiError> {
    Ok(deps
        .sqs
        .receive_message()
        .queue_url(&queue.url)
        .max_number_of_messages(10)
        .visibility_timeout(visibility)
        .wait_time_seconds(1)
        .message_system_attribute_names(MessageSystemAttributeName::All)
        .send()
        .await
        .map_err(sqs_error)?
        .messages
        .unwrap_or_default())
}

/// Moves `message` back to the queue it came from: sent there first, then deleted here, so
/// a failure in between leaves a copy in both (consumers deduplicate), never in neither.
pub async fn move_back(
    deps: &DeadLetterDeps,
    queue: &DeadLetterQueue,
    message: &Message,
) -> Result<(), ApiError> {
    send_to_source(deps, queue, message).await?;
    delete(deps, queue, message).await
}

/// A copy of `message` in the queue it failed in.
async fn send_to_source(
    deps: &DeadLetterDeps,
    queue: &DeadLetterQueue,
    message: &Message,
) -> Result<(), ApiError> {
    deps.sqs
        .send_message()
        .queue_url(&queue.source_url)
        .message_body(message.body().unwrap_or_default())
        .send()
        .await
        .map_err(sqs_error)?;
    Ok(())
}

pub async fn delete(
    deps: &DeadLetterDeps,
    queue: &DeadLetterQueue,
    message: &Message,
) -> Result<(), ApiError> {
    deps.sqs
        .delete_message()
        .queue_url(&queue.url)
        .receipt_handle(message.receipt_handle().unwrap_or_default())
        .send()
        .await
        .map_err(sqs_error)?;
    Ok(())
}

/// Makes messages received for nothing visible again at once.
pub async fn release(deps: &DeadLetterDeps, queue: &DeadLetterQueue, messages: &[Message]) {
    for message in messages {
        let _ = deps
            .sqs
            .change_message_visibility()
            .queue_url(&queue.url)
            .receipt_handle(message.receipt_handle().unwrap_or_default())
            .visibility_timeout(0)
            .send()
            .await;
    }
}

/// Receives batches until `message_id` is found (it is then returned, still invisible for
/// [`HANDLING_SECONDS`]); the others are released. `None` when it is not in the queue.
pub async fn find(
    deps: &DeadLetterDeps,
    queue: &DeadLetterQueue,
    message_id: &str,
) -> Result<Option<Message>, ApiError> {
    let mut passed = Vec::new();
    let mut found = None;
    // Every message is received once at most before the queue looks empty.
    for _ in 0..(queue.messages / 10 + 2) {
        let batch = receive(deps, queue, HANDLING_SECONDS).await?;
        if batch.is_empty() {
            break;
        }
        for message in batch {
            if found.is_none() && message.message_id() == Some(message_id) {
                found = Some(message);
            } else {
                passed.push(message);
            }
        }
        if found.is_some() {
            break;
        }
    }
    release(deps, queue, &passed).await;
    Ok(found)
}

/// Moves up to [`MAX_REDRIVE`] messages back to their source; returns how many moved.
pub async fn redrive_all(
    deps: &DeadLetterDeps,
    queue: &DeadLetterQueue,
) -> Result<usize, ApiError> {
    let mut moved = 0;
    while moved < MAX_REDRIVE {
        let batch = receive(deps, queue, HANDLING_SECONDS).await?;
        if batch.is_empty() {
            break;
        }
        for message in &batch {
            send_to_source(deps, queue, message).await?;
        }
        let entries: Vec<DeleteMessageBatchRequestEntry> = batch
            .iter()
            .enumerate()
            .filter_map(|(i, m)| {
                DeleteMessageBatchRequestEntry::builder()
                    .id(i.to_string())
                    .receipt_handle(m.receipt_handle().unwrap_or_default())
                    .build()
                    .ok()
            })
            .collect();
        deps.sqs
            .delete_message_batch()
            .queue_url(&queue.url)
            .set_entries(Some(entries))
            .send()
            .await
            .map_err(sqs_error)?;
        moved += batch.len();
    }
    Ok(moved)
}
