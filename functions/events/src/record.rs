use fountain_events::EventEnvelope;
use fountain_store::{Item, ItemCodec, StoreError, from_item, keys, to_item};
use serde::{Deserialize, Serialize};

/// An event as the event store keeps it: by id, and indexed by aggregate (GSI1) and by
/// correlation id (GSI2), both sorted by event id, which is time order, and by UTC hour
/// (GSI3, sorted by time) for replays.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEvent(pub EventEnvelope);

impl StoredEvent {
    pub fn pk(event_id: &str) -> String {
        keys::event(event_id)
    }

    pub fn aggregate_partition(aggregate_id: &str) -> String {
        keys::aggregate(aggregate_id)
    }

    pub fn correlation_partition(correlation_id: &str) -> String {
        keys::correlation(correlation_id)
    }

    /// The partition of the events of `time`'s UTC hour (GSI3).
    pub fn hour_partition(time: &chrono::DateTime<chrono::Utc>) -> String {
        keys::event_hour(&time.format("%Y-%m-%dT%H").to_string())
    }

    /// An event's place in its hour: its time with milliseconds, then its id.
    pub fn time_key(envelope: &EventEnvelope) -> String {
        keys::pending_event(&envelope.time_rfc3339(), &envelope.id)
    }
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct EventItem {
    pk: String,
    sk: String,
    gsi1pk: String,
    gsi1sk: String,
    gsi2pk: String,
    gsi2sk: String,
    /// Events stored before the time index have none.
    #[serde(default)]
    gsi3pk: String,
    #[serde(default)]
    gsi3sk: String,
    event_type: String,
    actor: Option<String>,
    time: String,
    envelope: String,
}

impl ItemCodec for StoredEvent {
    fn to_item(&self) -> Result<Item, StoreError> {
        let e = &self.0;
        to_item(&EventItem {
            pk: Self::pk(&e.id),
            sk: keys::EVENT_SK.to_owned(),
            gsi1pk: Self::aggregate_partition(&e.aggregate_id),
            gsi1sk: e.id.clone(),
            gsi2pk: Self::correlation_partition(&e.correlation_id),
            gsi2sk: e.id.clone(),
            gsi3pk: Self::hour_partition(&e.time),
            gsi3sk: Self::time_key(e),
            event_type: e.event_type.clone(),
            actor: e.actor.clone(),
            time: e.time_rfc3339(),
            envelope: e
                .to_json()
                .map_err(|err| StoreError::Corrupt(err.to_string()))?,
        })
    }

    fn from_item(item: Item) -> Result<Self, StoreError> {
        let item: EventItem = from_item(item)?;
        EventEnvelope::from_json(&item.envelope)
            .map(StoredEvent)
            .map_err(|e| StoreError::Corrupt(e.to_string()))
    }
}
