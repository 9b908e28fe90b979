//! The platform's items: outbox items and idempotency claims (in every table a consumer
//! writes to), runtime settings, and the event store's events with their index partitions.

/// An outbox item's partition (`OUTBOX#<eventId>`).
pub const OUTBOX: &str = "OUTBOX#";
/// The sort key of an outbox item.
pub const OUTBOX_SK: &str = "OUTBOX";
/// An idempotency claim's partition (`IDEMPOTENCY#<consumer>#<eventId>`).
pub const IDEMPOTENCY: &str = "IDEMPOTENCY#";
/// The sort key of an idempotency claim.
pub const IDEMPOTENCY_SK: &str = "IDEMPOTENCY";
/// The partition of the runtime settings; the setting's name is the sort key.
pub const CONFIG_PK: &str = "CONFIG";
/// A stored event's partition in the event store (`EVENT#<eventId>`).
pub const EVENT: &str = "EVENT#";
/// The sort key of a stored event.
pub const EVENT_SK: &str = "EVENT";
/// The `gsi1pk` of an aggregate's events (`AGG#<aggregateId>`).
pub const AGGREGATE: &str = "AGG#";
/// The `gsi2pk` of a correlation id's events (`CORR#<correlationId>`).
pub const CORRELATION: &str = "CORR#";
/// The `gsi3pk` of the events of one UTC hour (`EVENTHOUR#<YYYY-MM-DDTHH>`): replays read a
/// time range hour by hour, and an hour spreads a day's writes over 24 index partitions.
pub const EVENT_HOUR: &str = "EVENTHOUR#";

/// `hour`: `YYYY-MM-DDTHH`, UTC.
pub fn event_hour(hour: &str) -> String {
    format!("{EVENT_HOUR}{hour}")
}

/// The partition of the dependencies' health: one item per dependency, the probe item and
/// the workers' circuit breakers.
pub const HEALTH_PK: &str = "HEALTH";
/// A dependency's state in [`HEALTH_PK`] (`DEP#<dependency>`).
pub const DEPENDENCY: &str = "DEP#";
/// A circuit breaker's failure count in [`HEALTH_PK`] (`BREAKER#<dependency>`).
pub const BREAKER: &str = "BREAKER#";
/// The partition of the scaling decisions: one item per scaled resource (its name is the
/// sort key).
pub const SCALE_PK: &str = "SCALE";
/// The item the table probe reads and conditionally writes.
pub const PROBE_SK: &str = "PROBE";
/// The partition of the health transitions, sorted by time (`<time>#<eventId>`).
pub const HEALTH_HISTORY_PK: &str = "HEALTH#HISTORY";

pub fn dependency(name: &str) -> String {
    format!("{DEPENDENCY}{name}")
}

pub fn breaker(name: &str) -> String {
    format!("{BREAKER}{name}")
}

/// A transition's sort key: RFC 3339 time with milliseconds, then the event id.
pub fn health_transition(time: &str, event_id: &str) -> String {
    format!("{time}#{event_id}")
}

/// The `gsi1pk` of outbox items the relay has not recorded as published; their `gsi1sk` is
/// [`pending_event`].
pub const OUTBOX_PENDING: &str = "OUTBOX_PENDING";
/// The `gsi1pk` of invitations consumed (saga step 1) whose membership (step 2) is not
/// written yet; their `gsi1sk` is [`pending_event`] of the time and invitation id.
pub const ACCEPTING_INVITATIONS: &str = "ACCEPTING_INVITATIONS";
/// The item that remembers where the reconciler's sweep of the table stopped.
pub const RECONCILE_PK: &str = "RECONCILE";
pub const RECONCILE_CURSOR_SK: &str = "CURSOR";

/// A time-ordered index sort key: RFC 3339 with milliseconds, then an id.
pub fn pending_event(time: &str, id: &str) -> String {
    format!("{time}#{id}")
}

pub fn outbox(event_id: &str) -> String {
    format!("{OUTBOX}{event_id}")
}

pub fn idempotency(consumer: &str, event_id: &str) -> String {
    format!("{IDEMPOTENCY}{consumer}#{event_id}")
}

pub fn event(event_id: &str) -> String {
    format!("{EVENT}{event_id}")
}

pub fn aggregate(aggregate_id: &str) -> String {
    format!("{AGGREGATE}{aggregate_id}")
}

pub fn correlation(correlation_id: &str) -> String {
    format!("{CORRELATION}{correlation_id}")
}

/// In the event store, the links from an email address to the stored events that carry it
/// (`EMAILREF#<SHA-256 of the folded address, hex>` / `<eventId>`): deleting the account
/// removes the address from each of those events.
pub const EMAIL_REF: &str = "EMAILREF#";

pub fn email_ref(address_hash: &str) -> String {
    format!("{EMAIL_REF}{address_hash}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_platform_key_has_its_format() {
        assert_eq!(outbox("01E"), "OUTBOX#01E");
        assert_eq!(email_ref("ab12"), "EMAILREF#ab12");
        assert_eq!(OUTBOX_SK, "OUTBOX");
        assert_eq!(
            idempotency("notify_users", "01E"),
            "IDEMPOTENCY#notify_users#01E"
        );
        assert_eq!(IDEMPOTENCY_SK, "IDEMPOTENCY");
        assert_eq!(CONFIG_PK, "CONFIG");
        assert_eq!(event("01E"), "EVENT#01E");
        assert_eq!(EVENT_SK, "EVENT");
        assert_eq!(aggregate("01S"), "AGG#01S");
        assert_eq!(correlation("01C"), "CORR#01C");
        assert_eq!(event_hour("2026-12-07T10"), "EVENTHOUR#2026-12-07T10");
        assert_eq!(HEALTH_PK, "HEALTH");
        assert_eq!(dependency("generator"), "DEP#generator");
        assert_eq!(breaker("generator"), "BREAKER#generator");
        assert_eq!(PROBE_SK, "PROBE");
        assert_eq!(HEALTH_HISTORY_PK, "HEALTH#HISTORY");
        assert_eq!(
            health_transition("2026-12-07T10:00:00.000Z", "01E"),
            "2026-12-07T10:00:00.000Z#01E"
        );
    }
}
