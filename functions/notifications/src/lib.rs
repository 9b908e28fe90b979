//! A user's notifications inbox: generation outcomes and limits, listed and marked read.
//! The `notify_users` consumer turns StoryGenerationCompleted, StoryGenerationFailed and
//! UsageLimitReached into one notification each, with NotificationCreated in the same
//! transaction. A notification lives in its user's partition, so anyone else's request finds
//! nothing (404).

pub mod functions;
pub use functions::FUNCTIONS;
pub mod handlers;
mod model;
pub mod notify;
/// Public for the tests that read and write the inbox directly.
pub mod store;
pub mod wording;

pub use model::{Notification, NotificationKind, NotificationPage, RETENTION_DAYS};

/// The HTTP functions need the application table and the body size limit.
pub type Deps = fountain_http::TableDeps;
