//! The story of a script as it is now, for the API and for every other reader of it (the
//! Fountain export, the generation worker): the cached one of the script's current
//! revision, or a new assembly of its settled content.

use fountain_store::{StoreError, Table};
use fountain_structure::content::settled_content;

use crate::assemble::assemble;
use crate::cache;
use crate::model::Story;

/// The script's whole story as it is now: the cached one of its current revision, or a
/// new assembly (then cached).
pub async fn current_story(table: &Table, script_id: &str) -> Result<Story, StoreError> {
    cached_or_assembled(table, script_id)
        .await
        .map(|(story, _)| story)
}

/// The cached story of the script's current revision, or a new assembly (then cached).
pub async fn cached_or_assembled(
    table: &Table,
    script_id: &str,
) -> Result<(Story, bool), StoreError> {
    let state = cache::state(table, script_id).await?;
    if let Some(story) = cache::load(table, script_id, state).await? {
        return Ok((story, true));
    }
    let story = assemble(settled_content(table, script_id).await?, state.epoch)?;
    if let Err(error) = cache::store(table, script_id, state, &story).await {
        tracing::warn!(%error, script_id, "story assembled but not cached");
    }
    Ok((story, false))
}
