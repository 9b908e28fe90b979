use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ParaphraseAdded {
    pub paraphrase_id: String,
    pub script_id: String,
    /// `character`, `section` or `element`.
    pub target_type: String,
    /// The character, section or element of the script it paraphrases.
    pub target_id: String,
    pub text: String,
    pub commentary: Option<String>,
    pub revision: u64,
    pub comment: Option<String>,
}
domain_event!(ParaphraseAdded, source: "fountain.paraphrases", aggregate: "Paraphrase", id: paraphrase_id,
    "A paraphrase of a character, section or element was added to a script.");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ParaphraseUpdated {
    pub paraphrase_id: String,
    pub script_id: String,
    pub target_type: String,
    pub target_id: String,
    pub text: String,
    pub commentary: Option<String>,
    pub revision: u64,
    pub comment: Option<String>,
}
domain_event!(ParaphraseUpdated, source: "fountain.paraphrases", aggregate: "Paraphrase", id: paraphrase_id,
    "A paraphrase's text or commentary changed.");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ParaphraseRemoved {
    pub paraphrase_id: String,
    pub script_id: String,
    pub target_type: String,
    pub target_id: String,
    pub comment: Option<String>,
}
domain_event!(ParaphraseRemoved, source: "fountain.paraphrases", aggregate: "Paraphrase", id: paraphrase_id,
    "A paraphrase was removed from its script.");
