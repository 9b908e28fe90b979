//! The printed elements as blocks of lines, each with the way it may be split across
//! pages; what is not printed (sections, synopses, notes, boneyard) is left out here.

use crate::dialogue::Speech;
use crate::layout::{BODY_WIDTH, DIALOGUE, Indents};
use crate::page::{Line, LineKind};
use crate::rows::{Align, Rows, flow};
use crate::text::Styled;
use fountain_text::{Content, Element};

#[derive(Debug, Clone)]
pub(crate) enum Block {
    /// Never split, and kept on a page with the start of what follows.
    Heading(Rows),
    /// Split between lines, at least two on each side (action, centered text, lyrics).
    Lines(Rows),
    /// Never split.
    Transition(Rows),
    /// Split between sentences, with `(MORE)` and `(CONT'D)`.
    Dialogue(Speech),
    /// Two speeches side by side, never split unless taller than a page.
    Dual(Rows),
    PageBreak,
}

impl Block {
    /// The least of this block that must share a page with a heading above it.
    pub(crate) fn opening(&self) -> usize {
        match self {
            Block::Lines(rows) if rows.height >= 4 => 2,
            Block::Heading(rows)
            | Block::Lines(rows)
            | Block::Transition(rows)
            | Block::Dual(rows) => rows.height,
            Block::Dialogue(speech) => speech.opening(),
            Block::PageBreak => 0,
        }
    }
}

/// The printed blocks of `elements` in order.
pub(crate) fn blocks(elements: &[Element], scene_numbers: bool) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut index = 0;
    while index < elements.len() {
        let content = &elements[index].content;
        index += 1;
        let block = match content {
            Content::SceneHeading { text, scene_number } => {
                let number = scene_number.as_deref().filter(|_| scene_numbers);
                Block::Heading(heading(text, number))
            }
            Content::Action { text } => Block::Lines(flow(
                &Styled::from_markup(text),
                BODY_WIDTH,
                Align::Left(0.0),
                LineKind::Action,
            )),
            Content::Transition { text } => Block::Transition(flow(
                &Styled::from_markup(text),
                BODY_WIDTH,
                Align::Right,
                LineKind::Transition,
            )),
            Content::Centered { text } => Block::Lines(flow(
                &Styled::from_markup(text),
                BODY_WIDTH,
                Align::Center,
                LineKind::Centered,
            )),
            Content::Lyric { text } => Block::Lines(flow(
                &Styled::from_markup(text).italic(),
                DIALOGUE.speech_width,
                Align::Left(DIALOGUE.speech),
                LineKind::Lyric,
            )),
            Content::Dialogue(dialogue) => match elements.get(index).map(|e| &e.content) {
                Some(Content::Dialogue(second)) if second.dual && !dialogue.dual => {
                    index += 1;
                    let mut rows = Speech::new(dialogue, Indents::dual(0)).rows();
                    rows.beside(Speech::new(second, Indents::dual(1)).rows());
                    Block::Dual(rows)
                }
                _ => Block::Dialogue(Speech::new(dialogue, DIALOGUE)),
            },
            Content::PageBreak => Block::PageBreak,
            Content::Note { .. }
            | Content::Boneyard { .. }
            | Content::Section { .. }
            | Content::Synopsis { .. } => continue,
        };
        blocks.push(block);
    }
    blocks
}

/// A scene heading, with its number at both margins when it has one: ending four
/// columns before the heading on the left, one column after the body on the right.
fn heading(text: &str, number: Option<&str>) -> Rows {
    let mut rows = flow(
        &Styled::from_markup(text),
        BODY_WIDTH,
        Align::Left(0.0),
        LineKind::SceneHeading,
    );
    if let Some(number) = number {
        let number = Styled::plain(number);
        let width = number.len();
        for column in [-(width as f32) - 4.0, BODY_WIDTH as f32 + 1.0] {
            rows.lines.push(Line {
                row: 0,
                column,
                kind: LineKind::SceneNumber,
                runs: number.runs(0..width),
            });
        }
        rows.lines
            .sort_by(|a, b| a.row.cmp(&b.row).then(a.column.total_cmp(&b.column)));
    }
    rows
}
