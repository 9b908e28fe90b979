//! The default generator: turns the screenplay into readable Markdown prose by rule, with no
//! network and no model. It is deterministic — the text depends only on the story's content
//! (never on `built_at`, `story_revision`, a clock, randomness or hash order) — so jobs are
//! reproducible and tests can compare bytes.
//!
//! Its parts join into the same document whatever the part budget: a split section shows
//! its heading once, the preface opens the first part, and a character is introduced where
//! they first speak in the whole story, not in each part.

use std::collections::BTreeMap;

use crate::manuscript::{Element, Manuscript, Note};
use fountain_structure::ElementKind;

use crate::markdown::{
    as_sentence, capitalised, emphasis, escape_inline, escape_paragraphs, escaped_lines,
};
use crate::{GenerateError, Generator, Part};

/// Between blocks (paragraphs, headings), also between parts (see [`crate::Document`]).
const BLOCK_SEPARATOR: &str = "\n\n";

/// What a speaker is called when their character was deleted and the story has no name.
const UNKNOWN_SPEAKER: &str = "A voice";

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Offline;

impl Offline {
    /// The part's prose; what [`Generator::write_part`] returns, without the future.
    pub fn render_part(&self, story: &Manuscript, part: &Part) -> String {
        let first_lines = first_line_of_each_speaker(story);
        let mut blocks = Vec::new();
        if part.index == 0 {
            blocks.extend(preface(&story.context));
        }
        for piece in part.pieces(story) {
            if piece.starts_section {
                blocks.push(format!("## {}", section_title(&piece.section.title)));
            }
            for element in piece.elements {
                let speaker = element.content.character_id.as_deref();
                if let Some(speaker) = speaker
                    && first_lines.get(speaker) == Some(&element.element_id.as_str())
                {
                    blocks.extend(introduction(story, speaker, element));
                }
                blocks.extend(element_block(story, element));
            }
        }
        blocks.join(BLOCK_SEPARATOR)
    }
}

impl Generator for Offline {
    fn name(&self) -> &'static str {
        "offline"
    }

    async fn write_part(&self, story: &Manuscript, part: &Part) -> Result<String, GenerateError> {
        Ok(self.render_part(story, part))
    }
}

/// For each character, the element id of their first dialogue in the whole story. A
/// BTreeMap, not a HashMap: nothing here may depend on hash order.
fn first_line_of_each_speaker(story: &Manuscript) -> BTreeMap<&str, &str> {
    let mut first = BTreeMap::new();
    let dialogue = story
        .sections
        .iter()
        .flat_map(|section| &section.elements)
        .filter(|element| element.content.kind == ElementKind::Dialogue);
    for element in dialogue {
        if let Some(character_id) = element.content.character_id.as_deref() {
            first
                .entry(character_id)
                .or_insert(element.element_id.as_str());
        }
    }
    first
}

/// The session's notes for the whole story, ahead of the first scene.
fn preface(notes: &[Note]) -> Option<String> {
    let sentences = note_sentences(notes);
    (!sentences.is_empty()).then(|| format!("> *Before the story.* {sentences}"))
}

/// Who a character is, just before their first line: description and session notes.
fn introduction(story: &Manuscript, character_id: &str, element: &Element) -> Option<String> {
    let character = story
        .characters
        .iter()
        .find(|character| character.character_id == character_id)?;
    let description = character
        .description
        .as_deref()
        .map(|description| as_sentence(&escape_inline(description)))
        .filter(|description| !description.is_empty());
    let notes = note_sentences(&character.context);
    let about: Vec<String> = description
        .into_iter()
        .chain((!notes.is_empty()).then_some(notes))
        .collect();
    if about.is_empty() {
        return None;
    }
    let name = escape_inline(&speaker_name(story, element));
    Some(format!("> *{name}.* {}", about.join(" ")))
}

