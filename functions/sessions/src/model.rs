use chrono::{DateTime, Utc};
use fountain_http::text_schema::optional_non_blank;
use fountain_http::{ApiError, Checks, FieldError};
use fountain_store::{Item, ItemCodec, StoreError, from_item, keyed_item, keys};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa::openapi::schema::{Object, ObjectBuilder, SchemaType, Type};

pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_KEY_CHARS: usize = 200;
pub const MAX_VALUE_CHARS: usize = 10_000;
/// The most context entries one session holds, of every scope together.
pub const MAX_ENTRIES: u32 = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SessionState {
    Active,
    Ended,
}

impl SessionState {
    pub const NAMES: &'static str = "active or ended";

    pub fn as_str(self) -> &'static str {
        match self {
            SessionState::Active => "active",
            SessionState::Ended => "ended",
        }
    }

    /// The state a query parameter names, if any.
    pub fn parse(name: &str) -> Option<Self> {
        [SessionState::Active, SessionState::Ended]
            .into_iter()
            .find(|s| s.as_str() == name)
    }
}

// Stored as `USER#<ownerId>` / `SESSION#<sessionId>` (the owner's partition), listed by
// state through `lsi1sk = SESSION#<state>#<sessionId>`.
/// A user's working session, optionally bound to a script.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    pub session_id: String,
    /// The user who started it; nobody else sees it.
    pub owner_id: String,
    /// The script it is bound to, fixed at the start; context entries may then be scoped to
    /// that script's characters.
    pub script_id: Option<String>,
    pub title: Option<String>,
    pub state: SessionState,
    /// 1 when started, 2 once ended. Context changes do not move it.
    pub revision: u64,
    /// How many context entries the session holds (at most 500).
    pub entry_count: u32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    /// The comment of the start, or of the end once ended.
    pub comment: Option<String>,
}

impl Session {
    /// The owner's partition (the identity context's `USER#<id>`).
    pub fn pk(owner_id: &str) -> String {
        keys::user(owner_id)
    }

    pub fn sk(session_id: &str) -> String {
        keys::session(session_id)
    }

    pub const SK_PREFIX: &'static str = keys::SESSION;

    /// What the `lsi1sk` of every session in `state` starts with.
    pub fn state_prefix(state: SessionState) -> String {
        keys::session_state_prefix(state.as_str())
    }

    /// Its entry in the local index: by state, then by id (ULID, so creation order).
    pub fn lsi1sk(&self) -> String {
        keys::session_state(self.state.as_str(), &self.session_id)
    }

    /// The partition of its context entries.
    pub fn context_pk(session_id: &str) -> String {
        keys::session(session_id)
    }

    /// This session ended now with `comment`, as its next revision.
    pub fn ended(&self, now: DateTime<Utc>, comment: Option<String>) -> Session {
        Session {
            state: SessionState::Ended,
            revision: self.revision + 1,
            updated_at: now,
            ended_at: Some(now),
            comment,
            ..self.clone()
        }
    }
}

impl ItemCodec for Session {
    fn to_item(&self) -> Result<Item, StoreError> {
        keyed_item(
            self,
            &[
                ("pk", &Session::pk(&self.owner_id)),
                ("sk", &Session::sk(&self.session_id)),
                ("lsi1sk", &self.lsi1sk()),
                ("entity", "session"),
            ],
        )
    }

    fn from_item(item: Item) -> Result<Self, StoreError> {
        from_item(item)
    }
}

// Stored as `SESSION#<sessionId>` / `CTX#<entryId>`; an entry scoped to a character is also
// in the local index as `lsi1sk = CTX#<characterId>#<entryId>`.
/// One piece of a session's context: a key and its value, for the whole session or for one
/// character of the session's script.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ContextEntry {
    pub entry_id: String,
    pub session_id: String,
    /// The character of the session's script it is about; null for the whole session.
    /// Fixed at creation.
    pub character_id: Option<String>,
    /// Unique in its scope regardless of case; trimmed.
    pub key: String,
    /// Exactly as given: any characters, commas, quotes and newlines included.
    pub value: String,
    pub revision: u64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub comment: Option<String>,
}

impl ContextEntry {
    pub fn sk(entry_id: &str) -> String {
        keys::context(entry_id)
    }

    pub const SK_PREFIX: &'static str = keys::CONTEXT;

    /// What the `lsi1sk` of every entry scoped to `character_id` starts with.
    pub fn character_prefix(character_id: &str) -> String {
        keys::context_character_prefix(character_id)
    }

    /// The sort key of the item that reserves this entry's key in its scope.
    pub fn key_sk(&self) -> String {
        key_sk(self.character_id.as_deref(), &self.key)
    }
}

