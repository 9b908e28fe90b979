use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SessionStarted {
    pub session_id: String,
    /// The user whose session it is; only they can see or change it.
    pub owner_id: String,
    /// The script the session is bound to, if any.
    pub script_id: Option<String>,
    pub title: Option<String>,
    pub revision: u64,
    pub comment: Option<String>,
}
domain_event!(SessionStarted, source: "fountain.sessions", aggregate: "Session", id: session_id,
    "A user started a working session, optionally bound to a script they can read.");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SessionEnded {
    pub session_id: String,
    pub owner_id: String,
    pub script_id: Option<String>,
    /// The session's revision after it ended.
    pub revision: u64,
    pub comment: Option<String>,
}
domain_event!(SessionEnded, source: "fountain.sessions", aggregate: "Session", id: session_id,
    "A working session ended; its context can no longer change.");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ContextUpdated {
    pub session_id: String,
    pub entry_id: String,
    /// The session's script, if it is bound to one.
    pub script_id: Option<String>,
    /// The character the entry is scoped to; null for an entry of the whole session.
    pub character_id: Option<String>,
    /// `added`, `updated` or `removed`.
    pub operation: String,
    /// The entry's key (for `removed`, the key it had).
    pub key: String,
    /// The key before an update that changed it; null otherwise.
    pub previous_key: Option<String>,
    /// The value, exactly as stored; null when the entry was removed.
    pub value: Option<String>,
    /// The entry's revision after the change (for `removed`, the last one).
    pub revision: u64,
    pub comment: Option<String>,
}
domain_event!(ContextUpdated, source: "fountain.sessions", aggregate: "Session", id: session_id,
    "A context entry of a session was added, changed or removed.");