/// `Key: value.` for each note, in the order the session gives them.
fn note_sentences(notes: &[Note]) -> String {
    notes
        .iter()
        .filter_map(|note| {
            let key = capitalised(&escape_inline(&note.key));
            let value = escape_inline(&note.value);
            match (key.is_empty(), value.is_empty()) {
                (_, true) => None,
                (true, false) => Some(as_sentence(&value)),
                (false, false) => Some(as_sentence(&format!("{key}: {value}"))),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn section_title(title: &str) -> String {
    let title = escape_inline(title);
    if title.is_empty() {
        "Untitled scene".to_owned()
    } else {
        title
    }
}

/// One element as a Markdown block, or nothing for what a reader should not see.
fn element_block(story: &Manuscript, element: &Element) -> Option<String> {
    let content = &element.content;
    match content.kind {
        ElementKind::Action => Some(escape_paragraphs(&content.text)).filter(|t| !t.is_empty()),
        ElementKind::Dialogue => Some(dialogue(story, element)),
        ElementKind::Transition => emphasis(&as_sentence(&sentence_case(&escape_inline(
            content.text.trim().trim_end_matches([':', '.']),
        )))),
        ElementKind::Lyric => {
            // Each sung line on a line of its own: a backslash at the end is a hard break.
            let lines: Vec<String> = escaped_lines(&content.text)
                .iter()
                .filter_map(|line| emphasis(line))
                .collect();
            (!lines.is_empty()).then(|| lines.join("\\\n"))
        }
        ElementKind::Note => {
            let note = escape_inline(&content.text);
            (!note.is_empty()).then(|| format!("> *Note:* {note}"))
        }
        ElementKind::Centered => {
            let text = escape_inline(&content.text);
            (!text.is_empty()).then(|| format!("**{text}**"))
        }
        ElementKind::Synopsis => emphasis(&escape_inline(&content.text)),
        ElementKind::PageBreak => Some("* * *".to_owned()),
        // Fountain's boneyard is material the writer cut: not part of the story.
        ElementKind::Boneyard => None,
    }
}

/// `Mara, in voice-over, quietly: “…”`, the speaker first as prose puts them.
fn dialogue(story: &Manuscript, element: &Element) -> String {
    let content = &element.content;
    let mut speaker = escape_inline(&speaker_name(story, element));
    let manner = [
        content.extension.as_deref().and_then(delivery),
        content.parenthetical.as_deref().map(unwrap_parentheses),
    ];
    for manner in manner.into_iter().flatten() {
        let manner = escape_inline(&manner);
        if !manner.is_empty() {
            speaker.push_str(", ");
            speaker.push_str(&manner);
        }
    }
    let line = format!("{speaker}: “{}”", escape_inline(&content.text));
    if content.dual {
        format!("At the same moment, {line}")
    } else {
        line
    }
}

/// The name the story shows now, else the character's, else a placeholder: a deleted
/// character's lines still read.
fn speaker_name(story: &Manuscript, element: &Element) -> String {
    let from_cast = || {
        let id = element.content.character_id.as_deref()?;
        story
            .characters
            .iter()
            .find(|character| character.character_id == id)
            .map(|character| character.name.clone())
    };
    element
        .character_name
        .clone()
        .or_else(from_cast)
        .filter(|name| !name.trim().is_empty())
        .unwrap_or_else(|| UNKNOWN_SPEAKER.to_owned())
}

/// A cue extension in words; `CONT'D` says nothing a reader needs.
fn delivery(extension: &str) -> Option<String> {
    let extension = unwrap_parentheses(extension);
    match extension.to_uppercase().as_str() {
        "" | "CONT'D" | "CONT’D" | "CONT." => None,
        "V.O." | "VO" => Some("in voice-over".to_owned()),
        "O.S." | "O.C." | "OS" | "OC" => Some("off-screen".to_owned()),
        _ => Some(extension.to_lowercase()),
    }
}

fn unwrap_parentheses(text: &str) -> String {
    let text = text.trim();
    text.strip_prefix('(')
        .and_then(|inner| inner.strip_suffix(')'))
        .unwrap_or(text)
        .trim()
        .to_owned()
}

/// `CUT TO` -> `Cut to`: transitions are shouted in a screenplay, not in prose.
fn sentence_case(text: &str) -> String {
    capitalised(&text.to_lowercase())
}