/// The sort key that reserves `key` among the entries of one scope: the session's
/// (`session`, which no ULID spells) or one character's; the key trimmed and lowercased.
pub fn key_sk(character_id: Option<&str>, key: &str) -> String {
    keys::context_key(character_id, &folded_key(key))
}

/// Keys are compared trimmed and ignoring case.
pub fn folded_key(key: &str) -> String {
    key.trim().to_lowercase()
}

impl ItemCodec for ContextEntry {
    fn to_item(&self) -> Result<Item, StoreError> {
        let pk = Session::context_pk(&self.session_id);
        let sk = ContextEntry::sk(&self.entry_id);
        let by_character = self
            .character_id
            .as_deref()
            .map(|c| keys::context_character(c, &self.entry_id));
        let mut keys = vec![
            ("pk", pk.as_str()),
            ("sk", sk.as_str()),
            ("entity", "context-entry"),
        ];
        if let Some(lsi1sk) = &by_character {
            keys.push(("lsi1sk", lsi1sk));
        }
        keyed_item(self, &keys)
    }

    fn from_item(item: Item) -> Result<Self, StoreError> {
        from_item(item)
    }
}

/// `POST /sessions`
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StartSession {
    /// A script the caller can read (any role); fixed for the session's life.
    pub script_id: Option<String>,
    #[schema(schema_with = optional_non_blank::<MAX_TITLE_CHARS>)]
    pub title: Option<String>,
    pub comment: Option<String>,
}

impl StartSession {
    pub fn validate(&self) -> Result<(), ApiError> {
        let mut checks = Checks::new();
        if let Some(title) = &self.title {
            checks.required("title", title, MAX_TITLE_CHARS);
        }
        checks.comment(self.comment.as_deref()).finish()
    }
}

/// `POST /sessions/{sessionId}/end`: an optional body.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EndSession {
    pub comment: Option<String>,
}

/// `POST /sessions/{sessionId}/context`
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateContextEntry {
    /// 1-200 characters, no control characters; trimmed; unique in its scope ignoring case.
    #[schema(schema_with = key_schema)]
    pub key: String,
    /// 1-10,000 characters, kept exactly (not trimmed).
    #[schema(schema_with = value_schema)]
    pub value: String,
    /// A character of the session's script: the entry is about that character only.
    pub character_id: Option<String>,
    pub comment: Option<String>,
}

impl CreateContextEntry {
    pub fn validate(&self) -> Result<(), ApiError> {
        let mut errors = Vec::new();
        errors.extend(key_error(&self.key));
        errors.extend(value_error(&self.value));
        finish(errors, self.comment.as_deref())
    }
}

/// `PATCH /sessions/{sessionId}/context/{entryId}`: absent fields stay. The scope cannot
/// change: an entry about another character is another entry.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateContextEntry {
    #[schema(schema_with = optional_key_schema)]
    pub key: Option<String>,
    #[schema(schema_with = optional_value_schema)]
    pub value: Option<String>,
    pub comment: Option<String>,
}

impl UpdateContextEntry {
    pub fn validate(&self) -> Result<(), ApiError> {
        let mut errors = Vec::new();
        if let Some(key) = &self.key {
            errors.extend(key_error(key));
        }
        if let Some(value) = &self.value {
            errors.extend(value_error(value));
        }
        finish(errors, self.comment.as_deref())
    }

    /// `entry` with this change applied, as its next revision.
    pub fn apply(&self, entry: &ContextEntry, now: DateTime<Utc>) -> ContextEntry {
        let mut next = entry.clone();
        if let Some(key) = &self.key {
            key.trim().clone_into(&mut next.key);
        }
        if let Some(value) = &self.value {
            value.clone_into(&mut next.value);
        }
        next.revision += 1;
        next.updated_at = now;
        next.comment = self.comment.clone();
        next
    }
}

/// What [`key_error`] takes: no control character (Unicode `Cc`, as `char::is_control`)
/// and some character that is not white space.
const KEY_PATTERN: &str = r"^[^\x00-\x1F\x7F-\x9F]*[^\s\x00-\x1F\x7F-\x9F][^\x00-\x1F\x7F-\x9F]*$";

fn key_schema() -> Object {
    key_rules(Type::String.into())
}

fn optional_key_schema() -> Object {
    key_rules(SchemaType::from_iter([Type::String, Type::Null]))
}

fn key_rules(types: SchemaType) -> Object {
    ObjectBuilder::new()
        .schema_type(types)
        .min_length(Some(1))
        .max_length(Some(MAX_KEY_CHARS))
        .pattern(Some(KEY_PATTERN))
        .description(Some(
            "1-200 characters, no control characters; trimmed; unique in its scope ignoring case.",
        ))
        .build()
}

fn value_schema() -> Object {
    value_rules(Type::String.into())
}

