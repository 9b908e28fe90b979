//! Reads and writes of sessions and their context. A session is an item of its owner's
//! partition, so only the owner's requests find it. Every context write holds, in its
//! transaction, only while the session is still active (a condition on the session item); an
//! entry scoped to a character also checks that the session's script, the owner's
//! membership in it and the character are there; a key is unique in its scope through a
//! reservation item put with the entry.

use std::collections::HashMap;

use aws_sdk_dynamodb::operation::query::builders::QueryFluentBuilder;

use fountain_characters::Character;
use fountain_events::EventEnvelope;
use fountain_events::ids::is_id;
use fountain_http::ApiError;
use fountain_scripts::Script;
use fountain_scripts::access::Membership;
use fountain_store::{
    Condition, Cursor, CursorError, Expression, Item, ItemCodec, LSI1, Label, PK, Page, PageError,
    StoreError, Table, Transaction, n, query_page, s,
};

use crate::listing::{ContextListing, Range, SessionListing};
use crate::model::{ContextEntry, MAX_ENTRIES, Session, SessionState};

/// Why a write was refused.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("the script is gone or no longer visible")]
    ScriptGone,
    #[error("the session ended or filled up meanwhile")]
    SessionChanged,
    #[error("unknown character {0}")]
    UnknownCharacter(String),
    #[error("the key {0} is taken")]
    KeyTaken(String),
    #[error("the entry changed meanwhile")]
    Stale,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<WriteError> for ApiError {
    fn from(error: WriteError) -> Self {
        match error {
            WriteError::ScriptGone => ApiError::NotFound("script"),
            WriteError::SessionChanged => ApiError::Conflict(
                "the session ended or reached its limit of context entries meanwhile".into(),
            ),
            WriteError::UnknownCharacter(character_id) => unknown_character(&character_id),
            WriteError::KeyTaken(key) => key_taken(&key),
            WriteError::Stale => {
                ApiError::PreconditionFailed("the context entry changed meanwhile".into())
            }
            WriteError::Store(store) => store.into(),
        }
    }
}

/// The answer to an entry scoped to something that is not a character of the session's
/// script (or that the owner can no longer see).
pub fn unknown_character(character_id: &str) -> ApiError {
    ApiError::BadRequest(format!(
        "unknown character: the session's script has no character {character_id} visible to you"
    ))
}

pub fn key_taken(key: &str) -> ApiError {
    ApiError::Conflict(format!(
        "this session already has an entry with the key {key:?} in that scope (keys ignore case)"
    ))
}

/// The session ended, filled up or is gone.
const SESSION_CHANGED: Label = Label::new("session changed meanwhile");
/// The session's script is gone, or its owner is no longer a member.
const SCRIPT_GONE: Label = Label::new("script gone or no longer visible");
/// An entry's character (or its script, or the owner's membership) is gone.
const CHARACTER_GONE: Label = Label::new("character gone or no longer visible");
/// Another entry of the scope holds the key.
const KEY_TAKEN: Label = Label::new("context key taken");
/// The entry is not at the revision a change is based on, or is gone.
const ENTRY_CHANGED: Label = Label::new("entry changed meanwhile");

/// What a refused write means; the character and key name what the answer is about.
#[derive(Debug, Clone, Default)]
struct Refusal {
    character_id: Option<String>,
    key: Option<String>,
}

impl Refusal {
    fn classify(&self, error: StoreError) -> WriteError {
        if error.refused(SESSION_CHANGED) {
            WriteError::SessionChanged
        } else if error.refused(SCRIPT_GONE) {
            WriteError::ScriptGone
        } else if let Some(character_id) = &self.character_id
            && error.refused(CHARACTER_GONE)
        {
            WriteError::UnknownCharacter(character_id.clone())
        } else if let Some(key) = &self.key
            && error.refused(KEY_TAKEN)
        {
            WriteError::KeyTaken(key.clone())
        } else if error.refused(ENTRY_CHANGED) {
            WriteError::Stale
        } else {
            WriteError::Store(error)
        }
    }
}

