//! A story as Fountain: the title data as the title page, each section as its heading and
//! each element as its Fountain form (decision 29).

use fountain_stories::{Story, StoryElement, StorySection};
use fountain_structure::{ElementKind, Level};
use fountain_text::{Content, Dialogue, DialoguePart, Element, Screenplay, TitleEntry};

/// How several cue extensions share the one `extension` field: `O.S.) (CONT'D`, written
/// back as `(O.S.) (CONT'D)`.
pub const EXTENSION_SEPARATOR: &str = ") (";

/// The title page key a free-text description is written under.
pub const DESCRIPTION_KEY: &str = "Description";

/// The cue of a dialogue whose character was deleted.
const UNKNOWN_SPEAKER: &str = "UNKNOWN";

/// The story as a screenplay for [`fountain_text::write`].
pub fn screenplay(story: &Story) -> Screenplay {
    let mut title_page = vec![entry("Title", &story.title)];
    if let Some(author) = present(story.author.as_deref()) {
        title_page.push(entry("Author", author));
    }
    if let Some(description) = present(story.description.as_deref()) {
        title_page.extend(description_entries(description));
    }
    title_page.retain(|entry| !entry.value.is_empty());
    let mut elements = Vec::new();
    for section in &story.sections {
        if let Some(heading) = heading(section) {
            elements.push(Element::new(heading));
        }
        elements.extend(section.elements.iter().map(|e| Element::new(content(e))));
    }
    Screenplay {
        title_page,
        elements,
    }
}

/// `<slug of the title>.fountain`: lower-case ASCII letters and digits, runs of anything
/// else as one `-`; `script.fountain` when nothing is left.
pub fn filename(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
        if slug.len() >= 80 {
            break;
        }
    }
    let slug = slug.trim_end_matches('-');
    format!("{}.fountain", if slug.is_empty() { "script" } else { slug })
}

fn present(value: Option<&str>) -> Option<&str> {
    value.filter(|v| !v.trim().is_empty())
}

/// Title page values are lines of text: each trimmed, blank ones dropped (a blank line
/// would end the title page).
fn entry(key: &str, value: &str) -> TitleEntry {
    let value = value
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    TitleEntry {
        key: key.to_owned(),
        value,
        span: Default::default(),
    }
}

/// An imported description holds the title page's other entries as Fountain (`Credit:
/// ...`, `Draft date: ...`), and they go back as entries; any other description is one
/// `Description:` entry.
fn description_entries(description: &str) -> Vec<TitleEntry> {
    match fountain_text::parse(&format!("{description}\n")) {
        Ok(parsed) if parsed.elements.is_empty() && !parsed.title_page.is_empty() => parsed
            .title_page
            .into_iter()
            .map(|e| entry(&e.key, &e.value))
            .collect(),
        _ => vec![entry(DESCRIPTION_KEY, description)],
    }
}

/// A section's heading; none for a section without a title (the untitled opening of an
/// import, which came before any heading).
fn heading(section: &StorySection) -> Option<Content> {
    let title = section.title.trim();
    if title.is_empty() {
        return None;
    }
    Some(match section.level {
        Level::Scene => {
            let (text, scene_number) = split_scene_number(title);
            Content::SceneHeading {
                text: text.to_owned(),
                scene_number: scene_number.map(str::to_owned),
            }
        }
        Level::Act => Content::Section {
            depth: 1,
            title: title.to_owned(),
        },
        Level::Sequence => Content::Section {
            depth: 2,
            title: title.to_owned(),
        },
    })
}

/// `INT. HOUSE - DAY #12A#` -> (`INT. HOUSE - DAY`, `12A`): an import keeps the scene
/// number at the end of the section title.
pub fn split_scene_number(title: &str) -> (&str, Option<&str>) {
    let numbered = title
        .strip_suffix('#')
        .and_then(|rest| rest.rsplit_once('#'))
        .filter(|(text, number)| {
            !text.trim().is_empty()
                && !number.is_empty()
                && number
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        });
    match numbered {
        Some((text, number)) => (text.trim_end(), Some(number)),
        None => (title, None),
    }
}

