//! The live event monitor (`GET /admin/events/stream`): Server-Sent Events, served as a long
//! poll. Each response waits until events matching the filters are stored (or `wait`
//! seconds pass), sends them as `text/event-stream` frames and ends; a client
//! (`EventSource`, `curl` in a loop) reconnects at once with `Last-Event-ID`, the id of the
//! last frame, and gets what came after. API Gateway's HTTP API buffers responses, so a
//! stream that never ends could not reach the client; one that ends on the first events
//! reaches it within the poll interval.
//!
//! Events are read from the event store's time index (hour partitions, sorted by event
//! time). Each response also re-reads the last two seconds before its start, so an event
//! stored a little after a later one is still sent; across a reconnect, an event stored
//! more than that late is not (the monitor is for watching; `GET /events` is the record).

use std::collections::HashSet;
use std::time::{Duration, Instant};

use chrono::{DateTime, SecondsFormat, Utc};
use fountain_events::EventEnvelope;
use fountain_http::{Access, ApiError, Body, Problem, Request, Response, query_param, serve};
use fountain_store::{ItemCodec, StoreError, Table, keys, s};
use utoipa::IntoParams;

use crate::QueryDeps;
use crate::record::StoredEvent;

/// How often a waiting response looks for new events.
pub const POLL: Duration = Duration::from_millis(200);
/// The longest a response waits (the function's timeout is 25 s, API Gateway's 30 s).
pub const MAX_WAIT_SECONDS: u64 = 20;
/// How far before its start a response looks, for events stored late.
const OVERLAP: chrono::Duration = chrono::Duration::seconds(2);

/// What to watch.
#[derive(Debug, Clone, Default, IntoParams)]
#[into_params(parameter_in = Query, rename_all = "camelCase")]
pub struct Filters {
    /// Event types, comma-separated (default: all).
    #[param(value_type = Option<String>)]
    pub types: Option<HashSet<String>>,
    #[param(value_type = Option<String>)]
    pub aggregate_id: Option<String>,
    #[param(value_type = Option<String>)]
    pub correlation_id: Option<String>,
    /// The user who caused the events (the envelope's `actor`).
    #[param(value_type = Option<String>)]
    pub user: Option<String>,
    /// Seconds to wait for a first event, 0-20 (default 20).
    #[param(value_type = Option<u64>, minimum = 0, maximum = 20)]
    pub wait: u64,
}

impl Filters {
    fn from_request(req: &Request) -> Result<Self, ApiError> {
        let types = match query_param(req, "types") {
            None => None,
            Some(list) => {
                let known: HashSet<&str> = fountain_events::catalog::specs()
                    .iter()
                    .map(|spec| spec.event_type)
                    .collect();
                let types: HashSet<String> = list
                    .split(',')
                    .map(|t| t.trim().to_owned())
                    .filter(|t| !t.is_empty())
                    .collect();
                if let Some(unknown) = types.iter().find(|t| !known.contains(t.as_str())) {
                    return Err(ApiError::field(
                        "types",
                        format!("{unknown} is not an event type of the catalog"),
                    ));
                }
                Some(types)
            }
        };
        let wait = match query_param(req, "wait") {
            None => MAX_WAIT_SECONDS,
            Some(text) => text
                .parse::<u64>()
                .ok()
                .filter(|w| *w <= MAX_WAIT_SECONDS)
                .ok_or_else(|| {
                    ApiError::field("wait", format!("0 to {MAX_WAIT_SECONDS} seconds"))
                })?,
        };
        Ok(Self {
            types,
            aggregate_id: query_param(req, "aggregateId"),
            correlation_id: query_param(req, "correlationId"),
            user: query_param(req, "user"),
            wait,
        })
    }

    fn matches(&self, event: &EventEnvelope) -> bool {
        self.types
            .as_ref()
            .is_none_or(|types| types.contains(&event.event_type))
            && self
                .aggregate_id
                .as_ref()
                .is_none_or(|id| *id == event.aggregate_id)
            && self
                .correlation_id
                .as_ref()
                .is_none_or(|id| *id == event.correlation_id)
            && self
                .user
                .as_ref()
                .is_none_or(|user| event.actor.as_deref() == Some(user.as_str()))
    }
}

