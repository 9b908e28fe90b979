//! What every domain event is: a typed fact with its type name, schema version, source and
//! aggregate. The catalog implements it per event; the envelope carries any of them.

use serde::{Serialize, de::DeserializeOwned};
use utoipa::ToSchema;

/// A fact that happened in the domain.
pub trait DomainEvent: Serialize + DeserializeOwned + ToSchema {
    const TYPE: &'static str;
    const VERSION: u32;
    const SOURCE: &'static str;
    const AGGREGATE_TYPE: &'static str;
    const DESCRIPTION: &'static str;

    fn aggregate_id(&self) -> &str;

    /// Turns the data of an older schema version into the current one (`None`: unreadable).
    /// Events with one version keep this default; ScriptCreated (version 2) reads version 1.
    fn upcast(version: u32, data: serde_json::Value) -> Option<serde_json::Value> {
        (version == Self::VERSION).then_some(data)
    }
}