/// The script exists and `user_id` is still a member of it (any role reads); `label` says
/// what their failure means to the write.
fn can_read_script(script_id: &str, user_id: &str, label: Label) -> [(Item, Condition); 2] {
    let exists = || Expression::new("attribute_exists(pk)").labelled(label);
    [
        (Table::key(Script::pk(script_id), Script::SK), exists()),
        (Membership::key(script_id, user_id), exists()),
    ]
}

fn session_key(session: &Session) -> Item {
    Table::key(
        Session::pk(&session.owner_id),
        Session::sk(&session.session_id),
    )
}

/// The session is still there and active.
fn active() -> Expression {
    Expression::new("attribute_exists(pk) AND #state = :active")
        .name("#state", "state")
        .value(":active", s(SessionState::Active.as_str()))
}

/// The session's entry count moves by one, up or down, only while the session is active
/// (and, when adding, below the limit).
fn count(adding: bool) -> (Expression, Condition) {
    let update =
        Expression::new("ADD entryCount :delta").value(":delta", n(if adding { 1 } else { -1 }));
    let mut condition = active();
    if adding {
        condition.text.push_str(" AND entryCount < :max");
        condition = condition.value(":max", n(MAX_ENTRIES));
    }
    (update, condition.labelled(SESSION_CHANGED))
}

/// The item that reserves an entry's key in its scope.
fn reservation(entry: &ContextEntry) -> Item {
    HashMap::from([
        ("pk".to_owned(), s(Session::context_pk(&entry.session_id))),
        ("sk".to_owned(), s(entry.key_sk())),
        ("entity".to_owned(), s("context-key")),
        ("entryId".to_owned(), s(&entry.entry_id)),
    ])
}

fn reservation_key(entry: &ContextEntry) -> Item {
    Table::key(Session::context_pk(&entry.session_id), entry.key_sk())
}

pub async fn load_session(
    table: &Table,
    owner_id: &str,
    session_id: &str,
) -> Result<Option<Session>, StoreError> {
    if !is_id(session_id) {
        return Ok(None);
    }
    table
        .get_as::<Session>(&Session::pk(owner_id), &Session::sk(session_id))
        .await
}

pub async fn load_entry(
    table: &Table,
    session_id: &str,
    entry_id: &str,
) -> Result<Option<ContextEntry>, StoreError> {
    if !is_id(session_id) || !is_id(entry_id) {
        return Ok(None);
    }
    table
        .get_as::<ContextEntry>(
            &Session::context_pk(session_id),
            &ContextEntry::sk(entry_id),
        )
        .await
}

/// Starts `session`; one bound to a script holds only while the script exists and its
/// owner is still a member.
pub async fn start(
    table: &Table,
    session: &Session,
    event: &EventEnvelope,
) -> Result<(), WriteError> {
    let mut tx = Transaction::new();
    if let Some(script_id) = &session.script_id {
        for (key, condition) in can_read_script(script_id, &session.owner_id, SCRIPT_GONE) {
            tx = tx.check(key, condition);
        }
    }
    tx.create(session.to_item()?)
        .event(event)?
        .commit(table)
        .await
        .map_err(|e| Refusal::default().classify(e))
}

