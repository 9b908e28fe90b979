//! A session's context applied to a story: entries scoped to a character go to that
//! character, the others to the whole story. Values are shown exactly as stored.

use std::collections::HashMap;

use fountain_http::ApiError;
use fountain_sessions::store::{list_entries, load_session};
use fountain_sessions::{ContextEntry, ContextListing};
use fountain_store::Table;

use crate::model::{ContextNote, Story};

/// The session's entries (all pages) when `session_id` names a session of `user_id` that
/// may enrich a story of `script_id`: 404 for anyone else's, 400 for one bound to another
/// script.
pub async fn session_context(
    table: &Table,
    user_id: &str,
    session_id: &str,
    script_id: &str,
) -> Result<Vec<ContextEntry>, ApiError> {
    check_session(table, user_id, session_id, script_id).await?;
    let mut entries = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page = list_entries(
            table,
            session_id,
            &ContextListing::All,
            100,
            cursor.as_deref(),
        )
        .await?;
        entries.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return Ok(entries),
        }
    }
}

/// That `session_id` names a session of `user_id` that may enrich a story of `script_id`
/// (the checks of [`session_context`], without reading the entries).
pub async fn check_session(
    table: &Table,
    user_id: &str,
    session_id: &str,
    script_id: &str,
) -> Result<(), ApiError> {
    let session = load_session(table, user_id, session_id)
        .await?
        .ok_or(ApiError::NotFound("session"))?;
    if session
        .script_id
        .as_deref()
        .is_some_and(|bound| bound != script_id)
    {
        return Err(ApiError::BadRequest(
            "the session is bound to another script".into(),
        ));
    }
    Ok(())
}

/// `story` with `entries` in place: per character, and global.
pub fn apply(mut story: Story, entries: Vec<ContextEntry>) -> Story {
    let mut scoped: HashMap<String, Vec<ContextNote>> = HashMap::new();
    for entry in entries {
        let note = ContextNote {
            key: entry.key,
            value: entry.value,
        };
        match entry.character_id {
            Some(character_id) => scoped.entry(character_id).or_default().push(note),
            None => story.context.push(note),
        }
    }
    for character in &mut story.characters {
        if let Some(notes) = scoped.remove(&character.character_id) {
            character.context = notes;
        }
    }
    story
}
