//! The story cache: one assembled story per script, valid for one story revision.
//!
//! `SCRIPT#<id>` / `STORY#STATE` holds `epoch`, which every change of the script's content
//! moves on (the `invalidate_stories` consumer), and, once a story is cached, `cachedEpoch`
//! and `chunks`: the story packed into `STORY#CHUNK#<epoch>#<n>` items. A story is stored
//! only if the epoch it was assembled at is still current, so a change that lands while it
//! is being built leaves it invalid rather than stale. The items sort after the content
//! range, so snapshots and restores never see them; the script's purge takes them.

use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue};
use fountain_scripts::Script;
use fountain_store::{
    Expression, Item, Label, MAX_BATCH_WRITES, Retry, StoreError, Table, Transaction,
    delete_request, keys, n, number_attribute, pack, put_request, s, unpack,
};

use crate::model::Story;

const STATE_SK: &str = keys::STORY_STATE_SK;
const RETRY: Retry = Retry {
    attempts: 5,
    first_pause: std::time::Duration::from_millis(25),
};

/// The cache of one script as read.
#[derive(Debug, Default, Clone, Copy)]
pub struct CacheState {
    /// The current story revision.
    pub epoch: u64,
    /// The chunks of the story cached at `epoch`, if one is.
    pub cached_chunks: Option<u32>,
    /// The revision and chunks of a story cached earlier, now stale.
    pub stale: Option<(u64, u32)>,
}

fn chunk_key(script_id: &str, epoch: u64, index: u32) -> Item {
    Table::key(Script::pk(script_id), keys::story_chunk(epoch, index))
}

fn state_of(item: Option<&Item>) -> CacheState {
    let Some(item) = item else {
        return CacheState::default();
    };
    let epoch = number_attribute(item, "epoch").unwrap_or(0);
    let cached = number_attribute::<u64>(item, "cachedEpoch").zip(number_attribute(item, "chunks"));
    match cached {
        Some((cached_epoch, chunks)) if cached_epoch == epoch => CacheState {
            epoch,
            cached_chunks: Some(chunks),
            stale: None,
        },
        other => CacheState {
            epoch,
            cached_chunks: None,
            stale: other,
        },
    }
}

pub async fn state(table: &Table, script_id: &str) -> Result<CacheState, StoreError> {
    let item = table.get(&Script::pk(script_id), STATE_SK).await?;
    Ok(state_of(item.as_ref()))
}

/// The story cached at `state.epoch`, if any and whole.
pub async fn load(
    table: &Table,
    script_id: &str,
    state: CacheState,
) -> Result<Option<Story>, StoreError> {
    let Some(expected) = state.cached_chunks else {
        return Ok(None);
    };
    let chunks = table
        .packed_chunks(
            &Script::pk(script_id),
            &keys::story_chunk_prefix(state.epoch),
        )
        .await?;
    if chunks.len() != expected as usize {
        return Ok(None);
    }
    unpack(&chunks, "cached story").map(Some)
}

/// Stores `story`, assembled at `state.epoch`, unless the content changed since (false).
pub async fn store(
    table: &Table,
    script_id: &str,
    state: CacheState,
    story: &Story,
) -> Result<bool, StoreError> {
    let packed = pack(story)?;
    let count = u32::try_from(packed.chunks.len())
        .map_err(|_| StoreError::Invalid("a story of too many chunks".into()))?;
    let puts = packed
        .chunks
        .into_iter()
        .zip(0..)
        .map(|(data, index)| {
            let mut item = chunk_key(script_id, state.epoch, index);
            item.insert("data".into(), AttributeValue::B(data.into()));
            put_request(item)
        })
        .collect::<Result<Vec<_>, _>>()?;
    for batch in puts.chunks(MAX_BATCH_WRITES) {
        table.write_batch(batch.to_vec(), RETRY).await?;
    }
    let result = table
        .client
        .update_item()
        .table_name(&table.name)
        .set_key(Some(Table::key(Script::pk(script_id), STATE_SK)))
        .update_expression("SET cachedEpoch = :epoch, chunks = :chunks, builtAt = :built")
        .condition_expression("attribute_not_exists(epoch) OR epoch = :epoch")
        .expression_attribute_values(":epoch", n(state.epoch))
        .expression_attribute_values(":chunks", n(count))
        .expression_attribute_values(":built", s(story.built_at.to_rfc3339()))
        .return_values(ReturnValue::None)
        .send()
        .await
        .map_err(StoreError::from_sdk);
    let stored = match result {
        Ok(_) => true,
        Err(StoreError::ConditionFailed) => false,
        Err(other) => return Err(other),
    };
    // Best effort: what is left goes with the next store or the script's purge.
    let garbage = if stored {
        state.stale
    } else {
        Some((state.epoch, count))
    };
    if let Some((epoch, chunks)) = garbage
        && let Err(error) = delete_chunks(table, script_id, epoch, chunks).await
    {
        tracing::warn!(%error, script_id, epoch, "old story chunks not deleted");
    }
    Ok(stored)
}

async fn delete_chunks(
    table: &Table,
    script_id: &str,
    epoch: u64,
    chunks: u32,
) -> Result<(), StoreError> {
    let deletes = (0..chunks)
        .map(|index| delete_request(chunk_key(script_id, epoch, index)))
        .collect::<Result<Vec<_>, _>>()?;
    for batch in deletes.chunks(MAX_BATCH_WRITES) {
        table.write_batch(batch.to_vec(), RETRY).await?;
    }
    Ok(())
}

/// The script is gone: it has no story to invalidate.
const SCRIPT_GONE: Label = Label::new("script gone");

/// Moves the script's story revision on, so its cached story is rebuilt when next read.
/// Nothing happens for a script that is gone (false).
pub async fn invalidate(table: &Table, script_id: &str) -> Result<bool, StoreError> {
    let result = Transaction::new()
        .check(
            Table::key(Script::pk(script_id), Script::SK),
            Expression::new("attribute_exists(pk)").labelled(SCRIPT_GONE),
        )
        .update(
            Table::key(Script::pk(script_id), STATE_SK),
            Expression::new("ADD epoch :one").value(":one", n(1)),
            None,
        )
        .commit(table)
        .await;
    match result {
        Ok(()) => Ok(true),
        Err(error) if error.refused(SCRIPT_GONE) => Ok(false),
        Err(other) => Err(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(pairs: &[(&str, u64)]) -> Item {
        pairs
            .iter()
            .map(|(name, value)| ((*name).to_owned(), n(value)))
            .collect()
    }

    #[test]
    fn a_story_is_cached_only_for_the_current_revision() {
        let none = state_of(None);
        assert_eq!(
            (none.epoch, none.cached_chunks, none.stale),
            (0, None, None)
        );
        let current = state_of(Some(&item(&[
            ("epoch", 3),
            ("cachedEpoch", 3),
            ("chunks", 2),
        ])));
        assert_eq!(current.cached_chunks, Some(2));
        let stale = state_of(Some(&item(&[
            ("epoch", 4),
            ("cachedEpoch", 3),
            ("chunks", 2),
        ])));
        assert_eq!((stale.cached_chunks, stale.stale), (None, Some((3, 2))));
    }
}
