use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SectionAdded {
    pub section_id: String,
    pub script_id: String,
    /// `act`, `sequence` or `scene`.
    pub level: String,
    pub title: String,
    /// Its sequence number among the script's sections when it was added.
    pub sequence: usize,
    pub comment: Option<String>,
}
domain_event!(SectionAdded, source: "fountain.structure", aggregate: "Section", id: section_id,
    "A section (act, sequence or scene heading) was added to a script.");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SectionUpdated {
    pub section_id: String,
    pub script_id: String,
    pub level: String,
    pub title: String,
    pub revision: u64,
    pub changed: Vec<String>,
    pub comment: Option<String>,
}
domain_event!(SectionUpdated, source: "fountain.structure", aggregate: "Section", id: section_id,
    "A section's level or title changed.");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SectionRemoved {
    pub section_id: String,
    pub script_id: String,
    pub comment: Option<String>,
}
domain_event!(SectionRemoved, source: "fountain.structure", aggregate: "Section", id: section_id,
    "A section was removed from its script.");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ItemsReordered {
    /// The parent whose children moved: a script (its sections) or a section (its elements).
    pub parent_id: String,
    /// `script` or `section`.
    pub parent_type: String,
    pub script_id: String,
    /// The children that got a new place, in their new order.
    pub moved: Vec<String>,
    /// The parent they came from, when they moved in from another one (elements between
    /// sections).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_parent_id: Option<String>,
    /// The parent's order revision after the change (its order ETag).
    pub order_revision: u64,
    pub comment: Option<String>,
}
domain_event!(ItemsReordered, source: "fountain.structure", aggregate: "Order", id: parent_id,
    "Children of a parent were moved or reordered, atomically.");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ElementAdded {
    pub element_id: String,
    pub script_id: String,
    pub section_id: String,
    /// `action`, `dialogue`, `transition`, `lyric`, `note`, `centered`, `page_break`,
    /// `synopsis` or `boneyard`.
    pub kind: String,
    pub text: String,
    /// The speaking character of a dialogue.
    pub character_id: Option<String>,
    pub parenthetical: Option<String>,
    pub extension: Option<String>,
    pub dual: bool,
    /// Its sequence number in its section when it was added.
    pub sequence: usize,
    pub comment: Option<String>,
}
domain_event!(ElementAdded, source: "fountain.structure", aggregate: "Element", id: element_id,
    "An element (action, dialogue, transition, ...) was added to a section.");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ElementUpdated {
    pub element_id: String,
    pub script_id: String,
    pub section_id: String,
    pub kind: String,
    pub text: String,
    pub character_id: Option<String>,
    pub parenthetical: Option<String>,
    pub extension: Option<String>,
    pub dual: bool,
    pub revision: u64,
    /// The fields that changed.
    pub changed: Vec<String>,
    pub comment: Option<String>,
}
domain_event!(ElementUpdated, source: "fountain.structure", aggregate: "Element", id: element_id,
    "An element's content changed.");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ElementRemoved {
    pub element_id: String,
    pub script_id: String,
    pub section_id: String,
    pub comment: Option<String>,
}
domain_event!(ElementRemoved, source: "fountain.structure", aggregate: "Element", id: element_id,
    "An element was removed from its section.");
