//! A parsed Fountain screenplay ([`fountain_text::Screenplay`]) as a PDF in the industry's
//! format, in pure Rust (nothing run outside the process, so it works in Lambda).
//!
//! ```
//! let screenplay = fountain_text::parse("INT. HOUSE - DAY\n\nANNA\nHello.\n")?;
//! let rendered = fountain_pdf::render(&screenplay, &fountain_pdf::Options::default())?;
//! assert!(rendered.pdf.starts_with(b"%PDF-"));
//! assert_eq!(rendered.pages, 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! [`paginate`] gives the laid-out pages without the PDF, which is how the layout is
//! tested; [`render`] writes them.
//!
//! # The page
//! - Courier 12 pt: 10 characters to the inch, 6 lines to the inch. The PDF uses the
//!   base-14 Courier faces (regular, bold, oblique, bold oblique for Fountain's emphasis;
//!   underline is drawn as a line), which every reader has, so no font is embedded.
//!   Their encoding is WinAnsi: typographic quotes and dashes are printed as the
//!   typewriter's (`'`, `"`, `--`, `...`), and a character WinAnsi lacks as `?`.
//! - Margins: 1.5 in left, 1 in right, 1 in top; the body holds as many lines as fit
//!   above 5/6 in at the foot: 55 on letter, 59 on A4 (same margins and text width on
//!   both).
//! - From the paper's left edge: scene headings and action at 1.5 in, 60 characters
//!   wide; character cues at 3.7 in; parentheticals at 3.1 in, 25 wide; dialogue at
//!   2.5 in, 35 wide; lyrics as dialogue, in italics; transitions end at 7.5 in; centered
//!   text is centered between the margins. Every element is word-wrapped to its width.
//! - Dual dialogue: the two speeches side by side, each in half the body's width (its
//!   indents halved within the half).
//! - Scene numbers (when [`Options::scene_numbers`] and the heading has one) at both
//!   sides of the heading's first line: ending 0.4 in before it, and 0.1 in after the
//!   body's right edge.
//! - Page numbers `N.` at the top right (0.5 in from the top, ending at 7.5 in) from page
//!   2 on; the first page has none.
//! - A title page from the title-page entries (when one of the printed ones has a value),
//!   which is not counted: see `title_page.rs` for its layout.
//! - Not printed: sections, synopses, notes (standalone or inline) and boneyard. A
//!   script of nothing else is one blank page (readers refuse a PDF without pages).
//!
//! # Spacing
//! One blank line between elements, and none between the parts of a speech; a scene
//! heading gets one blank line before it too, not two. This is afterwriting's default
//! (its "double space between scenes" is off), so page counts compare with it. Blank
//! lines at the top of a page are dropped.
//!
//! # Where a page may end
//! - A scene heading never ends a full page: it moves to the next page unless the start of
//!   what follows fits under it (two lines of action, the whole of a shorter paragraph,
//!   the cue with any opening parenthetical and the first sentence of a speech, a whole
//!   transition or dual dialogue). A forced break the writer put right after a heading
//!   is kept.
//! - Action (and centered text and lyrics) splits between lines, keeping at least two
//!   lines on each page; otherwise the paragraph moves to the next page.
//! - Dialogue splits only between sentences (or between a line and the parenthetical
//!   that follows it), never after the cue or a parenthetical: `(MORE)` closes the first
//!   page at the cue's indent, and the next page starts with the cue and `(CONT'D)`.
//!   Where no sentence end fits, the speech moves to the next page. The rest of a split
//!   sentence-paragraph is wrapped afresh, as a new paragraph.
//! - A transition and dual dialogue are never split; they move to the next page.
//! - A forced page break (`===`) starts a new page (but never leaves a blank one).
//! - What is longer than a whole page must split somewhere: a speech then breaks at the
//!   end of any line (still with `(MORE)`), anything else at any line.
//!
//! # Where this differs from afterwriting
//! afterwriting (the reference for page counts) places cues at 3.5 in and
//! parentheticals at 3.0 in, wraps action at 61 characters and dialogue at 36, puts 57
//! lines on A4, and may split dialogue after any line; this crate keeps to the
//! industry's indents above and splits speeches between sentences, so a page count may
//! differ by a page on long scripts.

mod blocks;
mod dialogue;
mod encoding;
mod layout;
mod page;
mod paginate;
mod pdf;
mod rows;
mod text;
mod title_page;
mod wrap;

pub use page::{Line, LineKind, Page, Run, Style};

use fountain_text::{Screenplay, inline};

/// Pages no screenplay needs (a feature is about 120): the bound that keeps the PDF's
/// object numbers in range whatever the input.
pub const MAX_PAGES: usize = 100_000;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Paper {
    /// 8.5 x 11 in, the industry's.
    #[default]
    Letter,
    /// 210 x 297 mm.
    A4,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    pub paper: Paper,
    /// Print the headings' scene numbers (`#12A#`) at both margins.
    pub scene_numbers: bool,
    /// Refuse a screenplay of more pages (a caller bounded in time); `None` is
    /// [`MAX_PAGES`].
    pub max_pages: Option<usize>,
    /// Compress the content streams (on by default; off lets tests read them).
    pub compress: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            paper: Paper::Letter,
            scene_numbers: true,
            max_pages: None,
            compress: true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub pdf: Vec<u8>,
    /// Pages of the script, the title page not counted.
    pub pages: usize,
    /// Whether a title page comes first.
    pub title_page: bool,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RenderError {
    #[error("the screenplay runs to {pages} pages, more than the {limit} this renders")]
    TooLong { pages: usize, limit: usize },
}

/// The screenplay as a PDF: the title page (if any), then the script's pages.
pub fn render(screenplay: &Screenplay, options: &Options) -> Result<Rendered, RenderError> {
    let pages = paginate(screenplay, options);
    let limit = options.max_pages.unwrap_or(MAX_PAGES).min(MAX_PAGES);
    if pages.len() > limit {
        return Err(RenderError::TooLong {
            pages: pages.len(),
            limit,
        });
    }
    let title = title_page(screenplay, options);
    let count = pages.len();
    let has_title_page = title.is_some();
    let all: Vec<Page> = title.into_iter().chain(pages).collect();
    let pdf = pdf::write(
        &all,
        options.paper,
        &document_title(screenplay),
        options.compress,
    );
    Ok(Rendered {
        pdf,
        pages: count,
        title_page: has_title_page,
    })
}

/// The script's pages, numbered from 1 (the title page is apart: [`title_page`]).
pub fn paginate(screenplay: &Screenplay, options: &Options) -> Vec<Page> {
    let blocks = blocks::blocks(&screenplay.elements, options.scene_numbers);
    paginate::pages(blocks, options.paper.lines_per_page())
}

/// The title page, when the title-page entries print something.
pub fn title_page(screenplay: &Screenplay, options: &Options) -> Option<Page> {
    title_page::layout(&screenplay.title_page, options.paper.lines_per_page())
}

/// The title as the PDF's metadata gives it: its words, lines joined by spaces.
fn document_title(screenplay: &Screenplay) -> String {
    screenplay
        .title_page
        .iter()
        .find(|entry| entry.key.eq_ignore_ascii_case("title"))
        .map(|entry| {
            inline::plain_text(&entry.value)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default()
}
