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
    /// The pending-events index (`OUTBOX_PENDING`, time then id), removed by the relay once
    /// it published the event: the reconciler re-publishes what stays pending too long.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gsi1pk: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gsi1sk: Option<String>,
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
            gsi1pk: Some(keys::OUTBOX_PENDING.to_owned()),
            gsi1sk: Some(keys::pending_event(&envelope.time_rfc3339(), &envelope.id)),
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

/// Records that the event `event_id` was published: it leaves the pending index. A second
/// call (a redelivered batch) changes nothing; an item already expired is not recreated.
pub async fn mark_published(table: &crate::Table, event_id: &str) -> Result<(), StoreError> {
    let written = table
        .client
        .update_item()
        .table_name(&table.name)
        .set_key(Some(crate::Table::key(
            keys::outbox(event_id),
            keys::OUTBOX_SK,
        )))
        .update_expression(
            "SET publishedAt = if_not_exists(publishedAt, :now) REMOVE gsi1pk, gsi1sk",
        )
        .condition_expression("attribute_exists(pk)")
        .expression_attribute_values(":now", crate::s(Utc::now().to_rfc3339()))
        .send()
        .await
        .map_err(StoreError::from_sdk);
    match written {
        Ok(_) | Err(StoreError::ConditionFailed) => Ok(()),
        Err(e) => Err(e),
    }
}

/// Outbox items still pending that were written before `before` (RFC 3339), oldest first.
pub async fn pending_before(
    table: &crate::Table,
    before: &str,
    limit: i32,
) -> Result<Vec<OutboxRecord>, StoreError> {
    let items = table
        .client
        .query()
        .table_name(&table.name)
        .index_name(crate::GSI1)
        .key_condition_expression("gsi1pk = :pending AND gsi1sk < :before")
        .expression_attribute_values(":pending", crate::s(keys::OUTBOX_PENDING))
        .expression_attribute_values(":before", crate::s(before))
        .limit(limit)
        .send()
        .await
        .map_err(StoreError::from_sdk)?
        .items
        .unwrap_or_default();
    items.into_iter().map(from_item).collect()
}
