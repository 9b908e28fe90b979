//! What a language model is sent for one part: fixed instructions, and the part as compact
//! screenplay text with the context it needs to stay consistent with the other parts (the
//! story's title and session notes, and who the speaking characters are).

use std::collections::BTreeSet;

use crate::manuscript::{Element, Manuscript, Note};
use fountain_structure::ElementKind;

use crate::Part;

pub const SYSTEM_PROMPT: &str = "You are a novelist adapting a screenplay into prose. \
The user sends one part of a story as screenplay text, with notes about the story and its \
characters. Rewrite that part as vivid, readable prose in Markdown. Keep every event and \
every line of dialogue, in order, attributed to its speaker. Start each scene with a `## ` \
heading named after the scene. Do not write a title, a preface or a summary, and do not \
repeat earlier parts. Reply with the prose only.";

/// The user message: the part as screenplay text, context first.
pub fn screenplay(story: &Manuscript, part: &Part) -> String {
    let mut lines = vec![format!("Story: {}", one_line(&story.title))];
    if let Some(author) = story.author.as_deref().filter(|a| !a.trim().is_empty()) {
        lines.push(format!("Author: {}", one_line(author)));
    }
    if let Some(description) = story
        .description
        .as_deref()
        .filter(|d| !d.trim().is_empty())
    {
        lines.push(format!("About: {}", one_line(description)));
    }
    push_notes(&mut lines, "Story notes:", &story.context);
    push_cast(&mut lines, story, part);
    lines.push(format!(
        "This is part {} of {}.{}",
        part.index + 1,
        part.count,
        if part.index > 0 {
            " Continue from the previous part."
        } else {
            ""
        }
    ));
    lines.push(String::new());

    for piece in part.pieces(story) {
        if piece.starts_section {
            lines.push(format!("## {}", one_line(&piece.section.title)));
        } else {
            lines.push(format!("## {} (continued)", one_line(&piece.section.title)));
        }
        lines.extend(piece.elements.iter().filter_map(element_line));
    }
    lines.join("\n")
}

fn push_notes(lines: &mut Vec<String>, label: &str, notes: &[Note]) {
    if notes.is_empty() {
        return;
    }
    lines.push(label.to_owned());
    lines.extend(
        notes
            .iter()
            .map(|note| format!("- {}: {}", one_line(&note.key), one_line(&note.value))),
    );
}

/// The characters who speak in this part, in the order they first do.
fn push_cast(lines: &mut Vec<String>, story: &Manuscript, part: &Part) {
    let mut seen = BTreeSet::new();
    let mut cast = Vec::new();
    let speakers = part
        .pieces(story)
        .flat_map(|piece| piece.elements)
        .filter_map(|element| element.content.character_id.as_deref());
    for speaker in speakers {
        if !seen.insert(speaker) {
            continue;
        }
        let Some(character) = story
            .characters
            .iter()
            .find(|character| character.character_id == speaker)
        else {
            continue;
        };
        let mut about: Vec<String> = character
            .description
            .as_deref()
            .map(one_line)
            .filter(|d| !d.is_empty())
            .into_iter()
            .collect();
        about.extend(
            character
                .context
                .iter()
                .map(|note| format!("{}: {}", one_line(&note.key), one_line(&note.value))),
        );
        let name = one_line(&character.name);
        cast.push(if about.is_empty() {
            format!("- {name}")
        } else {
            format!("- {name}: {}", about.join("; "))
        });
    }
    if !cast.is_empty() {
        lines.push("Characters in this part:".to_owned());
        lines.extend(cast);
    }
}

/// One element as a screenplay line; the boneyard (cut material) is left out.
fn element_line(element: &Element) -> Option<String> {
    let content = &element.content;
    let text = one_line(&content.text);
    let line = match content.kind {
        ElementKind::Action => text,
        ElementKind::Dialogue => {
            let mut cue = element
                .character_name
                .as_deref()
                .map(one_line)
                .unwrap_or_else(|| "UNKNOWN".to_owned());
            for extra in [&content.extension, &content.parenthetical]
                .into_iter()
                .flatten()
            {
                let extra = one_line(extra);
                let extra = extra.trim_start_matches('(').trim_end_matches(')');
                cue.push_str(&format!(" ({extra})"));
            }
            if content.dual {
                cue.push_str(" [at the same time]");
            }
            format!("{cue}: {text}")
        }
        ElementKind::Transition => format!("[transition] {text}"),
        ElementKind::Lyric => {
            let sung: Vec<String> = content
                .text
                .lines()
                .map(one_line)
                .filter(|line| !line.is_empty())
                .collect();
            format!("[sung] {}", sung.join(" / "))
        }
        ElementKind::Note => format!("[note] {text}"),
        ElementKind::Centered => format!("[centered] {text}"),
        ElementKind::Synopsis => format!("[synopsis] {text}"),
        ElementKind::PageBreak => "[page break]".to_owned(),
        ElementKind::Boneyard => return None,
    };
    Some(line)
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