fn content(element: &StoryElement) -> Content {
    let text = element.content.text.clone();
    match element.content.kind {
        ElementKind::Action => Content::Action { text },
        ElementKind::Transition => Content::Transition { text },
        ElementKind::Lyric => Content::Lyric { text },
        ElementKind::Note => Content::Note { text },
        ElementKind::Centered => Content::Centered { text },
        ElementKind::PageBreak => Content::PageBreak,
        ElementKind::Synopsis => Content::Synopsis { text },
        ElementKind::Boneyard => Content::Boneyard { text },
        ElementKind::Dialogue => Content::Dialogue(dialogue(element)),
    }
}

fn dialogue(element: &StoryElement) -> Dialogue {
    let content = &element.content;
    let extensions = content
        .extension
        .as_deref()
        .map(|ext| {
            ext.split(EXTENSION_SEPARATOR)
                .map(|e| e.trim().trim_start_matches('(').trim_end_matches(')'))
                .filter(|e| !e.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let mut parts = Vec::new();
    if let Some(parenthetical) = content.parenthetical.as_deref().map(str::trim)
        && !parenthetical.is_empty()
    {
        parts.push(DialoguePart::Parenthetical(parenthesized(parenthetical)));
    }
    parts.extend(speech_parts(&content.text));
    if parts.is_empty() {
        parts.push(DialoguePart::Speech(String::new()));
    }
    Dialogue {
        character: element
            .character_name
            .clone()
            .filter(|name| !name.trim().is_empty())
            .unwrap_or_else(|| UNKNOWN_SPEAKER.to_owned()),
        extensions,
        dual: content.dual,
        parts,
    }
}

fn parenthesized(text: &str) -> String {
    if is_parenthetical(text) {
        text.to_owned()
    } else {
        format!("({text})")
    }
}

/// A line wholly in parentheses: a parenthetical in Fountain.
pub fn is_parenthetical(line: &str) -> bool {
    let line = line.trim();
    line.len() >= 2 && line.starts_with('(') && line.ends_with(')')
}

/// A dialogue's text back into parts: wholly parenthesized lines are parentheticals, runs
/// of other lines are speech.
pub fn speech_parts(text: &str) -> Vec<DialoguePart> {
    let mut parts = Vec::new();
    if text.is_empty() {
        return parts;
    }
    let mut speech: Vec<&str> = Vec::new();
    for line in text.split('\n') {
        let line = line.trim();
        if is_parenthetical(line) {
            if !speech.is_empty() {
                parts.push(DialoguePart::Speech(speech.join("\n")));
                speech.clear();
            }
            parts.push(DialoguePart::Parenthetical(line.to_owned()));
        } else {
            speech.push(line);
        }
    }
    if !speech.is_empty() {
        parts.push(DialoguePart::Speech(speech.join("\n")));
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filenames_are_slugs() {
        assert_eq!(filename("The Kitchen"), "the-kitchen.fountain");
        assert_eq!(filename("  Brick & Steel! "), "brick-steel.fountain");
        assert_eq!(filename("Ünïcode"), "n-code.fountain");
        assert_eq!(filename("***"), "script.fountain");
        assert!(filename(&"a".repeat(500)).len() <= 90);
    }

    #[test]
    fn scene_numbers_come_off_the_title() {
        assert_eq!(
            split_scene_number("INT. HOUSE - DAY #12A#"),
            ("INT. HOUSE - DAY", Some("12A"))
        );
        assert_eq!(
            split_scene_number("INT. HOUSE - DAY"),
            ("INT. HOUSE - DAY", None)
        );
        assert_eq!(split_scene_number("#1#"), ("#1#", None));
    }

    #[test]
    fn dialogue_text_splits_into_parts() {
        assert_eq!(
            speech_parts("Hello.\nThere.\n(beat)\nBye."),
            vec![
                DialoguePart::Speech("Hello.\nThere.".into()),
                DialoguePart::Parenthetical("(beat)".into()),
                DialoguePart::Speech("Bye.".into()),
            ]
        );
        assert!(speech_parts("").is_empty());
    }
}
