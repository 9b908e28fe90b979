//! The `invalidate_stories` consumer: every event that changes a script's content moves
//! that script's story revision on, and only that script's, so exactly the stories it
//! touches are assembled again when next read.

use fountain_events::EventEnvelope;
use fountain_events::catalog::{
    CharacterCreated, CharacterDeleted, CharacterUpdated, ElementAdded, ElementRemoved,
    ElementUpdated, ItemsReordered, ScriptRestored, ScriptUpdated, SectionAdded, SectionRemoved,
    SectionUpdated,
};
use fountain_runtime::aws::dynamodb;
use fountain_runtime::consumer::{Deduplication, Delivered};
use fountain_runtime::{ConfigError, Env, Idempotency};
use fountain_store::{StoreError, Table};
use tracing::info;

use crate::cache;

fountain_events::one_of! {
    /// The events that change what a story shows (their rule in template.yaml delivers these).
    pub enum ContentChanged {
        ScriptUpdated,
        ScriptRestored,
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
    }
}

/// The consumer's table. It keeps no claims: moving the epoch on again only causes one
/// more rebuild of the story.
#[derive(Debug, Clone)]
pub struct InvalidateDeps {
    pub table: Table,
}

impl Deduplication for InvalidateDeps {
    fn claims(&self) -> Option<&Idempotency> {
        None
    }
}

/// `InvalidateDeps` from the environment.
pub fn load_deps(env: &Env, sdk: &aws_config::SdkConfig) -> Result<InvalidateDeps, ConfigError> {
    Ok(InvalidateDeps {
        table: Table::new(dynamodb(sdk), env.required("TABLE_NAME")?),
    })
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

pub async fn invalidate_stories(
    deps: &InvalidateDeps,
    delivered: Delivered<ContentChanged>,
) -> Result<(), StoreError> {
    let envelope = delivered.envelope;
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
