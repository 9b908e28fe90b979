use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CharacterCreated {
    pub character_id: String,
    pub script_id: String,
    pub name: String,
    pub description: Option<String>,
    pub revision: u64,
    pub comment: Option<String>,
}
domain_event!(CharacterCreated, source: "fountain.characters", aggregate: "Character", id: character_id,
    "A character was added to a script.");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CharacterUpdated {
    pub character_id: String,
    pub script_id: String,
    pub name: String,
    /// Set when the change renamed the character.
    pub previous_name: Option<String>,
    pub description: Option<String>,
    pub revision: u64,
    pub comment: Option<String>,
}
domain_event!(CharacterUpdated, source: "fountain.characters", aggregate: "Character", id: character_id,
    "A character's name or description changed.");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CharacterDeleted {
    pub character_id: String,
    pub script_id: String,
    pub name: String,
    pub comment: Option<String>,
}
domain_event!(CharacterDeleted, source: "fountain.characters", aggregate: "Character", id: character_id,
    "A character was removed from a script (not sent when its whole script is deleted).");