/// Writes `after`, the ended session, if the session is still active. Only the fields an end
/// changes are written, so a context change that lands meanwhile keeps its count.
pub async fn end(table: &Table, after: &Session, event: &EventEnvelope) -> Result<(), WriteError> {
    let item = after.to_item()?;
    let mut update = Expression::default().value(":ended", s(SessionState::Ended.as_str()));
    let mut assignments = vec!["#state = :ended".to_owned()];
    for attribute in ["lsi1sk", "revision", "updatedAt", "endedAt", "comment"] {
        let value = item
            .get(attribute)
            .cloned()
            .ok_or_else(|| StoreError::Corrupt(format!("an ended session has no {attribute}")))?;
        update = update
            .name(&format!("#{attribute}"), attribute)
            .value(&format!(":{attribute}"), value);
        assignments.push(format!("#{attribute} = :{attribute}"));
    }
    update.text = format!("SET {}", assignments.join(", "));
    Transaction::new()
        .update(
            session_key(after),
            update,
            Some(active().labelled(SESSION_CHANGED)),
        )
        .event(event)?
        .commit(table)
        .await
        .map_err(|e| Refusal::default().classify(e))
}

/// Adds `entry` to `session`: the session active with room (the update that also counts
/// the entry), an entry scoped to a character checked in the session's script, its key free in
/// its scope.
pub async fn add_entry(
    table: &Table,
    session: &Session,
    entry: &ContextEntry,
    event: &EventEnvelope,
) -> Result<(), WriteError> {
    let (update, condition) = count(true);
    let mut tx = Transaction::new().update(session_key(session), update, Some(condition));
    if let Some(character_id) = &entry.character_id {
        let script_id = session
            .script_id
            .as_deref()
            .ok_or_else(|| WriteError::UnknownCharacter(character_id.clone()))?;
        for (key, condition) in can_read_script(script_id, &session.owner_id, CHARACTER_GONE) {
            tx = tx.check(key, condition);
        }
        tx = tx.check(
            Table::key(Script::pk(script_id), Character::sk(character_id)),
            Expression::new("attribute_exists(pk)").labelled(CHARACTER_GONE),
        );
    }
    let refusal = Refusal {
        character_id: entry.character_id.clone(),
        key: Some(entry.key.clone()),
    };
    tx.put(
        reservation(entry),
        Some(Expression::absent().labelled(KEY_TAKEN)),
    )
    .create(entry.to_item()?)
    .event(event)?
    .commit(table)
    .await
    .map_err(|e| refusal.classify(e))
}

/// Replaces `before` by `after` if it is still at the revision read and the session is
/// still active; a key that changes (ignoring case) moves its reservation.
pub async fn replace_entry(
    table: &Table,
    session: &Session,
    before: &ContextEntry,
    after: &ContextEntry,
    event: &EventEnvelope,
) -> Result<(), WriteError> {
    let mut tx = Transaction::new()
        .check(session_key(session), active().labelled(SESSION_CHANGED))
        .put(
            after.to_item()?,
            Some(Expression::revision_is(before.revision).labelled(ENTRY_CHANGED)),
        );
    if before.key_sk() != after.key_sk() {
        tx = tx.delete(reservation_key(before), None).put(
            reservation(after),
            Some(Expression::absent().labelled(KEY_TAKEN)),
        );
    }
    let refusal = Refusal {
        character_id: None,
        key: Some(after.key.clone()),
    };
    tx.event(event)?
        .commit(table)
        .await
        .map_err(|e| refusal.classify(e))
}

/// Removes `entry` at the revision read, while the session is active (which counts it out).
pub async fn remove_entry(
    table: &Table,
    session: &Session,
    entry: &ContextEntry,
    event: &EventEnvelope,
) -> Result<(), WriteError> {
    let (update, condition) = count(false);
    Transaction::new()
        .update(session_key(session), update, Some(condition))
        .delete(
            Table::key(
                Session::context_pk(&entry.session_id),
                ContextEntry::sk(&entry.entry_id),
            ),
            Some(Expression::revision_is(entry.revision).labelled(ENTRY_CHANGED)),
        )
        .delete(reservation_key(entry), None)
        .event(event)?
        .commit(table)
        .await
        .map_err(|e| Refusal::default().classify(e))
}

