//! What an import writes, worked out before anything is written: the script's title data,
//! its sections and elements with their order keys, and one character per cue name
//! (decision 29).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use fountain_characters::{Character, MAX_NAME_CHARS, name_key};
use fountain_events::ids::new_id;
use fountain_http::ApiError;
use fountain_sequence::spread;
use fountain_structure::{Content, Element, ElementKind, Level, Section};
use fountain_text::{Content as Fountain, Dialogue, DialoguePart, Screenplay, TitleEntry};

use crate::export::{DESCRIPTION_KEY, EXTENSION_SEPARATOR};

/// More elements than this (about 800 pages) are refused with 422 before anything is written.
pub const MAX_IMPORT_ELEMENTS: usize = 20_000;

const MAX_TITLE_CHARS: usize = 200;
const MAX_AUTHOR_CHARS: usize = 200;
const MAX_DESCRIPTION_CHARS: usize = 4000;
const UNTITLED: &str = "Untitled";

/// The content of a new script, ready to write.
#[derive(Debug, Clone)]
pub struct Plan {
    pub title: String,
    pub author: Option<String>,
    pub description: Option<String>,
    /// In order (their order keys ascend).
    pub sections: Vec<Section>,
    /// In reading order.
    pub elements: Vec<Element>,
    /// One per distinct cue name (ignoring case), in order of first appearance.
    pub characters: Vec<Character>,
}

/// Why a screenplay cannot become a script.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("the screenplay has {0} elements; an import takes at most {MAX_IMPORT_ELEMENTS}")]
    TooManyElements(usize),
    #[error("line {line}: {message}")]
    Invalid { line: usize, message: String },
}

impl PlanError {
    pub fn line(&self) -> Option<usize> {
        match self {
            PlanError::TooManyElements(_) => None,
            PlanError::Invalid { line, .. } => Some(*line),
        }
    }
}

impl From<PlanError> for ApiError {
    fn from(error: PlanError) -> Self {
        let field = match error.line() {
            Some(line) => format!("line {line}"),
            None => "body".to_owned(),
        };
        ApiError::field(field, error.to_string())
    }
}

/// The sections and elements as read, before ids and keys.
struct Draft {
    level: Level,
    title: String,
    elements: Vec<Content>,
}

