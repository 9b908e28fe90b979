//! Reads and writes of characters. Every write checks, in its transaction, that the script
//! still exists and belongs to the caller, and reserves or frees the name item with it.

use fountain_events::EventEnvelope;
use fountain_http::ApiError;
use fountain_scripts::access::{Permission, allowed_transaction};
use fountain_store::{Expression, ItemCodec, PK, Page, PageError, StoreError, Table, query_page};

use crate::model::{Character, NameItem, name_key};

/// Why a character write was refused.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("the script is gone")]
    ScriptGone,
    #[error("another character of this script is named so")]
    NameTaken,
    #[error("the character changed meanwhile")]
    Stale,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<WriteError> for ApiError {
    fn from(error: WriteError) -> Self {
        match error {
            WriteError::ScriptGone => ApiError::NotFound("script"),
            WriteError::NameTaken => ApiError::Conflict(
                "another character of this script has that name (names ignore case)".into(),
            ),
            WriteError::Stale => {
                ApiError::PreconditionFailed("the character changed meanwhile".into())
            }
            WriteError::Store(store) => store.into(),
        }
    }
}

fn classify(
    error: StoreError,
    name_write: Option<usize>,
    stale_write: Option<usize>,
) -> WriteError {
    if error.condition_failed_at(0) || error.condition_failed_at(1) {
        WriteError::ScriptGone
    } else if name_write.is_some_and(|i| error.condition_failed_at(i)) {
        WriteError::NameTaken
    } else if stale_write.is_some_and(|i| error.condition_failed_at(i)) {
        WriteError::Stale
    } else {
        WriteError::Store(error)
    }
}

pub async fn load(
    table: &Table,
    script_id: &str,
    character_id: &str,
) -> Result<Option<Character>, StoreError> {
    table
        .get(&Character::pk(script_id), &Character::sk(character_id))
        .await?
        .map(Character::from_item)
        .transpose()
}

pub async fn insert(
    table: &Table,
    user_id: &str,
    character: &Character,
    event: &EventEnvelope,
) -> Result<(), WriteError> {
    allowed_transaction(&character.script_id, user_id, Permission::Write)
        .put(character.to_item()?, Some(Expression::absent()))
        .put(
            NameItem::new(character).to_item()?,
            Some(Expression::absent()),
        )
        .event(event)?
        .commit(table)
        .await
        .map_err(|e| classify(e, Some(3), None))
}

/// Replaces `before` by `after`, moving the name reservation when the name changed.
pub async fn replace(
    table: &Table,
    user_id: &str,
    before: &Character,
    after: &Character,
    event: &EventEnvelope,
) -> Result<(), WriteError> {
    let mut tx = allowed_transaction(&after.script_id, user_id, Permission::Write).put(
        after.to_item()?,
        Some(Expression::revision_is(before.revision)),
    );
    let mut name_write = None;
    if name_key(&before.name) != name_key(&after.name) {
        tx = tx.delete(
            Table::key(
                Character::pk(&before.script_id),
                Character::name_sk(&before.name),
            ),
            None,
        );
        name_write = Some(tx.len());
        tx = tx.put(NameItem::new(after).to_item()?, Some(Expression::absent()));
    }
    tx.event(event)?
        .commit(table)
        .await
        .map_err(|e| classify(e, name_write, Some(2)))
}

pub async fn remove(
    table: &Table,
    user_id: &str,
    character: &Character,
    event: &EventEnvelope,
) -> Result<(), WriteError> {
    allowed_transaction(&character.script_id, user_id, Permission::Write)
        .delete(
            Table::key(
                Character::pk(&character.script_id),
                Character::sk(&character.character_id),
            ),
            Some(Expression::revision_is(character.revision)),
        )
        .delete(
            Table::key(
                Character::pk(&character.script_id),
                Character::name_sk(&character.name),
            ),
            None,
        )
        .event(event)?
        .commit(table)
        .await
        .map_err(|e| classify(e, None, Some(2)))
}

/// A script's characters in creation order.
pub async fn list(
    table: &Table,
    script_id: &str,
    limit: i32,
    cursor: Option<&str>,
) -> Result<Page<Character>, PageError> {
    let partition = Character::pk(script_id);
    let query = table.query_prefix(&partition, Character::SK_PREFIX);
    query_page(query, (PK, &partition), limit, cursor).await
}
