use fountain_events::EventEnvelope;
use fountain_store::{Item, ItemCodec, StoreError, from_item, keys, to_item};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

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

    /// The email address the event carries (`email` in its data, as UserRegistered and
    /// CollaboratorInvited do), as the SHA-256 of its folded form: the key of its link
    /// ([`keys::email_ref`]) that erasing the address follows.
    pub fn address_hash(envelope: &EventEnvelope) -> Option<String> {
        envelope
            .data
            .get(PERSONAL_FIELD)
            .and_then(|v| v.as_str())
            .filter(|address| !address.is_empty())
            .map(hash_address)
    }

    /// The event without its email address (an empty `email`, so it still decodes).
    pub fn erased(mut self) -> Self {
        if let Some(address) = self.0.data.get_mut(PERSONAL_FIELD) {
            *address = serde_json::Value::String(String::new());
        }
        self
    }

    /// An event's place in its hour: its time with milliseconds, then its id.
    pub fn time_key(envelope: &EventEnvelope) -> String {
        keys::pending_event(&envelope.time_rfc3339(), &envelope.id)
    }
}

/// The field of event data that holds personal data: an email address.
const PERSONAL_FIELD: &str = "email";

/// The SHA-256 (hex) of an email address as accounts compare them (trimmed, lowercased).
pub fn hash_address(address: &str) -> String {
    format!(
        "{:x}",
        Sha256::digest(address.trim().to_lowercase().as_bytes())
    )
}

/// The link from an address (its hash) to one stored event that carries it.
pub fn email_link(address_hash: &str, event_id: &str) -> Item {
    let mut link = fountain_store::Table::key(keys::email_ref(address_hash), event_id);
    link.insert("eventId".into(), fountain_store::s(event_id));
    link
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
