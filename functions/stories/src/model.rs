//! A story as readers get it: the script's title data, its characters, and its sections in
//! order, each with its elements in order; dialogue names its character.

use chrono::{DateTime, Utc};
use fountain_structure::{Content, Level};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The assembled story of a script (or of a range of its elements).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Story {
    pub script_id: String,
    pub title: String,
    pub author: Option<String>,
    pub description: Option<String>,
    /// Moves on with every change of the script's content: the revision this story is of.
    pub story_revision: u64,
    /// When this assembly was built (a cached story keeps its time).
    pub built_at: DateTime<Utc>,
    /// Elements in the whole script, whatever the range asked for.
    pub element_count: usize,
    pub characters: Vec<StoryCharacter>,
    pub sections: Vec<StorySection>,
    /// The session's context entries that apply to the whole story (with `sessionId`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub context: Vec<ContextNote>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StoryCharacter {
    pub character_id: String,
    pub name: String,
    pub description: Option<String>,
    /// The session's context entries scoped to this character (with `sessionId`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub context: Vec<ContextNote>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StorySection {
    pub section_id: String,
    pub level: Level,
    pub title: String,
    /// 1..n among the script's sections.
    pub sequence: usize,
    pub elements: Vec<StoryElement>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StoryElement {
    pub element_id: String,
    /// 1..n across the whole script, in reading order: what `from` and `to` count.
    pub sequence: usize,
    #[serde(flatten)]
    pub content: Content,
    /// Dialogue only: the speaker's name now (absent when the character was deleted).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub character_name: Option<String>,
}

/// One context entry as the story shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ContextNote {
    pub key: String,
    pub value: String,
}

impl Story {
    /// Only the elements numbered `from..=to`, and the sections holding them.
    pub fn range(mut self, from: usize, to: usize) -> Self {
        self.sections = self
            .sections
            .into_iter()
            .filter_map(|mut section| {
                section
                    .elements
                    .retain(|e| (from..=to).contains(&e.sequence));
                (!section.elements.is_empty()).then_some(section)
            })
            .collect();
        self
    }
}
