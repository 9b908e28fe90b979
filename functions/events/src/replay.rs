//! Replays from the event store (`POST /admin/replays`): the stored events of a time range
//! and of the given types are published again, marked with the replay's id, onto the bus
//! (every rule sees them) or into one queue of the stack (one consumer sees them). Consumers
//! deduplicate by event id, so a replay changes nothing a first delivery already did; a
//! consumer that never saw the events (a new one, or one whose queue was purged) gets them
//! once. Unlike the AWS archive, this works locally too.

use std::collections::BTreeSet;

use aws_sdk_sqs::types::SendMessageBatchRequestEntry;
use chrono::{DateTime, Duration, DurationRound, Utc};
use fountain_events::EventEnvelope;
use fountain_events::ids::new_id;
use fountain_http::text_schema::optional_text;
use fountain_http::{Access, ApiError, Body, Problem, Request, Response, json, json_body, serve};
use fountain_runtime::{ConfigError, Env};
use fountain_store::{ItemCodec, Table, keys, s};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::record::StoredEvent;
use crate::relay::{MAX_ENTRIES_PER_CALL, bus_entry};

/// The most events one replay publishes; a larger range is refused (split it).
pub const MAX_REPLAY_EVENTS: usize = 5_000;
/// How far back a replay may start: consumers keep their claims this long, so an older
/// event could have its effect twice.
pub const MAX_AGE_DAYS: i64 = 7;

#[derive(Debug, Clone)]
pub struct ReplayDeps {
    pub events: Table,
    pub bus: aws_sdk_eventbridge::Client,
    pub bus_name: String,
    pub sqs: aws_sdk_sqs::Client,
    /// `<stack name>-`: a target queue must be one of the stack's.
    pub queue_prefix: String,
}

impl ReplayDeps {
    /// `EVENT_STORE_TABLE_NAME`, `EVENT_BUS_NAME`, `QUEUE_NAME_PREFIX`.
    pub fn load(env: &Env, sdk: &aws_config::SdkConfig) -> Result<Self, ConfigError> {
        Ok(Self {
            events: Table::new(
                aws_sdk_dynamodb::Client::new(sdk),
                env.required("EVENT_STORE_TABLE_NAME")?,
            ),
            bus: aws_sdk_eventbridge::Client::new(sdk),
            bus_name: env.required("EVENT_BUS_NAME")?,
            sqs: aws_sdk_sqs::Client::new(sdk),
            queue_prefix: format!("{}-", env.required("QUEUE_NAME_PREFIX")?),
        })
    }
}

/// `POST /admin/replays`
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReplayRequest {
    /// From this time (inclusive), at most 7 days ago.
    #[schema(value_type = String, format = DateTime)]
    pub from: DateTime<Utc>,
    /// To this time (exclusive), after `from`.
    #[schema(value_type = String, format = DateTime)]
    pub to: DateTime<Utc>,
    /// The event types to replay (at least one, each of the catalog).
    #[schema(schema_with = event_types)]
    pub types: Vec<String>,
    /// One queue of the stack (its name) to deliver to instead of the bus.
    #[schema(schema_with = optional_text::<80>)]
    pub target_queue: Option<String>,
}

/// At least one type of the catalog.
fn event_types() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
    let types: Vec<&str> = fountain_events::catalog::specs()
        .iter()
        .map(|spec| spec.event_type)
        .collect();
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(types)),
        )
        .min_items(Some(1))
        .build()
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Replay {
    /// Set as `replay` on every event published again.
    pub replay_id: String,
    /// Events published again, oldest first.
    pub published: usize,
    /// `bus`, or the target queue's name.
    pub target: String,
}

/// Publishes the stored events of a time range and types again, marked as a replay.
#[utoipa::path(post, path = "/admin/replays", tag = "operations", operation_id = "replay_events",
    request_body = ReplayRequest,
    responses((status = 200, body = Replay), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 413, body = Problem), (status = 415, body = Problem),
        (status = 422, body = Problem, description = "A bad range, an unknown type or queue, or more than 5,000 events"),
        (status = 503, body = Problem)),
    security(("bearer" = [])))]
pub async fn replay_events(deps: &ReplayDeps, req: Request) -> Response<Body> {
    serve(Access::Admin, req, |_ctx, req| async move {
        let input: ReplayRequest = json_body(&req, 16 * 1024)?;
        let types = check(&input)?;
        let target_url = match &input.target_queue {
            Some(name) => Some(queue_url(deps, name).await?),
            None => None,
        };
        let mut events = stored_between(&deps.events, input.from, input.to, &types).await?;
        let replay_id = new_id();
        for event in &mut events {
            event.replay = Some(replay_id.clone());
        }
        match &target_url {
            Some(url) => deliver_to_queue(deps, url, &events).await?,
            None => publish_to_bus(deps, &events).await?,
        }
        json(
            200,
            &Replay {
                replay_id,
                published: events.len(),
                target: input.target_queue.unwrap_or_else(|| "bus".to_owned()),
            },
            None,
        )
    })
    .await
}