fn optional_value_schema() -> Object {
    value_rules(SchemaType::from_iter([Type::String, Type::Null]))
}

fn value_rules(types: SchemaType) -> Object {
    ObjectBuilder::new()
        .schema_type(types)
        .min_length(Some(1))
        .max_length(Some(MAX_VALUE_CHARS))
        .description(Some("1-10,000 characters, kept exactly (not trimmed)."))
        .build()
}

fn key_error(key: &str) -> Option<FieldError> {
    let trimmed = key.trim();
    let length = trimmed.chars().count();
    if trimmed.is_empty() {
        Some(FieldError::new("key", "must not be blank"))
    } else if length > MAX_KEY_CHARS {
        Some(FieldError::new(
            "key",
            format!("must be at most {MAX_KEY_CHARS} characters (got {length})"),
        ))
    } else if trimmed.chars().any(char::is_control) {
        Some(FieldError::new(
            "key",
            "must not contain control characters (tabs, newlines and the like)",
        ))
    } else {
        None
    }
}

fn value_error(value: &str) -> Option<FieldError> {
    let length = value.chars().count();
    if length == 0 {
        Some(FieldError::new("value", "must not be empty"))
    } else if length > MAX_VALUE_CHARS {
        Some(FieldError::new(
            "value",
            format!("must be at most {MAX_VALUE_CHARS} characters (got {length})"),
        ))
    } else {
        None
    }
}

