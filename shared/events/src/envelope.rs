//! The envelope every domain event travels in, on the outbox, the bus and in the event store.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain_event::DomainEvent;
use crate::ids::new_id;

/// Who caused an event and which request or event it belongs to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventContext {
    pub actor: Option<String>,
    pub correlation_id: String,
    pub causation_id: Option<String>,
}

impl EventContext {
    /// The context for an event caused by handling `cause`: same actor and correlation.
    pub fn caused_by(cause: &EventEnvelope) -> Self {
        Self {
            actor: cause.actor.clone(),
            correlation_id: cause.correlation_id.clone(),
            causation_id: Some(cause.id.clone()),
        }
    }
}

/// A domain event: metadata plus the event's own data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EventEnvelope {
    /// ULID, unique per event; consumers deduplicate by it.
    pub id: String,
    /// The event type, e.g. `ScriptCreated`.
    #[serde(rename = "type")]
    pub event_type: String,
    /// Schema version of `data`.
    pub version: u32,
    /// `fountain.<context>`, also the EventBridge source.
    pub source: String,
    #[schema(value_type = String, format = DateTime)]
    pub time: DateTime<Utc>,
    pub aggregate_type: String,
    pub aggregate_id: String,
    /// The user whose request caused the event.
    pub actor: Option<String>,
    pub correlation_id: String,
    /// The id of the event that caused this one, if any.
    pub causation_id: Option<String>,
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
    /// Set on an event published again by a replay (`POST /admin/replays`): the replay's id.
    /// Consumers deduplicate by `id`, so a replayed event has no second effect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replay: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("unknown event type {event_type} version {version}")]
    UnknownType { event_type: String, version: u32 },
    #[error("malformed {event_type} data: {source}")]
    MalformedData {
        event_type: String,
        source: serde_json::Error,
    },
    #[error("malformed envelope: {0}")]
    MalformedEnvelope(#[from] serde_json::Error),
}

impl EventEnvelope {
    /// Wraps a typed event with fresh id and time.
    pub fn new<E: DomainEvent>(
        event: &E,
        context: &EventContext,
    ) -> Result<Self, serde_json::Error> {
        Ok(Self {
            id: new_id(),
            event_type: E::TYPE.to_owned(),
            version: E::VERSION,
            source: E::SOURCE.to_owned(),
            time: Utc::now(),
            aggregate_type: E::AGGREGATE_TYPE.to_owned(),
            aggregate_id: event.aggregate_id().to_owned(),
            actor: context.actor.clone(),
            correlation_id: context.correlation_id.clone(),
            causation_id: context.causation_id.clone(),
            data: serde_json::to_value(event)?,
            replay: None,
        })
    }

    /// The typed data of this event, when it is of type `E` (any readable version).
    pub fn data_as<E: DomainEvent>(&self) -> Result<E, DecodeError> {
        if self.event_type != E::TYPE {
            return Err(DecodeError::UnknownType {
                event_type: self.event_type.clone(),
                version: self.version,
            });
        }
        let data =
            E::upcast(self.version, self.data.clone()).ok_or_else(|| DecodeError::UnknownType {
                event_type: self.event_type.clone(),
                version: self.version,
            })?;
        serde_json::from_value(data).map_err(|source| DecodeError::MalformedData {
            event_type: self.event_type.clone(),
            source,
        })
    }

    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string(self)
    }

    pub fn from_json(json: &str) -> Result<Self, DecodeError> {
        Ok(serde_json::from_str(json)?)
    }

    /// RFC 3339 time with milliseconds, as EventBridge and the event store show it.
    pub fn time_rfc3339(&self) -> String {
        self.time.to_rfc3339_opts(SecondsFormat::Millis, true)
    }
}
