//! The page's measures. Courier 12 pt prints 10 characters to the inch and 6 lines to
//! the inch, so everything is counted in characters (columns) and lines (rows).

use crate::Paper;

/// Points (1/72 in) per column and per row.
pub(crate) const CHAR_WIDTH: f32 = 7.2;
pub(crate) const LINE_HEIGHT: f32 = 12.0;
pub(crate) const FONT_SIZE: f32 = 12.0;
pub(crate) const LEFT_MARGIN: f32 = 108.0;
pub(crate) const TOP_MARGIN: f32 = 72.0;
/// The least space under the last line: 5/6 in gives letter paper the industry's 55 lines.
const BOTTOM_MARGIN: f32 = 60.0;
/// Where the page number's line is: half an inch from the top.
pub(crate) const NUMBER_TOP: f32 = 36.0;

/// Columns from the left margin (1.5 in) to the right one (1 in from a letter page's
/// edge, 7.5 in): the width of headings, action and transitions. A4 keeps the same text
/// width, so a script breaks its lines the same way on both papers.
pub(crate) const BODY_WIDTH: usize = 60;

impl Paper {
    /// Width and height in points.
    pub(crate) fn size(self) -> (f32, f32) {
        match self {
            Paper::Letter => (612.0, 792.0),
            Paper::A4 => (595.276, 841.89),
        }
    }

    /// Body lines a page holds: letter 55, A4 59.
    pub fn lines_per_page(self) -> usize {
        let (_, height) = self.size();
        ((height - TOP_MARGIN - BOTTOM_MARGIN) / LINE_HEIGHT) as usize
    }
}

/// Where the parts of a speech go: columns from the left margin and widths.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Indents {
    pub cue: f32,
    pub cue_width: usize,
    pub parenthetical: f32,
    pub parenthetical_width: usize,
    pub speech: f32,
    pub speech_width: usize,
}

/// Cue at 3.7 in, parenthetical at 3.1 in, speech at 2.5 in from the paper's edge.
pub(crate) const DIALOGUE: Indents = Indents {
    cue: 22.0,
    cue_width: 38,
    parenthetical: 16.0,
    parenthetical_width: 25,
    speech: 10.0,
    speech_width: 35,
};

/// Half the body width for each side of dual dialogue.
const DUAL_COLUMN: usize = BODY_WIDTH / 2;

impl Indents {
    /// The same speech squeezed into one half of the body (0 left, 1 right): indents
    /// halved within the half, widths kept unless the half ends first.
    pub(crate) fn dual(side: usize) -> Indents {
        let offset = (side * DUAL_COLUMN) as f32;
        let squeeze = |indent: f32, width: usize| {
            let inside = indent / 2.0;
            let room = DUAL_COLUMN.saturating_sub(inside as usize);
            (offset + inside, width.min(room))
        };
        let (cue, cue_width) = squeeze(DIALOGUE.cue, DIALOGUE.cue_width);
        let (parenthetical, parenthetical_width) =
            squeeze(DIALOGUE.parenthetical, DIALOGUE.parenthetical_width);
        let (speech, speech_width) = squeeze(DIALOGUE.speech, DIALOGUE.speech_width);
        Indents {
            cue,
            cue_width,
            parenthetical,
            parenthetical_width,
            speech,
            speech_width,
        }
    }
}

/// Where a line of `width` characters starts when it ends at the right margin.
pub(crate) fn right_aligned(width: usize) -> f32 {
    BODY_WIDTH as f32 - width as f32
}

/// Where a line of `width` characters starts when centered between the margins.
pub(crate) fn centered(width: usize) -> f32 {
    (BODY_WIDTH as f32 - width as f32) / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letter_holds_55_lines_and_a4_59() {
        assert_eq!(Paper::Letter.lines_per_page(), 55);
        assert_eq!(Paper::A4.lines_per_page(), 59);
    }

    #[test]
    fn dual_columns_stay_inside_their_half() {
        for side in 0..2 {
            let indents = Indents::dual(side);
            let end = (side + 1) * DUAL_COLUMN;
            assert!(indents.speech as usize + indents.speech_width <= end);
            assert!(indents.parenthetical as usize + indents.parenthetical_width <= end);
            assert!(indents.cue as usize + indents.cue_width <= end);
        }
    }
}
