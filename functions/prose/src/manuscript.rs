//! What prose is written from: the script's title, notes, cast and content in reading order.
//!
//! Prose has its own input type rather than the stories context's read model, so the two can
//! change apart and a generator cannot depend on what prose must not (the story's revision,
//! when it was built): the generation worker converts its assembled story into this.

use fountain_structure::Content;

#[derive(Debug, Clone, PartialEq)]
pub struct Manuscript {
    pub title: String,
    pub author: Option<String>,
    pub description: Option<String>,
    /// Notes about the whole story (a session's context not scoped to a character).
    pub context: Vec<Note>,
    pub characters: Vec<Character>,
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Character {
    pub character_id: String,
    pub name: String,
    pub description: Option<String>,
    /// Notes about this character.
    pub context: Vec<Note>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub title: String,
    pub elements: Vec<Element>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    /// Stable across parts: how a character's first line is recognised.
    pub element_id: String,
    pub content: Content,
    /// Dialogue only: the speaker's name now (absent when the character was deleted).
    pub character_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub key: String,
    pub value: String,
}