/// One page of the owner's sessions, newest first (strongly consistent).
pub async fn list_sessions(
    table: &Table,
    owner_id: &str,
    listing: SessionListing,
    limit: i32,
    cursor: Option<&str>,
) -> Result<Page<Session>, PageError> {
    let partition = Session::pk(owner_id);
    let range = listing.range();
    if let Some(cursor) = cursor {
        continues(cursor, &partition, &range)?;
    }
    query_page(
        query(table, &partition, &range).scan_index_forward(false),
        (PK, &partition),
        limit,
        cursor,
    )
    .await
}

/// One page of a session's context, or of one character's, in creation order (strongly
/// consistent). A character id that is no ULID names no character and has none.
pub async fn list_entries(
    table: &Table,
    session_id: &str,
    listing: &ContextListing,
    limit: i32,
    cursor: Option<&str>,
) -> Result<Page<ContextEntry>, PageError> {
    let partition = Session::context_pk(session_id);
    let range = listing.range();
    if let Some(cursor) = cursor {
        continues(cursor, &partition, &range)?;
    }
    if let ContextListing::Of(character_id) = listing
        && !is_id(character_id)
    {
        return Ok(Page {
            items: Vec::new(),
            next_cursor: None,
        });
    }
    query_page(
        query(table, &partition, &range),
        (PK, &partition),
        limit,
        cursor,
    )
    .await
}

fn query(table: &Table, partition: &str, range: &Range) -> QueryFluentBuilder {
    if range.on_index() {
        table
            .client
            .query()
            .table_name(&table.name)
            .index_name(LSI1)
            .key_condition_expression("pk = :pk AND begins_with(#range, :prefix)")
            .expression_attribute_names("#range", range.attribute)
            .expression_attribute_values(":pk", s(partition))
            .expression_attribute_values(":prefix", s(&range.prefix))
            .consistent_read(true)
    } else {
        table.query_prefix(partition, &range.prefix)
    }
}

/// A cursor continues only the listing that returned it: a key of its table or index, in
/// its range. Any other (another state's, another character's, the whole listing's) is a
/// 400, where DynamoDB would refuse it with an error of its own or continue elsewhere.
fn continues(cursor: &str, partition: &str, range: &Range) -> Result<(), CursorError> {
    Cursor::continues_listing(
        cursor,
        partition,
        range.attribute,
        &range.prefix,
        range.key_attributes,
    )
}

#[cfg(test)]
mod tests {
    use fountain_store::keys;

    use super::*;
    use crate::model::SessionState;

    fn cursor(key: &[(&str, &str)]) -> String {
        let key: HashMap<_, _> = key.iter().map(|(k, v)| ((*k).to_owned(), s(*v))).collect();
        Cursor::encode(&key).unwrap()
    }

    #[test]
    fn a_cursor_continues_only_its_own_listing() {
        let mine = &keys::user("alice");
        let id = "01JCX5SESS0000000000000001";
        let all = cursor(&[("pk", mine), ("sk", &keys::session(id))]);
        let active = cursor(&[
            ("pk", mine),
            ("sk", &keys::session(id)),
            ("lsi1sk", &keys::session_state("active", id)),
        ]);
        let every = SessionListing::All.range();
        let of_active = SessionListing::In(SessionState::Active).range();
        let of_ended = SessionListing::In(SessionState::Ended).range();
        assert!(continues(&all, mine, &every).is_ok());
        assert!(continues(&active, mine, &of_active).is_ok());
        assert!(continues(&active, mine, &of_ended).is_err());
        assert!(continues(&active, mine, &every).is_err());
        assert!(continues(&all, mine, &of_active).is_err());
        assert!(continues(&all, &keys::user("bob"), &every).is_err());
        let family = cursor(&[("pk", mine), ("sk", &keys::family(id))]);
        assert!(continues(&family, mine, &every).is_err());

        let session = keys::session(id);
        let character = "01JCX40A1B2C3D4E5F6G7H8J9K";
        let entry = &keys::context("01JCX5CTXE0000000000000001");
        let whole = cursor(&[("pk", &session), ("sk", entry)]);
        let of_character = cursor(&[
            ("pk", &session),
            ("sk", entry),
            (
                "lsi1sk",
                &keys::context_character(character, "01JCX5CTXE0000000000000001"),
            ),
        ]);
        let by = ContextListing::Of(character.into()).range();
        let by_other = ContextListing::Of("01JCX40A1B2C3D4E5F6G7H8J9M".into()).range();
        assert!(continues(&whole, &session, &ContextListing::All.range()).is_ok());
        assert!(continues(&of_character, &session, &by).is_ok());
        assert!(continues(&of_character, &session, &by_other).is_err());
        assert!(continues(&whole, &session, &by).is_err());
        let reservation = cursor(&[("pk", &session), ("sk", &keys::context_key(None, "mood"))]);
        assert!(continues(&reservation, &session, &ContextListing::All.range()).is_err());
    }

