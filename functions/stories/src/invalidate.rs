//! The `invalidate_stories` consumer: every event that changes a script's content moves
//! that script's story revision on, and only that script's, so exactly the stories it
//! touches are assembled again when next read.

use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use chrono::Duration;
use fountain_events::EventEnvelope;
use fountain_runtime::consumer::{ConsumerDeps, process_each};
use fountain_runtime::{ConfigError, Env};
use fountain_store::StoreError;
use tracing::info;

use crate::cache;

/// The events that change what a story shows (the rule in template.yaml names the same).
pub const CONTENT_EVENTS: &[&str] = &[
    "ScriptUpdated",
    "ScriptRestored",
    "CharacterCreated",
    "CharacterUpdated",
    "CharacterDeleted",
    "SectionAdded",
    "SectionUpdated",
    "SectionRemoved",
    "ElementAdded",
    "ElementUpdated",
    "ElementRemoved",
    "ItemsReordered",
];

/// The consumer's table and its event claims.
pub type InvalidateDeps = ConsumerDeps;

/// `InvalidateDeps` from the environment.
pub fn load_deps(env: &Env, sdk: &aws_config::SdkConfig) -> Result<InvalidateDeps, ConfigError> {
    ConsumerDeps::load(env, sdk, "invalidate_stories", Duration::minutes(5))
}

pub async fn invalidate_stories(deps: &InvalidateDeps, event: SqsEvent) -> SqsBatchResponse {
    // No claims: moving the epoch on again only causes one more rebuild of the story.
    process_each(event, |envelope| on_event(deps, envelope)).await
}

/// The script an event of the content changes: `scriptId` in its data, or the aggregate
/// of a script event.
fn script_of(envelope: &EventEnvelope) -> Option<String> {
    envelope
        .data
        .get("scriptId")
        .and_then(|id| id.as_str())
        .map(str::to_owned)
        .or_else(|| (envelope.aggregate_type == "Script").then(|| envelope.aggregate_id.clone()))
}

async fn on_event(deps: &InvalidateDeps, envelope: EventEnvelope) -> Result<(), StoreError> {
    if !CONTENT_EVENTS.contains(&envelope.event_type.as_str()) {
        return Ok(());
    }
    let Some(script_id) = script_of(&envelope) else {
        tracing::warn!(
            event_type = envelope.event_type,
            "a content event without its script"
        );
        return Ok(());
    };
    let live = cache::invalidate(&deps.table, &script_id).await?;
    info!(
        script_id,
        event_type = envelope.event_type,
        live,
        "story invalidated"
    );
    Ok(())
}
