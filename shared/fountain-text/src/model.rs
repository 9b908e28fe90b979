//! The parsed screenplay: a title page and the body's elements in source order, each with
//! the lines it came from.
//!
//! Text fields hold Fountain inline markup verbatim (emphasis `*` `**` `***` `_`, backslash
//! escapes, inline `[[notes]]` and `/* boneyard */`), so the writer reproduces it exactly;
//! [`crate::inline`] reads it into styled runs for renderers.

use serde::{Deserialize, Serialize};

/// The 1-based first and last source line of an element (equal for a one-line element).
/// Elements that did not come from a source (built in code, generated) carry `0..=0`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LineSpan {
    pub start: usize,
    pub end: usize,
}

impl LineSpan {
    pub fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    pub fn line(number: usize) -> Self {
        Self::new(number, number)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Screenplay {
    /// In source order; empty when the document has no title page.
    pub title_page: Vec<TitleEntry>,
    pub elements: Vec<Element>,
}

impl Screenplay {
    /// The same screenplay with every span set to `0..=0`: what "equal modulo line spans"
    /// compares, since writing a screenplay moves its elements to other lines.
    pub fn without_spans(&self) -> Screenplay {
        Screenplay {
            title_page: self
                .title_page
                .iter()
                .map(|entry| TitleEntry {
                    span: LineSpan::default(),
                    ..entry.clone()
                })
                .collect(),
            elements: self
                .elements
                .iter()
                .map(|element| Element::new(element.content.clone()))
                .collect(),
        }
    }
}

/// One `Key: value` of the title page. The key keeps its spelling ("Draft date"); a value
/// written over several indented lines has them joined with `\n`, each trimmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TitleEntry {
    pub key: String,
    pub value: String,
    pub span: LineSpan,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Element {
    #[serde(flatten)]
    pub content: Content,
    pub span: LineSpan,
}

impl Element {
    /// An element that did not come from a source text.
    pub fn new(content: Content) -> Self {
        Self {
            content,
            span: LineSpan::default(),
        }
    }
}

/// What an element is and says. Forcing marks (`!`, `@`, `.`, `>`) are not kept: they are
/// spelling, not meaning, and the writer puts one back wherever the text would otherwise be
/// read as another element.
///
/// How it maps onto the domain: a scene heading becomes a `scene` section and a `#` section
/// an act, deeper ones sequences; the other kinds are elements of the same name (`Lyric` is
/// `lyric`, `PageBreak` is `page_break`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
pub enum Content {
    /// `INT. HOUSE - DAY #12A#`: the heading without its scene number.
    SceneHeading {
        text: String,
        scene_number: Option<String>,
    },
    /// One paragraph of action; lines keep their indentation, blank lines inside (written
    /// as two spaces) are empty lines.
    Action {
        text: String,
    },
    Dialogue(Dialogue),
    Transition {
        text: String,
    },
    /// One or more `> centered <` lines, joined with `\n`.
    Centered {
        text: String,
    },
    /// One or more `~` lines, joined with `\n`.
    Lyric {
        text: String,
    },
    /// A `[[note]]` standing alone in its paragraph (inline notes stay in their text).
    Note {
        text: String,
    },
    /// A `/* boneyard */` occupying whole lines (inline ones stay in their text).
    Boneyard {
        text: String,
    },
    /// `#` is depth 1, `##` depth 2 and so on.
    Section {
        depth: usize,
        title: String,
    },
    Synopsis {
        text: String,
    },
    PageBreak,
}

/// A character cue and what follows it up to the end of its paragraph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Dialogue {
    /// The name as written, without extensions (`McCLANE`, `MOM`).
    pub character: String,
    /// The cue's trailing parenthesized parts without parentheses, in order
    /// (`["V.O."]`, `["O.S.", "CONT'D"]`, `["on the radio"]`).
    pub extensions: Vec<String>,
    /// Marked `^`: spoken at the same time as the dialogue before it.
    pub dual: bool,
    /// Never empty; speech parts are never adjacent (consecutive lines form one part).
    pub parts: Vec<DialoguePart>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DialoguePart {
    /// The whole line, parentheses included: `(quietly)`.
    Parenthetical(String),
    /// Spoken lines joined with `\n`, each trimmed; an intentional blank line is empty.
    Speech(String),
}
