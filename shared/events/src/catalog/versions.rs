use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScriptVersionCreated {
    pub version_id: String,
    pub script_id: String,
    /// The script's revision the snapshot was taken at.
    pub script_revision: u64,
    pub characters: usize,
    pub sections: usize,
    pub elements: usize,
    pub paraphrases: usize,
    pub comment: Option<String>,
}
domain_event!(ScriptVersionCreated, source: "fountain.structure", aggregate: "Script", id: script_id,
    "A snapshot of the whole script was stored as a version.");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScriptRestored {
    pub script_id: String,
    /// The version the script went back to.
    pub version_id: String,
    /// The script's revision after the restore.
    pub revision: u64,
    /// Content items written back and deleted.
    pub written: usize,
    pub deleted: usize,
    pub comment: Option<String>,
}
domain_event!(ScriptRestored, source: "fountain.structure", aggregate: "Script", id: script_id,
    "A script went back to one of its versions: sections, elements, characters and paraphrases as they were.");
