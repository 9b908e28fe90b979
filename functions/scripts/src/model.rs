use chrono::{DateTime, Utc};
use fountain_events::catalog::ScriptFields;
use fountain_http::text_schema::{non_blank, optional_non_blank, optional_text};
use fountain_http::{Checks, nullable};
use fountain_store::{Item, ItemCodec, StoreError, from_item, keyed_item, keys};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_AUTHOR_CHARS: usize = 200;
pub const MAX_DESCRIPTION_CHARS: usize = 4000;

/// A script as the API shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Script {
    pub script_id: String,
    pub title: String,
    pub author: Option<String>,
    pub description: Option<String>,
    pub owner_id: String,
    /// Increases with every change; the ETag is this number in quotes.
    pub revision: u64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The comment of the latest change.
    pub comment: Option<String>,
    /// Set while a version is being restored: structure writes wait for it. Never shown,
    /// and never written back by a `put` of the script (only a restore sets it).
    #[serde(default, skip_serializing)]
    #[schema(ignore)]
    pub restore_lock: Option<RestoreLock>,
}

/// The lock a restore holds on its script (the `restoreLock` map of the script item).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RestoreLock {
    /// Unique per restore attempt: only its holder may release it.
    pub lock_id: String,
    pub version_id: String,
    /// Epoch milliseconds; after it, another restore may take the lock over.
    pub until_ms: i64,
}

impl Script {
    pub fn pk(script_id: &str) -> String {
        keys::script(script_id)
    }

    pub const SK: &'static str = keys::SCRIPT_SK;

    pub fn fields(&self) -> ScriptFields {
        ScriptFields {
            title: self.title.clone(),
            author: self.author.clone(),
            description: self.description.clone(),
        }
    }
}

/// The stored item: the script plus its keys (listed through its members' membership
/// items). Written out field by field: serde's `flatten` loses DynamoDB's number types.
impl ItemCodec for Script {
    fn to_item(&self) -> Result<Item, StoreError> {
        keyed_item(
            self,
            &[
                ("pk", &Script::pk(&self.script_id)),
                ("sk", Script::SK),
                ("entity", "script"),
            ],
        )
    }

    fn from_item(item: Item) -> Result<Self, StoreError> {
        from_item(item)
    }
}

/// `POST /scripts`
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateScript {
    #[schema(schema_with = non_blank::<MAX_TITLE_CHARS>)]
    pub title: String,
    #[schema(schema_with = optional_text::<MAX_AUTHOR_CHARS>)]
    pub author: Option<String>,
    #[schema(schema_with = optional_text::<MAX_DESCRIPTION_CHARS>)]
    pub description: Option<String>,
    /// Why the caller makes this change; stored with it and carried in the event.
    pub comment: Option<String>,
    /// Characters to create with the script (by the characters context, reacting to
    /// ScriptCreated); names equal ignoring case and surrounding blanks are one character.
    #[schema(schema_with = cast_schema)]
    pub cast: Option<Vec<String>>,
    /// `true` queues a first generation job once the script exists (it counts against the
    /// daily quota like any other).
    pub generate: Option<bool>,
}

/// At most this many names in an initial cast.
pub const MAX_CAST: usize = 50;
/// A character's name, as the characters context limits it.
pub const MAX_CAST_NAME_CHARS: usize = 100;

fn cast_schema() -> utoipa::openapi::schema::Array {
    utoipa::openapi::schema::ArrayBuilder::new()
        .schema_type(utoipa::openapi::schema::SchemaType::from_iter([
            utoipa::openapi::schema::Type::Array,
            utoipa::openapi::schema::Type::Null,
        ]))
        .items(fountain_http::text_schema::non_blank::<MAX_CAST_NAME_CHARS>())
        .max_items(Some(MAX_CAST))
        .build()
}

impl CreateScript {
    /// The initial cast: trimmed, each name once ignoring case (the first spelling kept).
    pub fn cast(&self) -> Vec<String> {
        let mut seen = std::collections::HashSet::new();
        self.cast
            .iter()
            .flatten()
            .map(|name| name.trim().to_owned())
            .filter(|name| seen.insert(name.to_lowercase()))
            .collect()
    }

    pub fn validate(&self) -> Result<(), fountain_http::ApiError> {
        let names = self.cast.as_deref().unwrap_or_default();
        if names.len() > MAX_CAST {
            return Err(fountain_http::ApiError::field(
                "cast",
                format!("at most {MAX_CAST} names"),
            ));
        }
        let mut checks = Checks::new();
        for (i, name) in names.iter().enumerate() {
            checks.required(&format!("cast[{i}]"), name, MAX_CAST_NAME_CHARS);
        }
        checks
            .required("title", &self.title, MAX_TITLE_CHARS)
            .optional("author", self.author.as_deref(), MAX_AUTHOR_CHARS)
            .optional(
                "description",
                self.description.as_deref(),
                MAX_DESCRIPTION_CHARS,
            )
            .comment(self.comment.as_deref())
            .finish()
    }
}

/// `PATCH /scripts/{scriptId}`: absent fields stay, `null` clears an optional field.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateScript {
    #[schema(schema_with = optional_non_blank::<MAX_TITLE_CHARS>)]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(schema_with = optional_text::<MAX_AUTHOR_CHARS>)]
    pub author: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(schema_with = optional_text::<MAX_DESCRIPTION_CHARS>)]
    pub description: Option<Option<String>>,
    pub comment: Option<String>,
}

impl UpdateScript {
    pub fn validate(&self) -> Result<(), fountain_http::ApiError> {
        let mut checks = Checks::new();
        if let Some(title) = &self.title {
            checks.required("title", title, MAX_TITLE_CHARS);
        }
        checks
            .optional(
                "author",
                self.author.clone().flatten().as_deref(),
                MAX_AUTHOR_CHARS,
            )
            .optional(
                "description",
                self.description.clone().flatten().as_deref(),
                MAX_DESCRIPTION_CHARS,
            )
            .comment(self.comment.as_deref())
            .finish()
    }

    /// Applies the patch; returns the names of the fields whose value changed.
    pub fn apply(&self, script: &mut Script) -> Vec<String> {
        let mut changed = Vec::new();
        if let Some(title) = &self.title
            && *title != script.title
        {
            script.title = title.clone();
            changed.push("title".to_owned());
        }
        if let Some(author) = &self.author
            && *author != script.author
        {
            script.author = author.clone();
            changed.push("author".to_owned());
        }
        if let Some(description) = &self.description
            && *description != script.description
        {
            script.description = description.clone();
            changed.push("description".to_owned());
        }
        changed
    }
}

/// A page of the caller's scripts.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScriptPage {
    pub items: Vec<Script>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}
