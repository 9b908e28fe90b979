//! The typed event catalog: every domain event's data, type name, schema version, source and
//! aggregate. The AsyncAPI document and the consumers' decoding both come from here.

use utoipa::openapi::{RefOr, schema::Schema};

pub use crate::domain_event::DomainEvent;
use crate::envelope::{DecodeError, EventEnvelope};

/// Implements [`DomainEvent`] for a data struct in one line.
macro_rules! domain_event {
    ($event:ident, source: $source:literal, aggregate: $aggregate:literal, id: $id:ident, $description:literal) => {
        domain_event!($event, version: 1, upcast: $crate::catalog::current_only::<$event>,
            source: $source, aggregate: $aggregate, id: $id, $description);
    };
    ($event:ident, version: $version:literal, upcast: $upcast:path, source: $source:literal, aggregate: $aggregate:literal, id: $id:ident, $description:literal) => {
        impl $crate::DomainEvent for $event {
            const TYPE: &'static str = stringify!($event);
            const VERSION: u32 = $version;
            const SOURCE: &'static str = $source;
            const AGGREGATE_TYPE: &'static str = $aggregate;
            const DESCRIPTION: &'static str = $description;

            fn aggregate_id(&self) -> &str {
                &self.$id
            }

            fn upcast(version: u32, data: serde_json::Value) -> Option<serde_json::Value> {
                $upcast(version, data)
            }
        }

        impl $crate::Consumes for $event {
            const EVENTS: $crate::Events = $crate::Events::Only(&[stringify!($event)]);

            fn decode(envelope: &$crate::EventEnvelope) -> Result<Self, $crate::DecodeError> {
                envelope.data_as()
            }
        }
    };
}

/// The upcaster of an event with one version: only that version is readable.
pub fn current_only<E: DomainEvent>(
    version: u32,
    data: serde_json::Value,
) -> Option<serde_json::Value> {
    (version == E::VERSION).then_some(data)
}

mod characters;
mod collaboration;
mod generation;
mod identity;
mod notifications;
mod operations;
mod paraphrases;
mod scripts;
mod sessions;
mod structure;
mod versions;

pub use characters::{CharacterCreated, CharacterDeleted, CharacterUpdated};
pub use collaboration::{
    CollaboratorInvited, InvitationAccepted, InvitationRevoked, MemberRemoved,
};
pub use generation::{
    GenerationOutput, StoryGenerationCancelled, StoryGenerationCompleted, StoryGenerationFailed,
    StoryGenerationProgressed, StoryGenerationRequested, StoryGenerationStarted, UsageLimitReached,
    UsageRecorded,
};
pub use identity::{
    EmailVerificationRequested, EmailVerified, PasswordReset, PasswordResetRequested,
    RegistrationRepeated, RolesChanged, UserDeleted, UserLoggedIn, UserLoggedOut, UserRegistered,
};
pub use notifications::NotificationCreated;
pub use operations::{ConfigUpdated, Reconciled, ScaleRequested, ServiceDown, ServiceRecovered};
pub use paraphrases::{ParaphraseAdded, ParaphraseRemoved, ParaphraseUpdated};
pub use scripts::{ScriptCreated, ScriptDeleted, ScriptFields, ScriptUpdated};
pub use sessions::{ContextUpdated, SessionEnded, SessionStarted};
pub use structure::{
    ElementAdded, ElementRemoved, ElementUpdated, ItemsReordered, SectionAdded, SectionRemoved,
    SectionUpdated,
};
pub use versions::{ScriptRestored, ScriptVersionCreated};

/// What the AsyncAPI document needs to know of one event type.
pub struct EventSpec {
    pub event_type: &'static str,
    pub version: u32,
    pub source: &'static str,
    pub aggregate_type: &'static str,
    pub description: &'static str,
    pub schema_name: String,
    pub schema: RefOr<Schema>,
    pub nested: Vec<(String, RefOr<Schema>)>,
}

