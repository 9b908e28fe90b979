use chrono::{DateTime, Utc};
use fountain_http::text_schema::{non_blank, optional_non_blank, optional_text};
use fountain_http::{Checks, nullable};
use fountain_store::{Item, ItemCodec, StoreError, from_item, keyed_item, keys, to_item};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const MAX_NAME_CHARS: usize = 100;
pub const MAX_DESCRIPTION_CHARS: usize = 4000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Character {
    pub character_id: String,
    pub script_id: String,
    pub name: String,
    pub description: Option<String>,
    pub revision: u64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub comment: Option<String>,
}

impl Character {
    pub fn pk(script_id: &str) -> String {
        keys::script(script_id)
    }

    pub fn sk(character_id: &str) -> String {
        keys::character(character_id)
    }

    pub const SK_PREFIX: &'static str = keys::CHARACTER;

    /// The sort key of the item that reserves a name in its script, case-insensitively.
    pub fn name_sk(name: &str) -> String {
        keys::character_name(&name_key(name))
    }
}

/// Names compare without regard to case (Unicode lowercase) or surrounding blanks.
pub fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

impl ItemCodec for Character {
    fn to_item(&self) -> Result<Item, StoreError> {
        keyed_item(
            self,
            &[
                ("pk", &Character::pk(&self.script_id)),
                ("sk", &Character::sk(&self.character_id)),
                ("entity", "character"),
            ],
        )
    }

    fn from_item(item: Item) -> Result<Self, StoreError> {
        from_item(item)
    }
}

/// The item that reserves a character name in a script.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NameItem {
    pk: String,
    sk: String,
    entity: &'static str,
    character_id: String,
}

impl NameItem {
    pub fn new(character: &Character) -> Self {
        Self {
            pk: Character::pk(&character.script_id),
            sk: Character::name_sk(&character.name),
            entity: "character-name",
            character_id: character.character_id.clone(),
        }
    }

    pub fn to_item(&self) -> Result<Item, StoreError> {
        to_item(self)
    }
}

/// `POST /scripts/{scriptId}/characters`
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateCharacter {
    #[schema(schema_with = non_blank::<MAX_NAME_CHARS>)]
    pub name: String,
    #[schema(schema_with = optional_text::<MAX_DESCRIPTION_CHARS>)]
    pub description: Option<String>,
    pub comment: Option<String>,
}

impl CreateCharacter {
    pub fn validate(&self) -> Result<(), fountain_http::ApiError> {
        Checks::new()
            .required("name", &self.name, MAX_NAME_CHARS)
            .optional(
                "description",
                self.description.as_deref(),
                MAX_DESCRIPTION_CHARS,
            )
            .comment(self.comment.as_deref())
            .finish()
    }
}

/// `PATCH .../characters/{characterId}`: absent fields stay, `null` clears the description.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateCharacter {
    #[schema(schema_with = optional_non_blank::<MAX_NAME_CHARS>)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(schema_with = optional_text::<MAX_DESCRIPTION_CHARS>)]
    pub description: Option<Option<String>>,
    pub comment: Option<String>,
}

impl UpdateCharacter {
    pub fn validate(&self) -> Result<(), fountain_http::ApiError> {
        let mut checks = Checks::new();
        if let Some(name) = &self.name {
            checks.required("name", name, MAX_NAME_CHARS);
        }
        checks
            .optional(
                "description",
                self.description.clone().flatten().as_deref(),
                MAX_DESCRIPTION_CHARS,
            )
            .comment(self.comment.as_deref())
            .finish()
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CharacterPage {
    pub items: Vec<Character>,
    pub next_cursor: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_differing_only_in_case_or_blanks_reserve_the_same_key() {
        assert_eq!(Character::name_sk("Élodie "), Character::name_sk("ÉLODIE"));
        assert_ne!(Character::name_sk("ANNA"), Character::name_sk("ANNE"));
    }
}