fn check(input: &ReplayRequest) -> Result<BTreeSet<String>, ApiError> {
    if input.to <= input.from {
        return Err(ApiError::field("to", "must be after from"));
    }
    if input.from < Utc::now() - Duration::days(MAX_AGE_DAYS) {
        return Err(ApiError::field(
            "from",
            format!(
                "must be within the last {MAX_AGE_DAYS} days (consumers keep their claims that long)"
            ),
        ));
    }
    if input.types.is_empty() {
        return Err(ApiError::field("types", "name at least one event type"));
    }
    let known: BTreeSet<&str> = fountain_events::catalog::specs()
        .iter()
        .map(|spec| spec.event_type)
        .collect();
    if let Some(unknown) = input.types.iter().find(|t| !known.contains(t.as_str())) {
        return Err(ApiError::field(
            "types",
            format!("{unknown} is not an event type of the catalog"),
        ));
    }
    Ok(input.types.iter().cloned().collect())
}

async fn queue_url(deps: &ReplayDeps, name: &str) -> Result<String, ApiError> {
    let unknown = || {
        ApiError::field(
            "targetQueue",
            format!("{name} is not a queue of this stack"),
        )
    };
    if !name.starts_with(&deps.queue_prefix) {
        return Err(unknown());
    }
    deps.sqs
        .get_queue_url()
        .queue_name(name)
        .send()
        .await
        .ok()
        .and_then(|output| output.queue_url)
        .ok_or_else(unknown)
}

/// The stored events of `types` in `[from, to)`, oldest first, read hour by hour.
async fn stored_between(
    table: &Table,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    types: &BTreeSet<String>,
) -> Result<Vec<EventEnvelope>, ApiError> {
    let low = from.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let high = to.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let mut hour = from
        .duration_trunc(Duration::hours(1))
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let mut events = Vec::new();
    while hour < to {
        let query = table
            .client
            .query()
            .table_name(&table.name)
            .index_name("gsi3")
            .key_condition_expression("gsi3pk = :hour AND gsi3sk BETWEEN :low AND :high")
            .expression_attribute_values(":hour", s(StoredEvent::hour_partition(&hour)))
            .expression_attribute_values(":low", s(keys::pending_event(&low, "")))
            .expression_attribute_values(":high", s(keys::pending_event(&high, "")));
        for item in table.query_all(query).await? {
            let StoredEvent(event) = StoredEvent::from_item(item)?;
            if types.contains(&event.event_type) && event.time >= from && event.time < to {
                events.push(event);
            }
            if events.len() > MAX_REPLAY_EVENTS {
                return Err(ApiError::field(
                    "to",
                    format!(
                        "more than {MAX_REPLAY_EVENTS} events; replay a shorter range at a time"
                    ),
                ));
            }
        }
        hour += Duration::hours(1);
    }
    Ok(events)
}

fn store_error(e: impl std::fmt::Debug) -> ApiError {
    ApiError::Unavailable(format!("{e:?}"))
}

async fn publish_to_bus(deps: &ReplayDeps, events: &[EventEnvelope]) -> Result<(), ApiError> {
    for chunk in events.chunks(MAX_ENTRIES_PER_CALL) {
        let mut entries = Vec::new();
        for event in chunk {
            let json = event
                .to_json()
                .map_err(|e| ApiError::Internal(e.to_string()))?;
            entries.push(bus_entry(&deps.bus_name, event, &json));
        }
        let output = deps
            .bus
            .put_events()
            .set_entries(Some(entries))
            .send()
            .await
            .map_err(store_error)?;
        if output.failed_entry_count() > 0 {
            return Err(ApiError::Unavailable(
                "the bus refused some replayed events; replay again (it is idempotent)".into(),
            ));
        }
    }
    Ok(())
}

/// Into one queue, each event as the EventBridge event a rule would deliver.
async fn deliver_to_queue(
    deps: &ReplayDeps,
    url: &str,
    events: &[EventEnvelope],
) -> Result<(), ApiError> {
    for chunk in events.chunks(10) {
        let mut entries = Vec::new();
        for (i, event) in chunk.iter().enumerate() {
            let body = json!({
                "version": "0",
                "id": new_id(),
                "detail-type": event.event_type,
                "source": event.source,
                "time": event.time_rfc3339(),
                "resources": [],
                "detail": event,
            });
            entries.push(
                SendMessageBatchRequestEntry::builder()
                    .id(i.to_string())
                    .message_body(body.to_string())
                    .build()
                    .map_err(|e| ApiError::Internal(e.to_string()))?,
            );
        }
        let output = deps
            .sqs
            .send_message_batch()
            .queue_url(url)
            .set_entries(Some(entries))
            .send()
            .await
            .map_err(store_error)?;
        if !output.failed.is_empty() {
            return Err(ApiError::Unavailable(
                "the queue refused some replayed events; replay again (it is idempotent)".into(),
            ));
        }
    }
    Ok(())
}