macro_rules! event_catalog {
    ($($event:ident),+ $(,)?) => {
        /// Every event the system publishes, decoded.
        #[derive(Debug, Clone, PartialEq)]
        pub enum CatalogEvent {
            $($event($event),)+
        }

        impl CatalogEvent {
            /// Decodes an envelope into its typed event, upcasting older versions.
            pub fn decode(envelope: &EventEnvelope) -> Result<Self, DecodeError> {
                match envelope.event_type.as_str() {
                    $(<$event as DomainEvent>::TYPE => envelope.data_as::<$event>().map(Self::$event),)+
                    other => Err(DecodeError::UnknownType {
                        event_type: other.to_owned(),
                        version: envelope.version,
                    }),
                }
            }
        }

        /// The specs of every event type, in catalog order.
        pub fn specs() -> Vec<EventSpec> {
            vec![$(spec::<$event>(),)+]
        }
    };
}

fn spec<E: DomainEvent>() -> EventSpec {
    let mut nested = Vec::new();
    E::schemas(&mut nested);
    EventSpec {
        event_type: E::TYPE,
        version: E::VERSION,
        source: E::SOURCE,
        aggregate_type: E::AGGREGATE_TYPE,
        description: E::DESCRIPTION,
        schema_name: E::name().into_owned(),
        schema: E::schema(),
        nested,
    }
}

event_catalog!(
    ScriptCreated,
    ScriptUpdated,
    ScriptDeleted,
    CharacterCreated,
    CharacterUpdated,
    CharacterDeleted,
    UserRegistered,
    UserLoggedIn,
    UserLoggedOut,
    RegistrationRepeated,
    EmailVerificationRequested,
    EmailVerified,
    PasswordResetRequested,
    PasswordReset,
    RolesChanged,
    UserDeleted,
    ConfigUpdated,
    ServiceDown,
    ServiceRecovered,
    Reconciled,
    ScaleRequested,
    CollaboratorInvited,
    InvitationAccepted,
    InvitationRevoked,
    MemberRemoved,
    SectionAdded,
    SectionUpdated,
    SectionRemoved,
    ItemsReordered,
    ElementAdded,
    ElementUpdated,
    ElementRemoved,
    ParaphraseAdded,
    ParaphraseUpdated,
    ParaphraseRemoved,
    ScriptVersionCreated,
    ScriptRestored,
    SessionStarted,
    SessionEnded,
    ContextUpdated,
    StoryGenerationRequested,
    StoryGenerationStarted,
    StoryGenerationProgressed,
    StoryGenerationCompleted,
    StoryGenerationFailed,
    StoryGenerationCancelled,
    UsageRecorded,
    UsageLimitReached,
    NotificationCreated,
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envelope::EventContext;

    #[test]
    fn an_envelope_round_trips_through_json_and_decodes_to_its_typed_event() {
        let event = ScriptDeleted {
            script_id: "01J0000000000000000000000A".into(),
            revision: 3,
            comment: Some("cut".into()),
        };
        let context = EventContext {
            actor: Some("alice".into()),
            correlation_id: "corr-1".into(),
            causation_id: None,
        };
        let envelope = EventEnvelope::new(&event, &context).unwrap();
        assert_eq!(envelope.event_type, "ScriptDeleted");
        assert_eq!(envelope.source, "fountain.scripts");
        assert_eq!(envelope.aggregate_id, event.script_id);
        let parsed = EventEnvelope::from_json(&envelope.to_json().unwrap()).unwrap();
        assert_eq!(parsed, envelope);
        assert_eq!(
            CatalogEvent::decode(&parsed).unwrap(),
            CatalogEvent::ScriptDeleted(event)
        );
    }

    #[test]
    fn unknown_types_and_versions_are_decode_errors_not_panics() {
        let event = ScriptDeleted {
            script_id: "s".into(),
            revision: 1,
            comment: None,
        };
        let mut envelope = EventEnvelope::new(&event, &EventContext::default()).unwrap();
        envelope.version = 99;
        assert!(matches!(
            CatalogEvent::decode(&envelope),
            Err(DecodeError::UnknownType { version: 99, .. })
        ));
        envelope.event_type = "Nope".into();
        assert!(CatalogEvent::decode(&envelope).is_err());
    }

    #[test]
    fn every_event_type_is_named_once_in_the_catalog() {
        let mut names: Vec<_> = specs().iter().map(|s| s.event_type).collect();
        let count = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), count);
    }
}
