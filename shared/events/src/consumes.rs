//! What a consumer takes: the event types it declares (its rule in template.yaml delivers
//! exactly these, a contract test checks it) and how one delivery decodes into the typed
//! value its handler receives.

use crate::envelope::{DecodeError, EventEnvelope};

/// The event types a consumer takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Events {
    /// Every event of the product (the event store).
    Every,
    Only(&'static [&'static str]),
}

impl Events {
    pub fn includes(&self, event_type: &str) -> bool {
        match self {
            Events::Every => true,
            Events::Only(types) => types.contains(&event_type),
        }
    }
}

/// A value a consumer's handler receives: decoded from an envelope of one of `EVENTS`.
/// Every catalog event implements it (itself alone), [`EventEnvelope`] takes every event
/// undecoded, and [`one_of!`](crate::one_of) makes an enum of several.
pub trait Consumes: Sized {
    const EVENTS: Events;
    fn decode(envelope: &EventEnvelope) -> Result<Self, DecodeError>;
}

impl Consumes for EventEnvelope {
    const EVENTS: Events = Events::Every;

    fn decode(envelope: &EventEnvelope) -> Result<Self, DecodeError> {
        Ok(envelope.clone())
    }
}

/// An enum of several catalog events a consumer takes, each variant named and typed like
/// its event: `one_of! { pub enum Outcome { StoryGenerationCompleted, StoryGenerationFailed } }`.
#[macro_export]
macro_rules! one_of {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($event:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        $vis enum $name {
            $($event($event),)+
        }

        impl $crate::Consumes for $name {
            const EVENTS: $crate::Events =
                $crate::Events::Only(&[$(<$event as $crate::DomainEvent>::TYPE),+]);

            fn decode(
                envelope: &$crate::EventEnvelope,
            ) -> ::std::result::Result<Self, $crate::DecodeError> {
                match envelope.event_type.as_str() {
                    $(<$event as $crate::DomainEvent>::TYPE => envelope.data_as().map(Self::$event),)+
                    other => Err($crate::DecodeError::UnknownType {
                        event_type: other.to_owned(),
                        version: envelope.version,
                    }),
                }
            }
        }
    };
}