/// `errors` and the comment's, all in one 422.
fn finish(mut errors: Vec<FieldError>, comment: Option<&str>) -> Result<(), ApiError> {
    if let Err(ApiError::Validation(more)) = Checks::new().comment(comment).finish() {
        errors.extend(more);
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(errors))
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SessionPage {
    pub items: Vec<Session>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ContextEntryPage {
    pub items: Vec<ContextEntry>,
    pub next_cursor: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const SESSION: &str = "01JCX5SESS0000000000000001";
    const CHARACTER: &str = "01JCX40A1B2C3D4E5F6G7H8J9K";

    fn session() -> Session {
        let now = Utc::now();
        Session {
            session_id: SESSION.into(),
            owner_id: "alice".into(),
            script_id: Some("01JCX3ZK0M5V6Q7R8S9T0W1X2Y".into()),
            title: Some("Rewrite of act two".into()),
            state: SessionState::Active,
            revision: 1,
            entry_count: 0,
            created_at: now,
            updated_at: now,
            ended_at: None,
            comment: None,
        }
    }

    fn entry(character_id: Option<&str>) -> ContextEntry {
        let now = Utc::now();
        ContextEntry {
            entry_id: "01JCX5CTX00000000000000001".into(),
            session_id: SESSION.into(),
            character_id: character_id.map(str::to_owned),
            key: "Mood".into(),
            value: "tired, \"fine\"\nand 🙂".into(),
            revision: 1,
            created_at: now,
            updated_at: now,
            comment: None,
        }
    }

    fn fields(error: ApiError) -> Vec<String> {
        match error {
            ApiError::Validation(errors) => errors.into_iter().map(|e| e.field).collect(),
            other => panic!("not a validation error: {other:?}"),
        }
    }

    #[test]
    fn a_session_lives_in_its_owners_partition_and_is_indexed_by_state() {
        let active = session();
        let item = active.to_item().unwrap();
        assert_eq!(item["pk"].as_s().unwrap(), &keys::user("alice"));
        assert_eq!(item["sk"].as_s().unwrap(), &keys::session(SESSION));
        assert_eq!(
            item["lsi1sk"].as_s().unwrap(),
            &keys::session_state("active", SESSION)
        );
        assert_eq!(item["entryCount"].as_n().unwrap(), "0");
        assert_eq!(Session::from_item(item).unwrap(), active);

        let now = Utc::now();
        let ended = active.ended(now, Some("done".into()));
        assert_eq!(
            (
                ended.state,
                ended.revision,
                ended.ended_at,
                ended.updated_at
            ),
            (SessionState::Ended, 2, Some(now), now)
        );
        assert_eq!(ended.created_at, active.created_at);
        assert_eq!(ended.lsi1sk(), keys::session_state("ended", SESSION));
        assert!(
            ended
                .lsi1sk()
                .starts_with(&Session::state_prefix(SessionState::Ended))
        );
    }

    #[test]
    fn an_entry_is_indexed_only_when_scoped_to_a_character_and_keeps_its_value_exactly() {
        let whole = entry(None);
        let item = whole.to_item().unwrap();
        assert_eq!(item["pk"].as_s().unwrap(), &keys::session(SESSION));
        assert_eq!(
            item["sk"].as_s().unwrap(),
            &keys::context("01JCX5CTX00000000000000001")
        );
        assert!(!item.contains_key("lsi1sk"));
        assert_eq!(item["value"].as_s().unwrap(), "tired, \"fine\"\nand 🙂");
        assert_eq!(ContextEntry::from_item(item).unwrap(), whole);

        let scoped = entry(Some(CHARACTER));
        let item = scoped.to_item().unwrap();
        assert_eq!(
            item["lsi1sk"].as_s().unwrap(),
            &keys::context_character(CHARACTER, "01JCX5CTX00000000000000001")
        );
        assert_eq!(ContextEntry::from_item(item).unwrap(), scoped);
    }

    #[test]
    fn keys_are_reserved_per_scope_trimmed_and_ignoring_case() {
        assert_eq!(entry(None).key_sk(), keys::context_key(None, "mood"));
        assert_eq!(
            entry(Some(CHARACTER)).key_sk(),
            keys::context_key(Some(CHARACTER), "mood")
        );
        assert_eq!(key_sk(None, "  MOOD "), key_sk(None, "mood"));
        assert_ne!(key_sk(None, "mood"), key_sk(Some(CHARACTER), "mood"));
        // A key may hold the separator: the scope comes first and never contains one.
        assert_eq!(key_sk(None, "a#b, c"), keys::context_key(None, "a#b, c"));
    }

    #[test]
    fn values_keep_every_character_and_keys_refuse_blanks_controls_and_length() {
        let create = |key: &str, value: &str| CreateContextEntry {
            key: key.into(),
            value: value.into(),
            character_id: None,
            comment: None,
        };
        for value in [
            " ",
            "a, b, c",
            "line one\nline two\r\n\ttabbed",
            "\"quoted\" and 'single'",
            "🙂👩‍👩‍👧 ünïcödé",
            &"é".repeat(MAX_VALUE_CHARS),
        ] {
            assert!(create("k", value).validate().is_ok(), "{value:?}");
        }
        assert!(create("tone, pace", "x").validate().is_ok());
        assert!(create(&"k".repeat(MAX_KEY_CHARS), "x").validate().is_ok());
        assert_eq!(
            fields(create("  ", "").validate().unwrap_err()),
            ["key", "value"]
        );
        assert_eq!(fields(create("a\nb", "x").validate().unwrap_err()), ["key"]);
        assert_eq!(
            fields(
                create(
                    &"k".repeat(MAX_KEY_CHARS + 1),
                    &"v".repeat(MAX_VALUE_CHARS + 1)
                )
                .validate()
                .unwrap_err()
            ),
            ["key", "value"]
        );
        let long_comment = CreateContextEntry {
            comment: Some("c".repeat(1001)),
            ..create("k", "v")
        };
        assert_eq!(fields(long_comment.validate().unwrap_err()), ["comment"]);
    }

    #[test]
    fn a_patch_keeps_what_it_omits_trims_the_key_not_the_value_and_cannot_rescope() {
        let before = entry(Some(CHARACTER));
        let now = Utc::now();
        let kept = UpdateContextEntry::default().apply(&before, now);
        assert_eq!(
            (kept.key.as_str(), kept.value.as_str(), kept.revision),
            ("Mood", before.value.as_str(), 2)
        );
        let patch: UpdateContextEntry =
            serde_json::from_str(r#"{ "key": " Tone ", "value": "  spaced,\n " }"#).unwrap();
        assert!(patch.validate().is_ok());
        let after = patch.apply(&before, now);
        assert_eq!(
            (after.key.as_str(), after.value.as_str(), after.updated_at),
            ("Tone", "  spaced,\n ", now)
        );
        assert_eq!(after.character_id, before.character_id);
        let rescope = serde_json::from_str::<UpdateContextEntry>(
            r#"{ "characterId": "01JCX40A1B2C3D4E5F6G7H8J9K" }"#,
        );
        assert!(rescope.is_err());
        let blank = UpdateContextEntry {
            key: Some(" ".into()),
            value: Some(String::new()),
            ..UpdateContextEntry::default()
        };
        assert_eq!(fields(blank.validate().unwrap_err()), ["key", "value"]);
    }

    #[test]
    fn a_title_when_given_is_not_blank_nor_too_long() {
        assert!(StartSession::default().validate().is_ok());
        let titled = |title: String| StartSession {
            title: Some(title),
            ..StartSession::default()
        };
        assert!(titled("Draft".into()).validate().is_ok());
        assert_eq!(
            fields(titled(" ".into()).validate().unwrap_err()),
            ["title"]
        );
        assert_eq!(
            fields(
                titled("t".repeat(MAX_TITLE_CHARS + 1))
                    .validate()
                    .unwrap_err()
            ),
            ["title"]
        );
        assert_eq!(SessionState::parse("ended"), Some(SessionState::Ended));
        assert_eq!(SessionState::parse("Ended"), None);
    }
}