/// Where a stream continues: after the event whose time-index key is this.
fn cursor_of(req: &Request) -> Result<Option<(DateTime<Utc>, String)>, ApiError> {
    let Some(raw) = req
        .headers()
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| query_param(req, "lastEventId"))
    else {
        return Ok(None);
    };
    let bad = || ApiError::BadRequest("Last-Event-ID is not an id this stream sent".into());
    let (time, _) = raw.split_once('#').ok_or_else(bad)?;
    let time = DateTime::parse_from_rfc3339(time)
        .map_err(|_| bad())?
        .with_timezone(&Utc);
    Ok(Some((time, raw)))
}

/// Watches stored events as they happen: Server-Sent Events, one response per batch (admin).
#[utoipa::path(get, path = "/admin/events/stream", tag = "events", operation_id = "stream_events",
    params(Filters,
        ("Last-Event-ID" = Option<String>, Header, description = "The id of the last event received: the stream continues after it"),
        ("lastEventId" = Option<String>, Query, description = "The same, for clients that cannot set the header")),
    responses((status = 200, content_type = "text/event-stream", body = String,
            description = "`id`, `event` (the type) and `data` (the envelope) per event; a comment when none came within `wait`"),
        (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn stream_events(deps: &QueryDeps, req: Request) -> Response<Body> {
    serve(Access::Admin, req, |_ctx, req| async move {
        let filters = Filters::from_request(&req)?;
        let started = Utc::now();
        let after = cursor_of(&req)?;
        let from = after.as_ref().map_or(started, |(time, _)| *time) - OVERLAP;
        let after_key = after.map(|(_, key)| key);
        let deadline = Instant::now() + Duration::from_secs(filters.wait);
        let events = loop {
            let found = since(&deps.table, from, after_key.as_deref(), &filters).await?;
            if !found.is_empty() || Instant::now() >= deadline {
                break found;
            }
            tokio::time::sleep(POLL).await;
        };
        let mut body = String::from("retry: 100\n\n");
        if events.is_empty() {
            body.push_str(": no events yet\n\n");
        }
        for event in &events {
            body.push_str(&format!(
                "id: {}\nevent: {}\ndata: {}\n\n",
                StoredEvent::time_key(event),
                event.event_type,
                event
                    .to_json()
                    .map_err(|e| ApiError::Internal(e.to_string()))?
            ));
        }
        Response::builder()
            .status(200)
            .header(http::header::CONTENT_TYPE, "text/event-stream")
            .header(http::header::CACHE_CONTROL, "no-store")
            .body(Body::Text(body))
            .map_err(|e| ApiError::Internal(e.to_string()))
    })
    .await
}

/// The stored events from `from` on (after `after`, when given) that match, oldest first.
async fn since(
    table: &Table,
    from: DateTime<Utc>,
    after: Option<&str>,
    filters: &Filters,
) -> Result<Vec<EventEnvelope>, StoreError> {
    let low = keys::pending_event(&from.to_rfc3339_opts(SecondsFormat::Millis, true), "");
    let low = match after {
        Some(after) if after > low.as_str() => after.to_owned(),
        _ => low,
    };
    let mut hour = from;
    let now = Utc::now();
    let mut events = Vec::new();
    // The hours from `from` to now: one partition each, usually one or two.
    while hour <= now + chrono::Duration::hours(1) {
        let query = table
            .client
            .query()
            .table_name(&table.name)
            .index_name("gsi3")
            .key_condition_expression("gsi3pk = :hour AND gsi3sk > :low")
            .expression_attribute_values(":hour", s(StoredEvent::hour_partition(&hour)))
            .expression_attribute_values(":low", s(&low));
        for item in table.query_all(query).await? {
            let StoredEvent(event) = StoredEvent::from_item(item)?;
            if filters.matches(&event) {
                events.push(event);
            }
        }
        if hour > now {
            break;
        }
        hour += chrono::Duration::hours(1);
    }
    Ok(events)
}
