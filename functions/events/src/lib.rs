//! The event backbone's functions: the relay that publishes outbox items from the table's
//! stream to EventBridge, the consumer that keeps every event in the event store, and the
//! query that reads them back by aggregate or correlation id.

pub mod functions;
pub use functions::FUNCTIONS;
mod deps;
pub mod erase;
pub mod list;
pub mod monitor;
mod record;
pub mod relay;
pub mod replay;
pub mod store_event;

pub use deps::{QueryDeps, RelayDeps, StoreDeps};
pub use record::StoredEvent;
