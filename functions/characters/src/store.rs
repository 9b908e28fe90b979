//! Reads and writes of characters. Every write checks, in its transaction, that the script
//! still exists and belongs to the caller, and reserves or frees the name item with it.

use fountain_events::EventEnvelope;
use fountain_http::ApiError;
use fountain_scripts::access::{Permission, access_refused, allowed_transaction};
use fountain_store::{
    Expression, ItemCodec, Label, PK, Page, PageError, StoreError, Table, query_page,
};

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
    Store(StoreError),
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

/// The name item is held by another character of the script.
const NAME_TAKEN: Label = Label::new("character name taken");
/// The character is not at the revision the change is based on, or is gone.
const CHARACTER_CHANGED: Label = Label::new("character changed meanwhile");

impl From<StoreError> for WriteError {
    fn from(error: StoreError) -> Self {
        if access_refused(&error) {
            WriteError::ScriptGone
        } else if error.refused(NAME_TAKEN) {
            WriteError::NameTaken
        } else if error.refused(CHARACTER_CHANGED) {
            WriteError::Stale
        } else {
            WriteError::Store(error)
        }
    }
}

pub async fn load(
    table: &Table,
    script_id: &str,
    character_id: &str,
) -> Result<Option<Character>, StoreError> {
    table
        .get_as::<Character>(&Character::pk(script_id), &Character::sk(character_id))
        .await
}

pub async fn insert(
    table: &Table,
    user_id: &str,
    character: &Character,
    event: &EventEnvelope,
) -> Result<(), WriteError> {
    allowed_transaction(&character.script_id, user_id, Permission::Write)
        .create(character.to_item()?)
        .put(
            NameItem::new(character).to_item()?,
            Some(Expression::absent().labelled(NAME_TAKEN)),
        )
        .event(event)?
        .commit(table)
        .await?;
    Ok(())
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
        Some(Expression::revision_is(before.revision).labelled(CHARACTER_CHANGED)),
    );
    if name_key(&before.name) != name_key(&after.name) {
        tx = tx.delete(
            Table::key(
                Character::pk(&before.script_id),
                Character::name_sk(&before.name),
            ),
            None,
        );
        tx = tx.put(
            NameItem::new(after).to_item()?,
            Some(Expression::absent().labelled(NAME_TAKEN)),
        );
    }
    tx.event(event)?.commit(table).await?;
    Ok(())
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
            Some(Expression::revision_is(character.revision).labelled(CHARACTER_CHANGED)),
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
        .await?;
    Ok(())
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