/// The script `script_id` that `screenplay` makes; `title` overrides the title page's.
pub fn plan(
    screenplay: &Screenplay,
    script_id: &str,
    title: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Plan, PlanError> {
    let count = screenplay.elements.len();
    if count > MAX_IMPORT_ELEMENTS {
        return Err(PlanError::TooManyElements(count));
    }
    let (page_title, author, description) = title_data(&screenplay.title_page)?;
    let title = title
        .map(str::to_owned)
        .or(page_title)
        .unwrap_or_else(|| UNTITLED.to_owned());

    let mut drafts: Vec<Draft> = Vec::new();
    let mut characters: Vec<Character> = Vec::new();
    let mut by_name: HashMap<String, String> = HashMap::new();
    for element in &screenplay.elements {
        let line = element.span.start;
        if let Some((level, title)) = heading(&element.content) {
            check_length(line, "the heading", &title, MAX_TITLE_CHARS)?;
            drafts.push(Draft {
                level,
                title,
                elements: Vec::new(),
            });
            continue;
        }
        let content = match &element.content {
            Fountain::Dialogue(dialogue) => {
                let name = dialogue.character.trim();
                check_length(line, "the character name", name, MAX_NAME_CHARS)?;
                let key = name_key(name);
                let character_id = match by_name.get(&key) {
                    Some(id) => id.clone(),
                    None => {
                        let id = new_id();
                        by_name.insert(key, id.clone());
                        characters.push(character(script_id, &id, name, now));
                        id
                    }
                };
                dialogue_content(dialogue, character_id)
            }
            other => plain_content(other),
        };
        content.validate().map_err(|error| PlanError::Invalid {
            line,
            message: format!("the {} {}", content.kind.as_str(), describe(&error)),
        })?;
        if drafts.is_empty() {
            // What comes before the first heading opens the script in an untitled section.
            drafts.push(Draft {
                level: Level::Scene,
                title: String::new(),
                elements: Vec::new(),
            });
        }
        if let Some(last) = drafts.last_mut() {
            last.elements.push(content);
        }
    }

    let mut sections = Vec::with_capacity(drafts.len());
    let mut elements = Vec::with_capacity(count);
    let section_keys = spread(drafts.len());
    for (draft, key) in drafts.into_iter().zip(section_keys) {
        let section_id = new_id();
        let element_keys = spread(draft.elements.len());
        for (content, key) in draft.elements.into_iter().zip(element_keys) {
            elements.push(Element {
                element_id: new_id(),
                script_id: script_id.to_owned(),
                section_id: section_id.clone(),
                content,
                revision: 1,
                created_at: now,
                updated_at: now,
                comment: None,
                order_key: key.as_str().to_owned(),
            });
        }
        sections.push(Section {
            section_id,
            script_id: script_id.to_owned(),
            level: draft.level,
            title: draft.title,
            revision: 1,
            created_at: now,
            updated_at: now,
            comment: None,
            order_key: key.as_str().to_owned(),
        });
    }
    Ok(Plan {
        title,
        author,
        description,
        sections,
        elements,
        characters,
    })
}

/// Title, author and description, each when the title page has it.
type TitleData = (Option<String>, Option<String>, Option<String>);

/// Title, author and description from the title page: `Title`, `Author` or `Authors`, and
/// the other entries kept in the description as Fountain (a lone `Description` entry is
/// the description itself).
fn title_data(entries: &[TitleEntry]) -> Result<TitleData, PlanError> {
    let mut title = None;
    let mut author = None;
    let mut others: Vec<TitleEntry> = Vec::new();
    for entry in entries {
        let line = entry.span.start;
        let value = entry.value.trim();
        match entry.key.trim().to_ascii_lowercase().as_str() {
            "title" if title.is_none() && !value.is_empty() => {
                check_length(line, "the title", value, MAX_TITLE_CHARS)?;
                title = Some(value.to_owned());
            }
            "author" | "authors" if author.is_none() && !value.is_empty() => {
                check_length(line, "the author", value, MAX_AUTHOR_CHARS)?;
                author = Some(value.to_owned());
            }
            _ if value.is_empty() => {}
            _ => others.push(TitleEntry {
                key: entry.key.trim().to_owned(),
                value: value.to_owned(),
                span: Default::default(),
            }),
        }
    }
    let description = match others.as_slice() {
        [] => None,
        [only] if only.key.eq_ignore_ascii_case(DESCRIPTION_KEY) => Some(only.value.clone()),
        _ => Some(
            fountain_text::write(&Screenplay {
                title_page: others.clone(),
                elements: Vec::new(),
            })
            .trim_end()
            .to_owned(),
        ),
    };
    if let (Some(description), Some(first)) = (&description, entries.first()) {
        check_length(
            first.span.start,
            "the title page's other entries",
            description,
            MAX_DESCRIPTION_CHARS,
        )?;
    }
    Ok((title, author, description))
}

/// A scene heading is a scene; a `#` section an act, deeper ones sequences.
fn heading(content: &Fountain) -> Option<(Level, String)> {
    match content {
        Fountain::SceneHeading { text, scene_number } => Some((
            Level::Scene,
            match scene_number {
                Some(number) => format!("{} #{number}#", text.trim()),
                None => text.trim().to_owned(),
            },
        )),
        Fountain::Section { depth, title } => Some((
            if *depth <= 1 {
                Level::Act
            } else {
                Level::Sequence
            },
            title.trim().to_owned(),
        )),
        _ => None,
    }
}

fn plain_content(content: &Fountain) -> Content {
    let (kind, text) = match content {
        Fountain::Action { text } => (ElementKind::Action, text.clone()),
        Fountain::Transition { text } => (ElementKind::Transition, text.clone()),
        Fountain::Centered { text } => (ElementKind::Centered, text.clone()),
        Fountain::Lyric { text } => (ElementKind::Lyric, text.clone()),
        Fountain::Note { text } => (ElementKind::Note, text.clone()),
        Fountain::Boneyard { text } => (ElementKind::Boneyard, text.clone()),
        Fountain::Synopsis { text } => (ElementKind::Synopsis, text.clone()),
        // Headings are sections and dialogue has its own mapping; a page break has no text.
        Fountain::PageBreak
        | Fountain::SceneHeading { .. }
        | Fountain::Section { .. }
        | Fountain::Dialogue(_) => (ElementKind::PageBreak, String::new()),
    };
    Content {
        kind,
        text,
        character_id: None,
        parenthetical: None,
        extension: None,
        dual: false,
    }
}

/// The leading parenthetical (when more follows) is `parenthetical`; the rest of the parts
/// are `text`, one line each way (a wholly parenthesized line is a parenthetical when read
/// back); several cue extensions share `extension`.
fn dialogue_content(dialogue: &Dialogue, character_id: String) -> Content {
    let mut parts = dialogue.parts.as_slice();
    let mut parenthetical = None;
    if let [DialoguePart::Parenthetical(first), rest @ ..] = parts
        && !rest.is_empty()
    {
        parenthetical = Some(first.trim().to_owned());
        parts = rest;
    }
    let text = parts
        .iter()
        .map(|part| match part {
            DialoguePart::Parenthetical(text) => text.trim(),
            DialoguePart::Speech(text) => text.as_str(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    let extension =
        (!dialogue.extensions.is_empty()).then(|| dialogue.extensions.join(EXTENSION_SEPARATOR));
    Content {
        kind: ElementKind::Dialogue,
        text,
        character_id: Some(character_id),
        parenthetical,
        extension,
        dual: dialogue.dual,
    }
}

fn character(script_id: &str, character_id: &str, name: &str, now: DateTime<Utc>) -> Character {
    Character {
        character_id: character_id.to_owned(),
        script_id: script_id.to_owned(),
        name: name.to_owned(),
        description: None,
        revision: 1,
        created_at: now,
        updated_at: now,
        comment: None,
    }
}

fn check_length(line: usize, what: &str, value: &str, max: usize) -> Result<(), PlanError> {
    let length = value.chars().count();
    if length > max {
        return Err(PlanError::Invalid {
            line,
            message: format!("{what} has {length} characters; at most {max} are kept"),
        });
    }
    Ok(())
}

fn describe(error: &ApiError) -> String {
    match error {
        ApiError::Validation(errors) => errors
            .iter()
            .map(|e| format!("{} {}", e.field, e.message))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn planned(text: &str) -> Plan {
        let screenplay = fountain_text::parse(text).unwrap_or_default();
        match plan(&screenplay, "s1", None, Utc::now()) {
            Ok(plan) => plan,
            Err(error) => panic!("{error}"),
        }
    }

    #[test]
    fn opening_elements_get_an_untitled_section_and_cues_one_character() {
        let plan = planned(
            "Title: The Kitchen\nAuthor: A. Writer\nCredit: by\n\nRain.\n\nINT. KITCHEN - NIGHT #4#\n\nANNA (V.O.) (CONT'D)\n(quietly)\nHello.\n\n@anna\nAgain.\n\n# Act Two\n",
        );
        assert_eq!(plan.title, "The Kitchen");
        assert_eq!(plan.author.as_deref(), Some("A. Writer"));
        assert_eq!(plan.description.as_deref(), Some("Credit: by"));
        let titles: Vec<_> = plan.sections.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, ["", "INT. KITCHEN - NIGHT #4#", "Act Two"]);
        assert_eq!(plan.sections[2].level, Level::Act);
        assert!(plan.sections[0].order_key < plan.sections[1].order_key);
        assert_eq!(plan.characters.len(), 1);
        assert_eq!(plan.characters[0].name, "ANNA");
        let first = &plan.elements[1].content;
        assert_eq!(first.parenthetical.as_deref(), Some("(quietly)"));
        assert_eq!(first.extension.as_deref(), Some("V.O.) (CONT'D"));
        assert_eq!(first.text, "Hello.");
        assert_eq!(
            plan.elements[2].content.character_id,
            first.character_id.clone()
        );
    }

    #[test]
    fn over_long_texts_name_their_line() {
        let text = format!("\n\n{}\nHello.\n", "A".repeat(150));
        let screenplay = fountain_text::parse(&text).unwrap_or_default();
        let error = plan(&screenplay, "s1", None, Utc::now()).err();
        assert_eq!(error.and_then(|e| e.line()), Some(3));
    }
}
