//! Canonical Fountain: the title page, then one block per element, blocks separated by
//! one blank line, a final newline.
//!
//! Each element is first written the plain way; if that text would read back as anything
//! else (an action line in capitals followed by another line reads as a character cue, a
//! heading without INT/EXT reads as action, a first action line `Title: x` reads as a title
//! page), the forced spelling (`!`, `@`, `.`, `>`) is used instead. The check reads the
//! candidate with the parser itself, so writer and parser cannot disagree about what a
//! line means.

use crate::model::{Content, Dialogue, DialoguePart, Screenplay, TitleEntry};

/// How an empty line inside action, dialogue or a note is written, so that it does not
/// end the paragraph.
const KEPT_BLANK_LINE: &str = "  ";
const TITLE_CONTINUATION_INDENT: &str = "    ";

pub fn write(screenplay: &Screenplay) -> String {
    let mut blocks: Vec<String> = Vec::with_capacity(screenplay.elements.len() + 1);
    if !screenplay.title_page.is_empty() {
        blocks.push(title_page(&screenplay.title_page));
    }
    for element in &screenplay.elements {
        let opens_document = blocks.is_empty();
        blocks.push(block(&element.content, opens_document));
    }
    let mut text = blocks.join("\n\n");
    if !text.is_empty() {
        text.push('\n');
    }
    text
}

fn title_page(entries: &[TitleEntry]) -> String {
    let lines: Vec<String> = entries
        .iter()
        .map(|entry| {
            if entry.value.contains('\n') {
                let continuation = entry
                    .value
                    .split('\n')
                    .map(|line| format!("{TITLE_CONTINUATION_INDENT}{line}"))
                    .collect::<Vec<_>>()
                    .join("\n");
                format!("{}:\n{continuation}", entry.key)
            } else if entry.value.is_empty() {
                format!("{}:", entry.key)
            } else {
                format!("{}: {}", entry.key, entry.value)
            }
        })
        .collect();
    lines.join("\n")
}

/// The plain spelling when it reads back as `content`, else the forced one. Content that
/// no spelling can carry (see the crate documentation) is written plainly.
fn block(content: &Content, opens_document: bool) -> String {
    let plain = plain(content);
    if reads_back_as(&plain, content, opens_document) {
        return plain;
    }
    forced(content).unwrap_or(plain)
}

fn reads_back_as(text: &str, content: &Content, opens_document: bool) -> bool {
    let read = if opens_document {
        crate::parse(text)
    } else {
        crate::parse_body(text)
    };
    match read {
        Ok(screenplay) => {
            screenplay.title_page.is_empty()
                && screenplay.elements.len() == 1
                && screenplay.elements[0].content == *content
        }
        Err(_) => false,
    }
}

fn plain(content: &Content) -> String {
    match content {
        Content::SceneHeading { text, scene_number } => with_scene_number(text, scene_number),
        Content::Action { text } => keep_blank_lines(text),
        Content::Dialogue(dialogue) => write_dialogue(dialogue, false),
        Content::Transition { text } => text.clone(),
        Content::Centered { text } => each_line(text, |line| format!("> {line} <")),
        Content::Lyric { text } => each_line(text, |line| format!("~{line}")),
        Content::Note { text } => format!("[[{}]]", keep_blank_lines(text)),
        Content::Boneyard { text } if text.contains('\n') => format!("/*\n{text}\n*/"),
        Content::Boneyard { text } => format!("/* {text} */"),
        Content::Section { depth, title } => {
            let marks = "#".repeat(*depth);
            if title.is_empty() {
                marks
            } else {
                format!("{marks} {title}")
            }
        }
        Content::Synopsis { text } => format!("= {text}"),
        Content::PageBreak => "===".to_string(),
    }
}

fn forced(content: &Content) -> Option<String> {
    match content {
        Content::SceneHeading { text, scene_number } => {
            Some(format!(".{}", with_scene_number(text, scene_number)))
        }
        Content::Action { text } => Some(format!("!{}", keep_blank_lines(text))),
        Content::Dialogue(dialogue) => Some(write_dialogue(dialogue, true)),
        Content::Transition { text } => Some(format!("> {text}")),
        _ => None,
    }
}

fn with_scene_number(text: &str, scene_number: &Option<String>) -> String {
    match scene_number {
        Some(number) => format!("{text} #{number}#"),
        None => text.to_string(),
    }
}

fn write_dialogue(dialogue: &Dialogue, forced: bool) -> String {
    let mut cue = String::new();
    if forced {
        cue.push('@');
    }
    cue.push_str(&dialogue.character);
    for extension in &dialogue.extensions {
        cue.push_str(" (");
        cue.push_str(extension);
        cue.push(')');
    }
    if dialogue.dual {
        cue.push_str(" ^");
    }
    let mut lines = vec![cue];
    for part in &dialogue.parts {
        match part {
            DialoguePart::Parenthetical(text) => lines.push(text.clone()),
            DialoguePart::Speech(text) => lines.push(keep_blank_lines(text)),
        }
    }
    lines.join("\n")
}

fn keep_blank_lines(text: &str) -> String {
    each_line(text, |line| {
        if line.is_empty() {
            KEPT_BLANK_LINE.to_string()
        } else {
            line.to_string()
        }
    })
}

/// `str::lines` would drop a trailing empty line; splitting keeps every line.
fn each_line(text: &str, write_line: impl Fn(&str) -> String) -> String {
    text.split('\n')
        .map(write_line)
        .collect::<Vec<_>>()
        .join("\n")
}
