//! The transactional outbox: an event is an item written in the same transaction as the change
//! it describes. The table's stream carries it to the relay, which publishes it to EventBridge,
//! so an event exists exactly when its change committed.

use chrono::{Duration, Utc};
use fountain_events::EventEnvelope;
use serde::{Deserialize, Serialize};

use crate::codec::{Item, from_item, to_item};
use crate::error::StoreError;
use crate::keys;

/// The `kind` attribute that marks outbox items (the stream filter matches it).
pub const OUTBOX_KIND: &str = "outbox";
/// How long an outbox item stays after it was written (TTL); the stream keeps it 24 hours.
const RETENTION_DAYS: i64 = 2;

/// An outbox item: the serialized envelope plus what the stream filter and TTL need.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OutboxRecord {
    pub pk: String,
    pub sk: String,
    pub kind: String,
    pub event_type: String,
    pub envelope: String,
    pub expires_at: i64,
}

impl OutboxRecord {
    pub fn new(envelope: &EventEnvelope) -> Result<Self, StoreError> {
        Ok(Self {
            pk: keys::outbox(&envelope.id),
            sk: keys::OUTBOX_SK.to_owned(),
            kind: OUTBOX_KIND.to_owned(),
            event_type: envelope.event_type.clone(),
            envelope: envelope
                .to_json()
                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
            expires_at: (Utc::now() + Duration::days(RETENTION_DAYS)).timestamp(),
        })
    }

    pub fn to_item(&self) -> Result<Item, StoreError> {
        to_item(self)
    }

    /// Reads an outbox record back from a stream image; `None` when the item is no outbox item.
    pub fn from_image(item: Item) -> Option<Result<Self, StoreError>> {
        let is_outbox = matches!(item.get("kind"), Some(aws_sdk_dynamodb::types::AttributeValue::S(kind)) if kind == OUTBOX_KIND);
        is_outbox.then(|| from_item(item))
    }

    pub fn envelope(&self) -> Result<EventEnvelope, StoreError> {
        EventEnvelope::from_json(&self.envelope).map_err(|e| StoreError::Corrupt(e.to_string()))
    }
}
