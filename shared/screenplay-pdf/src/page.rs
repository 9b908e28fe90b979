//! The laid-out pages: lines of styled text at a row and column, what the PDF writer
//! draws and what the pagination tests read.

pub use fountain_text::inline::Style;

/// One page, title page or body.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// The page's number in the script (the first body page is 1); `None` for the title
    /// page, which is not counted.
    pub number: Option<usize>,
    /// In reading order: by row, then left to right.
    pub lines: Vec<Line>,
}

impl Page {
    /// What is printed at the top right: `2.` and on; the first page and the title page
    /// carry no number.
    pub fn number_label(&self) -> Option<String> {
        self.number.filter(|n| *n >= 2).map(|n| format!("{n}."))
    }

    /// The page as plain text, a line of text for each line (several on a row for dual
    /// dialogue and scene numbers): for tests and debugging.
    pub fn texts(&self) -> Vec<String> {
        self.lines.iter().map(Line::text).collect()
    }
}

/// A line of text on a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// 0-based line of the page's body, 6 to the inch from the top margin.
    pub row: usize,
    /// Where the text starts, in characters (1/10 in) from the left margin (1.5 in from
    /// the paper's edge); negative for the left scene number, fractional when centered.
    pub column: f32,
    pub kind: LineKind,
    pub runs: Vec<Run>,
}

impl Line {
    pub fn text(&self) -> String {
        self.runs.iter().map(|run| run.text.as_str()).collect()
    }

    /// Its length in characters, so in columns.
    pub fn width(&self) -> usize {
        self.runs.iter().map(|run| run.text.chars().count()).sum()
    }
}

/// Text of one style. The text holds only characters WinAnsiEncoding has.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub text: String,
    pub style: Style,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    SceneHeading,
    SceneNumber,
    Action,
    Character,
    Parenthetical,
    Dialogue,
    /// `(MORE)` under dialogue continued on the next page.
    More,
    Transition,
    Centered,
    Lyric,
    TitlePage,
}
