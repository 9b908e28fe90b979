use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The descriptive fields of a script, as of an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScriptFields {
    pub title: String,
    pub author: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScriptCreated {
    pub script_id: String,
    pub owner_id: String,
    pub revision: u64,
    #[serde(flatten)]
    pub fields: ScriptFields,
    pub comment: Option<String>,
}
domain_event!(ScriptCreated, source: "fountain.scripts", aggregate: "Script", id: script_id,
    "A script was created by its owner.");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScriptUpdated {
    pub script_id: String,
    pub revision: u64,
    /// The script's fields after the change.
    #[serde(flatten)]
    pub fields: ScriptFields,
    /// Names of the fields the change touched.
    pub changed: Vec<String>,
    pub comment: Option<String>,
}
domain_event!(ScriptUpdated, source: "fountain.scripts", aggregate: "Script", id: script_id,
    "A script's title, author or description changed.");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScriptDeleted {
    pub script_id: String,
    /// The last revision the script had.
    pub revision: u64,
    pub comment: Option<String>,
}
domain_event!(ScriptDeleted, source: "fountain.scripts", aggregate: "Script", id: script_id,
    "A script was deleted; everything it owned is purged after it.");
