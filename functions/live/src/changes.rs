//! The `push_changes` consumer: each change of a script's content reaches every connection
//! listening to that script, as one `change` message.

use chrono::Utc;
use fountain_events::EventEnvelope;
use fountain_events::catalog::{
    CharacterCreated, CharacterDeleted, CharacterUpdated, ElementAdded, ElementRemoved,
    ElementUpdated, ItemsReordered, ParaphraseAdded, ParaphraseRemoved, ParaphraseUpdated,
    ScriptRestored, ScriptUpdated, ScriptVersionCreated, SectionAdded, SectionRemoved,
    SectionUpdated,
};
use fountain_runtime::consumer::Delivered;
use fountain_store::StoreError;
use serde_json::{Map, Value};
use tracing::{info, warn};

use crate::deps::LiveDeps;
use crate::fanout;
use crate::messages::Message;
use crate::store;

fountain_events::one_of! {
    /// The changes a co-writer sees live (their rule in template.yaml delivers these).
    pub enum ScriptChanged {
        ScriptUpdated,
        ScriptRestored,
        ScriptVersionCreated,
        CharacterCreated,
        CharacterUpdated,
        CharacterDeleted,
        SectionAdded,
        SectionUpdated,
        SectionRemoved,
        ElementAdded,
        ElementUpdated,
        ElementRemoved,
        ItemsReordered,
        ParaphraseAdded,
        ParaphraseUpdated,
        ParaphraseRemoved,
    }
}

/// The script an event changes: `scriptId` in its data, or the aggregate of a script event.
fn script_of(envelope: &EventEnvelope) -> Option<String> {
    envelope
        .data
        .get("scriptId")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or_else(|| (envelope.aggregate_type == "Script").then(|| envelope.aggregate_id.clone()))
}

/// The ids an event names (every `...Id` string of its data but the script's): what a
/// client patches, without the content itself, which it reads with its own access.
fn ids_of(envelope: &EventEnvelope) -> Map<String, Value> {
    let mut ids = Map::new();
    if let Some(data) = envelope.data.as_object() {
        for (name, value) in data {
            if name.ends_with("Id") && name != "scriptId" && value.is_string() {
                ids.insert(name.clone(), value.clone());
            }
        }
    }
    ids
}

/// The revision the change wrote: the item's, or the order's for a reorder.
fn revision_of(envelope: &EventEnvelope) -> Option<u64> {
    ["revision", "orderRevision"]
        .iter()
        .find_map(|name| envelope.data.get(*name).and_then(Value::as_u64))
}

pub async fn push_changes(
    deps: &LiveDeps,
    delivered: Delivered<ScriptChanged>,
) -> Result<(), StoreError> {
    let envelope = delivered.envelope;
    let Some(script_id) = script_of(&envelope) else {
        warn!(
            event_type = envelope.event_type,
            "a content event without its script"
        );
        return Ok(());
    };
    let listeners = store::listeners(&deps.table, &script_id, Utc::now()).await?;
    if listeners.is_empty() {
        return Ok(());
    }
    let ids = ids_of(&envelope);
    let revision = revision_of(&envelope);
    let sent = fanout::push(deps, &script_id, &listeners, |listener| {
        Some(Message::Change {
            script_id: script_id.clone(),
            event: envelope.event_type.clone(),
            ids: ids.clone(),
            revision,
            correlation_id: envelope.correlation_id.clone(),
            actor: envelope.actor.clone(),
            yours: envelope.actor.as_deref() == Some(listener.user_id.as_str()),
            at: envelope.time,
        })
    })
    .await;
    info!(
        script_id,
        event_type = envelope.event_type,
        listeners = listeners.len(),
        sent,
        "change pushed"
    );
    Ok(())
}
