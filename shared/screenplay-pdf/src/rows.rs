//! Lines laid out as rows: a block's lines counted from its top, stacked, set side by
//! side, split, and text flowed into them.

use crate::layout::{centered, right_aligned};
use crate::page::{Line, LineKind};
use crate::text::Styled;
use crate::wrap::wrap;

/// Lines of a block, rows counted from the block's top.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Rows {
    pub lines: Vec<Line>,
    pub height: usize,
}

impl Rows {
    /// Adds `other` under these rows.
    pub(crate) fn stack(&mut self, other: Rows) {
        for mut line in other.lines {
            line.row += self.height;
            self.lines.push(line);
        }
        self.height += other.height;
    }

    /// Adds `other` beside these rows (dual dialogue).
    pub(crate) fn beside(&mut self, other: Rows) {
        self.lines.extend(other.lines);
        self.lines.sort_by_key(|line| line.row);
        self.height = self.height.max(other.height);
    }

    /// The first `rows` rows and the rest.
    pub(crate) fn split_at(self, rows: usize) -> (Rows, Rows) {
        let (top, bottom): (Vec<Line>, Vec<Line>) =
            self.lines.into_iter().partition(|line| line.row < rows);
        let bottom = bottom
            .into_iter()
            .map(|line| Line {
                row: line.row - rows,
                ..line
            })
            .collect();
        let rows = rows.min(self.height);
        (
            Rows {
                lines: top,
                height: rows,
            },
            Rows {
                lines: bottom,
                height: self.height - rows,
            },
        )
    }
}

/// How a line is placed across the body's width.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Align {
    Left(f32),
    Right,
    Center,
}

/// `text` wrapped at `width`, a line a row.
pub(crate) fn flow(text: &Styled, width: usize, align: Align, kind: LineKind) -> Rows {
    let lines: Vec<Line> = wrap(text.chars(), width)
        .into_iter()
        .enumerate()
        .map(|(row, range)| {
            let width = range.len();
            let column = match align {
                Align::Left(column) => column,
                Align::Right => right_aligned(width),
                Align::Center => centered(width),
            };
            Line {
                row,
                column,
                kind,
                runs: text.runs(range),
            }
        })
        .collect();
    Rows {
        height: lines.len(),
        lines,
    }
}
