//! Working sessions: a user's session, optionally bound to a script the user can read, and
//! its context entries (key -> value, optionally scoped to a character of that script) that
//! enrich assembly and generation. A session is its owner's alone: it lives in the owner's
//! partition, so anyone else's request finds nothing (404). An ended session keeps its
//! context but takes no more changes (409).

pub mod functions;
pub use functions::FUNCTIONS;
mod deps;
pub mod handlers;
mod listing;
mod model;
pub mod reconcile;
/// Public for the tests that race a write against a change of the session.
pub mod store;

pub use deps::Deps;
pub use listing::{ContextListing, SessionListing};
pub use model::{
    ContextEntry, ContextEntryPage, CreateContextEntry, EndSession, MAX_ENTRIES, MAX_KEY_CHARS,
    MAX_TITLE_CHARS, MAX_VALUE_CHARS, Session, SessionPage, SessionState, StartSession,
    UpdateContextEntry,
};
