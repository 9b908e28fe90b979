//! The published language of FountainAI: one envelope for every domain event, the typed
//! catalog of events, and the AsyncAPI document generated from that catalog.

pub mod asyncapi;
pub mod catalog;
mod consumes;
mod domain_event;
mod envelope;
pub mod ids;

pub use catalog::{CatalogEvent, DomainEvent, EventSpec};
pub use consumes::{Consumes, Events};
pub use envelope::{DecodeError, EventContext, EventEnvelope};