    #[test]
    fn a_refused_write_names_the_rule_it_broke() {
        let failed = |labels: &[Label]| StoreError::Refused {
            labels: labels.to_vec(),
        };
        let adding = Refusal {
            character_id: Some("01JCX40A1B2C3D4E5F6G7H8J9K".into()),
            key: Some("Mood".into()),
        };
        // The session's state decides first, whatever else failed with it.
        assert!(matches!(
            adding.classify(failed(&[KEY_TAKEN, SESSION_CHANGED])),
            WriteError::SessionChanged
        ));
        assert!(matches!(
            adding.classify(failed(&[CHARACTER_GONE])),
            WriteError::UnknownCharacter(c) if c == "01JCX40A1B2C3D4E5F6G7H8J9K"
        ));
        assert!(
            matches!(adding.classify(failed(&[KEY_TAKEN])), WriteError::KeyTaken(k) if k == "Mood")
        );
        assert!(matches!(
            adding.classify(failed(&[Label::ID_TAKEN])),
            WriteError::Store(_)
        ));
        let replacing = Refusal {
            character_id: None,
            key: Some("Tone".into()),
        };
        assert!(matches!(
            replacing.classify(failed(&[ENTRY_CHANGED])),
            WriteError::Stale
        ));
        assert!(matches!(
            replacing.classify(failed(&[KEY_TAKEN])),
            WriteError::KeyTaken(k) if k == "Tone"
        ));
        assert!(matches!(
            Refusal::default().classify(failed(&[SCRIPT_GONE])),
            WriteError::ScriptGone
        ));
        let statuses: Vec<u16> = [
            WriteError::ScriptGone,
            WriteError::SessionChanged,
            WriteError::UnknownCharacter("c".into()),
            WriteError::KeyTaken("k".into()),
            WriteError::Stale,
            WriteError::Store(StoreError::TransactionConflict),
        ]
        .into_iter()
        .map(|e| ApiError::from(e).status())
        .collect();
        assert_eq!(statuses, [404, 409, 400, 409, 412, 409]);
    }

    #[test]
    fn adding_counts_up_to_the_limit_and_removing_counts_down() {
        let (add, add_condition) = count(true);
        assert_eq!(add.text, "ADD entryCount :delta");
        assert_eq!(add.values[":delta"], n(1));
        assert_eq!(add_condition.label(), SESSION_CHANGED);
        let add_condition = add_condition.expression();
        assert_eq!(add_condition.values[":max"], n(MAX_ENTRIES));
        assert_eq!(
            add_condition.text,
            "attribute_exists(pk) AND #state = :active AND entryCount < :max"
        );
        let (remove, remove_condition) = count(false);
        assert_eq!(remove.values[":delta"], n(-1));
        let remove_condition = remove_condition.expression();
        assert!(!remove_condition.values.contains_key(":max"));
        assert_eq!(
            remove_condition.text,
            "attribute_exists(pk) AND #state = :active"
        );
    }
}
